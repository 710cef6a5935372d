//! The seed of a signed stream, verified: an aws-chunked upload's or an
//! event stream's initial request, through the checks every form shares,
//! handing over the key (and credentials) that verified it.

use super::*;
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
        let unsupported =
            || VerifyError::Malformed(crate::Error::SigV4aUnsupported { form: form.name() });
        if r.is_sigv4a() {
            return Err(unsupported());
        }
        let amz_date = r.amz_date;
        let mut signature = [0u8; 64];
        if r.signature.len() == 64 {
            signature.copy_from_slice(r.signature.as_bytes());
        }
        let scope = r.scope()?;
        // The key that verified the seed goes on to check what follows it,
        // and the credentials derive the next day's for a stream that
        // outlives midnight.
        let (verified, kept) =
            self.check(r, now, form, |key, creds| (key.clone(), creds.clone()))?;
        // SigV4a seeds were refused above: an HMAC key verified this one.
        let (key, credentials) = kept.ok_or_else(unsupported)?;
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
    pub(crate) key: SigningKey,
    /// The credentials it verified under.
    #[cfg_attr(not(feature = "eventstream"), allow(dead_code))]
    pub(crate) credentials: Credentials,
    /// The seed's time: every chunk's (an event's message carries its own).
    #[cfg_attr(not(feature = "chunked"), allow(dead_code))]
    pub(crate) amz_date: AmzDate,
    pub(crate) scope: Scope,
    /// The seed's signature, the first chunk's previous one.
    pub(crate) signature: [u8; 64],
}
