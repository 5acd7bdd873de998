//! The AWS partition table (`partitions.json`), read at generation time.
//!
//! The rules engine's `aws.partition` function maps a region to the partition
//! it belongs to. Generated resolvers carry the table as static Rust data
//! (see [`crate::emit::endpoint`]); this module reads and checks the JSON so
//! that nothing about it can go wrong at run time: every region regex must
//! compile (with `regex-lite`, the engine the runtime uses), every output
//! attribute must be there with the right type, and region-level overrides are
//! merged here so the generated table holds final values.

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// What `aws.partition` returns for a region: the partition's outputs, with the
/// region's own overrides applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// `name` (`aws`, `aws-cn`, …).
    pub name: String,
    /// `dnsSuffix` (`amazonaws.com`).
    pub dns_suffix: String,
    /// `dualStackDnsSuffix` (`api.aws`).
    pub dual_stack_dns_suffix: String,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion` (`us-east-1`).
    pub implicit_global_region: String,
}

/// The output attributes a rule set may read with `getAttr`, as
/// `(attribute, Rust field of the runtime's PartitionOutputs, is it a bool)`.
pub const ATTRIBUTES: &[(&str, &str, bool)] = &[
    ("name", "name", false),
    ("dnsSuffix", "dns_suffix", false),
    ("dualStackDnsSuffix", "dual_stack_dns_suffix", false),
    ("supportsFIPS", "supports_fips", true),
    ("supportsDualStack", "supports_dual_stack", true),
    ("implicitGlobalRegion", "implicit_global_region", false),
];

/// One partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// `id` (`aws`).
    pub id: String,
    /// `regionRegex`, checked to compile.
    pub region_regex: String,
    /// The partition's own outputs.
    pub outputs: PartitionOutputs,
    /// The regions listed by name, sorted, each with its outputs when they differ
    /// from the partition's (region-level overrides), else `None`.
    pub regions: Vec<(String, Option<PartitionOutputs>)>,
}

/// The whole table, in file order (the order regexes are tried in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partitions {
    /// Where the data came from, for the generated docs (`partitions.json`, or a label).
    pub source: String,
    /// The file's `version`.
    pub version: String,
    /// The partitions.
    pub partitions: Vec<Partition>,
}

impl Partitions {
    /// Parses and checks `partitions.json`. `source` names the file in errors and in
    /// the generated docs.
    pub fn parse(source: &str, text: &str) -> Result<Self> {
        let fail = |reason: String| Error::model(reason).in_source(source);
        let doc: Value = serde_json::from_str(text)
            .map_err(|e| fail(format!("partition data is not valid JSON: {e}")))?;
        let root = doc
            .as_object()
            .ok_or_else(|| fail("partition data must be a JSON object".into()))?;
        let version = root
            .get("version")
            .and_then(Value::as_str)
            .ok_or_else(|| fail("partition data has no string `version`".into()))?
            .to_owned();
        let list = root
            .get("partitions")
            .and_then(Value::as_array)
            .ok_or_else(|| fail("partition data has no `partitions` array".into()))?;
        let mut partitions: Vec<Partition> = Vec::with_capacity(list.len());
        for (index, item) in list.iter().enumerate() {
            let partition = parse_partition(item).map_err(|what| {
                let id = item.get("id").and_then(Value::as_str).unwrap_or("?");
                fail(format!("partitions[{index}] (`{id}`): {what}"))
            })?;
            if partitions.iter().any(|p| p.id == partition.id) {
                return Err(fail(format!(
                    "partitions[{index}]: partition id `{}` appears twice",
                    partition.id
                )));
            }
            partitions.push(partition);
        }
        if partitions.is_empty() {
            return Err(fail("partition data lists no partitions".into()));
        }
        Ok(Self {
            source: source.to_owned(),
            version,
            partitions,
        })
    }
}

fn parse_partition(item: &Value) -> std::result::Result<Partition, String> {
    let obj = item.as_object().ok_or("must be an object")?;
    let id = string_field(obj, "id")?;
    let region_regex = string_field(obj, "regionRegex")?;
    if let Err(e) = regex_lite::Regex::new(&region_regex) {
        return Err(format!(
            "`regionRegex` {region_regex:?} does not compile: {e}"
        ));
    }
    let outputs_obj = obj
        .get("outputs")
        .and_then(Value::as_object)
        .ok_or("has no `outputs` object")?;
    let outputs = PartitionOutputs {
        name: string_field(outputs_obj, "name").map_err(|e| format!("`outputs` {e}"))?,
        dns_suffix: string_field(outputs_obj, "dnsSuffix").map_err(|e| format!("`outputs` {e}"))?,
        dual_stack_dns_suffix: string_field(outputs_obj, "dualStackDnsSuffix")
            .map_err(|e| format!("`outputs` {e}"))?,
        supports_fips: bool_field(outputs_obj, "supportsFIPS")
            .map_err(|e| format!("`outputs` {e}"))?,
        supports_dual_stack: bool_field(outputs_obj, "supportsDualStack")
            .map_err(|e| format!("`outputs` {e}"))?,
        implicit_global_region: string_field(outputs_obj, "implicitGlobalRegion")
            .map_err(|e| format!("`outputs` {e}"))?,
    };
    let regions_obj = obj
        .get("regions")
        .and_then(Value::as_object)
        .ok_or("has no `regions` object")?;
    let mut regions = Vec::with_capacity(regions_obj.len());
    for (name, value) in regions_obj {
        let region = value
            .as_object()
            .ok_or_else(|| format!("region `{name}` must be an object"))?;
        let merged =
            with_overrides(&outputs, region).map_err(|e| format!("region `{name}`: {e}"))?;
        regions.push((name.clone(), (merged != outputs).then_some(merged)));
    }
    regions.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Partition {
        id,
        region_regex,
        outputs,
        regions,
    })
}

/// The partition's outputs with a region's overriding attributes (any output
/// attribute the region sets; other keys such as `description` are not outputs).
fn with_overrides(
    outputs: &PartitionOutputs,
    region: &Map<String, Value>,
) -> std::result::Result<PartitionOutputs, String> {
    let mut merged = outputs.clone();
    let text = |key: &str, slot: &mut String| -> std::result::Result<(), String> {
        if region.contains_key(key) {
            *slot = string_field(region, key)?;
        }
        Ok(())
    };
    text("name", &mut merged.name)?;
    text("dnsSuffix", &mut merged.dns_suffix)?;
    text("dualStackDnsSuffix", &mut merged.dual_stack_dns_suffix)?;
    text("implicitGlobalRegion", &mut merged.implicit_global_region)?;
    if region.contains_key("supportsFIPS") {
        merged.supports_fips = bool_field(region, "supportsFIPS")?;
    }
    if region.contains_key("supportsDualStack") {
        merged.supports_dual_stack = bool_field(region, "supportsDualStack")?;
    }
    Ok(merged)
}

fn string_field(obj: &Map<String, Value>, key: &str) -> std::result::Result<String, String> {
    obj.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("has no string `{key}`"))
}

fn bool_field(obj: &Map<String, Value>, key: &str) -> std::result::Result<bool, String> {
    obj.get(key)
        .and_then(Value::as_bool)
        .ok_or_else(|| format!("has no boolean `{key}`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn outputs(name: &str) -> Value {
        json!({
            "name": name, "dnsSuffix": "example.com", "dualStackDnsSuffix": "api.example",
            "supportsFIPS": true, "supportsDualStack": false, "implicitGlobalRegion": "x-east-1"
        })
    }

    fn parse(doc: Value) -> Result<Partitions> {
        Partitions::parse("test.json", &doc.to_string())
    }

    #[test]
    fn reads_partitions_in_order_with_sorted_regions_and_merged_overrides() {
        let table = parse(json!({"version": "1.1", "partitions": [
            {"id": "aws", "regionRegex": "^x\\-\\w+\\-\\d+$", "outputs": outputs("aws"),
             "regions": {"x-west-1": {"description": "West"}, "x-east-1": {"dnsSuffix": "east.example", "supportsDualStack": true}}},
            {"id": "other", "regionRegex": "^y\\-", "outputs": outputs("other"), "regions": {}}
        ]}))
        .unwrap();
        assert_eq!(table.version, "1.1");
        let ids: Vec<&str> = table.partitions.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["aws", "other"]);
        let aws = &table.partitions[0];
        assert_eq!(aws.regions[0].0, "x-east-1");
        let east = aws.regions[0]
            .1
            .as_ref()
            .expect("x-east-1 overrides two outputs");
        assert_eq!(east.dns_suffix, "east.example");
        assert!(east.supports_dual_stack);
        assert_eq!(east.dual_stack_dns_suffix, "api.example", "not overridden");
        assert_eq!(
            aws.regions[1],
            ("x-west-1".to_owned(), None),
            "a description is no override"
        );
    }

    #[test]
    fn malformed_data_names_the_partition_and_the_problem() {
        let cases = [
            (json!([]), "must be a JSON object"),
            (json!({"version": "1.1"}), "no `partitions` array"),
            (
                json!({"version": "1.1", "partitions": []}),
                "lists no partitions",
            ),
            (
                json!({"version": "1.1", "partitions": [{"id": "aws", "regionRegex": "^(us", "outputs": outputs("aws"), "regions": {}}]}),
                "partitions[0] (`aws`): `regionRegex` \"^(us\" does not compile",
            ),
            (
                json!({"version": "1.1", "partitions": [{"id": "aws", "regionRegex": "^x", "outputs": {"name": "aws"}, "regions": {}}]}),
                "partitions[0] (`aws`): `outputs` has no string `dnsSuffix`",
            ),
            (
                json!({"version": "1.1", "partitions": [{"id": "aws", "regionRegex": "^x", "outputs": outputs("aws"), "regions": {"x-1": {"supportsFIPS": "yes"}}}]}),
                "region `x-1`: has no boolean `supportsFIPS`",
            ),
            (
                json!({"version": "1.1", "partitions": [
                    {"id": "aws", "regionRegex": "^x", "outputs": outputs("aws"), "regions": {}},
                    {"id": "aws", "regionRegex": "^y", "outputs": outputs("aws"), "regions": {}}]}),
                "partition id `aws` appears twice",
            ),
        ];
        for (doc, expected) in cases {
            let err = parse(doc.clone()).unwrap_err().to_string();
            assert!(err.starts_with("test.json: "), "{err}");
            assert!(err.contains(expected), "{doc}: {err}");
        }
        let err = Partitions::parse("p.json", "{").unwrap_err().to_string();
        assert!(err.contains("not valid JSON"), "{err}");
    }
}
