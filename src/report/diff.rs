//! What changed between two estimates: per item (matched by name) and in total. Pure: two
//! [`Side`]s in, a [`Diff`] out.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Skipped, Unpriced};
use crate::money::{self, Overflow, json_number};
use crate::report::Report;

/// One side of a comparison: where it came from, its items' totals by name, its total, and what
/// its report says it covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Side {
    pub source: String,
    pub items: Vec<(String, Decimal)>,
    pub total: Decimal,
    pub unpriced: Vec<Unpriced>,
    pub skipped: Vec<Skipped>,
    pub assumptions: Vec<String>,
}

impl Side {
    pub fn from_report(source: String, report: &Report) -> Self {
        Side {
            source,
            items: report.items.iter().map(|i| (i.name.clone(), i.total)).collect(),
            total: report.total,
            unpriced: report.unpriced.clone(),
            skipped: report.skipped.clone(),
            assumptions: report.assumptions.clone(),
        }
    }
}

/// How an item changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Added,
    Removed,
    Changed,
    Unchanged,
    /// Not priced on one side or both: no change can be given.
    Unpriced,
}

/// Old and new amounts, the change, and the change as a percentage of the old amount (`None`
/// when the old amount is zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Change {
    #[serde(with = "json_number")]
    pub old: Decimal,
    #[serde(with = "json_number")]
    pub new: Decimal,
    #[serde(with = "json_number")]
    pub delta: Decimal,
    #[serde(serialize_with = "optional_number")]
    pub percent: Option<Decimal>,
}

impl Change {
    fn new(old: Decimal, new: Decimal) -> Result<Self, Overflow> {
        let delta = new.checked_sub(old).ok_or(Overflow("a cost change"))?;
        let percent = if old.is_zero() {
            None
        } else {
            Some(
                money::div(
                    "a percentage",
                    money::product("a percentage", &[delta, Decimal::ONE_HUNDRED])?,
                    old,
                )?
                .normalize(),
            )
        };
        Ok(Change { old, new, delta: delta.normalize(), percent })
    }
}

// serde's `serialize_with` hands over `&Option<T>`.
#[allow(clippy::ref_option)]
fn optional_number<S: serde::Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => json_number::serialize(v, serializer),
        None => serializer.serialize_none(),
    }
}

/// One item's change. Added items have an old amount of 0, removed ones a new amount of 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    pub name: String,
    pub status: Status,
    #[serde(flatten)]
    pub change: Amounts,
}

/// An item's amounts: the change where both sides priced it (or it exists on one side only),
/// else what is known: the side that priced it, and `null` for the one that could not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Amounts {
    Priced(Change),
    Unpriced {
        #[serde(serialize_with = "optional_number")]
        old: Option<Decimal>,
        #[serde(serialize_with = "optional_number")]
        new: Option<Decimal>,
    },
}

/// Where each side came from, its total, and what its report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SideInfo {
    pub source: String,
    #[serde(with = "json_number")]
    pub total: Decimal,
    pub unpriced: Vec<Unpriced>,
    pub skipped: Vec<Skipped>,
    pub assumptions: Vec<String>,
    /// How many items the side priced.
    #[serde(skip)]
    pub priced: usize,
}

impl SideInfo {
    fn of(side: &Side) -> Self {
        SideInfo {
            priced: side.items.len(),
            source: side.source.clone(),
            total: side.total,
            unpriced: side.unpriced.clone(),
            skipped: side.skipped.clone(),
            assumptions: side.assumptions.clone(),
        }
    }
}

/// A limit on how much the total may rise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "unit", content = "limit", rename_all = "snake_case")]
pub enum Limit {
    Usd(#[serde(with = "json_number")] Decimal),
    Percent(#[serde(with = "json_number")] Decimal),
}

/// The limit and whether the change goes over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MaxIncrease {
    #[serde(flatten)]
    pub limit: Limit,
    pub exceeded: bool,
}

/// The whole comparison (JSON schema version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub schema_version: u32,
    pub currency: &'static str,
    pub old: SideInfo,
    pub new: SideInfo,
    /// The new side's items in order (changed, unchanged or added), then the removed ones.
    pub items: Vec<ItemChange>,
    pub total: Change,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_increase: Option<MaxIncrease>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    #[error("{0} names the item `{1}` more than once; items are matched by name, so names must be unique")]
    DuplicateName(String, String),
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

/// Compares `old` with `new`, and checks the total's rise against `limit` if given.
pub fn diff(old: &Side, new: &Side, limit: Option<Limit>) -> Result<Diff, DiffError> {
    for side in [old, new] {
        let mut names: Vec<&str> = side.items.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(DiffError::DuplicateName(side.source.clone(), pair[0].to_owned()));
        }
    }
    let total_of = |side: &Side, name: &str| side.items.iter().find(|(n, _)| n == name).map(|(_, t)| *t);
    let unpriced_in = |side: &Side, name: &str| side.unpriced.iter().any(|u| u.name == name);
    let mut items = Vec::with_capacity(old.items.len().max(new.items.len()));
    // The new side's items, then the old side's that the new side lacks, each name once.
    let names = new.items.iter().map(|(n, _)| n).chain(new.unpriced.iter().map(|u| &u.name));
    let old_only = old.items.iter().map(|(n, _)| n).chain(old.unpriced.iter().map(|u| &u.name));
    let old_only = old_only.filter(|n| total_of(new, n).is_none() && !unpriced_in(new, n));
    for name in names.chain(old_only) {
        let (before, after) = (total_of(old, name), total_of(new, name));
        let (status, change) = if unpriced_in(old, name) || unpriced_in(new, name) {
            (Status::Unpriced, Amounts::Unpriced { old: before, new: after })
        } else {
            let status = match (before, after) {
                (None, _) => Status::Added,
                (_, None) => Status::Removed,
                (Some(b), Some(a)) if b == a => Status::Unchanged,
                (Some(_), Some(_)) => Status::Changed,
            };
            let change = Change::new(before.unwrap_or_default(), after.unwrap_or_default())?;
            (status, Amounts::Priced(change))
        };
        items.push(ItemChange { name: name.clone(), status, change });
    }
    let total = Change::new(old.total, new.total)?;
    let max_increase = limit.map(|limit| MaxIncrease { limit, exceeded: exceeds(&total, limit) });
    Ok(Diff {
        schema_version: crate::report::SCHEMA_VERSION,
        currency: "USD",
        old: SideInfo::of(old),
        new: SideInfo::of(new),
        items,
        total,
        max_increase,
    })
}

/// Whether the rise goes over the limit. From a zero total any rise is an infinite percentage.
fn exceeds(total: &Change, limit: Limit) -> bool {
    match limit {
        Limit::Usd(usd) => total.delta > usd,
        Limit::Percent(percent) => match total.percent {
            Some(p) => p > percent,
            None => total.delta > Decimal::ZERO,
        },
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    type Row<'a> = (&'a str, Status, Decimal, Decimal, Decimal, Option<Decimal>);

    fn side(source: &str, items: &[(&str, &str)]) -> Side {
        let items: Vec<(String, Decimal)> = items.iter().map(|(n, t)| ((*n).to_owned(), d(t))).collect();
        let total = items.iter().map(|(_, t)| *t).sum();
        Side { source: source.to_owned(), items, total, ..Side::default() }
    }

    #[test]
    fn matches_items_by_name() {
        let old = side("old", &[("api", "100"), ("worker", "50"), ("cron", "10")]);
        let new = side("new", &[("api", "125"), ("cron", "10"), ("queue", "5")]);
        let diff = diff(&old, &new, None).unwrap();
        let got: Vec<Row<'_>> = diff
            .items
            .iter()
            .map(|i| {
                let Amounts::Priced(c) = &i.change else { panic!("{i:?} is not priced") };
                (i.name.as_str(), i.status, c.old, c.new, c.delta, c.percent)
            })
            .collect();
        assert_eq!(
            got,
            [
                // 100 → 125: +25, +25%.
                ("api", Status::Changed, d("100"), d("125"), d("25"), Some(d("25"))),
                ("cron", Status::Unchanged, d("10"), d("10"), d("0"), Some(d("0"))),
                ("queue", Status::Added, d("0"), d("5"), d("5"), None),
                ("worker", Status::Removed, d("50"), d("0"), d("-50"), Some(d("-100"))),
            ]
        );
        // 160 → 140: −20, −12.5%.
        assert_eq!((diff.total.delta, diff.total.percent), (d("-20"), Some(d("-12.5"))));
    }

    #[test]
    fn the_increase_limit_in_dollars_and_percent() {
        let old = side("old", &[("api", "200")]);
        let new = side("new", &[("api", "230")]);
        // +30 USD, +15%.
        let check = |limit| diff(&old, &new, Some(limit)).unwrap().max_increase.unwrap().exceeded;
        assert!(check(Limit::Usd(d("29.99"))));
        assert!(!check(Limit::Usd(d("30"))));
        assert!(check(Limit::Percent(d("14.9"))));
        assert!(!check(Limit::Percent(d("15"))));
        // From nothing, any rise exceeds a percentage.
        let zero = side("zero", &[]);
        assert!(diff(&zero, &new, Some(Limit::Percent(d("1000")))).unwrap().max_increase.unwrap().exceeded);
        assert!(!diff(&zero, &zero, Some(Limit::Percent(d("0")))).unwrap().max_increase.unwrap().exceeded);
    }

    #[test]
    fn an_item_unpriced_on_either_side_has_no_change() {
        let gap = |name: &str| Unpriced::new(name, "r", "f");
        let mut old = side("old", &[("api", "100"), ("db", "20")]);
        old.unpriced = vec![gap("cache")];
        let mut new = side("new", &[("api", "100"), ("cache", "30")]);
        new.unpriced = vec![gap("db"), gap("queue")];
        let diff = diff(&old, &new, None).unwrap();
        let got: Vec<(&str, Status, Option<Amounts>)> = diff
            .items
            .iter()
            .map(|i| {
                let amounts = (i.status == Status::Unpriced).then(|| i.change.clone());
                (i.name.as_str(), i.status, amounts)
            })
            .collect();
        let unpriced = |old, new| Some(Amounts::Unpriced { old, new });
        assert_eq!(
            got,
            [
                ("api", Status::Unchanged, None),
                // Priced now, not before: no change can be given, only the new amount.
                ("cache", Status::Unpriced, unpriced(None, Some(d("30")))),
                ("db", Status::Unpriced, unpriced(Some(d("20")), None)),
                ("queue", Status::Unpriced, unpriced(None, None)),
            ]
        );
        assert_eq!(diff.new.unpriced.len(), 2);
    }

    #[test]
    fn duplicate_names_are_refused() {
        let dup = side("dup.json", &[("task", "1"), ("task", "2")]);
        let err = diff(&dup, &side("new", &[]), None).unwrap_err().to_string();
        assert!(err.contains("dup.json") && err.contains("`task`"), "{err}");
    }
}
