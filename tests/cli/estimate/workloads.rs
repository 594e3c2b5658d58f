//! `--workload`: workload files, the shipped examples priced by hand, task definitions relative to
//! the workload, stdin, and bad workloads named by file, entry and key.

use crate::common::*;

use std::path::Path;

use rust_decimal::Decimal;
use serde_json::Value;

#[test]
fn the_example_workload_prices_every_entry() {
    // examples/web-api, us-east-1:
    // api: 3 × 1 vCPU × 730 h × 0.03238 (ARM) = 70.9122; 3 × 2 GB × 730 × 0.00356 = 15.5928;
    //      500 GB × 0.09 = 45.
    // worker (Spot x86): 2 × 0.5 × 730 × 0.01288871 = 9.4087583; 2 × 1 × 730 × 0.00141527 = 2.0662942.
    // nightly-report: 45 min × 30 runs = 22.5 h of 4 vCPU / 8 GB with 80 GB extra storage:
    //      90 × 0.04048 = 3.6432; 180 × 0.004445 = 0.8001; 1800 × 0.000111 = 0.1998.
    // images: 12 GB-months × 0.10 = 1.2.
    let api = d("70.9122") + d("15.5928") + d("45");
    let worker = d("9.4087583") + d("2.0662942");
    let nightly = d("3.6432") + d("0.8001") + d("0.1998");
    let images = d("1.2");
    let report = json(&["estimate", "--workload", &example("web-api/workload.toml")], None);
    let items = report["items"].as_array().unwrap();
    let totals: Vec<(String, Decimal)> =
        items.iter().map(|i| (i["name"].as_str().unwrap().to_owned(), number(&i["total"]))).collect();
    assert_eq!(
        totals,
        [
            ("api".to_owned(), api),
            ("worker".to_owned(), worker),
            ("nightly-report".to_owned(), nightly),
            ("images".to_owned(), images)
        ]
    );
    assert_eq!(number(&report["total"]), api + worker + nightly + images);
    assert_eq!(items[3]["kind"], "ecr_repository");
    // The file's budget applies; --budget overrides it.
    assert_eq!(number(&report["budget"]["limit"]), d("400"));
    assert_eq!(report["budget"]["exceeded"], false);
    let out = cost()
        .args(["estimate", "--workload", &example("web-api/workload.toml"), "--budget", "100"])
        .assert()
        .code(3)
        .get_output()
        .clone();
    assert!(String::from_utf8(out.stderr).unwrap().contains("exceeds the budget of $100.00"));
    assert!(!out.stdout.is_empty());
}

#[test]
fn the_spec_workload_with_a_cluster_and_a_repository() {
    // ap-northeast-2: api ARM 1 vCPU / 2 GB × 3 for 730 h: 2190 × 0.03725 = 81.5775;
    // 4380 × 0.00409 = 17.9142; 100 GB out × 0.126 = 12.6. Cluster 730 × 0.10 = 73.
    // ECR 50 × 0.10 = 5. Total 190.0917.
    let path = Path::new(&data("spec-workload.toml")).to_path_buf();
    let report = json(&["estimate", "--workload", &path.display().to_string()], None);
    assert_eq!(report["rates"]["region"], "ap-northeast-2");
    assert_eq!(number(&report["total"]), d("190.0917"));
    assert_eq!(report["items"][1]["kind"], "eks_cluster");
    assert_eq!(report["items"][1]["lines"][0]["component"], "eks_cluster");
    assert_eq!(report["items"][2]["lines"][0]["component"], "ecr_storage");
    // --region beats the file's region: us-east-1 ARM 2190 × 0.03238 = 70.9122; 4380 × 0.00356 = 15.5928;
    // 100 × 0.09 = 9; + 73 + 5.
    let report =
        json(&["estimate", "--workload", &path.display().to_string(), "--region", "us-east-1"], None);
    assert_eq!(number(&report["total"]), d("70.9122") + d("15.5928") + d("9") + d("73") + d("5"));
}

#[test]
fn workload_task_definitions_are_relative_to_the_workload() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("defs")).unwrap();
    std::fs::copy(data("describe-task-definition.json"), dir.path().join("defs/prowler.json")).unwrap();
    let path = dir.path().join("w.toml");
    std::fs::write(
        &path,
        "[[service]]\nname = \"scan\"\ntask_definition = \"defs/prowler.json\"\nhours = 10\n",
    )
    .unwrap();
    // 0.5 vCPU / 2 GB for 10 h: 5 × 0.04048 = 0.2024; 20 × 0.004445 = 0.0889.
    let report = json(&["estimate", "--workload", &path.display().to_string()], None);
    assert_eq!(number(&report["total"]), d("0.2024") + d("0.0889"));
}

#[test]
fn bad_workloads_name_the_file_the_entry_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| {
        let path = dir.path().join("w.toml");
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let cases: &[(&str, &[&str])] = &[
        (
            "[[service]]\nname = \"api\"\nvcpu = 1\nmemory = 2\ncpus = 4\n",
            &["w.toml", "line 5", "[[service]] #1", "unknown field `cpus`"],
        ),
        (
            "[[service]]\nname = \"api\"\nvcpu = \"one\"\nmemory = 2\n",
            &["w.toml", "line 3", "expected a decimal number"],
        ),
        (
            "[[service]]\nname = \"api\"\nvcpu = 1\nmemory = 2\ncount = 0\n",
            &["[[service]] \"api\" (line 1)", "`count` must be at least 1"],
        ),
        (
            "[[service]]\nname = \"api\"\nvcpu = 1\nmemory = 2\nhours = 1\nminutes = 5\n",
            &["\"api\"", "`hours` or `minutes`"],
        ),
        ("[[service]]\nname = \"api\"\n", &["\"api\"", "no task size"]),
        ("[[service]]\nname = \"api\"\ntask_definition = \"missing.json\"\n", &["\"api\"", "missing.json"]),
        ("[[service]]\nvcpu = 1\nmemory = 2\n", &["missing `name`"]),
        (
            "[[eks_cluster]]\nname = \"c\"\nsupport = \"gold\"\n",
            &["[[eks_cluster]] #1", "unknown variant `gold`"],
        ),
        ("[[ecr_repository]]\nname = \"r\"\nstorage_gb = true\n", &["[[ecr_repository]] #1", "storage_gb"]),
        (
            "region = \"mars-1\"\n[[ecr_repository]]\nname = \"r\"\nstorage_gb = 1\n",
            &["mars-1", "embedded regions"],
        ),
        ("", &["w.toml", "empty"]),
        ("[[service]\nname = 1", &["w.toml", "line 1"]),
    ];
    for (text, needles) in cases {
        let path = write(text);
        fails(&["estimate", "--workload", &path], None, 1, needles);
    }
    fails(
        &["estimate", "--workload", "/nonexistent/w.toml"],
        None,
        1,
        &["could not read workload", "/nonexistent/w.toml"],
    );
    // A workload replaces the task flags.
    fails(
        &["estimate", "--workload", &example("web-api/workload.toml"), "--vcpu", "1"],
        None,
        2,
        &["--vcpu"],
    );
}

#[test]
fn every_example_workload_prices_cleanly() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(examples).unwrap() {
        let workload = entry.unwrap().path().join("workload.toml");
        if workload.exists() {
            cost().args(["estimate", "--workload", &workload.display().to_string()]).assert().success();
            seen += 1;
        }
    }
    assert!(seen >= 1);
}

#[test]
fn a_workload_from_stdin_resolves_task_definitions_from_the_current_folder() {
    // The example workload read from stdin in its own folder: the same 148.8231525 as from the file.
    let text = std::fs::read_to_string(example("web-api/workload.toml")).unwrap();
    let out = cost()
        .current_dir(example("web-api"))
        .args(["estimate", "--workload", "-", "--format", "json"])
        .write_stdin(text)
        .assert()
        .success()
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(number(&report["total"]), d("131.505") + d("11.4750525") + d("4.6431") + d("1.2"));
    fails(&["estimate", "--workload", "-"], Some(""), 1, &["workload on standard input", "empty"]);
    fails(
        &["estimate", "--workload", "-"],
        Some("[[service]]\nname = 3\n"),
        1,
        &["standard input", "line 2"],
    );
}

#[test]
fn a_byte_order_mark_is_read_past_in_json_and_toml() {
    // PowerShell and Notepad start UTF-8 files with one. 0.25 vCPU / 0.5 GB for a month:
    // 182.5 × 0.04048 + 365 × 0.004445 = 7.3876 + 1.622425 = 9.010025.
    let dir = tempfile::tempdir().unwrap();
    let td = dir.path().join("td.json");
    std::fs::write(&td, b"\xef\xbb\xbf{\"cpu\": \"256\", \"memory\": \"512\"}").unwrap();
    let report = json(&["estimate", "--task-definition", td.to_str().unwrap()], None);
    assert_eq!(number(&report["total"]), d("9.010025"));
    let workload = dir.path().join("w.toml");
    std::fs::write(&workload, b"\xef\xbb\xbf[[service]]\nname = \"a\"\nvcpu = 0.25\nmemory = 0.5\n").unwrap();
    let report = json(&["estimate", "--workload", workload.to_str().unwrap()], None);
    assert_eq!(number(&report["total"]), d("9.010025"));
}

#[test]
fn the_eks_platform_example() {
    // web: 6 pods of 0.5 vCPU / 1 GB + 0.25 GB → 0.5 vCPU / 2 GB, 730 h:
    //      6 × 0.5 × 730 × 0.04048 = 88.6512; 6 × 2 × 730 × 0.004445 = 38.9382.
    // jobs: 2 pods of 1 vCPU / 3 GB + 0.25 → 1 vCPU / 4 GB, 30 min × 60 runs = 30 h each:
    //      60 vCPU-h × 0.04048 = 2.4288; 240 GB-h × 0.004445 = 1.0668.
    // clusters: prod 730 × 0.10 = 73; staging 200 × 0.60 (extended) = 120.
    // ECR: 30 × 0.10 = 3; 5 × 0.10 = 0.5.
    let report = json(&["estimate", "--workload", &example("eks-platform/workload.toml")], None);
    let totals: Vec<Decimal> =
        report["items"].as_array().unwrap().iter().map(|i| number(&i["total"])).collect();
    assert_eq!(
        totals,
        [d("88.6512") + d("38.9382"), d("2.4288") + d("1.0668"), d("73"), d("120"), d("3"), d("0.5")]
    );
    assert_eq!(number(&report["total"]), d("327.585"));
    assert_eq!(report["budget"]["exceeded"], false);
}
