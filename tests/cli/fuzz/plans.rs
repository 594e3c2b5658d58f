//! Terraform plans, as `terraform show -json PLANFILE` prints them (`format_version` 1.x), built
//! like those of `estimate::terraform`: one per way a plan links and places what it prices.

use super::*;

/// Placement: a weighted Spot strategy, a cluster's default strategy, and the EC2 launch type
/// with container-level sizes only.
pub(super) fn strategies_plan() -> Value {
    tf_plan(
        json!([
            tf_resource(
                "aws_ecs_service.worker",
                "aws_ecs_service",
                "worker",
                None,
                json!({ "desired_count": 5,
                "capacity_provider_strategy": [
                    { "capacity_provider": "FARGATE", "base": 1, "weight": 1 },
                    { "capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 3 },
                ] })
            ),
            tf_resource(
                "aws_ecs_service.jobs",
                "aws_ecs_service",
                "jobs",
                None,
                json!({ "desired_count": 4 })
            ),
            tf_resource(
                "aws_ecs_service.legacy",
                "aws_ecs_service",
                "legacy",
                None,
                json!({ "desired_count": 2, "launch_type": "EC2" })
            ),
            tf_task_definition("aws_ecs_task_definition.worker", "worker", None, "1024", "2048"),
            tf_task_definition("aws_ecs_task_definition.jobs", "jobs", None, "512", "1024"),
            tf_resource(
                "aws_ecs_task_definition.legacy",
                "aws_ecs_task_definition",
                "legacy",
                None,
                json!({
                    "family": "legacy", "requires_compatibilities": ["EC2"], "network_mode": "bridge",
                    "container_definitions": "[{\"name\":\"app\",\"image\":\"app\",\"cpu\":512,\"memory\":1024},{\"name\":\"log\",\"image\":\"log\",\"cpu\":512,\"memoryReservation\":1024}]",
                })
            ),
            tf_resource("aws_ecs_cluster.main", "aws_ecs_cluster", "main", None, json!({ "name": "main" })),
            tf_resource(
                "aws_ecs_cluster_capacity_providers.main",
                "aws_ecs_cluster_capacity_providers",
                "main",
                None,
                json!({ "cluster_name": "main", "capacity_providers": ["FARGATE", "FARGATE_SPOT"],
                        "default_capacity_provider_strategy": [{ "capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 1 }] })
            ),
        ]),
        json!([]),
        json!({ "resources": [
            tf_config("aws_ecs_service", "worker", &[
                ("task_definition", &["aws_ecs_task_definition.worker.arn", "aws_ecs_task_definition.worker"]),
                ("cluster", &["aws_ecs_cluster.main.id", "aws_ecs_cluster.main"]),
            ]),
            tf_config("aws_ecs_service", "jobs", &[
                ("task_definition", &["aws_ecs_task_definition.jobs.arn", "aws_ecs_task_definition.jobs"]),
                ("cluster", &["aws_ecs_cluster.main.id", "aws_ecs_cluster.main"]),
            ]),
            tf_config("aws_ecs_service", "legacy", &[("task_definition", &["aws_ecs_task_definition.legacy.arn", "aws_ecs_task_definition.legacy"])]),
            tf_config("aws_ecs_cluster", "main", &[]),
            tf_config("aws_ecs_cluster_capacity_providers", "main", &[("cluster_name", &["aws_ecs_cluster.main.name", "aws_ecs_cluster.main"])]),
        ]}),
        Some(us_east_1()),
    )
}

/// EKS clusters on and off the release calendar, a Fargate profile, repositories; the region
/// from a root variable.
pub(super) fn eks_plan() -> Value {
    let mut eks = tf_plan(
        json!([
            tf_resource(
                "aws_eks_cluster.old",
                "aws_eks_cluster",
                "old",
                None,
                json!({ "name": "old", "version": "1.32" })
            ),
            tf_resource(
                "aws_eks_cluster.new",
                "aws_eks_cluster",
                "new",
                None,
                json!({ "name": "new", "version": "1.99" })
            ),
            tf_resource(
                "aws_eks_cluster.kept",
                "aws_eks_cluster",
                "kept",
                None,
                json!({ "name": "kept", "version": "1.29.3", "upgrade_policy": [{ "support_type": "STANDARD" }] })
            ),
            tf_resource(
                "aws_eks_cluster.later",
                "aws_eks_cluster",
                "later",
                None,
                json!({ "name": "later", "version": null })
            ),
            tf_resource(
                "aws_eks_fargate_profile.default",
                "aws_eks_fargate_profile",
                "default",
                None,
                json!({ "fargate_profile_name": "default", "cluster_name": "old" })
            ),
            tf_ecr_images(),
        ]),
        json!([]),
        json!({ "resources": [], "variables": { "region": { "default": "us-east-1" } } }),
        Some(json!({ "references": ["var.region"] })),
    );
    eks["variables"] = json!({ "region": { "value": "eu-west-1" } });
    eks
}

/// A task definition found by the family in a known ARN; Windows, more storage; services that
/// are skipped (DAEMON, EXTERNAL) and a task definition nothing uses.
pub(super) fn family_plan() -> Value {
    tf_plan(
        json!([
            tf_resource(
                "aws_ecs_service.win",
                "aws_ecs_service",
                "win",
                None,
                json!({ "desired_count": 2, "launch_type": "FARGATE",
                "task_definition": "arn:aws:ecs:us-east-1:123456789012:task-definition/win:7" })
            ),
            tf_resource(
                "aws_ecs_task_definition.win",
                "aws_ecs_task_definition",
                "win",
                None,
                json!({
                    "family": "win", "cpu": "1 vCPU", "memory": "3 GB", "requires_compatibilities": ["FARGATE"],
                    "runtime_platform": [{ "cpu_architecture": "X86_64", "operating_system_family": "WINDOWS_SERVER_2019_CORE" }],
                    "ephemeral_storage": [{ "size_in_gib": 50 }],
                    "container_definitions": "[{\"name\":\"iis\",\"image\":\"mcr.microsoft.com/windows/servercore/iis\"}]",
                })
            ),
            tf_resource(
                "aws_ecs_service.agent",
                "aws_ecs_service",
                "agent",
                None,
                json!({ "scheduling_strategy": "DAEMON", "launch_type": "EC2", "task_definition": "win:7" })
            ),
            tf_resource(
                "aws_ecs_service.edge",
                "aws_ecs_service",
                "edge",
                None,
                json!({ "desired_count": 1, "launch_type": "EXTERNAL", "task_definition": "win" })
            ),
            tf_task_definition("aws_ecs_task_definition.spare", "spare", None, "256", "512"),
        ]),
        json!([]),
        json!({ "resources": [] }),
        Some(us_east_1()),
    )
}

/// The first plan on one line, with the `resource_changes` Terraform prints beside it.
pub(super) fn printed_plan() -> String {
    let mut printed = tf_root_service_plan();
    let changes: Vec<Value> = printed["planned_values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            json!({ "address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
                    "provider_name": r["provider_name"],
                    "change": { "actions": ["create"], "before": null, "after": r["values"],
                                "after_unknown": { "id": true, "arn": true }, "before_sensitive": false,
                                "after_sensitive": {} } })
        })
        .collect();
    printed["resource_changes"] = Value::Array(changes);
    printed.to_string()
}

/// The plans the plan mutations start from; every one prices.
pub(super) fn plans() -> Vec<String> {
    let pretty = |plan: Value| serde_json::to_string_pretty(&plan).unwrap();
    vec![
        pretty(tf_root_service_plan()),
        pretty(tf_instances_plan()),
        pretty(tf_module_links_plan()),
        pretty(strategies_plan()),
        pretty(eks_plan()),
        pretty(family_plan()),
        printed_plan(),
    ]
}
