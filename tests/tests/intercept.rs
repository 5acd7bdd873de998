//! Interceptors and per-call overrides through the generated client, against a
//! loopback server over the default transport: each hook point, its order and
//! how often it runs, and what `customize` changes for one call only.

// The loopback server of the client's own tests.
#[path = "../../client/tests/support/mod.rs"]
mod loopback;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use elasticache::client::intercept::{
    AfterSigning, BeforeParsing, BeforeSigning, BoxError, CallEnded, CallOutcome,
};
use elasticache::client::{Config, Credentials, Intercept, RetryConfig, SdkError};
use elasticache::operation::start_migration::{StartMigrationError, StartMigrationOutput};
use elasticache::types::CustomerNodeEndpoint;
use loopback::{serve, Recorded, Reply};

const OK: &str = r#"<StartMigrationResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <StartMigrationResult><ReplicationGroup><ReplicationGroupId>my-rg</ReplicationGroupId><Status>migrating</Status></ReplicationGroup></StartMigrationResult>
  <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata>
</StartMigrationResponse>"#;

const NOT_FOUND: &str = r#"<ErrorResponse><Error><Type>Sender</Type><Code>ReplicationGroupNotFoundFault</Code><Message>Replication group my-rg not found.</Message></Error><RequestId>req-404</RequestId></ErrorResponse>"#;

/// A client of `url` over the default transport, with quick retries and `interceptors`.
fn client(url: &str, max_attempts: u32, interceptors: Vec<Recorder>) -> elasticache::Client {
    let mut retry = RetryConfig::default();
    retry.max_attempts = max_attempts;
    retry.initial_backoff = Duration::from_millis(1);
    let mut config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "secret-key-for-the-hooks",
            Some("session-token-for-the-hooks".into()),
        ))
        .endpoint_url(url)
        .retry_config(retry);
    for interceptor in interceptors {
        config = config.interceptor(interceptor);
    }
    elasticache::Client::from_conf(config.build())
}

fn start_migration(
    client: &elasticache::Client,
) -> elasticache::operation::start_migration::StartMigrationFluentBuilder {
    client
        .start_migration()
        .replication_group_id("my-rg")
        .customer_node_endpoint_list(
            CustomerNodeEndpoint::builder()
                .address("10.0.0.1")
                .port(6379)
                .build(),
        )
}

/// What one hook saw.
#[derive(Debug, Clone, PartialEq)]
enum Seen {
    BeforeSigning {
        by: &'static str,
        attempt: u32,
        signed: bool,
    },
    AfterSigning {
        by: &'static str,
        attempt: u32,
        authorization: String,
        tenant: Option<String>,
    },
    BeforeParsing {
        by: &'static str,
        attempt: u32,
        status: u16,
        request_id: Option<String>,
    },
    AfterCall {
        by: &'static str,
        operation: &'static str,
        attempts: u32,
        outcome: String,
        group: Option<String>,
        error_code: Option<String>,
    },
}

/// An interceptor that writes what each hook saw into a shared log, and may add
/// a header before signing.
#[derive(Debug, Clone)]
struct Recorder {
    name: &'static str,
    log: Arc<Mutex<Vec<Seen>>>,
    add_tenant: Option<&'static str>,
}

impl Recorder {
    fn new(name: &'static str, log: &Arc<Mutex<Vec<Seen>>>) -> Self {
        Self {
            name,
            log: Arc::clone(log),
            add_tenant: None,
        }
    }

    fn adding_tenant(mut self, tenant: &'static str) -> Self {
        self.add_tenant = Some(tenant);
        self
    }

    fn push(&self, seen: Seen) {
        self.log.lock().unwrap().push(seen);
    }
}

impl Intercept for Recorder {
    fn modify_before_signing(&self, context: &mut BeforeSigning<'_>) -> Result<(), BoxError> {
        self.push(Seen::BeforeSigning {
            by: self.name,
            attempt: context.info().attempt(),
            signed: context.request().headers().contains_key("authorization"),
        });
        if let Some(tenant) = self.add_tenant {
            context
                .request_mut()
                .headers_mut()
                .insert("x-tenant", tenant.parse()?);
        }
        Ok(())
    }

    fn read_after_signing(&self, context: &AfterSigning<'_>) {
        let header = |name: &str| {
            context
                .request()
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        self.push(Seen::AfterSigning {
            by: self.name,
            attempt: context.info().attempt(),
            authorization: header("authorization").unwrap_or_default(),
            tenant: header("x-tenant"),
        });
    }

    fn read_before_parsing(&self, context: &BeforeParsing<'_>) {
        self.push(Seen::BeforeParsing {
            by: self.name,
            attempt: context.info().attempt(),
            status: context.response().status().as_u16(),
            request_id: context
                .response()
                .headers()
                .get("x-amzn-requestid")
                .map(|v| v.to_str().unwrap().to_owned()),
        });
    }

    fn read_after_call(&self, context: &CallEnded<'_>) {
        let outcome = match context.outcome() {
            CallOutcome::Output { request_id } => format!("output {request_id:?}"),
            CallOutcome::ServiceError {
                status,
                code,
                request_id,
            } => format!("service error {status} {code:?} {request_id:?}"),
            CallOutcome::DispatchFailure(error) => format!("dispatch {:?}", error.kind()),
            CallOutcome::ConstructionFailure(error) => format!("construction {error}"),
            other => format!("{other:?}"),
        };
        self.push(Seen::AfterCall {
            by: self.name,
            operation: context.operation(),
            attempts: context.attempts(),
            outcome,
            group: context
                .output::<StartMigrationOutput>()
                .and_then(|o| o.replication_group.as_ref())
                .and_then(|g| g.replication_group_id.clone()),
            error_code: context
                .service_error::<StartMigrationError>()
                .and_then(|e| querygen_runtime::query::ErrorCode::code(e).map(str::to_owned)),
        });
    }
}

/// Answers the `n`-th request (from 0) with `replies[n]`, the last one after that.
fn in_turn(replies: Vec<Reply>) -> impl Fn(&Recorded) -> Reply + Send + Sync + 'static {
    let count = AtomicUsize::new(0);
    move |_| {
        let n = count.fetch_add(1, Ordering::SeqCst);
        replies[n.min(replies.len() - 1)].clone()
    }
}

#[tokio::test]
async fn a_header_added_before_signing_is_signed_and_sent() {
    let server = serve(|_| Reply::ok(OK)).await;
    let log = Arc::default();
    let client = client(
        &server.url,
        3,
        vec![Recorder::new("tenant", &log).adding_tenant("blue")],
    );
    start_migration(&client).send().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("x-tenant"), Some("blue"));
    let authorization = requests[0].header("authorization").unwrap();
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    assert!(
        signed.split(';').any(|h| h == "x-tenant"),
        "{authorization}"
    );
    // The hook ran before the signature existed.
    let seen = log.lock().unwrap().clone();
    assert_eq!(
        seen[0],
        Seen::BeforeSigning {
            by: "tenant",
            attempt: 1,
            signed: false
        }
    );
}

#[tokio::test]
async fn each_attempt_runs_the_attempt_hooks_and_each_call_the_call_hook_once() {
    let server = serve(in_turn(vec![
        Reply::new(500, "<html>down</html>").header("x-amzn-RequestId", "req-500"),
        Reply::ok(OK).header("x-amzn-RequestId", "req-200"),
    ]))
    .await;
    let log = Arc::default();
    let client = client(
        &server.url,
        3,
        vec![Recorder::new("client", &log).adding_tenant("blue")],
    );
    start_migration(&client).send().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let seen = log.lock().unwrap().clone();
    let authorization = |n: usize| requests[n].header("authorization").unwrap().to_owned();
    assert_eq!(
        seen,
        vec![
            Seen::BeforeSigning {
                by: "client",
                attempt: 1,
                signed: false
            },
            // After signing: exactly what the server then received.
            Seen::AfterSigning {
                by: "client",
                attempt: 1,
                authorization: authorization(0),
                tenant: Some("blue".into())
            },
            Seen::BeforeParsing {
                by: "client",
                attempt: 1,
                status: 500,
                request_id: Some("req-500".into())
            },
            Seen::BeforeSigning {
                by: "client",
                attempt: 2,
                signed: false
            },
            Seen::AfterSigning {
                by: "client",
                attempt: 2,
                authorization: authorization(1),
                tenant: Some("blue".into())
            },
            Seen::BeforeParsing {
                by: "client",
                attempt: 2,
                status: 200,
                request_id: Some("req-200".into())
            },
            Seen::AfterCall {
                by: "client",
                operation: "StartMigration",
                attempts: 2,
                outcome: r#"output Some("req-ok")"#.into(),
                group: Some("my-rg".into()),
                error_code: None,
            },
        ]
    );
    // Each attempt is signed afresh.
    assert_ne!(authorization(0), authorization(1));
}

#[tokio::test]
async fn the_call_hook_sees_errors_failures_and_unsent_calls() {
    let server = serve(|_| Reply::new(404, NOT_FOUND)).await;
    let log = Arc::default();
    let client = client(&server.url, 3, vec![Recorder::new("client", &log)]);
    let error = start_migration(&client).send().await.unwrap_err();
    assert!(error.as_service_error().is_some(), "{error:?}");
    let seen = log.lock().unwrap().clone();
    assert_eq!(
        seen.last().unwrap(),
        &Seen::AfterCall {
            by: "client",
            operation: "StartMigration",
            attempts: 1,
            outcome: r#"service error 404 Some("ReplicationGroupNotFoundFault") Some("req-404")"#
                .into(),
            group: None,
            error_code: Some("ReplicationGroupNotFoundFault".into()),
        }
    );

    // No response: a port nothing listens on any more.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let log = Arc::default();
    let client = self::client(&closed, 2, vec![Recorder::new("client", &log)]);
    let error = start_migration(&client).send().await.unwrap_err();
    assert!(matches!(error, SdkError::Dispatch(_)), "{error:?}");
    let seen = log.lock().unwrap().clone();
    // Two attempts were signed; neither got a response to read.
    assert_eq!(
        seen.iter()
            .filter(|s| matches!(s, Seen::AfterSigning { .. }))
            .count(),
        2
    );
    assert!(!seen.iter().any(|s| matches!(s, Seen::BeforeParsing { .. })));
    assert!(
        matches!(seen.last().unwrap(), Seen::AfterCall { attempts: 2, outcome, .. } if outcome == "dispatch Connect"),
        "{seen:?}"
    );

    // Nothing sent: no credentials for an unsigned-less client.
    let log = Arc::default();
    let client = elasticache::Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(&server.url)
            .interceptor(Recorder::new("client", &log))
            .build(),
    );
    let error = start_migration(&client).send().await.unwrap_err();
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        matches!(&seen[0], Seen::AfterCall { attempts: 0, outcome, .. } if outcome.starts_with("construction StartMigration: no credentials")),
        "{seen:?}"
    );
}

/// Refuses every request before signing.
#[derive(Debug)]
struct Refuse;

impl Intercept for Refuse {
    fn modify_before_signing(&self, _: &mut BeforeSigning<'_>) -> Result<(), BoxError> {
        Err("tenant not allowed".into())
    }
}

#[tokio::test]
async fn a_hook_that_refuses_ends_the_call_unsent_and_unretried() {
    let server = serve(|_| Reply::ok(OK)).await;
    let client = client(&server.url, 3, Vec::new());
    let error = start_migration(&client)
        .customize(|c| c.interceptor(Refuse))
        .send()
        .await
        .unwrap_err();
    let SdkError::Construction(error) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        error.to_string(),
        "StartMigration: an interceptor refused the request before signing: tenant not allowed"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn per_call_interceptors_run_after_the_clients_and_for_that_call_only() {
    let server = serve(|_| Reply::ok(OK)).await;
    let log = Arc::default();
    let client = client(&server.url, 3, vec![Recorder::new("client", &log)]);
    start_migration(&client)
        .customize(|c| c.interceptor(Recorder::new("call", &log)))
        .send()
        .await
        .unwrap();
    let order: Vec<(&str, &str)> = log
        .lock()
        .unwrap()
        .drain(..)
        .map(|s| match s {
            Seen::BeforeSigning { by, .. } => (by, "before signing"),
            Seen::AfterSigning { by, .. } => (by, "after signing"),
            Seen::BeforeParsing { by, .. } => (by, "before parsing"),
            Seen::AfterCall { by, .. } => (by, "after call"),
        })
        .collect();
    assert_eq!(
        order,
        [
            ("client", "before signing"),
            ("call", "before signing"),
            ("client", "after signing"),
            ("call", "after signing"),
            ("client", "before parsing"),
            ("call", "before parsing"),
            ("client", "after call"),
            ("call", "after call"),
        ]
    );
    // The next call has the client's interceptor only.
    start_migration(&client).send().await.unwrap();
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen.len(), 4);
    assert!(seen
        .iter()
        .all(|s| format!("{s:?}").contains(r#"by: "client""#)));
}

#[tokio::test]
async fn customize_changes_attempts_for_one_call_only() {
    let server = serve(|_| Reply::new(503, "<html>busy</html>")).await;
    let client = client(&server.url, 3, Vec::new());
    let error = start_migration(&client)
        .customize(|c| c.max_attempts(1))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
    assert_eq!(
        server.requests()[0].header("amz-sdk-request"),
        Some("attempt=1; max=1")
    );
    // A second `customize` builds on the first.
    let log = Arc::default();
    let error = start_migration(&client)
        .customize(|c| c.max_attempts(2))
        .customize(|c| c.interceptor(Recorder::new("call", &log)))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), 2);
    assert!(matches!(
        log.lock().unwrap().last(),
        Some(Seen::AfterCall { attempts: 2, .. })
    ));
    // The client's setting is untouched.
    let error = start_migration(&client).send().await.unwrap_err();
    assert_eq!(error.attempts(), 3);
    assert_eq!(server.requests().len(), 6);
}

#[tokio::test]
async fn customize_sets_timeouts_for_one_call_only() {
    let server = serve(|_| Reply::ok(OK).after(Duration::from_millis(300))).await;
    let client = client(&server.url, 1, Vec::new());
    let error = start_migration(&client)
        .customize(|c| c.read_timeout(Duration::from_millis(50)))
        .send()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("read timeout of 50ms"),
        "{error}"
    );
    let error = start_migration(&client)
        .customize(|c| c.operation_timeout(Duration::from_millis(50)))
        .send()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("operation timeout of 50ms"),
        "{error}"
    );
    // Without them, the slow answer is awaited.
    start_migration(&client).send().await.unwrap();
}

#[tokio::test]
async fn a_paginator_keeps_the_calls_overrides() {
    let server = serve(|_| Reply::new(503, "<html>busy</html>")).await;
    let log = Arc::default();
    let client = client(&server.url, 3, Vec::new());
    let mut pages = client
        .describe_cache_clusters()
        .customize(|c| c.max_attempts(1).interceptor(Recorder::new("call", &log)))
        .into_paginator()
        .send();
    let error = pages.next().await.unwrap().unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
    assert!(log.lock().unwrap().iter().any(|s| matches!(
        s,
        Seen::AfterCall {
            operation: "DescribeCacheClusters",
            ..
        }
    )));
}

#[test]
fn hook_contexts_debug_shows_no_header_or_body() {
    // Debug of a context names the call and attempt, never a header or the body.
    #[derive(Debug)]
    struct ShowContexts(Arc<Mutex<String>>);
    impl Intercept for ShowContexts {
        fn modify_before_signing(&self, context: &mut BeforeSigning<'_>) -> Result<(), BoxError> {
            self.0.lock().unwrap().push_str(&format!("{context:?}"));
            Ok(())
        }
        fn read_after_signing(&self, context: &AfterSigning<'_>) {
            self.0.lock().unwrap().push_str(&format!("{context:?}"));
        }
        fn read_before_parsing(&self, context: &BeforeParsing<'_>) {
            self.0.lock().unwrap().push_str(&format!("{context:?}"));
        }
        fn read_after_call(&self, context: &CallEnded<'_>) {
            self.0.lock().unwrap().push_str(&format!("{context:?}"));
        }
    }
    let shown = Arc::new(Mutex::new(String::new()));
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let server = serve(|_| Reply::ok(OK)).await;
            let client = client(&server.url, 1, Vec::new());
            start_migration(&client)
                .customize(|c| c.interceptor(ShowContexts(Arc::clone(&shown))))
                .send()
                .await
                .unwrap();
        });
    let shown = shown.lock().unwrap().clone();
    assert!(shown.contains("attempt: 1"), "{shown}");
    assert!(shown.contains(r#"operation: "StartMigration""#), "{shown}");
    for secret in [
        "secret-key-for-the-hooks",
        "session-token-for-the-hooks",
        "AWS4-HMAC-SHA256",
        "ReplicationGroupId",
        "10.0.0.1",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

// The two examples of docs/client.md, as written there.
mod docs_examples {
    use elasticache::client::intercept::{BeforeSigning, BoxError, CallEnded};

    #[derive(Debug)]
    pub struct Tenant(pub &'static str);

    impl elasticache::client::Intercept for Tenant {
        fn modify_before_signing(&self, context: &mut BeforeSigning<'_>) -> Result<(), BoxError> {
            context
                .request_mut()
                .headers_mut()
                .insert("x-tenant", self.0.parse()?);
            Ok(())
        }
    }

    #[derive(Debug)]
    pub struct Latency;

    impl elasticache::client::Intercept for Latency {
        fn read_after_call(&self, call: &CallEnded<'_>) {
            tracing::info!(
                operation = call.operation(),
                attempts = call.attempts(),
                succeeded = call.succeeded(),
                latency_ms = call.elapsed().as_secs_f64() * 1000.0,
                "call latency"
            );
        }
    }
}

#[tokio::test]
async fn the_docs_examples_add_a_header_and_log_latency() {
    let (events, _guard) = loopback::Events::capture();
    let server = serve(|_| Reply::ok(OK)).await;
    let client = elasticache::Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
            .endpoint_url(&server.url)
            .interceptor(docs_examples::Tenant("blue"))
            .interceptor(docs_examples::Latency)
            .build(),
    );
    start_migration(&client).send().await.unwrap();
    assert_eq!(server.requests()[0].header("x-tenant"), Some("blue"));
    let latency: Vec<String> = events
        .all()
        .into_iter()
        .filter(|e| e.contains("call latency"))
        .collect();
    assert_eq!(latency.len(), 1, "{:?}", events.all());
    assert!(
        latency[0].starts_with("INFO")
            && latency[0].contains(r#"operation="StartMigration""#)
            && latency[0].contains("attempts=1")
            && latency[0].contains("succeeded=true")
            && latency[0].contains("latency_ms="),
        "{latency:?}"
    );
}
