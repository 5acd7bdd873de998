use std::fmt;

/// A builder's `build()` failed because required members were not set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    type_name: &'static str,
    missing: Vec<&'static str>,
}

impl BuildError {
    /// Creates the error for `type_name` with the names of the missing members
    /// (as the builder's setters are called, in model order).
    pub fn missing_members(type_name: &'static str, missing: Vec<&'static str>) -> Self {
        Self { type_name, missing }
    }

    /// The Rust type that could not be built.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The required members that were not set, named like the builder's setters, in model order.
    pub fn missing(&self) -> &[&'static str] {
        &self.missing
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build `{}`: required member", self.type_name)?;
        if self.missing.len() > 1 {
            f.write_str("s")?;
        }
        for (i, name) in self.missing.iter().enumerate() {
            let sep = if i == 0 { " " } else { ", " };
            write!(f, "{sep}`{name}`")?;
        }
        f.write_str(" not set")
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_missing_member() {
        let one = BuildError::missing_members("Tag", vec!["Key"]);
        assert_eq!(
            one.to_string(),
            "cannot build `Tag`: required member `Key` not set"
        );
        let two = BuildError::missing_members(
            "StartMigrationInput",
            vec!["ReplicationGroupId", "CustomerNodeEndpointList"],
        );
        assert_eq!(
            two.to_string(),
            "cannot build `StartMigrationInput`: required members `ReplicationGroupId`, `CustomerNodeEndpointList` not set"
        );
        assert_eq!(
            two.missing(),
            ["ReplicationGroupId", "CustomerNodeEndpointList"]
        );
    }
}
