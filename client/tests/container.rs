//! The container credentials provider against a loopback endpoint. Nothing here
//! sends a request anywhere but 127.0.0.1: the link-local agents are only
//! resolved, never called.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use querygen_client::config::Env;
use querygen_client::credentials::{
    ContainerCredentialsProvider, CredentialsErrorKind, ProvideCredentials, ProviderConfig,
};
use support::{serve, Reply, Scratch};

const SECRET: &str = "SECRET-wJalrXUtnFEMI";
const SESSION: &str = "SESSION-IQoJb3JpZ2luX2Vj";
const TOKEN: &str = "Bearer TOKEN-eyJhbGciOiJSUzI1";

fn answer() -> String {
    format!(
        r#"{{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"{SECRET}","Token":"{SESSION}",
            "Expiration":"2040-01-01T00:00:00Z","AccountId":"123456789012","RoleArn":"arn:aws:iam::123456789012:role/r"}}"#
    )
}

fn provider(vars: &[(&str, &str)]) -> ContainerCredentialsProvider {
    let env = Env::from_pairs(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    ContainerCredentialsProvider::new(&ProviderConfig::new(env))
}

fn assert_no_secret(text: &str) {
    for secret in [SECRET, SESSION, "TOKEN-eyJ"] {
        assert!(!text.contains(secret), "{secret} leaked into: {text}");
    }
}

#[tokio::test]
async fn sends_the_token_and_reads_the_answer() {
    let server = serve(|request| match request.header("authorization") {
        Some(TOKEN) => Reply::ok(answer()),
        _ => Reply::new(401, r#"{"code":"Unauthorized","message":"no token"}"#),
    })
    .await;
    let uri = format!("{}/creds", server.url);
    let provider = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN),
    ]);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "ASIACONTAINER");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(SESSION));
    assert_eq!(credentials.account_id(), Some("123456789012"));
    assert_eq!(
        credentials.expiry(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(2_208_988_800))
    );
    assert_eq!(credentials.source(), format!("container endpoint {uri}"));
    assert_eq!(provider.name(), "EcsContainer");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].target, "/creds");
    assert_eq!(requests[0].header("accept"), Some("application/json"));
    assert_no_secret(&format!("{credentials:?} {provider:?}"));
}

#[tokio::test]
async fn without_the_token_a_401_is_a_provider_error_with_status_and_code() {
    let server = serve(|request| match request.header("authorization") {
        Some(TOKEN) => Reply::ok(answer()),
        _ => Reply::new(401, r#"{"code":"Unauthorized","message":"no token"}"#),
    })
    .await;
    let uri = format!("{}/creds", server.url);
    let error = provider(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri)])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
    let message = error.to_string();
    assert!(message.contains("401"), "{message}");
    assert!(message.contains("Unauthorized: no token"), "{message}");
    assert!(message.contains(&uri), "{message}");
    // 4xx is not retried.
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.requests()[0].header("authorization"), None);
}

#[tokio::test]
async fn the_token_file_beats_the_variable_and_is_read_on_every_call() {
    let server = serve(|_| Reply::ok(answer())).await;
    let uri = format!("{}/creds", server.url);
    let scratch = Scratch::new("container");
    let file = scratch.write("token", "Bearer first");
    let provider = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            file.to_str().unwrap(),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer from-variable"),
    ]);
    provider.provide_credentials().await.unwrap();
    std::fs::write(&file, "Bearer second").unwrap();
    provider.provide_credentials().await.unwrap();
    let sent: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(sent, ["Bearer first", "Bearer second"]);
}

#[tokio::test]
async fn a_token_with_a_trailing_newline_is_refused_and_not_shown() {
    let server = serve(|_| Reply::ok(answer())).await;
    let uri = format!("{}/creds", server.url);
    let scratch = Scratch::new("container");
    let file = scratch.write("token", &format!("{TOKEN}\n"));
    let provider = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            file.to_str().unwrap(),
        ),
    ]);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
    let message = format!("{error} {error:?}");
    assert_no_secret(&message);
    assert!(message.contains("line break"), "{message}");
    assert!(
        message.contains(&format!("{} bytes", TOKEN.len() + 1)),
        "{message}"
    );
    assert!(message.contains(file.to_str().unwrap()), "{message}");
    assert!(server.requests().is_empty());

    // The same from the variable.
    let value = format!("{TOKEN}\r\n");
    let error = self::provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", &value),
    ])
    .provide_credentials()
    .await
    .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert_no_secret(&format!("{error} {error:?}"));
    assert!(error
        .to_string()
        .contains("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
}

#[tokio::test]
async fn a_missing_token_file_is_an_error_naming_the_path() {
    let server = serve(|_| Reply::ok(answer())).await;
    let uri = format!("{}/creds", server.url);
    let scratch = Scratch::new("container");
    let missing = scratch.path("no-such-token");
    let error = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            missing.to_str().unwrap(),
        ),
    ])
    .provide_credentials()
    .await
    .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
    assert!(
        error.to_string().contains(missing.to_str().unwrap()),
        "{error}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn nothing_configured_is_not_loaded() {
    let error = provider(&[("AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN)])
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(error.is_not_loaded(), "{error}");
    assert!(error
        .to_string()
        .contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
}

#[tokio::test]
async fn the_relative_uri_wins_and_keeps_its_query() {
    // Resolution only: the ECS agent address is never called.
    let provider = provider(&[
        (
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "/v2/credentials/abc?a=1",
        ),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://127.0.0.1:1/full",
        ),
    ]);
    assert_eq!(
        provider.endpoint().await.unwrap().to_string(),
        "http://169.254.170.2/v2/credentials/abc?a=1"
    );
    let error = self::provider(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "v2/creds")])
        .endpoint()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
}

#[tokio::test]
async fn full_uri_allow_and_refuse_matrix() {
    for allowed in [
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials",
        "http://169.254.170.2/creds",
        "http://127.0.0.1:8080",
        "http://127.9.9.9/x",
        "http://[::1]:8080/x",
        "http://localhost:8080",
        "https://example.com",
        "https://example.com/creds?x=1",
    ] {
        let provider = provider(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", allowed)]);
        let uri = provider.endpoint().await;
        assert!(uri.is_ok(), "{allowed}: {:?}", uri.err());
    }
    for refused in [
        // A public name: refused whether it resolves (to a public address) or not.
        "http://example.com",
        "http://169.254.169.254",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://10.0.0.1/creds",
        "http://[fd00:ec2::254]/",
        "ftp://127.0.0.1/creds",
        "/relative/only",
        "not a url",
    ] {
        let error = provider(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", refused)])
            .endpoint()
            .await
            .unwrap_err();
        assert_eq!(
            error.kind(),
            CredentialsErrorKind::InvalidConfiguration,
            "{refused}: {error}"
        );
        assert!(
            error
                .to_string()
                .contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
            "{refused}: {error}"
        );
    }
    let error = provider(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://169.254.169.254",
    )])
    .endpoint()
    .await
    .unwrap_err();
    assert!(error.to_string().contains("169.254.169.254"), "{error}");
    assert!(error.to_string().contains("https"), "{error}");
}

#[tokio::test]
async fn userinfo_is_neither_sent_nor_shown() {
    let server = serve(|_| Reply::ok(answer())).await;
    let uri = format!("http://user:PASSWORD@127.0.0.1:{}/creds?q=1", server.port());
    let provider = provider(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri)]);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(
        credentials.source(),
        format!("container endpoint {}/creds", server.url)
    );
    assert!(!format!("{provider:?}").contains("PASSWORD"));
    assert_eq!(server.requests()[0].target, "/creds?q=1");
    assert!(server.requests()[0].header("authorization").is_none());
}

#[tokio::test]
async fn a_500_then_a_200_succeeds() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let server = serve(move |_| match counter.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::new(500, "busy"),
        _ => Reply::ok(answer()),
    })
    .await;
    let uri = format!("{}/creds", server.url);
    let credentials = provider(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri)])
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIACONTAINER");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn bad_json_three_times_is_an_error_after_three_attempts() {
    let server = serve(|_| {
        Reply::ok(format!(
            "{{\"AccessKeyId\":\"x\",\"SecretAccessKey\":\"{SECRET}\""
        ))
    })
    .await;
    let uri = format!("{}/creds", server.url);
    let error = provider(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri)])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
    assert!(error.to_string().contains("not valid JSON"), "{error}");
    assert!(error.to_string().contains("3 attempts failed"), "{error}");
    assert_no_secret(&format!("{error} {error:?}"));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_missing_field_is_retried_then_named() {
    let server = serve(|_| {
        Reply::ok(format!(
            r#"{{"AccessKeyId":"x","SecretAccessKey":"{SECRET}","Token":"{SESSION}"}}"#
        ))
    })
    .await;
    let uri = format!("{}/creds", server.url);
    let error = provider(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri)])
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("`Expiration`"), "{error}");
    assert_no_secret(&format!("{error} {error:?}"));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_hanging_endpoint_times_out_after_three_attempts() {
    let server = serve(|_| Reply::hang()).await;
    let uri = format!("{}/creds", server.url);
    let started = std::time::Instant::now();
    let error = provider(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri)])
        .with_read_timeout(Duration::from_millis(100))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::TimedOut, "{error}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn debug_and_errors_never_show_secrets() {
    let server = serve(|request| match request.header("authorization") {
        Some(TOKEN) => Reply::ok(answer()),
        _ => Reply::new(403, r#"{"code":"Forbidden"}"#),
    })
    .await;
    let uri = format!("{}/creds", server.url);
    let scratch = Scratch::new("container");
    let file = scratch.write("token", TOKEN);
    let provider = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            file.to_str().unwrap(),
        ),
    ]);
    assert_no_secret(&format!("{provider:?}"));
    let credentials = provider.provide_credentials().await.unwrap();
    assert_no_secret(&format!("{credentials:?} {provider:?}"));
    std::fs::write(&file, "Bearer TOKEN-eyJ-wrong").unwrap();
    let error = provider.provide_credentials().await.unwrap_err();
    assert!(error.to_string().contains("403"), "{error}");
    assert_no_secret(&format!("{error} {error:?} {provider:?}"));
}
