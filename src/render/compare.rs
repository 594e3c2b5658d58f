//! `cost compare` output: the two totals side by side per item, which is cheaper, and the
//! break-even points; JSON carries both full reports.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::diff::signed_change;
use super::escape::csv_cell;
use super::table::{amounts, new_table, styled};
use super::{Document, RenderError, TableStyle, markdown::escape, rates_summary, visible};
use crate::money::{format_quantity, format_usd};
use crate::report::ItemKind;
use crate::report::compare::{BreakEven, Cheaper, Comparison};

/// `item, Fargate, EC2 (how placed), Fargate − EC2` for every item (the name as given).
fn rows(c: &Comparison) -> Vec<[String; 4]> {
    c.fargate
        .items
        .iter()
        .zip(&c.ec2.items)
        .map(|(f, e)| {
            let placed = match &e.kind {
                ItemKind::Task { packing: Some(p), .. } => {
                    format!(" ({} x {})", p.instances, visible(&p.instance_type))
                }
                _ => String::new(),
            };
            [
                f.name.clone(),
                format_usd(f.total),
                format!("{}{placed}", format_usd(e.total)),
                signed_change(e.total, f.total),
            ]
        })
        .collect()
}

/// `total: Fargate $180.20, EC2 $121.47, Fargate - EC2 +$58.73`: under the table rather than a row
/// of it, so that no item's name can look like it.
fn totals(c: &Comparison) -> String {
    format!(
        "total: Fargate {}, EC2 {}, Fargate - EC2 {}",
        format_usd(c.fargate.total),
        format_usd(c.ec2.total),
        signed_change(c.ec2.total, c.fargate.total)
    )
}

/// `EC2 is cheaper by $12.34` / `Fargate is cheaper by $1.00` / `they cost the same`.
fn verdict(c: &Comparison) -> String {
    match c.cheaper {
        Cheaper::Ec2 => format!(
            "EC2 is cheaper by {}",
            signed_change(c.ec2.total, c.fargate.total).trim_start_matches('+')
        ),
        Cheaper::Fargate => format!(
            "Fargate is cheaper by {}",
            signed_change(c.fargate.total, c.ec2.total).trim_start_matches('+')
        ),
        Cheaper::Equal => "Fargate and EC2 cost the same".to_owned(),
    }
}

/// `api: EC2 costs no more than Fargate once 62.5% of its task slots are filled (from 3 tasks; 4
/// per instance, $70.08 an instance against $18.21 a task)`.
fn break_even_line(b: &BreakEven) -> String {
    let per = format!(
        "{} per instance, {} an instance against {} a task on Fargate",
        b.tasks_per_instance,
        format_usd(b.ec2_per_instance),
        format_usd(b.fargate_per_task)
    );
    if b.utilization > Decimal::ONE {
        return format!("{}: EC2 costs more than Fargate even with every task slot filled ({per})", b.item);
    }
    let share = format_quantity(b.utilization * Decimal::ONE_HUNDRED, 1);
    let from = b.task_count.map_or_else(String::new, |n| format!(", from {n} task(s)"));
    format!(
        "{}: EC2 costs no more than Fargate once {share}% of its task slots are filled{from} ({per})",
        b.item
    )
}

const HEADER: [&str; 4] = ["item", "Fargate", "EC2", "Fargate - EC2"];

/// What each side could not price (both leave out the same items), then the skipped resources and
/// the assumptions, which the two sides share.
fn coverage_lists(c: &Comparison) -> Vec<String> {
    let mut lines = super::unpriced_lines("unpriced on Fargate (not in its total)", &c.fargate.unpriced);
    lines.extend(super::unpriced_lines("unpriced on EC2 (not in its total)", &c.ec2.unpriced));
    lines.extend(super::skipped_and_assumed_lines(&c.fargate.skipped, &c.fargate.assumptions, ""));
    lines
}

impl Document for Comparison {
    fn table(&self, style: TableStyle) -> String {
        let c = self;
        let mut out = String::new();
        let _ = writeln!(out, "{}", rates_summary(&c.fargate));
        let mut table = new_table(style);
        table.set_header(HEADER.map(|h| styled(h, style)));
        for mut row in rows(c) {
            row[0] = visible(&row[0]).into_owned();
            table.add_row(row);
        }
        amounts(&mut table, 1..4);
        let _ = writeln!(out, "{table}");
        let _ = writeln!(out, "{}", totals(c));
        let _ = writeln!(out, "{}", verdict(c));
        for b in &c.break_even {
            let _ = writeln!(out, "{}", visible(&break_even_line(b)));
        }
        for line in coverage_lists(c) {
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "\n{}", super::coverage_line(&c.fargate));
        out
    }

    fn markdown(&self) -> String {
        let c = self;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "**{}**: Fargate {}, EC2 {}\n\n| Item | Fargate | EC2 | Fargate - EC2 |\n|---|--:|--:|--:|",
            verdict(c),
            format_usd(c.fargate.total),
            format_usd(c.ec2.total)
        );
        for [item, fargate, ec2, delta] in rows(c) {
            let _ = writeln!(out, "| {} | {fargate} | {ec2} | {delta} |", escape(&item));
        }
        let _ = writeln!(
            out,
            "| **Total** | **{}** | **{}** | **{}** |",
            format_usd(c.fargate.total),
            format_usd(c.ec2.total),
            signed_change(c.ec2.total, c.fargate.total)
        );
        for b in &c.break_even {
            let _ = writeln!(out, "\n{}", escape(&break_even_line(b)));
        }
        let _ = writeln!(out, "\n{}", escape(&super::coverage_line(&c.fargate)));
        super::markdown::lists(&mut out, coverage_lists(c));
        out
    }

    fn csv(&self) -> Result<String, RenderError> {
        let c = self;
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record(["item", "fargate", "ec2", "fargate_minus_ec2", "currency", "note"])?;
        let exact = |d: Decimal| d.normalize().to_string();
        for (f, e) in c.fargate.items.iter().zip(&c.ec2.items) {
            w.write_record([
                csv_cell(&f.name).into_owned(),
                exact(f.total),
                exact(e.total),
                exact(f.total - e.total),
                c.currency.to_owned(),
                String::new(),
            ])?;
        }
        // An item left out (not priced on one side or either): no amounts, the reasons in `note`.
        for (side, report) in [("Fargate", &c.fargate), ("EC2", &c.ec2)] {
            for u in &report.unpriced {
                let note =
                    csv_cell(&format!("unpriced on {side}: {}; fix: {}", u.reason, u.fix)).into_owned();
                w.write_record([
                    csv_cell(&u.name).into_owned(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    note,
                ])?;
            }
        }
        // The totals: no item name, `total` in `note`.
        w.write_record([
            String::new(),
            exact(c.fargate.total),
            exact(c.ec2.total),
            exact(c.fargate.total - c.ec2.total),
            c.currency.to_owned(),
            "total".to_owned(),
        ])?;
        let bytes = w.into_inner().map_err(|e| ::csv::Error::from(e.into_error()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
