//! Reads criterion's estimates for the `presign-s3-get` group and prints a
//! Markdown table: median per implementation, ratio to `awsig-cached`, and
//! ratio to the SHA-256 floor of a cached presign.
//!
//! Run after `cargo bench -p awsig-peer-bench`:
//! `cargo run -p awsig-peer-bench --release --bin report [CRITERION_DIR]`
//! (default: `$CARGO_TARGET_DIR/criterion`, else the workspace's `target/criterion`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use awsig_peer_bench::{cached_compressions, ours, sha256_blocks, string_to_sign_len};

const GROUP: &str = "presign-s3-get";
const FLOOR_UNIT: &str = "sha256-compress";
const BASELINE: &str = "awsig-cached";
const ROWS: [(&str, &str); 10] = [
    (
        "awsig-cached",
        "awsig, presigner reused (signing key cached)",
    ),
    ("awsig-cold", "awsig, new presigner per URL (key derived)"),
    (
        "aws-sigv4",
        "aws-sigv4 sign + apply_to_request_http1x + URI to string",
    ),
    ("rusty-s3", "rusty-s3 GetObject::sign_with_time"),
    (
        "tight-hmac-sha2",
        "reference, not a peer: a real presign's per-call work on hmac+sha2, keyed state cloned, no checks",
    ),
    (
        "tight-cold",
        "reference, not a peer: tight-hmac-sha2 with its presigner made per URL (key derived, nothing wiped)",
    ),
    (
        "tight-midstate",
        "reference, not a peer: the same on raw compress256 midstates",
    ),
    (
        "awsig-verify",
        "awsig Verifier::verify_presigned of that URL (credentials looked up, key cached)",
    ),
    (
        "tight-verify",
        "reference, not a peer: a tight verify of that URL on hmac+sha2 with tight-hmac-sha2's keyed state",
    ),
    (
        "tight-verify-checked",
        "reference, not a peer: tight-verify with the checks awsig's verifier makes, straight-line",
    ),
];
/// Compressions to derive a signing key (four HMACs with short keys and
/// messages: 2 inner + 2 outer blocks each) plus the ipad and opad blocks of
/// the final HMAC, which a cached key has already absorbed.
const KEY_DERIVATION_COMPRESSIONS: usize = 4 * 4 + 2;

fn criterion_dir() -> PathBuf {
    if let Some(arg) = std::env::args_os().nth(1) {
        return PathBuf::from(arg);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("criterion")
}

/// Median point estimate, in ns, of `function` in the group.
fn median_ns(dir: &Path, function: &str) -> Result<f64, String> {
    let path = dir.join(GROUP).join(function).join("new/estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (run `cargo bench -p awsig-peer-bench` first)",
            path.display()
        )
    })?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    json["median"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| format!("{}: no median.point_estimate", path.display()))
}

fn time(ns: f64) -> String {
    if ns >= 1000.0 {
        format!("{:.2} µs", ns / 1000.0)
    } else {
        format!("{ns:.1} ns")
    }
}

fn run() -> Result<(), String> {
    let dir = criterion_dir();
    let unit = median_ns(&dir, FLOOR_UNIT)?;
    let baseline = median_ns(&dir, BASELINE)?;

    let canonical = ours::canonical_request();
    let l = canonical.len();
    let s = string_to_sign_len();
    let compressions = cached_compressions(l, s);
    let floor = compressions as f64 * unit;
    let cold_compressions = compressions + KEY_DERIVATION_COMPRESSIONS;

    println!("### `{GROUP}`: one presigned S3 GET URL (AWS example, expires 86400 s)\n");
    println!("| implementation | what one iteration does | median | × awsig-cached | × floor |");
    println!("|---|---|---:|---:|---:|");
    for (name, what) in ROWS {
        let ns = median_ns(&dir, name)?;
        println!(
            "| `{name}` | {what} | {} | {:.2} | {:.2} |",
            time(ns),
            ns / baseline,
            ns / floor
        );
    }
    println!(
        "| `{FLOOR_UNIT}` | one SHA-256 compression (64-byte block) | {} | {:.3} | {:.3} |",
        time(unit),
        unit / baseline,
        unit / floor
    );
    println!();
    println!(
        "Floor of a cached presign: canonical request L = {l} B → {} blocks; \
         string to sign S = {s} B after the ipad block → {} blocks; HMAC outer → 1 block; \
         total **{compressions} compressions** × {} = **{}**.",
        sha256_blocks(l),
        sha256_blocks(64 + s) - 1,
        time(unit),
        time(floor),
    );
    println!(
        "Without a key cache (awsig-cold, aws-sigv4, rusty-s3) the floor is {cold_compressions} \
         compressions (+{KEY_DERIVATION_COMPRESSIONS}: 4 key-derivation HMACs and the final HMAC's \
         ipad/opad blocks) = {}.",
        time(cold_compressions as f64 * unit),
    );
    // Cold over cached, for awsig and for the tight reference: at the
    // floor it would be 27 / 9 = 3.
    let cold_ratio = |cold: &str, cached: &str| -> Result<f64, String> {
        Ok(median_ns(&dir, cold)? / median_ns(&dir, cached)?)
    };
    println!(
        "Cold over cached: awsig {:.2}, tight reference {:.2}, floor {cold_compressions}/{compressions} = {:.2}.",
        cold_ratio("awsig-cold", "awsig-cached")?,
        cold_ratio("tight-cold", "tight-hmac-sha2")?,
        cold_compressions as f64 / compressions as f64,
    );
    println!(
        "Verify over cached presign: awsig {:.2}, tight reference {:.2}.",
        cold_ratio("awsig-verify", "awsig-cached")?,
        cold_ratio("tight-verify", "tight-hmac-sha2")?,
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("report: {e}");
            ExitCode::FAILURE
        }
    }
}
