//! The test server itself: what the providers' tests rely on.

mod support;

use std::sync::Arc;

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
