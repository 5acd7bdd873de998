//! The client-side rate limiter of the AWS SDKs' "adaptive" retry mode.
//!
//! A token bucket paces the client's attempts once the service has throttled it.
//! Each response updates a smoothed measure of the client's send rate; a throttling
//! response cuts the bucket's fill rate to 70 % of the rate the client was sending
//! at, and later responses grow it back along a CUBIC curve (as TCP CUBIC grows a
//! congestion window) that regains the rate of the last throttle after
//! `K = ∛(W·(1−β)/C)` seconds and then probes beyond it. The fill rate never
//! exceeds twice the measured send rate, and never falls below 0.5 requests/s.
//!
//! Until the first throttling response the bucket is off and costs nothing. When
//! on, every attempt (the first included) takes one token before it is signed.
//!
//! Where the SDKs differ, this follows botocore (and the original design shared by
//! the AWS SDKs for Java and Swift): one token per attempt, the ordinary retry
//! backoff kept. smithy-rs charges 5 or 10 tokens for a retry instead, which mixes
//! units with a fill rate measured in requests per second.
//!
//! Unlike botocore, which blocks a thread until the bucket holds a token, an
//! attempt that finds the bucket short takes its token at once (the bucket goes
//! below zero) and is told how long to wait; the next attempt then waits behind it.
//! Concurrent calls are spaced one after the other without a lock held across a
//! wait, as in smithy-rs.

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Share of the send rate kept after a throttling response (CUBIC's β).
const BETA: f64 = 0.7;
/// How fast the rate grows back (CUBIC's C).
const SCALE_CONSTANT: f64 = 0.4;
/// Weight of the newest sample in the smoothed send rate.
const SMOOTHING: f64 = 0.8;
/// Width of the buckets the send rate is counted in, in seconds.
const TIME_BUCKET: f64 = 0.5;
/// The fill rate never drops below this (requests per second).
const MIN_FILL_RATE: f64 = 0.5;
/// The bucket always holds at least one token's room.
const MIN_CAPACITY: f64 = 1.0;
/// The fill rate never exceeds this multiple of the measured send rate.
const MAX_RATE_OVER_MEASURED: f64 = 2.0;
/// Tokens one attempt takes.
const ATTEMPT_COST: f64 = 1.0;

/// The rate limiter of one client (shared by its clones). Times are seconds since
/// the Unix epoch, from the client's clock.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    state: Mutex<State>,
}

/// What the limiter knows, as a snapshot for tests and logs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct State {
    /// Off until the first throttling response.
    pub(crate) enabled: bool,
    /// Tokens added per second.
    pub(crate) fill_rate: f64,
    /// Most tokens the bucket holds.
    pub(crate) max_capacity: f64,
    /// Tokens now (below zero when attempts wait for tokens already promised).
    pub(crate) capacity: f64,
    /// When the bucket was last filled; `None` before the first response.
    last_refill: Option<f64>,
    /// Smoothed send rate, requests per second.
    pub(crate) measured_rate: f64,
    /// Start of the time bucket being counted.
    last_time_bucket: f64,
    /// Responses counted in the current time bucket.
    count_in_bucket: f64,
    /// The rate at the last throttle (CUBIC's W_max).
    pub(crate) last_max_rate: f64,
    /// When the last throttle came.
    pub(crate) last_throttle: f64,
}

impl State {
    fn new(now: f64) -> Self {
        Self {
            enabled: false,
            fill_rate: MIN_FILL_RATE,
            max_capacity: MIN_CAPACITY,
            capacity: 0.0,
            last_refill: None,
            measured_rate: 0.0,
            last_time_bucket: time_bucket(now),
            count_in_bucket: 0.0,
            last_max_rate: 0.0,
            last_throttle: now,
        }
    }

    /// Adds the tokens earned since the last refill, at the current fill rate.
    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            // A clock set back earns nothing rather than taking tokens away.
            let earned = (now - last).max(0.0) * self.fill_rate;
            self.capacity = (self.capacity + earned).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    /// Counts one response into the smoothed send rate.
    fn count_response(&mut self, now: f64) {
        let bucket = time_bucket(now);
        self.count_in_bucket += 1.0;
        if bucket > self.last_time_bucket {
            let rate = self.count_in_bucket / (bucket - self.last_time_bucket);
            self.measured_rate = SMOOTHING * rate + (1.0 - SMOOTHING) * self.measured_rate;
            self.count_in_bucket = 0.0;
            self.last_time_bucket = bucket;
        }
    }
}

/// The start of the half-second bucket `now` falls in.
fn time_bucket(now: f64) -> f64 {
    (now / TIME_BUCKET).floor() * TIME_BUCKET
}

/// The rate CUBIC gives `now` seconds after a throttle at `last_throttle`, when the
/// rate at that throttle was `last_max_rate`.
pub(crate) fn cubic_success(last_max_rate: f64, last_throttle: f64, now: f64) -> f64 {
    let k = (last_max_rate * (1.0 - BETA) / SCALE_CONSTANT).cbrt();
    SCALE_CONSTANT * (now - last_throttle - k).powi(3) + last_max_rate
}

/// The rate right after a throttle that came while sending at `rate`.
pub(crate) fn cubic_throttle(rate: f64) -> f64 {
    rate * BETA
}

/// Seconds since the Unix epoch (negative before it).
pub(crate) fn seconds(time: SystemTime) -> f64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_secs_f64(),
        Err(before) => -before.duration().as_secs_f64(),
    }
}

impl RateLimiter {
    /// A limiter that is off until the first throttle.
    pub(crate) fn new(now: SystemTime) -> Self {
        Self {
            state: Mutex::new(State::new(seconds(now))),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes the token for an attempt about to be sent; the wait before sending it,
    /// if the bucket is short.
    pub(crate) fn acquire(&self, now: SystemTime) -> Option<Duration> {
        let mut state = self.lock();
        if !state.enabled {
            return None;
        }
        state.refill(seconds(now));
        let short = ATTEMPT_COST - state.capacity;
        state.capacity -= ATTEMPT_COST;
        (short > 0.0).then(|| Duration::from_secs_f64((short / state.fill_rate).min(3600.0)))
    }

    /// Learns from an attempt's outcome (a response, or a failure to get one):
    /// `throttled` when the service said to slow down.
    pub(crate) fn record(&self, now: SystemTime, throttled: bool) {
        self.record_at(seconds(now), throttled);
    }

    fn record_at(&self, now: f64, throttled: bool) {
        let mut state = self.lock();
        state.count_response(now);
        let calculated = if throttled {
            let rate = if state.enabled {
                state.measured_rate.min(state.fill_rate)
            } else {
                state.measured_rate
            };
            state.last_max_rate = rate;
            state.last_throttle = now;
            state.enabled = true;
            cubic_throttle(rate)
        } else {
            cubic_success(state.last_max_rate, state.last_throttle, now)
        };
        let new_rate = calculated.min(MAX_RATE_OVER_MEASURED * state.measured_rate);
        // Tokens earned so far are earned at the old rate.
        state.refill(now);
        state.fill_rate = new_rate.max(MIN_FILL_RATE);
        state.max_capacity = new_rate.max(MIN_CAPACITY);
        state.capacity = state.capacity.min(state.max_capacity);
        if throttled {
            tracing::debug!(
                fill_rate = state.fill_rate,
                measured_rate = state.measured_rate,
                "throttled: the adaptive rate limiter now sends at most fill_rate requests per second"
            );
        }
    }

    /// A snapshot of the limiter's state.
    #[cfg(test)]
    pub(crate) fn state(&self) -> State {
        *self.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The expected values below are the CUBIC and end-to-end test vectors the AWS
    // SDKs share for adaptive retries (aws-sdk-java's TokenBucketCubicTest, also in
    // smithy-swift's ClientSideRateLimiterTests and botocore's throttling tests):
    // numbers only, checked here against our own implementation.

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() < 0.001
    }

    #[test]
    fn cubic_after_a_throttle_at_rate_ten() {
        // W_max 10, last throttle at t = 5; the rate at t = 5, 6, …, 11.
        let expected = [
            7.0,
            9.64893600966,
            10.000030849917364,
            10.453284520772092,
            13.408697022224185,
            21.26626835427364,
            36.425998516920465,
        ];
        for (step, rate) in expected.iter().enumerate() {
            let now = 5.0 + step as f64;
            let actual = cubic_success(10.0, 5.0, now);
            assert!(close(actual, *rate), "t={now}: {actual} != {rate}");
        }
        // The check of the spec digest: W regained after K = ∛(10·0.3/0.4) s.
        assert!(close(cubic_success(10.0, 0.0, 7.5f64.cbrt()), 10.0));
    }

    #[test]
    fn cubic_through_two_throttles() {
        // Successes at 5 and 6, throttles at 7 and 8 (each at the last computed
        // rate), successes from 9 to 12.
        let (mut w_max, mut last_throttle) = (10.0, 5.0);
        let mut last = 0.0;
        let steps = [
            (false, 5.0, 7.0),
            (false, 6.0, 9.64893600966),
            (true, 7.0, 6.754255206761999),
            (true, 8.0, 4.727978644733399),
            (false, 9.0, 6.606547753887045),
            (false, 10.0, 6.763279816944947),
            (false, 11.0, 7.598174833907107),
            (false, 12.0, 11.511232804773524),
        ];
        for (throttled, now, expected) in steps {
            last = if throttled {
                w_max = last;
                last_throttle = now;
                cubic_throttle(last)
            } else {
                cubic_success(w_max, last_throttle, now)
            };
            assert!(close(last, expected), "t={now}: {last} != {expected}");
        }
    }

    #[test]
    fn measured_rate_and_fill_rate_end_to_end() {
        // (throttled, time, measured send rate, new fill rate) from a limiter made at t = 0.
        let steps = [
            (false, 0.2, 0.0, 0.5),
            (false, 0.4, 0.0, 0.5),
            (false, 0.6, 4.8, 0.5),
            (false, 0.8, 4.8, 0.5),
            (false, 1.0, 4.16, 0.5),
            (false, 1.2, 4.16, 0.6912),
            (false, 1.4, 4.16, 1.0976),
            (false, 1.6, 5.632, 1.6384),
            (false, 1.8, 5.632, 2.3328),
            (true, 2.0, 4.3264, 3.02848),
            (false, 2.2, 4.3264, 3.486639),
        ];
        let limiter = RateLimiter::new(UNIX_EPOCH);
        for (throttled, now, measured, fill) in steps {
            limiter.record_at(now, throttled);
            let state = limiter.state();
            assert!(close(state.measured_rate, measured), "t={now}: {state:?}");
            assert!(close(state.fill_rate, fill), "t={now}: {state:?}");
            assert_eq!(state.enabled, now >= 2.0, "t={now}");
        }
    }

    #[test]
    fn off_until_the_first_throttle_then_paced_at_the_fill_rate() {
        let limiter = RateLimiter::new(UNIX_EPOCH);
        let at = |s: f64| UNIX_EPOCH + Duration::from_secs_f64(s);
        // Off: any number of attempts, no wait.
        for i in 0..100 {
            assert_eq!(limiter.acquire(at(f64::from(i) * 0.01)), None);
            limiter.record(at(f64::from(i) * 0.01), false);
        }
        // 100 requests in a second measured (≈ 80 after smoothing from 0, then more).
        limiter.record(at(1.0), true);
        let state = limiter.state();
        assert!(state.enabled);
        assert!(
            close(state.fill_rate, 0.7 * state.measured_rate),
            "{state:?}"
        );
        // The bucket was nearly empty: the first attempt waits for one token.
        let rate = state.fill_rate;
        let wait = limiter.acquire(at(1.0)).unwrap();
        assert!(close(wait.as_secs_f64(), (1.0 - state.capacity) / rate));
        // A second attempt at the same moment waits one token longer.
        let second = limiter.acquire(at(1.0)).unwrap();
        assert!(close(second.as_secs_f64() - wait.as_secs_f64(), 1.0 / rate));
    }

    #[test]
    fn the_fill_rate_stays_within_its_bounds() {
        let limiter = RateLimiter::new(UNIX_EPOCH);
        // Throttled at once: measured rate 0, so the floor of 0.5/s applies.
        limiter.record_at(0.1, true);
        let state = limiter.state();
        assert!(state.enabled);
        assert_eq!(state.fill_rate, MIN_FILL_RATE);
        assert_eq!(state.max_capacity, MIN_CAPACITY);
        // Long after, CUBIC alone would allow a huge rate, but two responses in
        // 1000 s measure 0.0016/s: twice that caps it, and the floor lifts it to 0.5.
        limiter.record_at(1000.0, false);
        let state = limiter.state();
        assert!(cubic_success(0.0, 0.1, 1000.0) > 1e8);
        assert!(close(state.measured_rate, 0.0016), "{state:?}");
        assert_eq!(state.fill_rate, MIN_FILL_RATE);
        // The bucket filled to its one token meanwhile; a clock set back then
        // neither panics nor earns more.
        assert_eq!(limiter.state().capacity, 1.0);
        let earlier = UNIX_EPOCH + Duration::from_secs(1);
        assert_eq!(limiter.acquire(earlier), None);
        assert!(close(
            limiter.acquire(earlier).unwrap().as_secs_f64(),
            1.0 / MIN_FILL_RATE
        ));
        assert_eq!(limiter.state().capacity, -1.0);
    }
}
