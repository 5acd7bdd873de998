//! The endpoint test cases, one `#[test]` each, against the generated resolvers.
//!
//! Suites (one module each in `endpoint_cases.rs`):
//! - `elasticache_shared`: `$ENDPOINTS_DIR/elasticache-endpoint-tests.json` (pinned in
//!   `models/manifest.json`), against `elasticache::endpoint`;
//! - `elasticache_model`: the `smithy.rules#endpointTests` trait of the pinned ElastiCache
//!   model, against `elasticache::endpoint`;
//! - `sns_model`: the same trait of the pinned SNS model, against `sns::endpoint`;
//! - `snapshot_endpoints`: the same trait of our `models/snapshots/endpoints.json`, against
//!   `snapshot_endpoints::endpoint`.
//!
//! Each test builds `Params` with the generated builder from the case's `params`, calls the
//! generated `resolve_endpoint`, and compares the URL, headers and properties, or the exact
//! error message. The expectation is the case's own, except for the model cases listed in
//! [`CONTRADICTED`], which the pinned partition data no longer gives: those tests assert what
//! the data gives, written out by hand below, and say why.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use heck::ToSnakeCase;
use querygen::endpoint_rules::{ParamType, RuleSet};
use serde_json::Value;

/// A model test case whose expectation contradicts the pinned `partitions.json`.
struct Contradiction {
    suite: &'static str,
    /// The case's `documentation`.
    case: &'static str,
    /// The URL the pinned partition data gives.
    url: &'static str,
    /// Why the model's expectation differs.
    why: &'static str,
}

/// The pinned `partitions.json` gives `aws-iso` and `aws-iso-b` dual-stack support
/// (`supportsDualStack: true`, with `dualStackDnsSuffix` `api.aws.ic.gov` and
/// `api.aws.scloud`); the model's test cases were written when those partitions had
/// none, so they expect the rule set's "does not support" errors. SNS's model has the same
/// four cases, with the same rule set shape.
const CONTRADICTED: &[Contradiction] = &[
    Contradiction {
        suite: "elasticache_model",
        case: "For region us-iso-east-1 with FIPS enabled and DualStack enabled",
        url: "https://elasticache-fips.us-iso-east-1.api.aws.ic.gov",
        why: "partitions.json now gives aws-iso supportsDualStack = true (dualStackDnsSuffix api.aws.ic.gov); the model's case predates that and expects the FIPS-and-DualStack error",
    },
    Contradiction {
        suite: "elasticache_model",
        case: "For region us-iso-east-1 with FIPS disabled and DualStack enabled",
        url: "https://elasticache.us-iso-east-1.api.aws.ic.gov",
        why: "partitions.json now gives aws-iso supportsDualStack = true (dualStackDnsSuffix api.aws.ic.gov); the model's case predates that and expects the DualStack error",
    },
    Contradiction {
        suite: "elasticache_model",
        case: "For region us-isob-east-1 with FIPS enabled and DualStack enabled",
        url: "https://elasticache-fips.us-isob-east-1.api.aws.scloud",
        why: "partitions.json now gives aws-iso-b supportsDualStack = true (dualStackDnsSuffix api.aws.scloud); the model's case predates that and expects the FIPS-and-DualStack error",
    },
    Contradiction {
        suite: "elasticache_model",
        case: "For region us-isob-east-1 with FIPS disabled and DualStack enabled",
        url: "https://elasticache.us-isob-east-1.api.aws.scloud",
        why: "partitions.json now gives aws-iso-b supportsDualStack = true (dualStackDnsSuffix api.aws.scloud); the model's case predates that and expects the DualStack error",
    },

    Contradiction {
        suite: "sns_model",
        case: "For region us-iso-east-1 with FIPS enabled and DualStack enabled",
        url: "https://sns-fips.us-iso-east-1.api.aws.ic.gov",
        why: "partitions.json now gives aws-iso supportsDualStack = true (dualStackDnsSuffix api.aws.ic.gov); the model's case predates that and expects the FIPS-and-DualStack error",
    },
    Contradiction {
        suite: "sns_model",
        case: "For region us-iso-east-1 with FIPS disabled and DualStack enabled",
        url: "https://sns.us-iso-east-1.api.aws.ic.gov",
        why: "partitions.json now gives aws-iso supportsDualStack = true (dualStackDnsSuffix api.aws.ic.gov); the model's case predates that and expects the DualStack error",
    },
    Contradiction {
        suite: "sns_model",
        case: "For region us-isob-east-1 with FIPS enabled and DualStack enabled",
        url: "https://sns-fips.us-isob-east-1.api.aws.scloud",
        why: "partitions.json now gives aws-iso-b supportsDualStack = true (dualStackDnsSuffix api.aws.scloud); the model's case predates that and expects the FIPS-and-DualStack error",
    },
    Contradiction {
        suite: "sns_model",
        case: "For region us-isob-east-1 with FIPS disabled and DualStack enabled",
        url: "https://sns.us-isob-east-1.api.aws.scloud",
        why: "partitions.json now gives aws-iso-b supportsDualStack = true (dualStackDnsSuffix api.aws.scloud); the model's case predates that and expects the DualStack error",
    },
];

/// One suite: where its cases come from and which generated resolver they run against.
struct Suite<'a> {
    module: &'static str,
    /// The generated crate's `endpoint` module path.
    resolver: &'static str,
    /// Where the cases came from, for the docs of each test.
    source: String,
    rules: &'a RuleSet,
    cases: &'a [Value],
}

/// Writes `endpoint_cases.rs` into `out`.
pub fn generate(out: &Path) {
    let (entry, source, model_text) =
        xtask::pinned("elasticache").unwrap_or_else(|e| panic!("{e}"));
    let (shared_path, shared_text) =
        xtask::endpoint_tests("elasticache").unwrap_or_else(|e| panic!("{e}"));
    println!("cargo:rerun-if-changed={}", shared_path.display());
    let snapshot_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/snapshots/endpoints.json");
    println!("cargo:rerun-if-changed={}", snapshot_path.display());
    let snapshot_text = std::fs::read_to_string(&snapshot_path)
        .unwrap_or_else(|e| panic!("{}: {e}", snapshot_path.display()));

    let model: Value = serde_json::from_str(&model_text).unwrap();
    let (elasticache_rules, model_cases) = rules_and_cases(&model, &entry.service);
    let shared: Value = serde_json::from_str(&shared_text)
        .unwrap_or_else(|e| panic!("{}: {e}", shared_path.display()));
    let shared_cases = test_cases(&shared, &shared_path.display().to_string());
    let (sns_entry, sns_source, sns_text) = xtask::pinned("sns").unwrap_or_else(|e| panic!("{e}"));
    let sns_model: Value = serde_json::from_str(&sns_text).unwrap();
    let (sns_rules, sns_cases) = rules_and_cases(&sns_model, &sns_entry.service);
    let snapshot: Value = serde_json::from_str(&snapshot_text).unwrap();
    let (snapshot_rules, snapshot_cases) =
        rules_and_cases(&snapshot, "example.endpoints#EndpointService");

    let suites = [
        Suite {
            module: "elasticache_shared",
            resolver: "::elasticache::endpoint",
            source: "elasticache-endpoint-tests.json ($ENDPOINTS_DIR)".into(),
            rules: &elasticache_rules,
            cases: &shared_cases,
        },
        Suite {
            module: "elasticache_model",
            resolver: "::elasticache::endpoint",
            source: format!("the `smithy.rules#endpointTests` trait of {source}"),
            rules: &elasticache_rules,
            cases: &model_cases,
        },
        Suite {
            module: "sns_model",
            resolver: "::sns::endpoint",
            source: format!("the `smithy.rules#endpointTests` trait of {sns_source}"),
            rules: &sns_rules,
            cases: &sns_cases,
        },
        Suite {
            module: "snapshot_endpoints",
            resolver: "::snapshot_endpoints::endpoint",
            source: "the `smithy.rules#endpointTests` trait of models/snapshots/endpoints.json"
                .into(),
            rules: &snapshot_rules,
            cases: &snapshot_cases,
        },
    ];
    let mut code = String::new();
    let mut used = BTreeSet::new();
    for suite in &suites {
        write_suite(&mut code, suite, &mut used);
    }
    for c in CONTRADICTED {
        assert!(
            used.contains(&(c.suite, c.case)),
            "CONTRADICTED lists `{}` in {}, but no such case exists: remove it",
            c.case,
            c.suite
        );
    }
    std::fs::write(out.join("endpoint_cases.rs"), code).unwrap();
}

/// The checked rule set and the `smithy.rules#endpointTests` cases of a service.
fn rules_and_cases(model: &Value, service: &str) -> (RuleSet, Vec<Value>) {
    let traits = &model["shapes"][service]["traits"];
    let rules = RuleSet::parse(service, &traits["smithy.rules#endpointRuleSet"])
        .unwrap_or_else(|e| panic!("{e}"));
    let cases = test_cases(&traits["smithy.rules#endpointTests"], service);
    (rules, cases)
}

fn test_cases(doc: &Value, what: &str) -> Vec<Value> {
    let cases = doc["testCases"]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no `testCases` array"));
    assert!(!cases.is_empty(), "{what}: no test cases");
    cases.clone()
}

fn write_suite(
    code: &mut String,
    suite: &Suite<'_>,
    used: &mut BTreeSet<(&'static str, &'static str)>,
) {
    writeln!(
        code,
        "/// The {} cases of {}.\nmod {} {{\n    use super::*;\n",
        suite.cases.len(),
        suite.source,
        suite.module
    )
    .unwrap();
    let mut names = BTreeSet::new();
    for (index, case) in suite.cases.iter().enumerate() {
        let documentation = case["documentation"].as_str().unwrap_or_default();
        let mut name = documentation.to_snake_case();
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            name = format!("case_{index}_{name}");
        }
        // Two cases with the same documentation get the case number as a suffix.
        if names.contains(&name) {
            name = format!("{name}_{index}");
        }
        assert!(names.insert(name.clone()), "duplicate test name {name}");

        let params = params_expr(suite, case, documentation);
        let contradiction = CONTRADICTED
            .iter()
            .find(|c| c.suite == suite.module && c.case == documentation);
        let expect = &case["expect"];
        let check = match contradiction {
            Some(c) => {
                used.insert((c.suite, c.case));
                assert_ne!(
                    expect["endpoint"]["url"].as_str(),
                    Some(c.url),
                    "{}: `{}` no longer contradicts the partition data: remove it from CONTRADICTED",
                    suite.module,
                    c.case
                );
                let model_expects = serde_json::to_string(expect).unwrap();
                format!(
                    "    // The model expects {model_expects}: {why}.\n    \
                     expect_endpoint(resolved, {url:?}, &[], \"{{}}\", {note:?});\n",
                    why = c.why,
                    url = c.url,
                    note = format!("differs from the model's expectation on purpose: {}", c.why),
                )
            }
            None => expectation(expect, documentation),
        };
        let doc = match contradiction {
            Some(c) => format!(
                "/// `{documentation}` ({}, case {} of {}).\n///\n/// Asserts what the pinned partition data gives, not the model's expectation: {}.\n",
                suite.source,
                index + 1,
                suite.cases.len(),
                c.why
            ),
            None => format!(
                "/// `{documentation}` ({}, case {} of {}).\n",
                suite.source,
                index + 1,
                suite.cases.len()
            ),
        };
        write!(
            code,
            "{doc}#[test]\nfn {name}() {{\n    let params = {params};\n    let resolved = {resolver}::resolve_endpoint(&params);\n{check}}}\n\n",
            resolver = suite.resolver,
        )
        .unwrap();
    }
    code.push_str("}\n\n");
}

/// `Params::builder()` with each of the case's parameters set, then `build()`.
fn params_expr(suite: &Suite<'_>, case: &Value, documentation: &str) -> String {
    let mut expr = format!("{}::Params::builder()", suite.resolver);
    if let Some(params) = case.get("params") {
        let params = params
            .as_object()
            .unwrap_or_else(|| panic!("{documentation}: `params` is not an object"));
        for (name, value) in params {
            let param = suite
                .rules
                .parameters
                .iter()
                .find(|p| &p.name == name)
                .unwrap_or_else(|| {
                    panic!("{documentation}: `{name}` is not a parameter of the rule set")
                });
            let value = match (param.ty, value) {
                (ParamType::String, Value::String(s)) => format!("{s:?}"),
                (ParamType::Boolean, Value::Bool(b)) => b.to_string(),
                _ => panic!("{documentation}: `{name}` = {value} does not fit its type"),
            };
            write!(expr, ".{}({value})", param.rust_name).unwrap();
        }
    }
    expr.push_str(".build()");
    if suite
        .rules
        .parameters
        .iter()
        .any(|p| p.required && p.default.is_none())
    {
        expr.push_str(".unwrap()");
    }
    expr
}

/// The assertion for the case's own `expect`.
fn expectation(expect: &Value, documentation: &str) -> String {
    if let Some(message) = expect.get("error") {
        let message = message
            .as_str()
            .unwrap_or_else(|| panic!("{documentation}: `expect.error` is not a string"));
        return format!("    expect_error(resolved, {message:?});\n");
    }
    let endpoint = expect
        .get("endpoint")
        .unwrap_or_else(|| panic!("{documentation}: `expect` has neither `endpoint` nor `error`"));
    let url = endpoint["url"]
        .as_str()
        .unwrap_or_else(|| panic!("{documentation}: `expect.endpoint.url` is not a string"));
    let mut headers = String::from("&[");
    if let Some(map) = endpoint.get("headers").and_then(Value::as_object) {
        for (name, values) in map {
            let values: Vec<String> = values
                .as_array()
                .unwrap_or_else(|| panic!("{documentation}: header `{name}` is not an array"))
                .iter()
                .map(|v| format!("{:?}", v.as_str().expect("header values are strings")))
                .collect();
            write!(headers, "({name:?}, &[{}]), ", values.join(", ")).unwrap();
        }
    }
    headers.push(']');
    let properties = endpoint
        .get("properties")
        .map_or_else(|| "{}".to_owned(), Value::to_string);
    format!("    expect_endpoint(resolved, {url:?}, {headers}, {properties:?}, \"\");\n")
}
