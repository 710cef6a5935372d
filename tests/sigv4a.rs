//! SigV4a through the public API: what the verifier refuses in a tampered
//! request (query and header forms), the region set's rules, and the forms
//! a SigV4a signer does not offer here.
#![cfg(feature = "sigv4a")]

use awsig::s3::{MultiRegionAccessPoint, S3Request};
use awsig::sigv4a::{EcdsaKey, RegionSet};
use awsig::verify::{UnsignedAmzHeaders, Verifier, VerifyError};
use awsig::{Credentials, Error, Payload, Request, Signer, SigningTime};

const HOST: &str = "example.amazonaws.com";

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap()
}

fn at(unix: i64) -> SigningTime {
    SigningTime::from_unix_seconds(unix).unwrap()
}

const SIGNED: i64 = 1_700_000_000;

fn signer(set: &str) -> Signer {
    Signer::new_sigv4a(creds(), &RegionSet::parse(set).unwrap(), "sqs").unwrap()
}

fn verifier() -> Verifier<impl Fn(&str) -> Option<Credentials>> {
    Verifier::new(|id: &str| (id == "AKIDEXAMPLE").then(creds)).accept("us-west-2", "sqs")
}

fn presigned() -> String {
    let req = Request::new("GET", HOST, "/queue").with_query("Action=ReceiveMessage");
    let url = signer("us-east-1,us-west-2")
        .presign(&req, at(SIGNED), 300)
        .unwrap();
    url.as_str().to_string()
}

fn verify_url(url: &str, headers: &[(&str, &str)], now: i64) -> Result<(), VerifyError> {
    verifier()
        .verify_presigned("GET", url, headers, Some(Payload::Empty), at(now))
        .map(|_| ())
}

#[test]
fn a_presigned_url_verifies_only_as_signed() {
    let url = presigned();
    assert_eq!(verify_url(&url, &[], SIGNED + 10), Ok(()));
    let mismatch = |url: &str| {
        matches!(
            verify_url(url, &[], SIGNED + 10),
            Err(VerifyError::SignatureMismatch { .. })
        )
    };
    // Each part of what was signed, changed.
    for (from, to) in [
        ("/queue?", "/queuf?"),
        ("Action=ReceiveMessage", "Action=DeleteMessage"),
        (
            "X-Amz-Region-Set=us-east-1%2Cus-west-2",
            "X-Amz-Region-Set=us-west-2",
        ),
        ("X-Amz-Expires=300", "X-Amz-Expires=301"),
        (
            "X-Amz-SignedHeaders=host",
            "X-Amz-SignedHeaders=host&extra=1",
        ),
        ("example.amazonaws.com", "other.amazonaws.com"),
    ] {
        let tampered = url.replacen(from, to, 1);
        assert_ne!(tampered, url, "{from}");
        assert!(mismatch(&tampered), "{from} -> {to}");
    }
    // The signature itself: one bit of its last byte, upper case, cut short.
    let (head, signature) = url.rsplit_once('=').unwrap();
    let last = u8::from_str_radix(&signature[signature.len() - 2..], 16).unwrap() ^ 1;
    let flipped = format!("{head}={}{last:02x}", &signature[..signature.len() - 2]);
    assert!(mismatch(&flipped));
    // Each malformed one is named as a malformed DER signature, not as a
    // SigV4 signature's 64 hex digits.
    let upper = format!("{head}={}", signature.to_uppercase());
    let odd = format!("{head}={}", &signature[1..]);
    let long = format!("{head}={signature}{}", "0".repeat(146 - signature.len()));
    let not_der = format!("{head}={}", "ab".repeat(36));
    for malformed in [&upper, &odd, &long, &not_der] {
        let got = verify_url(malformed, &[], SIGNED);
        assert_eq!(got, Err(VerifyError::MalformedDerSignature), "{malformed}");
        let message = got.unwrap_err().to_string();
        assert!(
            message.contains("DER") && !message.contains("64"),
            "{message}"
        );
    }
    // The time and the scope.
    assert!(matches!(
        verify_url(&url, &[], SIGNED + 301),
        Err(VerifyError::Expired { .. })
    ));
    assert!(matches!(
        verify_url(&url, &[], SIGNED - 901),
        Err(VerifyError::NotYetValid { .. })
    ));
    let elsewhere = Verifier::new(|_: &str| Some(creds())).accept("eu-west-1", "sqs");
    assert_eq!(
        elsewhere.verify_presigned("GET", &url, &[], Some(Payload::Empty), at(SIGNED)),
        Err(VerifyError::ScopeNotAccepted {
            region: "us-east-1,us-west-2".into(),
            service: "sqs".into()
        })
    );
    // Sent beside it: an x-amz header it does not sign, another Host.
    assert!(matches!(
        verify_url(&url, &[("x-amz-meta-a", "1")], SIGNED),
        Err(VerifyError::UnsignedHeaders { .. })
    ));
    assert!(matches!(
        verify_url(&url, &[("Host", "other.amazonaws.com")], SIGNED),
        Err(VerifyError::HostMismatch { .. })
    ));
    // Without its region set it is no SigV4a URL.
    let (before, after) = url.split_once("&X-Amz-Region-Set=").unwrap();
    let without = format!("{before}{}", &after[after.find('&').unwrap()..]);
    assert_eq!(
        verify_url(&without, &[], SIGNED),
        Err(VerifyError::Missing("X-Amz-Region-Set"))
    );
}

#[test]
fn a_header_signature_covers_its_region_set() {
    let signer = signer("us-west-2");
    let req = Request::new("POST", HOST, "/").with_payload(Payload::Bytes(b"Action=List"));
    let signed = signer.authorize(&req, at(SIGNED)).unwrap();
    let mut headers: Vec<(&str, &str)> = signed.headers().collect();
    headers.push(("Host", HOST));
    let url = format!("https://{HOST}/");
    let check = |headers: &[(&str, &str)]| {
        verifier()
            .verify_authorization(
                "POST",
                &url,
                headers,
                Some(Payload::Bytes(b"Action=List")),
                at(SIGNED),
            )
            .map(|v| v.region_set().map(str::to_string))
    };
    assert_eq!(check(&headers), Ok(Some("us-west-2".into())));
    let with = |name: &'static str, value: &'static str| {
        let mut changed: Vec<(&str, &str)> = headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case(name))
            .copied()
            .collect();
        changed.push((name, value));
        changed
    };
    // Another region set: not accepted, or, when accepted, not signed so.
    assert!(matches!(
        check(&with("X-Amz-Region-Set", "us-west-2,eu-west-1")),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    assert!(matches!(
        check(&with("X-Amz-Region-Set", "eu-west-1")),
        Err(VerifyError::ScopeNotAccepted { .. })
    ));
    let mut twice = headers.clone();
    twice.push(("x-amz-region-set", "us-west-2"));
    assert_eq!(
        check(&twice),
        Err(VerifyError::Duplicate("x-amz-region-set"))
    );
    let without: Vec<_> = (headers.iter())
        .filter(|(n, _)| !n.eq_ignore_ascii_case("x-amz-region-set"))
        .copied()
        .collect();
    assert_eq!(
        check(&without),
        Err(VerifyError::Missing("x-amz-region-set"))
    );
    // A region set sent but left out of SignedHeaders is refused.
    let authorization = signed.authorization().replace(";x-amz-region-set", "");
    let unsigned = with("Authorization", Box::leak(authorization.into_boxed_str()));
    assert!(matches!(
        check(&unsigned),
        Err(VerifyError::UnsignedHeaders { .. })
    ));
    // Also by a verifier that lets other unsigned x-amz-* headers through.
    let lenient = verifier().unsigned_amz_headers(UnsignedAmzHeaders::Allow);
    assert_eq!(
        lenient.verify_authorization(
            "POST",
            &url,
            &unsigned,
            Some(Payload::Bytes(b"Action=List")),
            at(SIGNED)
        ),
        Err(VerifyError::UnsignedHeaders {
            names: vec!["x-amz-region-set".into()]
        })
    );
    // A header is read as sent: no percent-decoding makes `%2A` mean `*`.
    assert!(matches!(
        check(&with("X-Amz-Region-Set", "%2A")),
        Err(VerifyError::Malformed(Error::InvalidRegionSet { .. }))
    ));
    // The body is signed too.
    assert!(matches!(
        verifier().verify_authorization(
            "POST",
            &url,
            &headers,
            Some(Payload::Bytes(b"Action=Drop")),
            at(SIGNED)
        ),
        Err(VerifyError::SignatureMismatch { .. })
    ));
}

#[test]
fn temporary_credentials_sign_their_token() {
    let temporary = creds().with_session_token("token/+=").unwrap();
    let signer =
        Signer::new_sigv4a(temporary.clone(), &RegionSet::parse("*").unwrap(), "sqs").unwrap();
    let url = signer
        .presign(&Request::new("GET", HOST, "/"), at(SIGNED), 60)
        .unwrap();
    assert!(url
        .as_str()
        .contains("&X-Amz-Security-Token=token%2F%2B%3D&"));
    let knows = |creds: Credentials| {
        Verifier::new(move |_: &str| Some(creds.clone()))
            .accept("ap-south-1", "sqs")
            .verify_presigned("GET", url.as_str(), &[], Some(Payload::Empty), at(SIGNED))
    };
    assert!(knows(temporary).is_ok());
    assert_eq!(knows(creds()), Err(VerifyError::UnexpectedSessionToken));
    let other = creds().with_session_token("other").unwrap();
    assert_eq!(knows(other.clone()), Err(VerifyError::SessionTokenMismatch));
    // The token is signed: the URL with another one fails on its signature
    // even where that other token is the expected one.
    let swapped = url.as_str().replace("token%2F%2B%3D", "other");
    let verifier = Verifier::new(move |_: &str| Some(other.clone())).accept("ap-south-1", "sqs");
    assert!(matches!(
        verifier.verify_presigned("GET", &swapped, &[], Some(Payload::Empty), at(SIGNED)),
        Err(VerifyError::SignatureMismatch { .. })
    ));
}

#[test]
fn a_rotated_secret_never_meets_the_kept_public_key() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let url = presigned();
    let rotated = std::sync::Arc::new(AtomicBool::new(false));
    let flag = rotated.clone();
    let verifier = Verifier::new(move |_: &str| {
        Some(match flag.load(Ordering::SeqCst) {
            false => creds(),
            true => Credentials::new("AKIDEXAMPLE", "a new secret").unwrap(),
        })
    })
    .accept("us-west-2", "sqs");
    let verify = || verifier.verify_presigned("GET", &url, &[], Some(Payload::Empty), at(SIGNED));
    assert!(verify().is_ok());
    assert!(verify().is_ok(), "again, with the public key kept");
    rotated.store(true, Ordering::SeqCst);
    assert!(matches!(
        verify(),
        Err(VerifyError::SignatureMismatch { .. })
    ));
}

#[test]
fn a_sigv4_url_does_not_take_a_region_set_added() {
    let v4 = Signer::new(creds(), "us-west-2", "sqs").unwrap();
    let url = v4
        .presign(&Request::new("GET", HOST, "/"), at(SIGNED), 60)
        .unwrap();
    let added = url.as_str().replacen(
        "&X-Amz-Signature=",
        "&X-Amz-Region-Set=%2A&X-Amz-Signature=",
        1,
    );
    assert!(verify_url(url.as_str(), &[], SIGNED).is_ok());
    assert!(matches!(
        verify_url(&added, &[], SIGNED),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    // Nor does a SigV4a credential with a region pass.
    let with_region =
        presigned().replace("%2Fsqs%2Faws4_request", "%2Fus-west-2%2Fsqs%2Faws4_request");
    assert_eq!(
        verify_url(&with_region, &[], SIGNED),
        Err(VerifyError::MalformedCredential)
    );
}

#[test]
fn signatures_are_deterministic_and_secrets_stay_out_of_debug() {
    let signer = signer("*");
    let req = Request::new("GET", HOST, "/");
    let a = signer.presign(&req, at(SIGNED), 60).unwrap();
    let b = signer.presign(&req, at(SIGNED), 60).unwrap();
    assert_eq!(a.signature(), b.signature(), "RFC 6979 nonces");
    assert!(a.signature().len() >= 140 && a.signature().starts_with("30"));
    let key = EcdsaKey::derive(&creds()).unwrap();
    let scalar = hex::encode(&key.private_scalar()[..]);
    for shown in [format!("{signer:?}"), format!("{key:?}")] {
        assert!(!shown.contains(&scalar), "{shown}");
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
    }
    assert!(format!("{a:?}").contains("X-Amz-Signature=** redacted **"));
}

#[test]
fn region_sets_and_access_point_arns_are_checked() {
    for bad in [
        "",
        ",",
        "us-east-1,",
        "US-EAST-1",
        "us east",
        "us-east-1;x",
        "**",
        "u*s",
        "*-1",
    ] {
        assert!(
            matches!(RegionSet::parse(bad), Err(Error::InvalidRegionSet { .. })),
            "{bad:?}"
        );
    }
    let set = RegionSet::parse("eu-*, us-west-2").unwrap();
    assert_eq!(set.as_str(), "eu-*,us-west-2");
    assert!(set.covers("eu-central-1") && set.covers("us-west-2") && !set.covers("us-west-1"));
    // A `*` on a whole name still only extends it.
    let set = RegionSet::parse("us-west-2*").unwrap();
    assert!(set.covers("us-west-2") && set.covers("us-west-22") && !set.covers("us-west-1"));
    for bad in [
        "arn:aws:s3:us-east-1:123456789012:accesspoint/x.mrap",
        "arn:aws:s3::123456789012:bucket/x",
        "arn:aws:iam::123456789012:accesspoint/x",
        "arn:nope:s3::123456789012:accesspoint/x",
        "arn:aws:s3::123456789012:accesspoint/Upper.mrap",
        "arn:aws:s3::123456789012:accesspoint/",
        "not an arn",
    ] {
        assert!(
            matches!(
                MultiRegionAccessPoint::new(creds(), bad),
                Err(Error::InvalidAccessPointArn { .. })
            ),
            "{bad}"
        );
    }
    let arn = "arn:aws-cn:s3::123456789012:accesspoint/abc.mrap";
    let mrap = MultiRegionAccessPoint::new(creds(), arn).unwrap();
    assert_eq!(
        mrap.host(),
        "abc.mrap.accesspoint.s3-global.amazonaws.com.cn"
    );
    assert!(matches!(
        mrap.presign(&S3Request::get("other", "k"), at(SIGNED)),
        Err(Error::InvalidAccessPointArn { .. })
    ));
    assert_eq!(
        mrap.presign(&S3Request::get(arn, ""), at(SIGNED)),
        Err(Error::EmptyKey)
    );
}

/// A SigV4a signer frames the ECDSA modes, and no body is framed in a mode
/// of the other algorithm than its signer's.
#[cfg(feature = "chunked")]
#[test]
fn a_sigv4a_signer_frames_only_the_ecdsa_modes() {
    use awsig::chunked::{Checksum, ChunkSigner, ChunkedBody};
    use awsig::Streaming;
    use std::io::Read;
    let signer = signer("*");
    let req = Request::new("PUT", HOST, "/k")
        .with_payload(Payload::Streaming(Streaming::EcdsaSignedChunks));
    let signed = signer.authorize(&req, at(SIGNED)).unwrap();
    let chunks = ChunkSigner::new(&signer, signed.values()).unwrap();
    let read = |mode, chunks: ChunkSigner| {
        let mut body = Vec::new();
        ChunkedBody::new(&[1u8; 10][..], mode, Some(chunks), 8_192, Checksum::Crc32)
            .read_to_end(&mut body)
            .map(|_| body)
    };
    let body = read(Streaming::EcdsaSignedChunks, chunks.clone()).unwrap();
    let text = String::from_utf8_lossy(&body);
    let signature = text.split("chunk-signature=").nth(1).unwrap();
    assert_eq!(signature.find('\r'), Some(144), "{text}");
    let refused = read(Streaming::SignedChunks, chunks).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::InvalidInput);
}

#[cfg(feature = "http")]
#[test]
fn http_requests_sign_and_verify_with_sigv4a_and_re_sign_cleanly() {
    let signer = signer("us-west-2");
    let mut req = http::Request::post(format!("https://{HOST}/?Action=List"))
        .body(b"data".to_vec())
        .unwrap();
    signer.authorize_http(&mut req, at(SIGNED)).unwrap();
    assert_eq!(req.headers()["x-amz-region-set"], "us-west-2");
    let body = req.body().clone();
    assert!(verifier()
        .verify_http(&req, Some(Payload::Bytes(&body)), at(SIGNED))
        .is_ok());
    // Signed again (another time), the old region set and signature are
    // replaced, not doubled.
    signer.authorize_http(&mut req, at(SIGNED + 5)).unwrap();
    assert_eq!(req.headers().get_all("x-amz-region-set").iter().count(), 1);
    assert!(verifier()
        .verify_http(&req, Some(Payload::Bytes(&body)), at(SIGNED + 5))
        .is_ok());
    assert!(matches!(
        verifier().verify_http(&req, Some(Payload::Bytes(b"other")), at(SIGNED + 5)),
        Err(VerifyError::SignatureMismatch { .. })
    ));
}
