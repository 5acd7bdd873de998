//! Hooks into the call loop: an [`Intercept`] sees (and before signing may
//! change) each attempt's request, sees each response before it is parsed, and
//! sees how each call ended.
//!
//! Register one on the client with [`ConfigBuilder::interceptor`] or for one
//! call with [`CallOverrides::interceptor`]. The client's run first, in the
//! order they were added, then the call's.
//!
//! Which hooks run how often:
//!
//! | hook | runs |
//! | --- | --- |
//! | [`modify_before_signing`](Intercept::modify_before_signing) | each attempt, before it is signed |
//! | [`read_after_signing`](Intercept::read_after_signing) | each attempt, signed, right before it is sent |
//! | [`read_before_parsing`](Intercept::read_before_parsing) | each attempt that got a response (any status), before it is parsed |
//! | [`read_after_call`](Intercept::read_after_call) | once per call, with its outcome, whatever it was |
//!
//! ```
//! use std::time::Duration;
//! use querygen_client::intercept::{BeforeSigning, BoxError, CallEnded, Intercept};
//!
//! /// Adds a header to every attempt and logs each call's latency.
//! #[derive(Debug)]
//! struct TenantHeader(&'static str);
//!
//! impl Intercept for TenantHeader {
//!     fn modify_before_signing(&self, context: &mut BeforeSigning<'_>) -> Result<(), BoxError> {
//!         // Added before signing, so the header is signed too.
//!         context.request_mut().headers_mut().insert("x-tenant", self.0.parse()?);
//!         Ok(())
//!     }
//!
//!     fn read_after_call(&self, context: &CallEnded<'_>) {
//!         println!("{} took {:?} over {} attempt(s)", context.operation(), context.elapsed(), context.attempts());
//!     }
//! }
//!
//! let config = querygen_client::Config::builder().interceptor(TenantHeader("blue")).build();
//! # let _ = config;
//! ```
//!
//! [`ConfigBuilder::interceptor`]: crate::ConfigBuilder::interceptor
//! [`CallOverrides::interceptor`]: crate::CallOverrides::interceptor

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::ConstructionError;
use crate::transport::{HttpRequest, HttpResponse, TransportError};

/// What a hook that may fail returns when it does.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Hooks into each call. Every method has a default that does nothing, so an
/// interceptor implements only the points it needs.
///
/// Hooks run on the task making the call, in its loop: keep them short and do
/// not block. Interceptors are shared across calls (and clones of a client);
/// anything a hook keeps between its invocations is the interceptor's own
/// (behind a `Mutex` or an atomic).
///
/// The contexts give the request with its signature and the response with its
/// body: an interceptor that logs them is responsible for leaving out the
/// `authorization` and `x-amz-security-token` headers and any `@sensitive`
/// member. The contexts' own `Debug` shows neither headers nor bodies.
pub trait Intercept: Send + Sync + fmt::Debug {
    /// Each attempt, before signing: may change the request (add or change a
    /// header; a changed body needs a matching `content-length`). What it adds
    /// is signed. An error ends the call at once as `SdkError::Construction`
    /// (not retried), its message naming this hook.
    fn modify_before_signing(&self, context: &mut BeforeSigning<'_>) -> Result<(), BoxError> {
        let _ = context;
        Ok(())
    }

    /// Each attempt, signed, right before it goes to the transport.
    fn read_after_signing(&self, context: &AfterSigning<'_>) {
        let _ = context;
    }

    /// Each attempt that got a response, of any status, before it is parsed.
    /// An attempt that got none (connection failure, timeout) does not come here;
    /// a call that ends without a response still comes to
    /// [`read_after_call`](Self::read_after_call).
    fn read_before_parsing(&self, context: &BeforeParsing<'_>) {
        let _ = context;
    }

    /// Once per call, after the last attempt (or when nothing could be sent),
    /// with how the call ended.
    fn read_after_call(&self, context: &CallEnded<'_>) {
        let _ = context;
    }
}

/// An interceptor as the configuration keeps it.
pub type SharedInterceptor = Arc<dyn Intercept>;

/// Which call and attempt a hook runs in.
#[derive(Debug, Clone, Copy)]
pub struct AttemptInfo {
    pub(crate) service: &'static str,
    pub(crate) operation: &'static str,
    pub(crate) attempt: u32,
    pub(crate) max_attempts: u32,
}

impl AttemptInfo {
    /// The service's signing name (`elasticache`).
    pub fn service(&self) -> &'static str {
        self.service
    }

    /// The operation's name (`StartMigration`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// This attempt's number, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The most attempts this call may make.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }
}

/// What [`Intercept::modify_before_signing`] gets: the unsigned request.
pub struct BeforeSigning<'a> {
    pub(crate) info: AttemptInfo,
    pub(crate) request: &'a mut HttpRequest,
}

impl BeforeSigning<'_> {
    /// The call and attempt.
    pub fn info(&self) -> &AttemptInfo {
        &self.info
    }

    /// The request as it stands.
    pub fn request(&self) -> &HttpRequest {
        self.request
    }

    /// The request, to change before it is signed.
    pub fn request_mut(&mut self) -> &mut HttpRequest {
        self.request
    }
}

/// What [`Intercept::read_after_signing`] gets: the request as it will be sent.
pub struct AfterSigning<'a> {
    pub(crate) info: AttemptInfo,
    pub(crate) request: &'a HttpRequest,
}

impl AfterSigning<'_> {
    /// The call and attempt.
    pub fn info(&self) -> &AttemptInfo {
        &self.info
    }

    /// The signed request (its `authorization` header is a credential: do not log it).
    pub fn request(&self) -> &HttpRequest {
        self.request
    }
}

/// What [`Intercept::read_before_parsing`] gets: an attempt's response.
pub struct BeforeParsing<'a> {
    pub(crate) info: AttemptInfo,
    pub(crate) response: &'a HttpResponse,
    pub(crate) attempt_elapsed: Duration,
}

impl BeforeParsing<'_> {
    /// The call and attempt.
    pub fn info(&self) -> &AttemptInfo {
        &self.info
    }

    /// The response, its body whole.
    pub fn response(&self) -> &HttpResponse {
        self.response
    }

    /// Time from the start of this attempt (before signing) to the whole response.
    pub fn attempt_elapsed(&self) -> Duration {
        self.attempt_elapsed
    }
}

/// How a call ended, as [`Intercept::read_after_call`] sees it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum CallOutcome<'a> {
    /// The service answered with the output.
    Output {
        /// The request id the answer carried.
        request_id: Option<&'a str>,
    },
    /// The service answered with an error.
    ServiceError {
        /// The HTTP status.
        status: u16,
        /// The error code (`ReplicationGroupNotFoundFault`), if the answer had one.
        code: Option<&'a str>,
        /// The request id the answer carried.
        request_id: Option<&'a str>,
    },
    /// No response came back to the last attempt.
    DispatchFailure(&'a TransportError),
    /// Nothing was sent (or a hook refused the request).
    ConstructionFailure(&'a ConstructionError),
}

/// What [`Intercept::read_after_call`] gets.
pub struct CallEnded<'a> {
    pub(crate) service: &'static str,
    pub(crate) operation: &'static str,
    pub(crate) attempts: u32,
    pub(crate) elapsed: Duration,
    pub(crate) outcome: CallOutcome<'a>,
    /// The output, or the operation's error enum, for [`CallEnded::output`] and
    /// [`CallEnded::service_error`].
    pub(crate) typed: Option<&'a dyn Any>,
}

impl<'a> CallEnded<'a> {
    /// The service's signing name (`elasticache`).
    pub fn service(&self) -> &'static str {
        self.service
    }

    /// The operation's name (`StartMigration`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Attempts made, as [`SdkError::attempts`](crate::SdkError::attempts) counts
    /// them (0 when the call ended with nothing sent).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Time from the start of the call to its end, retries and backoff included.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// How the call ended.
    pub fn outcome(&self) -> CallOutcome<'a> {
        self.outcome
    }

    /// Whether the call returned the output.
    pub fn succeeded(&self) -> bool {
        matches!(self.outcome, CallOutcome::Output { .. })
    }

    /// The output, if the call succeeded and `T` is the operation's output type
    /// (`StartMigrationOutput`).
    pub fn output<T: 'static>(&self) -> Option<&'a T> {
        match self.outcome {
            CallOutcome::Output { .. } => self.typed?.downcast_ref(),
            _ => None,
        }
    }

    /// The operation's error, if the service answered with one and `T` is the
    /// operation's error type (`StartMigrationError`).
    pub fn service_error<T: 'static>(&self) -> Option<&'a T> {
        match self.outcome {
            CallOutcome::ServiceError { .. } => self.typed?.downcast_ref(),
            _ => None,
        }
    }
}

// The contexts' Debug names the call and attempt only: headers and bodies hold
// signatures, tokens and `@sensitive` members.
impl fmt::Debug for BeforeSigning<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BeforeSigning")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for AfterSigning<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AfterSigning")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for BeforeParsing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BeforeParsing")
            .field("info", &self.info)
            .field("status", &self.response.status().as_u16())
            .field("attempt_elapsed", &self.attempt_elapsed)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for CallEnded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallEnded")
            .field("service", &self.service)
            .field("operation", &self.operation)
            .field("attempts", &self.attempts)
            .field("elapsed", &self.elapsed)
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

/// The interceptors of one call: the client's, then the call's.
#[derive(Clone, Copy)]
pub(crate) struct Interceptors<'a> {
    pub(crate) client: &'a [SharedInterceptor],
    pub(crate) call: &'a [SharedInterceptor],
}

impl<'a> Interceptors<'a> {
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'a SharedInterceptor> {
        self.client.iter().chain(self.call.iter())
    }
}
