//! What differs between S3 and every other service, as enums with their
//! reasons: the one place where a service's name decides how it is signed
//! and verified ([`Settings::for_service`], `is_s3`).

/// How the canonical URI is derived from the request path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriEncoding {
    /// S3: the path's bytes, URI-encoded once (escapes in the given path are
    /// decoded first, so `/a%24b` and `/a$b` both become `/a%24b`).
    Single,
    /// Every other service: the path as sent, URI-encoded again, so an escape
    /// `%3D` in the path becomes `%253D`.
    Double,
}

/// AWS's cap on `X-Amz-Expires`: 7 days.
pub const MAX_EXPIRES: u64 = 604_800;

/// What to do with the session token of temporary credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionTokenMode {
    /// Sign it: `X-Amz-Security-Token` is part of the canonical request.
    Signed,
    /// Add it to the URL or headers after signing (IoT style).
    AfterSigning,
    /// Sign it as S3 Express One Zone's session token (session mode, with
    /// the credentials `CreateSession` gave): `X-Amz-S3session-Token` in a
    /// URL, `x-amz-s3session-token` in headers, never `X-Amz-Security-Token`.
    S3ExpressSession,
}

/// Whether the canonical URI is the path with `.`/`..` segments and repeated
/// `/` removed (RFC 3986 §5.2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathNormalization {
    /// Every service but S3 normalizes: `/a/./b/../c` signs as `/a/c`.
    Normalize,
    /// S3 signs the path as given: `a/../b` and `a//b` are object keys.
    AsGiven,
}

/// The payload hash a request signs when it names no payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultPayload {
    /// `UNSIGNED-PAYLOAD`: S3, whose presigned URLs cannot know the body.
    Unsigned,
    /// The SHA-256 of the empty body: every other service, which signs the
    /// body and expects none.
    Empty,
}

/// Whether header signing adds an `x-amz-content-sha256` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentSha256Header {
    /// S3 requires the header on every header-signed request.
    Add,
    /// Other services neither need nor expect it.
    Omit,
}

/// What to do when a presigned URL would outlive its temporary credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryPastCredentials {
    /// An error: the URL would stop working before its `X-Amz-Expires`,
    /// which surprises whoever it was handed to.
    Refuse,
    /// Sign anyway, for callers who know and say so.
    Allow,
}

/// Whether a presigned URL must carry `X-Amz-Expires`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresignExpiry {
    /// Every service but AWS IoT's device gateway: a URL without an expiry
    /// is refused by the signer (and by the verifier).
    Required,
    /// AWS IoT's websocket URLs (`iotdevicegateway`) may go without one: the
    /// service bounds how long the signature holds. S3 never allows it.
    Optional,
}

/// Settings that differ between S3 and every other service.
///
/// [`Settings::for_service`] gives the right defaults; override a field to
/// change one.
///
/// ```
/// let mut settings = awsig::Settings::for_service("s3");
/// assert_eq!(settings.uri_encoding, awsig::UriEncoding::Single);
/// settings.max_expires = 30 * 86_400; // an S3-compatible store that allows 30 days
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// Single (S3) or double (everyone else) URI encoding of the path.
    pub uri_encoding: UriEncoding,
    /// Remove `.`/`..` segments and repeated `/` (everyone but S3).
    pub normalize_path: PathNormalization,
    /// Payload when the request names none: `UNSIGNED-PAYLOAD` for S3, the
    /// empty-body hash otherwise.
    pub default_payload: DefaultPayload,
    /// Header signing adds and signs `x-amz-content-sha256` (S3 requires it).
    pub content_sha256_header: ContentSha256Header,
    /// Whether the session token is signed or added after.
    pub session_token: SessionTokenMode,
    /// Longest allowed expiry in seconds (604 800 by default).
    pub max_expires: u64,
    /// Sign URLs that outlive the credentials' own expiry, or refuse.
    pub expiry_past_credentials: ExpiryPastCredentials,
    /// Whether presigning may leave `X-Amz-Expires` out
    /// ([`Signer::presign_without_expiry`](crate::Signer::presign_without_expiry)); never for S3.
    pub expiry: PresignExpiry,
}

impl Settings {
    /// The defaults AWS uses for `service`: `s3` signs the path once-encoded
    /// and unnormalized with `UNSIGNED-PAYLOAD`; every other service
    /// double-encodes, normalizes and signs the payload's hash.
    pub fn for_service(service: &str) -> Settings {
        let s3 = is_s3(service);
        Settings {
            uri_encoding: if s3 {
                UriEncoding::Single
            } else {
                UriEncoding::Double
            },
            normalize_path: if s3 {
                PathNormalization::AsGiven
            } else {
                PathNormalization::Normalize
            },
            default_payload: if s3 {
                DefaultPayload::Unsigned
            } else {
                DefaultPayload::Empty
            },
            content_sha256_header: if s3 {
                ContentSha256Header::Add
            } else {
                ContentSha256Header::Omit
            },
            // AWS IoT's device SDKs sign websocket URLs without the token
            // and add it after (aws-c-auth's `omit_session_token`).
            session_token: if service == "iotdevicegateway" {
                SessionTokenMode::AfterSigning
            } else {
                SessionTokenMode::Signed
            },
            max_expires: MAX_EXPIRES,
            expiry_past_credentials: ExpiryPastCredentials::Refuse,
            expiry: if service == "iotdevicegateway" {
                PresignExpiry::Optional
            } else {
                PresignExpiry::Required
            },
        }
    }
}

/// Whether `service` follows S3's rules rather than every other service's:
/// single-encoded, unnormalized paths, `UNSIGNED-PAYLOAD`, unsigned
/// `x-amz-*` headers always refused, `X-Amz-Expires` always required, and
/// the forms only S3 defines (POST policies, aws-chunked bodies).
///
/// S3 Express One Zone (`s3express`, directory buckets) signs by S3's rules
/// under its own name.
pub(crate) fn is_s3(service: &str) -> bool {
    service == "s3" || service == S3_EXPRESS
}

/// S3 Express One Zone's signing name.
pub(crate) const S3_EXPRESS: &str = "s3express";
