//! The property-based companion of the libFuzzer targets in fuzz/ (which need nightly Rust and
//! run outside CI): on stable, in every test run, proptest feeds every parser arbitrary text and
//! bytes, and mutated real inputs (the shared samples, the workloads, the shipped rate tables, a
//! report, both shapes of AWS price list, Terraform plans and their usage files) with bytes flipped,
//! the text cut short, `"`, `{`, `]`, `-`, `1e999` and the like inserted, lines (so keys)
//! duplicated and ranges deleted; Terraform plans are also generated whole from Terraform's
//! vocabulary (module calls, outputs and variables referring to each other, cycles included), so
//! random plans get past the syntax into linking and pricing, which byte-level fuzzing rarely
//! does. Parsers must return `Ok` or `Err`, never panic or hang. The CLI is run in process on
//! hostile flag values and mutated files, and must keep the failure contract: exit 0 to 3, and on
//! 1 or 2 nothing on stdout and one line for stderr.
//!
//! Then the exactness laws over random workloads priced through the CLI: totals are exact sums,
//! JSON numbers are plain decimals, and doubling every count doubles every per-hour line exactly.
//!
//! Each property runs a modest number of cases by default (the whole harness takes about ten seconds
//! in a debug build); every property honours `PROPTEST_CASES`. To run them for a set time, one
//! group (parser) at a time, with fresh random cases on every repetition:
//!
//! ```sh
//! MINUTES=10 bash fuzz/proptest.sh                  # every group, 10 minutes each
//! MINUTES=2 bash fuzz/proptest.sh terraform-plan    # one group
//! ```
//!
//! A crash found here or by the fuzz targets becomes a plain regression test in `regressions`.

mod cli;
mod generated_plans;
mod laws;
mod mutations;
mod parsers;
mod plans;
mod regressions;
mod seeds;
mod terraform;

/// What the libFuzzer targets share (fuzz/src/lib.rs): `cost` run in process, the parsers with
/// what the CLI does after them, a workload with every kind of item. This harness uses part of it.
#[allow(dead_code)]
#[path = "../../../fuzz/src/lib.rs"]
mod shared;

use crate::common::terraform::*;
use crate::common::*;
use generated_plans::*;
use mutations::*;
use plans::*;
use seeds::*;
use shared::{FULL_WORKLOAD, Ran};

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::sync::OnceLock;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

use cost::model::Os;
use cost::rates::Date;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

/// `cases` per property, unless `PROPTEST_CASES` asks for another number.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}

// ---------------------------------------------------------------------------------------------
// Running the CLI in process.
// ---------------------------------------------------------------------------------------------

/// Runs `cost args` in process with `stdin`, no environment and no stale-rates warning.
fn cli(args: &[String], stdin: &[u8]) -> Ran {
    cli_on(args, stdin, None)
}

/// [`cli`] on the day `today`, which decides EKS support tiers (`None`: unknown) and, without
/// `--no-stale-warning`, whether the rates are stale.
fn cli_on(args: &[String], stdin: &[u8], today: Option<Date>) -> Ran {
    let args: Vec<OsString> = args.iter().map(OsString::from).collect();
    shared::cli(&args, stdin, today)
}

fn one_line(text: &str) -> bool {
    !text.trim().is_empty() && !text.contains('\n')
}

/// The failure contract: exit 0 to 4; 0 with no line or one `warning:` line (something unpriced);
/// 1 or 2 with nothing on stdout and one error line; 3 (over budget) and 4 (incomplete) with the
/// report and one line. `streams` allows what `--batch` printed before a bad line (every line of
/// it whole JSON) and `rates check`'s problem list.
fn contract(args: &[String], ran: &Ran, streams: bool) -> Result<(), TestCaseError> {
    let shown = || format!("cost {args:?} -> exit {}, stderr {:?}", ran.code, ran.stderr);
    prop_assert!(ran.code <= 4, "{}", shown());
    prop_assert!(ran.warnings.is_empty(), "{}: warnings {:?}", shown(), ran.warnings);
    if ran.code == 0 {
        let warning = ran.stderr.as_deref().is_none_or(|l| one_line(l) && l.starts_with("warning: "));
        prop_assert!(warning, "{}", shown());
    } else {
        let line = ran.stderr.as_deref().unwrap_or("");
        prop_assert!(one_line(line), "{}: not one line", shown());
        prop_assert!(!line.contains("panicked"), "{}", shown());
        if ran.code < 3 && !streams {
            prop_assert!(ran.out.is_empty(), "{}: stdout {:?}", shown(), String::from_utf8_lossy(&ran.out));
        }
    }
    Ok(())
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_owned()).collect()
}
