//! Unit tests of S3 addressing and presigning.

use super::*;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::scope::SigningTime;
use alloc::string::{String, ToString};

fn presigner(region: &str) -> S3Presigner {
    S3Presigner::new(Credentials::new("AKID", "secret").unwrap(), region).unwrap()
}

fn url_base(p: &S3Presigner, bucket: &str, key: &str) -> String {
    let t = SigningTime::from_unix_seconds(0).unwrap();
    let url = p.presign(&S3Request::get(bucket, key), t).unwrap();
    url.as_str().split('?').next().unwrap().to_string()
}

#[test]
fn addresses_like_the_sdks() {
    assert_eq!(
        url_base(&presigner("us-east-1"), "bkt", "k"),
        "https://bkt.s3.amazonaws.com/k"
    );
    assert_eq!(
        url_base(&presigner("eu-west-1"), "bkt", "a/b"),
        "https://bkt.s3.eu-west-1.amazonaws.com/a/b"
    );
    assert_eq!(
        url_base(&presigner("eu-west-1"), "my.bucket", "k"),
        "https://s3.eu-west-1.amazonaws.com/my.bucket/k"
    );
    assert_eq!(
        url_base(&presigner("cn-north-1"), "bkt", "k"),
        "https://bkt.s3.cn-north-1.amazonaws.com.cn/k"
    );
    let path = presigner("us-west-2").with_addressing_style(AddressingStyle::Path);
    assert_eq!(
        url_base(&path, "bkt", "k"),
        "https://s3.us-west-2.amazonaws.com/bkt/k"
    );
    let custom =
        presigner("us-east-1").with_endpoint(Endpoint::parse("http://127.0.0.1:9000").unwrap());
    assert_eq!(url_base(&custom, "bkt", "k"), "http://127.0.0.1:9000/bkt/k");
    let gw = presigner("us-east-1")
        .with_endpoint(Endpoint::parse("https://gw.example.com:443/s3").unwrap());
    assert_eq!(url_base(&gw, "bkt", "k"), "https://gw.example.com/s3/bkt/k");
    let gw = gw.with_addressing_style(AddressingStyle::Virtual);
    assert_eq!(url_base(&gw, "bkt", "k"), "https://bkt.gw.example.com/s3/k");
}

#[test]
fn encodes_keys_once_and_keeps_dot_segments() {
    assert_eq!(
        url_base(&presigner("us-east-1"), "bkt", "a b/../c//d+e%20f~"),
        "https://bkt.s3.amazonaws.com/a%20b/../c//d%2Be%2520f~"
    );
}

#[test]
fn checks_buckets_and_keys() {
    let p = presigner("us-east-1");
    let t = SigningTime::from_unix_seconds(0).unwrap();
    let too_long = "b".repeat(256);
    for bad in ["", "a/b", "a b", "é", too_long.as_str()] {
        assert!(
            matches!(
                p.presign(&S3Request::get(bad, "k"), t),
                Err(Error::InvalidBucket { .. })
            ),
            "{bad}"
        );
    }
    assert_eq!(
        p.presign(&S3Request::get("bkt", ""), t),
        Err(Error::EmptyKey)
    );
    let big = "k".repeat(MAX_KEY_LEN + 1);
    assert!(matches!(
        p.presign(&S3Request::get("bkt", &big), t),
        Err(Error::KeyTooLong { .. })
    ));
}

#[test]
fn legacy_names_go_path_style_under_auto_and_virtual() {
    let long = "b".repeat(255);
    for name in [
        "b",
        "ab",
        "Upper",
        "under_score",
        "-start",
        "bucket-",
        "a..b",
        "192.168.5.4",
        "my.bucket",
        long.as_str(),
    ] {
        let path = alloc::format!("https://s3.amazonaws.com/{name}/k");
        assert_eq!(url_base(&presigner("us-east-1"), name, "k"), path);
        let virt = presigner("us-east-1").with_addressing_style(AddressingStyle::Virtual);
        assert_eq!(url_base(&virt, name, "k"), path);
    }
}

#[test]
fn auto_region_needs_a_custom_endpoint() {
    let t = SigningTime::from_unix_seconds(0).unwrap();
    // R2's region names no AWS endpoint: `bkt.s3.auto.amazonaws.com`
    // does not exist, so presigning there is an error naming the region.
    for style in [
        AddressingStyle::Auto,
        AddressingStyle::Virtual,
        AddressingStyle::Path,
    ] {
        let aws = presigner("auto").with_addressing_style(style);
        assert_eq!(aws.endpoint(), None);
        assert_eq!(
            aws.presign(&S3Request::get("bkt", "k"), t),
            Err(Error::RegionNeedsCustomEndpoint {
                region: "auto".to_string()
            })
        );
    }
    let err = presigner("auto")
        .canonical_request(&S3Request::get("bkt", "k"), t)
        .unwrap_err();
    assert!(err.to_string().contains("\"auto\""), "{err}");
    assert!(err.to_string().contains("custom endpoint"), "{err}");
    // With the store's endpoint it signs the scope region R2 wants.
    let r2 = presigner("auto").with_endpoint(
        Endpoint::parse("https://0123456789abcdef.r2.cloudflarestorage.com").unwrap(),
    );
    let url = r2.presign(&S3Request::get("bkt", "k"), t).unwrap();
    assert!(url
        .as_str()
        .starts_with("https://0123456789abcdef.r2.cloudflarestorage.com/bkt/k?"));
    assert!(url.as_str().contains("%2Fauto%2Fs3%2Faws4_request"));
}

#[cfg(feature = "post")]
#[test]
fn auto_region_has_no_post_url_without_an_endpoint() {
    assert_eq!(
        presigner("auto").bucket_url("bkt"),
        Err(Error::RegionNeedsCustomEndpoint {
            region: "auto".to_string()
        })
    );
    let r2 = presigner("auto").with_endpoint(Endpoint::parse("https://r2.example").unwrap());
    assert_eq!(r2.bucket_url("bkt").unwrap(), "https://r2.example/bkt");
}

#[test]
fn virtual_sends_names_no_host_takes_path_style() {
    // As botocore's `virtual` does (the S3 endpoint ruleset): a name that
    // cannot be a host label there goes in the path.
    let virt = |region: &str| presigner(region).with_addressing_style(AddressingStyle::Virtual);
    for bucket in ["My_Bucket", "b3", "a..b", "my.bucket"] {
        assert_eq!(
            url_base(&virt("eu-west-1"), bucket, "k"),
            alloc::format!("https://s3.eu-west-1.amazonaws.com/{bucket}/k")
        );
    }
    let https = virt("us-east-1").with_endpoint(Endpoint::parse("https://s3.example.com").unwrap());
    assert_eq!(
        url_base(&https, "my.bucket", "k"),
        "https://s3.example.com/my.bucket/k"
    );
    let http = virt("us-east-1").with_endpoint(Endpoint::parse("http://s3.example.com").unwrap());
    assert_eq!(url_base(&http, "a..b", "k"), "http://s3.example.com/a..b/k");
    // Dots are host labels without TLS.
    assert_eq!(
        url_base(&http, "a.b.c", "k"),
        "http://a.b.c.s3.example.com/k"
    );
}

#[test]
fn virtual_on_an_ip_endpoint_is_path_style() {
    for (endpoint, base) in [
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000/bkt/k"),
        ("http://[::1]:9000", "http://[::1]:9000/bkt/k"),
    ] {
        let p = presigner("us-east-1")
            .with_endpoint(Endpoint::parse(endpoint).unwrap())
            .with_addressing_style(AddressingStyle::Virtual);
        assert_eq!(url_base(&p, "bkt", "k"), base);
    }
}

#[test]
fn default_expiry_is_900_seconds() {
    let p = presigner("us-east-1");
    let t = SigningTime::from_unix_seconds(0).unwrap();
    let url = p.presign(&S3Request::get("bkt", "k"), t).unwrap();
    assert!(url.as_str().contains("X-Amz-Expires=900&"));
    assert_eq!(url.expires_at().map(SigningTime::unix_seconds), Some(900));
}

#[test]
fn signed_headers_are_returned_to_send() {
    let p = presigner("us-east-1");
    let t = SigningTime::from_unix_seconds(0).unwrap();
    let headers = [("Content-Type", "text/plain"), ("x-amz-meta-a", "1")];
    let url = p
        .presign(&S3Request::put("bkt", "k").with_headers(&headers), t)
        .unwrap();
    assert_eq!(url.headers(), &headers);
    assert!(url
        .as_str()
        .contains("X-Amz-SignedHeaders=content-type%3Bhost%3Bx-amz-meta-a&"));
}
