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

use crate::input::{InputError, TomlProblem, at_least_one, non_negative, positive};
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

/// Why a usage file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    #[error("line {line}, column {column}: {message}")]
    Syntax { line: usize, column: usize, message: String },
    /// A value out of the range every input path allows (`hours` above 0, `storage_gb` 0 or more…).
    #[error("{place}: {message}")]
    Range { place: String, message: String },
}

/// Reads a usage file's text.
pub fn parse(text: &str) -> Result<Usage, UsageError> {
    let usage: Usage = toml::from_str(text).map_err(|e| {
        let problem = TomlProblem::new(text, &e);
        let message = match problem.table {
            Some(table) => format!("{table}: {}", problem.message),
            None => problem.message,
        };
        UsageError::Syntax { line: problem.line, column: problem.column, message }
    })?;
    usage.check()?;
    Ok(usage)
}

impl Usage {
    /// The same range rules as a workload's: hours and months above 0, storage and data transfer
    /// 0 or more, instances at least 1 (a desired count may be 0: no tasks run).
    fn check(&self) -> Result<(), UsageError> {
        let range = |place: &str, e: InputError| UsageError::Range {
            place: place.to_owned(),
            message: e.to_string(),
        };
        if let Some(hours) = self.hours {
            positive("hours", hours.0).map_err(|e| range("the top level", e))?;
        }
        for (address, r) in &self.resource {
            let place = format!("[resource.{address:?}]");
            let checks = [
                r.hours.map(|h| positive("hours", h.0)),
                r.months.map(|m| positive("months", m.0)),
                r.storage_gb.map(|s| non_negative("storage_gb", s.0)),
                r.data_transfer.map(|d| non_negative("data_transfer", d.0)),
            ];
            for checked in checks.into_iter().flatten() {
                checked.map_err(|e| range(&place, e))?;
            }
            if r.instances.is_some() {
                at_least_one("instances", r.instances).map_err(|e| range(&place, e))?;
            }
        }
        Ok(())
    }
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
        let UsageError::Syntax { line, message, .. } = &err else { panic!("{err}") };
        assert_eq!(*line, 2);
        assert!(message.contains("storage"), "{err}");
    }

    #[test]
    fn values_out_of_range_are_refused_as_everywhere_else() {
        for (text, named) in [
            ("hours = -1\n", "`hours` must be greater than 0, got -1"),
            ("[resource.\"a\"]\nhours = 0\n", "[resource.\"a\"]: `hours` must be greater than 0"),
            ("[resource.\"a\"]\nstorage_gb = -5\n", "`storage_gb` must be 0 or more, got -5"),
            ("[resource.\"a\"]\nmonths = -1\n", "`months` must be greater than 0"),
            ("[resource.\"a\"]\ndata_transfer = -0.5\n", "`data_transfer` must be 0 or more"),
            ("[resource.\"a\"]\ninstances = 0\n", "`instances` must be at least 1"),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(named), "{text:?}: {err}");
        }
        assert!(parse("[resource.\"a\"]\ndesired_count = 0\nstorage_gb = 0\n").is_ok());
    }
}
