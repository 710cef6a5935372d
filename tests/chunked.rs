//! aws-chunked uploads: exact lengths for any size and chunking, and real
//! uploads to s3s-fs (which checks every chunk's signature) in the signed
//! and unsigned-trailer modes, a tampered chunk refused.
#![cfg(feature = "chunked")]

use awsig::chunked::{
    encoded_length, seed_headers, write_unsigned_chunk, write_unsigned_final_chunk, ChunkSigner,
};
use awsig::{Credentials, Payload, Request, Signer, SigningTime, Streaming};
use proptest::prelude::*;

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
    let length =
        encoded_length(mode, data.len() as u64, chunk as u64, &lengths).expect("fits in u64");
    let mut headers = seed_headers(mode, data.len() as u64, trailer_name);
    headers.push(("content-length".into(), length.to_string()));
    if mode == Streaming::SignedChunks {
        // No trailer in this mode: the checksum goes in a signed header.
        headers.push(("x-amz-checksum-sha256".into(), checksum.clone()));
    }
    let borrowed: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let seed = Request::new("PUT", host, path)
        .with_scheme(awsig::Scheme::Http)
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
            let mut chunks = ChunkSigner::new(signer, signed.values()).unwrap();
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
        chunk in 8_192usize..20_000,
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
    let endpoint = env("AWSIG_S3_ENDPOINT");
    let host = endpoint.trim_start_matches("http://").to_string();
    let bucket = env("AWSIG_S3_BUCKET");
    let creds = Credentials::new(&env("AWSIG_S3_ACCESS_KEY"), &env("AWSIG_S3_SECRET_KEY")).unwrap();
    let signer = Signer::new(creds, "us-east-1", "s3").unwrap();
    let client = reqwest::blocking::Client::new();
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let get = |key: &str| {
        let path = format!("/{bucket}/{key}");
        let req = Request::new("GET", &host, &path).with_scheme(awsig::Scheme::Http);
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

mod verifying {
    use super::*;
    use awsig::chunked::{Checksum, ChunkError, ChunkedBody, VerifiedBody};
    use awsig::verify::{Verifier, VerifyError};
    use std::io::Read;

    const KEY_ID: &str = "AKIDEXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn signer() -> Signer {
        Signer::new(Credentials::new(KEY_ID, SECRET).unwrap(), "us-east-1", "s3").unwrap()
    }

    /// SigV4 for the HMAC modes, SigV4a (region set `us-east-1`) for the
    /// ECDSA ones.
    fn signer_for(mode: Streaming) -> Signer {
        #[cfg(feature = "sigv4a")]
        if mode.algorithm() == Some(awsig::Algorithm::EcdsaP256Sha256) {
            let set = awsig::sigv4a::RegionSet::parse("us-east-1").unwrap();
            let creds = Credentials::new(KEY_ID, SECRET).unwrap();
            return Signer::new_sigv4a(creds, &set, "s3").unwrap();
        }
        let _ = mode;
        signer()
    }

    fn verifier() -> Verifier<impl Fn(&str) -> Option<Credentials>> {
        Verifier::new(|id: &str| (id == KEY_ID).then(|| Credentials::new(KEY_ID, SECRET).unwrap()))
            .accept("us-east-1", "s3")
    }

    fn at() -> SigningTime {
        SigningTime::from_unix_seconds(1_700_000_000).unwrap()
    }

    /// A seed for `data` in `mode` and its encoded body, through ChunkedBody.
    fn encode(mode: Streaming, data: &[u8], chunk: usize) -> (Vec<(String, String)>, Vec<u8>) {
        let trailer = mode.has_trailer().then_some("x-amz-checksum-sha256");
        let lengths: Vec<(&str, usize)> = trailer
            .iter()
            .map(|n| (*n, Checksum::Sha256.value_len()))
            .collect();
        let length =
            encoded_length(mode, data.len() as u64, chunk as u64, &lengths).expect("fits in u64");
        let mut headers = seed_headers(mode, data.len() as u64, trailer);
        headers.push(("content-length".into(), length.to_string()));
        let borrowed: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let seed = Request::new("PUT", "bucket.s3.amazonaws.com", "/k")
            .with_headers(&borrowed)
            .with_payload(Payload::Streaming(mode));
        let signer = signer_for(mode);
        let signed = signer.authorize(&seed, at()).unwrap();
        let chunks = ChunkSigner::new(&signer, signed.values()).unwrap();
        let mut body = Vec::new();
        ChunkedBody::new(data, mode, Some(chunks), chunk, Checksum::Sha256)
            .read_to_end(&mut body)
            .unwrap();
        assert_eq!(body.len() as u64, length);
        let mut sent = headers;
        for (name, value) in signed.headers() {
            sent.push((name.to_string(), value.to_string()));
        }
        (sent, body)
    }

    /// Verifies `body` sent with `headers`, fed in pieces of `piece` bytes.
    fn decode(
        headers: &[(String, String)],
        body: &[u8],
        piece: usize,
    ) -> Result<Vec<u8>, ChunkError> {
        let borrowed: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let (_, mut chunks) = verifier()
            .verify_streaming("PUT", "https://bucket.s3.amazonaws.com/k", &borrowed, at())
            .expect("the seed verifies");
        let mut data = Vec::new();
        for part in body.chunks(piece.max(1)) {
            chunks.feed(part, &mut data)?;
        }
        chunks.finish()?;
        Ok(data)
    }

    /// The chunk whose signature did not verify, if that is why it failed.
    fn failed_chunk<T>(result: Result<T, ChunkError>) -> Option<usize> {
        match result {
            Err(ChunkError::SignatureMismatch { chunk, .. }) => Some(chunk),
            _ => None,
        }
    }

    /// A chunk that does not verify comes with the string to sign the
    /// verifier computed for it, the signature before not shown (the first
    /// one is the seed's, a replayable request signature); so does a
    /// trailer. Each signed mode, each algorithm.
    #[test]
    fn a_chunk_or_trailer_that_does_not_verify_shows_its_string_to_sign() {
        use sha2::Digest;
        let chunk = 8_192;
        let data: Vec<u8> = (0..3 * chunk).map(|i| (i % 241) as u8).collect();
        for &mode in MODES.iter().filter(|m| m.algorithm().is_some()) {
            let (headers, body) = encode(mode, &data, chunk);
            let header = |name: &str| {
                let found = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name));
                found.map(|(_, v)| v.clone()).unwrap()
            };
            let (amz_date, authorization) = (header("x-amz-date"), header("authorization"));
            let scope = authorization.split("Credential=").nth(1).unwrap();
            let scope = &scope[scope.find('/').unwrap() + 1..scope.find(',').unwrap()];
            let algorithm = authorization.split(' ').next().unwrap();
            // The second chunk's first data byte, altered.
            let at = body.windows(2).position(|w| w == b"\r\n").unwrap() + 2 + chunk + 2;
            let at = at + body[at..].windows(2).position(|w| w == b"\r\n").unwrap() + 2;
            let mut altered = body.clone();
            altered[at] ^= 1;
            let mut second = data[chunk..2 * chunk].to_vec();
            second[0] ^= 1;
            let empty = hex::encode(sha2::Sha256::digest(b""));
            let want = format!(
                "{algorithm}-PAYLOAD\n{amz_date}\n{scope}\n<signature before, not shown>\n{empty}\n{}",
                hex::encode(sha2::Sha256::digest(&second))
            );
            match decode(&headers, &altered, 5_000) {
                Err(ChunkError::SignatureMismatch {
                    chunk: 1,
                    string_to_sign,
                }) => {
                    assert_eq!(string_to_sign, want, "{mode:?}")
                }
                other => panic!("{mode:?}: {other:?}"),
            }
            if !mode.has_trailer() {
                continue;
            }
            // The trailer's checksum changed: its string to sign, shown.
            let find = |from: usize, what: &[u8]| {
                let found = body[from..].windows(what.len()).position(|w| w == what);
                from + found.unwrap()
            };
            let start = find(0, b"x-amz-checksum-sha256:");
            let line_end = find(start, b"\r\n");
            let mut forged = body.clone();
            let last = line_end - 1;
            forged[last] = if forged[last] == b'=' { b'A' } else { b'=' };
            let line = format!("{}\n", String::from_utf8_lossy(&forged[start..line_end]));
            let want = format!(
                "{algorithm}-TRAILER\n{amz_date}\n{scope}\n<signature before, not shown>\n{}",
                hex::encode(sha2::Sha256::digest(line.as_bytes()))
            );
            match decode(&headers, &forged, 5_000) {
                Err(ChunkError::TrailerSignatureMismatch { string_to_sign }) => {
                    assert_eq!(string_to_sign, want, "{mode:?}")
                }
                other => panic!("{mode:?} trailer: {other:?}"),
            }
        }
    }

    /// Every mode this build signs (the ECDSA ones with `sigv4a`).
    const MODES: &[Streaming] = if cfg!(feature = "sigv4a") {
        &Streaming::ALL
    } else {
        &[
            Streaming::SignedChunks,
            Streaming::SignedChunksWithTrailer,
            Streaming::UnsignedWithTrailer,
        ]
    };

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn what_is_signed_verifies_whatever_the_pieces(
            len in 0usize..60_000,
            chunk in 8_192usize..20_000,
            piece in 1usize..9_000,
            mode in 0usize..5,
        ) {
            let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let (headers, body) = encode(MODES[mode % MODES.len()], &data, chunk);
            prop_assert_eq!(decode(&headers, &body, piece).unwrap(), data);
        }

        #[test]
        fn an_altered_byte_fails_at_its_chunk(
            len in 20_000usize..60_000,
            at_byte in 0usize..60_000,
        ) {
            let chunk = 8_192;
            let data = vec![5u8; len];
            let (headers, mut body) = encode(Streaming::SignedChunks, &data, chunk);
            // Alter a data byte (not the framing), and name its chunk.
            let framed = 4 + 17 + 64 + 2 + chunk + 2; // "2000;chunk-signature=…\r\n" + data + CRLF
            let index = (at_byte % len) / chunk;
            let offset = index * framed + (4 + 17 + 64 + 2) + (at_byte % len) % chunk;
            prop_assume!(offset < body.len() && body[offset] == 5);
            body[offset] ^= 0x20;
            prop_assert_eq!(failed_chunk(decode(&headers, &body, 4096)), Some(index));
        }
    }

    #[test]
    fn reordered_and_dropped_chunks_fail_at_the_first_one_out_of_place() {
        let chunk = 8_192;
        let data: Vec<u8> = (0..4 * chunk).map(|i| (i / chunk) as u8).collect();
        let (headers, body) = encode(Streaming::SignedChunks, &data, chunk);
        let framed = 4 + 17 + 64 + 2 + chunk + 2;
        let piece = |i: usize| &body[i * framed..(i + 1) * framed];
        let tail = &body[4 * framed..];
        let swapped = [piece(0), piece(2), piece(1), piece(3), tail].concat();
        assert_eq!(failed_chunk(decode(&headers, &swapped, 1000)), Some(1));
        let dropped = [piece(0), piece(1), piece(3), tail].concat();
        assert_eq!(failed_chunk(decode(&headers, &dropped, 1000)), Some(2));
        let truncated = &body[..3 * framed];
        assert_eq!(
            decode(&headers, truncated, 1000),
            Err(ChunkError::Truncated { chunk: 3 })
        );
        let mut longer = body.clone();
        longer.extend_from_slice(b"x");
        assert_eq!(
            decode(&headers, &longer, 1000),
            Err(ChunkError::TrailingBytes)
        );
    }

    #[test]
    fn the_trailer_checksum_and_the_declared_length_are_checked() {
        let data = vec![9u8; 20_000];
        for mode in [
            Streaming::SignedChunksWithTrailer,
            Streaming::UnsignedWithTrailer,
        ] {
            let (headers, body) = encode(mode, &data, 8_192);
            // The checksum of other data, its signature redone where signed.
            let text = String::from_utf8_lossy(&body).into_owned();
            let start =
                text.find("x-amz-checksum-sha256:").unwrap() + "x-amz-checksum-sha256:".len();
            let mut forged = body.clone();
            forged[start] = if forged[start] == b'A' { b'B' } else { b'A' };
            let err = decode(&headers, &forged, 5000).unwrap_err();
            match mode {
                // Signed: the trailer's signature no longer holds.
                Streaming::SignedChunksWithTrailer => {
                    assert!(matches!(err, ChunkError::TrailerSignatureMismatch { .. }))
                }
                // Unsigned: the checksum is checked against the data.
                _ => assert_eq!(
                    err,
                    ChunkError::ChecksumMismatch {
                        name: "x-amz-checksum-sha256".into()
                    }
                ),
            }
        }
        // More data than x-amz-decoded-content-length says.
        let (mut headers, body) = encode(Streaming::SignedChunks, &data, 8_192);
        for (name, value) in headers.iter_mut() {
            if name == "x-amz-decoded-content-length" {
                *value = "10".into();
            }
        }
        // The seed no longer verifies with its header changed; a seed that
        // declares 10 bytes and sends more is refused at the first chunk.
        let borrowed: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert!(verifier()
            .verify_streaming("PUT", "https://bucket.s3.amazonaws.com/k", &borrowed, at())
            .is_err());
        let _ = body;
    }

    #[test]
    fn the_verified_reader_releases_only_verified_chunks() {
        let chunk = 8_192;
        let data: Vec<u8> = (0..3 * chunk + 100).map(|i| i as u8).collect();
        let (headers, mut body) = encode(Streaming::SignedChunks, &data, chunk);
        let borrowed: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let fresh = || {
            verifier()
                .verify_streaming("PUT", "https://bucket.s3.amazonaws.com/k", &borrowed, at())
                .unwrap()
                .1
        };
        let mut out = Vec::new();
        VerifiedBody::new(&body[..], fresh())
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, data);
        // A byte of chunk 2 altered: what was read before the error is the
        // first two chunks, whole, and nothing of the bad one.
        let framed = 4 + 17 + 64 + 2 + chunk + 2;
        body[2 * framed + 100] ^= 1;
        let mut reader = VerifiedBody::new(&body[..], fresh());
        let mut got = Vec::new();
        let mut buf = [0u8; 1000];
        let err = loop {
            match reader.read(&mut buf) {
                Ok(0) => panic!("the tampered body read to its end"),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => break e,
            }
        };
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("chunk 2"), "{err}");
        assert!(
            got.len() <= 2 * chunk && data.starts_with(&got),
            "{} bytes released",
            got.len()
        );
    }

    #[test]
    fn unsigned_bodies_may_come_as_one_large_chunk_or_small_ones() {
        // Some SDKs send an object of known length as one unsigned chunk,
        // and with an upper-case size; nothing is held to verify it.
        let data: Vec<u8> = (0..17 * 1024 * 1024).map(|i| (i % 253) as u8).collect();
        let (headers, body) = encode(Streaming::UnsignedWithTrailer, &data, data.len());
        let size_line = format!("{:X}\r\n", data.len());
        assert!(body.starts_with(format!("{:x}\r\n", data.len()).as_bytes()));
        let upper = [size_line.as_bytes(), &body[size_line.len()..]].concat();
        for body in [&body, &upper] {
            assert_eq!(decode(&headers, body, 1 << 20).unwrap(), data);
        }
        // Unsigned chunks of 4 KiB are taken too (S3's 8 KiB minimum is for
        // signed chunks).
        let small = &data[..20_000];
        let (headers, _) = encode(Streaming::UnsignedWithTrailer, small, 8_192);
        let mut body = Vec::new();
        for piece in small.chunks(4_096) {
            write_unsigned_chunk(piece, &mut body);
        }
        let checksum = Checksum::Sha256.of(small);
        // A trailer value with optional whitespace around it.
        let spaced = format!(" {checksum} ");
        write_unsigned_final_chunk(&[("x-amz-checksum-sha256", &spaced)], &mut body);
        assert_eq!(decode(&headers, &body, 999).unwrap(), small);
    }

    #[test]
    fn the_seed_headers_are_read_once_each_trimmed_and_a_checksum_s3_knows() {
        let (headers, _) = encode(Streaming::SignedChunksWithTrailer, b"data", 8_192);
        let refs = |headers: &[(String, String)]| -> Vec<(String, String)> { headers.to_vec() };
        let verify = |headers: &[(String, String)]| {
            let borrowed: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            verifier()
                .verify_streaming("PUT", "https://bucket.s3.amazonaws.com/k", &borrowed, at())
                .map(|_| ())
        };
        assert_eq!(verify(&headers), Ok(()));
        let mut twice = refs(&headers);
        twice.push(("x-amz-decoded-content-length".into(), "20".into()));
        assert_eq!(
            verify(&twice),
            Err(VerifyError::Duplicate("x-amz-decoded-content-length"))
        );
        let mut unknown = refs(&headers);
        for (name, value) in unknown.iter_mut() {
            if name == "x-amz-trailer" {
                *value = "x-amz-checksum-md5".into();
            }
        }
        assert!(
            matches!(verify(&unknown), Err(VerifyError::Missing(m)) if m.contains("naming one checksum"))
        );
    }

    #[test]
    fn encoded_length_agrees_with_the_body_and_refuses_to_overflow() {
        assert_eq!(
            encoded_length(Streaming::SignedChunks, u64::MAX, 1, &[]),
            None
        );
        // A trailer value's length past the address space is None, not a
        // panic.
        let huge = [("x-amz-checksum-crc32", usize::MAX)];
        assert_eq!(
            encoded_length(Streaming::UnsignedWithTrailer, 1, 8_192, &huge),
            None
        );
        // A chunk size under 8 KiB is raised to it, as ChunkedBody raises it.
        let data = vec![1u8; 20_000];
        for &mode in MODES {
            let (_, body) = encode(mode, &data, 4_096);
            let lengths: Vec<(&str, usize)> = match mode.has_trailer() {
                false => vec![],
                true => vec![("x-amz-checksum-sha256", 44)],
            };
            assert_eq!(
                encoded_length(mode, 20_000, 4_096, &lengths),
                Some(body.len() as u64),
                "{mode:?}"
            );
        }
    }

    #[test]
    fn a_seed_must_say_it_streams_as_verify_streaming_expects() {
        let (headers, _) = encode(Streaming::SignedChunks, b"x", 8_192);
        let borrowed: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        // The plain header verifier refuses a STREAMING seed: it would not
        // check the chunks.
        assert!(verifier()
            .verify_authorization(
                "PUT",
                "https://bucket.s3.amazonaws.com/k",
                &borrowed,
                None,
                at()
            )
            .is_err());
        let without_encoding: Vec<(&str, &str)> = borrowed
            .iter()
            .copied()
            .filter(|(n, _)| *n != "content-encoding")
            .collect();
        assert!(verifier()
            .verify_streaming(
                "PUT",
                "https://bucket.s3.amazonaws.com/k",
                &without_encoding,
                at()
            )
            .is_err());
        // A claim padded with spaces is read as the canonical request
        // signs it, trimmed.
        let padded: Vec<(&str, &str)> = (borrowed.iter().copied())
            .map(|(n, v)| match n {
                "x-amz-content-sha256" => (n, " STREAMING-AWS4-HMAC-SHA256-PAYLOAD\t"),
                _ => (n, v),
            })
            .collect();
        assert!(verifier()
            .verify_streaming("PUT", "https://bucket.s3.amazonaws.com/k", &padded, at())
            .is_ok());
        // A body's hash is no aws-chunked seed at all.
        let hashed: Vec<(&str, &str)> = (borrowed.iter().copied())
            .map(|(n, v)| match n {
                "x-amz-content-sha256" => (n, "UNSIGNED-PAYLOAD"),
                _ => (n, v),
            })
            .collect();
        let refused =
            verifier().verify_streaming("PUT", "https://bucket.s3.amazonaws.com/k", &hashed, at());
        assert!(
            matches!(refused, Err(VerifyError::Missing(what)) if what.contains("aws-chunked mode"))
        );
        // A mode this verifier does not read is named as such, not as a
        // body that fails its hash.
        let other_mode: Vec<(&str, &str)> = (borrowed.iter().copied())
            .map(|(n, v)| match n {
                "x-amz-content-sha256" => (n, "STREAMING-AWS4-HMAC-SHA256-EVENTS"),
                _ => (n, v),
            })
            .collect();
        let refused = verifier().verify_streaming(
            "PUT",
            "https://bucket.s3.amazonaws.com/k",
            &other_mode,
            at(),
        );
        assert_eq!(
            refused.map(|_| ()).unwrap_err(),
            VerifyError::UnsupportedStreamingMode {
                mode: "STREAMING-AWS4-HMAC-SHA256-EVENTS".into()
            }
        );
    }

    /// A failure ends the body: the bytes after it, and `finish`, get the
    /// same error.
    #[test]
    fn a_failure_is_final() {
        let data = vec![3u8; 20_000];
        let (headers, mut body) = encode(Streaming::SignedChunks, &data, 8_192);
        body[100] ^= 1;
        let borrowed: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let (_, mut chunks) = verifier()
            .verify_streaming("PUT", "https://bucket.s3.amazonaws.com/k", &borrowed, at())
            .unwrap();
        let mut out = Vec::new();
        let (head, rest) = body.split_at(9_000);
        let err = chunks.feed(head, &mut out).unwrap_err();
        assert_eq!(failed_chunk(Err::<(), _>(err.clone())), Some(0));
        assert_eq!(chunks.feed(rest, &mut out), Err(err.clone()));
        assert_eq!(chunks.finish(), Err(err));
        assert!(out.is_empty());
    }

    /// A seed's chunks are signed as the seed is: an HMAC-signed seed that
    /// claims an ECDSA mode (signed as it is sent) vouches for no chunk.
    #[test]
    fn a_seed_claims_the_modes_of_its_own_algorithm() {
        let mode = Streaming::EcdsaSignedChunks;
        let headers = seed_headers(mode, 5, None);
        let borrowed: Vec<(&str, &str)> = (headers.iter())
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let seed = Request::new("PUT", "bucket.s3.amazonaws.com", "/k")
            .with_headers(&borrowed)
            .with_payload(Payload::Streaming(mode));
        let signer = signer();
        let signed = signer.authorize(&seed, at()).unwrap();
        let mut sent = borrowed.clone();
        sent.extend(signed.headers());
        let refused =
            verifier().verify_streaming("PUT", "https://bucket.s3.amazonaws.com/k", &sent, at());
        assert_eq!(
            refused.map(|_| ()).unwrap_err(),
            VerifyError::UnsupportedStreamingMode {
                mode: "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD under a AWS4-HMAC-SHA256 seed"
                    .into()
            }
        );
    }
}

/// The checksums' values against the catalogue's check values (the input
/// `123456789`) and the S3 documentation's CRC-32C of its 66,560 `a`.
#[test]
fn checksums_match_their_published_values() {
    use awsig::chunked::Checksum;
    let check = b"123456789";
    assert_eq!(Checksum::Crc32.of(check), "y/Q5Jg=="); // 0xCBF43926
    assert_eq!(Checksum::Crc32c.of(check), "4waSgw=="); // 0xE3069283
    assert_eq!(Checksum::Crc64Nvme.of(check), "rosUhgp5mIg="); // 0xAE8B14860A799888
    assert_eq!(Checksum::Sha1.of(b""), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
    assert_eq!(
        Checksum::Sha256.of(b""),
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    );
    assert_eq!(Checksum::Crc32c.of(&[b'a'; 66_560]), "sOO8/Q==");
    for c in Checksum::ALL {
        assert_eq!(c.of(b"x").len(), c.value_len(), "{c:?}");
        assert_eq!(
            Checksum::from_header_name(&c.header_name().to_uppercase()),
            Some(c)
        );
    }
}

/// The command-line uploader (`examples/upload_chunked.rs`), built by
/// `cargo test` beside this test binary.
fn uploader() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let path = dir.join("examples").join("upload_chunked");
    assert!(
        path.exists(),
        "{} is not built (cargo test --features chunked builds it)",
        path.display()
    );
    path
}

/// SHA-256 of what `reader` yields, read 1 MiB at a time.
fn sha256_of(mut reader: impl std::io::Read) -> [u8; 32] {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut buf).unwrap();
        if n == 0 {
            return hasher.finalize().into();
        }
        hasher.update(&buf[..n]);
    }
}

#[test]
fn a_64_mib_file_streams_through_the_uploader_with_bounded_memory() {
    use std::io::Write;
    let endpoint = env("AWSIG_S3_ENDPOINT");
    let bucket = env("AWSIG_S3_BUCKET");
    // 64 MiB of pseudo-random bytes, written to disk 1 MiB at a time.
    let file = std::env::temp_dir().join(format!("sigv4-64mib-{}.bin", std::process::id()));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut block = vec![0u8; 1 << 20];
    for _ in 0..64 {
        for byte in block.iter_mut() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *byte = state as u8;
        }
        out.write_all(&block).unwrap();
    }
    drop(out);
    let want = sha256_of(std::fs::File::open(&file).unwrap());
    for (mode, checksum, key) in [
        ("signed-trailer", "crc64nvme", "big/signed-trailer.bin"),
        ("unsigned-trailer", "crc32", "big/unsigned-trailer.bin"),
    ] {
        let run = std::process::Command::new(uploader())
            .env("AWS_ACCESS_KEY_ID", env("AWSIG_S3_ACCESS_KEY"))
            .env("AWS_SECRET_ACCESS_KEY", env("AWSIG_S3_SECRET_KEY"))
            .args([
                "--endpoint-url",
                &endpoint,
                "--region",
                "us-east-1",
                "--mode",
                mode,
            ])
            .args(["--checksum", checksum, "--chunk-size", "1048576"])
            .arg(format!("s3://{bucket}/{key}"))
            .arg(&file)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
        println!("{mode} ({checksum}): {stdout}");
        assert!(
            run.status.success(),
            "{mode}: {stdout}{}",
            String::from_utf8_lossy(&run.stderr)
        );
        // The uploader's peak memory, for 64 MiB sent: bounded by its
        // chunk and buffers, not the file.
        let peak_kib: u64 = stdout
            .lines()
            .find_map(|l| l.strip_prefix("peak memory "))
            .and_then(|v| v.trim_end_matches(" kB").parse().ok())
            .expect("the uploader prints its peak memory");
        assert!(
            peak_kib < 24 * 1024,
            "{mode}: peak memory {peak_kib} kB for a 64 MiB upload"
        );
        // Read back through the server, streamed: byte for byte the file.
        let creds =
            Credentials::new(&env("AWSIG_S3_ACCESS_KEY"), &env("AWSIG_S3_SECRET_KEY")).unwrap();
        let signer = Signer::new(creds, "us-east-1", "s3").unwrap();
        let host = endpoint.trim_start_matches("http://").to_string();
        let path = format!("/{bucket}/{key}");
        let req = Request::new("GET", &host, &path).with_scheme(awsig::Scheme::Http);
        let url = signer.presign(&req, time(), 300).unwrap();
        let response = reqwest::blocking::get(url.as_str()).unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            sha256_of(response),
            want,
            "{mode}: the object read back differs"
        );
    }
    std::fs::remove_file(file).ok();
}
