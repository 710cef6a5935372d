//! The headers received against the headers signed: `SignedHeaders`
//! checked, the signed values found, unsigned `x-amz-*` headers and the
//! `Host` refused as AWS refuses them.

use super::*;
use alloc::borrow::Cow;
use alloc::string::ToString;
use alloc::vec::Vec;

/// The host that was signed: the URL's authority, default port dropped and
/// a port compared by number. A `Host` header, when sent, must name the same
/// host (after the same rule); two are ambiguous and refused.
pub(super) fn signed_host<'a>(
    headers: &[(&'a str, &'a str)],
    parts: &crate::request::UrlParts<'a>,
) -> Result<Cow<'a, str>, VerifyError> {
    let mut sent = None;
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("host") && sent.replace(*value).is_some() {
            return Err(VerifyError::Duplicate("Host"));
        }
    }
    let url_host = crate::request::signed_authority(parts.scheme, parts.host)?;
    if let Some(sent) = sent {
        let header_host = crate::request::signed_authority(parts.scheme, sent.trim())?;
        if !header_host.eq_ignore_ascii_case(&url_host) {
            return Err(VerifyError::HostMismatch {
                url_host: url_host.into_owned(),
                header_host: header_host.into_owned(),
            });
        }
    }
    Ok(url_host)
}

/// Checks a `SignedHeaders` list: lower-case tokens, sorted, no repeats,
/// `host` among them.
pub(super) fn check_signed_headers(list: &str) -> Result<(), VerifyError> {
    if list == "host" {
        return Ok(());
    }
    let mut previous: Option<&str> = None;
    let mut host = false;
    for name in list.split(';') {
        let ok = !name.is_empty()
            && name.bytes().all(|b| !b.is_ascii_uppercase())
            && crate::request::is_token(name)
            && previous.is_none_or(|p| p < name);
        if !ok {
            return Err(VerifyError::SignedHeadersNotCanonical);
        }
        host |= name == "host";
        previous = Some(name);
    }
    if host {
        Ok(())
    } else {
        Err(VerifyError::HostNotSigned)
    }
}

/// The values of the signed headers, on the stack for the usual few.
pub(crate) type SignedHeaderValues<'a> = crate::canonical::SmallList<(&'a str, &'a str), 8>;

/// Whether `x-amz-*` headers sent outside `SignedHeaders` are refused, for
/// services other than S3 (S3 always refuses them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsignedAmzHeaders {
    /// Refuse them (the default): AWS documents that every `x-amz-*` header
    /// sent is signed, and an unsigned one may change what the request does.
    Refuse,
    /// Let them through, for a service whose callers add `x-amz-*` headers
    /// that mean nothing to it.
    Allow,
}

/// Whether `name` is an `x-amz-*` header (in any case) that must be signed.
/// `x-amz-content-sha256` is exempt, as S3 exempts it: its value is the
/// payload line of the canonical request, so the signature covers it either
/// way, and SDKs send it beside presigned URLs.
fn must_be_signed(name: &str) -> bool {
    name.get(..6)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("x-amz-"))
        && !name.eq_ignore_ascii_case("x-amz-content-sha256")
}

/// Matches the headers sent against `SignedHeaders` (checked: sorted,
/// lower-case, no repeats) in one sort, so that the cost is `n log n` in the
/// number of headers however many are named: the values of each signed
/// header but host, in signed order, repeats in the order sent. With
/// `refuse_unsigned`, an `x-amz-*` header sent but not signed is an error.
pub(super) fn signed_header_values<'a>(
    signed: &str,
    sent: &[(&'a str, &'a str)],
    refuse_unsigned: bool,
    token_unsigned: bool,
) -> Result<SignedHeaderValues<'a>, VerifyError> {
    // The usual presigned URL: only `host` signed, nothing else sent.
    if signed == "host" && sent.is_empty() {
        return Ok(SignedHeaderValues::new());
    }
    let mut names = crate::canonical::SmallList::<&str, 8>::new();
    for name in signed.split(';').filter(|n| *n != "host") {
        names.push(name);
    }
    let names = names.as_slice();
    // (index in `names`, index in `sent`) of each signed header sent.
    let mut matched = crate::canonical::SmallList::<(usize, usize), 8>::new();
    let mut unsigned = Vec::new();
    for (at, (name, _)) in sent.iter().enumerate() {
        if name.eq_ignore_ascii_case("host") {
            continue;
        }
        match names.binary_search_by(|probe| crate::canonical::cmp_lowercase(probe, name)) {
            Ok(index) => matched.push((index, at)),
            Err(_)
                if refuse_unsigned
                    && must_be_signed(name)
                    && !(token_unsigned && name.eq_ignore_ascii_case("x-amz-security-token")) =>
            {
                unsigned.push(name.to_ascii_lowercase());
            }
            Err(_) => {}
        }
    }
    if !unsigned.is_empty() {
        unsigned.sort_unstable();
        unsigned.dedup();
        return Err(VerifyError::UnsignedHeaders { names: unsigned });
    }
    matched.as_mut_slice().sort_unstable();
    let mut out = SignedHeaderValues::new();
    // The next name that has yet to be seen: the sorted pairs name each
    // index once or more, in order, when every signed header was sent.
    let mut next = 0;
    for &(index, at) in matched.as_slice() {
        if index > next {
            break;
        }
        next = index + 1;
        out.push(sent[at]);
    }
    match names.get(next) {
        Some(missing) => Err(VerifyError::SignedHeaderNotSent {
            name: missing.to_string(),
        }),
        None => Ok(out),
    }
}

/// Whether unsigned `x-amz-*` headers are refused: always for S3, as S3
/// does, else as the verifier is set; never when only explaining.
pub(super) fn refuses_unsigned(rule: Option<UnsignedAmzHeaders>, service: &str) -> bool {
    match rule {
        Some(UnsignedAmzHeaders::Refuse) => true,
        Some(UnsignedAmzHeaders::Allow) => crate::settings::is_s3(service),
        None => false,
    }
}
