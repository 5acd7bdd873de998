//! Settings for one call ([`CallOverrides`]), given with a fluent builder's
//! `customize`, over the client's [`Config`](super::Config).

use std::sync::Arc;
use std::time::Duration;

use crate::intercept::{Intercept, SharedInterceptor};

/// What one call changes of the client's settings: attempts, timeouts, and
/// interceptors added for this call only. Anything not set here is the client's.
///
/// A generated fluent builder's `customize` hands the closure the overrides so far:
/// `client.describe_cache_clusters().customize(|c| c.max_attempts(1)).send()`.
///
/// ```
/// use std::time::Duration;
/// use querygen_client::CallOverrides;
///
/// let set = |c: CallOverrides| c.max_attempts(1).operation_timeout(Duration::from_secs(2));
/// let overrides = set(CallOverrides::default());
/// # let _ = overrides;
/// ```
///
/// (The connect timeout and the connection pool belong to the transport, which
/// all calls share, so they cannot be set per call.)
#[derive(Debug, Clone, Default)]
pub struct CallOverrides {
    pub(crate) max_attempts: Option<u32>,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) interceptors: Vec<SharedInterceptor>,
}

impl CallOverrides {
    /// Attempts in all for this call, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// Longest wait for one attempt's complete response, once sent, for this call.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Longest time for this whole call, retries and backoff included.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Adds an interceptor for this call; it runs after the client's.
    pub fn interceptor(mut self, interceptor: impl Intercept + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }
}
