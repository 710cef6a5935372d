//! Derived keys kept for reuse, of either algorithm: the signer's HMAC
//! signing keys (the day's, and the day before's for signatures around
//! midnight), the verifier's HMAC keys, and the verifier's SigV4a public
//! keys. One design for all: a short list behind a reader-writer lock, read
//! by every signature and written once a day per key. Without `std` there
//! is no lock to share one with, and every signature derives its key.
//!
//! A verifier's key is kept with its owner (the key id, a SHA-256 of the
//! secret, so that a rotated secret never meets an old key, and the scope
//! for HMAC keys). When the list is full, a key that never verified a
//! signature leaves before one that did, then the oldest: key ids are no
//! secret, and requests that fail must not push out the keys of those that
//! verify.

use crate::credentials::Credentials;
use crate::key::SigningKey;
use crate::scope::{Scope, SigningTime};
#[cfg(feature = "std")]
use zeroize::Zeroizing;

/// The UTC day of `time`, as days since the Unix epoch: what HMAC keys are
/// looked up by, without calendar arithmetic.
pub(crate) fn day_of(time: SigningTime) -> i64 {
    time.unix_seconds().div_euclid(86_400)
}

/// Whose key a verifier looks up or keeps: the credentials, and for an HMAC
/// key its scope and day (a SigV4a key is the credentials' alone).
#[derive(Clone, Copy)]
pub(crate) struct KeyOwner<'a> {
    /// The credentials the key was derived from.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    pub(crate) credentials: &'a Credentials,
    /// The scope and UTC day of an HMAC key; `None` for a SigV4a key.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    pub(crate) scope_day: Option<(&'a Scope, i64)>,
}

/// Whether a kept key has verified a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Proven {
    /// It has: it stays before those that have not.
    Verified,
    /// Not yet (a SigV4a public key is kept once derived, so that failed
    /// requests do not pay a scalar multiplication each).
    #[cfg_attr(not(feature = "sigv4a"), allow(dead_code))]
    Unverified,
}

/// An owner as kept: the secret as its digest, wiped on drop.
#[cfg(feature = "std")]
struct KeptOwner {
    key_id: alloc::string::String,
    secret: Zeroizing<[u8; 32]>,
    scope_day: Option<(Scope, i64)>,
}

#[cfg(feature = "std")]
impl KeptOwner {
    fn is(&self, owner: &KeyOwner<'_>) -> bool {
        let scope_day_is = match (&self.scope_day, owner.scope_day) {
            (Some((scope, day)), Some((wanted, wanted_day))) => {
                *day == wanted_day && scope == wanted
            }
            (None, None) => true,
            _ => false,
        };
        scope_day_is
            && self.key_id == owner.credentials.access_key_id()
            && crate::key::constant_time_eq(&*self.secret, owner.credentials.secret_digest())
    }
}

/// Whose a kept key is.
#[cfg(feature = "std")]
enum Whose {
    /// A signer's own, of this UTC day (see [`KeyCache::with_own_key`]).
    Own { day: i64 },
    /// A verifier's, for this owner.
    Owner(KeptOwner),
}

/// One kept key: whose it is, and whether it has verified.
#[cfg(feature = "std")]
struct Slot<K> {
    whose: Whose,
    key: K,
    proven: Proven,
}

#[cfg(feature = "std")]
impl<K> Slot<K> {
    fn is_owned_by(&self, owner: &KeyOwner<'_>) -> bool {
        matches!(&self.whose, Whose::Owner(kept) if kept.is(owner))
    }

    fn is_own_of(&self, day: i64) -> bool {
        matches!(self.whose, Whose::Own { day: kept } if kept == day)
    }
}

/// A short list of at most `N` derived keys; see the module docs. Its room
/// is taken on the first key kept, so that a signer made per request and
/// dropped unused allocates nothing for it, and a signer stays small to move.
pub(crate) struct KeyCache<K, const N: usize> {
    #[cfg(feature = "std")]
    slots: std::sync::RwLock<alloc::vec::Vec<Slot<K>>>,
    #[cfg(not(feature = "std"))]
    kept: core::marker::PhantomData<K>,
}

impl<K, const N: usize> KeyCache<K, N> {
    /// An empty cache.
    pub(crate) fn new() -> Self {
        KeyCache {
            #[cfg(feature = "std")]
            slots: std::sync::RwLock::new(alloc::vec::Vec::new()),
            #[cfg(not(feature = "std"))]
            kept: core::marker::PhantomData,
        }
    }

    /// A verifier's lookup: `use_key` run with the key kept for `owner` and
    /// whether it has verified, under the read lock, if one is kept.
    pub(crate) fn kept<R>(
        &self,
        owner: &KeyOwner<'_>,
        use_key: impl FnOnce(&K, Proven) -> R,
    ) -> Option<R> {
        #[cfg(feature = "std")]
        {
            // A poisoned lock only means a writer panicked: derive instead.
            let slots = self.slots.read().ok()?;
            let found = slots.iter().find(|slot| slot.is_owned_by(owner));
            found.map(|slot| use_key(&slot.key, slot.proven))
        }
        #[cfg(not(feature = "std"))]
        {
            let _ = (owner, use_key);
            None
        }
    }

    /// Keeps `key` for a verifier's `owner`, once: a concurrent derivation
    /// may have kept it first.
    pub(crate) fn keep(&self, owner: &KeyOwner<'_>, key: K, proven: Proven) {
        #[cfg(feature = "std")]
        self.keep_slot(
            |slot| slot.is_owned_by(owner),
            || {
                Whose::Owner(KeptOwner {
                    key_id: owner.credentials.access_key_id().into(),
                    secret: Zeroizing::new(*owner.credentials.secret_digest()),
                    scope_day: owner.scope_day.map(|(scope, day)| (scope.clone(), day)),
                })
            },
            key,
            proven,
        );
        #[cfg(not(feature = "std"))]
        let _ = (owner, key, proven);
    }

    /// Keeps `key` unless a slot is already `same`, making room first: a
    /// key that never verified leaves before one that did, then the oldest.
    #[cfg(feature = "std")]
    fn keep_slot(
        &self,
        same: impl Fn(&Slot<K>) -> bool,
        whose: impl FnOnce() -> Whose,
        key: K,
        proven: Proven,
    ) {
        if let Ok(mut slots) = self.slots.write() {
            if N == 0 || slots.iter().any(same) {
                return;
            }
            if slots.len() >= N {
                let unproven = |slot: &Slot<K>| slot.proven == Proven::Unverified;
                let leaving = slots.iter().position(unproven).unwrap_or(0);
                slots.remove(leaving);
            }
            let room = N.saturating_sub(slots.len());
            slots.reserve_exact(room);
            let whose = whose();
            slots.push(Slot { whose, key, proven });
        }
    }

    /// Marks the key kept for `owner` as one that verified a signature.
    #[cfg_attr(not(feature = "sigv4a"), allow(dead_code))]
    pub(crate) fn mark_verified(&self, owner: &KeyOwner<'_>) {
        #[cfg(feature = "std")]
        if let Ok(mut slots) = self.slots.write() {
            if let Some(slot) = slots.iter_mut().find(|slot| slot.is_owned_by(owner)) {
                slot.proven = Proven::Verified;
            }
        }
        #[cfg(not(feature = "std"))]
        let _ = owner;
    }

    /// How many keys are kept, and how many of them have verified.
    #[cfg(all(test, feature = "std"))]
    pub(crate) fn counts(&self) -> (usize, usize) {
        let slots = self.slots.read().expect("no writer panicked");
        let verified = slots.iter().filter(|s| s.proven == Proven::Verified);
        (slots.len(), verified.count())
    }
}

impl<const N: usize> KeyCache<SigningKey, N> {
    /// Runs `use_key` with a signer's key for the day of `time` (under the
    /// read lock, so that the key is not copied out first), or with one
    /// derived now and kept.
    ///
    /// Every key in a signer's cache was derived from its one set of
    /// credentials and scope, so the day alone tells them apart.
    pub(crate) fn with_own_key<R>(
        &self,
        creds: &Credentials,
        time: SigningTime,
        scope: &Scope,
        use_key: impl FnOnce(&SigningKey) -> R,
    ) -> R {
        #[cfg(feature = "std")]
        let day = day_of(time);
        #[cfg(feature = "std")]
        if let Ok(slots) = self.slots.read() {
            if let Some(slot) = slots.iter().find(|slot| slot.is_own_of(day)) {
                return use_key(&slot.key);
            }
        }
        let key = SigningKey::derive(creds.secret_access_key(), &time.amz_date(), scope);
        let result = use_key(&key);
        #[cfg(feature = "std")]
        self.keep_slot(
            |slot| slot.is_own_of(day),
            || Whose::Own { day },
            key,
            Proven::Verified,
        );
        result
    }
}

impl<K, const N: usize> Clone for KeyCache<K, N> {
    /// A clone starts empty: keys are cheap to derive again, and a shared
    /// list would tie the clones' locks together.
    fn clone(&self) -> Self {
        KeyCache::new()
    }
}

#[cfg(all(test, feature = "std"))]
mod tests;
