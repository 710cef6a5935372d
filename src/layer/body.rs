//! The body a verified request reaches its handler with: checked as it
//! streams, never held whole, and failing at its end (before the handler
//! can take it as complete) when it is not the body that was signed.

use super::S3Error;
use crate::chunked::{ChunkError, ChunkSink, ChunkVerifier};
use crate::key::constant_time_eq;
use bytes::{Buf, Bytes, BytesMut};
use core::pin::Pin;
use core::task::{Context, Poll};
use http_body::{Body, Frame, SizeHint};
use sha2::{Digest, Sha256};
use std::boxed::Box;
use std::collections::VecDeque;
use std::vec::Vec;

/// Why a verified body failed as it streamed.
#[derive(Debug)]
#[non_exhaustive]
pub enum BodyError {
    /// The body underneath failed.
    Inner(Box<dyn std::error::Error + Send + Sync>),
    /// The body's SHA-256 is not the `x-amz-content-sha256` signed.
    PayloadHashMismatch,
    /// An aws-chunked body failed at a chunk, its trailer or its length.
    Chunk(ChunkError),
}

impl BodyError {
    /// How S3 reports it ([`S3Error::of_chunk`]; a payload that is not the
    /// one signed is `XAmzContentSHA256Mismatch`).
    pub fn s3_error(&self) -> S3Error {
        match self {
            BodyError::Inner(_) => S3Error {
                status: 400,
                code: "IncompleteBody",
                message: "The request body could not be read to its end.".into(),
                string_to_sign: None,
                canonical_request: None,
            },
            BodyError::PayloadHashMismatch => {
                S3Error::of(&crate::verify::VerifyError::PayloadHashMismatch, false)
            }
            BodyError::Chunk(error) => S3Error::of_chunk(error),
        }
    }
}

impl core::fmt::Display for BodyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            BodyError::Inner(e) => write!(f, "the request body failed: {e}"),
            BodyError::PayloadHashMismatch => {
                f.write_str("the body's SHA-256 is not the x-amz-content-sha256 signed")
            }
            BodyError::Chunk(e) => write!(f, "the aws-chunked body failed: {e}"),
        }
    }
}

impl std::error::Error for BodyError {}

/// What the body is checked against.
pub(crate) enum Check {
    /// Nothing: `UNSIGNED-PAYLOAD`, or a body the signature covered
    /// whole (`Buffered`).
    Nothing,
    /// Its SHA-256 against the signed `x-amz-content-sha256`.
    Sha256 { expected: [u8; 32], hasher: Sha256 },
    /// aws-chunked framing, verified chunk by chunk; the data handed on as
    /// slices of the buffers it came in, never copied.
    Chunked {
        verifier: Box<ChunkVerifier>,
        /// A chunk's data until it verifies.
        held: Held,
        /// Verified data, to be handed on in order.
        ready: VecDeque<Bytes>,
    },
}

impl Check {
    /// The chunk verifier's check, with nothing held yet.
    pub(crate) fn chunked(verifier: ChunkVerifier) -> Check {
        Check::Chunked {
            verifier: Box::new(verifier),
            held: Held::default(),
            ready: VecDeque::new(),
        }
    }
}

/// A chunk's data until it verifies: large pieces as slices of the buffers
/// they came in, small ones copied together, so that a client sending a
/// chunk a byte a frame holds no more than the chunk (and a slice per
/// kilobyte).
#[derive(Default)]
pub(crate) struct Held {
    pieces: Vec<Bytes>,
    small: BytesMut,
}

/// The least piece held as a slice rather than copied.
const SLICED: usize = 1024;

impl Held {
    fn push(&mut self, piece: Bytes) {
        if piece.len() < SLICED {
            self.small.extend_from_slice(&piece);
            return;
        }
        if !self.small.is_empty() {
            self.pieces.push(self.small.split().freeze());
        }
        self.pieces.push(piece);
    }

    fn release_into(&mut self, ready: &mut VecDeque<Bytes>) {
        ready.extend(self.pieces.drain(..));
        if !self.small.is_empty() {
            ready.push_back(self.small.split().freeze());
        }
    }
}

/// The chunk verifier's sink over one received buffer: data is sliced out
/// of it (shared, not copied), held, then made ready.
struct Slices<'a> {
    input: &'a Bytes,
    held: &'a mut Held,
    ready: &'a mut VecDeque<Bytes>,
}

impl ChunkSink for Slices<'_> {
    fn input(&self, range: core::ops::Range<usize>) -> &[u8] {
        &self.input[range]
    }

    fn hold(&mut self, range: core::ops::Range<usize>) {
        self.held.push(self.input.slice(range));
    }

    fn release(&mut self) {
        self.held.release_into(self.ready);
    }

    fn pass(&mut self, range: core::ops::Range<usize>) {
        self.ready.push_back(self.input.slice(range));
    }
}

/// A request body as its handler sees it: only data that verified, the
/// end reported only once the whole body matched what was signed.
pub struct VerifyingBody<B> {
    inner: Option<Pin<Box<B>>>,
    /// A body read whole before its signature could be checked (a service
    /// that signs the body's hash without `x-amz-content-sha256`).
    buffered: Option<Bytes>,
    check: Check,
    failed: bool,
}

impl<B> core::fmt::Debug for VerifyingBody<B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let check = match self.check {
            Check::Nothing => "nothing",
            Check::Sha256 { .. } => "sha256",
            Check::Chunked { .. } => "aws-chunked",
        };
        f.debug_struct("VerifyingBody")
            .field("check", &check)
            .finish_non_exhaustive()
    }
}

impl<B> VerifyingBody<B> {
    pub(crate) fn streaming(inner: B, check: Check) -> VerifyingBody<B> {
        VerifyingBody {
            inner: Some(Box::pin(inner)),
            buffered: None,
            check,
            failed: false,
        }
    }

    pub(crate) fn buffered(bytes: Bytes) -> VerifyingBody<B> {
        VerifyingBody {
            inner: None,
            buffered: Some(bytes),
            check: Check::Nothing,
            failed: false,
        }
    }

    /// The end of the body underneath: the checks that only the end can
    /// make.
    fn at_end(&mut self) -> Result<(), BodyError> {
        match &mut self.check {
            Check::Nothing => Ok(()),
            Check::Sha256 { expected, hasher } => {
                let got = core::mem::take(hasher).finalize();
                match constant_time_eq(&got, expected) {
                    true => Ok(()),
                    false => Err(BodyError::PayloadHashMismatch),
                }
            }
            Check::Chunked { verifier, .. } => verifier.finish().map_err(BodyError::Chunk),
        }
    }
}

impl<B> Body for VerifyingBody<B>
where
    B: Body,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let this = self.get_mut();
        if this.failed {
            return Poll::Ready(None);
        }
        if let Some(bytes) = this.buffered.take() {
            return Poll::Ready(Some(Ok(Frame::data(bytes))));
        }
        loop {
            if let Check::Chunked { ready, .. } = &mut this.check {
                if let Some(next) = ready.pop_front() {
                    return Poll::Ready(Some(Ok(Frame::data(next))));
                }
            }
            let Some(inner) = this.inner.as_mut() else {
                return Poll::Ready(None);
            };
            let frame = match inner.as_mut().poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.inner = None;
                    return match this.at_end() {
                        Ok(()) => Poll::Ready(None),
                        Err(e) => {
                            this.failed = true;
                            Poll::Ready(Some(Err(e)))
                        }
                    };
                }
                Poll::Ready(Some(Err(e))) => {
                    this.failed = true;
                    return Poll::Ready(Some(Err(BodyError::Inner(e.into()))));
                }
                Poll::Ready(Some(Ok(frame))) => frame,
            };
            let mut data = match frame.into_data() {
                Ok(data) => data,
                // HTTP trailers pass through; aws-chunked's are in the body.
                Err(frame) => match frame.into_trailers() {
                    Ok(trailers) => return Poll::Ready(Some(Ok(Frame::trailers(trailers)))),
                    Err(_) => continue,
                },
            };
            let bytes = data.copy_to_bytes(data.remaining());
            match &mut this.check {
                Check::Nothing => return Poll::Ready(Some(Ok(Frame::data(bytes)))),
                Check::Sha256 { hasher, .. } => {
                    hasher.update(&bytes);
                    return Poll::Ready(Some(Ok(Frame::data(bytes))));
                }
                Check::Chunked {
                    verifier,
                    held,
                    ready,
                } => {
                    let mut sink = Slices {
                        input: &bytes,
                        held,
                        ready,
                    };
                    if let Err(e) = verifier.feed_into(bytes.len(), &mut sink) {
                        this.failed = true;
                        return Poll::Ready(Some(Err(BodyError::Chunk(e))));
                    }
                    // A piece that completed no chunk releases nothing yet:
                    // the loop reads on (and hands on what is ready first).
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.failed || (self.inner.is_none() && self.buffered.is_none())
    }

    fn size_hint(&self) -> SizeHint {
        match (&self.buffered, &self.inner, &self.check) {
            (Some(bytes), _, _) => SizeHint::with_exact(bytes.len() as u64),
            (None, Some(inner), Check::Nothing | Check::Sha256 { .. }) => inner.size_hint(),
            _ => SizeHint::default(),
        }
    }
}
