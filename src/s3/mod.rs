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

mod bucket;
mod endpoint;
#[cfg(feature = "sigv4a")]
mod mrap;
mod partitions;
mod presigner;
mod request;
mod short_string;

pub use bucket::{validate_bucket, virtual_host_check, Dots, MAX_BUCKET_LEN};
pub use endpoint::{AwsEndpoint, Endpoint};
#[cfg(feature = "sigv4a")]
pub use mrap::MultiRegionAccessPoint;
pub use presigner::S3Presigner;
pub use request::{S3Request, DEFAULT_EXPIRES, MAX_KEY_LEN};

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

#[cfg(test)]
mod tests;
