//! Heap allocations per presign, for each implementation (informational).
//! A counting global allocator wraps the system one; each implementation
//! presigns once to warm up (key cache, lazy statics), then 1000 times.
//!
//! `cargo run -p awsig-peer-bench --release --bin allocs`

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static REALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        REALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size.saturating_sub(layout.size()) as u64, Relaxed);
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

use awsig_peer_bench::{presign_runs, verify_all};

const N: u64 = 1000;

/// Runs `f` once to warm up, then `N` times; returns per-call
/// (allocations, reallocations, bytes).
fn measure<T>(mut f: impl FnMut() -> T) -> (f64, f64, f64) {
    drop(black_box(f()));
    let (a0, r0, b0) = (
        ALLOCS.load(Relaxed),
        REALLOCS.load(Relaxed),
        BYTES.load(Relaxed),
    );
    for _ in 0..N {
        drop(black_box(f()));
    }
    let per = |now: u64, then: u64| (now - then) as f64 / N as f64;
    (
        per(ALLOCS.load(Relaxed), a0),
        per(REALLOCS.load(Relaxed), r0),
        per(BYTES.load(Relaxed), b0),
    )
}

fn main() {
    verify_all();

    let rows: Vec<_> = presign_runs()
        .into_iter()
        .map(|(name, mut presign)| (name, measure(&mut presign)))
        .collect();

    println!("### Heap allocations per presign ({N} presigns each, after one warm-up)\n");
    println!("| implementation | allocations | reallocations | bytes allocated |");
    println!("|---|---:|---:|---:|");
    for (name, (allocs, reallocs, bytes)) in rows {
        println!("| `{name}` | {allocs:.1} | {reallocs:.1} | {bytes:.0} |");
    }
}
