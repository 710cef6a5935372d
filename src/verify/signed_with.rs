//! What a received signature is, once read: the algorithm it names (with
//! SigV4a's region set), and where it travelled (with what only that form
//! carries).

use crate::settings::SessionTokenMode;
use crate::string_to_sign::Algorithm;

/// The algorithm a received signature names, with what only it carries.
pub(crate) enum SignedWith {
    /// SigV4.
    HmacSha256,
    /// SigV4a, with its region set, read (normalized to check it against
    /// the accepted regions; the signature covers the bytes as sent).
    #[cfg(feature = "sigv4a")]
    EcdsaP256Sha256(crate::sigv4a::RegionSet),
}

impl SignedWith {
    /// The algorithm.
    pub(crate) fn algorithm(&self) -> Algorithm {
        match self {
            SignedWith::HmacSha256 => Algorithm::HmacSha256,
            #[cfg(feature = "sigv4a")]
            SignedWith::EcdsaP256Sha256(_) => Algorithm::EcdsaP256Sha256,
        }
    }
}

/// Where a received signature travelled, with what only that form carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Carried {
    /// In the query (`X-Amz-Signature`): a presigned URL.
    Query {
        /// `X-Amz-Expires`; `None` for a URL presigned without one, which
        /// only a service whose settings allow it accepts (within the skew).
        expires_in: Option<u64>,
        /// Whether the session token sent was signed, or added after
        /// signing (the service's settings say so: AWS IoT) and is left out
        /// of the hash.
        token: SessionTokenMode,
    },
    /// In the `Authorization` header, valid within the clock skew.
    Header,
}
