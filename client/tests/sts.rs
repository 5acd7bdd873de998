//! The STS providers against a loopback STS: throttling, modeled errors, and
//! what goes on the wire.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use querygen_client::config::Env;
use querygen_client::credentials::{
    AssumeRoleProvider, CredentialsErrorKind, ProvideCredentials, ProviderConfig,
};
use querygen_client::Credentials;
use support::{serve, Recorded, Reply};

const ANSWER: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAASSUMED</AccessKeyId>
      <SecretAccessKey>assumed-secret</SecretAccessKey>
      <SessionToken>assumed-session-token</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId>
      <Arn>arn:aws:sts::210987654321:assumed-role/ops/s</Arn>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r-ok</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#;

fn error(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r-err</RequestId></ErrorResponse>"
    )
}

fn provider(url: &str) -> AssumeRoleProvider {
    let config = ProviderConfig::new(Env::from_pairs([("AWS_ENDPOINT_URL_STS", url)]))
        .with_region(Some("eu-central-1".into()));
    AssumeRoleProvider::new(
        config,
        "arn:aws:iam::210987654321:role/ops",
        Credentials::new("AKIDSOURCE", "source-secret", None),
    )
    .session_name("s")
    .external_id("ext-1")
}

#[tokio::test]
async fn throttling_is_retried_then_the_role_is_assumed() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let server = serve(move |_: &Recorded| {
        if counted.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::new(400, error("Throttling", "Rate exceeded"))
        } else {
            Reply::ok(ANSWER)
        }
    })
    .await;
    let credentials = provider(&server.url).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAASSUMED");
    assert_eq!(credentials.session_token(), Some("assumed-session-token"));
    assert_eq!(credentials.account_id(), Some("210987654321"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let body = String::from_utf8(requests[1].body.clone()).unwrap();
    assert_eq!(
        body,
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2Fops&RoleSessionName=s&ExternalId=ext-1"
    );
    let authorization = requests[1].header("authorization").unwrap();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDSOURCE/"),
        "{authorization}"
    );
    assert!(
        authorization.contains("/eu-central-1/sts/aws4_request"),
        "{authorization}"
    );
}

#[tokio::test]
async fn a_modeled_error_stops_with_the_code_and_no_secret() {
    let server = serve(|_: &Recorded| {
        Reply::new(
            403,
            error("AccessDenied", "not authorized to perform sts:AssumeRole"),
        )
    })
    .await;
    let e = provider(&server.url)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
    let shown = format!("{e} {e:?}");
    assert!(
        shown.contains("AssumeRole of arn:aws:iam::210987654321:role/ops failed"),
        "{shown}"
    );
    assert!(shown.contains("not authorized"), "{shown}");
    assert!(!shown.contains("source-secret"), "{shown}");
    assert_eq!(server.requests().len(), 1, "access denied is not retried");
}
