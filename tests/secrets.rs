//! No secret, session token or derived key in any `Debug`, `Display` or
//! error text: every public type that holds one is formatted and searched.

use awsig::explain::{explain_presigned, DerivedKeys};
use awsig::s3::{S3Presigner, S3Request};
use awsig::verify::{Verifier, VerifyError};
use awsig::{Credentials, KeyChain, Payload, Request, Signer, SigningTime};

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
    let hex = |k: &[u8]| String::from_utf8(awsig::encoding::hex32(k).to_vec()).unwrap();
    vec![
        SECRET.to_string(),
        awsig::encoding::encode(SECRET),
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

    let explained =
        explain_presigned("GET", url.as_str(), &[], Some(&creds), DerivedKeys::Hidden).unwrap();
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

/// Every public type of the crate, found in its source, is either formatted
/// here with secrets inside it (and its `Debug` searched for them) or named
/// below as one that cannot hold one: a new public type fails this test
/// until it is placed in one list or the other.
#[test]
#[cfg(all(
    feature = "post",
    feature = "chunked",
    feature = "sigv4a",
    feature = "eventstream",
    feature = "tower"
))]
fn every_public_type_with_debug_redacts_secrets() {
    use awsig::chunked::{seed_headers, ChunkSigner, ChunkVerifier};
    use awsig::eventstream::{EventErrorKind, EventSigner};
    use awsig::post::PostRequest;
    use awsig::post::{PostError, PostUpload};
    use awsig::s3::MultiRegionAccessPoint;
    use awsig::sigv4a::{EcdsaKey, RegionSet};
    use awsig::Streaming;

    let creds = creds();
    let mut shown: Vec<(&str, String)> = Vec::new();
    let mut show = |name: &'static str, debug: String| shown.push((name, debug));

    // Signing.
    let signer = Signer::new(creds.clone(), "us-east-1", "s3").unwrap();
    show("Credentials", format!("{creds:?}"));
    show("Signer", format!("{signer:?}"));
    show("SigningKey", format!("{:?}", signer.signing_key(time())));
    show("KeyChain", format!("{:?}", signer.key_chain(time())));
    let s3 = S3Presigner::new(creds.clone(), "us-east-1").unwrap();
    show("S3Presigner", format!("{s3:?}"));
    let url = s3
        .presign(&S3Request::get("examplebucket", "test.txt"), time())
        .unwrap();
    show("PresignedUrl", format!("{url:?}"));
    let req = Request::new("GET", "h", "/k").with_payload(Payload::Empty);
    show("Request", format!("{req:?}"));
    show("S3Request", format!("{:?}", S3Request::get("b", "k")));
    let auth = signer.authorize(&req, time()).unwrap();
    show("Authorization", format!("{auth:?}"));
    let mut buf = String::new();
    let header = signer.authorize_into(&req, time(), &mut buf).unwrap();
    show("HeaderSignature", format!("{header:?}"));

    // Verifying.
    let verifier = Verifier::new(|_: &str| Some(creds.clone())).accept("us-east-1", "s3");
    show("Verifier", format!("{verifier:?}"));
    let verified = verifier
        .verify_presigned("GET", url.as_str(), &[], None, time())
        .unwrap();
    show("Verified", format!("{verified:?}"));
    let tampered = url.as_str().replace("test.txt", "test.txu");
    let mismatch = verifier
        .verify_presigned("GET", &tampered, &[], None, time())
        .unwrap_err();
    show("VerifyError", format!("{mismatch:?} {mismatch}"));
    let explained =
        explain_presigned("GET", url.as_str(), &[], Some(&creds), DerivedKeys::Hidden).unwrap();
    show("Explanation", format!("{explained:?}"));

    // S3 Express's session mode: its token under its own name, in a URL,
    // a form and what a server receives.
    let express = S3Presigner::new(creds.clone(), "us-east-1")
        .unwrap()
        .with_s3express_session(creds.clone())
        .unwrap();
    let express_url = express
        .presign(&S3Request::get("b--use1-az4--x-s3", "k"), time())
        .unwrap();
    assert!(express_url.as_str().contains("X-Amz-S3session-Token="));
    show("PresignedUrl", format!("{express_url:?}"));
    let until = SigningTime::parse("2013-05-24T01:00:00Z").unwrap();
    let express_form = express
        .presign_post(&PostRequest::new("b--use1-az4--x-s3", "k", until), time())
        .unwrap();
    assert!(express_form.field("X-Amz-S3session-Token").is_some());
    show("PresignedPost", format!("{express_form:?}"));
    let express_fields: Vec<(&str, &str)> = (express_form.fields().iter())
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let express_upload = PostUpload::new("b--use1-az4--x-s3", &express_fields, 1);
    show("PostUpload", format!("{express_upload:?}"));

    // Browser uploads: the form, the policy, what a server receives, what
    // it verified, why it refused.
    let until = SigningTime::parse("2013-05-24T01:00:00Z").unwrap();
    let post = PostRequest::new("bucket", "k", until);
    show("PostRequest", format!("{post:?}"));
    let form = s3.presign_post(&post, time()).unwrap();
    show("PresignedPost", format!("{form:?}"));
    let policy = awsig::post::Policy::from_base64(form.field("policy").unwrap()).unwrap();
    show("Policy", format!("{policy:?}"));
    show("Condition", format!("{:?}", policy.conditions));
    let fields: Vec<(&str, &str)> = (form.fields().iter())
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let upload = PostUpload::new("bucket", &fields, 1);
    show("PostUpload", format!("{upload:?}"));
    let post_verifier = Verifier::new(|_: &str| Some(creds.clone())).accept("us-east-1", "s3");
    let verified_post = post_verifier.verify_post(&upload, time()).unwrap();
    show("VerifiedPost", format!("{verified_post:?}"));
    let refused = post_verifier
        .verify_post(&PostUpload::new("other", &fields, 1), time())
        .unwrap_err();
    assert!(matches!(refused, PostError::ConditionFailed { .. }));
    show("PostError", format!("{refused:?} {refused}"));

    // Streaming uploads.
    let mode = Streaming::SignedChunks;
    let headers = seed_headers(mode, 1, None);
    let sent: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let seed = Request::new("PUT", "bucket.s3.amazonaws.com", "/k")
        .with_headers(&sent)
        .with_payload(Payload::Streaming(mode));
    let seed = signer.authorize(&seed, time()).unwrap();
    let chunk_signer = ChunkSigner::new(&signer, seed.values()).unwrap();
    show("ChunkSigner", format!("{chunk_signer:?}"));
    let mut all = sent.clone();
    all.extend(seed.headers());
    let (_, mut chunks): (_, ChunkVerifier) = verifier
        .verify_streaming("PUT", "https://bucket.s3.amazonaws.com/k", &all, time())
        .unwrap();
    show("ChunkVerifier", format!("{chunks:?}"));
    // A first chunk that does not verify: its string to sign would show
    // the seed's signature in its fourth line.
    let forged_chunk = format!("1;chunk-signature={}\r\na\r\n", "0".repeat(64));
    let chunk_error = chunks
        .feed(forged_chunk.as_bytes(), &mut Vec::new())
        .unwrap_err();
    assert!(matches!(
        chunk_error,
        awsig::chunked::ChunkError::SignatureMismatch { chunk: 0, .. }
    ));
    show("ChunkError", format!("{chunk_error:?} {chunk_error}"));

    // Event streams: the signer, a message's signature, the verifier, and
    // the error of a message that fails (its string to sign would show the
    // initial request's signature in its fourth line).
    let event_signer = Signer::new(creds.clone(), "us-east-1", "transcribe").unwrap();
    let start = Request::new(
        "POST",
        "transcribestreaming.us-east-1.amazonaws.com",
        "/stream",
    )
    .with_payload(Payload::EventStream);
    let start = event_signer.authorize(&start, time()).unwrap();
    let mut events = EventSigner::new(&event_signer, start.signature()).unwrap();
    show("EventSigner", format!("{events:?}"));
    let event_signature = events.sign(b"audio", time()).unwrap();
    show("EventSignature", format!("{event_signature:?}"));
    let event_verifier =
        Verifier::new(|_: &str| Some(creds.clone())).accept("us-east-1", "transcribe");
    let (_, mut stream) = event_verifier
        .verify_event_stream(
            "POST",
            "https://transcribestreaming.us-east-1.amazonaws.com/stream",
            &start.headers().collect::<Vec<_>>(),
            time(),
        )
        .unwrap();
    show("EventVerifier", format!("{stream:?}"));
    let mut forged = Vec::new();
    let mut other = EventSigner::new(&event_signer, "0".repeat(64).as_str()).unwrap();
    other.write_message(b"audio", time(), &mut forged).unwrap();
    let refused = stream.feed(&forged, time(), |_| ()).unwrap_err();
    assert!(matches!(
        refused.kind,
        EventErrorKind::SignatureMismatch { .. }
    ));
    show("EventError", format!("{refused:?} {refused}"));
    show("EventErrorKind", format!("{:?}", refused.kind));

    // The tower layer, the S3 error a refused request gets (from a URL
    // with the token in it), and a body's error.
    {
        use awsig::layer::{BodyError, S3Error, VerifyLayer};
        use tower::Layer;
        let layer = VerifyLayer::new(Verifier::new(|_: &str| Some(creds.clone())));
        show("VerifyLayer", format!("{layer:?}"));
        show("VerifyService", format!("{:?}", layer.layer(())));
        let s3_error = S3Error::of(&mismatch, true);
        assert!(s3_error.canonical_request.is_some());
        show("S3Error", format!("{s3_error:?}"));
        show(
            "BodyError",
            format!(
                "{:?} {}",
                BodyError::PayloadHashMismatch,
                BodyError::PayloadHashMismatch
            ),
        );
    }

    // SigV4a.
    let ecdsa = EcdsaKey::derive(&creds).unwrap();
    show("EcdsaKey", format!("{ecdsa:?}"));
    show("PublicKey", format!("{:?}", ecdsa.public_key()));
    let set = RegionSet::parse("us-east-1").unwrap();
    show("RegionSet", format!("{set:?}"));
    let mrap = MultiRegionAccessPoint::new(
        creds.clone(),
        "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap",
    )
    .unwrap();
    show("MultiRegionAccessPoint", format!("{mrap:?}"));
    let private_hex: String = ecdsa
        .private_scalar()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    // What must never show: the secret, the token, every derived key,
    // SigV4a's private key, and the signatures a reader could replay.
    let mut never = forbidden();
    never.push(private_hex);
    never.push(url.signature().to_string());
    never.push(start.signature().to_string());
    never.push(seed.signature().to_string());
    never.push(event_signature.to_hex());
    never.push(form.field("x-amz-signature").unwrap().to_string());
    never.push(form.field("policy").unwrap().to_string());
    for (name, debug) in &shown {
        for secret in &never {
            assert!(
                !debug.contains(secret.as_str()),
                "{name} shows {secret:?}: {debug}"
            );
        }
    }

    // Types that hold no secret: settings and names, public values, and
    // errors about them (each error above is formatted where it can carry
    // a request's text).
    const HOLD_NONE: &[&str] = &[
        "AddressingStyle",
        "Algorithm",
        "DerivedKeys",
        "DualStack",
        "ExpressAuth",
        "Slash",
        "AmzDate",
        "AwsEndpoint",
        "Cause",
        "Checksum",
        "Component",
        "ContentSha256Header",
        "DefaultPayload",
        "Difference",
        "Dots",
        "Endpoint",
        "Error",
        "ExpiryPastCredentials",
        "Part",
        "PathNormalization",
        "Payload",
        "PayloadHash",
        "PresignExpiry",
        "Running",
        "S3SignatureError",
        "Scheme",
        "Scope",
        "SessionTokenMode",
        "Settings",
        "SigningMode",
        "SigningTime",
        "Streaming",
        "UnsignedAmzHeaders",
        "UriEncoding",
        "UrlParts",
        // A marker, empty.
        "UnverifiedPostForm",
        // A request body as the layer hands it on: its `Debug` names the
        // check it runs, nothing of the body.
        "VerifyingBody",
        // Event-stream framing: a message's parts. An outer message's
        // `:chunk-signature` is bound to its place in its stream's chain,
        // which the verifier checks, so it cannot be replayed.
        "Frame",
        "FrameError",
        "HeaderValue",
        "HeaderValueRef",
        "Message",
        "RawHeader",
        "RawHeaders",
        // No `Debug` at all: readers over a body.
        "ChunkedBody",
        "VerifiedBody",
    ];
    let mut public = Vec::new();
    collect_public_types(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src")
            .as_path(),
        &mut public,
    );
    let covered: Vec<&str> = shown.iter().map(|(name, _)| *name).collect();
    let missing: Vec<&String> = (public.iter())
        .filter(|name| !covered.contains(&name.as_str()) && !HOLD_NONE.contains(&name.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "public types neither checked nor listed as holding no secret: {missing:?}"
    );
}

/// The names of `pub struct` and `pub enum` items under `dir` (the
/// command-line tool's own types aside).
#[cfg(all(feature = "post", feature = "chunked", feature = "sigv4a"))]
fn collect_public_types(dir: &std::path::Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "bin") {
                collect_public_types(&path, out);
            }
            continue;
        }
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let line = line.trim_start();
            let item =
                (line.strip_prefix("pub struct ")).or_else(|| line.strip_prefix("pub enum "));
            if let Some(rest) = item {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push(name);
            }
        }
    }
}
