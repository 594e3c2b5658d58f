//! The ECS EC2 launch type (`cost estimate --launch-type ec2`, workload and batch entries with
//! `launch_type = "ec2"`), plus a property test of the packing in the library. Every expected
//! value is worked out by hand in the comments from the us-east-1 tables:
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

mod choice;
mod inputs;
mod packing;

use crate::common::*;

use rust_decimal::Decimal;
use serde_json::Value;

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

const MONTH: &str = "730";
