//! The second generated client, SNS, against moto's server (an independent
//! implementation of SNS's wire protocol; `.ci/run` installs `moto[server]`).
//! Each test starts its own server on 127.0.0.1 on a free port and stops it when
//! done. A missing moto is a failure, not a skip.
//!
//! What SNS adds over ElastiCache: maps on the wire in both directions
//! (`Publish`'s `MessageAttributes` as `entry.N.Name`/`entry.N.Value.*`,
//! `GetTopicAttributes`'s `Attributes` as `<entry><key/><value/></entry>`) and a
//! modeled error whose code differs from its shape name (`NotFound`).

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use sns::client::SdkError;
use sns::operation::get_topic_attributes::GetTopicAttributesError;
use sns::types::MessageAttributeValue;
use support::Moto;

/// An HTTP endpoint on 127.0.0.1 that takes one request, answers 200 and hands
/// over the request body: where moto delivers an `http` subscription's notification.
fn notification_endpoint() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/notify", listener.local_addr().unwrap());
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        // Read the head, then as many body bytes as Content-Length says.
        let body = loop {
            let Ok(n) = stream.read(&mut buffer) else {
                return;
            };
            if n == 0 {
                return;
            }
            request.extend_from_slice(&buffer[..n]);
            let text = String::from_utf8_lossy(&request).into_owned();
            let Some(head_end) = text.find("\r\n\r\n") else {
                continue;
            };
            let length: usize = text[..head_end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .unwrap_or(0);
            if request.len() >= head_end + 4 + length {
                break String::from_utf8_lossy(&request[head_end + 4..head_end + 4 + length])
                    .into_owned();
            }
        };
        let _ =
            stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        let _ = sender.send(body);
    });
    (url, receiver)
}

/// moto's record of its backends (`GET /moto-api/data.json`, its documented internal API).
fn moto_data(url: &str) -> serde_json::Value {
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET /moto-api/data.json HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8(response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        // Chunks: a hex size line, the data, CRLF; a zero size ends it.
        let mut rest = body;
        let mut joined = String::new();
        loop {
            let (size, after) = rest.split_once("\r\n").unwrap();
            let size = usize::from_str_radix(size.trim(), 16).unwrap();
            if size == 0 {
                break joined;
            }
            joined.push_str(&after[..size]);
            rest = &after[size + 2..];
        }
    } else {
        body.to_owned()
    };
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("moto's data.json: {e}"))
}

#[tokio::test]
async fn topic_lifecycle_with_maps_both_ways_and_a_modeled_error() {
    let moto = Moto::start();
    let client = moto.sns_client(2);

    // CreateTopic with an attribute map on the wire.
    let created = client
        .create_topic()
        .name("querygen-topic")
        .attributes("DisplayName", "querygen display")
        .send()
        .await
        .expect("CreateTopic");
    let topic_arn = created.topic_arn.expect("a topic ARN");
    assert!(topic_arn.ends_with(":querygen-topic"), "{topic_arn}");

    // GetTopicAttributes: a map in the response, including what CreateTopic's map set.
    let attributes = client
        .get_topic_attributes()
        .topic_arn(&topic_arn)
        .send()
        .await
        .expect("GetTopicAttributes")
        .attributes
        .expect("attributes");
    assert_eq!(
        attributes.get("TopicArn").map(String::as_str),
        Some(topic_arn.as_str())
    );
    assert_eq!(
        attributes.get("DisplayName").map(String::as_str),
        Some("querygen display"),
        "{attributes:?}"
    );
    assert!(attributes.contains_key("Policy"), "{attributes:?}");
    assert!(attributes.len() >= 5, "{attributes:?}");

    // Subscribe an HTTP endpoint of ours; moto delivers notifications to it.
    let (endpoint, notifications) = notification_endpoint();
    let subscribed = client
        .subscribe()
        .topic_arn(&topic_arn)
        .protocol("http")
        .endpoint(&endpoint)
        .return_subscription_arn(true)
        .send()
        .await
        .expect("Subscribe");
    let subscription_arn = subscribed.subscription_arn.expect("a subscription ARN");
    assert!(
        subscription_arn.starts_with(&format!("{topic_arn}:")),
        "{subscription_arn}"
    );

    // Publish with message attributes: a map of structures on the wire.
    let published = client
        .publish()
        .topic_arn(&topic_arn)
        .subject("greeting")
        .message("hello from querygen")
        .message_attributes(
            "colour",
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value("teal")
                .build()
                .unwrap(),
        )
        .message_attributes(
            "count",
            MessageAttributeValue::builder()
                .data_type("Number")
                .string_value("42")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("Publish");
    let message_id = published.message_id.expect("a message id");
    // moto posts the notification to our endpoint before it answers Publish; the wait only guards against a hang.
    let notification = notifications
        .recv_timeout(Duration::from_secs(30))
        .expect("moto delivered no notification to the http subscription");
    let notification: serde_json::Value = serde_json::from_str(&notification).unwrap();
    assert_eq!(notification["MessageId"], message_id.as_str());
    assert_eq!(notification["Message"], "hello from querygen");
    assert_eq!(notification["Subject"], "greeting");
    // moto leaves message attributes out of http deliveries (its `Subscription.publish`
    // does not pass them on), so read what it received from its own record of the topic.
    let data = moto_data(&moto.url);
    let topic = data["sns"]["Topic"]
        .as_array()
        .and_then(|topics| topics.iter().find(|t| t["arn"] == topic_arn.as_str()))
        .unwrap_or_else(|| panic!("moto's data has no topic {topic_arn}: {data}"));
    let sent = &topic["sent_notifications"][0];
    assert_eq!(sent[0], message_id.as_str(), "{topic}");
    let received = &sent[3];
    assert_eq!(received["colour"]["Type"], "String", "{topic}");
    assert_eq!(received["colour"]["Value"], "teal", "{topic}");
    assert_eq!(received["count"]["Type"], "Number", "{topic}");
    assert_eq!(received["count"]["Value"], "42", "{topic}");
    assert_eq!(received.as_object().map(|o| o.len()), Some(2), "{topic}");

    // DeleteTopic, then the topic is a modeled NotFound error.
    client
        .delete_topic()
        .topic_arn(&topic_arn)
        .send()
        .await
        .expect("DeleteTopic");
    let error = client
        .get_topic_attributes()
        .topic_arn(&topic_arn)
        .send()
        .await
        .expect_err("the topic is gone");
    assert_eq!(error.attempts(), 1, "a modeled client error is not retried");
    let SdkError::Service(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.status, 404);
    let GetTopicAttributesError::NotFoundException(not_found) = &failure.error else {
        panic!("expected NotFoundException (code NotFound), got {error:?}")
    };
    assert!(
        not_found.message().is_some_and(|m| !m.is_empty()),
        "{not_found:?}"
    );
}

/// moto answers ListTopics 100 topics a page: 101 topics take two pages, and the
/// paginator follows `NextToken` to the end.
#[tokio::test]
async fn list_topics_pages_through_more_than_one_page() {
    let moto = Moto::start();
    let client = moto.sns_client(2);
    const TOPICS: usize = 101;
    for i in 0..TOPICS {
        client
            .create_topic()
            .name(format!("topic-{i:03}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateTopic {i}: {e}"));
    }
    let pages = client
        .list_topics()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .expect("ListTopics pages");
    assert_eq!(pages.len(), 2, "100 topics a page");
    assert!(pages[0].next_token.is_some());
    let topics = client
        .list_topics()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .expect("ListTopics items");
    let mut names: Vec<String> = topics
        .iter()
        .map(|t| {
            let arn = t.topic_arn.as_deref().expect("an ARN");
            arn.rsplit(':').next().unwrap().to_owned()
        })
        .collect();
    names.sort();
    let expected: Vec<String> = (0..TOPICS).map(|i| format!("topic-{i:03}")).collect();
    assert_eq!(names, expected);
}

/// `ListSMSSandboxPhoneNumbers` pages over a required list: its item accessors
/// read the field directly (moto does not implement the operation, so this is
/// checked on a built output).
#[test]
fn a_required_item_list_is_a_page_s_items() {
    use sns::operation::list_sms_sandbox_phone_numbers::ListSmsSandboxPhoneNumbersOutput;
    use sns::types::SmsSandboxPhoneNumber;
    let output = ListSmsSandboxPhoneNumbersOutput::builder()
        .phone_numbers(
            SmsSandboxPhoneNumber::builder()
                .phone_number("+15550100")
                .build(),
        )
        .phone_numbers(
            SmsSandboxPhoneNumber::builder()
                .phone_number("+15550101")
                .build(),
        )
        .build()
        .unwrap();
    let numbers: Vec<_> = output
        .page_items()
        .iter()
        .map(|n| n.phone_number.as_deref().unwrap())
        .collect();
    assert_eq!(numbers, ["+15550100", "+15550101"]);
    assert_eq!(output.into_page_items().len(), 2);
}
