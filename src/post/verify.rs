//! Verifying a browser upload (feature `post`): the signature of its POST
//! policy, the policy's expiry, and every condition against the fields, as
//! S3 checks them.

use super::is_exempt_field;
use super::policy::{expand_filename, Condition, Policy};
use crate::credentials::Credentials;
use crate::key::{ReceivedSignature, SigningKey};
use crate::scope::{Scope, SigningTime};
use crate::string_to_sign::{Algorithm, StringToSign};
use crate::verify::{
    accept_credentials, one_token, parse_amz_date, token_in_place, CredentialParts, Form, Lifetime,
    Verifier, VerifyError,
};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

/// A browser upload as a server received it: the bucket it was posted to
/// (from the URL), the form's fields before the file, in order, the name
/// of the file the client sent (for `${filename}`) and its size.
///
/// `Debug` shows every field's name but the values of `policy`,
/// `x-amz-signature` and `x-amz-security-token`: with those, whoever reads
/// a log could replay the upload until the policy expires.
#[derive(Clone, Copy)]
pub struct PostUpload<'a> {
    bucket: &'a str,
    fields: &'a [(&'a str, &'a str)],
    file_name: Option<&'a str>,
    file_size: u64,
    host: Option<&'a str>,
}

impl<'a> PostUpload<'a> {
    /// An upload to `bucket` of a file of `file_size` bytes, with `fields`
    /// (the parts before the file; S3 ignores those after it).
    pub fn new(bucket: &'a str, fields: &'a [(&'a str, &'a str)], file_size: u64) -> Self {
        PostUpload {
            bucket,
            fields,
            file_name: None,
            file_size,
            host: None,
        }
    }

    /// The host the form was posted to (the request's `Host`), which a
    /// verifier told the hosts it serves ([`Verifier::accept_host`]) checks
    /// as it checks a presigned URL's; such a verifier refuses an upload
    /// that does not say it.
    pub fn with_host(mut self, host: &'a str) -> Self {
        self.host = Some(host);
        self
    }

    /// The file name the client sent in the file part (`filename=`), which
    /// replaces `${filename}` in the fields. Without one it is replaced by
    /// nothing: "If no file or file name is provided, the variable is replaced
    /// with an empty string" (S3 API reference, `sigv4-HTTPPOSTForms`).
    pub fn with_file_name(mut self, file_name: &'a str) -> Self {
        self.file_name = Some(file_name);
        self
    }
}

impl fmt::Debug for PostUpload<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Fields<'f>(&'f [(&'f str, &'f str)]);
        impl<'f> fmt::Debug for Fields<'f> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let bearer = crate::credentials::is_bearer_name;
                let shown = |&(name, value): &(&'f str, &'f str)| match bearer(name) {
                    true => (name, "<redacted>"),
                    false => (name, value),
                };
                f.debug_list().entries(self.0.iter().map(shown)).finish()
            }
        }
        f.debug_struct("PostUpload")
            .field("bucket", &self.bucket)
            .field("fields", &Fields(self.fields))
            .field("file_name", &self.file_name)
            .field("file_size", &self.file_size)
            .field("host", &self.host)
            .finish()
    }
}

/// A verified browser upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPost {
    access_key_id: String,
    key: String,
    policy: Policy,
}

impl VerifiedPost {
    /// The access key id that signed the policy.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The object key to store, `${filename}` expanded: never empty and at
    /// most 1,024 bytes, but the client's choice within the policy, so not
    /// a safe file-system path (`..` and `/` are valid in keys).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The policy, as signed.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }
}

/// Why a browser upload failed verification: a check every form shares
/// (the credential, scope, window, token and signature), or one of the
/// policy's own.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PostError {
    /// A check every signed form runs failed, as it would for a presigned
    /// URL: a field missing or malformed (`x-amz-algorithm`,
    /// `x-amz-credential`, `x-amz-date`, `x-amz-signature`, `policy`,
    /// `key`), the scope not accepted or not S3's, the time, the
    /// credentials, the session token, or the signature.
    Verify(VerifyError),
    /// A field appears more than once (names ignore ASCII case).
    Duplicate(String),
    /// The `policy` field is not a policy S3 would read.
    MalformedPolicy {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The policy expired.
    PolicyExpired {
        /// When it expired.
        expired_at: SigningTime,
    },
    /// The policy lacks a condition it must hold: `x-amz-algorithm`,
    /// `x-amz-credential` and `x-amz-date` (S3 requires them), or `bucket`
    /// (without it the form would upload to any bucket of the signer's).
    MissingCondition(&'static str),
    /// A condition does not hold for the fields sent.
    ConditionFailed {
        /// The condition as the policy writes it.
        condition: String,
    },
    /// The file is smaller than `content-length-range` allows.
    FileTooSmall {
        /// Its size.
        size: u64,
        /// The least size allowed.
        min: u64,
    },
    /// The file is larger than `content-length-range` allows.
    FileTooLarge {
        /// Its size.
        size: u64,
        /// The greatest size allowed.
        max: u64,
    },
    /// The key, `${filename}` expanded, is empty or over S3's 1,024 bytes.
    InvalidKey {
        /// Its length in bytes.
        len: usize,
    },
    /// A field that no condition covers: S3 refuses it ("Extra input
    /// fields"). Exempt: `x-amz-signature`, `file`, `policy` and names that
    /// start with `x-ignore-`.
    ExtraField {
        /// Its name.
        name: String,
    },
}

impl From<VerifyError> for PostError {
    fn from(e: VerifyError) -> Self {
        PostError::Verify(e)
    }
}

impl fmt::Display for PostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PostError::Verify(e) => write!(f, "{e}"),
            PostError::Duplicate(name) => write!(f, "the form sends {name:?} more than once"),
            PostError::MalformedPolicy { reason } => write!(f, "the policy {reason}"),
            PostError::PolicyExpired { expired_at } => {
                write!(f, "the policy expired at {expired_at}")
            }
            PostError::MissingCondition(field) => {
                write!(f, "the policy has no condition on {field}")
            }
            PostError::ConditionFailed { condition } => {
                write!(f, "the policy's condition {condition} does not hold")
            }
            PostError::FileTooSmall { size, min } => {
                write!(
                    f,
                    "the file is {size} bytes, under the policy's least {min}"
                )
            }
            PostError::FileTooLarge { size, max } => {
                write!(
                    f,
                    "the file is {size} bytes, over the policy's greatest {max}"
                )
            }
            PostError::InvalidKey { len } => {
                write!(f, "the object key is {len} bytes long; S3 takes 1 to 1024")
            }
            PostError::ExtraField { name } => {
                write!(f, "no condition of the policy covers the field {name:?}")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for PostError {}

/// The fields of an upload, each name once.
struct Fields<'u>(&'u [(&'u str, &'u str)]);

impl<'u> Fields<'u> {
    fn new(fields: &'u [(&'u str, &'u str)]) -> Result<Self, PostError> {
        // Sorted, so that a hostile form of many fields costs n log n, not n².
        let mut names: Vec<(String, usize)> = (fields.iter().enumerate())
            .map(|(i, (name, _))| (name.to_ascii_lowercase(), i))
            .collect();
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|w| w[0].0 == w[1].0) {
            let later = pair[0].1.max(pair[1].1);
            return Err(PostError::Duplicate(fields[later].0.into()));
        }
        Ok(Fields(fields))
    }

    fn get(&self, name: &str) -> Option<&'u str> {
        (self.0.iter())
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    fn required(&self, name: &'static str) -> Result<&'u str, VerifyError> {
        self.get(name).ok_or(VerifyError::Missing(name))
    }
}

impl<F> Verifier<F> {
    /// Verifies a browser upload at `now`, as S3 does: the algorithm, the
    /// credential's scope (among the accepted ones) and date, the session
    /// token, the policy's signature (in constant time, with the cached
    /// key), the policy's expiry, every condition against the fields (with
    /// `${filename}` expanded) and the file's size, and that no field goes
    /// uncovered. Field names ignore ASCII case; values do not.
    ///
    /// ```
    /// use awsig::post::PostRequest;
    /// use awsig::s3::S3Presigner;
    /// use awsig::post::{PostError, PostUpload};
    /// use awsig::verify::Verifier;
    /// use awsig::{Credentials, SigningTime};
    ///
    /// let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
    /// let at = SigningTime::parse("2026-12-01T12:00:00Z")?;
    /// let until = SigningTime::parse("2026-12-01T13:00:00Z")?;
    /// let form = S3Presigner::new(creds.clone(), "eu-west-1")?
    ///     .presign_post(&PostRequest::new("uploads", "a.txt", until).content_length_range(1, 100), at)?;
    /// let fields: Vec<(&str, &str)> = form.fields().iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    ///
    /// let verifier = Verifier::new(|_: &str| Some(creds.clone())).accept("eu-west-1", "s3");
    /// assert!(verifier.verify_post(&PostUpload::new("uploads", &fields, 5), at).is_ok());
    /// assert_eq!(
    ///     verifier.verify_post(&PostUpload::new("uploads", &fields, 500), at),
    ///     Err(PostError::FileTooLarge { size: 500, max: 100 })
    /// );
    /// # Ok::<(), awsig::Error>(())
    /// ```
    pub fn verify_post<C>(
        &self,
        upload: &PostUpload<'_>,
        now: SigningTime,
    ) -> Result<VerifiedPost, PostError>
    where
        F: Fn(&str) -> Option<C>,
        C: core::borrow::Borrow<Credentials>,
    {
        let fields = Fields::new(upload.fields)?;
        let policy_b64 = fields.required("policy")?;
        let signature = fields.required("x-amz-signature")?;
        if fields.required("x-amz-algorithm")? != Algorithm::HmacSha256.name() {
            return Err(VerifyError::UnsupportedAlgorithm.into());
        }
        let credential = CredentialParts::parse(
            fields.required("x-amz-credential")?.into(),
            Algorithm::HmacSha256,
        )?;
        let (amz_date, signed_at) = parse_amz_date(fields.required("x-amz-date")?)?;
        if amz_date.date() != credential.date() {
            return Err(VerifyError::CredentialDateMismatch.into());
        }
        let (region, service) = (credential.region(), credential.service());
        self.accept_scope(Form::PostPolicy, |r| r == region, region, service)?;
        match upload.host {
            Some(host) => self.check_host(host)?,
            None if self.serves_any_host() => {}
            None => {
                return Err(VerifyError::Missing(
                    "the host the form was posted to (PostUpload::with_host), which a verifier that serves given hosts checks",
                )
                .into())
            }
        }
        self.validity_window(Lifetime::SigningKeyLife, signed_at, now)?;
        let found = self.credentials_for(credential.key())?;
        let creds: &Credentials = found.borrow();
        let token = one_token(
            fields.get("x-amz-security-token"),
            fields.get("x-amz-s3session-token"),
            "X-Amz-S3session-Token",
        )?;
        token_in_place(token, service)?;
        accept_credentials(creds, signed_at, now, token.map(|(token, _)| token))?;
        let provided = ReceivedSignature::from_hex(signature.as_bytes())
            .ok_or(VerifyError::MalformedSignature)?;
        let scope = Scope::new(region, service).map_err(|_| VerifyError::MalformedCredential)?;
        let string_to_sign = StringToSign::Policy(policy_b64);
        let check = |key: &SigningKey| key.verify(&string_to_sign, &provided);
        if self
            .check_hmac(creds, (&amz_date, signed_at), &scope, check, |_| ())
            .is_none()
        {
            // A POST policy's string to sign is the policy's base64 text.
            return Err(VerifyError::SignatureMismatch {
                canonical_request: String::new(),
                string_to_sign: policy_b64.into(),
            }
            .into());
        }

        let policy = Policy::from_base64(policy_b64)
            .map_err(|reason| PostError::MalformedPolicy { reason })?;
        if now > policy.expiration {
            return Err(PostError::PolicyExpired {
                expired_at: policy.expiration,
            });
        }
        for required in [
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
            "bucket",
        ] {
            if !policy.conditions.iter().any(|c| c.names(required)) {
                return Err(PostError::MissingCondition(required));
            }
        }
        let key = expand_filename(fields.required("key")?, upload.file_name);
        let key_id = credential.key();
        if key.is_empty() || key.len() > 1024 {
            return Err(PostError::InvalidKey { len: key.len() });
        }
        let value_of = |name: &str| -> Option<String> {
            if name.eq_ignore_ascii_case("bucket") {
                // The bucket posted to; a `bucket` field, when sent, must
                // name the same one.
                return match fields.get("bucket") {
                    Some(sent) if sent != upload.bucket => None,
                    _ => Some(upload.bucket.into()),
                };
            }
            fields
                .get(name)
                .map(|v| expand_filename(v, upload.file_name))
        };
        for condition in &policy.conditions {
            match condition {
                Condition::ContentLengthRange { min, max } => {
                    let size = upload.file_size;
                    if size < *min {
                        return Err(PostError::FileTooSmall { size, min: *min });
                    }
                    if size > *max {
                        return Err(PostError::FileTooLarge { size, max: *max });
                    }
                }
                _ => {
                    let field = condition.field().unwrap_or_default();
                    let file = Some(upload.file_name);
                    if !value_of(field).is_some_and(|v| condition.holds_for_file(&v, file)) {
                        return Err(PostError::ConditionFailed {
                            condition: condition.to_string(),
                        });
                    }
                }
            }
        }
        // Every field but the exempt ones, the signer's included (S3 wants
        // x-amz-security-token covered like any other), needs a condition.
        for (name, _) in upload.fields {
            if !is_exempt_field(name) && !policy.conditions.iter().any(|c| c.names(name)) {
                return Err(PostError::ExtraField {
                    name: (*name).into(),
                });
            }
        }
        Ok(VerifiedPost {
            access_key_id: key_id.into(),
            key,
            policy,
        })
    }
}
