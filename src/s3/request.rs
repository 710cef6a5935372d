//! [`S3Request`]: one S3 object operation (method, bucket, key, expiry,
//! version, `response-*` overrides, extra parameters and headers) and the
//! checks and query parameters it brings to signing.

use crate::canonical::SmallList;
use crate::error::Error;

/// Expiry of [`S3Request`] when none is set: 900 s, as `getSignedUrl` and
/// `aws s3 presign` default to (the CLI's is 3600 s).
pub const DEFAULT_EXPIRES: u64 = 900;

/// Longest object key S3 accepts, in bytes.
pub const MAX_KEY_LEN: usize = 1024;

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
/// use awsig::s3::S3Request;
/// let headers = [("content-type", "image/png")];
/// let put = S3Request::put("photos", "2024/cat.png").with_headers(&headers).expires_in(300);
/// let get = S3Request::get("photos", "2024/cat.png")
///     .response_content_disposition("attachment; filename*=UTF-8''cat%20pic.png");
/// # let _ = (put, get);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct S3Request<'a> {
    // `pub(super)`: the presigner and the MRAP signer beside this file
    // build their requests from these.
    pub(super) method: &'a str,
    pub(super) bucket: &'a str,
    pub(super) key: &'a str,
    /// As asked; `None`: the presigner's default (900 s, or 300 s for a
    /// directory bucket in S3 Express session mode).
    pub(super) expires_in: Option<u64>,
    version_id: Option<&'a str>,
    response: ResponseOverrides<'a>,
    pub(super) params: &'a [(&'a str, &'a str)],
    pub(super) headers: &'a [(&'a str, &'a str)],
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
            expires_in: None,
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

    /// Seconds the URL stays valid (default 900; 300 for a directory bucket
    /// signed in S3 Express session mode).
    pub fn expires_in(mut self, seconds: u64) -> Self {
        self.expires_in = Some(seconds);
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

    /// The expiry asked for, or 900 (a presigner in S3 Express session
    /// mode gives a directory bucket 300 when none was asked).
    pub fn expiry(&self) -> u64 {
        self.expires_in.unwrap_or(DEFAULT_EXPIRES)
    }

    /// Refuses an empty key and one longer than S3 takes.
    pub(super) fn check_key(&self) -> Result<(), Error> {
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

    /// Runs `use_params` with every query parameter the request signs: the
    /// caller's and this request's own (`versionId`, `response-*`), merged
    /// on the stack only when both are there.
    pub(super) fn with_signed_params<R>(&self, use_params: impl FnOnce(&[(&str, &str)]) -> R) -> R {
        // The usual request adds none: no list of seven to set up.
        if self.version_id.is_none() && self.response == ResponseOverrides::default() {
            return use_params(self.params);
        }
        let (own, n) = self.own_params();
        match (self.params, &own[..n]) {
            (callers, []) => use_params(callers),
            ([], own) => use_params(own),
            (callers, own) => {
                let mut both: SmallList<(&str, &str), 8> = SmallList::new();
                for param in callers.iter().chain(own) {
                    both.push(*param);
                }
                use_params(both.as_slice())
            }
        }
    }
}
