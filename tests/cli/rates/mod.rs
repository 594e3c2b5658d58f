//! `cost rates list | show | check | import`, run as the real binary. Imports read the shared
//! get-products capture and small bulk offer files written here (ECS, EC2 with decoys that must be
//! skipped, data transfer tiers), and the imported tables are then used to price tasks whose costs
//! are worked out by hand.

mod import;
mod tables;

use crate::common::*;
use std::path::Path;
use std::str::FromStr;

use assert_cmd::Command;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn sample() -> String {
    format!("{}/tests/data/get-products-AmazonECS-us-east-1-2022-11-25.json", env!("CARGO_MANIFEST_DIR"))
}

fn total(args: &[&str]) -> Decimal {
    let out = cost().args(args).args(["--format", "json"]).assert().success().get_output().stdout.clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    Decimal::from_str(&report["total"].as_number().unwrap().to_string()).unwrap()
}
