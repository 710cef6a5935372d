//! Taking an absolute `http(s)` URL apart without the `url` crate (and its
//! ~35 internationalization crates): scheme, host with port, path, query.
//!
//! Only what signing needs: no user info, no fragment, no IDNA. A default port
//! (`:443` for https, `:80` for http) is dropped from the host, as AWS's
//! signers do, because clients leave it out of the `Host` header.
//!
//! The stricter port rules (1 to 65535, a default port known by its number
//! however it is written) apply to S3 endpoints
//! ([`Endpoint::parse`](crate::s3::Endpoint::parse)).
//! [`parse_url`] still reads the port as [`Scheme::strip_default_port`] and
//! the request's host check do, because what it returns is signed by one and
//! verified by the other: the three must change together.

use super::authority::{validate_host, Scheme};
use crate::error::Error;

/// An absolute URL in the pieces a [`Request`](crate::Request) takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlParts<'a> {
    /// `http` or `https`.
    pub scheme: Scheme,
    /// Host, with `:port` unless it is the scheme's default.
    pub host: &'a str,
    /// Path in URL form, `/` when the URL has none.
    pub path: &'a str,
    /// Query in URL form, without `?` (empty when there is none).
    pub query: &'a str,
}

/// Splits `url` into scheme, host, path and query.
///
/// ```
/// let p = awsig::request::parse_url("https://gw.example.com:443/s3/a%20b?x=1").unwrap();
/// assert_eq!((p.host, p.path, p.query), ("gw.example.com", "/s3/a%20b", "x=1"));
/// ```
pub fn parse_url(url: &str) -> Result<UrlParts<'_>, Error> {
    let raw = split_url(url)?;
    // The default port goes first, however it is written (`:0000080`), as
    // clients leave it out of `Host`; what is left is checked.
    let host = raw.scheme.strip_default_port(raw.authority);
    validate_host(host)?;
    Ok(UrlParts {
        scheme: raw.scheme,
        host,
        path: raw.path,
        query: raw.query,
    })
}

/// A URL split at its delimiters, the authority not yet checked.
pub(crate) struct RawUrl<'a> {
    pub(crate) scheme: Scheme,
    pub(crate) authority: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
}

/// Splits `url` at `://`, the end of the authority and `?`.
pub(crate) fn split_url(url: &str) -> Result<RawUrl<'_>, Error> {
    // The scheme is a short run of letters: find its `:` without a
    // substring search over the whole URL.
    let (scheme, rest) = url
        .bytes()
        .position(|b| b == b':')
        .and_then(|colon| Some((&url[..colon], url[colon..].strip_prefix("://")?)))
        .ok_or(Error::InvalidUrl {
            reason: "must start with http:// or https://",
        })?;
    let scheme = Scheme::parse(scheme)?;
    if rest.contains('#') {
        return Err(Error::InvalidUrl {
            reason: "has a fragment ('#'), which is never sent to the server",
        });
    }
    let authority_end = rest
        .bytes()
        .position(|b| b == b'/' || b == b'?')
        .unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err(Error::InvalidUrl {
            reason: "holds user info ('user@'): credentials do not belong in the URL",
        });
    }
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, q),
        None => (rest, ""),
    };
    let path = if path.is_empty() { "/" } else { path };
    Ok(RawUrl {
        scheme,
        authority,
        path,
        query,
    })
}

#[cfg(test)]
mod tests;
