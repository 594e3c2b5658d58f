//! `cost estimate --batch FILE|-`: one JSON line per input line, the same amounts as the flags,
//! in input order, with `--keep-going` and budgets; `memory` checks the stream stays flat.
//! Amounts are worked out by hand from the published us-east-1 rates (`common::gates`).

mod memory;

use crate::common::gates::*;
use crate::common::{d, n, number};

use rust_decimal::Decimal;
use serde_json::Value;

/// The JSON items of a `--batch` run's stdout, one per line.
fn batch_items(out: &Out) -> Vec<Value> {
    assert!(out.stdout.is_empty() || out.stdout.ends_with('\n'), "{out:?}");
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("line {l:?} is not JSON: {e}")))
        .collect()
}

/// A batch line, the `cost estimate` flags that say the same, and its total worked out by hand.
struct Case {
    line: &'static str,
    flags: &'static [&'static str],
    total: Decimal,
}

fn cases() -> Vec<Case> {
    vec![
        // 730 × 0.04048 = 29.5504; 2 × 730 × 0.004445 = 6.4897 → 36.0401.
        Case {
            line: r#"{"name": "plain", "vcpu": 1, "memory": 2}"#,
            flags: &["--vcpu", "1", "--memory", "2"],
            total: d(MONTH) * d(VCPU) + n(2) * d(MONTH) * d(GB),
        },
        // ARM, 3 tasks: 2190 × 0.03238 = 70.9122; 4380 × 0.00356 = 15.5928 → 86.505.
        Case {
            line: r#"{"name": "arm", "vcpu": 1, "memory": 2, "arch": "arm64", "count": 3}"#,
            flags: &["--vcpu", "1", "--memory", "2", "--arch", "arm64", "--count", "3"],
            total: n(3) * d(MONTH) * d(ARM_VCPU) + n(6) * d(MONTH) * d(ARM_GB),
        },
        // Spot 0.5 / 1: 365 × 0.01288871 = 4.70437915; 730 × 0.00141527 = 1.0331471 → 5.73752625.
        Case {
            line: r#"{"name": "spot", "vcpu": "0.5", "memory": 1, "spot": true}"#,
            flags: &["--vcpu", "0.5", "--memory", "1", "--spot"],
            total: worker(1),
        },
        // Windows 2 / 8, 3-minute runs billed at the 5-minute minimum, 12 runs = 3600 s = 1 h:
        // 2 × 0.046552 = 0.093104; 8 × 0.00511175 = 0.040894; licence 2 × 0.046 = 0.092 → 0.225998.
        Case {
            line: r#"{"name": "win", "vcpu": 2, "memory": 8, "os": "windows", "minutes": 3, "runs": 12}"#,
            flags: &["--vcpu", "2", "--memory", "8", "--os", "windows", "--minutes", "3", "--runs", "12"],
            total: n(2) * d(WIN_VCPU) + n(8) * d(WIN_GB) + n(2) * d(WIN_OS),
        },
        // 50 GB storage: 36.0401 + 30 × 730 × 0.000111 = 36.0401 + 2.4309 → 38.471.
        Case {
            line: r#"{"name": "disk", "vcpu": 1, "memory": 2, "ephemeral_storage": 50}"#,
            flags: &["--vcpu", "1", "--memory", "2", "--ephemeral-storage", "50"],
            total: d("36.0401") + n(30) * d(MONTH) * d(STORAGE),
        },
        // 0.25 / 0.5 with 20000 GB out: 7.3876 + 1.622425 + 10240 × 0.09 (921.6) + 9760 × 0.085
        // (829.6) → 1760.210025.
        Case {
            line: r#"{"name": "egress", "vcpu": 0.25, "memory": 0.5, "data_transfer": 20000}"#,
            flags: &["--vcpu", "0.25", "--memory", "0.5", "--data-transfer", "20000"],
            total: d("0.25") * d(MONTH) * d(VCPU)
                + d("0.5") * d(MONTH) * d(GB)
                + n(10_240) * d(DT1)
                + n(9_760) * d(DT2),
        },
        // 0.25 / 3 rounded up to 0.5 / 3: 365 × 0.04048 = 14.7752; 2190 × 0.004445 = 9.73455
        // → 24.50975.
        Case {
            line: r#"{"name": "rounded", "vcpu": 0.25, "memory": 3, "round_up": true}"#,
            flags: &["--vcpu", "0.25", "--memory", "3", "--round-up"],
            total: d("0.5") * d(MONTH) * d(VCPU) + n(3) * d(MONTH) * d(GB),
        },
        // EKS pods 0.25 / 0.5 (+256 MB → 0.25 / 1 GB), 4 of them: 730 × 0.04048 = 29.5504;
        // 4 × 730 × 0.004445 = 12.9794 → 42.5298.
        Case {
            line: r#"{"name": "pods", "platform": "eks", "vcpu": 0.25, "memory": 0.5, "count": 4}"#,
            flags: &["--platform", "eks", "--vcpu", "0.25", "--memory", "0.5", "--count", "4"],
            total: d(MONTH) * d(VCPU) + n(4) * d(MONTH) * d(GB),
        },
        // 5 tasks × 30 runs × 10 min = 25 h: 25 × 0.04048 = 1.012; 50 × 0.004445 = 0.22225
        // → 1.23425.
        Case {
            line: r#"{"name": "cron", "vcpu": 1, "memory": 2, "count": 5, "minutes": 10, "runs": 30}"#,
            flags: &["--vcpu", "1", "--memory", "2", "--count", "5", "--minutes", "10", "--runs", "30"],
            total: n(25) * d(VCPU) + n(50) * d(GB),
        },
        // The example's worker task definition (0.5 / 1), 2 tasks on Spot → 11.4750525.
        Case {
            line: r#"{"name": "td", "task_definition": "examples/web-api/worker.json", "count": 2, "spot": true}"#,
            flags: &["--task-definition", "examples/web-api/worker.json", "--count", "2", "--spot"],
            total: worker(2),
        },
    ]
}

#[test]
fn batch_items_equal_what_estimate_prints_for_the_same_flags() {
    let cases = cases();
    let input: String = cases.iter().flat_map(|c| [c.line, "\n"]).collect();
    let out = run_in(None, &["estimate", "--batch", "-"], Some(&input));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    let items = batch_items(&out);
    assert_eq!(items.len(), cases.len());
    for (case, item) in cases.iter().zip(&items) {
        let name = item["name"].as_str().unwrap();
        let mut args = vec!["estimate", "--format", "json", "--name", name];
        args.extend_from_slice(case.flags);
        let single = json_of(&run(&args), 0);
        assert_eq!(item, &single["items"][0], "{}", case.line);
        assert_eq!(number(&item["total"]), case.total, "{}", case.line);
        let lines: Decimal = item["lines"].as_array().unwrap().iter().map(|l| number(&l["cost"])).sum();
        assert_eq!(lines, case.total, "{}", case.line);
    }
    let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["plain", "arm", "spot", "win", "disk", "egress", "rounded", "pods", "cron", "td"],
        "in input order"
    );
    assert_eq!(items[3]["billed"]["seconds_per_run"], 300);
    assert_eq!(number(&items[6]["billed"]["vcpu"]), d("0.5"));
    assert_eq!(number(&items[7]["billed"]["memory_gb"]), n(1));
}

#[test]
fn batch_from_a_file_skips_blank_lines_and_names_lines_by_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "tasks.jsonl",
        "{\"vcpu\": 1, \"memory\": 2}\n\n   \n{\"vcpu\": 1, \"memory\": 2, \"count\": 2}\r\n\t\n{\"vcpu\": 1, \"memory\": 2, \"name\": \"x\"}",
    );
    let out = run(&["estimate", "--batch", &path]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    let items = batch_items(&out);
    // 36.0401 per task; the last line has no newline and is still priced.
    let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["line 1", "line 4", "x"]);
    let totals: Vec<Decimal> = items.iter().map(|i| number(&i["total"])).collect();
    assert_eq!(totals, [d("36.0401"), d("72.0802"), d("36.0401")]);
    // --format json is what --batch writes anyway.
    let again = run(&["estimate", "--batch", &path, "--format", "json"]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(again.stdout, out.stdout);
}

/// Each line is read into the same place (`--batch` reuses one `TaskInput`): a line after one
/// that set every key, or after one that failed halfway through, is priced as if it came first.
#[test]
fn batch_lines_keep_nothing_of_the_line_before() {
    let minimal = r#"{"vcpu": 1, "memory": 2}"#;
    let before = [
        r#"{"name": "full", "launch_type": "fargate", "platform": "ecs", "vcpu": 2, "memory": 8, "count": 3, "hours": 100, "runs": 2, "arch": "arm64", "os": "linux", "spot": true, "pricing": "spot", "ephemeral_storage": 50, "data_transfer": 100, "round_up": true, "budget": 100000}"#,
        r#"{"name": "ec2", "launch_type": "ec2", "vcpu": 1, "memory": 2, "instance_type": "t3.medium", "instances": 2, "minutes": 30}"#,
        r#"{"task_definition": "examples/web-api/worker.json", "count": 2, "platform": "eks"}"#,
        // Fails at `count`, after `name`, `vcpu` and `memory` were read.
        r#"{"name": "half", "vcpu": 4, "memory": 8, "count": "x", "spot": true}"#,
        r#"{"name": "twice", "vcpu": 1, "vcpu": 2, "memory": 4}"#,
    ];
    // The minimal line as line 2 with nothing before it (a blank line 1).
    let alone = run_in(None, &["estimate", "--batch", "-"], Some(&format!("\n{minimal}\n")));
    assert_eq!(alone.code, 0, "{alone:?}");
    let expected = batch_items(&alone).remove(0);
    assert_eq!(expected["name"], "line 2");
    assert_eq!(number(&expected["total"]), d("36.0401"));
    assert!(expected.get("budget").is_none(), "{expected}");
    // What line 1 is named: its own name, else its task definition's `family:revision`; an error
    // has none.
    let names = [Some("full"), Some("ec2"), Some("worker:17"), None, None];
    for (line, name) in before.into_iter().zip(names) {
        let input = format!("{line}\n{minimal}\n");
        let out = run_in(None, &["estimate", "--batch", "-", "--keep-going"], Some(&input));
        let items = batch_items(&out);
        assert_eq!(items.len(), 2, "{line}: {out:?}");
        assert_eq!(items[0]["name"].as_str(), name, "{line}");
        assert_eq!(items[1], expected, "after {line}");
    }
}

#[test]
fn batch_an_empty_input_prints_nothing() {
    for input in ["", "\n", "  \n\n\t\n"] {
        let out = run_in(None, &["estimate", "--batch", "-"], Some(input));
        assert_eq!(out.code, 0, "{input:?}: {out:?}");
        assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{input:?}: {out:?}");
    }
}

#[test]
fn batch_stops_at_a_bad_line_keeping_what_came_before() {
    let good = r#"{"vcpu": 1, "memory": 2}"#;
    let bad = [
        (r#"{"vcpu": 1, "memory": 0}"#, "`memory` must be greater than 0"),
        (r#"{"vcpu": 1, "memory": 2, "cpu": 1}"#, "`cpu`"),
        (r#"{"vcpu": 1, "memory": "#, "line 3"),
        (r#"{"vcpu": 1, "memory": 2, "count": "3"}"#, "line 3"),
        (r#"["vcpu", 1]"#, "line 3"),
    ];
    for (line, needle) in bad {
        let input = format!("{good}\n\n{line}\n{good}\n");
        let out = run_in(None, &["estimate", "--batch", "-"], Some(&input));
        assert_eq!(out.code, 1, "{line}: {out:?}");
        let items = batch_items(&out);
        assert_eq!(items.len(), 1, "{line}: {out:?}");
        assert_eq!(items[0]["name"], "line 1");
        assert_eq!(number(&items[0]["total"]), d("36.0401"));
        one_stderr_line(&out, &["line 3", needle, "standard input"]);
    }
    // From a file, the file is named.
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "tasks.jsonl", &format!("{good}\n{{\"vcpu\": 1, \"memory\": 0}}\n"));
    let out = run(&["estimate", "--batch", &path]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(batch_items(&out).len(), 1);
    one_stderr_line(&out, &["tasks.jsonl", "line 2", "`memory`"]);
    // A missing file.
    let missing = dir.path().join("missing.jsonl").display().to_string();
    fails(&run(&["estimate", "--batch", &missing]), 1, &["missing.jsonl"]);
}

/// `count` of line `i` in the long batches below: 1 to 7, so lines differ.
fn count_of(i: usize) -> u64 {
    (i % 7) as u64 + 1
}

/// `lines` tasks, line `i` (from 1) named `t{i}` with `count_of(i)` tasks of 1 vCPU / 2 GB for a
/// month ($36.0401 each: 730 × 0.04048 + 1460 × 0.004445), with `bad` lines replaced.
fn long_batch(lines: usize, bad: &[(usize, &str)]) -> String {
    (1..=lines)
        .map(|i| match bad.iter().find(|(at, _)| *at == i) {
            Some((_, line)) => format!("{line}\n"),
            None => {
                format!("{{\"name\": \"t{i}\", \"vcpu\": 1, \"memory\": 2, \"count\": {}}}\n", count_of(i))
            }
        })
        .collect()
}

/// Items 1..=n of a long batch are in order with their hand-worked totals.
fn assert_long_batch_items(items: &[Value], skip_errors: bool) {
    for (index, item) in items.iter().enumerate() {
        let i = index + 1;
        if skip_errors && item.get("error").is_some() {
            continue;
        }
        assert_eq!(item["name"], format!("t{i}"), "{item}");
        assert_eq!(number(&item["total"]), d("36.0401") * Decimal::from(count_of(i)), "{item}");
    }
}

#[test]
fn a_long_batch_is_written_in_input_order_and_stops_at_its_first_bad_line() {
    // Thousands of lines are priced in chunks on several threads; what comes out must still be
    // every line in input order, and a bad line deep in the input must stop the run with
    // exactly the lines before it written, from a file and from standard input alike.
    let input = long_batch(3000, &[(1500, r#"{"name": "bad", "vcpu": 1, "memory": 0}"#), (2500, "{")]);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "tasks.jsonl", &input);
    for out in
        [run(&["estimate", "--batch", &path]), run_in(None, &["estimate", "--batch", "-"], Some(&input))]
    {
        assert_eq!(out.code, 1, "{}", out.stderr);
        let items = batch_items(&out);
        assert_eq!(items.len(), 1499);
        assert_long_batch_items(&items, false);
        one_stderr_line(&out, &["line 1500", "`memory`"]);
    }
    // All good: every line, and the sum of (1 + … + 7) × 36.0401 per 7 lines, exactly.
    let good = long_batch(2800, &[]);
    let out = run_in(None, &["estimate", "--batch", "-"], Some(&good));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let items = batch_items(&out);
    assert_eq!(items.len(), 2800);
    assert_long_batch_items(&items, false);
    // The total of the 2,800 lines is 400 × 28 × 36.0401 = 403,649.12: a budget just below it
    // fails the run (exit 3) with every line still written; at it, the run passes.
    let out = run_in(None, &["estimate", "--batch", "-", "--budget", "403649.11"], Some(&good));
    assert_eq!((out.code, batch_items(&out).len()), (3, 2800), "{}", out.stderr);
    one_stderr_line(&out, &["403,649.12", "403,649.11"]);
    let out = run_in(None, &["estimate", "--batch", "-", "--budget", "403649.12"], Some(&good));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn a_long_batch_keeps_going_past_bad_lines_in_any_chunk() {
    let bad = [(1, "nope"), (130, r#"{"vcpu": 1, "memory": 0}"#), (700, "{"), (1999, "[1]")];
    let out = run_in(None, &["estimate", "--batch", "-", "--keep-going"], Some(&long_batch(2000, &bad)));
    assert_eq!(out.code, 1, "{}", out.stderr);
    one_stderr_line(&out, &["4 line(s)", "the first: line 1"]);
    let items = batch_items(&out);
    assert_eq!(items.len(), 2000);
    for (at, _) in bad {
        assert_eq!(items[at - 1]["line"], at, "{}", items[at - 1]);
    }
    assert_long_batch_items(&items, true);
}

#[test]
fn a_long_batch_with_invalid_utf8_deep_inside_writes_the_lines_before_it() {
    let mut input = long_batch(1200, &[]).into_bytes();
    // Corrupt line 1000: find where it starts.
    let start = input.split(|&b| b == b'\n').take(999).map(|l| l.len() + 1).sum::<usize>();
    input[start + 10] = 0xff;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tasks.jsonl");
    std::fs::write(&path, &input).unwrap();
    let out = run(&["estimate", "--batch", &path.display().to_string()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let items = batch_items(&out);
    assert_eq!(items.len(), 999);
    assert_long_batch_items(&items, false);
    one_stderr_line(&out, &["line 1000", "UTF-8", "tasks.jsonl"]);
}

#[test]
fn batch_wrong_type_names_the_key() {
    for (line, key) in
        [(r#"{"vcpu": 1, "memory": 2, "count": "3"}"#, "count"), (r#"{"vcpu": "x", "memory": 2}"#, "vcpu")]
    {
        let out = run_in(None, &["estimate", "--batch", "-"], Some(&format!("{line}\n")));
        fails(&out, 1, &["line 1", key]);
    }
}

#[test]
fn batch_keep_going_puts_an_error_object_in_place() {
    let input = [
        r#"{"vcpu": 1, "memory": 2}"#,
        r#"{"vcpu": 1, "memory": 0}"#,
        "",
        r#"{"vcpu": 1, "memory": 2, "cpu": 1}"#,
        r#"{"vcpu": 1, "memory""#,
        r#"{"vcpu": 1, "memory": 2, "count": 2}"#,
    ]
    .join("\n");
    let out = run_in(None, &["estimate", "--batch", "-", "--keep-going"], Some(&input));
    assert_eq!(out.code, 1, "{out:?}");
    one_stderr_line(&out, &["3", "line 2"]);
    let items = batch_items(&out);
    assert_eq!(items.len(), 5, "{out:?}");
    assert_eq!(number(&items[0]["total"]), d("36.0401"));
    for (item, line, needle) in [(&items[1], 2, "`memory`"), (&items[2], 4, "`cpu`"), (&items[3], 5, "")] {
        let object = item.as_object().unwrap();
        assert_eq!(object.len(), 2, "{item}");
        assert_eq!(item["line"], line, "{item}");
        let error = item["error"].as_str().unwrap();
        assert!(!error.is_empty() && error.contains(needle) && !error.contains('\n'), "{item}");
    }
    // The rest is still priced: 2 × 36.0401.
    assert_eq!(items[4]["name"], "line 6");
    assert_eq!(number(&items[4]["total"]), d("72.0802"));
}

#[test]
fn batch_budget_on_the_total() {
    let input = "{\"vcpu\": 1, \"memory\": 2}\n{\"vcpu\": 1, \"memory\": 2}\n";
    // 2 × 36.0401 = 72.0802; above 72 by 0.0802 → $0.08.
    let out = run_in(None, &["estimate", "--batch", "-", "--budget", "72"], Some(input));
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(batch_items(&out).len(), 2, "every line is still printed");
    one_stderr_line(&out, &["$72.08", "$72.00", "$0.08"]);
    // Exactly at it: within.
    let out = run_in(None, &["estimate", "--batch", "-", "--budget", "72.0802"], Some(input));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    assert_eq!(batch_items(&out).len(), 2);
}

#[test]
fn batch_budget_on_a_line() {
    let input =
        "{\"vcpu\": 1, \"memory\": 2, \"budget\": 40}\n{\"vcpu\": 1, \"memory\": 2, \"budget\": 30}\n";
    // line 2: 36.0401 > 30 by 6.0401 → $6.04; line 1 is within its 40.
    let out = run_in(None, &["estimate", "--batch", "-"], Some(input));
    assert_eq!(out.code, 3, "{out:?}");
    let items = batch_items(&out);
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["budget"]["exceeded"], false);
    assert_eq!(number(&items[1]["budget"]["limit"]), n(30));
    assert_eq!(items[1]["budget"]["exceeded"], true);
    let line = one_stderr_line(&out, &["line 2", "$36.04", "$30.00", "$6.04"]);
    assert_eq!(line, "over budget: line 2 costs $36.04, over its budget of $30.00 by $6.04");
    // Exactly at its budget: within.
    let out = run_in(
        None,
        &["estimate", "--batch", "-"],
        Some("{\"vcpu\": 1, \"memory\": 2, \"budget\": \"36.0401\"}\n"),
    );
    assert_eq!(out.code, 0, "{out:?}");
}

#[test]
fn batch_usage_errors() {
    for format in ["table", "csv", "markdown"] {
        let out = run_in(
            None,
            &["estimate", "--batch", "-", "--format", format],
            Some("{\"vcpu\": 1, \"memory\": 2}\n"),
        );
        fails(&out, 2, &["--batch", "--format"]);
    }
    fails(&run_in(None, &["estimate", "--batch", "-", "--vcpu", "1"], Some("")), 2, &["--batch", "--vcpu"]);
}

#[test]
fn keep_going_without_batch_is_a_usage_error() {
    fails(
        &run(&["estimate", "--vcpu", "1", "--memory", "2", "--keep-going"]),
        2,
        &["--keep-going", "--batch"],
    );
}

#[test]
fn batch_round_up_flag_is_applied_or_refused() {
    let out =
        run_in(None, &["estimate", "--batch", "-", "--round-up"], Some("{\"vcpu\": 1, \"memory\": 3.5}\n"));
    if out.code == 2 {
        // Refused, like --vcpu with --batch.
        fails(&out, 2, &["--round-up"]);
    } else {
        // Or applied to every line: 1 / 3.5 billed as 1 / 4.
        assert_eq!(out.code, 0, "{out:?}");
        assert_eq!(number(&batch_items(&out)[0]["billed"]["memory_gb"]), n(4));
    }
}
