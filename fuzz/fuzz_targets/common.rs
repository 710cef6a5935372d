//! Inputs shared by the fuzz targets: a request described by arbitrary parts.
#![allow(dead_code)]

use arbitrary::Arbitrary;
use awsig::{
    Credentials, Payload, Request, Scheme, SessionTokenMode, Settings, Signer, SigningTime,
    UriEncoding,
};

#[derive(Debug, Arbitrary)]
pub struct Parts {
    pub method: String,
    pub https: bool,
    pub host: String,
    pub path: String,
    pub query: String,
    pub params: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub payload: Option<(u8, Vec<u8>, String)>,
    pub key_id: String,
    pub secret: String,
    pub token: Option<String>,
    pub region: String,
    pub service: String,
    pub time: i64,
    pub expires: u64,
    pub double: Option<bool>,
    pub normalize: Option<bool>,
    pub token_after: bool,
    pub content_sha256: bool,
}

impl Parts {
    pub fn refs<'a>(list: &'a [(String, String)]) -> Vec<(&'a str, &'a str)> {
        list.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
    }

    pub fn signer(&self) -> Option<Signer> {
        let mut creds = Credentials::new(&self.key_id, &self.secret).ok()?;
        if let Some(t) = &self.token {
            creds = creds.with_session_token(t).ok()?;
        }
        let mut settings = Settings::for_service(&self.service);
        if let Some(double) = self.double {
            settings.uri_encoding = if double {
                UriEncoding::Double
            } else {
                UriEncoding::Single
            };
        }
        if let Some(n) = self.normalize {
            settings.normalize_path = if n {
                awsig::PathNormalization::Normalize
            } else {
                awsig::PathNormalization::AsGiven
            };
        }
        if self.token_after {
            settings.session_token = SessionTokenMode::AfterSigning;
        }
        settings.content_sha256_header = if self.content_sha256 {
            awsig::ContentSha256Header::Add
        } else {
            awsig::ContentSha256Header::Omit
        };
        Some(
            Signer::new(creds, &self.region, &self.service)
                .ok()?
                .with_settings(settings),
        )
    }

    pub fn time(&self) -> Option<SigningTime> {
        SigningTime::from_unix_seconds(self.time).ok()
    }

    pub fn request<'a>(
        &'a self,
        params: &'a [(&'a str, &'a str)],
        headers: &'a [(&'a str, &'a str)],
    ) -> Request<'a> {
        let mut req = Request::new(&self.method, &self.host, &self.path)
            .with_scheme(if self.https {
                Scheme::Https
            } else {
                Scheme::Http
            })
            .with_query(&self.query)
            .with_params(params)
            .with_headers(headers);
        if let Some((kind, bytes, hex)) = &self.payload {
            req = req.with_payload(match kind % 4 {
                0 => Payload::Unsigned,
                1 => Payload::Empty,
                2 => Payload::Bytes(bytes),
                _ => Payload::Sha256Hex(hex),
            });
        }
        req
    }
}
