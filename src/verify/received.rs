//! Reading what was received: the authentication values of a presigned
//! URL or an `Authorization` header, read once into one typed form
//! ([`Received`], where the signature travelled as [`Carried`]), and the
//! canonical request they imply, written by the signer's own code.

// `ok_or(VerifyError::..)` builds an error on every success and runs its
// drop glue (some variants hold Strings): the lazy form costs nothing then.
#![allow(clippy::unnecessary_lazy_evaluations)]

use super::credential::{parse_amz_date, CredentialParts};
use super::headers::refuses_unsigned;
use super::query::{decoded, push_decoded, read_expires, scan_query, QueryScan};
pub(crate) use super::signed_with::{Carried, SignedWith};
use super::*;
use crate::canonical::{AuthParam, PayloadHash, RequestHash};
use crate::key::ReceivedSignature;
use crate::request::{parse_url, Payload};
use crate::scope::{AmzDate, Scope, SigningTime};
use crate::settings::{PathNormalization, SessionTokenMode, Settings, UriEncoding};
use crate::string_to_sign::{Algorithm, StringToSign};
use alloc::borrow::Cow;
use alloc::string::String;

/// The authentication data read from a received request.
pub(crate) struct Received<'a> {
    /// The algorithm named, with SigV4a's region set.
    pub signed_with: SignedWith,
    pub method: &'a str,
    pub parts: crate::request::UrlParts<'a>,
    /// The host that was signed: the URL's authority, default port dropped.
    pub host: Cow<'a, str>,
    /// Where the signature travelled, with what only that form carries.
    pub carried: Carried,
    pub credential: CredentialParts,
    pub amz_date: AmzDate,
    pub signed_at: SigningTime,
    /// Where `SignedHeaders` (decoded, checked) starts in the credential's
    /// text, after the credential itself.
    pub signed_headers_at: usize,
    /// The signed headers other than host, as sent.
    pub headers: SignedHeaderValues<'a>,
    pub token: Option<Cow<'a, str>>,
    pub signature: &'a str,
    pub payload_hash: PayloadHash,
    /// The received query without `X-Amz-Signature`, when it is already
    /// the canonical query string (sorted, canonically encoded): then it is
    /// hashed as received instead of taken apart and written again.
    pub canonical_query: Option<&'a str>,
    /// The settings the request was signed with: the service's defaults,
    /// or what the verifier was told (`Verifier::settings_for`).
    pub settings: Settings,
}

/// The authentication values as they arrived, before they are read: from a
/// presigned URL's query or from the `Authorization` and `X-Amz-*` headers.
struct Arrived<'a> {
    carrier: ArrivedIn<'a>,
    /// Read first: an algorithm this verifier does not read is named as
    /// such, whatever else is missing.
    signed_with: SignedWith,
    credential: &'a str,
    date: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
    /// The session token, and the name it came under.
    token: Option<(&'a str, TokenName)>,
}

/// Where the authentication values arrived, with what only that form has.
enum ArrivedIn<'a> {
    /// A presigned URL's query: every value percent-encoded.
    Query {
        /// `X-Amz-Expires`, as sent.
        expires: Option<&'a str>,
    },
    /// The headers: every value as sent (AWS reads no escapes there).
    Header {
        /// `x-amz-content-sha256`, as sent.
        content_sha256: Option<&'a str>,
    },
}

impl ArrivedIn<'_> {
    /// A value as the signature covers it.
    fn read<'v>(&self, value: &'v str) -> Cow<'v, str> {
        match self {
            ArrivedIn::Query { .. } => decoded(value),
            ArrivedIn::Header { .. } => Cow::Borrowed(value),
        }
    }

    /// Appends a value as the signature covers it.
    fn push(&self, out: &mut String, value: &str) {
        match self {
            ArrivedIn::Query { .. } => push_decoded(out, value),
            ArrivedIn::Header { .. } => out.push_str(value),
        }
    }

    /// The name the region set travels under.
    #[cfg(feature = "sigv4a")]
    fn region_set_name(&self) -> &'static str {
        match self {
            ArrivedIn::Query { .. } => "X-Amz-Region-Set",
            ArrivedIn::Header { .. } => "x-amz-region-set",
        }
    }
}

/// The algorithm a received `X-Amz-Algorithm` (or `Authorization` prefix)
/// names, with SigV4a's region set: required there, unread in SigV4.
fn read_algorithm(
    name: &str,
    region_set: Option<&str>,
    carrier: &ArrivedIn<'_>,
) -> Result<SignedWith, VerifyError> {
    #[cfg(not(feature = "sigv4a"))]
    let _ = (region_set, carrier);
    match Algorithm::from_name(name) {
        Some(Algorithm::HmacSha256) => Ok(SignedWith::HmacSha256),
        #[cfg(feature = "sigv4a")]
        Some(Algorithm::EcdsaP256Sha256) => {
            let set = region_set.ok_or_else(|| VerifyError::Missing(carrier.region_set_name()))?;
            let set = crate::sigv4a::RegionSet::parse(&carrier.read(set))?;
            Ok(SignedWith::EcdsaP256Sha256(set))
        }
        _ => Err(VerifyError::UnsupportedAlgorithm),
    }
}

/// The settings of the service a received request names: the verifier's
/// for it, else the service's defaults.
pub(crate) type SettingsOf<'s> = &'s dyn Fn(&str) -> Settings;

/// What a request was received with, besides its authentication values.
struct Context<'a, 'p, 's> {
    method: &'a str,
    parts: crate::request::UrlParts<'a>,
    host: Cow<'a, str>,
    /// The query, read once.
    scan: QueryScan<'a>,
    headers: &'p [(&'a str, &'a str)],
    payload: Option<Payload<'p>>,
    unsigned: Option<UnsignedAmzHeaders>,
    settings_of: SettingsOf<'s>,
}

impl<'a, 'p, 's> Context<'a, 'p, 's> {
    /// Takes the URL apart, settles the signed host and reads the query.
    fn of(
        method: &'a str,
        url: &'a str,
        headers: &'p [(&'a str, &'a str)],
        payload: Option<Payload<'p>>,
        unsigned: Option<UnsignedAmzHeaders>,
        settings_of: SettingsOf<'s>,
    ) -> Result<Self, VerifyError> {
        let parts = parse_url(url)?;
        // A name no HTTP message can carry (`Host ` with its space, an
        // empty one) would be read as some other header, or none, and
        // escape the checks on the header it stands for.
        if let Some((name, _)) = headers
            .iter()
            .find(|(name, _)| !crate::request::is_token(name))
        {
            return Err(VerifyError::Malformed(
                crate::error::Error::InvalidHeaderName {
                    name: name.to_string(),
                },
            ));
        }
        let host = signed_host(headers, &parts)?;
        let scan = scan_query(parts.query);
        Ok(Context {
            method,
            parts,
            host,
            scan,
            headers,
            payload,
            unsigned,
            settings_of,
        })
    }
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
        let context = Context::of(method, url, headers, payload, unsigned, settings_of)?;
        let arrived = Received::arrived_in_query(&context.scan, headers)?;
        Received::read(arrived, context)
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
        let context = Context::of(method, url, headers, payload, unsigned, settings_of)?;
        let arrived = Received::arrived_in_headers(&context.scan, headers)?;
        Received::read(arrived, context)
    }

    /// The authentication values of a presigned URL: its query's.
    fn arrived_in_query(
        scan: &QueryScan<'a>,
        headers: &[(&'a str, &'a str)],
    ) -> Result<Arrived<'a>, VerifyError> {
        if headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        {
            return Err(VerifyError::MixedAuthentication);
        }
        if let Some(param) = scan.repeated {
            return Err(VerifyError::Duplicate(param.name()));
        }
        if let Some(param) = scan.disguised {
            // A second such parameter in another case: whichever a server
            // layer reads, it must be the one verified.
            return Err(match AuthParam::SESSION_TOKENS.contains(&param) {
                true => VerifyError::SessionTokenAmbiguous,
                false => VerifyError::Duplicate(param.name()),
            });
        }
        // The token travels with the signature, in the query: one in a
        // header too is one the signature may not cover.
        if headers.iter().any(|(name, _)| is_token_header(name)) {
            return Err(VerifyError::SessionTokenAmbiguous);
        }
        let value = |param: AuthParam| scan.auth[param as usize];
        let required =
            |param: AuthParam| value(param).ok_or_else(|| VerifyError::Missing(param.name()));
        let carrier = ArrivedIn::Query {
            expires: value(AuthParam::Expires),
        };
        let signed_with = read_algorithm(
            required(AuthParam::Algorithm)?,
            value(AuthParam::RegionSet),
            &carrier,
        )?;
        Ok(Arrived {
            carrier,
            signed_with,
            credential: required(AuthParam::Credential)?,
            date: required(AuthParam::Date)?,
            signed_headers: required(AuthParam::SignedHeaders)?,
            signature: required(AuthParam::Signature)?,
            token: one_token(
                value(AuthParam::SecurityToken),
                value(AuthParam::S3SessionToken),
                AuthParam::S3SessionToken.name(),
            )?,
        })
    }

    /// The authentication values of a header-signed request: its headers'.
    fn arrived_in_headers(
        scan: &QueryScan<'a>,
        headers: &[(&'a str, &'a str)],
    ) -> Result<Arrived<'a>, VerifyError> {
        if scan.carries_authentication() {
            return Err(VerifyError::MixedAuthentication);
        }
        // The token travels with the signature, in the headers.
        if scan.carries_token() {
            return Err(VerifyError::SessionTokenAmbiguous);
        }
        let (mut authorization, mut amz_date, mut content_sha256, mut token, mut region_set) =
            (None, None, None, None, None);
        let mut s3_session_token = None;
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
            } else if name.eq_ignore_ascii_case("x-amz-s3session-token") {
                (&mut s3_session_token, "x-amz-s3session-token")
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
        let carrier = ArrivedIn::Header { content_sha256 };
        // Another SigV4 algorithm is named as such (UnsupportedAlgorithm).
        let signed_with = read_algorithm(algorithm, region_set, &carrier)?;
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
        Ok(Arrived {
            carrier,
            signed_with,
            credential: credential.ok_or_else(|| VerifyError::Missing("Credential"))?,
            date: amz_date.ok_or_else(|| VerifyError::Missing("X-Amz-Date"))?,
            signed_headers: signed_headers.ok_or_else(|| VerifyError::Missing("SignedHeaders"))?,
            signature: signature.ok_or_else(|| VerifyError::Missing("Signature"))?,
            token: one_token(token, s3_session_token, "x-amz-s3session-token")?,
        })
    }

    /// Reads the values that arrived, the same way wherever they arrived:
    /// the algorithm, the credential and its date, the signed headers
    /// against those sent, the expiry and the payload hash.
    fn read(
        arrived: Arrived<'a>,
        context: Context<'a, '_, '_>,
    ) -> Result<Received<'a>, VerifyError> {
        let signed_with = arrived.signed_with;
        let carrier = &arrived.carrier;
        // One String for the credential and, after it, the signed headers.
        let mut text =
            String::with_capacity(arrived.credential.len() + arrived.signed_headers.len());
        carrier.push(&mut text, arrived.credential);
        let mut credential = CredentialParts::parse(text, signed_with.algorithm())?;
        let (amz_date, signed_at) = parse_amz_date(&carrier.read(arrived.date))?;
        if amz_date.date() != credential.date() {
            return Err(VerifyError::CredentialDateMismatch);
        }
        token_in_place(arrived.token, credential.service())?;
        let settings = (context.settings_of)(credential.service());
        let signed_headers_at = credential.text.len();
        carrier.push(&mut credential.text, arrived.signed_headers);
        let signed_headers = &credential.text[signed_headers_at..];
        check_signed_headers(signed_headers)?;
        let region_set_header = matches!(carrier, ArrivedIn::Header { .. })
            && signed_with.algorithm() == Algorithm::EcdsaP256Sha256;
        if region_set_header && !signed_headers.split(';').any(|h| h == "x-amz-region-set") {
            // The regions a signature is good in are part of what it signs.
            return Err(VerifyError::UnsignedHeaders {
                names: alloc::vec!["x-amz-region-set".into()],
            });
        }
        let service = credential.service();
        let refuse_unsigned = refuses_unsigned(context.unsigned, service);
        let token_after_signing = settings.session_token == SessionTokenMode::AfterSigning;
        let headers = signed_header_values(
            signed_headers,
            context.headers,
            refuse_unsigned,
            token_after_signing,
        )?;
        let (carried, payload_hash, canonical_query, token) = match arrived.carrier {
            ArrivedIn::Query { expires } => {
                let expires_in = read_expires(expires, service, &settings)?;
                let payload_hash = presigned_payload_hash(service, &settings, context.payload)?;
                // A token added after signing sits among the parameters: the
                // query is written again without it, not hashed as received.
                let after = matches!(arrived.token, Some((_, TokenName::SecurityToken)));
                let token = match token_after_signing && after {
                    true => SessionTokenMode::AfterSigning,
                    false => SessionTokenMode::Signed,
                };
                let canonical_query =
                    (context.scan.canonical).filter(|_| token == SessionTokenMode::Signed);
                let carried = Carried::Query { expires_in, token };
                (
                    carried,
                    payload_hash,
                    canonical_query,
                    arrived.token.map(|(token, _)| decoded(token)),
                )
            }
            ArrivedIn::Header { content_sha256 } => {
                let payload_hash =
                    authorized_payload_hash(content_sha256, context.payload, service)?;
                let token = arrived.token.map(|(token, _)| Cow::Borrowed(token));
                (Carried::Header, payload_hash, context.scan.canonical, token)
            }
        };
        Ok(Received {
            signed_with,
            method: context.method,
            host: context.host,
            parts: context.parts,
            carried,
            credential,
            amz_date,
            signed_at,
            signed_headers_at,
            headers,
            token,
            signature: arrived.signature,
            payload_hash,
            canonical_query,
            settings,
        })
    }

    /// How the path is encoded and normalized: as the verifier was told
    /// for this service, else as the service's settings say.
    pub(super) fn path_rules(&self) -> (UriEncoding, PathNormalization) {
        (self.settings.uri_encoding, self.settings.normalize_path)
    }

    /// Whether the signature is SigV4a's.
    pub(crate) fn is_sigv4a(&self) -> bool {
        self.signed_with.algorithm() == Algorithm::EcdsaP256Sha256
    }

    /// SigV4a's region set, normalized; `None` for SigV4.
    pub(crate) fn region_set_text(&self) -> Option<&str> {
        match &self.signed_with {
            SignedWith::HmacSha256 => None,
            #[cfg(feature = "sigv4a")]
            SignedWith::EcdsaP256Sha256(set) => Some(set.as_str()),
        }
    }

    /// Whether the signature is good in `region`: the scope's region, or
    /// (SigV4a) one the region set covers.
    pub(crate) fn is_good_in(&self, region: &str) -> bool {
        match &self.signed_with {
            SignedWith::HmacSha256 => self.credential.region() == region,
            #[cfg(feature = "sigv4a")]
            SignedWith::EcdsaP256Sha256(set) => set.covers(region),
        }
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
            algorithm: self.signed_with.algorithm(),
            amz_date: &self.amz_date,
            scope,
            request_hash,
        }
    }

    /// The signature as raw bytes, if it is 64 lower-case hex digits.
    pub(crate) fn signature_bytes(&self) -> Result<ReceivedSignature, VerifyError> {
        ReceivedSignature::from_hex(self.signature.as_bytes())
            .ok_or(VerifyError::MalformedSignature)
    }
}
