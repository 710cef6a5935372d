//! The audit view: what a signed request's signature was computed from, and
//! where it differs from what S3 computed in a `SignatureDoesNotMatch` error.
//!
//! ```
//! use awsig::explain::{explain_presigned, first_difference, DerivedKeys};
//! let url = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
//! let creds = awsig::Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! let e = explain_presigned("GET", url, &[], Some(&creds), DerivedKeys::Hidden).unwrap();
//! assert_eq!(e.matches(), Some(true));
//! assert!(e.canonical_request().starts_with("GET\n/test.txt\nX-Amz-Algorithm="));
//! # Ok::<(), awsig::Error>(())
//! ```

use crate::credentials::Credentials;
use crate::key::{KeyChain, SigningKey};
use crate::request::Payload;
use crate::settings::Settings;
use crate::verify::{Received, VerifyError};
use alloc::string::{String, ToString};
use core::fmt;

mod compare;
mod s3_error;

pub use compare::{compare_with_s3, first_difference, Cause, Difference};
pub use s3_error::{parse_s3_error, S3SignatureError};

/// What a signature is computed from, for one received request.
pub struct Explanation {
    canonical_request: String,
    string_to_sign: String,
    access_key_id: String,
    credential_scope: String,
    signature_provided: String,
    signature_computed: Option<String>,
    key_chain: Option<KeyChain>,
    /// SigV4a, with the secret given: the public key derived, and whether
    /// the ECDSA signature verifies under it (it cannot be recomputed: an
    /// ECDSA signature may differ each time it is made).
    ecdsa: Option<EcdsaCheck>,
}

/// A SigV4a signature checked while explaining.
struct EcdsaCheck {
    public_x: String,
    public_y: String,
    verifies: bool,
}

impl Explanation {
    /// The canonical request, computed by the signer's own code.
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }
    /// The string to sign.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }
    /// The access key id of the credential.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    /// `date/region/service/aws4_request`.
    pub fn credential_scope(&self) -> &str {
        &self.credential_scope
    }
    /// The signature the request carries.
    pub fn signature_provided(&self) -> &str {
        &self.signature_provided
    }
    /// The signature computed here, when the secret was given (SigV4 only:
    /// a SigV4a signature is verified instead, see [`Explanation::matches`]).
    pub fn signature_computed(&self) -> Option<&str> {
        self.signature_computed.as_deref()
    }
    /// Whether the two signatures are equal (SigV4a: whether the signature
    /// verifies under the public key), when the secret was given.
    pub fn matches(&self) -> Option<bool> {
        if let Some(check) = &self.ecdsa {
            return Some(check.verifies);
        }
        self.signature_computed
            .as_ref()
            .map(|s| crate::key::constant_time_eq(s.as_bytes(), self.signature_provided.as_bytes()))
    }
    /// The key derivation chain, only when it was asked for.
    pub fn key_chain(&self) -> Option<&KeyChain> {
        self.key_chain.as_ref()
    }
}

fn hex_str(bytes: &[u8; 32]) -> String {
    hex::encode(bytes)
}

impl fmt::Display for Explanation {
    /// The report the `awsig explain` command prints. The key chain appears
    /// only when it was asked for.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "== canonical request ==\n{}", self.canonical_request)?;
        writeln!(f, "== string to sign ==\n{}", self.string_to_sign)?;
        writeln!(f, "== credential ==")?;
        writeln!(f, "access key id:      {}", self.access_key_id)?;
        writeln!(f, "credential scope:   {}", self.credential_scope)?;
        writeln!(f, "signature provided: {}", self.signature_provided)?;
        if let Some(check) = &self.ecdsa {
            writeln!(f, "public key x:       {}", check.public_x)?;
            writeln!(f, "public key y:       {}", check.public_y)?;
            let verifies = if check.verifies { "yes" } else { "NO" };
            return writeln!(f, "signature verifies: {verifies}");
        }
        match (&self.signature_computed, self.matches()) {
            (Some(computed), Some(matches)) => {
                writeln!(f, "signature computed: {computed}")?;
                writeln!(f, "match: {}", if matches { "yes" } else { "NO" })?;
            }
            _ => writeln!(f, "signature computed: (no secret given)")?,
        }
        if let Some(chain) = &self.key_chain {
            writeln!(f, "== signing key chain (secret material) ==")?;
            writeln!(f, "kDate:    {}", hex_str(&chain.k_date))?;
            writeln!(f, "kRegion:  {}", hex_str(&chain.k_region))?;
            writeln!(f, "kService: {}", hex_str(&chain.k_service))?;
            writeln!(f, "kSigning: {}", hex_str(&chain.k_signing))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Explanation")
            .field("access_key_id", &self.access_key_id)
            .field("credential_scope", &self.credential_scope)
            .field("matches", &self.matches())
            .finish_non_exhaustive()
    }
}

/// Whether an explanation holds the derived signing keys: secret material,
/// shown only when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DerivedKeys {
    /// Left out (the default to reach for).
    Hidden,
    /// The key chain `kDate` … `kSigning`, in hex, for comparing with
    /// another implementation's.
    Shown,
}

fn explain(
    received: &Received<'_>,
    credentials: Option<&Credentials>,
    derived_keys: DerivedKeys,
) -> Result<Explanation, VerifyError> {
    let (canonical_request, string_to_sign) = received.texts()?;
    let scope = received.scope()?;
    let mut explanation = Explanation {
        access_key_id: received.credential.key().to_string(),
        credential_scope: scope.credential_scope(received.signed_at),
        signature_provided: received.signature.to_string(),
        signature_computed: None,
        key_chain: None,
        ecdsa: None,
        canonical_request,
        string_to_sign,
    };
    #[cfg(feature = "sigv4a")]
    if received.is_sigv4a() {
        if let Some(creds) = credentials {
            let key = crate::sigv4a::EcdsaKey::derive(creds)?;
            let public = key.public_key();
            explanation.ecdsa = Some(EcdsaCheck {
                public_x: public.x_hex(),
                public_y: public.y_hex(),
                verifies: public
                    .verifies(explanation.string_to_sign.as_bytes(), received.signature),
            });
        }
        return Ok(explanation);
    }
    let (signature_computed, key_chain) = match credentials {
        Some(creds) => {
            let hash = received.request_hash()?;
            let key = SigningKey::derive(creds.secret_access_key(), &received.amz_date, &scope);
            let signature = key.sign(&received.string_to_sign(&scope, &hash));
            let chain = (derived_keys == DerivedKeys::Shown).then(|| {
                KeyChain::derive(
                    creds.secret_access_key(),
                    received.amz_date.date(),
                    scope.region(),
                    scope.service(),
                )
            });
            (Some(signature.as_str().into()), chain)
        }
        None => (None, None),
    };
    explanation.signature_computed = signature_computed;
    explanation.key_chain = key_chain;
    Ok(explanation)
}

/// Explains a presigned URL received with `method` and `headers`. With
/// `credentials`, the signature is computed and compared; the key chain is
/// included only when `derived_keys` is [`DerivedKeys::Shown`].
pub fn explain_presigned(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    credentials: Option<&Credentials>,
    derived_keys: DerivedKeys,
) -> Result<Explanation, VerifyError> {
    explain(
        &Received::presigned(
            method,
            url,
            headers,
            Some(Payload::Empty),
            None,
            &Settings::for_service,
        )?,
        credentials,
        derived_keys,
    )
}

/// Explains a request signed with an `Authorization` header.
pub fn explain_authorization(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    payload: Option<Payload<'_>>,
    credentials: Option<&Credentials>,
    derived_keys: DerivedKeys,
) -> Result<Explanation, VerifyError> {
    explain(
        &Received::authorized(method, url, headers, payload, None, &Settings::for_service)?,
        credentials,
        derived_keys,
    )
}

#[cfg(test)]
mod tests;
