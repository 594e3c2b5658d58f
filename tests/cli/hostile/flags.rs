//! Flags: numbers that are not numbers, numbers that cannot be priced, unknown enum values, usage
//! errors and combinations that cannot be priced.

use super::*;

/// Numbers that are not numbers, or not ones a decimal flag can hold, for every numeric flag.
pub(super) fn numeric_flag_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let decimal_flags = [
        "--vcpu",
        "--memory",
        "--hours",
        "--minutes",
        "--data-transfer",
        "--ephemeral-storage",
        "--budget",
        "--reserved-memory",
    ];
    for flag in decimal_flags {
        for value in ["NaN", "inf", "1e999", "1e30", TOO_MANY_DIGITS, TOO_PRECISE, "-1", "", "0x10", "1."] {
            cases.push(flag_case(flag, value, 2, &[flag]));
        }
        // `-inf` as its own word is read as flags by clap (see the ignored test below); glued
        // to the flag it is a value.
        let mut glued = estimate_with(flag, "");
        glued.pop();
        let last = glued.pop().unwrap();
        glued.push(format!("{last}=-inf"));
        let glued: Vec<&str> = glued.iter().map(String::as_str).collect();
        cases.push(case(&glued, 2, &[flag, "-inf"]));
    }
    // Zero where the flag must be greater than zero.
    for flag in ["--vcpu", "--memory", "--hours", "--minutes"] {
        cases.push(flag_case(flag, "0", 2, &[flag, "greater than 0"]));
        cases.push(flag_case(flag, "-0", 2, &[flag]));
    }
    for flag in ["--count", "--runs", "--instances"] {
        for value in ["NaN", "inf", "-1", "0", "1.5", "1e3", "18446744073709551616", "", "1e999"] {
            cases.push(flag_case(flag, value, 2, &[flag]));
        }
    }
    // The same rules on the other subcommands' numeric flags.
    let workload = example("web-api/workload.toml");
    let report = "report.json"; // never read: the flag fails first
    for value in ["NaN", "-1", "1e999", TOO_MANY_DIGITS] {
        cases.push(case(&["check", &workload, "--budget", value], 2, &["--budget"]));
        cases.push(case(&["compare", "--vcpu", value, "--memory", "2"], 2, &["--vcpu"]));
    }
    for value in ["-5", "abc%", "NaN%", "1e999", "10%%", "inf%", "%", TOO_PRECISE] {
        cases.push(case(&["diff", report, report, "--max-increase", value], 2, &["--max-increase"]));
    }
    cases.push(case(
        &["compare", "--vcpu", "1", "--memory", "2", "--reserved-memory", "-1"],
        2,
        &["--reserved-memory"],
    ));
    cases
}

/// Well-formed numbers that are too large, too small or not offered: exit 1, naming the value.
pub(super) fn unpriceable_number_cases() -> Vec<Case> {
    let overflow = ["--count", MAX, "--runs", MAX, "--hours", "99999999999"];
    let with = |extra: &[&str]| {
        let mut args = vec!["estimate", "--vcpu", "1", "--memory", "2"];
        args.extend_from_slice(extra);
        args.iter().map(|a| (*a).to_owned()).collect::<Vec<String>>()
    };
    let mut cases = vec![
        flag_case("--vcpu", HUGE, 1, &[&format!("{HUGE} vCPU")]),
        flag_case("--memory", HUGE, 1, &[&format!("{HUGE} GB")]),
        flag_case("--vcpu", TINY, 1, &[&format!("{TINY} vCPU")]),
        flag_case("--memory", TINY, 1, &[&format!("{TINY} GB")]),
        flag_case("--vcpu", "0.26", 1, &["0.26 vCPU", "--round-up"]),
        flag_case("--memory", "1.5", 1, &["1.5 GB", "--round-up"]),
        flag_case("--ephemeral-storage", "0", 1, &["ephemeral storage", "0 GB"]),
        flag_case("--ephemeral-storage", "201", 1, &["ephemeral storage", "201 GB"]),
        flag_case("--ephemeral-storage", HUGE, 1, &["ephemeral storage", HUGE]),
    ];
    // Overflow, not a panic (the messages say what overflowed; see the ignored test about naming
    // the flags).
    for extra in [
        overflow.to_vec(),
        vec!["--hours", HUGE],
        vec!["--minutes", HUGE],
        vec!["--count", MAX, "--runs", MAX, "--minutes", TINY],
        vec!["--os", "windows", "--count", MAX, "--runs", MAX, "--hours", "99999999"],
        vec!["--ephemeral-storage", "200", "--count", MAX, "--runs", MAX],
        vec!["--launch-type", "ec2", "--count", MAX, "--runs", MAX],
        vec!["--launch-type", "ec2", "--instances", MAX, "--hours", HUGE],
        vec!["--pricing", "savings-plan-1y", "--count", MAX, "--runs", MAX],
    ] {
        let args = with(&extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cases.push(case(&args, 1, &["too large"]));
    }
    let mut compare = vec!["compare", "--vcpu", "1", "--memory", "2"];
    compare.extend(overflow);
    cases.push(case(&compare, 1, &["too large"]));
    cases
}

/// Values no enum flag knows, and enum flags without a value.
pub(super) fn enum_flag_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (flag, value) in [
        ("--arch", "mips"),
        ("--arch", "ARM64"),
        ("--arch", ""),
        ("--os", "beos"),
        ("--os", "Windows Server"),
        ("--launch-type", "lambda"),
        ("--platform", "k8s"),
        ("--pricing", "free"),
        ("--pricing", "savings-plan-5y"),
        ("--format", "yaml"),
        ("--format", "JSON"),
        ("--color", "rainbow"),
    ] {
        cases.push(flag_case(flag, value, 2, &[flag]));
    }
    for flag in
        ["--arch", "--os", "--format", "--platform", "--pricing", "--launch-type", "--region", "--name"]
    {
        cases.push(case(&["estimate", "--vcpu", "1", "--memory", "2", flag], 2, &[flag]));
    }
    let workload = example("web-api/workload.toml");
    cases.extend([
        case(&["diff", &workload, &workload, "--format", "yaml"], 2, &["--format"]),
        case(&["check", &workload, "--format", "xml"], 2, &["--format"]),
        case(&["compare", "--vcpu", "1", "--memory", "2", "--format", "yaml"], 2, &["--format"]),
        case(&["rates", "list", "--format", "yaml"], 2, &["--format"]),
        case(&["rates", "show", "us-east-1", "--format", "yaml"], 2, &["--format"]),
        case(&["completions", "tcsh"], 2, &["tcsh"]),
    ]);
    cases
}

/// Flags that do not go together, missing and unknown arguments.
pub(super) fn usage_cases() -> Vec<Case> {
    let workload = example("web-api/workload.toml");
    vec![
        case(&[], 2, &["subcommand"]),
        case(&["frobnicate"], 2, &["frobnicate"]),
        case(&["estimate"], 2, &["--vcpu", "--memory"]),
        case(&["estimate", "--memory", "2"], 2, &["--vcpu"]),
        case(&["estimate", "--vcpu", "1", "--memory", "2", "--bogus"], 2, &["--bogus"]),
        case(&["estimate", "--vcpu", "1", "--memory", "2", "--keep-going"], 2, &["--keep-going", "--batch"]),
        case(
            &["estimate", "--vcpu", "1", "--memory", "2", "--minutes", "5", "--hours", "1"],
            2,
            &["--minutes", "--hours"],
        ),
        case(&["estimate", "--vcpu", "1", "--memory", "2", "--vcpu", "2"], 2, &["--vcpu"]),
        case(&["estimate", "--workload", &workload, "--vcpu", "1"], 2, &["--workload", "--vcpu"]),
        case(&["estimate", "--workload", &workload, "--batch", "x.jsonl"], 2, &["--workload", "--batch"]),
        case(&["estimate", "--batch", "x.jsonl", "--launch-type", "ec2"], 2, &["--batch", "--launch-type"]),
        case(&["diff", &workload], 2, &["NEW"]),
        case(&["diff", "-", "-"], 2, &["standard input"]),
        case(&["check"], 2, &["WORKLOAD"]),
        case(&["rates"], 2, &["subcommand"]),
        case(&["rates", "show"], 2, &["REGION"]),
        case(&["rates", "import"], 2, &["FILE"]),
        case(&["compare", "--vcpu", "1", "--memory", "2", "--launch-type", "ec2"], 2, &["--launch-type"]),
        case(&["compare", "--vcpu", "1", "--memory", "2", "--budget", "5"], 2, &["--budget"]),
        case(&["compare", "--batch", "x.jsonl"], 2, &["--batch"]),
    ]
}

/// Combinations that parse but cannot be priced, and regions without rates.
pub(super) fn unpriceable_combination_cases() -> Vec<Case> {
    let size = ["estimate", "--vcpu", "1", "--memory", "2"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> { [&size[..], extra].concat() };
    vec![
        case(&with(&["--os", "windows", "--spot"]), 1, &["--spot"]),
        case(&with(&["--os", "windows", "--arch", "arm64"]), 1, &["--arch"]),
        case(&with(&["--platform", "eks", "--arch", "arm64"]), 1, &["arm64", "--platform"]),
        case(&with(&["--platform", "eks", "--spot"]), 1, &["Spot"]),
        case(&with(&["--os", "windows", "--pricing", "savings-plan-1y"]), 1, &["savings-plan-1y", "Windows"]),
        case(&with(&["--spot", "--pricing", "on-demand"]), 1, &["spot", "on-demand"]),
        case(
            &with(&["--region", "eu-west-1", "--pricing", "savings-plan-3y"]),
            1,
            &["eu-west-1", "savings_plan_3y"],
        ),
        case(&with(&["--region", "af-south-1", "--arch", "arm64"]), 1, &["af-south-1", "linux_arm64"]),
        case(&with(&["--region", "eu-west-1", "--os", "windows"]), 1, &["eu-west-1", "windows"]),
        case(&with(&["--region", "mars-1"]), 1, &["mars-1", "--region"]),
        case(&with(&["--region", ""]), 1, &["region ``", "--region"]),
        case(&size, 1, &["mars-1", "AWS_REGION"]).env("AWS_REGION", "mars-1"),
        case(&size, 1, &["mars-1", "AWS_DEFAULT_REGION"]).env("AWS_DEFAULT_REGION", "mars-1"),
        case(&with(&["--launch-type", "ec2", "--os", "windows"]), 1, &["Windows"]),
        case(&with(&["--launch-type", "ec2", "--spot"]), 1, &["--spot"]),
        case(&with(&["--launch-type", "ec2", "--instance-type", "c6g.large"]), 1, &["c6g.large"]),
        case(&with(&["--launch-type", "ec2", "--instance-type", "z9.huge"]), 1, &["z9.huge"]),
        case(
            &with(&["--launch-type", "ec2", "--instances", "1", "--count", "5"]),
            1,
            &["5 tasks", "1 instance"],
        ),
        case(&with(&["--launch-type", "ec2", "--reserved-memory", HUGE]), 1, &["1 vCPU / 2 GB"]),
        case(&with(&["--launch-type", "ec2", "--region", "eu-west-1"]), 1, &["eu-west-1", "[ec2]"]),
        case(&with(&["--instance-type", "m5.large"]), 1, &["instance_type", "--launch-type ec2"]),
        case(&with(&["--instances", "2"]), 1, &["instances", "--launch-type ec2"]),
        case(&["rates", "show", "mars-1"], 1, &["mars-1"]),
        case(&["rates", "show", ""], 1, &["region ``"]),
        case(&["compare", "--vcpu", "1", "--memory", "2", "--instance-type", "z9.huge"], 1, &["z9.huge"]),
        case(
            &["compare", "--vcpu", "1", "--memory", "2", "--region", "eu-west-1"],
            1,
            &["eu-west-1", "[ec2]"],
        ),
    ]
}

#[test]
fn numeric_flags_refuse_what_is_not_a_plain_decimal() {
    verify(&numeric_flag_cases());
}

#[test]
fn numbers_that_parse_but_cannot_be_priced_exit_1_without_panicking() {
    verify(&unpriceable_number_cases());
}

#[test]
fn enum_flags_refuse_unknown_values() {
    verify(&enum_flag_cases());
}

#[test]
fn usage_errors_exit_2() {
    verify(&usage_cases());
}

#[test]
fn combinations_and_regions_without_rates_exit_1() {
    verify(&unpriceable_combination_cases());
}
