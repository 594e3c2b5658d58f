//! Exit codes: 1 cannot price, 2 usage, 3 over budget, each with one line on stderr; and 0, silent,
//! when the reader goes away.

use super::*;

#[derive(Debug)]
struct Case {
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
    code: i32,
    needles: Vec<String>,
}

fn case(code: i32, args: &[&str], needles: &[&str]) -> Case {
    Case {
        args: args.iter().map(|&a| a.to_owned()).collect(),
        env: Vec::new(),
        code,
        needles: needles.iter().map(|&s| s.to_owned()).collect(),
    }
}

/// `estimate --vcpu 1 --memory 2` plus `extra`.
fn est(code: i32, extra: &[&str], needles: &[&str]) -> Case {
    let mut args = vec!["estimate", "--vcpu", "1", "--memory", "2"];
    args.extend_from_slice(extra);
    case(code, &args, needles)
}

fn check_cases(cases: &[Case]) {
    for c in cases {
        let mut cmd = cost();
        cmd.args(&c.args);
        for (key, value) in &c.env {
            cmd.env(key, value);
        }
        let out = capture(&mut cmd);
        let name = format!(
            "{} {}",
            c.env.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" "),
            c.args.join(" ")
        );
        let needles: Vec<&str> = c.needles.iter().map(String::as_str).collect();
        assert_failure(name.trim(), &out, c.code, &needles);
    }
}

#[test]
fn inputs_that_cannot_be_priced_exit_1() {
    let cases = [
        // Sizes Fargate does not offer.
        case(1, &["estimate", "--vcpu", "1", "--memory", "3.5"], &["3.5", "valid memory", "--round-up"]),
        case(1, &["estimate", "--vcpu", "0.3", "--memory", "1"], &["0.3", "valid vCPU"]),
        case(1, &["estimate", "--vcpu", "1", "--memory", "1.5"], &["1.5", "2, 3, 4"]),
        case(1, &["estimate", "--vcpu", "16", "--memory", "200"], &["200", "largest"]),
        case(
            1,
            &["estimate", "--vcpu", "0.5", "--memory", "2", "--os", "windows"],
            &["0.5", "Windows", "1, 2, 4"],
        ),
        case(1, &["estimate", "--vcpu", "8", "--memory", "16", "--os", "windows"], &["8 vCPU", "Windows"]),
        case(1, &["estimate", "--vcpu", "1", "--memory", "9", "--os", "windows"], &["9 GB", "Windows"]),
        // Unknown regions.
        est(1, &["--region", "mars-north-1"], &["mars-north-1", "us-east-1"]),
        est(1, &["--region", "US-EAST-1"], &["US-EAST-1"]),
        // Missing rates.
        est(1, &["--region", "us-west-1", "--arch", "arm64"], &["us-west-1", "arm64", "--rates"]),
        est(
            1,
            &["--region", "us-west-1", "--ephemeral-storage", "30"],
            &["us-west-1", "ephemeral storage", "--rates"],
        ),
        est(
            1,
            &["--region", "eu-west-1", "--data-transfer", "10"],
            &["eu-west-1", "data transfer", "--rates"],
        ),
        est(
            1,
            &["--region", "ap-northeast-2", "--spot", "--arch", "arm64"],
            &["ap-northeast-2", "spot", "arm64"],
        ),
        est(1, &["--region", "eu-west-1", "--os", "windows"], &["eu-west-1", "Windows"]),
        // Windows combinations AWS does not offer.
        est(1, &["--os", "windows", "--arch", "arm64"], &["--arch", "--os"]),
        est(1, &["--os", "windows", "--spot"], &["--spot"]),
        // Storage outside 20..200 GB.
        est(1, &["--ephemeral-storage", "201"], &["201", "200"]),
        est(1, &["--ephemeral-storage", "10"], &["10 GB", "20"]),
        // Numbers too large to price exactly.
        est(1, &["--hours", "99999999999999999999999999"], &["too large"]),
        est(1, &["--count", "18446744073709551615", "--runs", "18446744073709551615"], &["too large"]),
    ];
    check_cases(&cases);
}

#[test]
fn unknown_region_from_the_environment_exits_1() {
    let mut from_env = est(1, &[], &["mars-1"]);
    from_env.env.push(("AWS_REGION", "mars-1"));
    let mut from_default = est(1, &[], &["venus-2"]);
    from_default.env.push(("AWS_DEFAULT_REGION", "venus-2"));
    // --region wins over a good environment.
    let mut flag_wins = est(1, &["--region", "pluto-3"], &["pluto-3"]);
    flag_wins.env.push(("AWS_REGION", "us-east-1"));
    check_cases(&[from_env, from_default, flag_wins]);
}

#[test]
fn rate_table_files_that_cannot_be_used_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let good = write_file(dir.path(), "good.toml", TEST_TABLE.as_bytes());
    let malformed =
        write_file(dir.path(), "malformed.toml", b"schema_version = 1\nregion = \"xx-test-1\"\n[fargate\n");
    let float = write_file(dir.path(), "float.toml", TEST_TABLE.replace("\"0.0625\"", "0.1").as_bytes());
    let unknown_key = write_file(
        dir.path(),
        "unknown-key.toml",
        TEST_TABLE.replace("location =", "colour = \"red\"\nlocation =").as_bytes(),
    );
    let negative =
        write_file(dir.path(), "negative.toml", TEST_TABLE.replace("\"0.0625\"", "\"-0.0625\"").as_bytes());
    let empty = write_file(dir.path(), "empty.toml", b"");
    let not_utf8 = write_file(dir.path(), "binary.toml", b"\xff\xfe\x00garbage");
    let missing = dir.path().join("does-not-exist.toml");
    let (good, malformed, float, unknown_key, negative, empty, not_utf8, missing, dir_path) = (
        path_str(&good),
        path_str(&malformed),
        path_str(&float),
        path_str(&unknown_key),
        path_str(&negative),
        path_str(&empty),
        path_str(&not_utf8),
        path_str(&missing),
        path_str(dir.path()),
    );

    let cases = [
        // Rate table files.
        est(1, &["--rates", malformed], &[malformed, ":3:"]),
        est(1, &["--rates", float], &[float, "0.1", "quoted"]),
        est(1, &["--rates", unknown_key], &[unknown_key, "colour"]),
        est(1, &["--rates", negative], &[negative, "vcpu_hour", "negative"]),
        est(1, &["--rates", empty], &[empty, "schema_version"]),
        est(1, &["--rates", not_utf8], &[not_utf8]),
        est(1, &["--rates", missing], &[missing]),
        est(1, &["--rates", dir_path], &[dir_path]),
        est(1, &["--rates", good, "--region", "us-east-1"], &["region", "us-east-1", good, "xx-test-1"]),
        est(1, &["--rates", good, "--arch", "arm64"], &["arm64"]),
    ];
    check_cases(&cases);
}

#[test]
fn usage_errors_exit_2() {
    let cases = [
        est(2, &["--frob"], &["--frob"]),
        est(2, &["--vcpus", "1"], &["--vcpus"]),
        case(2, &["estimate", "--vcpu", "abc", "--memory", "2"], &["--vcpu", "abc"]),
        case(2, &["estimate", "--vcpu", "-1", "--memory", "2"], &["-1"]),
        case(2, &["estimate", "--vcpu", "0", "--memory", "2"], &["--vcpu", "0"]),
        case(2, &["estimate", "--vcpu", "0.0", "--memory", "2"], &["--vcpu"]),
        case(2, &["estimate", "--vcpu=", "--memory", "2"], &["--vcpu"]),
        case(2, &["estimate", "--vcpu", "1,5", "--memory", "2"], &["--vcpu", "1,5"]),
        case(2, &["estimate", "--vcpu", "1e0", "--memory", "2"], &["--vcpu", "1e0"]),
        case(2, &["estimate", "--vcpu", "0.12345678901234567890123456789", "--memory", "2"], &["--vcpu"]),
        case(2, &["estimate", "--memory", "2", "--vcpu"], &["--vcpu"]),
        case(2, &["estimate", "--vcpu", "1", "--memory", "NaN"], &["--memory", "NaN"]),
        case(2, &["estimate", "--vcpu", "1", "--memory", "inf"], &["--memory", "inf"]),
        est(2, &["--count", "0"], &["--count", "0"]),
        est(2, &["--count", "-3"], &["-3"]),
        est(2, &["--count", "1.5"], &["--count", "1.5"]),
        est(2, &["--count", "99999999999999999999"], &["--count"]),
        est(2, &["--runs", "0"], &["--runs", "0"]),
        est(2, &["--runs", "two"], &["--runs", "two"]),
        est(2, &["--hours", "inf"], &["--hours", "inf"]),
        est(2, &["--hours", "1e3"], &["--hours", "1e3"]),
        est(2, &["--hours", "0"], &["--hours", "0"]),
        est(2, &["--minutes", "0"], &["--minutes", "0"]),
        est(2, &["--minutes", "ten"], &["--minutes", "ten"]),
        est(2, &["--minutes", "10", "--hours", "1"], &["--minutes", "--hours"]),
        est(2, &["--arch", "sparc"], &["--arch", "sparc", "x86_64", "arm64"]),
        est(2, &["--os", "macos"], &["--os", "macos", "linux", "windows"]),
        est(2, &["--format", "xml"], &["--format", "xml", "json"]),
        est(2, &["--budget", "-5"], &["-5"]),
        est(2, &["--budget", "lots"], &["--budget", "lots"]),
        est(2, &["--data-transfer", "-1"], &["-1"]),
        est(2, &["--data-transfer", "1TB"], &["--data-transfer", "1TB"]),
        est(2, &["--ephemeral-storage", "big"], &["--ephemeral-storage", "big"]),
        est(2, &["--vcpu", "2"], &["--vcpu"]),
        est(2, &["--spot=yes"], &["--spot"]),
        case(2, &["estimate", "--vcpu", "1"], &["--memory"]),
        case(2, &["estimate", "--memory", "2"], &["--vcpu"]),
        case(2, &["estimate"], &["--vcpu", "--memory"]),
        case(2, &[], &["subcommand"]),
        case(2, &["bogus"], &["bogus"]),
        case(2, &["--frob"], &["--frob"]),
    ];
    check_cases(&cases);
}

#[test]
fn negative_values_name_their_flag() {
    for (flag, value) in [
        ("--vcpu", "-1"),
        ("--memory", "-2"),
        ("--count", "-3"),
        ("--hours", "-1"),
        ("--minutes", "-10"),
        ("--runs", "-1"),
        ("--budget", "-5"),
        ("--data-transfer", "-1"),
        ("--ephemeral-storage", "-30"),
    ] {
        let mut args = vec!["estimate"];
        if flag != "--vcpu" {
            args.extend(["--vcpu", "1"]);
        }
        if flag != "--memory" {
            args.extend(["--memory", "2"]);
        }
        args.extend([flag, value]);
        let out = run(&args);
        assert_failure(&args.join(" "), &out, 2, &[flag, value]);
    }
}

/// Exactly 36.0401, the total of 1 vCPU / 2 GB for a month in us-east-1.
fn month_total() -> Decimal {
    n(730) * d(use1::VCPU) + n(1460) * d(use1::GB)
}

#[test]
fn over_budget_exits_3_with_the_full_report() {
    // 36.0401 − 10 = 26.0401 over.
    let total = month_total();
    let budget = n(10);
    let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--budget", "10"]);
    assert_failure("--budget 10", &out, 3, &[&usd(total), &usd(budget), &usd(total - budget)]);
    assert_eq!(usd(total - budget), "$26.04");
    assert!(out.stderr.contains("$36.04") && out.stderr.contains("$10.00"));
    // The full report is on stdout.
    for text in ["vCPU", "memory", "$29.55", "$6.49", "$36.04"] {
        assert!(out.stdout.contains(text), "`{text}` missing:\n{}", out.stdout);
    }

    // The JSON report too, with the budget block.
    let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--budget", "10", "--format", "json"]);
    assert_failure("--budget 10 --format json", &out, 3, &["$26.04"]);
    let doc: Value = serde_json::from_str(&out.stdout).expect("a JSON report on stdout");
    check_report(&doc);
    assert_eq!(num(&doc["total"]), total);
    assert_eq!(num(&doc["budget"]["limit"]), budget);
    assert_eq!(doc["budget"]["exceeded"], true);
    assert_eq!(doc["items"][0]["lines"].as_array().unwrap().len(), 2);

    // CSV and Markdown print in full as well.
    for format in ["csv", "markdown"] {
        let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--budget", "10", "--format", format]);
        assert_failure(format, &out, 3, &["$26.04"]);
        assert!(out.stdout.contains("36.04"), "{format}:\n{}", out.stdout);
    }

    // A budget of zero is exceeded by any cost.
    let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--budget", "0"]);
    assert_failure("--budget 0", &out, 3, &["$36.04", "$0.00"]);
}

#[test]
fn budget_equal_to_the_exact_total_is_not_over() {
    let total = month_total();
    assert_eq!(total, d("36.0401"));
    let limit = total.to_string();
    let (_, doc) = json_of(cost().args(["estimate", "--vcpu", "1", "--memory", "2", "--budget", &limit]));
    assert_eq!(num(&doc["budget"]["limit"]), total);
    assert_eq!(doc["budget"]["exceeded"], false);
    // Table too: exit 0, nothing on stderr.
    ok(cost().args(["estimate", "--vcpu", "1", "--memory", "2", "--budget", &limit]));
    // Well within budget.
    let (_, doc) = json_of(cost().args(["estimate", "--vcpu", "1", "--memory", "2", "--budget", "100"]));
    assert_eq!(doc["budget"]["exceeded"], false);
}

#[test]
fn budget_just_below_the_exact_total_is_over() {
    // $36.04 rounds to the same cents as 36.0401 but is 0.0001 below it.
    let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--budget", "36.04"]);
    assert_failure("--budget 36.04", &out, 3, &["$36.04"]);
    let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--budget", "36.0400999"]);
    assert_failure("--budget 36.0400999", &out, 3, &["$36.04"]);
}

/// `cost` writing into a pipe nobody reads exits 0 and says nothing.
fn assert_quiet_on_broken_pipe(args: &[&str]) {
    let output = with_stdout_closed(args);
    assert_eq!(output.status.code(), Some(0), "[{}] {output:?}", args.join(" "));
    assert!(
        output.stderr.is_empty(),
        "[{}] stderr: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn broken_pipe_exits_0_silently() {
    assert_quiet_on_broken_pipe(&["estimate", "--vcpu", "1", "--memory", "2"]);
    assert_quiet_on_broken_pipe(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--data-transfer",
        "200000",
        "--format",
        "json",
    ]);
}

#[test]
fn reader_that_stops_after_one_byte() {
    // The common shell case, `cost ... | head -c1`; the subshell reports cost's exit code on
    // stderr, after anything cost itself wrote there.
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"("$0" estimate --vcpu 1 --memory 2 --data-transfer 200000; echo "exit=$?" >&2) | head -c1 >/dev/null"#)
        .arg(assert_cmd::cargo::cargo_bin!("cost"))
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("NO_COLOR")
        .env("COST_NO_STALE_WARNING", "1")
        .output()
        .expect("sh runs");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "exit=0\n");
}
