//! Does one shared presigner scale across threads? A server holds one
//! `Arc<S3Presigner>` and presigns from every worker, so anything the
//! workers contend on (the signing-key cache's lock, a shared cache line,
//! the allocator) shows up here and nowhere in the single-threaded benches.
//!
//! Group `threads`, both lines over the same batch of presigns with
//! distinct object keys, from one `Arc<S3Presigner>` whose key for the
//! signing date is already cached:
//!
//! * `one-thread`: the whole batch on one thread;
//! * `two-threads`: the batch split in half over two scoped threads, each
//!   with its own keys.
//!
//! Time is wall clock for the batch, so the throughputs (presigns per
//! second) compare directly. The absolute figures move with the machine's
//! load; the figure that matters is the ratio of `two-threads` to
//! `one-thread` throughput within one run. Two threads that share nothing
//! would reach 2×; the target is at least 1.7×. It needs two otherwise idle
//! cores: on a busier machine the ratio says more about the neighbours.
//!
//! Run: `cargo bench --bench threads`.

// criterion_group! writes an undocumented `pub fn`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use awsig::s3::{S3Presigner, S3Request};
use awsig::{Credentials, SigningTime};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};

const BUCKET: &str = "examplebucket";

/// Presigns per measured iteration. Large enough (milliseconds of work)
/// that waking the threads is noise next to it.
const BATCH: usize = 8192;

/// `count` keys of one length for thread `thread`, made before timing so
/// that formatting them is not measured. The thread number in the key keeps
/// the two threads' keys apart.
fn keys(thread: usize, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| format!("media/{thread}/{i:06}.mp4"))
        .collect()
}

/// Wall-clock time for `iters` rounds of every key set, one thread per set,
/// all from `presigner`.
fn run(
    presigner: &Arc<S3Presigner>,
    time: SigningTime,
    sets: &[Vec<String>],
    iters: u64,
) -> Duration {
    // The clock starts once every thread is up, so spawning (done once
    // for all rounds, and once more for two threads than for one) is not
    // charged to the presigns.
    let start = Barrier::new(sets.len() + 1);
    std::thread::scope(|scope| {
        for keys in sets {
            let presigner = Arc::clone(presigner);
            let start = &start;
            scope.spawn(move || {
                start.wait();
                for _ in 0..iters {
                    for key in keys {
                        let url = presigner
                            .presign(&S3Request::get(BUCKET, key), time)
                            .expect("presign");
                        black_box(url);
                    }
                }
            });
        }
        start.wait();
        let began = Instant::now();
        // Leaving the scope joins the threads: the batch is done when the
        // slower one is.
        began
    })
    .elapsed()
}

fn threads(c: &mut Criterion) {
    let credentials = Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .expect("valid credentials");
    let presigner = Arc::new(S3Presigner::new(credentials, "us-east-1").expect("valid region"));
    // Fixed: the library never reads the clock, and one date keeps every
    // presign on the cached key.
    let time = SigningTime::parse("2013-05-24T00:00:00Z").expect("valid time");
    // Derive and cache the day's key now, so that neither line pays for it.
    presigner
        .presign(&S3Request::get(BUCKET, "warm-up"), time)
        .expect("presign");

    let one = [keys(0, BATCH)];
    let two = [keys(0, BATCH / 2), keys(1, BATCH / 2)];

    let mut group = c.benchmark_group("threads");
    group
        .throughput(Throughput::Elements(BATCH as u64))
        // Each iteration is milliseconds long: flat sampling keeps the
        // run short without the linear ramp's huge last samples.
        .sampling_mode(SamplingMode::Flat)
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("one-thread", |b| {
        b.iter_custom(|iters| run(&presigner, time, &one, iters))
    });
    group.bench_function("two-threads", |b| {
        b.iter_custom(|iters| run(&presigner, time, &two, iters))
    });
    group.finish();
}

criterion_group!(benches, threads);
criterion_main!(benches);
