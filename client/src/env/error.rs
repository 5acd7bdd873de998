use std::fmt;
use std::path::{Path, PathBuf};

/// What kind of problem a [`ConfigError`] reports, for callers that react to some of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// A shared file exists but could not be read.
    Io,
    /// A shared file is not UTF-8, or has a line that is neither a section header,
    /// a property, a continuation nor a comment.
    Syntax,
    /// A setting has a value that cannot be used: a boolean other than `true` or
    /// `false`, an attempt count that is not a positive integer, an unknown retry mode.
    InvalidValue,
    /// The selected profile is in neither shared file.
    ProfileNotFound,
    /// A profile refers to a `[services name]` section that does not exist.
    MissingSection,
    /// A path starts with `~` but no home directory is known.
    NoHomeDirectory,
}

/// Why the configuration could not be loaded: the file and line, or the environment
/// variable, that is wrong and what is wrong with it.
///
/// `Display` says it all in one sentence. Neither `Display` nor `Debug` ever contains a
/// secret access key or a session token: values are quoted only for settings that are
/// not secret, and a syntax error names its line without repeating it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    kind: ConfigErrorKind,
    message: String,
    path: Option<PathBuf>,
    line: Option<usize>,
    variable: Option<String>,
    key: Option<String>,
}

impl ConfigError {
    pub(crate) fn new(kind: ConfigErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            path: None,
            line: None,
            variable: None,
            key: None,
        }
    }

    pub(crate) fn in_file(mut self, path: &Path, line: Option<usize>) -> Self {
        self.path = Some(path.to_path_buf());
        self.line = line;
        self
    }

    pub(crate) fn for_variable(mut self, name: &str) -> Self {
        self.variable = Some(name.to_owned());
        self
    }

    pub(crate) fn for_key(mut self, key: &str) -> Self {
        self.key = Some(key.to_owned());
        self
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ConfigErrorKind {
        self.kind
    }

    /// The shared file at fault, if the problem is in one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The 1-based line in [`path`](Self::path), if the problem is on one line.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The environment variable at fault, if the problem is in one.
    pub fn variable(&self) -> Option<&str> {
        self.variable.as_deref()
    }

    /// The profile key at fault (`max_attempts`, `aws_secret_access_key`, …), if any.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}
