//! SigV4 signatures checked against an independent signer: botocore's
//! `SigV4Auth`, run by `tests/sigv4_reference.py` (`.ci/run` installs botocore
//! with moto). The test fails, not skips, when python3 or botocore is missing.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use querygen_client::Credentials;
use querygen_client::Signer;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// The headers botocore adds when it signs `request` at `timestamp`.
fn botocore_signs(
    request: &http::Request<Vec<u8>>,
    credentials: &Credentials,
    region: &str,
    timestamp: &str,
) -> serde_json::Value {
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .filter(|(name, _)| {
            !matches!(
                name.as_str(),
                "authorization" | "x-amz-date" | "x-amz-security-token"
            )
        })
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
        .collect();
    let spec = serde_json::json!({
        "method": request.method().as_str(),
        "url": request.uri().to_string(),
        "headers": headers,
        "body": std::str::from_utf8(request.body()).unwrap(),
        "access_key": credentials.access_key_id(),
        "secret_key": credentials.secret_access_key(),
        "token": credentials.session_token(),
        "region": region,
        "service": "elasticache",
        "timestamp": timestamp,
    });
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/sigv4_reference.py");
    let mut child = Command::new(&python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {python} (needed for the botocore reference): {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(spec.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "botocore reference failed (is botocore installed? `.ci/run` installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn start_migration_request() -> http::Request<Vec<u8>> {
    let input = workspace_tests::start_migration_input().unwrap();
    elasticache::operation::start_migration::build_request(
        &input,
        "https://elasticache.us-east-1.amazonaws.com",
    )
    .unwrap()
}

/// 2015-08-30T12:36:00Z, the AWS SigV4 test suite's instant.
fn instant() -> (SystemTime, &'static str) {
    (
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160),
        "20150830T123600Z",
    )
}

#[test]
fn start_migration_signature_matches_botocore() {
    let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
    let (time, stamp) = instant();
    let mut request = start_migration_request();
    let reference = botocore_signs(&request, &credentials, "us-east-1", stamp);
    Signer::new("us-east-1", "elasticache")
        .sign(
            &mut request,
            &std::sync::Arc::new(credentials.clone()),
            time,
        )
        .unwrap();
    assert_eq!(request.headers()["x-amz-date"], stamp);
    assert_eq!(
        request.headers()["authorization"].to_str().unwrap(),
        reference["Authorization"].as_str().unwrap()
    );
}

#[test]
fn session_token_signature_matches_botocore() {
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        SECRET,
        Some("token/with+special=chars".into()),
    );
    let (time, stamp) = instant();
    let mut request = start_migration_request();
    let reference = botocore_signs(&request, &credentials, "eu-west-3", stamp);
    Signer::new("eu-west-3", "elasticache")
        .sign(
            &mut request,
            &std::sync::Arc::new(credentials.clone()),
            time,
        )
        .unwrap();
    assert_eq!(
        request.headers()["x-amz-security-token"].to_str().unwrap(),
        reference["X-Amz-Security-Token"].as_str().unwrap()
    );
    assert_eq!(
        request.headers()["authorization"].to_str().unwrap(),
        reference["Authorization"].as_str().unwrap()
    );
}

#[test]
fn signatures_of_odd_bodies_and_endpoints_match_botocore() {
    let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
    let (time, stamp) = instant();
    for (endpoint, body) in [
        (
            "http://127.0.0.1:5000",
            "Action=DescribeReplicationGroups&Version=2015-02-02",
        ),
        (
            "https://example.com:8443/custom/path",
            "Action=X&Version=1&Name=%20%E2%9C%93%2B",
        ),
        ("https://elasticache.us-east-1.amazonaws.com", ""),
    ] {
        let mut request =
            querygen_runtime::http::query_request(endpoint, None, body.to_owned()).unwrap();
        let reference = botocore_signs(&request, &credentials, "us-east-1", stamp);
        Signer::new("us-east-1", "elasticache")
            .sign(
                &mut request,
                &std::sync::Arc::new(credentials.clone()),
                time,
            )
            .unwrap();
        assert_eq!(
            request.headers()["authorization"].to_str().unwrap(),
            reference["Authorization"].as_str().unwrap(),
            "{endpoint} {body:?}"
        );
    }
}
