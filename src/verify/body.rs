//! The payload hash a received request signed: `UNSIGNED-PAYLOAD`, the
//! client's `x-amz-content-sha256` checked against the body, or the body's
//! own hash.

use super::*;
use crate::canonical::PayloadHash;
use crate::key::constant_time_eq;
use crate::request::Payload;
use crate::settings::DefaultPayload;
use alloc::string::ToString;

/// The payload hash of a header-signed request: the `x-amz-content-sha256`
/// the client sent, which must match the body the caller has (when it has
/// one), or the caller's body hashed. `UNSIGNED-PAYLOAD` only for S3.
pub(super) fn authorized_payload_hash(
    sent: Option<&str>,
    payload: Option<Payload<'_>>,
    service: &str,
) -> Result<PayloadHash, VerifyError> {
    let s3 = crate::settings::is_s3(service);
    // Trimmed as the canonical request trims a header's value: the claim
    // read is the one signed.
    let sent = sent.map(|text| text.trim_matches([' ', '\t']));
    let body = match payload {
        Some(Payload::Unsigned | Payload::Streaming(_) | Payload::EventStream) | None => None,
        Some(payload) => Some(PayloadHash::of(payload)?),
    };
    // An aws-chunked seed only where the caller verifies the chunks in the
    // mode the client claims (`Verifier::verify_streaming`).
    // So is an event stream's, only where the caller checks its messages
    // (`Verifier::verify_event_stream`).
    if let Some(payload @ (Payload::Streaming(_) | Payload::EventStream)) = payload {
        let literal = PayloadHash::of(payload)?;
        return match sent {
            Some(text) if text == literal.as_str() => Ok(literal),
            _ => Err(VerifyError::PayloadHashMismatch),
        };
    }
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

/// The payload hash of a presigned URL, as the service's settings say its
/// signer writes it: `UNSIGNED-PAYLOAD` (S3's default), or the hash of the
/// body (every other service's), which the caller must hand over.
pub(super) fn presigned_payload_hash(
    service: &str,
    settings: &Settings,
    payload: Option<Payload<'_>>,
) -> Result<PayloadHash, VerifyError> {
    if settings.default_payload == DefaultPayload::Unsigned {
        return Ok(PayloadHash::Unsigned);
    }
    match payload {
        Some(payload) => Ok(PayloadHash::of(payload)?),
        None => Err(VerifyError::PayloadRequired {
            service: service.to_string(),
        }),
    }
}
