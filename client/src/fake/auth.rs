//! What the fakes check of a request's SigV4 signature: its shape always, the
//! signature itself when they are given a key.

use std::fmt;
use std::time::SystemTime;

use aws_sigv4::sign::v4;
use sha2::{Digest, Sha256};

/// How a fake authenticates requests.
///
/// [`Auth::Shape`] (the default) accepts any key but checks that the request is
/// signed as SigV4 says: an `Authorization` header
/// `AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request,
/// SignedHeaders=…, Signature=<64 hex digits>` whose scope names the service's
/// signing name and whose date is the `x-amz-date` header's, with `host` and
/// `x-amz-date` among the signed headers. [`Auth::Verify`] also recomputes the
/// signature with the given secret and rejects a mismatch, as the service does.
#[derive(Clone, Default)]
pub enum Auth {
    /// Any key; the signature's shape is checked.
    #[default]
    Shape,
    /// Only this key, with a signature that matches.
    Verify {
        /// The access key id requests must be signed with.
        access_key_id: String,
        /// Its secret (never printed).
        secret_access_key: String,
    },
}

impl Auth {
    /// [`Auth::Verify`] with this key pair.
    pub fn verify(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Self::Verify {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Shape => f.write_str("Shape"),
            Self::Verify { access_key_id, .. } => f
                .debug_struct("Verify")
                .field("access_key_id", access_key_id)
                .field("secret_access_key", &querygen_runtime::REDACTED)
                .finish(),
        }
    }
}

/// Why a request was turned away: the status and code the service answers with.
#[derive(Debug)]
pub(crate) struct Rejection {
    pub(crate) status: u16,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

fn incomplete(message: impl Into<String>) -> Rejection {
    Rejection {
        status: 400,
        code: "IncompleteSignature",
        message: message.into(),
    }
}

/// The parts of an `Authorization` header.
struct Parsed<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Parsed<'_>, Rejection> {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or_else(|| incomplete("the Authorization header is not AWS4-HMAC-SHA256"))?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',').map(str::trim) {
        // Not echoed: a malformed part may be (part of) a signature.
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| incomplete("an Authorization component is not name=value"))?;
        let slot = match name {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut signature,
            other => {
                return Err(incomplete(format!(
                    "unknown Authorization component {other:?}"
                )))
            }
        };
        if slot.replace(value).is_some() {
            return Err(incomplete(format!(
                "Authorization component {name} given twice"
            )));
        }
    }
    let missing = |name: &str| incomplete(format!("the Authorization header has no {name}"));
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, "aws4_request"] = scope.as_slice() else {
        return Err(incomplete(
            "Credential is not <key>/<yyyymmdd>/<region>/<service>/aws4_request",
        ));
    };
    if access_key_id.is_empty() || region.is_empty() {
        return Err(incomplete("Credential has an empty key or region"));
    }
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(incomplete("the Credential's date is not yyyymmdd"));
    }
    if signature.len() != 64
        || !signature
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(incomplete("Signature is not 64 lower-case hex digits"));
    }
    let signed_headers: Vec<&str> = signed.split(';').collect();
    let sorted = signed_headers
        .windows(2)
        .all(|pair| matches!(pair, [a, b] if a < b));
    if !sorted
        || signed_headers
            .iter()
            .any(|h| h.is_empty() || h.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return Err(incomplete(
            "SignedHeaders is not a sorted list of lower-case names",
        ));
    }
    for required in ["host", "x-amz-date"] {
        if !signed_headers.contains(&required) {
            return Err(incomplete(format!(
                "SignedHeaders does not include {required}"
            )));
        }
    }
    Ok(Parsed {
        access_key_id,
        date,
        region,
        service,
        signed_headers,
        signature,
    })
}

impl Auth {
    /// Checks `request` against this policy, for the service signed as `signing_name`.
    pub(crate) fn check<B: AsRef<[u8]>>(
        &self,
        request: &http::Request<B>,
        signing_name: &str,
    ) -> Result<(), Rejection> {
        let headers = request.headers();
        let Some(authorization) = headers.get(http::header::AUTHORIZATION) else {
            return Err(Rejection {
                status: 403,
                code: "MissingAuthenticationToken",
                message: "Request is missing Authentication Token".into(),
            });
        };
        let authorization = authorization
            .to_str()
            .map_err(|_| incomplete("the Authorization header is not ASCII"))?;
        let parsed = parse_authorization(authorization)?;
        let amz_date = headers
            .get("x-amz-date")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| incomplete("the request has no x-amz-date header"))?;
        let time = parse_amz_date(amz_date)
            .ok_or_else(|| incomplete("x-amz-date is not yyyymmddThhmmssZ"))?;
        if !amz_date.starts_with(parsed.date) {
            return Err(incomplete("the Credential's date is not the x-amz-date's"));
        }
        if parsed.service != signing_name {
            return Err(incomplete(format!(
                "the Credential's scope names service {:?}, expected {signing_name:?}",
                parsed.service
            )));
        }
        let Self::Verify {
            access_key_id,
            secret_access_key,
        } = self
        else {
            return Ok(());
        };
        if parsed.access_key_id != access_key_id {
            return Err(Rejection {
                status: 403,
                code: "InvalidClientTokenId",
                message: "The security token included in the request is invalid.".into(),
            });
        }
        let canonical = canonical_request(request, &parsed.signed_headers)?;
        let scope = format!(
            "{}/{}/{}/aws4_request",
            parsed.date, parsed.region, parsed.service
        );
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
            hex(&Sha256::digest(canonical.as_bytes()))
        );
        let key = v4::generate_signing_key(secret_access_key, time, parsed.region, parsed.service);
        let expected = v4::calculate_signature(key, string_to_sign.as_bytes());
        if expected != parsed.signature {
            return Err(Rejection {
                status: 403,
                code: "SignatureDoesNotMatch",
                message:
                    "The request signature we calculated does not match the signature you provided."
                        .into(),
            });
        }
        Ok(())
    }
}

/// The canonical request over the headers the client says it signed.
fn canonical_request<B: AsRef<[u8]>>(
    request: &http::Request<B>,
    signed_headers: &[&str],
) -> Result<String, Rejection> {
    let uri = request.uri();
    let mut text = String::with_capacity(512);
    text.push_str(request.method().as_str());
    text.push('\n');
    text.push_str(if uri.path().is_empty() {
        "/"
    } else {
        uri.path()
    });
    text.push('\n');
    let mut pairs: Vec<(&str, &str)> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    pairs.sort_unstable();
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    text.push_str(&query.join("&"));
    text.push('\n');
    for name in signed_headers {
        let values: Vec<&str> = request
            .headers()
            .get_all(*name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let value = if values.is_empty() && *name == "host" {
            // An in-process request carries its host in the URI only (hyper adds the header).
            host_of(uri).ok_or_else(|| incomplete("the request names no host"))?
        } else if values.is_empty() {
            return Err(incomplete(format!("signed header {name} is missing")));
        } else {
            values
                .iter()
                .map(|v| fold_spaces(v))
                .collect::<Vec<_>>()
                .join(",")
        };
        text.push_str(name);
        text.push(':');
        text.push_str(&value);
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&signed_headers.join(";"));
    text.push('\n');
    text.push_str(&hex(&Sha256::digest(request.body().as_ref())));
    Ok(text)
}

/// The `host` header a client would send for `uri`: the port only when not the scheme's default.
fn host_of(uri: &http::Uri) -> Option<String> {
    let authority = uri.authority()?;
    let default = matches!(
        (uri.scheme_str(), authority.port_u16()),
        (_, None) | (Some("https"), Some(443)) | (Some("http"), Some(80))
    );
    Some(if default {
        authority.host().to_owned()
    } else {
        authority.as_str().to_owned()
    })
}

/// Trims spaces at both ends and folds runs inside to one, as SigV4 canonicalises values.
fn fold_spaces(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `yyyymmddThhmmssZ` as a time.
fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        text.get(0..4)?,
        text.get(4..6)?,
        text.get(6..8)?,
        text.get(9..11)?,
        text.get(11..13)?,
        text.get(13..15)?
    );
    SystemTime::try_from(querygen_runtime::DateTime::parse_rfc3339(&rfc3339)?).ok()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_parts_of_an_authorization_header() {
        let parsed = parse_authorization(
            "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/elasticache/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        )
        .unwrap();
        assert_eq!(parsed.access_key_id, "AKID");
        assert_eq!(parsed.region, "us-east-1");
        assert_eq!(
            parsed.signed_headers,
            ["content-type", "host", "x-amz-date"]
        );
    }

    #[test]
    fn rejects_headers_of_the_wrong_shape() {
        let good_sig = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        for (bad, why) in [
            ("Basic abc".to_owned(), "not AWS4-HMAC-SHA256"),
            (format!("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/elasticache/aws4_request, SignedHeaders=host;x-amz-date, Signature {good_sig}"), "not name=value"),
            (format!("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/elasticache/aws4_request, Signature={good_sig}"), "no SignedHeaders"),
            (format!("AWS4-HMAC-SHA256 Credential=AKID/2026-01-01/us-east-1/elasticache/aws4_request, SignedHeaders=host;x-amz-date, Signature={good_sig}"), "date is not yyyymmdd"),
            ("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/elasticache/aws4_request, SignedHeaders=host;x-amz-date, Signature=XYZ".to_owned(), "64 lower-case hex"),
            (format!("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/elasticache/aws4_request, SignedHeaders=x-amz-date;host, Signature={good_sig}"), "sorted"),
            (format!("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/elasticache/aws4_request, SignedHeaders=content-type;x-amz-date, Signature={good_sig}"), "include host"),
            (format!("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/elasticache, SignedHeaders=host;x-amz-date, Signature={good_sig}"), "aws4_request"),
        ] {
            let rejection = parse_authorization(&bad).err().unwrap_or_else(|| panic!("{bad} was accepted"));
            assert_eq!(rejection.code, "IncompleteSignature");
            assert!(!rejection.message.contains(good_sig), "a signature is echoed: {}", rejection.message);
            assert!(rejection.message.contains(why), "{bad}: {}", rejection.message);
        }
    }

    #[test]
    fn the_secret_never_shows_in_debug() {
        let auth = Auth::verify("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG");
        let printed = format!("{auth:?}");
        assert!(printed.contains("AKIDEXAMPLE"));
        assert!(!printed.contains("wJalrXUtnFEMI"), "{printed}");
    }

    #[test]
    fn reads_amz_dates() {
        let time = parse_amz_date("20150830T123600Z").unwrap();
        assert_eq!(
            querygen_runtime::DateTime::from(time).to_rfc3339_micros(),
            "2015-08-30T12:36:00Z"
        );
        assert!(parse_amz_date("20150830 123600Z").is_none());
        assert!(parse_amz_date("2015083").is_none());
    }
}
