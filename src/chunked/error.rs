//! Why an aws-chunked body failed: each failure naming the chunk where it
//! did.

use alloc::string::String;
use core::fmt;

/// Why an aws-chunked body failed verification, naming the chunk (counted
/// from 0) where it did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChunkError {
    /// A chunk's header line, framing or trailer is not what the mode
    /// writes.
    Malformed {
        /// The chunk.
        chunk: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A chunk's signature is not the one chained from the chunk before.
    SignatureMismatch {
        /// The chunk.
        chunk: usize,
        /// The string to sign the verifier computed for it, its fourth line
        /// (the signature before) written as `<signature before, not shown>`.
        string_to_sign: String,
    },
    /// A chunk other than the last is under 8 KiB, or any is over 16 MiB.
    ChunkSize {
        /// The chunk.
        chunk: usize,
        /// Its size.
        size: usize,
    },
    /// The data's length is not `x-amz-decoded-content-length`.
    LengthMismatch {
        /// What the seed declared.
        declared: u64,
        /// What the chunks held (so far, when more than declared).
        received: u64,
    },
    /// The trailer is not the one the seed declared (`x-amz-trailer`), or
    /// names a checksum this verifier cannot compute.
    Trailer {
        /// What is wrong.
        reason: &'static str,
    },
    /// The trailer's signature is not the one chained from the last chunk.
    TrailerSignatureMismatch {
        /// The string to sign the verifier computed for the trailer, its
        /// fourth line written as `<signature before, not shown>`.
        string_to_sign: String,
    },
    /// The trailer's checksum is not the data's.
    ChecksumMismatch {
        /// The checksum's header name.
        name: String,
    },
    /// The body ended before its final chunk (and trailer).
    Truncated {
        /// The chunk it ended in.
        chunk: usize,
    },
    /// Bytes followed the end of the body.
    TrailingBytes,
}

impl fmt::Display for ChunkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChunkError::Malformed { chunk, reason } => write!(f, "chunk {chunk}: {reason}"),
            ChunkError::SignatureMismatch { chunk, .. } => {
                write!(f, "chunk {chunk}: the signature is not the one chained from the chunk before")
            }
            ChunkError::ChunkSize { chunk, size } => write!(
                f,
                "chunk {chunk} is {size} bytes: every chunk but the last must be 8 KiB or more, and none over 16 MiB"
            ),
            ChunkError::LengthMismatch { declared, received } => write!(
                f,
                "the chunks hold {received} bytes, x-amz-decoded-content-length says {declared}"
            ),
            ChunkError::Trailer { reason } => write!(f, "the trailer {reason}"),
            ChunkError::TrailerSignatureMismatch { .. } => {
                f.write_str("the trailer's signature is not the one chained from the last chunk")
            }
            ChunkError::ChecksumMismatch { name } => {
                write!(f, "the trailer's {name} is not the data's")
            }
            ChunkError::Truncated { chunk } => {
                write!(f, "the body ended in chunk {chunk}, before its final chunk")
            }
            ChunkError::TrailingBytes => f.write_str("bytes follow the end of the body"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ChunkError {}
