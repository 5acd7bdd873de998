//! `cargo xtask`: regenerate, check and exercise the generated crates.

mod fuzz;

use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen           regenerate every crate under generated/ from the models
  codegen --check   exit non-zero, naming each stale, missing or orphaned file, if generated/ is out of date
{GENERATE}
{ADD_SERVICE}
  check-models      generate every pinned upstream model into target/check-models and `cargo check` them
  bench [RUNS]      build the benchmark binary and run it beside aws-sdk-elasticache with the shared
                    harness ($ELASTICACHE_BENCH_DIR/run_bench.sh), RUNS times each (default 3)
  build-times [production]
                    clean release builds, one after another on an otherwise idle machine: the generated
                    crate with all operations, with StartMigration alone (both with the client and no
                    TLS), then aws-sdk-elasticache through $ELASTICACHE_BENCH_DIR/measure_build.sh; also
                    the release rebuild of a downstream binary that calls every operation; and a
                    production-shaped binary (StartMigration, Client::from_env, default features) on
                    each side, with binary sizes and crate counts (`production`: only that pair)
  sdk-test-data     fetch the aws-runtime crate, which ships the AWS SDKs' shared test suites, into
                    cargo's registry and print its test-data folder (for AWS_SDK_TEST_DATA_DIR)
  fuzz [SECONDS] [TARGET...]
                    coverage-guided cargo-fuzz runs of the targets in tests/fuzz/, SECONDS each (default
                    600), one after another; needs a nightly toolchain and cargo-fuzz. Corpus, logs,
                    crash artifacts and a summary (report.md) go to target/fuzz/

Upstream models are read from $SMITHY_MODELS_DIR (a checkout of aws/api-models-aws or its models/ folder),
the partition data for endpoint rules from $ENDPOINTS_DIR (the folder holding partitions.json).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["generate", rest @ ..] => generate(rest),
        ["add-service", rest @ ..] => add_service(rest),
        ["check-models"] => check_models(),
        ["bench"] => bench("3"),
        ["bench", runs] => bench(runs),
        ["build-times"] => build_times(),
        ["build-times", "production"] => production_table(),
        ["fuzz", rest @ ..] => fuzz::run(rest),
        ["sdk-test-data"] => sdk_test_data(),
        ["help" | "--help" | "-h"] => {
            println!("{}", usage());
            Ok(())
        }
        _ => Err(xtask::TaskError(format!(
            "unknown arguments {args:?}\n\n{}",
            usage()
        ))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> String {
    USAGE
        .replace("{GENERATE}", xtask::generate::USAGE)
        .replace("{ADD_SERVICE}", xtask::add_service::USAGE)
}

fn generate(args: &[&str]) -> Result<(), xtask::TaskError> {
    let args = xtask::generate::GenerateArgs::parse(args)?;
    let generated = xtask::generate::run(&args)?;
    for notice in &generated.notices {
        eprintln!("notice: {notice}");
    }
    eprintln!(
        "generated {} ({}, {} operations, {} files, {} lines) into {}",
        generated.crate_name,
        generated.service,
        generated.operations,
        generated.files,
        generated.lines,
        generated.out.display()
    );
    if args.timings {
        let t = &generated.times;
        eprintln!(
            "timings: read+parse {} ms, lower {} ms, emit {} ms cpu, format {} ms cpu, emit+format {} ms wall, write {} ms, total {} ms",
            ms(t.read),
            ms(t.generator.lower),
            ms(t.generator.emit),
            ms(t.generator.format),
            ms(t.generator.emit_and_format_wall),
            ms(t.write),
            ms(t.total)
        );
    }
    Ok(())
}

fn add_service(args: &[&str]) -> Result<(), xtask::TaskError> {
    use xtask::add_service::PinChange;
    let args = xtask::add_service::AddServiceArgs::parse(args)?;
    let added = xtask::add_service::run(&args)?;
    let would = if args.dry_run { "would " } else { "" };
    match &added.change {
        PinChange::Added => eprintln!(
            "models/manifest.json: {would}pin `{}` = {} (sha256 {}), service {}",
            args.name, added.path, added.sha256, added.service
        ),
        PinChange::Updated {
            path,
            sha256,
            was_generated,
        } => {
            if *path != added.path || *sha256 != added.sha256 {
                eprintln!(
                    "models/manifest.json: {would}move `{}` from {path} (sha256 {sha256}) to {} (sha256 {})",
                    args.name, added.path, added.sha256
                );
            }
            if !was_generated {
                eprintln!(
                    "models/manifest.json: {would}generate `{}` into generated/{}",
                    args.name, args.name
                );
            }
        }
        PinChange::Unchanged => eprintln!(
            "models/manifest.json: `{}` already pins this file (sha256 {})",
            args.name, added.sha256
        ),
    }
    if added.member_added {
        eprintln!(
            "Cargo.toml: {would}add generated/{} to the workspace members",
            args.name
        );
    }
    eprintln!("generated/: {} file(s) {would}change", added.files_updated);
    if !args.dry_run && added.files_updated > 0 {
        eprintln!(
            "review with `git diff --stat generated/ models/manifest.json Cargo.toml`, then commit"
        );
    }
    Ok(())
}

fn ms(d: std::time::Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn codegen(check_only: bool) -> Result<(), xtask::TaskError> {
    let started = Instant::now();
    let plan = xtask::plan()?;
    let problems = xtask::check(&plan)?;
    let write = if check_only || problems.is_empty() {
        None
    } else {
        Some(xtask::write(&plan)?)
    };

    eprintln!(
        "{:<28} {:>5} {:>8} {:>8} {:>12} {:>12} {:>13} {:>7}",
        "crate",
        "files",
        "load ms",
        "lower ms",
        "emit cpu ms",
        "fmt cpu ms",
        "emit+fmt wall",
        "lines"
    );
    for krate in &plan {
        let t = &krate.output.timings;
        let lines: usize = krate
            .output
            .files
            .iter()
            .map(|f| f.contents.lines().count())
            .sum();
        eprintln!(
            "{:<28} {:>5} {:>8} {:>8} {:>12} {:>12} {:>13} {:>7}",
            krate.dir,
            krate.output.files.len(),
            ms(t.load),
            ms(t.lower),
            ms(t.emit),
            ms(t.format),
            ms(t.emit_and_format_wall),
            lines
        );
    }
    if let Some(write) = write {
        eprintln!("write: {} ms", ms(write));
    }
    eprintln!("total: {} ms", ms(started.elapsed()));

    if problems.is_empty() {
        eprintln!("generated/ is up to date");
        return Ok(());
    }
    if check_only {
        for problem in &problems {
            eprintln!("{problem}");
        }
        return Err(xtask::TaskError(format!(
            "{} generated file(s) out of date; run `cargo xtask codegen` to regenerate",
            problems.len()
        )));
    }
    for problem in &problems {
        eprintln!("updated {problem}");
    }
    Ok(())
}

fn check_models() -> Result<(), xtask::TaskError> {
    let scratch = xtask::workspace_root().join("target/check-models");
    let started = Instant::now();
    let crates = xtask::check_models(&scratch)?;
    eprintln!(
        "{} models generated and checked in {:.1} s: {}",
        crates.len(),
        started.elapsed().as_secs_f64(),
        crates.join(", ")
    );
    Ok(())
}

/// Builds `querygen-bench` in release mode and runs the shared harness with it beside the anchor SDK.
fn bench(runs: &str) -> Result<(), xtask::TaskError> {
    if runs.parse::<u32>().map_or(true, |n| n == 0) {
        return Err(xtask::TaskError(format!(
            "RUNS must be a positive number, not {runs:?}"
        )));
    }
    let root = xtask::workspace_root();
    let harness = std::env::var_os("ELASTICACHE_BENCH_DIR").map(|d| root.join(d)).ok_or_else(|| {
        xtask::TaskError("ELASTICACHE_BENCH_DIR is not set: point it at the shared bench folder (e.g. ../shared/bench)".into())
    })?;
    let script = harness.join("run_bench.sh");
    if !script.is_file() {
        return Err(xtask::TaskError(format!("{} not found", script.display())));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(&cargo)
        .args([
            "build",
            "--release",
            "--package",
            "workspace-tests",
            "--bin",
            "querygen-bench",
        ])
        .current_dir(&root)
        .status()
        .map_err(|e| xtask::TaskError(format!("cannot run cargo: {e}")))?;
    if !status.success() {
        return Err(xtask::TaskError("building querygen-bench failed".into()));
    }
    let binary = root.join("target/release/querygen-bench");
    let status = std::process::Command::new("bash")
        .arg(&script)
        .arg(runs)
        .env("EXTRA_IMPLS", format!("querygen={}", binary.display()))
        .current_dir(&harness)
        .status()
        .map_err(|e| xtask::TaskError(format!("cannot run {}: {e}", script.display())))?;
    if status.success() {
        Ok(())
    } else {
        Err(xtask::TaskError(format!("{} failed", script.display())))
    }
}

/// Clean release build of the generated crate with `features` (and no default features),
/// in a fresh target dir under /tmp; returns the wall time in seconds.
fn timed_clean_build(features: &str, label: &str) -> Result<f64, xtask::TaskError> {
    let root = xtask::workspace_root();
    let target = std::env::temp_dir().join(format!("querygen-build-times-{label}"));
    let _ = std::fs::remove_dir_all(&target);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = Instant::now();
    let status = std::process::Command::new(&cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "elasticache",
            "--no-default-features",
            "--features",
            features,
        ])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&root)
        .status()
        .map_err(|e| xtask::TaskError(format!("cannot run cargo: {e}")))?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&target);
    if status.success() {
        Ok(seconds)
    } else {
        Err(xtask::TaskError(format!("the {label} build failed")))
    }
}

/// Clean release build of a crate that only depends on `aws-sigv4` (with the
/// features and companions the runtime's `client` feature uses, at the
/// workspace's locked versions): the floor under any client built on it.
fn timed_signer_floor() -> Result<f64, xtask::TaskError> {
    let root = xtask::workspace_root();
    let err = |what: &str, e: std::io::Error| xtask::TaskError(format!("{what}: {e}"));
    let dir = std::env::temp_dir().join("querygen-build-times-signer");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).map_err(|e| err("cannot create the crate", e))?;
    let workspace = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| err("cannot read the workspace Cargo.toml", e))?;
    // The same dependency lines as the workspace's, so versions and features match.
    let wanted = [
        "aws-sigv4 =",
        "aws-credential-types =",
        "aws-smithy-runtime-api =",
    ];
    let lines: Vec<&str> = workspace
        .lines()
        .filter(|l| wanted.iter().any(|w| l.starts_with(w)))
        .collect();
    if lines.len() != wanted.len() {
        return Err(xtask::TaskError(
            "the workspace Cargo.toml does not list the signer's dependencies".into(),
        ));
    }
    let manifest = format!(
        "[package]\nname = \"signer-floor\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
         [dependencies]\n{}\n\n[workspace]\n",
        lines.join("\n")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)
        .map_err(|e| err("cannot write Cargo.toml", e))?;
    std::fs::write(dir.join("src/lib.rs"), "").map_err(|e| err("cannot write lib.rs", e))?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| err("cannot copy Cargo.lock", e))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = Instant::now();
    let status = std::process::Command::new(&cargo)
        .args(["build", "--release", "--quiet"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .current_dir(&dir)
        .status()
        .map_err(|e| err("cannot run cargo", e))?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    if status.success() {
        Ok(seconds)
    } else {
        Err(xtask::TaskError(
            "the signer-only crate does not build".into(),
        ))
    }
}

/// A downstream binary that calls `send()` on every operation: builds it once with
/// its dependencies, then times a rebuild of that crate alone, which is what each
/// operation's client code costs the crate that uses it.
fn timed_downstream_rebuild(operations: &[&str]) -> Result<f64, xtask::TaskError> {
    let root = xtask::workspace_root();
    let err = |what: &str, e: std::io::Error| xtask::TaskError(format!("{what}: {e}"));
    let dir = std::env::temp_dir().join("querygen-build-times-downstream");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).map_err(|e| err("cannot create the crate", e))?;
    let features: Vec<String> = std::iter::once("client")
        .chain(operations.iter().copied())
        .map(|f| format!("{f:?}"))
        .collect();
    let manifest = format!(
        "[package]\nname = \"downstream\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
         [dependencies]\nelasticache = {{ path = {:?}, default-features = false, features = [{}] }}\n\
         tokio = {{ version = \"1\", features = [\"rt\"] }}\n\n[workspace]\n",
        root.join("generated/elasticache").display().to_string(),
        features.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)
        .map_err(|e| err("cannot write Cargo.toml", e))?;
    // The workspace's lock, so the same dependency versions are built.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| err("cannot copy Cargo.lock", e))?;
    let calls: String = operations
        .iter()
        .map(|op| {
            format!(
                "    let _ = client.{}().send().await;\n",
                op.replace('-', "_")
            )
        })
        .collect();
    let main = |marker: u32| {
        format!(
            "// build {marker}\nasync fn all(client: &elasticache::Client) {{\n{calls}}}\n\n\
             fn main() {{\n    let config = elasticache::client::Config::builder().region(\"us-east-1\").build();\n    \
             let client = elasticache::Client::from_conf(config);\n    \
             if let Ok(runtime) = tokio::runtime::Builder::new_current_thread().build() {{\n        \
             runtime.block_on(all(&client));\n    }}\n}}\n"
        )
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let build = || {
        std::process::Command::new(&cargo)
            .args(["build", "--release", "--quiet"])
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .current_dir(&dir)
            .status()
            .map_err(|e| err("cannot run cargo", e))
    };
    std::fs::write(dir.join("src/main.rs"), main(1)).map_err(|e| err("cannot write main.rs", e))?;
    if !build()?.success() {
        return Err(xtask::TaskError(
            "the downstream crate does not build".into(),
        ));
    }
    std::fs::write(dir.join("src/main.rs"), main(2)).map_err(|e| err("cannot write main.rs", e))?;
    let started = Instant::now();
    let status = build()?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    if status.success() {
        Ok(seconds)
    } else {
        Err(xtask::TaskError("the downstream rebuild failed".into()))
    }
}

/// What a production-shaped binary cost: a clean release build, the binary, its crates.
struct Production {
    seconds: f64,
    binary_bytes: u64,
    crates: usize,
}

/// A downstream binary as a production service would have it: StartMigration
/// through a client from the environment (default credentials chain, TLS), default
/// features. `ours` builds on the generated crate; otherwise on
/// `aws-sdk-elasticache` 1.129.0 with `aws-config`, their default features, at the
/// versions crates.io resolves today.
fn timed_production_binary(ours: bool) -> Result<Production, xtask::TaskError> {
    let root = xtask::workspace_root();
    let err = |what: &str, e: std::io::Error| xtask::TaskError(format!("{what}: {e}"));
    let label = if ours { "ours" } else { "theirs" };
    let dir = std::env::temp_dir().join(format!("querygen-build-times-production-{label}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).map_err(|e| err("cannot create the crate", e))?;
    let tokio = "tokio = { version = \"1\", features = [\"rt\", \"macros\"] }";
    let (dependencies, main) = if ours {
        (
            format!(
                "elasticache = {{ path = {:?} }}\n{tokio}\n",
                root.join("generated/elasticache").display().to_string()
            ),
            "#[tokio::main(flavor = \"current_thread\")]\n\
             async fn main() -> Result<(), Box<dyn std::error::Error>> {\n    \
             let client = elasticache::Client::from_env()?;\n    \
             let output = client.start_migration().replication_group_id(\"rg\").send().await?;\n    \
             println!(\"{:?}\", output.replication_group);\n    Ok(())\n}\n",
        )
    } else {
        (
            format!("aws-config = \"1\"\naws-sdk-elasticache = \"=1.129.0\"\n{tokio}\n"),
            "#[tokio::main(flavor = \"current_thread\")]\n\
             async fn main() -> Result<(), Box<dyn std::error::Error>> {\n    \
             let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;\n    \
             let client = aws_sdk_elasticache::Client::new(&config);\n    \
             let output = client.start_migration().replication_group_id(\"rg\").send().await?;\n    \
             println!(\"{:?}\", output.replication_group);\n    Ok(())\n}\n",
        )
    };
    let manifest = format!(
        "[package]\nname = \"production-{label}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
         [dependencies]\n{dependencies}\n[profile.release]\nstrip = \"debuginfo\"\n\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)
        .map_err(|e| err("cannot write Cargo.toml", e))?;
    std::fs::write(dir.join("src/main.rs"), main).map_err(|e| err("cannot write main.rs", e))?;
    if ours {
        // The workspace's lock, so the same dependency versions are built.
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
            .map_err(|e| err("cannot copy Cargo.lock", e))?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = dir.join("target");
    // Fetch first: downloads are not build time.
    let fetched = std::process::Command::new(&cargo)
        .args(["fetch", "--quiet"])
        .current_dir(&dir)
        .status()
        .map_err(|e| err("cannot run cargo", e))?;
    if !fetched.success() {
        return Err(xtask::TaskError(format!(
            "cargo fetch failed for the {label} binary"
        )));
    }
    let started = Instant::now();
    let status = std::process::Command::new(&cargo)
        .args(["build", "--release", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&dir)
        .status()
        .map_err(|e| err("cannot run cargo", e))?;
    let seconds = started.elapsed().as_secs_f64();
    if !status.success() {
        return Err(xtask::TaskError(format!(
            "the {label} binary does not build"
        )));
    }
    let binary_bytes = std::fs::metadata(target.join(format!("release/production-{label}")))
        .map_err(|e| err("no binary", e))?
        .len();
    let tree = std::process::Command::new(&cargo)
        .args(["tree", "--prefix", "none", "-e", "normal", "--quiet"])
        .current_dir(&dir)
        .output()
        .map_err(|e| err("cannot run cargo tree", e))?;
    // Unique packages (name and version) of the binary's normal dependency tree, itself included.
    let crates: std::collections::BTreeSet<String> = String::from_utf8_lossy(&tree.stdout)
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Production {
        seconds,
        binary_bytes,
        crates: crates.len(),
    })
}

/// Build times of the generated crate and of aws-sdk-elasticache, measured in one run.
fn build_times() -> Result<(), xtask::TaskError> {
    let root = xtask::workspace_root();
    let harness = std::env::var_os("ELASTICACHE_BENCH_DIR").map(|d| root.join(d)).ok_or_else(|| {
        xtask::TaskError("ELASTICACHE_BENCH_DIR is not set: point it at the shared bench folder (e.g. ../shared/bench)".into())
    })?;
    let script = harness.join("measure_build.sh");
    if !script.is_file() {
        return Err(xtask::TaskError(format!("{} not found", script.display())));
    }
    let manifest = root.join("generated/elasticache/Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .map_err(|e| xtask::TaskError(format!("cannot read {}: {e}", manifest.display())))?;
    // Every operation feature: the `default` list without the TLS transport.
    let default_line = text
        .lines()
        .find(|l| l.starts_with("default = ["))
        .ok_or_else(|| {
            xtask::TaskError(format!("{} has no default features", manifest.display()))
        })?;
    let operations: Vec<&str> = default_line
        .trim_start_matches("default = [")
        .trim_end_matches(']')
        .split(',')
        .map(|f| f.trim().trim_matches('"'))
        .filter(|f| !f.is_empty() && *f != "rustls")
        .collect();
    let all = format!("client,{}", operations.join(","));
    eprintln!(
        "== generated crate, all {} operations, client without TLS",
        operations.len()
    );
    let all_secs = timed_clean_build(&all, "all")?;
    eprintln!("   {all_secs:.1} s");
    eprintln!("== generated crate, StartMigration only, client without TLS");
    let one_secs = timed_clean_build("client,start-migration", "start-migration")?;
    eprintln!("   {one_secs:.1} s");
    eprintln!("== generated crate, all operations, sans-IO (no client feature)");
    let sans_io_secs = timed_clean_build(&operations.join(","), "sans-io")?;
    eprintln!("   {sans_io_secs:.1} s");
    eprintln!("== aws-sigv4 and its dependencies alone (what the client feature builds on)");
    let signer_secs = timed_signer_floor()?;
    eprintln!("   {signer_secs:.1} s");
    eprintln!(
        "== a downstream binary calling every operation's send(): rebuild of that crate alone"
    );
    let downstream_secs = timed_downstream_rebuild(&operations)?;
    eprintln!("   {downstream_secs:.1} s");
    eprintln!("== production-shaped binary on the generated crate: StartMigration, Client::from_env, default features");
    let ours = timed_production_binary(true)?;
    eprintln!("   {:.1} s", ours.seconds);
    eprintln!("== the same on aws-sdk-elasticache 1.129.0 + aws-config, default features");
    let theirs = timed_production_binary(false)?;
    eprintln!("   {:.1} s", theirs.seconds);
    eprintln!("== aws-sdk-elasticache 1.129.0, default features off plus rt-tokio (the harness's measure_build.sh)");
    let output = std::process::Command::new("bash")
        .arg(&script)
        .arg("1")
        .current_dir(&harness)
        .output()
        .map_err(|e| xtask::TaskError(format!("cannot run {}: {e}", script.display())))?;
    let report = String::from_utf8_lossy(&output.stdout);
    eprint!("{report}");
    if !output.status.success() {
        return Err(xtask::TaskError(format!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    // The first "wall:" line is the SDK's full clean build.
    let sdk_secs: f64 = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("wall: "))
        .and_then(|w| w.trim_end_matches(" s").parse().ok())
        .ok_or_else(|| xtask::TaskError("measure_build.sh printed no wall time".into()))?;
    println!(
        "| build (clean, release, with dependencies, no TLS) | seconds | vs aws-sdk-elasticache |"
    );
    println!("| --- | ---: | ---: |");
    println!("| aws-sdk-elasticache 1.129.0 (`anchor-sdk`) | {sdk_secs:.1} | 1 |");
    println!(
        "| generated crate, all {} operations | {all_secs:.1} | 1/{:.1} |",
        operations.len(),
        sdk_secs / all_secs
    );
    println!(
        "| generated crate, StartMigration only | {one_secs:.1} | 1/{:.1} |",
        sdk_secs / one_secs
    );
    println!(
        "| generated crate, all operations, sans-IO (no client) | {sans_io_secs:.1} | 1/{:.1} |",
        sdk_secs / sans_io_secs
    );
    println!(
        "| `aws-sigv4` with its dependencies, nothing else | {signer_secs:.1} | 1/{:.1} |",
        sdk_secs / signer_secs
    );
    println!(
        "\nA downstream binary calling all {} operations' `send()`: {downstream_secs:.1} s to rebuild that crate alone (release).",
        operations.len()
    );
    print_production(&ours, &theirs);
    Ok(())
}

/// Only the production-shaped pair (`cargo xtask build-times production`).
fn production_table() -> Result<(), xtask::TaskError> {
    eprintln!("== production-shaped binary on the generated crate");
    let ours = timed_production_binary(true)?;
    eprintln!("== the same on aws-sdk-elasticache 1.129.0 + aws-config");
    let theirs = timed_production_binary(false)?;
    print_production(&ours, &theirs);
    Ok(())
}

fn print_production(ours: &Production, theirs: &Production) {
    println!("\n| production-shaped binary: StartMigration, client from the environment, default features | clean release build, s | binary, MB | crates |");
    println!("| --- | ---: | ---: | ---: |");
    let mb = |bytes: u64| bytes as f64 / 1_000_000.0;
    println!(
        "| `aws-sdk-elasticache` 1.129.0 + `aws-config` | {:.1} | {:.1} | {} |",
        theirs.seconds,
        mb(theirs.binary_bytes),
        theirs.crates
    );
    println!(
        "| generated crate (credential chain, rustls) | {:.1} (1/{:.1}) | {:.1} (1/{:.1}) | {} |",
        ours.seconds,
        theirs.seconds / ours.seconds,
        mb(ours.binary_bytes),
        theirs.binary_bytes as f64 / ours.binary_bytes as f64,
        ours.crates
    );
}

/// The version of `aws-runtime` whose `test-data/` the tests read.
const AWS_RUNTIME: &str = "1.10.2";

/// Fetches `aws-runtime` (only its source, nothing is built) and prints the
/// folder of the AWS SDKs' shared test suites it ships. They are public data
/// that is not ours: read from cargo's registry, never copied into the project.
fn sdk_test_data() -> Result<(), xtask::TaskError> {
    let root = xtask::workspace_root();
    let err = |what: &str, e: std::io::Error| xtask::TaskError(format!("{what}: {e}"));
    let dir = root.join("target/sdk-test-data");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| err("cannot create the crate", e))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"sdk-test-data\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\naws-runtime = \"={AWS_RUNTIME}\"\n\n[workspace]\n"
        ),
    )
    .map_err(|e| err("cannot write Cargo.toml", e))?;
    std::fs::write(dir.join("src/lib.rs"), "").map_err(|e| err("cannot write lib.rs", e))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = dir.join("Cargo.toml");
    let metadata = std::process::Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(&manifest)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| err("cannot run cargo metadata", e))?;
    if !metadata.status.success() {
        return Err(xtask::TaskError(format!(
            "cargo metadata failed for aws-runtime {AWS_RUNTIME}"
        )));
    }
    let doc: serde_json::Value = serde_json::from_slice(&metadata.stdout)
        .map_err(|e| xtask::TaskError(format!("cargo metadata printed no JSON: {e}")))?;
    let runtime = doc["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "aws-runtime")
        .and_then(|p| p["manifest_path"].as_str())
        .ok_or_else(|| xtask::TaskError("cargo metadata lists no aws-runtime".into()))?;
    let data = std::path::Path::new(runtime)
        .parent()
        .map(|p| p.join("test-data"))
        .filter(|p| p.join("file-location-tests.json").is_file())
        .ok_or_else(|| {
            xtask::TaskError(format!(
                "aws-runtime {AWS_RUNTIME} at {runtime} has no test-data/file-location-tests.json"
            ))
        })?;
    println!("{}", data.display());
    Ok(())
}
