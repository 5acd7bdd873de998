//! Any text as the shared config or credentials file: profiles or a `ConfigError`
//! naming the line, never a panic.
#![no_main]

use querygen_client::config::profile::{parse_file, FileKind};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = std::path::Path::new("fuzz");
    for kind in [FileKind::Config, FileKind::Credentials] {
        if let Err(error) = parse_file(kind, path, text) {
            assert!(!error.to_string().is_empty());
        }
    }
});
