//! The canonical request and string to sign as text, for callers who want
//! to see what a signature covers: written by the same code that signs.

use super::*;

impl Signer {
    /// Writes the canonical request of `req` at `time` in `mode` into `sink`
    /// and returns the `X-Amz-Date` it was written for.
    fn write_canonical<S: Sink>(
        &self,
        req: &Request<'_>,
        time: SigningTime,
        mode: SigningMode,
        sink: &mut S,
    ) -> Result<AmzDate, Error> {
        let prepared = self.prepare(req, time, HostCheck::Validate)?;
        let amz_date = time.amz_date();
        let mut sorted = Sorted::new();
        let canonical = self.canonical(&prepared, &amz_date, mode, &mut sorted)?;
        match mode {
            SigningMode::Query { expires_in } => {
                self.check_expiry(time, expires_in)?;
                let auth = self.auth_params(&amz_date, Some(expires_in));
                canonical.write(Some(&auth), None, sink);
            }
            SigningMode::QueryWithoutExpiry => {
                self.check_expiry_optional()?;
                let auth = self.auth_params(&amz_date, None);
                canonical.write(Some(&auth), None, sink);
            }
            SigningMode::Header => canonical.write(None, None, sink),
        }
        Ok(amz_date)
    }

    /// The canonical request, as text, that signing `req` at `time` in `mode`
    /// hashes. Written by the same code as the signature.
    pub fn canonical_request(
        &self,
        req: &Request<'_>,
        time: SigningTime,
        mode: SigningMode,
    ) -> Result<String, Error> {
        let mut out = Vec::new();
        self.write_canonical(req, time, mode, &mut out)?;
        // Header values may hold non-UTF-8 bytes; show them lossily.
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// The string to sign for `req` at `time` in `mode`.
    pub fn string_to_sign(
        &self,
        req: &Request<'_>,
        time: SigningTime,
        mode: SigningMode,
    ) -> Result<String, Error> {
        let mut hasher = Sha256::new();
        let amz_date = self.write_canonical(req, time, mode, &mut hasher)?;
        let request_hash = RequestHash::finish(hasher);
        let mut out = Vec::new();
        (self.request_string_to_sign(&amz_date, &request_hash)).write(&mut out);
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}
