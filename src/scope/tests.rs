//! Unit tests of signing times and credential scopes.

use super::*;

#[test]
fn formats_the_aws_basic_form() {
    let t = SigningTime::parse("2015-08-30T12:36:00Z").unwrap();
    assert_eq!(t.amz_date().as_str(), "20150830T123600Z");
    assert_eq!(t.amz_date().date(), "20150830");
    assert_eq!(t.unix_seconds(), 1_440_938_160);
}

#[test]
fn round_trips_across_the_whole_range() {
    for unix in [MIN_UNIX, -1, 0, 951_782_400, 1_709_251_199, MAX_UNIX] {
        let t = SigningTime::from_unix_seconds(unix).unwrap();
        assert_eq!(SigningTime::parse(&t.to_string()).unwrap(), t, "{unix}");
        assert_eq!(SigningTime::parse(t.amz_date().as_str()).unwrap(), t);
    }
}

proptest::proptest! {
    #[test]
    fn amz_date_is_the_rfc3339_form_without_separators(unix in MIN_UNIX..=MAX_UNIX) {
        let t = SigningTime::from_unix_seconds(unix).unwrap();
        let rfc3339: String =
            t.to_string().chars().filter(|c| *c != '-' && *c != ':').collect();
        let amz_date = t.amz_date();
        proptest::prop_assert_eq!(amz_date.as_str(), rfc3339.as_str());
        proptest::prop_assert_eq!(AmzDate::parse(amz_date.as_str()), Ok((amz_date, t)));
    }
}

#[test]
fn amz_date_parses_only_the_basic_form() {
    for bad in [
        "2013-05-24T00:00:00Z",
        "20130524T000060Z",
        "20130524T000000",
        "2013052xT000000Z",
    ] {
        assert!(AmzDate::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn before_1970_is_signed_correctly() {
    let t = SigningTime::from_unix_seconds(-1).unwrap();
    assert_eq!(t.amz_date().as_str(), "19691231T235959Z");
}

#[test]
fn years_past_9999_and_before_0000_are_errors() {
    assert_eq!(
        SigningTime::from_unix_seconds(MAX_UNIX + 1),
        Err(Error::TimeOutOfRange {
            unix_seconds: MAX_UNIX + 1
        })
    );
    assert!(SigningTime::from_unix_seconds(MIN_UNIX - 1).is_err());
    assert!(SigningTime::from_unix_seconds(i64::MIN).is_err());
    assert!(SigningTime::from_unix_seconds(MAX_UNIX)
        .unwrap()
        .checked_add(1)
        .is_none());
}

#[test]
fn rejects_malformed_times() {
    for bad in [
        "",
        "2013-05-24",
        "2013-02-30T00:00:00Z",
        "2013-13-01T00:00:00Z",
        "2013-05-24T24:00:00Z",
        "2013-05-24T00:00:00+01",
        "20130524T000000",
        "2013052AT000000Z",
        "2013-05-24 00:00:00Z",
        // Fractions, even of zero, and past the nanosecond that time's
        // parser keeps: another form, not one to round.
        "2013-05-24T00:00:00.000Z",
        "2013-05-24T00:00:00.0000000001Z",
        "2013-05-24t00:00:00z",
        "2013-05-24T00:00:00+00:00",
    ] {
        assert!(
            matches!(SigningTime::parse(bad), Err(Error::InvalidTime { .. })),
            "{bad:?}"
        );
    }
    assert!(SigningTime::parse("2024-02-29T00:00:00Z").is_ok());
    assert!(SigningTime::parse("2023-02-29T00:00:00Z").is_err());
}

#[test]
fn scope_names_reject_anything_that_could_break_the_scope() {
    for bad in ["", "us-east-1/", "us east", "us-east-1\n", "US-EAST-1", "ü"] {
        assert!(matches!(
            Scope::new(bad, "s3"),
            Err(Error::InvalidRegion { .. })
        ));
        assert!(matches!(
            Scope::new("us-east-1", bad),
            Err(Error::InvalidService { .. })
        ));
    }
    let scope = Scope::new("us-east-1", "s3").unwrap();
    let t = SigningTime::parse("20130524T000000Z").unwrap();
    assert_eq!(
        scope.credential_scope(t),
        "20130524/us-east-1/s3/aws4_request"
    );
    assert_eq!(scope.credential_scope(t).len(), scope.scope_len());
}

#[test]
fn offset_date_time_converts_both_ways() {
    use time::{OffsetDateTime, UtcOffset};
    let t = SigningTime::parse("2013-05-24T00:00:00Z").unwrap();
    let odt = OffsetDateTime::from(t);
    assert_eq!(odt.unix_timestamp(), 1_369_353_600);
    assert_eq!(odt.offset(), UtcOffset::UTC);
    assert_eq!(SigningTime::try_from(odt), Ok(t));
    // Another offset is the same instant; a fraction is dropped toward the past.
    let plus_two = odt.to_offset(UtcOffset::from_hms(2, 0, 0).unwrap());
    assert_eq!(SigningTime::try_from(plus_two), Ok(t));
    let later = odt + time::Duration::milliseconds(999);
    assert_eq!(SigningTime::try_from(later), Ok(t));
    let before = odt - time::Duration::milliseconds(1);
    assert_eq!(
        SigningTime::try_from(before).unwrap().unix_seconds(),
        1_369_353_599
    );
    // Outside the years 0000 to 9999 (time's large-dates feature is off, so
    // its own range ends at 9999 too): the year 0000 and the limit.
    let first = SigningTime::from_unix_seconds(-62_167_219_200).unwrap();
    assert_eq!(
        SigningTime::try_from(OffsetDateTime::from(first)),
        Ok(first)
    );
}

#[cfg(feature = "std")]
#[test]
fn system_time_converts_both_ways() {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};
    for unix in [0i64, 1_369_353_600, -1, -62_167_219_200, 253_402_300_799] {
        let t = SigningTime::from_unix_seconds(unix).unwrap();
        let st = SystemTime::try_from(t).unwrap();
        assert_eq!(SigningTime::try_from(st), Ok(t), "{unix}");
    }
    assert_eq!(
        SystemTime::try_from(SigningTime::from_unix_seconds(5).unwrap()),
        Ok(UNIX_EPOCH + Duration::from_secs(5))
    );
    assert_eq!(
        SystemTime::try_from(SigningTime::from_unix_seconds(-5).unwrap()),
        Ok(UNIX_EPOCH - Duration::from_secs(5))
    );
}

#[test]
fn a_scope_is_written_in_one_allocation_of_its_length() {
    for (scope, text) in [
        (
            Scope::new("us-east-1", "s3").unwrap(),
            "/us-east-1/s3/aws4_request\n",
        ),
        (
            Scope::new("eu-west-1", "execute-api").unwrap(),
            "/eu-west-1/execute-api/aws4_request\n",
        ),
        (Scope::region_less("s3").unwrap(), "/s3/aws4_request\n"),
    ] {
        assert_eq!(scope.text, text);
        // A capacity past the length means the text grew while written: a
        // second allocation for every signer made.
        assert_eq!(scope.text.capacity(), text.len(), "{text:?}");
    }
}
