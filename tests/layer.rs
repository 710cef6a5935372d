//! The tower layer (feature `tower`), driven as a server drives it: each
//! form of request passes with its claims or gets S3's error, and each
//! body is checked as it streams.
#![cfg(feature = "tower")]

use awsig::chunked::{encoded_length, seed_headers, ChunkSigner};
use awsig::layer::{BodyError, S3Error, UnverifiedPostForm, VerifyLayer, VerifyingBody};
use awsig::s3::{Endpoint, S3Presigner, S3Request};
use awsig::verify::{Verified, Verifier};
use awsig::{Credentials, Payload, Request, Scheme, Signer, SigningTime, Streaming};
use bytes::Bytes;
use http_body::{Body, Frame};
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};
use tower::{Layer, ServiceExt};

const HOST: &str = "127.0.0.1:9000";

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap()
}

fn at() -> SigningTime {
    SigningTime::parse("2026-12-07T12:00:00Z").unwrap()
}

/// A request body of the given pieces.
struct Pieces(VecDeque<Bytes>);

impl Pieces {
    fn of(bytes: &[u8], piece: usize) -> Pieces {
        Pieces(
            bytes
                .chunks(piece.max(1))
                .map(Bytes::copy_from_slice)
                .collect(),
        )
    }
}

impl Body for Pieces {
    type Data = Bytes;
    type Error = std::convert::Infallible;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(self.0.pop_front().map(|b| Ok(Frame::data(b))))
    }
}

/// What the handler saw: the claims, the headers it was given, and its
/// body read to the end (or the error that ended it).
#[derive(Debug)]
struct Seen {
    key: Option<String>,
    post_form: bool,
    content_length: Option<String>,
    content_encoding: Option<String>,
    body: Result<Vec<u8>, String>,
    /// S3's error for the body, if it failed.
    body_error: Option<S3Error>,
}

async fn read(mut body: VerifyingBody<Pieces>) -> Result<Vec<u8>, BodyError> {
    let mut all = Vec::new();
    let mut body = Pin::new(&mut body);
    while let Some(frame) = std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await {
        if let Ok(data) = frame?.into_data() {
            all.extend_from_slice(&data);
        }
    }
    Ok(all)
}

type Response = http::Response<String>;

/// Sends `req` through a layer at `now` to a handler that records what it
/// saw; the response, and what the handler saw if it was reached.
fn serve(
    layer: VerifyLayer<impl Fn(&str) -> Option<Credentials> + Send + Sync + 'static>,
    req: http::Request<Pieces>,
) -> (Response, Option<Seen>) {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(None));
    let record = seen.clone();
    let handler = tower::service_fn(move |req: http::Request<VerifyingBody<Pieces>>| {
        let record = record.clone();
        async move {
            let header = |name: &str| {
                req.headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_string())
            };
            let key = req
                .extensions()
                .get::<Verified>()
                .map(|v| v.access_key_id().to_string());
            let post_form = req.extensions().get::<UnverifiedPostForm>().is_some();
            let (content_length, content_encoding) =
                (header("content-length"), header("content-encoding"));
            let body = read(req.into_body()).await;
            let body_error = body.as_ref().err().map(BodyError::s3_error);
            let body = body.map_err(|e| e.s3_error().code.to_string());
            *record.lock().unwrap() = Some(Seen {
                key,
                post_form,
                content_length,
                content_encoding,
                body,
                body_error,
            });
            Ok::<_, std::convert::Infallible>(http::Response::new(String::from("ok")))
        }
    });
    let service = layer.layer(handler);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let response = runtime.block_on(service.oneshot(req)).unwrap();
    let seen = seen.lock().unwrap().take();
    (response, seen)
}

fn layer(
    now: SigningTime,
) -> VerifyLayer<impl Fn(&str) -> Option<Credentials> + Send + Sync + 'static> {
    let verifier = Verifier::new(|id: &str| (id == "AKIDEXAMPLE").then(creds))
        .accept("us-east-1", "s3")
        .accept("us-east-1", "sqs");
    VerifyLayer::new(verifier)
        .with_clock(move || now)
        .with_scheme(Scheme::Http)
}

fn presigned(key: &str, expires: u64) -> String {
    let url = S3Presigner::new(creds(), "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::parse(&format!("http://{HOST}")).unwrap())
        .presign(&S3Request::get("bucket", key).expires_in(expires), at())
        .unwrap();
    url.as_str()[format!("http://{HOST}").len()..].to_string()
}

fn get(path: &str) -> http::Request<Pieces> {
    http::Request::get(path)
        .header("host", HOST)
        .body(Pieces::of(b"", 1))
        .unwrap()
}

/// The code in an S3 error document.
fn code(response: &Response) -> &str {
    let body = response.body();
    let start = body.find("<Code>").map_or(0, |i| i + 6);
    let end = body.find("</Code>").unwrap_or(start);
    &body[start..end]
}

#[test]
fn presigned_urls_pass_with_their_claims_or_get_s3s_error() {
    let path = presigned("cat.jpg", 300);
    let (response, seen) = serve(layer(at()), get(&path));
    assert_eq!(response.status(), 200);
    let seen = seen.expect("the handler ran");
    assert_eq!(seen.key.as_deref(), Some("AKIDEXAMPLE"));
    assert_eq!(seen.body, Ok(vec![]));

    let cases: [(&str, http::Request<Pieces>, SigningTime, u16, &str); 5] = [
        (
            "another key",
            get(&path.replace("cat.jpg", "dog.jpg")),
            at(),
            403,
            "SignatureDoesNotMatch",
        ),
        (
            "after its expiry",
            get(&path),
            at().checked_add(301).unwrap(),
            403,
            "AccessDenied",
        ),
        (
            "dated ahead of the clock",
            get(&path),
            SigningTime::parse("2026-12-07T11:00:00Z").unwrap(),
            403,
            "RequestTimeTooSkewed",
        ),
        (
            "an unknown key id",
            get(&path.replace("AKIDEXAMPLE", "AKIDOTHER")),
            at(),
            403,
            "InvalidAccessKeyId",
        ),
        (
            "no authentication",
            get("/bucket/cat.jpg"),
            at(),
            403,
            "AccessDenied",
        ),
    ];
    for (what, req, now, status, want) in cases {
        let (response, seen) = serve(layer(now), req);
        assert_eq!(response.status(), status, "{what}: {}", response.body());
        assert_eq!(code(&response), want, "{what}");
        assert!(seen.is_none(), "{what}: the handler ran");
        assert_eq!(response.headers()["content-type"], "application/xml");
    }
    // S3 hands back what it computed with SignatureDoesNotMatch.
    let (response, _) = serve(layer(at()), get(&path.replace("cat.jpg", "dog.jpg")));
    assert!(
        response.body().contains("<StringToSign>AWS4-HMAC-SHA256\n"),
        "{}",
        response.body()
    );
    assert!(response
        .body()
        .contains("<CanonicalRequest>GET\n/bucket/dog.jpg\n"));
    let (expired, _) = serve(layer(at().checked_add(301).unwrap()), get(&path));
    assert!(expired
        .body()
        .contains("<Message>Request has expired</Message>"));
}

/// A header-signed PUT with its body's hash: the handler reads the body,
/// or an error at its end when the body is another.
#[test]
fn a_signed_body_hash_is_checked_as_the_body_streams() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let body = vec![7u8; 100_000];
    let put = Request::new("PUT", HOST, "/bucket/k")
        .with_scheme(Scheme::Http)
        .with_payload(Payload::Bytes(&body));
    let signed = signer.authorize(&put, at()).unwrap();
    let request = |bytes: &[u8]| {
        let mut req = http::Request::put("/bucket/k").header("host", HOST);
        for (name, value) in signed.headers() {
            req = req.header(name, value);
        }
        req.body(Pieces::of(bytes, 8_192)).unwrap()
    };
    let (response, seen) = serve(layer(at()), request(&body));
    assert_eq!(response.status(), 200);
    assert_eq!(seen.unwrap().body, Ok(body.clone()));
    let mut other = body.clone();
    other[99_999] ^= 1;
    let (_, seen) = serve(layer(at()), request(&other));
    assert_eq!(seen.unwrap().body, Err("XAmzContentSHA256Mismatch".into()));
}

/// An aws-chunked PUT: the handler sees the data only as chunks verify, the
/// decoded length as the content length and no aws-chunked encoding; a
/// tampered chunk ends the body with S3's error.
#[test]
fn aws_chunked_bodies_are_verified_chunk_by_chunk() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let data: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    let mode = Streaming::SignedChunks;
    let length = encoded_length(mode, data.len() as u64, 65_536, &[])
        .unwrap()
        .to_string();
    let mut headers = seed_headers(mode, data.len() as u64, None);
    headers.push(("content-length".into(), length));
    let borrowed: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let seed = Request::new("PUT", HOST, "/bucket/big")
        .with_scheme(Scheme::Http)
        .with_headers(&borrowed)
        .with_payload(Payload::Streaming(mode));
    let signed = signer.authorize(&seed, at()).unwrap();
    let mut chunks = ChunkSigner::new(&signer, signed.values()).unwrap();
    let mut body = Vec::new();
    for piece in data.chunks(65_536) {
        chunks.write_chunk(piece, &mut body);
    }
    chunks.write_final_chunk(&mut body);
    let request = |bytes: &[u8]| {
        let mut req = http::Request::put("/bucket/big").header("host", HOST);
        for (name, value) in borrowed.iter().copied().chain(signed.headers()) {
            req = req.header(name, value);
        }
        req.body(Pieces::of(bytes, 1_000)).unwrap()
    };
    let (response, seen) = serve(layer(at()), request(&body));
    assert_eq!(response.status(), 200);
    let seen = seen.unwrap();
    assert_eq!(seen.body, Ok(data.clone()));
    assert_eq!(seen.content_length, Some(data.len().to_string()));
    assert_eq!(seen.content_encoding, None);
    let mut tampered = body.clone();
    tampered[200] ^= 1;
    let (_, seen) = serve(layer(at()), request(&tampered));
    let seen = seen.unwrap();
    assert_eq!(seen.body, Err("SignatureDoesNotMatch".into()));
    // S3's error for it shows the chunk's string to sign, as S3 does, the
    // signature before (the seed's, for chunk 0) not shown.
    let error = seen.body_error.expect("S3's error for the body");
    let shown = error.string_to_sign.clone().expect("a string to sign");
    assert!(
        shown.starts_with("AWS4-HMAC-SHA256-PAYLOAD\n20261207T120000Z\n20261207/us-east-1/s3/aws4_request\n<signature before, not shown>\n"),
        "{shown}"
    );
    assert!(!shown.contains(signed.signature()));
    let xml = error.to_xml();
    assert!(
        xml.contains("<StringToSign>AWS4-HMAC-SHA256-PAYLOAD\n20261207T120000Z\n20261207/us-east-1/s3/aws4_request\n&lt;signature before, not shown&gt;\n"),
        "{xml}"
    );
    let (_, seen) = serve(layer(at()), request(&body[..body.len() - 10]));
    assert_eq!(seen.unwrap().body, Err("IncompleteBody".into()));
}

/// A service that signs its body's hash without x-amz-content-sha256 (as
/// the SDKs call SQS): the body is read, up to the limit, before the
/// signature can be checked.
#[test]
fn a_body_signed_without_its_hash_header_is_read_first_within_a_limit() {
    let signer = Signer::new(creds(), "us-east-1", "sqs").unwrap();
    let body = b"Action=SendMessage&MessageBody=hello".to_vec();
    let post = Request::new("POST", HOST, "/")
        .with_scheme(Scheme::Http)
        .with_payload(Payload::Bytes(&body));
    let signed = signer.authorize(&post, at()).unwrap();
    let request = |bytes: &[u8]| {
        let mut req = http::Request::post("/").header("host", HOST);
        for (name, value) in signed.headers() {
            req = req.header(name, value);
        }
        req.body(Pieces::of(bytes, 7)).unwrap()
    };
    let (response, seen) = serve(layer(at()), request(&body));
    assert_eq!(response.status(), 200, "{}", response.body());
    assert_eq!(seen.unwrap().body, Ok(body.clone()));
    let (response, seen) = serve(
        layer(at()),
        request(b"Action=SendMessage&MessageBody=hellp"),
    );
    assert_eq!(code(&response), "SignatureDoesNotMatch");
    assert!(seen.is_none());
    let (response, _) = serve(layer(at()).max_buffered_body(10), request(&body));
    assert_eq!(
        (response.status().as_u16(), code(&response)),
        (400, "EntityTooLarge")
    );
    // Every other check comes first: an unknown key or a stale date is
    // refused as such, its body never read (the limit is never reached).
    let (mut parts, pieces) = request(&body).into_parts();
    let authorization = parts.headers["authorization"]
        .to_str()
        .unwrap()
        .replace("AKIDEXAMPLE", "AKIDOTHER");
    parts
        .headers
        .insert("authorization", authorization.parse().unwrap());
    let unknown = http::Request::from_parts(parts, pieces);
    let (response, _) = serve(layer(at()).max_buffered_body(10), unknown);
    assert_eq!(code(&response), "InvalidAccessKeyId");
    let stale = at().checked_add(3_600).unwrap();
    let (response, _) = serve(layer(stale).max_buffered_body(10), request(&body));
    assert_eq!(code(&response), "RequestTimeTooSkewed");
}

#[test]
fn post_forms_pass_marked_only_when_allowed_and_errors_render_as_asked() {
    let form = || {
        http::Request::post("/bucket")
            .header("host", HOST)
            .header("content-type", "multipart/form-data; boundary=x")
            .body(Pieces::of(b"--x--", 2))
            .unwrap()
    };
    let (response, seen) = serve(layer(at()), form());
    assert_eq!(
        (response.status().as_u16(), code(&response)),
        (403, "AccessDenied")
    );
    assert!(seen.is_none());
    let (response, seen) = serve(layer(at()).allow_post_forms(), form());
    assert_eq!(response.status(), 200);
    let seen = seen.unwrap();
    assert!(seen.post_form && seen.key.is_none());
    // Only S3's POST Object shape passes as a form: not an object's path,
    // not a subresource (a multipart upload's start or completion).
    for path in [
        "/bucket/key",
        "/bucket/key?uploads",
        "/bucket?delete",
        "/bucket/key?uploadId=",
    ] {
        let request = http::Request::post(path)
            .header("host", HOST)
            .header("content-type", "multipart/form-data; boundary=x")
            .body(Pieces::of(b"--x--", 2))
            .unwrap();
        let (response, seen) = serve(layer(at()).allow_post_forms(), request);
        assert_eq!(code(&response), "AccessDenied", "{path}");
        assert!(seen.is_none(), "{path}");
    }

    let json = layer(at()).with_renderer(|e: &S3Error| {
        let mut response = http::Response::new(e.to_json());
        *response.status_mut() = http::StatusCode::from_u16(e.status).unwrap();
        response
    });
    let (response, _) = serve(json, get("/bucket/k"));
    assert_eq!(
        response.body(),
        r#"{"__type":"AccessDenied","message":"Access Denied"}"#
    );
}

/// SigV4a and S3 Express session URLs pass through the same layer, each
/// with its claims (the token's misuses are in tests/attacks.rs).
#[test]
fn sigv4a_and_s3_express_session_requests_pass_with_their_claims() {
    let layer = || {
        VerifyLayer::new(session_verifier())
            .with_clock(at)
            .with_scheme(Scheme::Http)
    };
    let session = creds().with_session_token("SESSION").unwrap();

    let express = S3Presigner::new(session.clone(), "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::parse(&format!("http://{HOST}")).unwrap())
        .with_s3express_session(session.clone())
        .unwrap();
    let url = express
        .presign(&S3Request::get("b--use1-az4--x-s3", "k"), at())
        .unwrap();
    let path = &url.as_str()[url.as_str().find(HOST).unwrap() + HOST.len()..];
    let host = url.as_str()["http://".len()..]
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let request = http::Request::get(path)
        .header("host", &host)
        .body(Pieces::of(b"", 1))
        .unwrap();
    let (response, seen) = serve(layer(), request);
    assert_eq!(response.status(), 200, "{}", response.body());
    assert_eq!(seen.unwrap().key.as_deref(), Some("AKIDEXAMPLE"));

    #[cfg(feature = "sigv4a")]
    {
        let set = awsig::sigv4a::RegionSet::parse("us-east-1").unwrap();
        let v4a = Signer::new_sigv4a(session, &set, "s3").unwrap();
        let get = Request::new("GET", HOST, "/bucket/k").with_scheme(Scheme::Http);
        let url = v4a.presign(&get, at(), 60).unwrap();
        let path = &url.as_str()[format!("http://{HOST}").len()..];
        let (response, seen) = serve(
            layer(),
            http::Request::get(path)
                .header("host", HOST)
                .body(Pieces::of(b"", 1))
                .unwrap(),
        );
        assert_eq!(response.status(), 200, "{}", response.body());
        assert_eq!(seen.unwrap().key.as_deref(), Some("AKIDEXAMPLE"));
    }
}

/// A verifier of temporary credentials (token `SESSION`), for S3 and S3
/// Express.
fn session_verifier() -> Verifier<impl Fn(&str) -> Option<Credentials> + Send + Sync + 'static> {
    let lookup =
        |id: &str| (id == "AKIDEXAMPLE").then(|| creds().with_session_token("SESSION").unwrap());
    Verifier::new(lookup)
        .accept("us-east-1", "s3")
        .accept("us-east-1", "s3express")
}

/// Unsigned chunks with a trailer checksum (what the SDKs send over TLS):
/// the data passes as it streams, and a checksum that differs ends the
/// body with S3's `BadDigest`.
#[test]
fn unsigned_chunks_pass_and_a_trailer_checksum_that_differs_is_bad_digest() {
    use awsig::chunked::{write_unsigned_chunk, write_unsigned_final_chunk, Checksum};
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let data: Vec<u8> = (0..20_000u32).map(|i| (i % 253) as u8).collect();
    let mode = Streaming::UnsignedWithTrailer;
    let name = Checksum::Crc32.header_name();
    let sum = Checksum::Crc32.of(&data);
    let length = encoded_length(mode, data.len() as u64, 8_192, &[(name, sum.len())]).unwrap();
    let mut headers = seed_headers(mode, data.len() as u64, Some(name));
    headers.push(("content-length".into(), length.to_string()));
    let borrowed: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let seed = Request::new("PUT", HOST, "/bucket/t")
        .with_scheme(Scheme::Http)
        .with_headers(&borrowed)
        .with_payload(Payload::Streaming(mode));
    let signed = signer.authorize(&seed, at()).unwrap();
    let request = |sum: &str| {
        let mut body = Vec::new();
        for piece in data.chunks(8_192) {
            write_unsigned_chunk(piece, &mut body);
        }
        write_unsigned_final_chunk(&[(name, sum)], &mut body);
        let mut req = http::Request::put("/bucket/t").header("host", HOST);
        for (name, value) in borrowed.iter().copied().chain(signed.headers()) {
            req = req.header(name, value);
        }
        req.body(Pieces::of(&body, 777)).unwrap()
    };
    let (response, seen) = serve(layer(at()), request(&sum));
    assert_eq!(response.status(), 200, "{}", response.body());
    let seen = seen.unwrap();
    assert_eq!(seen.body, Ok(data.clone()));
    assert_eq!(seen.content_length, Some(data.len().to_string()));
    let other = Checksum::Crc32.of(b"other data");
    assert_ne!(other, sum);
    let (_, seen) = serve(layer(at()), request(&other));
    assert_eq!(seen.unwrap().body, Err("BadDigest".into()));
}

/// The refusals S3 names by the form's own codes, each reached through the
/// layer: a malformed credential (header and query forms), an algorithm
/// it does not read, a session token missing, and expired credentials.
#[test]
fn malformed_unsupported_and_token_refusals_get_s3s_codes() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let get_signed = Request::new("GET", HOST, "/bucket/k").with_scheme(Scheme::Http);
    let signed = signer.authorize(&get_signed, at()).unwrap();
    let header_signed = |edit: &dyn Fn(String) -> String| {
        let mut req = http::Request::get("/bucket/k").header("host", HOST);
        for (name, value) in signed.headers() {
            let value = match name.eq_ignore_ascii_case("authorization") {
                true => edit(value.to_string()),
                false => value.to_string(),
            };
            req = req.header(name, value);
        }
        req.body(Pieces::of(b"", 1)).unwrap()
    };
    let path = presigned("k", 300);
    // Each with what its message must name (the code alone could come
    // from another refusal of the same arm).
    let cases: [(&str, http::Request<Pieces>, u16, &str, &str); 4] = [
        (
            "a credential without aws4_request, in the header",
            header_signed(&|a| a.replace("/aws4_request", "/aws4_requesx")),
            400,
            "AuthorizationHeaderMalformed",
            "X-Amz-Credential is not",
        ),
        (
            "a credential without aws4_request, in the query",
            get(&path.replace("%2Faws4_request", "%2Faws4_requesx")),
            400,
            "AuthorizationQueryParametersError",
            "X-Amz-Credential is not",
        ),
        (
            "an algorithm this verifier does not read",
            get(&path.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512")),
            400,
            "InvalidRequest",
            "X-Amz-Algorithm is not",
        ),
        (
            "an unsigned x-amz-* header beside a presigned URL",
            http::Request::get(path.as_str())
                .header("host", HOST)
                .header("x-amz-acl", "public-read")
                .body(Pieces::of(b"", 1))
                .unwrap(),
            403,
            "AccessDenied",
            "not signed",
        ),
    ];
    for (what, request, status, want, says) in cases {
        let (response, seen) = serve(layer(at()), request);
        assert_eq!(
            (response.status().as_u16(), code(&response)),
            (status, want),
            "{what}: {}",
            response.body()
        );
        assert!(
            response.body().contains(says),
            "{what}: {}",
            response.body()
        );
        assert!(seen.is_none(), "{what}");
    }

    // Temporary credentials: a URL signed without their token, and one
    // signed with them after they expired.
    let session = || {
        VerifyLayer::new(session_verifier())
            .with_clock(at)
            .with_scheme(Scheme::Http)
    };
    let (response, _) = serve(session(), get(&path));
    assert_eq!(
        (response.status().as_u16(), code(&response)),
        (400, "InvalidToken")
    );
    let expired = creds()
        .with_session_token("SESSION")
        .unwrap()
        .with_expiry(SigningTime::from_unix_seconds(at().unix_seconds() - 60).unwrap());
    let lookup = move |id: &str| (id == "AKIDEXAMPLE").then(|| expired.clone());
    let verifier = Verifier::new(lookup).accept("us-east-1", "s3");
    let layer = VerifyLayer::new(verifier)
        .with_clock(at)
        .with_scheme(Scheme::Http);
    let with_token = S3Presigner::new(creds().with_session_token("SESSION").unwrap(), "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::parse(&format!("http://{HOST}")).unwrap())
        .presign(&S3Request::get("bucket", "k").expires_in(300), at())
        .unwrap();
    let path = &with_token.as_str()[format!("http://{HOST}").len()..];
    let (response, _) = serve(layer, get(path));
    assert_eq!(
        (response.status().as_u16(), code(&response)),
        (400, "ExpiredToken")
    );
}
