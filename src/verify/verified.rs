//! What a successful verification established: a proof type only the
//! verifier makes.

use super::credential::CredentialParts;
use crate::scope::SigningTime;
use alloc::string::String;

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The credential, with the signed header list appended to its text
    /// (from `signed_headers_at`): one allocation for both.
    pub(super) credential: CredentialParts,
    pub(super) signed_headers_at: usize,
    pub(super) signed_at: SigningTime,
    pub(super) expires_at: Option<SigningTime>,
    /// SigV4a's region set, normalized.
    pub(super) region_set: Option<String>,
}

impl Verified {
    /// The access key id that signed.
    pub fn access_key_id(&self) -> &str {
        self.credential.key()
    }
    /// The region of the scope; empty for SigV4a, whose scope has none
    /// (see [`Verified::region_set`]).
    pub fn region(&self) -> &str {
        self.credential.region()
    }
    /// SigV4a's `X-Amz-Region-Set`, entries trimmed (`None` for SigV4).
    pub fn region_set(&self) -> Option<&str> {
        self.region_set.as_deref()
    }
    /// The service of the scope.
    pub fn service(&self) -> &str {
        self.credential.service()
    }
    /// When it was signed (`X-Amz-Date`).
    pub fn signed_at(&self) -> SigningTime {
        self.signed_at
    }
    /// When a presigned URL expires (`None` for header signing, and for a
    /// URL presigned without `X-Amz-Expires`).
    pub fn expires_at(&self) -> Option<SigningTime> {
        self.expires_at
    }
    /// The signed header names, lower-case and sorted.
    pub fn signed_headers(&self) -> impl Iterator<Item = &str> {
        self.credential.text[self.signed_headers_at..].split(';')
    }
}
