//! The ElastiCache crate: the whole service closure is generated, and the
//! generated API works as the README shows.

use std::collections::BTreeSet;

use querygen::ir::{Service, TypeDef, TypeRef};

fn elasticache_ir() -> Service {
    let (entry, source, text) = xtask::pinned("elasticache").unwrap_or_else(|e| panic!("{e}"));
    let model = querygen::model::Model::load(&source, &text).unwrap_or_else(|e| panic!("{e}"));
    querygen::lower::lower(&model, &entry.service).unwrap_or_else(|e| panic!("{e}"))
}

fn collect_lists(ty: &TypeRef, lists: &mut BTreeSet<String>) {
    match ty {
        TypeRef::List(list) => {
            lists.insert(list.id.clone());
            collect_lists(&list.item, lists);
        }
        TypeRef::Map(map) => collect_lists(&map.value, lists),
        _ => {}
    }
}

#[test]
fn the_whole_closure_is_generated() {
    let service = elasticache_ir();
    assert_eq!(service.operations.len(), 75);

    // Every structure shape of the closure appears as a type, an error, or an operation's input or output.
    let mut structures = BTreeSet::new();
    let mut enums = 0;
    let mut lists = BTreeSet::new();
    for ty in &service.types {
        match ty {
            TypeDef::Struct(s) => {
                structures.insert(s.id.clone());
                s.fields
                    .iter()
                    .for_each(|f| collect_lists(&f.ty, &mut lists));
            }
            TypeDef::Enum(_) => enums += 1,
            TypeDef::Union(_) => panic!("ElastiCache has no unions"),
        }
    }
    for error in &service.errors {
        structures.insert(error.id.clone());
    }
    for op in &service.operations {
        for io in [&op.input, &op.output] {
            if io.id != "smithy.api#Unit" {
                structures.insert(io.id.clone());
            }
            io.fields
                .iter()
                .for_each(|f| collect_lists(&f.ty, &mut lists));
        }
    }
    assert_eq!(structures.len(), 283, "structures");
    assert_eq!(enums, 28, "enums");
    assert_eq!(lists.len(), 78, "lists");
    assert_eq!(service.errors.len(), 76, "error shapes");
    assert_eq!(service.version, "2015-02-02");
    assert_eq!(service.signing_name.as_deref(), Some("elasticache"));
}

#[test]
fn start_migration_errors_are_the_modeled_ones() {
    let service = elasticache_ir();
    let op = service
        .operations
        .iter()
        .find(|o| o.wire_name == "StartMigration")
        .unwrap();
    let errors: Vec<&str> = op.errors.iter().map(|e| e.rust_name.as_str()).collect();
    assert_eq!(
        errors,
        [
            "InvalidParameterValueException",
            "InvalidReplicationGroupStateFault",
            "ReplicationGroupAlreadyUnderMigrationFault",
            "ReplicationGroupNotFoundFault"
        ]
    );
    assert_eq!(
        op.input.id,
        "com.amazonaws.elasticache#StartMigrationMessage"
    );
    assert_eq!(op.input.rust_name, "StartMigrationInput");
}

// The example of docs/generated-code.md, verbatim.
use elasticache::operation::start_migration::StartMigrationInput;
use elasticache::types::CustomerNodeEndpoint;

fn migration_request() -> Result<StartMigrationInput, elasticache::BuildError> {
    StartMigrationInput::builder()
        .replication_group_id("my-rg")
        .customer_node_endpoint_list(
            CustomerNodeEndpoint::builder()
                .address("10.0.0.1")
                .port(6379)
                .build(),
        )
        .customer_node_endpoint_list(
            CustomerNodeEndpoint::builder()
                .address("10.0.0.2")
                .port(6380)
                .build(),
        )
        .build()
}

#[test]
fn readme_example_builds_the_fixed_start_migration_input() {
    let input = migration_request().unwrap();
    assert_eq!(input.replication_group_id.as_deref(), Some("my-rg"));
    let endpoints = input.customer_node_endpoint_list.unwrap();
    assert_eq!(endpoints.len(), 2);
    assert_eq!(endpoints[1].address.as_deref(), Some("10.0.0.2"));
    assert_eq!(endpoints[1].port, Some(6380));
    let err = StartMigrationInput::builder()
        .replication_group_id("my-rg")
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot build `StartMigrationInput`: required member `customer_node_endpoint_list` not set"
    );
}

#[test]
fn errors_and_enums_behave() {
    use elasticache::error::ReplicationGroupNotFoundFault;
    use elasticache::types::AzMode;
    assert_eq!(
        ReplicationGroupNotFoundFault::CODE,
        "ReplicationGroupNotFoundFault"
    );
    assert_eq!(ReplicationGroupNotFoundFault::HTTP_STATUS, 404);
    let fault = ReplicationGroupNotFoundFault::builder()
        .message("Replication group my-rg not found.")
        .build();
    assert_eq!(
        fault.to_string(),
        "ReplicationGroupNotFoundFault: Replication group my-rg not found."
    );
    assert_eq!(
        elasticache::error::CacheClusterNotFoundFault::CODE,
        "CacheClusterNotFound",
        "awsQueryError code, not the shape name"
    );
    assert_eq!(AzMode::from("cross-az"), AzMode::CrossAz);
    assert_eq!(AzMode::values(), ["single-az", "cross-az"]);
}
