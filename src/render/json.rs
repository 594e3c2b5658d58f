//! JSON, schema version 1 (`spec/cli.md`): every number is the exact Decimal's digits.

use crate::report::Report;

pub fn render(report: &Report) -> Result<String, serde_json::Error> {
    super::json_text(report)
}
