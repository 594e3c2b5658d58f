//! `--services`: what `aws ecs describe-services` prints, with the task definitions its services use
//! (`--task-definition FILE|DIR`), priced end to end. The real outputs are in
//! tests/data/real/services (each with a sidecar naming its repository, path and commit). Totals
//! are worked out by hand from the published rates for 730 hours: Fargate Linux x86 on demand
//! 0.04048 per vCPU-hour and 0.004445 per GB-hour (us-east-1 and us-east-2 alike), Fargate Spot in
//! us-east-1 0.01288871 and 0.00141527.

use serde_json::{Value, json};

use crate::common::*;

fn real(name: &str) -> String {
    format!("{}/tests/data/real/services/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn definition(name: &str) -> String {
    real(&format!("task-definitions/cloud-custodian--cloud-custodian--{name}.json"))
}

fn services(name: &str) -> String {
    real(&format!("cloud-custodian--cloud-custodian--{name}.json"))
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect()
}

#[test]
fn two_fargate_services_priced_with_a_folder_of_definitions() {
    // home-web and web run 2 tasks each of task-public-no-vpc:1, 0.25 vCPU / 1 GB:
    // 0.25 × 730 × 0.04048 = 7.3876 and 1 × 730 × 0.004445 = 3.24485, 10.63245 a task, 21.2649 a
    // service, 42.5298 in all.
    let folder = real("task-definitions");
    let report = json(
        &["estimate", "--services", &services("two-fargate-services"), "--task-definition", &folder],
        None,
    );
    assert_eq!(number(&report["total"]), d("42.5298"));
    assert_eq!(names(&report["items"]), ["home-web", "web"]);
    for item in report["items"].as_array().unwrap() {
        assert_eq!(number(&item["total"]), d("21.2649"));
        assert_eq!(item["billed"]["count"], 2);
    }
    assert_eq!(report["rates"]["region"], "us-east-1");
    assert_eq!(report["unpriced"], json!([]));
    // Each service's public addresses are listed, not priced; so is every definition no service
    // uses.
    assert_eq!(
        names(&report["skipped"]),
        [
            "home-web public IPv4",
            "web public IPv4",
            "hello_world:8",
            "dev-redash-server:75",
            "dev-redash-server:77",
            "ecs-read-only-root:1",
        ]
    );
    assert_eq!(report["skipped"][0]["type"], "public IPv4 address");
    assert!(report["skipped"][0]["reason"].as_str().unwrap().contains("$0.005 per address-hour"));
    assert_eq!(report["skipped"][2]["type"], "task definition");
    assert_eq!(
        report["assumptions"],
        json!([
            "each service runs its desiredCount of tasks for 730 hours (one month): describe-services says how many run now, not for how long"
        ])
    );
}

#[test]
fn one_service_with_its_definition_from_a_file_or_standard_input() {
    // devx runs 1 task of ecs-read-only-root:1, 0.25 vCPU / 0.5 GB: 7.3876 + 0.5 × 730 × 0.004445
    // (1.622425) = 9.010025.
    let devx = services("fargate-service-tags");
    let file = definition("ecs-read-only-root-1");
    let report = json(&["estimate", "--services", &devx, "--task-definition", &file], None);
    assert_eq!(number(&report["total"]), d("9.010025"));
    assert_eq!(names(&report["items"]), ["devx"]);
    assert_eq!(names(&report["skipped"]), ["devx public IPv4"]);
    let text = std::fs::read_to_string(&file).unwrap();
    let report = json(&["estimate", "--services", &devx, "--task-definition", "-"], Some(&text));
    assert_eq!(number(&report["total"]), d("9.010025"));
    // The services on standard input, the definition from its file.
    let text = std::fs::read_to_string(&devx).unwrap();
    let report = json(&["estimate", "--services", "-", "--task-definition", &file], Some(&text));
    assert_eq!(number(&report["total"]), d("9.010025"));
}

#[test]
fn a_capacity_provider_strategy_in_the_region_of_its_arns() {
    // redash-server in us-east-2 runs 1 task of dev-redash-server:75, 1 vCPU / 2 GB, by a strategy
    // of FARGATE alone: 730 × 0.04048 = 29.5504 and 2 × 730 × 0.004445 = 6.4897, 36.0401.
    let args = [
        "estimate",
        "--services",
        &services("strategy-fargate-us-east-2"),
        "--task-definition",
        &definition("dev-redash-server-75"),
    ];
    let report = json(&args, None);
    assert_eq!(number(&report["total"]), d("36.0401"));
    assert_eq!(report["rates"]["region"], "us-east-2");
    let split = report["assumptions"][0].as_str().unwrap();
    assert!(split.starts_with("redash-server: 1 task(s) split by capacity provider"), "{split}");
    assert!(split.ends_with("1 on FARGATE, 0 on FARGATE_SPOT (its capacityProviderStrategy)"), "{split}");
}

#[test]
fn fargate_and_fargate_spot_split_by_base_and_weight() {
    // 5 tasks of ecs-read-only-root:1 (0.25 vCPU / 0.5 GB), FARGATE base 1 weight 1 and
    // FARGATE_SPOT weight 3: the base 1 on demand, then 4 by 1 : 3, ⌈1⌉ more on demand: 2 on
    // FARGATE, 3 on FARGATE_SPOT.
    // On demand: 2 × 9.010025 = 18.02005.
    // Spot: 3 × (0.25 × 730 × 0.01288871 + 0.5 × 730 × 0.00141527) = 3 × (2.352189575 + 0.51657355)
    // = 3 × 2.868763125 = 8.606289375. Total 26.626339375.
    let text = json!({ "services": [{
        "serviceArn": "arn:aws:ecs:us-east-1:644160558196:service/prod/api", "serviceName": "api",
        "clusterArn": "arn:aws:ecs:us-east-1:644160558196:cluster/prod", "status": "ACTIVE", "desiredCount": 5,
        "capacityProviderStrategy": [
            { "capacityProvider": "FARGATE", "weight": 1, "base": 1 },
            { "capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0 }],
        "taskDefinition": "arn:aws:ecs:us-east-1:644160558196:task-definition/ecs-read-only-root:1",
    }], "failures": [] })
    .to_string();
    let file = definition("ecs-read-only-root-1");
    let report = json(&["estimate", "--services", "-", "--task-definition", &file], Some(&text));
    assert_eq!(names(&report["items"]), ["api (FARGATE)", "api (FARGATE_SPOT)"]);
    assert_eq!(number(&report["items"][0]["total"]), d("18.02005"));
    assert_eq!(number(&report["items"][1]["total"]), d("8.606289375"));
    assert_eq!(report["items"][1]["billed"]["pricing"], "spot");
    assert_eq!(number(&report["total"]), d("26.626339375"));
}

#[test]
fn services_that_cannot_be_priced_or_run_nothing_are_listed() {
    let folder = real("task-definitions");
    // c7n-test (on the EC2 launch type) uses awsvpc:8, which the repository does not record;
    // test-no-tag runs 0.
    let (report, _) = unpriced(
        &["estimate", "--services", &services("ec2-and-fargate-services"), "--task-definition", &folder],
        None,
    );
    assert_eq!(names(&report["unpriced"]), ["c7n-test"]);
    assert_eq!(report["unpriced"][0]["reason"], "its task definition awsvpc:8 was not given");
    assert_eq!(names(&report["skipped"])[0], "test-no-tag");
    // On the EC2 launch type with its definition: its container instances are not named.
    let text = std::fs::read_to_string(services("ec2-and-fargate-services"))
        .unwrap()
        .replace("task-definition/awsvpc:8", "task-definition/ecs-read-only-root:1");
    let file = definition("ecs-read-only-root-1");
    let (report, warning) =
        unpriced(&["estimate", "--services", "-", "--task-definition", &file], Some(&text));
    assert!(warning.contains("c7n-test (runs 1 task(s)"), "{warning}");
    assert_eq!(
        report["unpriced"][0]["reason"],
        "runs 1 task(s) of 0.25 vCPU / 0.5 GB on the EC2 launch type: its cost is that of the container instances, whose type the input does not say"
    );
    let fix = report["unpriced"][0]["fix"].as_str().unwrap();
    assert!(
        fix.starts_with(
            "price c7n-test's container instances: cost estimate --launch-type ec2 --instance-type TYPE"
        ),
        "{fix}"
    );
    assert_eq!(number(&report["total"]), d("0"));
    // Scaled to 0, and being deleted (DRAINING, 0 desired): nothing runs, nothing is unpriced.
    for name in ["ec2-service-desired0", "draining-desired0"] {
        let report = json(&["estimate", "--services", &services(name), "--task-definition", &folder], None);
        assert_eq!(
            (report["items"].as_array().unwrap().len(), report["unpriced"].as_array().unwrap().len()),
            (0, 0)
        );
        assert_eq!(report["skipped"][0]["reason"], "desiredCount is 0: no tasks run", "{name}");
    }
    // A CODE_DEPLOY service whose definition was not given: unpriced with the command that gives it.
    let (report, _) = unpriced(
        &["estimate", "--services", &services("codedeploy-controller"), "--task-definition", &folder],
        None,
    );
    assert_eq!(report["unpriced"][0]["reason"], "its task definition c7n-test-task-def:2 was not given");
    assert_eq!(
        report["unpriced"][0]["fix"],
        "pass its task definition: aws ecs describe-task-definition --task-definition c7n-test-task-def:2 > FILE, then --task-definition FILE"
    );
    // AWS's own example names hello_world:6; the example definition is hello_world:8.
    let boto = real("boto--botocore--describe-services-example.json");
    let example = real("task-definitions/boto--botocore--describe-task-definition-example.json");
    let (report, _) = unpriced(&["estimate", "--services", &boto, "--task-definition", &example], None);
    assert_eq!(report["unpriced"][0]["name"], "ecs-simple-service");
    assert_eq!(
        report["unpriced"][0]["reason"],
        "its task definition hello_world:6 was not given (given: hello_world:8)"
    );
    assert_eq!(names(&report["skipped"]), ["hello_world:8"]);
}

#[test]
fn what_is_not_describe_services_output_is_named() {
    let wrapped = format!(
        "{}/tests/data/real/task-definitions/{}",
        env!("CARGO_MANIFEST_DIR"),
        "kayac--ecspresso--katsubushi-td.json"
    );
    fails(
        &["estimate", "--services", &wrapped],
        None,
        1,
        &["katsubushi-td.json", "not describe-services output", "--task-definition FILE"],
    );
    fails(
        &["estimate", "--services", "-"],
        Some(r#"{"status_code": 200, "data": {"services": []}}"#),
        1,
        &["services on standard input", "jq .data"],
    );
    fails(
        &["estimate", "--services", "-"],
        Some(r#"{"services": [{"serviceName": "api", "desiredCount": "3"}]}"#),
        1,
        &["services on standard input", "`services[0].desiredCount`"],
    );
    // A definition that is not one names its file.
    let devx = services("fargate-service-tags");
    fails(
        &["estimate", "--services", &devx, "--task-definition", &devx],
        None,
        1,
        &["task definition `", "not a task definition"],
    );
}

#[test]
fn task_definitions_go_with_services() {
    let file = definition("ecs-read-only-root-1");
    fails(
        &["estimate", "--task-definition", &file, "--task-definition", &file],
        None,
        2,
        &["--task-definition is given 2 times", "--services"],
    );
    fails(
        &["estimate", "--services", "-", "--task-definition", "-"],
        Some("{}"),
        2,
        &["standard input is read once"],
    );
    fails(&["estimate", "--services", "-", "--vcpu", "1"], Some("{}"), 2, &["--services", "--vcpu"]);
    let empty = tempfile::tempdir().unwrap();
    let folder = empty.path().to_str().unwrap();
    fails(
        &["estimate", "--services", &services("fargate-service-tags"), "--task-definition", folder],
        None,
        1,
        &["has no *.json file"],
    );
}
