//! Task 1, step 3: the canonical query string, and the parameters a
//! presigned URL adds to it (`X-Amz-Algorithm` … `X-Amz-SignedHeaders`),
//! merged into the caller's in canonical order.

use super::headers::NamesIn;
use super::*;
use crate::encoding::Slash;
use crate::scope::AmzDate;
use core::cmp::Ordering;

/// A query parameter presigning writes. The variants up to
/// `SignedHeaders` are in canonical order, the order their names sort in;
/// `X-Amz-Signature` is never part of the canonical request and comes last,
/// where a URL carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum AuthParam {
    Algorithm,
    Credential,
    Date,
    Expires,
    /// SigV4a's alone.
    RegionSet,
    /// S3 Express One Zone's session token (session mode), in place of
    /// `X-Amz-Security-Token`.
    S3SessionToken,
    SecurityToken,
    SignedHeaders,
    /// Written after hashing.
    Signature,
}

impl AuthParam {
    /// Every one, in canonical order.
    pub(crate) const ALL: [AuthParam; 9] = [
        AuthParam::Algorithm,
        AuthParam::Credential,
        AuthParam::Date,
        AuthParam::Expires,
        AuthParam::RegionSet,
        AuthParam::S3SessionToken,
        AuthParam::SecurityToken,
        AuthParam::SignedHeaders,
        AuthParam::Signature,
    ];

    /// The session token's two names: a request carries at most one, in
    /// one place (its query or its headers).
    pub(crate) const SESSION_TOKENS: [AuthParam; 2] =
        [AuthParam::S3SessionToken, AuthParam::SecurityToken];

    /// What a query may not carry under another case or escaped: query
    /// authentication's own names and the session token's, which a server
    /// layer reading names loosely would take for the real ones.
    pub(crate) const DISGUISABLE: [AuthParam; 5] = [
        AuthParam::Algorithm,
        AuthParam::Credential,
        AuthParam::S3SessionToken,
        AuthParam::SecurityToken,
        AuthParam::Signature,
    ];

    /// Query authentication's own: a query that carries one of them
    /// carries a presigned URL's signature.
    pub(crate) const QUERY_AUTHENTICATION: [AuthParam; 3] = [
        AuthParam::Algorithm,
        AuthParam::Credential,
        AuthParam::Signature,
    ];

    /// Its name in the query.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            AuthParam::Algorithm => "X-Amz-Algorithm",
            AuthParam::Credential => "X-Amz-Credential",
            AuthParam::Date => "X-Amz-Date",
            AuthParam::Expires => "X-Amz-Expires",
            AuthParam::RegionSet => "X-Amz-Region-Set",
            AuthParam::S3SessionToken => "X-Amz-S3session-Token",
            AuthParam::SecurityToken => "X-Amz-Security-Token",
            AuthParam::SignedHeaders => "X-Amz-SignedHeaders",
            AuthParam::Signature => "X-Amz-Signature",
        }
    }

    /// The parameter `name` names, exactly as written (a match, which
    /// compiles to a length test and one comparison: every name of a
    /// received query goes through it).
    pub(crate) fn from_name(name: &str) -> Option<AuthParam> {
        Some(match name {
            "X-Amz-Algorithm" => AuthParam::Algorithm,
            "X-Amz-Credential" => AuthParam::Credential,
            "X-Amz-Date" => AuthParam::Date,
            "X-Amz-Expires" => AuthParam::Expires,
            "X-Amz-Region-Set" => AuthParam::RegionSet,
            "X-Amz-S3session-Token" => AuthParam::S3SessionToken,
            "X-Amz-Security-Token" => AuthParam::SecurityToken,
            "X-Amz-SignedHeaders" => AuthParam::SignedHeaders,
            "X-Amz-Signature" => AuthParam::Signature,
            _ => return None,
        })
    }
}

/// The query parameters that presigning adds, with what their values are made of.
pub(crate) struct AuthParams<'a> {
    /// The algorithm's name (`AWS4-HMAC-SHA256`, `AWS4-ECDSA-P256-SHA256`).
    pub algorithm: &'static str,
    /// `X-Amz-Credential` up to its date, encoded: `AKID%2F`.
    pub credential_head: &'a str,
    /// `X-Amz-Credential` after its date, encoded: `%2Fus-east-1%2Fs3%2Faws4_request`.
    pub credential_tail: &'a str,
    pub amz_date: &'a AmzDate,
    /// `X-Amz-Expires`, absent for a URL presigned without one.
    pub expires_in: Option<u64>,
    /// The session token, when it is signed.
    pub token: Option<&'a str>,
    /// The parameter it is signed as: `X-Amz-Security-Token`, or S3
    /// Express's `X-Amz-S3session-Token` in session mode.
    pub token_param: AuthParam,
    /// `X-Amz-Region-Set`: SigV4a's regions, as written (`us-east-1,us-west-2`).
    pub region_set: Option<&'a str>,
}

/// Writes `&`, the token parameter's name (`X-Amz-Security-Token`, or S3
/// Express's `X-Amz-S3session-Token`), `=` and the encoded token, when
/// there is one.
pub(crate) fn put_token_param<S: Sink>(param: AuthParam, token: Option<&str>, sink: &mut S) {
    if let Some(token) = token {
        sink.put("&");
        sink.put(param.name());
        sink.put("=");
        encode_text_into(token, Slash::Escape, sink);
    }
}

/// The length of what [`put_token_param`] writes.
pub(crate) fn token_param_len(param: AuthParam, token: Option<&str>) -> usize {
    token.map_or(0, |token| {
        "&=".len()
            + param.name().len()
            + crate::encoding::encoded_len(token.as_bytes(), Slash::Escape)
    })
}

impl AuthParams<'_> {
    /// The length of the presigning parameters, in canonical order, up to
    /// and including `X-Amz-SignedHeaders=`: what sizes a presigned URL.
    pub(crate) fn len_before_signed_headers(&self) -> usize {
        let token = token_param_len(self.token_param, self.token);
        let region_set = self.region_set.map_or(0, |set| {
            "&X-Amz-Region-Set=".len() + crate::encoding::encoded_len(set.as_bytes(), Slash::Escape)
        });
        let expires = self.expires_in.map_or(0, |e| {
            "&X-Amz-Expires=".len() + e.checked_ilog10().map_or(1, |d| d as usize + 1)
        });
        "X-Amz-Algorithm=".len()
            + self.algorithm.len()
            + "&X-Amz-Credential=".len()
            + self.credential_head.len()
            + 8
            + self.credential_tail.len()
            + "&X-Amz-Date=".len()
            + 16
            + expires
            + region_set
            + token
            + "&X-Amz-SignedHeaders=".len()
    }
}

impl<'a> AuthParams<'a> {
    /// The parameters these values write, in canonical order, up to
    /// `X-Amz-SignedHeaders` (the signature comes after hashing).
    fn present(&'a self) -> impl Iterator<Item = (AuthParam, &'a AuthParams<'a>)> + 'a {
        let signed = &AuthParam::ALL[..AuthParam::ALL.len() - 1];
        (signed.iter().copied())
            .filter(move |param| match param {
                AuthParam::Expires => self.expires_in.is_some(),
                AuthParam::RegionSet => self.region_set.is_some(),
                AuthParam::S3SessionToken | AuthParam::SecurityToken => {
                    self.token.is_some() && *param == self.token_param
                }
                _ => true,
            })
            .map(move |param| (param, self))
    }
}

/// The names of every parameter presigning writes: a caller's request to
/// presign may carry none of them.
pub(crate) const PRESIGNING_PARAMS: [&str; AuthParam::ALL.len()] = names(AuthParam::ALL);

/// The names a header-signed request's query may not carry: query
/// authentication's, and the session token's (which travels in a header
/// when the signature does), the [`AuthParam::DISGUISABLE`] ones.
pub(crate) const HEADER_SIGNED_RESERVED: [&str; AuthParam::DISGUISABLE.len()] =
    names(AuthParam::DISGUISABLE);

/// The names of `params`, in their order.
const fn names<const N: usize>(params: [AuthParam; N]) -> [&'static str; N] {
    let mut names = [""; N];
    let mut i = 0;
    while i < N {
        names[i] = params[i].name();
        i += 1;
    }
    names
}

impl Canonical<'_> {
    /// Task 1, step 3: the canonical query string, sorted by encoded name then
    /// value, with the presigning parameters merged in when `auth` is given.
    pub(crate) fn write_query<S: Sink>(&self, auth: Option<&AuthParams<'_>>, sink: &mut S) {
        let mut callers = self.params.iter().peekable();
        let mut presigning = auth.into_iter().flat_map(AuthParams::present).peekable();
        let mut first = true;
        loop {
            // Presigning's names are unreserved ASCII and never equal a
            // caller's (those were refused), so the order is strict.
            let callers_first = match (callers.peek(), presigning.peek()) {
                (Some((name, _)), Some((param, _))) => {
                    cmp_encoded(*name, Part::Decoded(param.name().as_bytes())) == Ordering::Less
                }
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if !first {
                sink.put("&");
            }
            first = false;
            match (callers_first, callers.peek().is_some()) {
                (true, true) => {
                    if let Some((name, value)) = callers.next() {
                        name.write(sink);
                        sink.put("=");
                        value.write(sink);
                    }
                }
                _ => {
                    if let Some((param, auth)) = presigning.next() {
                        sink.put(param.name());
                        sink.put("=");
                        self.write_auth_value(param, auth, sink);
                    }
                }
            }
        }
    }

    /// The length of what [`Canonical::write_query`] writes with `auth`,
    /// counted without writing it: it sizes a presigned URL's allocation.
    pub(crate) fn query_len(&self, auth: &AuthParams<'_>) -> usize {
        // Each caller's parameter brings its `=` and one `&`.
        let params: usize = (self.params.iter())
            .map(|(name, value)| name.encoded_len() + value.encoded_len() + 2)
            .sum();
        let mut signed_headers = crate::encoding::Counter::default();
        self.write_header_names(NamesIn::Query, &mut signed_headers);
        params + auth.len_before_signed_headers() + signed_headers.0
    }

    /// The value of a presigning parameter.
    fn write_auth_value<S: Sink>(&self, param: AuthParam, auth: &AuthParams<'_>, sink: &mut S) {
        match param {
            AuthParam::Algorithm => sink.put(auth.algorithm),
            AuthParam::Credential => {
                sink.put(auth.credential_head);
                sink.put_ascii(auth.amz_date.date_bytes());
                sink.put(auth.credential_tail);
            }
            AuthParam::Date => sink.put_ascii(auth.amz_date.as_bytes()),
            AuthParam::Expires => put_decimal(auth.expires_in.unwrap_or_default(), sink),
            AuthParam::RegionSet => {
                if let Some(set) = auth.region_set {
                    encode_text_into(set, Slash::Escape, sink);
                }
            }
            AuthParam::S3SessionToken | AuthParam::SecurityToken => {
                if let Some(token) = auth.token {
                    encode_text_into(token, Slash::Escape, sink);
                }
            }
            AuthParam::SignedHeaders => self.write_header_names(NamesIn::Query, sink),
            // Never among the parameters `present` gives: it is written
            // after the hash, by the signer.
            AuthParam::Signature => {}
        }
    }
}

/// `value` in decimal, written into the tail of `digits`.
#[inline]
pub(crate) fn decimal(mut value: u64, digits: &mut [u8; 20]) -> &[u8] {
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            return &digits[start..];
        }
    }
}

/// Writes `value` in decimal.
pub(crate) fn put_decimal<S: Sink>(value: u64, sink: &mut S) {
    sink.put_ascii(decimal(value, &mut [0u8; 20]));
}
