//! The checksums an aws-chunked trailer carries: CRC-32, CRC-32C,
//! CRC-64/NVME (the `crc` crate), SHA-1 (`sha1`) and SHA-256 (`sha2`), each
//! written as base64 of its big-endian bytes, as S3 writes them.

use alloc::string::String;
use base64::Engine as _;
use sha2::Digest as _;

/// A trailer checksum algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checksum {
    /// `x-amz-checksum-crc32` (CRC-32/ISO-HDLC).
    Crc32,
    /// `x-amz-checksum-crc32c` (CRC-32/ISCSI).
    Crc32c,
    /// `x-amz-checksum-crc64nvme` (CRC-64/NVME).
    Crc64Nvme,
    /// `x-amz-checksum-sha1`.
    Sha1,
    /// `x-amz-checksum-sha256`.
    Sha256,
}

const CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);
const CRC32C: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISCSI);
const CRC64NVME: crc::Crc<u64> = crc::Crc::<u64>::new(&crc::CRC_64_NVME);

impl Checksum {
    /// Every algorithm.
    pub const ALL: [Checksum; 5] = [
        Checksum::Crc32,
        Checksum::Crc32c,
        Checksum::Crc64Nvme,
        Checksum::Sha1,
        Checksum::Sha256,
    ];

    /// The trailer header's name, `x-amz-checksum-…`.
    pub fn header_name(self) -> &'static str {
        match self {
            Checksum::Crc32 => "x-amz-checksum-crc32",
            Checksum::Crc32c => "x-amz-checksum-crc32c",
            Checksum::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Checksum::Sha1 => "x-amz-checksum-sha1",
            Checksum::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// The algorithm a trailer header names (ignoring ASCII case).
    pub fn from_header_name(name: &str) -> Option<Checksum> {
        Checksum::ALL
            .into_iter()
            .find(|c| c.header_name().eq_ignore_ascii_case(name))
    }

    /// The length of the base64 value: what [`encoded_length`](super::encoded_length)
    /// takes for the trailer.
    pub fn value_len(self) -> usize {
        match self {
            Checksum::Crc32 | Checksum::Crc32c => 8,
            Checksum::Crc64Nvme => 12,
            Checksum::Sha1 => 28,
            Checksum::Sha256 => 44,
        }
    }

    /// A running checksum of this algorithm.
    pub fn start(self) -> Running {
        Running(match self {
            Checksum::Crc32 => State::Crc32(CRC32.digest()),
            Checksum::Crc32c => State::Crc32c(CRC32C.digest()),
            Checksum::Crc64Nvme => State::Crc64(CRC64NVME.digest()),
            Checksum::Sha1 => State::Sha1(sha1::Sha1::new()),
            Checksum::Sha256 => State::Sha256(sha2::Sha256::new()),
        })
    }

    /// The checksum of `data`, base64.
    pub fn of(self, data: &[u8]) -> String {
        let mut running = self.start();
        running.update(data);
        running.finish()
    }
}

enum State {
    Crc32(crc::Digest<'static, u32>),
    Crc32c(crc::Digest<'static, u32>),
    Crc64(crc::Digest<'static, u64>),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
}

/// A checksum being computed over data as it goes by.
pub struct Running(State);

impl core::fmt::Debug for Running {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Running(..)")
    }
}

impl Running {
    /// Takes in the next bytes.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            State::Crc32(d) | State::Crc32c(d) => d.update(data),
            State::Crc64(d) => d.update(data),
            State::Sha1(d) => d.update(data),
            State::Sha256(d) => d.update(data),
        }
    }

    /// The value, base64 of the big-endian bytes.
    pub fn finish(self) -> String {
        let engine = base64::engine::general_purpose::STANDARD;
        match self.0 {
            State::Crc32(d) | State::Crc32c(d) => engine.encode(d.finalize().to_be_bytes()),
            State::Crc64(d) => engine.encode(d.finalize().to_be_bytes()),
            State::Sha1(d) => engine.encode(d.finalize()),
            State::Sha256(d) => engine.encode(d.finalize()),
        }
    }
}
