//! Helpers the CLI test files share: the binary with a clean environment, exact numbers from
//! JSON, and the failure contract (exit code, nothing on stdout, one line on stderr).

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::str::FromStr;

use assert_cmd::Command;
use rust_decimal::Decimal;
use serde_json::Value;

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The `cost` binary, with no region or colour settings from the environment and no stale-rates
/// warning (`tests/rates_cli.rs` tests that warning on its own).
pub fn cost() -> Command {
    let mut cmd = Command::cargo_bin("cost").unwrap();
    cmd.env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("NO_COLOR")
        .env("COST_NO_STALE_WARNING", "1");
    cmd
}

/// A file of `tests/data/`.
pub fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A file of `examples/`.
pub fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `cost` with `args` (and `stdin`), expects exit 0, and returns the parsed JSON.
pub fn json(args: &[&str], stdin: Option<&str>) -> Value {
    let mut cmd = cost();
    cmd.args(args).args(["--format", "json"]);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = cmd.assert().success().get_output().clone();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A JSON number read exactly.
pub fn number(v: &Value) -> Decimal {
    Decimal::from_str(&v.as_number().unwrap_or_else(|| panic!("{v} is not a number")).to_string()).unwrap()
}

/// Runs `cost` expecting failure with `code`: nothing on stdout, one line on stderr containing
/// every one of `needles`.
pub fn fails(args: &[&str], stdin: Option<&str>, code: i32, needles: &[&str]) {
    let mut cmd = cost();
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = cmd.assert().code(code).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.stdout.is_empty(), "{args:?}: stdout not empty");
    assert_eq!(stderr.matches('\n').count(), 1, "{args:?}: not one line: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{args:?}: {stderr:?} lacks {needle:?}");
    }
}
