//! Calls StartMigration and prints the result or the error.
//!
//! ```text
//! cargo run --example start_migration -- --replication-group-id my-rg \
//!     --node 10.0.0.1:6379 [--node 10.0.0.2:6380] [--endpoint-url http://127.0.0.1:5000] \
//!     [--region us-east-1] [--max-attempts 3] [--timeout-secs 30]
//! ```
//!
//! Credentials, region and endpoint also come from the environment and the shared
//! AWS config files (`AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, `AWS_REGION`,
//! `AWS_ENDPOINT_URL_ELASTICACHE`, …); the flags override them.

use std::process::ExitCode;
use std::time::Duration;

use elasticache::types::CustomerNodeEndpoint;

const USAGE: &str =
    "usage: start_migration --replication-group-id ID --node HOST:PORT [--node HOST:PORT ...] \
[--endpoint-url URL] [--region REGION] [--max-attempts N] [--timeout-secs S]";

struct Args {
    group: String,
    nodes: Vec<(String, i32)>,
    endpoint_url: Option<String>,
    region: Option<String>,
    max_attempts: Option<u32>,
    timeout: Duration,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut group = None;
    let mut nodes = Vec::new();
    let (mut endpoint_url, mut region, mut max_attempts) = (None, None, None);
    let mut timeout = Duration::from_secs(30);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--replication-group-id" => group = Some(value()?),
            "--node" => {
                let node = value()?;
                let (host, port) = node
                    .rsplit_once(':')
                    .ok_or(format!("--node {node:?} is not HOST:PORT"))?;
                let port = port
                    .parse()
                    .map_err(|_| format!("--node {node:?}: {port:?} is not a port"))?;
                nodes.push((host.to_owned(), port));
            }
            "--endpoint-url" => endpoint_url = Some(value()?),
            "--region" => region = Some(value()?),
            "--max-attempts" => {
                let n = value()?;
                max_attempts = Some(
                    n.parse()
                        .map_err(|_| format!("--max-attempts {n:?} is not a number"))?,
                );
            }
            "--timeout-secs" => {
                let s = value()?;
                timeout = Duration::from_secs(
                    s.parse()
                        .map_err(|_| format!("--timeout-secs {s:?} is not a number"))?,
                );
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let group = group.ok_or(format!("--replication-group-id is required\n{USAGE}"))?;
    if nodes.is_empty() {
        return Err(format!("at least one --node is required\n{USAGE}"));
    }
    Ok(Args {
        group,
        nodes,
        endpoint_url,
        region,
        max_attempts,
        timeout,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut config = match elasticache::Client::config_from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(url) = args.endpoint_url {
        config = config.endpoint_url(url);
    }
    if let Some(region) = args.region {
        config = config.region(region);
    }
    if let Some(attempts) = args.max_attempts {
        config = config.max_attempts(attempts);
    }
    let client = elasticache::Client::from_conf(config.operation_timeout(args.timeout).build());

    let mut call = client.start_migration().replication_group_id(args.group);
    for (address, port) in args.nodes {
        call = call.customer_node_endpoint_list(
            CustomerNodeEndpoint::builder()
                .address(address)
                .port(port)
                .build(),
        );
    }
    match call.send_with_metadata().await {
        Ok(response) => {
            println!(
                "request id: {}",
                response.request_id.as_deref().unwrap_or("(none)")
            );
            println!("{:#?}", response.output);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("StartMigration failed: {error}");
            ExitCode::FAILURE
        }
    }
}
