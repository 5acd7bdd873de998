//! `cargo xtask generate`: one crate from any model file, into any folder.
//!
//! Unlike `cargo xtask codegen`, which regenerates what `models/manifest.json`
//! pins into `generated/`, this reads a model the user names (Smithy JSON AST or
//! botocore JSON), picks its service, optionally narrows it to some operations,
//! and writes a complete crate. The crate is written to a temporary folder beside
//! `--out` and renamed into place, so a failure never leaves half a crate behind.

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{workspace_root, TaskError};

type Result<T> = std::result::Result<T, TaskError>;

/// Where the generated crate's manifest finds `querygen-runtime` and `querygen-client`,
/// as the user asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeChoice {
    /// Not given: by relative path inside this workspace, by absolute path to it outside.
    Automatic,
    /// `--runtime-path P`: the folder holding `runtime/` and `client/`, written as
    /// given (relative to the generated crate's folder, or absolute).
    Path(String),
    /// `--runtime-version V`: from a registry.
    Version(String),
}

/// The arguments of `cargo xtask generate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateArgs {
    /// `--model FILE`.
    pub model: PathBuf,
    /// `--service SHAPE_ID`: needed when the model has several services.
    pub service: Option<String>,
    /// `--out DIR`.
    pub out: PathBuf,
    /// `--crate-name NAME`: by default from the service's SDK id.
    pub crate_name: Option<String>,
    /// `--operations Op1,Op2`: by default every operation.
    pub operations: Option<Vec<String>>,
    /// `--runtime-path` / `--runtime-version`.
    pub runtime: RuntimeChoice,
    /// `--timings`: print how long each phase took.
    pub timings: bool,
}

/// The usage lines of the command, for `cargo xtask help`.
pub const USAGE: &str = "  generate --model FILE --out DIR [--service SHAPE_ID] [--crate-name NAME] [--operations Op1,Op2]
           [--runtime-path P | --runtime-version V] [--timings]
                    write a crate for any Smithy JSON AST or botocore JSON model into DIR (replaced
                    if it holds a crate querygen generated); --operations keeps those operations and
                    the shapes they reach; the runtime is a path dependency on this workspace unless
                    --runtime-path (relative to DIR, or absolute) or --runtime-version says otherwise";

impl GenerateArgs {
    /// Parses the words after `generate`.
    pub fn parse(args: &[&str]) -> Result<Self> {
        let mut model = None;
        let mut service = None;
        let mut out = None;
        let mut crate_name = None;
        let mut operations = None;
        let mut runtime_path = None;
        let mut runtime_version = None;
        let mut timings = false;
        let mut rest = args.iter();
        while let Some(&flag) = rest.next() {
            if flag == "--timings" {
                timings = true;
                continue;
            }
            let slot = match flag {
                "--model" => &mut model,
                "--service" => &mut service,
                "--out" => &mut out,
                "--crate-name" => &mut crate_name,
                "--operations" => &mut operations,
                "--runtime-path" => &mut runtime_path,
                "--runtime-version" => &mut runtime_version,
                _ => {
                    return Err(TaskError(format!(
                        "generate: unknown argument `{flag}` (see `cargo xtask help`)"
                    )))
                }
            };
            let value = rest
                .next()
                .filter(|v| !v.starts_with("--"))
                .ok_or_else(|| TaskError(format!("generate: `{flag}` needs a value")))?;
            if slot.replace((*value).to_owned()).is_some() {
                return Err(TaskError(format!("generate: `{flag}` is given twice")));
            }
        }
        let model =
            model.ok_or_else(|| TaskError("generate: `--model FILE` is required".into()))?;
        let out = out.ok_or_else(|| TaskError("generate: `--out DIR` is required".into()))?;
        let runtime = match (runtime_path, runtime_version) {
            (Some(_), Some(_)) => {
                return Err(TaskError(
                    "generate: give `--runtime-path` or `--runtime-version`, not both".into(),
                ))
            }
            (Some(path), None) => RuntimeChoice::Path(path),
            (None, Some(version)) => RuntimeChoice::Version(version),
            (None, None) => RuntimeChoice::Automatic,
        };
        let operations = operations
            .map(|list: String| {
                let names: Vec<String> = list
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .collect();
                if names.is_empty() {
                    Err(TaskError(
                        "generate: `--operations` names no operation".into(),
                    ))
                } else {
                    Ok(names)
                }
            })
            .transpose()?;
        Ok(Self {
            model: PathBuf::from(model),
            service,
            out: PathBuf::from(out),
            crate_name,
            operations,
            runtime,
            timings,
        })
    }
}

/// Phase times of one `generate` run.
#[derive(Debug, Clone, Copy, Default)]
pub struct PhaseTimes {
    /// Reading the file and parsing the JSON (and converting botocore form).
    pub read: Duration,
    /// The generator's own passes (load is part of `read` here).
    pub generator: querygen::Timings,
    /// Writing the files and renaming the folder into place.
    pub write: Duration,
    /// Everything.
    pub total: Duration,
}

/// What a successful run produced.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The service generated.
    pub service: String,
    /// The package name.
    pub crate_name: String,
    /// The folder written.
    pub out: PathBuf,
    /// How many files.
    pub files: usize,
    /// How many lines in all.
    pub lines: usize,
    /// The operations generated.
    pub operations: usize,
    /// The runtime dependency written into the manifest.
    pub runtime: querygen::RuntimeSource,
    /// What the user should know (unsupported protocol, runtime path chosen).
    pub notices: Vec<String>,
    /// Phase times.
    pub times: PhaseTimes,
}

/// Runs `cargo xtask generate`.
pub fn run(args: &GenerateArgs) -> Result<Generated> {
    let started = Instant::now();
    let cwd = std::env::current_dir()
        .map_err(|e| TaskError(format!("cannot read the current folder: {e}")))?;
    let out = absolute(&cwd.join(&args.out));
    let display = args.model.display().to_string();
    let bytes = std::fs::read(&args.model)
        .map_err(|e| TaskError(format!("cannot read the model {display}: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| TaskError(format!("the model {display} is not UTF-8")))?;
    let (mut model, botocore) = load_model(&display, &text, args.service.as_deref())?;
    let read = started.elapsed();

    let service = choose_service(&model, &display, args.service.as_deref(), botocore)?;
    if let Some(operations) = &args.operations {
        model
            .keep_operations(&service, operations)
            .map_err(|e| TaskError(e.in_source(&display).to_string()))?;
    }
    let crate_name = match &args.crate_name {
        Some(name) if querygen::naming::is_crate_name(name) => name.clone(),
        Some(name) => {
            return Err(TaskError(format!(
                "--crate-name `{name}` is not a package name (ASCII letters, digits, `-`, `_`, starting with a letter)"
            )))
        }
        None => default_crate_name(&model, &service),
    };
    let mut notices = Vec::new();
    let runtime = runtime_source(&args.runtime, &out, &workspace_root(), &mut notices)?;
    notices.extend(inside_workspace_notice(&out, &workspace_root()));
    let partitions = if std::env::var_os(crate::ENDPOINTS_ENV).is_some() {
        Some(crate::partitions()?)
    } else {
        None
    };
    let options = querygen::Options {
        service: service.clone(),
        crate_name: crate_name.clone(),
        crate_version: "0.1.0".to_owned(),
        runtime: runtime.clone(),
        client: true,
        deny_warnings: false,
        partitions,
    };
    let output = querygen::generate_loaded(&model, &display, &options).map_err(|e| {
        let mut message = e.to_string();
        if message.contains("no partition data was given") {
            message.push_str(&format!(
                "; set {} to the folder holding the pinned partitions.json",
                crate::ENDPOINTS_ENV
            ));
        }
        TaskError(message)
    })?;
    notices.extend(output.notices.iter().cloned());
    // The header names the command that regenerates the crate: this one, not `codegen`.
    let files: Vec<querygen::GeneratedFile> = output
        .files
        .iter()
        .map(|file| querygen::GeneratedFile {
            path: file.path.clone(),
            contents: file.contents.replacen(
                "run `cargo xtask codegen` to regenerate",
                "regenerate with querygen's `cargo xtask generate`",
                1,
            ),
        })
        .collect();

    let writing = Instant::now();
    write_crate(&out, &files)?;
    let write = writing.elapsed();
    let operations = files
        .iter()
        .filter(|f| f.path.starts_with("src/operation/"))
        .count();
    Ok(Generated {
        service,
        crate_name,
        out,
        files: output.files.len(),
        lines: output
            .files
            .iter()
            .map(|f| f.contents.lines().count())
            .sum(),
        operations,
        runtime,
        notices,
        times: PhaseTimes {
            read,
            generator: output.timings,
            write,
            total: started.elapsed(),
        },
    })
}

/// Parses the model: Smithy JSON AST (a `smithy` version) or botocore JSON
/// (`metadata`, `operations`, `shapes`). Returns whether it was botocore.
fn load_model(
    display: &str,
    text: &str,
    service: Option<&str>,
) -> Result<(querygen::model::Model, bool)> {
    // Smithy's JSON AST starts with its version: decide the form without parsing the file twice.
    let head: String = text.trim_start().chars().take(64).collect();
    if head.contains("\"smithy\"") {
        let model = querygen::model::Model::load(display, text)?;
        return Ok((model, false));
    }
    let doc: Value =
        serde_json::from_str(text).map_err(|e| TaskError(format!("{display}: not JSON: {e}")))?;
    if doc.get("smithy").is_some() {
        let model = querygen::model::Model::load(display, text)?;
        return Ok((model, false));
    }
    if doc.get("metadata").is_none() || doc.get("operations").is_none() {
        return Err(TaskError(format!(
            "{display}: neither a Smithy JSON AST model (no `smithy` version) nor a botocore model (no `metadata` and `operations`)"
        )));
    }
    let (namespace, name) = match service {
        Some(id) => id
            .split_once('#')
            .map(|(ns, name)| (ns.to_owned(), name.to_owned()))
            .ok_or_else(|| {
                TaskError(format!(
                    "--service `{id}` is not an absolute shape id (`namespace#Name`)"
                ))
            })?,
        None => querygen::botocore::default_service(&doc),
    };
    let ast = querygen::botocore::to_smithy_json(&doc, &namespace, &name)
        .map_err(|e| TaskError(e.in_source(display).to_string()))?;
    let model = querygen::model::Model::load(display, &ast.to_string())?;
    Ok((model, true))
}

/// The service to generate: the one named, or the only one.
fn choose_service(
    model: &querygen::model::Model,
    display: &str,
    wanted: Option<&str>,
    botocore: bool,
) -> Result<String> {
    let services = model.services();
    match wanted {
        // A botocore model's one service is named after `--service` itself.
        Some(id) if botocore || services.contains(&id) => Ok(id.to_owned()),
        Some(id) => Err(TaskError(format!(
            "{display} has no service `{id}` (its services: {})",
            list_or_none(&services)
        ))),
        None => match services.as_slice() {
            [only] => Ok((*only).to_owned()),
            [] => Err(TaskError(format!("{display} has no service shape"))),
            several => Err(TaskError(format!(
                "{display} has {} services ({}): name one with --service",
                several.len(),
                several.join(", ")
            ))),
        },
    }
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

/// The package name from the service's SDK id, or its shape name.
fn default_crate_name(model: &querygen::model::Model, service: &str) -> String {
    let shape = &model.shapes[service];
    let base = shape
        .traits
        .aws_service
        .as_ref()
        .map_or_else(|| shape.name().to_owned(), |s| s.sdk_id.clone());
    querygen::naming::crate_name(&base)
}

/// Resolves `.` and `..` without touching the file system (the folder may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The runtime dependency of a crate written to `out` (absolute): a relative path when
/// `out` is inside `workspace`, the path or version the user gave, or else the
/// workspace's absolute path (with a notice), so the crate builds on this machine.
pub fn runtime_source(
    choice: &RuntimeChoice,
    out: &Path,
    workspace: &Path,
    notices: &mut Vec<String>,
) -> Result<querygen::RuntimeSource> {
    match choice {
        RuntimeChoice::Version(version) => Ok(querygen::RuntimeSource::Version(version.clone())),
        RuntimeChoice::Path(path) => {
            let runtime = absolute(&out.join(path)).join("runtime/Cargo.toml");
            if !runtime.is_file() {
                return Err(TaskError(format!(
                    "--runtime-path `{path}` (relative to {}) holds no runtime/Cargo.toml",
                    out.display()
                )));
            }
            Ok(querygen::RuntimeSource::Path(path.clone()))
        }
        RuntimeChoice::Automatic => {
            let workspace = absolute(workspace);
            match out.strip_prefix(&workspace) {
                Ok(inside) if inside.components().count() > 0 => {
                    let depth = inside.components().count();
                    Ok(querygen::RuntimeSource::Path(vec![".."; depth].join("/")))
                }
                _ => {
                    notices.push(format!(
                        "the crate depends on querygen-runtime by absolute path ({}); pass --runtime-path or --runtime-version to build it elsewhere",
                        workspace.display()
                    ));
                    Ok(querygen::RuntimeSource::Path(
                        workspace.display().to_string(),
                    ))
                }
            }
        }
    }
}

/// What to know about a crate written inside this workspace: cargo builds it
/// only as a member (or when excluded), and `cargo xtask codegen` removes files
/// under `generated/` that the manifest does not generate.
pub fn inside_workspace_notice(out: &Path, workspace: &Path) -> Option<String> {
    let inside = out.strip_prefix(absolute(workspace)).ok()?;
    if inside.starts_with("generated") {
        Some(format!(
            "{} is under generated/, which `cargo xtask codegen` keeps to what models/manifest.json generates: it would remove these files; pin the model with `cargo xtask add-service` instead",
            out.display()
        ))
    } else if inside.starts_with("target") {
        None
    } else {
        Some(format!(
            "{} is inside this workspace: add it to `members` (or `exclude`) in the workspace Cargo.toml before building it",
            out.display()
        ))
    }
}

/// Whether `dir` holds a crate querygen generated (so replacing it loses nothing hand-written).
fn is_generated_crate(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .is_ok_and(|text| text.starts_with("# @generated by querygen"))
}

/// Writes `files` into a temporary folder beside `out`, then renames it to `out`
/// (replacing an earlier generated crate there). Nothing is left behind on failure.
pub fn write_crate(out: &Path, files: &[querygen::GeneratedFile]) -> Result<()> {
    let parent = out
        .parent()
        .ok_or_else(|| TaskError(format!("--out {} has no parent folder", out.display())))?;
    let name = out
        .file_name()
        .ok_or_else(|| TaskError(format!("--out {} names no folder", out.display())))?
        .to_string_lossy()
        .into_owned();
    let replace = match std::fs::read_dir(out).map(|mut entries| entries.next().is_none()) {
        Ok(empty) if empty || is_generated_crate(out) => true,
        Ok(_) => {
            return Err(TaskError(format!(
                "--out {} exists and does not hold a crate querygen generated; choose a new or empty folder",
                out.display()
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(TaskError(format!("--out {} is a file", out.display())))
        }
        Err(e) => return Err(TaskError(format!("cannot read {}: {e}", out.display()))),
    };
    std::fs::create_dir_all(parent)
        .map_err(|e| TaskError(format!("cannot create {}: {e}", parent.display())))?;
    let pid = std::process::id();
    let temporary = parent.join(format!(".{name}.querygen-new-{pid}"));
    let old = parent.join(format!(".{name}.querygen-old-{pid}"));
    let _ = std::fs::remove_dir_all(&temporary);
    let written = (|| {
        for file in files {
            let path = temporary.join(&file.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| TaskError(format!("cannot create {}: {e}", dir.display())))?;
            }
            std::fs::write(&path, &file.contents)
                .map_err(|e| TaskError(format!("cannot write {}: {e}", path.display())))?;
        }
        if replace {
            std::fs::rename(out, &old)
                .map_err(|e| TaskError(format!("cannot move {} aside: {e}", out.display())))?;
        }
        if let Err(e) = std::fs::rename(&temporary, out) {
            if replace {
                // Put the earlier crate back rather than leave nothing.
                let _ = std::fs::rename(&old, out);
            }
            return Err(TaskError(format!(
                "cannot rename {} to {}: {e}",
                temporary.display(),
                out.display()
            )));
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&temporary);
    }
    if replace {
        let _ = std::fs::remove_dir_all(&old);
    }
    written
}
