//! What the tests share: the binary with a clean environment, exact numbers from JSON, and the
//! failure contract (exit code, nothing on stdout, one line on stderr); `terraform` builds plans,
//! `gates` holds the web-api example priced by hand for the budget gates.

pub mod gates;
pub mod terraform;

use std::str::FromStr;

use assert_cmd::Command;
use rust_decimal::Decimal;
use serde_json::Value;

/// An exact decimal from its text.
pub fn d(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap_or_else(|e| panic!("`{text}` is not a decimal: {e}"))
}

pub fn n(value: u64) -> Decimal {
    Decimal::from(value)
}

/// The `cost` binary, with no region or colour settings from the environment and no stale-rates
/// warning (`rates::tables` tests that warning on its own).
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

/// Runs `cost` with `args` (and `stdin`) as JSON, expecting a report with something unpriced and
/// no budget: exit 0, the report on stdout, one warning line on stderr naming the first unpriced
/// item. Returns the report and the warning.
pub fn unpriced(args: &[&str], stdin: Option<&str>) -> (Value, String) {
    let mut cmd = cost();
    cmd.args(args).args(["--format", "json"]);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = cmd.assert().success().get_output().clone();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.matches('\n').count(), 1, "{args:?}: not one line: {stderr}");
    assert!(stderr.starts_with("warning: "), "{stderr}");
    let first = report["unpriced"][0]["name"].as_str().expect("something unpriced");
    assert!(stderr.contains(first), "{stderr} does not name {first}");
    (report, stderr)
}

/// Runs `cost` with `args` after the read end of its stdout is closed, so that its first write
/// meets a broken pipe. The shell waits for a line on stdin before it becomes `cost`, so the read
/// end is certainly closed before `cost` writes.
pub fn with_stdout_closed(args: &[&str]) -> std::process::Output {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"read _go; exec "$0" "$@""#)
        .arg(assert_cmd::cargo::cargo_bin!("cost"))
        .args(args)
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("NO_COLOR")
        .env("COST_NO_STALE_WARNING", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sh");
    drop(child.stdout.take());
    {
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(b"go\n").expect("start cost");
    }
    child.wait_with_output().expect("cost finishes")
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

/// Runs `cost` with `args` in the given format, expects exit 0, and returns stdout.
pub fn rendered(args: &[&str], format: &str) -> String {
    let out = cost().args(args).args(["--format", format]).assert().success().get_output().clone();
    String::from_utf8(out.stdout).unwrap()
}

/// A copy of the us-east-1 table with `extra` appended (more instance types), in `dir`.
pub fn rates_with(dir: &tempfile::TempDir, extra: &str) -> String {
    let base =
        std::fs::read_to_string(format!("{}/pricing/us-east-1.toml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let path = dir.path().join("rates.toml");
    std::fs::write(&path, format!("{base}\n{extra}")).unwrap();
    path.display().to_string()
}
