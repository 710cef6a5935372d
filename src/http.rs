//! The bridge to the `http` crate (feature `http`, `http` 1.x): sign an [`http::Request`] in place
//! (its headers added, or its URI presigned) and verify one as a server receives it, with the body
//! hashed where it lies, never copied. The other bridges (`time`, `SystemTime`, `url`, IoT's URLs)
//! close this page.
//!
//! ```
//! use awsig::{verify::Verifier, Credentials, Payload, Signer, SigningTime};
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
//! let signer = Signer::new(creds.clone(), "us-east-1", "s3")?;
//! let at = SigningTime::parse("2026-12-01T12:00:00Z")?;
//! let mut put = http::Request::put("https://bucket.s3.amazonaws.com/k").body(b"data".to_vec()).unwrap();
//! signer.authorize_http(&mut put, at)?;              // Authorization, X-Amz-Date, x-amz-content-sha256
//! let mut get = http::Request::get("https://bucket.s3.amazonaws.com/k").body(()).unwrap();
//! let expires_at = signer.presign_http(&mut get, at, 300)?; // the URI is now the presigned URL
//!
//! let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept("us-east-1", "s3");
//! assert!(verifier.verify_http(&put, Some(Payload::Bytes(put.body())), at).is_ok());
//! assert!(verifier.verify_http(&get, None, at).is_ok());
//! assert_eq!(expires_at, SigningTime::parse("2026-12-01T12:05:00Z")?);
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! Every header the request carries is signed but botocore's unsigned ones (`Expect`,
//! `Transfer-Encoding`, `User-Agent`, `X-Amzn-Trace-Id`); an earlier signature's headers are
//! replaced; a `Host` header must name the URI's authority. [`Signer::authorize_http_with`] takes
//! the payload (a hash, `UNSIGNED-PAYLOAD`) for a body that is a stream.
//!
//! With a real client: this uploads through a presigned PUT and reads the object back with
//! reqwest's blocking client (`tests/http_bridge.rs` runs it against the CI's S3 server, with a
//! header-signed PUT whose body the server checks).
//!
//! ```no_run
//! use awsig::{Credentials, Signer, SigningTime};
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
//! let signer = Signer::new(creds, "us-east-1", "s3")?;
//! let now = SigningTime::try_from(std::time::SystemTime::now())?;
//! let mut put = http::Request::put("http://127.0.0.1:9000/bucket/hello.txt")
//!     .body(b"hello".to_vec())
//!     .expect("a request");
//! signer.presign_http(&mut put, now, 300)?; // the URI now carries the signature
//! let client = reqwest::blocking::Client::new();
//! let sent = client.execute(put.try_into().expect("reqwest takes it")).expect("PUT");
//! assert!(sent.status().is_success());
//!
//! let mut get = http::Request::get("http://127.0.0.1:9000/bucket/hello.txt")
//!     .body(Vec::new())
//!     .expect("a request");
//! signer.authorize_http(&mut get, now)?; // Authorization and X-Amz-* headers added
//! let got = client.execute(get.try_into().expect("reqwest takes it")).expect("GET");
//! assert_eq!(got.bytes().expect("a body").as_ref(), b"hello");
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! # Time
//!
//! [`SigningTime`] converts from and to `time::OffsetDateTime` (`TryFrom`, any offset, the fraction
//! of a second dropped toward the past; `From` gives UTC) and `std::time::SystemTime` both ways
//! (`TryFrom`: some targets, wasm32 among them, hold no time before 1970); years 0000 to 9999.
//! These need no feature but `std` (for `SystemTime`).
//!
//! ```
//! use awsig::SigningTime;
//! let t = SigningTime::try_from(time::OffsetDateTime::UNIX_EPOCH)?;
//! assert_eq!(std::time::SystemTime::try_from(t)?, std::time::UNIX_EPOCH);
//! assert_eq!(time::OffsetDateTime::from(t), time::OffsetDateTime::UNIX_EPOCH);
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! # URLs and AWS IoT
//!
//! `Request::from_url` takes a `url::Url` (feature `url`), and [`Signer::presign_without_expiry`]
//! signs AWS IoT's websocket URLs, which carry no `X-Amz-Expires` and add the session token after
//! signing (`tests/verify.rs` reproduces one and checks its signature from scratch).

use crate::error::Error;
use crate::request::{Payload, Request, Scheme};
use crate::scope::SigningTime;
use crate::sign::{Authorization, Signer};
use crate::verify::{Verified, Verifier, VerifyError};
use crate::Credentials;
use alloc::string::ToString;
use alloc::vec::Vec;

/// Headers a request may carry that are not signed: botocore's list
/// (`SIGNED_HEADERS_BLACKLIST`: proxies and clients change or drop them),
/// the connection-level ones (HTTP/2 clients strip them), and the ones
/// signing writes itself, which a request signed before carries and which
/// are replaced.
const NOT_SIGNED: [&str; 14] = [
    "expect",
    "transfer-encoding",
    "user-agent",
    "x-amzn-trace-id",
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "upgrade",
    "host",
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-s3session-token",
];

/// The headers signing writes, removed before a request is signed again
/// (`x-amz-content-sha256` only where the settings write it).
const WRITTEN: [&str; 4] = [
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-s3session-token",
];

/// The parts of an `http::Request` that signing reads, borrowed.
struct Parts<'a> {
    method: &'a str,
    scheme: Scheme,
    authority: &'a str,
    path: &'a str,
    query: &'a str,
    headers: Vec<(&'a str, &'a str)>,
}

impl<'a> Parts<'a> {
    /// Takes `req` apart: an absolute URI (`https://host/path?query`), and
    /// every header but those in [`NOT_SIGNED`], whose values must be text.
    fn of<B>(req: &'a ::http::Request<B>, also_writes: AlsoWrites) -> Result<Parts<'a>, Error> {
        let uri = req.uri();
        let invalid = |reason| Error::InvalidUrl { reason };
        let scheme = Scheme::parse(uri.scheme_str().ok_or(invalid(
            "has no scheme: signing needs the absolute URI (https://host/path)",
        ))?)?;
        let authority = uri
            .authority()
            .ok_or(invalid(
                "has no host: signing needs the absolute URI (https://host/path)",
            ))?
            .as_str();
        // A Host header must name the URI's authority (ports compared as
        // the signer writes them, the scheme's default left out), once.
        let mut hosts = req.headers().get_all(::http::header::HOST).iter();
        if let Some(host) = hosts.next() {
            let host = host.to_str().unwrap_or_default();
            let same = |a: &str, b: &str| match (
                crate::request::signed_authority(scheme, a),
                crate::request::signed_authority(scheme, b),
            ) {
                (Ok(a), Ok(b)) => a.eq_ignore_ascii_case(&b),
                _ => false,
            };
            if hosts.next().is_some() || !same(host, authority) {
                return Err(Error::InvalidHost {
                    host: host.to_string(),
                });
            }
        }
        let mut headers = Vec::with_capacity(req.headers().len());
        for (name, value) in req.headers() {
            let name = name.as_str();
            // S3's settings write x-amz-content-sha256 from the payload,
            // SigV4a writes x-amz-region-set; elsewhere a caller's is
            // signed like any other header.
            if NOT_SIGNED.contains(&name) || also_writes.contains(&Some(name)) {
                continue;
            }
            let value = value.to_str().map_err(|_| Error::InvalidHeaderValue {
                name: name.to_string(),
                position: value
                    .as_bytes()
                    .iter()
                    .position(|b| !(b' '..=b'~').contains(b) && *b != b'\t')
                    .unwrap_or(0),
            })?;
            headers.push((name, value));
        }
        Ok(Parts {
            method: req.method().as_str(),
            scheme,
            authority,
            path: uri.path(),
            query: uri.query().unwrap_or_default(),
            headers,
        })
    }

    fn request(&self) -> Request<'_> {
        Request::new(self.method, self.authority, self.path)
            .with_scheme(self.scheme)
            .with_query(self.query)
            .with_headers(&self.headers)
    }
}

/// The headers a signer writes besides [`WRITTEN`], by its settings.
type AlsoWrites = [Option<&'static str>; 2];

/// Removes what an earlier signature wrote.
fn remove_written(headers: &mut ::http::HeaderMap, also_writes: AlsoWrites) {
    for name in WRITTEN.into_iter().chain(also_writes.into_iter().flatten()) {
        headers.remove(name);
    }
}

impl Signer {
    /// `x-amz-content-sha256` where the settings add it (S3), and
    /// `x-amz-region-set` for SigV4a.
    fn also_writes(&self) -> AlsoWrites {
        let content_sha256 =
            self.settings().content_sha256_header == crate::settings::ContentSha256Header::Add;
        [
            content_sha256.then_some("x-amz-content-sha256"),
            self.is_sigv4a().then_some("x-amz-region-set"),
        ]
    }
}

/// Adds every header of `signed` to `headers`, replacing what was there.
fn insert_headers(
    signed: &Authorization<'_>,
    headers: &mut ::http::HeaderMap,
) -> Result<(), Error> {
    for (name, value) in signed.headers() {
        let header_value =
            ::http::HeaderValue::from_str(value).map_err(|_| Error::InvalidHeaderValue {
                name: name.to_string(),
                position: 0,
            })?;
        let name = ::http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            Error::InvalidHeaderName {
                name: name.to_string(),
            }
        })?;
        headers.insert(name, header_value);
    }
    Ok(())
}

impl Signer {
    /// Signs `req` in place with an `Authorization` header, its body hashed
    /// where it lies: adds `Authorization`, `X-Amz-Date` and, as the
    /// settings ask, `x-amz-content-sha256` and `X-Amz-Security-Token`
    /// (replacing them if the request was signed before). Every other
    /// header it carries is signed, but `Expect`, `Transfer-Encoding`,
    /// `User-Agent` and `X-Amzn-Trace-Id` (botocore's list); a `Host`
    /// header must name the URI's authority.
    ///
    /// An `x-amz-content-sha256` the request carries is taken as its
    /// payload hash, as botocore takes it (`UNSIGNED-PAYLOAD`, or the hash
    /// of a body hashed already), instead of hashing the body.
    pub fn authorize_http<B: AsRef<[u8]>>(
        &self,
        req: &mut ::http::Request<B>,
        time: SigningTime,
    ) -> Result<(), Error> {
        let signed = {
            let parts = Parts::of(req, self.also_writes())?;
            let claimed = req.headers().get("x-amz-content-sha256");
            let payload = match claimed.map(|v| v.to_str()) {
                None => Payload::Bytes(req.body().as_ref()),
                Some(Ok("UNSIGNED-PAYLOAD")) => Payload::Unsigned,
                Some(Ok(hex)) => Payload::Sha256Hex(hex),
                Some(Err(_)) => return Err(Error::InvalidPayloadHash),
            };
            self.authorize(&parts.request().with_payload(payload), time)?
        };
        remove_written(req.headers_mut(), self.also_writes());
        insert_headers(&signed, req.headers_mut())
    }

    /// [`Signer::authorize_http`] with the payload given (its SHA-256, or
    /// [`Payload::Unsigned`]) instead of hashed from the body, for a body
    /// that is a stream, or hashed already.
    pub fn authorize_http_with<B>(
        &self,
        req: &mut ::http::Request<B>,
        payload: Payload<'_>,
        time: SigningTime,
    ) -> Result<(), Error> {
        let signed = {
            let parts = Parts::of(req, self.also_writes())?;
            self.authorize(&parts.request().with_payload(payload), time)?
        };
        remove_written(req.headers_mut(), self.also_writes());
        insert_headers(&signed, req.headers_mut())
    }

    /// Presigns `req` in place: its URI becomes the presigned URL, valid for
    /// `expires_in` seconds, which it returns the end of. Its headers (but
    /// those [`Signer::authorize_http`] leaves out) are signed and must be
    /// sent with it, as they are; an earlier header signature's are removed.
    /// The query is written canonically: a `+` becomes `%2B` (AWS reads `+`
    /// as itself, not as a space), an empty pair is dropped.
    pub fn presign_http<B>(
        &self,
        req: &mut ::http::Request<B>,
        time: SigningTime,
        expires_in: u64,
    ) -> Result<SigningTime, Error> {
        let (url, expires_at) = {
            let parts = Parts::of(req, self.also_writes())?;
            let url = self.presign(&parts.request(), time, expires_in)?;
            (url.as_str().to_string(), url.expires_at())
        };
        *req.uri_mut() = url.parse().map_err(|_| Error::InvalidUrl {
            reason: "was presigned into a URL the http crate does not take (over 64 KiB?)",
        })?;
        // A header signature from before would make it two mechanisms.
        remove_written(req.headers_mut(), self.also_writes());
        // `presign` always sets the expiry it was given.
        Ok(expires_at.unwrap_or(time))
    }
}

/// A received request's `Host` header, which an origin-form URI
/// (`/path?query`, as servers receive it) is read with.
pub(crate) fn host_header(headers: &::http::HeaderMap) -> Result<&str, VerifyError> {
    (headers.get(::http::header::HOST))
        .and_then(|h| h.to_str().ok())
        .ok_or(VerifyError::Missing("Host"))
}

/// `scheme://host` and the URI's path and query: the URL the verifier
/// reads, written into one allocation sized first rather than through
/// `format!`'s machinery.
pub(crate) fn received_url(scheme: &str, host: &str, uri: &::http::Uri) -> alloc::string::String {
    let path_and_query = uri.path_and_query().map_or("/", |pq| pq.as_str());
    [scheme, "://", host, path_and_query].concat()
}

/// The received headers as the verifier reads them: every value must be
/// visible ASCII text (a value that is not could be read otherwise by the
/// service, so it is refused, named).
pub(crate) fn received_headers(
    headers: &::http::HeaderMap,
) -> Result<Vec<(&str, &str)>, VerifyError> {
    let mut pairs = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        let value = value.to_str().map_err(|_| {
            VerifyError::Malformed(Error::InvalidHeaderValue {
                name: name.as_str().to_string(),
                position: 0,
            })
        })?;
        pairs.push((name.as_str(), value));
    }
    Ok(pairs)
}

impl<F> Verifier<F> {
    /// Verifies a received `http::Request`: presigned (the signature in its
    /// query) or header-signed (an `Authorization` header), at `now`.
    /// `payload` is its body or the body's hash, borrowed (see
    /// [`Verifier::verify_presigned`]). An origin-form URI (`/path?query`,
    /// as servers receive it) is read with its `Host` header as `https`;
    /// give an absolute URI for a plain-`http` server.
    pub fn verify_http<B, C>(
        &self,
        req: &::http::Request<B>,
        payload: Option<Payload<'_>>,
        now: SigningTime,
    ) -> Result<Verified, VerifyError>
    where
        F: Fn(&str) -> Option<C>,
        C: core::borrow::Borrow<Credentials>,
    {
        let uri = req.uri();
        let url = match (uri.scheme_str(), uri.authority()) {
            (Some(scheme), Some(authority)) => received_url(scheme, authority.as_str(), uri),
            _ => received_url("https", host_header(req.headers())?, uri),
        };
        let headers = received_headers(req.headers())?;
        let method = req.method().as_str();
        let header_signed = req.headers().contains_key(::http::header::AUTHORIZATION);
        if header_signed {
            self.verify_authorization(method, &url, &headers, payload, now)
        } else {
            self.verify_presigned(method, &url, &headers, payload, now)
        }
    }
}
