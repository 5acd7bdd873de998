//! The generated client through an in-process transport: what goes on the wire
//! (body, headers, signature shape), and how answers, errors and retries come back.

mod support;

use std::time::Duration;

use elasticache::client::{Config, Credentials, RetryConfig, SdkError};
use elasticache::operation::start_migration::StartMigrationError;
use elasticache::types::CustomerNodeEndpoint;
use querygen_client::{
    BoxFuture, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind,
};
use support::{scripted_client as client, Script, SECRET};

fn endpoint(address: &str, port: i32) -> CustomerNodeEndpoint {
    CustomerNodeEndpoint::builder()
        .address(address)
        .port(port)
        .build()
}

const OK: &str = r#"<StartMigrationResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <StartMigrationResult><ReplicationGroup><ReplicationGroupId>my-rg</ReplicationGroupId><Status>migrating</Status></ReplicationGroup></StartMigrationResult>
  <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata>
</StartMigrationResponse>"#;

const NOT_FOUND: &str = r#"<ErrorResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <Error><Type>Sender</Type><Code>ReplicationGroupNotFoundFault</Code><Message>Replication group my-rg not found.</Message></Error>
  <RequestId>req-404</RequestId>
</ErrorResponse>"#;

const THROTTLED: &str = r#"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>req-429</RequestId></ErrorResponse>"#;

async fn start_migration(
    client: &elasticache::Client,
) -> Result<
    elasticache::operation::start_migration::StartMigrationOutput,
    SdkError<StartMigrationError>,
> {
    client
        .start_migration()
        .replication_group_id("my-rg")
        .customer_node_endpoint_list(endpoint("10.0.0.1", 6379))
        .customer_node_endpoint_list(endpoint("10.0.0.2", 6380))
        .send()
        .await
}

#[tokio::test]
async fn start_migration_sends_the_sdk_body_signed_and_reads_the_output() {
    let script = Script::new(vec![Ok((200, OK))]);
    let output = start_migration(&client(&script, 3)).await.unwrap();
    let group = output.replication_group.unwrap();
    assert_eq!(group.replication_group_id.as_deref(), Some("my-rg"));
    assert_eq!(group.status.as_deref(), Some("migrating"));

    let requests = script.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method(), "POST");
    assert_eq!(
        request.uri(),
        "https://elasticache.us-east-1.amazonaws.com/"
    );
    assert_eq!(
        std::str::from_utf8(request.body()).unwrap(),
        "Action=StartMigration&Version=2015-02-02&ReplicationGroupId=my-rg&CustomerNodeEndpointList.member.1.Address=10.0.0.1&CustomerNodeEndpointList.member.1.Port=6379&CustomerNodeEndpointList.member.2.Address=10.0.0.2&CustomerNodeEndpointList.member.2.Port=6380"
    );
    let header = |name: &str| request.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "application/x-www-form-urlencoded");
    assert_eq!(header("content-length"), "255");
    assert_eq!(header("amz-sdk-request"), "attempt=1; max=3");
    let date = header("x-amz-date");
    assert_eq!(date.len(), 16, "{date}");
    let authorization = header("authorization");
    let expected_prefix = format!(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{}/us-east-1/elasticache/aws4_request, SignedHeaders=",
        &date[..8]
    );
    assert!(
        authorization.starts_with(&expected_prefix),
        "{authorization}"
    );
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    for name in ["content-length", "content-type", "host", "x-amz-date"] {
        assert!(
            signed.split(';').any(|h| h == name),
            "{name} not signed: {signed}"
        );
    }
    assert!(!authorization.contains(SECRET));
}

#[tokio::test]
async fn a_session_token_is_sent_and_signed() {
    let script = Script::new(vec![Ok((200, OK))]);
    let config = Config::builder()
        .region("eu-west-1")
        .credentials(Credentials::new("AKID", SECRET, Some("the-token".into())))
        .endpoint_url("http://127.0.0.1:1")
        .transport(script.clone())
        .build();
    start_migration(&elasticache::Client::from_conf(config))
        .await
        .unwrap();
    let request = &script.requests()[0];
    assert_eq!(request.headers()["x-amz-security-token"], "the-token");
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert!(authorization.contains("/eu-west-1/elasticache/aws4_request"));
    assert!(
        authorization.contains("x-amz-security-token"),
        "{authorization}"
    );
}

#[tokio::test]
async fn a_modeled_error_comes_back_at_once_with_message_and_request_id() {
    let script = Script::new(vec![Ok((404, NOT_FOUND))]);
    let error = start_migration(&client(&script, 3)).await.unwrap_err();
    assert_eq!(error.attempts(), 1);
    let SdkError::Service(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.status, 404);
    assert_eq!(failure.request_id.as_deref(), Some("req-404"));
    let StartMigrationError::ReplicationGroupNotFoundFault(fault) = &failure.error else {
        panic!("{error:?}")
    };
    assert_eq!(fault.message(), Some("Replication group my-rg not found."));
    assert!(error.to_string().contains("request id req-404"), "{error}");
    assert_eq!(script.requests().len(), 1);
}

#[tokio::test]
async fn throttling_and_5xx_are_retried_then_succeed() {
    let script = Script::new(vec![
        Ok((400, THROTTLED)),
        Ok((503, "<html>busy</html>")),
        Ok((200, OK)),
    ]);
    start_migration(&client(&script, 3)).await.unwrap();
    let attempts: Vec<String> = script
        .requests()
        .iter()
        .map(|r| r.headers()["amz-sdk-request"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        attempts,
        ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]
    );
}

#[tokio::test]
async fn every_attempt_of_a_call_shares_one_invocation_id() {
    let script = Script::new(vec![Ok((500, "oops")), Ok((200, OK)), Ok((200, OK))]);
    let client = client(&script, 3);
    start_migration(&client).await.unwrap();
    start_migration(&client).await.unwrap();
    let ids: Vec<String> = script
        .requests()
        .iter()
        .map(|r| {
            r.headers()["amz-sdk-invocation-id"]
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(ids[0], ids[1]);
    assert_ne!(ids[1], ids[2]);
}

#[tokio::test]
async fn retries_stop_at_max_attempts_with_the_last_answer() {
    let script = Script::new(vec![
        Ok((500, "<html>first</html>")),
        Ok((502, "<html>second</html>")),
    ]);
    let error = start_migration(&client(&script, 2)).await.unwrap_err();
    assert_eq!(error.attempts(), 2);
    let SdkError::Service(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.status, 502);
    let StartMigrationError::Unhandled(unhandled) = &failure.error else {
        panic!("{error:?}")
    };
    assert_eq!(unhandled.status, 502);
    assert!(unhandled.body_excerpt.contains("second"));
}

#[tokio::test]
async fn connection_failures_are_retried_and_reported() {
    let script = Script::new(vec![
        Err(TransportErrorKind::Connect),
        Err(TransportErrorKind::Io),
        Err(TransportErrorKind::Timeout),
    ]);
    let error = start_migration(&client(&script, 3)).await.unwrap_err();
    let SdkError::Dispatch(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.attempts, 3);
    assert_eq!(failure.error.kind(), TransportErrorKind::Timeout);
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
}

#[tokio::test]
async fn client_errors_and_unacceptable_responses_are_not_retried() {
    let script = Script::new(vec![Err(TransportErrorKind::Response)]);
    let error = start_migration(&client(&script, 3)).await.unwrap_err();
    assert_eq!(error.attempts(), 1);
    let bad_request = r#"<ErrorResponse><Error><Code>InvalidParameterValue</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>"#;
    let script = Script::new(vec![Ok((400, bad_request))]);
    let error = start_migration(&client(&script, 3)).await.unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert!(error.as_service_error().is_some());
}

#[tokio::test]
async fn missing_members_credentials_region_or_endpoint_send_nothing() {
    let script = Script::new(vec![]);
    let error = client(&script, 3)
        .start_migration()
        .replication_group_id("my-rg")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    assert!(
        error.to_string().contains("customer_node_endpoint_list"),
        "{error}"
    );
    assert_eq!(error.attempts(), 0);

    let no_credentials = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:1")
        .transport(script.clone())
        .build();
    let error = start_migration(&elasticache::Client::from_conf(no_credentials))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("no credentials"), "{error}");

    let no_region = Config::builder()
        .credentials(Credentials::new("AKID", SECRET, None))
        .endpoint_url("http://127.0.0.1:1")
        .transport(script.clone())
        .build();
    let error = start_migration(&elasticache::Client::from_conf(no_region))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("no region"), "{error}");
    assert!(script.requests().is_empty());
}

#[tokio::test]
async fn an_answer_that_never_comes_is_cut_by_the_operation_timeout() {
    #[derive(Debug)]
    struct Silent;
    impl Transport for Silent {
        fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
            Box::pin(std::future::pending())
        }
    }
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", SECRET, None))
        .endpoint_url("http://127.0.0.1:1")
        .operation_timeout(Duration::from_millis(200))
        .transport(Silent)
        .build();
    let started = std::time::Instant::now();
    let error = start_migration(&elasticache::Client::from_conf(config))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    let SdkError::Dispatch(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.error.kind(), TransportErrorKind::Timeout);
    assert!(error.to_string().contains("operation timeout"), "{error}");
}

/// A call's future can move between threads (`tokio::spawn` on a multi-threaded runtime).
#[test]
fn a_call_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let script = Script::new(vec![]);
    let client = client(&script, 1);
    let call = start_migration(&client);
    assert_send(&call);
    let describe = client.describe_replication_groups().send();
    assert_send(&describe);
}

#[test]
fn debug_output_never_shows_the_secret() {
    let script = Script::new(vec![]);
    let client = client(&script, 3);
    let debug = format!("{client:?} {:?}", client.config());
    assert!(debug.contains("AKIDEXAMPLE"), "{debug}");
    assert!(!debug.contains(SECRET), "{debug}");
}

#[tokio::test]
async fn errors_never_show_the_secret_the_token_or_the_signature() {
    let token = "SESSION-TOKEN-d3adb33f";
    let script = Script::new(vec![
        Ok((404, NOT_FOUND)),
        Ok((500, "<html>down</html>")),
        Err(TransportErrorKind::Connect),
    ]);
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", SECRET, Some(token.into())))
        .endpoint_url("http://127.0.0.1:1")
        .retry_config(RetryConfig::disabled())
        .transport(script.clone())
        .build();
    let client = elasticache::Client::from_conf(config);
    let mut shown = format!("{client:?} {:?}", client.config());
    for _ in 0..3 {
        let error = start_migration(&client).await.unwrap_err();
        shown.push_str(&format!("{error} {error:?} "));
    }
    let requests = script.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        let authorization = request.headers()["authorization"].to_str().unwrap();
        let signature = authorization.rsplit("Signature=").next().unwrap();
        assert_eq!(signature.len(), 64, "{authorization}");
        assert!(!shown.contains(signature), "signature leaked: {shown}");
    }
    assert!(!shown.contains(SECRET), "secret leaked: {shown}");
    assert!(!shown.contains(token), "token leaked: {shown}");
}

#[test]
fn trace_logs_never_show_the_secret_the_token_or_the_signature() {
    // aws-sigv4 traces the request it signs and the canonical request when it
    // signs in full (requests of another shape than awsQuery's usual POST to `/`,
    // as with this endpoint's path). Capture everything at TRACE through a
    // successful call, a modeled error and a 500 on each signing path, and look
    // for each secret. (Our own spans and events are checked field by field in
    // `trace_spans_and_events_show_each_call_and_attempt_and_no_secret`.)
    let token = "SESSION-TOKEN-d3adb33f";
    let script = Script::new(vec![
        Ok((200, OK)),
        Ok((404, NOT_FOUND)),
        Ok((500, "<html>down</html>")),
        Ok((200, OK)),
        Ok((404, NOT_FOUND)),
        Ok((500, "<html>down</html>")),
    ]);
    let ((), logs) = support::trace::capture(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            for url in [
                "https://elasticache.us-east-1.amazonaws.com",
                "https://elasticache.us-east-1.amazonaws.com/base/",
            ] {
                let config = Config::builder()
                    .region("us-east-1")
                    .credentials(Credentials::new("AKIDEXAMPLE", SECRET, Some(token.into())))
                    .endpoint_url(url)
                    .retry_config(RetryConfig::disabled())
                    .transport(script.clone())
                    .build();
                let client = elasticache::Client::from_conf(config);
                assert!(start_migration(&client).await.is_ok());
                assert!(start_migration(&client).await.is_err());
                assert!(start_migration(&client).await.is_err());
            }
        });
    });
    // The capture works: aws-sigv4's trace events are there for the three requests
    // it signed in full.
    assert_eq!(logs.matches("signing request").count(), 3, "{logs}");
    assert_eq!(logs.matches("canonical_request=POST").count(), 3, "{logs}");
    // ... with the session token header redacted by aws-sigv4.
    assert_eq!(
        logs.matches("x-amz-security-token:** redacted").count(),
        3,
        "{logs}"
    );
    assert!(!logs.contains(SECRET), "secret in the logs: {logs}");
    assert!(!logs.contains(token), "session token in the logs: {logs}");
    let requests = script.requests();
    assert_eq!(requests.len(), 6);
    for request in &requests {
        let authorization = request.headers()["authorization"].to_str().unwrap();
        let signature = authorization.rsplit("Signature=").next().unwrap();
        assert_eq!(signature.len(), 64, "{authorization}");
        assert!(!logs.contains(signature), "signature in the logs: {logs}");
    }
}

/// Everything traced at TRACE while `calls` runs on a fresh runtime, one line per
/// event (no time, no colours), each with its spans and their fields.
fn traced<F: std::future::Future<Output = ()>>(calls: impl FnOnce() -> F) -> String {
    let ((), logs) = support::trace::capture(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(calls());
    });
    logs
}

/// An interceptor that refuses every request, for the construction-failure event.
#[derive(Debug)]
struct Refuse;

impl elasticache::client::Intercept for Refuse {
    fn modify_before_signing(
        &self,
        _: &mut elasticache::client::intercept::BeforeSigning<'_>,
    ) -> Result<(), elasticache::client::intercept::BoxError> {
        Err("refused by the test".into())
    }
}

#[test]
fn trace_spans_and_events_show_each_call_and_attempt_and_no_secret() {
    // Every span and event the call loop emits, each at least once: a retried
    // success, a modeled error carrying an `@sensitive` member (AuthToken) in its
    // request, retries running out, a transport failure, and a request an
    // interceptor refuses. All with a session token.
    let token = "SESSION-TOKEN-7r4c3d";
    let auth_token = "AUTH-TOKEN-5ens1tive-0123456789";
    let script = Script::new(vec![
        Ok((500, "<html>down</html>")),
        Ok((200, OK)),
        Ok((404, NOT_FOUND)),
        Ok((400, THROTTLED)),
        Ok((400, THROTTLED)),
        Err(TransportErrorKind::Io),
    ]);
    let mut retry = RetryConfig::default();
    retry.max_attempts = 2;
    retry.initial_backoff = Duration::from_millis(1);
    let client = elasticache::Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", SECRET, Some(token.into())))
            .endpoint_url("https://elasticache.us-east-1.amazonaws.com")
            .retry_config(retry)
            .transport(script.clone())
            .build(),
    );
    let logs = traced(|| async {
        assert!(start_migration(&client).await.is_ok());
        let error = client
            .modify_replication_group()
            .replication_group_id("my-rg")
            .auth_token(auth_token)
            .customize(|c| c.max_attempts(1))
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.attempts(), 1);
        assert!(start_migration(&client).await.is_err());
        let error = start_migration_customized(&client, |c| c.max_attempts(1)).await;
        assert!(matches!(error, Err(SdkError::Dispatch(_))), "{error:?}");
        let error = start_migration_customized(&client, |c| c.interceptor(Refuse)).await;
        assert!(matches!(error, Err(SdkError::Construction(_))), "{error:?}");
    });
    // The sensitive member did go out, so its absence from the logs means something.
    let requests = script.requests();
    assert_eq!(requests.len(), 6);
    let sent = String::from_utf8_lossy(requests[2].body()).into_owned();
    assert!(sent.contains(&format!("AuthToken={auth_token}")), "{sent}");

    let lines: Vec<&str> = logs.lines().collect();
    let ours: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains("querygen_client::trace"))
        .collect();
    let find = |needles: &[&str]| -> Vec<&str> {
        ours.iter()
            .copied()
            .filter(|l| needles.iter().all(|n| l.contains(n)))
            .collect()
    };
    let one = |needles: &[&str]| {
        let found = find(needles);
        assert_eq!(found.len(), 1, "{needles:?} in:\n{}", ours.join("\n"));
    };
    // The retried success: two attempts in one call span, the 500, the retry with
    // its delay, the answer, the end with the body's request id.
    let call = r#"call{service="elasticache" operation="StartMigration" invocation_id="#;
    one(&[
        "DEBUG",
        call,
        "attempt{attempt=1 max_attempts=2}",
        "attempt answered status=500",
        r#"retryable="transient""#,
        "duration_ms=",
    ]);
    one(&[
        "DEBUG",
        call,
        "attempt{attempt=1 max_attempts=2}",
        r#"retrying reason="transient" delay_ms="#,
    ]);
    one(&[
        "DEBUG",
        call,
        "attempt{attempt=2 max_attempts=2}",
        "attempt answered status=200",
    ]);
    one(&[
        "DEBUG",
        call,
        r#"call succeeded attempts=2 duration_ms="#,
        r#"request_id="req-ok""#,
    ]);
    // The modeled error of the call with the sensitive member, its attempt count
    // from `customize`.
    one(&[
        "DEBUG",
        r#"operation="ModifyReplicationGroup""#,
        "attempt{attempt=1 max_attempts=1}",
        "attempt answered status=404",
        r#"request_id="req-404""#,
        r#"error_code="ReplicationGroupNotFoundFault""#,
    ]);
    one(&[
        "DEBUG",
        r#"operation="ModifyReplicationGroup""#,
        "call failed attempts=1",
        "status=404",
        r#"error_code="ReplicationGroupNotFoundFault""#,
        r#"request_id="req-404""#,
    ]);
    // Throttled twice: retries ran out, which an operator sees at INFO.
    one(&[
        " INFO ",
        "attempt{attempt=2 max_attempts=2}",
        r#"not retrying reason="throttling" why="no attempts left" attempts=2"#,
    ]);
    one(&[
        "DEBUG",
        "call failed attempts=2",
        "status=400",
        r#"error_code="Throttling""#,
    ]);
    // The transport failure, with one attempt allowed: DEBUG, not INFO.
    one(&["DEBUG", "attempt failed error=", r#"retryable="transient""#]);
    one(&[
        "DEBUG",
        "attempt{attempt=1 max_attempts=1}",
        r#"not retrying reason="transient" why="no attempts left" attempts=1"#,
    ]);
    one(&["DEBUG", "call failed attempts=1", "error=I/O error"]);
    // The refused request: no attempt answered, the reason in the end event.
    one(&["DEBUG", "call failed", "refused by the test"]);
    // Nothing of ours above DEBUG but the one INFO, nothing at WARN or ERROR at all.
    let loud: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| {
            [" INFO", " WARN", "ERROR"]
                .iter()
                .any(|level| l.starts_with(level))
        })
        .collect();
    assert_eq!(loud.len(), 1, "{loud:?}");

    assert!(!logs.contains(SECRET), "secret in the logs: {logs}");
    assert!(!logs.contains(token), "session token in the logs: {logs}");
    assert!(!logs.contains(auth_token), "AuthToken in the logs: {logs}");
    assert!(!logs.contains("AuthToken"), "AuthToken in the logs: {logs}");
    for request in &requests {
        let authorization = request.headers()["authorization"].to_str().unwrap();
        assert!(
            !logs.contains(authorization),
            "authorization in the logs: {logs}"
        );
        let signature = authorization.rsplit("Signature=").next().unwrap();
        assert_eq!(signature.len(), 64, "{authorization}");
        assert!(!logs.contains(signature), "signature in the logs: {logs}");
    }
}

#[test]
fn a_successful_call_traces_nothing_above_debug() {
    let script = Script::new(vec![Ok((200, OK))]);
    let client = client(&script, 3);
    let logs = traced(|| async {
        start_migration(&client).await.unwrap();
    });
    // The capture saw the call...
    assert!(logs.contains("call succeeded"), "{logs}");
    // ...and no event of it is above DEBUG (an event's first line starts with its level).
    for line in logs.lines() {
        assert!(
            ![" INFO", " WARN", "ERROR"]
                .iter()
                .any(|level| line.starts_with(level)),
            "{logs}"
        );
    }
}

#[test]
fn an_empty_retry_quota_is_reported_at_info() {
    // The client's quota holds 500 tokens and a throttling retry costs 5: the
    // 101st throttled attempt finds it empty.
    let script = Script::new(vec![Ok((400, THROTTLED)); 101]);
    let mut retry = RetryConfig::default();
    retry.max_attempts = 1000;
    retry.initial_backoff = Duration::from_micros(10);
    retry.max_backoff = Duration::from_micros(10);
    let client = elasticache::Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", SECRET, None))
            .endpoint_url("https://elasticache.us-east-1.amazonaws.com")
            .retry_config(retry)
            .transport(script.clone())
            .build(),
    );
    let logs = traced(|| async {
        let error = start_migration(&client).await.unwrap_err();
        assert_eq!(error.attempts(), 101);
    });
    let info: Vec<&str> = logs.lines().filter(|l| l.starts_with(" INFO")).collect();
    assert_eq!(info.len(), 1, "{logs}");
    assert!(
        info[0].contains(
            r#"not retrying reason="throttling" why="retry quota exhausted" attempts=101"#
        ),
        "{}",
        info[0]
    );
    assert_eq!(logs.matches("trace: retrying reason=").count(), 100);
}

async fn start_migration_customized(
    client: &elasticache::Client,
    customize: impl FnOnce(elasticache::client::CallOverrides) -> elasticache::client::CallOverrides,
) -> Result<
    elasticache::operation::start_migration::StartMigrationOutput,
    SdkError<StartMigrationError>,
> {
    client
        .start_migration()
        .replication_group_id("my-rg")
        .customer_node_endpoint_list(endpoint("10.0.0.1", 6379))
        .customize(customize)
        .send()
        .await
}

#[tokio::test]
async fn the_endpoint_comes_from_the_rules_for_the_configured_region() {
    let uri_for = |config: elasticache::client::ConfigBuilder| async {
        let script = Script::new(vec![Ok((200, OK))]);
        let config = config
            .credentials(Credentials::new("AKID", SECRET, None))
            .transport(script.clone())
            .build();
        start_migration(&elasticache::Client::from_conf(config))
            .await
            .map(|_| script.requests()[0].uri().to_string())
    };
    assert_eq!(
        uri_for(Config::builder().region("eu-central-1"))
            .await
            .unwrap(),
        "https://elasticache.eu-central-1.amazonaws.com/"
    );
    assert_eq!(
        uri_for(Config::builder().region("us-east-1").use_fips(true))
            .await
            .unwrap(),
        "https://elasticache-fips.us-east-1.amazonaws.com/"
    );
    assert_eq!(
        uri_for(Config::builder().region("cn-north-1"))
            .await
            .unwrap(),
        "https://elasticache.cn-north-1.amazonaws.com.cn/"
    );
    let error = uri_for(
        Config::builder()
            .region("us-east-1")
            .use_fips(true)
            .endpoint_url("https://example.com"),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("Invalid Configuration: FIPS and custom endpoint are not supported"),
        "{error}"
    );
    let error = uri_for(Config::builder()).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("Invalid Configuration: Missing Region"),
        "{error}"
    );
}
