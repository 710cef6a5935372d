//! [`S3Presigner`]: where a bucket's requests go (endpoint and addressing
//! style) and the presigned URLs and canonical requests signed for them.

use super::bucket::{self, validate_bucket, virtual_host_check, Dots};
use super::endpoint::{AwsEndpoint, Endpoint};
use super::request::S3Request;
use super::short_string::{ShortString, PATH_ROOM};
use super::AddressingStyle;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::request::{Request, Scheme};
use crate::scope::SigningTime;
use crate::settings::Settings;
use crate::sign::{PresignedUrl, Signer};
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
    /// see [`AwsEndpoint::resolve`]. The credential scope names the region
    /// that signs there (`us-east-1` for `aws-global`).
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
        if bucket::is_directory_bucket(bucket) {
            return Err(Error::DirectoryBucketUnsupported {
                bucket: bucket.to_string(),
            });
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
        with: impl FnOnce(&Request<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let endpoint = self.target()?;
        // One DNS label of 3 or more passes both bucket checks.
        let label = BucketLabel::of(req.bucket);
        if label == BucketLabel::Unknown {
            validate_bucket(req.bucket)?;
        }
        if bucket::is_directory_bucket(req.bucket) {
            return Err(Error::DirectoryBucketUnsupported {
                bucket: req.bucket.to_string(),
            });
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
            with(&request)
        })
    }

    /// Presigns `req` at `time`.
    pub fn presign<'r>(
        &self,
        req: &S3Request<'r>,
        time: SigningTime,
    ) -> Result<PresignedUrl<'r>, Error> {
        self.with_request(req, |request| {
            // The endpoint's host and the bucket label were checked when
            // they were made and addressed.
            let checked = crate::request::HostCheck::Checked;
            let url = (self.signer).presign_with(request, time, Some(req.expires_in), checked)?;
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
