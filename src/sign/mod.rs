//! The signer: presigned URLs (query signing) and `Authorization` headers.
//!
//! Both go the same way: check the request, sort it into a `Canonical`,
//! hash the canonical request as it is written, HMAC the string to sign with
//! the cached signing key. A request with nothing to sort takes a straight
//! path (`plain.rs`: the same bytes, nothing sorted).
//!
//! What signing returns is in `signed.rs`; the settings that differ between
//! services in [`crate::settings`].

mod plain;
mod signed;

pub use signed::*;

/// How a request is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningMode {
    /// Presigned URL, valid for this many seconds.
    Query {
        /// `X-Amz-Expires`.
        expires_in: u64,
    },
    /// `Authorization` header.
    Header,
}

use crate::canonical::RequestHash;
use crate::canonical::{AuthParams, Canonical, PayloadHash, ReservedQuery, Sorted};
use crate::credentials::Credentials;
use crate::encoding::{encode_into, encoded_len, Sink};
use crate::error::Error;
use crate::key::{KeyChain, SigningKey};
use crate::key_cache::KeyCache;
use crate::request::{Payload, Request};
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
/// use sigv4::{Credentials, Request, Signer, SigningTime};
/// let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
/// let signer = Signer::new(creds, "us-east-1", "s3")?;
/// let time = SigningTime::parse("2013-05-24T00:00:00Z")?;
/// let req = Request::new("GET", "examplebucket.s3.amazonaws.com", "/test.txt");
/// let url = signer.presign(&req, time, 86_400)?;
/// assert!(url.as_str().ends_with(
///     "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
/// # Ok::<(), sigv4::Error>(())
/// ```
#[derive(Clone)]
pub struct Signer {
    credentials: Credentials,
    scope: Scope,
    settings: Settings,
    keys: SigningKeys,
    /// `X-Amz-Credential` around its date, encoded once: `AKID%2F` and
    /// `%2Fregion%2Fservice%2Faws4_request`.
    credential_head: String,
    credential_tail: String,
}

/// What a signer signs with: one algorithm's keys, and nothing of the other's.
#[derive(Clone)]
enum SigningKeys {
    /// SigV4: the day's HMAC signing key (and the day before's, for
    /// signatures around midnight), derived on first use.
    Hmac(KeyCache<SigningKey>),
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

/// Where the canonical parts sit in an unsigned URL.
struct UrlLayout {
    path: core::ops::Range<usize>,
    query: core::ops::Range<usize>,
}

/// Writes `scheme://`, the bucket label and `.` of a virtual host, and the
/// host; returns where the label (or host) starts.
fn put_origin(req: &Request<'_>, url: &mut String) -> usize {
    url.push_str(req.scheme.as_str());
    url.push_str("://");
    let host_start = url.len();
    if !req.host_label.is_empty() {
        url.push_str(req.host_label);
        url.push('.');
    }
    url.push_str(req.host);
    host_start
}

/// The length of what [`put_origin`] writes.
fn origin_len(req: &Request<'_>) -> usize {
    let label = match req.host_label {
        "" => 0,
        label => label.len() + 1,
    };
    req.scheme.as_str().len() + "://".len() + label + req.host.len()
}

/// Writes a presigned URL up to and including `X-Amz-Signature=`: scheme,
/// host, path, the canonical query (which a URL can carry as it is), the
/// session token when it is added after signing.
fn write_unsigned_url(
    req: &Request<'_>,
    canonical: &Canonical<'_>,
    auth: &AuthParams<'_>,
    after_token: Option<&str>,
    url: &mut String,
) -> UrlLayout {
    put_origin(req, url);
    let path_start = url.len();
    canonical.write_url_path(url);
    let path_end = url.len();
    url.put("?");
    canonical.write_query(Some(auth), url);
    let query_end = url.len();
    crate::canonical::put_token_param(after_token, url);
    url.put("&X-Amz-Signature=");
    UrlLayout {
        path: path_start..path_end,
        query: path_end + 1..query_end,
    }
}

impl Signer {
    /// A signer for `region` and `service`, with that service's default
    /// [`Settings`].
    pub fn new(credentials: Credentials, region: &str, service: &str) -> Result<Signer, Error> {
        let scope = Scope::new(region, service)?;
        // Today's key, and the day before's for signatures around midnight.
        let keys = SigningKeys::Hmac(KeyCache::new(2));
        Ok(Signer::for_scope(credentials, scope, keys))
    }

    /// A signer for `scope` with `keys`, the service's default settings and
    /// the encoded credential parts sized exactly: a signer made per
    /// request allocates no more than it must.
    fn for_scope(credentials: Credentials, scope: Scope, keys: SigningKeys) -> Signer {
        let key_id = credentials.access_key_id().as_bytes();
        let mut credential_head = String::with_capacity(encoded_len(key_id, false) + 3);
        encode_into(key_id, false, &mut credential_head);
        credential_head.push_str("%2F");
        // `/region/service/aws4_request` with each `/` written `%2F`: the
        // names hold no other byte to escape.
        let after_date = scope.after_date().trim_end_matches('\n');
        let slashes = after_date.bytes().filter(|&b| b == b'/').count();
        let mut credential_tail = String::with_capacity(after_date.len() + 2 * slashes);
        for (i, piece) in after_date.split('/').enumerate() {
            if i > 0 {
                credential_tail.push_str("%2F");
            }
            credential_tail.push_str(piece);
        }
        Signer {
            credential_head,
            credential_tail,
            settings: Settings::for_service(scope.service()),
            credentials,
            scope,
            keys,
        }
    }

    /// A SigV4a signer (feature `sigv4a`): signatures good in every region
    /// of `region_set`, for `service`. The ECDSA key is derived here, once
    /// (see [`crate::sigv4a`]).
    ///
    /// ```
    /// use sigv4::{sigv4a::RegionSet, Credentials, Request, Signer, SigningTime};
    /// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
    /// let signer = Signer::new_sigv4a(creds, &RegionSet::parse("*")?, "service")?;
    /// let req = Request::new("GET", "example.amazonaws.com", "/");
    /// let signed = signer.authorize(&req, SigningTime::parse("2015-08-30T12:36:00Z")?)?;
    /// assert!(signed.authorization().starts_with(
    ///     "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, \
    ///      SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=30"));
    /// assert!(signed.headers().any(|h| h == ("X-Amz-Region-Set", "*")));
    /// # Ok::<(), sigv4::Error>(())
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

    fn prepare<'a>(&self, req: &'a Request<'a>, time: SigningTime) -> Result<Prepared<'a>, Error> {
        let port = req.validate()?;
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

    fn signed_token(&self) -> Option<&str> {
        match self.settings.session_token {
            SessionTokenMode::Signed => self.credentials.session_token(),
            SessionTokenMode::AfterSigning => None,
        }
    }

    /// The session token a presigned URL carries after its signature (IoT
    /// style), unsigned.
    fn token_after_signing(&self) -> Option<&str> {
        match self.settings.session_token {
            SessionTokenMode::AfterSigning => self.credentials.session_token(),
            SessionTokenMode::Signed => None,
        }
    }

    fn auth_params<'a>(&'a self, amz_date: &'a AmzDate, expires_in: Option<u64>) -> AuthParams<'a> {
        AuthParams {
            algorithm: self.algorithm().name(),
            region_set: self.region_set(),
            credential_head: &self.credential_head,
            credential_tail: &self.credential_tail,
            amz_date,
            expires_in,
            token: self.signed_token(),
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
                extra[n] = ("x-amz-security-token", "", token);
                n += 1;
            }
            if self.settings.content_sha256_header == ContentSha256Header::Add {
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
            match mode {
                SigningMode::Query { .. } => ReservedQuery::Presigned,
                SigningMode::Header => ReservedQuery::HeaderSigned,
            },
            sorted,
        )
    }

    /// Presigns `req` at `time` for `expires_in` seconds: the URL carries the
    /// signature in its query (`X-Amz-Signature`), so anyone holding it can
    /// make the request until it expires.
    ///
    /// The URL is built in one allocation, sized exactly; its query is written
    /// in canonical order, so the canonical URI and query are hashed straight
    /// from it. (A double-encoding service's canonical URI differs from the
    /// URL's path and takes one more, temporary, allocation.)
    pub fn presign<'r>(
        &self,
        req: &Request<'r>,
        time: SigningTime,
        expires_in: u64,
    ) -> Result<PresignedUrl<'r>, Error> {
        self.presign_with(req, time, Some(expires_in))
    }

    /// Presigns `req` at `time` with no `X-Amz-Expires` at all, as AWS IoT's
    /// websocket URLs are signed (aws-c-auth's `expiration_in_seconds = 0`):
    /// the service, not the URL, decides how long the signature holds (IoT
    /// takes it within minutes of `X-Amz-Date`). Only for services whose
    /// settings allow it ([`Settings::expiry`] is [`PresignExpiry::Optional`],
    /// the default for `iotdevicegateway` alone); S3 always requires
    /// `X-Amz-Expires`, whatever the settings say.
    ///
    /// ```
    /// use sigv4::{Credentials, Request, Signer, SigningTime};
    /// let creds = Credentials::new("AKIDEXAMPLE", "secret")?.with_session_token("token/+=")?;
    /// let iot = Signer::new(creds, "us-east-1", "iotdevicegateway")?;
    /// let req = Request::new("GET", "example-ats.iot.us-east-1.amazonaws.com", "/mqtt");
    /// let url = iot.presign_without_expiry(&req, SigningTime::from_unix_seconds(0)?)?;
    /// assert!(!url.as_str().contains("X-Amz-Expires"));
    /// assert!(url.as_str().contains("&X-Amz-Security-Token=token%2F%2B%3D")); // added after signing
    /// assert_eq!(url.expires_at(), None);
    /// # Ok::<(), sigv4::Error>(())
    /// ```
    pub fn presign_without_expiry<'r>(
        &self,
        req: &Request<'r>,
        time: SigningTime,
    ) -> Result<PresignedUrl<'r>, Error> {
        let service = self.scope.service();
        if is_s3(service) || self.settings.expiry == PresignExpiry::Required {
            return Err(Error::ExpiryRequired {
                service: service.into(),
            });
        }
        self.presign_with(req, time, None)
    }

    /// Presigns with `X-Amz-Expires` or without: the plain path when there
    /// is nothing to sort, else the general one, the URL sized and written
    /// once.
    fn presign_with<'r>(
        &self,
        req: &Request<'r>,
        time: SigningTime,
        expires_in: Option<u64>,
    ) -> Result<PresignedUrl<'r>, Error> {
        let prepared = self.prepare(req, time)?;
        let expires_at = expires_in.map(|e| self.check_expiry(time, e)).transpose()?;
        if let (Some(expires_in), SigningKeys::Hmac(keys)) = (expires_in, &self.keys) {
            if self.is_plain(req) {
                return Ok(PresignedUrl {
                    url: self.presign_plain(keys, &prepared, time, expires_in),
                    headers: req.headers,
                    expires_at,
                });
            }
        }
        let headers_to_send = req.headers;
        let amz_date = time.amz_date();
        let mut sorted = Sorted::new();
        let mode = SigningMode::Query {
            expires_in: expires_in.unwrap_or_default(),
        };
        let canonical = self.canonical(&prepared, &amz_date, mode, &mut sorted)?;
        let auth = self.auth_params(&amz_date, expires_in);
        let after_token = self.token_after_signing();
        let req = &prepared.request;
        // The URL is sized first, then written once into its own allocation.
        let after_token_len = crate::canonical::token_param_len(after_token);
        let url_len = origin_len(req)
            + canonical.url_path_len()
            + "?".len()
            + canonical.query_len(&auth)
            + after_token_len
            + "&X-Amz-Signature=".len()
            + SignatureText::max_len(self.is_sigv4a());
        let mut url = String::with_capacity(url_len);
        let layout = write_unsigned_url(req, &canonical, &auth, after_token, &mut url);

        let mut hasher = Sha256::new();
        let query = &url[layout.query.clone()];
        if canonical.url_path_is_canonical_uri() {
            canonical.write(None, Some((&url[layout.path], query)), &mut hasher);
        } else {
            let mut uri = String::new();
            canonical.write_uri(&mut uri);
            canonical.write(None, Some((&uri, query)), &mut hasher);
        }
        let request_hash = RequestHash::finish(hasher);
        let signature = self.sign_hash(time, &amz_date, &request_hash);
        url.push_str(signature.as_str());
        // Exact but for a SigV4a DER signature shorter than its longest.
        let short = SignatureText::max_len(self.is_sigv4a()) - signature.as_str().len();
        debug_assert_eq!(url.len() + short, url.capacity());
        Ok(PresignedUrl {
            url,
            headers: headers_to_send,
            expires_at,
        })
    }

    /// Signs `req` at `time` with an `Authorization` header. Add every header
    /// of the result ([`Authorization::headers`]) to the request.
    pub fn authorize(
        &self,
        req: &Request<'_>,
        time: SigningTime,
    ) -> Result<Authorization<'_>, Error> {
        let mut authorization = String::with_capacity(192);
        let signed = self.authorize_into(req, time, &mut authorization)?;
        Ok(Authorization {
            authorization,
            signed,
        })
    }

    /// Like [`Signer::authorize`], but appends the `Authorization` value to
    /// `out`, a buffer the caller reuses, so that signing allocates nothing
    /// once `out` has grown to size. The other header values come back on the
    /// stack.
    ///
    /// ```
    /// # use sigv4::{Credentials, Request, Signer, SigningTime};
    /// let signer = Signer::new(Credentials::new("AKID", "secret")?, "us-east-1", "sqs")?;
    /// let mut authorization = String::with_capacity(256);
    /// let req = Request::new("GET", "sqs.us-east-1.amazonaws.com", "/").with_query("Action=ListQueues");
    /// let signed = signer.authorize_into(&req, SigningTime::from_unix_seconds(0)?, &mut authorization)?;
    /// assert!(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKID/19700101/us-east-1/sqs/aws4_request, "));
    /// assert_eq!(signed.amz_date(), "19700101T000000Z");
    /// # Ok::<(), sigv4::Error>(())
    /// ```
    pub fn authorize_into(
        &self,
        req: &Request<'_>,
        time: SigningTime,
        out: &mut String,
    ) -> Result<HeaderSignature<'_>, Error> {
        let prepared = self.prepare(req, time)?;
        let amz_date = time.amz_date();
        let mut sorted = Sorted::new();
        let canonical = self.canonical(&prepared, &amz_date, SigningMode::Header, &mut sorted)?;
        let mut hasher = Sha256::new();
        canonical.write(None, None, &mut hasher);
        let request_hash = RequestHash::finish(hasher);
        let signature = self.sign_hash(time, &amz_date, &request_hash);

        out.push_str(self.algorithm().name());
        out.push_str(" Credential=");
        out.push_str(self.credentials.access_key_id());
        out.push('/');
        out.push_str(amz_date.date());
        // `/region/service/aws4_request` (SigV4a: `/service/aws4_request`).
        out.push_str(self.scope.after_date().trim_end_matches('\n'));
        out.push_str(", SignedHeaders=");
        canonical.write_signed_headers(out);
        out.push_str(", Signature=");
        out.push_str(signature.as_str());
        Ok(HeaderSignature {
            signed_at: time,
            amz_date,
            content_sha256: (self.settings.content_sha256_header == ContentSha256Header::Add)
                .then_some(prepared.payload_hash),
            security_token: self.credentials.session_token(),
            region_set: self.region_set(),
            signature,
        })
    }

    /// Writes the canonical request of `req` at `time` in `mode` into `sink`
    /// and returns the `X-Amz-Date` it was written for.
    fn write_canonical<S: Sink>(
        &self,
        req: &Request<'_>,
        time: SigningTime,
        mode: SigningMode,
        sink: &mut S,
    ) -> Result<AmzDate, Error> {
        let prepared = self.prepare(req, time)?;
        let amz_date = time.amz_date();
        let mut sorted = Sorted::new();
        let canonical = self.canonical(&prepared, &amz_date, mode, &mut sorted)?;
        match mode {
            SigningMode::Query { expires_in } => {
                self.check_expiry(time, expires_in)?;
                let auth = self.auth_params(&amz_date, Some(expires_in));
                canonical.write(Some(&auth), None, sink);
            }
            SigningMode::Header => canonical.write(None, None, sink),
        }
        Ok(amz_date)
    }

    /// The canonical request, as text, that signing `req` at `time` in `mode`
    /// hashes. Written by the same code as the signature.
    pub fn canonical_request(
        &self,
        req: &Request<'_>,
        time: SigningTime,
        mode: SigningMode,
    ) -> Result<String, Error> {
        let mut out = Vec::new();
        self.write_canonical(req, time, mode, &mut out)?;
        // Header values may hold non-UTF-8 bytes; show them lossily.
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// The string to sign for `req` at `time` in `mode`.
    pub fn string_to_sign(
        &self,
        req: &Request<'_>,
        time: SigningTime,
        mode: SigningMode,
    ) -> Result<String, Error> {
        let mut hasher = Sha256::new();
        let amz_date = self.write_canonical(req, time, mode, &mut hasher)?;
        let request_hash = RequestHash::finish(hasher);
        let mut out = Vec::new();
        (self.request_string_to_sign(&amz_date, &request_hash)).write(&mut out);
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}
