//! What an estimate says: items made of priced lines, with exact totals. Renderers turn a
//! [`Report`] into bytes; nothing here rounds.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Skipped, Unpriced};
use crate::money::{self, Overflow, json_number};
use crate::rates::{Date, Origin, RateTable};

pub mod compare;
pub mod diff;
mod item;
pub mod saved;

pub use item::{Billed, Component, Item, ItemKind, Line, Note, Packing};

/// The JSON contract's version (`schema_version`).
pub const SCHEMA_VERSION: u32 = 1;

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
