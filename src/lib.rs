//! AWS Signature Version 4 by hand: presigned URLs and `Authorization`
//! headers, pure and synchronous, with no AWS SDK; and the verifier that
//! checks them on a server.
//!
//! A presigned S3 URL, and the server that handed it out checking it:
//!
//! ```
//! use awsig::s3::{S3Presigner, S3Request};
//! use awsig::{verify::Verifier, Credentials, SigningTime};
//!
//! let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! let s3 = S3Presigner::new(creds.clone(), "us-east-1")?;          // keeps the day's signing key
//! let now = SigningTime::parse("2026-12-07T12:00:00Z")?;  // always an input (`SystemTime` converts)
//! let url = s3.presign(&S3Request::get("examplebucket", "photos/cat 1.jpg"), now)?; // 900 s
//!
//! let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept("us-east-1", "s3");
//! let ok = verifier.verify_presigned("GET", url.as_str(), &[], None, now).expect("valid");
//! assert_eq!(ok.access_key_id(), "AKIAIOSFODNN7EXAMPLE");
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! Any other service goes through [`Signer`] and a [`Request`]; the example
//! of the S3 documentation ("Authenticating Requests: Using Query
//! Parameters") gives the documented signature:
//!
//! ```
//! use awsig::{Credentials, Request, Signer, SigningTime};
//!
//! let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! let signer = Signer::new(creds, "us-east-1", "s3")?;
//! let time = SigningTime::parse("2013-05-24T00:00:00Z")?; // always an input: no clock here
//! let req = Request::new("GET", "examplebucket.s3.amazonaws.com", "/test.txt");
//! let url = signer.presign(&req, time, 86_400)?;
//! assert_eq!(url.signature(), "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! The path through the crate runs one way:
//! request parts ([`Request`]) → canonical request ([`canonical`], hashed as it
//! is written) → string to sign → HMAC with the cached signing key ([`key`]) →
//! URL or `Authorization` header ([`sign`]).
//!
//! Nothing reads the clock or the environment, nothing panics on bad input
//! (every mistake is an [`Error`] naming the input), and secrets never appear
//! in `Debug` output or errors.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod canonical;
#[cfg(feature = "chunked")]
pub mod chunked;
pub mod credentials;
pub mod encoding;
pub mod error;
#[cfg(feature = "eventstream")]
pub mod eventstream;
pub mod explain;
#[cfg(feature = "http")]
pub mod http;
pub mod key;
mod key_cache;
#[cfg(feature = "tower")]
pub mod layer;
#[cfg(feature = "post")]
pub mod post;
pub mod request;
pub mod s3;
pub mod scope;
pub mod settings;
pub mod sign;
#[cfg(feature = "sigv4a")]
pub mod sigv4a;
pub mod string_to_sign;
pub mod verify;

/// The README's Rust examples, compiled and run as doctests (with `post`,
/// whose example is among them: `.ci/test` enables it).
#[cfg(all(doctest, feature = "post"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use credentials::Credentials;
pub use error::Error;
pub use key::{KeyChain, SigningKey};
pub use request::{Payload, Request, Scheme, Streaming};
pub use scope::{Scope, SigningTime};
pub use settings::{
    ContentSha256Header, DefaultPayload, ExpiryPastCredentials, PathNormalization, PresignExpiry,
    SessionTokenMode, Settings, UriEncoding,
};
pub use sign::{Authorization, HeaderSignature, PresignedUrl, Signer, SigningMode};
pub use string_to_sign::Algorithm;
