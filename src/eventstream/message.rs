//! An event-stream message, owned: built, encoded and decoded whole.

use super::frame::{encode_frame, encode_header, Frame, FrameError, HeaderValue};
use alloc::string::String;
use alloc::vec::Vec;

/// An event-stream message, owned: its headers in order, and its payload.
///
/// ```
/// use awsig::eventstream::{HeaderValue, Message};
///
/// let audio = Message::new(b"\x00\x01pcm".to_vec())
///     .with_header(":content-type", HeaderValue::String("application/octet-stream".into()))
///     .with_header(":event-type", HeaderValue::String("AudioEvent".into()))
///     .with_header(":message-type", HeaderValue::String("event".into()));
/// let bytes = audio.encode()?;
/// let (back, len) = Message::decode(&bytes)?.expect("whole");
/// assert_eq!((back, len), (audio, bytes.len()));
/// # Ok::<(), awsig::eventstream::FrameError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    /// The headers, in the order they are written.
    pub headers: Vec<(String, HeaderValue)>,
    /// The payload.
    pub payload: Vec<u8>,
}

impl Message {
    /// A message with `payload` and no headers.
    pub fn new(payload: Vec<u8>) -> Message {
        Message {
            headers: Vec::new(),
            payload,
        }
    }

    /// Adds a header after the others.
    pub fn with_header(mut self, name: &str, value: HeaderValue) -> Message {
        self.headers.push((name.into(), value));
        self
    }

    /// The encoded header block.
    pub fn encode_headers(&self) -> Result<Vec<u8>, FrameError> {
        let mut names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        if names.windows(2).any(|pair| pair[0] == pair[1]) {
            return Err(FrameError::DuplicateHeader);
        }
        let mut block = Vec::new();
        for (name, value) in &self.headers {
            encode_header(name, value, &mut block)?;
        }
        Ok(block)
    }

    /// The whole message, framed.
    pub fn encode(&self) -> Result<Vec<u8>, FrameError> {
        let mut out = Vec::new();
        encode_frame(&self.encode_headers()?, &self.payload, &mut out)?;
        Ok(out)
    }

    /// The message at the start of `buf` and its length, CRCs checked;
    /// `Ok(None)` while `buf` holds only part of it.
    pub fn decode(buf: &[u8]) -> Result<Option<(Message, usize)>, FrameError> {
        let Some(frame) = Frame::parse(buf)? else {
            return Ok(None);
        };
        let mut headers = Vec::new();
        for header in frame.raw_headers() {
            let header = header?;
            headers.push((header.name.into(), header.value.to_owned_value()));
        }
        let message = Message {
            headers,
            payload: frame.payload.to_vec(),
        };
        Ok(Some((message, frame.len)))
    }

    /// The value of header `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}
