//! End-to-end tests of the real inputs: task definitions (the shared samples, files and stdin),
//! `--round-up`, `--platform eks` and workload files. Expected totals are worked out by hand from
//! the published rates in each test's comments.
mod common;

use common::*;

use std::path::Path;

use rust_decimal::Decimal;
use serde_json::Value;

// us-east-1 Linux x86 on demand.
const VCPU: &str = "0.04048";
const GB: &str = "0.004445";

#[test]
fn the_aws_guide_task_definition_from_a_file_and_from_stdin() {
    // cpu "256" = 0.25 vCPU, memory "512" = 0.5 GB, 730 h:
    // 0.25 × 730 × 0.04048 = 7.3876; 0.5 × 730 × 0.004445 = 1.622425.
    let expected = d("0.25") * d("730") * d(VCPU) + d("0.5") * d("730") * d(GB);
    assert_eq!(expected, d("9.010025"));
    let path = data("task-definition-fargate.json");
    let from_file = json(&["estimate", "--task-definition", &path], None);
    assert_eq!(number(&from_file["total"]), expected);
    assert_eq!(from_file["items"][0]["name"], "fargate-task-definition");
    assert_eq!(number(&from_file["items"][0]["billed"]["vcpu"]), d("0.25"));
    let text = std::fs::read_to_string(&path).unwrap();
    let from_stdin = json(&["estimate", "--task-definition", "-"], Some(&text));
    assert_eq!(from_stdin["total"], from_file["total"]);
}

#[test]
fn describe_task_definition_output_from_a_file_and_from_stdin() {
    // cpu "512" = 0.5 vCPU, memory "2048" = 2 GB: 0.5 × 730 × 0.04048 = 14.7752; 2 × 730 × 0.004445 = 6.4897.
    let expected = d("14.7752") + d("6.4897");
    let path = data("describe-task-definition.json");
    let report = json(&["estimate", "--task-definition", &path], None);
    assert_eq!(number(&report["total"]), expected);
    assert_eq!(report["items"][0]["name"], "prowler:5");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(number(&json(&["estimate", "--task-definition", "-"], Some(&text))["total"]), expected);
}

#[test]
fn flags_override_the_task_definition() {
    // The guide's 0.25 / 0.5 definition, told 1 vCPU / 2 GB, ARM, 3 tasks, 10 h:
    // 3 × 1 × 10 × 0.03238 = 0.9714; 3 × 2 × 10 × 0.00356 = 0.2136.
    let path = data("task-definition-fargate.json");
    let args = [
        "estimate",
        "--task-definition",
        &path,
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--arch",
        "arm64",
        "--count",
        "3",
        "--hours",
        "10",
        "--name",
        "mine",
    ];
    let report = json(&args, None);
    assert_eq!(number(&report["total"]), d("0.9714") + d("0.2136"));
    assert_eq!(report["items"][0]["name"], "mine");
    assert_eq!(report["items"][0]["billed"]["arch"], "arm64");
}

#[test]
fn runtime_platform_and_storage_come_from_the_definition() {
    let windows = r#"{"cpu": "1 vCPU", "memory": "2 GB",
        "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE", "cpuArchitecture": "X86_64"}}"#;
    // Windows 1 vCPU / 2 GB for 1 h: 0.046552 + 2 × 0.00511175 + 0.046 = 0.1027755.
    let report = json(&["estimate", "--task-definition", "-", "--hours", "1"], Some(windows));
    assert_eq!(number(&report["total"]), d("0.1027755"));
    assert_eq!(report["items"][0]["billed"]["os"], "windows");
    let arm_storage = r#"{"cpu": 2048, "memory": 4096, "runtimePlatform": {"cpuArchitecture": "ARM64"},
        "ephemeralStorage": {"sizeInGiB": 120}}"#;
    // ARM 2 vCPU / 4 GB, 100 GB above 20, 10 h: 20 × 0.03238 = 0.6476; 40 × 0.00356 = 0.1424;
    // 1000 GB-h × 0.000111 = 0.111.
    let report = json(&["estimate", "--task-definition", "-", "--hours", "10"], Some(arm_storage));
    assert_eq!(number(&report["total"]), d("0.6476") + d("0.1424") + d("0.111"));
}

#[test]
fn a_definition_without_a_task_size_says_so_and_offers_the_containers_sum() {
    let containers = r#"{"family": "sidecars", "containerDefinitions": [
        {"name": "a", "cpu": 256, "memory": 512}, {"name": "b", "cpu": 768, "memoryReservation": 1536}]}"#;
    fails(
        &["estimate", "--task-definition", "-"],
        Some(containers),
        1,
        &["task definition on standard input", "no task-level cpu", "1 vCPU / 2 GB", "--vcpu 1 --memory 2"],
    );
    // Given the size by flags, it prices: 1 × 730 × 0.04048 + 2 × 730 × 0.004445 = 36.0401.
    let report =
        json(&["estimate", "--task-definition", "-", "--vcpu", "1", "--memory", "2"], Some(containers));
    assert_eq!(number(&report["total"]), d("36.0401"));
}

#[test]
fn bad_task_definitions_fail_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let truncated = write("truncated.json", r#"{"cpu": "256", "memory": "#);
    fails(
        &["estimate", "--task-definition", &truncated],
        None,
        1,
        &["truncated.json", "not valid JSON", "line 1"],
    );
    let wrong_type = write("wrong.json", r#"{"cpu": ["256"], "memory": "512"}"#);
    fails(&["estimate", "--task-definition", &wrong_type], None, 1, &["wrong.json", "`cpu`"]);
    let ec2 = write("ec2.json", r#"{"cpu": "256", "memory": "512", "requiresCompatibilities": ["EC2"]}"#);
    fails(
        &["estimate", "--launch-type", "fargate", "--task-definition", &ec2],
        None,
        1,
        &["ec2.json", "cannot run on Fargate"],
    );
    let anywhere =
        write("external.json", r#"{"cpu": "256", "memory": "512", "requiresCompatibilities": ["EXTERNAL"]}"#);
    fails(&["estimate", "--task-definition", &anywhere], None, 1, &["external.json", "ECS Anywhere"]);
    let invalid_size = write("size.json", r#"{"cpu": "1024", "memory": "1024"}"#);
    fails(&["estimate", "--task-definition", &invalid_size], None, 1, &["valid memory for 1 vCPU"]);
    fails(&["estimate", "--task-definition", "-"], Some(""), 1, &["standard input", "empty"]);
    fails(&["estimate", "--task-definition", "-"], Some("[]"), 1, &["standard input", "JSON object"]);
    let missing = dir.path().join("nope.json").display().to_string();
    fails(&["estimate", "--task-definition", &missing], None, 1, &["nope.json", "could not read"]);
    let folder = dir.path().display().to_string();
    fails(
        &["estimate", "--task-definition", &folder],
        None,
        1,
        &[&format!("task definition `{folder}` is a directory"), "regular file"],
    );
    let invalid_utf8 = dir.path().join("latin1.json");
    std::fs::write(&invalid_utf8, b"{\"family\": \"caf\xe9\"}").unwrap();
    fails(&["estimate", "--task-definition", &invalid_utf8.display().to_string()], None, 1, &["latin1.json"]);
}

#[test]
fn round_up_bills_the_smallest_size_that_fits() {
    // 1 vCPU / 1.5 GB is not offered; --round-up bills 1 vCPU / 2 GB (= 36.0401 for a month).
    fails(&["estimate", "--vcpu", "1", "--memory", "1.5"], None, 1, &["1.5 GB", "--round-up"]);
    let report = json(&["estimate", "--vcpu", "1", "--memory", "1.5", "--round-up"], None);
    assert_eq!(number(&report["items"][0]["billed"]["memory_gb"]), d("2"));
    assert_eq!(number(&report["total"]), d("36.0401"));
}

#[test]
fn eks_pods_are_sized_as_aws_documents() {
    // 0.25 vCPU / 0.5 GB requested + 0.25 GB → 0.25 vCPU / 1 GB; 4 pods for 730 h:
    // 4 × 0.25 × 730 × 0.04048 = 29.5504; 4 × 1 × 730 × 0.004445 = 12.9794.
    let report =
        json(&["estimate", "--platform", "eks", "--vcpu", "0.25", "--memory", "0.5", "--count", "4"], None);
    let item = &report["items"][0];
    assert_eq!(item["platform"], "eks");
    assert_eq!((number(&item["billed"]["vcpu"]), number(&item["billed"]["memory_gb"])), (d("0.25"), d("1")));
    assert_eq!(number(&report["total"]), d("29.5504") + d("12.9794"));
    // No requests: 0.25 vCPU / 0.5 GB.
    let report = json(&["estimate", "--platform", "eks"], None);
    assert_eq!(number(&report["items"][0]["billed"]["memory_gb"]), d("0.5"));
    for refused in [["--arch", "arm64"], ["--os", "windows"], ["--spot", "--spot"]] {
        let mut args = vec!["estimate", "--platform", "eks", "--vcpu", "1", "--memory", "2"];
        args.extend(refused.iter().take(if refused[0] == "--spot" { 1 } else { 2 }));
        fails(&args, None, 1, &["EKS on Fargate does not offer"]);
    }
}

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
