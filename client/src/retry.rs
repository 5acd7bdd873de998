//! Retries as the AWS SDKs' "standard" mode defines them: which failures are
//! worth another attempt, how long to wait, and the client-wide retry quota
//! that stops retry storms when a service is down. The "adaptive" mode adds a
//! client-side rate limiter ([`adaptive`]).

pub(crate) mod adaptive;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Error codes that mean "slow down".
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of failures that may not happen again.
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// HTTP statuses of failures that may not happen again.
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// How a client retries failed requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryMode {
    /// `standard`: the retry behaviour shared by current AWS SDKs. The default.
    #[default]
    Standard,
    /// `legacy`: each SDK's older behaviour. This client treats it as standard.
    Legacy,
    /// `adaptive`: standard, plus a client-side rate limiter that slows the
    /// client's attempts down once the service throttles it.
    Adaptive,
}

impl RetryMode {
    /// The mode named `name` (`standard`, `legacy`, `adaptive`; case-insensitive).
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.trim();
        [Self::Standard, Self::Legacy, Self::Adaptive]
            .into_iter()
            .find(|mode| mode.as_str().eq_ignore_ascii_case(name))
    }

    /// The mode's name in configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Legacy => "legacy",
            Self::Adaptive => "adaptive",
        }
    }
}

/// How the client retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// The retry mode. Default: standard.
    pub mode: RetryMode,
    /// Attempts in all, the first included (1 disables retries). Default 3.
    pub max_attempts: u32,
    /// Upper bound of the first backoff; it doubles each attempt. Default 1 s.
    pub initial_backoff: Duration,
    /// No backoff is longer than this. Default 20 s.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            mode: RetryMode::Standard,
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// No retries: one attempt only.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }
}

/// Why a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// The service asked us to slow down.
    Throttling,
    /// A 5xx, a transient error code, or a connection that failed.
    Transient,
    /// No response came in time.
    Timeout,
    /// The request was refused for being signed at the wrong time, and the
    /// response's `Date` showed by how much: the next attempt signs with the
    /// corrected time.
    ClockSkew,
}

/// Classifies a service error response by its code and HTTP status.
pub fn classify_response(status: u16, code: Option<&str>) -> Option<RetryReason> {
    if let Some(code) = code {
        if THROTTLING_CODES.contains(&code) {
            return Some(RetryReason::Throttling);
        }
        if TRANSIENT_CODES.contains(&code) {
            return Some(RetryReason::Transient);
        }
    }
    if status == 429 {
        return Some(RetryReason::Throttling);
    }
    TRANSIENT_STATUSES
        .contains(&status)
        .then_some(RetryReason::Transient)
}

/// Tokens in a full retry quota.
const QUOTA_CAPACITY: u32 = 500;
/// Tokens a retry after an ordinary failure costs.
const RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout costs.
const TIMEOUT_RETRY_COST: u32 = 10;

/// The client-wide retry quota of standard mode: each retry spends tokens, each
/// success gives some back, and an empty quota means no more retries until it refills.
#[derive(Debug)]
pub struct RetryQuota {
    tokens: Mutex<u32>,
}

impl Default for RetryQuota {
    fn default() -> Self {
        Self {
            tokens: Mutex::new(QUOTA_CAPACITY),
        }
    }
}

impl RetryQuota {
    /// Takes the cost of a retry for `reason`; `None` when the quota cannot pay it.
    pub fn acquire(&self, reason: RetryReason) -> Option<u32> {
        let cost = match reason {
            RetryReason::Timeout => TIMEOUT_RETRY_COST,
            RetryReason::Throttling | RetryReason::Transient | RetryReason::ClockSkew => RETRY_COST,
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if *tokens < cost {
            return None;
        }
        *tokens -= cost;
        Some(cost)
    }

    /// A call succeeded: returns what its retries cost, or one token if it needed none.
    pub fn release(&self, spent: u32) {
        let refund = if spent == 0 { 1 } else { spent };
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        *tokens = (*tokens).saturating_add(refund).min(QUOTA_CAPACITY);
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The wait before attempt `attempt + 1` (after `attempt` failed, 1-based): a random
/// fraction of `initial_backoff · 2^(attempt-1)`, capped at `max_backoff` ("full jitter").
pub fn backoff(config: &RetryConfig, attempt: u32, random_unit: f64) -> Duration {
    let exponent = attempt.saturating_sub(1).min(30);
    let ceiling = config
        .initial_backoff
        .saturating_mul(1u32 << exponent)
        .min(config.max_backoff);
    ceiling.mul_f64(random_unit.clamp(0.0, 1.0))
}

/// A number in `[0, 1)` for jitter. Not for cryptography: it only spreads retries out.
pub fn random_unit() -> f64 {
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// 64 random-enough bits from std's per-process random hash keys and a counter.
pub(crate) fn random_u64() -> u64 {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_throttling_transient_and_final_errors() {
        assert_eq!(
            classify_response(400, Some("Throttling")),
            Some(RetryReason::Throttling)
        );
        assert_eq!(
            classify_response(400, Some("RequestLimitExceeded")),
            Some(RetryReason::Throttling)
        );
        assert_eq!(classify_response(429, None), Some(RetryReason::Throttling));
        assert_eq!(
            classify_response(400, Some("RequestTimeout")),
            Some(RetryReason::Transient)
        );
        for status in [500, 502, 503, 504] {
            assert_eq!(
                classify_response(status, None),
                Some(RetryReason::Transient)
            );
        }
        assert_eq!(classify_response(501, None), None);
        assert_eq!(
            classify_response(404, Some("ReplicationGroupNotFoundFault")),
            None
        );
        assert_eq!(classify_response(400, Some("InvalidParameterValue")), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let config = RetryConfig::default();
        assert_eq!(backoff(&config, 1, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(&config, 2, 1.0), Duration::from_secs(2));
        assert_eq!(backoff(&config, 3, 0.5), Duration::from_secs(2));
        assert_eq!(backoff(&config, 6, 1.0), Duration::from_secs(20));
        assert_eq!(backoff(&config, 1000, 1.0), Duration::from_secs(20));
        assert_eq!(backoff(&config, 1, 0.0), Duration::ZERO);
    }

    #[test]
    fn jitter_stays_in_the_unit_interval_and_varies() {
        let draws: Vec<f64> = (0..1000).map(|_| random_unit()).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((0.4..0.6).contains(&mean), "mean {mean}");
    }

    #[test]
    fn the_quota_runs_dry_and_refills() {
        let quota = RetryQuota::default();
        let mut retries = 0;
        while quota.acquire(RetryReason::Transient).is_some() {
            retries += 1;
        }
        assert_eq!(retries, 100);
        assert_eq!(quota.acquire(RetryReason::Timeout), None);
        quota.release(5);
        assert_eq!(quota.available(), 5);
        assert_eq!(quota.acquire(RetryReason::Timeout), None);
        quota.release(0);
        quota.release(10);
        assert_eq!(quota.available(), 16);
        assert_eq!(quota.acquire(RetryReason::Timeout), Some(10));
        for _ in 0..1000 {
            quota.release(0);
        }
        assert_eq!(quota.available(), QUOTA_CAPACITY);
    }
}
