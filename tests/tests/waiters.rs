//! Waiters: the sans-IO `classify` of each ElastiCache waiter checked against
//! botocore's waiters-2.json, and the client's `wait_until_…` over a scripted
//! transport with tokio's paused clock (so waits of minutes take milliseconds),
//! and against moto's server.

mod support;

use std::time::Duration;

use elasticache::client::SdkError;
use elasticache::operation::describe_cache_clusters::{
    DescribeCacheClustersError, DescribeCacheClustersInput, DescribeCacheClustersOutput,
};
use elasticache::operation::describe_replication_groups::{
    DescribeReplicationGroupsError, DescribeReplicationGroupsInput, DescribeReplicationGroupsOutput,
};
use elasticache::types::{CacheCluster, ReplicationGroup};
use elasticache::waiters;
use querygen_client::{FinalPoll, WaiterError};
use querygen_runtime::waiters::AcceptorState;
use support::{scripted_client, Moto, Script};

fn groups(statuses: &[&str]) -> DescribeReplicationGroupsOutput {
    statuses
        .iter()
        .fold(DescribeReplicationGroupsOutput::builder(), |b, s| {
            b.replication_groups(
                ReplicationGroup::builder()
                    .replication_group_id("rg")
                    .status(*s)
                    .build(),
            )
        })
        .build()
}

fn clusters(statuses: &[&str]) -> DescribeCacheClustersOutput {
    statuses
        .iter()
        .fold(DescribeCacheClustersOutput::builder(), |b, s| {
            b.cache_clusters(CacheCluster::builder().cache_cluster_status(*s).build())
        })
        .build()
}

fn error_xml(code: &str) -> String {
    format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>")
}

/// The state `classify` gives when the path's elements have these statuses, or
/// for an error with this code.
fn classify(waiter: &str, statuses: Option<&[&str]>, code: Option<&str>) -> Option<AcceptorState> {
    let rg = DescribeReplicationGroupsInput::builder().build();
    let cc = DescribeCacheClustersInput::builder().build();
    let rg_error =
        |code: &str| DescribeReplicationGroupsError::parse(404, error_xml(code).as_bytes());
    let cc_error = |code: &str| DescribeCacheClustersError::parse(404, error_xml(code).as_bytes());
    match (waiter, statuses, code) {
        ("ReplicationGroupAvailable", Some(s), _) => {
            waiters::replication_group_available::classify(&rg, Ok(&groups(s)))
        }
        ("ReplicationGroupAvailable", None, Some(c)) => {
            waiters::replication_group_available::classify(&rg, Err(&rg_error(c)))
        }
        ("ReplicationGroupDeleted", Some(s), _) => {
            waiters::replication_group_deleted::classify(&rg, Ok(&groups(s)))
        }
        ("ReplicationGroupDeleted", None, Some(c)) => {
            waiters::replication_group_deleted::classify(&rg, Err(&rg_error(c)))
        }
        ("CacheClusterAvailable", Some(s), _) => {
            waiters::cache_cluster_available::classify(&cc, Ok(&clusters(s)))
        }
        ("CacheClusterAvailable", None, Some(c)) => {
            waiters::cache_cluster_available::classify(&cc, Err(&cc_error(c)))
        }
        ("CacheClusterDeleted", Some(s), _) => {
            waiters::cache_cluster_deleted::classify(&cc, Ok(&clusters(s)))
        }
        ("CacheClusterDeleted", None, Some(c)) => {
            waiters::cache_cluster_deleted::classify(&cc, Err(&cc_error(c)))
        }
        other => panic!("no such waiter case: {other:?}"),
    }
}

fn state(name: &str) -> AcceptorState {
    match name {
        "success" => AcceptorState::Success,
        "failure" => AcceptorState::Failure,
        "retry" => AcceptorState::Retry,
        other => panic!("state {other}"),
    }
}

#[test]
fn each_acceptor_of_botocore_s_waiters_reaches_the_same_state() {
    let dir = std::env::var("BOTOCORE_MODELS_DIR").expect(
        "BOTOCORE_MODELS_DIR is not set: point it at the shared botocore models (see the README)",
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(dir)
        .join("elasticache/waiters-2.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut checked = 0;
    let waiters = doc["waiters"].as_object().unwrap();
    assert_eq!(waiters.len(), 4);
    let total: usize = waiters
        .values()
        .map(|w| w["acceptors"].as_array().unwrap().len())
        .sum();
    for (name, waiter) in waiters {
        for acceptor in waiter["acceptors"].as_array().unwrap() {
            let expected = acceptor["expected"].as_str().unwrap();
            let want = state(acceptor["state"].as_str().unwrap());
            let got = match acceptor["matcher"].as_str().unwrap() {
                // Every element in that status; and, for "any", one among others
                // that match no earlier acceptor ("snapshotting" is a failure
                // state of CacheClusterDeleted only, so use an unknown status).
                "pathAll" => classify(name, Some(&[expected, expected]), None),
                "pathAny" => {
                    let got = classify(name, Some(&["in-between", expected]), None);
                    assert_eq!(
                        classify(name, Some(&[expected]), None),
                        Some(want),
                        "{name}: pathAny {expected} alone"
                    );
                    got
                }
                "error" => classify(name, None, Some(expected)),
                other => panic!("{name}: matcher {other}"),
            };
            assert_eq!(got, Some(want), "{name}: {acceptor}");
            checked += 1;
        }
    }
    assert_eq!(checked, total, "every acceptor of the four waiters");
}

#[test]
fn outputs_no_acceptor_matches_are_retried_and_errors_end_the_wait() {
    assert_eq!(
        classify("ReplicationGroupAvailable", Some(&["creating"]), None),
        None
    );
    assert_eq!(
        classify("ReplicationGroupAvailable", Some(&[]), None),
        None,
        "allStringEquals needs one element"
    );
    assert_eq!(
        classify(
            "ReplicationGroupAvailable",
            Some(&["available", "modifying"]),
            None
        ),
        None
    );
    assert_eq!(
        classify(
            "ReplicationGroupAvailable",
            None,
            Some("InvalidParameterValue")
        ),
        None
    );
    assert_eq!(
        classify("CacheClusterDeleted", None, Some("CacheClusterNotFound")),
        Some(AcceptorState::Success)
    );
}

// ---- the client, with paused time ---------------------------------------------

fn answer(statuses: &[&str]) -> String {
    let members: String = statuses
        .iter()
        .map(|s| format!("<ReplicationGroup><ReplicationGroupId>rg</ReplicationGroupId><Status>{s}</Status></ReplicationGroup>"))
        .collect();
    format!(
        "<DescribeReplicationGroupsResponse xmlns=\"http://elasticache.amazonaws.com/doc/2015-02-02/\">\
         <DescribeReplicationGroupsResult><ReplicationGroups>{members}</ReplicationGroups></DescribeReplicationGroupsResult>\
         <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeReplicationGroupsResponse>"
    )
}

#[tokio::test(start_paused = true)]
async fn a_group_goes_creating_then_modifying_then_available() {
    let script = Script::new(vec![
        Ok((200, &answer(&["creating"]))),
        Ok((200, &answer(&["modifying"]))),
        Ok((200, &answer(&["available"]))),
    ]);
    let client = scripted_client(&script, 1);
    let started = tokio::time::Instant::now();
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
    let requests = script.requests();
    assert_eq!(requests.len(), 3);
    assert!(String::from_utf8_lossy(requests[0].body()).contains("ReplicationGroupId=rg"));
    // Delays: 15 s, then 15 to 30 s (the model's minDelay is 15).
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(30) && waited <= Duration::from_secs(45),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_deleted_group_is_a_failure_state_for_available() {
    let script = Script::new(vec![
        Ok((200, &answer(&["creating"]))),
        Ok((200, &answer(&["deleted"]))),
    ]);
    let client = scripted_client(&script, 1);
    let error = client
        .wait_until_replication_group_available()
        .wait(Duration::from_secs(900))
        .await
        .unwrap_err();
    let WaiterError::FailureState {
        waiter,
        answer: FinalPoll::Output(output),
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(*waiter, "ReplicationGroupAvailable");
    assert_eq!(
        output.replication_groups.as_ref().unwrap()[0]
            .status
            .as_deref(),
        Some("deleted")
    );
    assert!(error.to_string().contains("failure state"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn deletion_succeeds_on_the_not_found_error() {
    let script = Script::new(vec![
        Ok((200, &answer(&["deleting"]))),
        Ok((404, &error_xml("ReplicationGroupNotFoundFault"))),
    ]);
    let client = scripted_client(&script, 1);
    let done = client
        .wait_until_replication_group_deleted()
        .replication_group_id("rg")
        .wait(Duration::from_secs(900))
        .await
        .unwrap();
    assert!(
        matches!(
            done,
            FinalPoll::Error(DescribeReplicationGroupsError::ReplicationGroupNotFoundFault(_))
        ),
        "{done:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_maximum_wait_ends_it_with_the_last_answer_and_never_sleeps_past_it() {
    let answers: Vec<String> = (0..40).map(|_| answer(&["creating"])).collect();
    let script = Script::new(answers.iter().map(|a| Ok((200, a.as_str()))).collect());
    let client = scripted_client(&script, 1);
    let started = tokio::time::Instant::now();
    let error = client
        .wait_until_replication_group_available()
        .wait(Duration::from_secs(120))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    let WaiterError::MaxWaitExceeded {
        max_wait,
        polls,
        last,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(*max_wait, Duration::from_secs(120));
    assert_eq!(
        elapsed,
        Duration::from_secs(120),
        "the last poll is at the deadline, not after"
    );
    assert_eq!(*polls as usize, script.requests().len());
    assert!(*polls >= 4, "{polls}");
    assert!(matches!(last, Some(Ok(_))), "{last:?}");
}

#[tokio::test(start_paused = true)]
async fn an_error_no_acceptor_expects_ends_the_wait() {
    let script = Script::new(vec![Ok((400, &error_xml("InvalidParameterValue")))]);
    let client = scripted_client(&script, 1);
    let error = client
        .wait_until_replication_group_available()
        .wait(Duration::from_secs(900))
        .await
        .unwrap_err();
    let WaiterError::Unexpected {
        error: SdkError::Service(failure),
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(failure.status, 400);
}

#[tokio::test(start_paused = true)]
async fn delays_can_be_set_per_call_and_are_checked() {
    let script = Script::new(vec![
        Ok((200, &answer(&["creating"]))),
        Ok((200, &answer(&["available"]))),
    ]);
    let client = scripted_client(&script, 1);
    let started = tokio::time::Instant::now();
    client
        .wait_until_replication_group_available()
        .min_delay(Duration::from_secs(1))
        .max_delay(Duration::from_secs(2))
        .wait(Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(started.elapsed(), Duration::from_secs(1));
    let error = client
        .wait_until_replication_group_available()
        .min_delay(Duration::from_secs(10))
        .max_delay(Duration::from_secs(5))
        .wait(Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(matches!(error, WaiterError::Construction(_)), "{error:?}");
}

#[tokio::test]
async fn against_moto_a_group_is_waited_for_and_its_deletion_runs_out_of_time() {
    let moto = Moto::start();
    let client = moto.client(3);
    client
        .create_replication_group()
        .replication_group_id("waited-for")
        .replication_group_description("waiter test")
        .send()
        .await
        .unwrap();
    let available = client
        .wait_until_replication_group_available()
        .replication_group_id("waited-for")
        .min_delay(Duration::from_secs(1))
        .max_delay(Duration::from_secs(1))
        .wait(Duration::from_secs(30))
        .await
        .unwrap();
    assert!(matches!(available, FinalPoll::Output(_)), "{available:?}");
    client
        .delete_replication_group()
        .replication_group_id("waited-for")
        .send()
        .await
        .unwrap();
    // moto leaves a deleted group `deleting` for good, so this wait can only run out
    // (the not-found success path is tested above with a scripted transport).
    let error = client
        .wait_until_replication_group_deleted()
        .replication_group_id("waited-for")
        .min_delay(Duration::from_secs(1))
        .max_delay(Duration::from_secs(1))
        .wait(Duration::from_secs(3))
        .await
        .unwrap_err();
    let WaiterError::MaxWaitExceeded {
        last: Some(Ok(output)),
        polls,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert!(*polls >= 3, "{polls}");
    let status = output.replication_groups.as_ref().unwrap()[0]
        .status
        .as_deref();
    assert_eq!(status, Some("deleting"));
}
