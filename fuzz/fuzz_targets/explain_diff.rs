//! Parsing arbitrary S3 error bodies and diffing them never panics.
#![no_main]

use awsig::explain::{
    compare_with_s3, explain_presigned, first_difference, parse_s3_error, DerivedKeys,
};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

fuzz_target!(|body: &str| {
    static OURS: OnceLock<awsig::explain::Explanation> = OnceLock::new();
    let ours =
        OURS.get_or_init(|| explain_presigned("GET", URL, &[], None, DerivedKeys::Hidden).unwrap());
    let s3 = parse_s3_error(body);
    if let Some(d) = compare_with_s3(ours, &s3) {
        assert!(d.line >= 1 && d.column >= 1);
        let _ = d.to_string();
    }
    let _ = first_difference(body, ours.canonical_request());
});
