//! Task 2 of the SigV4 specification: the string to sign, of every form.
//!
//! Every form is the same few lines, a name, the time and the scope, then
//! what the form signs:
//!
//! ```text
//! request  AWS4-HMAC-SHA256 \n 20130524T000000Z \n 20130524/us-east-1/s3/aws4_request \n hex(SHA-256(canonical request))
//! chunk    AWS4-HMAC-SHA256-PAYLOAD \n time \n scope \n previous signature \n hex(SHA-256("")) \n hex(SHA-256(chunk))
//! trailer  AWS4-HMAC-SHA256-TRAILER \n time \n scope \n previous signature \n hex(SHA-256(trailer))
//! event    AWS4-HMAC-SHA256-PAYLOAD \n its time \n scope \n previous signature \n hex(SHA-256(headers)) \n hex(SHA-256(payload))
//! policy   the POST policy's base64 text, as it is
//! ```
//!
//! SigV4a (`AWS4-ECDSA-P256-SHA256`) writes the same lines with its own
//! algorithm name and a region-less scope (`20150830/service/aws4_request`).
//! AWS's pages: "Create a string to sign" (`create-signed-request`), the
//! streaming pages (`sigv4-streaming`, `sigv4-streaming-trailers`), and
//! the POST policy page (`sigv4-HTTPPOSTConstructPolicy`).
//!
//! One writer serves the MAC, the hasher and the text shown by `explain`,
//! so what is shown is what was signed.

use crate::canonical::{RequestHash, EMPTY_SHA256};
use crate::encoding::Sink;
pub use crate::scope::Algorithm;
use crate::scope::{AmzDate, Scope};

/// A string to sign: the form, and the values it is written from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum StringToSign<'a> {
    /// A request's, presigned or header-signed.
    Request {
        /// The algorithm.
        algorithm: Algorithm,
        /// `X-Amz-Date`.
        amz_date: &'a AmzDate,
        /// The credential scope (its date is `amz_date`'s).
        scope: &'a Scope,
        /// The canonical request's hash.
        request_hash: &'a RequestHash,
    },
    /// An aws-chunked body's chunk, chained to the signature before.
    #[cfg_attr(not(feature = "chunked"), allow(dead_code))]
    Chunk {
        /// The algorithm.
        algorithm: Algorithm,
        /// The seed's `X-Amz-Date`.
        amz_date: &'a AmzDate,
        /// The seed's credential scope.
        scope: &'a Scope,
        /// The signature before: the seed's or the last chunk's, as sent.
        previous: &'a [u8],
        /// The hex SHA-256 of the chunk's data.
        chunk_hash: &'a [u8; 64],
    },
    /// An aws-chunked body's trailer, chained to the last chunk.
    #[cfg_attr(not(feature = "chunked"), allow(dead_code))]
    Trailer {
        /// The algorithm.
        algorithm: Algorithm,
        /// The seed's `X-Amz-Date`.
        amz_date: &'a AmzDate,
        /// The seed's credential scope.
        scope: &'a Scope,
        /// The last chunk's signature, as sent.
        previous: &'a [u8],
        /// The hex SHA-256 of the trailer's lines.
        trailer_hash: &'a [u8; 64],
    },
    /// An event-stream message, chained to the signature before. Its time
    /// and scope date are the message's own (its `:date`), not the initial
    /// request's.
    #[cfg_attr(not(feature = "eventstream"), allow(dead_code))]
    Event {
        /// The message's time.
        amz_date: &'a AmzDate,
        /// The initial request's scope, on the message's date.
        scope: &'a Scope,
        /// The signature before: the initial request's or the last
        /// message's, in hex (or whatever text a signer was seeded with).
        previous: &'a str,
        /// The hex SHA-256 of the encoded headers the signature covers
        /// (`:date`).
        headers_hash: &'a [u8; 64],
        /// The hex SHA-256 of the payload (the encoded inner message).
        payload_hash: &'a [u8; 64],
    },
    /// A POST policy: its base64 text is the string to sign.
    #[cfg_attr(not(feature = "post"), allow(dead_code))]
    Policy(&'a str),
}

impl StringToSign<'_> {
    /// Writes the string to sign into `sink`: a MAC, a hasher or a buffer.
    #[inline]
    pub(crate) fn write<S: Sink>(&self, sink: &mut S) {
        match *self {
            StringToSign::Request {
                algorithm,
                amz_date,
                scope,
                request_hash,
            } => {
                put_head(sink, algorithm.name(), amz_date, scope);
                request_hash.write(sink);
            }
            StringToSign::Chunk {
                algorithm,
                amz_date,
                scope,
                previous,
                chunk_hash,
            } => {
                put_head(sink, algorithm.chunk_name(), amz_date, scope);
                sink.put_ascii(previous);
                sink.put("\n");
                sink.put_ascii(EMPTY_SHA256);
                sink.put("\n");
                sink.put_ascii(chunk_hash);
            }
            StringToSign::Trailer {
                algorithm,
                amz_date,
                scope,
                previous,
                trailer_hash,
            } => {
                put_head(sink, algorithm.trailer_name(), amz_date, scope);
                sink.put_ascii(previous);
                sink.put("\n");
                sink.put_ascii(trailer_hash);
            }
            StringToSign::Event {
                amz_date,
                scope,
                previous,
                headers_hash,
                payload_hash,
            } => {
                let algorithm = Algorithm::HmacSha256;
                put_head(sink, algorithm.chunk_name(), amz_date, scope);
                sink.put(previous);
                sink.put("\n");
                sink.put_ascii(headers_hash);
                sink.put("\n");
                sink.put_ascii(payload_hash);
            }
            StringToSign::Policy(policy) => sink.put(policy),
        }
    }

    /// The text a verifier shows for a chained signature that does not
    /// match (a chunk's, a trailer's, a message's): the string to sign
    /// with the signature before written as `<signature before, not
    /// shown>`, since the first one is the seed request's, which a reader
    /// of the log could replay. It is never written, even to be replaced.
    #[cfg(any(feature = "chunked", feature = "eventstream"))]
    pub(crate) fn shown_without_previous(self) -> alloc::string::String {
        const NOT_SHOWN: &str = "<signature before, not shown>";
        let shown = match self {
            StringToSign::Chunk {
                algorithm,
                amz_date,
                scope,
                chunk_hash,
                ..
            } => StringToSign::Chunk {
                algorithm,
                amz_date,
                scope,
                previous: NOT_SHOWN.as_bytes(),
                chunk_hash,
            },
            StringToSign::Trailer {
                algorithm,
                amz_date,
                scope,
                trailer_hash,
                ..
            } => StringToSign::Trailer {
                algorithm,
                amz_date,
                scope,
                previous: NOT_SHOWN.as_bytes(),
                trailer_hash,
            },
            StringToSign::Event {
                amz_date,
                scope,
                headers_hash,
                payload_hash,
                ..
            } => StringToSign::Event {
                amz_date,
                scope,
                previous: NOT_SHOWN,
                headers_hash,
                payload_hash,
            },
            // No signature before to leave out.
            unchained @ (StringToSign::Request { .. } | StringToSign::Policy(_)) => unchained,
        };
        let mut text = alloc::string::String::new();
        shown.write(&mut text);
        text
    }
}

/// The lines every form but a policy starts with: `name`, the time, and the
/// scope, each ended by a new line. The name, time and scope date go into
/// the sink as one piece (a MAC's `update` has a cost per call).
#[inline]
fn put_head<S: Sink>(sink: &mut S, name: &str, amz_date: &AmzDate, scope: &Scope) {
    // The longest name (`AWS4-ECDSA-P256-SHA256-TRAILER`, 30 bytes), a new
    // line, the time (16), a new line and the date (8): 56 bytes.
    const _: () = assert!(Algorithm::EcdsaP256Sha256.trailer_name().len() + 26 <= 64);
    let mut head = [0u8; 64];
    let (name, date) = (name.as_bytes(), amz_date.date_bytes());
    let time = amz_date.as_bytes();
    let mut at = 0;
    for piece in [name, b"\n", time, b"\n", date] {
        // Within 64 bytes by the assertion above; `get_mut` keeps a wrong
        // length from panicking (it would only shorten the head).
        if let Some(slot) = head.get_mut(at..at + piece.len()) {
            slot.copy_from_slice(piece);
        }
        at += piece.len();
    }
    sink.put_ascii(&head[..at.min(64)]);
    sink.put(scope.after_date());
}
