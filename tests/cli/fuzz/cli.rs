//! The CLI in process: hostile flag values and mutated files keep the failure contract.

use super::*;

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

/// Flags that name a file; with `-` they read the (empty) standard input.
const FILE_FLAGS: &[&str] =
    &["--task-definition", "--workload", "--batch", "--terraform-plan", "--usage", "--rates"];

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
        select(FILE_FLAGS).prop_map(str::to_owned),
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

/// `cost estimate --batch -` on `bytes`: the contract, and whatever was printed, even before a bad
/// line, is whole JSON lines.
fn batch_through_the_cli(bytes: &[u8], keep_going: bool) -> Result<(), TestCaseError> {
    let mut args = strings(&["estimate", "--batch", "-"]);
    if keep_going {
        args.push("--keep-going".to_owned());
    }
    let ran = cli(&args, bytes);
    contract(&args, &ran, true)?;
    let out = String::from_utf8(ran.out);
    prop_assert!(out.is_ok(), "stdout is not UTF-8");
    for line in out.unwrap_or_default().lines() {
        prop_assert!(serde_json::from_str::<Value>(line).is_ok(), "{line}");
    }
    Ok(())
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
        batch_through_the_cli(&bytes, keep_going)?;
    }

    #[test]
    fn arbitrary_batches_through_the_cli(text in text(), keep_going in any::<bool>()) {
        batch_through_the_cli(text.as_bytes(), keep_going)?;
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
// Terraform plans and their usage files: arbitrary, mutated and generated plans, read by the
// library and through every command that takes a plan.
