//! Credentials and the one trait every source of them implements, with what the
//! client builds on it: the cache it signs from, a chain of providers, and the
//! clock expiry is measured by. The providers themselves are in
//! [`crate::credentials`], which re-exports all of this.

mod cache;
mod chain;
mod clock;

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

pub use cache::{CacheSettings, CredentialsCache};
pub use chain::CredentialsChain;
pub use clock::{Clock, ManualClock, Sleep, SystemClock, TokioSleep};

use crate::transport::BoxFuture;

/// AWS credentials: an access key id, its secret access key and, for temporary
/// credentials, a session token and an expiry.
///
/// `Debug` prints the access key id, the expiry and where the credentials came
/// from, but never the secret or the token (they print as [`crate::REDACTED`]).
/// There is deliberately no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    account_id: Option<String>,
    source: String,
}

impl Credentials {
    /// Credentials given in code; their [`source`](Self::source) is `static` and
    /// they do not expire.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
            account_id: None,
            source: "static".to_owned(),
        }
    }

    /// The same credentials, said to come from `source` (for error messages).
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }

    /// The same credentials, valid until `expiry`.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The same credentials, with the expiry replaced (`None`: they never expire).
    pub fn with_expiry_opt(mut self, expiry: Option<SystemTime>) -> Self {
        self.expiry = expiry;
        self
    }

    /// The same credentials, for the account `account_id`.
    pub fn with_account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// The access key id (`AKIA…`, `ASIA…`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When temporary credentials stop working; `None` for long-term keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// The AWS account the credentials belong to, when the provider says.
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }

    /// Where the credentials came from, for messages: `static`,
    /// `environment variables`, ``profile `dev` in /home/u/.aws/credentials``,
    /// `instance metadata (role web)`.
    pub fn source(&self) -> &str {
        &self.source
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &crate::REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| crate::REDACTED),
            )
            .field("expiry", &self.expiry.map(rfc3339))
            .field("account_id", &self.account_id)
            .field("source", &self.source)
            .finish()
    }
}

/// `time` as RFC 3339 (whole seconds, UTC), for messages.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let seconds = match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    };
    querygen_runtime::DateTime::from_secs(seconds).to_rfc3339_micros()
}

/// Why a provider gave no credentials.
///
/// [`CredentialsErrorKind::NotLoaded`] means "not configured here": a
/// [`CredentialsChain`] then asks its next provider. Every other kind stops the
/// chain, as in the AWS SDKs: the provider was configured and failed. Messages
/// name what failed and where (a variable, a file and line, a URL, a command's
/// exit status), never a secret.
#[derive(Debug)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What kind of failure a [`CredentialsError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// This provider is not configured; a chain goes on to the next.
    NotLoaded,
    /// The configuration is wrong (a bad value, a missing key, a profile cycle).
    InvalidConfiguration,
    /// The provider is configured, but fetching credentials failed (an HTTP or
    /// service error, a process that failed, an unreadable file, a bad answer).
    ProviderError,
    /// The provider did not answer in time.
    TimedOut,
}

impl CredentialsError {
    /// An error of `kind` described by `message`.
    pub fn new(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// This provider is not configured (a chain moves on).
    pub fn not_loaded(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::NotLoaded, message)
    }

    /// The provider's configuration is wrong.
    pub fn invalid_configuration(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::InvalidConfiguration, message)
    }

    /// The provider failed to fetch credentials.
    pub fn provider_error(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::ProviderError, message)
    }

    /// Keeps `source` as the underlying cause. Its `Display` must hold no secret.
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The same error with `context: ` put before its message.
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// Whether the provider was simply not configured.
    pub fn is_not_loaded(&self) -> bool {
        self.kind == CredentialsErrorKind::NotLoaded
    }

    /// The description, without the source's.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// What a provider's call returns.
pub type CredentialsFuture<'a> = BoxFuture<'a, Result<Credentials, CredentialsError>>;

/// Something that produces credentials on demand.
///
/// Implement it to plug a source of your own into the client or a chain:
///
/// ```
/// use querygen_client::credentials::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl ProvideCredentials for FromVault {
///     fn provide_credentials(&self) -> CredentialsFuture<'_> {
///         Box::pin(async {
///             // Fetch them from wherever they live; say `not_loaded` if not configured here.
///             Ok(Credentials::new("AKIDEXAMPLE", "secret", None).with_source("vault"))
///         })
///     }
/// }
///
/// let config = querygen_client::Config::builder()
///     .region("us-east-1")
///     .credentials_provider(FromVault)
///     .build();
/// # let _ = config;
/// ```
///
/// A provider is called again only when the cached credentials near their
/// expiry (see [`CredentialsCache`]), so it need not cache by itself.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Fresh credentials, or why there are none.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;

    /// The name chains use in their combined error (`Environment`, `Profile`, …).
    fn name(&self) -> &str {
        "custom"
    }
}

/// Static credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }

    fn name(&self) -> &str {
        "Static"
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }

    fn name(&self) -> &str {
        (**self).name()
    }
}

/// A provider behind an `Arc`, cheap to clone and share.
#[derive(Clone, Debug)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    /// Shares `provider`.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self(Arc::new(provider))
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.0.provide_credentials()
    }

    fn name(&self) -> &str {
        self.0.name()
    }
}
