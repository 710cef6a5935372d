//! Hostile input: each gets a typed error or a correct result, never a panic.

use awsig::error::Component;
use awsig::s3::{AddressingStyle, S3Presigner, S3Request};
use awsig::verify::{Verifier, VerifyError};
use awsig::{Credentials, Error, Payload, Request, Signer, SigningTime};

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap()
}

fn time() -> SigningTime {
    SigningTime::parse("2024-06-01T00:00:00Z").unwrap()
}

fn verifier() -> Verifier<impl Fn(&str) -> Option<Credentials>> {
    Verifier::new(|_: &str| Some(creds())).accept_any_scope()
}

#[test]
fn a_1_mib_key() {
    let key = "k/".repeat(512 * 1024);
    let s3 = S3Presigner::new(creds(), "us-east-1").unwrap();
    assert_eq!(
        s3.presign(&S3Request::get("bucket", &key), time()),
        Err(Error::KeyTooLong {
            len: 1 << 20,
            max: 1024
        })
    );
    // The generic signer has no such limit: it signs, and the URL verifies.
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let path = format!("/{key}");
    let url = signer
        .presign(
            &Request::new("GET", "bucket.s3.amazonaws.com", &path),
            time(),
            60,
        )
        .unwrap();
    assert!(url.as_str().len() > 1 << 20);
    assert!(verifier()
        .verify_presigned("GET", url.as_str(), &[], None, time())
        .is_ok());
}

#[test]
fn ten_thousand_query_parameters() {
    let params: Vec<(String, String)> = (0..10_000)
        .map(|i| (format!("p{}", 9_999 - i), format!("v {i}")))
        .collect();
    let refs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let url = signer
        .presign(
            &Request::new("GET", "h.example", "/").with_params(&refs),
            time(),
            60,
        )
        .unwrap();
    let mut reversed = refs.clone();
    reversed.reverse();
    let again = signer
        .presign(
            &Request::new("GET", "h.example", "/").with_params(&reversed),
            time(),
            60,
        )
        .unwrap();
    assert_eq!(url.signature(), again.signature());
    assert!(verifier()
        .verify_presigned("GET", url.as_str(), &[], None, time())
        .is_ok());
}

#[test]
fn header_values_with_cr_lf_or_nul() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    for value in ["a\rb", "a\nb", "a\0b", "\r\nX-Injected: 1"] {
        let headers = [("x-amz-meta-a", value)];
        let req = Request::new("GET", "h.example", "/").with_headers(&headers);
        assert!(matches!(
            signer.presign(&req, time(), 60),
            Err(Error::InvalidHeaderValue { .. })
        ));
        assert!(matches!(
            signer.authorize(&req, time()),
            Err(Error::InvalidHeaderValue { .. })
        ));
    }
}

#[test]
fn invalid_utf8_where_bytes_are_accepted() {
    let signer = Signer::new(creds(), "us-east-1", "service").unwrap();
    // A body of arbitrary bytes, and escapes that decode to invalid UTF-8.
    let req = Request::new("POST", "h.example", "/%FF%FE")
        .with_query("k%C3=%80%FF")
        .with_payload(Payload::Bytes(&[0xff, 0xfe, 0x00, 0xc3]));
    let auth = signer.authorize(&req, time()).unwrap();
    assert_eq!(auth.signature().len(), 64);
    let creq = signer
        .canonical_request(&req, time(), awsig::SigningMode::Header)
        .unwrap();
    assert!(
        creq.starts_with("POST\n/%25FF%25FE\nk%C3=%80%FF\n"),
        "{creq}"
    );
    let url = Signer::new(creds(), "us-east-1", "s3")
        .unwrap()
        .presign(
            &Request::new("GET", "h.example", "/%FF%FE").with_query("k%C3=%80%FF"),
            time(),
            60,
        )
        .unwrap();
    assert!(verifier()
        .verify_presigned("GET", url.as_str(), &[], None, time())
        .is_ok());
}

#[test]
fn signing_times_before_1970_and_after_9999() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let req = Request::new("GET", "h.example", "/k");
    let early = SigningTime::parse("1901-12-13T20:45:52Z").unwrap();
    let url = signer.presign(&req, early, 60).unwrap();
    assert!(url.as_str().contains("X-Amz-Date=19011213T204552Z"));
    assert!(verifier()
        .verify_presigned("GET", url.as_str(), &[], None, early)
        .is_ok());
    assert!(matches!(
        SigningTime::parse("10000-01-01T00:00:00Z"),
        Err(Error::InvalidTime { .. })
    ));
    assert!(matches!(
        SigningTime::from_unix_seconds(253_402_300_800),
        Err(Error::TimeOutOfRange { .. })
    ));
    let last = SigningTime::parse("9999-12-31T23:59:00Z").unwrap();
    // The expiry runs past 9999, not the signing time: the error says so.
    let overflow = signer.presign(&req, last, 3600).unwrap_err();
    assert_eq!(overflow, Error::ExpiresOutOfRange { expires_in: 3600 });
    assert!(
        overflow.to_string().contains("expiry of 3600 s"),
        "{overflow}"
    );
    assert!(signer.presign(&req, last, 59).is_ok());
}

#[test]
fn regions_services_and_key_ids_that_would_break_the_scope() {
    for bad in ["us-east-1/s3", "us-east-1\n", "us east 1", "us-east-1\r\nx"] {
        assert!(matches!(
            Signer::new(creds(), bad, "s3"),
            Err(Error::InvalidRegion { .. })
        ));
        assert!(matches!(
            Signer::new(creds(), "us-east-1", bad),
            Err(Error::InvalidService { .. })
        ));
    }
    assert!(matches!(
        Credentials::new("AKID/20240601", "s"),
        Err(Error::InvalidAccessKeyId { .. })
    ));
}

#[test]
fn empty_buckets_and_buckets_invalid_for_virtual_hosting() {
    let s3 = S3Presigner::new(creds(), "us-east-1")
        .unwrap()
        .with_addressing_style(AddressingStyle::Virtual);
    let err = s3.presign(&S3Request::get("", "k"), time()).unwrap_err();
    assert!(matches!(err, Error::InvalidBucket { .. }), "{err}");
    assert!(err.to_string().contains("bucket name"));
    // Names S3 serves but no host takes go path style, as botocore's
    // `virtual` sends them.
    for name in ["Bucket", "bucket_name", "my.bucket", "a", "bucket-"] {
        let url = s3.presign(&S3Request::get(name, "k"), time()).unwrap();
        let want = format!("https://s3.amazonaws.com/{name}/k?");
        assert!(url.as_str().starts_with(&want), "{name:?}: {url:?}");
    }
}

#[test]
fn urls_with_user_info_or_a_fragment() {
    let v = verifier();
    for url in [
        "https://user:pass@h.example/k?X-Amz-Signature=00",
        "https://h.example/k?X-Amz-Signature=00#frag",
    ] {
        assert!(
            matches!(
                v.verify_presigned("GET", url, &[], None, time()),
                Err(VerifyError::Malformed(Error::InvalidUrl { .. }))
            ),
            "{url}"
        );
    }
    assert!(matches!(
        awsig::s3::Endpoint::parse("https://u@minio.example"),
        Err(Error::InvalidUrl { .. })
    ));
}

#[test]
fn duplicated_authentication_parameters_and_upper_case_signatures() {
    let url = Signer::new(creds(), "us-east-1", "s3")
        .unwrap()
        .presign(&Request::new("GET", "h.example", "/k"), time(), 60)
        .unwrap()
        .into_string();
    for name in [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
    ] {
        let doubled = format!("{url}&{name}=x");
        assert_eq!(
            verifier().verify_presigned("GET", &doubled, &[], None, time()),
            Err(VerifyError::Duplicate(name))
        );
    }
    let upper = format!(
        "{}{}",
        &url[..url.len() - 64],
        url[url.len() - 64..].to_uppercase()
    );
    assert_eq!(
        verifier().verify_presigned("GET", &upper, &[], None, time()),
        Err(VerifyError::MalformedSignature)
    );
}

#[test]
fn malformed_escapes_are_named() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    assert_eq!(
        signer.presign(&Request::new("GET", "h", "/a%"), time(), 60),
        Err(Error::MalformedPercentEscape {
            component: Component::Path,
            position: 2
        })
    );
}
