//! A received query, read in one pass: its authentication parameters, and
//! whether it is already canonical (then it is hashed as received); and the
//! percent-decoding the verifier reads values with.

use super::VerifyError;
use crate::canonical::AuthParam;
use crate::encoding::{decode, Slash};
use crate::settings::Settings;
use alloc::string::String;

/// One pass over a received query: the authentication parameters named
/// exactly, any named twice or in disguise, and whether the query (less a
/// trailing `X-Amz-Signature`) is already in canonical form.
pub(super) struct QueryScan<'a> {
    /// The values of the authentication parameters, by [`AuthParam`].
    pub(super) auth: [Option<&'a str>; AuthParam::ALL.len()],
    /// An authentication parameter named twice.
    pub(super) repeated: Option<AuthParam>,
    /// A name that reads as one of query authentication's in another case
    /// or escaped (`x-amz-signature`, `X-Amz-%53ignature`): the one it reads as.
    pub(super) disguised: Option<AuthParam>,
    pub(super) canonical: Option<&'a str>,
}

impl QueryScan<'_> {
    /// Whether the query carries query authentication (`X-Amz-Algorithm`,
    /// `-Credential` or `-Signature`), by its exact names or in disguise.
    pub(super) fn carries_authentication(&self) -> bool {
        let disguised = self
            .disguised
            .is_some_and(|p| AuthParam::QUERY_AUTHENTICATION.contains(&p));
        disguised
            || (AuthParam::QUERY_AUTHENTICATION.iter()).any(|&p| self.auth[p as usize].is_some())
    }

    /// Whether the query carries a session token, by its exact names or in
    /// disguise.
    pub(super) fn carries_token(&self) -> bool {
        let disguised = self
            .disguised
            .is_some_and(|p| AuthParam::SESSION_TOKENS.contains(&p));
        disguised || (AuthParam::SESSION_TOKENS.iter()).any(|&p| self.auth[p as usize].is_some())
    }
}

pub(super) fn scan_query(query: &str) -> QueryScan<'_> {
    let mut auth: [Option<&str>; AuthParam::ALL.len()] = [None; AuthParam::ALL.len()];
    let (mut repeated, mut disguised) = (None, None);
    // One pass over the bytes: pieces end at `&` (or the end); a piece is
    // canonical when it is `name=value` of unreserved bytes and kept escapes.
    let mut canonical = !query.is_empty() && !query.ends_with('&');
    let mut canonical_end = query.len();
    // The piece before, and the authentication parameter it was (whose
    // names sort as the enum does, so two of them compare by it).
    let mut previous: Option<(&str, &str, Option<AuthParam>)> = None;
    let bytes = query.as_bytes();
    let (mut start, mut eq, mut piece_canonical) = (0, None, true);
    let mut i = 0;
    while i <= bytes.len() {
        match bytes.get(i) {
            Some(&b) if crate::encoding::is_unreserved(b) => {
                i = crate::encoding::run_end(bytes, i, &crate::encoding::UNRESERVED);
                continue;
            }
            Some(b'%') if crate::canonical::is_kept_escape(bytes, i, Slash::Escape) => i += 2,
            Some(b'=') if eq.is_none() => eq = Some(i),
            Some(b'&') | None => {
                let piece = &query[start..i];
                let (name, value) = match eq {
                    Some(eq) => (&query[start..eq], &query[eq + 1..i]),
                    None => (piece, ""),
                };
                let param = AuthParam::from_name(name);
                match param {
                    Some(param) => {
                        if auth[param as usize].replace(value).is_some() {
                            repeated = repeated.or(Some(param));
                        }
                    }
                    None => disguised = disguised.or_else(|| disguised_as(name)),
                }
                if param == Some(AuthParam::Signature) {
                    // Left out of the canonical query: only as the last
                    // piece can the rest be hashed as one slice.
                    canonical &= i == bytes.len();
                    canonical_end = start.saturating_sub(1);
                } else {
                    // An empty piece or one without `=` is rewritten by
                    // the canonical form, as is an out-of-order one.
                    canonical &= piece_canonical
                        && eq.is_some()
                        && previous.is_none_or(|(name_before, value_before, param_before)| match (
                            param_before,
                            param,
                        ) {
                            (Some(before), Some(now)) => before < now,
                            _ => (name_before, value_before) <= (name, value),
                        });
                    previous = Some((name, value, param));
                }
                (start, eq, piece_canonical) = (i + 1, None, true);
            }
            Some(_) => piece_canonical = false,
        }
        i += 1;
    }
    QueryScan {
        auth,
        repeated,
        disguised,
        canonical: canonical.then(|| &query[..canonical_end]),
    }
}

/// The query-authentication or session-token parameter (`X-Amz-Algorithm`,
/// `-Credential`, `-Signature`, `-Security-Token`, `-S3session-Token`) a
/// name reads as in another case or escaped, if any: a server layer that
/// reads names loosely would take it for that parameter.
fn disguised_as(name: &str) -> Option<AuthParam> {
    let params = AuthParam::DISGUISABLE;
    // The usual name is none of them: only names as long as one of theirs
    // (or holding an escape) are decoded and compared.
    if !params.iter().any(|p| p.name().len() == name.len()) && !name.contains('%') {
        return None;
    }
    let name = decoded(name);
    params
        .into_iter()
        .find(|p| name.eq_ignore_ascii_case(p.name()))
}

pub(super) fn decoded(value: &str) -> alloc::borrow::Cow<'_, str> {
    if value.bytes().any(|b| b == b'%') {
        let bytes = decode(value.as_bytes());
        alloc::borrow::Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        )
    } else {
        alloc::borrow::Cow::Borrowed(value)
    }
}

/// Appends `value` percent-decoded, as [`decoded`] would give it, without a
/// buffer of its own while the escapes are of ASCII bytes (`%2F`, `%3B`).
pub(super) fn push_decoded(out: &mut String, value: &str) {
    let bytes = value.as_bytes();
    let (mut run, mut i) = (0, 0);
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'%') {
        let at = i + offset;
        let digit = |k: usize| {
            bytes
                .get(at + k)
                .copied()
                .and_then(crate::encoding::hex_value)
        };
        match (digit(1), digit(2)) {
            (Some(hi), Some(lo)) if hi < 8 => {
                out.push_str(&value[run..at]);
                out.push(char::from(hi << 4 | lo));
                i = at + 3;
                run = i;
            }
            (Some(_), Some(_)) => {
                // A byte past ASCII may start or continue a UTF-8 sequence:
                // the rest goes through the general (lossy) decoding.
                out.push_str(&value[run..at]);
                out.push_str(&decoded(&value[at..]));
                return;
            }
            _ => i = at + 1,
        }
    }
    out.push_str(&value[run..]);
}

/// Whether the signer's `write_recoded` would write `bytes` back unchanged:
/// every byte unreserved (or `/`, when `slash` keeps it), every escape upper-case
/// and of a byte that must stay escaped. A received URL in this form can be
/// hashed as it is.
pub(super) fn is_recoded_form(bytes: &[u8], slash: Slash) -> bool {
    let stays = |b: u8| crate::encoding::is_unreserved(b) || (slash == Slash::Keep && b == b'/');
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && crate::canonical::is_kept_escape(bytes, i, slash) {
            i += 3;
        } else if b != b'%' && stays(b) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// Reads `X-Amz-Expires`: a whole number of seconds, required unless the
/// service bounds a signature's life itself (AWS IoT's device gateway; S3
/// never does).
pub(super) fn read_expires(
    expires: Option<&str>,
    service: &str,
    settings: &Settings,
) -> Result<Option<u64>, VerifyError> {
    let optional = !crate::settings::is_s3(service)
        && settings.expiry == crate::settings::PresignExpiry::Optional;
    match expires {
        None if optional => Ok(None),
        None => Err(VerifyError::Missing("X-Amz-Expires")),
        Some(expires) => {
            let digits = !expires.is_empty()
                && expires.len() <= 19
                && expires.bytes().all(|b| b.is_ascii_digit());
            (digits.then(|| expires.parse::<u64>().ok()).flatten())
                .map(Some)
                .ok_or_else(|| VerifyError::InvalidExpires)
        }
    }
}
