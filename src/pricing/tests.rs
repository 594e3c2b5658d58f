//! Expected values are worked out by hand from the published rates
//! (<https://aws.amazon.com/fargate/pricing/>, as in pricing/*.toml) in each test's comments, never
//! taken from the program's output. The tables are the frozen copies of
//! `rates::fixture`, so a refreshed rate in pricing/ changes none of them.

use std::str::FromStr;

use super::*;
use crate::model::RunTime;
use crate::rates;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn table(region: &str) -> RateTable {
    rates::fixture::table(region)
}

fn task(vcpu: &str, gb: &str) -> Task {
    Task::new("t", Size { vcpu: d(vcpu), memory_gb: d(gb) })
}

fn costs(item: &Item) -> Vec<(Component, Decimal)> {
    item.lines.iter().map(|l| (l.component, l.cost)).collect()
}

#[test]
fn one_month_of_one_task_in_us_east_1() {
    // 1 vCPU × 730 h × 0.04048 = 29.5504; 2 GB × 730 h × 0.004445 = 6.4897.
    let item = price_task(&task("1", "2"), &table("us-east-1"), Options::default()).unwrap();
    assert_eq!(costs(&item), [(Component::Vcpu, d("29.5504")), (Component::Memory, d("6.4897"))]);
    assert_eq!(item.lines[0].quantity, d("730"));
    assert_eq!(item.lines[1].quantity, d("1460"));
    assert_eq!(item.total, d("36.0401"));
    assert_eq!(item.billed().unwrap().seconds_per_run, d("2628000"));
}

#[test]
fn the_spec_example_five_tasks_thirty_ten_minute_runs() {
    // 5 × 1 vCPU × 600 s × 30 runs = 90,000 vCPU-s = 25 vCPU-h; × 0.04048 = 1.012.
    let mut t = task("1", "2");
    t.count = 5;
    t.runs = 30;
    t.run_time = RunTime::Minutes(d("10"));
    let item = price_task(&t, &table("us-east-1"), Options::default()).unwrap();
    assert_eq!(item.lines[0].quantity, d("25"));
    assert_eq!(item.lines[0].cost, d("1.012"));
    // 50 GB-h × 0.004445 = 0.22225.
    assert_eq!(item.lines[1].cost, d("0.22225"));
}

#[test]
fn arm_in_london() {
    // eu-west-2 ARM: 3 tasks × 2 vCPU × 100 h = 600 vCPU-h × 0.03725 = 22.35;
    // 3 × 4 GB × 100 h = 1200 GB-h × 0.00409 = 4.908.
    let mut t = task("2", "4");
    t.count = 3;
    t.run_time = RunTime::Hours(d("100"));
    t.arch = Arch::Arm64;
    let item = price_task(&t, &table("eu-west-2"), Options::default()).unwrap();
    assert_eq!(costs(&item), [(Component::Vcpu, d("22.35")), (Component::Memory, d("4.908"))]);
    assert_eq!(item.total, d("27.258"));
}

#[test]
fn windows_adds_the_licence_and_bills_five_minutes_at_least() {
    // 2-minute runs bill 300 s; 12 runs = 3600 s = 1 h of 1 vCPU / 2 GB:
    // 0.046552 + 2 × 0.00511175 + licence 0.046 = 0.1027755.
    let mut t = task("1", "2");
    t.os = Os::Windows;
    t.run_time = RunTime::Minutes(d("2"));
    t.runs = 12;
    let item = price_task(&t, &table("us-east-1"), Options::default()).unwrap();
    assert_eq!(item.billed().unwrap().seconds_per_run, d("300"));
    assert_eq!(
        costs(&item),
        [
            (Component::Vcpu, d("0.046552")),
            (Component::Memory, d("0.0102235")),
            (Component::OsLicense, d("0.046"))
        ]
    );
    assert_eq!(item.total, d("0.1027755"));
}

#[test]
fn spot_uses_the_snapshot_rates() {
    // 0.25 vCPU × 730 h = 182.5 × 0.01288871 = 2.352189575; 0.5 GB × 730 h = 365 × 0.00141527 = 0.51657355.
    let mut t = task("0.25", "0.5");
    t.pricing = Pricing::Spot;
    let item = price_task(&t, &table("us-east-1"), Options::default()).unwrap();
    assert_eq!(item.total, d("2.868763125"));
    assert!(item.notes.iter().any(|n| n.to_string().contains("Spot")));
}

#[test]
fn linux_runs_bill_a_minute_at_least_and_whole_seconds() {
    // 30 s bills 60 s; 60 runs × 60 s = 1 vCPU-h = 0.04048.
    let mut t = task("1", "2");
    t.run_time = RunTime::Minutes(d("0.5"));
    t.runs = 60;
    let item = price_task(&t, &table("us-east-1"), Options::default()).unwrap();
    assert_eq!(item.lines[0].cost, d("0.04048"));
    // 1.001 min = 60.06 s bills 61 s.
    t.run_time = RunTime::Minutes(d("1.001"));
    let item = price_task(&t, &table("us-east-1"), Options::default()).unwrap();
    assert_eq!(item.billed().unwrap().seconds_per_run, d("61"));
}

#[test]
fn storage_above_twenty_gb() {
    // 50 GB → 30 GB billed × 10 h = 300 GB-h × 0.000111 = 0.0333.
    let mut t = task("1", "2");
    t.ephemeral_storage_gb = d("50");
    t.run_time = RunTime::Hours(d("10"));
    let item = price_task(&t, &table("us-east-1"), Options::default()).unwrap();
    assert_eq!(item.lines[2].component, Component::EphemeralStorage);
    assert_eq!(item.lines[2].quantity, d("300"));
    assert_eq!(item.lines[2].cost, d("0.0333"));
    for outside in ["19", "200.5", "1000"] {
        t.ephemeral_storage_gb = d(outside);
        assert!(matches!(
            price_task(&t, &table("us-east-1"), Options::default()),
            Err(PriceError::Unsupported(_))
        ));
    }
}

#[test]
fn data_transfer_walks_every_tier_in_seoul() {
    // 200,000 GB: 10,240 × 0.126 = 1,290.24; 40,960 × 0.122 = 4,997.12;
    // 102,400 × 0.117 = 11,980.8; 46,400 × 0.108 = 5,011.2.
    let mut t = task("0.25", "0.5");
    t.data_transfer_gb = d("200000");
    let item = price_task(&t, &table("ap-northeast-2"), Options::default()).unwrap();
    let dt: Vec<_> = item.lines.iter().filter(|l| l.component == Component::DataTransfer).collect();
    let got: Vec<_> = dt.iter().map(|l| (l.quantity, l.rate, l.cost, l.detail.as_ref())).collect();
    assert_eq!(
        got,
        [
            (d("10240"), d("0.126"), d("1290.24"), "first 10 TB"),
            (d("40960"), d("0.122"), d("4997.12"), "next 40 TB"),
            (d("102400"), d("0.117"), d("11980.8"), "next 100 TB"),
            (d("46400"), d("0.108"), d("5011.2"), "over 150 TB"),
        ]
    );
    assert!(item.notes.iter().any(|n| n.to_string().contains("not applied")));
}

#[test]
fn the_free_allowance_comes_out_of_the_first_tier_when_asked_for() {
    // 20,000 GB with 100 free: 10,140 × 0.09 = 912.6; 9,760 × 0.085 = 829.6.
    let mut t = task("0.25", "0.5");
    t.data_transfer_gb = d("20000");
    let item =
        price_task(&t, &table("us-east-1"), Options { free_data_transfer: true, ..Options::default() })
            .unwrap();
    let dt: Vec<_> = item
        .lines
        .iter()
        .filter(|l| l.component == Component::DataTransfer)
        .map(|l| (l.quantity, l.cost))
        .collect();
    assert_eq!(dt, [(d("100"), d("0")), (d("10140"), d("912.6")), (d("9760"), d("829.6"))]);
    // All of it free: no rate needed, even where the table has none.
    t.data_transfer_gb = d("80");
    let item =
        price_task(&t, &table("eu-west-1"), Options { free_data_transfer: true, ..Options::default() })
            .unwrap();
    assert_eq!(item.lines.last().unwrap().cost, Decimal::ZERO);
}

#[test]
fn missing_rates_name_the_region_and_section() {
    let mut t = task("1", "2");
    t.arch = Arch::Arm64;
    let err = price_task(&t, &table("us-west-1"), Options::default()).unwrap_err().to_string();
    assert!(err.contains("us-west-1") && err.contains("[fargate.linux_arm64]"), "{err}");
    let mut t = task("1", "2");
    t.data_transfer_gb = d("1");
    let err = price_task(&t, &table("eu-west-1"), Options::default()).unwrap_err().to_string();
    assert!(err.contains("[data_transfer]"), "{err}");
}

#[test]
fn windows_rules() {
    let mut t = task("1", "2");
    t.os = Os::Windows;
    t.arch = Arch::Arm64;
    assert!(
        price_task(&t, &table("us-east-1"), Options::default())
            .unwrap_err()
            .to_string()
            .contains("x86_64 only")
    );
    t.arch = Arch::X86_64;
    t.pricing = Pricing::Spot;
    assert!(
        price_task(&t, &table("us-east-1"), Options::default())
            .unwrap_err()
            .to_string()
            .contains("Linux tasks only")
    );
    let mut t = task("0.5", "2");
    t.os = Os::Windows;
    assert!(matches!(price_task(&t, &table("us-east-1"), Options::default()), Err(PriceError::Size(_))));
}

#[test]
fn round_up_bills_and_says_the_size_it_chose() {
    // 0.25 vCPU / 3 GB → 0.5 vCPU / 3 GB: 0.5 × 730 × 0.04048 = 14.7752; 3 × 730 × 0.004445 = 9.73455.
    let mut t = task("0.25", "3");
    assert!(price_task(&t, &table("us-east-1"), Options::default()).is_err());
    t.round_up = true;
    let item = price_task(&t, &table("us-east-1"), Options::default()).unwrap();
    assert_eq!((item.billed().unwrap().vcpu, item.billed().unwrap().memory_gb), (d("0.5"), d("3")));
    assert_eq!(item.total, d("24.50975"));
    assert!(item.notes.iter().any(|n| n.to_string().contains("billed as 0.5 vCPU / 3 GB")));
}

#[test]
fn absurd_inputs_overflow_cleanly() {
    let mut t = task("16", "120");
    t.count = u64::MAX;
    t.runs = u64::MAX;
    t.run_time = RunTime::Hours(d("1000000000"));
    assert!(matches!(price_task(&t, &table("us-east-1"), Options::default()), Err(PriceError::Overflow(_))));
    let mut t = task("1", "2");
    t.run_time = RunTime::Hours(Decimal::MAX);
    assert!(matches!(price_task(&t, &table("us-east-1"), Options::default()), Err(PriceError::Overflow(_))));
}

#[test]
fn a_workload_tiers_data_transfer_across_its_tasks() {
    // Two tasks of 8,000 GB each in us-east-1: the first fills 8,000 GB of the first 10 TB
    // (× 0.09 = 720); the second takes the remaining 2,240 GB at 0.09 (= 201.6) and 5,760 GB
    // of the next tier at 0.085 (= 489.6).
    let mut a = task("0.25", "0.5");
    a.data_transfer_gb = d("8000");
    let b = a.clone();
    let items: Vec<Item> = price_tasks(&[a, b], &table("us-east-1"), Options::default())
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let transfer = |item: &Item| -> Vec<(Decimal, Decimal)> {
        item.lines
            .iter()
            .filter(|l| l.component == Component::DataTransfer)
            .map(|l| (l.quantity, l.cost))
            .collect()
    };
    assert_eq!(transfer(&items[0]), [(d("8000"), d("720"))]);
    assert_eq!(transfer(&items[1]), [(d("2240"), d("201.6")), (d("5760"), d("489.6"))]);
    assert!(items[1].notes.iter().any(|n| n.to_string().contains("after the 8000 GB")));
    // With the allowance, only the first task gets the free 100 GB.
    let options = Options { free_data_transfer: true, ..Options::default() };
    let mut small = task("0.25", "0.5");
    small.data_transfer_gb = d("60");
    let items: Vec<Item> = price_tasks(&[small.clone(), small], &table("us-east-1"), options)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    // 60 free; then 40 free and 20 × 0.09 = 1.8.
    assert_eq!(transfer(&items[0]), [(d("60"), d("0"))]);
    assert_eq!(transfer(&items[1]), [(d("40"), d("0")), (d("20"), d("1.8"))]);
}

#[test]
fn price_tasks_goes_on_past_a_task_it_cannot_price() {
    // The middle task's size is not offered; its 8,000 GB out still count towards the tiers,
    // so the last task's 3,000 GB start at 8,000 GB: 2,240 × 0.09 = 201.6 and 760 × 0.085
    // = 64.6.
    let good = task("1", "2");
    let mut bad = task("1", "3.5");
    bad.data_transfer_gb = d("8000");
    let mut last = task("1", "2");
    last.data_transfer_gb = d("3000");
    let results = price_tasks(&[good, bad, last], &table("us-east-1"), Options::default());
    assert!(results[0].is_ok());
    assert!(matches!(results[1], Err(PriceError::Size(_))), "{:?}", results[1]);
    let transfer: Vec<Decimal> = results[2]
        .as_ref()
        .unwrap()
        .lines
        .iter()
        .filter(|l| l.component == Component::DataTransfer)
        .map(|l| l.cost)
        .collect();
    assert_eq!(transfer, [d("201.6"), d("64.6")]);
}

#[test]
fn eks_pods_add_256_mb_and_round_up() {
    let mut pod = task("0.25", "0.5");
    pod.platform = Platform::Eks;
    // 0.25 vCPU / 0.5 GB + 0.25 GB = 0.75 GB → 0.25 vCPU / 1 GB:
    // 0.25 × 730 × 0.04048 = 7.3876; 1 × 730 × 0.004445 = 3.24485.
    let item = price_task(&pod, &table("us-east-1"), Options::default()).unwrap();
    assert_eq!(item.billed().map(|b| (b.vcpu, b.memory_gb)), Some((d("0.25"), d("1"))));
    assert_eq!(item.total, d("10.63245"));
    // 1 vCPU / 2 GB + 0.25 → 1 vCPU / 3 GB; 2 GB exactly is not enough once the overhead is added.
    pod.size = Size { vcpu: d("1"), memory_gb: d("2") };
    let item = price_task(&pod, &table("us-east-1"), Options::default()).unwrap();
    assert_eq!(item.billed().map(|b| b.memory_gb), Some(d("3")));
    // No requests → 0.25 vCPU / 0.5 GB.
    pod.size = Size { vcpu: Decimal::ZERO, memory_gb: Decimal::ZERO };
    let item = price_task(&pod, &table("us-east-1"), Options::default()).unwrap();
    assert_eq!(item.billed().map(|b| (b.vcpu, b.memory_gb)), Some((d("0.25"), d("0.5"))));
    // 1.9 GB + 0.25 = 2.15 GB with 0.5 vCPU → 0.5 vCPU / 3 GB.
    pod.size = Size { vcpu: d("0.5"), memory_gb: d("1.9") };
    let item = price_task(&pod, &table("us-east-1"), Options::default()).unwrap();
    assert_eq!(item.billed().map(|b| (b.vcpu, b.memory_gb)), Some((d("0.5"), d("3"))));
}

#[test]
fn eks_refuses_what_fargate_pods_cannot_be() {
    for (arch, os, pricing, what) in [
        (Arch::Arm64, Os::Linux, Pricing::OnDemand, "arm64"),
        (Arch::X86_64, Os::Windows, Pricing::OnDemand, "Windows"),
        (Arch::X86_64, Os::Linux, Pricing::Spot, "Spot"),
    ] {
        let mut pod = task("1", "2");
        pod.platform = Platform::Eks;
        (pod.arch, pod.os, pod.pricing) = (arch, os, pricing);
        let err = price_task(&pod, &table("us-east-1"), Options::default()).unwrap_err().to_string();
        assert!(err.contains("EKS on Fargate does not offer") && err.contains(what), "{err}");
    }
    let mut huge = task("16", "120");
    huge.platform = Platform::Eks;
    assert!(matches!(price_task(&huge, &table("us-east-1"), Options::default()), Err(PriceError::Size(_))));
}

#[test]
fn tier_labels_use_tb_for_whole_terabytes() {
    assert_eq!(tier_label(0, d("0"), Some(d("10240"))), "first 10 TB");
    assert_eq!(tier_label(1, d("10240"), Some(d("51200"))), "next 40 TB");
    assert_eq!(tier_label(3, d("153600"), None), "over 150 TB");
    assert_eq!(tier_label(0, d("0"), Some(d("100"))), "first 100 GB");
    // Not scale 0, or not whole: the general path.
    assert_eq!(tier_label(0, d("0"), Some(d("1024.0"))), "first 1 TB");
    assert_eq!(tier_label(1, d("0.5"), Some(d("2048.5"))), "next 2 TB");
    assert_eq!(tier_label(0, d("0"), Some(d("1.5"))), "first 1.5 GB");
}

proptest::proptest! {
    /// A line's hours and cost are the exact quotients `Decimal` arithmetic gives, whichever
    /// path computed them: amounts and rates with up to a dozen places, seconds from 1 to years.
    #[test]
    fn a_line_is_the_exact_decimal_computation(
        amount in (1i64..=1_000_000, 0u32..=6),
        seconds in (1i64..=100_000_000, 0u32..=3),
        whole_hours: bool,
        rate in (0i64..=10_000_000_000, 0u32..=12),
    ) {
        let (amount, seconds, rate) =
            (Decimal::new(amount.0, amount.1), Decimal::new(seconds.0, seconds.1), Decimal::new(rate.0, rate.1));
        // Whole hours (the product path) half the time.
        let seconds = if whole_hours { seconds.trunc() * SECONDS_PER_HOUR } else { seconds };
        let usage = Usage::new(seconds);
        let line = usage
            .line(Component::Vcpu, amount, rate, Cow::Borrowed("test"), "test")
            .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
        let hour = SECONDS_PER_HOUR;
        let unit_seconds = amount.checked_mul(seconds).unwrap();
        proptest::prop_assert_eq!(line.quantity, unit_seconds.checked_div(hour).unwrap());
        proptest::prop_assert_eq!(line.cost, unit_seconds.checked_mul(rate).unwrap().checked_div(hour).unwrap());
    }
}
