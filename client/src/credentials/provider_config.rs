//! What every provider reads and talks through.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::{Clock, CredentialsError, SystemClock};
use crate::env::profile::{Profile, ProfileFiles};
use crate::env::Env;
use crate::proxy::ProxyConfig;
use crate::tls::TrustRoots;
use crate::transport::Transport;

/// The surroundings of the providers: the environment (variables and home
/// directory), the selected profile of the shared files, a clock and an HTTP
/// transport. Cheap to clone; clones share the files once read.
///
/// [`ProviderConfig::from_env`] reads the real process; tests build one with
/// [`Env::from_pairs`], a [`ManualClock`](super::ManualClock) and a transport of
/// their own, so that nothing depends on the machine running them.
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    env: Env,
    clock: Arc<dyn Clock>,
    transport: Option<Arc<dyn Transport>>,
    /// `None`: not given, so `from_env` may give the environment's.
    proxy: Option<ProxyConfig>,
    trust_roots: Option<TrustRoots>,
    profile_name: Option<String>,
    region: Option<String>,
    files: Arc<OnceLock<Result<ProfileFiles, String>>>,
}

impl ProviderConfig {
    /// The process environment, the system clock and the default transport.
    pub fn from_env() -> Self {
        Self::new(Env::from_process())
    }

    /// `env`, the system clock and the default transport.
    pub fn new(env: Env) -> Self {
        Self {
            env,
            clock: Arc::new(SystemClock),
            transport: None,
            proxy: None,
            trust_roots: None,
            profile_name: None,
            region: None,
            files: Arc::new(OnceLock::new()),
        }
    }

    /// Reads time from `clock`.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Sends every provider's HTTP requests through `transport` (its own
    /// connect timeout then applies, not the providers').
    pub fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The proxies the default transport of the providers uses. Without it,
    /// [`ConfigBuilder::from_env`](crate::ConfigBuilder::from_env) gives them the
    /// environment's. Instance and container metadata endpoints are reached
    /// directly whatever it says.
    pub fn with_proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// The certificate authorities the default transport of the providers trusts.
    /// Without it, [`ConfigBuilder::from_env`](crate::ConfigBuilder::from_env) gives
    /// them the environment's or the profile's bundle, if any.
    pub fn with_trust_roots(mut self, roots: TrustRoots) -> Self {
        self.trust_roots = Some(roots);
        self
    }

    /// Gives the environment's proxies and CA bundle where none was given in code.
    pub(crate) fn with_network_defaults(
        mut self,
        proxy: &ProxyConfig,
        roots: Option<&TrustRoots>,
    ) -> Self {
        self.proxy.get_or_insert_with(|| proxy.clone());
        if self.trust_roots.is_none() {
            self.trust_roots = roots.cloned();
        }
        self
    }

    /// Selects the profile `name` instead of `AWS_PROFILE` or `default`.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self
    }

    /// The region STS calls go to (the client's region, resolved before the credentials).
    pub fn with_region(mut self, region: Option<String>) -> Self {
        self.region = region;
        self
    }

    /// The environment.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The region, if known.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The selected profile's name: given in code, else `AWS_PROFILE`, else `default`.
    pub fn profile_name(&self) -> String {
        self.profile_name
            .clone()
            .or_else(|| self.env.var("AWS_PROFILE"))
            .unwrap_or_else(|| "default".to_owned())
    }

    /// The shared config and credentials files, read once.
    pub fn profile_files(&self) -> Result<&ProfileFiles, CredentialsError> {
        self.files
            .get_or_init(|| ProfileFiles::load(&self.env).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|message| CredentialsError::invalid_configuration(message.clone()))
    }

    /// The selected profile, if either file has it.
    pub fn profile(&self) -> Result<Option<Profile>, CredentialsError> {
        Ok(self.profile_files()?.profile(&self.profile_name()))
    }

    /// The transport given with [`with_transport`](Self::with_transport), else a new
    /// default one (hyper and rustls) with this connect timeout.
    pub fn transport(
        &self,
        connect_timeout: Duration,
    ) -> Result<Arc<dyn Transport>, CredentialsError> {
        if let Some(transport) = &self.transport {
            return Ok(Arc::clone(transport));
        }
        self.default_transport(connect_timeout)
    }

    #[cfg(feature = "rustls")]
    fn default_transport(
        &self,
        connect_timeout: Duration,
    ) -> Result<Arc<dyn Transport>, CredentialsError> {
        let settings = crate::TransportSettings {
            connect_timeout,
            proxy: self
                .proxy
                .clone()
                .unwrap_or_default()
                .for_metadata_endpoints(),
            trust_roots: self.trust_roots.clone().unwrap_or_default(),
            ..crate::TransportSettings::default()
        };
        Ok(Arc::new(crate::HyperTransport::new(settings)))
    }

    #[cfg(not(feature = "rustls"))]
    fn default_transport(
        &self,
        _connect_timeout: Duration,
    ) -> Result<Arc<dyn Transport>, CredentialsError> {
        Err(CredentialsError::invalid_configuration(
            "no HTTP transport for the credential providers: enable the `rustls` feature or give one with `ProviderConfig::with_transport`",
        ))
    }
}
