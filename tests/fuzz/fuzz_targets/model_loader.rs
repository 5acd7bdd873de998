//! Any text as a Smithy JSON AST model, through the whole generator: generated
//! files or a `querygen::Error`, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The snapshot models' services; the seed corpus holds those models.
    for service in [
        "example.shapes#ShapeService",
        "example.naming#NamingService",
        "example.endpoints#EndpointService",
    ] {
        let options = querygen::Options {
            service: service.into(),
            crate_name: "fuzz".into(),
            crate_version: "0.0.0".into(),
            runtime: querygen::RuntimeSource::Path(".".into()),
            client: true,
            deny_warnings: false,
            partitions: None,
        };
        let _ = querygen::generate(text, "fuzz.json", &options);
    }
});
