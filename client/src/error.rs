//! What a client call returns when it does not return the output.

use std::fmt;

use super::transport::TransportError;

/// A failed call: the request could not be made, no response came back, or the
/// service answered with an error (`E`, the operation's own error enum).
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// Nothing was sent: the input, endpoint, credentials or signature could not be made.
    Construction(ConstructionError),
    /// The request was sent (or tried) and no response came back.
    Dispatch(DispatchFailure),
    /// The service answered with an error.
    Service(ServiceFailure<E>),
}

impl<E> SdkError<E> {
    /// The operation's error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Self::Service(failure) => Some(&failure.error),
            _ => None,
        }
    }

    /// The operation's error, if the service answered with one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            Self::Service(failure) => Some(failure.error),
            _ => None,
        }
    }

    /// How many attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Construction(_) => 0,
            Self::Dispatch(failure) => failure.attempts,
            Self::Service(failure) => failure.attempts,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Construction(e) => write!(f, "request not sent: {e}"),
            Self::Dispatch(failure) => write!(
                f,
                "no response after {} attempt{}: {}",
                failure.attempts,
                plural(failure.attempts),
                failure.error
            ),
            Self::Service(failure) => {
                write!(f, "service error (HTTP {}", failure.status)?;
                if let Some(id) = &failure.request_id {
                    write!(f, ", request id {id}")?;
                }
                write!(
                    f,
                    ", after {} attempt{}): {}",
                    failure.attempts,
                    plural(failure.attempts),
                    failure.error
                )
            }
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Construction(e) => Some(e),
            Self::Dispatch(failure) => Some(&failure.error),
            Self::Service(failure) => Some(&failure.error),
        }
    }
}

/// Why a request could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstructionError {
    message: String,
}

impl ConstructionError {
    /// An error described by `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConstructionError {}

/// No response: the last attempt's transport error.
#[derive(Debug)]
#[non_exhaustive]
pub struct DispatchFailure {
    /// What went wrong on the last attempt.
    pub error: TransportError,
    /// Attempts made.
    pub attempts: u32,
}

/// The service's error answer to the last attempt.
#[derive(Debug)]
#[non_exhaustive]
pub struct ServiceFailure<E> {
    /// The operation's error.
    pub error: E,
    /// HTTP status of the answer.
    pub status: u16,
    /// The request id the service gave the answer (header `x-amzn-requestid` or the body's `RequestId`).
    pub request_id: Option<String>,
    /// Attempts made.
    pub attempts: u32,
}
