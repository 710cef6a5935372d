//! Ratios measured interleaved, for a shared, noisy machine: each round runs
//! a short batch of every implementation in turn, so a burst of load from
//! elsewhere hits them all alike; the medians over the rounds give the
//! ratios. A cross-check of the criterion run, not a replacement for it.
//!
//! `cargo run -p awsig-peer-bench --release --bin ratios [ROUNDS]`

use std::hint::black_box;
use std::time::Instant;

use awsig_peer_bench::{ours, presign_runs, verify_all};

const BATCH: u32 = 1000;

/// One implementation under measurement: its name and one call.
type Run<'a> = (&'static str, Box<dyn FnMut() -> usize + 'a>);

/// Nanoseconds per call of `f`, over one batch.
fn batch<T>(f: &mut dyn FnMut() -> T) -> f64 {
    let start = Instant::now();
    for _ in 0..BATCH {
        black_box(f());
    }
    start.elapsed().as_nanos() as f64 / f64::from(BATCH)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    verify_all();

    let presigner = ours::presigner();
    let url = ours::presign_cached(&presigner, ours::time()).into_string();
    let verifier = ours::verifier();
    let now = ours::verify_time();
    verifier
        .verify_presigned("GET", &url, &[], None, now)
        .expect("the URL verifies");
    let tight_keyed = awsig_peer_bench::tight::hmac_sha2::presigner(&awsig_peer_bench::tight::TIME);
    let checked = awsig_peer_bench::tight::checked::verifier(&awsig_peer_bench::tight::TIME);
    let now_unix = now.unix_seconds();
    let block = [0x5au8; 64];
    let mut state = [0u32; 8];

    let mut runs: Vec<Run<'_>> = vec![(
        "sha256-compress",
        Box::new(|| {
            sha2::block_api::compress256(black_box(&mut state), std::slice::from_ref(&block));
            state[0] as usize
        }),
    )];
    for (name, presign) in presign_runs() {
        runs.push((name, presign));
    }
    runs.push((
        "awsig-verify",
        Box::new(|| {
            verifier
                .verify_presigned("GET", black_box(&url), &[], None, now)
                .map_or(0, |v| v.access_key_id().len())
        }),
    ));
    runs.push((
        "tight-verify",
        Box::new(|| {
            usize::from(awsig_peer_bench::tight::hmac_sha2::verify_presigned(
                &tight_keyed,
                black_box(&url),
                now_unix,
            ))
        }),
    ));
    runs.push((
        "tight-verify-checked",
        Box::new(|| {
            awsig_peer_bench::tight::checked::verify_presigned_checked(
                &checked,
                black_box(&url),
                &[],
                now_unix,
            )
            .map_or(0, |claims| claims.credential.len())
        }),
    ));
    let mut samples = vec![Vec::with_capacity(rounds); runs.len()];
    for _ in 0..rounds {
        for ((_, f), out) in runs.iter_mut().zip(&mut samples) {
            out.push(batch(f.as_mut()));
        }
    }
    let medians: Vec<f64> = samples.iter_mut().map(|s| median(s)).collect();
    let of = |name: &str| medians[runs.iter().position(|(n, _)| *n == name).unwrap()];
    let (floor, cached) = (9.0 * of("sha256-compress"), of("awsig-cached"));

    println!("### Interleaved: {rounds} rounds of {BATCH} calls each, medians\n");
    println!("| implementation | median | × awsig-cached | × floor (9 compressions) |");
    println!("|---|---:|---:|---:|");
    for ((name, _), ns) in runs.iter().zip(&medians) {
        println!(
            "| `{name}` | {ns:.1} ns | {:.2} | {:.2} |",
            ns / cached,
            ns / floor
        );
    }
    println!();
    println!(
        "cold / cached = {:.2} (tight reference {:.2}); verify / presign = {:.2} (tight reference {:.2}); aws-sigv4 / awsig = {:.1}; rusty-s3 / awsig = {:.1}",
        of("awsig-cold") / cached,
        of("tight-cold") / of("tight-hmac-sha2"),
        of("awsig-verify") / cached,
        of("tight-verify") / of("tight-hmac-sha2"),
        of("aws-sigv4") / cached,
        of("rusty-s3") / cached,
    );
    println!(
        "cold / tight-cold = {:.2}; cold / tight-cold-checked = {:.2}; tight-cold-checked / tight-cold = {:.2}",
        of("awsig-cold") / of("tight-cold"),
        of("awsig-cold") / of("tight-cold-checked"),
        of("tight-cold-checked") / of("tight-cold"),
    );
    println!(
        "verify / tight-verify = {:.2}; verify / tight-verify-checked = {:.2}; tight-verify-checked / tight-verify = {:.2}",
        of("awsig-verify") / of("tight-verify"),
        of("awsig-verify") / of("tight-verify-checked"),
        of("tight-verify-checked") / of("tight-verify"),
    );
}
