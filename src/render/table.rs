//! The breakdown table people read in a terminal: one block per item, then the total.

use std::fmt::Write as _;

use comfy_table::{Attribute, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, presets};

use super::{
    budget_lines, cost, item_summary, kind_label, line_label, quantity, rate, rates_summary, visible,
};
use crate::money::format_usd;
use crate::report::Report;

/// How the table may be drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableStyle {
    /// Bold and colour (only on a terminal, never with `NO_COLOR`).
    pub color: bool,
    /// Box-drawing characters (a terminal) rather than plain ASCII (a pipe or file).
    pub unicode: bool,
    /// Wrap to the terminal's width; off the terminal, never wrap.
    pub wrap: bool,
    /// The width to wrap to; `None`: the terminal's, as detected.
    pub width: Option<u16>,
}

/// Narrower than this (or of unknown width, or a terminal that says 0), tables are not wrapped:
/// squeezing them further splits words and amounts, and a long line reads better.
const MIN_WRAP_WIDTH: u16 = 60;

pub fn render(report: &Report, style: TableStyle) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", rates_summary(report));
    for item in &report.items {
        let _ = writeln!(out, "\n{} ({})", visible(&item.name), kind_label(item));
        let _ = writeln!(out, "{}", item_summary(item));
        let mut table = new_table(style);
        table.set_header(["component", "quantity", "unit", "rate", "cost"].map(|h| styled(h, style)));
        for line in &item.lines {
            table.add_row([line_label(line), quantity(line), line.unit().to_owned(), rate(line), cost(line)]);
        }
        table.add_row(["total", "", "", "", &format_usd(item.total)].map(|c| styled(c, style)));
        amounts(&mut table, [1, 3, 4]);
        let _ = writeln!(out, "{table}");
        for note in &item.notes {
            let _ = writeln!(out, "note: {}", visible(note));
        }
    }
    for line in super::coverage_lists(report) {
        let _ = writeln!(out, "{line}");
    }
    if report.items.len() > 1 {
        let mut summary = new_table(style);
        summary.set_header(["item", "kind", "total"].map(|h| styled(h, style)));
        for item in &report.items {
            summary.add_row([
                visible(&item.name).into_owned(),
                kind_label(item).to_owned(),
                format_usd(item.total),
            ]);
        }
        // Labelled in the `kind` column: no item's name can look like it.
        summary.add_row(["", "total", &format_usd(report.total)].map(|c| styled(c, style)));
        amounts(&mut summary, [2]);
        let _ = writeln!(out, "\nsummary\n{summary}");
    }
    let budgets = budget_lines(report);
    if budgets.is_empty() {
        out.push('\n');
    }
    for budget in budgets {
        let _ = writeln!(out, "{budget}");
    }
    let _ = writeln!(out, "{}", super::coverage_line(report));
    out
}

pub(super) fn new_table(style: TableStyle) -> Table {
    let mut table = Table::new();
    table.load_preset(if style.unicode {
        presets::UTF8_FULL_CONDENSED
    } else {
        presets::ASCII_FULL_CONDENSED
    });
    if let Some(width) = style.width.filter(|_| style.wrap) {
        table.set_width(width);
    }
    let wide_enough = table.width().is_some_and(|w| w >= MIN_WRAP_WIDTH);
    table.set_content_arrangement(if style.wrap && wide_enough {
        ContentArrangement::Dynamic
    } else {
        ContentArrangement::Disabled
    });
    if style.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

/// Right-aligns the columns of amounts and keeps each whole: a wrapped table breaks text, never a
/// number (`$921` / `.60`).
pub(super) fn amounts(table: &mut Table, columns: impl IntoIterator<Item = usize>) {
    for index in columns {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
}

pub(super) fn styled(text: &str, style: TableStyle) -> Cell {
    let cell = Cell::new(text);
    if style.color { cell.add_attribute(Attribute::Bold) } else { cell }
}
