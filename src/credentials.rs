//! Access key id, secret access key, optional session token and credential
//! expiry. The secret and the token are redacted in `Debug` and wiped on drop.

use crate::error::Error;
use crate::scope::SigningTime;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use core::fmt;
use zeroize::Zeroizing;

/// AWS credentials: what signs a request.
///
/// ```
/// let creds = awsig::Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
///     .unwrap()
///     .with_session_token("token/with+slash=")
///     .unwrap();
/// // The secret and the token never show in Debug output.
/// let shown = format!("{creds:?}");
/// assert!(!shown.contains("EXAMPLEKEY") && !shown.contains("token/with"));
/// ```
///
/// Cloning is cheap: clones share one copy of the key id, the secret and the
/// token (wiped when the last clone drops), so a verifier's lookup or a
/// signer made per request copies no secret.
#[derive(Clone)]
pub struct Credentials(Arc<Parts>);

/// What credentials hold, shared by their clones.
#[derive(Clone)]
struct Parts {
    access_key_id: String,
    secret_access_key: Zeroizing<String>,
    /// SHA-256 of the secret, made on first use: the verifier's key cache
    /// tells secrets apart by it without hashing the secret per request.
    #[cfg(feature = "std")]
    secret_digest: std::sync::OnceLock<Zeroizing<[u8; 32]>>,
    session_token: Option<Zeroizing<String>>,
    expires_at: Option<SigningTime>,
}

impl Credentials {
    /// Long-term or temporary credentials without a session token.
    ///
    /// The access key id must be non-empty printable ASCII without `/`, `,`,
    /// `;`, `=` or `%` (it is written into the credential scope and the
    /// `Authorization` header); the secret must be non-empty.
    pub fn new(access_key_id: &str, secret_access_key: &str) -> Result<Self, Error> {
        if access_key_id.is_empty() {
            return Err(Error::EmptyAccessKeyId);
        }
        if let Some(position) = access_key_id
            .bytes()
            .position(|b| b"/,;=%".contains(&b) || !b.is_ascii_graphic())
        {
            return Err(Error::InvalidAccessKeyId { position });
        }
        if secret_access_key.is_empty() {
            return Err(Error::EmptySecretKey);
        }
        Ok(Credentials(Arc::new(Parts {
            access_key_id: access_key_id.to_string(),
            secret_access_key: Zeroizing::new(secret_access_key.to_string()),
            #[cfg(feature = "std")]
            secret_digest: std::sync::OnceLock::new(),
            session_token: None,
            expires_at: None,
        })))
    }

    /// Adds the session token of temporary (STS) credentials.
    pub fn with_session_token(mut self, token: &str) -> Result<Self, Error> {
        if token.is_empty() || token.bytes().any(|b| b.is_ascii_control()) {
            return Err(Error::InvalidSessionToken);
        }
        Arc::make_mut(&mut self.0).session_token = Some(Zeroizing::new(token.to_string()));
        Ok(self)
    }

    /// Records when temporary credentials expire, so that a presigned URL that
    /// would outlive them is refused.
    pub fn with_expiry(mut self, expires_at: SigningTime) -> Self {
        Arc::make_mut(&mut self.0).expires_at = Some(expires_at);
        self
    }

    /// The access key id (public: it travels in every signed request).
    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    /// The secret access key. Handle with care: never log it.
    pub fn secret_access_key(&self) -> &str {
        &self.0.secret_access_key
    }

    /// SHA-256 of the secret access key, computed once per `Credentials`.
    #[cfg(feature = "std")]
    pub(crate) fn secret_digest(&self) -> &[u8; 32] {
        self.0.secret_digest.get_or_init(|| {
            Zeroizing::new(
                <sha2::Sha256 as sha2::Digest>::digest(self.0.secret_access_key.as_bytes()).into(),
            )
        })
    }

    /// The session token, if any. It is a bearer secret too.
    pub fn session_token(&self) -> Option<&str> {
        self.0.session_token.as_deref().map(String::as_str)
    }

    /// When these credentials expire, if known.
    pub fn expires_at(&self) -> Option<SigningTime> {
        self.0.expires_at
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.0.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.0.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expires_at", &self.0.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests;

/// Whether a parameter or form field named `name` (in any case) carries a
/// bearer value that a `Debug` must not show: a signature that can be
/// replayed, a session token (`X-Amz-Security-Token`, S3 Express's
/// `X-Amz-S3session-Token`), or a POST policy, which holds the token.
pub(crate) fn is_bearer_name(name: &str) -> bool {
    [
        "x-amz-signature",
        "x-amz-security-token",
        "x-amz-s3session-token",
        "policy",
    ]
    .iter()
    .any(|bearer| bearer.eq_ignore_ascii_case(name))
}
