//! S3 Express One Zone: directory buckets (`NAME--AZID--x-s3`), their zonal
//! endpoints as the S3 endpoint rules build them, and the two ways their
//! requests are signed.
//!
//! A directory bucket lives in one availability zone, named in its bucket
//! name, and is served from that zone's endpoint:
//! `NAME--AZID--x-s3.s3express[-fips]-AZID[.dualstack].REGION.DNS-SUFFIX`,
//! always virtual-hosted (a custom endpoint that is an IP address takes the
//! bucket in the path, the one path-style form). Requests are signed with
//! the signing name `s3express`, in one of two modes ([`ExpressAuth`]):
//!
//! * **session** (what the SDKs do by default): the credentials
//!   `CreateSession` hands out for the bucket, their token in
//!   `X-Amz-S3session-Token` (a URL) or `x-amz-s3session-token` (headers),
//!   never `X-Amz-Security-Token`; presigned URLs last 300 s unless asked
//!   otherwise (botocore's `S3ExpressQueryAuth` default, and a session's
//!   own life; botocore's `generate_presigned_url` passes its 3600);
//! * **IAM** (the SDKs' `DisableS3ExpressSessionAuth`): the usual
//!   credentials, plain SigV4 under `s3express`.
//!
//! ```
//! use awsig::s3::{S3Presigner, S3Request};
//! use awsig::{Credentials, SigningTime};
//!
//! let time = SigningTime::parse("2013-05-24T00:00:00Z")?;
//! // What `aws s3api create-session --bucket mybucket--use1-az4--x-s3` printed.
//! let session = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?
//!     .with_session_token("EXAMPLESESSIONTOKEN")?;
//! let s3 = S3Presigner::new(session.clone(), "us-east-1")?.with_s3express_session(session)?;
//! let url = s3.presign(&S3Request::get("mybucket--use1-az4--x-s3", "obj.txt"), time)?;
//! assert_eq!(url.as_str(), "https://mybucket--use1-az4--x-s3.s3express-use1-az4.us-east-1.amazonaws.com/obj.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3express%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=300&X-Amz-S3session-Token=EXAMPLESESSIONTOKEN&X-Amz-SignedHeaders=host&X-Amz-Signature=52b64d4fafa7ea863cc1e165f0bf83941a01ceaf407b60bbad65ccc101e818b5");
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! Header signing goes through [`Signer`](crate::Signer) with the signing name `s3express` and,
//! in session mode, [`SessionTokenMode::S3ExpressSession`](crate::SessionTokenMode::S3ExpressSession)
//! (botocore's `S3ExpressAuth` gives the same signature for the same request):
//!
//! ```
//! use awsig::{Credentials, Payload, Request, SessionTokenMode, Settings, Signer, SigningTime};
//!
//! let session = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?
//!     .with_session_token("EXAMPLESESSIONTOKEN")?;
//! let mut settings = Settings::for_service("s3express");
//! settings.session_token = SessionTokenMode::S3ExpressSession;
//! let signer = Signer::new(session, "us-east-1", "s3express")?.with_settings(settings);
//! let get = Request::new("GET", "mybucket--use1-az4--x-s3.s3express-use1-az4.us-east-1.amazonaws.com", "/obj.txt")
//!     .with_payload(Payload::Empty);
//! let signed = signer.authorize(&get, SigningTime::parse("2013-05-24T00:00:00Z")?)?;
//! assert!(signed.headers().any(|h| h == ("x-amz-s3session-token", "EXAMPLESESSIONTOKEN")));
//! assert_eq!(signed.signature(), "8facb56d8573ce9146a499fa2d02b368c72b3d02fce0cbf9b9c41a3c4816d814");
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! The command-line tool presigns for a directory bucket in IAM mode with the usual credentials,
//! and in session mode with what `aws s3api create-session` printed:
//!
//! ```sh
//! awsig presign s3://mybucket--use1-az4--x-s3/obj.txt --region us-east-1            # IAM mode
//! aws s3api create-session --bucket mybucket--use1-az4--x-s3 > session.json
//! awsig presign s3://mybucket--use1-az4--x-s3/obj.txt --region us-east-1 --s3express-session session.json
//! aws s3api create-session --bucket mybucket--use1-az4--x-s3 |
//!     awsig presign s3://mybucket--use1-az4--x-s3/obj.txt --s3express-session -      # from a pipe
//! ```
//!
//! Where the endpoint rules would build a host that does not exist, this
//! crate does not follow them: `aws-global` signs and addresses as
//! `us-east-1` (the rules give `…s3express-AZID.aws-global.amazonaws.com`),
//! and dual-stack and FIPS do not apply to a custom endpoint (the rules
//! refuse them together; botocore drops them, as here).
//!
//! The signature is botocore's (`S3ExpressQueryAuth`, the same inputs);
//! the parameters are in canonical order, where botocore puts the token
//! after `X-Amz-SignedHeaders` (the order of a URL's parameters is no part
//! of what is signed). `test-vectors/botocore/s3express.json` holds 200
//! botocore-generated cases of every form and mode, and smithy-rs's
//! `presigning` test, all checked by the vector suites.

use crate::error::Error;
use crate::request::Scheme;
use alloc::string::{String, ToString};

/// How requests to directory buckets are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExpressAuth {
    /// With the credentials `CreateSession` gave for the bucket, their
    /// token as S3 Express's own session token.
    Session,
    /// With the usual credentials, plain SigV4 under `s3express`, as the
    /// SDKs do with `DisableS3ExpressSessionAuth` (and always for
    /// `CreateSession` and `CopyObject`).
    #[default]
    Iam,
}

/// Whether dual-stack (IPv4 and IPv6) endpoints are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DualStack {
    /// IPv4 endpoints (the default).
    #[default]
    Off,
    /// `…dualstack…` endpoints, as the SDKs' `use_dualstack_endpoint`.
    On,
}

/// Whether FIPS endpoints are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fips {
    Off,
    On,
}

/// The suffix of a directory bucket's name.
const DIRECTORY: &str = "--x-s3";
/// The suffix of an access point of a directory bucket.
const ACCESS_POINT: &str = "--xa-s3";

/// Whether `bucket` names a directory bucket (or an access point of one):
/// it ends with `--x-s3` (`--xa-s3`), as botocore's `is_s3express_bucket`.
pub fn is_directory_bucket(bucket: &str) -> bool {
    bucket.ends_with(DIRECTORY) || bucket.ends_with(ACCESS_POINT)
}

/// The availability zone id a directory bucket's name holds (`use1-az4` in
/// `mybucket--use1-az4--x-s3`), read as the S3 endpoint rules read it: the
/// name must be a virtual-hostable label (3 to 63 of `a-z 0-9 -`, no `-` at
/// either end, not IP-shaped), and the zone id is the first of 8, 9, 13,
/// 14 or 20 characters before the suffix that a `--` precedes.
///
/// ```
/// use awsig::s3::directory_bucket_zone;
/// assert_eq!(directory_bucket_zone("mybucket--use1-az4--x-s3")?, "use1-az4");
/// assert_eq!(directory_bucket_zone("b--usw2-lax1-az1--x-s3")?, "usw2-lax1-az1");
/// assert!(directory_bucket_zone("mybucket--use1-az1234--x-s3").is_err()); // 11 characters
/// assert!(directory_bucket_zone("My--use1-az4--x-s3").is_err());
/// # Ok::<(), awsig::Error>(())
/// ```
pub fn directory_bucket_zone(bucket: &str) -> Result<&str, Error> {
    let invalid = |reason| Error::InvalidBucket {
        bucket: bucket.to_string(),
        reason,
    };
    let suffix = match (bucket.ends_with(DIRECTORY), bucket.ends_with(ACCESS_POINT)) {
        (true, _) => DIRECTORY.len(),
        (_, true) => ACCESS_POINT.len(),
        _ => {
            return Err(invalid(
                "is not a directory bucket (its name ends with --x-s3)",
            ))
        }
    };
    let label = (3..=63).contains(&bucket.len())
        && !bucket.starts_with('-')
        && !bucket.ends_with('-')
        && (bucket.bytes()).all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !super::bucket::ipv4_shaped(bucket);
    if !label {
        return Err(invalid(
            "is not a valid virtual hostable name, as S3 Express requires: 3 to 63 of a-z, 0-9 \
             and -, with no - at either end",
        ));
    }
    let bytes = bucket.as_bytes();
    let end = bucket.len() - suffix;
    for zone_len in [8, 9, 13, 14, 20] {
        let Some(start) = end.checked_sub(zone_len) else {
            continue;
        };
        if start >= 2 && &bytes[start - 2..start] == b"--" {
            return Ok(&bucket[start..end]);
        }
    }
    Err(invalid(
        "is a directory bucket name without an availability zone id S3 Express recognizes \
         (NAME--AZID--x-s3, the zone id 8, 9, 13, 14 or 20 characters)",
    ))
}

/// Where a directory bucket's requests go, from the region's partition.
/// The region in the host is the signer's: AWS's endpoints sign for the
/// region they serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Zonal {
    /// The partition's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`).
    pub(crate) dns_suffix: &'static str,
    pub(crate) fips: Fips,
}

impl Zonal {
    /// The general S3 endpoint's dual-stack host: `s3[-fips].dualstack.REGION.SUFFIX`.
    pub(crate) fn dual_stack_host(&self, region: &str) -> String {
        let fips = match self.fips {
            Fips::On => "-fips",
            Fips::Off => "",
        };
        alloc::format!("s3{fips}.dualstack.{region}.{}", self.dns_suffix)
    }

    /// The zonal host of `bucket`, whose zone id is `zone`, in `region`.
    pub(crate) fn host(
        &self,
        region: &str,
        bucket: &str,
        zone: &str,
        dual_stack: DualStack,
    ) -> String {
        let fips = match self.fips {
            Fips::On => "-fips",
            Fips::Off => "",
        };
        let dual = match dual_stack {
            DualStack::On => ".dualstack",
            DualStack::Off => "",
        };
        alloc::format!(
            "{bucket}.s3express{fips}-{zone}{dual}.{region}.{}",
            self.dns_suffix
        )
    }
}

/// Where a directory bucket's request goes: the host, and the path before
/// the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExpressTarget {
    pub(crate) scheme: Scheme,
    pub(crate) host: String,
    /// `/` on a zonal endpoint; a custom endpoint's prefix and `/`; or on
    /// an IP endpoint `/bucket`, its prefix and `/`.
    pub(crate) path: String,
}

/// How long a presigned URL lasts in session mode unless asked otherwise:
/// 300 s, `S3ExpressQueryAuth`'s default in botocore and a session's own
/// life (botocore's `generate_presigned_url` passes its own 3600 instead).
pub const SESSION_EXPIRES: u64 = 300;
