//! What generated endpoint resolvers return, and the partition table behind
//! the rules engine's `aws.partition` function.
//!
//! A generated crate's `endpoint` module compiles the service's endpoint rule
//! set into a plain Rust function; it needs only the types here: the resolved
//! [`Endpoint`], the [`EndpointError`] an error rule gives, and the
//! [`PartitionTable`] the generator fills from `partitions.json` as static
//! data.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use indexmap::IndexMap;

use crate::Document;

/// A resolved endpoint: where to send a request, and what the rules add to it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Endpoint {
    /// The URL (`https://elasticache.us-east-1.amazonaws.com`).
    pub url: String,
    /// Headers to send, in rule order, each with its values.
    pub headers: IndexMap<String, Vec<String>>,
    /// Properties for the layers above (for example `authSchemes`), in rule order.
    pub properties: IndexMap<String, Document>,
}

impl Endpoint {
    /// An endpoint with this URL and no headers or properties.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            headers: IndexMap::new(),
            properties: IndexMap::new(),
        }
    }

    /// Adds a value to a header (a header may have several).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .entry(name.into())
            .or_default()
            .push(value.into());
        self
    }

    /// Sets a property.
    pub fn with_property(mut self, name: impl Into<String>, value: Document) -> Self {
        self.properties.insert(name.into(), value);
        self
    }
}

/// Endpoint resolution failed: an error rule matched (its message is kept as
/// the rule set wrote it), or no rule did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    message: Cow<'static, str>,
}

impl EndpointError {
    /// An error with this message.
    pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The error when a tree rule matched but none of its rules did, which a
    /// well-formed rule set never allows.
    pub fn no_rule_matched() -> Self {
        Self::new("no endpoint rule matched these parameters (the rule set has no fallback rule)")
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}

/// What `aws.partition` gives for a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartitionOutputs {
    /// `name` (`aws`).
    pub name: &'static str,
    /// `dnsSuffix` (`amazonaws.com`).
    pub dns_suffix: &'static str,
    /// `dualStackDnsSuffix` (`api.aws`).
    pub dual_stack_dns_suffix: &'static str,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion` (`us-east-1`).
    pub implicit_global_region: &'static str,
}

/// One partition of a [`PartitionTable`] (generated code builds these as statics).
#[derive(Debug, Clone, Copy)]
pub struct Partition {
    /// `id` (`aws`).
    pub id: &'static str,
    /// `regionRegex`: regions it matches belong to the partition unless another lists them.
    pub region_regex: &'static str,
    /// The regions it lists, sorted.
    pub regions: &'static [&'static str],
    /// Listed regions whose outputs differ from the partition's, sorted by region.
    pub region_outputs: &'static [(&'static str, PartitionOutputs)],
    /// The partition's outputs.
    pub outputs: PartitionOutputs,
}

impl Partition {
    fn outputs_for(&'static self, region: &str) -> &'static PartitionOutputs {
        self.region_outputs
            .binary_search_by(|(name, _)| (*name).cmp(region))
            .ok()
            .and_then(|index| self.region_outputs.get(index))
            .map_or(&self.outputs, |(_, outputs)| outputs)
    }
}

/// The partitions, in the order their regexes are tried, with the regexes
/// compiled once, on first use.
#[derive(Debug)]
pub struct PartitionTable {
    partitions: &'static [Partition],
    regexes: OnceLock<Vec<Option<regex_lite::Regex>>>,
}

impl PartitionTable {
    /// A table of these partitions (usable in a `static`).
    pub const fn new(partitions: &'static [Partition]) -> Self {
        Self {
            partitions,
            regexes: OnceLock::new(),
        }
    }

    /// The partitions, in order.
    pub fn partitions(&self) -> &'static [Partition] {
        self.partitions
    }

    /// `aws.partition(region)`: the partition that lists the region (with the
    /// region's own outputs, if it overrides some), else the first whose
    /// `regionRegex` matches, else the `aws` partition. `None` only when the
    /// table has no `aws` partition. A regex that does not compile matches
    /// nothing (the generator checks them, so this does not happen).
    pub fn resolve(&self, region: &str) -> Option<&'static PartitionOutputs> {
        let partitions: &'static [Partition] = self.partitions;
        if let Some(listed) = partitions
            .iter()
            .find(|p| p.regions.binary_search(&region).is_ok())
        {
            return Some(listed.outputs_for(region));
        }
        let regexes = self.regexes.get_or_init(|| {
            partitions
                .iter()
                .map(|p| regex_lite::Regex::new(p.region_regex).ok())
                .collect()
        });
        partitions
            .iter()
            .zip(regexes)
            .find(|(_, regex)| regex.as_ref().is_some_and(|r| r.is_match(region)))
            .or_else(|| partitions.iter().zip(regexes).find(|(p, _)| p.id == "aws"))
            .map(|(p, _)| &p.outputs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn outputs(name: &'static str, dns_suffix: &'static str) -> PartitionOutputs {
        PartitionOutputs {
            name,
            dns_suffix,
            dual_stack_dns_suffix: "api.example",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "global-1",
        }
    }

    const EAST_OVERRIDE: PartitionOutputs = PartitionOutputs {
        supports_dual_stack: true,
        ..outputs("aws", "amazonaws.com")
    };

    static TABLE: PartitionTable = PartitionTable::new(&[
        Partition {
            id: "aws",
            region_regex: r"^(us|eu)\-\w+\-\d+$",
            regions: &["aws-global", "us-east-1", "us-west-2"],
            region_outputs: &[("us-east-1", EAST_OVERRIDE)],
            outputs: outputs("aws", "amazonaws.com"),
        },
        Partition {
            id: "aws-cn",
            region_regex: r"^cn\-\w+\-\d+$",
            regions: &["cn-north-1"],
            region_outputs: &[],
            outputs: outputs("aws-cn", "amazonaws.com.cn"),
        },
        Partition {
            id: "aws-us-gov",
            // Overlaps the `aws` regex (`us-gov-9` matches both).
            region_regex: r"^us\-gov\-\d+$",
            regions: &["us-gov-west-1"],
            region_outputs: &[],
            outputs: outputs("aws-us-gov", "amazonaws.com"),
        },
        Partition {
            id: "broken",
            region_regex: r"^(unclosed",
            regions: &[],
            region_outputs: &[],
            outputs: outputs("broken", "broken.example"),
        },
    ]);

    fn name(region: &str) -> Option<&'static str> {
        TABLE.resolve(region).map(|o| o.name)
    }

    #[test]
    fn a_listed_region_takes_its_partition_before_any_regex() {
        assert_eq!(name("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(name("cn-north-1"), Some("aws-cn"));
        assert_eq!(
            name("aws-global"),
            Some("aws"),
            "matches no regex, but listed"
        );
    }

    #[test]
    fn an_unlisted_region_takes_the_first_partition_whose_regex_matches() {
        assert_eq!(name("cn-south-7"), Some("aws-cn"));
        // Both `aws` and `aws-us-gov` match; `aws` comes first.
        assert_eq!(name("us-gov-9"), Some("aws"));
        assert_eq!(name("eu-central-3"), Some("aws"));
    }

    #[test]
    fn anything_else_is_the_aws_partition() {
        assert_eq!(name("mars-east-1"), Some("aws"));
        assert_eq!(name(""), Some("aws"));
        assert_eq!(
            name("unclosed"),
            Some("aws"),
            "a broken regex matches nothing"
        );
    }

    #[test]
    fn a_region_override_replaces_only_what_it_sets() {
        let east = TABLE.resolve("us-east-1").unwrap();
        assert!(east.supports_dual_stack);
        assert_eq!(east.dns_suffix, "amazonaws.com");
        let west = TABLE.resolve("us-west-2").unwrap();
        assert!(!west.supports_dual_stack);
    }

    #[test]
    fn without_an_aws_partition_an_unknown_region_has_none() {
        static NO_AWS: PartitionTable = PartitionTable::new(&[Partition {
            id: "other",
            region_regex: r"^o\-",
            regions: &[],
            region_outputs: &[],
            outputs: outputs("other", "other.example"),
        }]);
        assert_eq!(NO_AWS.resolve("o-1").map(|o| o.name), Some("other"));
        assert_eq!(NO_AWS.resolve("x-1"), None);
    }

    #[test]
    fn endpoints_keep_header_and_property_order() {
        let endpoint = Endpoint::new("https://example.com")
            .with_header("b", "1")
            .with_header("a", "2")
            .with_header("b", "3")
            .with_property("z", Document::Bool(true))
            .with_property("y", Document::String("s".into()));
        let headers: Vec<(&str, Vec<&str>)> = endpoint
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(headers, [("b", vec!["1", "3"]), ("a", vec!["2"])]);
        let keys: Vec<&str> = endpoint.properties.keys().map(String::as_str).collect();
        assert_eq!(keys, ["z", "y"]);
    }

    #[test]
    fn errors_show_their_message() {
        let error = EndpointError::new("Invalid Configuration: Missing Region");
        assert_eq!(error.to_string(), "Invalid Configuration: Missing Region");
        assert_eq!(error.message(), "Invalid Configuration: Missing Region");
        let owned = EndpointError::new(format!("region {}", "x"));
        assert_eq!(owned.message(), "region x");
        assert!(EndpointError::no_rule_matched()
            .message()
            .contains("no endpoint rule matched"));
    }
}
