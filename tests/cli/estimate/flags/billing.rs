//! The billing rules, worked out by hand: architectures, Windows and Spot, the per-run minimums,
//! rounding of seconds, ephemeral storage, and `--round-up` to an offered size.

use super::*;

#[test]
fn arm_in_us_east_1() {
    // 2 vCPU / 4 GB for 100 h: 200 × 0.03238 = 6.476; 400 × 0.00356 = 1.424; total 7.9.
    let doc = json(&["estimate", "--vcpu", "2", "--memory", "4", "--hours", "100", "--arch", "arm64"]);
    let expected = [vcpu(n(2) * n(100), use1::ARM_VCPU), memory(n(4) * n(100), use1::ARM_GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("7.9"));
    assert_lines(&doc, &expected);
    assert_eq!(doc["items"][0]["billed"]["arch"], "arm64");
}

#[test]
fn windows_in_us_east_1() {
    // 2 vCPU / 4 GB for 10 h: vCPU 20 × 0.046552 = 0.93104; memory 40 × 0.00511175 = 0.20447;
    // OS licence 20 × 0.046 = 0.92; total 2.05551.
    let doc = json(&["estimate", "--vcpu", "2", "--memory", "4", "--hours", "10", "--os", "windows"]);
    let expected =
        [vcpu(n(20), use1::WIN_VCPU), memory(n(40), use1::WIN_GB), os_license(n(20), use1::WIN_OS)];
    assert_eq!(expected.iter().map(|l| l.cost).sum::<Decimal>(), d("2.05551"));
    assert_lines(&doc, &expected);
    assert_eq!(doc["items"][0]["billed"]["os"], "windows");
}

#[test]
fn windows_bills_at_least_300_seconds_per_run() {
    // 2 minutes → 300 s; 12 runs × 300 s = 1 task-hour.
    // vCPU 1 × 0.046552; memory 2 × 0.00511175 = 0.0102235; OS 1 × 0.046; total 0.1027755.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--minutes",
        "2",
        "--runs",
        "12",
        "--os",
        "windows",
    ]);
    let hours = task_hours(1, 300, 12);
    assert_eq!(hours, n(1));
    let expected =
        [vcpu(hours, use1::WIN_VCPU), memory(n(2) * hours, use1::WIN_GB), os_license(hours, use1::WIN_OS)];
    assert_eq!(expected.iter().map(|l| l.cost).sum::<Decimal>(), d("0.1027755"));
    assert_lines(&doc, &expected);
    assert_eq!(billed(&doc, "seconds_per_run"), n(300));

    // The same on Linux is billed as given: 12 × 120 s = 0.4 h.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--minutes", "2", "--runs", "12"]);
    let hours = task_hours(1, 120, 12);
    assert_eq!(hours, d("0.4"));
    assert_lines(&doc, &[vcpu(hours, use1::VCPU), memory(n(2) * hours, use1::GB)]);
    assert_eq!(billed(&doc, "seconds_per_run"), n(120));
}

#[test]
fn windows_above_the_minimum_is_billed_as_given() {
    // 5.5 minutes = 330 s; 120 runs × 330 s = 11 h.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--minutes",
        "5.5",
        "--runs",
        "120",
        "--os",
        "windows",
    ]);
    let hours = task_hours(1, 330, 120);
    assert_eq!(hours, n(11));
    assert_lines(
        &doc,
        &[vcpu(hours, use1::WIN_VCPU), memory(n(2) * hours, use1::WIN_GB), os_license(hours, use1::WIN_OS)],
    );
    assert_eq!(billed(&doc, "seconds_per_run"), n(330));
}

#[test]
fn spot_in_us_east_1() {
    // x86: 100 × 0.01288871 = 1.288871; 200 × 0.00141527 = 0.283054; total 1.571925.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--hours", "100", "--spot"]);
    let expected = [vcpu(n(100), use1::SPOT_VCPU), memory(n(200), use1::SPOT_GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("1.571925"));
    assert_lines(&doc, &expected);
    assert_eq!(doc["items"][0]["billed"]["pricing"], "spot");

    // ARM: 100 × 0.01030969 = 1.030969; 200 × 0.00113349 = 0.226698; total 1.257667.
    let doc =
        json(&["estimate", "--vcpu", "1", "--memory", "2", "--hours", "100", "--spot", "--arch", "arm64"]);
    let expected = [vcpu(n(100), use1::SPOT_ARM_VCPU), memory(n(200), use1::SPOT_ARM_GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("1.257667"));
    assert_lines(&doc, &expected);
}

#[test]
fn linux_bills_at_least_60_seconds_per_run() {
    // 0.5 min = 30 s → 60 s; 60 runs × 60 s = 1 h: 0.04048 + 2 × 0.004445 = 0.04937.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--minutes", "0.5", "--runs", "60"]);
    assert_eq!(billed(&doc, "seconds_per_run"), n(60));
    let hours = task_hours(1, 60, 60);
    let expected = [vcpu(hours, use1::VCPU), memory(n(2) * hours, use1::GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("0.04937"));
    assert_lines(&doc, &expected);

    // 0.0001 h = 0.36 s is billed as 60 s too.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--hours", "0.0001", "--runs", "60"]);
    assert_eq!(billed(&doc, "seconds_per_run"), n(60));
    assert_lines(&doc, &expected);
}

#[test]
fn seconds_are_rounded_up() {
    // 1.001 min = 60.06 s → 61 s; 3600 runs × 61 s = 61 h:
    // 61 × 0.04048 = 2.46928; 122 × 0.004445 = 0.54229; total 3.01157.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--minutes", "1.001", "--runs", "3600"]);
    assert_eq!(billed(&doc, "seconds_per_run"), n(61));
    let hours = task_hours(1, 61, 3600);
    assert_eq!(hours, n(61));
    let expected = [vcpu(hours, use1::VCPU), memory(n(2) * hours, use1::GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("3.01157"));
    assert_lines(&doc, &expected);

    // A whole second is not rounded further: 1 min = 60 s, 0.5 h = 1800 s.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--minutes", "1"]);
    assert_eq!(billed(&doc, "seconds_per_run"), n(60));
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--hours", "0.5"]);
    assert_eq!(billed(&doc, "seconds_per_run"), n(1800));
}

#[test]
fn runs_multiply_with_the_minimum_applied_per_run() {
    // 15 s per run → 60 s each; 5 tasks × 120 runs × 60 s = 36000 s = 10 task-hours
    // (not 5 × 120 × 15 s = 2.5 h): 10 × 0.04048 = 0.4048; 20 × 0.004445 = 0.0889; 0.4937.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--minutes",
        "0.25",
        "--runs",
        "120",
        "--count",
        "5",
    ]);
    let hours = task_hours(5, 60, 120);
    assert_eq!(hours, n(10));
    let expected = [vcpu(hours, use1::VCPU), memory(n(2) * hours, use1::GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("0.4937"));
    assert_lines(&doc, &expected);
    assert_eq!(billed(&doc, "runs"), n(120));
    assert_eq!(billed(&doc, "count"), n(5));
}

#[test]
fn ephemeral_storage_above_20_gb() {
    // 50 GB → 30 GB billed × 730 h = 21900 GB-hours × 0.000111 = 2.4309; total 38.471.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--ephemeral-storage", "50"]);
    let expected = [
        vcpu(n(730), use1::VCPU),
        memory(n(1460), use1::GB),
        storage((n(50) - n(20)) * n(730), use1::STORAGE),
    ];
    assert_eq!(expected[2].cost, d("2.4309"));
    assert_eq!(expected.iter().map(|l| l.cost).sum::<Decimal>(), d("38.471"));
    assert_lines(&doc, &expected);

    // 20.5 GB → 0.5 GB × 730 h = 365 GB-hours × 0.000111 = 0.040515.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--ephemeral-storage", "20.5"]);
    let expected = storage(d("0.5") * n(730), use1::STORAGE);
    assert_eq!(expected.cost, d("0.040515"));
    assert_eq!(lines_of(&doc, "ephemeral_storage"), triples(&[expected]));

    // The included 20 GB (the default, or given) is not a line at all.
    for args in [
        &["estimate", "--vcpu", "1", "--memory", "2"][..],
        &["estimate", "--vcpu", "1", "--memory", "2", "--ephemeral-storage", "20"][..],
    ] {
        assert!(lines_of(&json(args), "ephemeral_storage").is_empty());
    }
}

#[test]
fn ephemeral_storage_scales_with_tasks_runs_and_time() {
    // 2 tasks × 3 runs × 30 min = 3 task-hours; 200 GB → 180 GB × 3 h = 540 GB-hours × 0.000111.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--count",
        "2",
        "--runs",
        "3",
        "--minutes",
        "30",
        "--ephemeral-storage",
        "200",
    ]);
    let hours = task_hours(2, 1800, 3);
    assert_eq!(hours, n(3));
    let expected = storage((n(200) - n(20)) * hours, use1::STORAGE);
    assert_eq!(expected.cost, d("0.05994"));
    assert_eq!(lines_of(&doc, "ephemeral_storage"), triples(&[expected]));
}

#[test]
fn round_up_bills_the_smallest_size_that_fits() {
    // 1 vCPU / 1.5 GB → 1 vCPU / 2 GB: the month costs 36.0401 as for 1 / 2.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "1.5", "--round-up"]);
    assert_eq!(billed(&doc, "vcpu"), n(1));
    assert_eq!(billed(&doc, "memory_gb"), n(2));
    assert_lines(&doc, &[vcpu(n(730), use1::VCPU), memory(n(1460), use1::GB)]);
    assert!(doc["items"][0]["notes"].to_string().contains("billed as"), "{doc}");

    // 3 vCPU / 1 GB → 4 vCPU / 8 GB; 10 h: 40 × 0.04048 = 1.6192; 80 × 0.004445 = 0.3556.
    let doc = json(&["estimate", "--vcpu", "3", "--memory", "1", "--hours", "10", "--round-up"]);
    assert_eq!(billed(&doc, "vcpu"), n(4));
    assert_eq!(billed(&doc, "memory_gb"), n(8));
    let expected = [vcpu(n(40), use1::VCPU), memory(n(80), use1::GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("1.9748"));
    assert_lines(&doc, &expected);

    // 0.25 vCPU / 2.25 GB → 0.5 vCPU / 3 GB.
    let doc = json(&["estimate", "--vcpu", "0.25", "--memory", "2.25", "--round-up"]);
    assert_eq!(billed(&doc, "vcpu"), d("0.5"));
    assert_eq!(billed(&doc, "memory_gb"), n(3));

    // Windows rounds up within its own sizes: 0.5 vCPU / 1 GB → 1 vCPU / 2 GB.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "0.5",
        "--memory",
        "1",
        "--hours",
        "10",
        "--os",
        "windows",
        "--round-up",
    ]);
    assert_eq!(billed(&doc, "vcpu"), n(1));
    assert_eq!(billed(&doc, "memory_gb"), n(2));
    assert_lines(
        &doc,
        &[vcpu(n(10), use1::WIN_VCPU), memory(n(20), use1::WIN_GB), os_license(n(10), use1::WIN_OS)],
    );

    // A valid size is billed as given, with or without the flag.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--round-up"]);
    assert_eq!(billed(&doc, "memory_gb"), n(2));
}

#[test]
fn sizes_with_trailing_zeros_are_the_same_size() {
    let doc = json(&["estimate", "--vcpu", "1.00", "--memory", "2.0"]);
    assert_lines(&doc, &[vcpu(n(730), use1::VCPU), memory(n(1460), use1::GB)]);
}
