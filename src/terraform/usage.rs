//! The usage file: what a plan cannot know (how long things run, how much an ECR repository
//! stores, which instances an EC2-launch service runs on), as TOML. Read by the caller and
//! handed in as text.
//!
//! ```toml
//! hours = 730                                   # every service and cluster; default 730
//!
//! [resource."aws_ecr_repository.images"]
//! storage_gb = 12
//! months = 1
//!
//! [resource."module.api.aws_ecs_service.this"]  # or with its instance key: ...this["a"]
//! hours = 200
//! desired_count = 3
//! data_transfer = 50
//! instance_type = "m5.large"                    # EC2 launch type
//! instances = 2
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::input::TomlProblem;
use crate::money::Exact;

/// The whole usage file. `Usage::default()` is no file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Usage {
    /// Hours every service and cluster runs in the period.
    pub hours: Option<Exact>,
    /// Per resource address.
    #[serde(default)]
    pub resource: BTreeMap<String, ResourceUsage>,
}

/// What the usage file says about one resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceUsage {
    pub hours: Option<Exact>,
    pub desired_count: Option<u64>,
    pub data_transfer: Option<Exact>,
    pub instance_type: Option<String>,
    pub instances: Option<u64>,
    pub storage_gb: Option<Exact>,
    pub months: Option<Exact>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct UsageError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Reads a usage file's text.
pub fn parse(text: &str) -> Result<Usage, UsageError> {
    toml::from_str(text).map_err(|e| {
        let problem = TomlProblem::new(text, &e);
        let message = match problem.table {
            Some(table) => format!("{table}: {}", problem.message),
            None => problem.message,
        };
        UsageError { line: problem.line, column: problem.column, message }
    })
}

impl Usage {
    /// What the file says about `address`: its own entry, else the entry of the address without
    /// its instance keys (`aws_ecs_service.web` for `aws_ecs_service.web["a"]`).
    pub fn for_address(&self, address: &str) -> Option<&ResourceUsage> {
        self.resource.get(address).or_else(|| self.resource.get(&super::strip_keys(address)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hours_and_resources() {
        let usage = parse(
            "hours = 100\n[resource.\"aws_ecr_repository.r\"]\nstorage_gb = \"12.5\"\n\
             [resource.\"aws_ecs_service.web\"]\ndesired_count = 2\n",
        )
        .unwrap();
        assert_eq!(usage.hours.unwrap().0, rust_decimal::Decimal::from(100));
        assert_eq!(usage.for_address("aws_ecs_service.web[\"a\"]").unwrap().desired_count, Some(2));
        assert!(usage.for_address("aws_ecs_service.api").is_none());
    }

    #[test]
    fn unknown_keys_name_the_line() {
        let err = parse("[resource.\"x\"]\nstorage = 1\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("storage"), "{err}");
    }
}
