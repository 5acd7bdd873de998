//! The `tracing` spans and events of a call, in one place so their names,
//! fields and levels stay consistent (docs/client.md lists them).
//!
//! - span `call` (DEBUG): `service`, `operation`, `invocation_id`;
//!   - span `attempt` (DEBUG): `attempt`, `max_attempts`;
//!     - event `attempt answered` (DEBUG): `status`, `request_id`, `error_code`,
//!       `retryable`, `duration_ms`; or `attempt failed` (DEBUG): `error`,
//!       `retryable`, `duration_ms`;
//!     - event `retrying` (DEBUG): `reason`, `delay_ms`; or `not retrying`
//!       (INFO when retries ran out or the retry quota is empty): `reason`, `why`;
//!   - event `call succeeded` / `call failed` (DEBUG): `attempts`, `duration_ms`,
//!     `status`, `error_code`, `request_id`, `error`.
//!
//! Nothing here logs a header value other than the request id, a request or
//! response body, or a service error's message (which may echo the input): only
//! codes, statuses, counts, durations, and the transport's and construction
//! errors' messages, which never carry a secret.

use std::time::Duration;

use querygen_runtime::query::ErrorEnvelope;
use tracing::{debug, info, Level, Span};

use crate::intercept::{CallEnded, CallOutcome};
use crate::retry::RetryReason;
use crate::transport::{HttpResponse, TransportError};

/// The span of one call. Disabled (and nearly free) unless a subscriber takes DEBUG here.
pub(crate) fn call_span(service: &'static str, operation: &'static str) -> Span {
    tracing::debug_span!(
        "call",
        service,
        operation,
        invocation_id = tracing::field::Empty
    )
}

/// Records the id the call's attempts share (`amz-sdk-invocation-id`).
pub(crate) fn record_invocation_id(span: &Span, invocation_id: &str) {
    span.record("invocation_id", invocation_id);
}

/// The span of one attempt, inside the call's.
pub(crate) fn attempt_span(attempt: u32, max_attempts: u32) -> Span {
    tracing::debug_span!("attempt", attempt, max_attempts)
}

/// Milliseconds, to the microsecond (so they print short).
fn millis(duration: Duration) -> f64 {
    duration.as_micros() as f64 / 1000.0
}

fn reason_name(reason: RetryReason) -> &'static str {
    match reason {
        RetryReason::Throttling => "throttling",
        RetryReason::Transient => "transient",
        RetryReason::Timeout => "timeout",
        RetryReason::ClockSkew => "clock skew",
    }
}

/// An attempt got a response (in the attempt's span). `retry` is the parser's
/// classification of an error answer; `None` for a success.
pub(crate) fn attempt_answered(
    response: &HttpResponse,
    request_id: Option<&str>,
    retry: Option<RetryReason>,
    elapsed: Duration,
) {
    if !tracing::enabled!(Level::DEBUG) {
        return;
    }
    let status = response.status().as_u16();
    let header_id = || {
        response
            .headers()
            .get("x-amzn-requestid")
            .and_then(|v| v.to_str().ok())
    };
    if response.status().is_success() {
        debug!(
            status,
            request_id = request_id.or_else(header_id),
            duration_ms = millis(elapsed),
            "attempt answered"
        );
    } else {
        // Only the code: the message may echo the input.
        let code = ErrorEnvelope::parse(response.body())
            .ok()
            .and_then(|envelope| envelope.code);
        debug!(
            status,
            request_id = request_id.or_else(header_id),
            error_code = code.as_deref(),
            retryable = retry.map(reason_name),
            duration_ms = millis(elapsed),
            "attempt answered"
        );
    }
}

/// An attempt got no response (in the attempt's span).
pub(crate) fn attempt_failed(
    error: &TransportError,
    retry: Option<RetryReason>,
    elapsed: Duration,
) {
    debug!(
        error = %error,
        retryable = retry.map(reason_name),
        duration_ms = millis(elapsed),
        "attempt failed"
    );
}

/// The call will try again after `delay`.
pub(crate) fn retrying(span: &Span, reason: RetryReason, delay: Duration) {
    span.in_scope(|| {
        debug!(
            reason = reason_name(reason),
            delay_ms = millis(delay),
            "retrying"
        );
    });
}

/// Why a retryable failure is not retried.
#[derive(Clone, Copy)]
pub(crate) enum NoRetry {
    /// The call made its last allowed attempt.
    OutOfAttempts,
    /// The client's retry quota is empty.
    QuotaExhausted,
}

/// A retryable failure ends the call. An operator should see this when retries
/// were tried and did not help, or when the client-wide retry quota has run out
/// (INFO); with a single attempt allowed it is the caller's choice (DEBUG).
pub(crate) fn not_retrying(span: &Span, reason: RetryReason, why: NoRetry, attempts: u32) {
    let why_text = match why {
        NoRetry::OutOfAttempts => "no attempts left",
        NoRetry::QuotaExhausted => "retry quota exhausted",
    };
    let reason = reason_name(reason);
    span.in_scope(|| {
        if attempts > 1 || matches!(why, NoRetry::QuotaExhausted) {
            info!(reason, why = why_text, attempts, "not retrying");
        } else {
            debug!(reason, why = why_text, attempts, "not retrying");
        }
    });
}

/// The call's last event, in its span.
pub(crate) fn call_ended(span: &Span, ended: &CallEnded<'_>) {
    let attempts = ended.attempts();
    let duration_ms = millis(ended.elapsed());
    span.in_scope(|| match ended.outcome() {
        CallOutcome::Output { request_id } => {
            debug!(attempts, duration_ms, request_id, "call succeeded");
        }
        CallOutcome::ServiceError {
            status,
            code,
            request_id,
        } => {
            debug!(
                attempts,
                duration_ms,
                status,
                error_code = code,
                request_id,
                "call failed"
            );
        }
        CallOutcome::DispatchFailure(error) => {
            debug!(attempts, duration_ms, error = %error, "call failed");
        }
        CallOutcome::ConstructionFailure(error) => {
            debug!(attempts, duration_ms, error = %error, "call failed");
        }
    });
}
