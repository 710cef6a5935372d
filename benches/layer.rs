//! The tower layer's cost, in one run: `cargo bench --bench layer --features tower`.
//!
//! * `layer-request/verifier` verifies a presigned GET by calling the
//!   verifier; `layer-request/layer` sends the same request through
//!   `VerifyLayer` to a service that answers at once (the future polled
//!   once, no runtime): the layer's overhead is the ratio. The run first
//!   prints that ratio measured interleaved (the median of 200 rounds),
//!   over `verify_presigned` and over `verify_http`.
//! * `layer-chunked-64MiB/sha256` hashes 64 MiB; `…/verify-stream` streams
//!   an aws-chunked body of the same data (64 KiB chunks, in 64 KiB
//!   pieces) through the layer's verified body to its end.

// criterion_group! writes an undocumented `pub fn`.
#![allow(missing_docs)]

use awsig::chunked::{encoded_length, seed_headers, ChunkSigner};
use awsig::layer::VerifyLayer;
use awsig::s3::{Endpoint, S3Presigner, S3Request};
use awsig::verify::Verifier;
use awsig::{Credentials, Payload, Request, Scheme, Signer, SigningTime, Streaming};
use bytes::Bytes;
use criterion::{black_box, criterion_group, BatchSize, Criterion, Throughput};
use http_body::{Body, Frame};
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use tower::{Layer, Service};

const HOST: &str = "127.0.0.1:9000";

/// A body of the given pieces, each handed out as it is asked for.
struct Pieces(VecDeque<Bytes>);

impl Body for Pieces {
    type Data = Bytes;
    type Error = std::convert::Infallible;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(self.0.pop_front().map(|b| Ok(Frame::data(b))))
    }
}

/// Polls a future that never waits (nothing here does I/O) to its end.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap()
}

/// The credential lookup of both verifiers: one key pair.
type Lookup = fn(&str) -> Option<Credentials>;

/// What both request measurements share: the time, a verifier, a layer
/// over another with the same lookup, and a presigned GET with its path.
struct Setup {
    at: SigningTime,
    direct: Verifier<Lookup>,
    through: VerifyLayer<Lookup>,
    url: String,
    path: String,
}

fn setup() -> Setup {
    let at = SigningTime::parse("2026-12-07T12:00:00Z").unwrap();
    let lookup: Lookup = |_| Some(creds());
    let url = S3Presigner::new(creds(), "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::parse(&format!("http://{HOST}")).unwrap())
        .presign(&S3Request::get("bucket", "photos/cat.jpg"), at)
        .unwrap();
    let url = url.as_str().to_string();
    Setup {
        at,
        direct: Verifier::new(lookup).accept("us-east-1", "s3"),
        through: VerifyLayer::new(Verifier::new(lookup).accept("us-east-1", "s3"))
            .with_clock(move || at)
            .with_scheme(Scheme::Http),
        path: url[format!("http://{HOST}").len()..].to_string(),
        url,
    }
}

/// A service that answers at once.
fn answer() -> impl Service<
    http::Request<awsig::layer::VerifyingBody<Pieces>>,
    Response = http::Response<String>,
    Error = std::convert::Infallible,
    Future = impl Future<Output = Result<http::Response<String>, std::convert::Infallible>>,
> + Clone {
    tower::service_fn(|_req: http::Request<_>| async {
        Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
    })
}

/// The presigned GET as a server receives it: origin-form, with `Host`.
fn get(path: &str) -> http::Request<Pieces> {
    http::Request::get(path)
        .header("host", HOST)
        .body(Pieces(VecDeque::new()))
        .unwrap()
}

fn layer(c: &mut Criterion) {
    let Setup {
        at,
        direct,
        through,
        url,
        path,
    } = setup();
    let mut service = through.clone().layer(answer());
    let request = || get(&path);
    assert_eq!(ready(service.call(request())).unwrap().status(), 200);

    let mut g = c.benchmark_group("layer-request");
    g.bench_function("verifier", |b| {
        b.iter(|| {
            direct
                .verify_presigned("GET", black_box(&url), &[("host", HOST)], None, at)
                .unwrap()
        })
    });
    // The verifier called on the request as a server holds it: the URL and
    // headers read from it, as the layer reads them; the request and its
    // claims dropped when done, as the layer's handler drops them (and as
    // `iter` drops the claims above).
    g.bench_function("verify-http", |b| {
        b.iter_batched(
            request,
            |req| {
                let verified = direct.verify_http(&req, None, at).unwrap();
                drop(black_box((verified, req)));
            },
            BatchSize::SmallInput,
        )
    });
    // The request is built outside the timing, as a server receives it.
    g.bench_function("layer", |b| {
        b.iter_batched(
            request,
            |req| ready(service.call(req)).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.finish();

    // 64 MiB through the verified body, beside SHA-256 of the same bytes.
    const SIZE: usize = 64 * 1024 * 1024;
    const CHUNK: usize = 64 * 1024;
    let data = vec![0x61u8; SIZE];
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let mode = Streaming::SignedChunks;
    let length = encoded_length(mode, SIZE as u64, CHUNK as u64, &[])
        .unwrap()
        .to_string();
    let mut headers = seed_headers(mode, SIZE as u64, None);
    headers.push(("content-length".into(), length));
    let borrowed: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let seed = Request::new("PUT", HOST, "/bucket/big")
        .with_scheme(Scheme::Http)
        .with_headers(&borrowed)
        .with_payload(Payload::Streaming(mode));
    let signed = signer.authorize(&seed, at).unwrap();
    let mut chunks = ChunkSigner::new(&signer, signed.values()).unwrap();
    let mut framed = Vec::with_capacity(SIZE + SIZE / CHUNK * 100 + 100);
    for piece in data.chunks(CHUNK) {
        chunks.write_chunk(piece, &mut framed);
    }
    chunks.write_final_chunk(&mut framed);
    let framed = Bytes::from(framed);
    let sent: Vec<(String, String)> = borrowed
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .chain(
            signed
                .headers()
                .map(|(n, v)| (n.to_string(), v.to_string())),
        )
        .collect();
    let drain = tower::service_fn(
        |req: http::Request<awsig::layer::VerifyingBody<Pieces>>| async move {
            let mut body = std::pin::pin!(req.into_body());
            let mut n = 0;
            let mut cx = Context::from_waker(Waker::noop());
            while let Poll::Ready(Some(frame)) = body.as_mut().poll_frame(&mut cx) {
                n += frame.unwrap().into_data().map_or(0, |d| d.len());
            }
            assert_eq!(n, SIZE);
            Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
        },
    );
    let mut streaming = through.layer(drain);
    let upload = || {
        let mut req = http::Request::put("/bucket/big").header("host", HOST);
        for (name, value) in &sent {
            req = req.header(name.as_str(), value.as_str());
        }
        let pieces = (0..framed.len())
            .step_by(CHUNK)
            .map(|at| framed.slice(at..(at + CHUNK).min(framed.len())))
            .collect();
        req.body(Pieces(pieces)).unwrap()
    };
    assert_eq!(ready(streaming.call(upload())).unwrap().status(), 200);
    let mut g = c.benchmark_group("layer-chunked-64MiB");
    g.throughput(Throughput::Bytes(SIZE as u64)).sample_size(10);
    g.bench_function("sha256", |b| b.iter(|| Sha256::digest(black_box(&data))));
    g.bench_function("verify-stream", |b| {
        b.iter_batched(
            upload,
            |req| ready(streaming.call(req)).unwrap(),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

/// The per-request ratios measured interleaved, as `benches/peers`' `ratios`
/// does: this machine is shared and noisy, and criterion times each line at
/// another moment. Each round builds 1,000 requests per line first, then
/// times the 1,000 calls of each line in turn (requests and claims dropped
/// inside the timing for all three); the medians of the per-round ratios
/// are printed.
fn interleaved_ratios() {
    use std::time::Instant;
    const ROUNDS: usize = 200;
    const CALLS: usize = 1_000;
    let Setup {
        at,
        direct,
        through,
        url,
        path,
    } = setup();
    let mut service = through.layer(answer());
    let request = || get(&path);
    let (mut over_verifier, mut over_http) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let time = |run: &mut dyn FnMut()| {
            let start = Instant::now();
            run();
            start.elapsed().as_secs_f64()
        };
        let verifier = time(&mut || {
            for _ in 0..CALLS {
                let verified = direct
                    .verify_presigned("GET", black_box(&url), &[("host", HOST)], None, at)
                    .unwrap();
                drop(black_box(verified));
            }
        });
        let mut requests: Vec<_> = (0..CALLS).map(|_| request()).collect();
        let http = time(&mut || {
            for req in requests.drain(..) {
                let verified = direct.verify_http(&req, None, at).unwrap();
                drop(black_box((verified, req)));
            }
        });
        let mut requests: Vec<_> = (0..CALLS).map(|_| request()).collect();
        let layer = time(&mut || {
            for req in requests.drain(..) {
                drop(black_box(ready(service.call(req)).unwrap()));
            }
        });
        over_verifier.push(layer / verifier);
        over_http.push(layer / http);
    }
    let median = |ratios: &mut Vec<f64>| {
        ratios.sort_by(f64::total_cmp);
        ratios[ratios.len() / 2]
    };
    println!(
        "layer-request interleaved ({ROUNDS} rounds of {CALLS}): layer / verify_presigned {:.2}, \
         layer / verify_http {:.2}",
        median(&mut over_verifier),
        median(&mut over_http)
    );
}

criterion_group!(benches, layer);

fn main() {
    // Only in a measuring run (`cargo bench`, not `--test` or `--list`)
    // whose filter, if any, takes in the request group.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let measuring =
        args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list" || a == "--test");
    let filter = args.iter().find(|a| !a.starts_with('-'));
    if measuring && filter.is_none_or(|f| "layer-request/layer".contains(f.as_str())) {
        interleaved_ratios();
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
