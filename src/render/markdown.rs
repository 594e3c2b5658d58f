//! Markdown for pull-request comments: a summary line, then one table of every line.

use std::fmt::Write as _;

use super::{budget_lines, cost, line_label, quantity, rate, rates_summary};
use crate::money::format_usd;
use crate::report::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "**Estimated cost: {}** ({})",
        format_usd(report.total),
        escape(&rates_summary(report))
    );
    let budgets = budget_lines(report);
    if !budgets.is_empty() {
        out.push('\n');
    }
    for budget in budgets {
        let _ = writeln!(out, "{}  ", escape(&budget));
    }
    out.push_str("\n| Item | Component | Quantity | Unit | Rate | Cost |\n|---|---|--:|---|--:|--:|\n");
    for item in &report.items {
        for line in &item.lines {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                escape(&item.name),
                escape(&line_label(line)),
                quantity(line),
                line.unit(),
                rate(line),
                cost(line)
            );
        }
        if report.items.len() > 1 {
            let _ =
                writeln!(out, "| {} | *subtotal* | | | | {} |", escape(&item.name), format_usd(item.total));
        }
    }
    let _ = writeln!(out, "| **Total** | | | | | **{}** |", format_usd(report.total));
    for line in super::assumption_lines(report) {
        match line.strip_prefix("- ") {
            Some(entry) => {
                let _ = writeln!(out, "- {}", escape(entry));
            }
            None => {
                let _ = writeln!(out, "\n**{}**\n", escape(line.trim().trim_end_matches(':')));
            }
        }
    }
    out
}

/// Escapes what would break a table cell or start Markdown formatting.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_pipes_and_markup() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("*x*\n"), "\\*x\\* ");
    }
}
