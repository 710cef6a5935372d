//! Signing an aws-chunked body: each chunk (and the trailer) signed with
//! the seed's key, chained to the signature before, and framed.

use super::{chunk_hash, chunk_string_to_sign, trailer_string_to_sign};
use crate::encoding::hex32;
use crate::error::Error;
use crate::key::{ChainedSignature, ReceivedSignature, SigningKey};
use crate::scope::{AmzDate, Scope};
use crate::sign::{HeaderSignature, Signer};
use crate::string_to_sign::{Algorithm, StringToSign};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use sha2::{Digest, Sha256};

/// The key a stream's chunks are signed or checked with: the seed's day's
/// HMAC key, or SigV4a's ECDSA key (signing) or public key (checking).
#[derive(Clone)]
pub(crate) enum ChunkKey {
    /// SigV4's signing key.
    Hmac(SigningKey),
    /// SigV4a's private key, which signs.
    #[cfg(feature = "sigv4a")]
    Ecdsa(crate::sigv4a::EcdsaKey),
    /// SigV4a's public key, which checks.
    #[cfg(feature = "sigv4a")]
    EcdsaPublic(crate::sigv4a::PublicKey),
}

impl ChunkKey {
    /// The algorithm it signs or checks with.
    pub(crate) fn algorithm(&self) -> Algorithm {
        match self {
            ChunkKey::Hmac(_) => Algorithm::HmacSha256,
            #[cfg(feature = "sigv4a")]
            ChunkKey::Ecdsa(_) | ChunkKey::EcdsaPublic(_) => Algorithm::EcdsaP256Sha256,
        }
    }

    /// The signature of `string_to_sign` (`None` for a key that only
    /// checks).
    fn sign(&self, string_to_sign: &StringToSign<'_>) -> Option<ChainedSignature> {
        match self {
            ChunkKey::Hmac(key) => {
                ChainedSignature::new(key.sign(string_to_sign).as_str().as_bytes())
            }
            #[cfg(feature = "sigv4a")]
            ChunkKey::Ecdsa(key) => {
                let mut text = Vec::with_capacity(256);
                string_to_sign.write(&mut text);
                ChainedSignature::new(key.sign(&text).as_str().as_bytes())
            }
            #[cfg(feature = "sigv4a")]
            ChunkKey::EcdsaPublic(_) => None,
        }
    }

    /// Whether `provided` (the hex as received, unpadded) signs
    /// `string_to_sign`: the HMAC compared in constant time, or the ECDSA
    /// signature checked.
    pub(crate) fn verifies(&self, string_to_sign: &StringToSign<'_>, provided: &[u8]) -> bool {
        match self {
            ChunkKey::Hmac(key) => ReceivedSignature::from_hex(provided)
                .is_some_and(|provided| key.verify(string_to_sign, &provided)),
            #[cfg(feature = "sigv4a")]
            ChunkKey::Ecdsa(key) => {
                let public = ChunkKey::EcdsaPublic(*key.public_key());
                public.verifies(string_to_sign, provided)
            }
            #[cfg(feature = "sigv4a")]
            ChunkKey::EcdsaPublic(public) => {
                let mut text = Vec::with_capacity(256);
                string_to_sign.write(&mut text);
                core::str::from_utf8(provided).is_ok_and(|hex| public.verifies(&text, hex))
            }
        }
    }
}

/// Signs an aws-chunked body's chunks, each chained to the signature before
/// it (the seed's first), with the seed's date and scope and the signer's
/// key: the day's HMAC key (cloned once), or SigV4a's ECDSA key.
#[derive(Clone)]
pub struct ChunkSigner {
    key: ChunkKey,
    amz_date: AmzDate,
    scope: Scope,
    previous: ChainedSignature,
}

impl core::fmt::Debug for ChunkSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChunkSigner")
            .field("algorithm", &self.key.algorithm())
            .field("amz_date", &self.amz_date.as_str())
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl ChunkSigner {
    /// A chunk signer seeded by `seed`, the seed request's signature made
    /// by `signer`: its date, scope and key are the seed's. A SigV4 signer
    /// signs the `STREAMING-AWS4-HMAC-SHA256-…` modes, a SigV4a signer the
    /// `STREAMING-AWS4-ECDSA-P256-SHA256-…` ones (each chunk's DER signature
    /// framed padded with `*` to 144 characters, as aws-c-auth writes it).
    pub fn new(signer: &Signer, seed: &HeaderSignature<'_>) -> Result<ChunkSigner, Error> {
        let previous =
            ChainedSignature::new(seed.signature().as_bytes()).ok_or(Error::Internal {
                invariant: "a seed signature is 1 to 144 hex digits",
            })?;
        #[cfg(feature = "sigv4a")]
        if let Some(key) = signer.sigv4a_key() {
            return Ok(ChunkSigner {
                key: ChunkKey::Ecdsa(key.clone()),
                amz_date: seed.amz_date_value(),
                scope: signer.scope().clone(),
                previous,
            });
        }
        Ok(ChunkSigner {
            key: ChunkKey::Hmac(signer.with_key(seed.signed_at(), SigningKey::clone)?),
            amz_date: seed.amz_date_value(),
            scope: signer.scope().clone(),
            previous,
        })
    }

    /// The algorithm it signs with: the modes of that algorithm are the
    /// ones it frames.
    pub(crate) fn algorithm(&self) -> Algorithm {
        self.key.algorithm()
    }

    /// The signature of the next chunk, `data`, chained to the one before:
    /// of `AWS4-HMAC-SHA256-PAYLOAD` (SigV4a: `AWS4-ECDSA-P256-SHA256-PAYLOAD`),
    /// the date, the scope, the previous signature, the empty hash and the
    /// data's hash, a line each. SigV4a's is its DER signature in hex, not
    /// yet padded.
    pub fn sign_chunk(&mut self, data: &[u8]) -> String {
        let hash = chunk_hash(data);
        let string_to_sign = chunk_string_to_sign(
            self.algorithm(),
            (&self.amz_date, &self.scope),
            &self.previous,
            &hash,
        );
        // A signing key always signs; the previous signature stands otherwise.
        if let Some(signature) = self.key.sign(&string_to_sign) {
            self.previous = signature;
        }
        self.previous.as_str().to_string()
    }

    /// Signs `data` as the next chunk and appends it framed:
    /// `hex-size;chunk-signature=…\r\n` + data + `\r\n`.
    pub fn write_chunk(&mut self, data: &[u8], out: &mut Vec<u8>) {
        let signature = self.sign_chunk(data);
        out.extend_from_slice(alloc::format!("{:x};chunk-signature=", data.len()).as_bytes());
        self.put_framed(&signature, out);
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
    }

    /// A signature as the framing carries it: SigV4a's padded with `*` to
    /// 144 characters.
    fn put_framed(&self, signature: &str, out: &mut Vec<u8>) {
        out.extend_from_slice(signature.as_bytes());
        if self.algorithm() == Algorithm::EcdsaP256Sha256 {
            let padding = ChainedSignature::MAX.saturating_sub(signature.len());
            out.extend(core::iter::repeat_n(b'*', padding));
        }
    }

    /// Appends the final, empty chunk of a body without a trailer.
    pub fn write_final_chunk(&mut self, out: &mut Vec<u8>) {
        self.write_last(out);
        out.extend_from_slice(b"\r\n");
    }

    /// Appends the final, empty chunk and the signed trailer: each header
    /// `name:value`, then `x-amz-trailer-signature`, the signature of
    /// `AWS4-HMAC-SHA256-TRAILER` (SigV4a: `AWS4-ECDSA-P256-SHA256-TRAILER`),
    /// the date, the scope, the final chunk's signature and the hash of the
    /// trailer's `name:value\n` lines.
    pub fn write_final_chunk_with_trailer(&mut self, trailer: &[(&str, &str)], out: &mut Vec<u8>) {
        self.write_last(out);
        for (name, value) in trailer {
            out.extend_from_slice(name.to_ascii_lowercase().as_bytes());
            out.push(b':');
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        let trailer_hash = trailer_hash(trailer);
        let string_to_sign = trailer_string_to_sign(
            self.algorithm(),
            (&self.amz_date, &self.scope),
            &self.previous,
            &trailer_hash,
        );
        let signature = self.key.sign(&string_to_sign).unwrap_or(self.previous);
        out.extend_from_slice(b"x-amz-trailer-signature:");
        self.put_framed(signature.as_str(), out);
        out.extend_from_slice(b"\r\n\r\n");
    }

    /// The string to sign of the next chunk, were it `data`: what its
    /// signature will cover, for explaining a mismatch. Nothing is signed
    /// or chained.
    pub fn chunk_string_to_sign(&self, data: &[u8]) -> String {
        let (head, hash) = ((&self.amz_date, &self.scope), chunk_hash(data));
        text_of(chunk_string_to_sign(
            self.algorithm(),
            head,
            &self.previous,
            &hash,
        ))
    }

    /// The trailer's string to sign, were `trailer` to follow the chunks
    /// signed so far (the final, empty one included).
    pub fn trailer_string_to_sign(&self, trailer: &[(&str, &str)]) -> String {
        let (head, hash) = ((&self.amz_date, &self.scope), trailer_hash(trailer));
        text_of(trailer_string_to_sign(
            self.algorithm(),
            head,
            &self.previous,
            &hash,
        ))
    }

    /// `0;chunk-signature=…\r\n`.
    fn write_last(&mut self, out: &mut Vec<u8>) {
        let signature = self.sign_chunk(b"");
        out.extend_from_slice(b"0;chunk-signature=");
        self.put_framed(&signature, out);
        out.extend_from_slice(b"\r\n");
    }
}

/// The hex SHA-256 of a trailer's `name:value\n` lines (names lower-cased),
/// the last line of its string to sign.
fn trailer_hash(trailer: &[(&str, &str)]) -> [u8; 64] {
    let mut canonical = Sha256::new();
    for (name, value) in trailer {
        canonical.update(name.to_ascii_lowercase().as_bytes());
        canonical.update(b":");
        canonical.update(value.as_bytes());
        canonical.update(b"\n");
    }
    hex32(&canonical.finalize())
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

/// A string to sign as text, written by the writer that signs.
fn text_of(string_to_sign: StringToSign<'_>) -> String {
    let mut text = String::new();
    string_to_sign.write(&mut text);
    text
}
