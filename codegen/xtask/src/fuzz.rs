//! `cargo xtask fuzz`: coverage-guided runs of the cargo-fuzz targets in
//! `tests/fuzz/`, one after another, with a summary of what each did.
//!
//! The corpus of each target starts from its committed seeds
//! (`tests/fuzz/seeds/<target>/`), the snapshot models (loader) and, when
//! `$ELASTICACHE_BENCH_DIR` is set, the small fixtures its generator writes. The
//! working corpus and any crash artifacts go under `target/fuzz/`, never into
//! the repository.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use xtask::TaskError;

/// One fuzz target: its binary name, its dictionary and the largest input to try.
struct Target {
    name: &'static str,
    dict: &'static str,
    max_len: u32,
    /// Fixture files of the bench generator that make good seeds.
    fixtures: &'static [&'static str],
}

const TARGETS: &[Target] = &[
    Target {
        name: "start_migration_response",
        dict: "xml.dict",
        max_len: 16_384,
        fixtures: &["start_migration.xml"],
    },
    Target {
        name: "describe_replication_groups_response",
        dict: "xml.dict",
        max_len: 16_384,
        fixtures: &[
            "describe_replication_groups_0.xml",
            "describe_replication_groups_1.xml",
        ],
    },
    Target {
        name: "error_response",
        dict: "xml.dict",
        max_len: 4_096,
        fixtures: &["error_replication_group_not_found.xml"],
    },
    Target {
        name: "start_migration_request",
        dict: "query.dict",
        max_len: 4_096,
        fixtures: &[],
    },
    Target {
        name: "model_loader",
        dict: "json.dict",
        max_len: 65_536,
        fixtures: &[],
    },
    Target {
        name: "shared_config_files",
        dict: "ini.dict",
        max_len: 4_096,
        fixtures: &[],
    },
];

/// What one run reported.
struct Outcome {
    name: &'static str,
    seconds: f64,
    executions: Option<u64>,
    coverage: Option<String>,
    peak_rss_mb: Option<u64>,
    corpus_files: usize,
    crashed: bool,
}

pub fn run(args: &[&str]) -> Result<(), TaskError> {
    let (seconds, only): (u64, Vec<&str>) = match args.split_first() {
        None => (600, Vec::new()),
        Some((first, rest)) => match first.parse() {
            Ok(s) if s > 0 => (s, rest.to_vec()),
            _ => (600, args.to_vec()),
        },
    };
    for name in &only {
        if !TARGETS.iter().any(|t| t.name == *name) {
            let known: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
            return Err(TaskError(format!(
                "unknown fuzz target {name:?}; the targets are {known:?}"
            )));
        }
    }
    check_tools()?;
    let root = xtask::workspace_root();
    let work = root.join("target/fuzz");
    let fixtures = bench_fixtures(&work)?;
    let mut outcomes = Vec::new();
    for target in TARGETS
        .iter()
        .filter(|t| only.is_empty() || only.contains(&t.name))
    {
        let corpus = work.join("corpus").join(target.name);
        seed(&root, target, &corpus, fixtures.as_deref())?;
        outcomes.push(run_target(&root, &work, target, &corpus, seconds)?);
    }
    let report = report(&outcomes, seconds);
    println!("\n{report}");
    let path = work.join("report.md");
    std::fs::write(&path, &report)
        .map_err(|e| TaskError(format!("cannot write {}: {e}", path.display())))?;
    println!("(also written to target/fuzz/report.md)");
    if outcomes.iter().any(|o| o.crashed) {
        return Err(TaskError(
            "a fuzz target found a failure: see target/fuzz/artifacts/".into(),
        ));
    }
    Ok(())
}

/// cargo-fuzz and a nightly toolchain, or a clear message saying how to get them.
fn check_tools() -> Result<(), TaskError> {
    let fuzz = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .output();
    match fuzz {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(TaskError(format!(
            "`cargo +nightly fuzz` is not available ({}): install a nightly toolchain \
             (`rustup toolchain install nightly`) and `cargo install cargo-fuzz`",
            String::from_utf8_lossy(&out.stderr).trim()
        ))),
        Err(e) => Err(TaskError(format!("cannot run cargo: {e}"))),
    }
}

/// The bench generator's fixtures, written under `work` when `$ELASTICACHE_BENCH_DIR`
/// is set; `None` (and a note) when it is not, as they are only extra seeds.
fn bench_fixtures(work: &Path) -> Result<Option<PathBuf>, TaskError> {
    let Some(bench) = std::env::var_os("ELASTICACHE_BENCH_DIR") else {
        eprintln!("note: ELASTICACHE_BENCH_DIR is not set; seeding from the committed seeds only");
        return Ok(None);
    };
    let root = xtask::workspace_root();
    let script = root.join(bench).join("fixtures/gen_fixtures.py");
    // The generator reads the model from a file: the pinned, verified text.
    let (_, _, model) = xtask::pinned("elasticache")?;
    std::fs::create_dir_all(work)
        .map_err(|e| TaskError(format!("cannot create {}: {e}", work.display())))?;
    let model_path = work.join("elasticache.json");
    std::fs::write(&model_path, model)
        .map_err(|e| TaskError(format!("cannot write {}: {e}", model_path.display())))?;
    let out = work.join("fixtures");
    let status = Command::new("python3")
        .arg(&script)
        .arg("--model")
        .arg(&model_path)
        .arg("--out")
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| TaskError(format!("cannot run {}: {e}", script.display())))?;
    if !status.success() {
        return Err(TaskError(format!("{} failed", script.display())));
    }
    Ok(Some(out))
}

fn copy_into(from: &Path, dir: &Path) -> Result<(), TaskError> {
    let name = from
        .file_name()
        .ok_or_else(|| TaskError(format!("{} has no file name", from.display())))?;
    std::fs::copy(from, dir.join(name))
        .map(drop)
        .map_err(|e| TaskError(format!("cannot copy {}: {e}", from.display())))
}

/// Puts the target's seeds into its corpus folder (kept between runs).
fn seed(
    root: &Path,
    target: &Target,
    corpus: &Path,
    fixtures: Option<&Path>,
) -> Result<(), TaskError> {
    std::fs::create_dir_all(corpus)
        .map_err(|e| TaskError(format!("cannot create {}: {e}", corpus.display())))?;
    let seeds = root.join("tests/fuzz/seeds").join(target.name);
    if seeds.is_dir() {
        for entry in std::fs::read_dir(&seeds)
            .map_err(|e| TaskError(format!("cannot read {}: {e}", seeds.display())))?
        {
            let entry = entry.map_err(|e| TaskError(format!("{}: {e}", seeds.display())))?;
            copy_into(&entry.path(), corpus)?;
        }
    }
    if target.name == "model_loader" {
        for model in ["shapes.json", "naming.json", "endpoints.json"] {
            copy_into(&root.join("models/snapshots").join(model), corpus)?;
        }
    }
    if let Some(dir) = fixtures {
        for file in target.fixtures {
            copy_into(&dir.join(file), corpus)?;
        }
    }
    Ok(())
}

fn run_target(
    root: &Path,
    work: &Path,
    target: &Target,
    corpus: &Path,
    seconds: u64,
) -> Result<Outcome, TaskError> {
    let artifacts = work.join("artifacts").join(target.name);
    std::fs::create_dir_all(&artifacts)
        .map_err(|e| TaskError(format!("cannot create {}: {e}", artifacts.display())))?;
    let dict = root.join("tests/fuzz/dict").join(target.dict);
    println!("== {} for {seconds} s", target.name);
    let started = Instant::now();
    let output = Command::new("cargo")
        .args(["+nightly", "fuzz", "run", "--fuzz-dir", "tests/fuzz", "-O"])
        .arg(target.name)
        .arg(corpus)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-max_len={}", target.max_len))
        .arg(format!("-dict={}", dict.display()))
        // Memory must stay bounded: libFuzzer fails the run past these.
        .arg("-rss_limit_mb=2048")
        .arg("-malloc_limit_mb=512")
        .arg("-timeout=10")
        .arg("-print_final_stats=1")
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .current_dir(root)
        .output()
        .map_err(|e| TaskError(format!("cannot run cargo fuzz: {e}")))?;
    let seconds = started.elapsed().as_secs_f64();
    let log = String::from_utf8_lossy(&output.stderr);
    let log_path = work.join(format!("{}.log", target.name));
    std::fs::write(&log_path, log.as_bytes())
        .map_err(|e| TaskError(format!("cannot write {}: {e}", log_path.display())))?;
    let stat = |key: &str| {
        log.lines()
            .find_map(|line| line.strip_prefix(key))
            .and_then(|rest| rest.trim().parse().ok())
    };
    // The last status line ("#123 DONE cov: 456 ft: ...") carries the coverage.
    let coverage = log
        .lines()
        .rev()
        .find_map(|line| line.split_once(" cov: "))
        .and_then(|(_, rest)| rest.split_whitespace().next().map(str::to_owned));
    let corpus_files = std::fs::read_dir(corpus).map(|d| d.count()).unwrap_or(0);
    Ok(Outcome {
        name: target.name,
        seconds,
        executions: stat("stat::number_of_executed_units:"),
        coverage,
        peak_rss_mb: stat("stat::peak_rss_mb:"),
        corpus_files,
        crashed: !output.status.success(),
    })
}

fn report(outcomes: &[Outcome], seconds: u64) -> String {
    let mut out = format!(
        "cargo-fuzz (libFuzzer), {seconds} s per target, -rss_limit_mb=2048 -malloc_limit_mb=512\n\n\
         | target | wall s | executions | exec/s | coverage (edges) | peak RSS MB | corpus | result |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |\n"
    );
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    for o in outcomes {
        let rate = o.executions.map(|n| format!("{:.0}", n as f64 / o.seconds));
        let _ = writeln!(
            out,
            "| {} | {:.0} | {} | {} | {} | {} | {} | {} |",
            o.name,
            o.seconds,
            or_dash(o.executions.map(|n| n.to_string())),
            or_dash(rate),
            or_dash(o.coverage.clone()),
            or_dash(o.peak_rss_mb.map(|n| n.to_string())),
            o.corpus_files,
            if o.crashed {
                "FAILED (see the log)"
            } else {
                "clean"
            },
        );
    }
    out
}
