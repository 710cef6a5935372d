//! The error a refused request gets: S3's status, code and message for
//! each refusal, rendered as S3's XML (or, for JSON-protocol services, as
//! their JSON), as S3 answers it.

use crate::chunked::ChunkError;
use crate::verify::VerifyError;
use alloc::string::{String, ToString};

/// A refusal as S3 reports it: the HTTP status, the error code and its
/// message, and for `SignatureDoesNotMatch` the string to sign and
/// canonical request computed (S3 includes both; neither holds a secret
/// but a session token, which S3 shows too).
#[derive(Clone, PartialEq, Eq)]
pub struct S3Error {
    /// The HTTP status: 400 or 403, as S3 answers these refusals.
    pub status: u16,
    /// S3's error code (`SignatureDoesNotMatch`, `AccessDenied`, …).
    pub code: &'static str,
    /// The message, S3's wording where S3 has one.
    pub message: String,
    /// `SignatureDoesNotMatch`'s `StringToSign`.
    pub string_to_sign: Option<String>,
    /// `SignatureDoesNotMatch`'s `CanonicalRequest`.
    pub canonical_request: Option<String>,
}

impl core::fmt::Debug for S3Error {
    /// The status, code and message: the texts computed are left out, as
    /// `VerifyError`'s `Debug` leaves them (a canonical request may hold a
    /// session token), and read through the fields or [`S3Error::to_xml`].
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("S3Error")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl S3Error {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> S3Error {
        S3Error {
            status,
            code,
            message: message.into(),
            string_to_sign: None,
            canonical_request: None,
        }
    }

    /// How S3 answers a request the verifier refused. The mapping:
    ///
    /// | refusal | status | code |
    /// | --- | --- | --- |
    /// | `Expired` | 403 | `AccessDenied` ("Request has expired") |
    /// | `NotYetValid`, `ClockSkew`, `SignedTooLongAgo` | 403 | `RequestTimeTooSkewed` |
    /// | `SignatureMismatch` | 403 | `SignatureDoesNotMatch`, with `StringToSign` and `CanonicalRequest` |
    /// | `UnknownAccessKey` | 403 | `InvalidAccessKeyId` |
    /// | `CredentialsExpired` | 400 | `ExpiredToken` |
    /// | `SessionTokenMissing`, `SessionTokenMismatch`, `UnexpectedSessionToken`, `SessionTokenAmbiguous`, `SessionTokenNotForService` | 400 | `InvalidToken` |
    /// | `PayloadHashMismatch` | 400 | `XAmzContentSHA256Mismatch` |
    /// | `UnsignedHeaders` | 403 | `AccessDenied` ("There were headers present in the request which were not signed") |
    /// | `MixedAuthentication` | 400 | `InvalidArgument` ("Only one auth mechanism allowed") |
    /// | `MalformedAuthorization`, `MalformedCredential`, `CredentialDateMismatch`, `ScopeNotAccepted`, `MalformedSignature`, `MalformedDerSignature`, `SignedHeadersNotCanonical`, `HostNotSigned` | 400 | `AuthorizationHeaderMalformed` (header), `AuthorizationQueryParametersError` (query) |
    /// | `InvalidExpires`, `Missing` | 400 | as the row above |
    /// | `UnsupportedAlgorithm`, `UnsupportedStreamingMode`, `ServiceNotForForm`, `PayloadRequired`, `Malformed` | 400 | `InvalidRequest` |
    /// | `Duplicate`, `MalformedDate` | 400 | `InvalidArgument` |
    /// | `SignedHeaderNotSent`, `HostMismatch`, `HostNotAccepted` | 403 | `SignatureDoesNotMatch` / `AccessDenied` |
    ///
    /// `in_query` says whether the signature came in the URL.
    pub fn of(refusal: &VerifyError, in_query: bool) -> S3Error {
        let malformed = |message: String| match in_query {
            true => S3Error::new(400, "AuthorizationQueryParametersError", message),
            false => S3Error::new(400, "AuthorizationHeaderMalformed", message),
        };
        match refusal {
            VerifyError::Expired { .. } => S3Error::new(403, "AccessDenied", "Request has expired"),
            VerifyError::NotYetValid { .. }
            | VerifyError::ClockSkew { .. }
            | VerifyError::SignedTooLongAgo { .. } => S3Error::new(
                403,
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
            ),
            VerifyError::SignatureMismatch {
                canonical_request,
                string_to_sign,
            } => S3Error {
                string_to_sign: Some(string_to_sign.clone()),
                canonical_request: Some(canonical_request.clone()),
                ..S3Error::new(
                    403,
                    "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you \
                     provided. Check your key and signing method.",
                )
            },
            VerifyError::UnknownAccessKey { .. } => S3Error::new(
                403,
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
            ),
            VerifyError::CredentialsExpired { .. } => {
                S3Error::new(400, "ExpiredToken", "The provided token has expired.")
            }
            VerifyError::SessionTokenMissing
            | VerifyError::SessionTokenMismatch
            | VerifyError::UnexpectedSessionToken
            | VerifyError::SessionTokenAmbiguous
            | VerifyError::SessionTokenNotForService { .. } => S3Error::new(
                400,
                "InvalidToken",
                "The provided token is malformed or otherwise invalid.",
            ),
            VerifyError::PayloadHashMismatch => S3Error::new(
                400,
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            ),
            VerifyError::UnsignedHeaders { .. } => S3Error::new(
                403,
                "AccessDenied",
                "There were headers present in the request which were not signed",
            ),
            VerifyError::MixedAuthentication => {
                S3Error::new(400, "InvalidArgument", "Only one auth mechanism allowed")
            }
            VerifyError::MalformedAuthorization { .. }
            | VerifyError::MalformedCredential
            | VerifyError::CredentialDateMismatch
            | VerifyError::ScopeNotAccepted { .. }
            | VerifyError::MalformedSignature
            | VerifyError::MalformedDerSignature
            | VerifyError::SignedHeadersNotCanonical
            | VerifyError::HostNotSigned
            | VerifyError::InvalidExpires
            | VerifyError::Missing(_) => malformed(refusal.to_string()),
            VerifyError::Duplicate(_) | VerifyError::MalformedDate => {
                S3Error::new(400, "InvalidArgument", refusal.to_string())
            }
            VerifyError::SignedHeaderNotSent { .. } => S3Error::new(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you \
                 provided. Check your key and signing method.",
            ),
            VerifyError::HostMismatch { .. } | VerifyError::HostNotAccepted { .. } => {
                S3Error::new(403, "AccessDenied", refusal.to_string())
            }
            _ => S3Error::new(400, "InvalidRequest", refusal.to_string()),
        }
    }

    /// How S3 reports a body that failed as it streamed: a chunk that does
    /// not verify is `SignatureDoesNotMatch`, with the chunk's (or the
    /// trailer's) string to sign, its signature before not shown; a body
    /// shorter or longer than declared `IncompleteBody`, a trailer checksum
    /// that differs `BadDigest`, malformed framing `InvalidRequest`.
    pub fn of_chunk(error: &ChunkError) -> S3Error {
        match error {
            ChunkError::SignatureMismatch { string_to_sign, .. }
            | ChunkError::TrailerSignatureMismatch { string_to_sign } => S3Error {
                string_to_sign: Some(string_to_sign.clone()),
                ..S3Error::new(
                    403,
                    "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you \
                     provided. Check your key and signing method.",
                )
            },
            ChunkError::LengthMismatch { .. } | ChunkError::Truncated { .. } => S3Error::new(
                400,
                "IncompleteBody",
                "You did not provide the number of bytes specified by the Content-Length HTTP \
                 header.",
            ),
            ChunkError::ChecksumMismatch { name } => S3Error::new(
                400,
                "BadDigest",
                alloc::format!("The {name} you specified did not match the calculated checksum."),
            ),
            _ => S3Error::new(400, "InvalidRequest", error.to_string()),
        }
    }

    /// A request carrying no authentication at all.
    pub fn anonymous() -> S3Error {
        S3Error::new(403, "AccessDenied", "Access Denied")
    }

    /// A body over the limit the layer holds while it verifies a signature
    /// over the body's hash.
    pub fn too_large(limit: usize) -> S3Error {
        S3Error::new(
            400,
            "EntityTooLarge",
            alloc::format!(
                "Your proposed upload exceeds the maximum allowed size ({limit} bytes for a \
                 request whose signature covers its body without x-amz-content-sha256)"
            ),
        )
    }

    /// S3's XML error document.
    pub fn to_xml(&self) -> String {
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>");
        xml.push_str(self.code);
        xml.push_str("</Code><Message>");
        escape_xml(&self.message, &mut xml);
        xml.push_str("</Message>");
        if let Some(text) = &self.string_to_sign {
            xml.push_str("<StringToSign>");
            escape_xml(text, &mut xml);
            xml.push_str("</StringToSign>");
        }
        if let Some(text) = &self.canonical_request {
            xml.push_str("<CanonicalRequest>");
            escape_xml(text, &mut xml);
            xml.push_str("</CanonicalRequest>");
        }
        xml.push_str("</Error>");
        xml
    }

    /// The JSON error body of AWS's JSON-protocol services
    /// (`{"__type": code, "message": …}`), for a layer in front of one.
    pub fn to_json(&self) -> String {
        let mut json = String::from("{\"__type\":\"");
        json.push_str(self.code);
        json.push_str("\",\"message\":\"");
        for c in self.message.chars() {
            match c {
                '"' => json.push_str("\\\""),
                '\\' => json.push_str("\\\\"),
                c if (c as u32) < 0x20 => json.push_str(&alloc::format!("\\u{:04x}", c as u32)),
                c => json.push(c),
            }
        }
        json.push_str("\"}");
        json
    }
}

/// Appends `text` with XML's five special characters escaped.
fn escape_xml(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}
