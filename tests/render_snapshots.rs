//! Each renderer's output for one estimate, as reviewed snapshots: the spec's example (5 tasks of
//! 1 vCPU / 2 GB, 10-minute runs, 30 a month, in us-east-1) with 30 GB of storage and 100 GB out.
//! By hand: vCPU 25 h × 0.04048 = 1.012; memory 50 GB-h × 0.004445 = 0.22225; storage
//! 5 × 10 GB × 600 s × 30 / 3600 = 250 GB-h × 0.000111 = 0.02775; data transfer 100 × 0.09 = 9;
//! total 10.262 ($10.26).

mod common;

use common::*;

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
