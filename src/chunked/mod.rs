//! Streaming uploads (feature `chunked`): aws-chunked bodies, signed chunk by chunk with the day's
//! cached key, sans I/O.
//!
//! An upload too large to hash first is sent `aws-chunked`, in one of three modes ([`Streaming`]:
//! `SignedChunks`, `SignedChunksWithTrailer`, `UnsignedWithTrailer`). The seed request is
//! header-signed with [`Payload::Streaming`](crate::Payload::Streaming) (`x-amz-content-sha256:
//! STREAMING-…`) and the headers of [`seed_headers`]; its signature seeds a [`ChunkSigner`], which
//! signs each chunk chained to the one before (the `AWS4-HMAC-SHA256-PAYLOAD` string to sign) and
//! frames it as `hex-size;chunk-signature=…\r\n` + data + `\r\n`, then the final 0-size chunk and,
//! in the trailer modes, the trailer (`AWS4-HMAC-SHA256-TRAILER`); the unsigned mode writes
//! unsigned chunks and trailer. [`encoded_length`] gives the exact `Content-Length` up front.
//!
//! ```
//! use awsig::chunked::{encoded_length, seed_headers, ChunkSigner};
//! use awsig::{Credentials, Payload, Request, Signer, SigningTime, Streaming};
//!
//! // The S3 documentation's example: 66,560 bytes of `a` in 64 KiB chunks.
//! let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! let signer = Signer::new(creds, "us-east-1", "s3")?;
//! let time = SigningTime::parse("20130524T000000Z")?;
//! let mode = Streaming::SignedChunks;
//! let length = encoded_length(mode, 66_560, 65_536, &[]).expect("fits in u64");
//! assert_eq!(length, 66_824);
//! let length = length.to_string();
//! let mut headers = seed_headers(mode, 66_560, None);
//! headers.push(("content-length".into(), length));
//! headers.push(("x-amz-storage-class".into(), "REDUCED_REDUNDANCY".into()));
//! let borrowed: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
//! let seed = Request::new("PUT", "s3.amazonaws.com", "/examplebucket/chunkObject.txt")
//!     .with_headers(&borrowed)
//!     .with_payload(Payload::Streaming(mode));
//! let signed = signer.authorize(&seed, time)?;
//! assert!(signed.signature().starts_with("4f232c43"));
//!
//! let mut chunks = ChunkSigner::new(&signer, signed.values())?;
//! let mut body = Vec::new();
//! chunks.write_chunk(&[b'a'; 65_536], &mut body);
//! chunks.write_chunk(&[b'a'; 1_024], &mut body);
//! chunks.write_final_chunk(&mut body);
//! assert_eq!(body.len(), 66_824);
//! assert!(body.starts_with(b"10000;chunk-signature=ad80c730"));
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! [`ChunkedBody`] turns any reader into the body, one chunk in memory at a time, with the trailer
//! checksum asked for ([`Checksum`]: CRC-32, CRC-32C, CRC-64/NVME through the `crc` crate, SHA-1
//! through `sha1`, SHA-256), base64 of its big-endian bytes as S3 writes it. A chunk costs the
//! SHA-256 of its data and a fixed number of compressions, never a key derivation: signing 8 MiB in
//! 64 KiB chunks runs at 0.995 × plain SHA-256 of the same bytes, framing it into a body at 0.92 ×
//! (criterion, `cargo bench --bench chunked --features chunked`, one run).
//!
//! # Verifying
//!
//! [`Verifier::verify_streaming`](crate::verify::Verifier::verify_streaming) checks the seed
//! through the checks every form shares (its scope must be S3's) and its streaming headers, each
//! read once: `content-encoding: aws-chunked`, `x-amz-decoded-content-length`, `x-amz-trailer` in
//! the trailer modes and only there, and an `x-amz-content-sha256` naming a mode it reads (another
//! `STREAMING-` mode is `UnsupportedStreamingMode`; a body hash or `UNSIGNED-PAYLOAD` is no
//! aws-chunked seed). It hands back a [`ChunkVerifier`] seeded with its signature and key. It takes
//! the body in pieces of any size and, in the signed modes, releases a chunk only once it has
//! verified: each signature chained and compared in constant time, the framing, sizes
//! ([`MIN_CHUNK`], 8 KiB, at least but for the last; [`MAX_CHUNK`], 16 MiB, at most, so memory
//! stays bounded by one chunk), the declared length, the trailer (the one header the seed declared,
//! its signature, its checksum against the data; it must name a checksum S3 defines). Unsigned
//! chunks (which some SDKs send as one chunk of the whole object) stream through unheld: only the
//! trailer's checksum vouches for them, at [`ChunkVerifier::finish`], so a server commits nothing
//! before it. Every failure names the first bad chunk ([`ChunkError`]); [`VerifiedBody`] is the
//! `Read` side. The plain header verifier refuses a `STREAMING-…` seed, whose chunks it would not
//! check.
//!
//! ```
//! use awsig::chunked::{encoded_length, seed_headers, Checksum, ChunkSigner, ChunkedBody, VerifiedBody};
//! use awsig::{verify::Verifier, Credentials, Payload, Request, Signer, SigningTime, Streaming};
//! use std::io::Read;
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
//! let signer = Signer::new(creds.clone(), "us-east-1", "s3")?;
//! let at = SigningTime::parse("2026-12-01T12:00:00Z")?;
//! let (mode, data) = (Streaming::SignedChunks, vec![7u8; 100_000]);
//! let length = encoded_length(mode, data.len() as u64, 65_536, &[]).expect("fits in u64").to_string();
//! let mut headers = seed_headers(mode, data.len() as u64, None);             // content-encoding, …
//! headers.push(("content-length".into(), length));
//! let borrowed: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
//! let seed = Request::new("PUT", "bucket.s3.amazonaws.com", "/big.bin")
//!     .with_headers(&borrowed)
//!     .with_payload(Payload::Streaming(mode));
//! let signed = signer.authorize(&seed, at)?;                 // send its headers with the seed's
//! let chunks = ChunkSigner::new(&signer, signed.values())?;
//! let mut body = Vec::new();                                  // or stream it: ChunkedBody is a Read
//! ChunkedBody::new(&data[..], mode, Some(chunks), 65_536, Checksum::Sha256).read_to_end(&mut body).unwrap();
//!
//! // A server: the seed, then the body, verified chunk by chunk.
//! let mut sent = headers.clone();
//! sent.extend(signed.headers().map(|(n, v)| (n.to_string(), v.to_string())));
//! let sent: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
//! let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept("us-east-1", "s3");
//! let (_, chunks) = verifier.verify_streaming("PUT", "https://bucket.s3.amazonaws.com/big.bin", &sent, at).unwrap();
//! let mut got = Vec::new();
//! VerifiedBody::new(&body[..], chunks).read_to_end(&mut got).unwrap(); // only verified bytes
//! assert_eq!(got, data);
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! # SigV4a
//!
//! A SigV4a signer ([`Signer::new_sigv4a`](crate::Signer::new_sigv4a)) seeds the two ECDSA
//! modes, `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD` and `…-PAYLOAD-TRAILER`
//! ([`Streaming::EcdsaSignedChunks`],
//! [`Streaming::EcdsaSignedChunksWithTrailer`]),
//! as aws-c-auth (and the Java SDK through it) sends them. Each chunk's string to sign is
//! `AWS4-ECDSA-P256-SHA256-PAYLOAD`, the time, the region-less scope, the signature before, the
//! empty hash and the chunk's hash (the trailer's, `AWS4-ECDSA-P256-SHA256-TRAILER`); its DER
//! signature is framed in hex, right-padded with `*` to 144 characters, and the padding is no part
//! of the next string to sign. [`encoded_length`] counts the padded form, so it stays exact. The
//! verifier checks each chunk against the seed's public key, and refuses a mode of the other
//! algorithm than the seed's.
//!
//! ```
//! use awsig::chunked::{encoded_length, seed_headers, ChunkSigner};
//! use awsig::{sigv4a::RegionSet, Credentials, Payload, Request, Signer, SigningTime, Streaming};
//!
//! let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! let signer = Signer::new_sigv4a(creds, &RegionSet::parse("us-east-1")?, "s3")?;
//! let time = SigningTime::parse("20130524T000000Z")?;
//! let mode = Streaming::EcdsaSignedChunks;
//! let length = encoded_length(mode, 66_560, 65_536, &[]).expect("fits in u64");
//! assert_eq!(length, 67_064);
//! let headers = seed_headers(mode, 66_560, None);
//! let borrowed: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
//! let seed = Request::new("PUT", "s3.amazonaws.com", "/examplebucket/chunkObject.txt")
//!     .with_headers(&borrowed)
//!     .with_payload(Payload::Streaming(mode));
//! let signed = signer.authorize(&seed, time)?;
//! let mut chunks = ChunkSigner::new(&signer, signed.values())?;
//! let mut body = Vec::new();
//! chunks.write_chunk(&[b'a'; 65_536], &mut body);
//! chunks.write_chunk(&[b'a'; 1_024], &mut body);
//! chunks.write_final_chunk(&mut body);
//! assert_eq!(body.len() as u64, length);
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! aws-c-auth's SigV4a chunked tests (`tests/test_chunked_signing.c`, recorded in
//! `test-vectors/aws-c-auth/sigv4a-chunked.json`) pin the seed's canonical request and every
//! string to sign; ECDSA signatures are randomized there, so it states none, and ours verify under
//! the public key it states.
//!
//! # Proof
//!
//! The S3 documentation's two worked examples ("Transferring payload in multiple chunks" and its
//! trailing-headers page), recorded as facts in `test-vectors/aws-docs/s3-chunked-examples.json`,
//! reproduce byte for byte: the seed signature, every chunk's, the final chunk's and the trailer's;
//! both documented bodies decode through the verifier, the second with its CRC-32C checked. The
//! checksums match the CRC catalogue's check values. Property tests (`tests/chunked.rs`): round
//! trips for any size, chunking and feeding; an altered byte fails at its chunk; reordered, dropped
//! and truncated chunks fail at the first one out of place. s3s-fs takes uploads in all three
//! modes, each with a checksum (a signed header in the signed mode, the trailer in the others),
//! gives the bytes back, and refuses a tampered chunk. The `chunked` fuzz target feeds altered
//! bodies in arbitrary pieces and checks that nothing but the data is released.
//!
//! # Uploading a file
//!
//! `examples/upload_chunked.rs` uploads a file from the command line, a chunk at a time, path
//! style, and exits 0 only when the server answered 200; it prints its own peak memory:
//!
//! ```sh
//! AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… cargo run --release --features chunked --example upload_chunked -- \
//!     --endpoint-url URL --region R --mode signed|signed-trailer|unsigned-trailer \
//!     [--checksum crc32|crc32c|crc64nvme|sha1|sha256] [--chunk-size N] s3://BUCKET/KEY FILE
//! ```
//!
//! `tests/chunked.rs` streams a 64 MiB file through it to s3s-fs in the signed-trailer
//! (CRC-64/NVME) and unsigned-trailer (CRC-32) modes with 1 MiB chunks: peak memory 8.3 MB each
//! time (`VmHWM`), and the object read back through the server has the file's SHA-256.

mod checksum;
mod error;
mod read;
mod seed;
mod sign;
mod verify;

pub use checksum::{Checksum, Running};
pub use read::{ChunkedBody, VerifiedBody};
pub(crate) use sign::ChunkKey;
pub use sign::{write_unsigned_chunk, write_unsigned_final_chunk, ChunkSigner};
#[cfg(feature = "tower")]
pub(crate) use verify::ChunkSink;
pub use verify::{ChunkError, ChunkVerifier, MAX_CHUNK, MIN_CHUNK};

use crate::encoding::hex32;

use crate::key::ChainedSignature;
use crate::scope::{AmzDate, Scope};

use crate::string_to_sign::{Algorithm, StringToSign};
use crate::Streaming;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use sha2::{Digest, Sha256};

/// The hex SHA-256 of a chunk's data, the last line of its string to sign.
pub(crate) fn chunk_hash(data: &[u8]) -> [u8; 64] {
    hex32(&Sha256::digest(data))
}

/// A chunk's string to sign, chained to `previous`, as the signer and the
/// verifier both write it.
pub(crate) fn chunk_string_to_sign<'a>(
    algorithm: Algorithm,
    (amz_date, scope): (&'a AmzDate, &'a Scope),
    previous: &'a ChainedSignature,
    chunk_hash: &'a [u8; 64],
) -> StringToSign<'a> {
    StringToSign::Chunk {
        algorithm,
        amz_date,
        scope,
        previous: previous.as_str().as_bytes(),
        chunk_hash,
    }
}

/// The trailer's string to sign, chained to the last chunk's signature.
pub(crate) fn trailer_string_to_sign<'a>(
    algorithm: Algorithm,
    (amz_date, scope): (&'a AmzDate, &'a Scope),
    previous: &'a ChainedSignature,
    trailer_hash: &'a [u8; 64],
) -> StringToSign<'a> {
    StringToSign::Trailer {
        algorithm,
        amz_date,
        scope,
        previous: previous.as_str().as_bytes(),
        trailer_hash,
    }
}

/// The headers a streaming upload's seed request signs, beside the
/// caller's and `x-amz-content-sha256` (which the signer writes from
/// [`Payload::Streaming`](crate::Payload::Streaming)): `content-encoding:
/// aws-chunked`, `x-amz-decoded-content-length` (the data's length) and, in
/// the trailer modes, `x-amz-trailer` (the trailer's header name, such as
/// `x-amz-checksum-crc32c`). Add `content-length` ([`encoded_length`]) to
/// sign it too.
pub fn seed_headers(
    mode: Streaming,
    decoded_length: u64,
    trailer: Option<&str>,
) -> Vec<(String, String)> {
    let mut headers = alloc::vec![
        ("content-encoding".to_string(), "aws-chunked".to_string()),
        (
            "x-amz-decoded-content-length".to_string(),
            decoded_length.to_string()
        ),
    ];
    if let (Some(name), true) = (trailer, mode.has_trailer()) {
        headers.push(("x-amz-trailer".to_string(), name.to_ascii_lowercase()));
    }
    headers
}

/// The number of hex digits of `n`.
fn hex_digits(n: u64) -> u64 {
    u64::from(n.checked_ilog2().map_or(1, |bits| bits / 4 + 1))
}

/// The exact length of the aws-chunked body for `decoded_length` bytes of
/// data in chunks of `chunk_size` (at least [`MIN_CHUNK`], as
/// [`ChunkedBody`] writes them; the last one shorter), with `trailer` (each
/// header's name and the length of its value) in the trailer modes: the
/// request's `Content-Length`. `None` past `u64::MAX`.
pub fn encoded_length(
    mode: Streaming,
    decoded_length: u64,
    chunk_size: u64,
    trailer: &[(&str, usize)],
) -> Option<u64> {
    let chunk_size = chunk_size.max(MIN_CHUNK as u64);
    let signature = match mode.framed_signature_len() {
        0 => 0,
        len => (";chunk-signature=".len() + len) as u64,
    };
    let full = decoded_length / chunk_size;
    let rest = decoded_length % chunk_size;
    let framed = |n: u64| n.checked_add(hex_digits(n) + signature + 4);
    let mut length = full.checked_mul(framed(chunk_size)?)?;
    if rest > 0 {
        length = length.checked_add(framed(rest)?)?;
    }
    // The final chunk (`0`, its signature, CRLF), the trailer, the end.
    let mut end = 1 + signature + 2 + 2;
    if mode.has_trailer() {
        for (name, value_len) in trailer {
            // A caller's lengths may be anything: added without overflow.
            let line = (name.len() as u64)
                .checked_add(*value_len as u64)?
                .checked_add(3)?;
            end = end.checked_add(line)?;
        }
        if mode.algorithm().is_some() {
            end += ("x-amz-trailer-signature:".len() + mode.framed_signature_len() + 2) as u64;
        }
    }
    length.checked_add(end)
}
