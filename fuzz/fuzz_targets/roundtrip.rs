//! Anything presigned with a service's default settings verifies.
#![no_main]
#[path = "common.rs"]
mod common;

use awsig::verify::Verifier;
use awsig::{Credentials, Signer};
use common::Parts;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|parts: Parts| {
    let Some(time) = parts.time() else { return };
    let Ok(creds) = Credentials::new(&parts.key_id, &parts.secret) else {
        return;
    };
    let creds = match &parts.token {
        Some(t) => match creds.with_session_token(t) {
            Ok(c) => c,
            Err(_) => return,
        },
        None => creds,
    };
    let Ok(signer) = Signer::new(creds.clone(), &parts.region, &parts.service) else {
        return;
    };
    let params = Parts::refs(&parts.params);
    let headers = Parts::refs(&parts.headers);
    // The payload of a presigned URL is the service's: no explicit payload here.
    let mut req = awsig::Request::new(&parts.method, &parts.host, &parts.path)
        .with_query(&parts.query)
        .with_params(&params)
        .with_headers(&headers);
    if !parts.https {
        req = req.with_scheme(awsig::Scheme::Http);
    }
    let Ok(url) = signer.presign(&req, time, parts.expires) else {
        return;
    };
    // Double encoding signs the path as given; a URL can carry it byte for
    // byte only when it holds no byte the URL had to escape.
    let carried = |b: u8| b.is_ascii_alphanumeric() || b"-._~/%!$&'()*+,;=:@".contains(&b);
    if parts.service != "s3" && !parts.path.bytes().all(carried) {
        return;
    }
    let verifier = Verifier::new(|_: &str| Some(creds.clone())).accept_any_scope();
    // No payload was signed: the request came without a body.
    let body = Some(awsig::Payload::Empty);
    if let Err(e) = verifier.verify_presigned(&parts.method, url.as_str(), &headers, body, time) {
        panic!("presigned but does not verify: {e}\n{}", url.as_str());
    }
});
