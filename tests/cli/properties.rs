//! Laws every estimate obeys, over random tasks: exact totals, linearity in count and runs,
//! monotonicity in time, non-negative costs, JSON that reads back to the same decimals, and
//! `--round-up` choosing the smallest offered size that fits.

use std::str::FromStr;

use cost::model::{Arch, Os, Pricing, RunTime, Size, Task};
use cost::money::{format_usd, round_cents};
use cost::pricing::fargate;
use cost::pricing::{Options, price_task};
use cost::rates::{self, Origin, RateTable};
use cost::report::{Component, Item, RatesInfo, Report};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn table(region: &str) -> RateTable {
    rates::embedded(region).unwrap().0
}

fn linux_sizes() -> Vec<Size> {
    fargate::offered(Os::Linux).collect()
}

/// Hours with at most two decimals: hours × 3600 is then a multiple of 36, so every per-hour cost
/// divides exactly and the laws can be checked with `==`.
fn hours() -> impl Strategy<Value = Decimal> {
    (1u32..=100_000).prop_map(|h| Decimal::new(i64::from(h), 2))
}

prop_compose! {
    fn any_task()(
        size in proptest::sample::select(linux_sizes()),
        count in 1u64..=1000,
        runs in 1u64..=100,
        hours in hours(),
        arm in any::<bool>(),
        spot in any::<bool>(),
        storage in 20u32..=200,
        data_transfer in prop_oneof![Just(0u32), 1u32..=300_000],
    ) -> Task {
        let mut t = Task::new("t", size);
        t.count = count;
        t.runs = runs;
        t.run_time = RunTime::Hours(hours);
        t.arch = if arm { Arch::Arm64 } else { Arch::X86_64 };
        t.pricing = if spot { Pricing::Spot } else { Pricing::OnDemand };
        t.ephemeral_storage_gb = Decimal::from(storage);
        t.data_transfer_gb = Decimal::from(data_transfer);
        t
    }
}

/// us-east-1 has every rate (ARM and Spot ARM, storage, data transfer).
fn price(task: &Task) -> Item {
    price_task(task, &table("us-east-1"), Options::default()).expect("us-east-1 prices every Linux task")
}

fn hourly_costs(item: &Item) -> Vec<Decimal> {
    item.lines.iter().filter(|l| l.component != Component::DataTransfer).map(|l| l.cost).collect()
}

fn report(items: Vec<Item>, budget: Option<Decimal>) -> Report {
    let table = table("us-east-1");
    let rates = RatesInfo::new(&table, &Origin::File("t".into()), &items);
    Report::new(rates, items, budget).unwrap()
}

proptest! {
    #[test]
    fn totals_are_exact_sums_and_costs_never_negative(task in any_task()) {
        let item = price(&task);
        let sum = item.lines.iter().map(|l| l.cost).fold(Decimal::ZERO, |a, c| a + c);
        prop_assert_eq!(item.total, sum);
        prop_assert!(item.lines.iter().all(|l| l.cost >= Decimal::ZERO && l.quantity >= Decimal::ZERO));
        let twice = report(vec![item.clone(), item.clone()], None);
        prop_assert_eq!(twice.total, item.total + item.total);
    }

    #[test]
    fn per_hour_costs_are_linear_in_count_and_runs(task in any_task(), k in 1u64..=50) {
        let base = hourly_costs(&price(&task));
        let scaled: Vec<Decimal> = base.iter().map(|c| c * Decimal::from(k)).collect();
        let mut more = task.clone();
        more.count *= k;
        prop_assert_eq!(&hourly_costs(&price(&more)), &scaled);
        let mut more = task.clone();
        more.runs *= k;
        prop_assert_eq!(hourly_costs(&price(&more)), scaled);
    }

    #[test]
    fn costs_grow_with_time(task in any_task(), extra in hours()) {
        let base = price(&task);
        let RunTime::Hours(h) = task.run_time else { unreachable!("any_task gives hours") };
        let mut longer = task.clone();
        longer.run_time = RunTime::Hours(h + extra);
        let longer = price(&longer);
        prop_assert!(longer.total >= base.total);
        for (a, b) in hourly_costs(&base).iter().zip(hourly_costs(&longer)) {
            prop_assert!(b >= *a);
        }
    }

    #[test]
    fn any_run_time_bills_whole_seconds_with_the_minimum(thousandths_of_minutes in 1u64..=100_000_000, windows in any::<bool>()) {
        let os = if windows { Os::Windows } else { Os::Linux };
        let minutes = Decimal::new(i64::try_from(thousandths_of_minutes).unwrap(), 3);
        let billed = fargate::billed_seconds(RunTime::Minutes(minutes), os).unwrap();
        // In integers: a thousandth of a minute is 60/1000 s; round up to the second.
        let whole_seconds = (thousandths_of_minutes * 60).div_ceil(1000);
        let minimum = if windows { 300 } else { 60 };
        prop_assert_eq!(billed, Decimal::from(whole_seconds.max(minimum)));
    }

    #[test]
    fn json_numbers_read_back_to_the_same_decimals(task in any_task()) {
        let item = price(&task);
        let report = report(vec![item.clone()], Some(Decimal::from(100)));
        let json = cost::render::Document::json(&report).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let number = |v: &serde_json::Value| Decimal::from_str(&v.as_number().unwrap().to_string()).unwrap();
        prop_assert_eq!(number(&value["total"]), report.total);
        for (line, json_line) in item.lines.iter().zip(value["items"][0]["lines"].as_array().unwrap()) {
            prop_assert_eq!(number(&json_line["cost"]), line.cost);
            prop_assert_eq!(number(&json_line["quantity"]), line.quantity);
            prop_assert_eq!(number(&json_line["rate"]), line.rate);
        }
    }

    #[test]
    fn round_up_gives_the_smallest_offered_size_that_fits(vcpu_milli in 1i64..=17_000, mib in 1u32..=125_000, windows in any::<bool>()) {
        let os = if windows { Os::Windows } else { Os::Linux };
        let wanted = Size { vcpu: Decimal::new(vcpu_milli, 3), memory_gb: Decimal::from(mib) / Decimal::from(1024) };
        let fits = |s: &Size| s.vcpu >= wanted.vcpu && s.memory_gb >= wanted.memory_gb;
        match fargate::round_up(wanted, os) {
            Ok(got) => {
                prop_assert!(fargate::check(got, os).is_ok(), "{} is not offered", got);
                prop_assert!(fits(&got));
                // Every other offered size that fits is at least as large in both dimensions.
                for other in fargate::offered(os).filter(fits) {
                    prop_assert!(other.vcpu >= got.vcpu && other.memory_gb >= got.memory_gb, "{} is smaller than {}", other, got);
                }
            }
            Err(_) => prop_assert!(fargate::offered(os).all(|s| !fits(&s))),
        }
    }

    #[test]
    fn display_rounding_is_half_away_from_zero_and_idempotent(units in -10_000_000i64..=10_000_000, scale in 0u32..=6) {
        let x = Decimal::new(units, scale);
        let once = round_cents(x);
        prop_assert_eq!(round_cents(once), once);
        // Independently, on the magnitude: add half a cent and cut to cents; then restore the sign.
        let half_up = ((x.abs() * Decimal::from(100)) + Decimal::new(5, 1)).trunc() / Decimal::from(100);
        let expected = if x.is_sign_negative() { -half_up } else { half_up };
        prop_assert_eq!(once, expected);
        prop_assert_eq!(format_usd(x).replace(['$', ','], "").parse::<Decimal>().unwrap(), expected);
    }

    #[test]
    fn eks_bills_the_smallest_offered_size_that_fits_requests_plus_256_mb(
        vcpu_milli in 0i64..=16_000,
        mib in 0u32..=122_000,
    ) {
        let requests = Size { vcpu: Decimal::new(vcpu_milli, 3), memory_gb: Decimal::from(mib) / Decimal::from(1024) };
        let mut pod = Task::new("pod", requests);
        pod.platform = cost::model::Platform::Eks;
        // What the pod needs: its requests plus 256 MB (0.25 GB) for the Kubernetes components.
        let needs = Size { vcpu: requests.vcpu, memory_gb: requests.memory_gb + Decimal::new(25, 2) };
        let fits = |s: &Size| s.vcpu >= needs.vcpu && s.memory_gb >= needs.memory_gb;
        match price_task(&pod, &table("us-east-1"), Options::default()) {
            Ok(item) => {
                let billed = item.billed().unwrap();
                let got = Size { vcpu: billed.vcpu, memory_gb: billed.memory_gb };
                prop_assert!(fargate::check(got, Os::Linux).is_ok(), "{} is not offered", got);
                prop_assert!(fits(&got), "{} does not fit {}", got, needs);
                for other in fargate::offered(Os::Linux).filter(fits) {
                    prop_assert!(other.vcpu >= got.vcpu && other.memory_gb >= got.memory_gb, "{} is smaller than {}", other, got);
                }
            }
            Err(_) => prop_assert!(fargate::offered(Os::Linux).all(|s| !fits(&s))),
        }
    }
}
