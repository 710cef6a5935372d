//! SHA-256 and HMAC-SHA256 on top of the `sha2` crate's compression
//! function.
//!
//! Why not `sha2::Sha256` and the `hmac` crate: the hot path writes the
//! canonical request in some thirty small pieces, and keeps the signing key as
//! HMAC midstates (the state after the `ipad` and `opad` blocks) that must be
//! copied per signature, cached without a lock, and wiped on drop. Raw
//! `[u32; 8]` midstates and a plain 64-byte block buffer do all of that with
//! no generic buffering layers. The compression itself (and its SHA-NI code
//! path) is `sha2::compress256`; only the FIPS 180-4 padding lives here, and
//! tests check both constructions against `sha2` and `hmac` on random inputs.

use sha2::digest::generic_array::GenericArray;
use zeroize::Zeroize;

/// FIPS 180-4 initial hash value.
const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

#[inline]
fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    sha2::compress256(
        state,
        core::slice::from_ref(GenericArray::from_slice(block)),
    );
}

/// The digest a final state stands for: its words, big-endian.
#[inline]
fn digest_bytes(state: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// A streaming SHA-256.
#[derive(Clone)]
pub struct Sha256 {
    state: [u32; 8],
    block: [u8; 64],
    filled: usize,
    /// Whole blocks compressed so far (counting a midstate's blocks).
    blocks: u64,
}

impl Default for Sha256 {
    fn default() -> Self {
        Sha256::new()
    }
}

impl Sha256 {
    /// A hasher at the start of a message.
    pub fn new() -> Sha256 {
        Sha256::resume(IV, 0)
    }

    /// A hasher that continues from `state` after `blocks` whole blocks.
    fn resume(state: [u32; 8], blocks: u64) -> Sha256 {
        Sha256 {
            state,
            block: [0; 64],
            filled: 0,
            blocks,
        }
    }

    /// Absorbs `data`.
    #[inline]
    pub fn update(&mut self, mut data: &[u8]) {
        // Most pieces of a canonical request are a few bytes that land in
        // the open block.
        let end = self.filled + data.len();
        if end < 64 {
            self.block[self.filled..end].copy_from_slice(data);
            self.filled = end;
            return;
        }
        if self.filled > 0 {
            let take = (64 - self.filled).min(data.len());
            self.block[self.filled..self.filled + take].copy_from_slice(&data[..take]);
            self.filled += take;
            data = &data[take..];
            if self.filled < 64 {
                return;
            }
            compress(&mut self.state, &self.block);
            self.blocks += 1;
            self.filled = 0;
        }
        let mut chunks = data.chunks_exact(64);
        for chunk in &mut chunks {
            sha2::compress256(
                &mut self.state,
                core::slice::from_ref(GenericArray::from_slice(chunk)),
            );
            self.blocks += 1;
        }
        let rest = chunks.remainder();
        self.block[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    /// Pads, compresses the last block(s) and returns the digest.
    pub fn finish(mut self) -> [u8; 32] {
        self.finish_in_place()
    }

    /// [`Sha256::finish`] without consuming the hasher, so that a hasher
    /// that carried key material can be wiped afterwards.
    fn finish_in_place(&mut self) -> [u8; 32] {
        let bits = (self.blocks * 64 + self.filled as u64).wrapping_mul(8);
        self.block[self.filled] = 0x80;
        self.block[self.filled + 1..].fill(0);
        if self.filled >= 56 {
            compress(&mut self.state, &self.block);
            self.block.fill(0);
        }
        self.block[56..].copy_from_slice(&bits.to_be_bytes());
        compress(&mut self.state, &self.block);
        digest_bytes(&self.state)
    }

    /// The digest of `data`.
    pub fn digest(data: &[u8]) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(data);
        h.finish()
    }

    /// Wipes the state (for hashers that carried key material).
    ///
    /// Here and below arrays are wiped as slices: `zeroize` fills a slice in
    /// bulk, but an array one volatile store per element.
    fn wipe(&mut self) {
        self.state[..].zeroize();
        self.block[..].zeroize();
    }
}

impl crate::encoding::Sink for Sha256 {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

/// The outer hash's state and block, handed back so that a caller whose
/// MAC is secret can wipe them.
struct OuterWork {
    state: [u32; 8],
    block: [u8; 64],
}

/// An HMAC-SHA256 key, kept as the two midstates after the `ipad` and `opad`
/// blocks: signing with it costs the message's blocks plus one outer block.
/// Wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct HmacKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        self.inner[..].zeroize();
        self.outer[..].zeroize();
    }
}

impl HmacKey {
    /// Absorbs `key` (hashed first when longer than a block, as RFC 2104 says).
    pub fn new(key: &[u8]) -> HmacKey {
        HmacKey::from_key_parts(&[key])
    }

    /// Absorbs the key made of `parts` joined (`"AWS4"` and the secret), so
    /// that the joined key is never built in memory of its own.
    pub fn from_key_parts(parts: &[&[u8]]) -> HmacKey {
        const IPAD: u8 = 0x36;
        const OPAD: u8 = 0x5c;
        let len: usize = parts.iter().map(|p| p.len()).sum();
        // One buffer, wiped once: the key XOR ipad, then turned into the key
        // XOR opad in place.
        let mut block = [IPAD; 64];
        let mut xor_in = |at: usize, bytes: &[u8]| {
            for (b, k) in block[at..].iter_mut().zip(bytes) {
                *b ^= k;
            }
        };
        if len > 64 {
            let mut hasher = Sha256::new();
            for part in parts {
                hasher.update(part);
            }
            let mut digest = hasher.finish_in_place();
            hasher.wipe();
            xor_in(0, &digest);
            digest[..].zeroize();
        } else {
            let mut at = 0;
            for part in parts {
                xor_in(at, part);
                at += part.len();
            }
        }
        let mut inner = IV;
        compress(&mut inner, &block);
        for b in block.iter_mut() {
            *b ^= IPAD ^ OPAD;
        }
        let mut outer = IV;
        compress(&mut outer, &block);
        block[..].zeroize();
        HmacKey { inner, outer }
    }

    /// The 16 words of the two midstates, for the lock-free key cache.
    pub(crate) fn to_words(&self) -> [u32; 16] {
        let mut words = [0u32; 16];
        words[..8].copy_from_slice(&self.inner);
        words[8..].copy_from_slice(&self.outer);
        words
    }

    /// The key whose [`HmacKey::to_words`] word `i` is `word(i)`.
    pub(crate) fn from_word_fn(mut word: impl FnMut(usize) -> u32) -> HmacKey {
        HmacKey {
            inner: core::array::from_fn(&mut word),
            outer: core::array::from_fn(|i| word(8 + i)),
        }
    }

    /// A hasher for the message, already past the `ipad` block.
    pub fn start(&self) -> Sha256 {
        Sha256::resume(self.inner, 1)
    }

    /// The MAC of the message absorbed by `inner` (from [`HmacKey::start`]),
    /// for a MAC that is published: a signature.
    ///
    /// The hashers are not wiped: each has compressed at least one block
    /// past its midstate, and a state past the midstate is a one-way function
    /// of the key that signs nothing without the other midstate. What they
    /// hold is the inner digest (useless without the outer midstate) and the
    /// MAC, which the caller publishes. The midstates themselves live in
    /// `self` and are wiped on drop. A MAC that is itself a key goes through
    /// [`HmacKey::mac`], which wipes.
    pub fn finish(&self, inner: Sha256) -> [u8; 32] {
        let (mac, _) = self.outer_hash(inner.finish());
        mac
    }

    /// The outer hash over `inner_digest`, and the block it compressed.
    fn outer_hash(&self, inner_digest: [u8; 32]) -> ([u8; 32], OuterWork) {
        // The outer message is the 32-byte inner digest after the opad block:
        // one padded block, laid out here rather than streamed.
        let mut work = OuterWork {
            state: self.outer,
            block: [0u8; 64],
        };
        work.block[..32].copy_from_slice(&inner_digest);
        work.block[32] = 0x80;
        work.block[56..].copy_from_slice(&((64u64 + 32) * 8).to_be_bytes());
        compress(&mut work.state, &work.block);
        (digest_bytes(&work.state), work)
    }

    /// The MAC of `data`, with every intermediate state wiped: in the key
    /// derivation each MAC is the next key.
    pub fn mac(&self, data: &[u8]) -> [u8; 32] {
        let mut inner = self.start();
        inner.update(data);
        let mut inner_digest = inner.finish_in_place();
        inner.wipe();
        let (mac, mut work) = self.outer_hash(inner_digest);
        inner_digest[..].zeroize();
        work.state[..].zeroize();
        work.block[..].zeroize();
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::Mac;
    use proptest::prelude::*;
    use sha2::Digest;

    #[test]
    fn known_answers() {
        let hex = |d: [u8; 32]| crate::encoding::hex32(&d);
        assert_eq!(
            &hex(Sha256::digest(b"")),
            b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            &hex(Sha256::digest(b"abc")),
            b"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // RFC 4231 test case 2.
        assert_eq!(
            &hex(HmacKey::new(b"Jefe").mac(b"what do ya want for nothing?")),
            b"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    proptest! {
        #[test]
        fn sha256_matches_the_sha2_crate(data in prop::collection::vec(any::<u8>(), 0..300), cuts in prop::collection::vec(0usize..300, 0..6)) {
            let mut h = Sha256::new();
            let mut rest = &data[..];
            for cut in cuts {
                let (a, b) = rest.split_at(cut.min(rest.len()));
                h.update(a);
                rest = b;
            }
            h.update(rest);
            let expected: [u8; 32] = sha2::Sha256::digest(&data).into();
            prop_assert_eq!(h.finish(), expected);
        }

        #[test]
        fn a_key_in_parts_is_the_joined_key(a in prop::collection::vec(any::<u8>(), 0..80), b in prop::collection::vec(any::<u8>(), 0..80)) {
            let joined: alloc::vec::Vec<u8> = a.iter().chain(&b).copied().collect();
            prop_assert!(HmacKey::from_key_parts(&[&a, &b]) == HmacKey::new(&joined));
        }

        #[test]
        fn hmac_matches_the_hmac_crate(key in prop::collection::vec(any::<u8>(), 0..150), data in prop::collection::vec(any::<u8>(), 0..300)) {
            let mut reference = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
            reference.update(&data);
            let expected: [u8; 32] = reference.finalize().into_bytes().into();
            prop_assert_eq!(HmacKey::new(&key).mac(&data), expected);
            let words = HmacKey::new(&key).to_words();
            prop_assert_eq!(HmacKey::from_word_fn(|i| words[i]).mac(&data), expected);
        }
    }
}
