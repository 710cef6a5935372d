//! The S3 layer on arbitrary buckets, keys and endpoints never panics, and
//! every URL it makes verifies.
#![no_main]

use arbitrary::Arbitrary;
use awsig::s3::{AddressingStyle, Endpoint, S3Presigner, S3Request};
use awsig::verify::Verifier;
use awsig::{Credentials, SigningTime};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    method: String,
    bucket: String,
    key: String,
    region: String,
    endpoint: Option<String>,
    style: u8,
    expires: u64,
    version: Option<String>,
    disposition: Option<String>,
    params: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    time: u32,
}

fuzz_target!(|input: Input| {
    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
    let Ok(mut presigner) = S3Presigner::new(creds.clone(), &input.region) else {
        return;
    };
    presigner = presigner.with_addressing_style(match input.style % 3 {
        0 => AddressingStyle::Auto,
        1 => AddressingStyle::Virtual,
        _ => AddressingStyle::Path,
    });
    if let Some(e) = &input.endpoint {
        match Endpoint::parse(e) {
            Ok(e) => presigner = presigner.with_endpoint(e),
            Err(_) => return,
        }
    }
    let params: Vec<(&str, &str)> = input
        .params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let headers: Vec<(&str, &str)> = input
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let mut req = S3Request::new(&input.method, &input.bucket, &input.key)
        .expires_in(input.expires)
        .with_params(&params)
        .with_headers(&headers);
    if let Some(v) = &input.version {
        req = req.version_id(v);
    }
    if let Some(d) = &input.disposition {
        req = req.response_content_disposition(d);
    }
    let time = SigningTime::from_unix_seconds(i64::from(input.time)).unwrap();
    let Ok(url) = presigner.presign(&req, time) else {
        return;
    };
    let verifier = Verifier::new(|_: &str| Some(creds.clone())).accept_any_scope();
    let sent: Vec<(&str, &str)> = url.headers().to_vec();
    if let Err(e) = verifier.verify_presigned(&input.method, url.as_str(), &sent, None, time) {
        panic!(
            "a URL the S3 layer made does not verify: {e}\n{}",
            url.as_str()
        );
    }
});
