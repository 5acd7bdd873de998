//! The resolved, Rust-oriented intermediate representation.
//!
//! Produced by [`crate::lower`], read by every emitter. Everything an emitter
//! needs is decided here: Rust names beside wire names, wire keys and
//! flattening, nullability, boxing, resolved timestamp formats, Markdown docs
//! and deprecation notes, host-prefix segments, which error a shared code
//! parses into, and how operations use each type (serializers, parsers,
//! cargo features). Emitters never see JSON.
//!
//! Order is explicit: named types and operations are sorted by Rust name;
//! members, enum values and union variants keep model declaration order,
//! which for awsQuery is also wire order.

use std::collections::{BTreeMap, BTreeSet};

use crate::traits::{ErrorFault, Paginated, TimestampFormat};

/// One service, ready to emit as one crate.
#[derive(Debug, Clone)]
pub struct Service {
    /// Absolute shape id of the service.
    pub id: String,
    /// The service shape's name (`AmazonElastiCacheV9`).
    pub name: String,
    /// Human title (`smithy.api#title`), else the SDK id, else the name.
    pub title: String,
    /// API version (`2015-02-02`).
    pub version: String,
    /// `aws.api#service` SDK id, if any.
    pub sdk_id: Option<String>,
    /// SigV4 signing name, if any.
    pub signing_name: Option<String>,
    /// Default XML namespace of responses, if any.
    pub xml_namespace: Option<String>,
    /// Whether the service speaks `aws.protocols#awsQuery`.
    pub aws_query: bool,
    /// Whether the crate gets the async client: the service speaks awsQuery, is signed
    /// with SigV4, and [`crate::Options::client`] asks for it (set by [`crate::generate`]).
    pub client: bool,
    /// Service documentation (Markdown).
    pub docs: String,
    /// Operations, sorted by Rust name.
    pub operations: Vec<Operation>,
    /// Named types of the `types` module, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Error structures of the `error` module, sorted by Rust name.
    pub errors: Vec<Struct>,
    /// The variants of the service-wide `ServiceError` enum, one per error structure.
    pub error_variants: Vec<ErrorVariant>,
    /// How operations use each named type and error, by shape id.
    pub usage: BTreeMap<String, Usage>,
    /// The checked endpoint rule set (`smithy.rules#endpointRuleSet`), if the service has one.
    pub endpoint_rules: Option<crate::endpoint_rules::RuleSet>,
    /// The partition table, when the rule set calls `aws.partition` (set by [`crate::generate`]).
    pub partitions: Option<crate::partitions::Partitions>,
}

impl Service {
    /// How operations use the type or error `id` (nothing, for an id no
    /// operation reaches).
    pub fn usage(&self, id: &str) -> &Usage {
        static UNUSED: Usage = Usage {
            serialized: false,
            parsed: false,
            features: Vec::new(),
            gate: None,
        };
        self.usage.get(id).unwrap_or(&UNUSED)
    }

    /// Ids of the named types reachable from `roots`, and whether a `document` is among the values reached.
    pub(crate) fn closure<'a>(
        &'a self,
        roots: impl IntoIterator<Item = &'a TypeRef>,
    ) -> (BTreeSet<String>, bool) {
        let by_id: BTreeMap<&str, &TypeDef> = self.types.iter().map(|t| (t.id(), t)).collect();
        let mut reached = BTreeSet::new();
        let mut has_document = false;
        let mut stack: Vec<&TypeRef> = roots.into_iter().collect();
        while let Some(ty) = stack.pop() {
            match ty {
                TypeRef::Document => has_document = true,
                TypeRef::List(list) => stack.push(&list.item),
                TypeRef::Map(map) => stack.extend([&map.key, &map.value]),
                TypeRef::Named(named) if reached.insert(named.id.clone()) => {
                    match by_id.get(named.id.as_str()) {
                        Some(TypeDef::Struct(s)) => stack.extend(s.fields.iter().map(|f| &f.ty)),
                        Some(TypeDef::Union(u)) => {
                            stack.extend(u.variants.iter().filter_map(|v| v.ty.as_ref()))
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        (reached, has_document)
    }

    /// What request serializers need: the types operation inputs reach.
    pub(crate) fn input_closure(&self) -> (BTreeSet<String>, bool) {
        self.closure(
            self.operations
                .iter()
                .flat_map(|op| op.input.fields.iter().map(|f| &f.ty)),
        )
    }

    /// For every named type and error: the Rust names of the operations that reach it
    /// (through their input, output or errors). Decides the per-operation cargo features.
    pub(crate) fn reached_by(&self) -> BTreeMap<String, BTreeSet<String>> {
        let errors: BTreeMap<&str, &Struct> =
            self.errors.iter().map(|e| (e.id.as_str(), e)).collect();
        let mut reached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for op in &self.operations {
            let error_fields = op
                .errors
                .iter()
                .filter_map(|e| errors.get(e.id.as_str()))
                .flat_map(|e| e.fields.iter().map(|f| &f.ty));
            let roots = op
                .input
                .fields
                .iter()
                .chain(&op.output.fields)
                .map(|f| &f.ty)
                .chain(error_fields);
            let ids = self
                .closure(roots)
                .0
                .into_iter()
                .chain(op.errors.iter().map(|e| e.id.clone()));
            for id in ids {
                reached.entry(id).or_default().insert(op.rust_name.clone());
            }
        }
        reached
    }

    /// What response parsers need: the types operation outputs and errors reach.
    pub(crate) fn output_closure(&self) -> (BTreeSet<String>, bool) {
        let outputs = self
            .operations
            .iter()
            .flat_map(|op| op.output.fields.iter().map(|f| &f.ty));
        let errors = self
            .errors
            .iter()
            .flat_map(|e| e.fields.iter().map(|f| &f.ty));
        self.closure(outputs.chain(errors))
    }
}

/// An operation with its own input and output types.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Absolute shape id.
    pub id: String,
    /// Name on the wire (`StartMigration`, the `Action` value).
    pub wire_name: String,
    /// Rust module and method name (`start_migration`).
    pub rust_name: String,
    /// Markdown docs.
    pub docs: String,
    /// Deprecation note, as Markdown, if deprecated.
    pub deprecated: Option<String>,
    /// `{Op}Input`; its `id` is the model's input shape (or `smithy.api#Unit`).
    pub input: Struct,
    /// `{Op}Output`; its `id` is the model's output shape (or `smithy.api#Unit`).
    pub output: Struct,
    /// Errors the operation may return (its own, then the service's), sorted by Rust name.
    pub errors: Vec<NamedRef>,
    /// Its cargo feature (`start-migration`).
    pub feature: String,
    /// The variants of the operation's error enum: `errors` with their codes and
    /// which one a shared code parses into.
    pub error_variants: Vec<ErrorVariant>,
    /// `smithy.api#paginated` as the operation's trait gives it (before the service's
    /// defaults are merged in).
    pub paginated: Option<Paginated>,
    /// Pagination resolved against the input and output (set by lowering's last step).
    pub pagination: Option<crate::pagination::Pagination>,
    /// Waiters that poll this operation (`smithy.waiters#waitable`), resolved.
    pub waiters: Vec<crate::waiters::Waiter>,
    /// The operation's error enum (`StartMigrationError`).
    pub error_name: String,
    /// The client's fluent builder for it (`StartMigrationFluentBuilder`).
    pub fluent_name: String,
    /// `smithy.api#endpoint` host prefix (`foo.{label}.`), parsed and checked: each
    /// label names a `@hostLabel` string member of the input.
    pub host_prefix: Option<Vec<HostPrefixPart>>,
}

/// One piece of a host prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPrefixPart {
    /// Text written as it is (`foo.`).
    Literal(String),
    /// `{label}`: the value of this input member (its Rust field name), checked to be
    /// a valid host label when the request is built.
    Label {
        /// The member's name in the model, as written in the prefix.
        wire_name: String,
        /// The input field.
        rust_name: String,
    },
}

/// A named type of the `types` module.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// A structure.
    Struct(Struct),
    /// A string enum or intEnum.
    Enum(Enum),
    /// A tagged union.
    Union(Union),
}

impl TypeDef {
    /// Absolute shape id of the type.
    pub fn id(&self) -> &str {
        match self {
            Self::Struct(s) => &s.id,
            Self::Enum(e) => &e.id,
            Self::Union(u) => &u.id,
        }
    }

    /// Rust name of the type.
    pub fn rust_name(&self) -> &str {
        match self {
            Self::Struct(s) => &s.rust_name,
            Self::Enum(e) => &e.rust_name,
            Self::Union(u) => &u.rust_name,
        }
    }
}

/// What a structure is used as; decides nullability and extra impls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StructRole {
    /// An ordinary data structure.
    Data,
    /// An operation input: every member is optional.
    Input,
    /// An operation output.
    Output,
    /// An error shape.
    Error(ErrorInfo),
}

/// How the service's operations use a named type or an error: what code it
/// needs and which features compile it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// An operation input reaches it (awsQuery only): it needs a request
    /// serializer, and on the server side a request reader.
    pub serialized: bool,
    /// An operation output or error reaches it (awsQuery only): it needs a
    /// response parser, and on the server side a response writer.
    pub parsed: bool,
    /// The features of the operations that reach it, any of which compiles
    /// it; empty when every operation does (it is then always compiled).
    pub features: Vec<String>,
    /// The internal feature that compiles it, which those operation features
    /// turn on; `None` when it is always compiled.
    pub gate: Option<String>,
}

/// One variant of an error enum: an error, its wire code, and, when another
/// error of the same enum shares the code, which of them a response with
/// that code parses into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorVariant {
    /// The error structure.
    pub error: NamedRef,
    /// The `Code` that identifies it.
    pub code: String,
    /// `None` when a response with `code` parses into this error; else the Rust
    /// name of the error of the same enum that it parses into.
    pub parsed_as: Option<String>,
}

/// Wire identity of an error shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The `Code` that identifies it (`awsQueryError` code, else the shape name).
    pub code: String,
    /// HTTP status a server answers with.
    pub http_status: u16,
    /// Client or server fault.
    pub fault: ErrorFault,
}

/// A structure (also operation inputs, outputs and errors).
#[derive(Debug, Clone)]
pub struct Struct {
    /// Absolute shape id in the model.
    pub id: String,
    /// Rust type name.
    pub rust_name: String,
    /// Markdown docs.
    pub docs: String,
    /// Deprecation note, as Markdown.
    pub deprecated: Option<String>,
    /// Whether the whole shape is `@sensitive`.
    pub sensitive: bool,
    /// What the structure is used as.
    pub role: StructRole,
    /// Members in model order.
    pub fields: Vec<Field>,
}

impl Struct {
    /// Whether `Debug` must hide something.
    pub fn redacts(&self) -> bool {
        self.sensitive || self.fields.iter().any(|f| f.sensitive)
    }

    /// Members whose absence makes `build()` fail.
    pub fn required_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields
            .iter()
            .filter(|f| f.required && f.default.is_none())
    }
}

/// A structure member.
#[derive(Debug, Clone)]
pub struct Field {
    /// `ns#Shape$member`.
    pub member_id: String,
    /// Member name in the model.
    pub wire_name: String,
    /// `xmlName`, if it renames the member on the wire.
    pub xml_name: Option<String>,
    /// Rust field name (may be a raw identifier).
    pub rust_name: String,
    /// Value type.
    pub ty: TypeRef,
    /// `Option<T>` in Rust.
    pub optional: bool,
    /// Boxed, to break a recursive cycle.
    pub boxed: bool,
    /// `@required` in the model.
    pub required: bool,
    /// Default used by the builder when the member is not optional.
    pub default: Option<DefaultValue>,
    /// `xmlFlattened` on the member.
    pub flattened: bool,
    /// The query key and XML element name the member goes under: its
    /// `xmlName`, else its name; where a legacy model flattens on the list
    /// shape, the list member's name.
    pub wire_key: String,
    /// Whether the member's list or map is flattened on the wire (on the
    /// member, or on the shape in legacy models).
    pub wire_flattened: bool,
    /// `@idempotencyToken`: a client fills it with a fresh UUID when unset.
    pub idempotency_token: bool,
    /// `@hostLabel`: the value also fills a label of the operation's host prefix.
    pub host_label: bool,
    /// The member or its target is `@sensitive`.
    pub sensitive: bool,
    /// Markdown docs.
    pub docs: String,
    /// The first paragraph of `docs`, when more follows: the setters show it and
    /// link to the member for the rest, rather than repeating all of it.
    pub docs_summary: Option<String>,
    /// Deprecation note, as Markdown.
    pub deprecated: Option<String>,
}

impl Field {
    /// A required member without a default that is not an `Option` in Rust:
    /// whoever assembles the structure must unwrap it, or fail when it is missing.
    pub fn unwrapped(&self) -> bool {
        self.required && self.default.is_none() && !self.optional
    }
}

/// A model default for a non-optional member.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// `true`/`false`.
    Bool(bool),
    /// An integer of any width.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string, or a string enum's wire value.
    String(String),
    /// Timestamp as epoch seconds.
    EpochSeconds(f64),
    /// An empty list or map.
    Empty,
}

/// A string enum or intEnum.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Absolute shape id.
    pub id: String,
    /// Rust type name.
    pub rust_name: String,
    /// Markdown docs.
    pub docs: String,
    /// Deprecation note, as Markdown.
    pub deprecated: Option<String>,
    /// `@sensitive`.
    pub sensitive: bool,
    /// `intEnum` rather than `enum`.
    pub int: bool,
    /// Variants in model order.
    pub variants: Vec<Variant>,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Member name in the model.
    pub member_name: String,
    /// Rust variant name.
    pub rust_name: String,
    /// Wire value: the string, or the integer as decimal text for intEnums.
    pub value: String,
    /// Markdown docs.
    pub docs: String,
    /// Deprecation note, as Markdown.
    pub deprecated: Option<String>,
}

/// A tagged union.
#[derive(Debug, Clone)]
pub struct Union {
    /// Absolute shape id.
    pub id: String,
    /// Rust type name.
    pub rust_name: String,
    /// Markdown docs.
    pub docs: String,
    /// Deprecation note, as Markdown.
    pub deprecated: Option<String>,
    /// `@sensitive`.
    pub sensitive: bool,
    /// Variants in model order.
    pub variants: Vec<UnionVariant>,
}

/// One union member.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Member name in the model.
    pub wire_name: String,
    /// `xmlName`, if any.
    pub xml_name: Option<String>,
    /// Rust variant name.
    pub rust_name: String,
    /// Payload; `None` for members targeting `smithy.api#Unit`.
    pub ty: Option<TypeRef>,
    /// Boxed, to break a recursive cycle.
    pub boxed: bool,
    /// `xmlFlattened`.
    pub flattened: bool,
    /// Markdown docs.
    pub docs: String,
}

/// Where a named type lives in the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Module {
    /// `crate::types`.
    Types,
    /// `crate::error`.
    Error,
}

/// What kind of named type a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    /// A structure.
    Struct,
    /// A string enum.
    Enum,
    /// An intEnum.
    IntEnum,
    /// A union.
    Union,
}

/// A reference to a named type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedRef {
    /// Absolute shape id.
    pub id: String,
    /// Rust type name.
    pub rust_name: String,
    /// Its module.
    pub module: Module,
    /// Its kind.
    pub kind: NamedKind,
}

/// The type of a value: a member, a list element, a map key or value.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `bool`
    Bool,
    /// `i8`
    Byte,
    /// `i16`
    Short,
    /// `i32`
    Integer,
    /// `i64`
    Long,
    /// `f32`
    Float,
    /// `f64`
    Double,
    /// Runtime `BigInteger`.
    BigInteger,
    /// Runtime `BigDecimal`.
    BigDecimal,
    /// `String`
    String,
    /// `Vec<u8>`
    Blob,
    /// Runtime `DateTime`, with the wire format resolved (member trait > target trait > none).
    Timestamp(Option<TimestampFormat>),
    /// Runtime `Document`.
    Document,
    /// A structure, enum or union.
    Named(NamedRef),
    /// `Vec<T>`.
    List(Box<List>),
    /// Runtime `IndexMap<K, V>`.
    Map(Box<Map>),
}

/// A list shape, inlined as `Vec<T>`.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// Absolute shape id of the list.
    pub id: String,
    /// Element type.
    pub item: TypeRef,
    /// `xmlName` of the list member (replaces `member` on the wire).
    pub item_xml_name: Option<String>,
    /// `@sparse`: elements are `Option<T>`.
    pub sparse: bool,
    /// `xmlFlattened` on the list shape itself (legacy botocore models).
    pub flattened: bool,
}

/// A map shape, inlined as an insertion-ordered map.
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    /// Absolute shape id of the map.
    pub id: String,
    /// Key type (a string or enum).
    pub key: TypeRef,
    /// Value type.
    pub value: TypeRef,
    /// `xmlName` of the key member.
    pub key_xml_name: Option<String>,
    /// `xmlName` of the value member.
    pub value_xml_name: Option<String>,
    /// `@sparse`: values are `Option<V>`.
    pub sparse: bool,
    /// `xmlFlattened` on the map shape itself (legacy botocore models).
    pub flattened: bool,
}
