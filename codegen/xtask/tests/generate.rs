//! `cargo xtask generate`: run as the binary users run, on small models written
//! here, plus the runtime-dependency decision as a library function. Each error
//! case checks the exit code, that the message is one line naming what and
//! where, and that nothing was left in (or beside) `--out`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use xtask::generate::{runtime_source, RuntimeChoice};

/// A folder of its own under the system temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "querygen-generate-test-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Every entry of the folder, so a test can see nothing else was written beside `--out`.
    fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An awsQuery service with three operations; `second` adds another service beside it.
fn tiny_model(second: bool) -> String {
    let other = if second {
        r#","example.tiny#OtherService": { "type": "service", "version": "2024-01-01",
              "operations": [ { "target": "example.tiny#Ping" } ] }"#
    } else {
        ""
    };
    format!(
        r#"{{
  "smithy": "2.0",
  "shapes": {{
    "example.tiny#TinyService": {{
      "type": "service",
      "version": "2024-01-01",
      "operations": [
        {{ "target": "example.tiny#Ping" }},
        {{ "target": "example.tiny#PutThing" }},
        {{ "target": "example.tiny#GetThing" }}
      ],
      "traits": {{
        "aws.api#service": {{ "sdkId": "Tiny Thing", "endpointPrefix": "tiny" }},
        "aws.auth#sigv4": {{ "name": "tiny" }},
        "aws.protocols#awsQuery": {{}},
        "smithy.api#xmlNamespace": {{ "uri": "https://example.com/tiny/" }}
      }}
    }},
    "example.tiny#Ping": {{ "type": "operation" }},
    "example.tiny#PutThing": {{
      "type": "operation",
      "input": {{ "target": "example.tiny#PutThingInput" }},
      "errors": [ {{ "target": "example.tiny#ThingTooBig" }} ]
    }},
    "example.tiny#PutThingInput": {{
      "type": "structure",
      "members": {{
        "Name": {{ "target": "smithy.api#String", "traits": {{ "smithy.api#required": {{}} }} }},
        "Tags": {{ "target": "example.tiny#TagMap" }}
      }}
    }},
    "example.tiny#TagMap": {{
      "type": "map",
      "key": {{ "target": "smithy.api#String" }},
      "value": {{ "target": "smithy.api#String" }}
    }},
    "example.tiny#ThingTooBig": {{
      "type": "structure",
      "members": {{ "message": {{ "target": "smithy.api#String" }} }},
      "traits": {{ "smithy.api#error": "client" }}
    }},
    "example.tiny#GetThing": {{
      "type": "operation",
      "output": {{ "target": "example.tiny#GetThingOutput" }}
    }},
    "example.tiny#GetThingOutput": {{
      "type": "structure",
      "members": {{ "Size": {{ "target": "example.tiny#Size" }} }}
    }},
    "example.tiny#Size": {{ "type": "enum", "members": {{
        "SMALL": {{ "target": "smithy.api#Unit", "traits": {{ "smithy.api#enumValue": "small" }} }} }} }}
    {other}
  }}
}}"#
    )
}

fn xtask(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("generate")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run the xtask binary")
}

/// The run failed with a one-line `error:` message containing each of `words`.
fn assert_one_line_error(output: &Output, words: &[&str]) {
    assert!(!output.status.success(), "the run should fail");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected, got:\n{stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    for word in words {
        assert!(lines[0].contains(word), "`{word}` missing from: {stderr}");
    }
}

fn write_model(scratch: &Scratch, second: bool) -> PathBuf {
    let model = scratch.path("tiny.json");
    std::fs::write(&model, tiny_model(second)).unwrap();
    model
}

#[test]
fn a_missing_model_file_is_one_line_naming_the_file_and_writes_nothing() {
    let scratch = Scratch::new("missing");
    let output = xtask(
        &["--model", "no-such-model.json", "--out", "out"],
        &scratch.0,
    );
    assert_one_line_error(&output, &["no-such-model.json", "cannot read"]);
    assert!(scratch.entries().is_empty(), "{:?}", scratch.entries());
}

#[test]
fn an_unknown_service_id_is_one_line_naming_it_and_the_services_there_are() {
    let scratch = Scratch::new("unknown-service");
    write_model(&scratch, false);
    let output = xtask(
        &[
            "--model",
            "tiny.json",
            "--service",
            "example.tiny#Nope",
            "--out",
            "out",
        ],
        &scratch.0,
    );
    assert_one_line_error(
        &output,
        &["tiny.json", "example.tiny#Nope", "example.tiny#TinyService"],
    );
    assert_eq!(scratch.entries(), ["tiny.json"]);
}

#[test]
fn several_services_without_service_is_one_line_listing_them() {
    let scratch = Scratch::new("several");
    write_model(&scratch, true);
    let output = xtask(&["--model", "tiny.json", "--out", "out"], &scratch.0);
    assert_one_line_error(
        &output,
        &[
            "tiny.json",
            "2 services",
            "example.tiny#TinyService",
            "example.tiny#OtherService",
            "--service",
        ],
    );
    assert_eq!(scratch.entries(), ["tiny.json"]);

    // Naming one of them generates it.
    let output = xtask(
        &[
            "--model",
            "tiny.json",
            "--service",
            "example.tiny#OtherService",
            "--out",
            "out",
        ],
        &scratch.0,
    );
    assert!(output.status.success(), "{output:?}");
    assert!(scratch.path("out/src/operation/ping.rs").is_file());
    assert!(!scratch.path("out/src/operation/put_thing.rs").exists());
}

#[test]
fn an_unknown_operation_is_one_line_and_leaves_an_earlier_crate_untouched() {
    let scratch = Scratch::new("unknown-operation");
    write_model(&scratch, false);
    let ok = xtask(&["--model", "tiny.json", "--out", "out"], &scratch.0);
    assert!(ok.status.success(), "{ok:?}");
    let before = std::fs::read_to_string(scratch.path("out/Cargo.toml")).unwrap();

    let output = xtask(
        &[
            "--model",
            "tiny.json",
            "--out",
            "out",
            "--operations",
            "PutThing,Publish",
        ],
        &scratch.0,
    );
    assert_one_line_error(
        &output,
        &["tiny.json", "example.tiny#TinyService", "`Publish`"],
    );
    assert_eq!(
        std::fs::read_to_string(scratch.path("out/Cargo.toml")).unwrap(),
        before
    );
    // No temporary folder left beside --out.
    assert_eq!(scratch.entries(), ["out", "tiny.json"]);
}

#[test]
fn operations_limit_the_crate_to_them_and_the_shapes_they_reach() {
    let scratch = Scratch::new("operations");
    write_model(&scratch, false);
    let output = xtask(
        &[
            "--model",
            "tiny.json",
            "--out",
            "out",
            "--operations",
            "PutThing",
            "--crate-name",
            "only-put",
        ],
        &scratch.0,
    );
    assert!(output.status.success(), "{output:?}");
    let manifest = std::fs::read_to_string(scratch.path("out/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"only-put\""), "{manifest}");
    assert!(manifest.contains("\nput-thing = []"), "{manifest}");
    assert!(!manifest.contains("get-thing"), "{manifest}");
    assert!(!manifest.contains("\nping = []"), "{manifest}");
    let operations: Vec<String> = std::fs::read_dir(scratch.path("out/src/operation"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(operations, ["put_thing.rs"]);
    let types = std::fs::read_to_string(scratch.path("out/src/types.rs")).unwrap_or_default();
    // GetThing's output enum is not reached by PutThing.
    assert!(!types.contains("Size"), "{types}");
    let errors = std::fs::read_to_string(scratch.path("out/src/error.rs")).unwrap();
    assert!(errors.contains("ThingTooBig"));
}

#[test]
fn a_service_without_aws_query_gets_what_is_supported_and_a_notice() {
    let scratch = Scratch::new("not-query");
    let model = tiny_model(false).replace(r#""aws.protocols#awsQuery": {},"#, "");
    std::fs::write(scratch.path("tiny.json"), model).unwrap();
    let output = xtask(&["--model", "tiny.json", "--out", "out"], &scratch.0);
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("notice: example.tiny#TinyService: the service has no protocol trait")
            && stderr.contains("types, errors and endpoint resolver only"),
        "{stderr}"
    );
    assert!(scratch.path("out/src/types.rs").is_file());
    assert!(!scratch.path("out/src/client.rs").exists());
}

#[test]
fn the_header_names_the_generate_command() {
    let scratch = Scratch::new("header");
    write_model(&scratch, false);
    assert!(xtask(&["--model", "tiny.json", "--out", "out"], &scratch.0)
        .status
        .success());
    for file in ["Cargo.toml", "src/lib.rs", "src/operation/ping.rs"] {
        let text = std::fs::read_to_string(scratch.path("out").join(file)).unwrap();
        let head: Vec<&str> = text.lines().take(2).collect();
        assert!(
            head[0].contains("@generated by querygen from tiny.json"),
            "{file}: {head:?}"
        );
        assert!(
            head[1].contains("`cargo xtask generate`"),
            "{file}: {head:?}"
        );
    }
}

#[test]
fn the_default_crate_name_comes_from_the_sdk_id_and_a_bad_one_is_refused() {
    let scratch = Scratch::new("crate-name");
    write_model(&scratch, false);
    let output = xtask(&["--model", "tiny.json", "--out", "out"], &scratch.0);
    assert!(output.status.success(), "{output:?}");
    let manifest = std::fs::read_to_string(scratch.path("out/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"tiny-thing\""), "{manifest}");

    let output = xtask(
        &[
            "--model",
            "tiny.json",
            "--out",
            "other",
            "--crate-name",
            "no spaces",
        ],
        &scratch.0,
    );
    assert_one_line_error(&output, &["--crate-name", "no spaces"]);
    assert_eq!(scratch.entries(), ["out", "tiny.json"]);
}

#[test]
fn a_folder_that_is_not_a_generated_crate_is_never_replaced() {
    let scratch = Scratch::new("foreign");
    write_model(&scratch, false);
    std::fs::create_dir_all(scratch.path("mine")).unwrap();
    std::fs::write(scratch.path("mine/notes.txt"), "hand-written").unwrap();
    let output = xtask(&["--model", "tiny.json", "--out", "mine"], &scratch.0);
    assert_one_line_error(
        &output,
        &["mine", "does not hold a crate querygen generated"],
    );
    assert_eq!(
        std::fs::read_to_string(scratch.path("mine/notes.txt")).unwrap(),
        "hand-written"
    );
    assert_eq!(scratch.entries(), ["mine", "tiny.json"]);
}

#[test]
fn regenerating_replaces_the_earlier_crate_without_leftovers() {
    let scratch = Scratch::new("replace");
    write_model(&scratch, false);
    assert!(xtask(&["--model", "tiny.json", "--out", "out"], &scratch.0)
        .status
        .success());
    assert!(scratch.path("out/src/operation/get_thing.rs").is_file());
    let output = xtask(
        &[
            "--model",
            "tiny.json",
            "--out",
            "out",
            "--operations",
            "Ping",
        ],
        &scratch.0,
    );
    assert!(output.status.success(), "{output:?}");
    // Files of operations no longer generated are gone, not left over.
    assert!(!scratch.path("out/src/operation/get_thing.rs").exists());
    assert!(scratch.path("out/src/operation/ping.rs").is_file());
    assert_eq!(scratch.entries(), ["out", "tiny.json"]);
}

#[test]
fn usage_errors_are_one_line() {
    let scratch = Scratch::new("usage");
    assert_one_line_error(&xtask(&["--out", "out"], &scratch.0), &["--model"]);
    assert_one_line_error(&xtask(&["--model", "m.json"], &scratch.0), &["--out"]);
    assert_one_line_error(
        &xtask(
            &[
                "--model",
                "m.json",
                "--out",
                "o",
                "--runtime-path",
                "a",
                "--runtime-version",
                "0.1",
            ],
            &scratch.0,
        ),
        &["not both"],
    );
    assert_one_line_error(
        &xtask(&["--model", "m.json", "--out", "o", "--bogus"], &scratch.0),
        &["--bogus"],
    );
    assert!(scratch.entries().is_empty());
}

#[test]
fn a_file_that_is_no_model_is_one_line() {
    let scratch = Scratch::new("not-a-model");
    std::fs::write(scratch.path("x.json"), "{\"hello\": 1}").unwrap();
    assert_one_line_error(
        &xtask(&["--model", "x.json", "--out", "out"], &scratch.0),
        &[
            "x.json",
            "neither a Smithy JSON AST model",
            "nor a botocore model",
        ],
    );
    std::fs::write(scratch.path("y.json"), "{ not json").unwrap();
    assert_one_line_error(
        &xtask(&["--model", "y.json", "--out", "out"], &scratch.0),
        &["y.json"],
    );
    assert_eq!(scratch.entries(), ["x.json", "y.json"]);
}

#[test]
fn the_runtime_is_a_relative_path_inside_the_workspace_and_what_the_user_gives_outside() {
    let workspace = Path::new("/w/querygen");
    let mut notices = Vec::new();
    let inside = runtime_source(
        &RuntimeChoice::Automatic,
        Path::new("/w/querygen/generated/sns"),
        workspace,
        &mut notices,
    )
    .unwrap();
    assert_eq!(inside, querygen::RuntimeSource::Path("../..".into()));
    assert!(notices.is_empty());

    let outside = runtime_source(
        &RuntimeChoice::Automatic,
        Path::new("/elsewhere/sns"),
        workspace,
        &mut notices,
    )
    .unwrap();
    assert_eq!(outside, querygen::RuntimeSource::Path("/w/querygen".into()));
    assert_eq!(notices.len(), 1, "the absolute path is announced");

    let version = runtime_source(
        &RuntimeChoice::Version("0.1".into()),
        Path::new("/elsewhere/sns"),
        workspace,
        &mut notices,
    )
    .unwrap();
    assert_eq!(version, querygen::RuntimeSource::Version("0.1".into()));

    // A path must lead to the runtime, checked relative to the output folder.
    let root = xtask::workspace_root();
    let out = root.join("target/some/crate");
    let given = runtime_source(
        &RuntimeChoice::Path("../../..".into()),
        &out,
        &root,
        &mut notices,
    )
    .unwrap();
    assert_eq!(given, querygen::RuntimeSource::Path("../../..".into()));
    let wrong = runtime_source(
        &RuntimeChoice::Path("../..".into()),
        &out,
        &root,
        &mut notices,
    )
    .unwrap_err();
    assert!(
        wrong.to_string().contains("holds no runtime/Cargo.toml"),
        "{wrong}"
    );
}

#[test]
fn a_crate_inside_the_workspace_comes_with_what_to_do() {
    use xtask::generate::inside_workspace_notice;
    let root = Path::new("/w/querygen");
    let generated = inside_workspace_notice(Path::new("/w/querygen/generated/foo"), root).unwrap();
    assert!(generated.contains("cargo xtask add-service"), "{generated}");
    let member = inside_workspace_notice(Path::new("/w/querygen/crates/foo"), root).unwrap();
    assert!(member.contains("`members`"), "{member}");
    assert_eq!(
        inside_workspace_notice(Path::new("/w/querygen/target/x"), root),
        None
    );
    assert_eq!(
        inside_workspace_notice(Path::new("/elsewhere/foo"), root),
        None
    );
}

/// A crate generated outside the workspace builds: `cargo check` with the
/// workspace's lock file, offline, sans-IO (the client's own dependencies are
/// checked by `cargo xtask check-models`); target dir under the workspace's
/// `target/` so reruns are incremental.
#[test]
fn a_crate_generated_outside_the_workspace_builds() {
    let scratch = Scratch::new("builds");
    write_model(&scratch, false);
    let output = xtask(&["--model", "tiny.json", "--out", "tiny"], &scratch.0);
    assert!(output.status.success(), "{output:?}");
    let crate_dir = scratch.path("tiny");
    std::fs::copy(
        xtask::workspace_root().join("Cargo.lock"),
        crate_dir.join("Cargo.lock"),
    )
    .unwrap();
    let target = xtask::workspace_root().join("target/generate-check");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "check",
            "--quiet",
            "--offline",
            "--no-default-features",
            "--features",
            "ping,put-thing,get-thing,server",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-Dwarnings")
        .current_dir(&crate_dir)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "cargo check failed in {}",
        crate_dir.display()
    );
}

/// botocore's form is read too: ElastiCache's `service-2.json`, one operation.
#[test]
fn a_botocore_model_generates() {
    let dir = std::env::var_os("BOTOCORE_MODELS_DIR").unwrap_or_else(|| {
        panic!("BOTOCORE_MODELS_DIR is not set: point it at the botocore models (`.ci/run` sets ../shared/botocore-models)")
    });
    let model = xtask::workspace_root()
        .join(dir)
        .join("elasticache/service-2.json");
    let scratch = Scratch::new("botocore");
    let output = xtask(
        &[
            "--model",
            model.to_str().unwrap(),
            "--out",
            "ec",
            "--operations",
            "StartMigration",
        ],
        &scratch.0,
    );
    assert!(output.status.success(), "{output:?}");
    let manifest = std::fs::read_to_string(scratch.path("ec/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"elasticache\""), "{manifest}");
    assert!(manifest.contains("\nstart-migration = []"), "{manifest}");
    let operation =
        std::fs::read_to_string(scratch.path("ec/src/operation/start_migration.rs")).unwrap();
    assert!(
        operation.contains("Action=StartMigration") || operation.contains("\"StartMigration\"")
    );
}
