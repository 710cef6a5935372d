//! What the layer does with a request before its service sees it: how it
//! authenticates, the verifier's verdict, and the body it is handed on
//! with.

use super::body::Check;
use super::{BodyError, PostForms, S3Error, Shared, UnverifiedPostForm, VerifyingBody};
use crate::credentials::Credentials;
use crate::request::Payload;
use crate::verify::VerifyError;
use bytes::Bytes;
use http_body::Body;
use std::boxed::Box;
use std::string::{String, ToString};
use std::vec::Vec;

/// A payload hash no body has (its SHA-256 would have to be all zeros):
/// what a signature over a body is first checked against, before the body
/// is read.
const PLACEHOLDER: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How a request authenticates, read from what it carries.
enum Carries {
    /// The signature in the query.
    Query,
    /// An `Authorization` header.
    Header,
    /// A browser POST form upload (authenticated in its body).
    PostForm,
    /// Nothing.
    Nothing,
}

fn carries<B>(req: &http::Request<B>) -> Carries {
    let query = req.uri().query().unwrap_or_default();
    if req.headers().contains_key(http::header::AUTHORIZATION) {
        return Carries::Header;
    }
    let in_query = query
        .split('&')
        .any(|p| p.starts_with("X-Amz-Signature=") || p.starts_with("X-Amz-Credential="));
    if in_query {
        return Carries::Query;
    }
    // S3's POST Object: a form posted to the bucket itself (`/` on a
    // virtual host, `/bucket` path style), with no subresource: nothing
    // else passes as a form.
    let path = req.uri().path();
    let bucket_level = path
        .trim_start_matches('/')
        .trim_end_matches('/')
        .find('/')
        .is_none();
    let form = req.method() == http::Method::POST
        && bucket_level
        && query.is_empty()
        && (req.headers().get(http::header::CONTENT_TYPE))
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("multipart/form-data")
            });
    match form {
        true => Carries::PostForm,
        false => Carries::Nothing,
    }
}

impl<F> Shared<F> {
    /// Verifies `req`, reading its body first only when its signature
    /// covers the body's hash and no header claims it.
    pub(super) async fn verify<B, C>(
        &self,
        req: http::Request<B>,
    ) -> Result<http::Request<VerifyingBody<B>>, S3Error>
    where
        F: Fn(&str) -> Option<C>,
        C: core::borrow::Borrow<Credentials>,
        B: Body,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let now = (self.clock)();
        let in_query = match carries(&req) {
            Carries::Header => false,
            Carries::Query => true,
            Carries::PostForm if self.post_forms == PostForms::PassedMarked => {
                let (mut parts, body) = req.into_parts();
                parts.extensions.insert(UnverifiedPostForm);
                let body = VerifyingBody::streaming(body, Check::Nothing);
                return Ok(http::Request::from_parts(parts, body));
            }
            Carries::PostForm | Carries::Nothing => return Err(S3Error::anonymous()),
        };
        let (mut parts, body) = req.into_parts();
        let claim = (parts.headers.get("x-amz-content-sha256"))
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim_matches([' ', '\t']).to_string());
        let refuse = |e: VerifyError| S3Error::of(&e, in_query);
        let streaming = claim.as_deref().is_some_and(|c| {
            c.starts_with("STREAMING-") && c != "STREAMING-AWS4-HMAC-SHA256-EVENTS"
        });
        if !in_query && streaming {
            let (verified, chunks) = self
                .with_request(&parts, |method, url, headers| {
                    self.verifier.verify_streaming(method, url, headers, now)
                })
                .map_err(refuse)?;
            as_s3_decodes(&mut parts.headers);
            parts.extensions.insert(verified);
            let body = VerifyingBody::streaming(body, Check::chunked(chunks));
            return Ok(http::Request::from_parts(parts, body));
        }
        let expected = claim.as_deref().and_then(|c| {
            let mut out = [0u8; 32];
            hex::decode_to_slice(c, &mut out).ok().map(|()| out)
        });
        let first = self.with_request(&parts, |method, url, headers| match in_query {
            true => self
                .verifier
                .verify_presigned(method, url, headers, None, now),
            false => self
                .verifier
                .verify_authorization(method, url, headers, None, now),
        });
        let verified = match first {
            Ok(verified) => verified,
            // The signature covers the body: it must be read to be checked,
            // but only once every other check passed (a placeholder hash
            // runs them all; only the signature can then fail), so that an
            // unknown key, another scope or a stale date costs no read.
            Err(VerifyError::PayloadRequired { .. }) => {
                let placeholder = Some(Payload::Sha256Hex(PLACEHOLDER));
                let checked = self.with_request(&parts, |method, url, headers| match in_query {
                    true => {
                        (self.verifier).verify_presigned(method, url, headers, placeholder, now)
                    }
                    false => {
                        (self.verifier).verify_authorization(method, url, headers, placeholder, now)
                    }
                });
                match checked {
                    Err(VerifyError::SignatureMismatch { .. }) | Ok(_) => {}
                    Err(e) => return Err(refuse(e)),
                }
                let bytes = read_all(body, self.max_buffered_body).await?;
                let verified = self
                    .with_request(&parts, |method, url, headers| {
                        let payload = Some(Payload::Bytes(&bytes));
                        match in_query {
                            true => self
                                .verifier
                                .verify_presigned(method, url, headers, payload, now),
                            false => self
                                .verifier
                                .verify_authorization(method, url, headers, payload, now),
                        }
                    })
                    .map_err(refuse)?;
                parts.extensions.insert(verified);
                return Ok(http::Request::from_parts(
                    parts,
                    VerifyingBody::buffered(bytes),
                ));
            }
            Err(e) => return Err(refuse(e)),
        };
        parts.extensions.insert(verified);
        let check = match expected {
            Some(expected) => Check::Sha256 {
                expected,
                hasher: sha2::Sha256::default(),
            },
            None => Check::Nothing,
        };
        Ok(http::Request::from_parts(
            parts,
            VerifyingBody::streaming(body, check),
        ))
    }

    /// Runs `verify` with the request's method, its URL (scheme, `Host`,
    /// path and query) and its headers.
    fn with_request<R>(
        &self,
        parts: &http::request::Parts,
        verify: impl FnOnce(&str, &str, &[(&str, &str)]) -> Result<R, VerifyError>,
    ) -> Result<R, VerifyError> {
        let host = match parts.uri.authority() {
            Some(authority) => authority.as_str(),
            None => crate::http::host_header(&parts.headers)?,
        };
        let url = crate::http::received_url(self.scheme.as_str(), host, &parts.uri);
        let headers = crate::http::received_headers(&parts.headers)?;
        verify(parts.method.as_str(), &url, &headers)
    }
}

/// What S3 does to a verified aws-chunked request: its `content-length` is
/// the decoded length, and `aws-chunked` leaves its `content-encoding`.
fn as_s3_decodes(headers: &mut http::HeaderMap) {
    if let Some(decoded) = headers.get("x-amz-decoded-content-length").cloned() {
        headers.insert(http::header::CONTENT_LENGTH, decoded);
    }
    let rest: Option<String> = (headers.get(http::header::CONTENT_ENCODING))
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|e| !e.eq_ignore_ascii_case("aws-chunked") && !e.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        });
    match rest {
        Some(rest) if !rest.is_empty() => {
            if let Ok(value) = http::HeaderValue::from_str(&rest) {
                headers.insert(http::header::CONTENT_ENCODING, value);
            }
        }
        _ => {
            headers.remove(http::header::CONTENT_ENCODING);
        }
    }
}

/// Reads `body` whole, refusing more than `limit` bytes.
async fn read_all<B>(body: B, limit: usize) -> Result<Bytes, S3Error>
where
    B: Body,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    use bytes::Buf;
    let mut body = Box::pin(body);
    let mut all = Vec::new();
    loop {
        let frame = core::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await;
        match frame {
            None => return Ok(Bytes::from(all)),
            Some(Err(e)) => return Err(BodyError::Inner(e.into()).s3_error()),
            Some(Ok(frame)) => {
                if let Ok(mut data) = frame.into_data() {
                    if all.len() + data.remaining() > limit {
                        return Err(S3Error::too_large(limit));
                    }
                    while data.has_remaining() {
                        let chunk = data.chunk();
                        all.extend_from_slice(chunk);
                        let n = chunk.len();
                        data.advance(n);
                    }
                }
            }
        }
    }
}
