//! Any bytes as a StartMigration response body: an output or a typed error, never a panic.
#![no_main]

use elasticache::operation::start_migration;

libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    if let Ok(output) = start_migration::deserialize_response(body) {
        // A parsed output formats without panicking too.
        let _ = format!("{output:?}");
    }
});
