//! The test server itself: what the providers' tests rely on.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use querygen_client::{HyperTransport, Transport, TransportSettings};
use support::{serve, Reply};

#[tokio::test]
async fn the_loopback_server_records_requests_and_answers_as_told() {
    let server = serve(|request| match request.target.as_str() {
        "/a" => Reply::ok("first").header("x-kind", "a"),
        _ => Reply::new(404, "no"),
    })
    .await;
    let transport: Arc<dyn Transport> = Arc::new(HyperTransport::new(TransportSettings::default()));
    let request = http::Request::builder()
        .method("PUT")
        .uri(format!("{}/a", server.url))
        .header("x-test", "1")
        .body(b"payload".to_vec())
        .unwrap();
    let response = transport.send(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-kind"], "a");
    assert_eq!(&response.body()[..], b"first");
    let request = http::Request::get(format!("{}/b", server.url))
        .body(Vec::new())
        .unwrap();
    assert_eq!(transport.send(request).await.unwrap().status(), 404);
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(seen[0].header("X-Test"), Some("1"));
    assert_eq!(seen[0].body, b"payload");
    assert_eq!(seen[1].target, "/b");
}

#[tokio::test]
async fn idle_pooled_connections_are_closed_after_the_idle_timeout() {
    let server = serve(|_| Reply::ok("pong")).await;
    let request = || {
        http::Request::get(format!("{}/ping", server.url))
            .body(Vec::new())
            .unwrap()
    };
    // The default keeps a connection open well past a short wait...
    let default = HyperTransport::new(TransportSettings::default());
    assert_eq!(default.send(request()).await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(server.closed_connections(), 0, "kept for reuse");
    drop(default);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = server.closed_connections();
    // ...and closes it once it has been idle for the idle timeout.
    let mut settings = TransportSettings::default();
    settings.pool_idle_timeout = Duration::from_millis(200);
    let short = HyperTransport::new(settings);
    assert_eq!(short.send(request()).await.unwrap().status(), 200);
    let started = Instant::now();
    while server.closed_connections() == before {
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "the idle connection was not closed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 2);
    drop(short);
}
