//! `cost estimate` from flags, run against the built binary: every output format, the billing
//! rules worked out by hand, regions and rate tables, exit codes, help.
//!
//! Every expected amount is worked out here from the rates AWS publishes
//! (<https://aws.amazon.com/fargate/pricing/>, the same figures as `pricing/*.toml`) with exact
//! decimal arithmetic, never copied from the program's output. The contract is docs/output.md.

mod billing;
mod exit_codes;
mod formats;
mod help;
mod regions;

use crate::common::{cost, d, n, with_stdout_closed};

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
