//! Credentials from STS: AssumeRole with other credentials, and
//! AssumeRoleWithWebIdentity with a token file (EKS IRSA and the like).
//!
//! The calls go through the generated `sts` crate's sans-IO functions and this
//! crate's [`Handle`]: the same endpoint rules, signing, retries and timeouts as
//! any generated client's calls.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use sts::operation::assume_role::{AssumeRoleError, AssumeRoleInput, AssumeRoleOutput};
use sts::operation::assume_role_with_web_identity::{
    AssumeRoleWithWebIdentityError, AssumeRoleWithWebIdentityInput, AssumeRoleWithWebIdentityOutput,
};

use super::{
    Credentials, CredentialsError, CredentialsFuture, ImdsRegionProvider, ProvideCredentials,
    ProviderConfig, SharedCredentialsProvider,
};
use crate::config::{load_settings, Config, ConfigBuilder, ExplicitSettings};
use crate::handle::{Handle, Operation, ServiceInfo, Target};
use crate::{ResponseBody, SdkError};

static STS: ServiceInfo = ServiceInfo {
    signing_name: "sts",
    env_name: "STS",
    config_key: "sts",
    crate_name: "sts",
    crate_version: "0.1.0",
};

static ASSUME_ROLE: Operation<AssumeRoleInput, AssumeRoleOutput, AssumeRoleError> = Operation {
    name: "AssumeRole",
    build_request: sts::operation::assume_role::build_request,
    parse_response: sts::operation::assume_role::parse_response::<ResponseBody>,
};

static ASSUME_ROLE_WITH_WEB_IDENTITY: Operation<
    AssumeRoleWithWebIdentityInput,
    AssumeRoleWithWebIdentityOutput,
    AssumeRoleWithWebIdentityError,
> = Operation {
    name: "AssumeRoleWithWebIdentity",
    build_request: sts::operation::assume_role_with_web_identity::build_request,
    parse_response: sts::operation::assume_role_with_web_identity::parse_response::<ResponseBody>,
};

/// A handle for STS calls in the provider config's region, signed with
/// `credentials` (unsigned when `None`). The endpoint comes from STS's rules, or
/// from `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL` or the profile's `services`
/// section, as for any client.
async fn sts_handle(
    config: &ProviderConfig,
    credentials: Option<SharedCredentialsProvider>,
) -> Result<Handle, CredentialsError> {
    // The region as the client resolved it, else the instance's (the last place the
    // SDKs look), asked only now that STS needs it.
    let region = match config.region() {
        Some(region) => region.to_owned(),
        None => ImdsRegionProvider::new(config).region().await.ok_or_else(|| {
            CredentialsError::invalid_configuration(
                "no region to call STS in: set AWS_REGION, or `region` in the profile, or the client's region (instance metadata had none)",
            )
        })?,
    };
    let region = region.as_str();
    let explicit = ExplicitSettings {
        profile: Some(config.profile_name()),
        region: Some(region.to_owned()),
        ..ExplicitSettings::default()
    };
    let settings = load_settings(config.env(), STS.env_name, STS.config_key, &explicit)
        .map_err(|e| CredentialsError::invalid_configuration(e.to_string()))?;
    let builder = ConfigBuilder::from_settings(settings)
        .clock_shared(Arc::clone(config.clock()))
        .transport(config.transport(Duration::from_millis(3_100))?);
    let builder = match credentials {
        Some(provider) => builder.credentials_provider(provider),
        None => builder.no_credentials(),
    };
    Ok(Handle::new(&STS, builder.build(), target))
}

/// STS's endpoint for the configuration, from its rule set (regional endpoints).
fn target(config: &Config) -> Result<Target, String> {
    let params = sts::endpoint::Params::builder()
        .set_region(config.region().map(str::to_owned))
        .use_fips(config.use_fips())
        .use_dual_stack(config.use_dual_stack())
        .set_endpoint(config.endpoint_url().map(str::to_owned))
        .use_global_endpoint(false)
        .build();
    sts::endpoint::resolve_endpoint(&params)
        .map(Target::from_endpoint)
        .map_err(|e| format!("no STS endpoint: {e}"))
}

/// The credentials in an STS answer, with the account id from the role's ARN.
fn from_sts(
    credentials: Option<sts::types::Credentials>,
    role_user_arn: Option<&str>,
    source: String,
) -> Result<Credentials, CredentialsError> {
    let credentials = credentials.ok_or_else(|| {
        CredentialsError::provider_error(format!("{source}: the answer has no Credentials"))
    })?;
    let expiry = super::json::system_time(credentials.expiration).ok_or_else(|| {
        CredentialsError::provider_error(format!("{source}: the expiration is before 1970"))
    })?;
    let mut out = Credentials::new(
        credentials.access_key_id,
        credentials.secret_access_key,
        Some(credentials.session_token),
    )
    .with_expiry(expiry)
    .with_source(source);
    // arn:aws:sts::123456789012:assumed-role/name/session
    if let Some(account) = role_user_arn
        .and_then(|arn| arn.split(':').nth(4))
        .filter(|account| !account.is_empty())
    {
        out = out.with_account_id(account);
    }
    Ok(out)
}

fn sts_error<E: std::error::Error + Send + Sync + 'static>(
    what: &str,
    error: SdkError<E>,
) -> CredentialsError {
    CredentialsError::provider_error(format!("{what} failed")).with_source(error)
}

/// A session name made of `prefix` and the time, as the AWS SDKs do when none is set.
pub(crate) fn default_session_name(prefix: &str, now: SystemTime) -> String {
    let millis = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!("{prefix}-{millis}")
}

/// Assumes a role with credentials from another provider (STS AssumeRole).
///
/// The source credentials sign the call; nothing is cached here (the client's
/// cache holds the role's credentials and calls again before they expire). The
/// session name defaults to `assume-role-provider-<epoch ms>`.
#[derive(Debug, Clone)]
pub struct AssumeRoleProvider {
    config: ProviderConfig,
    source: SharedCredentialsProvider,
    role_arn: String,
    session_name: Option<String>,
    external_id: Option<String>,
    duration: Option<Duration>,
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` with what `source` provides.
    pub fn new(
        config: ProviderConfig,
        role_arn: impl Into<String>,
        source: impl ProvideCredentials + 'static,
    ) -> Self {
        Self {
            config,
            source: SharedCredentialsProvider::new(source),
            role_arn: role_arn.into(),
            session_name: None,
            external_id: None,
            duration: None,
        }
    }

    /// The role session name (2–64 characters of `[\w+=,.@-]`).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// The external id the role's trust policy asks for.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// How long the role's credentials last (900 s up to the role's maximum;
    /// STS's default is one hour).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    async fn assume(&self) -> Result<Credentials, CredentialsError> {
        let what = format!("AssumeRole of {}", self.role_arn);
        let session_name = self.session_name.clone().unwrap_or_else(|| {
            default_session_name("assume-role-provider", self.config.clock().now())
        });
        let duration = self
            .duration
            .map(|d| i32::try_from(d.as_secs()).unwrap_or(i32::MAX));
        let input = AssumeRoleInput::builder()
            .role_arn(&self.role_arn)
            .role_session_name(session_name)
            .set_external_id(self.external_id.clone())
            .set_duration_seconds(duration)
            .build()
            .map_err(|e| CredentialsError::invalid_configuration(format!("{what}: {e}")))?;
        let handle = sts_handle(&self.config, Some(self.source.clone())).await?;
        let output = handle
            .invoke(&ASSUME_ROLE, &input)
            .await
            .map_err(|e| sts_error(&what, e))?
            .output;
        from_sts(
            output.credentials,
            output.assumed_role_user.as_ref().map(|u| u.arn.as_str()),
            format!("role {} (STS AssumeRole)", self.role_arn),
        )
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.assume())
    }

    fn name(&self) -> &str {
        "AssumeRole"
    }
}

/// Assumes a role with a web identity token read from a file (STS
/// AssumeRoleWithWebIdentity, unsigned): how pods on EKS with IAM roles for
/// service accounts get credentials.
///
/// The token file is read again on every call, as it rotates; the token is kept
/// only for the request. [`WebIdentityTokenProvider::from_env`] reads
/// `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME`.
#[derive(Debug, Clone)]
pub struct WebIdentityTokenProvider {
    config: ProviderConfig,
    settings: Option<WebIdentitySettings>,
    /// Why `settings` is `None`, for the not-loaded error.
    unset: &'static str,
}

#[derive(Debug, Clone)]
struct WebIdentitySettings {
    token_file: PathBuf,
    role_arn: String,
    session_name: Option<String>,
    /// `web-identity-token` or `web-identity-token-profile`, for default session names.
    session_prefix: &'static str,
}

impl WebIdentityTokenProvider {
    /// The settings of the environment variables; not loaded unless both
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` are set.
    pub fn from_env(config: ProviderConfig) -> Self {
        let env = config.env();
        let (settings, unset) = match (
            env.path_var("AWS_WEB_IDENTITY_TOKEN_FILE"),
            env.var("AWS_ROLE_ARN"),
        ) {
            (Some(token_file), Some(role_arn)) => (
                Some(WebIdentitySettings {
                    token_file,
                    role_arn,
                    session_name: env.var("AWS_ROLE_SESSION_NAME"),
                    session_prefix: "web-identity-token",
                }),
                "",
            ),
            (None, _) => (None, "AWS_WEB_IDENTITY_TOKEN_FILE is not set"),
            (Some(_), None) => (
                None,
                "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not",
            ),
        };
        Self {
            config,
            settings,
            unset,
        }
    }

    /// Assumes `role_arn` with the token in `token_file`.
    pub fn new(
        config: ProviderConfig,
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
        session_name: Option<String>,
    ) -> Self {
        Self::with_prefix(
            config,
            token_file,
            role_arn,
            session_name,
            "web-identity-token",
        )
    }

    pub(crate) fn with_prefix(
        config: ProviderConfig,
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
        session_name: Option<String>,
        session_prefix: &'static str,
    ) -> Self {
        Self {
            config,
            settings: Some(WebIdentitySettings {
                token_file: token_file.into(),
                role_arn: role_arn.into(),
                session_name,
                session_prefix,
            }),
            unset: "",
        }
    }

    async fn assume(&self) -> Result<Credentials, CredentialsError> {
        let Some(settings) = &self.settings else {
            return Err(CredentialsError::not_loaded(self.unset));
        };
        let path = &settings.token_file;
        let what = format!("AssumeRoleWithWebIdentity of {}", settings.role_arn);
        let token = std::fs::read(path).map_err(|e| {
            CredentialsError::provider_error(format!(
                "cannot read the web identity token file {}",
                path.display()
            ))
            .with_source(e)
        })?;
        let token = String::from_utf8(token).map_err(|_| {
            CredentialsError::provider_error(format!(
                "the web identity token file {} is not UTF-8",
                path.display()
            ))
        })?;
        let session_name = settings.session_name.clone().unwrap_or_else(|| {
            default_session_name(settings.session_prefix, self.config.clock().now())
        });
        let input = AssumeRoleWithWebIdentityInput::builder()
            .role_arn(&settings.role_arn)
            .role_session_name(session_name)
            .web_identity_token(token)
            .build()
            .map_err(|e| CredentialsError::invalid_configuration(format!("{what}: {e}")))?;
        let handle = sts_handle(&self.config, None).await?;
        let result = handle.invoke(&ASSUME_ROLE_WITH_WEB_IDENTITY, &input).await;
        // The input holds the token: drop it as soon as the call is done.
        drop(input);
        let output = result.map_err(|e| sts_error(&what, e))?.output;
        from_sts(
            output.credentials,
            output.assumed_role_user.as_ref().map(|u| u.arn.as_str()),
            format!(
                "role {} (STS AssumeRoleWithWebIdentity, token file {})",
                settings.role_arn,
                path.display()
            ),
        )
    }
}

impl ProvideCredentials for WebIdentityTokenProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.assume())
    }

    fn name(&self) -> &str {
        "WebIdentityToken"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(builder: ConfigBuilder) -> String {
        target(&builder.build()).unwrap().url
    }

    #[test]
    fn sts_endpoints_are_regional_by_the_rules_unless_overridden() {
        let config = || Config::builder().region("eu-west-1");
        assert_eq!(url(config()), "https://sts.eu-west-1.amazonaws.com");
        // us-east-1 is regional too: the legacy global endpoint is not used.
        assert_eq!(
            url(Config::builder().region("us-east-1")),
            "https://sts.us-east-1.amazonaws.com"
        );
        assert_eq!(
            url(Config::builder().region("us-east-1").use_fips(true)),
            "https://sts-fips.us-east-1.amazonaws.com"
        );
        assert_eq!(
            url(Config::builder().region("cn-north-1")),
            "https://sts.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            url(config().endpoint_url("http://127.0.0.1:4566")),
            "http://127.0.0.1:4566"
        );
        assert!(target(&Config::builder().build()).is_err());
    }

    #[test]
    fn the_account_comes_from_the_assumed_role_arn() {
        let credentials = sts::types::Credentials::builder()
            .access_key_id("ASIA")
            .secret_access_key("s")
            .session_token("t")
            .expiration(querygen_runtime::DateTime::from_secs(4_102_444_800))
            .build()
            .unwrap();
        let out = from_sts(
            Some(credentials.clone()),
            Some("arn:aws:sts::123456789012:assumed-role/r/s"),
            "test".into(),
        )
        .unwrap();
        assert_eq!(out.account_id(), Some("123456789012"));
        assert_eq!(
            out.expiry(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(4_102_444_800))
        );
        let without = from_sts(Some(credentials), Some("not-an-arn"), "test".into()).unwrap();
        assert_eq!(without.account_id(), None);
        let e = from_sts(None, None, "role r".into()).unwrap_err();
        assert_eq!(e.to_string(), "role r: the answer has no Credentials");
    }
}
