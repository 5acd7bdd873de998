//! Tests: emitted code per construct on a small hand-made model, the
//! semantics of that code (compiled with rustc against mock types and run),
//! and every waiter path of the pinned models.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{compile_matcher, Comparator};
use crate::ir::{
    Enum, Field, List, Map, Module, NamedKind, NamedRef, Struct, StructRole, TypeDef, TypeRef,
    Union, UnionVariant, Variant,
};

// ----- a small model --------------------------------------------------------

fn named(kind: NamedKind, name: &str) -> TypeRef {
    TypeRef::Named(NamedRef {
        id: format!("test#{name}"),
        rust_name: name.into(),
        module: Module::Types,
        kind,
    })
}

fn list(item: TypeRef, sparse: bool) -> TypeRef {
    TypeRef::List(Box::new(List {
        id: "test#List".into(),
        item,
        item_xml_name: None,
        sparse,
        flattened: false,
    }))
}

fn map(value: TypeRef) -> TypeRef {
    TypeRef::Map(Box::new(Map {
        id: "test#Map".into(),
        key: TypeRef::String,
        value,
        key_xml_name: None,
        value_xml_name: None,
        sparse: false,
        flattened: false,
    }))
}

/// A member; `Some` for optional ones (`Option<T>` in Rust).
fn member(name: &str, ty: TypeRef, optional: bool) -> Field {
    Field {
        member_id: format!("test#S${name}"),
        wire_name: name.into(),
        xml_name: None,
        rust_name: crate::naming::field_name(name),
        ty,
        optional,
        boxed: false,
        required: !optional,
        default: None,
        flattened: false,
        wire_key: name.into(),
        wire_flattened: false,
        idempotency_token: false,
        host_label: false,
        sensitive: false,
        docs: String::new(),
        docs_summary: None,
        deprecated: None,
    }
}

fn boxed(mut field: Field) -> Field {
    field.boxed = true;
    field
}

fn structure(name: &str, role: StructRole, fields: Vec<Field>) -> Struct {
    Struct {
        id: format!("test#{name}"),
        rust_name: name.into(),
        docs: String::new(),
        deprecated: None,
        sensitive: false,
        role,
        fields,
    }
}

fn enumeration(name: &str, int: bool, values: &[&str]) -> TypeDef {
    TypeDef::Enum(Enum {
        id: format!("test#{name}"),
        rust_name: name.into(),
        docs: String::new(),
        deprecated: None,
        sensitive: false,
        int,
        variants: values
            .iter()
            .map(|value| Variant {
                member_name: value.to_uppercase(),
                rust_name: if value.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("Value{value}")
                } else {
                    heck::ToUpperCamelCase::to_upper_camel_case(*value)
                },
                value: (*value).into(),
                docs: String::new(),
                deprecated: None,
            })
            .collect(),
    })
}

struct Model {
    output: Struct,
    input: Struct,
    types: Vec<TypeDef>,
}

fn model() -> Model {
    use NamedKind::{Enum as E, IntEnum, Struct as S, Union as U};
    let group = named(S, "Group");
    let output = structure(
        "Out",
        StructRole::Output,
        vec![
            member("Groups", list(group.clone(), false), true),
            member("Fixed", list(group.clone(), false), false),
            member("Status", named(E, "Status"), true),
            member("Name", TypeRef::String, true),
            member("Label", TypeRef::String, false),
            member("Flag", TypeRef::Bool, true),
            member("Ready", TypeRef::Bool, false),
            member("Count", TypeRef::Integer, true),
            member("Total", TypeRef::Long, false),
            member("Ratio", TypeRef::Double, true),
            member("Level", named(IntEnum, "Level"), true),
            member("Attrs", map(named(S, "Attr")), true),
            member("Tags", list(TypeRef::String, false), true),
            member("Sparse", list(TypeRef::String, true), true),
            member("Sizes", list(TypeRef::Integer, false), true),
            member("Matrix", list(list(TypeRef::String, false), false), true),
            boxed(member("Inner", named(S, "Inner"), true)),
            member("Choice", named(U, "Choice"), true),
            member("Created", TypeRef::Timestamp(None), true),
        ],
    );
    let input = structure(
        "In",
        StructRole::Input,
        vec![
            member("Name", TypeRef::String, true),
            member("Names", list(TypeRef::String, false), true),
        ],
    );
    let types = vec![
        TypeDef::Struct(structure(
            "Group",
            StructRole::Data,
            vec![
                member("Status", TypeRef::String, true),
                member("State", named(S, "State"), true),
                member("Instances", list(named(S, "Instance"), false), true),
                member("MinSize", TypeRef::Integer, false),
                member("Tags", list(TypeRef::String, false), true),
            ],
        )),
        TypeDef::Struct(structure(
            "Instance",
            StructRole::Data,
            vec![
                member("LifecycleState", named(E, "LifecycleState"), false),
                member("Health", TypeRef::String, true),
            ],
        )),
        TypeDef::Struct(structure(
            "State",
            StructRole::Data,
            vec![member("Code", named(E, "StateCode"), true)],
        )),
        TypeDef::Struct(structure(
            "Attr",
            StructRole::Data,
            vec![member("VerificationStatus", named(E, "Status"), false)],
        )),
        TypeDef::Struct(structure(
            "Inner",
            StructRole::Data,
            vec![
                boxed(member("Inner", named(S, "Inner"), true)),
                member("Value", TypeRef::String, true),
            ],
        )),
        TypeDef::Union(Union {
            id: "test#Choice".into(),
            rust_name: "Choice".into(),
            docs: String::new(),
            deprecated: None,
            sensitive: false,
            variants: [
                ("Text", Some(TypeRef::String)),
                ("Count", Some(TypeRef::Integer)),
                ("Nothing", None),
            ]
            .into_iter()
            .map(|(name, ty)| UnionVariant {
                wire_name: name.into(),
                xml_name: None,
                rust_name: name.into(),
                ty,
                boxed: false,
                flattened: false,
                docs: String::new(),
            })
            .collect(),
        }),
        enumeration("Status", false, &["available", "deleted", "Success"]),
        enumeration("StateCode", false, &["active", "provisioning"]),
        enumeration("LifecycleState", false, &["InService", "Pending"]),
        enumeration("Level", true, &["1", "2"]),
    ];
    Model {
        output,
        input,
        types,
    }
}

fn compile(path: &str, comparator: Comparator, expected: &str) -> Result<TokenStream, String> {
    let m = model();
    compile_matcher(path, comparator, expected, &m.output, None, &m.types)
}

/// The emitted expression as rustfmt-style text.
fn pretty(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(quote!(fn matcher() -> bool { #tokens }))
        .unwrap_or_else(|e| panic!("the emitted code does not parse ({e}): {tokens}"));
    let text = prettyplease::unparse(&file);
    let lines: Vec<&str> = text.lines().collect();
    lines[1..lines.len() - 1]
        .iter()
        .map(|line| line.strip_prefix("    ").unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

fn code(path: &str, comparator: Comparator, expected: &str) -> String {
    pretty(compile(path, comparator, expected).unwrap_or_else(|e| panic!("{path}: {e}")))
}

fn error(path: &str, comparator: Comparator, expected: &str) -> String {
    match compile(path, comparator, expected) {
        Ok(tokens) => panic!("{path} compiled to {tokens}"),
        Err(e) => e,
    }
}

use Comparator::{
    AllStringEquals as All, AnyStringEquals as Any, BooleanEquals as Bool, StringEquals as Str,
};

// ----- emitted code, construct by construct ---------------------------------

#[test]
fn members_and_sub_expressions() {
    assert_eq!(
        code("Status", Str, "available"),
        r#"output.status.as_ref().is_some_and(|status| status.as_str() == "available")"#
    );
    assert_eq!(code("Label", Str, "x"), r#"output.label.as_str() == "x""#);
    assert_eq!(code("Ready", Bool, "true"), "output.ready");
    assert_eq!(code("Ready", Bool, "false"), "!output.ready");
    assert_eq!(code("Flag", Bool, "false"), "output.flag == Some(false)");
    // A boxed member, two levels down.
    assert_eq!(
        code("Inner.Inner.Value", Str, "x"),
        r#"output
    .inner
    .as_deref()
    .and_then(|inner| inner.inner.as_deref())
    .and_then(|inner| inner.value.as_ref())
    .is_some_and(|value| value.as_str() == "x")"#
    );
    // Quoted identifiers and `@`.
    assert_eq!(
        code(r#"@."Name""#, Str, "x"),
        r#"output.name.as_ref().is_some_and(|name| name.as_str() == "x")"#
    );
}

#[test]
fn a_missing_member_names_the_member_and_the_structure() {
    assert_eq!(error("Foo", Str, "x"), "`Foo` is not a member of `Out`");
    assert_eq!(
        error("Groups[].Nope", Any, "x"),
        "`Nope` is not a member of `Group`"
    );
    assert_eq!(
        error("Name.Length", Str, "x"),
        "`Length` is not a member of a string"
    );
    // Member names are the model's, not Rust's.
    assert_eq!(
        error("status", Str, "x"),
        "`status` is not a member of `Out`"
    );
}

#[test]
fn projections_drop_nulls() {
    assert_eq!(
        code("Groups[].Status", Any, "available"),
        r#"output
    .groups
    .iter()
    .flatten()
    .filter_map(|v| v.status.as_ref())
    .any(|v| v.as_str() == "available")"#
    );
    assert_eq!(
        code("Groups[].State.Code", All, "active"),
        r#"output
    .groups
    .iter()
    .flatten()
    .filter_map(|v| v.state.as_ref().and_then(|state| state.code.as_ref()))
    .map(|v| v.as_str() == "active")
    .reduce(|a, b| a && b) == Some(true)"#
    );
    // A required list: no `flatten` for a null list.
    assert_eq!(
        code("Fixed[].Tags[]", Any, "x"),
        r#"output
    .fixed
    .iter()
    .filter_map(|v| v.tags.as_ref())
    .flatten()
    .any(|v| v.as_str() == "x")"#
    );
}

#[test]
fn flatten_merges_one_level() {
    assert_eq!(
        code("Groups[].Tags[]", All, "x"),
        r#"output
    .groups
    .iter()
    .flatten()
    .filter_map(|v| v.tags.as_ref())
    .flatten()
    .map(|v| v.as_str() == "x")
    .reduce(|a, b| a && b) == Some(true)"#
    );
    assert_eq!(
        code("Matrix[][]", Any, "x"),
        r#"output.matrix.iter().flatten().flatten().any(|v| v.as_str() == "x")"#
    );
    // `[*]` keeps the lists: a list of lists never matches a string comparator.
    assert_eq!(
        error("Matrix[*]", Any, "x"),
        "anyStringEquals needs a list of strings, but the path gives a list of lists"
    );
}

#[test]
fn object_projections_over_maps() {
    assert_eq!(
        code("Attrs.*.VerificationStatus", All, "Success"),
        r#"output
    .attrs
    .iter()
    .flat_map(|map| map.values())
    .map(|v| v.verification_status.as_str() == "Success")
    .reduce(|a, b| a && b) == Some(true)"#
    );
    assert_eq!(
        error("Groups.*", Any, "x"),
        "an object projection (`*`) needs a map, but the value is a list of `Group` structures"
    );
    assert_eq!(
        error("Inner.*", Any, "x"),
        "an object projection (`*`) needs a map, but the value is structure `Inner`"
    );
}

#[test]
fn filters_compare_fields_and_literals() {
    assert_eq!(
        code("Groups[?Status == 'available'].Status", Any, "available"),
        r#"output
    .groups
    .iter()
    .flatten()
    .filter(|&v| {
        v.status.as_ref().is_some_and(|status| status.as_str() == "available")
    })
    .filter_map(|v| v.status.as_ref())
    .any(|v| v.as_str() == "available")"#
    );
    assert_eq!(
        code("Groups[?MinSize > `2`][].Status", Any, "x"),
        r#"output
    .groups
    .iter()
    .flatten()
    .filter(|&v| v.min_size > 2)
    .filter_map(|v| v.status.as_ref())
    .any(|v| v.as_str() == "x")"#
    );
    // `!=` with null on one side is true.
    assert_eq!(
        code("length(Groups[?Status != 'deleted']) > `0`", Bool, "true"),
        r#"output
    .groups
    .as_ref()
    .is_some_and(|groups| {
        groups
            .iter()
            .filter(|&v| {
                v.status.as_ref().is_none_or(|status| status.as_str() != "deleted")
            })
            .count() != 0
    })"#
    );
    // Two members: null == null.
    assert_eq!(
        code("Groups[?Status == State.Code][].Status", Any, "x"),
        r#"output
    .groups
    .iter()
    .flatten()
    .filter(|&v| {
        v.status.as_deref()
            == v
                .state
                .as_ref()
                .and_then(|state| state.code.as_ref())
                .map(|code| code.as_str())
    })
    .filter_map(|v| v.status.as_ref())
    .any(|v| v.as_str() == "x")"#
    );
    assert_eq!(
        code("Sizes[?@ >= `2`] | length(@) == `1`", Bool, "true"),
        "output
    .sizes
    .as_ref()
    .is_some_and(|sizes| sizes.iter().copied().filter(|&v| v >= 2).count() == 1)"
    );
}

#[test]
fn lengths_and_comparisons() {
    assert_eq!(
        code("length(Groups) > `0`", Bool, "true"),
        "output.groups.as_ref().is_some_and(|groups| !groups.is_empty())"
    );
    assert_eq!(
        code("length(Groups) > `0`", Bool, "false"),
        "output.groups.as_ref().is_some_and(|groups| groups.is_empty())"
    );
    assert_eq!(
        code("length(Groups[]) == `0`", Bool, "true"),
        "output.groups.as_ref().is_some_and(|groups| groups.is_empty())"
    );
    assert_eq!(
        code("length(Fixed) >= `1`", Bool, "true"),
        "!output.fixed.is_empty()"
    );
    assert_eq!(
        code("`0` < length(Fixed)", Bool, "true"),
        "!output.fixed.is_empty()"
    );
    assert_eq!(
        code("length(Fixed) <= `3`", Bool, "false"),
        "output.fixed.len() > 3"
    );
    assert_eq!(
        code("length(Attrs) == `2`", Bool, "true"),
        "output.attrs.as_ref().is_some_and(|attrs| attrs.len() == 2)"
    );
    assert_eq!(
        code("length(Label) == `2`", Bool, "true"),
        "output.label.as_str().chars().count() == 2"
    );
    assert_eq!(
        code("length(Fixed) < Total", Bool, "true"),
        "(output.fixed.len() as i64) < output.total"
    );
    assert_eq!(
        code("Count >= Total", Bool, "true"),
        "output.count.is_some_and(|count| i64::from(count) >= output.total)"
    );
    assert_eq!(
        code("Count == `-1`", Bool, "true"),
        "output.count.is_some_and(|count| count == -1)"
    );
    assert_eq!(
        code("Ratio > `0.5`", Bool, "true"),
        "output.ratio.is_some_and(|ratio| ratio > 0.5)"
    );
    assert_eq!(
        code("Count > `0.5`", Bool, "true"),
        "output.count.is_some_and(|count| f64::from(count) > 0.5)"
    );
    assert_eq!(
        code("Level == `2`", Bool, "true"),
        "output.level.as_ref().is_some_and(|level| level.value() == 2)"
    );
    assert_eq!(
        code("Count == Count", Bool, "true"),
        "output.count == output.count"
    );
    assert_eq!(
        code("Count < Count", Bool, "true"),
        "output.count.zip(output.count).is_some_and(|(a, b)| a < b)"
    );
    assert_eq!(
        code("Name == `null`", Bool, "true"),
        "output.name.as_ref().is_none()"
    );
    assert_eq!(
        code("Flag == `true`", Bool, "true"),
        "output.flag.is_some_and(|flag| flag)"
    );
    assert_eq!(code("Ready == `false`", Bool, "true"), "!output.ready");
}

#[test]
fn comparisons_the_shapes_decide_are_errors() {
    for (path, message) in [
        (
            "Label == `1`",
            "`==` compares a string with a number, which are never equal",
        ),
        (
            "Label < 'b'",
            "ordering comparisons are supported between numbers only",
        ),
        (
            "length(Fixed) < `0`",
            "a length compared `< 0` is always false",
        ),
        (
            "length(Fixed) >= `0`",
            "a length compared `>= 0` is always true",
        ),
        ("`1` == `1`", "`==` compares two literals"),
        ("Ready == `null`", "a value that is never null"),
        (
            "Groups == Fixed",
            "`==` compares a list of `Group` structures",
        ),
        ("Inner == Inner", "`==` compares structure `Inner`"),
        ("Created == Created", "`==` compares a timestamp"),
        (
            "length(Count) > `1`",
            "`length` needs a string, a list or a map, but its argument is a number",
        ),
    ] {
        let e = error(path, Bool, "true");
        assert!(e.contains(message), "{path}: {e}");
    }
}

#[test]
fn multi_select_lists_in_a_flattened_projection() {
    assert_eq!(
        code("contains(Groups[].[length(Instances[?LifecycleState=='InService']) >= MinSize][], `false`)", Bool, "false"),
        r#"output
    .groups
    .as_ref()
    .is_some_and(|groups| {
        !groups
            .iter()
            .filter_map(|v| {
                v
                    .instances
                    .as_ref()
                    .map(|instances| {
                        (instances
                            .iter()
                            .filter(|&v| v.lifecycle_state.as_str() == "InService")
                            .count() as i64) >= i64::from(v.min_size)
                    })
            })
            .any(|item| !item)
    })"#
    );
    // Two elements: `flat_map` over the array, nulls dropped afterwards.
    assert_eq!(
        code("Groups[].[Status, State.Code][]", Any, "x"),
        r#"output
    .groups
    .iter()
    .flatten()
    .flat_map(|v| [
        v.status.as_deref(),
        v
            .state
            .as_ref()
            .and_then(|state| state.code.as_ref())
            .map(|code| code.as_str()),
    ])
    .flatten()
    .any(|v| v == "x")"#
    );
    assert_eq!(
        code("[Label, Name]", All, "x"),
        r#"[Some(&output.label), output.name.as_ref()]
    .into_iter()
    .map(|v| v.is_some_and(|v| v.as_str() == "x"))
    .reduce(|a, b| a && b) == Some(true)"#
    );
    assert_eq!(
        error("Groups[].[Status]", Any, "x"),
        "anyStringEquals needs a list of strings, but the path gives a list of lists"
    );
    assert!(error("[Label, Count]", Any, "x").contains("must have one type"));
}

#[test]
fn contains_on_lists_and_strings() {
    assert_eq!(
        code("contains(Tags, 'x')", Bool, "true"),
        r#"output.tags.as_ref().is_some_and(|tags| tags.iter().any(|item| item.as_str() == "x"))"#
    );
    assert_eq!(
        code("contains(Label, 'x')", Bool, "true"),
        r#"output.label.as_str().contains("x")"#
    );
    assert_eq!(
        code("contains(Sparse, Label)", Bool, "true"),
        "output
    .sparse
    .as_ref()
    .is_some_and(|sparse| {
        sparse.iter().flatten().any(|item| item.as_str() == output.label.as_str())
    })"
    );
    assert!(error("contains(Tags, Name)", Bool, "true").contains("may be null"));
}

#[test]
fn boolean_operators() {
    assert_eq!(code("!Ready", Bool, "true"), "!output.ready");
    assert_eq!(code("!Ready", Bool, "false"), "output.ready");
    assert_eq!(code("!Flag", Bool, "true"), "output.flag != Some(true)");
    assert_eq!(
        code("Ready && length(Fixed) > `0` || !Ready", Bool, "true"),
        "output.ready && !output.fixed.is_empty() || !output.ready"
    );
    assert_eq!(
        code("Ready && (Ready || Ready)", Bool, "true"),
        "output.ready && (output.ready || output.ready)"
    );
    assert_eq!(
        code("Flag || Ready", Bool, "true"),
        "(match output.flag {
    Some(true) => Some(true),
    _ => Some(output.ready),
}) == Some(true)"
    );
    assert!(error("Ready && Label", Bool, "true").contains("between booleans only"));
    assert!(error("Groups[?Inner]", Any, "x").contains("not a member of `Group`"));
    assert!(error("Groups[?State]", Any, "x")
        .contains("structure `State` is not supported as a condition"));
}

#[test]
fn unions_and_input_output() {
    assert_eq!(
        code("Choice.Text", Str, "x"),
        r#"output
    .choice
    .as_ref()
    .and_then(|choice| {
        if let crate::types::Choice::Text(x) = choice { Some(x) } else { None }
    })
    .is_some_and(|s| s.as_str() == "x")"#
    );
    assert_eq!(
        error("Choice.Nothing", Str, "x"),
        "`Nothing` of `Choice` has no value"
    );
    let m = model();
    let tokens = compile_matcher(
        "input.Name == output.Name",
        Bool,
        "true",
        &m.output,
        Some(&m.input),
        &m.types,
    )
    .unwrap();
    assert_eq!(
        pretty(tokens),
        "input.name.as_deref() == output.name.as_deref()"
    );
    let e = compile_matcher("Name", Str, "x", &m.output, Some(&m.input), &m.types).unwrap_err();
    assert_eq!(
        e,
        "`Name` is not a member of the inputOutput root, which has `input` and `output`"
    );
}

#[test]
fn comparators_check_the_result_type() {
    assert_eq!(
        error("Groups", Str, "x"),
        "stringEquals needs a string, but the path gives a list of `Group` structures"
    );
    assert_eq!(
        error("Name", Bool, "true"),
        "booleanEquals needs a boolean, but the path gives a string"
    );
    assert_eq!(
        error("Ready", Bool, "yes"),
        "booleanEquals expects `true` or `false`, not `yes`"
    );
    assert_eq!(
        error("Name", All, "x"),
        "allStringEquals needs a list of strings, but the path gives a string"
    );
    assert_eq!(
        error("Groups[].MinSize", Any, "1"),
        "anyStringEquals needs a list of strings, but the path gives a list of numbers"
    );
    assert_eq!(error("'x'", Str, "x"), "the path is a literal");
    // A plain list of strings: null elements of a sparse list fail `all`.
    assert_eq!(
        code("Sparse", All, "x"),
        r#"output
    .sparse
    .iter()
    .flatten()
    .map(Option::as_ref)
    .map(|v| v.is_some_and(|v| v.as_str() == "x"))
    .reduce(|a, b| a && b) == Some(true)"#
    );
    assert_eq!(
        code("Sparse", Any, "x"),
        r#"output.sparse.iter().flatten().flatten().any(|v| v.as_str() == "x")"#
    );
}

#[test]
fn unsupported_syntax_is_refused_by_name() {
    for (path, message) in [
        (
            "Groups[0].Status",
            "index expressions (`[0]`) are not supported",
        ),
        (
            "Groups[1:].Status",
            "slices (`[start:stop]`) are not supported",
        ),
        (
            "{a: Name}",
            "multi-select hashes (`{key: …}`) are not supported",
        ),
        (
            "sort_by(Groups, &MinSize)",
            "function `sort_by` is not supported",
        ),
        ("length(Groups, Fixed)", "`length` takes 1 argument, not 2"),
        (
            "Name == `[1]`",
            "array and object literals are not supported",
        ),
        ("Groups[", "syntax error at offset 7"),
    ] {
        let e = error(path, Str, "x");
        assert!(e.contains(message), "{path}: {e}");
    }
}

// ----- semantics: the emitted code compiled and run ------------------------

/// Mock types for `types` and the given structures, shaped as the generator
/// emits them (member types from [`crate::emit::rust_type`]; `Box` inside
/// `Option`; enums with `as_str`/`value`; unions with `Unknown`), with
/// `Default` for building test values. `querygen_runtime` becomes `crate::rt`.
fn mock_types(types: &[TypeDef], extra: &[&Struct]) -> String {
    let mut items = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let structs = types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => Some(s),
            _ => None,
        })
        .chain(extra.iter().copied());
    for s in structs {
        if !seen.insert(s.rust_name.clone()) {
            continue;
        }
        let name = crate::emit::ident(&s.rust_name);
        let fields = s.fields.iter().map(|f| {
            let field = crate::emit::ident(&f.rust_name);
            let mut ty = crate::emit::rust_type(&f.ty);
            if f.boxed {
                ty = quote!(Box<#ty>);
            }
            if f.optional {
                ty = quote!(Option<#ty>);
            }
            quote!(pub #field: #ty,)
        });
        items.push(quote! {
            #[derive(Debug, Default, Clone, PartialEq)]
            pub struct #name { #(#fields)* }
        });
    }
    for t in types {
        match t {
            TypeDef::Enum(e) => {
                let name = crate::emit::ident(&e.rust_name);
                let variants: Vec<_> = e
                    .variants
                    .iter()
                    .map(|v| crate::emit::ident(&v.rust_name))
                    .collect();
                let first = variants.first().into_iter();
                let rest = variants.iter().skip(1);
                let values: Vec<_> = e.variants.iter().map(|v| v.value.clone()).collect();
                let accessor = if e.int {
                    let ints = values
                        .iter()
                        .map(|v| proc_macro2::Literal::i32_unsuffixed(v.parse().unwrap()));
                    quote! {
                        pub fn value(&self) -> i32 {
                            match self { #(Self::#variants => #ints,)* Self::Unknown(v) => *v }
                        }
                    }
                } else {
                    quote! {
                        pub fn as_str(&self) -> &str {
                            match self { #(Self::#variants => #values,)* Self::Unknown(v) => v.as_str() }
                        }
                    }
                };
                let unknown = if e.int { quote!(i32) } else { quote!(String) };
                items.push(quote! {
                    #[derive(Debug, Default, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
                    pub enum #name { #(#[default] #first,)* #(#rest,)* Unknown(#unknown) }
                    impl #name { #accessor }
                });
            }
            TypeDef::Union(u) => {
                let name = crate::emit::ident(&u.rust_name);
                let variants = u.variants.iter().map(|v| {
                    let variant = crate::emit::ident(&v.rust_name);
                    match &v.ty {
                        None => quote!(#variant,),
                        Some(ty) => {
                            let ty = crate::emit::rust_type(ty);
                            let ty = if v.boxed { quote!(Box<#ty>) } else { ty };
                            quote!(#variant(#ty),)
                        }
                    }
                });
                items.push(quote! {
                    #[derive(Debug, Default, Clone, PartialEq)]
                    pub enum #name { #(#variants)* #[default] Unknown }
                });
            }
            TypeDef::Struct(_) => {}
        }
    }
    let text = quote! {
        pub mod rt {
            pub type IndexMap<K, V> = ::std::collections::BTreeMap<K, V>;
            #[derive(Debug, Default, Clone, PartialEq)] pub struct DateTime;
            #[derive(Debug, Default, Clone, PartialEq)] pub struct Document;
            #[derive(Debug, Default, Clone, PartialEq)] pub struct BigInteger;
            #[derive(Debug, Default, Clone, PartialEq)] pub struct BigDecimal;
        }
        pub mod types { #(#items)* }
    }
    .to_string();
    text.replace(":: querygen_runtime ::", "crate :: rt ::")
}

/// Compiles `source` with rustc (warnings denied) in a fresh temporary folder;
/// runs the binary when `run`. Panics with rustc's or the program's output,
/// leaving the folder for a look; removes it otherwise, unless
/// `QUERYGEN_KEEP_CHECKS` is set (to run clippy-driver on the file, say).
fn rustc(name: &str, source: &str, run: bool) {
    let dir = std::env::temp_dir().join(format!("querygen-jmespath-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.rs"));
    std::fs::write(&file, source).unwrap();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let mut command = std::process::Command::new(rustc);
    command
        .args([
            "--edition",
            "2021",
            "-D",
            "warnings",
            "-A",
            "dead_code",
            "-C",
            "debuginfo=0",
        ])
        .arg("--out-dir")
        .arg(&dir)
        .arg(&file);
    if !run {
        command.args(["--crate-type", "lib", "--emit", "metadata"]);
    }
    let compiled = command.output().expect("rustc runs");
    assert!(
        compiled.status.success(),
        "{} does not compile:\n{}",
        file.display(),
        String::from_utf8_lossy(&compiled.stderr)
    );
    if run {
        let ran = std::process::Command::new(dir.join(name))
            .output()
            .expect("the test program runs");
        assert!(
            ran.status.success(),
            "{} failed:\n{}{}",
            file.display(),
            String::from_utf8_lossy(&ran.stdout),
            String::from_utf8_lossy(&ran.stderr)
        );
    }
    if std::env::var_os("QUERYGEN_KEEP_CHECKS").is_some() {
        println!("checked {}", file.display());
    } else {
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// A path, a comparator, the expected value, and output values (Rust
/// expressions over `crate::types`) with the result the matcher must give.
type Case = (
    &'static str,
    Comparator,
    &'static str,
    &'static [(&'static str, bool)],
);

#[rustfmt::skip]
const CASES: &[Case] = &[
    ("Groups[].Status", All, "available", &[
        ("Out::default()", false),
        ("Out { groups: Some(vec![]), ..Out::default() }", false),
        ("Out { groups: Some(vec![Group::default()]), ..Out::default() }", false),
        ("Out { groups: Some(vec![g(\"available\"), Group::default()]), ..Out::default() }", true),
        ("Out { groups: Some(vec![g(\"available\"), g(\"deleted\")]), ..Out::default() }", false),
    ]),
    ("Groups[].Status", Any, "deleted", &[
        ("Out::default()", false),
        ("Out { groups: Some(vec![Group::default(), g(\"deleted\")]), ..Out::default() }", true),
        ("Out { groups: Some(vec![g(\"available\")]), ..Out::default() }", false),
    ]),
    ("Groups[].State.Code", All, "active", &[
        ("Out { groups: Some(vec![Group { state: Some(State { code: Some(StateCode::Active) }), ..Group::default() }, Group { state: Some(State::default()), ..Group::default() }]), ..Out::default() }", true),
        ("Out { groups: Some(vec![Group { state: Some(State { code: Some(StateCode::Provisioning) }), ..Group::default() }]), ..Out::default() }", false),
    ]),
    ("Attrs.*.VerificationStatus", All, "Success", &[
        ("Out { attrs: Some([(\"a\".to_owned(), Attr { verification_status: Status::Success })].into()), ..Out::default() }", true),
        ("Out { attrs: Some([(\"a\".to_owned(), Attr { verification_status: Status::Success }), (\"b\".to_owned(), Attr::default())].into()), ..Out::default() }", false),
        ("Out { attrs: Some(Default::default()), ..Out::default() }", false),
    ]),
    ("Sparse", All, "x", &[
        ("Out { sparse: Some(vec![Some(\"x\".into()), None]), ..Out::default() }", false),
        ("Out { sparse: Some(vec![Some(\"x\".into())]), ..Out::default() }", true),
    ]),
    // `[]` is a projection too: it drops the null.
    ("Sparse[]", All, "x", &[
        ("Out { sparse: Some(vec![Some(\"x\".into()), None]), ..Out::default() }", true),
    ]),
    ("Sparse[*]", All, "x", &[
        ("Out { sparse: Some(vec![Some(\"x\".into()), None]), ..Out::default() }", true),
    ]),
    ("length(Groups) > `0`", Bool, "true", &[
        ("Out::default()", false),
        ("Out { groups: Some(vec![]), ..Out::default() }", false),
        ("Out { groups: Some(vec![Group::default()]), ..Out::default() }", true),
    ]),
    ("length(Groups) > `0`", Bool, "false", &[
        ("Out::default()", false),
        ("Out { groups: Some(vec![]), ..Out::default() }", true),
    ]),
    ("length(Groups[].Status) == `1`", Bool, "true", &[
        ("Out { groups: Some(vec![g(\"x\"), Group::default()]), ..Out::default() }", true),
    ]),
    ("contains(Groups[].[length(Instances[?LifecycleState=='InService']) >= MinSize][], `false`)", Bool, "false", &[
        ("Out { groups: Some(vec![Group { min_size: 1, instances: Some(vec![i(LifecycleState::InService)]), ..Group::default() }]), ..Out::default() }", true),
        ("Out { groups: Some(vec![Group { min_size: 2, instances: Some(vec![i(LifecycleState::InService), i(LifecycleState::Pending)]), ..Group::default() }]), ..Out::default() }", false),
        ("Out { groups: Some(vec![]), ..Out::default() }", true),
        ("Out::default()", false),
    ]),
    ("contains(Groups[].[length(Instances[?LifecycleState=='InService']) >= MinSize][], `false`)", Bool, "true", &[
        ("Out { groups: Some(vec![Group { min_size: 2, instances: Some(vec![i(LifecycleState::InService), i(LifecycleState::Pending)]), ..Group::default() }]), ..Out::default() }", true),
        ("Out { groups: Some(vec![Group { min_size: 0, instances: Some(vec![]), ..Group::default() }]), ..Out::default() }", false),
    ]),
    ("Status", Str, "deleted", &[
        ("Out::default()", false),
        ("Out { status: Some(Status::Deleted), ..Out::default() }", true),
        ("Out { status: Some(Status::Unknown(\"deleted\".into())), ..Out::default() }", true),
    ]),
    ("Groups[?Status != 'deleted'].Status", Any, "available", &[
        ("Out { groups: Some(vec![g(\"deleted\"), g(\"available\")]), ..Out::default() }", true),
        ("Out { groups: Some(vec![g(\"deleted\")]), ..Out::default() }", false),
    ]),
    ("length(Groups[?Status != 'deleted']) == `2`", Bool, "true", &[
        ("Out { groups: Some(vec![g(\"deleted\"), g(\"available\"), Group::default()]), ..Out::default() }", true),
    ]),
    ("Name == `null`", Bool, "true", &[
        ("Out::default()", true),
        ("Out { name: Some(String::new()), ..Out::default() }", false),
    ]),
    ("Flag || Ready", Bool, "true", &[
        ("Out { flag: Some(true), ..Out::default() }", true),
        ("Out { ready: true, ..Out::default() }", true),
        ("Out::default()", false),
    ]),
    ("Flag && Ready", Bool, "false", &[
        ("Out { flag: Some(true), ..Out::default() }", true),
        ("Out { flag: Some(false), ready: true, ..Out::default() }", true),
        ("Out { ready: true, ..Out::default() }", false),
    ]),
    ("Ready && Flag", Bool, "false", &[
        ("Out { flag: Some(true), ..Out::default() }", true),
        ("Out { ready: true, flag: Some(false), ..Out::default() }", true),
        ("Out { ready: true, ..Out::default() }", false),
    ]),
    ("Ready || Flag", Bool, "true", &[
        ("Out { ready: true, ..Out::default() }", true),
        ("Out { flag: Some(true), ..Out::default() }", true),
        ("Out::default()", false),
    ]),
    ("Choice.Count > `1`", Bool, "true", &[
        ("Out { choice: Some(Choice::Count(2)), ..Out::default() }", true),
        ("Out { choice: Some(Choice::Text(\"2\".into())), ..Out::default() }", false),
    ]),
    ("Groups[].[Status, State.Code][]", All, "active", &[
        ("Out { groups: Some(vec![Group { state: Some(State { code: Some(StateCode::Active) }), ..Group::default() }]), ..Out::default() }", true),
        ("Out { groups: Some(vec![Group { status: Some(\"active\".into()), state: Some(State { code: Some(StateCode::Provisioning) }), ..Group::default() }]), ..Out::default() }", false),
    ]),
    ("Matrix[]", Any, "y", &[
        ("Out { matrix: Some(vec![vec![], vec![\"x\".into(), \"y\".into()]]), ..Out::default() }", true),
    ]),
    ("Level >= `2`", Bool, "true", &[
        ("Out { level: Some(Level::Value2), ..Out::default() }", true),
        ("Out { level: Some(Level::Value1), ..Out::default() }", false),
    ]),
    ("Inner.Inner.Value", Str, "deep", &[
        ("Out { inner: Some(Box::new(Inner { inner: Some(Box::new(Inner { value: Some(\"deep\".into()), inner: None })), value: None })), ..Out::default() }", true),
        ("Out { inner: Some(Box::new(Inner::default())), ..Out::default() }", false),
    ]),
    ("Choice.Text", Str, "x", &[
        ("Out { choice: Some(Choice::Text(\"x\".into())), ..Out::default() }", true),
        ("Out { choice: Some(Choice::Count(1)), ..Out::default() }", false),
        ("Out::default()", false),
    ]),
    ("contains(Label, 'ab')", Bool, "true", &[
        ("Out { label: \"xaby\".into(), ..Out::default() }", true),
        ("Out { label: \"ba\".into(), ..Out::default() }", false),
    ]),
    // `contains` of a null list is null, which matches neither `true` nor `false`.
    ("contains(Tags, 'x')", Bool, "false", &[
        ("Out::default()", false),
        ("Out { tags: Some(vec![]), ..Out::default() }", true),
        ("Out { tags: Some(vec![\"x\".into()]), ..Out::default() }", false),
    ]),
    ("contains(Sparse, Label)", Bool, "true", &[
        ("Out { sparse: Some(vec![None, Some(\"l\".into())]), label: \"l\".into(), ..Out::default() }", true),
        ("Out { sparse: Some(vec![None]), ..Out::default() }", false),
    ]),
    ("Sparse", Any, "x", &[
        ("Out { sparse: Some(vec![None, Some(\"x\".into())]), ..Out::default() }", true),
    ]),
    ("Sizes[?@ >= `2`] | length(@) == `1`", Bool, "true", &[
        ("Out { sizes: Some(vec![1, 2]), ..Out::default() }", true),
        ("Out { sizes: Some(vec![2, 3]), ..Out::default() }", false),
    ]),
    ("Count < Count", Bool, "false", &[
        ("Out { count: Some(1), ..Out::default() }", true),
        ("Out::default()", false),
    ]),
    ("!Flag", Bool, "true", &[
        ("Out::default()", true),
        ("Out { flag: Some(true), ..Out::default() }", false),
        ("Out { flag: Some(false), ..Out::default() }", true),
    ]),
    ("Ready && (Label == 'x' || length(Fixed) > `0`)", Bool, "true", &[
        ("Out { ready: true, fixed: vec![Group::default()], ..Out::default() }", true),
        ("Out { ready: true, label: \"x\".into(), ..Out::default() }", true),
        ("Out { ready: true, ..Out::default() }", false),
        ("Out { label: \"x\".into(), ..Out::default() }", false),
    ]),
    ("Ratio > `0.5`", Bool, "true", &[
        ("Out { ratio: Some(0.75), ..Out::default() }", true),
        ("Out { ratio: Some(0.25), ..Out::default() }", false),
    ]),
    ("Count > `0.5`", Bool, "true", &[
        ("Out { count: Some(1), ..Out::default() }", true),
        ("Out { count: Some(0), ..Out::default() }", false),
    ]),
    // Code points, not bytes.
    ("length(Label) == `2`", Bool, "true", &[
        ("Out { label: \"\u{e9}a\".into(), ..Out::default() }", true),
    ]),
    ("length(Fixed) < Total", Bool, "true", &[
        ("Out { total: 1, ..Out::default() }", true),
        ("Out { fixed: vec![Group::default()], total: 1, ..Out::default() }", false),
    ]),
    ("Groups[?MinSize > `2`][].Status", Any, "x", &[
        ("Out { groups: Some(vec![Group { min_size: 3, ..g(\"x\") }]), ..Out::default() }", true),
        ("Out { groups: Some(vec![Group { min_size: 2, ..g(\"x\") }]), ..Out::default() }", false),
    ]),
    // null == null keeps the first group, whose null status the projection drops.
    ("Groups[?Status == State.Code][].Status", Any, "active", &[
        ("Out { groups: Some(vec![Group::default(), Group { state: Some(State { code: Some(StateCode::Active) }), ..g(\"active\") }]), ..Out::default() }", true),
        ("Out { groups: Some(vec![g(\"active\")]), ..Out::default() }", false),
    ]),
];

/// inputOutput cases: values are `(output, input)`.
#[rustfmt::skip]
const INPUT_OUTPUT_CASES: &[Case] = &[
    ("input.Name == output.Name", Bool, "true", &[
        ("(Out { name: Some(\"a\".into()), ..Out::default() }, In { name: Some(\"a\".into()), names: None })", true),
        ("(Out::default(), In::default())", true),
        ("(Out { name: Some(\"a\".into()), ..Out::default() }, In::default())", false),
    ]),
    ("contains(input.Names, output.Label)", Bool, "true", &[
        ("(Out { label: \"a\".into(), ..Out::default() }, In { names: Some(vec![\"a\".into()]), name: None })", true),
    ]),
];

#[test]
fn the_emitted_code_compiles_warning_free_and_means_what_jmespath_says() {
    let m = model();
    let mut functions = Vec::new();
    let mut checks = Vec::new();
    let cases = CASES.iter().map(|case| (case, false));
    let io_cases = INPUT_OUTPUT_CASES.iter().map(|case| (case, true));
    for (n, ((path, comparator, expected, values), io)) in cases.chain(io_cases).enumerate() {
        let input = io.then_some(&m.input);
        let tokens = compile_matcher(path, *comparator, expected, &m.output, input, &m.types)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let function = format_ident!("matcher_{}", n);
        functions.push(if io {
            quote! {
                fn #function(output: &crate::types::Out, input: &crate::types::In) -> bool { #tokens }
            }
        } else {
            quote! {
                fn #function(output: &crate::types::Out) -> bool { #tokens }
            }
        });
        for (value, result) in *values {
            let value: TokenStream = value.parse().unwrap();
            let message = format!("{path} ({}, {expected}) on {value}", comparator.name());
            let call = if io {
                quote!({ let (output, input) = #value; #function(&output, &input) })
            } else {
                quote!(#function(&#value))
            };
            let not = (!result).then(|| quote!(!));
            checks.push(quote! {
                assert!(#not #call, "{}", #message);
            });
        }
    }
    let types = mock_types(&m.types, &[&m.output, &m.input]);
    let program = quote! {
        fn g(status: &str) -> crate::types::Group {
            crate::types::Group { status: Some(status.into()), ..Default::default() }
        }
        fn i(state: crate::types::LifecycleState) -> crate::types::Instance {
            crate::types::Instance { lifecycle_state: state, health: None }
        }
        #(#functions)*
        fn main() {
            use crate::types::*;
            #(#checks)*
        }
    };
    rustc("semantics", &format!("{types}\n{program}"), true);
}

// ----- the corpus: every waiter of the pinned models -------------------------

fn models_dir() -> PathBuf {
    let dir = std::env::var_os("SMITHY_MODELS_DIR").unwrap_or_else(|| {
        panic!(
            "SMITHY_MODELS_DIR is not set: point it at the pinned models (a checkout of \
             aws/api-models-aws or its models/ folder, e.g. /work/shared/models)"
        )
    });
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir)
}

/// Every output or inputOutput matcher of the pinned models: (model, operation, waiter, matcher).
struct Waiter {
    model: String,
    operation: String,
    waiter: String,
    path: String,
    comparator: Comparator,
    expected: String,
    input_output: bool,
}

fn corpus() -> Vec<(String, crate::ir::Service, Vec<Waiter>)> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/manifest.json");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest).unwrap()).unwrap();
    let dir = models_dir();
    let mut corpus = Vec::new();
    for entry in manifest["models"].as_array().unwrap() {
        let name = entry["name"].as_str().unwrap();
        let path = entry["path"].as_str().unwrap();
        let candidates = [dir.join(path), dir.join(path.trim_start_matches("models/"))];
        let file = candidates
            .iter()
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("model `{name}` not found at {candidates:?}"));
        let text = std::fs::read_to_string(file).unwrap();
        let model = crate::model::Model::load(path, &text).unwrap();
        let service = crate::lower::lower(&model, entry["service"].as_str().unwrap()).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut waiters = Vec::new();
        for (id, shape) in json["shapes"].as_object().unwrap() {
            let Some(waitable) = shape["traits"]["smithy.waiters#waitable"].as_object() else {
                continue;
            };
            for (waiter, definition) in waitable {
                for acceptor in definition["acceptors"].as_array().unwrap() {
                    for (kind, input_output) in [("output", false), ("inputOutput", true)] {
                        let Some(matcher) = acceptor["matcher"].get(kind) else {
                            continue;
                        };
                        let comparator = matcher["comparator"].as_str().unwrap();
                        waiters.push(Waiter {
                            model: name.into(),
                            operation: id.clone(),
                            waiter: waiter.clone(),
                            path: matcher["path"].as_str().unwrap().into(),
                            comparator: Comparator::from_name(comparator)
                                .unwrap_or_else(|| panic!("unknown comparator {comparator}")),
                            expected: matcher["expected"].as_str().unwrap().into(),
                            input_output,
                        });
                    }
                }
            }
        }
        corpus.push((name.to_owned(), service, waiters));
    }
    corpus
}

#[test]
fn every_waiter_path_of_the_pinned_models_compiles() {
    let mut count = 0;
    let mut paths = std::collections::BTreeSet::new();
    let mut elasticache = std::collections::BTreeMap::new();
    for (name, service, waiters) in corpus() {
        let mut functions = Vec::new();
        for w in &waiters {
            let op = service
                .operations
                .iter()
                .find(|op| op.id == w.operation)
                .unwrap_or_else(|| panic!("{}: no operation {}", w.model, w.operation));
            let input = w.input_output.then_some(&op.input);
            let tokens = compile_matcher(
                &w.path,
                w.comparator,
                &w.expected,
                &op.output,
                input,
                &service.types,
            )
            .unwrap_or_else(|e| {
                panic!(
                    "{} {} {}: `{}`: {e}",
                    w.model, w.operation, w.waiter, w.path
                )
            });
            syn::parse2::<syn::Expr>(tokens.clone()).unwrap_or_else(|e| {
                panic!(
                    "{}: `{}` emitted code that does not parse ({e}): {tokens}",
                    w.model, w.path
                )
            });
            if paths.insert(format!("{name}: {}", w.path)) {
                println!(
                    "{name}: {} ({} {:?})\n{}\n",
                    w.path,
                    w.comparator.name(),
                    w.expected,
                    pretty(tokens.clone())
                );
            }
            if name == "elasticache" {
                elasticache.insert(
                    (w.path.clone(), w.comparator.name(), w.expected.clone()),
                    pretty(tokens.clone()),
                );
            }
            let output = crate::emit::ident(&op.output.rust_name);
            let function = format_ident!("matcher_{}", functions.len());
            functions.push(match input {
                Some(input) => {
                    let input = crate::emit::ident(&input.rust_name);
                    quote!(pub fn #function(output: &crate::types::#output, input: &crate::types::#input) -> bool { #tokens })
                }
                None => quote!(pub fn #function(output: &crate::types::#output) -> bool { #tokens }),
            });
            count += 1;
        }
        // Type-check the emitted code against mock types shaped like the generated ones.
        if !functions.is_empty() {
            let ops: Vec<&Struct> = service
                .operations
                .iter()
                .flat_map(|op| [&op.output, &op.input])
                .collect();
            let source = format!(
                "{}\n{}",
                mock_types(&service.types, &ops),
                quote!(#(#functions)*)
            );
            rustc(&name.replace('-', "_"), &source, false);
        }
    }
    println!("{count} matchers, {} distinct paths", paths.len());
    assert_eq!(
        count, 164,
        "the number of output matchers in the pinned models"
    );
    assert_eq!(
        paths.len(),
        30,
        "the number of distinct (model, path) pairs"
    );

    let expected_any = |field: &str, status: &str, value: &str| {
        format!(
            "output\n    .{field}\n    .iter()\n    .flatten()\n    .filter_map(|v| v.{status}.as_ref())\n    .any(|v| v.as_str() == \"{value}\")"
        )
    };
    let expected_all = |field: &str, status: &str, value: &str| {
        format!(
            "output\n    .{field}\n    .iter()\n    .flatten()\n    .filter_map(|v| v.{status}.as_ref())\n    .map(|v| v.as_str() == \"{value}\")\n    .reduce(|a, b| a && b) == Some(true)"
        )
    };
    for ((path, comparator, value), emitted) in &elasticache {
        let (field, status) = match path.as_str() {
            "ReplicationGroups[].Status" => ("replication_groups", "status"),
            "CacheClusters[].CacheClusterStatus" => ("cache_clusters", "cache_cluster_status"),
            other => panic!("an ElastiCache path this test does not know: {other}"),
        };
        let want = match *comparator {
            "allStringEquals" => expected_all(field, status, value),
            "anyStringEquals" => expected_any(field, status, value),
            other => panic!("an ElastiCache comparator this test does not know: {other}"),
        };
        assert_eq!(emitted, &want, "{path} {comparator} {value}");
    }
    assert_eq!(elasticache.len(), 14);
}

/// Every path of three fragments (27,000, most of them nonsense) with every
/// comparator compiles or fails with an error; none panics, and what compiles
/// parses as Rust.
#[test]
fn no_path_panics() {
    const FRAGMENTS: &[&str] = &[
        "Groups",
        "[]",
        "[*]",
        "[?",
        "]",
        ".",
        "Status",
        "*",
        " == ",
        "'x'",
        "`1`",
        "length(",
        ")",
        ",",
        "[",
        " && ",
        " || ",
        "!",
        " | ",
        "@",
        "Sparse",
        "Attrs",
        "Count",
        "Choice",
        "Text",
        "contains(",
        "`null`",
        "`true`",
        "MinSize",
        " > ",
    ];
    let m = model();
    let mut compiled = 0;
    for a in FRAGMENTS {
        for b in FRAGMENTS {
            for c in FRAGMENTS {
                let path = format!("{a}{b}{c}");
                for comparator in [Str, Bool, All, Any] {
                    let outcome = std::panic::catch_unwind(|| {
                        compile_matcher(&path, comparator, "true", &m.output, None, &m.types)
                    });
                    match outcome {
                        Ok(Ok(tokens)) => {
                            syn::parse2::<syn::Expr>(tokens)
                                .unwrap_or_else(|e| panic!("{path}: {e}"));
                            compiled += 1;
                        }
                        Ok(Err(_)) => {}
                        Err(_) => panic!("`{path}` ({}) panicked", comparator.name()),
                    }
                }
            }
        }
    }
    println!("{compiled} of 108000 compiled");
    assert!(compiled >= 40, "only {compiled} compiled");
}
