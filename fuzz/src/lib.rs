//! What the fuzz targets share: running `cost` in process on the fuzzer's bytes and checking the
//! CLI's contract, the library's parsers with what the CLI does after them, and the small
//! conventions of the targets' inputs (a leading selector byte, a scratch folder).
//!
//! Every check panics when it fails, which libFuzzer reports as a crash with the input.
//!
//! The targets read the repository's own files (`examples/`) by absolute paths, so they run from
//! any folder; a workload on standard input names its task definitions relative to the current
//! folder, and `fuzz/run.sh` and `fuzz/replay.sh` run from the repository's root, where the
//! seeds' `examples/web-api/api.json` resolves.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ffi::OsString;
use std::io::{BufRead, Cursor};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cost::cli::{ColorChoice, Context, run};
use cost::rates::Date;
use rust_decimal::Decimal;

/// What one run of `cost` did: its exit code, stdout, its error line and its warnings.
#[derive(Debug)]
pub struct Ran {
    pub code: u8,
    pub out: Vec<u8>,
    pub stderr: Option<String>,
    pub warnings: Vec<String>,
}

impl Ran {
    /// Stdout as text (the contract has already checked that it is UTF-8).
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.out).unwrap_or_default()
    }
}

/// A file of the repository, by absolute path.
pub fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

/// The bytes as text: as they are when UTF-8, else with `U+FFFD` for what is not (the CLI itself
/// refuses input that is not UTF-8; the library's parsers take `&str`).
pub fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// The first byte (which picks a command, a format, a date...) and the rest (the input proper).
pub fn selector(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((&first, rest)) => (first, rest),
        None => (0, data),
    }
}

/// `choices[byte % len]`.
pub fn pick<T: Copy>(byte: u8, choices: &[T]) -> T {
    choices[usize::from(byte) % choices.len()]
}

/// No date, or one of a few around the EKS support calendar's edges: what `cost` takes as today.
pub fn today(byte: u8) -> Option<Date> {
    let dates = [None, Some((2024, 1, 1)), Some((2026, 3, 22)), Some((2026, 3, 23)), Some((2030, 12, 31))];
    pick(byte, &dates).and_then(|(y, m, d)| Date::new(y, m, d))
}

/// A folder of this process for the files a command must be given by name: `COST_FUZZ_SCRATCH`
/// when set (the drivers make one and remove it), else the temporary folder; in it, `cost-fuzz-PID`
/// with a link `examples` to the repository's.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = std::env::var_os("COST_FUZZ_SCRATCH").map_or_else(std::env::temp_dir, PathBuf::from);
        let dir = base.join(format!("cost-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        // A workload written here names its task definitions relative to this folder, as the
        // seeds do relative to the repository's root: `examples/web-api/api.json`.
        let _ = std::os::unix::fs::symlink(repo("examples"), dir.join("examples"));
        dir
    })
}

/// Writes `bytes` to `name` in the [`scratch`] folder (replacing what an earlier run wrote there)
/// and returns its path.
pub fn scratch_file(name: &str, bytes: &[u8]) -> String {
    let path = scratch().join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path.display().to_string()
}

/// Runs `cost ARGS` in process with `stdin` as standard input, no environment, and `today`.
pub fn cli(args: &[OsString], stdin: &[u8], today: Option<Date>) -> Ran {
    let warnings = RefCell::new(Vec::new());
    let var = |_: &str| None;
    let open = || Box::new(Cursor::new(stdin)) as Box<dyn BufRead + '_>;
    let warn = |line: &str| warnings.borrow_mut().push(line.to_owned());
    let context = Context {
        var: &var,
        stdin: &open,
        stdout_is_terminal: false,
        today,
        warn: &warn,
        color: ColorChoice::Auto,
        quiet: false,
    };
    let mut out = Vec::new();
    let command_line = std::iter::once(OsString::from("cost")).chain(args.iter().cloned());
    let exit = run(command_line, &context, &mut out);
    Ran { code: exit.code, out, stderr: exit.stderr, warnings: warnings.into_inner() }
}

/// `COST_FUZZ_TRACE` set: each run's command line and outcome on stderr (to see how far the seeds
/// get: `COST_FUZZ_TRACE=1 fuzz/target/.../workload -runs=0 fuzz/seeds/workload`).
fn trace() -> bool {
    static TRACE: OnceLock<bool> = OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os("COST_FUZZ_TRACE").is_some())
}

/// Arguments from strings.
pub fn args(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

fn has(args: &[OsString], wanted: &str) -> bool {
    args.iter().any(|a| a == wanted)
}

/// A short-option cluster (`-qh`) holding `letter`.
fn short(args: &[OsString], letter: u8) -> bool {
    args.iter().any(|a| {
        let a = a.as_bytes();
        a.len() > 1 && a[0] == b'-' && a[1] != b'-' && a[1..].contains(&letter)
    })
}

/// The command line as it is shown in a failure.
fn shown(args: &[OsString], stdin: &[u8], ran: &Ran) -> String {
    let shown: Vec<Cow<'_, str>> = args.iter().map(|a| a.to_string_lossy()).collect();
    format!(
        "cost {shown:?} -> exit {}, stderr {:?}, warnings {:?}\nstdin ({} bytes): {:?}\nstdout: {:?}",
        ran.code,
        ran.stderr,
        ran.warnings,
        stdin.len(),
        String::from_utf8_lossy(&stdin[..stdin.len().min(2000)]),
        String::from_utf8_lossy(&ran.out[..ran.out.len().min(2000)]),
    )
}

fn one_line(text: &str) -> bool {
    !text.trim().is_empty() && !text.contains('\n')
}

/// Runs `cost ARGS` ([`cli`]) and checks its contract, panicking when it is broken:
///
/// - the exit code is 0 to 4; 0 with no line or one `warning:` line (something unpriced);
///   otherwise exactly one non-empty error line, which does not mention a panic;
/// - on 1 or 2 nothing on stdout, except for `--batch` (what came before the bad line) and
///   `rates check` (its problem list);
/// - stdout is UTF-8; with `--format json` (and no `--quiet`, help or version) and exit 0, 3 or 4,
///   it is JSON, and with `--batch` each of its lines is;
/// - no warning without a date (the stale-rates warning is the only one, and it needs today);
///   with one, each warning is one line.
pub fn cost(args: &[OsString], stdin: &[u8], today: Option<Date>) -> Ran {
    let ran = cli(args, stdin, today);
    if trace() {
        let shown: Vec<Cow<'_, str>> = args.iter().map(|a| a.to_string_lossy()).collect();
        eprintln!("cost {shown:?} -> exit {}: {}", ran.code, ran.stderr.as_deref().unwrap_or("ok"));
    }
    let shown = || shown(args, stdin, &ran);
    assert!(ran.code <= 4, "exit code above 4: {}", shown());
    if today.is_none() {
        assert!(ran.warnings.is_empty(), "a warning: {}", shown());
    }
    for warning in &ran.warnings {
        assert!(one_line(warning), "a warning that is not one line: {}", shown());
    }
    if ran.code == 0 {
        let warning = ran.stderr.as_deref().is_none_or(|l| one_line(l) && l.starts_with("warning: "));
        assert!(warning, "exit 0 with an error line: {}", shown());
    } else {
        let line = ran.stderr.as_deref().unwrap_or("");
        assert!(one_line(line), "not one error line: {}", shown());
        assert!(!line.contains("panicked"), "a panic reported: {}", shown());
        let batch = args.iter().any(|a| a.as_bytes().starts_with(b"--batch"));
        let streams = batch || has(args, "rates");
        if ran.code < 3 && !streams {
            assert!(ran.out.is_empty(), "exit {} with output: {}", ran.code, shown());
        }
    }
    assert!(std::str::from_utf8(&ran.out).is_ok(), "stdout is not UTF-8: {}", shown());
    let quiet = has(args, "--quiet") || short(args, b'q');
    let help = ["--help", "--version", "help"].iter().any(|h| has(args, h))
        || short(args, b'h')
        || short(args, b'V');
    let json = args.windows(2).any(|w| w[0] == "--format" && w[1] == "json") || has(args, "--format=json");
    let batch = args.iter().any(|a| a.as_bytes().starts_with(b"--batch"));
    if batch && !help {
        // Whatever was written, even before a bad line, is whole JSON lines.
        for line in ran.text().lines() {
            assert!(
                serde_json::from_str::<serde_json::Value>(line).is_ok(),
                "not a JSON line {line:?}: {}",
                shown()
            );
        }
    } else if json && !quiet && !help && matches!(ran.code, 0 | 3 | 4) {
        let parsed = serde_json::from_slice::<serde_json::Value>(&ran.out);
        assert!(parsed.is_ok(), "--format json but not JSON ({:?}): {}", parsed.err(), shown());
    }
    ran
}

/// [`cost`] with arguments given as strings.
pub fn cost_str(args_: &[&str], stdin: &[u8], today: Option<Date>) -> Ran {
    cost(&args(args_), stdin, today)
}

/// Checks a `diff OLD NEW --format json` of an input against itself that exited 0: no change.
pub fn no_change(ran: &Ran) {
    if ran.code != 0 {
        return;
    }
    let diff: serde_json::Value = serde_json::from_slice(&ran.out).expect("diff --format json is JSON");
    let delta = diff["total"]["delta"].to_string();
    let zero = Decimal::from_str_exact(&delta).is_ok_and(|d| d.is_zero());
    assert!(zero, "an input diffed against itself changed by {delta}: {}", ran.text());
}

/// The flag-value parsers: `money::parse_decimal` accepts only plain decimals and reads them
/// exactly; `money::parse_json_number` must not panic.
pub fn decimal(text: &str) {
    if let Ok(value) = cost::money::parse_decimal(text) {
        assert_eq!(Some(value), Decimal::from_str_exact(text.trim()).ok(), "parse_decimal({text:?})");
    }
    let _ = cost::money::parse_json_number(text);
}

/// The rate-table parser and what `rates check` and `rates show` do with a table that parsed;
/// whether `rates::parse` accepted it.
pub fn rate_table(text: &str) -> bool {
    let origin = cost::rates::Origin::File("fuzz.toml".to_owned());
    let checked = cost::rates::parse(text, &origin);
    if let Ok(table) = cost::rates::parse_unchecked(text, &origin) {
        let _ = table.problems();
        let _ = table.entries();
        let _ = table.effective();
        let _ = table.provenances();
    }
    checked.is_ok()
}

/// The location names AWS price lists use for the regions the seeds hold (a product without a
/// `regionCode` is placed by its location).
pub fn region_of(location: &str) -> Option<String> {
    match location {
        "US East (N. Virginia)" => Some("us-east-1".to_owned()),
        "EU (Ireland)" | "Europe (Ireland)" => Some("eu-west-1".to_owned()),
        _ => None,
    }
}

/// The price-list reader, then what an import does with what it read; returns the table
/// written, if any.
pub fn price_list(bytes: &[u8], region: Option<&str>) -> Option<String> {
    let mut collected = cost::rates::import::Collected::default();
    cost::rates::import::read_price_list(bytes, "fuzz.json", &region_of, &mut collected).ok()?;
    let (code, region) = collected.choose(region).ok()?;
    cost::rates::import::to_toml(code, region, None).ok()
}

/// A Terraform usage file and plan through the library, as `cost` reads them, then every service
/// made a task as it is and on EC2 (`cost compare`).
pub fn terraform(plan: &str, usage: Option<&str>, today: Option<Date>) {
    let usage = usage.and_then(|u| cost::input::terraform::usage::parse(u).ok()).unwrap_or_default();
    if let Ok(plan) = cost::input::terraform::parse(plan, &usage, today) {
        for service in &plan.services {
            let definition = service.definition.as_ref();
            let _ = service.input.to_task(definition);
            let _ = service.input.on(cost::model::LaunchType::Ec2).to_task(definition);
        }
    }
}

/// A CloudFormation template through the library, with `parameters` (`KEY=VALUE` lines) as
/// `--parameter` values, then every service made a task as it is and on EC2.
pub fn cloudformation(template: &str, parameters: &str, today: Option<Date>) {
    let given = parameters
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let options = cost::input::cloudformation::Options {
        parameters: &given,
        region: Some("us-east-1"),
        today,
        nested: None,
    };
    if let Ok(inventory) = cost::input::cloudformation::parse(template, options) {
        for service in &inventory.services {
            let definition = service.definition.as_ref();
            let _ = service.input.to_task(definition);
            let _ = service.input.on(cost::model::LaunchType::Ec2).to_task(definition);
        }
    }
}

/// describe-services output and a task definition for its services through the library, as `cost`
/// reads them, then every service made a task.
pub fn services(services: &str, definition: Option<&str>) {
    let definitions: Vec<cost::input::services::Definition> =
        definition.and_then(|d| cost::input::services::definition("fuzz", d).ok()).into_iter().collect();
    if let Ok(inventory) = cost::input::services::parse(services, &definitions) {
        for service in &inventory.services {
            let _ = service.input.to_task(service.definition.as_ref());
        }
    }
}

/// A JSON report of `examples/web-api/workload.toml`, written once to the scratch folder: the
/// other side of a `diff`.
pub fn good_report() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let workload = repo("examples/web-api/workload.toml");
        let ran = cli(&args(&["estimate", "--workload", &workload, "--format", "json"]), b"", None);
        assert_eq!(ran.code, 0, "{:?}", ran.stderr);
        scratch_file("good-report.json", &ran.out)
    })
}

/// A Terraform plan that prices (a service linked to its task definition by references), written
/// once to the scratch folder: the other side of a `diff`.
pub fn good_plan() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| scratch_file("good-plan.json", GOOD_PLAN.as_bytes()))
}

const GOOD_PLAN: &str = r#"{"format_version":"1.2","terraform_version":"1.9.5",
"planned_values":{"root_module":{"resources":[
{"address":"aws_ecs_service.api","mode":"managed","type":"aws_ecs_service","name":"api",
 "provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"sensitive_values":{},
 "values":{"name":"api","desired_count":3,"launch_type":"FARGATE","task_definition":null}},
{"address":"aws_ecs_task_definition.api","mode":"managed","type":"aws_ecs_task_definition","name":"api",
 "provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"sensitive_values":{},
 "values":{"family":"api","cpu":"1024","memory":"2048","requires_compatibilities":["FARGATE"],
  "network_mode":"awsvpc","arn":null,"revision":null,
  "container_definitions":"[{\"name\":\"app\",\"image\":\"nginx\",\"essential\":true}]"}}],
"child_modules":[]}},
"resource_changes":[],
"configuration":{"provider_config":{"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws",
 "expressions":{"region":{"constant_value":"us-east-1"}}}},
 "root_module":{"resources":[
 {"address":"aws_ecs_service.api","mode":"managed","type":"aws_ecs_service","name":"api",
  "provider_config_key":"aws","schema_version":0,
  "expressions":{"task_definition":{"references":["aws_ecs_task_definition.api.arn","aws_ecs_task_definition.api"]}}},
 {"address":"aws_ecs_task_definition.api","mode":"managed","type":"aws_ecs_task_definition","name":"api",
  "provider_config_key":"aws","schema_version":0,"expressions":{}}]}},
"timestamp":"2026-09-30T12:00:00Z","applyable":true,"complete":true,"errored":false}
"#;

/// A workload with every kind of item and no task definition files: the fixed input of the
/// targets that fuzz something else (the rate table).
/// It names no region, so it prices with a rate table of any.
pub const FULL_WORKLOAD: &str = r#"[budget]
limit = 5000

[[service]]
name = "api"
vcpu = "0.5"
memory = 1
count = 3
hours = "12.5"
runs = 2
arch = "arm64"
ephemeral_storage = 50
data_transfer = "2048.5"
budget = 1000

[[service]]
name = "win"
vcpu = 2
memory = 8
os = "windows"
minutes = 45

[[service]]
name = "spot"
vcpu = 1
memory = 2
pricing = "spot"
round_up = true

[[service]]
name = "sp"
vcpu = 1
memory = 2
pricing = "savings-plan-3y"

[[service]]
name = "packed"
launch_type = "ec2"
vcpu = 1
memory = 2
count = 6
instance_type = "m5.large"
instances = 3

[[service]]
name = "pod"
platform = "eks"
vcpu = "0.25"
memory = "0.5"

[[eks_cluster]]
name = "prod"
hours = 730
support = "extended"

[[ecr_repository]]
name = "images"
storage_gb = "12.5"
months = 2
"#;
