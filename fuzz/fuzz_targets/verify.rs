//! Verifying arbitrary URLs and headers never panics.
#![no_main]

use arbitrary::Arbitrary;
use awsig::verify::Verifier;
use awsig::{Credentials, Payload, SigningTime};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    method: String,
    url: String,
    prefix: bool,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    now: i64,
}

fuzz_target!(|input: Input| {
    let Ok(now) = SigningTime::from_unix_seconds(input.now) else {
        return;
    };
    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
    let verifier = Verifier::new(|_: &str| Some(creds.clone())).accept_any_scope();
    // Half the time the URL starts like a real presigned one, to get deeper.
    let url = if input.prefix {
        format!("https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&{}", input.url)
    } else {
        input.url.clone()
    };
    let headers: Vec<(&str, &str)> = input
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let _ = verifier.verify_presigned(&input.method, &url, &headers, None, now);
    let payload = input.body.as_deref().map(Payload::Bytes);
    let _ = verifier.verify_authorization(&input.method, &url, &headers, payload, now);
    let _ = awsig::explain::explain_presigned(
        &input.method,
        &url,
        &headers,
        Some(&creds),
        awsig::explain::DerivedKeys::Shown,
    );
});
