//! The rate table: one region's prices, each group with the date and source it was read from.
//!
//! The TOML shape is documented in the README ("Rate tables") and shown by every file in
//! `pricing/`. Sections are optional: a component with no sourced price is absent, and pricing
//! then fails with a "missing rate" error instead of guessing. Later additions (EC2 instance
//! catalogue, Savings Plans, EKS cluster fee, ECR storage) are new optional sections.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::Date;
use crate::money::Exact;

/// The only table layout this build reads.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateTable {
    pub schema_version: u32,
    /// AWS region code, e.g. `us-east-1`.
    pub region: String,
    /// AWS's name for the region, e.g. `US East (N. Virginia)`.
    pub location: String,
    #[serde(default)]
    pub fargate: Fargate,
    pub data_transfer: Option<DataTransfer>,
    pub eks: Option<EksRates>,
    pub ecr: Option<EcrRates>,
    pub ec2: Option<Ec2Rates>,
}

/// Fargate prices, one optional group per way a task can be billed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fargate {
    pub linux_x86_64: Option<ComputeRates>,
    pub linux_arm64: Option<ComputeRates>,
    pub windows_x86_64: Option<WindowsRates>,
    pub spot_x86_64: Option<ComputeRates>,
    pub spot_arm64: Option<ComputeRates>,
    /// Compute Savings Plans, no upfront: the effective per-hour prices under a 1- or 3-year plan.
    pub savings_plan_1y_x86_64: Option<ComputeRates>,
    pub savings_plan_1y_arm64: Option<ComputeRates>,
    pub savings_plan_3y_x86_64: Option<ComputeRates>,
    pub savings_plan_3y_arm64: Option<ComputeRates>,
    pub ephemeral_storage: Option<StorageRate>,
}

/// Where a group of prices comes from: the date of the source the figures were read from, and
/// the source itself. Every group carries both as `effective` and `source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provenance<'a> {
    pub effective: Date,
    pub source: &'a str,
}

/// Per vCPU-hour and per GB-hour prices.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComputeRates {
    pub effective: Date,
    pub source: String,
    pub vcpu_hour: Rate,
    pub gb_hour: Rate,
}

/// Windows on Fargate: compute plus the OS licence fee per vCPU-hour.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowsRates {
    pub effective: Date,
    pub source: String,
    pub vcpu_hour: Rate,
    pub gb_hour: Rate,
    pub os_license_vcpu_hour: Rate,
}

/// Ephemeral storage above the 20 GB every task includes, per GB-hour.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageRate {
    pub effective: Date,
    pub source: String,
    pub gb_hour: Rate,
}

/// Data transfer out to the internet, tiered per month.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataTransfer {
    pub effective: Date,
    pub source: String,
    pub tiers: Vec<Tier>,
}

/// One tier: `per_gb` applies to the GB above the previous tier's bound up to `up_to_gb`; the last
/// tier has no bound.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub up_to_gb: Option<Rate>,
    pub per_gb: Rate,
}

/// The EKS control-plane fee per cluster-hour, by Kubernetes version support tier.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EksRates {
    pub effective: Date,
    pub source: String,
    pub cluster_hour_standard: Rate,
    /// Absent from what an import of the `AmazonEKS` offer finds; pricing extended support then
    /// says the rate is missing.
    pub cluster_hour_extended: Option<Rate>,
}

/// ECR image storage per GB-month.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EcrRates {
    pub effective: Date,
    pub source: String,
    pub storage_gb_month: Rate,
}

/// The EC2 instance catalogue for the EC2 launch type: on-demand Linux prices per instance-hour.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ec2Rates {
    pub effective: Date,
    pub source: String,
    /// By instance type (`m5.large`), sorted.
    #[serde(default)]
    pub instances: std::collections::BTreeMap<String, Instance>,
}

/// One instance type: its size, CPU architecture and hourly price.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub vcpu: u32,
    pub memory_gib: Rate,
    pub arch: crate::model::Arch,
    pub hourly: Rate,
}

macro_rules! provenance {
    ($($group:ty),*) => {$(
        impl $group {
            pub fn provenance(&self) -> Provenance<'_> {
                Provenance { effective: self.effective, source: &self.source }
            }
        }
    )*};
}
provenance!(ComputeRates, WindowsRates, StorageRate, DataTransfer, EksRates, EcrRates, Ec2Rates);

/// A price in USD, read exactly.
pub type Rate = Exact;

/// One price of a table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RateEntry {
    pub section: &'static str,
    pub key: String,
    #[serde(with = "crate::money::json_number")]
    pub value: Decimal,
    pub unit: String,
}

/// One defect in a table, named by its TOML key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.key, self.message)
    }
}

impl RateTable {
    /// Every group's provenance, keyed by its TOML section.
    pub fn provenances(&self) -> Vec<(&'static str, Provenance<'_>)> {
        let f = &self.fargate;
        let compute = [
            ("fargate.linux_x86_64", f.linux_x86_64.as_ref()),
            ("fargate.linux_arm64", f.linux_arm64.as_ref()),
            ("fargate.spot_x86_64", f.spot_x86_64.as_ref()),
            ("fargate.spot_arm64", f.spot_arm64.as_ref()),
            ("fargate.savings_plan_1y_x86_64", f.savings_plan_1y_x86_64.as_ref()),
            ("fargate.savings_plan_1y_arm64", f.savings_plan_1y_arm64.as_ref()),
            ("fargate.savings_plan_3y_x86_64", f.savings_plan_3y_x86_64.as_ref()),
            ("fargate.savings_plan_3y_arm64", f.savings_plan_3y_arm64.as_ref()),
        ];
        let compute = compute.into_iter().map(|(k, g)| (k, g.map(ComputeRates::provenance)));
        let others = [
            ("fargate.windows_x86_64", f.windows_x86_64.as_ref().map(WindowsRates::provenance)),
            ("fargate.ephemeral_storage", f.ephemeral_storage.as_ref().map(StorageRate::provenance)),
            ("data_transfer", self.data_transfer.as_ref().map(DataTransfer::provenance)),
            ("eks", self.eks.as_ref().map(EksRates::provenance)),
            ("ecr", self.ecr.as_ref().map(EcrRates::provenance)),
            ("ec2", self.ec2.as_ref().map(Ec2Rates::provenance)),
        ];
        compute.chain(others).filter_map(|(k, p)| p.map(|p| (k, p))).collect()
    }

    /// The newest source date in the table: how current it is at best.
    pub fn effective(&self) -> Option<Date> {
        self.provenances().iter().map(|(_, p)| p.effective).max()
    }

    /// Every price in the table, with its TOML key, its unit and its section (whose provenance
    /// says where it comes from), in table order.
    pub fn entries(&self) -> Vec<RateEntry> {
        let f = &self.fargate;
        let mut out = Vec::new();
        let mut add = |section: &'static str, key: String, rate: &Rate, unit: String| {
            out.push(RateEntry { section, key, value: rate.0, unit });
        };
        let per = |what: &str| format!("USD per {what}");
        let compute = [
            ("fargate.linux_x86_64", &f.linux_x86_64),
            ("fargate.linux_arm64", &f.linux_arm64),
            ("fargate.spot_x86_64", &f.spot_x86_64),
            ("fargate.spot_arm64", &f.spot_arm64),
            ("fargate.savings_plan_1y_x86_64", &f.savings_plan_1y_x86_64),
            ("fargate.savings_plan_1y_arm64", &f.savings_plan_1y_arm64),
            ("fargate.savings_plan_3y_x86_64", &f.savings_plan_3y_x86_64),
            ("fargate.savings_plan_3y_arm64", &f.savings_plan_3y_arm64),
        ];
        for (section, group) in compute {
            if let Some(g) = group {
                add(section, format!("{section}.vcpu_hour"), &g.vcpu_hour, per("vCPU-hour"));
                add(section, format!("{section}.gb_hour"), &g.gb_hour, per("GB-hour"));
            }
        }
        if let Some(w) = &f.windows_x86_64 {
            const S: &str = "fargate.windows_x86_64";
            add(S, format!("{S}.vcpu_hour"), &w.vcpu_hour, per("vCPU-hour"));
            add(S, format!("{S}.gb_hour"), &w.gb_hour, per("GB-hour"));
            add(
                S,
                format!("{S}.os_license_vcpu_hour"),
                &w.os_license_vcpu_hour,
                per("vCPU-hour (OS licence)"),
            );
        }
        if let Some(st) = &f.ephemeral_storage {
            const S: &str = "fargate.ephemeral_storage";
            add(S, format!("{S}.gb_hour"), &st.gb_hour, per("GB-hour above 20 GB"));
        }
        if let Some(dt) = &self.data_transfer {
            let mut lower = Decimal::ZERO;
            for (i, tier) in dt.tiers.iter().enumerate() {
                let band = match tier.up_to_gb {
                    Some(upper) => {
                        format!("GB out, {} to {} GB a month", lower.normalize(), upper.0.normalize())
                    }
                    None => format!("GB out, above {} GB a month", lower.normalize()),
                };
                add("data_transfer", format!("data_transfer.tiers[{i}].per_gb"), &tier.per_gb, per(&band));
                lower = tier.up_to_gb.map_or(lower, |u| u.0);
            }
        }
        if let Some(eks) = &self.eks {
            add("eks", "eks.cluster_hour_standard".into(), &eks.cluster_hour_standard, per("cluster-hour"));
            if let Some(extended) = &eks.cluster_hour_extended {
                add("eks", "eks.cluster_hour_extended".into(), extended, per("cluster-hour (extended)"));
            }
        }
        if let Some(ecr) = &self.ecr {
            add("ecr", "ecr.storage_gb_month".into(), &ecr.storage_gb_month, per("GB-month"));
        }
        for (name, i) in self.ec2.iter().flat_map(|e| &e.instances) {
            let what =
                format!("instance-hour ({} vCPU, {} GiB, {})", i.vcpu, i.memory_gib.0.normalize(), i.arch);
            add("ec2", format!("ec2.instances.\"{name}\".hourly"), &i.hourly, per(&what));
        }
        out
    }

    /// Everything wrong with the table beyond what parsing already enforces: the schema version,
    /// the region code, negative rates, empty sources and data-transfer tiers that are not
    /// ascending and contiguous with exactly one open-ended last tier.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut problem = |key: &str, message: String| {
            problems.push(Problem { key: key.to_owned(), message });
        };
        if self.schema_version != SCHEMA_VERSION {
            problem(
                "schema_version",
                format!("is {}, this build reads version {SCHEMA_VERSION}", self.schema_version),
            );
        }
        if !is_region_code(&self.region) {
            problem("region", format!("`{}` is not an AWS region code such as `us-east-1`", self.region));
        }
        for (key, provenance) in self.provenances() {
            if provenance.source.trim().is_empty() {
                problem(&format!("{key}.source"), "is empty; name where the rates come from".into());
            }
        }
        for entry in self.entries() {
            if entry.value < Decimal::ZERO {
                problem(&entry.key, format!("is negative ({}); rates are zero or more", entry.value));
            }
        }
        if let Some(dt) = &self.data_transfer {
            tier_problems(&dt.tiers, &mut problem);
        }
        for (name, instance) in self.ec2.iter().flat_map(|e| &e.instances) {
            if instance.vcpu == 0 || instance.memory_gib.0 <= Decimal::ZERO {
                problem(&format!("ec2.instances.\"{name}\""), "needs vcpu and memory_gib above 0".into());
            }
        }
        problems
    }
}

fn tier_problems(tiers: &[Tier], problem: &mut impl FnMut(&str, String)) {
    if tiers.is_empty() {
        problem("data_transfer.tiers", "is empty; give at least one tier".into());
        return;
    }
    let mut previous = Decimal::ZERO;
    for (i, tier) in tiers.iter().enumerate() {
        let last = i + 1 == tiers.len();
        let key = format!("data_transfer.tiers[{i}].up_to_gb");
        match (tier.up_to_gb, last) {
            (Some(Exact(bound)), _) if bound <= previous => problem(
                &key,
                format!("is {bound}, not above the previous bound {previous}; tiers must ascend"),
            ),
            (Some(Exact(bound)), false) => previous = bound,
            (Some(_), true) => problem(&key, "is set on the last tier, which must be open-ended".into()),
            (None, false) => problem(&key, "is missing; only the last tier may be open-ended".into()),
            (None, true) => {}
        }
    }
}

fn is_region_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}
