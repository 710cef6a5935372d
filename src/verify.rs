//! The reverse path: take a received presigned URL (or a request signed with
//! an `Authorization` header), look up the secret, check the scope, expiry
//! and clock skew, rebuild the canonical request with the same code that
//! signs, and compare the signature in constant time.
//!
//! ```
//! use sigv4::s3::{S3Presigner, S3Request};
//! use sigv4::verify::Verifier;
//! use sigv4::{Credentials, SigningTime};
//!
//! let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! let signed_at = SigningTime::parse("2013-05-24T00:00:00Z")?;
//! let url = S3Presigner::new(creds.clone(), "us-east-1")?
//!     .presign(&S3Request::get("examplebucket", "test.txt"), signed_at)?;
//!
//! let verifier = Verifier::new(|key_id: &str| (key_id == "AKIAIOSFODNN7EXAMPLE").then(|| creds.clone()))
//!     .accept("us-east-1", "s3");
//! let now = SigningTime::parse("2013-05-24T00:05:00Z")?;
//! let verified = verifier.verify_presigned("GET", url.as_str(), &[], None, now).unwrap();
//! assert_eq!(verified.access_key_id(), "AKIAIOSFODNN7EXAMPLE");
//! # Ok::<(), sigv4::Error>(())
//! ```

use crate::canonical::{Canonical, PayloadHash, ALGORITHM};
use crate::credentials::Credentials;
use crate::encoding::{decode, hex32};
use crate::error::Error;
use crate::key::{write_string_to_sign, SigningKey};
use crate::request::{Payload, Request};
use crate::scope::{AmzDate, Scope, SigningTime};
use crate::sha::Sha256;
use crate::sign::{Settings, MAX_EXPIRES};
use crate::uri::parse_url;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

/// Default allowed clock skew: 15 minutes, as AWS allows.
pub const DEFAULT_MAX_SKEW: u64 = 900;

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
    /// `X-Amz-Algorithm` is not `AWS4-HMAC-SHA256`.
    UnsupportedAlgorithm,
    /// `X-Amz-Credential` is not `KEY/YYYYMMDD/region/service/aws4_request`.
    MalformedCredential,
    /// `X-Amz-Date` is not `YYYYMMDDTHHMMSSZ`.
    MalformedDate,
    /// The credential's date is not the date of `X-Amz-Date`.
    CredentialDateMismatch,
    /// The region and service are not among the accepted ones.
    ScopeNotAccepted {
        /// The region the request was signed for.
        region: String,
        /// The service the request was signed for.
        service: String,
    },
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
                write!(f, "X-Amz-Algorithm is not {ALGORITHM}")
            }
            VerifyError::MalformedCredential => f.write_str(
                "X-Amz-Credential is not ACCESS_KEY/YYYYMMDD/REGION/SERVICE/aws4_request",
            ),
            VerifyError::MalformedDate => f.write_str("X-Amz-Date is not YYYYMMDDTHHMMSSZ"),
            VerifyError::CredentialDateMismatch => {
                f.write_str("the credential's date is not the date of X-Amz-Date")
            }
            VerifyError::ScopeNotAccepted { region, service } => write!(
                f,
                "region {region:?} and service {service:?} are not accepted here"
            ),
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

/// A credential `KEY/YYYYMMDD/region/service/aws4_request`, decoded, with
/// the positions of its parts: one allocation for all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CredentialParts {
    text: String,
    /// Ends of the key, date, region and service, in `text`.
    ends: [usize; 4],
}

impl CredentialParts {
    /// Splits and checks a decoded credential.
    fn parse(text: String) -> Result<CredentialParts, VerifyError> {
        let mut ends = [0usize; 4];
        let mut from = 0;
        for end in &mut ends {
            let slash = text[from..]
                .bytes()
                .position(|b| b == b'/')
                .ok_or(VerifyError::MalformedCredential)?;
            *end = from + slash;
            from = *end + 1;
        }
        let parts = CredentialParts { text, ends };
        let ok = !parts.key().is_empty()
            && parts.date().len() == 8
            && parts.date().bytes().all(|b| b.is_ascii_digit())
            && crate::scope::is_scope_name(parts.region())
            && crate::scope::is_scope_name(parts.service())
            && &parts.text[from..] == "aws4_request";
        if ok {
            Ok(parts)
        } else {
            Err(VerifyError::MalformedCredential)
        }
    }

    pub fn key(&self) -> &str {
        &self.text[..self.ends[0]]
    }

    pub fn date(&self) -> &str {
        &self.text[self.ends[0] + 1..self.ends[1]]
    }

    pub fn region(&self) -> &str {
        &self.text[self.ends[1] + 1..self.ends[2]]
    }

    pub fn service(&self) -> &str {
        &self.text[self.ends[2] + 1..self.ends[3]]
    }
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The credential, with the signed header list appended to its text
    /// (from `signed_headers_at`): one allocation for both.
    credential: CredentialParts,
    signed_headers_at: usize,
    signed_at: SigningTime,
    expires_at: Option<SigningTime>,
}

impl Verified {
    /// The access key id that signed.
    pub fn access_key_id(&self) -> &str {
        self.credential.key()
    }
    /// The region of the scope.
    pub fn region(&self) -> &str {
        self.credential.region()
    }
    /// The service of the scope.
    pub fn service(&self) -> &str {
        self.credential.service()
    }
    /// When it was signed (`X-Amz-Date`).
    pub fn signed_at(&self) -> SigningTime {
        self.signed_at
    }
    /// When a presigned URL expires (`None` for header signing).
    pub fn expires_at(&self) -> Option<SigningTime> {
        self.expires_at
    }
    /// The signed header names, lower-case and sorted.
    pub fn signed_headers(&self) -> impl Iterator<Item = &str> {
        self.credential.text[self.signed_headers_at..].split(';')
    }
}

/// The authentication data read from a received request.
pub(crate) struct Received<'a> {
    pub method: &'a str,
    pub parts: crate::uri::UrlParts<'a>,
    /// The host that was signed: the `Host` header sent, else the URL's,
    /// without a default port.
    pub host: &'a str,
    /// Whether `X-Amz-Signature` is an authentication parameter (presigned).
    pub presigned: bool,
    pub credential: CredentialParts,
    pub amz_date: AmzDate,
    pub signed_at: SigningTime,
    pub expires_in: Option<u64>,
    /// Where `SignedHeaders` (decoded, checked) starts in the credential's
    /// text, after the credential itself.
    pub signed_headers_at: usize,
    /// The signed headers other than host, as sent.
    pub headers: SignedHeaderValues<'a>,
    pub token: Option<alloc::borrow::Cow<'a, str>>,
    pub signature: &'a str,
    pub payload_hash: PayloadHash,
    /// The received query without `X-Amz-Signature`, when it is already
    /// the canonical query string (sorted, canonically encoded): then it is
    /// hashed as received instead of taken apart and written again.
    pub canonical_query: Option<&'a str>,
}

/// One pass over a received query: the authentication parameters, and
/// whether the query (less a trailing `X-Amz-Signature` when presigned) is
/// already in canonical form.
struct QueryScan<'a> {
    /// Values of the names in `AUTH_PARAMS`, by position.
    auth: [Option<&'a str>; 7],
    canonical: Option<&'a str>,
}

fn scan_query(query: &str, presigned: bool) -> Result<QueryScan<'_>, VerifyError> {
    const NAMES: [&str; 7] = crate::canonical::AUTH_PARAMS;
    let mut auth: [Option<&str>; 7] = [None; 7];
    // One pass over the bytes: pieces end at `&` (or the end); a piece is
    // canonical when it is `name=value` of unreserved bytes and kept escapes.
    let mut canonical = !query.is_empty() && !query.ends_with('&');
    let mut canonical_end = query.len();
    let mut previous: Option<(&str, &str)> = None;
    let bytes = query.as_bytes();
    let (mut start, mut eq, mut piece_canonical) = (0, None, true);
    let mut i = 0;
    while i <= bytes.len() {
        match bytes.get(i) {
            Some(&b) if crate::encoding::is_unreserved(b) => {
                i = crate::encoding::unescaped_run_end(bytes, i, false);
                continue;
            }
            Some(b'%') if crate::canonical::is_kept_escape(bytes, i, false) => i += 2,
            Some(b'=') if eq.is_none() => eq = Some(i),
            Some(b'&') | None => {
                let piece = &query[start..i];
                let (name, value) = match eq {
                    Some(eq) => (&query[start..eq], &query[eq + 1..i]),
                    None => (piece, ""),
                };
                // Only a presigned URL carries its authentication in the
                // query; a header-signed request may hold any parameters.
                let auth_index = if presigned && name.starts_with("X-Amz-") {
                    NAMES.iter().position(|n| *n == name)
                } else {
                    None
                };
                if let Some(index) = auth_index {
                    if auth[index].replace(value).is_some() {
                        return Err(VerifyError::Duplicate(NAMES[index]));
                    }
                }
                if auth_index == Some(crate::canonical::SIGNATURE) {
                    // Left out of the canonical query: only as the last
                    // piece can the rest be hashed as one slice.
                    canonical &= i == bytes.len();
                    canonical_end = start.saturating_sub(1);
                } else {
                    // An empty piece or one without `=` is rewritten by
                    // the canonical form, as is an out-of-order one.
                    canonical &= piece_canonical
                        && eq.is_some()
                        && previous.map_or(true, |p| p <= (name, value));
                    previous = Some((name, value));
                }
                (start, eq, piece_canonical) = (i + 1, None, true);
            }
            Some(_) => piece_canonical = false,
        }
        i += 1;
    }
    Ok(QueryScan {
        auth,
        canonical: canonical.then(|| &query[..canonical_end]),
    })
}

fn find_header<'a>(headers: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// The host that was signed: the URL's authority, default port dropped. A
/// `Host` header, when sent, must name the same host (after the same rule);
/// two are ambiguous and refused.
fn signed_host<'a>(
    headers: &[(&'a str, &'a str)],
    parts: &crate::uri::UrlParts<'a>,
) -> Result<&'a str, VerifyError> {
    let mut sent = None;
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("host") && sent.replace(*value).is_some() {
            return Err(VerifyError::Duplicate("Host"));
        }
    }
    if let Some(sent) = sent {
        let header_host = parts.scheme.strip_default_port(sent.trim());
        if !header_host.eq_ignore_ascii_case(parts.host) {
            return Err(VerifyError::HostMismatch {
                url_host: parts.host.to_string(),
                header_host: header_host.to_string(),
            });
        }
    }
    Ok(parts.host)
}

fn decoded(value: &str) -> alloc::borrow::Cow<'_, str> {
    if value.bytes().any(|b| b == b'%') {
        let bytes = decode(value.as_bytes());
        alloc::borrow::Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        )
    } else {
        alloc::borrow::Cow::Borrowed(value)
    }
}

/// Appends `value` percent-decoded, as [`decoded`] would give it, without a
/// buffer of its own while the escapes are of ASCII bytes (`%2F`, `%3B`).
fn push_decoded(out: &mut String, value: &str) {
    let bytes = value.as_bytes();
    let (mut run, mut i) = (0, 0);
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'%') {
        let at = i + offset;
        let digit = |k: usize| {
            bytes
                .get(at + k)
                .copied()
                .and_then(crate::encoding::hex_value)
        };
        match (digit(1), digit(2)) {
            (Some(hi), Some(lo)) if hi < 8 => {
                out.push_str(&value[run..at]);
                out.push(char::from(hi << 4 | lo));
                i = at + 3;
                run = i;
            }
            (Some(_), Some(_)) => {
                // A byte past ASCII may start or continue a UTF-8 sequence:
                // the rest goes through the general (lossy) decoding.
                out.push_str(&value[run..at]);
                out.push_str(&decoded(&value[at..]));
                return;
            }
            _ => i = at + 1,
        }
    }
    out.push_str(&value[run..]);
}

/// The payload hash of a header-signed request: the `x-amz-content-sha256`
/// the client sent, which must match the body the caller has (when it has
/// one), or the caller's body hashed. `UNSIGNED-PAYLOAD` only for S3.
fn authorized_payload_hash(
    sent: Option<&str>,
    payload: Option<Payload<'_>>,
    service: &str,
) -> Result<PayloadHash, VerifyError> {
    let s3 = service == "s3";
    let body = match payload {
        Some(Payload::Unsigned) | None => None,
        Some(payload) => Some(PayloadHash::of(payload)?),
    };
    let claimed_hex = |text: &str| match PayloadHash::of(Payload::Sha256Hex(text)) {
        Ok(hash) => Ok(hash),
        Err(_) => Err(VerifyError::PayloadHashMismatch),
    };
    let claimed = match sent {
        Some("UNSIGNED-PAYLOAD") if s3 => PayloadHash::Unsigned,
        Some("UNSIGNED-PAYLOAD") => return Err(VerifyError::PayloadHashMismatch),
        Some(text) => claimed_hex(text)?,
        // Without a claim the signature covers the body itself: assuming
        // an empty one would pass any body sent with an empty-body signature.
        None => body.ok_or_else(|| VerifyError::PayloadRequired {
            service: service.to_string(),
        })?,
    };
    // The body the caller holds must be the one the client signed for.
    if let (Some(PayloadHash::Hex(body)), PayloadHash::Hex(claimed_hex)) = (&body, &claimed) {
        if !constant_time_eq(body, claimed_hex) {
            return Err(VerifyError::PayloadHashMismatch);
        }
    }
    Ok(claimed)
}

/// Checks a `SignedHeaders` list: lower-case tokens, sorted, no repeats,
/// `host` among them.
fn check_signed_headers(list: &str) -> Result<(), VerifyError> {
    let mut previous: Option<&str> = None;
    let mut host = false;
    for name in list.split(';') {
        let ok = !name.is_empty()
            && name.bytes().all(|b| !b.is_ascii_uppercase())
            && crate::request::is_token(name)
            && previous.map_or(true, |p| p < name);
        if !ok {
            return Err(VerifyError::SignedHeadersNotCanonical);
        }
        host |= name == "host";
        previous = Some(name);
    }
    if host {
        Ok(())
    } else {
        Err(VerifyError::HostNotSigned)
    }
}

/// The values of the signed headers, on the stack for the usual few.
pub(crate) type SignedHeaderValues<'a> = crate::canonical::SmallList<(&'a str, &'a str), 8>;

/// Whether `x-amz-*` headers sent outside `SignedHeaders` are refused, for
/// services other than S3 (S3 always refuses them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsignedAmzHeaders {
    /// Refuse them (the default): AWS documents that every `x-amz-*` header
    /// sent is signed, and an unsigned one may change what the request does.
    Refuse,
    /// Let them through, for a service whose callers add `x-amz-*` headers
    /// that mean nothing to it.
    Allow,
}

/// Whether `name` is an `x-amz-*` header, in any case.
fn is_amz_header(name: &str) -> bool {
    name.get(..6)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("x-amz-"))
}

/// Matches the headers sent against `SignedHeaders` (checked: sorted,
/// lower-case, no repeats) in one sort, so that the cost is `n log n` in the
/// number of headers however many are named: the values of each signed
/// header but host, in signed order, repeats in the order sent. With
/// `refuse_unsigned`, an `x-amz-*` header sent but not signed is an error.
fn signed_header_values<'a>(
    signed: &str,
    sent: &[(&'a str, &'a str)],
    refuse_unsigned: bool,
) -> Result<SignedHeaderValues<'a>, VerifyError> {
    let mut names = crate::canonical::SmallList::<&str, 8>::new();
    for name in signed.split(';').filter(|n| *n != "host") {
        names.push(name);
    }
    let names = names.as_slice();
    // (index in `names`, index in `sent`) of each signed header sent.
    let mut matched = crate::canonical::SmallList::<(usize, usize), 8>::new();
    let mut unsigned = Vec::new();
    for (at, (name, _)) in sent.iter().enumerate() {
        if name.eq_ignore_ascii_case("host") {
            continue;
        }
        match names.binary_search_by(|probe| crate::canonical::cmp_lowercase(probe, name)) {
            Ok(index) => matched.push((index, at)),
            Err(_) if refuse_unsigned && is_amz_header(name) => {
                unsigned.push(name.to_ascii_lowercase());
            }
            Err(_) => {}
        }
    }
    if !unsigned.is_empty() {
        unsigned.sort_unstable();
        unsigned.dedup();
        return Err(VerifyError::UnsignedHeaders { names: unsigned });
    }
    matched.as_mut_slice().sort_unstable();
    let mut out = SignedHeaderValues::new();
    // The next name that has yet to be seen: the sorted pairs name each
    // index once or more, in order, when every signed header was sent.
    let mut next = 0;
    for &(index, at) in matched.as_slice() {
        if index > next {
            break;
        }
        next = index + 1;
        out.push(sent[at]);
    }
    match names.get(next) {
        Some(missing) => Err(VerifyError::SignedHeaderNotSent {
            name: missing.to_string(),
        }),
        None => Ok(out),
    }
}

/// The payload hash of a presigned URL: S3 signs `UNSIGNED-PAYLOAD`; every
/// other service the hash of the body, which the caller must hand over.
fn presigned_payload_hash(
    service: &str,
    payload: Option<Payload<'_>>,
) -> Result<PayloadHash, VerifyError> {
    if service == "s3" {
        return Ok(PayloadHash::Unsigned);
    }
    match payload {
        Some(payload) => Ok(PayloadHash::of(payload)?),
        None => Err(VerifyError::PayloadRequired {
            service: service.to_string(),
        }),
    }
}

fn parse_amz_date(text: &str) -> Result<(AmzDate, SigningTime), VerifyError> {
    AmzDate::parse(text).map_err(|_| VerifyError::MalformedDate)
}

impl<'a> Received<'a> {
    /// Reads a presigned URL's authentication parameters. `payload` is the
    /// body received; `unsigned` says what to do with `x-amz-*` headers sent
    /// but not signed, for services other than S3.
    pub fn presigned(
        method: &'a str,
        url: &'a str,
        headers: &[(&'a str, &'a str)],
        payload: Option<Payload<'_>>,
        unsigned: UnsignedAmzHeaders,
    ) -> Result<Received<'a>, VerifyError> {
        let parts = parse_url(url)?;
        let host = signed_host(headers, &parts)?;
        let scan = scan_query(parts.query, true)?;
        let [algorithm, credential, date, expires, token, signed_headers, signature] = scan.auth;
        let algorithm = algorithm.ok_or(VerifyError::Missing("X-Amz-Algorithm"))?;
        if algorithm != ALGORITHM {
            return Err(VerifyError::UnsupportedAlgorithm);
        }
        let credential = credential.ok_or(VerifyError::Missing("X-Amz-Credential"))?;
        // One String for the credential and, after it, the signed headers.
        let mut text = String::with_capacity(credential.len() + signed_headers.map_or(0, str::len));
        push_decoded(&mut text, credential);
        let mut credential = CredentialParts::parse(text)?;
        let (amz_date, signed_at) =
            parse_amz_date(&decoded(date.ok_or(VerifyError::Missing("X-Amz-Date"))?))?;
        if amz_date.date() != credential.date() {
            return Err(VerifyError::CredentialDateMismatch);
        }
        let expires = expires.ok_or(VerifyError::Missing("X-Amz-Expires"))?;
        let expires_in = (!expires.is_empty()
            && expires.len() <= 19
            && expires.bytes().all(|b| b.is_ascii_digit()))
        .then(|| expires.parse::<u64>().ok())
        .flatten()
        .ok_or(VerifyError::InvalidExpires)?;
        let signed_headers_at = credential.text.len();
        push_decoded(
            &mut credential.text,
            signed_headers.ok_or(VerifyError::Missing("X-Amz-SignedHeaders"))?,
        );
        let signed_headers = &credential.text[signed_headers_at..];
        check_signed_headers(signed_headers)?;
        let refuse_unsigned =
            credential.service() == "s3" || unsigned == UnsignedAmzHeaders::Refuse;
        let header_values = signed_header_values(signed_headers, headers, refuse_unsigned)?;
        let signature = signature.ok_or(VerifyError::Missing("X-Amz-Signature"))?;
        let payload_hash = presigned_payload_hash(credential.service(), payload)?;
        Ok(Received {
            method,
            host,
            parts,
            presigned: true,
            credential,
            amz_date,
            signed_at,
            expires_in: Some(expires_in),
            signed_headers_at,
            headers: header_values,
            token: token.map(decoded),
            signature,
            payload_hash,
            canonical_query: scan.canonical,
        })
    }

    /// Reads a header-signed request's `Authorization` and `X-Amz-*` headers.
    pub fn authorized(
        method: &'a str,
        url: &'a str,
        headers: &[(&'a str, &'a str)],
        payload: Option<Payload<'_>>,
        unsigned: UnsignedAmzHeaders,
    ) -> Result<Received<'a>, VerifyError> {
        let parts = parse_url(url)?;
        let host = signed_host(headers, &parts)?;
        let mut authorization = None;
        let mut amz_date = None;
        for (name, value) in headers {
            let slot = if name.eq_ignore_ascii_case("authorization") {
                (&mut authorization, "Authorization")
            } else if name.eq_ignore_ascii_case("x-amz-date") {
                (&mut amz_date, "X-Amz-Date")
            } else {
                continue;
            };
            if slot.0.replace(*value).is_some() {
                return Err(VerifyError::Duplicate(slot.1));
            }
        }
        let authorization = authorization.ok_or(VerifyError::Missing("Authorization"))?;
        let rest = authorization
            .strip_prefix(ALGORITHM)
            .filter(|r| r.starts_with(' '))
            .ok_or(VerifyError::UnsupportedAlgorithm)?;
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for field in rest.split(',') {
            let field = field.trim();
            let (slot, name) = if let Some(v) = field.strip_prefix("Credential=") {
                ((&mut credential, v), "Credential")
            } else if let Some(v) = field.strip_prefix("SignedHeaders=") {
                ((&mut signed_headers, v), "SignedHeaders")
            } else if let Some(v) = field.strip_prefix("Signature=") {
                ((&mut signature, v), "Signature")
            } else {
                return Err(VerifyError::MalformedAuthorization {
                    reason: "a field is not Credential=, SignedHeaders= or Signature=",
                });
            };
            if slot.0.replace(slot.1).is_some() {
                return Err(VerifyError::Duplicate(name));
            }
        }
        let credential = credential.ok_or(VerifyError::Missing("Credential"))?;
        let mut text = String::with_capacity(credential.len() + signed_headers.map_or(0, str::len));
        text.push_str(credential);
        let mut credential = CredentialParts::parse(text)?;
        let (amz_date, signed_at) =
            parse_amz_date(amz_date.ok_or(VerifyError::Missing("X-Amz-Date"))?)?;
        if amz_date.date() != credential.date() {
            return Err(VerifyError::CredentialDateMismatch);
        }
        let signed_headers_at = credential.text.len();
        credential
            .text
            .push_str(signed_headers.ok_or(VerifyError::Missing("SignedHeaders"))?);
        let signed_headers = &credential.text[signed_headers_at..];
        check_signed_headers(signed_headers)?;
        let refuse_unsigned =
            credential.service() == "s3" || unsigned == UnsignedAmzHeaders::Refuse;
        let header_values = signed_header_values(signed_headers, headers, refuse_unsigned)?;
        let signature = signature.ok_or(VerifyError::Missing("Signature"))?;
        let payload_hash = authorized_payload_hash(
            find_header(headers, "x-amz-content-sha256"),
            payload,
            credential.service(),
        )?;
        Ok(Received {
            method,
            host,
            parts,
            presigned: false,
            credential,
            amz_date,
            signed_at,
            expires_in: None,
            signed_headers_at,
            headers: header_values,
            token: find_header(headers, "x-amz-security-token").map(alloc::borrow::Cow::Borrowed),
            signature,
            payload_hash,
            canonical_query: scan_query(parts.query, false)?.canonical,
        })
    }

    pub fn scope(&self) -> Result<Scope, VerifyError> {
        Ok(Scope::new(
            self.credential.region(),
            self.credential.service(),
        )?)
    }

    /// The canonical form, built by the signer's own code: the path and
    /// query as received (`X-Amz-Signature` left out), the signed headers.
    /// With `raw_query` the query is left out, to be hashed as received.
    fn canonical(&'a self, raw_query: bool) -> Result<Canonical<'a>, VerifyError> {
        let settings = Settings::for_service(self.credential.service());
        // The host checked is the signed one (the `Host` header sent, else
        // the URL's, which `parse_url` has checked already).
        let mut request = Request::new(self.method, self.host, self.parts.path)
            .with_headers(self.headers.as_slice());
        if !raw_query {
            request = request.with_query(self.parts.query);
        }
        request.skip_signature = self.presigned;
        request.validate()?;
        Ok(Canonical::new(
            &request,
            settings.uri_encoding,
            settings.normalize_path,
            &[("host", b"", self.host.as_bytes())],
            &self.payload_hash,
            false,
        )?)
    }

    /// The received path and query, when both are already canonical (S3's
    /// single encoding, a canonical query), so that they are hashed as
    /// received: the same bytes the signer's writers would produce.
    fn raw_uri_and_query(&self) -> Option<(&'a [u8], &'a [u8])> {
        let query = self.canonical_query?;
        let settings = Settings::for_service(self.credential.service());
        let path = self.parts.path.as_bytes();
        let raw = settings.uri_encoding == crate::canonical::UriEncoding::Single
            && !settings.normalize_path
            && crate::canonical::is_recoded_form(path, true);
        raw.then_some((path, query.as_bytes()))
    }

    /// Writes the canonical request into `sink`.
    fn write_canonical<S: crate::encoding::Sink>(
        &'a self,
        sink: &mut S,
    ) -> Result<(), VerifyError> {
        match self.raw_uri_and_query() {
            Some(raw) => self.canonical(true)?.write(None, Some(raw), sink),
            None => self.canonical(false)?.write(None, None, sink),
        }
        Ok(())
    }

    /// Hex SHA-256 of the canonical request.
    pub fn request_hash(&'a self) -> Result<[u8; 64], VerifyError> {
        let mut hasher = Sha256::new();
        self.write_canonical(&mut hasher)?;
        Ok(hex32(&hasher.finish()))
    }

    /// The canonical request and string to sign as text.
    pub fn texts(&'a self) -> Result<(String, String), VerifyError> {
        let mut creq = Vec::new();
        self.write_canonical(&mut creq)?;
        let hash = hex32(&Sha256::digest(&creq));
        let mut sts = Vec::new();
        write_string_to_sign(&mut sts, &self.amz_date, &self.scope()?, &hash);
        Ok((
            String::from_utf8_lossy(&creq).into_owned(),
            String::from_utf8_lossy(&sts).into_owned(),
        ))
    }

    /// The signature as raw bytes, if it is 64 lower-case hex digits.
    pub fn signature_bytes(&self) -> Result<[u8; 32], VerifyError> {
        signature_from_hex(self.signature.as_bytes())
    }
}

/// 64 lower-case hex digits as 32 bytes.
fn signature_from_hex(hex: &[u8]) -> Result<[u8; 32], VerifyError> {
    if hex.len() != 64 {
        return Err(VerifyError::MalformedSignature);
    }
    let nibble = |b: u8| LOWER_HEX_VALUE[usize::from(b)];
    let mut out = [0u8; 32];
    let mut bad = 0u8;
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let (hi, lo) = (nibble(pair[0]), nibble(pair[1]));
        bad |= (hi | lo) & 0x10;
        *byte = (hi & 15) << 4 | (lo & 15);
    }
    if bad != 0 {
        return Err(VerifyError::MalformedSignature);
    }
    Ok(out)
}

use crate::key::constant_time_eq;

/// The value of each lower-case hex digit; 16 (bit 4 set) for any other byte.
static LOWER_HEX_VALUE: [u8; 256] = {
    let mut table = [16u8; 256];
    let mut d = 0;
    while d < 10 {
        table[b'0' as usize + d] = d as u8;
        d += 1;
    }
    let mut l = 0;
    while l < 6 {
        table[b'a' as usize + l] = 10 + l as u8;
        l += 1;
    }
    table
};

/// A cached signing key and what it was derived for: key id, SHA-256 of
/// the secret (so a rotated secret never meets an old key), date, scope.
#[cfg(feature = "std")]
type KeySlot = (String, [u8; 32], [u8; 8], Scope, SigningKey);

/// Keeps the signing keys of recent (key id, secret, date, scope) tuples.
/// A key enters only after it verified a signature, so unauthenticated
/// requests cannot churn it.
#[derive(Default)]
struct VerifierKeys {
    #[cfg(feature = "std")]
    slots: std::sync::RwLock<Vec<KeySlot>>,
}

impl VerifierKeys {
    #[cfg(feature = "std")]
    const CAPACITY: usize = 16;

    /// The cached key, or a fresh derivation and whether it must be kept
    /// once it has verified.
    fn get(
        &self,
        key_id: &str,
        creds: &Credentials,
        amz_date: &AmzDate,
        scope: &Scope,
    ) -> (SigningKey, bool) {
        #[cfg(feature = "std")]
        {
            let digest = creds.secret_digest();
            let date = amz_date.date().as_bytes();
            if let Ok(slots) = self.slots.read() {
                let hit = slots.iter().find(|(k, sec, d, s, _)| {
                    k == key_id && constant_time_eq(sec, digest) && d == date && s == scope
                });
                if let Some((_, _, _, _, key)) = hit {
                    return (key.clone(), false);
                }
            }
        }
        let _ = key_id;
        (
            SigningKey::derive(creds.secret_access_key(), amz_date, scope),
            true,
        )
    }

    /// Keeps a key that has just verified a signature.
    fn keep(
        &self,
        key_id: &str,
        creds: &Credentials,
        amz_date: &AmzDate,
        scope: &Scope,
        key: &SigningKey,
    ) {
        #[cfg(feature = "std")]
        if let Ok(mut slots) = self.slots.write() {
            if slots.len() >= Self::CAPACITY {
                slots.remove(0);
            }
            let mut d = [0u8; 8];
            d.copy_from_slice(amz_date.date().as_bytes());
            let digest = *creds.secret_digest();
            slots.push((key_id.to_string(), digest, d, scope.clone(), key.clone()));
        }
        #[cfg(not(feature = "std"))]
        let _ = (key_id, creds, amz_date, scope, key);
    }
}

/// Checks presigned URLs and header-signed requests.
pub struct Verifier<F> {
    lookup: F,
    /// Accepted (region, service) pairs; `None` accepts any.
    accepted: Vec<(Option<String>, Option<String>)>,
    /// The scopes of the exact (region, service) pairs, made once so that
    /// verifying does not build one per request.
    accepted_scopes: Vec<Scope>,
    accept_any: bool,
    /// The hosts served; empty: any host.
    hosts: Vec<String>,
    unsigned: UnsignedAmzHeaders,
    max_skew: u64,
    max_expires: u64,
    keys: VerifierKeys,
}

impl<F> fmt::Debug for Verifier<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("accepted", &self.accepted)
            .field("accept_any", &self.accept_any)
            .field("hosts", &self.hosts)
            .field("unsigned", &self.unsigned)
            .field("max_skew", &self.max_skew)
            .field("max_expires", &self.max_expires)
            .finish()
    }
}

impl<F> Verifier<F> {
    /// A verifier that finds credentials (the secret and, for temporary
    /// credentials, the session token to require) by access key id.
    ///
    /// `lookup` may hand back owned [`Credentials`] or anything that borrows
    /// as them (`&Credentials` from a static table, `Arc<Credentials>`), so
    /// that verifying need not copy the secret.
    ///
    /// ```
    /// use std::{collections::HashMap, sync::Arc};
    /// use sigv4::{s3::{S3Presigner, S3Request}, verify::Verifier, Credentials, SigningTime};
    ///
    /// let creds = Arc::new(Credentials::new("AKIDEXAMPLE", "secret")?);
    /// let store = HashMap::from([("AKIDEXAMPLE".to_string(), Arc::clone(&creds))]);
    /// let verifier = Verifier::new(move |id: &str| store.get(id).cloned()).accept("eu-west-1", "s3");
    ///
    /// let at = SigningTime::from_unix_seconds(1_700_000_000)?;
    /// let url = S3Presigner::new((*creds).clone(), "eu-west-1")?
    ///     .presign(&S3Request::get("bucket", "key"), at)?;
    /// assert!(verifier.verify_presigned("GET", url.as_str(), &[], None, at).is_ok());
    /// assert!(verifier.verify_presigned("PUT", url.as_str(), &[], None, at).is_err());
    /// # Ok::<(), sigv4::Error>(())
    /// ```
    pub fn new<C>(lookup: F) -> Self
    where
        F: Fn(&str) -> Option<C>,
        C: core::borrow::Borrow<Credentials>,
    {
        Verifier {
            lookup,
            accepted: Vec::new(),
            accepted_scopes: Vec::new(),
            accept_any: false,
            hosts: Vec::new(),
            unsigned: UnsignedAmzHeaders::Refuse,
            max_skew: DEFAULT_MAX_SKEW,
            max_expires: MAX_EXPIRES,
            keys: VerifierKeys::default(),
        }
    }

    /// Accepts requests signed for `region` and `service` (call it for each
    /// pair to accept). With none accepted, every request is refused.
    pub fn accept(mut self, region: &str, service: &str) -> Self {
        self.accepted
            .push((Some(region.to_string()), Some(service.to_string())));
        // A name that is not a valid scope never matches a parsed credential.
        if let Ok(scope) = Scope::new(region, service) {
            self.accepted_scopes.push(scope);
        }
        self
    }

    /// Accepts requests signed for `service` in any region.
    pub fn accept_any_region(mut self, service: &str) -> Self {
        self.accepted.push((None, Some(service.to_string())));
        self
    }

    /// Accepts requests signed in `region` for any service (for tools that
    /// check signatures of one region).
    pub fn accept_any_service(mut self, region: &str) -> Self {
        self.accepted.push((Some(region.to_string()), None));
        self
    }

    /// Accepts any region and service (for tools that only check signatures).
    pub fn accept_any_scope(mut self) -> Self {
        self.accept_any = true;
        self
    }

    /// Serves `host` (a host name, with its port when it is not the
    /// scheme's default): once one is given, a request signed for any other
    /// host is refused. Call it for each host served. The comparison ignores
    /// ASCII case.
    ///
    /// ```
    /// # use sigv4::{s3::{S3Presigner, S3Request}, verify::{Verifier, VerifyError}, Credentials, SigningTime};
    /// let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
    /// let at = SigningTime::from_unix_seconds(1_700_000_000)?;
    /// let url = S3Presigner::new(creds.clone(), "eu-west-1")?.presign(&S3Request::get("bucket", "k"), at)?;
    /// let verifier = Verifier::new(|_: &str| Some(creds.clone())).accept("eu-west-1", "s3");
    /// let ours = verifier.accept_host("uploads.example.com");
    /// assert!(matches!(
    ///     ours.verify_presigned("GET", url.as_str(), &[], None, at),
    ///     Err(VerifyError::HostNotAccepted { .. })
    /// ));
    /// # Ok::<(), sigv4::Error>(())
    /// ```
    pub fn accept_host(mut self, host: &str) -> Self {
        self.hosts.push(host.to_string());
        self
    }

    /// What to do with `x-amz-*` headers sent but not signed, for services
    /// other than S3 (default [`UnsignedAmzHeaders::Refuse`]). S3 requests
    /// always refuse them, as S3 does.
    pub fn unsigned_amz_headers(mut self, rule: UnsignedAmzHeaders) -> Self {
        self.unsigned = rule;
        self
    }

    /// Sets the allowed clock skew in seconds (default 900).
    pub fn max_skew(mut self, seconds: u64) -> Self {
        self.max_skew = seconds;
        self
    }

    /// Sets the longest accepted `X-Amz-Expires` (default 604 800).
    pub fn max_expires(mut self, seconds: u64) -> Self {
        self.max_expires = seconds;
        self
    }

    /// Verifies a presigned URL received with `method`, the `headers` the
    /// client sent and the body received, at `now`.
    ///
    /// `payload` is the body (or its SHA-256): S3 URLs sign
    /// `UNSIGNED-PAYLOAD` and ignore it, but every other service signs the
    /// body's hash, and there `None` is refused
    /// ([`VerifyError::PayloadRequired`]); pass [`Payload::Empty`] for a
    /// request that came without a body.
    pub fn verify_presigned<C: core::borrow::Borrow<Credentials>>(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        payload: Option<Payload<'_>>,
        now: SigningTime,
    ) -> Result<Verified, VerifyError>
    where
        F: Fn(&str) -> Option<C>,
    {
        self.check(
            Received::presigned(method, url, headers, payload, self.unsigned)?,
            now,
        )
    }

    /// Verifies a request signed with an `Authorization` header. `payload` is
    /// the body when the caller has it (checked against
    /// `x-amz-content-sha256` when that header was sent).
    pub fn verify_authorization<C: core::borrow::Borrow<Credentials>>(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        payload: Option<Payload<'_>>,
        now: SigningTime,
    ) -> Result<Verified, VerifyError>
    where
        F: Fn(&str) -> Option<C>,
    {
        self.check(
            Received::authorized(method, url, headers, payload, self.unsigned)?,
            now,
        )
    }

    fn check<C: core::borrow::Borrow<Credentials>>(
        &self,
        r: Received<'_>,
        now: SigningTime,
    ) -> Result<Verified, VerifyError>
    where
        F: Fn(&str) -> Option<C>,
    {
        let (region, service) = (r.credential.region(), r.credential.service());
        let accepted = self.accept_any
            || self
                .accepted
                .iter()
                .any(|(accepted_region, accepted_service)| {
                    accepted_region.as_ref().map_or(true, |reg| reg == region)
                        && accepted_service.as_ref().map_or(true, |svc| svc == service)
                });
        if !accepted {
            return Err(VerifyError::ScopeNotAccepted {
                region: region.to_string(),
                service: service.to_string(),
            });
        }
        if !self.hosts.is_empty() && !self.hosts.iter().any(|h| h.eq_ignore_ascii_case(r.host)) {
            return Err(VerifyError::HostNotAccepted {
                host: r.host.to_string(),
            });
        }
        let now_s = now.unix_seconds();
        let signed_s = r.signed_at.unix_seconds();
        let skew = i64::try_from(self.max_skew).unwrap_or(i64::MAX);
        let expires_at = match r.expires_in {
            Some(expires_in) => {
                if expires_in == 0 || expires_in > self.max_expires {
                    return Err(VerifyError::InvalidExpires);
                }
                let expires_at = r
                    .signed_at
                    .checked_add(expires_in)
                    .ok_or(VerifyError::InvalidExpires)?;
                if now_s > expires_at.unix_seconds() {
                    return Err(VerifyError::Expired {
                        expired_at: expires_at,
                    });
                }
                if signed_s > now_s.saturating_add(skew) {
                    return Err(VerifyError::NotYetValid {
                        signed_at: r.signed_at,
                    });
                }
                Some(expires_at)
            }
            None => {
                if signed_s.abs_diff(now_s) > self.max_skew {
                    return Err(VerifyError::ClockSkew {
                        signed_at: r.signed_at,
                    });
                }
                None
            }
        };
        let found =
            (self.lookup)(r.credential.key()).ok_or_else(|| VerifyError::UnknownAccessKey {
                access_key_id: r.credential.key().to_string(),
            })?;
        let creds: &Credentials = found.borrow();
        if let Some(expired_at) = creds.expires_at() {
            if now >= expired_at || r.signed_at >= expired_at {
                return Err(VerifyError::CredentialsExpired { expired_at });
            }
        }
        if let Some(expected) = creds.session_token() {
            let sent = r.token.as_deref().ok_or(VerifyError::SessionTokenMissing)?;
            if !constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
                return Err(VerifyError::SessionTokenMismatch);
            }
        }
        let provided = r.signature_bytes()?;
        let known = self
            .accepted_scopes
            .iter()
            .find(|s| s.region() == region && s.service() == service);
        let scope = match known {
            Some(scope) => alloc::borrow::Cow::Borrowed(scope),
            None => alloc::borrow::Cow::Owned(r.scope()?),
        };
        let request_hash = r.request_hash()?;
        let (key, fresh) = self
            .keys
            .get(r.credential.key(), creds, &r.amz_date, &scope);
        if !key.verify(&r.amz_date, &scope, &request_hash, &provided) {
            let (canonical_request, string_to_sign) = r.texts()?;
            return Err(VerifyError::SignatureMismatch {
                canonical_request,
                string_to_sign,
            });
        }
        if fresh {
            self.keys
                .keep(r.credential.key(), creds, &r.amz_date, &scope, &key);
        }
        Ok(Verified {
            credential: r.credential,
            signed_headers_at: r.signed_headers_at,
            signed_at: r.signed_at,
            expires_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_credential(text: &str) -> Result<CredentialParts, VerifyError> {
        CredentialParts::parse(text.to_string())
    }

    #[test]
    fn credentials_parse_strictly() {
        let c = parse_credential("AKID/20130524/us-east-1/s3/aws4_request").unwrap();
        assert_eq!(
            (c.key(), c.date(), c.region(), c.service()),
            ("AKID", "20130524", "us-east-1", "s3")
        );
        for bad in [
            "AKID/20130524/us-east-1/s3",
            "/20130524/us-east-1/s3/aws4_request",
            "AKID/2013052/us-east-1/s3/aws4_request",
            "AKID/20130524/US/s3/aws4_request",
            "AKID/20130524/us-east-1/s3/aws4_requesT",
            "AKID/20130524/us-east-1/s3/x/aws4_request",
        ] {
            assert_eq!(
                parse_credential(bad),
                Err(VerifyError::MalformedCredential),
                "{bad}"
            );
        }
    }

    const AUTH: [(&str, &str); 5] = [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        (
            "X-Amz-Credential",
            "AKID%2F20130524%2Fus-east-1%2Fs3%2Faws4_request",
        ),
        ("X-Amz-Date", "20130524T000000Z"),
        ("X-Amz-Expires", "86400"),
        ("X-Amz-SignedHeaders", "host"),
    ];
    const SIGNATURE_PAIR: &str =
        "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

    /// The canonical request as the generic writer (query taken apart and
    /// written again) makes it, as verification makes it, and whether
    /// verification hashed the query as received.
    struct BothWays {
        generic: Result<Vec<u8>, VerifyError>,
        used: Vec<u8>,
        raw: bool,
    }

    fn both_ways(url: &str) -> Option<BothWays> {
        let r = Received::presigned("GET", url, &[], None, UnsignedAmzHeaders::Refuse).ok()?;
        let mut generic = Vec::new();
        let generic = r
            .canonical(false)
            .map(|c| c.write(None, None, &mut generic))
            .map(|()| generic);
        let mut used = Vec::new();
        let used = r.write_canonical(&mut used).map(|()| used);
        // Both fail alike, or both succeed.
        assert_eq!(generic.is_ok(), used.is_ok(), "{url}");
        Some(BothWays {
            generic,
            used: used.unwrap_or_default(),
            raw: r.raw_uri_and_query().is_some(),
        })
    }

    #[test]
    fn presigned_urls_from_this_signer_are_hashed_as_received() {
        let creds = Credentials::new("AKID", "secret").unwrap();
        let time = SigningTime::from_unix_seconds(1_369_353_600).unwrap();
        let versioned = crate::s3::S3Request::get("bucket", "a b/c~d+é.txt").version_id("v 1");
        let url = crate::s3::S3Presigner::new(creds, "us-east-1")
            .unwrap()
            .presign(&versioned, time)
            .unwrap()
            .into_string();
        let both = both_ways(&url).unwrap();
        assert!(both.raw, "the common case must take the raw path");
        assert_eq!(both.generic.unwrap(), both.used);
        // Out of order, lower-case escapes, `+`: taken apart instead.
        for bad_query in ["b=1&a=1", "a=%2f", "a=x+y", "a", "a=1&&b=2", "a=1&"] {
            let url = alloc::format!(
                "https://b.s3.amazonaws.com/k?{bad_query}&{}&{SIGNATURE_PAIR}",
                AUTH.map(|(n, v)| alloc::format!("{n}={v}")).join("&")
            );
            assert!(!both_ways(&url).unwrap().raw, "{bad_query}");
        }
    }

    /// Strings of up to four atoms: plain bytes, escapes canonical or not.
    fn atoms(
        choices: &'static [&'static str],
    ) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(proptest::sample::select(choices), 0..5).prop_map(|a| a.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]
        #[test]
        fn raw_and_rebuilt_canonical_requests_agree(
            path in atoms(&["a", "Z", "/", "~", ".", "%20", "%E1", "a", "Z", "/", "~", ".", "%20", "%E1", "%2F", "%2f", "%41", "%e1%88%b4", " ", "+", "%"]),
            params in proptest::collection::vec((
                atoms(&["a", "b", "X", "0", "~", "%20", "%2F", "a", "b", "X", "0", "~", "%20", "%2F", "%3d", "%41", "+", "%"]),
                atoms(&["1", "a", "~", "%20", "%2F", "1", "a", "~", "%20", "%2F", "%2f", "=", "/", "%7E", "+"]),
                proptest::bool::weighted(0.9),
            ), 0..4),
            sort in proptest::bool::weighted(0.7),
            signature_at in 0usize..30,
        ) {
            let path = alloc::format!("/{path}");
            let mut pairs: Vec<alloc::string::String> = params.iter()
                .map(|(n, v, eq)| if *eq { alloc::format!("{n}={v}") } else { n.clone() })
                .chain(AUTH.iter().map(|(n, v)| alloc::format!("{n}={v}")))
                .collect();
            if sort {
                pairs.sort_by(|a, b| {
                    let split = |p: &str| { let (n, v) = p.split_once('=').unwrap_or((p, "")); (n.to_string(), v.to_string()) };
                    split(a).cmp(&split(b))
                });
            }
            // Mostly last, as signers put it; sometimes elsewhere.
            pairs.insert(signature_at.min(pairs.len()), SIGNATURE_PAIR.into());
            let url = alloc::format!("https://b.s3.amazonaws.com{path}?{}", pairs.join("&"));
            if let Some(BothWays { generic: Ok(generic), used, .. }) = both_ways(&url) {
                proptest::prop_assert_eq!(generic, used, "{}", url);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn push_decoded_is_decoded(
            pieces in proptest::collection::vec(proptest::sample::select(
                &["a", "%2F", "%3b", "%", "%4", "%zz", "é", "%C3", "%A9", "%C3%A9", "%FF", "/"][..]), 0..8),
            prefix in "[a-z]{0,3}",
        ) {
            let value: String = pieces.concat();
            let mut out = prefix.clone();
            push_decoded(&mut out, &value);
            proptest::prop_assert_eq!(out, alloc::format!("{prefix}{}", decoded(&value)));
        }
    }

    #[test]
    fn signatures_are_64_lower_case_hex_digits() {
        let digest: [u8; 32] = core::array::from_fn(|i| (i as u8).wrapping_mul(73));
        assert_eq!(signature_from_hex(&hex32(&digest)), Ok(digest));
        for b in 0..=255u8 {
            let mut hex = *b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
            hex[17] = b;
            let lower_hex = b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
            assert_eq!(signature_from_hex(&hex).is_ok(), lower_hex, "byte {b}");
        }
        assert!(signature_from_hex(&[b'0'; 63]).is_err());
    }

    #[test]
    fn signed_headers_must_be_canonical() {
        assert!(check_signed_headers("content-type;host").is_ok());
        assert_eq!(
            check_signed_headers("host;content-type"),
            Err(VerifyError::SignedHeadersNotCanonical)
        );
        assert_eq!(
            check_signed_headers("Host"),
            Err(VerifyError::SignedHeadersNotCanonical)
        );
        assert_eq!(
            check_signed_headers("host;host"),
            Err(VerifyError::SignedHeadersNotCanonical)
        );
        assert_eq!(check_signed_headers("x-a"), Err(VerifyError::HostNotSigned));
    }
}
