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
