//! Why a request failed verification: one variant per check.

use crate::error::Error;
use crate::scope::SigningTime;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why a request failed verification. Each check has its own variant.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The request itself cannot be taken apart (bad URL, bad header, ...).
    Malformed(Error),
    /// A required authentication parameter or header is absent.
    Missing(&'static str),
    /// An authentication parameter appears more than once.
    Duplicate(&'static str),
    /// `X-Amz-Algorithm` is not `AWS4-HMAC-SHA256` (nor, with the `sigv4a`
    /// feature, `AWS4-ECDSA-P256-SHA256`).
    UnsupportedAlgorithm,
    /// `X-Amz-Credential` is not `KEY/YYYYMMDD/region/service/aws4_request`
    /// (SigV4a: `KEY/YYYYMMDD/service/aws4_request`).
    MalformedCredential,
    /// `X-Amz-Date` is not `YYYYMMDDTHHMMSSZ`.
    MalformedDate,
    /// The credential's date is not the date of `X-Amz-Date`.
    CredentialDateMismatch,
    /// The region and service are not among the accepted ones (SigV4a: no
    /// accepted region is in the region set, which `region` then holds).
    ScopeNotAccepted {
        /// The region the request was signed for.
        region: String,
        /// The service the request was signed for.
        service: String,
    },
    /// The service is accepted, but not for this form of signature: a POST
    /// policy or an aws-chunked upload signed for another service than S3.
    ServiceNotForForm {
        /// The form: "a POST policy", "an aws-chunked upload".
        form: &'static str,
        /// The service the signature is scoped to.
        service: String,
    },
    /// S3 Express One Zone's session token (`X-Amz-S3session-Token`,
    /// `x-amz-s3session-token`) on a signature scoped to another service:
    /// only `s3express` signatures carry it.
    SessionTokenNotForService {
        /// The name it arrived under.
        name: &'static str,
        /// The service the signature is scoped to.
        service: String,
    },
    /// A session token in two places or under two names (the query and a
    /// header; `X-Amz-Security-Token` and S3 Express's
    /// `X-Amz-S3session-Token`; a name in another case): a server layer
    /// could act on the one the signature did not cover.
    SessionTokenAmbiguous,
    /// `X-Amz-Expires` is not a whole number from 1 to the cap.
    InvalidExpires,
    /// The URL expired.
    Expired {
        /// When it expired.
        expired_at: SigningTime,
    },
    /// The request is dated further in the future than the allowed skew.
    NotYetValid {
        /// When it was signed.
        signed_at: SigningTime,
    },
    /// A POST policy was signed longer ago than a signing key lasts (7 days
    /// unless the verifier's cap says otherwise).
    SignedTooLongAgo {
        /// When it was signed.
        signed_at: SigningTime,
    },
    /// A header-signed request is dated further from now than the skew.
    ClockSkew {
        /// When it was signed.
        signed_at: SigningTime,
    },
    /// `SignedHeaders` is not lower-case, sorted and free of repeats.
    SignedHeadersNotCanonical,
    /// `SignedHeaders` does not include `host`.
    HostNotSigned,
    /// A header named in `SignedHeaders` was not sent.
    SignedHeaderNotSent {
        /// Its name.
        name: String,
    },
    /// No secret is known for this access key id.
    UnknownAccessKey {
        /// The access key id.
        access_key_id: String,
    },
    /// The credentials that would check the signature have expired.
    CredentialsExpired {
        /// When they expired.
        expired_at: SigningTime,
    },
    /// The credentials need a session token and none was sent.
    SessionTokenMissing,
    /// The session token sent is not the expected one.
    SessionTokenMismatch,
    /// The signature is not 64 lower-case hex digits.
    MalformedSignature,
    /// A SigV4a signature is not a DER-encoded ECDSA P-256 signature in
    /// lower-case hex (at most 144 digits).
    MalformedDerSignature,
    /// `x-amz-content-sha256` names a `STREAMING-…` mode that is not one of
    /// the aws-chunked modes this verifier reads.
    UnsupportedStreamingMode {
        /// The mode named.
        mode: String,
    },
    /// `x-amz-content-sha256` does not match the body.
    PayloadHashMismatch,
    /// The service signs the payload's hash (every service but S3), and the
    /// caller did not hand over the body received (or its hash).
    PayloadRequired {
        /// The service of the credential scope.
        service: String,
    },
    /// `x-amz-*` headers were sent that `SignedHeaders` does not name. S3
    /// refuses such a request (`AccessDenied`, `HeadersNotSigned`): an unsigned
    /// `x-amz-acl` or `x-amz-copy-source` would change what a presigned URL
    /// does.
    UnsignedHeaders {
        /// The unsigned names, lower-case, sorted, without repeats.
        names: Vec<String>,
    },
    /// The `Host` header names another host than the URL's authority.
    HostMismatch {
        /// The URL's host (default port dropped).
        url_host: String,
        /// The `Host` header's value (default port dropped).
        header_host: String,
    },
    /// The host is not among those the verifier was told it serves.
    HostNotAccepted {
        /// The host the request was signed for.
        host: String,
    },
    /// The request carries both query authentication (`X-Amz-Signature`)
    /// and an `Authorization` header: AWS allows one mechanism, and a server
    /// layer that read the other would disagree with what was verified.
    MixedAuthentication,
    /// A session token was sent, but the credentials that signed have none:
    /// AWS refuses a token it did not issue for them.
    UnexpectedSessionToken,
    /// The `Authorization` header is not
    /// `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
    MalformedAuthorization {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The signature does not match. Carries what was computed (never the
    /// expected signature or any key) for the operator to compare.
    SignatureMismatch {
        /// The canonical request computed from the received request.
        canonical_request: String,
        /// The string to sign computed from it.
        string_to_sign: String,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Malformed(e) => write!(f, "malformed request: {e}"),
            VerifyError::Missing(what) => write!(f, "{what} is missing"),
            VerifyError::Duplicate(what) => write!(f, "{what} appears more than once"),
            VerifyError::UnsupportedAlgorithm => {
                #[cfg(feature = "sigv4a")]
                let also = " or AWS4-ECDSA-P256-SHA256";
                #[cfg(not(feature = "sigv4a"))]
                let also = " (AWS4-ECDSA-P256-SHA256, SigV4a, needs the sigv4a feature)";
                write!(f, "X-Amz-Algorithm is not {}{also}", crate::Algorithm::HmacSha256)
            }
            VerifyError::MalformedCredential => f.write_str(
                "X-Amz-Credential is not ACCESS_KEY/YYYYMMDD/REGION/SERVICE/aws4_request \
                 (SigV4a: ACCESS_KEY/YYYYMMDD/SERVICE/aws4_request)",
            ),
            VerifyError::MalformedDate => f.write_str("X-Amz-Date is not YYYYMMDDTHHMMSSZ"),
            VerifyError::CredentialDateMismatch => {
                f.write_str("the credential's date is not the date of X-Amz-Date")
            }
            VerifyError::ScopeNotAccepted { region, service } => write!(
                f,
                "region {region:?} and service {service:?} are not accepted here"
            ),
            VerifyError::ServiceNotForForm { form, service } => write!(
                f,
                "{form} cannot be signed for service {service:?} (POST policies and aws-chunked \
                 uploads are S3's and S3 Express's alone; event streams are any service's but S3's)"
            ),
            VerifyError::SessionTokenAmbiguous => f.write_str(
                "a session token arrived in two places or under two names (query and header, \
                 X-Amz-Security-Token and X-Amz-S3session-Token, or another case): only one may \
                 come, where the signature travels",
            ),
            VerifyError::SessionTokenNotForService { name, service } => write!(
                f,
                "{name} is S3 Express One Zone's session token, but this signature is scoped to \
                 service {service:?} (only s3express signatures carry it)"
            ),
            VerifyError::SignedTooLongAgo { signed_at } => {
                write!(f, "signed at {signed_at}, longer ago than a signing key lasts")
            }
            VerifyError::InvalidExpires => {
                f.write_str("X-Amz-Expires is not a whole number of seconds within the cap")
            }
            VerifyError::Expired { expired_at } => write!(f, "expired at {expired_at}"),
            VerifyError::NotYetValid { signed_at } => {
                write!(f, "signed at {signed_at}, later than now plus the allowed skew")
            }
            VerifyError::ClockSkew { signed_at } => {
                write!(f, "signed at {signed_at}, outside the allowed clock skew")
            }
            VerifyError::SignedHeadersNotCanonical => {
                f.write_str("SignedHeaders is not lower-case, sorted and free of repeats")
            }
            VerifyError::HostNotSigned => f.write_str("SignedHeaders does not include host"),
            VerifyError::SignedHeaderNotSent { name } => {
                write!(f, "header {name:?} is signed but was not sent")
            }
            VerifyError::UnknownAccessKey { access_key_id } => {
                write!(f, "no secret is known for access key {access_key_id:?}")
            }
            VerifyError::CredentialsExpired { expired_at } => {
                write!(f, "the credentials that signed expired at {expired_at}")
            }
            VerifyError::SessionTokenMissing => {
                f.write_str("a session token is required and none was sent")
            }
            VerifyError::SessionTokenMismatch => f.write_str("the session token does not match"),
            VerifyError::MalformedSignature => {
                f.write_str("the signature is not 64 lower-case hex digits")
            }
            VerifyError::MalformedDerSignature => f.write_str(
                "the SigV4a signature is not a DER-encoded ECDSA signature in lower-case hex (at most 144 digits)",
            ),
            VerifyError::UnsupportedStreamingMode { mode } => write!(
                f,
                "x-amz-content-sha256 names {mode:?}, not an aws-chunked mode this verifier reads"
            ),
            VerifyError::PayloadHashMismatch => {
                f.write_str("x-amz-content-sha256 does not match the body")
            }
            VerifyError::PayloadRequired { service } => write!(
                f,
                "service {service:?} signs the payload's hash: pass the body received (Payload::Empty when there is none)"
            ),
            VerifyError::UnsignedHeaders { names } => {
                f.write_str("x-amz-* headers were sent but not signed: ")?;
                // A hostile request may send thousands: name the first few.
                const SHOWN: usize = 8;
                for (i, name) in names.iter().take(SHOWN).enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(name)?;
                }
                if names.len() > SHOWN {
                    write!(f, " ({} in all)", names.len())?;
                }
                Ok(())
            }
            VerifyError::HostMismatch {
                url_host,
                header_host,
            } => write!(
                f,
                "the Host header {header_host:?} is not the URL's host {url_host:?}"
            ),
            VerifyError::HostNotAccepted { host } => {
                write!(f, "host {host:?} is not served here")
            }
            VerifyError::MixedAuthentication => f.write_str(
                "the request carries both query authentication and an Authorization header; only one is allowed",
            ),
            VerifyError::UnexpectedSessionToken => f.write_str(
                "a session token was sent, but the credentials that signed have none",
            ),
            VerifyError::MalformedAuthorization { reason } => {
                write!(f, "malformed Authorization header: {reason}")
            }
            VerifyError::SignatureMismatch { .. } => f.write_str(
                "signature does not match (the canonical request and string to sign computed here are attached)",
            ),
        }
    }
}

impl fmt::Debug for VerifyError {
    /// Like `Display`: the attached canonical request may hold a session
    /// token, so it is left out here and read through the variant's fields.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifyError({self})")
    }
}

#[cfg(feature = "std")]
impl std::error::Error for VerifyError {}

impl From<Error> for VerifyError {
    fn from(e: Error) -> Self {
        VerifyError::Malformed(e)
    }
}
