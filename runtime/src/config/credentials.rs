use std::fmt;

/// AWS credentials: an access key id, its secret access key and, for temporary
/// credentials, a session token.
///
/// `Debug` prints the access key id and where the credentials came from, but never the
/// secret or the token (they print as [`crate::REDACTED`]). There is deliberately no
/// `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    source: String,
}

impl Credentials {
    /// Credentials given in code; their [`source`](Self::source) is `static`.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            source: "static".to_owned(),
        }
    }

    /// The same credentials, said to come from `source` (for error messages).
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }

    /// The access key id (`AKIA…`, `ASIA…`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// Where the credentials came from, for error messages: `static`,
    /// `environment variables`, or ``profile `dev` in /home/u/.aws/credentials``.
    pub fn source(&self) -> &str {
        &self.source
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &crate::REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| crate::REDACTED),
            )
            .field("source", &self.source)
            .finish()
    }
}
