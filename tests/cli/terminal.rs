//! Colour and layout rules. Run in process, so stdout can claim to be a terminal: colour and box
//! drawing on a terminal, never colour with `NO_COLOR` set and non-empty, plain ASCII when piped.
//! Run as the binary: `--color` beats the environment, and `--quiet` prints only the amount.

use crate::common::{cost, example, fails};

use cost::cli::{Context, run};

/// What `cost estimate --vcpu 1 --memory 2` prints, with its exit code.
fn estimate(terminal: bool, no_color: Option<&str>) -> (u8, String) {
    let var = |name: &str| if name == "NO_COLOR" { no_color.map(str::to_owned) } else { None };
    let stdin = || Box::new(std::io::empty()) as Box<dyn std::io::BufRead>;
    let context = Context {
        var: &var,
        stdin: &stdin,
        stdout_is_terminal: terminal,
        today: None,
        warn: &|_| {},
        color: cost::cli::ColorChoice::Auto,
        quiet: false,
    };
    let mut out = Vec::new();
    let exit = run(["cost", "estimate", "--vcpu", "1", "--memory", "2"], &context, &mut out);
    (exit.code, String::from_utf8(out).unwrap())
}

const ESCAPE: char = '\u{1b}';

#[test]
fn a_terminal_gets_colour_and_box_drawing() {
    let (code, out) = estimate(true, None);
    assert_eq!(code, 0);
    assert!(out.contains(ESCAPE), "no ANSI styling on a terminal");
    assert!(out.contains('│') || out.contains('┆'), "no box drawing on a terminal");
}

#[test]
fn no_color_turns_colour_off_but_an_empty_one_does_not() {
    let (_, out) = estimate(true, Some("1"));
    assert!(!out.contains(ESCAPE));
    let (_, out) = estimate(true, Some(""));
    assert!(out.contains(ESCAPE), "an empty NO_COLOR counts as unset");
}

#[test]
fn a_pipe_gets_plain_ascii() {
    let (_, out) = estimate(false, None);
    assert!(out.is_ascii(), "piped tables are plain ASCII");
    assert!(!out.contains(ESCAPE));
}

/// 25 tasks of 4 vCPU / 8 GB for a month, named at length: amounts of four digits and more.
fn wide_report() -> cost::report::Report {
    use cost::model::{Size, Task};
    use cost::pricing::{Options, price_task};
    use cost::report::{RatesInfo, Report};
    let (table, origin) = cost::rates::embedded("us-east-1").unwrap();
    let size = Size { vcpu: rust_decimal::Decimal::from(4), memory_gb: rust_decimal::Decimal::from(8) };
    let task = Task { count: 25, ..Task::new("a-service-with-a-rather-long-name-indeed", size) };
    let items = vec![price_task(&task, &table, Options::default()).unwrap()];
    Report::new(RatesInfo::new(&table, &origin, &items), items, None).unwrap()
}

#[test]
fn a_narrow_or_zero_width_terminal_never_splits_an_amount() {
    // vCPU 25 × 4 × 730 × 0.04048 = 2,955.04; memory 25 × 8 × 730 × 0.004445 = 648.97; total
    // 3,604.01 (3604.01).
    let report = wide_report();
    for width in [0, 1, 40, 59, 60, 80, 200] {
        let style = cost::render::TableStyle { color: false, unicode: true, wrap: true, width: Some(width) };
        let text = cost::render::Document::table(&report, style);
        for amount in ["$2,955.04", "$648.97", "$3,604.01", "$0.04048", "$0.004445", "component"] {
            assert!(text.contains(amount), "width {width}: {amount} split or lost:\n{text}");
        }
    }
}

#[test]
fn colour_follows_the_flag_then_no_color_then_clicolor_force() {
    let escapes = |extra: &[&str], env: &[(&str, &str)]| {
        let mut cmd = cost();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd
            .args(["estimate", "--vcpu", "1", "--memory", "2"])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        out.contains(&0x1b)
    };
    assert!(!escapes(&[], &[]), "a pipe gets no colour");
    assert!(escapes(&["--color", "always"], &[]));
    assert!(escapes(&["--color", "always"], &[("NO_COLOR", "1")]), "the flag beats the environment");
    assert!(!escapes(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(escapes(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(
        !escapes(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]),
        "NO_COLOR wins over CLICOLOR_FORCE"
    );
    assert!(!escapes(&[], &[("CLICOLOR_FORCE", "0")]));
    fails(
        &["estimate", "--vcpu", "1", "--memory", "2", "--color", "sometimes"],
        None,
        2,
        &["--color", "always"],
    );
}

#[test]
fn quiet_prints_only_the_amount() {
    let quiet = |args: &[&str]| {
        let out = cost().args(args).assert().get_output().stdout.clone();
        String::from_utf8(out).unwrap()
    };
    // 730 × 0.04048 + 1460 × 0.004445 = 36.0401 → 36.04.
    assert_eq!(quiet(&["-q", "estimate", "--vcpu", "1", "--memory", "2"]), "36.04\n");
    assert_eq!(quiet(&["estimate", "--vcpu", "1", "--memory", "2", "--quiet"]), "36.04\n");
    // The web-api example: 148.8231525 → 148.82.
    assert_eq!(quiet(&["check", &example("web-api/workload.toml"), "-q"]), "148.82\n");
    // Over budget, the amount is still all stdout holds (exit 3, one stderr line).
    let out = cost()
        .args(["check", &example("web-api/workload.toml"), "-q", "--budget", "100"])
        .assert()
        .code(3)
        .get_output()
        .clone();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "148.82\n");
    assert_eq!(String::from_utf8(out.stderr).unwrap().lines().count(), 1);
}
