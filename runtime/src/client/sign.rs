//! SigV4 request signing through `aws-sigv4`, the signer the AWS SDK for Rust uses.

use std::time::SystemTime;

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use crate::config::Credentials;

/// Credentials in the form the signer takes, made once per client.
#[derive(Clone)]
pub struct Signer {
    identity: Identity,
    region: String,
    service: &'static str,
}

impl std::fmt::Debug for Signer {
    // Only what is safe to log: no key material.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer for `service` (the SigV4 signing name) in `region`.
    pub fn new(
        credentials: &Credentials,
        region: impl Into<String>,
        service: &'static str,
    ) -> Self {
        let credentials = aws_credential_types::Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key(),
            credentials.session_token().map(str::to_owned),
            None,
            "querygen",
        );
        Self {
            identity: credentials.into(),
            region: region.into(),
            service,
        }
    }

    /// Adds `x-amz-date`, `authorization` and, with a session token,
    /// `x-amz-security-token` to `request`, signed for `time`.
    pub fn sign(
        &self,
        request: &mut http::Request<Vec<u8>>,
        time: SystemTime,
    ) -> Result<(), String> {
        let params = v4::SigningParams::builder()
            .identity(&self.identity)
            .region(&self.region)
            .name(self.service)
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| format!("cannot sign the request: {e}"))?
            .into();
        let uri = request.uri().to_string();
        let headers = request
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)));
        let signable = SignableRequest::new(
            request.method().as_str(),
            &uri,
            headers,
            SignableBody::Bytes(request.body()),
        )
        .map_err(|e| format!("cannot sign the request: {e}"))?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| format!("cannot sign the request: {e}"))?
            .into_parts();
        instructions.apply_to_request_http1x(request);
        Ok(())
    }
}
