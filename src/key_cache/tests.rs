//! Unit tests of the key cache: a signer's keys by day, a verifier's by
//! owner, what leaves first, and sharing across threads.

use super::*;
use crate::canonical::RequestHash;
use crate::string_to_sign::{Algorithm, StringToSign};
use sha2::{Digest, Sha256};

fn at(text: &str) -> SigningTime {
    SigningTime::parse(text).unwrap()
}

/// What a key signs for a fixed string: equal keys sign alike.
fn fingerprint(key: &SigningKey, scope: &Scope) -> alloc::string::String {
    let hash = RequestHash::finish(Sha256::new());
    let string_to_sign = StringToSign::Request {
        algorithm: Algorithm::HmacSha256,
        amz_date: &at("2013-05-24T00:00:00Z").amz_date(),
        scope,
        request_hash: &hash,
    };
    key.sign(&string_to_sign).as_str().into()
}

/// The HMAC key of `creds` for `scope` on the day of `time`, as a
/// verifier looks it up.
fn owner<'a>(creds: &'a Credentials, scope: &'a Scope, time: &str) -> KeyOwner<'a> {
    KeyOwner {
        credentials: creds,
        scope_day: Some((scope, day_of(at(time)))),
    }
}

#[test]
fn a_signers_cache_serves_the_days_key_and_changes_with_the_day() {
    let cache: KeyCache<SigningKey, 2> = KeyCache::new();
    let creds = Credentials::new("AKID", "secret").unwrap();
    let scope = Scope::new("us-east-1", "s3").unwrap();
    let own = |time: &str| cache.with_own_key(&creds, at(time), &scope, SigningKey::clone);
    let fresh = fingerprint(
        &SigningKey::derive("secret", &at("2013-05-24T00:00:00Z").amz_date(), &scope),
        &scope,
    );
    assert_eq!(fingerprint(&own("2013-05-24T00:00:00Z"), &scope), fresh);
    // Later the same UTC day: the kept key.
    let kept = own("2013-05-24T23:59:59Z");
    assert_eq!(
        (kept.date(), fingerprint(&kept, &scope)),
        (b"20130524", fresh.clone())
    );
    let next = own("2013-05-25T00:00:00Z");
    assert_eq!(next.date(), b"20130525");
    assert_ne!(fingerprint(&next, &scope), fresh);
    // Before the epoch, days still split at midnight UTC.
    assert_eq!(own("1969-12-31T23:59:59Z").date(), b"19691231");
    // A signer's keys carry no owner: a verifier's lookup never finds them.
    let verifiers = owner(&creds, &scope, "2013-05-25T00:00:00Z");
    assert!(cache.kept(&verifiers, |k, _| k.clone()).is_none());
}

#[test]
fn a_verifiers_cache_tells_owners_apart() {
    let cache: KeyCache<SigningKey, 2> = KeyCache::new();
    let creds = Credentials::new("AKID", "secret").unwrap();
    let scope = Scope::new("us-east-1", "s3").unwrap();
    let day1 = "2013-05-24T00:00:00Z";
    let key = SigningKey::derive("secret", &at(day1).amz_date(), &scope);
    let fresh = fingerprint(&key, &scope);
    let mine = owner(&creds, &scope, day1);
    assert!(cache.kept(&mine, |k, _| k.clone()).is_none());
    cache.keep(&mine, key, Proven::Verified);
    let (cached, proven) = cache.kept(&mine, |k, p| (k.clone(), p)).expect("kept");
    assert_eq!(
        (fingerprint(&cached, &scope), proven),
        (fresh, Proven::Verified)
    );
    // Another day, another secret under the same key id, another scope:
    // none meets the kept key.
    let next_day = owner(&creds, &scope, "2013-05-25T00:00:00Z");
    assert!(cache.kept(&next_day, |_, _| ()).is_none());
    let rotated = Credentials::new("AKID", "rotated").unwrap();
    assert!(cache
        .kept(&owner(&rotated, &scope, day1), |_, _| ())
        .is_none());
    let iam = Scope::new("us-east-1", "iam").unwrap();
    assert!(cache.kept(&owner(&creds, &iam, day1), |_, _| ()).is_none());
    // A SigV4a key is the credentials' alone: it is not an HMAC key's.
    let public = KeyOwner {
        credentials: &creds,
        scope_day: None,
    };
    assert!(cache.kept(&public, |_, _| ()).is_none());
}

#[test]
fn the_oldest_key_leaves_first() {
    let cache: KeyCache<SigningKey, 2> = KeyCache::new();
    let creds = Credentials::new("AKID", "secret").unwrap();
    let scope = Scope::new("us-east-1", "s3").unwrap();
    let times = [
        "2013-05-24T00:00:00Z",
        "2013-05-25T00:00:00Z",
        "2013-05-26T00:00:00Z",
    ];
    for t in times {
        let key = SigningKey::derive("secret", &at(t).amz_date(), &scope);
        cache.keep(&owner(&creds, &scope, t), key, Proven::Verified);
    }
    let kept = |t: &str| cache.kept(&owner(&creds, &scope, t), |_, _| ()).is_some();
    assert_eq!(times.map(kept), [false, true, true]);
}

#[test]
fn keys_that_verified_stay_while_others_churn() {
    // SigV4a public keys are kept once derived, before they verify: a flood
    // of requests under other key ids must not push out the proven ones.
    let cache: KeyCache<usize, 16> = KeyCache::new();
    let creds = |i: usize| Credentials::new(&alloc::format!("AKID{i}"), "secret").unwrap();
    fn owner(credentials: &Credentials) -> KeyOwner<'_> {
        KeyOwner {
            credentials,
            scope_day: None,
        }
    }
    for i in 0..4 {
        let c = creds(i);
        cache.keep(&owner(&c), i, Proven::Unverified);
        cache.mark_verified(&owner(&c));
    }
    cache.keep(&owner(&creds(0)), 99, Proven::Unverified);
    assert_eq!(cache.counts(), (4, 4), "kept once");
    for i in 100..200 {
        cache.keep(&owner(&creds(i)), i, Proven::Unverified);
    }
    assert_eq!(cache.counts(), (16, 4));
    let kept = |i: usize| cache.kept(&owner(&creds(i)), |k, _| *k);
    assert_eq!(
        (0..4).map(kept).collect::<alloc::vec::Vec<_>>(),
        [Some(0), Some(1), Some(2), Some(3)]
    );
    assert_eq!(kept(100), None, "the oldest unverified left");
    let rotated = Credentials::new("AKID0", "new secret").unwrap();
    assert!(cache.kept(&owner(&rotated), |_, _| ()).is_none());
}

#[test]
fn the_cache_is_shared_across_threads() {
    let cache = std::sync::Arc::new(KeyCache::<SigningKey, 2>::new());
    let creds = Credentials::new("AKID", "s").unwrap();
    let scope = Scope::new("us-east-1", "s3").unwrap();
    let days: std::vec::Vec<_> = (0..4)
        .map(|d| SigningTime::from_unix_seconds(d * 86_400 + 3_600).unwrap())
        .collect();
    let expected: std::vec::Vec<_> = (days.iter())
        .map(|d| fingerprint(&SigningKey::derive("s", &d.amz_date(), &scope), &scope))
        .collect();
    let handles: std::vec::Vec<_> = (0..4)
        .map(|t| {
            let (cache, creds, scope, days, expected) = (
                cache.clone(),
                creds.clone(),
                scope.clone(),
                days.clone(),
                expected.clone(),
            );
            std::thread::spawn(move || {
                for i in 0..500 {
                    let d = (i + t) % days.len();
                    let key = cache.with_own_key(&creds, days[d], &scope, SigningKey::clone);
                    assert_eq!(fingerprint(&key, &scope), expected[d]);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn a_signer_keeps_under_1_kib_per_cached_scope() {
    // The README's memory figure: one kept key and what it was made for.
    let per_key = size_of::<Slot<SigningKey>>() + "us-east-1/s3".len() + 20;
    assert!(per_key < 1024, "{per_key} bytes");
}

#[test]
fn a_cache_of_no_keys_keeps_none_and_still_signs() {
    let cache: KeyCache<SigningKey, 0> = KeyCache::new();
    let creds = Credentials::new("AKID", "secret").unwrap();
    let scope = Scope::new("us-east-1", "s3").unwrap();
    let today = "2013-05-24T00:00:00Z";
    let fresh = fingerprint(
        &SigningKey::derive("secret", &at(today).amz_date(), &scope),
        &scope,
    );
    let signed = cache.with_own_key(&creds, at(today), &scope, SigningKey::clone);
    assert_eq!(fingerprint(&signed, &scope), fresh);
    assert_eq!(cache.counts(), (0, 0));
}
