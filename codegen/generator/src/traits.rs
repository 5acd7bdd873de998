//! Typed Smithy traits.
//!
//! The traits the generator acts on are parsed into fields, with their values
//! checked; every other trait is kept as raw JSON in [`Traits::other`] so a
//! later emitter can use it without touching the loader.

use indexmap::IndexMap;
use serde_json::Value;

use crate::error::{Error, Result};

/// `smithy.api#error`: who is at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFault {
    /// The caller's fault (`"client"`).
    Client,
    /// The service's fault (`"server"`).
    Server,
}

/// `smithy.api#timestampFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339 `date-time`.
    DateTime,
    /// Seconds since the Unix epoch, with optional fraction.
    EpochSeconds,
    /// RFC 7231 IMF-fixdate.
    HttpDate,
}

impl TimestampFormat {
    /// The trait value as written in the model.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DateTime => "date-time",
            Self::EpochSeconds => "epoch-seconds",
            Self::HttpDate => "http-date",
        }
    }
}

/// `smithy.api#enumValue`: a string for `enum` members, an integer for `intEnum` members.
#[derive(Debug, Clone, PartialEq)]
pub enum EnumValue {
    /// Value of a string enum member.
    String(String),
    /// Value of an intEnum member.
    Int(i64),
}

/// `smithy.api#xmlNamespace`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlNamespace {
    /// Namespace URI.
    pub uri: String,
    /// Optional prefix.
    pub prefix: Option<String>,
}

/// `smithy.api#deprecated`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deprecated {
    /// Why, and what to use instead.
    pub message: Option<String>,
    /// Since when.
    pub since: Option<String>,
}

/// `smithy.api#length` and `smithy.api#range` bounds, kept as model numbers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bounds {
    /// Inclusive minimum.
    pub min: Option<serde_json::Number>,
    /// Inclusive maximum.
    pub max: Option<serde_json::Number>,
}

/// `smithy.api#paginated`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paginated {
    /// Input member carrying the continuation token.
    pub input_token: Option<String>,
    /// Output member path carrying the next token.
    pub output_token: Option<String>,
    /// Output member path holding the page's items.
    pub items: Option<String>,
    /// Input member limiting the page size.
    pub page_size: Option<String>,
}

/// One waiter of `smithy.waiters#waitable`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterDef {
    /// The waiter's name (`ReplicationGroupAvailable`).
    pub name: String,
    /// Its documentation.
    pub documentation: Option<String>,
    /// The acceptors, in order.
    pub acceptors: Vec<Acceptor>,
    /// Least delay between polls, in seconds (default 2).
    pub min_delay: u64,
    /// Greatest delay between polls, in seconds (default 120).
    pub max_delay: u64,
    /// `deprecated: true`.
    pub deprecated: bool,
}

/// A waiter's acceptor: the state it reaches when its matcher matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptor {
    /// The state.
    pub state: AcceptorState,
    /// The matcher.
    pub matcher: Matcher,
}

/// What an acceptor leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The wait is over, successfully.
    Success,
    /// The wait is over: the resource will never get there.
    Failure,
    /// Poll again.
    Retry,
}

/// An acceptor's matcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// A JMESPath over the output.
    Output(PathMatcher),
    /// A JMESPath over `{input, output}`.
    InputOutput(PathMatcher),
    /// `true`: any output; `false`: any service error.
    Success(bool),
    /// A service error of this type (a shape name or a wire code, maybe `ns#`-qualified).
    ErrorType(String),
}

/// A path matcher: the value at `path`, compared with `expected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatcher {
    /// The JMESPath expression.
    pub path: String,
    /// The value compared with.
    pub expected: String,
    /// `stringEquals`, `booleanEquals`, `allStringEquals` or `anyStringEquals`.
    pub comparator: String,
}

/// `aws.protocols#awsQueryError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsQueryError {
    /// The wire `Code`.
    pub code: String,
    /// HTTP status the service answers with.
    pub http_response_code: u16,
}

/// `aws.api#service`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AwsService {
    /// The SDK id (`ElastiCache`).
    pub sdk_id: String,
    /// Endpoint prefix (`elasticache`).
    pub endpoint_prefix: Option<String>,
    /// ARN namespace.
    pub arn_namespace: Option<String>,
}

/// All traits of one shape or member.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Traits {
    /// `smithy.api#documentation` (HTML).
    pub documentation: Option<String>,
    /// `smithy.api#required`.
    pub required: bool,
    /// `smithy.api#clientOptional`.
    pub client_optional: bool,
    /// `smithy.api#default`; `Some(Value::Null)` is an explicit `@default(null)`.
    pub default: Option<Value>,
    /// `smithy.api#input`.
    pub input: bool,
    /// `smithy.api#output`.
    pub output: bool,
    /// `smithy.api#error`.
    pub error: Option<ErrorFault>,
    /// `smithy.api#httpError`.
    pub http_error: Option<u16>,
    /// `smithy.api#enumValue`.
    pub enum_value: Option<EnumValue>,
    /// `smithy.api#xmlName`.
    pub xml_name: Option<String>,
    /// `smithy.api#xmlFlattened`.
    pub xml_flattened: bool,
    /// `smithy.api#xmlAttribute`.
    pub xml_attribute: bool,
    /// `smithy.api#xmlNamespace`.
    pub xml_namespace: Option<XmlNamespace>,
    /// `smithy.api#timestampFormat`.
    pub timestamp_format: Option<TimestampFormat>,
    /// `smithy.api#sensitive`.
    pub sensitive: bool,
    /// `smithy.api#deprecated`.
    pub deprecated: Option<Deprecated>,
    /// `smithy.api#length`.
    pub length: Option<Bounds>,
    /// `smithy.api#pattern`.
    pub pattern: Option<String>,
    /// `smithy.api#range`.
    pub range: Option<Bounds>,
    /// `smithy.api#paginated`.
    pub paginated: Option<Paginated>,
    /// `smithy.waiters#waitable`, in the model's order.
    pub waitable: Vec<WaiterDef>,
    /// `smithy.api#mixin`: the shape only lends members to others.
    pub mixin: bool,
    /// `smithy.api#sparse`: collection values may be null.
    pub sparse: bool,
    /// `aws.protocols#awsQuery`.
    pub aws_query: bool,
    /// `aws.protocols#awsQueryError`.
    pub aws_query_error: Option<AwsQueryError>,
    /// `aws.api#service`.
    pub aws_service: Option<AwsService>,
    /// `aws.auth#sigv4` signing name.
    pub sigv4_name: Option<String>,
    /// `smithy.api#title`.
    pub title: Option<String>,
    /// `smithy.api#endpoint`'s `hostPrefix`.
    pub host_prefix: Option<String>,
    /// `smithy.api#idempotencyToken`.
    pub idempotency_token: bool,
    /// `smithy.api#hostLabel`.
    pub host_label: bool,
    /// `smithy.rules#endpointRuleSet`, as JSON.
    pub endpoint_rule_set: Option<Value>,
    /// `smithy.rules#endpointTests`, as JSON.
    pub endpoint_tests: Option<Value>,
    /// Every other trait, by absolute id.
    pub other: IndexMap<String, Value>,
}

impl Traits {
    /// Parses a trait map, checking the value of each known trait.
    /// `owner` is the shape or member id, used in error messages.
    pub fn parse(owner: &str, raw: &IndexMap<String, Value>) -> Result<Self> {
        let mut t = Traits::default();
        for (id, value) in raw {
            let bad = |what: &str| {
                Error::shape(
                    owner,
                    format!("trait `{id}` {what}, found {}", kind_of(value)),
                )
            };
            match id.as_str() {
                "smithy.api#documentation" => {
                    t.documentation = Some(string(value).ok_or_else(|| bad("must be a string"))?)
                }
                "smithy.api#required" => {
                    t.required = annotation(value).ok_or_else(|| bad("must be an object"))?
                }
                "smithy.api#clientOptional" => {
                    t.client_optional = annotation(value).ok_or_else(|| bad("must be an object"))?
                }
                "smithy.api#default" => t.default = Some(value.clone()),
                "smithy.api#input" => {
                    t.input = annotation(value).ok_or_else(|| bad("must be an object"))?
                }
                "smithy.api#output" => {
                    t.output = annotation(value).ok_or_else(|| bad("must be an object"))?
                }
                "smithy.api#error" => {
                    t.error = Some(match value.as_str() {
                        Some("client") => ErrorFault::Client,
                        Some("server") => ErrorFault::Server,
                        _ => return Err(bad("must be \"client\" or \"server\"")),
                    })
                }
                "smithy.api#httpError" => {
                    t.http_error =
                        Some(status(value).ok_or_else(|| bad("must be an HTTP status code"))?)
                }
                "smithy.api#enumValue" => {
                    t.enum_value = Some(match value {
                        Value::String(s) => EnumValue::String(s.clone()),
                        Value::Number(n) => EnumValue::Int(
                            n.as_i64()
                                .ok_or_else(|| bad("must be a string or an integer"))?,
                        ),
                        _ => return Err(bad("must be a string or an integer")),
                    })
                }
                "smithy.api#xmlName" => {
                    t.xml_name = Some(string(value).ok_or_else(|| bad("must be a string"))?)
                }
                "smithy.api#xmlFlattened" => {
                    t.xml_flattened = annotation(value).ok_or_else(|| bad("must be an object"))?
                }
                "smithy.api#xmlAttribute" => {
                    t.xml_attribute = annotation(value).ok_or_else(|| bad("must be an object"))?
                }
                "smithy.api#xmlNamespace" => {
                    let obj = value
                        .as_object()
                        .ok_or_else(|| bad("must be an object with a `uri`"))?;
                    let uri = obj
                        .get("uri")
                        .and_then(Value::as_str)
                        .ok_or_else(|| bad("must have a string `uri`"))?;
                    let prefix = match obj.get("prefix") {
                        None => None,
                        Some(p) => {
                            Some(string(p).ok_or_else(|| bad("must have a string `prefix`"))?)
                        }
                    };
                    t.xml_namespace = Some(XmlNamespace {
                        uri: uri.to_owned(),
                        prefix,
                    });
                }
                "smithy.api#timestampFormat" => {
                    t.timestamp_format = Some(match value.as_str() {
                        Some("date-time") => TimestampFormat::DateTime,
                        Some("epoch-seconds") => TimestampFormat::EpochSeconds,
                        Some("http-date") => TimestampFormat::HttpDate,
                        _ => {
                            return Err(bad(
                                "must be \"date-time\", \"epoch-seconds\" or \"http-date\"",
                            ))
                        }
                    })
                }
                "smithy.api#sensitive" => {
                    t.sensitive = annotation(value).ok_or_else(|| bad("must be an object"))?
                }
                "smithy.api#deprecated" => {
                    let obj = value.as_object().ok_or_else(|| bad("must be an object"))?;
                    let field = |name: &str| optional_string(obj, name).map_err(|what| bad(&what));
                    t.deprecated = Some(Deprecated {
                        message: field("message")?,
                        since: field("since")?,
                    });
                }
                "smithy.api#length" => {
                    t.length = Some(
                        bounds(value)
                            .ok_or_else(|| bad("must be an object with numeric `min`/`max`"))?,
                    )
                }
                "smithy.api#range" => {
                    t.range = Some(
                        bounds(value)
                            .ok_or_else(|| bad("must be an object with numeric `min`/`max`"))?,
                    )
                }
                "smithy.api#pattern" => {
                    t.pattern = Some(string(value).ok_or_else(|| bad("must be a string"))?)
                }
                "smithy.api#paginated" => {
                    let obj = value.as_object().ok_or_else(|| bad("must be an object"))?;
                    let field = |name: &str| optional_string(obj, name).map_err(|what| bad(&what));
                    t.paginated = Some(Paginated {
                        input_token: field("inputToken")?,
                        output_token: field("outputToken")?,
                        items: field("items")?,
                        page_size: field("pageSize")?,
                    });
                }
                "smithy.waiters#waitable" => {
                    t.waitable = waitable(value).map_err(|what| bad(&what))?
                }
                "smithy.api#mixin" => t.mixin = true,
                "smithy.api#sparse" => {
                    t.sparse = annotation(value).ok_or_else(|| bad("must be an object"))?
                }
                "aws.protocols#awsQuery" => {
                    t.aws_query = annotation(value).ok_or_else(|| bad("must be an object"))?
                }
                "aws.protocols#awsQueryError" => {
                    let obj = value.as_object().ok_or_else(|| bad("must be an object"))?;
                    let code = obj
                        .get("code")
                        .and_then(Value::as_str)
                        .ok_or_else(|| bad("must have a string `code`"))?;
                    let http = obj
                        .get("httpResponseCode")
                        .and_then(status)
                        .ok_or_else(|| bad("must have an HTTP status `httpResponseCode`"))?;
                    t.aws_query_error = Some(AwsQueryError {
                        code: code.to_owned(),
                        http_response_code: http,
                    });
                }
                "aws.api#service" => {
                    let obj = value.as_object().ok_or_else(|| bad("must be an object"))?;
                    let sdk_id = obj
                        .get("sdkId")
                        .and_then(Value::as_str)
                        .ok_or_else(|| bad("must have a string `sdkId`"))?;
                    let opt = |name: &str| obj.get(name).and_then(Value::as_str).map(str::to_owned);
                    t.aws_service = Some(AwsService {
                        sdk_id: sdk_id.to_owned(),
                        endpoint_prefix: opt("endpointPrefix"),
                        arn_namespace: opt("arnNamespace"),
                    });
                }
                "aws.auth#sigv4" => {
                    let name = value
                        .get("name")
                        .and_then(Value::as_str)
                        .ok_or_else(|| bad("must have a string `name`"))?;
                    t.sigv4_name = Some(name.to_owned());
                }
                "smithy.api#title" => {
                    t.title = Some(string(value).ok_or_else(|| bad("must be a string"))?)
                }
                "smithy.api#endpoint" => {
                    let prefix = value
                        .get("hostPrefix")
                        .and_then(Value::as_str)
                        .ok_or_else(|| bad("must have a string `hostPrefix`"))?;
                    t.host_prefix = Some(prefix.to_owned());
                }
                "smithy.api#idempotencyToken" => {
                    t.idempotency_token =
                        annotation(value).ok_or_else(|| bad("must be an object"))?
                }
                "smithy.api#hostLabel" => {
                    t.host_label = annotation(value).ok_or_else(|| bad("must be an object"))?
                }
                "smithy.rules#endpointRuleSet" => t.endpoint_rule_set = Some(value.clone()),
                "smithy.rules#endpointTests" => t.endpoint_tests = Some(value.clone()),
                _ => {
                    t.other.insert(id.clone(), value.clone());
                }
            }
        }
        Ok(t)
    }
}

/// `smithy.waiters#waitable`: waiter name → waiter.
fn waitable(value: &Value) -> std::result::Result<Vec<WaiterDef>, String> {
    let waiters = value.as_object().ok_or("must be an object")?;
    waiters
        .iter()
        .map(|(name, waiter)| {
            let at = |what: &str| format!("waiter `{name}`: {what}");
            let obj = waiter.as_object().ok_or_else(|| at("must be an object"))?;
            let delay = |key: &str, default: u64| match obj.get(key) {
                None => Ok(default),
                Some(v) => v
                    .as_u64()
                    .filter(|d| *d >= 1)
                    .ok_or_else(|| at(&format!("`{key}` must be a whole number of at least 1"))),
            };
            let (min_delay, max_delay) = (delay("minDelay", 2)?, delay("maxDelay", 120)?);
            if min_delay > max_delay {
                return Err(at("`minDelay` is greater than `maxDelay`"));
            }
            let acceptors = obj
                .get("acceptors")
                .and_then(Value::as_array)
                .ok_or_else(|| at("must have an `acceptors` array"))?
                .iter()
                .enumerate()
                .map(|(i, a)| acceptor(a).map_err(|what| at(&format!("acceptors[{i}]: {what}"))))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            if !acceptors.iter().any(|a| a.state == AcceptorState::Success) {
                return Err(at("has no `success` acceptor"));
            }
            Ok(WaiterDef {
                name: name.clone(),
                documentation: optional_string(obj, "documentation").map_err(|w| at(&w))?,
                acceptors,
                min_delay,
                max_delay,
                deprecated: obj
                    .get("deprecated")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            })
        })
        .collect()
}

fn acceptor(value: &Value) -> std::result::Result<Acceptor, String> {
    let obj = value.as_object().ok_or("must be an object")?;
    let state = match obj.get("state").and_then(Value::as_str) {
        Some("success") => AcceptorState::Success,
        Some("failure") => AcceptorState::Failure,
        Some("retry") => AcceptorState::Retry,
        _ => return Err("`state` must be `success`, `failure` or `retry`".into()),
    };
    let matcher = obj
        .get("matcher")
        .and_then(Value::as_object)
        .ok_or("must have a `matcher` object")?;
    let [(kind, body)] = matcher.iter().collect::<Vec<_>>()[..] else {
        return Err("the matcher must have exactly one member".into());
    };
    let path = |body: &Value| -> std::result::Result<PathMatcher, String> {
        let obj = body.as_object().ok_or("a path matcher must be an object")?;
        let field = |key: &str| {
            obj.get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("the path matcher needs a string `{key}`"))
        };
        Ok(PathMatcher {
            path: field("path")?,
            expected: field("expected")?,
            comparator: field("comparator")?,
        })
    };
    let matcher = match kind.as_str() {
        "output" => Matcher::Output(path(body)?),
        "inputOutput" => Matcher::InputOutput(path(body)?),
        "success" => Matcher::Success(body.as_bool().ok_or("`success` must be a boolean")?),
        "errorType" => Matcher::ErrorType(
            body.as_str()
                .ok_or("`errorType` must be a string")?
                .to_owned(),
        ),
        other => return Err(format!("unknown matcher `{other}`")),
    };
    Ok(Acceptor { state, matcher })
}

/// An optional string field of an object-valued trait; `Err` says what is wrong.
fn optional_string(
    obj: &serde_json::Map<String, Value>,
    name: &str,
) -> std::result::Result<Option<String>, String> {
    match obj.get(name) {
        None => Ok(None),
        Some(v) => string(v)
            .map(Some)
            .ok_or_else(|| format!("must have a string `{name}`")),
    }
}

fn string(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

/// Annotation traits are written `{}`; `true` is tolerated for older tooling.
fn annotation(value: &Value) -> Option<bool> {
    match value {
        Value::Object(_) | Value::Bool(true) => Some(true),
        _ => None,
    }
}

fn status(value: &Value) -> Option<u16> {
    value
        .as_u64()
        .and_then(|n| u16::try_from(n).ok())
        .filter(|n| (100..=599).contains(n))
}

fn bounds(value: &Value) -> Option<Bounds> {
    let obj = value.as_object()?;
    let number = |name: &str| match obj.get(name) {
        None => Some(None),
        Some(Value::Number(n)) => Some(Some(n.clone())),
        Some(_) => None,
    };
    Some(Bounds {
        min: number("min")?,
        max: number("max")?,
    })
}

/// A short description of a JSON value's type, for error messages.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Result<Traits> {
        let map: IndexMap<String, Value> = v.as_object().unwrap().clone().into_iter().collect();
        Traits::parse("ns#S$m", &map)
    }

    #[test]
    fn known_traits_are_typed_and_others_kept_raw() {
        let t = parse(json!({
            "smithy.api#xmlName": "Tag",
            "smithy.api#required": {},
            "aws.protocols#awsQueryError": {"code": "X.Y", "httpResponseCode": 404},
            "smithy.api#timestampFormat": "epoch-seconds",
            "smithy.api#examples": [1, 2]
        }))
        .unwrap();
        assert_eq!(t.xml_name.as_deref(), Some("Tag"));
        assert!(t.required);
        assert_eq!(
            t.aws_query_error,
            Some(AwsQueryError {
                code: "X.Y".into(),
                http_response_code: 404
            })
        );
        assert_eq!(t.timestamp_format, Some(TimestampFormat::EpochSeconds));
        assert_eq!(t.other.get("smithy.api#examples"), Some(&json!([1, 2])));
    }

    #[test]
    fn malformed_values_name_the_owner_and_trait() {
        let err = parse(json!({"smithy.api#xmlName": 3})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "shape `ns#S$m`: trait `smithy.api#xmlName` must be a string, found a number"
        );
        let err = parse(json!({"smithy.api#error": "nobody"})).unwrap_err();
        assert!(
            err.to_string().contains("must be \"client\" or \"server\""),
            "{err}"
        );
        let err =
            parse(json!({"aws.protocols#awsQueryError": {"code": "X", "httpResponseCode": 1000}}))
                .unwrap_err();
        assert!(err.to_string().contains("httpResponseCode"), "{err}");
    }
}
