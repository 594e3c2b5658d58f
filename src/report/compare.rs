//! Fargate against the EC2 launch type for the same tasks: which is cheaper, by how much, and the
//! break-even point. Pure: two reports of the same items in, a [`Comparison`] out.
//!
//! Break-even, for a task item: Fargate costs `f` per task (data transfer left out: it is the same
//! on both), an instance costs `e` for the period and holds `k` tasks. EC2 then costs `e / (k u)`
//! per task when a share `u` of its task slots is filled, so it costs no more than Fargate once
//! `u ≥ e / (k f)`: the break-even utilisation. And `n` tasks on `⌈n / k⌉` instances cost no more
//! than `n` Fargate tasks from `n = ⌈e / f⌉` on, when that is at most `k` (otherwise never).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::Unpriced;
use crate::money::{self, Overflow, json_number};
use crate::report::{Component, Item, ItemKind, Report};

/// Which costs less.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cheaper {
    Fargate,
    Ec2,
    /// Exactly the same total.
    Equal,
}

/// Where EC2 starts to cost no more than Fargate, for one task item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakEven {
    pub item: String,
    /// Fargate's cost of one task for the period, without data transfer.
    #[serde(with = "json_number")]
    pub fargate_per_task: Decimal,
    /// One instance's cost for the period.
    #[serde(with = "json_number")]
    pub ec2_per_instance: Decimal,
    pub tasks_per_instance: u64,
    /// The share of the instances' task slots (0 to 1; above 1: never) that must be filled for
    /// EC2 to cost no more than Fargate.
    #[serde(with = "json_number")]
    pub utilization: Decimal,
    /// The smallest task count at which EC2 costs no more than Fargate; `None` when it never does.
    pub task_count: Option<u64>,
}

/// The comparison (JSON schema version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub schema_version: u32,
    pub currency: &'static str,
    pub fargate: Report,
    pub ec2: Report,
    pub cheaper: Cheaper,
    /// What the cheaper one saves: |Fargate total − EC2 total|.
    #[serde(with = "json_number")]
    pub difference: Decimal,
    pub break_even: Vec<BreakEven>,
}

/// Compares two reports of the same items, the first priced on Fargate, the second on EC2. An
/// item priced on one side only (a size Fargate does not offer, say) is compared on neither: it
/// moves to the other side's `unpriced` too, so both totals cover the same items.
pub fn compare(mut fargate: Report, mut ec2: Report) -> Result<Comparison, Overflow> {
    let to_fargate = one_sided(&fargate, &ec2, "EC2");
    let to_ec2 = one_sided(&ec2, &fargate, "Fargate");
    leave_out(&mut fargate, to_fargate)?;
    leave_out(&mut ec2, to_ec2)?;
    let signed = fargate.total.checked_sub(ec2.total).ok_or(Overflow("the difference"))?;
    let cheaper = match signed.cmp(&Decimal::ZERO) {
        std::cmp::Ordering::Greater => Cheaper::Ec2,
        std::cmp::Ordering::Less => Cheaper::Fargate,
        std::cmp::Ordering::Equal => Cheaper::Equal,
    };
    let mut break_even = Vec::new();
    for (f, e) in fargate.items.iter().zip(&ec2.items) {
        if let Some(point) = break_even_of(f, e)? {
            break_even.push(point);
        }
    }
    Ok(Comparison {
        schema_version: crate::report::SCHEMA_VERSION,
        currency: "USD",
        fargate,
        ec2,
        cheaper,
        difference: signed.abs().normalize(),
        break_even,
    })
}

/// The items `side` priced that `other` (priced on `other_name`) could not, as unpriced entries.
fn one_sided(side: &Report, other: &Report, other_name: &str) -> Vec<Unpriced> {
    other
        .unpriced
        .iter()
        .filter(|u| side.items.iter().any(|i| i.name == u.name))
        .map(|u| {
            let reason = format!("left out of the comparison: not priced on {other_name} ({})", u.reason);
            Unpriced::new(&u.name, reason, &u.fix)
        })
        .collect()
}

/// Moves `entries` from `report`'s items to its unpriced ones, and totals what is left.
fn leave_out(report: &mut Report, entries: Vec<Unpriced>) -> Result<(), Overflow> {
    if !entries.is_empty() {
        report.items.retain(|i| !entries.iter().any(|u| u.name == i.name));
        report.total = money::sum("a compared total", report.items.iter().map(|i| i.total))?;
        report.unpriced.extend(entries);
    }
    Ok(())
}

/// The break-even point of one task item priced both ways; `None` for other items.
fn break_even_of(fargate: &Item, ec2: &Item) -> Result<Option<BreakEven>, Overflow> {
    let (ItemKind::Task { billed, .. }, ItemKind::Task { packing: Some(packing), .. }) =
        (&fargate.kind, &ec2.kind)
    else {
        return Ok(None);
    };
    let without_transfer = |item: &Item| {
        money::sum(
            "a cost without data transfer",
            item.lines.iter().filter(|l| l.component != Component::DataTransfer).map(|l| l.cost),
        )
    };
    let per_task =
        money::div("Fargate's cost per task", without_transfer(fargate)?, Decimal::from(billed.count))?;
    let per_instance =
        money::div("EC2's cost per instance", without_transfer(ec2)?, Decimal::from(packing.instances))?;
    let k = Decimal::from(packing.tasks_per_instance);
    let full_fleet = money::product("Fargate's cost of a full instance", &[k, per_task])?;
    let utilization = if full_fleet.is_zero() {
        Decimal::MAX
    } else {
        money::div("the break-even", per_instance, full_fleet)?
    };
    let task_count = if per_instance <= full_fleet && !per_task.is_zero() {
        let n = money::div("the break-even count", per_instance, per_task)?.ceil().max(Decimal::ONE);
        u64::try_from(n).ok()
    } else {
        None
    };
    Ok(Some(BreakEven {
        item: fargate.name.clone(),
        fargate_per_task: per_task.normalize(),
        ec2_per_instance: per_instance.normalize(),
        tasks_per_instance: packing.tasks_per_instance,
        utilization: utilization.normalize(),
        task_count,
    }))
}
