//! Header signing of arbitrary request parts never panics, and the
//! Authorization value holds no control byte.
#![no_main]
#[path = "common.rs"]
mod common;

use common::Parts;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|parts: Parts| {
    let (Some(signer), Some(time)) = (parts.signer(), parts.time()) else {
        return;
    };
    let params = Parts::refs(&parts.params);
    let headers = Parts::refs(&parts.headers);
    let req = parts.request(&params, &headers);
    let mut out = String::new();
    if let Ok(signed) = signer.authorize_into(&req, time, &mut out) {
        assert!(
            !out.bytes().any(|b| b.is_ascii_control()),
            "control byte in {out:?}"
        );
        assert!(out.ends_with(signed.signature()));
        let full = signer.authorize(&req, time).unwrap();
        assert_eq!(full.authorization(), out);
    }
});
