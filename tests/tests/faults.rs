//! The generated client with its default transport (hyper) against small
//! loopback servers that misbehave: closed ports, silence, truncated and reset
//! bodies, slow answers, 5xx pages and throttling. Each gives the documented
//! typed error or a retry, within the configured timeouts.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use elasticache::client::{Config, Credentials, RetryConfig, SdkError};
use elasticache::operation::start_migration::{StartMigrationError, StartMigrationOutput};
use elasticache::types::CustomerNodeEndpoint;
use querygen_client::TransportErrorKind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const OK: &str = r#"<StartMigrationResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/"><StartMigrationResult><ReplicationGroup><ReplicationGroupId>my-rg</ReplicationGroupId></ReplicationGroup></StartMigrationResult><ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></StartMigrationResponse>"#;

/// What the server does with one request.
#[derive(Debug, Clone)]
enum Act {
    /// Answers with this status and body.
    Answer(u16, &'static str),
    /// Reads the request and never answers.
    Silence,
    /// Promises a longer body than it sends, then closes.
    Truncate,
    /// Sends part of the body, then resets the connection.
    Reset,
    /// Sends the headers, then one body byte every 200 ms.
    Trickle,
    /// Sends the headers and half the body, then nothing (the connection stays open).
    StallHalfway,
    /// Sends the headers, then nothing (the connection stays open).
    HeadersOnly,
    /// Sends the headers, then the body in six parts 150 ms apart.
    Chunks,
}

/// A loopback server that handles request N with `acts[N]` (the last act repeats).
struct Server {
    url: String,
    requests: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(acts: Vec<Act>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let index = counter.fetch_add(1, Ordering::SeqCst);
            let act = acts[index.min(acts.len() - 1)].clone();
            tokio::spawn(handle(stream, act));
        }
    });
    Server {
        url,
        requests,
        task,
    }
}

async fn read_request(stream: &mut TcpStream) {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if data.len() >= end + 4 + length {
                return;
            }
        }
    }
}

async fn handle(mut stream: TcpStream, act: Act) {
    read_request(&mut stream).await;
    let head = |status: u16, length: usize| {
        format!(
            "HTTP/1.1 {status} X\r\ncontent-type: text/xml\r\ncontent-length: {length}\r\nx-amzn-requestid: hdr-{status}\r\nconnection: close\r\n\r\n"
        )
    };
    match act {
        Act::Answer(status, body) => {
            let _ = stream
                .write_all(format!("{}{body}", head(status, body.len())).as_bytes())
                .await;
        }
        Act::Silence => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Act::Truncate => {
            let _ = stream
                .write_all(format!("{}{}", head(200, OK.len()), &OK[..40]).as_bytes())
                .await;
        }
        Act::Reset => {
            let _ = stream
                .write_all(format!("{}{}", head(200, OK.len()), &OK[..40]).as_bytes())
                .await;
            let _ = stream.flush().await;
            let _ = stream.set_zero_linger();
        }
        Act::StallHalfway => {
            let _ = stream
                .write_all(format!("{}{}", head(200, OK.len()), &OK[..OK.len() / 2]).as_bytes())
                .await;
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Act::HeadersOnly => {
            let _ = stream.write_all(head(200, OK.len()).as_bytes()).await;
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Act::Chunks => {
            let _ = stream.write_all(head(200, OK.len()).as_bytes()).await;
            let part = OK.len().div_ceil(10);
            for chunk in OK.as_bytes().chunks(part) {
                tokio::time::sleep(Duration::from_millis(100)).await;
                if stream.write_all(chunk).await.is_err() {
                    return;
                }
            }
        }
        Act::Trickle => {
            let _ = stream.write_all(head(200, OK.len()).as_bytes()).await;
            for byte in OK.bytes() {
                tokio::time::sleep(Duration::from_millis(200)).await;
                if stream.write_all(&[byte]).await.is_err() {
                    return;
                }
            }
        }
    }
}

fn client(url: &str, max_attempts: u32, read_timeout: Duration) -> elasticache::Client {
    let mut retry = RetryConfig::default();
    retry.max_attempts = max_attempts;
    retry.initial_backoff = Duration::from_millis(10);
    elasticache::Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
            .endpoint_url(url)
            .retry_config(retry)
            .connect_timeout(Duration::from_secs(1))
            .read_timeout(read_timeout)
            .build(),
    )
}

/// A client with no read timeout and stalled-stream protection after `grace`
/// (`None`: off, with a read timeout of 600 ms so that a stall still ends).
fn stall_client(url: &str, max_attempts: u32, grace: Option<Duration>) -> elasticache::Client {
    let mut retry = RetryConfig::default();
    retry.max_attempts = max_attempts;
    retry.initial_backoff = Duration::from_millis(10);
    let builder = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .endpoint_url(url)
        .retry_config(retry);
    let builder = match grace {
        Some(grace) => builder.stalled_stream_grace_period(grace),
        None => builder
            .no_stalled_stream_protection()
            .read_timeout(Duration::from_millis(600)),
    };
    elasticache::Client::from_conf(builder.build())
}

/// `call`, failing the test rather than hanging if nothing ends the call.
async fn call_within_10s(
    client: &elasticache::Client,
) -> Result<StartMigrationOutput, SdkError<StartMigrationError>> {
    tokio::time::timeout(Duration::from_secs(10), call(client))
        .await
        .expect("the call hung: nothing ended the stalled stream")
}

async fn call(
    client: &elasticache::Client,
) -> Result<StartMigrationOutput, SdkError<StartMigrationError>> {
    client
        .start_migration()
        .replication_group_id("my-rg")
        .customer_node_endpoint_list(
            CustomerNodeEndpoint::builder()
                .address("10.0.0.1")
                .port(6379)
                .build(),
        )
        .send()
        .await
}

fn dispatch_kind(error: &SdkError<StartMigrationError>) -> TransportErrorKind {
    match error {
        SdkError::Dispatch(failure) => failure.error.kind(),
        other => panic!("expected a dispatch failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_good_answer_over_a_real_socket() {
    let server = serve(vec![Act::Answer(200, OK)]).await;
    let output = call(&client(&server.url, 3, Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!(
        output
            .replication_group
            .unwrap()
            .replication_group_id
            .as_deref(),
        Some("my-rg")
    );
}

#[tokio::test]
async fn a_closed_port_is_a_connection_error_after_the_retries() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let started = Instant::now();
    let error = call(&client(
        &format!("http://127.0.0.1:{port}"),
        3,
        Duration::from_secs(5),
    ))
    .await
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(dispatch_kind(&error), TransportErrorKind::Connect);
    assert_eq!(error.attempts(), 3);
    assert!(error.to_string().contains("connection error"), "{error}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_the_read_timeout() {
    let server = serve(vec![Act::Silence]).await;
    let started = Instant::now();
    let error = call(&client(&server.url, 2, Duration::from_millis(300)))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(600), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(dispatch_kind(&error), TransportErrorKind::Timeout);
    assert_eq!(error.attempts(), 2);
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_slow_body_times_out() {
    let server = serve(vec![Act::Trickle]).await;
    let started = Instant::now();
    let error = call(&client(&server.url, 1, Duration::from_millis(500)))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(dispatch_kind(&error), TransportErrorKind::Timeout);
}

#[tokio::test]
async fn a_truncated_body_is_an_io_error_and_is_retried() {
    let server = serve(vec![Act::Truncate, Act::Answer(200, OK)]).await;
    call(&client(&server.url, 3, Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);

    let server = serve(vec![Act::Truncate]).await;
    let error = call(&client(&server.url, 2, Duration::from_secs(5)))
        .await
        .unwrap_err();
    assert_eq!(dispatch_kind(&error), TransportErrorKind::Io);
    assert!(error.to_string().contains("cut short"), "{error}");
}

#[tokio::test]
async fn a_reset_mid_body_is_an_io_error() {
    let server = serve(vec![Act::Reset]).await;
    let error = call(&client(&server.url, 2, Duration::from_secs(5)))
        .await
        .unwrap_err();
    assert_eq!(dispatch_kind(&error), TransportErrorKind::Io);
    assert_eq!(error.attempts(), 2);
}

#[tokio::test]
async fn html_500s_come_back_with_status_and_excerpt_after_the_retries() {
    let page = "<html><body><h1>500 Internal Server Error</h1></body></html>";
    let server = serve(vec![Act::Answer(500, page)]).await;
    let error = call(&client(&server.url, 3, Duration::from_secs(5)))
        .await
        .unwrap_err();
    assert_eq!(server.requests.load(Ordering::SeqCst), 3);
    let SdkError::Service(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!((failure.status, failure.attempts), (500, 3));
    assert_eq!(failure.request_id.as_deref(), Some("hdr-500"));
    let StartMigrationError::Unhandled(unhandled) = &failure.error else {
        panic!("{error:?}")
    };
    assert_eq!(unhandled.status, 500);
    assert!(unhandled.body_excerpt.contains("500 Internal Server Error"));
    assert!(error.to_string().contains("HTTP 500"), "{error}");
}

#[tokio::test]
async fn a_503_with_or_without_xml_is_retried_until_it_passes() {
    let unavailable = r#"<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>try later</Message></Error><RequestId>r</RequestId></ErrorResponse>"#;
    let server = serve(vec![
        Act::Answer(503, unavailable),
        Act::Answer(503, ""),
        Act::Answer(200, OK),
    ])
    .await;
    call(&client(&server.url, 3, Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!(server.requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn throttling_is_retried_and_reported_when_it_persists() {
    let throttled = r#"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>t-1</RequestId></ErrorResponse>"#;
    let server = serve(vec![Act::Answer(400, throttled)]).await;
    let error = call(&client(&server.url, 2, Duration::from_secs(5)))
        .await
        .unwrap_err();
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);
    let SdkError::Service(failure) = &error else {
        panic!("{error:?}")
    };
    let StartMigrationError::Unhandled(unhandled) = &failure.error else {
        panic!("{error:?}")
    };
    assert_eq!(unhandled.code.as_deref(), Some("Throttling"));
    assert_eq!(unhandled.message.as_deref(), Some("Rate exceeded"));
}

#[tokio::test]
async fn a_body_that_stalls_halfway_is_a_retryable_io_error() {
    let server = serve(vec![Act::StallHalfway]).await;
    let grace = Duration::from_millis(200);
    let error = call_within_10s(&stall_client(&server.url, 2, Some(grace)))
        .await
        .unwrap_err();
    assert_eq!(dispatch_kind(&error), TransportErrorKind::Io);
    // Retried as a transient error: both attempts made.
    assert_eq!(error.attempts(), 2);
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);
    let text = error.to_string();
    assert!(
        text.contains("the response body stalled: no data for 200ms"),
        "{text}"
    );
    assert!(
        text.contains(&format!("after {} of {} bytes", OK.len() / 2, OK.len())),
        "{text}"
    );
}

#[tokio::test]
async fn headers_without_a_body_stall_and_the_retry_gets_the_answer() {
    let server = serve(vec![Act::HeadersOnly, Act::Answer(200, OK)]).await;
    let grace = Duration::from_millis(200);
    call_within_10s(&stall_client(&server.url, 2, Some(grace)))
        .await
        .unwrap();
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);

    let server = serve(vec![Act::HeadersOnly]).await;
    let error = call_within_10s(&stall_client(&server.url, 1, Some(grace)))
        .await
        .unwrap_err();
    assert_eq!(dispatch_kind(&error), TransportErrorKind::Io);
    assert!(
        error
            .to_string()
            .contains(&format!("after 0 of {} bytes", OK.len())),
        "{error}"
    );
}

#[tokio::test]
async fn a_slow_body_that_keeps_coming_is_no_stall() {
    // 10 parts 100 ms apart: about 1 s in all, more than the grace period, but
    // never 600 ms without a byte (headroom for a loaded machine).
    let server = serve(vec![Act::Chunks]).await;
    call_within_10s(&stall_client(
        &server.url,
        1,
        Some(Duration::from_millis(600)),
    ))
    .await
    .unwrap();
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn stalled_stream_protection_is_on_by_default_and_can_be_turned_off() {
    let settings = Config::builder().build().transport_settings();
    assert_eq!(
        settings.stalled_stream_grace_period,
        Some(Duration::from_secs(5))
    );
    // Off: only the read timeout ends the stalled body.
    let server = serve(vec![Act::StallHalfway]).await;
    let error = call_within_10s(&stall_client(&server.url, 1, None))
        .await
        .unwrap_err();
    assert_eq!(
        dispatch_kind(&error),
        TransportErrorKind::Timeout,
        "{error}"
    );
}

#[test]
fn trace_logs_never_show_proxy_credentials() {
    const PASSWORD: &str = "pr0xy-pa55word";
    // base64 of `tester:pr0xy-pa55word`.
    let encoded = "dGVzdGVyOnByMHh5LXBhNTV3b3Jk";
    let heads = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let ((ok, refused), logs) = support::trace::capture(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            // A proxy that answers plain requests itself and refuses tunnels.
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let recorded = Arc::clone(&heads);
            let proxy = tokio::spawn(async move {
                while let Ok((mut stream, _)) = listener.accept().await {
                    let mut data = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !data.windows(4).any(|w| w == b"\r\n\r\n") {
                        let n = stream.read(&mut buf).await.unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        data.extend_from_slice(&buf[..n]);
                    }
                    let head = String::from_utf8_lossy(&data).into_owned();
                    let answer = if head.starts_with("CONNECT ") {
                        "HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n".to_owned()
                    } else {
                        format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{OK}",
                            OK.len()
                        )
                    };
                    recorded.lock().unwrap().push(head);
                    let _ = stream.write_all(answer.as_bytes()).await;
                }
            });
            let proxy_url = format!("http://tester:{PASSWORD}@127.0.0.1:{port}");
            let client = |endpoint: &str| {
                elasticache::Client::from_conf(
                    Config::builder()
                        .region("us-east-1")
                        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
                        .endpoint_url(endpoint)
                        .retry_config(RetryConfig::disabled())
                        .proxy(
                            querygen_client::ProxyConfig::none()
                                .with_proxy(&proxy_url)
                                .unwrap(),
                        )
                        .build(),
                )
            };
            let ok = call(&client("http://service.invalid/base/")).await;
            let refused = call(&client("https://service.invalid")).await;
            proxy.abort();
            (ok, refused)
        })
    });
    ok.unwrap();
    let refused = refused.unwrap_err();
    assert_eq!(dispatch_kind(&refused), TransportErrorKind::Connect);
    let heads = heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 2, "{heads:?}");
    // The credentials did go to the proxy, on both paths...
    assert!(
        heads[0].starts_with("POST http://service.invalid/base/ HTTP/1.1"),
        "{heads:?}"
    );
    for head in &heads {
        assert!(
            head.to_ascii_lowercase().contains(&format!(
                "proxy-authorization: basic {}",
                encoded.to_ascii_lowercase()
            )),
            "{head}"
        );
    }
    // ...the capture works (aws-sigv4 traces the request it signs in full)...
    assert!(logs.contains("signing request"), "{logs}");
    // ...and neither the password nor the header value is in the logs or the error.
    let shown = format!("{logs}{refused}{refused:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(!shown.contains(encoded), "{shown}");
}
