//! Terraform plans of every `format_version` people have: 0.1 (Terraform 0.12 to 0.14), 1.x, and
//! a plan as PowerShell saves it, from public repositories (tests/data/real/terraform, each with
//! a sidecar naming its origin). Totals by hand: an EKS cluster in standard support is 0.10 an hour,
//! 73 for 730 hours; a Fargate task of 1 vCPU / 2 GB in us-east-1 is 36.0401 a month.

use serde_json::Value;

use crate::common::*;

fn plan(name: &str) -> String {
    format!("{}/tests/data/real/terraform/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect()
}

#[test]
fn format_0_1_plans_from_terraform_0_12_and_0_13_are_read() {
    // Terraform 0.12.23 (checkov's runner test): one EKS cluster, 73; its ECR repository stores an
    // unknown amount, so it is unpriced; 53 other resources are skipped. The region is the plan's
    // provider's, us-west-2.
    let report =
        json(&["estimate", "--terraform-plan", &plan("bridgecrewio--checkov--eks-ecr-plan-v012.json")], None);
    assert_eq!(number(&report["total"]), d("73"));
    assert_eq!(report["rates"]["region"], "us-west-2");
    assert_eq!(names(&report["items"]), ["aws_eks_cluster.eks_cluster"]);
    assert_eq!(names(&report["unpriced"]), ["aws_ecr_repository.repository"]);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 53);
    // Terraform 0.13.4: three clusters in nested modules, 3 × 73 = 219.
    let report = json(
        &["estimate", "--terraform-plan", &plan("bridgecrewio--checkov--eks-nested-modules-plan.json")],
        None,
    );
    assert_eq!(number(&report["total"]), d("219"));
    assert_eq!(report["items"].as_array().unwrap().len(), 3);
    // Terraform 0.13.5, repositories in for_each modules: both unpriced (no storage in a plan).
    let report = json(
        &["estimate", "--terraform-plan", &plan("terraform-compliance--cli--ecr-for-each-modules-plan.json")],
        None,
    );
    assert_eq!(
        names(&report["unpriced"]),
        [
            "module.ecr_repository[\"repository_1\"].aws_ecr_repository.ecr_repository",
            "module.ecr_repository[\"repository_2\"].aws_ecr_repository.ecr_repository",
        ]
    );
    assert_eq!(report["skipped"].as_array().unwrap().len(), 4);
    // With 10 GB each from a usage file they price: 2 × 10 × 0.10 = 2.
    let dir = tempfile::tempdir().unwrap();
    let usage = dir.path().join("usage.toml");
    std::fs::write(
        &usage,
        "[resource.'module.ecr_repository[\"repository_1\"].aws_ecr_repository.ecr_repository']\nstorage_gb = 10\n\
         [resource.'module.ecr_repository[\"repository_2\"].aws_ecr_repository.ecr_repository']\nstorage_gb = 10\n",
    )
    .unwrap();
    let usage = usage.display().to_string();
    let report = json(
        &[
            "estimate",
            "--terraform-plan",
            &plan("terraform-compliance--cli--ecr-exclude-regex-plan.json"),
            "--usage",
            &usage,
        ],
        None,
    );
    assert_eq!(number(&report["total"]), d("2"));
}

#[test]
fn format_1_plans_and_tool_generated_ones_are_read() {
    // Terraform 1.5.1 (terracost's test data): one EKS cluster with a node group, 73.
    let report = json(&["estimate", "--terraform-plan", &plan("cycloidio--terracost--eks-plan.json")], None);
    assert_eq!(number(&report["total"]), d("73"));
    // Written by infracost's HCL reader: two Fargate services of "1 vCPU" / "2 GB", 2 × 36.0401.
    let report = json(
        &["estimate", "--terraform-plan", &plan("infracost--infracost--hcl-ecs-modules-count.json")],
        None,
    );
    assert_eq!(number(&report["total"]), d("72.0802"));
}

#[test]
fn a_format_it_cannot_read_and_utf16_text_are_named() {
    fails(
        &["estimate", "--terraform-plan", "-"],
        Some(r#"{"format_version": "0.3", "planned_values": {}}"#),
        1,
        &["format_version 0.3 is not supported: this build reads 0.1, 0.2 and 1.x"],
    );
    fails(
        &["estimate", "--terraform-plan", &plan("merakiki0514--TEAM3-INFRA-FRAME--eks-ecr-plan-utf16.json")],
        None,
        1,
        &["UTF-16", "save it as UTF-8"],
    );
}
