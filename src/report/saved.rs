//! Reports written earlier by `cost estimate --format json`, read back for `cost diff`: the item
//! names and totals (which must add up), and what the report says it covers.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::model::{Skipped, Unpriced};
use crate::money::{self, Exact};
use crate::report::diff::Side;

#[derive(Debug, Deserialize)]
struct ReportFile {
    schema_version: u32,
    items: Vec<ReportItem>,
    total: Exact,
    // Reports written before these lists were added have none.
    #[serde(default)]
    unpriced: Vec<Unpriced>,
    #[serde(default)]
    skipped: Vec<Skipped>,
    #[serde(default)]
    assumptions: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ReportItem {
    name: String,
    total: Exact,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("not a cost JSON report: {0}")]
    Json(String),
    #[error("has schema_version {0}; this build reads reports of version 1")]
    Version(u32),
    #[error("its total {total} is not the sum of its items' totals ({sum}); was it edited?")]
    Inconsistent { total: Decimal, sum: Decimal },
}

/// The names and totals of a JSON report's items.
pub fn parse(text: &str, source: String) -> Result<Side, ReportError> {
    let file: ReportFile = serde_json::from_str(text).map_err(|e| ReportError::Json(e.to_string()))?;
    if file.schema_version != crate::report::SCHEMA_VERSION {
        return Err(ReportError::Version(file.schema_version));
    }
    let items: Vec<(String, Decimal)> = file.items.into_iter().map(|i| (i.name, i.total.0)).collect();
    let sum = money::sum("a report total", items.iter().map(|(_, t)| *t))
        .map_err(|e| ReportError::Json(e.to_string()))?;
    if sum != file.total.0 {
        return Err(ReportError::Inconsistent { total: file.total.0, sum });
    }
    Ok(Side {
        source,
        items,
        total: file.total.0,
        unpriced: file.unpriced,
        skipped: file.skipped,
        assumptions: file.assumptions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_and_totals() {
        let side = parse(
            r#"{"schema_version": 1, "items": [{"name": "api", "total": 1.5, "lines": []},
                {"name": "db", "total": 2.25}], "total": 3.75, "currency": "USD"}"#,
            "r.json".into(),
        )
        .unwrap();
        assert_eq!(
            side.items,
            [("api".to_owned(), Decimal::new(15, 1)), ("db".to_owned(), Decimal::new(225, 2))]
        );
        assert_eq!(side.total, Decimal::new(375, 2));
    }

    #[test]
    fn refuses_what_is_not_a_consistent_version_1_report() {
        let version = parse(r#"{"schema_version": 2, "items": [], "total": 0}"#, String::new());
        assert_eq!(version, Err(ReportError::Version(2)));
        let sum = parse(
            r#"{"schema_version": 1, "items": [{"name": "a", "total": 1}], "total": 2}"#,
            String::new(),
        );
        assert!(matches!(sum, Err(ReportError::Inconsistent { .. })));
        for bad in [
            "",
            "{",
            "[]",
            r#"{"items": []}"#,
            r#"{"schema_version": 1, "items": [{"name": 1, "total": 1}], "total": 1}"#,
        ] {
            assert!(matches!(parse(bad, String::new()), Err(ReportError::Json(_))), "{bad}");
        }
    }
}
