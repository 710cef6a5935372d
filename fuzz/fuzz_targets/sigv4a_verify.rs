//! SigV4a verification: a real SigV4a URL and header-signed request, edited
//! by the fuzzer, never panic the verifier; unedited, both verify; and an
//! edit of the signed query or the signature never verifies.
#![no_main]

use arbitrary::Arbitrary;
use awsig::sigv4a::RegionSet;
use awsig::verify::Verifier;
use awsig::{Credentials, Payload, Request, Signer, SigningTime};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

#[derive(Debug, Arbitrary)]
struct Input {
    /// Byte edits of the URL: (position, replacement).
    edits: Vec<(u16, u8)>,
    /// Headers sent beside it.
    headers: Vec<(String, String)>,
    /// The region set's header value, for the header-signed form.
    region_set: Option<String>,
    /// Seconds after signing that it is verified.
    after: i16,
}

struct Signed {
    url: String,
    authorization: Vec<(String, String)>,
}

const SIGNED_AT: i64 = 1_700_000_000;

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap()
}

fn signed() -> &'static Signed {
    static SIGNED: OnceLock<Signed> = OnceLock::new();
    SIGNED.get_or_init(|| {
        let set = RegionSet::parse("us-east-1,eu-*").unwrap();
        let signer = Signer::new_sigv4a(creds(), &set, "sqs").unwrap();
        let at = SigningTime::from_unix_seconds(SIGNED_AT).unwrap();
        let req =
            Request::new("GET", "sqs.amazonaws.com", "/q/a%20b").with_query("Action=Receive&n=1");
        let url = signer.presign(&req, at, 600).unwrap().into_string();
        let auth = signer.authorize(&req, at).unwrap();
        let authorization = auth
            .headers()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        Signed { url, authorization }
    })
}

/// `bytes` with the hex digits of each `%XX` escape upper-cased.
fn escapes_upper_cased(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for i in 0..out.len().saturating_sub(2) {
        if out[i] == b'%' && out[i + 1].is_ascii_hexdigit() && out[i + 2].is_ascii_hexdigit() {
            out[i + 1].make_ascii_uppercase();
            out[i + 2].make_ascii_uppercase();
        }
    }
    out
}

fuzz_target!(|input: Input| {
    let signed = signed();
    let verifier = Verifier::new(|_: &str| Some(creds())).accept("eu-west-1", "sqs");
    let now = SigningTime::from_unix_seconds(SIGNED_AT + i64::from(input.after)).unwrap();
    let within = (0..=600).contains(&input.after);

    let mut url = signed.url.clone().into_bytes();
    for &(at, byte) in &input.edits {
        let at = usize::from(at) % url.len();
        url[at] = byte;
    }
    let edited = url != signed.url.as_bytes();
    let url = String::from_utf8_lossy(&url).into_owned();
    let headers: Vec<(&str, &str)> = input
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let result = verifier.verify_presigned("GET", &url, &headers, Some(Payload::Empty), now);
    if !edited && headers.is_empty() && within {
        assert!(result.is_ok(), "the signed URL: {result:?}");
    }
    // Everything after the host is signed: an edit there never verifies,
    // unless it only changes the case of a percent escape's hex digits,
    // which name the same byte either way.
    let path_start = "https://sqs.amazonaws.com".len();
    let after_host = |u: &str| u.as_bytes().get(path_start..).map(escapes_upper_cased);
    if after_host(&url) != after_host(&signed.url) {
        assert!(result.is_err(), "edited {url} verified");
    }

    let mut sent: Vec<(&str, &str)> = signed
        .authorization
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    sent.push(("Host", "sqs.amazonaws.com"));
    if let Some(set) = &input.region_set {
        sent.retain(|(n, _)| !n.eq_ignore_ascii_case("x-amz-region-set"));
        sent.push(("x-amz-region-set", set));
    }
    sent.extend(&headers);
    let header_url = "https://sqs.amazonaws.com/q/a%20b?Action=Receive&n=1";
    let result = verifier.verify_authorization("GET", header_url, &sent, Some(Payload::Empty), now);
    if input.region_set.is_none() && headers.is_empty() && input.after.unsigned_abs() <= 900 {
        assert!(result.is_ok(), "the signed request: {result:?}");
    }
    if input
        .region_set
        .as_deref()
        .is_some_and(|set| set != "us-east-1,eu-*")
    {
        assert!(
            result.is_err(),
            "region set {:?} verified",
            input.region_set
        );
    }
});
