//! The checks every form of verification runs, each written once: presigned
//! URLs, header-signed requests, aws-chunked seeds, event streams' initial
//! requests and POST policies all call these, in this order:
//!
//! 0. while what arrived is read: one session token, under one name, in
//!    the one place the signature travels ([`one_token`],
//!    [`is_token_header`]), and S3 Express's only on an `s3express`
//!    signature ([`token_in_place`]);
//! 1. [`Verifier::accept_scope`]: the region and service are accepted, and
//!    the service is one the form belongs to ([`Form`]);
//! 2. [`Verifier::check_host`]: the host is one the verifier serves;
//! 3. [`Verifier::validity_window`]: the signature is neither expired nor
//!    dated too far ahead ([`Lifetime`]);
//! 4. [`Verifier::credentials_for`]: credentials are known for the key id;
//! 5. [`accept_credentials`]: they had not expired, and the session token
//!    sent is theirs (compared in constant time);
//! 6. [`Verifier::check_hmac`]: the signature, under the key kept in the
//!    cache or derived now and kept only once it verified, compared in
//!    constant time.
//!
//! A copy of these checks is a hole waiting: a copy for POST policies once
//! forgot to require the `s3` service.

use super::*;
use crate::key_cache::{day_of, KeyOwner, Proven};
#[cfg(feature = "sigv4a")]
use alloc::vec::Vec;

/// A form of signature, with the services that define it: a signature made
/// for one service's form must not pass for another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// A presigned URL or an `Authorization` header: every service.
    Request,
    /// A POST policy: S3 alone signs and checks one, under
    /// `…/s3/aws4_request` (`sigv4-HTTPPOSTConstructPolicy`), or S3
    /// Express under `…/s3express/aws4_request`.
    #[cfg(feature = "post")]
    PostPolicy,
    /// The seed of an aws-chunked upload: an S3 (or S3 Express)
    /// `PutObject` or `UploadPart` (`sigv4-streaming`).
    #[cfg(feature = "chunked")]
    ChunkedUpload,
    /// The initial request of an event stream (Transcribe, Lex, Bedrock
    /// streaming): every service but S3, whose event streams
    /// (`SelectObjectContent`) are responses, never signed requests.
    #[cfg(feature = "eventstream")]
    EventStream,
}

impl Form {
    /// Whether a signature of this form may be scoped to `service`.
    fn belongs_to(self, service: &str) -> bool {
        match self {
            Form::Request => true,
            #[cfg(feature = "eventstream")]
            Form::EventStream => !crate::settings::is_s3(service),
            // Every other form is S3's alone.
            #[allow(unreachable_patterns)]
            _ => crate::settings::is_s3(service),
        }
    }

    /// The form's name, for errors.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Form::Request => "a signed request",
            #[cfg(feature = "post")]
            Form::PostPolicy => "a POST policy",
            #[cfg(feature = "chunked")]
            Form::ChunkedUpload => "an aws-chunked upload",
            #[cfg(feature = "eventstream")]
            Form::EventStream => "an event stream",
        }
    }
}

/// How long a signature holds, as its form says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lifetime {
    /// A presigned URL: `X-Amz-Expires` seconds from signing, and not dated
    /// ahead of now by more than the skew.
    Expires(u64),
    /// An `Authorization` header: within the skew of now, either way.
    Header,
    /// A URL presigned without `X-Amz-Expires` (AWS IoT): within the skew
    /// of now, either way, and never longer than the longest expiry
    /// accepted.
    UrlWithoutExpiry,
    /// A POST policy: its signing key's life (the longest expiry accepted)
    /// from signing, and not dated ahead by more than the skew; the policy
    /// states its own expiration besides.
    #[cfg(feature = "post")]
    SigningKeyLife,
}

impl<F> Verifier<F> {
    /// Refuses a signature whose region and service are not accepted, or
    /// whose service the form does not belong to. `good_in` says which
    /// regions the signature holds in (SigV4: its scope's; SigV4a: those
    /// its set covers); `shown_region` names them in the error.
    pub(crate) fn accept_scope(
        &self,
        form: Form,
        good_in: impl Fn(&str) -> bool,
        shown_region: &str,
        service: &str,
    ) -> Result<(), VerifyError> {
        let accepted = self.accept_any
            || (self.accepted.iter()).any(|(accepted_region, accepted_service)| {
                accepted_region.as_deref().is_none_or(&good_in)
                    && accepted_service.as_ref().is_none_or(|svc| svc == service)
            });
        if !accepted {
            return Err(VerifyError::ScopeNotAccepted {
                region: shown_region.to_string(),
                service: service.to_string(),
            });
        }
        if !form.belongs_to(service) {
            return Err(VerifyError::ServiceNotForForm {
                form: form.name(),
                service: service.to_string(),
            });
        }
        Ok(())
    }

    /// Whether the verifier was told no hosts, and so serves any.
    #[cfg_attr(not(feature = "post"), allow(dead_code))]
    pub(crate) fn serves_any_host(&self) -> bool {
        self.hosts.is_empty()
    }

    /// Refuses a host the verifier does not serve (when it was told which).
    pub(crate) fn check_host(&self, host: &str) -> Result<(), VerifyError> {
        if !self.hosts.is_empty() && !self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return Err(VerifyError::HostNotAccepted {
                host: host.to_string(),
            });
        }
        Ok(())
    }

    /// Checks that a signature made at `signed_at` holds at `now`; gives
    /// when a presigned URL expires.
    pub(crate) fn validity_window(
        &self,
        lifetime: Lifetime,
        signed_at: SigningTime,
        now: SigningTime,
    ) -> Result<Option<SigningTime>, VerifyError> {
        let (now_s, signed_s) = (now.unix_seconds(), signed_at.unix_seconds());
        let skew = i64::try_from(self.max_skew).unwrap_or(i64::MAX);
        let ahead = signed_s > now_s.saturating_add(skew);
        match lifetime {
            Lifetime::Expires(expires_in) => {
                if expires_in == 0 || expires_in > self.max_expires {
                    return Err(VerifyError::InvalidExpires);
                }
                let expires_at = (signed_at.checked_add(expires_in))
                    .ok_or_else(|| VerifyError::InvalidExpires)?;
                if now_s > expires_at.unix_seconds() {
                    return Err(VerifyError::Expired {
                        expired_at: expires_at,
                    });
                }
                if ahead {
                    return Err(VerifyError::NotYetValid { signed_at });
                }
                Ok(Some(expires_at))
            }
            Lifetime::Header | Lifetime::UrlWithoutExpiry => {
                let allowed = match lifetime {
                    Lifetime::UrlWithoutExpiry => self.max_skew.min(self.max_expires),
                    _ => self.max_skew,
                };
                if signed_s.abs_diff(now_s) > allowed {
                    return Err(VerifyError::ClockSkew { signed_at });
                }
                Ok(None)
            }
            #[cfg(feature = "post")]
            Lifetime::SigningKeyLife => {
                if ahead {
                    return Err(VerifyError::NotYetValid { signed_at });
                }
                let max = i64::try_from(self.max_expires).unwrap_or(i64::MAX);
                if now_s.saturating_sub(signed_s) > max {
                    return Err(VerifyError::SignedTooLongAgo { signed_at });
                }
                Ok(None)
            }
        }
    }

    /// The credentials of `key_id`, from the verifier's lookup.
    pub(crate) fn credentials_for<C>(&self, key_id: &str) -> Result<C, VerifyError>
    where
        F: Fn(&str) -> Option<C>,
    {
        (self.lookup)(key_id).ok_or_else(|| VerifyError::UnknownAccessKey {
            access_key_id: key_id.to_string(),
        })
    }

    /// Checks an HMAC signature with `creds`' signing key for `scope` on the
    /// date of `amz_date` (signed at `signed_at`): `check` runs with the key
    /// kept in the cache (under its read lock), or with one derived now,
    /// kept only once it verified, so that requests signed with anything
    /// else cannot churn the cache. `then` runs with the key that verified;
    /// `None` means the signature did not.
    pub(crate) fn check_hmac<R>(
        &self,
        creds: &Credentials,
        (amz_date, signed_at): (&AmzDate, SigningTime),
        scope: &Scope,
        check: impl Fn(&SigningKey) -> bool,
        then: impl FnOnce(&SigningKey) -> R,
    ) -> Option<R> {
        let owner = KeyOwner {
            credentials: creds,
            scope_day: Some((scope, day_of(signed_at))),
        };
        // Moved into the cache's closure, or kept for a derived key.
        let mut then = Some(then);
        let kept = self.keys.kept(&owner, |key, _| {
            if check(key) {
                then.take().map(|then| then(key))
            } else {
                None
            }
        });
        match kept {
            Some(result) => result,
            None => {
                let key = SigningKey::derive(creds.secret_access_key(), amz_date, scope);
                if !check(&key) {
                    return None;
                }
                let result = then.take().map(|then| then(&key));
                (self.keys).keep(&owner, key, Proven::Verified);
                result
            }
        }
    }

    /// SigV4a: the ECDSA signature checked against the string to sign with
    /// the public key of `creds`.
    ///
    /// ECDSA signatures are malleable: from a valid `(r, s)` anyone can
    /// make `(r, n - s)`, which verifies too (AWS's own signers make both
    /// forms, so neither is refused). The signature is no request id: a
    /// server that dedups or tracks replays keys them on what was signed.
    #[cfg(feature = "sigv4a")]
    pub(crate) fn check_ecdsa(
        &self,
        r: &Received<'_>,
        creds: &Credentials,
    ) -> Result<crate::sigv4a::PublicKey, VerifyError> {
        let signature = r.signature;
        if !crate::sigv4a::is_der_signature_hex(signature) {
            return Err(VerifyError::MalformedDerSignature);
        }
        let scope = r.scope()?;
        let hash = r.request_hash()?;
        let mut string_to_sign = Vec::with_capacity(128);
        r.string_to_sign(&scope, &hash).write(&mut string_to_sign);
        // Kept as soon as it is derived, so that failed requests do not pay
        // a scalar multiplication each; the cache lets keys that never
        // verified leave before those that did (key ids are no secret).
        let owner = KeyOwner {
            credentials: creds,
            scope_day: None,
        };
        let (key, proven) = match self.public_keys.kept(&owner, |key, proven| (*key, proven)) {
            Some(kept) => kept,
            None => {
                let key = *crate::sigv4a::EcdsaKey::derive(creds)?.public_key();
                (self.public_keys).keep(&owner, key, Proven::Unverified);
                (key, Proven::Unverified)
            }
        };
        if !key.verifies(&string_to_sign, signature) {
            let (canonical_request, string_to_sign) = r.texts()?;
            return Err(VerifyError::SignatureMismatch {
                canonical_request,
                string_to_sign,
            });
        }
        if proven == Proven::Unverified {
            self.public_keys.mark_verified(&owner);
        }
        Ok(key)
    }
}

/// Refuses credentials that had expired when the request was signed or
/// have by `now`, and a session token that is not theirs (compared in
/// constant time), missing, or sent for credentials that have none.
pub(crate) fn accept_credentials(
    creds: &Credentials,
    signed_at: SigningTime,
    now: SigningTime,
    token_sent: Option<&str>,
) -> Result<(), VerifyError> {
    if let Some(expired_at) = creds.expires_at() {
        if now >= expired_at || signed_at >= expired_at {
            return Err(VerifyError::CredentialsExpired { expired_at });
        }
    }
    match (creds.session_token(), token_sent) {
        (Some(expected), Some(sent)) if !constant_time_eq(sent.as_bytes(), expected.as_bytes()) => {
            Err(VerifyError::SessionTokenMismatch)
        }
        (Some(_), None) => Err(VerifyError::SessionTokenMissing),
        (None, Some(_)) => Err(VerifyError::UnexpectedSessionToken),
        _ => Ok(()),
    }
}

/// The names a session token arrives under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenName {
    /// `X-Amz-Security-Token`: every service's (S3 Express's IAM mode too).
    SecurityToken,
    /// `X-Amz-S3session-Token` (query) or `x-amz-s3session-token` (header):
    /// S3 Express One Zone's session mode alone.
    S3Session(&'static str),
}

/// The token of one of two names, and refused when both came: a server
/// layer that reads one would act on a token the other verified.
pub(crate) fn one_token<'a>(
    security: Option<&'a str>,
    s3_session: Option<&'a str>,
    s3_session_name: &'static str,
) -> Result<Option<(&'a str, TokenName)>, VerifyError> {
    match (security, s3_session) {
        (Some(_), Some(_)) => Err(VerifyError::SessionTokenAmbiguous),
        (Some(token), None) => Ok(Some((token, TokenName::SecurityToken))),
        (None, Some(token)) => Ok(Some((token, TokenName::S3Session(s3_session_name)))),
        (None, None) => Ok(None),
    }
}

/// Refuses S3 Express's session token on a signature scoped to another
/// service: only `s3express` signatures carry it.
pub(crate) fn token_in_place(
    token: Option<(&str, TokenName)>,
    service: &str,
) -> Result<(), VerifyError> {
    match token {
        Some((_, TokenName::S3Session(name))) if service != crate::settings::S3_EXPRESS => {
            Err(VerifyError::SessionTokenNotForService {
                name,
                service: service.to_string(),
            })
        }
        _ => Ok(()),
    }
}

/// Whether `name` is a session token's header, in any case
/// (`x-amz-security-token`, S3 Express's `x-amz-s3session-token`).
pub(crate) fn is_token_header(name: &str) -> bool {
    ["x-amz-security-token", "x-amz-s3session-token"]
        .iter()
        .any(|token| name.eq_ignore_ascii_case(token))
}
