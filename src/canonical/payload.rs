//! Task 1, step 6: the payload hash, the canonical request's last line.

use crate::encoding::{hex32, written_text, Sink};
use crate::error::Error;
use crate::request::Payload;
use sha2::{Digest, Sha256};

/// The SHA-256 of nothing, in hex: an empty body's payload hash, and the
/// line of a chunk's string to sign where a request's hashes its headers.
pub(crate) const EMPTY_SHA256: &[u8; 64] =
    b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// An event stream's payload line.
const EVENT_STREAM: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// The SHA-256 of the payload as the canonical request writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadHash {
    /// The literal `UNSIGNED-PAYLOAD`.
    Unsigned,
    /// 64 lower-case hex digits.
    Hex([u8; 64]),
    /// An aws-chunked body's mode, `STREAMING-…`.
    Streaming(crate::request::Streaming),
    /// An event stream, `STREAMING-AWS4-HMAC-SHA256-EVENTS`.
    EventStream,
}

/// The payloads whose hash is signed in hex.
enum HexPayload<'a> {
    Empty,
    Bytes(&'a [u8]),
    /// A SHA-256 the caller computed, to be checked.
    Given(&'a str),
}

impl PayloadHash {
    /// The hash of an empty body, which every non-S3 request without a
    /// payload signs: a constant rather than a SHA-256 per request.
    pub const EMPTY: PayloadHash = PayloadHash::Hex(*EMPTY_SHA256);

    /// The payload hash a request signs for `payload`: its bytes hashed, or
    /// the caller's hash once checked to be 64 lower-case hex digits.
    #[inline]
    pub fn of(payload: Payload<'_>) -> Result<PayloadHash, Error> {
        match payload {
            Payload::Unsigned => Ok(PayloadHash::Unsigned),
            Payload::Streaming(mode) => Ok(PayloadHash::Streaming(mode)),
            Payload::EventStream => Ok(PayloadHash::EventStream),
            // The 64 digits are made apart: in this match, the compiler
            // wrote them out byte by byte for every payload (about 140
            // instructions a presign for `UNSIGNED-PAYLOAD`).
            Payload::Empty => PayloadHash::hex_of(HexPayload::Empty),
            Payload::Bytes(bytes) => PayloadHash::hex_of(HexPayload::Bytes(bytes)),
            Payload::Sha256Hex(text) => PayloadHash::hex_of(HexPayload::Given(text)),
        }
    }

    /// The hash in hex that `payload` signs.
    #[inline(never)]
    fn hex_of(payload: HexPayload<'_>) -> Result<PayloadHash, Error> {
        Ok(PayloadHash::Hex(match payload {
            HexPayload::Empty => *EMPTY_SHA256,
            HexPayload::Bytes(bytes) => hex32(&Sha256::digest(bytes)),
            HexPayload::Given(text) => {
                let hex: [u8; 64] = text
                    .as_bytes()
                    .try_into()
                    .map_err(|_| Error::InvalidPayloadHash)?;
                if !hex.iter().all(crate::encoding::is_lower_hex) {
                    return Err(Error::InvalidPayloadHash);
                }
                hex
            }
        }))
    }

    /// Writes the last line of the canonical request.
    pub(crate) fn write<S: Sink>(&self, sink: &mut S) {
        match self {
            PayloadHash::Unsigned => sink.put("UNSIGNED-PAYLOAD"),
            PayloadHash::Streaming(mode) => sink.put(mode.as_str()),
            PayloadHash::EventStream => sink.put(EVENT_STREAM),
            PayloadHash::Hex(hex) => sink.put_ascii(hex),
        }
    }

    /// Whether the request must send and sign `x-amz-content-sha256`
    /// whatever the service's settings say: the `STREAMING-…` literals
    /// tell the service how to read the body, and mean nothing unsent.
    pub(crate) fn needs_header(&self) -> bool {
        matches!(self, PayloadHash::Streaming(_) | PayloadHash::EventStream)
    }

    /// The text of the last line of the canonical request.
    pub fn as_str(&self) -> &str {
        match self {
            PayloadHash::Unsigned => "UNSIGNED-PAYLOAD",
            PayloadHash::Streaming(mode) => mode.as_str(),
            PayloadHash::EventStream => EVENT_STREAM,
            // Only lower-case hex is ever stored.
            PayloadHash::Hex(hex) => written_text(hex),
        }
    }
}
