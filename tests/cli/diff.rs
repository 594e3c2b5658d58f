//! `cost diff OLD NEW`: item by item changes between workloads, plans and saved reports, in every
//! format, and the `--max-increase` gate. Amounts are the web-api example's, priced by hand in
//! `common::gates`.

use crate::common::gates::*;
use crate::common::{d, n, number};

use rust_decimal::Decimal;
use serde_json::Value;

/// One row of a `cost diff --format json` report.
type Row = (String, String, Decimal, Decimal, Decimal, Option<Decimal>);

fn rows(diff: &Value) -> Vec<Row> {
    diff["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let pct = if i["percent"].is_null() { None } else { Some(number(&i["percent"])) };
            (
                i["name"].as_str().unwrap().to_owned(),
                i["status"].as_str().unwrap().to_owned(),
                number(&i["old"]),
                number(&i["new"]),
                number(&i["delta"]),
                pct,
            )
        })
        .collect()
}

fn row(name: &str, status: &str, old: Decimal, new: Decimal, pct: Option<Decimal>) -> Row {
    (name.to_owned(), status.to_owned(), old, new, new - old, pct)
}

/// The example with api at 4 tasks instead of 3: +1 × 730 × 0.03238 + 2 × 730 × 0.00356
/// = 23.6374 + 5.1976 = 28.835 (its data transfer stays 500 GB).
const API_4: [(&str, &str); 1] = [("count = 3", "count = 4")];

/// The example with workers at 3 tasks, `nightly-report` removed and an EKS cluster `prod`
/// (730 h × 0.10 = 73) added.
fn mixed_variant() -> String {
    let nightly = "[[service]]\nname = \"nightly-report\"\nvcpu = 4\nmemory = 8\nminutes = 45\nruns = 30\n\
                   ephemeral_storage = 100\n";
    variant(&[("count = 2", "count = 3"), (nightly, "[[eks_cluster]]\nname = \"prod\"\n")])
}

#[test]
fn diff_two_workloads_item_by_item() {
    let dir = workdir();
    let new = write(dir.path(), "new.toml", &variant(&API_4));
    let out = run(&["diff", &example_workload(), &new, "--format", "json"]);
    assert!(out.stderr.is_empty(), "{out:?}");
    let diff = json_of(&out, 0);
    assert_eq!(api(4) - api(3), d("28.835"));
    assert_eq!(
        rows(&diff),
        [
            row("api", "changed", api(3), api(4), Some(percent(d("28.835"), api(3)))),
            row("worker", "unchanged", worker(2), worker(2), Some(n(0))),
            row("nightly-report", "unchanged", nightly(), nightly(), Some(n(0))),
            row("images", "unchanged", images(), images(), Some(n(0))),
        ]
    );
    // 148.8231525 → 177.6581525: +28.835, +19.375...%.
    let new_total = example_total() + d("28.835");
    assert_eq!(new_total, d("177.6581525"));
    assert_eq!(number(&diff["old"]["total"]), example_total());
    assert_eq!(number(&diff["new"]["total"]), new_total);
    assert_eq!(number(&diff["total"]["old"]), example_total());
    assert_eq!(number(&diff["total"]["new"]), new_total);
    assert_eq!(number(&diff["total"]["delta"]), d("28.835"));
    assert_eq!(number(&diff["total"]["percent"]), percent(d("28.835"), example_total()));
    assert_eq!(diff["schema_version"], 1);
    assert_eq!(diff["currency"], "USD");
    assert!(diff.get("max_increase").is_none(), "{diff}");
}

#[test]
fn diff_added_removed_changed_and_unchanged() {
    let dir = workdir();
    let new = write(dir.path(), "new.toml", &mixed_variant());
    let diff = json_of(&run(&["diff", &example_workload(), &new, "--format", "json"]), 0);
    // worker 2 → 3 tasks: 11.4750525 → 17.21257875, +5.73752625, exactly +50%.
    assert_eq!(worker(3), d("17.21257875"));
    assert_eq!(percent(worker(3) - worker(2), worker(2)), n(50));
    let prod = d(MONTH) * d(EKS_STANDARD);
    assert_eq!(
        rows(&diff),
        [
            row("api", "unchanged", api(3), api(3), Some(n(0))),
            row("worker", "changed", worker(2), worker(3), Some(n(50))),
            // Added: nothing before, so no percentage.
            row("prod", "added", n(0), prod, None),
            row("images", "unchanged", images(), images(), Some(n(0))),
            // Removed items come last.
            row("nightly-report", "removed", nightly(), n(0), Some(-n(100))),
        ]
    );
    assert!(diff["items"][2]["percent"].is_null());
    // 131.505 + 17.21257875 + 73 + 1.2 = 222.91757875; − 148.8231525 = +74.09442625.
    let new_total = api(3) + worker(3) + prod + images();
    assert_eq!(new_total, d("222.91757875"));
    assert_eq!(number(&diff["total"]["new"]), new_total);
    assert_eq!(number(&diff["total"]["delta"]), d("74.09442625"));
    assert_eq!(number(&diff["total"]["percent"]), percent(d("74.09442625"), example_total()));
}

#[test]
fn diff_a_saved_json_report_against_a_workload() {
    let dir = workdir();
    let saved = run(&["estimate", "--workload", &example_workload(), "--format", "json"]);
    assert_eq!(saved.code, 0, "{saved:?}");
    let old = write(dir.path(), "old.json", &saved.stdout);
    let new = write(dir.path(), "new.toml", &variant(&API_4));
    let diff = json_of(&run(&["diff", &old, &new, "--format", "json"]), 0);
    assert_eq!(diff["old"]["source"], old.as_str());
    assert_eq!(diff["new"]["source"], new.as_str());
    assert_eq!(rows(&diff)[0], row("api", "changed", api(3), api(4), Some(percent(d("28.835"), api(3)))));
    assert_eq!(number(&diff["total"]["delta"]), d("28.835"));
    // The report against the workload it came from: nothing changes.
    let same = json_of(&run(&["diff", &old, &example_workload(), "--format", "json"]), 0);
    assert!(rows(&same).iter().all(|r| r.1 == "unchanged" && r.4.is_zero()), "{same}");
    assert_eq!(number(&same["total"]["delta"]), n(0));
}

#[test]
fn diff_reads_one_side_from_stdin() {
    let dir = workdir();
    let new_text = variant(&API_4);
    // NEW from stdin: task definitions are found relative to the current folder.
    let out = run_in(Some(dir.path()), &["diff", "workload.toml", "-", "--format", "json"], Some(&new_text));
    let diff = json_of(&out, 0);
    assert_eq!(diff["new"]["source"], "standard input");
    assert_eq!(number(&diff["total"]["delta"]), d("28.835"));
    // OLD from stdin, as a JSON report.
    let saved = run(&["estimate", "--workload", &example_workload(), "--format", "json"]);
    let new = write(dir.path(), "new.toml", &new_text);
    let out = run_in(None, &["diff", "-", &new, "--format", "json"], Some(&saved.stdout));
    let diff = json_of(&out, 0);
    assert_eq!(diff["old"]["source"], "standard input");
    assert_eq!(number(&diff["total"]["old"]), example_total());
    assert_eq!(number(&diff["total"]["delta"]), d("28.835"));
    // Both from stdin is a usage error.
    fails(&run_in(None, &["diff", "-", "-"], Some(&saved.stdout)), 2, &["-"]);
}

#[test]
fn diff_max_increase_in_dollars() {
    let dir = workdir();
    let small = write(dir.path(), "small.toml", &variant(&API_4));
    let big = write(dir.path(), "big.toml", &mixed_variant());
    let old = example_workload();
    // +28.835 against 50: within.
    let out = run(&["diff", &old, &small, "--max-increase", "50", "--format", "json"]);
    assert!(out.stderr.is_empty(), "{out:?}");
    let diff = json_of(&out, 0);
    assert_eq!(diff["max_increase"]["unit"], "usd");
    assert_eq!(number(&diff["max_increase"]["limit"]), n(50));
    assert_eq!(diff["max_increase"]["exceeded"], false);
    // +74.09442625 against 50: exceeded; the report is still printed. The rise is shown as the
    // rounded totals subtract: $222.92 − $148.82 = +$74.10.
    let out = run(&["diff", &old, &big, "--max-increase", "50", "--format", "json"]);
    let diff = json_of(&out, 3);
    assert_eq!(diff["max_increase"]["exceeded"], true);
    one_stderr_line(&out, &["+$74.10", "+49.8%", "$50.00"]);
    // Exactly at the limit is within; a cent under it is not.
    let out = run(&["diff", &old, &small, "--max-increase", "28.835"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    let out = run(&["diff", &old, &small, "--max-increase", "28.83"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stdout.contains("api"), "{out:?}");
    one_stderr_line(&out, &["+$28.84", "$28.83"]);
}

#[test]
fn diff_max_increase_in_percent() {
    let dir = workdir();
    let old = example_workload();
    let small = write(dir.path(), "small.toml", &variant(&[("count = 2", "count = 3")]));
    let big = write(dir.path(), "big.toml", &variant(&API_4));
    // One more worker: +5.73752625 / 148.8231525 = +3.855...%, within 10%.
    assert!(percent(worker(3) - worker(2), example_total()) < n(10));
    let out = run(&["diff", &old, &small, "--max-increase", "10%", "--format", "json"]);
    assert!(out.stderr.is_empty(), "{out:?}");
    let diff = json_of(&out, 0);
    assert_eq!(diff["max_increase"]["unit"], "percent");
    assert_eq!(number(&diff["max_increase"]["limit"]), n(10));
    assert_eq!(diff["max_increase"]["exceeded"], false);
    // One more api task: +28.835 / 148.8231525 = +19.375...%, over 10%.
    let out = run(&["diff", &old, &big, "--max-increase", "10%"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stdout.contains("api"), "{out:?}");
    one_stderr_line(&out, &["+$28.84", "+19.4%", "10%"]);

    // At the limit exactly: 200 → 230 is +15%.
    let a = write(
        dir.path(),
        "a.json",
        r#"{"schema_version": 1, "items": [{"name": "a", "total": 200}], "total": 200}"#,
    );
    let b = write(
        dir.path(),
        "b.json",
        r#"{"schema_version": 1, "items": [{"name": "a", "total": 230}], "total": 230}"#,
    );
    assert_eq!(run(&["diff", &a, &b, "--max-increase", "15%"]).code, 0);
    assert_eq!(run(&["diff", &a, &b, "--max-increase", "30"]).code, 0);
    let out = run(&["diff", &a, &b, "--max-increase", "14.9%"]);
    assert_eq!(out.code, 3, "{out:?}");
    one_stderr_line(&out, &["+$30.00", "+15%", "14.9%"]);
}

#[test]
fn diff_a_decrease_never_exceeds() {
    let dir = workdir();
    let bigger = write(dir.path(), "bigger.toml", &variant(&API_4));
    for limit in ["0", "0%", "50", "10%"] {
        let out = run(&["diff", &bigger, &example_workload(), "--max-increase", limit, "--format", "json"]);
        assert!(out.stderr.is_empty(), "{limit}: {out:?}");
        let diff = json_of(&out, 0);
        assert_eq!(diff["max_increase"]["exceeded"], false, "{limit}");
        assert_eq!(number(&diff["total"]["delta"]), d("-28.835"));
    }
}

#[test]
fn diff_markdown_for_a_pull_request() {
    let dir = workdir();
    write(dir.path(), "old.toml", &example_text());
    write(dir.path(), "new.toml", &mixed_variant());
    let out = run_in(
        Some(dir.path()),
        &["diff", "old.toml", "new.toml", "--format", "markdown", "--max-increase", "50"],
        None,
    );
    assert_eq!(out.code, 3, "{out:?}");
    one_stderr_line(&out, &["+$74.10", "$50.00"]);
    // The summary first: 148.8231525 → 222.91757875 is +74.09442625 (+49.787...%): shown as
    // $148.82 → $222.92, so +$74.10 (the figures on the line subtract), +49.8%.
    assert_eq!(percent(d("74.09442625"), example_total()).round_dp(1), d("49.8"));
    assert_eq!(out.stdout.lines().next(), Some("**Cost change: +$74.10 (+49.8%), from $148.82 to $222.92**"));
    // Rows, in the snapshot, checked by hand:
    //   api 131.505 → $131.51 both sides, unchanged;
    //   worker 11.4750525 → 17.21257875: $11.48 → $17.21, +5.73752625 → +$5.74, +50%;
    //   prod added: $0.00 → 730 × 0.10 = $73.00, new;
    //   images 1.2 unchanged: $1.20;
    //   nightly-report removed: 4.6431 → $4.64 → $0.00, -$4.64, -100%;
    //   total $148.82 → $222.92, +$74.09, +49.8%.
    insta::assert_snapshot!("diff_markdown", out.stdout);
}

#[test]
fn diff_markdown_escapes_a_pipe_in_an_item_name() {
    let dir = workdir();
    let a = write(
        dir.path(),
        "a.json",
        r#"{"schema_version": 1, "items": [{"name": "cache|eu", "total": 1}], "total": 1}"#,
    );
    let b = write(
        dir.path(),
        "b.json",
        r#"{"schema_version": 1, "items": [{"name": "cache|eu", "total": 2}], "total": 2}"#,
    );
    let out = run(&["diff", &a, &b, "--format", "markdown"]);
    assert_eq!(out.code, 0, "{out:?}");
    // 1 → 2: +$1.00, +100%.
    assert!(
        out.stdout.lines().any(|l| l == r"| cache\|eu | changed | $1.00 | $2.00 | +$1.00 | +100% |"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("| cache|eu |"), "{}", out.stdout);
}

/// The cells of a table's `|` rows, trimmed.
fn table_cells(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| l.trim_matches('|').split('|').map(|c| c.trim().to_owned()).collect())
        .collect()
}

#[test]
fn diff_as_a_table() {
    let dir = workdir();
    let new = write(dir.path(), "new.toml", &variant(&API_4));
    let out = run(&["diff", &example_workload(), &new]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    // api 131.505 → 160.34 (4 × 730 × 0.03238 + 8 × 730 × 0.00356 + 45 = 94.5496 + 20.7904 + 45):
    // shown as $131.51 → $160.34, so +$28.83 (the exact +28.835 is in the JSON);
    // 2883.5 / 131.505 = +21.93% → +21.9%.
    assert_eq!(api(4), d("160.34"));
    assert_eq!(percent(d("28.835"), api(3)).round_dp(1), d("21.9"));
    let cells = table_cells(&out.stdout);
    let want: [&[&str]; 6] = [
        &["item", "change", "old", "new", "delta", "delta %"],
        &["api", "changed", "$131.51", "$160.34", "+$28.83", "+21.9%"],
        &["worker", "unchanged", "$11.48", "$11.48", "$0.00", "0%"],
        &["nightly-report", "unchanged", "$4.64", "$4.64", "$0.00", "0%"],
        &["images", "unchanged", "$1.20", "$1.20", "$0.00", "0%"],
        &["", "total", "$148.82", "$177.66", "+$28.84", "+19.4%"],
    ];
    assert_eq!(cells, want.map(|r| r.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>()));
    assert!(out.stdout.contains("cost change: +$28.84 (+19.4%), from $148.82 to $177.66"), "{}", out.stdout);
}

#[test]
fn diff_as_csv_with_exact_decimals() {
    let dir = workdir();
    let new = write(dir.path(), "new.toml", &mixed_variant());
    let out = run(&["diff", &example_workload(), &new, "--format", "csv"]);
    assert_eq!(out.code, 0, "{out:?}");
    let exact = |x: Decimal| x.normalize().to_string();
    let total_pct = exact(percent(d("74.09442625"), example_total()));
    let want = [
        "item,status,old,new,delta,percent,currency".to_owned(),
        "api,unchanged,131.505,131.505,0,0,USD".to_owned(),
        "worker,changed,11.4750525,17.21257875,5.73752625,50,USD".to_owned(),
        "prod,added,0,73,73,,USD".to_owned(),
        "images,unchanged,1.2,1.2,0,0,USD".to_owned(),
        "nightly-report,removed,4.6431,0,-4.6431,-100,USD".to_owned(),
        format!(",total,148.8231525,222.91757875,74.09442625,{total_pct},USD"),
    ];
    assert_eq!(out.stdout.lines().collect::<Vec<_>>(), want);
}

#[test]
fn diff_refuses_bad_inputs_naming_the_file() {
    let dir = workdir();
    let good = example_workload();
    let v2 = write(dir.path(), "v2.json", r#"{"schema_version": 2, "items": [], "total": 0}"#);
    fails(&run(&["diff", &v2, &good]), 1, &["v2.json", "schema_version 2"]);
    let edited = write(
        dir.path(),
        "edited.json",
        r#"{"schema_version": 1, "items": [{"name": "a", "total": 1}, {"name": "b", "total": 2}], "total": 4}"#,
    );
    fails(&run(&["diff", &good, &edited]), 1, &["edited.json", "total 4", "(3)"]);
    let broken = write(dir.path(), "broken.json", r#"{"schema_version": 1, "items": ["#);
    fails(&run(&["diff", &broken, &good]), 1, &["broken.json"]);
    fails(&run(&["diff", &good, &broken]), 1, &["broken.json"]);
    let missing = dir.path().join("missing.json").display().to_string();
    fails(&run(&["diff", &missing, &good]), 1, &["missing.json"]);
    fails(&run(&["diff", &good, &missing]), 1, &["missing.json"]);
    let bad_toml = write(dir.path(), "bad.toml", &variant(&[("count = 3", "count = \"three\"")]));
    fails(&run(&["diff", &good, &bad_toml]), 1, &["bad.toml", "count"]);
    // Usage errors.
    fails(&run(&["diff", &good]), 2, &["NEW"]);
    fails(&run(&["diff", &good, &good, "--max-increase", "lots"]), 2, &["--max-increase"]);
    fails(&run(&["diff", &good, &good, "--max-increase", "-5"]), 2, &["--max-increase", "0 or more"]);
    fails(&run(&["diff", &good, &good, "--max-increase=-5%"]), 2, &["--max-increase", "0 or more"]);
}

#[test]
fn diff_negative_percent_limit_names_the_flag() {
    let good = example_workload();
    fails(&run(&["diff", &good, &good, "--max-increase", "-5%"]), 2, &["--max-increase", "-5%"]);
}

#[test]
fn diff_max_increase_line_tells_the_rise_from_the_limit() {
    // 10 → 10.006 is +0.006 (shown +$0.01); a limit of 0.005 is exceeded, and also shows as $0.01.
    let dir = workdir();
    let a = write(
        dir.path(),
        "a.json",
        r#"{"schema_version": 1, "items": [{"name": "a", "total": 10}], "total": 10}"#,
    );
    let b = write(
        dir.path(),
        "b.json",
        r#"{"schema_version": 1, "items": [{"name": "a", "total": 10.006}], "total": 10.006}"#,
    );
    let out = run(&["diff", &a, &b, "--max-increase", "0.005"]);
    assert_eq!(out.code, 3, "{out:?}");
    let line = one_stderr_line(&out, &[]);
    // Like the budget line (`$148.8231525 exceeds ... $148.82`), the two amounts must differ.
    let amounts: Vec<&str> = line.split_whitespace().filter(|w| w.contains('$')).collect();
    assert_eq!(amounts.len(), 2, "{line}");
    assert_ne!(amounts[0].trim_start_matches('+'), amounts[1].trim_start_matches('+'), "{line}");
}
