//! Every broken model gets one clear error naming the file, the shape and the
//! problem, and nothing panics. The corpus is `tests/broken-models/`; every
//! file there must have a row below.

use std::path::Path;

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("broken-models")
}

fn generate(file: &str) -> Result<querygen::Output, querygen::Error> {
    let path = corpus().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let options = querygen::Options {
        service: "ex#S".into(),
        crate_name: "broken".into(),
        crate_version: "0.0.0".into(),
        runtime: querygen::RuntimeSource::Path(".".into()),
        client: true,
        deny_warnings: false,
        partitions: None,
    };
    querygen::generate(&text, &format!("broken-models/{file}"), &options)
}

/// (file, the shape the error must name (`None`: the file as a whole), what the message must say).
const CASES: &[(&str, Option<&str>, &str)] = &[
    (
        "apply-to-missing-shape.json",
        Some("ex#Nowhere"),
        "`apply` targets a shape that is not defined in the model",
    ),
    (
        "bad-default.json",
        Some("ex#Out$N"),
        "default value \"five\" does not fit the member's type",
    ),
    (
        "dangling-target.json",
        Some("ex#In$Name"),
        "targets `ex#Missing`, which is not defined in the model or the prelude",
    ),
    (
        "empty-service.json",
        Some("ex#S"),
        "the service has no operations",
    ),
    (
        "endpoint-rules-unsupported-function.json",
        Some("ex#S"),
        "`smithy.rules#endpointRuleSet`: rules[0].rules[0].conditions[0].fn: function `parseURL` is not supported by this generator",
    ),
    (
        "endpoint-rules-without-partitions.json",
        Some("ex#S"),
        "the endpoint rule set calls `aws.partition`, but no partition data was given",
    ),
    (
        "enum-without-values.json",
        Some("ex#E"),
        "an enum must have at least one member",
    ),
    (
        "error-without-error-trait.json",
        Some("ex#Op"),
        "lists `ex#Oops` as an error, but it lacks the `smithy.api#error` trait",
    ),
    (
        "invalid-json.json",
        None,
        "not valid JSON: EOF while parsing an object at line 2",
    ),
    (
        "list-without-member.json",
        Some("ex#L"),
        "a list must have a `member`",
    ),
    (
        "member-name-not-identifier.json",
        Some("ex#In$not-an-id"),
        "member name `not-an-id` is not a Smithy identifier",
    ),
    (
        "member-targets-operation.json",
        Some("ex#In$Call"),
        "targets `ex#Op`, which is an operation; a member must target a data shape",
    ),
    (
        "members-collide-in-rust.json",
        Some("ex#In"),
        "members `FooBar` and `Foo_Bar` would both be named `foo_bar` in Rust",
    ),
    (
        "members-differ-by-case.json",
        Some("ex#In$name"),
        "member `name` differs from member `Name` only by case",
    ),
    (
        "mixin-cycle.json",
        Some("ex#A"),
        "mixins form a cycle: ex#In -> ex#A -> ex#B -> ex#A",
    ),
    (
        "not-an-object.json",
        None,
        "a Smithy JSON AST is an object, found an array",
    ),
    (
        "paginated-items-not-a-list.json",
        Some("ex#List"),
        "`smithy.api#paginated`: items `Marker` is not a list (maps of items are not supported)",
    ),
    (
        "paginated-missing-input-token.json",
        Some("ex#List"),
        "`smithy.api#paginated`: the input has no member `NextToken`",
    ),
    (
        "paginated-output-path-not-a-structure.json",
        Some("ex#List"),
        "`smithy.api#paginated`: output token `Marker.Next`: `Marker` is not a structure",
    ),
    (
        "paginated-page-size-not-an-integer.json",
        Some("ex#List"),
        "`smithy.api#paginated`: the page size `Marker` is not an integer or a long",
    ),
    (
        "recursive-list.json",
        Some("ex#L"),
        "a list or map contains itself without a structure or union in between",
    ),
    (
        "shape-id-not-identifier.json",
        Some("ex#2Fast"),
        "is not a valid shape id",
    ),
    (
        "shapes-differ-by-case.json",
        Some("ex#THING"),
        "differs from `ex#Thing` only by case",
    ),
    (
        "wrong-version.json",
        None,
        "unsupported Smithy version \"1.0\" (this generator reads 2.0)",
    ),
    (
        "xml-name-not-string.json",
        Some("ex#In$A"),
        "trait `smithy.api#xmlName` must be a string, found a number",
    ),
];

#[test]
fn each_broken_model_gets_its_message() {
    for (file, shape, says) in CASES {
        let error = match generate(file) {
            Ok(_) => panic!("{file}: generated without error"),
            Err(error) => error,
        };
        let message = error.to_string();
        assert_eq!(
            error.source.as_deref(),
            Some(format!("broken-models/{file}").as_str()),
            "{message}"
        );
        assert_eq!(error.shape.as_deref(), *shape, "{message}");
        assert!(
            error.reason.contains(says),
            "{file}: expected the message to say {says:?}, got {message:?}"
        );
        // The rendered message names the file, then the shape, then the problem.
        let expected_prefix = match shape {
            Some(shape) => format!("broken-models/{file}: shape `{shape}`: "),
            None => format!("broken-models/{file}: "),
        };
        assert!(message.starts_with(&expected_prefix), "{message}");
    }
}

#[test]
fn every_corpus_file_has_a_case() {
    let mut files: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let cases: Vec<&str> = CASES.iter().map(|(file, _, _)| *file).collect();
    assert_eq!(
        files, cases,
        "tests/broken-models/ and CASES must list the same files, in order"
    );
}
