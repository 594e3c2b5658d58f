//! Inputs given as plain paths, each recognised from its content: `cost estimate INPUT...` and
//! `cost check INPUT`, on the real files of tests/data/real/. Totals as in the tests of each
//! format's flag (us-east-1, 730 hours): 0.25 vCPU / 0.5 GB on Fargate is 9.010025 a task.

use serde_json::Value;

use crate::common::*;

fn real(path: &str) -> String {
    format!("{}/tests/data/real/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn assumptions(report: &Value) -> String {
    report["assumptions"].to_string()
}

#[test]
fn each_format_is_recognised_and_named() {
    // A JSON template: 2 tasks, 18.02005.
    let template = real(
        "cloudformation/aws-cloudformation--aws-cloudformation-templates--fargate-public-service-json.json",
    );
    let report = json(&["estimate", &template], None);
    assert_eq!(number(&report["total"]), d("18.02005"));
    assert!(assumptions(&report).contains("read as a CloudFormation template, recognised from its content"));
    // A YAML template with a parameter.
    let windows = real("cloudformation/aws--copilot-cli--windows-svc-stack.yml");
    let report = json(
        &[
            "estimate",
            &windows,
            "--parameter",
            "TaskCPU=1024",
            "--parameter",
            "TaskMemory=2048",
            "--parameter",
            "TaskCount=1",
        ],
        None,
    );
    assert_eq!(number(&report["total"]), d("75.026115"));
    // A CDK assembly directory: 9.010025 in us-west-2.
    let report = json(&["estimate", &real("cdk/BabooPan--cdk-ecs-2048-on-fargate/cdk.out")], None);
    assert_eq!(number(&report["total"]), d("9.010025"));
    assert!(assumptions(&report).contains("read as a CDK assembly"));
    // A Terraform plan (terracost's EKS cluster, 73).
    let report = json(&["estimate", &real("terraform/cycloidio--terracost--eks-plan.json")], None);
    assert_eq!(number(&report["total"]), d("73"));
    assert!(assumptions(&report).contains("read as a Terraform plan"));
    // A task definition, with flags as for --task-definition: 2 × 9.010025 = 18.02005.
    let nginx = real("task-definitions/aws-samples--aws-containers-task-definitions--nginx-fargate.json");
    let report = json(&["estimate", &nginx, "--count", "2"], None);
    assert_eq!(number(&report["total"]), d("18.02005"));
    // describe-services output with the task definition it runs: two services of 2 tasks of
    // 0.25 vCPU / 1 GB, 4 × (7.3876 + 3.24485) = 42.5298.
    let services = real("services/cloud-custodian--cloud-custodian--two-fargate-services.json");
    let definition =
        real("services/task-definitions/cloud-custodian--cloud-custodian--task-public-no-vpc-1.json");
    let report = json(&["estimate", &services, &definition], None);
    assert_eq!(number(&report["total"]), d("42.5298"));
    assert!(assumptions(&report).contains("read as describe-services output"));
    assert!(assumptions(&report).contains("read as a task definition"));
}

#[test]
fn check_takes_any_input_as_its_positional_file() {
    // A plan's 73 within a budget of 100; a workload keeps its own messages.
    let plan = real("terraform/cycloidio--terracost--eks-plan.json");
    let out = cost().args(["check", &plan, "--budget", "100"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("within budget: $73.00 of $100.00"));
    fails(&["check", &plan], None, 1, &["(a Terraform plan) has no budget to check: pass --budget USD"]);
}

#[test]
fn what_cannot_be_read_together_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let unknown = write("unknown.json", r#"{"hello": "world"}"#);
    fails(&["estimate", &unknown], None, 1, &["unknown.json", "none of the formats", "a Terraform plan"]);
    let plan = real("terraform/cycloidio--terracost--eks-plan.json");
    let template = real("cloudformation/atajoe--liatrio-exercise--ecr-repository.yaml");
    fails(
        &["estimate", &plan, &template],
        None,
        2,
        &["one input to price at a time", "a CloudFormation template"],
    );
    let report = write("report.json", r#"{"schema_version": 1, "items": [], "total": 0}"#);
    fails(&["estimate", &report], None, 2, &["cost JSON report", "cost diff"]);
    let nginx = real("task-definitions/aws-samples--aws-containers-task-definitions--nginx-fargate.json");
    fails(&["estimate", &plan, &nginx], None, 2, &["go with describe-services output"]);
    fails(&["estimate", "-"], Some("{}"), 2, &["standard input goes with the flag of its format"]);
    fails(&["estimate", dir.path().to_str().unwrap()], None, 1, &["without a CDK manifest.json"]);
    // A workload with a mistake is named by the workload reader, with its line.
    let broken = write("broken.toml", "[[service]]\nvcpu = \n");
    fails(&["estimate", &broken], None, 1, &["broken.toml", "line 2"]);
}

#[test]
fn diff_recognises_task_definitions_and_services_as_sides() {
    // nginx (0.25 vCPU / 0.5 GB, 9.010025) to gunicorn (0.5 vCPU / 1 GB, 18.02005): +9.010025.
    let old = real("task-definitions/aws-samples--aws-containers-task-definitions--nginx-fargate.json");
    let new = real(
        "task-definitions/aws-samples--aws-containers-task-definitions--gunicorn-fargate-reservation.json",
    );
    let diff = json(&["diff", &old, &new], None);
    assert_eq!(number(&diff["total"]["delta"]), d("9.010025"));
    // describe-services output alone: its definitions are not at hand, so its services are
    // unpriced, and the diff says so.
    let services = real("services/cloud-custodian--cloud-custodian--two-fargate-services.json");
    let out = cost().args(["diff", &old, &services, "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(diff["new"]["unpriced"].as_array().map(Vec::len), Some(2));
}
