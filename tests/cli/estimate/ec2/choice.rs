//! The automatic choice of instance type, time and data transfer on EC2, and what EC2 refuses.

use super::*;

#[test]
fn t3_medium_is_cheapest_for_small_tasks() {
    // 1 vCPU / 2 GB × 5, an hour of each fleet:
    //   t3.medium k = min(2, 3584 / 2048 = 1) = 1 → 5 × 0.0416 = 0.208
    //   c5.large  k = 1 → 5 × 0.085 = 0.425
    //   m5.large  k = min(2, 7680 / 2048 = 3) = 2 → 3 × 0.096 = 0.288
    //   m5.xlarge k = min(4, 15872 / 2048 = 7) = 4 → 2 × 0.192 = 0.384
    //   r5.large  k = min(2, 7) = 2 → 3 × 0.126 = 0.378
    // t3.medium: 730 × 0.208 = 151.84.
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--count", "5"]);
    assert_eq!(placed(&report), cheapest("t3.medium", 5, 1));
    assert_eq!(number(&report["total"]), d("151.84"));
    let notes = notes(&report);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("t3.medium is the cheapest catalogued x86_64 type that holds the tasks")),
        "{notes:?}"
    );
    // A named type is `given` and has no such note.
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--count", "5", "--instance-type", "t3.medium"]);
    assert_eq!(placed(&report), given("t3.medium", 5, 1));
    assert!(!report["items"][0]["notes"].to_string().contains("cheapest"));
}

#[test]
fn m5_large_is_cheapest_when_t3_medium_is_too_small() {
    // 2 vCPU / 4 GB × 3: 4096 MiB > 3584, so neither t3.medium nor c5.large holds one.
    //   m5.large  k = min(1, 7680 / 4096 = 1) = 1 → 3 × 0.096 = 0.288
    //   m5.xlarge k = min(2, 15872 / 4096 = 3) = 2 → 2 × 0.192 = 0.384
    //   r5.large  k = min(1, 3) = 1 → 3 × 0.126 = 0.378
    // m5.large: 730 × 0.288 = 210.24.
    let report = ec2(&["--vcpu", "2", "--memory", "4", "--count", "3"]);
    assert_eq!(placed(&report), cheapest("m5.large", 3, 1));
    assert_eq!(number(&report["total"]), d("210.24"));
    // 4 of them: m5.large 4 × 0.096 = 0.384 = m5.xlarge 2 × 0.192; the tie goes to fewer
    // instances: 2 × m5.xlarge, 730 × 0.384 = 280.32.
    let report = ec2(&["--vcpu", "2", "--memory", "4", "--count", "4"]);
    assert_eq!(placed(&report), cheapest("m5.xlarge", 2, 2));
    assert_eq!(number(&report["total"]), d("280.32"));
}

#[test]
fn r5_large_is_cheapest_for_memory_heavy_tasks() {
    // 0.5 vCPU / 4 GB × 3 (t3.medium and c5.large cannot hold 4096 MiB):
    //   m5.large  k = min(4, 7680 / 4096 = 1) = 1 → 3 × 0.096 = 0.288
    //   m5.xlarge k = min(8, 15872 / 4096 = 3) = 3 → 0.192
    //   r5.large  k = min(4, 3) = 3 → 0.126
    // r5.large: 730 × 0.126 = 91.98. One task alone goes on m5.large (0.096 < 0.126): 70.08.
    let report = ec2(&["--vcpu", "0.5", "--memory", "4", "--count", "3"]);
    assert_eq!(placed(&report), cheapest("r5.large", 1, 3));
    assert_eq!(number(&report["total"]), d("91.98"));
    let report = ec2(&["--vcpu", "0.5", "--memory", "4"]);
    assert_eq!(placed(&report), cheapest("m5.large", 1, 1));
    assert_eq!(number(&report["total"]), d("70.08"));
}

#[test]
fn arm64_tasks_go_on_the_cheapest_graviton_type() {
    // 1 vCPU / 2 GB arm64: c6g.large k = min(2, 3584 / 2048 = 1) = 1; m6g.large k = min(2, 3) = 2.
    // One task: c6g.large 0.068 < m6g.large 0.077 → 730 × 0.068 = 49.64.
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--arch", "arm64"]);
    assert_eq!(placed(&report), cheapest("c6g.large", 1, 1));
    assert_eq!(number(&report["total"]), d("49.64"));
    let notes = notes(&report);
    assert!(notes.iter().any(|n| n.contains("c6g.large is the cheapest catalogued arm64 type")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("Graviton")), "{notes:?}");
    assert_eq!(report["items"][0]["billed"]["arch"], "arm64");
    // Two tasks: c6g.large 2 × 0.068 = 0.136 > m6g.large 1 × 0.077 → 730 × 0.077 = 56.21.
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--arch", "arm64", "--count", "2"]);
    assert_eq!(placed(&report), cheapest("m6g.large", 1, 2));
    assert_eq!(number(&report["total"]), d("56.21"));
    // Nothing arm64 holds 4 vCPU.
    ec2_fails(
        &["--vcpu", "4", "--memory", "2", "--arch", "arm64"],
        &["no catalogued arm64 instance type in us-east-1 holds a task of 4 vCPU / 2 GB"],
    );
}

#[test]
fn equal_price_and_fleet_ties_go_to_the_first_name() {
    // A table with a3.medium, a twin of t3.medium: for 1 vCPU / 2 GB × 5 both cost 5 × 0.0416 an
    // hour on 5 instances; the name decides: a3.medium, 730 × 0.208 = 151.84.
    let dir = tempfile::tempdir().unwrap();
    let rates = rates_with(
        &dir,
        "[ec2.instances.\"a3.medium\"]\nvcpu = 2\nmemory_gib = \"4\"\narch = \"x86_64\"\nhourly = \"0.0416\"\n",
    );
    let report = ec2(&["--rates", &rates, "--vcpu", "1", "--memory", "2", "--count", "5"]);
    assert_eq!(placed(&report), cheapest("a3.medium", 5, 1));
    assert_eq!(number(&report["total"]), d("151.84"));
}

// ---------------------------------------------------------------------------------------------
// 3. Time and data transfer
// ---------------------------------------------------------------------------------------------

#[test]
fn runs_are_billed_per_second_with_a_minute_minimum() {
    let base = ["--vcpu", "1", "--memory", "1", "--count", "5", "--instance-type", "m5.large"];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        ec2(&args)
    };
    // 30 s bills 60 s; 10 runs × 60 s = 600 s per instance; 3 instances → 1800 s = 0.5
    // instance-hours × 0.096 = 0.048.
    let report = with(&["--minutes", "0.5", "--runs", "10"]);
    let line = &report["items"][0]["lines"][0];
    assert_eq!(number(&line["quantity"]), d("0.5"));
    assert_eq!(number(&line["cost"]), d("0.048"));
    assert_eq!(number(&report["items"][0]["billed"]["seconds_per_run"]), d("60"));
    assert_eq!(report["items"][0]["billed"]["runs"], 10);
    // 10 min × 30 runs = 5 h per instance; × 3 = 15 instance-hours × 0.096 = 1.44.
    let report = with(&["--minutes", "10", "--runs", "30"]);
    assert_eq!(number(&report["items"][0]["lines"][0]["quantity"]), d("15"));
    assert_eq!(number(&report["total"]), d("1.44"));
    // --hours 10: 3 × 10 × 0.096 = 2.88.
    assert_eq!(number(&with(&["--hours", "10"])["total"]), d("2.88"));
    // 1.001 min = 60.06 s bills 61 s; 3600 runs = 61 h on one t3.medium × 0.0416 = 2.5376.
    let report = ec2(&[
        "--vcpu",
        "1",
        "--memory",
        "1",
        "--instance-type",
        "t3.medium",
        "--minutes",
        "1.001",
        "--runs",
        "3600",
    ]);
    assert_eq!(number(&report["items"][0]["billed"]["seconds_per_run"]), d("61"));
    assert_eq!(number(&report["items"][0]["lines"][0]["quantity"]), d("61"));
    assert_eq!(number(&report["total"]), d("2.5376"));
}

#[test]
fn data_transfer_lines_stay_on_ec2() {
    // 1 vCPU / 2 GB on one t3.medium (30.368) + 500 GB × 0.09 = 45 → 75.368.
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--data-transfer", "500"]);
    assert_eq!(components(&report), ["ec2_instance", "data_transfer"]);
    let transfer = &report["items"][0]["lines"][1];
    assert_eq!((number(&transfer["quantity"]), number(&transfer["cost"])), (d("500"), d("45")));
    assert_eq!(number(&report["total"]), d("30.368") + d("45"));
    // With the free allowance: 100 GB at 0, 400 × 0.09 = 36 → 66.368.
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--data-transfer", "500", "--free-data-transfer"]);
    assert_eq!(components(&report), ["ec2_instance", "data_transfer", "data_transfer"]);
    assert_eq!(number(&report["total"]), d("66.368"));
}

#[test]
fn data_transfer_on_ec2_says_whether_the_free_allowance_applies() {
    let report = ec2(&["--vcpu", "1", "--memory", "2", "--data-transfer", "500"]);
    let notes = notes(&report);
    assert!(notes.iter().any(|n| n.contains("free allowance") && n.contains("not applied")), "{notes:?}");
}

#[test]
fn the_table_shows_the_fleet() {
    // 1 vCPU / 1 GB × 5 on 3 m5.large: CPU 5/6 = 83.3%, memory 2/9 = 22.2%; 2190 instance-hours.
    let out = rendered(
        &[
            "estimate",
            "--launch-type",
            "ec2",
            "--vcpu",
            "1",
            "--memory",
            "1",
            "--count",
            "5",
            "--instance-type",
            "m5.large",
        ],
        "table",
    );
    for needle in ["ECS on EC2", "3 x m5.large", "2 tasks per instance", "83.3%", "22.2%", "2,190", "$210.24"]
    {
        assert!(out.contains(needle), "{out} lacks {needle:?}");
    }
}

#[test]
fn one_task_per_instance_reads_in_the_singular() {
    let out = rendered(&["estimate", "--launch-type", "ec2", "--vcpu", "1", "--memory", "2"], "table");
    assert!(out.contains("1 task per instance"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// 4. Refusals
// ---------------------------------------------------------------------------------------------

#[test]
fn what_ec2_cannot_price_is_refused_with_one_line() {
    ec2_fails(&["--vcpu", "1", "--memory", "2", "--os", "windows"], &["Linux prices only", "Windows"]);
    ec2_fails(&["--vcpu", "1", "--memory", "2", "--spot"], &["--spot", "EC2 Spot"]);
    ec2_fails(&["--vcpu", "1", "--memory", "2", "--platform", "eks"], &["EKS", "EC2 launch type is for ECS"]);
    // eu-west-1 ships no EC2 catalogue.
    ec2_fails(
        &["--vcpu", "1", "--memory", "2", "--region", "eu-west-1"],
        &["eu-west-1", "EC2 instance catalogue", "[ec2]", "--rates FILE"],
    );
}

#[test]
fn ec2_placement_flags_need_the_ec2_launch_type() {
    for (flag, value, key) in
        [("--instance-type", "m5.large", "`instance_type`"), ("--instances", "2", "`instances`")]
    {
        // The default launch type is Fargate.
        fails(
            &["estimate", "--vcpu", "1", "--memory", "2", flag, value],
            None,
            1,
            &[key, "EC2 launch type only"],
        );
        fails(
            &["estimate", "--launch-type", "fargate", "--vcpu", "1", "--memory", "2", flag, value],
            None,
            1,
            &[key, "EC2 launch type only"],
        );
    }
    // An unknown launch type is a usage error.
    fails(&["estimate", "--launch-type", "ec3", "--vcpu", "1", "--memory", "2"], None, 2, &["ec3"]);
}
