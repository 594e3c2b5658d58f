//! `cost check WORKLOAD`: the budget gate on a workload file (or a plan), its verdict lines and
//! exit codes. Amounts are the web-api example's, priced by hand in `common::gates`.

use crate::common::gates::*;
use crate::common::{d, n, number};

use rust_decimal::Decimal;

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

#[test]
fn check_gates_describe_services_output() {
    // home-web and web: 2 tasks each of 0.25 vCPU / 1 GB, 4 × (0.25 × 730 × 0.04048 + 730 × 0.004445)
    // = 4 × 10.63245 = 42.5298; of $50: 85.0596% → 85.1%, 7.4702 → $7.47 to spare.
    let root = env!("CARGO_MANIFEST_DIR");
    let services = format!(
        "{root}/tests/data/real/services/cloud-custodian--cloud-custodian--two-fargate-services.json"
    );
    let folder = format!("{root}/tests/data/real/services/task-definitions");
    let gate = ["check", "--services", &services, "--task-definition", &folder];
    let out = run(&[&gate[..], &["--budget", "50"]].concat());
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(percent(d("42.5298"), n(50)).round_dp(1), d("85.1"));
    assert!(out.stdout.starts_with("within budget: $42.53 of $50.00 (85.1%), $7.47 to spare\n"), "{out:?}");
    let out = run(&[&gate[..], &["--budget", "40"]].concat());
    assert_eq!(out.code, 3, "{out:?}");
    // A service whose task definition was not given: the gate fails closed, unless told not to.
    let codedeploy = services.replace("two-fargate-services", "codedeploy-controller");
    let out = run(&["check", "--services", &codedeploy, "--task-definition", &folder, "--budget", "50"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stderr.contains("test-task-set-delete could not be priced"), "{out:?}");
    let out = run(&["check", "--services", &codedeploy, "--budget", "50", "--allow-unpriced"]);
    assert_eq!(out.code, 0, "{out:?}");
    // No budget to check.
    let out = run(&gate);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("has no budget to check: pass --budget USD"), "{out:?}");
}
