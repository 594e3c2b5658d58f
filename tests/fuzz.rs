//! A fuzz harness on stable Rust (cargo-fuzz needs nightly): proptest feeds every parser arbitrary
//! text and bytes, and mutated real inputs (the shared samples, the workloads, the shipped rate
//! tables, a report, the AWS price list sample) with bytes flipped, the text cut short, `"`, `{`,
//! `]`, `-`, `1e999` and the like inserted, lines (so keys) duplicated and ranges deleted. Parsers
//! must return `Ok` or `Err`, never panic. The CLI is run in process on hostile flag values and
//! mutated files, and must keep the failure contract: exit 0 to 3, and on 1 or 2 nothing on
//! stdout and one line for stderr.
//!
//! Then the exactness laws over random workloads priced through the CLI: totals are exact sums,
//! JSON numbers are plain decimals, and doubling every count doubles every per-hour line exactly.
//!
//! Each property runs a modest number of cases by default (the whole file takes a few seconds in
//! a debug build). To fuzz for longer, set `PROPTEST_CASES`, which every property here honours:
//!
//! ```sh
//! PROPTEST_CASES=100000 cargo test --release --test fuzz
//! ```
//!
//! A crash found here becomes a plain regression test at the end of the file.

mod common;

use common::*;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::OnceLock;

use cost::cli::{ColorChoice, Context, run};
use cost::model::Os;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use rust_decimal::Decimal;
use serde_json::Value;

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

/// What a run of `cost` did: its exit code, stdout, the error line and any warnings.
#[derive(Debug)]
struct Ran {
    code: u8,
    out: Vec<u8>,
    stderr: Option<String>,
    warnings: Vec<String>,
}

/// Runs `cost args` in process with `stdin`, no environment and no stale-rates warning.
fn cli(args: &[String], stdin: &[u8]) -> Ran {
    let warnings = RefCell::new(Vec::new());
    let var = |_: &str| None;
    let open = || Box::new(Cursor::new(stdin.to_vec())) as Box<dyn std::io::BufRead>;
    let warn = |line: &str| warnings.borrow_mut().push(line.to_owned());
    let context = Context {
        var: &var,
        stdin: &open,
        stdout_is_terminal: false,
        today: None,
        warn: &warn,
        color: ColorChoice::Auto,
        quiet: false,
    };
    let mut out = Vec::new();
    let mut command_line = vec!["cost".to_owned()];
    command_line.extend(args.iter().cloned());
    let exit = run(command_line, &context, &mut out);
    Ran { code: exit.code, out, stderr: exit.stderr, warnings: warnings.into_inner() }
}

fn one_line(text: &str) -> bool {
    !text.trim().is_empty() && !text.contains('\n')
}

/// The failure contract: exit 0 to 3; 0 with no error line; 1 or 2 with nothing on stdout and one
/// error line; 3 with the report and one line. `streams` allows what `--batch` printed before a bad
/// line (every line of it whole JSON) and `rates check`'s problem list.
fn contract(args: &[String], ran: &Ran, streams: bool) -> Result<(), TestCaseError> {
    let shown = || format!("cost {args:?} -> exit {}, stderr {:?}", ran.code, ran.stderr);
    prop_assert!(ran.code <= 3, "{}", shown());
    prop_assert!(ran.warnings.is_empty(), "{}: warnings {:?}", shown(), ran.warnings);
    if ran.code == 0 {
        prop_assert!(ran.stderr.is_none(), "{}", shown());
    } else {
        let line = ran.stderr.as_deref().unwrap_or("");
        prop_assert!(one_line(line), "{}: not one line", shown());
        prop_assert!(!line.contains("panicked"), "{}", shown());
        if ran.code != 3 && !streams {
            prop_assert!(ran.out.is_empty(), "{}: stdout {:?}", shown(), String::from_utf8_lossy(&ran.out));
        }
    }
    Ok(())
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_owned()).collect()
}

// ---------------------------------------------------------------------------------------------
// Seeds and mutations.
// ---------------------------------------------------------------------------------------------

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn root(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// The real inputs mutations start from.
struct Seeds {
    task_definitions: Vec<Vec<u8>>,
    workloads: Vec<Vec<u8>>,
    rate_tables: Vec<Vec<u8>>,
    reports: Vec<Vec<u8>>,
    price_lists: Vec<Vec<u8>>,
    batches: Vec<Vec<u8>>,
}

const FULL_WORKLOAD: &str = r#"region = "us-east-1"

[budget]
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
spot = true
pricing = "spot"
round_up = true

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

const BATCH: &str = r#"{"name": "api", "vcpu": 1, "memory": 2, "count": 3, "arch": "arm64"}
{"vcpu": 0.25, "memory": 0.5, "hours": 1.5, "runs": 30, "spot": true}

{"name": "win", "vcpu": 2, "memory": 8, "os": "windows", "minutes": 45, "budget": 10}
{"name": "ec2", "launch_type": "ec2", "vcpu": 1, "memory": 2, "count": 6}
{"name": "pod", "platform": "eks", "vcpu": 0.3, "memory": 0.7, "data_transfer": 20000}
"#;

const SHORT_BATCH: &str =
    "{\"vcpu\": 4, \"memory\": 30, \"ephemeral_storage\": 200, \"data_transfer\": 153600.5}\n";

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let report = cli(
            &strings(&[
                "estimate",
                "--workload",
                &root("examples/web-api/workload.toml"),
                "--format",
                "json",
            ]),
            b"",
        );
        assert_eq!(report.code, 0, "{:?}", report.stderr);
        for batch in [BATCH, SHORT_BATCH] {
            let ran = cli(&strings(&["estimate", "--batch", "-"]), batch.as_bytes());
            assert_eq!(ran.code, 0, "{:?}", ran.stderr);
        }
        Seeds {
            task_definitions: vec![
                read(&data("task-definition-fargate.json")),
                read(&data("describe-task-definition.json")),
                read(&example("web-api/api.json")),
                read(&example("web-api/worker.json")),
            ],
            workloads: vec![
                read(&data("spec-workload.toml")),
                read(&example("web-api/workload.toml")),
                FULL_WORKLOAD.as_bytes().to_vec(),
            ],
            rate_tables: vec![read(&root("pricing/us-east-1.toml")), read(&root("pricing/eu-west-1.toml"))],
            reports: vec![report.out],
            price_lists: vec![read(&data("get-products-AmazonECS-us-east-1-2022-11-25.json"))],
            batches: vec![BATCH.as_bytes().to_vec(), SHORT_BATCH.as_bytes().to_vec()],
        }
    })
}

/// What gets inserted: the characters that break JSON and TOML, numbers no parser should accept,
/// and bytes that are not UTF-8.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b"-",
    b"1e999",
    b"-1e999",
    b"NaN",
    b"nan",
    b"inf",
    b"-inf",
    b"Infinity",
    b",",
    b":",
    b"=",
    b"\n",
    b"0",
    b"-0",
    b"99999999999999999999999999999",
    b"79228162514264337593543950335",
    b"18446744073709551616",
    b"0.1",
    b"0.0000000000000000000000000001",
    b"null",
    b"true",
    b"\\",
    b"\\u0000",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    "é".as_bytes(),
    b"[[service]]\n",
    b"name = \"x\"\n",
    b"\"cpu\": ",
    b"#",
    b"'''",
    b"\"\"\"",
];

/// A position in the text being mutated, taken modulo its length (so it shrinks towards the start).
#[derive(Debug, Clone, Copy)]
struct Pos(usize);

impl Pos {
    fn index(self, len: usize) -> usize {
        self.0 % len
    }
}

fn pos() -> impl Strategy<Value = Pos> {
    any::<usize>().prop_map(Pos)
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Flip one bit of one byte.
    Flip(Pos, u8),
    /// Set one byte to any value.
    Set(Pos, u8),
    /// Cut the text short.
    Truncate(Pos),
    /// Insert a token.
    Insert(Pos, &'static [u8]),
    /// Repeat the line at a position (a duplicated key).
    DuplicateLine(Pos),
    /// Delete a range of up to 64 bytes.
    Delete(Pos, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (pos(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip(at, bit)),
        (pos(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set(at, byte)),
        pos().prop_map(Mutation::Truncate),
        (pos(), select(TOKENS)).prop_map(|(at, token)| Mutation::Insert(at, token)),
        pos().prop_map(Mutation::DuplicateLine),
        (pos(), 1usize..64).prop_map(|(at, len)| Mutation::Delete(at, len)),
    ]
}

fn mutate(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for m in mutations {
        if bytes.is_empty() {
            if let Mutation::Insert(_, token) = m {
                bytes.extend_from_slice(token);
            }
            continue;
        }
        let len = bytes.len();
        match m {
            Mutation::Flip(at, bit) => bytes[at.index(len)] ^= 1 << bit,
            Mutation::Set(at, byte) => bytes[at.index(len)] = *byte,
            Mutation::Truncate(at) => bytes.truncate(at.index(len)),
            Mutation::Insert(at, token) => {
                let at = at.index(len + 1);
                bytes.splice(at..at, token.iter().copied());
            }
            Mutation::DuplicateLine(at) => {
                let at = at.index(len);
                let start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
                let end = bytes[at..].iter().position(|&b| b == b'\n').map_or(len, |p| at + p + 1);
                let mut line = bytes[start..end].to_vec();
                if !line.ends_with(b"\n") {
                    line.push(b'\n');
                }
                bytes.splice(end..end, line);
            }
            Mutation::Delete(at, n) => {
                let at = at.index(len);
                bytes.drain(at..(at + n).min(len));
            }
        }
    }
    bytes
}

/// One of `seeds`, mutated one to three times.
fn mutated(seeds: &'static [Vec<u8>]) -> impl Strategy<Value = Vec<u8>> {
    (any::<Index>(), prop::collection::vec(mutation(), 1..4))
        .prop_map(move |(which, ms)| mutate(which.get::<Vec<u8>>(seeds), &ms))
}

/// Arbitrary text: any characters, and text made of the tokens that matter to JSON and TOML.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\[\\]{}\"',:=.#\\-+0-9a-z_ \n\t]{0,200}",
        prop::collection::vec(select(TOKENS), 0..40)
            .prop_map(|tokens| String::from_utf8_lossy(&tokens.concat()).into_owned()),
    ]
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ---------------------------------------------------------------------------------------------
// (a) and (b): every parser, arbitrary and mutated input; only "no panic" is asserted.
// ---------------------------------------------------------------------------------------------

fn parse_all_task_definition(text: &str) {
    let _ = cost::input::task_definition::parse(text);
}

fn parse_all_workload(text: &str) {
    let _ = cost::input::workload::parse(text);
}

fn parse_all_report(text: &str) {
    let _ = cost::input::report::parse(text, "fuzz".to_owned());
}

fn parse_all_rates(text: &str) {
    let origin = cost::rates::Origin::File("fuzz.toml".to_owned());
    let _ = cost::rates::parse(text, &origin);
    if let Ok(table) = cost::rates::parse_unchecked(text, &origin) {
        // What `rates check` and `rates show` do with a table that parsed.
        let _ = table.problems();
        let _ = table.entries();
        let _ = table.effective();
        let _ = table.provenances();
    }
}

fn read_price_list(bytes: &[u8]) {
    let region_of = |location: &str| (location == "US East (N. Virginia)").then(|| "us-east-1".to_owned());
    let mut collected = cost::import::Collected::default();
    if cost::import::read_price_list(bytes, "fuzz.json", &region_of, &mut collected).is_ok() {
        // Writing the table out is the rest of an import.
        if let Ok((code, region)) = collected.choose(None) {
            let _ = cost::import::to_toml(code, region, None);
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn parse_decimal_never_panics(text in prop_oneof![
        text(),
        "[-+]?[0-9]{0,40}(\\.[0-9]{0,40})?([eE][-+]?[0-9]{0,4})?",
    ]) {
        if let Ok(value) = cost::money::parse_decimal(&text) {
            // What it accepts is a plain decimal, read exactly.
            prop_assert_eq!(Some(value), Decimal::from_str_exact(text.trim()).ok());
        }
    }

    #[test]
    fn task_definition_parse_never_panics(text in text()) {
        parse_all_task_definition(&text);
    }

    #[test]
    fn workload_parse_never_panics(text in text()) {
        parse_all_workload(&text);
    }

    #[test]
    fn report_parse_never_panics(text in text()) {
        parse_all_report(&text);
    }

    #[test]
    fn rate_table_parse_never_panics(text in text()) {
        parse_all_rates(&text);
    }

    #[test]
    fn read_price_list_never_panics(bytes in prop_oneof![
        any::<Vec<u8>>(),
        text().prop_map(String::into_bytes),
    ]) {
        read_price_list(&bytes);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn mutated_task_definitions_never_panic(bytes in mutated(&seeds().task_definitions)) {
        parse_all_task_definition(&lossy(&bytes));
    }

    #[test]
    fn mutated_workloads_never_panic(bytes in mutated(&seeds().workloads)) {
        parse_all_workload(&lossy(&bytes));
    }

    #[test]
    fn mutated_reports_never_panic(bytes in mutated(&seeds().reports)) {
        parse_all_report(&lossy(&bytes));
    }

    #[test]
    fn mutated_rate_tables_never_panic(bytes in mutated(&seeds().rate_tables)) {
        parse_all_rates(&lossy(&bytes));
    }

    #[test]
    fn mutated_price_lists_never_panic(bytes in mutated(&seeds().price_lists)) {
        read_price_list(&bytes);
    }
}

// ---------------------------------------------------------------------------------------------
// The CLI in process: hostile flag values and mutated files keep the failure contract.
// ---------------------------------------------------------------------------------------------

/// Flag values chosen to hurt: not numbers, numbers at and beyond `Decimal`'s and `u64`'s limits,
/// zero, negative, empty, odd characters, and valid values so runs get as far as pricing.
const HOSTILE: &[&str] = &[
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e999",
    "1e30",
    "1e-999",
    "-1",
    "-0",
    "0",
    "0.0",
    "",
    " ",
    "1.",
    ".5",
    "+1",
    "0x10",
    "1,5",
    "1_000",
    "１",
    "\u{0}",
    "٣",
    "-",
    "--",
    "=",
    "%",
    "10%",
    "99999999999999999999999999999",
    "9999999999999999999999999999",
    "79228162514264337593543950335",
    "7922816251426433759354395033.5",
    "0.0000000000000000000000000001",
    "0.1234567890123456789012345678901",
    "18446744073709551615",
    "18446744073709551616",
    "4294967296",
    "0.25",
    "0.5",
    "1",
    "2",
    "3",
    "4",
    "8",
    "16",
    "20",
    "30",
    "60",
    "120",
    "200",
    "201",
    "730",
    "0.01",
    "1.5",
    "10240",
    "153600",
    "x86_64",
    "arm64",
    "linux",
    "windows",
    "ec2",
    "fargate",
    "eks",
    "ecs",
    "spot",
    "savings-plan-1y",
    "json",
    "csv",
    "markdown",
    "table",
    "us-east-1",
    "eu-west-1",
    "af-south-1",
    "mars-1",
    "m5.large",
    "c6g.large",
];

const VALUED_FLAGS: &[&str] = &[
    "--vcpu",
    "--memory",
    "--count",
    "--hours",
    "--minutes",
    "--runs",
    "--data-transfer",
    "--ephemeral-storage",
    "--budget",
    "--instances",
    "--reserved-memory",
    "--arch",
    "--os",
    "--platform",
    "--pricing",
    "--launch-type",
    "--format",
    "--region",
    "--name",
    "--instance-type",
    "--color",
];

const SWITCHES: &[&str] = &[
    "--spot",
    "--round-up",
    "--free-data-transfer",
    "--explain",
    "--quiet",
    "--no-stale-warning",
    "--keep-going",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(HOSTILE).prop_map(str::to_owned),
        1 => "\\PC{0,12}",
        2 => "-?[0-9]{0,30}(\\.[0-9]{0,30})?",
    ]
}

/// Values `flag` accepts, some of them at the edge (so runs get past clap into pricing).
fn plausible(flag: &str) -> &'static [&'static str] {
    match flag {
        "--vcpu" => &["0.25", "0.5", "1", "2", "4", "8", "16", "0.3", "32", "0.2500001"],
        "--memory" => &["0.5", "1", "2", "3", "4", "8", "16", "30", "60", "120", "1.5", "2.0004"],
        "--count" | "--runs" | "--instances" => {
            &["1", "2", "3", "1000", "4294967296", "18446744073709551615"]
        }
        "--hours" | "--minutes" => {
            &["1", "0.01", "730", "99999999999", "9999999999999999999999999999", TINY_TEXT]
        }
        "--data-transfer" => &["0", "100", "10240", "153600", "9999999999999999999999999999", TINY_TEXT],
        "--ephemeral-storage" => &["20", "21", "200", "201", "20.5", "19.9999"],
        "--budget" => &["0", "100", "9999999999999999999999999999", TINY_TEXT],
        "--reserved-memory" => &["0", "512", "8192", "9999999999999999999999999999", TINY_TEXT],
        "--arch" => &["x86_64", "arm64"],
        "--os" => &["linux", "windows"],
        "--platform" => &["ecs", "eks"],
        "--pricing" => &["on-demand", "spot", "savings-plan-1y", "savings-plan-3y"],
        "--launch-type" => &["fargate", "ec2"],
        "--format" => &["table", "json", "csv", "markdown"],
        "--region" => &["us-east-1", "eu-west-1", "ap-northeast-2", "af-south-1"],
        "--instance-type" => &["t3.medium", "m5.large", "m5.xlarge", "c6g.large", "r5.large"],
        "--color" => &["auto", "always", "never"],
        _ => &["api", "a|b", "**x**", "<script>", "名前", ""],
    }
}

const TINY_TEXT: &str = "0.0000000000000000000000000001";

/// A value for `flag`: mostly one it accepts, else a hostile one.
fn flag_value(flag: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(plausible(flag)).prop_map(str::to_owned),
        1 => value(),
    ]
}

/// A flag other than the size, with a value for it.
fn flag() -> impl Strategy<Value = (&'static str, String)> {
    select(&VALUED_FLAGS[2..]).prop_flat_map(|flag| (Just(flag), flag_value(flag)))
}

/// `estimate --vcpu X --memory Y` and up to four more flags (each at most once), with values
/// that are mostly plausible and sometimes hostile.
fn estimate_args() -> impl Strategy<Value = Vec<String>> {
    (
        flag_value("--vcpu"),
        flag_value("--memory"),
        prop::collection::vec(flag(), 0..5),
        prop::collection::vec(select(&SWITCHES[..SWITCHES.len() - 1]), 0..3),
        any::<bool>(),
    )
        .prop_map(|(vcpu, memory, flags, switches, glue)| {
            let mut args = strings(&["estimate"]);
            let mut seen = std::collections::HashSet::new();
            let mut push = |flag: &str, value: String| {
                if !seen.insert(flag.to_owned()) {
                    return;
                }
                // `--flag=value` reaches the value parser even for values that look like flags.
                if glue {
                    args.push(format!("{flag}={value}"));
                } else {
                    args.extend([flag.to_owned(), value]);
                }
            };
            push("--vcpu", vcpu);
            push("--memory", memory);
            for (flag, value) in flags {
                push(flag, value);
            }
            let mut switches = switches;
            switches.sort_unstable();
            switches.dedup();
            args.extend(switches.into_iter().map(str::to_owned));
            args
        })
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn estimate_with_hostile_flags_keeps_the_contract(args in estimate_args()) {
        let ran = cli(&args, b"");
        contract(&args, &ran, false)?;
    }

    #[test]
    fn compare_with_hostile_flags_keeps_the_contract(args in estimate_args()) {
        let mut args = args;
        args[0] = "compare".to_owned();
        let ran = cli(&args, b"");
        contract(&args, &ran, false)?;
    }

    #[test]
    fn any_argument_list_keeps_the_contract(args in prop::collection::vec(prop_oneof![
        select(HOSTILE).prop_map(str::to_owned),
        select(VALUED_FLAGS).prop_map(str::to_owned),
        select(SWITCHES).prop_map(str::to_owned),
        select(&["estimate", "check", "diff", "compare", "rates", "list", "show", "import", "-", "completions", "bash"][..])
            .prop_map(str::to_owned),
        "\\PC{0,8}",
    ], 0..8)) {
        // Nothing here names a real file except `-`, which reads the (empty) standard input.
        let ran = cli(&args, b"");
        let streams = args.iter().any(|a| a == "rates") || args.iter().any(|a| a == "--keep-going");
        contract(&args, &ran, streams)?;
    }
}

/// A folder for the mutated files of one property, with the web-api task definitions beside
/// them so the workloads' relative `task_definition` paths resolve.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["api.json", "worker.json"] {
        std::fs::copy(example(&format!("web-api/{name}")), dir.path().join(name)).unwrap();
    }
    dir
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn mutated_task_definitions_through_the_cli(
        bytes in mutated(&seeds().task_definitions),
        extra in prop::collection::vec((select(VALUED_FLAGS), value()), 0..2),
        compare in any::<bool>(),
    ) {
        let mut args = strings(&[if compare { "compare" } else { "estimate" }, "--task-definition", "-"]);
        for (flag, value) in extra {
            args.push(format!("{flag}={value}"));
        }
        let ran = cli(&args, &bytes);
        contract(&args, &ran, false)?;
    }

    #[test]
    fn mutated_workloads_through_the_cli(bytes in mutated(&seeds().workloads), command in 0usize..4) {
        let dir = scratch();
        let path = dir.path().join("workload.toml");
        std::fs::write(&path, &bytes).unwrap();
        let path = path.display().to_string();
        let example = root("examples/web-api/workload.toml");
        let args = match command {
            0 => strings(&["estimate", "--workload", &path, "--format", "json"]),
            1 => strings(&["check", &path]),
            2 => strings(&["diff", &example, &path]),
            _ => strings(&["compare", "--workload", &path]),
        };
        let ran = cli(&args, b"");
        contract(&args, &ran, false)?;
    }

    #[test]
    fn mutated_batches_through_the_cli(bytes in mutated(&seeds().batches), keep_going in any::<bool>()) {
        let mut args = strings(&["estimate", "--batch", "-"]);
        if keep_going {
            args.push("--keep-going".to_owned());
        }
        let ran = cli(&args, &bytes);
        contract(&args, &ran, true)?;
        // Whatever was printed, even before a bad line, is whole JSON lines.
        for line in String::from_utf8(ran.out).unwrap().lines() {
            prop_assert!(serde_json::from_str::<Value>(line).is_ok(), "{line}");
        }
    }

    #[test]
    fn mutated_rate_tables_through_the_cli(bytes in mutated(&seeds().rate_tables), check in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rates.toml");
        std::fs::write(&path, &bytes).unwrap();
        let path = path.display().to_string();
        if check {
            let args = strings(&["rates", "check", &path]);
            let ran = cli(&args, b"");
            contract(&args, &ran, true)?;
            prop_assert!(ran.code <= 1);
        } else {
            let args = strings(&["estimate", "--vcpu", "1", "--memory", "2", "--data-transfer", "200000", "--rates", &path]);
            let ran = cli(&args, b"");
            contract(&args, &ran, false)?;
        }
    }

    #[test]
    fn mutated_reports_through_diff(bytes in mutated(&seeds().reports), old_side in any::<bool>()) {
        let good = String::from_utf8(seeds().reports[0].clone()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let good_path = dir.path().join("good.json");
        std::fs::write(&good_path, good).unwrap();
        let good_path = good_path.display().to_string();
        let args = if old_side {
            strings(&["diff", "-", &good_path, "--format", "json"])
        } else {
            strings(&["diff", &good_path, "-", "--max-increase", "10%"])
        };
        let ran = cli(&args, &bytes);
        contract(&args, &ran, false)?;
    }

    #[test]
    fn mutated_price_lists_through_import(bytes in mutated(&seeds().price_lists)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prices.json");
        std::fs::write(&path, &bytes).unwrap();
        let args = strings(&["rates", "import", &path.display().to_string()]);
        let ran = cli(&args, b"");
        contract(&args, &ran, false)?;
        prop_assert!(ran.code <= 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Exactness laws over random workloads, priced through the CLI.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Service {
    /// Index into the sizes Fargate offers for the OS.
    size: Index,
    windows: bool,
    arm: bool,
    /// 0 on demand, 1 Spot, 2 and 3 Savings Plans (1 and 3 years); Linux only but 0.
    pricing: u8,
    count: u64,
    /// Hundredths of an hour, at least 9.
    centihours: u32,
    runs: u64,
    storage: u32,
    /// Tenths of a GB.
    data_transfer: u32,
}

#[derive(Debug, Clone)]
struct Cluster {
    centihours: u32,
    extended: bool,
}

#[derive(Debug, Clone)]
struct Repository {
    tenths_gb: u32,
    months: u32,
}

#[derive(Debug, Clone)]
struct Workload {
    services: Vec<Service>,
    clusters: Vec<Cluster>,
    repositories: Vec<Repository>,
    free_data_transfer: bool,
}

fn service() -> impl Strategy<Value = Service> {
    (
        any::<Index>(),
        any::<bool>(),
        any::<bool>(),
        0u8..4,
        1u64..=1000,
        // At least 0.09 h (324 s): above both per-run minimums (60 s Linux, 300 s Windows),
        // which are not whole hundredths of an hour.
        9u32..=100_000,
        1u64..=100,
        prop_oneof![Just(20u32), 20u32..=200],
        prop_oneof![Just(0u32), 1u32..=2_000_000],
    )
        .prop_map(|(size, windows, arm, pricing, count, centihours, runs, storage, data_transfer)| {
            Service {
                size,
                windows,
                arm: arm && !windows,
                pricing: if windows { 0 } else { pricing },
                count,
                centihours,
                runs,
                storage,
                data_transfer,
            }
        })
}

fn workload() -> impl Strategy<Value = Workload> {
    (
        prop::collection::vec(service(), 1..5),
        prop::collection::vec(
            (1u32..=100_000, any::<bool>())
                .prop_map(|(centihours, extended)| Cluster { centihours, extended }),
            0..3,
        ),
        prop::collection::vec(
            (0u32..=100_000, 1u32..=12).prop_map(|(tenths_gb, months)| Repository { tenths_gb, months }),
            0..3,
        ),
        any::<bool>(),
    )
        .prop_map(|(services, clusters, repositories, free_data_transfer)| Workload {
            services,
            clusters,
            repositories,
            free_data_transfer,
        })
}

fn offered(windows: bool) -> Vec<cost::model::Size> {
    cost::fargate::offered(if windows { Os::Windows } else { Os::Linux }).collect()
}

impl Workload {
    /// The workload file, with every service's count multiplied by `factor`.
    fn toml(&self, factor: u64) -> String {
        use std::fmt::Write as _;
        let mut text = String::from("region = \"us-east-1\"\n");
        for (i, s) in self.services.iter().enumerate() {
            let size = *s.size.get(&offered(s.windows));
            let pricing = ["on-demand", "spot", "savings-plan-1y", "savings-plan-3y"][usize::from(s.pricing)];
            write!(text,
                "\n[[service]]\nname = \"svc{i}\"\nvcpu = \"{}\"\nmemory = \"{}\"\ncount = {}\nhours = \"{}\"\nruns = {}\n\
                 arch = \"{}\"\nos = \"{}\"\npricing = \"{pricing}\"\nephemeral_storage = {}\ndata_transfer = \"{}\"\n",
                size.vcpu,
                size.memory_gb,
                s.count * factor,
                Decimal::new(i64::from(s.centihours), 2),
                s.runs,
                if s.arm { "arm64" } else { "x86_64" },
                if s.windows { "windows" } else { "linux" },
                s.storage,
                Decimal::new(i64::from(s.data_transfer), 1),
            ).unwrap();
        }
        for (i, c) in self.clusters.iter().enumerate() {
            write!(
                text,
                "\n[[eks_cluster]]\nname = \"eks{i}\"\nhours = \"{}\"\nsupport = \"{}\"\n",
                Decimal::new(i64::from(c.centihours), 2),
                if c.extended { "extended" } else { "standard" },
            )
            .unwrap();
        }
        for (i, r) in self.repositories.iter().enumerate() {
            write!(
                text,
                "\n[[ecr_repository]]\nname = \"ecr{i}\"\nstorage_gb = \"{}\"\nmonths = {}\n",
                Decimal::new(i64::from(r.tenths_gb), 1),
                r.months,
            )
            .unwrap();
        }
        text
    }
}

/// Prices `toml` with `cost estimate --workload FILE --format json`.
fn price(toml: &str, free_data_transfer: bool) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workload.toml");
    std::fs::write(&path, toml).unwrap();
    let mut args = strings(&["estimate", "--workload", &path.display().to_string(), "--format", "json"]);
    if free_data_transfer {
        args.push("--free-data-transfer".to_owned());
    }
    let ran = cli(&args, b"");
    assert_eq!(ran.code, 0, "{:?}\n{toml}", ran.stderr);
    serde_json::from_slice(&ran.out).unwrap()
}

/// A JSON number read exactly, after checking it is written as a plain decimal: no exponent, no
/// trailing zeros, at most 28 significant digits, the same digits back when printed.
fn exact(v: &Value) -> Result<Decimal, TestCaseError> {
    let text = v.as_number().map(ToString::to_string);
    prop_assert!(text.is_some(), "{v} is not a number");
    let text = text.unwrap_or_default();
    prop_assert!(!text.contains(['e', 'E']), "{text} has an exponent");
    let value = Decimal::from_str_exact(&text);
    prop_assert!(value.is_ok(), "{text} is not an exact decimal");
    let value = value.unwrap_or_default();
    prop_assert_eq!(value.normalize().to_string(), text.clone(), "{} is not written as its decimal", text);
    Ok(value)
}

/// Every number anywhere in `v`, checked by [`exact`].
fn all_numbers_exact(v: &Value) -> Result<(), TestCaseError> {
    match v {
        Value::Number(_) => exact(v).map(|_| ()),
        Value::Array(items) => items.iter().try_for_each(all_numbers_exact),
        Value::Object(map) => map.values().try_for_each(all_numbers_exact),
        _ => Ok(()),
    }
}

/// Components billed per hour of task time: they scale with the count.
const PER_HOUR: [&str; 4] = ["vcpu", "memory", "ephemeral_storage", "os_license"];

/// `(item, component, detail)` → `(quantity, cost)` of every line.
/// `(item, component, detail)`.
type LineKey = (String, String, String);

fn lines(report: &Value) -> Result<BTreeMap<LineKey, (Decimal, Decimal)>, TestCaseError> {
    let mut map = BTreeMap::new();
    for item in report["items"].as_array().unwrap() {
        for line in item["lines"].as_array().unwrap() {
            let key = (
                item["name"].as_str().unwrap().to_owned(),
                line["component"].as_str().unwrap().to_owned(),
                line["detail"].as_str().unwrap_or("").to_owned(),
            );
            let before = map.insert(key.clone(), (exact(&line["quantity"])?, exact(&line["cost"])?));
            prop_assert!(before.is_none(), "two lines {key:?}");
        }
    }
    Ok(map)
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn totals_are_exact_sums_and_numbers_are_plain_decimals(w in workload()) {
        let report = price(&w.toml(1), w.free_data_transfer);
        all_numbers_exact(&report)?;
        let mut items_sum = Decimal::ZERO;
        for item in report["items"].as_array().unwrap() {
            let mut lines_sum = Decimal::ZERO;
            for line in item["lines"].as_array().unwrap() {
                let cost = exact(&line["cost"])?;
                prop_assert!(cost >= Decimal::ZERO, "{line}");
                if PER_HOUR.contains(&line["component"].as_str().unwrap()) {
                    // With hours of at most two decimals nothing needs rounding: the cost is the
                    // quantity at the rate, exactly.
                    prop_assert_eq!(cost, exact(&line["quantity"])? * exact(&line["rate"])?, "{}", line);
                }
                lines_sum += cost;
            }
            prop_assert_eq!(exact(&item["total"])?, lines_sum, "item {}", item["name"]);
            items_sum += lines_sum;
        }
        prop_assert_eq!(exact(&report["total"])?, items_sum);
        let items = report["items"].as_array().unwrap().len();
        prop_assert_eq!(items, w.services.len() + w.clusters.len() + w.repositories.len());
    }

    #[test]
    fn doubling_every_count_doubles_every_per_hour_line(w in workload()) {
        let once = lines(&price(&w.toml(1), w.free_data_transfer))?;
        let twice = lines(&price(&w.toml(2), w.free_data_transfer))?;
        prop_assert_eq!(once.keys().collect::<Vec<_>>(), twice.keys().collect::<Vec<_>>());
        for (key, (quantity, cost)) in &once {
            let (quantity2, cost2) = twice[key];
            if PER_HOUR.contains(&key.1.as_str()) {
                prop_assert_eq!(quantity2, quantity * Decimal::TWO, "{:?}", key);
                prop_assert_eq!(cost2, cost * Decimal::TWO, "{:?}", key);
            } else {
                // Data transfer is the service's whole amount; clusters and repositories have no
                // count.
                prop_assert_eq!((quantity2, cost2), (*quantity, *cost), "{:?}", key);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed checks of the harness itself.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_mutations_do_what_they_say() {
    let seed = b"a = 1\nb = 2\n";
    let at = Pos;
    assert_eq!(mutate(seed, &[Mutation::Truncate(at(0))]), b"");
    assert_eq!(mutate(seed, &[Mutation::Insert(at(0), b"{")]), b"{a = 1\nb = 2\n");
    assert_eq!(mutate(seed, &[Mutation::DuplicateLine(at(0))]), b"a = 1\na = 1\nb = 2\n");
    assert_eq!(mutate(seed, &[Mutation::Delete(at(0), 6)]), b"b = 2\n");
    assert_eq!(mutate(seed, &[Mutation::Flip(at(0), 5)]), b"A = 1\nb = 2\n");
    assert_eq!(mutate(b"", &[Mutation::Flip(at(0), 5), Mutation::Insert(at(3), b"]")]), b"]");
}

#[test]
fn the_seeds_are_sound() {
    // Unmutated, every seed parses: the mutations start from inputs that get deep.
    let s = seeds();
    for t in &s.task_definitions {
        assert!(cost::input::task_definition::parse(&lossy(t)).is_ok());
    }
    for w in &s.workloads {
        assert!(cost::input::workload::parse(&lossy(w)).is_ok(), "{}", lossy(w));
    }
    for r in &s.rate_tables {
        assert!(cost::rates::parse(&lossy(r), &cost::rates::Origin::File("seed".to_owned())).is_ok());
    }
    assert!(cost::input::report::parse(&lossy(&s.reports[0]), "seed".to_owned()).is_ok());
    let mut collected = cost::import::Collected::default();
    assert!(cost::import::read_price_list(&s.price_lists[0][..], "seed", &|_| None, &mut collected).is_ok());
    assert!(collected.choose(None).is_ok());
    let ran = cli(&strings(&["estimate", "--workload", "-", "--format", "json"]), FULL_WORKLOAD.as_bytes());
    assert_eq!(ran.code, 0, "{:?}", ran.stderr);
    let report: Value = serde_json::from_slice(&ran.out).unwrap();
    assert_eq!(report["items"].as_array().unwrap().len(), 7);
    // It prices: mutations start from a workload that gets through every stage.
    assert!(number(&report["total"]) > d("0"));
}
