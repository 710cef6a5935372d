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
//! what was signed. A file a part: `uri.rs` (step 2), `query.rs` (step 3, with
//! the parameters presigning adds), `headers.rs` (steps 4 and 5),
//! `payload.rs` (step 6); this file holds the request as sorted, the method
//! line (step 1), the whole and its hash (`RequestHash`).

mod headers;
mod payload;
mod query;
mod small_list;
mod uri;

pub(crate) use headers::{cmp_lowercase, put_lowercase, Header};
pub use payload::PayloadHash;
pub(crate) use payload::EMPTY_SHA256;
pub(crate) use query::{
    decimal, put_token_param, token_param_len, AuthParam, AuthParams, HEADER_SIGNED_RESERVED,
    PRESIGNING_PARAMS,
};
pub(crate) use small_list::SmallList;
pub(crate) use uri::{is_kept_escape, normalize_path, write_recoded};

use crate::encoding::Slash;
use crate::encoding::{cmp_encoded, encode_into, encode_text_into, Part, Sink};
use crate::error::Error;
use crate::request::Request;
use crate::settings::{PathNormalization, UriEncoding};
use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use sha2::{Digest, Sha256};

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

/// The query parameter names a canonical request treats apart.
#[derive(Debug, Clone, Copy)]
pub(crate) enum QueryNames<'n> {
    /// A request to sign: a caller's query may not carry these (in any case,
    /// escaped or not): the signer writes them, or they belong to another
    /// way of signing.
    Reserved(&'n [&'n str]),
    /// A request received: these parameters, named exactly, travel outside
    /// the signature (`X-Amz-Signature`; a session token added after
    /// signing) and are left out.
    LeftOut(&'n [&'n str]),
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

impl<'s> Canonical<'s> {
    /// Sorts the request's parameters and headers into `sorted`.
    /// `extra_headers` are the ones the signer adds (`host` first, then
    /// `x-amz-date` and the like); `names` says which query parameters a
    /// caller may not give, or which received ones travel outside the
    /// signature.
    pub(crate) fn new<'a: 's>(
        req: &Request<'a>,
        encoding: UriEncoding,
        normalization: PathNormalization,
        extra_headers: &[(&'a str, &'a str, &'a str)],
        payload_hash: &'s PayloadHash,
        names: QueryNames<'_>,
        sorted: &'s mut Sorted<'a>,
    ) -> Result<Self, Error> {
        let params = &mut sorted.params;
        let (reserved, left_out) = match names {
            QueryNames::Reserved(reserved) => (reserved, &[][..]),
            QueryNames::LeftOut(left_out) => (&[][..], left_out),
        };
        for (name, value) in req.query_pairs() {
            if !left_out.contains(&name) {
                params.push((Part::Wire(name.as_bytes()), Part::Wire(value.as_bytes())));
            }
        }
        for (name, value) in req.params {
            params.push((
                Part::Decoded(name.as_bytes()),
                Part::Decoded(value.as_bytes()),
            ));
        }
        for (name, _) in params.as_slice() {
            if let Some(reserved) =
                (reserved.iter()).find(|auth| name.decoded_eq_ignore_ascii_case(auth))
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
                encode_text_into(req.key, Slash::Keep, &mut joined);
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

/// The whole canonical request of the plainest shape, from parts already
/// in canonical form: the path as the canonical URI, the query as the
/// canonical query, `host` the one signed header. The signer's straight
/// path and the verifier's hash-as-received path both write it here, so the
/// shape is written once.
pub(crate) fn write_host_only<S: Sink>(
    method: &str,
    (uri, query): (&str, &str),
    host: &str,
    payload_hash: &PayloadHash,
    sink: &mut S,
) {
    put_method_line(method, sink);
    sink.put(uri);
    sink.put("\n");
    sink.put(query);
    sink.put("\nhost:");
    put_lowercase(host, sink);
    sink.put("\n\nhost\n");
    payload_hash.write(sink);
}

/// The hex SHA-256 of a canonical request: the last line of the string to
/// sign (task 1's result, task 2's input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RequestHash([u8; 64]);

impl RequestHash {
    /// Finishes the hasher the canonical request was written into.
    pub(crate) fn finish(hasher: Sha256) -> RequestHash {
        let mut digest = [0u8; 32];
        Digest::finalize_into(hasher, (&mut digest).into());
        RequestHash(crate::encoding::hex32(&digest))
    }

    /// Writes the 64 lower-case hex digits.
    pub(crate) fn write<S: Sink>(&self, sink: &mut S) {
        sink.put_ascii(&self.0);
    }
}

#[cfg(test)]
mod tests;
