//! Real task definitions from public repositories (tests/data/real/task-definitions, each with a
//! sidecar naming its repository, path and commit): every shape people have, priced or refused as
//! it should be. Totals are worked out by hand from us-east-1's published rates for 730 hours:
//! Fargate Linux x86 0.04048 per vCPU-hour and 0.004445 per GB-hour, arm64 0.03238 and 0.00356,
//! storage above 20 GB 0.000111 per GB-hour; EC2 t3.medium 0.0416 per hour.

use rust_decimal::Decimal;

use crate::common::*;

fn real(name: &str) -> String {
    format!("{}/tests/data/real/task-definitions/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The total and, per item, (launch type, vCPU, GB) of `estimate --task-definition FILE EXTRA...`.
fn priced(name: &str, extra: &[&str]) -> (Decimal, (String, Decimal, Decimal)) {
    let path = real(name);
    let mut args = vec!["estimate", "--task-definition", path.as_str()];
    args.extend_from_slice(extra);
    let report = json(&args, None);
    assert_eq!(report["unpriced"].as_array().map(Vec::len), Some(0), "{name}");
    let item = &report["items"][0];
    let launch_type = item["launch_type"].as_str().unwrap().to_owned();
    (
        number(&report["total"]),
        (launch_type, number(&item["billed"]["vcpu"]), number(&item["billed"]["memory_gb"])),
    )
}

fn sized(launch_type: &str, vcpu: &str, gb: &str) -> (String, Decimal, Decimal) {
    (launch_type.to_owned(), d(vcpu), d(gb))
}

#[test]
fn fargate_definitions_price_at_their_task_size() {
    // 0.25 vCPU / 0.5 GB: 0.25 × 730 × 0.04048 = 7.3876, 0.5 × 730 × 0.004445 = 1.622425; 9.010025.
    // A console export full of nulls, and a CodeDeploy template with an `<IMAGE_NAME>` placeholder.
    for name in [
        "14km--aws-community-day-2021--console-export-nulls.json",
        "Abdelali12-codes--ecs-blue-green-backend--codedeploy-taskdef-placeholder.json",
        "aws-samples--aws-containers-task-definitions--nginx-fargate.json",
    ] {
        assert_eq!(priced(name, &[]), (d("9.010025"), sized("fargate", "0.25", "0.5")), "{name}");
    }
    // 0.5 vCPU / 1 GB: 14.7752 + 3.24485 = 18.02005. `tags` written as an object, and a container
    // with only a memoryReservation.
    for name in [
        "AmaliTech-Training-Academy--talentradar-config-server-rw--tags-as-object-template.json",
        "aws-samples--aws-containers-task-definitions--gunicorn-fargate-reservation.json",
    ] {
        assert_eq!(priced(name, &[]), (d("18.02005"), sized("fargate", "0.5", "1")), "{name}");
    }
    // 1 vCPU / 2 GB: 29.5504 + 6.4897 = 36.0401. No requiresCompatibilities but a task-level size
    // (kibana): Fargate, the default for a task description.
    for name in [
        "BraidFI-AI--watchman-java--fargate-no-container-size.json",
        "aws-samples--aws-containers-task-definitions--kibana-ec2-tasklevel.json",
    ] {
        assert_eq!(priced(name, &[]), (d("36.0401"), sized("fargate", "1", "2")), "{name}");
    }
    // 21 GiB of ephemeral storage: 1 GB above the 20 included, 730 × 0.000111 = 0.08103; 36.12113.
    let name = "COS301-SE-2023--Where-is-the-power--console-export-fargate-ephemeral.json";
    assert_eq!(priced(name, &[]).0, d("36.12113"));
    // 25 GiB: 5 × 730 × 0.000111 = 0.40515; 36.44525. The same definition as
    // `describe-task-definition` prints it, and as registered.
    for name in ["kayac--ecspresso--katsubushi-td.json", "kayac--ecspresso--katsubushi-td-plain.json"] {
        assert_eq!(priced(name, &[]).0, d("36.44525"), "{name}");
    }
    // Graviton: 0.5 × 730 × 0.03238 = 11.8187, 1 × 730 × 0.00356 = 2.5988; 14.4175.
    let (total, _) = priced("ollie789--qivr--fargate-arm64-graviton.json", &[]);
    assert_eq!(total, d("14.4175"));
}

#[test]
fn ec2_definitions_price_on_the_instances_that_hold_them() {
    // Each fits one t3.medium (2 vCPU, 4 GiB less 512 MiB for the agent): 730 × 0.0416 = 30.368.
    for (name, size) in [
        // requiresCompatibilities EC2 with a task-level 1 vCPU / 3 GB.
        ("AlexDiru--rust-backend-aws--console-export-ec2-tasklevel.json", sized("ec2", "1", "3")),
        // A daemon on the host network, task-level 256 units / 512 MiB.
        ("kayac--ecspresso--ec2-daemon-host.json", sized("ec2", "0.25", "0.5")),
        // No task-level size: one container of 256 units / 256 MiB.
        ("aws-samples--aws-containers-task-definitions--nginx-ec2-bridge.json", sized("ec2", "0.25", "0.25")),
        // No task-level size: one container of 1024 units / 1024 MiB.
        ("kayac--ecspresso--ec2-container-only.json", sized("ec2", "1", "1")),
    ] {
        assert_eq!(priced(name, &[]), (d("30.368"), size), "{name}");
    }
    // No requiresCompatibilities and no task-level size, with --launch-type ec2 and no --vcpu:
    // consul's one container reserves 128 units and a 64 MiB memoryReservation (its 256 MiB
    // `memory` is the hard limit): 0.125 vCPU / 0.0625 GB.
    let consul = "aws-samples--aws-containers-task-definitions--consul-client-host.json";
    assert_eq!(priced(consul, &["--launch-type", "ec2"]), (d("30.368"), sized("ec2", "0.125", "0.0625")));
}

#[test]
fn a_definition_sized_by_its_containers_needs_round_up_on_fargate() {
    // Without a launch type these run on Fargate, which needs a task-level size: the message names
    // the containers' sum and the smallest Fargate size that covers it.
    let consul = real("aws-samples--aws-containers-task-definitions--consul-client-host.json");
    fails(
        &["estimate", "--task-definition", &consul],
        None,
        1,
        &[
            "consul-client-host.json",
            "containers add up to 0.125 vCPU / 0.0625 GB",
            "--round-up to bill the smallest size that fits: 0.25 vCPU / 0.5 GB",
        ],
    );
    // --round-up bills 0.25 vCPU / 0.5 GB: 9.010025.
    let (total, size) =
        priced("aws-samples--aws-containers-task-definitions--consul-client-host.json", &["--round-up"]);
    assert_eq!((total, size), (d("9.010025"), sized("fargate", "0.25", "0.5")));
    // tomcat's container is exactly 1 vCPU / 2 GB: still no task-level size, still --round-up.
    let tomcat = "aws-samples--aws-containers-task-definitions--tomcat-ec2-container-only.json";
    fails(
        &["estimate", "--task-definition", &real(tomcat)],
        None,
        1,
        &["containers add up to 1 vCPU / 2 GB"],
    );
    assert_eq!(priced(tomcat, &["--round-up"]), (d("36.0401"), sized("fargate", "1", "2")));
    assert_eq!(priced(tomcat, &["--launch-type", "ec2"]), (d("30.368"), sized("ec2", "1", "2")));
}

#[test]
fn a_recorded_api_response_is_not_taken_for_a_task_definition() {
    // cloud-custodian's recorded boto3 response wraps the API output in {status_code, data}.
    let path = real("cloud-custodian--cloud-custodian--launch-me.json");
    fails(
        &["estimate", "--task-definition", &path],
        None,
        1,
        &["launch-me.json", "not a task definition", "its keys: data, status_code"],
    );
}
