//! What several test files share: moto's server, a transport that records and
//! the capture of `tracing` output.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use elasticache::client::{Config, Credentials, RetryConfig};
use querygen_client::{
    BoxFuture, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind,
};

pub mod trace;

/// A moto server process, killed on drop.
pub struct Moto {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
}

impl Moto {
    /// Starts moto's server on a free port of 127.0.0.1 and waits until it listens.
    pub fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let child = Command::new(&python)
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start moto with {python} (`pip install \"moto[server]\"`; `.ci/run` does it): {e}"));
        let mut moto = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = moto.child.try_wait().unwrap() {
                panic!("moto exited with {status} before listening; is moto[server] installed? (`.ci/run` installs it)");
            }
            assert!(
                Instant::now() < deadline,
                "moto did not listen on port {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// An ElastiCache client for this server with static test keys.
    pub fn client(&self, max_attempts: u32) -> elasticache::Client {
        elasticache::Client::from_conf(self.config(max_attempts))
    }

    /// An SNS client for this server, configured as [`Moto::client`]'s.
    pub fn sns_client(&self, max_attempts: u32) -> sns::Client {
        sns::Client::from_conf(self.config(max_attempts))
    }

    /// Client configuration for this server: static test keys, short backoff.
    fn config(&self, max_attempts: u32) -> Config {
        let mut retry = RetryConfig::default();
        retry.max_attempts = max_attempts;
        retry.initial_backoff = Duration::from_millis(20);
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("testing", "testing", None))
            .endpoint_url(&self.url)
            .retry_config(retry)
            .connect_timeout(Duration::from_secs(2))
            .read_timeout(Duration::from_secs(20))
            .build()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request and the response it got, as a [`Recording`] saw them.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub request: HttpRequest,
    pub status: Option<u16>,
    pub response_body: Vec<u8>,
}

impl Exchange {
    /// The request body as text.
    pub fn body(&self) -> String {
        String::from_utf8_lossy(self.request.body()).into_owned()
    }

    /// The access key id in the request's `authorization` header, if signed.
    pub fn signed_by(&self) -> Option<String> {
        let authorization = self.request.headers().get("authorization")?.to_str().ok()?;
        let credential = authorization.split("Credential=").nth(1)?;
        Some(credential.split('/').next()?.to_owned())
    }

    /// The text of the first `<name>` element of the response.
    pub fn response_element(&self, name: &str) -> Option<String> {
        let body = String::from_utf8_lossy(&self.response_body);
        let start = body.find(&format!("<{name}>"))? + name.len() + 2;
        let end = body[start..].find(&format!("</{name}>"))? + start;
        Some(body[start..end].to_owned())
    }
}

/// A transport that sends through another and records every exchange.
#[derive(Debug, Clone)]
pub struct Recording {
    inner: Arc<dyn Transport>,
    seen: Arc<Mutex<Vec<Exchange>>>,
}

impl Recording {
    /// Records what goes through the default transport (hyper, plain HTTP to loopback).
    pub fn new() -> Self {
        Self {
            inner: Arc::new(querygen_client::HyperTransport::new(
                querygen_client::TransportSettings::default(),
            )),
            seen: Arc::default(),
        }
    }

    /// Everything so far, in order.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.seen.lock().unwrap().clone()
    }

    /// The exchanges whose request body has `Action=action`.
    pub fn actions(&self, action: &str) -> Vec<Exchange> {
        let needle = format!("Action={action}&");
        self.exchanges()
            .into_iter()
            .filter(|e| e.body().starts_with(&needle))
            .collect()
    }
}

impl Transport for Recording {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let kept = request.clone();
            let result = self.inner.send(request).await;
            let (status, response_body) = match &result {
                Ok(response) => (Some(response.status().as_u16()), response.body().to_vec()),
                Err(_) => (None, Vec::new()),
            };
            self.seen.lock().unwrap().push(Exchange {
                request: kept,
                status,
                response_body,
            });
            result
        })
    }
}

/// One scripted outcome: a status and body, or a transport failure.
pub type Answer = Result<(u16, String), TransportErrorKind>;

/// Answers each request with the next scripted outcome and keeps the requests.
#[derive(Debug, Clone, Default)]
pub struct Script {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    seen: Arc<Mutex<Vec<HttpRequest>>>,
}

impl Script {
    /// A script of these outcomes, in order.
    pub fn new(answers: Vec<Result<(u16, &str), TransportErrorKind>>) -> Self {
        let script = Self::default();
        *script.answers.lock().unwrap() = answers
            .into_iter()
            .map(|a| a.map(|(s, b)| (s, b.to_owned())))
            .collect();
        script
    }

    /// The requests so far (taken: the next call starts afresh).
    pub fn requests(&self) -> Vec<HttpRequest> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

impl Transport for Script {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.seen.lock().unwrap().push(request);
        let next = self.answers.lock().unwrap().pop_front();
        Box::pin(async move {
            match next {
                Some(Ok((status, body))) => Ok(querygen_runtime::http::Response::builder()
                    .status(status)
                    .header("content-type", "text/xml")
                    .body(body.into_bytes().into())
                    .unwrap()),
                Some(Err(kind)) => Err(TransportError::new(kind, "scripted failure")),
                None => panic!("the script has no more answers"),
            }
        })
    }
}

/// The secret key of the scripted clients.
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// An ElastiCache client that sends through `script`, with quick retries.
pub fn scripted_client(script: &Script, max_attempts: u32) -> elasticache::Client {
    let mut retry = RetryConfig::default();
    retry.max_attempts = max_attempts;
    retry.initial_backoff = Duration::from_millis(1);
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", SECRET, None))
        .endpoint_url("https://elasticache.us-east-1.amazonaws.com")
        .retry_config(retry)
        .transport(script.clone())
        .build();
    elasticache::Client::from_conf(config)
}

/// The shared benchmark's ElastiCache response fixtures, generated once per test
/// binary from `$ELASTICACHE_BENCH_DIR/fixtures/gen_fixtures.py` into `dir_name`
/// under cargo's test temp dir. Returns the folder.
pub fn bench_fixtures(dir_name: &str) -> std::path::PathBuf {
    let bench = std::env::var_os("ELASTICACHE_BENCH_DIR").unwrap_or_else(|| {
        panic!("ELASTICACHE_BENCH_DIR is not set: point it at the shared bench folder (`.ci/run` sets ../shared/bench)")
    });
    let bench = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(bench);
    let out = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(dir_name);
    let status = Command::new("python3")
        .arg(bench.join("fixtures/gen_fixtures.py"))
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", bench.display()));
    assert!(status.success(), "gen_fixtures.py failed ({status})");
    out
}
