//! One allocation per presigned URL holds across the S3 layer's newer paths:
//! other partitions, pseudo-regions, custom endpoints with written ports, and
//! the longest legacy bucket names in path style.
//!
//! The counting allocator needs `unsafe` (a `GlobalAlloc` impl); that is this
//! test binary's, not the library's, which forbids it.

use sigv4::s3::{AddressingStyle, Endpoint, S3Presigner, S3Request};
use sigv4::{Credentials, SigningTime};
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
