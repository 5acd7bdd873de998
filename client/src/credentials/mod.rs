//! Credentials and where they come from.
//!
//! A [`ProvideCredentials`] is anything that can produce [`Credentials`] on
//! demand: static keys, the environment, the shared profile files, STS, a
//! container or instance metadata endpoint, a `credential_process`, or SSO. Each
//! provider is a public type usable alone, in a [`CredentialsChain`] of your
//! own, or through [`ConfigBuilder::credentials_provider`](crate::ConfigBuilder::credentials_provider).
//! The client wraps whatever it is given in a [`CredentialsCache`], so a
//! provider is called only when the credentials are missing or about to expire.
//!
//! No secret reaches `Debug`, `Display`, an error message or a log event: the
//! secret key and the session token print as [`crate::REDACTED`].

mod container;
mod default_chain;
mod environment;
mod imds;
mod json;
mod process;
mod profile;
mod provider_config;
mod sso;
mod sts;

pub(crate) use crate::identity::rfc3339;
pub use crate::identity::{
    CacheSettings, Clock, Credentials, CredentialsCache, CredentialsChain, CredentialsError,
    CredentialsErrorKind, CredentialsFuture, ManualClock, ProvideCredentials,
    SharedCredentialsProvider, SystemClock,
};
pub use container::ContainerCredentialsProvider;
pub use default_chain::DefaultCredentialsChain;
pub use environment::EnvironmentProvider;
pub use imds::{
    ImdsClient, ImdsClientBuilder, ImdsCredentialsProvider, ImdsEndpointMode, ImdsError,
    ImdsErrorKind, ImdsRegionProvider,
};
pub use process::ProcessCredentialsProvider;
pub use profile::ProfileProvider;
pub use provider_config::ProviderConfig;
pub use sso::SsoCredentialsProvider;
pub use sts::{AssumeRoleProvider, WebIdentityTokenProvider};
