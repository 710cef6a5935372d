//! Browser uploads never panic: presigning arbitrary POST requests, reading
//! arbitrary policies, and verifying arbitrary uploads (half of them with a
//! policy signed as the verifier expects, so that the policy reader and the
//! condition checks are reached).
#![no_main]

use arbitrary::Arbitrary;
use awsig::post::PostUpload;
use awsig::post::{Policy, PostRequest};
use awsig::s3::S3Presigner;
use awsig::verify::Verifier;
use awsig::{Credentials, SigningTime};
use base64::Engine;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Cond {
    Eq(String, String),
    StartsWith(String, String),
    Range(u64, u64),
}

#[derive(Debug, Arbitrary)]
struct Input {
    bucket: String,
    key: String,
    expires_in: u32,
    conditions: Vec<Cond>,
    fields: Vec<(String, String)>,
    policy_json: String,
    signed: bool,
    file_name: Option<String>,
    size: u64,
    now_offset: i16,
}

const SIGNED_AT: i64 = 1_369_353_600; // 2013-05-24T00:00:00Z

fuzz_target!(|input: Input| {
    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
    let s3 = S3Presigner::new(creds.clone(), "us-east-1").unwrap();
    let at = SigningTime::from_unix_seconds(SIGNED_AT).unwrap();

    // Presigning whatever is asked.
    let expiration = at.checked_add(u64::from(input.expires_in)).unwrap_or(at);
    let mut req = PostRequest::new(&input.bucket, &input.key, expiration);
    for c in &input.conditions {
        req = match c {
            Cond::Eq(f, v) => req.eq(f, v),
            Cond::StartsWith(f, p) => req.starts_with(f, p),
            Cond::Range(min, max) => req.content_length_range(*min, *max),
        };
    }
    for (n, v) in &input.fields {
        req = req.field(n, v);
    }
    if let Ok(form) = s3.presign_post(&req, at) {
        let _ = (form.html_form(), form.to_json(), format!("{form:?}"));
        // A form the signer made verifies, at its signing time.
        let fields: Vec<(&str, &str)> = form
            .fields()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let _ = Verifier::new(|_: &str| Some(creds.clone()))
            .accept("us-east-1", "s3")
            .verify_post(&PostUpload::new(&input.bucket, &fields, input.size), at);
    }

    // Reading any policy text.
    let _ = Policy::from_base64(&input.policy_json);
    let policy = base64::engine::general_purpose::STANDARD.encode(&input.policy_json);
    if let Ok(p) = Policy::from_base64(&policy) {
        let _ = p.to_base64();
    }

    // Verifying any upload, signed or not.
    let signature = s3.sign_post_policy(&policy, at).unwrap();
    let mut fields: Vec<(&str, &str)> = input
        .fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    if input.signed {
        fields.extend([
            ("key", input.key.as_str()),
            ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
            (
                "x-amz-credential",
                "AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request",
            ),
            ("x-amz-date", "20130524T000000Z"),
            ("policy", policy.as_str()),
            ("x-amz-signature", signature.as_str()),
        ]);
    }
    let now = SigningTime::from_unix_seconds(SIGNED_AT + i64::from(input.now_offset)).unwrap();
    let mut upload = PostUpload::new(&input.bucket, &fields, input.size);
    if let Some(name) = &input.file_name {
        upload = upload.with_file_name(name);
    }
    let verifier = Verifier::new(|_: &str| Some(creds.clone())).accept_any_scope();
    let _ = verifier.verify_post(&upload, now);
});
