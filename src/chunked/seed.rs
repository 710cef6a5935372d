//! The seed of an aws-chunked upload, verified (feature `chunked`): the
//! headers that say the body streams, in which mode, how long its data is
//! and which trailer ends it; then the seed's signature through the
//! verifier's shared checks, which hand over the key that verified it.

use super::ChunkKey;
use super::{Checksum, ChunkVerifier};
use crate::credentials::Credentials;
use crate::request::Payload;
use crate::request::Streaming;
use crate::scope::SigningTime;
use crate::string_to_sign::Algorithm;
use crate::verify::{Form, SeedIn, SeedKey, Verified, Verifier, VerifyError};
use alloc::string::ToString;

impl<F> Verifier<F> {
    /// Verifies the seed request of an aws-chunked upload (feature
    /// `chunked`): header-signed, with `x-amz-content-sha256` one of the
    /// `STREAMING-…` modes, `content-encoding: aws-chunked`,
    /// `x-amz-decoded-content-length` and, in the trailer modes,
    /// `x-amz-trailer`; then hands back the [`ChunkVerifier`]
    /// for its body, seeded with its signature and holding its signing key.
    pub fn verify_streaming<C>(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        now: SigningTime,
    ) -> Result<(Verified, ChunkVerifier), VerifyError>
    where
        F: Fn(&str) -> Option<C>,
        C: core::borrow::Borrow<Credentials>,
    {
        // Each read once, trimmed as the canonical request trims it: a
        // second copy would make the upload mean two things.
        let header = |name: &'static str| -> Result<Option<&str>, VerifyError> {
            let mut found = (headers.iter()).filter(|(n, _)| n.eq_ignore_ascii_case(name));
            match (found.next(), found.next()) {
                (_, Some(_)) => Err(VerifyError::Duplicate(name)),
                (value, None) => Ok(value.map(|(_, v)| v.trim_matches([' ', '\t']))),
            }
        };
        let claim =
            header("x-amz-content-sha256")?.ok_or(VerifyError::Missing("x-amz-content-sha256"))?;
        let mode = (Streaming::ALL.into_iter())
            .filter(|m| {
                cfg!(feature = "sigv4a") || m.algorithm() != Some(Algorithm::EcdsaP256Sha256)
            })
            .find(|m| m.as_str() == claim)
            .ok_or_else(|| match claim.starts_with("STREAMING-") {
                true => VerifyError::UnsupportedStreamingMode {
                    mode: claim.to_string(),
                },
                // A body hash, or UNSIGNED-PAYLOAD: not an aws-chunked upload.
                false => VerifyError::Missing("x-amz-content-sha256 naming an aws-chunked mode"),
            })?;
        let chunked = header("content-encoding")?.is_some_and(|v| {
            v.split(',')
                .any(|e| e.trim().eq_ignore_ascii_case("aws-chunked"))
        });
        if !chunked {
            return Err(VerifyError::Missing("content-encoding: aws-chunked"));
        }
        let declared = header("x-amz-decoded-content-length")?
            .filter(|v| !v.is_empty() && v.len() <= 19 && v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or(VerifyError::Missing("x-amz-decoded-content-length"))?;
        let trailer_name = header("x-amz-trailer")?.map(str::to_ascii_lowercase);
        if mode.has_trailer() != trailer_name.is_some() {
            return Err(VerifyError::Missing(
                "x-amz-trailer (in the trailer modes, and only there)",
            ));
        }
        // One checksum S3 defines, or the whole body would be read for
        // nothing.
        if let Some(name) = &trailer_name {
            if Checksum::from_header_name(name).is_none() {
                return Err(VerifyError::Missing(
                    "x-amz-trailer naming one checksum (x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1 or -sha256)",
                ));
            }
        }
        let seed = self.verify_seed(
            (method, url, headers),
            SeedIn::AuthorizationHeader,
            Payload::Streaming(mode),
            Form::ChunkedUpload,
            now,
        )?;
        // The chunks are signed as the seed was: an HMAC seed cannot
        // vouch for ECDSA-signed chunks, nor the reverse. (An unsigned
        // mode's chunks take no key; its trailer's checksum vouches.)
        let key = match seed.key {
            SeedKey::Hmac(key) => ChunkKey::Hmac(key),
            #[cfg(feature = "sigv4a")]
            SeedKey::Ecdsa(key) => ChunkKey::EcdsaPublic(key),
        };
        if mode.algorithm().is_some_and(|a| a != key.algorithm()) {
            return Err(VerifyError::UnsupportedStreamingMode {
                mode: alloc::format!("{} under a {} seed", mode.as_str(), key.algorithm()),
            });
        }
        let chunks = ChunkVerifier::new(
            key,
            seed.amz_date,
            seed.scope,
            seed.signature,
            mode,
            declared,
            trailer_name,
        );
        Ok((seed.verified, chunks))
    }
}
