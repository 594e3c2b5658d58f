//! Reviewed snapshots (insta, in `snapshots/` beside this file) of each renderer's output for one
//! estimate: the spec's example (5 tasks of 1 vCPU / 2 GB, 10-minute runs, 30 a month, in
//! us-east-1) with 30 GB of storage and 100 GB out. By hand: vCPU 25 h × 0.04048 = 1.012; memory
//! 50 GB-h × 0.004445 = 0.22225; storage 5 × 10 GB × 600 s × 30 / 3600 = 250 GB-h × 0.000111 =
//! 0.02775; data transfer 100 × 0.09 = 9; total 10.262 ($10.26). And the web-api example's
//! Markdown report, checked by hand line by line.
//!
//! Other snapshots: `diff` (the Markdown diff) and `explain` (the formulas).

use crate::common::gates::run;
use crate::common::*;

fn render(format: &str) -> String {
    let args = [
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
        "--ephemeral-storage",
        "30",
        "--data-transfer",
        "100",
        "--format",
        format,
    ];
    let out = cost().args(args).assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn table() {
    let text = render("table");
    assert!(text.contains("$10.26"));
    insta::assert_snapshot!(text);
}

#[test]
fn csv() {
    let text = render("csv");
    assert!(text.ends_with(",,,,total,,,,,10.262,USD\n"));
    insta::assert_snapshot!(text);
}

#[test]
fn markdown() {
    let text = render("markdown");
    assert!(text.starts_with("**Estimated cost: $10.26**"));
    insta::assert_snapshot!(text);
}

#[test]
fn json() {
    let text = render("json");
    assert!(text.contains("\"total\": 10.262"));
    insta::assert_snapshot!(text);
}

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
