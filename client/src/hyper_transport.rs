//! The default transport: hyper's pooled HTTP/1.1 client over TCP, with rustls
//! (ring, Mozilla's root certificates from `webpki-roots`) for `https` URLs.

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::transport::{
    BoxFuture, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind,
    TransportSettings,
};

type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// hyper with rustls; connections are pooled and reused across calls.
#[derive(Clone)]
pub struct HyperTransport {
    client: Result<Client<Connector, Full<Bytes>>, String>,
    max_body_bytes: usize,
}

impl std::fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HyperTransport")
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

impl HyperTransport {
    /// A transport with `settings`' connect timeout, body limit and idle timeout.
    /// A timer closes pooled connections idle for longer than the idle timeout (without
    /// one, hyper would keep the surplus of a burst open for as long as the client lives).
    pub fn new(settings: TransportSettings) -> Self {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(settings.connect_timeout));
        let client = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map(|builder| {
                let connector = builder.https_or_http().enable_http1().wrap_connector(http);
                Client::builder(TokioExecutor::new())
                    .pool_timer(TokioTimer::new())
                    .pool_idle_timeout(settings.pool_idle_timeout)
                    .build(connector)
            })
            .map_err(|e| format!("cannot set up TLS: {e}"));
        Self {
            client,
            max_body_bytes: settings.max_body_bytes,
        }
    }

    async fn round_trip(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let client = self
            .client
            .as_ref()
            .map_err(|m| TransportError::new(TransportErrorKind::Connect, m.clone()))?;
        let (parts, body) = request.into_parts();
        let request = http::Request::from_parts(parts, Full::new(Bytes::from(body)));
        let response = client.request(request).await.map_err(|e| {
            let kind = if e.is_connect() {
                TransportErrorKind::Connect
            } else {
                TransportErrorKind::Io
            };
            TransportError::new(kind, describe(&e)).with_source(e)
        })?;
        let (parts, body) = response.into_parts();
        let body = Limited::new(body, self.max_body_bytes)
            .collect()
            .await
            .map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    TransportError::new(
                        TransportErrorKind::Response,
                        format!(
                            "the response body is larger than the limit of {} bytes",
                            self.max_body_bytes
                        ),
                    )
                } else {
                    TransportError::new(
                        TransportErrorKind::Io,
                        format!("the response body was cut short: {}", describe(&*e)),
                    )
                    .with_source(e)
                }
            })?;
        Ok(http::Response::from_parts(parts, body.to_bytes()))
    }
}

impl Transport for HyperTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(self.round_trip(request))
    }
}

/// An error and its causes in one line: hyper's own messages are terse.
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
