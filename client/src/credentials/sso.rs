//! Credentials from IAM Identity Center (SSO): the access token `aws sso login`
//! leaves in the token cache, exchanged at the SSO portal for role credentials.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use http::header::HeaderValue;
use http::HeaderMap;
use sha1::{Digest, Sha1};

use super::json::Document;
use super::{
    Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture, ProvideCredentials,
    ProviderConfig,
};
use crate::env::profile::{Profile, Property, Section};
use crate::transport::{HttpResponse, Transport, TransportErrorKind};
use crate::RetryConfig;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Attempts in all for throttling, 5xx and connection failures. The portal is
/// behind a user waiting at a prompt, so the backoff stays short.
const RETRY: RetryConfig = RetryConfig {
    mode: crate::RetryMode::Standard,
    max_attempts: 3,
    initial_backoff: Duration::from_millis(200),
    max_backoff: Duration::from_secs(1),
};
const TOKEN_HEADER: &str = "x-amz-sso_bearer_token";

/// Credentials for one account and role of IAM Identity Center (formerly AWS SSO).
///
/// On every call the provider reads the access token that `aws sso login` wrote to
/// `<cache folder>/<SHA-1 of the session name or start URL>.json`, and sends it to
/// the SSO portal's `GetRoleCredentials` (`GET /federation/credentials`) for
/// temporary credentials of `account_id` and `role_name`. The token is never kept
/// in the provider, and never appears in `Debug`, messages or log events.
///
/// Two forms, as in the shared config file:
/// - **session** ([`with_session_name`](Self::with_session_name)): the token cache
///   file is named after the `[sso-session NAME]`;
/// - **legacy**: it is named after the start URL.
///
/// This provider does not refresh tokens: it only reads the cache (unlike the AWS
/// SDK for Rust, which refreshes session tokens through SSO-OIDC `CreateToken`
/// and rewrites the cache). A missing or expired token is an error that tells the
/// user to run `aws sso login`. An expired token is caught here for both forms
/// (the AWS SDK for Rust checks only the session form and lets the portal reject a
/// legacy one), so that the message says what to do rather than what the portal
/// answered.
///
/// The portal is `https://portal.sso.{sso_region}.amazonaws.com` unless
/// [`with_portal_endpoint`](Self::with_portal_endpoint) says otherwise. Requests
/// time out after 3 s to connect and 5 s to answer; throttling, 5xx answers and
/// connection failures are tried up to 3 times. `sso_region` must be a host
/// label (letters, digits, `-`) so that it cannot move the token to another host.
/// A portal error is reported by status and error type; its message is not shown,
/// as it is text from the network.
#[derive(Clone)]
pub struct SsoCredentialsProvider {
    config: ProviderConfig,
    start_url: String,
    sso_region: String,
    account_id: String,
    role_name: String,
    session_name: Option<String>,
    profile_name: Option<String>,
    cache_dir: Option<PathBuf>,
    portal_endpoint: Option<String>,
    // Built on the first fetch, then reused (clones share it).
    transport: Arc<OnceLock<Arc<dyn Transport>>>,
}

impl SsoCredentialsProvider {
    /// The legacy form: a start URL and its region, for `account_id` and
    /// `role_name`. `config` gives the home directory (the token cache is
    /// `<home>/.aws/sso/cache`), the clock and the transport.
    pub fn new(
        config: &ProviderConfig,
        start_url: impl Into<String>,
        sso_region: impl Into<String>,
        account_id: impl Into<String>,
        role_name: impl Into<String>,
    ) -> Self {
        Self {
            cache_dir: config
                .env()
                .home()
                .map(|home| home.join(".aws").join("sso").join("cache")),
            config: config.clone(),
            start_url: start_url.into(),
            sso_region: sso_region.into(),
            account_id: account_id.into(),
            role_name: role_name.into(),
            session_name: None,
            profile_name: None,
            portal_endpoint: None,
            transport: Arc::new(OnceLock::new()),
        }
    }

    /// The session form: the token is the one of the `[sso-session name]` section
    /// (its cache file is named after `name`, not the start URL).
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// The profile these settings come from, named in messages and in the
    /// `aws sso login --profile` they suggest.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self
    }

    /// Reads tokens from `dir` instead of `<home>/.aws/sso/cache`.
    pub fn with_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }

    /// Sends `GetRoleCredentials` to `url` (scheme, host and port, such as
    /// `http://127.0.0.1:8080`) instead of `https://portal.sso.{sso_region}.amazonaws.com`.
    pub fn with_portal_endpoint(mut self, url: impl Into<String>) -> Self {
        self.portal_endpoint = Some(url.into());
        self
    }

    /// The provider for the SSO settings of `profile` (named `profile_name`), or
    /// `None` when the profile asks for no SSO role: it has neither
    /// `sso_account_id` nor `sso_role_name` (a profile for an SSO token only).
    ///
    /// The session form is `sso_session`, `sso_account_id` and `sso_role_name` in
    /// the profile, with `sso_start_url` and `sso_region` in the config file's
    /// `[sso-session NAME]` section; the legacy form has all four `sso_*` keys in the
    /// profile. As in the AWS SDK for Rust, a profile with `sso_session` must not set
    /// `sso_start_url` or `sso_region` itself. Errors
    /// ([`InvalidConfiguration`](CredentialsErrorKind::InvalidConfiguration)) name the
    /// key, the profile, and the file and line.
    pub fn from_profile(
        config: &ProviderConfig,
        profile_name: &str,
        profile: &Profile,
    ) -> Result<Option<Self>, CredentialsError> {
        let account = setting(profile, "sso_account_id");
        let role = setting(profile, "sso_role_name");
        let (account, role) = match (account, role) {
            (None, None) => return Ok(None),
            (Some(account), Some(role)) => (account, role),
            (Some(set), None) | (None, Some(set)) => {
                let missing = if set.key() == "sso_account_id" {
                    "sso_role_name"
                } else {
                    "sso_account_id"
                };
                return Err(CredentialsError::invalid_configuration(format!(
                    "profile `{profile_name}` sets `{}` ({}) but not `{missing}`: SSO credentials need both",
                    set.key(),
                    set.location()
                )));
            }
        };
        let (start_url, region, session) = match setting(profile, "sso_session") {
            Some(session) => {
                let (start_url, region) = session_settings(config, profile_name, profile, session)?;
                (start_url, region, Some(session.value()))
            }
            None => {
                let required = |key: &str| {
                    setting(profile, key).ok_or_else(|| {
                        CredentialsError::invalid_configuration(format!(
                            "profile `{profile_name}` sets `sso_account_id` ({}) but not `{key}`: \
                             SSO credentials need `{key}` in the profile, or `sso_session` naming an \
                             `[sso-session]` section that has it",
                            account.location()
                        ))
                    })
                };
                (required("sso_start_url")?, required("sso_region")?, None)
            }
        };
        if !is_host_label(region.value()) {
            return Err(CredentialsError::invalid_configuration(format!(
                "`sso_region` ({}) is not a region name",
                region.location()
            )));
        }
        let mut provider = Self::new(
            config,
            start_url.value(),
            region.value(),
            account.value(),
            role.value(),
        )
        .with_profile_name(profile_name);
        if let Some(session) = session {
            provider = provider.with_session_name(session);
        }
        Ok(Some(provider))
    }

    /// The start URL (`https://my-org.awsapps.com/start`).
    pub fn start_url(&self) -> &str {
        &self.start_url
    }

    /// The region of IAM Identity Center.
    pub fn sso_region(&self) -> &str {
        &self.sso_region
    }

    /// The account the role is in.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The role (permission set) name.
    pub fn role_name(&self) -> &str {
        &self.role_name
    }

    /// The `[sso-session]` name in the session form; `None` in the legacy form.
    pub fn session_name(&self) -> Option<&str> {
        self.session_name.as_deref()
    }

    /// The profile the settings came from, if known.
    pub fn profile_name(&self) -> Option<&str> {
        self.profile_name.as_deref()
    }

    /// The token cache file: `<cache folder>/<lower-hex SHA-1>.json` of the session
    /// name (session form) or the start URL (legacy form). `None` when no cache
    /// folder was given and no home directory is known.
    pub fn cache_file(&self) -> Option<PathBuf> {
        let key = self.session_name.as_deref().unwrap_or(&self.start_url);
        let hash = Sha1::digest(key.as_bytes());
        let mut name = String::with_capacity(45);
        for byte in hash.iter() {
            name.push(hex_digit(byte >> 4));
            name.push(hex_digit(byte & 0x0f));
        }
        name.push_str(".json");
        self.cache_dir.as_ref().map(|dir| dir.join(name))
    }

    /// The portal `GetRoleCredentials` is sent to.
    pub fn portal_endpoint(&self) -> String {
        match &self.portal_endpoint {
            Some(url) => url.clone(),
            None => format!("https://portal.sso.{}.amazonaws.com", self.sso_region),
        }
    }

    /// What to tell the user to run to get a fresh token.
    fn login_hint(&self) -> String {
        match (&self.profile_name, &self.session_name) {
            (Some(profile), _) => format!("run `aws sso login --profile {profile}` to sign in"),
            (None, Some(session)) => {
                format!("run `aws sso login --sso-session {session}` to sign in")
            }
            (None, None) => format!(
                "run `aws sso login` with a profile for the start URL {} to sign in",
                self.start_url
            ),
        }
    }

    /// The access token from the cache file, checked against the clock, as a
    /// header value marked sensitive.
    fn load_token(&self) -> Result<HeaderValue, CredentialsError> {
        let Some(path) = self.cache_file() else {
            return Err(CredentialsError::invalid_configuration(
                "cannot find the SSO token cache: no home directory is known (HOME is not set)",
            ));
        };
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CredentialsError::provider_error(format!(
                    "no SSO token: {} does not exist; {}",
                    path.display(),
                    self.login_hint()
                )))
            }
            Err(e) => {
                return Err(CredentialsError::provider_error(format!(
                    "cannot read the SSO token cache file {}",
                    path.display()
                ))
                .with_source(e))
            }
        };
        let what = format!("the SSO token cache file {}", path.display());
        let document = Document::parse(&what, &bytes)?;
        let token = document.string("accessToken")?;
        let expires_at = document
            .optional_rfc3339("expiresAt")?
            .ok_or_else(|| document.missing("expiresAt"))?;
        if self.config.clock().now() >= expires_at {
            return Err(CredentialsError::provider_error(format!(
                "the SSO token in {} expired at {}; {}",
                path.display(),
                super::rfc3339(expires_at),
                self.login_hint()
            )));
        }
        let mut bearer = HeaderValue::from_str(&token).map_err(|_| {
            CredentialsError::provider_error(format!(
                "the `accessToken` in {} is not a valid HTTP header value; {}",
                path.display(),
                self.login_hint()
            ))
        })?;
        bearer.set_sensitive(true);
        Ok(bearer)
    }

    fn transport(&self) -> Result<Arc<dyn Transport>, CredentialsError> {
        if let Some(transport) = self.transport.get() {
            return Ok(Arc::clone(transport));
        }
        let transport = self.config.transport(CONNECT_TIMEOUT)?;
        // Another caller may have set it meanwhile; either transport will do.
        let _ = self.transport.set(Arc::clone(&transport));
        Ok(transport)
    }

    /// The token, exchanged at the portal for role credentials.
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let endpoint = self.portal_endpoint();
        // The token goes to this host: make sure `sso_region` cannot move it elsewhere.
        if self.portal_endpoint.is_none() && !is_host_label(&self.sso_region) {
            return Err(CredentialsError::invalid_configuration(format!(
                "the SSO region {:?} is not a region name",
                self.sso_region
            )));
        }
        let mut url = endpoint.trim_end_matches('/').to_owned();
        url.push_str("/federation/credentials?account_id=");
        querygen_runtime::query::encode_into(&mut url, &self.account_id);
        url.push_str("&role_name=");
        querygen_runtime::query::encode_into(&mut url, &self.role_name);
        let uri: http::Uri = url.parse().map_err(|_| {
            CredentialsError::invalid_configuration(format!(
                "the SSO portal endpoint {endpoint:?} does not make a valid URL"
            ))
        })?;

        let bearer = self.load_token()?;

        let transport = self.transport()?;
        let mut attempt = 1;
        loop {
            let request = http::Request::get(uri.clone())
                .header(TOKEN_HEADER, bearer.clone())
                .body(Vec::new())
                .map_err(|_| {
                    CredentialsError::invalid_configuration(format!(
                        "cannot build a request to the SSO portal {endpoint}"
                    ))
                })?;
            let failure = match tokio::time::timeout(READ_TIMEOUT, transport.send(request)).await {
                Ok(Ok(response)) if response.status().is_success() => {
                    return self.credentials_from(&response);
                }
                Ok(Ok(response)) => {
                    let status = response.status().as_u16();
                    let error = self.status_error(&endpoint, &response);
                    Attempt {
                        error,
                        retry: status == 429 || (500..600).contains(&status),
                        what: format!("HTTP {status}"),
                    }
                }
                Ok(Err(e)) => Attempt {
                    retry: matches!(
                        e.kind(),
                        TransportErrorKind::Connect
                            | TransportErrorKind::Io
                            | TransportErrorKind::Timeout
                    ),
                    what: e.kind().to_string(),
                    error: CredentialsError::provider_error(format!(
                        "cannot reach the SSO portal {endpoint}"
                    ))
                    .with_source(e),
                },
                Err(_) => Attempt {
                    retry: true,
                    what: "timeout".to_owned(),
                    error: CredentialsError::new(
                        CredentialsErrorKind::TimedOut,
                        format!(
                            "the SSO portal {endpoint} did not answer within {} s",
                            READ_TIMEOUT.as_secs()
                        ),
                    ),
                },
            };
            if !failure.retry || attempt >= RETRY.max_attempts {
                return Err(failure.error);
            }
            let delay = crate::backoff(&RETRY, attempt, crate::random_unit());
            tracing::debug!(
                attempt,
                failure = %failure.what,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "SSO GetRoleCredentials failed; retrying"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// The credentials in a 2xx answer.
    fn credentials_from(&self, response: &HttpResponse) -> Result<Credentials, CredentialsError> {
        let answer = Document::parse("the SSO portal's answer", response.body())?;
        let role = answer.object("roleCredentials")?;
        let access_key_id = role.string("accessKeyId")?;
        let secret_access_key = role.string("secretAccessKey")?;
        let session_token = role.string("sessionToken")?;
        let millis = role.integer("expiration")?;
        let expiry = u64::try_from(millis)
            .ok()
            .and_then(|ms| SystemTime::UNIX_EPOCH.checked_add(Duration::from_millis(ms)))
            .ok_or_else(|| role.wrong("expiration", "a time after 1970 in epoch milliseconds"))?;
        Ok(
            Credentials::new(access_key_id, secret_access_key, Some(session_token))
                .with_expiry(expiry)
                .with_account_id(&self.account_id)
                .with_source(self.source()),
        )
    }

    /// `SSO (profile `dev`, account 111122223333, role ReadOnly)`, for messages.
    fn source(&self) -> String {
        let profile = self
            .profile_name
            .as_ref()
            .map(|p| format!("profile `{p}`, "))
            .unwrap_or_default();
        format!(
            "SSO ({profile}account {}, role {})",
            self.account_id, self.role_name
        )
    }

    /// The error for a non-2xx answer: the status, the error type when the portal
    /// says, never the body (it is not ours to show).
    fn status_error(&self, endpoint: &str, response: &HttpResponse) -> CredentialsError {
        let status = response.status().as_u16();
        let described = match error_type(response.headers(), response.body()) {
            Some(kind) => format!("HTTP {status}, {kind}"),
            None => format!("HTTP {status}"),
        };
        if status == 401 || status == 403 {
            return CredentialsError::provider_error(format!(
                "the SSO portal {endpoint} rejected the access token ({described}): it may \
                 have expired or been revoked; {}",
                self.login_hint()
            ));
        }
        CredentialsError::provider_error(format!(
            "the SSO portal {endpoint} gave no credentials for account {} and role {} ({described})",
            self.account_id, self.role_name
        ))
    }
}

/// The settings only (none is secret); the provider config, with its parsed
/// files, is left out.
impl fmt::Debug for SsoCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoCredentialsProvider")
            .field("start_url", &self.start_url)
            .field("sso_region", &self.sso_region)
            .field("account_id", &self.account_id)
            .field("role_name", &self.role_name)
            .field("session_name", &self.session_name)
            .field("profile_name", &self.profile_name)
            .field("cache_dir", &self.cache_dir)
            .field("portal_endpoint", &self.portal_endpoint())
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for SsoCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.fetch())
    }

    fn name(&self) -> &str {
        "Sso"
    }
}

/// One failed attempt: the error to return if it is the last.
struct Attempt {
    error: CredentialsError,
    retry: bool,
    /// For the retry log event.
    what: String,
}

/// A property that is set to something (an empty value counts as unset).
fn setting<'p>(section: &'p Section, key: &str) -> Option<&'p Property> {
    section.property(key).filter(|p| !p.value().is_empty())
}

/// `sso_start_url` and `sso_region` from the `[sso-session]` section `session` names.
fn session_settings<'c>(
    config: &'c ProviderConfig,
    profile_name: &str,
    profile: &Profile,
    session: &Property,
) -> Result<(&'c Property, &'c Property), CredentialsError> {
    let name = session.value();
    for key in ["sso_start_url", "sso_region"] {
        if let Some(conflict) = profile.property(key) {
            return Err(CredentialsError::invalid_configuration(format!(
                "profile `{profile_name}` sets both `sso_session` ({}) and `{key}` ({}): with \
                 `sso_session`, set `{key}` only in the `[sso-session {name}]` section",
                session.location(),
                conflict.location()
            )));
        }
    }
    let files = config.profile_files()?;
    let section = files.sso_session(name).ok_or_else(|| {
        CredentialsError::invalid_configuration(format!(
            "profile `{profile_name}` sets `sso_session = {name}` ({}) but {} has no \
             `[sso-session {name}]` section",
            session.location(),
            files.config_path().display()
        ))
    })?;
    let required = |key: &str| {
        setting(section, key).ok_or_else(|| {
            CredentialsError::invalid_configuration(format!(
                "the `[sso-session {name}]` section of {} (used by profile `{profile_name}`, {}) \
                 has no `{key}`",
                files.config_path().display(),
                session.location()
            ))
        })
    };
    Ok((required("sso_start_url")?, required("sso_region")?))
}

/// The error type the portal names in `x-amzn-errortype` or the JSON body's
/// `__type`/`code`, without its namespace; `None` unless it looks like a type name
/// (anything else might be text not meant for messages).
fn error_type(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    let from_header = headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(':').next().unwrap_or(v).to_owned());
    let raw = from_header.or_else(|| {
        let document = Document::parse("the SSO portal's error", body).ok()?;
        ["__type", "code"]
            .iter()
            .find_map(|key| document.optional_string(key).ok().flatten())
    })?;
    let name = raw.rsplit('#').next().unwrap_or(&raw);
    let plausible = !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    plausible.then(|| name.to_owned())
}

/// Whether `s` can stand between dots in a host name (a region such as `eu-west-1`).
fn is_host_label(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Lower-case hex digit of a nibble (`n < 16`).
fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'a' + (n - 10) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels() {
        assert!(is_host_label("us-east-1"));
        assert!(!is_host_label(""));
        assert!(!is_host_label("us-east-1.evil.com/x"));
        assert!(!is_host_label("-x"));
    }

    #[test]
    fn error_types_lose_their_namespace_and_odd_text() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            error_type(
                &headers,
                br#"{"__type":"com.amazon#UnauthorizedException"}"#
            )
            .as_deref(),
            Some("UnauthorizedException")
        );
        assert_eq!(error_type(&headers, br#"{"code":"has spaces"}"#), None);
        assert_eq!(error_type(&headers, b"not json"), None);
        headers.insert(
            "x-amzn-errortype",
            HeaderValue::from_static("TooManyRequestsException:http://internal/"),
        );
        assert_eq!(
            error_type(&headers, b"").as_deref(),
            Some("TooManyRequestsException")
        );
    }
}
