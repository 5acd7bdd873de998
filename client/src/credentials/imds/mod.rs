//! The EC2 instance metadata service (IMDSv2): a client, the instance role's
//! credentials and the instance's region.

mod client;
mod credentials;
mod error;
mod region;

pub use client::{ImdsClient, ImdsClientBuilder, ImdsEndpointMode};
pub use credentials::ImdsCredentialsProvider;
pub use error::{ImdsError, ImdsErrorKind};
pub use region::ImdsRegionProvider;
