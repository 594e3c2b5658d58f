//! A catalogue of hostile inputs across every subcommand, each held to the failure contract of
//! README "Exit codes": the documented exit code (1 cannot price, 2 usage), nothing on stdout, and
//! exactly one line on stderr that names the input (the flag, the file, the key, or "standard
//! input"). The cases are tables; each table's test runs every case and reports every case that
//! broke the contract at once. Files are written into a temporary folder at run time (invalid
//! UTF-8 as raw bytes), so the catalogue needs nothing checked in.
//!
//! Cases that show a bug are not in the tables: they are the `#[ignore = "BUG: ..."]` tests in
//! `bugs`, written for the right behaviour.

// Case tables are long lists by design.
#![allow(clippy::too_many_lines)]

mod bugs;
mod files;
mod flags;
mod inputs;
mod messages;
mod numbers;
mod rate_tables;
mod services;
mod streams;

use crate::common::{self, *};
use files::{diff_cases, file_cases};
use flags::{
    enum_flag_cases, numeric_flag_cases, unpriceable_combination_cases, unpriceable_number_cases, usage_cases,
};
use inputs::{batch_cases, task_definition_cases, workload_cases};
use messages::{exactness_cases, injection_cases, message_cases};
use numbers::{batch_number_cases, task_definition_number_cases, workload_number_cases};
use rate_tables::{import_cases, rate_table_cases, rate_table_key_cases};
use services::services_cases;

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

/// `u64::MAX`, the largest `--count` / `--runs` clap accepts.
const MAX: &str = "18446744073709551615";
/// 29 nines: one digit more than a `Decimal` keeps exactly.
const TOO_MANY_DIGITS: &str = "99999999999999999999999999999";
/// 28 nines: as large as a `Decimal` holds exactly.
const HUGE: &str = "9999999999999999999999999999";
/// 31 significant digits.
const TOO_PRECISE: &str = "0.1234567890123456789012345678901";
/// The smallest positive `Decimal`.
const TINY: &str = "0.0000000000000000000000000001";

/// A workload of one service, 1 vCPU / 2 GB.
const SERVICE: &str = "[[service]]\nname = \"api\"\nvcpu = 1\nmemory = 2\n";

/// One hostile run: its arguments, standard input and environment, the exit code it must end
/// with and what its one stderr line must contain.
#[derive(Debug, Clone)]
struct Case {
    args: Vec<String>,
    stdin: Vec<u8>,
    env: Vec<(String, String)>,
    code: i32,
    needles: Vec<String>,
    /// A gate's verdict (exit 3 or 4): the report is on stdout, not nothing.
    report: bool,
}

fn case(args: &[&str], code: i32, needles: &[&str]) -> Case {
    Case {
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        stdin: Vec::new(),
        env: Vec::new(),
        code,
        needles: needles.iter().map(|n| (*n).to_owned()).collect(),
        report: false,
    }
}

/// A budget gate that fails closed on what it could not price: exit 4, the report on stdout, one
/// line naming what was not priced.
fn incomplete(args: &[&str], needles: &[&str]) -> Case {
    let mut needles = needles.to_vec();
    needles.push("incomplete: ");
    Case { report: true, ..case(args, 4, &needles) }
}

impl Case {
    fn stdin(mut self, bytes: &[u8]) -> Self {
        self.stdin = bytes.to_vec();
        self
    }

    fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    fn command_line(&self) -> String {
        let env: String = self.env.iter().fold(String::new(), |acc, (k, v)| acc + &format!("{k}={v:?} "));
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| if a.is_empty() || a.contains([' ', '%', '\'']) { format!("{a:?}") } else { a.clone() })
            .collect();
        let stdin = if self.stdin.is_empty() { String::new() } else { " <stdin>".to_owned() };
        format!("{env}cost {}{stdin}", args.join(" "))
    }

    /// Runs the real binary; `Err` says how the run broke the contract.
    fn check(&self) -> Result<(), String> {
        let mut cmd = cost();
        // Not a timing: a run that waits for ever (on a named pipe) fails instead of hanging.
        cmd.args(&self.args).write_stdin(self.stdin.clone()).timeout(Duration::from_secs(60));
        for (name, value) in &self.env {
            cmd.env(name, value);
        }
        let out = cmd.output().map_err(|e| format!("{}: could not run: {e}", self.command_line()))?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        let why = |what: String| Err(format!("{}: {what}; stderr: {stderr:?}", self.command_line()));
        if out.status.code() != Some(self.code) {
            return why(format!("exit {:?}, expected {}", out.status.code(), self.code));
        }
        if out.stdout.is_empty() == self.report {
            let shown = String::from_utf8_lossy(&out.stdout);
            return why(format!("stdout {}: {shown:?}", if self.report { "empty" } else { "not empty" }));
        }
        if stderr.matches('\n').count() != 1 || !stderr.ends_with('\n') {
            return why("stderr is not exactly one line".to_owned());
        }
        if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
            return why("a panic".to_owned());
        }
        // Whatever the input repeats: no control character reaches the terminal, and the line is
        // bounded (1,000 characters).
        if stderr.trim_end_matches('\n').chars().any(char::is_control) {
            return why("a control character on stderr".to_owned());
        }
        if stderr.trim_end_matches('\n').chars().count() > 1000 {
            return why(format!("a stderr line of {} characters", stderr.chars().count()));
        }
        for needle in &self.needles {
            if !stderr.contains(needle.as_str()) {
                return why(format!("does not name {needle:?}"));
            }
        }
        Ok(())
    }
}

/// Runs every case and fails once, listing every case that broke the contract.
fn verify(cases: &[Case]) {
    assert!(!cases.is_empty());
    let failures: Vec<String> = cases.iter().filter_map(|c| c.check().err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases broke the failure contract:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A temporary folder of hostile files.
struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Self {
        Files { dir: tempfile::tempdir().unwrap() }
    }

    /// Writes `bytes` to `name` in the folder and returns its path.
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    }

    /// A path in the folder that does not exist.
    fn missing(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// A named pipe in the folder that nobody writes to: opening it to read waits for ever.
    fn fifo(&self, name: &str) -> String {
        let path = self.missing(name);
        let made = std::process::Command::new("mkfifo").arg(&path).status().expect("mkfifo (coreutils)");
        assert!(made.success(), "mkfifo {path}");
        path
    }

    /// The folder itself: a directory where a file is expected.
    fn dir(&self) -> String {
        self.dir.path().display().to_string()
    }

    /// A sound `cost estimate --format json` report.
    fn report(&self) -> String {
        self.write("report.json", report_text())
    }
}

fn report_text() -> String {
    let out = cost().args(["estimate", "--vcpu", "1", "--memory", "2", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn embedded_table() -> String {
    std::fs::read_to_string(format!("{}/pricing/us-east-1.toml", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// `cost estimate --vcpu 1 --memory 2` with `flag value` added (or replacing the size flag).
fn estimate_with(flag: &str, value: &str) -> Vec<String> {
    let mut args = vec!["estimate".to_owned()];
    for (size, default) in [("--vcpu", "1"), ("--memory", "2")] {
        if size != flag {
            args.extend([size.to_owned(), default.to_owned()]);
        }
    }
    args.extend([flag.to_owned(), value.to_owned()]);
    args
}

fn flag_case(flag: &str, value: &str, code: i32, needles: &[&str]) -> Case {
    let args = estimate_with(flag, value);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    case(&args, code, needles)
}

/// Every table, for the count.
fn catalogue(files: &Files) -> Vec<Case> {
    [
        numeric_flag_cases(),
        unpriceable_number_cases(),
        enum_flag_cases(),
        usage_cases(),
        unpriceable_combination_cases(),
        task_definition_cases(files),
        workload_cases(files),
        batch_cases(files),
        services_cases(files),
        rate_table_cases(files),
        rate_table_key_cases(files),
        workload_number_cases(files),
        batch_number_cases(files),
        task_definition_number_cases(files),
        diff_cases(files),
        import_cases(files),
        file_cases(files),
        injection_cases(files),
        exactness_cases(files),
        message_cases(files),
    ]
    .concat()
}

#[test]
fn the_catalogue_holds_well_over_a_hundred_distinct_inputs() {
    let files = Files::new();
    let cases = catalogue(&files);
    let mut seen = std::collections::HashSet::new();
    for c in &cases {
        assert!(
            seen.insert((c.args.clone(), c.stdin.clone(), c.env.clone())),
            "listed twice: {}",
            c.command_line()
        );
        assert!(matches!(c.code, 1 | 2) || (c.code == 4 && c.report), "{}", c.command_line());
        assert!(!c.needles.is_empty(), "{} names nothing", c.command_line());
    }
    assert!(cases.len() >= 100, "only {} cases", cases.len());
    eprintln!("{} hostile cases", cases.len());
}
