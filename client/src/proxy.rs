//! Which requests go through an HTTP proxy: the proxy URLs and the `NO_PROXY`
//! exceptions, read from the environment as curl reads them or given in code.
//!
//! | what | variables, first set wins | notes |
//! | --- | --- | --- |
//! | proxy for `https` endpoints (all AWS ones) | `https_proxy`, `HTTPS_PROXY` | tunnelled with `CONNECT` |
//! | proxy for `http` endpoints | `http_proxy`, `HTTP_PROXY` | absolute-form requests; `HTTP_PROXY` is ignored while `REQUEST_METHOD` is set (a CGI script, where it may come from a request header) |
//! | exceptions | `no_proxy`, `NO_PROXY` | comma- or blank-separated entries |
//!
//! Lower case first, as curl does; an empty variable counts as unset. Proxy URLs
//! are `http://[user[:password]@]host[:port]` (the scheme may be left out; the port
//! defaults to 80). Credentials, percent-decoded, are sent as
//! `Proxy-Authorization: Basic …`. They never appear in `Debug`, `Display`, errors
//! or logs: a proxy is shown as `http://***@host:port`.
//!
//! A `NO_PROXY` entry matches a host, case-insensitively, when it is:
//! - `*`: every host;
//! - a name: the host itself or any host below it on a label boundary
//!   (`example.com` and `.example.com` both match `example.com` and
//!   `a.example.com`, not `badexample.com`); a trailing dot is ignored;
//!   `*.example.com` matches nothing, as with curl;
//! - an IP address (`10.1.2.3`, `::1`, `[::1]`) or a CIDR block (`10.0.0.0/8`,
//!   `fd00::/8`): hosts written as IP addresses in it, never names;
//! - any of these with `:port`: the same, only for that port (curl ignores such
//!   entries; Python's `urllib` and botocore honour them).
//!
//! Not supported: `ALL_PROXY`, SOCKS proxies and TLS to the proxy (`https://`
//! proxy URLs are a configuration error rather than quietly sent in the clear).

// Only the default transport asks which proxy a request takes.
#![cfg_attr(not(feature = "rustls"), allow(dead_code))]

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use base64::Engine as _;

use crate::env::{ConfigError, ConfigErrorKind, Env};

/// The proxies a transport uses, and the hosts it reaches directly.
///
/// [`ProxyConfig::none`] (the default) sends everything directly;
/// [`ProxyConfig::from_env`] reads the variables in the [module docs](self).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    http: Option<Arc<Proxy>>,
    https: Option<Arc<Proxy>>,
    no_proxy: NoProxy,
}

impl ProxyConfig {
    /// No proxy: every request goes directly to its endpoint.
    pub fn none() -> Self {
        Self::default()
    }

    /// The proxies of the environment (see the [module docs](self) for the variables
    /// and their precedence). A proxy URL that cannot be used is an error naming its
    /// variable (with any password hidden).
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let first = |names: &[&'static str]| {
            names
                .iter()
                .find_map(|name| env.var(name).map(|value| (*name, value)))
        };
        let https = first(&["https_proxy", "HTTPS_PROXY"]);
        let http = if env.var("REQUEST_METHOD").is_some() {
            first(&["http_proxy"])
        } else {
            first(&["http_proxy", "HTTP_PROXY"])
        };
        let parse = |found: Option<(&'static str, String)>| {
            found
                .map(|(name, value)| {
                    Proxy::parse(&value).map(Arc::new).map_err(|problem| {
                        ConfigError::new(
                            ConfigErrorKind::InvalidValue,
                            format!("{name} ({}) {problem}", redact_userinfo(&value)),
                        )
                        .for_variable(name)
                    })
                })
                .transpose()
        };
        let no_proxy = first(&["no_proxy", "NO_PROXY"])
            .map(|(_, value)| NoProxy::parse(&value))
            .unwrap_or_default();
        Ok(Self {
            http: parse(http)?,
            https: parse(https)?,
            no_proxy,
        })
    }

    /// Sends requests to `https` endpoints through the proxy at `url`.
    pub fn with_https_proxy(mut self, url: &str) -> Result<Self, ConfigError> {
        self.https = Some(Arc::new(Proxy::parse_given(url)?));
        Ok(self)
    }

    /// Sends requests to `http` endpoints through the proxy at `url`.
    pub fn with_http_proxy(mut self, url: &str) -> Result<Self, ConfigError> {
        self.http = Some(Arc::new(Proxy::parse_given(url)?));
        Ok(self)
    }

    /// Sends every request through the proxy at `url`.
    pub fn with_proxy(self, url: &str) -> Result<Self, ConfigError> {
        let proxy = Arc::new(Proxy::parse_given(url)?);
        Ok(Self {
            http: Some(Arc::clone(&proxy)),
            https: Some(proxy),
            ..self
        })
    }

    /// Reaches the hosts `list` names directly, with `NO_PROXY`'s syntax and rules
    /// (see the [module docs](self)); replaces any list set before.
    pub fn with_no_proxy(mut self, list: &str) -> Self {
        self.no_proxy = NoProxy::parse(list);
        self
    }

    /// The same proxies for the credential providers: instance and container
    /// metadata (link-local and loopback addresses) are always reached directly,
    /// since no proxy can reach them.
    pub(crate) fn for_metadata_endpoints(mut self) -> Self {
        self.no_proxy
            .rules
            .extend(NoProxy::parse(METADATA_DIRECT).rules);
        self
    }

    /// Whether any request may go through a proxy.
    pub fn is_enabled(&self) -> bool {
        self.http.is_some() || self.https.is_some()
    }

    /// The proxy a request to `uri` goes through, if any.
    pub(crate) fn proxy_for(&self, uri: &http::Uri) -> Option<&Arc<Proxy>> {
        let https = uri.scheme() == Some(&http::uri::Scheme::HTTPS);
        let proxy = if https {
            self.https.as_ref()
        } else {
            self.http.as_ref()
        }?;
        let host = uri.host()?;
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        if self.no_proxy.bypasses(host, port) {
            None
        } else {
            Some(proxy)
        }
    }
}

/// Proxies shown without their credentials.
impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("http", &self.http)
            .field("https", &self.https)
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// One HTTP proxy.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Proxy {
    /// `http://host:port`, no credentials: where the transport connects.
    uri: http::Uri,
    /// `Basic …`, marked sensitive.
    authorization: Option<http::HeaderValue>,
}

impl Proxy {
    /// A proxy given in code; the error names no variable.
    fn parse_given(url: &str) -> Result<Self, ConfigError> {
        Self::parse(url).map_err(|problem| {
            ConfigError::new(
                ConfigErrorKind::InvalidValue,
                format!("the proxy URL {} {problem}", redact_userinfo(url)),
            )
        })
    }

    /// `[http://][user[:password]@]host[:port][/]`. The error says what is wrong,
    /// never repeating the URL.
    fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        let rest = match url.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some((scheme, _)) if scheme.eq_ignore_ascii_case("https") => {
                return Err("is an https:// proxy: TLS to the proxy is not supported, use http:// (requests to https endpoints are still encrypted end to end through the tunnel)".to_owned())
            }
            Some((scheme, _)) => {
                return Err(format!(
                    "has the scheme `{scheme}`: only http:// proxies are supported"
                ))
            }
            None => url,
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let tail = &rest[authority.len()..];
        if !(tail.is_empty() || tail == "/") {
            return Err(
                "has a path, query or fragment: a proxy URL is only a host and port".to_owned(),
            );
        }
        let (userinfo, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host_port)) => (Some(userinfo), host_port),
            None => (None, authority),
        };
        let (host, port) = split_host_port(host_port).ok_or("has no valid host and port")?;
        if host.is_empty() {
            return Err("has no host".to_owned());
        }
        let port = port.unwrap_or(80);
        let uri_host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_owned()
        };
        let uri: http::Uri = format!("http://{uri_host}:{port}")
            .parse()
            .map_err(|_| "has a host that is not valid in a URL".to_owned())?;
        let authorization = userinfo
            .map(|userinfo| {
                let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                let mut credentials =
                    percent_decode(user).ok_or("has a badly percent-encoded user name")?;
                credentials.push(b':');
                credentials.extend(
                    percent_decode(password).ok_or("has a badly percent-encoded password")?,
                );
                let encoded = base64::engine::general_purpose::STANDARD.encode(&credentials);
                let mut value = http::HeaderValue::try_from(format!("Basic {encoded}"))
                    .map_err(|_| "has credentials that cannot be sent")?;
                value.set_sensitive(true);
                Ok::<_, String>(value)
            })
            .transpose()?;
        Ok(Self { uri, authorization })
    }

    /// Where to connect: `http://host:port`.
    pub(crate) fn uri(&self) -> &http::Uri {
        &self.uri
    }

    /// The `Proxy-Authorization` value, if the URL had credentials.
    pub(crate) fn authorization(&self) -> Option<&http::HeaderValue> {
        self.authorization.as_ref()
    }
}

/// `http://host:port`, with `***@` in place of any credentials.
impl fmt::Display for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let authority = self.uri.authority().map_or("", |a| a.as_str());
        if self.authorization.is_some() {
            write!(f, "http://***@{authority}")
        } else {
            write!(f, "http://{authority}")
        }
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

/// `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address.
fn split_host_port(text: &str) -> Option<(&str, Option<u16>)> {
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        return match after {
            "" => Some((host, None)),
            _ => Some((host, Some(after.strip_prefix(':')?.parse().ok()?))),
        };
    }
    match text.rsplit_once(':') {
        // More than one colon and no brackets: an IPv6 address without a port.
        Some((host, _)) if host.contains(':') => Some((text, None)),
        Some((host, port)) => Some((host, Some(port.parse().ok()?))),
        None => Some((text, None)),
    }
}

/// `%XX` decoded; `None` for a `%` not followed by two hex digits.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            // `from_str_radix` alone would take a sign (`%+f`).
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    Some(out)
}

/// `value` with everything between the scheme and the last `@` replaced by `***`,
/// for messages about a proxy URL that could not be parsed. The last `@` anywhere
/// counts, not only one before the path: an unparsable URL may be unparsable
/// because its password holds an unescaped `/`, `?` or `#`.
fn redact_userinfo(value: &str) -> String {
    let value = value.trim();
    let start = value.find("://").map_or(0, |i| i + 3);
    match value[start..].rfind('@') {
        Some(at) => format!("{}***{}", &value[..start], &value[start + at..]),
        None => value.to_owned(),
    }
}

/// The hosts reached without a proxy.
/// The link-local blocks of IMDS (`169.254.169.254`, `fd00:ec2::254`) and the
/// ECS and EKS container endpoints (`169.254.170.2`, `169.254.170.23`,
/// `fd00:ec2::23`), and loopback.
const METADATA_DIRECT: &str = "169.254.0.0/16,fd00:ec2::/32,127.0.0.0/8,::1,localhost";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct NoProxy {
    rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule {
    /// `*`
    All,
    /// A name and the names below it (lower case, no leading or trailing dot).
    Domain { name: String, port: Option<u16> },
    /// An address block (a single address has the full prefix).
    Network {
        address: IpAddr,
        prefix: u8,
        port: Option<u16>,
    },
}

impl NoProxy {
    /// Entries separated by commas or blanks; an entry that is none of the forms in
    /// the module docs matches nothing.
    fn parse(list: &str) -> Self {
        let rules = list
            .split(|c: char| c == ',' || c.is_ascii_whitespace())
            .filter(|entry| !entry.is_empty())
            .filter_map(Rule::parse)
            .collect();
        Self { rules }
    }

    fn bypasses(&self, host: &str, port: u16) -> bool {
        if self.rules.is_empty() {
            return false;
        }
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let ip: Option<IpAddr> = host.parse().ok();
        let name = host.trim_end_matches('.');
        self.rules
            .iter()
            .any(|rule| rule.matches(name, ip.as_ref(), port))
    }
}

impl Rule {
    fn parse(entry: &str) -> Option<Self> {
        if entry == "*" {
            return Some(Self::All);
        }
        if let Some((address, prefix)) = entry.split_once('/') {
            let address: IpAddr = address
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse()
                .ok()?;
            let prefix: u8 = prefix.parse().ok()?;
            let bits = if address.is_ipv4() { 32 } else { 128 };
            return (prefix <= bits).then_some(Self::Network {
                address,
                prefix,
                port: None,
            });
        }
        let (host, port) = split_host_port(entry)?;
        if let Ok(address) = host.parse::<IpAddr>() {
            let prefix = if address.is_ipv4() { 32 } else { 128 };
            return Some(Self::Network {
                address,
                prefix,
                port,
            });
        }
        let name = host.trim_start_matches('.').trim_end_matches('.');
        (!name.is_empty()).then(|| Self::Domain {
            name: name.to_ascii_lowercase(),
            port,
        })
    }

    fn matches(&self, name: &str, ip: Option<&IpAddr>, port: u16) -> bool {
        match self {
            Self::All => true,
            Self::Domain {
                name: rule,
                port: rule_port,
            } => {
                ip.is_none()
                    && rule_port.is_none_or(|p| p == port)
                    && name.len() >= rule.len()
                    && name
                        .get(name.len() - rule.len()..)
                        .is_some_and(|tail| tail.eq_ignore_ascii_case(rule))
                    && (name.len() == rule.len()
                        || name.as_bytes().get(name.len() - rule.len() - 1) == Some(&b'.'))
            }
            Self::Network {
                address,
                prefix,
                port: rule_port,
            } => {
                rule_port.is_none_or(|p| p == port)
                    && ip.is_some_and(|ip| in_network(ip, address, *prefix))
            }
        }
    }
}

fn in_network(ip: &IpAddr, network: &IpAddr, prefix: u8) -> bool {
    let (ip, network, bits) = match (ip, network) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            (u128::from(u32::from(*a)), u128::from(u32::from(*b)), 32)
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(*a), u128::from(*b), 128),
        _ => return false,
    };
    let shift = bits - u32::from(prefix);
    if shift >= 128 {
        return true;
    }
    ip >> shift == network >> shift
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().copied())
    }

    fn uri(text: &str) -> http::Uri {
        text.parse().unwrap()
    }

    fn via(config: &ProxyConfig, target: &str) -> Option<String> {
        config.proxy_for(&uri(target)).map(|p| p.to_string())
    }

    #[test]
    fn lower_case_variables_win_as_in_curl() {
        let config = ProxyConfig::from_env(&env(&[
            ("https_proxy", "http://lower:1"),
            ("HTTPS_PROXY", "http://upper:2"),
            ("HTTP_PROXY", "upper-http:3"),
        ]))
        .unwrap();
        assert_eq!(
            via(&config, "https://sts.amazonaws.com").as_deref(),
            Some("http://lower:1")
        );
        // Without a scheme the proxy is http; HTTP_PROXY counts outside CGI.
        assert_eq!(
            via(&config, "http://example.com").as_deref(),
            Some("http://upper-http:3")
        );
        // An empty lower-case variable is unset, so the upper-case one is used (curl).
        let config =
            ProxyConfig::from_env(&env(&[("https_proxy", ""), ("HTTPS_PROXY", "p:8")])).unwrap();
        assert_eq!(
            via(&config, "https://a.example").as_deref(),
            Some("http://p:8")
        );
        assert!(!ProxyConfig::from_env(&env(&[])).unwrap().is_enabled());
    }

    #[test]
    fn upper_case_http_proxy_is_ignored_in_cgi_scripts() {
        let config = ProxyConfig::from_env(&env(&[
            ("HTTP_PROXY", "http://from-a-request-header:1"),
            ("REQUEST_METHOD", "GET"),
        ]))
        .unwrap();
        assert_eq!(via(&config, "http://example.com"), None);
        let config = ProxyConfig::from_env(&env(&[
            ("http_proxy", "http://set-by-the-admin:1"),
            ("REQUEST_METHOD", "GET"),
        ]))
        .unwrap();
        assert_eq!(
            via(&config, "http://example.com").as_deref(),
            Some("http://set-by-the-admin:1")
        );
    }

    #[test]
    fn each_scheme_has_its_own_proxy() {
        let config = ProxyConfig::none()
            .with_https_proxy("http://only-tls:3128")
            .unwrap();
        assert_eq!(
            via(&config, "https://a.example").as_deref(),
            Some("http://only-tls:3128")
        );
        assert_eq!(via(&config, "http://a.example"), None);
        let both = ProxyConfig::none().with_proxy("proxy").unwrap();
        assert_eq!(
            via(&both, "http://a.example").as_deref(),
            Some("http://proxy:80")
        );
        assert_eq!(
            via(&both, "https://a.example").as_deref(),
            Some("http://proxy:80")
        );
    }

    #[test]
    fn credentials_become_a_sensitive_basic_header_and_are_never_shown() {
        let config = ProxyConfig::none()
            .with_https_proxy("http://al%40ice:s3cr%3At@proxy.internal:3128/")
            .unwrap();
        let proxy = config.proxy_for(&uri("https://sts.amazonaws.com")).unwrap();
        let header = proxy.authorization().unwrap();
        assert!(header.is_sensitive());
        let expected = base64::engine::general_purpose::STANDARD.encode("al@ice:s3cr:t");
        assert_eq!(header.to_str().unwrap(), format!("Basic {expected}"));
        assert_eq!(proxy.to_string(), "http://***@proxy.internal:3128");
        let debug = format!("{config:?}");
        assert!(!debug.contains("s3cr") && !debug.contains("ice"), "{debug}");
        assert!(debug.contains("http://***@proxy.internal:3128"), "{debug}");
        assert!(!format!("{header:?}").contains(&expected));
        // A user without a password is sent as `user:`.
        let config = ProxyConfig::none().with_proxy("user@p").unwrap();
        let proxy = config.proxy_for(&uri("http://x")).unwrap();
        assert_eq!(proxy.authorization().unwrap(), "Basic dXNlcjo=");
    }

    #[test]
    fn bad_proxy_urls_are_errors_that_hide_the_password() {
        for (value, says) in [
            ("https://user:hunter2@proxy:443", "TLS to the proxy"),
            ("socks5://user:hunter2@proxy:1080", "`socks5`"),
            (
                "http://user:hunter2@proxy:notaport",
                "no valid host and port",
            ),
            ("http://user:hunter2@:8080", "no host"),
            ("http://user:hunter2@proxy:8080/path", "path"),
            (
                "http://user:hunter2%zz@proxy:8080",
                "percent-encoded password",
            ),
            (
                "http://user:hunter2%+f@proxy:8080",
                "percent-encoded password",
            ),
            ("http://user:hunter2/x@proxy:8080", "path"),
        ] {
            let error = ProxyConfig::from_env(&env(&[("HTTPS_PROXY", value)])).unwrap_err();
            let text = format!("{error} {error:?}");
            assert!(!text.contains("hunter2"), "{text}");
            assert!(text.contains(says), "{value}: {text}");
            assert!(text.contains("***@"), "{text}");
            assert_eq!(error.variable(), Some("HTTPS_PROXY"));
            assert_eq!(error.kind(), ConfigErrorKind::InvalidValue);
            let error = ProxyConfig::none().with_proxy(value).unwrap_err();
            assert!(!format!("{error} {error:?}").contains("hunter2"));
        }
    }

    #[test]
    fn ipv6_proxies_and_default_ports() {
        let config = ProxyConfig::none().with_proxy("http://[::1]:3128").unwrap();
        assert_eq!(
            via(&config, "http://x").as_deref(),
            Some("http://[::1]:3128")
        );
        let config = ProxyConfig::none()
            .with_proxy("http://proxy.example")
            .unwrap();
        assert_eq!(
            via(&config, "http://x").as_deref(),
            Some("http://proxy.example:80")
        );
    }

    fn bypassed(no_proxy: &str, target: &str) -> bool {
        let config = ProxyConfig::none()
            .with_proxy("http://p:1")
            .unwrap()
            .with_no_proxy(no_proxy);
        via(&config, target).is_none()
    }

    #[test]
    fn no_proxy_names_match_themselves_and_names_below_them() {
        assert!(bypassed("amazonaws.com", "https://amazonaws.com"));
        assert!(bypassed(
            "amazonaws.com",
            "https://sts.us-east-1.AmazonAWS.com"
        ));
        assert!(bypassed(".amazonaws.com", "https://amazonaws.com"));
        assert!(bypassed(".amazonaws.com", "https://sts.amazonaws.com"));
        assert!(!bypassed("amazonaws.com", "https://notamazonaws.com"));
        assert!(!bypassed("sts.amazonaws.com", "https://amazonaws.com"));
        // curl's rules: no wildcard labels.
        assert!(!bypassed("*.amazonaws.com", "https://sts.amazonaws.com"));
        assert!(bypassed("example.com.", "https://a.example.com"));
        assert!(bypassed("localhost", "http://localhost.:8080"));
        assert!(bypassed("a.test, b.test other.test", "http://other.test"));
        assert!(bypassed("a.test,,b.test", "http://b.test"));
        assert!(!bypassed("", "http://b.test"));
        assert!(bypassed("x.test,*", "http://anything"));
        assert!(bypassed("*", "http://127.0.0.1"));
    }

    #[test]
    fn no_proxy_addresses_match_addresses_only() {
        assert!(bypassed("127.0.0.1", "http://127.0.0.1:9000"));
        assert!(!bypassed("127.0.0.1", "http://localhost:9000"));
        assert!(!bypassed("localhost", "http://127.0.0.1:9000"));
        assert!(bypassed("10.0.0.0/8", "http://10.20.30.40"));
        assert!(!bypassed("10.0.0.0/8", "http://11.0.0.1"));
        assert!(bypassed("0.0.0.0/0", "http://192.0.2.1"));
        assert!(bypassed("::1", "http://[::1]:8080"));
        assert!(bypassed("[::1]", "http://[::1]"));
        assert!(bypassed("fd00::/8", "http://[fd12::1]"));
        assert!(!bypassed("fd00::/8", "http://10.0.0.1"));
        assert!(!bypassed("10.0.0.0/33", "http://10.0.0.1"));
        assert!(!bypassed("169.254.169.254", "http://169.254.169.253"));
    }

    #[test]
    fn no_proxy_entries_with_a_port_match_that_port_only() {
        assert!(bypassed("example.com:8080", "http://example.com:8080"));
        assert!(!bypassed("example.com:8080", "http://example.com"));
        assert!(bypassed("example.com:443", "https://example.com"));
        assert!(bypassed("127.0.0.1:9000", "http://127.0.0.1:9000"));
        assert!(!bypassed("127.0.0.1:9000", "http://127.0.0.1:9001"));
        assert!(bypassed("[::1]:80", "http://[::1]"));
    }

    #[test]
    fn no_proxy_comes_from_the_environment_lower_case_first() {
        let config = ProxyConfig::from_env(&env(&[
            ("HTTPS_PROXY", "http://p:1"),
            ("no_proxy", "internal.test"),
            ("NO_PROXY", "other.test"),
        ]))
        .unwrap();
        assert_eq!(via(&config, "https://svc.internal.test"), None);
        assert!(via(&config, "https://other.test").is_some());
    }

    #[test]
    fn redaction_of_unparsed_urls() {
        assert_eq!(redact_userinfo("http://u:p@h:1/x"), "http://***@h:1/x");
        assert_eq!(redact_userinfo("u:p@h"), "***@h");
        assert_eq!(redact_userinfo("u:p@w@h"), "***@h");
        // A password with an unescaped `/` is hidden too (it is why such a URL fails).
        assert_eq!(
            redact_userinfo("http://user:pa/ss@proxy:3128"),
            "http://***@proxy:3128"
        );
        assert_eq!(redact_userinfo("http://h:1/a"), "http://h:1/a");
    }
}
