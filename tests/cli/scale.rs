//! Large and hostile inputs are read right: every reader is linear in its input, and memory is
//! bounded by the largest single item. Nothing here is timed (speed is measured by
//! `benches/scale.sh`, not asserted); each test checks what is read. Expected totals are worked
//! out by hand from the us-east-1 rates: Fargate x86 0.04048 per vCPU-hour and 0.004445 per
//! GB-hour, Spot x86 0.01288871 / 0.00141527; 730 hours a month.

use crate::common::terraform::*;
use crate::common::*;

use std::fmt::Write as _;

use serde_json::{Value, json};

/// `count` entries of 1 vCPU / 2 GB, five lines each: entry `i` (from 0) starts on line 5i + 1.
fn workload(count: usize) -> String {
    let mut text = String::new();
    for i in 0..count {
        let _ = write!(text, "[[service]]\nname = \"s{i}\"\nvcpu = 1\nmemory = 2\n\n");
    }
    text
}

#[test]
fn a_workload_of_twenty_thousand_entries_is_read_with_the_lines_of_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    let path_text = path.display().to_string();
    // 20,000 × 36.0401 (1 vCPU / 2 GB for a month) = 720,802.
    std::fs::write(&path, workload(20_000)).unwrap();
    let report = json(&["estimate", "--workload", &path_text], None);
    assert_eq!(report["items"].as_array().unwrap().len(), 20_000);
    assert_eq!(number(&report["total"]), d("720802"));
    // The last entry reuses the name of entry 10,000 (index 9,999, on line 5 × 9,999 + 1 =
    // 49,996); it starts on line 5 × 20,000 + 1 = 100,001.
    let text = workload(20_000) + "[[service]]\nname = \"s9999\"\nvcpu = 1\nmemory = 2\n";
    std::fs::write(&path, text).unwrap();
    fails(
        &["estimate", "--workload", &path_text],
        None,
        1,
        &["[[service]] \"s9999\" (line 100001): the name is already used on line 49996"],
    );
}

/// Clusters `c0`…`c199`, ten services each (`s0`…`s1999`, service `i` in cluster `i / 10`), each
/// service with its own task definition (1 vCPU / 2 GB) and 5 tasks. Each even cluster has an
/// `aws_ecs_cluster_capacity_providers` whose default strategy places its services (`FARGATE`
/// base 1 weight 1, `FARGATE_SPOT` weight 3); the odd clusters' services say
/// `launch_type = "FARGATE"`.
fn clusters_plan() -> Value {
    let (mut planned, mut configured) = (Vec::new(), Vec::new());
    for c in 0..200 {
        let cluster = format!("c{c}");
        planned.push(tf_resource(
            &format!("aws_ecs_cluster.{cluster}"),
            "aws_ecs_cluster",
            &cluster,
            None,
            json!({ "name": cluster }),
        ));
        configured.push(tf_config("aws_ecs_cluster", &cluster, &[]));
        if c % 2 == 0 {
            let providers = format!("p{c}");
            planned.push(tf_resource(
                &format!("aws_ecs_cluster_capacity_providers.{providers}"),
                "aws_ecs_cluster_capacity_providers",
                &providers,
                None,
                json!({ "cluster_name": cluster, "capacity_providers": ["FARGATE", "FARGATE_SPOT"],
                        "default_capacity_provider_strategy": [
                            { "capacity_provider": "FARGATE", "base": 1, "weight": 1 },
                            { "capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 3 }] }),
            ));
            let refs = [format!("aws_ecs_cluster.{cluster}.name"), format!("aws_ecs_cluster.{cluster}")];
            let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
            configured.push(tf_config(
                "aws_ecs_cluster_capacity_providers",
                &providers,
                &[("cluster_name", &refs)],
            ));
        }
    }
    for i in 0..2000 {
        let (service, definition, cluster) = (format!("s{i}"), format!("t{i}"), format!("c{}", i / 10));
        let mut values = json!({ "name": service, "desired_count": 5 });
        if (i / 10) % 2 == 1 {
            values["launch_type"] = json!("FARGATE");
        }
        planned.push(tf_resource(
            &format!("aws_ecs_service.{service}"),
            "aws_ecs_service",
            &service,
            None,
            values,
        ));
        planned.push(tf_task_definition(
            &format!("aws_ecs_task_definition.{definition}"),
            &definition,
            None,
            "1024",
            "2048",
        ));
        let task = [
            format!("aws_ecs_task_definition.{definition}.arn"),
            format!("aws_ecs_task_definition.{definition}"),
        ];
        let task: Vec<&str> = task.iter().map(String::as_str).collect();
        let on = [format!("aws_ecs_cluster.{cluster}.id"), format!("aws_ecs_cluster.{cluster}")];
        let on: Vec<&str> = on.iter().map(String::as_str).collect();
        configured.push(tf_config(
            "aws_ecs_service",
            &service,
            &[("task_definition", &task), ("cluster", &on)],
        ));
        configured.push(tf_config("aws_ecs_task_definition", &definition, &[]));
    }
    tf_plan(json!(planned), json!([]), json!({ "resources": configured }), Some(us_east_1()))
}

#[test]
fn a_plan_of_two_thousand_services_places_each_through_its_own_cluster() {
    let report = json(&["estimate", "--terraform-plan", "-"], Some(&clusters_plan().to_string()));
    // A task of 1 vCPU / 2 GB for a month: on demand 730 × 0.04048 + 1460 × 0.004445 = 29.5504 +
    // 6.4897 = 36.0401; on Spot 730 × 0.01288871 + 1460 × 0.00141527 = 9.4087583 + 2.0662942 =
    // 11.4750525.
    // Odd clusters, 1,000 services of 5 on-demand tasks: 1,000 × 5 × 36.0401 = 180,200.5.
    // Even clusters, 1,000 services split by their cluster's strategy: base 1 on FARGATE, the other
    // 4 by weight 1 : 3, the on-demand share ⌈4 × 1/4⌉ = 1: 2 on FARGATE, 3 on FARGATE_SPOT;
    // 1,000 × (2 × 36.0401 + 3 × 11.4750525) = 1,000 × (72.0802 + 34.4251575) = 106,505.3575.
    // In all 180,200.5 + 106,505.3575 = 286,705.8575.
    assert_eq!(number(&report["total"]), d("286705.8575"));
    let items = report["items"].as_array().unwrap();
    assert_eq!(items.len(), 1000 + 2 * 1000);
    // The last service of the last even cluster (c198: s1980…s1989) and of the last odd one.
    let item = |name: &str| items.iter().find(|i| i["name"] == name).unwrap_or_else(|| panic!("no {name}"));
    let spot = item("aws_ecs_service.s1989 (FARGATE_SPOT)");
    assert_eq!(
        (spot["billed"]["count"].as_u64(), spot["billed"]["pricing"].as_str()),
        (Some(3), Some("spot"))
    );
    assert_eq!(number(&spot["total"]), d("34.4251575"));
    assert_eq!(number(&item("aws_ecs_service.s1989 (FARGATE)")["total"]), d("72.0802"));
    assert_eq!(number(&item("aws_ecs_service.s1999")["total"]), d("180.2005"));
    let assumptions = report["assumptions"].as_array().unwrap();
    let placed = "aws_ecs_service.s1989: 5 task(s) split by capacity provider";
    let line = assumptions.iter().filter_map(Value::as_str).find(|a| a.starts_with(placed)).unwrap();
    assert!(line.ends_with("(the default strategy of aws_ecs_cluster_capacity_providers.p198)"), "{line}");
}

/// A task line padded with spaces to `len` bytes (JSON allows them after the object).
fn padded(len: usize) -> Vec<u8> {
    let mut line = br#"{"vcpu": 1, "memory": 2}"#.to_vec();
    line.resize(len, b' ');
    line
}

/// The batch run on `input`, from standard input (a pipe) or a file.
fn batch(input: &[u8], file: bool, extra: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tasks.jsonl");
    std::fs::write(&path, input).unwrap();
    let source = if file { path.display().to_string() } else { "-".to_owned() };
    let mut cmd = cost();
    cmd.args(["estimate", "--batch", &source]).args(extra);
    if !file {
        cmd.write_stdin(input.to_vec());
    }
    cmd.output().unwrap()
}

fn batch_items(out: &std::process::Output) -> Vec<Value> {
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

const MIB: usize = 1 << 20;

#[test]
fn a_batch_line_over_the_cap_is_an_error_naming_it_and_with_keep_going_its_error_object() {
    // Line 2 is one byte over the 1 MiB cap, line 4 three times over (a pipe and a file's 1 MiB
    // reads see both whole and in parts); line 6 is exactly at the cap, and read.
    let mut input = Vec::new();
    for line in [padded(30), padded(MIB + 1), padded(30), padded(3 * MIB), padded(30), padded(MIB)] {
        input.extend(line);
        input.push(b'\n');
    }
    for file in [false, true] {
        let out = batch(&input, file, &[]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let stderr = String::from_utf8(out.stderr.clone()).unwrap();
        assert!(stderr.ends_with("line 2: the line is longer than 1 MiB\n"), "{stderr}");
        assert_eq!(batch_items(&out).len(), 1, "only the line before it is written");

        let out = batch(&input, file, &["--keep-going"]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let stderr = String::from_utf8(out.stderr.clone()).unwrap();
        assert_eq!(stderr, "error: 2 line(s) could not be priced (the first: line 2)\n");
        let items = batch_items(&out);
        assert_eq!(items.len(), 6);
        for at in [2, 4] {
            assert_eq!(items[at - 1], json!({ "line": at, "error": "the line is longer than 1 MiB" }));
        }
        // Every other line is priced: 1 vCPU / 2 GB for a month, 36.0401.
        for at in [1, 3, 5, 6] {
            assert_eq!(items[at - 1]["name"], format!("line {at}"));
            assert_eq!(number(&items[at - 1]["total"]), d("36.0401"));
        }
    }
}

#[test]
fn a_batch_line_that_is_not_utf8_is_with_keep_going_its_error_object() {
    let input = b"{\"vcpu\": 1, \"memory\": 2}\n{\"name\": \"\xff\", \"vcpu\": 1, \"memory\": 2}\n{\"vcpu\": 1, \"memory\": 2}\n";
    for file in [false, true] {
        let out = batch(input, file, &["--keep-going"]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let items = batch_items(&out);
        assert_eq!(items.len(), 3);
        assert_eq!(items[1], json!({ "line": 2, "error": "stream did not contain valid UTF-8" }));
        // 1 vCPU / 2 GB for a month: 36.0401.
        assert_eq!((items[2]["name"].as_str(), number(&items[2]["total"])), (Some("line 3"), d("36.0401")));
        // Without --keep-going, it stops there.
        let out = batch(input, file, &[]);
        assert_eq!((out.status.code(), batch_items(&out).len()), (Some(1), 1));
        assert!(
            String::from_utf8(out.stderr).unwrap().contains("line 2: stream did not contain valid UTF-8")
        );
    }
}
