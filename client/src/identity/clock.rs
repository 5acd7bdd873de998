//! Wall-clock time and waiting, injectable so that expiry, refresh, retries and
//! rate limiting can be tested without sleeping.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::transport::BoxFuture;

/// Where providers and the credentials cache read the current time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current wall-clock time.
    fn now(&self) -> SystemTime;
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that moves only when told to; clones share the same time. For tests.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<SystemTime>>);

impl ManualClock {
    /// A clock standing at `time`.
    pub fn new(time: SystemTime) -> Self {
        Self(Arc::new(Mutex::new(time)))
    }

    /// Moves the clock to `time`.
    pub fn set(&self, time: SystemTime) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = time;
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// How the client waits: between retries and for the adaptive rate limiter.
/// Injectable so that tests can run in simulated time ([`ManualClock`] moves
/// forward by each wait instead of sleeping).
pub trait Sleep: Send + Sync + fmt::Debug {
    /// A future that completes once `duration` has passed.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// Waits with `tokio::time::sleep`: the default.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Sleeping on a manual clock moves it forward by the wait at once, so a test's
/// backoffs and rate-limiter waits take no real time and stay deterministic.
impl Sleep for ManualClock {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        let clock = self.clone();
        Box::pin(async move {
            clock.advance(duration);
            tokio::task::yield_now().await;
        })
    }
}
