//! What the process gives the client to read: environment variables, the home
//! directory, and the shared AWS `config` and `credentials` files.
//!
//! This is the bottom layer: settings and credential providers read through it,
//! and it depends on neither.

mod error;
pub mod profile;
mod vars;

pub use error::{ConfigError, ConfigErrorKind};
pub use vars::Env;
