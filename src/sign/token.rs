//! Where a session token goes: signed as `X-Amz-Security-Token`, signed
//! as S3 Express One Zone's own (`X-Amz-S3session-Token`,
//! `x-amz-s3session-token`), or added after signing (AWS IoT).

use super::*;

impl Signer {
    /// The session token the signature covers.
    pub(super) fn signed_token(&self) -> Option<&str> {
        match self.settings.session_token {
            SessionTokenMode::Signed | SessionTokenMode::S3ExpressSession => {
                self.credentials.session_token()
            }
            SessionTokenMode::AfterSigning => None,
        }
    }

    /// The query parameter a signed session token travels in.
    pub(super) fn token_param(&self) -> AuthParam {
        match self.settings.session_token {
            SessionTokenMode::S3ExpressSession => AuthParam::S3SessionToken,
            _ => AuthParam::SecurityToken,
        }
    }

    /// The header a session token travels in, as it is sent (the
    /// canonical request lower-cases it).
    pub(super) fn token_header(&self) -> &'static str {
        match self.settings.session_token {
            SessionTokenMode::S3ExpressSession => "x-amz-s3session-token",
            _ => "X-Amz-Security-Token",
        }
    }

    /// The session token a presigned URL carries after its signature (IoT
    /// style), unsigned.
    pub(super) fn token_after_signing(&self) -> Option<&str> {
        match self.settings.session_token {
            SessionTokenMode::AfterSigning => self.credentials.session_token(),
            SessionTokenMode::Signed | SessionTokenMode::S3ExpressSession => None,
        }
    }
}
