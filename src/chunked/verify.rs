//! Verifying an aws-chunked body as it arrives: each chunk's signature
//! (chained from the seed's, compared in constant time), the framing, the
//! decoded length and the trailer, with memory bounded by one chunk.

pub use super::error::ChunkError;
use super::ChunkKey;
use crate::encoding::hex32;
use crate::key::ChainedSignature;
use crate::scope::{AmzDate, Scope};
use crate::string_to_sign::Algorithm;
use crate::Streaming;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use sha2::{Digest, Sha256};

/// The largest signed chunk the verifier holds (a signed chunk is verified
/// whole before any of it is released): 16 MiB, above what the SDKs sign
/// (64 KiB to a few MiB). Unsigned chunks are not held: some SDKs send a
/// whole object as one.
pub const MAX_CHUNK: usize = 16 * 1024 * 1024;

/// The least size of every signed chunk but the last, as S3 requires: 8 KiB.
pub const MIN_CHUNK: usize = 8 * 1024;

/// Where the decoder is in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading a chunk's header line.
    Header,
    /// Reading `remaining` more bytes of a chunk's data.
    Data { remaining: usize },
    /// Reading the CRLF after a chunk's data.
    DataEnd,
    /// Reading trailer lines.
    Trailer,
    /// After the end.
    Done,
}

/// Verifies an aws-chunked body fed to it in pieces of any size, and
/// hands back only data whose chunk has verified. Made by
/// [`Verifier::verify_streaming`](crate::verify::Verifier::verify_streaming).
pub struct ChunkVerifier {
    pub(crate) key: ChunkKey,
    pub(crate) amz_date: AmzDate,
    pub(crate) scope: Scope,
    pub(crate) previous: ChainedSignature,
    pub(crate) mode: Streaming,
    pub(crate) declared_length: u64,
    /// The trailer header the seed declared, lower-cased.
    pub(crate) trailer_name: Option<String>,
    state: State,
    line: Vec<u8>,
    /// The SHA-256 of the chunk's data so far, hashed as it arrives.
    chunk_hash: Sha256,
    /// What `feed` holds of a signed chunk until it verifies.
    held: Vec<u8>,
    chunk_signature: Option<ChainedSignature>,
    chunk_size: usize,
    index: usize,
    received: u64,
    last_size: usize,
    checksum: Option<(super::Checksum, super::Running)>,
    trailer: Vec<(String, String)>,
    /// The first failure: the body is over at it, and says so again.
    failed: Option<ChunkError>,
}

impl fmt::Debug for ChunkVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChunkVerifier")
            .field("mode", &self.mode)
            .field("chunk", &self.index)
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}

/// The longest header or trailer line taken.
const MAX_LINE: usize = 4096;

impl ChunkVerifier {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        key: ChunkKey,
        amz_date: AmzDate,
        scope: Scope,
        seed: ChainedSignature,
        mode: Streaming,
        declared_length: u64,
        trailer_name: Option<String>,
    ) -> ChunkVerifier {
        let checksum = (trailer_name.as_deref())
            .and_then(super::Checksum::from_header_name)
            .map(|c| (c, c.start()));
        ChunkVerifier {
            key,
            amz_date,
            scope,
            previous: seed,
            mode,
            declared_length,
            trailer_name,
            state: State::Header,
            line: Vec::new(),
            chunk_hash: Sha256::new(),
            held: Vec::new(),
            chunk_signature: None,
            chunk_size: 0,
            index: 0,
            received: 0,
            last_size: usize::MAX,
            checksum,
            trailer: Vec::new(),
            failed: None,
        }
    }

    /// Whether the whole body, trailer included, has been read and verified.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// The trailer's headers, once the body is done.
    pub fn trailer(&self) -> &[(String, String)] {
        &self.trailer
    }

    /// Feeds the next bytes of the body; appends to `out` the data of every
    /// chunk that verified. In the signed modes a chunk is held until it is
    /// whole and verified, so `out` never holds a byte of a chunk that
    /// fails. In `UnsignedWithTrailer` nothing is signed per chunk: the data
    /// is released as it comes and only the trailer's checksum, at the end,
    /// vouches for it, so commit nothing before [`ChunkVerifier::finish`]
    /// returns `Ok`.
    pub fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), ChunkError> {
        let mut sink = CopySink {
            input,
            held: core::mem::take(&mut self.held),
            out,
        };
        let fed = self.feed_into(input.len(), &mut sink);
        // A failed chunk's data is never handed on: not kept either.
        self.held = match fed {
            Ok(()) => sink.held,
            Err(_) => Vec::new(),
        };
        fed
    }

    /// Feeds the next `len` bytes of the body, telling `sink` which of them
    /// are data (by their range in what was fed): held until their chunk
    /// verifies, then released, or in the unsigned mode passed at once.
    /// Nothing is copied here, so a caller holding its input as shared
    /// buffers hands the data on without a copy.
    pub(crate) fn feed_into(
        &mut self,
        len: usize,
        sink: &mut impl ChunkSink,
    ) -> Result<(), ChunkError> {
        if let Some(failed) = &self.failed {
            return Err(failed.clone());
        }
        let fed = self.feed_on(len, sink);
        if let Err(e) = &fed {
            self.failed = Some(e.clone());
        }
        fed
    }

    fn feed_on(&mut self, len: usize, sink: &mut impl ChunkSink) -> Result<(), ChunkError> {
        let mut at = 0;
        while at < len {
            let input = sink.input(at..len);
            match self.state {
                State::Header | State::Trailer | State::DataEnd => {
                    let Some(end) = input.iter().position(|&b| b == b'\n') else {
                        self.take_line_part(input)?;
                        return Ok(());
                    };
                    self.take_line_part(&input[..=end])?;
                    at += end + 1;
                    let line = core::mem::take(&mut self.line);
                    let line = line
                        .strip_suffix(b"\r\n")
                        .ok_or(self.malformed("a line does not end in CRLF"))?;
                    match self.state {
                        State::Header => self.header(line, sink)?,
                        State::DataEnd if line.is_empty() => self.chunk_done(sink)?,
                        State::DataEnd => {
                            return Err(self.malformed("data runs past the chunk's size"))
                        }
                        _ => self.trailer_line(line)?,
                    }
                }
                State::Data { remaining } => {
                    let take = remaining.min(input.len());
                    let data = &input[..take];
                    if let Some((_, running)) = self.checksum.as_mut() {
                        running.update(data);
                    }
                    if self.mode.algorithm().is_none() {
                        // Nothing to verify per chunk: the data streams
                        // through, checked by the trailer's checksum at the end.
                        self.received += take as u64;
                        sink.pass(at..at + take);
                    } else {
                        self.chunk_hash.update(data);
                        sink.hold(at..at + take);
                    }
                    at += take;
                    self.state = match remaining - take {
                        0 => State::DataEnd,
                        remaining => State::Data { remaining },
                    };
                }
                State::Done => return Err(ChunkError::TrailingBytes),
            }
        }
        Ok(())
    }

    /// Checks that the body ended where it should.
    pub fn finish(&self) -> Result<(), ChunkError> {
        if let Some(failed) = &self.failed {
            return Err(failed.clone());
        }
        match self.state {
            State::Done => Ok(()),
            _ => Err(ChunkError::Truncated { chunk: self.index }),
        }
    }

    /// A chunk's or the trailer's signature as framed: 64 lower-case hex
    /// digits, or SigV4a's DER signature in hex padded with `*` to 144
    /// characters (the padding is no part of the next string to sign).
    fn framed_signature(&self, framed: &[u8]) -> Option<ChainedSignature> {
        if framed.len() != self.mode.framed_signature_len() {
            return None;
        }
        let unpadded = match self.mode.algorithm() {
            Some(Algorithm::EcdsaP256Sha256) => {
                let end = framed.iter().rposition(|&b| b != b'*').map_or(0, |i| i + 1);
                &framed[..end]
            }
            _ => framed,
        };
        ChainedSignature::new(unpadded)
    }

    fn malformed(&self, reason: &'static str) -> ChunkError {
        ChunkError::Malformed {
            chunk: self.index,
            reason,
        }
    }

    fn take_line_part(&mut self, part: &[u8]) -> Result<(), ChunkError> {
        if self.line.len() + part.len() > MAX_LINE {
            return Err(self.malformed("a line is over 4 KiB"));
        }
        self.line.extend_from_slice(part);
        Ok(())
    }

    /// `hex-size;chunk-signature=…` (signed modes) or `hex-size` (unsigned).
    fn header(&mut self, line: &[u8], sink: &mut impl ChunkSink) -> Result<(), ChunkError> {
        let signed = self.mode.algorithm().is_some();
        let (size, signature) = match (signed, line.iter().position(|&b| b == b';')) {
            (true, Some(at)) => (&line[..at], Some(&line[at + 1..])),
            (false, None) => (line, None),
            (true, None) => return Err(self.malformed("a signed chunk has no chunk-signature")),
            (false, Some(_)) => {
                return Err(self.malformed("an unsigned chunk carries an extension"))
            }
        };
        if size.is_empty() || size.len() > 15 || !size.iter().all(u8::is_ascii_hexdigit) {
            return Err(self.malformed("the chunk size is not 1 to 15 hex digits"));
        }
        let size = size.iter().fold(0u64, |n, &d| {
            n * 16 + crate::encoding::hex_value(d).map_or(0, u64::from)
        });
        if self.received.saturating_add(size) > self.declared_length {
            return Err(ChunkError::LengthMismatch {
                declared: self.declared_length,
                received: self.received.saturating_add(size),
            });
        }
        // Within the declared length, which fits the address space here.
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        if signed && size > MAX_CHUNK {
            return Err(ChunkError::ChunkSize {
                chunk: self.index,
                size,
            });
        }
        if signed && size > 0 && self.last_size < MIN_CHUNK {
            // The chunk before this one was short, yet more data follows:
            // only the last chunk of data may be short.
            return Err(ChunkError::ChunkSize {
                chunk: self.index - 1,
                size: self.last_size,
            });
        }
        if let Some(extension) = signature {
            let framed = extension
                .strip_prefix(b"chunk-signature=")
                .ok_or(self.malformed("the extension is not chunk-signature="))?;
            self.chunk_signature = Some(self.framed_signature(framed).ok_or(self.malformed(
                "the chunk signature is not 64 lower-case hex digits (SigV4a: its DER signature \
                 in hex, padded with * to 144)",
            ))?);
        }
        self.chunk_hash = Sha256::new();
        self.chunk_size = size;
        self.state = match size {
            // The final chunk: CRLF and the end without a trailer; the
            // trailer's lines follow at once in the trailer modes.
            0 if !self.mode.has_trailer() => State::DataEnd,
            0 => return self.chunk_done(sink),
            size => State::Data { remaining: size },
        };
        Ok(())
    }

    /// A chunk's data is whole: verify it, release it, go on.
    fn chunk_done(&mut self, sink: &mut impl ChunkSink) -> Result<(), ChunkError> {
        if let Some(algorithm) = self.mode.algorithm() {
            let hash = hex32(&core::mem::take(&mut self.chunk_hash).finalize());
            let provided = (self.chunk_signature.take())
                .ok_or(self.malformed("a signed chunk has no chunk-signature"))?;
            let string_to_sign = super::chunk_string_to_sign(
                algorithm,
                (&self.amz_date, &self.scope),
                &self.previous,
                &hash,
            );
            if !self
                .key
                .verifies(&string_to_sign, provided.as_str().as_bytes())
            {
                return Err(ChunkError::SignatureMismatch {
                    chunk: self.index,
                    string_to_sign: string_to_sign.shown_without_previous(),
                });
            }
            self.previous = provided;
        }
        let size = self.chunk_size;
        if self.mode.algorithm().is_some() {
            self.received += size as u64;
            sink.release();
        }
        self.index += 1;
        if size > 0 {
            self.last_size = size;
            self.state = State::Header;
            return Ok(());
        }
        if self.received != self.declared_length {
            return Err(ChunkError::LengthMismatch {
                declared: self.declared_length,
                received: self.received,
            });
        }
        self.state = match self.mode.has_trailer() {
            false => State::Done,
            true => State::Trailer,
        };
        Ok(())
    }

    /// A trailer line, or the empty line that ends the body.
    fn trailer_line(&mut self, line: &[u8]) -> Result<(), ChunkError> {
        if !line.is_empty() {
            let text = core::str::from_utf8(line)
                .map_err(|_| self.malformed("a trailer line is not text"))?;
            let (name, value) = text
                .split_once(':')
                .ok_or(self.malformed("a trailer line is not name:value"))?;
            if self.trailer.len() >= 2 {
                return Err(ChunkError::Trailer {
                    reason: "has more lines than one header and its signature",
                });
            }
            self.trailer.push((name.to_ascii_lowercase(), value.into()));
            return Ok(());
        }
        // The end: check the trailer against the seed and its signature.
        self.check_trailer()?;
        self.state = State::Done;
        Ok(())
    }

    fn check_trailer(&mut self) -> Result<(), ChunkError> {
        let signature = match self.mode.algorithm() {
            Some(_) => {
                let at = (self.trailer.iter())
                    .position(|(n, _)| n == "x-amz-trailer-signature")
                    .ok_or(ChunkError::Trailer {
                        reason: "has no x-amz-trailer-signature",
                    })?;
                Some(self.trailer.remove(at).1)
            }
            _ => None,
        };
        let [(name, value)] = self.trailer.as_slice() else {
            return Err(ChunkError::Trailer {
                reason: "is not the one header the seed declared",
            });
        };
        if Some(name.as_str()) != self.trailer_name.as_deref() {
            return Err(ChunkError::Trailer {
                reason: "is not the header the seed declared in x-amz-trailer",
            });
        }
        if let (Some(signature), Some(algorithm)) = (signature, self.mode.algorithm()) {
            let canonical = alloc::format!("{name}:{value}\n");
            let trailer_hash = hex32(&Sha256::digest(canonical.as_bytes()));
            let string_to_sign = super::trailer_string_to_sign(
                algorithm,
                (&self.amz_date, &self.scope),
                &self.previous,
                &trailer_hash,
            );
            let provided = self.framed_signature(signature.as_bytes());
            if !provided.is_some_and(|provided| {
                (self.key).verifies(&string_to_sign, provided.as_str().as_bytes())
            }) {
                return Err(ChunkError::TrailerSignatureMismatch {
                    string_to_sign: string_to_sign.shown_without_previous(),
                });
            }
        }
        match self.checksum.take() {
            Some((_, running)) => {
                let ours = running.finish();
                let sent = value.trim_matches([' ', '\t']);
                if !crate::key::constant_time_eq(ours.as_bytes(), sent.as_bytes()) {
                    return Err(ChunkError::ChecksumMismatch { name: name.clone() });
                }
                Ok(())
            }
            None => Err(ChunkError::Trailer {
                reason: "names no checksum S3 defines (x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1, -sha256)",
            }),
        }
    }
}

/// Where a chunk verifier's data goes, by its range in the bytes fed.
pub(crate) trait ChunkSink {
    /// The bytes fed, in `range`.
    fn input(&self, range: core::ops::Range<usize>) -> &[u8];
    /// Data of a signed chunk: held until the chunk verifies.
    fn hold(&mut self, range: core::ops::Range<usize>);
    /// Everything held verified: hand it on.
    fn release(&mut self);
    /// Unsigned data: handed on at once.
    fn pass(&mut self, range: core::ops::Range<usize>);
}

/// `feed`'s sink: data held in a buffer, appended to `out` once verified.
struct CopySink<'a> {
    input: &'a [u8],
    held: Vec<u8>,
    out: &'a mut Vec<u8>,
}

impl ChunkSink for CopySink<'_> {
    fn input(&self, range: core::ops::Range<usize>) -> &[u8] {
        &self.input[range]
    }

    fn hold(&mut self, range: core::ops::Range<usize>) {
        self.held.extend_from_slice(&self.input[range]);
    }

    fn release(&mut self) {
        // Handed over whole, not copied, when nothing waits before it.
        if self.out.is_empty() {
            core::mem::swap(self.out, &mut self.held);
        } else {
            self.out.append(&mut self.held);
        }
    }

    fn pass(&mut self, range: core::ops::Range<usize>) {
        self.out.extend_from_slice(&self.input[range]);
    }
}
