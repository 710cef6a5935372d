//! The audit view: what a signed request's signature was computed from, and
//! where it differs from what S3 computed in a `SignatureDoesNotMatch` error.
//!
//! ```
//! use sigv4::explain::{explain_presigned, first_difference};
//! let url = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
//! let creds = sigv4::Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! let e = explain_presigned("GET", url, &[], Some(&creds), false).unwrap();
//! assert_eq!(e.matches(), Some(true));
//! assert!(e.canonical_request().starts_with("GET\n/test.txt\nX-Amz-Algorithm="));
//! # Ok::<(), sigv4::Error>(())
//! ```

use crate::credentials::Credentials;
use crate::key::{KeyChain, SigningKey};
use crate::request::Payload;
use crate::settings::Settings;
use crate::verify::{Received, VerifyError};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

/// What a signature is computed from, for one received request.
pub struct Explanation {
    canonical_request: String,
    string_to_sign: String,
    access_key_id: String,
    credential_scope: String,
    signature_provided: String,
    signature_computed: Option<String>,
    key_chain: Option<KeyChain>,
    /// SigV4a, with the secret given: the public key derived, and whether
    /// the ECDSA signature verifies under it (it cannot be recomputed: an
    /// ECDSA signature may differ each time it is made).
    ecdsa: Option<EcdsaCheck>,
}

/// A SigV4a signature checked while explaining.
struct EcdsaCheck {
    public_x: String,
    public_y: String,
    verifies: bool,
}

impl Explanation {
    /// The canonical request, computed by the signer's own code.
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }
    /// The string to sign.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }
    /// The access key id of the credential.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    /// `date/region/service/aws4_request`.
    pub fn credential_scope(&self) -> &str {
        &self.credential_scope
    }
    /// The signature the request carries.
    pub fn signature_provided(&self) -> &str {
        &self.signature_provided
    }
    /// The signature computed here, when the secret was given (SigV4 only:
    /// a SigV4a signature is verified instead, see [`Explanation::matches`]).
    pub fn signature_computed(&self) -> Option<&str> {
        self.signature_computed.as_deref()
    }
    /// Whether the two signatures are equal (SigV4a: whether the signature
    /// verifies under the public key), when the secret was given.
    pub fn matches(&self) -> Option<bool> {
        if let Some(check) = &self.ecdsa {
            return Some(check.verifies);
        }
        self.signature_computed
            .as_ref()
            .map(|s| crate::key::constant_time_eq(s.as_bytes(), self.signature_provided.as_bytes()))
    }
    /// The key derivation chain, only when it was asked for.
    pub fn key_chain(&self) -> Option<&KeyChain> {
        self.key_chain.as_ref()
    }
}

fn hex_str(bytes: &[u8; 32]) -> String {
    hex::encode(bytes)
}

impl fmt::Display for Explanation {
    /// The report the `sigv4 explain` command prints. The key chain appears
    /// only when it was asked for.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "== canonical request ==\n{}", self.canonical_request)?;
        writeln!(f, "== string to sign ==\n{}", self.string_to_sign)?;
        writeln!(f, "== credential ==")?;
        writeln!(f, "access key id:      {}", self.access_key_id)?;
        writeln!(f, "credential scope:   {}", self.credential_scope)?;
        writeln!(f, "signature provided: {}", self.signature_provided)?;
        if let Some(check) = &self.ecdsa {
            writeln!(f, "public key x:       {}", check.public_x)?;
            writeln!(f, "public key y:       {}", check.public_y)?;
            let verifies = if check.verifies { "yes" } else { "NO" };
            return writeln!(f, "signature verifies: {verifies}");
        }
        match (&self.signature_computed, self.matches()) {
            (Some(computed), Some(matches)) => {
                writeln!(f, "signature computed: {computed}")?;
                writeln!(f, "match: {}", if matches { "yes" } else { "NO" })?;
            }
            _ => writeln!(f, "signature computed: (no secret given)")?,
        }
        if let Some(chain) = &self.key_chain {
            writeln!(f, "== signing key chain (secret material) ==")?;
            writeln!(f, "kDate:    {}", hex_str(&chain.k_date))?;
            writeln!(f, "kRegion:  {}", hex_str(&chain.k_region))?;
            writeln!(f, "kService: {}", hex_str(&chain.k_service))?;
            writeln!(f, "kSigning: {}", hex_str(&chain.k_signing))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Explanation")
            .field("access_key_id", &self.access_key_id)
            .field("credential_scope", &self.credential_scope)
            .field("matches", &self.matches())
            .finish_non_exhaustive()
    }
}

fn explain(
    received: &Received<'_>,
    credentials: Option<&Credentials>,
    show_key_chain: bool,
) -> Result<Explanation, VerifyError> {
    let (canonical_request, string_to_sign) = received.texts()?;
    let scope = received.scope()?;
    let mut explanation = Explanation {
        access_key_id: received.credential.key().to_string(),
        credential_scope: scope.credential_scope(received.signed_at),
        signature_provided: received.signature.to_string(),
        signature_computed: None,
        key_chain: None,
        ecdsa: None,
        canonical_request,
        string_to_sign,
    };
    #[cfg(feature = "sigv4a")]
    if received.is_sigv4a() {
        if let Some(creds) = credentials {
            let key = crate::sigv4a::EcdsaKey::derive(creds)?;
            let public = key.public_key();
            explanation.ecdsa = Some(EcdsaCheck {
                public_x: public.x_hex(),
                public_y: public.y_hex(),
                verifies: public
                    .verifies(explanation.string_to_sign.as_bytes(), received.signature),
            });
        }
        return Ok(explanation);
    }
    let (signature_computed, key_chain) = match credentials {
        Some(creds) => {
            let hash = received.request_hash()?;
            let key = SigningKey::derive(creds.secret_access_key(), &received.amz_date, &scope);
            let signature = key.sign(&received.string_to_sign(&scope, &hash));
            let chain = show_key_chain.then(|| {
                KeyChain::derive(
                    creds.secret_access_key(),
                    received.amz_date.date(),
                    scope.region(),
                    scope.service(),
                )
            });
            (Some(signature.as_str().into()), chain)
        }
        None => (None, None),
    };
    explanation.signature_computed = signature_computed;
    explanation.key_chain = key_chain;
    Ok(explanation)
}

/// Explains a presigned URL received with `method` and `headers`. With
/// `credentials`, the signature is computed and compared; the key chain is
/// included only when `show_key_chain` is set.
pub fn explain_presigned(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    credentials: Option<&Credentials>,
    show_key_chain: bool,
) -> Result<Explanation, VerifyError> {
    explain(
        &Received::presigned(
            method,
            url,
            headers,
            Some(Payload::Empty),
            None,
            &Settings::for_service,
        )?,
        credentials,
        show_key_chain,
    )
}

/// Explains a request signed with an `Authorization` header.
pub fn explain_authorization(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    payload: Option<Payload<'_>>,
    credentials: Option<&Credentials>,
    show_key_chain: bool,
) -> Result<Explanation, VerifyError> {
    explain(
        &Received::authorized(method, url, headers, payload, None, &Settings::for_service)?,
        credentials,
        show_key_chain,
    )
}

/// What S3 says it computed, from the XML body of `SignatureDoesNotMatch`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct S3SignatureError {
    /// `AWSAccessKeyId`.
    pub access_key_id: Option<String>,
    /// `StringToSign` (from `StringToSignBytes` when present: exact bytes).
    pub string_to_sign: Option<String>,
    /// `SignatureProvided`.
    pub signature_provided: Option<String>,
    /// `CanonicalRequest` (from `CanonicalRequestBytes` when present).
    pub canonical_request: Option<String>,
}

fn element<'x>(xml: &'x str, name: &str) -> Option<&'x str> {
    let open = alloc::format!("<{name}>");
    let close = alloc::format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&close)?;
    Some(&xml[start..end])
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // An entity is short: looking further for `;` would make a body of
        // many `&` quadratic.
        let window = &rest.as_bytes()[..rest.len().min(11)];
        let Some(semi) = window.iter().position(|&b| b == b';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `47 45 54 0a` → the bytes, as text.
fn from_hex_bytes(text: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = text
        .split_ascii_whitespace()
        .map(|b| u8::from_str_radix(b, 16).ok())
        .collect();
    Some(String::from_utf8_lossy(&bytes?).into_owned())
}

/// Reads the elements of an S3 `SignatureDoesNotMatch` error body. Missing
/// elements are `None`; the `*Bytes` forms win over the text forms.
pub fn parse_s3_error(xml: &str) -> S3SignatureError {
    let text = |name: &str| element(xml, name).map(unescape);
    let bytes = |name: &str| element(xml, name).and_then(from_hex_bytes);
    S3SignatureError {
        access_key_id: text("AWSAccessKeyId"),
        string_to_sign: bytes("StringToSignBytes").or_else(|| text("StringToSign")),
        signature_provided: text("SignatureProvided"),
        canonical_request: bytes("CanonicalRequestBytes").or_else(|| text("CanonicalRequest")),
    }
}

/// The usual reasons two canonical requests differ.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// A space written as `+` on one side and `%20` on the other.
    PlusVersusPercent20,
    /// The path was encoded twice on one side (`%2520` for `%20`).
    DoubleEncodedPath,
    /// The path is encoded or normalized differently in another way.
    Path,
    /// The `host` header differs: another host, or a port kept or dropped.
    HostOrPort,
    /// A header was signed but the client did not send it.
    HeaderSignedNotSent {
        /// Its name.
        name: String,
    },
    /// A header was sent with another value than the one signed.
    HeaderValue {
        /// Its name.
        name: String,
    },
    /// The list of signed headers differs.
    SignedHeaders,
    /// The region or the date of the scope differs.
    RegionOrDate,
    /// The payload hash differs (`UNSIGNED-PAYLOAD` vs a hash, another body).
    PayloadHash,
    /// The HTTP method differs.
    Method,
    /// The query differs in another way (a parameter added, dropped, reordered).
    Query,
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::PlusVersusPercent20 => {
                f.write_str("a space is '+' on one side and '%20' on the other")
            }
            Cause::DoubleEncodedPath => {
                f.write_str("the path is encoded twice on one side (%25 for %)")
            }
            Cause::Path => f.write_str("the path is encoded or normalized differently"),
            Cause::HostOrPort => {
                f.write_str("the host differs (another host, or a port kept or dropped)")
            }
            Cause::HeaderSignedNotSent { name } => {
                write!(f, "header {name:?} was signed but not sent")
            }
            Cause::HeaderValue { name } => write!(f, "header {name:?} was sent with another value"),
            Cause::SignedHeaders => f.write_str("the signed header lists differ"),
            Cause::RegionOrDate => f.write_str("the region or the date differs"),
            Cause::PayloadHash => f.write_str("the payload hash differs"),
            Cause::Method => f.write_str("the HTTP method differs"),
            Cause::Query => f.write_str("the query parameters differ"),
        }
    }
}

/// Where two texts first differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Line number, from 1.
    pub line: usize,
    /// Column (in characters) within that line, from 1.
    pub column: usize,
    /// Our version of the line.
    pub ours: String,
    /// The other side's version of the line.
    pub theirs: String,
    /// The usual cause, when it is recognizable.
    pub cause: Option<Cause>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "first difference at line {}, column {}:",
            self.line, self.column
        )?;
        writeln!(f, "  ours:   {}", self.ours)?;
        write!(f, "  theirs: {}", self.theirs)?;
        if let Some(cause) = &self.cause {
            write!(f, "\n  likely cause: {cause}")?;
        }
        Ok(())
    }
}

/// The first line and column where `ours` and `theirs` differ, or `None`.
pub fn first_difference(ours: &str, theirs: &str) -> Option<Difference> {
    let (ours_lines, theirs_lines): (Vec<&str>, Vec<&str>) =
        (ours.split('\n').collect(), theirs.split('\n').collect());
    let n = ours_lines.len().max(theirs_lines.len());
    (0..n).find_map(|i| {
        let (a, b) = (
            ours_lines.get(i).copied().unwrap_or(""),
            theirs_lines.get(i).copied().unwrap_or(""),
        );
        if a == b && i < ours_lines.len() && i < theirs_lines.len() {
            return None;
        }
        let column = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count() + 1;
        Some(Difference {
            line: i + 1,
            column,
            ours: a.to_string(),
            theirs: b.to_string(),
            cause: None,
        })
    })
}

/// The `name=value` query parameter of `query` that holds `column` (from 1).
fn param_at(query: &str, column: usize) -> &str {
    let byte = query
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(query.len(), |(i, _)| i);
    let start = query[..byte].rfind('&').map_or(0, |i| i + 1);
    let end = query[byte..].find('&').map_or(query.len(), |i| byte + i);
    &query[start..end]
}

/// Names the usual cause of a difference between two canonical requests.
fn canonical_cause(ours: &str, d: &Difference) -> Option<Cause> {
    let lines: Vec<&str> = ours.split('\n').collect();
    let blank = lines
        .iter()
        .skip(3)
        .position(|l| l.is_empty())
        .map(|p| p + 3)?;
    let (a, b) = (d.ours.as_str(), d.theirs.as_str());
    let at = |s: &str| s.chars().skip(d.column - 1).collect::<String>();
    let (from_a, from_b) = (at(a), at(b));
    let plus_vs_20 =
        |x: &str, y: &str| x.starts_with('+') && (y.starts_with("%20") || y.starts_with("%2B"));
    match d.line {
        1 => Some(Cause::Method),
        2 => {
            if a.contains("%25") != b.contains("%25") {
                Some(Cause::DoubleEncodedPath)
            } else {
                Some(Cause::Path)
            }
        }
        3 => {
            if plus_vs_20(&from_a, &from_b) || plus_vs_20(&from_b, &from_a) {
                Some(Cause::PlusVersusPercent20)
            } else if ["X-Amz-Credential=", "X-Amz-Date="]
                .iter()
                .any(|p| param_at(a, d.column).starts_with(p))
            {
                Some(Cause::RegionOrDate)
            } else {
                Some(Cause::Query)
            }
        }
        l if l >= 4 && l <= blank => {
            let name = |s: &str| s.split(':').next().unwrap_or("").to_string();
            let (name_a, name_b) = (name(a), name(b));
            if name_a == "host" || name_b == "host" {
                Some(Cause::HostOrPort)
            } else if name_a == name_b && b.len() == name_b.len() + 1 {
                Some(Cause::HeaderSignedNotSent { name: name_a })
            } else if name_a == name_b {
                Some(Cause::HeaderValue { name: name_a })
            } else {
                Some(Cause::SignedHeaders)
            }
        }
        l if l == blank + 2 => Some(Cause::SignedHeaders),
        l if l == blank + 3 => Some(Cause::PayloadHash),
        _ => None,
    }
}

/// Compares our computation with the one S3 reported: the first difference
/// in the canonical request (with its cause), else in the string to sign.
pub fn compare_with_s3(ours: &Explanation, s3: &S3SignatureError) -> Option<Difference> {
    if let Some(theirs) = &s3.canonical_request {
        if let Some(mut d) = first_difference(&ours.canonical_request, theirs) {
            d.cause = canonical_cause(&ours.canonical_request, &d);
            return Some(d);
        }
    }
    let theirs = s3.string_to_sign.as_ref()?;
    let mut d = first_difference(&ours.string_to_sign, theirs)?;
    d.cause = match d.line {
        2 | 3 => Some(Cause::RegionOrDate),
        _ => None,
    };
    Some(d)
}

#[cfg(test)]
mod tests;
