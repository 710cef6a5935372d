//! The signature received: 64 lower-case hex digits read as 32 bytes, for a
//! constant-time comparison.

use super::*;

/// 64 lower-case hex digits as 32 bytes.
pub(crate) fn signature_from_hex(hex: &[u8]) -> Result<[u8; 32], VerifyError> {
    if hex.len() != 64 {
        return Err(VerifyError::MalformedSignature);
    }
    let nibble = |b: u8| LOWER_HEX_VALUE[usize::from(b)];
    let mut out = [0u8; 32];
    let mut bad = 0u8;
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let (hi, lo) = (nibble(pair[0]), nibble(pair[1]));
        bad |= (hi | lo) & 0x10;
        *byte = (hi & 15) << 4 | (lo & 15);
    }
    if bad != 0 {
        return Err(VerifyError::MalformedSignature);
    }
    Ok(out)
}

/// The value of each lower-case hex digit; 16 (bit 4 set) for any other byte.
static LOWER_HEX_VALUE: [u8; 256] = {
    let mut table = [16u8; 256];
    let mut d = 0;
    while d < 10 {
        table[b'0' as usize + d] = d as u8;
        d += 1;
    }
    let mut l = 0;
    while l < 6 {
        table[b'a' as usize + l] = 10 + l as u8;
        l += 1;
    }
    table
};
