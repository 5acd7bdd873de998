//! Models of our own with constructs that public AWS models use and that once
//! failed to generate (found by running the generator over all 402 models of
//! aws/api-models-aws). The corpus is `tests/quirk-models/`.

use std::path::Path;

fn generate(file: &str) -> querygen::Output {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("quirk-models")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let options = querygen::Options {
        service: "ex#S".into(),
        crate_name: "quirk".into(),
        crate_version: "0.0.0".into(),
        runtime: querygen::RuntimeSource::Path(".".into()),
        client: true,
        deny_warnings: false,
        partitions: None,
    };
    querygen::generate(&text, &format!("quirk-models/{file}"), &options)
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn file<'o>(output: &'o querygen::Output, path: &str) -> &'o str {
    &output
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

#[test]
fn an_operation_a_resource_lists_twice_is_one_operation() {
    // MediaTailor's ChannelResource names CreateChannel as `put` and under `operations`.
    let output = generate("resource-lists-an-operation-twice.json");
    let operations = file(&output, "src/operation.rs");
    assert_eq!(
        operations.matches("pub mod create_channel;").count(),
        1,
        "{operations}"
    );
}

#[test]
fn a_blob_with_an_empty_default_is_the_empty_blob() {
    let output = generate("blob-with-an-empty-default.json");
    let get = file(&output, "src/operation/get.rs");
    assert!(get.contains("pub body: Vec<u8>,"), "{get}");
}

#[test]
fn another_protocol_gets_a_notice_and_no_empty_features() {
    let output = generate("not-aws-query.json");
    assert_eq!(output.notices.len(), 1, "{:?}", output.notices);
    assert!(
        output.notices[0].contains("speaks aws.protocols#awsJson1_0, not aws.protocols#awsQuery"),
        "{}",
        output.notices[0]
    );
    let manifest = file(&output, "Cargo.toml");
    assert!(!manifest.contains("server ="), "{manifest}");
    assert!(!manifest.contains("client ="), "{manifest}");
    // An awsQuery service gets neither a notice nor fewer features.
    let query = generate("blob-with-an-empty-default.json");
    assert!(query.notices.is_empty());
    assert!(file(&query, "Cargo.toml").contains("server = [\"querygen-runtime/server\"]"));
}

#[test]
fn every_corpus_file_has_a_test() {
    let mut files: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("quirk-models"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "blob-with-an-empty-default.json",
            "not-aws-query.json",
            "resource-lists-an-operation-twice.json"
        ]
    );
}
