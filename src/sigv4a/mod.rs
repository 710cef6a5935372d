//! SigV4a (`AWS4-ECDSA-P256-SHA256`, feature `sigv4a`): one signature good
//! in a set of regions, as S3 Multi-Region Access Points and other global
//! endpoints require.
//!
//! It differs from SigV4 in three places only; the canonical request is
//! written by the same code:
//! * the credential scope has no region (`20150830/service/aws4_request`);
//!   the regions go in `X-Amz-Region-Set` (a signed header, or a query
//!   parameter of a presigned URL);
//! * the key is a P-256 private key derived once from the credentials
//!   ([`EcdsaKey`]), with no date, region or service in it;
//! * the string to sign is signed with ECDSA (over its SHA-256), and the
//!   signature is its DER encoding in lower-case hex.
//!
//! ECDSA signatures are malleable: `(r, n - s)` verifies wherever `(r, s)`
//! does, and AWS's signers make both, so a verifier accepts both. Never key
//! replay or dedup tracking on `X-Amz-Signature`.
//!
//! ```
//! use sigv4::{sigv4a::RegionSet, verify::Verifier, Credentials, Request, Signer, SigningTime};
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
//! let signer = Signer::new_sigv4a(creds.clone(), &RegionSet::parse("us-east-1, us-west-2")?, "s3")?;
//! let at = SigningTime::parse("2015-08-30T12:36:00Z")?;
//! let url = signer.presign(&Request::new("GET", "example.amazonaws.com", "/key"), at, 3600)?;
//! assert!(url.as_str().contains("X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256"));
//! assert!(url.as_str().contains("&X-Amz-Region-Set=us-east-1%2Cus-west-2&"));
//!
//! // A verifier for us-west-2 accepts it: the region is in the set.
//! let verifier = Verifier::new(|_: &str| Some(creds.clone())).accept("us-west-2", "s3");
//! let verified = verifier.verify_presigned("GET", url.as_str(), &[], None, at).unwrap();
//! assert_eq!(verified.region_set(), Some("us-east-1,us-west-2"));
//! # Ok::<(), sigv4::Error>(())
//! ```
//!
//! Sources: the derivation follows NIST SP 800-108 (KDF in counter mode,
//! HMAC-SHA256) as aws-c-auth applies it (`source/key_derivation.c`), and is
//! proven on aws-c-auth's own test vector (`test-vectors/aws-c-auth/`) and on
//! the public key of the AWS signing test suite.

mod key;

pub(crate) use key::{is_der_signature_hex, EcdsaSignature};
pub use key::{EcdsaKey, PublicKey};

use crate::error::Error;
use alloc::string::{String, ToString};

/// What a SigV4a signer signs with: its key and region set.
pub(crate) struct V4aSigning {
    pub(crate) key: EcdsaKey,
    pub(crate) region_set: RegionSet,
}

/// The regions a SigV4a signature is good in, as `X-Amz-Region-Set`
/// carries them: region names, `*` (every region) or a prefix and `*`
/// (`us-*`; a `*` only last), joined with `,`.
///
/// ```
/// use sigv4::sigv4a::RegionSet;
/// // Written as the SDKs write their region set lists: entries trimmed, joined with `,`.
/// assert_eq!(RegionSet::parse(" us-east-1 , us-west-2")?.as_str(), "us-east-1,us-west-2");
/// assert_eq!(RegionSet::parse("*")?.as_str(), "*");
/// assert!(RegionSet::parse("us-east-1,,us-west-2").is_err());
/// assert!(RegionSet::parse("US-EAST-1").is_err());
/// # Ok::<(), sigv4::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegionSet(String);

impl RegionSet {
    /// Reads a comma-separated set; each entry is trimmed of spaces and
    /// tabs and must be non-empty, of `a-z`, `0-9` and `-`, with at most
    /// one `*`, last (a `*` elsewhere could never match a region).
    pub fn parse(text: &str) -> Result<RegionSet, Error> {
        let invalid = |reason| Error::InvalidRegionSet {
            region_set: text.to_string(),
            reason,
        };
        let mut out = String::with_capacity(text.len());
        for entry in text.split(',') {
            let entry = entry.trim_matches([' ', '\t']);
            if entry.is_empty() {
                return Err(invalid("an entry is empty"));
            }
            let name = entry.strip_suffix('*').unwrap_or(entry);
            let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
            if !name.bytes().all(allowed) {
                return Err(invalid(
                    "an entry holds a byte outside a-z, 0-9 and '-', or a '*' before its end",
                ));
            }
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(entry);
        }
        Ok(RegionSet(out))
    }

    /// The set as `X-Amz-Region-Set` carries it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether a signature for this set is good in `region`: an entry names
    /// it, is `*`, or is a prefix ending in `*` that it starts with.
    ///
    /// ```
    /// # use sigv4::sigv4a::RegionSet;
    /// let set = RegionSet::parse("eu-west-1,us-*")?;
    /// assert!(set.covers("eu-west-1") && set.covers("us-east-2"));
    /// assert!(!set.covers("eu-west-2") && !set.covers("ap-south-1"));
    /// # Ok::<(), sigv4::Error>(())
    /// ```
    pub fn covers(&self, region: &str) -> bool {
        self.0
            .split(',')
            .any(|entry| match entry.strip_suffix('*') {
                Some(prefix) => region.starts_with(prefix),
                None => entry == region,
            })
    }
}

impl core::fmt::Display for RegionSet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}
