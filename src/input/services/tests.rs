use serde_json::json;

use super::*;
use crate::model::{Arch, LaunchType, Pricing};

const ARN: &str = "arn:aws:ecs:eu-west-1:123456789012";

/// A describe-task-definition output of `family:revision`, 0.25 vCPU / 0.5 GB for Fargate.
fn fargate(family: &str, revision: u32) -> Definition {
    let text = json!({ "taskDefinition": {
        "taskDefinitionArn": format!("{ARN}:task-definition/{family}:{revision}"),
        "family": family, "revision": revision, "cpu": "256", "memory": "512",
        "requiresCompatibilities": ["FARGATE"],
        "containerDefinitions": [{ "name": "app", "cpu": 0 }],
    }});
    definition(format!("task definition `{family}.json`"), &text.to_string()).unwrap()
}

/// describe-services output of these services, with no failures.
fn output(services: &serde_json::Value) -> String {
    json!({ "services": services, "failures": [] }).to_string()
}

/// A service of the cluster `prod` running `count` tasks of `family:revision`, with `extra` keys.
fn service(name: &str, count: u64, reference: &str, extra: &serde_json::Value) -> serde_json::Value {
    let mut service = json!({
        "serviceArn": format!("{ARN}:service/prod/{name}"), "serviceName": name,
        "clusterArn": format!("{ARN}:cluster/prod"), "status": "ACTIVE",
        "desiredCount": count, "runningCount": count, "taskDefinition": reference,
        "schedulingStrategy": "REPLICA", "deployments": [], "events": [],
    });
    for (key, value) in extra.as_object().unwrap() {
        service[key] = value.clone();
    }
    service
}

fn read(services: &serde_json::Value, definitions: &[Definition]) -> Inventory {
    parse(&output(services), definitions).unwrap()
}

#[test]
fn a_fargate_service_takes_its_count_and_its_definition() {
    let reference = format!("{ARN}:task-definition/web:3");
    let inventory = read(
        &json!([service("web", 3, &reference, &json!({ "launchType": "FARGATE" }))]),
        &[fargate("web", 3)],
    );
    assert_eq!(inventory.region.as_deref(), Some("eu-west-1"));
    let [Service { name, input, definition }] = inventory.services.as_slice() else {
        panic!("{:?}", inventory.services)
    };
    assert_eq!(name, "web");
    let task = input.to_task(definition.as_ref()).unwrap();
    assert_eq!((task.count, task.launch_type, task.pricing), (3, LaunchType::Fargate, Pricing::OnDemand));
    assert_eq!(task.size.vcpu, rust_decimal::Decimal::new(25, 2));
    assert!(inventory.unpriced.is_empty() && inventory.skipped.is_empty(), "{inventory:?}");
    assert_eq!(inventory.assumptions.len(), 1, "{:?}", inventory.assumptions);
}

#[test]
fn definitions_match_by_arn_else_by_family_and_revision() {
    // The ARN of another account still names web:3.
    let other_account = "arn:aws:ecs:eu-west-1:999999999999:task-definition/web:3";
    for reference in [other_account, "web:3"] {
        let inventory = read(&json!([service("web", 1, reference, &json!({}))]), &[fargate("web", 3)]);
        assert_eq!(inventory.services.len(), 1, "{reference}: {inventory:?}");
    }
    // Given the wrong revision: unpriced, naming what was given and how to get the right one; the
    // definition given is listed as unused.
    let reference = format!("{ARN}:task-definition/web:4");
    let inventory = read(&json!([service("web", 1, &reference, &json!({}))]), &[fargate("web", 3)]);
    assert!(inventory.services.is_empty());
    let [unpriced] = inventory.unpriced.as_slice() else { panic!("{inventory:?}") };
    assert_eq!(unpriced.reason, "its task definition web:4 was not given (given: web:3)");
    assert_eq!(
        unpriced.fix,
        "pass its task definition: aws ecs describe-task-definition --task-definition web:4 > FILE, then \
         --task-definition FILE"
    );
    assert_eq!(inventory.skipped[0].name, "web:3");
    assert_eq!(inventory.skipped[0].kind, "task definition");
    // The same definition twice counts once; two that differ under one name are an error.
    let twice =
        read(&json!([service("web", 1, "web:3", &json!({}))]), &[fargate("web", 3), fargate("web", 3)]);
    assert!(twice.skipped.is_empty(), "{twice:?}");
    let mut other = fargate("web", 3);
    other.parsed.arch = Some(Arch::Arm64);
    other.label = "task definition `other.json`".into();
    let err = parse(&output(&json!([])), &[fargate("web", 3), other]).unwrap_err();
    assert!(err.to_string().contains("`web.json` and task definition `other.json`"), "{err}");
}

#[test]
fn where_the_tasks_run() {
    let definitions = [fargate("web", 3)];
    // A strategy splits the tasks into FARGATE and FARGATE_SPOT items.
    let strategy = json!({ "capacityProviderStrategy": [
        { "capacityProvider": "FARGATE", "base": 1, "weight": 1 },
        { "capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 3 }] });
    let inventory = read(&json!([service("web", 5, "web:3", &strategy)]), &definitions);
    let split: Vec<(&str, Option<u64>, Option<Pricing>)> =
        inventory.services.iter().map(|s| (s.name.as_str(), s.input.count, s.input.pricing)).collect();
    assert_eq!(
        split,
        [("web (FARGATE)", Some(2), None), ("web (FARGATE_SPOT)", Some(3), Some(Pricing::Spot))]
    );
    assert!(
        inventory.assumptions[0].starts_with("web: 5 task(s) split by capacity provider"),
        "{inventory:?}"
    );
    // EC2, stated or by an Auto Scaling group provider or by default (priced, or listed as unpriced
    // for its container instances, by the report).
    for extra in [
        json!({ "launchType": "EC2" }),
        json!({ "capacityProviderStrategy": [{ "capacityProvider": "asg", "weight": 1 }] }),
        json!({ "taskDefinition": "old:1", "launchType": null }),
    ] {
        let definitions =
            [fargate("web", 3), definition("old", r#"{"family": "old", "revision": 1}"#).unwrap()];
        let inventory = read(&json!([service("web", 2, "web:3", &extra)]), &definitions);
        let [Service { input, .. }] = inventory.services.as_slice() else { panic!("{extra}: {inventory:?}") };
        assert_eq!((input.launch_type, input.count), (Some(LaunchType::Ec2), Some(2)), "{extra}");
    }
    // Neither stated nor a definition to decide: unpriced for the definition.
    let inventory = read(&json!([service("web", 2, "new:1", &json!({}))]), &definitions);
    assert!(inventory.unpriced[0].reason.contains("new:1 was not given"), "{inventory:?}");
    // ECS Anywhere, an unknown launch type, a DAEMON service.
    for (extra, why) in [
        (json!({ "launchType": "EXTERNAL" }), "ECS Anywhere"),
        (json!({ "launchType": "LAMBDA" }), "unknown launchType `LAMBDA`"),
        (json!({ "schedulingStrategy": "DAEMON" }), "DAEMON"),
    ] {
        let inventory = read(&json!([service("web", 2, "web:3", &extra)]), &definitions);
        assert!(inventory.unpriced[0].reason.contains(why), "{extra}: {inventory:?}");
    }
}

#[test]
fn services_that_run_nothing_are_skipped_and_public_addresses_listed() {
    let definitions = [fargate("web", 3)];
    let public =
        json!({ "networkConfiguration": { "awsvpcConfiguration": { "assignPublicIp": "ENABLED" } } });
    let inventory = read(
        &json!([
            service("idle", 0, "web:3", &public),
            service("gone", 2, "web:3", &json!({ "status": "INACTIVE" })),
            service("web", 2, "web:3", &public),
        ]),
        &definitions,
    );
    let skipped: Vec<(&str, &str)> =
        inventory.skipped.iter().map(|s| (s.name.as_str(), s.kind.as_str())).collect();
    assert_eq!(
        skipped,
        [("idle", "ECS service"), ("gone", "ECS service"), ("web public IPv4", "public IPv4 address")]
    );
    assert_eq!(inventory.skipped[0].reason, "desiredCount is 0: no tasks run");
    assert!(
        inventory.skipped[2].reason.contains("2 task(s) with a public IPv4 address each"),
        "{inventory:?}"
    );
    assert!(inventory.skipped[2].reason.contains("$0.005 per address-hour"), "{inventory:?}");
    assert_eq!(inventory.services.len(), 1);
}

#[test]
fn failures_regions_clusters_and_nulls() {
    let text = json!({
        "services": [service("web", 1, "web:3", &json!({ "launchType": null, "capacityProviderStrategy": null,
                      "networkConfiguration": null, "launchType": "FARGATE" }))],
        "failures": [{ "arn": format!("{ARN}:service/prod/api"), "reason": "MISSING", "detail": null }],
    })
    .to_string();
    let inventory = parse(&text, &[fargate("web", 3)]).unwrap();
    assert_eq!(inventory.services.len(), 1);
    let [failed] = inventory.unpriced.as_slice() else { panic!("{inventory:?}") };
    assert_eq!(failed.name, "api");
    assert_eq!(failed.reason, "describe-services could not describe it: MISSING");
    assert!(failed.fix.contains("--cluster"));
    // Two regions cannot share a report.
    let other =
        service("api", 1, "web:3", &json!({ "serviceArn": "arn:aws:ecs:us-east-1:1:service/prod/api" }));
    let err = parse(&output(&json!([service("web", 1, "web:3", &json!({})), other])), &[]).unwrap_err();
    assert_eq!(
        err,
        ServicesError::Regions(
            "eu-west-1 (services[0].serviceArn)".into(),
            "us-east-1 (services[1].serviceArn)".into()
        )
    );
    // Outputs of two clusters joined: each service is named by its cluster too.
    let staging = json!({ "clusterArn": format!("{ARN}:cluster/staging") });
    let inventory =
        read(&json!([service("web", 1, "web:3", &json!({})), service("web", 1, "web:3", &staging)]), &[]);
    let names: Vec<&str> = inventory.unpriced.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["prod/web", "staging/web"]);
    // The same service twice is an error.
    let err = parse(
        &output(&json!([service("web", 1, "web:3", &json!({})), service("web", 1, "web:3", &json!({}))])),
        &[],
    )
    .unwrap_err();
    assert!(err.to_string().contains("service `web` appears twice (services[0] and services[1])"), "{err}");
}

#[test]
fn other_documents_and_wrong_types_are_named() {
    for (text, says) in [
        ("", "the input is empty"),
        ("{\"services\": [", "not valid JSON"),
        ("[]", "expected an object, got an array"),
        (r#"{"taskDefinition": {"family": "web"}}"#, "it is a task definition"),
        (r#"{"format_version": "1.2", "planned_values": {}}"#, "it is a Terraform plan"),
        (r#"{"status_code": 200, "data": {"services": []}}"#, "`jq .data FILE`"),
        (r#"{"service": {"serviceName": "web"}}"#, "create-service"),
        (r#"{"clusters": []}"#, "its keys: clusters"),
        (r#"{"services": {}}"#, "`services`: expected an array, got an object"),
        (r#"{"services": [1]}"#, "`services[0]`: expected an object"),
        (r#"{"services": [{"desiredCount": 1}]}"#, "`services[0].serviceName`"),
        (r#"{"services": [{"serviceName": 5}]}"#, "`services[0].serviceName`: expected a string"),
        (r#"{"services": [{"serviceName": "a", "desiredCount": "2"}]}"#, "`services[0].desiredCount`"),
        (r#"{"services": [{"serviceName": "a", "desiredCount": -1}]}"#, "`services[0].desiredCount`"),
        (r#"{"services": [{"serviceName": "a", "desiredCount": 1.5}]}"#, "`services[0].desiredCount`"),
        (r#"{"services": [{"serviceName": "a", "desiredCount": 1e999}]}"#, "`services[0].desiredCount`"),
        (
            r#"{"services": [{"serviceName": "a", "capacityProviderStrategy": [{"weight": 1}]}]}"#,
            "`services[0].capacityProviderStrategy[0].capacityProvider`",
        ),
        (
            r#"{"services": [{"serviceName": "a", "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": "1"}]}]}"#,
            "`services[0].capacityProviderStrategy[0].base`",
        ),
        (
            r#"{"services": [{"serviceName": "a", "networkConfiguration": {"awsvpcConfiguration": {"assignPublicIp": "YES"}}}]}"#,
            "`services[0].networkConfiguration.awsvpcConfiguration.assignPublicIp`",
        ),
        (r#"{"services": [], "failures": [{"arn": 1}]}"#, "`failures[0].arn`"),
    ] {
        let err = parse(text, &[]).unwrap_err().to_string();
        assert!(err.contains(says), "{text}: {err}");
    }
    // Only failures, or nothing at all, is still describe-services output.
    assert_eq!(parse(r#"{"services": [], "failures": []}"#, &[]), Ok(Inventory::default()));
    assert_eq!(parse(r#"{"failures": null}"#, &[]), Ok(Inventory::default()));
}
