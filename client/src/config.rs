//! Client settings: region, endpoint URL, FIPS and dual-stack, and retry settings,
//! from values given in code, environment variables, and the shared AWS `config`
//! and `credentials` files, with the precedence the AWS SDKs use. Credentials are
//! not settings: they come from a provider (see [`crate::credentials`]).
//!
//! For each setting the first of these that is set wins:
//!
//! | setting | code | environment | profile key |
//! | --- | --- | --- | --- |
//! | profile | [`ExplicitSettings::profile`] | `AWS_PROFILE` | (else `default`) |
//! | region | `region` | `AWS_REGION`, `AWS_DEFAULT_REGION` | `region` |
//! | endpoint URL | `endpoint_url` | `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL` | the `endpoint_url` of the service in the profile's `services` section, then `endpoint_url` |
//! | ignore configured endpoint URLs | `ignore_configured_endpoint_urls` | `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` | `ignore_configured_endpoint_urls` |
//! | FIPS | `use_fips` | `AWS_USE_FIPS_ENDPOINT` | `use_fips_endpoint` |
//! | dual-stack | `use_dual_stack` | `AWS_USE_DUALSTACK_ENDPOINT` | `use_dualstack_endpoint` |
//! | attempts | `max_attempts` | `AWS_MAX_ATTEMPTS` | `max_attempts` |
//! | retry mode | `retry_mode` | `AWS_RETRY_MODE` | `retry_mode` |
//! | CA bundle | [`ConfigBuilder::trust_roots`] | `AWS_CA_BUNDLE` | `ca_bundle` |
//! | proxies | [`ConfigBuilder::proxy`] | `https_proxy`, `http_proxy`, `no_proxy` (see [`crate::proxy`]) | (none) |
//! | no clock skew correction | `disable_clock_skew_correction` | `AWS_DISABLE_CLOCK_SKEW_CORRECTION` | `disable_clock_skew_correction` |
//!
//! The files are `AWS_CONFIG_FILE` (else `~/.aws/config`) and
//! `AWS_SHARED_CREDENTIALS_FILE` (else `~/.aws/credentials`); [`profile`] describes
//! their syntax. A profile's key set in both files takes the credentials file's value.
//! When ignoring configured endpoint URLs is on, neither the environment nor the files
//! give an endpoint URL (one given in code still counts).
//!
//! Missing files are fine. Everything else that is wrong is a [`ConfigError`] naming the
//! variable, or the file, line and key: an unreadable file, a syntax error, a value of
//! the wrong form, or a profile that exists in neither file (the implicit `default`
//! profile may be absent). The files are only read when a setting is not given in code
//! or in the environment, and a setting given in code is never looked up, so its
//! environment variable or key cannot cause an error.
//!
//! ```
//! use querygen_client::config::{load_env_settings, Env};
//!
//! let env = Env::from_pairs([
//!     ("AWS_REGION", "eu-west-1"),
//!     ("AWS_ENDPOINT_URL_ELASTICACHE", "http://localhost:4566"),
//!     ("AWS_USE_FIPS_ENDPOINT", "false"),
//!     ("AWS_USE_DUALSTACK_ENDPOINT", "false"),
//!     ("AWS_MAX_ATTEMPTS", "5"),
//!     ("AWS_RETRY_MODE", "standard"),
//!     ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"),
//! ]);
//! // Every setting but the CA bundle is in the environment; with no home directory
//! // known (no `HOME`) there are no files to read for that one.
//! let settings = load_env_settings(&env, "ELASTICACHE", "elasticache")?;
//! assert_eq!(settings.region.as_deref(), Some("eu-west-1"));
//! assert_eq!(settings.endpoint_url.as_deref(), Some("http://localhost:4566"));
//! assert_eq!(settings.max_attempts, Some(5));
//! # Ok::<(), querygen_client::config::ConfigError>(())
//! ```

mod builder;
mod overrides;
#[cfg(test)]
mod tests;

pub use crate::env::{profile, ConfigError, ConfigErrorKind, Env};
pub use crate::retry::RetryMode;
pub use builder::{Config, ConfigBuilder, ProvideRegion};
pub use overrides::CallOverrides;

use profile::{Profile, ProfileFiles, Property};

use crate::proxy::ProxyConfig;
use crate::tls::TrustRoots;

/// Settings found in the environment and the shared files, before the client's explicit
/// values override them. (From [`load_settings`], the explicit values are already in.)
#[derive(Debug, Clone, Default)]
pub struct EnvSettings {
    /// The profile the files were read with: `AWS_PROFILE`, else `default`.
    pub profile: String,
    /// `AWS_REGION` > `AWS_DEFAULT_REGION` > profile `region`.
    pub region: Option<String>,
    /// `AWS_ENDPOINT_URL_<SERVICE>` > `AWS_ENDPOINT_URL` > the profile's `services`
    /// section > profile `endpoint_url`; none of them if configured endpoint URLs are
    /// ignored.
    pub endpoint_url: Option<String>,
    /// `AWS_USE_FIPS_ENDPOINT` > profile `use_fips_endpoint`.
    pub use_fips: Option<bool>,
    /// `AWS_USE_DUALSTACK_ENDPOINT` > profile `use_dualstack_endpoint`.
    pub use_dual_stack: Option<bool>,
    /// `AWS_MAX_ATTEMPTS` > profile `max_attempts`; at least 1.
    pub max_attempts: Option<u32>,
    /// `AWS_RETRY_MODE` > profile `retry_mode`.
    pub retry_mode: Option<RetryMode>,
    /// The certificates of the PEM file named by `AWS_CA_BUNDLE` > profile
    /// `ca_bundle`, which replace the default roots.
    pub ca_bundle: Option<TrustRoots>,
    /// `https_proxy`, `http_proxy` and `no_proxy` (see [`crate::proxy`]).
    pub proxy: ProxyConfig,
    /// `AWS_DISABLE_CLOCK_SKEW_CORRECTION` > profile `disable_clock_skew_correction`.
    pub disable_clock_skew_correction: Option<bool>,
}

/// Values given in code. Each one that is set wins over the environment and the files,
/// and its variable and profile key are then not read at all.
#[derive(Debug, Clone, Default)]
pub struct ExplicitSettings {
    /// The profile to read instead of `AWS_PROFILE` or `default`.
    pub profile: Option<String>,
    /// The region.
    pub region: Option<String>,
    /// The endpoint URL; used even when configured endpoint URLs are ignored.
    pub endpoint_url: Option<String>,
    /// Whether to ignore endpoint URLs from the environment and the files.
    pub ignore_configured_endpoint_urls: Option<bool>,
    /// Whether to use a FIPS endpoint.
    pub use_fips: Option<bool>,
    /// Whether to use a dual-stack endpoint.
    pub use_dual_stack: Option<bool>,
    /// The most attempts a request gets (at least 1).
    pub max_attempts: Option<u32>,
    /// The retry mode.
    pub retry_mode: Option<RetryMode>,
    /// Whether to sign with the local clock even when responses show it is off.
    pub disable_clock_skew_correction: Option<bool>,
}

/// Loads the settings of `env` for one service.
///
/// `service_env_name` is the service's part of `AWS_ENDPOINT_URL_<SERVICE>`
/// (`ELASTICACHE`); `service_config_key` is its key in a `[services name]` section
/// (`elasticache`). See the [module docs](self) for the precedence and the errors.
pub fn load_env_settings(
    env: &Env,
    service_env_name: &str,
    service_config_key: &str,
) -> Result<EnvSettings, ConfigError> {
    load_settings(
        env,
        service_env_name,
        service_config_key,
        &ExplicitSettings::default(),
    )
}

/// Like [`load_env_settings`], with the values given in code taking precedence; a
/// setting given in code is not looked up in `env` or the files at all.
pub fn load_settings(
    env: &Env,
    service_env_name: &str,
    service_config_key: &str,
    explicit: &ExplicitSettings,
) -> Result<EnvSettings, ConfigError> {
    if explicit.max_attempts == Some(0) {
        return Err(ConfigError::new(
            ConfigErrorKind::InvalidValue,
            format!("max_attempts given in code is 0, expected {AT_LEAST_ONE}"),
        ));
    }
    let mut shared = Shared::new(env, explicit.profile.as_deref());
    let region = setting(
        &mut shared,
        explicit.region.clone(),
        &["AWS_REGION", "AWS_DEFAULT_REGION"],
        "region",
        |s| Ok(s.to_owned()),
    )?;
    let region = match region {
        Some(region) => Some(region),
        None => region_of_source_profiles(&mut shared)?,
    };
    let endpoint_url = endpoint_url(&mut shared, explicit, service_env_name, service_config_key)?;
    let use_fips = setting(
        &mut shared,
        explicit.use_fips,
        &["AWS_USE_FIPS_ENDPOINT"],
        "use_fips_endpoint",
        parse_bool,
    )?;
    let use_dual_stack = setting(
        &mut shared,
        explicit.use_dual_stack,
        &["AWS_USE_DUALSTACK_ENDPOINT"],
        "use_dualstack_endpoint",
        parse_bool,
    )?;
    let max_attempts = setting(
        &mut shared,
        explicit.max_attempts,
        &["AWS_MAX_ATTEMPTS"],
        "max_attempts",
        parse_attempts,
    )?;
    let retry_mode = setting(
        &mut shared,
        explicit.retry_mode,
        &["AWS_RETRY_MODE"],
        "retry_mode",
        |s| RetryMode::from_name(s).ok_or("`standard`, `legacy` or `adaptive`"),
    )?;
    let ca_bundle = ca_bundle(&mut shared)?;
    let proxy = ProxyConfig::from_env(env)?;
    let disable_clock_skew_correction = setting(
        &mut shared,
        explicit.disable_clock_skew_correction,
        &["AWS_DISABLE_CLOCK_SKEW_CORRECTION"],
        "disable_clock_skew_correction",
        parse_bool,
    )?;
    Ok(EnvSettings {
        profile: shared.name,
        region,
        endpoint_url,
        use_fips,
        use_dual_stack,
        max_attempts,
        retry_mode,
        ca_bundle,
        proxy,
        disable_clock_skew_correction,
    })
}

/// The CA bundle named by `AWS_CA_BUNDLE`, else by the profile's `ca_bundle`, read
/// and checked now so that a bad one is an error naming the file. A variable that
/// is set but blank is an error too (as in botocore), not a fallback to the
/// defaults.
fn ca_bundle(shared: &mut Shared<'_>) -> Result<Option<TrustRoots>, ConfigError> {
    const VARIABLE: &str = "AWS_CA_BUNDLE";
    // A path, so not necessarily Unicode: a bundle that is set must never be skipped.
    if let Some(value) = shared.env.raw_path_var(VARIABLE) {
        if value.to_string_lossy().trim().is_empty() {
            return Err(ConfigError::new(
                ConfigErrorKind::InvalidValue,
                format!("{VARIABLE} is set but empty, expected the path of a PEM file of CA certificates"),
            )
            .for_variable(VARIABLE));
        }
        return TrustRoots::from_pem_file(&value)
            .map(Some)
            .map_err(|e| e.for_variable(VARIABLE));
    }
    let Some(property) = shared.property("ca_bundle")? else {
        return Ok(None);
    };
    let path = profile::expand_home_in(shared.env, property.value()).map_err(|problem| {
        ConfigError::new(
            ConfigErrorKind::NoHomeDirectory,
            format!(
                "`ca_bundle` in profile `{}` ({}) {problem}",
                shared.name,
                property.location()
            ),
        )
        .in_file(property.path(), Some(property.line()))
        .for_key("ca_bundle")
    })?;
    TrustRoots::from_pem_file(&path).map(Some).map_err(|e| {
        ConfigError::new(
            e.kind(),
            format!(
                "`ca_bundle` in profile `{}` ({}): {e}",
                shared.name,
                property.location()
            ),
        )
        .in_file(&path, None)
        .for_key("ca_bundle")
    })
}

const AT_LEAST_ONE: &str = "a whole number of at least 1";

fn parse_bool(s: &str) -> Result<bool, &'static str> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if s.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err("`true` or `false`")
    }
}

fn parse_attempts(s: &str) -> Result<u32, &'static str> {
    match s.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(AT_LEAST_ONE),
    }
}

/// The `region` of the first profile along the selected profile's
/// `source_profile` links that has one, as aws-config reads it; none on a loop
/// or a missing profile.
fn region_of_source_profiles(shared: &mut Shared<'_>) -> Result<Option<String>, ConfigError> {
    let first = shared.name.clone();
    let loaded = shared.loaded()?;
    let mut current = loaded.profile.clone();
    let mut seen = vec![first];
    while let Some(profile) = current {
        let Some(source) = profile.get("source_profile").filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        if seen.iter().any(|name| name == source) {
            return Ok(None);
        }
        seen.push(source.to_owned());
        let next = loaded.files.profile(source);
        if let Some(region) = next
            .as_ref()
            .and_then(|p| p.get("region"))
            .filter(|r| !r.is_empty())
        {
            return Ok(Some(region.to_owned()));
        }
        current = next;
    }
    Ok(None)
}

/// How the profile was chosen, for the not-found message.
#[derive(Clone, Copy)]
enum SelectedBy {
    Code,
    Variable,
    Default,
}

/// The shared files and the selected profile, read the first time a setting needs them.
struct Shared<'e> {
    env: &'e Env,
    name: String,
    selected_by: SelectedBy,
    loaded: Option<Loaded>,
}

struct Loaded {
    files: ProfileFiles,
    /// `None` only for an absent `default` profile.
    profile: Option<Profile>,
}

impl<'e> Shared<'e> {
    fn new(env: &'e Env, explicit_profile: Option<&str>) -> Self {
        let (name, selected_by) = match (explicit_profile, env.var("AWS_PROFILE")) {
            (Some(name), _) => (name.to_owned(), SelectedBy::Code),
            (None, Some(name)) => (name, SelectedBy::Variable),
            (None, None) => ("default".to_owned(), SelectedBy::Default),
        };
        Self {
            env,
            name,
            selected_by,
            loaded: None,
        }
    }

    fn loaded(&mut self) -> Result<&Loaded, ConfigError> {
        let loaded = match self.loaded.take() {
            Some(loaded) => loaded,
            None => {
                let files = ProfileFiles::load(self.env)?;
                let profile = files.profile(&self.name);
                if profile.is_none() && self.name != "default" {
                    return Err(self.not_found(&files));
                }
                Loaded { files, profile }
            }
        };
        Ok(self.loaded.insert(loaded))
    }

    /// The selected profile's property `key`, if set to a non-empty value.
    fn property(&mut self, key: &str) -> Result<Option<Property>, ConfigError> {
        Ok(self
            .loaded()?
            .profile
            .as_ref()
            .and_then(|p| p.property(key))
            .filter(|p| !p.value().is_empty())
            .cloned())
    }

    fn not_found(&self, files: &ProfileFiles) -> ConfigError {
        let name = &self.name;
        let how = match self.selected_by {
            SelectedBy::Code => " (given in code)",
            SelectedBy::Variable => " (from AWS_PROFILE)",
            SelectedBy::Default => "",
        };
        let mut message = format!(
            "profile `{name}`{how} not found in {} or {}",
            files.config_path().display(),
            files.credentials_path().display()
        );
        let misspelt_in_config = files
            .config_file()
            .and_then(|f| f.ignored_sections().iter().find(|s| s.header() == name));
        let misspelt_in_credentials = files.credentials_file().and_then(|f| {
            f.ignored_sections().iter().find(|s| {
                s.header()
                    .strip_prefix("profile")
                    .is_some_and(|rest| rest.trim_matches([' ', '\t']) == name)
            })
        });
        if let Some(section) = misspelt_in_config {
            message.push_str(&format!(
                "; the config file's `[{name}]` on line {} must be written `[profile {name}]`",
                section.line()
            ));
        } else if let Some(section) = misspelt_in_credentials {
            message.push_str(&format!(
                "; the credentials file's `[{}]` on line {} must be written `[{name}]`",
                section.header(),
                section.line()
            ));
        } else if files.config_file().is_none() && files.credentials_file().is_none() {
            message.push_str("; neither file exists");
        }
        let error = ConfigError::new(ConfigErrorKind::ProfileNotFound, message);
        match self.selected_by {
            SelectedBy::Variable => error.for_variable("AWS_PROFILE"),
            _ => error,
        }
    }

    fn invalid_in_file(&self, property: &Property, expected: &str) -> ConfigError {
        ConfigError::new(
            ConfigErrorKind::InvalidValue,
            format!(
                "`{}` in profile `{}` ({}) is {:?}, expected {expected}",
                property.key(),
                self.name,
                property.location(),
                property.value()
            ),
        )
        .in_file(property.path(), Some(property.line()))
        .for_key(property.key())
    }
}

/// One setting: the explicit value, else the first of `variables` that is set, else the
/// profile's `key`. `parse` says what it expected when a value does not parse.
fn setting<T>(
    shared: &mut Shared<'_>,
    explicit: Option<T>,
    variables: &[&str],
    key: &str,
    parse: impl Fn(&str) -> Result<T, &'static str>,
) -> Result<Option<T>, ConfigError> {
    if explicit.is_some() {
        return Ok(explicit);
    }
    for variable in variables {
        if let Some(value) = shared.env.var(variable) {
            return parse(&value).map(Some).map_err(|expected| {
                ConfigError::new(
                    ConfigErrorKind::InvalidValue,
                    format!("{variable} is {value:?}, expected {expected}"),
                )
                .for_variable(variable)
            });
        }
    }
    match shared.property(key)? {
        Some(property) => parse(property.value())
            .map(Some)
            .map_err(|expected| shared.invalid_in_file(&property, expected)),
        None => Ok(None),
    }
}

fn endpoint_url(
    shared: &mut Shared<'_>,
    explicit: &ExplicitSettings,
    service_env_name: &str,
    service_config_key: &str,
) -> Result<Option<String>, ConfigError> {
    if let Some(url) = &explicit.endpoint_url {
        return Ok(Some(url.clone()));
    }
    let ignore = setting(
        shared,
        explicit.ignore_configured_endpoint_urls,
        &["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"],
        "ignore_configured_endpoint_urls",
        parse_bool,
    )?;
    if ignore == Some(true) {
        return Ok(None);
    }
    let env = shared.env;
    if let Some(url) = env.var(&format!("AWS_ENDPOINT_URL_{service_env_name}")) {
        return Ok(Some(url));
    }
    if let Some(url) = env.var("AWS_ENDPOINT_URL") {
        return Ok(Some(url));
    }
    let name = shared.name.clone();
    let loaded = shared.loaded()?;
    let Some(profile) = &loaded.profile else {
        return Ok(None);
    };
    if let Some(services) = profile
        .property("services")
        .filter(|p| !p.value().is_empty())
    {
        let section = loaded.files.services(services.value()).ok_or_else(|| {
            ConfigError::new(
                ConfigErrorKind::MissingSection,
                format!(
                    "profile `{name}` sets `services = {}` ({}), but {} has no `[services {}]` section",
                    services.value(),
                    services.location(),
                    loaded.files.config_path().display(),
                    services.value()
                ),
            )
            .in_file(services.path(), Some(services.line()))
            .for_key("services")
        })?;
        let url = section
            .property(service_config_key)
            .and_then(|p| p.sub_property("endpoint_url"))
            .filter(|url| !url.is_empty());
        if let Some(url) = url {
            return Ok(Some(url.to_owned()));
        }
    }
    Ok(profile
        .get("endpoint_url")
        .filter(|url| !url.is_empty())
        .map(str::to_owned))
}
