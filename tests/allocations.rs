//! Allocation counts are deterministic, so they are tested here (times are
//! for the benchmarks): one heap allocation per presigned URL (the URL,
//! sized exactly), none for header signing into a caller's buffer.
//!
//! The counting allocator needs `unsafe` (a `GlobalAlloc` impl); that is this
//! test binary's, not the library's, which forbids it.

use awsig::s3::{AddressingStyle, Endpoint, S3Presigner, S3Request};
use awsig::{Credentials, Request, Signer, SigningTime};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations (and reallocations) made by `f` on this thread.
fn count<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = f();
    (ALLOCATIONS.with(Cell::get) - before, out)
}

fn creds() -> Credentials {
    Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .unwrap()
}

fn time() -> SigningTime {
    SigningTime::parse("2013-05-24T00:00:00Z").unwrap()
}

#[test]
fn one_allocation_per_presigned_url_exactly_sized() {
    let s3 = S3Presigner::new(creds(), "us-east-1").unwrap();
    let warm = s3
        .presign(&S3Request::get("examplebucket", "test.txt"), time())
        .unwrap();
    drop(warm);
    let headers = [("content-type", "image/png"), ("x-amz-meta-owner", "ops")];
    let requests = [
        S3Request::get("examplebucket", "test.txt").expires_in(86_400),
        S3Request::get("examplebucket", "photos/2024/a b+ü😀.jpg")
            .response_content_type("image/jpeg")
            .response_content_disposition("attachment; filename*=UTF-8''a%20b.jpg"),
        S3Request::put("examplebucket", "up/load.png").with_headers(&headers),
        S3Request::get("my.dotted.bucket", "path/style.txt").version_id("v1"),
    ];
    for req in requests {
        let (n, url) = count(|| s3.presign(&req, time()).unwrap());
        assert_eq!(n, 1, "allocations for {}", url.as_str());
        let url = url.into_string();
        assert_eq!(url.capacity(), url.len(), "URL not sized exactly: {url}");
    }
    // A long URL (past 2 KiB, and with a key that escapes most bytes) is
    // sized by the same arithmetic: still exactly one allocation.
    let long_key = "ü/".repeat(340);
    let (n, url) = count(|| {
        s3.presign(&S3Request::get("examplebucket", &long_key), time())
            .unwrap()
    });
    let url = url.into_string();
    assert!(url.len() > 2048, "{} bytes: not a long URL", url.len());
    assert_eq!(n, 1, "allocations for a {}-byte URL", url.len());
    assert_eq!(url.capacity(), url.len(), "long URL not sized exactly");
    let token =
        S3Presigner::new(creds().with_session_token("tok/en+=").unwrap(), "eu-west-1").unwrap();
    let _ = token.presign(&S3Request::get("bkt", "k"), time()).unwrap();
    let (n, _) = count(|| token.presign(&S3Request::get("bkt", "k"), time()).unwrap());
    assert_eq!(n, 1, "with a session token");
}

#[test]
fn generic_presign_allocates_only_the_url() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let req = Request::new("GET", "examplebucket.s3.amazonaws.com", "/test.txt")
        .with_query("a=1&b=x%20y");
    let _ = signer.presign(&req, time(), 900).unwrap();
    let (n, url) = count(|| signer.presign(&req, time(), 900).unwrap());
    assert_eq!(n, 1);
    let url = url.into_string();
    assert_eq!(url.capacity(), url.len());
}

#[test]
fn header_signing_into_a_callers_buffer_allocates_nothing() {
    let signer = Signer::new(creds(), "us-east-1", "s3").unwrap();
    let headers = [("range", "bytes=0-9")];
    let req = Request::new("GET", "examplebucket.s3.amazonaws.com", "/test.txt")
        .with_headers(&headers)
        .with_payload(awsig::Payload::Empty);
    let mut out = String::with_capacity(512);
    let _ = signer.authorize_into(&req, time(), &mut out).unwrap();
    out.clear();
    let (n, signed) = count(|| signer.authorize_into(&req, time(), &mut out).unwrap());
    assert_eq!(n, 0, "allocations while header signing");
    // The S3 documentation's GET Object example.
    assert_eq!(
        signed.signature(),
        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    );
    assert!(out.ends_with(signed.signature()));
}

#[test]
fn verifying_a_presigned_url_allocates_only_what_it_returns() {
    use awsig::verify::Verifier;
    use std::sync::Arc;
    let known = Arc::new(creds());
    let verifier =
        Verifier::new(move |id: &str| (id == "AKIAIOSFODNN7EXAMPLE").then(|| Arc::clone(&known)))
            .accept("us-east-1", "s3");
    let s3 = S3Presigner::new(creds(), "us-east-1").unwrap();
    let headers = [("content-type", "image/png")];
    let now = SigningTime::parse("2013-05-24T00:10:00Z").unwrap();
    let cases: [(S3Request<'_>, &[(&str, &str)]); 2] = [
        (S3Request::get("examplebucket", "test.txt"), &[]),
        (
            S3Request::put("examplebucket", "a b/ü.png").with_headers(&headers),
            &headers,
        ),
    ];
    for (req, sent) in cases {
        let url = s3.presign(&req, time()).unwrap().into_string();
        // The first verification derives and keeps the day's key.
        verifier
            .verify_presigned(req.method(), &url, sent, None, now)
            .unwrap();
        let (n, verified) =
            count(|| verifier.verify_presigned(req.method(), &url, sent, None, now));
        let verified = verified.unwrap();
        // One String holds the credential and the signed header list.
        assert_eq!(n, 1, "allocations verifying {url}");
        assert!(verified.signed_headers().any(|h| h == "host"));
    }
}

/// One allocation per presigned URL holds across the S3 layer's newer paths:
/// other partitions, pseudo-regions, custom endpoints with written ports, and
/// the longest legacy bucket names in path style.
#[test]
fn one_allocation_per_url_in_every_setup() {
    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
    let time = SigningTime::parse("2013-05-24T00:00:00Z").unwrap();
    let legacy = "L".repeat(255);
    let setups = [
        ("us-isob-east-1", None, AddressingStyle::Auto, "bkt"),
        ("fips-us-gov-west-1", None, AddressingStyle::Virtual, "bkt"),
        ("aws-global", None, AddressingStyle::Path, "bkt"),
        (
            "eusc-de-east-1",
            None,
            AddressingStyle::Auto,
            "My_Legacy.Bucket",
        ),
        ("us-east-1", None, AddressingStyle::Auto, legacy.as_str()),
        (
            "us-east-1",
            Some("https://gw.example.com:09443/a/longer/prefix"),
            AddressingStyle::Path,
            legacy.as_str(),
        ),
        (
            "us-east-1",
            Some("http://s3.example.com:080"),
            AddressingStyle::Virtual,
            "a.b.c",
        ),
    ];
    for (region, endpoint, style, bucket) in setups {
        let mut p = S3Presigner::new(creds.clone(), region)
            .unwrap()
            .with_addressing_style(style);
        if let Some(e) = endpoint {
            p = p.with_endpoint(Endpoint::parse(e).unwrap());
        }
        let req = S3Request::get(bucket, "k/a b.txt");
        drop(p.presign(&req, time).unwrap());
        let (n, url) = count(|| p.presign(&req, time).unwrap());
        assert_eq!(n, 1, "{region} {endpoint:?} {bucket}: {}", url.as_str());
    }
}

/// A presigner made for one URL (a cold presign) allocates what it keeps and
/// nothing more: its scope text, its encoded credential, the day's signing
/// key kept for the next URL, and the URL, and what a region needs besides. A scope that grew while written, a copy of the region
/// per endpoint, or a credential in two pieces would each add one.
#[test]
fn a_presigner_made_per_url_allocates_what_it_keeps() {
    // (region, what it keeps besides scope, credential, key and URL):
    // eu-west-1's host is written for it; `aws-global` signs as us-east-1
    // and keeps the name it was given for a custom endpoint.
    for (region, extra) in [("us-east-1", 0), ("eu-west-1", 1), ("aws-global", 1)] {
        let creds = creds();
        let (n, url) = count(|| {
            let presigner = S3Presigner::new(creds, region).unwrap();
            presigner
                .presign(&S3Request::get("examplebucket", "test.txt"), time())
                .unwrap()
        });
        assert_eq!(n, 4 + extra, "{region}: {}", url.as_str());
    }
}
