//! Credentials from a container credentials endpoint: the ECS agent
//! (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`), EKS Pod Identity or any allowed
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI`.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use http::header::{ACCEPT, AUTHORIZATION};
use http::{HeaderValue, StatusCode, Uri};

use super::json::Document;
use super::{
    Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture, ProvideCredentials,
    ProviderConfig,
};
use crate::transport::{HttpResponse, Transport, TransportErrorKind};

const RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// The ECS agent's address, for `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`.
const ECS_HOST: &str = "169.254.170.2";
const ECS_AGENT: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 2);
const EKS_POD_IDENTITY_V4: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 23);
const EKS_POD_IDENTITY_V6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23);

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(5);
const ATTEMPTS: u32 = 3;
/// Host name lookups for `FULL_URI` get this long.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest `code` or `message` from an error body quoted in an error.
const QUOTE_CHARS: usize = 300;

/// Credentials from a container credentials endpoint: the ECS agent for an ECS
/// task role, the EKS Pod Identity agent, or any endpoint set in
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` that passes the checks below.
///
/// **Endpoint** (resolved on first use, then kept):
/// - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` wins: `http://169.254.170.2`
///   followed by its value (a path, query kept).
/// - Else `AWS_CONTAINER_CREDENTIALS_FULL_URI`: any `https` URL; plain `http`
///   only to a loopback address, `localhost`, `169.254.170.2`, `169.254.170.23`
///   or `[fd00:ec2::23]`. A host name is looked up and **every** address it has
///   must be one of those. A refused URL is
///   [`InvalidConfiguration`](CredentialsErrorKind::InvalidConfiguration).
/// - Neither set: [`NotLoaded`](CredentialsErrorKind::NotLoaded).
///
/// **Authorization**: the content of the file named by
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read again on every call: it
/// rotates), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`, sent verbatim as the
/// `Authorization` header. A token holding CR or LF is refused, not trimmed.
///
/// **Request**: `GET` with `Accept: application/json`; 2 s to connect, 5 s for
/// the answer; up to 3 attempts on I/O errors, timeouts, 500/502/503/504 and
/// unreadable `200` answers. The answer holds `AccessKeyId`, `SecretAccessKey`,
/// `Token`, `Expiration` and optionally `AccountId`.
///
/// Two choices differ from the AWS SDK for Rust, both only on failure paths:
/// the token is read only once an endpoint is configured (aws-config reads the
/// file first, so a stray token file stops a chain that has nothing to send it
/// to), and a failed host name lookup is not kept (a passing DNS failure would
/// otherwise break the provider for good). `localhost` counts as loopback
/// without a lookup (RFC 6761).
pub struct ContainerCredentialsProvider {
    config: ProviderConfig,
    connect_timeout: Duration,
    read_timeout: Duration,
    endpoint: tokio::sync::OnceCell<Result<Endpoint, Failure>>,
    transport: OnceLock<Result<Arc<dyn Transport>, Failure>>,
}

impl ContainerCredentialsProvider {
    /// A provider reading `config`'s environment and sending through its transport.
    pub fn new(config: &ProviderConfig) -> Self {
        Self {
            config: config.clone(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            endpoint: tokio::sync::OnceCell::new(),
            transport: OnceLock::new(),
        }
    }

    /// Waits this long for a connection (default 2 s). Applies when the
    /// provider creates its own transport, not to one given in the
    /// [`ProviderConfig`].
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Waits this long for each attempt's whole answer (default 5 s).
    pub fn with_read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// The URL requests go to, after the checks above (userinfo removed). Looks
    /// up a host name when one needs checking, but sends no request.
    pub async fn endpoint(&self) -> Result<Uri, CredentialsError> {
        Ok(self.resolved_endpoint().await?.uri.clone())
    }

    /// Fetches credentials now.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let endpoint = self.resolved_endpoint().await?;
        let authorization = self.authorization()?;
        let transport = self.transport()?;
        fetch(
            &*transport,
            endpoint,
            authorization.as_ref(),
            self.read_timeout,
        )
        .await
    }

    async fn resolved_endpoint(&self) -> Result<&Endpoint, CredentialsError> {
        let resolved = self
            .endpoint
            .get_or_try_init(|| async {
                match resolve(&self.config).await {
                    Ok(endpoint) => Ok(Ok(endpoint)),
                    // Kept: the same variables give the same answer.
                    Err(failure) if !failure.transient => Ok(Err(failure)),
                    Err(failure) => Err(failure),
                }
            })
            .await;
        match resolved {
            Ok(Ok(endpoint)) => Ok(endpoint),
            Ok(Err(failure)) => Err(failure.to_error()),
            Err(failure) => Err(failure.to_error()),
        }
    }

    fn transport(&self) -> Result<Arc<dyn Transport>, CredentialsError> {
        self.transport
            .get_or_init(|| {
                self.config
                    .transport(self.connect_timeout)
                    .map_err(|e| Failure::fixed(e.kind(), e.to_string()))
            })
            .as_ref()
            .map(Arc::clone)
            .map_err(Failure::to_error)
    }

    /// The `Authorization` header, read now. Dropped with the request.
    fn authorization(&self) -> Result<Option<HeaderValue>, CredentialsError> {
        let env = self.config.env();
        let (token, origin) = if let Some(path) = env.path_var(TOKEN_FILE) {
            let token = std::fs::read_to_string(&path).map_err(|e| {
                CredentialsError::provider_error(format!(
                    "cannot read the container authorization token from {} (named by {TOKEN_FILE})",
                    path.display()
                ))
                .with_source(e)
            })?;
            (token, format!("{TOKEN_FILE} ({})", path.display()))
        } else if let Some(token) = env.var(TOKEN) {
            (token, TOKEN.to_owned())
        } else {
            return Ok(None);
        };
        authorization_header(&token, &origin).map(Some)
    }
}

impl fmt::Debug for ContainerCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let endpoint = match self.endpoint.get() {
            Some(Ok(endpoint)) => endpoint.display.as_str(),
            Some(Err(_)) => "refused",
            None => "not resolved yet",
        };
        f.debug_struct("ContainerCredentialsProvider")
            .field("endpoint", &endpoint)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for ContainerCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }

    fn name(&self) -> &str {
        "EcsContainer"
    }
}

/// Where requests go, and how messages show it.
#[derive(Debug, Clone)]
struct Endpoint {
    uri: Uri,
    /// Scheme, host, port and path: no userinfo, no query.
    display: String,
}

/// An error that can be kept and handed out again.
#[derive(Debug, Clone)]
struct Failure {
    kind: CredentialsErrorKind,
    message: String,
    /// Worth trying again on the next call (a failed lookup).
    transient: bool,
}

impl Failure {
    fn fixed(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            transient: false,
        }
    }

    fn refused(message: impl Into<String>) -> Self {
        Self::fixed(CredentialsErrorKind::InvalidConfiguration, message)
    }

    fn to_error(&self) -> CredentialsError {
        CredentialsError::new(self.kind, self.message.clone())
    }
}

async fn resolve(config: &ProviderConfig) -> Result<Endpoint, Failure> {
    let env = config.env();
    if let Some(relative) = env.var(RELATIVE_URI) {
        if !relative.starts_with('/') {
            return Err(Failure::refused(format!(
                "{RELATIVE_URI} must be a path starting with `/`"
            )));
        }
        let uri: Uri = format!("http://{ECS_HOST}{relative}")
            .parse()
            .map_err(|e| Failure::refused(format!("{RELATIVE_URI} is not a valid path: {e}")))?;
        return endpoint(&uri).map_err(|why| Failure::refused(format!("{RELATIVE_URI} {why}")));
    }
    let Some(full) = env.var(FULL_URI) else {
        return Err(Failure::fixed(
            CredentialsErrorKind::NotLoaded,
            format!("neither {RELATIVE_URI} nor {FULL_URI} is set"),
        ));
    };
    let uri: Uri = full
        .parse()
        .map_err(|e| Failure::refused(format!("{FULL_URI} is not a valid URL: {e}")))?;
    let endpoint = endpoint(&uri).map_err(|why| Failure::refused(format!("{FULL_URI} {why}")))?;
    match uri.scheme_str() {
        Some(scheme) if scheme.eq_ignore_ascii_case("https") => return Ok(endpoint),
        Some(scheme) if scheme.eq_ignore_ascii_case("http") => {}
        _ => {
            return Err(Failure::refused(format!(
                "{FULL_URI} must be an http or https URL"
            )))
        }
    }
    let host = uri.host().unwrap_or_default();
    check_http_host(host, uri.port_u16().unwrap_or(80)).await?;
    Ok(endpoint)
}

/// `uri` without its userinfo (never sent over HTTP), and how to show it.
fn endpoint(uri: &Uri) -> Result<Endpoint, &'static str> {
    let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
        return Err("must be an absolute URL with a host");
    };
    let host_port = authority
        .as_str()
        .rsplit_once('@')
        .map_or(authority.as_str(), |(_, host_port)| host_port);
    if host_port.is_empty() {
        return Err("must be an absolute URL with a host");
    }
    let path_and_query = uri.path_and_query().map_or("/", |p| p.as_str());
    let uri = Uri::builder()
        .scheme(scheme.clone())
        .authority(host_port)
        .path_and_query(path_and_query)
        .build()
        .map_err(|_| "is not a valid URL")?;
    let display = format!("{scheme}://{host_port}{}", uri.path());
    Ok(Endpoint { uri, display })
}

/// Plain HTTP may carry credentials only to this machine or the link-local agents.
async fn check_http_host(host: &str, port: u16) -> Result<(), Failure> {
    let refusal = |why: String| {
        Failure::refused(format!(
            "{FULL_URI} uses plain http to {why}; http is allowed only to a loopback address, \
             {ECS_AGENT}, {EKS_POD_IDENTITY_V4} or [{EKS_POD_IDENTITY_V6}] (use https otherwise)"
        ))
    };
    let literal = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
    if let Ok(ip) = literal.unwrap_or(host).parse::<IpAddr>() {
        return if allowed(ip) {
            Ok(())
        } else {
            Err(refusal(format!("`{ip}`")))
        };
    }
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(());
    }
    let lookup = tokio::time::timeout(LOOKUP_TIMEOUT, tokio::net::lookup_host((host, port)));
    let addresses: Vec<IpAddr> = match lookup.await {
        Ok(Ok(addresses)) => addresses.map(|a| a.ip()).collect(),
        Ok(Err(e)) => {
            return Err(Failure {
                transient: true,
                ..Failure::refused(format!(
                "{FULL_URI} uses plain http to `{host}`, which must resolve to allowed addresses, \
                     but looking it up failed: {e}"
            ))
            })
        }
        Err(_) => {
            return Err(Failure {
                kind: CredentialsErrorKind::TimedOut,
                transient: true,
                message: format!(
                    "{FULL_URI} uses plain http to `{host}`, and looking it up took over {}s",
                    LOOKUP_TIMEOUT.as_secs()
                ),
            })
        }
    };
    if addresses.is_empty() {
        return Err(refusal(format!("`{host}`, which has no addresses")));
    }
    if let Some(bad) = addresses.iter().find(|ip| !allowed(**ip)) {
        return Err(refusal(format!("`{host}`, which resolves to {bad}")));
    }
    Ok(())
}

/// Loopback, the ECS agent, or the EKS Pod Identity agent.
fn allowed(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4 == ECS_AGENT || v4 == EKS_POD_IDENTITY_V4,
        IpAddr::V6(v6) => v6.is_loopback() || v6 == EKS_POD_IDENTITY_V6,
    }
}

/// The token as a header value; messages give at most its length.
fn authorization_header(token: &str, origin: &str) -> Result<HeaderValue, CredentialsError> {
    if token.contains(['\r', '\n']) {
        let trailing = if token.ends_with(['\r', '\n']) {
            ", at its end"
        } else {
            ""
        };
        return Err(CredentialsError::invalid_configuration(format!(
            "the container authorization token from {origin} ({} bytes) contains a line break{trailing}; \
             it is sent verbatim, so remove the CR or LF",
            token.len()
        )));
    }
    let mut value = HeaderValue::from_str(token).map_err(|_| {
        CredentialsError::invalid_configuration(format!(
            "the container authorization token from {origin} ({} bytes) has a character not allowed in an HTTP header",
            token.len()
        ))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// One attempt's outcome, when it failed.
struct AttemptError {
    error: CredentialsError,
    retry: bool,
}

async fn fetch(
    transport: &dyn Transport,
    endpoint: &Endpoint,
    authorization: Option<&HeaderValue>,
    read_timeout: Duration,
) -> Result<Credentials, CredentialsError> {
    let mut attempt = 1;
    loop {
        let outcome = attempt_once(transport, endpoint, authorization, read_timeout).await;
        match outcome {
            Ok(credentials) => return Ok(credentials),
            Err(failed) if failed.retry && attempt < ATTEMPTS => {
                tracing::debug!(
                    attempt,
                    endpoint = %endpoint.display,
                    error = %failed.error,
                    "container credentials endpoint failed; retrying"
                );
            }
            Err(failed) if failed.retry => {
                return Err(failed
                    .error
                    .context(format!("{ATTEMPTS} attempts failed, the last")))
            }
            Err(failed) => return Err(failed.error),
        }
        // 100-200 ms: the agents are local, a short pause is enough.
        let pause = Duration::from_millis(100).mul_f64(1.0 + crate::random_unit());
        tokio::time::sleep(pause).await;
        attempt += 1;
    }
}

async fn attempt_once(
    transport: &dyn Transport,
    endpoint: &Endpoint,
    authorization: Option<&HeaderValue>,
    read_timeout: Duration,
) -> Result<Credentials, AttemptError> {
    let fail = |error: CredentialsError, retry: bool| AttemptError { error, retry };
    let mut request = http::Request::get(endpoint.uri.clone())
        .header(ACCEPT, "application/json")
        .body(Vec::new())
        .map_err(|e| {
            fail(
                CredentialsError::invalid_configuration(format!(
                    "cannot build a request to the container endpoint {}: {e}",
                    endpoint.display
                )),
                false,
            )
        })?;
    if let Some(value) = authorization {
        request.headers_mut().insert(AUTHORIZATION, value.clone());
    }
    let response = match tokio::time::timeout(read_timeout, transport.send(request)).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => {
            let kind = match e.kind() {
                TransportErrorKind::Timeout => CredentialsErrorKind::TimedOut,
                _ => CredentialsErrorKind::ProviderError,
            };
            let retry = matches!(
                e.kind(),
                TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Io
            );
            let message = format!("the container endpoint {} did not answer", endpoint.display);
            return Err(fail(
                CredentialsError::new(kind, message).with_source(e),
                retry,
            ));
        }
        Err(_) => {
            let message = format!(
                "the container endpoint {} did not answer within {:?}",
                endpoint.display, read_timeout
            );
            return Err(fail(
                CredentialsError::new(CredentialsErrorKind::TimedOut, message),
                true,
            ));
        }
    };
    let status = response.status();
    if status.is_success() {
        return parse_credentials(&response, endpoint);
    }
    let retry = matches!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    );
    let mut message = format!(
        "the container endpoint {} answered {status}",
        endpoint.display
    );
    message.push_str(&error_details(response.body()));
    Err(fail(CredentialsError::provider_error(message), retry))
}

/// `: code: message` from a JSON error body, if it has them.
fn error_details(body: &[u8]) -> String {
    let Ok(document) = Document::parse("the error body", body) else {
        return String::new();
    };
    let field = |key: &str| {
        document
            .optional_string(key)
            .ok()
            .flatten()
            .map(|text| shorten(&text))
    };
    match (field("code"), field("message")) {
        (Some(code), Some(message)) => format!(": {code}: {message}"),
        (Some(only), None) | (None, Some(only)) => format!(": {only}"),
        (None, None) => String::new(),
    }
}

fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let mut short: String = chars.by_ref().take(QUOTE_CHARS).collect();
    if chars.next().is_some() {
        short.push('…');
    }
    short
}

fn parse_credentials(
    response: &HttpResponse,
    endpoint: &Endpoint,
) -> Result<Credentials, AttemptError> {
    // An unreadable answer may be a half-started agent: worth another attempt.
    let retry = |error: CredentialsError| AttemptError { error, retry: true };
    let document =
        Document::parse("the container endpoint's answer", response.body()).map_err(retry)?;
    if let Some(code) = document.optional_string("Code").map_err(retry)? {
        if code != "Success" {
            let mut message = format!(
                "the container endpoint {} answered with code {}",
                endpoint.display,
                shorten(&code)
            );
            if let Ok(Some(detail)) = document.optional_string("Message") {
                message.push_str(&format!(": {}", shorten(&detail)));
            }
            return Err(AttemptError {
                error: CredentialsError::provider_error(message),
                retry: false,
            });
        }
    }
    let access_key_id = document.string("AccessKeyId").map_err(retry)?;
    let secret_access_key = document.string("SecretAccessKey").map_err(retry)?;
    let session_token = document.string("Token").map_err(retry)?;
    let expiry = document
        .optional_rfc3339("Expiration")
        .map_err(retry)?
        .ok_or_else(|| retry(document.missing("Expiration")))?;
    let account_id = document.optional_string("AccountId").map_err(retry)?;
    let mut credentials = Credentials::new(access_key_id, secret_access_key, Some(session_token))
        .with_expiry(expiry)
        .with_source(format!("container endpoint {}", endpoint.display));
    if let Some(account_id) = account_id {
        credentials = credentials.with_account_id(account_id);
    }
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_addresses() {
        for ip in [
            "127.0.0.1",
            "127.3.2.1",
            "::1",
            "169.254.170.2",
            "169.254.170.23",
            "fd00:ec2::23",
        ] {
            assert!(allowed(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "169.254.169.254",
            "10.0.0.1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "0.0.0.0",
        ] {
            assert!(!allowed(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn userinfo_is_dropped_and_the_query_kept_for_requests_only() {
        let uri: Uri = "http://user:pw@127.0.0.1:8080/creds?a=1".parse().unwrap();
        let endpoint = endpoint(&uri).unwrap();
        assert_eq!(endpoint.uri.to_string(), "http://127.0.0.1:8080/creds?a=1");
        assert_eq!(endpoint.display, "http://127.0.0.1:8080/creds");
    }

    #[test]
    fn a_token_with_a_line_break_is_refused_without_showing_it() {
        let error = authorization_header("s3cr3t-token\n", TOKEN).unwrap_err();
        let message = error.to_string();
        assert!(!message.contains("s3cr3t"), "{message}");
        assert!(
            message.contains("13 bytes") && message.contains("line break"),
            "{message}"
        );
        assert!(authorization_header("a\rb", TOKEN).is_err());
        assert!(authorization_header("a\u{7f}b", TOKEN).is_err());
        assert!(authorization_header("Basic abc==", TOKEN)
            .unwrap()
            .is_sensitive());
    }

    #[test]
    fn error_details_quote_code_and_message_only() {
        assert_eq!(
            error_details(br#"{"code":"AccessDenied","message":"no","other":"x"}"#),
            ": AccessDenied: no"
        );
        assert_eq!(error_details(b"<html>"), "");
        let long = format!(r#"{{"message":"{}"}}"#, "m".repeat(400));
        assert_eq!(
            error_details(long.as_bytes()).chars().count(),
            2 + QUOTE_CHARS + 1
        );
    }
}
