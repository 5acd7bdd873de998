//! Pass 1, load: Smithy 2.0 JSON AST text → [`Model`].
//!
//! The loader resolves everything that is about the model itself rather than
//! about Rust: the prelude, `apply` statements, mixins, typed traits and
//! reference checks. Object order is preserved from the file (serde_json's
//! `preserve_order`), because member order is wire order.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::traits::{kind_of, Traits};

/// Simple (scalar) shape types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Simple {
    /// `blob`
    Blob,
    /// `boolean`
    Boolean,
    /// `string`
    String,
    /// `byte`
    Byte,
    /// `short`
    Short,
    /// `integer`
    Integer,
    /// `long`
    Long,
    /// `float`
    Float,
    /// `double`
    Double,
    /// `bigInteger`
    BigInteger,
    /// `bigDecimal`
    BigDecimal,
    /// `timestamp`
    Timestamp,
    /// `document`
    Document,
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// `ns#Shape$name`.
    pub id: String,
    /// The member name as written in the model (its wire name by default).
    pub name: String,
    /// Absolute id of the target shape.
    pub target: String,
    /// The member's own traits.
    pub traits: Traits,
}

/// What kind of shape, with its references.
#[derive(Debug, Clone, PartialEq)]
pub enum ShapeKind {
    /// A scalar.
    Simple(Simple),
    /// `list` (and the legacy `set`).
    List {
        /// The element member.
        member: Box<Member>,
    },
    /// `map`.
    Map {
        /// Key member (targets a string or enum).
        key: Box<Member>,
        /// Value member.
        value: Box<Member>,
    },
    /// `structure`.
    Structure {
        /// Members in declaration order (mixin members first).
        members: Vec<Member>,
    },
    /// `union`.
    Union {
        /// Variants in declaration order.
        members: Vec<Member>,
    },
    /// `enum` (string values).
    Enum {
        /// Enum members; each value is in `traits.enum_value`.
        members: Vec<Member>,
    },
    /// `intEnum`.
    IntEnum {
        /// Enum members; each value is in `traits.enum_value`.
        members: Vec<Member>,
    },
    /// `operation`.
    Operation {
        /// Input structure, `None` for `smithy.api#Unit`.
        input: Option<String>,
        /// Output structure, `None` for `smithy.api#Unit`.
        output: Option<String>,
        /// Error structures.
        errors: Vec<String>,
    },
    /// `service`.
    Service {
        /// `version`.
        version: String,
        /// Operations bound directly.
        operations: Vec<String>,
        /// Resources bound directly.
        resources: Vec<String>,
        /// Errors common to every operation.
        errors: Vec<String>,
        /// `rename`: shape id → name to use instead.
        rename: IndexMap<String, String>,
    },
    /// `resource`.
    Resource {
        /// Every operation bound to the resource (lifecycle and others), in model order.
        operations: Vec<String>,
        /// Child resources.
        resources: Vec<String>,
    },
}

/// One shape of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Absolute shape id.
    pub id: String,
    /// Its kind and references.
    pub kind: ShapeKind,
    /// Its traits, after `apply` and mixins.
    pub traits: Traits,
}

impl Shape {
    /// The name part of the shape id (`ns#Name` → `Name`).
    pub fn name(&self) -> &str {
        shape_name(&self.id)
    }
}

/// A loaded model: every shape by absolute id, prelude included.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Shapes in file order, prelude shapes last.
    pub shapes: IndexMap<String, Shape>,
}

/// The name part of an absolute shape id.
pub fn shape_name(id: &str) -> &str {
    let name = id.rsplit_once('#').map_or(id, |(_, name)| name);
    name.split_once('$').map_or(name, |(shape, _)| shape)
}

impl Model {
    /// Parses Smithy JSON AST text. `source` names the text in errors.
    pub fn load(source: &str, text: &str) -> Result<Model> {
        load(text).map_err(|e| e.in_source(source))
    }

    /// The ids of the model's service shapes, in file order.
    pub fn services(&self) -> Vec<&str> {
        self.shapes
            .values()
            .filter(|shape| matches!(shape.kind, ShapeKind::Service { .. }))
            .map(|shape| shape.id.as_str())
            .collect()
    }

    /// Narrows the service `service_id` to the operations named in `names`
    /// (shape names such as `CreateTopic`, or absolute ids), so that what is
    /// generated from it is those operations and the shapes they reach.
    /// Operations bound through resources count as the service's. An unknown
    /// name is an error that lists how many operations the service has.
    pub fn keep_operations(&mut self, service_id: &str, names: &[String]) -> Result<()> {
        let mut all = Vec::new();
        let mut stack = match self.shapes.get(service_id).map(|s| &s.kind) {
            Some(ShapeKind::Service {
                operations,
                resources,
                ..
            }) => {
                all.extend(operations.iter().cloned());
                resources.clone()
            }
            _ => return Err(Error::shape(service_id, "no such service in the model")),
        };
        let mut seen = Vec::new();
        while let Some(resource) = stack.pop() {
            if seen.contains(&resource) {
                continue;
            }
            if let Some(ShapeKind::Resource {
                operations,
                resources,
            }) = self.shapes.get(&resource).map(|s| &s.kind)
            {
                all.extend(
                    operations
                        .iter()
                        .filter(|op| !all.contains(op))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
                stack.extend(resources.iter().cloned());
            }
            seen.push(resource);
        }
        let mut kept = Vec::new();
        for name in names {
            let found = all
                .iter()
                .find(|id| *id == name || shape_name(id) == name)
                .ok_or_else(|| {
                    Error::shape(
                        service_id,
                        format!(
                            "has no operation named `{name}` (it has {} operations; names are the model's, such as `{}`)",
                            all.len(),
                            all.first().map_or("", |id| shape_name(id))
                        ),
                    )
                })?;
            if !kept.contains(found) {
                kept.push(found.clone());
            }
        }
        if let Some(Shape {
            kind:
                ShapeKind::Service {
                    operations,
                    resources,
                    ..
                },
            ..
        }) = self.shapes.get_mut(service_id)
        {
            *operations = kept;
            resources.clear();
        }
        Ok(())
    }

    /// Looks a shape up, failing with a message naming who referred to it.
    pub fn get(&self, id: &str, referrer: &str) -> Result<&Shape> {
        self.shapes.get(id).ok_or_else(|| {
            Error::shape(
                referrer,
                format!("targets `{id}`, which is not defined in the model or the prelude"),
            )
        })
    }
}

/// Raw shape as read from JSON, before mixins and trait parsing.
struct RawShape {
    ty: String,
    body: Map<String, Value>,
    traits: IndexMap<String, Value>,
    /// Member name → its traits, for `apply` on members.
    member_traits: IndexMap<String, IndexMap<String, Value>>,
}

fn load(text: &str) -> Result<Model> {
    // serde_json's message already carries the line and column.
    let doc: Value =
        serde_json::from_str(text).map_err(|e| Error::model(format!("not valid JSON: {e}")))?;
    let doc = doc.as_object().ok_or_else(|| {
        Error::model(format!(
            "a Smithy JSON AST is an object, found {}",
            kind_of(&doc)
        ))
    })?;
    match doc.get("smithy").and_then(Value::as_str) {
        Some("2.0" | "2") => {}
        Some(other) => {
            return Err(Error::model(format!(
                "unsupported Smithy version \"{other}\" (this generator reads 2.0)"
            )))
        }
        None => {
            return Err(Error::model(
                "missing the `smithy` version string (expected \"2.0\")",
            ))
        }
    }
    let shapes = match doc.get("shapes") {
        None => return Err(Error::model("has no `shapes`")),
        Some(Value::Object(shapes)) => shapes,
        Some(other) => {
            return Err(Error::model(format!(
                "`shapes` must be an object, found {}",
                kind_of(other)
            )))
        }
    };

    let mut raw: IndexMap<String, RawShape> = IndexMap::new();
    let mut applies: Vec<(String, IndexMap<String, Value>)> = Vec::new();
    let mut lowercase_ids: IndexMap<String, String> = IndexMap::new();
    for (id, shape) in shapes {
        let body = shape.as_object().ok_or_else(|| {
            Error::shape(
                id,
                format!("a shape must be an object, found {}", kind_of(shape)),
            )
        })?;
        let ty = body
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::shape(id, "has no string `type`"))?;
        let traits = trait_map(id, body.get("traits"))?;
        // Only `apply` may target a member (`ns#Shape$member`).
        match (ty, id.split_once('$')) {
            ("apply", Some((shape_id, member))) if is_identifier(member) => {
                check_shape_id(shape_id)?
            }
            _ => check_shape_id(id)?,
        }
        if ty == "apply" {
            applies.push((id.clone(), traits));
            continue;
        }
        if let Some(other) = lowercase_ids.insert(id.to_lowercase(), id.clone()) {
            return Err(Error::shape(
                id,
                format!("differs from `{other}` only by case; Smithy forbids that"),
            ));
        }
        raw.insert(
            id.clone(),
            RawShape {
                ty: ty.to_owned(),
                body: body.clone(),
                traits,
                member_traits: IndexMap::new(),
            },
        );
    }

    // `apply` merges traits into a shape or member defined elsewhere in the model.
    for (target, traits) in applies {
        let (shape_id, member) = match target.split_once('$') {
            Some((shape, member)) => (shape.to_owned(), Some(member.to_owned())),
            None => (target.clone(), None),
        };
        let shape = raw.get_mut(&shape_id).ok_or_else(|| {
            Error::shape(
                &target,
                "`apply` targets a shape that is not defined in the model",
            )
        })?;
        let slot = match member {
            Some(m) => shape.member_traits.entry(m).or_default(),
            None => &mut shape.traits,
        };
        slot.extend(traits);
    }

    let mut model = Model::default();
    let mut resolving = Vec::new();
    let ids: Vec<String> = raw.keys().cloned().collect();
    for id in &ids {
        let shape = build_shape(id, &raw, &mut resolving)?;
        model.shapes.insert(id.clone(), shape);
    }
    for (id, shape) in prelude() {
        model.shapes.entry(id).or_insert(shape);
    }
    validate(&model)?;
    Ok(model)
}

fn check_shape_id(id: &str) -> Result<()> {
    let (namespace, name) = id
        .split_once('#')
        .ok_or_else(|| Error::shape(id, "is not an absolute shape id (`namespace#Name`)"))?;
    let ok =
        !namespace.is_empty() && namespace.split('.').all(is_identifier) && is_identifier(name);
    if ok {
        Ok(())
    } else {
        Err(Error::shape(
            id,
            "is not a valid shape id: namespace and name must be Smithy identifiers",
        ))
    }
}

/// Smithy identifier: `[A-Za-z_][A-Za-z0-9_]*`, and a leading `_` must be followed by a letter or digit.
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest_ok = s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let start_ok = first.is_ascii_alphabetic()
        || (first == '_' && s.chars().skip(1).any(|c| c.is_ascii_alphanumeric()));
    rest_ok && start_ok
}

fn trait_map(owner: &str, value: Option<&Value>) -> Result<IndexMap<String, Value>> {
    match value {
        None => Ok(IndexMap::new()),
        Some(Value::Object(map)) => Ok(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        Some(other) => Err(Error::shape(
            owner,
            format!("`traits` must be an object, found {}", kind_of(other)),
        )),
    }
}

fn target_of(owner: &str, what: &str, value: Option<&Value>) -> Result<String> {
    let obj = value.and_then(Value::as_object).ok_or_else(|| {
        Error::shape(
            owner,
            format!("needs `{what}` as an object with a `target`"),
        )
    })?;
    let target = obj
        .get("target")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::shape(owner, format!("`{what}` has no string `target`")))?;
    Ok(target.to_owned())
}

fn targets(owner: &str, what: &str, value: Option<&Value>) -> Result<Vec<String>> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| target_of(owner, what, Some(item)))
            .collect(),
        Some(other) => Err(Error::shape(
            owner,
            format!("`{what}` must be an array, found {}", kind_of(other)),
        )),
    }
}

fn member(
    shape_id: &str,
    name: &str,
    value: &Value,
    applied: Option<&IndexMap<String, Value>>,
) -> Result<Member> {
    let id = format!("{shape_id}${name}");
    if !is_identifier(name) {
        return Err(Error::shape(
            &id,
            format!("member name `{name}` is not a Smithy identifier"),
        ));
    }
    let obj = value.as_object().ok_or_else(|| {
        Error::shape(
            &id,
            format!("a member must be an object, found {}", kind_of(value)),
        )
    })?;
    let target = obj
        .get("target")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::shape(&id, "member has no string `target`"))?;
    let mut traits = trait_map(&id, obj.get("traits"))?;
    if let Some(applied) = applied {
        traits.extend(applied.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    Ok(Member {
        traits: Traits::parse(&id, &traits)?,
        id,
        name: name.to_owned(),
        target: target.to_owned(),
    })
}

/// Members of a shape with its mixins' members first (depth-first, mixin order), and
/// its traits with mixin traits inherited underneath its own.
fn members_and_traits(
    id: &str,
    raw: &IndexMap<String, RawShape>,
    resolving: &mut Vec<String>,
) -> Result<(IndexMap<String, Value>, IndexMap<String, Value>)> {
    if resolving.iter().any(|r| r == id) {
        let cycle = resolving
            .iter()
            .chain(std::iter::once(&id.to_owned()))
            .cloned()
            .collect::<Vec<_>>()
            .join(" -> ");
        return Err(Error::shape(id, format!("mixins form a cycle: {cycle}")));
    }
    let shape = raw
        .get(id)
        .ok_or_else(|| Error::shape(id, "is used as a mixin but is not defined in the model"))?;
    resolving.push(id.to_owned());
    let mut members: IndexMap<String, Value> = IndexMap::new();
    let mut traits: IndexMap<String, Value> = IndexMap::new();
    for mixin in targets(id, "mixins", shape.body.get("mixins"))? {
        if raw
            .get(&mixin)
            .is_some_and(|m| !m.traits.contains_key("smithy.api#mixin"))
        {
            resolving.pop();
            return Err(Error::shape(
                id,
                format!("uses `{mixin}` as a mixin, but it lacks the `smithy.api#mixin` trait"),
            ));
        }
        let (mixin_members, mixin_traits) = members_and_traits(&mixin, raw, resolving)?;
        members.extend(mixin_members);
        traits.extend(
            mixin_traits
                .into_iter()
                .filter(|(k, _)| k != "smithy.api#mixin"),
        );
    }
    match shape.body.get("members") {
        None => {}
        Some(Value::Object(own)) => {
            for (name, value) in own {
                if let Some(existing) = members.get_mut(name) {
                    // Redeclaring a mixin member only adds traits on top of the mixin's.
                    merge_member_traits(existing, value);
                } else {
                    members.insert(name.clone(), value.clone());
                }
            }
        }
        Some(other) => {
            resolving.pop();
            return Err(Error::shape(
                id,
                format!("`members` must be an object, found {}", kind_of(other)),
            ));
        }
    }
    traits.extend(shape.traits.iter().map(|(k, v)| (k.clone(), v.clone())));
    resolving.pop();
    Ok((members, traits))
}

fn merge_member_traits(existing: &mut Value, overriding: &Value) {
    let extra = overriding
        .get("traits")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(obj) = existing.as_object_mut() {
        let traits = obj
            .entry("traits")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(traits) = traits.as_object_mut() {
            traits.extend(extra);
        }
    }
}

fn build_shape(
    id: &str,
    raw: &IndexMap<String, RawShape>,
    resolving: &mut Vec<String>,
) -> Result<Shape> {
    let shape = &raw[id];
    let body = &shape.body;
    let simple = |s| Ok(ShapeKind::Simple(s));
    let (kind, traits) = match shape.ty.as_str() {
        "blob" => (simple(Simple::Blob)?, shape.traits.clone()),
        "boolean" => (simple(Simple::Boolean)?, shape.traits.clone()),
        "string" => (simple(Simple::String)?, shape.traits.clone()),
        "byte" => (simple(Simple::Byte)?, shape.traits.clone()),
        "short" => (simple(Simple::Short)?, shape.traits.clone()),
        "integer" => (simple(Simple::Integer)?, shape.traits.clone()),
        "long" => (simple(Simple::Long)?, shape.traits.clone()),
        "float" => (simple(Simple::Float)?, shape.traits.clone()),
        "double" => (simple(Simple::Double)?, shape.traits.clone()),
        "bigInteger" => (simple(Simple::BigInteger)?, shape.traits.clone()),
        "bigDecimal" => (simple(Simple::BigDecimal)?, shape.traits.clone()),
        "timestamp" => (simple(Simple::Timestamp)?, shape.traits.clone()),
        "document" => (simple(Simple::Document)?, shape.traits.clone()),
        "list" | "set" => {
            let value = body
                .get("member")
                .ok_or_else(|| Error::shape(id, "a list must have a `member`"))?;
            let m = member(id, "member", value, shape.member_traits.get("member"))?;
            (
                ShapeKind::List {
                    member: Box::new(m),
                },
                shape.traits.clone(),
            )
        }
        "map" => {
            let key = body
                .get("key")
                .ok_or_else(|| Error::shape(id, "a map must have a `key`"))?;
            let value = body
                .get("value")
                .ok_or_else(|| Error::shape(id, "a map must have a `value`"))?;
            let kind = ShapeKind::Map {
                key: Box::new(member(id, "key", key, shape.member_traits.get("key"))?),
                value: Box::new(member(
                    id,
                    "value",
                    value,
                    shape.member_traits.get("value"),
                )?),
            };
            (kind, shape.traits.clone())
        }
        "structure" | "union" | "enum" | "intEnum" => {
            let (raw_members, traits) = members_and_traits(id, raw, resolving)?;
            let mut members = Vec::with_capacity(raw_members.len());
            let mut seen: IndexMap<String, String> = IndexMap::new();
            for (name, value) in &raw_members {
                if let Some(other) = seen.insert(name.to_lowercase(), name.clone()) {
                    return Err(Error::shape(
                        format!("{id}${name}"),
                        format!("member `{name}` differs from member `{other}` only by case"),
                    ));
                }
                members.push(member(id, name, value, shape.member_traits.get(name))?);
            }
            let kind = match shape.ty.as_str() {
                "structure" => ShapeKind::Structure { members },
                "union" => ShapeKind::Union { members },
                "enum" => ShapeKind::Enum { members },
                _ => ShapeKind::IntEnum { members },
            };
            (kind, traits)
        }
        "operation" => {
            let unit = |t: String| (t != "smithy.api#Unit").then_some(t);
            let input = body
                .get("input")
                .map(|v| target_of(id, "input", Some(v)))
                .transpose()?
                .and_then(unit);
            let output = body
                .get("output")
                .map(|v| target_of(id, "output", Some(v)))
                .transpose()?
                .and_then(unit);
            let errors = targets(id, "errors", body.get("errors"))?;
            (
                ShapeKind::Operation {
                    input,
                    output,
                    errors,
                },
                shape.traits.clone(),
            )
        }
        "service" => {
            let version = match body.get("version") {
                None => String::new(),
                Some(Value::String(v)) => v.clone(),
                Some(other) => {
                    return Err(Error::shape(
                        id,
                        format!("`version` must be a string, found {}", kind_of(other)),
                    ))
                }
            };
            let rename = match body.get("rename") {
                None => IndexMap::new(),
                Some(Value::Object(map)) => map
                    .iter()
                    .map(|(k, v)| {
                        v.as_str()
                            .map(|v| (k.clone(), v.to_owned()))
                            .ok_or_else(|| {
                                Error::shape(id, format!("`rename` of `{k}` must be a string"))
                            })
                    })
                    .collect::<Result<_>>()?,
                Some(other) => {
                    return Err(Error::shape(
                        id,
                        format!("`rename` must be an object, found {}", kind_of(other)),
                    ))
                }
            };
            let kind = ShapeKind::Service {
                version,
                operations: targets(id, "operations", body.get("operations"))?,
                resources: targets(id, "resources", body.get("resources"))?,
                errors: targets(id, "errors", body.get("errors"))?,
                rename,
            };
            (kind, shape.traits.clone())
        }
        "resource" => {
            let mut operations = Vec::new();
            for lifecycle in ["create", "put", "read", "update", "delete", "list"] {
                if let Some(v) = body.get(lifecycle) {
                    operations.push(target_of(id, lifecycle, Some(v))?);
                }
            }
            operations.extend(targets(id, "operations", body.get("operations"))?);
            operations.extend(targets(
                id,
                "collectionOperations",
                body.get("collectionOperations"),
            )?);
            // A lifecycle operation may be listed under `operations` too (MediaTailor's
            // `ChannelResource` does so with `CreateChannel`): it is one operation.
            let mut unique: Vec<String> = Vec::with_capacity(operations.len());
            for op in operations {
                if !unique.contains(&op) {
                    unique.push(op);
                }
            }
            let operations = unique;
            let resources = targets(id, "resources", body.get("resources"))?;
            (
                ShapeKind::Resource {
                    operations,
                    resources,
                },
                shape.traits.clone(),
            )
        }
        other => return Err(Error::shape(id, format!("unknown shape type `{other}`"))),
    };
    Ok(Shape {
        id: id.to_owned(),
        kind,
        traits: Traits::parse(id, &traits)?,
    })
}

/// The `smithy.api` prelude shapes a model may target without defining them.
fn prelude() -> Vec<(String, Shape)> {
    use Simple::*;
    let mut shapes = Vec::new();
    let mut add = |name: &str, kind: ShapeKind, default: Option<Value>| {
        let id = format!("smithy.api#{name}");
        shapes.push((
            id.clone(),
            Shape {
                id,
                kind,
                traits: Traits {
                    default,
                    ..Traits::default()
                },
            },
        ));
    };
    for (name, simple) in [
        ("String", String),
        ("Blob", Blob),
        ("BigInteger", BigInteger),
        ("BigDecimal", BigDecimal),
        ("Timestamp", Timestamp),
        ("Document", Document),
        ("Boolean", Boolean),
        ("Byte", Byte),
        ("Short", Short),
        ("Integer", Integer),
        ("Long", Long),
        ("Float", Float),
        ("Double", Double),
    ] {
        add(name, ShapeKind::Simple(simple), None);
    }
    add(
        "PrimitiveBoolean",
        ShapeKind::Simple(Boolean),
        Some(Value::Bool(false)),
    );
    for (name, simple) in [
        ("PrimitiveByte", Byte),
        ("PrimitiveShort", Short),
        ("PrimitiveInteger", Integer),
        ("PrimitiveLong", Long),
        ("PrimitiveFloat", Float),
        ("PrimitiveDouble", Double),
    ] {
        add(name, ShapeKind::Simple(simple), Some(Value::from(0)));
    }
    add(
        "Unit",
        ShapeKind::Structure {
            members: Vec::new(),
        },
        None,
    );
    shapes
}

/// The kind of shape a reference may point at, for target checks.
fn kind_name(kind: &ShapeKind) -> &'static str {
    match kind {
        ShapeKind::Simple(_) => "a simple shape",
        ShapeKind::List { .. } => "a list",
        ShapeKind::Map { .. } => "a map",
        ShapeKind::Structure { .. } => "a structure",
        ShapeKind::Union { .. } => "a union",
        ShapeKind::Enum { .. } => "an enum",
        ShapeKind::IntEnum { .. } => "an intEnum",
        ShapeKind::Operation { .. } => "an operation",
        ShapeKind::Service { .. } => "a service",
        ShapeKind::Resource { .. } => "a resource",
    }
}

/// Checks every reference in the model: targets exist and are of a kind that may be targeted there.
fn validate(model: &Model) -> Result<()> {
    let data_target = |member: &Member| -> Result<&Shape> {
        let target = model.get(&member.target, &member.id)?;
        match target.kind {
            ShapeKind::Operation { .. }
            | ShapeKind::Service { .. }
            | ShapeKind::Resource { .. } => Err(Error::shape(
                &member.id,
                format!(
                    "targets `{}`, which is {}; a member must target a data shape",
                    target.id,
                    kind_name(&target.kind)
                ),
            )),
            _ => Ok(target),
        }
    };
    let expect =
        |referrer: &str, id: &str, what: &str, ok: fn(&ShapeKind) -> bool| -> Result<&Shape> {
            let shape = model.get(id, referrer)?;
            if ok(&shape.kind) {
                Ok(shape)
            } else {
                Err(Error::shape(
                    referrer,
                    format!(
                        "refers to `{id}` as {what}, but it is {}",
                        kind_name(&shape.kind)
                    ),
                ))
            }
        };
    for shape in model.shapes.values() {
        let id = shape.id.as_str();
        match &shape.kind {
            ShapeKind::Simple(_) => {}
            ShapeKind::List { member } => {
                data_target(member)?;
            }
            ShapeKind::Map { key, value } => {
                let key_shape = data_target(key)?;
                let is_string = matches!(
                    key_shape.kind,
                    ShapeKind::Simple(Simple::String) | ShapeKind::Enum { .. }
                );
                if !is_string {
                    return Err(Error::shape(
                        &key.id,
                        format!(
                            "a map key must target a string or enum, but `{}` is {}",
                            key_shape.id,
                            kind_name(&key_shape.kind)
                        ),
                    ));
                }
                data_target(value)?;
            }
            ShapeKind::Structure { members } | ShapeKind::Union { members } => {
                if matches!(shape.kind, ShapeKind::Union { .. }) && members.is_empty() {
                    return Err(Error::shape(id, "a union must have at least one member"));
                }
                for member in members {
                    let target = data_target(member)?;
                    if target.id == "smithy.api#Unit"
                        && matches!(shape.kind, ShapeKind::Structure { .. })
                    {
                        return Err(Error::shape(
                            &member.id,
                            "a structure member cannot target `smithy.api#Unit`",
                        ));
                    }
                }
            }
            ShapeKind::Enum { members } | ShapeKind::IntEnum { members } => {
                let int = matches!(shape.kind, ShapeKind::IntEnum { .. });
                if members.is_empty() {
                    return Err(Error::shape(id, "an enum must have at least one member"));
                }
                let mut values = Vec::new();
                for member in members {
                    if member.target != "smithy.api#Unit" {
                        return Err(Error::shape(
                            &member.id,
                            format!(
                                "an enum member must target `smithy.api#Unit`, not `{}`",
                                member.target
                            ),
                        ));
                    }
                    let value = match (&member.traits.enum_value, int) {
                        (Some(crate::traits::EnumValue::String(s)), false) => s.clone(),
                        (None, false) => member.name.clone(),
                        (Some(crate::traits::EnumValue::Int(i)), true) => i.to_string(),
                        (None, true) => {
                            return Err(Error::shape(
                                &member.id,
                                "an intEnum member needs an integer `smithy.api#enumValue`",
                            ))
                        }
                        (Some(_), true) => {
                            return Err(Error::shape(
                                &member.id,
                                "an intEnum value must be an integer",
                            ))
                        }
                        (Some(_), false) => {
                            return Err(Error::shape(&member.id, "an enum value must be a string"))
                        }
                    };
                    if !int && value.is_empty() {
                        return Err(Error::shape(&member.id, "an enum value must not be empty"));
                    }
                    if values.contains(&value) {
                        return Err(Error::shape(
                            &member.id,
                            format!("enum value `{value}` is used twice"),
                        ));
                    }
                    values.push(value);
                }
            }
            ShapeKind::Operation {
                input,
                output,
                errors,
            } => {
                let is_structure = |k: &ShapeKind| matches!(k, ShapeKind::Structure { .. });
                if let Some(input) = input {
                    expect(id, input, "its input", is_structure)?;
                }
                if let Some(output) = output {
                    expect(id, output, "its output", is_structure)?;
                }
                for error in errors {
                    let shape = expect(id, error, "an error", is_structure)?;
                    if shape.traits.error.is_none() {
                        return Err(Error::shape(id, format!("lists `{error}` as an error, but it lacks the `smithy.api#error` trait")));
                    }
                }
            }
            ShapeKind::Service {
                operations,
                resources,
                errors,
                ..
            } => {
                for op in operations {
                    expect(id, op, "an operation", |k| {
                        matches!(k, ShapeKind::Operation { .. })
                    })?;
                }
                for resource in resources {
                    expect(id, resource, "a resource", |k| {
                        matches!(k, ShapeKind::Resource { .. })
                    })?;
                }
                for error in errors {
                    expect(id, error, "an error", |k| {
                        matches!(k, ShapeKind::Structure { .. })
                    })?;
                }
            }
            ShapeKind::Resource {
                operations,
                resources,
            } => {
                for op in operations {
                    expect(id, op, "an operation", |k| {
                        matches!(k, ShapeKind::Operation { .. })
                    })?;
                }
                for resource in resources {
                    expect(id, resource, "a resource", |k| {
                        matches!(k, ShapeKind::Resource { .. })
                    })?;
                }
            }
        }
    }
    Ok(())
}
