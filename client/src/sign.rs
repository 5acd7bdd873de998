//! SigV4 request signing through `aws-sigv4`, the signer the AWS SDK for Rust uses.
//!
//! Every awsQuery request has the same simple shape: a POST to the path `/` with no
//! query string, a form body and a handful of headers. For that shape the canonical
//! request is short and fixed in form, so [`Signer`] writes it itself and lets
//! `aws-sigv4` do the cryptography (`generate_signing_key`, `calculate_signature`),
//! keeping the derived signing key for the day instead of deriving it on every call
//! (four HMACs). Any other request (a path or query from an endpoint override,
//! repeated or non-ASCII header values, a `host` header) goes through `aws-sigv4`'s
//! general `http_request::sign`. The unit tests check that both give the same
//! headers, byte for byte, over a grid of requests; `tests/tests/sigv4.rs` checks
//! the result against botocore.

use std::sync::Mutex;
use std::time::SystemTime;

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use std::sync::Arc;

use aws_smithy_runtime_api::client::identity::Identity;
use sha2::{Digest, Sha256};

use crate::identity::Credentials;

/// Headers `aws-sigv4` leaves out of the signature by default (proxies may change them).
const UNSIGNED: [&str; 4] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
];

/// Signs requests for one service in one region, made once per client.
pub struct Signer {
    region: String,
    service: &'static str,
    /// The signing key of one UTC day, derived from one secret.
    day_key: Mutex<Option<DayKey>>,
}

/// A derived signing key, with what it was derived from.
struct DayKey {
    /// `YYYYMMDD`
    date: String,
    credentials: Arc<Credentials>,
    key: Vec<u8>,
}

impl DayKey {
    fn fits(&self, date: &str, credentials: &Arc<Credentials>) -> bool {
        self.date == date
            && (Arc::ptr_eq(&self.credentials, credentials)
                || self.credentials.secret_access_key() == credentials.secret_access_key())
    }
}

impl Clone for Signer {
    fn clone(&self) -> Self {
        Self {
            region: self.region.clone(),
            service: self.service,
            day_key: Mutex::new(None),
        }
    }
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer for `service` in `region`.
    pub fn new(region: impl Into<String>, service: &'static str) -> Self {
        Self {
            region: region.into(),
            service,
            day_key: Mutex::new(None),
        }
    }

    /// Signs `request` with `credentials` as of `time`: adds `x-amz-date`,
    /// `authorization` and, with a session token, `x-amz-security-token`.
    pub fn sign(
        &self,
        request: &mut http::Request<Vec<u8>>,
        credentials: &Arc<Credentials>,
        time: SystemTime,
    ) -> Result<(), String> {
        match self.canonical_request(request, credentials, time) {
            Some(canonical) => self.sign_canonical(request, credentials, canonical),
            None => self.sign_general(request, credentials, time),
        }
    }

    /// `aws-sigv4`'s signer for any request.
    fn sign_general(
        &self,
        request: &mut http::Request<Vec<u8>>,
        credentials: &Credentials,
        time: SystemTime,
    ) -> Result<(), String> {
        let identity: Identity = aws_credential_types::Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key(),
            credentials.session_token().map(str::to_owned),
            None,
            "querygen",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
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

    /// The canonical request of a request of the simple shape, or `None` for any
    /// other (which then takes the general path).
    fn canonical_request(
        &self,
        request: &http::Request<Vec<u8>>,
        credentials: &Credentials,
        time: SystemTime,
    ) -> Option<Canonical> {
        let uri = request.uri();
        let authority = uri.authority()?;
        let default_port = match (uri.scheme_str()?, authority.port_u16()) {
            ("https" | "http", None) | ("https", Some(443)) | ("http", Some(80)) => true,
            ("https" | "http", Some(_)) => false,
            _ => return None,
        };
        if uri.path() != "/" || uri.query().is_some() || authority.as_str().contains('@') {
            return None;
        }
        let headers = request.headers();
        // Repeated names would be joined with commas; leave those to aws-sigv4.
        if headers.keys_len() != headers.len()
            || ["host", "x-amz-date", "x-amz-security-token"]
                .iter()
                .any(|name| headers.contains_key(*name))
        {
            return None;
        }
        let stamp = Stamp::new(time)?;
        let host = if default_port {
            authority.host()
        } else {
            authority.as_str()
        };
        let token = credentials.session_token();
        let mut signed: Vec<(&str, std::borrow::Cow<'_, str>)> =
            Vec::with_capacity(headers.len() + 3);
        for (name, value) in headers {
            if UNSIGNED.contains(&name.as_str()) {
                continue;
            }
            // Visible ASCII only: aws-sigv4 decides anything else.
            signed.push((name.as_str(), trim_all(value.to_str().ok()?)));
        }
        signed.push(("host", host.into()));
        signed.push(("x-amz-date", stamp.date_time.as_str().into()));
        if let Some(token) = token {
            // aws-sigv4 signs the token as given, untrimmed.
            signed.push(("x-amz-security-token", token.into()));
        }
        signed.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let names: Vec<&str> = signed.iter().map(|(name, _)| *name).collect();
        let signed_headers = names.join(";");
        let mut text = String::with_capacity(512);
        text.push_str(request.method().as_str());
        text.push_str("\n/\n\n");
        for (name, value) in &signed {
            text.push_str(name);
            text.push(':');
            text.push_str(value);
            text.push('\n');
        }
        text.push('\n');
        text.push_str(&signed_headers);
        text.push('\n');
        text.push_str(&hex(&Sha256::digest(request.body())));
        Some(Canonical {
            text,
            signed_headers,
            stamp,
        })
    }

    fn sign_canonical(
        &self,
        request: &mut http::Request<Vec<u8>>,
        credentials: &Arc<Credentials>,
        canonical: Canonical,
    ) -> Result<(), String> {
        let Canonical {
            text,
            signed_headers,
            stamp,
        } = canonical;
        let scope = format!(
            "{}/{}/{}/aws4_request",
            stamp.date, self.region, self.service
        );
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
            stamp.date_time,
            hex(&Sha256::digest(text.as_bytes()))
        );
        let signature = {
            let mut day_key = self
                .day_key
                .lock()
                .map_err(|_| "cannot sign the request: the signing key cache is poisoned")?;
            let key = match &*day_key {
                Some(day) if day.fits(&stamp.date, credentials) => &day.key,
                _ => {
                    let key = v4::generate_signing_key(
                        credentials.secret_access_key(),
                        stamp.time,
                        &self.region,
                        self.service,
                    );
                    &day_key
                        .insert(DayKey {
                            date: stamp.date.clone(),
                            credentials: Arc::clone(credentials),
                            key: key.as_ref().to_vec(),
                        })
                        .key
                }
            };
            v4::calculate_signature(key, string_to_sign.as_bytes())
        };
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
            credentials.access_key_id()
        );
        let value = |text: &str| {
            http::HeaderValue::from_str(text)
                .map_err(|_| "cannot sign the request: a signing value is not a valid header")
        };
        let date = value(&stamp.date_time)?;
        let mut authorization = value(&authorization)?;
        authorization.set_sensitive(true);
        let headers = request.headers_mut();
        headers.insert("x-amz-date", date);
        headers.insert(http::header::AUTHORIZATION, authorization);
        if let Some(token) = credentials.session_token() {
            let mut token = value(token)?;
            token.set_sensitive(true);
            headers.insert("x-amz-security-token", token);
        }
        Ok(())
    }
}

/// A canonical request with what signing it needs next.
struct Canonical {
    text: String,
    signed_headers: String,
    stamp: Stamp,
}

/// The signing time in SigV4's two spellings.
struct Stamp {
    time: SystemTime,
    /// `YYYYMMDD`
    date: String,
    /// `YYYYMMDDTHHMMSSZ`
    date_time: String,
}

impl Stamp {
    /// `None` before 1970 or past year 9999, which aws-sigv4 is left to refuse.
    fn new(time: SystemTime) -> Option<Self> {
        let seconds =
            i64::try_from(time.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs()).ok()?;
        // `YYYY-MM-DDTHH:MM:SSZ` (whole seconds) without its separators.
        let text = querygen_runtime::DateTime::from_secs(seconds).to_rfc3339_micros();
        if text.len() != 20 {
            return None;
        }
        let date_time: String = text.chars().filter(|c| !matches!(c, '-' | ':')).collect();
        let date = date_time.get(..8)?.to_owned();
        Some(Self {
            time,
            date,
            date_time,
        })
    }
}

/// Lowercase hex, as SigV4 spells digests.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        for nibble in [byte >> 4, byte & 0x0f] {
            out.push(char::from(
                DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    out
}

/// A header value as SigV4 canonicalises it: spaces trimmed from both ends and
/// runs of spaces inside folded to one (only spaces, as aws-sigv4 does).
fn trim_all(value: &str) -> std::borrow::Cow<'_, str> {
    let value = value.trim_matches(' ');
    if !value.contains("  ") {
        return value.into();
    }
    let mut out = String::with_capacity(value.len());
    let mut previous_space = false;
    for c in value.chars() {
        if !(c == ' ' && previous_space) {
            out.push(c);
        }
        previous_space = c == ' ';
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn request(url: &str, extra: &[(&str, &str)], body: &str) -> http::Request<Vec<u8>> {
        let mut builder = http::Request::builder()
            .method("POST")
            .uri(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("content-length", body.len())
            .header("user-agent", "querygen/0.1.0 test")
            .header(
                "amz-sdk-invocation-id",
                "3575f138-a533-4aa3-a4d4-360d4ea08052",
            )
            .header("amz-sdk-request", "attempt=1; max=3");
        for (name, value) in extra {
            builder = builder.header(*name, *value);
        }
        builder.body(body.as_bytes().to_vec()).unwrap()
    }

    fn signed_headers(request: &http::Request<Vec<u8>>) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        out.sort();
        out
    }

    /// The simple-shape path and aws-sigv4's general path agree on every header.
    #[test]
    fn the_short_path_signs_exactly_as_aws_sigv4_does() {
        let times = [
            0,
            1_440_938_160,
            1_732_406_399, // the last second of a day
            1_732_406_400, // the first of the next
            4_102_444_800,
        ];
        let urls = [
            "https://elasticache.us-east-1.amazonaws.com/",
            "https://elasticache.us-east-1.amazonaws.com:443/",
            "http://127.0.0.1:4566/",
            "http://localhost/",
            "http://localhost:80/",
            "https://elasticache-fips.us-gov-west-1.amazonaws.com:8443/",
        ];
        let extras: [&[(&str, &str)]; 4] = [
            &[],
            &[("x-custom", "  spaced   out  value ")],
            &[("x-amzn-trace-id", "Root=1-5759e988"), ("accept", "*/*")],
            &[("a-first", "x"), ("zz-last", "y  z")],
        ];
        let bodies = [
            "",
            "Action=StartMigration&Version=2015-02-02&ReplicationGroupId=my-rg",
        ];
        let mut checked = 0;
        for token in [None, Some("SESSION/TOKEN+d3adb33f==")] {
            let credentials = Arc::new(Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                token.map(str::to_owned),
            ));
            for region in ["us-east-1", "cn-north-1"] {
                let signer = Signer::new(region, "elasticache");
                for secs in times {
                    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
                    for url in urls {
                        for extra in extras {
                            for body in bodies {
                                let mut ours = request(url, extra, body);
                                assert!(
                                    signer
                                        .canonical_request(&ours, &credentials, time)
                                        .is_some(),
                                    "{url}"
                                );
                                signer.sign(&mut ours, &credentials, time).unwrap();
                                let mut general = request(url, extra, body);
                                signer
                                    .sign_general(&mut general, &credentials, time)
                                    .unwrap();
                                assert_eq!(
                                    signed_headers(&ours),
                                    signed_headers(&general),
                                    "{url} {extra:?} {body:?} at {secs} in {region}"
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 2 * 2 * 5 * 6 * 4 * 2);
    }

    #[test]
    fn other_shapes_take_the_general_path() {
        let credentials = Arc::new(Credentials::new("AKID", "secret", None));
        let signer = Signer::new("us-east-1", "elasticache");
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        for (url, extra) in [
            ("https://h.example/base/", &[][..]),
            ("https://h.example/?a=b", &[][..]),
            ("https://h.example/", &[("host", "other.example")][..]),
            ("https://h.example/", &[("x-dup", "1"), ("x-dup", "2")][..]),
        ] {
            let mut request = request(url, extra, "x=1");
            assert!(
                signer
                    .canonical_request(&request, &credentials, time)
                    .is_none(),
                "{url} {extra:?}"
            );
            signer.sign(&mut request, &credentials, time).unwrap();
            assert!(request.headers().contains_key("authorization"));
        }
    }

    #[test]
    fn the_day_key_is_kept_for_the_day_and_replaced_the_next() {
        let credentials = Arc::new(Credentials::new("AKID", "secret", None));
        let signer = Signer::new("us-east-1", "elasticache");
        let day = |secs| SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
        let url = "https://elasticache.us-east-1.amazonaws.com/";
        signer
            .sign(&mut request(url, &[], ""), &credentials, day(1_732_406_399))
            .unwrap();
        let first = signer
            .day_key
            .lock()
            .unwrap()
            .as_ref()
            .map(|d| (d.date.clone(), d.key.clone()))
            .unwrap();
        assert_eq!(first.0, "20241123");
        signer
            .sign(&mut request(url, &[], ""), &credentials, day(1_732_406_400))
            .unwrap();
        let second = signer
            .day_key
            .lock()
            .unwrap()
            .as_ref()
            .map(|d| (d.date.clone(), d.key.clone()))
            .unwrap();
        assert_eq!(second.0, "20241124");
        assert_ne!(first.1, second.1);
        // Other credentials on the same day get their own key.
        let rotated = Arc::new(Credentials::new("AKID2", "other secret", None));
        signer
            .sign(&mut request(url, &[], ""), &rotated, day(1_732_406_401))
            .unwrap();
        let third = signer
            .day_key
            .lock()
            .unwrap()
            .as_ref()
            .map(|d| d.key.clone())
            .unwrap();
        assert_ne!(third, second.1);
    }

    #[test]
    fn trim_all_folds_spaces_only() {
        assert_eq!(trim_all("  a   b  "), "a b");
        assert_eq!(trim_all("a\t\tb"), "a\t\tb");
        assert_eq!(trim_all("   "), "");
        assert_eq!(trim_all("plain"), "plain");
    }
}
