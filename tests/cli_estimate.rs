//! End-to-end tests of `cost estimate`, run against the built binary.
//!
//! Every expected amount is worked out here from the rates AWS publishes
//! (<https://aws.amazon.com/fargate/pricing/>, the same figures as `pricing/*.toml`) with exact
//! decimal arithmetic, never copied from the program's output. The contract is docs/output.md.

mod common;

use common::{cost, with_stdout_closed};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Published rates (USD), as text so they are read exactly.
// ---------------------------------------------------------------------------------------------

/// us-east-1.
mod use1 {
    pub const VCPU: &str = "0.04048";
    pub const GB: &str = "0.004445";
    pub const ARM_VCPU: &str = "0.03238";
    pub const ARM_GB: &str = "0.00356";
    pub const WIN_VCPU: &str = "0.046552";
    pub const WIN_GB: &str = "0.00511175";
    pub const WIN_OS: &str = "0.046";
    pub const SPOT_VCPU: &str = "0.01288871";
    pub const SPOT_GB: &str = "0.00141527";
    pub const SPOT_ARM_VCPU: &str = "0.01030969";
    pub const SPOT_ARM_GB: &str = "0.00113349";
    pub const STORAGE: &str = "0.000111";
    /// Data transfer out: first 10 TB, next 40 TB, next 100 TB, over 150 TB (1 TB = 1024 GB).
    pub const DT: [&str; 4] = ["0.09", "0.085", "0.07", "0.05"];
}

/// eu-west-1.
mod euw1 {
    pub const VCPU: &str = "0.04048";
    pub const GB: &str = "0.004445";
    pub const ARM_VCPU: &str = "0.03238";
    pub const ARM_GB: &str = "0.00356";
    pub const SPOT_VCPU: &str = "0.01224056";
    pub const SPOT_GB: &str = "0.0013441";
}

/// ap-northeast-2.
mod apne2 {
    pub const VCPU: &str = "0.04656";
    pub const GB: &str = "0.00511";
    pub const STORAGE: &str = "0.000127";
    pub const DT: [&str; 4] = ["0.126", "0.122", "0.117", "0.108"];
}

/// Tier bounds in GB: 10 TB, 50 TB, 150 TB.
const TIER_BOUNDS: [u64; 3] = [10_240, 51_200, 153_600];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// An exact decimal from its text.
fn d(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap_or_else(|e| panic!("`{text}` is not a decimal: {e}"))
}

fn n(value: u64) -> Decimal {
    Decimal::from(value)
}

/// Task-hours of `count` tasks × `runs` runs × `seconds` billed seconds per run.
fn task_hours(count: u64, seconds: u64, runs: u64) -> Decimal {
    n(count) * n(seconds) * n(runs) / n(3600)
}

#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn capture(cmd: &mut Command) -> Out {
    let output = cmd.output().expect("cost runs");
    Out {
        code: output.status.code().expect("cost exits, not killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn run(args: &[&str]) -> Out {
    capture(cost().args(args))
}

/// Runs successfully (exit 0, nothing on stderr) and returns stdout.
fn ok(cmd: &mut Command) -> String {
    let out = capture(cmd);
    assert_eq!(out.code, 0, "expected exit 0: {out:?}");
    assert!(out.stderr.is_empty(), "expected empty stderr: {out:?}");
    assert!(!out.stdout.is_empty(), "expected a report on stdout");
    out.stdout
}

/// `cost <args> --format json`, successful; the raw text and the parsed document (checked
/// against the schema's invariants).
fn json_of(cmd: &mut Command) -> (String, Value) {
    let raw = ok(cmd.args(["--format", "json"]));
    let doc: Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{e}: {raw}"));
    check_report(&doc);
    (raw, doc)
}

fn json(args: &[&str]) -> Value {
    json_of(cost().args(args)).1
}

/// A JSON number as an exact Decimal. The text must be a plain decimal (no exponent, no float
/// rendering), which `arbitrary_precision` hands over as written.
fn num(value: &Value) -> Decimal {
    let Value::Number(number) = value else {
        panic!("expected a JSON number, got {value}");
    };
    let text = number.to_string();
    assert!(is_plain_decimal(&text), "`{text}` is not written as a plain decimal");
    d(&text)
}

fn is_plain_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !frac.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Every number anywhere in the document is a plain decimal.
fn check_all_numbers(value: &Value, path: &str) {
    match value {
        Value::Number(_) => {
            let _ = num(value);
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_all_numbers(item, &format!("{path}[{i}]"));
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                check_all_numbers(item, &format!("{path}.{key}"));
            }
        }
        _ => {}
    }
}

/// Schema version 1 invariants: versions, currency, exact totals.
fn check_report(doc: &Value) {
    check_all_numbers(doc, "$");
    assert_eq!(doc["schema_version"], Value::from(1), "{doc}");
    assert_eq!(doc["currency"], "USD");
    assert!(doc["rates"]["region"].is_string(), "rates.region: {doc}");
    let items = doc["items"].as_array().expect("items is an array");
    assert!(!items.is_empty());
    let mut items_sum = Decimal::ZERO;
    for item in items {
        let lines = item["lines"].as_array().expect("lines is an array");
        let line_sum: Decimal = lines.iter().map(|l| num(&l["cost"])).sum();
        assert_eq!(num(&item["total"]), line_sum, "an item's total is the exact sum of its lines");
        items_sum += num(&item["total"]);
    }
    assert_eq!(num(&doc["total"]), items_sum, "the total is the exact sum of the items");
}

/// One expected line.
#[derive(Debug, Clone)]
struct L {
    component: &'static str,
    quantity: Decimal,
    unit: &'static str,
    rate: Decimal,
    cost: Decimal,
}

/// A line whose cost is `quantity × rate`, computed here.
fn line(component: &'static str, quantity: Decimal, unit: &'static str, rate: &str) -> L {
    let rate = d(rate);
    L { component, quantity, unit, rate, cost: quantity * rate }
}

fn vcpu(quantity: Decimal, rate: &str) -> L {
    line("vcpu", quantity, "vCPU-hours", rate)
}
fn memory(quantity: Decimal, rate: &str) -> L {
    line("memory", quantity, "GB-hours", rate)
}
fn os_license(quantity: Decimal, rate: &str) -> L {
    line("os_license", quantity, "vCPU-hours", rate)
}
fn storage(quantity: Decimal, rate: &str) -> L {
    line("ephemeral_storage", quantity, "GB-hours", rate)
}
fn transfer(quantity: Decimal, rate: &str) -> L {
    line("data_transfer", quantity, "GB", rate)
}

/// Compares every line of the first item, in order, and the totals.
fn assert_lines(doc: &Value, expected: &[L]) {
    let item = &doc["items"][0];
    let lines = item["lines"].as_array().expect("lines");
    let got: Vec<String> = lines.iter().map(|l| l["component"].as_str().unwrap_or("?").to_owned()).collect();
    let want: Vec<&str> = expected.iter().map(|l| l.component).collect();
    assert_eq!(got, want, "components of {doc}");
    for (i, (got, want)) in lines.iter().zip(expected).enumerate() {
        let at = format!("line {i} ({})", want.component);
        assert_eq!(num(&got["quantity"]), want.quantity, "{at}: quantity");
        assert_eq!(got["unit"], want.unit, "{at}: unit");
        assert_eq!(num(&got["rate"]), want.rate, "{at}: rate");
        assert_eq!(num(&got["cost"]), want.cost, "{at}: cost");
    }
    let total: Decimal = expected.iter().map(|l| l.cost).sum();
    assert_eq!(num(&item["total"]), total, "item total");
    assert_eq!(num(&doc["total"]), total, "report total");
}

/// The lines of one component, as (quantity, rate, cost).
fn lines_of(doc: &Value, component: &str) -> Vec<(Decimal, Decimal, Decimal)> {
    doc["items"][0]["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter(|l| l["component"] == component)
        .map(|l| (num(&l["quantity"]), num(&l["rate"]), num(&l["cost"])))
        .collect()
}

fn triples(expected: &[L]) -> Vec<(Decimal, Decimal, Decimal)> {
    expected.iter().map(|l| (l.quantity, l.rate, l.cost)).collect()
}

fn billed(doc: &Value, key: &str) -> Decimal {
    num(&doc["items"][0]["billed"][key])
}

/// Money as people read it: rounded half away from zero to cents, thousands grouped.
fn usd(amount: Decimal) -> String {
    let cents = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{cents:.2}");
    let (whole, frac) = text.split_once('.').expect("two decimals");
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{frac}")
}

/// The cells of a Markdown table row, splitting on `|` not escaped as `\|`.
fn markdown_cells(row: &str) -> Vec<String> {
    let inner = row
        .trim()
        .strip_prefix('|')
        .and_then(|r| r.strip_suffix('|'))
        .unwrap_or_else(|| panic!("not a table row: {row}"));
    let mut cells = vec![String::new()];
    let mut escaped = false;
    for c in inner.chars() {
        if c == '|' && !escaped {
            cells.push(String::new());
        } else {
            cells.last_mut().expect("a cell").push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    cells.iter().map(|c| c.trim().to_owned()).collect()
}

/// A failure: the exit code, stdout empty (a report for exit 3), exactly one line on stderr that
/// contains every needle.
fn assert_failure(case: &str, out: &Out, code: i32, needles: &[&str]) {
    assert_eq!(out.code, code, "[{case}] exit code; {out:?}");
    if code != 3 {
        assert!(out.stdout.is_empty(), "[{case}] stdout must stay empty on error; {out:?}");
    }
    assert!(
        out.stderr.ends_with('\n') && out.stderr.matches('\n').count() == 1,
        "[{case}] stderr must be exactly one line; {out:?}"
    );
    assert!(out.stderr.trim().len() > 10, "[{case}] stderr says too little; {out:?}");
    assert!(!out.stderr.contains("panicked"), "[{case}] cost panicked; {out:?}");
    for needle in needles {
        assert!(
            out.stderr.contains(needle),
            "[{case}] stderr should name `{needle}`: {}",
            out.stderr.trim_end()
        );
    }
}

/// A small rate table for `--rates`: region xx-test-1, Linux x86 at 0.0625 / 0.01, two data
/// transfer tiers (first 100 GB at 0.5, the rest at 0.25).
const TEST_TABLE: &str = r#"schema_version = 1
region = "xx-test-1"
location = "Test Region"

[fargate.linux_x86_64]
effective = "2026-01-01"
source = "hand-written test table"
vcpu_hour = "0.0625"
gb_hour = "0.01"

[data_transfer]
effective = "2026-01-02"
source = "hand-written test tiers"
tiers = [
  { up_to_gb = "100", per_gb = "0.5" },
  { per_gb = "0.25" },
]
"#;

/// Writes `text` to `name` in `dir` and returns its path.
fn write_file(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a temporary file");
    path
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

// ---------------------------------------------------------------------------------------------
// 1. Every output format on the same estimate
// ---------------------------------------------------------------------------------------------

/// us-east-1, 1 vCPU / 2 GB for 500 hours, 20000 GB out:
///   vCPU   1 × 500  =   500 vCPU-hours × 0.04048  =   20.24
///   memory 2 × 500  =  1000 GB-hours   × 0.004445 =    4.445   (shown $4.45, half away from zero)
///   data   10240 GB × 0.09  = 921.6                 (first 10 TB)
///          9760 GB  × 0.085 = 829.6                 (next 40 TB, 20000 − 10240)
///   total  20.24 + 4.445 + 921.6 + 829.6 = 1775.885 (shown $1,775.89; half-even would say .88)
const SHARED: [&str; 9] =
    ["estimate", "--vcpu", "1", "--memory", "2", "--hours", "500", "--data-transfer", "20000"];

fn shared_expected() -> Vec<L> {
    let hours = n(500);
    vec![
        vcpu(n(1) * hours, use1::VCPU),
        memory(n(2) * hours, use1::GB),
        transfer(n(10_240), use1::DT[0]),
        transfer(n(20_000) - n(10_240), use1::DT[1]),
    ]
}

#[test]
fn shared_estimate_hand_arithmetic_is_right() {
    // The constants above and the comment agree.
    let e = shared_expected();
    let costs: Vec<Decimal> = e.iter().map(|l| l.cost).collect();
    assert_eq!(costs, [d("20.24"), d("4.445"), d("921.6"), d("829.6")]);
    assert_eq!(costs.iter().sum::<Decimal>(), d("1775.885"));
    assert_eq!(usd(d("1775.885")), "$1,775.89");
    assert_eq!(usd(d("4.445")), "$4.45");
}

#[test]
fn json_output_of_the_shared_estimate() {
    let (raw, doc) = json_of(cost().args(SHARED));
    assert_eq!(doc["rates"]["region"], "us-east-1");
    let item = &doc["items"][0];
    assert_eq!(item["name"], "task");
    assert_eq!(item["launch_type"], "fargate");
    assert_eq!(item["platform"], "ecs");
    assert_eq!(billed(&doc, "vcpu"), n(1));
    assert_eq!(billed(&doc, "memory_gb"), n(2));
    assert_eq!(billed(&doc, "seconds_per_run"), n(500 * 3600));
    assert_eq!(billed(&doc, "runs"), n(1));
    assert_eq!(billed(&doc, "count"), n(1));
    assert_lines(&doc, &shared_expected());
    assert_eq!(num(&doc["total"]), d("1775.885"));
    assert!(doc.get("budget").is_none(), "budget only when one applies: {raw}");
    // The exact digits, as written.
    for text in [
        "\"cost\": 20.24",
        "\"cost\": 4.445",
        "\"cost\": 921.6",
        "\"cost\": 829.6",
        "\"rate\": 0.04048",
        "\"rate\": 0.004445",
        "\"quantity\": 9760",
        "\"total\": 1775.885",
        "\"schema_version\": 1",
    ] {
        assert!(raw.contains(text), "JSON should contain `{text}`:\n{raw}");
    }
    // Exponents are ruled out by `check_report` (every number must be a plain decimal); these
    // are the tails a binary float leaves.
    for artefact in ["0000000001", "9999999"] {
        assert!(!raw.contains(artefact), "float artefact `{artefact}` in:\n{raw}");
    }
}

#[test]
fn json_output_of_the_spec_example() {
    // 5 tasks × 1 vCPU × 600 s × 30 runs = 90000 vCPU-seconds = 25 vCPU-hours × 0.04048 = 1.012;
    // memory 5 × 2 GB × 600 s × 30 = 50 GB-hours × 0.004445 = 0.22225; total 1.23425.
    let (raw, doc) = json_of(cost().args([
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--count",
        "5",
        "--minutes",
        "10",
        "--runs",
        "30",
    ]));
    let hours = task_hours(5, 600, 30);
    assert_eq!(hours, n(25));
    let expected = [vcpu(n(1) * hours, use1::VCPU), memory(n(2) * hours, use1::GB)];
    assert_eq!(expected[0].cost, d("1.012"));
    assert_eq!(expected[1].cost, d("0.22225"));
    assert_lines(&doc, &expected);
    assert_eq!(billed(&doc, "seconds_per_run"), n(600));
    assert_eq!(billed(&doc, "runs"), n(30));
    assert_eq!(billed(&doc, "count"), n(5));
    for text in ["\"cost\": 1.012", "\"quantity\": 25", "\"cost\": 0.22225", "\"total\": 1.23425"] {
        assert!(raw.contains(text), "JSON should contain `{text}`:\n{raw}");
    }
}

#[test]
fn json_of_a_month_of_one_task() {
    // 1 vCPU / 2 GB for 730 h: 730 × 0.04048 = 29.5504; 1460 × 0.004445 = 6.4897; 36.0401.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2"]);
    let expected = [vcpu(n(730), use1::VCPU), memory(n(1460), use1::GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("36.0401"));
    assert_lines(&doc, &expected);
    assert_eq!(billed(&doc, "seconds_per_run"), n(730 * 3600));
}

#[test]
fn csv_output_of_the_shared_estimate() {
    let text = ok(cost().args(SHARED).args(["--format", "csv"]));
    assert!(text.ends_with('\n'));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("a header row").iter().map(str::to_owned).collect();
    // The columns every line row carries (the CSV may grow more; they are looked up by name).
    for column in [
        "item",
        "launch_type",
        "platform",
        "component",
        "detail",
        "quantity",
        "unit",
        "rate",
        "cost",
        "currency",
    ] {
        assert!(header.iter().any(|h| h == column), "no `{column}` column in {header:?}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("valid CSV");
    let expected = shared_expected();
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    // One row per line, then one per assumption (no --region, --launch-type or --count), then
    // the total.
    let kinds: Vec<&str> = rows.iter().map(|r| &r[col("kind")]).collect();
    assert_eq!(kinds, ["task", "task", "task", "task", "assumption", "assumption", "assumption", ""]);
    let assumed: Vec<&str> = rows[4..7].iter().map(|r| &r[col("detail")]).collect();
    assert!(assumed[0].starts_with("region us-east-1, as none was given"), "{assumed:?}");
    assert!(assumed[1].starts_with("the Fargate launch type, as none was given"), "{assumed:?}");
    assert!(assumed[2].starts_with("1 task, as no count was given"), "{assumed:?}");
    assert!(rows[4..7].iter().all(|r| r[col("cost")].is_empty()), "{rows:?}");
    for (row, want) in rows.iter().zip(&expected) {
        assert_eq!(row.len(), header.len(), "{row:?}");
        assert_eq!(&row[col("item")], "task");
        assert_eq!(&row[col("launch_type")], "fargate");
        assert_eq!(&row[col("platform")], "ecs");
        assert_eq!(&row[col("component")], want.component);
        assert_eq!(&row[col("unit")], want.unit);
        assert_eq!(&row[col("currency")], "USD");
        // Exact digits, unrounded.
        assert_eq!(row[col("quantity")], want.quantity.normalize().to_string());
        assert_eq!(row[col("rate")], want.rate.normalize().to_string());
        assert_eq!(row[col("cost")], want.cost.normalize().to_string());
    }
    assert_eq!(&rows[1][col("cost")], "4.445");
    let total = rows.last().expect("total row");
    assert_eq!(&total[col("component")], "total");
    assert_eq!(&total[col("cost")], "1775.885");
    assert_eq!(&total[col("currency")], "USD");
}

#[test]
fn csv_quotes_a_name_with_a_comma() {
    let text = ok(cost().args([
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--name",
        "api, \"v2\"",
        "--format",
        "csv",
    ]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("a header row").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("valid CSV");
    // Two lines, four assumptions, the total.
    assert_eq!(rows.len(), 7);
    for row in &rows[..2] {
        assert_eq!(row.len(), header.len(), "{row:?}");
        assert_eq!(&row[col("item")], "api, \"v2\"");
    }
    // 730 × 0.04048 + 1460 × 0.004445
    assert_eq!(&rows[6][col("cost")], "36.0401");
}

#[test]
fn markdown_output_of_the_shared_estimate() {
    let text = ok(cost().args(SHARED).args(["--format", "markdown"]));
    let expected = shared_expected();
    let total: Decimal = expected.iter().map(|l| l.cost).sum();
    assert!(text.contains(&format!("**Estimated cost: {}**", usd(total))), "{text}");
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(rows[0], "| Item | Component | Quantity | Unit | Rate | Cost |");
    assert!(rows[1].starts_with("|---"), "separator row: {}", rows[1]);
    let body = &rows[2..];
    assert_eq!(body.len(), expected.len() + 1, "lines + total:\n{text}");
    for (row, want) in body.iter().zip(&expected) {
        let cells = markdown_cells(row);
        assert_eq!(cells.len(), 6, "{row}");
        assert_eq!(cells[0], "task");
        assert_eq!(cells[3], want.unit);
        assert_eq!(cells[4], format!("${}", want.rate.normalize()), "{row}");
        assert_eq!(cells[5], usd(want.cost), "{row}");
    }
    assert!(markdown_cells(body[0])[1].contains("vCPU"));
    assert!(markdown_cells(body[1])[1].contains("memory"));
    assert!(markdown_cells(body[2])[1].contains("data transfer"));
    // Half away from zero: 4.445 → $4.45 and 1775.885 → $1,775.89.
    assert_eq!(markdown_cells(body[1])[5], "$4.45");
    let last = body.last().expect("total row");
    assert_eq!(*last, "| **Total** | | | | | **$1,775.89** |", "total row:\n{text}");
}

#[test]
fn markdown_escapes_pipes_in_the_name() {
    let text = ok(cost()
        .args(["estimate", "--vcpu", "1", "--memory", "2", "--name", "api|web", "--format", "markdown"]));
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("| api")).collect();
    assert_eq!(rows.len(), 2, "{text}");
    for row in rows {
        assert!(row.starts_with("| api\\|web |"), "{row}");
        assert_eq!(markdown_cells(row).len(), 6, "{row}");
    }
    // 36.0401 → $36.04
    assert!(text.contains("| **Total** | | | | | **$36.04** |"), "{text}");
}

#[test]
fn table_output_of_the_shared_estimate() {
    // NO_COLOR is removed and stdout is a pipe: no escapes either way.
    let text = ok(cost().args(SHARED));
    assert!(!text.contains('\u{1b}'), "ANSI escape in piped output:\n{text}");
    for component in ["vCPU", "memory", "data transfer"] {
        assert!(text.contains(component), "`{component}` missing:\n{text}");
    }
    for l in shared_expected() {
        assert!(text.contains(&usd(l.cost)), "{} missing:\n{text}", usd(l.cost));
    }
    for shown in ["$20.24", "$4.45", "$921.60", "$829.60", "$1,775.89"] {
        assert!(text.contains(shown), "`{shown}` missing:\n{text}");
    }
    assert!(text.contains("us-east-1"), "{text}");
}

#[test]
fn table_has_no_escapes_with_no_color_set_either() {
    let text = ok(cost().env("NO_COLOR", "1").args(["estimate", "--vcpu", "1", "--memory", "2"]));
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("$36.04"), "{text}");
}

#[test]
fn table_is_the_default_format() {
    let default = ok(cost().args(SHARED));
    let table = ok(cost().args(SHARED).args(["--format", "table"]));
    assert_eq!(default, table);
}

// ---------------------------------------------------------------------------------------------
// 2. Hand-computed scenarios
// ---------------------------------------------------------------------------------------------

#[test]
fn arm_in_us_east_1() {
    // 2 vCPU / 4 GB for 100 h: 200 × 0.03238 = 6.476; 400 × 0.00356 = 1.424; total 7.9.
    let doc = json(&["estimate", "--vcpu", "2", "--memory", "4", "--hours", "100", "--arch", "arm64"]);
    let expected = [vcpu(n(2) * n(100), use1::ARM_VCPU), memory(n(4) * n(100), use1::ARM_GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("7.9"));
    assert_lines(&doc, &expected);
    assert_eq!(doc["items"][0]["billed"]["arch"], "arm64");
}

#[test]
fn windows_in_us_east_1() {
    // 2 vCPU / 4 GB for 10 h: vCPU 20 × 0.046552 = 0.93104; memory 40 × 0.00511175 = 0.20447;
    // OS licence 20 × 0.046 = 0.92; total 2.05551.
    let doc = json(&["estimate", "--vcpu", "2", "--memory", "4", "--hours", "10", "--os", "windows"]);
    let expected =
        [vcpu(n(20), use1::WIN_VCPU), memory(n(40), use1::WIN_GB), os_license(n(20), use1::WIN_OS)];
    assert_eq!(expected.iter().map(|l| l.cost).sum::<Decimal>(), d("2.05551"));
    assert_lines(&doc, &expected);
    assert_eq!(doc["items"][0]["billed"]["os"], "windows");
}

#[test]
fn windows_bills_at_least_300_seconds_per_run() {
    // 2 minutes → 300 s; 12 runs × 300 s = 1 task-hour.
    // vCPU 1 × 0.046552; memory 2 × 0.00511175 = 0.0102235; OS 1 × 0.046; total 0.1027755.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--minutes",
        "2",
        "--runs",
        "12",
        "--os",
        "windows",
    ]);
    let hours = task_hours(1, 300, 12);
    assert_eq!(hours, n(1));
    let expected =
        [vcpu(hours, use1::WIN_VCPU), memory(n(2) * hours, use1::WIN_GB), os_license(hours, use1::WIN_OS)];
    assert_eq!(expected.iter().map(|l| l.cost).sum::<Decimal>(), d("0.1027755"));
    assert_lines(&doc, &expected);
    assert_eq!(billed(&doc, "seconds_per_run"), n(300));

    // The same on Linux is billed as given: 12 × 120 s = 0.4 h.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--minutes", "2", "--runs", "12"]);
    let hours = task_hours(1, 120, 12);
    assert_eq!(hours, d("0.4"));
    assert_lines(&doc, &[vcpu(hours, use1::VCPU), memory(n(2) * hours, use1::GB)]);
    assert_eq!(billed(&doc, "seconds_per_run"), n(120));
}

#[test]
fn windows_above_the_minimum_is_billed_as_given() {
    // 5.5 minutes = 330 s; 120 runs × 330 s = 11 h.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--minutes",
        "5.5",
        "--runs",
        "120",
        "--os",
        "windows",
    ]);
    let hours = task_hours(1, 330, 120);
    assert_eq!(hours, n(11));
    assert_lines(
        &doc,
        &[vcpu(hours, use1::WIN_VCPU), memory(n(2) * hours, use1::WIN_GB), os_license(hours, use1::WIN_OS)],
    );
    assert_eq!(billed(&doc, "seconds_per_run"), n(330));
}

#[test]
fn spot_in_us_east_1() {
    // x86: 100 × 0.01288871 = 1.288871; 200 × 0.00141527 = 0.283054; total 1.571925.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--hours", "100", "--spot"]);
    let expected = [vcpu(n(100), use1::SPOT_VCPU), memory(n(200), use1::SPOT_GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("1.571925"));
    assert_lines(&doc, &expected);
    assert_eq!(doc["items"][0]["billed"]["pricing"], "spot");

    // ARM: 100 × 0.01030969 = 1.030969; 200 × 0.00113349 = 0.226698; total 1.257667.
    let doc =
        json(&["estimate", "--vcpu", "1", "--memory", "2", "--hours", "100", "--spot", "--arch", "arm64"]);
    let expected = [vcpu(n(100), use1::SPOT_ARM_VCPU), memory(n(200), use1::SPOT_ARM_GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("1.257667"));
    assert_lines(&doc, &expected);
}

#[test]
fn linux_bills_at_least_60_seconds_per_run() {
    // 0.5 min = 30 s → 60 s; 60 runs × 60 s = 1 h: 0.04048 + 2 × 0.004445 = 0.04937.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--minutes", "0.5", "--runs", "60"]);
    assert_eq!(billed(&doc, "seconds_per_run"), n(60));
    let hours = task_hours(1, 60, 60);
    let expected = [vcpu(hours, use1::VCPU), memory(n(2) * hours, use1::GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("0.04937"));
    assert_lines(&doc, &expected);

    // 0.0001 h = 0.36 s is billed as 60 s too.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--hours", "0.0001", "--runs", "60"]);
    assert_eq!(billed(&doc, "seconds_per_run"), n(60));
    assert_lines(&doc, &expected);
}

#[test]
fn seconds_are_rounded_up() {
    // 1.001 min = 60.06 s → 61 s; 3600 runs × 61 s = 61 h:
    // 61 × 0.04048 = 2.46928; 122 × 0.004445 = 0.54229; total 3.01157.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--minutes", "1.001", "--runs", "3600"]);
    assert_eq!(billed(&doc, "seconds_per_run"), n(61));
    let hours = task_hours(1, 61, 3600);
    assert_eq!(hours, n(61));
    let expected = [vcpu(hours, use1::VCPU), memory(n(2) * hours, use1::GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("3.01157"));
    assert_lines(&doc, &expected);

    // A whole second is not rounded further: 1 min = 60 s, 0.5 h = 1800 s.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--minutes", "1"]);
    assert_eq!(billed(&doc, "seconds_per_run"), n(60));
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--hours", "0.5"]);
    assert_eq!(billed(&doc, "seconds_per_run"), n(1800));
}

#[test]
fn runs_multiply_with_the_minimum_applied_per_run() {
    // 15 s per run → 60 s each; 5 tasks × 120 runs × 60 s = 36000 s = 10 task-hours
    // (not 5 × 120 × 15 s = 2.5 h): 10 × 0.04048 = 0.4048; 20 × 0.004445 = 0.0889; 0.4937.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--minutes",
        "0.25",
        "--runs",
        "120",
        "--count",
        "5",
    ]);
    let hours = task_hours(5, 60, 120);
    assert_eq!(hours, n(10));
    let expected = [vcpu(hours, use1::VCPU), memory(n(2) * hours, use1::GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("0.4937"));
    assert_lines(&doc, &expected);
    assert_eq!(billed(&doc, "runs"), n(120));
    assert_eq!(billed(&doc, "count"), n(5));
}

#[test]
fn ephemeral_storage_above_20_gb() {
    // 50 GB → 30 GB billed × 730 h = 21900 GB-hours × 0.000111 = 2.4309; total 38.471.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--ephemeral-storage", "50"]);
    let expected = [
        vcpu(n(730), use1::VCPU),
        memory(n(1460), use1::GB),
        storage((n(50) - n(20)) * n(730), use1::STORAGE),
    ];
    assert_eq!(expected[2].cost, d("2.4309"));
    assert_eq!(expected.iter().map(|l| l.cost).sum::<Decimal>(), d("38.471"));
    assert_lines(&doc, &expected);

    // 20.5 GB → 0.5 GB × 730 h = 365 GB-hours × 0.000111 = 0.040515.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--ephemeral-storage", "20.5"]);
    let expected = storage(d("0.5") * n(730), use1::STORAGE);
    assert_eq!(expected.cost, d("0.040515"));
    assert_eq!(lines_of(&doc, "ephemeral_storage"), triples(&[expected]));

    // The included 20 GB (the default, or given) is not a line at all.
    for args in [
        &["estimate", "--vcpu", "1", "--memory", "2"][..],
        &["estimate", "--vcpu", "1", "--memory", "2", "--ephemeral-storage", "20"][..],
    ] {
        assert!(lines_of(&json(args), "ephemeral_storage").is_empty());
    }
}

#[test]
fn ephemeral_storage_scales_with_tasks_runs_and_time() {
    // 2 tasks × 3 runs × 30 min = 3 task-hours; 200 GB → 180 GB × 3 h = 540 GB-hours × 0.000111.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--count",
        "2",
        "--runs",
        "3",
        "--minutes",
        "30",
        "--ephemeral-storage",
        "200",
    ]);
    let hours = task_hours(2, 1800, 3);
    assert_eq!(hours, n(3));
    let expected = storage((n(200) - n(20)) * hours, use1::STORAGE);
    assert_eq!(expected.cost, d("0.05994"));
    assert_eq!(lines_of(&doc, "ephemeral_storage"), triples(&[expected]));
}

/// The data transfer lines of a small task in us-east-1 with `extra` flags.
fn transfer_lines(extra: &[&str]) -> (Value, Vec<(Decimal, Decimal, Decimal)>) {
    let mut args = vec!["estimate", "--vcpu", "0.25", "--memory", "0.5", "--hours", "1"];
    args.extend_from_slice(extra);
    let doc = json(&args);
    let lines = lines_of(&doc, "data_transfer");
    (doc, lines)
}

#[test]
fn data_transfer_tiers_in_us_east_1() {
    // 20000 GB = 10240 × 0.09 (921.6) + 9760 × 0.085 (829.6).
    let (doc, got) = transfer_lines(&["--data-transfer", "20000"]);
    let expected =
        [transfer(n(TIER_BOUNDS[0]), use1::DT[0]), transfer(n(20_000 - TIER_BOUNDS[0]), use1::DT[1])];
    assert_eq!(expected[0].cost, d("921.6"));
    assert_eq!(expected[1].cost, d("829.6"));
    assert_eq!(got, triples(&expected));
    // The whole item: 0.25 vCPU-hour + 0.5 GB-hour + the tiers.
    let mut all = vec![vcpu(d("0.25"), use1::VCPU), memory(d("0.5"), use1::GB)];
    all.extend(expected);
    assert_lines(&doc, &all);

    // Exactly 10 TB stays in the first tier.
    let (_, got) = transfer_lines(&["--data-transfer", "10240"]);
    assert_eq!(got, triples(&[transfer(n(10_240), use1::DT[0])]));

    // Half a GB.
    let (_, got) = transfer_lines(&["--data-transfer", "0.5"]);
    let half = transfer(d("0.5"), use1::DT[0]);
    assert_eq!(half.cost, d("0.045"));
    assert_eq!(got, triples(&[half]));

    // 200000 GB crosses every tier:
    //   10240 × 0.09 = 921.6; 40960 × 0.085 = 3481.6; 102400 × 0.07 = 7168;
    //   (200000 − 153600) = 46400 × 0.05 = 2320; together 13891.2.
    let (_, got) = transfer_lines(&["--data-transfer", "200000"]);
    let expected = [
        transfer(n(TIER_BOUNDS[0]), use1::DT[0]),
        transfer(n(TIER_BOUNDS[1] - TIER_BOUNDS[0]), use1::DT[1]),
        transfer(n(TIER_BOUNDS[2] - TIER_BOUNDS[1]), use1::DT[2]),
        transfer(n(200_000 - TIER_BOUNDS[2]), use1::DT[3]),
    ];
    assert_eq!(expected.iter().map(|l| l.cost).sum::<Decimal>(), d("13891.2"));
    assert_eq!(got, triples(&expected));

    // No data transfer, no line.
    let (_, got) = transfer_lines(&[]);
    assert!(got.is_empty());
}

#[test]
fn data_transfer_free_allowance_only_when_asked() {
    // With --free-data-transfer the first 100 GB are free, inside the first tier:
    // 100 free; 10140 × 0.09 = 912.6; 9760 × 0.085 = 829.6.
    let (doc, got) = transfer_lines(&["--data-transfer", "20000", "--free-data-transfer"]);
    let expected = [
        transfer(n(100), "0"),
        transfer(n(TIER_BOUNDS[0] - 100), use1::DT[0]),
        transfer(n(20_000 - TIER_BOUNDS[0]), use1::DT[1]),
    ];
    assert_eq!(expected[1].cost, d("912.6"));
    assert_eq!(got, triples(&expected));
    let notes = doc["items"][0]["notes"].to_string();
    assert!(notes.contains("free") && !notes.contains("not applied"), "{notes}");
    // The free line says what it is, and nothing outside the output.
    assert_eq!(doc["items"][0]["lines"][2]["detail"], "AWS's account-wide free allowance of 100 GB/month");

    // Without it the output says the allowance is not applied.
    let (doc, _) = transfer_lines(&["--data-transfer", "20000"]);
    let notes = doc["items"][0]["notes"].to_string();
    assert!(notes.contains("not applied"), "{notes}");
    let table = ok(cost().args(["estimate", "--vcpu", "1", "--memory", "2", "--data-transfer", "20000"]));
    assert!(table.contains("not applied"), "{table}");

    // 50 GB and 100 GB with the allowance cost nothing.
    for gb in [50, 100] {
        let (_, got) = transfer_lines(&["--data-transfer", &gb.to_string(), "--free-data-transfer"]);
        assert_eq!(got, triples(&[transfer(n(gb), "0")]), "{gb} GB");
    }
    // 150 GB: 100 free, 50 × 0.09 = 4.5.
    let (_, got) = transfer_lines(&["--data-transfer", "150", "--free-data-transfer"]);
    assert_eq!(got, triples(&[transfer(n(100), "0"), transfer(n(50), use1::DT[0])]));
}

#[test]
fn eu_west_1() {
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--region", "eu-west-1"]);
    assert_eq!(doc["rates"]["region"], "eu-west-1");
    assert_lines(&doc, &[vcpu(n(730), euw1::VCPU), memory(n(1460), euw1::GB)]);

    // Spot: 100 × 0.01224056 = 1.224056; 200 × 0.0013441 = 0.26882; total 1.492876.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--hours",
        "100",
        "--spot",
        "--region",
        "eu-west-1",
    ]);
    let expected = [vcpu(n(100), euw1::SPOT_VCPU), memory(n(200), euw1::SPOT_GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("1.492876"));
    assert_lines(&doc, &expected);

    // ARM: 0.5 vCPU / 1 GB × 10 h: 5 × 0.03238 = 0.1619; 10 × 0.00356 = 0.0356.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "0.5",
        "--memory",
        "1",
        "--hours",
        "10",
        "--arch",
        "arm64",
        "--region",
        "eu-west-1",
    ]);
    assert_lines(&doc, &[vcpu(n(5), euw1::ARM_VCPU), memory(n(10), euw1::ARM_GB)]);
}

#[test]
fn ap_northeast_2_with_storage_and_data_transfer() {
    // 1 vCPU / 2 GB × 100 h, 40 GB storage, 60000 GB out:
    //   vCPU 100 × 0.04656 = 4.656; memory 200 × 0.00511 = 1.022;
    //   storage 20 GB × 100 h = 2000 × 0.000127 = 0.254;
    //   data 10240 × 0.126 = 1290.24; 40960 × 0.122 = 4997.12; 8800 × 0.117 = 1029.6;
    //   total 7322.892.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--hours",
        "100",
        "--ephemeral-storage",
        "40",
        "--data-transfer",
        "60000",
        "--region",
        "ap-northeast-2",
    ]);
    assert_eq!(doc["rates"]["region"], "ap-northeast-2");
    let expected = [
        vcpu(n(100), apne2::VCPU),
        memory(n(200), apne2::GB),
        storage(n(20) * n(100), apne2::STORAGE),
        transfer(n(TIER_BOUNDS[0]), apne2::DT[0]),
        transfer(n(TIER_BOUNDS[1] - TIER_BOUNDS[0]), apne2::DT[1]),
        transfer(n(60_000 - TIER_BOUNDS[1]), apne2::DT[2]),
    ];
    assert_eq!(expected.iter().map(|l| l.cost).sum::<Decimal>(), d("7322.892"));
    assert_lines(&doc, &expected);

    // 160000 GB reaches the last tier: 1290.24 + 4997.12 + 102400 × 0.117 (11980.8)
    // + 6400 × 0.108 (691.2) = 18959.36.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "0.25",
        "--memory",
        "0.5",
        "--hours",
        "1",
        "--data-transfer",
        "160000",
        "--region",
        "ap-northeast-2",
    ]);
    let expected = [
        transfer(n(TIER_BOUNDS[0]), apne2::DT[0]),
        transfer(n(TIER_BOUNDS[1] - TIER_BOUNDS[0]), apne2::DT[1]),
        transfer(n(TIER_BOUNDS[2] - TIER_BOUNDS[1]), apne2::DT[2]),
        transfer(n(160_000 - TIER_BOUNDS[2]), apne2::DT[3]),
    ];
    assert_eq!(expected.iter().map(|l| l.cost).sum::<Decimal>(), d("18959.36"));
    assert_eq!(lines_of(&doc, "data_transfer"), triples(&expected));
}

#[test]
fn round_up_bills_the_smallest_size_that_fits() {
    // 1 vCPU / 1.5 GB → 1 vCPU / 2 GB: the month costs 36.0401 as for 1 / 2.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "1.5", "--round-up"]);
    assert_eq!(billed(&doc, "vcpu"), n(1));
    assert_eq!(billed(&doc, "memory_gb"), n(2));
    assert_lines(&doc, &[vcpu(n(730), use1::VCPU), memory(n(1460), use1::GB)]);
    assert!(doc["items"][0]["notes"].to_string().contains("billed as"), "{doc}");

    // 3 vCPU / 1 GB → 4 vCPU / 8 GB; 10 h: 40 × 0.04048 = 1.6192; 80 × 0.004445 = 0.3556.
    let doc = json(&["estimate", "--vcpu", "3", "--memory", "1", "--hours", "10", "--round-up"]);
    assert_eq!(billed(&doc, "vcpu"), n(4));
    assert_eq!(billed(&doc, "memory_gb"), n(8));
    let expected = [vcpu(n(40), use1::VCPU), memory(n(80), use1::GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("1.9748"));
    assert_lines(&doc, &expected);

    // 0.25 vCPU / 2.25 GB → 0.5 vCPU / 3 GB.
    let doc = json(&["estimate", "--vcpu", "0.25", "--memory", "2.25", "--round-up"]);
    assert_eq!(billed(&doc, "vcpu"), d("0.5"));
    assert_eq!(billed(&doc, "memory_gb"), n(3));

    // Windows rounds up within its own sizes: 0.5 vCPU / 1 GB → 1 vCPU / 2 GB.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "0.5",
        "--memory",
        "1",
        "--hours",
        "10",
        "--os",
        "windows",
        "--round-up",
    ]);
    assert_eq!(billed(&doc, "vcpu"), n(1));
    assert_eq!(billed(&doc, "memory_gb"), n(2));
    assert_lines(
        &doc,
        &[vcpu(n(10), use1::WIN_VCPU), memory(n(20), use1::WIN_GB), os_license(n(10), use1::WIN_OS)],
    );

    // A valid size is billed as given, with or without the flag.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--round-up"]);
    assert_eq!(billed(&doc, "memory_gb"), n(2));
}

#[test]
fn sizes_with_trailing_zeros_are_the_same_size() {
    let doc = json(&["estimate", "--vcpu", "1.00", "--memory", "2.0"]);
    assert_lines(&doc, &[vcpu(n(730), use1::VCPU), memory(n(1460), use1::GB)]);
}

fn region_with(env: &[(&str, &str)], extra: &[&str]) -> (String, Value) {
    let mut cmd = cost();
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.args(["estimate", "--vcpu", "1", "--memory", "2", "--hours", "100"]).args(extra);
    let (_, doc) = json_of(&mut cmd);
    let region = doc["rates"]["region"].as_str().expect("region").to_owned();
    (region, doc)
}

#[test]
fn region_comes_from_flag_then_aws_region_then_aws_default_region() {
    assert_eq!(region_with(&[], &[]).0, "us-east-1");
    assert_eq!(region_with(&[("AWS_DEFAULT_REGION", "eu-west-1")], &[]).0, "eu-west-1");
    assert_eq!(region_with(&[("AWS_REGION", "ap-northeast-2")], &[]).0, "ap-northeast-2");
    assert_eq!(
        region_with(&[("AWS_REGION", "ap-northeast-2"), ("AWS_DEFAULT_REGION", "eu-west-1")], &[]).0,
        "ap-northeast-2"
    );
    let (region, doc) = region_with(
        &[("AWS_REGION", "ap-northeast-2"), ("AWS_DEFAULT_REGION", "eu-west-1")],
        &["--region", "us-west-1"],
    );
    assert_eq!(region, "us-west-1");
    // And the region's own rates are used: us-west-1 x86 is 0.04656 / 0.00511.
    assert_lines(&doc, &[vcpu(n(100), "0.04656"), memory(n(200), "0.00511")]);
    // ap-northeast-2's rates through AWS_REGION.
    let (_, doc) = region_with(&[("AWS_REGION", "ap-northeast-2")], &[]);
    assert_lines(&doc, &[vcpu(n(100), apne2::VCPU), memory(n(200), apne2::GB)]);
}

#[test]
fn empty_region_variables_count_as_unset() {
    assert_eq!(region_with(&[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "eu-west-1")], &[]).0, "eu-west-1");
    assert_eq!(region_with(&[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "")], &[]).0, "us-east-1");
}

#[test]
fn rates_file_replaces_the_embedded_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), "rates.toml", TEST_TABLE.as_bytes());
    let file = path_str(&path);

    // 1 vCPU / 2 GB × 2 h: vCPU 2 × 0.0625 = 0.125; memory 4 × 0.01 = 0.04; total 0.165.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--hours", "2", "--rates", file]);
    assert_eq!(doc["rates"]["region"], "xx-test-1");
    assert!(doc["rates"]["source"].as_str().unwrap().contains(file), "{doc}");
    let expected = [vcpu(n(2), "0.0625"), memory(n(4), "0.01")];
    assert_eq!(expected[0].cost + expected[1].cost, d("0.165"));
    assert_lines(&doc, &expected);

    // Markdown rounds 0.125 → $0.13 and 0.165 → $0.17 (half away from zero).
    let md = ok(cost().args([
        "estimate", "--vcpu", "1", "--memory", "2", "--hours", "2", "--rates", file, "--format", "markdown",
    ]));
    assert!(md.contains("| $0.0625 | $0.13 |"), "{md}");
    assert!(md.contains("**$0.17**"), "{md}");

    // The file's own tiers: 150 GB = 100 × 0.5 + 50 × 0.25 = 62.5; with the free 100 GB only
    // the 50 GB above the first tier are charged.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--hours",
        "2",
        "--rates",
        file,
        "--data-transfer",
        "150",
    ]);
    assert_eq!(lines_of(&doc, "data_transfer"), triples(&[transfer(n(100), "0.5"), transfer(n(50), "0.25")]));
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--hours",
        "2",
        "--rates",
        file,
        "--data-transfer",
        "150",
        "--free-data-transfer",
    ]);
    assert_eq!(lines_of(&doc, "data_transfer"), triples(&[transfer(n(100), "0"), transfer(n(50), "0.25")]));

    // A matching --region is fine; the environment does not override the file.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--rates", file, "--region", "xx-test-1"]);
    assert_eq!(doc["rates"]["region"], "xx-test-1");
    let (_, doc) = json_of(
        cost()
            .env("AWS_REGION", "eu-west-1")
            .args(["estimate", "--vcpu", "1", "--memory", "2", "--rates", file]),
    );
    assert_eq!(doc["rates"]["region"], "xx-test-1");
}

// ---------------------------------------------------------------------------------------------
// 3. Exit codes
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Case {
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
    code: i32,
    needles: Vec<String>,
}

fn case(code: i32, args: &[&str], needles: &[&str]) -> Case {
    Case {
        args: args.iter().map(|&a| a.to_owned()).collect(),
        env: Vec::new(),
        code,
        needles: needles.iter().map(|&s| s.to_owned()).collect(),
    }
}

/// `estimate --vcpu 1 --memory 2` plus `extra`.
fn est(code: i32, extra: &[&str], needles: &[&str]) -> Case {
    let mut args = vec!["estimate", "--vcpu", "1", "--memory", "2"];
    args.extend_from_slice(extra);
    case(code, &args, needles)
}

fn check_cases(cases: &[Case]) {
    for c in cases {
        let mut cmd = cost();
        cmd.args(&c.args);
        for (key, value) in &c.env {
            cmd.env(key, value);
        }
        let out = capture(&mut cmd);
        let name = format!(
            "{} {}",
            c.env.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" "),
            c.args.join(" ")
        );
        let needles: Vec<&str> = c.needles.iter().map(String::as_str).collect();
        assert_failure(name.trim(), &out, c.code, &needles);
    }
}

#[test]
fn inputs_that_cannot_be_priced_exit_1() {
    let cases = [
        // Sizes Fargate does not offer.
        case(1, &["estimate", "--vcpu", "1", "--memory", "3.5"], &["3.5", "valid memory", "--round-up"]),
        case(1, &["estimate", "--vcpu", "0.3", "--memory", "1"], &["0.3", "valid vCPU"]),
        case(1, &["estimate", "--vcpu", "1", "--memory", "1.5"], &["1.5", "2, 3, 4"]),
        case(1, &["estimate", "--vcpu", "16", "--memory", "200"], &["200", "largest"]),
        case(
            1,
            &["estimate", "--vcpu", "0.5", "--memory", "2", "--os", "windows"],
            &["0.5", "Windows", "1, 2, 4"],
        ),
        case(1, &["estimate", "--vcpu", "8", "--memory", "16", "--os", "windows"], &["8 vCPU", "Windows"]),
        case(1, &["estimate", "--vcpu", "1", "--memory", "9", "--os", "windows"], &["9 GB", "Windows"]),
        // Unknown regions.
        est(1, &["--region", "mars-north-1"], &["mars-north-1", "us-east-1"]),
        est(1, &["--region", "US-EAST-1"], &["US-EAST-1"]),
        // Missing rates.
        est(1, &["--region", "us-west-1", "--arch", "arm64"], &["us-west-1", "arm64", "--rates"]),
        est(
            1,
            &["--region", "us-west-1", "--ephemeral-storage", "30"],
            &["us-west-1", "ephemeral storage", "--rates"],
        ),
        est(
            1,
            &["--region", "eu-west-1", "--data-transfer", "10"],
            &["eu-west-1", "data transfer", "--rates"],
        ),
        est(
            1,
            &["--region", "ap-northeast-2", "--spot", "--arch", "arm64"],
            &["ap-northeast-2", "spot", "arm64"],
        ),
        est(1, &["--region", "eu-west-1", "--os", "windows"], &["eu-west-1", "Windows"]),
        // Windows combinations AWS does not offer.
        est(1, &["--os", "windows", "--arch", "arm64"], &["--arch", "--os"]),
        est(1, &["--os", "windows", "--spot"], &["--spot"]),
        // Storage outside 20..200 GB.
        est(1, &["--ephemeral-storage", "201"], &["201", "200"]),
        est(1, &["--ephemeral-storage", "10"], &["10 GB", "20"]),
        // Numbers too large to price exactly.
        est(1, &["--hours", "99999999999999999999999999"], &["too large"]),
        est(1, &["--count", "18446744073709551615", "--runs", "18446744073709551615"], &["too large"]),
    ];
    check_cases(&cases);
}

#[test]
fn unknown_region_from_the_environment_exits_1() {
    let mut from_env = est(1, &[], &["mars-1"]);
    from_env.env.push(("AWS_REGION", "mars-1"));
    let mut from_default = est(1, &[], &["venus-2"]);
    from_default.env.push(("AWS_DEFAULT_REGION", "venus-2"));
    // --region wins over a good environment.
    let mut flag_wins = est(1, &["--region", "pluto-3"], &["pluto-3"]);
    flag_wins.env.push(("AWS_REGION", "us-east-1"));
    check_cases(&[from_env, from_default, flag_wins]);
}

#[test]
fn rate_table_files_that_cannot_be_used_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let good = write_file(dir.path(), "good.toml", TEST_TABLE.as_bytes());
    let malformed =
        write_file(dir.path(), "malformed.toml", b"schema_version = 1\nregion = \"xx-test-1\"\n[fargate\n");
    let float = write_file(dir.path(), "float.toml", TEST_TABLE.replace("\"0.0625\"", "0.1").as_bytes());
    let unknown_key = write_file(
        dir.path(),
        "unknown-key.toml",
        TEST_TABLE.replace("location =", "colour = \"red\"\nlocation =").as_bytes(),
    );
    let negative =
        write_file(dir.path(), "negative.toml", TEST_TABLE.replace("\"0.0625\"", "\"-0.0625\"").as_bytes());
    let empty = write_file(dir.path(), "empty.toml", b"");
    let not_utf8 = write_file(dir.path(), "binary.toml", b"\xff\xfe\x00garbage");
    let missing = dir.path().join("does-not-exist.toml");
    let (good, malformed, float, unknown_key, negative, empty, not_utf8, missing, dir_path) = (
        path_str(&good),
        path_str(&malformed),
        path_str(&float),
        path_str(&unknown_key),
        path_str(&negative),
        path_str(&empty),
        path_str(&not_utf8),
        path_str(&missing),
        path_str(dir.path()),
    );

    let cases = [
        // Rate table files.
        est(1, &["--rates", malformed], &[malformed, ":3:"]),
        est(1, &["--rates", float], &[float, "0.1", "quoted"]),
        est(1, &["--rates", unknown_key], &[unknown_key, "colour"]),
        est(1, &["--rates", negative], &[negative, "vcpu_hour", "negative"]),
        est(1, &["--rates", empty], &[empty, "schema_version"]),
        est(1, &["--rates", not_utf8], &[not_utf8]),
        est(1, &["--rates", missing], &[missing]),
        est(1, &["--rates", dir_path], &[dir_path]),
        est(1, &["--rates", good, "--region", "us-east-1"], &["region", "us-east-1", good, "xx-test-1"]),
        est(1, &["--rates", good, "--arch", "arm64"], &["arm64"]),
    ];
    check_cases(&cases);
}

#[test]
fn usage_errors_exit_2() {
    let cases = [
        est(2, &["--frob"], &["--frob"]),
        est(2, &["--vcpus", "1"], &["--vcpus"]),
        case(2, &["estimate", "--vcpu", "abc", "--memory", "2"], &["--vcpu", "abc"]),
        case(2, &["estimate", "--vcpu", "-1", "--memory", "2"], &["-1"]),
        case(2, &["estimate", "--vcpu", "0", "--memory", "2"], &["--vcpu", "0"]),
        case(2, &["estimate", "--vcpu", "0.0", "--memory", "2"], &["--vcpu"]),
        case(2, &["estimate", "--vcpu=", "--memory", "2"], &["--vcpu"]),
        case(2, &["estimate", "--vcpu", "1,5", "--memory", "2"], &["--vcpu", "1,5"]),
        case(2, &["estimate", "--vcpu", "1e0", "--memory", "2"], &["--vcpu", "1e0"]),
        case(2, &["estimate", "--vcpu", "0.12345678901234567890123456789", "--memory", "2"], &["--vcpu"]),
        case(2, &["estimate", "--memory", "2", "--vcpu"], &["--vcpu"]),
        case(2, &["estimate", "--vcpu", "1", "--memory", "NaN"], &["--memory", "NaN"]),
        case(2, &["estimate", "--vcpu", "1", "--memory", "inf"], &["--memory", "inf"]),
        est(2, &["--count", "0"], &["--count", "0"]),
        est(2, &["--count", "-3"], &["-3"]),
        est(2, &["--count", "1.5"], &["--count", "1.5"]),
        est(2, &["--count", "99999999999999999999"], &["--count"]),
        est(2, &["--runs", "0"], &["--runs", "0"]),
        est(2, &["--runs", "two"], &["--runs", "two"]),
        est(2, &["--hours", "inf"], &["--hours", "inf"]),
        est(2, &["--hours", "1e3"], &["--hours", "1e3"]),
        est(2, &["--hours", "0"], &["--hours", "0"]),
        est(2, &["--minutes", "0"], &["--minutes", "0"]),
        est(2, &["--minutes", "ten"], &["--minutes", "ten"]),
        est(2, &["--minutes", "10", "--hours", "1"], &["--minutes", "--hours"]),
        est(2, &["--arch", "sparc"], &["--arch", "sparc", "x86_64", "arm64"]),
        est(2, &["--os", "macos"], &["--os", "macos", "linux", "windows"]),
        est(2, &["--format", "xml"], &["--format", "xml", "json"]),
        est(2, &["--budget", "-5"], &["-5"]),
        est(2, &["--budget", "lots"], &["--budget", "lots"]),
        est(2, &["--data-transfer", "-1"], &["-1"]),
        est(2, &["--data-transfer", "1TB"], &["--data-transfer", "1TB"]),
        est(2, &["--ephemeral-storage", "big"], &["--ephemeral-storage", "big"]),
        est(2, &["--vcpu", "2"], &["--vcpu"]),
        est(2, &["--spot=yes"], &["--spot"]),
        case(2, &["estimate", "--vcpu", "1"], &["--memory"]),
        case(2, &["estimate", "--memory", "2"], &["--vcpu"]),
        case(2, &["estimate"], &["--vcpu", "--memory"]),
        case(2, &[], &["subcommand"]),
        case(2, &["bogus"], &["bogus"]),
        case(2, &["--frob"], &["--frob"]),
    ];
    check_cases(&cases);
}

#[test]
fn negative_values_name_their_flag() {
    for (flag, value) in [
        ("--vcpu", "-1"),
        ("--memory", "-2"),
        ("--count", "-3"),
        ("--hours", "-1"),
        ("--minutes", "-10"),
        ("--runs", "-1"),
        ("--budget", "-5"),
        ("--data-transfer", "-1"),
        ("--ephemeral-storage", "-30"),
    ] {
        let mut args = vec!["estimate"];
        if flag != "--vcpu" {
            args.extend(["--vcpu", "1"]);
        }
        if flag != "--memory" {
            args.extend(["--memory", "2"]);
        }
        args.extend([flag, value]);
        let out = run(&args);
        assert_failure(&args.join(" "), &out, 2, &[flag, value]);
    }
}

/// Exactly 36.0401, the total of 1 vCPU / 2 GB for a month in us-east-1.
fn month_total() -> Decimal {
    n(730) * d(use1::VCPU) + n(1460) * d(use1::GB)
}

#[test]
fn over_budget_exits_3_with_the_full_report() {
    // 36.0401 − 10 = 26.0401 over.
    let total = month_total();
    let budget = n(10);
    let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--budget", "10"]);
    assert_failure("--budget 10", &out, 3, &[&usd(total), &usd(budget), &usd(total - budget)]);
    assert_eq!(usd(total - budget), "$26.04");
    assert!(out.stderr.contains("$36.04") && out.stderr.contains("$10.00"));
    // The full report is on stdout.
    for text in ["vCPU", "memory", "$29.55", "$6.49", "$36.04"] {
        assert!(out.stdout.contains(text), "`{text}` missing:\n{}", out.stdout);
    }

    // The JSON report too, with the budget block.
    let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--budget", "10", "--format", "json"]);
    assert_failure("--budget 10 --format json", &out, 3, &["$26.04"]);
    let doc: Value = serde_json::from_str(&out.stdout).expect("a JSON report on stdout");
    check_report(&doc);
    assert_eq!(num(&doc["total"]), total);
    assert_eq!(num(&doc["budget"]["limit"]), budget);
    assert_eq!(doc["budget"]["exceeded"], true);
    assert_eq!(doc["items"][0]["lines"].as_array().unwrap().len(), 2);

    // CSV and Markdown print in full as well.
    for format in ["csv", "markdown"] {
        let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--budget", "10", "--format", format]);
        assert_failure(format, &out, 3, &["$26.04"]);
        assert!(out.stdout.contains("36.04"), "{format}:\n{}", out.stdout);
    }

    // A budget of zero is exceeded by any cost.
    let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--budget", "0"]);
    assert_failure("--budget 0", &out, 3, &["$36.04", "$0.00"]);
}

#[test]
fn budget_equal_to_the_exact_total_is_not_over() {
    let total = month_total();
    assert_eq!(total, d("36.0401"));
    let limit = total.to_string();
    let (_, doc) = json_of(cost().args(["estimate", "--vcpu", "1", "--memory", "2", "--budget", &limit]));
    assert_eq!(num(&doc["budget"]["limit"]), total);
    assert_eq!(doc["budget"]["exceeded"], false);
    // Table too: exit 0, nothing on stderr.
    ok(cost().args(["estimate", "--vcpu", "1", "--memory", "2", "--budget", &limit]));
    // Well within budget.
    let (_, doc) = json_of(cost().args(["estimate", "--vcpu", "1", "--memory", "2", "--budget", "100"]));
    assert_eq!(doc["budget"]["exceeded"], false);
}

#[test]
fn budget_just_below_the_exact_total_is_over() {
    // $36.04 rounds to the same cents as 36.0401 but is 0.0001 below it.
    let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--budget", "36.04"]);
    assert_failure("--budget 36.04", &out, 3, &["$36.04"]);
    let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--budget", "36.0400999"]);
    assert_failure("--budget 36.0400999", &out, 3, &["$36.04"]);
}

// ---------------------------------------------------------------------------------------------
// 4. Help and version
// ---------------------------------------------------------------------------------------------

#[test]
fn help_and_version_go_to_stdout_with_exit_0() {
    let help = ok(cost().arg("--help"));
    assert!(help.contains("estimate"), "{help}");
    assert!(help.contains("Usage"), "{help}");
    let short = ok(cost().arg("-h"));
    assert!(short.contains("estimate"), "{short}");

    let help = ok(cost().args(["estimate", "--help"]));
    for flag in [
        "--vcpu",
        "--memory",
        "--count",
        "--minutes",
        "--hours",
        "--runs",
        "--region",
        "--arch",
        "--os",
        "--spot",
        "--ephemeral-storage",
        "--data-transfer",
        "--rates",
        "--format",
        "--budget",
    ] {
        assert!(help.contains(flag), "`{flag}` not in help:\n{help}");
    }
    let help = ok(cost().args(["help", "estimate"]));
    assert!(help.contains("--vcpu"), "{help}");

    // Subcommands are built only when used (`#[command(defer = true)]`, for start-up time); each
    // one's help must still open with its own description, not a flattened argument group's.
    for (args, heading) in [
        (&["estimate"][..], "Price one task description (flags or a task definition), a workload file"),
        (&["check"], "Estimate a workload file (or a Terraform plan) and enforce its budget"),
        (&["diff"], "The cost change between two workload files, Terraform plans or JSON reports"),
        (&["compare"], "The same tasks on Fargate and on the EC2 launch type, side by side"),
        (&["rates"], "The rate tables: what ships, what one holds, checking a table"),
        (&["rates", "list"], "Every embedded region, with its dates and the components it prices"),
        (&["rates", "show"], "Every rate of one region's embedded table, with its unit, source and date"),
        (&["completions"], "A shell completion script on stdout"),
    ] {
        let help = ok(cost().args(args).arg("--help"));
        assert!(help.starts_with(heading), "`cost {} --help` opens with:\n{help}", args.join(" "));
    }

    let version = ok(cost().arg("--version"));
    assert!(
        version.starts_with(&format!("cost {} (embedded rate tables up to ", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    let version = ok(cost().arg("-V"));
    assert!(version.contains(env!("CARGO_PKG_VERSION")));
}

// ---------------------------------------------------------------------------------------------
// 5. A reader that goes away
// ---------------------------------------------------------------------------------------------

/// `cost` writing into a pipe nobody reads exits 0 and says nothing.
fn assert_quiet_on_broken_pipe(args: &[&str]) {
    let output = with_stdout_closed(args);
    assert_eq!(output.status.code(), Some(0), "[{}] {output:?}", args.join(" "));
    assert!(
        output.stderr.is_empty(),
        "[{}] stderr: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn broken_pipe_exits_0_silently() {
    assert_quiet_on_broken_pipe(&["estimate", "--vcpu", "1", "--memory", "2"]);
    assert_quiet_on_broken_pipe(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--data-transfer",
        "200000",
        "--format",
        "json",
    ]);
}

#[test]
fn reader_that_stops_after_one_byte() {
    // The common shell case, `cost ... | head -c1`; the subshell reports cost's exit code on
    // stderr, after anything cost itself wrote there.
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"("$0" estimate --vcpu 1 --memory 2 --data-transfer 200000; echo "exit=$?" >&2) | head -c1 >/dev/null"#)
        .arg(assert_cmd::cargo::cargo_bin!("cost"))
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("NO_COLOR")
        .env("COST_NO_STALE_WARNING", "1")
        .output()
        .expect("sh runs");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "exit=0\n");
}
