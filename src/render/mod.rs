//! Renderers: each turns a [`Report`] into the bytes of one output format. Pure functions; the
//! binary decides where the bytes go.
//!
//! Machine formats (JSON, CSV) carry exact, unrounded decimals; human formats (table, Markdown)
//! round money once, to cents, half away from zero.

mod csv;
mod json;
mod markdown;
mod table;

use rust_decimal::Decimal;

use crate::model::Platform;
use crate::money::{format_quantity, format_usd};
use crate::report::{Billed, Item, ItemKind, Line, Report};

pub use self::csv::render as csv;
pub use self::json::render as json;
pub use self::markdown::render as markdown;
pub use self::table::{TableStyle, render as table};

/// Output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
    Markdown,
}

/// Renders `report` in `format`; `style` only matters to the table.
pub fn render(report: &Report, format: Format, style: TableStyle) -> Result<String, RenderError> {
    Ok(match format {
        Format::Table => table(report, style),
        Format::Json => json(report)?,
        Format::Csv => csv(report)?,
        Format::Markdown => markdown(report),
    })
}

/// A renderer failed (only serializers can, and only on I/O-like faults of the in-memory writer).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("could not write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("could not write CSV: {0}")]
    Csv(#[from] ::csv::Error),
}

/// Decimal places shown for quantities in human formats.
const QUANTITY_DP: u32 = 4;

/// The component as people read it, with the line's detail where it tells lines apart.
fn line_label(line: &Line) -> String {
    use crate::report::Component::{DataTransfer, EphemeralStorage};
    match line.component {
        DataTransfer => format!("{}, {}", line.component.label(), line.detail),
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
        ItemKind::Task { platform: Platform::Ecs, .. } => "Fargate on ECS",
        ItemKind::Task { platform: Platform::Eks, .. } => "Fargate on EKS",
        ItemKind::EksCluster { .. } => "EKS cluster",
        ItemKind::EcrRepository { .. } => "ECR repository",
    }
}

/// What was billed for the item, in one line.
fn item_summary(item: &Item) -> String {
    match &item.kind {
        ItemKind::Task { billed, platform, .. } => billed_summary(billed, *platform),
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

/// `1 vCPU / 2 GB, Linux x86_64 on-demand, 5 tasks x 30 runs x 600 s (0.1667 h), 20 GB storage`
/// (ASCII, so piped output stays plain)
fn billed_summary(b: &Billed, platform: Platform) -> String {
    let plural = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let hours = format_quantity(b.seconds_per_run / Decimal::from(3600), QUANTITY_DP);
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
    format!("{} ({}), {effective}, {}", r.region, r.location, r.source)
}

/// `Budget $100.00: within, $63.96 to spare` or `Budget $10.00: EXCEEDED by $26.04`.
fn budget_summary(report: &Report) -> Option<String> {
    let budget = report.budget?;
    Some(match report.over_budget_by() {
        Some(excess) => format!("budget {}: exceeded by {}", format_usd(budget.limit), excess_text(excess)),
        None => format!(
            "budget {}: within budget, {} to spare",
            format_usd(budget.limit),
            format_usd(budget.limit - report.total)
        ),
    })
}

/// An excess in dollars; one too small to show in cents still reads as an excess.
pub fn excess_text(excess: Decimal) -> String {
    let shown = format_usd(excess);
    if shown == "$0.00" { "less than $0.01".to_owned() } else { shown }
}
