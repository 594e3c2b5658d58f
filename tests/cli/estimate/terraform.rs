//! `--terraform-plan`: Terraform plan JSON (`terraform show -json PLANFILE`, `format_version` 1.x)
//! written by hand here after Terraform's documented JSON output format, priced end to end.
//! Expected totals are worked out by hand from the us-east-1 rates in each test's comments:
//! Fargate x86 0.04048 per vCPU-hour and 0.004445 per GB-hour, ARM 0.03238 / 0.00356, Spot x86
//! 0.01288871 / 0.00141527, EKS 0.10 (standard) / 0.60 (extended) per cluster-hour, ECR 0.10 per
//! GB-month, EC2 m5.large 0.096 an hour; 730 hours a month.
#![allow(clippy::needless_pass_by_value)] // the JSON builders read their arguments

use crate::common::terraform::*;
use crate::common::*;

use std::io::Write as _;

use serde_json::{Value, json};

/// A whole plan (see `common::terraform::tf_plan`) as text, with the AWS provider's region if given.
fn plan(resources: Value, child_modules: Value, root_config: Value, region: Option<&str>) -> String {
    tf_plan(resources, child_modules, root_config, region.map(|r| json!({ "constant_value": r }))).to_string()
}

fn estimate(text: &str, extra: &[&str]) -> Value {
    let mut args = vec!["estimate", "--terraform-plan", "-"];
    args.extend_from_slice(extra);
    json(&args, Some(text))
}

fn item<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

fn usage_file(text: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file
}

fn root_service_plan() -> String {
    tf_root_service_plan().to_string()
}

#[test]
fn a_root_service_is_linked_to_its_unknown_task_definition_by_references() {
    // 3 tasks of 1 vCPU / 2 GB for 730 h: 3 × (730 × 0.04048 + 2 × 730 × 0.004445)
    // = 3 × (29.5504 + 6.4897) = 3 × 36.0401 = 108.1203. How much the repository stores is not in
    // the plan: it is unpriced, not a $0 item.
    let (report, _) = unpriced(&["estimate", "--terraform-plan", "-"], Some(&root_service_plan()));
    assert_eq!(number(&report["total"]), d("108.1203"));
    let api = item(&report, "aws_ecs_service.api");
    assert_eq!(number(&api["total"]), d("108.1203"));
    assert_eq!(api["billed"]["count"], 3);
    assert_eq!(report["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        report["unpriced"],
        json!([{
            "name": "aws_ecr_repository.images",
            "reason": "how much it stores is not in the plan",
            "fix": "give `storage_gb` for aws_ecr_repository.images in a usage file (--usage)",
        }])
    );
    assert_eq!(report["rates"]["region"], "us-east-1");
    let assumptions = report["assumptions"].as_array().unwrap();
    assert!(assumptions.iter().any(|a| a.as_str().unwrap().contains("730 hours")));
    assert_eq!(
        report["skipped"],
        json!([{ "name": "aws_iam_role.task", "type": "aws_iam_role", "reason": "`cost` does not price aws_iam_role resources" }])
    );
    // Table and Markdown list all three under the items.
    let table =
        cost().args(["estimate", "--terraform-plan", "-"]).write_stdin(root_service_plan()).output().unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    for heading in ["unpriced (not in the total):", "assumptions:", "skipped (kinds `cost` does not price):"]
    {
        assert!(table.contains(heading), "{table}");
    }
    let markdown = cost()
        .args(["estimate", "--terraform-plan", "-", "--format", "markdown"])
        .write_stdin(root_service_plan())
        .output()
        .unwrap();
    let markdown = String::from_utf8(markdown.stdout).unwrap();
    assert!(
        markdown.contains("**skipped (kinds \\`cost\\` does not price)**")
            && markdown.contains("aws\\_iam\\_role.task"),
        "{markdown}"
    );
}

#[test]
fn a_usage_file_gives_hours_counts_and_storage() {
    // api for 100 h: 3 × (100 × 0.04048 + 2 × 100 × 0.004445) = 3 × (4.048 + 0.889) = 14.811;
    // images 12 GB for 1 month: 12 × 0.10 = 1.2. Total 16.011.
    let usage = usage_file("hours = 100\n[resource.\"aws_ecr_repository.images\"]\nstorage_gb = 12\n");
    let path = usage.path().to_str().unwrap();
    let report = estimate(&root_service_plan(), &["--usage", path]);
    assert_eq!(number(&item(&report, "aws_ecs_service.api")["total"]), d("14.811"));
    assert_eq!(number(&item(&report, "aws_ecr_repository.images")["total"]), d("1.2"));
    assert_eq!(number(&report["total"]), d("16.011"));
    // Only how long the images are kept was assumed.
    assert_eq!(
        report["assumptions"],
        json!([
            "aws_ecr_repository.images: its images are stored for 1 month (give `months` for it in a usage file, --usage)"
        ])
    );
    // A bad usage file is an error naming it and the line.
    let bad = usage_file("hours = 1\n[resource.\"x\"]\nstorage = 1\n");
    let bad_path = bad.path().to_str().unwrap();
    fails(
        &["estimate", "--terraform-plan", "-", "--usage", bad_path],
        Some(&root_service_plan()),
        1,
        &["usage file", "line 3"],
    );
}

#[test]
fn count_and_for_each_instances_link_to_their_own_task_definitions() {
    // Root: aws_ecs_service.web[0] and [1] (count = 2) use aws_ecs_task_definition.web[count.index]:
    //   web[0] 0.25 vCPU / 0.5 GB: 0.25 × 730 × 0.04048 + 0.5 × 730 × 0.004445 = 7.3876 + 1.622425 = 9.010025
    //   web[1] 0.5 vCPU / 1 GB:    0.5 × 730 × 0.04048 + 1 × 730 × 0.004445 = 14.7752 + 3.24485 = 18.02005
    // Module module.svc with for_each = {a, b}, each with its own service and task definition:
    //   a: 2 tasks of 1 vCPU / 2 GB ARM: 2 × (730 × 0.03238 + 2 × 730 × 0.00356) = 2 × (23.6374 + 5.1976) = 57.67
    //   b: 1 task of 1 vCPU / 2 GB x86: 36.0401
    // Total 9.010025 + 18.02005 + 57.67 + 36.0401 = 120.740175.
    let text = tf_instances_plan().to_string();
    let report = estimate(&text, &[]);
    assert_eq!(number(&item(&report, "aws_ecs_service.web[0]")["total"]), d("9.010025"));
    assert_eq!(number(&item(&report, "aws_ecs_service.web[1]")["total"]), d("18.02005"));
    let a = item(&report, "module.svc[\"a\"].aws_ecs_service.this");
    assert_eq!(number(&a["total"]), d("57.67"));
    assert_eq!(a["billed"]["arch"], "arm64");
    assert_eq!(number(&item(&report, "module.svc[\"b\"].aws_ecs_service.this")["total"]), d("36.0401"));
    assert_eq!(number(&report["total"]), d("120.740175"));
    assert_eq!(report["skipped"], json!([]));
}

#[test]
fn a_module_service_links_through_a_variable_and_a_module_output() {
    // module.api's service gets its task definition through var.task_definition, which the root
    // sets to module.defs.arn, an output of another module pointing at its task definition:
    // 2 vCPU / 4 GB, 1 task: 2 × 730 × 0.04048 + 4 × 730 × 0.004445 = 59.1008 + 12.9794 = 72.0802.
    let text = tf_module_links_plan().to_string();
    let report = estimate(&text, &[]);
    assert_eq!(number(&report["total"]), d("72.0802"));
    assert_eq!(report["items"][0]["name"], "module.api.aws_ecs_service.this");
}

/// A service with 5 tasks, a strategy and a 1 vCPU / 2 GB task definition.
fn spot_plan(service: Value, extra: Value, config_extra: Value) -> String {
    let mut resources = vec![
        tf_resource("aws_ecs_service.worker", "aws_ecs_service", "worker", None, service),
        tf_task_definition("aws_ecs_task_definition.worker", "worker", None, "1024", "2048"),
    ];
    resources.extend(extra.as_array().unwrap().iter().cloned());
    let mut configs = vec![tf_config(
        "aws_ecs_service",
        "worker",
        &[
            ("task_definition", &["aws_ecs_task_definition.worker.arn", "aws_ecs_task_definition.worker"]),
            ("cluster", &["aws_ecs_cluster.main.id", "aws_ecs_cluster.main"]),
        ],
    )];
    configs.extend(config_extra.as_array().unwrap().iter().cloned());
    plan(Value::Array(resources), json!([]), json!({ "resources": configs }), Some("us-east-1"))
}

#[test]
fn a_weighted_spot_strategy_is_priced_as_two_shares() {
    // 5 tasks, FARGATE base 1 weight 1, FARGATE_SPOT weight 3: the base gives FARGATE 1; the other
    // 4 by weight 1 : 3, the on-demand share rounded up: ⌈4 × 1/4⌉ = 1 more on FARGATE, 3 on Spot.
    //   FARGATE 2 × 36.0401 = 72.0802
    //   FARGATE_SPOT 3 × (730 × 0.01288871 + 2 × 730 × 0.00141527) = 3 × (9.4087583 + 2.0662942)
    //     = 3 × 11.4750525 = 34.4251575
    // Total 106.5053575.
    let strategy = json!([
        { "capacity_provider": "FARGATE", "base": 1, "weight": 1 },
        { "capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 3 },
    ]);
    let text = spot_plan(
        json!({ "desired_count": 5, "capacity_provider_strategy": strategy }),
        json!([]),
        json!([]),
    );
    let report = estimate(&text, &[]);
    let on_demand = item(&report, "aws_ecs_service.worker (FARGATE)");
    assert_eq!(on_demand["billed"]["count"], 2);
    assert_eq!(number(&on_demand["total"]), d("72.0802"));
    let spot = item(&report, "aws_ecs_service.worker (FARGATE_SPOT)");
    assert_eq!(spot["billed"]["count"], 3);
    assert_eq!(spot["billed"]["pricing"], "spot");
    assert_eq!(number(&spot["total"]), d("34.4251575"));
    assert_eq!(number(&report["total"]), d("106.5053575"));
    let how = report["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|a| a.contains("split"))
        .unwrap();
    assert!(how.contains("2 on FARGATE, 3 on FARGATE_SPOT") && how.contains("rounded up"), "{how}");
}

#[test]
fn the_cluster_default_strategy_applies_when_the_service_has_none() {
    // No launch_type and no strategy on the service; its cluster's capacity providers resource sets
    // FARGATE_SPOT as the default: 5 × 11.4750525 = 57.3752625.
    let text = spot_plan(
        json!({ "desired_count": 5 }),
        json!([
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
        json!([
            tf_config("aws_ecs_cluster", "main", &[]),
            tf_config(
                "aws_ecs_cluster_capacity_providers",
                "main",
                &[("cluster_name", &["aws_ecs_cluster.main.name", "aws_ecs_cluster.main"])]
            ),
        ]),
    );
    let report = estimate(&text, &[]);
    let worker = item(&report, "aws_ecs_service.worker");
    assert_eq!(worker["billed"]["pricing"], "spot");
    assert_eq!(number(&report["total"]), d("57.3752625"));
    let skipped: Vec<&str> =
        report["skipped"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(skipped, ["aws_ecs_cluster.main", "aws_ecs_cluster_capacity_providers.main"]);
}

#[test]
fn an_ec2_launch_service_is_unpriced_until_an_instance_type_is_named() {
    // 4 tasks of 1 vCPU / 2 GB on EC2: their cost is the instances', which the plan does not name:
    // unpriced with the fix, never a $0 item.
    let text = spot_plan(json!({ "desired_count": 4, "launch_type": "EC2" }), json!([]), json!([]));
    let (report, warning) = unpriced(&["estimate", "--terraform-plan", "-"], Some(&text));
    assert_eq!(report["items"], json!([]));
    let worker = &report["unpriced"][0];
    assert_eq!(worker["name"], "aws_ecs_service.worker");
    assert!(worker["reason"].as_str().unwrap().contains("4 task(s) of 1 vCPU / 2 GB on the EC2 launch type"));
    assert_eq!(worker["fix"], "give `instance_type` for aws_ecs_service.worker in a usage file (--usage)");
    assert!(warning.contains("instance_type"), "{warning}");
    // Named: m5.large (2 vCPU, 8 GiB; 512 MiB reserved) holds min(2/1, ⌊7.5/2⌋ = 3) = 2 tasks, so
    // 2 instances × 730 h × 0.096 = 140.16.
    let usage = usage_file("[resource.\"aws_ecs_service.worker\"]\ninstance_type = \"m5.large\"\n");
    let report = estimate(&text, &["--usage", usage.path().to_str().unwrap()]);
    assert_eq!(number(&report["total"]), d("140.16"));
    assert_eq!(item(&report, "aws_ecs_service.worker")["packing"]["instances"], 2);
}

#[test]
fn eks_clusters_fargate_profiles_and_repositories() {
    // aws_eks_cluster.old runs Kubernetes 1.32, past its end of standard support (2026-03-23, AWS
    // release calendar), so extended: 730 × 0.60 = 438 (the tests run after that date).
    // aws_eks_cluster.new runs 1.99, not in the calendar: standard, said: 100 h (usage) × 0.10 = 10.
    // The Fargate profile costs nothing by itself and is listed as skipped; the repository stores
    // 12 GB: 1.2. Total 449.2.
    let text = plan(
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
                "aws_eks_fargate_profile.default",
                "aws_eks_fargate_profile",
                "default",
                None,
                json!({ "fargate_profile_name": "default" })
            ),
            tf_ecr_images(),
        ]),
        json!([]),
        json!({ "resources": [] }),
        Some("us-east-1"),
    );
    let usage = usage_file(
        "[resource.\"aws_eks_cluster.new\"]\nhours = 100\n[resource.\"aws_ecr_repository.images\"]\nstorage_gb = 12\n",
    );
    let report = estimate(&text, &["--usage", usage.path().to_str().unwrap()]);
    let old = item(&report, "aws_eks_cluster.old");
    assert_eq!(old["support"], "extended");
    assert_eq!(number(&old["total"]), d("438"));
    let new = item(&report, "aws_eks_cluster.new");
    assert_eq!(new["support"], "standard");
    assert_eq!(number(&new["total"]), d("10"));
    assert_eq!(number(&report["total"]), d("449.2"));
    let assumptions = report["assumptions"].to_string();
    assert!(assumptions.contains("1.99") && assumptions.contains("1.32"), "{assumptions}");
    assert_eq!(report["skipped"][0]["name"], "aws_eks_fargate_profile.default");
    assert_eq!(report["skipped"][0]["type"], "aws_eks_fargate_profile");
    assert!(report["skipped"][0]["reason"].as_str().unwrap().contains("costs nothing by itself"));
}

#[test]
fn the_region_comes_from_the_provider_then_the_flag_overrides_it() {
    let with_region = |region: &str| {
        plan(
            json!([tf_resource("aws_ecr_repository.r", "aws_ecr_repository", "r", None, json!({}))]),
            json!([]),
            json!({ "resources": [] }),
            Some(region),
        )
    };
    assert_eq!(estimate(&with_region("eu-west-1"), &[])["rates"]["region"], "eu-west-1");
    assert_eq!(
        estimate(&with_region("eu-west-1"), &["--region", "us-east-2"])["rates"]["region"],
        "us-east-2"
    );
    // A region from a root variable.
    let mut by_variable: Value = serde_json::from_str(&with_region("x")).unwrap();
    by_variable["configuration"]["provider_config"]["aws"]["expressions"]["region"] =
        json!({ "references": ["var.region"] });
    by_variable["variables"] = json!({ "region": { "value": "ap-south-1" } });
    assert_eq!(estimate(&by_variable.to_string(), &[])["rates"]["region"], "ap-south-1");
    // None stated: the environment, and it is said.
    let none = plan(json!([]), json!([]), json!({}), None);
    let report = json(&["estimate", "--terraform-plan", "-"], Some(&none));
    assert_eq!(report["rates"]["region"], "us-east-1");
    assert_eq!(
        report["assumptions"][0],
        "region us-east-1, as none was given (--region, the plan's AWS provider region, $AWS_REGION, $AWS_DEFAULT_REGION)"
    );
}

#[test]
fn unlinkable_and_unknown_services_are_unpriced_with_reasons() {
    let text = plan(
        json!([
            tf_resource(
                "aws_ecs_service.orphan",
                "aws_ecs_service",
                "orphan",
                None,
                json!({ "desired_count": 1, "launch_type": "FARGATE" })
            ),
            tf_resource(
                "aws_ecs_service.later",
                "aws_ecs_service",
                "later",
                None,
                json!({ "launch_type": "FARGATE" })
            ),
        ]),
        json!([]),
        json!({ "resources": [] }),
        Some("us-east-1"),
    );
    let (report, _) = unpriced(&["estimate", "--terraform-plan", "-"], Some(&text));
    assert_eq!(number(&report["total"]), d("0"));
    let reasons = report["unpriced"].to_string();
    assert!(
        reasons.contains("aws_ecs_service.orphan") && reasons.contains("not known at plan time"),
        "{reasons}"
    );
    assert!(reasons.contains("aws_ecs_service.later") && reasons.contains("desired_count"), "{reasons}");
}

#[test]
fn malformed_plans_are_one_line_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, needle) in [
        ("broken.json", "{\"format_version\": \"1.2\", ", "not valid JSON"),
        ("empty.json", "", "empty"),
        ("array.json", "[1, 2]", "not a Terraform plan"),
        ("state.json", "{\"format_version\": \"1.0\", \"values\": {}}", "planned_values"),
        ("future.json", "{\"format_version\": \"2.0\", \"planned_values\": {}}", "format_version 2.0"),
        (
            "resources.json",
            "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {\"resources\": {}}}}",
            "planned_values.root_module.resources",
        ),
        (
            "address.json",
            "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {\"resources\": [{\"mode\": \"managed\"}]}}}",
            "has no `address`",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let path = path.to_str().unwrap();
        fails(&["estimate", "--terraform-plan", path], None, 1, &["terraform plan", name, needle]);
    }
    fails(&["estimate", "--terraform-plan", "/no/such/plan.json"], None, 1, &["/no/such/plan.json"]);
}

#[test]
fn check_gates_on_a_plan_and_needs_exactly_one_input() {
    // The repository's storage is unknown: a budget cannot pass, however large.
    let text = root_service_plan();
    let incomplete = cost()
        .args(["check", "--terraform-plan", "-", "--budget", "500"])
        .write_stdin(text.clone())
        .assert()
        .code(4);
    assert!(
        String::from_utf8(incomplete.get_output().stderr.clone())
            .unwrap()
            .starts_with("incomplete: aws_ecr_repository.images could not be priced")
    );
    // With it (12 GB × 0.10 = 1.2), 108.1203 + 1.2 = 109.3203 against 500: within; against 100:
    // over by 9.3203.
    let usage = usage_file("[resource.\"aws_ecr_repository.images\"]\nstorage_gb = 12\n");
    let usage = usage.path().to_str().unwrap();
    let ok = cost()
        .args(["check", "--terraform-plan", "-", "--usage", usage, "--budget", "500"])
        .write_stdin(text.clone())
        .assert()
        .success();
    assert!(
        String::from_utf8(ok.get_output().stdout.clone())
            .unwrap()
            .starts_with("within budget: $109.32 of $500.00")
    );
    let over = cost()
        .args(["check", "--terraform-plan", "-", "--usage", usage, "--budget", "100"])
        .write_stdin(text.clone())
        .assert()
        .code(3);
    assert!(
        String::from_utf8(over.get_output().stderr.clone())
            .unwrap()
            .contains("exceeds the budget of $100.00 by $9.32")
    );
    fails(
        &["check", "--terraform-plan", "-"],
        Some(&text),
        1,
        &["terraform plan on standard input", "--budget"],
    );
    fails(&["check"], None, 2, &[]);
    fails(&["check", "w.toml", "--terraform-plan", "p.json"], None, 2, &["--terraform-plan"]);
    fails(&["estimate", "--terraform-plan", "-", "--vcpu", "1"], Some(&text), 2, &["--vcpu"]);
    fails(&["estimate", "--terraform-plan", "-", "--workload", "w.toml"], Some(&text), 2, &[]);
    fails(&["estimate", "--usage", "u.toml", "--vcpu", "1", "--memory", "2"], None, 2, &["--terraform-plan"]);
}

#[test]
fn diff_and_compare_read_plans() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    std::fs::write(&old, root_service_plan()).unwrap();
    // The new plan runs 4 api tasks: 4 × 36.0401 = 144.1604, a rise of 36.0401.
    std::fs::write(&new, root_service_plan().replace("\"desired_count\":3", "\"desired_count\":4")).unwrap();
    let diff = json(&["diff", old.to_str().unwrap(), new.to_str().unwrap()], None);
    assert_eq!(number(&diff["total"]["old"]), d("108.1203"));
    assert_eq!(number(&diff["total"]["new"]), d("144.1604"));
    assert_eq!(number(&diff["total"]["delta"]), d("36.0401"));
    assert_eq!(diff["items"][0]["status"], "changed");
    // compare: the same service on Fargate (108.1203) and on EC2.
    let compare = json(&["compare", "--terraform-plan", old.to_str().unwrap()], None);
    assert_eq!(number(&compare["fargate"]["total"]), d("108.1203"));
    assert_eq!(compare["ec2"]["items"][0]["launch_type"], "ec2");
}
