//! The unit tests' rate tables: small frozen copies of the sections of `pricing/<region>.toml`
//! that the tests price with, taken on 2026-12-06, so that refreshing a shipped rate changes no
//! unit test and every expected value stays worked out by hand from the figures below. Each is
//! read by [`super::parse`], as `--rates FILE` reads a user's table. The shipped tables themselves
//! are tested where they are the subject (`rates::tests`, and the CLI tests).
//!
//! A region's table holds only what its tests use: us-east-1 prices every kind of task, EKS
//! clusters and data transfer over every tier; eu-west-2 ARM tasks; ap-northeast-2 data transfer
//! and ECR; eu-west-1 (no `[data_transfer]`) and us-west-1 (no `[fargate.linux_arm64]`) what a
//! region lacks, as their shipped tables do.

use super::{Origin, RateTable, parse};

const US_EAST_1: &str = r#"schema_version = 1
region = "us-east-1"
location = "US East (N. Virginia)"

[fargate.linux_x86_64]
effective = "2026-09-11"
source = "AWS Price List AmazonECS us-east-1, publication 2026-09-11 (USE1-Fargate-vCPU-Hours:perCPU, USE1-Fargate-GB-Hours)"
vcpu_hour = "0.04048"
gb_hour = "0.004445"

[fargate.linux_arm64]
effective = "2026-09-11"
source = "AWS Price List AmazonECS us-east-1, publication 2026-09-11 (USE1-Fargate-ARM-vCPU-Hours:perCPU, USE1-Fargate-ARM-GB-Hours)"
vcpu_hour = "0.03238"
gb_hour = "0.00356"

[fargate.windows_x86_64]
effective = "2026-09-11"
source = "AWS Price List AmazonECS us-east-1, publications 2026-06 and 2026-09-11 (USE1-Fargate-Windows-vCPU-Hours:perCPU, -Windows-GB-Hours, -Windows-OS-Hours:perCPU)"
vcpu_hour = "0.046552"
gb_hour = "0.00511175"
os_license_vcpu_hour = "0.046"

[fargate.spot_x86_64]
effective = "2026-09-28"
source = "AWS Fargate Spot price feed, snapshot 2026-09-28"
vcpu_hour = "0.01288871"
gb_hour = "0.00141527"

[fargate.ephemeral_storage]
effective = "2022-11-21"
source = "AWS Price List AmazonECS us-east-1, capture 2022-11-21 (USE1-Fargate-EphemeralStorage-GB-Hours)"
gb_hour = "0.000111"

[data_transfer]
effective = "2026-09-16"
source = "AWS Price List AWSDataTransfer, version 20260916132208 (data transfer out to the internet)"
tiers = [
  { up_to_gb = "10240", per_gb = "0.09" },
  { up_to_gb = "51200", per_gb = "0.085" },
  { up_to_gb = "153600", per_gb = "0.07" },
  { per_gb = "0.05" },
]

[eks]
effective = "2024-04-01"
source = "Amazon EKS pricing: 0.10 per cluster-hour in standard support, 0.60 in extended support (AWS Containers blog, April 2024 billing cycle)"
cluster_hour_standard = "0.10"
cluster_hour_extended = "0.60"
"#;

const EU_WEST_1: &str = r#"schema_version = 1
region = "eu-west-1"
location = "EU (Ireland)"

[fargate.linux_x86_64]
effective = "2026-09-11"
source = "AWS Price List AmazonECS eu-west-1, publication 2026-09-11; same figures in fgcalc (theuves/fgcalc src/utils/data.js, commit of 2021-01-10), copied from the AWS price list"
vcpu_hour = "0.04048"
gb_hour = "0.004445"
"#;

const EU_WEST_2: &str = r#"schema_version = 1
region = "eu-west-2"
location = "EU (London)"

[fargate.linux_arm64]
effective = "2026-01-01"
source = "AWS Price List AmazonECS eu-west-2, a 2026 note (undated; 2026-01-01 is the earliest date it can have)"
vcpu_hour = "0.03725"
gb_hour = "0.00409"
"#;

const AP_NORTHEAST_2: &str = r#"schema_version = 1
region = "ap-northeast-2"
location = "Asia Pacific (Seoul)"

[fargate.linux_x86_64]
effective = "2026-10-01"
source = "AWS Price List AmazonECS ap-northeast-2, publications 2026-08 to 2026-10 (day not recorded); same figures in fgcalc (theuves/fgcalc src/utils/data.js, commit of 2021-01-10), copied from the AWS price list"
vcpu_hour = "0.04656"
gb_hour = "0.00511"

[data_transfer]
effective = "2026-09-16"
source = "AWS Price List AWSDataTransfer, version 20260916132208 (data transfer out to the internet)"
tiers = [
  { up_to_gb = "10240", per_gb = "0.126" },
  { up_to_gb = "51200", per_gb = "0.122" },
  { up_to_gb = "153600", per_gb = "0.117" },
  { per_gb = "0.108" },
]

[ecr]
effective = "2026-01-01"
source = "Amazon ECR pricing: storage 0.10 per GB-month, private or public repositories (undated; figure as published in 2026)"
storage_gb_month = "0.10"
"#;

const US_WEST_1: &str = r#"schema_version = 1
region = "us-west-1"
location = "US West (N. California)"

[fargate.linux_x86_64]
effective = "2021-01-10"
source = "fgcalc (theuves/fgcalc src/utils/data.js, commit of 2021-01-10), copied from the AWS price list"
vcpu_hour = "0.04656"
gb_hour = "0.00511"
"#;

/// The fixture table for `region` (one of the five above).
pub(crate) fn table(region: &str) -> RateTable {
    let text = match region {
        "us-east-1" => US_EAST_1,
        "eu-west-1" => EU_WEST_1,
        "eu-west-2" => EU_WEST_2,
        "ap-northeast-2" => AP_NORTHEAST_2,
        "us-west-1" => US_WEST_1,
        _ => panic!("no fixture rate table for {region}"),
    };
    parse(text, &Origin::File(format!("the {region} fixture (src/rates/fixture.rs)")))
        .unwrap_or_else(|e| panic!("{e}"))
}
