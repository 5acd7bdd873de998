//! The default transport on networks with a proxy and private certificate
//! authorities: a loopback HTTP proxy written here (CONNECT tunnels for https,
//! absolute-form forwarding for http), a loopback TLS server whose certificate comes
//! from a CA each test makes, and the settings that choose them (code,
//! `HTTPS_PROXY`/`NO_PROXY`, `AWS_CA_BUNDLE`, the profile's `ca_bundle`). Nothing
//! leaves 127.0.0.1.

#![cfg(feature = "rustls")]

mod support;
// The TLS helpers (only the tests built with `rustls` use them).
#[path = "support/tls.rs"]
mod tls_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use querygen_client::config::{ConfigErrorKind, Env};
use querygen_client::credentials::ProvideCredentials as _;
use querygen_client::{
    ConfigBuilder, HyperTransport, ProxyConfig, ServiceInfo, Transport, TransportErrorKind,
    TransportSettings, TrustRoots,
};
use support::{serve, Reply};
use tls_support::{read_head, temp_path, tls_server, TestCa};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

const PASSWORD: &str = "pr0xy-s3cret";

static SERVICE: ServiceInfo = ServiceInfo {
    signing_name: "elasticache",
    env_name: "ELASTICACHE",
    config_key: "elasticache",
    crate_name: "network-tests",
    crate_version: "0",
};

/// A loopback HTTP proxy: CONNECT opens a tunnel, an absolute-form request is
/// forwarded in origin form without its `Proxy-Authorization`. `refuse` makes it
/// answer every request with that response instead.
struct TestProxy {
    port: u16,
    heads: Arc<Mutex<Vec<String>>>,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestProxy {
    fn url_with_password(&self) -> String {
        format!("http://tester:{PASSWORD}@127.0.0.1:{}", self.port)
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

async fn proxy(refuse: Option<&'static str>) -> TestProxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let connections = Arc::new(AtomicUsize::new(0));
    let (recorded, counted) = (Arc::clone(&heads), Arc::clone(&connections));
    let task = tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let recorded = Arc::clone(&recorded);
            tokio::spawn(async move {
                let (head, rest) = read_head(&mut client).await;
                recorded.lock().unwrap().push(head.clone());
                if let Some(answer) = refuse {
                    let _ = client.write_all(answer.as_bytes()).await;
                    return;
                }
                let mut lines = head.split("\r\n");
                let request_line = lines.next().unwrap().to_owned();
                let mut words = request_line.split(' ');
                let (method, target) = (words.next().unwrap(), words.next().unwrap());
                if method == "CONNECT" {
                    let mut upstream = TcpStream::connect(on_loopback(target)).await.unwrap();
                    client
                        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                        .await
                        .unwrap();
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                    return;
                }
                let without_scheme = target.strip_prefix("http://").expect("absolute form");
                let (authority, path) = without_scheme
                    .split_once('/')
                    .map(|(a, p)| (a, format!("/{p}")))
                    .unwrap_or((without_scheme, "/".to_owned()));
                let mut upstream = TcpStream::connect(on_loopback(authority)).await.unwrap();
                let mut forwarded = format!("{method} {path} HTTP/1.1\r\n");
                for line in lines.filter(|l| !l.is_empty()) {
                    if !line
                        .to_ascii_lowercase()
                        .starts_with("proxy-authorization:")
                    {
                        forwarded.push_str(line);
                        forwarded.push_str("\r\n");
                    }
                }
                forwarded.push_str("\r\n");
                upstream.write_all(forwarded.as_bytes()).await.unwrap();
                upstream.write_all(&rest).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    TestProxy {
        port,
        heads,
        connections,
        task,
    }
}

/// Where the test proxy connects for `host:port`: every host is on 127.0.0.1 (so
/// names that only the proxy "resolves" show a request went through it).
fn on_loopback(authority: &str) -> String {
    let port = authority.rsplit_once(':').map_or("80", |(_, port)| port);
    format!("127.0.0.1:{port}")
}

fn transport(proxy: ProxyConfig, roots: TrustRoots) -> HyperTransport {
    let mut settings = TransportSettings::default();
    settings.proxy = proxy;
    settings.trust_roots = roots;
    HyperTransport::new(settings)
}

fn get(url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url).body(Vec::new()).unwrap()
}

fn basic_header() -> String {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("tester:{PASSWORD}"));
    format!("proxy-authorization: Basic {encoded}")
}

fn header_lines(head: &str) -> Vec<String> {
    head.split("\r\n").map(str::to_ascii_lowercase).collect()
}

// ---- trust roots -------------------------------------------------------------------

#[tokio::test]
async fn a_private_ca_is_trusted_with_its_bundle_and_refused_without_it() {
    let ca = TestCa::new("querygen test CA");
    let server = tls_server(&ca).await;
    let url = format!("https://localhost:{}/hello", server.port);

    let trusting = transport(
        ProxyConfig::none(),
        TrustRoots::from_pem(ca.pem().as_bytes()).unwrap(),
    );
    let response = trusting.send(get(&url)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(&response.body()[..], b"secure");

    // Mozilla's roots (the default) do not include the test's CA.
    let default = HyperTransport::new(TransportSettings::default());
    let error = default.send(get(&url)).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Connect, "{error}");
    assert!(error.to_string().contains("UnknownIssuer"), "{error}");

    // Nor does another CA's bundle.
    let other = TestCa::new("some other CA");
    let wrong = transport(
        ProxyConfig::none(),
        TrustRoots::from_pem(other.pem().as_bytes()).unwrap(),
    );
    let error = wrong.send(get(&url)).await.unwrap_err();
    assert!(error.to_string().contains("UnknownIssuer"), "{error}");
    // A bundle of several certificates trusts each of them.
    let both = format!("{}{}", other.pem(), ca.pem());
    let several = transport(
        ProxyConfig::none(),
        TrustRoots::from_pem(both.as_bytes()).unwrap(),
    );
    assert_eq!(several.send(get(&url)).await.unwrap().status(), 200);
    assert_eq!(server.heads.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn aws_ca_bundle_and_the_profiles_ca_bundle_choose_the_roots() {
    let ca = TestCa::new("bundle CA");
    let server = tls_server(&ca).await;
    let url = format!("https://127.0.0.1:{}/", server.port);
    let bundle = ca.write_pem("bundle.pem");
    let config_file = temp_path("config");
    std::fs::write(
        &config_file,
        format!("[default]\nca_bundle = {}\n", bundle.display()),
    )
    .unwrap();
    let url = url.as_str();
    let send = |env: Env| async move {
        let config = ConfigBuilder::from_given_env(&env, &SERVICE)
            .unwrap()
            .build();
        HyperTransport::new(config.transport_settings())
            .send(get(url))
            .await
    };
    let no_files = [
        ("AWS_CONFIG_FILE", "/nonexistent/querygen/config"),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/querygen/credentials",
        ),
    ];
    // From the variable.
    let mut vars = no_files.to_vec();
    let bundle_text = bundle.display().to_string();
    vars.push(("AWS_CA_BUNDLE", bundle_text.as_str()));
    assert_eq!(send(Env::from_pairs(vars)).await.unwrap().status(), 200);
    // From the profile.
    let config_text = config_file.display().to_string();
    let env = Env::from_pairs([
        ("AWS_CONFIG_FILE", config_text.as_str()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/querygen/credentials",
        ),
    ]);
    assert_eq!(send(env).await.unwrap().status(), 200);
    // Neither: Mozilla's roots, which refuse the server.
    let error = send(Env::from_pairs(no_files)).await.unwrap_err();
    assert!(error.to_string().contains("UnknownIssuer"), "{error}");
    // Code wins over the environment.
    let mut vars = no_files.to_vec();
    vars.push(("AWS_CA_BUNDLE", bundle_text.as_str()));
    let config = ConfigBuilder::from_given_env(&Env::from_pairs(vars), &SERVICE)
        .unwrap()
        .trust_roots(TrustRoots::mozilla())
        .build();
    let error = HyperTransport::new(config.transport_settings())
        .send(get(url))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("UnknownIssuer"), "{error}");
    let _ = std::fs::remove_file(bundle);
    let _ = std::fs::remove_file(config_file);
}

#[test]
fn a_missing_or_bad_bundle_is_a_config_error_naming_the_file() {
    let no_files = [
        ("AWS_CONFIG_FILE", "/nonexistent/querygen/config"),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/querygen/credentials",
        ),
    ];
    let missing = temp_path("missing.pem");
    let missing_text = missing.display().to_string();
    let mut vars = no_files.to_vec();
    vars.push(("AWS_CA_BUNDLE", missing_text.as_str()));
    let error = ConfigBuilder::from_given_env(&Env::from_pairs(vars), &SERVICE).unwrap_err();
    assert_eq!(error.kind(), ConfigErrorKind::Io);
    assert_eq!(error.variable(), Some("AWS_CA_BUNDLE"));
    assert_eq!(error.path(), Some(missing.as_path()));
    assert!(error.to_string().contains(&missing_text), "{error}");

    let mut vars = no_files.to_vec();
    vars.push(("AWS_CA_BUNDLE", " "));
    let error = ConfigBuilder::from_given_env(&Env::from_pairs(vars), &SERVICE).unwrap_err();
    assert_eq!(error.kind(), ConfigErrorKind::InvalidValue);
    assert!(
        error.to_string().contains("AWS_CA_BUNDLE is set but empty"),
        "{error}"
    );

    // A profile's bundle that holds no certificate: the key, the bundle and the line.
    let not_pem = temp_path("not-a-bundle.pem");
    std::fs::write(&not_pem, "hello\n").unwrap();
    let config_file = temp_path("config-bad-bundle");
    std::fs::write(
        &config_file,
        format!(
            "[default]\nregion = us-east-1\nca_bundle = {}\n",
            not_pem.display()
        ),
    )
    .unwrap();
    let config_text = config_file.display().to_string();
    let env = Env::from_pairs([
        ("AWS_CONFIG_FILE", config_text.as_str()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/querygen/credentials",
        ),
    ]);
    let error = ConfigBuilder::from_given_env(&env, &SERVICE).unwrap_err();
    assert_eq!(error.kind(), ConfigErrorKind::InvalidValue);
    assert_eq!(error.key(), Some("ca_bundle"));
    assert_eq!(error.path(), Some(not_pem.as_path()));
    let text = error.to_string();
    assert!(text.contains("holds no PEM certificate"), "{text}");
    assert!(
        text.contains(&format!("{} line 3", config_file.display())),
        "{text}"
    );
    let _ = std::fs::remove_file(not_pem);
    let _ = std::fs::remove_file(config_file);
}

// ---- proxies -----------------------------------------------------------------------

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_with_the_proxy_credentials() {
    let ca = TestCa::new("tunnel CA");
    let server = tls_server(&ca).await;
    let proxy = proxy(None).await;
    let proxies = ProxyConfig::none()
        .with_https_proxy(&proxy.url_with_password())
        .unwrap();
    let transport = transport(proxies, TrustRoots::from_pem(ca.pem().as_bytes()).unwrap());
    let url = format!("https://localhost:{}/through", server.port);
    let response = transport.send(get(&url)).await.unwrap();
    assert_eq!(&response.body()[..], b"secure");
    let heads = proxy.heads();
    assert_eq!(heads.len(), 1, "{heads:?}");
    let lines = header_lines(&heads[0]);
    assert_eq!(
        lines[0],
        format!("connect localhost:{} http/1.1", server.port)
    );
    assert!(
        lines.contains(&basic_header().to_ascii_lowercase()),
        "{lines:?}"
    );
    // Inside the tunnel: an ordinary origin-form request, no proxy credentials.
    let inner = server.heads.lock().unwrap().clone();
    assert!(
        inner[0].starts_with("GET /through HTTP/1.1\r\n"),
        "{inner:?}"
    );
    assert!(!inner[0]
        .to_ascii_lowercase()
        .contains("proxy-authorization"));
}

#[tokio::test]
async fn http_goes_to_the_proxy_in_absolute_form_with_the_credentials() {
    let server = serve(|request| Reply::ok(format!("saw {}", request.target))).await;
    let proxy = proxy(None).await;
    let proxies = ProxyConfig::none()
        .with_http_proxy(&proxy.url_with_password())
        .unwrap();
    let transport = transport(proxies, TrustRoots::mozilla());
    let url = format!("{}/plain?x=1", server.url);
    let response = transport.send(get(&url)).await.unwrap();
    assert_eq!(&response.body()[..], b"saw /plain?x=1");
    let heads = proxy.heads();
    let lines = header_lines(&heads[0]);
    assert_eq!(lines[0], format!("get {url} http/1.1"));
    assert!(
        lines.contains(&basic_header().to_ascii_lowercase()),
        "{lines:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly() {
    let server = serve(|_| Reply::ok("direct")).await;
    let proxy = proxy(None).await;
    let env = Env::from_pairs([
        ("AWS_CONFIG_FILE", "/nonexistent/querygen/config"),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/querygen/credentials",
        ),
        ("HTTP_PROXY", proxy.url_with_password().as_str()),
        ("NO_PROXY", "example.com, 127.0.0.1"),
    ]);
    let config = ConfigBuilder::from_given_env(&env, &SERVICE)
        .unwrap()
        .build();
    let transport = HyperTransport::new(config.transport_settings());
    let response = transport
        .send(get(&format!("{}/x", server.url)))
        .await
        .unwrap();
    assert_eq!(&response.body()[..], b"direct");
    assert_eq!(proxy.connections.load(Ordering::SeqCst), 0);
    // `localhost` is not in the list: it goes through the proxy.
    let url = format!("http://localhost:{}/y", server.port());
    assert_eq!(transport.send(get(&url)).await.unwrap().status(), 200);
    assert_eq!(proxy.connections.load(Ordering::SeqCst), 1);
    // And `no_proxy()` in code overrides the environment's proxy.
    let config = ConfigBuilder::from_given_env(&env, &SERVICE)
        .unwrap()
        .no_proxy()
        .build();
    let transport = HyperTransport::new(config.transport_settings());
    let url = format!("http://localhost:{}/z", server.port());
    assert_eq!(transport.send(get(&url)).await.unwrap().status(), 200);
    assert_eq!(proxy.connections.load(Ordering::SeqCst), 1);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn proxy_credentials_appear_in_no_debug_display_or_error() {
    let refusing = proxy(Some(
        "HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm=\"t\"\r\ncontent-length: 0\r\n\r\n",
    ))
    .await;
    let url = refusing.url_with_password();
    let env = Env::from_pairs([
        ("AWS_CONFIG_FILE", "/nonexistent/querygen/config"),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/querygen/credentials",
        ),
        ("HTTPS_PROXY", url.as_str()),
        ("HTTP_PROXY", url.as_str()),
    ]);
    let builder = ConfigBuilder::from_given_env(&env, &SERVICE).unwrap();
    let config = builder.clone().build();
    let transport = HyperTransport::new(config.transport_settings());
    let mut shown = vec![
        format!("{builder:?}"),
        format!("{config:?}"),
        format!("{transport:?}"),
        format!("{:?}", config.transport_settings()),
    ];
    // Refused tunnel: the error names the proxy, not its password.
    let error = transport
        .send(get("https://localhost:1/"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Connect);
    let text = error.to_string();
    assert!(text.contains("407"), "{text}");
    assert!(
        text.contains(&format!("http://***@127.0.0.1:{}", refusing.port)),
        "{text}"
    );
    shown.push(text);
    shown.push(format!("{error:?}"));
    // An http request answered 407 is a response, with the request's headers unseen.
    let response = transport.send(get("http://localhost:1/")).await.unwrap();
    assert_eq!(response.status(), 407);
    shown.push(format!("{response:?}"));
    // A proxy that is not there.
    let port = refusing.port;
    drop(refusing);
    let gone = transport
        .send(get("https://localhost:1/"))
        .await
        .unwrap_err();
    assert!(
        gone.to_string().contains(&format!(
            "cannot connect to the proxy http://***@127.0.0.1:{port}"
        )),
        "{gone}"
    );
    shown.push(gone.to_string());
    shown.push(format!("{gone:?}"));
    // A bad URL from the environment.
    let bad = Env::from_pairs([("HTTPS_PROXY", format!("http://u:{PASSWORD}@host:port"))]);
    let error = ConfigBuilder::from_given_env(&bad, &SERVICE).unwrap_err();
    assert_eq!(error.variable(), Some("HTTPS_PROXY"));
    shown.push(error.to_string());
    shown.push(format!("{error:?}"));
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("tester:{PASSWORD}"));
    for text in &shown {
        assert!(!text.contains(PASSWORD), "{text}");
        assert!(!text.contains(&encoded), "{text}");
    }
}

// ---- the credential providers ------------------------------------------------------

const ASSUMED: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAVIAPROXY</AccessKeyId>
      <SecretAccessKey>assumed-secret</SecretAccessKey>
      <SessionToken>assumed-session-token</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r-ok</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#;

#[tokio::test]
async fn the_providers_reach_sts_through_the_clients_proxy() {
    let sts = serve(|_| Reply::ok(ASSUMED)).await;
    let proxy = proxy(None).await;
    // A host name only the proxy resolves (to the loopback STS): reaching it at all
    // shows the request went through the proxy.
    let sts_url = format!("http://sts.through-the-proxy.test:{}", sts.port());
    let config_file = temp_path("provider-proxy-config");
    std::fs::write(
        &config_file,
        "[profile ops]\nrole_arn = arn:aws:iam::210987654321:role/ops\nsource_profile = base\nregion = eu-central-1\n\
         [profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    )
    .unwrap();
    let config_path = config_file.display().to_string();
    let proxy_url = proxy.url_with_password();
    let env = Env::from_pairs([
        ("AWS_CONFIG_FILE", config_path.as_str()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/querygen/credentials",
        ),
        ("AWS_PROFILE", "ops"),
        ("AWS_ENDPOINT_URL_STS", sts_url.as_str()),
        ("HTTP_PROXY", proxy_url.as_str()),
    ]);
    let config = ConfigBuilder::from_given_env(&env, &SERVICE)
        .unwrap()
        .build();
    let provider = config.credentials_provider().expect("the default chain");
    let credentials = provider.provide_credentials().await.unwrap();
    std::fs::remove_file(&config_file).unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAVIAPROXY");
    let heads = proxy.heads();
    assert_eq!(heads.len(), 1, "{heads:?}");
    let lines = header_lines(&heads[0]);
    assert_eq!(lines[0], format!("post {}/ http/1.1", sts_url));
    assert!(lines.contains(&basic_header().to_ascii_lowercase()));
    assert_eq!(sts.requests().len(), 1);
}

#[tokio::test]
async fn metadata_endpoints_are_never_proxied() {
    // The providers' proxies send a public host through the proxy but reach
    // loopback (and link-local metadata addresses) directly, even with `NO_PROXY`
    // empty: no proxy can reach an instance's own metadata service.
    let server = serve(|_| Reply::ok("direct")).await;
    let proxy = proxy(None).await;
    let proxies = ProxyConfig::none()
        .with_http_proxy(&proxy.url_with_password())
        .unwrap();
    let providers = querygen_client::credentials::ProviderConfig::new(Env::from_pairs([(
        "AWS_CONFIG_FILE",
        "/nonexistent/querygen/config",
    )]))
    .with_proxy(proxies);
    let transport = providers
        .transport(std::time::Duration::from_secs(1))
        .unwrap();
    let response = transport
        .send(get(&format!("{}/latest/api/token", server.url)))
        .await
        .unwrap();
    assert_eq!(&response.body()[..], b"direct");
    assert_eq!(proxy.connections.load(Ordering::SeqCst), 0);
    let url = format!("http://public.example.test:{}/x", server.port());
    assert_eq!(transport.send(get(&url)).await.unwrap().status(), 200);
    assert_eq!(proxy.connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn proxies_given_to_the_providers_in_code_win_over_the_environment() {
    let sts = serve(|_| Reply::ok(ASSUMED)).await;
    let proxy = proxy(None).await;
    let config_file = temp_path("provider-no-proxy-config");
    std::fs::write(
        &config_file,
        "[profile ops]\nrole_arn = arn:aws:iam::210987654321:role/ops\nsource_profile = base\nregion = eu-central-1\n\
         [profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    )
    .unwrap();
    let config_path = config_file.display().to_string();
    let proxy_url = proxy.url_with_password();
    // As in `the_providers_reach_sts_through_the_clients_proxy`, the STS host is a
    // name only the environment's proxy resolves; code says "no proxy", so the
    // request goes direct, cannot resolve it, and the proxy never sees it.
    let sts_url = format!("http://sts.through-the-proxy.test:{}", sts.port());
    let env = Env::from_pairs([
        ("AWS_CONFIG_FILE", config_path.as_str()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/querygen/credentials",
        ),
        ("AWS_PROFILE", "ops"),
        ("AWS_ENDPOINT_URL_STS", sts_url.as_str()),
        ("HTTP_PROXY", proxy_url.as_str()),
    ]);
    let providers =
        querygen_client::credentials::ProviderConfig::new(env).with_proxy(ProxyConfig::none());
    let config = ConfigBuilder::from_provider_config(providers, &SERVICE)
        .unwrap()
        .build();
    let credentials = config
        .credentials_provider()
        .expect("the default chain")
        .provide_credentials()
        .await;
    std::fs::remove_file(&config_file).unwrap();
    assert!(credentials.is_err(), "{credentials:?}");
    assert_eq!(proxy.connections.load(Ordering::SeqCst), 0);
    assert_eq!(sts.requests().len(), 0);
}
