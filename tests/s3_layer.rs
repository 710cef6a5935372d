//! The S3 layer's choices that botocore's vectors cannot show: what it
//! refuses where botocore silently does something else, and that every
//! refusal is a typed error naming the input.

use awsig::s3::{AddressingStyle, AwsEndpoint, Endpoint, S3Presigner, S3Request};
use awsig::{Credentials, Error, SigningTime};

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap()
}

fn time() -> SigningTime {
    SigningTime::parse("2024-02-29T23:59:59Z").unwrap()
}

fn presigner(region: &str, endpoint: Option<&str>, style: AddressingStyle) -> S3Presigner {
    let mut p = S3Presigner::new(creds(), region)
        .unwrap()
        .with_addressing_style(style);
    if let Some(e) = endpoint {
        p = p.with_endpoint(Endpoint::parse(e).unwrap());
    }
    p
}

fn presign(p: &S3Presigner, bucket: &str) -> Result<String, Error> {
    p.presign(&S3Request::get(bucket, "k"), time())
        .map(|u| u.as_str().to_string())
}

fn base(url: &str) -> &str {
    url.split('?').next().unwrap()
}

#[test]
fn legacy_bucket_names_sign_path_style() {
    let long = "b".repeat(255);
    for bucket in [
        "b",
        "ab",
        "My_Bucket",
        "bucket-",
        "-bucket",
        "a..b",
        "192.168.5.4",
        long.as_str(),
    ] {
        // `Virtual` too: botocore's `virtual` falls back to path style.
        for style in [
            AddressingStyle::Auto,
            AddressingStyle::Virtual,
            AddressingStyle::Path,
        ] {
            let url = presign(&presigner("us-east-1", None, style), bucket).unwrap();
            assert_eq!(base(&url), format!("https://s3.amazonaws.com/{bucket}/k"));
        }
    }
}

#[test]
fn auto_keeps_virtual_hosting_for_dns_names() {
    let url = presign(
        &presigner("eu-west-1", None, AddressingStyle::Auto),
        "my-bucket",
    )
    .unwrap();
    assert_eq!(base(&url), "https://my-bucket.s3.eu-west-1.amazonaws.com/k");
}

#[test]
fn dotted_buckets_are_virtual_hosted_only_without_tls() {
    let http = presigner(
        "us-east-1",
        Some("http://s3.example.com:8080"),
        AddressingStyle::Virtual,
    );
    assert_eq!(
        base(&presign(&http, "a.b.c").unwrap()),
        "http://a.b.c.s3.example.com:8080/k"
    );
    // Names no host takes go in the path, as botocore sends them.
    for name in ["a..b", "a.-b", "A.b.c"] {
        assert_eq!(
            base(&presign(&http, name).unwrap()),
            format!("http://s3.example.com:8080/{name}/k")
        );
    }
    let https = presigner(
        "us-east-1",
        Some("https://s3.example.com"),
        AddressingStyle::Virtual,
    );
    assert_eq!(
        base(&presign(&https, "a.b.c").unwrap()),
        "https://s3.example.com/a.b.c/k"
    );
}

#[test]
fn ip_endpoints_are_path_style_under_every_style() {
    for (endpoint, host) in [
        ("http://127.0.0.1:9000", "127.0.0.1:9000"),
        ("http://[::1]:9000", "[::1]:9000"),
        ("https://10.1.2.3", "10.1.2.3"),
        ("http://[2001:DB8::7]:80", "[2001:db8::7]"),
    ] {
        let scheme = endpoint.split(':').next().unwrap();
        // An IP host takes no bucket label, so `Virtual` goes path style as
        // botocore's `virtual` does.
        for style in [
            AddressingStyle::Auto,
            AddressingStyle::Virtual,
            AddressingStyle::Path,
        ] {
            let p = presigner("us-east-1", Some(endpoint), style);
            assert_eq!(
                base(&presign(&p, "bkt").unwrap()),
                format!("{scheme}://{host}/bkt/k")
            );
        }
    }
    // Not IP-shaped: a host name, which takes the label.
    let five = presigner(
        "us-east-1",
        Some("http://1.2.3.4.5"),
        AddressingStyle::Virtual,
    );
    assert_eq!(
        base(&presign(&five, "bkt").unwrap()),
        "http://bkt.1.2.3.4.5/k"
    );
}

/// Directory buckets go to their zone's endpoint, signed under
/// `s3express` (IAM mode: the presigner's own credentials); on an IP
/// endpoint the bucket is in the path; a name without a zone id S3 Express
/// reads is refused, naming it.
#[test]
fn directory_buckets_go_to_their_zones_endpoint() {
    let bucket = "bucket--usw2-az1--x-s3";
    let p = presigner("us-west-2", None, AddressingStyle::Auto);
    let url = presign(&p, bucket).unwrap();
    assert_eq!(
        base(&url),
        "https://bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/k"
    );
    assert!(
        url.contains("%2Fus-west-2%2Fs3express%2Faws4_request"),
        "{url}"
    );
    assert!(!url.contains("S3session"), "{url}");
    // Path style is no option for a directory bucket.
    let path = presigner("us-west-2", None, AddressingStyle::Path);
    assert_eq!(base(&presign(&path, bucket).unwrap()), base(&url));
    let ip = presigner(
        "us-west-2",
        Some("http://127.0.0.1:9000"),
        AddressingStyle::Auto,
    );
    assert_eq!(
        base(&presign(&ip, bucket).unwrap()),
        "http://127.0.0.1:9000/bucket--usw2-az1--x-s3/k"
    );
    let custom = presigner(
        "us-west-2",
        Some("https://example.com/pre"),
        AddressingStyle::Path,
    );
    assert_eq!(
        base(&presign(&custom, bucket).unwrap()),
        "https://bucket--usw2-az1--x-s3.example.com/pre/k"
    );
    let dual = presigner("us-west-2", None, AddressingStyle::Auto).with_dual_stack();
    assert_eq!(
        base(&presign(&dual, bucket).unwrap()),
        "https://bucket--usw2-az1--x-s3.s3express-usw2-az1.dualstack.us-west-2.amazonaws.com/k"
    );
    let fips = presigner("fips-us-west-2", None, AddressingStyle::Auto);
    assert_eq!(
        base(&presign(&fips, bucket).unwrap()),
        "https://bucket--usw2-az1--x-s3.s3express-fips-usw2-az1.us-west-2.amazonaws.com/k"
    );
    for bad in [
        "bkt--x-s3",
        "bucket--use1-az1234--x-s3",
        "Bucket--use1-az4--x-s3",
    ] {
        let err = presign(&p, bad).unwrap_err();
        assert!(matches!(err, Error::InvalidBucket { .. }), "{bad}: {err}");
        assert!(err.to_string().contains(bad), "{err}");
    }
}

#[test]
fn endpoint_ports_are_1_to_65535() {
    for bad in [
        "http://h:0",
        "http://h:00000",
        "http://h:65536",
        "https://h:99999",
        "http://[::1]:0",
        "http://h:123456789012345678901234567890",
    ] {
        let err = Endpoint::parse(bad).unwrap_err();
        assert!(matches!(err, Error::InvalidPort { .. }), "{bad}: {err}");
        let port = bad.rsplit(':').next().unwrap();
        assert!(err.to_string().contains(port), "{err}");
    }
    assert_eq!(Endpoint::parse("http://h:65535").unwrap().host(), "h:65535");
    assert_eq!(Endpoint::parse("http://h:1").unwrap().host(), "h:1");
}

#[test]
fn default_ports_are_known_by_number() {
    let sig = |endpoint: &str| {
        let p = presigner("us-east-1", Some(endpoint), AddressingStyle::Path);
        p.presign(&S3Request::get("bkt", "k"), time())
            .unwrap()
            .signature()
            .to_string()
    };
    assert_eq!(sig("https://h.example:0443"), sig("https://h.example"));
    assert_eq!(sig("http://h.example:080"), sig("http://h.example"));
    assert_eq!(sig("http://h.example:0000080"), sig("http://h.example"));
    assert_eq!(
        sig("https://h.example:09000"),
        sig("https://h.example:9000")
    );
    assert_ne!(sig("https://h.example:080"), sig("https://h.example"));
    assert_eq!(
        Endpoint::parse("https://H.example:0443/s3").unwrap().host(),
        "h.example"
    );
}

#[test]
fn every_partition_has_its_suffix() {
    for (region, host, partition) in [
        ("us-east-1", "s3.amazonaws.com", "aws"),
        ("eu-central-2", "s3.eu-central-2.amazonaws.com", "aws"),
        (
            "cn-northwest-1",
            "s3.cn-northwest-1.amazonaws.com.cn",
            "aws-cn",
        ),
        (
            "us-gov-east-1",
            "s3.us-gov-east-1.amazonaws.com",
            "aws-us-gov",
        ),
        ("us-iso-east-1", "s3.us-iso-east-1.c2s.ic.gov", "aws-iso"),
        (
            "us-isob-east-1",
            "s3.us-isob-east-1.sc2s.sgov.gov",
            "aws-iso-b",
        ),
        (
            "eu-isoe-west-1",
            "s3.eu-isoe-west-1.cloud.adc-e.uk",
            "aws-iso-e",
        ),
        (
            "us-isof-south-1",
            "s3.us-isof-south-1.csp.hci.ic.gov",
            "aws-iso-f",
        ),
        (
            "eusc-de-east-1",
            "s3.eusc-de-east-1.amazonaws.eu",
            "aws-eusc",
        ),
    ] {
        let e = AwsEndpoint::resolve(region).unwrap();
        assert_eq!(
            (e.endpoint().host(), e.signing_region(), e.partition()),
            (host, region, partition)
        );
        let url = presign(&presigner(region, None, AddressingStyle::Auto), "bkt").unwrap();
        assert_eq!(base(&url), format!("https://bkt.{host}/k"));
        assert!(url.contains(&format!("%2F{region}%2Fs3%2Faws4_request")));
    }
}

#[test]
fn pseudo_regions_sign_as_their_region() {
    for (region, host, signing) in [
        ("aws-global", "s3.amazonaws.com", "us-east-1"),
        (
            "fips-us-east-1",
            "s3-fips.us-east-1.amazonaws.com",
            "us-east-1",
        ),
        (
            "us-west-2-fips",
            "s3-fips.us-west-2.amazonaws.com",
            "us-west-2",
        ),
        (
            "fips-aws-global",
            "s3-fips.us-east-1.amazonaws.com",
            "us-east-1",
        ),
        (
            "fips-us-gov-west-1",
            "s3-fips.us-gov-west-1.amazonaws.com",
            "us-gov-west-1",
        ),
    ] {
        let p = presigner(region, None, AddressingStyle::Path);
        assert_eq!(p.signer().scope().region(), signing);
        let url = presign(&p, "bkt").unwrap();
        assert_eq!(base(&url), format!("https://{host}/bkt/k"));
        assert!(url.contains(&format!("%2F{signing}%2Fs3%2Faws4_request")));
        // With a custom endpoint the region signs as given, as botocore's
        // endpoint_url does.
        let custom = p.with_endpoint(Endpoint::parse("http://127.0.0.1:9000").unwrap());
        assert_eq!(custom.signer().scope().region(), region);
    }
}

#[test]
fn fips_in_china_and_unusable_regions_are_typed_errors() {
    for region in [
        "fips-cn-north-1",
        "cn-northwest-1-fips",
        "fips-aws-cn-global",
    ] {
        let err = S3Presigner::new(creds(), region).unwrap_err();
        assert_eq!(
            err,
            Error::FipsUnsupported {
                region: region.to_string(),
                partition: "aws-cn"
            }
        );
        assert!(err.to_string().contains(region));
    }
    let long = "r".repeat(64);
    for region in ["fips-", "-fips", "-us-east-1", long.as_str()] {
        let err = S3Presigner::new(creds(), region).unwrap_err();
        assert!(
            matches!(err, Error::RegionNotHostLabel { .. }),
            "{region}: {err}"
        );
        assert!(err.to_string().contains(region));
    }
    for region in ["", "US-EAST-1", "us_east_1", "us east"] {
        assert!(matches!(
            S3Presigner::new(creds(), region),
            Err(Error::InvalidRegion { .. })
        ));
    }
}

/// Odd inputs in every combination: each is a URL or a typed error, never a
/// panic.
#[test]
fn odd_inputs_never_panic() {
    let regions = [
        "us-east-1",
        "auto",
        "fips-",
        "fips-fips-us-east-1",
        "us-fips-east-1",
        "a",
        "aws-global-fips",
        "eusc-de-",
        "us-iso--1",
        "cn--1",
    ];
    let endpoints = [
        None,
        Some("http://[::1]"),
        Some("http://[::1]:"),
        Some("http://[::1]x"),
        Some("http://h:"),
        Some("http://h::80"),
        Some("http://h:8a"),
        Some("http://:80"),
        Some("http://[]:80"),
        Some("https://h:0443:0443"),
    ];
    let buckets = ["", ".", "..", "-", "a", "A", "1.2.3.4", "x--x-s3", "é"];
    for region in regions {
        let Ok(p) = S3Presigner::new(creds(), region) else {
            continue;
        };
        for endpoint in endpoints {
            let p = match endpoint.map(Endpoint::parse) {
                None => p.clone(),
                Some(Ok(e)) => p.clone().with_endpoint(e),
                Some(Err(_)) => continue,
            };
            for style in [
                AddressingStyle::Auto,
                AddressingStyle::Virtual,
                AddressingStyle::Path,
            ] {
                for bucket in buckets {
                    let _ = presign(&p.clone().with_addressing_style(style), bucket);
                }
            }
        }
    }
}

/// A session's signer follows the presigner's region and settings, in
/// whatever order the builder is called.
#[test]
fn an_s3_express_session_follows_the_presigners_region_and_settings() {
    let session = creds().with_session_token("TOKEN").unwrap();
    let bucket = "b--use1-az4--x-s3";
    let scope_of = |url: &str| {
        url.split("X-Amz-Credential=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_string()
    };
    let before = S3Presigner::new(creds(), "aws-global")
        .unwrap()
        .with_s3express_session(session.clone())
        .unwrap()
        .with_endpoint(Endpoint::parse("https://example.com").unwrap());
    let after = S3Presigner::new(creds(), "aws-global")
        .unwrap()
        .with_endpoint(Endpoint::parse("https://example.com").unwrap())
        .with_s3express_session(session.clone())
        .unwrap();
    let (a, b) = (
        presign(&before, bucket).unwrap(),
        presign(&after, bucket).unwrap(),
    );
    assert_eq!(scope_of(&a), scope_of(&b));
    assert!(scope_of(&a).contains("%2Faws-global%2Fs3express%2F"), "{a}");
    let mut settings = awsig::Settings::for_service("s3");
    settings.max_expires = 60;
    let capped = S3Presigner::new(creds(), "us-east-1")
        .unwrap()
        .with_s3express_session(session)
        .unwrap()
        .with_settings(settings);
    assert!(matches!(
        presign(&capped, bucket),
        Err(Error::ExpiresTooLong { max: 60, .. })
    ));
}
