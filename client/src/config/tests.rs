use super::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY-VERY-SECRET";
const TOKEN: &str = "FwoGZXIvYXdzE-VERY-SECRET-TOKEN";

/// A fresh directory under the system temp dir, removed on drop, holding a config and
/// a credentials file (either may be left absent).
struct Files {
    dir: PathBuf,
    config: PathBuf,
    credentials: PathBuf,
}

impl Files {
    fn new(config: Option<&str>, credentials: Option<&str>) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "querygen-runtime-config-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let config_path = dir.join("config");
        let credentials_path = dir.join("credentials");
        if let Some(text) = config {
            std::fs::write(&config_path, text).unwrap();
        }
        if let Some(text) = credentials {
            std::fs::write(&credentials_path, text).unwrap();
        }
        Self {
            dir,
            config: config_path,
            credentials: credentials_path,
        }
    }

    fn config(text: &str) -> Self {
        Self::new(Some(text), None)
    }

    /// The environment `vars` plus the two file variables pointing here (unless `vars`
    /// sets them).
    fn env(&self, vars: &[(&str, &str)]) -> Env {
        let mut pairs: Vec<(String, String)> = vec![
            ("AWS_CONFIG_FILE".into(), self.config.display().to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".into(),
                self.credentials.display().to_string(),
            ),
        ];
        pairs.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        Env::from_pairs(pairs)
    }

    fn load(&self, vars: &[(&str, &str)]) -> Result<EnvSettings, ConfigError> {
        load_env_settings(&self.env(vars), "ELASTICACHE", "elasticache")
    }

    fn settings(&self, vars: &[(&str, &str)]) -> EnvSettings {
        match self.load(vars) {
            Ok(settings) => settings,
            Err(e) => panic!("loading failed: {e}"),
        }
    }

    fn error(&self, vars: &[(&str, &str)]) -> ConfigError {
        match self.load(vars) {
            Ok(settings) => panic!("loading should fail, got {settings:?}"),
            Err(e) => e,
        }
    }

    fn explicit(&self, vars: &[(&str, &str)], explicit: &ExplicitSettings) -> EnvSettings {
        match load_settings(&self.env(vars), "ELASTICACHE", "elasticache", explicit) {
            Ok(settings) => settings,
            Err(e) => panic!("loading failed: {e}"),
        }
    }

    fn config_path(&self) -> String {
        self.config.display().to_string()
    }

    fn credentials_path(&self) -> String {
        self.credentials.display().to_string()
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

// ---- Env ----

#[test]
fn env_treats_empty_values_as_unset() {
    let env = Env::from_pairs([("A", "x"), ("B", "")]);
    assert_eq!(env.var("A").as_deref(), Some("x"));
    assert_eq!(env.var("B"), None);
    assert_eq!(env.var("C"), None);
}

#[test]
fn env_home_comes_from_the_pairs_or_with_home() {
    assert_eq!(
        Env::from_pairs([("HOME", "/home/u")]).home(),
        Some(Path::new("/home/u"))
    );
    assert_eq!(Env::from_pairs([("HOME", "")]).home(), None);
    assert_eq!(
        Env::from_pairs([("HOME", "/a")]).with_home("/b").home(),
        Some(Path::new("/b"))
    );
}

#[test]
fn env_debug_lists_names_only() {
    let env = Env::from_pairs([("AWS_SECRET_ACCESS_KEY", SECRET)]);
    let shown = format!("{env:?}");
    assert!(shown.contains("AWS_SECRET_ACCESS_KEY"), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
}

#[test]
fn the_process_environment_is_readable() {
    // Only reads; whatever the machine has set must load or fail without panicking.
    let env = Env::from_process();
    let _ = env.var("PATH");
    let _ = format!("{env:?}");
}

// ---- Profile selection ----

#[test]
fn the_profile_is_aws_profile_else_default() {
    let files = Files::config("[default]\nregion = d\n[profile dev]\nregion = r-dev");
    let s = files.settings(&[]);
    assert_eq!(
        (s.profile.as_str(), s.region.as_deref()),
        ("default", Some("d"))
    );
    let s = files.settings(&[("AWS_PROFILE", "dev")]);
    assert_eq!(
        (s.profile.as_str(), s.region.as_deref()),
        ("dev", Some("r-dev"))
    );
    let explicit = ExplicitSettings {
        profile: Some("default".into()),
        ..ExplicitSettings::default()
    };
    let s = files.explicit(&[("AWS_PROFILE", "dev")], &explicit);
    assert_eq!(
        (s.profile.as_str(), s.region.as_deref()),
        ("default", Some("d"))
    );
}

#[test]
fn an_absent_default_profile_is_no_error() {
    let s = Files::new(None, None).settings(&[]);
    assert_eq!(s.profile, "default");
    assert_eq!(s.region, None);
    let s = Files::config("[profile other]\nregion = x").settings(&[("AWS_PROFILE", "default")]);
    assert_eq!(s.region, None);
}

#[test]
fn a_missing_named_profile_is_an_error() {
    let files = Files::new(Some("[profile other]"), Some("[another]"));
    let e = files.error(&[("AWS_PROFILE", "dev")]);
    assert_eq!(
        e.to_string(),
        format!(
            "profile `dev` (from AWS_PROFILE) not found in {} or {}",
            files.config_path(),
            files.credentials_path()
        )
    );
    assert_eq!(e.kind(), ConfigErrorKind::ProfileNotFound);
    assert_eq!(e.variable(), Some("AWS_PROFILE"));

    let explicit = ExplicitSettings {
        profile: Some("dev".into()),
        ..ExplicitSettings::default()
    };
    let e = load_settings(&files.env(&[]), "ELASTICACHE", "elasticache", &explicit);
    assert_eq!(
        e.map_err(|e| e.to_string()).err(),
        Some(format!(
            "profile `dev` (given in code) not found in {} or {}",
            files.config_path(),
            files.credentials_path()
        ))
    );

    let none = Files::new(None, None);
    assert_eq!(
        none.error(&[("AWS_PROFILE", "dev")]).to_string(),
        format!(
            "profile `dev` (from AWS_PROFILE) not found in {} or {}; neither file exists",
            none.config_path(),
            none.credentials_path()
        )
    );
}

#[test]
fn a_missing_profile_error_points_at_a_misspelt_section() {
    let files = Files::config("[default]\n[dev]\nregion = x");
    assert_eq!(
        files.error(&[("AWS_PROFILE", "dev")]).to_string(),
        format!(
            "profile `dev` (from AWS_PROFILE) not found in {} or {}; the config file's `[dev]` on line 2 must be written `[profile dev]`",
            files.config_path(),
            files.credentials_path()
        )
    );
    let files = Files::new(None, Some("\n[profile dev]\naws_access_key_id = A"));
    assert_eq!(
        files.error(&[("AWS_PROFILE", "dev")]).to_string(),
        format!(
            "profile `dev` (from AWS_PROFILE) not found in {} or {}; the credentials file's `[profile dev]` on line 2 must be written `[dev]`",
            files.config_path(),
            files.credentials_path()
        )
    );
}

#[test]
fn the_files_are_read_only_when_a_setting_needs_them() {
    // Every setting comes from the environment: neither the broken config file nor the
    // missing profile matters.
    let files = Files::config("this is not a config file");
    let bundle = files.dir.join("ca.pem");
    let ca = rcgen::generate_simple_self_signed(vec!["ca.test".to_owned()]).unwrap();
    std::fs::write(&bundle, ca.cert.pem()).unwrap();
    let bundle = bundle.display().to_string();
    let vars = [
        ("AWS_CA_BUNDLE", bundle.as_str()),
        ("AWS_PROFILE", "missing"),
        ("AWS_REGION", "r"),
        ("AWS_ACCESS_KEY_ID", "A"),
        ("AWS_SECRET_ACCESS_KEY", "S"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ("AWS_USE_FIPS_ENDPOINT", "false"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
        ("AWS_MAX_ATTEMPTS", "2"),
        ("AWS_RETRY_MODE", "legacy"),
        ("AWS_DISABLE_CLOCK_SKEW_CORRECTION", "false"),
    ];
    let s = files.settings(&vars);
    assert_eq!(s.profile, "missing");
    assert_eq!(s.endpoint_url, None);
    assert_eq!(s.use_dual_stack, Some(true));
    assert!(s.ca_bundle.is_some());
    // One setting short, and the file is read.
    let e = files.error(&vars[..10]);
    assert_eq!(e.kind(), ConfigErrorKind::Syntax);
    let e = files.error(&vars[1..]);
    assert_eq!(e.kind(), ConfigErrorKind::Syntax);
}

// ---- Region ----

#[test]
fn region_precedence() {
    let files = Files::config("[default]\nregion = from-profile");
    let region = |vars: &[(&str, &str)]| files.settings(vars).region;
    assert_eq!(region(&[]).as_deref(), Some("from-profile"));
    assert_eq!(
        region(&[("AWS_DEFAULT_REGION", "default-region")]).as_deref(),
        Some("default-region")
    );
    assert_eq!(
        region(&[
            ("AWS_DEFAULT_REGION", "default-region"),
            ("AWS_REGION", "region")
        ])
        .as_deref(),
        Some("region")
    );
    assert_eq!(
        region(&[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "")]).as_deref(),
        Some("from-profile"),
        "empty variables count as unset"
    );
    let explicit = ExplicitSettings {
        region: Some("code".into()),
        ..ExplicitSettings::default()
    };
    assert_eq!(
        files
            .explicit(&[("AWS_REGION", "region")], &explicit)
            .region
            .as_deref(),
        Some("code")
    );
}

#[test]
fn an_empty_profile_value_counts_as_unset() {
    let s = Files::config("[default]\nregion =\nmax_attempts =\nendpoint_url =").settings(&[]);
    assert_eq!(
        (s.region, s.max_attempts, s.endpoint_url),
        (None, None, None)
    );
}

// ---- Endpoint URL ----

const ENDPOINT_PROFILES: &str = "\
[default]
endpoint_url = https://global.profile
services = svc

[services svc]
elasticache =
  endpoint_url = https://elasticache.services
s3 =
  endpoint_url = https://s3.services

[profile global-only]
endpoint_url = https://global.profile

[profile other-service]
services = s3-only
endpoint_url = https://global.profile

[services s3-only]
s3 =
  endpoint_url = https://s3.services

[profile ignoring]
ignore_configured_endpoint_urls = true
endpoint_url = https://global.profile

[profile dangling]
services = nowhere
";

#[test]
fn endpoint_url_precedence() {
    let files = Files::config(ENDPOINT_PROFILES);
    let url = |vars: &[(&str, &str)]| files.settings(vars).endpoint_url;
    let service = ("AWS_ENDPOINT_URL_ELASTICACHE", "https://elasticache.env");
    let global = ("AWS_ENDPOINT_URL", "https://global.env");
    assert_eq!(
        url(&[service, global]).as_deref(),
        Some("https://elasticache.env")
    );
    assert_eq!(url(&[global]).as_deref(), Some("https://global.env"));
    assert_eq!(url(&[]).as_deref(), Some("https://elasticache.services"));
    assert_eq!(
        url(&[("AWS_PROFILE", "global-only")]).as_deref(),
        Some("https://global.profile")
    );
    assert_eq!(
        url(&[("AWS_PROFILE", "other-service")]).as_deref(),
        Some("https://global.profile"),
        "another service's entry does not count"
    );
    assert_eq!(
        url(&[("AWS_ENDPOINT_URL_S3", "https://s3.env")]).as_deref(),
        Some("https://elasticache.services")
    );
    let explicit = ExplicitSettings {
        endpoint_url: Some("https://code".into()),
        ignore_configured_endpoint_urls: Some(true),
        ..ExplicitSettings::default()
    };
    assert_eq!(
        files
            .explicit(&[service], &explicit)
            .endpoint_url
            .as_deref(),
        Some("https://code")
    );
    assert_eq!(Files::new(None, None).settings(&[]).endpoint_url, None);
}

#[test]
fn configured_endpoint_urls_can_be_ignored() {
    let files = Files::config(ENDPOINT_PROFILES);
    let url = |vars: &[(&str, &str)]| files.settings(vars).endpoint_url;
    let service = ("AWS_ENDPOINT_URL_ELASTICACHE", "https://elasticache.env");
    let global = ("AWS_ENDPOINT_URL", "https://global.env");
    for value in ["true", "TRUE", "True"] {
        let ignore = ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", value);
        assert_eq!(url(&[ignore, service, global]), None);
        assert_eq!(url(&[ignore]), None);
    }
    let profile = ("AWS_PROFILE", "ignoring");
    assert_eq!(url(&[profile, service, global]), None);
    assert_eq!(url(&[profile]), None);
    // The variable wins over the profile's setting, as for any setting.
    assert_eq!(
        url(&[
            profile,
            service,
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")
        ])
        .as_deref(),
        Some("https://elasticache.env")
    );
    let explicit = ExplicitSettings {
        ignore_configured_endpoint_urls: Some(true),
        ..ExplicitSettings::default()
    };
    assert_eq!(files.explicit(&[service], &explicit).endpoint_url, None);
    let explicit = ExplicitSettings {
        ignore_configured_endpoint_urls: Some(false),
        ..ExplicitSettings::default()
    };
    assert_eq!(
        files
            .explicit(&[profile], &explicit)
            .endpoint_url
            .as_deref(),
        Some("https://global.profile")
    );
}

#[test]
fn a_services_section_that_does_not_exist_is_an_error() {
    let files = Files::config(ENDPOINT_PROFILES);
    let e = files.error(&[("AWS_PROFILE", "dangling")]);
    let line = ENDPOINT_PROFILES
        .lines()
        .position(|l| l == "services = nowhere")
        .map(|i| i + 1);
    assert_eq!(
        e.to_string(),
        format!(
            "profile `dangling` sets `services = nowhere` ({} line {}), but {} has no `[services nowhere]` section",
            files.config_path(),
            line.unwrap_or(0),
            files.config_path()
        )
    );
    assert_eq!(e.kind(), ConfigErrorKind::MissingSection);
    assert_eq!(e.line(), line);
    // Not looked at when the environment gives the URL.
    let s = files.settings(&[
        ("AWS_PROFILE", "dangling"),
        ("AWS_ENDPOINT_URL", "https://e"),
    ]);
    assert_eq!(s.endpoint_url.as_deref(), Some("https://e"));
}

#[test]
fn services_keys_are_case_insensitive() {
    let files = Files::config("[default]\nServices = s\n[services s]\nElastiCache =\n  Endpoint_URL = http://localhost:4566\n");
    assert_eq!(
        files.settings(&[]).endpoint_url.as_deref(),
        Some("http://localhost:4566")
    );
}

// ---- FIPS, dual-stack, retries ----

#[test]
fn boolean_settings_precedence_and_spelling() {
    let files =
        Files::config("[default]\nuse_fips_endpoint = TRUE\nuse_dualstack_endpoint = false");
    let s = files.settings(&[]);
    assert_eq!((s.use_fips, s.use_dual_stack), (Some(true), Some(false)));
    let s = files.settings(&[
        ("AWS_USE_FIPS_ENDPOINT", "False"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
    ]);
    assert_eq!((s.use_fips, s.use_dual_stack), (Some(false), Some(true)));
    let explicit = ExplicitSettings {
        use_fips: Some(true),
        use_dual_stack: Some(false),
        ..ExplicitSettings::default()
    };
    let s = files.explicit(
        &[
            ("AWS_USE_FIPS_ENDPOINT", "not a bool"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
        ],
        &explicit,
    );
    assert_eq!((s.use_fips, s.use_dual_stack), (Some(true), Some(false)));
    let s = Files::new(None, None).settings(&[]);
    assert_eq!((s.use_fips, s.use_dual_stack), (None, None));
}

#[test]
fn retry_settings_precedence() {
    let files = Files::config("[default]\nmax_attempts = 7\nretry_mode = Legacy");
    let s = files.settings(&[]);
    assert_eq!(
        (s.max_attempts, s.retry_mode),
        (Some(7), Some(RetryMode::Legacy))
    );
    let s = files.settings(&[("AWS_MAX_ATTEMPTS", "1"), ("AWS_RETRY_MODE", "STANDARD")]);
    assert_eq!(
        (s.max_attempts, s.retry_mode),
        (Some(1), Some(RetryMode::Standard))
    );
    let s = files.settings(&[("AWS_RETRY_MODE", "adaptive")]);
    assert_eq!(s.retry_mode, Some(RetryMode::Adaptive));
    let explicit = ExplicitSettings {
        max_attempts: Some(3),
        retry_mode: Some(RetryMode::Standard),
        ..ExplicitSettings::default()
    };
    let s = files.explicit(&[("AWS_MAX_ATTEMPTS", "x")], &explicit);
    assert_eq!(
        (s.max_attempts, s.retry_mode),
        (Some(3), Some(RetryMode::Standard))
    );
}

#[test]
fn clock_skew_correction_switch_precedence() {
    let files = Files::config("[default]\ndisable_clock_skew_correction = true");
    assert_eq!(
        files.settings(&[]).disable_clock_skew_correction,
        Some(true)
    );
    let s = files.settings(&[("AWS_DISABLE_CLOCK_SKEW_CORRECTION", "FALSE")]);
    assert_eq!(s.disable_clock_skew_correction, Some(false));
    assert_eq!(
        Files::new(None, None)
            .settings(&[])
            .disable_clock_skew_correction,
        None
    );
    let explicit = ExplicitSettings {
        disable_clock_skew_correction: Some(false),
        ..ExplicitSettings::default()
    };
    let s = files.explicit(&[("AWS_DISABLE_CLOCK_SKEW_CORRECTION", "x")], &explicit);
    assert_eq!(s.disable_clock_skew_correction, Some(false));
    let e = files.error(&[("AWS_DISABLE_CLOCK_SKEW_CORRECTION", "yes")]);
    assert_eq!(
        e.to_string(),
        "AWS_DISABLE_CLOCK_SKEW_CORRECTION is \"yes\", expected `true` or `false`"
    );
}

#[test]
fn the_builder_takes_the_retry_mode_and_the_clock_skew_switch_from_the_settings() {
    let files =
        Files::config("[default]\nretry_mode = adaptive\ndisable_clock_skew_correction = true");
    let config = ConfigBuilder::from_settings(files.settings(&[])).build();
    assert_eq!(config.retry().mode, RetryMode::Adaptive);
    assert!(!config.clock_skew_correction());
    // Unset: standard mode, correction on. Code wins over the settings.
    let config = ConfigBuilder::from_settings(Files::new(None, None).settings(&[])).build();
    assert_eq!(config.retry().mode, RetryMode::Standard);
    assert!(config.clock_skew_correction());
    let config = ConfigBuilder::from_settings(files.settings(&[]))
        .retry_mode(RetryMode::Standard)
        .clock_skew_correction(true)
        .build();
    assert_eq!(config.retry().mode, RetryMode::Standard);
    assert!(config.clock_skew_correction());
}

#[test]
fn retry_mode_names() {
    for mode in [RetryMode::Standard, RetryMode::Legacy, RetryMode::Adaptive] {
        assert_eq!(RetryMode::from_name(mode.as_str()), Some(mode));
    }
    assert_eq!(RetryMode::from_name("fast"), None);
}

#[test]
fn invalid_values_in_the_environment() {
    let files = Files::new(None, None);
    let cases = [
        ("AWS_USE_FIPS_ENDPOINT", "yes", "`true` or `false`"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "1", "`true` or `false`"),
        (
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "on",
            "`true` or `false`",
        ),
        ("AWS_MAX_ATTEMPTS", "0", "a whole number of at least 1"),
        ("AWS_MAX_ATTEMPTS", "-1", "a whole number of at least 1"),
        ("AWS_MAX_ATTEMPTS", "three", "a whole number of at least 1"),
        (
            "AWS_MAX_ATTEMPTS",
            "99999999999",
            "a whole number of at least 1",
        ),
        (
            "AWS_RETRY_MODE",
            "fast",
            "`standard`, `legacy` or `adaptive`",
        ),
    ];
    for (variable, value, expected) in cases {
        let e = files.error(&[(variable, value)]);
        assert_eq!(
            e.to_string(),
            format!("{variable} is \"{value}\", expected {expected}")
        );
        assert_eq!(e.kind(), ConfigErrorKind::InvalidValue);
        assert_eq!(e.variable(), Some(variable));
        assert_eq!(e.path(), None);
    }
}

#[test]
fn invalid_values_in_a_profile() {
    let cases = [
        ("use_fips_endpoint", "yes", "`true` or `false`"),
        ("use_dualstack_endpoint", "0", "`true` or `false`"),
        (
            "ignore_configured_endpoint_urls",
            "maybe",
            "`true` or `false`",
        ),
        ("max_attempts", "0", "a whole number of at least 1"),
        ("max_attempts", "2.5", "a whole number of at least 1"),
        ("retry_mode", "fast", "`standard`, `legacy` or `adaptive`"),
    ];
    for (key, value, expected) in cases {
        let files = Files::config(&format!("[profile dev]\nregion = r\n\n{key} = {value}\n"));
        let e = files.error(&[("AWS_PROFILE", "dev")]);
        assert_eq!(
            e.to_string(),
            format!(
                "`{key}` in profile `dev` ({} line 4) is \"{value}\", expected {expected}",
                files.config_path()
            )
        );
        assert_eq!(e.kind(), ConfigErrorKind::InvalidValue);
        assert_eq!(e.key(), Some(key));
        assert_eq!(
            (e.path(), e.line()),
            (Some(files.config.as_path()), Some(4))
        );
    }
}

#[test]
fn zero_attempts_given_in_code_is_an_error() {
    let explicit = ExplicitSettings {
        max_attempts: Some(0),
        ..ExplicitSettings::default()
    };
    let e = load_settings(
        &Files::new(None, None).env(&[]),
        "ELASTICACHE",
        "elasticache",
        &explicit,
    );
    assert_eq!(
        e.map_err(|e| e.to_string()).err().as_deref(),
        Some("max_attempts given in code is 0, expected a whole number of at least 1")
    );
}

// ---- Files ----

#[test]
fn syntax_errors_surface_with_path_and_line() {
    let files = Files::new(
        None,
        Some("[default]\naws_access_key_id = A\naws_secret_access_key"),
    );
    let e = files.error(&[]);
    assert_eq!(
        e.to_string(),
        format!(
            "syntax error in {} on line 3: expected `key = value`, found no `=`",
            files.credentials_path()
        )
    );
    assert_eq!(e.line(), Some(3));
}

#[test]
fn an_unreadable_file_is_an_error() {
    let files = Files::new(None, None);
    std::fs::create_dir_all(&files.config).unwrap();
    let e = files.error(&[]);
    assert_eq!(e.kind(), ConfigErrorKind::Io);
    assert_eq!(e.path(), Some(files.config.as_path()));
    assert!(
        e.to_string().starts_with(&format!(
            "cannot read the config file {}: ",
            files.config_path()
        )),
        "{e}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_an_error() {
    let files = Files::new(None, None);
    std::fs::write(
        &files.credentials,
        b"[default]\nregion = a\nname = \xff\xfe\n",
    )
    .unwrap();
    let e = files.error(&[]);
    assert_eq!(
        e.to_string(),
        format!(
            "cannot read the credentials file {}: line 3 is not valid UTF-8",
            files.credentials_path()
        )
    );
    assert_eq!((e.kind(), e.line()), (ConfigErrorKind::Syntax, Some(3)));
}

#[test]
fn default_file_locations_under_home() {
    let files = Files::new(None, None);
    let aws = files.dir.join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(
        aws.join("config"),
        "[default]\nregion = home-region\nmax_attempts = 7",
    )
    .unwrap();
    // The credentials file wins for a key in both.
    std::fs::write(
        aws.join("credentials"),
        "[default]\nregion = from-credentials",
    )
    .unwrap();
    let env = Env::from_pairs([("HOME", files.dir.display().to_string())]);
    let s = load_env_settings(&env, "ELASTICACHE", "elasticache");
    let Ok(s) = s else { panic!("{s:?}") };
    assert_eq!(s.region.as_deref(), Some("from-credentials"));
    assert_eq!(s.max_attempts, Some(7));
    // `~` in AWS_CONFIG_FILE is the same home.
    std::fs::write(files.dir.join("elsewhere"), "[default]\nmax_attempts = 9").unwrap();
    let env = Env::from_pairs([("AWS_CONFIG_FILE", "~/elsewhere")]).with_home(&files.dir);
    let s = load_env_settings(&env, "ELASTICACHE", "elasticache");
    assert_eq!(s.ok().and_then(|s| s.max_attempts), Some(9));
}

#[test]
fn error_display_is_one_sentence_without_secrets() {
    // A selection of errors from the tests above: no newline, no secret.
    let files = Files::new(
        Some("[profile a]\nrole_arn = x\n[profile b]\nmax_attempts = 0"),
        Some(&format!("[c]\naws_secret_access_key = {SECRET}\n[d]\naws_session_token = {TOKEN}\naws_access_key_id = A")),
    );
    // (Credentials are not settings: the profile provider's tests cover their errors.)
    for profile in ["b", "e"] {
        let e = files.error(&[("AWS_PROFILE", profile)]);
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "{shown}");
        assert!(!e.to_string().contains('\n'), "{e}");
    }
}

#[test]
fn loading_never_panics_on_odd_files_and_values() {
    let texts = [
        "",
        "[",
        "[default]\nservices = \n",
        "[default]\nservices = s\n[services s]\nelasticache = x\n",
        "[default]\nservices = s\n[services s]\nelasticache =\n",
        "[default]\nservices = s\n[services s]\nelasticache =\n  endpoint_url =\n",
        "[default]\nendpoint_url =\n  continued",
        "[default]\nregion = a\n  b",
        "[default]\nmax_attempts = \u{1f602}",
        "[default]\naws_access_key_id =\naws_secret_access_key =",
        "[profile default]\n[default]\nregion = x",
    ];
    let values = [
        "",
        " ",
        "\u{0}",
        "\u{1f602}",
        "true ",
        " 5",
        "+5",
        "~",
        "~/",
        "default",
    ];
    for config in texts {
        for credentials in texts {
            let files = Files::new(Some(config), Some(credentials));
            let _ = files.load(&[]);
            for value in values {
                for variable in [
                    "AWS_PROFILE",
                    "AWS_MAX_ATTEMPTS",
                    "AWS_USE_FIPS_ENDPOINT",
                    "AWS_RETRY_MODE",
                    "AWS_CONFIG_FILE",
                ] {
                    let _ = files.load(&[(variable, value)]);
                }
            }
        }
    }
}

#[test]
fn the_region_is_inherited_through_source_profiles() {
    let files = Files::config(
        "[profile a]\nsource_profile = b\n[profile b]\nsource_profile = c\n[profile c]\nregion = eu-west-2\n[profile own]\nregion = us-west-1\nsource_profile = c\n[profile loop]\nsource_profile = loop\n[profile x]\nsource_profile = y\n[profile y]\nsource_profile = x\n",
    );
    let region = |profile: &str| files.settings(&[("AWS_PROFILE", profile)]).region;
    assert_eq!(region("a").as_deref(), Some("eu-west-2"));
    assert_eq!(
        region("own").as_deref(),
        Some("us-west-1"),
        "a profile's own region wins"
    );
    assert_eq!(region("loop"), None);
    assert_eq!(region("x"), None);
    // The environment still wins over any profile.
    assert_eq!(
        files
            .settings(&[("AWS_PROFILE", "a"), ("AWS_REGION", "ap-south-1")])
            .region
            .as_deref(),
        Some("ap-south-1")
    );
}
