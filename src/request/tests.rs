//! Unit tests of request validation.

use super::*;

#[test]
fn methods_must_be_tokens() {
    for bad in ["", "GE T", "GET\n", "G/ET", "GÉT"] {
        assert!(matches!(
            Request::new(bad, "h", "/").validate(HostCheck::Validate),
            Err(Error::InvalidMethod { .. })
        ));
    }
    assert!(Request::new("PROPFIND", "h", "/")
        .validate(HostCheck::Validate)
        .is_ok());
}

#[test]
fn headers_must_be_tokens_without_control_bytes() {
    let check = |h: &[(&str, &str)]| {
        Request::new("GET", "h", "/")
            .with_headers(h)
            .validate(HostCheck::Validate)
            .map(|_| ())
    };
    assert!(matches!(
        check(&[("bad name", "v")]),
        Err(Error::InvalidHeaderName { .. })
    ));
    assert!(matches!(
        check(&[("", "v")]),
        Err(Error::InvalidHeaderName { .. })
    ));
    assert_eq!(
        check(&[("x-a", "ok\r\nInjected: 1")]),
        Err(Error::InvalidHeaderValue {
            name: "x-a".into(),
            position: 2
        })
    );
    assert!(matches!(
        check(&[("x-a", "a\0b")]),
        Err(Error::InvalidHeaderValue { .. })
    ));
    assert!(matches!(
        check(&[("x-a", "a\x1bb")]),
        Err(Error::InvalidHeaderValue { .. })
    ));
    assert!(matches!(
        check(&[("Host", "h")]),
        Err(Error::ReservedHeader { .. })
    ));
    assert!(check(&[("x-a", "tab\tok é")]).is_ok());
}

#[test]
fn host_is_required_and_checked() {
    assert_eq!(
        Request::new("GET", "", "/").validate(HostCheck::Validate),
        Err(Error::MissingHost)
    );
    for bad in [
        "a b",
        "a/b",
        "user@host",
        "h:",
        "h:x",
        "h:123456",
        ":80",
        "é.com",
        "h::443",
        "h:80:80",
        "[::1",
        "[::1]x",
        "[::1]:",
        "a[b]",
        "[]",
        "a]b",
        "[a[b]",
        "[a]b]:1",
    ] {
        assert!(
            matches!(
                Request::new("GET", bad, "/").validate(HostCheck::Validate),
                Err(Error::InvalidHost { .. })
            ),
            "{bad}"
        );
    }
    for good in ["example.com", "127.0.0.1:9000", "[::1]:8080", "[::1]"] {
        assert!(
            Request::new("GET", good, "/")
                .validate(HostCheck::Validate)
                .is_ok(),
            "{good}"
        );
    }
}

#[test]
fn malformed_escapes_in_query_and_path_are_errors() {
    assert_eq!(
        Request::new("GET", "h", "/")
            .with_query("a=1&b=%4")
            .validate(HostCheck::Validate),
        Err(Error::MalformedPercentEscape {
            component: Component::QueryValue,
            position: 0
        })
    );
    assert_eq!(
        Request::new("GET", "h", "/")
            .with_query("%zz=1")
            .validate(HostCheck::Validate),
        Err(Error::MalformedPercentEscape {
            component: Component::QueryName,
            position: 0
        })
    );
    assert!(matches!(
        Request::new("GET", "h", "/a%2").validate(HostCheck::Validate),
        Err(Error::MalformedPercentEscape {
            component: Component::Path,
            ..
        })
    ));
    assert!(matches!(
        Request::new("GET", "h", "a").validate(HostCheck::Validate),
        Err(Error::InvalidPath { .. })
    ));
    assert!(matches!(
        Request::new("GET", "h", "/a\nb").validate(HostCheck::Validate),
        Err(Error::InvalidPath { .. })
    ));
}

#[test]
fn payload_hash_must_be_lower_hex() {
    let creds = crate::Credentials::new("AKID", "secret").unwrap();
    let signer = crate::Signer::new(creds, "us-east-1", "s3").unwrap();
    let time = crate::SigningTime::from_unix_seconds(0).unwrap();
    let upper = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
    let lower = upper.to_ascii_lowercase();
    for (hash, ok) in [(upper, false), (&upper[1..], false), (lower.as_str(), true)] {
        let req = Request::new("GET", "h", "/").with_payload(Payload::Sha256Hex(hash));
        let want = if ok {
            None
        } else {
            Some(Error::InvalidPayloadHash)
        };
        assert_eq!(signer.authorize(&req, time).err(), want, "{hash}");
        assert_eq!(signer.presign(&req, time, 60).err(), want, "{hash}");
    }
}

#[cfg(feature = "url")]
#[test]
fn from_url_takes_a_parsed_url_apart() {
    let url = ::url::Url::parse("http://Example.com:80/p?q=1").unwrap();
    let req = Request::from_url("PUT", &url).unwrap();
    assert_eq!(
        (req.scheme(), req.host(), req.path(), req.query()),
        (Scheme::Http, "example.com", "/p", "q=1")
    );
    for (text, host) in [
        ("http://[::1]:9000/p", "[::1]:9000"),
        ("https://H:443", "h"),
    ] {
        let url = ::url::Url::parse(text).unwrap();
        assert_eq!(
            Request::from_url("GET", &url).unwrap().host(),
            host,
            "{text}"
        );
    }
    for bad in ["https://u:p@h/", "https://h/#f", "ftp://h/"] {
        let url = ::url::Url::parse(bad).unwrap();
        assert!(Request::from_url("GET", &url).is_err(), "{bad}");
    }
    // The same request as the crate's own URL splitting gives.
    let text = "https://bucket.s3.amazonaws.com:443/a%20b/c?x=1&y=%2B";
    let parsed = ::url::Url::parse(text).unwrap();
    let ours = parse_url(text).unwrap();
    let signer = crate::Signer::new(
        crate::Credentials::new("AKID", "s").unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    let t = crate::SigningTime::from_unix_seconds(0).unwrap();
    let a = signer
        .presign(&Request::from_url("GET", &parsed).unwrap(), t, 60)
        .unwrap();
    let b = signer
        .presign(
            &Request::new("GET", ours.host, ours.path).with_query(ours.query),
            t,
            60,
        )
        .unwrap();
    assert_eq!(a.as_str(), b.as_str());
}

#[test]
fn query_pairs_split_on_first_equals() {
    let req = Request::new("GET", "h", "/").with_query("a=b=c&&lifecycle&=v");
    let pairs: alloc::vec::Vec<_> = req.query_pairs().collect();
    assert_eq!(pairs, [("a", "b=c"), ("lifecycle", ""), ("", "v")]);
}
