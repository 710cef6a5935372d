//! Reading S3's side of a mismatch: the elements of the XML body of a
//! `SignatureDoesNotMatch` error (what S3 says it computed).

use alloc::string::String;
use alloc::vec::Vec;

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

// `pub(super)` for the unit tests in `tests.rs`.
pub(super) fn unescape(text: &str) -> String {
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
