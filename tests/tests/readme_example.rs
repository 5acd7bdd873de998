//! The README's client example, verbatim: it must compile (it is not run: it
//! would reach for real credentials and AWS).
#![allow(dead_code)]

use std::time::Duration;

use elasticache::client::{Config, Credentials, WaiterError};
use elasticache::operation::start_migration::StartMigrationError;
use elasticache::types::CustomerNodeEndpoint;

async fn migrate() -> Result<(), Box<dyn std::error::Error>> {
    // Region and endpoint from the environment and ~/.aws (AWS_REGION, AWS_PROFILE,
    // AWS_ENDPOINT_URL_ELASTICACHE, AWS_ENDPOINT_URL, AWS_MAX_ATTEMPTS, …); credentials
    // from the AWS default chain, fetched on the first call and refreshed before expiry …
    let client = elasticache::Client::from_env()?;
    // … or all in code:
    let _explicit = elasticache::Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID…", "secret…", None))
            .max_attempts(3)
            .build(),
    );
    let endpoint = CustomerNodeEndpoint::builder()
        .address("10.0.0.1")
        .port(6379)
        .build();
    match client
        .start_migration()
        .replication_group_id("my-rg")
        .customer_node_endpoint_list(endpoint)
        .send()
        .await
    {
        Ok(output) => println!("{:?}", output.replication_group),
        Err(e) => match e.as_service_error() {
            Some(StartMigrationError::ReplicationGroupNotFoundFault(f)) => {
                return Err(format!("no such group: {f}").into())
            }
            _ => return Err(e.into()),
        },
    }
    // Then wait until the group is available again (polls DescribeReplicationGroups).
    match client
        .wait_until_replication_group_available()
        .replication_group_id("my-rg")
        .wait(Duration::from_secs(3600))
        .await
    {
        Ok(_) => println!("my-rg is available"),
        Err(WaiterError::FailureState { .. }) => {
            eprintln!("my-rg was deleted: it will not become available")
        }
        Err(WaiterError::MaxWaitExceeded { polls, .. }) => {
            eprintln!("still migrating after an hour ({polls} polls)")
        }
        Err(other) => eprintln!("{other}"),
    }
    // List every group, page by page under the hood.
    let groups = client
        .describe_replication_groups()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await?;
    println!("{} replication groups", groups.len());
    Ok(())
}

#[test]
fn the_readme_example_compiles_and_its_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    assert_send(&migrate());
}

/// The example above is the README's, character for character: the README's
/// `rust` block must appear in this file.
#[test]
fn this_file_holds_the_readme_example() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("## A client example\n\n```rust\n")
        .expect("the README has its client example")
        + "## A client example\n\n```rust\n".len();
    let end = start
        + readme[start..]
            .find("```")
            .expect("the example's code block ends");
    let example = &readme[start..end];
    assert!(example.contains("start_migration"), "{example}");
    assert!(
        include_str!("readme_example.rs").contains(example),
        "tests/tests/readme_example.rs no longer holds the README's example verbatim"
    );
}
