//! End-to-end tests of the ECS EC2 launch type (`cost estimate --launch-type ec2`, workload and
//! batch entries with `launch_type = "ec2"`) and of `cost compare`, plus a property test of the
//! packing in the library. Every expected value is worked out by hand in the comments from the
//! us-east-1 tables:
//!
//! EC2 (on-demand Linux, per instance-hour): t3.medium 2 vCPU / 4 GiB x86 0.0416; m5.large 2 / 8
//! x86 0.096; m5.xlarge 4 / 16 x86 0.192; c5.large 2 / 4 x86 0.085; c6g.large 2 / 4 arm64 0.068;
//! m6g.large 2 / 8 arm64 0.077; r5.large 2 / 16 x86 0.126.
//! Fargate: x86 0.04048 per vCPU-hour and 0.004445 per GB-hour; ARM 0.03238 and 0.00356.
//! Data transfer out: 0.09 per GB for the first 10 TB.
//!
//! Packing: tasks per instance k = min(floor(instance vCPU / task vCPU),
//! floor((instance GiB × 1024 − reserved MiB) / (task GB × 1024))), 512 MiB reserved by default;
//! instances = ceil(count / k).
mod common;

use common::*;

use cost::model::Size;
use cost::pricing::{pack, tasks_per_instance};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

/// Runs `cost` with `args` in the given format, expects exit 0, and returns stdout.
fn text(args: &[&str], format: &str) -> String {
    let out = cost().args(args).args(["--format", format]).assert().success().get_output().clone();
    String::from_utf8(out.stdout).unwrap()
}

/// `cost estimate --launch-type ec2 ARGS --format json`: the report.
fn ec2(args: &[&str]) -> Value {
    let mut all = vec!["estimate", "--launch-type", "ec2"];
    all.extend_from_slice(args);
    json(&all, None)
}

/// `cost estimate --launch-type ec2 ARGS` expected to fail with exit 1 and `needles`.
fn ec2_fails(args: &[&str], needles: &[&str]) {
    let mut all = vec!["estimate", "--launch-type", "ec2"];
    all.extend_from_slice(args);
    fails(&all, None, 1, needles);
}

/// The packing of the first item: (instance type, chosen, instances, tasks per instance).
fn placed(report: &Value) -> (String, String, u64, u64) {
    let p = &report["items"][0]["packing"];
    (
        p["instance_type"].as_str().unwrap().to_owned(),
        p["chosen"].as_str().unwrap().to_owned(),
        p["instances"].as_u64().unwrap(),
        p["tasks_per_instance"].as_u64().unwrap(),
    )
}

fn given(instance_type: &str, instances: u64, per_instance: u64) -> (String, String, u64, u64) {
    (instance_type.to_owned(), "given".to_owned(), instances, per_instance)
}

fn cheapest(instance_type: &str, instances: u64, per_instance: u64) -> (String, String, u64, u64) {
    (instance_type.to_owned(), "cheapest".to_owned(), instances, per_instance)
}

/// The first item's (CPU, memory) utilisation.
fn utilization(report: &Value) -> (Decimal, Decimal) {
    let p = &report["items"][0]["packing"];
    (number(&p["cpu_utilization"]), number(&p["memory_utilization"]))
}

/// The components of the first item's lines, in order.
fn components(report: &Value) -> Vec<String> {
    report["items"][0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["component"].as_str().unwrap().to_owned())
        .collect()
}

fn notes(report: &Value) -> Vec<String> {
    report["items"][0]["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_owned()).collect()
}

/// A copy of the us-east-1 table with `extra` appended (more instance types), in `dir`.
fn rates_with(dir: &tempfile::TempDir, extra: &str) -> String {
    let base =
        std::fs::read_to_string(format!("{}/pricing/us-east-1.toml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let path = dir.path().join("rates.toml");
    std::fs::write(&path, format!("{base}\n{extra}")).unwrap();
    path.display().to_string()
}

const MONTH: &str = "730";

// ---------------------------------------------------------------------------------------------
// 1. Packings worked by hand
// ---------------------------------------------------------------------------------------------

#[test]
fn a_cpu_bound_packing_on_m5_large() {
    // 1 vCPU / 1 GB on m5.large: by CPU 2 / 1 = 2; by memory (8192 − 512) / 1024 = 7.5 → 7; k = 2.
    // 5 tasks → ceil(5 / 2) = 3 instances; 3 × 730 h = 2190 instance-hours × 0.096 = 210.24.
    let report = ec2(&["--vcpu", "1", "--memory", "1", "--count", "5", "--instance-type", "m5.large"]);
    let item = &report["items"][0];
    assert_eq!(item["launch_type"], "ec2");
    assert_eq!(item["platform"], "ecs");
    assert_eq!(placed(&report), given("m5.large", 3, 2));
    assert_eq!(number(&item["packing"]["reserved_memory_mib"]), d("512"));
    // One line: the instances. No Fargate vCPU or memory lines.
    assert_eq!(components(&report), ["ec2_instance"]);
    let line = &item["lines"][0];
    assert_eq!(line["unit"], "instance-hours");
    assert_eq!(number(&line["quantity"]), d("3") * d(MONTH));
    assert_eq!(number(&line["quantity"]), d("2190"));
    assert_eq!(number(&line["rate"]), d("0.096"));
    assert_eq!(number(&line["cost"]), d("210.24"));
    assert_eq!(number(&item["total"]), d("210.24"));
    assert_eq!(number(&report["total"]), d("210.24"));
    // Utilisation: CPU 5 × 1 / (3 × 2) = 5/6; memory 5 × 1024 / (3 × 7680) = 5120 / 23040 = 2/9.
    assert_eq!(utilization(&report), (d("5") / d("6"), d("2") / d("9")));
    assert_eq!(item["billed"]["count"], 5);
    assert_eq!(number(&item["billed"]["seconds_per_run"]), d("2628000"));
}

#[test]
fn a_memory_bound_packing_on_m5_large() {
    // 0.25 vCPU / 3 GB (not a Fargate size; EC2 does not care): by CPU 2 / 0.25 = 8; by memory
    // (8192 − 512) / 3072 = 2.5 → 2; k = 2. 4 tasks → 2 instances: 2 × 730 × 0.096 = 140.16.
    let report = ec2(&["--vcpu", "0.25", "--memory", "3", "--count", "4", "--instance-type", "m5.large"]);
    assert_eq!(placed(&report), given("m5.large", 2, 2));
    assert_eq!(number(&report["total"]), d("2") * d(MONTH) * d("0.096"));
    assert_eq!(number(&report["total"]), d("140.16"));
    // CPU 4 × 0.25 / (2 × 2) = 0.25; memory 4 × 3072 / (2 × 7680) = 12288 / 15360 = 0.8.
    assert_eq!(utilization(&report), (d("0.25"), d("0.8")));
    // 5 tasks need a third instance: 3 × 730 × 0.096 = 210.24.
    let report = ec2(&["--vcpu", "0.25", "--memory", "3", "--count", "5", "--instance-type", "m5.large"]);
    assert_eq!(placed(&report), given("m5.large", 3, 2));
    assert_eq!(number(&report["total"]), d("210.24"));
}

#[test]
fn an_exact_fit_fills_both_limits() {
    // 0.5 vCPU / 1.875 GB (1920 MiB) on m5.large: by CPU 2 / 0.5 = 4; by memory 7680 / 1920 = 4
    // exactly; k = 4. 8 tasks fill 2 instances to the brim: utilisation exactly 1 and 1;
    // 2 × 730 × 0.096 = 140.16.
    let report = ec2(&["--vcpu", "0.5", "--memory", "1.875", "--count", "8", "--instance-type", "m5.large"]);
    assert_eq!(placed(&report), given("m5.large", 2, 4));
    assert_eq!(utilization(&report), (Decimal::ONE, Decimal::ONE));
    assert_eq!(number(&report["total"]), d("140.16"));
    // 9 tasks: 3 instances (210.24); CPU 9 × 0.5 / 6 = 0.75; memory 9 × 1920 / 23040 = 0.75.
    let report = ec2(&["--vcpu", "0.5", "--memory", "1.875", "--count", "9", "--instance-type", "m5.large"]);
    assert_eq!(placed(&report), given("m5.large", 3, 4));
    assert_eq!(utilization(&report), (d("0.75"), d("0.75")));
    assert_eq!(number(&report["total"]), d("210.24"));
    // One MiB-ish more per task breaks the memory fit: 1.876 GB = 1921.024 MiB; 7680 / 1921.024
    // = 3.99… → 3. 8 tasks → 3 instances.
    let report = ec2(&["--vcpu", "0.5", "--memory", "1.876", "--count", "8", "--instance-type", "m5.large"]);
    assert_eq!(placed(&report), given("m5.large", 3, 3));
    // The t3.medium exact fit: 1 vCPU / 1.75 GB (1792 MiB): 2 / 1 = 2; (4096 − 512) / 1792 = 2.
    let report = ec2(&["--vcpu", "1", "--memory", "1.75", "--count", "2", "--instance-type", "t3.medium"]);
    assert_eq!(placed(&report), given("t3.medium", 1, 2));
    assert_eq!(utilization(&report), (Decimal::ONE, Decimal::ONE));
    // 730 × 0.0416 = 30.368.
    assert_eq!(number(&report["total"]), d("30.368"));
}

#[test]
fn one_task_per_instance() {
    // 2 vCPU / 4 GB on m5.large: by CPU 2 / 2 = 1; by memory 7680 / 4096 = 1.875 → 1; k = 1.
    // 3 tasks → 3 instances: 3 × 730 × 0.096 = 210.24.
    let report = ec2(&["--vcpu", "2", "--memory", "4", "--count", "3", "--instance-type", "m5.large"]);
    assert_eq!(placed(&report), given("m5.large", 3, 1));
    assert_eq!(number(&report["total"]), d("210.24"));
    // CPU 3 × 2 / (3 × 2) = 1; memory 3 × 4096 / (3 × 7680) = 8/15.
    assert_eq!(utilization(&report), (Decimal::ONE, d("8") / d("15")));
    // 4 vCPU / 12 GB on m5.xlarge: 4 / 4 = 1; (16384 − 512) / 12288 = 1.29 → 1. 2 tasks:
    // 2 × 730 × 0.192 = 280.32.
    let report = ec2(&["--vcpu", "4", "--memory", "12", "--count", "2", "--instance-type", "m5.xlarge"]);
    assert_eq!(placed(&report), given("m5.xlarge", 2, 1));
    assert_eq!(number(&report["total"]), d("280.32"));
}

#[test]
fn a_task_that_does_not_fit_names_the_types_that_would() {
    // 4 vCPU on a 2-vCPU m5.large: by CPU 0. Of the x86 types only m5.xlarge (4 vCPU,
    // 16384 − 512 = 15872 MiB ≥ 8192) holds a task of 4 vCPU / 8 GB.
    ec2_fails(
        &["--vcpu", "4", "--memory", "8", "--instance-type", "m5.large"],
        &["does not fit on m5.large", "4 vCPU / 8 GB", "2 vCPU, 8 GiB, 512 MiB reserved", "m5.xlarge"],
    );
    // 8 GB = 8192 MiB on m5.large: 7680 MiB after the reservation, so it does not fit; m5.xlarge
    // and r5.large (both 15872 MiB usable) do.
    ec2_fails(
        &["--vcpu", "1", "--memory", "8", "--instance-type", "m5.large"],
        &["does not fit on m5.large", "x86_64 types that fit one task: m5.xlarge, r5.large"],
    );
}

#[test]
fn an_unknown_instance_type_lists_the_fitting_types() {
    // 1 vCPU / 2 GB fits every x86 type (the smallest, t3.medium and c5.large, have 2 vCPU and
    // 3584 MiB usable).
    ec2_fails(
        &["--vcpu", "1", "--memory", "2", "--instance-type", "m5.huge"],
        &[
            "`m5.huge`",
            "us-east-1",
            "x86_64 types that fit a task of 1 vCPU / 2 GB: c5.large, m5.large, m5.xlarge, r5.large, t3.medium",
        ],
    );
    // For an arm64 task the list is the Graviton types.
    ec2_fails(
        &["--vcpu", "1", "--memory", "2", "--arch", "arm64", "--instance-type", "x9.nano"],
        &["`x9.nano`", "arm64", "c6g.large, m6g.large"],
    );
    // 8 vCPU fits nothing in the catalogue.
    ec2_fails(&["--vcpu", "8", "--memory", "2", "--instance-type", "m5.huge"], &["`m5.huge`", "none"]);
}

#[test]
fn an_arch_mismatch_is_refused_with_the_right_types() {
    ec2_fails(
        &["--vcpu", "1", "--memory", "2", "--arch", "arm64", "--instance-type", "m5.large"],
        &["m5.large is x86_64", "task is arm64", "c6g.large, m6g.large"],
    );
    ec2_fails(
        &["--vcpu", "1", "--memory", "2", "--instance-type", "c6g.large"],
        &["c6g.large is arm64", "task is x86_64", "c5.large, m5.large, m5.xlarge, r5.large, t3.medium"],
    );
}

#[test]
fn the_reserved_memory_changes_the_packing() {
    // 0.25 vCPU / 2 GB × 12 on m5.large; by CPU 2 / 0.25 = 8 either way.
    // Default 512 MiB: 7680 / 2048 = 3.75 → 3; 4 instances: 4 × 730 × 0.096 = 280.32.
    let args = ["--vcpu", "0.25", "--memory", "2", "--count", "12", "--instance-type", "m5.large"];
    let report = ec2(&args);
    assert_eq!(placed(&report), given("m5.large", 4, 3));
    assert_eq!(number(&report["total"]), d("280.32"));
    assert!(notes(&report).iter().any(|n| n.contains("512 MiB")), "{:?}", notes(&report));
    // --reserved-memory 0: 8192 / 2048 = 4; 3 instances: 210.24. Memory is then full:
    // 12 × 2048 / (3 × 8192) = 1.
    let mut zero = args.to_vec();
    zero.extend(["--reserved-memory", "0"]);
    let report = ec2(&zero);
    assert_eq!(placed(&report), given("m5.large", 3, 4));
    assert_eq!(number(&report["items"][0]["packing"]["reserved_memory_mib"]), Decimal::ZERO);
    assert_eq!(utilization(&report), (d("0.5"), Decimal::ONE));
    assert_eq!(number(&report["total"]), d("210.24"));
    // --reserved-memory 4096: (8192 − 4096) / 2048 = 2; 6 instances: 6 × 730 × 0.096 = 420.48.
    let mut large = args.to_vec();
    large.extend(["--reserved-memory", "4096"]);
    let report = ec2(&large);
    assert_eq!(placed(&report), given("m5.large", 6, 2));
    assert_eq!(number(&report["items"][0]["packing"]["reserved_memory_mib"]), d("4096"));
    assert_eq!(number(&report["total"]), d("420.48"));
    assert!(notes(&report).iter().any(|n| n.contains("4096 MiB")), "{:?}", notes(&report));
    // --reserved-memory 7681 leaves 511 MiB on m5.large: no 2 GB task fits; m5.xlarge and
    // r5.large keep 16384 − 7681 = 8703 MiB and do.
    let mut too_much = args.to_vec();
    too_much.extend(["--reserved-memory", "7681"]);
    ec2_fails(&too_much, &["does not fit on m5.large", "7681 MiB reserved", "m5.xlarge, r5.large"]);
    // A negative reservation is a usage error.
    fails(
        &["estimate", "--launch-type", "ec2", "--vcpu", "1", "--memory", "2", "--reserved-memory", "-1"],
        None,
        2,
        &["--reserved-memory"],
    );
}

#[test]
fn a_fixed_fleet_is_priced_as_given_or_refused_with_its_capacity() {
    // 1 vCPU / 1 GB × 5 on m5.large holds 2 per instance.
    // --instances 4: capacity 8 ≥ 5, cost 4 × 730 × 0.096 = 280.32; CPU 5 / (4 × 2) = 0.625;
    // memory 5 × 1024 / (4 × 7680) = 1/6.
    let base = ["--vcpu", "1", "--memory", "1", "--count", "5", "--instance-type", "m5.large"];
    let mut four = base.to_vec();
    four.extend(["--instances", "4"]);
    let report = ec2(&four);
    assert_eq!(placed(&report), given("m5.large", 4, 2));
    assert_eq!(utilization(&report), (d("0.625"), d("1") / d("6")));
    assert_eq!(number(&report["total"]), d("280.32"));
    // --instances 3: exactly the packed fleet (210.24).
    let mut three = base.to_vec();
    three.extend(["--instances", "3"]);
    assert_eq!(number(&ec2(&three)["total"]), d("210.24"));
    // --instances 2 holds at most 4 tasks.
    let mut two = base.to_vec();
    two.extend(["--instances", "2"]);
    ec2_fails(&two, &["2 x m5.large hold at most 4 tasks (2 each), not 5"]);
    // --instances 0 is a usage error.
    let mut none = base.to_vec();
    none.extend(["--instances", "0"]);
    let mut args = vec!["estimate", "--launch-type", "ec2"];
    args.extend(none);
    fails(&args, None, 2, &["--instances"]);
}

#[test]
fn a_fixed_fleet_without_a_type_takes_the_cheapest_that_holds_the_tasks() {
    // 1 vCPU / 1 GB × 5 on 3 instances: t3.medium holds min(2, 3584 / 1024 = 3) = 2 each → 6 ≥ 5,
    // 3 × 0.0416 = 0.1248 an hour (c5.large 0.255, m5.large 0.288, r5.large 0.378,
    // m5.xlarge 0.576): 730 × 0.1248 = 91.104.
    let report = ec2(&["--vcpu", "1", "--memory", "1", "--count", "5", "--instances", "3"]);
    assert_eq!(placed(&report), cheapest("t3.medium", 3, 2));
    assert_eq!(number(&report["total"]), d("91.104"));
    // On 2 instances only m5.xlarge (4 each, 8 ≥ 5) holds them: 2 × 730 × 0.192 = 280.32.
    let report = ec2(&["--vcpu", "1", "--memory", "1", "--count", "5", "--instances", "2"]);
    assert_eq!(placed(&report), cheapest("m5.xlarge", 2, 4));
    assert_eq!(number(&report["total"]), d("280.32"));
    // On 1 instance nothing holds 5 (m5.xlarge, the roomiest, holds 4).
    ec2_fails(
        &["--vcpu", "1", "--memory", "1", "--count", "5", "--instances", "1"],
        &["do not fit on 1 instance(s)", "x86_64"],
    );
}

#[test]
fn a_fixed_fleet_too_small_for_every_type_names_the_best_capacity() {
    ec2_fails(
        &["--vcpu", "1", "--memory", "1", "--count", "5", "--instances", "1"],
        &["m5.xlarge", "at most 4"],
    );
}

#[test]
fn a_tiny_task_fits_rather_than_being_refused() {
    // 2 / 1e-20 = 2e20 tasks by CPU, more than u64 holds: any count fits on one instance;
    // 730 × 0.096 = 70.08.
    let tiny = "0.00000000000000000001";
    let report = ec2(&["--vcpu", tiny, "--memory", tiny, "--instance-type", "m5.large"]);
    assert_eq!(placed(&report).2, 1);
    assert_eq!(number(&report["total"]), d("70.08"));
}

// ---------------------------------------------------------------------------------------------
// 2. The automatic choice
// ---------------------------------------------------------------------------------------------

#[test]
fn t3_medium_is_cheapest_for_small_tasks() {
    // 1 vCPU / 2 GB × 5, an hour of each fleet:
    //   t3.medium k = min(2, 3584 / 2048 = 1) = 1 → 5 × 0.0416 = 0.208
    //   c5.large  k = 1 → 5 × 0.085 = 0.425
    //   m5.large  k = min(2, 7680 / 2048 = 3) = 2 → 3 × 0.096 = 0.288
    //   m5.xlarge k = min(4, 15872 / 2048 = 7) = 4 → 2 × 0.192 = 0.384
    //   r5.large  k = min(2, 7) = 2 → 3 × 0.126 = 0.378
    // t3.medium: 730 × 0.208 = 151.84.
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--count", "5"]);
    assert_eq!(placed(&report), cheapest("t3.medium", 5, 1));
    assert_eq!(number(&report["total"]), d("151.84"));
    let notes = notes(&report);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("t3.medium is the cheapest catalogued x86_64 type that holds the tasks")),
        "{notes:?}"
    );
    // A named type is `given` and has no such note.
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--count", "5", "--instance-type", "t3.medium"]);
    assert_eq!(placed(&report), given("t3.medium", 5, 1));
    assert!(!report["items"][0]["notes"].to_string().contains("cheapest"));
}

#[test]
fn m5_large_is_cheapest_when_t3_medium_is_too_small() {
    // 2 vCPU / 4 GB × 3: 4096 MiB > 3584, so neither t3.medium nor c5.large holds one.
    //   m5.large  k = min(1, 7680 / 4096 = 1) = 1 → 3 × 0.096 = 0.288
    //   m5.xlarge k = min(2, 15872 / 4096 = 3) = 2 → 2 × 0.192 = 0.384
    //   r5.large  k = min(1, 3) = 1 → 3 × 0.126 = 0.378
    // m5.large: 730 × 0.288 = 210.24.
    let report = ec2(&["--vcpu", "2", "--memory", "4", "--count", "3"]);
    assert_eq!(placed(&report), cheapest("m5.large", 3, 1));
    assert_eq!(number(&report["total"]), d("210.24"));
    // 4 of them: m5.large 4 × 0.096 = 0.384 = m5.xlarge 2 × 0.192; the tie goes to fewer
    // instances: 2 × m5.xlarge, 730 × 0.384 = 280.32.
    let report = ec2(&["--vcpu", "2", "--memory", "4", "--count", "4"]);
    assert_eq!(placed(&report), cheapest("m5.xlarge", 2, 2));
    assert_eq!(number(&report["total"]), d("280.32"));
}

#[test]
fn r5_large_is_cheapest_for_memory_heavy_tasks() {
    // 0.5 vCPU / 4 GB × 3 (t3.medium and c5.large cannot hold 4096 MiB):
    //   m5.large  k = min(4, 7680 / 4096 = 1) = 1 → 3 × 0.096 = 0.288
    //   m5.xlarge k = min(8, 15872 / 4096 = 3) = 3 → 0.192
    //   r5.large  k = min(4, 3) = 3 → 0.126
    // r5.large: 730 × 0.126 = 91.98. One task alone goes on m5.large (0.096 < 0.126): 70.08.
    let report = ec2(&["--vcpu", "0.5", "--memory", "4", "--count", "3"]);
    assert_eq!(placed(&report), cheapest("r5.large", 1, 3));
    assert_eq!(number(&report["total"]), d("91.98"));
    let report = ec2(&["--vcpu", "0.5", "--memory", "4"]);
    assert_eq!(placed(&report), cheapest("m5.large", 1, 1));
    assert_eq!(number(&report["total"]), d("70.08"));
}

#[test]
fn arm64_tasks_go_on_the_cheapest_graviton_type() {
    // 1 vCPU / 2 GB arm64: c6g.large k = min(2, 3584 / 2048 = 1) = 1; m6g.large k = min(2, 3) = 2.
    // One task: c6g.large 0.068 < m6g.large 0.077 → 730 × 0.068 = 49.64.
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--arch", "arm64"]);
    assert_eq!(placed(&report), cheapest("c6g.large", 1, 1));
    assert_eq!(number(&report["total"]), d("49.64"));
    let notes = notes(&report);
    assert!(notes.iter().any(|n| n.contains("c6g.large is the cheapest catalogued arm64 type")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("Graviton")), "{notes:?}");
    assert_eq!(report["items"][0]["billed"]["arch"], "arm64");
    // Two tasks: c6g.large 2 × 0.068 = 0.136 > m6g.large 1 × 0.077 → 730 × 0.077 = 56.21.
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--arch", "arm64", "--count", "2"]);
    assert_eq!(placed(&report), cheapest("m6g.large", 1, 2));
    assert_eq!(number(&report["total"]), d("56.21"));
    // Nothing arm64 holds 4 vCPU.
    ec2_fails(
        &["--vcpu", "4", "--memory", "2", "--arch", "arm64"],
        &["no catalogued arm64 instance type in us-east-1 holds a task of 4 vCPU / 2 GB"],
    );
}

#[test]
fn equal_price_and_fleet_ties_go_to_the_first_name() {
    // A table with a3.medium, a twin of t3.medium: for 1 vCPU / 2 GB × 5 both cost 5 × 0.0416 an
    // hour on 5 instances; the name decides: a3.medium, 730 × 0.208 = 151.84.
    let dir = tempfile::tempdir().unwrap();
    let rates = rates_with(
        &dir,
        "[ec2.instances.\"a3.medium\"]\nvcpu = 2\nmemory_gib = \"4\"\narch = \"x86_64\"\nhourly = \"0.0416\"\n",
    );
    let report = ec2(&["--rates", &rates, "--vcpu", "1", "--memory", "2", "--count", "5"]);
    assert_eq!(placed(&report), cheapest("a3.medium", 5, 1));
    assert_eq!(number(&report["total"]), d("151.84"));
}

// ---------------------------------------------------------------------------------------------
// 3. Time and data transfer
// ---------------------------------------------------------------------------------------------

#[test]
fn runs_are_billed_per_second_with_a_minute_minimum() {
    let base = ["--vcpu", "1", "--memory", "1", "--count", "5", "--instance-type", "m5.large"];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        ec2(&args)
    };
    // 30 s bills 60 s; 10 runs × 60 s = 600 s per instance; 3 instances → 1800 s = 0.5
    // instance-hours × 0.096 = 0.048.
    let report = with(&["--minutes", "0.5", "--runs", "10"]);
    let line = &report["items"][0]["lines"][0];
    assert_eq!(number(&line["quantity"]), d("0.5"));
    assert_eq!(number(&line["cost"]), d("0.048"));
    assert_eq!(number(&report["items"][0]["billed"]["seconds_per_run"]), d("60"));
    assert_eq!(report["items"][0]["billed"]["runs"], 10);
    // 10 min × 30 runs = 5 h per instance; × 3 = 15 instance-hours × 0.096 = 1.44.
    let report = with(&["--minutes", "10", "--runs", "30"]);
    assert_eq!(number(&report["items"][0]["lines"][0]["quantity"]), d("15"));
    assert_eq!(number(&report["total"]), d("1.44"));
    // --hours 10: 3 × 10 × 0.096 = 2.88.
    assert_eq!(number(&with(&["--hours", "10"])["total"]), d("2.88"));
    // 1.001 min = 60.06 s bills 61 s; 3600 runs = 61 h on one t3.medium × 0.0416 = 2.5376.
    let report = ec2(&[
        "--vcpu",
        "1",
        "--memory",
        "1",
        "--instance-type",
        "t3.medium",
        "--minutes",
        "1.001",
        "--runs",
        "3600",
    ]);
    assert_eq!(number(&report["items"][0]["billed"]["seconds_per_run"]), d("61"));
    assert_eq!(number(&report["items"][0]["lines"][0]["quantity"]), d("61"));
    assert_eq!(number(&report["total"]), d("2.5376"));
}

#[test]
fn data_transfer_lines_stay_on_ec2() {
    // 1 vCPU / 2 GB on one t3.medium (30.368) + 500 GB × 0.09 = 45 → 75.368.
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--data-transfer", "500"]);
    assert_eq!(components(&report), ["ec2_instance", "data_transfer"]);
    let transfer = &report["items"][0]["lines"][1];
    assert_eq!((number(&transfer["quantity"]), number(&transfer["cost"])), (d("500"), d("45")));
    assert_eq!(number(&report["total"]), d("30.368") + d("45"));
    // With the free allowance: 100 GB at 0, 400 × 0.09 = 36 → 66.368.
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--data-transfer", "500", "--free-data-transfer"]);
    assert_eq!(components(&report), ["ec2_instance", "data_transfer", "data_transfer"]);
    assert_eq!(number(&report["total"]), d("66.368"));
}

#[test]
fn data_transfer_on_ec2_says_whether_the_free_allowance_applies() {
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--data-transfer", "500"]);
    let notes = notes(&report);
    assert!(notes.iter().any(|n| n.contains("free allowance") && n.contains("not applied")), "{notes:?}");
}

#[test]
fn the_table_shows_the_fleet() {
    // 1 vCPU / 1 GB × 5 on 3 m5.large: CPU 5/6 = 83.3%, memory 2/9 = 22.2%; 2190 instance-hours.
    let out = text(
        &[
            "estimate",
            "--launch-type",
            "ec2",
            "--vcpu",
            "1",
            "--memory",
            "1",
            "--count",
            "5",
            "--instance-type",
            "m5.large",
        ],
        "table",
    );
    for needle in ["ECS on EC2", "3 x m5.large", "2 tasks per instance", "83.3%", "22.2%", "2,190", "$210.24"]
    {
        assert!(out.contains(needle), "{out} lacks {needle:?}");
    }
}

#[test]
fn one_task_per_instance_reads_in_the_singular() {
    let out = text(&["estimate", "--launch-type", "ec2", "--vcpu", "1", "--memory", "2"], "table");
    assert!(out.contains("1 task per instance"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// 4. Refusals
// ---------------------------------------------------------------------------------------------

#[test]
fn what_ec2_cannot_price_is_refused_with_one_line() {
    ec2_fails(&["--vcpu", "1", "--memory", "2", "--os", "windows"], &["Linux prices only", "Windows"]);
    ec2_fails(&["--vcpu", "1", "--memory", "2", "--spot"], &["--spot", "EC2 Spot"]);
    ec2_fails(&["--vcpu", "1", "--memory", "2", "--platform", "eks"], &["EKS", "EC2 launch type is for ECS"]);
    // eu-west-1 ships no EC2 catalogue.
    ec2_fails(
        &["--vcpu", "1", "--memory", "2", "--region", "eu-west-1"],
        &["eu-west-1", "EC2 instance catalogue", "[ec2]", "--rates FILE"],
    );
}

#[test]
fn ec2_placement_flags_need_the_ec2_launch_type() {
    for (flag, value, key) in
        [("--instance-type", "m5.large", "`instance_type`"), ("--instances", "2", "`instances`")]
    {
        // The default launch type is Fargate.
        fails(
            &["estimate", "--vcpu", "1", "--memory", "2", flag, value],
            None,
            1,
            &[key, "EC2 launch type only"],
        );
        fails(
            &["estimate", "--launch-type", "fargate", "--vcpu", "1", "--memory", "2", flag, value],
            None,
            1,
            &[key, "EC2 launch type only"],
        );
    }
    // An unknown launch type is a usage error.
    fails(&["estimate", "--launch-type", "ec3", "--vcpu", "1", "--memory", "2"], None, 2, &["ec3"]);
}

// ---------------------------------------------------------------------------------------------
// 5. Workloads, batch lines and task definitions
// ---------------------------------------------------------------------------------------------

const EC2_DEFINITION: &str =
    r#"{"family": "ec2-only", "cpu": "1024", "memory": "1536", "requiresCompatibilities": ["EC2"]}"#;
const FARGATE_DEFINITION: &str =
    r#"{"family": "fargate-only", "cpu": "1024", "memory": "1536", "requiresCompatibilities": ["FARGATE"]}"#;

#[test]
fn a_workload_mixes_fargate_and_ec2_services() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ec2.json"), EC2_DEFINITION).unwrap();
    let path = dir.path().join("w.toml");
    std::fs::write(
        &path,
        r#"region = "us-east-1"

[[service]]
name = "web"
vcpu = 0.5
memory = 1
count = 2
hours = 100

[[service]]
name = "batch"
launch_type = "ec2"
instance_type = "m5.large"
vcpu = 1
memory = 1
count = 5
hours = 100

[[service]]
name = "cheap"
launch_type = "ec2"
vcpu = 1
memory = 2
count = 5
hours = 10

[[service]]
name = "fixed"
launch_type = "ec2"
instance_type = "m5.large"
instances = 4
vcpu = 1
memory = 1
count = 5
hours = 10

[[service]]
name = "defined"
launch_type = "ec2"
task_definition = "ec2.json"
count = 4
hours = 10
"#,
    )
    .unwrap();
    // web (Fargate): 2 × 0.5 × 100 × 0.04048 = 4.048; 2 × 1 × 100 × 0.004445 = 0.889 → 4.937.
    // batch: 1 / 1 on m5.large, k = 2, 3 instances × 100 h × 0.096 = 28.8.
    // cheap: 1 / 2 × 5 → 5 × t3.medium (see t3_medium_is_cheapest…) × 10 h × 0.0416 = 2.08.
    // fixed: 4 × m5.large × 10 h × 0.096 = 3.84.
    // defined: 1 vCPU / 1.5 GB (1536 MiB) × 4, not a Fargate size; t3.medium k = min(2, 3584 / 1536
    //   = 2.33 → 2) = 2 → 2 × 0.0416 = 0.0832 an hour (c5.large 0.17, m5.large k 2 → 0.192,
    //   m5.xlarge k 4 → 0.192, r5.large 0.252); 10 h → 0.832.
    let report = json(&["estimate", "--workload", &path.display().to_string()], None);
    let items = report["items"].as_array().unwrap();
    let got: Vec<(&str, &str, Decimal)> = items
        .iter()
        .map(|i| (i["name"].as_str().unwrap(), i["launch_type"].as_str().unwrap(), number(&i["total"])))
        .collect();
    assert_eq!(
        got,
        [
            ("web", "fargate", d("4.937")),
            ("batch", "ec2", d("28.8")),
            ("cheap", "ec2", d("2.08")),
            ("fixed", "ec2", d("3.84")),
            ("defined", "ec2", d("0.832")),
        ]
    );
    assert_eq!(number(&report["total"]), d("4.937") + d("28.8") + d("2.08") + d("3.84") + d("0.832"));
    assert!(items[0].get("packing").is_none() || items[0]["packing"].is_null());
    assert_eq!(items[1]["packing"]["chosen"], "given");
    assert_eq!(items[2]["packing"]["instance_type"], "t3.medium");
    assert_eq!(items[2]["packing"]["chosen"], "cheapest");
    assert_eq!(items[3]["packing"]["instances"], 4);
    assert_eq!(items[4]["packing"]["instances"], 2);
    assert_eq!(items[4]["packing"]["tasks_per_instance"], 2);
    assert_eq!(number(&items[4]["billed"]["memory_gb"]), d("1.5"));
}

#[test]
fn workload_ec2_mistakes_name_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fargate.json"), FARGATE_DEFINITION).unwrap();
    let path = dir.path().join("w.toml");
    let cases: &[(&str, &[&str])] = &[
        (
            "[[service]]\nname = \"api\"\nvcpu = 1\nmemory = 2\ninstance_type = \"m5.large\"\n",
            &["w.toml", "\"api\"", "`instance_type`", "EC2 launch type only"],
        ),
        (
            "[[service]]\nname = \"api\"\nlaunch_type = \"ec3\"\nvcpu = 1\nmemory = 2\n",
            &["w.toml", "launch_type"],
        ),
    ];
    for (workload, needles) in cases {
        std::fs::write(&path, workload).unwrap();
        fails(&["estimate", "--workload", &path.display().to_string()], None, 1, needles);
    }
    // Read, but not priceable from the table: an instance type it does not have, a region with no
    // EC2 prices. Listed as unpriced with the reason; the run goes on.
    let cases: &[(&str, &[&str])] = &[
        (
            "[[service]]\nname = \"api\"\nlaunch_type = \"ec2\"\nvcpu = 1\nmemory = 2\ninstance_type = \"m5.huge\"\n",
            &["`m5.huge`"],
        ),
        (
            "region = \"eu-west-1\"\n[[service]]\nname = \"api\"\nlaunch_type = \"ec2\"\nvcpu = 1\nmemory = 2\n",
            &["[ec2]"],
        ),
    ];
    for (workload, needles) in cases {
        std::fs::write(&path, workload).unwrap();
        let (report, warning) = unpriced(&["estimate", "--workload", &path.display().to_string()], None);
        assert_eq!(report["unpriced"][0]["name"], "api", "{report}");
        for needle in *needles {
            assert!(report["unpriced"][0]["reason"].as_str().unwrap().contains(needle), "{report}");
            assert!(warning.contains(needle), "{warning}");
        }
    }
}

#[test]
fn task_definitions_are_held_to_their_compatibilities() {
    // Registered for EC2: priced on EC2 (1 vCPU / 1.5 GB × 4 → 2 × t3.medium × 730 × 0.0416 = 60.736).
    let report = json(
        &["estimate", "--launch-type", "ec2", "--task-definition", "-", "--count", "4"],
        Some(EC2_DEFINITION),
    );
    assert_eq!(report["items"][0]["name"], "ec2-only");
    assert_eq!(placed(&report), cheapest("t3.medium", 2, 2));
    assert_eq!(number(&report["total"]), d("60.736"));
    // Registered for Fargate only: ECS validates every definition for EC2 too (describe output
    // lists `"compatibilities": ["EC2", "FARGATE"]`), so EC2 prices it: 1 vCPU / 1.5 GB alone →
    // one t3.medium, 730 × 0.0416 = 30.368.
    let report =
        json(&["estimate", "--launch-type", "ec2", "--task-definition", "-"], Some(FARGATE_DEFINITION));
    assert_eq!(report["items"][0]["name"], "fargate-only");
    assert_eq!(number(&report["total"]), d("30.368"));
    // Registered for EC2 only: refused on Fargate, naming the definition and what it must include.
    fails(
        &["estimate", "--launch-type", "fargate", "--task-definition", "-"],
        Some(EC2_DEFINITION),
        1,
        &["task definition on standard input", "cannot run on Fargate", "\"FARGATE\""],
    );
    // Registered for both: EC2 prices it.
    let both = r#"{"cpu": "1024", "memory": "2048", "requiresCompatibilities": ["EC2", "FARGATE"]}"#;
    let report = json(&["estimate", "--launch-type", "ec2", "--task-definition", "-"], Some(both));
    // 1 vCPU / 2 GB alone → one t3.medium: 30.368.
    assert_eq!(number(&report["total"]), d("30.368"));
}

#[test]
fn batch_lines_can_run_on_ec2() {
    let lines = concat!(
        r#"{"name": "b", "launch_type": "ec2", "instance_type": "m5.large", "vcpu": 1, "memory": 1, "count": 5, "hours": 100}"#,
        "\n",
        r#"{"name": "f", "vcpu": 0.5, "memory": 1, "count": 2, "hours": 100}"#,
        "\n",
        r#"{"name": "a", "launch_type": "ec2", "arch": "arm64", "vcpu": 1, "memory": 2, "count": 2, "hours": 10}"#,
        "\n",
    );
    let out =
        cost().args(["estimate", "--batch", "-"]).write_stdin(lines).assert().success().get_output().clone();
    let items: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(items.len(), 3);
    // b: 3 × m5.large × 100 h × 0.096 = 28.8.
    assert_eq!(items[0]["launch_type"], "ec2");
    assert_eq!(items[0]["packing"]["instances"], 3);
    assert_eq!(number(&items[0]["total"]), d("28.8"));
    // f: Fargate 4.937.
    assert_eq!(items[1]["launch_type"], "fargate");
    assert_eq!(number(&items[1]["total"]), d("4.937"));
    // a: 2 arm64 1 / 2 tasks → 1 × m6g.large × 10 h × 0.077 = 0.77.
    assert_eq!(items[2]["packing"]["instance_type"], "m6g.large");
    assert_eq!(number(&items[2]["total"]), d("0.77"));
    // An EC2 key on a Fargate line is an error naming the line and the key.
    let out = cost()
        .args(["estimate", "--batch", "-", "--keep-going"])
        .write_stdin("{\"name\": \"x\", \"instance_type\": \"m5.large\", \"vcpu\": 1, \"memory\": 2}\n")
        .assert()
        .code(1)
        .get_output()
        .clone();
    let error: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["line"], 1);
    assert!(error["error"].as_str().unwrap().contains("`instance_type`"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// 6. cost compare
// ---------------------------------------------------------------------------------------------

/// `cost compare ARGS --format json`.
fn compare(args: &[&str]) -> Value {
    let mut all = vec!["compare"];
    all.extend_from_slice(args);
    json(&all, None)
}

/// A break-even entry: (item, per task, per instance, k, utilization, task count).
type Point = (String, Decimal, Decimal, u64, Decimal, Option<u64>);

fn point(b: &Value) -> Point {
    (
        b["item"].as_str().unwrap().to_owned(),
        number(&b["fargate_per_task"]),
        number(&b["ec2_per_instance"]),
        b["tasks_per_instance"].as_u64().unwrap(),
        number(&b["utilization"]),
        b["task_count"].as_u64(),
    )
}

/// The single break-even entry.
fn break_even(c: &Value) -> Point {
    let points = c["break_even"].as_array().unwrap();
    assert_eq!(points.len(), 1, "{points:?}");
    point(&points[0])
}

const EC2_WINS: [&str; 8] = ["--vcpu", "0.5", "--memory", "1", "--count", "8", "--hours", "100"];

#[test]
fn compare_when_ec2_is_cheaper() {
    // 0.5 vCPU / 1 GB × 8 for 100 h.
    // Fargate: a task is 100 × (0.5 × 0.04048 + 1 × 0.004445) = 100 × 0.024685 = 2.4685; 8 → 19.748.
    // EC2: t3.medium k = min(4, 3584 / 1024 = 3) = 3 → 3 × 0.0416 = 0.1248 an hour (c5.large
    //   3 × 0.085, m5.large k 4 → 2 × 0.096 = 0.192, m5.xlarge k 8 → 0.192, r5.large 2 × 0.126);
    //   100 h → 12.48; one instance 4.16.
    // EC2 cheaper by 19.748 − 12.48 = 7.268.
    // Break-even: 4.16 / (3 × 2.4685) = 4.16 / 7.4055 ≈ 0.5617; from ceil(4.16 / 2.4685 = 1.69) = 2 tasks.
    let c = compare(&EC2_WINS);
    assert_eq!(c["schema_version"], 1);
    assert_eq!(c["currency"], "USD");
    assert_eq!(c["fargate"]["items"][0]["launch_type"], "fargate");
    assert_eq!(c["ec2"]["items"][0]["launch_type"], "ec2");
    assert_eq!(number(&c["fargate"]["total"]), d("19.748"));
    assert_eq!(number(&c["ec2"]["total"]), d("12.48"));
    assert_eq!(c["ec2"]["items"][0]["packing"]["instance_type"], "t3.medium");
    assert_eq!(c["ec2"]["items"][0]["packing"]["instances"], 3);
    assert_eq!(c["cheaper"], "ec2");
    assert_eq!(number(&c["difference"]), d("7.268"));
    let utilization = d("4.16") / (d("3") * d("2.4685"));
    assert!(utilization > d("0.5617") && utilization < d("0.5618"));
    assert_eq!(
        break_even(&c),
        ("task".to_owned(), d("2.4685"), d("4.16"), 3, utilization.normalize(), Some(2))
    );
}

#[test]
fn compare_leaves_data_transfer_out_of_the_break_even() {
    // As above with 100 GB out on both sides (100 × 0.09 = 9): totals 28.748 and 21.48; the
    // difference and the break-even are unchanged.
    let mut args = EC2_WINS.to_vec();
    args.extend(["--data-transfer", "100"]);
    let c = compare(&args);
    assert_eq!(number(&c["fargate"]["total"]), d("28.748"));
    assert_eq!(number(&c["ec2"]["total"]), d("21.48"));
    assert_eq!(number(&c["difference"]), d("7.268"));
    assert_eq!(break_even(&c), break_even(&compare(&EC2_WINS)));
}

#[test]
fn compare_when_fargate_is_cheaper_below_the_break_even_count() {
    // 0.25 vCPU / 0.5 GB on t3.medium for 100 h. A task on Fargate: 100 × (0.25 × 0.04048 +
    // 0.5 × 0.004445) = 100 × 0.0123425 = 1.23425. t3.medium holds min(8, 3584 / 512 = 7) = 7
    // and costs 100 × 0.0416 = 4.16. Break-even: 4.16 / (7 × 1.23425) = 4.16 / 8.63975 ≈ 0.4815,
    // from ceil(4.16 / 1.23425 = 3.37) = 4 tasks.
    let at = |count: &str| {
        let c = compare(&[
            "--vcpu",
            "0.25",
            "--memory",
            "0.5",
            "--count",
            count,
            "--hours",
            "100",
            "--instance-type",
            "t3.medium",
        ]);
        let utilization = d("4.16") / (d("7") * d("1.23425"));
        assert!(utilization > d("0.4814") && utilization < d("0.4815"));
        assert_eq!(
            break_even(&c),
            ("task".to_owned(), d("1.23425"), d("4.16"), 7, utilization.normalize(), Some(4))
        );
        c
    };
    // 2 tasks: Fargate 2.4685 < 4.16 → Fargate cheaper by 1.6915.
    let c = at("2");
    assert_eq!(c["cheaper"], "fargate");
    assert_eq!(number(&c["difference"]), d("1.6915"));
    // 3 tasks: 3.70275 < 4.16, still Fargate, by 0.45725.
    let c = at("3");
    assert_eq!(c["cheaper"], "fargate");
    assert_eq!(number(&c["difference"]), d("0.45725"));
    // 4 tasks (the break-even count): 4.937 > 4.16 → EC2 cheaper by 0.777.
    let c = at("4");
    assert_eq!(c["cheaper"], "ec2");
    assert_eq!(number(&c["difference"]), d("0.777"));
}

#[test]
fn compare_when_ec2_never_breaks_even() {
    // ARM 1 vCPU / 2 GB for 100 h: Fargate 100 × (0.03238 + 2 × 0.00356) = 100 × 0.0395 = 3.95.
    // EC2: c6g.large (k = 1) 100 × 0.068 = 6.8. Utilisation 6.8 / (1 × 3.95) > 1: never; no count.
    // Fargate cheaper by 2.85.
    let c = compare(&["--vcpu", "1", "--memory", "2", "--arch", "arm64", "--hours", "100"]);
    assert_eq!(c["cheaper"], "fargate");
    assert_eq!(number(&c["difference"]), d("2.85"));
    let point = break_even(&c);
    assert_eq!(point, ("task".to_owned(), d("3.95"), d("6.8"), 1, (d("6.8") / d("3.95")).normalize(), None));
    assert!(point.4 > Decimal::ONE);
    assert!(c["break_even"][0]["task_count"].is_null());
    let out =
        text(&["compare", "--vcpu", "1", "--memory", "2", "--arch", "arm64", "--hours", "100"], "table");
    assert!(out.contains("Fargate is cheaper by $2.85"), "{out}");
    assert!(out.contains("EC2 costs more than Fargate even with every task slot filled"), "{out}");
    // x86 0.5 vCPU / 1 GB × 4 on r5.large: k = min(4, 15872 / 1024 = 15) = 4; 100 h:
    // 12.6 per instance against 4 × 2.4685 = 9.874: never.
    let c = compare(&[
        "--vcpu",
        "0.5",
        "--memory",
        "1",
        "--count",
        "4",
        "--hours",
        "100",
        "--instance-type",
        "r5.large",
    ]);
    let point = break_even(&c);
    assert_eq!((point.3, point.4, point.5), (4, (d("12.6") / d("9.874")).normalize(), None));
}

#[test]
fn compare_when_they_cost_the_same() {
    // A table with z9.even: 1 vCPU / 4 GiB x86 at 0.04937 an hour, what two 0.5 vCPU / 1 GB
    // Fargate tasks cost (2 × 0.024685). It holds min(1 / 0.5 = 2, 3584 / 1024 = 3) = 2.
    // 100 h: 4.937 both ways; utilisation 4.937 / (2 × 2.4685) = 1, from ceil(2) = 2 tasks.
    let dir = tempfile::tempdir().unwrap();
    let rates = rates_with(
        &dir,
        "[ec2.instances.\"z9.even\"]\nvcpu = 1\nmemory_gib = \"4\"\narch = \"x86_64\"\nhourly = \"0.04937\"\n",
    );
    let args = [
        "--rates",
        &rates,
        "--vcpu",
        "0.5",
        "--memory",
        "1",
        "--count",
        "2",
        "--hours",
        "100",
        "--instance-type",
        "z9.even",
    ];
    let mut all = vec!["compare"];
    all.extend(args);
    let c = json(&all, None);
    assert_eq!(c["cheaper"], "equal");
    assert_eq!(number(&c["difference"]), Decimal::ZERO);
    assert_eq!(break_even(&c), ("task".to_owned(), d("2.4685"), d("4.937"), 2, Decimal::ONE, Some(2)));
    let out = text(&all, "table");
    assert!(out.contains("Fargate and EC2 cost the same"), "{out}");
}

#[test]
fn compare_renders_table_markdown_and_csv() {
    // The EC2_WINS numbers: Fargate 19.748 ($19.75), EC2 12.48 on 3 × t3.medium, difference 7.268
    // ($7.27); break-even 4.16 / 7.4055 = 56.2%, from 2 tasks, 3 per instance, $4.16 an instance
    // against 2.4685 ($2.47) a task.
    let mut args = vec!["compare"];
    args.extend(EC2_WINS);
    let table = text(&args, "table");
    for needle in [
        "$19.75",
        "$12.48 (3 x t3.medium)",
        "+$7.27",
        "EC2 is cheaper by $7.27",
        "task: EC2 costs no more than Fargate once 56.2% of its task slots are filled",
        "from 2 task(s)",
        "3 per instance, $4.16 an instance against $2.47 a task on Fargate",
    ] {
        assert!(table.contains(needle), "{table} lacks {needle:?}");
    }
    let verdicts = table.lines().filter(|l| l.starts_with("EC2 is cheaper by")).count();
    assert_eq!(verdicts, 1, "{table}");
    let markdown = text(&args, "markdown");
    for needle in [
        "**EC2 is cheaper by $7.27**: Fargate $19.75, EC2 $12.48",
        "| Item | Fargate | EC2 | Fargate - EC2 |",
        "| task | $19.75 | $12.48 (3 x t3.medium) | +$7.27 |",
        "| **Total** | **$19.75** | **$12.48** | **+$7.27** |",
        "56.2%",
    ] {
        assert!(markdown.contains(needle), "{markdown} lacks {needle:?}");
    }
    // CSV: exact decimals, unrounded.
    assert_eq!(
        text(&args, "csv"),
        "item,fargate,ec2,fargate_minus_ec2,currency,note\ntask,19.748,12.48,7.268,USD,\n,19.748,12.48,7.268,USD,total\n"
    );
}

#[test]
fn compare_takes_the_placement_flags_for_the_ec2_side() {
    // 1 vCPU / 2 GB × 5 for 100 h, --instance-type m5.large --reserved-memory 0:
    // k = min(2, 8192 / 2048 = 4) = 2 → 3 instances × 100 × 0.096 = 28.8. Fargate: 5 × 100 ×
    // (0.04048 + 2 × 0.004445) = 5 × 4.937 = 24.685. Fargate cheaper by 4.115.
    let c = compare(&[
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--count",
        "5",
        "--hours",
        "100",
        "--instance-type",
        "m5.large",
        "--reserved-memory",
        "0",
    ]);
    let packing = &c["ec2"]["items"][0]["packing"];
    assert_eq!(packing["chosen"], "given");
    assert_eq!(packing["instances"], 3);
    assert_eq!(number(&packing["reserved_memory_mib"]), Decimal::ZERO);
    assert_eq!(number(&c["ec2"]["total"]), d("28.8"));
    assert_eq!(number(&c["fargate"]["total"]), d("24.685"));
    assert_eq!(c["cheaper"], "fargate");
    assert_eq!(number(&c["difference"]), d("4.115"));
    // --instances 4 on m5.large: 4 × 100 × 0.096 = 38.4; per instance 9.6.
    let c = compare(&[
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--count",
        "5",
        "--hours",
        "100",
        "--instance-type",
        "m5.large",
        "--instances",
        "4",
    ]);
    assert_eq!(number(&c["ec2"]["total"]), d("38.4"));
    assert_eq!(number(&c["break_even"][0]["ec2_per_instance"]), d("9.6"));
    // The Fargate side has no placement and no packing.
    assert!(
        c["fargate"]["items"][0].get("packing").is_none() || c["fargate"]["items"][0]["packing"].is_null()
    );
}

#[test]
fn compare_refuses_what_ec2_cannot_price() {
    fails(&["compare", "--vcpu", "1", "--memory", "2", "--os", "windows"], None, 1, &["Linux prices only"]);
    fails(&["compare", "--vcpu", "1", "--memory", "2", "--region", "eu-west-1"], None, 1, &["[ec2]"]);
    fails(
        &["compare", "--vcpu", "1", "--memory", "2", "--instance-type", "m5.large", "--arch", "arm64"],
        None,
        1,
        &["m5.large is x86_64"],
    );
    fails(&["compare"], None, 2, &["--vcpu"]);
}

#[test]
fn compare_refuses_eks_pods_on_ec2_like_estimate_does() {
    fails(
        &["compare", "--vcpu", "1", "--memory", "2", "--platform", "eks"],
        None,
        1,
        &["EKS", "EC2 launch type is for ECS"],
    );
}

#[test]
fn compare_ignores_the_registered_compatibilities() {
    // examples/web-api/api.json is registered FARGATE-only: ARM 1 vCPU / 2 GB. 3 tasks, 730 h:
    // Fargate 3 × 730 × 0.0395 = 86.505; EC2 m6g.large k = 2 → 2 × 730 × 0.077 = 112.42
    // (c6g.large k = 1 → 3 × 0.068 = 0.204 an hour > 0.154).
    let c = compare(&["--task-definition", &example("web-api/api.json"), "--count", "3"]);
    assert_eq!(number(&c["fargate"]["total"]), d("86.505"));
    assert_eq!(number(&c["ec2"]["total"]), d("112.42"));
    assert_eq!(c["ec2"]["items"][0]["packing"]["instance_type"], "m6g.large");
    assert_eq!(c["cheaper"], "fargate");
    assert_eq!(number(&c["difference"]), d("25.915"));
}

#[test]
fn compare_the_example_workload() {
    // examples/web-api on Fargate (as cli_inputs works it out): api 131.505, worker (Spot)
    // 11.4750525, nightly-report 4.6431, images 1.2 → 148.8231525.
    // On EC2 (Spot services on-demand):
    //   api: ARM 1 / 2 × 3: c6g.large k 1 → 3 × 0.068 = 0.204; m6g.large k 2 → 2 × 0.077 = 0.154:
    //        2 × 730 × 0.077 = 112.42, + 500 GB × 0.09 = 45 → 157.42.
    //   worker: x86 0.5 / 1 × 2: t3.medium k = min(4, 3) = 3 → 1 × 0.0416 (c5.large 0.085,
    //        m5.large 0.096, r5.large 0.126, m5.xlarge 0.192): 730 × 0.0416 = 30.368.
    //   nightly-report: 4 / 8: only m5.xlarge (4 vCPU, 15872 MiB) holds it, k 1;
    //        45 min × 30 runs = 22.5 h × 0.192 = 4.32 (the 100 GB storage is not priced on EC2).
    //   images: 1.2.
    //   Total 157.42 + 30.368 + 4.32 + 1.2 = 193.308. Fargate cheaper by 44.4848475.
    let c = compare(&["--workload", &example("web-api/workload.toml")]);
    assert_eq!(number(&c["fargate"]["total"]), d("131.505") + d("11.4750525") + d("4.6431") + d("1.2"));
    assert_eq!(number(&c["ec2"]["total"]), d("193.308"));
    assert_eq!(c["cheaper"], "fargate");
    assert_eq!(number(&c["difference"]), d("193.308") - d("148.8231525"));
    let ec2_items = c["ec2"]["items"].as_array().unwrap();
    let got: Vec<(&str, Decimal)> =
        ec2_items.iter().map(|i| (i["name"].as_str().unwrap(), number(&i["total"]))).collect();
    assert_eq!(
        got,
        [("api", d("157.42")), ("worker", d("30.368")), ("nightly-report", d("4.32")), ("images", d("1.2"))]
    );
    assert_eq!(c["fargate"]["items"][1]["billed"]["pricing"], "spot");
    assert_eq!(ec2_items[1]["billed"]["pricing"], "on-demand");
    assert_eq!(ec2_items[0]["packing"]["instance_type"], "m6g.large");
    assert_eq!(ec2_items[1]["packing"]["instance_type"], "t3.medium");
    assert_eq!(ec2_items[2]["packing"]["instance_type"], "m5.xlarge");
    // Break-even, per task item (the repository has none), data transfer left out:
    //   api: per task (70.9122 + 15.5928) / 3 = 28.835; per instance 112.42 / 2 = 56.21; k 2;
    //        56.21 / 57.67 < 1; from ceil(56.21 / 28.835 = 1.95) = 2.
    //   worker: per task 11.4750525 / 2 = 5.73752625; per instance 30.368; k 3;
    //        30.368 / 17.21257875 > 1: never.
    //   nightly-report: per task 4.6431 (storage included); per instance 4.32; k 1;
    //        4.32 / 4.6431 < 1; from 1.
    let points: Vec<Point> = c["break_even"].as_array().unwrap().iter().map(point).collect();
    assert_eq!(
        points,
        [
            (
                "api".to_owned(),
                d("28.835"),
                d("56.21"),
                2,
                (d("56.21") / (d("2") * d("28.835"))).normalize(),
                Some(2)
            ),
            (
                "worker".to_owned(),
                d("5.73752625"),
                d("30.368"),
                3,
                (d("30.368") / (d("3") * d("5.73752625"))).normalize(),
                None
            ),
            (
                "nightly-report".to_owned(),
                d("4.6431"),
                d("4.32"),
                1,
                (d("4.32") / d("4.6431")).normalize(),
                Some(1)
            ),
        ]
    );
    // The table names both totals and the verdict, in figures that subtract: $193.31 − $148.82 =
    // $44.49 (the exact difference, 44.48…, is in the JSON).
    let out = text(&["compare", "--workload", &example("web-api/workload.toml")], "table");
    for needle in ["$148.82", "$193.31", "Fargate is cheaper by $44.49", "api:", "worker:", "nightly-report:"]
    {
        assert!(out.contains(needle), "{out} lacks {needle:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Properties of the packing
// ---------------------------------------------------------------------------------------------

const MIB_PER_GIB: i64 = 1024;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn packing_never_overfills_and_is_as_tight_as_it_can_be(
        eighths in 1i64..=32,
        quarters in 1i64..=64,
        count in 1u64..=200,
        type_index in 0usize..7,
        reserved in prop_oneof![Just(512i64), Just(0i64), 0i64..=4096],
        fixed in proptest::option::of(1u64..=250),
    ) {
        let table = cost::rates::embedded("us-east-1").unwrap().0;
        let catalogue = &table.ec2.as_ref().unwrap().instances;
        prop_assert_eq!(catalogue.len(), 7);
        let (name, instance) = catalogue.iter().nth(type_index).unwrap();
        let vcpu = Decimal::new(eighths, 0) * d("0.125");
        let memory_gb = Decimal::new(quarters, 0) * d("0.25");
        let size = Size { vcpu, memory_gb };
        let reserved = Decimal::new(reserved, 0);
        let instance_vcpu = Decimal::from(instance.vcpu);
        let usable_mib = instance.memory_gib.0 * Decimal::new(MIB_PER_GIB, 0) - reserved;
        let task_mib = memory_gb * Decimal::new(MIB_PER_GIB, 0);

        let k = tasks_per_instance(instance, size, reserved);
        let fits = |n: u64| Decimal::from(n) * vcpu <= instance_vcpu && Decimal::from(n) * task_mib <= usable_mib;
        // Never more than the instance has; one more would overflow a limit.
        prop_assert!(fits(k), "{} holds {} of {}", name, k, size);
        prop_assert!(!fits(k + 1), "{} could hold {} of {}", name, k + 1, size);

        let packed = pack(name, instance, size, count, None, reserved);
        if k == 0 {
            prop_assert!(packed.is_none());
            prop_assert!(pack(name, instance, size, count, fixed, reserved).is_none());
            return Ok(());
        }
        let p = packed.unwrap();
        prop_assert_eq!(&p.instance_type, name);
        prop_assert_eq!(p.tasks_per_instance, k);
        prop_assert_eq!(p.instances, count.div_ceil(k));
        prop_assert_eq!(p.reserved_memory_mib, reserved.normalize());
        // The fleet holds the tasks and one instance fewer would not.
        prop_assert!(p.instances * k >= count);
        prop_assert!((p.instances - 1) * k < count);
        for share in [p.cpu_utilization, p.memory_utilization] {
            prop_assert!(share > Decimal::ZERO && share <= Decimal::ONE, "{}", share);
        }
        // CPU share: count × vCPU / (instances × instance vCPU).
        let instances = Decimal::from(p.instances);
        let cpu = (Decimal::from(count) * vcpu) / (instances * instance_vcpu);
        prop_assert_eq!(p.cpu_utilization, cpu.normalize());
        let memory = (Decimal::from(count) * task_mib) / (instances * usable_mib);
        prop_assert_eq!(p.memory_utilization, memory.normalize());

        // A fixed fleet is taken as given when it holds the tasks, refused otherwise.
        if let Some(n) = fixed {
            match pack(name, instance, size, count, Some(n), reserved) {
                Some(f) => {
                    prop_assert!(n * k >= count);
                    prop_assert_eq!(f.instances, n);
                    prop_assert_eq!(f.tasks_per_instance, k);
                    prop_assert!(f.cpu_utilization > Decimal::ZERO && f.cpu_utilization <= Decimal::ONE);
                    prop_assert!(f.memory_utilization > Decimal::ZERO && f.memory_utilization <= Decimal::ONE);
                }
                None => prop_assert!(n * k < count),
            }
        }
    }
}
