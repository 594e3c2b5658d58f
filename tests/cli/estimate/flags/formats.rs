//! Every output format (JSON, CSV, Markdown, table) on the same estimate.

use super::*;

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
