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
use crate::settings::Settings;
use crate::sign::{PresignedUrl, Signer};
use alloc::string::{String, ToString};

mod bucket;
mod endpoint;
#[cfg(feature = "sigv4a")]
mod mrap;
mod partitions;

pub use bucket::{validate_bucket, virtual_host_check, Dots, MAX_BUCKET_LEN};
pub use endpoint::{AwsEndpoint, Endpoint};
#[cfg(feature = "sigv4a")]
pub use mrap::MultiRegionAccessPoint;

/// Expiry of [`S3Request`] when none is set: 900 s, as `getSignedUrl` and
/// `aws s3 presign` default to (the CLI's is 3600 s).
pub const DEFAULT_EXPIRES: u64 = 900;

/// Longest object key S3 accepts, in bytes.
pub const MAX_KEY_LEN: usize = 1024;

/// Where the bucket goes in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AddressingStyle {
    /// As the SDKs choose: virtual-hosted on AWS endpoints when the bucket
    /// name can be a host label there ([`virtual_host_check`]: no dots over
    /// https, lower case, 3 to 63 characters, not IP-shaped); path style for
    /// every other name (legacy `My_Bucket`, `my.bucket`) and on custom
    /// endpoints.
    #[default]
    Auto,
    /// `https://BUCKET.ENDPOINT/KEY` wherever the bucket can be a host label,
    /// on custom endpoints too; path style otherwise, as botocore's
    /// `virtual` and the S3 endpoint ruleset fall back: for a name
    /// [`virtual_host_check`] refuses (`My_Bucket`, `ab`, `a..b`, dotted
    /// names over https) and on an endpoint whose host is an IP address
    /// (`http://127.0.0.1:9000`). On AWS's endpoints this addresses as
    /// `Auto` does.
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

/// Room on the stack for a path-style path: the longest bucket name, its two
/// slashes and a path prefix of up to 125 bytes.
const SHORT_STRING_ROOM: usize = 384;
const _: () = assert!(SHORT_STRING_ROOM >= MAX_BUCKET_LEN + 2 + 125);

/// A string kept on the stack while it is short (a path-style path with its
/// prefix), so that presigning allocates only the URL.
pub(crate) struct ShortString {
    stack: [u8; SHORT_STRING_ROOM],
    len: usize,
    heap: Option<String>,
}

impl ShortString {
    /// An empty string that will hold `len` bytes: on the stack when they
    /// fit, else in one allocation of that size.
    fn for_len(len: usize) -> Self {
        ShortString {
            stack: [0; SHORT_STRING_ROOM],
            len: 0,
            heap: (len > SHORT_STRING_ROOM).then(|| String::with_capacity(len)),
        }
    }

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
            None => crate::encoding::written_text(&self.stack[..self.len]),
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

    /// Refuses an empty key and one longer than S3 takes.
    fn check_key(&self) -> Result<(), Error> {
        if self.key.is_empty() {
            return Err(Error::EmptyKey);
        }
        if self.key.len() > MAX_KEY_LEN {
            return Err(Error::KeyTooLong {
                len: self.key.len(),
                max: MAX_KEY_LEN,
            });
        }
        Ok(())
    }

    /// The query parameters this request adds, in a fixed order.
    fn own_params(&self) -> ([(&'a str, &'a str); 7], usize) {
        let r = &self.response;
        if self.version_id.is_none() && *r == ResponseOverrides::default() {
            return ([("", ""); 7], 0);
        }
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
    /// `None` while the region names no AWS endpoint (R2's `auto`) and no
    /// custom one was given: requests are then refused, not sent to a host
    /// that does not exist.
    endpoint: Option<Endpoint>,
    style: AddressingStyle,
    /// The region as given, when AWS's endpoint signs as another
    /// (`aws-global`, `fips-*`): a custom endpoint signs it as given.
    given_region: Option<String>,
}

impl S3Presigner {
    /// A presigner for AWS's S3 endpoint in `region`, in any partition, with
    /// the pseudo-regions botocore knows (`aws-global`, `fips-*`, `*-fips`):
    /// see [`AwsEndpoint::resolve`]. The credential scope names the region
    /// that signs there (`us-east-1` for `aws-global`).
    ///
    /// `auto`, the region Cloudflare R2 signs with, has no AWS endpoint: the
    /// presigner is made, so that [`with_endpoint`](Self::with_endpoint) can
    /// give the store's, and until then refuses every request with
    /// [`Error::RegionNeedsCustomEndpoint`].
    ///
    /// ```
    /// use sigv4::s3::{Endpoint, S3Presigner, S3Request};
    /// use sigv4::{Credentials, SigningTime};
    /// let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
    /// let time = SigningTime::parse("2024-05-24T00:00:00Z")?;
    /// let get = S3Request::get("bucket", "k");
    /// assert!(S3Presigner::new(creds.clone(), "auto")?.presign(&get, time).is_err());
    /// let r2 = S3Presigner::new(creds, "auto")?
    ///     .with_endpoint(Endpoint::parse("https://ACCOUNT.r2.cloudflarestorage.com")?);
    /// assert!(r2.presign(&get, time)?.as_str().contains("%2Fauto%2Fs3%2F"));
    /// # Ok::<(), sigv4::Error>(())
    /// ```
    pub fn new(credentials: Credentials, region: &str) -> Result<S3Presigner, Error> {
        let resolved = match AwsEndpoint::resolve(region) {
            Ok(aws) => Some(aws.into_parts()),
            // Refusing here would also refuse `new(creds, "auto")?.with_endpoint(r2)`,
            // the one way R2's region is meant to be used.
            Err(Error::RegionNeedsCustomEndpoint { .. }) => None,
            Err(e) => return Err(e),
        };
        let signing_region = resolved.as_ref().map_or(region, |(_, signing)| signing);
        let given_region = (signing_region != region).then(|| region.to_string());
        Ok(S3Presigner {
            signer: Signer::new(credentials, signing_region, "s3")?,
            endpoint: resolved.map(|(endpoint, _)| endpoint),
            style: AddressingStyle::Auto,
            given_region,
        })
    }

    /// Uses a custom endpoint (an S3-compatible store). The region is then
    /// signed as it was given, pseudo-regions included, as botocore signs
    /// `aws-global` for an `endpoint_url` (it refuses `fips-*` there).
    pub fn with_endpoint(mut self, endpoint: Endpoint) -> S3Presigner {
        self.endpoint = Some(endpoint);
        if let Some(region) = self.given_region.take() {
            let settings = self.signer.settings().clone();
            // `region` passed `AwsEndpoint::resolve`'s scope-name check,
            // which is all `Scope::new` asks of a region with service "s3",
            // so the signer is kept only in a branch that cannot run.
            if let Ok(signer) = Signer::new(self.signer.credentials().clone(), &region, "s3") {
                self.signer = signer.with_settings(settings);
            }
        }
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

    /// The endpoint: `None` for a region AWS has no endpoint for (`auto`)
    /// until [`with_endpoint`](Self::with_endpoint) gives one.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.endpoint.as_ref()
    }

    /// The endpoint requests go to, or the error naming the region that
    /// needs one.
    fn target(&self) -> Result<&Endpoint, Error> {
        self.endpoint
            .as_ref()
            .ok_or_else(|| Error::RegionNeedsCustomEndpoint {
                // Without an endpoint the scope holds the region as given:
                // only a resolved AWS endpoint signs as another.
                region: self.signer.scope().region().to_string(),
            })
    }

    /// Whether `bucket` goes in `endpoint`'s host name for this presigner,
    /// as the S3 endpoint ruleset decides.
    ///
    /// `dns_label` says the name is one DNS label of 3 or more, which
    /// every check passes (the usual name, found out once).
    fn virtual_hosted(&self, endpoint: &Endpoint, bucket: &str, dns_label: bool) -> bool {
        // A dotted bucket label is safe only without TLS: `a.b.host` is not
        // covered by a `*.host` certificate.
        let dots = match endpoint.scheme {
            Scheme::Http => Dots::Allowed,
            Scheme::Https => Dots::Refused,
        };
        let hostable = || dns_label || virtual_host_check(bucket, dots).is_ok();
        match self.style {
            AddressingStyle::Path => false,
            AddressingStyle::Auto => !endpoint.custom && hostable(),
            // botocore's `virtual` sends path style what no host can take,
            // rather than failing: S3 serves every bucket that way.
            AddressingStyle::Virtual => !endpoint.ip && hostable(),
        }
    }

    /// The URL of `bucket` as this presigner addresses it, where a POST form
    /// uploads to: `https://bucket.host/` virtual-hosted, `https://host/bucket`
    /// path style (botocore's two forms), after the endpoint's path prefix.
    #[cfg(feature = "post")]
    pub(crate) fn bucket_url(&self, bucket: &str) -> Result<String, Error> {
        let endpoint = self.target()?;
        let dns_label = bucket.len() >= 3 && bucket::is_one_label(bucket);
        if !dns_label {
            validate_bucket(bucket)?;
        }
        if bucket::is_directory_bucket(bucket) {
            return Err(Error::DirectoryBucketUnsupported {
                bucket: bucket.to_string(),
            });
        }
        let virtual_hosted = self.virtual_hosted(endpoint, bucket, dns_label);
        let mut url = String::from(endpoint.scheme.as_str());
        url.push_str("://");
        if virtual_hosted {
            url.push_str(bucket);
            url.push('.');
        }
        url.push_str(&endpoint.host);
        url.push_str(&endpoint.prefix);
        url.push('/');
        if !virtual_hosted {
            url.push_str(bucket);
        }
        Ok(url)
    }

    /// Builds the generic request for `req` and hands it to `with`. The path,
    /// bucket label and query parameters it needs stay on this call's stack.
    fn with_request<T>(
        &self,
        req: &S3Request<'_>,
        with: impl FnOnce(&Request<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let endpoint = self.target()?;
        // One DNS label of 3 or more passes both bucket checks.
        let dns_label = req.bucket.len() >= 3 && bucket::is_one_label(req.bucket);
        if !dns_label {
            validate_bucket(req.bucket)?;
        }
        if bucket::is_directory_bucket(req.bucket) {
            return Err(Error::DirectoryBucketUnsupported {
                bucket: req.bucket.to_string(),
            });
        }
        req.check_key()?;
        let virtual_hosted = self.virtual_hosted(endpoint, req.bucket, dns_label);
        let (own, n) = req.own_params();
        // The path: prefix, then `/bucket` for path style, then `/` + key.
        let built_path;
        let path = if virtual_hosted && endpoint.prefix.is_empty() {
            "/"
        } else {
            let bucket_len = if virtual_hosted {
                0
            } else {
                1 + req.bucket.len()
            };
            let mut path = ShortString::for_len(endpoint.prefix.len() + bucket_len + 1);
            path.push_str(&endpoint.prefix);
            if !virtual_hosted {
                path.push('/');
                path.push_str(req.bucket);
            }
            path.push('/');
            built_path = path;
            built_path.as_str()
        };
        let mut request = Request::new(req.method, &endpoint.host, path)
            .with_scheme(endpoint.scheme)
            .with_object_key(req.key)
            .with_params(req.params)
            .with_headers(req.headers);
        request.extra_params = &own[..n];
        request.host_checked = true;
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
        let too_long = "b".repeat(256);
        for bad in ["", "a/b", "a b", "é", too_long.as_str()] {
            assert!(
                matches!(
                    p.presign(&S3Request::get(bad, "k"), t),
                    Err(Error::InvalidBucket { .. })
                ),
                "{bad}"
            );
        }
        assert_eq!(
            p.presign(&S3Request::get("bkt", ""), t),
            Err(Error::EmptyKey)
        );
        let big = "k".repeat(MAX_KEY_LEN + 1);
        assert!(matches!(
            p.presign(&S3Request::get("bkt", &big), t),
            Err(Error::KeyTooLong { .. })
        ));
    }

    #[test]
    fn legacy_names_go_path_style_under_auto_and_virtual() {
        let long = "b".repeat(255);
        for name in [
            "b",
            "ab",
            "Upper",
            "under_score",
            "-start",
            "bucket-",
            "a..b",
            "192.168.5.4",
            "my.bucket",
            long.as_str(),
        ] {
            let path = alloc::format!("https://s3.amazonaws.com/{name}/k");
            assert_eq!(url_base(&presigner("us-east-1"), name, "k"), path);
            let virt = presigner("us-east-1").with_addressing_style(AddressingStyle::Virtual);
            assert_eq!(url_base(&virt, name, "k"), path);
        }
    }

    #[test]
    fn auto_region_needs_a_custom_endpoint() {
        let t = SigningTime::from_unix_seconds(0).unwrap();
        // R2's region names no AWS endpoint: `bkt.s3.auto.amazonaws.com`
        // does not exist, so presigning there is an error naming the region.
        for style in [
            AddressingStyle::Auto,
            AddressingStyle::Virtual,
            AddressingStyle::Path,
        ] {
            let aws = presigner("auto").with_addressing_style(style);
            assert_eq!(aws.endpoint(), None);
            assert_eq!(
                aws.presign(&S3Request::get("bkt", "k"), t),
                Err(Error::RegionNeedsCustomEndpoint {
                    region: "auto".to_string()
                })
            );
        }
        let err = presigner("auto")
            .canonical_request(&S3Request::get("bkt", "k"), t)
            .unwrap_err();
        assert!(err.to_string().contains("\"auto\""), "{err}");
        assert!(err.to_string().contains("custom endpoint"), "{err}");
        // With the store's endpoint it signs the scope region R2 wants.
        let r2 = presigner("auto").with_endpoint(
            Endpoint::parse("https://0123456789abcdef.r2.cloudflarestorage.com").unwrap(),
        );
        let url = r2.presign(&S3Request::get("bkt", "k"), t).unwrap();
        assert!(url
            .as_str()
            .starts_with("https://0123456789abcdef.r2.cloudflarestorage.com/bkt/k?"));
        assert!(url.as_str().contains("%2Fauto%2Fs3%2Faws4_request"));
    }

    #[cfg(feature = "post")]
    #[test]
    fn auto_region_has_no_post_url_without_an_endpoint() {
        assert_eq!(
            presigner("auto").bucket_url("bkt"),
            Err(Error::RegionNeedsCustomEndpoint {
                region: "auto".to_string()
            })
        );
        let r2 = presigner("auto").with_endpoint(Endpoint::parse("https://r2.example").unwrap());
        assert_eq!(r2.bucket_url("bkt").unwrap(), "https://r2.example/bkt");
    }

    #[test]
    fn virtual_sends_names_no_host_takes_path_style() {
        // As botocore's `virtual` does (the S3 endpoint ruleset): a name that
        // cannot be a host label there goes in the path.
        let virt = |region: &str| presigner(region).with_addressing_style(AddressingStyle::Virtual);
        for bucket in ["My_Bucket", "b3", "a..b", "my.bucket"] {
            assert_eq!(
                url_base(&virt("eu-west-1"), bucket, "k"),
                alloc::format!("https://s3.eu-west-1.amazonaws.com/{bucket}/k")
            );
        }
        let https =
            virt("us-east-1").with_endpoint(Endpoint::parse("https://s3.example.com").unwrap());
        assert_eq!(
            url_base(&https, "my.bucket", "k"),
            "https://s3.example.com/my.bucket/k"
        );
        let http =
            virt("us-east-1").with_endpoint(Endpoint::parse("http://s3.example.com").unwrap());
        assert_eq!(url_base(&http, "a..b", "k"), "http://s3.example.com/a..b/k");
        // Dots are host labels without TLS.
        assert_eq!(
            url_base(&http, "a.b.c", "k"),
            "http://a.b.c.s3.example.com/k"
        );
    }

    #[test]
    fn virtual_on_an_ip_endpoint_is_path_style() {
        for (endpoint, base) in [
            ("http://127.0.0.1:9000", "http://127.0.0.1:9000/bkt/k"),
            ("http://[::1]:9000", "http://[::1]:9000/bkt/k"),
        ] {
            let p = presigner("us-east-1")
                .with_endpoint(Endpoint::parse(endpoint).unwrap())
                .with_addressing_style(AddressingStyle::Virtual);
            assert_eq!(url_base(&p, "bkt", "k"), base);
        }
    }

    #[test]
    fn default_expiry_is_900_seconds() {
        let p = presigner("us-east-1");
        let t = SigningTime::from_unix_seconds(0).unwrap();
        let url = p.presign(&S3Request::get("bkt", "k"), t).unwrap();
        assert!(url.as_str().contains("X-Amz-Expires=900&"));
        assert_eq!(url.expires_at().map(SigningTime::unix_seconds), Some(900));
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
