//! N cached presigns of the documentation example in a plain loop (or N
//! cold presigns, or N verifications of its URL), for
//! profilers that count (callgrind) or sample (perf) rather than time:
//!
//! ```text
//! cargo build -p awsig-peer-bench --release --bin presign_loop
//! valgrind --tool=callgrind target/release/presign_loop awsig 20000
//! valgrind --tool=callgrind target/release/presign_loop tight 20000
//! valgrind --tool=callgrind target/release/presign_loop cold 20000
//! valgrind --tool=callgrind target/release/presign_loop verify 20000
//! valgrind --tool=callgrind target/release/presign_loop tight-verify 20000
//! valgrind --tool=callgrind target/release/presign_loop tight-verify-checked 20000
//! valgrind --tool=callgrind target/release/presign_loop tight-cold 20000
//! ```
//!
//! Under valgrind sha2 runs its software SHA-256 (valgrind hides SHA-NI):
//! its 9 compressions are about 30,300 instructions a presign, the same for
//! both, so what is left is each implementation's own work.

use awsig_peer_bench::{ours, tight};
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "awsig".into());
    let n: usize = args.next().map_or(100_000, |n| n.parse().expect("a count"));
    let mut bytes = 0;
    match which.as_str() {
        "awsig" => {
            let presigner = ours::presigner();
            let time = ours::time();
            for _ in 0..n {
                bytes += ours::presign_cached(black_box(&presigner), black_box(time))
                    .as_str()
                    .len();
            }
        }
        "cold" => {
            let credentials = ours::credentials();
            let time = ours::time();
            for _ in 0..n {
                bytes += ours::presign_cold(black_box(&credentials), black_box(time))
                    .as_str()
                    .len();
            }
        }
        "verify" => {
            let url = ours::presign_cached(&ours::presigner(), ours::time());
            let verifier = ours::verifier();
            let now = ours::verify_time();
            for _ in 0..n {
                let verified = verifier
                    .verify_presigned("GET", black_box(url.as_str()), &[], None, black_box(now))
                    .expect("verifies");
                bytes += verified.access_key_id().len();
            }
        }
        "tight" => {
            let presigner = tight::hmac_sha2::presigner(&tight::TIME);
            for _ in 0..n {
                let url = tight::hmac_sha2::presign(
                    black_box(&presigner),
                    black_box(awsig_peer_bench::BUCKET),
                    black_box(awsig_peer_bench::KEY),
                    awsig_peer_bench::EXPIRES_IN,
                    black_box(&tight::TIME),
                );
                bytes += url.len();
            }
        }
        "tight-verify-checked" => {
            let verifier = tight::checked::verifier(&tight::TIME);
            let url = awsig_peer_bench::EXPECTED_URL;
            let now = awsig_peer_bench::UNIX_TIME + 300;
            for _ in 0..n {
                let claims = tight::checked::verify_presigned_checked(
                    black_box(&verifier),
                    black_box(url),
                    &[],
                    now,
                )
                .expect("verifies");
                bytes += claims.credential.len();
            }
        }
        "tight-verify" => {
            let presigner = tight::hmac_sha2::presigner(&tight::TIME);
            let url = tight::hmac_sha2::presign(
                &presigner,
                awsig_peer_bench::BUCKET,
                awsig_peer_bench::KEY,
                awsig_peer_bench::EXPIRES_IN,
                &tight::TIME,
            );
            let now = awsig_peer_bench::UNIX_TIME + 300;
            for _ in 0..n {
                let valid =
                    tight::hmac_sha2::verify_presigned(black_box(&presigner), black_box(&url), now);
                bytes += usize::from(valid);
            }
        }
        "tight-cold" => {
            for _ in 0..n {
                let presigner = tight::hmac_sha2::presigner_cold(black_box(&tight::TIME));
                let url = tight::hmac_sha2::presign(
                    &presigner,
                    black_box(awsig_peer_bench::BUCKET),
                    black_box(awsig_peer_bench::KEY),
                    awsig_peer_bench::EXPIRES_IN,
                    black_box(&tight::TIME),
                );
                bytes += url.len();
            }
        }
        other => panic!("awsig, cold, verify, tight, tight-verify or tight-cold, not {other}"),
    }
    println!("{n} presigns, {bytes} URL bytes");
}
