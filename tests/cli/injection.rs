//! Names that try to write to the terminal, add rows to a table or run as a spreadsheet formula
//! are shown, not obeyed: control characters escaped in tables, Markdown and CSV, CSV cells that
//! would start a formula neutralised (OWASP, CSV injection), JSON exact.

use crate::common::{cost, d, number};
use serde_json::Value;

/// A service whose name ends the line, draws a fake row, clears the screen and sets the
/// terminal's title; one that is a spreadsheet formula; one that reverses its text.
const NAMES: [&str; 3] = [
    "api\n| fake | $0.00 |\u{1b}[2J\u{1b}]0;pwned\u{7}",
    "=HYPERLINK(\"http://x\",\"y\")",
    "evil\u{202e}gpj.exe",
];

fn workload() -> String {
    let mut text = String::new();
    for name in NAMES {
        let quoted = serde_json::to_string(name).unwrap();
        text.push_str(&["[[service]]\nname = ", &quoted, "\nvcpu = 1\nmemory = 2\n"].concat());
    }
    text
}

fn run(format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.toml");
    std::fs::write(&path, workload()).unwrap();
    let out =
        cost().args(["estimate", "--workload", path.to_str().unwrap(), "--format", format]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn no_control_characters(text: &str) {
    for (i, line) in text.lines().enumerate() {
        let bad: Vec<char> =
            line.chars().filter(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}')).collect();
        assert!(bad.is_empty(), "line {i} has {bad:?}: {line:?}");
    }
}

#[test]
fn a_table_shows_the_names_escaped_and_gains_no_rows() {
    let table = run("table");
    no_control_characters(&table);
    // The first name is one line: its newline is `\n`, and no line of the output starts with
    // the fake row.
    assert!(
        table.contains("api\\n| fake | $0.00 |\\u{1b}[2J\\u{1b}]0;pwned\\u{7} (Fargate on ECS)"),
        "{table}"
    );
    assert!(!table.lines().any(|l| l.starts_with("| fake")), "{table}");
    assert!(table.contains("evil\\u{202e}gpj.exe"), "{table}");
}

#[test]
fn markdown_rows_stay_rows() {
    let markdown = run("markdown");
    no_control_characters(&markdown);
    // Every table row starts with `|` and has the six cells of the header.
    let rows: Vec<&str> = markdown.lines().filter(|l| l.starts_with('|')).collect();
    for row in &rows {
        let cells = row.replace("\\|", "").matches('|').count() - 1;
        assert_eq!(cells, 6, "{row}");
    }
    // 3 services × 2 lines + 3 subtotals + header, rule and total.
    assert_eq!(rows.len(), 3 * 2 + 3 + 3, "{markdown}");
}

#[test]
fn csv_cells_are_escaped_and_never_formulas() {
    let csv = run("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
    let items: Vec<&str> = rows.iter().map(|r| &r[0]).filter(|i| !i.is_empty()).collect();
    assert!(items.contains(&"api\\n| fake | $0.00 |\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"), "{items:?}");
    assert!(items.contains(&"'=HYPERLINK(\"http://x\",\"y\")"), "{items:?}");
    for row in &rows {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "formula cell {cell:?}");
            assert!(!cell.chars().any(char::is_control), "control character in {cell:?}");
        }
    }
}

#[test]
fn json_keeps_every_name_exactly() {
    let report: Value = serde_json::from_str(&run("json")).unwrap();
    let names: Vec<&str> =
        report["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, NAMES);
    // 3 × 36.0401 (1 vCPU / 2 GB for a month: 730 × 0.04048 + 1,460 × 0.004445).
    assert_eq!(number(&report["total"]), d("108.1203"));
}

#[test]
fn a_service_named_total_does_not_read_as_the_total_row() {
    // Two services of 1 vCPU / 2 GB for a month: 36.0401 each, 72.0802 in all ($72.08).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.toml");
    std::fs::write(
        &path,
        "[[service]]\nname = \"total\"\nvcpu = 1\nmemory = 2\n[[service]]\nname = \"api\"\nvcpu = 1\nmemory = 2\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let table =
        String::from_utf8(cost().args(["estimate", "--workload", path]).output().unwrap().stdout).unwrap();
    let summary = &table[table.find("\nsummary\n").expect("a summary table")..];
    let row = |needle: &str| {
        summary.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle}: {summary}"))
    };
    // The service's row names it in the item column; the total row leaves that column empty.
    assert!(row("Fargate on ECS").starts_with("| total "), "{summary}");
    assert!(row("$72.08").starts_with("|       ") && row("$72.08").contains("| total "), "{summary}");
    // In a diff, the same: the total is labelled in the `change` column.
    let diff = String::from_utf8(cost().args(["diff", path, path]).output().unwrap().stdout).unwrap();
    let total = diff.lines().find(|l| l.contains("$72.08")).unwrap();
    assert!(!total.starts_with("| total"), "{diff}");
}
