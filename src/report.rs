//! What an estimate says: items made of priced lines, with exact totals. Renderers turn a
//! [`Report`] into bytes; nothing here rounds.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use crate::model::{Arch, LaunchType, Os, Platform, Pricing, Skipped, Support, Unpriced};
use crate::money::{self, JsonNumber, Overflow, json_number};
use crate::pricing::Note;
use crate::rates::{Date, Origin, RateTable};

/// The JSON contract's version (`schema_version`).
pub const SCHEMA_VERSION: u32 = 1;

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
        packing: Option<crate::pricing::Packing>,
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

/// Which rate table priced the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatesInfo {
    pub region: String,
    pub location: String,
    /// The oldest source date among the rates the report used (how current the estimate is at
    /// least); the table's newest date when no dated rate was used.
    pub effective: Option<Date>,
    /// The table itself: `embedded pricing/<region>.toml` or the `--rates` path.
    pub source: String,
    /// Every table section the report's lines used, with its source and date, in table order.
    pub sections: Vec<Section>,
}

/// One section of a rate table: where its rates come from and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub section: &'static str,
    pub effective: Date,
    pub source: String,
}

impl RatesInfo {
    /// Describes `table` as used by `items`.
    pub fn new(table: &RateTable, origin: &Origin, items: &[Item]) -> Self {
        let used = |section: &str| items.iter().flat_map(|i| &i.lines).any(|l| l.rates == Some(section));
        let sections: Vec<Section> = table
            .provenances()
            .into_iter()
            .filter(|(section, _)| used(section))
            .map(|(section, p)| Section { section, effective: p.effective, source: p.source.to_owned() })
            .collect();
        RatesInfo {
            region: table.region.clone(),
            location: table.location.clone(),
            effective: sections.iter().map(|s| s.effective).min().or_else(|| table.effective()),
            source: origin.to_string(),
            sections,
        }
    }
}

/// A spending limit and whether the total goes over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Budget {
    #[serde(with = "json_number")]
    pub limit: Decimal,
    pub exceeded: bool,
}

/// A whole estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub currency: &'static str,
    pub rates: RatesInfo,
    pub items: Vec<Item>,
    /// The exact sum of the items' totals.
    #[serde(with = "json_number")]
    pub total: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budget>,
    /// What the input has of a kind `cost` prices that it could not price: not in `total`.
    pub unpriced: Vec<Unpriced>,
    /// Resources of kinds `cost` does not price.
    pub skipped: Vec<Skipped>,
    /// Every default chosen for the user, in words.
    pub assumptions: Vec<String>,
}

impl Report {
    /// A report whose total is the exact sum of its items; over budget when the exact total is
    /// above `budget_limit`.
    pub fn new(rates: RatesInfo, items: Vec<Item>, budget_limit: Option<Decimal>) -> Result<Self, Overflow> {
        let total = money::sum("the report total", items.iter().map(|i| i.total))?;
        let budget = budget_limit.map(|limit| Budget { limit, exceeded: total > limit });
        Ok(Report {
            schema_version: SCHEMA_VERSION,
            currency: "USD",
            rates,
            items,
            total,
            budget,
            unpriced: Vec::new(),
            skipped: Vec::new(),
            assumptions: Vec::new(),
        })
    }

    /// Whether a budget applies: the report's own, any item's, or an unpriced entry's own.
    pub fn has_budget(&self) -> bool {
        self.budget.is_some()
            || self.items.iter().any(|i| i.budget.is_some())
            || self.unpriced.iter().any(|u| u.budget.is_some())
    }

    /// What the run's verdict is: over a budget (the unpriced part can only add to the total),
    /// else incomplete when a budget applies, something is unpriced and the gap is not accepted
    /// (`allow_unpriced`), else fine.
    pub fn verdict(&self, allow_unpriced: bool) -> Verdict<'_> {
        let overruns = self.exceeded_budgets();
        if !overruns.is_empty() {
            Verdict::OverBudget(overruns)
        } else if !self.unpriced.is_empty() && self.has_budget() && !allow_unpriced {
            Verdict::Incomplete
        } else {
            Verdict::Pass
        }
    }

    /// Every budget that is exceeded: the report's first (`item: None`), then the items' in order.
    pub fn exceeded_budgets(&self) -> Vec<Overrun<'_>> {
        let whole = self.budget.map(|b| (None, self.total, b));
        let items = self.items.iter().filter_map(|i| i.budget.map(|b| (Some(i.name.as_str()), i.total, b)));
        whole
            .into_iter()
            .chain(items)
            .filter(|(_, _, b)| b.exceeded)
            .map(|(item, total, budget)| Overrun {
                item,
                total,
                limit: budget.limit,
                excess: total - budget.limit,
            })
            .collect()
    }
}

/// A total above its budget. Both are non-negative and the total is the larger, so `excess`
/// (their difference) is positive and cannot overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overrun<'a> {
    /// The item over its own budget, or `None` for the report's total.
    pub item: Option<&'a str>,
    pub total: Decimal,
    pub limit: Decimal,
    pub excess: Decimal,
}

/// What a report says to a gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict<'a> {
    /// Within every budget that applies (or none applies), and nothing unpriced stands in the way.
    Pass,
    /// Over at least one budget: these, the report's first.
    OverBudget(Vec<Overrun<'a>>),
    /// A budget applies and some items could not be priced, so the gate cannot pass.
    Incomplete,
}

/// Assumptions gathered while reading an input, grouped for the report: each text once, with the
/// items it applies to (`730 hours (one month) a run: … (api, worker)`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assumptions {
    groups: Vec<(String, Vec<String>)>,
}

impl Assumptions {
    /// How many item names a line shows before `and N more`.
    const NAMES_SHOWN: usize = 5;

    /// `text` applies to the item `name`.
    pub fn add(&mut self, text: impl Into<String>, name: &str) {
        let text = text.into();
        match self.groups.iter_mut().find(|(t, _)| *t == text) {
            Some((_, names)) => names.push(name.to_owned()),
            None => self.groups.push((text, vec![name.to_owned()])),
        }
    }

    /// The report's lines; with `one_item`, the only item is not named.
    pub fn into_lines(self, one_item: bool) -> Vec<String> {
        self.groups
            .into_iter()
            .map(|(text, names)| {
                if one_item {
                    return text;
                }
                let shown = names.iter().take(Self::NAMES_SHOWN).map(String::as_str).collect::<Vec<_>>();
                let more = names.len().saturating_sub(Self::NAMES_SHOWN);
                let more = if more == 0 { String::new() } else { format!(" and {more} more") };
                format!("{text}: {}{more}", shown.join(", "))
            })
            .collect()
    }
}
