//! Any bytes as a StartMigration request body on the server side: an input or a
//! typed error, never a panic. A parsed input serializes to a body that parses
//! back to an input serializing the same way (awsQuery cannot tell an empty
//! structure from an absent one, so the fixpoint is on the body, not the input).
#![no_main]

use elasticache::operation::start_migration;

libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    if let Ok(input) = start_migration::deserialize_request(body) {
        let first = start_migration::serialize_query_body(&input);
        let reparsed = start_migration::deserialize_request(first.as_bytes())
            .unwrap_or_else(|e| panic!("our own body {first:?} does not parse: {e}"));
        assert_eq!(start_migration::serialize_query_body(&reparsed), first);
    }
});
