//! The awsQuery protocol compliance suites, generated with the real generator.
//!
//! For every suite of `$PROTOCOL_TESTS_DIR/{input,output,legacy-input,legacy-output}.json`
//! (botocore's JSON form of the Smithy awsQuery tests), the suite's model goes
//! through the botocore frontend and `querygen::generate`, and the resulting
//! crate is mounted as a module of this package's library (`protocol.rs`). Each
//! case becomes a `#[test]` (`protocol_cases.rs`) that builds typed values with
//! the generated builders and calls the generated serializers and parsers.
//! Nothing here interprets the model at test time.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use heck::ToSnakeCase;
use querygen::ir::{NamedKind, Service, Struct, TypeDef, TypeRef};
use serde_json::Value;

const FILES: [&str; 4] = ["input", "output", "legacy-input", "legacy-output"];

/// Writes `protocol.rs` (suite crates) and `protocol_cases.rs` (one test per case) into `out`.
pub fn generate(dir: &Path, out: &Path) {
    let ignored = ignore_list(dir);
    let mut modules = String::new();
    let mut cases = String::new();
    for file in FILES {
        let path = dir.join(format!("{file}.json"));
        println!("cargo:rerun-if-changed={}", path.display());
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let suites: Vec<Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (suite_index, suite) in suites.iter().enumerate() {
            // One generated module per distinct `given` (operation definition) in the suite.
            let mut by_given: BTreeMap<String, (String, Vec<&Value>)> = BTreeMap::new();
            for case in suite["cases"].as_array().expect("cases") {
                let key = case["given"].to_string();
                let next = by_given.len();
                by_given
                    .entry(key)
                    .or_insert_with(|| {
                        (
                            format!("{}_{suite_index}_{next}", file.replace('-', "_")),
                            Vec::new(),
                        )
                    })
                    .1
                    .push(case);
            }
            for (module, suite_cases) in by_given.values() {
                let given = &suite_cases[0]["given"];
                let service = generate_module(module, suite, given, &mut modules);
                for case in suite_cases {
                    let index = suite["cases"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .position(|c| std::ptr::eq(c, *case))
                        .unwrap();
                    let name = case_name(file, suite, index, case);
                    let ignored_reason = ignored
                        .iter()
                        .find(|(kind, what)| is_ignored(kind, what, file, suite, case))
                        .map(|(kind, _)| kind.clone());
                    write_case(
                        &mut cases,
                        &name,
                        file,
                        module,
                        &service,
                        case,
                        suite,
                        ignored_reason,
                    );
                }
            }
        }
    }
    std::fs::write(out.join("protocol.rs"), modules).unwrap();
    std::fs::write(out.join("protocol_cases.rs"), cases).unwrap();
}

/// botocore's ignore list: (`suite` or `case`, the suite description or case id).
fn ignore_list(dir: &Path) -> Vec<(String, String)> {
    let path = dir.join("ignore-list.json");
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap();
    let mut out = Vec::new();
    for suite in doc["general"]["input"]["suites"]
        .as_array()
        .into_iter()
        .flatten()
    {
        out.push((
            "suite".to_owned(),
            suite.as_str().unwrap_or_default().to_owned(),
        ));
    }
    for kind in ["input", "output"] {
        for case in doc["protocols"]["query"][kind]["cases"]
            .as_array()
            .into_iter()
            .flatten()
        {
            out.push((
                "case".to_owned(),
                case.as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    out
}

fn is_ignored(kind: &str, what: &str, file: &str, suite: &Value, case: &Value) -> bool {
    match kind {
        "suite" => file.ends_with("input") && suite["description"].as_str() == Some(what),
        _ => case["id"].as_str() == Some(what),
    }
}

fn case_name(file: &str, suite: &Value, index: usize, case: &Value) -> String {
    let base = match case["id"].as_str() {
        Some(id) => id.to_snake_case(),
        None => format!(
            "{}_{index}",
            suite["description"]
                .as_str()
                .unwrap_or("suite")
                .to_snake_case()
        ),
    };
    format!("{}_{base}", file.replace('-', "_"))
}

/// Generates one suite's crate and appends it to `out` as `pub mod <module>`; returns its IR.
fn generate_module(module: &str, suite: &Value, given: &Value, out: &mut String) -> Service {
    let name = given["name"].as_str().expect("given.name");
    let mut operations = serde_json::Map::new();
    operations.insert(name.to_owned(), given.clone());
    let botocore = serde_json::json!({ "metadata": suite["metadata"], "shapes": suite["shapes"], "operations": operations });
    let ast = querygen::botocore::to_smithy_json(
        &botocore,
        "aws.protocoltests.query",
        "ProtocolTestService",
    )
    .unwrap_or_else(|e| panic!("{module}: {e}"));
    let service_id =
        querygen::botocore::service_id("aws.protocoltests.query", "ProtocolTestService");
    let text = ast.to_string();
    let options = querygen::Options {
        service: service_id.clone(),
        crate_name: module.to_owned(),
        crate_version: "0.0.0".to_owned(),
        runtime: querygen::RuntimeSource::Path(".".into()),
        client: true,
        deny_warnings: false,
        partitions: None,
    };
    let generated =
        querygen::generate(&text, module, &options).unwrap_or_else(|e| panic!("{module}: {e}"));
    let model = querygen::model::Model::load(module, &text).unwrap();
    let service = querygen::lower::lower(&model, &service_id).unwrap();

    // Mount the crate as a module: inline its module files, re-root `crate::` paths.
    let files: BTreeMap<&str, &str> = generated
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.contents.as_str()))
        .collect();
    let body = |path: &str| -> String {
        files
            .get(path)
            .map(|text| {
                // A mounted module keeps no crate-level docs, header or inner attributes
                // (which prettyplease may spread over several lines).
                let mut kept = Vec::new();
                let mut in_inner_attribute = false;
                for line in text.lines() {
                    if in_inner_attribute || line.starts_with("#![") {
                        in_inner_attribute = !line.trim_end().ends_with(']');
                        continue;
                    }
                    if !line.starts_with("//!") && !line.starts_with("// ") {
                        kept.push(line);
                    }
                }
                kept.join("\n")
                    .replace("crate::", &format!("crate::protocol::{module}::"))
            })
            .unwrap_or_default()
    };
    let mut lib = body("src/lib.rs");
    for (decl, path) in [
        ("pub mod error;", "src/error.rs"),
        ("pub mod types;", "src/types.rs"),
    ] {
        lib = lib.replace(
            decl,
            &format!(
                "pub mod {} {{\n{}\n}}",
                &decl[8..decl.len() - 1],
                body(path)
            ),
        );
    }
    let mut operation_mods = String::new();
    for op in &service.operations {
        let file = querygen::naming::unraw(&op.rust_name);
        let _ = writeln!(
            operation_mods,
            "/// The `{}` operation.\npub mod {} {{\n{}\n}}",
            op.wire_name,
            op.rust_name,
            body(&format!("src/operation/{file}.rs"))
        );
    }
    lib = lib.replace(
        "pub mod operation;",
        &format!("pub mod operation {{\n{operation_mods}\n}}"),
    );
    let _ = writeln!(
        out,
        "/// Suite `{}`.\npub mod {module} {{\n{lib}\n}}",
        suite["description"]
            .as_str()
            .unwrap_or_default()
            .replace('"', "'")
    );
    service
}

fn struct_by_id<'a>(service: &'a Service, id: &str) -> Option<&'a Struct> {
    service
        .types
        .iter()
        .find_map(|t| match t {
            TypeDef::Struct(s) if s.id == id => Some(s),
            _ => None,
        })
        .or_else(|| service.errors.iter().find(|e| e.id == id))
}

fn path_of(module: &str, named: &querygen::ir::NamedRef) -> String {
    let m = match named.module {
        querygen::ir::Module::Types => "types",
        querygen::ir::Module::Error => "error",
    };
    format!(
        "workspace_tests::protocol::{module}::{m}::{}",
        named.rust_name
    )
}

/// Rust code for a value of `ty` from the case's JSON.
fn value(module: &str, service: &Service, ty: &TypeRef, json: &Value) -> String {
    match (ty, json) {
        (TypeRef::String, Value::String(s)) => format!("String::from({s:?})"),
        (TypeRef::Bool, Value::Bool(b)) => b.to_string(),
        (TypeRef::Byte | TypeRef::Short | TypeRef::Integer | TypeRef::Long, Value::Number(n)) => {
            let suffix = match ty {
                TypeRef::Byte => "i8",
                TypeRef::Short => "i16",
                TypeRef::Integer => "i32",
                _ => "i64",
            };
            format!("{n}{suffix}")
        }
        (TypeRef::Float | TypeRef::Double, v) => {
            let ty_name = if *ty == TypeRef::Float { "f32" } else { "f64" };
            match v {
                Value::String(s) if s == "NaN" => format!("{ty_name}::NAN"),
                Value::String(s) if s == "Infinity" => format!("{ty_name}::INFINITY"),
                Value::String(s) if s == "-Infinity" => format!("{ty_name}::NEG_INFINITY"),
                Value::Number(n) => {
                    let text = n.to_string();
                    if text.contains(['.', 'e', 'E']) {
                        format!("{text}{ty_name}")
                    } else {
                        format!("{text}.0{ty_name}")
                    }
                }
                other => panic!("unexpected float value {other}"),
            }
        }
        (TypeRef::Blob, Value::String(s)) => format!("{s:?}.as_bytes().to_vec()"),
        (TypeRef::Timestamp(_), Value::Number(n)) => {
            // From the number's text: going through f64 would lose the sub-second digits.
            format!(
                "querygen_runtime::DateTime::parse_epoch_seconds({:?}).unwrap()",
                n.to_string()
            )
        }
        (TypeRef::Named(named), v) => {
            let path = path_of(module, named);
            match (named.kind, v) {
                (NamedKind::Enum, Value::String(s)) => format!("{path}::from({s:?})"),
                (NamedKind::IntEnum, Value::Number(n)) => format!("{path}::from({n}i32)"),
                (NamedKind::Struct, Value::Object(_)) => {
                    let s = struct_by_id(service, &named.id)
                        .unwrap_or_else(|| panic!("no struct {}", named.id));
                    builder(module, service, &path, s, v)
                }
                (NamedKind::Union, Value::Object(map)) => {
                    let u = service
                        .types
                        .iter()
                        .find_map(|t| match t {
                            TypeDef::Union(u) if u.id == named.id => Some(u),
                            _ => None,
                        })
                        .unwrap();
                    let (member, inner) = map.iter().next().unwrap();
                    let variant = u.variants.iter().find(|v| &v.wire_name == member).unwrap();
                    match &variant.ty {
                        Some(ty) => format!(
                            "{path}::{}({})",
                            variant.rust_name,
                            value(module, service, ty, inner)
                        ),
                        None => format!("{path}::{}", variant.rust_name),
                    }
                }
                other => panic!("unexpected value {other:?} for {}", named.id),
            }
        }
        (TypeRef::List(list), Value::Array(items)) => {
            let items: Vec<String> = items
                .iter()
                .map(|item| {
                    let v = value(module, service, &list.item, item);
                    if list.sparse {
                        format!("Some({v})")
                    } else {
                        v
                    }
                })
                .collect();
            format!("vec![{}]", items.join(", "))
        }
        (TypeRef::Map(map), Value::Object(entries)) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    let key = value(module, service, &map.key, &Value::String(k.clone()));
                    let val = value(module, service, &map.value, v);
                    if map.sparse {
                        format!("({key}, Some({val}))")
                    } else {
                        format!("({key}, {val})")
                    }
                })
                .collect();
            format!("querygen_runtime::IndexMap::from([{}])", entries.join(", "))
        }
        (ty, v) => panic!("cannot express {v} as {ty:?}"),
    }
}

/// `Path::builder().set_x(Some(..))….build()` for a structure value.
fn builder(module: &str, service: &Service, path: &str, s: &Struct, json: &Value) -> String {
    let mut code = format!("{path}::builder()");
    for (member, v) in json.as_object().into_iter().flatten() {
        let field = s
            .fields
            .iter()
            .find(|f| &f.wire_name == member)
            .unwrap_or_else(|| panic!("{} has no member {member}", s.id));
        let set = querygen::naming::setter_name(&field.rust_name);
        let _ = write!(
            code,
            ".{set}(Some({}))",
            value(module, service, &field.ty, v)
        );
    }
    code.push_str(".build()");
    if s.required_fields().next().is_some() {
        code.push_str(".unwrap()");
    }
    code
}

#[allow(clippy::too_many_arguments)]
fn write_case(
    out: &mut String,
    name: &str,
    file: &str,
    module: &str,
    service: &Service,
    case: &Value,
    suite: &Value,
    ignored: Option<String>,
) {
    let op = &service.operations[0];
    let op_path = format!(
        "workspace_tests::protocol::{module}::operation::{}",
        op.rust_name
    );
    let description = case["description"]
        .as_str()
        .or(suite["description"].as_str())
        .unwrap_or_default();
    let _ = writeln!(out, "/// {}", description.replace('\n', " "));
    if let Some(kind) = ignored {
        let _ = writeln!(
            out,
            "/// (botocore's ignore list names this {kind}; querygen runs it anyway.)"
        );
    }
    let _ = writeln!(out, "#[test]\nfn {name}() {{");
    if file.ends_with("input") {
        let input_path = format!("{op_path}::{}", op.input.rust_name);
        let input = builder(module, service, &input_path, &op.input, &case["params"]);
        if op.input.fields.iter().any(|f| f.idempotency_token) {
            // The suites fix the token a client would generate, as the Smithy test runners inject it.
            let _ = writeln!(out, "    let mut input = {input};");
            let _ = writeln!(out, "    input.fill_idempotency_tokens(|| String::from(\"00000000-0000-4000-8000-000000000000\"));");
        } else {
            let _ = writeln!(out, "    let input = {input};");
        }
        let _ = writeln!(
            out,
            "    let body = {op_path}::serialize_query_body(&input);"
        );
        match case["serialized"]["body"].as_str() {
            Some(expected) => {
                let _ = writeln!(out, "    assert_eq!(body, {expected:?});");
            }
            None => {
                let _ = writeln!(
                    out,
                    "    assert!(body.starts_with(\"Action={}&Version=\"), \"{{body}}\");",
                    op.wire_name
                );
            }
        }
        write_request_checks(out, &op_path, case, suite);
    } else {
        let response = &case["response"];
        let body = response["body"].as_str().unwrap_or_default();
        let status = response["status_code"].as_u64().unwrap_or(200);
        let _ = writeln!(out, "    let body: &str = {body:?};");
        if let Some(code) = case["errorCode"].as_str() {
            let _ = writeln!(out, "    let error = workspace_tests::protocol::{module}::error::ServiceError::parse({status}, body.as_bytes());");
            match service.errors.iter().find(|e| {
                e.rust_name == querygen::naming::type_name(code)
                    || matches!(&e.role, querygen::ir::StructRole::Error(info) if info.code == code)
            }) {
                Some(shape) => {
                    let path = format!(
                        "workspace_tests::protocol::{module}::error::{}",
                        shape.rust_name
                    );
                    let expected = builder(module, service, &path, shape, &case["error"]);
                    let _ = writeln!(out, "    let expected = {expected};");
                    let _ = writeln!(
                        out,
                        "    match error {{ workspace_tests::protocol::{module}::error::ServiceError::{}(actual) => assert_eq!(actual, expected), other => panic!(\"expected {code}, got {{other:?}}\") }}",
                        shape.rust_name
                    );
                }
                None => {
                    let _ = writeln!(out, "    let workspace_tests::protocol::{module}::error::ServiceError::Unhandled(unhandled) = error else {{ panic!(\"expected an unhandled error, got {{error:?}}\") }};");
                    let _ = writeln!(
                        out,
                        "    assert_eq!(unhandled.code.as_deref(), Some({code:?}));"
                    );
                    if let Some(message) = case["errorMessage"].as_str() {
                        let _ = writeln!(
                            out,
                            "    assert_eq!(unhandled.message.as_deref(), Some({message:?}));"
                        );
                    }
                }
            }
        } else {
            let _ = writeln!(
                out,
                "    let parsed = {op_path}::deserialize_response(body.as_bytes()).unwrap();"
            );
            let output_path = format!("{op_path}::{}", op.output.rust_name);
            let expected = builder(
                module,
                service,
                &output_path,
                &op.output,
                case.get("result").unwrap_or(&Value::Null),
            );
            let _ = writeln!(out, "    let expected = {expected};");
            // NaN never equals itself: compare the Debug text, which spells it `NaN`.
            let _ = writeln!(
                out,
                "    assert_eq!(format!(\"{{:?}}\", parsed.output), format!(\"{{expected:?}}\"));"
            );
        }
    }
    let _ = writeln!(out, "}}\n");
}

/// The HTTP side of an input case, through the generated `build_request`: method, path,
/// host (with any host prefix), the media type of `Content-Type` (compared without
/// parameters, as botocore's runner does), `Content-Length` where the case requires it,
/// and the body. `Content-Encoding` (request compression) is not implemented yet and
/// is listed in docs/protocol.md rather than checked.
fn write_request_checks(out: &mut String, op_path: &str, case: &Value, suite: &Value) {
    let serialized = &case["serialized"];
    let endpoint = suite["clientEndpoint"]
        .as_str()
        .unwrap_or("https://example.com");
    let _ = writeln!(
        out,
        "    let request = {op_path}::build_request(&input, {endpoint:?}).unwrap();"
    );
    if let Some(method) = serialized["method"].as_str() {
        let _ = writeln!(
            out,
            "    assert_eq!(request.method().as_str(), {method:?});"
        );
    }
    if let Some(uri) = serialized["uri"].as_str() {
        let _ = writeln!(out, "    assert_eq!(request.uri().path(), {uri:?});");
    }
    if let Some(host) = serialized["host"].as_str() {
        // botocore writes the host with the endpoint's path, if any (`example.com/custom`).
        let _ = writeln!(
            out,
            "    let host = format!(\"{{}}{{}}\", request.uri().authority().unwrap(), request.uri().path().trim_end_matches('/'));"
        );
        let _ = writeln!(out, "    assert_eq!(host, {host:?});");
    }
    if let Some(content_type) = serialized["headers"]["Content-Type"].as_str() {
        let media = content_type.split(';').next().unwrap_or_default().trim();
        let _ = writeln!(
            out,
            "    assert_eq!(request.headers()[\"content-type\"].to_str().unwrap().split(';').next().unwrap().trim(), {media:?});"
        );
    }
    let requires_length = serialized["requireHeaders"]
        .as_array()
        .is_some_and(|h| h.iter().any(|h| h == "Content-Length"));
    if requires_length {
        let _ = writeln!(out, "    assert_eq!(request.headers()[\"content-length\"].to_str().unwrap(), body.len().to_string());");
    }
    let _ = writeln!(
        out,
        "    assert_eq!(request.body().as_slice(), body.as_bytes());"
    );
}
