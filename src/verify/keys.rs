//! The verifier's cache of signing keys that have verified a signature.

use crate::credentials::Credentials;
use crate::key::{constant_time_eq, SigningKey};
use crate::scope::{AmzDate, Scope};
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A cached signing key and what it was derived for: key id, SHA-256 of
/// the secret (so a rotated secret never meets an old key), date, scope.
#[cfg(feature = "std")]
type KeySlot = (String, [u8; 32], [u8; 8], Scope, SigningKey);

/// Keeps the signing keys of recent (key id, secret, date, scope) tuples.
/// A key enters only after it verified a signature, so unauthenticated
/// requests cannot churn it.
#[derive(Default)]
pub(super) struct VerifierKeys {
    #[cfg(feature = "std")]
    slots: std::sync::RwLock<Vec<KeySlot>>,
}

impl VerifierKeys {
    #[cfg(feature = "std")]
    const CAPACITY: usize = 16;

    /// The cached key, or a fresh derivation and whether it must be kept
    /// once it has verified.
    pub(super) fn get(
        &self,
        key_id: &str,
        creds: &Credentials,
        amz_date: &AmzDate,
        scope: &Scope,
    ) -> (SigningKey, bool) {
        #[cfg(feature = "std")]
        {
            let digest = creds.secret_digest();
            let date = amz_date.date().as_bytes();
            if let Ok(slots) = self.slots.read() {
                let hit = slots.iter().find(|(k, sec, d, s, _)| {
                    k == key_id && constant_time_eq(sec, digest) && d == date && s == scope
                });
                if let Some((_, _, _, _, key)) = hit {
                    return (key.clone(), false);
                }
            }
        }
        let _ = key_id;
        (
            SigningKey::derive(creds.secret_access_key(), amz_date, scope),
            true,
        )
    }

    /// Keeps a key that has just verified a signature.
    pub(super) fn keep(
        &self,
        key_id: &str,
        creds: &Credentials,
        amz_date: &AmzDate,
        scope: &Scope,
        key: &SigningKey,
    ) {
        #[cfg(feature = "std")]
        if let Ok(mut slots) = self.slots.write() {
            if slots.len() >= Self::CAPACITY {
                slots.remove(0);
            }
            let mut d = [0u8; 8];
            d.copy_from_slice(amz_date.date().as_bytes());
            let digest = *creds.secret_digest();
            slots.push((key_id.to_string(), digest, d, scope.clone(), key.clone()));
        }
        #[cfg(not(feature = "std"))]
        let _ = (key_id, creds, amz_date, scope, key);
    }
}
