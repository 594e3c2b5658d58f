//! End-to-end tests of the CI budget gates: `cost check WORKLOAD`, `cost diff OLD NEW` and
//! `cost estimate --batch FILE|-`, run against the built binary.
//!
//! Every expected amount is worked out here from the published us-east-1 rates with exact decimal
//! arithmetic (the arithmetic is in the comments or in `Decimal` expressions), never copied from the
//! program's output. The contract is docs/output.md.

mod common;

use common::{cost, number};
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde_json::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Published rates (USD, us-east-1), as text so they are read exactly.
// ---------------------------------------------------------------------------------------------

/// Linux x86 on demand, per vCPU-hour and per GB-hour.
const VCPU: &str = "0.04048";
const GB: &str = "0.004445";
/// Linux ARM on demand.
const ARM_VCPU: &str = "0.03238";
const ARM_GB: &str = "0.00356";
/// Fargate Spot, Linux x86.
const SPOT_VCPU: &str = "0.01288871";
const SPOT_GB: &str = "0.00141527";
/// Windows x86 on demand, plus the OS licence per vCPU-hour.
const WIN_VCPU: &str = "0.046552";
const WIN_GB: &str = "0.00511175";
const WIN_OS: &str = "0.046";
/// Ephemeral storage per GB-hour above the 20 GB included.
const STORAGE: &str = "0.000111";
/// Data transfer out: first 10 TB, next 40 TB (1 TB = 1024 GB).
const DT1: &str = "0.09";
const DT2: &str = "0.085";
/// EKS cluster fee per hour (standard, extended support); ECR storage per GB-month.
const EKS_STANDARD: &str = "0.10";
const EKS_EXTENDED: &str = "0.60";
const ECR: &str = "0.10";
/// One month.
const MONTH: &str = "730";

// ---------------------------------------------------------------------------------------------
// The web-api example (examples/web-api/workload.toml), priced by hand.
// ---------------------------------------------------------------------------------------------

/// `api`: 3 ARM tasks of 1 vCPU / 2 GB for 730 h, 500 GB out (all in the first tier):
/// 3 × 730 × 0.03238 = 70.9122; 3 × 2 × 730 × 0.00356 = 15.5928; 500 × 0.09 = 45 → 131.505.
fn api(count: u64) -> Decimal {
    n(count) * d(MONTH) * d(ARM_VCPU) + n(count) * n(2) * d(MONTH) * d(ARM_GB) + n(500) * d(DT1)
}

/// `worker`: `count` Spot tasks of 0.5 vCPU / 1 GB for 730 h. For 2 tasks:
/// 2 × 0.5 × 730 × 0.01288871 = 9.4087583; 2 × 1 × 730 × 0.00141527 = 2.0662942 → 11.4750525.
fn worker(count: u64) -> Decimal {
    n(count) * d("0.5") * d(MONTH) * d(SPOT_VCPU) + n(count) * d(MONTH) * d(SPOT_GB)
}

/// `nightly-report`: 4 vCPU / 8 GB, 45 min × 30 runs = 22.5 h, 100 GB storage (80 above 20):
/// 4 × 22.5 × 0.04048 = 3.6432; 8 × 22.5 × 0.004445 = 0.8001; 80 × 22.5 × 0.000111 = 0.1998
/// → 4.6431.
fn nightly() -> Decimal {
    let hours = d("22.5");
    n(4) * hours * d(VCPU) + n(8) * hours * d(GB) + n(80) * hours * d(STORAGE)
}

/// `images`: 12 GB × 1 month × 0.10 = 1.2.
fn images() -> Decimal {
    n(12) * d(ECR)
}

/// 131.505 + 11.4750525 + 4.6431 + 1.2 = 148.8231525.
fn example_total() -> Decimal {
    api(3) + worker(2) + nightly() + images()
}

#[test]
fn the_hand_worked_example_amounts() {
    assert_eq!(api(3), d("131.505"));
    assert_eq!(worker(2), d("11.4750525"));
    assert_eq!(nightly(), d("4.6431"));
    assert_eq!(images(), d("1.2"));
    assert_eq!(example_total(), d("148.8231525"));
}

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

/// `part × 100 / whole`, as `cost diff` defines a percentage.
fn percent(part: Decimal, whole: Decimal) -> Decimal {
    (part * n(100) / whole).normalize()
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example_dir() -> PathBuf {
    manifest().join("examples/web-api")
}

fn example_workload() -> String {
    example_dir().join("workload.toml").display().to_string()
}

#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `cost args` with `stdin` (none: empty) in `cwd` (none: the repository root).
fn run_in(cwd: Option<&Path>, args: &[&str], stdin: Option<&str>) -> Out {
    let mut cmd = cost();
    cmd.args(args).current_dir(cwd.map_or_else(manifest, Path::to_path_buf));
    cmd.write_stdin(stdin.unwrap_or(""));
    let output = cmd.output().expect("cost runs");
    Out {
        code: output.status.code().expect("cost exits, not killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn run(args: &[&str]) -> Out {
    run_in(None, args, None)
}

/// Asserts `out` ended with `code` and returns its stdout parsed as one JSON document.
fn json_of(out: &Out, code: i32) -> Value {
    assert_eq!(out.code, code, "{out:?}");
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {out:?}"))
}

/// The only line on stderr (with its newline), which must contain every one of `needles`.
fn one_stderr_line<'a>(out: &'a Out, needles: &[&str]) -> &'a str {
    assert!(out.stderr.ends_with('\n'), "stderr does not end a line: {out:?}");
    assert_eq!(out.stderr.matches('\n').count(), 1, "not one stderr line: {out:?}");
    for needle in needles {
        assert!(out.stderr.contains(needle), "stderr {:?} lacks {needle:?}", out.stderr);
    }
    out.stderr.trim_end()
}

/// Expects failure with `code`: nothing on stdout, one line on stderr with every one of `needles`.
fn fails(out: &Out, code: i32, needles: &[&str]) {
    assert_eq!(out.code, code, "{out:?}");
    assert!(out.stdout.is_empty(), "stdout not empty: {out:?}");
    one_stderr_line(out, needles);
    assert!(!out.stderr.contains("panicked"), "{out:?}");
}

/// A temporary folder holding a copy of the web-api example (`workload.toml`, `api.json`,
/// `worker.json`), so variants of the workload can sit next to its task definitions.
fn workdir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in ["workload.toml", "api.json", "worker.json"] {
        std::fs::copy(example_dir().join(file), dir.path().join(file)).unwrap();
    }
    dir
}

fn example_text() -> String {
    std::fs::read_to_string(example_dir().join("workload.toml")).unwrap()
}

/// The example's text with each `(from, to)` replaced once (each `from` must be there).
fn variant(edits: &[(&str, &str)]) -> String {
    let mut text = example_text();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{from:?} is not in the example exactly once");
        text = text.replacen(from, to, 1);
    }
    text
}

/// Writes `text` to `dir/name` and returns the path as a string.
fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

// ---------------------------------------------------------------------------------------------
// cost check
// ---------------------------------------------------------------------------------------------

#[test]
fn check_within_budget_prints_a_short_summary() {
    let out = run(&["check", &example_workload()]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    // 148.8231525 of 400: 148.8231525 / 400 = 37.2057...% → 37.2%; 400 − 148.8231525 = 251.1768475
    // → $251.18 to spare.
    assert_eq!(percent(example_total(), n(400)).round_dp(1), d("37.2"));
    assert_eq!((n(400) - example_total()).round_dp(2), d("251.18"));
    assert_eq!(
        out.stdout,
        "within budget: $148.82 of $400.00 (37.2%), $251.18 to spare\ncoverage: 4 items priced, none unpriced; 5 assumptions\n"
    );
}

#[test]
fn check_within_budget_as_json_is_the_full_report() {
    let out = run(&["check", &example_workload(), "--format", "json"]);
    assert!(out.stderr.is_empty(), "{out:?}");
    let report = json_of(&out, 0);
    assert_eq!(report["schema_version"], 1);
    assert_eq!(number(&report["total"]), example_total());
    assert_eq!(number(&report["budget"]["limit"]), n(400));
    assert_eq!(report["budget"]["exceeded"], false);
    let items: Vec<(&str, Decimal)> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["name"].as_str().unwrap(), number(&i["total"])))
        .collect();
    assert_eq!(
        items,
        [("api", api(3)), ("worker", worker(2)), ("nightly-report", nightly()), ("images", images())]
    );
}

#[test]
fn check_within_budget_in_other_formats_is_the_full_report() {
    let out = run(&["check", &example_workload(), "--format", "markdown"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    assert!(out.stdout.starts_with("**Estimated cost: $148.82**"), "{}", out.stdout);
    assert!(out.stdout.contains("budget $400.00: within budget, $251.18 to spare"), "{}", out.stdout);
    let out = run(&["check", &example_workload(), "--format", "csv"]);
    assert_eq!(out.code, 0, "{out:?}");
    // The last row is the exact total (columns found by the header's names).
    let rows: Vec<Vec<&str>> = out.stdout.lines().map(|l| l.split(',').collect()).collect();
    let column = |name: &str| rows[0].iter().position(|c| *c == name).unwrap();
    let last = rows.last().unwrap();
    assert_eq!((last[column("component")], last[column("cost")]), ("total", "148.8231525"));
}

#[test]
fn check_over_a_budget_flag_exits_3_with_the_full_report_and_one_line() {
    // 148.8231525 − 100 = 48.8231525 → $48.82.
    let out = run(&["check", &example_workload(), "--budget", "100"]);
    assert_eq!(out.code, 3, "{out:?}");
    // The full table report, not the summary.
    for needle in ["api (Fargate on ECS)", "worker (Fargate on ECS)", "nightly-report", "images", "$148.82"] {
        assert!(out.stdout.contains(needle), "stdout lacks {needle:?}: {}", out.stdout);
    }
    assert!(!out.stdout.contains("within budget:"), "{}", out.stdout);
    let line = one_stderr_line(&out, &["$148.82", "$100.00", "$48.82"]);
    assert_eq!(line, "over budget: the total $148.82 exceeds the budget of $100.00 by $48.82");

    let json = run(&["check", &example_workload(), "--budget", "100", "--format", "json"]);
    let report = json_of(&json, 3);
    assert_eq!(number(&report["total"]), example_total());
    assert_eq!(number(&report["budget"]["limit"]), n(100));
    assert_eq!(report["budget"]["exceeded"], true);
    one_stderr_line(&json, &["$148.82", "$100.00", "$48.82"]);
}

#[test]
fn check_over_the_files_own_budget_and_the_flag_overriding_it() {
    let dir = workdir();
    let low = write(dir.path(), "low.toml", &variant(&[("limit = 400", "limit = 120")]));
    // 148.8231525 − 120 = 28.8231525 → $28.82.
    let out = run(&["check", &low]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stdout.contains("api (Fargate on ECS)"), "{}", out.stdout);
    one_stderr_line(&out, &["$148.82", "$120.00", "$28.82"]);

    // --budget 150 replaces the file's 120: 148.8231525 / 150 = 99.2154...% → 99.2%,
    // 150 − 148.8231525 = 1.1768475 → $1.18.
    assert_eq!(percent(example_total(), n(150)).round_dp(1), d("99.2"));
    let out = run(&["check", &low, "--budget", "150"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    assert_eq!(
        out.stdout,
        "within budget: $148.82 of $150.00 (99.2%), $1.18 to spare\ncoverage: 4 items priced, none unpriced; 5 assumptions\n"
    );

    // And the other way: the file's 400 is within, --budget 148 is not.
    let out = run(&["check", &example_workload(), "--budget", "148"]);
    assert_eq!(out.code, 3, "{out:?}");
    one_stderr_line(&out, &["$148.82", "$148.00", "$0.82"]);
}

#[test]
fn check_a_service_over_its_own_budget_while_the_total_is_within() {
    let dir = workdir();
    let path =
        write(dir.path(), "w.toml", &variant(&[("name = \"api\"\n", "name = \"api\"\nbudget = 100\n")]));
    // api 131.505 > 100 by 31.505 → $31.51 (half away from zero); the total 148.82 is within 400.
    let out = run(&["check", &path]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stdout.contains("api (Fargate on ECS)"), "{}", out.stdout);
    let line = one_stderr_line(&out, &["api", "$131.51", "$100.00", "$31.51"]);
    assert_eq!(line, "over budget: api costs $131.51, over its budget of $100.00 by $31.51");

    let report = json_of(&run(&["check", &path, "--format", "json"]), 3);
    assert_eq!(report["budget"]["exceeded"], false);
    assert_eq!(number(&report["items"][0]["budget"]["limit"]), n(100));
    assert_eq!(report["items"][0]["budget"]["exceeded"], true);
}

#[test]
fn check_an_eks_cluster_over_its_own_budget() {
    let dir = workdir();
    let cluster = "\n[[eks_cluster]]\nname = \"prod\"\nhours = 100\nsupport = \"extended\"\nbudget = 50\n";
    let path = write(dir.path(), "w.toml", &(example_text() + cluster));
    // 100 h × 0.60 = 60 > 50 by 10; the total 148.8231525 + 60 = 208.8231525 is within 400.
    assert_eq!(n(100) * d(EKS_EXTENDED), n(60));
    let out = run(&["check", &path]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stdout.contains("prod (EKS cluster)"), "{}", out.stdout);
    one_stderr_line(&out, &["prod", "$60.00", "$50.00", "$10.00"]);
    let report = json_of(&run(&["check", &path, "--format", "json"]), 3);
    assert_eq!(number(&report["total"]), example_total() + n(60));
    assert_eq!(report["budget"]["exceeded"], false);
}

#[test]
fn check_an_ecr_repository_over_its_own_budget() {
    let dir = workdir();
    let path = write(dir.path(), "w.toml", &variant(&[("storage_gb = 12", "storage_gb = 12\nbudget = 1")]));
    // images 12 × 0.10 = 1.20 > 1 by 0.20.
    let out = run(&["check", &path]);
    assert_eq!(out.code, 3, "{out:?}");
    let line = one_stderr_line(&out, &["images", "$1.20", "$1.00", "$0.20"]);
    assert_eq!(line, "over budget: images costs $1.20, over its budget of $1.00 by $0.20");
}

#[test]
fn check_names_the_first_budget_exceeded_and_counts_the_others() {
    let dir = workdir();
    let path = write(
        dir.path(),
        "w.toml",
        &variant(&[("limit = 400", "limit = 100"), ("name = \"api\"\n", "name = \"api\"\nbudget = 100\n")]),
    );
    let out = run(&["check", &path]);
    assert_eq!(out.code, 3, "{out:?}");
    one_stderr_line(&out, &["$148.82", "$100.00", "$48.82", "1 more"]);
}

#[test]
fn check_entry_budgets_only_within_prints_a_line_per_budget() {
    let dir = workdir();
    let cluster = "\n[[eks_cluster]]\nname = \"prod\"\nbudget = 100\n";
    let text = variant(&[("[budget]\nlimit = 400", ""), ("storage_gb = 12", "storage_gb = 12\nbudget = 2")])
        + cluster;
    let path = write(dir.path(), "w.toml", &text);
    // prod: 730 × 0.10 = 73 of 100 (73%), 27 to spare; images: 1.20 of 2 (60%), 0.80 to spare.
    assert_eq!(d(MONTH) * d(EKS_STANDARD), n(73));
    let out = run(&["check", &path]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    assert_eq!(
        out.stdout,
        "within budget: prod: $73.00 of $100.00 (73%), $27.00 to spare\n\
         within budget: images: $1.20 of $2.00 (60%), $0.80 to spare\n\
         coverage: 5 items priced, none unpriced; 7 assumptions\n"
    );
}

#[test]
fn check_a_workload_without_any_budget_says_how_to_add_one() {
    let dir = workdir();
    let path = write(dir.path(), "w.toml", &variant(&[("[budget]\nlimit = 400", "")]));
    let out = run(&["check", &path]);
    fails(&out, 1, &["w.toml", "[budget]", "limit", "--budget"]);
}

#[test]
fn check_reads_the_workload_from_stdin() {
    let out = run_in(Some(&example_dir()), &["check", "-"], Some(&example_text()));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    assert_eq!(
        out.stdout,
        "within budget: $148.82 of $400.00 (37.2%), $251.18 to spare\ncoverage: 4 items priced, none unpriced; 5 assumptions\n"
    );

    let out = run_in(Some(&example_dir()), &["check", "-", "--budget", "100"], Some(&example_text()));
    assert_eq!(out.code, 3, "{out:?}");
    one_stderr_line(&out, &["$148.82", "$100.00", "$48.82"]);
}

#[test]
fn check_refuses_a_bad_workload() {
    let dir = workdir();
    let unknown = write(dir.path(), "unknown.toml", &variant(&[("count = 3", "count = 3\ncpu = 1")]));
    fails(&run(&["check", &unknown]), 1, &["unknown.toml", "`cpu`"]);
    let missing = dir.path().join("missing.toml").display().to_string();
    fails(&run(&["check", &missing]), 1, &["missing.toml"]);
    fails(&run_in(None, &["check", "-"], Some("region = 5\n")), 1, &["standard input", "`region`"]);
    // A task definition that is not there is named too.
    let lost = write(dir.path(), "lost.toml", &variant(&[("\"api.json\"", "\"gone.json\"")]));
    fails(&run(&["check", &lost]), 1, &["lost.toml", "gone.json"]);
}

#[test]
fn check_usage_errors_exit_2() {
    fails(&run(&["check"]), 2, &["WORKLOAD"]);
    fails(&run(&["check", &example_workload(), "--budget", "-5"]), 2, &["--budget"]);
    fails(&run(&["check", &example_workload(), "--budget", "lots"]), 2, &["--budget"]);
}

#[test]
fn check_a_total_exactly_at_the_budget_is_within() {
    // The exact total 148.8231525 as the limit: within, 100%, $0.00 to spare; cents would hide the
    // limit's digits, so it is shown whole.
    let out = run(&["check", &example_workload(), "--budget", "148.8231525"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    assert_eq!(
        out.stdout,
        "within budget: $148.82 of $148.8231525 (100%), $0.00 to spare\ncoverage: 4 items priced, none unpriced; 5 assumptions\n"
    );
    // One ten-millionth less is over, and the line shows digits that tell them apart.
    let out = run(&["check", &example_workload(), "--budget", "148.8231524"]);
    assert_eq!(out.code, 3, "{out:?}");
    one_stderr_line(&out, &["$148.8231525", "less than $0.01"]);

    // An entry exactly at its own budget: images 1.2 against "1.2".
    let dir = workdir();
    let path = write(
        dir.path(),
        "w.toml",
        &variant(&[("[budget]\nlimit = 400", ""), ("storage_gb = 12", "storage_gb = 12\nbudget = \"1.2\"")]),
    );
    let out = run(&["check", &path]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "within budget: images: $1.20 of $1.20 (100%), $0.00 to spare\ncoverage: 4 items priced, none unpriced; 5 assumptions\n"
    );
}

// ---------------------------------------------------------------------------------------------
// cost diff
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// cost estimate --batch
// ---------------------------------------------------------------------------------------------

/// The JSON items of a `--batch` run's stdout, one per line.
fn batch_items(out: &Out) -> Vec<Value> {
    assert!(out.stdout.is_empty() || out.stdout.ends_with('\n'), "{out:?}");
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("line {l:?} is not JSON: {e}")))
        .collect()
}

/// A batch line, the `cost estimate` flags that say the same, and its total worked out by hand.
struct Case {
    line: &'static str,
    flags: &'static [&'static str],
    total: Decimal,
}

fn cases() -> Vec<Case> {
    vec![
        // 730 × 0.04048 = 29.5504; 2 × 730 × 0.004445 = 6.4897 → 36.0401.
        Case {
            line: r#"{"name": "plain", "vcpu": 1, "memory": 2}"#,
            flags: &["--vcpu", "1", "--memory", "2"],
            total: d(MONTH) * d(VCPU) + n(2) * d(MONTH) * d(GB),
        },
        // ARM, 3 tasks: 2190 × 0.03238 = 70.9122; 4380 × 0.00356 = 15.5928 → 86.505.
        Case {
            line: r#"{"name": "arm", "vcpu": 1, "memory": 2, "arch": "arm64", "count": 3}"#,
            flags: &["--vcpu", "1", "--memory", "2", "--arch", "arm64", "--count", "3"],
            total: n(3) * d(MONTH) * d(ARM_VCPU) + n(6) * d(MONTH) * d(ARM_GB),
        },
        // Spot 0.5 / 1: 365 × 0.01288871 = 4.70437915; 730 × 0.00141527 = 1.0331471 → 5.73752625.
        Case {
            line: r#"{"name": "spot", "vcpu": "0.5", "memory": 1, "spot": true}"#,
            flags: &["--vcpu", "0.5", "--memory", "1", "--spot"],
            total: worker(1),
        },
        // Windows 2 / 8, 3-minute runs billed at the 5-minute minimum, 12 runs = 3600 s = 1 h:
        // 2 × 0.046552 = 0.093104; 8 × 0.00511175 = 0.040894; licence 2 × 0.046 = 0.092 → 0.225998.
        Case {
            line: r#"{"name": "win", "vcpu": 2, "memory": 8, "os": "windows", "minutes": 3, "runs": 12}"#,
            flags: &["--vcpu", "2", "--memory", "8", "--os", "windows", "--minutes", "3", "--runs", "12"],
            total: n(2) * d(WIN_VCPU) + n(8) * d(WIN_GB) + n(2) * d(WIN_OS),
        },
        // 50 GB storage: 36.0401 + 30 × 730 × 0.000111 = 36.0401 + 2.4309 → 38.471.
        Case {
            line: r#"{"name": "disk", "vcpu": 1, "memory": 2, "ephemeral_storage": 50}"#,
            flags: &["--vcpu", "1", "--memory", "2", "--ephemeral-storage", "50"],
            total: d("36.0401") + n(30) * d(MONTH) * d(STORAGE),
        },
        // 0.25 / 0.5 with 20000 GB out: 7.3876 + 1.622425 + 10240 × 0.09 (921.6) + 9760 × 0.085
        // (829.6) → 1760.210025.
        Case {
            line: r#"{"name": "egress", "vcpu": 0.25, "memory": 0.5, "data_transfer": 20000}"#,
            flags: &["--vcpu", "0.25", "--memory", "0.5", "--data-transfer", "20000"],
            total: d("0.25") * d(MONTH) * d(VCPU)
                + d("0.5") * d(MONTH) * d(GB)
                + n(10_240) * d(DT1)
                + n(9_760) * d(DT2),
        },
        // 0.25 / 3 rounded up to 0.5 / 3: 365 × 0.04048 = 14.7752; 2190 × 0.004445 = 9.73455
        // → 24.50975.
        Case {
            line: r#"{"name": "rounded", "vcpu": 0.25, "memory": 3, "round_up": true}"#,
            flags: &["--vcpu", "0.25", "--memory", "3", "--round-up"],
            total: d("0.5") * d(MONTH) * d(VCPU) + n(3) * d(MONTH) * d(GB),
        },
        // EKS pods 0.25 / 0.5 (+256 MB → 0.25 / 1 GB), 4 of them: 730 × 0.04048 = 29.5504;
        // 4 × 730 × 0.004445 = 12.9794 → 42.5298.
        Case {
            line: r#"{"name": "pods", "platform": "eks", "vcpu": 0.25, "memory": 0.5, "count": 4}"#,
            flags: &["--platform", "eks", "--vcpu", "0.25", "--memory", "0.5", "--count", "4"],
            total: d(MONTH) * d(VCPU) + n(4) * d(MONTH) * d(GB),
        },
        // 5 tasks × 30 runs × 10 min = 25 h: 25 × 0.04048 = 1.012; 50 × 0.004445 = 0.22225
        // → 1.23425.
        Case {
            line: r#"{"name": "cron", "vcpu": 1, "memory": 2, "count": 5, "minutes": 10, "runs": 30}"#,
            flags: &["--vcpu", "1", "--memory", "2", "--count", "5", "--minutes", "10", "--runs", "30"],
            total: n(25) * d(VCPU) + n(50) * d(GB),
        },
        // The example's worker task definition (0.5 / 1), 2 tasks on Spot → 11.4750525.
        Case {
            line: r#"{"name": "td", "task_definition": "examples/web-api/worker.json", "count": 2, "spot": true}"#,
            flags: &["--task-definition", "examples/web-api/worker.json", "--count", "2", "--spot"],
            total: worker(2),
        },
    ]
}

#[test]
fn batch_items_equal_what_estimate_prints_for_the_same_flags() {
    let cases = cases();
    let input: String = cases.iter().flat_map(|c| [c.line, "\n"]).collect();
    let out = run_in(None, &["estimate", "--batch", "-"], Some(&input));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    let items = batch_items(&out);
    assert_eq!(items.len(), cases.len());
    for (case, item) in cases.iter().zip(&items) {
        let name = item["name"].as_str().unwrap();
        let mut args = vec!["estimate", "--format", "json", "--name", name];
        args.extend_from_slice(case.flags);
        let single = json_of(&run(&args), 0);
        assert_eq!(item, &single["items"][0], "{}", case.line);
        assert_eq!(number(&item["total"]), case.total, "{}", case.line);
        let lines: Decimal = item["lines"].as_array().unwrap().iter().map(|l| number(&l["cost"])).sum();
        assert_eq!(lines, case.total, "{}", case.line);
    }
    let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["plain", "arm", "spot", "win", "disk", "egress", "rounded", "pods", "cron", "td"],
        "in input order"
    );
    assert_eq!(items[3]["billed"]["seconds_per_run"], 300);
    assert_eq!(number(&items[6]["billed"]["vcpu"]), d("0.5"));
    assert_eq!(number(&items[7]["billed"]["memory_gb"]), n(1));
}

#[test]
fn batch_from_a_file_skips_blank_lines_and_names_lines_by_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "tasks.jsonl",
        "{\"vcpu\": 1, \"memory\": 2}\n\n   \n{\"vcpu\": 1, \"memory\": 2, \"count\": 2}\r\n\t\n{\"vcpu\": 1, \"memory\": 2, \"name\": \"x\"}",
    );
    let out = run(&["estimate", "--batch", &path]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    let items = batch_items(&out);
    // 36.0401 per task; the last line has no newline and is still priced.
    let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["line 1", "line 4", "x"]);
    let totals: Vec<Decimal> = items.iter().map(|i| number(&i["total"])).collect();
    assert_eq!(totals, [d("36.0401"), d("72.0802"), d("36.0401")]);
    // --format json is what --batch writes anyway.
    let again = run(&["estimate", "--batch", &path, "--format", "json"]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(again.stdout, out.stdout);
}

/// Each line is read into the same place (`--batch` reuses one `TaskInput`): a line after one
/// that set every key, or after one that failed halfway through, is priced as if it came first.
#[test]
fn batch_lines_keep_nothing_of_the_line_before() {
    let minimal = r#"{"vcpu": 1, "memory": 2}"#;
    let before = [
        r#"{"name": "full", "launch_type": "fargate", "platform": "ecs", "vcpu": 2, "memory": 8, "count": 3, "hours": 100, "runs": 2, "arch": "arm64", "os": "linux", "spot": true, "pricing": "spot", "ephemeral_storage": 50, "data_transfer": 100, "round_up": true, "budget": 100000}"#,
        r#"{"name": "ec2", "launch_type": "ec2", "vcpu": 1, "memory": 2, "instance_type": "t3.medium", "instances": 2, "minutes": 30}"#,
        r#"{"task_definition": "examples/web-api/worker.json", "count": 2, "platform": "eks"}"#,
        // Fails at `count`, after `name`, `vcpu` and `memory` were read.
        r#"{"name": "half", "vcpu": 4, "memory": 8, "count": "x", "spot": true}"#,
        r#"{"name": "twice", "vcpu": 1, "vcpu": 2, "memory": 4}"#,
    ];
    // The minimal line as line 2 with nothing before it (a blank line 1).
    let alone = run_in(None, &["estimate", "--batch", "-"], Some(&format!("\n{minimal}\n")));
    assert_eq!(alone.code, 0, "{alone:?}");
    let expected = batch_items(&alone).remove(0);
    assert_eq!(expected["name"], "line 2");
    assert_eq!(number(&expected["total"]), d("36.0401"));
    assert!(expected.get("budget").is_none(), "{expected}");
    // What line 1 is named: its own name, else its task definition's `family:revision`; an error
    // has none.
    let names = [Some("full"), Some("ec2"), Some("worker:17"), None, None];
    for (line, name) in before.into_iter().zip(names) {
        let input = format!("{line}\n{minimal}\n");
        let out = run_in(None, &["estimate", "--batch", "-", "--keep-going"], Some(&input));
        let items = batch_items(&out);
        assert_eq!(items.len(), 2, "{line}: {out:?}");
        assert_eq!(items[0]["name"].as_str(), name, "{line}");
        assert_eq!(items[1], expected, "after {line}");
    }
}

#[test]
fn batch_an_empty_input_prints_nothing() {
    for input in ["", "\n", "  \n\n\t\n"] {
        let out = run_in(None, &["estimate", "--batch", "-"], Some(input));
        assert_eq!(out.code, 0, "{input:?}: {out:?}");
        assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{input:?}: {out:?}");
    }
}

#[test]
fn batch_stops_at_a_bad_line_keeping_what_came_before() {
    let good = r#"{"vcpu": 1, "memory": 2}"#;
    let bad = [
        (r#"{"vcpu": 1, "memory": 0}"#, "`memory` must be greater than 0"),
        (r#"{"vcpu": 1, "memory": 2, "cpu": 1}"#, "`cpu`"),
        (r#"{"vcpu": 1, "memory": "#, "line 3"),
        (r#"{"vcpu": 1, "memory": 2, "count": "3"}"#, "line 3"),
        (r#"["vcpu", 1]"#, "line 3"),
    ];
    for (line, needle) in bad {
        let input = format!("{good}\n\n{line}\n{good}\n");
        let out = run_in(None, &["estimate", "--batch", "-"], Some(&input));
        assert_eq!(out.code, 1, "{line}: {out:?}");
        let items = batch_items(&out);
        assert_eq!(items.len(), 1, "{line}: {out:?}");
        assert_eq!(items[0]["name"], "line 1");
        assert_eq!(number(&items[0]["total"]), d("36.0401"));
        one_stderr_line(&out, &["line 3", needle, "standard input"]);
    }
    // From a file, the file is named.
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "tasks.jsonl", &format!("{good}\n{{\"vcpu\": 1, \"memory\": 0}}\n"));
    let out = run(&["estimate", "--batch", &path]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(batch_items(&out).len(), 1);
    one_stderr_line(&out, &["tasks.jsonl", "line 2", "`memory`"]);
    // A missing file.
    let missing = dir.path().join("missing.jsonl").display().to_string();
    fails(&run(&["estimate", "--batch", &missing]), 1, &["missing.jsonl"]);
}

/// `count` of line `i` in the long batches below: 1 to 7, so lines differ.
fn count_of(i: usize) -> u64 {
    (i % 7) as u64 + 1
}

/// `lines` tasks, line `i` (from 1) named `t{i}` with `count_of(i)` tasks of 1 vCPU / 2 GB for a
/// month ($36.0401 each: 730 × 0.04048 + 1460 × 0.004445), with `bad` lines replaced.
fn long_batch(lines: usize, bad: &[(usize, &str)]) -> String {
    (1..=lines)
        .map(|i| match bad.iter().find(|(at, _)| *at == i) {
            Some((_, line)) => format!("{line}\n"),
            None => {
                format!("{{\"name\": \"t{i}\", \"vcpu\": 1, \"memory\": 2, \"count\": {}}}\n", count_of(i))
            }
        })
        .collect()
}

/// Items 1..=n of a long batch are in order with their hand-worked totals.
fn assert_long_batch_items(items: &[Value], skip_errors: bool) {
    for (index, item) in items.iter().enumerate() {
        let i = index + 1;
        if skip_errors && item.get("error").is_some() {
            continue;
        }
        assert_eq!(item["name"], format!("t{i}"), "{item}");
        assert_eq!(number(&item["total"]), d("36.0401") * Decimal::from(count_of(i)), "{item}");
    }
}

#[test]
fn a_long_batch_is_written_in_input_order_and_stops_at_its_first_bad_line() {
    // Thousands of lines are priced in chunks on several threads; what comes out must still be
    // every line in input order, and a bad line deep in the input must stop the run with
    // exactly the lines before it written, from a file and from standard input alike.
    let input = long_batch(3000, &[(1500, r#"{"name": "bad", "vcpu": 1, "memory": 0}"#), (2500, "{")]);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "tasks.jsonl", &input);
    for out in
        [run(&["estimate", "--batch", &path]), run_in(None, &["estimate", "--batch", "-"], Some(&input))]
    {
        assert_eq!(out.code, 1, "{}", out.stderr);
        let items = batch_items(&out);
        assert_eq!(items.len(), 1499);
        assert_long_batch_items(&items, false);
        one_stderr_line(&out, &["line 1500", "`memory`"]);
    }
    // All good: every line, and the sum of (1 + … + 7) × 36.0401 per 7 lines, exactly.
    let good = long_batch(2800, &[]);
    let out = run_in(None, &["estimate", "--batch", "-"], Some(&good));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let items = batch_items(&out);
    assert_eq!(items.len(), 2800);
    assert_long_batch_items(&items, false);
    // The total of the 2,800 lines is 400 × 28 × 36.0401 = 403,649.12: a budget just below it
    // fails the run (exit 3) with every line still written; at it, the run passes.
    let out = run_in(None, &["estimate", "--batch", "-", "--budget", "403649.11"], Some(&good));
    assert_eq!((out.code, batch_items(&out).len()), (3, 2800), "{}", out.stderr);
    one_stderr_line(&out, &["403,649.12", "403,649.11"]);
    let out = run_in(None, &["estimate", "--batch", "-", "--budget", "403649.12"], Some(&good));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn a_long_batch_keeps_going_past_bad_lines_in_any_chunk() {
    let bad = [(1, "nope"), (130, r#"{"vcpu": 1, "memory": 0}"#), (700, "{"), (1999, "[1]")];
    let out = run_in(None, &["estimate", "--batch", "-", "--keep-going"], Some(&long_batch(2000, &bad)));
    assert_eq!(out.code, 1, "{}", out.stderr);
    one_stderr_line(&out, &["4 line(s)", "the first: line 1"]);
    let items = batch_items(&out);
    assert_eq!(items.len(), 2000);
    for (at, _) in bad {
        assert_eq!(items[at - 1]["line"], at, "{}", items[at - 1]);
    }
    assert_long_batch_items(&items, true);
}

#[test]
fn a_long_batch_with_invalid_utf8_deep_inside_writes_the_lines_before_it() {
    let mut input = long_batch(1200, &[]).into_bytes();
    // Corrupt line 1000: find where it starts.
    let start = input.split(|&b| b == b'\n').take(999).map(|l| l.len() + 1).sum::<usize>();
    input[start + 10] = 0xff;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tasks.jsonl");
    std::fs::write(&path, &input).unwrap();
    let out = run(&["estimate", "--batch", &path.display().to_string()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let items = batch_items(&out);
    assert_eq!(items.len(), 999);
    assert_long_batch_items(&items, false);
    one_stderr_line(&out, &["line 1000", "UTF-8", "tasks.jsonl"]);
}

#[test]
fn batch_wrong_type_names_the_key() {
    for (line, key) in
        [(r#"{"vcpu": 1, "memory": 2, "count": "3"}"#, "count"), (r#"{"vcpu": "x", "memory": 2}"#, "vcpu")]
    {
        let out = run_in(None, &["estimate", "--batch", "-"], Some(&format!("{line}\n")));
        fails(&out, 1, &["line 1", key]);
    }
}

#[test]
fn batch_keep_going_puts_an_error_object_in_place() {
    let input = [
        r#"{"vcpu": 1, "memory": 2}"#,
        r#"{"vcpu": 1, "memory": 0}"#,
        "",
        r#"{"vcpu": 1, "memory": 2, "cpu": 1}"#,
        r#"{"vcpu": 1, "memory""#,
        r#"{"vcpu": 1, "memory": 2, "count": 2}"#,
    ]
    .join("\n");
    let out = run_in(None, &["estimate", "--batch", "-", "--keep-going"], Some(&input));
    assert_eq!(out.code, 1, "{out:?}");
    one_stderr_line(&out, &["3", "line 2"]);
    let items = batch_items(&out);
    assert_eq!(items.len(), 5, "{out:?}");
    assert_eq!(number(&items[0]["total"]), d("36.0401"));
    for (item, line, needle) in [(&items[1], 2, "`memory`"), (&items[2], 4, "`cpu`"), (&items[3], 5, "")] {
        let object = item.as_object().unwrap();
        assert_eq!(object.len(), 2, "{item}");
        assert_eq!(item["line"], line, "{item}");
        let error = item["error"].as_str().unwrap();
        assert!(!error.is_empty() && error.contains(needle) && !error.contains('\n'), "{item}");
    }
    // The rest is still priced: 2 × 36.0401.
    assert_eq!(items[4]["name"], "line 6");
    assert_eq!(number(&items[4]["total"]), d("72.0802"));
}

#[test]
fn batch_budget_on_the_total() {
    let input = "{\"vcpu\": 1, \"memory\": 2}\n{\"vcpu\": 1, \"memory\": 2}\n";
    // 2 × 36.0401 = 72.0802; above 72 by 0.0802 → $0.08.
    let out = run_in(None, &["estimate", "--batch", "-", "--budget", "72"], Some(input));
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(batch_items(&out).len(), 2, "every line is still printed");
    one_stderr_line(&out, &["$72.08", "$72.00", "$0.08"]);
    // Exactly at it: within.
    let out = run_in(None, &["estimate", "--batch", "-", "--budget", "72.0802"], Some(input));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    assert_eq!(batch_items(&out).len(), 2);
}

#[test]
fn batch_budget_on_a_line() {
    let input =
        "{\"vcpu\": 1, \"memory\": 2, \"budget\": 40}\n{\"vcpu\": 1, \"memory\": 2, \"budget\": 30}\n";
    // line 2: 36.0401 > 30 by 6.0401 → $6.04; line 1 is within its 40.
    let out = run_in(None, &["estimate", "--batch", "-"], Some(input));
    assert_eq!(out.code, 3, "{out:?}");
    let items = batch_items(&out);
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["budget"]["exceeded"], false);
    assert_eq!(number(&items[1]["budget"]["limit"]), n(30));
    assert_eq!(items[1]["budget"]["exceeded"], true);
    let line = one_stderr_line(&out, &["line 2", "$36.04", "$30.00", "$6.04"]);
    assert_eq!(line, "over budget: line 2 costs $36.04, over its budget of $30.00 by $6.04");
    // Exactly at its budget: within.
    let out = run_in(
        None,
        &["estimate", "--batch", "-"],
        Some("{\"vcpu\": 1, \"memory\": 2, \"budget\": \"36.0401\"}\n"),
    );
    assert_eq!(out.code, 0, "{out:?}");
}

#[test]
fn batch_usage_errors() {
    for format in ["table", "csv", "markdown"] {
        let out = run_in(
            None,
            &["estimate", "--batch", "-", "--format", format],
            Some("{\"vcpu\": 1, \"memory\": 2}\n"),
        );
        fails(&out, 2, &["--batch", "--format"]);
    }
    fails(&run_in(None, &["estimate", "--batch", "-", "--vcpu", "1"], Some("")), 2, &["--batch", "--vcpu"]);
}

#[test]
fn keep_going_without_batch_is_a_usage_error() {
    fails(
        &run(&["estimate", "--vcpu", "1", "--memory", "2", "--keep-going"]),
        2,
        &["--keep-going", "--batch"],
    );
}

#[test]
fn batch_round_up_flag_is_applied_or_refused() {
    let out =
        run_in(None, &["estimate", "--batch", "-", "--round-up"], Some("{\"vcpu\": 1, \"memory\": 3.5}\n"));
    if out.code == 2 {
        // Refused, like --vcpu with --batch.
        fails(&out, 2, &["--round-up"]);
    } else {
        // Or applied to every line: 1 / 3.5 billed as 1 / 4.
        assert_eq!(out.code, 0, "{out:?}");
        assert_eq!(number(&batch_items(&out)[0]["billed"]["memory_gb"]), n(4));
    }
}

// ---------------------------------------------------------------------------------------------
// The example's Markdown report
// ---------------------------------------------------------------------------------------------

#[test]
fn estimate_markdown_of_the_example_is_stable() {
    let out = run(&["estimate", "--workload", "examples/web-api/workload.toml", "--format", "markdown"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    // Checked by hand, line by line (display rounds half away from zero to cents):
    //   api vCPU 3 × 730 = 2,190 vCPU-hours × 0.03238 = 70.9122 → $70.91
    //   api memory 6 × 730 = 4,380 GB-hours × 0.00356 = 15.5928 → $15.59
    //   api data transfer 500 GB × 0.09 = $45.00; subtotal 131.505 → $131.51
    //   worker vCPU 2 × 0.5 × 730 = 730 × 0.01288871 = 9.4087583 → $9.41
    //   worker memory 2 × 730 = 1,460 × 0.00141527 = 2.0662942 → $2.07; subtotal 11.4750525 → $11.48
    //   nightly-report vCPU 4 × 22.5 = 90 × 0.04048 = 3.6432 → $3.64
    //   nightly-report memory 8 × 22.5 = 180 × 0.004445 = 0.8001 → $0.80
    //   nightly-report storage 80 × 22.5 = 1,800 × 0.000111 = 0.1998 → $0.20; subtotal 4.6431 → $4.64
    //   images 12 GB-months × 0.10 = $1.20
    //   total 148.8231525 → $148.82; budget 400 − 148.8231525 = 251.1768475 → $251.18 to spare
    // The rates' date is the oldest used: storage, 2022-11-21.
    let first = out.stdout.lines().next().unwrap();
    assert!(first.starts_with("**Estimated cost: $148.82**"), "{first}");
    for row in [
        "| api | vCPU | 2,190 | vCPU-hours | $0.03238 | $70.91 |",
        "| api | *subtotal* | | | | $131.51 |",
        "| worker | memory | 1,460 | GB-hours | $0.00141527 | $2.07 |",
        "| nightly-report | storage above 20 GB | 1,800 | GB-hours | $0.000111 | $0.20 |",
        "| images | ECR storage | 12 | GB-months | $0.10 | $1.20 |",
        "| **Total** | | | | | **$148.82** |",
    ] {
        assert!(out.stdout.lines().any(|l| l == row), "no row {row:?} in\n{}", out.stdout);
    }
    assert!(out.stdout.contains("budget $400.00: within budget, $251.18 to spare"), "{}", out.stdout);
    insta::assert_snapshot!("estimate_markdown_web_api", out.stdout);
}
