//! The generated fake served over HTTP (`fake-server` feature), called by
//! independent clients: botocore (`tests/fake_server_peer.py`), the AWS CLI, and
//! our own client over a socket. The server checks signatures with the key it is
//! given, so botocore's SigV4 is verified by ours too. Fails, not skips, when
//! python3, botocore or the AWS CLI is missing (`.ci/run` installs them).

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Mutex;

use elasticache::fake::{Auth, ElastiCacheService, Fake};
use elasticache::operation::create_replication_group::{
    CreateReplicationGroupError, CreateReplicationGroupInput, CreateReplicationGroupOutput,
};
use elasticache::operation::describe_replication_groups::{
    DescribeReplicationGroupsError, DescribeReplicationGroupsInput, DescribeReplicationGroupsOutput,
};
use elasticache::operation::start_migration::{
    StartMigrationError, StartMigrationInput, StartMigrationOutput,
};
use elasticache::types::ReplicationGroup;
use elasticache::DateTime;
use serde_json::{json, Value};

const ACCESS_KEY: &str = "AKIDFAKESERVER";
const SECRET: &str = "fake-server-secret/K7MDENG+bPxRfiCY";
const CREATED: &str = "2026-01-01T12:00:00Z";

/// A small in-memory ElastiCache: groups are created, described and migrated.
#[derive(Default)]
struct Groups {
    groups: Mutex<Vec<ReplicationGroup>>,
}

fn not_found(id: &str) -> elasticache::error::ReplicationGroupNotFoundFault {
    elasticache::error::ReplicationGroupNotFoundFault::builder()
        .message(format!("Replication group {id} not found."))
        .build()
}

impl Groups {
    fn find(&self, id: &str) -> Option<ReplicationGroup> {
        let groups = self.groups.lock().unwrap();
        groups
            .iter()
            .find(|g| g.replication_group_id.as_deref() == Some(id))
            .cloned()
    }
}

impl ElastiCacheService for Groups {
    async fn create_replication_group(
        &self,
        input: CreateReplicationGroupInput,
    ) -> Result<CreateReplicationGroupOutput, CreateReplicationGroupError> {
        let id = input.replication_group_id.unwrap_or_default();
        let members = (1..=input.num_cache_clusters.unwrap_or(1))
            .map(|n| format!("{id}-{n:03}"))
            .collect::<Vec<_>>();
        let group = ReplicationGroup::builder()
            .replication_group_id(&id)
            .set_description(input.replication_group_description)
            .status("creating")
            .set_member_clusters(Some(members))
            .auth_token_enabled(input.auth_token.is_some())
            .set_engine(input.engine)
            .replication_group_create_time(DateTime::parse_rfc3339(CREATED).unwrap())
            .build();
        self.groups.lock().unwrap().push(group.clone());
        Ok(CreateReplicationGroupOutput::builder()
            .replication_group(group)
            .build())
    }

    async fn describe_replication_groups(
        &self,
        input: DescribeReplicationGroupsInput,
    ) -> Result<DescribeReplicationGroupsOutput, DescribeReplicationGroupsError> {
        let groups = match input.replication_group_id {
            Some(id) => vec![self.find(&id).ok_or_else(|| {
                DescribeReplicationGroupsError::ReplicationGroupNotFoundFault(not_found(&id))
            })?],
            None => self.groups.lock().unwrap().clone(),
        };
        Ok(DescribeReplicationGroupsOutput::builder()
            .set_replication_groups(Some(groups))
            .build())
    }

    async fn start_migration(
        &self,
        input: StartMigrationInput,
    ) -> Result<StartMigrationOutput, StartMigrationError> {
        let id = input.replication_group_id.unwrap_or_default();
        let mut group = self
            .find(&id)
            .ok_or_else(|| StartMigrationError::ReplicationGroupNotFoundFault(not_found(&id)))?;
        group.status = Some("migrating".into());
        Ok(StartMigrationOutput::builder()
            .replication_group(group)
            .build())
    }
}

fn run_botocore(endpoint: &str) -> Value {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/fake_server_peer.py");
    let mut child = Command::new(&python)
        .arg(script)
        // Keys come from the script; keep the machine's AWS files out of it.
        .env("AWS_CONFIG_FILE", "/nonexistent/querygen-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/querygen-credentials",
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {python} (botocore is the peer): {e}"));
    let spec = json!({"endpoint": endpoint, "access_key": ACCESS_KEY, "secret_key": SECRET});
    child
        .stdin
        .take()
        .unwrap()
        .write_all(spec.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the botocore peer failed (is botocore installed? `.ci/run` installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn botocore_creates_describes_and_migrates_against_the_generated_server() {
    let fake = Fake::new(Groups::default()).with_auth(Auth::verify(ACCESS_KEY, SECRET));
    let server = fake.serve().await.unwrap();
    let url = server.endpoint_url();
    let results = tokio::task::spawn_blocking(move || run_botocore(&url))
        .await
        .unwrap();

    // CreateReplicationGroup: botocore parsed our typed answer.
    let created = &results["create"]["ok"]["ReplicationGroup"];
    assert_eq!(created["ReplicationGroupId"], "rg-boto", "{results:#}");
    assert_eq!(created["Description"], "made by botocore & <friends>");
    assert_eq!(created["Status"], "creating");
    assert_eq!(
        created["MemberClusters"],
        json!(["rg-boto-001", "rg-boto-002"])
    );
    assert_eq!(created["AuthTokenEnabled"], true);
    assert_eq!(created["Engine"], "valkey");
    assert_eq!(
        created["ReplicationGroupCreateTime"],
        "2026-01-01 12:00:00+00:00"
    );

    // DescribeReplicationGroups, by id and all.
    let described = &results["describe"]["ok"]["ReplicationGroups"];
    assert_eq!(described, &json!([created]), "{results:#}");
    assert_eq!(
        results["describe_all"]["ok"]["ReplicationGroups"],
        json!([created])
    );

    // StartMigration (which moto lacks entirely).
    let migrated = &results["migrate"]["ok"]["ReplicationGroup"];
    assert_eq!(migrated["ReplicationGroupId"], "rg-boto", "{results:#}");
    assert_eq!(migrated["Status"], "migrating");

    // A modeled error: its code, message and status as botocore reads them.
    assert_eq!(
        results["migrate_missing"]["error"],
        json!({"code": "ReplicationGroupNotFoundFault", "message": "Replication group rg-none not found.", "status": 404}),
        "{results:#}"
    );
    // An operation the fake does not implement.
    let not_implemented = &results["not_implemented"]["error"];
    assert_eq!(not_implemented["code"], "NotImplemented", "{results:#}");
    assert_eq!(not_implemented["status"], 501);
    assert!(not_implemented["message"]
        .as_str()
        .unwrap()
        .contains("DeleteReplicationGroup is not implemented by this fake"));
    // botocore signed with another secret: the server's verifier says so.
    assert_eq!(
        results["bad_signature"]["error"]["code"],
        "SignatureDoesNotMatch"
    );
    assert_eq!(results["bad_signature"]["error"]["status"], 403);

    // What the server parsed from botocore's requests, typed.
    let recorder = fake.recorder();
    assert_eq!(
        recorder.actions(),
        [
            "CreateReplicationGroup",
            "DescribeReplicationGroups",
            "DescribeReplicationGroups",
            "StartMigration",
            "StartMigration",
            "DeleteReplicationGroup",
        ]
    );
    let create = recorder.last::<CreateReplicationGroupInput>().unwrap();
    assert_eq!(create.num_cache_clusters, Some(2));
    assert_eq!(
        create.auth_token.as_deref(),
        Some("botocore-secret-token-1234")
    );
    let tags = create.tags.unwrap();
    assert_eq!(
        (tags[0].key.as_deref(), tags[0].value.as_deref()),
        (Some("team"), Some("cache"))
    );
    let migrate = &recorder.inputs::<StartMigrationInput>()[0];
    let endpoint = &migrate.customer_node_endpoint_list.as_ref().unwrap()[0];
    assert_eq!(
        (endpoint.address.as_deref(), endpoint.port),
        (Some("10.0.0.1"), Some(6379))
    );

    // Shut down, the port no longer answers.
    let addr = server.addr();
    server.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn the_aws_cli_calls_start_migration_on_the_generated_server() {
    let fake = Fake::new(Groups::default()).with_auth(Auth::verify(ACCESS_KEY, SECRET));
    let server = fake.serve().await.unwrap();
    // Our own client, over the socket, creates the group the CLI then migrates.
    let client = elasticache::Client::from_conf(
        elasticache::client::Config::builder()
            .region("us-east-1")
            .credentials(elasticache::client::Credentials::new(
                ACCESS_KEY, SECRET, None,
            ))
            .endpoint_url(server.endpoint_url())
            .build(),
    );
    client
        .create_replication_group()
        .replication_group_id("rg-cli")
        .replication_group_description("made by querygen")
        .send()
        .await
        .unwrap();
    let url = server.endpoint_url();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("aws")
            .args([
                "elasticache",
                "start-migration",
                "--endpoint-url",
                &url,
                "--region",
                "us-east-1",
                "--output",
                "json",
                "--replication-group-id",
                "rg-cli",
                "--customer-node-endpoint-list",
                "Address=10.0.0.2,Port=6380",
            ])
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_PROFILE")
            .env("AWS_CONFIG_FILE", "/nonexistent/querygen-config")
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/querygen-credentials",
            )
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run the AWS CLI (`pip install awscli`; `.ci/run` does it): {e}")
            })
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "aws elasticache start-migration failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["ReplicationGroup"]["ReplicationGroupId"], "rg-cli");
    assert_eq!(printed["ReplicationGroup"]["Status"], "migrating");
    assert_eq!(
        printed["ReplicationGroup"]["Description"],
        "made by querygen"
    );
    let migrate = fake.recorder().last::<StartMigrationInput>().unwrap();
    let endpoint = &migrate.customer_node_endpoint_list.unwrap()[0];
    assert_eq!(
        (endpoint.address.as_deref(), endpoint.port),
        (Some("10.0.0.2"), Some(6380))
    );
}
