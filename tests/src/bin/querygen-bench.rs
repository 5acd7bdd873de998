//! Benchmark of the generated ElastiCache crate, following the JSON-lines
//! contract of `../shared/bench` so `run_bench.sh` measures it in the same
//! run as `aws-sdk-elasticache` (see `cargo xtask bench`).
//!
//! Usage: querygen-bench --fixtures DIR [--measure-secs S] [--warmup-secs S] [--only SUBSTRING] [--samples]
//!
//! The anchor's cases (`start_migration`, `describe_replication_groups_n{0,1,100,1000}`,
//! `start_migration_error_replication_group_not_found`) time what this crate
//! does today for one call: build the input, serialize the body, parse the
//! response (or error), drop the result. SigV4 signing, endpoint resolution
//! and the HTTP layer arrive with the client; the anchor's numbers include
//! them (about 35 µs per call, from its n0 case). Extra cases time the
//! serializer and parser alone, and a raw quick-xml event loop over the same
//! bytes as the practical limit for any XML parser built on it.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use elasticache::operation::describe_replication_groups as describe;
use elasticache::operation::start_migration::{self, StartMigrationError, StartMigrationInput};

const IMPL: &str = "querygen";

struct Args {
    fixtures: PathBuf,
    measure: Duration,
    warmup: Duration,
    only: Option<String>,
    samples: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        fixtures: PathBuf::from("fixtures/generated"),
        measure: Duration::from_secs(3),
        warmup: Duration::from_millis(500),
        only: None,
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

    let mut cases: Vec<Case<'_>> = vec![Case {
        name: "start_migration",
        operation: "StartMigration",
        response_bytes: None,
        run: Box::new(|| {
            black_box(start_migration::serialize_query_body(
                &start_migration_input(),
            ));
            black_box(start_migration::deserialize_response(black_box(&start_body)).ok());
        }),
    }];
    for (n, body) in &describe_bodies {
        let name: &'static str = match n {
            0 => "describe_replication_groups_n0",
            1 => "describe_replication_groups_n1",
            100 => "describe_replication_groups_n100",
            _ => "describe_replication_groups_n1000",
        };
        cases.push(Case {
            name,
            operation: "DescribeReplicationGroups",
            response_bytes: Some(body.len()),
            run: Box::new(move || {
                let input = describe::DescribeReplicationGroupsInput::builder().build();
                black_box(describe::serialize_query_body(&input));
                black_box(describe::deserialize_response(black_box(body)).ok());
            }),
        });
    }
    cases.push(Case {
        name: "start_migration_error_replication_group_not_found",
        operation: "StartMigration",
        response_bytes: None,
        run: Box::new(|| {
            black_box(start_migration::serialize_query_body(
                &start_migration_input(),
            ));
            let error = start_migration::deserialize_error(404, black_box(&error_body));
            black_box(matches!(
                error,
                StartMigrationError::ReplicationGroupNotFoundFault(_)
            ));
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
    for case in &mut cases {
        if args
            .only
            .as_deref()
            .is_some_and(|only| !case.name.contains(only))
        {
            continue;
        }
        eprintln!("measuring {}", case.name);
        measure(&args, case);
    }
}
