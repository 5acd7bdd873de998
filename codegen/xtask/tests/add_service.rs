//! `cargo xtask add-service`: the manifest and workspace edits as pure
//! functions over the repository's real files (nothing is rewritten), and the
//! binary in `--dry-run` mode, which must leave the repository as it was.

use std::process::Command;

use serde_json::Value;
use xtask::add_service::{add_member, pin, PinChange};

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(xtask::workspace_root().join(path)).unwrap()
}

fn entry<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no entry `{name}`"))
}

#[test]
fn a_new_model_is_pinned_in_name_order_with_its_crate_and_nothing_else_changes() {
    let manifest = repo_file("models/manifest.json");
    let (text, change) = pin(
        &manifest,
        "elastictranscoder",
        "models/elastictranscoder/service/2012-09-25/x.json",
        "ab12",
        "com.amazonaws.elastictranscoder#EtsCustomerService",
    )
    .unwrap();
    assert_eq!(change, PinChange::Added);
    let parsed = xtask::parse_manifest(&text).unwrap();
    let names: Vec<&str> = parsed.models.iter().map(|m| m.name.as_str()).collect();
    let at = names
        .iter()
        .position(|n| *n == "elastictranscoder")
        .unwrap();
    assert!(
        names[at - 1] < "elastictranscoder" && "elastictranscoder" < names[at + 1],
        "inserted in name order: {names:?}"
    );
    let added = parsed
        .models
        .iter()
        .find(|m| m.name == "elastictranscoder")
        .unwrap();
    assert_eq!(added.sha256.as_deref(), Some("ab12"));
    let target = added.generate.as_ref().unwrap();
    assert_eq!(
        (target.crate_name.as_str(), target.dir.as_str()),
        ("elastictranscoder", "generated/elastictranscoder")
    );
    // Removing the new entry gives the manifest back, byte for byte.
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["models"]
        .as_array_mut()
        .unwrap()
        .retain(|m| m["name"] != "elastictranscoder");
    assert_eq!(serde_json::to_string_pretty(&doc).unwrap() + "\n", manifest);
}

#[test]
fn moving_a_pin_keeps_the_entry_s_other_settings() {
    let manifest = repo_file("models/manifest.json");
    let before: Value = serde_json::from_str(&manifest).unwrap();
    let sts = entry(&before, "sts");
    let (text, change) = pin(
        &manifest,
        "sts",
        "models/sts/service/2011-06-15/sts-2011-06-15.json",
        "0000",
        sts["service"].as_str().unwrap(),
    )
    .unwrap();
    assert_eq!(
        change,
        PinChange::Updated {
            path: sts["path"].as_str().unwrap().to_owned(),
            sha256: sts["sha256"].as_str().unwrap().to_owned(),
            was_generated: true,
        }
    );
    let after: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(entry(&after, "sts")["sha256"], "0000");
    // STS stays without a client (the credential providers depend on it).
    assert_eq!(entry(&after, "sts")["generate"], sts["generate"]);
    assert_eq!(entry(&after, "sts")["generate"]["client"], false);
}

#[test]
fn pinning_a_listed_model_adds_its_crate_and_pinning_again_changes_nothing() {
    let manifest = repo_file("models/manifest.json");
    let before: Value = serde_json::from_str(&manifest).unwrap();
    let cloudwatch = entry(&before, "cloudwatch");
    assert!(cloudwatch.get("generate").is_none());
    let (path, sha, service) = (
        cloudwatch["path"].as_str().unwrap(),
        cloudwatch["sha256"].as_str().unwrap(),
        cloudwatch["service"].as_str().unwrap(),
    );
    let (text, change) = pin(&manifest, "cloudwatch", path, sha, service).unwrap();
    assert!(matches!(
        change,
        PinChange::Updated {
            was_generated: false,
            ..
        }
    ));
    let after: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        entry(&after, "cloudwatch")["generate"]["dir"],
        "generated/cloudwatch"
    );

    let (again, change) = pin(&text, "cloudwatch", path, sha, service).unwrap();
    assert_eq!(change, PinChange::Unchanged);
    assert_eq!(again, text);
}

#[test]
fn the_crate_joins_the_workspace_members_once() {
    let cargo = repo_file("Cargo.toml");
    let added = add_member(&cargo, "generated/cloudwatch").unwrap().unwrap();
    let members: Vec<&str> = added
        .lines()
        .skip_while(|l| !l.starts_with("members = ["))
        .take_while(|l| l.trim() != "]")
        .map(str::trim)
        .collect();
    let at = members
        .iter()
        .position(|l| *l == "\"generated/cloudwatch\",")
        .unwrap();
    assert_eq!(
        members[at + 1],
        "\"generated/snapshots/*\",",
        "before the snapshot crates"
    );
    assert!(members[at - 1].starts_with("\"generated/"));
    assert_eq!(added.lines().count(), cargo.lines().count() + 1);
    assert_eq!(add_member(&added, "generated/cloudwatch").unwrap(), None);
    assert_eq!(add_member(&cargo, "generated/sns").unwrap(), None);
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("add-service")
        .args(args)
        .current_dir(xtask::workspace_root())
        .output()
        .unwrap()
}

/// The binary with `--dry-run` says what it would do and rewrites nothing; an
/// unknown path is a one-line error that also rewrites nothing.
#[test]
fn dry_run_and_errors_leave_the_repository_as_it_was() {
    let manifest = repo_file("models/manifest.json");
    let cargo = repo_file("Cargo.toml");
    let before: Value = serde_json::from_str(&manifest).unwrap();
    let path = entry(&before, "cloudwatch")["path"]
        .as_str()
        .unwrap()
        .to_owned();

    let output = run(&["cloudwatch", "--path", &path, "--dry-run"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("would generate `cloudwatch` into generated/cloudwatch"),
        "{stderr}"
    );
    assert!(
        stderr.contains("would add generated/cloudwatch to the workspace members"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("would move"),
        "the pin itself is the same: {stderr}"
    );

    let output = run(&["cloudwatch", "--path", "models/no/such/model.json"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("models/no/such/model.json"), "{stderr}");

    assert_eq!(repo_file("models/manifest.json"), manifest);
    assert_eq!(repo_file("Cargo.toml"), cargo);
    assert!(!xtask::workspace_root()
        .join("generated/cloudwatch")
        .exists());
}
