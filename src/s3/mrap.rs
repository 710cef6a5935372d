//! S3 Multi-Region Access Points (feature `sigv4a`): presigned URLs for an
//! access point ARN, signed with SigV4a for every region, as botocore with
//! the CRT builds them.

use super::{partitions, S3Request};
use crate::credentials::Credentials;
use crate::error::Error;
use crate::request::Request;
use crate::sign::{PresignedUrl, Signer};
use crate::sigv4a::RegionSet;
use crate::SigningTime;
use alloc::string::{String, ToString};

/// Presigns S3 object requests through one Multi-Region Access Point:
/// host `ALIAS.accesspoint.s3-global.amazonaws.com` (the partition's DNS
/// suffix), scope service `s3`, region set `*`.
///
/// ```
/// use awsig::s3::{MultiRegionAccessPoint, S3Request};
/// use awsig::{Credentials, SigningTime};
/// let arn = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap";
/// let mrap = MultiRegionAccessPoint::new(Credentials::new("AKIDEXAMPLE", "secret")?, arn)?;
/// let url = mrap.presign(&S3Request::get(arn, "photos/cat.jpg"), SigningTime::from_unix_seconds(0)?)?;
/// assert!(url.as_str().starts_with(
///     "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/photos/cat.jpg?\
///      X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F19700101%2Fs3%2Faws4_request&"));
/// assert!(url.as_str().contains("&X-Amz-Region-Set=%2A&"));
/// # Ok::<(), awsig::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct MultiRegionAccessPoint {
    signer: Signer,
    arn: String,
    host: String,
}

/// The parts of `arn:PARTITION:s3::ACCOUNT:accesspoint/ALIAS` a URL needs:
/// the host, built from the alias and the partition's DNS suffix.
fn host_of(arn: &str) -> Result<String, Error> {
    let invalid = |reason| Error::InvalidAccessPointArn {
        arn: arn.to_string(),
        reason,
    };
    let mut fields = arn.splitn(6, ':');
    let mut next = || fields.next().unwrap_or_default();
    let (scheme, partition, service, region, account, resource) =
        (next(), next(), next(), next(), next(), next());
    if scheme != "arn" || service != "s3" {
        return Err(invalid(
            "not an S3 ARN (arn:PARTITION:s3::ACCOUNT:accesspoint/NAME)",
        ));
    }
    if !region.is_empty() {
        return Err(invalid("a multi-region access point ARN has no region"));
    }
    let partition = (partitions::PARTITIONS.iter())
        .find(|p| p.id == partition)
        .ok_or_else(|| invalid("the partition is not one AWS has"))?;
    let label = |text: &str| {
        !text.is_empty()
            && text.len() <= 63
            && !text.starts_with('-')
            && !text.ends_with('-')
            && (text.bytes()).all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !label(account) {
        return Err(invalid("the account id is not a host label"));
    }
    let alias = (resource.strip_prefix("accesspoint/"))
        .or_else(|| resource.strip_prefix("accesspoint:"))
        .ok_or_else(|| invalid("the resource is not accesspoint/NAME"))?;
    if !alias.split('.').all(label) {
        return Err(invalid("the access point's name is not a host name"));
    }
    Ok(alloc::format!(
        "{alias}.accesspoint.s3-global.{}",
        partition.dns_suffix
    ))
}

impl MultiRegionAccessPoint {
    /// A presigner for the access point `arn`
    /// (`arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap`), signing
    /// with `credentials` for every region (`X-Amz-Region-Set: *`), as
    /// botocore does. The SigV4a key is derived here, once.
    pub fn new(credentials: Credentials, arn: &str) -> Result<MultiRegionAccessPoint, Error> {
        let host = host_of(arn)?;
        let every_region = RegionSet::parse("*")?;
        Ok(MultiRegionAccessPoint {
            signer: Signer::new_sigv4a(credentials, &every_region, "s3")?,
            arn: arn.to_string(),
            host,
        })
    }

    /// Signs for `region_set` instead of every region.
    pub fn with_region_set(mut self, region_set: &RegionSet) -> Result<Self, Error> {
        let settings = self.signer.settings().clone();
        self.signer = Signer::new_sigv4a(self.signer.credentials().clone(), region_set, "s3")?
            .with_settings(settings);
        Ok(self)
    }

    /// The host its URLs go to.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The SigV4a signer.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// Presigns `req`, whose bucket is the access point's ARN (as botocore
    /// takes it), at `time`.
    pub fn presign<'r>(
        &self,
        req: &S3Request<'r>,
        time: SigningTime,
    ) -> Result<PresignedUrl<'r>, Error> {
        if req.bucket != self.arn {
            return Err(Error::InvalidAccessPointArn {
                arn: req.bucket.to_string(),
                reason: "the request's bucket is not this access point's ARN",
            });
        }
        req.check_key()?;
        let url = req.with_signed_params(|params| {
            let request = Request::new(req.method, &self.host, "/")
                .with_object_key(req.key)
                .with_params(params)
                .with_headers(req.headers);
            let url = self.signer.presign(&request, time, req.expiry())?;
            // The headers to send are the caller's, which outlive the request.
            Ok(url.rebind_headers(req.headers))
        })?;
        Ok(url)
    }
}
