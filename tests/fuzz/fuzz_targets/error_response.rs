//! Any bytes as an error response: the operation's error enum, which always renders.
#![no_main]

use elasticache::operation::start_migration;

libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    let error = start_migration::deserialize_error(400, body);
    assert!(!error.to_string().is_empty());
});
