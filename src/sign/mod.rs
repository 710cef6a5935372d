//! The signer: presigned URLs (query signing) and `Authorization` headers, for any AWS service.
//!
//! Both go the same way: check the request, sort it into a `Canonical`, hash the canonical request
//! as it is written, HMAC the string to sign with the cached signing key. A request with nothing to
//! sort takes a straight path (`plain.rs`: the same bytes, nothing sorted). What signing returns is
//! in `signed.rs`; the settings that differ between services in [`crate::settings`].
//!
//! # Settings that bite people, right by default
//!
//! * S3 signs the path once-encoded and unnormalized with `UNSIGNED-PAYLOAD`; every other service
//!   double-encodes, normalizes and signs the payload hash. [`Settings::for_service`] picks; every
//!   field can be overridden.
//! * Query components use `%20`, never `+`; `+ / = ;` in values are encoded; keys sort by their
//!   encoded bytes, then values.
//! * `X-Amz-Expires` is 1 to 604 800 s (7 days); the cap can be raised for stores that allow more.
//!   A URL that would outlive its credentials' expiry is an error unless allowed.
//! * The session token is signed as `X-Amz-Security-Token`, or added after signing
//!   ([`SessionTokenMode::AfterSigning`], IoT style). [`Signer::presign_without_expiry`] leaves
//!   `X-Amz-Expires` out, as AWS IoT's websocket URLs do, and never for S3
//!   ([`Error::ExpiryRequired`]).
//! * The headers signing writes itself are refused from the caller, each error saying where the
//!   value comes from (`host`: the request; `x-amz-date`: the signing time; `x-amz-content-sha256`:
//!   the payload; `x-amz-security-token`: the credentials), and so is `Authorization` (botocore
//!   drops a caller's silently). Methods are upper-case: S3 signs `PUT` and refuses a signature
//!   over `put`, so signing `put` is [`Error::MethodNotUpperCase`].
//! * Every bad input is a typed [`Error`] naming the input (`region "us/east" must be …`); header
//!   and query values are never echoed in errors, and the secret never appears in `Debug`.

mod authorize;
mod plain;
mod presign;
mod shown;
mod signed;
mod token;

pub use signed::*;

/// How a request is signed: where its signature travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningMode {
    /// A presigned URL, valid for this many seconds.
    Query {
        /// `X-Amz-Expires`.
        expires_in: u64,
    },
    /// A presigned URL without `X-Amz-Expires`, for the services that bound
    /// a signature's life themselves ([`Signer::presign_without_expiry`]).
    QueryWithoutExpiry,
    /// The `Authorization` header.
    Header,
}

impl SigningMode {
    /// The query parameters a caller's request may not carry in this mode:
    /// presigning writes every authentication parameter itself, and a
    /// header-signed request may not carry query authentication too (S3
    /// refuses two mechanisms in one request, and so does the verifier).
    fn reserved_query(self) -> &'static [&'static str] {
        match self {
            SigningMode::Query { .. } | SigningMode::QueryWithoutExpiry => &PRESIGNING_PARAMS,
            SigningMode::Header => &HEADER_SIGNED_RESERVED,
        }
    }
}

use crate::canonical::RequestHash;
use crate::canonical::{
    AuthParam, AuthParams, Canonical, PayloadHash, QueryNames, Sorted, HEADER_SIGNED_RESERVED,
    PRESIGNING_PARAMS,
};
use crate::credentials::Credentials;
use crate::encoding::Slash;
use crate::encoding::{encode_text_into, encoded_len, Sink};
use crate::error::Error;
use crate::key::{KeyChain, SigningKey};
use crate::key_cache::KeyCache;
use crate::request::{HostCheck, Payload, Request};
use crate::scope::{AmzDate, Scope, SigningTime};
use crate::settings::*;
use crate::string_to_sign::{Algorithm, StringToSign};
use alloc::string::String;
use alloc::vec::Vec;
use sha2::{Digest, Sha256};

/// Signs requests for one set of credentials, region and service, keeping
/// the day's signing key.
///
/// ```
/// use awsig::{Credentials, Request, Signer, SigningTime};
/// let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
/// let signer = Signer::new(creds, "us-east-1", "s3")?;
/// let time = SigningTime::parse("2013-05-24T00:00:00Z")?;
/// let req = Request::new("GET", "examplebucket.s3.amazonaws.com", "/test.txt");
/// let url = signer.presign(&req, time, 86_400)?;
/// assert!(url.as_str().ends_with(
///     "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
/// # Ok::<(), awsig::Error>(())
/// ```
#[derive(Clone)]
pub struct Signer {
    credentials: Credentials,
    scope: Scope,
    settings: Settings,
    keys: SigningKeys,
    /// `X-Amz-Credential` without its date, encoded once: `AKID%2F` and
    /// `%2Fregion%2Fservice%2Faws4_request` in one allocation, the date
    /// going in at `credential_date_at`.
    credential: String,
    credential_date_at: usize,
}

/// What a signer signs with: one algorithm's keys, and nothing of the other's.
#[derive(Clone)]
enum SigningKeys {
    /// SigV4: the day's HMAC signing key (and the day before's, for
    /// signatures around midnight), derived on first use.
    Hmac(KeyCache<SigningKey, 2>),
    /// SigV4a: the ECDSA key, derived once, and the region set, shared by
    /// the signer's clones.
    #[cfg(feature = "sigv4a")]
    Ecdsa(alloc::sync::Arc<crate::sigv4a::V4aSigning>),
}

impl core::fmt::Debug for Signer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Signer")
            .field("credentials", &self.credentials)
            .field("scope", &self.scope)
            .field("settings", &self.settings)
            .field("region_set", &self.region_set())
            .finish()
    }
}

/// Everything a signature is computed from, kept together for explain.
struct Prepared<'a> {
    payload_hash: PayloadHash,
    /// The request as given, or a copy with the default port dropped from
    /// its host.
    request: alloc::borrow::Cow<'a, Request<'a>>,
}

impl Signer {
    /// A signer for `region` and `service`, with that service's default
    /// [`Settings`].
    pub fn new(credentials: Credentials, region: &str, service: &str) -> Result<Signer, Error> {
        let scope = Scope::new(region, service)?;
        // Today's key, and the day before's for signatures around midnight.
        let keys = SigningKeys::Hmac(KeyCache::new());
        Ok(Signer::for_scope(credentials, scope, keys))
    }

    /// A signer for `scope` with `keys`, the service's default settings and
    /// the encoded credential sized exactly: a signer made per request
    /// allocates no more than it must.
    fn for_scope(credentials: Credentials, scope: Scope, keys: SigningKeys) -> Signer {
        let key_id = credentials.access_key_id();
        // The region and service hold no byte to escape: only each `/`
        // around them is written `%2F`.
        let (region, service) = (scope.region(), scope.service());
        let region_piece = if region.is_empty() { "" } else { "%2F" };
        let tail = [region_piece, region, "%2F", service, "%2Faws4_request"];
        let tail_len: usize = tail.iter().map(|piece| piece.len()).sum();
        let mut credential =
            String::with_capacity(encoded_len(key_id.as_bytes(), Slash::Escape) + 3 + tail_len);
        encode_text_into(key_id, Slash::Escape, &mut credential);
        credential.push_str("%2F");
        let credential_date_at = credential.len();
        tail.iter().for_each(|piece| credential.push_str(piece));
        Signer {
            credential,
            credential_date_at,
            settings: Settings::for_service(service),
            credentials,
            scope,
            keys,
        }
    }

    /// `X-Amz-Credential` before and after its date.
    fn credential_around_date(&self) -> (&str, &str) {
        self.credential.split_at(self.credential_date_at)
    }

    /// A SigV4a signer (feature `sigv4a`): signatures good in every region
    /// of `region_set`, for `service`. The ECDSA key is derived here, once
    /// (see [`crate::sigv4a`]).
    ///
    /// ```
    /// use awsig::{sigv4a::RegionSet, Credentials, Request, Signer, SigningTime};
    /// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
    /// let signer = Signer::new_sigv4a(creds, &RegionSet::parse("*")?, "service")?;
    /// let req = Request::new("GET", "example.amazonaws.com", "/");
    /// let signed = signer.authorize(&req, SigningTime::parse("2015-08-30T12:36:00Z")?)?;
    /// assert!(signed.authorization().starts_with(
    ///     "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, \
    ///      SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=30"));
    /// assert!(signed.headers().any(|h| h == ("X-Amz-Region-Set", "*")));
    /// # Ok::<(), awsig::Error>(())
    /// ```
    #[cfg(feature = "sigv4a")]
    pub fn new_sigv4a(
        credentials: Credentials,
        region_set: &crate::sigv4a::RegionSet,
        service: &str,
    ) -> Result<Signer, Error> {
        let scope = Scope::region_less(service)?;
        let key = crate::sigv4a::EcdsaKey::derive(&credentials)?;
        let keys = SigningKeys::Ecdsa(alloc::sync::Arc::new(crate::sigv4a::V4aSigning {
            key,
            region_set: region_set.clone(),
        }));
        Ok(Signer::for_scope(credentials, scope, keys))
    }

    /// The algorithm this signer signs with.
    pub fn algorithm(&self) -> Algorithm {
        match self.keys {
            SigningKeys::Hmac(_) => Algorithm::HmacSha256,
            #[cfg(feature = "sigv4a")]
            SigningKeys::Ecdsa(_) => Algorithm::EcdsaP256Sha256,
        }
    }

    /// The region set of a SigV4a signer; `None` for SigV4.
    pub fn region_set(&self) -> Option<&str> {
        match &self.keys {
            SigningKeys::Hmac(_) => None,
            #[cfg(feature = "sigv4a")]
            SigningKeys::Ecdsa(v4a) => Some(v4a.region_set.as_str()),
        }
    }

    /// Whether this signer signs with SigV4a (`AWS4-ECDSA-P256-SHA256`).
    pub fn is_sigv4a(&self) -> bool {
        self.algorithm() == Algorithm::EcdsaP256Sha256
    }

    /// A SigV4a signer's ECDSA key (its public key verifies the signatures);
    /// `None` for SigV4.
    #[cfg(feature = "sigv4a")]
    pub fn sigv4a_key(&self) -> Option<&crate::sigv4a::EcdsaKey> {
        match &self.keys {
            SigningKeys::Hmac(_) => None,
            SigningKeys::Ecdsa(v4a) => Some(&v4a.key),
        }
    }

    /// Replaces the settings.
    pub fn with_settings(mut self, settings: Settings) -> Signer {
        self.settings = settings;
        self
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The region and service.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The SigV4 signing key for `time`'s date, from the cache when it is
    /// there; `None` for a SigV4a signer, which signs with
    /// [`Signer::sigv4a_key`] instead.
    pub fn signing_key(&self, time: SigningTime) -> Option<SigningKey> {
        self.with_key(time, SigningKey::clone).ok()
    }

    /// The request's string to sign for `request_hash`, in this signer's
    /// algorithm.
    fn request_string_to_sign<'a>(
        &'a self,
        amz_date: &'a AmzDate,
        request_hash: &'a RequestHash,
    ) -> StringToSign<'a> {
        StringToSign::Request {
            algorithm: self.algorithm(),
            amz_date,
            scope: &self.scope,
            request_hash,
        }
    }

    /// Tasks 2 to 4 with the day's key: the signature of `request_hash`
    /// (SigV4a: the ECDSA signature of its string to sign).
    fn sign_hash(
        &self,
        time: SigningTime,
        amz_date: &AmzDate,
        request_hash: &RequestHash,
    ) -> SignatureText {
        let string_to_sign = self.request_string_to_sign(amz_date, request_hash);
        match &self.keys {
            SigningKeys::Hmac(cache) => SignatureText::Hmac(cache.with_own_key(
                &self.credentials,
                time,
                &self.scope,
                |key| key.sign(&string_to_sign),
            )),
            #[cfg(feature = "sigv4a")]
            SigningKeys::Ecdsa(v4a) => {
                let mut text = Vec::with_capacity(128);
                string_to_sign.write(&mut text);
                SignatureText::Ecdsa(v4a.key.sign(&text))
            }
        }
    }

    /// The SigV4 key derivation chain for `time`'s date; `None` for a
    /// SigV4a signer, which derives no HMAC keys. Secret material.
    pub fn key_chain(&self, time: SigningTime) -> Option<KeyChain> {
        match self.keys {
            SigningKeys::Hmac(_) => Some(KeyChain::derive(
                self.credentials.secret_access_key(),
                time.amz_date().date(),
                self.scope.region(),
                self.scope.service(),
            )),
            #[cfg(feature = "sigv4a")]
            SigningKeys::Ecdsa(_) => None,
        }
    }

    fn prepare<'a>(
        &self,
        req: &'a Request<'a>,
        time: SigningTime,
        host: HostCheck,
    ) -> Result<Prepared<'a>, Error> {
        let port = req.validate(host)?;
        if let Some(expired) = self.credentials.expires_at() {
            if expired <= time {
                return Err(Error::CredentialsExpired {
                    credentials_expired_at: expired.unix_seconds(),
                });
            }
        }
        let payload = req.payload.unwrap_or(match self.settings.default_payload {
            DefaultPayload::Unsigned => Payload::Unsigned,
            DefaultPayload::Empty => Payload::Empty,
        });
        let payload_hash = PayloadHash::of(payload)?;
        let mut request = alloc::borrow::Cow::Borrowed(req);
        if let Some(port) = port.filter(|p| p.number == crate::request::default_port(req.scheme)) {
            // Clients leave the default port out of `Host`, and so do AWS's signers.
            request.to_mut().host = &req.host[..req.host.len() - port.text.len() - 1];
        }
        Ok(Prepared {
            payload_hash,
            request,
        })
    }

    /// Runs `use_key` with the SigV4 signing key for the day of `time`,
    /// from the cache when it is there (POST policies and aws-chunked
    /// bodies are signed with it); a SigV4a signer has none.
    pub(crate) fn with_key<R>(
        &self,
        time: SigningTime,
        use_key: impl FnOnce(&SigningKey) -> R,
    ) -> Result<R, Error> {
        match &self.keys {
            SigningKeys::Hmac(cache) => {
                Ok(cache.with_own_key(&self.credentials, time, &self.scope, use_key))
            }
            #[cfg(feature = "sigv4a")]
            SigningKeys::Ecdsa(_) => Err(Error::SigV4aUnsupported {
                form: "HMAC signing keys (POST policies, aws-chunked bodies)",
            }),
        }
    }

    /// Checks an expiry `expires_in` seconds after `time` against the
    /// settings and the credentials' own expiry; returns when it expires.
    pub(crate) fn check_expiry(
        &self,
        time: SigningTime,
        expires_in: u64,
    ) -> Result<SigningTime, Error> {
        if expires_in == 0 {
            return Err(Error::ExpiresZero);
        }
        if expires_in > self.settings.max_expires {
            return Err(Error::ExpiresTooLong {
                expires_in,
                max: self.settings.max_expires,
            });
        }
        let expires_at = time
            .checked_add(expires_in)
            .ok_or(Error::ExpiresOutOfRange { expires_in })?;
        if let Some(creds_expire) = self.credentials.expires_at() {
            if expires_at > creds_expire
                && self.settings.expiry_past_credentials == ExpiryPastCredentials::Refuse
            {
                return Err(Error::ExpiresAfterCredentials {
                    url_expires_at: expires_at.unix_seconds(),
                    credentials_expire_at: creds_expire.unix_seconds(),
                });
            }
        }
        Ok(expires_at)
    }

    /// Refuses to presign without `X-Amz-Expires` unless the service's
    /// settings allow it; S3 never does, whatever they say.
    fn check_expiry_optional(&self) -> Result<(), Error> {
        let service = self.scope.service();
        if is_s3(service) || self.settings.expiry == PresignExpiry::Required {
            return Err(Error::ExpiryRequired {
                service: service.into(),
            });
        }
        Ok(())
    }

    fn auth_params<'a>(&'a self, amz_date: &'a AmzDate, expires_in: Option<u64>) -> AuthParams<'a> {
        let (credential_head, credential_tail) = self.credential_around_date();
        AuthParams {
            algorithm: self.algorithm().name(),
            region_set: self.region_set(),
            credential_head,
            credential_tail,
            amz_date,
            expires_in,
            token: self.signed_token(),
            token_param: self.token_param(),
        }
    }

    /// The canonical form of a prepared request, in the given mode, its
    /// lists sorted into `sorted`.
    fn canonical<'a>(
        &'a self,
        prepared: &'a Prepared<'a>,
        amz_date: &'a AmzDate,
        mode: SigningMode,
        sorted: &'a mut Sorted<'a>,
    ) -> Result<Canonical<'a>, Error> {
        let req = &prepared.request;
        // The session token comes from the credentials, under the one name
        // the settings give it: a caller's would be a second token, in
        // either name or case.
        let token_header = ["x-amz-security-token", "x-amz-s3session-token"];
        if let Some((name, _)) = (req.headers.iter())
            .find(|(name, _)| token_header.iter().any(|t| name.eq_ignore_ascii_case(t)))
        {
            return Err(Error::ReservedHeader {
                name: name.to_ascii_lowercase(),
            });
        }
        let host = ("host", req.host_label, req.host);
        let mut extra: [(&str, &str, &str); 5] = [host; 5];
        let mut n = 1;
        if mode == SigningMode::Header {
            extra[n] = ("x-amz-date", "", amz_date.as_str());
            n += 1;
            if let Some(region_set) = self.region_set() {
                extra[n] = ("x-amz-region-set", "", region_set);
                n += 1;
            }
            if let Some(token) = self.signed_token() {
                extra[n] = (self.token_header(), "", token);
                n += 1;
            }
            if self.settings.content_sha256_header == ContentSha256Header::Add
                || prepared.payload_hash.needs_header()
            {
                extra[n] = ("x-amz-content-sha256", "", prepared.payload_hash.as_str());
                n += 1;
            }
        }
        Canonical::new(
            req,
            self.settings.uri_encoding,
            self.settings.normalize_path,
            &extra[..n],
            &prepared.payload_hash,
            QueryNames::Reserved(mode.reserved_query()),
            sorted,
        )
    }
}
