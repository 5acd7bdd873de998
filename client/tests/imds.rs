//! The IMDSv2 client and providers against a fake IMDS on 127.0.0.1. Nothing
//! here talks to a real link-local address: endpoint resolution is checked
//! without sending anything.

mod support;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use querygen_client::config::Env;
use querygen_client::credentials::{
    CredentialsErrorKind, ImdsClient, ImdsCredentialsProvider, ImdsEndpointMode, ImdsErrorKind,
    ImdsRegionProvider, ManualClock, ProvideCredentials, ProviderConfig,
};
use querygen_client::RetryConfig;
use support::{serve, Events, Loopback, Recorded, Reply, Scratch};

const TOKEN_PREFIX: &str = "imds-session-token-DO-NOT-PRINT-";
const ACCESS_KEY_ID: &str = "ASIAIMDSEXAMPLE";
const SECRET: &str = "imdsSecretKey/DO+NOT+PRINT";
const SESSION_TOKEN: &str = "imdsSessionToken//DO-NOT-PRINT==";
const ROLE: &str = "web-role";
const ROLE_LIST: &str = "/latest/meta-data/iam/security-credentials/";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/web-role";
const REGION_PATH: &str = "/latest/meta-data/placement/region";
const TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";

/// 2026-01-01T00:00:00Z
fn start() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600)
}

fn credentials_json(expiration: &str) -> String {
    format!(
        r#"{{
  "Code" : "Success",
  "LastUpdated" : "2025-12-31T23:50:00Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "{ACCESS_KEY_ID}",
  "SecretAccessKey" : "{SECRET}",
  "Token" : "{SESSION_TOKEN}",
  "Expiration" : "{expiration}"
}}"#
    )
}

/// A fake IMDS that, like a real one set to "tokens required", answers data
/// requests only with a token it issued, and issues tokens only when asked
/// for a TTL. Scripted replies go first.
#[derive(Default)]
struct Imds {
    issued: AtomicUsize,
    valid: Mutex<Vec<String>>,
    credentials: Mutex<String>,
    token_script: Mutex<VecDeque<Reply>>,
    data_script: Mutex<VecDeque<Reply>>,
}

impl Imds {
    fn new(credentials: String) -> Arc<Self> {
        let imds = Self::default();
        *imds.credentials.lock().unwrap() = credentials;
        Arc::new(imds)
    }

    fn answer(&self, request: &Recorded) -> Reply {
        match (request.method.as_str(), request.target.as_str()) {
            ("PUT", "/latest/api/token") => {
                if let Some(reply) = self.token_script.lock().unwrap().pop_front() {
                    return reply;
                }
                if request.header(TTL_HEADER) != Some("21600") {
                    return Reply::new(400, "bad ttl");
                }
                let token = format!(
                    "{TOKEN_PREFIX}{}",
                    self.issued.fetch_add(1, Ordering::SeqCst) + 1
                );
                self.valid.lock().unwrap().push(token.clone());
                Reply::ok(token).header(TTL_HEADER, "21600")
            }
            ("GET", path) => {
                if let Some(reply) = self.data_script.lock().unwrap().pop_front() {
                    return reply;
                }
                let token_ok = request
                    .header(TOKEN_HEADER)
                    .is_some_and(|t| self.valid.lock().unwrap().iter().any(|v| v == t));
                if !token_ok {
                    return Reply::new(401, "");
                }
                match path {
                    ROLE_LIST => Reply::ok(ROLE),
                    ROLE_PATH => Reply::ok(self.credentials.lock().unwrap().clone()),
                    REGION_PATH => Reply::ok("eu-west-3"),
                    _ => Reply::new(404, "not found"),
                }
            }
            _ => Reply::new(405, ""),
        }
    }

    /// Every token issued so far stops working.
    fn revoke_tokens(&self) {
        self.valid.lock().unwrap().clear();
    }
}

async fn start_imds(imds: &Arc<Imds>) -> Loopback {
    let imds = Arc::clone(imds);
    serve(move |request| imds.answer(request)).await
}

fn config(url: &str, clock: &ManualClock) -> ProviderConfig {
    ProviderConfig::new(Env::from_pairs([(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        url,
    )]))
    .with_clock(clock.clone())
}

/// Retries without the default 1 s backoff, to keep the tests quick.
fn quick_retries() -> RetryConfig {
    let mut retry = RetryConfig::default();
    retry.max_attempts = 4;
    retry.initial_backoff = Duration::from_millis(10);
    retry
}

fn quick_client(url: &str, clock: &ManualClock) -> ImdsClient {
    ImdsClient::builder()
        .config(&config(url, clock))
        .retry_config(quick_retries())
        .build()
}

fn count(server: &Loopback, method: &str, target: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method && r.target == target)
        .count()
}

fn assert_no_secrets(text: &str) {
    for secret in [TOKEN_PREFIX, SECRET, SESSION_TOKEN] {
        assert!(!text.contains(secret), "a secret leaked into: {text}");
    }
}

// ---- the token flow -------------------------------------------------------

#[tokio::test]
async fn credentials_come_from_an_imds_that_requires_the_token() {
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&server.url, &clock));
    assert_eq!(provider.name(), "Ec2InstanceMetadata");

    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), ACCESS_KEY_ID);
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(SESSION_TOKEN));
    assert_eq!(
        credentials.expiry(),
        Some(start() + Duration::from_secs(6 * 3600))
    );
    assert_eq!(credentials.source(), "instance metadata (role web-role)");

    let requests = server.requests();
    let targets: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.target.as_str()))
        .collect();
    assert_eq!(
        targets,
        [
            ("PUT", "/latest/api/token"),
            ("GET", ROLE_LIST),
            ("GET", ROLE_PATH)
        ]
    );
    assert_eq!(requests[0].header(TTL_HEADER), Some("21600"));
    assert_eq!(requests[0].header(TOKEN_HEADER), None);
    let token = format!("{TOKEN_PREFIX}1");
    for data in &requests[1..] {
        assert_eq!(data.header(TOKEN_HEADER), Some(token.as_str()));
        assert_eq!(data.header(TTL_HEADER), None);
    }
}

#[tokio::test]
async fn the_token_is_reused_until_two_minutes_before_its_ttl() {
    let imds = Imds::new(credentials_json("2026-01-02T00:00:00Z"));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&server.url, &clock));
    provider.credentials().await.unwrap();
    provider.credentials().await.unwrap();
    assert_eq!(count(&server, "PUT", "/latest/api/token"), 1);
    assert_eq!(count(&server, "GET", ROLE_PATH), 2);

    // One second before the renewal point: still the same token.
    clock.advance(Duration::from_secs(21_600 - 120 - 1));
    provider.credentials().await.unwrap();
    assert_eq!(count(&server, "PUT", "/latest/api/token"), 1);

    clock.advance(Duration::from_secs(1));
    provider.credentials().await.unwrap();
    assert_eq!(count(&server, "PUT", "/latest/api/token"), 2);
    let last = server.requests().pop().unwrap();
    assert_eq!(
        last.header(TOKEN_HEADER),
        Some(&*format!("{TOKEN_PREFIX}2"))
    );
}

#[tokio::test]
async fn odd_token_ttls_neither_panic_nor_outlive_what_was_asked() {
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    let huge = format!("{TOKEN_PREFIX}huge");
    let short = format!("{TOKEN_PREFIX}short");
    imds.valid
        .lock()
        .unwrap()
        .extend([huge.clone(), short.clone()]);
    imds.token_script.lock().unwrap().extend([
        Reply::ok(huge).header(TTL_HEADER, &u64::MAX.to_string()),
        Reply::ok(short).header(TTL_HEADER, "60"),
    ]);
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let client = ImdsClient::new(&config(&server.url, &clock));
    client.get(REGION_PATH).await.unwrap();
    // Kept as if the TTL were the 6 hours asked for.
    clock.advance(Duration::from_secs(21_600 - 120));
    client.get(REGION_PATH).await.unwrap();
    // A 60 s token serves one request only.
    client.get(REGION_PATH).await.unwrap();
    assert_eq!(count(&server, "PUT", "/latest/api/token"), 3);
}

#[tokio::test]
async fn a_401_on_a_data_call_renews_the_token_and_the_call_succeeds() {
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&server.url, &clock));
    provider.credentials().await.unwrap();
    imds.revoke_tokens();

    let credentials = provider.credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), ACCESS_KEY_ID);
    assert_eq!(count(&server, "PUT", "/latest/api/token"), 2);
    let role_lists: Vec<Option<String>> = server
        .requests()
        .iter()
        .filter(|r| r.target == ROLE_LIST)
        .map(|r| r.header(TOKEN_HEADER).map(str::to_owned))
        .collect();
    let token = |n: u32| Some(format!("{TOKEN_PREFIX}{n}"));
    assert_eq!(role_lists, [token(1), token(1), token(2)]);
}

#[tokio::test]
async fn a_500_is_retried_on_the_token_and_the_data_calls() {
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    imds.token_script
        .lock()
        .unwrap()
        .push_back(Reply::new(503, ""));
    imds.data_script
        .lock()
        .unwrap()
        .push_back(Reply::new(500, ""));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::with_client(quick_client(&server.url, &clock));
    let credentials = provider.credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), ACCESS_KEY_ID);
    assert_eq!(count(&server, "PUT", "/latest/api/token"), 2);
    assert_eq!(count(&server, "GET", ROLE_LIST), 2);
}

#[tokio::test]
async fn a_lasting_500_gives_up_after_four_attempts() {
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let client = quick_client(&server.url, &clock);
    client.get(REGION_PATH).await.unwrap();
    imds.data_script
        .lock()
        .unwrap()
        .extend((0..10).map(|_| Reply::new(500, "")));
    let e = client.get(REGION_PATH).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.status()),
        (ImdsErrorKind::ErrorResponse, Some(500))
    );
    assert!(e.to_string().contains(REGION_PATH), "{e}");
    assert_eq!(count(&server, "GET", REGION_PATH), 1 + 4);
}

#[tokio::test]
async fn a_data_call_that_times_out_is_retried() {
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    imds.data_script.lock().unwrap().push_back(Reply::hang());
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let client = ImdsClient::builder()
        .config(&config(&server.url, &clock))
        .retry_config(quick_retries())
        .connect_timeout(Duration::from_millis(100))
        .read_timeout(Duration::from_millis(400))
        .build();
    assert_eq!(client.get(REGION_PATH).await.unwrap(), "eu-west-3");
    assert_eq!(count(&server, "GET", REGION_PATH), 2);
}

// ---- what the token endpoint may answer -----------------------------------

#[tokio::test]
async fn a_403_on_the_token_is_an_error_with_no_imdsv1_fallback() {
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    imds.token_script
        .lock()
        .unwrap()
        .push_back(Reply::new(403, ""));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&server.url, &clock));
    let e = provider.credentials().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
    assert!(
        e.to_string().contains(
            "request forbidden: IMDS is disabled or the caller has insufficient permissions"
        ),
        "{e}"
    );
    // Neither retried nor followed by a tokenless GET.
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["PUT"]);
}

#[tokio::test]
async fn a_token_without_its_ttl_header_lasts_the_ttl_asked_for() {
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    let token = format!("{TOKEN_PREFIX}x");
    imds.valid.lock().unwrap().push(token.clone());
    imds.token_script
        .lock()
        .unwrap()
        .push_back(Reply::ok(token));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let client = ImdsClient::new(&config(&server.url, &clock));
    client.get(REGION_PATH).await.unwrap();
    client.get(REGION_PATH).await.unwrap();
    let puts = || {
        server
            .requests()
            .iter()
            .filter(|r| r.method == "PUT")
            .count()
    };
    assert_eq!(puts(), 1, "the token is kept");
    // Six hours asked for: renewed two minutes before they run out.
    clock.advance(Duration::from_secs(21_600 - 120));
    client.get(REGION_PATH).await.unwrap();
    assert_eq!(puts(), 2);
}

// ---- what the credentials endpoint may answer -----------------------------

async fn credentials_error(body: &str) -> querygen_client::credentials::CredentialsError {
    let imds = Imds::new(body.to_owned());
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&server.url, &clock));
    provider.credentials().await.unwrap_err()
}

#[tokio::test]
async fn malformed_credentials_are_errors_naming_the_problem_but_no_value() {
    let full = credentials_json("2026-01-01T06:00:00Z");
    let truncated = &full[..full.find("\"Expiration\"").unwrap()];
    let e = credentials_error(truncated).await;
    assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
    assert!(e.to_string().contains("not valid JSON"), "{e}");
    assert_no_secrets(&e.to_string());

    let e = credentials_error(&credentials_json("yesterday at noon")).await;
    assert!(e.to_string().contains("`Expiration`"), "{e}");
    assert!(!e.to_string().contains("yesterday"), "{e}");
    assert_no_secrets(&e.to_string());

    let no_token = full.replace("\"Token\"", "\"Tolkien\"");
    let e = credentials_error(&no_token).await;
    assert!(e.to_string().contains("has no `Token`"), "{e}");
    assert_no_secrets(&e.to_string());

    // A missing `Code` counts as success (aws-config's reading).
    let imds = Imds::new(full.replace("\"Code\" : \"Success\",", ""));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&server.url, &clock));
    assert_eq!(
        provider.credentials().await.unwrap().access_key_id(),
        ACCESS_KEY_ID
    );
    assert_no_secrets(&e.to_string());

    let e = credentials_error("[\"not\", \"an object\"]").await;
    assert!(e.to_string().contains("not an object"), "{e}");
}

#[tokio::test]
async fn a_code_other_than_success_is_an_error() {
    let body =
        r#"{"Code":"InternalError","Message":"try later","LastUpdated":"2026-01-01T00:00:00Z"}"#;
    let e = credentials_error(body).await;
    assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
    assert!(e.to_string().contains("`InternalError`: try later"), "{e}");

    let body = r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"EC2 cannot assume the role"}"#;
    let e = credentials_error(body).await;
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(e.to_string().contains("trust policy"), "{e}");
}

// ---- falling through --------------------------------------------------------

#[tokio::test]
async fn a_404_on_the_role_list_is_not_loaded() {
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    imds.data_script
        .lock()
        .unwrap()
        .push_back(Reply::new(404, ""));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&server.url, &clock));
    let e = provider.credentials().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded, "{e}");
    assert!(e.to_string().contains("no IAM role"), "{e}");
    assert_eq!(count(&server, "GET", ROLE_LIST), 1);
}

#[tokio::test]
async fn disabled_is_not_loaded_and_sends_nothing() {
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    let server = start_imds(&imds).await;
    let config = ProviderConfig::new(Env::from_pairs([
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "True"),
    ]));
    let client = ImdsClient::new(&config);
    assert!(client.is_disabled());
    let provider = ImdsCredentialsProvider::with_client(client.clone());
    let e = provider.credentials().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
    assert!(e.to_string().contains("AWS_EC2_METADATA_DISABLED"), "{e}");
    let e = client.get(REGION_PATH).await.unwrap_err();
    assert_eq!(e.kind(), ImdsErrorKind::Disabled);
    assert_eq!(ImdsRegionProvider::with_client(client).region().await, None);
    assert!(server.requests().is_empty());

    // Only `true` disables.
    let config = ProviderConfig::new(Env::from_pairs([("AWS_EC2_METADATA_DISABLED", "1")]));
    assert!(!ImdsClient::new(&config).is_disabled());
}

/// A URL on 127.0.0.1 where nothing listens.
async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

#[tokio::test]
async fn unreachable_imds_is_not_loaded_within_two_seconds() {
    let url = closed_port_url().await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&url, &clock));
    let started = Instant::now();
    let e = provider.credentials().await.unwrap_err();
    let elapsed = started.elapsed();
    eprintln!("unreachable IMDS: NotLoaded after {elapsed:?}");
    assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded, "{e}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert_eq!(
        ImdsRegionProvider::new(&config(&url, &clock))
            .region()
            .await,
        None
    );
}

/// A listener on 127.0.0.1 whose accept queue is full, so that a new
/// connection is never completed: what a host off EC2 sees of 169.254.169.254
/// when packets to it are dropped.
#[tokio::test]
async fn a_connect_timeout_is_not_loaded_after_about_a_second() {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let address = socket.local_addr().unwrap();
    let _listener = socket.listen(1).unwrap();
    let mut queued = Vec::new();
    loop {
        let connect = tokio::net::TcpStream::connect(address);
        match tokio::time::timeout(Duration::from_millis(200), connect).await {
            Ok(Ok(stream)) if queued.len() < 8 => queued.push(stream),
            Ok(_) => {
                eprintln!("skipped: this system completes connections beyond the backlog");
                return;
            }
            Err(_) => break, // the queue is full
        }
    }
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&format!("http://{address}"), &clock));
    let started = Instant::now();
    let e = provider.credentials().await.unwrap_err();
    let elapsed = started.elapsed();
    eprintln!("connect timeout: {:?} after {elapsed:?}: {e}", e.kind());
    assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded, "{e}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_not_loaded() {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let closer = tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buffer = [0u8; 1024];
            let _ = stream.read(&mut buffer).await;
        }
    });
    let clock = ManualClock::new(start());
    let e = ImdsCredentialsProvider::new(&config(&url, &clock))
        .credentials()
        .await
        .unwrap_err();
    closer.abort();
    assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded, "{e}");
}

#[tokio::test]
async fn a_hanging_imds_is_given_up_within_three_seconds() {
    let server = serve(|_| Reply::hang()).await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&server.url, &clock));
    let started = Instant::now();
    let e = provider.credentials().await.unwrap_err();
    let elapsed = started.elapsed();
    eprintln!("hanging IMDS: {:?} after {elapsed:?}", e.kind());
    assert_eq!(e.kind(), CredentialsErrorKind::TimedOut, "{e}");
    assert!(e.to_string().contains("hop limit"), "{e}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    // A timed-out token request is not retried.
    assert_eq!(server.requests().len(), 1);
}

// ---- endpoint resolution (nothing is sent) ----------------------------------

fn endpoint_of(vars: &[(&str, &str)], profile: Option<&str>) -> Result<String, String> {
    endpoint_with(vars, profile, |b| b)
}

fn endpoint_with(
    vars: &[(&str, &str)],
    profile: Option<&str>,
    builder: impl FnOnce(
        querygen_client::credentials::ImdsClientBuilder,
    ) -> querygen_client::credentials::ImdsClientBuilder,
) -> Result<String, String> {
    let mut pairs: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let scratch = Scratch::new("imds");
    if let Some(text) = profile {
        let path = scratch.write("config", text);
        pairs.push(("AWS_CONFIG_FILE".to_owned(), path.display().to_string()));
    }
    let config = ProviderConfig::new(Env::from_pairs(pairs));
    builder(ImdsClient::builder().config(&config))
        .build()
        .endpoint()
        .map_err(|e| {
            assert_eq!(e.kind(), ImdsErrorKind::InvalidConfiguration);
            e.to_string()
        })
}

const ENDPOINT: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
const MODE: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";

#[test]
fn the_default_endpoint_is_the_ipv4_address() {
    assert_eq!(endpoint_of(&[], None).unwrap(), "http://169.254.169.254");
    assert_eq!(
        endpoint_of(&[], Some("[default]\nregion = eu-west-1\n")).unwrap(),
        "http://169.254.169.254"
    );
}

#[test]
fn an_endpoint_in_the_environment_beats_the_profile() {
    let profile = "[default]\nec2_metadata_service_endpoint = http://from-profile:1\n";
    assert_eq!(
        endpoint_of(&[(ENDPOINT, "http://from-env:2/")], Some(profile)).unwrap(),
        "http://from-env:2"
    );
    assert_eq!(
        endpoint_of(&[], Some(profile)).unwrap(),
        "http://from-profile:1"
    );
    // The selected profile counts, not `default`.
    let profiles =
        "[default]\n[profile ec2]\nec2_metadata_service_endpoint = http://ec2-profile:3\n";
    assert_eq!(
        endpoint_of(&[("AWS_PROFILE", "ec2")], Some(profiles)).unwrap(),
        "http://ec2-profile:3"
    );
}

#[test]
fn an_endpoint_in_code_beats_everything() {
    let profile = "[default]\nec2_metadata_service_endpoint = http://from-profile:1\n";
    let endpoint = endpoint_with(&[(ENDPOINT, "http://from-env:2")], Some(profile), |b| {
        b.endpoint("http://from-code:3")
            .endpoint_mode(ImdsEndpointMode::IpV6)
    });
    assert_eq!(endpoint.unwrap(), "http://from-code:3");
}

#[test]
fn any_endpoint_beats_any_mode() {
    let profile = "[default]\nec2_metadata_service_endpoint = http://from-profile:1\n\
                   ec2_metadata_service_endpoint_mode = IPv6\n";
    assert_eq!(
        endpoint_of(&[(ENDPOINT, "http://from-env:2"), (MODE, "IPv6")], None).unwrap(),
        "http://from-env:2"
    );
    assert_eq!(
        endpoint_with(&[(MODE, "IPv6")], Some(profile), |b| b
            .endpoint_mode(ImdsEndpointMode::IpV6))
        .unwrap(),
        "http://from-profile:1"
    );
}

#[test]
fn the_mode_comes_from_code_then_environment_then_profile_in_any_case() {
    assert_eq!(
        endpoint_of(&[(MODE, "ipV6")], None).unwrap(),
        "http://[fd00:ec2::254]"
    );
    let profile = "[default]\nec2_metadata_service_endpoint_mode = ipv6\n";
    assert_eq!(
        endpoint_of(&[], Some(profile)).unwrap(),
        "http://[fd00:ec2::254]"
    );
    assert_eq!(
        endpoint_of(&[(MODE, "IPV4")], Some(profile)).unwrap(),
        "http://169.254.169.254"
    );
    assert_eq!(
        endpoint_with(&[(MODE, "IPv6")], None, |b| b
            .endpoint_mode(ImdsEndpointMode::IpV4))
        .unwrap(),
        "http://169.254.169.254"
    );
}

#[test]
fn a_bad_mode_or_endpoint_names_where_it_was_set() {
    let e = endpoint_of(&[(MODE, "IPv7")], None).unwrap_err();
    assert!(e.contains(MODE) && e.contains("`IPv7`"), "{e}");
    assert!(e.contains("`IPv4` or `IPv6`"), "{e}");

    let e = endpoint_of(
        &[],
        Some("[default]\nec2_metadata_service_endpoint_mode = IPv7\n"),
    )
    .unwrap_err();
    assert!(e.contains("`ec2_metadata_service_endpoint_mode`"), "{e}");
    assert!(
        e.contains("line 2") && e.contains("`IPv4` or `IPv6`"),
        "{e}"
    );

    let e = endpoint_of(&[(ENDPOINT, "169.254.169.254")], None).unwrap_err();
    assert!(e.contains(ENDPOINT), "{e}");
    let e = endpoint_of(&[], Some("[default]\nec2_metadata_service_endpoint = ::\n")).unwrap_err();
    assert!(e.contains("`ec2_metadata_service_endpoint`"), "{e}");
}

#[tokio::test]
async fn a_bad_mode_stops_the_chain_without_sending_anything() {
    let config = ProviderConfig::new(Env::from_pairs([(MODE, "IPv7")]));
    let e = ImdsCredentialsProvider::new(&config)
        .credentials()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration, "{e}");
    assert!(e.to_string().contains(MODE), "{e}");
    assert_eq!(ImdsRegionProvider::new(&config).region().await, None);
}

// ---- static stability ---------------------------------------------------------

#[tokio::test]
async fn expired_credentials_are_used_for_ten_to_fifteen_more_minutes() {
    let (events, _guard) = Events::capture();
    let imds = Imds::new(credentials_json("2025-12-31T23:00:00Z"));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&server.url, &clock));
    let credentials = provider.credentials().await.unwrap();
    let expiry = credentials.expiry().unwrap();
    assert!(
        expiry >= start() + Duration::from_secs(600),
        "{credentials:?}"
    );
    assert!(
        expiry <= start() + Duration::from_secs(900),
        "{credentials:?}"
    );
    let warnings = events.warnings();
    assert!(
        warnings.iter().any(|w| w.contains("expired credentials")),
        "{warnings:?}"
    );
}

#[tokio::test]
async fn after_a_success_a_failed_fetch_returns_the_last_credentials() {
    let (events, _guard) = Events::capture();
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&server.url, &clock));
    let first = provider.credentials().await.unwrap();

    // IMDS refuses tokens after the credentials have expired. (Dropping the
    // server would not do: hyper keeps its pooled connection open.)
    imds.revoke_tokens();
    imds.token_script
        .lock()
        .unwrap()
        .push_back(Reply::new(403, ""));
    clock.advance(Duration::from_secs(7 * 3600));
    let now = start() + Duration::from_secs(7 * 3600);
    let again = provider.credentials().await.unwrap();
    assert_eq!(again.access_key_id(), first.access_key_id());
    assert_eq!(again.session_token(), first.session_token());
    let expiry = again.expiry().unwrap();
    assert!(expiry >= now + Duration::from_secs(600), "{again:?}");
    assert!(expiry <= now + Duration::from_secs(900), "{again:?}");
    let warnings = events.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("static stability") && w.contains("error=")),
        "{warnings:?}"
    );

    // Credentials not yet expired keep their own expiry when it is later.
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let provider = ImdsCredentialsProvider::new(&config(&server.url, &clock));
    provider.credentials().await.unwrap();
    imds.data_script
        .lock()
        .unwrap()
        .push_back(Reply::new(404, ""));
    let again = provider.credentials().await.unwrap();
    assert_eq!(
        again.expiry(),
        Some(start() + Duration::from_secs(6 * 3600))
    );
}

// ---- region ------------------------------------------------------------------

#[tokio::test]
async fn the_region_comes_from_placement() {
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let region = ImdsRegionProvider::new(&config(&server.url, &clock));
    assert_eq!(region.region().await.as_deref(), Some("eu-west-3"));
    assert_eq!(count(&server, "GET", REGION_PATH), 1);
}

#[tokio::test]
async fn a_failed_region_lookup_is_none() {
    let (events, _guard) = Events::capture();
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    imds.data_script
        .lock()
        .unwrap()
        .push_back(Reply::new(404, ""));
    imds.data_script
        .lock()
        .unwrap()
        .push_back(Reply::ok("<html>not a region</html>"));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let region = ImdsRegionProvider::new(&config(&server.url, &clock));
    assert_eq!(region.region().await, None);
    assert_eq!(region.region().await, None);
    assert_eq!(events.warnings().len(), 2, "{:?}", events.all());
}

// ---- the client used directly ---------------------------------------------------

#[tokio::test]
async fn get_returns_the_body_and_checks_the_path() {
    let imds = Imds::new(credentials_json("2026-01-01T06:00:00Z"));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let client = ImdsClient::new(&config(&format!("{}/", server.url), &clock));
    assert_eq!(client.get(REGION_PATH).await.unwrap(), "eu-west-3");
    let e = client.get("/latest/meta-data/nothing").await.unwrap_err();
    assert_eq!(
        (e.kind(), e.status()),
        (ImdsErrorKind::ErrorResponse, Some(404))
    );
    assert!(!e.is_token_request());
    let e = client.get("latest/meta-data").await.unwrap_err();
    assert_eq!(e.kind(), ImdsErrorKind::InvalidConfiguration);
    assert_eq!(server.requests().len(), 3);
}

// ---- secrecy ------------------------------------------------------------------

#[tokio::test]
async fn no_secret_reaches_debug_errors_or_log_events() {
    let (events, _guard) = Events::capture();
    let imds = Imds::new(credentials_json("2025-12-31T23:00:00Z"));
    let server = start_imds(&imds).await;
    let clock = ManualClock::new(start());
    let client = quick_client(&server.url, &clock);
    let provider = ImdsCredentialsProvider::with_client(client.clone());
    let region = ImdsRegionProvider::with_client(client.clone());
    let credentials = provider.credentials().await.unwrap();
    assert_eq!(region.region().await.as_deref(), Some("eu-west-3"));
    // With a token cached and last credentials held.
    let mut texts = vec![
        format!("{client:?}"),
        format!("{provider:?}"),
        format!("{region:?}"),
        format!("{credentials:?}"),
    ];

    // JSON cut short just after the secrets.
    let full = credentials_json("2026-01-01T06:00:00Z");
    let cut = full.find(SESSION_TOKEN).unwrap() + SESSION_TOKEN.len() + 1;
    *imds.credentials.lock().unwrap() = full[..cut].to_owned();
    let e = ImdsCredentialsProvider::with_client(client.clone())
        .credentials()
        .await
        .unwrap_err();
    texts.push(format!("{e} / {e:?}"));
    provider.credentials().await.unwrap();

    let e = client.get("/latest/meta-data/nothing").await.unwrap_err();
    texts.push(format!("{e} / {e:?}"));

    // An error status whose body holds a secret.
    imds.data_script
        .lock()
        .unwrap()
        .extend((0..4).map(|_| Reply::new(500, SECRET)));
    provider.credentials().await.unwrap();
    texts.push(format!("{provider:?}"));

    imds.revoke_tokens();
    imds.token_script
        .lock()
        .unwrap()
        .push_back(Reply::new(403, SECRET));
    let e = client.get(ROLE_LIST).await.unwrap_err();
    texts.push(format!("{e} / {e:?}"));

    let unreachable = ImdsClient::new(&config(&closed_port_url().await, &clock));
    let e = unreachable.get(ROLE_LIST).await.unwrap_err();
    texts.push(format!("{e} / {e:?}"));

    let warnings = events.warnings();
    assert!(
        warnings.iter().any(|w| w.contains("not valid JSON")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("answered 500")),
        "{warnings:?}"
    );
    texts.extend(events.all());
    for text in &texts {
        assert_no_secrets(text);
    }
}
