//! What an import keeps: per region, the prices it recognised, with the offer they came from.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::model::Arch;
use crate::model::Date;

/// Why an import failed. Messages name the file and, for JSON errors, the line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error("no prices for region {0} in the files")]
    NoRegion(String),
    #[error("the files hold prices for several regions ({0}); choose one with --region")]
    SeveralRegions(String),
    #[error("no prices the rate tables use were found in the files (Fargate, EKS, EC2 or data transfer out)")]
    Nothing,
    #[error("{0}")]
    Conflict(String),
}

/// Where a group of prices came from: the offer's publication date and the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub date: Date,
    pub source: String,
}

/// One recognised on-demand price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    pub value: Decimal,
    pub origin: Origin,
}

/// A data transfer out tier: GB from `begin` to `end` (`None`: no end) at `value` per GB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub begin: Decimal,
    pub end: Option<Decimal>,
    pub value: Decimal,
}

/// An EC2 instance type from the `AmazonEC2` offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ec2Type {
    pub vcpu: u32,
    pub memory_gib: Decimal,
    pub arch: Arch,
    pub hourly: Decimal,
    pub origin: Origin,
}

/// Everything recognised for one region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Region {
    pub location: Option<String>,
    /// `(section, field)` → price, e.g. `("fargate.linux_x86_64", "vcpu_hour")`.
    pub prices: BTreeMap<(&'static str, &'static str), Price>,
    pub transfer: Option<(Vec<Band>, Origin)>,
    pub ec2: BTreeMap<String, Ec2Type>,
}

/// Everything an import has recognised, by region code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Collected {
    pub regions: BTreeMap<String, Region>,
}

impl Collected {
    pub(super) fn region(&mut self, code: &str) -> &mut Region {
        self.regions.entry(code.to_owned()).or_default()
    }

    /// The one region to write: `wanted`, or the only one found.
    pub fn choose(&self, wanted: Option<&str>) -> Result<(&str, &Region), ImportError> {
        let useful = |r: &Region| !r.prices.is_empty() || r.transfer.is_some() || !r.ec2.is_empty();
        if let Some(code) = wanted {
            return self
                .regions
                .get_key_value(code)
                .filter(|(_, r)| useful(r))
                .map(|(k, r)| (k.as_str(), r))
                .ok_or_else(|| ImportError::NoRegion(code.to_owned()));
        }
        let found: Vec<(&String, &Region)> = self.regions.iter().filter(|(_, r)| useful(r)).collect();
        match found.as_slice() {
            [] => Err(ImportError::Nothing),
            [(code, region)] => Ok((code.as_str(), region)),
            many => Err(ImportError::SeveralRegions(
                many.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(", "),
            )),
        }
    }
}

/// The table section and field an ECS/EKS usage type fills: what follows the region prefix.
pub(super) fn fargate_field(usage_type: &str) -> Option<(&'static str, &'static str)> {
    let (_, rest) = usage_type.split_once('-')?;
    Some(match rest {
        "Fargate-vCPU-Hours:perCPU" => ("fargate.linux_x86_64", "vcpu_hour"),
        "Fargate-GB-Hours" => ("fargate.linux_x86_64", "gb_hour"),
        "Fargate-ARM-vCPU-Hours:perCPU" => ("fargate.linux_arm64", "vcpu_hour"),
        "Fargate-ARM-GB-Hours" => ("fargate.linux_arm64", "gb_hour"),
        "Fargate-Windows-vCPU-Hours:perCPU" => ("fargate.windows_x86_64", "vcpu_hour"),
        "Fargate-Windows-GB-Hours" => ("fargate.windows_x86_64", "gb_hour"),
        "Fargate-Windows-OS-Hours:perCPU" => ("fargate.windows_x86_64", "os_license_vcpu_hour"),
        "Fargate-EphemeralStorage-GB-Hours" => ("fargate.ephemeral_storage", "gb_hour"),
        "AmazonEKS-Hours:perCluster" => ("eks", "cluster_hour_standard"),
        _ => return None,
    })
}
