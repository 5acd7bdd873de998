//! Credentials the selected profile of the shared files describes: static keys,
//! roles assumed from other profiles or named sources, web identity,
//! `credential_process` and SSO.

use std::sync::Arc;
use std::time::Duration;

use super::{
    AssumeRoleProvider, Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture,
    EnvironmentProvider, ProvideCredentials, ProviderConfig, SharedCredentialsProvider,
    SsoCredentialsProvider, WebIdentityTokenProvider,
};
use super::{ContainerCredentialsProvider, ImdsCredentialsProvider, ProcessCredentialsProvider};
use crate::env::profile::{Profile, ProfileFiles, Property};

/// Credentials from the selected profile (`AWS_PROFILE`, else `default`) of the
/// shared config and credentials files.
///
/// The profile is resolved as the AWS SDKs do it, on every call (the files are
/// read once per [`ProviderConfig`]):
///
/// 1. A profile with `role_arn` (and no `web_identity_token_file`) is a role to
///    assume. Its credentials come from `source_profile` (another profile,
///    followed the same way; a chain of any length) or `credential_source`
///    (`Environment`, `Ec2InstanceMetadata` or `EcsContainer`), exactly one of
///    the two. `role_session_name`, `external_id` and `duration_seconds` go to
///    STS. A source profile with static keys uses them even if it has a
///    `role_arn` too; a profile that names itself as its source uses its own keys.
/// 2. Otherwise the profile's own source, the first of: `credential_source`;
///    `role_arn` with `web_identity_token_file`; SSO (`sso_session`, or the legacy
///    `sso_*` keys); `credential_process`; `aws_access_key_id` with
///    `aws_secret_access_key` (and `aws_session_token`).
///
/// At run time the base credentials are loaded, then each role is assumed in
/// turn, nearest the base first, each call signed with the previous credentials.
///
/// The selected profile having no credentials at all is "not loaded", so a chain
/// moves on. Everything else that is wrong is an error naming the profiles, file
/// and line: a cycle of `source_profile`s, a missing source profile, half a key
/// pair, both or neither of `source_profile` and `credential_source`, an unknown
/// `credential_source`. A named source that yields nothing is an error too (the
/// profile asked for it).
#[derive(Debug, Clone)]
pub struct ProfileProvider {
    config: ProviderConfig,
}

/// A role to assume, from one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hop {
    profile: String,
    role_arn: String,
    session_name: Option<String>,
    external_id: Option<String>,
    duration: Option<Duration>,
}

/// Where the first credentials of a chain come from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Base {
    /// Keys in the files (their `Debug` redacts the secret and the token).
    StaticKeys(Credentials),
    NamedSource {
        profile: String,
        source: NamedSource,
    },
    WebIdentity {
        role_arn: String,
        token_file: String,
        session_name: Option<String>,
    },
    Sso {
        profile: String,
    },
    Process {
        profile: String,
        command: String,
        account_id: Option<String>,
    },
}

/// A `credential_source` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NamedSource {
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

/// A resolved profile chain: a base and the roles to assume from it, the one
/// nearest the base last.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Chain {
    base: Base,
    hops: Vec<Hop>,
}

impl ProfileProvider {
    /// The profile `config` selects.
    pub fn new(config: ProviderConfig) -> Self {
        Self { config }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let files = self.config.profile_files()?;
        let chain = resolve(files, &self.config.profile_name())?;
        let mut credentials = self.base(&chain.base, files).await?;
        for hop in chain.hops.iter().rev() {
            let mut provider =
                AssumeRoleProvider::new(self.config.clone(), &hop.role_arn, credentials);
            provider = provider.session_name(hop.session_name.clone().unwrap_or_else(|| {
                let now = self.config.clock().now();
                super::sts::default_session_name("assume-role-from-profile", now)
            }));
            if let Some(id) = &hop.external_id {
                provider = provider.external_id(id);
            }
            if let Some(duration) = hop.duration {
                provider = provider.duration(duration);
            }
            credentials = provider
                .provide_credentials()
                .await
                .map_err(|e| e.context(format!("profile `{}`", hop.profile)))?;
        }
        Ok(credentials)
    }

    async fn base(
        &self,
        base: &Base,
        files: &ProfileFiles,
    ) -> Result<Credentials, CredentialsError> {
        match base {
            Base::StaticKeys(credentials) => Ok(credentials.clone()),
            Base::NamedSource { profile, source } => {
                let provider = self.named_source(*source)?;
                provider.provide_credentials().await.map_err(|e| {
                    // The profile asked for this source: its absence is an error.
                    let kind = if e.is_not_loaded() {
                        CredentialsErrorKind::ProviderError
                    } else {
                        e.kind()
                    };
                    CredentialsError::new(
                        kind,
                        format!(
                            "profile `{profile}`: credential_source `{}` gave no credentials",
                            source.name()
                        ),
                    )
                    .with_source(e)
                })
            }
            Base::WebIdentity {
                role_arn,
                token_file,
                session_name,
            } => {
                let token_file = crate::env::profile::expand_home_in(self.config.env(), token_file)
                    .map_err(|e| {
                        CredentialsError::invalid_configuration(format!(
                            "web_identity_token_file {e}"
                        ))
                    })?;
                WebIdentityTokenProvider::with_prefix(
                    self.config.clone(),
                    token_file,
                    role_arn,
                    session_name.clone(),
                    "web-identity-token-profile",
                )
                .provide_credentials()
                .await
            }
            Base::Sso { profile } => {
                let section = files.profile(profile).ok_or_else(|| {
                    CredentialsError::invalid_configuration(format!("profile `{profile}` vanished"))
                })?;
                sso_base(&self.config, profile, &section).await
            }
            Base::Process {
                profile,
                command,
                account_id,
            } => process_base(&self.config, profile, command, account_id.as_deref()).await,
        }
    }

    fn named_source(
        &self,
        source: NamedSource,
    ) -> Result<SharedCredentialsProvider, CredentialsError> {
        match source {
            NamedSource::Environment => Ok(SharedCredentialsProvider::new(
                EnvironmentProvider::with_env(self.config.env().clone()),
            )),
            NamedSource::Ec2InstanceMetadata => imds_source(&self.config),
            NamedSource::EcsContainer => container_source(&self.config),
        }
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }

    fn name(&self) -> &str {
        "Profile"
    }
}

impl NamedSource {
    fn parse(property: &Property, profile: &str) -> Result<Self, CredentialsError> {
        let value = property.value().trim();
        [Self::Environment, Self::Ec2InstanceMetadata, Self::EcsContainer]
            .into_iter()
            .find(|source| source.name().eq_ignore_ascii_case(value))
            .ok_or_else(|| {
                CredentialsError::invalid_configuration(format!(
                    "profile `{profile}`: credential_source `{value}` ({}) is not supported; expected `Environment`, `Ec2InstanceMetadata` or `EcsContainer`",
                    property.location()
                ))
            })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Environment => "Environment",
            Self::Ec2InstanceMetadata => "Ec2InstanceMetadata",
            Self::EcsContainer => "EcsContainer",
        }
    }
}

/// A non-empty property.
fn property<'p>(profile: &'p Profile, key: &str) -> Option<&'p Property> {
    profile
        .property(key)
        .filter(|p| !p.value().trim().is_empty())
}

fn value(profile: &Profile, key: &str) -> Option<String> {
    property(profile, key).map(|p| p.value().trim().to_owned())
}

/// Walks from `start` along `source_profile` links to the base credentials.
fn resolve(files: &ProfileFiles, start: &str) -> Result<Chain, CredentialsError> {
    let mut visited: Vec<String> = Vec::new();
    let mut hops = Vec::new();
    let mut name = start.to_owned();
    loop {
        let Some(profile) = files.profile(&name) else {
            return Err(match visited.last() {
                None => CredentialsError::not_loaded(format!(
                    "profile `{name}` is in neither {} nor {}",
                    files.config_path().display(),
                    files.credentials_path().display()
                )),
                Some(referrer) => CredentialsError::invalid_configuration(format!(
                    "profile `{referrer}` names `source_profile = {name}`, which is in neither {} nor {}",
                    files.config_path().display(),
                    files.credentials_path().display()
                )),
            });
        };
        if visited.contains(&name) {
            visited.push(name);
            return Err(CredentialsError::invalid_configuration(format!(
                "the profiles' source_profile links form a cycle: {}",
                visited.join(" -> ")
            )));
        }
        visited.push(name.clone());
        let first = visited.len() == 1;
        if !first {
            if let Some(keys) = static_keys(&profile, &name)? {
                return Ok(Chain { base: keys, hops });
            }
        }
        let role_arn = property(&profile, "role_arn");
        let Some(role_arn) =
            role_arn.filter(|_| property(&profile, "web_identity_token_file").is_none())
        else {
            let base = own_source(&profile, &name, first)?;
            return Ok(Chain { base, hops });
        };
        hops.push(hop(&profile, &name, role_arn)?);
        match (
            property(&profile, "source_profile"),
            property(&profile, "credential_source"),
        ) {
            (Some(_), Some(_)) => {
                return Err(CredentialsError::invalid_configuration(format!(
                    "profile `{name}` sets both `source_profile` and `credential_source` ({}); set one",
                    role_arn.location()
                )))
            }
            (None, None) => {
                return Err(CredentialsError::invalid_configuration(format!(
                    "profile `{name}` sets `role_arn` ({}) but neither `source_profile` nor `credential_source`",
                    role_arn.location()
                )))
            }
            (None, Some(source)) => {
                let source = NamedSource::parse(source, &name)?;
                return Ok(Chain {
                    base: Base::NamedSource {
                        profile: name,
                        source,
                    },
                    hops,
                });
            }
            (Some(source), None) if source.value().trim() == name => {
                // A profile that is its own source: its keys are the base.
                let base = static_keys(&profile, &name)?.ok_or_else(|| {
                    CredentialsError::invalid_configuration(format!(
                        "profile `{name}` is its own source_profile ({}) but has no static keys",
                        source.location()
                    ))
                })?;
                return Ok(Chain { base, hops });
            }
            (Some(source), None) => name = source.value().trim().to_owned(),
        }
    }
}

fn hop(profile: &Profile, name: &str, role_arn: &Property) -> Result<Hop, CredentialsError> {
    let duration = match property(profile, "duration_seconds") {
        None => None,
        Some(p) => Some(
            p.value()
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|s| (900..=43_200).contains(s))
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    CredentialsError::invalid_configuration(format!(
                        "profile `{name}`: duration_seconds ({}) is {:?}, expected whole seconds from 900 to 43200",
                        p.location(),
                        p.value()
                    ))
                })?,
        ),
    };
    Ok(Hop {
        profile: name.to_owned(),
        role_arn: role_arn.value().trim().to_owned(),
        session_name: value(profile, "role_session_name"),
        external_id: value(profile, "external_id"),
        duration,
    })
}

/// The profile's static keys: `None` if it has neither key, an error if it has one.
fn static_keys(profile: &Profile, name: &str) -> Result<Option<Base>, CredentialsError> {
    let id = property(profile, "aws_access_key_id");
    let secret = property(profile, "aws_secret_access_key");
    let half = |present: &Property, missing: &str| {
        CredentialsError::invalid_configuration(format!(
            "profile `{name}` has `{}` ({}) but no `{missing}`",
            present.key(),
            present.location()
        ))
    };
    match (id, secret) {
        (Some(id), Some(secret)) => {
            let mut source = format!("profile `{name}` in {}", id.path().display());
            if secret.path() != id.path() {
                source.push_str(&format!(" and {}", secret.path().display()));
            }
            Ok(Some(Base::StaticKeys(
                Credentials::new(
                    id.value().trim(),
                    secret.value().trim(),
                    value(profile, "aws_session_token"),
                )
                .with_source(source),
            )))
        }
        (Some(id), None) => Err(half(id, "aws_secret_access_key")),
        (None, Some(secret)) => Err(half(secret, "aws_access_key_id")),
        (None, None) => Ok(None),
    }
}

/// A profile's own source of credentials (no role to assume from another).
fn own_source(profile: &Profile, name: &str, first: bool) -> Result<Base, CredentialsError> {
    if let Some(source) = property(profile, "credential_source") {
        return Ok(Base::NamedSource {
            profile: name.to_owned(),
            source: NamedSource::parse(source, name)?,
        });
    }
    if let Some(token_file) = property(profile, "web_identity_token_file") {
        let role_arn = value(profile, "role_arn").ok_or_else(|| {
            CredentialsError::invalid_configuration(format!(
                "profile `{name}` sets `web_identity_token_file` ({}) but no `role_arn`",
                token_file.location()
            ))
        })?;
        return Ok(Base::WebIdentity {
            role_arn,
            token_file: token_file.value().trim().to_owned(),
            session_name: value(profile, "role_session_name"),
        });
    }
    if [
        "sso_session",
        "sso_start_url",
        "sso_account_id",
        "sso_role_name",
    ]
    .iter()
    .any(|key| property(profile, key).is_some())
    {
        return Ok(Base::Sso {
            profile: name.to_owned(),
        });
    }
    if let Some(command) = value(profile, "credential_process") {
        return Ok(Base::Process {
            profile: name.to_owned(),
            command,
            account_id: value(profile, "aws_account_id"),
        });
    }
    if let Some(keys) = static_keys(profile, name)? {
        return Ok(keys);
    }
    let message = format!("profile `{name}` has no credentials");
    Err(if first {
        CredentialsError::not_loaded(message)
    } else {
        CredentialsError::invalid_configuration(format!(
            "{message}, but another profile names it as its source_profile"
        ))
    })
}

fn imds_source(config: &ProviderConfig) -> Result<SharedCredentialsProvider, CredentialsError> {
    Ok(SharedCredentialsProvider::new(
        ImdsCredentialsProvider::new(config),
    ))
}

fn container_source(
    config: &ProviderConfig,
) -> Result<SharedCredentialsProvider, CredentialsError> {
    Ok(SharedCredentialsProvider::new(
        ContainerCredentialsProvider::new(config),
    ))
}

async fn sso_base(
    config: &ProviderConfig,
    profile_name: &str,
    profile: &Profile,
) -> Result<Credentials, CredentialsError> {
    match SsoCredentialsProvider::from_profile(config, profile_name, profile)? {
        Some(provider) => provider.provide_credentials().await,
        // Token-only: the profile signs in, but names no account and role.
        None => Err(CredentialsError::not_loaded(format!(
            "profile `{profile_name}` has an SSO session but no sso_account_id and sso_role_name"
        ))),
    }
}

async fn process_base(
    config: &ProviderConfig,
    profile: &str,
    command: &str,
    account_id: Option<&str>,
) -> Result<Credentials, CredentialsError> {
    let mut provider =
        ProcessCredentialsProvider::new(command).with_clock(Arc::clone(config.clock()));
    if let Some(account_id) = account_id {
        provider = provider.with_account_id(account_id);
    }
    provider
        .provide_credentials()
        .await
        .map_err(|e| e.context(format!("profile `{profile}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(config: &str, credentials: &str) -> ProfileFiles {
        ProfileFiles::parse(
            "/c/config",
            Some(config),
            "/c/credentials",
            Some(credentials),
        )
        .unwrap()
    }

    fn chain(config: &str, start: &str) -> Result<Chain, CredentialsError> {
        resolve(&files(config, ""), start)
    }

    fn keys(chain: &Chain) -> &str {
        match &chain.base {
            Base::StaticKeys(credentials) => credentials.access_key_id(),
            other => panic!("{other:?}"),
        }
    }

    fn roles(chain: &Chain) -> Vec<&str> {
        chain.hops.iter().map(|h| h.role_arn.as_str()).collect()
    }

    #[test]
    fn static_keys_merge_from_both_files_the_credentials_file_winning() {
        let files = files(
            "[profile dev]\naws_access_key_id = FROMCONFIG\nregion = x",
            "[dev]\naws_access_key_id = AKID\naws_secret_access_key = S\naws_session_token = T",
        );
        let chain = resolve(&files, "dev").unwrap();
        assert_eq!(keys(&chain), "AKID");
        assert!(chain.hops.is_empty());
        let Base::StaticKeys(credentials) = &chain.base else {
            unreachable!()
        };
        assert_eq!(credentials.session_token(), Some("T"));
        assert_eq!(credentials.source(), "profile `dev` in /c/credentials");
    }

    #[test]
    fn a_role_chain_of_three_is_walked_to_the_keys() {
        let config = "\
[profile a]
role_arn = arn:aws:iam::1:role/a
source_profile = b
role_session_name = sa
external_id = ext
duration_seconds = 1800
[profile b]
role_arn = arn:aws:iam::1:role/b
source_profile = c
[profile c]
aws_access_key_id = CKEY
aws_secret_access_key = CSECRET
";
        let chain = chain(config, "a").unwrap();
        assert_eq!(keys(&chain), "CKEY");
        // Nearest the base last: assumed b first, then a.
        assert_eq!(
            roles(&chain),
            ["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"]
        );
        let a = &chain.hops[0];
        assert_eq!(a.session_name.as_deref(), Some("sa"));
        assert_eq!(a.external_id.as_deref(), Some("ext"));
        assert_eq!(a.duration, Some(Duration::from_secs(1800)));
    }

    #[test]
    fn a_source_profile_with_keys_uses_them_even_with_a_role() {
        let config = "\
[profile a]
role_arn = arn:aws:iam::1:role/a
source_profile = b
[profile b]
role_arn = arn:aws:iam::1:role/b
source_profile = c
aws_access_key_id = BKEY
aws_secret_access_key = BSECRET
";
        let chain = chain(config, "a").unwrap();
        assert_eq!(keys(&chain), "BKEY");
        assert_eq!(roles(&chain), ["arn:aws:iam::1:role/a"]);
    }

    #[test]
    fn in_the_first_profile_the_role_wins_over_its_keys() {
        let config = "\
[profile a]
role_arn = arn:aws:iam::1:role/a
source_profile = b
aws_access_key_id = AKEY
aws_secret_access_key = ASECRET
[profile b]
aws_access_key_id = BKEY
aws_secret_access_key = BSECRET
";
        let chain = chain(config, "a").unwrap();
        assert_eq!(keys(&chain), "BKEY");
        assert_eq!(roles(&chain), ["arn:aws:iam::1:role/a"]);
    }

    #[test]
    fn a_profile_that_is_its_own_source_uses_its_keys() {
        let config = "\
[profile a]
role_arn = arn:aws:iam::1:role/a
source_profile = a
aws_access_key_id = AKEY
aws_secret_access_key = ASECRET
";
        let chain = chain(config, "a").unwrap();
        assert_eq!(keys(&chain), "AKEY");
        assert_eq!(roles(&chain), ["arn:aws:iam::1:role/a"]);
        let without_keys = "[profile a]\nrole_arn = r\nsource_profile = a\n";
        let e = super::tests::chain(without_keys, "a").unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(e.to_string().contains("its own source_profile"), "{e}");
    }

    #[test]
    fn a_cycle_is_an_error_naming_the_profiles() {
        let config = "\
[profile a]
role_arn = ra
source_profile = b
aws_access_key_id = AKEY
aws_secret_access_key = ASECRET
[profile b]
role_arn = rb
source_profile = a
";
        // Back at `a` as a source: a cycle, even though `a` has keys.
        let e = chain(config, "a").unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            e.to_string(),
            "the profiles' source_profile links form a cycle: a -> b -> a"
        );
        let config = "[profile a]\nrole_arn = ra\nsource_profile = b\n[profile b]\nrole_arn = rb\nsource_profile = c\n[profile c]\nrole_arn = rc\nsource_profile = a\n";
        let e2 = super::tests::chain(config, "a").unwrap_err();
        assert_eq!(
            e2.to_string(),
            "the profiles' source_profile links form a cycle: a -> b -> c -> a"
        );
    }

    #[test]
    fn role_sources_must_be_one_of_the_two() {
        let both = "[profile a]\nrole_arn = r\nsource_profile = b\ncredential_source = Environment\n[profile b]\naws_access_key_id = K\naws_secret_access_key = S\n";
        let e = chain(both, "a").unwrap_err();
        assert!(
            e.to_string()
                .contains("both `source_profile` and `credential_source`"),
            "{e}"
        );
        assert!(e.to_string().contains("/c/config line 2"), "{e}");
        let neither = "[profile a]\nrole_arn = r\n";
        let e = chain(neither, "a").unwrap_err();
        assert!(
            e.to_string()
                .contains("neither `source_profile` nor `credential_source`"),
            "{e}"
        );
    }

    #[test]
    fn named_sources_in_any_case_and_unknown_ones() {
        let config = "[profile a]\nrole_arn = r\ncredential_source = ec2instancemetadata\n";
        let chain = chain(config, "a").unwrap();
        assert_eq!(
            chain.base,
            Base::NamedSource {
                profile: "a".into(),
                source: NamedSource::Ec2InstanceMetadata
            }
        );
        let e = super::tests::chain("[profile a]\nrole_arn = r\ncredential_source = Foo\n", "a")
            .unwrap_err();
        assert!(e.to_string().contains("credential_source `Foo`"), "{e}");
        assert!(e.to_string().contains("is not supported"), "{e}");
    }

    #[test]
    fn a_missing_source_profile_is_an_error_and_a_missing_selected_one_is_not_loaded() {
        let e = chain("[profile a]\nrole_arn = r\nsource_profile = nowhere\n", "a").unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(e.to_string().contains("`source_profile = nowhere`"), "{e}");
        let e = chain("[profile a]\nregion = x\n", "other").unwrap_err();
        assert!(e.is_not_loaded(), "{e}");
        let e = chain("[profile a]\nregion = x\n", "a").unwrap_err();
        assert!(e.is_not_loaded(), "{e}");
        assert_eq!(e.to_string(), "profile `a` has no credentials");
    }

    #[test]
    fn half_a_key_pair_is_an_error_naming_the_missing_key() {
        let e = resolve(&files("", "[a]\naws_access_key_id = K\n"), "a").unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            e.to_string(),
            "profile `a` has `aws_access_key_id` (/c/credentials line 2) but no `aws_secret_access_key`"
        );
    }

    #[test]
    fn own_sources_in_order() {
        let web =
            "[profile a]\nrole_arn = r\nweb_identity_token_file = /t\ncredential_process = p\n";
        assert!(matches!(
            chain(web, "a").unwrap().base,
            Base::WebIdentity { .. }
        ));
        let e = chain("[profile a]\nweb_identity_token_file = /t\n", "a").unwrap_err();
        assert!(e.to_string().contains("no `role_arn`"), "{e}");
        let sso = "[profile a]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\ncredential_process = p\n";
        assert!(matches!(chain(sso, "a").unwrap().base, Base::Sso { .. }));
        let process = "[profile a]\ncredential_process = /bin/creds --x\naws_account_id = 123\naws_access_key_id = K\naws_secret_access_key = S\n";
        assert_eq!(
            chain(process, "a").unwrap().base,
            Base::Process {
                profile: "a".into(),
                command: "/bin/creds --x".into(),
                account_id: Some("123".into())
            }
        );
    }

    #[test]
    fn duration_seconds_must_be_in_range() {
        let config = "[profile a]\nrole_arn = r\nsource_profile = b\nduration_seconds = 60\n[profile b]\naws_access_key_id = K\naws_secret_access_key = S\n";
        let e = chain(config, "a").unwrap_err();
        assert!(e.to_string().contains("duration_seconds"), "{e}");
    }

    #[test]
    fn errors_never_show_a_secret() {
        let files = files(
            "",
            "[c]\naws_secret_access_key = TOPSECRET\n[d]\naws_session_token = TOKENVALUE\naws_access_key_id = A\n",
        );
        for profile in ["c", "d"] {
            let e = resolve(&files, profile).unwrap_err();
            let shown = format!("{e} {e:?}");
            assert!(
                !shown.contains("TOPSECRET") && !shown.contains("TOKENVALUE"),
                "{shown}"
            );
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }

    #[test]
    fn messages_never_show_a_secret() {
        let config = "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\naws_access_key_id = K\naws_secret_access_key = TOPSECRET\naws_session_token = TOKENVALUE\n";
        let chain = chain(config, "a").unwrap();
        let shown = format!("{chain:?}");
        // The resolved chain is internal, but its Debug must still be safe to log.
        assert!(
            !shown.contains("TOPSECRET") && !shown.contains("TOKENVALUE"),
            "{shown}"
        );
    }
}
