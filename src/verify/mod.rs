//! The reverse path: take a received presigned URL (or a request signed with an `Authorization`
//! header), look up the secret, check the scope, expiry and clock skew, rebuild the canonical
//! request with the same code that signs, and compare the signature in constant time.
//!
//! ```
//! use awsig::s3::{S3Presigner, S3Request};
//! use awsig::verify::Verifier;
//! use awsig::{Credentials, SigningTime};
//!
//! let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! let signed_at = SigningTime::parse("2013-05-24T00:00:00Z")?;
//! let url = S3Presigner::new(creds.clone(), "us-east-1")?
//!     .presign(&S3Request::get("examplebucket", "test.txt"), signed_at)?;
//!
//! let verifier = Verifier::new(|key_id: &str| (key_id == "AKIAIOSFODNN7EXAMPLE").then(|| creds.clone()))
//!     .accept("us-east-1", "s3");
//! let now = SigningTime::parse("2013-05-24T00:05:00Z")?;
//! let verified = verifier.verify_presigned("GET", url.as_str(), &[], None, now).unwrap();
//! assert_eq!(verified.access_key_id(), "AKIAIOSFODNN7EXAMPLE");
//! assert_eq!(verified.expires_at(), Some(SigningTime::parse("2013-05-24T00:15:00Z")?));
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! [`Verifier::verify_authorization`] does the same for header-signed requests. The lookup may
//! return owned credentials or anything that borrows as them (`Arc<Credentials>` from a credential
//! store), so a server need not copy a secret per request. Verifying a presigned URL allocates once
//! (the [`Verified`]), and a query already in canonical form (as this crate, botocore and the SDKs
//! send it) is hashed as received. Each check has its own [`VerifyError`]; a mismatch hands over
//! the canonical request and string to sign it computed, never the expected signature or a key.
//!
//! By default the verifier refuses what the signature does not cover: unsigned `x-amz-*` headers
//! (S3 answers those `HeadersNotSigned`; other services may allow them through
//! [`Verifier::unsigned_amz_headers`]), another body, another or a second `Host`, two
//! authentication mechanisms, repeated values and stray session tokens. SECURITY.md gives each
//! refusal its source, and `tests/attacks.rs` keeps the table. What verification proves is AWS's
//! canonical form (`+` and `%2B` alike, `%2F` and `/` in S3 paths): a server must act on the
//! decoded request.
//!
//! # Explain
//!
//! When a signature does not match, [`crate::explain`] (`awsig explain URL`) shows the canonical
//! request, string to sign and scope it was computed from, and, given the body of S3's
//! `SignatureDoesNotMatch` error (`--s3-error FILE`), the first line and column where S3's differs,
//! both versions of the line, and the usual cause (`+` versus `%20`, a double-encoded path, host or
//! port, a header signed but not sent, another region or date, another payload hash).

// `ok_or(VerifyError::..)` builds an error on every success and runs its
// drop glue (some variants hold Strings): the lazy form costs nothing then.
#![allow(clippy::unnecessary_lazy_evaluations)]

mod body;
mod checks;
mod credential;
mod error;
mod headers;
mod query;
mod rebuild;
mod received;
#[cfg(any(feature = "chunked", feature = "eventstream"))]
mod seed;
mod signed_with;
#[cfg(test)]
mod tests;
mod verified;

pub(crate) use checks::{
    accept_credentials, is_token_header, one_token, token_in_place, Form, Lifetime, TokenName,
};
#[cfg(feature = "post")]
pub(crate) use credential::{parse_amz_date, CredentialParts};
pub use error::VerifyError;
pub use headers::UnsignedAmzHeaders;
pub(crate) use received::{Carried, Received};
#[cfg(any(feature = "chunked", feature = "eventstream"))]
pub(crate) use seed::{SeedIn, SeedKey};
pub use verified::Verified;

use crate::credentials::Credentials;
use crate::key::constant_time_eq;
use crate::key::SigningKey;
use crate::key_cache::KeyCache;
use crate::request::Payload;
use crate::scope::AmzDate;
use crate::scope::{Scope, SigningTime};
use crate::settings::Settings;
use crate::settings::MAX_EXPIRES;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use body::*;
use core::fmt;
use headers::*;

/// The key a signature verified under, handed to what goes on with it
/// (a stream's chunks or messages).
#[cfg_attr(
    not(any(feature = "chunked", feature = "eventstream")),
    allow(dead_code)
)]
pub(crate) enum VerifiedBy<'a> {
    /// SigV4's HMAC key.
    Hmac(&'a SigningKey),
    /// SigV4a's public key.
    #[cfg(feature = "sigv4a")]
    Ecdsa(&'a crate::sigv4a::PublicKey),
}

/// How many keys of each algorithm a verifier keeps.
const KEPT_KEYS: usize = 16;

/// Default allowed clock skew: 15 minutes, as AWS allows.
pub const DEFAULT_MAX_SKEW: u64 = 900;

/// Checks presigned URLs and header-signed requests.
pub struct Verifier<F> {
    lookup: F,
    /// Accepted (region, service) pairs; `None` accepts any.
    accepted: Vec<(Option<String>, Option<String>)>,
    /// The scopes of the exact (region, service) pairs, made once so that
    /// verifying does not build one per request.
    accepted_scopes: Vec<Scope>,
    accept_any: bool,
    /// The hosts served; empty: any host.
    hosts: Vec<String>,
    unsigned: UnsignedAmzHeaders,
    max_skew: u64,
    max_expires: u64,
    /// Services signed otherwise than their defaults (`settings_for`).
    settings: Vec<(String, Settings)>,
    /// HMAC keys that verified a signature.
    keys: KeyCache<SigningKey, KEPT_KEYS>,
    /// SigV4a public keys, kept once derived.
    #[cfg(feature = "sigv4a")]
    public_keys: KeyCache<crate::sigv4a::PublicKey, KEPT_KEYS>,
}

impl<F> fmt::Debug for Verifier<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("accepted", &self.accepted)
            .field("accept_any", &self.accept_any)
            .field("hosts", &self.hosts)
            .field("unsigned", &self.unsigned)
            .field("max_skew", &self.max_skew)
            .field("max_expires", &self.max_expires)
            .field("settings", &self.settings)
            .finish()
    }
}

impl<F> Verifier<F> {
    /// A verifier that finds credentials (the secret and, for temporary
    /// credentials, the session token to require) by access key id.
    ///
    /// `lookup` may hand back owned [`Credentials`] or anything that borrows
    /// as them (`&Credentials` from a static table, `Arc<Credentials>`), so
    /// that verifying need not copy the secret.
    ///
    /// ```
    /// use std::{collections::HashMap, sync::Arc};
    /// use awsig::{s3::{S3Presigner, S3Request}, verify::Verifier, Credentials, SigningTime};
    ///
    /// let creds = Arc::new(Credentials::new("AKIDEXAMPLE", "secret")?);
    /// let store = HashMap::from([("AKIDEXAMPLE".to_string(), Arc::clone(&creds))]);
    /// let verifier = Verifier::new(move |id: &str| store.get(id).cloned()).accept("eu-west-1", "s3");
    ///
    /// let at = SigningTime::from_unix_seconds(1_700_000_000)?;
    /// let url = S3Presigner::new((*creds).clone(), "eu-west-1")?
    ///     .presign(&S3Request::get("bucket", "key"), at)?;
    /// assert!(verifier.verify_presigned("GET", url.as_str(), &[], None, at).is_ok());
    /// assert!(verifier.verify_presigned("PUT", url.as_str(), &[], None, at).is_err());
    /// # Ok::<(), awsig::Error>(())
    /// ```
    pub fn new<C>(lookup: F) -> Self
    where
        F: Fn(&str) -> Option<C>,
        C: core::borrow::Borrow<Credentials>,
    {
        Verifier {
            lookup,
            accepted: Vec::new(),
            accepted_scopes: Vec::new(),
            accept_any: false,
            hosts: Vec::new(),
            unsigned: UnsignedAmzHeaders::Refuse,
            max_skew: DEFAULT_MAX_SKEW,
            max_expires: MAX_EXPIRES,
            settings: Vec::new(),
            keys: KeyCache::new(),
            #[cfg(feature = "sigv4a")]
            public_keys: KeyCache::new(),
        }
    }

    /// Accepts requests signed for `region` and `service` (call it for each
    /// pair to accept). With none accepted, every request is refused.
    pub fn accept(mut self, region: &str, service: &str) -> Self {
        self.accepted
            .push((Some(region.to_string()), Some(service.to_string())));
        // A name that is not a valid scope never matches a parsed credential.
        if let Ok(scope) = Scope::new(region, service) {
            self.accepted_scopes.push(scope);
        }
        self
    }

    /// Accepts requests signed for `service` in any region.
    pub fn accept_any_region(mut self, service: &str) -> Self {
        self.accepted.push((None, Some(service.to_string())));
        self
    }

    /// Accepts requests signed in `region` for any service (for tools that
    /// check signatures of one region).
    pub fn accept_any_service(mut self, region: &str) -> Self {
        self.accepted.push((Some(region.to_string()), None));
        self
    }

    /// Accepts any region and service (for tools that only check signatures).
    pub fn accept_any_scope(mut self) -> Self {
        self.accept_any = true;
        self
    }

    /// Serves `host` (a host name, with its port when it is not the
    /// scheme's default): once one is given, a request signed for any other
    /// host is refused. Call it for each host served. The comparison ignores
    /// ASCII case.
    ///
    /// ```
    /// # use awsig::{s3::{S3Presigner, S3Request}, verify::{Verifier, VerifyError}, Credentials, SigningTime};
    /// let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
    /// let at = SigningTime::from_unix_seconds(1_700_000_000)?;
    /// let url = S3Presigner::new(creds.clone(), "eu-west-1")?.presign(&S3Request::get("bucket", "k"), at)?;
    /// let verifier = Verifier::new(|_: &str| Some(creds.clone())).accept("eu-west-1", "s3");
    /// let ours = verifier.accept_host("uploads.example.com");
    /// assert!(matches!(
    ///     ours.verify_presigned("GET", url.as_str(), &[], None, at),
    ///     Err(VerifyError::HostNotAccepted { .. })
    /// ));
    /// # Ok::<(), awsig::Error>(())
    /// ```
    pub fn accept_host(mut self, host: &str) -> Self {
        self.hosts.push(host.to_string());
        self
    }

    /// What to do with `x-amz-*` headers sent but not signed, for services
    /// other than S3 (default [`UnsignedAmzHeaders::Refuse`]). S3 requests
    /// always refuse them, as S3 does.
    pub fn unsigned_amz_headers(mut self, rule: UnsignedAmzHeaders) -> Self {
        self.unsigned = rule;
        self
    }

    /// Sets the allowed clock skew in seconds (default 900).
    pub fn max_skew(mut self, seconds: u64) -> Self {
        self.max_skew = seconds;
        self
    }

    /// Sets the longest accepted `X-Amz-Expires` (default 604 800).
    pub fn max_expires(mut self, seconds: u64) -> Self {
        self.max_expires = seconds;
        self
    }

    /// Verifies `service`'s requests as signed with `settings` instead of
    /// the service's defaults ([`Settings::for_service`]): how the path is
    /// encoded and normalized, whether the session token is added after
    /// signing, whether a URL may lack `X-Amz-Expires`. aws-c-auth's test
    /// suite signs some requests unnormalized, for one.
    ///
    /// ```
    /// use awsig::{verify::Verifier, Credentials, PathNormalization, Payload, Request, Settings, Signer, SigningTime};
    /// let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
    /// let mut settings = Settings::for_service("service");
    /// settings.normalize_path = PathNormalization::AsGiven;
    /// let signer = Signer::new(creds.clone(), "us-east-1", "service")?.with_settings(settings.clone());
    /// let at = SigningTime::from_unix_seconds(0)?;
    /// let url = signer.presign(&Request::new("GET", "example.com", "/a/../b"), at, 60)?;
    /// let verifier = Verifier::new(|_: &str| Some(creds.clone())).accept("us-east-1", "service");
    /// assert!(verifier.verify_presigned("GET", url.as_str(), &[], Some(Payload::Empty), at).is_err());
    /// let verifier = verifier.settings_for("service", settings);
    /// assert!(verifier.verify_presigned("GET", url.as_str(), &[], Some(Payload::Empty), at).is_ok());
    /// # Ok::<(), awsig::Error>(())
    /// ```
    pub fn settings_for(mut self, service: &str, settings: Settings) -> Self {
        // A second call for a service replaces the first.
        self.settings.retain(|(name, _)| name != service);
        self.settings.push((service.to_string(), settings));
        self
    }

    /// The clock skew allowed, in seconds.
    #[cfg(feature = "eventstream")]
    pub(crate) fn allowed_skew(&self) -> u64 {
        self.max_skew
    }

    /// The settings `service`'s requests are verified with.
    fn settings_of(&self, service: &str) -> Settings {
        (self.settings.iter())
            .find(|(name, _)| name == service)
            .map_or_else(|| Settings::for_service(service), |(_, s)| s.clone())
    }

    /// Verifies a presigned URL received with `method`, the `headers` the
    /// client sent and the body received, at `now`.
    ///
    /// `payload` is the body (or its SHA-256): S3 URLs sign
    /// `UNSIGNED-PAYLOAD` and ignore it, but every other service signs the
    /// body's hash, and there `None` is refused
    /// ([`VerifyError::PayloadRequired`]); pass [`Payload::Empty`] for a
    /// request that came without a body.
    pub fn verify_presigned<C: core::borrow::Borrow<Credentials>>(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        payload: Option<Payload<'_>>,
        now: SigningTime,
    ) -> Result<Verified, VerifyError>
    where
        F: Fn(&str) -> Option<C>,
    {
        self.check(
            Received::presigned(
                method,
                url,
                headers,
                payload,
                Some(self.unsigned),
                &|service| self.settings_of(service),
            )?,
            now,
            Form::Request,
            |_, _| (),
        )
        .map(|(verified, _)| verified)
    }

    /// Verifies a request signed with an `Authorization` header. `payload` is
    /// the body when the caller has it (checked against
    /// `x-amz-content-sha256` when that header was sent).
    pub fn verify_authorization<C: core::borrow::Borrow<Credentials>>(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        payload: Option<Payload<'_>>,
        now: SigningTime,
    ) -> Result<Verified, VerifyError>
    where
        F: Fn(&str) -> Option<C>,
    {
        self.check(
            Received::authorized(
                method,
                url,
                headers,
                payload,
                Some(self.unsigned),
                &|service| self.settings_of(service),
            )?,
            now,
            Form::Request,
            |_, _| (),
        )
        .map(|(verified, _)| verified)
    }

    /// Runs the shared checks on what was received, in their order (see
    /// [`checks`]), then the signature; `with_key` runs with the HMAC key
    /// that verified it and its credentials (`None` for SigV4a, which has
    /// no HMAC key).
    fn check<C, R>(
        &self,
        r: Received<'_>,
        now: SigningTime,
        form: Form,
        with_key: impl FnOnce(VerifiedBy<'_>, &Credentials) -> R,
    ) -> Result<(Verified, R), VerifyError>
    where
        F: Fn(&str) -> Option<C>,
        C: core::borrow::Borrow<Credentials>,
    {
        let (region, service) = (r.credential.region(), r.credential.service());
        let shown_region = r.region_set_text().unwrap_or(region);
        self.accept_scope(
            form,
            |accepted| r.is_good_in(accepted),
            shown_region,
            service,
        )?;
        self.check_host(&r.host)?;
        let lifetime = match r.carried {
            Carried::Query {
                expires_in: None, ..
            } => Lifetime::UrlWithoutExpiry,
            Carried::Query {
                expires_in: Some(expires_in),
                ..
            } => Lifetime::Expires(expires_in),
            Carried::Header => Lifetime::Header,
        };
        let expires_at = self.validity_window(lifetime, r.signed_at, now)?;
        let found = self.credentials_for(r.credential.key())?;
        let creds: &Credentials = found.borrow();
        accept_credentials(creds, r.signed_at, now, r.token.as_deref())?;
        #[cfg(feature = "sigv4a")]
        if r.is_sigv4a() {
            let public_key = self.check_ecdsa(&r, creds)?;
            let verified = Verified {
                region_set: r.region_set_text().map(String::from),
                credential: r.credential,
                signed_headers_at: r.signed_headers_at,
                signed_at: r.signed_at,
                expires_at,
            };
            return Ok((verified, with_key(VerifiedBy::Ecdsa(&public_key), creds)));
        }
        let provided = r.signature_bytes()?;
        let known =
            (self.accepted_scopes.iter()).find(|s| s.region() == region && s.service() == service);
        let scope = match known {
            Some(scope) => alloc::borrow::Cow::Borrowed(scope),
            None => alloc::borrow::Cow::Owned(r.scope()?),
        };
        let request_hash = r.request_hash()?;
        let string_to_sign = r.string_to_sign(&scope, &request_hash);
        let check = |key: &SigningKey| key.verify(&string_to_sign, &provided);
        let Some(kept) = self.check_hmac(creds, (&r.amz_date, r.signed_at), &scope, check, |key| {
            with_key(VerifiedBy::Hmac(key), creds)
        }) else {
            let (canonical_request, string_to_sign) = r.texts()?;
            return Err(VerifyError::SignatureMismatch {
                canonical_request,
                string_to_sign,
            });
        };
        let verified = Verified {
            credential: r.credential,
            signed_headers_at: r.signed_headers_at,
            signed_at: r.signed_at,
            expires_at,
            region_set: None,
        };
        Ok((verified, kept))
    }
}
