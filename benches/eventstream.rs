//! Event-stream throughput against plain SHA-256 of the same bytes, in the
//! same run: `cargo bench --bench eventstream --features eventstream`.
//! Signing and framing a message costs its payload's SHA-256, its CRC-32s
//! and a fixed number of compressions; verifying, the same again.

// criterion_group! writes an undocumented `pub fn`.
#![allow(missing_docs)]

use awsig::eventstream::EventSigner;
use awsig::{verify::Verifier, Credentials, Payload, Request, Signer, SigningTime};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sha2::{Digest, Sha256};

const SIZE: usize = 1024 * 1024;

fn eventstream(c: &mut Criterion) {
    let data = vec![0x61u8; SIZE];
    let creds = Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .unwrap();
    let signer = Signer::new(creds.clone(), "us-east-1", "transcribe").unwrap();
    let time = SigningTime::parse("2013-05-24T00:00:00Z").unwrap();
    let request = Request::new(
        "POST",
        "transcribestreaming.us-east-1.amazonaws.com",
        "/stream",
    )
    .with_payload(Payload::EventStream);
    let seed = signer.authorize(&request, time).unwrap();
    let headers: Vec<(&str, &str)> = seed.headers().collect();
    let verifier =
        Verifier::new(move |_: &str| Some(creds.clone())).accept("us-east-1", "transcribe");
    let url = "https://transcribestreaming.us-east-1.amazonaws.com/stream";

    // 3,200 bytes: 100 ms of 16 kHz 16-bit audio, Transcribe's usual event.
    for message in [3_200usize, 64 * 1024] {
        let mut g = c.benchmark_group(format!("eventstream-1MiB-in-{message}-byte-messages"));
        g.throughput(Throughput::Bytes(SIZE as u64)).sample_size(20);
        g.bench_function("sha256", |b| b.iter(|| Sha256::digest(black_box(&data))));
        let sign = |stream: &mut Vec<u8>| {
            stream.clear();
            let mut events = EventSigner::new(&signer, seed.signature()).unwrap();
            for piece in black_box(&data).chunks(message) {
                events.write_message(piece, time, stream).unwrap();
            }
            events.write_end(time, stream).unwrap();
            stream.len()
        };
        let mut stream = Vec::with_capacity(SIZE + SIZE / message * 100 + 200);
        sign(&mut stream);
        let signed = stream.clone();
        g.bench_function("sign-and-frame", |b| b.iter(|| sign(&mut stream)));
        g.bench_function("verify", |b| {
            b.iter(|| {
                let (_, mut events) = verifier
                    .verify_event_stream("POST", url, &headers, time)
                    .unwrap();
                let mut n = 0;
                events
                    .feed(black_box(&signed), time, |p| n += p.len())
                    .unwrap();
                events.finish().unwrap();
                n
            })
        });
        g.finish();
    }
}

criterion_group!(benches, eventstream);
criterion_main!(benches);
