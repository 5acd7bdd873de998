//! The generated client against moto's server, an independent implementation of
//! ElastiCache's wire protocol (`pip install "moto[server]"`, which `.ci/run`
//! does). Each test starts its own server on 127.0.0.1 on a free port and stops
//! it when done. A missing moto is a failure, not a skip.

mod support;

use support::Moto;

use elasticache::client::SdkError;
use elasticache::operation::describe_replication_groups::DescribeReplicationGroupsError;
use elasticache::operation::start_migration::StartMigrationError;
use elasticache::types::CustomerNodeEndpoint;

#[tokio::test]
async fn replication_group_lifecycle() {
    let moto = Moto::start();
    let client = moto.client(3);

    let created = client
        .create_replication_group()
        .replication_group_id("querygen-rg")
        .replication_group_description("made by the querygen tests")
        .engine("redis")
        .cache_node_type("cache.t3.micro")
        .num_cache_clusters(2)
        .send_with_metadata()
        .await
        .expect("CreateReplicationGroup");
    assert!(created.request_id.is_some());
    let group = created.output.replication_group.expect("a group");
    assert_eq!(group.replication_group_id.as_deref(), Some("querygen-rg"));
    assert_eq!(
        group.description.as_deref(),
        Some("made by the querygen tests")
    );

    let described = client
        .describe_replication_groups()
        .replication_group_id("querygen-rg")
        .send()
        .await
        .expect("DescribeReplicationGroups");
    let groups = described.replication_groups.expect("groups");
    assert_eq!(groups.len(), 1);
    let group = &groups[0];
    assert_eq!(group.replication_group_id.as_deref(), Some("querygen-rg"));
    assert_eq!(
        group.description.as_deref(),
        Some("made by the querygen tests")
    );
    assert_eq!(group.cache_node_type.as_deref(), Some("cache.t3.micro"));
    assert!(
        group
            .member_clusters
            .as_ref()
            .is_some_and(|m| !m.is_empty()),
        "{group:?}"
    );
    assert_eq!(group.status.as_deref(), Some("available"));
    assert_eq!(
        group.automatic_failover,
        Some(elasticache::types::AutomaticFailoverStatus::Disabled)
    );
    let primary = group
        .node_groups
        .as_ref()
        .and_then(|n| n.first())
        .and_then(|n| n.primary_endpoint.as_ref());
    assert_eq!(primary.and_then(|e| e.port), Some(6379), "{group:?}");
    assert!(group.replication_group_create_time.is_some());
    assert!(
        group
            .arn
            .as_deref()
            .is_some_and(|arn| arn.contains("querygen-rg")),
        "{:?}",
        group.arn
    );

    let modified = client
        .modify_replication_group()
        .replication_group_id("querygen-rg")
        .replication_group_description("changed")
        .snapshot_retention_limit(5)
        .send()
        .await
        .expect("ModifyReplicationGroup");
    let group = modified.replication_group.expect("a group");
    assert_eq!(group.description.as_deref(), Some("changed"));
    assert_eq!(group.snapshot_retention_limit, Some(5));

    let all = client
        .describe_replication_groups()
        .send()
        .await
        .expect("DescribeReplicationGroups (all)");
    assert_eq!(
        all.replication_groups.unwrap_or_default()[0]
            .description
            .as_deref(),
        Some("changed")
    );

    let deleted = client
        .delete_replication_group()
        .replication_group_id("querygen-rg")
        .send()
        .await
        .expect("DeleteReplicationGroup");
    let group = deleted.replication_group.expect("a group");
    assert_eq!(group.replication_group_id.as_deref(), Some("querygen-rg"));
    assert_eq!(group.status.as_deref(), Some("deleting"));

    let error = client
        .describe_replication_groups()
        .replication_group_id("no-such-group")
        .send()
        .await
        .expect_err("no such group");
    assert_eq!(error.attempts(), 1, "a modeled client error is not retried");
    let SdkError::Service(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.status, 404);
    assert!(failure.request_id.is_some(), "{failure:?}");
    let DescribeReplicationGroupsError::ReplicationGroupNotFoundFault(fault) = &failure.error
    else {
        panic!("expected ReplicationGroupNotFoundFault, got {error:?}")
    };
    assert!(
        fault.message().is_some_and(|m| m.contains("no-such-group")),
        "{fault:?}"
    );
}

#[tokio::test]
async fn start_migration_is_not_implemented_by_moto_and_says_so() {
    let moto = Moto::start();
    let client = moto.client(2);
    let error = client
        .start_migration()
        .replication_group_id("my-rg")
        .customer_node_endpoint_list(
            CustomerNodeEndpoint::builder()
                .address("10.0.0.1")
                .port(6379)
                .build(),
        )
        .send()
        .await
        .expect_err("moto has no StartMigration");
    let SdkError::Service(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.attempts, 2, "a 500 is retried up to max_attempts");
    let StartMigrationError::Unhandled(unhandled) = &failure.error else {
        panic!("{error:?}")
    };
    assert_eq!(unhandled.status, 500);
    assert!(!unhandled.body_excerpt.is_empty());
    assert!(unhandled.parse_error.is_some(), "{unhandled:?}");
    let text = error.to_string();
    assert!(
        text.contains("HTTP 500") && text.contains("2 attempts"),
        "{text}"
    );
    eprintln!("StartMigration against moto: {text}");
}
