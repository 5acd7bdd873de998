//! What a generated `Client` holds ([`Handle`]) and the call loop behind every
//! operation: credentials, signing, sending, retries and timeouts.

use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use querygen_runtime::http::RequestError;
use querygen_runtime::query::{ErrorCode, ErrorEnvelope, QueryResponse};

use tracing::Instrument;

use crate::clock_skew::{self, ClockSkew};
use crate::config::{CallOverrides, Config};
use crate::error::{ConstructionError, DispatchFailure, SdkError, ServiceFailure};
#[cfg(feature = "rustls")]
use crate::hyper_transport::HyperTransport;
use crate::identity::CredentialsCache;
use crate::intercept::{
    AfterSigning, AttemptInfo, BeforeParsing, BeforeSigning, CallEnded, CallOutcome, Interceptors,
};
use crate::retry::adaptive::RateLimiter;
use crate::retry::{
    self, backoff, classify_response, random_unit, RetryMode, RetryQuota, RetryReason,
};
use crate::sign::Signer;
use crate::trace::{self, NoRetry};
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// What generated code tells the runtime about its service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceInfo {
    /// SigV4 signing name (`elasticache`).
    pub signing_name: &'static str,
    /// Suffix of the service's endpoint variable (`ELASTICACHE` in `AWS_ENDPOINT_URL_ELASTICACHE`).
    pub env_name: &'static str,
    /// Key of the service in a shared config file's `[services …]` section (`elasticache`).
    pub config_key: &'static str,
    /// Name and version of the generated crate, for the `user-agent` header.
    pub crate_name: &'static str,
    /// See `crate_name`.
    pub crate_version: &'static str,
}

/// Where requests go: the endpoint the rules resolved (or the override), and the
/// headers the endpoint asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `https://host[:port][/path]`.
    pub url: String,
    /// Extra headers every request to this endpoint carries.
    pub headers: Vec<(String, String)>,
}

impl Target {
    /// The target of an endpoint the rules resolved: its URL, and each value of
    /// each of its headers.
    pub fn from_endpoint(endpoint: querygen_runtime::endpoint::Endpoint) -> Self {
        let headers = endpoint
            .headers
            .iter()
            .flat_map(|(name, values)| values.iter().map(move |v| (name.clone(), v.clone())))
            .collect();
        Self {
            url: endpoint.url,
            headers,
        }
    }
}

/// An operation's generated request builder: input and endpoint URL → unsigned request.
pub type BuildRequest<I> = fn(&I, &str) -> Result<HttpRequest, RequestError>;

/// An operation's generated response parser: response → output or the operation's error.
pub type ParseResponse<O, E> = fn(&HttpResponse) -> Result<QueryResponse<O>, E>;

/// One operation, described for [`Handle::invoke`] by its generated sans-IO functions.
pub struct Operation<I, O, E> {
    /// The operation's name, for errors.
    pub name: &'static str,
    /// Builds the unsigned request for an endpoint URL.
    pub build_request: BuildRequest<I>,
    /// Reads the response into the output or the operation's error.
    pub parse_response: ParseResponse<O, E>,
}

/// An operation's request builder with its input bound: endpoint URL → unsigned request.
type BuildErased<'a> = &'a (dyn Fn(&str) -> Result<HttpRequest, RequestError> + Sync);

/// An operation's response parser that keeps what it read and says what kind it was.
type ParseErased<'a> = &'a mut (dyn FnMut(&HttpResponse) -> Answer + Send);

/// What the retry loop learns from the parser about one answer.
enum Answer {
    /// The output (kept by the parser).
    Output,
    /// The operation's error (kept by the parser), whether it may be retried, and
    /// whether its code is one a request signed at the wrong time can get.
    Error(Option<RetryReason>, bool),
}

/// How a call ended; an output or service error is in the parser's keeping.
enum Ended {
    Output,
    Service {
        status: u16,
        request_id: Option<String>,
        attempts: u32,
    },
    Construction(ConstructionError),
    Dispatch(DispatchFailure),
}

/// How one attempt ended: the call's end, or a failure the loop may retry.
enum Tried {
    Finished(Ended),
    Failed {
        reason: Option<RetryReason>,
        failure: Ended,
    },
}

/// A call's settings, the client's with the call's overrides over them, and
/// what the call's hooks and events share.
struct CallPlan<'a> {
    operation: &'static str,
    max_attempts: u32,
    read_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    interceptors: Interceptors<'a>,
    started: Instant,
    /// Attempts made so far (read when the operation timeout ends the call).
    attempts: AtomicU32,
    span: tracing::Span,
}

/// What every attempt of a call uses, prepared once.
struct Prepared<'a> {
    target: &'a Target,
    /// `None` for unsigned requests.
    cache: Option<&'a CredentialsCache>,
    signer: &'a Signer,
    transport: &'a dyn Transport,
    invocation_id: &'a str,
}

/// A service's endpoint for a configuration, from its rules (generated per service).
/// An `Err` is reported by every call, as nothing can be sent.
pub type ResolveTarget = fn(&Config) -> Result<Target, String>;

/// What a generated `Client` holds: the configuration, with everything that can be
/// prepared once (endpoint, signer, transport) prepared.
pub struct Handle {
    service: &'static ServiceInfo,
    config: Config,
    resolve_target: ResolveTarget,
    /// Endpoint and signer: made at once when the region is known, else on the
    /// first call that finds it (a call that finds none gets an error, and the
    /// next call asks again).
    regional: OnceLock<Arc<Regional>>,
    region_lookup: tokio::sync::Mutex<()>,
    /// `None` for unsigned requests.
    credentials: Result<Option<CredentialsCache>, String>,
    transport: Result<Arc<dyn Transport>, String>,
    quota: RetryQuota,
    /// How far the service's clock is from ours, learnt from responses.
    clock_skew: ClockSkew,
    /// The adaptive retry mode's rate limiter (`None` in the other modes).
    rate_limiter: Option<RateLimiter>,
    user_agent: http::HeaderValue,
}

/// What depends on the region.
#[derive(Debug)]
struct Regional {
    target: Result<Target, String>,
    signer: Result<Signer, String>,
}

impl Regional {
    fn new(service: &ServiceInfo, config: &Config, resolve_target: ResolveTarget) -> Self {
        let signer = match &config.region {
            Some(region) => Ok(Signer::new(region.clone(), service.signing_name)),
            None => Err("no region to sign requests for: set it in the config, in AWS_REGION, or in the shared config file (on EC2 the instance metadata service is asked too)".to_owned()),
        };
        Self {
            target: resolve_target(config),
            signer,
        }
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("service", &self.service.signing_name)
            .field("config", &self.config)
            .field("regional", &self.regional.get())
            .finish_non_exhaustive()
    }
}

impl Handle {
    /// Prepares `config` for `service`; `resolve_target` gives the endpoint once
    /// the region is known.
    pub fn new(
        service: &'static ServiceInfo,
        config: Config,
        resolve_target: ResolveTarget,
    ) -> Self {
        let credentials = match &config.credentials {
            Some(provider) => Ok(Some(CredentialsCache::new(
                provider.clone(),
                Arc::clone(&config.clock),
                config.cache_settings,
            ))),
            None if config.anonymous => Ok(None),
            None => Err("no credentials: set them in the config, in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or in the shared credentials file".to_owned()),
        };
        let regional = OnceLock::new();
        if config.region.is_some() || config.region_provider.is_none() {
            let _ = regional.set(Arc::new(Regional::new(service, &config, resolve_target)));
        }
        let transport = match &config.transport {
            Some(transport) => Ok(transport.clone()),
            None => default_transport(&config),
        };
        let user_agent = format!(
            "querygen/{} {}/{} lang/rust os/{}",
            env!("CARGO_PKG_VERSION"),
            service.crate_name,
            service.crate_version,
            std::env::consts::OS
        );
        Self {
            service,
            resolve_target,
            regional,
            region_lookup: tokio::sync::Mutex::new(()),
            credentials,
            transport,
            quota: RetryQuota::default(),
            clock_skew: ClockSkew::new(config.clock_skew_correction),
            rate_limiter: (config.retry.mode == RetryMode::Adaptive)
                .then(|| RateLimiter::new(config.clock.now())),
            user_agent: http::HeaderValue::from_str(&user_agent)
                .unwrap_or_else(|_| http::HeaderValue::from_static("querygen")),
            config,
        }
    }

    /// The configuration this handle was made from.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// How far ahead of the local clock the service's clock was at the last
    /// response that could tell (negative: behind), in milliseconds; requests are
    /// signed at local time plus this. 0 before any response, or when clock skew
    /// correction is off.
    pub fn clock_skew_millis(&self) -> i64 {
        self.clock_skew.current().millis()
    }

    /// The endpoint and signer, asking the region provider once if need be.
    async fn regional(&self) -> Arc<Regional> {
        if let Some(regional) = self.regional.get() {
            return Arc::clone(regional);
        }
        let _one_at_a_time = self.region_lookup.lock().await;
        if let Some(regional) = self.regional.get() {
            return Arc::clone(regional);
        }
        let mut config = self.config.clone();
        if let Some(provider) = &self.config.region_provider {
            config.region = provider.region().await;
        }
        let regional = Arc::new(Regional::new(self.service, &config, self.resolve_target));
        if config.region.is_some() {
            let _ = self.regional.set(Arc::clone(&regional));
        }
        regional
    }

    /// Sends `input` through `operation`, retrying as the configuration says.
    pub async fn invoke<I, O, E>(
        &self,
        operation: &Operation<I, O, E>,
        input: &I,
    ) -> Result<QueryResponse<O>, SdkError<E>>
    where
        I: Sync,
        O: Send + 'static,
        E: ErrorCode + Send + 'static,
    {
        self.invoke_with(operation, input, None).await
    }

    /// [`invoke`](Self::invoke) with `overrides` (attempts, timeouts,
    /// interceptors) over the configuration for this call.
    ///
    /// Only this thin shell is generic: it wraps the operation's request builder
    /// and parser in two trait objects and hands them to one non-generic loop
    /// (signing, sending, retries, timeouts, hooks, spans), compiled once in this
    /// crate rather than once per operation in every crate that calls it.
    pub async fn invoke_with<I, O, E>(
        &self,
        operation: &Operation<I, O, E>,
        input: &I,
        overrides: Option<&CallOverrides>,
    ) -> Result<QueryResponse<O>, SdkError<E>>
    where
        I: Sync,
        O: Send + 'static,
        E: ErrorCode + Send + 'static,
    {
        let plan = self.plan(operation.name, overrides);
        // The parser keeps the last answer here; the loop only learns what kind it was.
        let mut kept: Option<Result<QueryResponse<O>, E>> = None;
        let build = |url: &str| (operation.build_request)(input, url);
        let mut parse = |response: &HttpResponse| match (operation.parse_response)(response) {
            Ok(output) => {
                kept = Some(Ok(output));
                Answer::Output
            }
            Err(error) => {
                let retry = if response.status().is_success() {
                    None
                } else {
                    classify_response(response.status().as_u16(), error.code())
                };
                let clock_skew_code = clock_skew::is_clock_skew_code(error.code());
                kept = Some(Err(error));
                Answer::Error(retry, clock_skew_code)
            }
        };
        let ended = self
            .run(&plan, &build, &mut parse)
            .instrument(plan.span.clone())
            .await;
        let result = match (ended, kept) {
            (Ended::Output, Some(Ok(output))) => Ok(output),
            (
                Ended::Service {
                    status,
                    request_id,
                    attempts,
                },
                Some(Err(error)),
            ) => Err(SdkError::Service(ServiceFailure {
                error,
                status,
                request_id,
                attempts,
            })),
            (Ended::Construction(error), _) => Err(SdkError::Construction(error)),
            (Ended::Dispatch(failure), _) => Err(SdkError::Dispatch(failure)),
            // The loop reports an answer only after the parser has kept it.
            (Ended::Output | Ended::Service { .. }, _) => {
                Err(SdkError::Construction(ConstructionError::new(format!(
                    "{}: the parsed answer went missing (a bug in querygen-client)",
                    operation.name
                ))))
            }
        };
        let (outcome, typed): (CallOutcome<'_>, Option<&dyn Any>) = match &result {
            Ok(response) => (
                CallOutcome::Output {
                    request_id: response.request_id.as_deref(),
                },
                Some(&response.output),
            ),
            Err(SdkError::Service(failure)) => (
                CallOutcome::ServiceError {
                    status: failure.status,
                    code: failure.error.code(),
                    request_id: failure.request_id.as_deref(),
                },
                Some(&failure.error),
            ),
            Err(SdkError::Dispatch(failure)) => {
                (CallOutcome::DispatchFailure(&failure.error), None)
            }
            Err(SdkError::Construction(error)) => (CallOutcome::ConstructionFailure(error), None),
        };
        let attempts = match &result {
            Ok(_) => plan.attempts.load(Ordering::Relaxed),
            Err(error) => error.attempts(),
        };
        self.finish(&plan, attempts, outcome, typed);
        result
    }

    /// This call's settings: the configuration's, with `overrides` over them.
    fn plan<'a>(
        &'a self,
        operation: &'static str,
        overrides: Option<&'a CallOverrides>,
    ) -> CallPlan<'a> {
        let config = &self.config;
        CallPlan {
            operation,
            max_attempts: overrides
                .and_then(|o| o.max_attempts)
                .unwrap_or(config.retry.max_attempts)
                .max(1),
            read_timeout: overrides
                .and_then(|o| o.read_timeout)
                .or(config.read_timeout),
            operation_timeout: overrides
                .and_then(|o| o.operation_timeout)
                .or(config.operation_timeout),
            interceptors: Interceptors {
                client: &config.interceptors,
                call: overrides.map_or(&[], |o| &o.interceptors),
            },
            started: Instant::now(),
            attempts: AtomicU32::new(0),
            span: trace::call_span(self.service.signing_name, operation),
        }
    }

    /// The call's last event and its interceptors' last hook.
    fn finish(
        &self,
        plan: &CallPlan<'_>,
        attempts: u32,
        outcome: CallOutcome<'_>,
        typed: Option<&dyn Any>,
    ) {
        let ended = CallEnded {
            service: self.service.signing_name,
            operation: plan.operation,
            attempts,
            elapsed: plan.started.elapsed(),
            outcome,
            typed,
        };
        trace::call_ended(&plan.span, &ended);
        for interceptor in plan.interceptors.iter() {
            interceptor.read_after_call(&ended);
        }
    }

    /// The whole call, under the operation timeout.
    async fn run(
        &self,
        plan: &CallPlan<'_>,
        build: BuildErased<'_>,
        parse: ParseErased<'_>,
    ) -> Ended {
        let calls = self.attempt_all(plan, build, parse);
        match plan.operation_timeout {
            None => calls.await,
            Some(limit) => match tokio::time::timeout(limit, calls).await {
                Ok(ended) => ended,
                Err(_) => Ended::Dispatch(DispatchFailure {
                    error: TransportError::new(
                        TransportErrorKind::Timeout,
                        format!(
                            "{} did not complete within the operation timeout of {limit:?}",
                            plan.operation
                        ),
                    ),
                    attempts: plan.attempts.load(Ordering::Relaxed),
                }),
            },
        }
    }

    async fn attempt_all(
        &self,
        plan: &CallPlan<'_>,
        build: BuildErased<'_>,
        parse: ParseErased<'_>,
    ) -> Ended {
        let construction = |message: &str| {
            Ended::Construction(ConstructionError::new(format!(
                "{}: {message}",
                plan.operation
            )))
        };
        let regional = self.regional().await;
        let target = match regional.target.as_ref() {
            Ok(target) => target,
            Err(m) => return construction(m),
        };
        let cache = match self.credentials.as_ref() {
            Ok(cache) => cache.as_ref(),
            Err(m) => return construction(m),
        };
        let signer = match regional.signer.as_ref() {
            Ok(signer) => signer,
            Err(m) => return construction(m),
        };
        let transport = match self.transport.as_ref() {
            Ok(transport) => transport,
            Err(m) => return construction(m),
        };
        let invocation_id = invocation_id();
        trace::record_invocation_id(&plan.span, &invocation_id);
        let prepared = Prepared {
            target,
            cache,
            signer,
            transport: &**transport,
            invocation_id: &invocation_id,
        };
        let mut last_retry_cost = 0;
        let mut attempt = 0;
        loop {
            attempt += 1;
            plan.attempts.store(attempt, Ordering::Relaxed);
            let span = trace::attempt_span(attempt, plan.max_attempts);
            let tried = self
                .attempt(plan, &prepared, attempt, build, &mut *parse)
                .instrument(span.clone())
                .await;
            let (reason, failure) = match tried {
                Tried::Finished(Ended::Output) => {
                    self.quota.release(last_retry_cost);
                    return Ended::Output;
                }
                Tried::Finished(ended) => return ended,
                Tried::Failed { reason, failure } => (reason, failure),
            };
            let Some(reason) = reason else {
                return failure;
            };
            if attempt >= plan.max_attempts {
                trace::not_retrying(&span, reason, NoRetry::OutOfAttempts, attempt);
                return failure;
            }
            let Some(cost) = self.quota.acquire(reason) else {
                trace::not_retrying(&span, reason, NoRetry::QuotaExhausted, attempt);
                return failure;
            };
            last_retry_cost = cost;
            let delay = backoff(&self.config.retry, attempt, random_unit());
            trace::retrying(&span, reason, delay);
            self.config.sleep.sleep(delay).await;
        }
    }

    /// One attempt: build, hooks, sign, send, read.
    async fn attempt(
        &self,
        plan: &CallPlan<'_>,
        prepared: &Prepared<'_>,
        attempt: u32,
        build: BuildErased<'_>,
        parse: ParseErased<'_>,
    ) -> Tried {
        let construction = |message: &str| {
            Tried::Finished(Ended::Construction(ConstructionError::new(format!(
                "{}: {message}",
                plan.operation
            ))))
        };
        let started = Instant::now();
        let info = AttemptInfo {
            service: self.service.signing_name,
            operation: plan.operation,
            attempt,
            max_attempts: plan.max_attempts,
        };
        let mut request = match build(&prepared.target.url) {
            Ok(request) => request,
            Err(e) => return construction(&e.to_string()),
        };
        if let Err(m) = self.add_headers(
            &mut request,
            prepared.target,
            prepared.invocation_id,
            attempt,
            plan.max_attempts,
        ) {
            return construction(&m);
        }
        for interceptor in plan.interceptors.iter() {
            let mut context = BeforeSigning {
                info,
                request: &mut request,
            };
            if let Err(e) = interceptor.modify_before_signing(&mut context) {
                return construction(&format!(
                    "an interceptor refused the request before signing: {e}"
                ));
            }
        }
        let credentials = match prepared.cache {
            Some(cache) => match cache.credentials().await {
                Ok(credentials) => Some(credentials),
                Err(e) => return construction(&format!("no credentials: {e}")),
            },
            None => None,
        };
        self.wait_for_rate_limiter().await;
        let sent_at = self.config.clock.now();
        let signed_with = self.clock_skew.current();
        if let Some(credentials) = credentials {
            if let Err(m) =
                prepared
                    .signer
                    .sign(&mut request, &credentials, signed_with.apply(sent_at))
            {
                return construction(&m);
            }
        }
        for interceptor in plan.interceptors.iter() {
            interceptor.read_after_signing(&AfterSigning {
                info,
                request: &request,
            });
        }
        let sent = prepared.transport.send(request);
        let outcome = match plan.read_timeout {
            None => sent.await,
            Some(limit) => tokio::time::timeout(limit, sent).await.unwrap_or_else(|_| {
                Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("no complete response within the read timeout of {limit:?}"),
                ))
            }),
        };
        let received_at = self.config.clock.now();
        let tried = match outcome {
            Ok(response) => {
                for interceptor in plan.interceptors.iter() {
                    interceptor.read_before_parsing(&BeforeParsing {
                        info,
                        response: &response,
                        attempt_elapsed: started.elapsed(),
                    });
                }
                match parse(&response) {
                    Answer::Output => {
                        self.clock_skew
                            .observe(sent_at, received_at, response.headers());
                        trace::attempt_answered(&response, None, None, started.elapsed());
                        Tried::Finished(Ended::Output)
                    }
                    Answer::Error(reason, clock_skew_code) => {
                        let observed =
                            self.clock_skew
                                .observe(sent_at, received_at, response.headers());
                        let reason = reason.or_else(|| {
                            (clock_skew_code
                                && clock_skew::retry_with_corrected_time(signed_with, observed))
                            .then_some(RetryReason::ClockSkew)
                        });
                        let request_id = request_id(&response);
                        trace::attempt_answered(
                            &response,
                            request_id.as_deref(),
                            reason,
                            started.elapsed(),
                        );
                        Tried::Failed {
                            reason,
                            failure: Ended::Service {
                                status: response.status().as_u16(),
                                request_id,
                                attempts: attempt,
                            },
                        }
                    }
                }
            }
            Err(error) => {
                let reason = match error.kind() {
                    TransportErrorKind::Connect | TransportErrorKind::Io => {
                        Some(RetryReason::Transient)
                    }
                    TransportErrorKind::Timeout => Some(RetryReason::Timeout),
                    TransportErrorKind::Response => None,
                };
                trace::attempt_failed(&error, reason, started.elapsed());
                Tried::Failed {
                    reason,
                    failure: Ended::Dispatch(DispatchFailure {
                        error,
                        attempts: attempt,
                    }),
                }
            }
        };
        if let Some(limiter) = &self.rate_limiter {
            match &tried {
                Tried::Finished(Ended::Output) => limiter.record(received_at, false),
                Tried::Failed { reason, .. } => {
                    limiter.record(received_at, *reason == Some(RetryReason::Throttling))
                }
                Tried::Finished(_) => {}
            }
        }
        tried
    }

    /// In adaptive mode, takes a token for the next attempt, waiting if the
    /// service's throttling has slowed the client down.
    async fn wait_for_rate_limiter(&self) {
        let wait = self
            .rate_limiter
            .as_ref()
            .and_then(|limiter| limiter.acquire(self.config.clock.now()));
        if let Some(wait) = wait {
            self.config.sleep.sleep(wait).await;
        }
    }

    fn add_headers(
        &self,
        request: &mut http::Request<Vec<u8>>,
        target: &Target,
        invocation_id: &str,
        attempt: u32,
        max_attempts: u32,
    ) -> Result<(), String> {
        let headers = request.headers_mut();
        headers.insert(http::header::USER_AGENT, self.user_agent.clone());
        let value = |v: &str| {
            http::HeaderValue::from_str(v).map_err(|_| format!("header value {v:?} is not valid"))
        };
        headers.insert("amz-sdk-invocation-id", value(invocation_id)?);
        headers.insert(
            "amz-sdk-request",
            value(&format!("attempt={attempt}; max={max_attempts}"))?,
        );
        for (name, v) in &target.headers {
            let name = http::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("endpoint header name {name:?} is not valid"))?;
            headers.append(name, value(v)?);
        }
        Ok(())
    }
}

/// The request id of an answer: the `x-amzn-requestid` header, else the error body's `RequestId`.
fn request_id(response: &HttpResponse) -> Option<String> {
    let header = response
        .headers()
        .get("x-amzn-requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    header.or_else(|| ErrorEnvelope::parse(response.body()).ok()?.request_id)
}

/// A random UUID (version 4) that ties the attempts of one call together.
fn invocation_id() -> String {
    let high = retry::random_u64();
    let low = retry::random_u64();
    let bytes =
        ((u128::from(high) << 64) | u128::from(low)) & !(0xf000u128 << 64) | (0x4000u128 << 64);
    let bytes = bytes & !(0xc000u128 << 48) | (0x8000u128 << 48);
    let hex = format!("{bytes:032x}");
    let part = |from: usize, to: usize| hex.get(from..to).unwrap_or("");
    format!(
        "{}-{}-{}-{}-{}",
        part(0, 8),
        part(8, 12),
        part(12, 16),
        part(16, 20),
        part(20, 32)
    )
}

#[cfg(feature = "rustls")]
fn default_transport(config: &Config) -> Result<Arc<dyn Transport>, String> {
    Ok(Arc::new(HyperTransport::new(config.transport_settings())))
}

#[cfg(not(feature = "rustls"))]
fn default_transport(_config: &Config) -> Result<Arc<dyn Transport>, String> {
    Err(
        "no transport: enable the `rustls` feature or set one with `ConfigBuilder::transport`"
            .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invocation_ids_are_version_4_uuids() {
        let a = invocation_id();
        let b = invocation_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        let groups: Vec<&str> = a.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('4'), "{a}");
        assert!("89ab".contains(&groups[3][..1]), "{a}");
    }
}
