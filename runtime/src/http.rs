//! The sans-IO HTTP layer of awsQuery: a serialized body and a resolved
//! endpoint become an [`http::Request`]; the caller's HTTP stack sends it.

use std::fmt;

pub use http::{Request, Response};

/// Media type of every awsQuery request body.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Why a request could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    reason: String,
}

impl RequestError {
    fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for RequestError {}

/// A host label for a `{label}` in a host prefix: 1 to 63 characters of
/// `A-Z a-z 0-9 -`, not starting with `-` (the rules engine's `isValidHostLabel`).
pub fn check_host_label(member: &str, value: &str) -> Result<(), RequestError> {
    let valid = !value.is_empty()
        && value.len() <= 63
        && !value.starts_with('-')
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if valid {
        Ok(())
    } else {
        Err(RequestError::new(format!(
            "`{member}` is {value:?}, which is not a valid host label"
        )))
    }
}

/// `POST` of `body` to `endpoint` (`https://host[:port][/path]`): the endpoint's path
/// gets a trailing `/`, `host_prefix` (already expanded) goes before the host, and the
/// request carries `content-type` and `content-length`. The `host` header is left to the
/// HTTP client, which derives it from the URI.
pub fn query_request(
    endpoint: &str,
    host_prefix: Option<&str>,
    body: String,
) -> Result<Request<Vec<u8>>, RequestError> {
    let (scheme, rest) = endpoint
        .split_once("://")
        .ok_or_else(|| RequestError::new(format!("endpoint {endpoint:?} has no scheme")))?;
    if scheme != "https" && scheme != "http" {
        return Err(RequestError::new(format!(
            "endpoint {endpoint:?} is neither http nor https"
        )));
    }
    if rest.contains(['?', '#']) {
        return Err(RequestError::new(format!(
            "endpoint {endpoint:?} may not carry a query or fragment"
        )));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return Err(RequestError::new(format!(
            "endpoint {endpoint:?} has no host"
        )));
    }
    let path = if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    };
    let uri = format!("{scheme}://{}{authority}{path}", host_prefix.unwrap_or(""));
    let length = body.len();
    Request::builder()
        .method(http::Method::POST)
        .uri(&uri)
        .header(http::header::CONTENT_TYPE, CONTENT_TYPE)
        .header(http::header::CONTENT_LENGTH, length)
        .body(body.into_bytes())
        .map_err(|e| RequestError::new(format!("cannot build a request for {uri:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_post_requests_with_the_endpoint_path() {
        let request =
            query_request("https://example.com", None, "Action=A&Version=1".into()).unwrap();
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(request.uri(), "https://example.com/");
        assert_eq!(request.headers()["content-type"], CONTENT_TYPE);
        assert_eq!(request.headers()["content-length"], "18");
        assert_eq!(request.body(), b"Action=A&Version=1");
        let custom =
            query_request("https://example.com/custom", Some("foo."), String::new()).unwrap();
        assert_eq!(custom.uri(), "https://foo.example.com/custom/");
        assert_eq!(custom.uri().path(), "/custom/");
        for bad in [
            "example.com",
            "ftp://example.com",
            "https://",
            "https://example.com/?q=1",
        ] {
            assert!(query_request(bad, None, String::new()).is_err(), "{bad}");
        }
    }

    #[test]
    fn host_labels_are_checked() {
        assert!(check_host_label("Label", "bar").is_ok());
        for bad in ["", "-bar", "a.b", "a b", &"x".repeat(64)] {
            assert!(check_host_label("Label", bad).is_err(), "{bad}");
        }
    }
}
