//! Verifying an event stream as it arrives: each message's framing and
//! CRCs, its two headers, its `:date` against the clock, and its signature
//! chained from the one before, compared in constant time, with memory
//! bounded by one message.

use super::frame::{self, Frame, FrameError, HeaderValueRef, PRELUDE};
use super::{sha256_hex, CHUNK_SIGNATURE, DATE};
use crate::credentials::Credentials;
use crate::key::{ReceivedSignature, SigningKey};
use crate::request::Payload;
use crate::scope::{Scope, SigningTime};
use crate::string_to_sign::StringToSign;
use crate::verify::{Form, SeedIn, SeedKey, Verified, Verifier, VerifyError};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why an event stream failed verification, naming the message (counted
/// from 0) where it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventError {
    /// The message, counted from 0.
    pub message: u64,
    /// What is wrong with it.
    pub kind: EventErrorKind,
}

/// What is wrong with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventErrorKind {
    /// Its framing: lengths, CRCs or headers.
    Frame(FrameError),
    /// It lacks `:date` or `:chunk-signature`.
    MissingHeader(&'static str),
    /// `:date` is not a timestamp, or `:chunk-signature` not 32 bytes.
    HeaderType(&'static str),
    /// A header besides `:date` and `:chunk-signature`, which no signer of
    /// AWS's writes on the outer message.
    UnexpectedHeader(String),
    /// `:date` is further from now than the verifier's skew allows, either
    /// way, or out of the range of times.
    DateOutOfWindow {
        /// The `:date`, milliseconds since the Unix epoch.
        date_millis: i64,
        /// The skew allowed, in seconds.
        max_skew: u64,
    },
    /// The signature is not the one chained from the message before.
    SignatureMismatch {
        /// The string to sign the verifier computed, its fourth line (the
        /// signature before) written as `<signature before, not shown>`.
        string_to_sign: String,
    },
    /// Bytes came after the signed empty message that ended the stream.
    AfterEnd,
    /// The stream stopped before its signed empty message (in the middle
    /// of this message when some of it had come).
    Truncated,
    /// The message is dated at or after the credentials' own expiry: a
    /// stream lives no longer than what signed it.
    CredentialsExpired,
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "event-stream message {}: ", self.message)?;
        match &self.kind {
            EventErrorKind::Frame(e) => write!(f, "{e}"),
            EventErrorKind::MissingHeader(name) => write!(f, "no {name} header"),
            EventErrorKind::HeaderType(expected) => write!(f, "{expected}"),
            EventErrorKind::UnexpectedHeader(name) => write!(
                f,
                "header {name:?} is not one a signed message carries (only :date and \
                 :chunk-signature)"
            ),
            EventErrorKind::DateOutOfWindow {
                date_millis,
                max_skew,
            } => write!(
                f,
                ":date {date_millis} ms is more than {max_skew} s from now"
            ),
            EventErrorKind::SignatureMismatch { .. } => f.write_str(
                "the signature is not the one chained from the message before (reordered, \
                 dropped, replayed or altered)",
            ),
            EventErrorKind::AfterEnd => {
                f.write_str("bytes after the empty message that ended the stream")
            }
            EventErrorKind::Truncated => {
                f.write_str("the stream ended before its signed empty message")
            }
            EventErrorKind::CredentialsExpired => {
                f.write_str("dated at or after the expiry of the credentials that sign it")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for EventError {}

/// Verifies an event stream fed to it in pieces of any size, handing on
/// only the payloads of messages that verified. Made by
/// [`Verifier::verify_event_stream`] and
/// [`Verifier::verify_event_stream_presigned`].
pub struct EventVerifier {
    credentials: Credentials,
    scope: Scope,
    /// The key for the day of the last message (the seed's at first).
    key: SigningKey,
    /// The signature before, hex.
    previous: [u8; 64],
    max_skew: u64,
    /// A message begun in one piece and not yet whole; never over
    /// [`MAX_MESSAGE`](super::MAX_MESSAGE).
    pending: Vec<u8>,
    /// Messages verified.
    index: u64,
    ended: bool,
    /// The first failure: the stream is over at it, and says so again.
    failed: Option<EventError>,
}

impl fmt::Debug for EventVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventVerifier")
            .field("scope", &self.scope)
            .field("messages", &self.index)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl EventVerifier {
    /// Feeds the next bytes of the stream, verified as of `now`; `each`
    /// gets the payload of every message that verified, in order (the
    /// empty message that ends the stream is not handed on). A piece may
    /// hold any part of any number of messages.
    pub fn feed(
        &mut self,
        input: &[u8],
        now: SigningTime,
        mut each: impl FnMut(&[u8]),
    ) -> Result<(), EventError> {
        if let Some(failed) = &self.failed {
            return Err(failed.clone());
        }
        let fed = self.feed_on(input, now, &mut each);
        if let Err(e) = &fed {
            self.failed = Some(e.clone());
        }
        fed
    }

    fn feed_on(
        &mut self,
        mut input: &[u8],
        now: SigningTime,
        each: &mut impl FnMut(&[u8]),
    ) -> Result<(), EventError> {
        while !input.is_empty() {
            if self.ended {
                return Err(self.error(EventErrorKind::AfterEnd));
            }
            if self.pending.is_empty() {
                // Whole messages are verified where they lie.
                if let Some(len) = frame::message_len(input).map_err(|e| self.frame(e))? {
                    if let Some(message) = input.get(..len) {
                        self.message(message, now, each)?;
                        input = &input[len..];
                        continue;
                    }
                }
            }
            let need = match frame::message_len(&self.pending).map_err(|e| self.frame(e))? {
                Some(len) => len,
                None => PRELUDE,
            };
            let take = (need - self.pending.len()).min(input.len());
            self.pending.extend_from_slice(&input[..take]);
            input = &input[take..];
            if frame::message_len(&self.pending).map_err(|e| self.frame(e))?
                == Some(self.pending.len())
            {
                let message = core::mem::take(&mut self.pending);
                let verified = self.message(&message, now, each);
                self.pending = message;
                self.pending.clear();
                verified?;
            }
        }
        Ok(())
    }

    /// Whether the signed empty message has ended the stream.
    pub fn is_done(&self) -> bool {
        self.ended
    }

    /// How many messages have verified (the empty one included).
    pub fn messages(&self) -> u64 {
        self.index
    }

    /// Checks that the stream ended with its signed empty message, with
    /// nothing after it: until then a server has not seen the whole stream.
    pub fn finish(&self) -> Result<(), EventError> {
        if let Some(failed) = &self.failed {
            return Err(failed.clone());
        }
        match self.ended {
            true => Ok(()),
            false => Err(self.error(EventErrorKind::Truncated)),
        }
    }

    fn error(&self, kind: EventErrorKind) -> EventError {
        EventError {
            message: self.index,
            kind,
        }
    }

    fn frame(&self, e: FrameError) -> EventError {
        self.error(EventErrorKind::Frame(e))
    }

    /// One whole message: framing, headers, `:date`, signature.
    fn message(
        &mut self,
        bytes: &[u8],
        now: SigningTime,
        each: &mut impl FnMut(&[u8]),
    ) -> Result<(), EventError> {
        let frame = match Frame::parse(bytes).map_err(|e| self.frame(e))? {
            Some(frame) if frame.len == bytes.len() => frame,
            _ => return Err(self.frame(FrameError::HeaderTruncated)),
        };
        let (mut date, mut signature) = (None, None);
        // What the signature covers: every header but its own, in order.
        let mut covered: Vec<u8> = Vec::with_capacity(frame.headers.len());
        for header in frame.raw_headers() {
            let header = header.map_err(|e| self.frame(e))?;
            match (header.name, header.value) {
                (DATE, HeaderValueRef::Timestamp(ms)) => date = Some(ms),
                (DATE, _) => {
                    return Err(self.error(EventErrorKind::HeaderType(":date is not a timestamp")))
                }
                (CHUNK_SIGNATURE, HeaderValueRef::Bytes(bytes)) if bytes.len() == 32 => {
                    let mut raw = [0u8; 32];
                    raw.copy_from_slice(bytes);
                    signature = Some(ReceivedSignature(raw));
                    continue;
                }
                (CHUNK_SIGNATURE, _) => {
                    return Err(self.error(EventErrorKind::HeaderType(
                        ":chunk-signature is not 32 bytes",
                    )))
                }
                (name, _) => return Err(self.error(EventErrorKind::UnexpectedHeader(name.into()))),
            }
            covered.extend_from_slice(header.encoded);
        }
        let date_millis = date.ok_or_else(|| self.error(EventErrorKind::MissingHeader(DATE)))?;
        let provided =
            signature.ok_or_else(|| self.error(EventErrorKind::MissingHeader(CHUNK_SIGNATURE)))?;
        let out_of_window = EventErrorKind::DateOutOfWindow {
            date_millis,
            max_skew: self.max_skew,
        };
        let at = SigningTime::from_unix_seconds(date_millis.div_euclid(1000))
            .map_err(|_| self.error(out_of_window.clone()))?;
        if at.unix_seconds().abs_diff(now.unix_seconds()) > self.max_skew {
            return Err(self.error(out_of_window));
        }
        if self.credentials.expires_at().is_some_and(|end| at >= end) {
            return Err(self.error(EventErrorKind::CredentialsExpired));
        }
        let amz_date = at.amz_date();
        if self.key.date() != amz_date.date().as_bytes() {
            // A stream that outlives midnight signs with the new day's key.
            self.key =
                SigningKey::derive(self.credentials.secret_access_key(), &amz_date, &self.scope);
        }
        let (headers_hash, payload_hash) = (sha256_hex(&covered), sha256_hex(frame.payload));
        let previous = crate::encoding::written_text(&self.previous);
        let string_to_sign = StringToSign::Event {
            amz_date: &amz_date,
            scope: &self.scope,
            previous,
            headers_hash: &headers_hash,
            payload_hash: &payload_hash,
        };
        if !self.key.verify(&string_to_sign, &provided) {
            return Err(self.error(EventErrorKind::SignatureMismatch {
                string_to_sign: string_to_sign.shown_without_previous(),
            }));
        }
        self.previous = crate::encoding::hex32(&provided.0);
        self.index += 1;
        if frame.payload.is_empty() {
            self.ended = true;
        } else {
            each(frame.payload);
        }
        Ok(())
    }
}

impl<F> Verifier<F> {
    /// Verifies the initial request of an event stream (feature
    /// `eventstream`), header-signed over HTTP/2 with
    /// `x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS`, and hands
    /// back the [`EventVerifier`] for its messages, seeded with its
    /// signature and key. The request goes through the checks every form
    /// shares, as an event stream: any service but S3.
    pub fn verify_event_stream<C>(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        now: SigningTime,
    ) -> Result<(Verified, EventVerifier), VerifyError>
    where
        F: Fn(&str) -> Option<C>,
        C: core::borrow::Borrow<Credentials>,
    {
        let seed = SeedIn::AuthorizationHeader;
        self.event_stream(method, url, headers, seed, Payload::EventStream, now)
    }

    /// Verifies the presigned URL that opened an event stream's websocket
    /// (Amazon Transcribe's, whose URL signs an empty body) and hands back
    /// the [`EventVerifier`] for its messages.
    pub fn verify_event_stream_presigned<C>(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        now: SigningTime,
    ) -> Result<(Verified, EventVerifier), VerifyError>
    where
        F: Fn(&str) -> Option<C>,
        C: core::borrow::Borrow<Credentials>,
    {
        let seed = SeedIn::PresignedUrl;
        self.event_stream(method, url, headers, seed, Payload::Empty, now)
    }

    fn event_stream<C>(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        seed_in: SeedIn,
        payload: Payload<'_>,
        now: SigningTime,
    ) -> Result<(Verified, EventVerifier), VerifyError>
    where
        F: Fn(&str) -> Option<C>,
        C: core::borrow::Borrow<Credentials>,
    {
        let seed = self.verify_seed(
            (method, url, headers),
            seed_in,
            payload,
            Form::EventStream,
            now,
        )?;
        // AWS defines event-stream signing for SigV4 alone: an ECDSA
        // seed chains to no message.
        let unsupported = || {
            VerifyError::Malformed(crate::Error::SigV4aUnsupported {
                form: "event streams",
            })
        };
        #[allow(clippy::infallible_destructuring_match)] // Not without sigv4a.
        let key = match seed.key {
            SeedKey::Hmac(key) => key,
            #[cfg(feature = "sigv4a")]
            SeedKey::Ecdsa(_) => return Err(unsupported()),
        };
        let previous: [u8; 64] =
            (seed.signature.as_str().as_bytes().try_into()).map_err(|_| unsupported())?;
        let events = EventVerifier {
            credentials: seed.credentials,
            scope: seed.scope,
            key,
            previous,
            max_skew: self.allowed_skew(),
            pending: Vec::new(),
            index: 0,
            ended: false,
            failed: None,
        };
        Ok((seed.verified, events))
    }
}
