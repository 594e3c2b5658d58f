//! What the budget gates' tests share (`check`, `diff`, `estimate::batch`, `snapshots`): the
//! published us-east-1 rates, the web-api example (examples/web-api/workload.toml) priced by hand,
//! and `cost` run with its exit code, stdout and stderr captured whole.
//!
//! Every expected amount is worked out here from the published us-east-1 rates with exact decimal
//! arithmetic (the arithmetic is in the comments or in `Decimal` expressions), never copied from the
//! program's output. The contract is docs/output.md.

use super::{cost, d, n};

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde_json::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Published rates (USD, us-east-1), as text so they are read exactly.
// ---------------------------------------------------------------------------------------------

/// Linux x86 on demand, per vCPU-hour and per GB-hour.
pub const VCPU: &str = "0.04048";
pub const GB: &str = "0.004445";
/// Linux ARM on demand.
pub const ARM_VCPU: &str = "0.03238";
pub const ARM_GB: &str = "0.00356";
/// Fargate Spot, Linux x86.
pub const SPOT_VCPU: &str = "0.01288871";
pub const SPOT_GB: &str = "0.00141527";
/// Windows x86 on demand, plus the OS licence per vCPU-hour.
pub const WIN_VCPU: &str = "0.046552";
pub const WIN_GB: &str = "0.00511175";
pub const WIN_OS: &str = "0.046";
/// Ephemeral storage per GB-hour above the 20 GB included.
pub const STORAGE: &str = "0.000111";
/// Data transfer out: first 10 TB, next 40 TB (1 TB = 1024 GB).
pub const DT1: &str = "0.09";
pub const DT2: &str = "0.085";
/// EKS cluster fee per hour (standard, extended support); ECR storage per GB-month.
pub const EKS_STANDARD: &str = "0.10";
pub const EKS_EXTENDED: &str = "0.60";
pub const ECR: &str = "0.10";
/// One month.
pub const MONTH: &str = "730";

// ---------------------------------------------------------------------------------------------
// The web-api example (examples/web-api/workload.toml), priced by hand.
// ---------------------------------------------------------------------------------------------

/// `api`: 3 ARM tasks of 1 vCPU / 2 GB for 730 h, 500 GB out (all in the first tier):
/// 3 × 730 × 0.03238 = 70.9122; 3 × 2 × 730 × 0.00356 = 15.5928; 500 × 0.09 = 45 → 131.505.
pub fn api(count: u64) -> Decimal {
    n(count) * d(MONTH) * d(ARM_VCPU) + n(count) * n(2) * d(MONTH) * d(ARM_GB) + n(500) * d(DT1)
}

/// `worker`: `count` Spot tasks of 0.5 vCPU / 1 GB for 730 h. For 2 tasks:
/// 2 × 0.5 × 730 × 0.01288871 = 9.4087583; 2 × 1 × 730 × 0.00141527 = 2.0662942 → 11.4750525.
pub fn worker(count: u64) -> Decimal {
    n(count) * d("0.5") * d(MONTH) * d(SPOT_VCPU) + n(count) * d(MONTH) * d(SPOT_GB)
}

/// `nightly-report`: 4 vCPU / 8 GB, 45 min × 30 runs = 22.5 h, 100 GB storage (80 above 20):
/// 4 × 22.5 × 0.04048 = 3.6432; 8 × 22.5 × 0.004445 = 0.8001; 80 × 22.5 × 0.000111 = 0.1998
/// → 4.6431.
pub fn nightly() -> Decimal {
    let hours = d("22.5");
    n(4) * hours * d(VCPU) + n(8) * hours * d(GB) + n(80) * hours * d(STORAGE)
}

/// `images`: 12 GB × 1 month × 0.10 = 1.2.
pub fn images() -> Decimal {
    n(12) * d(ECR)
}

/// 131.505 + 11.4750525 + 4.6431 + 1.2 = 148.8231525.
pub fn example_total() -> Decimal {
    api(3) + worker(2) + nightly() + images()
}

#[test]
fn the_hand_worked_example_amounts() {
    assert_eq!(api(3), d("131.505"));
    assert_eq!(worker(2), d("11.4750525"));
    assert_eq!(nightly(), d("4.6431"));
    assert_eq!(images(), d("1.2"));
    assert_eq!(example_total(), d("148.8231525"));
}

/// `part × 100 / whole`, as `cost diff` defines a percentage.
pub fn percent(part: Decimal, whole: Decimal) -> Decimal {
    (part * n(100) / whole).normalize()
}

pub fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn example_dir() -> PathBuf {
    manifest().join("examples/web-api")
}

pub fn example_workload() -> String {
    example_dir().join("workload.toml").display().to_string()
}

#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cost args` with `stdin` (none: empty) in `cwd` (none: the repository root).
pub fn run_in(cwd: Option<&Path>, args: &[&str], stdin: Option<&str>) -> Out {
    let mut cmd = cost();
    cmd.args(args).current_dir(cwd.map_or_else(manifest, Path::to_path_buf));
    cmd.write_stdin(stdin.unwrap_or(""));
    let output = cmd.output().expect("cost runs");
    Out {
        code: output.status.code().expect("cost exits, not killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

pub fn run(args: &[&str]) -> Out {
    run_in(None, args, None)
}

/// Asserts `out` ended with `code` and returns its stdout parsed as one JSON document.
pub fn json_of(out: &Out, code: i32) -> Value {
    assert_eq!(out.code, code, "{out:?}");
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {out:?}"))
}

/// The only line on stderr (with its newline), which must contain every one of `needles`.
pub fn one_stderr_line<'a>(out: &'a Out, needles: &[&str]) -> &'a str {
    assert!(out.stderr.ends_with('\n'), "stderr does not end a line: {out:?}");
    assert_eq!(out.stderr.matches('\n').count(), 1, "not one stderr line: {out:?}");
    for needle in needles {
        assert!(out.stderr.contains(needle), "stderr {:?} lacks {needle:?}", out.stderr);
    }
    out.stderr.trim_end()
}

/// Expects failure with `code`: nothing on stdout, one line on stderr with every one of `needles`.
pub fn fails(out: &Out, code: i32, needles: &[&str]) {
    assert_eq!(out.code, code, "{out:?}");
    assert!(out.stdout.is_empty(), "stdout not empty: {out:?}");
    one_stderr_line(out, needles);
    assert!(!out.stderr.contains("panicked"), "{out:?}");
}

/// A temporary folder holding a copy of the web-api example (`workload.toml`, `api.json`,
/// `worker.json`), so variants of the workload can sit next to its task definitions.
pub fn workdir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in ["workload.toml", "api.json", "worker.json"] {
        std::fs::copy(example_dir().join(file), dir.path().join(file)).unwrap();
    }
    dir
}

pub fn example_text() -> String {
    std::fs::read_to_string(example_dir().join("workload.toml")).unwrap()
}

/// The example's text with each `(from, to)` replaced once (each `from` must be there).
pub fn variant(edits: &[(&str, &str)]) -> String {
    let mut text = example_text();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{from:?} is not in the example exactly once");
        text = text.replacen(from, to, 1);
    }
    text
}

/// Writes `text` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}
