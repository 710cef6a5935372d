//! Unit tests of the encoding rules.

use super::*;
use alloc::vec::Vec;

fn canonical(part: Part<'_>) -> Vec<u8> {
    let mut v = Vec::new();
    part.write(&mut v);
    v
}

#[test]
fn encodes_everything_but_unreserved() {
    assert_eq!(encode("-._~AZaz09"), "-._~AZaz09");
    assert_eq!(encode(" +=/;&?%"), "%20%2B%3D%2F%3B%26%3F%25");
    assert_eq!(encode("ሴ"), "%E1%88%B4");
    let mut path = Vec::new();
    encode_into(b"/a b/c", Slash::Keep, &mut path);
    assert_eq!(path, b"/a%20b/c");
    assert_eq!(encoded_len(b"/a b/c", Slash::Keep), path.len());
}

#[test]
fn wire_parts_are_decoded_then_encoded() {
    assert_eq!(canonical(Part::Wire(b"%e1%88%b4")), b"%E1%88%B4");
    assert_eq!(canonical(Part::Wire(b"a+b%20c")), b"a%2Bb%20c");
    assert_eq!(canonical(Part::Wire(b"%7E")), b"~");
    assert_eq!(Part::Wire(b"%7Ea b").encoded_len(), 1 + 1 + 3 + 1);
}

#[test]
fn compares_by_encoded_bytes() {
    // '%' (0x25) sorts before letters: an escaped key comes first.
    assert_eq!(
        cmp_encoded(Part::Decoded("ሴ".as_bytes()), Part::Decoded(b"Param")),
        Ordering::Less
    );
    assert_eq!(
        cmp_encoded(Part::Decoded(b"Param"), Part::Decoded(b"Param-3")),
        Ordering::Less
    );
    assert_eq!(
        cmp_encoded(Part::Wire(b"a%20b"), Part::Decoded(b"a b")),
        Ordering::Equal
    );
    assert_eq!(
        cmp_encoded(Part::Decoded(b"Value1"), Part::Decoded(b"value2")),
        Ordering::Less
    );
}

#[test]
fn finds_malformed_escapes() {
    assert!(check_escapes(b"a%20b", Component::Path).is_ok());
    for (bad, at) in [(&b"%"[..], 0), (b"ab%2", 2), (b"%zz", 0), (b"%2g", 0)] {
        assert_eq!(
            check_escapes(bad, Component::QueryValue),
            Err(Error::MalformedPercentEscape {
                component: Component::QueryValue,
                position: at
            })
        );
    }
}

#[test]
fn url_paths_escape_only_what_a_url_cannot_carry() {
    let mut v = Vec::new();
    write_url_path("/a b/ሴ/%3D@$?#".as_bytes(), &mut v);
    assert_eq!(v, b"/a%20b/%E1%88%B4/%3D@$%3F%23");
}

#[test]
fn hex32_writes_every_byte_in_lower_case() {
    let all: alloc::string::String = (0..=255u8).map(|b| alloc::format!("{b:02x}")).collect();
    for (n, want) in all.as_bytes().chunks(64).enumerate() {
        let digest: [u8; 32] = core::array::from_fn(|i| (n * 32 + i) as u8);
        assert_eq!(&hex32(&digest)[..], want);
    }
}

#[test]
fn the_unreserved_table_and_the_encoding_sets_agree() {
    // Scanning uses the table, encoding the `AsciiSet`s: one set of
    // unreserved bytes, written twice, checked here for every byte.
    for b in 0..=255u8 {
        let mut query = Vec::new();
        encode_into(&[b], Slash::Escape, &mut query);
        assert_eq!(query == [b], is_unreserved(b), "byte {b}");
        let mut path = Vec::new();
        encode_into(&[b], Slash::Keep, &mut path);
        assert_eq!(path == [b], is_unreserved(b) || b == b'/', "byte {b}");
        assert_eq!(run_end(&[b], 0, &UNRESERVED) == 1, is_unreserved(b));
        let path_run = run_end(&[b], 0, &UNRESERVED_OR_SLASH) == 1;
        assert_eq!(path_run, is_unreserved(b) || b == b'/');
    }
}

proptest::proptest! {
    #[test]
    fn encoding_is_byte_at_a_time_escaping(
        text in proptest::collection::vec(proptest::sample::select(
            b"%%%0123456789aAfFgG/~-._ +=&zZ\xff".to_vec()), 0..40),
        keep_slash in proptest::bool::ANY,
    ) {
        let slash = if keep_slash { Slash::Keep } else { Slash::Escape };
        let mut encoded = Vec::new();
        encode_into(&text, slash, &mut encoded);
        let mut one_by_one = Vec::new();
        for &b in &text {
            if is_unreserved(b) || (keep_slash && b == b'/') {
                one_by_one.push(b);
            } else {
                one_by_one.extend_from_slice(percent_encode_byte(b).as_bytes());
            }
        }
        proptest::prop_assert_eq!(encoded.len(), encoded_len(&text, slash));
        proptest::prop_assert_eq!(encoded, one_by_one);
    }

    #[test]
    fn text_is_encoded_as_its_bytes_are(
        text in "[a-zA-Z0-9/~._ %+=&ü😀-]{0,40}",
        keep_slash in proptest::bool::ANY,
    ) {
        let slash = if keep_slash { Slash::Keep } else { Slash::Escape };
        let mut from_bytes = alloc::string::String::new();
        encode_into(text.as_bytes(), slash, &mut from_bytes);
        let mut from_text = alloc::string::String::new();
        encode_text_into(&text, slash, &mut from_text);
        proptest::prop_assert_eq!(from_text, from_bytes);
    }
}
