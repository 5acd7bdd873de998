//! `querygen`: generates Rust bindings for AWS awsQuery services from Smithy
//! 2.0 JSON AST models.
//!
//! The pipeline is four explicit passes, each in its own module:
//!
//! 1. **load** ([`model`]): JSON text → [`model::Model`] (prelude, `apply`,
//!    mixins, typed [`traits`], reference checks);
//! 2. **resolve and name** ([`lower`], [`naming`]): the service closure →
//!    [`ir::Service`], with every Rust name decided beside its wire name;
//! 3. **emit** ([`emit`]): IR → token streams, one per file;
//! 4. **format**: runtime items imported per module and printed short, where
//!    nothing can shadow them ([`shorten`]); prettyplease;
//!    then the `@generated` header.
//!
//! The library does no I/O: [`generate`] takes model text (and, for endpoint
//! rule sets, the parsed partition table) and returns file contents; the
//! `xtask` binary reads and writes files.
//!
//! Endpoint rules: [`endpoint_rules`] checks a service's
//! `smithy.rules#endpointRuleSet` into a typed tree during lowering,
//! [`partitions`] reads `partitions.json`, and [`emit::endpoint`] compiles
//! both into the generated crate's `endpoint` module.

pub mod botocore;
pub mod docs;
pub mod emit;
pub mod endpoint_rules;
pub mod error;
pub mod ir;
pub mod jmespath;
pub mod lower;
pub mod model;
pub mod naming;
pub mod pagination;
pub mod partitions;
pub mod shorten;
pub mod traits;
pub mod waiters;

use std::time::{Duration, Instant};

pub use error::{Error, Result};

/// What to generate, and how the generated crate is named and wired.
#[derive(Debug, Clone)]
pub struct Options {
    /// Absolute shape id of the service (`com.amazonaws.elasticache#AmazonElastiCacheV9`).
    pub service: String,
    /// Package name of the generated crate.
    pub crate_name: String,
    /// Package version of the generated crate.
    pub crate_version: String,
    /// Where the generated crate finds `querygen-runtime` and `querygen-client`.
    pub runtime: RuntimeSource,
    /// Whether to emit the async client (when the service can have one: awsQuery and
    /// SigV4). Off for a crate that `querygen-client` itself depends on, such as STS
    /// for the credential providers: its client would make a dependency cycle.
    pub client: bool,
    /// Adds `[lints.rust] warnings = "deny"` to the manifest (for snapshot crates
    /// compiled by our own tests; never for crates downstream users build).
    pub deny_warnings: bool,
    /// The partition table (`partitions.json`) for rule sets that call `aws.partition`;
    /// generating such a service without it is an error.
    pub partitions: Option<partitions::Partitions>,
}

/// Where a generated crate's manifest points for querygen's own crates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// The folder that holds `runtime/` (`querygen-runtime`) and `client/`
    /// (`querygen-client`), relative to the generated crate (`../..`) or absolute.
    Path(String),
    /// A version requirement for both crates from a registry (`0.1`).
    Version(String),
}

impl RuntimeSource {
    /// The TOML value of the dependency on the crate in folder `dir` (`runtime`,
    /// `client`). An optional one also leaves the crate's default features off, so
    /// that the generated crate's own features decide them.
    pub fn dependency(&self, dir: &str, optional: bool) -> String {
        let optional = if optional {
            ", optional = true, default-features = false"
        } else {
            ""
        };
        match self {
            Self::Path(root) => {
                let root = root.trim_end_matches('/');
                let path = if root.is_empty() || root == "." {
                    dir.to_owned()
                } else {
                    format!("{root}/{dir}")
                };
                format!("{{ path = \"{path}\"{optional} }}")
            }
            Self::Version(version) => format!("{{ version = \"{version}\"{optional} }}"),
        }
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the generated crate's root, `/`-separated.
    pub path: String,
    /// Complete contents, header included.
    pub contents: String,
}

/// Time spent in each pass.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Parsing and resolving the model.
    pub load: Duration,
    /// Closure, naming and IR.
    pub lower: Duration,
    /// Building token streams (CPU time summed over workers).
    pub emit: Duration,
    /// prettyplease (CPU time summed over workers).
    pub format: Duration,
    /// Wall-clock time of emit and format together, which run in parallel.
    pub emit_and_format_wall: Duration,
}

/// The generated crate.
#[derive(Debug, Clone)]
pub struct Output {
    /// Files sorted by path.
    pub files: Vec<GeneratedFile>,
    /// What the user should know about the crate: for a service whose protocol
    /// is not awsQuery, that it has types, errors and endpoints only.
    pub notices: Vec<String>,
    /// Per-pass timings.
    pub timings: Timings,
}

/// Generates the crate for `options.service` from model text. `source` names
/// the model in errors and in the generated header.
pub fn generate(model_text: &str, source: &str, options: &Options) -> Result<Output> {
    let started = Instant::now();
    let model = model::Model::load(source, model_text)?;
    let load = started.elapsed();
    let mut output = generate_loaded(&model, source, options)?;
    output.timings.load = load;
    Ok(output)
}

/// Generates the crate for `options.service` from a model already loaded (for
/// callers that inspect or narrow it first, such as `cargo xtask generate`,
/// which lists its services and keeps only the operations asked for). The
/// returned load time is zero: the caller measured it.
pub fn generate_loaded(model: &model::Model, source: &str, options: &Options) -> Result<Output> {
    let loaded = Instant::now();
    let mut service = lower::lower(model, &options.service).map_err(|e| e.in_source(source))?;
    if service
        .endpoint_rules
        .as_ref()
        .is_some_and(|rules| rules.uses_partitions)
    {
        let partitions = options.partitions.clone().ok_or_else(|| {
            Error::shape(
                &options.service,
                "the endpoint rule set calls `aws.partition`, but no partition data was given \
                 (`Options::partitions`, read from partitions.json)",
            )
            .in_source(source)
        })?;
        service.partitions = Some(partitions);
    }
    service.client &= options.client;
    let lowered = Instant::now();
    let jobs = emit::crate_files::file_jobs(&service, options);
    let header = format!(
        "// @generated by querygen from {source}.\n// Do not edit by hand: run `cargo xtask codegen` to regenerate.\n\n"
    );
    let (mut files, emit_time, format_time) =
        emit_and_format(&service, &jobs, &header).map_err(|e| e.in_source(source))?;
    let formatted = Instant::now();
    files.push(GeneratedFile {
        path: "Cargo.toml".into(),
        contents: format!(
            "{}{}",
            header.replace("// ", "# "),
            emit::crate_files::cargo_toml(&service, options)
        ),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let notices = if service.aws_query {
        Vec::new()
    } else {
        let protocol = model
            .shapes
            .get(&options.service)
            .and_then(|shape| {
                shape
                    .traits
                    .other
                    .keys()
                    .find(|id| {
                        id.starts_with("aws.protocols#") || id.starts_with("smithy.protocols#")
                    })
                    .cloned()
            })
            .map_or_else(
                || "has no protocol trait".to_owned(),
                |protocol| format!("speaks {protocol}, not aws.protocols#awsQuery"),
            );
        vec![format!(
            "{}: the service {protocol}: the crate has its types, errors and endpoint resolver only (no serializers, parsers, client or server)",
            options.service
        )]
    };
    Ok(Output {
        files,
        notices,
        timings: Timings {
            load: Duration::ZERO,
            lower: lowered - loaded,
            emit: emit_time,
            format: format_time,
            emit_and_format_wall: formatted - lowered,
        },
    })
}

/// Emits and formats every file, on as many threads as the machine has cores.
/// Returns the files in job order and the summed emit and format times.
fn emit_and_format(
    service: &ir::Service,
    jobs: &[emit::crate_files::FileJob<'_>],
    header: &str,
) -> Result<(Vec<GeneratedFile>, Duration, Duration)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len())
        .max(1);
    let work = || {
        let mut done = Vec::new();
        let (mut emit_time, mut format_time) = (Duration::ZERO, Duration::ZERO);
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(index) else { break };
            let started = Instant::now();
            let tokens = job.tokens(service);
            let emitted = Instant::now();
            let mut syntax: syn::File = match syn::parse2(tokens) {
                Ok(syntax) => syntax,
                Err(e) => {
                    let reason = format!("internal error: the code emitted for `{}` does not parse ({e}); please report it", job.path);
                    done.push((index, Err(Error::model(reason))));
                    continue;
                }
            };
            shorten::runtime_imports(&mut syntax, emit::rt::CRATES);
            let contents = format!("{header}{}", prettyplease::unparse(&syntax));
            emit_time += emitted - started;
            format_time += emitted.elapsed();
            done.push((
                index,
                Ok(GeneratedFile {
                    path: job.path.clone(),
                    contents,
                }),
            ));
        }
        (done, emit_time, format_time)
    };
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut results = vec![work()];
        for handle in handles {
            // A worker only panics if prettyplease or syn do; report it as a generator error.
            results.push(handle.join().unwrap_or_else(|_| {
                (
                    vec![(
                        usize::MAX,
                        Err(Error::model(
                            "internal error: a code emitting thread panicked; please report it",
                        )),
                    )],
                    Duration::ZERO,
                    Duration::ZERO,
                )
            }));
        }
        results
    });
    let (mut emit_time, mut format_time) = (Duration::ZERO, Duration::ZERO);
    let mut indexed = Vec::with_capacity(jobs.len());
    for (done, emit, format) in results {
        emit_time += emit;
        format_time += format;
        indexed.extend(done);
    }
    indexed.sort_by_key(|(index, _)| *index);
    let files = indexed
        .into_iter()
        .map(|(_, file)| file)
        .collect::<Result<Vec<_>>>()?;
    Ok((files, emit_time, format_time))
}
