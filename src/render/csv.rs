//! CSV: a header, one row per line with exact decimals, then one `total` row.

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
                item.name.as_str(),
                kind,
                launch_type,
                platform,
                line.component.key(),
                &line.detail,
                &line.quantity.normalize().to_string(),
                line.unit(),
                &line.rate.normalize().to_string(),
                &line.cost.normalize().to_string(),
                report.currency,
            ])?;
        }
    }
    let total = report.total.normalize().to_string();
    w.write_record(["", "", "", "", "total", "", "", "", "", total.as_str(), report.currency])?;
    let bytes = w.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    // Every field is a Rust string, so the bytes are UTF-8 and nothing is replaced.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
