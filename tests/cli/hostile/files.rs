//! Files: reports `cost diff` cannot read, and every file input given an empty file, a directory,
//! a missing path, invalid UTF-8 or a file nobody may read.

use super::*;

/// `cost diff` with reports that are not reports this build reads.
pub(super) fn diff_cases(files: &Files) -> Vec<Case> {
    let report = report_text();
    let good = files.report();
    let value: serde_json::Value = serde_json::from_str(&report).unwrap();
    let without = |key: &str| {
        let mut v = value.clone();
        v.as_object_mut().unwrap().remove(key);
        serde_json::to_string(&v).unwrap()
    };
    let set = |key: &str, raw: &str| {
        let mut v = value.clone();
        v[key] = serde_json::from_str(raw).unwrap();
        serde_json::to_string(&v).unwrap()
    };
    let total = "\"total\": 36.0401,\n  \"unpriced\"";
    assert!(report.contains(total), "{report}");
    let reports: Vec<(&str, String, &[&str])> = vec![
        (
            "rep-schema-2.json",
            report.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1),
            &["schema_version 2"],
        ),
        ("rep-schema-text.json", set("schema_version", "\"1\""), &[]),
        ("rep-truncated.json", report[..report.len() / 2].to_owned(), &["not a cost JSON report"]),
        ("rep-no-total.json", without("total"), &["`total`"]),
        ("rep-no-items.json", without("items"), &["`items`"]),
        ("rep-text-total.json", set("total", "\"abc\""), &["abc"]),
        ("rep-items-number.json", set("items", "5"), &[]),
        ("rep-total-1e999.json", report.replacen(total, "\"total\": 1e999,\n  \"unpriced\"", 1), &[]),
        ("rep-total-nan.json", report.replacen(total, "\"total\": NaN,\n  \"unpriced\"", 1), &[]),
        (
            "rep-total-huge.json",
            report.replacen(total, &format!("\"total\": {TOO_MANY_DIGITS},\n  \"unpriced\""), 1),
            &[],
        ),
        ("rep-object.json", "{\"a\": 1}".to_owned(), &["`schema_version`"]),
        ("rep-array.json", "[]".to_owned(), &["not a cost JSON report"]),
        ("rep-price-list.json", "{\"FormatVersion\": \"aws_v1\", \"PriceList\": []}".to_owned(), &[]),
    ];
    let mut cases = Vec::new();
    for (name, text, needles) in reports {
        let path = files.write(name, text);
        let mut needles = needles.to_vec();
        needles.push(name);
        cases.push(case(&["diff", &path, &good], 1, &needles));
    }
    let bad = files
        .write("rep-new-side.json", report.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1));
    cases.push(case(&["diff", &good, &bad], 1, &["rep-new-side.json"]));
    cases.push(case(&["diff", "-", &good], 1, &["standard input"]).stdin(b"{\"schema_version\": 2}"));
    cases
}

/// How to build a command line around a path.
type Args = Box<dyn Fn(&str) -> Vec<String>>;

/// Every file input given an empty file, a directory, a missing file, invalid UTF-8, a named pipe
/// nobody writes to and a device that never ends (`/dev/zero`), and every `-` input given empty
/// standard input.
pub(super) fn file_cases(files: &Files) -> Vec<Case> {
    let report = files.report();
    let workload = example("web-api/workload.toml");
    // (how to build the arguments from a path, whether an empty file is an error)
    let owned = |v: &[&str]| v.iter().map(|a| (*a).to_owned()).collect::<Vec<String>>();
    let inputs: Vec<(&str, Args, bool)> = vec![
        ("task definition", Box::new(move |p| owned(&["estimate", "--task-definition", p])), true),
        ("workload", Box::new(move |p| owned(&["estimate", "--workload", p])), true),
        ("batch", Box::new(move |p| owned(&["estimate", "--batch", p])), false),
        (
            "rates",
            Box::new(move |p| owned(&["estimate", "--vcpu", "1", "--memory", "2", "--rates", p])),
            true,
        ),
        ("check", Box::new(move |p| owned(&["check", p])), true),
        (
            "diff old",
            Box::new({
                let report = report.clone();
                move |p| owned(&["diff", p, &report])
            }),
            true,
        ),
        ("diff new", Box::new(move |p| owned(&["diff", &workload, p])), true),
        ("compare workload", Box::new(move |p| owned(&["compare", "--workload", p])), true),
        ("compare task definition", Box::new(move |p| owned(&["compare", "--task-definition", p])), true),
        ("rates check", Box::new(move |p| owned(&["rates", "check", p])), false),
        ("rates import", Box::new(move |p| owned(&["rates", "import", p])), true),
    ];
    let invalid_utf8: &[u8] = b"{\"name\": \"\xff\xfe\", \"cpu\": \"256\"}\n";
    let mut cases = Vec::new();
    for (i, (what, args, empty_fails)) in inputs.iter().enumerate() {
        let to_case = |path: &str, needle: &str| {
            let args = args(path);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            case(&args, 1, &[needle])
        };
        if *empty_fails {
            let name = format!("empty-{i}.txt");
            cases.push(to_case(&files.write(&name, b""), &name));
        }
        let name = format!("utf8-{i}.txt");
        cases.push(to_case(&files.write(&name, invalid_utf8), &name));
        let name = format!("missing-{i}.txt");
        cases.push(to_case(&files.missing(&name), &name));
        let dir = files.dir();
        cases.push(to_case(&dir, &dir));
        cases.push(to_case("/dev/zero", "/dev/zero"));
        // `--batch` reads a named pipe as a stream, line by line (`estimate::batch::memory`).
        if *what != "batch" {
            let name = format!("fifo-{i}");
            cases.push(to_case(&files.fifo(&name), &name));
        }
    }
    // A named pipe nobody writes to, as the task definition of a workload's service and of a
    // batch line; and a batch line whose task definition is the batch's own input.
    let pipe = files.fifo("td-pipe.json");
    let wl =
        files.write("wl-td-pipe.toml", "[[service]]\nname = \"a\"\ntask_definition = \"td-pipe.json\"\n");
    cases.push(case(&["estimate", "--workload", &wl], 1, &["wl-td-pipe.toml", "td-pipe.json", "named pipe"]));
    let line = |path: &str| format!("{{\"task_definition\": {}}}\n", serde_json::json!(path));
    let batch = files.write("batch-td-pipe.jsonl", line(&pipe));
    cases.push(case(&["estimate", "--batch", &batch], 1, &["line 1", "td-pipe.json", "named pipe"]));
    let own = files.missing("batch-own.jsonl");
    files.write("batch-own.jsonl", line(&own));
    cases.push(case(&["estimate", "--batch", &own], 1, &["batch-own.jsonl", "line 1", "own input"]));
    cases.push(
        case(&["estimate", "--batch", "-"], 1, &["standard input", "line 1", "/dev/stdin", "own input"])
            .stdin(line("/dev/stdin").as_bytes()),
    );
    // Empty standard input for every `-` input that must not be empty.
    let report = files.report();
    for args in [
        vec!["estimate", "--task-definition", "-"],
        vec!["estimate", "--workload", "-"],
        vec!["check", "-"],
        vec!["diff", "-", &report],
        vec!["diff", &report, "-"],
        vec!["compare", "--task-definition", "-"],
        vec!["compare", "--workload", "-"],
    ] {
        cases.push(case(&args, 1, &["standard input"]));
    }
    // Invalid UTF-8 on standard input.
    for args in [
        vec!["estimate", "--task-definition", "-"],
        vec!["estimate", "--workload", "-"],
        vec!["estimate", "--batch", "-"],
        vec!["check", "-"],
        vec!["diff", "-", &report],
    ] {
        cases.push(case(&args, 1, &["standard input"]).stdin(invalid_utf8));
    }
    // A workload naming a task definition that is not valid UTF-8.
    files.write("td-invalid-utf8.json", invalid_utf8);
    let wl = files.write(
        "wl-td-invalid-utf8.toml",
        "[[service]]\nname = \"a\"\ntask_definition = \"td-invalid-utf8.json\"\n",
    );
    cases.push(case(
        &["estimate", "--workload", &wl],
        1,
        &["wl-td-invalid-utf8.toml", "td-invalid-utf8.json"],
    ));
    cases
}

#[test]
fn hostile_diff_reports() {
    verify(&diff_cases(&Files::new()));
}

#[test]
fn empty_missing_directory_and_invalid_utf8_inputs() {
    verify(&file_cases(&Files::new()));
}

/// A file nobody may read. Root reads it anyway, so the test says so and passes without checking.
#[test]
fn unreadable_files_fail_with_one_line() {
    use std::os::unix::fs::PermissionsExt;
    let files = Files::new();
    let path = files.write("locked.toml", SERVICE);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        eprintln!("skipped: this user (root?) can read a file with mode 000");
        return;
    }
    let report = files.report();
    verify(&[
        case(&["estimate", "--workload", &path], 1, &["locked.toml"]),
        case(&["estimate", "--task-definition", &path], 1, &["locked.toml"]),
        case(&["estimate", "--batch", &path], 1, &["locked.toml"]),
        case(&["estimate", "--vcpu", "1", "--memory", "2", "--rates", &path], 1, &["locked.toml"]),
        case(&["check", &path], 1, &["locked.toml"]),
        case(&["diff", &path, &report], 1, &["locked.toml"]),
        case(&["compare", "--workload", &path], 1, &["locked.toml"]),
        case(&["rates", "check", &path], 1, &["locked.toml"]),
        case(&["rates", "import", &path], 1, &["locked.toml"]),
    ]);
}
