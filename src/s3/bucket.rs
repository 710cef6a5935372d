//! Bucket names: which ones S3 can be asked for at all (botocore's check),
//! and which of those can go in a host name (the S3 endpoint ruleset's).
//!
//! The two differ because S3 still serves legacy us-east-1 buckets named
//! before the DNS rules (`My_Bucket`, `ab`, 255 characters): they are
//! reachable by path-style addressing only.

use crate::error::Error;
use alloc::string::ToString;

/// Longest bucket name botocore accepts (legacy us-east-1 names).
pub const MAX_BUCKET_LEN: usize = 255;

/// Checks a bucket name as botocore does before any request: 1 to 255
/// characters of `A-Z`, `a-z`, `0-9`, `.`, `_` and `-`
/// (`^[a-zA-Z0-9.\-_]{1,255}$`).
///
/// This admits names only path-style addressing can reach (`My_Bucket`,
/// `a..b`, `192.168.5.4`); [`virtual_host_check`] says which can be
/// virtual-hosted.
///
/// ```
/// use awsig::s3::validate_bucket;
/// assert!(validate_bucket("Legacy_Bucket").is_ok());
/// assert!(validate_bucket("a/b").is_err());
/// ```
pub fn validate_bucket(bucket: &str) -> Result<(), Error> {
    let fail = |reason| {
        Err(Error::InvalidBucket {
            bucket: bucket.to_string(),
            reason,
        })
    };
    if bucket.is_empty() {
        return fail("is empty");
    }
    if bucket.len() > MAX_BUCKET_LEN {
        return fail("is longer than 255 characters");
    }
    if crate::encoding::run_end(bucket.as_bytes(), 0, &BUCKET_BYTE) != bucket.len() {
        return fail("may hold only A-Z, a-z, 0-9, '.', '_' and '-'");
    }
    Ok(())
}

/// The bytes a bucket name may hold: `A-Z`, `a-z`, `0-9`, `.`, `_`, `-`.
static BUCKET_BYTE: [bool; 256] = crate::encoding::byte_table(b"._-");

/// `a-z`, `0-9` and `-`: the bytes of a DNS label as S3 takes it.
static LABEL_BYTE: [bool; 256] = {
    let mut table = crate::encoding::byte_table(b"-");
    let mut c = b'A';
    while c <= b'Z' {
        table[c as usize] = false;
        c += 1;
    }
    table
};

/// Whether `name` is one DNS label: 1 to 63 of `a-z 0-9 -`, no `-` at
/// either end.
pub(crate) fn is_one_label(name: &str) -> bool {
    (1..=63).contains(&name.len())
        && crate::encoding::run_end(name.as_bytes(), 0, &LABEL_BYTE) == name.len()
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// Whether a name may hold dots when it goes in the host name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dots {
    /// One label only, as over https, where `a.b.host` would fail the
    /// certificate's single-level wildcard.
    Refused,
    /// Dot-separated labels, as over plain http to a custom endpoint.
    Allowed,
}

/// The S3 endpoint ruleset's `aws.isVirtualHostableS3Bucket(bucket, dots)`:
/// at least 3 characters, lower case, not shaped like an IPv4 address, and
/// one host label (1 to 63 of `a-z`, `0-9`, `-`, not starting or ending with
/// `-`), or with [`Dots::Allowed`] dot-separated such labels. `Err` is the
/// reason, worded to follow the name as in [`Error::InvalidBucket`]'s
/// message; the presigner only asks whether it is `Ok`, and sends the other
/// names path-style.
///
/// ```
/// use awsig::s3::{virtual_host_check, Dots};
/// assert!(virtual_host_check("my-bucket", Dots::Refused).is_ok());
/// assert!(virtual_host_check("my.bucket", Dots::Refused).is_err());
/// assert!(virtual_host_check("my.bucket", Dots::Allowed).is_ok());
/// assert!(virtual_host_check("MyBucket", Dots::Allowed).is_err());
/// ```
pub fn virtual_host_check(bucket: &str, dots: Dots) -> Result<(), &'static str> {
    // The usual name, one label of 3 or more, is settled in one pass: it has
    // no upper case and no dots, so it cannot be shaped like an address.
    if bucket.len() >= 3 && is_one_label(bucket) {
        return Ok(());
    }
    if bucket.len() < 3 {
        return Err("is shorter than 3 characters, so cannot be virtual-hosted: use path style");
    }
    if bucket.bytes().any(|c| c.is_ascii_uppercase()) {
        return Err("holds upper case, so cannot be virtual-hosted: use path style");
    }
    if ipv4_shaped(bucket) {
        return Err("is shaped like an IP address, so cannot be virtual-hosted: use path style");
    }
    match dots {
        Dots::Refused if bucket.contains('.') => {
            Err("holds '.', which breaks TLS for virtual-hosted addressing: use path style")
        }
        Dots::Allowed if bucket.split('.').all(is_one_label) => Ok(()),
        _ => Err("is not a DNS label (1 to 63 of a-z, 0-9 and '-', not starting or ending with '-'), so cannot be virtual-hosted: use path style"),
    }
}

/// Four dot-separated runs of 1 to 3 digits (botocore's `IPV4_RE`): the
/// shape alone, so `999.0.0.1` counts.
pub(crate) fn ipv4_shaped(name: &str) -> bool {
    // Only a name with exactly three dots can match; most names are done
    // after one count.
    name.bytes().filter(|&c| c == b'.').count() == 3
        && name
            .split('.')
            .all(|o| (1..=3).contains(&o.len()) && o.bytes().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_botocore_accepts() {
        let long = "b".repeat(255);
        for ok in [
            "b",
            "ab",
            "UPPER",
            "under_score",
            "-start",
            "bucket-",
            "a..b",
            "192.168.5.4",
            ".dot",
            long.as_str(),
        ] {
            assert_eq!(validate_bucket(ok), Ok(()), "{ok}");
        }
        let too_long = "b".repeat(256);
        for bad in ["", "a/b", "a b", "a:b", "é", "a\0b", too_long.as_str()] {
            assert!(
                matches!(validate_bucket(bad), Err(Error::InvalidBucket { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn virtual_hosting_follows_the_ruleset() {
        let long = "b".repeat(64);
        for (name, refused, allowed) in [
            ("bkt", true, true),
            ("my-bucket-123", true, true),
            ("b".repeat(63).as_str(), true, true),
            ("my.bucket", false, true),
            ("a.b-.c", false, false),
            ("a..b", false, false),
            ("192.168.5.4", false, false),
            ("1.2.3.4.5", false, true),
            ("ab", false, false),
            ("MyBucket", false, false),
            ("my_bucket", false, false),
            ("-bucket", false, false),
            ("bucket-", false, false),
            (long.as_str(), false, false),
        ] {
            assert_eq!(
                virtual_host_check(name, Dots::Refused).is_ok(),
                refused,
                "{name}"
            );
            assert_eq!(
                virtual_host_check(name, Dots::Allowed).is_ok(),
                allowed,
                "{name}"
            );
        }
    }
}
