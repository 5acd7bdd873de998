//! Round-trip properties over the types of ElastiCache and SNS (one file each):
//! proptest strategies for every input, output and error (built from the IR, through the generated
//! builders), and per operation three properties:
//! - input → `serialize_query_body` → `deserialize_request` gives the input back;
//! - output → `serialize_response` → `deserialize_response` gives the output and request id back;
//! - each modeled error → `to_response` → `deserialize_error` gives the error back.
//!
//! And per type (every structure, enum, error, input and output), the `serde`
//! feature's round trip: value → `serde_json` → value, with the object's keys
//! among the type's Smithy member names (`serde_round_trip` in the test file).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use querygen::ir::{Field, NamedKind, Struct, TypeDef, TypeRef};
use querygen::traits::TimestampFormat;

/// Strings XML 1.0 can carry (tab, line feed, carriage return, and no other C0 control).
const STRING: &str = r#"proptest::string::string_regex("[\t\n\r -~\u{a0}-\u{d7ff}\u{e000}-\u{fffd}]{0,12}").unwrap()"#;

/// Writes `round_trip.rs` (ElastiCache) and `round_trip_sns.rs` into `out`.
pub fn generate(out: &Path) {
    generate_service(out, "elasticache", "round_trip.rs");
    generate_service(out, "sns", "round_trip_sns.rs");
}

/// The properties of the pinned model `name`, whose crate is also called `name`, into `out/file`.
fn generate_service(out: &Path, name: &str, file: &str) {
    let krate = name;
    let (entry, source, text) = xtask::pinned(name).unwrap_or_else(|e| panic!("{e}"));
    let model = querygen::model::Model::load(&source, &text).unwrap();
    let service = querygen::lower::lower(&model, &entry.service).unwrap();

    let mut code = String::new();
    let mut done = BTreeSet::new();
    // (test name, strategy function, Smithy member names; `None` for an enum).
    let mut serde_cases: Vec<(String, String, Option<Vec<String>>)> = Vec::new();
    for ty in &service.types {
        let id = fn_id(ty.id());
        match ty {
            TypeDef::Struct(s) => serde_cases.push((id.clone(), id, Some(member_names(s)))),
            TypeDef::Enum(_) => serde_cases.push((id.clone(), id, None)),
            TypeDef::Union(_) => {}
        }
        match ty {
            TypeDef::Struct(s) => strategy_fn(
                &mut code,
                s,
                &format!("{krate}::types::{}", s.rust_name),
                &mut done,
            ),
            TypeDef::Enum(e) => {
                let path = format!("{krate}::types::{}", e.rust_name);
                let _ = writeln!(
                    code,
                    "fn arb_{id}() -> BoxedStrategy<{path}> {{ prop_oneof![4 => proptest::sample::select({path}::values()).prop_map({path}::from), 1 => \"[a-z0-9-]{{1,8}}\".prop_map(|s| {path}::from(s.as_str()))].boxed() }}",
                    id = fn_id(&e.id)
                );
            }
            TypeDef::Union(_) => panic!("{krate} has no unions: no strategy for them yet"),
        }
    }
    for error in &service.errors {
        let id = fn_id(&error.id);
        serde_cases.push((format!("error_{id}"), id, Some(member_names(error))));
        strategy_fn(
            &mut code,
            error,
            &format!("{krate}::error::{}", error.rust_name),
            &mut done,
        );
    }
    for op in &service.operations {
        let module = format!("{krate}::operation::{}", op.rust_name);
        strategy_named(
            &mut code,
            &op.input,
            &format!("{module}::{}", op.input.rust_name),
            &format!("input_{}", op.rust_name),
        );
        strategy_named(
            &mut code,
            &op.output,
            &format!("{module}::{}", op.output.rust_name),
            &format!("output_{}", op.rust_name),
        );
        let error_enum = format!(
            "{module}::{}Error",
            querygen::naming::type_name(&op.wire_name)
        );
        for (kind, s) in [("input", &op.input), ("output", &op.output)] {
            let name = format!("{kind}_{}", op.rust_name);
            serde_cases.push((name.clone(), name, Some(member_names(s))));
        }
        let _ = writeln!(code, "proptest! {{");
        // No failure file: these tests are `include!`d, so proptest finds no source file to sit beside.
        let _ = writeln!(code, "    #![proptest_config(ProptestConfig {{ cases: 24, failure_persistence: None, ..ProptestConfig::default() }})]");
        let _ = writeln!(
            code,
            "    #[test]\n    fn {op}_input_round_trips(input in arb_input_{op}()) {{\n        let body = {module}::serialize_query_body(&input);\n        let parsed = {module}::deserialize_request(body.as_bytes()).map_err(|e| TestCaseError::fail(format!(\"{{e}} in {{body}}\")))?;\n        prop_assert_eq!(format!(\"{{parsed:?}}\"), format!(\"{{input:?}}\"));\n    }}",
            op = op.rust_name
        );
        let _ = writeln!(
            code,
            "    #[test]\n    fn {op}_output_round_trips(output in arb_output_{op}()) {{\n        let body = {module}::serialize_response(&output, \"request-1\");\n        let parsed = {module}::deserialize_response(body.as_bytes()).map_err(|e| TestCaseError::fail(format!(\"{{e}} in {{body}}\")))?;\n        prop_assert_eq!(parsed.request_id.as_deref(), Some(\"request-1\"));\n        prop_assert_eq!(format!(\"{{:?}}\", parsed.output), format!(\"{{output:?}}\"));\n    }}",
            op = op.rust_name
        );
        for error in &op.errors {
            let _ = writeln!(
                code,
                "    #[test]\n    fn {op}_error_{snake}_round_trips(error in arb_{id}()) {{\n        let error = {error_enum}::{name}(error);\n        let (status, body) = error.to_response(\"request-2\");\n        let parsed = {module}::deserialize_error(status, body.as_bytes());\n        prop_assert_eq!(format!(\"{{parsed:?}}\"), format!(\"{{error:?}}\"));\n    }}",
                op = op.rust_name,
                snake = heck::ToSnakeCase::to_snake_case(error.rust_name.as_str()),
                id = fn_id(&error.id),
                name = error.rust_name
            );
        }
        let _ = writeln!(code, "}}\n");
    }
    let _ = writeln!(code, "proptest! {{");
    let _ = writeln!(code, "    #![proptest_config(ProptestConfig {{ cases: 24, failure_persistence: None, ..ProptestConfig::default() }})]");
    for (test, strategy, members) in &serde_cases {
        let members = match members {
            Some(names) => format!(
                "Some(&[{}])",
                names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => "None".to_owned(),
        };
        let _ = writeln!(
            code,
            "    #[test]\n    fn serde_{test}_round_trips(value in arb_{strategy}()) {{\n        serde_round_trip(&value, {members})?;\n    }}"
        );
    }
    let _ = writeln!(code, "}}");
    std::fs::write(out.join(file), code).unwrap();
}

/// The JSON keys of a structure: its Smithy member names.
fn member_names(s: &Struct) -> Vec<String> {
    s.fields.iter().map(|f| f.wire_name.clone()).collect()
}

fn fn_id(shape_id: &str) -> String {
    heck::ToSnakeCase::to_snake_case(querygen::model::shape_name(shape_id))
}

fn strategy_fn(code: &mut String, s: &Struct, path: &str, done: &mut BTreeSet<String>) {
    if done.insert(s.id.clone()) {
        strategy_named(code, s, path, &fn_id(&s.id));
    }
}

/// `fn arb_<name>() -> BoxedStrategy<Path>`: every member through `option::of` (or its
/// plain strategy), fields grouped in tuples of at most ten, then the builder.
fn strategy_named(code: &mut String, s: &Struct, path: &str, name: &str) {
    if s.fields.is_empty() {
        let _ = writeln!(code, "fn arb_{name}() -> BoxedStrategy<{path}> {{ Just({path}::builder().build()).boxed() }}");
        return;
    }
    let chunks: Vec<&[Field]> = s.fields.chunks(10).collect();
    let strategies: Vec<String> = chunks
        .iter()
        .map(|chunk| {
            let parts: Vec<String> = chunk
                .iter()
                .map(|f| {
                    let value = value_strategy(&f.ty);
                    if sometimes_absent(f) {
                        format!("proptest::option::of({value})")
                    } else {
                        value
                    }
                })
                .collect();
            format!("({},)", parts.join(", "))
        })
        .collect();
    let patterns: Vec<String> = chunks
        .iter()
        .enumerate()
        .map(|(c, chunk)| {
            let names: Vec<String> = (0..chunk.len()).map(|i| format!("f{c}_{i}")).collect();
            format!("({},)", names.join(", "))
        })
        .collect();
    let mut build = format!("{path}::builder()");
    for (c, chunk) in chunks.iter().enumerate() {
        for (i, f) in chunk.iter().enumerate() {
            let set = querygen::naming::setter_name(&f.rust_name);
            if sometimes_absent(f) {
                let _ = write!(build, ".{set}(f{c}_{i})");
            } else {
                let _ = write!(build, ".{set}(Some(f{c}_{i}))");
            }
        }
    }
    build.push_str(".build()");
    if s.required_fields().next().is_some() {
        // Every required member was set just above.
        build.push_str(".unwrap()");
    }
    // awsQuery writes no key at all for a structure with no member set, so such a value
    // cannot cross the wire (the AWS SDKs behave the same); generate only what can.
    let representable = if s.fields.iter().all(|f| f.optional) {
        format!(".prop_filter(\"awsQuery cannot carry a structure with no member set\", |v| *v != {path}::default())")
    } else {
        String::new()
    };
    let _ = writeln!(
        code,
        "fn arb_{name}() -> BoxedStrategy<{path}> {{ ({},).prop_map(|({},)| {build}){representable}.boxed() }}",
        strategies.join(", "),
        patterns.join(", ")
    );
}

/// Optional members may be absent, except the required ones the builder insists on.
fn sometimes_absent(f: &Field) -> bool {
    f.optional && !(f.required && f.default.is_none())
}

fn value_strategy(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => STRING.to_owned(),
        TypeRef::Bool => "any::<bool>()".to_owned(),
        TypeRef::Byte => "any::<i8>()".to_owned(),
        TypeRef::Short => "any::<i16>()".to_owned(),
        TypeRef::Integer => "any::<i32>()".to_owned(),
        TypeRef::Long => "any::<i64>()".to_owned(),
        TypeRef::Float => "any::<f32>()".to_owned(),
        TypeRef::Double => "any::<f64>()".to_owned(),
        TypeRef::Blob => "proptest::collection::vec(any::<u8>(), 0..16)".to_owned(),
        // Years 1 to 9999, microseconds: what date-time text can carry. http-date has whole seconds only.
        TypeRef::Timestamp(format) => {
            let micros = if *format == Some(TimestampFormat::HttpDate) {
                "0..1u32"
            } else {
                "0..1_000_000u32"
            };
            format!("(-62_135_596_800i64..253_402_300_799, {micros}).prop_map(|(s, us)| querygen_runtime::DateTime::from_secs_and_nanos(s, us * 1000))")
        }
        TypeRef::Named(named) => match named.kind {
            NamedKind::Enum | NamedKind::Struct => format!("arb_{}()", fn_id(&named.id)),
            other => panic!("no strategy for {other:?} ({})", named.id),
        },
        TypeRef::List(list) => format!(
            "proptest::collection::vec({}, 0..3)",
            value_strategy(&list.item)
        ),
        // SNS's attribute and message-attribute maps. Keys may repeat; the map keeps the last.
        // At least one entry: awsQuery writes nothing at all for an empty map (protocol test
        // QueryEmptyQueryMaps; the AWS SDKs do the same), so an empty map in an input cannot
        // cross the wire; empty maps in responses are covered by the compliance suite.
        TypeRef::Map(map) if !map.sparse => format!(
            "proptest::collection::vec(({}, {}), 1..3).prop_map(|entries| entries.into_iter().collect::<querygen_runtime::IndexMap<_, _>>())",
            value_strategy(&map.key),
            value_strategy(&map.value)
        ),
        other => panic!("no strategy for {other:?}"),
    }
}
