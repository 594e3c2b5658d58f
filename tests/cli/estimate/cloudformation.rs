//! `--cloudformation`: real templates (JSON and YAML with short-form tags) and CDK cloud
//! assemblies from public repositories (tests/data/real/cloudformation and tests/data/real/cdk,
//! each with a sidecar naming its origin), priced or unpriced as they should be. Totals by hand
//! from the us-east-1 and us-west-2 rates for 730 hours: Fargate Linux x86 0.04048 per vCPU-hour
//! and 0.004445 per GB-hour (0.25 vCPU / 0.5 GB is 7.3876 + 1.622425 = 9.010025 a task; 1 vCPU /
//! 2 GB is 36.0401); Windows 0.046552 and 0.00511175, plus 0.046 per vCPU-hour for the licence;
//! an EKS cluster 0.10 an hour, 73.

use serde_json::Value;

use crate::common::*;

fn real(path: &str) -> String {
    format!("{}/tests/data/real/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn template(name: &str) -> String {
    real(&format!("cloudformation/{name}"))
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect()
}

#[test]
fn a_fargate_service_template_in_json_prices_with_its_parameter_defaults() {
    // aws-cloudformation-templates: ContainerCpu 256, ContainerMemory 512 and DesiredCount 2 by
    // default: 2 × 9.010025 = 18.02005. The cluster is another stack's export, which does not
    // matter: the service names its launch type.
    let path = template("aws-cloudformation--aws-cloudformation-templates--fargate-public-service-json.json");
    let report = json(&["estimate", "--cloudformation", &path], None);
    assert_eq!(number(&report["total"]), d("18.02005"));
    assert_eq!(names(&report["items"]), ["Service"]);
    assert_eq!(report["items"][0]["billed"]["count"], 2);
    // AssignPublicIp ENABLED: the address charge is listed, not silently left out.
    assert!(names(&report["skipped"]).contains(&"Service public IPv4"));
    // --parameter wins over the defaults: 3 tasks of 1 vCPU / 2 GB, 3 × 36.0401 = 108.1203.
    let report = json(
        &[
            "estimate",
            "--cloudformation",
            &path,
            "--parameter",
            "ContainerCpu=1024",
            "--parameter",
            "ContainerMemory=2048",
            "--parameter",
            "DesiredCount=3",
        ],
        None,
    );
    assert_eq!(number(&report["total"]), d("108.1203"));
}

#[test]
fn a_yaml_template_with_short_form_tags_and_conditions() {
    // Copilot's Windows service: TaskCPU, TaskMemory and TaskCount have no defaults, so without
    // them the service is unpriced and names the parameter to give.
    let path = template("aws--copilot-cli--windows-svc-stack.yml");
    let report = json(&["estimate", "--cloudformation", &path], None);
    assert_eq!(report["items"], serde_json::json!([]));
    assert!(report["unpriced"][0]["reason"].as_str().unwrap().contains("--parameter TaskCount=VALUE"));
    // With every value of its real parameters file (TaskCPU 1024, TaskMemory 2048, TaskCount 1):
    // Windows, 1 vCPU / 2 GB: 730 × 0.046552 = 33.98296, 1460 × 0.00511175 = 7.463155,
    // 730 × 0.046 = 33.58; 75.026115.
    let file: Value = serde_json::from_str(
        &std::fs::read_to_string(template("aws--copilot-cli--windows-svc-params.json")).unwrap(),
    )
    .unwrap();
    let given: Vec<String> = file["Parameters"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, value)| format!("{key}={}", value.as_str().unwrap()))
        .collect();
    let mut args = vec!["estimate", "--cloudformation", path.as_str()];
    for parameter in &given {
        args.extend(["--parameter", parameter.as_str()]);
    }
    let report = json(&args, None);
    assert_eq!(number(&report["total"]), d("75.026115"));
    assert_eq!(report["items"][0]["billed"]["os"], "windows");
    // Its add-ons stack exists only if a parameter says so: false by default, so not created.
    let skipped = report["skipped"].as_array().unwrap();
    let addons = skipped.iter().find(|s| s["name"] == "AddonsStack").unwrap();
    assert!(addons["reason"].as_str().unwrap().contains("condition `HasAddons` is false"));
}

#[test]
fn what_only_a_deployment_knows_is_unpriced_and_fails_the_gate() {
    // Copilot's load-balanced service takes its DesiredCount from a custom resource.
    let path = template("aws--copilot-cli--svc-prod-stack.yml");
    let report = json(&["estimate", "--cloudformation", &path], None);
    assert_eq!(names(&report["unpriced"]), ["Service"]);
    assert!(report["unpriced"][0]["reason"].as_str().unwrap().contains("Fn::GetAtt"));
    // The gate fails closed: exit 4, the report on stdout, the first gap named on stderr.
    let out = cost().args(["check", "--cloudformation", &path, "--budget", "100"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("incomplete: Service could not be priced"));
    // A service that names no launch type in a cluster from another stack: its default strategy
    // cannot be known.
    let path = template("aws-cloudformation--aws-cloudformation-templates--ec2-public-service-yaml.yaml");
    let report = json(&["estimate", "--cloudformation", &path], None);
    assert!(report["unpriced"][0]["reason"].as_str().unwrap().contains("Fn::ImportValue"));
    // A repository's storage is not in a template.
    let path = template("atajoe--liatrio-exercise--ecr-repository.yaml");
    let report = json(&["estimate", "--cloudformation", &path], None);
    assert_eq!(names(&report["unpriced"]), ["MyECRRepository"]);
}

#[test]
fn an_ec2_service_sized_by_its_containers_needs_its_instances() {
    // The ECS schedule example: containers of 10 CPU units with 300 and 200 MiB, no launch type
    // and a cluster with no default strategy: the EC2 launch type, (10 + 10) / 1024 = 0.01953125
    // vCPU and 500 / 1024 = 0.48828125 GB, on instances the template does not price.
    let path = template("aws-cloudformation--aws-cloudformation-templates--ecs-schedule-example.yaml");
    let report = json(&["estimate", "--cloudformation", &path], None);
    let reason = report["unpriced"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("0.01953125 vCPU / 0.48828125 GB on the EC2 launch type"), "{reason}");
    assert!(report["unpriced"][0]["fix"].as_str().unwrap().contains("instance_type"));
}

#[test]
fn an_eks_cluster_template() {
    let path = template("aws-cloudformation--aws-cloudformation-templates--eks-cluster-nodegroup.yaml");
    let report = json(&["estimate", "--cloudformation", &path], None);
    assert_eq!(number(&report["total"]), d("73"));
    assert_eq!(names(&report["items"]), ["ControlPlane"]);
}

#[test]
fn cdk_assemblies_price_every_stack_in_its_region() {
    // One stack in us-west-2 (its environment): one task of 0.25 vCPU / 0.5 GB, 9.010025.
    let dir = real("cdk/BabooPan--cdk-ecs-2048-on-fargate/cdk.out");
    let report = json(&["estimate", "--cloudformation", &dir], None);
    assert_eq!(number(&report["total"]), d("9.010025"));
    assert_eq!(report["rates"]["region"], "us-west-2");
    assert_eq!(names(&report["items"]), ["cdk-ecs-2048-on-fargate/Service9571FDD8"]);
    // Eight stacks: the web service (2 tasks, 18.02005) with its cluster imported from the shared
    // stack; two repositories in the ECR stack, unpriced; the rest skipped by type.
    let dir = real("cdk/AITeeToolkit--aws-fargate-cdk/cdk.out");
    let report = json(&["estimate", "--cloudformation", &dir], None);
    assert_eq!(number(&report["total"]), d("18.02005"));
    assert_eq!(report["rates"]["region"], "us-east-1");
    assert_eq!(
        names(&report["unpriced"]),
        ["StorefrontECRStack/ApiRepoEFA7BA97", "StorefrontECRStack/WebRepo9D56C0A3"]
    );
    // --region wins over the environment.
    let report = json(&["estimate", "--cloudformation", &dir, "--region", "eu-west-1"], None);
    assert_eq!(report["rates"]["region"], "eu-west-1");
}

#[test]
fn bad_templates_fail_with_one_line() {
    fails(
        &["estimate", "--cloudformation", "-"],
        Some("Resources: [1, 2]\n"),
        1,
        &["`Resources`", "expected a map"],
    );
    fails(
        &["estimate", "--cloudformation", "-"],
        Some("a: 1\n"),
        1,
        &["not a CloudFormation template", "no `Resources`"],
    );
    fails(
        &["estimate", "--cloudformation", "-"],
        Some("Resources:\n  A: !Bogus x\n"),
        1,
        &["unknown tag `!Bogus`"],
    );
    fails(&["estimate", "--cloudformation", "-"], Some("Resources: {\n"), 1, &["not valid"]);
    // A "billion laughs": each level ten aliases of the one before.
    let mut laughs = String::from("x: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (prev, next) in ["a", "b", "c", "d", "e", "f", "g"].iter().zip(["b", "c", "d", "e", "f", "g", "h"]) {
        let aliases = vec![format!("*{prev}"); 10].join(", ");
        laughs += &[next, ": &", next, " [", &aliases, "]\n"].concat();
    }
    laughs.push_str("Resources: {}\n");
    fails(&["estimate", "--cloudformation", "-"], Some(&laughs), 1, &["aliases expand to too many nodes"]);
    fails(
        &["estimate", "--parameter", "A=1", "--vcpu", "1", "--memory", "2"],
        None,
        2,
        &["--cloudformation"],
    );
    let path = template("atajoe--liatrio-exercise--ecr-repository.yaml");
    fails(&["estimate", "--cloudformation", &path, "--parameter", "novalue"], None, 2, &["KEY=VALUE"]);
}

#[test]
fn diff_of_two_templates_and_of_a_template_and_an_assembly() {
    // The JSON template with DesiredCount's default raised from 2 to 5: 3 more tasks of
    // 9.010025, +27.030075 (from 18.02005 to 45.050125).
    let old = template("aws-cloudformation--aws-cloudformation-templates--fargate-public-service-json.json");
    let text = std::fs::read_to_string(&old).unwrap();
    let raised = text.replacen("\"Default\": 2\n", "\"Default\": 5\n", 1);
    assert_ne!(raised, text);
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("raised.json");
    std::fs::write(&new, raised).unwrap();
    let diff = json(&["diff", &old, &new.display().to_string()], None);
    assert_eq!(number(&diff["total"]["old"]), d("18.02005"));
    assert_eq!(number(&diff["total"]["new"]), d("45.050125"));
    assert_eq!(number(&diff["total"]["delta"]), d("27.030075"));
    // A YAML template against a CDK assembly: 0 (its service is unpriced) to 9.010025.
    let yaml = template("aws--copilot-cli--svc-prod-stack.yml");
    let assembly = real("cdk/BabooPan--cdk-ecs-2048-on-fargate/cdk.out");
    let diff = json(&["diff", &yaml, &assembly], None);
    assert_eq!(number(&diff["total"]["new"]), d("9.010025"));
}

/// A template written here: a cluster whose default strategy an associations resource sets, and a
/// service that names no launch type.
const ASSOCIATED: &str = r#"
Parameters:
  Count: {Type: Number, Default: 4}
Conditions:
  Big: !Equals [!Ref Count, "40"]
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
  Providers:
    Type: AWS::ECS::ClusterCapacityProviderAssociations
    Properties:
      Cluster: !Ref Cluster
      CapacityProviders: [FARGATE, FARGATE_SPOT]
      DefaultCapacityProviderStrategy:
        - {CapacityProvider: FARGATE, Base: 1, Weight: 1}
        - {CapacityProvider: FARGATE_SPOT, Weight: 3}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: !Sub "${AWS::StackName}-web"
      Cpu: !If [Big, "1024", "256"]
      Memory: "512"
      RequiresCompatibilities: [FARGATE]
      ContainerDefinitions:
        - {Name: web, Image: !ImportValue shared-image}
  Web:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      DesiredCount: !Ref Count
      TaskDefinition: !Ref Task
"#;

#[test]
fn a_cluster_default_strategy_splits_the_service() {
    // 4 tasks: the base 1 on FARGATE, then 3 by weight 1 : 3, the on-demand share rounded up
    // (⌈0.75⌉ = 1): 2 on FARGATE, 2 on FARGATE_SPOT, each 0.25 vCPU / 0.5 GB. On demand
    // 2 × 9.010025 = 18.02005; Spot (0.01288871 per vCPU-hour, 0.00141527 per GB-hour)
    // 2 × (0.25 × 730 × 0.01288871 + 0.5 × 730 × 0.00141527) = 2 × (2.352189575 + 0.51657355)
    // = 5.73752625; in all 23.75757625. The family and the image, known only once deployed,
    // do not matter.
    let report = json(&["estimate", "--cloudformation", "-"], Some(ASSOCIATED));
    assert_eq!(number(&report["total"]), d("23.75757625"));
    assert_eq!(names(&report["items"]), ["Web (FARGATE)", "Web (FARGATE_SPOT)"]);
    let assumptions = report["assumptions"].to_string();
    assert!(assumptions.contains("the default strategy of Providers"), "{assumptions}");
}

#[test]
fn every_real_template_is_priced_or_unpriced_as_it_should_be() {
    // (file, total, the unpriced items and why, a skipped type the template has)
    type Case = (&'static str, &'static str, &'static [(&'static str, &'static str)], &'static str);
    let cases: [Case; 14] = [
        (
            "atajoe--liatrio-exercise--ecr-repository.yaml",
            "0",
            &[("MyECRRepository", "not in the template")],
            "",
        ),
        (
            "aws--copilot-cli--backend-autoscaling-stack.yml",
            "0",
            &[("Service", "an attribute of a resource")],
            "AWS::IAM::Role",
        ),
        (
            "aws--copilot-cli--svc-prod-stack.yml",
            "0",
            &[("Service", "Fn::GetAtt")],
            "AWS::ElasticLoadBalancingV2::TargetGroup",
        ),
        (
            "aws--copilot-cli--windows-svc-stack.yml",
            "0",
            &[("Service", "--parameter TaskCount=VALUE")],
            "AWS::Logs::LogGroup",
        ),
        ("aws--copilot-cli--worker-stack.yml", "0", &[("Service", "Fn::GetAtt")], "AWS::SQS::Queue"),
        (
            "aws-cloudformation--aws-cloudformation-templates--ec2-public-service-yaml.yaml",
            "0",
            &[("Service", "Fn::ImportValue")],
            "AWS::ElasticLoadBalancingV2::TargetGroup",
        ),
        (
            "aws-cloudformation--aws-cloudformation-templates--ecs-schedule-example.yaml",
            "0",
            &[("Service", "EC2 launch type")],
            "AWS::AutoScaling::AutoScalingGroup",
        ),
        (
            "aws-cloudformation--aws-cloudformation-templates--eks-cluster-nodegroup.yaml",
            "73",
            &[],
            "AWS::EKS::Nodegroup",
        ),
        (
            "aws-samples--ecs-refarch-cloudformation--ecs-cluster-asg.yaml",
            "0",
            &[],
            "AWS::AutoScaling::AutoScalingGroup",
        ),
        (
            "aws-samples--ecs-refarch-cloudformation--master-nested.yaml",
            "0",
            &[],
            "AWS::CloudFormation::Stack",
        ),
        (
            "aws-samples--ecs-refarch-cloudformation--product-service-ec2.yaml",
            "0",
            &[("Service", "parameter `Cluster` has no default")],
            "AWS::IAM::Role",
        ),
        (
            "aws-samples--ecs-refarch-cloudformation--website-service-ec2.yaml",
            "0",
            &[("Service", "parameter `Cluster` has no default")],
            "AWS::Logs::LogGroup",
        ),
        (
            "aws-cloudformation--aws-cloudformation-templates--fargate-public-service-json.json",
            "18.02005",
            &[],
            "AWS::ElasticLoadBalancingV2::TargetGroup",
        ),
        // A SAM template: a Lambda function, nothing `cost` prices, listed with its type.
        ("aws--aws-sam-cli-app-templates--sam-hello-world.yaml", "0", &[], "AWS::Serverless::Function"),
    ];
    for (file, total, unpriced, skipped) in cases {
        let report = json(&["estimate", "--cloudformation", &template(file)], None);
        assert_eq!(number(&report["total"]), d(total), "{file}");
        let got = report["unpriced"].as_array().unwrap();
        assert_eq!(got.len(), unpriced.len(), "{file}: {got:?}");
        for (entry, (name, why)) in got.iter().zip(unpriced) {
            assert_eq!(entry["name"], *name, "{file}");
            assert!(entry["reason"].as_str().unwrap().contains(why), "{file}: {entry}");
        }
        let types: Vec<&str> =
            report["skipped"].as_array().unwrap().iter().map(|s| s["type"].as_str().unwrap()).collect();
        assert!(skipped.is_empty() || types.contains(&skipped), "{file}: {types:?}");
    }
}
