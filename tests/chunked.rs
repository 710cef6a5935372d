//! aws-chunked uploads: exact lengths for any size and chunking, and real
//! uploads to s3s-fs (which checks every chunk's signature) in the signed
//! and unsigned-trailer modes, a tampered chunk refused.
#![cfg(feature = "chunked")]

use proptest::prelude::*;
use sigv4::chunked::{
    encoded_length, seed_headers, write_unsigned_chunk, write_unsigned_final_chunk, ChunkSigner,
};
use sigv4::{Credentials, Payload, Request, Signer, SigningTime, Streaming};

fn time() -> SigningTime {
    SigningTime::try_from(std::time::SystemTime::now()).unwrap()
}

/// The whole body of `data` in chunks of `chunk`, in `mode`, with a
/// trailer in the trailer modes, and the seed's headers to send.
fn upload(
    signer: &Signer,
    host: &str,
    path: &str,
    mode: Streaming,
    data: &[u8],
    chunk: usize,
    at: SigningTime,
) -> (Vec<(String, String)>, Vec<u8>) {
    // The trailer carries the data's SHA-256, base64, as S3 checks it.
    use base64::Engine;
    let checksum = base64::engine::general_purpose::STANDARD
        .encode(<sha2::Sha256 as sha2::Digest>::digest(data));
    let trailer = [("x-amz-checksum-sha256", checksum.as_str())];
    let trailer_name = (mode != Streaming::SignedChunks).then_some(trailer[0].0);
    let lengths: Vec<(&str, usize)> = match trailer_name {
        Some(_) => trailer.iter().map(|(n, v)| (*n, v.len())).collect(),
        None => Vec::new(),
    };
    let length = encoded_length(mode, data.len() as u64, chunk as u64, &lengths);
    let mut headers = seed_headers(mode, data.len() as u64, trailer_name);
    headers.push(("content-length".into(), length.to_string()));
    let borrowed: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let seed = Request::new("PUT", host, path)
        .with_scheme(sigv4::Scheme::Http)
        .with_headers(&borrowed)
        .with_payload(Payload::Streaming(mode));
    let signed = signer.authorize(&seed, at).unwrap();
    let mut body = Vec::new();
    match mode {
        Streaming::UnsignedWithTrailer => {
            for piece in data.chunks(chunk) {
                write_unsigned_chunk(piece, &mut body);
            }
            write_unsigned_final_chunk(&trailer, &mut body);
        }
        _ => {
            let mut chunks = ChunkSigner::new(signer, signed.values(), at);
            for piece in data.chunks(chunk) {
                chunks.write_chunk(piece, &mut body);
            }
            if mode == Streaming::SignedChunks {
                chunks.write_final_chunk(&mut body);
            } else {
                chunks.write_final_chunk_with_trailer(&trailer, &mut body);
            }
        }
    }
    assert_eq!(body.len() as u64, length, "encoded_length");
    let mut sent = headers.clone();
    for (name, value) in signed.headers() {
        sent.push((name.to_string(), value.to_string()));
    }
    (sent, body)
}

proptest! {
    #[test]
    fn encoded_length_is_the_length_written(
        len in 0usize..40_000,
        chunk in 1usize..20_000,
        mode in prop_oneof![
            Just(Streaming::SignedChunks),
            Just(Streaming::SignedChunksWithTrailer),
            Just(Streaming::UnsignedWithTrailer)
        ],
    ) {
        let signer = Signer::new(Credentials::new("AKID", "secret").unwrap(), "us-east-1", "s3").unwrap();
        let data = vec![7u8; len];
        let at = SigningTime::from_unix_seconds(1_700_000_000).unwrap();
        upload(&signer, "h", "/b/k", mode, &data, chunk, at);
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is unset: start the S3 server with `.ci/test` or `.ci/s3s-start && source target/s3s/env`")
    })
}

#[test]
fn s3s_fs_takes_chunked_uploads_and_refuses_a_tampered_chunk() {
    let endpoint = env("SIGV4_S3_ENDPOINT");
    let host = endpoint.trim_start_matches("http://").to_string();
    let bucket = env("SIGV4_S3_BUCKET");
    let creds = Credentials::new(&env("SIGV4_S3_ACCESS_KEY"), &env("SIGV4_S3_SECRET_KEY")).unwrap();
    let signer = Signer::new(creds, "us-east-1", "s3").unwrap();
    let client = reqwest::blocking::Client::new();
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let get = |key: &str| {
        let path = format!("/{bucket}/{key}");
        let req = Request::new("GET", &host, &path).with_scheme(sigv4::Scheme::Http);
        let url = signer.presign(&req, time(), 60).unwrap();
        let r = client.get(url.as_str()).send().unwrap();
        (r.status().as_u16(), r.bytes().unwrap().to_vec())
    };
    for (mode, key) in [
        (Streaming::SignedChunks, "chunked/signed.bin"),
        (
            Streaming::SignedChunksWithTrailer,
            "chunked/signed-trailer.bin",
        ),
        (
            Streaming::UnsignedWithTrailer,
            "chunked/unsigned-trailer.bin",
        ),
    ] {
        let path = format!("/{bucket}/{key}");
        let (headers, body) = upload(&signer, &host, &path, mode, &data, 65_536, time());
        let mut put = client.put(format!("{endpoint}{path}")).body(body);
        for (name, value) in &headers {
            if name != "content-length" {
                put = put.header(name, value);
            }
        }
        let r = put.send().unwrap();
        let status = r.status();
        let text = r.text().unwrap();
        assert!(status.is_success(), "{mode:?}: {status} {text}");
        assert_eq!(
            get(key),
            (200, data.clone()),
            "{mode:?}: the object read back differs"
        );
    }
    // A chunk changed after signing: refused, nothing stored.
    let key = "chunked/tampered.bin";
    let path = format!("/{bucket}/{key}");
    let (headers, mut body) = upload(
        &signer,
        &host,
        &path,
        Streaming::SignedChunks,
        &data,
        65_536,
        time(),
    );
    let at = body.len() / 2;
    body[at] ^= 1;
    let mut put = client.put(format!("{endpoint}{path}")).body(body);
    for (name, value) in &headers {
        if name != "content-length" {
            put = put.header(name, value);
        }
    }
    let r = put.send().unwrap();
    assert!(
        !r.status().is_success(),
        "a tampered chunk was taken: {}",
        r.status()
    );
    assert_eq!(get(key).0, 404, "the tampered upload was stored");
}
