//! What signing returns: the presigned URL and the header values, each
//! with a `Debug` that redacts the bearer parts.

use super::*;

/// A presigned URL and the headers the client must send with it.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedUrl<'r> {
    pub(super) url: String,
    pub(super) headers: &'r [(&'r str, &'r str)],
    pub(super) expires_at: Option<SigningTime>,
}

impl<'r> PresignedUrl<'r> {
    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The URL, owned.
    pub fn into_string(self) -> String {
        self.url
    }

    /// The signed headers other than `host`, exactly as given: a client that
    /// does not send them with these values gets `403`.
    pub fn headers(&self) -> &'r [(&'r str, &'r str)] {
        self.headers
    }

    /// The instant the URL stops working: `None` for a URL presigned
    /// without an expiry ([`Signer::presign_without_expiry`]), which the
    /// service honours for as long as it allows.
    pub fn expires_at(&self) -> Option<SigningTime> {
        self.expires_at
    }

    /// The `X-Amz-Signature` value.
    pub fn signature(&self) -> &str {
        // Always the last parameter; its value never holds `=`.
        self.url
            .rsplit_once('=')
            .map_or("", |(_, signature)| signature)
    }

    /// The same URL with `headers` (the same values, borrowed for longer).
    pub(crate) fn rebind_headers<'x>(self, headers: &'x [(&'x str, &'x str)]) -> PresignedUrl<'x> {
        PresignedUrl {
            url: self.url,
            headers,
            expires_at: self.expires_at,
        }
    }
}

impl core::fmt::Debug for PresignedUrl<'_> {
    /// The URL with its bearer parts (`X-Amz-Security-Token`,
    /// `X-Amz-Signature`) redacted. There is deliberately no `Display`: the
    /// URL grants access, so printing it takes an explicit [`PresignedUrl::as_str`].
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PresignedUrl")
            .field("url", &RedactedUrl(&self.url))
            .field("headers", &self.headers.len())
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Shows a URL with the values of its bearer parameters replaced.
struct RedactedUrl<'a>(&'a str);

impl core::fmt::Debug for RedactedUrl<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let (base, query) = self.0.split_once('?').unwrap_or((self.0, ""));
        write!(f, "\"{base}")?;
        for (i, piece) in query.split('&').enumerate() {
            let sep = if i == 0 { "?" } else { "&" };
            match piece.split_once('=') {
                Some((name, _)) if crate::credentials::is_bearer_name(name) => {
                    write!(f, "{sep}{name}=** redacted **")?
                }
                _ => write!(f, "{sep}{piece}")?,
            }
        }
        f.write_str("\"")
    }
}

impl core::fmt::Debug for Authorization<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Authorization")
            .field("values", &self.signed)
            .finish_non_exhaustive()
    }
}

impl core::fmt::Debug for HeaderSignature<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HeaderSignature")
            .field("amz_date", &self.amz_date.as_str())
            .field(
                "security_token",
                &self.security_token.map(|_| "** redacted **"),
            )
            .finish_non_exhaustive()
    }
}

/// The headers to add for header signing.
#[derive(Clone, PartialEq, Eq)]
pub struct Authorization<'s> {
    pub(super) authorization: String,
    pub(super) signed: HeaderSignature<'s>,
}

impl<'s> Authorization<'s> {
    /// The `Authorization` header's value.
    pub fn authorization(&self) -> &str {
        &self.authorization
    }

    /// The other header values: date, payload hash, session token, signature.
    pub fn values(&self) -> &HeaderSignature<'s> {
        &self.signed
    }

    /// The signature: 64 lower-case hex digits (SigV4a: DER in hex).
    pub fn signature(&self) -> &str {
        self.signed.signature()
    }

    /// Every header to add to the request, `Authorization` included.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let s = &self.signed;
        [
            Some(("X-Amz-Date", s.amz_date())),
            s.region_set.map(|set| ("X-Amz-Region-Set", set)),
            s.security_token.map(|t| (s.token_header, t)),
            s.content_sha256().map(|h| ("x-amz-content-sha256", h)),
            Some(("Authorization", self.authorization())),
        ]
        .into_iter()
        .flatten()
    }
}

/// The header values of a header signature, besides `Authorization` (which
/// [`Signer::authorize_into`] wrote into the caller's buffer).
#[derive(Clone, PartialEq, Eq)]
pub struct HeaderSignature<'s> {
    pub(super) signed_at: SigningTime,
    pub(super) amz_date: AmzDate,
    pub(super) content_sha256: Option<PayloadHash>,
    pub(super) security_token: Option<&'s str>,
    /// The header the token travels in: `X-Amz-Security-Token`, or S3
    /// Express's `x-amz-s3session-token` in session mode.
    pub(super) token_header: &'static str,
    /// SigV4a's `X-Amz-Region-Set`.
    pub(super) region_set: Option<&'s str>,
    pub(super) signature: SignatureText,
}

/// A signature as sent: SigV4's 64 hex digits, or SigV4a's DER in hex.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureText {
    Hmac(crate::key::Signature),
    #[cfg(feature = "sigv4a")]
    Ecdsa(crate::sigv4a::EcdsaSignature),
}

impl SignatureText {
    /// The hex digits.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            SignatureText::Hmac(signature) => signature.as_str(),
            #[cfg(feature = "sigv4a")]
            SignatureText::Ecdsa(signature) => signature.as_str(),
        }
    }

    /// The longest signature: 64 hex digits, or 144 for a DER P-256 one.
    pub(crate) fn max_len(algorithm: Algorithm) -> usize {
        match algorithm {
            Algorithm::HmacSha256 => 64,
            Algorithm::EcdsaP256Sha256 => 144,
        }
    }
}

impl<'s> HeaderSignature<'s> {
    /// The `X-Amz-Date` the signature was made for.
    #[cfg(feature = "chunked")]
    pub(crate) fn amz_date_value(&self) -> AmzDate {
        self.amz_date
    }

    /// The time the signature was made at.
    #[cfg(feature = "chunked")]
    pub(crate) fn signed_at(&self) -> SigningTime {
        self.signed_at
    }

    /// SigV4a's `X-Amz-Region-Set` header value (`None`: SigV4).
    pub fn region_set(&self) -> Option<&'s str> {
        self.region_set
    }

    /// The `X-Amz-Date` header's value.
    pub fn amz_date(&self) -> &str {
        self.amz_date.as_str()
    }

    /// The `x-amz-content-sha256` header's value, when the settings add it.
    pub fn content_sha256(&self) -> Option<&str> {
        self.content_sha256.as_ref().map(PayloadHash::as_str)
    }

    /// The session token's header value, with temporary credentials.
    pub fn security_token(&self) -> Option<&'s str> {
        self.security_token
    }

    /// The header the session token goes in: `X-Amz-Security-Token`, or
    /// `x-amz-s3session-token` for S3 Express One Zone's session mode
    /// ([`SessionTokenMode::S3ExpressSession`](crate::SessionTokenMode::S3ExpressSession)).
    pub fn session_token_header(&self) -> &'static str {
        self.token_header
    }

    /// The signature: 64 lower-case hex digits (SigV4a: DER in hex).
    pub fn signature(&self) -> &str {
        self.signature.as_str()
    }
}
