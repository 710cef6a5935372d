//! Task 3 of the SigV4 specification: the signing key, and the signature.
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
//! the HMAC state with both pads already absorbed, so a signature costs the
//! string to sign's blocks plus one outer block, nothing more.

use crate::scope::{AmzDate, Scope};
use core::fmt;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &[u8]) -> Zeroizing<[u8; 32]> {
    // HMAC takes keys of any length: this cannot fail.
    let mut mac = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    Zeroizing::new(mac.finalize().into_bytes().into())
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
    /// let chain = sigv4::KeyChain::derive(
    ///     "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
    /// assert_eq!(
    ///     sigv4::encoding::hex32(&*chain.k_signing),
    ///     *b"f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    /// ```
    pub fn derive(secret: &str, date: &str, region: &str, service: &str) -> KeyChain {
        let mut seed = Zeroizing::new(alloc::vec::Vec::with_capacity(4 + secret.len()));
        seed.extend_from_slice(b"AWS4");
        seed.extend_from_slice(secret.as_bytes());
        let k_date = hmac(&seed, date.as_bytes());
        let k_region = hmac(&*k_date, region.as_bytes());
        let k_service = hmac(&*k_region, service.as_bytes());
        let k_signing = hmac(&*k_service, b"aws4_request");
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
    keyed: HmacSha256,
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
        let chain = KeyChain::derive(secret, amz_date.date(), scope.region(), scope.service());
        let keyed =
            HmacSha256::new_from_slice(&*chain.k_signing).unwrap_or_else(|_| unreachable!());
        let mut date = [0u8; 8];
        date.copy_from_slice(amz_date.date().as_bytes());
        SigningKey { date, keyed }
    }

    /// The scope date (`YYYYMMDD`) this key signs for.
    pub fn date(&self) -> &[u8; 8] {
        &self.date
    }

    /// Task 2 and 3: HMACs the string to sign, given as its parts, and returns
    /// the signature as 64 lower-case hex digits.
    ///
    /// `AWS4-HMAC-SHA256 \n amz_date \n scope \n hex(SHA-256(canonical request))`
    pub(crate) fn sign(
        &self,
        amz_date: &AmzDate,
        scope: &Scope,
        request_hash: &[u8; 64],
    ) -> [u8; 64] {
        let mut mac = self.keyed.clone();
        write_string_to_sign(&mut MacSink(&mut mac), amz_date, scope, request_hash);
        crate::encoding::hex32(&mac.finalize().into_bytes())
    }
}

impl SigningKey {
    /// Whether `provided` (the raw 32 signature bytes) is the signature of
    /// the string to sign, compared in constant time.
    pub(crate) fn verify(
        &self,
        amz_date: &AmzDate,
        scope: &Scope,
        request_hash: &[u8; 64],
        provided: &[u8; 32],
    ) -> bool {
        let mut mac = self.keyed.clone();
        write_string_to_sign(&mut MacSink(&mut mac), amz_date, scope, request_hash);
        mac.verify_slice(provided).is_ok()
    }
}

struct MacSink<'a>(&'a mut HmacSha256);

impl crate::encoding::Sink for MacSink<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

/// Task 2: the string to sign.
pub(crate) fn write_string_to_sign<S: crate::encoding::Sink>(
    sink: &mut S,
    amz_date: &AmzDate,
    scope: &Scope,
    request_hash: &[u8; 64],
) {
    sink.put(b"AWS4-HMAC-SHA256\n");
    sink.put(amz_date.as_str().as_bytes());
    sink.put(b"\n");
    sink.put(amz_date.date().as_bytes());
    sink.put(b"/");
    sink.put(scope.region().as_bytes());
    sink.put(b"/");
    sink.put(scope.service().as_bytes());
    sink.put(b"/aws4_request\n");
    sink.put(request_hash);
}

/// Keeps the signing key of the latest date used, so that it is derived once a
/// day, not once a signature.
#[derive(Default)]
pub(crate) struct KeyCache {
    #[cfg(feature = "std")]
    slot: std::sync::RwLock<Option<SigningKey>>,
}

impl KeyCache {
    /// The key for `amz_date`'s date: the cached one, or a fresh derivation.
    pub fn get(&self, secret: &str, amz_date: &AmzDate, scope: &Scope) -> SigningKey {
        #[cfg(feature = "std")]
        {
            let date = amz_date.date().as_bytes();
            if let Ok(slot) = self.slot.read() {
                if let Some(key) = slot.as_ref().filter(|k| k.date == date) {
                    return key.clone();
                }
            }
            let key = SigningKey::derive(secret, amz_date, scope);
            if let Ok(mut slot) = self.slot.write() {
                *slot = Some(key.clone());
            }
            key
        }
        #[cfg(not(feature = "std"))]
        SigningKey::derive(secret, amz_date, scope)
    }
}

impl Clone for KeyCache {
    fn clone(&self) -> Self {
        KeyCache::default()
    }
}
