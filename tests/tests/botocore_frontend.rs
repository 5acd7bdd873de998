//! The botocore frontend gives the same ElastiCache types as the Smithy
//! model; the botocore file is newer, so it may add members, values and
//! operations, but must not lose or change any.

use std::collections::BTreeMap;

use querygen::ir::{Service, TypeDef};

const BOTOCORE_ENV: &str = "BOTOCORE_MODELS_DIR";

fn smithy_ir() -> Service {
    let (entry, source, text) = xtask::pinned("elasticache").unwrap_or_else(|e| panic!("{e}"));
    let model = querygen::model::Model::load(&source, &text).unwrap_or_else(|e| panic!("{e}"));
    querygen::lower::lower(&model, &entry.service).unwrap_or_else(|e| panic!("{e}"))
}

fn botocore_ir() -> Service {
    let dir = std::env::var_os(BOTOCORE_ENV)
        .unwrap_or_else(|| panic!("{BOTOCORE_ENV} is not set: point it at the botocore models (`.ci/run` sets ../shared/botocore-models)"));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(dir)
        .join("elasticache/service-2.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ast = querygen::botocore::to_smithy_json(
        &doc,
        "com.amazonaws.elasticache",
        "AmazonElastiCacheV9",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let model =
        querygen::model::Model::load("botocore elasticache/service-2.json", &ast.to_string())
            .unwrap_or_else(|e| panic!("{e}"));
    querygen::lower::lower(&model, "com.amazonaws.elasticache#AmazonElastiCacheV9")
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Every type and error as `name → [(member, Rust field, Rust type, optional)]` or enum values.
fn shapes(service: &Service) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let fields = |s: &querygen::ir::Struct| -> Vec<String> {
        s.fields
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} optional={}",
                    f.wire_name,
                    f.rust_name,
                    querygen::emit::rust_type(&f.ty),
                    f.optional
                )
            })
            .collect()
    };
    for ty in &service.types {
        let entry = match ty {
            TypeDef::Struct(s) => fields(s),
            TypeDef::Enum(e) => e
                .variants
                .iter()
                .map(|v| format!("{} = {}", v.rust_name, v.value))
                .collect(),
            TypeDef::Union(u) => u.variants.iter().map(|v| v.wire_name.clone()).collect(),
        };
        out.insert(ty.rust_name().to_owned(), entry);
    }
    for error in &service.errors {
        out.insert(format!("error {}", error.rust_name), fields(error));
    }
    for op in &service.operations {
        out.insert(format!("{} input", op.wire_name), fields(&op.input));
        out.insert(format!("{} output", op.wire_name), fields(&op.output));
    }
    out
}

#[test]
fn botocore_model_gives_the_same_types() {
    let smithy_service = smithy_ir();
    let smithy = shapes(&smithy_service);
    let botocore = shapes(&botocore_ir());
    let mut problems = Vec::new();
    let mut added = 0;
    for (name, members) in &smithy {
        let Some(other) = botocore.get(name) else {
            problems.push(format!("{name}: missing from the botocore model"));
            continue;
        };
        for member in members {
            // botocore models an error's message in the envelope, not as a member; the Smithy model
            // declares `message` on every error. That is the one expected difference.
            if name.starts_with("error ") && member.starts_with("message message ") {
                continue;
            }
            // Enum variant names are derived from values in botocore, so compare values there.
            let found = other.contains(member)
                || member
                    .split_once(" = ")
                    .is_some_and(|(_, v)| other.iter().any(|o| o.ends_with(&format!(" = {v}"))));
            if !found {
                problems.push(format!("{name}: `{member}` differs or is missing"));
            }
        }
        added += other.len().saturating_sub(members.len());
    }
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // Every type, error and operation input/output was compared (no two shared a name).
    let expected = smithy_service.types.len()
        + smithy_service.errors.len()
        + 2 * smithy_service.operations.len();
    assert_eq!(smithy.len(), expected);
    eprintln!(
        "{} shapes agree; the botocore file adds {added} members or values",
        smithy.len()
    );
}
