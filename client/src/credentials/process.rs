//! Credentials printed by a `credential_process` command.

use std::fmt;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::Command;

use super::json::Document;
use super::{
    rfc3339, Clock, Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture,
    ProvideCredentials, SystemClock,
};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Credentials are a few hundred bytes; more than this is not a credentials document.
const MAX_STDOUT_BYTES: usize = 1 << 20;
/// Enough stderr for the excerpt; the rest is read and dropped so the child never blocks.
const MAX_STDERR_BYTES: usize = 4096;
const STDERR_EXCERPT_CHARS: usize = 300;

/// Credentials from a command, as the `credential_process` setting of a
/// profile names it.
///
/// The command runs through the shell (`sh -c` on Unix, `cmd.exe /C` on
/// Windows), so shell syntax applies; stdin is empty, stdout must be one JSON
/// object:
///
/// ```json
/// {"Version": 1, "AccessKeyId": "ASIA…", "SecretAccessKey": "…",
///  "SessionToken": "…", "Expiration": "2026-05-02T18:36:00Z", "AccountId": "123456789012"}
/// ```
///
/// `Version` must be the number 1; `SessionToken`, `Expiration` (RFC 3339;
/// absent: the credentials never expire) and `AccountId` are optional, the
/// latter falling back to [`with_account_id`](Self::with_account_id). A
/// non-zero exit is an error quoting the start of stderr (never stdout: it holds
/// the secrets); so is an `Expiration` already past.
///
/// Messages and `Debug` show only the command's first word and
/// `** arguments redacted **`: arguments may hold secrets.
///
/// Unlike the AWS SDK for Rust, which sets no timeout of its own and leaves an
/// abandoned child running, the command gets 60 s by default
/// ([`with_timeout`](Self::with_timeout)); past that it is killed (the process
/// started, which is the command itself when the shell replaces itself with it,
/// as it does for a simple command) and the call fails with
/// [`TimedOut`](CredentialsErrorKind::TimedOut).
#[derive(Clone)]
pub struct ProcessCredentialsProvider {
    command: String,
    timeout: Duration,
    account_id: Option<String>,
    clock: Arc<dyn Clock>,
}

impl ProcessCredentialsProvider {
    /// Runs `command` (a shell command line) on every call.
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
            timeout: DEFAULT_TIMEOUT,
            account_id: None,
            clock: Arc::new(SystemClock),
        }
    }

    /// Kills the command and fails if it runs longer than `timeout` (default 60 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The account of the credentials when the command does not say
    /// (`AccountId`): the profile's `aws_account_id`.
    pub fn with_account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// Reads the time from `clock` to tell expired credentials (default: the
    /// system clock; pass a [`ProviderConfig`](super::ProviderConfig)'s `clock()`).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The command as messages show it: its first word, then
    /// `** arguments redacted **` if there is more.
    pub fn redacted_command(&self) -> String {
        redact(&self.command)
    }

    /// Runs the command now and reads its credentials.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let shown = self.redacted_command();
        let stdout = self.run(&shown).await?;
        self.parse(&stdout, &shown)
    }

    async fn run(&self, shown: &str) -> Result<Vec<u8>, CredentialsError> {
        let mut command = shell(&self.command);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().map_err(|e| {
            CredentialsError::provider_error(format!(
                "credential_process `{shown}` could not be started"
            ))
            .with_source(e)
        })?;
        // Both pipes are drained while the child runs, so it never blocks on a full one.
        let mut stdout = tokio::spawn(read_capped(child.stdout.take(), MAX_STDOUT_BYTES));
        let mut stderr = tokio::spawn(read_capped(child.stderr.take(), MAX_STDERR_BYTES));
        let finished = tokio::time::timeout(self.timeout, async {
            let status = child.wait().await;
            (
                status,
                joined((&mut stdout).await),
                joined((&mut stderr).await),
            )
        })
        .await;
        let Ok((status, stdout, stderr)) = finished else {
            // Kill and reap now rather than leave it to `kill_on_drop`, so the
            // process is gone when the error is returned.
            stdout.abort();
            stderr.abort();
            let _ = child.start_kill();
            let _ = child.wait().await;
            return Err(CredentialsError::new(
                CredentialsErrorKind::TimedOut,
                format!(
                    "credential_process `{shown}` did not finish within {:?} and was killed",
                    self.timeout
                ),
            ));
        };
        let io_error = |e: std::io::Error| {
            CredentialsError::provider_error(format!(
                "cannot read from credential_process `{shown}`"
            ))
            .with_source(e)
        };
        let status = status.map_err(io_error)?;
        let (stderr, _) = stderr.map_err(io_error)?;
        if !status.success() {
            let excerpt = excerpt(&stderr);
            let stderr = if excerpt.is_empty() {
                " and printed nothing on stderr".to_owned()
            } else {
                format!("; stderr: {excerpt}")
            };
            return Err(CredentialsError::provider_error(format!(
                "credential_process `{shown}` failed ({status}){stderr}"
            )));
        }
        let (stdout, complete) = stdout.map_err(io_error)?;
        if !complete {
            return Err(CredentialsError::provider_error(format!(
                "credential_process `{shown}` printed more than {MAX_STDOUT_BYTES} bytes"
            )));
        }
        Ok(stdout)
    }

    fn parse(&self, stdout: &[u8], shown: &str) -> Result<Credentials, CredentialsError> {
        let what = format!("the output of credential_process `{shown}`");
        let document = Document::parse(&what, stdout)?;
        match document.get("Version") {
            Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
            Some(Value::Number(n)) => {
                return Err(CredentialsError::provider_error(format!(
                    "`Version` in {what} is {n}; only version 1 is supported"
                )))
            }
            Some(_) => return Err(document.wrong("Version", "the number 1")),
            None => return Err(document.missing("Version")),
        }
        let access_key_id = document.string("AccessKeyId")?;
        let secret_access_key = document.string("SecretAccessKey")?;
        let session_token = document.optional_string("SessionToken")?;
        let expiry = document.optional_rfc3339("Expiration")?;
        let account_id = document
            .optional_string("AccountId")?
            .or_else(|| self.account_id.clone());
        if let Some(expiry) = expiry {
            let now = self.clock.now();
            if expiry <= now {
                return Err(CredentialsError::provider_error(format!(
                    "the credentials from credential_process `{shown}` expired at {} (now {})",
                    rfc3339(expiry),
                    rfc3339(now)
                )));
            }
        }
        let mut credentials = Credentials::new(access_key_id, secret_access_key, session_token)
            .with_expiry_opt(expiry)
            .with_source(format!("credential_process `{shown}`"));
        if let Some(account_id) = account_id {
            credentials = credentials.with_account_id(account_id);
        }
        Ok(credentials)
    }
}

impl fmt::Debug for ProcessCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessCredentialsProvider")
            .field("command", &self.redacted_command())
            .field("timeout", &self.timeout)
            .field("account_id", &self.account_id)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for ProcessCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }

    fn name(&self) -> &str {
        "CredentialProcess"
    }
}

#[cfg(windows)]
fn shell(command: &str) -> Command {
    let mut shell = Command::new("cmd.exe");
    shell.args(["/C", command]);
    shell
}

#[cfg(not(windows))]
fn shell(command: &str) -> Command {
    let mut shell = Command::new("sh");
    shell.args(["-c", command]);
    shell
}

/// The first word, then a marker if anything follows. A first word that sets a
/// variable (`KEY=value tool`) is hidden too.
fn redact(command: &str) -> String {
    let command = command.trim();
    let (first, rest) = command
        .split_once(char::is_whitespace)
        .unwrap_or((command, ""));
    let first = if first.contains('=') {
        "** command redacted **"
    } else {
        first
    };
    if rest.trim().is_empty() {
        first.to_owned()
    } else {
        format!("{first} ** arguments redacted **")
    }
}

/// Up to `cap` bytes of `reader`, and whether that was all; reads to the end either way.
async fn read_capped(
    reader: Option<impl AsyncRead + Unpin>,
    cap: usize,
) -> std::io::Result<(Vec<u8>, bool)> {
    let mut kept = Vec::new();
    let mut complete = true;
    let Some(mut reader) = reader else {
        return Ok((kept, complete));
    };
    let mut buffer = [0u8; 8192];
    loop {
        let read = reader.read(&mut buffer).await?;
        if read == 0 {
            return Ok((kept, complete));
        }
        let room = cap.saturating_sub(kept.len());
        if read > room {
            complete = false;
        }
        kept.extend(buffer.iter().take(read.min(room)));
    }
}

/// A reading task's result; a task that panicked or was cancelled counts as an I/O error.
fn joined<T>(result: Result<std::io::Result<T>, tokio::task::JoinError>) -> std::io::Result<T> {
    result.unwrap_or_else(|e| Err(std::io::Error::other(e)))
}

/// The start of stderr, trimmed, cut on a character boundary.
fn excerpt(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let text = text.trim();
    let mut chars = text.chars();
    let mut excerpt: String = chars.by_ref().take(STDERR_EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        excerpt.push('…');
    }
    excerpt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_the_first_word_only() {
        assert_eq!(redact("tool"), "tool");
        assert_eq!(redact("  /bin/tool  "), "/bin/tool");
        assert_eq!(
            redact("/bin/tool --key s3cret"),
            "/bin/tool ** arguments redacted **"
        );
        assert_eq!(
            redact("TOKEN=s3cret tool"),
            "** command redacted ** ** arguments redacted **"
        );
    }

    #[test]
    fn the_excerpt_is_cut_on_a_character_boundary() {
        let long = "é".repeat(400);
        let cut = excerpt(long.as_bytes());
        assert_eq!(cut.chars().count(), STDERR_EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(b"  short\n"), "short");
    }

    #[tokio::test]
    async fn reading_stops_keeping_at_the_cap_but_drains() {
        let data = vec![7u8; 20_000];
        let (kept, complete) = read_capped(Some(&data[..]), 100).await.unwrap();
        assert_eq!((kept.len(), complete), (100, false));
        let (kept, complete) = read_capped(Some(&data[..]), 20_000).await.unwrap();
        assert_eq!((kept.len(), complete), (20_000, true));
    }
}
