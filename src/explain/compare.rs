//! Comparing our computation with S3's: where two canonical requests or
//! strings to sign first differ, and the usual cause of that difference.

use super::s3_error::S3SignatureError;
use super::Explanation;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

/// The usual reasons two canonical requests differ.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// A space written as `+` on one side and `%20` on the other.
    PlusVersusPercent20,
    /// The path was encoded twice on one side (`%2520` for `%20`).
    DoubleEncodedPath,
    /// The path is encoded or normalized differently in another way.
    Path,
    /// The `host` header differs: another host, or a port kept or dropped.
    HostOrPort,
    /// A header was signed but the client did not send it.
    HeaderSignedNotSent {
        /// Its name.
        name: String,
    },
    /// A header was sent with another value than the one signed.
    HeaderValue {
        /// Its name.
        name: String,
    },
    /// The list of signed headers differs.
    SignedHeaders,
    /// The region or the date of the scope differs.
    RegionOrDate,
    /// The payload hash differs (`UNSIGNED-PAYLOAD` vs a hash, another body).
    PayloadHash,
    /// The HTTP method differs.
    Method,
    /// The query differs in another way (a parameter added, dropped, reordered).
    Query,
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::PlusVersusPercent20 => {
                f.write_str("a space is '+' on one side and '%20' on the other")
            }
            Cause::DoubleEncodedPath => {
                f.write_str("the path is encoded twice on one side (%25 for %)")
            }
            Cause::Path => f.write_str("the path is encoded or normalized differently"),
            Cause::HostOrPort => {
                f.write_str("the host differs (another host, or a port kept or dropped)")
            }
            Cause::HeaderSignedNotSent { name } => {
                write!(f, "header {name:?} was signed but not sent")
            }
            Cause::HeaderValue { name } => write!(f, "header {name:?} was sent with another value"),
            Cause::SignedHeaders => f.write_str("the signed header lists differ"),
            Cause::RegionOrDate => f.write_str("the region or the date differs"),
            Cause::PayloadHash => f.write_str("the payload hash differs"),
            Cause::Method => f.write_str("the HTTP method differs"),
            Cause::Query => f.write_str("the query parameters differ"),
        }
    }
}

/// Where two texts first differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Line number, from 1.
    pub line: usize,
    /// Column (in characters) within that line, from 1.
    pub column: usize,
    /// Our version of the line.
    pub ours: String,
    /// The other side's version of the line.
    pub theirs: String,
    /// The usual cause, when it is recognizable.
    pub cause: Option<Cause>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "first difference at line {}, column {}:",
            self.line, self.column
        )?;
        writeln!(f, "  ours:   {}", self.ours)?;
        write!(f, "  theirs: {}", self.theirs)?;
        if let Some(cause) = &self.cause {
            write!(f, "\n  likely cause: {cause}")?;
        }
        Ok(())
    }
}

/// The first line and column where `ours` and `theirs` differ, or `None`.
pub fn first_difference(ours: &str, theirs: &str) -> Option<Difference> {
    let (ours_lines, theirs_lines): (Vec<&str>, Vec<&str>) =
        (ours.split('\n').collect(), theirs.split('\n').collect());
    let n = ours_lines.len().max(theirs_lines.len());
    (0..n).find_map(|i| {
        let (a, b) = (
            ours_lines.get(i).copied().unwrap_or(""),
            theirs_lines.get(i).copied().unwrap_or(""),
        );
        if a == b && i < ours_lines.len() && i < theirs_lines.len() {
            return None;
        }
        let column = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count() + 1;
        Some(Difference {
            line: i + 1,
            column,
            ours: a.to_string(),
            theirs: b.to_string(),
            cause: None,
        })
    })
}

/// The `name=value` query parameter of `query` that holds `column` (from 1).
fn param_at(query: &str, column: usize) -> &str {
    let byte = query
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(query.len(), |(i, _)| i);
    let start = query[..byte].rfind('&').map_or(0, |i| i + 1);
    let end = query[byte..].find('&').map_or(query.len(), |i| byte + i);
    &query[start..end]
}

/// Names the usual cause of a difference between two canonical requests.
fn canonical_cause(ours: &str, d: &Difference) -> Option<Cause> {
    let lines: Vec<&str> = ours.split('\n').collect();
    let blank = lines
        .iter()
        .skip(3)
        .position(|l| l.is_empty())
        .map(|p| p + 3)?;
    let (a, b) = (d.ours.as_str(), d.theirs.as_str());
    let at = |s: &str| s.chars().skip(d.column - 1).collect::<String>();
    let (from_a, from_b) = (at(a), at(b));
    let plus_vs_20 =
        |x: &str, y: &str| x.starts_with('+') && (y.starts_with("%20") || y.starts_with("%2B"));
    match d.line {
        1 => Some(Cause::Method),
        2 => {
            if a.contains("%25") != b.contains("%25") {
                Some(Cause::DoubleEncodedPath)
            } else {
                Some(Cause::Path)
            }
        }
        3 => {
            if plus_vs_20(&from_a, &from_b) || plus_vs_20(&from_b, &from_a) {
                Some(Cause::PlusVersusPercent20)
            } else if ["X-Amz-Credential=", "X-Amz-Date="]
                .iter()
                .any(|p| param_at(a, d.column).starts_with(p))
            {
                Some(Cause::RegionOrDate)
            } else {
                Some(Cause::Query)
            }
        }
        l if l >= 4 && l <= blank => {
            let name = |s: &str| s.split(':').next().unwrap_or("").to_string();
            let (name_a, name_b) = (name(a), name(b));
            if name_a == "host" || name_b == "host" {
                Some(Cause::HostOrPort)
            } else if name_a == name_b && b.len() == name_b.len() + 1 {
                Some(Cause::HeaderSignedNotSent { name: name_a })
            } else if name_a == name_b {
                Some(Cause::HeaderValue { name: name_a })
            } else {
                Some(Cause::SignedHeaders)
            }
        }
        l if l == blank + 2 => Some(Cause::SignedHeaders),
        l if l == blank + 3 => Some(Cause::PayloadHash),
        _ => None,
    }
}

/// Compares our computation with the one S3 reported: the first difference
/// in the canonical request (with its cause), else in the string to sign.
pub fn compare_with_s3(ours: &Explanation, s3: &S3SignatureError) -> Option<Difference> {
    if let Some(theirs) = &s3.canonical_request {
        if let Some(mut d) = first_difference(&ours.canonical_request, theirs) {
            d.cause = canonical_cause(&ours.canonical_request, &d);
            return Some(d);
        }
    }
    let theirs = s3.string_to_sign.as_ref()?;
    let mut d = first_difference(&ours.string_to_sign, theirs)?;
    d.cause = match d.line {
        2 | 3 => Some(Cause::RegionOrDate),
        _ => None,
    };
    Some(d)
}
