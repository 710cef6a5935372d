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

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// A byte-indexed membership table: ASCII letters and digits (when
/// `alphanumeric`) plus the bytes of `extra`. Per-byte checks on the hot path
/// are one load, not a scan of a list.
pub(crate) const fn byte_table(alphanumeric: bool, extra: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = alphanumeric && (b as u8).is_ascii_alphanumeric();
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
static UNRESERVED: [bool; 256] = byte_table(true, b"-._~");

/// What may stand unescaped in a URL path: unreserved, sub-delimiters, `:`,
/// `@`, `/` and the `%` of an existing escape.
static URL_PATH: [bool; 256] = byte_table(true, b"-._~/%!$&'()*+,;=:@");

/// Whether `b` is in the unreserved set `A-Z a-z 0-9 - . _ ~`.
#[inline]
pub fn is_unreserved(b: u8) -> bool {
    UNRESERVED[usize::from(b)]
}

#[inline]
fn stays(b: u8, keep_slash: bool) -> bool {
    is_unreserved(b) || (keep_slash && b == b'/')
}

/// Unreserved bytes and `/`, indexed by byte.
static UNRESERVED_OR_SLASH: [bool; 256] = byte_table(true, b"-._~/");

/// The end of the run of bytes that stay unescaped (unreserved, and `/`
/// when `keep_slash`) starting at `from`. Runs are most of a URL, so they are
/// checked eight bytes to a step, without a branch per byte.
#[inline]
pub(crate) fn unescaped_run_end(bytes: &[u8], from: usize, keep_slash: bool) -> usize {
    let table = if keep_slash {
        &UNRESERVED_OR_SLASH
    } else {
        &UNRESERVED
    };
    run_end(bytes, from, table)
}

/// The end of the run of bytes in `table` starting at `from`, checked eight
/// bytes to a step.
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

/// Where encoded bytes go: the URL or the hasher.
pub trait Sink {
    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for sha2::Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        sha2::Digest::update(self, bytes);
    }
}

impl Sink for alloc::vec::Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Writes `%XY` for `b`.
#[inline]
fn put_escape<S: Sink>(b: u8, sink: &mut S) {
    sink.put(&[
        b'%',
        HEX_UPPER[usize::from(b >> 4)],
        HEX_UPPER[usize::from(b & 15)],
    ]);
}

/// URI-encodes `bytes` once into `sink`, keeping `/` when `keep_slash`.
pub fn encode_into<S: Sink>(bytes: &[u8], keep_slash: bool, sink: &mut S) {
    let mut run_start = 0;
    loop {
        let run_end = unescaped_run_end(bytes, run_start, keep_slash);
        sink.put(&bytes[run_start..run_end]);
        match bytes.get(run_end) {
            Some(&b) => put_escape(b, sink),
            None => return,
        }
        run_start = run_end + 1;
    }
}

/// Length of `bytes` once URI-encoded.
pub fn encoded_len(bytes: &[u8], keep_slash: bool) -> usize {
    bytes
        .iter()
        .map(|&b| if stays(b, keep_slash) { 1 } else { 3 })
        .sum()
}

/// URI-encodes `bytes` once into a new `String` (query rules, `/` encoded).
///
/// ```
/// assert_eq!(sigv4::encoding::encode("a b+c/d~"), "a%20b%2Bc%2Fd~");
/// ```
pub fn encode(text: &str) -> alloc::string::String {
    let mut out = alloc::vec::Vec::with_capacity(encoded_len(text.as_bytes(), false));
    encode_into(text.as_bytes(), false, &mut out);
    // Encoding emits ASCII only.
    alloc::string::String::from_utf8(out).unwrap_or_default()
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
    // Never longer than the input: one allocation, no regrowth. Bytes
    // between escapes are copied a run at a time.
    let mut out = alloc::vec::Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(percent) = rest.iter().position(|&b| b == b'%') {
        out.extend_from_slice(&rest[..percent]);
        let mut escape = Decoded::new(&rest[percent..]);
        out.extend(escape.next());
        rest = &rest[percent + escape.pos..];
    }
    out.extend_from_slice(rest);
    out
}

/// The bytes of a percent-encoded string, decoded one at a time.
#[derive(Clone)]
struct Decoded<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Decoded<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Decoded { bytes, pos: 0 }
    }
}

impl Iterator for Decoded<'_> {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        if b == b'%' {
            if let (Some(hi), Some(lo)) = (
                self.bytes.get(self.pos + 1).copied().and_then(hex_value),
                self.bytes.get(self.pos + 2).copied().and_then(hex_value),
            ) {
                self.pos += 3;
                return Some(hi << 4 | lo);
            }
        }
        self.pos += 1;
        Some(b)
    }
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
    /// Writes the canonical (query-rule) encoding of this part.
    pub fn write<S: Sink>(self, sink: &mut S) {
        match self {
            Part::Decoded(bytes) => encode_into(bytes, false, sink),
            Part::Wire(bytes) => {
                // Fast path: a wire component that is already canonical.
                if bytes.iter().all(|&b| is_unreserved(b)) {
                    sink.put(bytes);
                } else {
                    for b in Decoded::new(bytes) {
                        if is_unreserved(b) {
                            sink.put(&[b]);
                        } else {
                            put_escape(b, sink);
                        }
                    }
                }
            }
        }
    }

    /// Length of the canonical encoding.
    pub fn encoded_len(self) -> usize {
        match self {
            Part::Decoded(bytes) => encoded_len(bytes, false),
            Part::Wire(bytes) => Decoded::new(bytes)
                .map(|b| if is_unreserved(b) { 1 } else { 3 })
                .sum(),
        }
    }

    /// The canonical encoding, one byte at a time, for comparisons that must
    /// not allocate.
    fn encoded_bytes(self) -> EncodedBytes<'a> {
        let (src, wire) = match self {
            Part::Decoded(b) => (b, false),
            Part::Wire(b) => (b, true),
        };
        EncodedBytes {
            src: Decoded::new(src),
            decode: wire,
            pending: [0; 2],
            npending: 0,
        }
    }

    /// Whether the decoded part equals `other`, ignoring ASCII case (how
    /// the reserved `X-Amz-*` names are recognized).
    pub fn decoded_eq_ignore_ascii_case(self, other: &str) -> bool {
        let (src, wire) = match self {
            Part::Decoded(b) => (b, false),
            Part::Wire(b) => (b, true),
        };
        if wire {
            Decoded::new(src)
                .map(|b| b.to_ascii_lowercase())
                .eq(other.bytes().map(|b| b.to_ascii_lowercase()))
        } else {
            src.eq_ignore_ascii_case(other.as_bytes())
        }
    }
}

/// Compares two parts by their canonical encodings, byte by byte, as AWS
/// sorts query parameters.
pub fn cmp_encoded(a: Part<'_>, b: Part<'_>) -> Ordering {
    a.encoded_bytes().cmp(b.encoded_bytes())
}

struct EncodedBytes<'a> {
    src: Decoded<'a>,
    decode: bool,
    pending: [u8; 2],
    npending: u8,
}

impl Iterator for EncodedBytes<'_> {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        if self.npending > 0 {
            let b = self.pending[2 - usize::from(self.npending)];
            self.npending -= 1;
            return Some(b);
        }
        let b = if self.decode {
            self.src.next()?
        } else {
            let b = *self.src.bytes.get(self.src.pos)?;
            self.src.pos += 1;
            b
        };
        if is_unreserved(b) {
            Some(b)
        } else {
            self.pending = [
                HEX_UPPER[usize::from(b >> 4)],
                HEX_UPPER[usize::from(b & 15)],
            ];
            self.npending = 2;
            Some(b'%')
        }
    }
}

/// Each byte's two lower-case hex digits, so that a digest is written with
/// one load per byte.
const HEX_PAIRS: [[u8; 2]; 256] = {
    let mut pairs = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        pairs[b] = [HEX_LOWER[b >> 4], HEX_LOWER[b & 15]];
        b += 1;
    }
    pairs
};

/// Lower-case hex of a 32-byte digest, as SigV4 writes hashes and signatures.
/// Bytes past the 32nd are ignored; a shorter input leaves zeros.
pub fn hex32(digest: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, &b) in out.chunks_exact_mut(2).zip(digest) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
    out
}

/// Whether `b` may stand unescaped in a URL path (RFC 3986 `pchar`, `/`, and
/// `%` of an existing escape).
fn allowed_in_url_path(b: u8) -> bool {
    URL_PATH[usize::from(b)]
}

/// Writes a request path into a URL, escaping only the bytes a URL cannot
/// carry (space, non-ASCII, `?`, `#`, quotes, controls); existing escapes and
/// sub-delimiters pass through unchanged.
pub fn write_url_path<S: Sink>(path: &[u8], sink: &mut S) {
    let mut run_start = 0;
    for (i, &b) in path.iter().enumerate() {
        if !allowed_in_url_path(b) {
            sink.put(&path[run_start..i]);
            put_escape(b, sink);
            run_start = i + 1;
        }
    }
    sink.put(&path[run_start..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn canonical(part: Part<'_>) -> Vec<u8> {
        let mut v = Vec::new();
        part.write(&mut v);
        v
    }

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(encode("-._~AZaz09"), "-._~AZaz09");
        assert_eq!(encode(" +=/;&?%"), "%20%2B%3D%2F%3B%26%3F%25");
        assert_eq!(encode("ሴ"), "%E1%88%B4");
        let mut path = Vec::new();
        encode_into(b"/a b/c", true, &mut path);
        assert_eq!(path, b"/a%20b/c");
        assert_eq!(encoded_len(b"/a b/c", true), path.len());
    }

    #[test]
    fn wire_parts_are_decoded_then_encoded() {
        assert_eq!(canonical(Part::Wire(b"%e1%88%b4")), b"%E1%88%B4");
        assert_eq!(canonical(Part::Wire(b"a+b%20c")), b"a%2Bb%20c");
        assert_eq!(canonical(Part::Wire(b"%7E")), b"~");
        assert_eq!(Part::Wire(b"%7Ea b").encoded_len(), 1 + 1 + 3 + 1);
    }

    #[test]
    fn compares_by_encoded_bytes() {
        // '%' (0x25) sorts before letters: an escaped key comes first.
        assert_eq!(
            cmp_encoded(Part::Decoded("ሴ".as_bytes()), Part::Decoded(b"Param")),
            Ordering::Less
        );
        assert_eq!(
            cmp_encoded(Part::Decoded(b"Param"), Part::Decoded(b"Param-3")),
            Ordering::Less
        );
        assert_eq!(
            cmp_encoded(Part::Wire(b"a%20b"), Part::Decoded(b"a b")),
            Ordering::Equal
        );
        assert_eq!(
            cmp_encoded(Part::Decoded(b"Value1"), Part::Decoded(b"value2")),
            Ordering::Less
        );
    }

    #[test]
    fn finds_malformed_escapes() {
        assert!(check_escapes(b"a%20b", Component::Path).is_ok());
        for (bad, at) in [(&b"%"[..], 0), (b"ab%2", 2), (b"%zz", 0), (b"%2g", 0)] {
            assert_eq!(
                check_escapes(bad, Component::QueryValue),
                Err(Error::MalformedPercentEscape {
                    component: Component::QueryValue,
                    position: at
                })
            );
        }
    }

    #[test]
    fn url_paths_escape_only_what_a_url_cannot_carry() {
        let mut v = Vec::new();
        write_url_path("/a b/ሴ/%3D@$?#".as_bytes(), &mut v);
        assert_eq!(v, b"/a%20b/%E1%88%B4/%3D@$%3F%23");
    }

    #[test]
    fn hex32_writes_every_byte_in_lower_case() {
        let digest: Vec<u8> = (0u8..32).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
        let expected: alloc::string::String =
            digest.iter().map(|b| alloc::format!("{b:02x}")).collect();
        assert_eq!(&hex32(&digest)[..], expected.as_bytes());
        let all: alloc::string::String = (0..=255u8).map(|b| alloc::format!("{b:02x}")).collect();
        for (chunk, want) in (0..=255u8)
            .collect::<Vec<_>>()
            .chunks(32)
            .zip(all.as_bytes().chunks(64))
        {
            assert_eq!(&hex32(chunk)[..], want);
        }
    }

    proptest::proptest! {
        #[test]
        fn run_at_a_time_decoding_and_encoding_match_byte_at_a_time(
            text in proptest::collection::vec(proptest::sample::select(
                b"%%%0123456789aAfFgG/~-._ +=&zZ\xff".to_vec()), 0..40),
            keep_slash in proptest::bool::ANY,
        ) {
            proptest::prop_assert_eq!(decode(&text), Decoded::new(&text).collect::<Vec<u8>>());
            let mut encoded = Vec::new();
            encode_into(&text, keep_slash, &mut encoded);
            let mut one_by_one = Vec::new();
            for &b in &text {
                if stays(b, keep_slash) {
                    one_by_one.push(b);
                } else {
                    put_escape(b, &mut one_by_one);
                }
            }
            proptest::prop_assert_eq!(encoded, one_by_one);
        }
    }
}
