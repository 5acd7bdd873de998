//! The client's configuration: what [`ConfigBuilder`] collects from code and
//! from [`ConfigBuilder::from_env`], and the [`Config`] a client is made with.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::EnvSettings;
use crate::identity::{
    CacheSettings, Clock, Credentials, ProvideCredentials, SharedCredentialsProvider, Sleep,
    SystemClock, TokioSleep,
};
use crate::intercept::{Intercept, SharedInterceptor};
use crate::proxy::ProxyConfig;
use crate::retry::{RetryConfig, RetryMode};
use crate::tls::TrustRoots;
use crate::transport::{BoxFuture, Transport, TransportSettings};

/// Finds the region when neither code, the environment nor the profile gives one
/// (the instance metadata service: [`crate::credentials::ImdsRegionProvider`]).
pub trait ProvideRegion: Send + Sync + fmt::Debug {
    /// The region, or `None` if there is none to be found.
    fn region(&self) -> BoxFuture<'_, Option<String>>;
}

/// Client configuration. Make one with [`Config::builder`] or [`ConfigBuilder::from_env`].
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    /// Asked on the first call when `region` is `None`.
    pub(crate) region_provider: Option<Arc<dyn ProvideRegion>>,
    pub(crate) credentials: Option<SharedCredentialsProvider>,
    /// Requests go unsigned ([`ConfigBuilder::no_credentials`]).
    pub(crate) anonymous: bool,
    pub(crate) cache_settings: CacheSettings,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) sleep: Arc<dyn Sleep>,
    pub(crate) clock_skew_correction: bool,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) retry: RetryConfig,
    pub(crate) connect_timeout: Duration,
    pub(crate) pool_idle_timeout: Duration,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) stalled_stream_grace_period: Option<Duration>,
    pub(crate) proxy: ProxyConfig,
    pub(crate) trust_roots: TrustRoots,
    pub(crate) transport: Option<Arc<dyn Transport>>,
    /// Run on every call, in order, before the call's own.
    pub(crate) interceptors: Vec<SharedInterceptor>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Credentials`' own Debug redacts the secret and the token.
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("region_provider", &self.region_provider)
            .field("credentials", &self.credentials)
            .field("anonymous", &self.anonymous)
            .field("cache_settings", &self.cache_settings)
            .field("clock", &self.clock)
            .field("sleep", &self.sleep)
            .field("clock_skew_correction", &self.clock_skew_correction)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .field("connect_timeout", &self.connect_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field(
                "stalled_stream_grace_period",
                &self.stalled_stream_grace_period,
            )
            .field("proxy", &self.proxy)
            .field("trust_roots", &self.trust_roots)
            .field("transport", &self.transport)
            .field("interceptors", &self.interceptors)
            .finish()
    }
}

impl Config {
    /// A builder with no settings: the defaults below, and no region or credentials.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The region requests go to and are signed for.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint URL that replaces the resolved one, if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether to use the FIPS endpoint.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether to use the dual-stack endpoint.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// Where the credentials requests are signed with come from.
    pub fn credentials_provider(&self) -> Option<&SharedCredentialsProvider> {
        self.credentials.as_ref()
    }

    /// The clock requests are signed by and credentials expire by.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The settings the default transport is made with.
    pub fn transport_settings(&self) -> TransportSettings {
        TransportSettings {
            connect_timeout: self.connect_timeout,
            pool_idle_timeout: self.pool_idle_timeout,
            stalled_stream_grace_period: self.stalled_stream_grace_period,
            proxy: self.proxy.clone(),
            trust_roots: self.trust_roots.clone(),
            ..TransportSettings::default()
        }
    }

    /// The interceptors every call runs, in order.
    pub fn interceptors(&self) -> &[SharedInterceptor] {
        &self.interceptors
    }

    /// Whether requests are signed at the time the service's `Date` headers show
    /// rather than by the local clock alone. Default: on.
    pub fn clock_skew_correction(&self) -> bool {
        self.clock_skew_correction
    }
}

/// Builds a [`Config`]. Each setter overrides what [`ConfigBuilder::from_env`] found.
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {
    pub(crate) region: Option<String>,
    region_provider: Option<Arc<dyn ProvideRegion>>,
    credentials: Option<SharedCredentialsProvider>,
    anonymous: bool,
    cache_settings: Option<CacheSettings>,
    clock: Option<Arc<dyn Clock>>,
    sleep: Option<Arc<dyn Sleep>>,
    clock_skew_correction: Option<bool>,
    endpoint_url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    retry: Option<RetryConfig>,
    max_attempts: Option<u32>,
    retry_mode: Option<RetryMode>,
    connect_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    /// `Some(None)`: protection turned off.
    stalled_stream_grace_period: Option<Option<Duration>>,
    proxy: Option<ProxyConfig>,
    trust_roots: Option<TrustRoots>,
    transport: Option<TransportSlot>,
    interceptors: Vec<SharedInterceptor>,
}

#[derive(Clone)]
struct TransportSlot(Arc<dyn Transport>);

impl fmt::Debug for TransportSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ConfigBuilder {
    /// A builder that starts from `settings`.
    pub fn from_settings(settings: EnvSettings) -> Self {
        Self {
            region: settings.region,
            endpoint_url: settings.endpoint_url,
            use_fips: settings.use_fips,
            use_dual_stack: settings.use_dual_stack,
            max_attempts: settings.max_attempts,
            proxy: Some(settings.proxy),
            trust_roots: settings.ca_bundle,
            retry_mode: settings.retry_mode,
            clock_skew_correction: settings.disable_clock_skew_correction.map(|off| !off),
            ..Self::default()
        }
    }

    /// The region requests go to and are signed for (`us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Where to look for the region on the first call if none is set by then.
    pub fn region_provider(mut self, provider: impl ProvideRegion + 'static) -> Self {
        self.region_provider = Some(Arc::new(provider));
        self
    }

    /// Signs requests with these fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(credentials));
        self.anonymous = false;
        self
    }

    /// Sends requests unsigned, with no credentials at all (for operations that
    /// take none, such as STS's AssumeRoleWithWebIdentity).
    pub fn no_credentials(mut self) -> Self {
        self.credentials = None;
        self.anonymous = true;
        self
    }

    /// Signs requests with what `provider` gives. The client caches it and calls
    /// the provider again only as the credentials near their expiry.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(provider));
        self.anonymous = false;
        self
    }

    /// When cached credentials are refreshed. Default: [`CacheSettings::default`].
    pub fn credentials_cache_settings(mut self, settings: CacheSettings) -> Self {
        self.cache_settings = Some(settings);
        self
    }

    /// Reads time from `clock` instead of the system's (for signing and expiry; tests).
    pub fn clock(self, clock: impl Clock + 'static) -> Self {
        self.clock_shared(Arc::new(clock))
    }

    /// [`clock`](Self::clock), already shared.
    pub fn clock_shared(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Waits (retry backoff, adaptive rate limiting) with `sleep` instead of
    /// tokio's timer. A [`ManualClock`](crate::credentials::ManualClock) given as
    /// both clock and sleep runs a test in simulated time.
    pub fn sleep(mut self, sleep: impl Sleep + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// Whether to learn the service's time from its responses' `Date` headers and
    /// sign with it (retrying a request refused as signed at the wrong time).
    /// Default: on, unless `AWS_DISABLE_CLOCK_SKEW_CORRECTION` or the profile's
    /// `disable_clock_skew_correction` is `true`.
    pub fn clock_skew_correction(mut self, on: bool) -> Self {
        self.clock_skew_correction = Some(on);
        self
    }

    /// Sends every request to this URL (`http://127.0.0.1:5000`) instead of the resolved endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Uses the FIPS endpoint of the region.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.use_fips = Some(on);
        self
    }

    /// Uses the dual-stack (IPv4 and IPv6) endpoint of the region.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = Some(on);
        self
    }

    /// Replaces the retry settings.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self.max_attempts = None;
        self.retry_mode = None;
        self
    }

    /// The retry mode (`AWS_RETRY_MODE`). Default: standard.
    pub fn retry_mode(mut self, mode: RetryMode) -> Self {
        self.retry_mode = Some(mode);
        self
    }

    /// Attempts in all, the first included (at least 1). Default 3.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Longest wait for a connection. Default 3.1 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long the default transport keeps an idle connection open. Default 90 s.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = Some(timeout);
        self
    }

    /// Longest wait for one attempt's complete response, once sent. Default: none.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Longest time for a whole call, retries and backoff included. Default: none.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Stalled-stream protection: fail an attempt whose response body makes no
    /// progress for `grace` (a retryable error). Default 5 s, as in the AWS SDKs.
    pub fn stalled_stream_grace_period(mut self, grace: Duration) -> Self {
        self.stalled_stream_grace_period = Some(Some(grace));
        self
    }

    /// Turns stalled-stream protection off: a stalled body then waits for the read
    /// or operation timeout, if any.
    pub fn no_stalled_stream_protection(mut self) -> Self {
        self.stalled_stream_grace_period = Some(None);
        self
    }

    /// Sends requests through these proxies (instead of those of the environment,
    /// which [`from_env`](Self::from_env) reads). [`ProxyConfig::none`] turns proxies off.
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// Sends every request directly, whatever `HTTPS_PROXY` and the rest say.
    pub fn no_proxy(self) -> Self {
        self.proxy(ProxyConfig::none())
    }

    /// Trusts these certificate authorities for `https` (instead of Mozilla's, or of
    /// the bundle that `AWS_CA_BUNDLE` or the profile's `ca_bundle` names).
    pub fn trust_roots(mut self, roots: TrustRoots) -> Self {
        self.trust_roots = Some(roots);
        self
    }

    /// Sends requests through `transport` instead of the default HTTPS client.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(TransportSlot(Arc::new(transport)));
        self
    }

    /// Adds an interceptor that every call runs (see [`crate::intercept`]);
    /// interceptors run in the order they were added.
    pub fn interceptor(mut self, interceptor: impl Intercept + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// The configuration.
    pub fn build(self) -> Config {
        let mut retry = self.retry.unwrap_or_default();
        if let Some(attempts) = self.max_attempts {
            retry.max_attempts = attempts.max(1);
        }
        if let Some(mode) = self.retry_mode {
            retry.mode = mode;
        }
        Config {
            region: self.region,
            region_provider: self.region_provider,
            credentials: self.credentials,
            anonymous: self.anonymous,
            cache_settings: self.cache_settings.unwrap_or_default(),
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            sleep: self.sleep.unwrap_or_else(|| Arc::new(TokioSleep)),
            clock_skew_correction: self.clock_skew_correction.unwrap_or(true),
            endpoint_url: self.endpoint_url,
            use_fips: self.use_fips.unwrap_or(false),
            use_dual_stack: self.use_dual_stack.unwrap_or(false),
            retry,
            connect_timeout: self
                .connect_timeout
                .unwrap_or(TransportSettings::default().connect_timeout),
            pool_idle_timeout: self
                .pool_idle_timeout
                .unwrap_or(TransportSettings::default().pool_idle_timeout),
            read_timeout: self.read_timeout,
            operation_timeout: self.operation_timeout,
            stalled_stream_grace_period: self
                .stalled_stream_grace_period
                .unwrap_or(TransportSettings::default().stalled_stream_grace_period),
            proxy: self.proxy.unwrap_or_default(),
            trust_roots: self.trust_roots.unwrap_or_default(),
            transport: self.transport.map(|slot| slot.0),
            interceptors: self.interceptors,
        }
    }
}
