//! Unit tests of the audit view.

use super::s3_error::unescape;
use super::*;

#[test]
fn unescapes_xml() {
    assert_eq!(
        unescape("a&amp;b&lt;&gt;&quot;&apos;&#10;&#x41;&bogus;"),
        "a&b<>\"'\nA&bogus;"
    );
}

#[test]
fn finds_the_first_difference() {
    let d = first_difference("a\nbcd\ne", "a\nbxd\ne").unwrap();
    assert_eq!(
        (d.line, d.column, d.ours.as_str(), d.theirs.as_str()),
        (2, 2, "bcd", "bxd")
    );
    assert!(first_difference("same", "same").is_none());
    let d = first_difference("a\nb", "a\nb\nc").unwrap();
    assert_eq!((d.line, d.column), (3, 1));
}

#[test]
fn reads_bytes_elements_first() {
    let xml = "<Error><Code>SignatureDoesNotMatch</Code><StringToSign>x</StringToSign>\
               <StringToSignBytes>61 0a 62</StringToSignBytes><CanonicalRequest>G&amp;</CanonicalRequest></Error>";
    let e = parse_s3_error(xml);
    assert_eq!(e.string_to_sign.as_deref(), Some("a\nb"));
    assert_eq!(e.canonical_request.as_deref(), Some("G&"));
    assert_eq!(e.access_key_id, None);
}
