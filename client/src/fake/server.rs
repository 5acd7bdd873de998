//! The fakes on a socket: HTTP/1.1 on 127.0.0.1, for clients outside the process
//! (botocore, the AWS CLI, another SDK).

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;

use super::transport::request_id;
use super::{handle, Answer, FakeTransport};

/// Largest request body the server reads (awsQuery bodies are small; the service's own limit is lower).
const MAX_REQUEST_BYTES: usize = 10 * 1024 * 1024;

/// A fake served over HTTP on 127.0.0.1. Dropping it stops the server and closes
/// its connections; [`shutdown`](Self::shutdown) does too, and returns once they are closed.
#[derive(Debug)]
pub struct FakeServer {
    addr: SocketAddr,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl FakeServer {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`: the endpoint URL to give clients.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server: the listener and every connection are closed when this returns.
    pub async fn shutdown(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            // The accept loop never ends by itself: this is its cancellation.
            let _ = task.await;
        }
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every connection.
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

impl FakeTransport {
    /// Serves this fake on 127.0.0.1 on a free port (needs a tokio runtime), sharing
    /// its service, authentication and recorder.
    pub async fn serve(&self) -> std::io::Result<FakeServer> {
        let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let fake = self.clone();
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            loop {
                let stream = match listener.accept().await {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        tracing::debug!(%error, "fake server: accept failed");
                        continue;
                    }
                };
                // Reap finished connections so the set does not grow without bound.
                while connections.try_join_next().is_some() {}
                let fake = fake.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let fake = fake.clone();
                        async move { Ok::<_, Infallible>(fake.answer_http(request).await) }
                    });
                    if let Err(error) = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await
                    {
                        tracing::debug!(%error, "fake server: connection ended with an error");
                    }
                });
            }
        });
        Ok(FakeServer {
            addr,
            task: Some(task),
        })
    }

    async fn answer_http(
        &self,
        request: http::Request<hyper::body::Incoming>,
    ) -> http::Response<Full<Bytes>> {
        let id = request_id(&self.requests);
        let (parts, body) = request.into_parts();
        let response = match Limited::new(body, MAX_REQUEST_BYTES).collect().await {
            Ok(body) => {
                let request = http::Request::from_parts(parts, body.to_bytes());
                handle(&*self.dispatch, &self.auth, &self.recorder, id, &request).await
            }
            Err(error) => Answer::error(
                400,
                "MalformedQueryString",
                format!("cannot read the body: {error}"),
                &id,
            )
            .into_response(&id),
        };
        response.map(Full::new)
    }
}
