//! Unit tests of the verifier's internals.

use super::credential::CredentialParts;
use super::query::*;
use super::rebuild::QueryHashed;
use super::*;
use crate::encoding::{hex32, Slash};
use crate::key::ReceivedSignature;

fn parse_credential(text: &str) -> Result<CredentialParts, VerifyError> {
    CredentialParts::parse(text.to_string(), crate::Algorithm::HmacSha256)
}

#[test]
fn credentials_parse_strictly() {
    let c = parse_credential("AKID/20130524/us-east-1/s3/aws4_request").unwrap();
    assert_eq!(
        (c.key(), c.date(), c.region(), c.service()),
        ("AKID", "20130524", "us-east-1", "s3")
    );
    for bad in [
        "AKID/20130524/us-east-1/s3",
        "/20130524/us-east-1/s3/aws4_request",
        "AKID/2013052/us-east-1/s3/aws4_request",
        "AKID/20130524/US/s3/aws4_request",
        "AKID/20130524/us-east-1/s3/aws4_requesT",
        "AKID/20130524/us-east-1/s3/x/aws4_request",
    ] {
        assert_eq!(
            parse_credential(bad),
            Err(VerifyError::MalformedCredential),
            "{bad}"
        );
    }
}

#[test]
fn region_less_credentials_parse_strictly() {
    let parse =
        |text: &str| CredentialParts::parse(text.to_string(), crate::Algorithm::EcdsaP256Sha256);
    let c = parse("AKID/20150830/service/aws4_request").unwrap();
    assert_eq!(
        (c.key(), c.date(), c.region(), c.service()),
        ("AKID", "20150830", "", "service")
    );
    for bad in [
        // A SigV4 credential is not a SigV4a one, nor the other way round.
        "AKID/20150830/us-east-1/service/aws4_request",
        "AKID/20150830/service",
        "AKID/20150830//aws4_request",
        "/20150830/service/aws4_request",
        "AKID/2015083/service/aws4_request",
        "AKID/20150830/Service/aws4_request",
    ] {
        assert_eq!(parse(bad), Err(VerifyError::MalformedCredential), "{bad}");
    }
    assert_eq!(
        parse_credential("AKID/20150830/service/aws4_request"),
        Err(VerifyError::MalformedCredential)
    );
}

const AUTH: [(&str, &str); 5] = [
    ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
    (
        "X-Amz-Credential",
        "AKID%2F20130524%2Fus-east-1%2Fs3%2Faws4_request",
    ),
    ("X-Amz-Date", "20130524T000000Z"),
    ("X-Amz-Expires", "86400"),
    ("X-Amz-SignedHeaders", "host"),
];
const SIGNATURE_PAIR: &str =
    "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

/// The canonical request as the generic writer (query taken apart and
/// written again) makes it, as verification makes it, and whether
/// verification hashed the query as received.
struct BothWays {
    generic: Result<Vec<u8>, VerifyError>,
    used: Vec<u8>,
    raw: bool,
}

fn both_ways(url: &str) -> Option<BothWays> {
    let r = Received::presigned(
        "GET",
        url,
        &[],
        None,
        Some(UnsignedAmzHeaders::Refuse),
        &Settings::for_service,
    )
    .ok()?;
    let mut generic = Vec::new();
    let mut sorted = crate::canonical::Sorted::new();
    let generic = r
        .canonical(QueryHashed::Rebuilt, &mut sorted)
        .map(|c| c.write(None, None, &mut generic))
        .map(|()| generic);
    let mut used = Vec::new();
    let used = r.write_canonical(&mut used).map(|()| used);
    // Both fail alike, or both succeed.
    assert_eq!(generic.is_ok(), used.is_ok(), "{url}");
    Some(BothWays {
        generic,
        used: used.unwrap_or_default(),
        raw: r.raw_uri_and_query().is_some(),
    })
}

#[test]
fn presigned_urls_from_this_signer_are_hashed_as_received() {
    let creds = Credentials::new("AKID", "secret").unwrap();
    let time = SigningTime::from_unix_seconds(1_369_353_600).unwrap();
    let versioned = crate::s3::S3Request::get("bucket", "a b/c~d+é.txt").version_id("v 1");
    let url = crate::s3::S3Presigner::new(creds, "us-east-1")
        .unwrap()
        .presign(&versioned, time)
        .unwrap()
        .into_string();
    let both = both_ways(&url).unwrap();
    assert!(both.raw, "the common case must take the raw path");
    assert_eq!(both.generic.unwrap(), both.used);
    // Out of order, lower-case escapes, `+`: taken apart instead.
    for bad_query in ["b=1&a=1", "a=%2f", "a=x+y", "a", "a=1&&b=2", "a=1&"] {
        let url = alloc::format!(
            "https://b.s3.amazonaws.com/k?{bad_query}&{}&{SIGNATURE_PAIR}",
            AUTH.map(|(n, v)| alloc::format!("{n}={v}")).join("&")
        );
        assert!(!both_ways(&url).unwrap().raw, "{bad_query}");
    }
}

/// Strings of up to four atoms: plain bytes, escapes canonical or not.
fn atoms(choices: &'static [&'static str]) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy;
    proptest::collection::vec(proptest::sample::select(choices), 0..5).prop_map(|a| a.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]
    #[test]
    fn raw_and_rebuilt_canonical_requests_agree(
        path in atoms(&["a", "Z", "/", "~", ".", "%20", "%E1", "a", "Z", "/", "~", ".", "%20", "%E1", "%2F", "%2f", "%41", "%e1%88%b4", " ", "+", "%"]),
        params in proptest::collection::vec((
            atoms(&["a", "b", "X", "0", "~", "%20", "%2F", "a", "b", "X", "0", "~", "%20", "%2F", "%3d", "%41", "+", "%"]),
            atoms(&["1", "a", "~", "%20", "%2F", "1", "a", "~", "%20", "%2F", "%2f", "=", "/", "%7E", "+"]),
            proptest::bool::weighted(0.9),
        ), 0..4),
        sort in proptest::bool::weighted(0.7),
        signature_at in 0usize..30,
    ) {
        let path = alloc::format!("/{path}");
        let mut pairs: Vec<String> = params.iter()
            .map(|(n, v, eq)| if *eq { alloc::format!("{n}={v}") } else { n.clone() })
            .chain(AUTH.iter().map(|(n, v)| alloc::format!("{n}={v}")))
            .collect();
        if sort {
            pairs.sort_by(|a, b| {
                let split = |p: &str| { let (n, v) = p.split_once('=').unwrap_or((p, "")); (n.to_string(), v.to_string()) };
                split(a).cmp(&split(b))
            });
        }
        // Mostly last, as signers put it; sometimes elsewhere.
        pairs.insert(signature_at.min(pairs.len()), SIGNATURE_PAIR.into());
        let url = alloc::format!("https://b.s3.amazonaws.com{path}?{}", pairs.join("&"));
        if let Some(BothWays { generic: Ok(generic), used, .. }) = both_ways(&url) {
            proptest::prop_assert_eq!(generic, used, "{}", url);
        }
    }
}

proptest::proptest! {
    #[test]
    fn push_decoded_is_decoded(
        pieces in proptest::collection::vec(proptest::sample::select(
            &["a", "%2F", "%3b", "%", "%4", "%zz", "é", "%C3", "%A9", "%C3%A9", "%FF", "/"][..]), 0..8),
        prefix in "[a-z]{0,3}",
    ) {
        let value: String = pieces.concat();
        let mut out = prefix.clone();
        push_decoded(&mut out, &value);
        proptest::prop_assert_eq!(out, alloc::format!("{prefix}{}", decoded(&value)));
    }
}

#[test]
fn signatures_are_64_lower_case_hex_digits() {
    let digest: [u8; 32] = core::array::from_fn(|i| (i as u8).wrapping_mul(73));
    assert_eq!(
        ReceivedSignature::from_hex(&hex32(&digest)),
        Some(ReceivedSignature(digest))
    );
    for b in 0..=255u8 {
        let mut hex = *b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        hex[17] = b;
        let lower_hex = b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
        assert_eq!(
            ReceivedSignature::from_hex(&hex).is_some(),
            lower_hex,
            "byte {b}"
        );
    }
    assert!(ReceivedSignature::from_hex(&[b'0'; 63]).is_none());
}

#[test]
fn signed_headers_must_be_canonical() {
    assert!(check_signed_headers("content-type;host").is_ok());
    assert_eq!(
        check_signed_headers("host;content-type"),
        Err(VerifyError::SignedHeadersNotCanonical)
    );
    assert_eq!(
        check_signed_headers("Host"),
        Err(VerifyError::SignedHeadersNotCanonical)
    );
    assert_eq!(
        check_signed_headers("host;host"),
        Err(VerifyError::SignedHeadersNotCanonical)
    );
    assert_eq!(check_signed_headers("x-a"), Err(VerifyError::HostNotSigned));
}

proptest::proptest! {
    #[test]
    fn recoded_form_is_what_recoding_keeps(
        chars in proptest::collection::vec(proptest::sample::select(
            "%%%0123456789aAbBcCeEfF/~-._ +=&zZé€".chars().collect::<Vec<_>>()), 0..12),
        keep_slash in proptest::bool::ANY,
    ) {
        let text: String = chars.into_iter().collect();
        let slash = if keep_slash { Slash::Keep } else { Slash::Escape };
        let mut recoded = Vec::new();
        crate::canonical::write_recoded(&text, slash, &mut recoded);
        proptest::prop_assert_eq!(is_recoded_form(text.as_bytes(), slash), recoded == text.as_bytes());
    }
}
