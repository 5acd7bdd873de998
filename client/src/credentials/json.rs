//! Reading the JSON documents that metadata endpoints, processes and the SSO
//! portal answer with. Messages name fields, never their values.

use std::time::SystemTime;

use serde_json::{Map, Value};

use super::CredentialsError;

/// A JSON object, with `what` naming its origin in errors (`the container endpoint's answer`).
pub(crate) struct Document<'a> {
    what: &'a str,
    object: Map<String, Value>,
}

impl<'a> Document<'a> {
    /// Parses `body` as one JSON object.
    pub(crate) fn parse(what: &'a str, body: &[u8]) -> Result<Self, CredentialsError> {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(object)) => Ok(Self { what, object }),
            Ok(_) => Err(CredentialsError::provider_error(format!(
                "{what} is JSON but not an object"
            ))),
            // serde_json's message says where (line, column) and what kind of error,
            // never the text it read.
            Err(e) => Err(CredentialsError::provider_error(format!(
                "{what} is not valid JSON: {e}"
            ))),
        }
    }

    /// The object member `key` (matched exactly, else ignoring ASCII case).
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.object.get(key).or_else(|| {
            self.object
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        })
    }

    /// A member that is an object, as a document of its own.
    pub(crate) fn object(&self, key: &str) -> Result<Document<'a>, CredentialsError> {
        match self.get(key) {
            Some(Value::Object(object)) => Ok(Document {
                what: self.what,
                object: object.clone(),
            }),
            Some(_) => Err(self.wrong(key, "an object")),
            None => Err(self.missing(key)),
        }
    }

    /// A string member that must be there and not be empty.
    pub(crate) fn string(&self, key: &str) -> Result<String, CredentialsError> {
        self.optional_string(key)?.ok_or_else(|| self.missing(key))
    }

    /// A string member that may be absent (or `null`); an empty string counts as absent.
    pub(crate) fn optional_string(&self, key: &str) -> Result<Option<String>, CredentialsError> {
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.wrong(key, "a string")),
        }
    }

    /// An optional RFC 3339 timestamp (`2026-12-01T12:00:00Z`, offsets allowed).
    pub(crate) fn optional_rfc3339(
        &self,
        key: &str,
    ) -> Result<Option<SystemTime>, CredentialsError> {
        let Some(text) = self.optional_string(key)? else {
            return Ok(None);
        };
        let parsed = querygen_runtime::DateTime::parse_rfc3339(&text)
            .and_then(system_time)
            .ok_or_else(|| self.wrong(key, "an RFC 3339 timestamp"))?;
        Ok(Some(parsed))
    }

    /// An integer member that must be there (a JSON number without a fraction that
    /// fits an `i64`, such as epoch milliseconds).
    pub(crate) fn integer(&self, key: &str) -> Result<i64, CredentialsError> {
        match self.get(key) {
            None | Some(Value::Null) => Err(self.missing(key)),
            Some(Value::Number(n)) => n.as_i64().ok_or_else(|| self.wrong(key, "an integer")),
            Some(_) => Err(self.wrong(key, "an integer")),
        }
    }

    /// The member `key` is missing or empty.
    pub(crate) fn missing(&self, key: &str) -> CredentialsError {
        CredentialsError::provider_error(format!("{} has no `{key}`", self.what))
    }

    /// The member `key` is not `expected`.
    pub(crate) fn wrong(&self, key: &str, expected: &str) -> CredentialsError {
        CredentialsError::provider_error(format!("`{key}` in {} is not {expected}", self.what))
    }
}

/// A timestamp as a `SystemTime`; `None` before 1970.
pub(crate) fn system_time(time: querygen_runtime::DateTime) -> Option<SystemTime> {
    let seconds = u64::try_from(time.secs()).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(
        std::time::Duration::from_secs(seconds)
            + std::time::Duration::from_nanos(u64::from(time.subsec_nanos())),
    )
}
