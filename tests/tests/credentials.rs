//! Credential providers against moto's server (STS and ElastiCache), started on
//! 127.0.0.1 by each test: roles assumed from profiles, web identity, and an
//! ElastiCache call signed with what the chain returned.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use querygen_client::config::Env;
use querygen_client::credentials::{
    CredentialsErrorKind, ProfileProvider, ProvideCredentials, ProviderConfig,
    WebIdentityTokenProvider,
};
use support::{Moto, Recording};

/// A folder of its own for one test's files, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "querygen-credentials-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An environment whose files are in `dir` and whose endpoints are moto's.
fn env(dir: &Path, moto: &Moto, extra: &[(&str, &str)]) -> Env {
    let mut pairs: Vec<(String, String)> = vec![
        ("HOME".into(), dir.display().to_string()),
        (
            "AWS_CONFIG_FILE".into(),
            dir.join("config").display().to_string(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            dir.join("credentials").display().to_string(),
        ),
        ("AWS_ENDPOINT_URL".into(), moto.url.clone()),
        ("AWS_REGION".into(), "us-east-1".into()),
        // Never reach for a real metadata service from a test.
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
    ];
    pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_pairs(pairs)
}

fn providers(env: Env, recording: &Recording) -> ProviderConfig {
    ProviderConfig::new(env)
        .with_transport(Arc::new(recording.clone()))
        .with_region(Some("us-east-1".into()))
}

const ROLE_CHAIN: &str = "\
[profile a]
role_arn = arn:aws:iam::123456789012:role/role-a
source_profile = b
role_session_name = session-a
[profile b]
role_arn = arn:aws:iam::123456789012:role/role-b
source_profile = c
external_id = external-b
[profile c]
aws_access_key_id = AKIDBASEKEY
aws_secret_access_key = base-secret-key
";

#[tokio::test]
async fn a_profile_role_chain_of_three_assumes_each_role_in_turn() {
    let moto = Moto::start();
    let scratch = Scratch::new("chain");
    scratch.write("config", ROLE_CHAIN);
    let recording = Recording::new();
    let config = providers(env(&scratch.0, &moto, &[]), &recording).with_profile_name("a");
    let credentials = ProfileProvider::new(config)
        .provide_credentials()
        .await
        .unwrap();

    let calls = recording.actions("AssumeRole");
    assert_eq!(calls.len(), 2, "{calls:#?}");
    // Nearest the base first, signed with the base keys...
    assert_eq!(calls[0].signed_by().as_deref(), Some("AKIDBASEKEY"));
    assert!(
        calls[0].body().contains("role%2Frole-b"),
        "{}",
        calls[0].body()
    );
    assert!(
        calls[0].body().contains("ExternalId=external-b"),
        "{}",
        calls[0].body()
    );
    assert!(
        calls[0]
            .body()
            .contains("RoleSessionName=assume-role-from-profile-"),
        "{}",
        calls[0].body()
    );
    // ...then the first profile's role, signed with what the first call returned.
    let first_key = calls[0].response_element("AccessKeyId").unwrap();
    assert_eq!(calls[1].signed_by(), Some(first_key.clone()));
    assert!(
        calls[1].body().contains("role%2Frole-a"),
        "{}",
        calls[1].body()
    );
    assert!(
        calls[1].body().contains("RoleSessionName=session-a"),
        "{}",
        calls[1].body()
    );
    for call in &calls {
        assert_eq!(
            call.status,
            Some(200),
            "{}",
            String::from_utf8_lossy(&call.response_body)
        );
        assert!(call.request.headers().contains_key("x-amz-date"));
    }
    // The second hop's token signs it, too.
    assert!(calls[1]
        .request
        .headers()
        .contains_key("x-amz-security-token"));

    let final_key = calls[1].response_element("AccessKeyId").unwrap();
    assert_ne!(final_key, first_key);
    assert_eq!(credentials.access_key_id(), final_key);
    assert!(credentials.session_token().is_some());
    assert!(credentials.expiry().is_some());
    assert_eq!(credentials.account_id(), Some("123456789012"));
    assert!(
        credentials.source().contains("role-a"),
        "{}",
        credentials.source()
    );
    let shown = format!("{credentials:?}");
    assert!(!shown.contains(credentials.secret_access_key()), "{shown}");
}

#[tokio::test]
async fn from_env_signs_elasticache_calls_with_the_assumed_role_and_caches_it() {
    let moto = Moto::start();
    let scratch = Scratch::new("from-env");
    scratch.write(
        "config",
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = base\n[profile base]\nregion = us-east-1\n",
    );
    scratch.write(
        "credentials",
        "[base]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = file-secret\n",
    );
    let recording = Recording::new();
    let config = ProviderConfig::new(env(&scratch.0, &moto, &[]))
        .with_transport(Arc::new(recording.clone()));
    let client = elasticache::Client::from_conf(
        elasticache::Client::config_from(config)
            .unwrap()
            .transport(recording.clone())
            .build(),
    );
    for _ in 0..2 {
        client.describe_replication_groups().send().await.unwrap();
    }
    let assumed = recording.actions("AssumeRole");
    assert_eq!(assumed.len(), 1, "the role's credentials are cached");
    assert_eq!(assumed[0].signed_by().as_deref(), Some("AKIDFROMFILE"));
    let role_key = assumed[0].response_element("AccessKeyId").unwrap();
    let described = recording.actions("DescribeReplicationGroups");
    assert_eq!(described.len(), 2);
    for call in &described {
        assert_eq!(call.status, Some(200));
        assert_eq!(call.signed_by(), Some(role_key.clone()));
        let token = call.request.headers()["x-amz-security-token"]
            .to_str()
            .unwrap();
        assert_eq!(
            Some(token.to_owned()),
            assumed[0].response_element("SessionToken")
        );
    }
}

#[tokio::test]
async fn web_identity_from_the_environment_is_unsigned_and_rereads_the_token() {
    let moto = Moto::start();
    let scratch = Scratch::new("web-identity");
    let token_file = scratch.write("token", "first.jwt.token");
    let recording = Recording::new();
    let token_path = token_file.display().to_string();
    let env = env(
        &scratch.0,
        &moto,
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", &token_path),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod"),
            ("AWS_ROLE_SESSION_NAME", "pod-session"),
        ],
    );
    let provider = WebIdentityTokenProvider::from_env(providers(env, &recording));
    let first = provider.provide_credentials().await.unwrap();
    std::fs::write(&token_file, "second.jwt.token").unwrap();
    let second = provider.provide_credentials().await.unwrap();

    let calls = recording.actions("AssumeRoleWithWebIdentity");
    assert_eq!(calls.len(), 2);
    for (call, token) in calls.iter().zip(["first.jwt.token", "second.jwt.token"]) {
        assert_eq!(
            call.signed_by(),
            None,
            "AssumeRoleWithWebIdentity is not signed"
        );
        assert!(
            call.body().contains(&format!("WebIdentityToken={token}")),
            "{}",
            call.body()
        );
        assert!(
            call.body().contains("RoleSessionName=pod-session"),
            "{}",
            call.body()
        );
        assert_eq!(call.status, Some(200));
    }
    assert_eq!(
        Some(first.access_key_id().to_owned()),
        calls[0].response_element("AccessKeyId")
    );
    assert_eq!(
        Some(second.access_key_id().to_owned()),
        calls[1].response_element("AccessKeyId")
    );
    assert!(first.expiry().is_some());

    // A token file that went away: an error naming it, and no token in sight.
    std::fs::remove_file(&token_file).unwrap();
    let e = provider.provide_credentials().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
    let shown = format!("{e} {e:?}");
    assert!(shown.contains(&token_path), "{shown}");
    assert!(!shown.contains("jwt.token"), "{shown}");
}

#[tokio::test]
async fn web_identity_needs_both_variables_and_a_region() {
    let moto = Moto::start();
    let scratch = Scratch::new("web-identity-unset");
    let recording = Recording::new();
    let only_file = env(
        &scratch.0,
        &moto,
        &[("AWS_WEB_IDENTITY_TOKEN_FILE", "/nowhere")],
    );
    let e = WebIdentityTokenProvider::from_env(providers(only_file, &recording))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(e.is_not_loaded(), "{e}");
    let token_file = scratch.write("token", "t");
    let no_region = ProviderConfig::new(env(
        &scratch.0,
        &moto,
        &[
            (
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                &token_file.display().to_string(),
            ),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod"),
        ],
    ))
    .with_transport(Arc::new(recording.clone()));
    let e = WebIdentityTokenProvider::from_env(no_region)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(e.to_string().contains("no region"), "{e}");
    assert!(recording.exchanges().is_empty());
}

#[tokio::test]
async fn on_a_fake_ec2_instance_from_env_needs_nothing_configured() {
    // moto serves the instance metadata paths (IMDSv2 token included) beside the services.
    let moto = Moto::start();
    let scratch = Scratch::new("ec2");
    let recording = Recording::new();
    let env = Env::from_pairs([
        ("HOME", scratch.0.display().to_string()),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", moto.url.clone()),
        ("AWS_ENDPOINT_URL", moto.url.clone()),
    ]);
    let config = ProviderConfig::new(env).with_transport(Arc::new(recording.clone()));
    let builder = elasticache::Client::config_from(config).unwrap();
    let client = elasticache::Client::from_conf(builder.transport(recording.clone()).build());
    assert_eq!(
        client.config().region(),
        None,
        "looked up on the first call"
    );
    client.describe_replication_groups().send().await.unwrap();
    client.describe_replication_groups().send().await.unwrap();

    let paths: Vec<String> = recording
        .exchanges()
        .iter()
        .map(|e| format!("{} {}", e.request.method(), e.request.uri().path()))
        .collect();
    assert_eq!(
        paths,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/placement/region",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/default-role",
            "POST /",
            "POST /",
        ],
        "the region and the credentials once each, then two signed calls"
    );
    let exchanges = recording.exchanges();
    let token = String::from_utf8_lossy(&exchanges[0].response_body).into_owned();
    for metadata in &exchanges[1..4] {
        assert_eq!(
            metadata.request.headers()["x-aws-ec2-metadata-token"],
            token.as_str()
        );
    }
    let region = String::from_utf8_lossy(&exchanges[1].response_body).into_owned();
    let credentials: serde_json::Value =
        serde_json::from_slice(&exchanges[3].response_body).unwrap();
    for call in recording.actions("DescribeReplicationGroups") {
        assert_eq!(call.status, Some(200));
        assert_eq!(
            call.signed_by().as_deref(),
            credentials["AccessKeyId"].as_str()
        );
        let authorization = call.request.headers()["authorization"].to_str().unwrap();
        assert!(
            authorization.contains(&format!("/{region}/elasticache/aws4_request")),
            "{authorization}"
        );
        assert_eq!(
            call.request.headers()["x-amz-security-token"].to_str().ok(),
            credentials["Token"].as_str()
        );
    }
}
