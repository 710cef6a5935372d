//! Verifying in any Rust server (feature `tower`): [`VerifyLayer`], a
//! tower layer that verifies every request before the service behind it
//! sees it, its body as it streams, and answers a refused request as S3
//! does.
//!
//! The layer reads the clock itself (injectable, [`VerifyLayer::with_clock`]),
//! verifies presigned URLs and `Authorization` headers (SigV4, SigV4a, S3
//! Express session tokens) through the checks every form shares, and hands
//! the request on with the [`Verified`](crate::verify::Verified) claims in its extensions and its
//! body as a [`VerifyingBody`]:
//!
//! * a signed `x-amz-content-sha256` (hex) is checked as the body streams:
//!   the body fails at its end, before the handler can take it as complete,
//!   if its SHA-256 differs;
//! * an aws-chunked body (every `STREAMING-…` mode) goes through the chunk
//!   verifier: in the signed modes the handler sees only chunks that
//!   verified, in the unsigned one the trailer's checksum is checked at the
//!   end; memory stays bounded by one chunk. The request's
//!   `content-length` becomes the decoded length and `aws-chunked` leaves
//!   its `content-encoding`, as S3 does;
//! * `UNSIGNED-PAYLOAD` passes as it comes;
//! * a signature over the body's hash without `x-amz-content-sha256` (what
//!   the SDKs send to JSON-protocol services) cannot be checked before the
//!   body ends, so that body is read first, up to
//!   [`VerifyLayer::max_buffered_body`] (1 MiB by default; more is
//!   `EntityTooLarge`).
//!
//! A refused request gets S3's status, code and XML ([`S3Error`];
//! [`VerifyLayer::with_renderer`] replaces the rendering, e.g. with
//! [`S3Error::to_json`] for a JSON-protocol service). A request with no
//! authentication is `AccessDenied`; a browser's POST form upload, which
//! authenticates in its multipart body, passes only when
//! [`VerifyLayer::allow_post_forms`] says so, marked [`UnverifiedPostForm`]
//! for the handler to verify with
//! [`Verifier::verify_post`](crate::verify::Verifier::verify_post).
//!
//! ```
//! use awsig::layer::VerifyLayer;
//! use awsig::s3::{S3Presigner, S3Request};
//! use awsig::{verify::{Verified, Verifier}, Credentials, SigningTime};
//! use axum::{body::Body, extract::Request, routing::get, Router};
//! use tower::ServiceExt;
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
//! let store = creds.clone();
//! let verifier = Verifier::new(move |_: &str| Some(store.clone())).accept("us-east-1", "s3");
//! let at = SigningTime::parse("2026-12-07T12:00:00Z")?;
//! let app = Router::new()
//!     // axum hands the handler the verified body as its own `Body`.
//!     .route("/{bucket}/{*key}", get(|req: Request| async move {
//!         let who = req.extensions().get::<Verified>().map(|v| v.access_key_id().to_string());
//!         who.unwrap_or_default()
//!     }))
//!     .layer(VerifyLayer::new(verifier).with_clock(move || at).with_scheme(awsig::Scheme::Http));
//!
//! let url = S3Presigner::new(creds, "us-east-1")?
//!     .with_endpoint(awsig::s3::Endpoint::parse("http://127.0.0.1:9000")?)
//!     .presign(&S3Request::get("bucket", "cat.jpg"), at)?;
//! let path = &url.as_str()["http://127.0.0.1:9000".len()..];
//! let request = axum::http::Request::get(path).header("host", "127.0.0.1:9000").body(Body::empty())?;
//! let runtime = tokio::runtime::Builder::new_current_thread().build()?;
//! let response = runtime.block_on(app.clone().oneshot(request))?;
//! assert_eq!(response.status(), 200);
//!
//! let tampered = path.replace("cat.jpg", "dog.jpg");
//! let request = axum::http::Request::get(tampered).header("host", "127.0.0.1:9000").body(Body::empty())?;
//! let response = runtime.block_on(app.oneshot(request))?;
//! assert_eq!(response.status(), 403); // SignatureDoesNotMatch, as S3 writes it
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Credentials from an async store
//!
//! The verifier's lookup is synchronous and runs on the request's task:
//! keep it a read of memory. To serve keys from a database or a secrets
//! service, keep the live ones in a map the lookup reads (an
//! `Arc<RwLock<HashMap<String, Arc<Credentials>>>>`, or `arc-swap`) and
//! refresh it from a background task; a key the map does not hold is
//! `InvalidAccessKeyId`, as it would be at S3.

mod body;
mod s3_error;
mod verify;

pub use body::{BodyError, VerifyingBody};
pub use s3_error::S3Error;

use crate::credentials::Credentials;
use crate::request::Scheme;
use crate::scope::SigningTime;
use crate::verify::Verifier;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use http_body::Body;
use std::boxed::Box;
use std::string::String;
use std::sync::Arc;

/// The most a layer reads of a body before it can check a signature over
/// its hash, by default: 1 MiB.
pub const DEFAULT_MAX_BUFFERED_BODY: usize = 1024 * 1024;

/// Marks a POST form upload the layer let through unverified
/// ([`VerifyLayer::allow_post_forms`]): its authentication is in its
/// multipart body, for the handler to verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnverifiedPostForm;

type Clock = Arc<dyn Fn() -> SigningTime + Send + Sync>;
type Renderer = Arc<dyn Fn(&S3Error) -> http::Response<String> + Send + Sync>;

/// A tower [`Layer`](tower::Layer) that verifies each request with a
/// [`Verifier`] (see the [module docs](self)).
pub struct VerifyLayer<F> {
    shared: Arc<Shared<F>>,
}

impl<F> Clone for VerifyLayer<F> {
    fn clone(&self) -> Self {
        VerifyLayer {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<F> core::fmt::Debug for VerifyLayer<F> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifyLayer")
            .field("verifier", &self.shared.verifier)
            .field("scheme", &self.shared.scheme)
            .field("max_buffered_body", &self.shared.max_buffered_body)
            .field("post_forms", &self.shared.post_forms)
            .finish_non_exhaustive()
    }
}

/// Whether POST form uploads pass unverified, marked, to the handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PostForms {
    Refused,
    PassedMarked,
}

struct Shared<F> {
    verifier: Arc<Verifier<F>>,
    clock: Clock,
    renderer: Renderer,
    scheme: Scheme,
    max_buffered_body: usize,
    post_forms: PostForms,
}

impl<F> Clone for Shared<F> {
    fn clone(&self) -> Self {
        Shared {
            verifier: Arc::clone(&self.verifier),
            clock: Arc::clone(&self.clock),
            renderer: Arc::clone(&self.renderer),
            scheme: self.scheme,
            max_buffered_body: self.max_buffered_body,
            post_forms: self.post_forms,
        }
    }
}

impl<F> VerifyLayer<F> {
    /// A layer verifying with `verifier`, the system clock, S3's XML errors,
    /// `https` as the scheme requests were signed for, and POST forms
    /// refused.
    pub fn new(verifier: Verifier<F>) -> VerifyLayer<F> {
        VerifyLayer {
            shared: Arc::new(Shared {
                verifier: Arc::new(verifier),
                clock: Arc::new(system_now),
                renderer: Arc::new(render_xml),
                scheme: Scheme::Https,
                max_buffered_body: DEFAULT_MAX_BUFFERED_BODY,
                post_forms: PostForms::Refused,
            }),
        }
    }

    /// A layer with `change` made to its settings (the verifier and its
    /// key cache stay shared with the layer it came from).
    fn with(self, change: impl FnOnce(&mut Shared<F>)) -> VerifyLayer<F> {
        let mut shared = Shared::clone(&self.shared);
        change(&mut shared);
        VerifyLayer {
            shared: Arc::new(shared),
        }
    }

    /// Reads the time from `clock` instead of the system's (tests, or a
    /// clock kept in step otherwise).
    pub fn with_clock(self, clock: impl Fn() -> SigningTime + Send + Sync + 'static) -> Self {
        self.with(|s| s.clock = Arc::new(clock))
    }

    /// Renders refusals with `render` instead of S3's XML.
    pub fn with_renderer(
        self,
        render: impl Fn(&S3Error) -> http::Response<String> + Send + Sync + 'static,
    ) -> Self {
        self.with(|s| s.renderer = Arc::new(render))
    }

    /// The scheme clients signed for (`https` by default): it decides
    /// which port is the default one, left out of the signed host.
    pub fn with_scheme(self, scheme: Scheme) -> Self {
        self.with(|s| s.scheme = scheme)
    }

    /// The most read of a body whose signature covers its hash without
    /// `x-amz-content-sha256` (1 MiB by default).
    pub fn max_buffered_body(self, bytes: usize) -> Self {
        self.with(|s| s.max_buffered_body = bytes)
    }

    /// Lets browser POST form uploads (`POST` with `multipart/form-data`
    /// and no other authentication) through unverified, marked
    /// [`UnverifiedPostForm`]: the handler must verify the form with
    /// [`Verifier::verify_post`].
    pub fn allow_post_forms(self) -> Self {
        self.with(|s| s.post_forms = PostForms::PassedMarked)
    }
}

impl<S, F> tower::Layer<S> for VerifyLayer<F> {
    type Service = VerifyService<S, F>;

    fn layer(&self, inner: S) -> Self::Service {
        VerifyService {
            inner,
            shared: Arc::clone(&self.shared),
        }
    }
}

/// The service [`VerifyLayer`] wraps around another.
pub struct VerifyService<S, F> {
    inner: S,
    shared: Arc<Shared<F>>,
}

impl<S: Clone, F> Clone for VerifyService<S, F> {
    fn clone(&self) -> Self {
        VerifyService {
            inner: self.inner.clone(),
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<S, F> core::fmt::Debug for VerifyService<S, F> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifyService").finish_non_exhaustive()
    }
}

/// The future a [`VerifyService`] returns.
pub type VerifyFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

impl<S, F, C, B, ResBody> tower::Service<http::Request<B>> for VerifyService<S, F>
where
    S: tower::Service<http::Request<VerifyingBody<B>>, Response = http::Response<ResBody>>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    F: Fn(&str) -> Option<C> + Send + Sync + 'static,
    C: core::borrow::Borrow<Credentials>,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    ResBody: From<String>,
{
    type Response = http::Response<ResBody>;
    type Error = S::Error;
    type Future = VerifyFuture<Self::Response, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        // The clone that was made ready is the one that serves (tower's
        // usual dance); a fresh clone stays behind.
        let fresh = self.inner.clone();
        let mut inner = core::mem::replace(&mut self.inner, fresh);
        let shared = Arc::clone(&self.shared);
        Box::pin(async move {
            match shared.verify(req).await {
                Ok(req) => inner.call(req).await,
                Err(refusal) => {
                    let response = (shared.renderer)(&refusal);
                    Ok(response.map(ResBody::from))
                }
            }
        })
    }
}

/// The system clock, as a signing time. A clock set before 1970 or after
/// 9999 reads as the epoch, at which no signature is current.
fn system_now() -> SigningTime {
    SigningTime::try_from(std::time::SystemTime::now()).unwrap_or(SigningTime::UNIX_EPOCH)
}

/// S3's XML error response.
fn render_xml(error: &S3Error) -> http::Response<String> {
    let mut response = http::Response::new(error.to_xml());
    *response.status_mut() =
        http::StatusCode::from_u16(error.status).unwrap_or(http::StatusCode::FORBIDDEN);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/xml"),
    );
    response
}
