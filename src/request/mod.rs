//! What the caller wants signed: method, scheme, host, path, query, headers
//! and payload, all borrowed, so that describing a request allocates nothing.

mod authority;
mod url;

pub use authority::Scheme;
pub(crate) use authority::{
    canonical_authority, default_port, signed_authority, split_port, validate_host, Port,
};
pub(crate) use url::split_url;
pub use url::{parse_url, UrlParts};

use crate::encoding::{byte_table, check_escapes};
use crate::error::{Component, Error};
use alloc::string::ToString;

/// Whether a request's host is checked when it is signed, or was checked
/// when it was made: an S3 endpoint's host (lower case, no default port,
/// any port as its number) with a bucket label that passed the bucket
/// checks, which the S3 presigner hands over with each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HostCheck {
    /// A caller's host: checked now.
    Validate,
    /// Checked already, where it was made.
    Checked,
}

/// The body, as far as the signature is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload<'a> {
    /// `UNSIGNED-PAYLOAD`: the body is not covered (S3 presigned URLs).
    Unsigned,
    /// No body: the hash of the empty string.
    Empty,
    /// These bytes, hashed by the signer.
    Bytes(&'a [u8]),
    /// A SHA-256 the caller computed: 64 lower-case hex digits.
    Sha256Hex(&'a str),
    /// An aws-chunked body, signed or checked chunk by chunk (see
    /// `awsig::chunked`, feature `chunked`): the payload line names the mode.
    Streaming(Streaming),
    /// `STREAMING-AWS4-HMAC-SHA256-EVENTS`: an event stream, each message
    /// signed and chained to the one before (see `awsig::eventstream`,
    /// feature `eventstream`). The header is always signed.
    EventStream,
}

/// How an aws-chunked body is sent: the `x-amz-content-sha256` of its seed
/// request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streaming {
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: every chunk signed, chained to
    /// the one before.
    SignedChunks,
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`: signed chunks, then a
    /// signed trailer (a checksum).
    SignedChunksWithTrailer,
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: unsigned chunks and an unsigned
    /// trailer, what current SDKs send by default over TLS.
    UnsignedWithTrailer,
    /// `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD`: every chunk signed with
    /// SigV4a's ECDSA key, chained to the one before (feature `sigv4a`).
    EcdsaSignedChunks,
    /// `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER`: ECDSA-signed
    /// chunks, then an ECDSA-signed trailer (feature `sigv4a`).
    EcdsaSignedChunksWithTrailer,
}

impl Streaming {
    /// Every mode, in the order the SDKs added them.
    pub const ALL: [Streaming; 5] = [
        Streaming::SignedChunks,
        Streaming::SignedChunksWithTrailer,
        Streaming::UnsignedWithTrailer,
        Streaming::EcdsaSignedChunks,
        Streaming::EcdsaSignedChunksWithTrailer,
    ];

    /// The `x-amz-content-sha256` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Streaming::SignedChunks => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            Streaming::SignedChunksWithTrailer => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
            Streaming::UnsignedWithTrailer => "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            Streaming::EcdsaSignedChunks => "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
            Streaming::EcdsaSignedChunksWithTrailer => {
                "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"
            }
        }
    }

    /// The algorithm its chunks are signed with; `None` when they are not.
    pub fn algorithm(self) -> Option<crate::scope::Algorithm> {
        match self {
            Streaming::SignedChunks | Streaming::SignedChunksWithTrailer => {
                Some(crate::scope::Algorithm::HmacSha256)
            }
            Streaming::EcdsaSignedChunks | Streaming::EcdsaSignedChunksWithTrailer => {
                Some(crate::scope::Algorithm::EcdsaP256Sha256)
            }
            Streaming::UnsignedWithTrailer => None,
        }
    }

    /// Whether a trailer follows the final chunk.
    pub fn has_trailer(self) -> bool {
        !matches!(self, Streaming::SignedChunks | Streaming::EcdsaSignedChunks)
    }

    /// The length of a chunk's or the trailer's signature as framed: 64 hex
    /// digits for SigV4, 144 for SigV4a (its DER signature in hex, padded
    /// with `*` as aws-c-auth writes it), none unsigned.
    pub fn framed_signature_len(self) -> usize {
        match self.algorithm() {
            Some(crate::scope::Algorithm::HmacSha256) => 64,
            Some(crate::scope::Algorithm::EcdsaP256Sha256) => 144,
            None => 0,
        }
    }
}

/// A request to sign. Every part is borrowed from the caller.
///
/// `path` and `query` are in their URL (wire) form: percent-escapes in them are
/// decoded before the canonical form is written. `params` and `headers` are
/// literal name/value pairs.
///
/// ```
/// use awsig::{Payload, Request};
/// let headers = [("Content-Type", "text/plain")];
/// let params = [("response-content-type", "text/plain; charset=utf-8")];
/// let req = Request::new("PUT", "examplebucket.s3.amazonaws.com", "/photos/a%20b.jpg")
///     .with_query("versionId=3")
///     .with_params(&params)
///     .with_headers(&headers)
///     .with_payload(Payload::Unsigned);
/// assert_eq!(req.method(), "PUT");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub(crate) method: &'a str,
    pub(crate) scheme: Scheme,
    pub(crate) host: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    pub(crate) params: &'a [(&'a str, &'a str)],
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) payload: Option<Payload<'a>>,
    /// A virtual host's first label (an S3 bucket), written before `host`
    /// and a `.`, so that the joined name is never built apart from the URL
    /// and the canonical request that carry it; empty for a plain host.
    pub(crate) host_label: &'a str,
    /// A literal object key appended to `path`, encoded once by the signer.
    pub(crate) key: &'a str,
}

impl<'a> Request<'a> {
    /// An `https` request for `method` on `host` (with `:port` if not the
    /// default) and `path` (URL form, starting with `/`).
    ///
    /// For services other than S3 (double URI encoding), give the path
    /// percent-encoded exactly as it will be sent: the service encodes the
    /// path it receives once more, so a byte that a URL cannot carry raw
    /// (space, non-ASCII, `[`, `]`) is signed as given (as AWS's test suite
    /// requires) but escaped in the presigned URL, and the service would then
    /// compute another signature. S3 paths (single encoding) may hold any byte.
    pub fn new(method: &'a str, host: &'a str, path: &'a str) -> Self {
        Request {
            method,
            scheme: Scheme::Https,
            host,
            path,
            query: "",
            params: &[],
            headers: &[],
            payload: None,
            host_label: "",
            key: "",
        }
    }

    /// A request for `method` on a parsed `url::Url` (feature `url`): scheme,
    /// host with a non-default port, path and query, all borrowed from it.
    ///
    /// ```
    /// # #[cfg(feature = "url")] {
    /// let url = url::Url::parse("https://example.amazonaws.com:8443/a%20b?x=1").unwrap();
    /// let req = awsig::Request::from_url("GET", &url).unwrap();
    /// assert_eq!((req.host(), req.path(), req.query()), ("example.amazonaws.com:8443", "/a%20b", "x=1"));
    /// # }
    /// ```
    #[cfg(feature = "url")]
    pub fn from_url(method: &'a str, url: &'a ::url::Url) -> Result<Self, Error> {
        // The crate's own splitting of the URL's text: one set of URL checks
        // (user info, fragment, scheme, host) whichever way a URL comes in.
        let parts = parse_url(url.as_str())?;
        Ok(Request::new(method, parts.host, parts.path)
            .with_scheme(parts.scheme)
            .with_query(parts.query))
    }

    /// Sets the scheme (default `https`).
    pub fn with_scheme(mut self, scheme: Scheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// Sets the query string in URL form, without the `?` (e.g. `a=1&b=x%20y`).
    pub fn with_query(mut self, query: &'a str) -> Self {
        self.query = query;
        self
    }

    /// Adds literal (not yet encoded) query parameters.
    pub fn with_params(mut self, params: &'a [(&'a str, &'a str)]) -> Self {
        self.params = params;
        self
    }

    /// Appends a literal object key to the path. The signer percent-encodes
    /// every byte of it outside `A-Za-z0-9-._~` and `/` once, and keeps `//`,
    /// `.` and `..` segments as they are: the S3 way of naming an object.
    ///
    /// ```
    /// let req = awsig::Request::new("GET", "bucket.s3.amazonaws.com", "/").with_object_key("a b/ü");
    /// assert_eq!(req.object_key(), "a b/ü");
    /// ```
    pub fn with_object_key(mut self, key: &'a str) -> Self {
        self.key = key;
        self
    }

    /// The literal object key appended to the path, if any (empty if none).
    pub fn object_key(&self) -> &'a str {
        self.key
    }

    /// Sets the headers to sign, besides `host`, which comes from the host.
    pub fn with_headers(mut self, headers: &'a [(&'a str, &'a str)]) -> Self {
        self.headers = headers;
        self
    }

    /// Sets the payload. Without it the service decides: `UNSIGNED-PAYLOAD`
    /// for S3, the empty-body hash for every other service.
    pub fn with_payload(mut self, payload: Payload<'a>) -> Self {
        self.payload = Some(payload);
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// A virtual host: `label.` before the host (an S3 bucket before its
    /// endpoint), joined where the URL and the canonical request are
    /// written. The label is checked where it was made.
    pub(crate) fn with_host_label(mut self, label: &'a str) -> Self {
        self.host_label = label;
        self
    }

    /// The host, with a port when it is not the scheme's default.
    pub fn host(&self) -> &'a str {
        self.host
    }

    /// The path, URL form.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The query string, URL form.
    pub fn query(&self) -> &'a str {
        self.query
    }

    /// The literal query parameters added to the query string.
    pub fn params(&self) -> &'a [(&'a str, &'a str)] {
        self.params
    }

    /// The headers to sign besides `host`.
    pub fn headers(&self) -> &'a [(&'a str, &'a str)] {
        self.headers
    }

    /// The payload, if set.
    pub fn payload(&self) -> Option<Payload<'a>> {
        self.payload
    }

    /// The query string's `name=value` pairs, in URL form, empty pieces skipped.
    pub(crate) fn query_pairs(&self) -> impl Iterator<Item = (&'a str, &'a str)> + Clone {
        // An empty query has no pairs; `split` would still search it.
        let query = if self.query.is_empty() {
            None
        } else {
            Some(self.query)
        };
        query
            .into_iter()
            .flat_map(|query| query.split('&'))
            .filter(|piece| !piece.is_empty())
            .map(|piece| piece.split_once('=').unwrap_or((piece, "")))
    }

    /// Checks every part the signature depends on but the payload (whose
    /// hash is checked where it is read, `PayloadHash::of`), and returns the
    /// host's port, if it has one.
    pub(crate) fn validate(&self, host: HostCheck) -> Result<Option<Port<'a>>, Error> {
        check_method(self.method)?;
        // Clients send a port as its number (`:9000` for `:09000`): signing
        // the written form would sign a host no server receives.
        let port = match host {
            HostCheck::Validate => validate_host(self.host)?,
            HostCheck::Checked => None,
        };
        if let Some(port) = &port {
            if port.text.starts_with('0') && port.number != default_port(self.scheme) {
                return Err(Error::InvalidPort {
                    port: port.text.to_string(),
                    reason:
                        "is written with a leading zero; write it as the plain number clients send",
                });
            }
        }
        validate_path(self.path)?;
        for (name, value) in self.query_pairs() {
            check_escapes(name.as_bytes(), Component::QueryName)?;
            check_escapes(value.as_bytes(), Component::QueryValue)?;
        }
        for (name, value) in self.headers {
            validate_header(name, value)?;
            // The host comes from the request; `Authorization` is the
            // signature itself (botocore drops a caller's).
            if name.eq_ignore_ascii_case("host") || name.eq_ignore_ascii_case("authorization") {
                return Err(Error::ReservedHeader {
                    name: name.to_string(),
                });
            }
        }
        Ok(port)
    }
}

/// Token characters but lower-case letters: a method as AWS spells it.
static UPPER_TCHAR: [bool; 256] = {
    let mut table = TCHAR;
    let mut c = b'a';
    while c <= b'z' {
        table[c as usize] = false;
        c += 1;
    }
    table
};

/// Path bytes that need no second look: not a control byte or DEL, not
/// `?`, `#` or the `%` of an escape.
static PLAIN_PATH: [bool; 256] = {
    let mut table = [true; 256];
    let mut c = 0;
    while c < 0x20 {
        table[c] = false;
        c += 1;
    }
    table[0x7f] = false;
    table[b'?' as usize] = false;
    table[b'#' as usize] = false;
    table[b'%' as usize] = false;
    table
};

/// Checks a method: an HTTP token, in upper case.
pub(crate) fn check_method(method: &str) -> Result<(), Error> {
    let bytes = method.as_bytes();
    if !bytes.is_empty() && crate::encoding::run_end(bytes, 0, &UPPER_TCHAR) == bytes.len() {
        return Ok(());
    }
    if !is_token(method) {
        return Err(Error::InvalidMethod {
            method: method.to_string(),
        });
    }
    // HTTP methods are case-sensitive and AWS's are upper-case: `put` is
    // not `PUT`, and S3 refuses a signature over it.
    Err(Error::MethodNotUpperCase {
        method: method.to_string(),
    })
}

/// RFC 9110 token characters.
static TCHAR: [bool; 256] = byte_table(b"!#$%&'*+-.^_`|~");

/// Whether `text` is a non-empty HTTP token (a valid method or header name).
pub(crate) fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| TCHAR[usize::from(b)])
}

/// Checks a header name and value.
pub(crate) fn validate_header(name: &str, value: &str) -> Result<(), Error> {
    if !is_token(name) {
        return Err(Error::InvalidHeaderName {
            name: name.to_string(),
        });
    }
    if let Some(position) = value
        .bytes()
        .position(|b| (b.is_ascii_control() && b != b'\t') || b == 0x7f)
    {
        return Err(Error::InvalidHeaderValue {
            name: name.to_string(),
            position,
        });
    }
    Ok(())
}

fn validate_path(path: &str) -> Result<(), Error> {
    // The usual path holds nothing to look at twice: one pass settles it.
    if path.starts_with('/')
        && crate::encoding::run_end(path.as_bytes(), 0, &PLAIN_PATH) == path.len()
    {
        return Ok(());
    }
    if !path.starts_with('/') {
        return Err(Error::InvalidPath {
            reason: "must start with '/'",
        });
    }
    if path.bytes().any(|b| b.is_ascii_control() || b == 0x7f) {
        return Err(Error::InvalidPath {
            reason: "holds a control byte (CR, LF, NUL, ...)",
        });
    }
    if path.bytes().any(|b| b == b'?' || b == b'#') {
        return Err(Error::InvalidPath {
            reason: "holds '?' or '#': give the query separately, encode '?' as %3F",
        });
    }
    check_escapes(path.as_bytes(), Component::Path)
}

#[cfg(test)]
mod tests;
