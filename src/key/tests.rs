//! Unit tests of the key derivation and the key cache.

use super::*;
use crate::scope::SigningTime;
use proptest::prelude::*;

fn day(text: &str) -> AmzDate {
    SigningTime::parse(text).unwrap().amz_date()
}

/// What a key signs for a fixed string: equal keys sign alike.
fn fingerprint(key: &SigningKey, scope: &Scope) -> alloc::string::String {
    let hash = RequestHash::finish(Sha256::new());
    let string_to_sign = StringToSign::Request {
        algorithm: crate::Algorithm::HmacSha256,
        amz_date: &day("2013-05-24T00:00:00Z"),
        scope,
        request_hash: &hash,
    };
    key.sign(&string_to_sign).as_str().into()
}

fn at(text: &str) -> SigningTime {
    SigningTime::parse(text).unwrap()
}

#[test]
fn a_signers_cache_serves_the_days_key_and_changes_with_the_day() {
    let cache = KeyCache::new(2);
    let creds = Credentials::new("AKID", "secret").unwrap();
    let scope = Scope::new("us-east-1", "s3").unwrap();
    let fresh = fingerprint(
        &SigningKey::derive("secret", &day("2013-05-24T00:00:00Z"), &scope),
        &scope,
    );
    let first = cache.with_own_key(
        &creds,
        at("2013-05-24T00:00:00Z"),
        &scope,
        SigningKey::clone,
    );
    assert_eq!(fingerprint(&first, &scope), fresh);
    // Later the same UTC day: the kept key.
    let kept = cache.with_own_key(
        &creds,
        at("2013-05-24T23:59:59Z"),
        &scope,
        SigningKey::clone,
    );
    assert_eq!(
        (kept.date(), fingerprint(&kept, &scope)),
        (b"20130524", fresh.clone())
    );
    let next = cache.with_own_key(
        &creds,
        at("2013-05-25T00:00:00Z"),
        &scope,
        SigningKey::clone,
    );
    assert_eq!(next.date(), b"20130525");
    assert_ne!(fingerprint(&next, &scope), fresh);
    // Before the epoch, days still split at midnight UTC.
    let before = cache.with_own_key(
        &creds,
        at("1969-12-31T23:59:59Z"),
        &scope,
        SigningKey::clone,
    );
    assert_eq!(before.date(), b"19691231");
    // A signer's keys carry no owner: a verifier's lookup never finds them.
    assert!(cache
        .kept(
            &creds,
            &day("2013-05-25T00:00:00Z"),
            &scope,
            SigningKey::clone
        )
        .is_none());
}

#[test]
fn a_verifiers_cache_tells_owners_apart() {
    let cache = KeyCache::new(2);
    let creds = Credentials::new("AKID", "secret").unwrap();
    let scope = Scope::new("us-east-1", "s3").unwrap();
    let (day1, day2) = (day("2013-05-24T00:00:00Z"), day("2013-05-25T00:00:00Z"));
    let key = SigningKey::derive("secret", &day1, &scope);
    let fresh = fingerprint(&key, &scope);
    assert!(cache
        .kept(&creds, &day1, &scope, SigningKey::clone)
        .is_none());
    cache.keep(
        Some((&creds, &scope)),
        day_of(at("2013-05-24T00:00:00Z")),
        &key,
    );
    let cached = cache
        .kept(&creds, &day1, &scope, SigningKey::clone)
        .expect("kept");
    assert_eq!(fingerprint(&cached, &scope), fresh);
    assert!(cache
        .kept(&creds, &day2, &scope, SigningKey::clone)
        .is_none());
    // Another secret under the same key id never meets the old key.
    let rotated = Credentials::new("AKID", "rotated").unwrap();
    assert!(cache
        .kept(&rotated, &day1, &scope, SigningKey::clone)
        .is_none());
    // Another scope neither.
    let iam = Scope::new("us-east-1", "iam").unwrap();
    assert!(cache.kept(&creds, &day1, &iam, SigningKey::clone).is_none());
}

#[test]
fn the_oldest_key_leaves_first() {
    let cache = KeyCache::new(2);
    let creds = Credentials::new("AKID", "secret").unwrap();
    let scope = Scope::new("us-east-1", "s3").unwrap();
    let times = [
        "2013-05-24T00:00:00Z",
        "2013-05-25T00:00:00Z",
        "2013-05-26T00:00:00Z",
    ]
    .map(at);
    for t in times {
        let key = SigningKey::derive("secret", &t.amz_date(), &scope);
        cache.keep(Some((&creds, &scope)), day_of(t), &key);
    }
    let kept = |t: SigningTime| cache.kept(&creds, &t.amz_date(), &scope, SigningKey::clone);
    assert!(kept(times[0]).is_none());
    assert!(kept(times[1]).is_some());
    assert!(kept(times[2]).is_some());
}

#[test]
fn the_cache_is_shared_across_threads() {
    let cache = std::sync::Arc::new(KeyCache::new(2));
    let creds = Credentials::new("AKID", "s").unwrap();
    let scope = Scope::new("us-east-1", "s3").unwrap();
    let days: std::vec::Vec<_> = (0..4)
        .map(|d| SigningTime::from_unix_seconds(d * 86_400 + 3_600).unwrap())
        .collect();
    let expected: std::vec::Vec<_> = days
        .iter()
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
    let per_key = size_of::<CachedKey>() + "us-east-1/s3".len() + 20;
    assert!(per_key < 1024, "{per_key} bytes");
}

#[test]
fn constant_time_equality() {
    assert!(constant_time_eq(b"abc", b"abc"));
    assert!(!constant_time_eq(b"abc", b"abd"));
    assert!(!constant_time_eq(b"abc", b"ab"));
}

#[test]
fn the_documentation_signing_key() {
    // AWS's "Deriving the signing key" example (the retired General Reference).
    let chain = KeyChain::derive(
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "20150830",
        "us-east-1",
        "iam",
    );
    assert_eq!(
        crate::encoding::hex32(&chain.k_signing[..]),
        *b"c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
    );
}

proptest! {
    #[test]
    fn a_key_in_parts_is_the_joined_key_at_any_length(
        a in prop::collection::vec(any::<u8>(), 0..100),
        b in prop::collection::vec(any::<u8>(), 0..100),
        message in prop::collection::vec(any::<u8>(), 0..100),
    ) {
        let joined: std::vec::Vec<u8> = a.iter().chain(&b).copied().collect();
        let mut reference = <HmacSha256 as KeyInit>::new_from_slice(&joined).unwrap();
        reference.update(&message);
        let mut ours = keyed(&[&a, &b]);
        ours.update(&message);
        prop_assert_eq!(ours.finalize().into_bytes(), reference.finalize().into_bytes());
    }
}

#[test]
fn a_cache_of_no_keys_keeps_none_and_still_signs() {
    let cache = KeyCache::new(0);
    let creds = Credentials::new("AKID", "secret").unwrap();
    let scope = Scope::new("us-east-1", "s3").unwrap();
    let today = day("2013-05-24T00:00:00Z");
    let fresh = fingerprint(&SigningKey::derive("secret", &today, &scope), &scope);
    assert_eq!(
        fingerprint(
            &cache.with_own_key(
                &creds,
                at("2013-05-24T00:00:00Z"),
                &scope,
                SigningKey::clone
            ),
            &scope
        ),
        fresh
    );
    assert!(cache
        .kept(&creds, &today, &scope, SigningKey::clone)
        .is_none());
}
