//! One criterion group, `presign-s3-get`: the same presigned S3 GET URL from
//! `awsig` (cached key and cold), `aws-sigv4` and `rusty-s3`, next to one
//! SHA-256 compression (the floor unit) and two tight hand-written presigns
//! (the references: the per-call work of a real presign and nothing else),
//! one on the `hmac`/`sha2` crates and one on raw `compress256` midstates.
//! Every implementation's URL is checked against the AWS example before
//! measuring.

use std::time::Duration;

use awsig_peer_bench::{
    aws, ours, rusty, tight, verify_all, BUCKET, EXPECTED_SIGNATURE, EXPIRES_IN, KEY,
};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn presign_s3_get(c: &mut Criterion) {
    // Fail loudly before any measurement if a signature differs.
    for (name, url) in verify_all() {
        eprintln!("{name:>15}: {url}");
    }
    eprintln!("all seven write that URL, X-Amz-Signature={EXPECTED_SIGNATURE}");

    let mut group = c.benchmark_group("presign-s3-get");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));

    // The floor unit: one SHA-256 compression of one 64-byte block.
    group.bench_function("sha256-compress", |b| {
        let mut state: [u32; 8] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
            0x5be0cd19,
        ];
        let block = [0x5au8; 64];
        b.iter(|| {
            sha2::block_api::compress256(
                black_box(&mut state),
                black_box(std::slice::from_ref(&block)),
            );
        });
        black_box(state);
    });

    let presigner = ours::presigner();
    let time = ours::time();
    group.bench_function("awsig-cached", |b| {
        b.iter(|| ours::presign_cached(black_box(&presigner), black_box(time)))
    });

    let credentials = ours::credentials();
    group.bench_function("awsig-cold", |b| {
        b.iter(|| ours::presign_cold(black_box(&credentials), black_box(time)))
    });

    let identity = aws::identity();
    let aws_time = aws::time();
    group.bench_function("aws-sigv4", |b| {
        b.iter(|| aws::presign(black_box(&identity), black_box(aws_time)))
    });

    let bucket = rusty::bucket();
    let rusty_credentials = rusty::credentials();
    let rusty_time = rusty::time();
    group.bench_function("rusty-s3", |b| {
        b.iter(|| {
            rusty::presign(
                black_box(&bucket),
                black_box(&rusty_credentials),
                black_box(&rusty_time),
            )
        })
    });

    let tight_hmac = tight::hmac_sha2::presigner(&tight::TIME);
    group.bench_function("tight-hmac-sha2", |b| {
        b.iter(|| {
            tight::hmac_sha2::presign(
                black_box(&tight_hmac),
                black_box(BUCKET),
                black_box(KEY),
                black_box(EXPIRES_IN),
                black_box(&tight::TIME),
            )
        })
    });

    group.bench_function("tight-cold", |b| {
        b.iter(|| {
            let presigner = tight::hmac_sha2::presigner_cold(black_box(&tight::TIME));
            tight::hmac_sha2::presign(
                black_box(&presigner),
                black_box(BUCKET),
                black_box(KEY),
                black_box(EXPIRES_IN),
                black_box(&tight::TIME),
            )
        })
    });

    // Verification of the URL every line writes, five minutes after signing.
    let url = ours::presign_cached(&presigner, time).into_string();
    let verifier = ours::verifier();
    let now = ours::verify_time();
    group.bench_function("awsig-verify", |b| {
        b.iter(|| {
            verifier
                .verify_presigned("GET", black_box(&url), &[], None, black_box(now))
                .expect("verifies")
        })
    });
    let now_unix = now.unix_seconds();
    group.bench_function("tight-verify", |b| {
        b.iter(|| {
            assert!(tight::hmac_sha2::verify_presigned(
                black_box(&tight_hmac),
                black_box(&url),
                black_box(now_unix)
            ))
        })
    });

    let checked = tight::checked::verifier(&tight::TIME);
    group.bench_function("tight-verify-checked", |b| {
        b.iter(|| {
            tight::checked::verify_presigned_checked(
                black_box(&checked),
                black_box(&url),
                &[],
                black_box(now_unix),
            )
            .expect("verifies")
        })
    });

    let tight_midstate = tight::midstate::presigner(&tight::TIME);
    group.bench_function("tight-midstate", |b| {
        b.iter(|| {
            tight::midstate::presign(
                black_box(&tight_midstate),
                black_box(BUCKET),
                black_box(KEY),
                black_box(EXPIRES_IN),
                black_box(&tight::TIME),
            )
        })
    });

    group.finish();
}

criterion_group!(benches, presign_s3_get);
criterion_main!(benches);
