//! The AWS SDKs' shared profile-parser suite (`profile-parser-tests.json`, shipped in
//! the `aws-runtime` crate and read from `$AWS_SDK_TEST_DATA_DIR`, never copied in),
//! run against our parser and the merge of the two shared files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use querygen_client::config::profile::{ProfileFile, ProfileFiles};
use querygen_client::config::ConfigErrorKind;
use serde_json::Value;

/// Profiles (or `sso-session` sections) by name, each a map of key to raw value.
type Sections = BTreeMap<String, BTreeMap<String, String>>;

fn suite() -> Vec<Value> {
    let dir = std::env::var_os("AWS_SDK_TEST_DATA_DIR").unwrap_or_else(|| {
        panic!(
            "AWS_SDK_TEST_DATA_DIR is not set: run `export AWS_SDK_TEST_DATA_DIR=$(cargo xtask sdk-test-data)` (see the README)"
        )
    });
    let path = PathBuf::from(dir).join("profile-parser-tests.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let json: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    json["tests"]
        .as_array()
        .unwrap_or_else(|| panic!("{} has no `tests` array", path.display()))
        .clone()
}

fn expected_sections(value: Option<&Value>) -> Sections {
    let Some(object) = value.and_then(Value::as_object) else {
        return Sections::new();
    };
    object
        .iter()
        .map(|(name, properties)| {
            let properties = properties
                .as_object()
                .expect("a section's properties are an object")
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().expect("values are strings").to_owned(),
                    )
                })
                .collect();
            (name.clone(), properties)
        })
        .collect()
}

fn merged_profiles(files: &ProfileFiles) -> Sections {
    let mut names: Vec<&str> = Vec::new();
    for file in [files.config_file(), files.credentials_file()]
        .into_iter()
        .flatten()
    {
        names.extend(file.profile_names());
    }
    names
        .into_iter()
        .map(|name| {
            let profile = files.profile(name).expect("a listed profile exists");
            (name.to_owned(), properties(profile.properties()))
        })
        .collect()
}

fn sso_sessions(file: Option<&ProfileFile>) -> Sections {
    let Some(file) = file else {
        return Sections::new();
    };
    file.section_names("sso-session")
        .map(|name| {
            let section = file.section("sso-session", name).expect("listed");
            (name.to_owned(), properties(section.properties()))
        })
        .collect()
}

fn properties<'a>(
    properties: impl Iterator<Item = &'a querygen_client::config::profile::Property>,
) -> BTreeMap<String, String> {
    properties
        .map(|p| (p.key().to_owned(), p.value().to_owned()))
        .collect()
}

#[test]
fn the_sdks_profile_parser_suite_passes() {
    let tests = suite();
    assert!(tests.len() >= 60, "the suite has {} cases", tests.len());
    let mut failures = Vec::new();
    let (mut parsed, mut refused) = (0, 0);
    for test in &tests {
        let name = test["name"].as_str().unwrap_or("(unnamed)");
        let config = test["input"]["configFile"].as_str();
        let credentials = test["input"]["credentialsFile"].as_str();
        let result = ProfileFiles::parse("config", config, "credentials", credentials);
        let output = &test["output"];
        if let Some(fragment) = output["errorContaining"].as_str() {
            // Our messages are our own words: check that the input is refused as a
            // syntax error that names the file and the line.
            match result {
                Err(error) if error.kind() == ConfigErrorKind::Syntax => {
                    let message = error.to_string();
                    if !message.contains("line ") {
                        failures.push(format!("{name}: error without a line: {message}"));
                    }
                    refused += 1;
                }
                Err(error) => failures.push(format!(
                    "{name}: expected a syntax error ({fragment:?}), got {:?}: {error}",
                    error.kind()
                )),
                Ok(files) => failures.push(format!(
                    "{name}: expected an error containing {fragment:?}, parsed {:?}",
                    merged_profiles(&files)
                )),
            }
            continue;
        }
        let files = match result {
            Ok(files) => files,
            Err(error) => {
                failures.push(format!("{name}: unexpected error: {error}"));
                continue;
            }
        };
        parsed += 1;
        let want = expected_sections(output["config"].get("profiles"));
        let got = merged_profiles(&files);
        if got != want {
            failures.push(format!("{name}: profiles\n  want {want:?}\n  got  {got:?}"));
        }
        if let Some(sessions) = output["config"].get("sso_sessions") {
            let want = expected_sections(Some(sessions));
            let got = sso_sessions(files.config_file());
            if got != want {
                failures.push(format!(
                    "{name}: sso sessions\n  want {want:?}\n  got  {got:?}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        tests.len(),
        failures.join("\n")
    );
    assert!(
        parsed > 40 && refused > 5,
        "parsed {parsed}, refused {refused}"
    );
}
