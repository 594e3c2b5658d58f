//! Renderers: each turns a [`Report`] into the bytes of one output format. Pure functions; the
//! binary decides where the bytes go.
//!
//! Machine formats (JSON, CSV) carry exact, unrounded decimals; human formats (table, Markdown)
//! round money once, to cents, half away from zero.

pub mod compare;
mod csv;
pub mod diff;
pub mod escape;
pub mod explain;
mod json;
mod markdown;
pub mod rates;
mod table;

use std::borrow::Cow;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::model::{LaunchType, Platform, Skipped, Unpriced};
use crate::money::{format_limit, format_quantity, format_usd};
use crate::report::Packing;
use crate::report::{Billed, Item, ItemKind, Line, Overrun, Report};
use escape::visible;

pub use self::table::TableStyle;

/// Output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
    Markdown,
}

/// A document `cost` prints (a report, a diff, a comparison, rate tables), in every output format:
/// one method per format, and [`render`] picks one. JSON is the document as `serde_json` writes it.
pub trait Document: serde::Serialize {
    fn table(&self, style: TableStyle) -> String;
    fn markdown(&self) -> String;
    fn csv(&self) -> Result<String, RenderError>;
    fn json(&self) -> Result<String, RenderError> {
        Ok(json::pretty(self)?)
    }
}

/// Renders `document` in `format`; `style` only matters to the table.
pub fn render(document: &impl Document, format: Format, style: TableStyle) -> Result<String, RenderError> {
    match format {
        Format::Table => Ok(document.table(style)),
        Format::Json => document.json(),
        Format::Csv => document.csv(),
        Format::Markdown => Ok(document.markdown()),
    }
}

/// The report's formats: one file each (`table.rs`, `csv.rs`, `markdown.rs`, `json.rs`).
impl Document for Report {
    fn table(&self, style: TableStyle) -> String {
        table::render(self, style)
    }

    fn markdown(&self) -> String {
        markdown::render(self)
    }

    fn csv(&self) -> Result<String, RenderError> {
        Ok(csv::render(self)?)
    }
}

/// A renderer failed (only serializers can, and only on I/O-like faults of the in-memory writer).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("could not write JSON: {0}")]
    Json(#[from] json::Error),
    #[error("could not write CSV: {0}")]
    Csv(#[from] ::csv::Error),
}

pub(crate) use self::json::{batch_item, compact as json_line};

/// The report's unpriced items, skipped resources and assumptions as lines for people: a heading
/// line ending in `:` and one `- ` line each; nothing for an empty list.
fn coverage_lists(report: &Report) -> Vec<String> {
    let mut lines = unpriced_lines("unpriced (not in the total)", &report.unpriced);
    lines.extend(skipped_and_assumed_lines(&report.skipped, &report.assumptions, ""));
    lines
}

/// `heading:` and a line for each unpriced entry, with its reason and fix.
fn unpriced_lines(heading: &str, unpriced: &[Unpriced]) -> Vec<String> {
    if unpriced.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![format!("\n{heading}:")];
    lines.extend(
        unpriced
            .iter()
            .map(|u| format!("- {}: {}; fix: {}", visible(&u.name), visible(&u.reason), visible(&u.fix))),
    );
    lines
}

/// The skipped resources and the assumptions, as [`coverage_lists`] writes them; `of` follows
/// each heading's first word (` of the new` in a diff).
fn skipped_and_assumed_lines(skipped: &[Skipped], assumptions: &[String], of: &str) -> Vec<String> {
    let mut lines = Vec::new();
    if !skipped.is_empty() {
        lines.push(format!("\nskipped{of} (kinds `cost` does not price):"));
        lines.extend(
            skipped
                .iter()
                .map(|s| format!("- {} ({}): {}", visible(&s.name), visible(&s.kind), visible(&s.reason))),
        );
    }
    if !assumptions.is_empty() {
        lines.push(format!("\nassumptions{of}:"));
        lines.extend(assumptions.iter().map(|a| format!("- {}", visible(a))));
    }
    lines
}

/// What the report covers, in one phrase: `3 items priced, none unpriced` or `2 of 3 items
/// priced; 1 unpriced: aws_ecs_service.legacy`.
pub fn coverage_phrase(report: &Report) -> String {
    coverage_of(report.items.len(), &report.unpriced)
}

/// [`coverage_phrase`] from the number of items priced and the unpriced entries.
fn coverage_of(priced: usize, unpriced_entries: &[Unpriced]) -> String {
    const NAMES_SHOWN: usize = 3;
    let unpriced = unpriced_entries.len();
    let all = priced + unpriced;
    let items = |n: usize| if n == 1 { "item" } else { "items" };
    if unpriced == 0 {
        return format!("{all} {} priced, none unpriced", items(all));
    }
    let names: Vec<Cow<'_, str>> =
        unpriced_entries.iter().take(NAMES_SHOWN).map(|u| visible(&u.name)).collect();
    let more = match unpriced.saturating_sub(NAMES_SHOWN) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!("{priced} of {all} {} priced; {unpriced} unpriced: {}{more}", items(all), names.join(", "))
}

/// The line under a report: `coverage: 2 of 3 items priced; 1 unpriced: x; 4 resources skipped;
/// 3 assumptions`.
pub fn coverage_line(report: &Report) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("; {n} {}", if n == 1 { one } else { many });
    let skipped = match report.skipped.len() {
        0 => String::new(),
        n => plural(n, "resource skipped", "resources skipped"),
    };
    let assumed = match report.assumptions.len() {
        0 => "; nothing assumed".to_owned(),
        n => plural(n, "assumption", "assumptions"),
    };
    format!("coverage: {}{skipped}{assumed}", coverage_phrase(report))
}

/// Decimal places shown for quantities in human formats.
const QUANTITY_DP: u32 = 4;

/// The component as people read it, with the line's detail where it tells lines apart.
fn line_label(line: &Line) -> String {
    use crate::report::Component::{DataTransfer, EphemeralStorage};
    match line.component {
        DataTransfer => format!("{}, {}", line.component.label(), visible(&line.detail)),
        EphemeralStorage => "storage above 20 GB".to_owned(),
        _ => line.component.label().to_owned(),
    }
}

fn quantity(line: &Line) -> String {
    format_quantity(line.quantity, QUANTITY_DP)
}

/// Rates print with all their digits (they are exact prices, not results), and at least cents.
fn rate(line: &Line) -> String {
    let rate = line.rate.normalize();
    if rate.scale() < 2 { format!("${rate:.2}") } else { format!("${rate}") }
}

fn cost(line: &Line) -> String {
    format_usd(line.cost)
}

/// What the item is: `Fargate on ECS`, `Fargate on EKS`, `EKS cluster`, `ECR repository`.
fn kind_label(item: &Item) -> &'static str {
    match &item.kind {
        ItemKind::Task { launch_type: LaunchType::Ec2, .. } => "ECS on EC2",
        ItemKind::Task { platform: Platform::Ecs, .. } => "Fargate on ECS",
        ItemKind::Task { platform: Platform::Eks, .. } => "Fargate on EKS",
        ItemKind::EksCluster { .. } => "EKS cluster",
        ItemKind::EcrRepository { .. } => "ECR repository",
    }
}

/// What was billed for the item, in one line.
fn item_summary(item: &Item) -> String {
    match &item.kind {
        ItemKind::Task { billed, platform, packing, .. } => {
            let summary = billed_summary(billed, *platform);
            match packing {
                None => summary,
                Some(p) => format!("{summary}\n{}", packing_summary(p)),
            }
        }
        ItemKind::EksCluster { support, hours } => {
            format!("{support} support, {} h", format_quantity(*hours, QUANTITY_DP))
        }
        ItemKind::EcrRepository { storage_gb, months } => format!(
            "{} GB stored for {} month(s)",
            format_quantity(*storage_gb, QUANTITY_DP),
            format_quantity(*months, QUANTITY_DP)
        ),
    }
}

/// `on 3 x m5.large (cheapest that fits), 4 tasks per instance, CPU 83.3%, memory 44.4% used`
fn packing_summary(p: &Packing) -> String {
    let percent = |share: Decimal| format_quantity(share * Decimal::ONE_HUNDRED, 1);
    let chosen = if p.chosen == "cheapest" { " (the cheapest that fits)" } else { "" };
    format!(
        "on {} x {}{chosen}, {} per instance, CPU {}%, memory {}% used",
        p.instances,
        visible(&p.instance_type),
        if p.tasks_per_instance == 1 {
            "1 task".to_owned()
        } else {
            format!("{} tasks", p.tasks_per_instance)
        },
        percent(p.cpu_utilization),
        percent(p.memory_utilization)
    )
}

/// `1 vCPU / 2 GB, Linux x86_64 on-demand, 5 tasks x 30 runs x 600 s (0.1667 h), 20 GB storage`
/// (ASCII, so piped output stays plain)
fn billed_summary(b: &Billed, platform: Platform) -> String {
    let plural = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let hours = format_quantity(b.seconds_per_run / dec!(3600), QUANTITY_DP);
    format!(
        "{} vCPU / {} GB, {} {} {}, {} x {} x {} s ({hours} h), {} GB storage",
        b.vcpu.normalize(),
        b.memory_gb.normalize(),
        match b.os {
            crate::model::Os::Linux => "Linux",
            crate::model::Os::Windows => "Windows",
        },
        b.arch,
        b.pricing,
        plural(b.count, if platform == Platform::Eks { "pod" } else { "task" }),
        plural(b.runs, "run"),
        format_quantity(b.seconds_per_run, 0),
        b.ephemeral_storage_gb.normalize(),
    )
}

/// `us-east-1 (US East (N. Virginia)), rates effective 2026-09-11, embedded pricing/us-east-1.toml`
fn rates_summary(report: &Report) -> String {
    let r = &report.rates;
    let effective = r.effective.map_or_else(|| "undated".to_owned(), |d| format!("rates effective {d}"));
    format!("{} ({}), {effective}, {}", visible(&r.region), visible(&r.location), visible(&r.source))
}

/// One line per budget: `budget $400.00: within budget, $251.18 to spare`, or for an item over its
/// own, `budget of api $100.00: exceeded by $31.51`.
fn budget_lines(report: &Report) -> Vec<String> {
    let whole = report.budget.map(|b| (None, report.total, b));
    let items = report.items.iter().filter_map(|i| i.budget.map(|b| (Some(i.name.as_str()), i.total, b)));
    whole
        .into_iter()
        .chain(items)
        .map(|(item, total, budget)| {
            let of = item.map_or_else(String::new, |name| format!(" of {}", visible(name)));
            let verdict = if budget.exceeded {
                format!("exceeded by {}", excess_text(total - budget.limit))
            } else {
                format!("within budget, {} to spare", format_usd(budget.limit - total))
            };
            format!("budget{of} {}: {verdict}", format_limit(budget.limit))
        })
        .collect()
}

/// A sentence for stderr: `the total $36.04 exceeds the budget of $10.00 by $26.04`, or
/// `api costs $131.51, over its budget of $100.00 by $31.51`. When cents hide the excess ($36.04
/// over $36.04), the exact total is shown.
pub fn overrun_sentence(overrun: &Overrun<'_>) -> String {
    // When cents cannot tell the two apart, or hide the limit's digits, the total is shown whole.
    let (total, limit) = (format_usd(overrun.total), format_limit(overrun.limit));
    let total = if total == limit || limit != format_usd(overrun.limit) {
        format!("${}", overrun.total.normalize())
    } else {
        total
    };
    let excess = excess_text(overrun.excess);
    match overrun.item {
        None => format!("the total {total} exceeds the budget of {limit} by {excess}"),
        Some(name) => format!("{name} costs {total}, over its budget of {limit} by {excess}"),
    }
}

/// An excess in dollars; one too small to show in cents still reads as an excess.
pub fn excess_text(excess: Decimal) -> String {
    let shown = format_usd(excess);
    if shown == "$0.00" { "less than $0.01".to_owned() } else { shown }
}
