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

use crate::error::Error;
use crate::request::{validate_host, Scheme};
use alloc::string::{String, ToString};

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

/// A port as written and as the number it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Port<'a> {
    pub(crate) text: &'a str,
    pub(crate) number: u16,
}

/// Splits `host[:port]` (or `[v6]:port`) into the name and a checked port.
///
/// Only a run of digits counts as a port here; anything else after the `:`
/// is left in the name for [`validate_host`] to refuse, so that `h::443` or
/// `h:8a` stay host errors rather than becoming a port that drops.
pub(crate) fn split_port(authority: &str) -> Result<(&str, Option<Port<'_>>), Error> {
    let colon = if authority.starts_with('[') {
        authority
            .find(']')
            .and_then(|end| authority[end + 1..].starts_with(':').then_some(end + 1))
    } else {
        authority.find(':')
    };
    let Some(colon) = colon else {
        return Ok((authority, None));
    };
    match parse_port(&authority[colon + 1..])? {
        Some(port) => Ok((&authority[..colon], Some(port))),
        None => Ok((authority, None)),
    }
}

/// Reads the text after a host's `:` as a port: `None` unless it is a run of
/// digits, an error unless the number is from 1 to 65535.
pub(crate) fn parse_port(text: &str) -> Result<Option<Port<'_>>, Error> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    // Leading zeros do not change the number (as urllib and the url crate
    // read it), so `:0443` is the default port; saturating keeps a long run
    // of digits out of range instead of wrapping into it.
    let number = text.bytes().fold(0u32, |n, d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    });
    match u16::try_from(number) {
        Ok(number) if number != 0 => Ok(Some(Port { text, number })),
        _ => Err(Error::InvalidPort {
            port: text.to_string(),
            reason: "must be a number from 1 to 65535",
        }),
    }
}

/// `authority` lower-cased, with the port written as its number and left out
/// when it is the scheme's default: the form clients put in `Host`.
pub(crate) fn canonical_authority(scheme: Scheme, authority: &str) -> Result<String, Error> {
    let host = signed_authority(scheme, authority)?.to_ascii_lowercase();
    validate_host(&host)?;
    Ok(host)
}

/// `authority` as signers write it in `host`: without the scheme's default
/// port, and a port written with leading zeros (`:09000`) as its number, as
/// HTTP clients send it. Borrowed unless such a port must be rewritten.
pub(crate) fn signed_authority(
    scheme: Scheme,
    authority: &str,
) -> Result<alloc::borrow::Cow<'_, str>, Error> {
    use alloc::borrow::Cow;
    // A port ends in a digit; most hosts end in a letter.
    if !authority.ends_with(|c: char| c.is_ascii_digit()) {
        return Ok(Cow::Borrowed(authority));
    }
    Ok(match split_port(authority)? {
        (name, Some(port)) if port.number == default_port(scheme) => Cow::Borrowed(name),
        (name, Some(port)) if port.text.starts_with('0') => {
            Cow::Owned(alloc::format!("{name}:{}", port.number))
        }
        _ => Cow::Borrowed(authority),
    })
}

/// The default port of a scheme, by number.
pub(crate) fn default_port(scheme: Scheme) -> u16 {
    match scheme {
        Scheme::Https => 443,
        Scheme::Http => 80,
    }
}

#[cfg(test)]
mod tests;
