//! The SigV4a key: an ECDSA P-256 private key derived from the secret
//! access key, as aws-c-auth derives it (NIST SP 800-108, HMAC-SHA256 in
//! counter mode), its public key, and the DER signatures it makes.

use crate::credentials::Credentials;
use crate::error::Error;
use alloc::string::String;
use core::fmt;
use hmac::{KeyInit, Mac};
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use zeroize::Zeroizing;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The label of the derivation's fixed input: the algorithm's name.
const LABEL: &[u8] = b"AWS4-ECDSA-P256-SHA256";

/// The last counter value the derivation tries.
const MAX_COUNTER: u8 = 254;

/// n - 2, n the order of P-256, big-endian: a candidate `k0` above it is
/// rejected, so that `k0 + 1` is a private key in `[1, n - 1]`.
const N_MINUS_2: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x4f,
];

/// Whether big-endian `a > b`, in time independent of the bytes (the
/// candidate is secret).
fn greater_than(a: &[u8; 32], b: &[u8; 32]) -> bool {
    // Walks from the least significant byte, so that the most significant
    // difference decides: `gt` is rewritten wherever the bytes differ.
    let mut gt = 0u8;
    for (&x, &y) in a.iter().zip(b).rev() {
        let (x, y) = (i16::from(x), i16::from(y));
        let x_gt = ((y - x) >> 8) as u8 & 1;
        let differ = (((x ^ y) - 1) >> 8) as u8 & 1 ^ 1;
        gt = (gt & !differ.wrapping_neg()) | (x_gt & differ);
    }
    core::hint::black_box(gt) == 1
}

/// `a + 1`, big-endian, wrapping (never reached: `a <= n - 2`).
fn plus_one(a: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new(*a);
    let mut carry = 1u16;
    for byte in out.iter_mut().rev() {
        let sum = u16::from(*byte) + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
    out
}

/// A SigV4a signing key: the P-256 private key of one set of credentials.
///
/// It depends on the access key id and secret alone (no date, region or
/// service), so a signer derives it once and keeps it. `Debug` shows the
/// public key only.
///
/// ```
/// use awsig::{sigv4a::EcdsaKey, Credentials};
/// // aws-c-auth's derivation test (tests/key_derivation_tests.c).
/// let creds = Credentials::new("AKISORANDOMAASORANDOM", "q+jcrXGc+0zWN6uzclKVhvMmUsIfRPa4rlRandom")?;
/// let key = EcdsaKey::derive(&creds)?;
/// assert_eq!(key.public_key().x_hex(), "15d242ceebf8d8169fd6a8b5a746c41140414c3b07579038da06af89190fffcb");
/// # Ok::<(), awsig::Error>(())
/// ```
#[derive(Clone)]
pub struct EcdsaKey {
    private: p256::ecdsa::SigningKey,
    public: PublicKey,
}

impl fmt::Debug for EcdsaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcdsaKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

/// The private scalar for `credentials`, big-endian: the first counter
/// value whose HMAC output `k0` is at most n - 2 gives `k0 + 1`.
fn derive_scalar(credentials: &Credentials) -> Result<Zeroizing<[u8; 32]>, Error> {
    let secret = credentials.secret_access_key().as_bytes();
    let mut input_key = Zeroizing::new(alloc::vec::Vec::with_capacity(5 + secret.len()));
    input_key.extend_from_slice(b"AWS4A");
    input_key.extend_from_slice(secret);
    let keyed = HmacSha256::new_from_slice(&input_key).map_err(|_| Error::Internal {
        invariant: "HMAC takes a key of any length",
    })?;
    for counter in 1..=MAX_COUNTER {
        let mut mac = keyed.clone();
        // 1 (the counter of SP 800-108, always 1: one block is enough) ||
        // label || 0x00 || context (the key id) || the external counter ||
        // L = 256 bits.
        mac.update(&1u32.to_be_bytes());
        mac.update(LABEL);
        mac.update(&[0]);
        mac.update(credentials.access_key_id().as_bytes());
        mac.update(&[counter]);
        mac.update(&256u32.to_be_bytes());
        let k0 = Zeroizing::new(<[u8; 32]>::from(mac.finalize().into_bytes()));
        if !greater_than(&k0, &N_MINUS_2) {
            return Ok(plus_one(&k0));
        }
    }
    Err(Error::KeyDerivationExhausted)
}

impl EcdsaKey {
    /// Derives the key of `credentials` (one HMAC-SHA256, and one more per
    /// rejected candidate, then the public key).
    pub fn derive(credentials: &Credentials) -> Result<EcdsaKey, Error> {
        let scalar = derive_scalar(credentials)?;
        let private =
            p256::ecdsa::SigningKey::from_slice(&scalar[..]).map_err(|_| Error::Internal {
                invariant: "a derived scalar is in [1, n - 1]",
            })?;
        let public = PublicKey(*private.verifying_key());
        Ok(EcdsaKey { private, public })
    }

    /// The public key, which verifies this key's signatures.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The private scalar, big-endian. Secret material.
    pub fn private_scalar(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.private.to_bytes().into())
    }

    /// Signs `message` (a string to sign): ECDSA over its SHA-256, with the
    /// nonce from RFC 6979, so the same message signs the same way.
    pub(crate) fn sign(&self, message: &[u8]) -> EcdsaSignature {
        let signature: p256::ecdsa::Signature = self.private.sign(message);
        EcdsaSignature::from_der(signature.to_der().as_bytes())
    }
}

/// A SigV4a public key: the P-256 point that verifies one set of
/// credentials' signatures.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(p256::ecdsa::VerifyingKey);

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("x", &self.x_hex())
            .field("y", &self.y_hex())
            .finish()
    }
}

impl PublicKey {
    /// The point with these affine coordinates, each 32 bytes of hex (as
    /// the AWS suite's `public-key.json` writes them), if it is on the curve.
    pub fn from_coordinates_hex(x: &str, y: &str) -> Result<PublicKey, Error> {
        let invalid = || Error::InvalidPublicKey;
        // SEC1's uncompressed form: 0x04, then x and y, 32 bytes each.
        let mut sec1 = [0u8; 65];
        sec1[0] = 0x04;
        let (x_bytes, y_bytes) = sec1[1..].split_at_mut(32);
        for (out, hex_text) in [(x_bytes, x), (y_bytes, y)] {
            hex::decode_to_slice(hex_text, out).map_err(|_| invalid())?;
        }
        p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
            .map(PublicKey)
            .map_err(|_| invalid())
    }

    /// The x coordinate, 64 lower-case hex digits.
    pub fn x_hex(&self) -> String {
        let point = self.0.to_sec1_point(false);
        point.x().map(hex::encode).unwrap_or_default()
    }

    /// The y coordinate, 64 lower-case hex digits.
    pub fn y_hex(&self) -> String {
        let point = self.0.to_sec1_point(false);
        point.y().map(hex::encode).unwrap_or_default()
    }

    /// Whether `signature_hex` (DER, lower-case hex, as SigV4a sends it) is
    /// a valid signature of `message` under this key.
    pub fn verifies(&self, message: &[u8], signature_hex: &str) -> bool {
        let Some(der) = der_from_hex(signature_hex) else {
            return false;
        };
        let Ok(signature) = p256::ecdsa::Signature::from_der(&der.bytes[..der.len]) else {
            return false;
        };
        self.0.verify(message, &signature).is_ok()
    }
}

/// Whether `text` is what SigV4a sends as its signature: a DER-encoded
/// ECDSA P-256 signature in lower-case hex, at most 144 digits.
pub(crate) fn is_der_signature_hex(text: &str) -> bool {
    der_from_hex(text)
        .is_some_and(|der| p256::ecdsa::Signature::from_der(&der.bytes[..der.len]).is_ok())
}

/// A DER signature's bytes: at most 72 for P-256.
struct Der {
    bytes: [u8; 72],
    len: usize,
}

/// Lower-case hex of at most 72 bytes, read; `None` for anything else
/// (upper case included: SigV4a signatures are written lower-case).
fn der_from_hex(text: &str) -> Option<Der> {
    let hex_text = text.as_bytes();
    if !hex_text.len().is_multiple_of(2) || hex_text.len() > 144 {
        return None;
    }
    if hex_text.iter().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let mut der = Der {
        bytes: [0; 72],
        len: hex_text.len() / 2,
    };
    hex::decode_to_slice(hex_text, &mut der.bytes[..der.len]).ok()?;
    Some(der)
}

/// A SigV4a signature: DER-encoded ECDSA, lower-case hex (up to 144 digits).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct EcdsaSignature {
    hex: [u8; 144],
    len: u8,
}

impl EcdsaSignature {
    fn from_der(der: &[u8]) -> EcdsaSignature {
        let mut out = EcdsaSignature {
            hex: [b'0'; 144],
            len: 0,
        };
        // A P-256 DER signature is at most 72 bytes: the slice always fits.
        let der = &der[..der.len().min(72)];
        let written = &mut out.hex[..der.len() * 2];
        if hex::encode_to_slice(der, written).is_ok() {
            out.len = (der.len() * 2) as u8;
        }
        out
    }

    /// The hex digits.
    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(&self.hex[..usize::from(self.len)]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_is_big_endian() {
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        assert!(!greater_than(&a, &b));
        a[31] = 1;
        assert!(greater_than(&a, &b));
        b[0] = 1;
        assert!(!greater_than(&a, &b));
        a[0] = 1;
        assert!(greater_than(&a, &b));
        assert!(!greater_than(&N_MINUS_2, &N_MINUS_2));
        let mut above = N_MINUS_2;
        above[31] += 1;
        assert!(greater_than(&above, &N_MINUS_2));
        assert!(!greater_than(&N_MINUS_2, &above));
    }

    #[test]
    fn plus_one_carries() {
        let mut a = [0u8; 32];
        a[31] = 0xff;
        a[30] = 0xff;
        let b = plus_one(&a);
        assert_eq!(b[29..], [1, 0, 0]);
    }

    #[test]
    fn signatures_round_trip_through_hex() {
        let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
        let key = EcdsaKey::derive(&creds).unwrap();
        let sig = key.sign(b"message");
        assert!(sig.as_str().len() >= 140 && sig.as_str().starts_with("30"));
        assert!(key.public_key().verifies(b"message", sig.as_str()));
        assert!(!key.public_key().verifies(b"messagf", sig.as_str()));
        assert!(!key
            .public_key()
            .verifies(b"message", &sig.as_str().to_uppercase()));
        assert!(!key.public_key().verifies(b"message", &sig.as_str()[2..]));
    }
}
