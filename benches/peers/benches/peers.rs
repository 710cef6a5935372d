//! One criterion group, `presign-s3-get`: the same presigned S3 GET URL from
//! `sigv4` (cached key and cold), `aws-sigv4` and `rusty-s3`, next to one
//! SHA-256 compression (the floor unit) and a minimal hand-written
//! hmac+sha2 presign (the yardstick: what is left when every check is cut).
//! Every implementation's `X-Amz-Signature` is checked against the AWS
//! example before measuring.

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use sha2::digest::generic_array::GenericArray;
use sigv4_peer_bench::{aws, minimal, ours, rusty, verify_all, EXPECTED_SIGNATURE};

fn presign_s3_get(c: &mut Criterion) {
    // Fail loudly before any measurement if a signature differs.
    for (name, url) in verify_all() {
        eprintln!("{name:>13}: {url}");
    }
    eprintln!("all five sign with X-Amz-Signature={EXPECTED_SIGNATURE}");

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
        let block = GenericArray::from([0x5au8; 64]);
        b.iter(|| {
            sha2::compress256(
                black_box(&mut state),
                black_box(std::slice::from_ref(&block)),
            );
        });
        black_box(state);
    });

    let presigner = ours::presigner();
    let time = ours::time();
    group.bench_function("sigv4-cached", |b| {
        b.iter(|| ours::presign_cached(black_box(&presigner), black_box(time)))
    });

    let credentials = ours::credentials();
    group.bench_function("sigv4-cold", |b| {
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

    let reference = minimal::presigner("20130524");
    group.bench_function("hmac-sha2-minimal", |b| {
        b.iter(|| minimal::presign(black_box(&reference), black_box("20130524T000000Z")))
    });

    group.finish();
}

criterion_group!(benches, presign_s3_get);
criterion_main!(benches);
