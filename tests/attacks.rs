//! What a holder of a presigned URL (or a man in the middle of a
//! header-signed request) may try, and what the verifier must answer: a
//! table of requests sent and verdicts, then the cases a table cannot hold.

use awsig::s3::{S3Presigner, S3Request};
use awsig::verify::{UnsignedAmzHeaders, Verifier, VerifyError};
use awsig::{Credentials, Error, Payload, Request, Signer, SigningTime};

const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const HOST: &str = "bucket.s3.amazonaws.com";

fn creds() -> Credentials {
    Credentials::new(KEY_ID, SECRET).unwrap()
}

fn t(s: &str) -> SigningTime {
    SigningTime::parse(s).unwrap()
}

fn signed_at() -> SigningTime {
    t("2024-01-01T00:00:00Z")
}

fn now() -> SigningTime {
    t("2024-01-01T00:05:00Z")
}

fn verifier() -> Verifier<impl Fn(&str) -> Option<Credentials>> {
    Verifier::new(|id: &str| (id == KEY_ID).then(creds))
        .accept("us-east-1", "s3")
        .accept("us-east-1", "execute-api")
}

/// A presigned PUT that signs `host` alone, as a browser upload would get.
fn presigned_put() -> String {
    S3Presigner::new(creds(), "us-east-1")
        .unwrap()
        .presign(&S3Request::put("bucket", "upload.bin"), signed_at())
        .unwrap()
        .into_string()
}

/// One row: what the holder adds to the request, and the answer.
type Attack = (
    &'static str,
    &'static [(&'static str, &'static str)],
    Verdict,
);

/// What the verifier must answer.
#[derive(Debug)]
enum Verdict {
    Valid,
    Unsigned(&'static [&'static str]),
    HostMismatch,
    DuplicateHost,
    Mixed,
}

#[test]
fn the_attack_table() {
    use Verdict::*;
    let url = presigned_put();
    // (what the holder adds to the request, what the verifier answers)
    let table: &[Attack] = &[
        ("nothing", &[], Valid),
        (
            "an unsigned header S3 ignores",
            &[("content-type", "image/png")],
            Valid,
        ),
        (
            "a Host header naming the URL's host",
            &[("Host", HOST)],
            Valid,
        ),
        (
            "the host with its default port",
            &[("host", "bucket.s3.amazonaws.com:443")],
            Valid,
        ),
        (
            "a public ACL",
            &[("x-amz-acl", "public-read-write")],
            Unsigned(&["x-amz-acl"]),
        ),
        (
            "a copy source (GHSA-g8w9-qw9q-fghr: the PUT becomes a CopyObject)",
            &[("x-amz-copy-source", "/other-bucket/secret")],
            Unsigned(&["x-amz-copy-source"]),
        ),
        (
            "a website redirect",
            &[("x-amz-website-redirect-location", "https://evil.example/")],
            Unsigned(&["x-amz-website-redirect-location"]),
        ),
        (
            "tags",
            &[("x-amz-tagging", "a=b")],
            Unsigned(&["x-amz-tagging"]),
        ),
        (
            "the name in mixed case",
            &[("X-Amz-Acl", "public-read")],
            Unsigned(&["x-amz-acl"]),
        ),
        (
            "several, repeated, in any order",
            &[
                ("x-amz-tagging", "a=b"),
                ("X-AMZ-ACL", "public-read"),
                ("x-amz-acl", "public-read"),
                ("x-amz-meta-owner", "mallory"),
            ],
            Unsigned(&["x-amz-acl", "x-amz-meta-owner", "x-amz-tagging"]),
        ),
        (
            "another host",
            &[("Host", "other-bucket.s3.amazonaws.com")],
            HostMismatch,
        ),
        (
            "another port",
            &[("Host", "bucket.s3.amazonaws.com:8443")],
            HostMismatch,
        ),
        (
            "two Host headers",
            &[("Host", HOST), ("Host", "other-bucket.s3.amazonaws.com")],
            DuplicateHost,
        ),
        (
            "two Host headers, both right",
            &[("host", HOST), ("Host", HOST)],
            DuplicateHost,
        ),
        // S3 exempts it: its value is the payload line, signed either way.
        (
            "x-amz-content-sha256 unsigned",
            &[("x-amz-content-sha256", "UNSIGNED-PAYLOAD")],
            Valid,
        ),
        (
            "an Authorization header too (two mechanisms)",
            &[(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=OTHER/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
            )],
            Mixed,
        ),
    ];
    for (what, sent, verdict) in table {
        let got = verifier().verify_presigned("PUT", &url, sent, None, now());
        let ok = match (verdict, &got) {
            (Valid, Ok(_)) => true,
            (Unsigned(want), Err(VerifyError::UnsignedHeaders { names })) => names == want,
            (HostMismatch, Err(VerifyError::HostMismatch { url_host, .. })) => url_host == HOST,
            (DuplicateHost, Err(VerifyError::Duplicate("Host"))) => true,
            (Mixed, Err(VerifyError::MixedAuthentication)) => true,
            _ => false,
        };
        assert!(ok, "{what}: wanted {verdict:?}, got {got:?}");
    }
    println!("attack table: {} cases", table.len());
}

#[test]
fn unsigned_amz_headers_are_named_in_the_error() {
    let url = presigned_put();
    let err = verifier()
        .verify_presigned("PUT", &url, &[("x-amz-acl", "public-read")], None, now())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "x-amz-* headers were sent but not signed: x-amz-acl"
    );
    // Thousands are named by the first few and a count.
    let names: Vec<String> = (0..1000).map(|i| format!("x-amz-meta-{i:04}")).collect();
    let sent: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "v")).collect();
    let err = verifier()
        .verify_presigned("PUT", &url, &sent, None, now())
        .unwrap_err();
    let text = err.to_string();
    assert!(text.ends_with("x-amz-meta-0007 (1000 in all)"), "{text}");
}

#[test]
fn signed_amz_headers_pass_and_must_be_sent() {
    let headers = [("x-amz-acl", "private"), ("x-amz-meta-a", "1")];
    let url = S3Presigner::new(creds(), "us-east-1")
        .unwrap()
        .presign(
            &S3Request::put("bucket", "k").with_headers(&headers),
            signed_at(),
        )
        .unwrap()
        .into_string();
    assert!(verifier()
        .verify_presigned("PUT", &url, &headers, None, now())
        .is_ok());
    // A signed one may not be swapped for another value...
    assert!(matches!(
        verifier().verify_presigned(
            "PUT",
            &url,
            &[("x-amz-acl", "public-read"), ("x-amz-meta-a", "1")],
            None,
            now()
        ),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    // ...nor left out, nor joined by an unsigned one.
    assert_eq!(
        verifier().verify_presigned("PUT", &url, &headers[1..], None, now()),
        Err(VerifyError::SignedHeaderNotSent {
            name: "x-amz-acl".into()
        })
    );
    let extra = [headers[0], headers[1], ("x-amz-tagging", "a=b")];
    assert_eq!(
        verifier().verify_presigned("PUT", &url, &extra, None, now()),
        Err(VerifyError::UnsignedHeaders {
            names: vec!["x-amz-tagging".into()]
        })
    );
}

#[test]
fn header_signed_requests_refuse_unsigned_amz_headers_too() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let req = Request::new("PUT", HOST, "/k").with_payload(Payload::Bytes(b"body"));
    let auth = signer.authorize(&req, signed_at()).unwrap();
    let mut headers: Vec<(&str, &str)> = auth.headers().collect();
    let url = format!("https://{HOST}/k");
    let body = Some(Payload::Bytes(b"body"));
    assert!(verifier()
        .verify_authorization("PUT", &url, &headers, body, now())
        .is_ok());
    headers.push(("x-amz-copy-source", "/other-bucket/secret"));
    assert_eq!(
        verifier().verify_authorization("PUT", &url, &headers, body, now()),
        Err(VerifyError::UnsignedHeaders {
            names: vec!["x-amz-copy-source".into()]
        })
    );
}

#[test]
fn other_services_refuse_unsigned_amz_headers_unless_allowed() {
    let signer = Signer::new(creds(), "us-east-1", "execute-api").unwrap();
    let req = Request::new("GET", "api.example.com", "/items");
    let url = signer
        .presign(&req, signed_at(), 300)
        .unwrap()
        .into_string();
    let sent = [("x-amz-meta-x", "1")];
    let empty = Some(Payload::Empty);
    assert!(matches!(
        verifier().verify_presigned("GET", &url, &sent, empty, now()),
        Err(VerifyError::UnsignedHeaders { .. })
    ));
    let lenient = verifier().unsigned_amz_headers(UnsignedAmzHeaders::Allow);
    assert!(lenient
        .verify_presigned("GET", &url, &sent, empty, now())
        .is_ok());
    // S3 refuses them whatever the setting says.
    let s3_url = presigned_put();
    assert!(matches!(
        lenient.verify_presigned("PUT", &s3_url, &sent, None, now()),
        Err(VerifyError::UnsignedHeaders { .. })
    ));
}

#[test]
fn a_presigned_body_must_be_the_one_received() {
    let signer = Signer::new(creds(), "us-east-1", "execute-api").unwrap();
    let body = br#"{"order": 42}"#;
    let req = Request::new("POST", "api.example.com", "/orders").with_payload(Payload::Bytes(body));
    let url = signer
        .presign(&req, signed_at(), 300)
        .unwrap()
        .into_string();
    let v = verifier();
    let check = |payload| v.verify_presigned("POST", &url, &[], payload, now());
    assert!(check(Some(Payload::Bytes(body))).is_ok());
    let hash = "d4f5d1c7e5e0b1e1b5b1c8f3e0c4a0b6c2d6a9b6e1f0e3c5a7b9d1f3e5a7c9b1";
    assert!(matches!(
        check(Some(Payload::Bytes(br#"{"order": 43}"#))),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    assert!(matches!(
        check(Some(Payload::Empty)),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    assert!(matches!(
        check(Some(Payload::Sha256Hex(hash))),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    assert_eq!(
        check(None),
        Err(VerifyError::PayloadRequired {
            service: "execute-api".into()
        })
    );
    assert!(matches!(
        check(Some(Payload::Sha256Hex("not hex"))),
        Err(VerifyError::Malformed(Error::InvalidPayloadHash))
    ));
}

#[test]
fn a_header_signed_body_without_a_claim_must_be_handed_over() {
    // Without x-amz-content-sha256 the signature covers the body itself:
    // the verifier cannot assume it was empty.
    let signer = Signer::new(creds(), "us-east-1", "execute-api").unwrap();
    let req = Request::new("POST", "api.example.com", "/orders");
    let auth = signer.authorize(&req, signed_at()).unwrap();
    let headers: Vec<(&str, &str)> = auth.headers().collect();
    let url = "https://api.example.com/orders";
    let v = verifier();
    assert_eq!(
        v.verify_authorization("POST", url, &headers, None, now()),
        Err(VerifyError::PayloadRequired {
            service: "execute-api".into()
        })
    );
    assert!(v
        .verify_authorization("POST", url, &headers, Some(Payload::Empty), now())
        .is_ok());
    assert!(matches!(
        v.verify_authorization("POST", url, &headers, Some(Payload::Bytes(b"x")), now()),
        Err(VerifyError::SignatureMismatch { .. })
    ));
}

#[test]
fn a_verifier_can_pin_the_hosts_it_serves() {
    let url = presigned_put();
    let ours = verifier().accept_host("BUCKET.s3.amazonaws.com");
    assert!(ours.verify_presigned("PUT", &url, &[], None, now()).is_ok());
    let elsewhere = verifier().accept_host("uploads.example.com");
    assert_eq!(
        elsewhere.verify_presigned("PUT", &url, &[], None, now()),
        Err(VerifyError::HostNotAccepted { host: HOST.into() })
    );
}

#[test]
fn methods_are_signed_upper_case() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let err = signer
        .presign(&Request::new("put", HOST, "/k"), signed_at(), 60)
        .unwrap_err();
    assert_eq!(
        err,
        Error::MethodNotUpperCase {
            method: "put".into()
        }
    );
    assert!(err.to_string().contains("\"PUT\""), "{err}");
    // A request received as `put` is not the `PUT` that was signed.
    let url = presigned_put();
    assert!(matches!(
        verifier().verify_presigned("put", &url, &[], None, now()),
        Err(VerifyError::Malformed(Error::MethodNotUpperCase { .. }))
    ));
}

#[test]
fn a_callers_authorization_header_is_reserved() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let headers = [("Authorization", "Bearer something")];
    let req = Request::new("GET", HOST, "/k").with_headers(&headers);
    for result in [
        signer.authorize(&req, signed_at()).map(|_| ()),
        signer.presign(&req, signed_at(), 60).map(|_| ()),
    ] {
        let err = result.unwrap_err();
        assert_eq!(
            err,
            Error::ReservedHeader {
                name: "Authorization".into()
            }
        );
        assert!(err.to_string().contains("the signature itself"), "{err}");
    }
}

#[test]
fn reserved_headers_name_their_real_owner() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let owner = |name: &str| {
        let headers = [(name, "x")];
        let req = Request::new("GET", HOST, "/k").with_headers(&headers);
        signer.authorize(&req, signed_at()).unwrap_err().to_string()
    };
    assert!(owner("X-Amz-Date").contains("signing time"));
    assert!(!owner("X-Amz-Date").contains("host"));
    assert!(owner("x-amz-content-sha256").contains("payload"));
    assert!(owner("Host").contains("set the host on the request"));
}

#[test]
fn a_malformed_authorization_is_reported_as_malformed() {
    let url = format!("https://{HOST}/k");
    let headers = [
        ("x-amz-date", "20240101T000000Z"),
        (
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/s3/aws4_request, Nonsense=1",
        ),
    ];
    let err = verifier()
        .verify_authorization("GET", &url, &headers, None, now())
        .unwrap_err();
    assert!(
        matches!(err, VerifyError::MalformedAuthorization { .. }),
        "{err}"
    );
    assert!(!err.to_string().contains("CR, LF"), "{err}");
}

#[test]
fn many_signed_and_sent_headers_are_matched_correctly() {
    // 10,000 names signed and 10,000 sent: matched in one sort (the
    // quadratic scan this replaced took 0.4 s; `cargo bench --bench sign`
    // keeps the cost in view). The answer must still be exact.
    let names: Vec<String> = (0..10_000).map(|i| format!("x-h{i:05}")).collect();
    let mut signed: Vec<&str> = names.iter().map(String::as_str).collect();
    signed.push("host");
    signed.sort_unstable();
    let list = signed.join("%3B");
    let url = presigned_put().replace(
        "X-Amz-SignedHeaders=host",
        &format!("X-Amz-SignedHeaders={list}"),
    );
    let mut sent: Vec<(&str, &str)> = names.iter().rev().map(|n| (n.as_str(), "v")).collect();
    assert!(matches!(
        verifier().verify_presigned("PUT", &url, &sent, None, now()),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    sent.retain(|(n, _)| *n != "x-h04321");
    assert_eq!(
        verifier().verify_presigned("PUT", &url, &sent, None, now()),
        Err(VerifyError::SignedHeaderNotSent {
            name: "x-h04321".into()
        })
    );
}

#[test]
fn ports_are_numbers_on_both_sides() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let sign = |host| signer.presign(&Request::new("GET", host, "/k"), signed_at(), 3600);
    // Out of range, or written with a zero that no client sends: refused.
    for host in ["h:0", "h:65536", "h:70000", "h:09000"] {
        assert!(
            matches!(sign(host), Err(Error::InvalidPort { .. })),
            "{host}: {:?}",
            sign(host).map(|u| u.into_string())
        );
    }
    // The default port, however written, is dropped.
    let url = sign("h:0443").unwrap().into_string();
    assert!(url.starts_with("https://h/k?"), "{url}");
    // A URL written `:09000` (as botocore leaves it) signs `h:9000`, the
    // Host a client sends: the verifier compares ports by number.
    let url = sign("h:9000").unwrap().into_string();
    let written = url.replace("https://h:9000/", "https://h:09000/");
    let v = Verifier::new(|_: &str| Some(creds())).accept("us-east-1", "s3");
    for sent in [&[][..], &[("Host", "h:9000")], &[("Host", "h:09000")]] {
        let result = v.verify_presigned("GET", &written, sent, None, now());
        assert!(result.is_ok(), "{sent:?}: {result:?}");
    }
    assert!(matches!(
        v.verify_presigned("GET", &written, &[("Host", "h:900")], None, now()),
        Err(VerifyError::HostMismatch { .. })
    ));
}

#[test]
fn a_header_signed_request_may_not_carry_query_authentication_too() {
    // The holder of a header-signed request adds presigned parameters: the
    // request would name two identities. The signer will not write one.
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let query =
        "X-Amz-Credential=OTHER%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=00";
    let with_query = Request::new("GET", HOST, "/k").with_query(query);
    assert!(matches!(
        signer.authorize(&with_query, signed_at()),
        Err(Error::ReservedQueryParameter { .. })
    ));
    let auth = signer
        .authorize(&Request::new("GET", HOST, "/k"), signed_at())
        .unwrap();
    let headers: Vec<(&str, &str)> = auth.headers().collect();
    let url = format!("https://{HOST}/k?{query}");
    assert_eq!(
        verifier().verify_authorization("GET", &url, &headers, None, now()),
        Err(VerifyError::MixedAuthentication)
    );
    // In another case or escaped, as the signer reads a caller's names: a
    // server layer that reads names loosely would see a second mechanism.
    for disguised in [
        "x-amz-signature=00",
        "X-AMZ-CREDENTIAL=OTHER",
        "X-Amz-%53ignature=00",
        "x%2Damz%2Dalgorithm=AWS4-HMAC-SHA256",
    ] {
        let url = format!("https://{HOST}/k?{disguised}");
        assert_eq!(
            verifier().verify_authorization("GET", &url, &headers, None, now()),
            Err(VerifyError::MixedAuthentication),
            "{disguised}"
        );
    }
}

#[test]
fn a_session_token_the_credentials_do_not_have_is_refused() {
    let url = presigned_put();
    let with_token = format!("{url}&X-Amz-Security-Token=forged");
    assert_eq!(
        verifier().verify_presigned("PUT", &with_token, &[], None, now()),
        Err(VerifyError::UnexpectedSessionToken)
    );
}

#[test]
fn header_values_the_verifier_reads_are_sent_once() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let req = Request::new("PUT", HOST, "/k").with_payload(Payload::Bytes(b"body"));
    let auth = signer.authorize(&req, signed_at()).unwrap();
    let url = format!("https://{HOST}/k");
    for name in ["x-amz-content-sha256", "X-Amz-Security-Token"] {
        let mut headers: Vec<(&str, &str)> = auth.headers().collect();
        headers.push((name, "UNSIGNED-PAYLOAD"));
        headers.push((name, "UNSIGNED-PAYLOAD"));
        assert!(
            matches!(
                verifier().verify_authorization("PUT", &url, &headers, None, now()),
                Err(VerifyError::Duplicate(n)) if n.eq_ignore_ascii_case(name)
            ),
            "{name}"
        );
    }
}

#[test]
fn an_authorization_of_another_scheme_is_malformed_not_another_algorithm() {
    let url = format!("https://{HOST}/k");
    let bearer = [
        ("Authorization", "Bearer x"),
        ("x-amz-date", "20240101T000000Z"),
    ];
    assert!(matches!(
        verifier().verify_authorization("GET", &url, &bearer, None, now()),
        Err(VerifyError::MalformedAuthorization { .. })
    ));
    let other = [
        ("Authorization", "AWS4-HMAC-SHA512 Credential=x"),
        ("x-amz-date", "20240101T000000Z"),
    ];
    assert_eq!(
        verifier().verify_authorization("GET", &url, &other, None, now()),
        Err(VerifyError::UnsupportedAlgorithm)
    );
    let v4a = [
        ("Authorization", "AWS4-ECDSA-P256-SHA256 Credential=x"),
        ("x-amz-date", "20240101T000000Z"),
    ];
    // SigV4a is read with its feature (and then needs its region set).
    let expected = match cfg!(feature = "sigv4a") {
        true => VerifyError::Missing("x-amz-region-set"),
        false => VerifyError::UnsupportedAlgorithm,
    };
    assert_eq!(
        verifier().verify_authorization("GET", &url, &v4a, None, now()),
        Err(expected)
    );
}

/// Each form of signature passes only under the services that define it,
/// and a POST form only for the keys its policy allows: the rows a copy of
/// the checks once let through.
#[test]
#[cfg(all(feature = "post", feature = "chunked"))]
fn the_form_and_service_table() {
    use awsig::post::{Condition, Policy, PostRequest};
    use awsig::post::{PostError, PostUpload};
    use awsig::{chunked::seed_headers, KeyChain, Streaming};
    use hmac::{Hmac, KeyInit, Mac};

    let until = t("2024-01-01T01:00:00Z");
    let s3 = S3Presigner::new(creds(), "us-east-1").unwrap();
    let form = s3
        .presign_post(
            &PostRequest::new("bucket", "u/${filename}.jpg", until),
            signed_at(),
        )
        .unwrap();
    let fields: Vec<(String, String)> = form.fields().to_vec();

    // The same form, its policy re-signed under execute-api: whoever holds
    // only an execute-api key can make it.
    let execute_api = {
        let credential = "AKIDEXAMPLE/20240101/us-east-1/execute-api/aws4_request";
        let mut policy = Policy::from_base64(form.field("policy").unwrap()).unwrap();
        for condition in &mut policy.conditions {
            if let Condition::Eq { field, value } = condition {
                if field == "x-amz-credential" {
                    *value = credential.into();
                }
            }
        }
        let policy = policy.to_base64();
        let key = KeyChain::derive(SECRET, "20240101", "us-east-1", "execute-api").k_signing;
        let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&key[..]).unwrap();
        mac.update(policy.as_bytes());
        let signature = hex::encode(mac.finalize().into_bytes());
        let mut fields = fields.clone();
        for (name, value) in &mut fields {
            match name.as_str() {
                "x-amz-credential" => *value = credential.into(),
                "policy" => *value = policy.clone(),
                "x-amz-signature" => *value = signature.clone(),
                _ => {}
            }
        }
        fields
    };
    let with_key = |key: &str| {
        let mut fields = fields.clone();
        fields
            .iter_mut()
            .filter(|(n, _)| n == "key")
            .for_each(|f| f.1 = key.into());
        fields
    };
    let not_s3s = |form: &'static str| VerifyError::ServiceNotForForm {
        form,
        service: "execute-api".into(),
    };
    let template = PostError::ConditionFailed {
        condition: r#"{"key":"u/${filename}.jpg"}"#.into(),
    };
    /// (the attack, the form's fields, the file's name, the verdict)
    type PostAttack = (
        &'static str,
        Vec<(String, String)>,
        &'static str,
        Result<(), PostError>,
    );
    let posts: &[PostAttack] = &[
        ("the form as signed", fields.clone(), "cat", Ok(())),
        (
            "a POST policy signed under execute-api",
            execute_api,
            "cat",
            Err(PostError::Verify(not_s3s("a POST policy"))),
        ),
        (
            "a key outside u/${filename}.jpg",
            with_key("u/evil.html"),
            "evil.html",
            Err(template.clone()),
        ),
        (
            "a key that only starts like the template",
            with_key("u/x.html"),
            "x",
            Err(template),
        ),
    ];
    for (attack, fields, file, verdict) in posts {
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let upload = PostUpload::new("bucket", &fields, 1).with_file_name(file);
        let got = verifier().verify_post(&upload, now()).map(|_| ());
        assert_eq!(&got, verdict, "{attack}");
    }

    // An aws-chunked seed signed under execute-api (accepted for requests).
    let headers = seed_headers(Streaming::SignedChunks, 5, None);
    let sent: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let seed = Request::new("PUT", "api.example.com", "/k")
        .with_headers(&sent)
        .with_payload(Payload::Streaming(Streaming::SignedChunks));
    // Signed as S3 signs a seed (x-amz-content-sha256 written), scoped to
    // execute-api.
    let mut settings = awsig::Settings::for_service("execute-api");
    settings.content_sha256_header = awsig::ContentSha256Header::Add;
    let signer = Signer::new(creds(), "us-east-1", "execute-api")
        .unwrap()
        .with_settings(settings);
    let signed = signer.authorize(&seed, signed_at()).unwrap();
    let mut all = sent.clone();
    all.extend(signed.headers());
    let got = verifier().verify_streaming("PUT", "https://api.example.com/k", &all, now());
    assert_eq!(
        got.map(|_| ()).unwrap_err(),
        not_s3s("an aws-chunked upload"),
        "an aws-chunked seed signed under execute-api"
    );
}

#[test]
fn a_disguised_authentication_parameter_is_named_for_what_it_reads_as() {
    let url = presigned_put();
    for (disguised, reads_as) in [
        ("x-amz-credential=OTHER", "X-Amz-Credential"),
        ("X-Amz-%41lgorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm"),
        ("x-amz-signature=00", "X-Amz-Signature"),
    ] {
        let with = format!("{url}&{disguised}");
        assert_eq!(
            verifier().verify_presigned("PUT", &with, &[], None, now()),
            Err(VerifyError::Duplicate(reads_as)),
            "{disguised}"
        );
    }
}

#[test]
fn a_presigned_url_carries_the_payload_hash_its_services_settings_sign() {
    // A service signed, as S3 is, with UNSIGNED-PAYLOAD: the verifier told
    // so reads the URL as its signer wrote it, without a body.
    let mut settings = awsig::Settings::for_service("execute-api");
    settings.default_payload = awsig::DefaultPayload::Unsigned;
    let signer = Signer::new(creds(), "us-east-1", "execute-api")
        .unwrap()
        .with_settings(settings.clone());
    let url = signer
        .presign(
            &Request::new("GET", "api.example.com", "/p"),
            signed_at(),
            3600,
        )
        .unwrap();
    assert_eq!(
        verifier().verify_presigned("GET", url.as_str(), &[], None, now()),
        Err(VerifyError::PayloadRequired {
            service: "execute-api".into()
        })
    );
    let told = verifier().settings_for("execute-api", settings);
    let got = told.verify_presigned("GET", url.as_str(), &[], None, now());
    assert!(got.is_ok(), "{got:?}");
}

/// An event stream, as a man in the middle may rework it: each row is the
/// stream sent (from three signed messages and the empty end) and the
/// verdict, fed whole and in 7-byte pieces alike.
#[cfg(feature = "eventstream")]
mod event_streams {
    use super::*;
    use awsig::eventstream::{
        EventError, EventErrorKind, EventSigner, FrameError, HeaderValue, Message,
    };

    const URL: &str = "https://transcribestreaming.us-east-1.amazonaws.com/stream";

    fn signer() -> Signer {
        Signer::new(creds(), "us-east-1", "transcribe").unwrap()
    }

    fn events_verifier() -> Verifier<impl Fn(&str) -> Option<Credentials>> {
        Verifier::new(|id: &str| (id == KEY_ID).then(creds))
            .accept("us-east-1", "transcribe")
            .accept("us-east-1", "s3")
    }

    /// The initial request, header-signed at `signed_at()`: its headers
    /// and signature.
    fn start() -> (Vec<(String, String)>, String) {
        let request = Request::new(
            "POST",
            "transcribestreaming.us-east-1.amazonaws.com",
            "/stream",
        )
        .with_payload(Payload::EventStream);
        let signer = signer();
        let signed = signer.authorize(&request, signed_at()).unwrap();
        let headers = (signed.headers())
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        (headers, signed.signature().to_string())
    }

    /// Messages "one", "two", "three" and the end, chained from `seed`,
    /// signed a second apart from `first`.
    fn messages(seed: &str, first: SigningTime) -> Vec<Vec<u8>> {
        let mut events = EventSigner::new(&signer(), seed).unwrap();
        let payloads: [&[u8]; 4] = [b"one", b"two", b"three", b""];
        (payloads.iter().enumerate())
            .map(|(i, payload)| {
                let mut out = Vec::new();
                let at = first.checked_add(i as u64).unwrap();
                events.write_message(payload, at, &mut out).unwrap();
                out
            })
            .collect()
    }

    /// `message` decoded, changed by `change` and framed again with fresh
    /// CRCs, so that only the signature can refuse it.
    fn reworked(message: &[u8], change: impl FnOnce(&mut Message)) -> Vec<u8> {
        let (mut decoded, _) = Message::decode(message).unwrap().unwrap();
        change(&mut decoded);
        decoded.encode().unwrap()
    }

    fn verify(stream: &[u8], piece: usize) -> Result<Vec<Vec<u8>>, EventError> {
        let (headers, _) = start();
        let headers: Vec<(&str, &str)> = (headers.iter())
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let (_, mut events) = events_verifier()
            .verify_event_stream("POST", URL, &headers, now())
            .unwrap();
        let mut got = Vec::new();
        for part in stream.chunks(piece) {
            events.feed(part, now(), |p| got.push(p.to_vec()))?;
        }
        events.finish()?;
        Ok(got)
    }

    fn mismatch() -> EventErrorKind {
        EventErrorKind::SignatureMismatch {
            string_to_sign: String::new(),
        }
    }

    #[test]
    fn the_event_stream_table() {
        let (_, seed) = start();
        let m = messages(&seed, signed_at());
        let join = |parts: &[&[u8]]| parts.concat();
        let stale = messages(&seed, t("2023-12-31T23:40:00Z"));
        let foreign = messages(&"0".repeat(64), signed_at());
        let mut flipped = m[1].clone();
        flipped[m[1].len() - 6] ^= 1;
        let huge = {
            let mut prelude = Vec::new();
            prelude.extend_from_slice(&u32::MAX.to_be_bytes());
            prelude.extend_from_slice(&0u32.to_be_bytes());
            prelude.extend_from_slice(&[0; 4]);
            prelude
        };
        let payload_altered = reworked(&m[1], |msg| msg.payload = b"tw0".to_vec());
        let date_moved = reworked(&m[1], |msg| {
            for (name, value) in &mut msg.headers {
                if let (":date", HeaderValue::Timestamp(ms)) = (name.as_str(), value) {
                    *ms += 1000;
                }
            }
        });
        let extra_header = reworked(&m[1], |msg| {
            msg.headers.push((
                ":event-type".into(),
                HeaderValue::String("AudioEvent".into()),
            ))
        });
        let short_signature = reworked(&m[1], |msg| {
            msg.headers[0].1 = HeaderValue::Bytes(vec![0; 31]);
        });
        let no_date = reworked(&m[1], |msg| msg.headers.retain(|(n, _)| n != ":date"));

        type Row = (&'static str, Vec<u8>, Result<usize, (u64, EventErrorKind)>);
        let rows: Vec<Row> = vec![
            (
                "the stream as signed",
                join(&[&m[0], &m[1], &m[2], &m[3]]),
                Ok(3),
            ),
            (
                "two messages swapped",
                join(&[&m[0], &m[2], &m[1], &m[3]]),
                Err((1, mismatch())),
            ),
            (
                "a message dropped",
                join(&[&m[0], &m[2], &m[3]]),
                Err((1, mismatch())),
            ),
            (
                "a message replayed",
                join(&[&m[0], &m[0], &m[1]]),
                Err((1, mismatch())),
            ),
            (
                "a payload altered, CRCs fixed",
                join(&[&m[0], &payload_altered]),
                Err((1, mismatch())),
            ),
            (
                "a byte flipped",
                join(&[&m[0], &flipped]),
                Err((1, EventErrorKind::Frame(FrameError::MessageCrc))),
            ),
            (
                "the :date moved a second",
                join(&[&m[0], &date_moved]),
                Err((1, mismatch())),
            ),
            (
                "a stale :date (20 minutes old)",
                join(&[&stale[0]]),
                Err((
                    0,
                    EventErrorKind::DateOutOfWindow {
                        date_millis: 0,
                        max_skew: 0,
                    },
                )),
            ),
            (
                "a message of another stream",
                join(&[&foreign[0]]),
                Err((0, mismatch())),
            ),
            (
                "a header the signer never writes",
                join(&[&m[0], &extra_header]),
                Err((1, EventErrorKind::UnexpectedHeader(String::new()))),
            ),
            (
                "a signature of 31 bytes",
                join(&[&m[0], &short_signature]),
                Err((1, EventErrorKind::HeaderType(""))),
            ),
            (
                "no :date",
                join(&[&m[0], &no_date]),
                Err((1, EventErrorKind::MissingHeader(""))),
            ),
            (
                "a 4 GiB prelude",
                join(&[&m[0], &huge]),
                Err((
                    1,
                    EventErrorKind::Frame(FrameError::Length {
                        total: u32::MAX,
                        headers: 0,
                    }),
                )),
            ),
            (
                "the end never sent",
                join(&[&m[0], &m[1], &m[2]]),
                Err((3, EventErrorKind::Truncated)),
            ),
            (
                "bytes after the end",
                join(&[&m[0], &m[1], &m[2], &m[3], &m[0]]),
                Err((4, EventErrorKind::AfterEnd)),
            ),
        ];
        for (attack, stream, verdict) in rows {
            for piece in [stream.len().max(1), 7] {
                let got = verify(&stream, piece);
                match (&got, &verdict) {
                    (Ok(payloads), Ok(n)) => assert_eq!(payloads.len(), *n, "{attack}"),
                    (Err(e), Err((message, kind))) => {
                        assert_eq!(e.message, *message, "{attack}: {e}");
                        assert_eq!(
                            std::mem::discriminant(&e.kind),
                            std::mem::discriminant(kind),
                            "{attack}: {e}"
                        );
                        if let EventErrorKind::Frame(_) = kind {
                            assert_eq!(&e.kind, kind, "{attack}");
                        }
                    }
                    _ => panic!("{attack}: got {got:?}, want {verdict:?}"),
                }
            }
        }
    }

    /// The initial request: only through `verify_event_stream`, in the
    /// services event streams belong to, and never over another payload.
    #[test]
    fn the_initial_request_is_an_event_streams_alone() {
        let (headers, _) = start();
        let sent: Vec<(&str, &str)> = (headers.iter())
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        // The plain verifier does not take a seed whose messages it would
        // not check.
        let plain = events_verifier().verify_authorization("POST", URL, &sent, None, now());
        assert_eq!(plain.unwrap_err(), VerifyError::PayloadHashMismatch);
        // A request signed over its body is no event stream's start.
        let body = Request::new(
            "POST",
            "transcribestreaming.us-east-1.amazonaws.com",
            "/stream",
        )
        .with_payload(Payload::Bytes(b"{}"));
        let signer = signer();
        let signed = signer.authorize(&body, signed_at()).unwrap();
        let sent: Vec<(&str, &str)> = signed.headers().collect();
        let got = events_verifier().verify_event_stream("POST", URL, &sent, now());
        assert!(got.is_err(), "a body-signed request started a stream");
        // S3's event streams are responses: an S3-scoped start is refused.
        let s3 = Signer::new(creds(), "us-east-1", "s3").unwrap();
        let request = Request::new("POST", HOST, "/k").with_payload(Payload::EventStream);
        let signed = s3.authorize(&request, signed_at()).unwrap();
        let sent: Vec<(&str, &str)> = signed.headers().collect();
        let got = events_verifier().verify_event_stream(
            "POST",
            &format!("https://{HOST}/k"),
            &sent,
            now(),
        );
        assert_eq!(
            got.map(|_| ()).unwrap_err(),
            VerifyError::ServiceNotForForm {
                form: "an event stream",
                service: "s3".into()
            }
        );
    }
}

/// A SigV4a aws-chunked body, as a man in the middle may rework it: chunks
/// swapped, dropped, replayed or altered, and signatures framed otherwise
/// than SigV4a frames them.
#[cfg(all(feature = "sigv4a", feature = "chunked"))]
mod ecdsa_chunks {
    use super::*;
    use awsig::chunked::{seed_headers, ChunkError, ChunkSigner};
    use awsig::sigv4a::RegionSet;
    use awsig::Streaming;

    const CHUNK: usize = 8_192;
    /// `2000;chunk-signature=` + 144 + CRLF + data + CRLF.
    const FRAMED: usize = 4 + 17 + 144 + 2 + CHUNK + 2;

    fn seed() -> (Vec<(String, String)>, Signer) {
        let mode = Streaming::EcdsaSignedChunks;
        let headers = seed_headers(mode, 3 * CHUNK as u64, None);
        let borrowed: Vec<(&str, &str)> = (headers.iter())
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let set = RegionSet::parse("us-east-1").unwrap();
        let signer = Signer::new_sigv4a(creds(), &set, "s3").unwrap();
        let request = Request::new("PUT", HOST, "/k")
            .with_headers(&borrowed)
            .with_payload(Payload::Streaming(mode));
        let signed = signer.authorize(&request, signed_at()).unwrap();
        let mut sent = headers.clone();
        sent.extend(
            signed
                .headers()
                .map(|(n, v)| (n.to_string(), v.to_string())),
        );
        (sent, signer)
    }

    fn verify(sent: &[(String, String)], body: &[u8]) -> Result<Vec<u8>, ChunkError> {
        let sent: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let (_, mut chunks) = verifier()
            .verify_streaming("PUT", &format!("https://{HOST}/k"), &sent, now())
            .unwrap();
        let mut data = Vec::new();
        chunks.feed(body, &mut data)?;
        chunks.finish()?;
        Ok(data)
    }

    #[test]
    fn the_ecdsa_chunk_table() {
        let (sent, signer) = seed();
        // Re-sign the seed to seed a chunk signer (the seed is deterministic).
        let mode = Streaming::EcdsaSignedChunks;
        let headers = seed_headers(mode, 3 * CHUNK as u64, None);
        let borrowed: Vec<(&str, &str)> = (headers.iter())
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let request = Request::new("PUT", HOST, "/k")
            .with_headers(&borrowed)
            .with_payload(Payload::Streaming(mode));
        let signed = signer.authorize(&request, signed_at()).unwrap();
        let mut chunks = ChunkSigner::new(&signer, signed.values()).unwrap();
        let data: Vec<u8> = (0..3 * CHUNK).map(|i| (i / CHUNK) as u8 + 1).collect();
        let mut body = Vec::new();
        for piece in data.chunks(CHUNK) {
            chunks.write_chunk(piece, &mut body);
        }
        chunks.write_final_chunk(&mut body);
        let piece = |i: usize| body[i * FRAMED..(i + 1) * FRAMED].to_vec();
        let end = body[3 * FRAMED..].to_vec();
        let join = |parts: &[Vec<u8>]| parts.concat();
        let mut altered = body.clone();
        altered[FRAMED + 4 + 17 + 144 + 2 + 100] ^= 1;
        let unpadded = String::from_utf8(piece(0)).unwrap().replacen('*', "", 144);
        let hmac_length = {
            let text = String::from_utf8(piece(0)).unwrap();
            let signature = text.split("chunk-signature=").nth(1).unwrap();
            text.replacen(&signature[..144], &signature[..64], 1)
        };
        // Compared by the chunk named: the string to sign shown is pinned
        // in tests/chunked.rs.
        let mismatch = |chunk| {
            Err(ChunkError::SignatureMismatch {
                chunk,
                string_to_sign: String::new(),
            })
        };
        type Row = (&'static str, Vec<u8>, Result<usize, ChunkError>);
        let rows: Vec<Row> = vec![
            ("the body as signed", body.clone(), Ok(3 * CHUNK)),
            (
                "two chunks swapped",
                join(&[piece(0), piece(2), piece(1), end.clone()]),
                mismatch(1),
            ),
            (
                "a chunk dropped",
                join(&[piece(0), piece(2), end.clone()]),
                mismatch(1),
            ),
            (
                "a chunk replayed",
                join(&[piece(0), piece(0), piece(1)]),
                mismatch(1),
            ),
            ("a data byte altered", altered, mismatch(1)),
        ];
        for (attack, body, verdict) in rows {
            let got = verify(&sent, &body)
                .map(|data| data.len())
                .map_err(|e| match e {
                    ChunkError::SignatureMismatch { chunk, .. } => ChunkError::SignatureMismatch {
                        chunk,
                        string_to_sign: String::new(),
                    },
                    other => other,
                });
            match (&got, &verdict) {
                (Ok(n), Ok(want)) => assert_eq!(n, want, "{attack}"),
                _ => assert_eq!(got, verdict, "{attack}"),
            }
        }
        // Signatures framed otherwise: without the `*` padding, or at
        // SigV4's 64 digits, are malformed (the chunk is named).
        for (attack, first) in [("padding dropped", unpadded), ("64 digits", hmac_length)] {
            let body = join(&[first.into_bytes(), piece(1), piece(2), end.clone()]);
            let got = verify(&sent, &body);
            assert!(
                matches!(got, Err(ChunkError::Malformed { chunk: 0, .. })),
                "{attack}: {got:?}"
            );
        }
    }
}

/// S3 Express One Zone's session token goes with `s3express` signatures
/// alone, and never beside `X-Amz-Security-Token`: each form refuses it
/// elsewhere, naming where it came.
#[cfg(feature = "post")]
#[test]
fn the_s3_express_session_token_only_where_it_belongs() {
    use awsig::post::{PostRequest, PostUpload};
    use awsig::SessionTokenMode;

    let session = creds().with_session_token("SESSION/+=").unwrap();
    let lookup = move |_: &str| Some(session.clone());
    let verifier = Verifier::new(lookup.clone())
        .accept("us-east-1", "s3")
        .accept("us-east-1", "s3express");
    let mut settings = awsig::Settings::for_service("s3");
    settings.session_token = SessionTokenMode::S3ExpressSession;
    // An S3 (not S3 Express) signature carrying the session token as S3
    // Express does: signed, yet refused.
    let s3 = Signer::new(lookup("").unwrap(), "us-east-1", "s3")
        .unwrap()
        .with_settings(settings);
    let request = Request::new("GET", HOST, "/k");
    let url = s3.presign(&request, signed_at(), 300).unwrap();
    assert!(url.as_str().contains("X-Amz-S3session-Token="));
    let not_here = |name: &'static str| VerifyError::SessionTokenNotForService {
        name,
        service: "s3".into(),
    };
    let got = verifier.verify_presigned("GET", url.as_str(), &[], None, now());
    assert_eq!(got.unwrap_err(), not_here("X-Amz-S3session-Token"));
    let signed = s3.authorize(&request, signed_at()).unwrap();
    let sent: Vec<(&str, &str)> = signed.headers().collect();
    assert!(sent.iter().any(|(n, _)| *n == "x-amz-s3session-token"));
    let got =
        verifier.verify_authorization("GET", &format!("https://{HOST}/k"), &sent, None, now());
    assert_eq!(got.unwrap_err(), not_here("x-amz-s3session-token"));

    // Both tokens on one request: ambiguous.
    let express = S3Presigner::new(lookup("").unwrap(), "us-east-1")
        .unwrap()
        .with_s3express_session(lookup("").unwrap())
        .unwrap();
    let url = express
        .presign(&S3Request::get("bucket--use1-az4--x-s3", "k"), signed_at())
        .unwrap();
    let both = format!("{}&X-Amz-Security-Token=SESSION%2F%2B%3D", url.as_str());
    let got = verifier.verify_presigned("GET", &both, &[], None, now());
    assert_eq!(got.unwrap_err(), VerifyError::SessionTokenAmbiguous);
    // A second token in another case, in a header beside the URL, or in
    // the query of a header-signed request: each one the signature may not
    // cover, which a server layer could act on.
    let lower = format!("{}&x-amz-security-token=OTHER", url.as_str());
    let got = verifier.verify_presigned("GET", &lower, &[], None, now());
    assert_eq!(got.unwrap_err(), VerifyError::SessionTokenAmbiguous);
    let beside = [("x-amz-security-token", "OTHER")];
    let got = verifier.verify_presigned("GET", url.as_str(), &beside, None, now());
    assert_eq!(got.unwrap_err(), VerifyError::SessionTokenAmbiguous);
    let header_signed = s3.authorize(&request, signed_at()).unwrap();
    let sent: Vec<(&str, &str)> = header_signed.headers().collect();
    for query in [
        "X-Amz-S3session-Token=OTHER",
        "X-Amz-Security-Token=OTHER",
        "x-amz-security-token=OTHER",
    ] {
        let url = format!("https://{HOST}/k?{query}");
        let got = verifier.verify_authorization("GET", &url, &sent, None, now());
        assert_eq!(
            got.unwrap_err(),
            VerifyError::SessionTokenAmbiguous,
            "{query}"
        );
    }
    // Nor does the signer write a second one for a caller.
    let headers = [("X-Amz-Security-Token", "OTHER")];
    let with_header = Request::new("GET", HOST, "/k").with_headers(&headers);
    let refused = s3.authorize(&with_header, signed_at());
    assert!(matches!(refused, Err(Error::ReservedHeader { .. })));
    let refused = s3.presign(&with_header, signed_at(), 60);
    assert!(matches!(refused, Err(Error::ReservedHeader { .. })));
    let with_param = Request::new("GET", HOST, "/k").with_query("x-amz-s3session-token=OTHER");
    let refused = s3.authorize(&with_param, signed_at());
    assert!(matches!(refused, Err(Error::ReservedQueryParameter { .. })));
    // As signed, it verifies.
    assert!(verifier
        .verify_presigned("GET", url.as_str(), &[], None, now())
        .is_ok());

    // A POST form for an S3 bucket with the token as S3 Express names it.
    let until = t("2024-01-01T01:00:00Z");
    let form = express
        .presign_post(
            &PostRequest::new("bucket--use1-az4--x-s3", "k", until),
            signed_at(),
        )
        .unwrap();
    let fields: Vec<(&str, &str)> = (form.fields().iter())
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert!(verifier
        .verify_post(
            &PostUpload::new("bucket--use1-az4--x-s3", &fields, 1),
            now()
        )
        .is_ok());
    let with_both: Vec<(&str, &str)> = fields
        .iter()
        .copied()
        .chain([("x-amz-security-token", "SESSION/+=")])
        .collect();
    let got = verifier.verify_post(
        &PostUpload::new("bucket--use1-az4--x-s3", &with_both, 1),
        now(),
    );
    assert!(got.is_err(), "a form with both tokens verified");
    // An S3 bucket's form signed with the token named as S3 Express's.
    let mut settings = awsig::Settings::for_service("s3");
    settings.session_token = SessionTokenMode::S3ExpressSession;
    let general = S3Presigner::new(lookup("").unwrap(), "us-east-1")
        .unwrap()
        .with_settings(settings);
    let form = general
        .presign_post(&PostRequest::new("bucket", "k", until), signed_at())
        .unwrap();
    let fields: Vec<(&str, &str)> = (form.fields().iter())
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert!(fields.iter().any(|(n, _)| *n == "X-Amz-S3session-Token"));
    let got = verifier.verify_post(&PostUpload::new("bucket", &fields, 1), now());
    assert_eq!(
        got.map(|_| ()).unwrap_err().to_string(),
        not_here("X-Amz-S3session-Token").to_string()
    );
}
