//! Plain descriptions of what is to be priced. The edge (flags, files) builds these; the pricing
//! core reads them. Nothing here does I/O or knows about the command line.

mod date;

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use rust_decimal_macros::dec;

use crate::money::Plain;

pub use date::{Date, DateError};

/// Ephemeral storage every Fargate task and pod includes at no charge, in GB: "20 GB of ephemeral
/// storage is included" (<https://aws.amazon.com/fargate/pricing/>).
pub const INCLUDED_STORAGE_GB: Decimal = dec!(20);

/// What EKS on Fargate adds to every pod's memory request for the Kubernetes components: 256 MB
/// (<https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html>).
pub const EKS_POD_OVERHEAD_GB: Decimal = dec!(0.25);

/// The account-wide data transfer out allowance AWS gives each month across all services and
/// regions (<https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer>). Applied only when asked
/// for, since other usage may already consume it.
pub const FREE_DATA_TRANSFER_GB: Decimal = dec!(100);

/// One month by AWS's convention: 730 hours (365 × 24 / 12).
pub const MONTH_HOURS: Decimal = dec!(730);

/// CPU architecture of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arch {
    #[default]
    X86_64,
    Arm64,
}

/// Operating system family of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Os {
    #[default]
    Linux,
    Windows,
}

/// How ECS runs the task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaunchType {
    #[default]
    Fargate,
    Ec2,
}

/// The orchestrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    #[default]
    Ecs,
    Eks,
}

/// Which Fargate price applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pricing {
    #[default]
    OnDemand,
    Spot,
    /// A one-year Compute Savings Plan, no upfront.
    #[serde(rename = "savings-plan-1y")]
    SavingsPlan1y,
    /// A three-year Compute Savings Plan, no upfront.
    #[serde(rename = "savings-plan-3y")]
    SavingsPlan3y,
}

/// Which EKS support tier a cluster's Kubernetes version is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    #[default]
    Standard,
    Extended,
}

macro_rules! display_as_serde_name {
    ($($ty:ty { $($variant:ident => $name:literal),* })*) => {$(
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),* }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

display_as_serde_name! {
    Arch { X86_64 => "x86_64", Arm64 => "arm64" }
    Os { Linux => "linux", Windows => "windows" }
    LaunchType { Fargate => "fargate", Ec2 => "ec2" }
    Platform { Ecs => "ecs", Eks => "eks" }
    Pricing { OnDemand => "on-demand", Spot => "spot", SavingsPlan1y => "savings-plan-1y", SavingsPlan3y => "savings-plan-3y" }
    Support { Standard => "standard", Extended => "extended" }
}

/// How big a task is: vCPU and memory in GB (GiB, as AWS bills it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Size {
    #[serde(with = "crate::money::json_number")]
    pub vcpu: Decimal,
    #[serde(rename = "memory_gb", with = "crate::money::json_number")]
    pub memory_gb: Decimal,
}

/// Where a task's size comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SizeFrom {
    /// The task level: flags, keys, or a task definition's `cpu` and `memory`.
    #[default]
    Task,
    /// The sum of a task definition's containers, which states no task-level size (or only part).
    Containers,
}

/// `0.5 vCPU / 1 GB`.
impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} vCPU / {} GB", Plain::new(self.vcpu), Plain::new(self.memory_gb))
    }
}

/// Time each run lasts, as given (the billing rules round it, not the input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunTime {
    Hours(Decimal),
    Minutes(Decimal),
}

impl RunTime {
    /// One month by AWS's convention: 730 hours (365 × 24 / 12).
    pub const MONTH: RunTime = RunTime::Hours(MONTH_HOURS);
}

/// One task description: what `cost estimate` prices, and what a workload `[[service]]` becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub name: String,
    /// The requested size. On EKS these are the pod's requests, and zero means none.
    pub size: Size,
    pub platform: Platform,
    /// Tasks (or pods) running side by side.
    pub count: u64,
    pub run_time: RunTime,
    /// Times each task runs in the period; each run is billed on its own.
    pub runs: u64,
    pub arch: Arch,
    pub os: Os,
    pub pricing: Pricing,
    /// Ephemeral storage per task in GB; 20 are included.
    pub ephemeral_storage_gb: Decimal,
    /// Data out to the internet over the whole period, in GB.
    pub data_transfer_gb: Decimal,
    /// Bill the smallest offered size that fits instead of rejecting a size Fargate does not offer.
    pub round_up: bool,
    /// Whether the size is the task's own or its containers' sum (a task definition with no
    /// task-level size): Fargate needs the task's own.
    pub size_from: SizeFrom,
    pub launch_type: LaunchType,
    /// EC2 launch type: where the tasks run (the instance type, and a fixed fleet size if given).
    pub placement: Placement,
}

/// Where EC2-launch-type tasks are placed: a named instance type or the cheapest that fits, and a
/// fixed number of instances or as few as hold the tasks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    pub instance_type: Option<String>,
    pub instances: Option<u64>,
}

impl Task {
    /// A one-month, single-task, Linux x86 on-demand description of `size`: the defaults of
    /// `cost estimate`.
    pub fn new(name: impl Into<String>, size: Size) -> Self {
        Task {
            name: name.into(),
            size,
            platform: Platform::default(),
            count: 1,
            run_time: RunTime::MONTH,
            runs: 1,
            arch: Arch::default(),
            os: Os::default(),
            pricing: Pricing::default(),
            ephemeral_storage_gb: INCLUDED_STORAGE_GB,
            data_transfer_gb: Decimal::ZERO,
            round_up: false,
            size_from: SizeFrom::Task,
            launch_type: LaunchType::default(),
            placement: Placement::default(),
        }
    }
}

/// An EKS cluster: the control-plane fee for the hours it exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EksCluster {
    pub name: String,
    pub hours: Decimal,
    pub support: Support,
}

/// An ECR repository: the images it stores, for some months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcrRepository {
    pub name: String,
    pub storage_gb: Decimal,
    pub months: Decimal,
}

/// Something of a kind `cost` prices (an ECS service or task, an EKS cluster or pod, an ECR
/// repository, EC2 capacity) that it recognised but could not price. Listed in the report, never
/// standing in as a $0 item: a budget gate that meets one fails closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unpriced {
    /// The item's name or resource address.
    pub name: String,
    /// Why it could not be priced.
    pub reason: String,
    /// What would let `cost` price it.
    pub fix: String,
    /// Its own limit in USD (a workload entry's or a batch line's `budget`), which cannot be checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<crate::money::Exact>,
}

impl Unpriced {
    /// An entry with no budget of its own.
    pub fn new(name: impl Into<String>, reason: impl Into<String>, fix: impl Into<String>) -> Self {
        Unpriced { name: name.into(), reason: reason.into(), fix: fix.into(), budget: None }
    }
}

/// A resource of a kind `cost` does not price (a load balancer, a log group, …), listed so that a
/// reader sees what the total leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// Its name or resource address.
    pub name: String,
    /// Its resource type, e.g. `aws_lb`.
    #[serde(rename = "type")]
    pub kind: String,
    pub reason: String,
}
