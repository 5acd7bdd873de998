//! The default transport: hyper's pooled HTTP/1.1 client over TCP, with rustls
//! (ring) for `https` URLs, trusting the configured roots (Mozilla's by default),
//! through the configured HTTP proxy if any, and with stalled-stream protection on
//! response bodies.

mod body;
mod connector;

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::proxy::ProxyConfig;
use super::transport::{
    BoxFuture, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind,
    TransportSettings,
};
use connector::ProxyConnector;

type Connector = hyper_rustls::HttpsConnector<ProxyConnector>;

/// hyper with rustls; connections are pooled and reused across calls.
#[derive(Clone)]
pub struct HyperTransport {
    client: Result<Client<Connector, Full<Bytes>>, String>,
    max_body_bytes: usize,
    stalled_stream_grace_period: Option<std::time::Duration>,
    /// Consulted per request only when a proxy is set (for `Proxy-Authorization`).
    proxies: Option<Arc<ProxyConfig>>,
}

impl std::fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HyperTransport")
            .field("max_body_bytes", &self.max_body_bytes)
            .field(
                "stalled_stream_grace_period",
                &self.stalled_stream_grace_period,
            )
            .field("proxies", &self.proxies)
            .finish_non_exhaustive()
    }
}

impl HyperTransport {
    /// A transport with `settings`' connect timeout, body limit, idle timeout,
    /// stalled-stream grace period, proxies and trust roots.
    /// A timer closes pooled connections idle for longer than the idle timeout (without
    /// one, hyper would keep the surplus of a burst open for as long as the client lives).
    ///
    /// Roots that rustls refuses make every request fail with that reason.
    pub fn new(settings: TransportSettings) -> Self {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(settings.connect_timeout));
        let proxies = Arc::new(settings.proxy);
        let tcp = ProxyConnector::new(http, Arc::clone(&proxies), settings.connect_timeout);
        let client = tls_config(&settings.trust_roots).map(|tls| {
            let connector = hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(tls)
                .https_or_http()
                .enable_http1()
                .wrap_connector(tcp);
            Client::builder(TokioExecutor::new())
                .pool_timer(TokioTimer::new())
                .pool_idle_timeout(settings.pool_idle_timeout)
                .build(connector)
        });
        Self {
            client,
            max_body_bytes: settings.max_body_bytes,
            stalled_stream_grace_period: settings.stalled_stream_grace_period,
            proxies: proxies.is_enabled().then_some(proxies),
        }
    }

    async fn round_trip(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let client = self
            .client
            .as_ref()
            .map_err(|m| TransportError::new(TransportErrorKind::Connect, m.clone()))?;
        let (mut parts, body) = request.into_parts();
        if let Some(proxies) = &self.proxies {
            // An http endpoint behind a proxy: the proxy reads this request itself.
            // (An https one gets the credentials in the CONNECT request only.)
            if parts.uri.scheme() == Some(&http::uri::Scheme::HTTP) {
                if let Some(authorization) = proxies
                    .proxy_for(&parts.uri)
                    .and_then(|proxy| proxy.authorization())
                {
                    parts
                        .headers
                        .insert(http::header::PROXY_AUTHORIZATION, authorization.clone());
                }
            }
        }
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
        let body =
            body::read_body(body, self.max_body_bytes, self.stalled_stream_grace_period).await?;
        Ok(http::Response::from_parts(parts, body))
    }
}

/// rustls with ring, TLS 1.2 and 1.3, and `roots`.
fn tls_config(roots: &crate::tls::TrustRoots) -> Result<rustls::ClientConfig, String> {
    let roots = roots.root_store()?;
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map(|builder| builder.with_root_certificates(roots).with_no_client_auth())
        .map_err(|e| format!("cannot set up TLS: {e}"))
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
