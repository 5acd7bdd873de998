//! Pass 2, resolve and name: [`Model`] + service id → [`ir::Service`].
//!
//! Computes the service closure (every shape reachable from its operations'
//! inputs, outputs and errors and from the service's errors), decides Rust
//! names through [`crate::naming`], nullability by the Smithy 2.0 rules,
//! boxing of recursive members, and converts documentation to Markdown.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;

use crate::docs::html_to_markdown;
use crate::error::{Error, Result};
use crate::ir::{self, DefaultValue, Field, Module, NamedKind, NamedRef, StructRole, TypeRef};
use crate::model::{Member, Model, Shape, ShapeKind, Simple};
use crate::naming;
use crate::traits::{ErrorFault, Traits};

/// Lowers the service `service_id` of `model` into the IR.
pub fn lower(model: &Model, service_id: &str) -> Result<ir::Service> {
    let service = model
        .shapes
        .get(service_id)
        .ok_or_else(|| Error::shape(service_id, "no such service in the model"))?;
    let ShapeKind::Service {
        version,
        operations,
        resources,
        errors: service_errors,
        rename,
    } = &service.kind
    else {
        return Err(Error::shape(service_id, "is not a service shape"));
    };

    let mut operation_ids = operations.clone();
    collect_resource_operations(model, resources, &mut operation_ids, &mut Vec::new())?;
    if operation_ids.is_empty() {
        return Err(Error::shape(
            service_id,
            "the service has no operations, so there is nothing to generate",
        ));
    }

    let mut lowerer = Lowerer {
        model,
        rename,
        names: BTreeMap::new(),
        boxing: HashMap::new(),
    };

    // Closure: named shapes reached through members, plus every error.
    let mut named: BTreeSet<String> = BTreeSet::new();
    let mut errors: BTreeSet<String> = service_errors.iter().cloned().collect();
    let mut seen = HashSet::new();
    for op_id in &operation_ids {
        let op = model.get(op_id, service_id)?;
        let ShapeKind::Operation {
            input,
            output,
            errors: op_errors,
        } = &op.kind
        else {
            continue;
        };
        for io in input.iter().chain(output) {
            lowerer.walk_members(io, &mut named, &mut seen)?;
        }
        for error in op_errors {
            errors.insert(error.clone());
            lowerer.walk_members(error, &mut named, &mut seen)?;
        }
    }
    for error in service_errors {
        lowerer.walk_members(error, &mut named, &mut seen)?;
    }
    // Error shapes live in `crate::error` even when a member also refers to one.
    for id in &named {
        if model.get(id, service_id)?.traits.error.is_some() {
            errors.insert(id.clone());
        }
    }
    named.retain(|id| !errors.contains(id));

    lowerer.assign_names(&named, &errors)?;
    // Feature-gated types live in modules named after them in snake case: those must differ too.
    for module in [Module::Types, Module::Error] {
        let names: Vec<(String, String)> = lowerer
            .names
            .values()
            .filter(|n| n.module == module)
            .map(|n| {
                (
                    n.rust_name.clone(),
                    heck::ToSnakeCase::to_snake_case(n.rust_name.as_str()),
                )
            })
            .collect();
        naming::check_unique(
            service_id,
            "type names",
            names
                .iter()
                .map(|(rust, snake)| (rust.as_str(), snake.as_str())),
        )?;
    }

    let mut types = Vec::new();
    for id in &named {
        let shape = &model.shapes[id];
        types.push(match &shape.kind {
            ShapeKind::Structure { members } => {
                ir::TypeDef::Struct(lowerer.structure(shape, members, StructRole::Data, None)?)
            }
            ShapeKind::Union { members } => ir::TypeDef::Union(lowerer.union(shape, members)?),
            ShapeKind::Enum { members } => {
                ir::TypeDef::Enum(lowerer.enumeration(shape, members, false)?)
            }
            ShapeKind::IntEnum { members } => {
                ir::TypeDef::Enum(lowerer.enumeration(shape, members, true)?)
            }
            _ => continue,
        });
    }
    types.sort_by(|a, b| a.rust_name().cmp(b.rust_name()));

    let mut error_structs = Vec::new();
    for id in &errors {
        let shape = &model.shapes[id];
        let ShapeKind::Structure { members } = &shape.kind else {
            return Err(Error::shape(
                id,
                "is used as an error but is not a structure",
            ));
        };
        let role = StructRole::Error(error_info(shape));
        error_structs.push(lowerer.structure(shape, members, role, None)?);
    }
    error_structs.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));

    let mut ops = Vec::new();
    for op_id in &operation_ids {
        ops.push(lowerer.operation(&model.shapes[op_id], service_errors)?);
    }
    ops.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    naming::check_unique(
        service_id,
        "operations",
        ops.iter()
            .map(|o| (o.wire_name.as_str(), o.rust_name.as_str())),
    )?;

    for op in &mut ops {
        op.error_variants = error_variants(&op.errors, &error_structs);
    }
    let all_errors: Vec<NamedRef> = error_structs
        .iter()
        .map(|s| NamedRef {
            id: s.id.clone(),
            rust_name: s.rust_name.clone(),
            module: Module::Error,
            kind: NamedKind::Struct,
        })
        .collect();
    let service_error_variants = error_variants(&all_errors, &error_structs);

    let traits = &service.traits;
    let ir = ir::Service {
        id: service.id.clone(),
        name: service.name().to_owned(),
        title: String::new(),
        version: version.clone(),
        sdk_id: None,
        signing_name: traits.sigv4_name.clone(),
        xml_namespace: traits.xml_namespace.as_ref().map(|ns| ns.uri.clone()),
        aws_query: traits.aws_query,
        client: traits.aws_query && traits.sigv4_name.is_some(),
        docs: docs(traits),
        operations: ops,
        types,
        errors: error_structs,
        error_variants: service_error_variants,
        usage: BTreeMap::new(),
        endpoint_rules: traits
            .endpoint_rule_set
            .as_ref()
            .map(|rules| crate::endpoint_rules::RuleSet::parse(service_id, rules))
            .transpose()?,
        partitions: None,
    };
    if ir.aws_query && ir.input_closure().1 {
        return Err(Error::shape(
            service_id,
            "an operation input contains a `document`, which awsQuery cannot serialize",
        ));
    }
    let sdk_id = traits.aws_service.as_ref().map(|s| s.sdk_id.clone());
    let title = traits
        .title
        .clone()
        .or_else(|| sdk_id.clone())
        .unwrap_or_else(|| service.name().to_owned());
    // Service docs often open with the service's full name, which the crate doc's
    // heading already shows.
    let docs = match ir.docs.strip_prefix(title.as_str()) {
        Some(rest) if rest.is_empty() || rest.starts_with("\n\n") => rest.trim_start().to_owned(),
        _ => ir.docs.clone(),
    };
    let mut ir = ir::Service {
        title,
        sdk_id,
        docs,
        ..ir
    };
    crate::pagination::resolve(&mut ir, traits.paginated.as_ref())?;
    crate::waiters::resolve(&mut ir, model)?;
    ir.usage = usage(&ir);
    Ok(ir)
}

/// How operations use each named type and error: whether inputs reach it
/// (serializers), whether outputs or errors do (parsers), the features of
/// the operations that reach it through their input, output or errors, and
/// the internal feature those turn on to compile it.
fn usage(service: &ir::Service) -> BTreeMap<String, ir::Usage> {
    let mut usage: BTreeMap<String, ir::Usage> = BTreeMap::new();
    if service.aws_query {
        for id in service.input_closure().0 {
            usage.entry(id).or_default().serialized = true;
        }
        for id in service.output_closure().0 {
            usage.entry(id).or_default().parsed = true;
        }
    }
    let rust_names: BTreeMap<&str, (bool, &str)> = service
        .types
        .iter()
        .map(|t| (t.id(), (false, t.rust_name())))
        .chain(
            service
                .errors
                .iter()
                .map(|e| (e.id.as_str(), (true, e.rust_name.as_str()))),
        )
        .collect();
    let total = service.operations.len();
    for (id, operations) in service.reached_by() {
        if operations.len() < total {
            let gate = rust_names
                .get(id.as_str())
                .map(|(error, name)| naming::shape_feature(*error, name));
            let entry = usage.entry(id).or_default();
            entry.features = operations
                .iter()
                .map(|op| naming::operation_feature(op))
                .collect();
            entry.gate = gate;
        }
    }
    usage
}

/// The variants of one error enum. Each error's code is its `awsQueryError`
/// code, else its shape name. When errors of the enum share a code (CloudWatch
/// has two `ResourceNotFound`s), a response with it parses into the error
/// whose Rust name is the code's, else into the first by Rust name; the others
/// keep their variants, for callers who build them.
fn error_variants(errors: &[NamedRef], structs: &[ir::Struct]) -> Vec<ir::ErrorVariant> {
    let code_of = |error: &NamedRef| {
        structs
            .iter()
            .find(|s| s.id == error.id)
            .and_then(|s| match &s.role {
                StructRole::Error(info) => Some(info.code.clone()),
                _ => None,
            })
            .unwrap_or_else(|| error.rust_name.clone())
    };
    let codes: Vec<String> = errors.iter().map(code_of).collect();
    let parsed_into = |code: &str| -> Option<&NamedRef> {
        let sharing: Vec<&NamedRef> = errors
            .iter()
            .zip(&codes)
            .filter(|(_, c)| c.as_str() == code)
            .map(|(e, _)| e)
            .collect();
        sharing
            .iter()
            .find(|e| e.rust_name == naming::type_name(code))
            .or(sharing.first())
            .copied()
    };
    errors
        .iter()
        .zip(codes.iter())
        .map(|(error, code)| ir::ErrorVariant {
            error: error.clone(),
            code: code.clone(),
            parsed_as: parsed_into(code)
                .filter(|winner| winner.id != error.id)
                .map(|winner| winner.rust_name.clone()),
        })
        .collect()
}

fn collect_resource_operations(
    model: &Model,
    resources: &[String],
    out: &mut Vec<String>,
    visiting: &mut Vec<String>,
) -> Result<()> {
    for id in resources {
        if visiting.contains(id) {
            return Err(Error::shape(id, "resources form a cycle"));
        }
        let resource = model.get(id, id)?;
        if let ShapeKind::Resource {
            operations,
            resources,
        } = &resource.kind
        {
            out.extend(
                operations
                    .iter()
                    .filter(|op| !out.contains(op))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
            visiting.push(id.clone());
            collect_resource_operations(model, resources, out, visiting)?;
            visiting.pop();
        }
    }
    Ok(())
}

fn error_info(shape: &Shape) -> ir::ErrorInfo {
    let fault = shape.traits.error.unwrap_or(ErrorFault::Client);
    let query = shape.traits.aws_query_error.as_ref();
    ir::ErrorInfo {
        code: query.map_or_else(|| shape.name().to_owned(), |q| q.code.clone()),
        http_status: query
            .map(|q| q.http_response_code)
            .or(shape.traits.http_error)
            .unwrap_or(match fault {
                ErrorFault::Client => 400,
                ErrorFault::Server => 500,
            }),
        fault,
    }
}

fn docs(traits: &Traits) -> String {
    traits
        .documentation
        .as_deref()
        .map(html_to_markdown)
        .unwrap_or_default()
}

/// A member's documentation, else its target's (as smithy-rs does): many members
/// are documented only on the shape they point at.
fn member_docs(member: &Traits, target: &Traits) -> String {
    match &member.documentation {
        Some(_) => docs(member),
        None => docs(target),
    }
}

/// A member's query key and XML element name, and whether its list or map is
/// flattened on the wire. Smithy flattens on the member (`@xmlFlattened`);
/// legacy (botocore) models flatten on the list or map shape, and there a
/// flattened list's member name is the key.
fn wire_key(name: &str, xml_name: Option<&str>, flattened: bool, ty: &TypeRef) -> (String, bool) {
    let own = xml_name.unwrap_or(name);
    let key = match ty {
        TypeRef::List(list) if list.flattened && !flattened => {
            list.item_xml_name.as_deref().unwrap_or(own)
        }
        _ => own,
    };
    let flattened = flattened
        || matches!(ty, TypeRef::List(list) if list.flattened)
        || matches!(ty, TypeRef::Map(map) if map.flattened);
    (key.to_owned(), flattened)
}

/// The deprecation note, as Markdown (the message may hold HTML).
fn deprecated(traits: &Traits) -> Option<String> {
    traits.deprecated.as_ref().map(|d| {
        let note = match (&d.message, &d.since) {
            (Some(m), Some(s)) => format!("{m} (since {s})"),
            (Some(m), None) => m.clone(),
            (None, Some(s)) => format!("Deprecated since {s}."),
            (None, None) => "Deprecated.".to_owned(),
        };
        html_to_markdown(&note)
    })
}

struct Lowerer<'m> {
    model: &'m Model,
    rename: &'m indexmap::IndexMap<String, String>,
    /// Named shape id → (Rust name, module, kind).
    names: BTreeMap<String, NamedRef>,
    /// Memoised "does `from` reach `to` through direct members" answers.
    boxing: HashMap<(String, String), bool>,
}

impl<'m> Lowerer<'m> {
    /// Collects the named shapes reachable from `id`'s members (not `id` itself).
    fn walk_members(
        &self,
        id: &str,
        named: &mut BTreeSet<String>,
        seen: &mut HashSet<String>,
    ) -> Result<()> {
        if !seen.insert(id.to_owned()) {
            return Ok(());
        }
        let shape = self.model.get(id, id)?;
        let members: Vec<&Member> = match &shape.kind {
            ShapeKind::Structure { members } | ShapeKind::Union { members } => {
                members.iter().collect()
            }
            ShapeKind::List { member } => vec![&**member],
            ShapeKind::Map { key, value } => vec![&**key, &**value],
            _ => Vec::new(),
        };
        for member in members {
            let target = self.model.get(&member.target, &member.id)?;
            if matches!(
                target.kind,
                ShapeKind::Structure { .. }
                    | ShapeKind::Union { .. }
                    | ShapeKind::Enum { .. }
                    | ShapeKind::IntEnum { .. }
            ) && target.id != "smithy.api#Unit"
            {
                named.insert(target.id.clone());
            }
            self.walk_members(&target.id, named, seen)?;
        }
        Ok(())
    }

    fn assign_names(&mut self, named: &BTreeSet<String>, errors: &BTreeSet<String>) -> Result<()> {
        let mut taken: BTreeMap<(bool, String), String> = BTreeMap::new();
        for (id, is_error) in named
            .iter()
            .map(|id| (id, false))
            .chain(errors.iter().map(|id| (id, true)))
        {
            let shape = &self.model.shapes[id];
            let model_name = self.rename.get(id).map_or(shape.name(), String::as_str);
            let rust_name = naming::type_name(model_name);
            if let Some(other) = taken.insert((is_error, rust_name.clone()), id.clone()) {
                return Err(Error::shape(
                    id,
                    format!("shapes `{other}` and `{id}` would both be named `{rust_name}` in Rust; add a `rename` to the service"),
                ));
            }
            let kind = match shape.kind {
                ShapeKind::Union { .. } => NamedKind::Union,
                ShapeKind::Enum { .. } => NamedKind::Enum,
                ShapeKind::IntEnum { .. } => NamedKind::IntEnum,
                _ => NamedKind::Struct,
            };
            let module = if is_error {
                Module::Error
            } else {
                Module::Types
            };
            self.names.insert(
                id.clone(),
                NamedRef {
                    id: id.clone(),
                    rust_name,
                    module,
                    kind,
                },
            );
        }
        Ok(())
    }

    fn named(&self, id: &str, referrer: &str) -> Result<NamedRef> {
        self.names.get(id).cloned().ok_or_else(|| {
            Error::shape(
                referrer,
                format!("refers to `{id}`, which is outside the service closure"),
            )
        })
    }

    /// Type of a member (or list/map member), its sensitivity included.
    fn type_ref(&self, member: &Member, visiting: &mut Vec<String>) -> Result<(TypeRef, bool)> {
        let target = self.model.get(&member.target, &member.id)?;
        let sensitive = member.traits.sensitive || target.traits.sensitive;
        let ty = match &target.kind {
            ShapeKind::Simple(simple) => match simple {
                Simple::Blob => TypeRef::Blob,
                Simple::Boolean => TypeRef::Bool,
                Simple::String => TypeRef::String,
                Simple::Byte => TypeRef::Byte,
                Simple::Short => TypeRef::Short,
                Simple::Integer => TypeRef::Integer,
                Simple::Long => TypeRef::Long,
                Simple::Float => TypeRef::Float,
                Simple::Double => TypeRef::Double,
                Simple::BigInteger => TypeRef::BigInteger,
                Simple::BigDecimal => TypeRef::BigDecimal,
                Simple::Timestamp => TypeRef::Timestamp(
                    member
                        .traits
                        .timestamp_format
                        .or(target.traits.timestamp_format),
                ),
                Simple::Document => TypeRef::Document,
            },
            ShapeKind::Structure { .. }
            | ShapeKind::Union { .. }
            | ShapeKind::Enum { .. }
            | ShapeKind::IntEnum { .. } => TypeRef::Named(self.named(&target.id, &member.id)?),
            ShapeKind::List { member: item } | ShapeKind::Map { value: item, .. } => {
                if visiting.contains(&target.id) {
                    return Err(Error::shape(
                        &target.id,
                        "a list or map contains itself without a structure or union in between",
                    ));
                }
                visiting.push(target.id.clone());
                let (item_ty, item_sensitive) = self.type_ref(item, visiting)?;
                let ty = match &target.kind {
                    ShapeKind::Map { key, value } => {
                        let (key_ty, key_sensitive) = self.type_ref(key, visiting)?;
                        visiting.pop();
                        return Ok((
                            TypeRef::Map(Box::new(ir::Map {
                                id: target.id.clone(),
                                key: key_ty,
                                value: item_ty,
                                key_xml_name: key.traits.xml_name.clone(),
                                value_xml_name: value.traits.xml_name.clone(),
                                sparse: target.traits.sparse,
                                flattened: target.traits.xml_flattened,
                            })),
                            sensitive || item_sensitive || key_sensitive,
                        ));
                    }
                    _ => TypeRef::List(Box::new(ir::List {
                        id: target.id.clone(),
                        item: item_ty,
                        item_xml_name: item.traits.xml_name.clone(),
                        sparse: target.traits.sparse,
                        flattened: target.traits.xml_flattened,
                    })),
                };
                visiting.pop();
                return Ok((ty, sensitive || item_sensitive));
            }
            ShapeKind::Operation { .. }
            | ShapeKind::Service { .. }
            | ShapeKind::Resource { .. } => {
                return Err(Error::shape(
                    &member.id,
                    format!("targets `{}`, which is not a data shape", target.id),
                ));
            }
        };
        Ok((ty, sensitive))
    }

    /// Whether a direct (non-collection) member edge from `owner` to `target` closes a cycle.
    fn needs_box(&mut self, owner: Option<&str>, ty: &TypeRef) -> bool {
        let (Some(owner), TypeRef::Named(target)) = (owner, ty) else {
            return false;
        };
        if !matches!(target.kind, NamedKind::Struct | NamedKind::Union) {
            return false;
        }
        self.reaches(&target.id, owner, &mut HashSet::new())
    }

    fn reaches(&mut self, from: &str, to: &str, visited: &mut HashSet<String>) -> bool {
        if from == to {
            return true;
        }
        let key = (from.to_owned(), to.to_owned());
        if let Some(&known) = self.boxing.get(&key) {
            return known;
        }
        if !visited.insert(from.to_owned()) {
            return false;
        }
        let next: Vec<String> = match self.model.shapes.get(from).map(|s| &s.kind) {
            Some(ShapeKind::Structure { members } | ShapeKind::Union { members }) => members
                .iter()
                .filter(|m| {
                    self.model.shapes.get(&m.target).is_some_and(|t| {
                        matches!(
                            t.kind,
                            ShapeKind::Structure { .. } | ShapeKind::Union { .. }
                        )
                    })
                })
                .map(|m| m.target.clone())
                .collect(),
            _ => Vec::new(),
        };
        let result = next.iter().any(|n| self.reaches(n, to, visited));
        self.boxing.insert(key, result);
        result
    }

    /// Lowers a structure. `owner` overrides the shape id used for recursion checks
    /// (`None` for synthesized operation inputs and outputs, which nothing refers to).
    fn structure(
        &mut self,
        shape: &Shape,
        members: &[Member],
        role: StructRole,
        rust_name: Option<String>,
    ) -> Result<ir::Struct> {
        let owner = if rust_name.is_some() {
            None
        } else {
            Some(shape.id.as_str())
        };
        let mut fields = Vec::with_capacity(members.len());
        for member in members {
            let target = self.model.get(&member.target, &member.id)?;
            let (ty, sensitive) = self.type_ref(member, &mut Vec::new())?;
            let traits = &member.traits;
            let default = match &traits.default {
                Some(value) => Some(value.clone()),
                // A member of a prelude primitive inherits its zero default (models converted from Smithy 1.0).
                None => target.traits.default.clone(),
            };
            let non_null_default = default.as_ref().filter(|v| !v.is_null());
            let optional = role == StructRole::Input
                || traits.client_optional
                || !(traits.required || non_null_default.is_some());
            let default = match (optional, non_null_default) {
                (false, Some(value)) => Some(default_value(&member.id, &ty, value, self.model)?),
                _ => None,
            };
            let boxed = self.needs_box(owner, &ty);
            let (wire_key, wire_flattened) = wire_key(
                &member.name,
                traits.xml_name.as_deref(),
                traits.xml_flattened,
                &ty,
            );
            let docs = match member_docs(traits, &target.traits) {
                docs if docs.is_empty()
                    && matches!(role, StructRole::Error(_))
                    && member.name.eq_ignore_ascii_case("message") =>
                {
                    "The error message, as the service wrote it.".to_owned()
                }
                docs => docs,
            };
            let docs_summary = crate::docs::summary(&docs).map(str::to_owned);
            fields.push(Field {
                member_id: member.id.clone(),
                wire_name: member.name.clone(),
                xml_name: traits.xml_name.clone(),
                rust_name: naming::field_name(&member.name),
                ty,
                optional,
                boxed,
                required: traits.required,
                default,
                flattened: traits.xml_flattened,
                wire_key,
                wire_flattened,
                idempotency_token: traits.idempotency_token,
                host_label: traits.host_label,
                sensitive,
                docs,
                docs_summary,
                deprecated: deprecated(traits),
            });
        }
        let setters: Vec<String> = fields
            .iter()
            .map(|f| naming::setter_name(&f.rust_name))
            .collect();
        naming::check_unique(
            &shape.id,
            "members",
            fields
                .iter()
                .map(|f| (f.wire_name.as_str(), f.rust_name.as_str()))
                .chain(
                    fields
                        .iter()
                        .zip(&setters)
                        .map(|(f, s)| (f.wire_name.as_str(), s.as_str())),
                ),
        )?;
        Ok(ir::Struct {
            id: shape.id.clone(),
            rust_name: match rust_name {
                Some(name) => name,
                None => self.named(&shape.id, &shape.id)?.rust_name,
            },
            docs: docs(&shape.traits),
            deprecated: deprecated(&shape.traits),
            sensitive: shape.traits.sensitive,
            role,
            fields,
        })
    }

    fn union(&mut self, shape: &Shape, members: &[Member]) -> Result<ir::Union> {
        let mut variants = Vec::with_capacity(members.len());
        for member in members {
            let ty = if member.target == "smithy.api#Unit" {
                None
            } else {
                Some(self.type_ref(member, &mut Vec::new())?.0)
            };
            let boxed = ty
                .as_ref()
                .is_some_and(|ty| self.needs_box(Some(&shape.id), ty));
            variants.push(ir::UnionVariant {
                wire_name: member.name.clone(),
                xml_name: member.traits.xml_name.clone(),
                rust_name: naming::variant_name(&member.name),
                ty,
                boxed,
                flattened: member.traits.xml_flattened,
                docs: member_docs(
                    &member.traits,
                    &self.model.get(&member.target, &member.id)?.traits,
                ),
            });
        }
        naming::check_unique(
            &shape.id,
            "members",
            variants
                .iter()
                .map(|v| (v.wire_name.as_str(), v.rust_name.as_str())),
        )?;
        Ok(ir::Union {
            id: shape.id.clone(),
            rust_name: self.named(&shape.id, &shape.id)?.rust_name,
            docs: docs(&shape.traits),
            deprecated: deprecated(&shape.traits),
            sensitive: shape.traits.sensitive,
            variants,
        })
    }

    fn enumeration(&self, shape: &Shape, members: &[Member], int: bool) -> Result<ir::Enum> {
        let mut variants = Vec::with_capacity(members.len());
        for member in members {
            let value = match &member.traits.enum_value {
                Some(crate::traits::EnumValue::String(s)) => s.clone(),
                Some(crate::traits::EnumValue::Int(i)) => {
                    i32::try_from(*i).map_err(|_| {
                        Error::shape(
                            &member.id,
                            format!("intEnum value {i} does not fit a 32-bit integer"),
                        )
                    })?;
                    i.to_string()
                }
                None => member.name.clone(),
            };
            variants.push(ir::Variant {
                member_name: member.name.clone(),
                rust_name: naming::variant_name(&member.name),
                value,
                docs: docs(&member.traits),
                deprecated: deprecated(&member.traits),
            });
        }
        naming::check_unique(
            &shape.id,
            "enum members",
            variants
                .iter()
                .map(|v| (v.member_name.as_str(), v.rust_name.as_str())),
        )?;
        Ok(ir::Enum {
            id: shape.id.clone(),
            rust_name: self.named(&shape.id, &shape.id)?.rust_name,
            docs: docs(&shape.traits),
            deprecated: deprecated(&shape.traits),
            sensitive: shape.traits.sensitive,
            int,
            variants,
        })
    }

    fn operation(&mut self, op: &Shape, service_errors: &[String]) -> Result<ir::Operation> {
        let ShapeKind::Operation {
            input,
            output,
            errors,
        } = &op.kind
        else {
            return Err(Error::shape(&op.id, "is not an operation"));
        };
        let type_base = naming::type_name(op.name());
        let unit = self.model.get("smithy.api#Unit", &op.id)?.clone();
        let mut io = |id: &Option<String>, role: StructRole, suffix: &str| -> Result<ir::Struct> {
            let shape = match id {
                Some(id) => self.model.get(id, &op.id)?.clone(),
                None => unit.clone(),
            };
            let ShapeKind::Structure { members } = &shape.kind else {
                return Err(Error::shape(
                    &op.id,
                    format!("its {suffix} must be a structure"),
                ));
            };
            let mut lowered =
                self.structure(&shape, members, role, Some(format!("{type_base}{suffix}")))?;
            if lowered.docs.is_empty() {
                lowered.docs = format!(
                    "The {} of the `{}` operation.",
                    suffix.to_lowercase(),
                    op.name()
                );
            }
            Ok(lowered)
        };
        let input = io(input, StructRole::Input, "Input")?;
        let host_prefix = host_prefix(op, &input)?;
        let output = io(output, StructRole::Output, "Output")?;
        let mut error_refs = Vec::new();
        for id in errors.iter().chain(service_errors) {
            let named = self.named(id, &op.id)?;
            if !error_refs.contains(&named) {
                error_refs.push(named);
            }
        }
        error_refs.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        Ok(ir::Operation {
            id: op.id.clone(),
            wire_name: op.name().to_owned(),
            rust_name: naming::operation_name(op.name()),
            error_name: naming::operation_error(op.name()),
            feature: naming::operation_feature(&naming::operation_name(op.name())),
            fluent_name: naming::fluent_builder(op.name()),
            docs: docs(&op.traits),
            deprecated: deprecated(&op.traits),
            input,
            output,
            errors: error_refs,
            error_variants: Vec::new(),
            paginated: op.traits.paginated.clone(),
            pagination: None,
            waiters: Vec::new(),
            host_prefix,
        })
    }
}

/// The operation's `smithy.api#endpoint` host prefix, parsed into literal text and
/// labels: every `{label}` must name a `@hostLabel` string member of the input.
fn host_prefix(op: &Shape, input: &ir::Struct) -> Result<Option<Vec<ir::HostPrefixPart>>> {
    let Some(prefix) = op.traits.host_prefix.as_deref() else {
        return Ok(None);
    };
    let mut parts = Vec::new();
    let mut rest = prefix;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').ok_or_else(|| {
            Error::shape(
                &op.id,
                format!("host prefix `{prefix}` has an unclosed `{{`"),
            )
        })?;
        let label = &rest[start + 1..start + end];
        let field = input
            .fields
            .iter()
            .find(|f| f.wire_name == label && f.host_label && f.ty == TypeRef::String)
            .ok_or_else(|| {
                Error::shape(
                    &op.id,
                    format!(
                        "host prefix label `{label}` is not a `@hostLabel` string member of the input"
                    ),
                )
            })?;
        if start > 0 {
            parts.push(ir::HostPrefixPart::Literal(rest[..start].to_owned()));
        }
        parts.push(ir::HostPrefixPart::Label {
            wire_name: field.wire_name.clone(),
            rust_name: field.rust_name.clone(),
        });
        rest = &rest[start + end + 1..];
    }
    if !rest.is_empty() {
        parts.push(ir::HostPrefixPart::Literal(rest.to_owned()));
    }
    Ok(Some(parts))
}

/// Converts a model default to the IR, checking it fits the member's type.
fn default_value(
    member_id: &str,
    ty: &TypeRef,
    value: &Value,
    model: &Model,
) -> Result<DefaultValue> {
    let bad = || {
        Error::shape(
            member_id,
            format!("default value {value} does not fit the member's type"),
        )
    };
    Ok(match (ty, value) {
        (TypeRef::Bool, Value::Bool(b)) => DefaultValue::Bool(*b),
        (TypeRef::Byte | TypeRef::Short | TypeRef::Integer | TypeRef::Long, Value::Number(n)) => {
            let n = n.as_i64().ok_or_else(bad)?;
            let fits = match ty {
                TypeRef::Byte => i8::try_from(n).is_ok(),
                TypeRef::Short => i16::try_from(n).is_ok(),
                TypeRef::Integer => i32::try_from(n).is_ok(),
                _ => true,
            };
            if !fits {
                return Err(bad());
            }
            DefaultValue::Int(n)
        }
        (TypeRef::Float | TypeRef::Double, Value::Number(n)) => DefaultValue::Float(n.as_f64().ok_or_else(bad)?),
        (TypeRef::String, Value::String(s)) => DefaultValue::String(s.clone()),
        (TypeRef::Named(named), Value::String(s)) if named.kind == NamedKind::Enum => {
            let known = match model.shapes.get(&named.id).map(|s| &s.kind) {
                Some(ShapeKind::Enum { members }) => members.iter().any(|m| match &m.traits.enum_value {
                    Some(crate::traits::EnumValue::String(v)) => v == s,
                    _ => &m.name == s,
                }),
                _ => false,
            };
            if !known {
                return Err(Error::shape(member_id, format!("default value \"{s}\" is not a value of enum `{}`", named.id)));
            }
            DefaultValue::String(s.clone())
        }
        (TypeRef::Named(named), Value::Number(n)) if named.kind == NamedKind::IntEnum => {
            DefaultValue::Int(n.as_i64().filter(|n| i32::try_from(*n).is_ok()).ok_or_else(bad)?)
        }
        (TypeRef::List(_), Value::Array(items)) | (TypeRef::Map(_), Value::Array(items)) if items.is_empty() => DefaultValue::Empty,
        (TypeRef::Map(_), Value::Object(map)) if map.is_empty() => DefaultValue::Empty,
        (TypeRef::Timestamp(_), Value::Number(n)) => DefaultValue::EpochSeconds(n.as_f64().ok_or_else(bad)?),
        // `@default("")` on a blob (streaming outputs in 14 public models): the empty blob.
        (TypeRef::Blob, Value::String(s)) if s.is_empty() => DefaultValue::Empty,
        (TypeRef::Blob | TypeRef::Document | TypeRef::BigInteger | TypeRef::BigDecimal, _) => {
            return Err(Error::shape(member_id, "defaults of blob (other than the empty blob), document, bigInteger and bigDecimal members are not supported; make the member optional"))
        }
        _ => return Err(bad()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small awsQuery service: `Get` takes a documented member, a member documented
    /// only on its target, and an undocumented one; its error has an undocumented message.
    const MODEL: &str = r#"{
      "smithy": "2.0",
      "shapes": {
        "ex#Svc": {
          "type": "service", "version": "2020-01-01", "operations": [{"target": "ex#Get"}],
          "traits": {
            "aws.protocols#awsQuery": {}, "smithy.api#title": "Example Service",
            "smithy.api#documentation": "<p>Example Service</p><p>Does things.</p>"
          }
        },
        "ex#Get": {
          "type": "operation", "input": {"target": "ex#GetRequest"},
          "errors": [{"target": "ex#Missing"}]
        },
        "ex#GetRequest": {
          "type": "structure",
          "members": {
            "Own": {"target": "ex#Mode", "traits": {"smithy.api#documentation": "<p>Its own words.</p>"}},
            "Inherited": {"target": "ex#Mode"},
            "Bare": {"target": "smithy.api#String"}
          }
        },
        "ex#Mode": {
          "type": "enum",
          "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a"}}},
          "traits": {"smithy.api#documentation": "<p>How to get.</p>"}
        },
        "ex#Missing": {
          "type": "structure", "members": {"message": {"target": "smithy.api#String"}},
          "traits": {"smithy.api#error": "client"}
        }
      }
    }"#;

    fn service() -> ir::Service {
        let model = Model::load("test.json", MODEL).expect("the model loads");
        lower(&model, "ex#Svc").expect("the model lowers")
    }

    #[test]
    fn a_member_without_docs_takes_its_targets() {
        let service = service();
        let input = &service.operations[0].input;
        let docs = |name: &str| {
            input
                .fields
                .iter()
                .find(|f| f.wire_name == name)
                .map(|f| f.docs.clone())
                .expect("the member exists")
        };
        assert_eq!(docs("Own"), "Its own words.");
        assert_eq!(docs("Inherited"), "How to get.");
        assert_eq!(docs("Bare"), "", "the emitter writes the placeholder");
        let message = &service.errors[0].fields[0];
        assert_eq!(message.docs, "The error message, as the service wrote it.");
    }

    fn with_host_prefix(prefix: &str, label_member: &str) -> Result<ir::Service> {
        let model = format!(
            r#"{{"smithy": "2.0", "shapes": {{
              "ex#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "ex#Put"}}],
                          "traits": {{"aws.protocols#awsQuery": {{}}}}}},
              "ex#Put": {{"type": "operation", "input": {{"target": "ex#PutInput"}},
                          "traits": {{"smithy.api#endpoint": {{"hostPrefix": "{prefix}"}}}}}},
              "ex#PutInput": {{"type": "structure", "members": {{
                "{label_member}": {{"target": "smithy.api#String",
                  "traits": {{"smithy.api#hostLabel": {{}}, "smithy.api#required": {{}}}}}}}}}}
            }}}}"#
        );
        lower(&Model::load("test.json", &model)?, "ex#Svc")
    }

    #[test]
    fn a_host_prefix_is_parsed_once_into_text_and_labels() {
        let service = with_host_prefix("{Account}.data-", "Account").unwrap();
        assert_eq!(
            service.operations[0].host_prefix,
            Some(vec![
                ir::HostPrefixPart::Label {
                    wire_name: "Account".into(),
                    rust_name: "account".into()
                },
                ir::HostPrefixPart::Literal(".data-".into()),
            ])
        );
        let error = with_host_prefix("{Other}.data-", "Account").unwrap_err();
        assert!(
            error.to_string().contains("`Other` is not a `@hostLabel`"),
            "{error}"
        );
        let error = with_host_prefix("{Account.data-", "Account").unwrap_err();
        assert!(error.to_string().contains("unclosed"), "{error}");
    }

    #[test]
    fn a_shared_error_code_parses_into_the_error_named_for_it_else_the_first() {
        let model = r#"{"smithy": "2.0", "shapes": {
          "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Get"}],
                     "traits": {"aws.protocols#awsQuery": {}}},
          "ex#Get": {"type": "operation", "errors": [
            {"target": "ex#ResourceNotFoundException"}, {"target": "ex#ResourceNotFound"},
            {"target": "ex#Beta"}, {"target": "ex#Alpha"}, {"target": "ex#Alone"}]},
          "ex#ResourceNotFoundException": {"type": "structure", "members": {}, "traits": {
            "smithy.api#error": "client",
            "aws.protocols#awsQueryError": {"code": "ResourceNotFound", "httpResponseCode": 404}}},
          "ex#ResourceNotFound": {"type": "structure", "members": {},
            "traits": {"smithy.api#error": "client"}},
          "ex#Beta": {"type": "structure", "members": {}, "traits": {
            "smithy.api#error": "client",
            "aws.protocols#awsQueryError": {"code": "Gone", "httpResponseCode": 410}}},
          "ex#Alpha": {"type": "structure", "members": {}, "traits": {
            "smithy.api#error": "client",
            "aws.protocols#awsQueryError": {"code": "Gone", "httpResponseCode": 410}}},
          "ex#Alone": {"type": "structure", "members": {},
            "traits": {"smithy.api#error": "server"}}
        }}"#;
        let service = lower(&Model::load("test.json", model).unwrap(), "ex#Svc").unwrap();
        let summary = |variants: &[ir::ErrorVariant]| -> Vec<(String, String, Option<String>)> {
            variants
                .iter()
                .map(|v| {
                    (
                        v.error.rust_name.clone(),
                        v.code.clone(),
                        v.parsed_as.clone(),
                    )
                })
                .collect()
        };
        let expected = vec![
            ("Alone".to_owned(), "Alone".to_owned(), None),
            ("Alpha".to_owned(), "Gone".to_owned(), None),
            (
                "Beta".to_owned(),
                "Gone".to_owned(),
                Some("Alpha".to_owned()),
            ),
            (
                "ResourceNotFound".to_owned(),
                "ResourceNotFound".to_owned(),
                None,
            ),
            (
                "ResourceNotFoundException".to_owned(),
                "ResourceNotFound".to_owned(),
                Some("ResourceNotFound".to_owned()),
            ),
        ];
        assert_eq!(summary(&service.operations[0].error_variants), expected);
        assert_eq!(summary(&service.error_variants), expected);
    }

    #[test]
    fn wire_keys_and_deprecation_notes_are_decided_here() {
        let model = r#"{"smithy": "2.0", "shapes": {
          "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Put"}],
                     "traits": {"aws.protocols#awsQuery": {}}},
          "ex#Put": {"type": "operation", "input": {"target": "ex#PutInput"}},
          "ex#PutInput": {"type": "structure", "members": {
            "Plain": {"target": "smithy.api#String", "traits": {
              "smithy.api#deprecated": {"message": "Use <code>Renamed</code>.", "since": "2020"}}},
            "Renamed": {"target": "smithy.api#String", "traits": {"smithy.api#xmlName": "Other"}},
            "OnMember": {"target": "ex#Names", "traits": {"smithy.api#xmlFlattened": {}}},
            "OnShape": {"target": "ex#LegacyNames"}
          }},
          "ex#Names": {"type": "list", "member": {"target": "smithy.api#String",
            "traits": {"smithy.api#xmlName": "Name"}}},
          "ex#LegacyNames": {"type": "list", "member": {"target": "smithy.api#String",
            "traits": {"smithy.api#xmlName": "Name"}}, "traits": {"smithy.api#xmlFlattened": {}}}
        }}"#;
        let service = lower(&Model::load("test.json", model).unwrap(), "ex#Svc").unwrap();
        let input = &service.operations[0].input;
        let wire: Vec<(&str, &str, bool)> = input
            .fields
            .iter()
            .map(|f| (f.wire_name.as_str(), f.wire_key.as_str(), f.wire_flattened))
            .collect();
        assert_eq!(
            wire,
            [
                ("Plain", "Plain", false),
                ("Renamed", "Other", false),
                ("OnMember", "OnMember", true),
                ("OnShape", "Name", true),
            ]
        );
        assert_eq!(
            input.fields[0].deprecated.as_deref(),
            Some("Use `Renamed`. (since 2020)")
        );
    }

    #[test]
    fn usage_says_which_code_each_type_needs_and_which_features_compile_it() {
        let model = r#"{"smithy": "2.0", "shapes": {
          "ex#Svc": {"type": "service", "version": "1",
                     "operations": [{"target": "ex#PutThing"}, {"target": "ex#GetThing"}],
                     "traits": {"aws.protocols#awsQuery": {}}},
          "ex#PutThing": {"type": "operation", "input": {"target": "ex#PutInput"},
                          "output": {"target": "ex#Out"}, "errors": [{"target": "ex#Oops"}]},
          "ex#GetThing": {"type": "operation", "output": {"target": "ex#Out"}},
          "ex#PutInput": {"type": "structure", "members": {"T": {"target": "ex#Thing"}}},
          "ex#Out": {"type": "structure", "members": {"S": {"target": "ex#Shared"}}},
          "ex#Thing": {"type": "structure", "members": {"N": {"target": "smithy.api#String"}}},
          "ex#Shared": {"type": "structure", "members": {"N": {"target": "smithy.api#String"}}},
          "ex#Oops": {"type": "structure", "members": {"D": {"target": "ex#Detail"}},
                      "traits": {"smithy.api#error": "client"}},
          "ex#Detail": {"type": "structure", "members": {"N": {"target": "smithy.api#String"}}}
        }}"#;
        let service = lower(&Model::load("test.json", model).unwrap(), "ex#Svc").unwrap();
        let usage = |id: &str| {
            let u = service.usage(id);
            (u.serialized, u.parsed, u.features.clone())
        };
        let put = vec!["put-thing".to_owned()];
        assert_eq!(usage("ex#Thing"), (true, false, put.clone()));
        assert_eq!(
            usage("ex#Shared"),
            (false, true, vec![]),
            "both operations reach it"
        );
        assert_eq!(
            usage("ex#Detail"),
            (false, true, put.clone()),
            "an error reaches it"
        );
        assert_eq!(usage("ex#Oops"), (false, false, put));
        assert_eq!(usage("ex#Unknown"), (false, false, vec![]));
        assert_eq!(
            service.usage("ex#Thing").gate.as_deref(),
            Some("_type-Thing")
        );
        assert_eq!(
            service.usage("ex#Oops").gate.as_deref(),
            Some("_error-Oops")
        );
        assert_eq!(service.usage("ex#Shared").gate, None, "always compiled");
        assert_eq!(service.operations[1].feature, "put-thing");
    }

    #[test]
    fn service_docs_do_not_repeat_the_title() {
        let service = service();
        assert_eq!(service.title, "Example Service");
        assert_eq!(service.docs, "Does things.");
    }
}
