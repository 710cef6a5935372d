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
//! it as HMAC midstates (both pads absorbed), so a signature costs the string
//! to sign's blocks plus one outer block, nothing more; `KeyCache` keeps the
//! day's key for a signer without a lock.

use crate::encoding::Sink;
use crate::scope::{AmzDate, Scope};
use crate::sha::HmacKey;
use core::fmt;
use core::sync::atomic::{fence, AtomicU32, Ordering};
use zeroize::{Zeroize, Zeroizing};

/// Runs the derivation, handing each of the four keys (kDate, kRegion,
/// kService, kSigning) to `each` in turn. One 32-byte buffer carries the
/// chain and is wiped at the end; the joined `"AWS4" + secret` is never built.
fn derive_chain(
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
    mut each: impl FnMut(&[u8; 32]),
) {
    let mut key =
        Zeroizing::new(HmacKey::from_key_parts(&[b"AWS4", secret.as_bytes()]).mac(date.as_bytes()));
    each(&key);
    for message in [region.as_bytes(), service.as_bytes(), b"aws4_request"] {
        *key = HmacKey::new(&*key).mac(message);
        each(&key);
    }
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
        let mut keys = [[0u8; 32]; 4];
        let mut next = 0;
        derive_chain(secret, date, region, service, |key| {
            keys[next] = *key;
            next += 1;
        });
        let chain = KeyChain {
            k_date: Zeroizing::new(keys[0]),
            k_region: Zeroizing::new(keys[1]),
            k_service: Zeroizing::new(keys[2]),
            k_signing: Zeroizing::new(keys[3]),
        };
        for key in &mut keys {
            key[..].zeroize();
        }
        chain
    }
}

/// A derived signing key for one date, region and service, ready to sign.
#[derive(Clone)]
pub struct SigningKey {
    date: [u8; 8],
    key: HmacKey,
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
        // The last of the four keys is kSigning.
        let mut k_signing = Zeroizing::new([0u8; 32]);
        derive_chain(
            secret,
            amz_date.date(),
            scope.region(),
            scope.service(),
            |key| *k_signing = *key,
        );
        let mut date = [0u8; 8];
        date.copy_from_slice(amz_date.date().as_bytes());
        SigningKey {
            date,
            key: HmacKey::new(&*k_signing),
        }
    }

    /// The scope date (`YYYYMMDD`) this key signs for.
    pub fn date(&self) -> &[u8; 8] {
        &self.date
    }

    /// The raw HMAC of the string to sign given as its parts.
    fn mac(&self, amz_date: &AmzDate, scope: &Scope, request_hash: &[u8; 64]) -> [u8; 32] {
        let mut inner = self.key.start();
        write_string_to_sign(&mut inner, amz_date, scope, request_hash);
        self.key.finish(inner)
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
        crate::encoding::hex32(&self.mac(amz_date, scope, request_hash))
    }

    /// Whether `provided` (the raw 32 signature bytes) is the signature of
    /// the string to sign, compared in constant time.
    pub(crate) fn verify(
        &self,
        amz_date: &AmzDate,
        scope: &Scope,
        request_hash: &[u8; 64],
        provided: &[u8; 32],
    ) -> bool {
        let expected = Zeroizing::new(self.mac(amz_date, scope, request_hash));
        constant_time_eq(&*expected, provided)
    }
}

/// Compares two byte strings in time that depends only on their lengths.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // Keeps the optimizer from turning the fold into an early exit.
    core::hint::black_box(diff) == 0
}

/// Task 2: the string to sign.
pub(crate) fn write_string_to_sign<S: Sink>(
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
    sink.put(scope.region_and_service().as_bytes());
    sink.put(b"/aws4_request\n");
    sink.put(request_hash);
}

/// `YYYYMMDD` as a number, 0 for anything else (never a valid date).
fn date_number(date: &[u8]) -> u32 {
    date.iter()
        .try_fold(0u32, |acc, b| {
            b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
        })
        .unwrap_or(0)
}

/// Keeps the signing key of the latest date used, so that it is derived once
/// a day, not once a signature.
///
/// A sequence lock over atomics: readers never block or write; a writer that
/// finds another one busy skips caching. Every access is atomic, so there is
/// no data race and no `unsafe`.
pub(crate) struct KeyCache {
    /// Even: stable. Odd: a write is under way.
    sequence: AtomicU32,
    date: AtomicU32,
    words: [AtomicU32; 16],
}

impl Default for KeyCache {
    fn default() -> Self {
        KeyCache {
            sequence: AtomicU32::new(0),
            date: AtomicU32::new(0),
            words: Default::default(),
        }
    }
}

impl Clone for KeyCache {
    fn clone(&self) -> Self {
        KeyCache::default()
    }
}

impl Drop for KeyCache {
    fn drop(&mut self) {
        for w in &self.words {
            w.store(0, Ordering::SeqCst);
        }
    }
}

impl KeyCache {
    /// The key for `amz_date`'s date: the cached one, or a fresh derivation.
    pub fn get(&self, secret: &str, amz_date: &AmzDate, scope: &Scope) -> SigningKey {
        let date = date_number(amz_date.date().as_bytes());
        let seen = self.sequence.load(Ordering::Acquire);
        if seen % 2 == 0 && date != 0 && self.date.load(Ordering::Relaxed) == date {
            // Read straight into the key, which wipes itself when dropped
            // (also when a torn read is thrown away below).
            let key = HmacKey::from_word_fn(|i| self.words[i].load(Ordering::Relaxed));
            fence(Ordering::Acquire);
            if self.sequence.load(Ordering::Relaxed) == seen {
                let mut d = [0u8; 8];
                d.copy_from_slice(amz_date.date().as_bytes());
                return SigningKey { date: d, key };
            }
        }
        let key = SigningKey::derive(secret, amz_date, scope);
        let stable = seen & !1;
        if self
            .sequence
            .compare_exchange(stable, stable + 1, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            fence(Ordering::Release);
            let words = Zeroizing::new(key.key.to_words());
            for (a, w) in self.words.iter().zip(words.iter()) {
                a.store(*w, Ordering::Relaxed);
            }
            self.date.store(date, Ordering::Relaxed);
            self.sequence
                .store(stable.wrapping_add(2), Ordering::Release);
        }
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::SigningTime;

    #[test]
    fn the_cache_serves_the_same_key_and_changes_with_the_day() {
        let cache = KeyCache::default();
        let scope = Scope::new("us-east-1", "s3").unwrap();
        let day1 = SigningTime::parse("2013-05-24T00:00:00Z")
            .unwrap()
            .amz_date();
        let day2 = SigningTime::parse("2013-05-25T00:00:00Z")
            .unwrap()
            .amz_date();
        let fresh = SigningKey::derive("secret", &day1, &scope);
        let first = cache.get("secret", &day1, &scope);
        let cached = cache.get("secret", &day1, &scope);
        assert!(first.key == fresh.key && cached.key == fresh.key);
        let next = cache.get("secret", &day2, &scope);
        assert!(next.key == SigningKey::derive("secret", &day2, &scope).key);
        assert!(next.key != fresh.key);
        assert_eq!(cache.date.load(Ordering::Relaxed), 20_130_525);
    }

    #[cfg(feature = "std")]
    #[test]
    fn the_cache_is_shared_across_threads() {
        let cache = std::sync::Arc::new(KeyCache::default());
        let scope = Scope::new("us-east-1", "s3").unwrap();
        let days: std::vec::Vec<_> = (0..4)
            .map(|d| {
                SigningTime::from_unix_seconds(d * 86_400)
                    .unwrap()
                    .amz_date()
            })
            .collect();
        let expected: std::vec::Vec<_> = days
            .iter()
            .map(|d| SigningKey::derive("s", d, &scope))
            .collect();
        let handles: std::vec::Vec<_> = (0..4)
            .map(|t| {
                let (cache, scope, days, expected) =
                    (cache.clone(), scope.clone(), days.clone(), expected.clone());
                std::thread::spawn(move || {
                    for i in 0..500 {
                        let d = (i + t) % days.len();
                        assert!(cache.get("s", &days[d], &scope).key == expected[d].key);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    }

    #[test]
    fn the_cache_costs_72_bytes_per_signer() {
        // The README's memory figure: a sequence word, a date and 16 midstate words.
        assert_eq!(core::mem::size_of::<KeyCache>(), 72);
    }

    #[test]
    fn constant_time_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
