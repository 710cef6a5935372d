//! SigV4a (`AWS4-ECDSA-P256-SHA256`, feature `sigv4a`): one signature good in a set of regions, as
//! S3 Multi-Region Access Points and other global endpoints require.
//!
//! It differs from SigV4 in three places only; the canonical request is written by the same code:
//! * the credential scope has no region (`20150830/service/aws4_request`); the regions go in
//!   `X-Amz-Region-Set` (a signed header, or a query parameter of a presigned URL);
//! * the key is a P-256 private key derived once from the credentials ([`EcdsaKey`]), with no date,
//!   region or service in it;
//! * the string to sign is signed with ECDSA (over its SHA-256), and the signature is its DER
//!   encoding in lower-case hex.
//!
//! ```
//! use awsig::{sigv4a::RegionSet, verify::Verifier, Credentials, Request, Signer, SigningTime};
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
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! A region set is `*`, names, or a prefix and `*`, trimmed and joined as the SDKs do
//! ([`RegionSet::parse`]). An S3 Multi-Region Access Point is presigned from its ARN, as botocore
//! with the CRT presigns it:
//!
//! ```
//! use awsig::s3::{MultiRegionAccessPoint, S3Request};
//! use awsig::sigv4a::RegionSet;
//! use awsig::verify::Verifier;
//! use awsig::{Credentials, Request, Signer, SigningTime};
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
//! let at = SigningTime::parse("2015-08-30T12:36:00Z")?;
//!
//! // Header signing for any service: the region set travels in a signed header.
//! let signer = Signer::new_sigv4a(creds.clone(), &RegionSet::parse("us-east-1, eu-*")?, "service")?;
//! let signed = signer.authorize(&Request::new("GET", "example.amazonaws.com", "/"), at)?;
//! assert!(signed.headers().any(|h| h == ("X-Amz-Region-Set", "us-east-1,eu-*")));
//!
//! let arn = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap";
//! let mrap = MultiRegionAccessPoint::new(creds.clone(), arn)?; // the ECDSA key is derived here, once
//! let url = mrap.presign(&S3Request::get(arn, "photos/cat.jpg"), at)?;
//! assert!(url.as_str().starts_with("https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/photos/cat.jpg?"));
//!
//! // The same Verifier: a SigV4a signature is accepted where an accepted region is in its set.
//! let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept("eu-west-1", "s3");
//! let verified = verifier.verify_presigned("GET", url.as_str(), &[], None, at).unwrap();
//! assert_eq!(verified.region_set(), Some("*"));
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! The command-line tool signs the same way (`awsig presign --url URL --service S --sigv4a
//! --region-set 'us-east-1,eu-*'`, or `awsig presign s3://ARN/KEY` for an access point), and its
//! `verify` and `explain` read SigV4a URLs; `explain` shows the public key and whether the
//! signature verifies.
//!
//! # The key
//!
//! A P-256 private key derived from the secret as aws-c-auth derives it
//! (`source/key_derivation.c`): NIST SP 800-108 in counter mode, HMAC-SHA256 keyed with `"AWS4A"` +
//! secret over `1 || "AWS4-ECDSA-P256-SHA256" || 0x00 || access key id || counter || 256`, counter
//! 1 to 254, the first output `k0 <= n - 2` giving the key `k0 + 1` (the comparison is written
//! without branches on the bytes). It has no date, region or service in it: a signer derives it
//! once, when it is made ([`Signer::new_sigv4a`](crate::Signer::new_sigv4a)), and a verifier keeps
//! the public keys it derived (16, keyed by access key id and a SHA-256 of the secret, so a rotated
//! secret never meets an old key; a key id is no secret, so keys that never verified a signature
//! leave first, and failed requests cannot push out the keys of those that verify). [`EcdsaKey`]'s
//! `Debug` shows the public key only.
//!
//! # The signature
//!
//! ECDSA over the string to sign's SHA-256, with RFC 6979 nonces (the same input signs the same
//! way), DER-encoded in lower-case hex (strict DER: no long forms, padding or trailing bytes).
//! AWS's own signers draw random nonces, so the tests verify signatures and never compare them.
//! ECDSA signatures are malleable: `(r, n - s)` verifies wherever `(r, s)` does, and AWS's signers
//! make both forms (34 of the suite's 76 have the high `s`), so a verifier accepts both. Never key
//! replay or dedup tracking on `X-Amz-Signature`.
//!
//! Verification runs every check the SigV4 path makes (expiry, skew, signed headers, unsigned
//! `x-amz-*` headers, `Host`, session tokens) and then checks the ECDSA signature under the public
//! key derived from the looked-up secret. A header-signed request must sign `x-amz-region-set`
//! (read as sent: a `%` there is refused, not decoded). A signature that is not lower-case hex,
//! odd, over 144 digits or not DER is `VerifyError::MalformedDerSignature`.
//!
//! # Not offered with SigV4a
//!
//! `aws-chunked` uploads (`ChunkSigner::new` and `verify_streaming` refuse with a typed error) and
//! POST policies (`presign_post` is on the SigV4 `S3Presigner`). No S3-compatible server verifies
//! SigV4a (s3s answers NotImplemented), so interop rests on AWS's suite and botocore + CRT.
//!
//! `p256` 0.13 (with `ecdsa` 0.16 for DER), not 0.14: 0.14 needs `crypto-bigint` 0.7.9 or later,
//! which needs Rust 1.87 (the 0.7 releases that build on 1.85 are yanked). 0.13 brings its own
//! `sha2` 0.10 and `hmac` 0.12 for the RFC 6979 nonces: 22 crates with the feature. It has no
//! precomputed base-point tables; a SigV4a presign costs 150–170 × a SigV4 one, all of it the ECDSA
//! signature, at the `p256` floor, and so does verification (the SigV4a section of
//! `docs/performance.md`).
//!
//! Sources: aws-c-auth's `key_derivation.c` and `aws_signing.c` (the algorithm, the region set
//! header and parameter); the derivation proven on aws-c-auth's own test vector
//! (`test-vectors/aws-c-auth/`, also in aws-sdk-go-v2's `internal/v4a`) and on the public key of
//! the AWS signing test suite, whose 76 v4a cases all pass; and 18 Multi-Region Access Point URLs
//! from botocore 1.43.11 with awscrt 0.38.1 (`test-vectors/botocore/s3-mrap-presign.json`).

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
/// use awsig::sigv4a::RegionSet;
/// // Written as the SDKs write their region set lists: entries trimmed, joined with `,`.
/// assert_eq!(RegionSet::parse(" us-east-1 , us-west-2")?.as_str(), "us-east-1,us-west-2");
/// assert_eq!(RegionSet::parse("*")?.as_str(), "*");
/// assert!(RegionSet::parse("us-east-1,,us-west-2").is_err());
/// assert!(RegionSet::parse("US-EAST-1").is_err());
/// # Ok::<(), awsig::Error>(())
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
    /// # use awsig::sigv4a::RegionSet;
    /// let set = RegionSet::parse("eu-west-1,us-*")?;
    /// assert!(set.covers("eu-west-1") && set.covers("us-east-2"));
    /// assert!(!set.covers("eu-west-2") && !set.covers("ap-south-1"));
    /// # Ok::<(), awsig::Error>(())
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
