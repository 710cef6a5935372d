//! Tasks 3 and 4 of the SigV4 specification: the signing key, and the
//! signature of a string to sign ([`crate::string_to_sign`]).
//!
//! ```text
//! kDate    = HMAC("AWS4" + secret, "20130524")
//! kRegion  = HMAC(kDate, "us-east-1")
//! kService = HMAC(kRegion, "s3")
//! kSigning = HMAC(kService, "aws4_request")
//! signature = hex(HMAC(kSigning, string to sign))
//! ```
//!
//! The key changes once a day per region and service. [`SigningKey`] keeps
//! it as a keyed `Hmac<Sha256>` (both pads absorbed), cloned per signature,
//! so that a signature costs the string to sign's blocks and one outer block;
//! `key_cache` keeps derived keys for the signer (the day's) and the
//! verifier (those that verified).

use crate::encoding::Sink;
use crate::scope::{AmzDate, Scope};
use crate::string_to_sign::StringToSign;
use core::fmt;
use hmac::digest::FixedOutput;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;

impl Sink for HmacSha256 {
    #[inline]
    fn put(&mut self, text: &str) {
        self.update(text.as_bytes());
    }

    #[inline]
    fn put_ascii(&mut self, ascii: &[u8]) {
        self.update(ascii);
    }
}

/// HMAC-SHA256 keyed with the concatenation of `parts`, without joining them
/// in a heap buffer. RFC 2104 §2 takes a key to one block: a longer one is
/// hashed first, a shorter one padded with zeros, which is what handing
/// `KeyInit::new` the block does (a property test checks it against
/// `new_from_slice`).
fn keyed(parts: &[&[u8]]) -> HmacSha256 {
    // A derived key is one part: HMAC takes it as it is, without a copy
    // of ours to join and wipe (HMAC's own padded copies are the same
    // either way).
    if let [key] = parts {
        if let Ok(mac) = HmacSha256::new_from_slice(key) {
            return mac;
        }
    }
    let mut block = Zeroizing::new([0u8; 64]);
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if len <= block.len() {
        let mut at = 0;
        for part in parts {
            block[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
    } else {
        let mut digest = Sha256::new();
        for part in parts {
            digest.update(part);
        }
        // The long key's digest is the key: finished into a buffer that is
        // wiped, never into a temporary that is not.
        let mut long_key = Zeroizing::new([0u8; 32]);
        Digest::finalize_into(digest, (&mut *long_key).into());
        block[..32].copy_from_slice(&*long_key);
    }
    HmacSha256::new((&*block).into())
}

/// `HMAC(key, message)`, the 32 raw bytes, wiped when dropped.
fn hmac(key: &[&[u8]], message: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut mac = keyed(key);
    mac.update(message);
    let mut out = Zeroizing::new([0u8; 32]);
    FixedOutput::finalize_into(mac, (&mut *out).into());
    out
}

/// The four keys of the derivation, for audits. Secret material: never log it.
pub struct KeyChain {
    /// `HMAC("AWS4" + secret, date)`.
    pub k_date: Zeroizing<[u8; 32]>,
    /// `HMAC(kDate, region)`.
    pub k_region: Zeroizing<[u8; 32]>,
    /// `HMAC(kRegion, service)`.
    pub k_service: Zeroizing<[u8; 32]>,
    /// `HMAC(kService, "aws4_request")`: the signing key.
    pub k_signing: Zeroizing<[u8; 32]>,
}

impl fmt::Debug for KeyChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyChain(** redacted **)")
    }
}

impl KeyChain {
    /// Derives the chain for `secret` on `date` (`YYYYMMDD`), `region` and `service`.
    ///
    /// ```
    /// // The retired AWS General Reference example.
    /// let chain = awsig::KeyChain::derive(
    ///     "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
    /// assert_eq!(
    ///     awsig::encoding::hex32(&*chain.k_signing),
    ///     *b"f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    /// ```
    pub fn derive(secret: &str, date: &str, region: &str, service: &str) -> KeyChain {
        KeyChain::of_bytes(secret, date.as_bytes(), region, service)
    }

    /// [`KeyChain::derive`] with the date as `AmzDate` holds it.
    fn of_bytes(secret: &str, date: &[u8], region: &str, service: &str) -> KeyChain {
        let k_date = hmac(&[b"AWS4", secret.as_bytes()], date);
        let k_region = hmac(&[&*k_date], region.as_bytes());
        let k_service = hmac(&[&*k_region], service.as_bytes());
        let k_signing = hmac(&[&*k_service], b"aws4_request");
        KeyChain {
            k_date,
            k_region,
            k_service,
            k_signing,
        }
    }
}

/// A derived signing key for one date, region and service, ready to sign.
#[derive(Clone)]
pub struct SigningKey {
    date: [u8; 8],
    mac: HmacSha256,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("date", &core::str::from_utf8(&self.date).unwrap_or("?"))
            .field("key", &"** redacted **")
            .finish()
    }
}

impl SigningKey {
    /// Derives the key for `secret`, the date of `amz_date`, and `scope`.
    pub fn derive(secret: &str, amz_date: &AmzDate, scope: &Scope) -> SigningKey {
        let date_bytes = amz_date.date_bytes();
        let chain = KeyChain::of_bytes(secret, date_bytes, scope.region(), scope.service());
        let mut date = [0u8; 8];
        date.copy_from_slice(date_bytes);
        SigningKey {
            date,
            mac: keyed(&[&*chain.k_signing]),
        }
    }

    /// The scope date (`YYYYMMDD`) this key signs for.
    pub fn date(&self) -> &[u8; 8] {
        &self.date
    }

    /// Task 4: HMACs the string to sign of any form with this key and
    /// returns the signature as 64 lower-case hex digits.
    pub(crate) fn sign(&self, string_to_sign: &StringToSign<'_>) -> Signature {
        Signature(crate::encoding::hex32(&self.mac(string_to_sign)))
    }

    /// The raw 32 bytes of the MAC of `string_to_sign`: the signature as
    /// an event-stream message carries it.
    pub(crate) fn mac(&self, string_to_sign: &StringToSign<'_>) -> [u8; 32] {
        let mut mac = self.mac.clone();
        string_to_sign.write(&mut mac);
        let mut tag = [0u8; 32];
        FixedOutput::finalize_into(mac, (&mut tag).into());
        tag
    }

    /// Whether `provided` (the raw 32 signature bytes) is the signature of
    /// `string_to_sign`, compared in constant time (`Mac::verify_slice`).
    ///
    /// The expected MAC is secret until it matches, so it is compared as
    /// raw bytes and never written as hex: `hex32` looks each byte up in a
    /// 512-byte table, whose cache lines would tell a neighbour on the
    /// machine part of every byte. The received hex is public, and it is
    /// what gets decoded.
    pub(crate) fn verify(
        &self,
        string_to_sign: &StringToSign<'_>,
        provided: &ReceivedSignature,
    ) -> bool {
        let mut mac = self.mac.clone();
        string_to_sign.write(&mut mac);
        mac.verify_slice(&provided.0).is_ok()
    }
}

/// A signature as it is sent: 64 lower-case hex digits (task 4's result).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Signature([u8; 64]);

impl Signature {
    /// The 64 lower-case hex digits.
    pub(crate) fn as_str(&self) -> &str {
        crate::encoding::written_text(&self.0)
    }
}

/// The signature a chunk, trailer or message chains to, as its string to
/// sign writes it: SigV4's 64 hex digits, or SigV4a's DER signature in hex
/// (at most 144 digits, without the `*` padding chunks are framed with).
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    not(any(feature = "chunked", feature = "eventstream")),
    allow(dead_code)
)]
pub(crate) struct ChainedSignature {
    text: [u8; 144],
    len: u8,
}

#[cfg_attr(
    not(any(feature = "chunked", feature = "eventstream")),
    allow(dead_code)
)]
impl ChainedSignature {
    /// The longest: a P-256 DER signature (72 bytes) in hex.
    pub(crate) const MAX: usize = 144;

    /// `text` if it is 1 to 144 lower-case hex digits.
    pub(crate) fn new(text: &[u8]) -> Option<ChainedSignature> {
        let hex = crate::encoding::is_lower_hex;
        if text.is_empty() || text.len() > Self::MAX || !text.iter().all(hex) {
            return None;
        }
        let mut out = ChainedSignature {
            text: [0; Self::MAX],
            len: text.len() as u8,
        };
        out.text[..text.len()].copy_from_slice(text);
        Some(out)
    }

    /// The hex digits.
    pub(crate) fn as_str(&self) -> &str {
        crate::encoding::written_text(&self.text[..usize::from(self.len)])
    }
}

/// A signature as it was received, read from its hex into the 32 bytes the
/// MAC is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReceivedSignature(pub(crate) [u8; 32]);

impl ReceivedSignature {
    /// Reads a received signature: exactly 64 lower-case hex digits, as
    /// every SigV4 form sends it (a request's, a POST policy's, a chunk's
    /// and a trailer's). Any other text is `None`. Every digit is looked up
    /// whatever came before (no early exit on the first bad one).
    pub(crate) fn from_hex(hex: &[u8]) -> Option<ReceivedSignature> {
        if hex.len() != 64 {
            return None;
        }
        let nibble = |b: u8| LOWER_HEX_VALUE[usize::from(b)];
        let mut out = [0u8; 32];
        let mut bad = 0u8;
        for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
            let (hi, lo) = (nibble(pair[0]), nibble(pair[1]));
            bad |= (hi | lo) & 0x10;
            *byte = (hi & 15) << 4 | (lo & 15);
        }
        (bad == 0).then_some(ReceivedSignature(out))
    }
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

/// Compares two byte strings in time that depends only on their lengths.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // Keeps the optimizer from turning the fold into an early exit.
    core::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests;
