//! Waiters: poll an operation until the model's acceptors say the resource got
//! where it should (or never will), as the Smithy waiters specification and the
//! AWS SDKs define it.
//!
//! The first poll is immediate. Each poll is an ordinary call (signing,
//! retries, timeouts). Acceptors see the output or the operation's service
//! error, in order; the first that matches decides. An answer no acceptor
//! matches means "retry" for an output and failure for a service error; a call
//! that got no answer at all (a transport error, a timeout, a request that
//! could not be built) ends the wait at once. Between polls the delay grows
//! exponentially from the minimum to the maximum with jitter, and the last
//! delay is cut so that the final poll happens at the maximum wait, never after.

use std::fmt;
use std::time::Duration;

use querygen_runtime::query::ErrorCode;
pub use querygen_runtime::waiters::AcceptorState;

use crate::error::{ConstructionError, SdkError};
use crate::handle::{Handle, Operation};

/// One waiter, described by generated code.
pub struct WaiterSpec<I, O, E> {
    /// The waiter's name (`ReplicationGroupAvailable`), for errors.
    pub name: &'static str,
    /// The model's least delay between polls.
    pub min_delay: Duration,
    /// The model's greatest delay between polls.
    pub max_delay: Duration,
    /// The acceptors: the state one answer reaches, `None` if none matches.
    pub classify: fn(&I, Result<&O, &E>) -> Option<AcceptorState>,
}

impl<I, O, E> fmt::Debug for WaiterSpec<I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaiterSpec")
            .field("name", &self.name)
            .field("min_delay", &self.min_delay)
            .field("max_delay", &self.max_delay)
            .finish_non_exhaustive()
    }
}

/// The answer that ended a wait: an output, or the service error that an
/// acceptor was waiting for (`ReplicationGroupNotFoundFault` when waiting for a
/// deletion).
#[derive(Debug)]
pub enum FinalPoll<O, E> {
    /// The operation's output.
    Output(O),
    /// The operation's service error.
    Error(E),
}

/// Why a wait did not succeed.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// Nothing was sent: the input or the delays are not valid.
    Construction(ConstructionError),
    /// A `failure` acceptor matched this answer: the resource will not get there.
    FailureState {
        /// The waiter.
        waiter: &'static str,
        /// The answer it matched.
        answer: FinalPoll<O, E>,
    },
    /// The maximum wait went by without a `success` or `failure` acceptor matching.
    MaxWaitExceeded {
        /// The waiter.
        waiter: &'static str,
        /// The maximum wait.
        max_wait: Duration,
        /// How long it waited.
        elapsed: Duration,
        /// Polls made.
        polls: u32,
        /// The last answer.
        last: Option<Result<O, E>>,
    },
    /// An answer no acceptor expects: a service error no acceptor matches, or a
    /// call that got no answer.
    Unexpected {
        /// The waiter.
        waiter: &'static str,
        /// What the call returned.
        error: SdkError<E>,
    },
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Construction(e) => write!(f, "wait not started: {e}"),
            Self::FailureState { waiter, answer } => match answer {
                FinalPoll::Output(_) => write!(
                    f,
                    "{waiter}: the answer reached a failure state; it will not succeed"
                ),
                FinalPoll::Error(e) => write!(f, "{waiter}: failure state on the error {e}"),
            },
            Self::MaxWaitExceeded {
                waiter,
                max_wait,
                polls,
                ..
            } => write!(
                f,
                "{waiter}: not done after the maximum wait of {max_wait:?} ({polls} polls)"
            ),
            Self::Unexpected { waiter, error } => {
                write!(f, "{waiter}: an answer no acceptor expects: {error}")
            }
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Construction(e) => Some(e),
            Self::Unexpected { error, .. } => Some(error),
            Self::FailureState {
                answer: FinalPoll::Error(e),
                ..
            } => Some(e),
            _ => None,
        }
    }
}

/// The delay before retry number `attempt` (1 for the first retry), as the
/// Smithy waiters specification computes it: a whole number of seconds drawn
/// with `jitter` (in `[0, 1]`) from `[min_delay, cap]`, where the cap doubles
/// from `min_delay` up to `max_delay`; and if what would be left of the wait
/// after it is no more than `min_delay`, the rest of the wait instead, so that
/// the last poll is at the deadline.
pub fn waiter_delay(
    attempt: u32,
    min_delay: Duration,
    max_delay: Duration,
    remaining: Duration,
    jitter: f64,
) -> Duration {
    let min = min_delay.as_secs().max(1);
    let max = max_delay.as_secs().max(min);
    // `ln(max / min) / ln 2 + 1`, truncated: the attempts whose cap still doubles.
    let ceiling = ((max as f64 / min as f64).ln() / std::f64::consts::LN_2 + 1.0) as u32;
    let cap = if attempt > ceiling {
        max
    } else {
        min.saturating_mul(1u64 << attempt.saturating_sub(1).min(62))
            .min(max)
    };
    let spread = (cap - min) as f64 * jitter.clamp(0.0, 1.0);
    let delay = Duration::from_secs(min + spread as u64);
    if remaining.saturating_sub(delay) <= Duration::from_secs(min) {
        remaining
    } else {
        delay
    }
}

/// Polls `operation` with `input` until `spec`'s acceptors decide, for at most
/// `max_wait`. `delays` overrides the model's least and greatest delay.
pub async fn wait<I, O, E>(
    handle: &Handle,
    operation: &'static Operation<I, O, E>,
    spec: &'static WaiterSpec<I, O, E>,
    input: Result<I, ConstructionError>,
    max_wait: Duration,
    delays: (Option<Duration>, Option<Duration>),
) -> Result<FinalPoll<O, E>, WaiterError<O, E>>
where
    I: Sync,
    O: Send,
    E: ErrorCode + Send,
{
    let input = input.map_err(WaiterError::Construction)?;
    let min_delay = delays.0.unwrap_or(spec.min_delay);
    let max_delay = delays.1.unwrap_or(spec.max_delay);
    if min_delay < Duration::from_secs(1) || min_delay > max_delay {
        return Err(WaiterError::Construction(ConstructionError::new(format!(
            "{}: the least delay ({min_delay:?}) must be at least 1 s and at most the greatest ({max_delay:?})",
            spec.name
        ))));
    }
    let started = tokio::time::Instant::now();
    let mut polls = 0u32;
    // Set when the delay came out as zero: the poll at the deadline is the last.
    let mut final_poll = false;
    loop {
        polls += 1;
        let last = match handle.invoke(operation, &input).await {
            Ok(response) => {
                let output = response.output;
                match (spec.classify)(&input, Ok(&output)) {
                    Some(AcceptorState::Success) => return Ok(FinalPoll::Output(output)),
                    Some(AcceptorState::Failure) => {
                        return Err(WaiterError::FailureState {
                            waiter: spec.name,
                            answer: FinalPoll::Output(output),
                        })
                    }
                    Some(AcceptorState::Retry) | None => Ok(output),
                }
            }
            Err(SdkError::Service(failure)) => match (spec.classify)(&input, Err(&failure.error)) {
                Some(AcceptorState::Success) => return Ok(FinalPoll::Error(failure.error)),
                Some(AcceptorState::Failure) => {
                    return Err(WaiterError::FailureState {
                        waiter: spec.name,
                        answer: FinalPoll::Error(failure.error),
                    })
                }
                Some(AcceptorState::Retry) => Err(failure.error),
                None => {
                    return Err(WaiterError::Unexpected {
                        waiter: spec.name,
                        error: SdkError::Service(failure),
                    })
                }
            },
            Err(error) => {
                return Err(WaiterError::Unexpected {
                    waiter: spec.name,
                    error,
                })
            }
        };
        let elapsed = started.elapsed();
        if elapsed > max_wait || final_poll {
            return Err(WaiterError::MaxWaitExceeded {
                waiter: spec.name,
                max_wait,
                elapsed,
                polls,
                last: Some(last),
            });
        }
        let delay = waiter_delay(
            polls,
            min_delay,
            max_delay,
            max_wait - elapsed,
            crate::retry::random_unit(),
        );
        final_poll = delay.is_zero();
        tracing::debug!(
            waiter = spec.name,
            polls,
            delay_ms = delay.as_millis() as u64,
            "waiting before the next poll"
        );
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn delays_follow_the_specification_s_test_vector() {
        // min 15 s, max 120 s, a 300 s wait, jitter at the middle of the range:
        // polls at elapsed 1, 16, 38, 75, 142, 276 and 300 wait 15, 22, 37, 67,
        // 67, 24 and 0 seconds.
        let elapsed = [1, 16, 38, 75, 142, 276, 300];
        let expected = [15, 22, 37, 67, 67, 24, 0];
        for (attempt, (at, want)) in elapsed.iter().zip(expected).enumerate() {
            let delay = waiter_delay(attempt as u32 + 1, S(15), S(120), S(300 - at), 0.5);
            assert_eq!(delay, S(want), "attempt {}", attempt + 1);
        }
    }

    #[test]
    fn delays_stay_within_bounds_for_any_jitter() {
        for attempt in 1..20 {
            for jitter in [0.0, 0.3, 0.999, 1.0] {
                let delay = waiter_delay(attempt, S(2), S(120), S(10_000), jitter);
                assert!(
                    delay >= S(2) && delay <= S(120),
                    "{attempt} {jitter} {delay:?}"
                );
            }
        }
        // The first retry always waits the least delay.
        assert_eq!(waiter_delay(1, S(2), S(120), S(10_000), 1.0), S(2));
    }

    #[test]
    fn with_little_left_the_last_delay_lands_on_the_deadline() {
        assert_eq!(waiter_delay(3, S(2), S(120), S(5), 0.5), S(5));
        assert_eq!(
            waiter_delay(3, S(2), S(120), Duration::ZERO, 0.5),
            Duration::ZERO
        );
    }

    #[test]
    fn zero_latency_polls_from_the_start_give_twelve_polls_in_300_s() {
        // The specification's second vector: min 2 s, max 120 s, middle jitter,
        // as `wait` loops: the poll at the deadline gets a zero delay and one
        // last immediate poll.
        let mut elapsed = Duration::ZERO;
        let mut polls = 1;
        let mut final_poll = false;
        while !(elapsed > S(300) || final_poll) {
            let delay = waiter_delay(polls, S(2), S(120), S(300) - elapsed, 0.5);
            final_poll = delay.is_zero();
            elapsed += delay;
            polls += 1;
        }
        assert_eq!(polls, 12);
    }
}
