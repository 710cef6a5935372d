//! The same presigned S3 GET URL, produced by `awsig` and by two peers.
//!
//! Every implementation here presigns the AWS documentation example
//! ("Example: Presigned URL" in the S3 SigV4 query-authentication page):
//! `GET https://examplebucket.s3.amazonaws.com/test.txt`, signed at
//! 2013-05-24T00:00:00Z for 86,400 s, whose `X-Amz-Signature` is
//! [`EXPECTED_SIGNATURE`].
//!
//! The benchmark (`benches/peers.rs`) and the allocation counter
//! (`src/bin/allocs.rs`) both call these functions, so they measure exactly
//! the same work. [`verify_all`] checks every signature before either runs.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
pub const REGION: &str = "us-east-1";
pub const BUCKET: &str = "examplebucket";
pub const KEY: &str = "test.txt";
/// The unsigned URL the peers start from (virtual-hosted style).
pub const URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt";
pub const TIME: &str = "2013-05-24T00:00:00Z";
pub const UNIX_TIME: i64 = 1_369_353_600;
pub const EXPIRES_IN: u64 = 86_400;
pub const EXPECTED_SIGNATURE: &str =
    "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
/// The whole presigned URL. The signature alone could hide a reference that
/// signs the right request but writes a different URL.
pub const EXPECTED_URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt\
    ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
    &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
    &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
    &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

/// The `X-Amz-Signature` query parameter of `url`, if any.
pub fn signature_of(url: &str) -> Option<&str> {
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("X-Amz-Signature="))
}

/// `awsig`, this repository.
pub mod ours {
    use super::*;
    use awsig::s3::{AddressingStyle, S3Presigner, S3Request};
    use awsig::{Credentials, PresignedUrl, SigningTime};

    pub fn credentials() -> Credentials {
        Credentials::new(ACCESS_KEY, SECRET_KEY).expect("valid credentials")
    }

    pub fn presigner() -> S3Presigner {
        S3Presigner::new(credentials(), REGION)
            .expect("valid region")
            .with_addressing_style(AddressingStyle::Virtual)
    }

    pub fn time() -> SigningTime {
        SigningTime::parse(TIME).expect("valid time")
    }

    pub fn request() -> S3Request<'static> {
        S3Request::get(BUCKET, KEY).expires_in(EXPIRES_IN)
    }

    /// One presign with a long-lived presigner: after the first call at a
    /// given date the signing key comes from the presigner's cache.
    #[inline]
    pub fn presign_cached(presigner: &S3Presigner, time: SigningTime) -> PresignedUrl<'static> {
        presigner
            .presign(&S3Request::get(BUCKET, KEY).expires_in(EXPIRES_IN), time)
            .expect("presign")
    }

    /// One presign with a presigner made for it: the signing key is derived
    /// (four HMACs) every time. `credentials` is cloned, not re-validated.
    #[inline]
    pub fn presign_cold(credentials: &Credentials, time: SigningTime) -> PresignedUrl<'static> {
        let presigner = S3Presigner::new(credentials.clone(), REGION)
            .expect("valid region")
            .with_addressing_style(AddressingStyle::Virtual);
        presigner
            .presign(&S3Request::get(BUCKET, KEY).expires_in(EXPIRES_IN), time)
            .expect("presign")
    }

    /// A verifier for the presigned URL, holding the credentials shared, as
    /// a server's credential store would.
    pub fn verifier(
    ) -> awsig::verify::Verifier<impl Fn(&str) -> Option<std::sync::Arc<Credentials>>> {
        let known = std::sync::Arc::new(credentials());
        awsig::verify::Verifier::new(move |id: &str| {
            (id == ACCESS_KEY).then(|| std::sync::Arc::clone(&known))
        })
        .accept(REGION, "s3")
    }

    /// The time the URL is verified at: five minutes after signing.
    pub fn verify_time() -> SigningTime {
        SigningTime::from_unix_seconds(UNIX_TIME + 300).expect("valid time")
    }

    /// The canonical request a cached presign hashes.
    pub fn canonical_request() -> String {
        presigner()
            .canonical_request(&request(), time())
            .expect("canonical request")
    }
}

/// `aws-sigv4`, the signer inside the AWS SDK for Rust (smithy-rs).
pub mod aws {
    use super::*;
    use aws_sigv4::http_request::{
        sign, PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest,
        SignatureLocation, SigningParams, SigningSettings, UriPathNormalizationMode,
    };
    use aws_sigv4::sign::v4;
    use aws_smithy_runtime_api::client::identity::Identity;

    /// The identity the SDK would hold (made once, like a credentials cache).
    pub fn identity() -> Identity {
        aws_credential_types::Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "peer-bench")
            .into()
    }

    pub fn time() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(UNIX_TIME as u64)
    }

    /// The settings `aws-sdk-s3` uses for a presigned GET.
    pub fn settings() -> SigningSettings {
        // `SigningSettings` is non-exhaustive: start from the default.
        let mut settings = SigningSettings::default();
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(Duration::from_secs(EXPIRES_IN));
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.payload_checksum_kind = PayloadChecksumKind::NoHeader;
        settings
    }

    /// One presign: signing parameters for this time, the signable request,
    /// `sign`, then the instructions applied to an `http::Request` and its
    /// URI written out as the URL string. aws-sigv4 has no key cache: every
    /// call derives the signing key.
    #[inline]
    pub fn presign(identity: &Identity, time: SystemTime) -> String {
        let params: SigningParams<'_> = v4::SigningParams::builder()
            .identity(identity)
            .region(REGION)
            .name("s3")
            .time(time)
            .settings(settings())
            .build()
            .expect("signing params")
            .into();
        let signable = SignableRequest::new(
            "GET",
            URL,
            std::iter::empty(),
            SignableBody::UnsignedPayload,
        )
        .expect("signable request");
        let (instructions, _signature) = sign(signable, &params).expect("sign").into_parts();
        let mut request = http::Request::get(URL).body(()).expect("request");
        instructions.apply_to_request_http1x(&mut request);
        request.uri().to_string()
    }
}

/// `rusty-s3`, a sans-IO S3 client.
pub mod rusty {
    use super::*;
    use rusty_s3::actions::GetObject;
    use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};

    /// The bucket handle (made once, like a presigner).
    pub fn bucket() -> Bucket {
        let endpoint = "https://s3.amazonaws.com".parse().expect("endpoint");
        Bucket::new(endpoint, UrlStyle::VirtualHost, BUCKET, REGION).expect("bucket")
    }

    pub fn credentials() -> Credentials {
        Credentials::new(ACCESS_KEY, SECRET_KEY)
    }

    pub fn time() -> jiff::Timestamp {
        jiff::Timestamp::from_second(UNIX_TIME).expect("time")
    }

    /// One presign: a `GetObject` action, signed at `time`. rusty-s3 has no
    /// key cache either. The result is a `url::Url`, whose `as_str` is the URL.
    #[inline]
    pub fn presign(bucket: &Bucket, credentials: &Credentials, time: &jiff::Timestamp) -> url::Url {
        GetObject::new(bucket, Some(credentials), KEY)
            .sign_with_time(Duration::from_secs(EXPIRES_IN), time)
    }
}

/// Not peers: the tightest presign of this request, as references for the
/// floor. Each call does the work a real presign of a request it has not
/// seen must do, written straight-line with nothing else: URI-encode the
/// key, write `X-Amz-Date` from the time's fields, build the URL once into
/// one exactly sized `String`, hash the canonical request from the pieces
/// of that URL as they are written (no canonical-request string), HMAC the
/// string to sign in pieces from a keyed state, and hex the signature into
/// the URL. What a long-lived signer keeps per day and scope (the keyed
/// state, the encoded credential, the scope string) is made once. No
/// validation: the inputs are known good, so these are lower bounds on
/// what a signer with checks can reach, not signers.
pub mod tight {
    use super::*;
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::Sha256;

    /// A UTC time as the fields `X-Amz-Date` is written from.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Time {
        pub year: u16,
        pub month: u8,
        pub day: u8,
        pub hour: u8,
        pub minute: u8,
        pub second: u8,
    }

    /// [`TIME`](super::TIME) as fields.
    pub const TIME: Time = Time {
        year: 2013,
        month: 5,
        day: 24,
        hour: 0,
        minute: 0,
        second: 0,
    };

    const HOST_SUFFIX: &str = ".s3.amazonaws.com";
    const SIGNATURE_PARAM: &str = "&X-Amz-Signature=";

    /// What a long-lived signer keeps per day and scope, apart from the key.
    struct Scope {
        date: (u16, u8, u8),
        /// `AKID%2F20130524%2Fus-east-1%2Fs3%2Faws4_request`
        credential: String,
        /// `20130524/us-east-1/s3/aws4_request`
        scope: String,
    }

    impl Scope {
        fn new(date: &Time) -> Self {
            let ymd = std::str::from_utf8(&amz_date(date)[..8])
                .expect("ASCII")
                .to_owned();
            Self {
                date: (date.year, date.month, date.day),
                credential: format!("{ACCESS_KEY}%2F{ymd}%2F{REGION}%2Fs3%2Faws4_request"),
                scope: format!("{ymd}/{REGION}/s3/aws4_request"),
            }
        }

        /// A cached key is only good for its own day: the one check no
        /// signer can drop, or it signs with the wrong key.
        #[inline]
        fn check(&self, time: &Time) {
            assert_eq!(
                self.date,
                (time.year, time.month, time.day),
                "the reference holds one day's key"
            );
        }
    }

    /// The day's signing key (setup, not timed).
    fn signing_key(date: &Time) -> [u8; 32] {
        fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
            let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
            mac.update(data);
            mac.finalize().into_bytes().into()
        }
        let ymd = &amz_date(date)[..8];
        let k_date = hmac(format!("AWS4{SECRET_KEY}").as_bytes(), ymd);
        let k_region = hmac(&k_date, REGION.as_bytes());
        let k_service = hmac(&k_region, b"s3");
        hmac(&k_service, b"aws4_request")
    }

    /// Fixed-width decimal: `out.len()` digits of `n`.
    #[inline]
    fn digits(out: &mut [u8], mut n: u32) {
        for d in out.iter_mut().rev() {
            *d = b'0' + (n % 10) as u8;
            n /= 10;
        }
    }

    /// `YYYYMMDDTHHMMSSZ`.
    #[inline]
    fn amz_date(t: &Time) -> [u8; 16] {
        let mut out = *b"00000000T000000Z";
        digits(&mut out[0..4], u32::from(t.year));
        digits(&mut out[4..6], u32::from(t.month));
        digits(&mut out[6..8], u32::from(t.day));
        digits(&mut out[9..11], u32::from(t.hour));
        digits(&mut out[11..13], u32::from(t.minute));
        digits(&mut out[13..15], u32::from(t.second));
        out
    }

    /// `n` in decimal, in the tail of `buf`.
    #[inline]
    fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
        let mut i = buf.len();
        loop {
            i -= 1;
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                return &buf[i..];
            }
        }
    }

    const HEX: &[u8; 16] = b"0123456789abcdef";

    #[inline]
    fn hex(bytes: &[u8; 32]) -> [u8; 64] {
        let mut out = [0; 64];
        for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
            pair[0] = HEX[usize::from(b >> 4)];
            pair[1] = HEX[usize::from(b & 15)];
        }
        out
    }

    /// S3 path encoding: everything but unreserved characters and `/`.
    #[inline]
    fn stays(b: u8) -> bool {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
    }

    #[inline]
    fn encoded_len(key: &str) -> usize {
        key.bytes().map(|b| if stays(b) { 1 } else { 3 }).sum()
    }

    /// Pushes the encoded key in runs, so a key that needs no escapes is
    /// one copy.
    #[inline]
    fn encode_key(key: &str, url: &mut String) {
        let mut run = 0;
        for (i, b) in key.bytes().enumerate() {
            if !stays(b) {
                // Only unescaped (ASCII) bytes end a run, so a non-empty
                // run is on char boundaries; an empty one may sit inside a
                // multi-byte character, where slicing would panic.
                if run < i {
                    url.push_str(&key[run..i]);
                }
                url.push('%');
                url.push(char::from(HEX[usize::from(b >> 4)].to_ascii_uppercase()));
                url.push(char::from(HEX[usize::from(b & 15)].to_ascii_uppercase()));
                run = i + 1;
            }
        }
        url.push_str(&key[run..]);
    }

    fn ascii(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes).expect("ASCII")
    }

    /// The URL up to and including `&X-Amz-Signature=`, in a `String` with
    /// room for exactly the signature more; and where its host, path and
    /// query (the canonical query: the parameters are written in sorted
    /// order) lie, so that the canonical request can be hashed from it.
    struct Unsigned {
        url: String,
        host_end: usize,
        query_start: usize,
    }

    #[inline]
    fn unsigned_url(
        bucket: &str,
        key: &str,
        credential: &str,
        amz_date: &[u8; 16],
        expires: u64,
    ) -> Unsigned {
        let mut buf = [0; 20];
        let expires = ascii(decimal(expires, &mut buf));
        let len = "https://".len()
            + bucket.len()
            + HOST_SUFFIX.len()
            + 1
            + encoded_len(key)
            + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=".len()
            + credential.len()
            + "&X-Amz-Date=".len()
            + amz_date.len()
            + "&X-Amz-Expires=".len()
            + expires.len()
            + "&X-Amz-SignedHeaders=host".len()
            + SIGNATURE_PARAM.len()
            + 64;
        let mut url = String::with_capacity(len);
        url.push_str("https://");
        url.push_str(bucket);
        url.push_str(HOST_SUFFIX);
        let host_end = url.len();
        url.push('/');
        encode_key(key, &mut url);
        url.push('?');
        let query_start = url.len();
        url.push_str("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=");
        url.push_str(credential);
        url.push_str("&X-Amz-Date=");
        url.push_str(ascii(amz_date));
        url.push_str("&X-Amz-Expires=");
        url.push_str(expires);
        url.push_str("&X-Amz-SignedHeaders=host");
        url.push_str(SIGNATURE_PARAM);
        debug_assert_eq!(url.len() + 64, len);
        Unsigned {
            url,
            host_end,
            query_start,
        }
    }

    impl Unsigned {
        /// Feeds the canonical request to `update`, from the URL's pieces.
        #[inline]
        fn canonical(&self, mut update: impl FnMut(&[u8])) {
            let url = self.url.as_bytes();
            let query_end = url.len() - SIGNATURE_PARAM.len();
            update(b"GET\n");
            update(&url[self.host_end..self.query_start - 1]);
            update(b"\n");
            update(&url[self.query_start..query_end]);
            update(b"\nhost:");
            update(&url["https://".len()..self.host_end]);
            update(b"\n\nhost\nUNSIGNED-PAYLOAD");
        }

        /// Appends the signature's hex; the `String` was sized for it.
        #[inline]
        fn sign(mut self, signature: &[u8; 32]) -> String {
            for b in signature {
                self.url.push(char::from(HEX[usize::from(b >> 4)]));
                self.url.push(char::from(HEX[usize::from(b & 15)]));
            }
            debug_assert_eq!(self.url.len(), self.url.capacity());
            self.url
        }
    }

    /// `AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hex hash}`, to `update`.
    #[inline]
    fn string_to_sign(
        amz_date: &[u8; 16],
        scope: &str,
        hash: &[u8; 32],
        mut update: impl FnMut(&[u8]),
    ) {
        update(b"AWS4-HMAC-SHA256\n");
        update(amz_date);
        update(b"\n");
        update(scope.as_bytes());
        update(b"\n");
        update(&hex(hash));
    }

    /// On the `hmac` and `sha2` crates: the "plain hmac+sha2 with a cached
    /// keyed HMAC state" the project's targets were set against.
    pub mod hmac_sha2 {
        use super::*;
        use sha2::Digest;

        pub struct Presigner {
            /// HMAC state keyed with the day's signing key (ipad and opad
            /// blocks absorbed); cloned for each signature.
            signing: Hmac<Sha256>,
            scope: Scope,
        }

        pub fn presigner(date: &Time) -> Presigner {
            Presigner {
                signing: Hmac::new_from_slice(&signing_key(date)).expect("32-byte key"),
                scope: Scope::new(date),
            }
        }

        /// A presigner made the tight way, as a cold presign makes one per
        /// URL: the key chain's four HMACs on stack buffers (the secret joined
        /// to `AWS4` without a heap buffer), the signing state keyed, the two
        /// scope strings sized exactly, and nothing wiped. What a cold presign
        /// cannot avoid on these crates.
        #[inline]
        pub fn presigner_cold(date: &Time) -> Presigner {
            #[inline]
            fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
                let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
                mac.update(data);
                mac.finalize().into_bytes().into()
            }
            let amz_date = amz_date(date);
            let ymd = &amz_date[..8];
            let mut first = [0u8; 64];
            let secret = SECRET_KEY.as_bytes();
            first[..4].copy_from_slice(b"AWS4");
            first[4..4 + secret.len()].copy_from_slice(secret);
            let k_date = hmac(&first[..4 + secret.len()], ymd);
            let k_region = hmac(&k_date, REGION.as_bytes());
            let k_service = hmac(&k_region, b"s3");
            let k_signing = hmac(&k_service, b"aws4_request");
            let ymd = std::str::from_utf8(ymd).expect("ASCII");
            let mut credential = String::with_capacity(ACCESS_KEY.len() + 3 + 8 + 36);
            let mut scope = String::with_capacity(8 + 1 + REGION.len() + 17);
            for piece in [
                ACCESS_KEY,
                "%2F",
                ymd,
                "%2F",
                REGION,
                "%2Fs3%2Faws4_request",
            ] {
                credential.push_str(piece);
            }
            for piece in [ymd, "/", REGION, "/s3/aws4_request"] {
                scope.push_str(piece);
            }
            Presigner {
                signing: Hmac::new_from_slice(&k_signing).expect("32-byte key"),
                scope: Scope {
                    date: (date.year, date.month, date.day),
                    credential,
                    scope,
                },
            }
        }

        /// [`presigner_cold`] and [`presign`] with the checks a cold presign
        /// by awsig makes and the wiping it does: the region a scope name;
        /// the bucket one DNS label a virtual host over https can carry (no
        /// dot, not a directory bucket's `--x-s3` name: awsig addresses
        /// those path-style or at their zone, which this reference does not
        /// write, so it refuses them); the key from 1 to 1,024 bytes; the
        /// expiry from a second to seven days; and the secret's `AWS4`
        /// buffer and the four derived keys wiped (`zeroize`). What a
        /// checked cold presign cannot avoid on these crates.
        #[inline]
        pub fn presign_cold_checked(
            region: &str,
            bucket: &str,
            key: &str,
            expires: u64,
            time: &Time,
        ) -> Option<String> {
            use zeroize::Zeroizing;
            #[inline]
            fn hmac(key: &[u8], data: &[u8]) -> Zeroizing<[u8; 32]> {
                let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
                mac.update(data);
                Zeroizing::new(mac.finalize().into_bytes().into())
            }
            let b = bucket.as_bytes();
            let label = (3..=63).contains(&b.len())
                && b.iter()
                    .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && !bucket.ends_with("--x-s3");
            if !super::checked::is_scope_name(region.as_bytes())
                || !label
                || !(1..=1024).contains(&key.len())
                || !(1..=604_800).contains(&expires)
            {
                return None;
            }
            let amz_date = amz_date(time);
            let ymd = &amz_date[..8];
            let mut first = Zeroizing::new([0u8; 64]);
            let secret = SECRET_KEY.as_bytes();
            first[..4].copy_from_slice(b"AWS4");
            first[4..4 + secret.len()].copy_from_slice(secret);
            let k_date = hmac(&first[..4 + secret.len()], ymd);
            let k_region = hmac(&*k_date, region.as_bytes());
            let k_service = hmac(&*k_region, b"s3");
            let k_signing = hmac(&*k_service, b"aws4_request");
            let ymd = std::str::from_utf8(ymd).expect("ASCII");
            let mut credential =
                String::with_capacity(ACCESS_KEY.len() + 3 + 8 + 3 + region.len() + 20);
            let mut scope = String::with_capacity(8 + 1 + region.len() + 17);
            for piece in [
                ACCESS_KEY,
                "%2F",
                ymd,
                "%2F",
                region,
                "%2Fs3%2Faws4_request",
            ] {
                credential.push_str(piece);
            }
            for piece in [ymd, "/", region, "/s3/aws4_request"] {
                scope.push_str(piece);
            }
            let presigner = Presigner {
                signing: Hmac::new_from_slice(&*k_signing).expect("32-byte key"),
                scope: Scope {
                    date: (time.year, time.month, time.day),
                    credential,
                    scope,
                },
            };
            Some(presign(&presigner, bucket, key, expires, time))
        }

        #[inline]
        pub fn presign(
            p: &Presigner,
            bucket: &str,
            key: &str,
            expires: u64,
            time: &Time,
        ) -> String {
            p.scope.check(time);
            let amz_date = amz_date(time);
            let unsigned = unsigned_url(bucket, key, &p.scope.credential, &amz_date, expires);
            let mut hasher = Sha256::new();
            unsigned.canonical(|piece| hasher.update(piece));
            let hash: [u8; 32] = hasher.finalize().into();
            let mut mac = p.signing.clone();
            string_to_sign(&amz_date, &p.scope.scope, &hash, |piece| mac.update(piece));
            unsigned.sign(&mac.finalize().into_bytes().into())
        }

        /// A tight verifier for the URLs `hmac_sha2::presign` writes, on the
        /// same crates and the same cached keyed state: what any verifier of a
        /// presigned URL must do and nothing more. It splits the URL, reads the
        /// parameters, checks the algorithm, the credential (key id and scope in
        /// one compare), the date against the key's day, the expiry and the
        /// signed headers, hashes the received path and query as they came (the
        /// signature covers exactly those bytes, so a query the signer did not
        /// write only fails), and compares the MAC in constant time. It checks
        /// no syntax beyond that and looks up no credentials.
        #[inline]
        pub fn verify_presigned(p: &Presigner, url: &str, now_unix: i64) -> bool {
            let Some(rest) = url.strip_prefix("https://") else {
                return false;
            };
            let Some((authority_path, query)) = rest.split_once('?') else {
                return false;
            };
            let Some(slash) = authority_path.find('/') else {
                return false;
            };
            let (host, path) = authority_path.split_at(slash);
            // The signature is the last parameter, 64 digits long.
            let Some(at) = query.len().checked_sub(SIGNATURE_PARAM.len() + 64) else {
                return false;
            };
            if query.get(at..at + SIGNATURE_PARAM.len()) != Some(SIGNATURE_PARAM) {
                return false;
            }
            let (signed_query, signature) = (&query[..at], &query[at + SIGNATURE_PARAM.len()..]);
            let (mut algorithm, mut credential, mut date, mut expires, mut headers) =
                (None, None, None, None, None);
            for piece in signed_query.split('&') {
                let slot = match piece.split_once('=') {
                    Some(("X-Amz-Algorithm", v)) => (&mut algorithm, v),
                    Some(("X-Amz-Credential", v)) => (&mut credential, v),
                    Some(("X-Amz-Date", v)) => (&mut date, v),
                    Some(("X-Amz-Expires", v)) => (&mut expires, v),
                    Some(("X-Amz-SignedHeaders", v)) => (&mut headers, v),
                    _ => continue,
                };
                if slot.0.replace(slot.1).is_some() {
                    return false;
                }
            }
            let (Some(algorithm), Some(credential), Some(date), Some(expires), Some(headers)) =
                (algorithm, credential, date, expires, headers)
            else {
                return false;
            };
            let date = date.as_bytes();
            let (Some(signed_at), Ok(expires)) = (unix_of(date), expires.parse::<i64>()) else {
                return false;
            };
            if algorithm != "AWS4-HMAC-SHA256"
                || credential != p.scope.credential
                || date[..8] != *p.scope.scope.as_bytes().get(..8).unwrap_or_default()
                || headers != "host"
                || !(1..=604_800).contains(&expires)
                || now_unix < signed_at - 900
                || now_unix > signed_at + expires
                || signature.len() != 64
            {
                return false;
            }
            let mut provided = [0u8; 32];
            for (byte, pair) in provided
                .iter_mut()
                .zip(signature.as_bytes().chunks_exact(2))
            {
                match (nibble(pair[0]), nibble(pair[1])) {
                    (Some(hi), Some(lo)) => *byte = hi << 4 | lo,
                    _ => return false,
                }
            }
            let amz_date: &[u8; 16] = date.try_into().expect("16 bytes");
            let received = (path, signed_query, host);
            mac_verifies(&p.signing, received, amz_date, &p.scope.scope, &provided)
        }
    }

    /// The checked tight verifier: [`checked::verify_presigned_checked`].
    pub mod checked {
        use super::*;

        /// What a verifier holds: its credential store (one key pair, found
        /// by comparing key ids, with its secret's SHA-256), the scopes it
        /// accepts, and the day's keyed HMAC state kept with its owner (key
        /// id, secret digest, day, region, service), as awsig keeps it.
        pub struct Verifier {
            key_id: &'static str,
            secret_digest: [u8; 32],
            accepted: [(&'static str, &'static str); 1],
            kept: Kept,
        }

        /// A kept key and whose it is.
        struct Kept {
            key_id: String,
            secret_digest: [u8; 32],
            day: [u8; 8],
            region: String,
            service: String,
            keyed: Hmac<Sha256>,
        }

        /// The claims handed back: one allocation, as awsig's `Verified`.
        pub struct Claims {
            pub credential: String,
            pub signed_at: i64,
            pub expires_at: i64,
        }

        pub fn verifier(date: &Time) -> Verifier {
            use sha2::Digest;
            let ymd: [u8; 8] = amz_date(date)[..8].try_into().expect("8 bytes");
            let secret_digest: [u8; 32] = Sha256::digest(SECRET_KEY.as_bytes()).into();
            Verifier {
                key_id: ACCESS_KEY,
                secret_digest,
                accepted: [(REGION, "s3")],
                kept: Kept {
                    key_id: ACCESS_KEY.to_owned(),
                    secret_digest,
                    day: ymd,
                    region: REGION.to_owned(),
                    service: "s3".to_owned(),
                    keyed: Hmac::new_from_slice(&signing_key(date)).expect("32-byte key"),
                },
            }
        }

        /// Unreserved: what stays itself in a canonical URI or query.
        const fn unreserved_table() -> [bool; 256] {
            let mut t = [false; 256];
            let mut b = 0;
            while b < 256 {
                let c = b as u8;
                t[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
                b += 1;
            }
            t
        }
        static UNRESERVED: [bool; 256] = unreserved_table();

        /// The end of the run of unreserved bytes from `i`, eight bytes to
        /// a step while they last.
        #[inline]
        fn unreserved_run(bytes: &[u8], mut i: usize) -> usize {
            while let Some(chunk) = bytes.get(i..i + 8) {
                if !chunk
                    .iter()
                    .fold(true, |all, &b| all & UNRESERVED[usize::from(b)])
                {
                    break;
                }
                i += 8;
            }
            while i < bytes.len() && UNRESERVED[usize::from(bytes[i])] {
                i += 1;
            }
            i
        }

        fn upper_hex(d: u8) -> Option<u8> {
            match d {
                b'0'..=b'9' => Some(d - b'0'),
                b'A'..=b'F' => Some(d - b'A' + 10),
                _ => None,
            }
        }

        /// An escape the canonical form keeps: upper-case, of a byte that
        /// must stay escaped (`/` too unless `slash_stays`).
        fn kept_escape(bytes: &[u8], at: usize, slash_stays: bool) -> bool {
            match (
                bytes.get(at + 1).and_then(|&d| upper_hex(d)),
                bytes.get(at + 2).and_then(|&d| upper_hex(d)),
            ) {
                (Some(hi), Some(lo)) => {
                    let b = hi << 4 | lo;
                    !(UNRESERVED[usize::from(b)] || (slash_stays && b == b'/'))
                }
                _ => false,
            }
        }

        /// The names a query may not carry in another case or escaped.
        const DISGUISABLE: [&str; 5] = [
            "X-Amz-Algorithm",
            "X-Amz-Credential",
            "X-Amz-S3session-Token",
            "X-Amz-Security-Token",
            "X-Amz-Signature",
        ];

        /// Query authentication's names, in canonical order (the index is
        /// the order).
        fn auth_index(name: &str) -> Option<usize> {
            Some(match name {
                "X-Amz-Algorithm" => 0,
                "X-Amz-Credential" => 1,
                "X-Amz-Date" => 2,
                "X-Amz-Expires" => 3,
                "X-Amz-Region-Set" => 4,
                "X-Amz-S3session-Token" => 5,
                "X-Amz-Security-Token" => 6,
                "X-Amz-SignedHeaders" => 7,
                "X-Amz-Signature" => 8,
                _ => return None,
            })
        }

        /// A region or service name: lower-case letters, digits and `-`.
        pub(super) fn is_scope_name(s: &[u8]) -> bool {
            !s.is_empty()
                && s.iter()
                    .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }

        /// `YYYYMMDDTHHMMSSZ`, every field in range, as Unix seconds.
        fn checked_unix(d: &[u8]) -> Option<i64> {
            let fields = amz_date_fields(d)?;
            let [y, m, day, h, min, sec] = fields;
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
            let days_in_month = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                1..=12 => 31,
                _ => return None,
            };
            let in_range = (1..=days_in_month).contains(&day) && h < 24 && min < 60 && sec < 60;
            in_range.then(|| unix_of_fields(fields))
        }

        /// A tight verifier that makes the checks awsig's `Verifier` makes
        /// of such a URL (not [`hmac_sha2::verify_presigned`], which makes
        /// none): the scheme read, the host's name or IPv6 literal and port
        /// checked and the default port left out by number; the path and
        /// query in canonical form (each byte unreserved or a kept
        /// upper-case escape, the parameters sorted, none empty), so that
        /// they are hashed as received; no authentication parameter twice
        /// or in disguise; header names that are tokens, no `Authorization`
        /// or token header, a `Host` (once) that is the URL's, no unsigned
        /// `x-amz-*` header; the algorithm; the credential decoded and
        /// split, its date eight digits and its region and service scope
        /// names; `X-Amz-Date` read field by field and in range, its date
        /// the credential's; `X-Amz-Expires` whole seconds up to seven
        /// days; `SignedHeaders` lower-case, sorted and with `host`; the key
        /// id looked up and the scope accepted; no session token where none
        /// belongs; the validity window and skew; the kept key's owner
        /// compared, its secret's digest in constant time; the signature 64
        /// lower-case hex digits and the MAC compared in constant time; the
        /// claims returned in one allocation. Straight-line, on the same
        /// crates.
        #[inline]
        pub fn verify_presigned_checked(
            v: &Verifier,
            url: &str,
            headers: &[(&str, &str)],
            now_unix: i64,
        ) -> Option<Claims> {
            // The URL's parts.
            let (scheme, rest) = url.split_once("://")?;
            if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
                return None;
            }
            if url.contains('#') {
                return None;
            }
            let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
            let (authority, rest) = rest.split_at(authority_end);
            // The host: a name of lower-case letters, digits, `-` and `.`,
            // or a bracketed IPv6 literal; a port of 1 to 65535, left out
            // when it is the scheme's default (by number: `:0443` too).
            let (name, port) = match authority.rfind(':') {
                Some(at) if !authority[at..].contains(']') => {
                    (&authority[..at], Some(&authority[at + 1..]))
                }
                _ => (authority, None),
            };
            let name_ok = match name.strip_prefix('[') {
                Some(literal) => literal.strip_suffix(']').is_some_and(|v6| {
                    !v6.is_empty()
                        && v6
                            .bytes()
                            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
                }),
                None => {
                    !name.is_empty()
                        && name.bytes().all(|b| {
                            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'
                        })
                }
            };
            let port = match port {
                Some(p) if (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {
                    match p.parse::<u32>().ok()? {
                        0 | 65_536.. => return None,
                        n => Some(n),
                    }
                }
                Some(_) => return None,
                None => None,
            };
            if !name_ok {
                return None;
            }
            let default_port = if scheme.eq_ignore_ascii_case("https") {
                443
            } else {
                80
            };
            let host = match port {
                Some(n) if n == default_port => name,
                _ => authority,
            };
            let (path, query) = rest.split_once('?')?;
            let path = if path.is_empty() { "/" } else { path };
            let p = path.as_bytes();
            let mut i = 0;
            while i < p.len() {
                match p[i] {
                    b'%' if kept_escape(p, i, true) => i += 3,
                    b'/' => i += 1,
                    b if UNRESERVED[usize::from(b)] => i = unreserved_run(p, i),
                    _ => return None,
                }
            }
            // Headers: names that are tokens, no second mechanism, no token
            // header, a `Host` (once) that is the URL's, and no `x-amz-*`
            // header, since only `host` is signed.
            let mut host_seen = false;
            for (name, value) in headers {
                let token = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                if !token
                    || name.eq_ignore_ascii_case("authorization")
                    || (name.len() > 6 && name[..6].eq_ignore_ascii_case("x-amz-"))
                {
                    return None;
                }
                if name.eq_ignore_ascii_case("host") {
                    if host_seen || !value.trim().eq_ignore_ascii_case(host) {
                        return None;
                    }
                    host_seen = true;
                }
            }
            // The query, in one pass: canonical form, the parameters.
            let q = query.as_bytes();
            let mut auth: [Option<&str>; 9] = [None; 9];
            let mut previous: Option<(Option<usize>, &str, &str)> = None;
            let (mut start, mut eq) = (0, None);
            let mut signed_end = None;
            let mut i = 0;
            while i <= q.len() {
                match q.get(i) {
                    Some(&b) if UNRESERVED[usize::from(b)] => {
                        i = unreserved_run(q, i);
                        continue;
                    }
                    Some(b'%') if kept_escape(q, i, false) => i += 2,
                    Some(b'=') if eq.is_none() => eq = Some(i),
                    Some(b'&') | None => {
                        let eq_at = eq?;
                        let (name, value) = (&query[start..eq_at], &query[eq_at + 1..i]);
                        let index = auth_index(name);
                        match index {
                            Some(k) => {
                                if auth[k].replace(value).is_some() {
                                    return None;
                                }
                            }
                            None => {
                                let disguised = DISGUISABLE.iter().any(|d| {
                                    (d.len() == name.len() && d.eq_ignore_ascii_case(name))
                                        || (name.contains('%') && decoded_eq(name, d))
                                });
                                if disguised {
                                    return None;
                                }
                            }
                        }
                        if index == Some(8) {
                            // The signature, last.
                            if i != q.len() {
                                return None;
                            }
                            signed_end = Some(start.saturating_sub(1));
                        } else {
                            let in_order = match previous {
                                None => true,
                                Some((Some(a), _, _)) if index.is_some() => Some(a) < index,
                                Some((_, n, val)) => (n, val) <= (name, value),
                            };
                            if !in_order {
                                return None;
                            }
                            previous = Some((index, name, value));
                        }
                        (start, eq) = (i + 1, None);
                    }
                    Some(_) => return None,
                }
                i += 1;
            }
            let signed_query = &query[..signed_end?];
            let [Some(algorithm), Some(credential), Some(date), Some(expires), None, s3_token, token, Some(signed_headers), Some(signature)] =
                auth
            else {
                return None;
            };
            if algorithm != "AWS4-HMAC-SHA256" || s3_token.is_some() || token.is_some() {
                return None;
            }
            // The credential, decoded and split.
            // (The query's escapes were checked above: each is upper-case
            // hex of an ASCII byte that must stay escaped.)
            let mut text = String::with_capacity(credential.len());
            let mut rest = credential;
            while let Some(at) = rest.find('%') {
                text.push_str(&rest[..at]);
                let byte = u8::from_str_radix(rest.get(at + 1..at + 3)?, 16).ok()?;
                text.push(Some(char::from(byte)).filter(char::is_ascii)?);
                rest = &rest[at + 3..];
            }
            text.push_str(rest);
            let mut parts = text.split('/');
            let (key_id, scope_date, region, service, terminal) = (
                parts.next()?,
                parts.next()?,
                parts.next()?,
                parts.next()?,
                parts.next()?,
            );
            if parts.next().is_some()
                || key_id.is_empty()
                || scope_date.len() != 8
                || !scope_date.bytes().all(|b| b.is_ascii_digit())
                || !is_scope_name(region.as_bytes())
                || !is_scope_name(service.as_bytes())
                || terminal != "aws4_request"
            {
                return None;
            }
            // The date, the expiry, the signed headers.
            let signed_at = checked_unix(date.as_bytes())?;
            if &date[..8] != scope_date {
                return None;
            }
            if expires.is_empty()
                || expires.len() > 19
                || !expires.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            let expires: i64 = expires.parse().ok()?;
            if !(1..=604_800).contains(&expires) {
                return None;
            }
            let mut before = "";
            let mut has_host = false;
            for name in signed_headers.split(';') {
                if name.is_empty()
                    || name <= before
                    || !name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                {
                    return None;
                }
                has_host |= name == "host";
                before = name;
            }
            if !has_host {
                return None;
            }
            // The lookup, the scope, the window.
            if key_id != v.key_id || !v.accepted.iter().any(|&(r, s)| r == region && s == service) {
                return None;
            }
            if now_unix < signed_at - 900 || now_unix > signed_at + expires {
                return None;
            }
            // The key kept for this owner (its secret's digest compared in
            // constant time, so that a rotated secret never meets an old key)
            // and day.
            let kept = &v.kept;
            let same_secret = {
                let diff = (kept.secret_digest.iter().zip(&v.secret_digest))
                    .fold(0u8, |d, (a, b)| d | (a ^ b));
                std::hint::black_box(diff) == 0
            };
            if kept.key_id != key_id
                || !same_secret
                || kept.day != scope_date.as_bytes()
                || kept.region != region
                || kept.service != service
            {
                return None;
            }
            let keyed = &kept.keyed;
            // The signature, then the MAC over what was received.
            let mut provided = [0u8; 32];
            if signature.len() != 64 {
                return None;
            }
            for (byte, pair) in provided
                .iter_mut()
                .zip(signature.as_bytes().chunks_exact(2))
            {
                *byte = nibble(pair[0])? << 4 | nibble(pair[1])?;
            }
            let amz_date: &[u8; 16] = date.as_bytes().try_into().ok()?;
            let scope_text = &text[key_id.len() + 1..];
            let received = (path, signed_query, host);
            if !mac_verifies(keyed, received, amz_date, scope_text, &provided) {
                return None;
            }
            Some(Claims {
                credential: text,
                signed_at,
                expires_at: signed_at + expires,
            })
        }

        /// Whether `name`, percent-decoded, reads as `wanted` in any case.
        fn decoded_eq(name: &str, wanted: &str) -> bool {
            let mut out = Vec::with_capacity(name.len());
            let n = name.as_bytes();
            let mut i = 0;
            while i < n.len() {
                let escape = (n[i] == b'%').then(|| {
                    let hi = (n.get(i + 1).copied()).and_then(|d| (d as char).to_digit(16))?;
                    let lo = (n.get(i + 2).copied()).and_then(|d| (d as char).to_digit(16))?;
                    Some((hi << 4 | lo) as u8)
                });
                match escape.flatten() {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(n[i]);
                        i += 1;
                    }
                }
            }
            out.eq_ignore_ascii_case(wanted.as_bytes())
        }
    }

    /// Whether `provided` is the MAC, under `keyed`, of the string to sign
    /// of a GET's canonical request with its path, query and host as
    /// received (only `host` signed, the payload unsigned): both tight
    /// verifiers end with it.
    #[inline]
    fn mac_verifies(
        keyed: &Hmac<Sha256>,
        (path, query, host): (&str, &str, &str),
        amz_date: &[u8; 16],
        scope: &str,
        provided: &[u8; 32],
    ) -> bool {
        use sha2::Digest;
        let mut hasher = Sha256::new();
        for piece in [
            "GET\n",
            path,
            "\n",
            query,
            "\nhost:",
            host,
            "\n\nhost\nUNSIGNED-PAYLOAD",
        ] {
            hasher.update(piece.as_bytes());
        }
        let hash: [u8; 32] = hasher.finalize().into();
        let mut mac = keyed.clone();
        string_to_sign(amz_date, scope, &hash, |piece| mac.update(piece));
        mac.verify_slice(provided).is_ok()
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard
    /// Hinnant's `days_from_civil`).
    fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The year, month, day, hour, minute and second of `YYYYMMDDTHHMMSSZ`,
    /// or `None` if it is not that shape (the fields are not range-checked).
    fn amz_date_fields(amz_date: &[u8]) -> Option<[i64; 6]> {
        let field = |range: std::ops::Range<usize>| -> Option<i64> {
            amz_date.get(range)?.iter().try_fold(0i64, |n, &d| {
                d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
            })
        };
        if amz_date.len() != 16 || amz_date[8] != b'T' || amz_date[15] != b'Z' {
            return None;
        }
        Some([
            field(0..4)?,
            field(4..6)?,
            field(6..8)?,
            field(9..11)?,
            field(11..13)?,
            field(13..15)?,
        ])
    }

    /// The fields of [`amz_date_fields`] as Unix seconds.
    fn unix_of_fields([year, month, day, hour, minute, second]: [i64; 6]) -> i64 {
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// `YYYYMMDDTHHMMSSZ` as Unix seconds, or `None` if it is not that shape.
    fn unix_of(amz_date: &[u8]) -> Option<i64> {
        amz_date_fields(amz_date).map(unix_of_fields)
    }

    /// The value of a lower-case hex digit.
    fn nibble(d: u8) -> Option<u8> {
        match d {
            b'0'..=b'9' => Some(d - b'0'),
            b'a'..=b'f' => Some(d - b'a' + 10),
            _ => None,
        }
    }

    /// On `sha2::block_api::compress256` alone: the HMAC's inner and outer states are
    /// midstates after the key's pad blocks, and the outer hash is one
    /// hand-padded block. What is left of the `hmac` and `digest` layers'
    /// cost once they are cut.
    pub mod midstate {
        use super::*;

        const IV: [u32; 8] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
            0x5be0cd19,
        ];

        #[inline]
        fn compress(state: &mut [u32; 8], block: &[u8]) {
            let block: &[u8; 64] = block.try_into().expect("a 64-byte block");
            sha2::block_api::compress256(state, std::slice::from_ref(block));
        }

        /// A SHA-256 in progress: the chaining state, the partial block,
        /// and the bytes absorbed so far (for the length padding).
        #[derive(Clone)]
        struct Stream {
            state: [u32; 8],
            block: [u8; 64],
            fill: usize,
            total: u64,
        }

        impl Stream {
            /// Resumes from `state` after `absorbed` whole blocks' bytes.
            fn from_midstate(state: [u32; 8], absorbed: u64) -> Self {
                Self {
                    state,
                    block: [0; 64],
                    fill: 0,
                    total: absorbed,
                }
            }

            #[inline]
            fn update(&mut self, mut data: &[u8]) {
                self.total += data.len() as u64;
                if self.fill > 0 {
                    let n = data.len().min(64 - self.fill);
                    self.block[self.fill..self.fill + n].copy_from_slice(&data[..n]);
                    self.fill += n;
                    data = &data[n..];
                    if self.fill < 64 {
                        return;
                    }
                    compress(&mut self.state, &self.block);
                    self.fill = 0;
                }
                let mut blocks = data.chunks_exact(64);
                for block in &mut blocks {
                    compress(&mut self.state, block);
                }
                let rest = blocks.remainder();
                self.block[..rest.len()].copy_from_slice(rest);
                self.fill = rest.len();
            }

            #[inline]
            fn finish(mut self) -> [u8; 32] {
                let bits = self.total * 8;
                self.block[self.fill] = 0x80;
                self.block[self.fill + 1..].fill(0);
                if self.fill >= 56 {
                    compress(&mut self.state, &self.block);
                    self.block = [0; 64];
                }
                self.block[56..].copy_from_slice(&bits.to_be_bytes());
                compress(&mut self.state, &self.block);
                digest(&self.state)
            }
        }

        #[inline]
        fn digest(state: &[u32; 8]) -> [u8; 32] {
            let mut out = [0; 32];
            for (bytes, word) in out.chunks_exact_mut(4).zip(state) {
                bytes.copy_from_slice(&word.to_be_bytes());
            }
            out
        }

        pub struct Presigner {
            /// After the signing key's ipad block.
            inner: [u32; 8],
            /// After the signing key's opad block.
            outer: [u32; 8],
            scope: Scope,
        }

        pub fn presigner(date: &Time) -> Presigner {
            let key = signing_key(date);
            let pad = |byte: u8| {
                let mut block = [byte; 64];
                for (b, k) in block.iter_mut().zip(key) {
                    *b ^= k;
                }
                let mut state = IV;
                compress(&mut state, &block);
                state
            };
            Presigner {
                inner: pad(0x36),
                outer: pad(0x5c),
                scope: Scope::new(date),
            }
        }

        #[inline]
        pub fn presign(
            p: &Presigner,
            bucket: &str,
            key: &str,
            expires: u64,
            time: &Time,
        ) -> String {
            p.scope.check(time);
            let amz_date = amz_date(time);
            let unsigned = unsigned_url(bucket, key, &p.scope.credential, &amz_date, expires);
            let mut hasher = Stream::from_midstate(IV, 0);
            unsigned.canonical(|piece| hasher.update(piece));
            let hash = hasher.finish();
            let mut inner = Stream::from_midstate(p.inner, 64);
            string_to_sign(&amz_date, &p.scope.scope, &hash, |piece| {
                inner.update(piece)
            });
            let inner = inner.finish();
            // The outer message is the 64-byte opad block (absorbed) and
            // the 32-byte inner digest: one block with its padding.
            let mut block = [0; 64];
            block[..32].copy_from_slice(&inner);
            block[32] = 0x80;
            block[56..].copy_from_slice(&((64u64 + 32) * 8).to_be_bytes());
            let mut outer = p.outer;
            compress(&mut outer, &block);
            unsigned.sign(&digest(&outer))
        }
    }
}

/// One presign: the URL's length (the URL itself is dropped inside).
pub type Presign = Box<dyn FnMut() -> usize>;

/// Every implementation's presign of the same URL, in table order, each
/// closure owning what a long-lived caller would keep (presigner, bucket,
/// identity, keyed state). Shared by the allocation count and the
/// interleaved ratios so that both measure the same calls.
pub fn presign_runs() -> Vec<(&'static str, Presign)> {
    let presigner = ours::presigner();
    let credentials = ours::credentials();
    let time = ours::time();
    let identity = aws::identity();
    let aws_time = aws::time();
    let bucket = rusty::bucket();
    let rusty_credentials = rusty::credentials();
    let rusty_time = rusty::time();
    let tight_hmac = tight::hmac_sha2::presigner(&tight::TIME);
    let tight_midstate = tight::midstate::presigner(&tight::TIME);
    vec![
        (
            "awsig-cached",
            Box::new(move || ours::presign_cached(&presigner, time).as_str().len()),
        ),
        (
            "awsig-cold",
            Box::new(move || ours::presign_cold(&credentials, time).as_str().len()),
        ),
        (
            "aws-sigv4",
            Box::new(move || aws::presign(&identity, aws_time).len()),
        ),
        (
            "rusty-s3",
            Box::new(move || {
                rusty::presign(&bucket, &rusty_credentials, &rusty_time)
                    .as_str()
                    .len()
            }),
        ),
        (
            "tight-hmac-sha2",
            Box::new(move || {
                tight::hmac_sha2::presign(&tight_hmac, BUCKET, KEY, EXPIRES_IN, &tight::TIME).len()
            }),
        ),
        (
            "tight-cold",
            Box::new(move || {
                let presigner = tight::hmac_sha2::presigner_cold(&tight::TIME);
                tight::hmac_sha2::presign(&presigner, BUCKET, KEY, EXPIRES_IN, &tight::TIME).len()
            }),
        ),
        (
            "tight-midstate",
            Box::new(move || {
                tight::midstate::presign(&tight_midstate, BUCKET, KEY, EXPIRES_IN, &tight::TIME)
                    .len()
            }),
        ),
        (
            "tight-cold-checked",
            Box::new(move || {
                tight::hmac_sha2::presign_cold_checked(
                    REGION,
                    BUCKET,
                    KEY,
                    EXPIRES_IN,
                    &tight::TIME,
                )
                .map_or(0, |url| url.len())
            }),
        ),
    ]
}

/// The URL each implementation produces, in benchmark order.
pub fn produce_all() -> Vec<(&'static str, String)> {
    let presigner = ours::presigner();
    let time = ours::time();
    let _ = ours::presign_cached(&presigner, time); // fill the key cache
    let cached = ours::presign_cached(&presigner, time).as_str().to_string();
    let cold = ours::presign_cold(&ours::credentials(), time)
        .as_str()
        .to_string();
    let aws = aws::presign(&aws::identity(), aws::time());
    let rusty = rusty::presign(&rusty::bucket(), &rusty::credentials(), &rusty::time())
        .as_str()
        .to_string();
    let tight_hmac = tight::hmac_sha2::presign(
        &tight::hmac_sha2::presigner(&tight::TIME),
        BUCKET,
        KEY,
        EXPIRES_IN,
        &tight::TIME,
    );
    let tight_cold = tight::hmac_sha2::presign(
        &tight::hmac_sha2::presigner_cold(&tight::TIME),
        BUCKET,
        KEY,
        EXPIRES_IN,
        &tight::TIME,
    );
    let tight_midstate = tight::midstate::presign(
        &tight::midstate::presigner(&tight::TIME),
        BUCKET,
        KEY,
        EXPIRES_IN,
        &tight::TIME,
    );
    vec![
        ("awsig-cached", cached),
        ("awsig-cold", cold),
        ("aws-sigv4", aws),
        ("rusty-s3", rusty),
        ("tight-hmac-sha2", tight_hmac),
        ("tight-cold", tight_cold),
        ("tight-midstate", tight_midstate),
        (
            "tight-cold-checked",
            tight::hmac_sha2::presign_cold_checked(REGION, BUCKET, KEY, EXPIRES_IN, &tight::TIME)
                .expect("a valid request"),
        ),
    ]
}

/// Panics unless every implementation signs with [`EXPECTED_SIGNATURE`]
/// and writes exactly [`EXPECTED_URL`]. Returns the URLs.
pub fn verify_all() -> Vec<(&'static str, String)> {
    let all = produce_all();
    for (name, url) in &all {
        let got = signature_of(url);
        assert_eq!(
            got,
            Some(EXPECTED_SIGNATURE),
            "{name} produced the wrong X-Amz-Signature: {got:?}\n  url: {url}"
        );
        assert_eq!(url, EXPECTED_URL, "{name} wrote a different URL");
    }
    all
}

/// Length of the string to sign for this scope:
/// `AWS4-HMAC-SHA256\n` + amz-date (16) + `\n` + scope + `\n` + hex hash (64).
pub fn string_to_sign_len() -> usize {
    "AWS4-HMAC-SHA256\n".len() + 16 + 1 + "20130524/us-east-1/s3/aws4_request".len() + 1 + 64
}

/// SHA-256 blocks (compressions) for a message of `len` bytes: data, the
/// `0x80` byte and the 8-byte length, rounded up to 64 bytes.
pub fn sha256_blocks(len: usize) -> usize {
    (len + 9).div_ceil(64)
}

/// Compressions a cached presign needs, given the canonical request length
/// `l` and string-to-sign length `s`:
/// * hash the canonical request: `ceil((l + 9) / 64)`;
/// * HMAC inner hash of the string to sign, with the key's ipad block
///   already absorbed (precomputed state): `ceil((64 + s + 9) / 64) - 1`;
/// * HMAC outer hash, opad block already absorbed: 1 block (32-byte inner
///   digest + padding).
pub fn cached_compressions(l: usize, s: usize) -> usize {
    sha256_blocks(l) + (sha256_blocks(64 + s) - 1) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tight verifier accepts the URL every line writes, and refuses it
    /// changed, expired or before its time.
    #[test]
    fn tight_verify_accepts_the_url_and_refuses_changes() {
        let p = tight::hmac_sha2::presigner(&tight::TIME);
        let url = EXPECTED_URL;
        let at = UNIX_TIME + 300;
        assert!(tight::hmac_sha2::verify_presigned(&p, url, at));
        assert!(!tight::hmac_sha2::verify_presigned(
            &p,
            url,
            UNIX_TIME + 86_401
        ));
        assert!(!tight::hmac_sha2::verify_presigned(
            &p,
            url,
            UNIX_TIME - 901
        ));
        let changed = [
            url.replace("test.txt", "test.txu"),
            url.replace("X-Amz-Expires=86400", "X-Amz-Expires=86401"),
            url.replace("examplebucket", "examplebuckes"),
            format!("{}0", &url[..url.len() - 1]),
        ];
        for url in &changed {
            assert!(!tight::hmac_sha2::verify_presigned(&p, url, at), "{url}");
        }
    }

    /// The checked cold reference writes the URL for the example and refuses
    /// what awsig's S3 presigner refuses for each of its checks.
    #[test]
    fn the_checked_cold_reference_refuses_what_awsig_refuses() {
        let presign = |region: &str, bucket: &str, key: &str, expires: u64| {
            let tight =
                tight::hmac_sha2::presign_cold_checked(region, bucket, key, expires, &tight::TIME);
            let awsig = awsig::s3::S3Presigner::new(ours::credentials(), region)
                .map(|p| p.with_addressing_style(awsig::s3::AddressingStyle::Virtual))
                .and_then(|p| {
                    p.presign(
                        &awsig::s3::S3Request::get(bucket, key).expires_in(expires),
                        ours::time(),
                    )
                })
                .map(|url| url.as_str().to_owned());
            (tight, awsig.ok())
        };
        let (tight, awsig) = presign(REGION, BUCKET, KEY, EXPIRES_IN);
        assert_eq!(tight.as_deref(), Some(EXPECTED_URL));
        assert_eq!(awsig.as_deref(), Some(EXPECTED_URL));
        let long_key = "k".repeat(1025);
        for (region, key, expires) in [
            ("US-EAST-1", KEY, 60),
            ("", KEY, 60),
            (REGION, "", 60),
            (REGION, long_key.as_str(), 60),
            (REGION, KEY, 0),
            (REGION, KEY, 604_801),
        ] {
            let got = presign(region, BUCKET, key, expires);
            assert_eq!(got, (None, None), "{region:?} {key:?} {expires}");
        }
        // Buckets no virtual host over https carries: awsig addresses them
        // path-style (or at a directory bucket's zone); this reference,
        // which writes virtual hosts only, refuses them.
        for bucket in [
            "My_Bucket",
            "ab",
            "a.b.c",
            "192.168.1.1",
            "a..b",
            "b--use1-az4--x-s3",
        ] {
            let (tight, awsig) = presign(REGION, bucket, KEY, 60);
            assert_eq!(tight, None, "{bucket}");
            let virtual_host = format!("https://{bucket}.s3.amazonaws.com/");
            assert!(
                awsig.is_none_or(|url| !url.starts_with(&virtual_host)),
                "{bucket}"
            );
        }
    }

    /// The checked tight verifier accepts the URL and refuses what awsig's
    /// verifier refuses, each for one of the checks it makes; a query
    /// out of canonical form, which awsig writes again and then checks, it
    /// refuses (that path is not taken for a canonical URL, which is what
    /// is timed).
    #[test]
    fn the_checked_tight_verifier_refuses_what_awsig_refuses() {
        let v = tight::checked::verifier(&tight::TIME);
        let verifier = ours::verifier();
        let now = ours::verify_time();
        let url = EXPECTED_URL;
        let (head, signature) = url.split_at(url.find("&X-Amz-Signature=").unwrap());
        let check = |url: &str, headers: &[(&str, &str)], at: i64| {
            let tight = tight::checked::verify_presigned_checked(&v, url, headers, at).is_some();
            let time = awsig::SigningTime::from_unix_seconds(at).unwrap();
            let awsig = verifier.verify_presigned("GET", url, headers, None, time);
            (tight, awsig.is_ok())
        };
        let at = now.unix_seconds();
        assert_eq!(check(url, &[], at), (true, true));
        let refused = [
            url.replace("test.txt", "test.txu"),
            url.replace("X-Amz-Expires=86400", "X-Amz-Expires=86401"),
            url.replace("X-Amz-Expires=86400", "X-Amz-Expires=604801"),
            url.replace("AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLF"),
            url.replace("us-east-1", "us-west-2"),
            url.replace("%2Fs3%2F", "%2FS3%2F"),
            url.replace("20130524T000000Z", "20131324T000000Z"),
            url.replace("20130524T000000Z", "20130525T000000Z"),
            url.replace("SignedHeaders=host", "SignedHeaders=Host"),
            url.replace("SignedHeaders=host", "SignedHeaders=content-type"),
            url.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"),
            format!("{head}&X-Amz-Date=20130524T000000Z{signature}"),
            format!("{head}&x-amz-signature=0{signature}"),
            format!("{head}&X-Amz-Security-Token=t{signature}"),
            format!("{}0", &url[..url.len() - 1]),
            format!("{}A", &url[..url.len() - 1]),
            url.replace("X-Amz-SignedHeaders=host&", "")
                .replace(
                    "&X-Amz-Signature",
                    "&X-Amz-SignedHeaders=host&X-Amz-Signature",
                )
                .replace("host&X-Amz-Signature", "host&zzz=1&X-Amz-Signature"),
        ];
        for url in &refused {
            assert_eq!(check(url, &[], at), (false, false), "{url}");
        }
        let with_port = |port: &str| url.replacen(".com/", &format!(".com:{port}/"), 1);
        assert_eq!(check(&with_port("443"), &[], at), (true, true));
        assert_eq!(check(&with_port("0443"), &[], at), (true, true));
        for port in ["8443", "99999", "0", "x"] {
            assert_eq!(check(&with_port(port), &[], at), (false, false), "{port}");
        }
        let host = "examplebucket.s3.amazonaws.com";
        assert_eq!(check(url, &[("Host", host)], at), (true, true));
        assert_eq!(check(url, &[("Host", "other.example")], at), (false, false));
        assert_eq!(
            check(url, &[("host", host), ("Host", host)], at),
            (false, false)
        );
        assert_eq!(
            check(url, &[("x-amz-acl", "public-read")], at),
            (false, false)
        );
        assert_eq!(check(url, &[("Host ", host)], at), (false, false));
        assert_eq!(check(url, &[("Authorization", "x")], at), (false, false));
        assert_eq!(
            check(url, &[("x-amz-security-token", "t")], at),
            (false, false)
        );
        assert_eq!(check(url, &[], UNIX_TIME + 86_401), (false, false));
        assert_eq!(check(url, &[], UNIX_TIME - 901), (false, false));
        // Out of canonical form but the same parameters: awsig writes the
        // query again and accepts it; the checked tight verifier refuses.
        assert_eq!(check(&url.replace("%2F", "%2f"), &[], at), (false, true));
    }

    /// The documentation example exercises neither escapes nor messages
    /// that straddle blocks differently; awsig is the oracle for the rest.
    #[test]
    fn tight_references_agree_with_awsig_beyond_the_example() {
        let presigner = ours::presigner();
        let hmac = tight::hmac_sha2::presigner(&tight::TIME);
        let midstate = tight::midstate::presigner(&tight::TIME);
        let long = "k/".repeat(150);
        for key in ["test.txt", "a b/ü+c=d&e%f", "~-_./x", long.as_str()] {
            for expires in [1, 9, 86_400, 604_800] {
                let request = S3RequestFor { key, expires };
                let want = request.ours(&presigner);
                let time = tight::TIME;
                assert_eq!(
                    tight::hmac_sha2::presign(&hmac, BUCKET, key, expires, &time),
                    want,
                    "tight-hmac-sha2, key {key:?}, expires {expires}"
                );
                assert_eq!(
                    tight::midstate::presign(&midstate, BUCKET, key, expires, &time),
                    want,
                    "tight-midstate, key {key:?}, expires {expires}"
                );
            }
        }
    }

    struct S3RequestFor<'a> {
        key: &'a str,
        expires: u64,
    }

    impl S3RequestFor<'_> {
        fn ours(&self, presigner: &awsig::s3::S3Presigner) -> String {
            let request = awsig::s3::S3Request::get(BUCKET, self.key).expires_in(self.expires);
            presigner
                .presign(&request, ours::time())
                .expect("presign")
                .as_str()
                .to_owned()
        }
    }
}
