//! One error type for every way an input can be wrong.
//!
//! Each variant names the input and what is wrong with it. No variant carries a
//! secret: header and query *values* are never echoed (they may hold keys or
//! tokens), only their names and the position of the offending byte.

use alloc::string::String;
use core::fmt;

/// Which part of a request an encoding error was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    /// The URI path.
    Path,
    /// A query parameter name.
    QueryName,
    /// A query parameter value.
    QueryValue,
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Component::Path => "path",
            Component::QueryName => "query parameter name",
            Component::QueryValue => "query parameter value",
        })
    }
}

/// Everything that can go wrong while signing or verifying.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The access key id is empty.
    EmptyAccessKeyId,
    /// The access key id holds a byte that would corrupt the credential scope.
    InvalidAccessKeyId {
        /// Byte offset of the first bad byte.
        position: usize,
    },
    /// The secret access key is empty.
    EmptySecretKey,
    /// The session token is empty or holds a control character.
    InvalidSessionToken,
    /// The region is empty or holds a byte outside `[a-z0-9-]`.
    InvalidRegion {
        /// The region as given.
        region: String,
    },
    /// The service is empty or holds a byte outside `[a-z0-9-]`.
    InvalidService {
        /// The service as given.
        service: String,
    },
    /// The HTTP method is empty or not an HTTP token.
    InvalidMethod {
        /// The method as given.
        method: String,
    },
    /// The HTTP method holds lower-case letters (`put`): methods are
    /// case-sensitive and AWS signs them upper-case.
    MethodNotUpperCase {
        /// The method as given.
        method: String,
    },
    /// The signing time plus the expiry is past the year 9999, which
    /// `X-Amz-Date` cannot hold.
    ExpiresOutOfRange {
        /// The expiry asked for, in seconds.
        expires_in: u64,
    },
    /// A bug in this crate, not in the input: an invariant the code relies
    /// on did not hold. Please report it.
    Internal {
        /// The invariant that failed.
        invariant: &'static str,
    },
    /// The host is empty.
    MissingHost,
    /// The host holds a byte that cannot appear in a URL authority.
    InvalidHost {
        /// The host as given.
        host: String,
    },
    /// The URL scheme is neither `http` nor `https`.
    InvalidScheme {
        /// The scheme as given.
        scheme: String,
    },
    /// A header name is empty or not an HTTP token.
    InvalidHeaderName {
        /// The name as given.
        name: String,
    },
    /// A header value holds CR, LF, NUL or another control character.
    InvalidHeaderValue {
        /// The header's name (its value is not repeated: it may be secret).
        name: String,
        /// Byte offset of the first bad byte in the value.
        position: usize,
    },
    /// A header that the signer writes itself was given by the caller.
    ReservedHeader {
        /// The header's name.
        name: String,
    },
    /// A query parameter that the signer writes itself was given by the caller.
    ReservedQueryParameter {
        /// The parameter's name.
        name: String,
    },
    /// A `%` not followed by two hex digits.
    MalformedPercentEscape {
        /// Where it was found.
        component: Component,
        /// Byte offset of the `%` within that component.
        position: usize,
    },
    /// The path does not start with `/`, or holds a byte that cannot be sent.
    InvalidPath {
        /// What is wrong.
        reason: &'static str,
    },
    /// A precomputed payload hash is not 64 lower-case hex digits.
    InvalidPayloadHash,
    /// The expiry is zero.
    ExpiresZero,
    /// A URL presigned without `X-Amz-Expires` for a service that requires
    /// it (S3 always does).
    ExpiryRequired {
        /// The service.
        service: String,
    },
    /// The expiry is over the cap (604 800 s, 7 days, unless raised).
    ExpiresTooLong {
        /// The expiry asked for, in seconds.
        expires_in: u64,
        /// The cap in force, in seconds.
        max: u64,
    },
    /// The URL would outlive the temporary credentials that sign it.
    ExpiresAfterCredentials {
        /// When the URL would expire, Unix seconds.
        url_expires_at: i64,
        /// When the credentials expire, Unix seconds.
        credentials_expire_at: i64,
    },
    /// The credentials had already expired at the signing time.
    CredentialsExpired {
        /// When the credentials expired, Unix seconds.
        credentials_expired_at: i64,
    },
    /// A time outside the years 0000 to 9999, which the AWS formats cannot hold.
    TimeOutOfRange {
        /// The time, Unix seconds.
        unix_seconds: i64,
    },
    /// A time string in neither `2013-05-24T00:00:00Z` nor `20130524T000000Z` form.
    InvalidTime {
        /// The text as given.
        input: String,
    },
    /// A bucket name S3 would refuse.
    InvalidBucket {
        /// The bucket as given.
        bucket: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// An S3 object key that is empty.
    EmptyKey,
    /// A field of a presigned POST form that cannot be sent as given: its
    /// name, and why (reserved for the signer, repeated, or not a form
    /// field name, or its value fails the policy's own conditions).
    InvalidPostField {
        /// The field name as given.
        name: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A condition of a POST policy that S3 would not accept or that could
    /// never be met.
    InvalidPostCondition {
        /// The field the condition is on (`content-length-range` for a range).
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// An S3 object key longer than S3 accepts.
    KeyTooLong {
        /// The key's length in bytes.
        len: usize,
        /// The longest S3 accepts.
        max: usize,
    },
    /// A URL that cannot be taken apart.
    InvalidUrl {
        /// What is wrong.
        reason: &'static str,
    },
    /// A URL's port is not a number from 1 to 65535, or cannot be signed as
    /// written.
    InvalidPort {
        /// The port as given.
        port: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A FIPS pseudo-region (`fips-*`, `*-fips`) in a partition whose S3 has
    /// no FIPS endpoints.
    FipsUnsupported {
        /// The region as given.
        region: String,
        /// The partition it belongs to.
        partition: &'static str,
    },
    /// A region that cannot be a label of an AWS host name (over 63
    /// characters, or starting or ending with `-`).
    RegionNotHostLabel {
        /// The region as given.
        region: String,
    },
    /// A region that S3-compatible stores sign with but AWS has no endpoint
    /// for (Cloudflare R2's `auto`), used without a custom endpoint: AWS's
    /// naming would send the request to a host that does not exist
    /// (`s3.auto.amazonaws.com`).
    RegionNeedsCustomEndpoint {
        /// The region as given.
        region: String,
    },
    /// A SigV4a region set (`X-Amz-Region-Set`) that cannot be signed: an
    /// empty entry, or an entry holding a byte outside `[a-z0-9-]` but for
    /// one `*` at its end.
    InvalidRegionSet {
        /// The region set as given.
        region_set: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A SigV4a public key given as coordinates that are not 64 hex digits
    /// each, or not a point on P-256.
    InvalidPublicKey,
    /// SigV4a key derivation found no P-256 private key within its 254
    /// counter values (a chance of about 2^-8128: in practice, never).
    KeyDerivationExhausted,
    /// A signing form that SigV4a signers do not offer here.
    SigV4aUnsupported {
        /// The form (`aws-chunked uploads`).
        form: &'static str,
    },
    /// S3 Express session mode was asked for with credentials that have no
    /// session token: `CreateSession` always gives one.
    S3ExpressSessionToken,
    /// An event-stream payload too long for a signed message of at most
    /// 16 MiB.
    EventPayloadTooLong {
        /// The payload's length.
        len: usize,
    },
    /// An S3 Multi-Region Access Point ARN that cannot be presigned for.
    InvalidAccessPointArn {
        /// The ARN as given.
        arn: String,
        /// What is wrong.
        reason: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::EmptyAccessKeyId => f.write_str("access key id is empty"),
            Error::InvalidAccessKeyId { position } => write!(
                f,
                "access key id holds '/', ',', ';', '=', '%', whitespace, a control or a non-ASCII byte at offset {position}"
            ),
            Error::EmptySecretKey => f.write_str("secret access key is empty"),
            Error::InvalidSessionToken => {
                f.write_str("session token is empty or holds a control character")
            }
            Error::InvalidRegion { region } => write!(
                f,
                "region {region:?} must be non-empty and hold only a-z, 0-9 and '-'"
            ),
            Error::InvalidService { service } => write!(
                f,
                "service {service:?} must be non-empty and hold only a-z, 0-9 and '-'"
            ),
            Error::InvalidMethod { method } => {
                write!(f, "HTTP method {method:?} is empty or not an HTTP token")
            }
            Error::MethodNotUpperCase { method } => write!(
                f,
                "HTTP method {method:?} must be upper-case ({:?}): methods are case-sensitive and AWS signs them upper-case",
                method.to_ascii_uppercase()
            ),
            Error::ExpiresOutOfRange { expires_in } => write!(
                f,
                "expiry of {expires_in} s runs past the year 9999 from the signing time"
            ),
            Error::Internal { invariant } => write!(
                f,
                "internal error in awsig (a bug, not bad input): {invariant}"
            ),
            Error::MissingHost => f.write_str("host is empty"),
            Error::InvalidHost { host } => {
                write!(f, "host {host:?} holds a byte not allowed in a URL authority")
            }
            Error::InvalidScheme { scheme } => {
                write!(f, "scheme {scheme:?} is neither \"http\" nor \"https\"")
            }
            Error::InvalidHeaderName { name } => {
                write!(f, "header name {name:?} is empty or not an HTTP token")
            }
            Error::InvalidHeaderValue { name, position } => write!(
                f,
                "value of header {name:?} holds CR, LF, NUL or another control byte at offset {position}"
            ),
            Error::ReservedHeader { name } => write!(
                f,
                "header {name:?} is written by the signer: {}",
                reserved_header_owner(name)
            ),
            Error::ReservedQueryParameter { name } => {
                write!(f, "query parameter {name:?} is written by the signer")
            }
            Error::MalformedPercentEscape {
                component,
                position,
            } => write!(
                f,
                "{component} has a '%' at offset {position} not followed by two hex digits"
            ),
            Error::InvalidPath { reason } => write!(f, "path {reason}"),
            Error::InvalidPayloadHash => {
                f.write_str("payload hash must be 64 lower-case hex digits")
            }
            Error::ExpiresZero => f.write_str("expiry must be at least 1 second"),
            Error::ExpiryRequired { service } => write!(
                f,
                "{service} requires X-Amz-Expires in a presigned URL; only services that bound a signature's life themselves (iotdevicegateway) take a URL without one"
            ),
            Error::ExpiresTooLong { expires_in, max } => write!(
                f,
                "expiry of {expires_in} s is over the cap of {max} s (AWS allows 7 days; raise the cap only for stores that allow more)"
            ),
            Error::ExpiresAfterCredentials {
                url_expires_at,
                credentials_expire_at,
            } => write!(
                f,
                "URL would expire at {url_expires_at} (Unix s), after its temporary credentials expire at {credentials_expire_at}: it would stop working early (allow it explicitly to sign anyway)"
            ),
            Error::CredentialsExpired {
                credentials_expired_at,
            } => write!(
                f,
                "credentials expired at {credentials_expired_at} (Unix s), before the signing time"
            ),
            Error::TimeOutOfRange { unix_seconds } => write!(
                f,
                "time {unix_seconds} (Unix s) is outside the years 0000 to 9999"
            ),
            Error::InvalidTime { input } => write!(
                f,
                "time {input:?} is not in the form 2013-05-24T00:00:00Z or 20130524T000000Z"
            ),
            Error::InvalidBucket { bucket, reason } => {
                write!(f, "bucket name {bucket:?} {reason}")
            }
            Error::EmptyKey => f.write_str("object key is empty"),
            Error::InvalidPostField { name, reason } => {
                write!(f, "POST form field {name:?} {reason}")
            }
            Error::InvalidPostCondition { field, reason } => {
                write!(f, "POST policy condition on {field:?} {reason}")
            }
            Error::KeyTooLong { len, max } => {
                write!(f, "object key is {len} bytes long; S3 accepts at most {max}")
            }
            Error::InvalidUrl { reason } => write!(f, "URL {reason}"),
            Error::InvalidPort { port, reason } => write!(f, "port {port:?} {reason}"),
            Error::FipsUnsupported { region, partition } => write!(
                f,
                "region {region:?} asks for FIPS, which S3 does not offer in partition {partition}"
            ),
            Error::RegionNotHostLabel { region } => write!(
                f,
                "region {region:?} cannot be part of an S3 host name: at most 63 characters, not starting or ending with '-'"
            ),
            Error::RegionNeedsCustomEndpoint { region } => write!(
                f,
                "region {region:?} names no AWS region (it is what stores such as Cloudflare R2 sign with): give the store's endpoint as a custom endpoint"
            ),
            Error::InvalidRegionSet { region_set, reason } => {
                write!(f, "region set {region_set:?}: {reason}")
            }
            Error::InvalidPublicKey => f.write_str(
                "public key coordinates must be 64 hex digits each, of a point on P-256",
            ),
            Error::KeyDerivationExhausted => f.write_str(
                "SigV4a key derivation found no P-256 key in 254 counter values",
            ),
            Error::SigV4aUnsupported { form } => {
                write!(f, "SigV4a signing does not offer {form}")
            }
            Error::S3ExpressSessionToken => f.write_str(
                "S3 Express session credentials need their SessionToken, as CreateSession gives it",
            ),
            Error::EventPayloadTooLong { len } => write!(
                f,
                "a signed event-stream message is at most 16 MiB in all, so its payload at most \
                 16,777,133 bytes, not {len}"
            ),
            Error::InvalidAccessPointArn { arn, reason } => {
                write!(f, "multi-region access point ARN {arn:?}: {reason}")
            }
        }
    }
}

/// Where the value of a header the signer writes comes from, for the error
/// that refuses it from the caller.
fn reserved_header_owner(name: &str) -> &'static str {
    let owners = [
        (
            "host",
            "set the host on the request (or the endpoint), not as a header",
        ),
        (
            "x-amz-date",
            "it is the signing time, given to the signing call",
        ),
        (
            "x-amz-security-token",
            "it is the credentials' session token",
        ),
        (
            "x-amz-s3session-token",
            "it is the credentials' session token, as S3 Express's session mode sends it",
        ),
        (
            "x-amz-content-sha256",
            "it is the payload's hash: set the payload on the request",
        ),
        ("authorization", "it carries the signature itself"),
    ];
    owners
        .iter()
        .find(|(header, _)| header.eq_ignore_ascii_case(name))
        .map_or("do not set it yourself", |(_, owner)| *owner)
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
