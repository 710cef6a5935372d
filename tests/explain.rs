//! Explain: the computation behind a signature, and the diff against the
//! canonical request an S3 `SignatureDoesNotMatch` error reports. One fixture
//! per usual cause, each made from a deliberately wrong canonical request in
//! the XML format S3 documents.

use awsig::explain::{compare_with_s3, explain_presigned, parse_s3_error, Cause, DerivedKeys};
use awsig::s3::{Endpoint, S3Presigner, S3Request};
use awsig::{Credentials, SigningTime};

const KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn creds() -> Credentials {
    Credentials::new(KEY_ID, SECRET).unwrap()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn hex_bytes(s: &str) -> String {
    s.bytes()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An S3 `SignatureDoesNotMatch` body, as the S3 error documentation shows it.
fn s3_error(canonical_request: &str, string_to_sign: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code>\
         <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>\
         <AWSAccessKeyId>{KEY_ID}</AWSAccessKeyId><StringToSign>{}</StringToSign>\
         <SignatureProvided>0000000000000000000000000000000000000000000000000000000000000000</SignatureProvided>\
         <StringToSignBytes>{}</StringToSignBytes><CanonicalRequest>{}</CanonicalRequest>\
         <CanonicalRequestBytes>{}</CanonicalRequestBytes><RequestId>4442587FB7D0A2F9</RequestId>\
         <HostId>host-id</HostId></Error>",
        xml_escape(string_to_sign),
        hex_bytes(string_to_sign),
        xml_escape(canonical_request),
        hex_bytes(canonical_request),
    )
}

struct Case {
    url: String,
    headers: Vec<(&'static str, &'static str)>,
}

fn case(req: S3Request<'_>, endpoint: Option<&str>) -> Case {
    let mut p = S3Presigner::new(creds(), "us-east-1").unwrap();
    if let Some(e) = endpoint {
        p = p.with_endpoint(Endpoint::parse(e).unwrap());
    }
    let url = p
        .presign(&req, SigningTime::parse("2013-05-24T00:00:00Z").unwrap())
        .unwrap();
    Case {
        headers: url
            .headers()
            .iter()
            .map(|(n, v)| (&*n.to_string().leak(), &*v.to_string().leak()))
            .collect(),
        url: url.into_string(),
    }
}

/// Explains `case`, makes S3's side by `corrupt`ing our canonical request,
/// and returns the cause the diff names.
fn cause_of(case: &Case, corrupt: impl Fn(&str) -> String) -> (Cause, usize) {
    let method = if case.headers.is_empty() {
        "GET"
    } else {
        "PUT"
    };
    let ours = explain_presigned(
        method,
        &case.url,
        &case.headers,
        Some(&creds()),
        DerivedKeys::Hidden,
    )
    .unwrap();
    assert_eq!(
        ours.matches(),
        Some(true),
        "the fixture starts from a valid URL"
    );
    let wrong = corrupt(ours.canonical_request());
    assert_ne!(
        wrong,
        ours.canonical_request(),
        "the corruption changed nothing"
    );
    let body = s3_error(&wrong, ours.string_to_sign());
    let s3 = parse_s3_error(&body);
    assert_eq!(s3.canonical_request.as_deref(), Some(wrong.as_str()));
    assert_eq!(s3.access_key_id.as_deref(), Some(KEY_ID));
    let d = compare_with_s3(&ours, &s3).expect("a difference");
    let shown = d.to_string();
    assert!(
        shown.contains(&d.ours) && shown.contains(&d.theirs),
        "{shown}"
    );
    (d.cause.expect("a named cause"), d.line)
}

#[test]
fn plus_versus_percent_20() {
    let c = case(
        S3Request::get("examplebucket", "k").response_content_disposition("a b"),
        None,
    );
    let (cause, line) = cause_of(&c, |creq| creq.replacen("a%20b", "a+b", 1));
    assert_eq!((cause, line), (Cause::PlusVersusPercent20, 3));
}

#[test]
fn double_encoded_path() {
    let c = case(S3Request::get("examplebucket", "a b.txt"), None);
    let (cause, line) = cause_of(&c, |creq| creq.replacen("a%20b", "a%2520b", 1));
    assert_eq!((cause, line), (Cause::DoubleEncodedPath, 2));
}

#[test]
fn host_or_port() {
    let c = case(S3Request::get("bucket", "k"), Some("http://127.0.0.1:9000"));
    let (cause, _) = cause_of(&c, |creq| {
        creq.replacen("host:127.0.0.1:9000", "host:127.0.0.1", 1)
    });
    assert_eq!(cause, Cause::HostOrPort);
}

#[test]
fn header_signed_but_not_sent() {
    let headers = [("content-type", "text/plain")];
    let c = case(
        S3Request::put("examplebucket", "k").with_headers(&headers),
        None,
    );
    let (cause, _) = cause_of(&c, |creq| {
        creq.replacen("content-type:text/plain", "content-type:", 1)
    });
    assert_eq!(
        cause,
        Cause::HeaderSignedNotSent {
            name: "content-type".into()
        }
    );
}

#[test]
fn different_region_or_date() {
    let c = case(S3Request::get("examplebucket", "k"), None);
    let (cause, line) = cause_of(&c, |creq| {
        creq.replacen("%2Fus-east-1%2F", "%2Feu-west-1%2F", 1)
    });
    assert_eq!((cause, line), (Cause::RegionOrDate, 3));
    let (cause, _) = cause_of(&c, |creq| {
        creq.replacen(
            "X-Amz-Date=20130524T000000Z",
            "X-Amz-Date=20130525T000000Z",
            1,
        )
    });
    assert_eq!(cause, Cause::RegionOrDate);
}

#[test]
fn different_payload_hash() {
    let c = case(S3Request::get("examplebucket", "k"), None);
    let (cause, _) = cause_of(&c, |creq| {
        creq.replacen(
            "UNSIGNED-PAYLOAD",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            1,
        )
    });
    assert_eq!(cause, Cause::PayloadHash);
}

#[test]
fn a_wrong_string_to_sign_alone_points_at_the_scope() {
    let c = case(S3Request::get("examplebucket", "k"), None);
    let ours = explain_presigned("GET", &c.url, &[], Some(&creds()), DerivedKeys::Hidden).unwrap();
    let sts = ours.string_to_sign().replacen("us-east-1", "eu-west-1", 1);
    let s3 = parse_s3_error(&s3_error(ours.canonical_request(), &sts));
    let d = compare_with_s3(&ours, &s3).unwrap();
    assert_eq!((d.line, d.cause), (3, Some(Cause::RegionOrDate)));
}

#[test]
fn the_key_chain_shows_only_when_asked() {
    let c = case(
        S3Request::get("examplebucket", "test.txt").expires_in(86_400),
        None,
    );
    let plain = explain_presigned("GET", &c.url, &[], Some(&creds()), DerivedKeys::Hidden).unwrap();
    assert!(plain.key_chain().is_none());
    let report = plain.to_string();
    assert!(report.contains("match: yes"));
    assert!(!report.contains("kSigning"));
    // The S3 examples' signing key (20130524/us-east-1/s3).
    let signing_key = "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378";
    assert!(!report.contains(signing_key));
    let with_key =
        explain_presigned("GET", &c.url, &[], Some(&creds()), DerivedKeys::Shown).unwrap();
    assert!(with_key
        .to_string()
        .contains(&format!("kSigning: {signing_key}")));
    assert!(!format!("{with_key:?}").contains(signing_key));
    let no_secret = explain_presigned("GET", &c.url, &[], None, DerivedKeys::Shown).unwrap();
    assert_eq!(no_secret.matches(), None);
    assert!(no_secret.to_string().contains("no secret given"));
    assert_eq!(
        no_secret.credential_scope(),
        "20130524/us-east-1/s3/aws4_request"
    );
}

#[test]
fn a_tampered_url_is_explained_as_a_mismatch() {
    let c = case(S3Request::get("examplebucket", "k"), None);
    let tampered = c.url.replacen("/k?", "/j?", 1);
    let e = explain_presigned("GET", &tampered, &[], Some(&creds()), DerivedKeys::Hidden).unwrap();
    assert_eq!(e.matches(), Some(false));
    assert!(e.to_string().contains("match: NO"));
}

#[test]
fn bare_ampersands_in_an_s3_error_are_kept_as_text() {
    // 256 KiB of `&` with no entity: each is kept, and reading it is linear
    // (`hostile/explain-ampersands` in `cargo bench --bench sign`; the
    // search for `;` now stops where an entity would have to end).
    let amps = "&".repeat(256 * 1024);
    let body = format!("<Error><CanonicalRequest>{amps}a&amp;b&#x41;</CanonicalRequest></Error>");
    let parsed = parse_s3_error(&body);
    assert_eq!(parsed.canonical_request, Some(format!("{amps}a&bA")));
}

#[test]
fn explain_shows_what_was_signed_even_with_unsigned_headers_sent() {
    // The verifier refuses an unsigned x-amz-acl; the audit view still shows
    // the computation, since that is what the person debugging needs.
    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
    let at = SigningTime::parse("2024-01-01T00:00:00Z").unwrap();
    let url = S3Presigner::new(creds.clone(), "us-east-1")
        .unwrap()
        .presign(&S3Request::put("bucket", "k"), at)
        .unwrap();
    let sent = [("x-amz-acl", "public-read")];
    let explained = explain_presigned(
        "PUT",
        url.as_str(),
        &sent,
        Some(&creds),
        DerivedKeys::Hidden,
    )
    .unwrap();
    assert_eq!(explained.matches(), Some(true));
}
