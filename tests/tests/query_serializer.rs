//! awsQuery request bodies from the generated serializers.

use elasticache::operation::start_migration::serialize_query_body;

#[test]
fn start_migration_body_matches_the_aws_sdk_byte_for_byte() {
    let input = workspace_tests::start_migration_input().unwrap();
    // The body aws-sdk-elasticache 1.129.0 sends for this input (../shared/bench/README.md).
    assert_eq!(
        serialize_query_body(&input),
        "Action=StartMigration&Version=2015-02-02&ReplicationGroupId=my-rg\
         &CustomerNodeEndpointList.member.1.Address=10.0.0.1&CustomerNodeEndpointList.member.1.Port=6379\
         &CustomerNodeEndpointList.member.2.Address=10.0.0.2&CustomerNodeEndpointList.member.2.Port=6380"
    );
}

#[test]
fn empty_input_is_only_action_and_version() {
    let input = elasticache::operation::describe_replication_groups::DescribeReplicationGroupsInput::builder().build();
    assert_eq!(
        elasticache::operation::describe_replication_groups::serialize_query_body(&input),
        "Action=DescribeReplicationGroups&Version=2015-02-02"
    );
}

#[test]
fn list_member_xml_names_empty_lists_and_encoding() {
    use elasticache::operation::add_tags_to_resource::{
        serialize_query_body, AddTagsToResourceInput,
    };
    use elasticache::types::Tag;
    let input = AddTagsToResourceInput::builder()
        .resource_name("arn:aws:elasticache:us-east-1:123456789012:cluster:my cluster")
        .tags(Tag::builder().key("team").value("a&b=c").build())
        .build()
        .unwrap();
    assert_eq!(
        serialize_query_body(&input),
        "Action=AddTagsToResource&Version=2015-02-02\
         &ResourceName=arn%3Aaws%3Aelasticache%3Aus-east-1%3A123456789012%3Acluster%3Amy%20cluster\
         &Tags.Tag.1.Key=team&Tags.Tag.1.Value=a%26b%3Dc"
    );
    let empty = AddTagsToResourceInput::builder()
        .resource_name("r")
        .set_tags(Some(vec![]))
        .build()
        .unwrap();
    assert_eq!(
        serialize_query_body(&empty),
        "Action=AddTagsToResource&Version=2015-02-02&ResourceName=r&Tags="
    );
}

#[test]
fn start_migration_http_request_and_response() {
    use elasticache::operation::start_migration::{
        build_request, parse_response, StartMigrationError,
    };
    use querygen_runtime::http::Response;
    let input = workspace_tests::start_migration_input().unwrap();
    let request = build_request(&input, "https://elasticache.us-east-1.amazonaws.com").unwrap();
    assert_eq!(request.method().as_str(), "POST");
    assert_eq!(
        request.uri(),
        "https://elasticache.us-east-1.amazonaws.com/"
    );
    assert_eq!(
        request.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        request.headers()["content-length"],
        "255",
        "the body the SDK sends is 255 bytes"
    );
    assert_eq!(
        request.body().as_slice(),
        serialize_query_body(&input).as_bytes()
    );

    let ok = Response::builder()
        .status(200)
        .body("<StartMigrationResponse><StartMigrationResult/><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></StartMigrationResponse>")
        .unwrap();
    assert_eq!(
        parse_response(&ok).unwrap().request_id.as_deref(),
        Some("r-1")
    );
    let html = Response::builder()
        .status(500)
        .body("<html><body>Internal Server Error</body></html>")
        .unwrap();
    let Err(StartMigrationError::Unhandled(unhandled)) = parse_response(&html) else {
        panic!("expected an unhandled error")
    };
    assert_eq!(unhandled.status, 500);
    assert!(unhandled.body_excerpt.contains("Internal Server Error"));
    let garbage = Response::builder().status(200).body("not xml").unwrap();
    assert!(
        matches!(parse_response(&garbage), Err(StartMigrationError::Unhandled(u)) if u.parse_error.is_some())
    );
}
