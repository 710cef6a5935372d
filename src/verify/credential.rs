//! The credential a signature names (`KEY/YYYYMMDD/region/service/aws4_request`)
//! and its `X-Amz-Date`, read once and checked strictly.

// `ok_or(VerifyError::..)` builds an error on every success and runs its
// drop glue (some variants hold Strings): the lazy form costs nothing then.
#![allow(clippy::unnecessary_lazy_evaluations)]

use super::VerifyError;
use crate::scope::{AmzDate, SigningTime};
use crate::string_to_sign::Algorithm;
use alloc::string::String;

/// A credential `KEY/YYYYMMDD/region/service/aws4_request`, decoded, with
/// the positions of its parts: one allocation for all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CredentialParts {
    pub(crate) text: String,
    /// Ends of the key, date, region and service, in `text`.
    ends: [usize; 4],
}

impl CredentialParts {
    /// Splits and checks a decoded credential; a SigV4a one is
    /// `KEY/YYYYMMDD/service/aws4_request`, its region empty.
    pub(crate) fn parse(
        text: String,
        algorithm: Algorithm,
    ) -> Result<CredentialParts, VerifyError> {
        let region_less = algorithm == Algorithm::EcdsaP256Sha256;
        let mut ends = [0usize; 4];
        let mut from = 0;
        let parts = if region_less { 3 } else { 4 };
        for end in &mut ends[..parts] {
            let slash = text[from..]
                .bytes()
                .position(|b| b == b'/')
                .ok_or_else(|| VerifyError::MalformedCredential)?;
            *end = from + slash;
            from = *end + 1;
        }
        if region_less {
            // No region: it ends where it starts, just after the date.
            ends = [ends[0], ends[1], ends[1], ends[2]];
        }
        let parts = CredentialParts { text, ends };
        let ok = !parts.key().is_empty()
            && parts.date().len() == 8
            && parts.date().bytes().all(|b| b.is_ascii_digit())
            && (region_less || crate::scope::is_scope_name(parts.region()))
            && crate::scope::is_scope_name(parts.service())
            && &parts.text[from..] == "aws4_request";
        if ok {
            Ok(parts)
        } else {
            Err(VerifyError::MalformedCredential)
        }
    }

    pub(crate) fn key(&self) -> &str {
        &self.text[..self.ends[0]]
    }

    pub(crate) fn date(&self) -> &str {
        &self.text[self.ends[0] + 1..self.ends[1]]
    }

    /// The region; empty in a SigV4a credential.
    pub(crate) fn region(&self) -> &str {
        self.text
            .get(self.ends[1] + 1..self.ends[2])
            .unwrap_or_default()
    }

    pub(crate) fn service(&self) -> &str {
        &self.text[self.ends[2] + 1..self.ends[3]]
    }
}

/// Reads `X-Amz-Date`.
pub(crate) fn parse_amz_date(text: &str) -> Result<(AmzDate, SigningTime), VerifyError> {
    AmzDate::parse(text).map_err(|_| VerifyError::MalformedDate)
}
