//! The SSO provider against a loopback portal, with config and token cache files
//! in a temporary folder.

mod support;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use querygen_client::config::Env;
use querygen_client::credentials::{
    CredentialsErrorKind, ManualClock, ProvideCredentials, ProviderConfig, SsoCredentialsProvider,
};
use support::{serve, Loopback, Reply, Scratch};

const ACCESS_TOKEN: &str = "TOKEN-sso-access-4f1e";
const KEY_ID: &str = "ASIAEXAMPLEROLEKEY";
const SECRET: &str = "SECRET-role-key-9a2b";
const SESSION_TOKEN: &str = "SESSION-role-token-77c3";
/// 2026-01-01T00:00:00Z
const NOW: u64 = 1_767_225_600;
/// 2026-01-01T01:00:00.123Z in epoch milliseconds.
const EXPIRATION_MS: u64 = 1_767_229_200_123;
const START_URL: &str = "https://ssotest.awsapps.com/start";

const SESSION_CONFIG: &str = "\
[profile dev]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = ReadOnly

[sso-session my-sso]
sso_start_url = https://ssotest.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
";

const LEGACY_CONFIG: &str = "\
[profile old]
sso_start_url = https://ssotest.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 444455556666
sso_role_name = Power+User Access
";

/// The AWS CLI's token cache under the home folder `dir`, created.
fn cache(dir: &Scratch) -> PathBuf {
    let cache = dir.path(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    cache
}

/// A home folder with `config` as the config file, and a provider config reading it
/// at [`NOW`].
fn setup(name: &str, config: &str) -> (Scratch, ProviderConfig) {
    let dir = Scratch::new(&format!("sso-{name}"));
    let config_path = dir.dir().join("config");
    std::fs::write(&config_path, config).unwrap();
    let env = Env::from_pairs([
        ("HOME", dir.dir().to_str().unwrap()),
        ("AWS_CONFIG_FILE", config_path.to_str().unwrap()),
    ]);
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(NOW));
    (dir, ProviderConfig::new(env).with_clock(clock))
}

/// A token cache file named `file` with `token`, expiring at `expires_at`.
fn write_token(dir: &Scratch, file: &str, token: &str, expires_at: &str) -> PathBuf {
    let path = cache(dir).join(file);
    let body = format!(
        r#"{{"accessToken":"{token}","expiresAt":"{expires_at}","region":"us-east-1","startUrl":"{START_URL}"}}"#
    );
    std::fs::write(&path, body).unwrap();
    path
}

const SESSION_FILE: &str = "0ad374308c5a4e22f723adf10145eafad7c4031c.json"; // SHA-1 of `my-sso`
const LEGACY_FILE: &str = "dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json"; // SHA-1 of START_URL

fn role_credentials() -> String {
    format!(
        r#"{{"roleCredentials":{{"accessKeyId":"{KEY_ID}","secretAccessKey":"{SECRET}","sessionToken":"{SESSION_TOKEN}","expiration":{EXPIRATION_MS}}}}}"#
    )
}

/// A portal that answers only the request it expects: the bearer token, path and query.
async fn portal(expected_target: &'static str) -> Loopback {
    serve(move |request| {
        if request.method != "GET" || request.target != expected_target {
            return Reply::new(400, r#"{"__type":"InvalidRequestException"}"#);
        }
        if request.header("x-amz-sso_bearer_token") != Some(ACCESS_TOKEN) {
            return Reply::new(401, r#"{"message":"Session token not found or invalid"}"#)
                .header("x-amzn-errortype", "UnauthorizedException:http://internal/");
        }
        Reply::ok(role_credentials())
    })
    .await
}

/// Fails if `text` shows any secret the tests serve.
fn assert_no_secret(text: &str) {
    for secret in [ACCESS_TOKEN, SECRET, SESSION_TOKEN] {
        assert!(!text.contains(secret), "{secret} leaked into: {text}");
    }
}

fn provider(config: &ProviderConfig, profile: &str) -> SsoCredentialsProvider {
    let profile_data = config.profile_files().unwrap().profile(profile).unwrap();
    SsoCredentialsProvider::from_profile(config, profile, &profile_data)
        .unwrap()
        .expect("an SSO role profile")
}

fn profile_error(config: &str, profile: &str) -> String {
    let (_dir, config) = setup("profile-error", config);
    let data = config.profile_files().unwrap().profile(profile).unwrap();
    let error = SsoCredentialsProvider::from_profile(&config, profile, &data).unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
    let message = error.to_string();
    assert_no_secret(&message);
    message
}

#[tokio::test]
async fn session_form_gets_role_credentials_with_the_expiry_in_milliseconds() {
    let (dir, config) = setup("session", SESSION_CONFIG);
    write_token(&dir, SESSION_FILE, ACCESS_TOKEN, "2026-01-01T01:00:00Z");
    let server = portal("/federation/credentials?account_id=111122223333&role_name=ReadOnly").await;
    let provider = provider(&config, "dev").with_portal_endpoint(&server.url);
    assert_eq!(provider.name(), "Sso");
    assert_eq!(provider.session_name(), Some("my-sso"));
    assert_eq!(provider.start_url(), START_URL);
    assert_eq!(provider.sso_region(), "us-east-1");

    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), KEY_ID);
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(SESSION_TOKEN));
    assert_eq!(
        credentials.expiry(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_millis(EXPIRATION_MS))
    );
    assert_eq!(credentials.account_id(), Some("111122223333"));
    assert!(
        credentials.source().contains("SSO"),
        "{}",
        credentials.source()
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("x-amz-sso_bearer_token"),
        Some(ACCESS_TOKEN)
    );
    assert_no_secret(&format!("{provider:?}"));
    assert_no_secret(&format!("{credentials:?}"));
}

#[tokio::test]
async fn legacy_form_gets_role_credentials_with_the_query_percent_encoded() {
    let (dir, config) = setup("legacy", LEGACY_CONFIG);
    write_token(&dir, LEGACY_FILE, ACCESS_TOKEN, "2026-01-01T01:00:00Z");
    let server =
        portal("/federation/credentials?account_id=444455556666&role_name=Power%2BUser%20Access")
            .await;
    let provider = provider(&config, "old").with_portal_endpoint(&server.url);
    assert_eq!(provider.session_name(), None);
    assert_eq!(provider.sso_region(), "eu-west-1");
    assert_eq!(
        provider.portal_endpoint(),
        server.url,
        "the override replaces the default"
    );

    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), KEY_ID);
    assert_eq!(
        credentials.expiry(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_millis(EXPIRATION_MS))
    );
    assert_eq!(credentials.account_id(), Some("444455556666"));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn the_cache_file_is_the_sha1_of_the_session_name_or_the_start_url() {
    let (dir, config) = setup("cache-names", &format!("{SESSION_CONFIG}\n{LEGACY_CONFIG}"));
    let session = provider(&config, "dev");
    assert_eq!(session.cache_file(), Some(cache(&dir).join(SESSION_FILE)));
    let legacy = provider(&config, "old");
    assert_eq!(legacy.cache_file(), Some(cache(&dir).join(LEGACY_FILE)));
    // The spec's test vector, through the constructor and a cache folder of our own.
    let direct = SsoCredentialsProvider::new(&config, START_URL, "us-east-1", "1", "r")
        .with_cache_dir("/elsewhere");
    assert_eq!(
        direct.cache_file(),
        Some(PathBuf::from(
            "/elsewhere/dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json"
        ))
    );
    assert_eq!(
        direct.portal_endpoint(),
        "https://portal.sso.us-east-1.amazonaws.com"
    );
}

#[tokio::test]
async fn the_token_is_read_again_on_every_fetch() {
    let (dir, config) = setup("reread", SESSION_CONFIG);
    write_token(&dir, SESSION_FILE, "old-token", "2026-01-01T01:00:00Z");
    let server = portal("/federation/credentials?account_id=111122223333&role_name=ReadOnly").await;
    let provider = provider(&config, "dev").with_portal_endpoint(&server.url);
    let error = provider.provide_credentials().await.unwrap_err();
    assert!(error.to_string().contains("aws sso login"), "{error}");
    write_token(&dir, SESSION_FILE, ACCESS_TOKEN, "2026-01-01T01:00:00Z");
    provider.provide_credentials().await.unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].header("x-amz-sso_bearer_token"),
        Some("old-token")
    );
    assert_eq!(
        requests[1].header("x-amz-sso_bearer_token"),
        Some(ACCESS_TOKEN)
    );
}

#[tokio::test]
async fn an_expired_token_says_to_sign_in_and_names_the_file() {
    let (dir, config) = setup("expired", SESSION_CONFIG);
    let path = write_token(&dir, SESSION_FILE, ACCESS_TOKEN, "2025-12-31T23:59:59Z");
    let server = portal("/federation/credentials?account_id=111122223333&role_name=ReadOnly").await;
    let provider = provider(&config, "dev").with_portal_endpoint(&server.url);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
    let message = error.to_string();
    assert!(message.contains("aws sso login --profile dev"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("expired"), "{message}");
    assert_no_secret(&message);
    assert_no_secret(&format!("{error:?}"));
    assert!(server.requests().is_empty(), "an expired token is not sent");

    // Without a profile name, the session is what to sign in to.
    let by_session = SsoCredentialsProvider::new(&config, START_URL, "us-east-1", "1", "r")
        .with_session_name("my-sso")
        .with_portal_endpoint(&server.url);
    let message = by_session
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("aws sso login --sso-session my-sso"),
        "{message}"
    );
}

#[tokio::test]
async fn a_missing_token_file_says_to_sign_in_and_names_the_file() {
    let (dir, config) = setup("missing", LEGACY_CONFIG);
    let server = portal("/unused").await;
    let provider = provider(&config, "old").with_portal_endpoint(&server.url);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
    let message = error.to_string();
    assert!(message.contains("aws sso login --profile old"), "{message}");
    let path = cache(&dir).join(LEGACY_FILE);
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_rejected_token_says_to_sign_in() {
    let (dir, config) = setup("unauthorized", SESSION_CONFIG);
    write_token(&dir, SESSION_FILE, ACCESS_TOKEN, "2026-01-01T01:00:00Z");
    let server = serve(|_| {
        Reply::new(
            401,
            format!(r#"{{"message":"bad token {ACCESS_TOKEN}","__type":"UnauthorizedException"}}"#),
        )
    })
    .await;
    let provider = provider(&config, "dev").with_portal_endpoint(&server.url);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
    let message = error.to_string();
    assert!(message.contains("aws sso login --profile dev"), "{message}");
    assert!(message.contains("UnauthorizedException"), "{message}");
    assert_no_secret(&message);
    assert_no_secret(&format!("{error:?}"));
    assert_eq!(server.requests().len(), 1, "a 401 is not retried");
}

#[tokio::test]
async fn other_errors_give_the_status_and_type_and_are_not_retried() {
    let (dir, config) = setup("not-found", SESSION_CONFIG);
    write_token(&dir, SESSION_FILE, ACCESS_TOKEN, "2026-01-01T01:00:00Z");
    let server = serve(|_| {
        Reply::new(
            404,
            r#"{"message":"No access","__type":"com.amazonaws.switchboard.portal#ResourceNotFoundException"}"#,
        )
    })
    .await;
    let provider = provider(&config, "dev").with_portal_endpoint(&server.url);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
    let message = error.to_string();
    assert!(message.contains("HTTP 404"), "{message}");
    assert!(message.contains("ResourceNotFoundException"), "{message}");
    assert!(message.contains("111122223333"), "{message}");
    assert!(
        !message.contains("No access"),
        "the body is not shown: {message}"
    );
    assert_no_secret(&message);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_server_error_is_retried() {
    let (dir, config) = setup("retry", SESSION_CONFIG);
    write_token(&dir, SESSION_FILE, ACCESS_TOKEN, "2026-01-01T01:00:00Z");
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    let server = serve(move |_| match seen.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::new(500, "oops"),
        _ => Reply::ok(role_credentials()),
    })
    .await;
    let provider = provider(&config, "dev").with_portal_endpoint(&server.url);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), KEY_ID);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn retries_stop_after_three_attempts() {
    let (dir, config) = setup("throttled", SESSION_CONFIG);
    write_token(&dir, SESSION_FILE, ACCESS_TOKEN, "2026-01-01T01:00:00Z");
    let server = serve(|_| Reply::new(429, r#"{"__type":"TooManyRequestsException"}"#)).await;
    let provider = provider(&config, "dev").with_portal_endpoint(&server.url);
    let message = provider
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(message.contains("HTTP 429"), "{message}");
    assert!(message.contains("TooManyRequestsException"), "{message}");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn sso_session_naming_a_missing_section_is_an_error() {
    let message = profile_error(
        "[profile dev]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = r\n",
        "dev",
    );
    assert!(message.contains("[sso-session nope]"), "{message}");
    assert!(message.contains("profile `dev`"), "{message}");
    assert!(message.contains("config line 2"), "{message}");
}

#[test]
fn sso_session_with_sso_region_in_the_profile_is_an_error() {
    let message = profile_error(
        &format!("{SESSION_CONFIG}\n[profile both]\nsso_session = my-sso\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = r\n"),
        "both",
    );
    assert!(message.contains("`sso_region`"), "{message}");
    assert!(message.contains("`sso_session`"), "{message}");
    assert!(message.contains("profile `both`"), "{message}");
}

#[test]
fn account_id_and_role_name_go_together() {
    let message = profile_error(
        &format!("{SESSION_CONFIG}\n[profile half]\nsso_session = my-sso\nsso_account_id = 1\n"),
        "half",
    );
    assert!(message.contains("`sso_role_name`"), "{message}");
    assert!(message.contains("profile `half`"), "{message}");
    assert!(message.contains("config line"), "{message}");

    let message = profile_error(
        &format!("{SESSION_CONFIG}\n[profile half]\nsso_session = my-sso\nsso_role_name = r\n"),
        "half",
    );
    assert!(message.contains("`sso_account_id`"), "{message}");
}

#[test]
fn legacy_form_needs_every_key() {
    let message = profile_error(
        "[profile old]\nsso_start_url = https://x/start\nsso_account_id = 1\nsso_role_name = r\n",
        "old",
    );
    assert!(message.contains("`sso_region`"), "{message}");
    assert!(message.contains("profile `old`"), "{message}");
    assert!(message.contains("config line 3"), "{message}");
}

#[test]
fn a_session_section_without_a_region_is_an_error() {
    let message = profile_error(
        "[profile dev]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\n[sso-session s]\nsso_start_url = https://x/start\n",
        "dev",
    );
    assert!(message.contains("`sso_region`"), "{message}");
    assert!(message.contains("[sso-session s]"), "{message}");
}

#[test]
fn a_region_that_is_not_a_host_label_is_an_error() {
    let message = profile_error(
        "[profile old]\nsso_start_url = https://x/start\nsso_region = evil.example.com/x\nsso_account_id = 1\nsso_role_name = r\n",
        "old",
    );
    assert!(message.contains("`sso_region`"), "{message}");
}

#[test]
fn a_token_only_profile_gives_no_provider() {
    let (_dir, config) = setup("token-only", &format!(
        "{SESSION_CONFIG}\n[profile token]\nsso_session = my-sso\n\n[profile plain]\nregion = us-east-1\n"
    ));
    for name in ["token", "plain"] {
        let data = config.profile_files().unwrap().profile(name).unwrap();
        assert!(SsoCredentialsProvider::from_profile(&config, name, &data)
            .unwrap()
            .is_none());
    }
}
