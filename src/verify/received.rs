//! Reading what was received: the authentication parameters of a presigned
//! URL or an `Authorization` header, and the canonical request they imply,
//! written by the signer's own code.

// `ok_or(VerifyError::..)` builds an error on every success and runs its
// drop glue (some variants hold Strings): the lazy form costs nothing then.
#![allow(clippy::unnecessary_lazy_evaluations)]

use super::*;
use crate::canonical::RequestHash;
use crate::canonical::{AuthParam, Canonical, PayloadHash};
use crate::encoding::decode;
use crate::key::ReceivedSignature;
use crate::request::parse_url;
use crate::request::{Payload, Request};
use crate::scope::{AmzDate, Scope, SigningTime};
use crate::settings::UriEncoding;
use crate::settings::{PathNormalization, Settings};
use crate::string_to_sign::{Algorithm, StringToSign};
use alloc::string::String;
use alloc::vec::Vec;
use sha2::{Digest, Sha256};

/// A credential `KEY/YYYYMMDD/region/service/aws4_request`, decoded, with
/// the positions of its parts: one allocation for all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CredentialParts {
    pub(super) text: String,
    /// Ends of the key, date, region and service, in `text`.
    ends: [usize; 4],
}

impl CredentialParts {
    /// Splits and checks a decoded credential; a SigV4a one (`region_less`)
    /// is `KEY/YYYYMMDD/service/aws4_request`, its region empty.
    pub(crate) fn parse(text: String, region_less: bool) -> Result<CredentialParts, VerifyError> {
        let mut ends = [0usize; 4];
        let mut from = 0;
        let parts = if region_less { 3 } else { 4 };
        for end in &mut ends[..parts] {
            let slash = text[from..]
                .bytes()
                .position(|b| b == b'/')
                .ok_or_else(|| VerifyError::MalformedCredential)?;
            *end = from + slash;
            from = *end + 1;
        }
        if region_less {
            // No region: it ends where it starts, just after the date.
            ends = [ends[0], ends[1], ends[1], ends[2]];
        }
        let parts = CredentialParts { text, ends };
        let ok = !parts.key().is_empty()
            && parts.date().len() == 8
            && parts.date().bytes().all(|b| b.is_ascii_digit())
            && (region_less || crate::scope::is_scope_name(parts.region()))
            && crate::scope::is_scope_name(parts.service())
            && &parts.text[from..] == "aws4_request";
        if ok {
            Ok(parts)
        } else {
            Err(VerifyError::MalformedCredential)
        }
    }

    pub(crate) fn key(&self) -> &str {
        &self.text[..self.ends[0]]
    }

    pub(crate) fn date(&self) -> &str {
        &self.text[self.ends[0] + 1..self.ends[1]]
    }

    /// The region; empty in a SigV4a credential.
    pub(crate) fn region(&self) -> &str {
        self.text
            .get(self.ends[1] + 1..self.ends[2])
            .unwrap_or_default()
    }

    pub(crate) fn service(&self) -> &str {
        &self.text[self.ends[2] + 1..self.ends[3]]
    }
}

/// The authentication data read from a received request.
pub(crate) struct Received<'a> {
    /// The algorithm named.
    pub algorithm: Algorithm,
    pub method: &'a str,
    pub parts: crate::request::UrlParts<'a>,
    /// The host that was signed: the URL's authority, default port dropped.
    pub host: alloc::borrow::Cow<'a, str>,
    /// Where the signature travelled.
    pub carried: Carried,
    pub credential: CredentialParts,
    pub amz_date: AmzDate,
    pub signed_at: SigningTime,
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
    /// The session token travelled unsigned, added after signing (the
    /// service's settings say so: AWS IoT), and is left out of the hash.
    pub token_unsigned: bool,
    /// SigV4a's `X-Amz-Region-Set`, read; `None` for SigV4.
    #[cfg_attr(not(feature = "sigv4a"), allow(dead_code))]
    pub region_set: Option<RegionSetReceived>,
    /// The settings the request was signed with: the service's defaults,
    /// or what the verifier was told (`Verifier::settings_for`).
    pub settings: Settings,
}

/// A received SigV4a region set, normalized to check it against the
/// accepted regions (the signature covers the bytes as sent).
#[cfg(feature = "sigv4a")]
pub(crate) type RegionSetReceived = crate::sigv4a::RegionSet;
/// Without the `sigv4a` feature no region set is ever read.
#[cfg(not(feature = "sigv4a"))]
pub(crate) type RegionSetReceived = core::convert::Infallible;

/// The algorithm a received `X-Amz-Algorithm` (or `Authorization` prefix)
/// names: SigV4, or SigV4a with its feature.
fn read_algorithm(name: &str) -> Result<Algorithm, VerifyError> {
    match Algorithm::from_name(name) {
        Some(Algorithm::HmacSha256) => Ok(Algorithm::HmacSha256),
        #[cfg(feature = "sigv4a")]
        Some(Algorithm::EcdsaP256Sha256) => Ok(Algorithm::EcdsaP256Sha256),
        _ => Err(VerifyError::UnsupportedAlgorithm),
    }
}

/// Reads a received region set: required in SigV4a, unread in SigV4. A
/// query parameter is percent-decoded; a header is taken as sent (a `%`
/// there is refused: AWS reads no escapes in a header).
fn read_region_set(
    sigv4a: bool,
    value: Option<&str>,
    carried: Claimed,
) -> Result<Option<RegionSetReceived>, VerifyError> {
    if !sigv4a {
        return Ok(None);
    }
    let value = value.ok_or_else(|| {
        VerifyError::Missing(match carried {
            Claimed::Query => "X-Amz-Region-Set",
            Claimed::Header => "x-amz-region-set",
        })
    })?;
    #[cfg(feature = "sigv4a")]
    {
        let text = match carried {
            Claimed::Query => decoded(value),
            Claimed::Header => alloc::borrow::Cow::Borrowed(value),
        };
        Ok(Some(crate::sigv4a::RegionSet::parse(&text)?))
    }
    #[cfg(not(feature = "sigv4a"))]
    {
        let _ = value;
        Err(VerifyError::UnsupportedAlgorithm)
    }
}

/// Where a received signature travelled, with what only that form carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Carried {
    /// In the query (`X-Amz-Signature`): a presigned URL, valid for
    /// `X-Amz-Expires` seconds.
    Query {
        /// `X-Amz-Expires`; `None` for a URL presigned without one, which
        /// only a service whose settings allow it accepts (within the skew).
        expires_in: Option<u64>,
    },
    /// In the `Authorization` header, valid within the clock skew.
    Header,
}

/// One pass over a received query: the authentication parameters, and
/// whether the query (less a trailing `X-Amz-Signature` when presigned) is
/// already in canonical form.
pub(super) struct QueryScan<'a> {
    /// The values of the authentication parameters, by [`AuthParam`].
    auth: [Option<&'a str>; 8],
    canonical: Option<&'a str>,
    /// Whether a header-signed request's query also carries query
    /// authentication (`X-Amz-Algorithm`, `-Credential` or `-Signature`).
    query_authentication: bool,
}

/// Which mechanism a received request claims, before its parameters are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Claimed {
    /// A presigned URL: its query holds the authentication parameters.
    Query,
    /// A header-signed request: its query is the caller's alone.
    Header,
}

pub(super) fn scan_query(query: &str, claimed: Claimed) -> Result<QueryScan<'_>, VerifyError> {
    let presigned = claimed == Claimed::Query;
    let mut auth: [Option<&str>; 8] = [None; 8];
    let mut query_authentication = false;
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
                i = crate::encoding::run_end(bytes, i, &crate::encoding::UNRESERVED);
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
                let param = if presigned && name.starts_with("X-Amz-") {
                    AuthParam::from_name(name)
                } else {
                    query_authentication |= is_query_authentication(name);
                    None
                };
                if let Some(param) = param {
                    if auth[param as usize].replace(value).is_some() {
                        return Err(VerifyError::Duplicate(param.name()));
                    }
                }
                if param == Some(AuthParam::Signature) {
                    // Left out of the canonical query: only as the last
                    // piece can the rest be hashed as one slice.
                    canonical &= i == bytes.len();
                    canonical_end = start.saturating_sub(1);
                } else {
                    // An empty piece or one without `=` is rewritten by
                    // the canonical form, as is an out-of-order one.
                    canonical &= piece_canonical
                        && eq.is_some()
                        && previous.is_none_or(|p| p <= (name, value));
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
        query_authentication,
    })
}

/// Whether a query parameter's name, as received, is one of query
/// authentication's (`X-Amz-Algorithm`, `-Credential`, `-Signature`) in any
/// case or escaping: a server layer that reads names loosely would take it
/// for a second mechanism, so a header-signed request may not carry one.
fn is_query_authentication(name: &str) -> bool {
    let name = decoded(name);
    [
        AuthParam::Algorithm,
        AuthParam::Credential,
        AuthParam::Signature,
    ]
    .iter()
    .any(|param| name.eq_ignore_ascii_case(param.name()))
}

pub(super) fn decoded(value: &str) -> alloc::borrow::Cow<'_, str> {
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
pub(super) fn push_decoded(out: &mut String, value: &str) {
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

/// Whether the signer's `write_recoded` would write `bytes` back unchanged:
/// every byte unreserved (or `/` when `keep_slash`), every escape upper-case
/// and of a byte that must stay escaped. A received URL in this form can be
/// hashed as it is.
pub(super) fn is_recoded_form(bytes: &[u8], keep_slash: bool) -> bool {
    let stays = |b: u8| crate::encoding::is_unreserved(b) || (keep_slash && b == b'/');
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && crate::canonical::is_kept_escape(bytes, i, keep_slash) {
            i += 3;
        } else if b != b'%' && stays(b) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// Whether unsigned `x-amz-*` headers are refused: always for S3, as S3
/// does, else as the verifier is set; never when only explaining.
fn refuses_unsigned(rule: Option<UnsignedAmzHeaders>, service: &str) -> bool {
    match rule {
        Some(UnsignedAmzHeaders::Refuse) => true,
        Some(UnsignedAmzHeaders::Allow) => crate::settings::is_s3(service),
        None => false,
    }
}

/// Whether the settings add the session token after signing (AWS IoT's
/// device gateway), so that it travels unsigned.
fn token_after_signing(settings: &Settings) -> bool {
    settings.session_token == crate::settings::SessionTokenMode::AfterSigning
}

/// The settings of the service a received request names: the verifier's
/// for it, else the service's defaults.
pub(crate) type SettingsOf<'s> = &'s dyn Fn(&str) -> Settings;

pub(crate) fn parse_amz_date(text: &str) -> Result<(AmzDate, SigningTime), VerifyError> {
    AmzDate::parse(text).map_err(|_| VerifyError::MalformedDate)
}

impl<'a> Received<'a> {
    /// Reads a presigned URL's authentication parameters. `payload` is the
    /// body received; `unsigned` says what to do with `x-amz-*` headers sent
    /// but not signed, for services other than S3 (`None`: let them through
    /// whatever the service, to explain what was signed).
    pub(crate) fn presigned(
        method: &'a str,
        url: &'a str,
        headers: &[(&'a str, &'a str)],
        payload: Option<Payload<'_>>,
        unsigned: Option<UnsignedAmzHeaders>,
        settings_of: SettingsOf<'_>,
    ) -> Result<Received<'a>, VerifyError> {
        let parts = parse_url(url)?;
        let host = signed_host(headers, &parts)?;
        let scan = scan_query(parts.query, Claimed::Query)?;
        if headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        {
            return Err(VerifyError::MixedAuthentication);
        }
        let [algorithm, credential, date, expires, region_set, token, signed_headers, signature] =
            scan.auth;
        let algorithm =
            read_algorithm(algorithm.ok_or_else(|| VerifyError::Missing("X-Amz-Algorithm"))?)?;
        let sigv4a = algorithm == Algorithm::EcdsaP256Sha256;
        let region_set = read_region_set(sigv4a, region_set, Claimed::Query)?;
        let credential = credential.ok_or_else(|| VerifyError::Missing("X-Amz-Credential"))?;
        // One String for the credential and, after it, the signed headers.
        let mut text = String::with_capacity(credential.len() + signed_headers.map_or(0, str::len));
        push_decoded(&mut text, credential);
        let mut credential = CredentialParts::parse(text, sigv4a)?;
        let (amz_date, signed_at) = parse_amz_date(&decoded(
            date.ok_or_else(|| VerifyError::Missing("X-Amz-Date"))?,
        ))?;
        if amz_date.date() != credential.date() {
            return Err(VerifyError::CredentialDateMismatch);
        }
        // Only a service that bounds a signature's life itself (AWS IoT's
        // device gateway) takes a URL without X-Amz-Expires; S3 never does.
        let settings = settings_of(credential.service());
        let optional = !crate::settings::is_s3(credential.service())
            && settings.expiry == crate::settings::PresignExpiry::Optional;
        let expires_in = match expires {
            None if optional => None,
            None => return Err(VerifyError::Missing("X-Amz-Expires")),
            Some(expires) => Some(
                (!expires.is_empty()
                    && expires.len() <= 19
                    && expires.bytes().all(|b| b.is_ascii_digit()))
                .then(|| expires.parse::<u64>().ok())
                .flatten()
                .ok_or_else(|| VerifyError::InvalidExpires)?,
            ),
        };
        let signed_headers_at = credential.text.len();
        push_decoded(
            &mut credential.text,
            signed_headers.ok_or_else(|| VerifyError::Missing("X-Amz-SignedHeaders"))?,
        );
        let signed_headers = &credential.text[signed_headers_at..];
        check_signed_headers(signed_headers)?;
        let refuse_unsigned = refuses_unsigned(unsigned, credential.service());
        let token_unsigned = token_after_signing(&settings);
        let header_values =
            signed_header_values(signed_headers, headers, refuse_unsigned, token_unsigned)?;
        let signature = signature.ok_or_else(|| VerifyError::Missing("X-Amz-Signature"))?;
        let payload_hash = presigned_payload_hash(credential.service(), payload)?;
        // A token added after signing sits among the parameters: the query
        // is written again without it rather than hashed as received.
        let token_unsigned = token_unsigned && token.is_some();
        Ok(Received {
            algorithm,
            method,
            host,
            parts,
            carried: Carried::Query { expires_in },
            credential,
            amz_date,
            signed_at,
            signed_headers_at,
            headers: header_values,
            token: token.map(decoded),
            signature,
            payload_hash,
            canonical_query: scan.canonical.filter(|_| !token_unsigned),
            token_unsigned,
            region_set,
            settings,
        })
    }

    /// Reads a header-signed request's `Authorization` and `X-Amz-*` headers.
    pub(crate) fn authorized(
        method: &'a str,
        url: &'a str,
        headers: &[(&'a str, &'a str)],
        payload: Option<Payload<'_>>,
        unsigned: Option<UnsignedAmzHeaders>,
        settings_of: SettingsOf<'_>,
    ) -> Result<Received<'a>, VerifyError> {
        let parts = parse_url(url)?;
        let host = signed_host(headers, &parts)?;
        let scan = scan_query(parts.query, Claimed::Header)?;
        if scan.query_authentication {
            return Err(VerifyError::MixedAuthentication);
        }
        let (mut authorization, mut amz_date, mut content_sha256, mut token, mut region_set) =
            (None, None, None, None, None);
        for (name, value) in headers {
            // Each of these is read once, as one value: a second copy would
            // make the request mean two things.
            let slot = if name.eq_ignore_ascii_case("authorization") {
                (&mut authorization, "Authorization")
            } else if name.eq_ignore_ascii_case("x-amz-date") {
                (&mut amz_date, "X-Amz-Date")
            } else if name.eq_ignore_ascii_case("x-amz-content-sha256") {
                (&mut content_sha256, "x-amz-content-sha256")
            } else if name.eq_ignore_ascii_case("x-amz-security-token") {
                (&mut token, "x-amz-security-token")
            } else if name.eq_ignore_ascii_case("x-amz-region-set") {
                (&mut region_set, "x-amz-region-set")
            } else {
                continue;
            };
            if slot.0.replace(*value).is_some() {
                return Err(VerifyError::Duplicate(slot.1));
            }
        }
        let authorization = authorization.ok_or_else(|| VerifyError::Missing("Authorization"))?;
        let (algorithm, rest) = match authorization.split_once(' ') {
            Some((algorithm, rest)) if algorithm.starts_with("AWS4-") => (algorithm, rest),
            _ => {
                return Err(VerifyError::MalformedAuthorization {
                    reason: "it does not start with AWS4-HMAC-SHA256 and a space",
                })
            }
        };
        // Another SigV4 algorithm is named as such (UnsupportedAlgorithm).
        let algorithm = read_algorithm(algorithm)?;
        let sigv4a = algorithm == Algorithm::EcdsaP256Sha256;
        let region_set = read_region_set(sigv4a, region_set, Claimed::Header)?;
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
        let credential = credential.ok_or_else(|| VerifyError::Missing("Credential"))?;
        let mut text = String::with_capacity(credential.len() + signed_headers.map_or(0, str::len));
        text.push_str(credential);
        let mut credential = CredentialParts::parse(text, sigv4a)?;
        let (amz_date, signed_at) =
            parse_amz_date(amz_date.ok_or_else(|| VerifyError::Missing("X-Amz-Date"))?)?;
        if amz_date.date() != credential.date() {
            return Err(VerifyError::CredentialDateMismatch);
        }
        let signed_headers_at = credential.text.len();
        credential
            .text
            .push_str(signed_headers.ok_or_else(|| VerifyError::Missing("SignedHeaders"))?);
        let signed_headers = &credential.text[signed_headers_at..];
        check_signed_headers(signed_headers)?;
        if sigv4a && !signed_headers.split(';').any(|h| h == "x-amz-region-set") {
            // The regions a signature is good in are part of what it signs.
            return Err(VerifyError::UnsignedHeaders {
                names: alloc::vec!["x-amz-region-set".into()],
            });
        }
        let refuse_unsigned = refuses_unsigned(unsigned, credential.service());
        let settings = settings_of(credential.service());
        let token_unsigned = token_after_signing(&settings);
        let header_values =
            signed_header_values(signed_headers, headers, refuse_unsigned, token_unsigned)?;
        let signature = signature.ok_or_else(|| VerifyError::Missing("Signature"))?;
        let payload_hash = authorized_payload_hash(content_sha256, payload, credential.service())?;
        Ok(Received {
            algorithm,
            method,
            host,
            parts,
            carried: Carried::Header,
            credential,
            amz_date,
            signed_at,
            signed_headers_at,
            headers: header_values,
            token: token.map(alloc::borrow::Cow::Borrowed),
            signature,
            payload_hash,
            canonical_query: scan.canonical,
            token_unsigned: false,
            region_set,
            settings,
        })
    }

    /// How the path is encoded and normalized: as the verifier was told
    /// for this service, else as the service's settings say.
    fn path_rules(&self) -> (UriEncoding, PathNormalization) {
        (self.settings.uri_encoding, self.settings.normalize_path)
    }

    /// Whether the signature is SigV4a's.
    pub(crate) fn is_sigv4a(&self) -> bool {
        self.algorithm == Algorithm::EcdsaP256Sha256
    }

    /// SigV4a's region set, normalized; `None` for SigV4.
    pub(crate) fn region_set_text(&self) -> Option<&str> {
        #[cfg(feature = "sigv4a")]
        return self
            .region_set
            .as_ref()
            .map(crate::sigv4a::RegionSet::as_str);
        #[cfg(not(feature = "sigv4a"))]
        None
    }

    /// Whether the signature is good in `region`: the scope's region, or
    /// (SigV4a) one the region set covers.
    pub(crate) fn is_good_in(&self, region: &str) -> bool {
        #[cfg(feature = "sigv4a")]
        if let Some(set) = &self.region_set {
            return set.covers(region);
        }
        self.credential.region() == region
    }

    pub(crate) fn scope(&self) -> Result<Scope, VerifyError> {
        if self.is_sigv4a() {
            return Ok(Scope::region_less(self.credential.service())?);
        }
        Ok(Scope::new(
            self.credential.region(),
            self.credential.service(),
        )?)
    }

    /// The string to sign for `request_hash`, the canonical request's.
    pub(crate) fn string_to_sign<'s>(
        &'s self,
        scope: &'s Scope,
        request_hash: &'s RequestHash,
    ) -> StringToSign<'s> {
        StringToSign::Request {
            algorithm: self.algorithm,
            amz_date: &self.amz_date,
            scope,
            request_hash,
        }
    }

    /// The canonical form, built by the signer's own code: the path and
    /// query as received (`X-Amz-Signature` left out), the signed headers.
    /// With `raw_query` the query is left out, to be hashed as received.
    pub(super) fn canonical(
        &'a self,
        raw_query: bool,
        sorted: &'a mut crate::canonical::Sorted<'a>,
    ) -> Result<Canonical<'a>, VerifyError> {
        let (uri_encoding, normalize_path) = self.path_rules();
        // The host checked is the signed one (the `Host` header sent, else
        // the URL's, which `parse_url` has checked already).
        let mut request = Request::new(self.method, &self.host, self.parts.path)
            .with_headers(self.headers.as_slice());
        if !raw_query {
            request = request.with_query(self.parts.query);
        }
        request.skip_signature = matches!(self.carried, Carried::Query { .. });
        request.skip_token = self.token_unsigned;
        request.validate()?;
        Ok(Canonical::new(
            &request,
            uri_encoding,
            normalize_path,
            &[("host", "", &self.host)],
            &self.payload_hash,
            crate::canonical::ReservedQuery::Received,
            sorted,
        )?)
    }

    /// The received path and query, when both are already canonical (S3's
    /// single encoding, a canonical query), so that they are hashed as
    /// received: the same bytes the signer's writers would produce.
    pub(super) fn raw_uri_and_query(&self) -> Option<(&'a str, &'a str)> {
        let query = self.canonical_query?;
        let path = self.parts.path;
        let raw = self.path_rules() == (UriEncoding::Single, PathNormalization::AsGiven)
            && is_recoded_form(path.as_bytes(), true);
        raw.then_some((path, query))
    }

    /// Writes the canonical request into `sink`.
    pub(super) fn write_canonical<S: crate::encoding::Sink>(
        &'a self,
        sink: &mut S,
    ) -> Result<(), VerifyError> {
        match self.raw_uri_and_query() {
            // Nothing to rebuild or sort: the path and query as received,
            // `host` the one signed header, already checked (the method is
            // all that is left to check).
            Some((path, query)) if self.headers.as_slice().is_empty() => {
                crate::request::check_method(self.method)?;
                crate::canonical::put_method_line(self.method, sink);
                sink.put(path);
                sink.put("\n");
                sink.put(query);
                sink.put("\nhost:");
                crate::canonical::put_lowercase(&self.host, sink);
                sink.put("\n\nhost\n");
                self.payload_hash.write(sink);
            }
            Some(raw) => {
                let mut sorted = crate::canonical::Sorted::new();
                self.canonical(true, &mut sorted)?
                    .write(None, Some(raw), sink)
            }
            None => {
                let mut sorted = crate::canonical::Sorted::new();
                self.canonical(false, &mut sorted)?.write(None, None, sink)
            }
        }
        Ok(())
    }

    /// Hex SHA-256 of the canonical request.
    pub(crate) fn request_hash(&'a self) -> Result<RequestHash, VerifyError> {
        let mut hasher = Sha256::new();
        self.write_canonical(&mut hasher)?;
        Ok(RequestHash::finish(hasher))
    }

    /// The canonical request and string to sign as text.
    pub(crate) fn texts(&'a self) -> Result<(String, String), VerifyError> {
        let mut creq = Vec::new();
        self.write_canonical(&mut creq)?;
        let mut hasher = Sha256::new();
        hasher.update(&creq);
        let hash = RequestHash::finish(hasher);
        let mut sts = Vec::new();
        self.string_to_sign(&self.scope()?, &hash).write(&mut sts);
        Ok((
            String::from_utf8_lossy(&creq).into_owned(),
            String::from_utf8_lossy(&sts).into_owned(),
        ))
    }

    /// The signature as raw bytes, if it is 64 lower-case hex digits.
    pub(crate) fn signature_bytes(&self) -> Result<ReceivedSignature, VerifyError> {
        signature_from_hex(self.signature.as_bytes()).map(ReceivedSignature)
    }
}
