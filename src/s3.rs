//! S3 conveniences: from bucket + key to a presigned URL, with endpoints and
//! addressing as the AWS SDKs choose them, and no URL parsing on the way.
//!
//! ```
//! use sigv4::s3::{S3Presigner, S3Request};
//! use sigv4::{Credentials, SigningTime};
//!
//! let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! let s3 = S3Presigner::new(creds, "us-east-1")?;
//! let time = SigningTime::parse("2013-05-24T00:00:00Z")?;
//! let url = s3.presign(&S3Request::get("examplebucket", "test.txt").expires_in(86_400), time)?;
//! assert_eq!(url.as_str(), "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
//! # Ok::<(), sigv4::Error>(())
//! ```

use crate::credentials::Credentials;
use crate::error::Error;
use crate::request::{Request, Scheme};
use crate::scope::SigningTime;
use crate::sign::{PresignedUrl, Settings, Signer};
use crate::uri::parse_url;
use alloc::string::{String, ToString};

/// Expiry of [`S3Request`] when none is set: 900 s, as `getSignedUrl` and
/// `aws s3 presign` default to (the CLI's is 3600 s).
pub const DEFAULT_EXPIRES: u64 = 900;

/// Longest object key S3 accepts, in bytes.
pub const MAX_KEY_LEN: usize = 1024;

/// Where the bucket goes in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AddressingStyle {
    /// Virtual-hosted for AWS endpoints and DNS-compatible buckets without
    /// dots; path-style otherwise (custom endpoints included).
    #[default]
    Auto,
    /// `https://BUCKET.ENDPOINT/KEY`.
    Virtual,
    /// `https://ENDPOINT/BUCKET/KEY`.
    Path,
}

impl AddressingStyle {
    /// Parses `auto`, `virtual` or `path`.
    pub fn parse(text: &str) -> Option<AddressingStyle> {
        match text {
            "auto" => Some(AddressingStyle::Auto),
            "virtual" => Some(AddressingStyle::Virtual),
            "path" => Some(AddressingStyle::Path),
            _ => None,
        }
    }
}

/// An S3 endpoint: AWS's for a region, or a custom one (MinIO, R2, a gateway).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    scheme: Scheme,
    /// Lower-cased, with a non-default port.
    host: alloc::borrow::Cow<'static, str>,
    /// Path prefix without a trailing `/` (`""` or `/s3`).
    prefix: String,
    custom: bool,
}

impl Endpoint {
    /// AWS's endpoint for `region`: `s3.amazonaws.com` for `us-east-1`,
    /// `s3.REGION.amazonaws.com.cn` in China, `s3.REGION.amazonaws.com` elsewhere.
    pub fn aws(region: &str) -> Endpoint {
        let host = if region == "us-east-1" {
            alloc::borrow::Cow::Borrowed("s3.amazonaws.com")
        } else {
            let suffix = if region.starts_with("cn-") {
                ".amazonaws.com.cn"
            } else {
                ".amazonaws.com"
            };
            let mut host = String::with_capacity(3 + region.len() + suffix.len());
            host.push_str("s3.");
            host.push_str(region);
            host.push_str(suffix);
            alloc::borrow::Cow::Owned(host)
        };
        Endpoint {
            scheme: Scheme::Https,
            host,
            prefix: String::new(),
            custom: false,
        }
    }

    /// A custom endpoint: `scheme://host[:port][/path-prefix]`.
    ///
    /// ```
    /// let e = sigv4::s3::Endpoint::parse("http://127.0.0.1:9000").unwrap();
    /// assert_eq!(e.host(), "127.0.0.1:9000");
    /// let e = sigv4::s3::Endpoint::parse("https://GW.example.com:443/s3/").unwrap();
    /// assert_eq!((e.host(), e.path_prefix()), ("gw.example.com", "/s3"));
    /// ```
    pub fn parse(url: &str) -> Result<Endpoint, Error> {
        let parts = parse_url(url)?;
        if !parts.query.is_empty() {
            return Err(Error::InvalidUrl {
                reason: "of an endpoint cannot have a query",
            });
        }
        crate::encoding::check_escapes(parts.path.as_bytes(), crate::error::Component::Path)?;
        Ok(Endpoint {
            scheme: parts.scheme,
            // Host names are case-insensitive; the signed host must match what
            // the client sends, so fix one case here.
            host: alloc::borrow::Cow::Owned(parts.host.to_ascii_lowercase()),
            prefix: parts.path.trim_end_matches('/').to_string(),
            custom: true,
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host, with a port when it is not the scheme's default.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The path prefix (empty, or like `/s3`).
    pub fn path_prefix(&self) -> &str {
        &self.prefix
    }

    /// Whether this is a custom (non-AWS) endpoint.
    pub fn is_custom(&self) -> bool {
        self.custom
    }
}

/// Checks a bucket name against S3's rules: 3 to 63 characters of `a-z`,
/// `0-9`, `.` and `-`, starting and ending with a letter or digit, no `..`,
/// not shaped like an IPv4 address.
pub fn validate_bucket(bucket: &str) -> Result<(), Error> {
    let fail = |reason| {
        Err(Error::InvalidBucket {
            bucket: bucket.to_string(),
            reason,
        })
    };
    if bucket.is_empty() {
        return fail("is empty");
    }
    if !(3..=63).contains(&bucket.len()) {
        return fail("must be 3 to 63 characters long");
    }
    let b = bucket.as_bytes();
    if !b.iter().all(|&c| BUCKET_BYTE[usize::from(c)]) {
        return fail("may hold only a-z, 0-9, '.' and '-'");
    }
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return fail("must start and end with a letter or digit");
    }
    if b.windows(2).any(|w| w == b"..") {
        return fail("must not hold '..'");
    }
    // Only a name of exactly four dot-separated parts can look like an IPv4
    // address; the usual dotless name is done after one count.
    let ip_shaped = b.iter().filter(|&&c| c == b'.').count() == 3
        && bucket
            .split('.')
            .all(|o| !o.is_empty() && o.len() <= 3 && o.bytes().all(|c| c.is_ascii_digit()));
    if ip_shaped {
        return fail("must not be formatted as an IP address");
    }
    Ok(())
}

/// The bytes a bucket name may hold: `a-z`, `0-9`, `.`, `-`.
static BUCKET_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-';
        c += 1;
    }
    table
};

/// A string kept on the stack while it is short (a bucket label, a path
/// prefix), so that presigning allocates only the URL.
pub(crate) struct ShortString {
    stack: [u8; 128],
    len: usize,
    heap: Option<String>,
}

impl Default for ShortString {
    fn default() -> Self {
        ShortString {
            stack: [0; 128],
            len: 0,
            heap: None,
        }
    }
}

impl ShortString {
    fn push_str(&mut self, s: &str) {
        if let Some(heap) = &mut self.heap {
            heap.push_str(s);
        } else if self.len + s.len() <= self.stack.len() {
            self.stack[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
            self.len += s.len();
        } else {
            let mut heap = String::from(self.as_str());
            heap.push_str(s);
            self.heap = Some(heap);
        }
    }

    fn push(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.push_str(c.encode_utf8(&mut buf));
    }

    fn as_str(&self) -> &str {
        match &self.heap {
            Some(heap) => heap,
            // Only whole `&str`s are ever copied in, so this is valid UTF-8.
            None => core::str::from_utf8(&self.stack[..self.len]).unwrap_or(""),
        }
    }
}

/// The `response-*` overrides of a GET: headers S3 sets on its response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ResponseOverrides<'a> {
    cache_control: Option<&'a str>,
    content_disposition: Option<&'a str>,
    content_encoding: Option<&'a str>,
    content_language: Option<&'a str>,
    content_type: Option<&'a str>,
    expires: Option<&'a str>,
}

/// One S3 object operation to presign.
///
/// ```
/// use sigv4::s3::S3Request;
/// let headers = [("content-type", "image/png")];
/// let put = S3Request::put("photos", "2024/cat.png").with_headers(&headers).expires_in(300);
/// let get = S3Request::get("photos", "2024/cat.png")
///     .response_content_disposition("attachment; filename*=UTF-8''cat%20pic.png");
/// # let _ = (put, get);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct S3Request<'a> {
    method: &'a str,
    bucket: &'a str,
    key: &'a str,
    expires_in: u64,
    version_id: Option<&'a str>,
    response: ResponseOverrides<'a>,
    params: &'a [(&'a str, &'a str)],
    headers: &'a [(&'a str, &'a str)],
}

macro_rules! response_override {
    ($(#[$doc:meta])* $fn:ident, $field:ident) => {
        $(#[$doc])*
        pub fn $fn(mut self, value: &'a str) -> Self {
            self.response.$field = Some(value);
            self
        }
    };
}

impl<'a> S3Request<'a> {
    /// Any method on `bucket`/`key`; `key` is the literal object key.
    pub fn new(method: &'a str, bucket: &'a str, key: &'a str) -> Self {
        S3Request {
            method,
            bucket,
            key,
            expires_in: DEFAULT_EXPIRES,
            version_id: None,
            response: ResponseOverrides::default(),
            params: &[],
            headers: &[],
        }
    }

    /// GetObject.
    pub fn get(bucket: &'a str, key: &'a str) -> Self {
        S3Request::new("GET", bucket, key)
    }

    /// PutObject.
    pub fn put(bucket: &'a str, key: &'a str) -> Self {
        S3Request::new("PUT", bucket, key)
    }

    /// HeadObject.
    pub fn head(bucket: &'a str, key: &'a str) -> Self {
        S3Request::new("HEAD", bucket, key)
    }

    /// DeleteObject.
    pub fn delete(bucket: &'a str, key: &'a str) -> Self {
        S3Request::new("DELETE", bucket, key)
    }

    /// Seconds the URL stays valid (default 900).
    pub fn expires_in(mut self, seconds: u64) -> Self {
        self.expires_in = seconds;
        self
    }

    /// A specific version of the object (`versionId`).
    pub fn version_id(mut self, version_id: &'a str) -> Self {
        self.version_id = Some(version_id);
        self
    }

    response_override!(
        /// `response-cache-control`.
        response_cache_control, cache_control);
    response_override!(
        /// `response-content-disposition`, e.g. `attachment; filename*=UTF-8''a%20b.txt`.
        response_content_disposition, content_disposition);
    response_override!(
        /// `response-content-encoding`.
        response_content_encoding, content_encoding);
    response_override!(
        /// `response-content-language`.
        response_content_language, content_language);
    response_override!(
        /// `response-content-type`.
        response_content_type, content_type);
    response_override!(
        /// `response-expires`.
        response_expires, expires);

    /// More literal query parameters (e.g. `partNumber`, `uploadId`).
    pub fn with_params(mut self, params: &'a [(&'a str, &'a str)]) -> Self {
        self.params = params;
        self
    }

    /// Headers to sign (`content-type`, `x-amz-meta-*`, `x-amz-acl`, ...). The
    /// client must send them with exactly these values.
    pub fn with_headers(mut self, headers: &'a [(&'a str, &'a str)]) -> Self {
        self.headers = headers;
        self
    }

    /// The method.
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The expiry in seconds.
    pub fn expiry(&self) -> u64 {
        self.expires_in
    }

    /// The query parameters this request adds, in a fixed order.
    fn own_params(&self) -> ([(&'a str, &'a str); 7], usize) {
        let r = &self.response;
        let all = [
            ("versionId", self.version_id),
            ("response-cache-control", r.cache_control),
            ("response-content-disposition", r.content_disposition),
            ("response-content-encoding", r.content_encoding),
            ("response-content-language", r.content_language),
            ("response-content-type", r.content_type),
            ("response-expires", r.expires),
        ];
        let mut out = [("", ""); 7];
        let mut n = 0;
        for (name, value) in all {
            if let Some(value) = value {
                out[n] = (name, value);
                n += 1;
            }
        }
        (out, n)
    }
}

/// Presigns S3 object requests for one set of credentials, region, endpoint
/// and addressing style.
#[derive(Debug, Clone)]
pub struct S3Presigner {
    signer: Signer,
    endpoint: Endpoint,
    style: AddressingStyle,
}

impl S3Presigner {
    /// A presigner for AWS's S3 endpoint in `region`.
    pub fn new(credentials: Credentials, region: &str) -> Result<S3Presigner, Error> {
        Ok(S3Presigner {
            signer: Signer::new(credentials, region, "s3")?,
            endpoint: Endpoint::aws(region),
            style: AddressingStyle::Auto,
        })
    }

    /// Uses a custom endpoint (an S3-compatible store).
    pub fn with_endpoint(mut self, endpoint: Endpoint) -> S3Presigner {
        self.endpoint = endpoint;
        self
    }

    /// Sets the addressing style (default [`AddressingStyle::Auto`]).
    pub fn with_addressing_style(mut self, style: AddressingStyle) -> S3Presigner {
        self.style = style;
        self
    }

    /// Replaces the signing settings (e.g. a longer expiry cap).
    pub fn with_settings(mut self, settings: Settings) -> S3Presigner {
        self.signer = self.signer.with_settings(settings);
        self
    }

    /// The signer underneath.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Whether `bucket` goes in the host name for this presigner.
    fn virtual_hosted(&self, bucket: &str) -> Result<bool, Error> {
        match self.style {
            AddressingStyle::Path => Ok(false),
            AddressingStyle::Auto => {
                Ok(!self.endpoint.custom && !bucket.bytes().any(|c| c == b'.'))
            }
            AddressingStyle::Virtual
                if bucket.bytes().any(|c| c == b'.') && self.endpoint.scheme == Scheme::Https =>
            {
                Err(Error::InvalidBucket {
                    bucket: bucket.to_string(),
                    reason:
                        "holds '.', which breaks TLS for virtual-hosted addressing: use path style",
                })
            }
            AddressingStyle::Virtual => Ok(true),
        }
    }

    /// Builds the generic request for `req` and hands it to `with`. The path,
    /// bucket label and query parameters it needs stay on this call's stack.
    fn with_request<T>(
        &self,
        req: &S3Request<'_>,
        with: impl FnOnce(&Request<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        validate_bucket(req.bucket)?;
        if req.key.is_empty() {
            return Err(Error::EmptyKey);
        }
        if req.key.len() > MAX_KEY_LEN {
            return Err(Error::KeyTooLong {
                len: req.key.len(),
                max: MAX_KEY_LEN,
            });
        }
        let virtual_hosted = self.virtual_hosted(req.bucket)?;
        let (own, n) = req.own_params();
        // The path: prefix, then `/bucket` for path style, then `/` + key.
        let built_path;
        let path = if virtual_hosted && self.endpoint.prefix.is_empty() {
            "/"
        } else {
            let mut path = ShortString::default();
            path.push_str(&self.endpoint.prefix);
            if !virtual_hosted {
                path.push('/');
                path.push_str(req.bucket);
            }
            path.push('/');
            built_path = path;
            built_path.as_str()
        };
        let mut request = Request::new(req.method, &self.endpoint.host, path)
            .with_scheme(self.endpoint.scheme)
            .with_object_key(req.key)
            .with_params(req.params)
            .with_headers(req.headers);
        request.extra_params = &own[..n];
        if virtual_hosted {
            request.host_label = req.bucket;
        }
        with(&request)
    }

    /// Presigns `req` at `time`.
    pub fn presign<'r>(
        &self,
        req: &S3Request<'r>,
        time: SigningTime,
    ) -> Result<PresignedUrl<'r>, Error> {
        self.with_request(req, |request| {
            let url = self.signer.presign(request, time, req.expires_in)?;
            // The headers to send are the caller's, which outlive the request.
            Ok(url.rebind_headers(req.headers))
        })
    }

    /// The canonical request that presigning `req` at `time` hashes.
    pub fn canonical_request(
        &self,
        req: &S3Request<'_>,
        time: SigningTime,
    ) -> Result<String, Error> {
        self.with_request(req, |request| {
            self.signer.canonical_request(
                request,
                time,
                crate::SigningMode::Query {
                    expires_in: req.expires_in,
                },
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn presigner(region: &str) -> S3Presigner {
        S3Presigner::new(Credentials::new("AKID", "secret").unwrap(), region).unwrap()
    }

    fn url_base(p: &S3Presigner, bucket: &str, key: &str) -> String {
        let t = SigningTime::from_unix_seconds(0).unwrap();
        let url = p.presign(&S3Request::get(bucket, key), t).unwrap();
        url.as_str().split('?').next().unwrap().to_string()
    }

    #[test]
    fn addresses_like_the_sdks() {
        assert_eq!(
            url_base(&presigner("us-east-1"), "bkt", "k"),
            "https://bkt.s3.amazonaws.com/k"
        );
        assert_eq!(
            url_base(&presigner("eu-west-1"), "bkt", "a/b"),
            "https://bkt.s3.eu-west-1.amazonaws.com/a/b"
        );
        assert_eq!(
            url_base(&presigner("eu-west-1"), "my.bucket", "k"),
            "https://s3.eu-west-1.amazonaws.com/my.bucket/k"
        );
        assert_eq!(
            url_base(&presigner("cn-north-1"), "bkt", "k"),
            "https://bkt.s3.cn-north-1.amazonaws.com.cn/k"
        );
        let path = presigner("us-west-2").with_addressing_style(AddressingStyle::Path);
        assert_eq!(
            url_base(&path, "bkt", "k"),
            "https://s3.us-west-2.amazonaws.com/bkt/k"
        );
        let custom =
            presigner("us-east-1").with_endpoint(Endpoint::parse("http://127.0.0.1:9000").unwrap());
        assert_eq!(url_base(&custom, "bkt", "k"), "http://127.0.0.1:9000/bkt/k");
        let gw = presigner("us-east-1")
            .with_endpoint(Endpoint::parse("https://gw.example.com:443/s3").unwrap());
        assert_eq!(url_base(&gw, "bkt", "k"), "https://gw.example.com/s3/bkt/k");
        let gw = gw.with_addressing_style(AddressingStyle::Virtual);
        assert_eq!(url_base(&gw, "bkt", "k"), "https://bkt.gw.example.com/s3/k");
    }

    #[test]
    fn encodes_keys_once_and_keeps_dot_segments() {
        assert_eq!(
            url_base(&presigner("us-east-1"), "bkt", "a b/../c//d+e%20f~"),
            "https://bkt.s3.amazonaws.com/a%20b/../c//d%2Be%2520f~"
        );
    }

    #[test]
    fn checks_buckets_and_keys() {
        let p = presigner("us-east-1");
        let t = SigningTime::from_unix_seconds(0).unwrap();
        for bad in [
            "",
            "ab",
            "Upper",
            "under_score",
            "-start",
            "end-",
            "a..b",
            "192.168.1.1",
        ] {
            assert!(
                matches!(
                    p.presign(&S3Request::get(bad, "k"), t),
                    Err(Error::InvalidBucket { .. })
                ),
                "{bad}"
            );
        }
        let long = "b".repeat(64);
        assert!(matches!(
            p.presign(&S3Request::get(&long, "k"), t),
            Err(Error::InvalidBucket { .. })
        ));
        assert_eq!(
            p.presign(&S3Request::get("bkt", ""), t),
            Err(Error::EmptyKey)
        );
        let big = "k".repeat(MAX_KEY_LEN + 1);
        assert!(matches!(
            p.presign(&S3Request::get("bkt", &big), t),
            Err(Error::KeyTooLong { .. })
        ));
        let virt = p.with_addressing_style(AddressingStyle::Virtual);
        assert!(matches!(
            virt.presign(&S3Request::get("my.bucket", "k"), t),
            Err(Error::InvalidBucket { .. })
        ));
    }

    #[test]
    fn default_expiry_is_900_seconds() {
        let p = presigner("us-east-1");
        let t = SigningTime::from_unix_seconds(0).unwrap();
        let url = p.presign(&S3Request::get("bkt", "k"), t).unwrap();
        assert!(url.as_str().contains("X-Amz-Expires=900&"));
        assert_eq!(url.expires_at().unix_seconds(), 900);
    }

    #[test]
    fn signed_headers_are_returned_to_send() {
        let p = presigner("us-east-1");
        let t = SigningTime::from_unix_seconds(0).unwrap();
        let headers = [("Content-Type", "text/plain"), ("x-amz-meta-a", "1")];
        let url = p
            .presign(&S3Request::put("bkt", "k").with_headers(&headers), t)
            .unwrap();
        assert_eq!(url.headers(), &headers);
        assert!(url
            .as_str()
            .contains("X-Amz-SignedHeaders=content-type%3Bhost%3Bx-amz-meta-a&"));
    }
}
