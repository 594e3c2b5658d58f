//! Real plans (tests/data/real/terraform, each with a sidecar naming its origin).

use super::*;

fn real(name: &str) -> String {
    format!("{}/tests/data/real/terraform/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_real_plan_prices_its_service_and_lists_everything_it_leaves_out() {
    // Maheshroy50/ECR-Fully-Automation: module.ecs's service runs 1 task of 1 vCPU / 2 GB on the
    // FARGATE capacity provider (base 1, weight 1, no launch_type): 36.0401 a month. Its load
    // balancer, NAT gateway and database are kinds `cost` does not price: listed, with their types.
    let plan = real("strapi-ecs-plan.json");
    let report = common::json(&["estimate", "--terraform-plan", &plan], None);
    assert_eq!(number(&report["total"]), d("36.0401"));
    assert_eq!(report["items"][0]["name"], "module.ecs.aws_ecs_service.strapi");
    assert_eq!(report["items"][0]["billed"]["pricing"], "on-demand");
    assert_eq!(report["unpriced"], json!([]));
    let skipped: Vec<(&str, &str)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["type"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped.len(), 21);
    for expected in [
        ("aws_nat_gateway.main", "aws_nat_gateway"),
        ("module.alb.aws_lb.main", "aws_lb"),
        ("module.rds.aws_db_instance.default", "aws_db_instance"),
        ("module.ecs.aws_ecs_cluster_capacity_providers.main", "aws_ecs_cluster_capacity_providers"),
    ] {
        assert!(skipped.contains(&expected), "{expected:?} not in {skipped:?}");
    }
    // The gate: 36.0401 is over 36 by 0.0401 ($0.04); within 40: 90.1%, 3.9599 ($3.96) to spare.
    let out = run(&["check", "--terraform-plan", &plan, "--budget", "36"], None);
    assert_eq!(out.code, 3, "{}", out.stderr);
    one_line(&out, &["over budget: the total $36.04 exceeds the budget of $36.00 by $0.04"]);
    let out = run(&["check", "--terraform-plan", &plan, "--budget", "40"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "within budget: $36.04 of $40.00 (90.1%), $3.96 to spare\n\
         coverage: 1 item priced, none unpriced; 21 resources skipped; 2 assumptions\n"
    );
}

#[test]
fn a_real_plan_with_a_task_definition_and_no_service_prices_nothing_and_says_why() {
    // bridgecrewio/checkov's test plan: a task definition no service runs. Nothing runs, so $0 is
    // the honest total; the definition is listed as skipped with the reason.
    let report =
        common::json(&["estimate", "--terraform-plan", &real("checkov-ecs-taskdef-ec2-plan.json")], None);
    assert_eq!(report["items"], json!([]));
    assert_eq!(report["unpriced"], json!([]));
    assert_eq!(
        report["skipped"],
        json!([{
            "name": "aws_ecs_task_definition.service",
            "type": "aws_ecs_task_definition",
            "reason": "no aws_ecs_service in the plan uses this task definition",
        }])
    );
}
