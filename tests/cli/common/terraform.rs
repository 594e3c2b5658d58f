//! Terraform plans, as `terraform show -json PLANFILE` prints them (`format_version` 1.x), written
//! after Terraform's documented JSON output format (`estimate::terraform`, `coverage`, `scale`,
//! `fuzz`).

use serde_json::{Value, json};

/// A planned resource instance.
pub fn tf_resource(address: &str, kind: &str, name: &str, index: Option<Value>, values: Value) -> Value {
    let mut r = serde_json::json!({
        "address": address, "mode": "managed", "type": kind, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
        "sensitive_values": {},
    });
    r["values"] = values;
    if let Some(index) = index {
        r["index"] = index;
    }
    r
}

/// The planned ECR repository `aws_ecr_repository.images`, named `images`.
pub fn tf_ecr_images() -> Value {
    tf_resource(
        "aws_ecr_repository.images",
        "aws_ecr_repository",
        "images",
        None,
        serde_json::json!({ "name": "images" }),
    )
}

/// A configuration resource block whose expressions refer to `refs` (expression → references).
pub fn tf_config(kind: &str, name: &str, refs: &[(&str, &[&str])]) -> Value {
    let expressions: serde_json::Map<String, Value> = refs
        .iter()
        .map(|(key, references)| ((*key).to_owned(), serde_json::json!({ "references": references })))
        .collect();
    serde_json::json!({ "address": format!("{kind}.{name}"), "mode": "managed", "type": kind, "name": name,
            "provider_config_key": "aws", "expressions": expressions, "schema_version": 0 })
}

pub fn tf_task_definition(address: &str, name: &str, index: Option<Value>, cpu: &str, memory: &str) -> Value {
    tf_resource(
        address,
        "aws_ecs_task_definition",
        name,
        index,
        serde_json::json!({ "family": name, "cpu": cpu, "memory": memory, "requires_compatibilities": ["FARGATE"],
                "network_mode": "awsvpc", "arn": null, "revision": null,
                "container_definitions": "[{\"name\":\"app\",\"image\":\"nginx\",\"essential\":true}]" }),
    )
}

/// A whole plan: planned root resources and child modules, the root configuration module, and the
/// AWS provider's `region` expression.
pub fn tf_plan(resources: Value, child_modules: Value, root_config: Value, region: Option<Value>) -> Value {
    let mut provider =
        serde_json::json!({ "name": "aws", "full_name": "registry.terraform.io/hashicorp/aws" });
    if let Some(region) = region {
        provider["expressions"] = serde_json::json!({ "region": region });
    }
    let mut plan = serde_json::json!({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": { "root_module": {} },
        "resource_changes": [],
        "configuration": { "provider_config": { "aws": provider } },
        "timestamp": "2026-09-30T12:00:00Z",
        "applyable": true,
        "complete": true,
        "errored": false,
    });
    plan["planned_values"]["root_module"]["resources"] = resources;
    plan["planned_values"]["root_module"]["child_modules"] = child_modules;
    plan["configuration"]["root_module"] = root_config;
    plan
}

pub fn us_east_1() -> Value {
    serde_json::json!({ "constant_value": "us-east-1" })
}

/// The plan of the simplest case: a service whose new task definition's ARN is unknown at plan
/// time (so `values` has no `task_definition`), linked through its configuration's references.
pub fn tf_root_service_plan() -> Value {
    tf_plan(
        json!([
            tf_resource(
                "aws_ecs_service.api",
                "aws_ecs_service",
                "api",
                None,
                json!({ "name": "api", "desired_count": 3, "launch_type": "FARGATE" })
            ),
            tf_task_definition("aws_ecs_task_definition.api", "api", None, "1024", "2048"),
            tf_resource("aws_iam_role.task", "aws_iam_role", "task", None, json!({ "name": "task" })),
            tf_ecr_images(),
        ]),
        json!([]),
        json!({ "resources": [
            tf_config("aws_ecs_service", "api", &[("task_definition", &["aws_ecs_task_definition.api.arn", "aws_ecs_task_definition.api"])]),
            tf_config("aws_ecs_task_definition", "api", &[]),
        ]}),
        Some(us_east_1()),
    )
}

/// `count` and `for_each` instances, each linked to its own task definition: the root's
/// `aws_ecs_service.web[0]` and `[1]` (1 task each) use `aws_ecs_task_definition.web[count.index]`
/// (0.25 vCPU / 0.5 GB and 0.5 vCPU / 1 GB); module `svc` with `for_each = {a = 2, b = 1}` has its
/// own service and task definition each: `a` 2 tasks of 1 vCPU / 2 GB ARM, `b` 1 task of
/// 1 vCPU / 2 GB x86 written as "1 vCPU" / "2 GB".
pub fn tf_instances_plan() -> Value {
    let arm = |address: &str| {
        let mut td = tf_task_definition(address, "this", None, "1024", "2048");
        td["values"]["runtime_platform"] =
            json!([{ "cpu_architecture": "ARM64", "operating_system_family": "LINUX" }]);
        td
    };
    let module = |key: &str, count: u64, td: Value| {
        json!({
            "address": format!("module.svc[\"{key}\"]"),
            "resources": [
                tf_resource(&format!("module.svc[\"{key}\"].aws_ecs_service.this"), "aws_ecs_service", "this", None,
                    json!({ "desired_count": count, "launch_type": "FARGATE" })),
                td,
            ],
        })
    };
    tf_plan(
        json!([
            tf_resource(
                "aws_ecs_service.web[0]",
                "aws_ecs_service",
                "web",
                Some(json!(0)),
                json!({ "desired_count": 1, "launch_type": "FARGATE" })
            ),
            tf_resource(
                "aws_ecs_service.web[1]",
                "aws_ecs_service",
                "web",
                Some(json!(1)),
                json!({ "desired_count": 1, "launch_type": "FARGATE" })
            ),
            tf_task_definition("aws_ecs_task_definition.web[0]", "web", Some(json!(0)), "256", "512"),
            tf_task_definition("aws_ecs_task_definition.web[1]", "web", Some(json!(1)), "512", "1024"),
        ]),
        json!([
            module("a", 2, arm("module.svc[\"a\"].aws_ecs_task_definition.this")),
            module(
                "b",
                1,
                tf_task_definition(
                    "module.svc[\"b\"].aws_ecs_task_definition.this",
                    "this",
                    None,
                    "1 vCPU",
                    "2 GB"
                )
            ),
        ]),
        json!({
            "resources": [
                tf_config("aws_ecs_service", "web", &[("task_definition", &["aws_ecs_task_definition.web", "count.index"])]),
                tf_config("aws_ecs_task_definition", "web", &[]),
            ],
            "module_calls": { "svc": {
                "source": "./svc",
                "for_each_expression": { "constant_value": { "a": 2, "b": 1 } },
                "module": { "resources": [
                    tf_config("aws_ecs_service", "this", &[("task_definition", &["aws_ecs_task_definition.this.arn", "aws_ecs_task_definition.this"])]),
                    tf_config("aws_ecs_task_definition", "this", &[]),
                ]},
            }},
        }),
        Some(us_east_1()),
    )
}

/// A module's service gets its task definition through a variable set to another module's
/// output.
pub fn tf_module_links_plan() -> Value {
    tf_plan(
        json!([]),
        json!([
            { "address": "module.api", "resources": [
                tf_resource("module.api.aws_ecs_service.this", "aws_ecs_service", "this", None,
                    json!({ "desired_count": 1, "launch_type": "FARGATE" })),
            ]},
            { "address": "module.defs", "resources": [
                tf_task_definition("module.defs.aws_ecs_task_definition.big", "big", None, "2048", "4096"),
            ]},
        ]),
        json!({ "module_calls": {
            "api": {
                "source": "./api",
                "expressions": { "task_definition": { "references": ["module.defs.arn", "module.defs"] } },
                "module": { "resources": [
                    tf_config("aws_ecs_service", "this", &[("task_definition", &["var.task_definition"])]),
                ], "variables": { "task_definition": {} } },
            },
            "defs": {
                "source": "./defs",
                "module": {
                    "resources": [tf_config("aws_ecs_task_definition", "big", &[])],
                    "outputs": { "arn": { "expression": { "references": ["aws_ecs_task_definition.big.arn", "aws_ecs_task_definition.big"] } } },
                },
            },
        }}),
        Some(us_east_1()),
    )
}
