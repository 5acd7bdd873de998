//! Second frontend: botocore's JSON service model (`service-2.json`) → the
//! Smithy JSON AST, then the ordinary loader ([`crate::model::Model::load`]).
//!
//! Converting to the AST rather than straight to the IR keeps one set of
//! rules for everything after loading. Mapping (botocore → Smithy):
//! `locationName` → `xmlName`; `flattened` (member or shape) → `xmlFlattened`;
//! `timestampFormat` `iso8601`/`unixTimestamp`/`rfc822` → `date-time`/
//! `epoch-seconds`/`http-date`; `enum` on a string → an `enum` shape (member
//! names derived from the values); `exception` + `error` → `error` and
//! `awsQueryError`; `character` → string. botocore has no defaults, so every
//! member is optional (`required` members are also `clientOptional`).

use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::traits::kind_of;

/// The service shape's id in a converted model: `<namespace>#<name>`.
pub fn service_id(namespace: &str, name: &str) -> String {
    format!("{namespace}#{name}")
}

/// The namespace and service name a converted model gets when the caller
/// names none, from `metadata`: `com.amazonaws.<endpointPrefix>` and the SDK id
/// without spaces or punctuation (`SNS`), as the Smithy models name them.
pub fn default_service(doc: &Value) -> (String, String) {
    let metadata = |key: &str| {
        doc.get("metadata")
            .and_then(|m| m.get(key))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    let word =
        |text: &str| -> String { text.chars().filter(char::is_ascii_alphanumeric).collect() };
    let prefix = word(metadata("endpointPrefix")).to_ascii_lowercase();
    let mut name = word(metadata("serviceId"));
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name = format!("Service{name}");
    }
    let namespace = if prefix.is_empty() {
        "com.amazonaws.service".to_owned()
    } else if prefix.starts_with(|c: char| c.is_ascii_digit()) {
        format!("com.amazonaws.s{prefix}")
    } else {
        format!("com.amazonaws.{prefix}")
    };
    (namespace, name)
}

/// Converts a botocore model (`metadata`, `operations`, `shapes`) into Smithy JSON AST text.
/// The service gets the name `service_name` in `namespace`.
pub fn to_smithy_json(doc: &Value, namespace: &str, service_name: &str) -> Result<Value> {
    let metadata = doc
        .get("metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let shapes_in = match doc.get("shapes") {
        Some(Value::Object(shapes)) => shapes.clone(),
        Some(other) => {
            return Err(Error::model(format!(
                "botocore `shapes` must be an object, found {}",
                kind_of(other)
            )))
        }
        None => Map::new(),
    };
    let operations_in = match doc.get("operations") {
        Some(Value::Object(ops)) => ops.clone(),
        Some(other) => {
            return Err(Error::model(format!(
                "botocore `operations` must be an object, found {}",
                kind_of(other)
            )))
        }
        None => Map::new(),
    };
    let id = |name: &str| format!("{namespace}#{name}");
    let mut shapes = Map::new();

    for (name, shape) in &shapes_in {
        shapes.insert(id(name), convert_shape(name, shape, &id)?);
    }

    let mut operation_refs = Vec::new();
    for (name, op) in &operations_in {
        let op_id = id(name);
        if shapes.contains_key(&op_id) {
            return Err(Error::shape(
                &op_id,
                "an operation and a shape share this name",
            ));
        }
        let mut out = Map::new();
        out.insert("type".into(), json!("operation"));
        if let Some(input) = op
            .get("input")
            .and_then(|i| i.get("shape"))
            .and_then(Value::as_str)
        {
            out.insert("input".into(), json!({ "target": id(input) }));
        }
        if let Some(output) = op
            .get("output")
            .and_then(|o| o.get("shape"))
            .and_then(Value::as_str)
        {
            out.insert("output".into(), json!({ "target": id(output) }));
        }
        let errors: Vec<Value> = op
            .get("errors")
            .and_then(Value::as_array)
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e.get("shape").and_then(Value::as_str))
                    .map(|e| json!({ "target": id(e) }))
                    .collect()
            })
            .unwrap_or_default();
        if !errors.is_empty() {
            out.insert("errors".into(), Value::Array(errors));
        }
        let mut traits = Map::new();
        if let Some(docs) = op.get("documentation").and_then(Value::as_str) {
            traits.insert("smithy.api#documentation".into(), json!(docs));
        }
        if let Some(prefix) = op
            .get("endpoint")
            .and_then(|e| e.get("hostPrefix"))
            .and_then(Value::as_str)
        {
            traits.insert(
                "smithy.api#endpoint".into(),
                json!({ "hostPrefix": prefix }),
            );
        }
        if op.get("deprecated").and_then(Value::as_bool) == Some(true) {
            traits.insert("smithy.api#deprecated".into(), json!({}));
        }
        if !traits.is_empty() {
            out.insert("traits".into(), Value::Object(traits));
        }
        shapes.insert(op_id.clone(), Value::Object(out));
        operation_refs.push(json!({ "target": op_id }));
    }

    let mut service_traits = Map::new();
    if metadata.get("protocol").and_then(Value::as_str) == Some("query") {
        service_traits.insert("aws.protocols#awsQuery".into(), json!({}));
    }
    match metadata.get("xmlNamespace") {
        Some(Value::String(uri)) => {
            service_traits.insert("smithy.api#xmlNamespace".into(), json!({ "uri": uri }));
        }
        Some(Value::Object(ns)) => {
            service_traits.insert("smithy.api#xmlNamespace".into(), Value::Object(ns.clone()));
        }
        _ => {}
    }
    if let Some(sdk_id) = metadata.get("serviceId").and_then(Value::as_str) {
        let prefix = metadata
            .get("endpointPrefix")
            .cloned()
            .unwrap_or(Value::Null);
        service_traits.insert(
            "aws.api#service".into(),
            json!({ "sdkId": sdk_id, "endpointPrefix": prefix }),
        );
    }
    if let Some(name) = metadata
        .get("signingName")
        .or_else(|| metadata.get("endpointPrefix"))
        .and_then(Value::as_str)
    {
        service_traits.insert("aws.auth#sigv4".into(), json!({ "name": name }));
    }
    if let Some(title) = metadata.get("serviceFullName").and_then(Value::as_str) {
        service_traits.insert("smithy.api#title".into(), json!(title));
    }
    if let Some(docs) = doc.get("documentation").and_then(Value::as_str) {
        service_traits.insert("smithy.api#documentation".into(), json!(docs));
    }
    let version = metadata
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let service = service_id(namespace, service_name);
    if shapes.contains_key(&service) {
        return Err(Error::shape(
            &service,
            "the service name is also a shape name",
        ));
    }
    shapes.insert(
        service,
        json!({ "type": "service", "version": version, "operations": operation_refs, "traits": service_traits }),
    );
    Ok(json!({ "smithy": "2.0", "shapes": shapes }))
}

fn timestamp_format(owner: &str, value: &Value) -> Result<&'static str> {
    match value.as_str() {
        Some("iso8601") => Ok("date-time"),
        Some("unixTimestamp") => Ok("epoch-seconds"),
        Some("rfc822") => Ok("http-date"),
        _ => Err(Error::shape(
            owner,
            format!("unknown botocore timestampFormat {value}"),
        )),
    }
}

/// Traits botocore puts on both shapes and member references.
fn common_traits(
    owner: &str,
    from: &Map<String, Value>,
    traits: &mut Map<String, Value>,
) -> Result<()> {
    if let Some(docs) = from.get("documentation").and_then(Value::as_str) {
        traits.insert("smithy.api#documentation".into(), json!(docs));
    }
    if let Some(name) = from.get("locationName").and_then(Value::as_str) {
        traits.insert("smithy.api#xmlName".into(), json!(name));
    }
    if from.get("flattened").and_then(Value::as_bool) == Some(true) {
        traits.insert("smithy.api#xmlFlattened".into(), json!({}));
    }
    if from.get("xmlAttribute").and_then(Value::as_bool) == Some(true) {
        traits.insert("smithy.api#xmlAttribute".into(), json!({}));
    }
    match from.get("xmlNamespace") {
        Some(Value::String(uri)) => {
            traits.insert("smithy.api#xmlNamespace".into(), json!({ "uri": uri }));
        }
        Some(Value::Object(ns)) => {
            traits.insert("smithy.api#xmlNamespace".into(), Value::Object(ns.clone()));
        }
        _ => {}
    }
    if let Some(format) = from.get("timestampFormat") {
        traits.insert(
            "smithy.api#timestampFormat".into(),
            json!(timestamp_format(owner, format)?),
        );
    }
    if from.get("sensitive").and_then(Value::as_bool) == Some(true) {
        traits.insert("smithy.api#sensitive".into(), json!({}));
    }
    if from.get("deprecated").and_then(Value::as_bool) == Some(true) {
        traits.insert("smithy.api#deprecated".into(), json!({}));
    }
    if from.get("hostLabel").and_then(Value::as_bool) == Some(true) {
        traits.insert("smithy.api#hostLabel".into(), json!({}));
    }
    if from.get("idempotencyToken").and_then(Value::as_bool) == Some(true) {
        traits.insert("smithy.api#idempotencyToken".into(), json!({}));
    }
    Ok(())
}

/// A Smithy identifier for an enum value (`"cross-az"` → `cross_az`, `"0"` → `_0`), unique in `taken`.
fn enum_member_name(value: &str, taken: &mut Vec<String>) -> String {
    let mut name: String = value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert(0, '_');
    }
    if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
        name.push_str("value");
    }
    let mut unique = name.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&unique)) {
        unique = format!("{name}_{n}");
        n += 1;
    }
    taken.push(unique.clone());
    unique
}

fn convert_shape(name: &str, shape: &Value, id: &dyn Fn(&str) -> String) -> Result<Value> {
    let owner = id(name);
    let obj = shape.as_object().ok_or_else(|| {
        Error::shape(
            &owner,
            format!(
                "a botocore shape must be an object, found {}",
                kind_of(shape)
            ),
        )
    })?;
    let ty = obj
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::shape(&owner, "a botocore shape needs a string `type`"))?;
    let mut traits = Map::new();
    common_traits(&owner, obj, &mut traits)?;
    // Shape-level `locationName` names an element in old models; it has no Smithy meaning on a shape.
    traits.remove("smithy.api#xmlName");
    if let Some(pattern) = obj.get("pattern").and_then(Value::as_str) {
        traits.insert("smithy.api#pattern".into(), json!(pattern));
    }
    let member_ref = |member: &str, value: Option<&Value>| -> Result<Value> {
        let member_id = format!("{owner}${member}");
        let value = value
            .and_then(Value::as_object)
            .ok_or_else(|| Error::shape(&member_id, "needs an object with a `shape`"))?;
        let target = value
            .get("shape")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::shape(&member_id, "has no string `shape`"))?;
        let mut member_traits = Map::new();
        common_traits(&member_id, value, &mut member_traits)?;
        Ok(json!({ "target": id(target), "traits": member_traits }))
    };
    let out = match ty {
        "structure" => {
            let required: Vec<&str> = obj
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut members = Map::new();
            if let Some(Value::Object(ms)) = obj.get("members") {
                for (member, value) in ms {
                    let mut converted = member_ref(member, Some(value))?;
                    if required.contains(&member.as_str()) {
                        if let Some(t) = converted.get_mut("traits").and_then(Value::as_object_mut)
                        {
                            t.insert("smithy.api#required".into(), json!({}));
                            t.insert("smithy.api#clientOptional".into(), json!({}));
                        }
                    }
                    members.insert(member.clone(), converted);
                }
            }
            if obj.get("exception").and_then(Value::as_bool) == Some(true) {
                let error = obj.get("error").and_then(Value::as_object);
                let sender = error
                    .and_then(|e| e.get("senderFault"))
                    .and_then(Value::as_bool)
                    .unwrap_or(true);
                traits.insert(
                    "smithy.api#error".into(),
                    json!(if sender { "client" } else { "server" }),
                );
                let status = error
                    .and_then(|e| e.get("httpStatusCode"))
                    .and_then(Value::as_u64)
                    .unwrap_or(if sender { 400 } else { 500 });
                let code = error
                    .and_then(|e| e.get("code"))
                    .and_then(Value::as_str)
                    .unwrap_or(name);
                traits.insert(
                    "aws.protocols#awsQueryError".into(),
                    json!({ "code": code, "httpResponseCode": status }),
                );
            }
            json!({ "type": if obj.get("union").and_then(Value::as_bool) == Some(true) { "union" } else { "structure" }, "members": members, "traits": traits })
        }
        "list" => {
            json!({ "type": "list", "member": member_ref("member", obj.get("member"))?, "traits": traits })
        }
        "map" => json!({
            "type": "map",
            "key": member_ref("key", obj.get("key"))?,
            "value": member_ref("value", obj.get("value"))?,
            "traits": traits,
        }),
        "string" | "character" => match obj.get("enum").and_then(Value::as_array) {
            Some(values) => {
                let mut taken = Vec::new();
                let mut members = Map::new();
                for value in values {
                    let value = value
                        .as_str()
                        .ok_or_else(|| Error::shape(&owner, "enum values must be strings"))?;
                    let member = enum_member_name(value, &mut taken);
                    members.insert(member, json!({ "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": value } }));
                }
                json!({ "type": "enum", "members": members, "traits": traits })
            }
            None => json!({ "type": "string", "traits": traits }),
        },
        "integer" | "long" | "float" | "double" | "boolean" | "blob" | "timestamp" | "byte"
        | "short" => {
            json!({ "type": ty, "traits": traits })
        }
        "bigdecimal" => json!({ "type": "bigDecimal", "traits": traits }),
        "biginteger" => json!({ "type": "bigInteger", "traits": traits }),
        other => {
            return Err(Error::shape(
                &owner,
                format!("unsupported botocore shape type `{other}`"),
            ))
        }
    };
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_values_become_identifiers() {
        let mut taken = Vec::new();
        assert_eq!(enum_member_name("cross-az", &mut taken), "cross_az");
        assert_eq!(enum_member_name("0", &mut taken), "_0");
        assert_eq!(enum_member_name("cross_az", &mut taken), "cross_az_2");
        assert_eq!(enum_member_name("-", &mut taken), "__value");
    }

    #[test]
    fn converts_the_query_traits() {
        let doc = json!({
            "metadata": { "protocol": "query", "apiVersion": "2020-01-08" },
            "operations": { "Op": { "name": "Op", "input": { "shape": "In" } } },
            "shapes": {
                "In": { "type": "structure", "required": ["L"], "members": {
                    "L": { "shape": "List", "locationName": "Renamed", "flattened": true },
                    "T": { "shape": "Time", "timestampFormat": "unixTimestamp" }
                } },
                "List": { "type": "list", "member": { "shape": "S", "locationName": "item" }, "flattened": true },
                "S": { "type": "string", "enum": ["a-b", "0"] },
                "Time": { "type": "timestamp" }
            }
        });
        let ast = to_smithy_json(&doc, "ns", "Svc").unwrap();
        let shapes = &ast["shapes"];
        assert_eq!(
            shapes["ns#In"]["members"]["L"]["traits"]["smithy.api#xmlName"],
            "Renamed"
        );
        assert_eq!(
            shapes["ns#In"]["members"]["L"]["traits"]["smithy.api#clientOptional"],
            json!({})
        );
        assert_eq!(
            shapes["ns#In"]["members"]["T"]["traits"]["smithy.api#timestampFormat"],
            "epoch-seconds"
        );
        assert_eq!(
            shapes["ns#List"]["traits"]["smithy.api#xmlFlattened"],
            json!({})
        );
        assert_eq!(
            shapes["ns#List"]["member"]["traits"]["smithy.api#xmlName"],
            "item"
        );
        assert_eq!(
            shapes["ns#S"]["members"]["_0"]["traits"]["smithy.api#enumValue"],
            "0"
        );
        assert_eq!(shapes["ns#Svc"]["version"], "2020-01-08");
        assert_eq!(
            shapes["ns#Svc"]["traits"]["aws.protocols#awsQuery"],
            json!({})
        );
        let model = crate::model::Model::load("test", &ast.to_string()).unwrap();
        assert!(model.shapes.contains_key("ns#Op"));
    }
}
