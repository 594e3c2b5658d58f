//! `--explain`: each line's formula with the numbers put in, in the form AWS's pricing page uses:
//! `vCPU: 5 tasks × 1 vCPU × 600 s × 30 runs × $0.04048/h ÷ 3600 = $1.01`. The amounts are the
//! ones the table shows, so the two always agree.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::{line_label, rate};
use crate::model::INCLUDED_STORAGE_GB;
use crate::model::Platform;
use crate::money::{format_quantity, format_usd};
use crate::report::{Component, Item, ItemKind, Line, Report};

/// The formulas of every line of every item, one per line, under a heading per item; `what`
/// names the report in the first line (`Fargate` in a comparison).
pub fn render(report: &Report, what: Option<&str>) -> String {
    let mut out = match what {
        Some(what) => format!("\nhow each line is computed, {what}:\n"),
        None => "\nhow each line is computed:\n".to_owned(),
    };
    for item in &report.items {
        let _ = writeln!(out, "{}:", super::visible(&item.name));
        for line in &item.lines {
            let _ = writeln!(out, "  {}", formula(item, line));
        }
    }
    out
}

fn plural(n: u64, word: &str) -> String {
    format!("{} {word}{}", format_quantity(Decimal::from(n), 0), if n == 1 { "" } else { "s" })
}

/// One line's formula.
pub fn formula(item: &Item, line: &Line) -> String {
    let label = line_label(line);
    let result = format_usd(line.cost);
    match (&item.kind, line.component) {
        (ItemKind::Task { billed, packing, platform, .. }, component)
            if component != Component::DataTransfer =>
        {
            let tasks = if *platform == Platform::Eks { "pod" } else { "task" };
            let time = format!(
                "{} s × {} × {}/h ÷ 3600",
                format_quantity(billed.seconds_per_run, 0),
                plural(billed.runs, "run"),
                rate(line)
            );
            let what = match (component, packing) {
                (Component::Ec2Instance, Some(p)) => {
                    format!("{} ({})", plural(p.instances, "instance"), super::visible(&p.instance_type))
                }
                (Component::Vcpu | Component::OsLicense, _) => {
                    format!("{} × {} vCPU", plural(billed.count, tasks), billed.vcpu.normalize())
                }
                (Component::Memory, _) => {
                    format!("{} × {} GB", plural(billed.count, tasks), billed.memory_gb.normalize())
                }
                (Component::EphemeralStorage, _) => format!(
                    "{} × {} GB",
                    plural(billed.count, tasks),
                    (billed.ephemeral_storage_gb - INCLUDED_STORAGE_GB).normalize()
                ),
                _ => format!("{} {}", format_quantity(line.quantity, 4), line.unit()),
            };
            format!("{label}: {what} × {time} = {result}")
        }
        (_, Component::DataTransfer) => {
            format!("{label}: {} GB × {}/GB = {result}", format_quantity(line.quantity, 4), rate(line))
        }
        (_, Component::EksCluster) => {
            format!("{label}: {} h × {}/h = {result}", format_quantity(line.quantity, 4), rate(line))
        }
        _ => format!(
            "{label}: {} {} × {} = {result}",
            format_quantity(line.quantity, 4),
            line.unit(),
            rate(line)
        ),
    }
}
