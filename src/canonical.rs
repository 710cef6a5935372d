//! Task 1 of the SigV4 specification: the canonical request.
//!
//! ```text
//! METHOD \n CANONICAL-URI \n CANONICAL-QUERY \n CANONICAL-HEADERS \n SIGNED-HEADERS \n PAYLOAD-HASH
//! ```
//!
//! `Canonical` holds a request that has been checked, with its query
//! parameters and headers sorted (on the stack for typical sizes). It writes
//! each part into any [`Sink`]: the hasher when signing, a `Vec` when a caller
//! asks to see the text. There is one writer for each part, so what is shown is
//! what was signed.

use crate::encoding::{
    ascii_bounded, cmp_encoded, encode_into, hex32, is_unreserved, put_ascii, write_url_path,
    written_text, Part, Sink,
};
use crate::error::Error;
use crate::request::{Payload, Request};
use crate::scope::AmzDate;
use crate::settings::{PathNormalization, UriEncoding};
use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cmp::Ordering;
use sha2::{Digest, Sha256};

/// The names of the query parameters a presigned URL carries, in canonical
/// (sorted) order. `X-Amz-Signature` is never part of the canonical request.
pub const AUTH_PARAMS: [&str; 8] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-Region-Set",
    "X-Amz-Security-Token",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
];

// Positions in AUTH_PARAMS.
const ALGORITHM_PARAM: usize = 0;
const CREDENTIAL: usize = 1;
const DATE: usize = 2;
const EXPIRES: usize = 3;
/// Position of `X-Amz-Region-Set`, SigV4a's alone.
pub(crate) const REGION_SET: usize = 4;
const TOKEN: usize = 5;
/// Position of `X-Amz-Signature`, the one presigning writes after hashing.
pub(crate) const SIGNATURE: usize = 7;

/// The SHA-256 of the payload as the canonical request writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadHash {
    /// The literal `UNSIGNED-PAYLOAD`.
    Unsigned,
    /// 64 lower-case hex digits.
    Hex([u8; 64]),
    /// An aws-chunked body's mode, `STREAMING-…`.
    Streaming(crate::request::Streaming),
}

impl PayloadHash {
    /// The hash of an empty body, which every non-S3 request without a
    /// payload signs: a constant rather than a SHA-256 per request.
    pub const EMPTY: PayloadHash =
        PayloadHash::Hex(*b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    /// The payload hash a request signs for `payload`: its bytes hashed, or
    /// the caller's hash once checked to be 64 lower-case hex digits.
    #[inline]
    pub fn of(payload: Payload<'_>) -> Result<PayloadHash, Error> {
        Ok(match payload {
            Payload::Unsigned => PayloadHash::Unsigned,
            Payload::Streaming(mode) => PayloadHash::Streaming(mode),
            Payload::Empty => PayloadHash::EMPTY,
            Payload::Bytes(bytes) => PayloadHash::Hex(hex32(&Sha256::digest(bytes))),
            Payload::Sha256Hex(text) => {
                let hex: [u8; 64] = text
                    .as_bytes()
                    .try_into()
                    .map_err(|_| Error::InvalidPayloadHash)?;
                if !hex
                    .iter()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
                {
                    return Err(Error::InvalidPayloadHash);
                }
                PayloadHash::Hex(hex)
            }
        })
    }

    /// Writes the last line of the canonical request.
    pub(crate) fn write<S: Sink>(&self, sink: &mut S) {
        match self {
            PayloadHash::Unsigned => sink.put("UNSIGNED-PAYLOAD"),
            PayloadHash::Streaming(mode) => sink.put(mode.as_str()),
            PayloadHash::Hex(hex) => sink.put_ascii(hex),
        }
    }

    /// The text of the last line of the canonical request.
    pub fn as_str(&self) -> &str {
        match self {
            PayloadHash::Unsigned => "UNSIGNED-PAYLOAD",
            PayloadHash::Streaming(mode) => mode.as_str(),
            // Only lower-case hex is ever stored.
            PayloadHash::Hex(hex) => written_text(hex),
        }
    }
}

/// The query parameters that presigning adds, with what their values are made of.
pub(crate) struct AuthParams<'a> {
    /// [`ALGORITHM`] or [`ALGORITHM_V4A`].
    pub algorithm: &'static str,
    /// `X-Amz-Credential` up to its date, encoded: `AKID%2F`.
    pub credential_head: &'a str,
    /// `X-Amz-Credential` after its date, encoded: `%2Fus-east-1%2Fs3%2Faws4_request`.
    pub credential_tail: &'a str,
    pub amz_date: &'a AmzDate,
    /// `X-Amz-Expires`, absent for a URL presigned without one.
    pub expires_in: Option<u64>,
    /// The session token, when it is signed.
    pub token: Option<&'a str>,
    /// `X-Amz-Region-Set`: SigV4a's regions, as written (`us-east-1,us-west-2`).
    pub region_set: Option<&'a str>,
}

/// Writes `&X-Amz-Security-Token=` and the encoded token, when there is one.
pub(crate) fn put_token_param<S: Sink>(token: Option<&str>, sink: &mut S) {
    if let Some(token) = token {
        sink.put("&X-Amz-Security-Token=");
        encode_into(token.as_bytes(), false, sink);
    }
}

/// The length of what [`put_token_param`] writes.
pub(crate) fn token_param_len(token: Option<&str>) -> usize {
    token.map_or(0, |token| {
        "&X-Amz-Security-Token=".len() + crate::encoding::encoded_len(token.as_bytes(), false)
    })
}

impl AuthParams<'_> {
    /// The length of the presigning parameters, in canonical order, up to
    /// and including `X-Amz-SignedHeaders=`: what sizes a presigned URL.
    pub(crate) fn len_before_signed_headers(&self) -> usize {
        let token = token_param_len(self.token);
        let region_set = self.region_set.map_or(0, |set| {
            "&X-Amz-Region-Set=".len() + crate::encoding::encoded_len(set.as_bytes(), false)
        });
        let expires = self.expires_in.map_or(0, |e| {
            "&X-Amz-Expires=".len() + e.checked_ilog10().map_or(1, |d| d as usize + 1)
        });
        "X-Amz-Algorithm=".len()
            + self.algorithm.len()
            + "&X-Amz-Credential=".len()
            + self.credential_head.len()
            + 8
            + self.credential_tail.len()
            + "&X-Amz-Date=".len()
            + 16
            + expires
            + region_set
            + token
            + "&X-Amz-SignedHeaders=".len()
    }
}

/// A short list kept on the stack up to `N` items, on the heap beyond.
pub(crate) enum SmallList<T: Copy + Default, const N: usize> {
    Inline { items: [T; N], len: usize },
    Heap(Vec<T>),
}

impl<T: Copy + Default, const N: usize> SmallList<T, N> {
    pub(crate) fn new() -> Self {
        SmallList::Inline {
            items: [T::default(); N],
            len: 0,
        }
    }

    pub(crate) fn push(&mut self, item: T) {
        match self {
            SmallList::Inline { items, len } if *len < N => {
                items[*len] = item;
                *len += 1;
            }
            SmallList::Inline { items, len } => {
                let mut v = Vec::with_capacity(2 * N);
                v.extend_from_slice(&items[..*len]);
                v.push(item);
                *self = SmallList::Heap(v);
            }
            SmallList::Heap(v) => v.push(item),
        }
    }

    pub(crate) fn as_slice(&self) -> &[T] {
        match self {
            SmallList::Inline { items, len } => &items[..*len],
            SmallList::Heap(v) => v,
        }
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        match self {
            SmallList::Inline { items, len } => &mut items[..*len],
            SmallList::Heap(v) => v,
        }
    }
}

impl Default for Part<'_> {
    fn default() -> Self {
        Part::Decoded(b"")
    }
}

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

/// A request's parameters and headers, sorted. It lives in the frame of
/// whoever writes the canonical request and the `Canonical` borrows it, so
/// that the lists (some 850 bytes on the stack) are never moved.
pub(crate) struct Sorted<'a> {
    params: SmallList<(Part<'a>, Part<'a>), 8>,
    headers: SmallList<Header<'a>, 8>,
}

impl Sorted<'_> {
    /// Empty lists, to be filled by [`Canonical::new`].
    pub(crate) fn new() -> Self {
        Sorted {
            params: SmallList::new(),
            headers: SmallList::new(),
        }
    }
}

/// A checked request, its parameters and headers sorted, ready to be written.
pub(crate) struct Canonical<'a> {
    pub method: &'a str,
    /// The path the canonical URI is made from (normalized when asked).
    path: Cow<'a, str>,
    /// The path as given, for the URL.
    original_path: Cow<'a, str>,
    /// A literal object key that follows the path, encoded once.
    key: &'a str,
    encoding: UriEncoding,
    params: &'a [(Part<'a>, Part<'a>)],
    headers: &'a [Header<'a>],
    payload_hash: &'a PayloadHash,
}

/// Which authentication parameters a request's query may not hold, by where
/// its signature travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReservedQuery {
    /// Presigning writes every `X-Amz-*` authentication parameter itself.
    Presigned,
    /// A header-signed request may not carry query authentication too
    /// (`X-Amz-Algorithm`, `-Credential`, `-Signature`): S3 refuses two
    /// mechanisms in one request, and so does the verifier.
    HeaderSigned,
    /// A received query is taken as it came: its authentication parameters
    /// are what verification checks.
    Received,
}

impl ReservedQuery {
    /// The reserved names.
    fn names(self) -> &'static [&'static str] {
        match self {
            ReservedQuery::Presigned => &AUTH_PARAMS,
            ReservedQuery::HeaderSigned => {
                &["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature"]
            }
            ReservedQuery::Received => &[],
        }
    }
}

impl<'s> Canonical<'s> {
    /// Sorts the request's parameters and headers into `sorted`.
    /// `extra_headers` are the ones the signer adds (`host` first, then
    /// `x-amz-date` and the like); `reserved` names the query parameters the
    /// caller may not give.
    pub(crate) fn new<'a: 's>(
        req: &Request<'a>,
        encoding: UriEncoding,
        normalization: PathNormalization,
        extra_headers: &[(&'a str, &'a str, &'a str)],
        payload_hash: &'s PayloadHash,
        reserved: ReservedQuery,
        sorted: &'s mut Sorted<'a>,
    ) -> Result<Self, Error> {
        let params = &mut sorted.params;
        for (name, value) in req.query_pairs() {
            params.push((Part::Wire(name.as_bytes()), Part::Wire(value.as_bytes())));
        }
        for (name, value) in req.params.iter().chain(req.extra_params) {
            params.push((
                Part::Decoded(name.as_bytes()),
                Part::Decoded(value.as_bytes()),
            ));
        }
        for (name, _) in params.as_slice() {
            if let Some(reserved) = reserved
                .names()
                .iter()
                .find(|auth| name.decoded_eq_ignore_ascii_case(auth))
            {
                return Err(Error::ReservedQueryParameter {
                    name: reserved.to_string(),
                });
            }
        }
        params
            .as_mut_slice()
            .sort_unstable_by(|a, b| cmp_encoded(a.0, b.0).then_with(|| cmp_encoded(a.1, b.1)));

        let headers = &mut sorted.headers;
        for (order, (name, prefix, value)) in extra_headers.iter().enumerate() {
            headers.push(Header {
                name,
                prefix,
                value,
                order,
            });
        }
        for (i, (name, value)) in req.headers.iter().enumerate() {
            if let Some((reserved, _, _)) = extra_headers
                .iter()
                .find(|(extra, _, _)| extra.eq_ignore_ascii_case(name))
            {
                return Err(Error::ReservedHeader {
                    name: reserved.to_string(),
                });
            }
            headers.push(Header {
                name,
                prefix: "",
                value,
                order: extra_headers.len() + i,
            });
        }
        headers.as_mut_slice().sort_unstable_by(|a, b| {
            cmp_lowercase(a.name, b.name).then_with(|| a.order.cmp(&b.order))
        });

        // A literal key joins the path as its once-encoded form. Single
        // encoding writes it straight from the key; the other cases, rare,
        // build the joined path once.
        let normalize = normalization == PathNormalization::Normalize;
        let (original_path, key): (Cow<'a, str>, &'a str) =
            if req.key.is_empty() || (encoding == UriEncoding::Single && !normalize) {
                (Cow::Borrowed(req.path), req.key)
            } else {
                let mut joined = String::from(req.path);
                encode_into(req.key.as_bytes(), true, &mut joined);
                (Cow::Owned(joined), "")
            };
        let path = match (&original_path, normalize) {
            (Cow::Borrowed(p), true) => normalize_path(p),
            (Cow::Owned(p), true) => Cow::Owned(normalize_path(p).into_owned()),
            (p, false) => p.clone(),
        };
        let sorted: &'s Sorted<'a> = sorted;
        Ok(Canonical {
            method: req.method,
            path,
            original_path,
            key,
            encoding,
            params: sorted.params.as_slice(),
            headers: sorted.headers.as_slice(),
            payload_hash,
        })
    }

    /// Whether the URL's path is byte for byte the canonical URI, so that it
    /// can be hashed from the URL instead of written twice.
    pub(crate) fn url_path_is_canonical_uri(&self) -> bool {
        self.encoding == UriEncoding::Single && self.path == self.original_path
    }

    /// The path as it goes into a URL.
    pub(crate) fn write_url_path<S: Sink>(&self, sink: &mut S) {
        match self.encoding {
            UriEncoding::Single => write_recoded(&self.original_path, true, sink),
            UriEncoding::Double => write_url_path(self.original_path.as_bytes(), sink),
        }
        encode_into(self.key.as_bytes(), true, sink);
    }

    /// Task 1, step 2: the canonical URI.
    pub(crate) fn write_uri<S: Sink>(&self, sink: &mut S) {
        match self.encoding {
            UriEncoding::Single => write_recoded(&self.path, true, sink),
            UriEncoding::Double => encode_into(self.path.as_bytes(), true, sink),
        }
        encode_into(self.key.as_bytes(), true, sink);
    }

    /// Task 1, step 3: the canonical query string, sorted by encoded name then
    /// value, with the presigning parameters merged in when `auth` is given.
    pub(crate) fn write_query<S: Sink>(&self, auth: Option<&AuthParams<'_>>, sink: &mut S) {
        let params = self.params;
        // Indices into AUTH_PARAMS of the presigning parameters, sorted.
        let auth_count = if auth.is_some() { SIGNATURE } else { 0 };
        let (mut i, mut j) = (0, 0);
        let mut first = true;
        while i < params.len() || j < auth_count {
            // Auth names are unreserved ASCII and never equal a user name
            // (those were refused), so the order is strict.
            let take_user = j == auth_count
                || (i < params.len()
                    && cmp_encoded(params[i].0, Part::Decoded(AUTH_PARAMS[j].as_bytes()))
                        == Ordering::Less);
            if take_user {
                if !first {
                    sink.put("&");
                }
                params[i].0.write(sink);
                sink.put("=");
                params[i].1.write(sink);
                i += 1;
                first = false;
            } else if let Some(auth) = auth {
                let index = j;
                j += 1;
                if (index == TOKEN && auth.token.is_none())
                    || (index == EXPIRES && auth.expires_in.is_none())
                    || (index == REGION_SET && auth.region_set.is_none())
                {
                    continue;
                }
                if !first {
                    sink.put("&");
                }
                sink.put(AUTH_PARAMS[index]);
                sink.put("=");
                self.write_auth_value(index, auth, sink);
                first = false;
            }
        }
    }

    /// The length of what [`Canonical::write_query`] writes with `auth`,
    /// counted without writing it: it sizes a presigned URL's allocation.
    pub(crate) fn query_len(&self, auth: &AuthParams<'_>) -> usize {
        // Each caller's parameter brings its `=` and one `&`.
        let params: usize = (self.params.iter())
            .map(|(name, value)| name.encoded_len() + value.encoded_len() + 2)
            .sum();
        let mut signed_headers = crate::encoding::Counter::default();
        self.write_header_names(true, &mut signed_headers);
        params + auth.len_before_signed_headers() + signed_headers.0
    }

    /// The length of what [`Canonical::write_url_path`] writes.
    pub(crate) fn url_path_len(&self) -> usize {
        let mut path = crate::encoding::Counter::default();
        self.write_url_path(&mut path);
        path.0
    }

    fn write_auth_value<S: Sink>(&self, index: usize, auth: &AuthParams<'_>, sink: &mut S) {
        match index {
            ALGORITHM_PARAM => sink.put(auth.algorithm),
            CREDENTIAL => {
                sink.put(auth.credential_head);
                sink.put_ascii(auth.amz_date.date_bytes());
                sink.put(auth.credential_tail);
            }
            DATE => sink.put_ascii(auth.amz_date.as_bytes()),
            EXPIRES => put_decimal(auth.expires_in.unwrap_or_default(), sink),
            REGION_SET => {
                if let Some(set) = auth.region_set {
                    encode_into(set.as_bytes(), false, sink);
                }
            }
            TOKEN => {
                if let Some(token) = auth.token {
                    encode_into(token.as_bytes(), false, sink);
                }
            }
            _ => self.write_header_names(true, sink),
        }
    }

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
        self.write_header_names(false, sink);
    }

    /// The signed header names as the `X-Amz-SignedHeaders` query value:
    /// URI-encoded, since a token may hold `&`, `+` or `%`.
    fn write_header_names<S: Sink>(&self, encoded: bool, sink: &mut S) {
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
                    encode_into(&[b.to_ascii_lowercase()], false, sink);
                }
            } else {
                put_lowercase(header.name, sink);
            }
        }
    }

    /// The whole canonical request. `rendered` passes the canonical URI and
    /// query when they were already written into the URL.
    pub(crate) fn write<S: Sink>(
        &self,
        auth: Option<&AuthParams<'_>>,
        rendered: Option<(&str, &str)>,
        sink: &mut S,
    ) {
        put_method_line(self.method, sink);
        match rendered {
            Some((uri, query)) => {
                sink.put(uri);
                sink.put("\n");
                sink.put(query);
            }
            None => {
                self.write_uri(sink);
                sink.put("\n");
                self.write_query(auth, sink);
            }
        }
        sink.put("\n");
        self.write_headers(sink);
        sink.put("\n");
        self.write_signed_headers(sink);
        sink.put("\n");
        self.payload_hash.write(sink);
    }
}

/// Task 1, step 1: the method and its line's end, one piece for the usual
/// methods.
pub(crate) fn put_method_line<S: Sink>(method: &str, sink: &mut S) {
    let line = match method {
        "GET" => "GET\n",
        "PUT" => "PUT\n",
        "HEAD" => "HEAD\n",
        "POST" => "POST\n",
        "DELETE" => "DELETE\n",
        _ => {
            sink.put(method);
            "\n"
        }
    };
    sink.put(line);
}

/// `value` in decimal, written into the tail of `digits`.
#[inline]
pub(crate) fn decimal(mut value: u64, digits: &mut [u8; 20]) -> &[u8] {
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            return &digits[start..];
        }
    }
}

/// Writes `value` in decimal.
pub(crate) fn put_decimal<S: Sink>(value: u64, sink: &mut S) {
    sink.put_ascii(decimal(value, &mut [0u8; 20]));
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
fn put_trimmed<S: Sink>(text: &str, sink: &mut S) {
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

/// Decodes escapes and encodes again, keeping `/` when `keep_slash`. Runs that
/// are already canonical (including upper-case escapes of reserved bytes) are
/// written as one slice.
pub(crate) fn write_recoded<S: Sink>(text: &str, keep_slash: bool, sink: &mut S) {
    let bytes = text.as_bytes();
    let stays = |b: u8| is_unreserved(b) || (keep_slash && b == b'/');
    let hex = crate::encoding::hex_value;
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && is_kept_escape(bytes, i, keep_slash) {
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
pub(crate) fn is_kept_escape(bytes: &[u8], at: usize, keep_slash: bool) -> bool {
    let digit = |i: usize| {
        bytes
            .get(at + i)
            .filter(|d| !d.is_ascii_lowercase())
            .and_then(|&d| crate::encoding::hex_value(d))
    };
    match (digit(1), digit(2)) {
        (Some(hi), Some(lo)) => {
            let decoded = hi << 4 | lo;
            !(is_unreserved(decoded) || (keep_slash && decoded == b'/'))
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

#[cfg(test)]
mod tests;
