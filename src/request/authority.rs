//! The authority of a request: its scheme, host and port, and the rules
//! that say which host is signed (a default port dropped, a port written as
//! its number, the name lower-cased). Request validation, URL splitting and
//! the verifier's Host check all read a host through these functions, so
//! that what is signed and what is verified cannot drift apart.

use crate::encoding::byte_table;
use crate::error::Error;
use alloc::string::{String, ToString};

/// `http` or `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scheme {
    /// `https` (the default).
    #[default]
    Https,
    /// `http`, for local and S3-compatible stores.
    Http,
}

impl Scheme {
    /// `"https"` or `"http"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Https => "https",
            Scheme::Http => "http",
        }
    }

    /// `host` without this scheme's default port (`:443` for https, `:80`
    /// for http): clients leave it out of `Host`, and so do AWS's signers.
    ///
    /// ```
    /// use awsig::Scheme;
    /// assert_eq!(Scheme::Https.strip_default_port("h:443"), "h");
    /// assert_eq!(Scheme::Http.strip_default_port("h:443"), "h:443");
    /// assert_eq!(Scheme::Https.strip_default_port("h:0443"), "h");
    /// assert_eq!(Scheme::Https.strip_default_port("h:09000"), "h:09000");
    /// assert_eq!(Scheme::Https.strip_default_port("h:99999"), "h:99999");
    /// ```
    pub fn strip_default_port(self, host: &str) -> &str {
        // By number: `:0443` is the default port too. Any other port stays
        // as written, even one `signed_authority` would rewrite.
        match signed_authority(self, host) {
            Ok(alloc::borrow::Cow::Borrowed(host)) => host,
            _ => host,
        }
    }

    /// Parses `http` or `https` (any case).
    pub fn parse(text: &str) -> Result<Scheme, Error> {
        if text.eq_ignore_ascii_case("https") {
            Ok(Scheme::Https)
        } else if text.eq_ignore_ascii_case("http") {
            Ok(Scheme::Http)
        } else {
            Err(Error::InvalidScheme {
                scheme: text.to_string(),
            })
        }
    }
}

/// Bytes a host may hold: letters, digits, `.-_~`, `:` and `[]` (IPv6), and
/// the sub-delimiters RFC 3986 allows in a registered name.
static HOST: [bool; 256] = byte_table(b".-_~:[]!$&'()*+,;=");

/// [`HOST`] without the IPv6 literal's `:`, `[` and `]`: a registered name.
static REG_NAME: [bool; 256] = byte_table(b".-_~!$&'()*+,;=");

/// Checks a host: non-empty, no whitespace, controls, `/`, `?`, `#`, `@` or
/// `\`; an optional `:port` of digits, a number from 1 to 65535, which it
/// returns.
pub(crate) fn validate_host(host: &str) -> Result<Option<Port<'_>>, Error> {
    if host.is_empty() {
        return Err(Error::MissingHost);
    }
    // Split `name[:port]`; an IPv6 literal keeps its colons inside brackets.
    let bad_name;
    let ipv6 = host.starts_with('[');
    let port = if ipv6 {
        let (name, port) = match host.find(']') {
            Some(end) => match &host[end + 1..] {
                "" => (&host[..=end], None),
                rest => match rest.strip_prefix(':') {
                    Some(port) => (&host[..=end], Some(port)),
                    None => ("", None),
                },
            },
            None => ("", None),
        };
        bad_name = name.len() < 3
            || name.bytes().any(|b| !HOST[usize::from(b)])
            || name[1..name.len() - 1].contains(['[', ']']);
        port
    } else {
        // A registered name runs up to the `:` of a port, or to the end.
        let name_end = crate::encoding::run_end(host.as_bytes(), 0, &REG_NAME);
        bad_name = name_end == 0 || !matches!(host.as_bytes().get(name_end), None | Some(b':'));
        host.get(name_end + 1..)
    };
    let bad_port =
        port.is_some_and(|p| p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()));
    if bad_name || bad_port {
        return Err(Error::InvalidHost {
            host: host.to_string(),
        });
    }
    match port {
        Some(port) if !ipv6 => parse_port(port),
        None if !ipv6 => Ok(None),
        _ => Ok(split_port(host)?.1),
    }
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
