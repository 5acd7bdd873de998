//! The IMDSv2 client: where IMDS is, the session token, timeouts and retries.

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use http::{HeaderValue, StatusCode};

use super::error::{ImdsError, ImdsErrorKind};
use crate::credentials::{Clock, ProviderConfig};
use crate::retry::{backoff, random_unit, RetryConfig};
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportErrorKind};

pub(super) const DISABLED_VAR: &str = "AWS_EC2_METADATA_DISABLED";
const ENDPOINT_VAR: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
const MODE_VAR: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
const ENDPOINT_KEY: &str = "ec2_metadata_service_endpoint";
const MODE_KEY: &str = "ec2_metadata_service_endpoint_mode";

const TOKEN_PATH: &str = "/latest/api/token";
const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
/// Six hours, the longest EC2 grants.
const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(21_600);
/// A token is renewed this long before IMDS would reject it, so that no request
/// carries one that expires in flight.
const TOKEN_REFRESH_BUFFER: Duration = Duration::from_secs(120);
const DEFAULT_MAX_ATTEMPTS: u32 = 4;
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(1);

/// Which address IMDS is reached at when no endpoint is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ImdsEndpointMode {
    /// `http://169.254.169.254`, the default.
    #[default]
    IpV4,
    /// `http://[fd00:ec2::254]`, for instances with the IPv6 endpoint enabled.
    IpV6,
}

impl ImdsEndpointMode {
    /// The endpoint of this mode.
    pub fn endpoint(self) -> &'static str {
        match self {
            Self::IpV4 => "http://169.254.169.254",
            Self::IpV6 => "http://[fd00:ec2::254]",
        }
    }
}

/// `IPv4` or `IPv6`, in any case.
impl FromStr for ImdsEndpointMode {
    type Err = ImdsError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        if value.eq_ignore_ascii_case("ipv4") {
            Ok(Self::IpV4)
        } else if value.eq_ignore_ascii_case("ipv6") {
            Ok(Self::IpV6)
        } else {
            Err(ImdsError::invalid_configuration(format!(
                "`{value}` is not a valid endpoint mode; expected `IPv4` or `IPv6` (any case)"
            )))
        }
    }
}

/// A client of the EC2 instance metadata service, IMDSv2 only.
///
/// Every request carries a session token from `PUT /latest/api/token`, kept
/// until 2 minutes before its TTL (6 hours) runs out. There is no fallback to
/// IMDSv1: an instance that requires tokens, or one that blocks the token
/// request, is never queried without one.
///
/// # Endpoint
/// The first that is set wins:
/// 1. [`ImdsClientBuilder::endpoint`];
/// 2. `AWS_EC2_METADATA_SERVICE_ENDPOINT`;
/// 3. `ec2_metadata_service_endpoint` in the selected profile;
/// 4. the [mode](ImdsEndpointMode)'s address, the mode coming from
///    [`ImdsClientBuilder::endpoint_mode`], `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`
///    or `ec2_metadata_service_endpoint_mode`, else `IPv4`.
///
/// `AWS_EC2_METADATA_DISABLED=true` (any case) turns the client off: every call
/// fails with [`ImdsErrorKind::Disabled`] without sending anything.
///
/// # Timeouts and retries
/// Connections time out after 1 s (the default transport's connect timeout).
/// Each attempt, connection included, must be answered within the connect and
/// read timeouts together (2 s): a [`Transport`] does not say when it has
/// connected, so the read timeout cannot start there. A request is tried up to
/// 4 times on a 5xx, on a 401 (with a new token) and, for data requests, on a
/// timeout. It is not retried on 400, 403 or 404, on connection failures, or
/// on a timed-out token request, so that off EC2 a
/// [`CredentialsChain`](crate::credentials::CredentialsChain) moves on within
/// about a second, and a container the token's answer cannot reach (a
/// metadata hop limit of 1) fails within about two.
///
/// Clones share the token and the connections.
#[derive(Clone)]
pub struct ImdsClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: ProviderConfig,
    endpoint: Option<String>,
    mode: Option<ImdsEndpointMode>,
    retry: RetryConfig,
    connect_timeout: Duration,
    read_timeout: Duration,
    token_ttl: Duration,
    /// The endpoint and transport, settled by the first request.
    resolved: Mutex<Option<Arc<Resolved>>>,
    /// Held while a token is fetched, so that concurrent callers share one.
    token: tokio::sync::Mutex<Option<Token>>,
}

struct Resolved {
    base: String,
    transport: Arc<dyn Transport>,
}

/// A session token; the value is a sensitive header value and never printed.
struct Token {
    value: HeaderValue,
    renew_at: SystemTime,
}

/// Shows the settings, never the token.
impl fmt::Debug for ImdsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("ImdsClient")
            .field("endpoint", &inner.endpoint)
            .field("endpoint_mode", &inner.mode)
            .field("retry", &inner.retry)
            .field("connect_timeout", &inner.connect_timeout)
            .field("read_timeout", &inner.read_timeout)
            .field("token_ttl", &inner.token_ttl)
            .field("config", &inner.config)
            .finish_non_exhaustive()
    }
}

/// Settings of an [`ImdsClient`]; what is not set comes from the environment,
/// the profile or the defaults.
#[derive(Debug, Clone, Default)]
pub struct ImdsClientBuilder {
    config: Option<ProviderConfig>,
    endpoint: Option<String>,
    mode: Option<ImdsEndpointMode>,
    retry: Option<RetryConfig>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    token_ttl: Option<Duration>,
}

impl ImdsClientBuilder {
    /// Reads the environment, the profile and the clock of `config`, and sends
    /// through its transport (default: [`ProviderConfig::from_env`]).
    pub fn config(mut self, config: &ProviderConfig) -> Self {
        self.config = Some(config.clone());
        self
    }

    /// Talks to `endpoint` (`http://host:port`, optionally with a path prefix),
    /// whatever the environment or profile say. Checked on the first request.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Uses `mode` unless an endpoint is configured.
    pub fn endpoint_mode(mut self, mode: ImdsEndpointMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// Attempts and backoff (default: 4 attempts, backoff from 1 s, full jitter).
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Longest wait for a connection (default 1 s). It is the default transport's
    /// setting: a transport given to the [`ProviderConfig`] keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long an answer may take once connected (default 1 s); each attempt is
    /// bounded by this plus the connect timeout.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// The lifetime asked for tokens (default and maximum 6 hours; EC2 refuses
    /// less than 1 s or more than 6 hours with a 400).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = Some(ttl);
        self
    }

    /// The client. Nothing is read or sent until the first request.
    pub fn build(self) -> ImdsClient {
        let retry = self.retry.unwrap_or(RetryConfig {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            ..RetryConfig::default()
        });
        ImdsClient {
            inner: Arc::new(Inner {
                config: self.config.unwrap_or_else(ProviderConfig::from_env),
                endpoint: self.endpoint,
                mode: self.mode,
                retry,
                connect_timeout: self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
                read_timeout: self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT),
                token_ttl: self.token_ttl.unwrap_or(DEFAULT_TOKEN_TTL),
                resolved: Mutex::new(None),
                token: tokio::sync::Mutex::new(None),
            }),
        }
    }
}

impl ImdsClient {
    /// A client configured by `config` and the defaults.
    pub fn new(config: &ProviderConfig) -> Self {
        Self::builder().config(config).build()
    }

    /// A client with settings of your own.
    pub fn builder() -> ImdsClientBuilder {
        ImdsClientBuilder::default()
    }

    /// Whether `AWS_EC2_METADATA_DISABLED` is `true` (any case).
    pub fn is_disabled(&self) -> bool {
        self.inner
            .config
            .env()
            .var(DISABLED_VAR)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    pub(super) fn clock(&self) -> &Arc<dyn Clock> {
        self.inner.config.clock()
    }

    /// The endpoint requests go to, as the settings say (see [`ImdsClient`]);
    /// an error names the variable or profile key that is wrong. Sends nothing.
    pub fn endpoint(&self) -> Result<String, ImdsError> {
        let inner = &*self.inner;
        if let Some(endpoint) = &inner.endpoint {
            return check_endpoint(endpoint, "the endpoint given in code");
        }
        let env = inner.config.env();
        if let Some(endpoint) = env.var(ENDPOINT_VAR) {
            return check_endpoint(&endpoint, ENDPOINT_VAR);
        }
        let profile = inner.config.profile().map_err(|e| {
            ImdsError::invalid_configuration("cannot read the IMDS settings of the shared files")
                .with_source(e)
        })?;
        let property = |key| profile.as_ref().and_then(|p| p.property(key));
        if let Some(endpoint) = property(ENDPOINT_KEY) {
            return check_endpoint(
                endpoint.value(),
                &format!("`{ENDPOINT_KEY}` ({})", endpoint.location()),
            );
        }
        let mode = if let Some(mode) = inner.mode {
            mode
        } else if let Some(mode) = env.var(MODE_VAR) {
            mode.parse().map_err(|e: ImdsError| {
                ImdsError::invalid_configuration(format!("{MODE_VAR}: {e}"))
            })?
        } else if let Some(mode) = property(MODE_KEY) {
            mode.value().parse().map_err(|e: ImdsError| {
                ImdsError::invalid_configuration(format!("`{MODE_KEY}` ({}): {e}", mode.location()))
            })?
        } else {
            ImdsEndpointMode::IpV4
        };
        Ok(mode.endpoint().to_owned())
    }

    /// `GET path` (`/latest/meta-data/placement/region`), with a session token,
    /// timeouts and retries; the body of a 2xx answer as text.
    ///
    /// The body is returned as IMDS sent it; it may hold secrets (the
    /// credentials paths do), so do not log it blindly.
    pub async fn get(&self, path: &str) -> Result<String, ImdsError> {
        if self.is_disabled() {
            return Err(ImdsError::new(
                ImdsErrorKind::Disabled,
                format!("IMDS is disabled by {DISABLED_VAR}"),
            ));
        }
        if !path.starts_with('/') {
            return Err(ImdsError::invalid_configuration(format!(
                "the IMDS path `{path}` does not start with `/`"
            )));
        }
        let resolved = self.resolved()?;
        let url = format!("{}{path}", resolved.base);
        let what = format!("GET {url}");
        let mut attempt = 1;
        loop {
            let token = self.token(&resolved).await?;
            let request = http::Request::get(&url)
                .header(TOKEN_HEADER, token.clone())
                .body(Vec::new())
                .map_err(|e| {
                    ImdsError::invalid_configuration(format!("cannot build {what}")).with_source(e)
                })?;
            let (error, retry) = match self.send(&resolved, request, &what).await {
                Ok(response) if response.status().is_success() => {
                    return String::from_utf8(response.into_body().to_vec()).map_err(|_| {
                        ImdsError::new(
                            ImdsErrorKind::InvalidResponse,
                            format!("the answer to {what} is not UTF-8"),
                        )
                    });
                }
                Ok(response) if response.status() == StatusCode::UNAUTHORIZED => {
                    // The token is no longer accepted (expired early, IMDS
                    // restarted): the next attempt fetches a new one.
                    self.forget_token(&token).await;
                    (status_error(response.status(), &what), Some(Retry::Now))
                }
                Ok(response) => {
                    let status = response.status();
                    let retry = status.is_server_error().then_some(Retry::AfterBackoff);
                    (status_error(status, &what), retry)
                }
                // IMDS has answered the token request, so a stall here is
                // likely passing.
                Err(e) if e.kind() == ImdsErrorKind::TimedOut => (e, Some(Retry::AfterBackoff)),
                Err(e) => (e, None),
            };
            match retry {
                Some(_) if attempt >= self.inner.retry.max_attempts => return Err(error),
                None => return Err(error),
                Some(Retry::AfterBackoff) => self.back_off(attempt).await,
                Some(Retry::Now) => {}
            }
            attempt += 1;
        }
    }

    fn resolved(&self) -> Result<Arc<Resolved>, ImdsError> {
        let mut slot = self
            .inner
            .resolved
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(resolved) = slot.as_ref() {
            return Ok(Arc::clone(resolved));
        }
        let base = self.endpoint()?;
        let transport = self
            .inner
            .config
            .transport(self.inner.connect_timeout)
            .map_err(|e| ImdsError::invalid_configuration(e.message()))?;
        let resolved = Arc::new(Resolved { base, transport });
        *slot = Some(Arc::clone(&resolved));
        Ok(resolved)
    }

    /// The cached token, or a new one.
    async fn token(&self, resolved: &Resolved) -> Result<HeaderValue, ImdsError> {
        let mut cached = self.inner.token.lock().await;
        if let Some(token) = cached.as_ref() {
            if self.clock().now() < token.renew_at {
                return Ok(token.value.clone());
            }
        }
        *cached = None;
        let token = self
            .fetch_token(resolved)
            .await
            .map_err(ImdsError::in_token_request)?;
        let value = token.value.clone();
        *cached = Some(token);
        Ok(value)
    }

    /// Drops `used` unless another caller has already replaced it.
    async fn forget_token(&self, used: &HeaderValue) {
        let mut cached = self.inner.token.lock().await;
        if cached.as_ref().is_some_and(|t| t.value == *used) {
            *cached = None;
        }
    }

    async fn fetch_token(&self, resolved: &Resolved) -> Result<Token, ImdsError> {
        let url = format!("{}{TOKEN_PATH}", resolved.base);
        let what = format!("PUT {url}");
        let mut attempt = 1;
        loop {
            let request = http::Request::put(&url)
                .header(TOKEN_TTL_HEADER, self.inner.token_ttl.as_secs().to_string())
                .body(Vec::new())
                .map_err(|e| {
                    ImdsError::invalid_configuration(format!("cannot build {what}")).with_source(e)
                })?;
            // Timeouts and connection failures are not retried here: they are
            // what a host off EC2, or a container beyond the token's hop limit, sees.
            let response = self.send(resolved, request, &what).await?;
            let status = response.status();
            if status.is_success() {
                return self.parse_token(&response, &what);
            }
            if status.is_server_error() && attempt < self.inner.retry.max_attempts {
                self.back_off(attempt).await;
                attempt += 1;
                continue;
            }
            return Err(match status {
                StatusCode::BAD_REQUEST => ImdsError::new(
                    ImdsErrorKind::ErrorResponse,
                    format!(
                        "{what} answered 400: invalid request parameters (the token TTL must be 1 to 21600 seconds)"
                    ),
                )
                .with_status(400),
                StatusCode::FORBIDDEN => ImdsError::new(
                    ImdsErrorKind::ErrorResponse,
                    format!(
                        "{what} answered 403: request forbidden: IMDS is disabled or the caller has insufficient permissions"
                    ),
                )
                .with_status(403),
                _ => status_error(status, &what),
            });
        }
    }

    fn parse_token(&self, response: &HttpResponse, what: &str) -> Result<Token, ImdsError> {
        let invalid = |problem: &str| {
            ImdsError::new(
                ImdsErrorKind::InvalidResponse,
                format!("the answer to {what} {problem}"),
            )
        };
        // EC2 always says how long the token lasts. Without the header, take the TTL
        // asked for, as botocore does (aws-config refuses; moto's IMDS omits it).
        let ttl = match response.headers().get(TOKEN_TTL_HEADER) {
            None => self.inner.token_ttl.as_secs(),
            Some(ttl) => ttl
                .to_str()
                .ok()
                .and_then(|ttl| ttl.trim().parse::<u64>().ok())
                .ok_or_else(|| {
                    invalid(&format!("has a `{TOKEN_TTL_HEADER}` that is not a number"))
                })?,
        };
        if response.body().is_empty() {
            return Err(invalid("has an empty token"));
        }
        let mut value = HeaderValue::from_bytes(response.body())
            .map_err(|_| invalid("has a token that is not a valid header value"))?;
        value.set_sensitive(true);
        // No longer than asked for (a huge TTL must not overflow the clock); a
        // TTL at or under the buffer makes a token good for this request only.
        let ttl = Duration::from_secs(ttl).min(self.inner.token_ttl);
        let now = self.clock().now();
        Ok(Token {
            value,
            renew_at: now
                .checked_add(ttl.saturating_sub(TOKEN_REFRESH_BUFFER))
                .unwrap_or(now),
        })
    }

    /// One attempt, bounded by the connect and read timeouts together: the
    /// transport cannot tell when its connection was made.
    async fn send(
        &self,
        resolved: &Resolved,
        request: HttpRequest,
        what: &str,
    ) -> Result<HttpResponse, ImdsError> {
        let limit = self.inner.connect_timeout + self.inner.read_timeout;
        match tokio::time::timeout(limit, resolved.transport.send(request)).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(e)) => {
                let kind = match e.kind() {
                    TransportErrorKind::Connect => ImdsErrorKind::Connect,
                    TransportErrorKind::Timeout => ImdsErrorKind::TimedOut,
                    _ => ImdsErrorKind::Io,
                };
                Err(ImdsError::new(kind, format!("{what} failed")).with_source(e))
            }
            Err(_) => Err(ImdsError::new(
                ImdsErrorKind::TimedOut,
                format!("{what} got no answer within {} ms", limit.as_millis()),
            )),
        }
    }

    async fn back_off(&self, attempt: u32) {
        tokio::time::sleep(backoff(&self.inner.retry, attempt, random_unit())).await;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retry {
    Now,
    AfterBackoff,
}

fn status_error(status: StatusCode, what: &str) -> ImdsError {
    let hint = if status == StatusCode::UNAUTHORIZED {
        " (the session token was refused)"
    } else {
        ""
    };
    ImdsError::new(
        ImdsErrorKind::ErrorResponse,
        format!("{what} answered {status}{hint}"),
    )
    .with_status(status.as_u16())
}

/// `value` as a base URL without a trailing `/`, or an error naming `source`.
/// The value itself is left out of messages: a URL may carry a password.
fn check_endpoint(value: &str, source: &str) -> Result<String, ImdsError> {
    let expected = "expected a URL such as `http://169.254.169.254`";
    let uri: http::Uri = value.parse().map_err(|_| {
        ImdsError::invalid_configuration(format!("{source} is not a valid URL; {expected}"))
    })?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    let Some(authority) = uri.authority().filter(|_| scheme_ok) else {
        return Err(ImdsError::invalid_configuration(format!(
            "{source} is not an http:// or https:// URL; {expected}"
        )));
    };
    if authority.as_str().contains('@') || uri.query().is_some() {
        return Err(ImdsError::invalid_configuration(format!(
            "{source} must have neither credentials nor a query; {expected}"
        )));
    }
    Ok(format!(
        "{}://{}{}",
        uri.scheme_str().unwrap_or("http"),
        authority,
        uri.path().trim_end_matches('/')
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_normalized_and_checked() {
        let ok = |v: &str| check_endpoint(v, "X").unwrap();
        assert_eq!(ok("http://127.0.0.1:1338"), "http://127.0.0.1:1338");
        assert_eq!(ok("http://127.0.0.1:1338/"), "http://127.0.0.1:1338");
        assert_eq!(
            ok("https://imds.example/prefix/"),
            "https://imds.example/prefix"
        );
        assert_eq!(ok("http://[fd00:ec2::254]"), "http://[fd00:ec2::254]");
        for bad in [
            "169.254.169.254",
            "ftp://h",
            "http://u:secret@h",
            "http://h/?q",
            "not a url",
        ] {
            let e = check_endpoint(bad, "X").unwrap_err();
            assert_eq!(e.kind(), ImdsErrorKind::InvalidConfiguration, "{bad}");
            assert!(e.to_string().starts_with("X "), "{e}");
            assert!(!e.to_string().contains("secret"), "{e}");
        }
    }

    #[test]
    fn modes_parse_in_any_case() {
        assert_eq!(
            "ipV6".parse::<ImdsEndpointMode>().unwrap(),
            ImdsEndpointMode::IpV6
        );
        assert_eq!(
            "IPV4".parse::<ImdsEndpointMode>().unwrap(),
            ImdsEndpointMode::IpV4
        );
        let e = "IPv7".parse::<ImdsEndpointMode>().unwrap_err();
        assert!(e.to_string().contains("`IPv4` or `IPv6`"), "{e}");
    }
}
