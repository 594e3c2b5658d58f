//! One priced thing and its lines: what pricing produces and reports hold. Nothing here rounds.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use crate::model::{Arch, LaunchType, Os, Platform, Pricing, Support};
use crate::money::{self, JsonNumber, Overflow, json_number};

use super::Budget;

/// What a line charges for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    Vcpu,
    Memory,
    EphemeralStorage,
    OsLicense,
    DataTransfer,
    EksCluster,
    EcrStorage,
    Ec2Instance,
}

impl Component {
    /// The name people read in tables.
    pub fn label(self) -> &'static str {
        match self {
            Component::Vcpu => "vCPU",
            Component::Memory => "memory",
            Component::EphemeralStorage => "ephemeral storage",
            Component::OsLicense => "OS licence",
            Component::DataTransfer => "data transfer",
            Component::EksCluster => "EKS cluster",
            Component::EcrStorage => "ECR storage",
            Component::Ec2Instance => "EC2 instances",
        }
    }

    /// What a line's quantity counts (JSON `unit`): a unit name that needs no escaping in JSON.
    pub fn unit(self) -> &'static str {
        match self {
            Component::Vcpu | Component::OsLicense => "vCPU-hours",
            Component::Memory | Component::EphemeralStorage => "GB-hours",
            Component::DataTransfer => "GB",
            Component::EksCluster => "cluster-hours",
            Component::EcrStorage => "GB-months",
            Component::Ec2Instance => "instance-hours",
        }
    }

    /// The name in JSON and CSV.
    pub fn key(self) -> &'static str {
        match self {
            Component::Vcpu => "vcpu",
            Component::Memory => "memory",
            Component::EphemeralStorage => "ephemeral_storage",
            Component::OsLicense => "os_license",
            Component::DataTransfer => "data_transfer",
            Component::EksCluster => "eks_cluster",
            Component::EcrStorage => "ecr_storage",
            Component::Ec2Instance => "ec2_instance",
        }
    }
}

/// One charge: `quantity` [`unit`](Line::unit)s at `rate` each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub component: Component,
    pub quantity: Decimal,
    pub rate: Decimal,
    /// Computed from the exact inputs with one final division where time is converted to hours,
    /// so it may differ from `quantity × rate` in the 28th digit when the hours do not terminate.
    pub cost: Decimal,
    /// What this line is, e.g. `Linux x86_64 on-demand` or `next 40 TB`.
    pub detail: Cow<'static, str>,
    /// The rate table section the rate comes from (its source and date are in the report's
    /// `rates.sections`); `None` for the free allowance, which has no rate.
    pub rates: Option<&'static str>,
}

impl Line {
    /// What `quantity` counts: its component's unit.
    pub fn unit(&self) -> &'static str {
        self.component.unit()
    }
}

/// Written by hand for the `unit` its component gives, in the order the JSON contract shows.
impl Serialize for Line {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut line = serializer.serialize_struct("Line", 7)?;
        line.serialize_field("component", &self.component)?;
        line.serialize_field("quantity", &JsonNumber(self.quantity))?;
        line.serialize_field("unit", self.unit())?;
        line.serialize_field("rate", &JsonNumber(self.rate))?;
        line.serialize_field("cost", &JsonNumber(self.cost))?;
        line.serialize_field("detail", &self.detail)?;
        line.serialize_field("rates", &self.rates)?;
        line.end()
    }
}

/// The size and time actually billed for an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Billed {
    #[serde(with = "json_number")]
    pub vcpu: Decimal,
    #[serde(with = "json_number")]
    pub memory_gb: Decimal,
    #[serde(with = "json_number")]
    pub seconds_per_run: Decimal,
    pub runs: u64,
    pub count: u64,
    pub arch: Arch,
    pub os: Os,
    pub pricing: Pricing,
    #[serde(with = "json_number")]
    pub ephemeral_storage_gb: Decimal,
}

/// What an item is, with what was billed for it. In JSON: `"kind": "task"` (with `launch_type`,
/// `platform` and `billed`), `"eks_cluster"` (with `support`, `hours`) or `"ecr_repository"` (with
/// `storage_gb`, `months`), beside the item's other fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    /// `packing` only on the EC2 launch type.
    Task {
        launch_type: LaunchType,
        platform: Platform,
        billed: Billed,
        packing: Option<Packing>,
    },
    EksCluster {
        support: Support,
        hours: Decimal,
    },
    EcrRepository {
        storage_gb: Decimal,
        months: Decimal,
    },
}

/// One priced thing: a task description, a service, a cluster, a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    pub kind: ItemKind,
    pub lines: Vec<Line>,
    /// The exact sum of `lines[].cost`.
    pub total: Decimal,
    /// Assumptions and choices a reader should know about.
    pub notes: Vec<Note>,
    /// The item's own limit (a workload entry's `budget`), if it has one.
    pub budget: Option<Budget>,
}

/// Written by hand rather than derived: the kind's fields sit beside the item's own (a derived
/// `#[serde(flatten)]` would go through serde's slower map path on every `--batch` line).
impl Serialize for Item {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut item = serializer.serialize_struct("Item", 8)?;
        item.serialize_field("name", &self.name)?;
        match &self.kind {
            ItemKind::Task { launch_type, platform, billed, packing } => {
                item.serialize_field("kind", "task")?;
                item.serialize_field("launch_type", launch_type)?;
                item.serialize_field("platform", platform)?;
                item.serialize_field("billed", billed)?;
                if let Some(packing) = packing {
                    item.serialize_field("packing", packing)?;
                }
            }
            ItemKind::EksCluster { support, hours } => {
                item.serialize_field("kind", "eks_cluster")?;
                item.serialize_field("support", support)?;
                item.serialize_field("hours", &JsonNumber(*hours))?;
            }
            ItemKind::EcrRepository { storage_gb, months } => {
                item.serialize_field("kind", "ecr_repository")?;
                item.serialize_field("storage_gb", &JsonNumber(*storage_gb))?;
                item.serialize_field("months", &JsonNumber(*months))?;
            }
        }
        item.serialize_field("lines", &self.lines)?;
        item.serialize_field("total", &JsonNumber(self.total))?;
        item.serialize_field("notes", &self.notes)?;
        if let Some(budget) = &self.budget {
            item.serialize_field("budget", budget)?;
        }
        item.end()
    }
}

impl Item {
    /// An item whose total is the exact sum of its lines. Generic in the error so that the item is
    /// built where the caller's `Result` holds it, not moved from one `Result` to another.
    pub fn new<E: From<Overflow>>(
        name: String,
        kind: ItemKind,
        lines: Vec<Line>,
        notes: Vec<Note>,
    ) -> Result<Self, E> {
        let total = money::sum("an item total", lines.iter().map(|l| l.cost))?;
        Ok(Item { name, kind, lines, total, notes, budget: None })
    }

    /// The item with its own budget, over it when the exact total is above `limit`.
    #[must_use]
    pub fn with_budget(mut self, limit: Option<Decimal>) -> Self {
        self.set_budget(limit);
        self
    }

    /// Gives the item its own budget (see [`Item::with_budget`]) where it lies.
    pub fn set_budget(&mut self, limit: Option<Decimal>) {
        self.budget = limit.map(|limit| Budget { limit, exceeded: self.total > limit });
    }

    /// What was billed, for task items.
    pub fn billed(&self) -> Option<&Billed> {
        match &self.kind {
            ItemKind::Task { billed, .. } => Some(billed),
            _ => None,
        }
    }
}

/// How the tasks sit on the instances.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Packing {
    pub instance_type: String,
    /// `given` (by the user) or `cheapest` (chosen from the catalogue).
    pub chosen: &'static str,
    pub instances: u64,
    pub tasks_per_instance: u64,
    /// Share of the fleet's vCPU the tasks reserve, 0 to 1.
    #[serde(with = "json_number")]
    pub cpu_utilization: Decimal,
    /// Share of the fleet's memory (after the reservation) the tasks reserve, 0 to 1.
    #[serde(with = "json_number")]
    pub memory_utilization: Decimal,
    #[serde(with = "json_number")]
    pub reserved_memory_mib: Decimal,
}

/// Something a reader should know about how an item was priced: a fixed text or one written out.
pub type Note = Cow<'static, str>;
