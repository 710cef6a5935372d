//! Task 1, step 2: the canonical URI, and the path as a URL carries it.

use super::*;
use crate::encoding::write_url_path;
use crate::encoding::Slash;
use crate::encoding::{ascii_bounded, is_unreserved, put_ascii};
use alloc::vec::Vec;

impl Canonical<'_> {
    /// Whether the URL's path is byte for byte the canonical URI, so that it
    /// can be hashed from the URL instead of written twice.
    pub(crate) fn url_path_is_canonical_uri(&self) -> bool {
        self.encoding == UriEncoding::Single && self.path == self.original_path
    }

    /// The path as it goes into a URL.
    pub(crate) fn write_url_path<S: Sink>(&self, sink: &mut S) {
        match self.encoding {
            UriEncoding::Single => write_recoded(&self.original_path, Slash::Keep, sink),
            UriEncoding::Double => write_url_path(self.original_path.as_bytes(), sink),
        }
        encode_text_into(self.key, Slash::Keep, sink);
    }

    /// Task 1, step 2: the canonical URI.
    pub(crate) fn write_uri<S: Sink>(&self, sink: &mut S) {
        match self.encoding {
            UriEncoding::Single => write_recoded(&self.path, Slash::Keep, sink),
            UriEncoding::Double => encode_text_into(&self.path, Slash::Keep, sink),
        }
        encode_text_into(self.key, Slash::Keep, sink);
    }

    /// The length of what [`Canonical::write_url_path`] writes.
    pub(crate) fn url_path_len(&self) -> usize {
        let mut path = crate::encoding::Counter::default();
        self.write_url_path(&mut path);
        path.0
    }
}

/// Decodes escapes and encodes again, `/` as `slash` says. Runs that
/// are already canonical (including upper-case escapes of reserved bytes) are
/// written as one slice.
pub(crate) fn write_recoded<S: Sink>(text: &str, slash: Slash, sink: &mut S) {
    let bytes = text.as_bytes();
    let stays = |b: u8| is_unreserved(b) || (slash == Slash::Keep && b == b'/');
    let hex = crate::encoding::hex_value;
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && is_kept_escape(bytes, i, slash) {
            i += 3;
            continue;
        }
        let escape = (b == b'%')
            .then(|| Some((hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?)))
            .flatten();
        if let Some((hi, lo)) = escape {
            let decoded = hi << 4 | lo;
            sink.put(ascii_bounded(text, run, i));
            if stays(decoded) {
                put_ascii(decoded, sink);
            } else {
                sink.put(percent_encoding::percent_encode_byte(decoded));
            }
            i += 3;
            run = i;
        } else if stays(b) {
            i += 1;
        } else {
            // `run..i` holds only unescaped ASCII and escapes, so both of its
            // ends are character boundaries, even where `b` starts or
            // continues a multi-byte character.
            if run < i {
                sink.put(ascii_bounded(text, run, i));
            }
            sink.put(percent_encoding::percent_encode_byte(b));
            i += 1;
            run = i;
        }
    }
    if run < bytes.len() {
        sink.put(ascii_bounded(text, run, bytes.len()));
    }
}

/// Whether the `%` at `at` starts an escape that [`write_recoded`] keeps as
/// it is: two upper-case hex digits of a byte that must stay escaped.
pub(crate) fn is_kept_escape(bytes: &[u8], at: usize, slash: Slash) -> bool {
    let digit = |i: usize| {
        bytes
            .get(at + i)
            .filter(|d| !d.is_ascii_lowercase())
            .and_then(|&d| crate::encoding::hex_value(d))
    };
    match (digit(1), digit(2)) {
        (Some(hi), Some(lo)) => {
            let decoded = hi << 4 | lo;
            !(is_unreserved(decoded) || (slash == Slash::Keep && decoded == b'/'))
        }
        _ => false,
    }
}

/// RFC 3986 dot-segment removal plus merging of repeated slashes, as every
/// service but S3 does: `//example//` → `/example/`, `/example/..` → `/`.
pub(crate) fn normalize_path(path: &str) -> Cow<'_, str> {
    let segments = || path.split('/').skip(1);
    let already_normal = !path.contains("//") && segments().all(|s| s != "." && s != "..");
    if already_normal {
        return Cow::Borrowed(path);
    }
    let mut kept: Vec<&str> = Vec::new();
    let mut trailing_slash = false;
    for segment in segments() {
        trailing_slash = true;
        match segment {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            s => {
                kept.push(s);
                trailing_slash = false;
            }
        }
    }
    let mut out = String::with_capacity(path.len());
    for s in &kept {
        out.push('/');
        out.push_str(s);
    }
    if trailing_slash || kept.is_empty() {
        out.push('/');
    }
    Cow::Owned(out)
}
