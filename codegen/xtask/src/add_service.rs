//! `cargo xtask add-service NAME --path PATH`: pin a model of `SMITHY_MODELS_DIR`
//! in `models/manifest.json` (path and sha256), make `generated/NAME` a
//! workspace member and generate it, so that `cargo xtask codegen` keeps it
//! fresh from then on. Run again with a new path or a changed file, it updates
//! the pin: that is how a new model version from AWS comes in.
//!
//! The edits are pure functions over the files' text ([`pin`], [`add_member`]),
//! so tests check them without touching the repository; `--dry-run` prints what
//! would change and writes nothing.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::{hex, workspace_root, TaskError};

type Result<T> = std::result::Result<T, TaskError>;

/// The usage lines of the command, for `cargo xtask help`.
pub const USAGE: &str =
    "  add-service NAME --path PATH_IN_API_MODELS [--service SHAPE_ID] [--dry-run]
                    pin the model at PATH (inside $SMITHY_MODELS_DIR, e.g.
                    models/sns/service/2010-03-31/sns-2010-03-31.json) in models/manifest.json by
                    sha256, add generated/NAME to the workspace and generate it; run again to move
                    a pin to a new model version. --dry-run prints the changes and writes nothing";

/// The arguments of `cargo xtask add-service`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddServiceArgs {
    /// The model's name in the manifest, the crate's package name and its folder under `generated/`.
    pub name: String,
    /// Path of the model inside aws/api-models-aws (`models/sns/…`).
    pub path: String,
    /// `--service`: needed when the model has several services.
    pub service: Option<String>,
    /// `--dry-run`: print, write nothing.
    pub dry_run: bool,
}

impl AddServiceArgs {
    /// Parses the words after `add-service`.
    pub fn parse(args: &[&str]) -> Result<Self> {
        let mut name = None;
        let mut path = None;
        let mut service = None;
        let mut dry_run = false;
        let mut rest = args.iter();
        while let Some(&word) = rest.next() {
            let slot = match word {
                "--dry-run" => {
                    dry_run = true;
                    continue;
                }
                "--path" => &mut path,
                "--service" => &mut service,
                flag if flag.starts_with("--") => {
                    return Err(TaskError(format!(
                        "add-service: unknown argument `{flag}` (see `cargo xtask help`)"
                    )))
                }
                positional => {
                    if name.replace(positional.to_owned()).is_some() {
                        return Err(TaskError(format!(
                            "add-service: one NAME only (`{positional}` is a second)"
                        )));
                    }
                    continue;
                }
            };
            let value = rest
                .next()
                .filter(|v| !v.starts_with("--"))
                .ok_or_else(|| TaskError(format!("add-service: `{word}` needs a value")))?;
            if slot.replace((*value).to_owned()).is_some() {
                return Err(TaskError(format!("add-service: `{word}` is given twice")));
            }
        }
        let name = name.ok_or_else(|| TaskError("add-service: NAME is required".into()))?;
        if !querygen::naming::is_crate_name(&name) {
            return Err(TaskError(format!(
                "add-service: `{name}` is not a package name (ASCII letters, digits, `-`, `_`, starting with a letter)"
            )));
        }
        let path = path.ok_or_else(|| {
            TaskError("add-service: `--path PATH_IN_API_MODELS` is required".into())
        })?;
        Ok(Self {
            name,
            path,
            service,
            dry_run,
        })
    }
}

/// How the manifest's entry changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinChange {
    /// A new entry.
    Added,
    /// The entry existed; what it pinned before.
    Updated {
        /// Its earlier path.
        path: String,
        /// Its earlier sha256.
        sha256: String,
        /// Whether it already had a generated crate.
        was_generated: bool,
    },
    /// The entry already pinned this file and generated this crate.
    Unchanged,
}

/// The manifest text with `name` pinning `path` at `sha256` for `service` and
/// generating `generated/<name>`. An existing entry keeps its other settings
/// (such as `"client": false`); a new one goes in name order.
pub fn pin(
    manifest: &str,
    name: &str,
    path: &str,
    sha256: &str,
    service: &str,
) -> Result<(String, PinChange)> {
    let mut doc: Value = serde_json::from_str(manifest)
        .map_err(|e| TaskError(format!("models/manifest.json is not valid JSON: {e}")))?;
    let models = doc
        .get_mut("models")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| TaskError("models/manifest.json has no `models` array".into()))?;
    let target = json!({ "crate": name, "dir": format!("generated/{name}") });
    let change = match models
        .iter_mut()
        .find(|m| m.get("name").and_then(Value::as_str) == Some(name))
    {
        Some(entry) => {
            let old = |key: &str| {
                entry
                    .get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let was_generated = entry.get("generate").is_some();
            let change = if old("path") == path
                && old("sha256") == sha256
                && old("service") == service
                && was_generated
            {
                PinChange::Unchanged
            } else {
                PinChange::Updated {
                    path: old("path"),
                    sha256: old("sha256"),
                    was_generated,
                }
            };
            let object = entry.as_object_mut().ok_or_else(|| {
                TaskError(format!(
                    "models/manifest.json: entry `{name}` is not an object"
                ))
            })?;
            object.insert("path".into(), json!(path));
            object.insert("sha256".into(), json!(sha256));
            object.insert("service".into(), json!(service));
            object.entry("generate").or_insert(target);
            change
        }
        None => {
            let mut entry = Map::new();
            entry.insert("name".into(), json!(name));
            entry.insert("path".into(), json!(path));
            entry.insert("sha256".into(), json!(sha256));
            entry.insert("service".into(), json!(service));
            entry.insert("generate".into(), target);
            let at = models
                .iter()
                .position(|m| m.get("name").and_then(Value::as_str).unwrap_or_default() > name)
                .unwrap_or(models.len());
            models.insert(at, Value::Object(entry));
            PinChange::Added
        }
    };
    let text = serde_json::to_string_pretty(&doc)
        .map_err(|e| TaskError(format!("cannot write the manifest: {e}")))?;
    Ok((text + "\n", change))
}

/// The workspace `Cargo.toml` with `dir` among its members (before the
/// snapshot crates), or `None` when it is one already.
pub fn add_member(cargo_toml: &str, dir: &str) -> Result<Option<String>> {
    let quoted = format!("\"{dir}\"");
    let mut lines: Vec<String> = cargo_toml.lines().map(str::to_owned).collect();
    let open = lines
        .iter()
        .position(|l| l.trim_start().starts_with("members = ["))
        .ok_or_else(|| TaskError("Cargo.toml has no `members = [` list".into()))?;
    let close = open
        + lines[open..]
            .iter()
            .position(|l| l.trim() == "]")
            .ok_or_else(|| {
                TaskError("Cargo.toml: the `members` list does not end on a line of its own".into())
            })?;
    let members = &lines[open + 1..close];
    if members
        .iter()
        .any(|l| l.trim().trim_end_matches(',') == quoted)
    {
        return Ok(None);
    }
    // After the last generated crate that is not the snapshot glob, else at the end.
    let at = members
        .iter()
        .rposition(|l| {
            let l = l.trim();
            l.starts_with("\"generated/") && !l.starts_with("\"generated/snapshots")
        })
        .map_or(close, |i| open + 1 + i + 1);
    lines.insert(at, format!("    {quoted},"));
    let mut text = lines.join("\n");
    if cargo_toml.ends_with('\n') {
        text.push('\n');
    }
    Ok(Some(text))
}

/// What `add-service` did (or, with `--dry-run`, would do).
#[derive(Debug, Clone)]
pub struct Added {
    /// The pinned path (inside aws/api-models-aws, `models/…`).
    pub path: String,
    /// The pinned model's sha256.
    pub sha256: String,
    /// Its service shape id.
    pub service: String,
    /// How the manifest entry changed.
    pub change: PinChange,
    /// Whether `generated/<name>` was added to the workspace members.
    pub member_added: bool,
    /// Generated files written, changed or removed (for a dry run: that would be).
    pub files_updated: usize,
}

/// Runs `cargo xtask add-service`.
pub fn run(args: &AddServiceArgs) -> Result<Added> {
    let root = workspace_root();
    let entry = crate::ModelEntry {
        name: args.name.clone(),
        path: args.path.clone(),
        sha256: None,
        service: String::new(),
        generate: None,
    };
    let file = crate::locate_model(&entry)?;
    let bytes = std::fs::read(&file)
        .map_err(|e| TaskError(format!("cannot read {}: {e}", file.display())))?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let text = String::from_utf8(bytes)
        .map_err(|_| TaskError(format!("{} is not UTF-8", file.display())))?;
    let display = file.display().to_string();
    let model = querygen::model::Model::load(&display, &text)?;
    let services = model.services();
    let service = match (&args.service, services.as_slice()) {
        (Some(id), _) if services.contains(&id.as_str()) => id.clone(),
        (Some(id), _) => {
            return Err(TaskError(format!(
                "{display} has no service `{id}` (its services: {})",
                services.join(", ")
            )))
        }
        (None, [only]) => (*only).to_owned(),
        (None, []) => return Err(TaskError(format!("{display} has no service shape"))),
        (None, several) => {
            return Err(TaskError(format!(
                "{display} has {} services ({}): name one with --service",
                several.len(),
                several.join(", ")
            )))
        }
    };
    // The pinned path is the one inside aws/api-models-aws, as the other entries have it.
    let path = if args.path.starts_with("models/") {
        args.path.clone()
    } else {
        format!("models/{}", args.path)
    };

    let manifest_path = root.join("models/manifest.json");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| TaskError(format!("cannot read {}: {e}", manifest_path.display())))?;
    let (new_manifest, change) = pin(&manifest, &args.name, &path, &sha256, &service)?;
    let cargo_path = root.join("Cargo.toml");
    let cargo_toml = std::fs::read_to_string(&cargo_path)
        .map_err(|e| TaskError(format!("cannot read {}: {e}", cargo_path.display())))?;
    let new_cargo = add_member(&cargo_toml, &format!("generated/{}", args.name))?;
    // Generate before writing anything: a model the generator rejects leaves the repository as it was.
    let plan = crate::plan_for(&crate::parse_manifest(&new_manifest)?)?;
    let files_updated = crate::check(&plan)?.len();
    if args.dry_run {
        return Ok(Added {
            path,
            sha256,
            service,
            change,
            member_added: new_cargo.is_some(),
            files_updated,
        });
    }
    std::fs::write(&manifest_path, &new_manifest)
        .map_err(|e| TaskError(format!("cannot write {}: {e}", manifest_path.display())))?;
    if let Some(text) = &new_cargo {
        std::fs::write(&cargo_path, text)
            .map_err(|e| TaskError(format!("cannot write {}: {e}", cargo_path.display())))?;
    }
    crate::write(&plan)?;
    Ok(Added {
        path,
        sha256,
        service,
        change,
        member_added: new_cargo.is_some(),
        files_updated,
    })
}
