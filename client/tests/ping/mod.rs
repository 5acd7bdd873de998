//! A one-operation service for driving `Handle::invoke` from tests without a
//! generated crate: `Ping` posts a fixed awsQuery body, any 2xx is its output,
//! and an error's code is read from the awsQuery error envelope.
#![allow(dead_code)]

use std::sync::Arc;

use querygen_client::{
    Config, ConfigBuilder, Credentials, Handle, HttpRequest, HttpResponse, Operation, SdkError,
    ServiceInfo, Target,
};
use querygen_runtime::http::RequestError;
use querygen_runtime::query::{ErrorCode, ErrorEnvelope, QueryResponse};

static SERVICE: ServiceInfo = ServiceInfo {
    signing_name: "elasticache",
    env_name: "ELASTICACHE",
    config_key: "elasticache",
    crate_name: "ping-test",
    crate_version: "0.0.0",
};

/// The error of `Ping`: just the code.
#[derive(Debug)]
pub struct PingError {
    pub code: Option<String>,
}

impl ErrorCode for PingError {
    fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
}

fn build(_: &(), url: &str) -> Result<HttpRequest, RequestError> {
    Ok(http::Request::post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"Action=Ping&Version=2015-02-02".to_vec())
        .unwrap())
}

fn parse(response: &HttpResponse) -> Result<QueryResponse<()>, PingError> {
    if response.status().is_success() {
        return Ok(QueryResponse {
            output: (),
            request_id: None,
        });
    }
    Err(PingError {
        code: ErrorEnvelope::parse(response.body())
            .ok()
            .and_then(|e| e.code),
    })
}

static PING: Operation<(), (), PingError> = Operation {
    name: "Ping",
    build_request: build,
    parse_response: parse,
};

fn target(config: &Config) -> Result<Target, String> {
    Ok(Target {
        url: config.endpoint_url().ok_or("no endpoint URL")?.to_owned(),
        headers: Vec::new(),
    })
}

/// A config with a region and static test keys, sending to `url`.
pub fn config(url: &str) -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "not-a-real-secret", None))
        .endpoint_url(url)
}

/// What a generated `Client` holds, for `config`.
pub fn handle(config: Config) -> Arc<Handle> {
    Arc::new(Handle::new(&SERVICE, config, target))
}

/// One `Ping` call.
pub async fn ping(handle: &Handle) -> Result<(), SdkError<PingError>> {
    handle.invoke(&PING, &()).await.map(|_| ())
}

/// An awsQuery error body with `code`.
pub fn error_body(code: &str) -> String {
    format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>refused</Message></Error><RequestId>req-1</RequestId></ErrorResponse>"
    )
}
