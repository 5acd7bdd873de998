//! Benchmark of the generated ElastiCache crate, following the JSON-lines
//! contract of `../shared/bench` so `run_bench.sh` measures it in the same
//! run as `aws-sdk-elasticache` (see `cargo xtask bench`).
//!
//! Usage: querygen-bench --fixtures DIR [--measure-secs S] [--warmup-secs S] [--only SUBSTRING] [--case NAME] [--samples]
//!
//! The anchor's cases (`start_migration`, `describe_replication_groups_n{0,1,100,1000}`,
//! `start_migration_error_replication_group_not_found`) make the same calls the
//! anchor makes, through the generated `Client` on a current-thread tokio
//! runtime: build the input, resolve nothing (the endpoint is resolved once per
//! client, as the rules depend only on its configuration), serialize, sign with
//! SigV4 at the current time, hand the request to an in-process transport that
//! reads it and answers with the fixture, classify the status, parse the whole
//! output (or error) and drop it. Retries are off, as in the anchor. Extra
//! cases time the sans-IO serializer and parsers alone, a raw quick-xml
//! event loop over the same bytes as the practical limit for any XML parser
//! built on it, and what interceptors and `tracing` cost a StartMigration call
//! (`start_migration_hooks`, `start_migration_traced_{info,debug}`; these run
//! last, as installing a subscriber makes every later callsite check it).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use elasticache::client::{Config, Credentials, RetryConfig, SdkError};
use elasticache::operation::describe_replication_groups as describe;
use elasticache::operation::start_migration::{self, StartMigrationError, StartMigrationInput};
use elasticache::types::CustomerNodeEndpoint;
use querygen_client::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};

const IMPL: &str = "querygen";

struct Args {
    fixtures: PathBuf,
    measure: Duration,
    warmup: Duration,
    only: Option<String>,
    /// Measure the case of exactly this name only.
    case: Option<String>,
    samples: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        fixtures: PathBuf::from("fixtures/generated"),
        measure: Duration::from_secs(3),
        warmup: Duration::from_millis(500),
        only: None,
        case: None,
        samples: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--fixtures" => args.fixtures = PathBuf::from(value("--fixtures")?),
            "--measure-secs" => args.measure = secs(&value("--measure-secs")?)?,
            "--warmup-secs" => args.warmup = secs(&value("--warmup-secs")?)?,
            "--only" => args.only = Some(value("--only")?),
            "--case" => args.case = Some(value("--case")?),
            "--samples" => args.samples = true,
            "--dump" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn secs(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("bad seconds {text}"))
}

fn read(args: &Args, name: &str) -> Vec<u8> {
    let path = args.fixtures.join(name);
    std::fs::read(&path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())))
}

fn fail(message: &str) -> ! {
    eprintln!("check failed: {message}");
    std::process::exit(2)
}

/// The text of the first `<tag>` element in a fixture.
fn first_element(body: &[u8], tag: &str) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let open = format!("<{tag}>");
    let start = text.find(&open)? + open.len();
    let end = text.get(start..)?.find('<')? + start;
    text.get(start..end).map(str::to_owned)
}

fn start_migration_input() -> StartMigrationInput {
    workspace_tests::start_migration_input().unwrap_or_else(|e| fail(&e.to_string()))
}

/// A raw quick-xml pass over the body: every event read, nothing built.
fn raw_quick_xml(body: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return events,
            Ok(event) => {
                black_box(&event);
                events += 1;
            }
            Err(e) => fail(&format!("quick-xml: {e}")),
        }
    }
}

/// The in-process transport: reads the request as a real client must before
/// writing it, and answers with a canned response (a reference-counted clone of
/// the fixture, as the anchor's `SdkBody::from(Bytes)`).
#[derive(Debug)]
struct Canned {
    status: u16,
    body: bytes::Bytes,
}

impl Transport for Canned {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        black_box(request.method());
        black_box(request.uri());
        for header in request.headers() {
            black_box(header);
        }
        black_box(request.body().as_slice());
        let response = http::Response::builder()
            .status(self.status)
            .header("content-type", "text/xml")
            .header("content-length", self.body.len())
            .header("x-amzn-requestid", "b2fd0e0b-7d2d-4f4e-8a3e-0f4a2b6c9d10")
            .body(self.body.clone())
            .map_err(|e| {
                TransportError::new(querygen_client::TransportErrorKind::Response, e.to_string())
            });
        Box::pin(std::future::ready(response))
    }
}

/// The configuration of a client like the anchor's: us-east-1, static
/// credentials, retries off.
fn client_config(status: u16, body: &[u8]) -> elasticache::client::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .retry_config(RetryConfig::disabled())
        .transport(Canned {
            status,
            body: bytes::Bytes::copy_from_slice(body),
        })
}

/// A client like the anchor's.
fn client(status: u16, body: &[u8]) -> elasticache::Client {
    elasticache::Client::from_conf(client_config(status, body).build())
}

/// An interceptor whose hooks all do nothing: what the hook points themselves cost.
#[derive(Debug)]
struct NoOp;

impl elasticache::client::Intercept for NoOp {}

/// A `tracing` subscriber that takes every span and event up to `max` and visits
/// their fields without writing them anywhere: what the client's instrumentation
/// costs, without a formatter's cost.
struct Sink {
    max: tracing::Level,
}

struct Touch;

impl tracing::field::Visit for Touch {
    fn record_debug(&mut self, _: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        black_box(value);
    }
}

impl tracing::Subscriber for Sink {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        *metadata.level() <= self.max
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::from_level(self.max))
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        span.record(&mut Touch);
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Touch);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut Touch);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

fn endpoint(address: &str, port: i32) -> CustomerNodeEndpoint {
    CustomerNodeEndpoint::builder()
        .address(address)
        .port(port)
        .build()
}

fn start_migration_builder(
    client: &elasticache::Client,
) -> start_migration::StartMigrationFluentBuilder {
    client
        .start_migration()
        .replication_group_id("my-rg")
        .customer_node_endpoint_list(endpoint("10.0.0.1", 6379))
        .customer_node_endpoint_list(endpoint("10.0.0.2", 6380))
}

async fn start_migration_call(
    client: &elasticache::Client,
) -> Result<start_migration::StartMigrationOutput, SdkError<StartMigrationError>> {
    start_migration_builder(client).send().await
}

struct Case<'a> {
    name: &'static str,
    operation: &'static str,
    response_bytes: Option<usize>,
    run: Box<dyn FnMut() + 'a>,
}

fn measure(args: &Args, case: &mut Case<'_>) {
    let warm_start = Instant::now();
    let mut warm_calls = 0u32;
    while warm_calls < 3 || warm_start.elapsed() < args.warmup {
        (case.run)();
        warm_calls += 1;
    }
    let per_call = warm_start.elapsed() / warm_calls.max(1);
    let batch = (Duration::from_millis(10).as_nanos() / per_call.as_nanos().max(1)).max(1) as u32;
    let mut samples: Vec<f64> = Vec::new();
    let started = Instant::now();
    while samples.len() < 11 || started.elapsed() < args.measure {
        let t = Instant::now();
        for _ in 0..batch {
            (case.run)();
        }
        samples.push(t.elapsed().as_nanos() as f64 / f64::from(batch));
    }
    let in_order = samples.clone();
    samples.sort_by(f64::total_cmp);
    let pick = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let median = pick(0.5);
    let mut line = format!(
        "{{\"type\":\"measurement\",\"impl\":\"{IMPL}\",\"impl_version\":\"{}\",\"case\":\"{}\",\"operation\":\"{}\",\"iterations\":{},\"median_ns\":{:.0}",
        env!("CARGO_PKG_VERSION"),
        case.name,
        case.operation,
        samples.len() as u64 * u64::from(batch),
        median
    );
    if let Some(bytes) = case.response_bytes {
        line.push_str(&format!(
            ",\"mb_per_s\":{:.2},\"response_bytes\":{bytes}",
            bytes as f64 / median * 1e3
        ));
    }
    line.push_str(&format!(
        ",\"batches\":{},\"batch_size\":{batch},\"min_ns\":{:.0},\"p10_ns\":{:.0},\"p90_ns\":{:.0},\"max_ns\":{:.0}",
        samples.len(),
        pick(0.0),
        pick(0.1),
        pick(0.9),
        pick(1.0)
    ));
    if args.samples {
        let list: Vec<String> = in_order.iter().map(|s| format!("{s:.0}")).collect();
        line.push_str(&format!(",\"samples_ns\":[{}]", list.join(",")));
    }
    line.push('}');
    println!("{line}");
}

fn request_line(case: &str, body: &str) {
    let escaped = body.replace('\\', "\\\\").replace('"', "\\\"");
    println!(
        "{{\"type\":\"request\",\"impl\":\"{IMPL}\",\"case\":\"{case}\",\"method\":\"POST\",\"uri\":\"https://elasticache.us-east-1.amazonaws.com/\",\"headers\":[[\"content-type\",\"application/x-www-form-urlencoded\"],[\"content-length\",\"{}\"]],\"body\":\"{escaped}\"}}",
        body.len()
    );
}

fn main() {
    let args = parse_args().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let start_body = read(&args, "start_migration.xml");
    let error_body = read(&args, "error_replication_group_not_found.xml");
    let describe_bodies: Vec<(usize, Vec<u8>)> = [0usize, 1, 100, 1000]
        .into_iter()
        .map(|n| {
            (
                n,
                read(&args, &format!("describe_replication_groups_{n}.xml")),
            )
        })
        .collect();

    // Checks before any timing, as the anchor does.
    let body = start_migration::serialize_query_body(&start_migration_input());
    request_line("start_migration", &body);
    request_line(
        "describe_replication_groups",
        &describe::serialize_query_body(
            &describe::DescribeReplicationGroupsInput::builder().build(),
        ),
    );
    let parsed =
        start_migration::deserialize_response(&start_body).unwrap_or_else(|e| fail(&e.to_string()));
    let group = parsed
        .output
        .replication_group
        .as_ref()
        .unwrap_or_else(|| fail("no ReplicationGroup"));
    if group.replication_group_id != first_element(&start_body, "ReplicationGroupId") {
        fail("ReplicationGroupId differs from the fixture");
    }
    if format!("{group:?}").contains(": None") {
        fail("a member of the StartMigration output was left unparsed");
    }
    for (n, body) in &describe_bodies {
        let parsed = describe::deserialize_response(body).unwrap_or_else(|e| fail(&e.to_string()));
        if parsed
            .output
            .replication_groups
            .as_ref()
            .map_or(0, Vec::len)
            != *n
        {
            fail(&format!("n{n}: wrong number of groups"));
        }
        if parsed.output.marker != first_element(body, "Marker") {
            fail(&format!("n{n}: Marker differs from the fixture"));
        }
    }
    match start_migration::deserialize_error(404, &error_body) {
        StartMigrationError::ReplicationGroupNotFoundFault(fault)
            if fault.message == first_element(&error_body, "Message") => {}
        other => fail(&format!(
            "expected ReplicationGroupNotFoundFault, got {other:?}"
        )),
    }
    eprintln!("checks passed");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap_or_else(|e| fail(&e.to_string()));
    let start_client = client(200, &start_body);
    let error_client = client(404, &error_body);
    // The same checks through the client.
    let through_client = runtime
        .block_on(start_migration_call(&start_client))
        .unwrap_or_else(|e| fail(&e.to_string()));
    if through_client.replication_group != parsed.output.replication_group {
        fail("the client's StartMigration output differs from the parser's");
    }
    match runtime.block_on(start_migration_call(&error_client)) {
        Err(error)
            if matches!(
                error.as_service_error(),
                Some(StartMigrationError::ReplicationGroupNotFoundFault(_))
            ) => {}
        other => fail(&format!(
            "expected ReplicationGroupNotFoundFault, got {other:?}"
        )),
    }

    let mut cases: Vec<Case<'_>> = vec![Case {
        name: "start_migration",
        operation: "StartMigration",
        response_bytes: None,
        run: Box::new(|| {
            black_box(runtime.block_on(start_migration_call(&start_client)).ok());
        }),
    }];
    for (n, body) in &describe_bodies {
        let name: &'static str = match n {
            0 => "describe_replication_groups_n0",
            1 => "describe_replication_groups_n1",
            100 => "describe_replication_groups_n100",
            _ => "describe_replication_groups_n1000",
        };
        let describe_client = client(200, body);
        let runtime = &runtime;
        cases.push(Case {
            name,
            operation: "DescribeReplicationGroups",
            response_bytes: Some(body.len()),
            run: Box::new(move || {
                let call = describe_client.describe_replication_groups().send();
                black_box(runtime.block_on(call).ok());
            }),
        });
    }
    cases.push(Case {
        name: "start_migration_error_replication_group_not_found",
        operation: "StartMigration",
        response_bytes: None,
        run: Box::new(|| {
            let error = runtime.block_on(start_migration_call(&error_client));
            black_box(matches!(
                error.as_ref().err().and_then(SdkError::as_service_error),
                Some(StartMigrationError::ReplicationGroupNotFoundFault(_))
            ));
        }),
    });
    cases.push(Case {
        name: "start_migration_sans_io",
        operation: "StartMigration",
        response_bytes: None,
        run: Box::new(|| {
            black_box(start_migration::serialize_query_body(
                &start_migration_input(),
            ));
            black_box(start_migration::deserialize_response(black_box(&start_body)).ok());
        }),
    });
    // What hooks cost: a no-op interceptor on the client and another added per
    // call with `customize`, every hook point running.
    let hooks_client =
        elasticache::Client::from_conf(client_config(200, &start_body).interceptor(NoOp).build());
    let runtime_ref = &runtime;
    cases.push(Case {
        name: "start_migration_hooks",
        operation: "StartMigration",
        response_bytes: None,
        run: Box::new(move || {
            let call = start_migration_builder(&hooks_client)
                .customize(|c| c.interceptor(NoOp))
                .send();
            black_box(runtime_ref.block_on(call).ok());
        }),
    });
    // Extra cases: the pieces alone, and the raw quick-xml limit.
    cases.push(Case {
        name: "serialize_start_migration",
        operation: "StartMigration",
        response_bytes: None,
        run: Box::new(|| {
            black_box(start_migration::serialize_query_body(
                &start_migration_input(),
            ));
        }),
    });
    cases.push(Case {
        name: "parse_start_migration",
        operation: "StartMigration",
        response_bytes: Some(start_body.len()),
        run: Box::new(|| {
            black_box(start_migration::deserialize_response(black_box(&start_body)).ok());
        }),
    });
    let n1000 = &describe_bodies[3].1;
    cases.push(Case {
        name: "parse_describe_replication_groups_n1000",
        operation: "DescribeReplicationGroups",
        response_bytes: Some(n1000.len()),
        run: Box::new(|| {
            black_box(describe::deserialize_response(black_box(n1000)).ok());
        }),
    });
    cases.push(Case {
        name: "raw_quick_xml_n1000",
        operation: "DescribeReplicationGroups",
        response_bytes: Some(n1000.len()),
        run: Box::new(|| {
            black_box(raw_quick_xml(black_box(n1000)));
        }),
    });
    // Last: a subscriber, once made, makes every callsite ask it from then on.
    for (name, max) in [
        ("start_migration_traced_info", tracing::Level::INFO),
        ("start_migration_traced_debug", tracing::Level::DEBUG),
    ] {
        // Made on the first run: a dispatcher that merely exists already changes
        // what every callsite checks, so the cases before must not see it.
        let mut dispatch: Option<tracing::Dispatch> = None;
        let (runtime, start_client) = (&runtime, &start_client);
        cases.push(Case {
            name,
            operation: "StartMigration",
            response_bytes: None,
            run: Box::new(move || {
                let dispatch = dispatch.get_or_insert_with(|| tracing::Dispatch::new(Sink { max }));
                tracing::dispatcher::with_default(dispatch, || {
                    black_box(runtime.block_on(start_migration_call(start_client)).ok());
                });
            }),
        });
    }
    for case in &mut cases {
        if args
            .only
            .as_deref()
            .is_some_and(|only| !case.name.contains(only))
            || args.case.as_deref().is_some_and(|name| case.name != name)
        {
            continue;
        }
        eprintln!("measuring {}", case.name);
        measure(&args, case);
    }
}
