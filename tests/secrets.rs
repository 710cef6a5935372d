//! No secret, session token or derived key in any `Debug`, `Display` or
//! error text: every public type that holds one is formatted and searched.

use sigv4::explain::explain_presigned;
use sigv4::s3::{S3Presigner, S3Request};
use sigv4::verify::{Verifier, VerifyError};
use sigv4::{Credentials, KeyChain, Payload, Request, Signer, SigningTime};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FQoGZXIvYXdzEBYaDHq0hiddenTOKENvalue";

fn creds() -> Credentials {
    Credentials::new("AKIAIOSFODNN7EXAMPLE", SECRET)
        .unwrap()
        .with_session_token(TOKEN)
        .unwrap()
}

fn time() -> SigningTime {
    SigningTime::parse("2013-05-24T00:00:00Z").unwrap()
}

/// Every secret that must never show: the secret, the token (raw and
/// URL-encoded), every key of the derivation chain, and the signature of a
/// URL when the URL itself was not asked for.
fn forbidden() -> Vec<String> {
    let chain = KeyChain::derive(SECRET, "20130524", "us-east-1", "s3");
    let hex = |k: &[u8]| String::from_utf8(sigv4::encoding::hex32(k).to_vec()).unwrap();
    vec![
        SECRET.to_string(),
        sigv4::encoding::encode(SECRET),
        TOKEN.to_string(),
        hex(&chain.k_date[..]),
        hex(&chain.k_region[..]),
        hex(&chain.k_service[..]),
        hex(&chain.k_signing[..]),
    ]
}

fn assert_clean(what: &str, text: &str) {
    for secret in forbidden() {
        assert!(!text.contains(&secret), "{what} shows {secret:?}: {text}");
    }
}

#[test]
fn no_public_type_shows_a_secret() {
    let creds = creds();
    assert_clean("Credentials", &format!("{creds:?}"));
    let signer = Signer::new(creds.clone(), "us-east-1", "s3").unwrap();
    let _warm = signer
        .presign(&Request::new("GET", "h", "/k"), time(), 60)
        .unwrap();
    assert_clean("Signer", &format!("{signer:?}"));
    assert_clean("SigningKey", &format!("{:?}", signer.signing_key(time())));
    assert_clean("KeyChain", &format!("{:?}", signer.key_chain(time())));

    let s3 = S3Presigner::new(creds.clone(), "us-east-1").unwrap();
    assert_clean("S3Presigner", &format!("{s3:?}"));
    let url = s3
        .presign(&S3Request::get("examplebucket", "test.txt"), time())
        .unwrap();
    let debug = format!("{url:?}");
    assert_clean("PresignedUrl", &debug);
    assert!(!debug.contains(url.signature()), "{debug}");

    let req = Request::new("GET", "h", "/k").with_payload(Payload::Empty);
    let auth = signer.authorize(&req, time()).unwrap();
    assert_clean("Authorization", &format!("{auth:?}"));
    let mut buf = String::new();
    let signed = signer.authorize_into(&req, time(), &mut buf).unwrap();
    assert_clean("HeaderSignature", &format!("{signed:?}"));

    let verifier = Verifier::new(|_: &str| Some(creds.clone())).accept("us-east-1", "s3");
    assert_clean("Verifier", &format!("{verifier:?}"));
    let tampered = url.as_str().replace("test.txt", "test.txu");
    let err = verifier
        .verify_presigned("GET", &tampered, &[], None, time())
        .unwrap_err();
    assert!(matches!(err, VerifyError::SignatureMismatch { .. }));
    assert_clean("VerifyError", &format!("{err} {err:?}"));
    let no_token = url
        .as_str()
        .replace("X-Amz-Security-Token=", "X-Amz-Security-Tokex=");
    let err = verifier
        .verify_presigned("GET", &no_token, &[], None, time())
        .unwrap_err();
    assert_clean("VerifyError", &format!("{err} {err:?}"));

    let explained = explain_presigned("GET", url.as_str(), &[], Some(&creds), false).unwrap();
    assert_clean("Explanation (Debug)", &format!("{explained:?}"));
    // Display shows the canonical request, which carries the token as AWS's
    // own error does, but never the secret or the keys unless asked.
    let shown = explained.to_string();
    for secret in forbidden().iter().filter(|s| !s.contains(TOKEN)) {
        assert!(!shown.contains(secret.as_str()), "{shown}");
    }
}

#[test]
fn errors_never_echo_secret_values() {
    let e = Credentials::new("AKID", "").unwrap_err();
    assert_clean("Error", &e.to_string());
    let e = Credentials::new("AKID", SECRET)
        .unwrap()
        .with_session_token("sEcReTtOkEn\n")
        .unwrap_err();
    assert!(!format!("{e} {e:?}").contains("sEcReTtOkEn"), "{e}");
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let headers = [("x-amz-server-side-encryption-customer-key", "c2VjcmV0\nX")];
    let e = signer
        .presign(
            &Request::new("GET", "h", "/").with_headers(&headers),
            time(),
            60,
        )
        .unwrap_err();
    assert!(!e.to_string().contains("c2VjcmV0") && !format!("{e:?}").contains("c2VjcmV0"));
}
