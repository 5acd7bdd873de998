//! The instance's region.

use super::client::{ImdsClient, DISABLED_VAR};
use super::error::ImdsErrorKind;
use crate::credentials::ProviderConfig;

const REGION_PATH: &str = "/latest/meta-data/placement/region";

/// The region of the EC2 instance, from `GET /latest/meta-data/placement/region`
/// (IMDSv2 only; see [`ImdsClient`]). The last place the AWS SDKs look for a
/// region, after code, `AWS_REGION`, `AWS_DEFAULT_REGION` and the profile.
#[derive(Debug, Clone)]
pub struct ImdsRegionProvider {
    client: ImdsClient,
}

impl ImdsRegionProvider {
    /// A provider with a client configured by `config`.
    pub fn new(config: &ProviderConfig) -> Self {
        Self::with_client(ImdsClient::new(config))
    }

    /// A provider asking through `client`.
    pub fn with_client(client: ImdsClient) -> Self {
        Self { client }
    }

    /// The region, or `None` when IMDS is disabled, unreachable or gives no
    /// usable answer (a `debug` or `warn` event says why).
    pub async fn region(&self) -> Option<String> {
        if self.client.is_disabled() {
            tracing::debug!("IMDS is disabled by {DISABLED_VAR}; no region from it");
            return None;
        }
        match self.client.get(REGION_PATH).await {
            Ok(body) => {
                let region = body.trim();
                // It goes into host names: accept only what a region can be.
                let valid = !region.is_empty()
                    && region
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if valid {
                    tracing::debug!(region, "region from IMDS");
                    Some(region.to_owned())
                } else {
                    tracing::warn!(
                        "IMDS's answer for the region is not a region name; ignoring it"
                    );
                    None
                }
            }
            // Not on EC2: expected, so quiet.
            Err(error) if error.kind() == ImdsErrorKind::Connect => {
                tracing::debug!(error = %error, "no region from IMDS");
                None
            }
            Err(error) => {
                tracing::warn!(error = %error, "no region from IMDS");
                None
            }
        }
    }
}

impl crate::config::ProvideRegion for ImdsRegionProvider {
    fn region(&self) -> crate::transport::BoxFuture<'_, Option<String>> {
        Box::pin(ImdsRegionProvider::region(self))
    }
}
