//! Generated awsQuery response and error parsers, on the shared benchmark
//! fixtures (generated here from `$ELASTICACHE_BENCH_DIR/fixtures/gen_fixtures.py`)
//! and on broken bodies.

use std::path::PathBuf;
use std::sync::OnceLock;

use elasticache::operation::describe_replication_groups as describe;
use elasticache::operation::start_migration::{self, StartMigrationError};

const BENCH_ENV: &str = "ELASTICACHE_BENCH_DIR";

/// Generates the fixtures once per test run.
fn fixtures() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let bench = std::env::var_os(BENCH_ENV).unwrap_or_else(|| {
            panic!("{BENCH_ENV} is not set: point it at the shared bench folder (`.ci/run` sets ../shared/bench)")
        });
        let bench = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(bench);
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("elasticache-fixtures");
        let status = std::process::Command::new("python3")
            .arg(bench.join("fixtures/gen_fixtures.py"))
            .arg("--out")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", bench.display()));
        assert!(status.success(), "gen_fixtures.py failed ({status})");
        out
    })
}

fn fixture(name: &str) -> Vec<u8> {
    let path = fixtures().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn start_migration_response_is_fully_read() {
    let parsed = start_migration::deserialize_response(&fixture("start_migration.xml")).unwrap();
    let group = parsed.output.replication_group.expect("ReplicationGroup");
    assert_eq!(
        group.replication_group_id.as_deref(),
        Some("feature-flags-2rky-000")
    );
    assert_eq!(
        group.description.as_deref(),
        Some("feature-flags cache for the growth service & cron jobs")
    );
    let shown = format!("{group:?}");
    let pending = group
        .pending_modified_values
        .expect("PendingModifiedValues");
    assert_eq!(
        pending
            .resharding
            .and_then(|r| r.slot_migration)
            .and_then(|s| s.progress_percentage),
        Some(87.39)
    );
    let user_groups = pending.user_groups.expect("UserGroups");
    assert_eq!(user_groups.user_group_ids_to_add.map(|v| v.len()), Some(3));
    assert!(parsed.request_id.is_some());
    // Every member of the group was populated by the fixture generator: none may be left unread.
    assert!(
        !shown.contains(": None"),
        "a member was not parsed: {shown}"
    );
}

#[test]
fn describe_replication_groups_counts() {
    for n in [0usize, 1, 100, 1000] {
        let body = fixture(&format!("describe_replication_groups_{n}.xml"));
        let parsed = describe::deserialize_response(&body).unwrap();
        let groups = parsed.output.replication_groups.unwrap_or_default();
        assert_eq!(groups.len(), n, "n={n}");
        assert!(parsed.request_id.is_some());
    }
}

#[test]
fn modeled_error_is_typed() {
    let error =
        start_migration::deserialize_error(404, &fixture("error_replication_group_not_found.xml"));
    let StartMigrationError::ReplicationGroupNotFoundFault(fault) = &error else {
        panic!("expected ReplicationGroupNotFoundFault, got {error:?}");
    };
    assert_eq!(
        fault.message.as_deref(),
        Some("ReplicationGroup my-rg not found."),
        "filled from <Message>"
    );
    assert_eq!(error.code(), Some("ReplicationGroupNotFoundFault"));
    assert_eq!(
        error.to_string(),
        "ReplicationGroupNotFoundFault: ReplicationGroup my-rg not found."
    );
}

#[test]
fn unknown_codes_and_non_xml_bodies_are_unhandled_with_details() {
    let body = br#"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-9</RequestId></ErrorResponse>"#;
    let StartMigrationError::Unhandled(unhandled) = start_migration::deserialize_error(400, body)
    else {
        panic!()
    };
    assert_eq!(
        (unhandled.code.as_deref(), unhandled.message.as_deref()),
        (Some("Throttling"), Some("Rate exceeded"))
    );
    assert_eq!(
        (unhandled.request_id.as_deref(), unhandled.status),
        (Some("r-9"), 400)
    );

    let html =
        b"<html><head><title>500 Internal Server Error</title></head><body>oops</body></html>";
    let StartMigrationError::Unhandled(unhandled) = start_migration::deserialize_error(500, html)
    else {
        panic!()
    };
    assert_eq!(unhandled.status, 500);
    assert!(unhandled.parse_error.is_some());
    assert!(unhandled.body_excerpt.starts_with("<html>"));

    for broken in [
        &b""[..],
        b"<ErrorResponse><Error><Code>X",
        b"\xff\xfe",
        b"plain text",
    ] {
        let StartMigrationError::Unhandled(unhandled) =
            start_migration::deserialize_error(503, broken)
        else {
            panic!()
        };
        assert!(unhandled.parse_error.is_some(), "{broken:?}");
    }
}

#[test]
fn broken_success_bodies_are_typed_errors() {
    let good = fixture("start_migration.xml");
    for cut in [0, 1, 10, good.len() / 2, good.len() - 5] {
        let error = start_migration::deserialize_response(&good[..cut]).unwrap_err();
        assert!(!error.to_string().is_empty());
    }
    let wrong_root = describe::deserialize_response(&good).unwrap_err();
    assert_eq!(
        wrong_root.kind(),
        &querygen_runtime::xml::XmlErrorKind::WrongRoot {
            expected: "DescribeReplicationGroupsResponse".into(),
            found: "StartMigrationResponse".into()
        }
    );
    let bad_number = br#"<DescribeReplicationGroupsResponse><DescribeReplicationGroupsResult><ReplicationGroups><ReplicationGroup><MemberClustersOutpostArns/><CacheNodeType>x</CacheNodeType><ReplicationGroupCreateTime>yesterday</ReplicationGroupCreateTime></ReplicationGroup></ReplicationGroups></DescribeReplicationGroupsResult></DescribeReplicationGroupsResponse>"#;
    let error = describe::deserialize_response(bad_number).unwrap_err();
    assert!(error.to_string().starts_with("element <ReplicationGroupCreateTime> should hold an RFC 3339 timestamp, found \"yesterday\""), "{error}");
}
