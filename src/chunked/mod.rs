//! Streaming uploads (feature `chunked`): aws-chunked bodies, signed chunk
//! by chunk with the day's cached key, sans I/O.
//!
//! The seed request is header-signed with [`Payload::Streaming`](crate::Payload::Streaming)
//! and the headers of [`seed_headers`]; its signature seeds a
//! [`ChunkSigner`], which signs each chunk chained to the one before (the
//! `AWS4-HMAC-SHA256-PAYLOAD` string to sign) and frames it as
//! `hex-size;chunk-signature=…\r\n` + data + `\r\n`, then the final 0-size
//! chunk and, in the trailer modes, the trailer (`AWS4-HMAC-SHA256-TRAILER`).
//! A chunk costs the SHA-256 of its data and a fixed number of
//! compressions: never a key derivation. [`encoded_length`] gives the exact
//! `Content-Length` up front.
//!
//! ```
//! use sigv4::chunked::{encoded_length, seed_headers, ChunkSigner};
//! use sigv4::{Credentials, Payload, Request, Signer, SigningTime, Streaming};
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
//! # Ok::<(), sigv4::Error>(())
//! ```

mod checksum;
mod read;
mod seed;
mod verify;

pub use checksum::{Checksum, Running};
pub use read::{ChunkedBody, VerifiedBody};
pub use verify::{ChunkError, ChunkVerifier, MAX_CHUNK, MIN_CHUNK};

use crate::encoding::hex32;
use crate::error::Error;
use crate::key::{Signature, SigningKey};
use crate::scope::{AmzDate, Scope};
use crate::sign::{HeaderSignature, Signer};
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
    amz_date: &'a AmzDate,
    scope: &'a Scope,
    previous: &'a [u8],
    chunk_hash: &'a [u8; 64],
) -> StringToSign<'a> {
    StringToSign::Chunk {
        algorithm: Algorithm::HmacSha256,
        amz_date,
        scope,
        previous,
        chunk_hash,
    }
}

/// The trailer's string to sign, chained to the last chunk's signature.
pub(crate) fn trailer_string_to_sign<'a>(
    amz_date: &'a AmzDate,
    scope: &'a Scope,
    previous: &'a [u8],
    trailer_hash: &'a [u8; 64],
) -> StringToSign<'a> {
    StringToSign::Trailer {
        algorithm: Algorithm::HmacSha256,
        amz_date,
        scope,
        previous,
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
    if let (Some(name), true) = (trailer, mode != Streaming::SignedChunks) {
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
    let signature = match mode {
        Streaming::UnsignedWithTrailer => 0,
        _ => ";chunk-signature=".len() as u64 + 64,
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
    if mode != Streaming::SignedChunks {
        for (name, value_len) in trailer {
            end += (name.len() + 1 + value_len + 2) as u64;
        }
        if mode == Streaming::SignedChunksWithTrailer {
            end += "x-amz-trailer-signature:".len() as u64 + 64 + 2;
        }
    }
    length.checked_add(end)
}

/// Signs an aws-chunked body's chunks, each chained to the signature before
/// it (the seed's first), with the seed's date, scope and signing key (the
/// signer's cached key, cloned once).
#[derive(Clone)]
pub struct ChunkSigner {
    key: SigningKey,
    amz_date: AmzDate,
    scope: Scope,
    previous: Signature,
}

impl core::fmt::Debug for ChunkSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChunkSigner")
            .field("amz_date", &self.amz_date.as_str())
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl ChunkSigner {
    /// A chunk signer seeded by `seed`, the seed request's signature made
    /// by `signer`: its date, scope and key are the seed's. A SigV4a signer
    /// is refused ([`Error::SigV4aUnsupported`]): aws-chunked signing here
    /// is SigV4's.
    pub fn new(signer: &Signer, seed: &HeaderSignature<'_>) -> Result<ChunkSigner, Error> {
        let unsupported = Error::SigV4aUnsupported {
            form: "aws-chunked uploads",
        };
        let previous = match seed.signature_value() {
            Some(previous) if !signer.is_sigv4a() => *previous,
            _ => return Err(unsupported),
        };
        Ok(ChunkSigner {
            key: signer.with_key(seed.signed_at(), SigningKey::clone)?,
            amz_date: seed.amz_date_value(),
            scope: signer.scope().clone(),
            previous,
        })
    }

    /// The signature of the next chunk, `data`, chained to the one before:
    /// HMAC of `AWS4-HMAC-SHA256-PAYLOAD`, the date, the scope, the previous
    /// signature, the empty hash and the data's hash, a line each.
    pub fn sign_chunk(&mut self, data: &[u8]) -> String {
        let hash = chunk_hash(data);
        let previous = self.previous;
        let signature = self.key.sign(&chunk_string_to_sign(
            &self.amz_date,
            &self.scope,
            previous.as_str().as_bytes(),
            &hash,
        ));
        self.previous = signature;
        signature.as_str().to_string()
    }

    /// Signs `data` as the next chunk and appends it framed:
    /// `hex-size;chunk-signature=…\r\n` + data + `\r\n`.
    pub fn write_chunk(&mut self, data: &[u8], out: &mut Vec<u8>) {
        let signature = self.sign_chunk(data);
        out.extend_from_slice(alloc::format!("{:x};chunk-signature=", data.len()).as_bytes());
        out.extend_from_slice(signature.as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
    }

    /// Appends the final, empty chunk of a body without a trailer.
    pub fn write_final_chunk(&mut self, out: &mut Vec<u8>) {
        self.write_last(out);
        out.extend_from_slice(b"\r\n");
    }

    /// Appends the final, empty chunk and the signed trailer: each header
    /// `name:value`, then `x-amz-trailer-signature`, the HMAC of
    /// `AWS4-HMAC-SHA256-TRAILER`, the date, the scope, the final chunk's
    /// signature and the hash of the trailer's `name:value\n` lines.
    pub fn write_final_chunk_with_trailer(&mut self, trailer: &[(&str, &str)], out: &mut Vec<u8>) {
        self.write_last(out);
        let mut canonical = Vec::new();
        for (name, value) in trailer {
            let line = alloc::format!("{}:{}", name.to_ascii_lowercase(), value);
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(b"\r\n");
            canonical.extend_from_slice(line.as_bytes());
            canonical.push(b'\n');
        }
        let trailer_hash = hex32(&Sha256::digest(&canonical));
        let signature = self.key.sign(&trailer_string_to_sign(
            &self.amz_date,
            &self.scope,
            self.previous.as_str().as_bytes(),
            &trailer_hash,
        ));
        out.extend_from_slice(b"x-amz-trailer-signature:");
        out.extend_from_slice(signature.as_str().as_bytes());
        out.extend_from_slice(b"\r\n\r\n");
    }

    /// `0;chunk-signature=…\r\n`.
    fn write_last(&mut self, out: &mut Vec<u8>) {
        let signature = self.sign_chunk(b"");
        out.extend_from_slice(b"0;chunk-signature=");
        out.extend_from_slice(signature.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
}

/// Appends `data` as an unsigned chunk (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`):
/// `hex-size\r\n` + data + `\r\n`.
pub fn write_unsigned_chunk(data: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(alloc::format!("{:x}\r\n", data.len()).as_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
}

/// Appends the final, empty unsigned chunk and the unsigned trailer.
pub fn write_unsigned_final_chunk(trailer: &[(&str, &str)], out: &mut Vec<u8>) {
    out.extend_from_slice(b"0\r\n");
    for (name, value) in trailer {
        out.extend_from_slice(
            alloc::format!("{}:{}\r\n", name.to_ascii_lowercase(), value).as_bytes(),
        );
    }
    out.extend_from_slice(b"\r\n");
}
