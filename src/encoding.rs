//! The AWS URI-encoding rules.
//!
//! * Unreserved bytes `A-Z a-z 0-9 - . _ ~` stay as they are; every other
//!   byte becomes `%XY` with upper-case hex. Space is `%20`, never `+`.
//! * In a path, `/` stays; in a query component it is `%2F`.
//! * Everything is written into a [`Sink`]: the URL being built, the SHA-256
//!   hasher, so that the encoded form is never built
//!   twice and never allocated on its own.

use crate::error::{Component, Error};
use core::cmp::Ordering;
use percent_encoding::{
    percent_decode, percent_encode, percent_encode_byte, AsciiSet, NON_ALPHANUMERIC,
};

/// What a query component escapes: everything but `A-Z a-z 0-9 - . _ ~`.
const QUERY_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What a canonical path escapes: the same, but `/` stays.
const PATH_COMPONENT: &AsciiSet = &QUERY_COMPONENT.remove(b'/');

/// What a URL path must escape: bytes outside RFC 3986 `pchar` and `/`; the
/// `%` of an existing escape stays.
const URL_PATH: &AsciiSet = &PATH_COMPONENT
    .remove(b'%')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// A byte-indexed membership table: ASCII letters and digits plus the bytes
/// of `extra`. Per-byte checks on the hot path are one load, not a scan of a
/// list.
pub(crate) const fn byte_table(extra: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

/// `true` for `A-Z a-z 0-9 - . _ ~`, indexed by byte.
pub(crate) static UNRESERVED: [bool; 256] = byte_table(b"-._~");

/// Whether `b` is in the unreserved set `A-Z a-z 0-9 - . _ ~`.
#[inline]
pub fn is_unreserved(b: u8) -> bool {
    UNRESERVED[usize::from(b)]
}

/// Unreserved bytes and `/`, indexed by byte.
static UNRESERVED_OR_SLASH: [bool; 256] = byte_table(b"-._~/");

/// The end of the run of bytes in `table` starting at `from`. Runs are most
/// of a URL, so they are checked eight bytes to a step, without a branch per
/// byte.
#[inline]
pub(crate) fn run_end(bytes: &[u8], from: usize, table: &[bool; 256]) -> usize {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        if !chunk
            .iter()
            .fold(true, |all, &b| all & table[usize::from(b)])
        {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && table[usize::from(bytes[i])] {
        i += 1;
    }
    i
}

/// The text of bytes this crate wrote itself from UTF-8 pieces alone: hex
/// and decimal digits, `T` and `Z`, escapes, unreserved bytes, tokens, whole
/// `&str`s.
///
/// Such bytes are valid UTF-8 by construction, so the `Err` arm cannot be
/// taken. Were a writer ever to break that, debug builds (every test run)
/// stop there; a release build gives the empty text, which no signature
/// matches and no caller mistakes for a value.
pub(crate) fn written_text(bytes: &[u8]) -> &str {
    match core::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            debug_assert!(false, "a writer produced invalid UTF-8: {e}");
            ""
        }
    }
}

/// Where canonical text goes: the URL being built, the hasher, or a buffer
/// a caller reads. Everything written is text (mostly ASCII), so a URL is
/// built as a `String` without checking its bytes again.
pub trait Sink {
    /// Appends `text`.
    fn put(&mut self, text: &str);

    /// Appends ASCII this crate wrote as bytes (digits, hex): a hasher takes
    /// them as they are, a text sink checks them first.
    #[inline]
    fn put_ascii(&mut self, ascii: &[u8]) {
        self.put(written_text(ascii));
    }
}

impl Sink for sha2::Sha256 {
    #[inline]
    fn put(&mut self, text: &str) {
        sha2::Digest::update(self, text.as_bytes());
    }

    #[inline]
    fn put_ascii(&mut self, ascii: &[u8]) {
        sha2::Digest::update(self, ascii);
    }
}

impl Sink for alloc::vec::Vec<u8> {
    #[inline]
    fn put(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }

    #[inline]
    fn put_ascii(&mut self, ascii: &[u8]) {
        self.extend_from_slice(ascii);
    }
}

impl Sink for alloc::string::String {
    #[inline]
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }
}

/// Counts what would be written, so that a URL's allocation can be sized
/// exactly before it is written.
#[derive(Debug, Default)]
pub(crate) struct Counter(pub(crate) usize);

impl Sink for Counter {
    #[inline]
    fn put(&mut self, text: &str) {
        self.0 += text.len();
    }

    #[inline]
    fn put_ascii(&mut self, ascii: &[u8]) {
        self.0 += ascii.len();
    }
}

/// Writes the unreserved (ASCII) byte `b` as itself.
#[inline]
pub(crate) fn put_ascii<S: Sink>(b: u8, sink: &mut S) {
    let mut buf = [0u8; 4];
    sink.put(char::from(b).encode_utf8(&mut buf));
}

/// `text[from..to]`, for ends the caller found next to ASCII bytes, which
/// are always on character boundaries. An end that is not would be a bug of
/// this crate: debug builds stop there, a release build writes nothing.
#[inline]
pub(crate) fn ascii_bounded(text: &str, from: usize, to: usize) -> &str {
    match text.get(from..to) {
        Some(piece) => piece,
        None => {
            debug_assert!(false, "{from}..{to} is not on character boundaries");
            ""
        }
    }
}

/// What URI encoding does with `/`: a path keeps it as the separator of
/// its segments; a query name or value (and anything else) escapes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slash {
    /// `/` stays (a path).
    Keep,
    /// `/` becomes `%2F` (a query part).
    Escape,
}

/// URI-encodes `bytes` once into `sink`, `/` as `slash` says: runs of
/// unreserved bytes go in whole, each other byte as `%XY`.
pub fn encode_into<S: Sink>(bytes: &[u8], slash: Slash, sink: &mut S) {
    let set = match slash {
        Slash::Keep => PATH_COMPONENT,
        Slash::Escape => QUERY_COMPONENT,
    };
    for piece in percent_encode(bytes, set) {
        sink.put(piece);
    }
}

/// [`encode_into`] for text, whose usual run of unreserved bytes (a key
/// id, an object key, a name) is found by the fast scan and goes in as one
/// slice, the encoder taking only what follows it.
pub(crate) fn encode_text_into<S: Sink>(text: &str, slash: Slash, sink: &mut S) {
    let table = match slash {
        Slash::Keep => &UNRESERVED_OR_SLASH,
        Slash::Escape => &UNRESERVED,
    };
    let plain = run_end(text.as_bytes(), 0, table);
    sink.put(ascii_bounded(text, 0, plain));
    if let Some(rest) = text.as_bytes().get(plain..).filter(|rest| !rest.is_empty()) {
        encode_into(rest, slash, sink);
    }
}

/// Length of `bytes` once URI-encoded: three bytes for each escaped one.
/// (Counted from the table the scanners use, which a unit test holds to the
/// encoding sets, without running the encoder.)
pub fn encoded_len(bytes: &[u8], slash: Slash) -> usize {
    let table = match slash {
        Slash::Keep => &UNRESERVED_OR_SLASH,
        Slash::Escape => &UNRESERVED,
    };
    let escaped = bytes.iter().filter(|&&b| !table[usize::from(b)]).count();
    bytes.len() + 2 * escaped
}

/// URI-encodes `bytes` once into a new `String` (query rules, `/` encoded).
///
/// ```
/// assert_eq!(awsig::encoding::encode("a b+c/d~"), "a%20b%2Bc%2Fd~");
/// ```
pub fn encode(text: &str) -> alloc::string::String {
    percent_encode(text.as_bytes(), QUERY_COMPONENT).collect()
}

/// Whether `b` is a lower-case hex digit, the only digits a SHA-256 in hex
/// or a signature may be written with.
pub(crate) fn is_lower_hex(b: &u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(b)
}

/// The value of one hex digit, either case.
pub(crate) fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Checks that every `%` in `bytes` starts a two-hex-digit escape.
pub fn check_escapes(bytes: &[u8], component: Component) -> Result<(), Error> {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let ok = bytes.len() > i + 2
                && hex_value(bytes[i + 1]).is_some()
                && hex_value(bytes[i + 2]).is_some();
            if !ok {
                return Err(Error::MalformedPercentEscape {
                    component,
                    position: i,
                });
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

/// Percent-decodes `bytes` (a malformed escape is kept literally; callers that
/// care run [`check_escapes`] first). `+` stays `+`: AWS does not treat it as
/// a space.
pub fn decode(bytes: &[u8]) -> alloc::vec::Vec<u8> {
    percent_decode(bytes).collect()
}

/// A query name or value, either as the caller meant it (decoded) or as it
/// appears in a URL (percent-encoded, to be decoded and encoded again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<'a> {
    /// The literal bytes.
    Decoded(&'a [u8]),
    /// Percent-encoded bytes from a URL; escapes already checked.
    Wire(&'a [u8]),
}

impl<'a> Part<'a> {
    /// The bytes the part stands for: a literal part's own, a wire part's
    /// percent-decoded.
    fn decoded(self) -> impl Iterator<Item = u8> + 'a {
        let (literal, wire) = match self {
            Part::Decoded(bytes) => (bytes, &b""[..]),
            Part::Wire(bytes) => (&b""[..], bytes),
        };
        literal.iter().copied().chain(percent_decode(wire))
    }

    /// Writes the canonical (query-rule) encoding of this part.
    pub fn write<S: Sink>(self, sink: &mut S) {
        match self {
            Part::Decoded(bytes) => encode_into(bytes, Slash::Escape, sink),
            // Fast path: a wire component that is already canonical.
            Part::Wire(bytes) if bytes.iter().all(|&b| is_unreserved(b)) => {
                sink.put(written_text(bytes))
            }
            Part::Wire(_) => {
                for b in self.decoded() {
                    if is_unreserved(b) {
                        put_ascii(b, sink);
                    } else {
                        sink.put(percent_encode_byte(b));
                    }
                }
            }
        }
    }

    /// Length of the canonical encoding.
    pub fn encoded_len(self) -> usize {
        self.decoded()
            .map(|b| if is_unreserved(b) { 1 } else { 3 })
            .sum()
    }

    /// The canonical encoding, one byte at a time, for comparisons that must
    /// not allocate.
    fn encoded_bytes(self) -> impl Iterator<Item = u8> + 'a {
        self.decoded().flat_map(|b| {
            let mut out = [b, 0, 0];
            let len = if is_unreserved(b) {
                1
            } else {
                out.copy_from_slice(percent_encode_byte(b).as_bytes());
                3
            };
            out.into_iter().take(len)
        })
    }

    /// Whether the decoded part equals `other`, ignoring ASCII case (how
    /// the reserved `X-Amz-*` names are recognized).
    pub fn decoded_eq_ignore_ascii_case(self, other: &str) -> bool {
        self.decoded()
            .map(|b| b.to_ascii_lowercase())
            .eq(other.bytes().map(|b| b.to_ascii_lowercase()))
    }
}

/// Compares two parts by their canonical encodings, byte by byte, as AWS
/// sorts query parameters.
pub fn cmp_encoded(a: Part<'_>, b: Part<'_>) -> Ordering {
    a.encoded_bytes().cmp(b.encoded_bytes())
}

/// Lower-case hex of a 32-byte digest, as SigV4 writes hashes and signatures.
/// For values that are public once written (a request hash, a signature
/// sent): the table lookup is indexed by the bytes, so a secret must not
/// go through it (the verifier compares raw MAC bytes instead).
/// Bytes past the 32nd are ignored; a shorter input leaves zeros.
pub fn hex32(digest: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, &b) in out.chunks_exact_mut(2).zip(digest) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
    out
}

/// The two lower-case hex digits of every byte: one load per byte.
static HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut pairs = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        pairs[b] = [DIGITS[b >> 4], DIGITS[b & 15]];
        b += 1;
    }
    pairs
};

/// Writes a request path into a URL, escaping only the bytes a URL cannot
/// carry (space, non-ASCII, `?`, `#`, quotes, controls); existing escapes and
/// sub-delimiters pass through unchanged.
pub fn write_url_path<S: Sink>(path: &[u8], sink: &mut S) {
    for piece in percent_encode(path, URL_PATH) {
        sink.put(piece);
    }
}

#[cfg(test)]
mod tests;
