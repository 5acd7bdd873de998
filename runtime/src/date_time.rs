use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// An instant in time, UTC, with nanosecond precision: a Smithy `timestamp`.
///
/// Stored as whole seconds since the Unix epoch plus a sub-second part, so
/// every instant a protocol can carry (including before 1970) is exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    seconds: i64,
    subsec_nanos: u32,
}

const NANOS_PER_SECOND: u32 = 1_000_000_000;

impl DateTime {
    /// The instant `seconds` after the epoch.
    pub const fn from_secs(seconds: i64) -> Self {
        Self {
            seconds,
            subsec_nanos: 0,
        }
    }

    /// The instant `seconds` plus `subsec_nanos` after the epoch; nanoseconds
    /// of a second or more carry into the seconds.
    pub const fn from_secs_and_nanos(seconds: i64, subsec_nanos: u32) -> Self {
        let carry = (subsec_nanos / NANOS_PER_SECOND) as i64;
        Self {
            seconds: seconds.saturating_add(carry),
            subsec_nanos: subsec_nanos % NANOS_PER_SECOND,
        }
    }

    /// Whole seconds since the epoch (rounded towards negative infinity).
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`DateTime::secs`], always below one second.
    pub const fn subsec_nanos(&self) -> u32 {
        self.subsec_nanos
    }

    /// Seconds since the epoch as a float (may lose sub-microsecond precision).
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsec_nanos) / f64::from(NANOS_PER_SECOND)
    }
}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => Self::from_secs_and_nanos(
                i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                after.subsec_nanos(),
            ),
            Err(before) => {
                let before = before.duration();
                let secs = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                match before.subsec_nanos() {
                    0 => Self::from_secs(secs.saturating_neg()),
                    nanos => Self::from_secs_and_nanos(
                        secs.saturating_neg().saturating_sub(1),
                        NANOS_PER_SECOND - nanos,
                    ),
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTime;

    /// Fails (giving the value back) when the platform cannot represent the instant.
    fn try_from(value: DateTime) -> Result<Self, DateTime> {
        let nanos = Duration::from_nanos(u64::from(value.subsec_nanos));
        let result = if value.seconds >= 0 {
            UNIX_EPOCH.checked_add(Duration::from_secs(value.seconds.unsigned_abs()))
        } else {
            UNIX_EPOCH.checked_sub(Duration::from_secs(value.seconds.unsigned_abs()))
        };
        result.and_then(|t| t.checked_add(nanos)).ok_or(value)
    }
}

impl DateTime {
    /// Fraction digits at microsecond precision, trailing zeros removed (`""` for none).
    fn micros_fraction(&self) -> String {
        let micros = self.subsec_nanos / 1_000;
        if micros == 0 {
            return String::new();
        }
        let digits = format!("{micros:06}");
        format!(".{}", digits.trim_end_matches('0'))
    }

    fn civil(&self) -> ((i64, u32, u32), i64, i64) {
        let days = self.seconds.div_euclid(86_400);
        (civil_from_days(days), days, self.seconds.rem_euclid(86_400))
    }

    /// RFC 3339 in UTC with at most six fraction digits, as the AWS SDKs send it:
    /// `2015-01-25T08:00:00Z`, `2000-01-02T20:34:56.123Z`.
    pub fn to_rfc3339_micros(&self) -> String {
        let ((year, month, day), _, rem) = self.civil();
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60,
            self.micros_fraction()
        )
    }

    /// Seconds since the epoch as decimal text, with a fraction only when needed
    /// (`1422172800`, `1422172800.5`).
    pub fn to_epoch_seconds_text(&self) -> String {
        format!("{}{}", self.seconds, self.micros_fraction())
    }

    /// RFC 7231 IMF-fixdate: `Sun, 25 Jan 2015 08:00:00 GMT` (whole seconds).
    pub fn to_http_date(&self) -> String {
        const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let ((year, month, day), days, rem) = self.civil();
        // 1970-01-01 was a Thursday.
        let weekday = DAYS
            .get(usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0))
            .copied()
            .unwrap_or("Sun");
        let month_name = MONTHS
            .get(usize::try_from(month.saturating_sub(1)).unwrap_or(0))
            .copied()
            .unwrap_or("Jan");
        format!(
            "{weekday}, {day:02} {month_name} {year:04} {:02}:{:02}:{:02} GMT",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        _ => 28,
    }
}

fn from_civil(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
) -> Option<DateTime> {
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second <= 60;
    if !valid {
        return None;
    }
    // A leap second (`:60`) is read as the first second of the next minute.
    let seconds =
        days_from_civil(year, month, day) * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Some(DateTime::from_secs_and_nanos(seconds, nanos))
}

/// Nanoseconds from fraction digits (`"123"` → 123_000_000); more than nine digits are truncated.
fn fraction_nanos(fraction: &str) -> Option<u32> {
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut nanos = 0u32;
    for i in 0..9 {
        let digit = fraction
            .as_bytes()
            .get(i)
            .map_or(0, |b| u32::from(b - b'0'));
        nanos = nanos * 10 + digit;
    }
    Some(nanos)
}

impl DateTime {
    /// Parses RFC 3339 (`2015-01-25T08:00:00Z`, `2019-12-16T22:48:18-01:00`,
    /// `2000-01-02T20:34:56.123Z`), normalising any offset to UTC.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        let (date, time) = text.split_once(['T', 't'])?;
        let mut date_parts = date.splitn(3, '-');
        let (year, month, day) = (date_parts.next()?, date_parts.next()?, date_parts.next()?);
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        let (clock, offset_secs) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
            (clock, 0i64)
        } else {
            let at = time.rfind(['+', '-'])?;
            let (clock, offset) = time.split_at(at);
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let (oh, om) = offset.get(1..)?.split_once(':')?;
            if oh.len() != 2 || om.len() != 2 {
                return None;
            }
            let (oh, om) = (digits(oh)?, digits(om)?);
            if oh > 23 || om > 59 {
                return None;
            }
            (clock, sign * i64::from(oh * 3600 + om * 60))
        };
        let (hms, fraction) = match clock.split_once('.') {
            Some((hms, fraction)) => (hms, Some(fraction)),
            None => (clock, None),
        };
        let mut hms_parts = hms.splitn(3, ':');
        let (h, m, sec) = (hms_parts.next()?, hms_parts.next()?, hms_parts.next()?);
        if h.len() != 2 || m.len() != 2 || sec.len() != 2 {
            return None;
        }
        let nanos = match fraction {
            Some(f) => fraction_nanos(f)?,
            None => 0,
        };
        let local = from_civil(
            i64::from(digits(year)?),
            digits(month)?,
            digits(day)?,
            digits(h)?,
            digits(m)?,
            digits(sec)?,
            nanos,
        )?;
        Some(Self::from_secs_and_nanos(
            local.seconds.checked_sub(offset_secs)?,
            local.subsec_nanos,
        ))
    }

    /// Parses epoch seconds, with an optional fraction and sign (`1398796238`, `1398796238.123`).
    pub fn parse_epoch_seconds(text: &str) -> Option<Self> {
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = match body.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (body, None),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let nanos = match fraction {
            Some(f) => fraction_nanos(f)?,
            None => 0,
        };
        if !negative {
            return Some(Self::from_secs_and_nanos(whole, nanos));
        }
        match nanos {
            0 => Some(Self::from_secs(whole.checked_neg()?)),
            n => Some(Self::from_secs_and_nanos(
                whole.checked_neg()?.checked_sub(1)?,
                NANOS_PER_SECOND - n,
            )),
        }
    }

    /// Parses an IMF-fixdate (`Tue, 29 Apr 2014 18:30:38 GMT`), with an optional fraction.
    pub fn parse_http_date(text: &str) -> Option<Self> {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (_, rest) = text.split_once(", ")?;
        let mut parts = rest.split(' ');
        let (day, month, year, clock, zone) = (
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
        );
        if zone != "GMT" || parts.next().is_some() || year.len() != 4 {
            return None;
        }
        let month = MONTHS.iter().position(|m| *m == month)? as u32 + 1;
        let (hms, fraction) = match clock.split_once('.') {
            Some((hms, fraction)) => (hms, Some(fraction)),
            None => (clock, None),
        };
        let mut hms_parts = hms.splitn(3, ':');
        let (h, m, sec) = (hms_parts.next()?, hms_parts.next()?, hms_parts.next()?);
        let nanos = match fraction {
            Some(f) => fraction_nanos(f)?,
            None => 0,
        };
        from_civil(
            i64::from(digits(year)?),
            month,
            digits(day)?,
            digits(h)?,
            digits(m)?,
            digits(sec)?,
            nanos,
        )
    }
}

/// Year, month, day of the proleptic Gregorian calendar for a day count since
/// 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// RFC 3339 in UTC, `2015-01-25T08:00:00Z`, with only as many fraction
/// digits as needed (none for whole seconds).
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.seconds.div_euclid(86_400);
        let rem = self.seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )?;
        if self.subsec_nanos != 0 {
            let digits = format!("{:09}", self.subsec_nanos);
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_rfc3339_utc() {
        assert_eq!(
            DateTime::from_secs(1_422_172_800).to_string(),
            "2015-01-25T08:00:00Z"
        );
        assert_eq!(DateTime::from_secs(0).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(DateTime::from_secs(-1).to_string(), "1969-12-31T23:59:59Z");
        assert_eq!(
            DateTime::from_secs_and_nanos(946_845_296, 123_000_000).to_string(),
            "2000-01-02T20:34:56.123Z"
        );
        assert_eq!(
            DateTime::from_secs(951_782_400).to_string(),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn wire_formats() {
        let t = DateTime::from_secs_and_nanos(1_398_796_238, 0);
        assert_eq!(t.to_http_date(), "Tue, 29 Apr 2014 18:30:38 GMT");
        assert_eq!(t.to_epoch_seconds_text(), "1398796238");
        let fractional = DateTime::from_secs_and_nanos(946_845_296, 123_456_789);
        assert_eq!(
            fractional.to_rfc3339_micros(),
            "2000-01-02T20:34:56.123456Z"
        );
        assert_eq!(fractional.to_epoch_seconds_text(), "946845296.123456");
        assert_eq!(
            DateTime::from_secs_and_nanos(0, 500_000_000).to_rfc3339_micros(),
            "1970-01-01T00:00:00.5Z"
        );
    }

    #[test]
    fn parses_each_format() {
        let utc = DateTime::parse_rfc3339("2019-12-16T23:48:18Z").unwrap();
        assert_eq!(utc.secs(), 1_576_540_098);
        assert_eq!(
            DateTime::parse_rfc3339("2019-12-16T22:48:18-01:00"),
            Some(utc)
        );
        assert_eq!(
            DateTime::parse_rfc3339("2019-12-17T00:48:18+01:00"),
            Some(utc)
        );
        assert_eq!(
            DateTime::parse_rfc3339("2019-12-16T23:48:18+00:00"),
            Some(utc)
        );
        let frac = DateTime::parse_rfc3339("2000-01-02T20:34:56.123Z").unwrap();
        assert_eq!(
            (frac.secs(), frac.subsec_nanos()),
            (946_845_296, 123_000_000)
        );
        assert_eq!(
            DateTime::parse_epoch_seconds("1398796238"),
            Some(DateTime::from_secs(1_398_796_238))
        );
        assert_eq!(
            DateTime::parse_epoch_seconds("1.5"),
            Some(DateTime::from_secs_and_nanos(1, 500_000_000))
        );
        assert_eq!(
            DateTime::parse_epoch_seconds("-1.25"),
            Some(DateTime::from_secs_and_nanos(-2, 750_000_000))
        );
        assert_eq!(
            DateTime::parse_http_date("Tue, 29 Apr 2014 18:30:38 GMT"),
            Some(DateTime::from_secs(1_398_796_238))
        );
        for bad in [
            "",
            "2019-13-01T00:00:00Z",
            "2019-02-30T00:00:00Z",
            "2019-12-16 23:48:18Z",
            "2019-12-16T23:48Z",
            "x",
            "1e5",
            "Tue, 29 Apr 2014 18:30:38 UTC",
        ] {
            assert!(
                DateTime::parse_rfc3339(bad).is_none() && DateTime::parse_http_date(bad).is_none(),
                "{bad}"
            );
        }
        assert!(DateTime::parse_epoch_seconds("99999999999999999999").is_none());
    }

    #[test]
    fn extremes_do_not_panic() {
        for secs in [i64::MIN, i64::MAX, i64::MIN + 1] {
            let t = DateTime::from_secs_and_nanos(secs, u32::MAX);
            let _ = (
                t.to_string(),
                t.to_rfc3339_micros(),
                t.to_http_date(),
                t.to_epoch_seconds_text(),
            );
            let _ = SystemTime::try_from(DateTime::from_secs(secs));
        }
    }

    #[test]
    fn system_time_round_trip() {
        let before = UNIX_EPOCH - Duration::new(5, 250_000_000);
        let dt = DateTime::from(before);
        assert_eq!((dt.secs(), dt.subsec_nanos()), (-6, 750_000_000));
        assert_eq!(SystemTime::try_from(dt), Ok(before));
    }
}

/// How a timestamp is written (the model's `timestampFormat`, `date-time` by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339, `2015-01-25T08:00:00Z`, with up to six fraction digits.
    DateTime,
    /// Seconds since the epoch, `1422172800`, with a fraction only when needed.
    EpochSeconds,
    /// IMF-fixdate, `Sun, 25 Jan 2015 08:00:00 GMT`.
    HttpDate,
}
