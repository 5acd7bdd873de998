//! What can go wrong talking to the instance metadata service.

use std::fmt;

/// What kind of failure an [`ImdsError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImdsErrorKind {
    /// `AWS_EC2_METADATA_DISABLED` is `true`: nothing was sent.
    Disabled,
    /// A bad endpoint, endpoint mode, config file or path: nothing was sent.
    InvalidConfiguration,
    /// No connection could be made (refused, unreachable, connect timeout), the
    /// usual answer when not running on EC2.
    Connect,
    /// The endpoint took the connection but did not answer in time.
    TimedOut,
    /// The connection failed mid-exchange, or the transport refused the response.
    Io,
    /// IMDS answered with an error status (see [`ImdsError::status`]).
    ErrorResponse,
    /// IMDS answered with something unusable: a token without its TTL header, a
    /// body that is not UTF-8.
    InvalidResponse,
}

/// A failed [`ImdsClient::get`](super::ImdsClient::get).
///
/// Messages name the URL, the status and what was wrong, never a token or a
/// response body.
#[derive(Debug)]
pub struct ImdsError {
    kind: ImdsErrorKind,
    message: String,
    status: Option<u16>,
    token_request: bool,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ImdsError {
    pub(super) fn new(kind: ImdsErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            status: None,
            token_request: false,
            source: None,
        }
    }

    pub(super) fn invalid_configuration(message: impl Into<String>) -> Self {
        Self::new(ImdsErrorKind::InvalidConfiguration, message)
    }

    pub(super) fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub(super) fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Marks the error as one of the token request.
    pub(super) fn in_token_request(mut self) -> Self {
        self.token_request = true;
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ImdsErrorKind {
        self.kind
    }

    /// The HTTP status of an [`ErrorResponse`](ImdsErrorKind::ErrorResponse).
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Whether it was the session token request (`PUT /latest/api/token`) that
    /// failed, rather than the data request.
    pub fn is_token_request(&self) -> bool {
        self.token_request
    }

    /// The description, without the source's.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ImdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImdsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
