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
    out.push('\n');
    for budget in budget_lines(report) {
        let _ = writeln!(out, "{}  ", escape(&budget));
    }
    let _ = writeln!(out, "{}", escape(&super::coverage_line(report)));
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
    lists(&mut out, super::coverage_lists(report));
    out
}

/// Coverage lists (as the table writes them) in Markdown: each heading bold, each entry a bullet.
pub(super) fn lists(out: &mut String, lines: Vec<String>) {
    for line in lines {
        match line.strip_prefix("- ") {
            Some(entry) => {
                let _ = writeln!(out, "- {}", escape(entry));
            }
            None => {
                let _ = writeln!(out, "\n**{}**\n", escape(line.trim().trim_end_matches(':')));
            }
        }
    }
}

/// Escapes what would break a table cell or start Markdown formatting, with control characters
/// shown as escapes first ([`super::visible`]).
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in super::visible(text).chars() {
        match c {
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
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
        // A newline is shown as `\n` (its backslash escaped): it cannot end the table row.
        assert_eq!(escape("*x*\n"), "\\*x\\*\\\\n");
        assert_eq!(escape("a\u{1b}[2J"), "a\\\\u{1b}\\[2J");
    }
}
