//! The workspace's maintenance tasks, as a library so the freshness test in
//! `tests/` runs exactly what `cargo xtask codegen --check` runs.
//!
//! This is the only place that does I/O for code generation: it reads
//! `models/manifest.json`, the pinned models (through `SMITHY_MODELS_DIR`),
//! the pinned partition data and endpoint test cases (through
//! `ENDPOINTS_DIR`) and our own snapshot models, asks `querygen` for file
//! contents, and compares them with, or writes them to, `generated/`.

pub mod add_service;
pub mod generate;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Environment variable naming a checkout of aws/api-models-aws (or its `models/` folder);
/// a relative path is taken from the workspace root.
pub const MODELS_ENV: &str = "SMITHY_MODELS_DIR";

/// Environment variable naming the folder with `partitions.json` and the endpoint test
/// cases pinned in `models/manifest.json`; a relative path is taken from the workspace root.
pub const ENDPOINTS_ENV: &str = "ENDPOINTS_DIR";

/// A failure of a maintenance task, with a message meant for the maintainer.
#[derive(Debug)]
pub struct TaskError(pub String);

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TaskError {}

impl From<querygen::Error> for TaskError {
    fn from(e: querygen::Error) -> Self {
        TaskError(e.to_string())
    }
}

type Result<T> = std::result::Result<T, TaskError>;

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .components()
        .collect()
}

/// One model of `models/manifest.json`.
#[derive(Debug, Clone)]
pub struct ModelEntry {
    /// Short name (`elasticache`).
    pub name: String,
    /// Path inside aws/api-models-aws (`models/elasticache/…`), or inside this workspace for snapshots.
    pub path: String,
    /// Expected sha256 of the file (upstream models only).
    pub sha256: Option<String>,
    /// Service shape id.
    pub service: String,
    /// Crate to generate into `generated/`, if any.
    pub generate: Option<CrateTarget>,
}

/// Where a committed generated crate lives.
#[derive(Debug, Clone)]
pub struct CrateTarget {
    /// Package name.
    pub crate_name: String,
    /// Directory relative to the workspace root.
    pub dir: String,
    /// Snapshot crates deny warnings.
    pub deny_warnings: bool,
    /// Whether the crate gets the async client (`"client": false` in the manifest for a
    /// crate that `querygen-client` depends on).
    pub client: bool,
}

/// A data file of the `endpoints` section, read through `ENDPOINTS_DIR`.
#[derive(Debug, Clone)]
pub struct EndpointsFile {
    /// File name inside `ENDPOINTS_DIR`.
    pub path: String,
    /// Expected sha256 of the file.
    pub sha256: String,
}

/// The `endpoints` section: partition data and extra endpoint test cases.
#[derive(Debug, Clone)]
pub struct Endpoints {
    /// Where the files come from (for the generated docs).
    pub upstream: String,
    /// `partitions.json`.
    pub partitions: EndpointsFile,
    /// Endpoint test cases by model name (beside the ones in the model's own trait).
    pub tests: Vec<(String, EndpointsFile)>,
}

/// The parsed manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Upstream models, pinned by sha256.
    pub models: Vec<ModelEntry>,
    /// Our own models under `models/snapshots/`.
    pub snapshots: Vec<ModelEntry>,
    /// Partition data and endpoint test cases, pinned by sha256.
    pub endpoints: Endpoints,
}

fn field<'a>(entry: &'a Value, name: &str, context: &str) -> Result<&'a str> {
    entry.get(name).and_then(Value::as_str).ok_or_else(|| {
        TaskError(format!(
            "models/manifest.json: {context} has no string `{name}`"
        ))
    })
}

/// Reads `models/manifest.json`.
pub fn manifest() -> Result<Manifest> {
    let path = workspace_root().join("models/manifest.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| TaskError(format!("cannot read {}: {e}", path.display())))?;
    parse_manifest(&text)
}

/// Parses the text of `models/manifest.json`.
pub fn parse_manifest(text: &str) -> Result<Manifest> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| TaskError(format!("models/manifest.json is not valid JSON: {e}")))?;
    let list = |key: &str, snapshot: bool| -> Result<Vec<ModelEntry>> {
        let items = doc
            .get(key)
            .and_then(Value::as_array)
            .ok_or_else(|| TaskError(format!("models/manifest.json has no `{key}` array")))?;
        items
            .iter()
            .map(|item| {
                let name = field(item, "name", key)?.to_owned();
                let context = format!("entry `{name}`");
                let generate = match item.get("generate") {
                    None => None,
                    Some(target) => Some(CrateTarget {
                        crate_name: field(target, "crate", &context)?.to_owned(),
                        dir: field(target, "dir", &context)?.to_owned(),
                        deny_warnings: snapshot,
                        client: target
                            .get("client")
                            .and_then(Value::as_bool)
                            .unwrap_or(true),
                    }),
                };
                Ok(ModelEntry {
                    path: field(item, "path", &context)?.to_owned(),
                    sha256: if snapshot {
                        None
                    } else {
                        Some(field(item, "sha256", &context)?.to_owned())
                    },
                    service: field(item, "service", &context)?.to_owned(),
                    name,
                    generate,
                })
            })
            .collect()
    };
    let endpoints = doc
        .get("endpoints")
        .ok_or_else(|| TaskError("models/manifest.json has no `endpoints` object".into()))?;
    let file = |item: &Value, context: &str| -> Result<EndpointsFile> {
        Ok(EndpointsFile {
            path: field(item, "path", context)?.to_owned(),
            sha256: field(item, "sha256", context)?.to_owned(),
        })
    };
    let partitions = endpoints.get("partitions").ok_or_else(|| {
        TaskError("models/manifest.json: `endpoints` has no `partitions` entry".into())
    })?;
    let tests = endpoints
        .get("tests")
        .and_then(Value::as_array)
        .ok_or_else(|| TaskError("models/manifest.json: `endpoints` has no `tests` array".into()))?
        .iter()
        .map(|item| {
            let model = field(item, "model", "an `endpoints.tests` entry")?.to_owned();
            let context = format!("endpoint tests of `{model}`");
            Ok((model, file(item, &context)?))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Manifest {
        models: list("models", false)?,
        snapshots: list("snapshots", true)?,
        endpoints: Endpoints {
            upstream: field(endpoints, "upstream", "`endpoints`")?.to_owned(),
            partitions: file(partitions, "`endpoints.partitions`")?,
            tests,
        },
    })
}

/// Reads a pinned file of `ENDPOINTS_DIR`, checking its sha256. Returns the path read and the text.
pub fn read_endpoints_file(file: &EndpointsFile) -> Result<(PathBuf, String)> {
    let dir = std::env::var_os(ENDPOINTS_ENV).ok_or_else(|| {
        TaskError(format!(
            "{ENDPOINTS_ENV} is not set. Point it at the folder holding {} (partition data and \
             endpoint test cases), e.g. `export {ENDPOINTS_ENV}=../shared/endpoints`; `.ci/run` does this.",
            file.path
        ))
    })?;
    let path = workspace_root().join(dir).join(&file.path);
    let bytes = std::fs::read(&path).map_err(|e| {
        TaskError(format!(
            "cannot read {} ({ENDPOINTS_ENV}): {e}",
            path.display()
        ))
    })?;
    let actual = hex(&Sha256::digest(&bytes));
    if actual != file.sha256 {
        return Err(TaskError(format!(
            "{} has sha256 {actual}, but models/manifest.json pins {}: not the pinned file. \
             Use the pinned file, or update the pin in models/manifest.json deliberately and regenerate.",
            path.display(),
            file.sha256
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| TaskError(format!("{} is not UTF-8", path.display())))?;
    Ok((path, text))
}

/// The pinned partition table, read through `ENDPOINTS_DIR`, checked and parsed.
pub fn partitions() -> Result<querygen::partitions::Partitions> {
    let endpoints = manifest()?.endpoints;
    let (_, text) = read_endpoints_file(&endpoints.partitions)?;
    let source = format!("{} {}", endpoints.upstream, endpoints.partitions.path);
    Ok(querygen::partitions::Partitions::parse(&source, &text)?)
}

/// The pinned extra endpoint test cases of a model (`elasticache`): the path read and the text.
pub fn endpoint_tests(model: &str) -> Result<(PathBuf, String)> {
    let endpoints = manifest()?.endpoints;
    let (_, file) = endpoints
        .tests
        .iter()
        .find(|(name, _)| name == model)
        .ok_or_else(|| {
            TaskError(format!(
                "models/manifest.json pins no endpoint tests for `{model}`"
            ))
        })?;
    read_endpoints_file(file)
}

/// A pinned upstream model by name: its manifest entry, source label and verified text.
pub fn pinned(name: &str) -> Result<(ModelEntry, String, String)> {
    let entry = manifest()?
        .models
        .into_iter()
        .find(|m| m.name == name)
        .ok_or_else(|| TaskError(format!("models/manifest.json pins no model named `{name}`")))?;
    let (source, text) = read_model(&entry)?;
    Ok((entry, source, text))
}

/// Reads a model's text: an upstream model through `SMITHY_MODELS_DIR` (checking
/// its sha256), a snapshot model from the workspace.
pub fn read_model(entry: &ModelEntry) -> Result<(String, String)> {
    let Some(expected) = &entry.sha256 else {
        let path = workspace_root().join(&entry.path);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| TaskError(format!("cannot read {}: {e}", path.display())))?;
        return Ok((entry.path.clone(), text));
    };
    let path = locate_model(entry)?;
    let bytes = std::fs::read(&path)
        .map_err(|e| TaskError(format!("cannot read {}: {e}", path.display())))?;
    let actual = hex(&Sha256::digest(&bytes));
    if &actual != expected {
        return Err(TaskError(format!(
            "{} has sha256 {actual}, but models/manifest.json pins {expected}: the models checkout is not the pinned commit. \
             Check out the pinned commit, or update the pin deliberately (`cargo xtask add-service {} --path {}`) and review the regenerated crate.",
            path.display(),
            entry.name,
            entry.path
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| TaskError(format!("{} is not UTF-8", path.display())))?;
    Ok((format!("aws/api-models-aws {}", entry.path), text))
}

/// Where an upstream model's file is: `SMITHY_MODELS_DIR` joined with its path,
/// with or without the leading `models/` (the variable may name the checkout or its `models/` folder).
pub fn locate_model(entry: &ModelEntry) -> Result<PathBuf> {
    let dir = std::env::var_os(MODELS_ENV).ok_or_else(|| {
        TaskError(format!(
            "{MODELS_ENV} is not set. Point it at a checkout of aws/api-models-aws (or its models/ folder), \
             e.g. `export {MODELS_ENV}=../shared/models`; `.ci/run` does this."
        ))
    })?;
    // A relative value is relative to the workspace root, wherever cargo runs us from.
    let dir = workspace_root().join(dir);
    let relative = entry.path.strip_prefix("models/").unwrap_or(&entry.path);
    let candidates = [dir.join(&entry.path), dir.join(relative)];
    let path = candidates.iter().find(|p| p.is_file()).ok_or_else(|| {
        TaskError(format!(
            "model `{}` not found: looked for {} and {} ({MODELS_ENV}={})",
            entry.name,
            candidates[0].display(),
            candidates[1].display(),
            dir.display()
        ))
    })?;
    Ok(path.clone())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The generated files of one crate, with where they go.
pub struct PlannedCrate {
    /// Directory relative to the workspace root.
    pub dir: String,
    /// The files.
    pub output: querygen::Output,
}

/// The workspace root relative to a crate directory inside it (`../..`).
fn relative_root(dir: &str) -> querygen::RuntimeSource {
    let depth = Path::new(dir).components().count();
    querygen::RuntimeSource::Path(vec![".."; depth].join("/"))
}

/// How a crate is generated beside what the model gives.
pub struct Wiring<'a> {
    /// Package name.
    pub crate_name: &'a str,
    /// Where its manifest finds `querygen-runtime` and `querygen-client`.
    pub runtime: querygen::RuntimeSource,
    /// Deny warnings (snapshot crates).
    pub deny_warnings: bool,
    /// Emit the async client.
    pub client: bool,
}

/// Generates a crate for `entry`, with the partition table its endpoint rules may need.
pub fn generate(
    entry: &ModelEntry,
    dir: &str,
    wiring: Wiring<'_>,
    partitions: &querygen::partitions::Partitions,
) -> Result<PlannedCrate> {
    let (source, text) = read_model(entry)?;
    let options = querygen::Options {
        service: entry.service.clone(),
        crate_name: wiring.crate_name.to_owned(),
        crate_version: "0.1.0".to_owned(),
        runtime: wiring.runtime,
        client: wiring.client,
        deny_warnings: wiring.deny_warnings,
        partitions: Some(partitions.clone()),
    };
    let output = querygen::generate(&text, &source, &options)?;
    for notice in &output.notices {
        eprintln!("notice: {notice}");
    }
    Ok(PlannedCrate {
        dir: dir.to_owned(),
        output,
    })
}

/// Every crate committed under `generated/`.
pub fn plan() -> Result<Vec<PlannedCrate>> {
    plan_for(&manifest()?)
}

/// Every crate a manifest generates under `generated/`.
pub fn plan_for(manifest: &Manifest) -> Result<Vec<PlannedCrate>> {
    let partitions = partitions()?;
    manifest
        .models
        .iter()
        .chain(&manifest.snapshots)
        .filter_map(|entry| entry.generate.as_ref().map(|target| (entry, target)))
        .map(|(entry, target)| {
            let wiring = Wiring {
                crate_name: &target.crate_name,
                runtime: relative_root(&target.dir),
                deny_warnings: target.deny_warnings,
                client: target.client,
            };
            generate(entry, &target.dir, wiring, &partitions)
        })
        .collect()
}

/// A difference between the plan and `generated/` on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file exists with other contents.
    Stale {
        /// Path relative to the workspace root.
        path: String,
        /// What is on disk.
        on_disk: String,
        /// What the generator produces.
        expected: String,
    },
    /// The generator produces the file; it is not on disk.
    Missing {
        /// Path relative to the workspace root.
        path: String,
        /// What the generator produces.
        expected: String,
    },
    /// The file is on disk under `generated/`, but the generator does not produce it.
    Orphaned {
        /// Path relative to the workspace root.
        path: String,
    },
}

impl Problem {
    /// The path the problem is about.
    pub fn path(&self) -> &str {
        match self {
            Self::Stale { path, .. } | Self::Missing { path, .. } | Self::Orphaned { path } => path,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Stale { path, .. } => write!(f, "stale:    {path}"),
            Self::Missing { path, .. } => write!(f, "missing:  {path}"),
            Self::Orphaned { path } => write!(f, "orphaned: {path}"),
        }
    }
}

/// Files on disk under `generated/`, relative to the workspace root, sorted.
fn files_on_disk(root: &Path) -> Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    let mut stack = vec![root.join("generated")];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(TaskError(format!("cannot list {}: {e}", dir.display()))),
        };
        for entry in entries {
            let entry =
                entry.map_err(|e| TaskError(format!("cannot list {}: {e}", dir.display())))?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(root) {
                found.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(found)
}

/// Compares the plan with `generated/`: stale, missing and orphaned files, sorted by path.
pub fn check(plan: &[PlannedCrate]) -> Result<Vec<Problem>> {
    let root = workspace_root();
    let mut on_disk = files_on_disk(&root)?;
    let mut problems = Vec::new();
    for krate in plan {
        for file in &krate.output.files {
            let path = format!("{}/{}", krate.dir, file.path);
            on_disk.remove(&path);
            match std::fs::read_to_string(root.join(&path)) {
                Ok(existing) if existing == file.contents => {}
                Ok(existing) => problems.push(Problem::Stale {
                    path,
                    on_disk: existing,
                    expected: file.contents.clone(),
                }),
                Err(_) => problems.push(Problem::Missing {
                    path,
                    expected: file.contents.clone(),
                }),
            }
        }
    }
    problems.extend(on_disk.into_iter().map(|path| Problem::Orphaned { path }));
    problems.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(problems)
}

/// Writes the plan to disk and deletes orphaned files. Returns how long writing took.
pub fn write(plan: &[PlannedCrate]) -> Result<Duration> {
    let started = Instant::now();
    let root = workspace_root();
    for problem in check(plan)? {
        match problem {
            Problem::Stale { path, expected, .. } | Problem::Missing { path, expected } => {
                write_file(&root.join(path), &expected)?
            }
            Problem::Orphaned { path } => {
                std::fs::remove_file(root.join(&path))
                    .map_err(|e| TaskError(format!("cannot remove {path}: {e}")))?;
            }
        }
    }
    remove_empty_dirs(&root.join("generated"));
    Ok(started.elapsed())
}

fn write_file(path: &Path, contents: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| TaskError(format!("cannot create {}: {e}", parent.display())))?;
    }
    std::fs::write(path, contents)
        .map_err(|e| TaskError(format!("cannot write {}: {e}", path.display())))
}

fn remove_empty_dirs(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.path().is_dir() {
                remove_empty_dirs(&entry.path());
                // Fails, harmlessly, unless the directory is now empty.
                let _ = std::fs::remove_dir(entry.path());
            }
        }
    }
}

/// Writes every pinned upstream model's crate into `scratch` (a throwaway
/// workspace) and runs `cargo check` on it. Returns the crate names.
pub fn check_models(scratch: &Path) -> Result<Vec<String>> {
    let manifest = manifest()?;
    let partitions = partitions()?;
    let root = workspace_root().display().to_string();
    let mut members = Vec::new();
    for entry in &manifest.models {
        let crate_name = format!("check-{}", entry.name);
        let wiring = Wiring {
            crate_name: &crate_name,
            runtime: querygen::RuntimeSource::Path(root.clone()),
            deny_warnings: false,
            client: true,
        };
        let planned = generate(entry, &entry.name, wiring, &partitions)?;
        let dir = scratch.join(&entry.name);
        let _ = std::fs::remove_dir_all(&dir);
        for file in &planned.output.files {
            write_file(&dir.join(&file.path), &file.contents)?;
        }
        members.push(entry.name.clone());
    }
    let quoted: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    write_file(
        &scratch.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            quoted.join(", ")
        ),
    )?;
    let status =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["check", "--workspace", "--all-features", "--quiet"])
            .current_dir(scratch)
            .env("RUSTFLAGS", "-Dwarnings")
            .status()
            .map_err(|e| TaskError(format!("cannot run cargo: {e}")))?;
    if !status.success() {
        return Err(TaskError(format!(
            "`cargo check` failed on the generated crates in {}",
            scratch.display()
        )));
    }
    Ok(members)
}
