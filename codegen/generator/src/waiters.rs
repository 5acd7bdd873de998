//! Lowering's step for `smithy.waiters#waitable`: each waiter's acceptors with
//! their JMESPath matchers compiled into Rust over the operation's types (see
//! [`crate::jmespath`]) and their error types resolved to wire codes, so that
//! the emitters only print. An acceptor that cannot be compiled is an error
//! naming the operation, the waiter and the expression.
//!
//! An `errorType` is resolved by shape name, then by wire code, among the
//! operation's errors. A name that is neither, and no shape of the model
//! either, is taken as a wire code the model does not declare (CloudFormation
//! waits on `ValidationError`); one that names another shape is refused.

use crate::docs;
use crate::error::{Error, Result};
use crate::ir::{self, StructRole};
use crate::jmespath::{self, Comparator};
use crate::model::Model;
use crate::traits::{self, AcceptorState};

/// A waiter, resolved.
#[derive(Debug, Clone)]
pub struct Waiter {
    /// The model's name (`ReplicationGroupAvailable`).
    pub name: String,
    /// Its module under `crate::waiters` (`replication_group_available`).
    pub module: String,
    /// The client method (`wait_until_replication_group_available`).
    pub method: String,
    /// The builder type, shared by the operation's waiters (`DescribeReplicationGroupsWaiter`).
    pub builder: String,
    /// Markdown docs.
    pub docs: String,
    /// Marked deprecated.
    pub deprecated: bool,
    /// Least delay between polls, seconds.
    pub min_delay: u64,
    /// Greatest delay between polls, seconds.
    pub max_delay: u64,
    /// The acceptors, in order.
    pub acceptors: Vec<Acceptor>,
}

/// One acceptor.
#[derive(Debug, Clone)]
pub struct Acceptor {
    /// The state it reaches.
    pub state: AcceptorState,
    /// What it matches.
    pub matcher: Matcher,
    /// The matcher as the model writes it, for docs.
    pub described: String,
}

/// A matcher, compiled.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A `bool` expression over `output` (and `input`, for `inputOutput`).
    Output {
        /// The compiled expression, as Rust source (token streams are not `Sync`,
        /// and the emitters share the IR across threads).
        code: String,
        /// Whether it reads `input` too.
        uses_input: bool,
    },
    /// Any output (`true`) or any service error (`false`).
    Success(bool),
    /// A service error with this wire code.
    ErrorCode(String),
}

/// Resolves the waiters of every operation of `service`.
pub fn resolve(service: &mut ir::Service, model: &Model) -> Result<()> {
    // Disjoint borrows: the operations change, the types and errors are only read.
    let ir::Service {
        operations,
        types,
        errors,
        ..
    } = service;
    let mut seen: Vec<String> = Vec::new();
    for op in operations.iter_mut() {
        let Some(shape) = model.shapes.get(&op.id) else {
            continue;
        };
        for def in &shape.traits.waitable {
            let lower = def.name.to_ascii_lowercase();
            if seen.contains(&lower) {
                return Err(Error::shape(
                    &op.id,
                    format!(
                        "waiter `{}` has the name of another waiter of the service (names must differ ignoring case)",
                        def.name
                    ),
                ));
            }
            seen.push(lower);
            op.waiters.push(waiter(op, def, types, errors)?);
        }
    }
    Ok(())
}

fn waiter(
    op: &ir::Operation,
    def: &traits::WaiterDef,
    types: &[ir::TypeDef],
    errors: &[ir::Struct],
) -> Result<Waiter> {
    let bad = |what: String| Error::shape(&op.id, format!("waiter `{}`: {what}", def.name));
    let acceptors = def
        .acceptors
        .iter()
        .enumerate()
        .map(|(i, acceptor)| {
            let (matcher, described) = match &acceptor.matcher {
                traits::Matcher::Output(m) | traits::Matcher::InputOutput(m) => {
                    let uses_input = matches!(acceptor.matcher, traits::Matcher::InputOutput(_));
                    let comparator = match m.comparator.as_str() {
                        "stringEquals" => Comparator::StringEquals,
                        "booleanEquals" => Comparator::BooleanEquals,
                        "allStringEquals" => Comparator::AllStringEquals,
                        "anyStringEquals" => Comparator::AnyStringEquals,
                        other => {
                            return Err(bad(format!(
                                "acceptors[{i}]: unknown comparator `{other}`"
                            )))
                        }
                    };
                    let code = jmespath::compile_matcher(
                        &m.path,
                        comparator,
                        &m.expected,
                        &op.output,
                        uses_input.then_some(&op.input),
                        types,
                    )
                    .map_err(|e| {
                        bad(format!(
                            "acceptors[{i}]: cannot compile the path `{}`: {e}",
                            m.path
                        ))
                    })?;
                    let kind = if uses_input { "inputOutput" } else { "output" };
                    (
                        Matcher::Output {
                            code: code.to_string(),
                            uses_input,
                        },
                        format!(
                            "{} {} {} ({kind})",
                            docs::code(&m.path),
                            m.comparator,
                            docs::code(&m.expected)
                        ),
                    )
                }
                traits::Matcher::Success(on) => (
                    Matcher::Success(*on),
                    if *on {
                        "the call succeeds".to_owned()
                    } else {
                        "the call fails with a service error".to_owned()
                    },
                ),
                traits::Matcher::ErrorType(name) => match error_code(op, errors, name) {
                    Some(code) => (
                        Matcher::ErrorCode(code.clone()),
                        format!("the call fails with `{code}`"),
                    ),
                    None => {
                        // A shape of the model that is not among the operation's errors
                        // is a mistake; a name the model does not know is a wire code
                        // the model does not declare (CloudFormation's
                        // `ValidationError`), matched as such, as the SDKs do.
                        let bare = name.rsplit('#').next().unwrap_or(name);
                        let is_shape = types.iter().any(|t| t.id().ends_with(&format!("#{bare}")))
                            || errors.iter().any(|e| e.id.ends_with(&format!("#{bare}")));
                        if is_shape {
                            return Err(bad(format!(
                                "acceptors[{i}]: errorType `{name}` names a shape that is not an error of the operation, and no error of the operation has that code"
                            )));
                        }
                        (
                            Matcher::ErrorCode(bare.to_owned()),
                            format!("the call fails with `{bare}` (a code the model does not declare)"),
                        )
                    }
                },
            };
            Ok(Acceptor {
                state: acceptor.state,
                matcher,
                described,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Waiter {
        name: def.name.clone(),
        module: crate::naming::waiter_module(&def.name),
        method: crate::naming::waiter_method(&def.name),
        builder: crate::naming::waiter_builder(&op.wire_name),
        docs: def.documentation.clone().unwrap_or_default(),
        deprecated: def.deprecated,
        min_delay: def.min_delay,
        max_delay: def.max_delay,
        acceptors,
    })
}

/// The wire code an `errorType` means: the code of the operation's error whose
/// shape is named so, else the operation's error whose code it is.
fn error_code(op: &ir::Operation, errors: &[ir::Struct], name: &str) -> Option<String> {
    let name = name.rsplit('#').next().unwrap_or(name);
    let code_of = |error: &ir::NamedRef| {
        errors
            .iter()
            .find(|s| s.id == error.id)
            .and_then(|s| match &s.role {
                StructRole::Error(info) => Some(info.code.clone()),
                _ => None,
            })
    };
    let shape_name = |error: &ir::NamedRef| error.id.rsplit('#').next().map(str::to_owned);
    op.errors
        .iter()
        .find(|e| shape_name(e).as_deref() == Some(name))
        .and_then(code_of)
        .or_else(|| {
            op.errors
                .iter()
                .filter_map(code_of)
                .find(|code| code == name)
        })
}
