//! AWS's published SigV4 vectors, read from `../shared/test-vectors` (or
//! `$AWSIG_TEST_VECTORS`), and the project's botocore vectors. Each suite
//! prints one line, `awsig vectors: <suite> <passed>/<total>`; the binary
//! fails when any case fails or a suite is missing.

mod common;

use awsig::{
    ContentSha256Header, Credentials, PathNormalization, Payload, Request, SessionTokenMode,
    Settings, Signer, SigningMode, SigningTime, UriEncoding,
};
use common::{header_set, percent_decode, query_set, read, read_json, same, RawRequest, Tally};
use serde_json::Value;
use std::path::Path;

fn main() {
    let dir = common::vectors_dir();
    let results = [
        aws_signing_test_suite(&dir),
        classic_suite(&dir),
        smithy_rs_extras(&dir),
        docs_examples(&dir),
        botocore::suite(),
        botocore_cli::suite(),
        botocore_verify(),
        botocore::rejected(),
        post::aws_docs(),
        post::botocore(),
        chunked::aws_docs(),
        sigv4a_suite(&dir),
        sigv4a_key_derivation(),
        sigv4a_mrap_botocore(),
        eventstream_suites(),
        sigv4a_chunked_suite(),
        s3express_suites(),
    ];
    if results.iter().any(|ok| !ok) {
        std::process::exit(1);
    }
}

#[cfg(feature = "sigv4a")]
#[path = "vectors/sigv4a.rs"]
mod sigv4a;

#[cfg(all(feature = "sigv4a", feature = "chunked"))]
#[path = "vectors/sigv4a_chunked.rs"]
mod sigv4a_chunked;

#[cfg(all(feature = "sigv4a", feature = "chunked"))]
use sigv4a_chunked::suite as sigv4a_chunked_suite;

/// Without `sigv4a` and `chunked` the SigV4a aws-chunked suite does not
/// run; `.ci/test` enables both.
#[cfg(not(all(feature = "sigv4a", feature = "chunked")))]
fn sigv4a_chunked_suite() -> bool {
    println!("awsig vectors: aws-c-auth-sigv4a-chunked not run (needs --features sigv4a,chunked, as .ci/test does)");
    true
}

#[cfg(feature = "post")]
#[path = "vectors/s3express.rs"]
mod s3express;

#[cfg(feature = "post")]
use s3express::suites as s3express_suites;

/// Without `post` the S3 Express suites (one of which is POST forms) do
/// not run; `.ci/test` enables it.
#[cfg(not(feature = "post"))]
fn s3express_suites() -> bool {
    println!("awsig vectors: botocore-s3express not run (needs --features post, as .ci/test does)");
    true
}

#[cfg(feature = "eventstream")]
#[path = "vectors/eventstream.rs"]
mod eventstream;

#[cfg(feature = "eventstream")]
use eventstream::suites as eventstream_suites;

/// Without the `eventstream` feature its suites do not run; `.ci/test`
/// enables it, so CI always runs them.
#[cfg(not(feature = "eventstream"))]
fn eventstream_suites() -> bool {
    println!("awsig vectors: event-stream suites not run (needs --features eventstream, as .ci/test does)");
    true
}

#[cfg(feature = "sigv4a")]
use sigv4a::{
    key_derivation as sigv4a_key_derivation, mrap_botocore as sigv4a_mrap_botocore,
    suite as sigv4a_suite,
};

/// Without the `sigv4a` feature the SigV4a suites do not run; `.ci/test`
/// enables it, so CI always runs them.
#[cfg(not(feature = "sigv4a"))]
fn sigv4a_suite(_: &Path) -> bool {
    true
}
#[cfg(not(feature = "sigv4a"))]
fn sigv4a_key_derivation() -> bool {
    true
}
#[cfg(not(feature = "sigv4a"))]
fn sigv4a_mrap_botocore() -> bool {
    true
}

fn str_field<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_str()
        .unwrap_or_else(|| panic!("missing string field {path:?}"))
}

/// Signs a suite request in both modes and checks it against the case folder.
fn aws_signing_test_suite(dir: &Path) -> bool {
    let mut tally = Tally::new("aws-signing-test-suite");
    run_in_both_modes(
        &mut tally,
        &dir.join("aws-signing-test-suite/v4"),
        suite_case,
    );
    tally.finish(Some(76))
}

/// Runs `check` on each complete case folder under `suite` (sorted), in
/// header and query mode. A stub folder (a context and a request, no
/// expected files: two in v4a, which aws-c-auth does not run) is no case.
fn run_in_both_modes(
    tally: &mut Tally,
    suite: &Path,
    check: fn(&Path, &str) -> Result<(), String>,
) {
    let mut cases: Vec<_> = std::fs::read_dir(suite)
        .unwrap_or_else(|e| panic!("{}: {e}", suite.display()))
        .map(|e| e.unwrap().path())
        .filter(|case| case.join("header-canonical-request.txt").is_file())
        .collect();
    cases.sort();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        for mode in ["header", "query"] {
            let case = case.clone();
            tally.case(&format!("{name} ({mode})"), move || check(&case, mode));
        }
    }
}

/// A suite case's inputs: its context, its request (Host taken out), the
/// credentials, settings and time it is signed with.
struct SuiteInputs {
    ctx: Value,
    raw: RawRequest,
    host: String,
    creds: Credentials,
    settings: Settings,
    time: SigningTime,
    sign_body: bool,
}

impl SuiteInputs {
    fn load(case: &Path) -> Result<SuiteInputs, String> {
        let ctx = read_json(&case.join("context.json"));
        let mut raw = RawRequest::parse(&read(&case.join("request.txt")));
        let host = raw.take_header("host").ok_or("no Host header")?;
        let mut creds = Credentials::new(
            str_field(&ctx, &["credentials", "access_key_id"]),
            str_field(&ctx, &["credentials", "secret_access_key"]),
        )
        .map_err(|e| e.to_string())?;
        if let Some(token) = ctx["credentials"]["token"].as_str() {
            creds = creds.with_session_token(token).map_err(|e| e.to_string())?;
        }
        let sign_body = ctx["sign_body"].as_bool().unwrap_or(false);
        let mut settings = Settings::for_service(str_field(&ctx, &["service"]));
        // aws-c-auth runs every case with double URI encoding.
        settings.uri_encoding = UriEncoding::Double;
        settings.normalize_path = if ctx["normalize"].as_bool().unwrap_or(true) {
            PathNormalization::Normalize
        } else {
            PathNormalization::AsGiven
        };
        settings.content_sha256_header = if sign_body {
            ContentSha256Header::Add
        } else {
            ContentSha256Header::Omit
        };
        if ctx["omit_session_token"].as_bool() == Some(true) {
            settings.session_token = SessionTokenMode::AfterSigning;
        }
        let time =
            SigningTime::parse(str_field(&ctx, &["timestamp"])).map_err(|e| e.to_string())?;
        Ok(SuiteInputs {
            ctx,
            raw,
            host,
            creds,
            settings,
            time,
            sign_body,
        })
    }

    fn service(&self) -> &str {
        str_field(&self.ctx, &["service"])
    }

    fn payload(&self) -> Payload<'_> {
        if self.sign_body {
            Payload::Bytes(&self.raw.body)
        } else {
            Payload::Empty
        }
    }

    fn signing_mode(&self, mode: &str) -> Result<SigningMode, String> {
        Ok(if mode == "query" {
            SigningMode::Query {
                expires_in: self.ctx["expiration_in_seconds"]
                    .as_u64()
                    .ok_or("no expiry")?,
            }
        } else {
            SigningMode::Header
        })
    }
}

/// The case's request signed by `signer` in `mode`, its canonical request
/// and string to sign checked against the case's files; `then` gets the
/// request, its headers, the signing mode and the string to sign.
fn with_checked_texts<R>(
    inputs: &SuiteInputs,
    signer: &Signer,
    case: &Path,
    mode: &str,
    then: impl FnOnce(&Request<'_>, &[(&str, &str)], SigningMode, String) -> Result<R, String>,
) -> Result<R, String> {
    let raw = &inputs.raw;
    let headers = raw.header_refs();
    let req = Request::new(&raw.method, &inputs.host, &raw.path)
        .with_query(&raw.query)
        .with_headers(&headers)
        .with_payload(inputs.payload());
    let signing_mode = inputs.signing_mode(mode)?;
    let expected = |file: &str| read(&case.join(format!("{mode}-{file}")));
    let creq = signer
        .canonical_request(&req, inputs.time, signing_mode)
        .map_err(|e| e.to_string())?;
    same(
        "canonical request",
        &creq,
        &expected("canonical-request.txt"),
    )?;
    let sts = signer
        .string_to_sign(&req, inputs.time, signing_mode)
        .map_err(|e| e.to_string())?;
    same("string to sign", &sts, &expected("string-to-sign.txt"))?;
    then(&req, &headers, signing_mode, sts)
}

fn suite_case(case: &Path, mode: &str) -> Result<(), String> {
    let inputs = SuiteInputs::load(case)?;
    let region = str_field(&inputs.ctx, &["region"]);
    let signer = Signer::new(inputs.creds.clone(), region, inputs.service())
        .map_err(|e| e.to_string())?
        .with_settings(inputs.settings.clone());
    let (host, time) = (&inputs.host, inputs.time);
    let expected = |file: &str| read(&case.join(format!("{mode}-{file}")));
    let signed = RawRequest::parse(&expected("signed-request.txt"));
    with_checked_texts(
        &inputs,
        &signer,
        case,
        mode,
        |req, headers, signing_mode, _| {
            match signing_mode {
                SigningMode::Header => {
                    let auth = signer.authorize(req, time).map_err(|e| e.to_string())?;
                    same("signature", auth.signature(), &expected("signature.txt"))?;
                    // Compared as upstream does: header names in any case and order.
                    let mut ours = header_set(headers.iter().copied().chain(auth.headers()));
                    ours.insert(("host".into(), host.clone()));
                    let theirs = header_set(signed.header_refs());
                    if ours != theirs {
                        return Err(format!("signed headers differ: {ours:?} vs {theirs:?}"));
                    }
                }
                SigningMode::Query { expires_in } => {
                    let url = signer
                        .presign(req, time, expires_in)
                        .map_err(|e| e.to_string())?;
                    same("signature", url.signature(), &expected("signature.txt"))?;
                    let prefix = format!("https://{host}");
                    let rest = url
                        .as_str()
                        .strip_prefix(&prefix)
                        .ok_or("URL host differs")?;
                    let (path, query) = rest.split_once('?').ok_or("URL has no query")?;
                    if percent_decode(path) != percent_decode(&signed.path) {
                        return Err(format!("URL path {path} differs from {}", signed.path));
                    }
                    if query_set(query) != query_set(&signed.query) {
                        return Err(format!("URL query {query} differs from {}", signed.query));
                    }
                    let theirs = header_set(signed.header_refs());
                    let mut ours = header_set(url.headers().iter().copied());
                    ours.insert(("host".into(), host.clone()));
                    if ours != theirs {
                        return Err(format!("headers to send differ: {ours:?} vs {theirs:?}"));
                    }
                }
                SigningMode::QueryWithoutExpiry => {
                    return Err("the suite's cases all carry an expiry".into())
                }
            }
            Ok(())
        },
    )
}

/// The 2015 suite: header signing, compared on `.creq`, `.sts` and `.authz`.
fn classic_suite(dir: &Path) -> bool {
    let mut tally = Tally::new("aws-sig-v4-test-suite");
    let suite = dir.join("aws-sig-v4-test-suite");
    let mut cases = Vec::new();
    let mut stack = vec![suite.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "req") {
                cases.push(p);
            }
        }
    }
    cases.sort();
    for req_file in cases {
        let name = req_file.file_stem().unwrap().to_string_lossy().into_owned();
        tally.case(&name, move || classic_case(&req_file));
    }
    tally.finish(Some(34))
}

fn classic_case(req_file: &Path) -> Result<(), String> {
    let sibling = |ext: &str| read(&req_file.with_extension(ext));
    let creq_expected = sibling("creq");
    let mut raw = RawRequest::parse(&read(req_file));
    let host = raw.take_header("host").ok_or("no Host header")?;
    let amz_date = raw.take_header("x-amz-date").ok_or("no X-Amz-Date")?;
    let time = SigningTime::parse(&amz_date).map_err(|e| e.to_string())?;
    let mut creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .map_err(|e| e.to_string())?;
    let mut settings = Settings::for_service("service");
    // A token in the request is signed; one only in the canonical request
    // was added by the signer; one only in the signed request came after.
    let token_in_creq = creq_expected
        .lines()
        .find_map(|l| l.strip_prefix("x-amz-security-token:"))
        .map(str::to_string);
    let token_in_sreq = RawRequest::parse(&sibling("sreq"))
        .header("x-amz-security-token")
        .map(str::to_string);
    if let Some(token) = raw
        .take_header("x-amz-security-token")
        .or(token_in_creq.clone())
    {
        creds = creds
            .with_session_token(&token)
            .map_err(|e| e.to_string())?;
    } else if let Some(token) = token_in_sreq {
        creds = creds
            .with_session_token(&token)
            .map_err(|e| e.to_string())?;
        settings.session_token = SessionTokenMode::AfterSigning;
    }
    let signer = Signer::new(creds, "us-east-1", "service")
        .map_err(|e| e.to_string())?
        .with_settings(settings);
    let headers = raw.header_refs();
    let req = Request::new(&raw.method, &host, &raw.path)
        .with_query(&raw.query)
        .with_headers(&headers)
        .with_payload(Payload::Bytes(&raw.body));
    let creq = signer
        .canonical_request(&req, time, SigningMode::Header)
        .map_err(|e| e.to_string())?;
    same("canonical request", &creq, &creq_expected)?;
    let sts = signer
        .string_to_sign(&req, time, SigningMode::Header)
        .map_err(|e| e.to_string())?;
    same("string to sign", &sts, &sibling("sts"))?;
    let auth = signer.authorize(&req, time).map_err(|e| e.to_string())?;
    same("Authorization", auth.authorization(), &sibling("authz"))
}

/// The smithy-rs extras: two double-encoding cases and one presigned request.
fn smithy_rs_extras(dir: &Path) -> bool {
    let mut tally = Tally::new("smithy-rs-extras");
    let root = dir.join("smithy-rs-extras");
    let ctx = read_json(&root.join("extras-context.json"));
    let header_cases = [
        "aws-signing-test-suite/v4/double-encode-path",
        "aws-signing-test-suite/v4/double-url-encode",
    ];
    for name in header_cases {
        let (root, ctx) = (root.clone(), ctx.clone());
        tally.case(name, move || {
            let c = &ctx[name];
            let case = root.join(name);
            let mut raw = RawRequest::parse(&read(&case.join("request.txt")));
            let host = raw.take_header("host").ok_or("no host")?;
            raw.take_header("x-amz-date");
            let creds = Credentials::new(
                str_field(c, &["credentials", "access_key_id"]),
                str_field(c, &["credentials", "secret_access_key"]),
            )
            .map_err(|e| e.to_string())?;
            let service = str_field(c, &["service"]);
            let mut settings = Settings::for_service(service);
            settings.uri_encoding = UriEncoding::Double;
            settings.normalize_path = PathNormalization::Normalize;
            let signer = Signer::new(creds, str_field(c, &["region"]), service)
                .map_err(|e| e.to_string())?
                .with_settings(settings);
            let headers = raw.header_refs();
            let req = Request::new(&raw.method, &host, &raw.path)
                .with_query(&raw.query)
                .with_headers(&headers)
                .with_payload(Payload::Empty);
            let creq_time = c["timestamp_in_header_canonical_request_txt"]
                .as_str()
                .or(c["timestamp"].as_str())
                .ok_or("no time")?;
            let creq_time = SigningTime::parse(creq_time).map_err(|e| e.to_string())?;
            let creq = signer
                .canonical_request(&req, creq_time, SigningMode::Header)
                .map_err(|e| e.to_string())?;
            same(
                "canonical request",
                &creq,
                &read(&case.join("header-canonical-request.txt")),
            )?;
            if let Ok(sts) = std::fs::read_to_string(case.join("header-string-to-sign.txt")) {
                let ours = signer
                    .string_to_sign(&req, creq_time, SigningMode::Header)
                    .map_err(|e| e.to_string())?;
                // This one file ends with a newline the others lack.
                same("string to sign", &ours, sts.trim_end_matches('\n'))?;
            }
            let sig_time = c["timestamp_for_signature"]
                .as_str()
                .or(c["timestamp"].as_str())
                .ok_or("no time")?;
            let sig_time = SigningTime::parse(sig_time).map_err(|e| e.to_string())?;
            let auth = signer
                .authorize(&req, sig_time)
                .map_err(|e| e.to_string())?;
            same(
                "signature",
                auth.signature(),
                str_field(c, &["expected_header_signature"]),
            )?;
            let signed = RawRequest::parse(&read(&case.join("header-signed-request.txt")));
            let authz = signed.header("authorization").ok_or("no Authorization")?;
            same("Authorization", auth.authorization(), authz.trim())
        });
    }
    let name = "aws-sig-v4-test-suite/get-vanilla-query-order-key-case/get-vanilla-query-order-key-case.qpsreq";
    tally.case(name, move || {
        let c = &ctx[name];
        let signed = RawRequest::parse(&read(&root.join(name)));
        let expected_sig = str_field(c, &["expected_query_signature"]);
        let creds = Credentials::new(
            str_field(c, &["credentials", "access_key_id"]),
            str_field(c, &["credentials", "secret_access_key"]),
        )
        .map_err(|e| e.to_string())?;
        let signer = Signer::new(creds, str_field(c, &["region"]), str_field(c, &["service"]))
            .map_err(|e| e.to_string())?;
        let time = SigningTime::parse(str_field(c, &["timestamp"])).map_err(|e| e.to_string())?;
        // The user's part of the signed query is what precedes X-Amz-Algorithm.
        let user_query = signed.query.split("&X-Amz-").next().unwrap_or_default();
        let host = signed.header("host").ok_or("no host")?;
        let req = Request::new("GET", host, &signed.path).with_query(user_query);
        let expires_in = c["expires_in_seconds"].as_u64().ok_or("no expiry")?;
        let creq = signer
            .canonical_request(&req, time, SigningMode::Query { expires_in })
            .map_err(|e| e.to_string())?;
        let canonical_query = creq.lines().nth(2).unwrap_or_default();
        same(
            "canonical query",
            canonical_query,
            str_field(c, &["canonical_query"]),
        )?;
        let url = signer
            .presign(&req, time, expires_in)
            .map_err(|e| e.to_string())?;
        same("signature", url.signature(), expected_sig)?;
        let query = url
            .as_str()
            .split_once('?')
            .map(|x| x.1)
            .unwrap_or_default();
        if query_set(query) != query_set(&signed.query) {
            return Err(format!("query {query} differs from {}", signed.query));
        }
        Ok(())
    });
    tally.finish(Some(3))
}

/// AWS documentation examples: 7 requests and 4 key derivations.
fn docs_examples(dir: &Path) -> bool {
    let mut tally = Tally::new("aws-docs-examples");
    let doc = read_json(&dir.join("aws-docs-examples/sigv4-doc-examples.json"));
    for example in doc["examples"].as_array().expect("examples[]") {
        let id = str_field(example, &["id"]).to_string();
        let example = example.clone();
        tally.case(&id, move || doc_example(&example));
    }
    for key in doc["signing_keys"].as_array().expect("signing_keys[]") {
        let id = str_field(key, &["id"]).to_string();
        let key = key.clone();
        tally.case(&id, move || {
            let input = |f: &str| str_field(&key, &["inputs", f]);
            let chain = awsig::KeyChain::derive(
                input("secret_access_key"),
                input("date"),
                input("region"),
                input("service"),
            );
            for (field, ours) in [
                ("k_date", &chain.k_date),
                ("k_region", &chain.k_region),
                ("k_service", &chain.k_service),
                ("k_signing", &chain.k_signing),
            ] {
                let hex = awsig::encoding::hex32(&ours[..]);
                same(
                    field,
                    std::str::from_utf8(&hex).unwrap(),
                    str_field(&key, &["expected", field]),
                )?;
            }
            Ok(())
        });
    }
    tally.finish(Some(11))
}

fn doc_example(example: &Value) -> Result<(), String> {
    let input = &example["inputs"];
    let expected = &example["expected"];
    let mut creds = Credentials::new(
        str_field(input, &["credentials", "access_key_id"]),
        str_field(input, &["credentials", "secret_access_key"]),
    )
    .map_err(|e| e.to_string())?;
    if let Some(token) = input["credentials"]["session_token"].as_str() {
        creds = creds.with_session_token(token).map_err(|e| e.to_string())?;
    }
    let service = str_field(input, &["service"]);
    let signer =
        Signer::new(creds, str_field(input, &["region"]), service).map_err(|e| e.to_string())?;
    let time = SigningTime::parse(str_field(input, &["amz_date"])).map_err(|e| e.to_string())?;
    let host = str_field(input, &["host"]);
    let target = input["request_target"]
        .as_str()
        .or(input["path"].as_str())
        .ok_or("no target")?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = input["query"]
        .as_str()
        .filter(|q| !q.is_empty())
        .unwrap_or(query);
    // The signer writes host, x-amz-date and x-amz-content-sha256 itself.
    let headers: Vec<(&str, &str)> = input["headers"]
        .as_object()
        .ok_or("no headers")?
        .iter()
        .filter(|(n, _)| {
            !["host", "x-amz-date", "x-amz-content-sha256"]
                .contains(&n.to_ascii_lowercase().as_str())
        })
        .map(|(n, v)| (n.as_str(), v.as_str().unwrap_or_default()))
        .collect();
    let payload_hash = str_field(input, &["payload_hash"]);
    let payload = if payload_hash == "UNSIGNED-PAYLOAD" {
        Payload::Unsigned
    } else {
        Payload::Sha256Hex(payload_hash)
    };
    let req = Request::new(str_field(input, &["method"]), host, path)
        .with_query(query)
        .with_headers(&headers)
        .with_payload(payload);
    let mode = match input["expires_in_seconds"].as_u64() {
        Some(expires_in) => SigningMode::Query { expires_in },
        None => SigningMode::Header,
    };
    let creq = signer
        .canonical_request(&req, time, mode)
        .map_err(|e| e.to_string())?;
    same(
        "canonical request",
        &creq,
        str_field(expected, &["canonical_request"]),
    )?;
    let sts = signer
        .string_to_sign(&req, time, mode)
        .map_err(|e| e.to_string())?;
    same(
        "string to sign",
        &sts,
        str_field(expected, &["string_to_sign"]),
    )?;
    let chain = signer
        .key_chain(time)
        .ok_or("a SigV4 signer has a key chain")?;
    let key_hex = awsig::encoding::hex32(&chain.k_signing[..]);
    same(
        "signing key",
        std::str::from_utf8(&key_hex).unwrap(),
        str_field(expected, &["signing_key_hex"]),
    )?;
    match mode {
        SigningMode::Query { expires_in } => {
            let url = signer
                .presign(&req, time, expires_in)
                .map_err(|e| e.to_string())?;
            same(
                "signature",
                url.signature(),
                str_field(expected, &["signature"]),
            )?;
            same(
                "presigned URL",
                url.as_str(),
                str_field(expected, &["presigned_url"]),
            )
        }
        SigningMode::Header => {
            let auth = signer.authorize(&req, time).map_err(|e| e.to_string())?;
            same(
                "signature",
                auth.signature(),
                str_field(expected, &["signature"]),
            )?;
            // The S3 pages print no space after the commas; the suites do.
            same(
                "Authorization",
                &auth.authorization().replace(", ", ","),
                &str_field(expected, &["authorization"]).replace(", ", ","),
            )
        }
        SigningMode::QueryWithoutExpiry => {
            Err("the documented examples all carry an expiry".into())
        }
    }
}

mod botocore {
    use super::common::{project_vectors_dir, read_json, Tally};
    use awsig::s3::{AddressingStyle, Endpoint, S3Presigner, S3Request};
    use awsig::{Credentials, SigningTime};
    use serde_json::Value;

    /// Re-signs every case of `test-vectors/botocore/s3-presign.json` from its
    /// inputs through the S3 layer and requires botocore's signature and URL.
    pub(crate) fn suite() -> bool {
        let mut tally = Tally::new("botocore");
        let doc = read_json(&project_vectors_dir().join("botocore/s3-presign.json"));
        let cases = doc["cases"].as_array().expect("cases[]");
        assert!(cases.len() >= 200, "only {} botocore cases", cases.len());
        for case in cases {
            let id = case["id"].as_str().unwrap_or("?").to_string();
            let case = case.clone();
            tally.case(&id, move || check(&case));
        }
        tally.finish(Some(cases.len()))
    }

    fn pairs(v: &Value) -> Vec<(String, String)> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|p| {
                        (
                            p[0].as_str().unwrap_or_default().to_string(),
                            p[1].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Presigns a case with the library, as a caller would from its fields.
    pub(crate) fn presign(case: &Value) -> Result<awsig::PresignedUrl<'static>, String> {
        let s = |f: &str| case[f].as_str().unwrap_or_default();
        let mut creds = Credentials::new(s("access_key_id"), s("secret_access_key"))
            .map_err(|e| e.to_string())?;
        if let Some(token) = case["session_token"].as_str() {
            creds = creds.with_session_token(token).map_err(|e| e.to_string())?;
        }
        let style = AddressingStyle::parse(s("addressing_style")).ok_or("bad style")?;
        let mut presigner = S3Presigner::new(creds, s("region"))
            .map_err(|e| e.to_string())?
            .with_addressing_style(style);
        if let Some(endpoint) = case["endpoint_url"].as_str() {
            presigner =
                presigner.with_endpoint(Endpoint::parse(endpoint).map_err(|e| e.to_string())?);
        }
        // Leaked so that the borrowed request outlives this helper; a test only.
        let headers: &'static [(String, String)] =
            Box::leak(pairs(&case["headers"]).into_boxed_slice());
        let header_refs: &'static [(&str, &str)] = Box::leak(
            headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        );
        let query: &'static [(String, String)] =
            Box::leak(pairs(&case["query"]).into_boxed_slice());
        let bucket: &'static str = Box::leak(s("bucket").to_string().into_boxed_str());
        let key: &'static str = Box::leak(s("key").to_string().into_boxed_str());
        let method: &'static str = Box::leak(s("method").to_string().into_boxed_str());
        let mut req = S3Request::new(method, bucket, key)
            .expires_in(case["expires_in"].as_u64().ok_or("no expiry")?)
            .with_headers(header_refs);
        let mut others: Vec<(&str, &str)> = Vec::new();
        for (name, value) in query {
            req = match name.as_str() {
                "versionId" => req.version_id(value),
                "response-cache-control" => req.response_cache_control(value),
                "response-content-disposition" => req.response_content_disposition(value),
                "response-content-encoding" => req.response_content_encoding(value),
                "response-content-language" => req.response_content_language(value),
                "response-content-type" => req.response_content_type(value),
                "response-expires" => req.response_expires(value),
                _ => {
                    others.push((name, value));
                    req
                }
            };
        }
        let others: &'static [(&str, &str)] = Box::leak(others.into_boxed_slice());
        let req = req.with_params(others);
        let time = SigningTime::parse(s("signing_time")).map_err(|e| e.to_string())?;
        presigner.presign(&req, time).map_err(|e| e.to_string())
    }

    /// Splits a URL into (scheme://host lower-cased, with its port as a
    /// number and without a default one; path; sorted raw query pairs).
    pub(crate) fn url_key(url: &str) -> (String, String, Vec<String>) {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let (scheme, rest) = base.split_once("://").unwrap_or(("", base));
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        // botocore keeps a port as written (`:0443`, `:09000`) but signs its
        // number, which is what this crate writes.
        let colon = match host.rfind(']') {
            Some(end) => host[end..].find(':').map(|c| end + c),
            None => host.find(':'),
        };
        let (name, port) = match colon {
            Some(c) => (&host[..c], host[c + 1..].parse::<u32>().ok()),
            None => (host, None),
        };
        let default_port = if scheme == "https" { 443 } else { 80 };
        let host = match port {
            Some(p) if p != default_port => format!("{name}:{p}"),
            _ => name.to_string(),
        }
        .to_ascii_lowercase();
        let mut pairs: Vec<String> = query.split('&').map(str::to_string).collect();
        pairs.sort();
        (format!("{scheme}://{host}"), path.to_string(), pairs)
    }

    /// Every request botocore refuses (the file's `rejected`) is refused
    /// here too, as a typed error.
    pub(crate) fn rejected() -> bool {
        let mut tally = Tally::new("botocore-rejected");
        let doc = read_json(&project_vectors_dir().join("botocore/s3-presign.json"));
        let cases = doc["rejected"].as_array().expect("rejected[]");
        for case in cases {
            let id = case["id"].as_str().unwrap_or("?").to_string();
            let case = case.clone();
            tally.case(&id, move || {
                let s = |f: &str| case[f].as_str().unwrap_or_default();
                let result = (|| {
                    let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
                    let style = AddressingStyle::parse(s("addressing_style"))
                        .unwrap_or(AddressingStyle::Auto);
                    let mut presigner =
                        S3Presigner::new(creds, s("region"))?.with_addressing_style(style);
                    if let Some(endpoint) = case["endpoint_url"].as_str() {
                        presigner = presigner.with_endpoint(Endpoint::parse(endpoint)?);
                    }
                    let time = SigningTime::from_unix_seconds(0)?;
                    presigner
                        .presign(&S3Request::get(s("bucket"), s("key")), time)
                        .map(|url| url.as_str().to_string())
                })();
                match result {
                    Err(_) => Ok(()),
                    Ok(url) => Err(format!(
                        "accepted what botocore refuses ({}): {url}",
                        s("botocore_error")
                    )),
                }
            });
        }
        tally.finish(Some(cases.len()))
    }

    fn check(case: &Value) -> Result<(), String> {
        let url = presign(case)?;
        let url = url.as_str();
        let expected_sig = case["expected_signature"].as_str().unwrap_or_default();
        if !url.ends_with(&format!("X-Amz-Signature={expected_sig}")) {
            return Err(format!(
                "signature differs from {expected_sig}\n ours {url}"
            ));
        }
        let expected = case["expected_url"].as_str().unwrap_or_default();
        // botocore keeps default ports and host case in the URL (it signs
        // neither) and orders the query its own way: compare past those.
        if url_key(url) != url_key(expected) {
            return Err(format!(
                "URL differs:\n ours     {url}\n botocore {expected}"
            ));
        }
        Ok(())
    }
}

/// Every botocore URL verifies inside its validity and fails one second after.
fn botocore_verify() -> bool {
    use awsig::verify::{Verifier, VerifyError};
    let mut tally = Tally::new("botocore-verify");
    let doc = read_json(&common::project_vectors_dir().join("botocore/s3-presign.json"));
    let all = doc["cases"].as_array().expect("cases[]");
    let total = all.len();
    for case in all {
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let case = case.clone();
        tally.case(&id, move || {
            let s = |f: &str| case[f].as_str().unwrap_or_default().to_string();
            let mut creds = Credentials::new(&s("access_key_id"), &s("secret_access_key"))
                .map_err(|e| e.to_string())?;
            if let Some(token) = case["session_token"].as_str() {
                creds = creds.with_session_token(token).map_err(|e| e.to_string())?;
            }
            let key_id = s("access_key_id");
            // The scope names the region that signs (us-east-1 for
            // aws-global, us-gov-west-1 for fips-us-gov-west-1).
            let signing_region = case["signing_region"]
                .as_str()
                .map_or_else(|| s("region"), str::to_string);
            let verifier = Verifier::new(move |id: &str| (id == key_id).then(|| creds.clone()))
                .accept(&signing_region, "s3");
            let headers: Vec<(String, String)> = case["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|h| {
                    (
                        h[0].as_str().unwrap_or_default().to_string(),
                        h[1].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect();
            let header_refs: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let signed = SigningTime::parse(&s("signing_time")).map_err(|e| e.to_string())?;
            let expires = case["expires_in"].as_u64().ok_or("no expiry")?;
            let url = s("expected_url");
            let method = s("method");
            let at = |offset: u64| {
                SigningTime::from_unix_seconds(signed.unix_seconds() + offset as i64).unwrap()
            };
            for inside in [0, expires / 2, expires] {
                verifier
                    .verify_presigned(&method, &url, &header_refs, None, at(inside))
                    .map_err(|e| format!("at +{inside}s: {e}"))?;
            }
            match verifier.verify_presigned(&method, &url, &header_refs, None, at(expires + 1)) {
                Err(VerifyError::Expired { .. }) => Ok(()),
                other => Err(format!("one second after expiry: {other:?}")),
            }
        });
    }
    tally.finish(Some(total))
}

/// The same botocore cases through the `awsig` command-line tool.
#[cfg(feature = "cli")]
mod botocore_cli {
    use super::botocore::url_key;
    use super::common::{project_vectors_dir, read_json, Tally};
    use serde_json::Value;

    pub(crate) fn suite() -> bool {
        let mut tally = Tally::new("botocore-cli");
        let doc = read_json(&project_vectors_dir().join("botocore/s3-presign.json"));
        let cases: Vec<Value> = doc["cases"]
            .as_array()
            .expect("cases[]")
            .iter()
            .filter(|c| c["cli"].as_bool() == Some(true))
            .cloned()
            .collect();
        assert!(cases.len() >= 200, "only {} CLI cases", cases.len());
        let total = cases.len();
        for case in cases {
            let id = case["id"].as_str().unwrap_or("?").to_string();
            tally.case(&id, move || check(&case));
        }
        tally.finish(Some(total))
    }

    fn check(case: &Value) -> Result<(), String> {
        let s = |f: &str| case[f].as_str().unwrap_or_default().to_string();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_awsig"));
        cmd.env_clear()
            .env("HOME", "/nonexistent")
            .env("AWS_ACCESS_KEY_ID", s("access_key_id"))
            .env("AWS_SECRET_ACCESS_KEY", s("secret_access_key"));
        if let Some(token) = case["session_token"].as_str() {
            cmd.env("AWS_SESSION_TOKEN", token);
        }
        cmd.arg("presign")
            .arg(format!("s3://{}/{}", s("bucket"), s("key")))
            .args(["--method", &s("method")])
            .args(["--expires-in", &case["expires_in"].to_string()])
            .args(["--region", &s("region")])
            .args(["--addressing-style", &s("addressing_style")])
            .args(["--signing-time", &s("signing_time")]);
        if let Some(endpoint) = case["endpoint_url"].as_str() {
            cmd.args(["--endpoint-url", endpoint]);
        }
        for h in case["headers"].as_array().into_iter().flatten() {
            cmd.arg("--header").arg(format!(
                "{}: {}",
                h[0].as_str().unwrap_or_default(),
                h[1].as_str().unwrap_or_default()
            ));
        }
        for q in case["query"].as_array().into_iter().flatten() {
            let (name, value) = (
                q[0].as_str().unwrap_or_default(),
                q[1].as_str().unwrap_or_default(),
            );
            if name == "versionId" {
                cmd.args(["--version-id", value]);
            } else {
                cmd.arg("--query").arg(format!("{name}={value}"));
            }
        }
        let out = cmd.output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "exit {}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let url = String::from_utf8(out.stdout).map_err(|e| e.to_string())?;
        let url = url
            .strip_suffix('\n')
            .ok_or("output does not end with a newline")?;
        if url.contains('\n') {
            return Err("more than one line of output".into());
        }
        let expected_sig = case["expected_signature"].as_str().unwrap_or_default();
        if !url.ends_with(&format!("X-Amz-Signature={expected_sig}")) {
            return Err(format!("signature differs: {url}"));
        }
        let expected = case["expected_url"].as_str().unwrap_or_default();
        if url_key(url) != url_key(expected) {
            return Err(format!(
                "URL differs:\n ours     {url}\n botocore {expected}"
            ));
        }
        Ok(())
    }
}

#[cfg(not(feature = "cli"))]
mod botocore_cli {
    /// Without the tool built there is nothing to run; `.ci/test` builds it.
    pub(crate) fn suite() -> bool {
        println!("awsig vectors: botocore-cli not run (needs --features cli, as .ci/test does)");
        true
    }
}

/// Presigned POST: the S3 documentation's worked example (recorded as facts
/// in `test-vectors/aws-docs/s3-post-example.json`) and botocore's
/// `generate_presigned_post` forms (`test-vectors/botocore/s3-post.json`).
#[cfg(feature = "post")]
mod post {
    use super::common::{project_vectors_dir, read_json, Tally};
    use awsig::post::{Policy, PostRequest};
    use awsig::post::{PostError, PostUpload};
    use awsig::s3::{AddressingStyle, Endpoint, S3Presigner};
    use awsig::verify::Verifier;
    use awsig::{Credentials, SigningTime};
    use serde_json::Value;

    fn text<'v>(case: &'v Value, field: &str) -> &'v str {
        case[field].as_str().unwrap_or_default()
    }

    fn credentials(case: &Value) -> Result<Credentials, String> {
        let creds = Credentials::new(text(case, "access_key_id"), text(case, "secret_access_key"))
            .map_err(|e| e.to_string())?;
        match case["session_token"].as_str() {
            Some(token) => creds.with_session_token(token).map_err(|e| e.to_string()),
            None => Ok(creds),
        }
    }

    fn pairs(v: &Value) -> Vec<(String, String)> {
        (v.as_array().into_iter().flatten())
            .map(|p| {
                (
                    p[0].as_str().unwrap_or_default(),
                    p[1].as_str().unwrap_or_default(),
                )
            })
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    /// The documentation's signature, from its policy and the day's key.
    pub(crate) fn aws_docs() -> bool {
        let mut tally = Tally::new("aws-docs-post");
        let doc = read_json(&project_vectors_dir().join("aws-docs/s3-post-example.json"));
        let cases = doc["cases"].as_array().expect("cases[]").clone();
        let total = cases.len();
        for case in cases {
            let id = text(&case, "id").to_string();
            tally.case(&id, move || {
                let s3 = S3Presigner::new(credentials(&case)?, text(&case, "region"))
                    .map_err(|e| e.to_string())?;
                let time =
                    SigningTime::parse(text(&case, "x_amz_date")).map_err(|e| e.to_string())?;
                let ours = (s3.sign_post_policy(text(&case, "policy"), time))
                    .map_err(|e| e.to_string())?;
                super::same("signature", &ours, text(&case, "signature"))?;
                // Its form, as the page writes it, verifies before the
                // policy's expiry (2015-12-30T12:00:00.000Z) and not after.
                let policy = text(&case, "policy").to_string();
                let signature = text(&case, "signature").to_string();
                let form: Vec<(String, String)> = pairs(&case["form"])
                    .into_iter()
                    .map(|(name, value)| match name.as_str() {
                        "Policy" => (name, policy.clone()),
                        "X-Amz-Signature" => (name, signature.clone()),
                        _ => (name, value),
                    })
                    .collect();
                let fields: Vec<(&str, &str)> =
                    form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
                let creds = credentials(&case)?;
                let verifier = Verifier::new(move |_: &str| Some(creds.clone()))
                    .accept(text(&case, "region"), "s3");
                let upload = PostUpload::new(text(&case, "bucket"), &fields, 1024)
                    .with_file_name("C:\\photos\\cat.jpg");
                let at = |t: &str| SigningTime::parse(t).map_err(|e| e.to_string());
                let verified = verifier
                    .verify_post(&upload, at("2015-12-29T10:00:00Z")?)
                    .map_err(|e| format!("the documented form does not verify: {e}"))?;
                super::same("key", verified.key(), "user/user1/cat.jpg")?;
                match verifier.verify_post(&upload, at("2015-12-30T12:00:01Z")?) {
                    Err(PostError::PolicyExpired { .. }) => Ok(()),
                    other => Err(format!("past its expiry the form gave {other:?}")),
                }
            });
        }
        tally.finish(Some(total))
    }

    /// botocore's forms: our signature of its policy, our verifier's
    /// acceptance of its form, and our own form for the same inputs.
    pub(crate) fn botocore() -> bool {
        let mut tally = Tally::new("botocore-post");
        let doc = read_json(&project_vectors_dir().join("botocore/s3-post.json"));
        let cases = doc["cases"].as_array().expect("cases[]").clone();
        assert!(
            cases.len() >= 100,
            "only {} botocore POST cases",
            cases.len()
        );
        let total = cases.len();
        for case in cases {
            let id = text(&case, "id").to_string();
            tally.case(&id, move || check(&case));
        }
        tally.finish(Some(total))
    }

    fn presigner(case: &Value) -> Result<S3Presigner, String> {
        let style = match case["addressing_style"].as_str() {
            Some(style) => AddressingStyle::parse(style).ok_or("bad style")?,
            None => AddressingStyle::Auto,
        };
        let mut s3 = S3Presigner::new(credentials(case)?, text(case, "region"))
            .map_err(|e| e.to_string())?
            .with_addressing_style(style);
        if let Some(url) = case["endpoint_url"].as_str() {
            s3 = s3.with_endpoint(Endpoint::parse(url).map_err(|e| e.to_string())?);
        }
        Ok(s3)
    }

    fn check(case: &Value) -> Result<(), String> {
        let form = pairs(&case["form"]);
        let get = |name: &str| {
            (form.iter())
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default()
        };
        let s3 = presigner(case)?;
        let time = SigningTime::parse(text(case, "time")).map_err(|e| e.to_string())?;

        // 1. Signing botocore's exact policy gives its signature.
        let ours = (s3.sign_post_policy(get("policy"), time)).map_err(|e| e.to_string())?;
        super::same("signature", &ours, get("x-amz-signature"))?;

        // 2. Our verifier accepts botocore's form, and refuses it changed.
        let fields: Vec<(&str, &str)> =
            form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let creds = credentials(case)?;
        let verifier = Verifier::new(move |_: &str| Some(creds.clone()))
            .accept(text(case, "signing_region"), "s3");
        let upload =
            PostUpload::new(text(case, "bucket"), &fields, 4096).with_file_name("photo.jpg");
        let now = time.checked_add(30).ok_or("time")?;
        verifier
            .verify_post(&upload, now)
            .map_err(|e| format!("botocore's form does not verify: {e}"))?;
        let key_changed: Vec<(&str, &str)> = (fields.iter())
            .map(|&(n, v)| {
                if n == "key" {
                    (n, "elsewhere/x")
                } else {
                    (n, v)
                }
            })
            .collect();
        let changed = PostUpload::new(text(case, "bucket"), &key_changed, 4096);
        if !matches!(
            verifier.verify_post(&changed, now),
            Err(PostError::ConditionFailed { .. })
        ) {
            return Err("a changed key verified".into());
        }

        // 3. Our form for the same inputs: botocore's URL, its fields, and
        //    a policy that means the same.
        let expiration = time
            .checked_add(case["expires_in"].as_u64().ok_or("expires_in")?)
            .ok_or("expiration")?;
        let given = pairs(&case["fields"]);
        let mut req = PostRequest::new(text(case, "bucket"), text(case, "key"), expiration);
        for (name, value) in &given {
            req = req.field(name, value);
        }
        for condition in case["conditions"].as_array().into_iter().flatten() {
            req = match condition {
                Value::Object(one) => {
                    let (field, value) = one.iter().next().ok_or("empty condition")?;
                    req.eq(field, value.as_str().unwrap_or_default())
                }
                Value::Array(list) => match list[0].as_str().unwrap_or_default() {
                    "content-length-range" => req.content_length_range(
                        list[1].as_u64().ok_or("min")?,
                        list[2].as_u64().ok_or("max")?,
                    ),
                    op => {
                        let field = list[1].as_str().unwrap_or_default().trim_start_matches('$');
                        let value = list[2].as_str().unwrap_or_default();
                        if op == "eq" {
                            req.eq(field, value)
                        } else {
                            req.starts_with(field, value)
                        }
                    }
                },
                _ => return Err("condition neither object nor list".into()),
            };
        }
        let post = s3.presign_post(&req, time).map_err(|e| e.to_string())?;
        super::same("url", post.url(), text(case, "url"))?;
        let without_policy = |fields: &[(String, String)]| {
            let mut kept: Vec<(String, String)> = (fields.iter())
                .filter(|(n, _)| n != "policy" && n != "x-amz-signature")
                .cloned()
                .collect();
            kept.sort();
            kept
        };
        if without_policy(post.fields()) != without_policy(&form) {
            return Err(format!(
                "fields differ:\n  ours     {:?}\n  botocore {:?}",
                without_policy(post.fields()),
                without_policy(&form)
            ));
        }
        let ours = Policy::from_base64(post.field("policy").unwrap_or_default())?;
        let theirs = Policy::from_base64(get("policy"))?;
        if ours != theirs {
            return Err(format!(
                "policies differ:\n  ours     {ours:?}\n  botocore {theirs:?}"
            ));
        }
        Ok(())
    }
}

#[cfg(not(feature = "post"))]
mod post {
    /// Without the `post` feature there is nothing to run; `.ci/test` enables it.
    pub(crate) fn aws_docs() -> bool {
        println!("awsig vectors: aws-docs-post not run (needs --features post, as .ci/test does)");
        true
    }

    /// As above.
    pub(crate) fn botocore() -> bool {
        println!("awsig vectors: botocore-post not run (needs --features post, as .ci/test does)");
        true
    }
}

/// aws-chunked uploads: the S3 documentation's two worked examples
/// (`test-vectors/aws-docs/s3-chunked-examples.json`), byte for byte.
#[cfg(feature = "chunked")]
mod chunked {
    use super::common::{project_vectors_dir, read_json, Tally};
    use awsig::chunked::{encoded_length, ChunkSigner};
    use awsig::{Credentials, Payload, Request, Signer, SigningTime, Streaming};
    use serde_json::Value;

    pub(crate) fn aws_docs() -> bool {
        let mut tally = Tally::new("aws-docs-chunked");
        let doc = read_json(&project_vectors_dir().join("aws-docs/s3-chunked-examples.json"));
        let creds = Credentials::new(
            doc["credentials"]["access_key_id"].as_str().unwrap(),
            doc["credentials"]["secret_access_key"].as_str().unwrap(),
        )
        .unwrap();
        let cases = doc["cases"].as_array().expect("cases[]").clone();
        let total = cases.len();
        for case in cases {
            let id = case["id"].as_str().unwrap_or("?").to_string();
            let creds = creds.clone();
            tally.case(&id, move || check(&case, creds));
        }
        tally.finish(Some(total))
    }

    fn text<'v>(v: &'v Value, field: &str) -> &'v str {
        v[field].as_str().unwrap_or_default()
    }

    fn pairs(v: &Value) -> Vec<(String, String)> {
        (v.as_array().into_iter().flatten())
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_string(),
                    p[1].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    fn check(case: &Value, creds: Credentials) -> Result<(), String> {
        let mode = match text(case, "mode") {
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" => Streaming::SignedChunks,
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" => Streaming::SignedChunksWithTrailer,
            other => return Err(format!("mode {other}")),
        };
        let signer = Signer::new(creds, text(case, "region"), "s3").map_err(|e| e.to_string())?;
        let time = SigningTime::parse(text(case, "x_amz_date")).map_err(|e| e.to_string())?;
        let headers = pairs(&case["headers"]);
        let borrowed: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let seed = Request::new(text(case, "method"), text(case, "host"), text(case, "path"))
            .with_headers(&borrowed)
            .with_payload(Payload::Streaming(mode));
        let signed = signer.authorize(&seed, time).map_err(|e| e.to_string())?;
        let want_headers = format!("SignedHeaders={},", text(case, "signed_headers"));
        if !signed.authorization().contains(&want_headers) {
            return Err(format!("{} lacks {want_headers}", signed.authorization()));
        }
        super::same(
            "seed signature",
            signed.signature(),
            text(case, "seed_signature"),
        )?;
        let mut chunks = ChunkSigner::new(&signer, signed.values()).unwrap();
        let sizes: Vec<usize> = (case["chunk_sizes"].as_array().unwrap().iter())
            .map(|s| s.as_u64().unwrap() as usize)
            .collect();
        let wanted = case["chunk_signatures"].as_array().unwrap();
        for (size, want) in sizes.iter().zip(wanted) {
            let got = chunks.sign_chunk(&vec![b'a'; *size]);
            super::same(
                &format!("signature of the {size}-byte chunk"),
                &got,
                want.as_str().unwrap(),
            )?;
        }
        // The whole body, framed, against the documented shape and length.
        let trailer = pairs(&case["trailer"]);
        let trailer_refs: Vec<(&str, &str)> = trailer
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let mut framer = ChunkSigner::new(&signer, signed.values()).unwrap();
        let mut body = Vec::new();
        for size in sizes.iter().filter(|s| **s > 0) {
            framer.write_chunk(&vec![b'a'; *size], &mut body);
        }
        if trailer.is_empty() {
            framer.write_final_chunk(&mut body);
        } else {
            framer.write_final_chunk_with_trailer(&trailer_refs, &mut body);
            let want = format!(
                "{}:{}\r\nx-amz-trailer-signature:{}\r\n\r\n",
                trailer[0].0,
                trailer[0].1,
                text(case, "trailer_signature")
            );
            if !body.ends_with(want.as_bytes()) {
                return Err(format!(
                    "the trailer ends {:?}",
                    String::from_utf8_lossy(&body[body.len().saturating_sub(140)..])
                ));
            }
        }
        let lengths: Vec<(&str, usize)> =
            trailer.iter().map(|(n, v)| (n.as_str(), v.len())).collect();
        let predicted = encoded_length(mode, 66_560, 65_536, &lengths).expect("fits in u64");
        if predicted != body.len() as u64 {
            return Err(format!(
                "encoded_length {predicted} but the body is {}",
                body.len()
            ));
        }
        if let Some(documented) = case["content_length"].as_u64() {
            if documented != predicted {
                return Err(format!(
                    "the documented Content-Length is {documented}, ours {predicted}"
                ));
            }
        }
        // The verifier's side: the documented seed verifies, and the body
        // decodes chunk by chunk to the 66,560 bytes of `a`.
        let mut sent: Vec<(String, String)> = headers.clone();
        for (name, value) in signed.headers() {
            sent.push((name.to_string(), value.to_string()));
        }
        let sent: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let creds = Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .map_err(|e| e.to_string())?;
        let verifier = awsig::verify::Verifier::new(move |_: &str| Some(creds.clone()))
            .accept("us-east-1", "s3");
        let url = format!("https://{}{}", text(case, "host"), text(case, "path"));
        let (_, mut chunks) = verifier
            .verify_streaming("PUT", &url, &sent, time)
            .map_err(|e| format!("the documented seed does not verify: {e}"))?;
        let mut data = Vec::new();
        let fed = body
            .chunks(7_001)
            .try_for_each(|part| chunks.feed(part, &mut data));
        if data != vec![b'a'; 66_560] {
            return Err(format!("decoded {} bytes, not the 66,560 of a", data.len()));
        }
        // Every chunk, the trailer's signature and its CRC-32C check out.
        fed.map_err(|e| format!("the documented body fails: {e}"))?;
        chunks.finish().map_err(|e| e.to_string())
    }
}

#[cfg(not(feature = "chunked"))]
mod chunked {
    /// Without the `chunked` feature there is nothing to run; `.ci/test` enables it.
    pub(crate) fn aws_docs() -> bool {
        println!(
            "awsig vectors: aws-docs-chunked not run (needs --features chunked, as .ci/test does)"
        );
        true
    }
}
