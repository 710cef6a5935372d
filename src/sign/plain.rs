//! The straight path for a request with nothing to sort: no query,
//! parameters or headers of its own, the path signed as given (S3).

use super::presign::{origin_len, put_origin};
use super::*;
use crate::encoding::Slash;

/// A plain presigned URL's query up to `X-Amz-Credential`'s value, and
/// after its session token: the parameters in canonical order.
const PLAIN_QUERY_HEAD: &str = "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=";
const PLAIN_QUERY_TAIL: &str = "&X-Amz-SignedHeaders=host";

impl Signer {
    /// Whether `req` brings nothing to sort or normalize: no query,
    /// parameters or headers of its own, its path signed as given and
    /// encoded once (S3). Its canonical request then has one fixed shape.
    pub(super) fn is_plain(&self, req: &Request<'_>) -> bool {
        req.query.is_empty()
            && req.params.is_empty()
            && req.headers.is_empty()
            && self.settings.uri_encoding == UriEncoding::Single
            && self.settings.normalize_path == PathNormalization::AsGiven
    }

    /// Presigns a plain request ([`Signer::is_plain`]) straight through:
    /// the URL in one exactly sized allocation, its query written in
    /// canonical order, the canonical request hashed from the URL's pieces.
    /// It writes what the general path writes for such a request, byte for
    /// byte (every vector runs through it, and a property test compares the
    /// two), only without sorting lists that are empty.
    ///
    /// It runs with the day's key in hand, whose date is the scope's: the
    /// `X-Amz-Date` is that date and the time of day, with no calendar
    /// arithmetic per call.
    pub(super) fn presign_plain(
        &self,
        keys: &KeyCache<SigningKey, 2>,
        prepared: &Prepared<'_>,
        time: SigningTime,
        expires_in: u64,
    ) -> String {
        keys.with_own_key(&self.credentials, time, &self.scope, |key| {
            let amz_date = time.amz_date_on(key.date());
            debug_assert_eq!(amz_date, time.amz_date(), "the key is for another day");
            self.write_plain(prepared, &amz_date, expires_in, key)
        })
    }

    /// [`Signer::presign_plain`] with the key and the date in hand.
    fn write_plain(
        &self,
        prepared: &Prepared<'_>,
        amz_date: &AmzDate,
        expires_in: u64,
        key: &SigningKey,
    ) -> String {
        use crate::encoding::Counter;
        let req = &prepared.request;
        let token = self.signed_token();
        let after_token = self.token_after_signing();
        let mut path_len = Counter::default();
        crate::canonical::write_recoded(req.path, Slash::Keep, &mut path_len);
        let mut expires_buf = [0u8; 20];
        let expires = crate::canonical::decimal(expires_in, &mut expires_buf);
        let auth = self.auth_params(amz_date, Some(expires_in));
        let after_token_len =
            crate::canonical::token_param_len(AuthParam::SecurityToken, after_token);
        let url_len = origin_len(req)
            + path_len.0
            + encoded_len(req.key.as_bytes(), Slash::Keep)
            + "?".len()
            + auth.len_before_signed_headers()
            + "host".len()
            + after_token_len
            + "&X-Amz-Signature=".len()
            + 64;
        let mut url = String::with_capacity(url_len);
        let host_start = put_origin(req, &mut url);
        let path_start = url.len();
        crate::canonical::write_recoded(req.path, Slash::Keep, &mut url);
        encode_text_into(req.key, Slash::Keep, &mut url);
        let query_start = url.len() + 1;
        url.push_str(PLAIN_QUERY_HEAD);
        let amz_date_text = amz_date.as_str();
        let (credential_head, credential_tail) = self.credential_around_date();
        url.push_str(credential_head);
        url.push_str(amz_date_text.get(..8).unwrap_or_default());
        url.push_str(credential_tail);
        url.push_str("&X-Amz-Date=");
        url.push_str(amz_date_text);
        url.push_str("&X-Amz-Expires=");
        url.put_ascii(expires);
        crate::canonical::put_token_param(self.token_param(), token, &mut url);
        url.push_str(PLAIN_QUERY_TAIL);
        let query_end = url.len();
        crate::canonical::put_token_param(AuthParam::SecurityToken, after_token, &mut url);
        url.push_str("&X-Amz-Signature=");

        // Task 1 for this shape: one header, `host`, signed.
        let mut hasher = Sha256::new();
        crate::canonical::write_host_only(
            req.method,
            (
                &url[path_start..query_start - 1],
                &url[query_start..query_end],
            ),
            &url[host_start..path_start],
            &prepared.payload_hash,
            &mut hasher,
        );
        let request_hash = RequestHash::finish(hasher);
        let signature = key.sign(&StringToSign::Request {
            algorithm: Algorithm::HmacSha256,
            amz_date,
            scope: &self.scope,
            request_hash: &request_hash,
        });
        url.push_str(signature.as_str());
        debug_assert_eq!(url.len(), url.capacity());
        url
    }
}
