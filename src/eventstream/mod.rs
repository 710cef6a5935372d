//! Event streams (feature `eventstream`): each message signed with the day's
//! cached key and chained to the one before, framed, and verified.
//!
//! Amazon Transcribe streaming, Lex streaming and Bedrock's bidirectional
//! streams send their input as `application/vnd.amazon.eventstream`
//! messages. The initial request is signed as usual: header-signed with
//! [`Payload::EventStream`](crate::Payload::EventStream)
//! (`x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS`) over HTTP/2,
//! or a presigned URL for a websocket (Transcribe's). Its signature seeds an
//! [`EventSigner`], which wraps each message (the encoded inner event,
//! [`Message::encode`]) in an outer one carrying `:date` (a timestamp) and
//! `:chunk-signature` (32 bytes), signed over this string to sign:
//!
//! ```text
//! AWS4-HMAC-SHA256-PAYLOAD
//! 20130524T000001Z                              the message's own time (its :date)
//! 20130524/us-east-1/transcribe/aws4_request    the scope, on the message's date
//! <previous signature, hex>                     the initial request's, then each message's
//! hex(SHA-256(encoded :date header))
//! hex(SHA-256(payload))
//! ```
//!
//! A stream ends with a signed empty message ([`EventSigner::write_end`]).
//!
//! ```
//! use awsig::eventstream::{EventSigner, HeaderValue, Message};
//! use awsig::{verify::Verifier, Credentials, Payload, Request, Signer, SigningTime};
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
//! let signer = Signer::new(creds.clone(), "us-east-1", "transcribe")?;
//! let at = SigningTime::parse("2026-12-07T12:00:00Z")?;
//! let headers = [("content-type", "application/vnd.amazon.eventstream")];
//! let start = Request::new("POST", "transcribestreaming.us-east-1.amazonaws.com:8443", "/stream-transcription")
//!     .with_headers(&headers)
//!     .with_payload(Payload::EventStream);
//! let signed = signer.authorize(&start, at)?;      // send its headers with the request
//!
//! let mut events = EventSigner::new(&signer, signed.signature())?;
//! let audio = Message::new(vec![0u8; 3200])
//!     .with_header(":event-type", HeaderValue::String("AudioEvent".into()))
//!     .with_header(":message-type", HeaderValue::String("event".into()));
//! let mut body = Vec::new();
//! events.write_message(&audio.encode()?, at, &mut body)?;
//! events.write_end(SigningTime::parse("2026-12-07T12:00:01Z")?, &mut body)?;
//!
//! // The service: the initial request, then the messages as they arrive.
//! let mut sent: Vec<(&str, &str)> = headers.to_vec();
//! sent.extend(signed.headers());
//! let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept("us-east-1", "transcribe");
//! let url = "https://transcribestreaming.us-east-1.amazonaws.com:8443/stream-transcription";
//! let (_, mut stream) = verifier.verify_event_stream("POST", url, &sent, at).unwrap();
//! let mut received = Vec::new();
//! stream.feed(&body, at, |payload| received.push(payload.to_vec())).unwrap();
//! stream.finish().unwrap();                                   // the empty message came
//! let (inner, _) = Message::decode(&received[0]).unwrap().expect("whole");
//! assert_eq!(inner, audio);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Verifying
//!
//! [`Verifier::verify_event_stream`](crate::verify::Verifier::verify_event_stream)
//! (header-signed, `STREAMING-AWS4-HMAC-SHA256-EVENTS`) and
//! [`Verifier::verify_event_stream_presigned`](crate::verify::Verifier::verify_event_stream_presigned)
//! (a websocket's URL) check the initial request through the checks every
//! form shares, as the form "an event stream" (any service but S3), and
//! hand back an [`EventVerifier`] seeded with its signature and key. It
//! takes the stream in pieces of any size and, for each message: checks the
//! prelude's length and CRC-32 before holding anything (so memory stays
//! bounded by one message, [`MAX_MESSAGE`]), then the message's CRC-32; takes
//! exactly the two headers `:date` (a timestamp) and `:chunk-signature` (32
//! bytes), no other and neither twice; refuses a `:date` more than the
//! verifier's skew from now; and compares the signature, chained from the
//! one before, in constant time. Only a verified message's payload reaches
//! the caller; [`EventVerifier::finish`] says whether the signed empty
//! message ended the stream. Every failure names the first bad message,
//! counted from 0 ([`EventError`]), and a signature mismatch carries the
//! string to sign the verifier computed (never a key or the expected
//! signature).
//!
//! # Proof
//!
//! `test-vectors/eventstream/vectors.json` records, with their sources:
//! aws-c-auth's `tests/test_event_signing.c` (the initial request and the
//! events "A", "B", "C" and the empty one; the AWS SDK for Java's
//! `SigV4DataFramePublisherTest` has the same vector), @smithy's
//! `signature-v4` `signMessage` test (whose header block is hashed as
//! given), aws-sdk-go-v2's `stream_test.go` (four signatures from the raw
//! seed `foobarbazqux`) and aws-sigv4's `event_stream.rs` string to sign.
//! `cargo test --test vectors` prints a line for each.

mod frame;
mod message;
mod verify;

pub use frame::{
    Frame, FrameError, HeaderValue, HeaderValueRef, RawHeader, RawHeaders, MAX_HEADERS,
    MAX_MESSAGE, MAX_PAYLOAD,
};
pub use message::Message;
pub use verify::{EventError, EventErrorKind, EventVerifier};

use crate::error::Error;
use crate::scope::{Scope, SigningTime};
use crate::sign::Signer;
use crate::string_to_sign::StringToSign;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use sha2::{Digest, Sha256};

/// The largest payload a signed message carries: what 16 MiB
/// ([`MAX_MESSAGE`]) leaves beside the prelude, the two signing headers (67
/// bytes) and the CRC.
pub const MAX_SIGNED_PAYLOAD: usize = MAX_MESSAGE - 16 - 67;

/// The header that carries a message's signature: 32 raw bytes.
pub const CHUNK_SIGNATURE: &str = ":chunk-signature";

/// The header that carries a message's time: a timestamp, milliseconds
/// since the Unix epoch.
pub const DATE: &str = ":date";

/// The encoded `:date` header for `time`: name length 5, `:date`, type 8
/// (timestamp), the milliseconds big-endian. The one header a message's
/// signature covers.
pub fn date_header(time: SigningTime) -> [u8; 15] {
    let mut out = [0u8; 15];
    out[0] = 5;
    out[1..6].copy_from_slice(DATE.as_bytes());
    out[6] = 8;
    out[7..].copy_from_slice(&(time.unix_seconds() * 1000).to_be_bytes());
    out
}

/// The hex SHA-256 of `bytes`: the last two lines of a message's string to
/// sign.
fn sha256_hex(bytes: &[u8]) -> [u8; 64] {
    crate::encoding::hex32(&Sha256::digest(bytes))
}

/// A message's signature: the 32 bytes its `:chunk-signature` carries.
/// With the message it is replayable until the stream's next message, so
/// `Debug` does not show it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct EventSignature([u8; 32]);

impl fmt::Debug for EventSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventSignature(** redacted **)")
    }
}

impl EventSignature {
    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 64 lower-case hex digits, as the next message's string to sign
    /// writes it.
    pub fn to_hex(&self) -> String {
        String::from(crate::encoding::written_text(&crate::encoding::hex32(
            &self.0,
        )))
    }
}

/// Signs an event stream's messages, each chained to the signature before
/// it (the initial request's first), with the signer's cached key for the
/// day of each message's own time.
#[derive(Clone)]
pub struct EventSigner {
    signer: Signer,
    /// The signature before, in hex.
    previous: String,
}

impl fmt::Debug for EventSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSigner")
            .field("scope", self.signer.scope())
            .finish_non_exhaustive()
    }
}

impl EventSigner {
    /// A message signer seeded with `seed`, the initial request's signature
    /// made by `signer` (the hex of its `Authorization` header or of its
    /// URL's `X-Amz-Signature`). A SigV4a signer is refused
    /// ([`Error::SigV4aUnsupported`]): AWS defines event-stream signing for
    /// SigV4 alone.
    pub fn new(signer: &Signer, seed: &str) -> Result<EventSigner, Error> {
        if signer.is_sigv4a() {
            return Err(Error::SigV4aUnsupported {
                form: "event streams",
            });
        }
        Ok(EventSigner {
            signer: signer.clone(),
            previous: String::from(seed),
        })
    }

    /// Signs the next message, `payload` (the encoded inner message), at
    /// `time`, covering the `:date` header of that time; the signature
    /// becomes the one the next message chains to.
    pub fn sign(&mut self, payload: &[u8], time: SigningTime) -> Result<EventSignature, Error> {
        self.sign_with_headers(&date_header(time), payload, time)
    }

    /// Signs the next message with `headers`, an encoded header block the
    /// signature covers, hashed as given. [`EventSigner::sign`] passes the
    /// `:date` header of `time`, which is what AWS's services check; this is
    /// for signers whose vectors hash other bytes.
    pub fn sign_with_headers(
        &mut self,
        headers: &[u8],
        payload: &[u8],
        time: SigningTime,
    ) -> Result<EventSignature, Error> {
        let (headers_hash, payload_hash) = (sha256_hex(headers), sha256_hex(payload));
        let amz_date = time.amz_date();
        let string_to_sign = StringToSign::Event {
            amz_date: &amz_date,
            scope: self.signer.scope(),
            previous: &self.previous,
            headers_hash: &headers_hash,
            payload_hash: &payload_hash,
        };
        let signature = EventSignature(self.signer.with_key(time, |key| key.mac(&string_to_sign))?);
        self.previous.clear();
        self.previous
            .push_str(crate::encoding::written_text(&crate::encoding::hex32(
                &signature.0,
            )));
        Ok(signature)
    }

    /// Signs `payload` as the next message at `time` and appends the outer
    /// message to `out`, framed: `:chunk-signature` and `:date` headers,
    /// the payload, both CRC-32s. A payload that would make the message
    /// longer than 16 MiB ([`MAX_SIGNED_PAYLOAD`]) is refused
    /// ([`Error::EventPayloadTooLong`]) before anything is signed.
    pub fn write_message(
        &mut self,
        payload: &[u8],
        time: SigningTime,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        if payload.len() > MAX_SIGNED_PAYLOAD {
            return Err(Error::EventPayloadTooLong { len: payload.len() });
        }
        let date = date_header(time);
        let signature = self.sign_with_headers(&date, payload, time)?;
        let mut headers = [0u8; 52];
        headers[0] = CHUNK_SIGNATURE.len() as u8;
        headers[1..17].copy_from_slice(CHUNK_SIGNATURE.as_bytes());
        headers[17] = 6;
        headers[18..20].copy_from_slice(&32u16.to_be_bytes());
        headers[20..52].copy_from_slice(signature.as_bytes());
        let mut block = [0u8; 67];
        block[..52].copy_from_slice(&headers);
        block[52..].copy_from_slice(&date);
        // Within the limits: the payload was checked, the block is 67 bytes.
        frame::encode_frame(&block, payload, out)
            .map_err(|_| Error::EventPayloadTooLong { len: payload.len() })
    }

    /// Appends the signed empty message that ends the stream.
    pub fn write_end(&mut self, time: SigningTime, out: &mut Vec<u8>) -> Result<(), Error> {
        self.write_message(&[], time, out)
    }

    /// The string to sign of the next message, were it `payload` at `time`
    /// (with the `:date` header of `time`): what its signature covers, for
    /// explaining a mismatch. Nothing is signed or chained.
    pub fn string_to_sign(&self, payload: &[u8], time: SigningTime) -> String {
        render(
            time,
            self.signer.scope(),
            &self.previous,
            &date_header(time),
            payload,
        )
    }
}

/// The string to sign of one message, as text: signed at `time` in `region`
/// and for `service`, chained to `previous`, covering the encoded
/// `headers` and `payload`. For audits and explanations; region and service
/// are written as given (a published vector's `REGION` among them), so
/// nothing here signs.
///
/// ```
/// use awsig::eventstream::{date_header, string_to_sign};
/// use awsig::SigningTime;
///
/// let at = SigningTime::parse("2013-05-24T00:00:00Z")?;
/// let text = string_to_sign(at, "us-east-1", "transcribe", "", &date_header(at), b"");
/// assert!(text.starts_with("AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524/us-east-1/transcribe/aws4_request\n\n"));
/// # Ok::<(), awsig::Error>(())
/// ```
pub fn string_to_sign(
    time: SigningTime,
    region: &str,
    service: &str,
    previous: &str,
    headers: &[u8],
    payload: &[u8],
) -> String {
    let scope = Scope::shown_as_given(region, service);
    render(time, &scope, previous, headers, payload)
}

/// One message's string to sign, written by the writer that signs.
fn render(
    time: SigningTime,
    scope: &Scope,
    previous: &str,
    headers: &[u8],
    payload: &[u8],
) -> String {
    let (headers_hash, payload_hash) = (sha256_hex(headers), sha256_hex(payload));
    let amz_date = time.amz_date();
    let mut text = String::new();
    StringToSign::Event {
        amz_date: &amz_date,
        scope,
        previous,
        headers_hash: &headers_hash,
        payload_hash: &payload_hash,
    }
    .write(&mut text);
    text
}
