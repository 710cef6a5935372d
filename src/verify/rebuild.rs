//! The canonical request a received request implies, written by the
//! signer's own code: hashed as received where the path and query are
//! already canonical, rebuilt and sorted where they are not.

use super::query::is_recoded_form;
use super::received::{Carried, Received};
use super::VerifyError;
use crate::canonical::{AuthParam, Canonical, QueryNames, RequestHash};
use crate::encoding::Slash;
use crate::request::{HostCheck, Request};
use crate::settings::{PathNormalization, SessionTokenMode, UriEncoding};
use alloc::string::String;
use alloc::vec::Vec;
use sha2::{Digest, Sha256};

/// How a received query enters the canonical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum QueryHashed {
    /// As received: it is already canonical.
    AsReceived,
    /// Taken apart, sorted and written again.
    Rebuilt,
}

impl<'a> Received<'a> {
    /// The canonical form, built by the signer's own code: the path and
    /// query as received (`X-Amz-Signature` left out), the signed headers.
    /// `query` says whether the query is written again or hashed as
    /// received (and so left out here).
    pub(super) fn canonical(
        &'a self,
        query: QueryHashed,
        sorted: &'a mut crate::canonical::Sorted<'a>,
    ) -> Result<Canonical<'a>, VerifyError> {
        let (uri_encoding, normalize_path) = self.path_rules();
        // The host checked is the signed one: the URL's authority, which
        // `parse_url` has checked already (a `Host` header sent must name
        // the same, `signed_host` saw to that).
        let mut request = Request::new(self.method, &self.host, self.parts.path)
            .with_headers(self.headers.as_slice());
        if query == QueryHashed::Rebuilt {
            request = request.with_query(self.parts.query);
        }
        request.validate(HostCheck::Validate)?;
        let left_out: &[&str] = match self.carried {
            Carried::Query {
                token: SessionTokenMode::AfterSigning,
                ..
            } => &[AuthParam::Signature.name(), AuthParam::SecurityToken.name()],
            Carried::Query { .. } => &[AuthParam::Signature.name()],
            Carried::Header => &[],
        };
        Ok(Canonical::new(
            &request,
            uri_encoding,
            normalize_path,
            &[("host", "", &self.host)],
            &self.payload_hash,
            QueryNames::LeftOut(left_out),
            sorted,
        )?)
    }

    /// The received path and query, when both are already canonical (S3's
    /// single encoding, a canonical query), so that they are hashed as
    /// received: the same bytes the signer's writers would produce.
    pub(super) fn raw_uri_and_query(&self) -> Option<(&'a str, &'a str)> {
        let query = self.canonical_query?;
        let path = self.parts.path;
        let raw = self.path_rules() == (UriEncoding::Single, PathNormalization::AsGiven)
            && is_recoded_form(path.as_bytes(), Slash::Keep);
        raw.then_some((path, query))
    }

    /// Writes the canonical request into `sink`.
    pub(super) fn write_canonical<S: crate::encoding::Sink>(
        &'a self,
        sink: &mut S,
    ) -> Result<(), VerifyError> {
        match self.raw_uri_and_query() {
            // Nothing to rebuild or sort: the path and query as received,
            // `host` the one signed header, already checked (the method is
            // all that is left to check).
            Some((path, query)) if self.headers.as_slice().is_empty() => {
                crate::request::check_method(self.method)?;
                let payload_hash = &self.payload_hash;
                crate::canonical::write_host_only(
                    self.method,
                    (path, query),
                    &self.host,
                    payload_hash,
                    sink,
                );
            }
            Some(raw) => {
                let mut sorted = crate::canonical::Sorted::new();
                self.canonical(QueryHashed::AsReceived, &mut sorted)?
                    .write(None, Some(raw), sink)
            }
            None => {
                let mut sorted = crate::canonical::Sorted::new();
                self.canonical(QueryHashed::Rebuilt, &mut sorted)?
                    .write(None, None, sink)
            }
        }
        Ok(())
    }

    /// Hex SHA-256 of the canonical request.
    pub(crate) fn request_hash(&'a self) -> Result<RequestHash, VerifyError> {
        let mut hasher = Sha256::new();
        self.write_canonical(&mut hasher)?;
        Ok(RequestHash::finish(hasher))
    }

    /// The canonical request and string to sign as text.
    pub(crate) fn texts(&'a self) -> Result<(String, String), VerifyError> {
        let mut creq = Vec::new();
        self.write_canonical(&mut creq)?;
        let mut hasher = Sha256::new();
        hasher.update(&creq);
        let hash = RequestHash::finish(hasher);
        let mut sts = Vec::new();
        self.string_to_sign(&self.scope()?, &hash).write(&mut sts);
        Ok((
            String::from_utf8_lossy(&creq).into_owned(),
            String::from_utf8_lossy(&sts).into_owned(),
        ))
    }
}
