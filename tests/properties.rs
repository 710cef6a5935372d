//! Property tests: the encoding round-trips, the canonical query is sorted
//! and independent of input order, and signing never panics while anything
//! that signs also verifies.

use awsig::encoding::{decode, encode_into, is_unreserved, Slash};
use awsig::verify::Verifier;
use awsig::{Credentials, Payload, Request, Signer, SigningMode, SigningTime};
use proptest::prelude::*;

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap()
}

fn time() -> SigningTime {
    SigningTime::parse("2015-08-30T12:36:00Z").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decoding_the_encoded_form_gives_back_the_input(bytes in prop::collection::vec(any::<u8>(), 0..200), keep_slash in any::<bool>()) {
        let slash = if keep_slash { Slash::Keep } else { Slash::Escape };
        let mut encoded = Vec::new();
        encode_into(&bytes, slash, &mut encoded);
        prop_assert_eq!(decode(&encoded), bytes.clone());
        // Only unreserved bytes (and `/` in paths) stay; everything else is
        // an upper-case escape.
        let mut i = 0;
        let mut source = bytes.iter();
        while i < encoded.len() {
            let b = *source.next().unwrap();
            if is_unreserved(b) || (keep_slash && b == b'/') {
                prop_assert_eq!(encoded[i], b);
                i += 1;
            } else {
                let escape = format!("%{b:02X}");
                prop_assert_eq!(&encoded[i..i + 3], escape.as_bytes());
                i += 3;
            }
        }
        prop_assert!(source.next().is_none());
    }

    #[test]
    fn the_canonical_query_is_sorted_and_input_order_never_matters(
        params in prop::collection::vec(("[a-zA-Z0-9 _.~+=&%/-]{0,8}", "\\PC{0,8}"), 0..12),
        seed in any::<u64>(),
    ) {
        let signer = Signer::new(creds(), "us-east-1", "service").unwrap();
        let refs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut shuffled = refs.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let req = |p: &'_ [(&'_ str, &'_ str)]| {
            let owned: Vec<(String, String)> = p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            owned
        };
        let a = req(&refs);
        let b = req(&shuffled);
        let a_refs: Vec<(&str, &str)> = a.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let b_refs: Vec<(&str, &str)> = b.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let ra = Request::new("GET", "example.amazonaws.com", "/").with_params(&a_refs);
        let rb = Request::new("GET", "example.amazonaws.com", "/").with_params(&b_refs);
        let url_a = signer.presign(&ra, time(), 60).unwrap();
        let url_b = signer.presign(&rb, time(), 60).unwrap();
        prop_assert_eq!(url_a.signature(), url_b.signature());
        prop_assert_eq!(url_a.as_str(), url_b.as_str());
        let creq = signer.canonical_request(&ra, time(), SigningMode::Header).unwrap();
        let query = creq.lines().nth(2).unwrap_or("");
        let pairs: Vec<(&str, &str)> = if query.is_empty() {
            Vec::new()
        } else {
            query.split('&').map(|p| p.split_once('=').unwrap()).collect()
        };
        prop_assert_eq!(pairs.len(), params.len());
        for w in pairs.windows(2) {
            prop_assert!(w[0] <= w[1], "{:?} after {:?}", w[1], w[0]);
        }
    }

    #[test]
    fn signing_never_panics(
        method in "\\PC{0,8}",
        host in "\\PC{0,20}",
        path in "\\PC{0,30}",
        query in "\\PC{0,30}",
        header in ("\\PC{0,10}", "\\PC{0,20}"),
        region in "\\PC{0,12}",
        service in "\\PC{0,8}",
        unix in any::<i64>(),
        expires in any::<u64>(),
    ) {
        if let Ok(signer) = Signer::new(creds(), &region, &service) {
            let headers = [(header.0.as_str(), header.1.as_str())];
            let req = Request::new(&method, &host, &path).with_query(&query).with_headers(&headers);
            if let Ok(t) = SigningTime::from_unix_seconds(unix) {
                let _ = signer.presign(&req, t, expires);
                let _ = signer.authorize(&req, t);
                let _ = signer.canonical_request(&req, t, SigningMode::Header);
            }
        }
    }

    #[test]
    fn anything_that_signs_also_verifies(
        method in "[A-Z]{1,7}",
        host in "[a-zA-Z0-9.-]{1,20}(:[0-9]{1,5})?",
        path in "(/[a-zA-Z0-9._~!$&'()*+,;=:@%-]{0,10}){1,4}",
        query in "[a-zA-Z0-9._~=&+%-]{0,30}",
        headers in prop::collection::vec(("x-[a-z0-9!#$&'*+.^_`|~-]{1,8}", "[ -~]{0,20}"), 0..4),
        service in prop::sample::select(vec!["s3", "execute-api", "service", "lambda"]),
        unix in -2_000_000_000i64..4_000_000_000,
        expires in 1u64..=604_800,
        token in prop::option::of("[ -~]{1,30}"),
        body in prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
    ) {
        let mut c = creds();
        if let Some(t) = &token {
            c = c.with_session_token(t).unwrap();
        }
        let signer = Signer::new(c.clone(), "eu-west-1", service).unwrap();
        let header_refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let mut req = Request::new(&method, &host, &path).with_query(&query).with_headers(&header_refs);
        // The body received: signed into the URL for every service but S3,
        // whose presigned URLs sign `UNSIGNED-PAYLOAD`.
        let received = match &body {
            Some(bytes) if service != "s3" => {
                req = req.with_payload(Payload::Bytes(bytes));
                Payload::Bytes(bytes)
            }
            _ => Payload::Empty,
        };
        let t = SigningTime::from_unix_seconds(unix).unwrap();
        if let Ok(url) = signer.presign(&req, t, expires) {
            let verifier = Verifier::new(|_: &str| Some(c.clone())).accept("eu-west-1", service);
            let result = verifier.verify_presigned(&method, url.as_str(), &header_refs, Some(received), t);
            prop_assert!(result.is_ok(), "{:?} for {}", result, url.as_str());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A request with nothing to sort (no query, parameters or headers of
    /// its own, S3's path rules) is presigned straight through. What it
    /// writes must be what the general writers write: the URL's path and
    /// query are the canonical request's URI and query lines, and the
    /// signature is the HMAC of the general path's string to sign.
    #[test]
    fn the_plain_presign_writes_what_the_general_writers_write(
        key in "[a-zA-Z0-9 /._~+%=&?#é😀-]{0,40}",
        path in prop::sample::select(vec!["/", "/bucket/", "/a b/", "/x%2Fy/"]),
        method in prop::sample::select(vec!["GET", "PUT", "HEAD", "DELETE"]),
        expires in 1u64..=604_800,
        token in prop::option::of("[a-zA-Z0-9/+=]{1,30}"),
        after in any::<bool>(),
        payload in prop::sample::select(vec![None, Some(Payload::Empty), Some(Payload::Unsigned)]),
    ) {
        let mut credentials = creds();
        if let Some(token) = &token {
            credentials = credentials.with_session_token(token).unwrap();
        }
        let mut settings = awsig::Settings::for_service("s3");
        if after {
            settings.session_token = awsig::SessionTokenMode::AfterSigning;
        }
        let signer = Signer::new(credentials, "eu-west-1", "s3").unwrap().with_settings(settings);
        let mut req = Request::new(method, "bkt.s3.eu-west-1.amazonaws.com:443", path).with_object_key(&key);
        if let Some(payload) = payload {
            req = req.with_payload(payload);
        }
        let mode = SigningMode::Query { expires_in: expires };
        let url = signer.presign(&req, time(), expires).unwrap();
        let canonical = signer.canonical_request(&req, time(), mode).unwrap();
        let lines: Vec<&str> = canonical.split('\n').collect();
        let (base, query) = url.as_str().split_once('?').unwrap();
        prop_assert_eq!(base.strip_prefix("https://bkt.s3.eu-west-1.amazonaws.com").unwrap(), lines[1]);
        let signed_query = query.split("&X-Amz-Signature=").next().unwrap();
        let signed_query = match (&token, after) {
            (Some(_), true) => signed_query.split("&X-Amz-Security-Token=").next().unwrap(),
            _ => signed_query,
        };
        prop_assert_eq!(signed_query, lines[2]);
        let string_to_sign = signer.string_to_sign(&req, time(), mode).unwrap();
        let k_signing = signer.key_chain(time()).unwrap().k_signing;
        let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::KeyInit>::new_from_slice(&*k_signing).unwrap();
        hmac::Mac::update(&mut mac, string_to_sign.as_bytes());
        let expected = awsig::encoding::hex32(&hmac::Mac::finalize(mac).into_bytes());
        prop_assert_eq!(url.signature().as_bytes(), &expected[..]);
    }
}
