//! [`S3Presigner`]: where a bucket's requests go (endpoint and addressing
//! style) and the presigned URLs and canonical requests signed for them.

use super::bucket::{self, validate_bucket, virtual_host_check, Dots};
use super::endpoint::{Endpoint, Resolved};
use super::express::{self, DualStack, ExpressAuth, ExpressTarget, Zonal};
use super::request::{S3Request, DEFAULT_EXPIRES};
use super::short_string::{ShortString, PATH_ROOM};
use super::AddressingStyle;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::request::{Request, Scheme};
use crate::scope::SigningTime;
use crate::settings::{Settings, S3_EXPRESS};
use crate::sign::{PresignedUrl, Signer};
use alloc::borrow::Cow;
use alloc::string::{String, ToString};

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
    /// Where directory buckets' zonal endpoints are, from the region's
    /// partition (`None` for a region AWS has no endpoint for).
    zonal: Option<Zonal>,
    dual_stack: DualStack,
    /// The signer of directory buckets in session mode, with the
    /// credentials `CreateSession` gave; `None`: IAM mode.
    express_session: Option<Signer>,
}

/// What a quick look at a bucket name found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BucketLabel {
    /// One DNS label of 3 or more characters: every check passes.
    OneLabel,
    /// Anything else: to be checked in full.
    Unknown,
}

impl BucketLabel {
    fn of(bucket: &str) -> BucketLabel {
        match bucket.len() >= 3 && bucket::is_one_label(bucket) {
            true => BucketLabel::OneLabel,
            false => BucketLabel::Unknown,
        }
    }
}

impl S3Presigner {
    /// A presigner for AWS's S3 endpoint in `region`, in any partition, with
    /// the pseudo-regions botocore knows (`aws-global`, `fips-*`, `*-fips`):
    /// see [`AwsEndpoint::resolve`](super::AwsEndpoint::resolve). The
    /// credential scope names the region that signs there (`us-east-1` for
    /// `aws-global`).
    ///
    /// `auto`, the region Cloudflare R2 signs with, has no AWS endpoint: the
    /// presigner is made, so that [`with_endpoint`](Self::with_endpoint) can
    /// give the store's, and until then refuses every request with
    /// [`Error::RegionNeedsCustomEndpoint`].
    ///
    /// ```
    /// use awsig::s3::{Endpoint, S3Presigner, S3Request};
    /// use awsig::{Credentials, SigningTime};
    /// let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
    /// let time = SigningTime::parse("2024-05-24T00:00:00Z")?;
    /// let get = S3Request::get("bucket", "k");
    /// assert!(S3Presigner::new(creds.clone(), "auto")?.presign(&get, time).is_err());
    /// let r2 = S3Presigner::new(creds, "auto")?
    ///     .with_endpoint(Endpoint::parse("https://ACCOUNT.r2.cloudflarestorage.com")?);
    /// assert!(r2.presign(&get, time)?.as_str().contains("%2Fauto%2Fs3%2F"));
    /// # Ok::<(), awsig::Error>(())
    /// ```
    pub fn new(credentials: Credentials, region: &str) -> Result<S3Presigner, Error> {
        let resolved = match Resolved::of(region) {
            Ok(resolved) => Some(resolved),
            // Refusing here would also refuse `new(creds, "auto")?.with_endpoint(r2)`,
            // the one way R2's region is meant to be used.
            Err(Error::RegionNeedsCustomEndpoint { .. }) => None,
            Err(e) => return Err(e),
        };
        let signing_region = resolved.as_ref().map_or(region, |r| &r.signing_region);
        let given_region = (signing_region != region).then(|| region.to_string());
        let signer = Signer::new(credentials, signing_region, "s3")?;
        let (endpoint, zonal) = match resolved {
            Some(resolved) => {
                let zonal = resolved.zonal();
                (Some(resolved.endpoint), Some(zonal))
            }
            None => (None, None),
        };
        Ok(S3Presigner {
            signer,
            endpoint,
            style: AddressingStyle::Auto,
            given_region,
            zonal,
            dual_stack: DualStack::Off,
            express_session: None,
        })
    }

    /// Uses a custom endpoint (an S3-compatible store). The region is then
    /// signed as it was given, pseudo-regions included, as botocore signs
    /// `aws-global` for an `endpoint_url` (it refuses `fips-*` there).
    pub fn with_endpoint(mut self, endpoint: Endpoint) -> S3Presigner {
        self.endpoint = Some(endpoint);
        if let Some(region) = self.given_region.take() {
            let settings = self.signer.settings().clone();
            // `region` passed the scope-name check of `Resolved::of`,
            // which is all `Scope::new` asks of a region with service "s3",
            // so the signer is kept only in a branch that cannot run.
            if let Ok(signer) = Signer::new(self.signer.credentials().clone(), &region, "s3") {
                self.signer = signer.with_settings(settings);
            }
        }
        self.follow_session();
        self
    }

    /// Keeps a session's signer in step with the presigner's own: the same
    /// region (a custom endpoint signs `aws-global` as given) and settings,
    /// whichever order the builder was called in.
    fn follow_session(&mut self) {
        let Some(session) = &self.express_session else {
            return;
        };
        let mut settings = self.signer.settings().clone();
        settings.session_token = crate::settings::SessionTokenMode::S3ExpressSession;
        let region = self.signer.scope().region();
        // The region passed `Scope::new` for the presigner's own signer,
        // and `s3express` is a scope name: only a branch that cannot run
        // keeps the old signer.
        if let Ok(signer) = Signer::new(session.credentials().clone(), region, S3_EXPRESS) {
            self.express_session = Some(signer.with_settings(settings));
        }
    }

    /// Signs directory buckets' requests in S3 Express session mode with
    /// `session`, the credentials `CreateSession` gave (its `AccessKeyId`,
    /// `SecretAccessKey` and `SessionToken`, and its `Expiration`): the
    /// token goes in `X-Amz-S3session-Token`, and URLs last 300 s unless
    /// asked otherwise. Without it, directory buckets are signed in IAM
    /// mode with the presigner's own credentials. Session credentials
    /// without a token are refused ([`Error::S3ExpressSessionToken`]).
    pub fn with_s3express_session(mut self, session: Credentials) -> Result<S3Presigner, Error> {
        if session.session_token().is_none() {
            return Err(Error::S3ExpressSessionToken);
        }
        let region = self.signer.scope().region().to_string();
        self.express_session = Some(Signer::new(session, &region, S3_EXPRESS)?);
        self.follow_session();
        Ok(self)
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints on AWS:
    /// `s3.dualstack.REGION.…` and directory buckets'
    /// `…s3express-AZID.dualstack.REGION.…`. A custom endpoint is used as
    /// given.
    pub fn with_dual_stack(mut self) -> S3Presigner {
        self.dual_stack = DualStack::On;
        if let (Some(endpoint), Some(zonal)) = (self.endpoint.as_mut(), self.zonal.as_ref()) {
            if !endpoint.custom {
                endpoint.host = Cow::Owned(zonal.dual_stack_host(self.signer.scope().region()));
            }
        }
        self
    }

    /// How directory buckets are signed.
    pub fn s3express_auth(&self) -> ExpressAuth {
        match self.express_session {
            Some(_) => ExpressAuth::Session,
            None => ExpressAuth::Iam,
        }
    }

    /// Sets the addressing style (default [`AddressingStyle::Auto`]).
    pub fn with_addressing_style(mut self, style: AddressingStyle) -> S3Presigner {
        self.style = style;
        self
    }

    /// Replaces the signing settings (e.g. a longer expiry cap).
    pub fn with_settings(mut self, settings: Settings) -> S3Presigner {
        self.signer = self.signer.with_settings(settings);
        self.follow_session();
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
    /// `label` says whether the name is known to be one DNS label of 3 or
    /// more, which every check passes (the usual name, found out once).
    fn virtual_hosted(&self, endpoint: &Endpoint, bucket: &str, label: BucketLabel) -> bool {
        // A dotted bucket label is safe only without TLS: `a.b.host` is not
        // covered by a `*.host` certificate.
        let dots = match endpoint.scheme {
            Scheme::Http => Dots::Allowed,
            Scheme::Https => Dots::Refused,
        };
        let hostable =
            || label == BucketLabel::OneLabel || virtual_host_check(bucket, dots).is_ok();
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
        let label = BucketLabel::of(bucket);
        if label == BucketLabel::Unknown {
            validate_bucket(bucket)?;
        }
        if express::is_directory_bucket(bucket) {
            // botocore's two forms again: `https://zonal-host/`, and on an
            // IP endpoint `http://ip:port/bucket`.
            let target = self.express_target(bucket)?;
            let path = match target.path.as_str() {
                "/" => "/",
                path => path.trim_end_matches('/'),
            };
            return Ok(alloc::format!(
                "{}://{}{path}",
                target.scheme.as_str(),
                target.host
            ));
        }
        let virtual_hosted = self.virtual_hosted(endpoint, bucket, label);
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
        with: impl FnOnce(&Signer, &Request<'_>, u64) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if express::is_directory_bucket(req.bucket) {
            return self.with_express_request(req, with);
        }
        let endpoint = self.target()?;
        // One DNS label of 3 or more passes both bucket checks.
        let label = BucketLabel::of(req.bucket);
        if label == BucketLabel::Unknown {
            validate_bucket(req.bucket)?;
        }
        req.check_key()?;
        let virtual_hosted = self.virtual_hosted(endpoint, req.bucket, label);
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
            let mut path =
                ShortString::<PATH_ROOM>::for_len(endpoint.prefix.len() + bucket_len + 1);
            path.push_str(&endpoint.prefix);
            if !virtual_hosted {
                path.push('/');
                path.push_str(req.bucket);
            }
            path.push('/');
            built_path = path;
            built_path.as_str()
        };
        req.with_signed_params(|params| {
            let mut request = Request::new(req.method, &endpoint.host, path)
                .with_scheme(endpoint.scheme)
                .with_object_key(req.key)
                .with_params(params)
                .with_headers(req.headers);
            if virtual_hosted {
                request = request.with_host_label(req.bucket);
            }
            with(
                &self.signer,
                &request,
                req.expires_in.unwrap_or(DEFAULT_EXPIRES),
            )
        })
    }

    /// Where a directory bucket's requests go: its zonal endpoint, or a
    /// custom endpoint with the bucket in the host (in the path on an IP
    /// address), as the S3 endpoint rules build them.
    fn express_target(&self, bucket: &str) -> Result<ExpressTarget, Error> {
        let zone = express::directory_bucket_zone(bucket)?;
        let endpoint = self.target()?;
        let (host, path) = match (endpoint.custom, endpoint.ip) {
            (true, true) => (
                endpoint.host.to_string(),
                alloc::format!("/{bucket}{}/", endpoint.prefix),
            ),
            (true, false) => (
                alloc::format!("{bucket}.{}", endpoint.host),
                alloc::format!("{}/", endpoint.prefix),
            ),
            (false, _) => {
                let zonal =
                    self.zonal
                        .as_ref()
                        .ok_or_else(|| Error::RegionNeedsCustomEndpoint {
                            region: self.signer.scope().region().to_string(),
                        })?;
                let region = self.signer.scope().region();
                (
                    zonal.host(region, bucket, zone, self.dual_stack),
                    "/".to_string(),
                )
            }
        };
        Ok(ExpressTarget {
            scheme: endpoint.scheme,
            host,
            path,
        })
    }

    /// [`S3Presigner::with_request`] for a directory bucket: its target,
    /// signed in session mode (URLs 300 s by default) or IAM mode under
    /// `s3express`.
    fn with_express_request<T>(
        &self,
        req: &S3Request<'_>,
        with: impl FnOnce(&Signer, &Request<'_>, u64) -> Result<T, Error>,
    ) -> Result<T, Error> {
        req.check_key()?;
        let target = self.express_target(req.bucket)?;
        let signer = self.signer_for(req.bucket)?;
        let default_expires = match self.s3express_auth() {
            ExpressAuth::Session => express::SESSION_EXPIRES,
            ExpressAuth::Iam => DEFAULT_EXPIRES,
        };
        req.with_signed_params(|params| {
            let request = Request::new(req.method, &target.host, &target.path)
                .with_scheme(target.scheme)
                .with_object_key(req.key)
                .with_params(params)
                .with_headers(req.headers);
            with(&signer, &request, req.expires_in.unwrap_or(default_expires))
        })
    }

    /// The signer of `bucket`'s requests: the presigner's own, or for a
    /// directory bucket the session's, or in IAM mode one under `s3express`
    /// with the presigner's credentials (made for the call: keep a
    /// presigner per session to sign many).
    pub(crate) fn signer_for(&self, bucket: &str) -> Result<Cow<'_, Signer>, Error> {
        if !express::is_directory_bucket(bucket) {
            return Ok(Cow::Borrowed(&self.signer));
        }
        match &self.express_session {
            Some(session) => Ok(Cow::Borrowed(session)),
            None => {
                let (creds, region) = (self.signer.credentials(), self.signer.scope().region());
                let iam = Signer::new(creds.clone(), region, S3_EXPRESS)?;
                Ok(Cow::Owned(
                    iam.with_settings(self.signer.settings().clone()),
                ))
            }
        }
    }

    /// Presigns `req` at `time`.
    pub fn presign<'r>(
        &self,
        req: &S3Request<'r>,
        time: SigningTime,
    ) -> Result<PresignedUrl<'r>, Error> {
        self.with_request(req, |signer, request, expires_in| {
            // The endpoint's host and the bucket label were checked when
            // they were made and addressed.
            let checked = crate::request::HostCheck::Checked;
            let url = signer.presign_with(request, time, Some(expires_in), checked)?;
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
        self.with_request(req, |signer, request, expires_in| {
            signer.canonical_request(request, time, crate::SigningMode::Query { expires_in })
        })
    }
}
