//! URLs per second on one core over one million presigns with distinct keys.
//! Run: `cargo bench --bench throughput`.

// criterion_group! writes an undocumented `pub fn`.
#![allow(missing_docs)]

use awsig::s3::{S3Presigner, S3Request};
use awsig::{Credentials, SigningTime};
use std::fmt::Write;
use std::time::Instant;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run a short check then.
    let full = std::env::args().any(|a| a == "--bench");
    let count: usize = if full { 1_000_000 } else { 10_000 };
    let creds = Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .unwrap();
    let s3 = S3Presigner::new(creds, "us-east-1").unwrap();
    let time = SigningTime::parse("2013-05-24T00:00:00Z").unwrap();
    let mut key = String::with_capacity(64);
    let mut total_len = 0usize;
    let start = Instant::now();
    for i in 0..count {
        key.clear();
        let _ = write!(key, "media/{:02}/{i:08}.mp4", i % 97);
        let url = s3
            .presign(&S3Request::get("examplebucket", &key), time)
            .unwrap();
        total_len += url.as_str().len();
    }
    let elapsed = start.elapsed();
    let per_second = count as f64 / elapsed.as_secs_f64();
    println!(
        "throughput: {count} presigns with distinct keys in {:.3} s on one core: {:.0} URLs/s ({:.0} ns each; {} bytes of URL)",
        elapsed.as_secs_f64(),
        per_second,
        elapsed.as_nanos() as f64 / count as f64,
        total_len
    );
}
