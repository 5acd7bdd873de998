//! Bounded fuzzing, run with the ordinary tests: arbitrary and mutated inputs
//! into the generated parsers and the model loader must give a value or a
//! typed error, never a panic.
//!
//! Long runs use the same targets with more cases, outside CI:
//! `QUERYGEN_FUZZ_CASES=2000000 cargo test --release -p workspace-tests --test robustness`.

use elasticache::operation::describe_replication_groups as describe;
use elasticache::operation::start_migration;
use proptest::prelude::*;

/// Cases per target: a few hundred in CI, as many as asked for in a long run.
fn cases(default: u32) -> u32 {
    std::env::var("QUERYGEN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A small response of our own, fully formed, to mutate.
const RESPONSE: &str = r#"<?xml version="1.0"?>
<StartMigrationResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <StartMigrationResult>
    <ReplicationGroup>
      <ReplicationGroupId>rg-1</ReplicationGroupId>
      <Description>a &amp; b &#65; <![CDATA[<x>]]></Description>
      <MemberClusters><ClusterId>c-1</ClusterId><ClusterId>c-2</ClusterId></MemberClusters>
      <ReplicationGroupCreateTime>2019-12-16T23:48:18.123+01:00</ReplicationGroupCreateTime>
      <AutomaticFailover>enabled</AutomaticFailover>
      <MultiAZ>disabled</MultiAZ>
      <ClusterEnabled>true</ClusterEnabled>
      <NodeGroups><NodeGroup><NodeGroupId>0001</NodeGroupId><NodeGroupMembers><NodeGroupMember><CacheNodeId>0001</CacheNodeId></NodeGroupMember></NodeGroupMembers></NodeGroup></NodeGroups>
    </ReplicationGroup>
  </StartMigrationResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</StartMigrationResponse>"#;

const ERROR: &str = r#"<ErrorResponse><Error><Type>Sender</Type><Code>ReplicationGroupNotFoundFault</Code><Message>not found</Message></Error><RequestId>req-2</RequestId></ErrorResponse>"#;

/// Byte-level mutations: overwrite, delete, insert, truncate.
fn mutated(seed: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let len = seed.len();
    proptest::collection::vec((0..len, any::<u8>(), 0..4u8), 1..8).prop_map(move |edits| {
        let mut bytes = seed.as_bytes().to_vec();
        for (at, byte, kind) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            match kind {
                0 => {
                    if let Some(b) = bytes.get_mut(at) {
                        *b = byte;
                    }
                }
                1 if !bytes.is_empty() => {
                    bytes.remove(at);
                }
                2 => bytes.insert(at, byte),
                _ => bytes.truncate(at),
            }
        }
        bytes
    })
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn response_parsers_take_any_bytes(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = start_migration::deserialize_response(&body);
        let _ = describe::deserialize_response(&body);
        let _ = start_migration::deserialize_error(500, &body);
    }

    #[test]
    fn response_parser_takes_mutated_responses(body in mutated(RESPONSE)) {
        let _ = start_migration::deserialize_response(&body);
    }

    #[test]
    fn error_parser_takes_mutated_errors(body in mutated(ERROR)) {
        let error = start_migration::deserialize_error(400, &body);
        // Whatever happened, the error renders.
        prop_assert!(!error.to_string().is_empty());
    }

    #[test]
    fn request_parser_takes_any_bytes(body in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = start_migration::deserialize_request(&body);
    }

    #[test]
    fn request_parser_takes_mutated_requests(body in mutated("Action=StartMigration&Version=2015-02-02&ReplicationGroupId=my-rg&CustomerNodeEndpointList.member.1.Address=10.0.0.1&CustomerNodeEndpointList.member.1.Port=6379")) {
        if let Ok(input) = start_migration::deserialize_request(&body) {
            // What we serialize, our server side reads back to the same body.
            let first = start_migration::serialize_query_body(&input);
            let reparsed = start_migration::deserialize_request(first.as_bytes());
            prop_assert!(reparsed.is_ok(), "{first:?}: {reparsed:?}");
            prop_assert_eq!(start_migration::serialize_query_body(&reparsed.unwrap()), first);
        }
    }

    #[test]
    fn loader_takes_any_text(text in ".{0,256}") {
        let _ = querygen::model::Model::load("fuzz", &text);
    }
}

/// Found by cargo-fuzz (`start_migration_request`, 2026-11-24): a list element whose
/// only keys are unknown parses as an empty structure, which serializes to nothing,
/// so the body we write skips index 1. The server side used to refuse that gap; it now
/// reads a missing index as an empty element, as the serializer meant it.
#[test]
fn request_with_an_empty_first_list_element_round_trips() {
    let body = "Action=StartMigration&Version=2015-02-02&ReplicationGroupId=my-rg\
                &CustomerNodeEndpointList.member.1.A%00%00ress=10.0.0.1\
                &CustomerNodeEndpointList.member.2.Address=10.0.0.2";
    let input = start_migration::deserialize_request(body.as_bytes()).unwrap();
    let endpoints = input.customer_node_endpoint_list.as_deref().unwrap();
    assert_eq!(endpoints.len(), 2);
    assert_eq!(endpoints[0].address, None);
    assert_eq!(endpoints[1].address.as_deref(), Some("10.0.0.2"));
    let written = start_migration::serialize_query_body(&input);
    assert_eq!(
        written,
        "Action=StartMigration&Version=2015-02-02&ReplicationGroupId=my-rg\
         &CustomerNodeEndpointList.member.2.Address=10.0.0.2"
    );
    assert_eq!(
        start_migration::deserialize_request(written.as_bytes()).unwrap(),
        input
    );
}

/// Mutated versions of our own model: the whole generator returns `Ok` or an `Err`, never panics.
#[test]
fn generator_takes_mutated_models() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/snapshots/naming.json");
    let model = std::fs::read_to_string(&path).unwrap();
    let options = querygen::Options {
        service: "example.naming#NamingService".into(),
        crate_name: "fuzz".into(),
        crate_version: "0.0.0".into(),
        runtime: querygen::RuntimeSource::Path(".".into()),
        client: true,
        deny_warnings: false,
        partitions: None,
    };
    let mut runner = proptest::test_runner::TestRunner::new(config(64));
    let strategy = proptest::collection::vec(
        (0..model.len(), proptest::char::range(' ', '~'), 0..3u8),
        1..6,
    );
    runner
        .run(&strategy, |edits| {
            let mut text: Vec<char> = model.chars().collect();
            for (at, c, kind) in edits {
                let at = at.min(text.len().saturating_sub(1));
                match kind {
                    0 => {
                        if let Some(slot) = text.get_mut(at) {
                            *slot = c;
                        }
                    }
                    1 if !text.is_empty() => {
                        text.remove(at);
                    }
                    _ => text.insert(at, c),
                }
            }
            let text: String = text.into_iter().collect();
            let _ = querygen::generate(&text, "mutated naming.json", &options);
            Ok(())
        })
        .unwrap();
}

/// Structure-aware mutations of the real ElastiCache model (through `SMITHY_MODELS_DIR`):
/// drop a shape, retarget a member, corrupt a trait value, or change a shape's type. Each
/// mutated model must generate or fail with an error; none may panic.
#[test]
fn generator_takes_structurally_mutated_elasticache_models() {
    let (entry, _, text) = xtask::pinned("elasticache").unwrap_or_else(|e| panic!("{e}"));
    let model: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<String> = model["shapes"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let options = querygen::Options {
        service: entry.service.clone(),
        crate_name: "fuzz".into(),
        crate_version: "0.0.0".into(),
        runtime: querygen::RuntimeSource::Path(".".into()),
        client: true,
        deny_warnings: false,
        partitions: Some(xtask::partitions().unwrap_or_else(|e| panic!("{e}"))),
    };
    let replacement = prop_oneof![
        Just(serde_json::Value::Null),
        Just(serde_json::json!(42)),
        Just(serde_json::json!("com.amazonaws.elasticache#Nowhere")),
        Just(serde_json::json!({"target": "smithy.api#Unit"})),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
    ];
    let mut runner = proptest::test_runner::TestRunner::new(config(24));
    let strategy = proptest::collection::vec((0..ids.len(), 0..4u8, replacement, 0..8usize), 1..4);
    // The runner takes an `Fn`: count through cells.
    let (generated, rejected) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    runner
        .run(&strategy, |edits| {
            let mut mutated = model.clone();
            for (shape, kind, value, pick) in edits {
                let id = &ids[shape];
                let shapes = mutated["shapes"].as_object_mut().unwrap();
                match kind {
                    0 => {
                        shapes.shift_remove(id);
                    }
                    1 => {
                        let members = shapes
                            .get_mut(id)
                            .and_then(|s| s.get_mut("members"))
                            .and_then(|m| m.as_object_mut());
                        if let Some(members) = members {
                            let count = members.len().max(1);
                            if let Some((_, member)) = members.iter_mut().nth(pick % count) {
                                member["target"] = value;
                            }
                        }
                    }
                    2 => {
                        let traits = shapes
                            .get_mut(id)
                            .and_then(|s| s.get_mut("traits"))
                            .and_then(|t| t.as_object_mut());
                        if let Some(traits) = traits {
                            let count = traits.len().max(1);
                            if let Some((_, trait_value)) = traits.iter_mut().nth(pick % count) {
                                *trait_value = value;
                            }
                        }
                    }
                    _ => {
                        let types = [
                            "structure",
                            "list",
                            "map",
                            "enum",
                            "string",
                            "union",
                            "operation",
                            "intEnum",
                        ];
                        if let Some(shape) = shapes.get_mut(id) {
                            shape["type"] = serde_json::json!(types[pick % types.len()]);
                        }
                    }
                }
            }
            match querygen::generate(&mutated.to_string(), "mutated elasticache", &options) {
                Ok(_) => generated.set(generated.get() + 1),
                Err(e) => {
                    prop_assert!(!e.reason.is_empty(), "an error must say what is wrong");
                    rejected.set(rejected.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "mutated ElastiCache models: {} generated, {} rejected with an error",
        generated.get(),
        rejected.get()
    );
}

proptest! {
    #![proptest_config(config(512))]

    /// Builders and the request serializer take any string (controls, any Unicode, huge),
    /// any number and any list length, and the body stays form-encoded ASCII.
    #[test]
    fn request_side_takes_any_values(
        id in any::<String>(),
        addresses in proptest::collection::vec((any::<String>(), any::<i32>()), 0..64),
        long in proptest::collection::vec(any::<char>(), 0..4096),
    ) {
        use elasticache::types::CustomerNodeEndpoint;
        let mut builder = start_migration::StartMigrationInput::builder().replication_group_id(id);
        for (address, port) in addresses {
            builder = builder.customer_node_endpoint_list(CustomerNodeEndpoint::builder().address(address).port(port).build());
        }
        builder = builder.customer_node_endpoint_list(CustomerNodeEndpoint::builder().address(long.into_iter().collect::<String>()).build());
        let input = builder.build().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let body = start_migration::serialize_query_body(&input);
        prop_assert!(body.bytes().all(|b| b.is_ascii_graphic()), "{}", body);
        // The service side reads back exactly what was sent.
        let parsed = start_migration::deserialize_request(body.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(parsed, input);
    }
}

/// Every node of a JSON value, as a path of object keys and array indexes.
fn json_paths(value: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(path.clone());
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                path.push(key.clone());
                json_paths(child, path, out);
                path.pop();
            }
        }
        serde_json::Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(index.to_string());
                json_paths(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn json_at<'a>(
    value: &'a mut serde_json::Value,
    path: &[String],
) -> Option<&'a mut serde_json::Value> {
    path.iter().try_fold(value, |node, step| match node {
        serde_json::Value::Object(map) => map.get_mut(step),
        serde_json::Value::Array(items) => items.get_mut(step.parse::<usize>().ok()?),
        _ => None,
    })
}

/// Mutations inside the endpoint rule set of our endpoints snapshot model (every node of
/// the rule set can be replaced, including function names, references, templates and
/// parameter types): generation gives a crate or an error, never a panic.
#[test]
fn generator_takes_mutated_endpoint_rule_sets() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/snapshots/endpoints.json");
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let root = vec![
        "shapes".to_owned(),
        "example.endpoints#EndpointService".to_owned(),
        "traits".to_owned(),
        "smithy.rules#endpointRuleSet".to_owned(),
    ];
    let mut paths = Vec::new();
    json_paths(
        &model["shapes"]["example.endpoints#EndpointService"]["traits"]
            ["smithy.rules#endpointRuleSet"],
        &mut root.clone(),
        &mut paths,
    );
    let options = querygen::Options {
        service: "example.endpoints#EndpointService".into(),
        crate_name: "fuzz".into(),
        crate_version: "0.0.0".into(),
        runtime: querygen::RuntimeSource::Path(".".into()),
        client: true,
        deny_warnings: false,
        partitions: Some(xtask::partitions().unwrap_or_else(|e| panic!("{e}"))),
    };
    let replacement = prop_oneof![
        Just(serde_json::Value::Null),
        Just(serde_json::json!(true)),
        Just(serde_json::json!(-1)),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        Just(serde_json::json!("{Region}")),
        Just(serde_json::json!("{Nope#x[0]}")),
        Just(serde_json::json!("}{")),
        Just(serde_json::json!({"ref": "Region"})),
        Just(serde_json::json!({"ref": "PartitionResult"})),
        Just(serde_json::json!({"fn": "not", "argv": [{"ref": "UseFIPS"}]})),
        Just(serde_json::json!({"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "name"]})),
        Just(serde_json::json!({"fn": "isSet", "argv": []})),
        Just(serde_json::json!("stringArray")),
        Just(serde_json::json!("tree")),
    ];
    let (generated, rejected) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let mut runner = proptest::test_runner::TestRunner::new(config(256));
    let strategy = proptest::collection::vec((0..paths.len(), replacement), 1..4);
    runner
        .run(&strategy, |edits| {
            let mut mutated = model.clone();
            for (index, value) in edits {
                if let Some(node) = json_at(&mut mutated, &paths[index]) {
                    *node = value;
                }
            }
            match querygen::generate(&mutated.to_string(), "mutated endpoints.json", &options) {
                Ok(_) => generated.set(generated.get() + 1),
                Err(e) => {
                    prop_assert!(!e.reason.is_empty(), "an error must say what is wrong");
                    rejected.set(rejected.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "mutated endpoint rule sets: {} generated, {} rejected with an error",
        generated.get(),
        rejected.get()
    );
}
