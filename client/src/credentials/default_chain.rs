//! The AWS SDKs' default credentials chain.

use super::{
    ContainerCredentialsProvider, CredentialsChain, CredentialsFuture, EnvironmentProvider,
    ImdsClient, ImdsCredentialsProvider, ProfileProvider, ProvideCredentials, ProviderConfig,
    WebIdentityTokenProvider,
};

/// Credentials from wherever the code runs, tried in the AWS SDK for Rust's order:
///
/// 1. the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`);
/// 2. the selected profile of the shared files ([`ProfileProvider`]);
/// 3. web identity from the environment (`AWS_WEB_IDENTITY_TOKEN_FILE`,
///    `AWS_ROLE_ARN`: EKS IAM roles for service accounts);
/// 4. the container endpoint (ECS tasks, EKS Pod Identity);
/// 5. the EC2 instance metadata service (IMDSv2).
///
/// The first that yields wins; a provider that is configured but fails stops
/// the chain with its error (see [`CredentialsChain`]). When none is configured,
/// the error lists what each said, in order. Off AWS, with nothing configured,
/// the instance metadata step gives up within about a second.
#[derive(Debug, Clone)]
pub struct DefaultCredentialsChain {
    chain: CredentialsChain,
    imds: ImdsClient,
}

impl DefaultCredentialsChain {
    /// The chain for `config`'s environment, profile and region.
    pub fn new(config: ProviderConfig) -> Self {
        let chain = CredentialsChain::new()
            .or_else(EnvironmentProvider::with_env(config.env().clone()))
            .or_else(ProfileProvider::new(config.clone()))
            .or_else(WebIdentityTokenProvider::from_env(config.clone()))
            .or_else(ContainerCredentialsProvider::new(&config));
        let imds = ImdsClient::new(&config);
        let chain = chain.or_else(ImdsCredentialsProvider::with_client(imds.clone()));
        Self { chain, imds }
    }

    /// The instance metadata client of the last step, to share its token (with
    /// an [`ImdsRegionProvider`](super::ImdsRegionProvider), say).
    pub fn imds_client(&self) -> &ImdsClient {
        &self.imds
    }

    /// The providers, in the order they are asked.
    pub fn chain(&self) -> &CredentialsChain {
        &self.chain
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.chain.provide_credentials()
    }

    fn name(&self) -> &str {
        "DefaultChain"
    }
}
