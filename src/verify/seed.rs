//! The seed of a signed stream, verified: an aws-chunked upload's or an
//! event stream's initial request, through the checks every form shares,
//! handing over the key (and credentials) that verified it.

use super::*;
use crate::key::ChainedSignature;
use crate::request::Payload;

impl<F> Verifier<F> {
    /// The seed of a signed stream (an aws-chunked upload's or an event
    /// stream's), through the shared checks as `form`: what the stream's
    /// chunks or messages are chained from and checked with. `payload` is
    /// the form's payload line (the `STREAMING-…` literal a header-signed
    /// seed must send in `x-amz-content-sha256`, or the empty body a
    /// presigned websocket URL signs).
    #[cfg(any(feature = "chunked", feature = "eventstream"))]
    pub(crate) fn verify_seed<C>(
        &self,
        (method, url, headers): (&str, &str, &[(&str, &str)]),
        seed_in: SeedIn,
        payload: Payload<'_>,
        form: Form,
        now: SigningTime,
    ) -> Result<VerifiedSeed, VerifyError>
    where
        F: Fn(&str) -> Option<C>,
        C: core::borrow::Borrow<Credentials>,
    {
        let settings = |service: &str| self.settings_of(service);
        let (unsigned, payload) = (Some(self.unsigned), Some(payload));
        let r = match seed_in {
            SeedIn::AuthorizationHeader => {
                Received::authorized(method, url, headers, payload, unsigned, &settings)?
            }
            SeedIn::PresignedUrl => {
                Received::presigned(method, url, headers, payload, unsigned, &settings)?
            }
        };
        let amz_date = r.amz_date;
        // Read as what the signature must be once it verifies: a bad one
        // is refused by the checks first, with their error.
        let signature = ChainedSignature::new(r.signature.as_bytes());
        let scope = r.scope()?;
        // The key that verified the seed goes on to check what follows it,
        // and the credentials derive the next day's for a stream that
        // outlives midnight.
        let (verified, (key, credentials)) = self.check(r, now, form, |key, creds| {
            let key = match key {
                VerifiedBy::Hmac(key) => SeedKey::Hmac(key.clone()),
                #[cfg(feature = "sigv4a")]
                VerifiedBy::Ecdsa(key) => SeedKey::Ecdsa(*key),
            };
            (key, creds.clone())
        })?;
        let signature = signature.ok_or(VerifyError::Malformed(crate::Error::Internal {
            invariant: "a verified signature is 1 to 144 hex digits",
        }))?;
        Ok(VerifiedSeed {
            verified,
            key,
            credentials,
            amz_date,
            scope,
            signature,
        })
    }
}

/// Where a stream's seed carries its signature.
#[cfg(any(feature = "chunked", feature = "eventstream"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SeedIn {
    /// An `Authorization` header (aws-chunked uploads, HTTP/2 event streams).
    AuthorizationHeader,
    /// A presigned URL (an event stream's websocket).
    #[cfg_attr(not(feature = "eventstream"), allow(dead_code))]
    PresignedUrl,
}

/// A stream's seed, verified, with what its chunks or messages are checked
/// with.
#[cfg(any(feature = "chunked", feature = "eventstream"))]
pub(crate) struct VerifiedSeed {
    pub(crate) verified: Verified,
    /// The key that verified the seed.
    pub(crate) key: SeedKey,
    /// The credentials it verified under.
    #[cfg_attr(not(feature = "eventstream"), allow(dead_code))]
    pub(crate) credentials: Credentials,
    /// The seed's time: every chunk's (an event's message carries its own).
    #[cfg_attr(not(feature = "chunked"), allow(dead_code))]
    pub(crate) amz_date: AmzDate,
    pub(crate) scope: Scope,
    /// The seed's signature, the first chunk's previous one.
    pub(crate) signature: ChainedSignature,
}

/// The key that verified a stream's seed, kept to check what follows.
#[cfg(any(feature = "chunked", feature = "eventstream"))]
pub(crate) enum SeedKey {
    /// SigV4: the seed day's HMAC key.
    Hmac(SigningKey),
    /// SigV4a: the signer's public key.
    #[cfg(feature = "sigv4a")]
    Ecdsa(crate::sigv4a::PublicKey),
}
