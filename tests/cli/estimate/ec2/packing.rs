//! Packings worked by hand, and properties of the packing in the library.

use super::*;

use cost::model::Size;
use cost::pricing::{pack, tasks_per_instance};
use proptest::prelude::*;

#[test]
fn a_cpu_bound_packing_on_m5_large() {
    // 1 vCPU / 1 GB on m5.large: by CPU 2 / 1 = 2; by memory (8192 − 512) / 1024 = 7.5 → 7; k = 2.
    // 5 tasks → ceil(5 / 2) = 3 instances; 3 × 730 h = 2190 instance-hours × 0.096 = 210.24.
    let report = ec2(&["--vcpu", "1", "--memory", "1", "--count", "5", "--instance-type", "m5.large"]);
    let item = &report["items"][0];
    assert_eq!(item["launch_type"], "ec2");
    assert_eq!(item["platform"], "ecs");
    assert_eq!(placed(&report), given("m5.large", 3, 2));
    assert_eq!(number(&item["packing"]["reserved_memory_mib"]), d("512"));
    // One line: the instances. No Fargate vCPU or memory lines.
    assert_eq!(components(&report), ["ec2_instance"]);
    let line = &item["lines"][0];
    assert_eq!(line["unit"], "instance-hours");
    assert_eq!(number(&line["quantity"]), d("3") * d(MONTH));
    assert_eq!(number(&line["quantity"]), d("2190"));
    assert_eq!(number(&line["rate"]), d("0.096"));
    assert_eq!(number(&line["cost"]), d("210.24"));
    assert_eq!(number(&item["total"]), d("210.24"));
    assert_eq!(number(&report["total"]), d("210.24"));
    // Utilisation: CPU 5 × 1 / (3 × 2) = 5/6; memory 5 × 1024 / (3 × 7680) = 5120 / 23040 = 2/9.
    assert_eq!(utilization(&report), (d("5") / d("6"), d("2") / d("9")));
    assert_eq!(item["billed"]["count"], 5);
    assert_eq!(number(&item["billed"]["seconds_per_run"]), d("2628000"));
}

#[test]
fn a_memory_bound_packing_on_m5_large() {
    // 0.25 vCPU / 3 GB (not a Fargate size; EC2 does not care): by CPU 2 / 0.25 = 8; by memory
    // (8192 − 512) / 3072 = 2.5 → 2; k = 2. 4 tasks → 2 instances: 2 × 730 × 0.096 = 140.16.
    let report = ec2(&["--vcpu", "0.25", "--memory", "3", "--count", "4", "--instance-type", "m5.large"]);
    assert_eq!(placed(&report), given("m5.large", 2, 2));
    assert_eq!(number(&report["total"]), d("2") * d(MONTH) * d("0.096"));
    assert_eq!(number(&report["total"]), d("140.16"));
    // CPU 4 × 0.25 / (2 × 2) = 0.25; memory 4 × 3072 / (2 × 7680) = 12288 / 15360 = 0.8.
    assert_eq!(utilization(&report), (d("0.25"), d("0.8")));
    // 5 tasks need a third instance: 3 × 730 × 0.096 = 210.24.
    let report = ec2(&["--vcpu", "0.25", "--memory", "3", "--count", "5", "--instance-type", "m5.large"]);
    assert_eq!(placed(&report), given("m5.large", 3, 2));
    assert_eq!(number(&report["total"]), d("210.24"));
}

#[test]
fn an_exact_fit_fills_both_limits() {
    // 0.5 vCPU / 1.875 GB (1920 MiB) on m5.large: by CPU 2 / 0.5 = 4; by memory 7680 / 1920 = 4
    // exactly; k = 4. 8 tasks fill 2 instances to the brim: utilisation exactly 1 and 1;
    // 2 × 730 × 0.096 = 140.16.
    let report = ec2(&["--vcpu", "0.5", "--memory", "1.875", "--count", "8", "--instance-type", "m5.large"]);
    assert_eq!(placed(&report), given("m5.large", 2, 4));
    assert_eq!(utilization(&report), (Decimal::ONE, Decimal::ONE));
    assert_eq!(number(&report["total"]), d("140.16"));
    // 9 tasks: 3 instances (210.24); CPU 9 × 0.5 / 6 = 0.75; memory 9 × 1920 / 23040 = 0.75.
    let report = ec2(&["--vcpu", "0.5", "--memory", "1.875", "--count", "9", "--instance-type", "m5.large"]);
    assert_eq!(placed(&report), given("m5.large", 3, 4));
    assert_eq!(utilization(&report), (d("0.75"), d("0.75")));
    assert_eq!(number(&report["total"]), d("210.24"));
    // One MiB-ish more per task breaks the memory fit: 1.876 GB = 1921.024 MiB; 7680 / 1921.024
    // = 3.99… → 3. 8 tasks → 3 instances.
    let report = ec2(&["--vcpu", "0.5", "--memory", "1.876", "--count", "8", "--instance-type", "m5.large"]);
    assert_eq!(placed(&report), given("m5.large", 3, 3));
    // The t3.medium exact fit: 1 vCPU / 1.75 GB (1792 MiB): 2 / 1 = 2; (4096 − 512) / 1792 = 2.
    let report = ec2(&["--vcpu", "1", "--memory", "1.75", "--count", "2", "--instance-type", "t3.medium"]);
    assert_eq!(placed(&report), given("t3.medium", 1, 2));
    assert_eq!(utilization(&report), (Decimal::ONE, Decimal::ONE));
    // 730 × 0.0416 = 30.368.
    assert_eq!(number(&report["total"]), d("30.368"));
}

#[test]
fn one_task_per_instance() {
    // 2 vCPU / 4 GB on m5.large: by CPU 2 / 2 = 1; by memory 7680 / 4096 = 1.875 → 1; k = 1.
    // 3 tasks → 3 instances: 3 × 730 × 0.096 = 210.24.
    let report = ec2(&["--vcpu", "2", "--memory", "4", "--count", "3", "--instance-type", "m5.large"]);
    assert_eq!(placed(&report), given("m5.large", 3, 1));
    assert_eq!(number(&report["total"]), d("210.24"));
    // CPU 3 × 2 / (3 × 2) = 1; memory 3 × 4096 / (3 × 7680) = 8/15.
    assert_eq!(utilization(&report), (Decimal::ONE, d("8") / d("15")));
    // 4 vCPU / 12 GB on m5.xlarge: 4 / 4 = 1; (16384 − 512) / 12288 = 1.29 → 1. 2 tasks:
    // 2 × 730 × 0.192 = 280.32.
    let report = ec2(&["--vcpu", "4", "--memory", "12", "--count", "2", "--instance-type", "m5.xlarge"]);
    assert_eq!(placed(&report), given("m5.xlarge", 2, 1));
    assert_eq!(number(&report["total"]), d("280.32"));
}

#[test]
fn a_task_that_does_not_fit_names_the_types_that_would() {
    // 4 vCPU on a 2-vCPU m5.large: by CPU 0. Of the x86 types only m5.xlarge (4 vCPU,
    // 16384 − 512 = 15872 MiB ≥ 8192) holds a task of 4 vCPU / 8 GB.
    ec2_fails(
        &["--vcpu", "4", "--memory", "8", "--instance-type", "m5.large"],
        &["does not fit on m5.large", "4 vCPU / 8 GB", "2 vCPU, 8 GiB, 512 MiB reserved", "m5.xlarge"],
    );
    // 8 GB = 8192 MiB on m5.large: 7680 MiB after the reservation, so it does not fit; m5.xlarge
    // and r5.large (both 15872 MiB usable) do.
    ec2_fails(
        &["--vcpu", "1", "--memory", "8", "--instance-type", "m5.large"],
        &["does not fit on m5.large", "x86_64 types that fit one task: m5.xlarge, r5.large"],
    );
}

#[test]
fn an_unknown_instance_type_lists_the_fitting_types() {
    // 1 vCPU / 2 GB fits every x86 type (the smallest, t3.medium and c5.large, have 2 vCPU and
    // 3584 MiB usable).
    ec2_fails(
        &["--vcpu", "1", "--memory", "2", "--instance-type", "m5.huge"],
        &[
            "`m5.huge`",
            "us-east-1",
            "x86_64 types that fit a task of 1 vCPU / 2 GB: c5.large, m5.large, m5.xlarge, r5.large, t3.medium",
        ],
    );
    // For an arm64 task the list is the Graviton types.
    ec2_fails(
        &["--vcpu", "1", "--memory", "2", "--arch", "arm64", "--instance-type", "x9.nano"],
        &["`x9.nano`", "arm64", "c6g.large, m6g.large"],
    );
    // 8 vCPU fits nothing in the catalogue.
    ec2_fails(&["--vcpu", "8", "--memory", "2", "--instance-type", "m5.huge"], &["`m5.huge`", "none"]);
}

#[test]
fn an_arch_mismatch_is_refused_with_the_right_types() {
    ec2_fails(
        &["--vcpu", "1", "--memory", "2", "--arch", "arm64", "--instance-type", "m5.large"],
        &["m5.large is x86_64", "task is arm64", "c6g.large, m6g.large"],
    );
    ec2_fails(
        &["--vcpu", "1", "--memory", "2", "--instance-type", "c6g.large"],
        &["c6g.large is arm64", "task is x86_64", "c5.large, m5.large, m5.xlarge, r5.large, t3.medium"],
    );
}

#[test]
fn the_reserved_memory_changes_the_packing() {
    // 0.25 vCPU / 2 GB × 12 on m5.large; by CPU 2 / 0.25 = 8 either way.
    // Default 512 MiB: 7680 / 2048 = 3.75 → 3; 4 instances: 4 × 730 × 0.096 = 280.32.
    let args = ["--vcpu", "0.25", "--memory", "2", "--count", "12", "--instance-type", "m5.large"];
    let report = ec2(&args);
    assert_eq!(placed(&report), given("m5.large", 4, 3));
    assert_eq!(number(&report["total"]), d("280.32"));
    assert!(notes(&report).iter().any(|n| n.contains("512 MiB")), "{:?}", notes(&report));
    // --reserved-memory 0: 8192 / 2048 = 4; 3 instances: 210.24. Memory is then full:
    // 12 × 2048 / (3 × 8192) = 1.
    let mut zero = args.to_vec();
    zero.extend(["--reserved-memory", "0"]);
    let report = ec2(&zero);
    assert_eq!(placed(&report), given("m5.large", 3, 4));
    assert_eq!(number(&report["items"][0]["packing"]["reserved_memory_mib"]), Decimal::ZERO);
    assert_eq!(utilization(&report), (d("0.5"), Decimal::ONE));
    assert_eq!(number(&report["total"]), d("210.24"));
    // --reserved-memory 4096: (8192 − 4096) / 2048 = 2; 6 instances: 6 × 730 × 0.096 = 420.48.
    let mut large = args.to_vec();
    large.extend(["--reserved-memory", "4096"]);
    let report = ec2(&large);
    assert_eq!(placed(&report), given("m5.large", 6, 2));
    assert_eq!(number(&report["items"][0]["packing"]["reserved_memory_mib"]), d("4096"));
    assert_eq!(number(&report["total"]), d("420.48"));
    assert!(notes(&report).iter().any(|n| n.contains("4096 MiB")), "{:?}", notes(&report));
    // --reserved-memory 7681 leaves 511 MiB on m5.large: no 2 GB task fits; m5.xlarge and
    // r5.large keep 16384 − 7681 = 8703 MiB and do.
    let mut too_much = args.to_vec();
    too_much.extend(["--reserved-memory", "7681"]);
    ec2_fails(&too_much, &["does not fit on m5.large", "7681 MiB reserved", "m5.xlarge, r5.large"]);
    // A negative reservation is a usage error.
    fails(
        &["estimate", "--launch-type", "ec2", "--vcpu", "1", "--memory", "2", "--reserved-memory", "-1"],
        None,
        2,
        &["--reserved-memory"],
    );
}

#[test]
fn a_fixed_fleet_is_priced_as_given_or_refused_with_its_capacity() {
    // 1 vCPU / 1 GB × 5 on m5.large holds 2 per instance.
    // --instances 4: capacity 8 ≥ 5, cost 4 × 730 × 0.096 = 280.32; CPU 5 / (4 × 2) = 0.625;
    // memory 5 × 1024 / (4 × 7680) = 1/6.
    let base = ["--vcpu", "1", "--memory", "1", "--count", "5", "--instance-type", "m5.large"];
    let mut four = base.to_vec();
    four.extend(["--instances", "4"]);
    let report = ec2(&four);
    assert_eq!(placed(&report), given("m5.large", 4, 2));
    assert_eq!(utilization(&report), (d("0.625"), d("1") / d("6")));
    assert_eq!(number(&report["total"]), d("280.32"));
    // --instances 3: exactly the packed fleet (210.24).
    let mut three = base.to_vec();
    three.extend(["--instances", "3"]);
    assert_eq!(number(&ec2(&three)["total"]), d("210.24"));
    // --instances 2 holds at most 4 tasks.
    let mut two = base.to_vec();
    two.extend(["--instances", "2"]);
    ec2_fails(&two, &["2 x m5.large hold at most 4 tasks (2 each), not 5"]);
    // --instances 0 is a usage error.
    let mut none = base.to_vec();
    none.extend(["--instances", "0"]);
    let mut args = vec!["estimate", "--launch-type", "ec2"];
    args.extend(none);
    fails(&args, None, 2, &["--instances"]);
}

#[test]
fn a_fixed_fleet_without_a_type_takes_the_cheapest_that_holds_the_tasks() {
    // 1 vCPU / 1 GB × 5 on 3 instances: t3.medium holds min(2, 3584 / 1024 = 3) = 2 each → 6 ≥ 5,
    // 3 × 0.0416 = 0.1248 an hour (c5.large 0.255, m5.large 0.288, r5.large 0.378,
    // m5.xlarge 0.576): 730 × 0.1248 = 91.104.
    let report = ec2(&["--vcpu", "1", "--memory", "1", "--count", "5", "--instances", "3"]);
    assert_eq!(placed(&report), cheapest("t3.medium", 3, 2));
    assert_eq!(number(&report["total"]), d("91.104"));
    // On 2 instances only m5.xlarge (4 each, 8 ≥ 5) holds them: 2 × 730 × 0.192 = 280.32.
    let report = ec2(&["--vcpu", "1", "--memory", "1", "--count", "5", "--instances", "2"]);
    assert_eq!(placed(&report), cheapest("m5.xlarge", 2, 4));
    assert_eq!(number(&report["total"]), d("280.32"));
    // On 1 instance nothing holds 5 (m5.xlarge, the roomiest, holds 4).
    ec2_fails(
        &["--vcpu", "1", "--memory", "1", "--count", "5", "--instances", "1"],
        &["do not fit on 1 instance(s)", "x86_64"],
    );
}

#[test]
fn a_fixed_fleet_too_small_for_every_type_names_the_best_capacity() {
    ec2_fails(
        &["--vcpu", "1", "--memory", "1", "--count", "5", "--instances", "1"],
        &["m5.xlarge", "at most 4"],
    );
}

#[test]
fn a_tiny_task_fits_rather_than_being_refused() {
    // 2 / 1e-20 = 2e20 tasks by CPU, more than u64 holds: any count fits on one instance;
    // 730 × 0.096 = 70.08.
    let tiny = "0.00000000000000000001";
    let report = ec2(&["--vcpu", tiny, "--memory", tiny, "--instance-type", "m5.large"]);
    assert_eq!(placed(&report).2, 1);
    assert_eq!(number(&report["total"]), d("70.08"));
}

const MIB_PER_GIB: i64 = 1024;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn packing_never_overfills_and_is_as_tight_as_it_can_be(
        eighths in 1i64..=32,
        quarters in 1i64..=64,
        count in 1u64..=200,
        type_index in 0usize..7,
        reserved in prop_oneof![Just(512i64), Just(0i64), 0i64..=4096],
        fixed in proptest::option::of(1u64..=250),
    ) {
        let table = cost::rates::embedded("us-east-1").unwrap().0;
        let catalogue = &table.ec2.as_ref().unwrap().instances;
        prop_assert_eq!(catalogue.len(), 7);
        let (name, instance) = catalogue.iter().nth(type_index).unwrap();
        let vcpu = Decimal::new(eighths, 0) * d("0.125");
        let memory_gb = Decimal::new(quarters, 0) * d("0.25");
        let size = Size { vcpu, memory_gb };
        let reserved = Decimal::new(reserved, 0);
        let instance_vcpu = Decimal::from(instance.vcpu);
        let usable_mib = instance.memory_gib.0 * Decimal::new(MIB_PER_GIB, 0) - reserved;
        let task_mib = memory_gb * Decimal::new(MIB_PER_GIB, 0);

        let k = tasks_per_instance(instance, size, reserved);
        let fits = |n: u64| Decimal::from(n) * vcpu <= instance_vcpu && Decimal::from(n) * task_mib <= usable_mib;
        // Never more than the instance has; one more would overflow a limit.
        prop_assert!(fits(k), "{} holds {} of {}", name, k, size);
        prop_assert!(!fits(k + 1), "{} could hold {} of {}", name, k + 1, size);

        let packed = pack(name, instance, size, count, None, reserved);
        if k == 0 {
            prop_assert!(packed.is_none());
            prop_assert!(pack(name, instance, size, count, fixed, reserved).is_none());
            return Ok(());
        }
        let p = packed.unwrap();
        prop_assert_eq!(&p.instance_type, name);
        prop_assert_eq!(p.tasks_per_instance, k);
        prop_assert_eq!(p.instances, count.div_ceil(k));
        prop_assert_eq!(p.reserved_memory_mib, reserved.normalize());
        // The fleet holds the tasks and one instance fewer would not.
        prop_assert!(p.instances * k >= count);
        prop_assert!((p.instances - 1) * k < count);
        for share in [p.cpu_utilization, p.memory_utilization] {
            prop_assert!(share > Decimal::ZERO && share <= Decimal::ONE, "{}", share);
        }
        // CPU share: count × vCPU / (instances × instance vCPU).
        let instances = Decimal::from(p.instances);
        let cpu = (Decimal::from(count) * vcpu) / (instances * instance_vcpu);
        prop_assert_eq!(p.cpu_utilization, cpu.normalize());
        let memory = (Decimal::from(count) * task_mib) / (instances * usable_mib);
        prop_assert_eq!(p.memory_utilization, memory.normalize());

        // A fixed fleet is taken as given when it holds the tasks, refused otherwise.
        if let Some(n) = fixed {
            match pack(name, instance, size, count, Some(n), reserved) {
                Some(f) => {
                    prop_assert!(n * k >= count);
                    prop_assert_eq!(f.instances, n);
                    prop_assert_eq!(f.tasks_per_instance, k);
                    prop_assert!(f.cpu_utilization > Decimal::ZERO && f.cpu_utilization <= Decimal::ONE);
                    prop_assert!(f.memory_utilization > Decimal::ZERO && f.memory_utilization <= Decimal::ONE);
                }
                None => prop_assert!(n * k < count),
            }
        }
    }
}
