//! Unit tests of URL splitting.

use super::*;
use crate::request::*;

#[test]
fn splits_urls() {
    let p = parse_url("http://127.0.0.1:9000").unwrap();
    assert_eq!(
        (p.scheme, p.host, p.path, p.query),
        (Scheme::Http, "127.0.0.1:9000", "/", "")
    );
    let p = parse_url("https://h/?lifecycle").unwrap();
    assert_eq!((p.path, p.query), ("/", "lifecycle"));
    assert_eq!(parse_url("http://h:80/x").unwrap().host, "h");
    assert_eq!(parse_url("https://h:80/x").unwrap().host, "h:80");
    assert_eq!(parse_url("https://[::1]:443/").unwrap().host, "[::1]");
}

#[test]
fn default_ports_are_recognised_by_number() {
    let c = |s, a| canonical_authority(s, a).unwrap();
    assert_eq!(c(Scheme::Https, "h:0443"), "h");
    assert_eq!(c(Scheme::Http, "h:080"), "h");
    assert_eq!(c(Scheme::Http, "h:0000080"), "h");
    assert_eq!(c(Scheme::Https, "[::1]:0443"), "[::1]");
    assert_eq!(c(Scheme::Https, "h:080"), "h:80");
    assert_eq!(c(Scheme::Http, "h:0443"), "h:443");
    assert_eq!(c(Scheme::Https, "h:65535"), "h:65535");
    assert_eq!(c(Scheme::Https, "h:1"), "h:1");
}

#[test]
fn ports_outside_1_to_65535_are_typed_errors() {
    for bad in [
        "h:0",
        "h:00",
        "h:65536",
        "h:99999",
        "h:4294967296",
        "h:184467440737095516160443",
        "[::1]:0",
        "[::1]:70000",
    ] {
        let got = canonical_authority(Scheme::Https, bad);
        assert!(
            matches!(&got, Err(Error::InvalidPort { port, .. }) if bad.ends_with(port.as_str())),
            "{bad}: {got:?}"
        );
    }
}

#[test]
fn canonical_authority_writes_the_number() {
    let c = |s, a| canonical_authority(s, a).unwrap();
    assert_eq!(c(Scheme::Https, "H:09000"), "h:9000");
    assert_eq!(c(Scheme::Https, "h:0443"), "h");
    assert_eq!(c(Scheme::Http, "[::1]:0080"), "[::1]");
    assert_eq!(c(Scheme::Http, "[::1]:9000"), "[::1]:9000");
    assert!(canonical_authority(Scheme::Http, "h:0").is_err());
    assert!(canonical_authority(Scheme::Http, "h::80").is_err());
}

#[test]
fn refuses_what_signing_cannot_carry() {
    for bad in [
        "ftp://h/",
        "h/path",
        "https://user:pw@h/",
        "https://h/#frag",
        "https:///path",
        "https://h h/",
    ] {
        assert!(parse_url(bad).is_err(), "{bad}");
    }
}
