//! Signing time formats (`20130524T000000Z`, `20130524`) and the credential
//! scope `date/region/service/aws4_request`.
//!
//! The time is always an input: nothing here reads the clock.

use crate::error::Error;
use alloc::string::{String, ToString};

/// Seconds from 0000-01-01T00:00:00Z to the Unix epoch.
const MIN_UNIX: i64 = -62_167_219_200;
/// 9999-12-31T23:59:59Z.
const MAX_UNIX: i64 = 253_402_300_799;

/// The instant a request is signed at, whole seconds, UTC, years 0000 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SigningTime {
    unix_seconds: i64,
}

/// A civil UTC date and time broken into fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl SigningTime {
    /// A signing time from seconds since the Unix epoch.
    ///
    /// ```
    /// let t = sigv4::SigningTime::from_unix_seconds(1_369_353_600).unwrap();
    /// assert_eq!(t.to_string(), "2013-05-24T00:00:00Z");
    /// ```
    pub fn from_unix_seconds(unix_seconds: i64) -> Result<Self, Error> {
        if (MIN_UNIX..=MAX_UNIX).contains(&unix_seconds) {
            Ok(SigningTime { unix_seconds })
        } else {
            Err(Error::TimeOutOfRange { unix_seconds })
        }
    }

    /// Parses `2013-05-24T00:00:00Z` (RFC 3339, UTC) or `20130524T000000Z` (the
    /// AWS basic form).
    ///
    /// ```
    /// let a = sigv4::SigningTime::parse("2013-05-24T00:00:00Z").unwrap();
    /// let b = sigv4::SigningTime::parse("20130524T000000Z").unwrap();
    /// assert_eq!(a, b);
    /// ```
    pub fn parse(text: &str) -> Result<Self, Error> {
        let invalid = || Error::InvalidTime {
            input: text.to_string(),
        };
        let b = text.as_bytes();
        let (date, time) = match b.len() {
            20 if b[4] == b'-'
                && b[7] == b'-'
                && b[10] == b'T'
                && b[13] == b':'
                && b[16] == b':' =>
            {
                (
                    [&b[0..4], &b[5..7], &b[8..10]],
                    [&b[11..13], &b[14..16], &b[17..19]],
                )
            }
            16 if b[8] == b'T' => (
                [&b[0..4], &b[4..6], &b[6..8]],
                [&b[9..11], &b[11..13], &b[13..15]],
            ),
            _ => return Err(invalid()),
        };
        if b[b.len() - 1] != b'Z' {
            return Err(invalid());
        }
        let num = |d: &[u8]| -> Option<u32> {
            d.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        let fields = (
            num(date[0]),
            num(date[1]),
            num(date[2]),
            num(time[0]),
            num(time[1]),
            num(time[2]),
        );
        let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = fields
        else {
            return Err(invalid());
        };
        let civil = Civil {
            year: i64::from(year),
            month,
            day,
            hour,
            minute,
            second,
        };
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(civil.year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return Err(invalid());
        }
        SigningTime::from_unix_seconds(civil.to_unix())
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(self) -> i64 {
        self.unix_seconds
    }

    /// This time plus `seconds`, or `None` past the year 9999.
    pub fn checked_add(self, seconds: u64) -> Option<SigningTime> {
        let s = i64::try_from(seconds).ok()?;
        SigningTime::from_unix_seconds(self.unix_seconds.checked_add(s)?).ok()
    }

    /// The `X-Amz-Date` form, `20130524T000000Z`.
    pub fn amz_date(self) -> AmzDate {
        let c = Civil::from_unix(self.unix_seconds);
        // The year is within 0000..=9999 (the range `SigningTime` allows).
        let year = c.year as u32;
        let [y1, y2] = two_digits(year / 100);
        let [y3, y4] = two_digits(year);
        let [mo1, mo2] = two_digits(c.month);
        let [d1, d2] = two_digits(c.day);
        let [h1, h2] = two_digits(c.hour);
        let [mi1, mi2] = two_digits(c.minute);
        let [s1, s2] = two_digits(c.second);
        AmzDate([
            y1, y2, y3, y4, mo1, mo2, d1, d2, b'T', h1, h2, mi1, mi2, s1, s2, b'Z',
        ])
    }
}

impl core::fmt::Display for SigningTime {
    /// RFC 3339, `2013-05-24T00:00:00Z`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let c = Civil::from_unix(self.unix_seconds);
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
}

#[cfg(feature = "std")]
impl TryFrom<std::time::SystemTime> for SigningTime {
    type Error = Error;

    /// Truncates to whole seconds.
    fn try_from(t: std::time::SystemTime) -> Result<Self, Error> {
        let secs = match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => {
                let d = e.duration();
                let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                // Round toward the past so that 0.5 s before the epoch is -1, not 0.
                let extra = i64::from(d.subsec_nanos() > 0);
                whole.saturating_neg().saturating_sub(extra)
            }
        };
        SigningTime::from_unix_seconds(secs)
    }
}

/// `20130524T000000Z`: the time as `X-Amz-Date` writes it. Its first 8 bytes
/// are the scope date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmzDate([u8; 16]);

impl AmzDate {
    /// The full form, `20130524T000000Z`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits, 'T' and 'Z' are ever written.
        core::str::from_utf8(&self.0).unwrap_or("")
    }

    /// The scope date, `20130524`.
    pub fn date(&self) -> &str {
        &self.as_str()[..8]
    }

    /// Parses the basic form, `20130524T000000Z`, exactly as `X-Amz-Date`
    /// carries it.
    pub(crate) fn parse(text: &str) -> Result<(AmzDate, SigningTime), Error> {
        let bytes: [u8; 16] = text.as_bytes().try_into().map_err(|_| Error::InvalidTime {
            input: text.to_string(),
        })?;
        let time = SigningTime::parse(text)?;
        // `SigningTime::parse` takes only zero-padded fields in range, so the
        // text is already the form `amz_date` would write.
        debug_assert_eq!(time.amz_date().0, bytes);
        Ok((AmzDate(bytes), time))
    }
}

/// The last two decimal digits of `value`.
fn two_digits(value: u32) -> [u8; 2] {
    let two = (value % 100) as u8;
    [b'0' + two / 10, b'0' + two % 10]
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Civil {
    // Howard Hinnant's days-from-civil / civil-from-days, valid for the whole
    // proleptic Gregorian calendar.
    fn from_unix(unix: i64) -> Civil {
        let days = unix.div_euclid(86_400);
        let secs = unix.rem_euclid(86_400) as u32;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Civil {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs / 60 % 60,
            second: secs % 60,
        }
    }

    fn to_unix(self) -> i64 {
        let y = self.year - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }
}

/// Checks a region or service name: non-empty, `[a-z0-9-]` only, so that
/// nothing can smuggle a `/` or a newline into the credential scope.
pub(crate) fn is_scope_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The region and service a signature is scoped to, both validated.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    /// `region/service`, as the credential scope writes them: one
    /// allocation, one piece to hash.
    text: String,
    region_len: usize,
}

impl core::fmt::Debug for Scope {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Scope")
            .field("region", &self.region())
            .field("service", &self.service())
            .finish()
    }
}

impl Scope {
    /// A scope for `region` (e.g. `us-east-1`) and `service` (e.g. `s3`).
    ///
    /// Both must be non-empty and hold only `a-z`, `0-9` and `-`.
    pub fn new(region: &str, service: &str) -> Result<Self, Error> {
        if !is_scope_name(region) {
            return Err(Error::InvalidRegion {
                region: region.to_string(),
            });
        }
        if !is_scope_name(service) {
            return Err(Error::InvalidService {
                service: service.to_string(),
            });
        }
        let mut text = String::with_capacity(region.len() + 1 + service.len());
        text.push_str(region);
        text.push('/');
        text.push_str(service);
        Ok(Scope {
            text,
            region_len: region.len(),
        })
    }

    /// The region, e.g. `us-east-1`.
    pub fn region(&self) -> &str {
        &self.text[..self.region_len]
    }

    /// The service, e.g. `s3`.
    pub fn service(&self) -> &str {
        &self.text[self.region_len + 1..]
    }

    /// `region/service`, the middle of the credential scope.
    pub(crate) fn region_and_service(&self) -> &str {
        &self.text
    }

    /// `20130524/us-east-1/s3/aws4_request` for the date of `time`.
    pub fn credential_scope(&self, time: SigningTime) -> String {
        let date = time.amz_date();
        let mut out = String::with_capacity(self.scope_len());
        out.push_str(date.date());
        out.push('/');
        out.push_str(&self.text);
        out.push_str("/aws4_request");
        out
    }

    /// Length of the credential scope string.
    pub(crate) fn scope_len(&self) -> usize {
        8 + 1 + self.text.len() + "/aws4_request".len()
    }
}

#[cfg(test)]
mod tests {
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
            let rfc3339: alloc::string::String =
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
}
