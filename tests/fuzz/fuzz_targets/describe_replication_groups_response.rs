//! Any bytes as a DescribeReplicationGroups response body (lists, nested structures,
//! timestamps): an output or a typed error, never a panic.
#![no_main]

use elasticache::operation::describe_replication_groups;

libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    if let Ok(output) = describe_replication_groups::deserialize_response(body) {
        let _ = format!("{output:?}");
    }
});
