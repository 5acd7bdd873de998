//! The generated crates' `serde` feature: the JSON form of the AWS CLI and
//! boto3. The round trip of every ElastiCache type is in `round_trip.rs`; here:
//! - botocore parses the benchmark's XML fixtures, Python writes them as the
//!   AWS CLI prints them (`python/botocore_cli_json.py`), and reading that JSON
//!   with serde gives exactly what our XML parser gives for the same document;
//! - the exact JSON of a few values (keys, enums, timestamps, blobs, unions,
//!   defaults), unknown enum values and union members, and sensitive members
//!   (serialized, still redacted in `Debug`).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use elasticache::operation::describe_replication_groups as describe;
use elasticache::operation::start_migration::{self, StartMigrationInput};
use elasticache::types::{CustomerNodeEndpoint, DataTieringStatus};

fn fixtures() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| support::bench_fixtures("elasticache-serde-fixtures"))
}

/// The fixture as the AWS CLI would print it, through botocore and `botocore_cli_json.py`.
fn aws_cli_json(operation: &str, fixture: &Path) -> String {
    let models = std::env::var_os("BOTOCORE_MODELS_DIR").unwrap_or_else(|| {
        panic!("BOTOCORE_MODELS_DIR is not set: point it at the shared botocore models (`.ci/run` sets it)")
    });
    let models = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(models);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python/botocore_cli_json.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg(&models)
        .args(["elasticache", operation])
        .arg(fixture)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", script.display()));
    assert!(
        output.status.success(),
        "{} failed: {}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the script writes UTF-8")
}

/// Where two values differ, as JSON paths (for a readable failure on large values).
fn differences(ours: &impl serde::Serialize, theirs: &impl serde::Serialize) -> Vec<String> {
    fn walk(path: String, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
        use serde_json::Value;
        match (a, b) {
            (Value::Object(a), Value::Object(b)) => {
                for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                    let (x, y) = (
                        a.get(key).unwrap_or(&Value::Null),
                        b.get(key).unwrap_or(&Value::Null),
                    );
                    walk(format!("{path}.{key}"), x, y, out);
                }
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    walk(format!("{path}[{i}]"), x, y, out);
                }
            }
            _ if a != b => out.push(format!("{path}: ours {a}, botocore {b}")),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(
        String::new(),
        &serde_json::to_value(ours).unwrap(),
        &serde_json::to_value(theirs).unwrap(),
        &mut out,
    );
    out
}

/// The one place where botocore's model names an element differently from the Smithy
/// model (found by the benchmark's `validate_fixtures.py`): botocore's list shape
/// `PendingLogDeliveryConfigurationList` carries a locationName, so the member
/// `PendingModifiedValues.LogDeliveryConfigurations` is the element
/// `<PendingLogDeliveryConfiguration>` for botocore. The fixtures follow Smithy, so
/// botocore reads nothing there. This renames that element for botocore: it is the only
/// `<LogDeliveryConfigurations>` whose items are `<member>` (the group's own list has
/// `<LogDeliveryConfiguration>` items).
fn with_botocore_element_names(xml: &str) -> String {
    const OPEN: &str = "<LogDeliveryConfigurations>";
    const CLOSE: &str = "</LogDeliveryConfigurations>";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(open) = rest.find(OPEN) {
        let (before, list) = rest.split_at(open);
        let close = list.find(CLOSE).expect("a closed list") + CLOSE.len();
        let (list, after) = list.split_at(close);
        out.push_str(before);
        if list.contains("<member>") {
            let items = &list[OPEN.len()..list.len() - CLOSE.len()];
            out.push_str(&format!(
                "<PendingLogDeliveryConfiguration>{items}</PendingLogDeliveryConfiguration>"
            ));
        } else {
            out.push_str(list);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The paths where botocore, on the document as written (Smithy names), has nothing.
const DIVERGENT: &str = ".PendingModifiedValues.LogDeliveryConfigurations: ours [";

/// Our XML parse of `fixture`, and botocore's AWS CLI JSON of it read with serde: equal
/// once botocore is given its element names, and differing only at [`DIVERGENT`] without.
fn check_against_botocore<T>(operation: &str, fixture: &str, parse: impl Fn(&[u8]) -> T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let path = fixtures().join(fixture);
    let xml = std::fs::read_to_string(&path).unwrap();
    let ours = parse(xml.as_bytes());

    let renamed = path.with_extension("botocore.xml");
    std::fs::write(&renamed, with_botocore_element_names(&xml)).unwrap();
    let json = aws_cli_json(operation, &renamed);
    let theirs: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let differ = differences(&ours, &theirs);
    assert!(differ.is_empty(), "{fixture}: {differ:#?}");
    assert_eq!(theirs, ours, "{fixture}");

    let as_written: T = serde_json::from_str(&aws_cli_json(operation, &path)).unwrap();
    for difference in differences(&ours, &as_written) {
        assert!(
            difference.contains(DIVERGENT) && difference.ends_with(", botocore null"),
            "{fixture}: {difference}"
        );
    }
    ours
}

#[test]
fn start_migration_from_botocore_equals_our_xml_parse() {
    let ours = check_against_botocore("StartMigration", "start_migration.xml", |xml| {
        start_migration::deserialize_response(xml).unwrap().output
    });
    let group = ours.replication_group.expect("the fixture has a group");
    // The fixture fills every member, so every member was compared.
    assert!(!format!("{group:?}").contains(": None"), "{group:?}");
}

#[test]
fn describe_replication_groups_from_botocore_equals_our_xml_parse() {
    for n in [0usize, 1, 100] {
        let ours = check_against_botocore(
            "DescribeReplicationGroups",
            &format!("describe_replication_groups_{n}.xml"),
            |xml| describe::deserialize_response(xml).unwrap().output,
        );
        assert_eq!(ours.replication_groups.map(|g| g.len()).unwrap_or(0), n);
    }
}

#[test]
fn botocore_json_has_aws_cli_timestamps() {
    let json = aws_cli_json("StartMigration", &fixtures().join("start_migration.xml"));
    // datetime.isoformat() of a UTC time, as the AWS CLI prints it: read by DateTime's serde.
    // Millisecond times from the fixture, printed with six fraction digits.
    assert!(json.contains("000+00:00\""), "{json}");
}

#[test]
fn input_json_uses_the_smithy_member_names() {
    let input = StartMigrationInput::builder()
        .replication_group_id("my-rg")
        .customer_node_endpoint_list(
            CustomerNodeEndpoint::builder()
                .address("10.0.0.1")
                .port(6379)
                .build(),
        )
        .build()
        .unwrap();
    let json = serde_json::to_string(&input).unwrap();
    assert_eq!(
        json,
        r#"{"ReplicationGroupId":"my-rg","CustomerNodeEndpointList":[{"Address":"10.0.0.1","Port":6379}]}"#
    );
    assert_eq!(
        serde_json::from_str::<StartMigrationInput>(&json).unwrap(),
        input
    );
    // boto3 keyword arguments read the same way; keys we do not know are ignored.
    let from_boto3: StartMigrationInput = serde_json::from_str(
        r#"{"ReplicationGroupId": "my-rg", "CustomerNodeEndpointList": [{"Address": "10.0.0.1", "Port": 6379}], "NotAMember": 1}"#,
    )
    .unwrap();
    assert_eq!(from_boto3, input);
}

/// The example of docs/generated-code.md#serde.
fn groups_from_cli(
    json: &str,
) -> Result<describe::DescribeReplicationGroupsOutput, serde_json::Error> {
    serde_json::from_str(json)
}

#[test]
fn docs_example_reads_aws_cli_output() {
    let groups = groups_from_cli(
        r#"{"ReplicationGroups": [{"ReplicationGroupId": "my-rg", "ARN": "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:my-rg",
            "MultiAZ": "enabled", "ReplicationGroupCreateTime": "2024-01-02T03:04:05.123000+00:00"}]}"#,
    )
    .unwrap();
    let group = &groups.replication_groups.unwrap()[0];
    assert_eq!(group.replication_group_id.as_deref(), Some("my-rg"));
    assert!(group.arn.as_deref().unwrap().ends_with(":my-rg"));
    assert_eq!(
        group.multi_az,
        Some(elasticache::types::MultiAzStatus::Enabled)
    );
    assert_eq!(
        group.replication_group_create_time,
        Some(elasticache::DateTime::from_secs_and_nanos(
            1_704_164_645,
            123_000_000
        ))
    );
}

#[test]
fn enums_are_wire_strings_and_keep_unknown_values() {
    assert_eq!(
        serde_json::to_string(&DataTieringStatus::Enabled).unwrap(),
        r#""enabled""#
    );
    assert_eq!(
        serde_json::from_str::<DataTieringStatus>(r#""disabled""#).unwrap(),
        DataTieringStatus::Disabled
    );
    let unknown: DataTieringStatus = serde_json::from_str(r#""half-enabled""#).unwrap();
    assert!(matches!(&unknown, DataTieringStatus::Unknown(v) if v.as_str() == "half-enabled"));
    assert_eq!(
        serde_json::to_string(&unknown).unwrap(),
        r#""half-enabled""#
    );
    assert!(serde_json::from_str::<DataTieringStatus>("1").is_err());
}

mod shapes {
    use snapshot_shapes::operation::put_everything::{PutEverythingInput, PutEverythingOutput};
    use snapshot_shapes::types::{Choice, Color, Priority, Scalars, Tag, Thing};
    use snapshot_shapes::{DateTime, Document};

    #[test]
    fn scalars_timestamps_blobs_and_documents() {
        let scalars = Scalars::builder()
            .blob(b"hi\x00".to_vec())
            .timestamp(DateTime::from_secs_and_nanos(1_704_164_645, 123_000_000))
            .epoch_timestamp(DateTime::from_secs(0))
            .double(f64::NAN)
            .float(1.5f32)
            .big_integer(
                "123456789012345678901234567890"
                    .parse::<snapshot_shapes::BigInteger>()
                    .unwrap(),
            )
            .document(Document::Bool(true))
            .renamed("xml-named")
            .build();
        let json = serde_json::to_string(&scalars).unwrap();
        // Every timestamp is RFC 3339 whatever its wire format; the key is the member
        // name, not the xmlName.
        assert_eq!(
            json,
            r#"{"Blob":"aGkA","Float":1.5,"Double":"NaN","BigInteger":"123456789012345678901234567890","Timestamp":"2024-01-02T03:04:05.123Z","EpochTimestamp":"1970-01-01T00:00:00Z","Document":true,"Renamed":"xml-named"}"#
        );
        let back: Scalars = serde_json::from_str(&json).unwrap();
        assert!(back.double.unwrap().is_nan());
        assert_eq!(format!("{back:?}"), format!("{scalars:?}"));
        let err = serde_json::from_str::<Scalars>(r#"{"Blob":"not base64!"}"#).unwrap_err();
        assert!(err.to_string().contains("base64"), "{err}");
        let err = serde_json::from_str::<Scalars>(r#"{"Timestamp":"soon"}"#).unwrap_err();
        assert!(err.to_string().contains("RFC 3339"), "{err}");
    }

    #[test]
    fn unions_are_objects_with_one_member() {
        let choice = Choice::Nested(Box::new(Choice::Tags(vec![Tag::builder()
            .key("k")
            .build()
            .unwrap()])));
        let json = serde_json::to_string(&choice).unwrap();
        assert_eq!(json, r#"{"Nested":{"Tags":[{"Key":"k"}]}}"#);
        assert_eq!(serde_json::from_str::<Choice>(&json).unwrap(), choice);
        assert_eq!(
            serde_json::to_string(&Choice::Nothing).unwrap(),
            r#"{"Nothing":{}}"#
        );
        assert_eq!(
            serde_json::from_str::<Choice>(r#"{"Nothing":{}}"#).unwrap(),
            Choice::Nothing
        );
        // A member this model does not know reads as Unknown, which cannot be written back.
        assert_eq!(
            serde_json::from_str::<Choice>(r#"{"AddedLater":{"x":[1]}}"#).unwrap(),
            Choice::Unknown
        );
        let err = serde_json::to_string(&Choice::Unknown).unwrap_err();
        assert!(err.to_string().contains("Choice::Unknown"), "{err}");
        for bad in [r#"{}"#, r#"{"Text":"a","Number":1}"#, r#""Text""#] {
            assert!(serde_json::from_str::<Choice>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn int_enums_maps_and_defaults() {
        assert_eq!(serde_json::to_string(&Priority::from(7)).unwrap(), "7");
        assert_eq!(
            serde_json::from_str::<Priority>("7").unwrap(),
            Priority::from(7)
        );
        let input = PutEverythingInput::builder()
            .name("n")
            .attributes("b", Thing::builder().id("2").build())
            .attributes("a", Thing::builder().color(Color::from("red")).build())
            .build()
            .unwrap();
        let json = serde_json::to_string(&input).unwrap();
        // Maps keep their insertion order.
        assert!(
            json.contains(r#""Attributes":{"b":{"Id":"2"},"a":{"Color":"red"}}"#),
            "{json}"
        );
        assert_eq!(
            serde_json::from_str::<PutEverythingInput>(&json).unwrap(),
            input
        );
        // Members with a model default take it when the document leaves them out.
        let output: PutEverythingOutput = serde_json::from_str(r#"{"Count":3}"#).unwrap();
        assert_eq!((output.count, output.limit, output.enabled), (3, 10, false));
        assert_eq!(
            output,
            PutEverythingOutput::builder().count(3).build().unwrap()
        );
        // A required member without a default may not be left out.
        assert!(serde_json::from_str::<PutEverythingOutput>("{}").is_err());
    }
}

mod naming {
    use snapshot_naming::error::ErrorValue;
    use snapshot_naming::types::{Settings, Token};

    #[test]
    fn sensitive_members_are_serialized_but_debug_stays_redacted() {
        let error = ErrorValue::builder().message("m").secret("hunter2").build();
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(json, r#"{"message":"m","Secret":"hunter2"}"#);
        let back: ErrorValue = serde_json::from_str(&json).unwrap();
        assert_eq!(back, error);
        assert!(!format!("{back:?}").contains("hunter2"));
        let token: Token = serde_json::from_str(r#"{"Value":"s3cr3t"}"#).unwrap();
        assert_eq!(token.value.as_deref(), Some("s3cr3t"));
        assert!(!format!("{token:?}").contains("s3cr3t"));
    }

    #[test]
    fn every_model_default_fills_a_missing_member() {
        let settings: Settings =
            serde_json::from_str(r#"{"Region":"eu-west-1","Legacy":"l"}"#).unwrap();
        let built = Settings::builder()
            .region("eu-west-1")
            .legacy("l")
            .build()
            .unwrap();
        assert_eq!(settings, built);
        assert_eq!((settings.retries, settings.label.as_str()), (3, "none"));
        // Written out in full, the defaults read back as themselves.
        let json = serde_json::to_string(&built).unwrap();
        assert!(
            json.contains(r#""Retries":3,"Ratio":0.5,"Verbose":true"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), built);
    }
}

/// The use docs/generated-code.md suggests: a fake answers with what the AWS CLI printed.
mod with_a_fake {
    use elasticache::fake::{ElastiCacheService, Fake};
    use elasticache::operation::describe_replication_groups::{
        DescribeReplicationGroupsError, DescribeReplicationGroupsInput,
        DescribeReplicationGroupsOutput,
    };
    use querygen_client::{Config, Credentials};

    /// Saved output of `aws elasticache describe-replication-groups`.
    const CLI_OUTPUT: &str = r#"{
        "ReplicationGroups": [
            {
                "ReplicationGroupId": "my-rg",
                "Status": "available",
                "MultiAZ": "enabled",
                "ReplicationGroupCreateTime": "2024-01-02T03:04:05.123000+00:00",
                "NodeGroups": [{"NodeGroupId": "0001", "PrimaryEndpoint": {"Address": "my-rg.cache.amazonaws.com", "Port": 6379}}]
            }
        ]
    }"#;

    struct FromCli;

    impl ElastiCacheService for FromCli {
        async fn describe_replication_groups(
            &self,
            _input: DescribeReplicationGroupsInput,
        ) -> Result<DescribeReplicationGroupsOutput, DescribeReplicationGroupsError> {
            Ok(serde_json::from_str(CLI_OUTPUT).expect("the saved output reads"))
        }
    }

    #[tokio::test]
    async fn a_fake_answers_with_saved_cli_output() {
        let client = elasticache::Client::from_conf(
            Config::builder()
                .region("us-east-1")
                .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
                .transport(Fake::new(FromCli))
                .build(),
        );
        let output = client.describe_replication_groups().send().await.unwrap();
        // Through the fake's XML writer and the client's parser, the value is unchanged.
        let expected: DescribeReplicationGroupsOutput = serde_json::from_str(CLI_OUTPUT).unwrap();
        assert_eq!(output, expected);
        let group = &output.replication_groups.unwrap()[0];
        assert_eq!(group.status.as_deref(), Some("available"));
    }
}
