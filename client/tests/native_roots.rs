//! `TrustRoots::native()` (feature `native-roots`): the system's store, which
//! `SSL_CERT_FILE` replaces (as with OpenSSL). This binary holds one test, so that
//! setting the variable cannot affect another test.
#![cfg(feature = "native-roots")]

mod support;

use querygen_client::{HyperTransport, Transport, TransportSettings, TrustRoots};
use support::tls::{tls_server, TestCa};

#[tokio::test]
async fn the_system_store_is_read_and_trusted() {
    let ca = TestCa::new("system CA");
    let server = tls_server(&ca).await;
    let bundle = ca.write_pem("system-store.pem");
    // The only test in this process: nothing else reads the environment meanwhile.
    std::env::set_var("SSL_CERT_FILE", &bundle);
    std::env::remove_var("SSL_CERT_DIR");
    let roots = TrustRoots::native().unwrap();
    assert!(
        format!("{roots:?}").contains("1 certificates from the system's store"),
        "{roots:?}"
    );
    let mut settings = TransportSettings::default();
    settings.trust_roots = roots;
    let request = http::Request::get(format!("https://localhost:{}/", server.port))
        .body(Vec::new())
        .unwrap();
    let response = HyperTransport::new(settings).send(request).await.unwrap();
    assert_eq!(&response.body()[..], b"secure");
    // A store with nothing in it is an error, not an empty trust list.
    let empty = support::tls::temp_path("empty-store.pem");
    std::fs::write(&empty, "").unwrap();
    std::env::set_var("SSL_CERT_FILE", &empty);
    let error = TrustRoots::native().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no trusted certificate found in the system's store"),
        "{error}"
    );
    let _ = std::fs::remove_file(bundle);
    let _ = std::fs::remove_file(empty);
}
