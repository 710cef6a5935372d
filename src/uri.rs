//! Taking an absolute `http(s)` URL apart without the `url` crate (and its
//! ~35 internationalization crates): scheme, host with port, path, query.
//!
//! Only what signing needs: no user info, no fragment, no IDNA. A default port
//! (`:443` for https, `:80` for http) is dropped from the host, as AWS's
//! signers do, because clients leave it out of the `Host` header.

use crate::error::Error;
use crate::request::{validate_host, Scheme};

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
/// let p = sigv4::uri::parse_url("https://gw.example.com:443/s3/a%20b?x=1").unwrap();
/// assert_eq!((p.host, p.path, p.query), ("gw.example.com", "/s3/a%20b", "x=1"));
/// ```
pub fn parse_url(url: &str) -> Result<UrlParts<'_>, Error> {
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
    let host = scheme.strip_default_port(authority);
    validate_host(host)?;
    Ok(UrlParts {
        scheme,
        host,
        path,
        query,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls() {
        let p = parse_url("http://127.0.0.1:9000").unwrap();
        assert_eq!(
            (p.scheme, p.host, p.path, p.query),
            (Scheme::Http, "127.0.0.1:9000", "/", "")
        );
        let p = parse_url("https://h/?lifecycle").unwrap();
        assert_eq!((p.path, p.query), ("/", "lifecycle"));
        assert_eq!(parse_url("http://h:80/x").unwrap().host, "h");
        assert_eq!(parse_url("https://h:80/x").unwrap().host, "h:80");
        assert_eq!(parse_url("https://[::1]:443/").unwrap().host, "[::1]");
    }

    #[test]
    fn refuses_what_signing_cannot_carry() {
        for bad in [
            "ftp://h/",
            "h/path",
            "https://user:pw@h/",
            "https://h/#frag",
            "https:///path",
            "https://h h/",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }
}
