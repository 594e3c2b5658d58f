//! Pricing from Rust instead of the command line: the same core `cost estimate` uses.
//!
//! Run with `cargo run --example library`. It prices a nightly batch job (2 vCPU / 4 GB on ARM,
//! 45-minute runs, 30 nights) in eu-west-1 and prints the JSON report.

use std::process::ExitCode;

use cost::model::{Arch, RunTime, Size, Task};
use cost::pricing::{Options, price_task};
use cost::rates;
use cost::render::Document;
use cost::report::{RatesInfo, Report};
use rust_decimal::Decimal;

fn main() -> ExitCode {
    match run() {
        Ok(json) => {
            print!("{json}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<String> {
    let (table, origin) = rates::embedded("eu-west-1")?;
    let mut job = Task::new("nightly-report", Size { vcpu: Decimal::from(2), memory_gb: Decimal::from(4) });
    job.arch = Arch::Arm64;
    job.run_time = RunTime::Minutes(Decimal::from(45));
    job.runs = 30;
    let item = price_task(&job, &table, Options::default())?;
    let items = vec![item];
    let report = Report::new(RatesInfo::new(&table, &origin, &items), items, None)?;
    Ok(report.json()?)
}
