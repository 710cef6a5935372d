//! Every bad input gets a typed error whose message names the input, through
//! the public API, and never a panic.

use awsig::error::Component;
use awsig::{Credentials, Error, Request, Settings, Signer, SigningTime};

fn signer() -> Signer {
    Signer::new(
        Credentials::new("AKIDEXAMPLE", "secret").unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap()
}

fn time() -> SigningTime {
    SigningTime::parse("2013-05-24T00:00:00Z").unwrap()
}

fn presign(req: Request<'_>) -> Result<String, Error> {
    signer().presign(&req, time(), 900).map(|u| u.into_string())
}

fn get() -> Request<'static> {
    Request::new("GET", "examplebucket.s3.amazonaws.com", "/k")
}

#[test]
fn expiry_zero_or_over_the_cap() {
    let s = signer();
    let err = s.presign(&get(), time(), 0).unwrap_err();
    assert_eq!(err, Error::ExpiresZero);
    assert!(err.to_string().contains("expiry"));
    let err = s.presign(&get(), time(), 604_801).unwrap_err();
    assert_eq!(
        err,
        Error::ExpiresTooLong {
            expires_in: 604_801,
            max: 604_800
        }
    );
    assert!(err.to_string().contains("604801"));
    assert!(s.presign(&get(), time(), 604_800).is_ok());
    assert!(s.presign(&get(), time(), 1).is_ok());
}

#[test]
fn the_cap_can_be_raised_for_compatible_stores() {
    let mut settings = Settings::for_service("s3");
    settings.max_expires = 30 * 86_400;
    let s = signer().with_settings(settings);
    assert!(s.presign(&get(), time(), 30 * 86_400).is_ok());
    assert!(matches!(
        s.presign(&get(), time(), 30 * 86_400 + 1),
        Err(Error::ExpiresTooLong { .. })
    ));
}

#[test]
fn empty_or_scope_breaking_credentials() {
    let e = Credentials::new("", "s").unwrap_err();
    assert_eq!(e, Error::EmptyAccessKeyId);
    assert!(e.to_string().contains("access key id"));
    let e = Credentials::new("AKID", "").unwrap_err();
    assert_eq!(e, Error::EmptySecretKey);
    assert!(e.to_string().contains("secret"));
    let e = Credentials::new("AK/ID", "s").unwrap_err();
    assert!(matches!(e, Error::InvalidAccessKeyId { position: 2 }));
    assert!(e.to_string().contains("'/'"));
}

#[test]
fn region_and_service_outside_a_z_0_9_dash() {
    let creds = || Credentials::new("AKID", "s").unwrap();
    for bad in [
        "",
        "us-east-1\n",
        "us/east",
        "us east",
        "US-EAST-1",
        "us_east",
    ] {
        let e = Signer::new(creds(), bad, "s3").unwrap_err();
        assert!(matches!(e, Error::InvalidRegion { .. }), "{bad:?}");
        assert!(e.to_string().contains("region"));
        let e = Signer::new(creds(), "us-east-1", bad).unwrap_err();
        assert!(matches!(e, Error::InvalidService { .. }), "{bad:?}");
        assert!(e.to_string().contains("service"));
    }
}

#[test]
fn methods_that_are_not_tokens() {
    for bad in ["", "GET /", "GE\nT", "G(ET)"] {
        let e = presign(Request::new(bad, "h", "/")).unwrap_err();
        assert!(matches!(e, Error::InvalidMethod { .. }), "{bad:?}");
        assert!(e.to_string().contains("method"));
    }
}

#[test]
fn header_names_and_values() {
    let bad_name = [("x a", "v")];
    let e = presign(get().with_headers(&bad_name)).unwrap_err();
    assert!(matches!(e, Error::InvalidHeaderName { .. }));
    assert!(e.to_string().contains("header name"));
    for value in ["a\rb", "a\nb", "a\0b", "a\x07b", "a\x7fb"] {
        let headers = [("x-amz-meta-secret", value)];
        let e = presign(get().with_headers(&headers)).unwrap_err();
        assert!(matches!(e, Error::InvalidHeaderValue { .. }), "{value:?}");
        let text = e.to_string();
        assert!(text.contains("x-amz-meta-secret"));
        // The value itself may be secret: it is never repeated.
        assert!(!text.contains(value));
    }
}

#[test]
fn missing_host() {
    let e = presign(Request::new("GET", "", "/")).unwrap_err();
    assert_eq!(e, Error::MissingHost);
    assert!(e.to_string().contains("host"));
}

#[test]
fn malformed_percent_escape_in_a_query() {
    let e = presign(get().with_query("a=%2")).unwrap_err();
    assert_eq!(
        e,
        Error::MalformedPercentEscape {
            component: Component::QueryValue,
            position: 0
        }
    );
    assert!(e.to_string().contains("query parameter value"));
    let e = presign(get().with_query("a%G1=1")).unwrap_err();
    assert!(matches!(
        e,
        Error::MalformedPercentEscape {
            component: Component::QueryName,
            position: 1
        }
    ));
}

#[test]
fn parameters_the_signer_writes_are_refused() {
    for q in [
        "X-Amz-Signature=abc",
        "x-amz-credential=a",
        "X-Amz-Security-Token=t",
    ] {
        let e = presign(get().with_query(q)).unwrap_err();
        assert!(matches!(e, Error::ReservedQueryParameter { .. }), "{q}");
    }
    let params = [("X-Amz-Date", "x")];
    assert!(matches!(
        presign(get().with_params(&params)),
        Err(Error::ReservedQueryParameter { .. })
    ));
}

#[test]
fn urls_outliving_temporary_credentials() {
    let expiry = SigningTime::parse("2013-05-24T00:10:00Z").unwrap();
    let creds = Credentials::new("ASIA", "s")
        .unwrap()
        .with_session_token("tok")
        .unwrap()
        .with_expiry(expiry);
    let s = Signer::new(creds, "us-east-1", "s3").unwrap();
    assert!(s.presign(&get(), time(), 600).is_ok());
    let e = s.presign(&get(), time(), 601).unwrap_err();
    assert!(matches!(e, Error::ExpiresAfterCredentials { .. }));
    let mut settings = Settings::for_service("s3");
    settings.expiry_past_credentials = awsig::ExpiryPastCredentials::Allow;
    assert!(s
        .clone()
        .with_settings(settings)
        .presign(&get(), time(), 601)
        .is_ok());
    let late = SigningTime::parse("2013-05-24T00:10:00Z").unwrap();
    assert!(matches!(
        s.presign(&get(), late, 60),
        Err(Error::CredentialsExpired { .. })
    ));
}
