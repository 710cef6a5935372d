//! `std::io::Read` adapters: any reader turned into an aws-chunked body,
//! and an aws-chunked body turned back into the data it verified, each
//! holding at most one chunk.

use super::{
    write_unsigned_chunk, write_unsigned_final_chunk, Checksum, ChunkSigner, ChunkVerifier,
    Running, MIN_CHUNK,
};
use crate::Streaming;
use alloc::string::String;
use alloc::vec::Vec;
use std::io::{self, Read};

/// Reads `data` full from `reader`, or to its end: how many bytes it got.
fn fill(reader: &mut impl Read, data: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < data.len() {
        match reader.read(&mut data[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// An aws-chunked body read from any reader, one chunk at a time: chunks
/// of `chunk_size` bytes (8 KiB at least, as S3 requires of every chunk but
/// the last), signed by a [`ChunkSigner`] in the signed modes, and, in the
/// trailer modes, a trailer with the data's `checksum`. Its length is
/// [`encoded_length`](super::encoded_length) of the data's, with that
/// trailer (`(checksum.header_name(), checksum.value_len())`).
pub struct ChunkedBody<R> {
    reader: R,
    signer: Option<ChunkSigner>,
    mode: Streaming,
    data: Vec<u8>,
    framed: Vec<u8>,
    at: usize,
    checksum: Checksum,
    running: Option<Running>,
    done: bool,
}

impl<R: Read> ChunkedBody<R> {
    /// A body of `reader`'s bytes in `mode`: `signer` signs the chunks
    /// (required in the signed modes, ignored in the unsigned one), and
    /// `checksum` is the trailer's in the trailer modes.
    pub fn new(
        reader: R,
        mode: Streaming,
        signer: Option<ChunkSigner>,
        chunk_size: usize,
        checksum: Checksum,
    ) -> Self {
        ChunkedBody {
            reader,
            signer,
            mode,
            data: alloc::vec![0; chunk_size.max(MIN_CHUNK)],
            framed: Vec::new(),
            at: 0,
            checksum,
            running: Some(checksum.start()),
            done: false,
        }
    }

    /// Frames the next chunk (or the end) into `framed`.
    fn next_chunk(&mut self) -> io::Result<()> {
        self.framed.clear();
        self.at = 0;
        let got = fill(&mut self.reader, &mut self.data)?;
        let data = &self.data[..got];
        if let Some(running) = self.running.as_mut() {
            running.update(data);
        }
        let signed = self.mode.algorithm().is_some();
        if signed && self.signer.is_none() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a signed aws-chunked body needs a ChunkSigner",
            ));
        }
        if let (Some(mode), Some(signer)) = (self.mode.algorithm(), &self.signer) {
            if signer.algorithm() != mode {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the ChunkSigner's algorithm is not the mode's (SigV4 signs the HMAC modes, SigV4a the ECDSA ones)",
                ));
            }
        }
        let mut signer = self.signer.as_mut().filter(|_| signed);
        if got > 0 {
            match signer.as_mut() {
                Some(signer) => signer.write_chunk(data, &mut self.framed),
                None => write_unsigned_chunk(data, &mut self.framed),
            }
            if got == self.data.len() {
                return Ok(());
            }
        }
        // The reader is done: the final chunk and the trailer.
        self.done = true;
        let value = self.running.take().map(Running::finish).unwrap_or_default();
        let trailer = [(self.checksum.header_name(), value.as_str())];
        match (self.mode.has_trailer(), signer) {
            (false, Some(signer)) => signer.write_final_chunk(&mut self.framed),
            (_, Some(signer)) => signer.write_final_chunk_with_trailer(&trailer, &mut self.framed),
            (_, None) => write_unsigned_final_chunk(&trailer, &mut self.framed),
        }
        Ok(())
    }
}

impl<R: Read> Read for ChunkedBody<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.at == self.framed.len() {
            if self.done {
                return Ok(0);
            }
            self.next_chunk()?;
        }
        let n = out.len().min(self.framed.len() - self.at);
        out[..n].copy_from_slice(&self.framed[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The data of an aws-chunked body read from `reader`, released a chunk at
/// a time and only once the chunk has verified: a read that would hand over
/// a byte of a bad chunk fails instead (`io::ErrorKind::InvalidData`, with
/// the [`ChunkError`](super::ChunkError) inside), as does a body that ends early.
pub struct VerifiedBody<R> {
    reader: R,
    verifier: ChunkVerifier,
    input: Vec<u8>,
    data: Vec<u8>,
    at: usize,
}

impl<R: Read> VerifiedBody<R> {
    /// Verifies `reader`'s body with `verifier`.
    pub fn new(reader: R, verifier: ChunkVerifier) -> Self {
        VerifiedBody {
            reader,
            verifier,
            input: alloc::vec![0; 64 * 1024],
            data: Vec::new(),
            at: 0,
        }
    }

    /// The trailer's headers, once the body has been read to its end.
    pub fn trailer(&self) -> &[(String, String)] {
        self.verifier.trailer()
    }
}

impl<R: Read> Read for VerifiedBody<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let invalid = |e: super::ChunkError| io::Error::new(io::ErrorKind::InvalidData, e);
        while self.at == self.data.len() {
            self.data.clear();
            self.at = 0;
            let got = loop {
                match self.reader.read(&mut self.input) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    other => break other?,
                }
            };
            if got == 0 {
                self.verifier.finish().map_err(invalid)?;
                return Ok(0);
            }
            self.verifier
                .feed(&self.input[..got], &mut self.data)
                .map_err(invalid)?;
        }
        let n = out.len().min(self.data.len() - self.at);
        out[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
