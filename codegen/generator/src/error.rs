//! The one error type of the generator.
//!
//! Every failure names where it happened (the model's source name, the shape
//! id when there is one) and why, so a maintainer can fix a bad model without
//! reading generator code.

use std::fmt;

/// A generator failure: a bad model, a naming conflict, or an unsupported
/// construct. Never a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Where the model came from (a file name, or a label for in-memory text).
    pub source: Option<String>,
    /// The shape (or member, `ns#Shape$member`) the problem is about.
    pub shape: Option<String>,
    /// What is wrong, as one sentence.
    pub reason: String,
}

/// Result alias used throughout the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error that is about the model as a whole.
    pub fn model(reason: impl Into<String>) -> Self {
        Self {
            source: None,
            shape: None,
            reason: reason.into(),
        }
    }

    /// An error about one shape or member.
    pub fn shape(shape: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            source: None,
            shape: Some(shape.into()),
            reason: reason.into(),
        }
    }

    /// Attaches the model's source name unless one is already set.
    pub fn in_source(mut self, source: &str) -> Self {
        if self.source.is_none() {
            self.source = Some(source.to_owned());
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(source) = &self.source {
            write!(f, "{source}: ")?;
        }
        if let Some(shape) = &self.shape {
            write!(f, "shape `{shape}`: ")?;
        }
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Error {}
