//! Every report says what it covers, and every gate fails closed: an item `cost` recognised but
//! could not price is listed as unpriced (never a $0 item), resources of other kinds as skipped,
//! and the defaults chosen as assumptions; a budget with anything unpriced exits 4 unless
//! `--allow-unpriced`; over budget exits 3 whatever else; a closed pipe never changes the exit.
//!
//! Amounts are worked out by hand from the us-east-1 rates: Fargate Linux x86 0.04048 per
//! vCPU-hour and 0.004445 per GB-hour (AWS Price List `AmazonECS`, 2026-09-11), m5.large 0.096
//! and t3.medium 0.0416 an hour. A month is 730 hours. 1 vCPU / 2 GB for a month: 730 × 0.04048
//! plus 1,460 × 0.004445 is 29.5504 + 6.4897 = 36.0401; 0.5 vCPU / 1 GB is 14.7752 + 3.24485 =
//! 18.02005.

mod inputs;
mod real_plans;
mod verdicts;

use std::path::Path;
use std::process::Command as Process;

use crate::common::terraform::{tf_config, tf_plan, tf_resource, tf_task_definition, us_east_1};
use crate::common::{self, cost, d, number, unpriced};
use serde_json::{Value, json};

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: Option<&str>) -> Out {
    let mut cmd = cost();
    cmd.args(args).write_stdin(stdin.unwrap_or(""));
    let output = cmd.output().expect("cost runs");
    Out {
        code: output.status.code().expect("cost exits"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The one stderr line, which must hold every one of `needles`.
fn one_line<'a>(out: &'a Out, needles: &[&str]) -> &'a str {
    assert_eq!(out.stderr.matches('\n').count(), 1, "not one stderr line: {}", out.stderr);
    for needle in needles {
        assert!(out.stderr.contains(needle), "stderr {:?} lacks {needle:?}", out.stderr);
    }
    out.stderr.trim_end()
}

fn json_of(out: &Out) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", out.stdout))
}

/// `api`: 2 tasks of 1 vCPU / 2 GB (72.0802); `odd`: 4 vCPU / 3 GB, which Fargate does not offer.
const SERVICES: &str = "[[service]]\nname = \"api\"\nvcpu = 1\nmemory = 2\ncount = 2\n\n\
                        [[service]]\nname = \"odd\"\nvcpu = 4\nmemory = 3\n";

fn workload(budget: Option<&str>) -> String {
    budget.map_or_else(String::new, |limit| format!("[budget]\nlimit = {limit}\n\n")) + SERVICES
}

/// Three batch lines; the second (4 vCPU / 3 GB) is a size Fargate does not offer.
const BATCH: &str = "{\"vcpu\": 1, \"memory\": 2}\n{\"name\": \"odd\", \"vcpu\": 4, \"memory\": 3}\n{\"vcpu\": 1, \"memory\": 2}\n";
