//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::env::Env;

/// Credentials from the environment, read on every call: `AWS_ACCESS_KEY_ID`
/// with `AWS_SECRET_ACCESS_KEY` (or the older `SECRET_ACCESS_KEY`), and
/// `AWS_SESSION_TOKEN` for temporary keys. A value of only whitespace counts as
/// unset, as in the AWS SDK for Rust.
///
/// Not loaded when either key is missing, so a chain moves on (half a pair is
/// named in the message). The credentials do not expire.
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::with_env(Env::from_process())
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(env: Env) -> Self {
        Self { env }
    }

    /// The credentials, read now.
    pub fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let var = |name: &str| self.env.var(name).filter(|v| !v.trim().is_empty());
        let id = var("AWS_ACCESS_KEY_ID");
        let secret = var("AWS_SECRET_ACCESS_KEY").or_else(|| var("SECRET_ACCESS_KEY"));
        match (id, secret) {
            (Some(id), Some(secret)) => Ok(Credentials::new(id, secret, var("AWS_SESSION_TOKEN"))
                .with_source("environment variables")),
            (Some(_), None) => Err(CredentialsError::not_loaded(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            (None, Some(_)) => Err(CredentialsError::not_loaded(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            )),
            (None, None) => Err(CredentialsError::not_loaded(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            )),
        }
    }
}

impl Default for EnvironmentProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.credentials();
        Box::pin(async move { result })
    }

    fn name(&self) -> &str {
        "Environment"
    }
}
