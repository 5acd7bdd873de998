//! Providers tried in order until one yields.

use std::fmt::Write as _;

use super::{
    CredentialsError, CredentialsErrorKind, CredentialsFuture, ProvideCredentials,
    SharedCredentialsProvider,
};

/// Providers asked in order: the first that yields credentials wins.
///
/// A provider that is not configured ([`CredentialsError::is_not_loaded`]) passes
/// to the next; any other error stops the chain with that provider's error, as
/// the AWS SDKs do (a provider that is configured but failing must not be
/// silently replaced by another identity). When every provider passes, the error
/// lists what each said, in order.
#[derive(Debug, Clone, Default)]
pub struct CredentialsChain {
    providers: Vec<SharedCredentialsProvider>,
}

impl CredentialsChain {
    /// An empty chain.
    pub fn new() -> Self {
        Self::default()
    }

    /// The chain with `provider` asked after the ones before it.
    pub fn or_else(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers
            .push(SharedCredentialsProvider::new(provider));
        self
    }

    /// The providers, in order.
    pub fn providers(&self) -> &[SharedCredentialsProvider] {
        &self.providers
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let mut attempted = String::new();
            for provider in &self.providers {
                match provider.provide_credentials().await {
                    Ok(credentials) => return Ok(credentials),
                    Err(e) if e.is_not_loaded() => {
                        let _ = write!(attempted, "\n- {}: {e}", provider.name());
                    }
                    Err(e) => return Err(e.context(format!("{} provider", provider.name()))),
                }
            }
            if attempted.is_empty() {
                attempted.push_str(" (none)");
            }
            Err(CredentialsError::new(
                CredentialsErrorKind::NotLoaded,
                format!("no credentials found; providers tried in order:{attempted}"),
            ))
        })
    }

    fn name(&self) -> &str {
        "Chain"
    }
}
