//! The typed fakes of the generated crate (`fake` feature): a downstream test's
//! view. Each test drives the real client (serialization, signing, endpoint,
//! retries) against `elasticache::fake::Fake`, which parses with the server-side
//! parser and answers with the server-side writers.

use std::time::Duration;

use elasticache::fake::{Auth, ElastiCacheService, Fake, Script};
use elasticache::operation::create_replication_group::{
    CreateReplicationGroupError, CreateReplicationGroupInput, CreateReplicationGroupOutput,
};
use elasticache::operation::describe_replication_groups::{
    DescribeReplicationGroupsError, DescribeReplicationGroupsInput, DescribeReplicationGroupsOutput,
};
use elasticache::operation::start_migration::{StartMigrationError, StartMigrationInput};
use elasticache::types::ReplicationGroup;
use elasticache::Client;
use querygen_client::{Config, Credentials, FinalPoll, SdkError, Transport};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn config(fake: &Fake) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", SECRET, None))
        .transport(fake.clone())
        .build()
}

fn group(id: &str, status: &str) -> ReplicationGroup {
    ReplicationGroup::builder()
        .replication_group_id(id)
        .status(status)
        .build()
}

/// Creates groups as `creating`; describes what it was scripted to.
#[derive(Default)]
struct Groups {
    describes: Option<Script<DescribeReplicationGroupsOutput>>,
}

impl ElastiCacheService for Groups {
    async fn create_replication_group(
        &self,
        input: CreateReplicationGroupInput,
    ) -> Result<CreateReplicationGroupOutput, CreateReplicationGroupError> {
        let id = input.replication_group_id.unwrap_or_default();
        Ok(CreateReplicationGroupOutput::builder()
            .replication_group(group(&id, "creating"))
            .build())
    }

    async fn describe_replication_groups(
        &self,
        _input: DescribeReplicationGroupsInput,
    ) -> Result<DescribeReplicationGroupsOutput, DescribeReplicationGroupsError> {
        Ok(self
            .describes
            .as_ref()
            .and_then(Script::next)
            .unwrap_or_default())
    }
}

#[tokio::test]
async fn a_call_goes_through_the_client_and_comes_back_typed() {
    let fake = Fake::new(Groups::default());
    let client = Client::from_conf(config(&fake));
    let output = client
        .create_replication_group()
        .replication_group_id("my-group")
        .replication_group_description("for the test")
        .engine("valkey")
        .num_cache_clusters(2)
        .send()
        .await
        .unwrap();
    let created = output.replication_group.unwrap();
    assert_eq!(created.replication_group_id.as_deref(), Some("my-group"));
    assert_eq!(created.status.as_deref(), Some("creating"));

    // The recorder holds what the server-side parser read from the wire.
    let recorded = fake.recorder().inputs::<CreateReplicationGroupInput>();
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        recorded[0].replication_group_id.as_deref(),
        Some("my-group")
    );
    assert_eq!(
        recorded[0].replication_group_description.as_deref(),
        Some("for the test")
    );
    assert_eq!(recorded[0].engine.as_deref(), Some("valkey"));
    assert_eq!(recorded[0].num_cache_clusters, Some(2));
    assert_eq!(fake.recorder().actions(), ["CreateReplicationGroup"]);
    assert!(fake
        .recorder()
        .inputs::<DescribeReplicationGroupsInput>()
        .is_empty());
}

#[tokio::test]
async fn an_operation_the_fake_does_not_implement_is_a_501_not_implemented_error() {
    let fake = Fake::new(Groups::default());
    let client = Client::from_conf(config(&fake));
    let error = client
        .start_migration()
        .replication_group_id("rg")
        .customer_node_endpoint_list(
            elasticache::types::CustomerNodeEndpoint::builder()
                .address("10.0.0.1")
                .port(6379)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), 1, "501 is not retried");
    let Some(StartMigrationError::Unhandled(unhandled)) = error.as_service_error() else {
        panic!("expected an unhandled error: {error:?}");
    };
    assert_eq!(unhandled.status, 501);
    assert_eq!(unhandled.code.as_deref(), Some("NotImplemented"));
    let message = unhandled.message.as_deref().unwrap();
    assert!(
        message.contains("StartMigration is not implemented by this fake"),
        "{message}"
    );
    // The request was parsed (and recorded) before the default answered.
    assert_eq!(
        fake.recorder().inputs::<StartMigrationInput>()[0]
            .customer_node_endpoint_list
            .as_ref()
            .unwrap()[0]
            .port,
        Some(6379)
    );
}

/// Answers StartMigration with a modeled error.
struct NoSuchGroup;

impl ElastiCacheService for NoSuchGroup {
    async fn start_migration(
        &self,
        input: StartMigrationInput,
    ) -> Result<elasticache::operation::start_migration::StartMigrationOutput, StartMigrationError>
    {
        Err(StartMigrationError::ReplicationGroupNotFoundFault(
            elasticache::error::ReplicationGroupNotFoundFault::builder()
                .message(format!(
                    "Replication group {} not found.",
                    input.replication_group_id.unwrap_or_default()
                ))
                .build(),
        ))
    }
}

#[tokio::test]
async fn a_modeled_error_reaches_the_client_as_its_variant() {
    let fake = Fake::new(NoSuchGroup);
    let client = Client::from_conf(config(&fake));
    let error = client
        .start_migration()
        .replication_group_id("missing")
        .set_customer_node_endpoint_list(Some(vec![]))
        .send()
        .await
        .unwrap_err();
    let SdkError::Service(failure) = &error else {
        panic!("expected a service error: {error:?}");
    };
    assert_eq!(failure.status, 404);
    let StartMigrationError::ReplicationGroupNotFoundFault(fault) = &failure.error else {
        panic!("expected ReplicationGroupNotFoundFault: {error:?}");
    };
    assert_eq!(
        fault.message.as_deref(),
        Some("Replication group missing not found.")
    );
    assert_eq!(error.attempts(), 1);
}

/// Answers DescribeReplicationGroups from a script of results.
struct Scripted(Script<Result<DescribeReplicationGroupsOutput, DescribeReplicationGroupsError>>);

impl ElastiCacheService for Scripted {
    async fn describe_replication_groups(
        &self,
        _input: DescribeReplicationGroupsInput,
    ) -> Result<DescribeReplicationGroupsOutput, DescribeReplicationGroupsError> {
        self.0.next().unwrap_or_else(|| Ok(Default::default()))
    }
}

#[tokio::test(start_paused = true)]
async fn the_client_retries_what_the_fake_throttles() {
    let throttled = DescribeReplicationGroupsError::Unhandled(Box::new(
        querygen_runtime::query::UnhandledError {
            code: Some("Throttling".into()),
            message: Some("Rate exceeded".into()),
            request_id: None,
            status: 400,
            body_excerpt: String::new(),
            parse_error: None,
        },
    ));
    let answer = DescribeReplicationGroupsOutput::builder()
        .replication_groups(group("rg", "available"))
        .build();
    let script = Script::new([Err(throttled.clone()), Err(throttled), Ok(answer)]);
    let fake = Fake::new(Scripted(script.clone()));
    let client = Client::from_conf(config(&fake));
    let output = client.describe_replication_groups().send().await.unwrap();
    assert_eq!(
        output.replication_groups.unwrap()[0].status.as_deref(),
        Some("available")
    );
    assert_eq!(
        script.played(),
        3,
        "two throttled attempts, then the answer"
    );
    assert_eq!(fake.recorder().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_waiter_polls_a_scripted_group_until_it_is_available() {
    let describe = |status: &str| {
        DescribeReplicationGroupsOutput::builder()
            .replication_groups(group("rg", status))
            .build()
    };
    let script = Script::new([
        describe("creating"),
        describe("creating"),
        describe("available"),
    ]);
    let fake = Fake::new(Groups {
        describes: Some(script.clone()),
    });
    let client = Client::from_conf(config(&fake));
    let done = client
        .wait_until_replication_group_available()
        .replication_group_id("rg")
        .wait(Duration::from_secs(900))
        .await
        .unwrap();
    let FinalPoll::Output(output) = done else {
        panic!("expected the output");
    };
    assert_eq!(
        output.replication_groups.unwrap()[0].status.as_deref(),
        Some("available")
    );
    assert_eq!(script.played(), 3);
    let polls = fake.recorder().inputs::<DescribeReplicationGroupsInput>();
    assert_eq!(polls.len(), 3);
    assert!(polls
        .iter()
        .all(|p| p.replication_group_id.as_deref() == Some("rg")));
}

#[tokio::test]
async fn a_fake_with_a_key_checks_signatures() {
    let fake = Fake::new(Groups::default()).with_auth(Auth::verify("AKIDEXAMPLE", SECRET));
    // The right key, with and without a session token.
    for token in [None, Some("the-session-token".to_owned())] {
        let config = Config::builder()
            .region("eu-west-1")
            .credentials(Credentials::new("AKIDEXAMPLE", SECRET, token))
            .transport(fake.clone())
            .build();
        Client::from_conf(config)
            .describe_replication_groups()
            .send()
            .await
            .unwrap();
    }
    let code_with = |access_key: &'static str, secret: &'static str| {
        let fake = fake.clone();
        async move {
            let config = Config::builder()
                .region("eu-west-1")
                .credentials(Credentials::new(access_key, secret, None))
                .transport(fake)
                .build();
            let error = Client::from_conf(config)
                .describe_replication_groups()
                .send()
                .await
                .unwrap_err();
            let SdkError::Service(failure) = &error else {
                panic!("expected a service error: {error:?}");
            };
            (
                failure.status,
                error.as_service_error().unwrap().code().map(str::to_owned),
            )
        }
    };
    assert_eq!(
        code_with("AKIDEXAMPLE", "not-the-secret").await,
        (403, Some("SignatureDoesNotMatch".into()))
    );
    assert_eq!(
        code_with("AKIDOTHER", SECRET).await,
        (403, Some("InvalidClientTokenId".into()))
    );
    // Rejected requests are not recorded; the two good ones are.
    assert_eq!(fake.recorder().len(), 2);
    // The secret never shows.
    assert!(!format!("{fake:?}").contains(SECRET), "{fake:?}");
}

#[tokio::test]
async fn an_unsigned_request_is_missing_authentication_token() {
    let fake = Fake::new(Groups::default());
    let config = Config::builder()
        .region("us-east-1")
        .no_credentials()
        .transport(fake.clone())
        .build();
    let error = Client::from_conf(config)
        .describe_replication_groups()
        .send()
        .await
        .unwrap_err();
    let service_error = error.as_service_error().unwrap();
    assert_eq!(service_error.code(), Some("MissingAuthenticationToken"));
    assert!(fake.recorder().is_empty());
}

/// Sends a hand-made request, signed in shape only, straight to the transport.
async fn raw(fake: &Fake, body: &str) -> (u16, String) {
    raw_for(fake, "elasticache", body).await
}

async fn raw_for(fake: &Fake, service: &str, body: &str) -> (u16, String) {
    raw_request(fake, service, "POST", "/", body).await
}

async fn raw_request(
    fake: &Fake,
    service: &str,
    method: &str,
    path_and_query: &str,
    body: &str,
) -> (u16, String) {
    let request = http::Request::builder()
        .method(method)
        .uri(format!(
            "https://elasticache.us-east-1.amazonaws.com{path_and_query}"
        ))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-amz-date", "20260101T000000Z")
        .header(
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/{service}/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date, \
                 Signature=0000000000000000000000000000000000000000000000000000000000000000"
            ),
        )
        .body(body.as_bytes().to_vec())
        .unwrap();
    let response = fake.send(request).await.unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "text/xml",
        "every answer is XML"
    );
    (
        response.status().as_u16(),
        String::from_utf8(response.body().to_vec()).unwrap(),
    )
}

#[tokio::test]
async fn requests_the_service_would_reject_get_its_error_codes() {
    let fake = Fake::new(Groups::default());
    for (body, status, code) in [
        (
            "Action=DescribeReplicationGroups&Version=2014-01-01",
            400,
            "InvalidAction",
        ),
        (
            "Action=NoSuchThing&Version=2015-02-02",
            400,
            "InvalidAction",
        ),
        ("Version=2015-02-02", 400, "MissingAction"),
        (
            "Action=DescribeReplicationGroups&Version=2015-02-02&MaxRecords=many",
            400,
            "ValidationError",
        ),
        (
            "Action=DescribeReplicationGroups&Version=2015-02-02&A=%zz",
            400,
            "MalformedQueryString",
        ),
    ] {
        let (got_status, xml) = raw(&fake, body).await;
        assert_eq!(got_status, status, "{body}: {xml}");
        assert!(
            xml.starts_with("<ErrorResponse>") && xml.contains(&format!("<Code>{code}</Code>")),
            "{body}: {xml}"
        );
    }
    // Signed for another service (STS's scope): turned away before routing.
    let (status, xml) = raw_for(
        &fake,
        "sts",
        "Action=DescribeReplicationGroups&Version=2015-02-02",
    )
    .await;
    assert_eq!(status, 400, "{xml}");
    assert!(
        xml.contains("<Code>IncompleteSignature</Code>") && xml.contains("&quot;sts&quot;"),
        "{xml}"
    );
    assert!(fake.recorder().is_empty(), "nothing reached an operation");
    let (status, xml) = raw(&fake, "Action=DescribeReplicationGroups&Version=2015-02-02").await;
    assert_eq!(status, 200, "{xml}");
    assert!(
        xml.starts_with("<DescribeReplicationGroupsResponse"),
        "{xml}"
    );
}

#[test]
fn recorded_secrets_stay_out_of_debug() {
    let fake = Fake::new(Groups::default());
    fake.recorder().record(
        "CreateReplicationGroup",
        CreateReplicationGroupInput::builder()
            .replication_group_id("g")
            .replication_group_description("d")
            .auth_token("hunter2-token")
            .build()
            .unwrap(),
    );
    let printed = format!("{fake:?} {:?}", fake.recorder());
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(printed.contains("CreateReplicationGroup"), "{printed}");
}

#[tokio::test]
async fn a_get_request_reads_its_query_string() {
    let fake = Fake::new(Groups::default());
    let (status, xml) = raw_request(
        &fake,
        "elasticache",
        "GET",
        "/?Action=DescribeReplicationGroups&Version=2015-02-02&ReplicationGroupId=by-get",
        "",
    )
    .await;
    assert_eq!(status, 200, "{xml}");
    let recorded = fake.recorder().inputs::<DescribeReplicationGroupsInput>();
    assert_eq!(recorded[0].replication_group_id.as_deref(), Some("by-get"));
    let (status, xml) = raw_request(&fake, "elasticache", "PUT", "/", "").await;
    assert_eq!(status, 405, "{xml}");
}

/// Every operation of botocore's ElastiCache model is routed to its trait method,
/// whose default answers 501 naming it: none is missing from the dispatch.
#[tokio::test]
async fn every_operation_is_routed_and_unimplemented_by_default() {
    let dir = std::env::var("BOTOCORE_MODELS_DIR").expect(
        "BOTOCORE_MODELS_DIR is not set: point it at the shared botocore models (see the README)",
    );
    // Relative to the repository root, as .ci/run sets it.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(dir)
        .join("elasticache/service-2.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let model: serde_json::Value = serde_json::from_str(&text).unwrap();
    let operations = model["operations"].as_object().unwrap();
    assert!(operations.len() >= 75, "{}", operations.len());
    struct Nothing;
    impl ElastiCacheService for Nothing {}
    let fake = Fake::new(Nothing);
    for action in operations.keys() {
        let (status, xml) = raw(&fake, &format!("Action={action}&Version=2015-02-02")).await;
        assert_eq!(status, 501, "{action}: {xml}");
        assert!(
            xml.contains("<Code>NotImplemented</Code>")
                && xml.contains(&format!("{action} is not implemented by this fake")),
            "{action}: {xml}"
        );
    }
    // Each request was parsed by its operation before the default answered.
    assert_eq!(fake.recorder().len(), operations.len());
    let mut recorded = fake.recorder().actions();
    recorded.sort();
    let mut expected: Vec<String> = operations.keys().cloned().collect();
    expected.sort();
    assert_eq!(recorded, expected);
}
