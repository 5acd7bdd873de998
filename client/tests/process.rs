//! The credential_process provider with local shell commands.
#![cfg(unix)]

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use querygen_client::credentials::{
    CredentialsError, CredentialsErrorKind, ManualClock, ProcessCredentialsProvider,
    ProvideCredentials,
};
use support::Scratch;

const SECRET: &str = "SECRET-wJalrXUtnFEMI";
const SESSION: &str = "SESSION-IQoJb3JpZ2luX2Vj";

/// Writes `content` to `name` in `dir` and returns a command printing it.
fn cat(dir: &Scratch, name: &str, content: &str) -> String {
    format!("cat '{}'", dir.write(name, content).display())
}

async fn run(command: &str) -> Result<querygen_client::Credentials, CredentialsError> {
    ProcessCredentialsProvider::new(command)
        .provide_credentials()
        .await
}

fn assert_no_secret(text: &str) {
    for secret in [SECRET, SESSION] {
        assert!(!text.contains(secret), "{secret} leaked into: {text}");
    }
}

#[tokio::test]
async fn full_output_gives_temporary_credentials() {
    let dir = Scratch::new("process");
    let command = cat(
        &dir,
        "out.json",
        &format!(
            r#"{{"Version": 1, "AccessKeyId": "ASIAPROCESS", "SecretAccessKey": "{SECRET}",
                "SessionToken": "{SESSION}", "Expiration": "2040-01-01T00:00:00+00:00",
                "AccountId": "111122223333"}}"#
        ),
    );
    let provider = ProcessCredentialsProvider::new(&command);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAPROCESS");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(SESSION));
    assert_eq!(
        credentials.expiry(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(2_208_988_800))
    );
    assert_eq!(credentials.account_id(), Some("111122223333"));
    assert_eq!(
        credentials.source(),
        "credential_process `cat ** arguments redacted **`"
    );
    assert_eq!(provider.name(), "CredentialProcess");
    assert_no_secret(&format!("{credentials:?} {provider:?}"));
}

#[tokio::test]
async fn minimal_output_gives_credentials_that_never_expire() {
    let credentials = run(&format!(
        r#"printf '%s' '{{"version":1,"accesskeyid":"AKIAPROCESS","secretaccesskey":"{SECRET}"}}'"#
    ))
    .await
    .unwrap();
    assert_eq!(credentials.access_key_id(), "AKIAPROCESS");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), None);
    assert_eq!(credentials.expiry(), None);
    assert_eq!(credentials.account_id(), None);
}

#[tokio::test]
async fn output_that_is_not_one_json_object_is_an_error() {
    let dir = Scratch::new("process");
    for (name, output) in [
        (
            "truncated",
            format!(r#"{{"Version":1,"AccessKeyId":"A","SecretAccessKey":"{SECRET}""#),
        ),
        (
            "two",
            format!(r#"{{"Version":1}} {{"SecretAccessKey":"{SECRET}"}}"#),
        ),
        ("array", format!(r#"["{SECRET}"]"#)),
        ("empty", String::new()),
    ] {
        let error = run(&cat(&dir, name, &output)).await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderError, "{name}");
        assert!(error.to_string().contains("JSON"), "{name}: {error}");
        assert_no_secret(&format!("{error} {error:?}"));
    }
    let error = run(&cat(
        &dir,
        "no-secret",
        r#"{"Version":1,"AccessKeyId":"A"}"#,
    ))
    .await
    .unwrap_err();
    assert!(error.to_string().contains("`SecretAccessKey`"), "{error}");
}

#[tokio::test]
async fn version_must_be_the_number_one() {
    let dir = Scratch::new("process");
    for (name, version) in [
        ("missing", None),
        ("two", Some("2")),
        ("string", Some(r#""1""#)),
        ("float", Some("1.5")),
    ] {
        let version = version.map_or(String::new(), |v| format!(r#""Version":{v},"#));
        let command = cat(
            &dir,
            name,
            &format!(r#"{{{version}"AccessKeyId":"A","SecretAccessKey":"{SECRET}"}}"#),
        );
        let error = run(&command).await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderError, "{name}");
        assert!(error.to_string().contains("`Version`"), "{name}: {error}");
        assert_no_secret(&format!("{error} {error:?}"));
    }
}

#[tokio::test]
async fn a_failing_command_shows_its_stderr_but_never_its_stdout() {
    let error = run(&format!(
        r#"echo '{{"Version":1,"AccessKeyId":"A","SecretAccessKey":"{SECRET}"}}'; echo 'token expired: run login' >&2; exit 3"#
    ))
    .await
    .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
    let message = error.to_string();
    assert!(message.contains("exit status: 3"), "{message}");
    assert!(message.contains("token expired: run login"), "{message}");
    assert!(
        message.starts_with("credential_process `echo ** arguments redacted **`"),
        "{message}"
    );
    assert_no_secret(&format!("{message} {error:?}"));
}

#[tokio::test]
async fn a_long_stderr_is_cut() {
    let error = run("printf 'x%.0s' $(seq 1 2000) >&2; exit 1")
        .await
        .unwrap_err();
    let message = error.to_string();
    let xs = message.chars().filter(|c| *c == 'x').count();
    assert!((300..=310).contains(&xs), "{xs}: {message}");
    assert!(message.ends_with('…'), "{message}");
}

#[tokio::test]
async fn expired_credentials_are_an_error() {
    let dir = Scratch::new("process");
    let command = cat(
        &dir,
        "out.json",
        &format!(
            r#"{{"Version":1,"AccessKeyId":"A","SecretAccessKey":"{SECRET}","Expiration":"2020-05-02T18:36:00Z"}}"#
        ),
    );
    let error = run(&command).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
    assert!(
        error.to_string().contains("expired at 2020-05-02T18:36:00"),
        "{error}"
    );

    // The clock given decides.
    let command = cat(
        &dir,
        "later.json",
        &format!(
            r#"{{"Version":1,"AccessKeyId":"A","SecretAccessKey":"{SECRET}","Expiration":"2040-01-01T00:00:00Z"}}"#
        ),
    );
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(2_300_000_000));
    let error = ProcessCredentialsProvider::new(&command)
        .with_clock(Arc::new(clock.clone()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("expired at 2040-01-01T00:00:00"),
        "{error}"
    );
    clock.set(SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000));
    ProcessCredentialsProvider::new(&command)
        .with_clock(Arc::new(clock))
        .provide_credentials()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_command_past_its_timeout_is_killed() {
    let dir = Scratch::new("process");
    let pid_file = dir.path("pid");
    // `$$` is the shell we start; `exec` makes the sleep that same process.
    let command = format!("echo $$ > '{}'; exec sleep 30", pid_file.display());
    let started = Instant::now();
    let error = ProcessCredentialsProvider::new(&command)
        .with_timeout(Duration::from_millis(500))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.kind(), CredentialsErrorKind::TimedOut);
    assert!(error.to_string().contains("killed"), "{error}");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let alive = std::process::Command::new("kill")
        .args(["-0", pid.trim()])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(!alive, "process {} is still running", pid.trim());
}

#[tokio::test]
async fn the_account_id_falls_back_to_the_configured_one() {
    let dir = Scratch::new("process");
    let without = cat(
        &dir,
        "without.json",
        &format!(r#"{{"Version":1,"AccessKeyId":"A","SecretAccessKey":"{SECRET}"}}"#),
    );
    let credentials = ProcessCredentialsProvider::new(&without)
        .with_account_id("999988887777")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.account_id(), Some("999988887777"));
    let with = cat(
        &dir,
        "with.json",
        &format!(
            r#"{{"Version":1,"AccessKeyId":"A","SecretAccessKey":"{SECRET}","AccountId":"111122223333"}}"#
        ),
    );
    let credentials = ProcessCredentialsProvider::new(&with)
        .with_account_id("999988887777")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.account_id(), Some("111122223333"));
}

#[tokio::test]
async fn arguments_are_redacted_in_debug_and_messages() {
    let provider =
        ProcessCredentialsProvider::new("/opt/bin/fetch-creds --api-key hunter2 && false");
    let debug = format!("{provider:?}");
    assert!(
        debug.contains("/opt/bin/fetch-creds ** arguments redacted **"),
        "{debug}"
    );
    assert!(!debug.contains("hunter2"), "{debug}");
    assert_eq!(
        provider.redacted_command(),
        "/opt/bin/fetch-creds ** arguments redacted **"
    );
    let error = provider.provide_credentials().await.unwrap_err();
    assert!(!format!("{error} {error:?}").contains("hunter2"), "{error}");

    let error = run("false --password hunter2").await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`false ** arguments redacted **`"),
        "{error}"
    );
    assert!(!format!("{error} {error:?}").contains("hunter2"), "{error}");
}

#[tokio::test]
async fn stdin_is_empty() {
    // `cat` with no file reads stdin: null gives EOF at once, so it prints nothing.
    let error = ProcessCredentialsProvider::new("cat")
        .with_timeout(Duration::from_secs(5))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
    assert!(error.to_string().contains("JSON"), "{error}");
}
