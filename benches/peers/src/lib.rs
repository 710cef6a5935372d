//! The same presigned S3 GET URL, produced by `sigv4` and by two peers.
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

/// `sigv4`, this repository.
pub mod ours {
    use super::*;
    use sigv4::s3::{AddressingStyle, S3Presigner, S3Request};
    use sigv4::{Credentials, PresignedUrl, SigningTime};

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
    ) -> sigv4::verify::Verifier<impl Fn(&str) -> Option<std::sync::Arc<Credentials>>> {
        let known = std::sync::Arc::new(credentials());
        sigv4::verify::Verifier::new(move |id: &str| {
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

/// Not a peer: the least a presign can do with the `hmac` and `sha2` crates,
/// as a yardstick for the floor. The signing key's keyed HMAC state is made
/// once; each call builds the URL and canonical request with plain string
/// pushes, hashes, HMACs a clone of the keyed state, and appends the hex.
/// No validation, no encoding (the key is known to need none), the
/// `X-Amz-Date` handed in pre-formatted: nothing a real signer can skip.
pub mod minimal {
    use super::*;
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};

    pub struct Presigner {
        /// HMAC state keyed with the day's signing key.
        signing: Hmac<Sha256>,
        /// `AKID%2F20130524%2Fus-east-1%2Fs3%2Faws4_request`
        credential: String,
        /// `20130524/us-east-1/s3/aws4_request`
        scope: String,
    }

    fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    pub fn presigner(date: &str) -> Presigner {
        let k_date = hmac(format!("AWS4{SECRET_KEY}").as_bytes(), date.as_bytes());
        let k_region = hmac(&k_date, REGION.as_bytes());
        let k_service = hmac(&k_region, b"s3");
        let k_signing = hmac(&k_service, b"aws4_request");
        Presigner {
            signing: Hmac::new_from_slice(&k_signing).expect("32-byte key"),
            credential: format!("{ACCESS_KEY}%2F{date}%2F{REGION}%2Fs3%2Faws4_request"),
            scope: format!("{date}/{REGION}/s3/aws4_request"),
        }
    }

    fn hex(bytes: &[u8], out: &mut String) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        for b in bytes {
            out.push(DIGITS[usize::from(b >> 4)] as char);
            out.push(DIGITS[usize::from(b & 15)] as char);
        }
    }

    #[inline]
    pub fn presign(p: &Presigner, amz_date: &str) -> String {
        let host = format!("{BUCKET}.s3.amazonaws.com");
        let query = format!(
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={}&X-Amz-Date={amz_date}\
             &X-Amz-Expires={EXPIRES_IN}&X-Amz-SignedHeaders=host",
            p.credential
        );
        let canonical = format!("GET\n/{KEY}\n{query}\nhost:{host}\n\nhost\nUNSIGNED-PAYLOAD");
        let mut string_to_sign = format!("AWS4-HMAC-SHA256\n{amz_date}\n{}\n", p.scope);
        hex(&Sha256::digest(canonical.as_bytes()), &mut string_to_sign);
        let mut mac = p.signing.clone();
        mac.update(string_to_sign.as_bytes());
        let mut url = format!("https://{host}/{KEY}?{query}&X-Amz-Signature=");
        hex(&mac.finalize().into_bytes(), &mut url);
        url
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
    let reference = minimal::presigner("20130524");
    vec![
        (
            "sigv4-cached",
            Box::new(move || ours::presign_cached(&presigner, time).as_str().len()),
        ),
        (
            "sigv4-cold",
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
            "hmac-sha2-minimal",
            Box::new(move || minimal::presign(&reference, "20130524T000000Z").len()),
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
    let minimal = minimal::presign(&minimal::presigner("20130524"), "20130524T000000Z");
    vec![
        ("sigv4-cached", cached),
        ("sigv4-cold", cold),
        ("aws-sigv4", aws),
        ("rusty-s3", rusty),
        ("hmac-sha2-minimal", minimal),
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
