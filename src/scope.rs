//! Signing time formats (`20130524T000000Z`, `20130524`) and the credential
//! scope `date/region/service/aws4_request`.
//!
//! The time is always an input: nothing here reads the clock.

use crate::error::Error;
use alloc::string::{String, ToString};
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// Seconds from 0000-01-01T00:00:00Z to the Unix epoch.
const MIN_UNIX: i64 = -62_167_219_200;
/// 9999-12-31T23:59:59Z.
const MAX_UNIX: i64 = 253_402_300_799;

/// The instant a request is signed at, whole seconds, UTC, years 0000 to 9999.
///
/// Kept as seconds since the Unix epoch, so that expiry arithmetic is
/// integer arithmetic; `time` turns it into calendar fields where a date is
/// written.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SigningTime {
    /// Always from `MIN_UNIX` to `MAX_UNIX`.
    unix: i64,
}

impl core::fmt::Debug for SigningTime {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SigningTime({self})")
    }
}

impl SigningTime {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: SigningTime = SigningTime { unix: 0 };

    /// A signing time from seconds since the Unix epoch.
    ///
    /// ```
    /// let t = awsig::SigningTime::from_unix_seconds(1_369_353_600).unwrap();
    /// assert_eq!(t.to_string(), "2013-05-24T00:00:00Z");
    /// ```
    pub fn from_unix_seconds(unix_seconds: i64) -> Result<Self, Error> {
        if (MIN_UNIX..=MAX_UNIX).contains(&unix_seconds) {
            Ok(SigningTime { unix: unix_seconds })
        } else {
            Err(Error::TimeOutOfRange { unix_seconds })
        }
    }

    /// The calendar fields, from `time`. Every `SigningTime` is in the range
    /// `time` represents (years 0000 to 9999), so the conversion holds; were
    /// it ever not to, debug builds stop and a release build writes the
    /// epoch, which no signature made at another time matches.
    fn utc(self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(self.unix).unwrap_or_else(|_| {
            debug_assert!(false, "{} is outside time's range", self.unix);
            OffsetDateTime::UNIX_EPOCH
        })
    }

    /// Parses `2013-05-24T00:00:00Z` (RFC 3339, UTC) or `20130524T000000Z` (the
    /// AWS basic form).
    ///
    /// ```
    /// let a = awsig::SigningTime::parse("2013-05-24T00:00:00Z").unwrap();
    /// let b = awsig::SigningTime::parse("20130524T000000Z").unwrap();
    /// assert_eq!(a, b);
    /// ```
    pub fn parse(text: &str) -> Result<Self, Error> {
        let invalid = || Error::InvalidTime {
            input: text.to_string(),
        };
        let utc = if text.len() == 16 {
            parse_basic(text.as_bytes())
        } else {
            OffsetDateTime::parse(text, &Rfc3339).ok()
        }
        .ok_or_else(invalid)?;
        // SigV4 times are whole seconds in UTC written with `T` and `Z`: a
        // fraction, an offset or RFC 3339's space for `T` is another form,
        // not one to round or reinterpret.
        // `YYYY-MM-DDTHH:MM:SSZ` is 20 bytes: a longer text holds a fraction,
        // which time's parser would truncate past the ninth digit.
        let written_as_utc =
            text.len() == 20 && text.ends_with('Z') && text.as_bytes().get(10) == Some(&b'T');
        if utc.nanosecond() != 0 || (!written_as_utc && text.len() != 16) {
            return Err(invalid());
        }
        SigningTime::from_unix_seconds(utc.unix_timestamp())
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(self) -> i64 {
        self.unix
    }

    /// This time plus `seconds`, or `None` past the year 9999.
    pub fn checked_add(self, seconds: u64) -> Option<SigningTime> {
        let s = i64::try_from(seconds).ok()?;
        SigningTime::from_unix_seconds(self.unix.checked_add(s)?).ok()
    }

    /// The `X-Amz-Date` form of this time on `date` (`YYYYMMDD`), which must
    /// be this time's own date (a cached key's): the time of day is plain
    /// arithmetic on the seconds, the date is already written.
    pub(crate) fn amz_date_on(self, date: &[u8; 8]) -> AmzDate {
        let seconds = self.unix.rem_euclid(86_400) as u32;
        let [h1, h2] = two_digits(seconds / 3600);
        let [mi1, mi2] = two_digits(seconds / 60 % 60);
        let [s1, s2] = two_digits(seconds % 60);
        let [y1, y2, y3, y4, mo1, mo2, d1, d2] = *date;
        AmzDate([
            y1, y2, y3, y4, mo1, mo2, d1, d2, b'T', h1, h2, mi1, mi2, s1, s2, b'Z',
        ])
    }

    /// The `X-Amz-Date` form, `20130524T000000Z`: the date from `time`'s
    /// calendar, the time of day from the seconds.
    pub fn amz_date(self) -> AmzDate {
        let t = self.utc();
        let [y1, y2] = two_digits(t.year() as u32 / 100);
        let [y3, y4] = two_digits(t.year() as u32);
        let [mo1, mo2] = two_digits(u32::from(u8::from(t.month())));
        let [d1, d2] = two_digits(u32::from(t.day()));
        self.amz_date_on(&[y1, y2, y3, y4, mo1, mo2, d1, d2])
    }
}

impl core::fmt::Display for SigningTime {
    /// RFC 3339 in UTC: `2013-05-24T00:00:00Z`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let t = self.utc();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

impl From<SigningTime> for OffsetDateTime {
    /// The same instant, in UTC.
    fn from(t: SigningTime) -> OffsetDateTime {
        t.utc()
    }
}

impl TryFrom<OffsetDateTime> for SigningTime {
    type Error = Error;

    /// The same instant, whatever the offset, truncated to the whole second
    /// (toward the past); years 0000 to 9999.
    fn try_from(t: OffsetDateTime) -> Result<Self, Error> {
        SigningTime::from_unix_seconds(t.unix_timestamp())
    }
}

#[cfg(feature = "std")]
impl TryFrom<SigningTime> for std::time::SystemTime {
    type Error = Error;

    /// The same instant, where the platform's `SystemTime` reaches it (some
    /// targets, such as wasm32, hold no time before the Unix epoch).
    fn try_from(t: SigningTime) -> Result<std::time::SystemTime, Error> {
        let offset = std::time::Duration::from_secs(t.unix.unsigned_abs());
        let time = if t.unix >= 0 {
            std::time::UNIX_EPOCH.checked_add(offset)
        } else {
            std::time::UNIX_EPOCH.checked_sub(offset)
        };
        time.ok_or(Error::TimeOutOfRange {
            unix_seconds: t.unix,
        })
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
        crate::encoding::written_text(&self.0)
    }

    /// The scope date, `20130524`.
    pub fn date(&self) -> &str {
        crate::encoding::written_text(self.date_bytes())
    }

    /// The full form as bytes, for sinks that take them unchecked.
    pub(crate) fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The scope date as bytes.
    pub(crate) fn date_bytes(&self) -> &[u8] {
        &self.0[..8]
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

/// `YYYYMMDDTHHMMSSZ`, the basic ISO 8601 form of `X-Amz-Date`, read field
/// by field into `time`'s calendar, which checks each (leap days included).
fn parse_basic(b: &[u8]) -> Option<OffsetDateTime> {
    if b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    let field = |from: usize, to: usize| -> Option<u16> {
        b.get(from..to)?.iter().try_fold(0u16, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u16::from(c - b'0'))
        })
    };
    let two = |from: usize| field(from, from + 2).and_then(|v| u8::try_from(v).ok());
    let month = Month::try_from(two(4)?).ok()?;
    let date = Date::from_calendar_date(i32::from(field(0, 4)?), month, two(6)?).ok()?;
    let time = Time::from_hms(two(9)?, two(11)?, two(13)?).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

pub(crate) fn is_scope_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Refuses a service name that is not a scope name.
fn check_service(service: &str) -> Result<(), Error> {
    if is_scope_name(service) {
        return Ok(());
    }
    Err(Error::InvalidService {
        service: service.to_string(),
    })
}

/// The region and service a signature is scoped to, both validated.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    /// `/region/service/aws4_request\n`, the credential scope after its
    /// date as the string to sign writes it: one allocation, one piece to
    /// hash, and the region and service read from it.
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
        check_service(service)?;
        Ok(Scope::written(region, service))
    }

    /// `/region/service/aws4_request\n` (`/service/aws4_request\n` without
    /// a region), allocated once at its length: a signer made per request
    /// builds one.
    fn written(region: &str, service: &str) -> Scope {
        let between = if region.is_empty() { "" } else { "/" };
        Scope {
            text: ["/", region, between, service, "/aws4_request\n"].concat(),
            region_len: region.len(),
        }
    }

    /// A scope written as given, unchecked: only for showing a string to
    /// sign whose region or service this crate would refuse to sign for
    /// (a published vector's `REGION`), never for signing.
    #[cfg(feature = "eventstream")]
    pub(crate) fn shown_as_given(region: &str, service: &str) -> Self {
        Scope::written(region, service)
    }

    /// A SigV4a scope: `service` alone (`date/service/aws4_request`), the
    /// regions going in `X-Amz-Region-Set` instead.
    ///
    /// ```
    /// let scope = awsig::Scope::region_less("s3")?;
    /// assert_eq!(scope.region(), "");
    /// assert_eq!(scope.service(), "s3");
    /// # Ok::<(), awsig::Error>(())
    /// ```
    pub fn region_less(service: &str) -> Result<Self, Error> {
        check_service(service)?;
        Ok(Scope::written("", service))
    }

    /// The region, e.g. `us-east-1`; empty in a SigV4a scope.
    pub fn region(&self) -> &str {
        self.text.get(1..1 + self.region_len).unwrap_or_default()
    }

    /// The service, e.g. `s3`.
    pub fn service(&self) -> &str {
        let end = self.text.len() - "/aws4_request\n".len();
        // A region-less scope has one slash before its service, not two.
        let start = match self.region_len {
            0 => 1,
            len => len + 2,
        };
        self.text.get(start..end).unwrap_or_default()
    }

    /// `/region/service/aws4_request\n`: the string to sign's credential
    /// scope after its date, and the line's end.
    pub(crate) fn after_date(&self) -> &str {
        &self.text
    }

    /// `20130524/us-east-1/s3/aws4_request` for the date of `time`.
    pub fn credential_scope(&self, time: SigningTime) -> String {
        let date = time.amz_date();
        let mut out = String::with_capacity(self.scope_len());
        out.push_str(date.date());
        out.push_str(self.text.trim_end_matches('\n'));
        out
    }

    /// Length of the credential scope string.
    pub(crate) fn scope_len(&self) -> usize {
        8 + self.text.len() - 1
    }
}

#[cfg(test)]
mod tests;

/// The signature algorithm, named in `X-Amz-Algorithm`, the
/// `Authorization` header and the first line of the string to sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// SigV4, `AWS4-HMAC-SHA256`: an HMAC with the day's signing key, good
    /// in the one region of its scope.
    HmacSha256,
    /// SigV4a, `AWS4-ECDSA-P256-SHA256`: an ECDSA P-256 signature, good in
    /// every region of its region set (feature `sigv4a`).
    EcdsaP256Sha256,
}

impl Algorithm {
    /// The name AWS gives it: `AWS4-HMAC-SHA256` or `AWS4-ECDSA-P256-SHA256`.
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::HmacSha256 => "AWS4-HMAC-SHA256",
            Algorithm::EcdsaP256Sha256 => "AWS4-ECDSA-P256-SHA256",
        }
    }

    /// The algorithm `name` names, if it is one of the two.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        [Algorithm::HmacSha256, Algorithm::EcdsaP256Sha256]
            .into_iter()
            .find(|a| a.name() == name)
    }

    /// The first line of a chunk's string to sign.
    pub(crate) const fn chunk_name(self) -> &'static str {
        match self {
            Algorithm::HmacSha256 => "AWS4-HMAC-SHA256-PAYLOAD",
            Algorithm::EcdsaP256Sha256 => "AWS4-ECDSA-P256-SHA256-PAYLOAD",
        }
    }

    /// The first line of a trailer's string to sign.
    pub(crate) const fn trailer_name(self) -> &'static str {
        match self {
            Algorithm::HmacSha256 => "AWS4-HMAC-SHA256-TRAILER",
            Algorithm::EcdsaP256Sha256 => "AWS4-ECDSA-P256-SHA256-TRAILER",
        }
    }
}

impl core::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}
