//! Verifying arbitrary aws-chunked bodies never panics: each mode's body,
//! altered and fed in arbitrary pieces. In the signed modes nothing but
//! the data is released; in every mode a body that finishes is the data.
#![no_main]

use arbitrary::Arbitrary;
use awsig::chunked::{encoded_length, seed_headers, Checksum, ChunkSigner, ChunkedBody};
use awsig::sigv4a::RegionSet;
use awsig::verify::Verifier;
use awsig::{Algorithm, Credentials, Payload, Request, Signer, SigningTime, Streaming};
use libfuzzer_sys::fuzz_target;
use std::io::Read;

#[derive(Debug, Arbitrary)]
struct Input {
    mode: u8,
    data_len: u16,
    seed_byte: u8,
    chunk: u16,
    flips: Vec<(u32, u8)>,
    splice: Vec<u8>,
    pieces: Vec<u16>,
}

fuzz_target!(|input: Input| {
    // Every mode, the ECDSA ones signed by a SigV4a signer.
    let mode = Streaming::ALL[usize::from(input.mode) % Streaming::ALL.len()];
    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
    let signer = match mode.algorithm() {
        Some(Algorithm::EcdsaP256Sha256) => {
            let set = RegionSet::parse("us-east-1").unwrap();
            Signer::new_sigv4a(creds.clone(), &set, "s3").unwrap()
        }
        _ => Signer::new(creds.clone(), "us-east-1", "s3").unwrap(),
    };
    let at = SigningTime::from_unix_seconds(1_700_000_000).unwrap();
    let data: Vec<u8> = (0..usize::from(input.data_len))
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(input.seed_byte))
        .collect();
    let chunk = usize::from(input.chunk).max(8_192);
    let trailer_name = mode.has_trailer().then_some("x-amz-checksum-sha256");
    let lengths: Vec<(&str, usize)> = trailer_name
        .iter()
        .map(|n| (*n, Checksum::Sha256.value_len()))
        .collect();
    let length = encoded_length(mode, data.len() as u64, chunk as u64, &lengths).expect("fits");
    let mut headers = seed_headers(mode, data.len() as u64, trailer_name);
    headers.push(("content-length".into(), length.to_string()));
    let borrowed: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let seed = Request::new("PUT", "b.s3.amazonaws.com", "/k")
        .with_headers(&borrowed)
        .with_payload(Payload::Streaming(mode));
    let signed = signer.authorize(&seed, at).unwrap();
    // Each mode's body, as its clients send it.
    let chunks =
        (mode.algorithm().is_some()).then(|| ChunkSigner::new(&signer, signed.values()).unwrap());
    let mut body = Vec::new();
    ChunkedBody::new(&data[..], mode, chunks, chunk, Checksum::Sha256)
        .read_to_end(&mut body)
        .unwrap();
    assert_eq!(body.len() as u64, length);
    let len = body.len().max(1);
    for (at_byte, xor) in &input.flips {
        if let Some(b) = body.get_mut(*at_byte as usize % len) {
            *b ^= xor;
        }
    }
    body.extend_from_slice(&input.splice);
    let mut sent = headers.clone();
    for (name, value) in signed.headers() {
        sent.push((name.to_string(), value.to_string()));
    }
    let sent: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept("us-east-1", "s3");
    let Ok((_, mut verify)) =
        verifier.verify_streaming("PUT", "https://b.s3.amazonaws.com/k", &sent, at)
    else {
        return;
    };
    let mut out = Vec::new();
    let mut rest = &body[..];
    for piece in input.pieces.iter().chain(std::iter::repeat(&u16::MAX)) {
        if rest.is_empty() {
            break;
        }
        let take = usize::from(*piece).clamp(1, rest.len());
        if verify.feed(&rest[..take], &mut out).is_err() {
            break;
        }
        rest = &rest[take..];
    }
    // In the signed modes whatever was released is a prefix of the data:
    // nothing altered gets through (the framing may be, which changes no
    // data). Unsigned data streams through, vouched for only at finish(),
    // so in every mode a body that finishes is the data.
    if mode.algorithm().is_some() {
        assert!(
            data.starts_with(&out),
            "released bytes that were not the data"
        );
    }
    if verify.finish().is_ok() {
        assert_eq!(out, data, "a body that finished is not the data");
    }
});
