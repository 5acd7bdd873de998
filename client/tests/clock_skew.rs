//! Clock skew correction through the whole call loop: a loopback service whose
//! clock is an hour ahead of ours, and the AWS SDKs' shared clock skew cases
//! (`clock-skew-test-cases.json` of the `aws-runtime` crate, read from
//! `$AWS_SDK_TEST_DATA_DIR`). Time is a `ManualClock`, so nothing depends on the
//! machine's clock or speed.

mod ping;
mod support;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use querygen_client::credentials::{Clock, ManualClock};
use querygen_client::{
    BoxFuture, HttpRequest, HttpResponse, RetryConfig, SdkError, Transport, TransportError,
};
use querygen_runtime::DateTime;
use support::{serve, Reply};

/// 2026-01-01T00:00:00Z.
fn new_year() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_767_225_600)
}

/// `20260101T000000Z` → the instant.
fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        text.get(0..4)?,
        text.get(4..6)?,
        text.get(6..8)?,
        text.get(9..11)?,
        text.get(11..13)?,
        text.get(13..15)?
    );
    SystemTime::try_from(DateTime::parse_rfc3339(&rfc3339)?).ok()
}

fn amz_date(time: SystemTime) -> String {
    let text = DateTime::from(time).to_string();
    let text = text.split('.').next().unwrap().trim_end_matches('Z');
    format!("{}Z", text.replace(['-', ':'], ""))
}

/// A service whose clock is an hour ahead of `clock`: every answer carries its
/// `Date`, and a request signed more than 5 minutes away from its time gets
/// `RequestTimeTooSkewed`, as AWS services answer.
async fn service_an_hour_ahead(clock: &ManualClock) -> support::Loopback {
    service_ahead_by(clock, 3600).await
}

/// [`service_an_hour_ahead`], `seconds` ahead (behind if negative).
async fn service_ahead_by(clock: &ManualClock, seconds: i64) -> support::Loopback {
    let clock = clock.clone();
    serve(move |request| {
        let offset = Duration::from_secs(seconds.unsigned_abs());
        let service_now = if seconds >= 0 {
            clock.now() + offset
        } else {
            clock.now() - offset
        };
        let date = DateTime::from(service_now).to_http_date();
        let signed_at = request.header("x-amz-date").and_then(parse_amz_date);
        let off = signed_at.map(|signed| {
            signed
                .duration_since(service_now)
                .unwrap_or_else(|e| e.duration())
        });
        match off {
            Some(off) if off <= Duration::from_secs(300) => Reply::ok(
                "<PingResponse><ResponseMetadata><RequestId>ok</RequestId></ResponseMetadata></PingResponse>",
            )
            .header("date", &date),
            _ => Reply::new(403, ping::error_body("RequestTimeTooSkewed")).header("date", &date),
        }
    })
    .await
}

#[tokio::test]
async fn a_clock_an_hour_behind_is_corrected_after_one_retry_and_stays_corrected() {
    let clock = ManualClock::new(new_year());
    let server = service_an_hour_ahead(&clock).await;
    let handle = ping::handle(
        ping::config(&server.url)
            .clock(clock.clone())
            .sleep(clock.clone())
            .build(),
    );
    assert_eq!(handle.clock_skew_millis(), 0);

    ping::ping(&handle).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "one refused attempt, one retry");
    assert_eq!(
        requests[0].header("x-amz-date"),
        Some(amz_date(new_year()).as_str())
    );
    assert_eq!(
        requests[1].header("amz-sdk-request"),
        Some("attempt=2; max=3")
    );
    let retried_at = parse_amz_date(requests[1].header("x-amz-date").unwrap()).unwrap();
    let ahead = retried_at.duration_since(clock.now()).unwrap();
    assert!(
        (Duration::from_secs(3599)..=Duration::from_secs(3601)).contains(&ahead),
        "the retry was signed {ahead:?} ahead of the local clock"
    );
    // Sent and received at the same local instant (the backoff moved the clock by
    // a fraction of a second); the Date has whole seconds, so up to 1 s is lost.
    let skew = handle.clock_skew_millis();
    assert!((3_599_001..=3_600_000).contains(&skew), "{skew}");

    // Later calls, also as time goes by, succeed at the first attempt.
    for _ in 0..3 {
        clock.advance(Duration::from_secs(600));
        ping::ping(&handle).await.unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    for request in &requests[2..] {
        assert_eq!(request.header("amz-sdk-request"), Some("attempt=1; max=3"));
    }
}

#[tokio::test]
async fn a_clock_two_hours_fast_signs_earlier() {
    let clock = ManualClock::new(new_year());
    let server = service_ahead_by(&clock, -7200).await;
    let handle = ping::handle(
        ping::config(&server.url)
            .clock(clock.clone())
            .sleep(clock.clone())
            .build(),
    );
    ping::ping(&handle).await.unwrap();
    ping::ping(&handle).await.unwrap();
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        3,
        "one refused attempt, one retry, one call"
    );
    let skew = handle.clock_skew_millis();
    // The Date has whole seconds: up to 1 s lost, here towards more skew.
    assert!((-7_200_999..=-7_200_000).contains(&skew), "{skew}");
    let signed = parse_amz_date(requests[2].header("x-amz-date").unwrap()).unwrap();
    let behind = clock.now().duration_since(signed).unwrap();
    assert!(
        (Duration::from_secs(7199)..=Duration::from_secs(7201)).contains(&behind),
        "{behind:?}"
    );
}

#[tokio::test]
async fn with_correction_off_the_skewed_request_fails_at_once() {
    let clock = ManualClock::new(new_year());
    let server = service_an_hour_ahead(&clock).await;
    let handle = ping::handle(
        ping::config(&server.url)
            .clock(clock.clone())
            .sleep(clock.clone())
            .clock_skew_correction(false)
            .build(),
    );
    for _ in 0..2 {
        let error = ping::ping(&handle).await.unwrap_err();
        let SdkError::Service(failure) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(failure.error.code.as_deref(), Some("RequestTimeTooSkewed"));
        assert_eq!(failure.attempts, 1, "not retried");
    }
    assert_eq!(handle.clock_skew_millis(), 0);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_skew_error_already_signed_with_the_corrected_time_is_not_retried_again() {
    // A service an hour ahead that refuses every signature (as with a wrong
    // secret key): the first answer corrects the clock and earns one retry; the
    // retry, signed with the corrected time, is refused for another reason.
    let clock = ManualClock::new(new_year());
    let service_clock = clock.clone();
    let server = serve(move |_| {
        let date = DateTime::from(service_clock.now() + Duration::from_secs(3600)).to_http_date();
        Reply::new(403, ping::error_body("SignatureDoesNotMatch")).header("date", &date)
    })
    .await;
    let handle = ping::handle(
        ping::config(&server.url)
            .clock(clock.clone())
            .sleep(clock.clone())
            .max_attempts(5)
            .build(),
    );
    let error = ping::ping(&handle).await.unwrap_err();
    assert_eq!(error.attempts(), 2);
    assert_eq!(server.requests().len(), 2);
}

// ---- The AWS SDKs' shared cases ----

/// The cases file, from the `aws-runtime` crate in the cargo registry.
fn shared_cases() -> serde_json::Value {
    let dir = std::env::var("AWS_SDK_TEST_DATA_DIR").unwrap_or_else(|_| {
        panic!("AWS_SDK_TEST_DATA_DIR is not set: export AWS_SDK_TEST_DATA_DIR=$(cargo xtask sdk-test-data) (see the README)")
    });
    let path = std::path::Path::new(&dir).join("clock-skew-test-cases.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn time(value: &serde_json::Value, what: &str) -> SystemTime {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not a string"));
    SystemTime::try_from(
        DateTime::parse_rfc3339(text).unwrap_or_else(|| panic!("{what}: {text:?} is no time")),
    )
    .unwrap()
}

/// One scripted attempt: what to check and answer, and when it comes back.
#[derive(Debug)]
struct Attempt {
    expected_signing_time: SystemTime,
    received_at: SystemTime,
    status: u16,
    headers: Vec<(String, String)>,
    error_code: Option<String>,
}

/// Answers each attempt as the case says, after moving the client's clock to the
/// case's receive time; notes each signing time that differs from the case's.
#[derive(Debug, Clone)]
struct CaseTransport {
    clock: ManualClock,
    attempts: Arc<Mutex<VecDeque<Attempt>>>,
    mismatches: Arc<Mutex<Vec<String>>>,
}

impl Transport for CaseTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let attempt = self.attempts.lock().unwrap().pop_front();
        let Some(attempt) = attempt else {
            self.mismatches
                .lock()
                .unwrap()
                .push("an attempt more than the case has".to_owned());
            return Box::pin(async {
                Err(TransportError::new(
                    querygen_client::TransportErrorKind::Response,
                    "no more scripted attempts",
                ))
            });
        };
        let signed = request
            .headers()
            .get("x-amz-date")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("(none)")
            .to_owned();
        let expected = amz_date(attempt.expected_signing_time);
        if signed != expected {
            self.mismatches
                .lock()
                .unwrap()
                .push(format!("signed at {signed}, expected {expected}"));
        }
        self.clock.set(attempt.received_at);
        let mut response = http::Response::builder().status(attempt.status);
        for (name, value) in &attempt.headers {
            response = response.header(name, value);
        }
        let body = match &attempt.error_code {
            Some(code) => ping::error_body(code),
            None => String::new(),
        };
        let response = response.body(body.into_bytes().into()).unwrap();
        Box::pin(async move { Ok(response) })
    }
}

/// Runs one case; the reasons it fails, if any.
async fn run_case(case: &serde_json::Value) -> Vec<String> {
    let operations = case["operations"].as_array().expect("operations");
    let max_attempts = operations
        .iter()
        .filter_map(|op| op["maxAttempts"].as_u64())
        .next()
        .unwrap_or(3);
    assert!(
        operations
            .iter()
            .all(|op| op["maxAttempts"].as_u64().unwrap_or(3) == max_attempts),
        "the harness gives all operations of a case the same maxAttempts"
    );
    let first_send = time(
        &operations[0]["attempts"][0]["clientTimeAtSend"],
        "clientTimeAtSend",
    );
    let clock = ManualClock::new(first_send);
    let transport = CaseTransport {
        clock: clock.clone(),
        attempts: Arc::default(),
        mismatches: Arc::default(),
    };
    let mut retry = RetryConfig::default();
    retry.max_attempts = u32::try_from(max_attempts).unwrap();
    // No backoff: the case's next send time is its previous receive time.
    retry.initial_backoff = Duration::ZERO;
    let handle = ping::handle(
        ping::config("https://elasticache.us-east-1.amazonaws.com")
            .clock(clock.clone())
            .sleep(clock.clone())
            .retry_config(retry)
            .transport(transport.clone())
            .build(),
    );
    let mut failures = Vec::new();
    for (index, op) in operations.iter().enumerate() {
        let attempts = op["attempts"].as_array().expect("attempts");
        let send = time(&attempts[0]["clientTimeAtSend"], "clientTimeAtSend");
        let initial_ms = op["initialClientSkew"].as_i64().unwrap_or(0) * 1000;
        if index == 0 && initial_ms != 0 {
            // The case starts from a skew learnt earlier: learn it from one answer
            // whose Date is that far ahead, sent and received at the same instant.
            clock.set(send);
            let date = DateTime::from(send + Duration::from_millis(initial_ms.unsigned_abs()));
            transport.attempts.lock().unwrap().push_back(Attempt {
                expected_signing_time: send,
                received_at: send,
                status: 200,
                headers: vec![("date".to_owned(), date.to_http_date())],
                error_code: None,
            });
            assert!(initial_ms > 0, "the harness primes positive skews only");
            ping::ping(&handle).await.unwrap();
        }
        if handle.clock_skew_millis() != initial_ms {
            failures.push(format!(
                "operation {index}: starts with skew {} ms, expected {initial_ms}",
                handle.clock_skew_millis()
            ));
        }
        let mut previous_receive = None;
        for attempt in attempts {
            let send = time(&attempt["clientTimeAtSend"], "clientTimeAtSend");
            if let Some(received) = previous_receive {
                assert_eq!(
                    send, received,
                    "the harness assumes a retry is sent when the previous answer came"
                );
            }
            let received_at = time(&attempt["clientTimeAtReceive"], "clientTimeAtReceive");
            previous_receive = Some(received_at);
            let response = &attempt["response"];
            let headers = response["headers"]
                .as_object()
                .map(|h| {
                    h.iter()
                        .map(|(n, v)| (n.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            transport.attempts.lock().unwrap().push_back(Attempt {
                expected_signing_time: time(&attempt["expectedSigningTime"], "expectedSigningTime"),
                received_at,
                status: u16::try_from(response["statusCode"].as_u64().unwrap()).unwrap(),
                headers,
                error_code: response["errorCode"].as_str().map(str::to_owned),
            });
        }
        clock.set(send);
        let outcome = ping::ping(&handle).await;
        let expected = op["expectedOutcome"].as_str().unwrap_or("?");
        let got = if outcome.is_ok() { "success" } else { "error" };
        if got != expected {
            failures.push(format!(
                "operation {index}: {got} ({outcome:?}), expected {expected}"
            ));
        }
        let left = transport.attempts.lock().unwrap().len();
        if left != 0 {
            failures.push(format!(
                "operation {index}: {left} scripted attempt(s) never made"
            ));
            transport.attempts.lock().unwrap().clear();
        }
        failures.extend(
            transport
                .mismatches
                .lock()
                .unwrap()
                .drain(..)
                .map(|m| format!("operation {index}: {m}")),
        );
        let expected_ms = op["expectedClientSkew"].as_i64().unwrap() * 1000;
        if handle.clock_skew_millis() != expected_ms {
            failures.push(format!(
                "operation {index}: ends with skew {} ms, expected {expected_ms}",
                handle.clock_skew_millis()
            ));
        }
    }
    failures
}

#[tokio::test]
async fn the_aws_sdks_clock_skew_cases_pass() {
    let cases = shared_cases();
    let tests = cases["tests"].as_array().expect("a `tests` array");
    assert!(tests.len() >= 10, "only {} cases", tests.len());
    let mut failed = Vec::new();
    for case in tests {
        let description = case["description"].as_str().unwrap_or("(no description)");
        let failures = run_case(case).await;
        if !failures.is_empty() {
            failed.push(format!("{description}:\n  {}", failures.join("\n  ")));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        tests.len(),
        failed.join("\n")
    );
}
