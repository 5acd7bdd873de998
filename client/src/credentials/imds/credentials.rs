//! Credentials of the instance's IAM role.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use super::client::{ImdsClient, DISABLED_VAR};
use super::error::{ImdsError, ImdsErrorKind};
use crate::credentials::json::Document;
use crate::credentials::{
    rfc3339, Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture,
    ProvideCredentials, ProviderConfig,
};

const ROLE_LIST_PATH: &str = "/latest/meta-data/iam/security-credentials/";
/// Credentials kept past their expiry are good for this long plus up to
/// [`STABILITY_JITTER`], so that a fleet does not retry IMDS in step.
const STABILITY_EXTENSION: Duration = Duration::from_secs(600);
const STABILITY_JITTER: Duration = Duration::from_secs(300);

/// Credentials of the IAM role attached to the EC2 instance, from the instance
/// metadata service (IMDSv2 only; see [`ImdsClient`]).
///
/// Each call asks IMDS for the role name
/// (`GET /latest/meta-data/iam/security-credentials/`), then for its
/// credentials. Not loaded (a chain moves on) when `AWS_EC2_METADATA_DISABLED`
/// is `true`, when the connection for the session token cannot be made or
/// breaks (not on EC2), or when the instance has no role (404); any other
/// failure stops the chain, a timed-out token request included.
///
/// **Static stability**, as in the AWS SDKs: credentials IMDS hands out already
/// expired are used for another 10 to 15 minutes, and when a fetch fails after
/// an earlier one succeeded, the last credentials are returned, good for
/// another 10 to 15 minutes; a `warn` event says so each time. This keeps an
/// instance working through an IMDS outage; AWS decides whether the
/// credentials are still accepted.
#[derive(Debug)]
pub struct ImdsCredentialsProvider {
    client: ImdsClient,
    last: Mutex<Option<Credentials>>,
}

impl ImdsCredentialsProvider {
    /// A provider with a client configured by `config`.
    pub fn new(config: &ProviderConfig) -> Self {
        Self::with_client(ImdsClient::new(config))
    }

    /// A provider asking through `client` (which may be shared, with its token,
    /// by an [`ImdsRegionProvider`](super::ImdsRegionProvider)).
    pub fn with_client(client: ImdsClient) -> Self {
        Self {
            client,
            last: Mutex::new(None),
        }
    }

    /// Credentials of the instance's role, fetched now.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        if self.client.is_disabled() {
            // Not a failure to cover for: the user turned IMDS off.
            return Err(CredentialsError::not_loaded(format!(
                "IMDS is disabled by {DISABLED_VAR}"
            )));
        }
        match self.fetch().await {
            Ok(credentials) => {
                *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(credentials.clone());
                Ok(credentials)
            }
            Err(error) => {
                let last = self.last.lock().unwrap_or_else(|e| e.into_inner()).clone();
                let Some(last) = last else {
                    return Err(error);
                };
                let extended = self.extended_expiry();
                let expiry = last.expiry().map_or(extended, |e| e.max(extended));
                tracing::warn!(
                    error = %error,
                    until = %rfc3339(expiry),
                    "fetching credentials from IMDS failed; going on with the last ones (static stability)"
                );
                Ok(last.with_expiry(expiry))
            }
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let roles = match self.client.get(ROLE_LIST_PATH).await {
            Ok(roles) => roles,
            Err(e) if e.status() == Some(404) => {
                tracing::warn!(
                    "IMDS answered 404 for the instance's IAM role: the instance may have no role attached"
                );
                return Err(CredentialsError::not_loaded(
                    "the instance has no IAM role (IMDS answered 404 for the role list)",
                )
                .with_source(e));
            }
            Err(e) => return Err(credentials_error(e, "cannot get the instance's role name")),
        };
        let role = role_name(&roles)?;
        let body = self
            .client
            .get(&format!("{ROLE_LIST_PATH}{role}"))
            .await
            .map_err(|e| {
                credentials_error(e, &format!("cannot get the credentials of role `{role}`"))
            })?;
        self.parse(&body, role)
    }

    fn parse(&self, body: &str, role: &str) -> Result<Credentials, CredentialsError> {
        let what = format!("IMDS's answer for role `{role}`");
        let document = Document::parse(&what, body.as_bytes())?;
        // EC2 always says `Code`; a missing one is taken as success, as aws-config does.
        match document.optional_string("Code")?.as_deref() {
            Some("Success") | None => {}
            Some(code) => {
                let message = document
                    .optional_string("Message")
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                let text = format!("{what} says `{code}`: {message}");
                return Err(if code == "AssumeRoleUnauthorizedAccess" {
                    CredentialsError::invalid_configuration(format!(
                        "{text} (does the role's trust policy allow ec2.amazonaws.com?)"
                    ))
                } else {
                    CredentialsError::provider_error(text)
                });
            }
        }
        let expiration = document
            .optional_rfc3339("Expiration")?
            .ok_or_else(|| document.missing("Expiration"))?;
        let mut credentials = Credentials::new(
            document.string("AccessKeyId")?,
            document.string("SecretAccessKey")?,
            Some(document.string("Token")?),
        )
        .with_source(format!("instance metadata (role {role})"))
        .with_expiry(self.usable_expiry(expiration));
        if let Some(account) = document.optional_string("AccountId")? {
            credentials = credentials.with_account_id(account);
        }
        Ok(credentials)
    }

    /// `expiration`, or a little more time if IMDS handed out expired credentials.
    fn usable_expiry(&self, expiration: SystemTime) -> SystemTime {
        if expiration > self.client.clock().now() {
            return expiration;
        }
        let extended = self.extended_expiry();
        tracing::warn!(
            expired = %rfc3339(expiration),
            until = %rfc3339(extended),
            "IMDS returned expired credentials; using them for a while longer (static stability)"
        );
        extended
    }

    fn extended_expiry(&self) -> SystemTime {
        let jitter = STABILITY_JITTER.mul_f64(crate::retry::random_unit().clamp(0.0, 1.0));
        let now = self.client.clock().now();
        now.checked_add(STABILITY_EXTENSION + jitter).unwrap_or(now)
    }
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }

    fn name(&self) -> &str {
        "Ec2InstanceMetadata"
    }
}

/// The role name from the role list: its first line. The name goes into a URL
/// path, so only the characters IAM allows in role names are accepted.
fn role_name(roles: &str) -> Result<&str, CredentialsError> {
    let role = roles.lines().next().unwrap_or_default().trim();
    if role.is_empty() {
        return Err(CredentialsError::provider_error(
            "IMDS's role list is empty",
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c);
    if !role.chars().all(allowed) {
        return Err(CredentialsError::provider_error(
            "IMDS's role list does not start with a valid IAM role name",
        ));
    }
    Ok(role)
}

/// Only a failed connection for the token means "not on EC2"; anything else
/// found IMDS, so it stops the chain. A timed-out token request stops it too,
/// where aws-config moves on: it is what a container beyond the metadata hop
/// limit sees, and the hint below is then the useful answer.
fn credentials_error(error: ImdsError, context: &str) -> CredentialsError {
    let kind = match error.kind() {
        ImdsErrorKind::Disabled => CredentialsErrorKind::NotLoaded,
        ImdsErrorKind::Connect | ImdsErrorKind::Io if error.is_token_request() => {
            CredentialsErrorKind::NotLoaded
        }
        ImdsErrorKind::InvalidConfiguration => CredentialsErrorKind::InvalidConfiguration,
        ImdsErrorKind::TimedOut => CredentialsErrorKind::TimedOut,
        _ => CredentialsErrorKind::ProviderError,
    };
    let hint = if error.kind() == ImdsErrorKind::TimedOut && error.is_token_request() {
        " (in a container on EC2, the instance's metadata hop limit may need to be 2)"
    } else {
        ""
    };
    CredentialsError::new(kind, format!("{context}{hint}")).with_source(error)
}
