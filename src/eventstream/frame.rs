//! The event-stream framing (`application/vnd.amazon.eventstream`): a
//! message is a prelude (total length, headers length, the prelude's
//! CRC-32), the headers, the payload and the message's CRC-32, every
//! integer big-endian.
//!
//! ```text
//! [total: u32][headers: u32][prelude CRC-32: u32] headers… payload… [message CRC-32: u32]
//! header: [name length: u8][name][type: u8][value]
//! ```
//!
//! Decoding borrows from the buffer ([`Frame`], [`RawHeader`]); [`Message`]
//! is the owned form that encodes and decodes whole messages.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// CRC-32 (ISO-HDLC, the one zlib computes), which the framing uses for
/// both the prelude and the message.
const CRC32: crc::Crc<u32, crc::Table<16>> =
    crc::Crc::<u32, crc::Table<16>>::new(&crc::CRC_32_ISO_HDLC);

/// The prelude's length: total length, headers length and their CRC-32.
pub(crate) const PRELUDE: usize = 12;

/// The least message: a prelude and a message CRC, nothing else.
const MIN_MESSAGE: usize = PRELUDE + 4;

/// The largest message, prelude to CRC: 16 MiB, aws-c-event-stream's
/// limit (and what a decoder here ever holds).
pub const MAX_MESSAGE: usize = 16 * 1024 * 1024;

/// The largest header block a message may carry: 128 KiB, the framing's
/// limit in the AWS SDKs.
pub const MAX_HEADERS: usize = 128 * 1024;

/// The largest payload a message may carry: what [`MAX_MESSAGE`] leaves
/// with no headers.
pub const MAX_PAYLOAD: usize = MAX_MESSAGE - MIN_MESSAGE;

/// Why bytes are not an event-stream message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// The prelude's lengths cannot be a message: a total under 16 bytes, a
    /// header block that does not fit in it, or either over its limit
    /// ([`MAX_MESSAGE`], [`MAX_HEADERS`]).
    Length {
        /// The total length the prelude states.
        total: u32,
        /// The headers length the prelude states.
        headers: u32,
    },
    /// The prelude's CRC-32 is not that of its lengths.
    PreludeCrc,
    /// The message's CRC-32 is not that of its bytes.
    MessageCrc,
    /// A header runs past the header block, or its value past its length.
    HeaderTruncated,
    /// A header's name is empty or not UTF-8.
    HeaderName,
    /// A header's type byte is none of the ten the framing defines.
    HeaderType(u8),
    /// A string header's value is not UTF-8.
    HeaderString,
    /// The same header name twice in one message.
    DuplicateHeader,
    /// A header (name, value) too long to be written: a name over 255
    /// bytes, a string or byte value over 65,535, or a block or payload
    /// over its limit.
    TooLong,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Length { total, headers } => write!(
                f,
                "prelude states a total of {total} bytes with {headers} of headers: a message is \
                 16 bytes to {MAX_MESSAGE}, with at most {MAX_HEADERS} of headers inside it"
            ),
            FrameError::PreludeCrc => f.write_str("the prelude's CRC-32 does not match"),
            FrameError::MessageCrc => f.write_str("the message's CRC-32 does not match"),
            FrameError::HeaderTruncated => f.write_str("a header runs past the header block"),
            FrameError::HeaderName => f.write_str("a header name is empty or not UTF-8"),
            FrameError::HeaderType(t) => {
                write!(f, "header type {t} is not one the framing defines (0 to 9)")
            }
            FrameError::HeaderString => f.write_str("a string header's value is not UTF-8"),
            FrameError::DuplicateHeader => f.write_str("a header name appears twice"),
            FrameError::TooLong => f.write_str(
                "too long to frame: a header name is at most 255 bytes, a string or byte value \
                 65,535, the header block 128 KiB and the whole message 16 MiB",
            ),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for FrameError {}

/// A header's value, one of the framing's ten types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// Types 0 (`true`) and 1 (`false`): no value bytes.
    Bool(bool),
    /// Type 2: one signed byte.
    Byte(i8),
    /// Type 3: a big-endian `i16`.
    Int16(i16),
    /// Type 4: a big-endian `i32`.
    Int32(i32),
    /// Type 5: a big-endian `i64`.
    Int64(i64),
    /// Type 6: a `u16` length, then the bytes.
    Bytes(Vec<u8>),
    /// Type 7: a `u16` length, then UTF-8.
    String(String),
    /// Type 8: milliseconds since the Unix epoch, a big-endian `i64`.
    Timestamp(i64),
    /// Type 9: 16 bytes.
    Uuid([u8; 16]),
}

/// A header's value as it sits in the buffer, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderValueRef<'a> {
    /// Types 0 and 1.
    Bool(bool),
    /// Type 2.
    Byte(i8),
    /// Type 3.
    Int16(i16),
    /// Type 4.
    Int32(i32),
    /// Type 5.
    Int64(i64),
    /// Type 6.
    Bytes(&'a [u8]),
    /// Type 7.
    String(&'a str),
    /// Type 8: milliseconds since the Unix epoch.
    Timestamp(i64),
    /// Type 9.
    Uuid([u8; 16]),
}

impl HeaderValueRef<'_> {
    /// The owned value.
    pub fn to_owned_value(self) -> HeaderValue {
        match self {
            HeaderValueRef::Bool(b) => HeaderValue::Bool(b),
            HeaderValueRef::Byte(b) => HeaderValue::Byte(b),
            HeaderValueRef::Int16(n) => HeaderValue::Int16(n),
            HeaderValueRef::Int32(n) => HeaderValue::Int32(n),
            HeaderValueRef::Int64(n) => HeaderValue::Int64(n),
            HeaderValueRef::Bytes(b) => HeaderValue::Bytes(b.to_vec()),
            HeaderValueRef::String(s) => HeaderValue::String(s.into()),
            HeaderValueRef::Timestamp(ms) => HeaderValue::Timestamp(ms),
            HeaderValueRef::Uuid(u) => HeaderValue::Uuid(u),
        }
    }
}

/// One header as it sits in a header block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawHeader<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its value.
    pub value: HeaderValueRef<'a>,
    /// Its whole encoding: name length, name, type and value.
    pub encoded: &'a [u8],
}

/// The headers of a block, in order, each read and checked as it is
/// reached; an error ends the iteration.
#[derive(Debug, Clone)]
pub struct RawHeaders<'a> {
    rest: &'a [u8],
}

impl<'a> RawHeaders<'a> {
    /// The headers of `block`, an encoded header block.
    pub fn new(block: &'a [u8]) -> RawHeaders<'a> {
        RawHeaders { rest: block }
    }

    fn read(&mut self) -> Result<RawHeader<'a>, FrameError> {
        let all = self.rest;
        let mut at = Reader { bytes: all, at: 0 };
        let name_len = usize::from(at.take::<1>()?[0]);
        let name = at.slice(name_len)?;
        let name = match core::str::from_utf8(name) {
            Ok(name) if !name.is_empty() => name,
            _ => return Err(FrameError::HeaderName),
        };
        let value = match at.take::<1>()?[0] {
            0 => HeaderValueRef::Bool(true),
            1 => HeaderValueRef::Bool(false),
            2 => HeaderValueRef::Byte(i8::from_be_bytes(at.take::<1>()?)),
            3 => HeaderValueRef::Int16(i16::from_be_bytes(at.take::<2>()?)),
            4 => HeaderValueRef::Int32(i32::from_be_bytes(at.take::<4>()?)),
            5 => HeaderValueRef::Int64(i64::from_be_bytes(at.take::<8>()?)),
            6 => {
                let len = usize::from(u16::from_be_bytes(at.take::<2>()?));
                HeaderValueRef::Bytes(at.slice(len)?)
            }
            7 => {
                let len = usize::from(u16::from_be_bytes(at.take::<2>()?));
                let text =
                    core::str::from_utf8(at.slice(len)?).map_err(|_| FrameError::HeaderString)?;
                HeaderValueRef::String(text)
            }
            8 => HeaderValueRef::Timestamp(i64::from_be_bytes(at.take::<8>()?)),
            9 => HeaderValueRef::Uuid(at.take::<16>()?),
            other => return Err(FrameError::HeaderType(other)),
        };
        let (encoded, rest) = all.split_at(at.at);
        self.rest = rest;
        Ok(RawHeader {
            name,
            value,
            encoded,
        })
    }
}

impl<'a> Iterator for RawHeaders<'a> {
    type Item = Result<RawHeader<'a>, FrameError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let header = self.read();
        if header.is_err() {
            self.rest = &[];
        }
        Some(header)
    }
}

/// Reads fixed and counted pieces off a byte slice, never past its end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn slice(&mut self, len: usize) -> Result<&'a [u8], FrameError> {
        let end = self
            .at
            .checked_add(len)
            .ok_or(FrameError::HeaderTruncated)?;
        let piece = self
            .bytes
            .get(self.at..end)
            .ok_or(FrameError::HeaderTruncated)?;
        self.at = end;
        Ok(piece)
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N], FrameError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.slice(N)?);
        Ok(out)
    }
}

/// A message found in a buffer, its CRCs checked, borrowing its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame<'a> {
    /// The encoded header block.
    pub headers: &'a [u8],
    /// The payload.
    pub payload: &'a [u8],
    /// The whole message's length, prelude to CRC.
    pub len: usize,
}

impl<'a> Frame<'a> {
    /// The message at the start of `buf`, once all of it is there:
    /// `Ok(None)` while it is incomplete. Only the prelude (12 bytes) is
    /// read before the lengths are checked, so a decoder never holds more
    /// than [`MAX_MESSAGE`] bytes waiting for one message.
    pub fn parse(buf: &'a [u8]) -> Result<Option<Frame<'a>>, FrameError> {
        let Some(total) = message_len(buf)? else {
            return Ok(None);
        };
        let Some(message) = buf.get(..total) else {
            return Ok(None);
        };
        let (body, crc) = message.split_at(total - 4);
        if CRC32.checksum(body).to_be_bytes() != crc {
            return Err(FrameError::MessageCrc);
        }
        let headers_len = be_u32(&message[4..8]) as usize;
        let (headers, payload) = body[PRELUDE..].split_at(headers_len);
        // Every header read here, so a frame handed out has readable headers.
        // Sorted rather than searched: a 128 KiB block holds up to 40,000
        // headers, and a quadratic search would be a way to stall a server.
        let mut names = RawHeaders::new(headers)
            .map(|h| h.map(|h| h.name))
            .collect::<Result<Vec<&str>, FrameError>>()?;
        names.sort_unstable();
        if names.windows(2).any(|pair| pair[0] == pair[1]) {
            return Err(FrameError::DuplicateHeader);
        }
        Ok(Some(Frame {
            headers,
            payload,
            len: total,
        }))
    }

    /// The headers, in order.
    pub fn raw_headers(&self) -> RawHeaders<'a> {
        RawHeaders::new(self.headers)
    }
}

/// The total length the prelude at the start of `buf` states, checked
/// against the limits and its CRC; `None` before 12 bytes are there.
pub(crate) fn message_len(buf: &[u8]) -> Result<Option<usize>, FrameError> {
    let Some(prelude) = buf.get(..PRELUDE) else {
        return Ok(None);
    };
    let (total, headers) = (be_u32(&prelude[0..4]), be_u32(&prelude[4..8]));
    let fits = (total as usize) >= MIN_MESSAGE
        && (total as usize) <= MAX_MESSAGE
        && (headers as usize) <= MAX_HEADERS
        && (headers as usize) <= total as usize - MIN_MESSAGE;
    if !fits {
        return Err(FrameError::Length { total, headers });
    }
    if CRC32.checksum(&prelude[..8]).to_be_bytes() != prelude[8..12] {
        return Err(FrameError::PreludeCrc);
    }
    Ok(Some(total as usize))
}

fn be_u32(bytes: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[..4]);
    u32::from_be_bytes(word)
}

/// Appends one header's encoding to `out`.
pub(crate) fn encode_header(
    name: &str,
    value: &HeaderValue,
    out: &mut Vec<u8>,
) -> Result<(), FrameError> {
    let name_len = u8::try_from(name.len()).map_err(|_| FrameError::TooLong)?;
    if name.is_empty() {
        return Err(FrameError::HeaderName);
    }
    out.push(name_len);
    out.extend_from_slice(name.as_bytes());
    let counted = |out: &mut Vec<u8>, kind: u8, bytes: &[u8]| {
        let len = u16::try_from(bytes.len()).map_err(|_| FrameError::TooLong)?;
        out.push(kind);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(bytes);
        Ok(())
    };
    match value {
        HeaderValue::Bool(true) => out.push(0),
        HeaderValue::Bool(false) => out.push(1),
        HeaderValue::Byte(b) => out.extend_from_slice(&[2, b.to_be_bytes()[0]]),
        HeaderValue::Int16(n) => {
            out.push(3);
            out.extend_from_slice(&n.to_be_bytes());
        }
        HeaderValue::Int32(n) => {
            out.push(4);
            out.extend_from_slice(&n.to_be_bytes());
        }
        HeaderValue::Int64(n) => {
            out.push(5);
            out.extend_from_slice(&n.to_be_bytes());
        }
        HeaderValue::Bytes(bytes) => counted(out, 6, bytes)?,
        HeaderValue::String(text) => counted(out, 7, text.as_bytes())?,
        HeaderValue::Timestamp(ms) => {
            out.push(8);
            out.extend_from_slice(&ms.to_be_bytes());
        }
        HeaderValue::Uuid(uuid) => {
            out.push(9);
            out.extend_from_slice(uuid);
        }
    }
    Ok(())
}

/// Appends a message of the encoded `headers` block and `payload` to
/// `out`: prelude, CRCs and all.
pub(crate) fn encode_frame(
    headers: &[u8],
    payload: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), FrameError> {
    if headers.len() > MAX_HEADERS || payload.len() > MAX_MESSAGE - MIN_MESSAGE - headers.len() {
        return Err(FrameError::TooLong);
    }
    // Within u32 by the limits just checked.
    let total = (MIN_MESSAGE + headers.len() + payload.len()) as u32;
    let start = out.len();
    out.reserve(total as usize);
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
    let prelude_crc = CRC32.checksum(&out[start..start + 8]);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(headers);
    out.extend_from_slice(payload);
    let message_crc = CRC32.checksum(&out[start..]);
    out.extend_from_slice(&message_crc.to_be_bytes());
    Ok(())
}
