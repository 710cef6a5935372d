//! A string kept on the stack while it is short: the path-style path the
//! presigner builds, so that presigning allocates only the URL.

use super::bucket::MAX_BUCKET_LEN;
use alloc::string::String;

/// Room on the stack for a path-style path: the longest bucket name, its two
/// slashes and a path prefix of up to 125 bytes.
pub(super) const PATH_ROOM: usize = 384;
const _: () = assert!(PATH_ROOM >= MAX_BUCKET_LEN + 2 + 125);

/// A string kept on the stack while it fits in `ROOM` bytes, so that
/// presigning allocates only the URL.
pub(crate) struct ShortString<const ROOM: usize> {
    stack: [u8; ROOM],
    len: usize,
    heap: Option<String>,
}

impl<const ROOM: usize> ShortString<ROOM> {
    /// An empty string that will hold `len` bytes: on the stack when they
    /// fit, else in one allocation of that size.
    pub(super) fn for_len(len: usize) -> Self {
        ShortString {
            stack: [0; ROOM],
            len: 0,
            heap: (len > ROOM).then(|| String::with_capacity(len)),
        }
    }

    pub(super) fn push_str(&mut self, s: &str) {
        if let Some(heap) = &mut self.heap {
            heap.push_str(s);
        } else if self.len + s.len() <= self.stack.len() {
            self.stack[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
            self.len += s.len();
        } else {
            let mut heap = String::from(self.as_str());
            heap.push_str(s);
            self.heap = Some(heap);
        }
    }

    pub(super) fn push(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.push_str(c.encode_utf8(&mut buf));
    }

    pub(super) fn as_str(&self) -> &str {
        match &self.heap {
            Some(heap) => heap,
            // Only whole `&str`s are ever copied in, so this is valid UTF-8.
            None => crate::encoding::written_text(&self.stack[..self.len]),
        }
    }
}
