//! The signature received: checked to be 64 lower-case hex digits, the form
//! the signer writes, for a constant-time comparison with the expected one.

use super::*;

/// `hex` as a signature, if it is 64 lower-case hex digits.
pub(super) fn signature_hex(hex: &[u8]) -> Result<[u8; 64], VerifyError> {
    let digits: [u8; 64] = hex
        .try_into()
        .map_err(|_| VerifyError::MalformedSignature)?;
    if crate::encoding::run_end(&digits, 0, &LOWER_HEX) != digits.len() {
        return Err(VerifyError::MalformedSignature);
    }
    Ok(digits)
}

/// `0-9` and `a-f`.
static LOWER_HEX: [bool; 256] = {
    let mut table = [false; 256];
    let mut d = b'0';
    while d <= b'9' {
        table[d as usize] = true;
        d += 1;
    }
    let mut l = b'a';
    while l <= b'f' {
        table[l as usize] = true;
        l += 1;
    }
    table
};
