//! Presigning arbitrary request parts never panics; what signs has a
//! consistent canonical request and URL.
#![no_main]
#[path = "common.rs"]
mod common;

use awsig::SigningMode;
use common::Parts;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|parts: Parts| {
    let (Some(signer), Some(time)) = (parts.signer(), parts.time()) else {
        return;
    };
    let params = Parts::refs(&parts.params);
    let headers = Parts::refs(&parts.headers);
    let req = parts.request(&params, &headers);
    let presigned = signer.presign(&req, time, parts.expires);
    let canonical = signer.canonical_request(
        &req,
        time,
        SigningMode::Query {
            expires_in: parts.expires,
        },
    );
    assert_eq!(
        presigned.is_ok(),
        canonical.is_ok(),
        "presign and canonical_request disagree"
    );
    if let Ok(url) = presigned {
        let url = url.as_str();
        assert!(url.is_ascii(), "non-ASCII URL {url:?}");
        assert!(
            !url.contains(['\r', '\n', ' ', '#']),
            "unsafe byte in {url:?}"
        );
        assert_eq!(url.len() - url.rfind("X-Amz-Signature=").unwrap(), 16 + 64);
        let _ = signer
            .string_to_sign(
                &req,
                time,
                SigningMode::Query {
                    expires_in: parts.expires,
                },
            )
            .unwrap();
    }
});
