//! Query signing: a presigned URL, built in one allocation sized exactly,
//! its query written in canonical order so that the canonical URI and
//! query are hashed straight from it.

use super::*;

/// Where the canonical parts sit in an unsigned URL.
struct UrlLayout {
    path: core::ops::Range<usize>,
    query: core::ops::Range<usize>,
}

/// Writes `scheme://`, the bucket label and `.` of a virtual host, and the
/// host; returns where the label (or host) starts.
pub(super) fn put_origin(req: &Request<'_>, url: &mut String) -> usize {
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
pub(super) fn origin_len(req: &Request<'_>) -> usize {
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
    crate::canonical::put_token_param(AuthParam::SecurityToken, after_token, url);
    url.put("&X-Amz-Signature=");
    UrlLayout {
        path: path_start..path_end,
        query: path_end + 1..query_end,
    }
}

impl Signer {
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
        self.presign_with(req, time, Some(expires_in), HostCheck::Validate)
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
    /// use awsig::{Credentials, Request, Signer, SigningTime};
    /// let creds = Credentials::new("AKIDEXAMPLE", "secret")?.with_session_token("token/+=")?;
    /// let iot = Signer::new(creds, "us-east-1", "iotdevicegateway")?;
    /// let req = Request::new("GET", "example-ats.iot.us-east-1.amazonaws.com", "/mqtt");
    /// let url = iot.presign_without_expiry(&req, SigningTime::from_unix_seconds(0)?)?;
    /// assert!(!url.as_str().contains("X-Amz-Expires"));
    /// assert!(url.as_str().contains("&X-Amz-Security-Token=token%2F%2B%3D")); // added after signing
    /// assert_eq!(url.expires_at(), None);
    /// # Ok::<(), awsig::Error>(())
    /// ```
    pub fn presign_without_expiry<'r>(
        &self,
        req: &Request<'r>,
        time: SigningTime,
    ) -> Result<PresignedUrl<'r>, Error> {
        self.check_expiry_optional()?;
        self.presign_with(req, time, None, HostCheck::Validate)
    }

    /// Presigns with `X-Amz-Expires` or without: the plain path when there
    /// is nothing to sort, else the general one, the URL sized and written
    /// once. `host` says whether the request's host is to be checked (the
    /// S3 presigner's was, when its endpoint and bucket were).
    pub(crate) fn presign_with<'r>(
        &self,
        req: &Request<'r>,
        time: SigningTime,
        expires_in: Option<u64>,
        host: HostCheck,
    ) -> Result<PresignedUrl<'r>, Error> {
        let prepared = self.prepare(req, time, host)?;
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
        let mode = match expires_in {
            Some(expires_in) => SigningMode::Query { expires_in },
            None => SigningMode::QueryWithoutExpiry,
        };
        let canonical = self.canonical(&prepared, &amz_date, mode, &mut sorted)?;
        let auth = self.auth_params(&amz_date, expires_in);
        let after_token = self.token_after_signing();
        let req = &prepared.request;
        // The URL is sized first, then written once into its own allocation.
        let after_token_len =
            crate::canonical::token_param_len(AuthParam::SecurityToken, after_token);
        let url_len = origin_len(req)
            + canonical.url_path_len()
            + "?".len()
            + canonical.query_len(&auth)
            + after_token_len
            + "&X-Amz-Signature=".len()
            + SignatureText::max_len(self.algorithm());
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
        let short = SignatureText::max_len(self.algorithm()) - signature.as_str().len();
        debug_assert_eq!(url.len() + short, url.capacity());
        Ok(PresignedUrl {
            url,
            headers: headers_to_send,
            expires_at,
        })
    }
}
