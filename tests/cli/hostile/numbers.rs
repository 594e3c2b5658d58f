//! Every numeric key of a workload, a batch line and a task definition, given every hostile number.

use super::*;

/// Every numeric key of a `[[service]]`, `[[eks_cluster]]`, `[[ecr_repository]]` and `[budget]`,
/// given NaN, infinities, 1e999, negative, zero where it must be positive, too many digits and
/// too many decimals.
pub(super) fn workload_number_cases(files: &Files) -> Vec<Case> {
    let size_free = "[[service]]\nname = \"api\"\n";
    let mut cases = Vec::new();
    let mut add = |name: String, text: String, key: &str| {
        let path = files.write(&name, text);
        cases.push(case(&["estimate", "--workload", &path], 1, &[&name, key]));
    };
    let bad = |positive: bool| {
        let mut values = vec![
            "nan".to_owned(),
            "inf".to_owned(),
            "-inf".to_owned(),
            "1e999".to_owned(),
            "-1".to_owned(),
            "\"-0.5\"".to_owned(),
            format!("\"{TOO_MANY_DIGITS}\""),
            format!("\"{TOO_PRECISE}\""),
            "\"1e3\"".to_owned(),
            "0.1".to_owned(),
            "true".to_owned(),
        ];
        if positive {
            values.push("0".to_owned());
        }
        values
    };
    for (key, positive) in [
        ("vcpu", true),
        ("memory", true),
        ("hours", true),
        ("minutes", true),
        ("ephemeral_storage", false),
        ("data_transfer", false),
        ("budget", false),
    ] {
        for (i, value) in bad(positive).into_iter().enumerate() {
            let size = match key {
                "vcpu" => "memory = 2\n",
                "memory" => "vcpu = 1\n",
                _ => "vcpu = 1\nmemory = 2\n",
            };
            add(format!("wln-service-{key}-{i}.toml"), format!("{size_free}{size}{key} = {value}\n"), key);
        }
    }
    for key in ["count", "runs"] {
        for (i, value) in ["nan", "inf", "1e999", "-1", "0", "1.5", "\"3\"", "18446744073709551616", "[1]"]
            .iter()
            .enumerate()
        {
            add(format!("wln-service-{key}-{i}.toml"), format!("{SERVICE}{key} = {value}\n"), key);
        }
    }
    for (i, value) in bad(true).into_iter().enumerate() {
        add(
            format!("wln-eks-hours-{i}.toml"),
            format!("[[eks_cluster]]\nname = \"a\"\nhours = {value}\n"),
            "hours",
        );
        add(
            format!("wln-ecr-months-{i}.toml"),
            format!("[[ecr_repository]]\nname = \"r\"\nstorage_gb = 1\nmonths = {value}\n"),
            "months",
        );
    }
    for (i, value) in bad(false).into_iter().enumerate() {
        add(
            format!("wln-ecr-storage-{i}.toml"),
            format!("[[ecr_repository]]\nname = \"r\"\nstorage_gb = {value}\n"),
            "storage_gb",
        );
        add(format!("wln-budget-limit-{i}.toml"), format!("[budget]\nlimit = {value}\n\n{SERVICE}"), "limit");
    }
    cases
}

/// Every numeric key of a batch line, on the first line: NaN, infinities, 1e999, negative, zero
/// where it must be positive, too many digits, too many decimals, text.
pub(super) fn batch_number_cases(files: &Files) -> Vec<Case> {
    let mut cases = Vec::new();
    let decimal =
        ["NaN", "Infinity", "-Infinity", "1e999", "-1", "1e30", TOO_MANY_DIGITS, TOO_PRECISE, "\"x\"", "[]"];
    let keys = [
        ("vcpu", true),
        ("memory", true),
        ("hours", true),
        ("minutes", true),
        ("ephemeral_storage", false),
        ("data_transfer", false),
        ("budget", false),
        ("count", true),
        ("runs", true),
        ("instances", true),
    ];
    for (key, positive) in keys {
        let mut values: Vec<&str> = decimal.to_vec();
        if positive {
            values.push("0");
        }
        for (i, value) in values.into_iter().enumerate() {
            if key == "budget" && value == "-1" {
                continue; // accepted: see the ignored test below
            }
            let mut fields = vec![("vcpu", "1"), ("memory", "2")];
            fields.retain(|(k, _)| *k != key);
            fields.push((key, value));
            if key == "instances" {
                fields.push(("launch_type", "\"ec2\""));
            }
            let line: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            let name = format!("bn-{key}-{i}.jsonl");
            let path =
                files.write(&name, format!("{{{}}}\n{{\"vcpu\": 1, \"memory\": 2}}\n", line.join(", ")));
            cases.push(case(&["estimate", "--batch", &path], 1, &[&name, "line 1", key]));
        }
    }
    cases
}

/// The task definition's numeric fields (`cpu`, `memory`, `ephemeralStorage.sizeInGiB`), each as
/// a number and as a string: NaN, infinities, 1e999, negative, zero, too many digits, too precise.
pub(super) fn task_definition_number_cases(files: &Files) -> Vec<Case> {
    let values = ["NaN", "Infinity", "-Infinity", "1e999", "-1", "0", TOO_MANY_DIGITS, TOO_PRECISE, "1e30"];
    let mut cases = Vec::new();
    for (field, template) in [
        ("cpu", r#"{"cpu": V, "memory": "512"}"#),
        ("memory", r#"{"cpu": "256", "memory": V}"#),
        (
            "ephemeralStorage.sizeInGiB",
            r#"{"cpu": "256", "memory": "512", "ephemeralStorage": {"sizeInGiB": V}}"#,
        ),
    ] {
        for (i, value) in values.iter().enumerate() {
            for quoted in [false, true] {
                let text =
                    template.replace('V', &if quoted { format!("\"{value}\"") } else { (*value).to_owned() });
                let name = format!("tdn-{field}-{i}-{quoted}.json");
                let path = files.write(&name, text);
                let needles: &[&str] = match (field, *value) {
                    // A negative size names neither: see the ignored test below.
                    ("ephemeralStorage.sizeInGiB", "-1") => continue,
                    // Zero is read, then refused as a size, like a size given by flags.
                    ("ephemeralStorage.sizeInGiB", "0") => &["ephemeralStorage.sizeInGiB"],
                    _ => &[&name, field],
                };
                cases.push(case(&["estimate", "--task-definition", &path], 1, needles));
            }
        }
    }
    cases
}

#[test]
fn every_numeric_workload_key() {
    verify(&workload_number_cases(&Files::new()));
}

#[test]
fn every_numeric_batch_key() {
    verify(&batch_number_cases(&Files::new()));
}

#[test]
fn every_numeric_task_definition_field() {
    verify(&task_definition_number_cases(&Files::new()));
}
