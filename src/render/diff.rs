//! `cost diff` output: a table, JSON (schema version 1), CSV, and Markdown for a pull-request
//! comment (a summary line first, then the table).

use std::fmt::Write as _;

use rust_decimal::{Decimal, RoundingStrategy};

use super::escape::csv_cell;
use super::table::{amounts, new_table, styled};
use super::{Document, RenderError, TableStyle, markdown::escape, visible};
use crate::money::{format_limit, format_usd, round_cents};
use crate::report::diff::{Amounts, Change, Diff, Limit, Status};

fn status(status: Status) -> &'static str {
    match status {
        Status::Added => "added",
        Status::Removed => "removed",
        Status::Changed => "changed",
        Status::Unchanged => "unchanged",
        Status::Unpriced => "unpriced",
    }
}

/// `+$12.34`, `-$3.00`, `$0.00`.
fn signed_usd(amount: Decimal) -> String {
    let shown = format_usd(amount);
    if amount > Decimal::ZERO && shown != "$0.00" { format!("+{shown}") } else { shown }
}

/// The change from `from` to `to` as people read it: the difference of the two amounts as they are
/// shown (each rounded to cents), so that the figures on a line subtract (`+$178.77, from $148.82
/// to $327.59`). The exact change is in the JSON and CSV.
pub fn signed_change(from: Decimal, to: Decimal) -> String {
    round_cents(to).checked_sub(round_cents(from)).map_or_else(|| "n/a".to_owned(), signed_usd)
}

/// `+8.3%`, `-12.5%`, `0%`, or `new` where there was nothing before.
pub fn signed_percent(percent: Option<Decimal>) -> String {
    match percent {
        None => "new".to_owned(),
        Some(p) => {
            let shown = p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero).normalize();
            if shown > Decimal::ZERO { format!("+{shown}%") } else { format!("{shown}%") }
        }
    }
}

/// `+$12.34 (+8.3%), from $148.82 to $161.16`
fn change_summary(total: &Change) -> String {
    format!(
        "{} ({}), from {} to {}",
        signed_change(total.old, total.new),
        signed_percent(total.percent),
        format_usd(total.old),
        format_usd(total.new)
    )
}

/// `max increase +$50.00: within` or `max increase +10%: exceeded`
fn limit_summary(diff: &Diff) -> Option<String> {
    let max = diff.max_increase?;
    let limit = match max.limit {
        Limit::Usd(usd) => format!("+{}", format_limit(usd)),
        Limit::Percent(p) => format!("+{}%", p.normalize()),
    };
    Some(format!("max increase {limit}: {}", if max.exceeded { "exceeded" } else { "within" }))
}

/// What a side has for an unpriced item: its amount if that side priced it, else `n/a`.
fn known_usd(amount: Option<Decimal>) -> String {
    amount.map_or_else(|| "n/a".to_owned(), format_usd)
}

fn rows(diff: &Diff) -> impl Iterator<Item = [String; 6]> + '_ {
    diff.items.iter().map(|i| match &i.change {
        Amounts::Priced(c) => [
            i.name.clone(),
            status(i.status).to_owned(),
            format_usd(c.old),
            format_usd(c.new),
            signed_change(c.old, c.new),
            signed_percent(c.percent),
        ],
        Amounts::Unpriced { old, new } => [
            i.name.clone(),
            status(i.status).to_owned(),
            known_usd(*old),
            known_usd(*new),
            "n/a".to_owned(),
            "n/a".to_owned(),
        ],
    })
}

/// The totals, labelled in the `change` column: no item's name can look like it.
fn total_row(diff: &Diff) -> [String; 6] {
    let t = &diff.total;
    [
        String::new(),
        "total".to_owned(),
        format_usd(t.old),
        format_usd(t.new),
        signed_change(t.old, t.new),
        signed_percent(t.percent),
    ]
}

const HEADER: [&str; 6] = ["item", "change", "old", "new", "delta", "delta %"];

/// What each side could not price, then what the new side skipped and assumed (the JSON has both
/// sides' lists in full).
fn coverage_lists(diff: &Diff) -> Vec<String> {
    let mut lines = Vec::new();
    for (side, info) in [("old", &diff.old), ("new", &diff.new)] {
        lines.extend(super::unpriced_lines(
            &format!("unpriced in the {side} (not in its total)"),
            &info.unpriced,
        ));
    }
    lines.extend(super::skipped_and_assumed_lines(&diff.new.skipped, &diff.new.assumptions, " in the new"));
    lines
}

/// `coverage: old: all 3 items priced; new: 2 of 3 items priced; 1 unpriced: x`
fn coverage_line(diff: &Diff) -> String {
    format!(
        "coverage: old: {}; new: {}",
        super::coverage_of(diff.old.priced, &diff.old.unpriced),
        super::coverage_of(diff.new.priced, &diff.new.unpriced)
    )
}

impl Document for Diff {
    fn table(&self, style: TableStyle) -> String {
        let diff = self;
        let mut out = String::new();
        let _ = writeln!(out, "{} -> {}", visible(&diff.old.source), visible(&diff.new.source));
        let _ = writeln!(out, "cost change: {}", change_summary(&diff.total));
        let mut table = new_table(style);
        table.set_header(HEADER.map(|h| styled(h, style)));
        for mut row in rows(diff) {
            row[0] = visible(&row[0]).into_owned();
            table.add_row(row);
        }
        table.add_row(total_row(diff).map(|c| styled(&c, style)));
        amounts(&mut table, 2..6);
        let _ = writeln!(out, "{table}");
        if let Some(limit) = limit_summary(diff) {
            let _ = writeln!(out, "{limit}");
        }
        for line in coverage_lists(diff) {
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "{}", coverage_line(diff));
        out
    }

    fn markdown(&self) -> String {
        let diff = self;
        let mut out = String::new();
        let _ = writeln!(out, "**Cost change: {}**", change_summary(&diff.total));
        if let Some(limit) = limit_summary(diff) {
            let _ = writeln!(out, "\n{}", escape(&limit));
        }
        let _ = writeln!(out, "\n| Item | Change | Old | New | Delta | Delta % |\n|---|---|--:|--:|--:|--:|");
        for [name, change, old, new, delta, percent] in rows(diff) {
            let _ = writeln!(out, "| {} | {change} | {old} | {new} | {delta} | {percent} |", escape(&name));
        }
        let [_, _, old, new, delta, percent] = total_row(diff);
        let _ = writeln!(out, "| **Total** | | **{old}** | **{new}** | **{delta}** | **{percent}** |");
        let _ = writeln!(out, "\n{}", escape(&coverage_line(diff)));
        super::markdown::lists(&mut out, coverage_lists(diff));
        let _ = writeln!(out, "\n<sub>{} -> {}</sub>", escape(&diff.old.source), escape(&diff.new.source));
        out
    }

    fn csv(&self) -> Result<String, RenderError> {
        let diff = self;
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record(["item", "status", "old", "new", "delta", "percent", "currency"])?;
        let exact = |d: Decimal| d.normalize().to_string();
        let percent = |p: Option<Decimal>| p.map(exact).unwrap_or_default();
        for i in &diff.items {
            let [old, new, delta, percent] = match &i.change {
                Amounts::Priced(c) => [exact(c.old), exact(c.new), exact(c.delta), percent(c.percent)],
                Amounts::Unpriced { old, new } => [
                    old.map(exact).unwrap_or_default(),
                    new.map(exact).unwrap_or_default(),
                    String::new(),
                    String::new(),
                ],
            };
            w.write_record([
                csv_cell(&i.name).into_owned(),
                status(i.status).to_owned(),
                old,
                new,
                delta,
                percent,
                diff.currency.to_owned(),
            ])?;
        }
        let t = &diff.total;
        w.write_record([
            String::new(),
            "total".to_owned(),
            exact(t.old),
            exact(t.new),
            exact(t.delta),
            percent(t.percent),
            diff.currency.to_owned(),
        ])?;
        let bytes = w.into_inner().map_err(|e| ::csv::Error::from(e.into_error()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
