//! [`ConfigBuilder::from_env`]: the settings of the environment and the shared
//! files, with the default credentials chain and the instance's region. It sits
//! above both the configuration and the providers, which depend on neither it
//! nor each other's upper layers.

use crate::config::{ConfigBuilder, ConfigError};
use crate::credentials::{DefaultCredentialsChain, ImdsRegionProvider, ProviderConfig};
use crate::env::Env;
use crate::handle::ServiceInfo;

impl ConfigBuilder {
    /// The settings of the process environment and the shared config and credentials
    /// files (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL_<SERVICE>`, …), with
    /// credentials from the [`DefaultCredentialsChain`]. The chain is asked on the
    /// first call, not here, so building a client never blocks or fails for want
    /// of credentials.
    pub fn from_env(service: &ServiceInfo) -> Result<Self, ConfigError> {
        Self::from_given_env(&Env::from_process(), service)
    }

    /// [`ConfigBuilder::from_env`] with the environment given rather than read.
    pub fn from_given_env(env: &Env, service: &ServiceInfo) -> Result<Self, ConfigError> {
        Self::from_provider_config(ProviderConfig::new(env.clone()), service)
    }

    /// [`ConfigBuilder::from_env`] with the providers' surroundings (environment,
    /// clock, transport for metadata endpoints and STS) given.
    pub fn from_provider_config(
        providers: ProviderConfig,
        service: &ServiceInfo,
    ) -> Result<Self, ConfigError> {
        let settings = crate::config::load_env_settings(
            providers.env(),
            service.env_name,
            service.config_key,
        )?;
        // The providers reach STS and the SSO portal through the client's proxy and
        // trust its CA bundle.
        let providers = providers
            .with_profile_name(settings.profile.clone())
            .with_region(settings.region.clone())
            .with_network_defaults(&settings.proxy, settings.ca_bundle.as_ref());
        let chain = DefaultCredentialsChain::new(providers);
        // The last place the SDKs look for the region: the instance's, asked on the
        // first call (with the chain's IMDS client, so one token serves both).
        let region = ImdsRegionProvider::with_client(chain.imds_client().clone());
        let builder = Self::from_settings(settings).credentials_provider(chain);
        Ok(match builder.region {
            Some(_) => builder,
            None => builder.region_provider(region),
        })
    }
}
