//! `--task-definition`: the shared samples (the AWS guide's definition, `describe-task-definition`
//! output), from files and stdin, with flags overriding them, and bad definitions refused with one
//! line. Expected totals are worked out by hand from the published rates in each test's comments.

use crate::common::*;

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
        &[
            "task definition on standard input",
            "Fargate needs a task-level cpu and memory",
            "containers add up to 1 vCPU / 2 GB",
            "--round-up",
        ],
    );
    // 256 + 768 CPU units = 1 vCPU; 512 MiB + the 1536 MiB reservation = 2 GB, a Fargate size:
    // --round-up bills it, 1 × 730 × 0.04048 + 2 × 730 × 0.004445 = 36.0401.
    let report = json(&["estimate", "--task-definition", "-", "--round-up"], Some(containers));
    assert_eq!(number(&report["total"]), d("36.0401"));
    assert!(report["items"][0]["notes"].to_string().contains("sized by its containers' sum"));
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
