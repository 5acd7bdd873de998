//! The default chain, provider by provider in the SDKs' order, against loopback
//! stand-ins for STS, the container endpoint and instance metadata; and the
//! region's lookup.

mod support;

use std::time::{Duration, Instant};

use querygen_client::config::{Env, ProvideRegion};
use querygen_client::credentials::{
    CredentialsErrorKind, DefaultCredentialsChain, ImdsRegionProvider, ProvideCredentials,
    ProviderConfig,
};
use support::{serve, Loopback, Recorded, Reply, Scratch};

const WEB_IDENTITY_ANSWER: &str = r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>ASIAFROMWEBIDENTITY</AccessKeyId>
      <SecretAccessKey>web-secret</SecretAccessKey>
      <SessionToken>web-session-token</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/pod/s</Arn>
    </AssumedRoleUser>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>"#;

const CONTAINER_ANSWER: &str = r#"{"AccessKeyId":"ASIAFROMCONTAINER","SecretAccessKey":"container-secret","Token":"container-token","Expiration":"2099-01-01T00:00:00Z"}"#;

const IMDS_ANSWER: &str = r#"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAFROMIMDS","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"2099-01-01T00:00:00Z","LastUpdated":"2026-12-01T00:00:00Z"}"#;

/// One server standing in for STS (POST /), the container endpoint
/// (GET /creds) and IMDS (the token and metadata paths).
async fn stand_in() -> Loopback {
    serve(
        |request: &Recorded| match (request.method.as_str(), request.target.as_str()) {
            ("POST", "/") => Reply::ok(WEB_IDENTITY_ANSWER).header("content-type", "text/xml"),
            ("GET", "/creds") => Reply::ok(CONTAINER_ANSWER),
            ("PUT", "/latest/api/token") => Reply::ok("imds-session-token")
                .header("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
            ("GET", "/latest/meta-data/iam/security-credentials/") => Reply::ok("instance-role"),
            ("GET", "/latest/meta-data/iam/security-credentials/instance-role") => {
                Reply::ok(IMDS_ANSWER)
            }
            ("GET", "/latest/meta-data/placement/region") => Reply::ok("eu-west-3"),
            _ => Reply::new(404, "not here"),
        },
    )
    .await
}

/// A port on 127.0.0.1 where nothing listens.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

fn text(path: std::path::PathBuf) -> String {
    path.display().to_string()
}

/// The environment of one step of the chain: files in `scratch`, every endpoint
/// on loopback, plus `vars`.
fn env(scratch: &Scratch, imds: &str, vars: &[(&str, String)]) -> Env {
    let mut pairs: Vec<(String, String)> = vec![
        ("HOME".into(), scratch.dir().display().to_string()),
        ("AWS_CONFIG_FILE".into(), text(scratch.path("config"))),
        (
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            text(scratch.path("credentials")),
        ),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT".into(), imds.to_owned()),
    ];
    pairs.extend(vars.iter().map(|(k, v)| (k.to_string(), v.clone())));
    Env::from_pairs(pairs)
}

async fn first_key(env: Env) -> String {
    let config = ProviderConfig::new(env).with_region(Some("us-east-1".into()));
    DefaultCredentialsChain::new(config)
        .provide_credentials()
        .await
        .unwrap()
        .access_key_id()
        .to_owned()
}

#[tokio::test]
async fn each_provider_answers_when_those_before_it_are_not_configured() {
    let server = stand_in().await;
    let scratch = Scratch::new("order");
    let token = text(scratch.write("token", "pod.jwt.token"));
    let url = server.url.clone();
    let env_keys = [
        ("AWS_ACCESS_KEY_ID", "AKIDFROMENV".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "env-secret".to_owned()),
    ];
    let web_identity = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token.clone()),
        (
            "AWS_ROLE_ARN",
            "arn:aws:iam::123456789012:role/pod".to_owned(),
        ),
        ("AWS_ENDPOINT_URL_STS", url.clone()),
    ];
    let container = [("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{url}/creds"))];
    let profile =
        "[default]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = profile-secret\n";

    // Everything configured: the environment wins.
    scratch.write("credentials", profile);
    let all: Vec<(&str, String)> = env_keys
        .iter()
        .chain(&web_identity)
        .chain(&container)
        .cloned()
        .collect();
    assert_eq!(first_key(env(&scratch, &url, &all)).await, "AKIDFROMENV");
    // Then the profile...
    let no_env: Vec<(&str, String)> = web_identity.iter().chain(&container).cloned().collect();
    assert_eq!(
        first_key(env(&scratch, &url, &no_env)).await,
        "AKIDFROMPROFILE"
    );
    // ...then web identity...
    std::fs::remove_file(scratch.path("credentials")).unwrap();
    assert_eq!(
        first_key(env(&scratch, &url, &no_env)).await,
        "ASIAFROMWEBIDENTITY"
    );
    // ...then the container...
    assert_eq!(
        first_key(env(&scratch, &url, &container)).await,
        "ASIAFROMCONTAINER"
    );
    // ...and last instance metadata.
    assert_eq!(first_key(env(&scratch, &url, &[])).await, "ASIAFROMIMDS");

    let paths: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        paths,
        [
            "/",
            "/creds",
            "/latest/api/token",
            "/latest/meta-data/iam/security-credentials/",
            "/latest/meta-data/iam/security-credentials/instance-role",
        ],
        "each answer came from the provider named, and none asked before its turn"
    );
}

#[tokio::test]
async fn when_no_provider_is_configured_the_error_lists_each_in_order_within_two_seconds() {
    let scratch = Scratch::new("none");
    let started = Instant::now();
    let config = ProviderConfig::new(env(&scratch, &closed_port(), &[]));
    let e = DefaultCredentialsChain::new(config)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(e.is_not_loaded(), "{e}");
    let message = e.to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines[0], "no credentials found; providers tried in order:");
    let names: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.trim_start_matches("- ").split(':').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Environment",
            "Profile",
            "WebIdentityToken",
            "EcsContainer",
            "Ec2InstanceMetadata"
        ]
    );
}

#[tokio::test]
async fn a_configured_provider_that_fails_stops_the_chain() {
    let server = serve(|request: &Recorded| match request.target.as_str() {
        "/creds" => Reply::new(401, r#"{"code":"Unauthorized","message":"no token"}"#),
        _ => Reply::new(500, "instance metadata must not be asked"),
    })
    .await;
    let scratch = Scratch::new("stops");
    let config = ProviderConfig::new(env(
        &scratch,
        &server.url,
        &[(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", server.url),
        )],
    ));
    let e = DefaultCredentialsChain::new(config)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
    assert!(e.to_string().starts_with("EcsContainer provider: "), "{e}");
    assert!(server.requests().iter().all(|r| r.target == "/creds"));
}

#[tokio::test]
async fn a_profile_credential_source_that_yields_nothing_is_an_error() {
    let scratch = Scratch::new("credential-source");
    scratch.write(
        "config",
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Environment\n",
    );
    let config = ProviderConfig::new(env(&scratch, &closed_port(), &[]))
        .with_region(Some("us-east-1".into()));
    let e = DefaultCredentialsChain::new(config)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::ProviderError, "{e}");
    assert!(
        e.to_string()
            .contains("credential_source `Environment` gave no credentials"),
        "{e}"
    );
}

#[tokio::test]
async fn the_region_comes_from_instance_metadata_last() {
    let server = stand_in().await;
    let scratch = Scratch::new("region");
    let provider = ImdsRegionProvider::new(&ProviderConfig::new(env(&scratch, &server.url, &[])));
    assert_eq!(
        ProvideRegion::region(&provider).await.as_deref(),
        Some("eu-west-3")
    );
    let unreachable =
        ImdsRegionProvider::new(&ProviderConfig::new(env(&scratch, &closed_port(), &[])));
    assert_eq!(ProvideRegion::region(&unreachable).await, None);
}

#[tokio::test]
async fn no_token_or_secret_of_any_provider_reaches_a_log_event_or_an_error() {
    let (events, _guard) = support::Events::capture();
    let server = stand_in().await;
    let scratch = Scratch::new("secrecy");
    let token = text(scratch.write("token", "pod.jwt.token"));
    let container_token = text(scratch.write("container-token", "container-authorization-token"));
    // Web identity, then the container, then instance metadata, at `url`.
    let steps = |url: &str| {
        [
            vec![
                ("AWS_WEB_IDENTITY_TOKEN_FILE", token.clone()),
                (
                    "AWS_ROLE_ARN",
                    "arn:aws:iam::123456789012:role/pod".to_owned(),
                ),
                ("AWS_ENDPOINT_URL_STS", url.to_owned()),
            ],
            vec![
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{url}/creds")),
                (
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                    container_token.clone(),
                ),
            ],
            vec![],
        ]
    };
    let mut texts = Vec::new();
    for vars in steps(&server.url) {
        let config = ProviderConfig::new(env(&scratch, &server.url, &vars))
            .with_region(Some("us-east-1".into()));
        let chain = DefaultCredentialsChain::new(config);
        let credentials = chain.provide_credentials().await.unwrap();
        texts.push(format!("{chain:?} {credentials:?}"));
    }
    // Failures too: every endpoint closed.
    let closed = closed_port();
    for vars in steps(&closed) {
        let config = ProviderConfig::new(env(&scratch, &closed, &vars))
            .with_region(Some("us-east-1".into()));
        let e = DefaultCredentialsChain::new(config)
            .provide_credentials()
            .await
            .unwrap_err();
        texts.push(format!("{e} {e:?}"));
    }
    assert!(
        !events.all().is_empty(),
        "the capture saw the providers' events"
    );
    texts.extend(events.all());
    for text in &texts {
        for secret in [
            "pod.jwt.token",
            "container-authorization-token",
            "imds-session-token",
            "web-secret",
            "web-session-token",
            "container-secret",
            "container-token\"",
            "imds-secret",
            "imds-token\"",
        ] {
            assert!(!text.contains(secret), "{secret} leaked into: {text}");
        }
    }
}

#[tokio::test]
async fn sts_is_called_in_the_instance_s_region_when_nothing_else_gives_one() {
    const ASSUMED: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>"#;
    let server =
        serve(
            |request: &Recorded| match (request.method.as_str(), request.target.as_str()) {
                ("PUT", "/latest/api/token") => Reply::ok("imds-session-token"),
                ("GET", "/latest/meta-data/placement/region") => Reply::ok("eu-west-3"),
                ("POST", "/") => Reply::ok(ASSUMED),
                _ => Reply::new(404, "not here"),
            },
        )
        .await;
    let scratch = Scratch::new("sts-region");
    scratch.write(
        "config",
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    );
    let config = ProviderConfig::new(env(
        &scratch,
        &server.url,
        &[("AWS_ENDPOINT_URL_STS", server.url.clone())],
    ));
    let credentials = DefaultCredentialsChain::new(config)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAROLE");
    let assume = server
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    let authorization = assume.header("authorization").unwrap().to_owned();
    assert!(
        authorization.contains("/eu-west-3/sts/aws4_request"),
        "{authorization}"
    );
}
