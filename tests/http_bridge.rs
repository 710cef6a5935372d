//! The `http` crate bridge: requests signed in place, sent by a real client
//! (reqwest) to the CI's S3 server (s3s-fs), and verified back. The first
//! test is the module's doc example, run for real.
#![cfg(feature = "http")]

use awsig::verify::{Verifier, VerifyError};
use awsig::{Credentials, Error, Payload, Signer, SigningTime};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is unset: start the S3 server with `.ci/test` or `.ci/s3s-start && source target/s3s/env`")
    })
}

fn now() -> SigningTime {
    SigningTime::try_from(std::time::SystemTime::now()).unwrap()
}

fn creds() -> Credentials {
    Credentials::new(&env("AWSIG_S3_ACCESS_KEY"), &env("AWSIG_S3_SECRET_KEY")).unwrap()
}

fn object_url(key: &str) -> String {
    format!(
        "{}/{}/{key}",
        env("AWSIG_S3_ENDPOINT"),
        env("AWSIG_S3_BUCKET")
    )
}

#[test]
fn the_doc_example_against_the_s3_server() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let now = now();
    let url = object_url("http-bridge/hello.txt");
    let mut put = http::Request::put(url.as_str())
        .body(b"hello".to_vec())
        .unwrap();
    let expires_at = signer.presign_http(&mut put, now, 300).unwrap();
    assert_eq!(expires_at, now.checked_add(300).unwrap());
    assert!(put.uri().query().unwrap().contains("X-Amz-Signature="));
    let client = reqwest::blocking::Client::new();
    let sent = client.execute(put.try_into().unwrap()).unwrap();
    assert!(sent.status().is_success(), "{}", sent.status());

    let mut get = http::Request::get(url.as_str()).body(Vec::new()).unwrap();
    signer.authorize_http(&mut get, now).unwrap();
    assert!(get.headers().contains_key("authorization"));
    let got = client.execute(get.try_into().unwrap()).unwrap();
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(got.bytes().unwrap().as_ref(), b"hello");
}

#[test]
fn a_header_signed_put_hashes_its_body_in_place_and_the_server_checks_it() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let url = object_url("http-bridge/hashed.bin");
    let body: Vec<u8> = (0..10_000u32).map(|i| i as u8).collect();
    let mut put = http::Request::put(url.as_str())
        .header("content-type", "application/octet-stream")
        .header("user-agent", "awsig-test")
        .body(body.clone())
        .unwrap();
    signer.authorize_http(&mut put, now()).unwrap();
    let authorization = put.headers()["authorization"].to_str().unwrap().to_string();
    assert!(
        authorization.contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,"),
        "{authorization}"
    );
    let client = reqwest::blocking::Client::new();
    let r = client.execute(put.try_into().unwrap()).unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // The same headers over another body: the server refuses it (s3s-fs
    // 0.14.1 answers 500 InternalError for the hash mismatch, AWS answers
    // 400 XAmzContentSHA256Mismatch) and stores nothing.
    let tampered_url = object_url("http-bridge/tampered.bin");
    let mut tampered = http::Request::put(tampered_url.as_str())
        .body(b"other".to_vec())
        .unwrap();
    signer.authorize_http(&mut tampered, now()).unwrap();
    *tampered.body_mut() = b"forged".to_vec();
    let r = client.execute(tampered.try_into().unwrap()).unwrap();
    let status = r.status();
    let text = r.text().unwrap();
    assert!(!status.is_success(), "{status} {text}");
    let mut get = http::Request::get(tampered_url.as_str())
        .body(Vec::new())
        .unwrap();
    signer.authorize_http(&mut get, now()).unwrap();
    let r = client.execute(get.try_into().unwrap()).unwrap();
    assert_eq!(r.status().as_u16(), 404, "the tampered body was stored");
}

#[test]
fn verify_http_reads_what_sign_http_writes() {
    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
    let signer = Signer::new(creds.clone(), "us-east-1", "s3").unwrap();
    let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept("us-east-1", "s3");
    let at = SigningTime::parse("2026-12-01T12:00:00Z").unwrap();

    // Header-signed, then received as a server sees it: origin-form URI
    // and a Host header.
    let mut req = http::Request::put("https://bucket.s3.amazonaws.com/k?x=1")
        .header("x-amz-meta-a", "b")
        .body(b"data".to_vec())
        .unwrap();
    signer.authorize_http(&mut req, at).unwrap();
    let (mut parts, body) = req.into_parts();
    parts.uri = "/k?x=1".parse().unwrap();
    parts
        .headers
        .insert("host", "bucket.s3.amazonaws.com".parse().unwrap());
    let received = http::Request::from_parts(parts, body);
    let verified = verifier
        .verify_http(&received, Some(Payload::Bytes(received.body())), at)
        .unwrap();
    assert_eq!(verified.access_key_id(), "AKIDEXAMPLE");
    // Re-signing replaces the old signature rather than signing it.
    let mut again = received.clone();
    *again.uri_mut() = "https://bucket.s3.amazonaws.com/k?x=1".parse().unwrap();
    again.headers_mut().remove("host");
    signer
        .authorize_http(&mut again, at.checked_add(5).unwrap())
        .unwrap();
    assert!(verifier
        .verify_http(
            &again,
            Some(Payload::Bytes(again.body())),
            at.checked_add(5).unwrap()
        )
        .is_ok());
    // A header changed after signing fails.
    let mut changed = received.clone();
    changed
        .headers_mut()
        .insert("x-amz-meta-a", "c".parse().unwrap());
    assert!(matches!(
        verifier.verify_http(&changed, Some(Payload::Bytes(changed.body())), at),
        Err(VerifyError::SignatureMismatch { .. })
    ));

    // Presigned in place, then verified.
    let mut get = http::Request::get("https://bucket.s3.amazonaws.com/k")
        .body(())
        .unwrap();
    signer.presign_http(&mut get, at, 60).unwrap();
    assert!(verifier.verify_http(&get, None, at).is_ok());
}

#[test]
fn requests_that_cannot_be_signed_say_why() {
    let signer = Signer::new(Credentials::new("AKID", "s").unwrap(), "us-east-1", "s3").unwrap();
    let at = SigningTime::from_unix_seconds(0).unwrap();
    let mut relative = http::Request::get("/k").body(Vec::new()).unwrap();
    assert!(matches!(
        signer.authorize_http(&mut relative, at),
        Err(Error::InvalidUrl { .. })
    ));
    let mut other_host = http::Request::get("https://a.example.com/k")
        .header("host", "b.example.com")
        .body(Vec::new())
        .unwrap();
    assert_eq!(
        signer.authorize_http(&mut other_host, at),
        Err(Error::InvalidHost {
            host: "b.example.com".into()
        })
    );
    let mut binary = http::Request::get("https://a.example.com/k")
        .header(
            "x-amz-meta-bin",
            http::HeaderValue::from_bytes(b"\xff").unwrap(),
        )
        .body(Vec::new())
        .unwrap();
    assert!(matches!(
        signer.authorize_http(&mut binary, at),
        Err(Error::InvalidHeaderValue { .. })
    ));
    // The payload given instead of hashed: a stream's body type works too.
    let mut streamed = http::Request::put("https://a.example.com/k")
        .body(())
        .unwrap();
    signer
        .authorize_http_with(&mut streamed, Payload::Unsigned, at)
        .unwrap();
    assert_eq!(
        streamed.headers()["x-amz-content-sha256"],
        "UNSIGNED-PAYLOAD"
    );
}

#[test]
fn hosts_connection_headers_claimed_hashes_and_re_signing() {
    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
    let s3 = Signer::new(creds.clone(), "us-east-1", "s3").unwrap();
    let sqs = Signer::new(creds.clone(), "us-east-1", "sqs").unwrap();
    let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept_any_scope();
    let at = SigningTime::parse("2026-12-01T12:00:00Z").unwrap();

    // A Host header names the authority as clients write it: the default
    // port may be on either side. Two Host headers are refused.
    let mut default_port = http::Request::get("https://b.example.com:443/k")
        .header("host", "b.example.com")
        .body(Vec::new())
        .unwrap();
    s3.authorize_http(&mut default_port, at).unwrap();
    let mut two = http::Request::get("https://b.example.com/k")
        .header("host", "b.example.com")
        .header("host", "evil.example.com")
        .body(Vec::new())
        .unwrap();
    assert!(matches!(
        s3.authorize_http(&mut two, at),
        Err(Error::InvalidHost { .. })
    ));

    // Connection-level headers are not signed (HTTP/2 clients drop them).
    let mut hop = http::Request::get("https://b.example.com/k")
        .header("connection", "keep-alive")
        .header("te", "trailers")
        .header("x-amz-meta-a", "1")
        .body(Vec::new())
        .unwrap();
    s3.authorize_http(&mut hop, at).unwrap();
    let authorization = hop.headers()["authorization"].to_str().unwrap().to_string();
    assert!(
        authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-meta-a,"),
        "{authorization}"
    );

    // A claimed x-amz-content-sha256 is the payload hash, as botocore takes it.
    let mut unsigned = http::Request::put("https://b.s3.amazonaws.com/k")
        .header("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
        .body(b"streamed elsewhere".to_vec())
        .unwrap();
    s3.authorize_http(&mut unsigned, at).unwrap();
    assert_eq!(
        unsigned.headers()["x-amz-content-sha256"],
        "UNSIGNED-PAYLOAD"
    );
    assert!(verifier.verify_http(&unsigned, None, at).is_ok());
    // Elsewhere (sqs) it is signed as the header it is.
    let body = b"Action=ListQueues".to_vec();
    let hash = awsig::encoding::hex32(&<sha2::Sha256 as sha2::Digest>::digest(&body));
    let hash: String = hash.iter().map(|&b| b as char).collect();
    let mut claimed = http::Request::post("https://sqs.us-east-1.amazonaws.com/")
        .header("x-amz-content-sha256", hash.as_str())
        .body(body)
        .unwrap();
    sqs.authorize_http(&mut claimed, at).unwrap();
    let authorization = claimed.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        authorization.contains("x-amz-content-sha256"),
        "{authorization}"
    );
    assert!(verifier
        .verify_http(&claimed, Some(Payload::Bytes(claimed.body())), at)
        .is_ok());

    // Presigning a request that was header-signed before drops that
    // signature's headers, so the result is one mechanism.
    let mut again = http::Request::get("https://b.example.com/k")
        .body(Vec::new())
        .unwrap();
    s3.authorize_http(&mut again, at).unwrap();
    s3.presign_http(&mut again, at, 60).unwrap();
    assert!(!again.headers().contains_key("authorization"));
    assert!(verifier.verify_http(&again, None, at).is_ok());

    // A header that is not text is named, with where it stops being text.
    let mut binary = http::Request::get("https://b.example.com/k")
        .header(
            "x-amz-meta-name",
            http::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap(),
        )
        .body(Vec::new())
        .unwrap();
    assert_eq!(
        s3.authorize_http(&mut binary, at),
        Err(Error::InvalidHeaderValue {
            name: "x-amz-meta-name".into(),
            position: 3
        })
    );
}
