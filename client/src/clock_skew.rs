//! Clock skew correction: how far the service's clock is from ours, learnt from
//! the `Date` header of its responses, so that a machine whose clock is off can
//! still sign requests the service accepts.
//!
//! This follows the behaviour the AWS SDKs standardised in 2026 (smithy-rs PR
//! #4800, aws-sdk-go-v2 PR #3472, and the shared `clock-skew-test-cases.json`):
//!
//! - each response measures `skew = Date − (send time + receive time) / 2`,
//!   unless it has no readable `Date`, carries an `Age` header (a cached answer
//!   whose `Date` is old) or took longer than 15 minutes to come back;
//! - each measurement replaces the client's estimate, which every later attempt
//!   of every call signs with (`local time + skew`);
//! - a response with one of the clock-skew error codes is retried (as an ordinary
//!   non-throttling retry) when the skew it revealed is more than 4 minutes away
//!   from the skew its request was signed with.
//!
//! The last rule differs on purpose from the standard's wording (|skew| > 4 min):
//! a request already signed with the corrected time that is still refused has a
//! different problem (a wrong secret key gives `SignatureDoesNotMatch` too), and
//! retrying it would only spend attempts. For every case of the shared test data
//! both rules agree.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

use querygen_runtime::DateTime;

/// Error codes a request signed at the wrong time can get. The standardised
/// list, plus `RequestExpired` and `RequestInTheFuture`, which the AWS SDKs for
/// Java and JavaScript also treat as clock errors: each is retried only when the
/// measured skew says the clock is to blame, so a wider list costs nothing.
const CLOCK_SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
    "AccessDeniedException",
];

/// A correction this large (4 minutes, in ms) makes a clock-skew error worth a retry.
/// Services refuse signatures more than 5 minutes off; the margin covers the
/// `Date` header's whole-second precision and the time the request spends in flight.
const RETRY_THRESHOLD_MS: i64 = 240_000;

/// A response that took longer than this to come back says too little about when
/// its `Date` was written.
const MAX_ROUND_TRIP: Duration = Duration::from_secs(15 * 60);

/// How far the service's clock is ahead of ours (negative: behind), in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Skew(i64);

impl Skew {
    /// The skew in milliseconds.
    pub(crate) fn millis(self) -> i64 {
        self.0
    }

    /// `local` moved by the skew: the service's idea of the time.
    pub(crate) fn apply(self, local: SystemTime) -> SystemTime {
        let by = Duration::from_millis(self.0.unsigned_abs());
        let moved = if self.0 >= 0 {
            local.checked_add(by)
        } else {
            local.checked_sub(by)
        };
        moved.unwrap_or(local)
    }
}

/// The client-wide skew estimate, shared by all calls (and clones) of a client.
#[derive(Debug)]
pub(crate) struct ClockSkew {
    /// Off: requests are signed with the local clock and nothing is measured.
    enabled: bool,
    millis: AtomicI64,
}

impl ClockSkew {
    /// An estimate of zero; `enabled: false` keeps it there.
    pub(crate) fn new(enabled: bool) -> Self {
        Self {
            enabled,
            millis: AtomicI64::new(0),
        }
    }

    /// The estimate to sign the next attempt with.
    pub(crate) fn current(&self) -> Skew {
        Skew(self.millis.load(Ordering::Relaxed))
    }

    /// Measures the skew a response shows, and makes it the estimate. `None` when
    /// correction is off or the response cannot be trusted for it (see the module
    /// docs). A `Date` that does not parse is ignored, never an error.
    pub(crate) fn observe(
        &self,
        sent: SystemTime,
        received: SystemTime,
        headers: &http::HeaderMap,
    ) -> Option<Skew> {
        if !self.enabled {
            return None;
        }
        let skew = measure(sent, received, headers)?;
        let before = self.millis.swap(skew.0, Ordering::Relaxed);
        if before.abs_diff(skew.0) >= 1_000 {
            tracing::debug!(
                skew_ms = skew.0,
                previous_skew_ms = before,
                "clock skew estimate changed: the service's clock is skew_ms ahead of ours"
            );
        }
        Some(skew)
    }
}

/// `Date − (sent + received) / 2`, if the response is fit to measure by.
fn measure(sent: SystemTime, received: SystemTime, headers: &http::HeaderMap) -> Option<Skew> {
    if headers.contains_key(http::header::AGE) {
        return None;
    }
    let round_trip = received.duration_since(sent).ok()?;
    if round_trip > MAX_ROUND_TRIP {
        return None;
    }
    let date = headers.get(http::header::DATE)?.to_str().ok()?;
    let server = DateTime::parse_http_date(date.trim())?;
    let midpoint = sent.checked_add(round_trip / 2)?;
    Some(Skew(
        epoch_millis(server).saturating_sub(epoch_millis(DateTime::from(midpoint))),
    ))
}

fn epoch_millis(time: DateTime) -> i64 {
    time.secs()
        .saturating_mul(1000)
        .saturating_add(i64::from(time.subsec_nanos() / 1_000_000))
}

/// Whether `code` is one a request signed at the wrong time can get.
pub(crate) fn is_clock_skew_code(code: Option<&str>) -> bool {
    code.is_some_and(|code| CLOCK_SKEW_CODES.contains(&code))
}

/// Whether an error response with a clock-skew code is worth another attempt
/// signed with the corrected time: it measured a skew (`observed`) more than 4
/// minutes from the one the request was signed with.
pub(crate) fn retry_with_corrected_time(signed_with: Skew, observed: Option<Skew>) -> bool {
    observed.is_some_and(|observed| {
        observed.0.abs_diff(signed_with.0) > RETRY_THRESHOLD_MS.unsigned_abs()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    /// 2026-01-01T00:00:00Z.
    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_767_225_600 + seconds)
    }

    fn headers(pairs: &[(&str, &str)]) -> http::HeaderMap {
        pairs
            .iter()
            .map(|(n, v)| {
                (
                    http::HeaderName::from_bytes(n.as_bytes()).unwrap(),
                    http::HeaderValue::from_str(v).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn the_skew_is_the_date_against_the_round_trips_midpoint() {
        let skew = ClockSkew::new(true);
        let date = [("date", "Thu, 01 Jan 2026 01:00:01 GMT")];
        assert_eq!(
            skew.observe(at(0), at(2), &headers(&date)),
            Some(Skew(3_600_000))
        );
        assert_eq!(skew.current(), Skew(3_600_000));
        assert_eq!(skew.current().apply(at(10)), at(3_610));
        // A client ahead of the service signs earlier.
        let behind = [("date", "Wed, 31 Dec 2025 23:50:00 GMT")];
        assert_eq!(
            skew.observe(at(0), at(0), &headers(&behind)),
            Some(Skew(-600_000))
        );
        assert_eq!(skew.current().apply(at(600)), at(0));
    }

    #[test]
    fn unreadable_cached_or_slow_responses_leave_the_estimate_alone() {
        let skew = ClockSkew::new(true);
        skew.observe(
            at(0),
            at(0),
            &headers(&[("date", "Thu, 01 Jan 2026 00:05:00 GMT")]),
        );
        for unfit in [
            headers(&[]),
            headers(&[("date", "yesterday")]),
            headers(&[("date", "Thursday, 01-Jan-26 00:00:00 GMT")]),
            headers(&[("date", "Thu, 32 Jan 2026 00:00:00 GMT")]),
            headers(&[("date", "Thu, 01 Jan 2026 00:00:00 GMT"), ("age", "3")]),
        ] {
            assert_eq!(skew.observe(at(0), at(1), &unfit), None, "{unfit:?}");
        }
        let date = headers(&[("date", "Thu, 01 Jan 2026 00:00:00 GMT")]);
        assert_eq!(skew.observe(at(0), at(16 * 60), &date), None, "too slow");
        assert_eq!(skew.observe(at(5), at(0), &date), None, "clock went back");
        let bytes = http::HeaderValue::from_bytes(b"\xff\xfe").unwrap();
        let mut binary = http::HeaderMap::new();
        binary.insert(http::header::DATE, bytes);
        assert_eq!(skew.observe(at(0), at(0), &binary), None);
        assert_eq!(skew.current(), Skew(300_000));
    }

    #[test]
    fn switched_off_it_measures_nothing() {
        let skew = ClockSkew::new(false);
        let date = headers(&[("date", "Thu, 01 Jan 2026 01:00:00 GMT")]);
        assert_eq!(skew.observe(at(0), at(0), &date), None);
        assert_eq!(skew.current(), Skew(0));
    }

    #[test]
    fn the_clock_skew_codes() {
        for code in [
            "RequestTimeTooSkewed",
            "RequestExpired",
            "RequestInTheFuture",
            "InvalidSignatureException",
            "SignatureDoesNotMatch",
            "AuthFailure",
            "AccessDeniedException",
        ] {
            assert!(is_clock_skew_code(Some(code)), "{code}");
        }
        assert!(!is_clock_skew_code(Some("InvalidParameterValue")));
        assert!(!is_clock_skew_code(Some("requesttimetooskewed")));
        assert!(!is_clock_skew_code(None));
    }

    #[test]
    fn only_a_large_correction_is_worth_a_retry() {
        assert!(retry_with_corrected_time(Skew(0), Some(Skew(300_000))));
        assert!(!retry_with_corrected_time(Skew(0), None));
        // 4 minutes exactly is not enough; either direction counts.
        assert!(!retry_with_corrected_time(Skew(0), Some(Skew(240_000))));
        assert!(retry_with_corrected_time(Skew(0), Some(Skew(-240_001))));
        // Already signed with the corrected time: the clock is not the problem.
        assert!(!retry_with_corrected_time(
            Skew(300_000),
            Some(Skew(301_000))
        ));
        // A stale correction the service's clock no longer agrees with.
        assert!(retry_with_corrected_time(Skew(300_000), Some(Skew(0))));
    }
}
