//! What each input could not price, and one launch-type rule for every input: workload files,
//! Terraform plans, task definitions and `--batch` lines.

use super::*;

#[test]
fn a_workload_lists_what_it_could_not_price_and_warns_without_a_budget() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "w.toml", &workload(None));
    let (report, warning) = unpriced(&["estimate", "--workload", &path], None);
    assert!(warning.contains("1 of 2 items not priced"), "{warning}");
    // Only `api` is an item, and the total is its own: 2 × 36.0401.
    let names: Vec<&str> =
        report["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["api"]);
    assert_eq!(number(&report["total"]), d("72.0802"));
    assert_eq!(
        report["unpriced"],
        json!([{
            "name": "odd",
            "reason": "Fargate does not offer 4 vCPU with 3 GB; valid memory for 4 vCPU: 8, 9, 10, 11, 12, 13, 14, 15, \
                       16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30 GB",
            "fix": "--round-up (round_up = true) bills the smallest size that fits: 4 vCPU / 8 GB",
        }])
    );
    assert_eq!(report["skipped"], json!([]));
    // The table says it under the items, and in its last line.
    let out = run(&["estimate", "--workload", &path], None);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("\nunpriced (not in the total):\n- odd: Fargate does not offer 4 vCPU with 3 GB"),
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stdout.lines().last(),
        Some("coverage: 1 of 2 items priced; 1 unpriced: odd; 4 assumptions"),
        "{}",
        out.stdout
    );
    // Markdown and CSV say it too.
    let markdown = run(&["estimate", "--workload", &path, "--format", "markdown"], None).stdout;
    assert!(markdown.contains("coverage: 1 of 2 items priced; 1 unpriced: odd"), "{markdown}");
    assert!(markdown.contains("**unpriced (not in the total)**"), "{markdown}");
    let csv = run(&["estimate", "--workload", &path, "--format", "csv"], None).stdout;
    assert!(csv.contains("odd,unpriced,,,,\"Fargate does not offer 4 vCPU with 3 GB;"), "{csv}");
}

#[test]
fn a_workload_budget_with_anything_unpriced_fails_closed() {
    let dir = tempfile::tempdir().unwrap();
    let within = write(dir.path(), "within.toml", &workload(Some("100")));
    // 72.0802 is within 100, but `odd` is not priced: exit 4, the report on stdout.
    for args in [vec!["check", &within], vec!["estimate", "--workload", &within]] {
        let out = run(&args, None);
        assert_eq!(out.code, 4, "{args:?}: {}", out.stderr);
        assert!(out.stdout.contains("api (Fargate on ECS)"), "the report is printed: {}", out.stdout);
        assert!(out.stdout.contains("- odd: "), "{}", out.stdout);
        let line =
            one_line(&out, &["incomplete: odd could not be priced", "4 vCPU / 8 GB", "--allow-unpriced"]);
        assert!(line.contains("1 of 2 items unpriced"), "{line}");
    }
    // Accepted: exit 0, and the verdict line says what it leaves out. 72.0802 / 100 = 72.1%;
    // 100 − 72.0802 = 27.9198 → $27.92.
    let out = run(&["check", &within, "--allow-unpriced"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.lines().next(),
        Some(
            "within budget: $72.08 of $100.00 (72.1%), $27.92 to spare (1 of 2 items priced; 1 unpriced: odd)"
        )
    );
    one_line(&out, &["warning:", "odd"]);
    // Over budget wins over incomplete: 72.0802 > 50 (the unpriced part can only add to it).
    for extra in [None, Some("--allow-unpriced")] {
        let mut args = vec!["check", &within, "--budget", "50"];
        args.extend(extra);
        let out = run(&args, None);
        assert_eq!(out.code, 3, "{args:?}: {}", out.stderr);
        one_line(
            &out,
            &["over budget: the total $72.08 exceeds the budget of $50.00", "1 of 2 items unpriced"],
        );
    }
    // An entry's own budget is a budget too, even the unpriced entry's: it cannot be checked.
    let own = write(dir.path(), "own.toml", &SERVICES.replace("count = 2\n", "count = 2\nbudget = 100\n"));
    assert_eq!(run(&["check", &own], None).code, 4);
    assert_eq!(run(&["check", &own, "--allow-unpriced"], None).code, 0);
    let odd_own = write(dir.path(), "odd-own.toml", &format!("{SERVICES}budget = 500\n"));
    let out = run(&["check", &odd_own, "--format", "json"], None);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert_eq!(json_of(&out)["unpriced"][0]["budget"], 500);
}

// ---------------------------------------------------------------------------------------------
// Terraform plans
// ---------------------------------------------------------------------------------------------

/// `aws_ecs_service.api`: FARGATE, 2 tasks of 1 vCPU / 2 GB; `aws_ecs_service.legacy`: 3 tasks
/// of 0.5 vCPU / 1 GB with no launch type, no capacity provider strategy and a task definition
/// that requires nothing (so ECS runs it on the EC2 launch type); `aws_lb.front`: a load balancer.
fn legacy_plan() -> String {
    let mut legacy_definition =
        tf_task_definition("aws_ecs_task_definition.legacy", "legacy", None, "512", "1024");
    legacy_definition["values"]["requires_compatibilities"] = Value::Null;
    let service = |name: &str, values: Value| {
        tf_resource(&format!("aws_ecs_service.{name}"), "aws_ecs_service", name, None, values)
    };
    let linked = |name: &str| {
        let references =
            [format!("aws_ecs_task_definition.{name}.arn"), format!("aws_ecs_task_definition.{name}")];
        let references: Vec<&str> = references.iter().map(String::as_str).collect();
        tf_config("aws_ecs_service", name, &[("task_definition", &references)])
    };
    tf_plan(
        json!([
            service("api", json!({ "name": "api", "desired_count": 2, "launch_type": "FARGATE" })),
            tf_task_definition("aws_ecs_task_definition.api", "api", None, "1024", "2048"),
            service("legacy", json!({ "name": "legacy", "desired_count": 3 })),
            legacy_definition,
            tf_resource("aws_lb.front", "aws_lb", "front", None, json!({ "name": "front" })),
        ]),
        json!([]),
        json!({ "resources": [linked("api"), linked("legacy")] }),
        Some(us_east_1()),
    )
    .to_string()
}

#[test]
fn a_plan_service_on_the_ec2_launch_type_without_an_instance_type_is_unpriced_not_zero() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(dir.path(), "plan.json", &legacy_plan());
    let (report, _) = unpriced(&["estimate", "--terraform-plan", &plan], None);
    let names: Vec<&str> =
        report["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["aws_ecs_service.api"], "no $0 item stands in for the legacy service");
    assert_eq!(number(&report["total"]), d("72.0802"));
    assert_eq!(report["unpriced"][0]["name"], "aws_ecs_service.legacy");
    assert!(report["unpriced"][0]["reason"].as_str().unwrap().contains("EC2 launch type"), "{report}");
    assert_eq!(
        report["unpriced"][0]["fix"],
        "give `instance_type` for aws_ecs_service.legacy in a usage file (--usage)"
    );
    assert_eq!(
        report["skipped"],
        json!([{ "name": "aws_lb.front", "type": "aws_lb", "reason": "`cost` does not price aws_lb resources" }])
    );
    let assumptions = report["assumptions"].to_string();
    assert!(assumptions.contains("aws_ecs_service.legacy: no launch type, capacity provider strategy or cluster default is known: ECS uses the EC2 launch type"), "{assumptions}");

    // Under a budget: exit 4, then accepted, then over.
    let out = run(&["check", "--terraform-plan", &plan, "--budget", "100"], None);
    assert_eq!(out.code, 4, "{}", out.stderr);
    one_line(&out, &["incomplete: aws_ecs_service.legacy could not be priced", "instance_type"]);
    assert!(out.stdout.lines().any(|l| l == "coverage: 1 of 2 items priced; 1 unpriced: aws_ecs_service.legacy; 1 resource skipped; 2 assumptions"), "{}", out.stdout);
    let out = run(&["check", "--terraform-plan", &plan, "--budget", "100", "--allow-unpriced"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.lines().next(),
        Some(
            "within budget: $72.08 of $100.00 (72.1%), $27.92 to spare (1 of 2 items priced; 1 unpriced: aws_ecs_service.legacy)"
        )
    );
    assert_eq!(
        run(&["check", "--terraform-plan", &plan, "--budget", "70", "--allow-unpriced"], None).code,
        3
    );

    // The fix works: 3 tasks of 0.5 vCPU / 1 GB on m5.large (2 vCPU, 8 GiB less 512 MiB kept:
    // 4 by CPU, 7 by memory) is one instance: 730 × 0.096 = 70.08; with api, 142.1602.
    // 142.1602 / 150 = 94.77% → 94.8%; 150 − 142.1602 = 7.8398 → $7.84.
    let usage = write(
        dir.path(),
        "usage.toml",
        "[resource.\"aws_ecs_service.legacy\"]\ninstance_type = \"m5.large\"\n",
    );
    let out = run(&["check", "--terraform-plan", &plan, "--usage", &usage, "--budget", "150"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert_eq!(out.stdout.lines().next(), Some("within budget: $142.16 of $150.00 (94.8%), $7.84 to spare"));
}

#[test]
fn a_plan_size_fargate_does_not_offer_and_unknown_storage_are_unpriced_with_the_fix() {
    let plan = tf_plan(
        json!([
            tf_resource(
                "aws_ecs_service.big",
                "aws_ecs_service",
                "big",
                None,
                json!({ "desired_count": 1, "launch_type": "FARGATE" })
            ),
            tf_task_definition("aws_ecs_task_definition.big", "big", None, "4096", "3072"),
            common::terraform::tf_ecr_images(),
        ]),
        json!([]),
        json!({ "resources": [tf_config("aws_ecs_service", "big", &[("task_definition", &["aws_ecs_task_definition.big"])])] }),
        Some(us_east_1()),
    );
    let (report, _) = unpriced(&["estimate", "--terraform-plan", "-"], Some(&plan.to_string()));
    assert_eq!(report["items"], json!([]));
    assert_eq!(number(&report["total"]), d("0"));
    let unpriced: Vec<(&str, &str)> = report["unpriced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["name"].as_str().unwrap(), u["fix"].as_str().unwrap()))
        .collect();
    assert_eq!(
        unpriced,
        [
            (
                "aws_ecr_repository.images",
                "give `storage_gb` for aws_ecr_repository.images in a usage file (--usage)"
            ),
            (
                "aws_ecs_service.big",
                "--round-up (round_up = true) bills the smallest size that fits: 4 vCPU / 8 GB"
            ),
        ]
    );
    // A budget of any size cannot pass on nothing priced.
    let out = run(&["check", "--terraform-plan", "-", "--budget", "1000000"], Some(&plan.to_string()));
    assert_eq!(out.code, 4, "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// One rule for the launch type: the same task from any input costs the same
// ---------------------------------------------------------------------------------------------

#[test]
fn the_same_service_from_a_task_definition_a_workload_and_a_plan_costs_the_same() {
    // 2 tasks of 0.5 vCPU / 1 GB for a month: 2 × 18.02005 = 36.0401. No input names a launch
    // type; the task definition requires FARGATE, and every path follows it.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "web.json",
        r#"{"family": "web", "cpu": "512", "memory": "1024", "requiresCompatibilities": ["FARGATE"]}"#,
    );
    let definition = dir.path().join("web.json").display().to_string();
    let workload = write(
        dir.path(),
        "w.toml",
        "[[service]]\nname = \"web\"\ntask_definition = \"web.json\"\ncount = 2\n",
    );
    let plan = tf_plan(
        json!([
            tf_resource("aws_ecs_service.web", "aws_ecs_service", "web", None, json!({ "desired_count": 2 })),
            tf_task_definition("aws_ecs_task_definition.web", "web", None, "512", "1024"),
        ]),
        json!([]),
        json!({ "resources": [tf_config("aws_ecs_service", "web", &[("task_definition", &["aws_ecs_task_definition.web"])])] }),
        Some(us_east_1()),
    );
    let plan = write(dir.path(), "plan.json", &plan.to_string());
    let reports = [
        common::json(&["estimate", "--task-definition", &definition, "--count", "2"], None),
        common::json(&["estimate", "--workload", &workload], None),
        common::json(&["estimate", "--terraform-plan", &plan], None),
    ];
    for report in &reports {
        assert_eq!(number(&report["total"]), d("36.0401"), "{report}");
        assert_eq!(report["items"][0]["launch_type"], "fargate");
        assert_eq!(report["unpriced"], json!([]));
        let assumptions = report["assumptions"].to_string();
        assert!(assumptions.contains("as its task definition requires"), "{assumptions}");
    }
}

#[test]
fn a_task_definition_registered_for_ec2_only_is_priced_on_ec2() {
    // 0.25 vCPU / 0.5 GB on the cheapest instance that fits: one t3.medium, 730 × 0.0416 = 30.368.
    let definition =
        r#"{"family": "ec2-only", "cpu": "256", "memory": "512", "requiresCompatibilities": ["EC2"]}"#;
    let report = common::json(&["estimate", "--task-definition", "-"], Some(definition));
    assert_eq!(report["items"][0]["launch_type"], "ec2");
    assert_eq!(report["items"][0]["packing"]["instance_type"], "t3.medium");
    assert_eq!(number(&report["total"]), d("30.368"));
    assert!(
        report["assumptions"].to_string().contains("the EC2 launch type, as its task definition requires")
    );
    // Both: the default (Fargate), said. 0.25 × 730 × 0.04048 + 0.5 × 730 × 0.004445 = 7.3876 +
    // 1.622425 = 9.010025.
    let both = definition.replace("[\"EC2\"]", "[\"EC2\", \"FARGATE\"]");
    let report = common::json(&["estimate", "--task-definition", "-"], Some(&both));
    assert_eq!(report["items"][0]["launch_type"], "fargate");
    assert_eq!(number(&report["total"]), d("9.010025"));
    assert!(report["assumptions"].to_string().contains("the Fargate launch type, as none was given"));
}

#[test]
fn every_report_has_the_three_lists_even_when_empty() {
    let report = common::json(
        &[
            "estimate",
            "--vcpu",
            "1",
            "--memory",
            "2",
            "--region",
            "us-east-1",
            "--count",
            "1",
            "--hours",
            "730",
            "--launch-type",
            "fargate",
        ],
        None,
    );
    assert_eq!(
        (&report["unpriced"], &report["skipped"], &report["assumptions"]),
        (&json!([]), &json!([]), &json!([]))
    );
    // With nothing given, four defaults are said.
    let report = common::json(&["estimate", "--vcpu", "1", "--memory", "2"], None);
    let assumptions: Vec<&str> =
        report["assumptions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert_eq!(
        assumptions,
        [
            "region us-east-1, as none was given (--region, $AWS_REGION, $AWS_DEFAULT_REGION)",
            "the Fargate launch type, as none was given (--launch-type, `launch_type`)",
            "730 hours (one month) a run, as no hours or minutes were given (--hours, --minutes)",
            "1 task, as no count was given (--count, `count`)",
        ]
    );
    let out = run(&["estimate", "--vcpu", "1", "--memory", "2", "--region", "us-east-1"], None);
    assert_eq!(out.stdout.lines().last(), Some("coverage: 1 item priced, none unpriced; 3 assumptions"));
}

// ---------------------------------------------------------------------------------------------
// --batch
// ---------------------------------------------------------------------------------------------

#[test]
fn a_batch_line_that_cannot_be_priced_is_written_as_unpriced_and_the_gate_fails_closed() {
    let out = run(&["estimate", "--batch", "-"], Some(BATCH));
    assert_eq!(out.code, 0, "{}", out.stderr);
    one_line(&out, &["warning: 1 of 3 lines not priced", "odd", "4 vCPU / 8 GB"]);
    let lines: Vec<Value> = out.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["unpriced"]["name"], "odd");
    assert_eq!(
        lines[1]["unpriced"]["fix"],
        "--round-up (round_up = true) bills the smallest size that fits: 4 vCPU / 8 GB"
    );
    assert_eq!(number(&lines[2]["total"]), d("36.0401"));
    // The total 72.0802 is within 100, but a line is unpriced.
    let out = run(&["estimate", "--batch", "-", "--budget", "100"], Some(BATCH));
    assert_eq!(out.code, 4, "{}", out.stderr);
    one_line(&out, &["incomplete: 1 of 3 lines could not be priced", "odd", "--allow-unpriced"]);
    assert_eq!(out.stdout.lines().count(), 3);
    let out = run(&["estimate", "--batch", "-", "--budget", "100", "--allow-unpriced"], Some(BATCH));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(&["estimate", "--batch", "-", "--budget", "50"], Some(BATCH));
    assert_eq!(out.code, 3, "{}", out.stderr);
    one_line(&out, &["over budget", "1 of 3 lines unpriced"]);
    // A line's own budget is a budget.
    let own = BATCH.replace("\"name\": \"odd\",", "\"name\": \"odd\", \"budget\": 500,");
    assert_eq!(run(&["estimate", "--batch", "-"], Some(&own)).code, 4);
}
