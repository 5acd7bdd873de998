//! Paginators: the sans-IO `next_page` and item accessors, and the client's
//! paginator streams over a scripted in-process transport (and moto's server).

mod support;

use std::pin::Pin;

use elasticache::client::SdkError;
use elasticache::operation::describe_engine_default_parameters::{
    DescribeEngineDefaultParametersInput, DescribeEngineDefaultParametersOutput,
};
use elasticache::operation::describe_replication_groups::{
    DescribeReplicationGroupsError, DescribeReplicationGroupsInput, DescribeReplicationGroupsOutput,
};
use elasticache::types::{EngineDefaults, Parameter, ReplicationGroup};
use querygen_runtime::pagination::NextPage;
use support::{scripted_client, Moto, Script};

/// A DescribeReplicationGroups answer with these groups and this marker.
fn page(groups: &[&str], marker: Option<&str>) -> String {
    let members: String = groups
        .iter()
        .map(|id| format!("<ReplicationGroup><ReplicationGroupId>{id}</ReplicationGroupId></ReplicationGroup>"))
        .collect();
    let marker = marker
        .map(|m| format!("<Marker>{m}</Marker>"))
        .unwrap_or_default();
    format!(
        "<DescribeReplicationGroupsResponse xmlns=\"http://elasticache.amazonaws.com/doc/2015-02-02/\">\
         <DescribeReplicationGroupsResult>{marker}<ReplicationGroups>{members}</ReplicationGroups></DescribeReplicationGroupsResult>\
         <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeReplicationGroupsResponse>"
    )
}

fn ids(groups: &[ReplicationGroup]) -> Vec<&str> {
    groups
        .iter()
        .map(|g| g.replication_group_id.as_deref().unwrap_or("?"))
        .collect()
}

/// The `Marker` and `MaxRecords` each request sent.
fn sent(script: &Script) -> Vec<(Option<String>, Option<String>)> {
    script
        .requests()
        .iter()
        .map(|r| {
            let body = String::from_utf8(r.body().clone()).unwrap();
            let field = |name: &str| {
                body.split('&')
                    .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                    .map(str::to_owned)
            };
            assert!(
                body.starts_with("Action=DescribeReplicationGroups&"),
                "{body}"
            );
            (field("Marker"), field("MaxRecords"))
        })
        .collect()
}

fn some(s: &str) -> Option<String> {
    Some(s.to_owned())
}

// ---- sans-IO -----------------------------------------------------------------

#[test]
fn next_page_carries_the_token_and_keeps_the_other_members() {
    let first = DescribeReplicationGroupsInput::builder()
        .replication_group_id("rg")
        .max_records(20)
        .build();
    let output = DescribeReplicationGroupsOutput::builder()
        .marker("t1")
        .build();
    let NextPage::Input(second) = first.next_page(&output) else {
        panic!("expected a next page");
    };
    assert_eq!(second.marker.as_deref(), Some("t1"));
    assert_eq!(second.replication_group_id.as_deref(), Some("rg"));
    assert_eq!(second.max_records, Some(20));
    // The same token again: stop. No token, or an empty one: done.
    assert_eq!(second.next_page(&output), NextPage::RepeatedToken);
    let last = DescribeReplicationGroupsOutput::builder().build();
    assert_eq!(second.next_page(&last), NextPage::Done);
    let empty = DescribeReplicationGroupsOutput::builder()
        .marker("")
        .build();
    assert_eq!(second.next_page(&empty), NextPage::Done);
}

#[test]
fn nested_tokens_and_items_are_followed() {
    // DescribeEngineDefaultParameters pages through `EngineDefaults.Marker`.
    let input = DescribeEngineDefaultParametersInput::builder()
        .cache_parameter_group_family("redis7")
        .build()
        .unwrap();
    let output = DescribeEngineDefaultParametersOutput::builder()
        .engine_defaults(
            EngineDefaults::builder()
                .marker("next")
                .parameters(Parameter::builder().parameter_name("maxmemory").build())
                .build(),
        )
        .build();
    let NextPage::Input(next) = input.next_page(&output) else {
        panic!("expected a next page");
    };
    assert_eq!(next.marker.as_deref(), Some("next"));
    assert_eq!(output.page_items().len(), 1);
    assert_eq!(
        output.into_page_items()[0].parameter_name.as_deref(),
        Some("maxmemory")
    );
    let none = DescribeEngineDefaultParametersOutput::builder().build();
    assert_eq!(input.next_page(&none), NextPage::Done);
    assert!(none.page_items().is_empty());
}

// ---- the client --------------------------------------------------------------

#[tokio::test]
async fn pages_follow_the_tokens_with_the_page_size_on_every_request() {
    let script = Script::new(vec![
        Ok((200, &page(&["rg-1", "rg-2"], Some("t1")))),
        Ok((200, &page(&["rg-3"], Some("t2")))),
        Ok((200, &page(&[], None))),
    ]);
    let client = scripted_client(&script, 1);
    let mut pages = client
        .describe_replication_groups()
        .into_paginator()
        .page_size(20)
        .send();
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        seen.push(ids(page.page_items()).join(","));
    }
    assert_eq!(seen, ["rg-1,rg-2", "rg-3", ""]);
    assert!(pages.next().await.is_none(), "the stream stays ended");
    assert_eq!(
        sent(&script),
        [
            (None, some("20")),
            (some("t1"), some("20")),
            (some("t2"), some("20")),
        ]
    );
}

#[tokio::test]
async fn items_come_one_by_one_across_pages_and_empty_pages() {
    let script = Script::new(vec![
        Ok((200, &page(&[], Some("t1")))),
        Ok((200, &page(&["rg-1", "rg-2"], Some("t2")))),
        Ok((200, &page(&["rg-3"], None))),
    ]);
    let client = scripted_client(&script, 1);
    let items = client
        .describe_replication_groups()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["rg-1", "rg-2", "rg-3"]);
    assert_eq!(sent(&script).len(), 3);
}

#[tokio::test]
async fn a_repeated_token_ends_the_stream_with_an_error() {
    let script = Script::new(vec![
        Ok((200, &page(&["rg-1"], Some("same")))),
        Ok((200, &page(&["rg-2"], Some("same")))),
    ]);
    let client = scripted_client(&script, 1);
    let mut pages = client.describe_replication_groups().into_paginator().send();
    assert_eq!(
        ids(pages.next().await.unwrap().unwrap().page_items()),
        ["rg-1"]
    );
    assert_eq!(
        ids(pages.next().await.unwrap().unwrap().page_items()),
        ["rg-2"]
    );
    let error = pages.next().await.unwrap().unwrap_err();
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    assert!(
        error.to_string().contains(
            "DescribeReplicationGroups: the service answered with the pagination token it was sent"
        ),
        "{error}"
    );
    assert!(pages.next().await.is_none());
    assert_eq!(
        sent(&script).len(),
        2,
        "the same page is not asked for again"
    );
}

#[tokio::test]
async fn an_error_ends_the_stream_and_collecting_returns_it() {
    let not_found = "<ErrorResponse><Error><Type>Sender</Type><Code>ReplicationGroupNotFoundFault</Code><Message>gone</Message></Error><RequestId>r</RequestId></ErrorResponse>";
    let script = Script::new(vec![
        Ok((200, &page(&["rg-1"], Some("t1")))),
        Ok((404, not_found)),
    ]);
    let client = scripted_client(&script, 1);
    let error = client
        .describe_replication_groups()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.as_service_error(),
            Some(DescribeReplicationGroupsError::ReplicationGroupNotFoundFault(_))
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn each_page_is_an_ordinary_call_with_retries() {
    let script = Script::new(vec![
        Ok((200, &page(&["rg-1"], Some("t1")))),
        Ok((503, "busy")),
        Ok((200, &page(&["rg-2"], None))),
    ]);
    let client = scripted_client(&script, 3);
    let pages = client
        .describe_replication_groups()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(
        sent(&script),
        [(None, None), (some("t1"), None), (some("t1"), None)]
    );
}

#[tokio::test]
async fn the_streams_are_futures_core_streams() {
    use futures_core::Stream;

    async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
        std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
    }

    let script = Script::new(vec![
        Ok((200, &page(&["rg-1"], Some("t1")))),
        Ok((200, &page(&["rg-2"], None))),
    ]);
    let client = scripted_client(&script, 1);
    let mut items = client
        .describe_replication_groups()
        .into_paginator()
        .items()
        .send();
    let mut got = Vec::new();
    while let Some(item) = next(&mut items).await {
        got.push(item.unwrap().replication_group_id.unwrap());
    }
    assert_eq!(got, ["rg-1", "rg-2"]);
}

#[test]
fn a_pagination_stream_can_move_between_threads() {
    fn assert_send<T: Send>(_: &T) {}
    let script = Script::new(vec![]);
    let client = scripted_client(&script, 1);
    let mut pages = client.describe_replication_groups().into_paginator().send();
    assert_send(&pages);
    assert_send(&pages.next());
}

#[tokio::test]
async fn moto_answers_every_group_and_cluster_on_one_page() {
    // moto ignores MaxRecords and Marker for DescribeReplicationGroups: one page.
    let moto = Moto::start();
    let client = moto.client(3);
    for i in 0..5 {
        client
            .create_replication_group()
            .replication_group_id(format!("paged-{i}"))
            .replication_group_description("paginator test")
            .send()
            .await
            .unwrap();
    }
    let pages = client
        .describe_replication_groups()
        .into_paginator()
        .page_size(20)
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    let items = client
        .describe_replication_groups()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    let mut ids: Vec<&str> = ids(&items);
    ids.sort_unstable();
    assert_eq!(ids, ["paged-0", "paged-1", "paged-2", "paged-3", "paged-4"]);

    // Cache clusters the same way (moto pages them no more than groups).
    for i in 0..3 {
        client
            .create_cache_cluster()
            .cache_cluster_id(format!("paged-cluster-{i}"))
            .engine("redis")
            .cache_node_type("cache.t4g.micro")
            .num_cache_nodes(1)
            .send()
            .await
            .unwrap();
    }
    let clusters = client
        .describe_cache_clusters()
        .into_paginator()
        .page_size(20)
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    let mut cluster_ids: Vec<&str> = clusters
        .iter()
        .filter_map(|c| c.cache_cluster_id.as_deref())
        .filter(|id| id.starts_with("paged-cluster-"))
        .collect();
    cluster_ids.sort_unstable();
    assert_eq!(
        cluster_ids,
        ["paged-cluster-0", "paged-cluster-1", "paged-cluster-2"]
    );
}
