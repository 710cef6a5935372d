//! SigV4a beside SigV4, in one run. Run: `cargo bench --bench sigv4a --features sigv4a`.
//!
//! * `sigv4a/v4-presign`, `sigv4a/v4a-presign`: the same GET presigned for
//!   S3 with SigV4 (the day's key cached) and with SigV4a (the ECDSA key
//!   derived once, when the signer was made): the difference is one P-256
//!   signature against one HMAC.
//! * `sigv4a/v4-verify`, `sigv4a/v4a-verify`: verifying each URL (the
//!   verifier's keys kept from the first call).
//! * `sigv4a/key-derivation`: deriving the ECDSA key and its public key
//!   from the credentials, what a signer does once.
//! * `sigv4a/p256-sign`, `sigv4a/p256-verify`: the floor, one ECDSA
//!   signature and one verification of a 128-byte message straight on
//!   `p256` 0.14 (the size of a string to sign), the version the library
//!   signs with, with its precomputed base-point tables.
//! * `sigv4a/p256-013-sign`, `sigv4a/p256-013-verify`: the old floor, the
//!   same on `p256` 0.13, which has no such tables.
//!
//! Compare figures only within one run (the machine is shared).

// criterion_group! writes an undocumented `pub fn`.
#![allow(missing_docs)]

use awsig::sigv4a::{EcdsaKey, RegionSet};
use awsig::verify::Verifier;
use awsig::{Credentials, Request, Signer, SigningTime};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::time::Duration;

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap()
}

fn sigv4a(c: &mut Criterion) {
    let mut g = c.benchmark_group("sigv4a");
    let at = SigningTime::from_unix_seconds(1_700_000_000).unwrap();
    let req = Request::new(
        "GET",
        "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com",
        "/",
    )
    .with_object_key("photos/cat.jpg");
    let v4 = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let v4a = Signer::new_sigv4a(creds(), &RegionSet::parse("*").unwrap(), "s3").unwrap();
    g.bench_function("v4-presign", |b| {
        b.iter(|| v4.presign(black_box(&req), black_box(at), 3600).unwrap())
    });
    g.bench_function("v4a-presign", |b| {
        b.iter(|| v4a.presign(black_box(&req), black_box(at), 3600).unwrap())
    });
    let verifier = Verifier::new(|_: &str| Some(creds())).accept("us-east-1", "s3");
    for (name, signer) in [("v4-verify", &v4), ("v4a-verify", &v4a)] {
        let url = signer.presign(&req, at, 3600).unwrap().into_string();
        assert!(verifier
            .verify_presigned("GET", &url, &[], None, at)
            .is_ok());
        g.bench_function(name, |b| {
            b.iter(|| {
                verifier
                    .verify_presigned("GET", black_box(&url), &[], None, at)
                    .unwrap()
            })
        });
    }
    let credentials = creds();
    g.bench_function("key-derivation", |b| {
        b.iter(|| EcdsaKey::derive(black_box(&credentials)).unwrap())
    });
    {
        use p256::ecdsa::signature::{Signer as _, Verifier as _};
        let scalar = EcdsaKey::derive(&credentials).unwrap().private_scalar();
        let key = p256::ecdsa::SigningKey::from_slice(&scalar[..]).unwrap();
        let message = [b'x'; 128];
        g.bench_function("p256-sign", |b| {
            b.iter(|| -> p256::ecdsa::Signature { key.sign(black_box(&message)) })
        });
        let signature: p256::ecdsa::Signature = key.sign(&message);
        let public = *key.verifying_key();
        g.bench_function("p256-verify", |b| {
            b.iter(|| public.verify(black_box(&message), &signature).unwrap())
        });
    }
    {
        use p256_013::ecdsa::signature::{Signer as _, Verifier as _};
        let scalar = EcdsaKey::derive(&credentials).unwrap().private_scalar();
        let key = p256_013::ecdsa::SigningKey::from_slice(&scalar[..]).unwrap();
        let message = [b'x'; 128];
        g.bench_function("p256-013-sign", |b| {
            b.iter(|| -> p256_013::ecdsa::Signature { key.sign(black_box(&message)) })
        });
        let signature: p256_013::ecdsa::Signature = key.sign(&message);
        let public = *key.verifying_key();
        g.bench_function("p256-013-verify", |b| {
            b.iter(|| public.verify(black_box(&message), &signature).unwrap())
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = sigv4a
}
criterion_main!(benches);
