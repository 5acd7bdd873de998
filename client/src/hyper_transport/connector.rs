//! The TCP side of the default transport: straight to the endpoint, or through an
//! HTTP proxy. For an `https` endpoint behind a proxy it opens a `CONNECT` tunnel,
//! over which hyper-rustls then speaks TLS with the endpoint itself; for an `http`
//! endpoint it marks the connection as proxied, so that hyper sends absolute-form
//! requests (the transport adds `Proxy-Authorization` to those).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::proxy::{Proxy, ProxyConfig};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Connects to the endpoint or to its proxy.
#[derive(Clone)]
pub(super) struct ProxyConnector {
    tcp: HttpConnector,
    proxies: Arc<ProxyConfig>,
    /// Bounds the `CONNECT` exchange (the TCP connection has its own bound).
    connect_timeout: Duration,
}

impl ProxyConnector {
    pub(super) fn new(
        tcp: HttpConnector,
        proxies: Arc<ProxyConfig>,
        connect_timeout: Duration,
    ) -> Self {
        Self {
            tcp,
            proxies,
            connect_timeout,
        }
    }
}

impl tower_service::Service<Uri> for ProxyConnector {
    type Response = Stream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Stream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.tcp.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, target: Uri) -> Self::Future {
        let Some(proxy) = self.proxies.proxy_for(&target).cloned() else {
            let connecting = self.tcp.call(target);
            return Box::pin(async move {
                Ok(Stream {
                    io: connecting.await?,
                    proxied: false,
                })
            });
        };
        let connecting = self.tcp.call(proxy.uri().clone());
        let limit = self.connect_timeout;
        Box::pin(async move {
            let io = connecting.await.map_err(|e| {
                format!(
                    "cannot connect to the proxy {proxy}: {}",
                    super::describe(&e)
                )
            })?;
            if target.scheme() != Some(&http::uri::Scheme::HTTPS) {
                return Ok(Stream { io, proxied: true });
            }
            let tunnel = tokio::time::timeout(limit, open_tunnel(io.into_inner(), &target, &proxy))
                .await
                .map_err(|_| {
                    format!("the proxy {proxy} did not open a tunnel within {limit:?}")
                })??;
            Ok(Stream {
                io: TokioIo::new(tunnel),
                proxied: false,
            })
        })
    }
}

/// The largest proxy answer to `CONNECT` read before giving up.
const MAX_CONNECT_RESPONSE: usize = 16 * 1024;

/// Asks `proxy` over `stream` for a tunnel to `target`'s host and port.
async fn open_tunnel(
    mut stream: TcpStream,
    target: &Uri,
    proxy: &Proxy,
) -> Result<TcpStream, BoxError> {
    let host = target.host().ok_or("the endpoint URL has no host")?;
    let port = target.port_u16().unwrap_or(443);
    let authority = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut request = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n").into_bytes();
    if let Some(authorization) = proxy.authorization() {
        request.extend_from_slice(b"Proxy-Authorization: ");
        request.extend_from_slice(authorization.as_bytes());
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"\r\n");
    stream
        .write_all(&request)
        .await
        .map_err(|e| format!("cannot send CONNECT to the proxy {proxy}: {e}"))?;
    // Read the answer's head only: the proxy sends nothing more until the TLS
    // handshake, which the client starts.
    let mut head = Vec::with_capacity(256);
    let mut byte = [0u8; 512];
    let end = loop {
        let n = stream
            .read(&mut byte)
            .await
            .map_err(|e| format!("the proxy {proxy} failed during CONNECT: {e}"))?;
        if n == 0 {
            return Err(format!("the proxy {proxy} closed the connection during CONNECT").into());
        }
        head.extend_from_slice(byte.get(..n).unwrap_or_default());
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if head.len() > MAX_CONNECT_RESPONSE {
            return Err(format!(
                "the proxy {proxy} answered CONNECT with a head over {MAX_CONNECT_RESPONSE} bytes"
            )
            .into());
        }
    };
    let status_line = head
        .split(|&b| b == b'\n')
        .next()
        .map(|line| String::from_utf8_lossy(line).trim().to_owned())
        .unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.")
        .and_then(|rest| rest.get(2..5))
        .and_then(|code| code.parse::<u16>().ok());
    match status {
        Some(200..=299) if end == head.len() => Ok(stream),
        Some(200..=299) => Err(format!(
            "the proxy {proxy} sent data after its answer to CONNECT, before the TLS handshake"
        )
        .into()),
        Some(407) => Err(format!(
            "the proxy {proxy} refused the tunnel to {authority}: 407 proxy authentication required ({})",
            if proxy.authorization().is_some() {
                "the credentials in the proxy URL were not accepted"
            } else {
                "the proxy URL has no credentials"
            }
        )
        .into()),
        Some(code) => Err(format!(
            "the proxy {proxy} refused the tunnel to {authority}: HTTP {code}"
        )
        .into()),
        None => Err(format!(
            "the proxy {proxy} answered CONNECT with something that is not HTTP"
        )
        .into()),
    }
}

/// A TCP connection to the endpoint, a tunnel to it, or a connection to an HTTP
/// proxy that forwards absolute-form requests.
pub(super) struct Stream {
    io: TokioIo<TcpStream>,
    proxied: bool,
}

impl Connection for Stream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.proxied)
    }
}

impl hyper::rt::Read for Stream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Stream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}
