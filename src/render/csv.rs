//! CSV: a header, one row per line with exact decimals, a row for each unpriced item, skipped
//! resource and assumption, then one `total` row.

use super::escape::csv_cell;
use crate::report::{ItemKind, Report};

const HEADER: [&str; 11] = [
    "item",
    "kind",
    "launch_type",
    "platform",
    "component",
    "detail",
    "quantity",
    "unit",
    "rate",
    "cost",
    "currency",
];

pub fn render(report: &Report) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    for item in &report.items {
        let (kind, launch_type, platform) = match &item.kind {
            ItemKind::Task { launch_type, platform, .. } => ("task", launch_type.as_str(), platform.as_str()),
            ItemKind::EksCluster { .. } => ("eks_cluster", "", ""),
            ItemKind::EcrRepository { .. } => ("ecr_repository", "", ""),
        };
        for line in &item.lines {
            w.write_record([
                &csv_cell(&item.name),
                kind,
                launch_type,
                platform,
                line.component.key(),
                &csv_cell(&line.detail),
                &line.quantity.normalize().to_string(),
                line.unit(),
                &line.rate.normalize().to_string(),
                &line.cost.normalize().to_string(),
                report.currency,
            ])?;
        }
    }
    // What the total leaves out and what it assumes, as rows with no cost: `unpriced` (the
    // reason and the fix in `detail`), `skipped` (the resource type and why), `assumption`.
    for u in &report.unpriced {
        let detail = format!("{}; fix: {}", u.reason, u.fix);
        w.write_record([&csv_cell(&u.name), "unpriced", "", "", "", &csv_cell(&detail), "", "", "", "", ""])?;
    }
    for s in &report.skipped {
        let detail = format!("{}: {}", s.kind, s.reason);
        w.write_record([&csv_cell(&s.name), "skipped", "", "", "", &csv_cell(&detail), "", "", "", "", ""])?;
    }
    for a in &report.assumptions {
        w.write_record(["", "assumption", "", "", "", &csv_cell(a), "", "", "", "", ""])?;
    }
    let total = report.total.normalize().to_string();
    w.write_record(["", "", "", "", "total", "", "", "", "", total.as_str(), report.currency])?;
    let bytes = w.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    // Every field is a Rust string, so the bytes are UTF-8 and nothing is replaced.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
