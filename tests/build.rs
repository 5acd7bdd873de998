//! Generates code the workspace tests run, with the real generator:
//! - `build/protocol.rs`: the awsQuery compliance suites and one test per case;
//! - `build/round_trip.rs`: proptest strategies and round-trip properties for
//!   every ElastiCache and SNS operation;
//! - `build/endpoints.rs`: one test per endpoint test case, against the
//!   generated endpoint resolvers.
//!
//! The data comes from outside the repository, through the variables `.ci/run` sets.

use std::path::PathBuf;

#[path = "build/endpoints.rs"]
mod endpoints;
#[path = "build/protocol.rs"]
mod protocol;
#[path = "build/round_trip.rs"]
mod round_trip;

fn data_dir(env: &str, what: &str) -> PathBuf {
    println!("cargo:rerun-if-env-changed={env}");
    let dir = std::env::var_os(env)
        .unwrap_or_else(|| panic!("{env} is not set: point it at {what} (`.ci/run` sets it)"));
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    manifest_dir.join("..").join(dir)
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    protocol::generate(
        &data_dir("PROTOCOL_TESTS_DIR", "botocore's awsQuery protocol tests"),
        &out,
    );
    round_trip::generate(&out);
    // Read through xtask, which finds the data with these variables and the pins.
    for env in [xtask::MODELS_ENV, xtask::ENDPOINTS_ENV] {
        println!("cargo:rerun-if-env-changed={env}");
    }
    println!("cargo:rerun-if-changed=../models/manifest.json");
    endpoints::generate(&out);
}
