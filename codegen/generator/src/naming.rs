//! The one place that decides Rust names.
//!
//! Every function maps a model (wire) name to a Rust name; the IR stores the
//! two side by side so emitters never derive names themselves. Conversions:
//! types and variants are `UpperCamelCase`, fields, methods and modules are
//! `snake_case` (heck). Names that would clash with Rust get a fixed,
//! documented treatment:
//! - snake-case keywords become raw identifiers (`type` → `r#type`), except
//!   the four that cannot be raw (`self`, `super`, `crate`, `Self`), which get
//!   a trailing underscore (`self_`);
//! - type names that shadow std prelude items (`Option`, `Result`, `String`,
//!   `Box`, `Vec`, …) get the suffix `Value` (`String` → `StringValue`);
//! - the enum variant names the generator itself uses (`Unknown`) and `Self`
//!   get the suffix `Value`;
//! - a member called `build` is named `build_value`, since builders have a
//!   `build()` method.
//!
//! Two model names that end up as the same Rust name are an error, never a
//! silent merge: see [`check_unique`].

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::error::{Error, Result};

/// Keywords of Rust 2021 (strict, reserved and weak-in-position ones that matter for identifiers).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "super", "crate", "Self"];

/// Type names a glob import from the generated crate would shadow std's prelude (or common std traits) with.
const STD_TYPE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Display",
    "Drop",
    "Eq",
    "Err",
    "Error",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Enum variant names the generator reserves for itself.
const RESERVED_VARIANTS: &[&str] = &["Unknown", "Self"];

/// Rust name of a structure, union or enum type.
pub fn type_name(shape_name: &str) -> String {
    let name = camel(shape_name);
    if STD_TYPE_NAMES.contains(&name.as_str()) {
        format!("{name}Value")
    } else {
        name
    }
}

/// Rust name of an enum or union variant.
pub fn variant_name(member_name: &str) -> String {
    let name = camel(member_name);
    if RESERVED_VARIANTS.contains(&name.as_str()) {
        format!("{name}Value")
    } else {
        name
    }
}

/// Rust name of a structure field (and of its builder's setter).
pub fn field_name(member_name: &str) -> String {
    let name = snake(member_name);
    if name == "build" {
        return "build_value".to_owned();
    }
    escape_keyword(name)
}

/// Rust name of an operation's module and client method.
pub fn operation_name(operation: &str) -> String {
    escape_keyword(snake(operation))
}

/// Module of a waiter (`replication_group_available`).
pub fn waiter_module(waiter: &str) -> String {
    escape_keyword(snake(waiter))
}

/// Client method that starts a waiter (`wait_until_replication_group_available`).
pub fn waiter_method(waiter: &str) -> String {
    format!("wait_until_{}", snake(waiter))
}

/// A structure's builder (`CacheClusterBuilder`, `StartMigrationInputBuilder`).
pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// An operation's error enum (`StartMigrationError`).
pub fn operation_error(operation: &str) -> String {
    format!("{}Error", type_name(operation))
}

/// An operation's cargo feature, from its Rust name (`start_migration` →
/// `start-migration`).
pub fn operation_feature(rust_name: &str) -> String {
    unraw(rust_name).replace('_', "-")
}

/// The internal cargo feature that compiles one type (`_type-Endpoint`) or
/// error (`_error-InvalidSubnet`); operation features turn it on. The Rust
/// name is kept as it is, so no two shapes of a module share one.
pub fn shape_feature(error: bool, rust_name: &str) -> String {
    let module = if error { "error" } else { "type" };
    format!("_{module}-{rust_name}")
}

/// An operation's fluent builder in the client (`StartMigrationFluentBuilder`).
pub fn fluent_builder(operation: &str) -> String {
    format!("{}FluentBuilder", type_name(operation))
}

/// Type of the builder every waiter of an operation returns
/// (`DescribeReplicationGroupsWaiter`).
pub fn waiter_builder(operation: &str) -> String {
    format!("{}Waiter", type_name(operation))
}

/// The typed service trait of the `fake` feature (`ElastiCacheService`), from the SDK id.
pub fn service_trait(sdk_id: &str) -> String {
    format!("{}Service", camel(sdk_id))
}

/// Default package name of a generated crate: the service's SDK id (`SNS`,
/// `Elastic Load Balancing v2`), or its shape name when it has none, in
/// kebab case (`sns`, `elastic-load-balancing-v2`). `ElastiCache` becomes
/// `elasticache` rather than `elasti-cache`: a run of letters whose only
/// capitals are an inner one is kept whole when the SDK id is one word.
pub fn crate_name(sdk_id_or_service: &str) -> String {
    let words: Vec<&str> = sdk_id_or_service.split_whitespace().collect();
    if words.len() == 1 && words[0].chars().all(|c| c.is_ascii_alphanumeric()) {
        // One word (`ElastiCache`, `SNS`, `CloudFormation`): the AWS SDKs' crate
        // names (`aws-sdk-elasticache`, `aws-sdk-cloudformation`) keep it whole.
        return words[0].to_ascii_lowercase();
    }
    heck::ToKebabCase::to_kebab_case(sdk_id_or_service)
}

/// Whether `name` can be a Cargo package name: ASCII letters, digits, `-` and `_`,
/// starting with a letter.
pub fn is_crate_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Name of the builder method that takes an `Option` (`set_cache_cluster_id`).
pub fn setter_name(field: &str) -> String {
    format!("set_{}", unraw(field))
}

/// A name without its `r#` prefix: for file names and derived names.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// A `#[serde(rename_all)]` rule of serde's derive, for the key it gives a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SerdeCase {
    /// No rule: the key is the field name (without `r#`).
    Field,
    /// `rename_all = "PascalCase"`: `cache_node_id` → `CacheNodeId`.
    Pascal,
    /// `rename_all = "camelCase"`: `cache_node_id` → `cacheNodeId`.
    Camel,
}

impl SerdeCase {
    /// The rule's name in `rename_all`, if it has one.
    pub fn rule(self) -> Option<&'static str> {
        match self {
            Self::Field => None,
            Self::Pascal => Some("PascalCase"),
            Self::Camel => Some("camelCase"),
        }
    }

    /// The key serde's derive gives the Rust field `field` under this rule
    /// (serde strips `r#`, then upper-cases the first letter and each letter after `_`).
    pub fn key(self, field: &str) -> String {
        let field = unraw(field);
        if self == Self::Field {
            return field.to_owned();
        }
        let mut pascal = String::with_capacity(field.len());
        let mut capitalize = true;
        for ch in field.chars() {
            if ch == '_' {
                capitalize = true;
            } else if capitalize {
                pascal.push(ch.to_ascii_uppercase());
                capitalize = false;
            } else {
                pascal.push(ch);
            }
        }
        match self {
            Self::Camel => {
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            _ => pascal,
        }
    }
}

fn camel(name: &str) -> String {
    let converted = name.to_upper_camel_case();
    // Identifiers like `_1` lose their underscore and would start with a digit.
    if converted.is_empty() || converted.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{converted}")
    } else {
        converted
    }
}

fn snake(name: &str) -> String {
    let converted = name.to_snake_case();
    if converted.is_empty() || converted.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v_{converted}")
    } else {
        converted
    }
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Fails when two model names map to the same Rust name.
///
/// `pairs` are `(model name, Rust name)`; `owner` and `what` say where, for
/// the message (`owner` is a shape id, `what` e.g. "members").
pub fn check_unique<'a>(
    owner: &str,
    what: &str,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<()> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (model, rust) in pairs {
        if let Some((other, _)) = seen.iter().find(|(_, r)| unraw(r) == unraw(rust)) {
            return Err(Error::shape(
                owner,
                format!("{what} `{other}` and `{model}` would both be named `{rust}` in Rust; rename one in the model"),
            ));
        }
        seen.push((model, rust));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_case_keys_follow_serde_derive() {
        assert_eq!(SerdeCase::Pascal.key("cache_node_id"), "CacheNodeId");
        assert_eq!(SerdeCase::Camel.key("cache_node_id"), "cacheNodeId");
        assert_eq!(SerdeCase::Field.key("r#type"), "type");
        assert_eq!(SerdeCase::Pascal.key("r#type"), "Type");
        // Where the model name is not what the rule gives, the emitter adds a rename.
        assert_ne!(SerdeCase::Pascal.key(&field_name("ARN")), "ARN");
        assert_eq!(SerdeCase::Pascal.key("self_"), "Self");
    }

    #[test]
    fn types_are_upper_camel_case() {
        assert_eq!(type_name("CacheCluster"), "CacheCluster");
        assert_eq!(type_name("AZMode"), "AzMode");
        assert_eq!(type_name("ElastiCacheV9"), "ElastiCacheV9");
        assert_eq!(type_name("snake_case_shape"), "SnakeCaseShape");
    }

    #[test]
    fn std_prelude_type_names_get_a_suffix() {
        for (model, rust) in [
            ("Option", "OptionValue"),
            ("Result", "ResultValue"),
            ("String", "StringValue"),
            ("Box", "BoxValue"),
            ("Vec", "VecValue"),
            ("Error", "ErrorValue"),
            ("Some", "SomeValue"),
            ("Default", "DefaultValue"),
        ] {
            assert_eq!(type_name(model), rust, "{model}");
        }
        // Only exact matches are renamed.
        assert_eq!(type_name("StringList"), "StringList");
        assert_eq!(type_name("OptionGroup"), "OptionGroup");
    }

    #[test]
    fn fields_are_snake_case() {
        assert_eq!(field_name("CacheClusterId"), "cache_cluster_id");
        assert_eq!(field_name("ARN"), "arn");
        assert_eq!(field_name("message"), "message");
        assert_eq!(field_name("S3BucketName"), "s3_bucket_name");
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("Match"), "r#match");
        assert_eq!(field_name("async"), "r#async");
        assert_eq!(field_name("Dyn"), "r#dyn");
        assert_eq!(field_name("gen"), "r#gen");
        assert_eq!(setter_name(&field_name("Type")), "set_type");
        assert_eq!(operation_name("Match"), "r#match");
    }

    #[test]
    fn keywords_that_cannot_be_raw_get_an_underscore() {
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("super"), "super_");
        assert_eq!(field_name("Crate"), "crate_");
        assert_eq!(variant_name("Self"), "SelfValue");
    }

    #[test]
    fn builder_method_names_are_not_fields() {
        assert_eq!(field_name("Build"), "build_value");
        assert_eq!(field_name("Builder"), "builder");
    }

    #[test]
    fn variants_are_upper_camel_case_and_avoid_reserved_names() {
        assert_eq!(variant_name("SINGLE_AZ"), "SingleAz");
        assert_eq!(variant_name("cross-az"), "CrossAz");
        assert_eq!(variant_name("Unknown"), "UnknownValue");
        assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
        assert_eq!(variant_name("_1"), "V1");
        assert_eq!(variant_name("V2"), "V2");
    }

    #[test]
    fn crate_names_follow_the_sdk_id() {
        assert_eq!(crate_name("SNS"), "sns");
        assert_eq!(crate_name("ElastiCache"), "elasticache");
        assert_eq!(crate_name("CloudFormation"), "cloudformation");
        assert_eq!(
            crate_name("Elastic Load Balancing v2"),
            "elastic-load-balancing-v2"
        );
        assert_eq!(crate_name("Auto Scaling"), "auto-scaling");
        assert!(is_crate_name("elastic-load-balancing-v2"));
        assert!(is_crate_name("my_sns"));
        assert!(!is_crate_name(""));
        assert!(!is_crate_name("2fa"));
        assert!(!is_crate_name("a b"));
        assert!(!is_crate_name("sns/x"));
    }

    #[test]
    fn collisions_after_conversion_are_errors() {
        let err = check_unique(
            "ns#S",
            "members",
            [
                ("FooBar", field_name("FooBar").leak() as &str),
                ("foo_bar", field_name("foo_bar").leak()),
            ],
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "shape `ns#S`: members `FooBar` and `foo_bar` would both be named `foo_bar` in Rust; rename one in the model"
        );
        // `type` and `r#type` are the same identifier.
        assert!(check_unique("ns#S", "members", [("Type", "r#type"), ("type_", "type")]).is_err());
        assert!(check_unique("ns#S", "members", [("A", "a"), ("B", "b")]).is_ok());
    }
}
