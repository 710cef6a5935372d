//! examples/s3_server.rs, the layer in a real server, driven by real
//! clients: boto3, the AWS SDK for JavaScript v3 and the AWS CLI (installed
//! by `.ci/clients-install`); then forged, tampered, replayed-chunk,
//! truncated and expired requests made here get S3's error codes. A client
//! that is missing fails the test, never skips it.
#![cfg(all(feature = "tower", feature = "post"))]

use awsig::chunked::{encoded_length, seed_headers, ChunkSigner};
use awsig::{Credentials, Payload, Request, Scheme, Signer, SigningTime, Streaming};
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "common/example_server.rs"]
mod example_server;

use example_server::{start as start_server, ExampleServer as Server, KEY_ID, SECRET};

fn start(test: &str) -> Server {
    start_server(test, &[])
}

/// Runs a client program; its output is one line per check.
fn run_client(program: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut command = Command::new(program);
    command
        .args(args)
        .env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN");
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command.output().unwrap_or_else(|e| {
        panic!("{program} could not run ({e}): .ci/clients-install installs it")
    });
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients")
}

/// The features a `[features]` or `[[example]]` line of Cargo.toml lists.
fn listed(line: &str) -> Vec<String> {
    let list = line
        .split_once('[')
        .and_then(|(_, rest)| rest.split_once(']'));
    let list = list.map_or("", |(list, _)| list);
    (list
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_string()))
    .filter(|f| !f.is_empty())
    .collect()
}

/// The example starts as its docs say, `cargo run --release --features
/// tower --example s3_server`: whatever else it needs, `tower` brings.
#[test]
fn the_feature_tower_alone_builds_the_server() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let tower = manifest
        .lines()
        .find(|l| l.starts_with("tower = ["))
        .map(listed)
        .expect("the feature tower");
    let example = manifest
        .split("[[example]]")
        .find(|e| e.contains("name = \"s3_server\""))
        .expect("the s3_server example");
    let required = (example.lines())
        .find(|l| l.starts_with("required-features"))
        .map(listed)
        .expect("its required features");
    for feature in &required {
        assert!(
            feature == "tower" || tower.contains(feature),
            "s3_server requires {feature:?}, which --features tower does not bring"
        );
    }
    let docs = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/s3_server.rs"),
    )
    .unwrap();
    assert!(docs.contains("cargo run --release --features tower --example s3_server"));
}

#[test]
fn boto3_puts_lists_uploads_in_parts_presigns_and_posts_forms() {
    let server = start("boto3");
    let script = clients_dir().join("boto3_client.py");
    let out = run_client("python3", &[script.to_str().unwrap(), &server.url], &[]);
    assert!(!out.contains("FAIL"), "{out}");
    assert!(
        out.lines().filter(|l| l.starts_with("ok")).count() >= 15,
        "{out}"
    );
}

#[test]
fn the_aws_sdk_for_javascript_v3_streams_a_put_and_presigns() {
    let node = clients_dir().join("node");
    assert!(
        node.join("node_modules/@aws-sdk/client-s3").is_dir(),
        "the AWS SDK for JavaScript v3 is not installed: run .ci/clients-install"
    );
    let server = start("jsv3");
    let script = node.join("jsv3_client.mjs");
    let out = run_client("node", &[script.to_str().unwrap(), &server.url], &[]);
    assert!(!out.contains("FAIL"), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok")).count(),
        5,
        "{out}"
    );
}

#[test]
fn the_aws_cli_copies_lists_and_presigns() {
    let server = start("cli");
    let dir = server.root.with_extension("files");
    std::fs::create_dir_all(&dir).unwrap();
    // SigV4 for presigned URLs, as the CLI's users configure it.
    let config = dir.join("config");
    std::fs::write(&config, "[default]\ns3 =\n    signature_version = s3v4\n").unwrap();
    let env = [("AWS_CONFIG_FILE", config.to_str().unwrap())];
    let aws = |args: &[&str]| {
        let mut all = vec!["--endpoint-url", server.url.as_str()];
        all.extend_from_slice(args);
        run_client("aws", &all, &env)
    };
    let data: Vec<u8> = (0..7_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let file = dir.join("upload.bin");
    std::fs::write(&file, &data).unwrap();
    aws(&["s3api", "create-bucket", "--bucket", "cli"]);
    aws(&[
        "s3",
        "cp",
        file.to_str().unwrap(),
        "s3://cli/in/upload.bin",
        "--no-progress",
    ]);
    let listed = aws(&["s3", "ls", "s3://cli/in/"]);
    assert!(listed.contains(" 7000000 upload.bin"), "{listed}");
    let back = dir.join("back.bin");
    aws(&[
        "s3",
        "cp",
        "s3://cli/in/upload.bin",
        back.to_str().unwrap(),
        "--no-progress",
    ]);
    assert!(
        std::fs::read(&back).unwrap() == data,
        "aws s3 cp read back other bytes"
    );
    let url = aws(&[
        "s3",
        "presign",
        "s3://cli/in/upload.bin",
        "--expires-in",
        "60",
    ]);
    let got = reqwest::blocking::get(url.trim()).unwrap();
    assert_eq!(got.status(), 200);
    assert!(got.bytes().unwrap() == data);
    let _ = std::fs::remove_dir_all(&dir);
}

fn at_now() -> SigningTime {
    SigningTime::try_from(std::time::SystemTime::now()).unwrap()
}

fn code(body: &str) -> &str {
    let start = body.find("<Code>").map_or(0, |i| i + 6);
    &body[start..body.find("</Code>").unwrap_or(start)]
}

/// Requests made here, each altered as an attacker would: the server
/// answers each with S3's code, and stores nothing it did not verify.
#[test]
fn forged_tampered_replayed_truncated_and_expired_requests_get_s3s_codes() {
    let server = start("attacks");
    let host = server.url.trim_start_matches("http://").to_string();
    let creds = Credentials::new(KEY_ID, SECRET).unwrap();
    let signer = Signer::new(creds, "us-east-1", "s3").unwrap();
    let http = reqwest::blocking::Client::new();
    let now = at_now();
    let send = |method: &str, path: &str, headers: &[(String, String)], body: Vec<u8>| {
        let mut req = http.request(method.parse().unwrap(), format!("{}{path}", server.url));
        for (name, value) in headers {
            req = req.header(name.as_str(), value.as_str());
        }
        let response = req.body(body).send().unwrap();
        (response.status().as_u16(), response.text().unwrap())
    };
    let signed_headers = |request: &Request<'_>, time: SigningTime| -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let signed = signer.authorize(request, time).unwrap();
        all.extend(
            signed
                .headers()
                .map(|(n, v)| (n.to_string(), v.to_string())),
        );
        all
    };
    let bucket = Request::new("PUT", &host, "/attacks")
        .with_scheme(Scheme::Http)
        .with_payload(Payload::Empty);
    assert_eq!(
        send("PUT", "/attacks", &signed_headers(&bucket, now), vec![]).0,
        200
    );

    // A body that is not the one whose hash was signed.
    let put = Request::new("PUT", &host, "/attacks/hash.bin")
        .with_scheme(Scheme::Http)
        .with_payload(Payload::Bytes(b"the signed body"));
    let (status, body) = send(
        "PUT",
        "/attacks/hash.bin",
        &signed_headers(&put, now),
        b"another body!!!".to_vec(),
    );
    assert_eq!(
        (status, code(&body)),
        (400, "XAmzContentSHA256Mismatch"),
        "{body}"
    );
    // Signed long ago.
    let old = now.checked_add(0).unwrap().unix_seconds() - 3_600;
    let stale = SigningTime::from_unix_seconds(old).unwrap();
    let (status, body) = send(
        "PUT",
        "/attacks/hash.bin",
        &signed_headers(&put, stale),
        b"the signed body".to_vec(),
    );
    assert_eq!(
        (status, code(&body)),
        (403, "RequestTimeTooSkewed"),
        "{body}"
    );

    // aws-chunked: a tampered chunk, a replayed one, a body cut short.
    let mode = Streaming::SignedChunks;
    let data = vec![9u8; 3 * 8_192];
    let length = encoded_length(mode, data.len() as u64, 8_192, &[])
        .unwrap()
        .to_string();
    let mut headers = seed_headers(mode, data.len() as u64, None);
    headers.push(("content-length".into(), length));
    let borrowed: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let seed = Request::new("PUT", &host, "/attacks/chunked.bin")
        .with_scheme(Scheme::Http)
        .with_headers(&borrowed)
        .with_payload(Payload::Streaming(mode));
    let sent = signed_headers(&seed, now);
    let signed = signer.authorize(&seed, now).unwrap();
    let mut chunks = ChunkSigner::new(&signer, signed.values()).unwrap();
    let mut framed = Vec::new();
    let mut pieces = Vec::new();
    for piece in data.chunks(8_192) {
        let mut one = Vec::new();
        chunks.write_chunk(piece, &mut one);
        pieces.push(one.clone());
        framed.extend(one);
    }
    let mut end = Vec::new();
    chunks.write_final_chunk(&mut end);
    framed.extend(&end);
    let (status, body) = send("PUT", "/attacks/chunked.bin", &sent, framed.clone());
    assert_eq!(status, 200, "{body}");
    let mut tampered = framed.clone();
    tampered[200] ^= 1;
    let (status, body) = send("PUT", "/attacks/tampered.bin", &sent, tampered);
    assert_eq!(
        (status, code(&body)),
        (403, "SignatureDoesNotMatch"),
        "{body}"
    );
    let replayed = [
        pieces[0].clone(),
        pieces[0].clone(),
        pieces[1].clone(),
        end.clone(),
    ]
    .concat();
    let (status, body) = send("PUT", "/attacks/chunked.bin", &sent, replayed);
    assert_eq!(
        (status, code(&body)),
        (403, "SignatureDoesNotMatch"),
        "{body}"
    );
    // Cut short: a seed that does not sign content-length, so that only
    // the chunk verifier can tell the body ended early.
    let unsized_headers = seed_headers(mode, data.len() as u64, None);
    let borrowed: Vec<(&str, &str)> = unsized_headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let unsized_seed = Request::new("PUT", &host, "/attacks/short.bin")
        .with_scheme(Scheme::Http)
        .with_headers(&borrowed)
        .with_payload(Payload::Streaming(mode));
    let sent_unsized = signed_headers(&unsized_seed, now);
    let signed = signer.authorize(&unsized_seed, now).unwrap();
    let mut chunks = ChunkSigner::new(&signer, signed.values()).unwrap();
    let mut short = Vec::new();
    chunks.write_chunk(&data[..8_192], &mut short);
    chunks.write_chunk(&data[8_192..16_384], &mut short);
    let (status, body) = send("PUT", "/attacks/short.bin", &sent_unsized, short);
    assert_eq!((status, code(&body)), (400, "IncompleteBody"), "{body}");
    // What failed was never stored; what verified reads back.
    let get = Request::new("GET", &host, "/attacks/chunked.bin")
        .with_scheme(Scheme::Http)
        .with_payload(Payload::Empty);
    let response = http
        .get(format!("{}/attacks/chunked.bin", server.url))
        .headers(
            signed_headers(&get, now)
                .into_iter()
                .map(|(n, v)| (n.parse().unwrap(), v.parse().unwrap()))
                .collect(),
        )
        .send()
        .unwrap();
    assert_eq!(response.bytes().unwrap().as_ref(), &data[..]);
    // Unauthenticated writes dressed as forms: refused before any handler.
    for path in [
        "/attacks/chunked.bin?uploads",
        "/attacks/chunked.bin?uploadId=",
        "/attacks/x",
    ] {
        let response = http
            .post(format!("{}{path}", server.url))
            .header("content-type", "multipart/form-data; boundary=x")
            .body("--x--")
            .send()
            .unwrap();
        assert_eq!(response.status().as_u16(), 403, "{path}");
    }
    let tampered_get = Request::new("GET", &host, "/attacks/tampered.bin")
        .with_scheme(Scheme::Http)
        .with_payload(Payload::Empty);
    let (status, body) = send(
        "GET",
        "/attacks/tampered.bin",
        &signed_headers(&tampered_get, now),
        vec![],
    );
    assert_eq!((status, code(&body)), (404, "NoSuchKey"), "{body}");
}
