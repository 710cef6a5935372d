//! Task 1, steps 4 and 5: the canonical headers and the signed header
//! names.

use super::*;
use crate::encoding::Slash;
use crate::encoding::{ascii_bounded, is_unreserved, written_text};
use core::cmp::Ordering;

/// A header as it enters the canonical request.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Header<'a> {
    pub name: &'a str,
    /// Written before `value` untouched and joined to it by `.`, when not
    /// empty: the bucket label of a virtual host.
    pub prefix: &'a str,
    pub value: &'a str,
    /// Position in the input: repeated headers keep their order.
    pub order: usize,
}

pub(crate) fn cmp_lowercase(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Where the signed header names are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NamesIn {
    /// The canonical request or the `Authorization` header: joined by `;`.
    Header,
    /// `X-Amz-SignedHeaders`: URI-encoded, joined by `%3B`.
    Query,
}

impl Canonical<'_> {
    /// Task 1, step 4: `name:value\n` for each header, names lower-cased and
    /// sorted, values trimmed with inner whitespace runs folded to one space,
    /// repeated headers joined with `,` in the order given.
    pub(crate) fn write_headers<S: Sink>(&self, sink: &mut S) {
        let headers = self.headers;
        let mut i = 0;
        while i < headers.len() {
            put_lowercase(headers[i].name, sink);
            sink.put(":");
            if !headers[i].prefix.is_empty() {
                sink.put(headers[i].prefix);
                sink.put(".");
            }
            if headers[i].order == 0 && headers[i].name == "host" {
                // Host names are case-insensitive: sign one case, as botocore does.
                put_lowercase(headers[i].value, sink);
            } else {
                put_trimmed(headers[i].value, sink);
            }
            i += 1;
            while i < headers.len() && headers[i].name.eq_ignore_ascii_case(headers[i - 1].name) {
                sink.put(",");
                put_trimmed(headers[i].value, sink);
                i += 1;
            }
            sink.put("\n");
        }
    }

    /// Task 1, step 5: the signed header names, lower-cased, sorted, joined by
    /// `;`.
    pub(crate) fn write_signed_headers<S: Sink>(&self, sink: &mut S) {
        self.write_header_names(NamesIn::Header, sink);
    }

    /// The signed header names, as the `Authorization` header or the
    /// canonical request carries them, or as the `X-Amz-SignedHeaders`
    /// query value: URI-encoded, since a token may hold `&`, `+` or `%`.
    pub(super) fn write_header_names<S: Sink>(&self, names_in: NamesIn, sink: &mut S) {
        let encoded = names_in == NamesIn::Query;
        let headers = self.headers;
        for (i, header) in headers.iter().enumerate() {
            if i > 0 {
                if header.name.eq_ignore_ascii_case(headers[i - 1].name) {
                    continue;
                }
                sink.put(if encoded { "%3B" } else { ";" });
            }
            if encoded && !header.name.bytes().all(is_unreserved) {
                for b in header.name.bytes() {
                    encode_into(&[b.to_ascii_lowercase()], Slash::Escape, sink);
                }
            } else {
                put_lowercase(header.name, sink);
            }
        }
    }
}

/// Writes a header name or host in lower case. Both are ASCII (tokens,
/// checked hosts), so a chunk of lowered bytes is still text.
pub(crate) fn put_lowercase<S: Sink>(name: &str, sink: &mut S) {
    // Or-ed over every byte, without a branch each: names and hosts are
    // short, and almost never hold upper case.
    if !name
        .bytes()
        .fold(false, |upper, b| upper | b.is_ascii_uppercase())
    {
        sink.put(name);
        return;
    }
    let mut chunk = [0u8; 32];
    for piece in name.as_bytes().chunks(chunk.len()) {
        for (slot, b) in chunk.iter_mut().zip(piece) {
            *slot = b.to_ascii_lowercase();
        }
        sink.put(written_text(&chunk[..piece.len()]));
    }
}

/// Writes a header value trimmed, each inner run of spaces and tabs as one space.
pub(super) fn put_trimmed<S: Sink>(text: &str, sink: &mut S) {
    let is_space = |b: &u8| *b == b' ' || *b == b'\t';
    let text = text.trim_matches([' ', '\t']);
    let value = text.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    while i < value.len() {
        if is_space(&value[i]) && (value[i] != b' ' || value.get(i + 1).is_some_and(is_space)) {
            sink.put(ascii_bounded(text, run_start, i));
            sink.put(" ");
            while i < value.len() && is_space(&value[i]) {
                i += 1;
            }
            run_start = i;
        } else {
            i += 1;
        }
    }
    sink.put(ascii_bounded(text, run_start, value.len()));
}
