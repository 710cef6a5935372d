//! Unit tests of the canonical request.

use super::headers::put_trimmed;
use super::query::put_decimal;
use super::*;
use crate::encoding::hex32;
use alloc::vec::Vec;

fn normalized(p: &str) -> String {
    normalize_path(p).into_owned()
}

#[test]
fn normalizes_like_the_suite() {
    assert_eq!(normalized("/example/.."), "/");
    assert_eq!(normalized("/example1/example2/../.."), "/");
    assert_eq!(normalized("//"), "/");
    assert_eq!(normalized("/./"), "/");
    assert_eq!(normalized("/./example"), "/example");
    assert_eq!(normalized("//example//"), "/example/");
    assert_eq!(normalized("/a/b/../c"), "/a/c");
    assert_eq!(normalized("/a/b/.."), "/a/");
    assert_eq!(normalized("/a/b"), "/a/b");
    assert_eq!(normalized("/"), "/");
}

#[test]
fn trims_and_folds_header_values() {
    let mut v = Vec::new();
    put_trimmed("  a   b\t\tc  \"x  y\" ", &mut v);
    assert_eq!(v, b"a b c \"x y\"");
    v.clear();
    put_trimmed(" \t ", &mut v);
    assert_eq!(v, b"");
    v.clear();
    put_trimmed("a\tb", &mut v);
    assert_eq!(v, b"a b");
}

#[test]
fn recodes_paths_to_one_canonical_form() {
    let mut v = Vec::new();
    write_recoded("/a$b/%24/%e1%88%b4/%7E/%2F/ c", Slash::Keep, &mut v);
    assert_eq!(v, b"/a%24b/%24/%E1%88%B4/~///%20c");
}

#[test]
fn the_empty_payload_hash_is_sha256_of_nothing() {
    let computed = hex32(&<Sha256 as Digest>::digest(b""));
    assert_eq!(PayloadHash::EMPTY, PayloadHash::Hex(computed));
}

#[test]
fn writes_decimals() {
    for n in [0u64, 7, 35, 604_800, u64::MAX] {
        let mut v = Vec::new();
        put_decimal(n, &mut v);
        assert_eq!(v, alloc::format!("{n}").as_bytes());
    }
}

#[test]
fn presigning_parameters_are_in_canonical_order() {
    // The merge in `write_query` relies on the signed parameters' order
    // being their names' sorted order; X-Amz-Signature is no part of it.
    let last = AuthParam::ALL.len() - 1;
    let signed = &AuthParam::ALL[..last];
    let names: Vec<&str> = signed.iter().map(|p| p.name()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    assert!(signed.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(AuthParam::ALL[last], AuthParam::Signature);
    for param in AuthParam::ALL {
        assert_eq!(AuthParam::from_name(param.name()), Some(param));
    }
}
