//! Client configuration from the environment and the shared AWS `config` and
//! `credentials` files, as the AWS SDKs read them. [`profile`] parses the files.

mod env;
mod error;
pub mod profile;

pub use env::Env;
pub use error::{ConfigError, ConfigErrorKind};
