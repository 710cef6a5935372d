//! Criterion benchmarks of the signing path. Run: `cargo bench --bench sign`.
//!
//! * `presign/cached`: an S3 GET presigned with the day's key already derived.
//! * `presign/cold`: the same, deriving the signing key in the call.
//! * `s3express/*`: a directory bucket's URL in session and IAM mode,
//!   beside SHA-256 of what its signature hashes.
//! * `authorize/into-buffer`: header signing into a reused buffer.
//! * `verify/presigned`: verifying the URL of `presign/cached`.
//! * `key-length/N`: presign with an N-byte object key (16 B to 1 KiB).
//! * `signed-headers/N`: presign with N signed headers besides host (0 to 16).
//! * `hostile/verify-headers/N`: refusing a URL that signs N header names
//!   while N headers are sent (the cost must grow as N log N, not N²).
//! * `hostile/explain-ampersands/N`: reading an S3 error body of N `&` bytes
//!   (linear).
//! * `hex/hex-crate` and `hex/pair-table`: a digest written as 64 hex
//!   digits by `hex::encode_to_slice` and by `awsig::encoding::hex32` (one
//!   table load per byte), the reason the signing path writes its own.
//!
//! Cost should grow with SHA-256 blocks and nothing else; compare figures
//! only within one run (the machine is shared).

// criterion_group! writes an undocumented `pub fn`.
#![allow(missing_docs)]

use awsig::s3::{S3Presigner, S3Request};
use awsig::verify::Verifier;
use awsig::{Credentials, Payload, Request, Signer, SigningTime};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;

fn creds() -> Credentials {
    Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .unwrap()
}

/// 2013-05-24T00:00:00Z, from its Unix seconds: benches that call it per
/// iteration time signing, not parsing.
fn time() -> SigningTime {
    SigningTime::from_unix_seconds(1_369_353_600).unwrap()
}

fn presign(c: &mut Criterion) {
    let mut g = c.benchmark_group("presign");
    let s3 = S3Presigner::new(creds(), "us-east-1").unwrap();
    let req = S3Request::get("examplebucket", "test.txt").expires_in(86_400);
    assert!(s3
        .presign(&req, time())
        .unwrap()
        .as_str()
        .ends_with("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
    let at = time();
    g.bench_function("cached", |b| {
        b.iter(|| s3.presign(black_box(&req), black_box(at)).unwrap())
    });
    let credentials = creds();
    g.bench_function("cold", |b| {
        b.iter(|| {
            let s3 = S3Presigner::new(credentials.clone(), "us-east-1").unwrap();
            s3.presign(black_box(&req), black_box(at)).unwrap()
        })
    });
    g.finish();
}

/// S3 Express One Zone: a directory bucket's URL in session mode (the
/// session's key cached) and in IAM mode (a signer made per call, as the
/// presigner does without a session), beside SHA-256 of the bytes a
/// signature hashes (its canonical request and string to sign).
fn s3express(c: &mut Criterion) {
    use sha2::{Digest, Sha256};
    let mut g = c.benchmark_group("s3express");
    let session = creds().with_session_token("EXAMPLESESSIONTOKEN").unwrap();
    let s3 = S3Presigner::new(session.clone(), "us-east-1")
        .unwrap()
        .with_s3express_session(session)
        .unwrap();
    let req = S3Request::get("mybucket--use1-az4--x-s3", "obj.txt");
    assert!(s3
        .presign(&req, time())
        .unwrap()
        .as_str()
        .ends_with("52b64d4fafa7ea863cc1e165f0bf83941a01ceaf407b60bbad65ccc101e818b5"));
    let at = time();
    let canonical = s3.canonical_request(&req, at).unwrap();
    let hashed = format!(
        "{canonical}AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3express/aws4_request\n{}",
        "0".repeat(64)
    );
    g.bench_function("sha256-of-what-is-signed", |b| {
        b.iter(|| Sha256::digest(black_box(hashed.as_bytes())))
    });
    g.bench_function("presign-session", |b| {
        b.iter(|| s3.presign(black_box(&req), black_box(at)).unwrap())
    });
    let iam = S3Presigner::new(creds(), "us-east-1").unwrap();
    g.bench_function("presign-iam", |b| {
        b.iter(|| iam.presign(black_box(&req), black_box(at)).unwrap())
    });
    g.finish();
}

fn authorize(c: &mut Criterion) {
    let mut g = c.benchmark_group("authorize");
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let headers = [("range", "bytes=0-9")];
    let req = Request::new("GET", "examplebucket.s3.amazonaws.com", "/test.txt")
        .with_headers(&headers)
        .with_payload(Payload::Empty);
    let mut out = String::with_capacity(512);
    g.bench_function("into-buffer", |b| {
        b.iter(|| {
            out.clear();
            signer
                .authorize_into(black_box(&req), black_box(time()), &mut out)
                .unwrap()
                .signature()
                .len()
        })
    });
    g.finish();
}

fn verify(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify");
    let s3 = S3Presigner::new(creds(), "us-east-1").unwrap();
    let url = s3
        .presign(
            &S3Request::get("examplebucket", "test.txt").expires_in(86_400),
            time(),
        )
        .unwrap()
        .into_string();
    // A server keeps its credentials shared, not rebuilt per request.
    let known = std::sync::Arc::new(creds());
    let verifier = Verifier::new(move |id: &str| {
        (id == "AKIAIOSFODNN7EXAMPLE").then(|| std::sync::Arc::clone(&known))
    })
    .accept("us-east-1", "s3");
    let now = SigningTime::parse("2013-05-24T12:00:00Z").unwrap();
    verifier
        .verify_presigned("GET", &url, &[], None, now)
        .unwrap();
    g.bench_function("presigned", |b| {
        b.iter(|| {
            verifier
                .verify_presigned("GET", black_box(&url), &[], None, black_box(now))
                .unwrap()
        })
    });
    g.finish();
}

fn key_length(c: &mut Criterion) {
    let mut g = c.benchmark_group("key-length");
    let s3 = S3Presigner::new(creds(), "us-east-1").unwrap();
    for len in [16usize, 64, 256, 1024] {
        let key: String = "abcdefghij/klmnopqrstuvwxyz-0123456789"
            .chars()
            .cycle()
            .take(len)
            .collect();
        g.throughput(Throughput::Bytes(len as u64));
        g.bench_with_input(BenchmarkId::from_parameter(len), &key, |b, key| {
            let req = S3Request::get("examplebucket", key);
            b.iter(|| s3.presign(black_box(&req), black_box(time())).unwrap())
        });
    }
    g.finish();
}

fn signed_headers(c: &mut Criterion) {
    let mut g = c.benchmark_group("signed-headers");
    let s3 = S3Presigner::new(creds(), "us-east-1").unwrap();
    let names: Vec<String> = (0..16).map(|i| format!("x-amz-meta-field{i:02}")).collect();
    for n in [0usize, 1, 4, 16] {
        let headers: Vec<(&str, &str)> = names[..n]
            .iter()
            .map(|h| (h.as_str(), "value-of-header"))
            .collect();
        g.bench_with_input(BenchmarkId::from_parameter(n), &headers, |b, headers| {
            let req = S3Request::put("examplebucket", "test.txt").with_headers(headers);
            b.iter(|| s3.presign(black_box(&req), black_box(time())).unwrap())
        });
    }
    g.finish();
}

fn hostile(c: &mut Criterion) {
    let mut g = c.benchmark_group("hostile");
    g.sample_size(10);
    let url = S3Presigner::new(creds(), "us-east-1")
        .unwrap()
        .presign(&S3Request::get("examplebucket", "test.txt"), time())
        .unwrap()
        .into_string();
    let verifier = Verifier::new(|_: &str| Some(creds())).accept("us-east-1", "s3");
    for n in [1_000usize, 10_000] {
        let names: Vec<String> = (0..n).map(|i| format!("x-h{i:05}")).collect();
        let mut signed: Vec<&str> = names.iter().map(String::as_str).collect();
        signed.push("host");
        signed.sort_unstable();
        let hostile = url.replace(
            "X-Amz-SignedHeaders=host",
            &format!("X-Amz-SignedHeaders={}", signed.join("%3B")),
        );
        // One header left out, so that the verifier refuses before hashing.
        let sent: Vec<(&str, &str)> = names[1..].iter().map(|h| (h.as_str(), "v")).collect();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("verify-headers", n), &sent, |b, sent| {
            b.iter(|| {
                verifier
                    .verify_presigned("GET", black_box(&hostile), sent, None, time())
                    .unwrap_err()
            })
        });
    }
    for n in [64 * 1024usize, 256 * 1024] {
        let body = format!(
            "<Error><CanonicalRequest>{}</CanonicalRequest></Error>",
            "&".repeat(n)
        );
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_with_input(
            BenchmarkId::new("explain-ampersands", n),
            &body,
            |b, body| b.iter(|| awsig::explain::parse_s3_error(black_box(body))),
        );
    }
    g.finish();
}

fn hex_digits(c: &mut Criterion) {
    let mut g = c.benchmark_group("hex");
    let digest: [u8; 32] = core::array::from_fn(|i| (i as u8).wrapping_mul(73));
    let mut crate_out = [0u8; 64];
    hex::encode_to_slice(digest, &mut crate_out).unwrap();
    assert_eq!(crate_out, awsig::encoding::hex32(&digest));
    g.bench_function("hex-crate", |b| {
        b.iter(|| {
            let mut out = [0u8; 64];
            hex::encode_to_slice(black_box(&digest), &mut out).unwrap();
            out
        })
    });
    g.bench_function("pair-table", |b| {
        b.iter(|| awsig::encoding::hex32(black_box(&digest)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = presign, s3express, authorize, verify, key_length, signed_headers, hostile, hex_digits
}
criterion_main!(benches);
