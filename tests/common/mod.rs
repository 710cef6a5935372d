//! Helpers shared by the vector tests: where the vectors are, a hand-written
//! parser for the suites' not-quite-HTTP request files, and the loose
//! comparisons the upstream harnesses use for signed requests.
#![allow(dead_code)]

pub(crate) mod http;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `$AWSIG_TEST_VECTORS`, or `../shared/test-vectors` beside the checkout.
/// A missing folder is a failure, never a skip.
pub(crate) fn vectors_dir() -> PathBuf {
    let dir = match std::env::var_os("AWSIG_TEST_VECTORS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/test-vectors"),
    };
    assert!(
        dir.is_dir(),
        "test vectors not found at {} (set AWSIG_TEST_VECTORS to the folder holding aws-signing-test-suite/)",
        dir.display()
    );
    dir
}

/// The project's own vectors.
pub(crate) fn project_vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors")
}

pub(crate) fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

pub(crate) fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// A request file taken apart by hand: the suites hold raw spaces and UTF-8
/// in request lines and obsolete header folding, which HTTP parsers refuse.
#[derive(Debug, Clone)]
pub(crate) struct RawRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    pub(crate) fn parse(text: &str) -> RawRequest {
        let (head, body) = match text.find("\n\n") {
            Some(i) => (&text[..i], text.as_bytes()[i + 2..].to_vec()),
            None => (text.trim_end_matches('\n'), Vec::new()),
        };
        let mut lines = head.split('\n');
        let request_line = lines.next().unwrap_or_default();
        let (method, rest) = request_line.split_once(' ').unwrap_or((request_line, "/"));
        let target = rest.strip_suffix(" HTTP/1.1").unwrap_or(rest);
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in lines {
            if line.starts_with(' ') || line.starts_with('\t') {
                // Obsolete line folding: the continuation joins with one space.
                if let Some(last) = headers.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                }
            } else if let Some((name, value)) = line.split_once(':') {
                headers.push((name.to_string(), value.to_string()));
            }
        }
        RawRequest {
            method: method.to_string(),
            path: path.to_string(),
            query: query.to_string(),
            headers,
            body,
        }
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Removes and returns a header.
    pub(crate) fn take_header(&mut self, name: &str) -> Option<String> {
        let i = self
            .headers
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))?;
        Some(self.headers.remove(i).1)
    }

    /// The headers as the borrowed pairs `Request::with_headers` takes.
    pub(crate) fn header_refs(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }
}

pub(crate) fn percent_decode(s: &str) -> Vec<u8> {
    awsig::encoding::decode(s.as_bytes())
}

/// Query parameters as a set of decoded, lower-cased pairs, the way
/// aws-c-auth compares signed requests.
pub(crate) fn query_set(query: &str) -> BTreeSet<(Vec<u8>, Vec<u8>)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                percent_decode(k).to_ascii_lowercase(),
                percent_decode(v).to_ascii_lowercase(),
            )
        })
        .collect()
}

/// Headers as a set of lower-cased names with their values.
pub(crate) fn header_set<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> BTreeSet<(String, String)> {
    headers
        .into_iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_string()))
        .collect()
}

/// Collects failures of one suite and prints its one summary line.
pub(crate) struct Tally {
    pub suite: &'static str,
    pub passed: usize,
    pub total: usize,
    pub failures: Vec<String>,
}

impl Tally {
    pub(crate) fn new(suite: &'static str) -> Tally {
        Tally {
            suite,
            passed: 0,
            total: 0,
            failures: Vec::new(),
        }
    }

    /// Runs one case; a panic inside it counts as a failure with its message.
    pub(crate) fn case(
        &mut self,
        name: &str,
        check: impl FnOnce() -> Result<(), String> + std::panic::UnwindSafe,
    ) {
        self.total += 1;
        match std::panic::catch_unwind(check) {
            Ok(Ok(())) => self.passed += 1,
            Ok(Err(why)) => self.failures.push(format!("{name}: {why}")),
            Err(panic) => {
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                self.failures.push(format!("{name}: panicked: {msg}"));
            }
        }
    }

    /// Prints the summary line (and the failures above it); true when all passed.
    pub(crate) fn finish(self, expected_total: Option<usize>) -> bool {
        for f in &self.failures {
            eprintln!("FAIL {}: {f}", self.suite);
        }
        println!(
            "awsig vectors: {} {}/{}",
            self.suite, self.passed, self.total
        );
        let count_ok = expected_total.map_or(self.total > 0, |n| n == self.total);
        if !count_ok {
            eprintln!(
                "FAIL {}: ran {} cases, expected {:?}",
                self.suite, self.total, expected_total
            );
        }
        count_ok && self.failures.is_empty()
    }
}

/// Compares two texts and says where they first differ.
pub(crate) fn same(what: &str, ours: &str, expected: &str) -> Result<(), String> {
    if ours == expected {
        return Ok(());
    }
    Err(format!(
        "{what} differs:\n--- ours\n{ours}\n--- expected\n{expected}\n---"
    ))
}
