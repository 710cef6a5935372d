//! S3 Express One Zone on arbitrary directory-bucket names, zones, regions,
//! endpoints and session tokens never panics; every URL it makes verifies
//! in its mode, and not with its session token changed or moved.
#![no_main]

use arbitrary::Arbitrary;
use awsig::s3::{directory_bucket_zone, Endpoint, S3Presigner, S3Request};
use awsig::verify::Verifier;
use awsig::{Credentials, SigningTime};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    /// A whole name, read as a directory bucket's.
    raw_bucket: String,
    base: String,
    zone: String,
    access_point: bool,
    region: String,
    endpoint: Option<String>,
    dual_stack: bool,
    session: bool,
    token: String,
    key: String,
    expires: Option<u16>,
    time: u32,
}

fuzz_target!(|input: Input| {
    let _ = directory_bucket_zone(&input.raw_bucket);
    let suffix = if input.access_point {
        "--xa-s3"
    } else {
        "--x-s3"
    };
    let bucket = format!("{}--{}{suffix}", input.base, input.zone);
    let Ok(creds) =
        Credentials::new("AKIDEXAMPLE", "secret").and_then(|c| match input.token.is_empty() {
            true => Ok(c),
            false => c.with_session_token(&input.token),
        })
    else {
        return;
    };
    let Ok(mut s3) = S3Presigner::new(creds.clone(), &input.region) else {
        return;
    };
    if let Some(endpoint) = &input.endpoint {
        match Endpoint::parse(endpoint) {
            Ok(endpoint) => s3 = s3.with_endpoint(endpoint),
            Err(_) => return,
        }
    }
    if input.dual_stack {
        s3 = s3.with_dual_stack();
    }
    if input.session {
        match s3.with_s3express_session(creds.clone()) {
            Ok(session) => s3 = session,
            Err(_) => return,
        }
    }
    let at = SigningTime::from_unix_seconds(i64::from(input.time)).unwrap();
    let mut req = S3Request::get(&bucket, &input.key);
    if let Some(seconds) = input.expires {
        req = req.expires_in(u64::from(seconds));
    }
    let Ok(url) = s3.presign(&req, at) else {
        return;
    };
    let region = s3.signer().scope().region().to_string();
    let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept(&region, "s3express");
    let verified = verifier.verify_presigned("GET", url.as_str(), &[], None, at);
    assert!(verified.is_ok(), "{url:?}: {verified:?}");
    if input.session && !input.token.is_empty() {
        // The token as any other parameter name, or changed: refused.
        let moved = url
            .as_str()
            .replace("X-Amz-S3session-Token=", "X-Amz-Security-Token=");
        assert!(verifier
            .verify_presigned("GET", &moved, &[], None, at)
            .is_err());
        let changed = url
            .as_str()
            .replace("X-Amz-S3session-Token=", "X-Amz-S3session-Token=x");
        assert!(verifier
            .verify_presigned("GET", &changed, &[], None, at)
            .is_err());
    }
});
