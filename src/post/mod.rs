//! Browser uploads: presigned POST policies (feature `post`).
//!
//! A browser uploads straight to S3 with an HTML form. The form carries a POST policy (a JSON
//! document, base64-encoded, that lists an expiration and the conditions the upload must meet) and
//! the policy's signature: the HMAC of its base64 text under the day's signing key. S3 checks the
//! signature, then every condition against the form's fields. [`S3Presigner::presign_post`] writes
//! the policy and the form; [`Verifier::verify_post`](crate::verify::Verifier::verify_post) checks
//! an upload as S3 does.
//!
//! ```
//! use awsig::post::PostRequest;
//! use awsig::s3::S3Presigner;
//! use awsig::{Credentials, SigningTime};
//!
//! let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! let s3 = S3Presigner::new(creds, "us-east-1")?;
//! let now = SigningTime::parse("2015-12-29T00:00:00Z")?; // an input: no clock here
//! let expires = SigningTime::parse("2015-12-29T01:00:00Z")?;
//! let upload = PostRequest::new("sigv4examplebucket", "user/user1/${filename}", expires)
//!     .starts_with("Content-Type", "image/")
//!     .field("Content-Type", "image/jpeg")
//!     .content_length_range(1, 10 * 1024 * 1024);
//! let form = s3.presign_post(&upload, now)?;
//! assert_eq!(form.url(), "https://sigv4examplebucket.s3.amazonaws.com/");
//! assert_eq!(form.field("key"), Some("user/user1/${filename}"));
//! assert_eq!(form.fields().last().map(|(name, _)| name.as_str()), Some("x-amz-signature"));
//! let html = form.html_form(); // hidden fields, then the file input, last as S3 requires
//! assert!(html.contains(r#"<input type="file" name="file">"#));
//! let json = form.to_json();   // {"url": ..., "fields": {...}}, as boto3 returns it
//! # let _ = json;
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! # What the signer writes
//!
//! * **Conditions.** The caller's (`eq`, `starts_with`, `content_length_range`), then `bucket`,
//!   then `key`: the key exactly, or, when it ends with `${filename}`, `starts-with` the part
//!   before it, as botocore does (a `${filename}` elsewhere stays in an exact condition, which S3
//!   and the verifier expand on both sides), unless the request sets a condition on `key` itself.
//!   Every other field it is given is pinned the same way unless the request sets a condition on
//!   that field or its name starts with `x-ignore-` (which S3 exempts), so that a form never
//!   carries a field its policy does not cover (S3 refuses those). Last come `x-amz-algorithm`,
//!   `x-amz-credential`, `x-amz-date` and, with temporary credentials, `x-amz-security-token`.
//! * **Checks.** A field or condition the signer owns, a repeated field, a field that fails the
//!   policy's own conditions (a form that could never upload), an expiry not after the signing time
//!   or over 7 days (when the signing key expires), or past temporary credentials' expiry: each is
//!   an `Error` naming the field.
//! * **The JSON** is compact and escaped by `serde_json`; [`Policy::from_base64`] reads a received
//!   one back, and [`S3Presigner::sign_post_policy`] signs a policy written elsewhere.
//!
//! # What the verifier checks
//!
//! A server that receives the upload hands the form's fields, in order, to the verifier:
//!
//! ```
//! # use awsig::post::PostRequest;
//! # use awsig::s3::S3Presigner;
//! use awsig::post::PostUpload;
//! use awsig::verify::Verifier;
//! # use awsig::{Credentials, SigningTime};
//! # let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
//! # let now = SigningTime::parse("2026-12-01T12:00:00Z")?;
//! # let until = SigningTime::parse("2026-12-01T13:00:00Z")?;
//! # let req = PostRequest::new("uploads", "photos/${filename}", until);
//! # let form = S3Presigner::new(creds.clone(), "eu-west-1")?.presign_post(&req, now)?;
//! let fields: Vec<(&str, &str)> = form.fields().iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
//! let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept("eu-west-1", "s3");
//! let upload = PostUpload::new("uploads", &fields, 2048).with_file_name("cat.png");
//! assert_eq!(verifier.verify_post(&upload, now).unwrap().key(), "photos/cat.png");
//! # Ok::<(), awsig::Error>(())
//! ```
//!
//! Each failure is its own [`PostError`]; the checks every form shares (scope, host, window,
//! credentials, token, the key) report through [`PostError::Verify`]. It checks the fields present
//! once each (names ignore ASCII case, as S3's do); `x-amz-algorithm`; the credential, its scope
//! (among the accepted ones, and S3's: a policy signed for any other service is refused) and date;
//! the host, when the verifier serves given hosts ([`PostUpload::with_host`]); `x-amz-date` not
//! ahead of the skew nor older than a signing key lasts; the credentials and their session token;
//! the signature, with the cached key, in constant time; the policy read strictly (base64, JSON
//! with no repeated member in any object, exactly `expiration` and `conditions`, each condition in
//! one of S3's forms: a repeated member would make the policy mean two things); its expiry; the
//! conditions S3 requires (`x-amz-algorithm`, `x-amz-credential`, `x-amz-date`) and `bucket`
//! (without it a form would upload to any bucket of the signer's); every condition against the
//! fields with `${filename}` expanded in both (`Content-Type` lists item by item, a condition on an
//! absent field fails); `content-length-range` against the file's size; and that every field is
//! covered by a condition. The exemptions are the ones the POST policy page lists: "Each form field
//! that you specify in a form (except `x-amz-signature`, `file`, `policy`, and field names that
//! have an `x-ignore-` prefix) must appear in the list of conditions" (S3 API reference,
//! `sigv4-HTTPPOSTConstructPolicy`).
//!
//! The S3 documentation's example (`test-vectors/aws-docs/s3-post-example.json`) and 297 botocore
//! `generate_presigned_post` forms (`test-vectors/botocore/s3-post.json`) are reproduced, and
//! s3s-fs takes and refuses forms as their policies say. The command-line tool has `awsig
//! presign-post` (`--json` prints what boto3's `generate_presigned_post` returns) and `awsig
//! verify-post`, which reads that output.
//!
//! # The demo
//!
//! `examples/demo` (axum) serves two pages against an S3 server: a private object shown through a
//! presigned GET URL that lives a few seconds, with the same URL again once it has expired; and an
//! upload form from a presigned POST that posts straight to the server. Run `.ci/s3s-start &&
//! source target/s3s/env && cargo run --features post --example demo`, then open
//! `http://127.0.0.1:8080/`. The URL signs `response-cache-control=no-store`: a browser that kept a
//! copy would go on showing the object after the URL expires. The expired image sits in a frame of
//! its own, because a document reuses an image it already has for the same URL (HTML's "list of
//! available images").
//!
//! `tests/browser.rs` serves the same pages in-process and drives Debian's headless Chromium
//! through `chromedriver`: the object loads before expiry; afterwards the same URL loads nothing in
//! the page and answers 403 `Request has expired`; the form uploads a 50 KB file chosen in the file
//! input, and the object read back is byte-identical. Its screenshots are
//! `docs/demo-presigned-url.png` and `docs/demo-upload-form.png`.

mod form;
pub(crate) mod policy;
mod verify;

pub use form::PresignedPost;
pub use policy::{Condition, Policy};
pub use verify::{PostError, PostUpload, VerifiedPost};

use crate::error::Error;
use crate::s3::S3Presigner;
use crate::scope::SigningTime;
use crate::string_to_sign::StringToSign;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// The fields a form carries that no condition may name and no caller may
/// set: the signer writes them (or, for `file`, the form's file input).
pub(crate) const SIGNER_FIELDS: [&str; 7] = [
    "policy",
    "x-amz-signature",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-security-token",
    "file",
];

/// A browser upload to presign: the bucket, the key, when the policy
/// expires, its conditions and the form's other fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRequest<'a> {
    bucket: &'a str,
    key: &'a str,
    expiration: SigningTime,
    conditions: Vec<Condition>,
    fields: Vec<(&'a str, &'a str)>,
}

impl<'a> PostRequest<'a> {
    /// An upload of `key` (which may end in `${filename}`, the name of the
    /// file the user picks) to `bucket`, allowed until `expiration`.
    pub fn new(bucket: &'a str, key: &'a str, expiration: SigningTime) -> Self {
        PostRequest {
            bucket,
            key,
            expiration,
            conditions: Vec::new(),
            fields: Vec::new(),
        }
    }

    /// Requires `field` to be exactly `value`.
    pub fn eq(mut self, field: &str, value: &str) -> Self {
        self.conditions.push(Condition::Eq {
            field: field.to_string(),
            value: value.to_string(),
        });
        self
    }

    /// Requires `field` to start with `prefix` (`""`: any value). On `key`,
    /// it lets the client choose the key within `prefix`.
    pub fn starts_with(mut self, field: &str, prefix: &str) -> Self {
        self.conditions.push(Condition::StartsWith {
            field: field.to_string(),
            prefix: prefix.to_string(),
        });
        self
    }

    /// Requires the file's size to be from `min` to `max` bytes, both included.
    pub fn content_length_range(mut self, min: u64, max: u64) -> Self {
        self.conditions
            .push(Condition::ContentLengthRange { min, max });
        self
    }

    /// Adds a form field (`Content-Type`, `acl`, `x-amz-meta-*`,
    /// `success_action_status`, ...), sent in the order added, after `key`.
    pub fn field(mut self, name: &'a str, value: &'a str) -> Self {
        self.fields.push((name, value));
        self
    }

    /// The bucket.
    pub fn bucket(&self) -> &'a str {
        self.bucket
    }

    /// The key, as the form sends it.
    pub fn key(&self) -> &'a str {
        self.key
    }

    /// When the policy expires.
    pub fn expiration(&self) -> SigningTime {
        self.expiration
    }
}

/// `${filename}`, which S3 replaces in every field with the uploaded file's name.
pub(crate) const FILENAME: &str = "${filename}";

/// Whether `name` is one of the fields the signer writes.
pub(crate) fn is_signer_field(name: &str) -> bool {
    SIGNER_FIELDS.iter().any(|f| f.eq_ignore_ascii_case(name))
}

/// Whether `name` is exempt from the rule that every field is covered by a
/// condition. The SigV4 POST policy page (`sigv4-HTTPPOSTConstructPolicy`):
/// "Each form field that you specify in a form (except `x-amz-signature`,
/// `file`, `policy`, and field names that have an `x-ignore-` prefix) must
/// appear in the list of conditions."
pub(crate) fn is_exempt_field(name: &str) -> bool {
    ["x-amz-signature", "file", "policy"]
        .iter()
        .any(|f| f.eq_ignore_ascii_case(name))
        || name
            .get(.."x-ignore-".len())
            .is_some_and(|p| p.eq_ignore_ascii_case("x-ignore-"))
}

impl S3Presigner {
    /// Presigns a browser upload at `time`: the form's action URL (addressed
    /// as [`S3Presigner::presign`] addresses the bucket), its fields in
    /// order, and the signed policy. See the [module docs](crate::post).
    pub fn presign_post(
        &self,
        req: &PostRequest<'_>,
        time: SigningTime,
    ) -> Result<PresignedPost, Error> {
        let url = self.bucket_url(req.bucket)?;
        if req.key.is_empty() {
            return Err(Error::EmptyKey);
        }
        let signer = self.signer_for(req.bucket)?;
        let expires_in = req.expiration.unix_seconds() - time.unix_seconds();
        if expires_in <= 0 {
            return Err(Error::InvalidPostCondition {
                field: "expiration".into(),
                reason: "is not after the signing time",
            });
        }
        // The signing key lasts 7 days, and so does what it signs (the
        // settings' cap, as for presigned URLs).
        signer.check_expiry(time, expires_in.unsigned_abs())?;

        let mut fields: Vec<(String, String)> = Vec::with_capacity(req.fields.len() + 7);
        fields.push(("key".into(), req.key.into()));
        for (name, value) in &req.fields {
            check_field(name, &fields)?;
            fields.push(((*name).into(), (*value).into()));
        }
        for condition in &req.conditions {
            condition.check_settable()?;
        }

        // The policy: the caller's conditions, the bucket, the key, each
        // field no condition names, then authentication.
        let mut conditions = req.conditions.clone();
        let named = |field: &str| req.conditions.iter().any(|c| c.names(field));
        conditions.push(Condition::Eq {
            field: "bucket".into(),
            value: req.bucket.into(),
        });
        if !named("key") {
            conditions.push(pin("key", req.key));
        }
        for (name, value) in &req.fields {
            if !named(name) && !is_exempt_field(name) {
                conditions.push(pin(name, value));
            }
        }
        // A form whose own fields fail its conditions can never upload.
        for condition in &conditions {
            for (name, value) in &fields {
                if condition.names(name) && !value.contains(FILENAME) && !condition.holds(value) {
                    return Err(Error::InvalidPostField {
                        name: name.clone(),
                        reason: "fails a condition of the policy it is sent with",
                    });
                }
            }
        }

        let amz_date = time.amz_date();
        let credential = alloc::format!(
            "{}/{}",
            signer.credentials().access_key_id(),
            signer.scope().credential_scope(time)
        );
        let mut auth = Vec::with_capacity(4);
        auth.push(("x-amz-algorithm", signer.algorithm().name().to_string()));
        auth.push(("x-amz-credential", credential));
        auth.push(("x-amz-date", amz_date.as_str().to_string()));
        if let Some(token) = signer.credentials().session_token() {
            // S3 Express's session mode names its token its own way, as
            // botocore's `S3ExpressPostAuth` writes it.
            let name = match signer.settings().session_token {
                crate::settings::SessionTokenMode::S3ExpressSession => "X-Amz-S3session-Token",
                _ => "x-amz-security-token",
            };
            auth.push((name, token.to_string()));
        }
        for (name, value) in &auth {
            conditions.push(Condition::Eq {
                field: (*name).into(),
                value: value.clone(),
            });
        }
        let policy = Policy {
            expiration: req.expiration,
            conditions,
        };
        let policy_b64 = policy.to_base64();
        let signature =
            signer.with_key(time, |key| key.sign(&StringToSign::Policy(&policy_b64)))?;
        for (name, value) in auth {
            fields.push((name.into(), value));
        }
        fields.push(("policy".into(), policy_b64));
        fields.push(("x-amz-signature".into(), signature.as_str().into()));
        Ok(PresignedPost {
            url,
            fields,
            expires_at: req.expiration,
        })
    }
}

impl S3Presigner {
    /// The signature of a POST policy written elsewhere (its base64 text,
    /// exactly as the form sends it) under the key for the day of `time`:
    /// 64 lower-case hex digits for `x-amz-signature`. This is the
    /// presigner's own key, for general buckets; a directory bucket's form
    /// is signed by [`S3Presigner::sign_post_policy_for`].
    ///
    /// ```
    /// # use awsig::{s3::S3Presigner, Credentials, SigningTime};
    /// let s3 = S3Presigner::new(Credentials::new("AKIDEXAMPLE", "secret")?, "us-east-1")?;
    /// let signature = s3.sign_post_policy("eyJjb25kaXRpb25zIjpbXX0=", SigningTime::from_unix_seconds(0)?)?;
    /// assert_eq!(signature.len(), 64);
    /// # Ok::<(), awsig::Error>(())
    /// ```
    pub fn sign_post_policy(
        &self,
        policy_base64: &str,
        time: SigningTime,
    ) -> Result<String, Error> {
        let string_to_sign = StringToSign::Policy(policy_base64);
        let signature = (self.signer()).with_key(time, |key| key.sign(&string_to_sign))?;
        Ok(signature.as_str().into())
    }

    /// [`S3Presigner::sign_post_policy`] for a form that uploads to
    /// `bucket`: a directory bucket's policy is signed under `s3express`,
    /// with its session's credentials in session mode.
    pub fn sign_post_policy_for(
        &self,
        bucket: &str,
        policy_base64: &str,
        time: SigningTime,
    ) -> Result<String, Error> {
        let string_to_sign = StringToSign::Policy(policy_base64);
        let signer = self.signer_for(bucket)?;
        let signature = signer.with_key(time, |key| key.sign(&string_to_sign))?;
        Ok(signature.as_str().into())
    }
}

/// The condition that pins a field the form sends, as botocore pins the
/// key: `starts-with` the text before `${filename}` when the value ends
/// with it (the file's name may follow), the value exactly otherwise (S3
/// expands `${filename}` on both sides, so `u/${filename}.jpg` still admits
/// only keys that end in `.jpg`).
fn pin(field: &str, value: &str) -> Condition {
    match value.strip_suffix(FILENAME) {
        Some(prefix) => Condition::StartsWith {
            field: field.into(),
            prefix: prefix.into(),
        },
        None => Condition::Eq {
            field: field.into(),
            value: value.into(),
        },
    }
}

/// Checks a caller's field name against the fields already in the form.
fn check_field(name: &str, fields: &[(String, String)]) -> Result<(), Error> {
    let invalid = |reason| {
        Err(Error::InvalidPostField {
            name: name.to_string(),
            reason,
        })
    };
    if !crate::request::is_token(name) {
        return invalid("is empty or not a form field name (an HTTP token)");
    }
    if name.eq_ignore_ascii_case("key") {
        return invalid("is the request's key: give it to PostRequest::new");
    }
    if name.eq_ignore_ascii_case("bucket") {
        return invalid("names the bucket, which the form's URL carries");
    }
    if is_signer_field(name) {
        return invalid("is written by the signer");
    }
    if fields.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return invalid("is given twice (field names ignore case)");
    }
    Ok(())
}
