//! S3 Express One Zone: botocore-generated cases (`test-vectors/botocore/
//! s3express.json`, by `generate_s3express.py`) and smithy-rs's published
//! ones among them. One line per suite: the endpoints botocore's rules
//! build (and the names they refuse), presigned URLs, header signatures and
//! POST forms in session and IAM mode, each verified by this crate's
//! verifier as well.

use super::common::{project_vectors_dir, read_json, Tally};
use awsig::post::{PostRequest, PostUpload};
use awsig::s3::{Endpoint, S3Presigner, S3Request};
use awsig::verify::Verifier;
use awsig::{
    Credentials, Payload, Request, SessionTokenMode, Settings, Signer, SigningMode, SigningTime,
    Streaming,
};
use serde_json::Value;
use std::collections::BTreeSet;

pub(crate) fn suites() -> bool {
    let doc = read_json(&project_vectors_dir().join("botocore/s3express.json"));
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    let mut all = endpoints(&doc);
    for (suite, form) in [
        ("botocore-s3express-presign", "presign"),
        ("botocore-s3express-header", "header"),
        ("botocore-s3express-post", "post"),
    ] {
        let mut tally = Tally::new(suite);
        let mine: Vec<&Value> = cases.iter().filter(|c| c["form"] == form).collect();
        let expected = doc["counts"]
            .as_object()
            .map(|counts| {
                (counts.iter())
                    .filter(|(k, _)| k.starts_with(&format!("{form}/")))
                    .map(|(_, v)| v.as_u64().unwrap_or(0) as usize)
                    .sum::<usize>()
            })
            .unwrap_or(0);
        for case in mine {
            let case = case.clone();
            let id = text(&case, "id").to_string();
            tally.case(&id, move || match form {
                "presign" => presign(&case),
                "header" => header(&case),
                _ => post(&case),
            });
        }
        all &= tally.finish(Some(expected.max(1)));
    }
    all
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

fn creds(case: &Value) -> Credentials {
    let c = &case["credentials"];
    let creds = Credentials::new(text(c, "access_key_id"), text(c, "secret_access_key")).unwrap();
    match c["session_token"].as_str() {
        Some(token) => creds.with_session_token(token).unwrap(),
        None => creds,
    }
}

fn time(case: &Value) -> SigningTime {
    SigningTime::parse(text(case, "time")).unwrap()
}

fn same(what: &str, got: &str, want: &str) -> Result<(), String> {
    match got == want {
        true => Ok(()),
        false => Err(format!("{what}:\n got {got}\nwant {want}")),
    }
}

/// The presigner the case's client had: its region (FIPS as botocore's
/// `fips-` regions ask), endpoint, dual-stack and mode.
fn presigner(case: &Value) -> Result<S3Presigner, String> {
    let region = match case["use_fips"].as_bool() == Some(true) {
        true => format!("fips-{}", text(case, "region")),
        false => text(case, "region").to_string(),
    };
    let mut s3 = S3Presigner::new(creds(case), &region).map_err(|e| e.to_string())?;
    if let Some(url) = case["endpoint_url"].as_str() {
        s3 = s3.with_endpoint(Endpoint::parse(url).map_err(|e| e.to_string())?);
    }
    if case["use_dualstack"].as_bool() == Some(true) {
        s3 = s3.with_dual_stack();
    }
    if case["mode"] == "session" {
        s3 = s3
            .with_s3express_session(creds(case))
            .map_err(|e| e.to_string())?;
    }
    Ok(s3)
}

/// A URL's base and its parameters as a set: botocore writes the session
/// token after `X-Amz-SignedHeaders`, this crate in canonical order.
fn url_parts(url: &str) -> (&str, BTreeSet<&str>) {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    (base, query.split('&').filter(|p| !p.is_empty()).collect())
}

fn presign(case: &Value) -> Result<(), String> {
    let s3 = presigner(case)?;
    let headers = pairs(&case["headers"]);
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let query = pairs(&case["query"]);
    let query: Vec<(&str, &str)> = query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let mut req = S3Request::new(
        text(case, "method"),
        text(case, "bucket"),
        text(case, "key"),
    )
    .with_headers(&headers)
    .with_params(&query);
    if let Some(seconds) = case["expires"].as_u64() {
        req = req.expires_in(seconds);
    }
    let url = s3.presign(&req, time(case)).map_err(|e| e.to_string())?;
    let canonical = s3
        .canonical_request(&req, time(case))
        .map_err(|e| e.to_string())?;
    same(
        "canonical request",
        &canonical,
        text(case, "canonical_request"),
    )?;
    same("signature", url.signature(), text(case, "signature"))?;
    let (ours, theirs) = (url_parts(url.as_str()), url_parts(text(case, "url")));
    if ours != theirs {
        return Err(format!(
            "URL\n got {}\nwant {}",
            url.as_str(),
            text(case, "url")
        ));
    }
    // The server's side: the URL verifies where it was meant to, in its
    // validity, and not once altered.
    let creds = creds(case);
    let verifier = Verifier::new(move |_: &str| Some(creds.clone()))
        .accept(text(case, "signing_region"), "s3express");
    let at = time(case);
    verifier
        .verify_presigned(text(case, "method"), url.as_str(), &headers, None, at)
        .map_err(|e| format!("our verifier refused it: {e}"))?;
    let tampered = url.as_str().replacen("X-Amz-Date=", "X-Amz-Date=1", 1);
    if verifier
        .verify_presigned(text(case, "method"), &tampered, &headers, None, at)
        .is_ok()
    {
        return Err("a tampered URL verified".into());
    }
    Ok(())
}

fn header(case: &Value) -> Result<(), String> {
    let mut settings = Settings::for_service("s3express");
    if case["mode"] == "session" {
        settings.session_token = SessionTokenMode::S3ExpressSession;
    }
    let signer = Signer::new(creds(case), text(case, "signing_region"), "s3express")
        .map_err(|e| e.to_string())?
        .with_settings(settings);
    let url = text(case, "url");
    let parts = awsig::request::parse_url(url).map_err(|e| e.to_string())?;
    let headers = pairs(&case["headers"]);
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let payload = match text(case, "payload_hash") {
        "UNSIGNED-PAYLOAD" => Payload::Unsigned,
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER" => Payload::Streaming(Streaming::UnsignedWithTrailer),
        hash => Payload::Sha256Hex(hash),
    };
    let req = Request::new(text(case, "method"), parts.host, parts.path)
        .with_scheme(parts.scheme)
        .with_query(parts.query)
        .with_headers(&headers)
        .with_payload(payload);
    let at = time(case);
    let canonical = signer
        .canonical_request(&req, at, SigningMode::Header)
        .map_err(|e| e.to_string())?;
    same(
        "canonical request",
        &canonical,
        text(case, "canonical_request"),
    )?;
    let signed = signer.authorize(&req, at).map_err(|e| e.to_string())?;
    same("signature", signed.signature(), text(case, "signature"))?;
    // Every header botocore sent, ours by the same names and values.
    let sent = pairs(&case["signed_headers"]);
    for (name, value) in signed.headers() {
        let theirs = sent.iter().find(|(n, _)| n.eq_ignore_ascii_case(name));
        match theirs {
            Some((_, v)) if v == value => {}
            _ => {
                return Err(format!(
                    "header {name}: {value:?}, botocore sent {theirs:?}"
                ))
            }
        }
    }
    // The token, under the name the signature says it goes in: session
    // mode's own header, never X-Amz-Security-Token.
    let token_header = match case["mode"] == "session" {
        true => "x-amz-s3session-token",
        false => "X-Amz-Security-Token",
    };
    let token_sent = |token: &str| {
        sent.iter()
            .any(|(n, v)| n.eq_ignore_ascii_case(token_header) && v == token)
    };
    let values = signed.values();
    match values.security_token() {
        Some(token) if values.session_token_header() == token_header && token_sent(token) => {}
        None if case["mode"] != "session" => {}
        token => {
            return Err(format!(
                "token under {}, botocore sent it under {token_header} (present: {})",
                values.session_token_header(),
                token.is_some()
            ))
        }
    }
    // The server's side: botocore's request verifies (the token out of
    // place is in tests/attacks.rs).
    let sent: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let creds = creds(case);
    let verifier = Verifier::new(move |_: &str| Some(creds.clone()))
        .accept(text(case, "signing_region"), "s3express");
    let body = match payload {
        Payload::Sha256Hex(hash) => Some(Payload::Sha256Hex(hash)),
        _ => None,
    };
    if !matches!(payload, Payload::Streaming(_)) {
        verifier
            .verify_authorization(text(case, "method"), url, &sent, body, at)
            .map_err(|e| format!("our verifier refused botocore's request: {e}"))?;
    }
    Ok(())
}

fn post(case: &Value) -> Result<(), String> {
    let s3 = presigner(case)?;
    let at = time(case);
    let fields = case["fields"].as_object().ok_or("no fields")?;
    let field = |name: &str| fields.get(name).and_then(Value::as_str).unwrap_or_default();
    // botocore's policy, signed here, is botocore's signature.
    let signed = s3
        .sign_post_policy_for(text(case, "bucket"), field("policy"), at)
        .map_err(|e| e.to_string())?;
    same("policy signature", &signed, field("x-amz-signature"))?;
    // Our verifier takes botocore's form, session token field and all.
    let form: Vec<(&str, &str)> = (fields.iter())
        .map(|(n, v)| (n.as_str(), v.as_str().unwrap_or_default()))
        .collect();
    let creds = creds(case);
    let verifier = Verifier::new(move |_: &str| Some(creds.clone()))
        .accept(text(case, "signing_region"), "s3express");
    let upload = PostUpload::new(text(case, "bucket"), &form, 1);
    verifier
        .verify_post(&upload, at)
        .map_err(|e| format!("our verifier refused botocore's form: {e}"))?;
    // Our form for the same upload: botocore's URL, the token as S3
    // Express names it.
    let until = SigningTime::from_unix_seconds(
        at.unix_seconds() + case["expires"].as_i64().unwrap_or(3600),
    )
    .unwrap();
    let ours = s3
        .presign_post(
            &PostRequest::new(text(case, "bucket"), text(case, "key"), until),
            at,
        )
        .map_err(|e| e.to_string())?;
    same("form URL", ours.url(), text(case, "post_url"))?;
    let token = ours.field("X-Amz-S3session-Token").unwrap_or_default();
    same("session token field", token, field("X-Amz-S3session-Token"))
}

/// The endpoints botocore's rules build for a directory bucket's GetObject,
/// and the names they refuse.
fn endpoints(doc: &Value) -> bool {
    let mut tally = Tally::new("botocore-s3express-endpoints");
    let records = doc["endpoints"].as_array().cloned().unwrap_or_default();
    let total = records.len();
    for record in records {
        let id = text(&record, "id").to_string();
        tally.case(&id, move || {
            let case = serde_json::json!({
                "credentials": {"access_key_id": "AKIDEXAMPLE", "secret_access_key": "secret", "session_token": "t"},
                "region": record["region"], "use_fips": record["use_fips"],
                "use_dualstack": record["use_dualstack"], "endpoint_url": record["endpoint_url"],
                "mode": if record["disable_s3express_session_auth"] == true { "iam" } else { "session" },
            });
            let at = SigningTime::parse("20130524T000000Z").unwrap();
            let got = presigner(&case).and_then(|s3| {
                s3.presign(&S3Request::get(text(&record, "bucket"), "k"), at)
                    .map(|u| u.as_str().to_string())
                    .map_err(|e| e.to_string())
            });
            match (got, record["error"].as_str()) {
                (Err(_), Some(_)) => Ok(()),
                (Ok(url), Some(error)) => Err(format!("botocore refuses ({error}), we gave {url}")),
                (Err(e), None) => Err(e),
                (Ok(url), None) => {
                    let want = format!("{}/k?", text(&record, "url_prefix"));
                    match url.starts_with(&want) {
                        true => Ok(()),
                        false => Err(format!("{url} is not at {want}")),
                    }
                }
            }
        });
    }
    tally.finish(Some(total))
}
