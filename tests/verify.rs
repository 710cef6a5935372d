//! Verification: each check fails with its own error, tampering is caught,
//! and (property tests) anything presigned verifies, any one change to it
//! fails, and no input makes the verifier panic.

use awsig::s3::{AddressingStyle, Endpoint, S3Presigner, S3Request};
use awsig::verify::{Verifier, VerifyError};
use awsig::{Credentials, Payload, Request, Settings, Signer, SigningTime};
use proptest::prelude::*;

const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn creds() -> Credentials {
    Credentials::new(KEY_ID, SECRET).unwrap()
}

fn t(s: &str) -> SigningTime {
    SigningTime::parse(s).unwrap()
}

fn verifier() -> Verifier<impl Fn(&str) -> Option<Credentials>> {
    Verifier::new(|id: &str| (id == KEY_ID).then(creds)).accept("us-east-1", "s3")
}

fn presigned(key: &str, headers: &[(&str, &str)]) -> String {
    S3Presigner::new(creds(), "us-east-1")
        .unwrap()
        .presign(
            &S3Request::put("bucket", key)
                .with_headers(headers)
                .expires_in(3600),
            t("2024-01-01T00:00:00Z"),
        )
        .unwrap()
        .into_string()
}

const NOW: &str = "2024-01-01T00:30:00Z";

fn check(url: &str, method: &str, headers: &[(&str, &str)]) -> Result<(), VerifyError> {
    verifier()
        .verify_presigned(method, url, headers, None, t(NOW))
        .map(|_| ())
}

#[test]
fn a_presigned_url_verifies_and_reports_what_it_checked() {
    let headers = [("Content-Type", "text/plain")];
    let url = presigned("a b/é.txt", &headers);
    let v = verifier()
        .verify_presigned("PUT", &url, &headers, None, t(NOW))
        .unwrap();
    assert_eq!(v.access_key_id(), KEY_ID);
    assert_eq!((v.region(), v.service()), ("us-east-1", "s3"));
    assert_eq!(v.signed_at(), t("2024-01-01T00:00:00Z"));
    assert_eq!(v.expires_at(), Some(t("2024-01-01T01:00:00Z")));
    assert_eq!(
        v.signed_headers().collect::<Vec<_>>(),
        ["content-type", "host"]
    );
}

#[test]
fn urls_longer_than_the_stack_buffer_verify() {
    // Past 2 KiB the signer writes the URL a second time into its own
    // allocation: the two paths must sign alike.
    for key in ["ü/".repeat(340), "a b+".repeat(256)] {
        let url = presigned(&key, &[]);
        assert!(url.len() > 2048, "{} bytes", url.len());
        assert_eq!(check(&url, "PUT", &[]), Ok(()), "{} bytes", url.len());
    }
}

#[test]
fn each_check_has_its_own_error() {
    let url = presigned("k", &[]);
    let replace = |from: &str, to: &str| {
        assert!(url.contains(from), "{from}");
        url.replacen(from, to, 1)
    };
    let cases: Vec<(String, VerifyError)> = vec![
        (
            replace(
                "X-Amz-Algorithm=AWS4-HMAC-SHA256",
                "X-Amz-Algorithm=AWS4-HMAC-SHA1",
            ),
            VerifyError::UnsupportedAlgorithm,
        ),
        (
            replace("X-Amz-Algorithm=AWS4-HMAC-SHA256&", ""),
            VerifyError::Missing("X-Amz-Algorithm"),
        ),
        (
            replace("%2Faws4_request", "%2Faws5_request"),
            VerifyError::MalformedCredential,
        ),
        (
            replace(
                "X-Amz-Credential=AKIDEXAMPLE%2F20240101",
                "X-Amz-Credential=AKIDEXAMPLE%2F20240102",
            ),
            VerifyError::CredentialDateMismatch,
        ),
        (
            replace("X-Amz-Date=20240101T000000Z", "X-Amz-Date=2024-01-01"),
            VerifyError::MalformedDate,
        ),
        (
            replace("X-Amz-Expires=3600", "X-Amz-Expires=0"),
            VerifyError::InvalidExpires,
        ),
        (
            replace("X-Amz-Expires=3600", "X-Amz-Expires=604801"),
            VerifyError::InvalidExpires,
        ),
        (
            replace("X-Amz-Expires=3600", "X-Amz-Expires=-1"),
            VerifyError::InvalidExpires,
        ),
        (
            replace("X-Amz-Expires=3600", "X-Amz-Expires=1h"),
            VerifyError::InvalidExpires,
        ),
        (
            replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=Host"),
            VerifyError::SignedHeadersNotCanonical,
        ),
        (
            replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=x-a"),
            VerifyError::HostNotSigned,
        ),
        (
            replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3Bx-a"),
            VerifyError::SignedHeaderNotSent { name: "x-a".into() },
        ),
        (
            replace(
                "X-Amz-Signature=",
                "X-Amz-Date=20240101T000000Z&X-Amz-Signature=",
            ),
            VerifyError::Duplicate("X-Amz-Date"),
        ),
        (
            format!("{url}&X-Amz-Signature=00"),
            VerifyError::Duplicate("X-Amz-Signature"),
        ),
        (
            replace("X-Amz-Credential=AKIDEXAMPLE", "X-Amz-Credential=AKIDOTHER"),
            VerifyError::UnknownAccessKey {
                access_key_id: "AKIDOTHER".into(),
            },
        ),
    ];
    for (altered, expected) in cases {
        assert_eq!(check(&altered, "PUT", &[]), Err(expected), "{altered}");
    }
    // Upper-case hex and short signatures.
    let sig_at = url.len() - 64;
    let upper = format!("{}{}", &url[..sig_at], url[sig_at..].to_ascii_uppercase());
    assert_ne!(upper, url);
    assert_eq!(
        check(&upper, "PUT", &[]),
        Err(VerifyError::MalformedSignature)
    );
    assert_eq!(
        check(&url[..url.len() - 1], "PUT", &[]),
        Err(VerifyError::MalformedSignature)
    );
}

#[test]
fn time_and_scope_checks() {
    let url = presigned("k", &[]);
    let v = verifier();
    assert!(v
        .verify_presigned("PUT", &url, &[], None, t("2024-01-01T01:00:00Z"))
        .is_ok());
    assert_eq!(
        v.verify_presigned("PUT", &url, &[], None, t("2024-01-01T01:00:01Z")),
        Err(VerifyError::Expired {
            expired_at: t("2024-01-01T01:00:00Z")
        })
    );
    // Dated in the future: within the skew is fine, beyond it is not.
    assert!(v
        .verify_presigned("PUT", &url, &[], None, t("2023-12-31T23:45:00Z"))
        .is_ok());
    assert!(matches!(
        v.verify_presigned("PUT", &url, &[], None, t("2023-12-31T23:44:59Z")),
        Err(VerifyError::NotYetValid { .. })
    ));
    let elsewhere = Verifier::new(|id: &str| (id == KEY_ID).then(creds)).accept("eu-west-1", "s3");
    assert_eq!(
        elsewhere.verify_presigned("PUT", &url, &[], None, t(NOW)),
        Err(VerifyError::ScopeNotAccepted {
            region: "us-east-1".into(),
            service: "s3".into()
        })
    );
    let short_cap = verifier().max_expires(600);
    assert_eq!(
        short_cap.verify_presigned("PUT", &url, &[], None, t(NOW)),
        Err(VerifyError::InvalidExpires)
    );
}

#[test]
fn session_tokens_are_required_and_compared() {
    let temp = || creds().with_session_token("token/+=").unwrap();
    let v = Verifier::new(move |id: &str| (id == KEY_ID).then(temp)).accept("us-east-1", "s3");
    let with_token = S3Presigner::new(temp(), "us-east-1")
        .unwrap()
        .presign(
            &S3Request::get("bucket", "k").expires_in(3600),
            t("2024-01-01T00:00:00Z"),
        )
        .unwrap()
        .into_string();
    assert!(v
        .verify_presigned("GET", &with_token, &[], None, t(NOW))
        .is_ok());
    let without = presigned("k", &[]);
    assert_eq!(
        v.verify_presigned("PUT", &without, &[], None, t(NOW)),
        Err(VerifyError::SessionTokenMissing)
    );
    let other = with_token.replace("token%2F%2B%3D", "token%2F%2B%3E");
    assert_eq!(
        v.verify_presigned("GET", &other, &[], None, t(NOW)),
        Err(VerifyError::SessionTokenMismatch)
    );
}

#[test]
fn a_mismatch_hands_over_the_computation_but_no_secret() {
    let url = presigned("k", &[]);
    let err = check(&url, "GET", &[]).unwrap_err();
    let VerifyError::SignatureMismatch {
        canonical_request,
        string_to_sign,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert!(
        canonical_request.starts_with("GET\n/bucket/k\n")
            || canonical_request.starts_with("GET\n/k\n")
    );
    assert!(string_to_sign.starts_with("AWS4-HMAC-SHA256\n20240101T000000Z\n"));
    let shown = format!("{err} {err:?}");
    let signature = &url[url.len() - 64..];
    assert!(!shown.contains(signature));
    assert!(!shown.contains(SECRET));
}

#[test]
fn header_signed_requests_may_carry_any_query_parameters_but_query_authentication() {
    // Only a presigned URL's query is read for authentication: a
    // header-signed request may repeat X-Amz-* names among its parameters,
    // but not carry a second mechanism (S3: "Only one auth mechanism
    // allowed"), which the signer refuses to write.
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    for name in ["X-Amz-Signature", "X-Amz-Credential", "X-Amz-Algorithm"] {
        let query = format!("{name}=a&z=1");
        let req = Request::new("GET", "bucket.s3.amazonaws.com", "/k").with_query(&query);
        assert_eq!(
            signer
                .authorize(&req, t("2024-01-01T00:00:00Z"))
                .unwrap_err(),
            awsig::Error::ReservedQueryParameter { name: name.into() }
        );
    }
    for query in [
        "X-Amz-Expires=1&X-Amz-Expires=2",
        "X-Amz-Date=a&X-Amz-Date=b&z=1",
        "b=1&a=2",
    ] {
        let req = Request::new("GET", "bucket.s3.amazonaws.com", "/k").with_query(query);
        let time = t("2024-01-01T00:00:00Z");
        let auth = signer.authorize(&req, time).unwrap();
        let headers: Vec<(&str, &str)> = auth.headers().collect();
        let url = format!("https://bucket.s3.amazonaws.com/k?{query}");
        let verified = verifier().verify_authorization("GET", &url, &headers, None, time);
        assert!(verified.is_ok(), "{query}: {verified:?}");
    }
}

#[test]
fn header_signed_requests_verify() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let body = b"hello";
    let req = Request::new("PUT", "bucket.s3.amazonaws.com", "/a%20b")
        .with_query("x-id=PutObject")
        .with_headers(&[("content-type", "text/plain")])
        .with_payload(Payload::Bytes(body));
    let time = t("2024-01-01T00:00:00Z");
    let auth = signer.authorize(&req, time).unwrap();
    let mut headers: Vec<(&str, &str)> = vec![("content-type", "text/plain")];
    headers.extend(auth.headers());
    let url = "https://bucket.s3.amazonaws.com/a%20b?x-id=PutObject";
    let v = verifier();
    let ok = v
        .verify_authorization(
            "PUT",
            url,
            &headers,
            Some(Payload::Bytes(body)),
            t("2024-01-01T00:14:00Z"),
        )
        .unwrap();
    assert_eq!(ok.expires_at(), None);
    assert_eq!(
        v.verify_authorization("PUT", url, &headers, Some(Payload::Bytes(b"other")), t(NOW)),
        Err(VerifyError::PayloadHashMismatch)
    );
    assert!(matches!(
        v.verify_authorization("PUT", url, &headers, None, t("2024-01-01T00:16:00Z")),
        Err(VerifyError::ClockSkew { .. })
    ));
    let tampered = "https://bucket.s3.amazonaws.com/a%20c?x-id=PutObject";
    assert!(matches!(
        v.verify_authorization("PUT", tampered, &headers, None, time),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    let no_auth: Vec<_> = headers
        .iter()
        .filter(|(n, _)| *n != "Authorization")
        .copied()
        .collect();
    assert_eq!(
        v.verify_authorization("PUT", url, &no_auth, None, time),
        Err(VerifyError::Missing("Authorization"))
    );
}

/// Object keys: any unicode, including `/`, dots and escapes.
fn key_strategy() -> impl Strategy<Value = String> {
    prop::string::string_regex("[a-zA-Z0-9 ./_~%+=&?#:@!$'()*,;\\-\\u{80}-\\u{10FFFF}]{1,40}")
        .unwrap()
}

fn param_strategy() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            prop::string::string_regex("[a-z][a-z0-9\\-]{0,10}").unwrap(),
            prop::string::string_regex("[ -~\\u{80}-\\u{FFFF}]{0,20}").unwrap(),
        ),
        0..5,
    )
}

fn header_strategy() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            prop::string::string_regex("x-amz-meta-[a-z0-9]{1,8}").unwrap(),
            prop::string::string_regex("[!-~][ -~]{0,20}[!-~]").unwrap(),
        ),
        0..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn presign_then_verify_and_every_alteration_fails(
        key in key_strategy(),
        params in param_strategy(),
        headers in header_strategy(),
        method in prop::sample::select(vec!["GET", "PUT", "HEAD", "DELETE", "PATCH"]),
        signed_at in 0i64..4_000_000_000,
        expires in 1u64..=604_800,
        path_style in any::<bool>(),
        flip in any::<prop::sample::Index>(),
    ) {
        let mut seen = std::collections::BTreeSet::new();
        let headers: Vec<_> = headers.into_iter().filter(|(n, _)| seen.insert(n.clone())).collect();
        let header_refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let param_refs: Vec<(&str, &str)> = params.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let time = SigningTime::from_unix_seconds(signed_at).unwrap();
        let style = if path_style { AddressingStyle::Path } else { AddressingStyle::Virtual };
        let presigner = S3Presigner::new(creds(), "us-east-1").unwrap()
            .with_endpoint(Endpoint::parse("https://s3.example.com:8443").unwrap())
            .with_addressing_style(style);
        let req = S3Request::new(method, "bucket", &key)
            .with_params(&param_refs)
            .with_headers(&header_refs)
            .expires_in(expires);
        let url = presigner.presign(&req, time).unwrap().into_string();
        let v = verifier();
        let now = SigningTime::from_unix_seconds(signed_at + expires as i64 / 2).unwrap();
        prop_assert!(v.verify_presigned(method, &url, &header_refs, None, now).is_ok(), "{}", url);

        // One signature digit changed.
        let mut sig = url.clone().into_bytes();
        let i = sig.len() - 64 + flip.index(64);
        sig[i] = if sig[i] == b'0' { b'1' } else { b'0' };
        let sig = String::from_utf8(sig).unwrap();
        let is_mismatch = matches!(
            v.verify_presigned(method, &sig, &header_refs, None, now),
            Err(VerifyError::SignatureMismatch { .. })
        );
        prop_assert!(is_mismatch);

        // Another method.
        let other = if method == "GET" { "PUT" } else { "GET" };
        let is_mismatch = matches!(
            v.verify_presigned(other, &url, &header_refs, None, now),
            Err(VerifyError::SignatureMismatch { .. })
        );
        prop_assert!(is_mismatch);

        // A path byte: the bucket segment or host's first key byte.
        let path_at = url.find(":8443/").unwrap() + 6;
        let mut path = url.clone().into_bytes();
        path[path_at] = if path[path_at] == b'z' { b'y' } else { b'z' };
        let path = String::from_utf8(path).unwrap();
        prop_assert_ne!(&path, &url);
        let is_mismatch = matches!(
            v.verify_presigned(method, &path, &header_refs, None, now),
            Err(VerifyError::SignatureMismatch { .. })
        );
        prop_assert!(is_mismatch);

        // The host.
        let host = url.replacen("s3.example.com", "s4.example.com", 1);
        let is_mismatch = matches!(
            v.verify_presigned(method, &host, &header_refs, None, now),
            Err(VerifyError::SignatureMismatch { .. })
        );
        prop_assert!(is_mismatch);

        // A query value (the expiry, which every URL has, changed by one).
        let altered_expiry = url.replacen(
            &format!("X-Amz-Expires={expires}&"),
            &format!("X-Amz-Expires={}&", if expires > 1 { expires - 1 } else { 2 }),
            1,
        );
        let is_mismatch = matches!(
            v.verify_presigned(method, &altered_expiry, &header_refs, None, now),
            Err(VerifyError::SignatureMismatch { .. })
        );
        prop_assert!(is_mismatch);

        // A signed header's value.
        if let Some((name, value)) = headers.first() {
            let mut sent = header_refs.clone();
            let changed = format!("{value}x");
            sent[0] = (name.as_str(), changed.as_str());
            let is_mismatch = matches!(
                v.verify_presigned(method, &url, &sent, None, now),
                Err(VerifyError::SignatureMismatch { .. })
            );
            prop_assert!(is_mismatch);
        }
    }

    #[test]
    fn verify_never_panics(
        url in "\\PC{0,200}",
        method in "\\PC{0,10}",
        name in "\\PC{0,20}",
        value in "\\PC{0,40}",
    ) {
        let v = verifier();
        let headers = [(name.as_str(), value.as_str())];
        let _ = v.verify_presigned(&method, &url, &headers, None, t(NOW));
        let _ = v.verify_authorization(&method, &url, &headers, None, t(NOW));
        let full = format!("https://h/?{url}");
        let _ = v.verify_presigned(&method, &full, &headers, None, t(NOW));
    }

    #[test]
    fn verify_never_panics_on_near_valid_urls(
        cut in 0usize..400,
        junk in "\\PC{0,8}",
    ) {
        let url = presigned("k", &[]);
        let cut = cut.min(url.len());
        let mut altered = String::from(url.get(..cut).unwrap_or(&url));
        altered.push_str(&junk);
        altered.push_str(url.get(cut..).unwrap_or(""));
        let _ = verifier().verify_presigned("PUT", &altered, &[], None, t(NOW));
    }
}

/// Found by fuzzing: token characters such as `&` and `+` in a signed
/// header's name must be encoded inside `X-Amz-SignedHeaders`.
#[test]
fn header_names_with_query_significant_characters_round_trip() {
    let headers = [("x-a&b", "1"), ("x+c", "2"), ("x%d", "3"), ("x'e*f|g", "4")];
    let url = presigned("k", &headers);
    assert!(
        url.contains("X-Amz-SignedHeaders=host%3Bx%25d%3Bx%27e%2Af%7Cg%3Bx%2Bc%3Bx-a%26b&"),
        "{url}"
    );
    assert!(check(&url, "PUT", &headers).is_ok());
}

/// From review: the body a server holds must be the one the client signed.
#[test]
fn header_signed_bodies_must_match_what_was_signed() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let req =
        Request::new("PUT", "bucket.s3.amazonaws.com", "/k").with_payload(Payload::Bytes(b"body1"));
    let time = t("2024-01-01T00:00:00Z");
    let auth = signer.authorize(&req, time).unwrap();
    let headers: Vec<(&str, &str)> = auth.headers().collect();
    let url = "https://bucket.s3.amazonaws.com/k";
    let v = verifier();
    let body2 = awsig::encoding::hex32(&[0u8; 32]);
    let body2 = std::str::from_utf8(&body2).unwrap();
    for payload in [
        Payload::Sha256Hex(body2),
        Payload::Empty,
        Payload::Bytes(b"body2"),
    ] {
        assert_eq!(
            v.verify_authorization("PUT", url, &headers, Some(payload), time),
            Err(VerifyError::PayloadHashMismatch),
            "{payload:?}"
        );
    }
    assert!(v
        .verify_authorization("PUT", url, &headers, Some(Payload::Bytes(b"body1")), time)
        .is_ok());
    // UNSIGNED-PAYLOAD is an S3 convention only.
    let sqs = Signer::new(creds(), "us-east-1", "sqs").unwrap();
    let mut settings = Settings::for_service("sqs");
    settings.content_sha256_header = awsig::ContentSha256Header::Add;
    let sqs = sqs.with_settings(settings);
    let req =
        Request::new("POST", "sqs.us-east-1.amazonaws.com", "/").with_payload(Payload::Unsigned);
    let auth = sqs.authorize(&req, time).unwrap();
    let headers: Vec<(&str, &str)> = auth.headers().collect();
    let any = Verifier::new(|_: &str| Some(creds())).accept_any_scope();
    assert_eq!(
        any.verify_authorization(
            "POST",
            "https://sqs.us-east-1.amazonaws.com/",
            &headers,
            None,
            time
        ),
        Err(VerifyError::PayloadHashMismatch)
    );
}

/// From review: a rotated secret never meets a key cached for the old one.
#[test]
fn a_rotated_secret_is_not_served_from_the_cache() {
    let secret = std::sync::Mutex::new("old-secret".to_string());
    let v = Verifier::new(|id: &str| {
        (id == KEY_ID).then(|| Credentials::new(KEY_ID, &secret.lock().unwrap()).unwrap())
    })
    .accept("us-east-1", "s3");
    let sign_with = |s: &str| {
        S3Presigner::new(Credentials::new(KEY_ID, s).unwrap(), "us-east-1")
            .unwrap()
            .presign(
                &S3Request::get("bucket", "k").expires_in(3600),
                t("2024-01-01T00:00:00Z"),
            )
            .unwrap()
            .into_string()
    };
    let old_url = sign_with("old-secret");
    assert!(v
        .verify_presigned("GET", &old_url, &[], None, t(NOW))
        .is_ok());
    *secret.lock().unwrap() = "new-secret".to_string();
    assert!(matches!(
        v.verify_presigned("GET", &old_url, &[], None, t(NOW)),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    assert!(v
        .verify_presigned("GET", &sign_with("new-secret"), &[], None, t(NOW))
        .is_ok());
}

/// From review: expired temporary credentials verify nothing.
#[test]
fn expired_credentials_verify_nothing() {
    let url = presigned("k", &[]);
    let expiry = t("2024-01-01T00:20:00Z");
    let v = Verifier::new(move |id: &str| (id == KEY_ID).then(|| creds().with_expiry(expiry)))
        .accept("us-east-1", "s3");
    assert!(v
        .verify_presigned("PUT", &url, &[], None, t("2024-01-01T00:10:00Z"))
        .is_ok());
    assert_eq!(
        v.verify_presigned("PUT", &url, &[], None, t("2024-01-01T00:20:00Z")),
        Err(VerifyError::CredentialsExpired { expired_at: expiry })
    );
}

/// From review: the Host header's default port is dropped as the signer
/// drops it, and a header-signed URL cannot carry an extra X-Amz-Signature.
#[test]
fn host_ports_and_header_signed_signature_parameters() {
    let url = presigned("k", &[]);
    let host = url.split('/').nth(2).unwrap().to_string();
    let with_port = format!("{host}:443");
    assert!(check(&url, "PUT", &[("Host", &with_port)]).is_ok());
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let req = Request::new("GET", "bucket.s3.amazonaws.com", "/k").with_payload(Payload::Empty);
    let time = t("2024-01-01T00:00:00Z");
    let auth = signer.authorize(&req, time).unwrap();
    let headers: Vec<(&str, &str)> = auth.headers().collect();
    let v = verifier();
    assert!(v
        .verify_authorization(
            "GET",
            "https://bucket.s3.amazonaws.com/k",
            &headers,
            None,
            time
        )
        .is_ok());
    assert!(matches!(
        v.verify_authorization(
            "GET",
            "https://bucket.s3.amazonaws.com/k?X-Amz-Signature=x",
            &headers,
            None,
            time
        ),
        Err(VerifyError::MixedAuthentication)
    ));
    assert!(Credentials::new("AKID,Signature=x", "s").is_err());
}

#[test]
fn a_region_may_be_accepted_for_any_service() {
    let url = presigned("k", &[]);
    let any_service = Verifier::new(|id: &str| (id == KEY_ID).then(creds));
    let in_region = any_service.accept_any_service("us-east-1");
    assert!(in_region
        .verify_presigned("PUT", &url, &[], None, t(NOW))
        .is_ok());
    let elsewhere =
        Verifier::new(|id: &str| (id == KEY_ID).then(creds)).accept_any_service("eu-west-1");
    assert_eq!(
        elsewhere.verify_presigned("PUT", &url, &[], None, t(NOW)),
        Err(VerifyError::ScopeNotAccepted {
            region: "us-east-1".into(),
            service: "s3".into()
        })
    );
}

/// AWS IoT's websocket URLs: presigned with no `X-Amz-Expires` and the
/// session token added after signing, as aws-c-auth signs them; refused
/// for S3, which always requires an expiry.
#[test]
fn presigning_without_an_expiry_is_for_services_that_allow_it() {
    use awsig::Error;
    let at = SigningTime::parse("2026-12-01T12:00:00Z").unwrap();
    let creds =
        Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap();
    let with_token = creds
        .clone()
        .with_session_token("IQoJb3JpZ2luX2VjE+/token==")
        .unwrap();
    let iot = Signer::new(with_token, "us-east-1", "iotdevicegateway").unwrap();
    let req = Request::new(
        "GET",
        "a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com",
        "/mqtt",
    );
    let url = iot.presign_without_expiry(&req, at).unwrap();
    assert_eq!(url.expires_at(), None);
    let (base, query) = url.as_str().split_once('?').unwrap();
    assert_eq!(
        base,
        "https://a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com/mqtt"
    );
    let names: Vec<&str> = query
        .split('&')
        .map(|p| p.split('=').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "X-Amz-Algorithm",
            "X-Amz-Credential",
            "X-Amz-Date",
            "X-Amz-SignedHeaders",
            "X-Amz-Security-Token",
            "X-Amz-Signature"
        ]
    );
    assert!(query.contains(
        "X-Amz-Credential=AKIDEXAMPLE%2F20261201%2Fus-east-1%2Fiotdevicegateway%2Faws4_request"
    ));
    assert!(query.contains("X-Amz-Security-Token=IQoJb3JpZ2luX2VjE%2B%2Ftoken%3D%3D"));
    // The canonical request holds neither the expiry nor the token, and the
    // signature is that canonical request's, computed here from scratch.
    let canonical = "GET\n/mqtt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261201%2Fus-east-1%2Fiotdevicegateway%2Faws4_request&X-Amz-Date=20261201T120000Z&X-Amz-SignedHeaders=host\nhost:a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    let string_to_sign =
        format!(
        "AWS4-HMAC-SHA256\n20261201T120000Z\n20261201/us-east-1/iotdevicegateway/aws4_request\n{}",
        awsig::encoding::hex32(&<sha2::Sha256 as sha2::Digest>::digest(canonical.as_bytes()))
            .iter()
            .map(|&b| b as char)
            .collect::<String>()
    );
    let chain = awsig::KeyChain::derive(
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "20261201",
        "us-east-1",
        "iotdevicegateway",
    );
    use hmac::{KeyInit, Mac};
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&*chain.k_signing).unwrap();
    mac.update(string_to_sign.as_bytes());
    let want: String = awsig::encoding::hex32(&mac.finalize().into_bytes())
        .iter()
        .map(|&b| b as char)
        .collect();
    assert_eq!(url.signature(), want);
    // Shown as it was signed: the same canonical request and string to sign.
    let mode = awsig::SigningMode::QueryWithoutExpiry;
    assert_eq!(iot.canonical_request(&req, at, mode).unwrap(), canonical);
    assert_eq!(iot.string_to_sign(&req, at, mode).unwrap(), string_to_sign);
    let s3 = Signer::new(creds.clone(), "us-east-1", "s3").unwrap();
    assert!(matches!(
        s3.canonical_request(&req, at, mode),
        Err(Error::ExpiryRequired { .. })
    ));

    // The verifier takes such a URL (long-term credentials here) within the
    // clock skew, by the service's rules, and no longer after.
    let plain = Signer::new(creds.clone(), "us-east-1", "iotdevicegateway").unwrap();
    let url = plain.presign_without_expiry(&req, at).unwrap();
    let verifier =
        Verifier::new(move |_: &str| Some(creds.clone())).accept("us-east-1", "iotdevicegateway");
    let ok = verifier
        .verify_presigned("GET", url.as_str(), &[], Some(Payload::Empty), at)
        .unwrap();
    assert_eq!(ok.expires_at(), None);
    // Never longer than the longest expiry the verifier accepts, either.
    let short = Verifier::new(|_: &str| {
        Some(Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap())
    })
    .accept("us-east-1", "iotdevicegateway")
    .max_expires(60);
    assert!(short
        .verify_presigned(
            "GET",
            url.as_str(),
            &[],
            Some(Payload::Empty),
            at.checked_add(60).unwrap()
        )
        .is_ok());
    assert!(matches!(
        short.verify_presigned(
            "GET",
            url.as_str(),
            &[],
            Some(Payload::Empty),
            at.checked_add(61).unwrap()
        ),
        Err(VerifyError::ClockSkew { .. })
    ));
    let late = at.checked_add(901).unwrap();
    assert!(matches!(
        verifier.verify_presigned("GET", url.as_str(), &[], Some(Payload::Empty), late),
        Err(VerifyError::ClockSkew { .. })
    ));

    // With temporary credentials too: the token travels unsigned, is left
    // out of the hash, and must still be the credentials' own.
    let temporary = creds_with_token();
    let iot_temp = Signer::new(temporary.clone(), "us-east-1", "iotdevicegateway").unwrap();
    let stored = temporary.clone();
    let verifier =
        Verifier::new(move |_: &str| Some(stored.clone())).accept("us-east-1", "iotdevicegateway");
    let url = iot_temp.presign_without_expiry(&req, at).unwrap();
    verifier
        .verify_presigned("GET", url.as_str(), &[], Some(Payload::Empty), at)
        .expect("an IoT URL with its token after the signature verifies");
    let forged = url
        .as_str()
        .replace("X-Amz-Security-Token=IQoJ", "X-Amz-Security-Token=XQoJ");
    assert_eq!(
        verifier.verify_presigned("GET", &forged, &[], Some(Payload::Empty), at),
        Err(VerifyError::SessionTokenMismatch)
    );
    // Header signing, the token header unsigned.
    let header_req = Request::new(
        "GET",
        "a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com",
        "/topics/t",
    );
    let signed = iot_temp.authorize(&header_req, at).unwrap();
    let sent: Vec<(&str, &str)> = signed.headers().collect();
    verifier
        .verify_authorization(
            "GET",
            "https://a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com/topics/t",
            &sent,
            Some(Payload::Empty),
            at,
        )
        .expect("a header-signed IoT request with its token unsigned verifies");

    // S3 always requires X-Amz-Expires: the signer refuses, whatever the
    // settings say, and the verifier refuses a URL without one.
    let mut settings = Settings::for_service("s3");
    settings.expiry = awsig::PresignExpiry::Optional;
    let s3 = Signer::new(Credentials::new("AKID", "s").unwrap(), "us-east-1", "s3")
        .unwrap()
        .with_settings(settings);
    let s3_req = Request::new("GET", "bucket.s3.amazonaws.com", "/k");
    assert_eq!(
        s3.presign_without_expiry(&s3_req, at).unwrap_err(),
        Error::ExpiryRequired {
            service: "s3".into()
        }
    );
    let other = Signer::new(
        Credentials::new("AKID", "s").unwrap(),
        "us-east-1",
        "execute-api",
    )
    .unwrap();
    assert!(matches!(
        other.presign_without_expiry(&Request::new("GET", "h.example.com", "/"), at),
        Err(Error::ExpiryRequired { .. })
    ));
    let s3_url = s3.presign(&s3_req, at, 60).unwrap();
    let stripped = s3_url.as_str().replace("&X-Amz-Expires=60", "");
    let s3_verifier = Verifier::new(|_: &str| Some(Credentials::new("AKID", "s").unwrap()))
        .accept("us-east-1", "s3");
    assert_eq!(
        s3_verifier.verify_presigned("GET", &stripped, &[], None, at),
        Err(VerifyError::Missing("X-Amz-Expires"))
    );
}

fn creds_with_token() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .unwrap()
        .with_session_token("IQoJb3JpZ2luX2VjE+/token==")
        .unwrap()
}

#[test]
fn settings_for_a_service_replace_its_defaults_and_the_last_call_wins() {
    let mut unnormalized = Settings::for_service("sqs");
    unnormalized.normalize_path = awsig::PathNormalization::AsGiven;
    let signer = Signer::new(creds(), "us-east-1", "sqs")
        .unwrap()
        .with_settings(unnormalized.clone());
    let url = signer
        .presign(
            &Request::new("GET", "sqs.amazonaws.com", "/a/./b"),
            t(NOW),
            60,
        )
        .unwrap();
    let verify = |v: &Verifier<_>| {
        v.verify_presigned("GET", url.as_str(), &[], Some(Payload::Empty), t(NOW))
    };
    let defaults = Verifier::new(|id: &str| (id == KEY_ID).then(creds)).accept("us-east-1", "sqs");
    assert!(matches!(
        verify(&defaults),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    let told = defaults.settings_for("sqs", unnormalized);
    assert!(verify(&told).is_ok());
    let told_again = told.settings_for("sqs", Settings::for_service("sqs"));
    assert!(matches!(
        verify(&told_again),
        Err(VerifyError::SignatureMismatch { .. })
    ));
}

/// A header name no HTTP message can carry is refused, not read as another
/// header or none: `Host ` with its space would otherwise escape the Host
/// check, and ` x-amz-acl` the refusal of unsigned `x-amz-*` headers.
#[test]
fn header_names_that_are_not_tokens_are_refused() {
    let url = presigned("k", &[]);
    assert!(check(&url, "PUT", &[("host", "bucket.s3.amazonaws.com")]).is_ok());
    for name in ["Host ", " Host", "x-amz-acl ", "", "ho st", "host\u{e9}"] {
        let headers = [(name, "evil.example")];
        match check(&url, "PUT", &headers) {
            Err(VerifyError::Malformed(awsig::Error::InvalidHeaderName { name: got })) => {
                assert_eq!(got, name)
            }
            other => panic!("{name:?}: {other:?}"),
        }
    }
    let header_signed = {
        let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
        let req = Request::new("GET", "bucket.s3.amazonaws.com", "/k");
        let auth = signer.authorize(&req, t("2024-01-01T00:00:00Z")).unwrap();
        auth.headers()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect::<Vec<_>>()
    };
    let mut headers: Vec<(&str, &str)> = header_signed
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let url = "https://bucket.s3.amazonaws.com/k";
    let verify = |headers: &[(&str, &str)]| {
        verifier().verify_authorization("GET", url, headers, None, t("2024-01-01T00:05:00Z"))
    };
    assert!(verify(&headers).is_ok());
    headers.push(("X-Amz-Acl\t", "public-read"));
    assert!(matches!(
        verify(&headers),
        Err(VerifyError::Malformed(
            awsig::Error::InvalidHeaderName { .. }
        ))
    ));
}
