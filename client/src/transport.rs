//! The one thing the client needs from an HTTP stack: send a request, return
//! the whole response. Users and tests plug their own through [`Transport`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::proxy::ProxyConfig;
use crate::tls::TrustRoots;

/// A request as the client hands it to a transport: fully built and signed.
pub type HttpRequest = http::Request<Vec<u8>>;
/// A response with its whole body read (`Bytes`: transports hand over what they read without a copy).
pub type HttpResponse = http::Response<ResponseBody>;
/// The body of an [`HttpResponse`].
pub type ResponseBody = bytes::Bytes;
/// The future a [`Transport`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and reads the complete response.
///
/// The client applies the read timeout and retries around this call; a transport only
/// reports what happened. It must not retry by itself.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request` and returns the response with its whole body, or what went wrong.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

/// A shared transport sends as the one it shares.
impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }
}

/// Settings a transport gets when the client creates it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportSettings {
    /// Longest time to wait for a TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Largest response body the transport reads before giving up.
    pub max_body_bytes: usize,
    /// How long an idle pooled connection is kept before it is closed (90 s, as the
    /// AWS SDK for Rust's client does).
    pub pool_idle_timeout: Duration,
    /// Stalled-stream protection: a response body from which no byte arrives for this
    /// long fails the attempt with a retryable [`TransportErrorKind::Io`] error.
    /// `None` turns it off. Default 5 s, as in the AWS SDKs.
    pub stalled_stream_grace_period: Option<Duration>,
    /// The HTTP proxies and the hosts reached without them. Default: none.
    pub proxy: ProxyConfig,
    /// The certificate authorities `https` servers must chain to. Default: Mozilla's.
    pub trust_roots: TrustRoots,
}

impl Default for TransportSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_millis(3_100),
            max_body_bytes: querygen_runtime::xml::DEFAULT_MAX_BYTES,
            pool_idle_timeout: Duration::from_secs(90),
            stalled_stream_grace_period: Some(DEFAULT_STALLED_STREAM_GRACE_PERIOD),
            proxy: ProxyConfig::none(),
            trust_roots: TrustRoots::mozilla(),
        }
    }
}

/// How long a response body may make no progress before the attempt fails (the
/// AWS SDKs' default grace period).
pub const DEFAULT_STALLED_STREAM_GRACE_PERIOD: Duration = Duration::from_secs(5);

/// What kind of failure a [`TransportError`] is; it decides whether a retry may help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, unreachable, DNS, TLS handshake, connect timeout).
    Connect,
    /// No complete response arrived in time.
    Timeout,
    /// The connection failed while the request or response was in flight (reset, truncated body).
    Io,
    /// The response could not be accepted (for example a body over the size limit). Not retried.
    Response,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connection error",
            Self::Timeout => "timeout",
            Self::Io => "I/O error",
            Self::Response => "unacceptable response",
        })
    }
}

/// A request that got no usable response.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A new error of `kind`, described by `message`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Keeps the underlying error as this one's [`source`](std::error::Error::source).
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The description given when the error was made.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
