//! Header signing: the `Authorization` header and the `X-Amz-*` headers
//! beside it.

use super::*;

impl Signer {
    /// Signs `req` at `time` with an `Authorization` header. Add every header
    /// of the result ([`Authorization::headers`]) to the request.
    pub fn authorize(
        &self,
        req: &Request<'_>,
        time: SigningTime,
    ) -> Result<Authorization<'_>, Error> {
        let mut authorization = String::with_capacity(192);
        let signed = self.authorize_into(req, time, &mut authorization)?;
        Ok(Authorization {
            authorization,
            signed,
        })
    }

    /// Like [`Signer::authorize`], but appends the `Authorization` value to
    /// `out`, a buffer the caller reuses, so that signing allocates nothing
    /// once `out` has grown to size. The other header values come back on the
    /// stack.
    ///
    /// ```
    /// # use awsig::{Credentials, Request, Signer, SigningTime};
    /// let signer = Signer::new(Credentials::new("AKID", "secret")?, "us-east-1", "sqs")?;
    /// let mut authorization = String::with_capacity(256);
    /// let req = Request::new("GET", "sqs.us-east-1.amazonaws.com", "/").with_query("Action=ListQueues");
    /// let signed = signer.authorize_into(&req, SigningTime::from_unix_seconds(0)?, &mut authorization)?;
    /// assert!(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKID/19700101/us-east-1/sqs/aws4_request, "));
    /// assert_eq!(signed.amz_date(), "19700101T000000Z");
    /// # Ok::<(), awsig::Error>(())
    /// ```
    pub fn authorize_into(
        &self,
        req: &Request<'_>,
        time: SigningTime,
        out: &mut String,
    ) -> Result<HeaderSignature<'_>, Error> {
        let prepared = self.prepare(req, time, HostCheck::Validate)?;
        let amz_date = time.amz_date();
        let mut sorted = Sorted::new();
        let canonical = self.canonical(&prepared, &amz_date, SigningMode::Header, &mut sorted)?;
        let mut hasher = Sha256::new();
        canonical.write(None, None, &mut hasher);
        let request_hash = RequestHash::finish(hasher);
        let signature = self.sign_hash(time, &amz_date, &request_hash);

        out.push_str(self.algorithm().name());
        out.push_str(" Credential=");
        out.push_str(self.credentials.access_key_id());
        out.push('/');
        out.push_str(amz_date.date());
        // `/region/service/aws4_request` (SigV4a: `/service/aws4_request`).
        out.push_str(self.scope.after_date().trim_end_matches('\n'));
        out.push_str(", SignedHeaders=");
        canonical.write_signed_headers(out);
        out.push_str(", Signature=");
        out.push_str(signature.as_str());
        Ok(HeaderSignature {
            signed_at: time,
            amz_date,
            content_sha256: (self.settings.content_sha256_header == ContentSha256Header::Add
                || prepared.payload_hash.needs_header())
            .then_some(prepared.payload_hash),
            security_token: self.credentials.session_token(),
            token_header: self.token_header(),
            region_set: self.region_set(),
            signature,
        })
    }
}
