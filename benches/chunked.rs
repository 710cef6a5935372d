//! Chunked signing throughput against plain SHA-256 of the same bytes, in
//! the same run: `cargo bench --bench chunked --features chunked`. The issue
//! asks for at least 0.9 × SHA-256's MB/s.

// criterion_group! writes an undocumented `pub fn`.
#![allow(missing_docs)]

use awsig::chunked::ChunkSigner;
use awsig::{Credentials, Payload, Request, Signer, SigningTime, Streaming};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sha2::{Digest, Sha256};

const SIZE: usize = 8 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

fn chunked(c: &mut Criterion) {
    let data = vec![0x61u8; SIZE];
    let signer = Signer::new(
        Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    let time = SigningTime::parse("2013-05-24T00:00:00Z").unwrap();
    let seed = signer
        .authorize(
            &Request::new("PUT", "s3.amazonaws.com", "/b/k")
                .with_payload(Payload::Streaming(Streaming::SignedChunks)),
            time,
        )
        .unwrap();
    let mut g = c.benchmark_group("chunked-8MiB");
    g.throughput(Throughput::Bytes(SIZE as u64)).sample_size(20);
    g.bench_function("sha256", |b| b.iter(|| Sha256::digest(black_box(&data))));
    g.bench_function("sign-64KiB-chunks", |b| {
        b.iter(|| {
            let mut chunks = ChunkSigner::new(&signer, seed.values()).unwrap();
            let mut last = String::new();
            for piece in black_box(&data).chunks(CHUNK) {
                last = chunks.sign_chunk(piece);
            }
            last
        })
    });
    g.bench_function("frame-64KiB-chunks", |b| {
        let mut body = Vec::with_capacity(SIZE + SIZE / CHUNK * 100 + 100);
        b.iter(|| {
            body.clear();
            let mut chunks = ChunkSigner::new(&signer, seed.values()).unwrap();
            for piece in black_box(&data).chunks(CHUNK) {
                chunks.write_chunk(piece, &mut body);
            }
            chunks.write_final_chunk(&mut body);
            body.len()
        })
    });
    g.finish();
    #[cfg(feature = "sigv4a")]
    ecdsa(&data, c);
}

/// SigV4a's ECDSA modes: each chunk an ECDSA signature besides its hash, so
/// 64 KiB chunks cost their SHA-256 and one P-256 signature each.
#[cfg(feature = "sigv4a")]
fn ecdsa(data: &[u8], c: &mut Criterion) {
    use awsig::sigv4a::RegionSet;
    let set = RegionSet::parse("us-east-1").unwrap();
    let creds = Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .unwrap();
    let signer = Signer::new_sigv4a(creds, &set, "s3").unwrap();
    let time = SigningTime::parse("2013-05-24T00:00:00Z").unwrap();
    let mode = Streaming::EcdsaSignedChunks;
    let seed = signer
        .authorize(
            &Request::new("PUT", "s3.amazonaws.com", "/b/k").with_payload(Payload::Streaming(mode)),
            time,
        )
        .unwrap();
    let mut g = c.benchmark_group("chunked-8MiB-sigv4a");
    g.throughput(Throughput::Bytes(SIZE as u64)).sample_size(10);
    g.bench_function("sha256", |b| b.iter(|| Sha256::digest(black_box(data))));
    g.bench_function("sign-64KiB-chunks-ecdsa", |b| {
        b.iter(|| {
            let mut chunks = ChunkSigner::new(&signer, seed.values()).unwrap();
            let mut last = String::new();
            for piece in black_box(data).chunks(CHUNK) {
                last = chunks.sign_chunk(piece);
            }
            last
        })
    });
    g.finish();
}

criterion_group!(benches, chunked);
criterion_main!(benches);
