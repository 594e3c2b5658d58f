//! `--explain`: each line's formula with the table's amounts (a reviewed snapshot in `snapshots/`).

use crate::common::*;

#[test]
fn explain_gives_each_formula_with_the_tables_amounts() {
    // The spec's example with storage and data transfer: 5 tasks × 1 vCPU × 600 s × 30 runs.
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
        "--explain",
    ];
    let out = cost().args(args).assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    // 25 vCPU-h × 0.04048 = 1.012 → $1.01; 50 GB-h × 0.004445 = 0.22225 → $0.22;
    // 5 × 10 GB × 600 s × 30 / 3600 = 250 GB-h × 0.000111 = 0.02775 → $0.03; 100 GB × 0.09 = $9.00.
    for formula in [
        "vCPU: 5 tasks × 1 vCPU × 600 s × 30 runs × $0.04048/h ÷ 3600 = $1.01",
        "memory: 5 tasks × 2 GB × 600 s × 30 runs × $0.004445/h ÷ 3600 = $0.22",
        "storage above 20 GB: 5 tasks × 10 GB × 600 s × 30 runs × $0.000111/h ÷ 3600 = $0.03",
        "data transfer, first 10 TB: 100 GB × $0.09/GB = $9.00",
    ] {
        assert!(text.contains(formula), "missing `{formula}` in\n{text}");
    }
    let explained = &text[text.find("how each line is computed").unwrap()..];
    insta::assert_snapshot!("explain_spec_example", explained);
    // Every amount a formula ends with is one the table shows.
    let table = text.split("how each line is computed").next().unwrap();
    for line in text.lines().filter(|l| l.contains(" = $")) {
        let amount = line.rsplit(" = ").next().unwrap();
        assert!(table.contains(amount), "{amount} is not in the table");
    }
    // EC2 and the cluster fee: 4 × t3.medium; 730 h × $0.10 = $73.00.
    let out = cost()
        .args(["compare", "--vcpu", "0.5", "--memory", "1", "--count", "10", "--explain"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains(
            "EC2 instances: 4 instances (t3.medium) × 2,628,000 s × 1 run × $0.0416/h ÷ 3600 = $121.47"
        ),
        "{text}"
    );
    let out = cost()
        .args(["estimate", "--workload", &example("eks-platform/workload.toml"), "--explain"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("EKS cluster: 730 h × $0.10/h = $73.00"));
}
