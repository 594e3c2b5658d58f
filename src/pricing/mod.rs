//! The pricing core: a task description and a rate table in, a priced [`Item`] out. Pure: no I/O,
//! no clock, no environment.
//!
//! Billing rules (<https://aws.amazon.com/fargate/pricing/>): each run of each task is
//! billed per second, rounded up, with a minimum of 60 s (Linux) or 300 s (Windows);
//! vCPU = count × vCPU × hours × runs × rate, memory likewise per GB; storage only above the 20 GB
//! included; Windows adds an OS licence per vCPU-hour; data transfer out is tiered per month.

use std::borrow::Cow;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

mod ec2;
mod entries;
pub mod fargate;
mod services;

pub use ec2::{DEFAULT_RESERVED_MEMORY_MIB, pack, tasks_per_instance};
pub use entries::{Entry, Priced, gap, price_entries, unplaced_on_ec2};
pub use services::{price_ecr_repository, price_eks_cluster};

use crate::model::{Arch, LaunchType, Os, Platform, Pricing, Size, Task};
use crate::money::{self, Overflow, Plain};
use crate::rates::{ComputeRates, RateTable};
use crate::report::{Billed, Component, Item, ItemKind, Line, Note};
use fargate::SizeError;

pub use crate::model::{EKS_POD_OVERHEAD_GB, FREE_DATA_TRANSFER_GB};

const SECONDS_PER_HOUR: Decimal = dec!(3600);
const GB_PER_TB: u32 = 1024;

/// Choices that apply to a whole estimate rather than to one task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Take the account-wide 100 GB/month free data transfer out off this estimate.
    pub free_data_transfer: bool,
    /// GB of data transfer out already counted this month by items priced before this one: the
    /// tiers are account-wide, so a task's transfer is priced from where the others left off.
    pub data_transfer_before_gb: Decimal,
    /// EC2 launch type: memory each instance keeps for the OS and the ECS agent, in MiB.
    pub reserved_memory_mib: Decimal,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            free_data_transfer: false,
            data_transfer_before_gb: Decimal::ZERO,
            reserved_memory_mib: ec2::DEFAULT_RESERVED_MEMORY_MIB,
        }
    }
}

/// Why a task could not be priced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    // Not `#[from]`, which would make the size error this one's source too, and a chain of
    // errors print its text twice.
    #[error("{0}{hint}", hint = round_up_hint(.0))]
    Size(SizeError),
    #[error("{0}")]
    Unsupported(String),
    #[error("the {region} rate table has no {what} (section [{section}])")]
    MissingRate { region: String, what: String, section: &'static str },
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

impl From<SizeError> for PriceError {
    fn from(error: SizeError) -> Self {
        PriceError::Size(error)
    }
}

fn round_up_hint(error: &SizeError) -> String {
    error.fits().map_or_else(String::new, |fits| {
        format!(" (or --round-up to bill the smallest size that fits: {fits})")
    })
}

/// Prices one task description on Fargate (ECS).
pub fn price_task(task: &Task, table: &RateTable, options: Options) -> Result<Item, PriceError> {
    if task.launch_type == LaunchType::Ec2 {
        return ec2::price_ec2_task(task, table, options);
    }
    let size = billed_size(task)?;
    check_storage_and_transfer(task)?;
    let seconds = fargate::billed_seconds(task.run_time, task.os)?;
    let usage = Usage::new(money::product(
        "task-seconds (--count x --hours or --minutes x --runs)",
        &[Decimal::from(task.count), seconds, Decimal::from(task.runs)],
    )?);
    let mut lines = compute_lines(task, size, table, usage)?;
    lines.extend(storage_line(task, table, usage)?);
    if task.data_transfer_gb > Decimal::ZERO {
        lines.extend(data_transfer_lines(task.data_transfer_gb, table, options)?);
    }
    let billed = billed(task, size, seconds);
    let notes = notes(task, size, options);
    let kind =
        ItemKind::Task { launch_type: LaunchType::Fargate, platform: task.platform, billed, packing: None };
    Item::new(task.name.clone(), kind, lines, notes)
}

/// Prices several tasks as one account's month: data transfer out is tiered across all of them
/// (the tiers and the free allowance are account-wide), in order; a task that cannot be priced
/// still counts its transfer, so the others' tiers are where the account's would be. One result
/// per task, in order.
pub fn price_tasks<'a>(
    tasks: impl IntoIterator<Item = &'a Task>,
    table: &RateTable,
    options: Options,
) -> Vec<Result<Item, PriceError>> {
    let mut before = Ok(Decimal::ZERO);
    tasks
        .into_iter()
        .map(|task| {
            let start = before?;
            before = money::sum("data transfer", [start, task.data_transfer_gb]);
            price_task(task, table, Options { data_transfer_before_gb: start, ..options })
        })
        .collect()
}

impl PriceError {
    /// Whether the task is unpriced rather than the run failed: everything but an overflow, which
    /// no input can fix. A multi-item input lists such a task as unpriced and prices the rest.
    pub fn is_gap(&self) -> bool {
        !matches!(self, PriceError::Overflow(_))
    }
}

/// What was billed for `task` at `size`, `seconds` a run.
pub(crate) fn billed(task: &Task, size: Size, seconds: Decimal) -> Billed {
    Billed {
        vcpu: size.vcpu,
        memory_gb: size.memory_gb,
        seconds_per_run: seconds,
        runs: task.runs,
        count: task.count,
        arch: task.arch,
        os: task.os,
        pricing: task.pricing,
        ephemeral_storage_gb: task.ephemeral_storage_gb,
    }
}

fn check_storage_and_transfer(task: &Task) -> Result<(), PriceError> {
    let storage = task.ephemeral_storage_gb;
    let (max, what, per) = match task.platform {
        Platform::Ecs => (fargate::MAX_STORAGE_GB, "Fargate", "task"),
        Platform::Eks => (fargate::MAX_EKS_STORAGE_GB, "EKS on Fargate", "pod"),
    };
    if storage < fargate::INCLUDED_STORAGE_GB || storage > max {
        return Err(PriceError::Unsupported(format!(
            "ephemeral storage of {} GB is outside what {what} offers: {} to {max} GB per {per}",
            storage.normalize(),
            fargate::INCLUDED_STORAGE_GB,
        )));
    }
    if task.data_transfer_gb < Decimal::ZERO {
        return Err(PriceError::Unsupported(format!(
            "data transfer of {} GB is negative; give 0 or more",
            task.data_transfer_gb
        )));
    }
    Ok(())
}

/// vCPU and memory, and the Windows licence where it applies.
fn compute_lines(task: &Task, size: Size, table: &RateTable, usage: Usage) -> Result<Vec<Line>, PriceError> {
    let c = ComputeChoice::for_task(task, table)?;
    let detail = || Cow::Borrowed(c.detail);
    let mut lines = Vec::with_capacity(4);
    lines.push(usage.line(Component::Vcpu, size.vcpu, c.vcpu_hour, detail(), c.section)?);
    lines.push(usage.line(Component::Memory, size.memory_gb, c.gb_hour, detail(), c.section)?);
    if let Some(rate) = c.os_license {
        let licence = Cow::Borrowed("Windows Server licence");
        lines.push(usage.line(Component::OsLicense, size.vcpu, rate, licence, c.section)?);
    }
    Ok(lines)
}

/// Ephemeral storage above the included 20 GB, if any.
fn storage_line(task: &Task, table: &RateTable, usage: Usage) -> Result<Option<Line>, PriceError> {
    const SECTION: &str = "fargate.ephemeral_storage";
    let extra = task.ephemeral_storage_gb - fargate::INCLUDED_STORAGE_GB;
    if extra <= Decimal::ZERO {
        return Ok(None);
    }
    let rates = table
        .fargate
        .ephemeral_storage
        .as_ref()
        .ok_or_else(|| missing(table, "ephemeral storage rate".into(), SECTION))?;
    let detail = format!(
        "{} GB above the {} GB included",
        Plain::new(extra),
        Plain::new(fargate::INCLUDED_STORAGE_GB)
    );
    Ok(Some(usage.line(Component::EphemeralStorage, extra, rates.gb_hour.0, detail.into(), SECTION)?))
}

/// What a reader should know about how the item was priced.
fn notes(task: &Task, size: Size, options: Options) -> Vec<Note> {
    let mut notes: Vec<Note> = transfer_note(task, options).into_iter().collect();
    if task.pricing == Pricing::Spot {
        notes.push(Note::Borrowed(
            "Fargate Spot prices float and tasks can be interrupted; the rates are one dated snapshot",
        ));
    }
    if task.platform == Platform::Eks {
        notes.push(Note::Owned(format!(
            "EKS pod: requests {} plus {} GB for the Kubernetes components, billed as {size}, the smallest Fargate size that fits",
            task.size,
            Plain::new(EKS_POD_OVERHEAD_GB)
        )));
    } else if size != task.size {
        notes.push(Note::Owned(format!(
            "billed as {size}, the smallest Fargate size that fits {}",
            task.size
        )));
    }
    notes
}

/// How a task's data transfer was priced, if it has any: the tiers, and whether the free
/// allowance was applied (the output must say which).
pub(crate) fn transfer_note(task: &Task, options: Options) -> Option<Note> {
    if task.data_transfer_gb <= Decimal::ZERO {
        return None;
    }
    let before = options.data_transfer_before_gb;
    let after = if before > Decimal::ZERO {
        format!(", after the {} GB of the items above", Plain::new(before))
    } else {
        String::new()
    };
    let allowance =
        if options.free_data_transfer { "applied" } else { "not applied (--free-data-transfer applies it)" };
    Some(Note::Owned(format!(
        "data transfer: the monthly tiers are applied to all {} GB as one month's usage{after}; the account-wide {} GB/month free allowance is {allowance}",
        Plain::new(task.data_transfer_gb),
        Plain::new(FREE_DATA_TRANSFER_GB)
    )))
}

/// The size Fargate will bill: the requested size if offered, else (with `round_up`) the
/// smallest that fits. Windows rules come first so their message is the one a user sees.
fn billed_size(task: &Task) -> Result<Size, PriceError> {
    if task.platform == Platform::Eks {
        return eks_pod_size(task);
    }
    let Size { vcpu, memory_gb } = task.size;
    if vcpu <= Decimal::ZERO || memory_gb <= Decimal::ZERO {
        return Err(PriceError::Unsupported(format!(
            "a task needs more than 0 vCPU and 0 GB of memory (got {})",
            task.size
        )));
    }
    if task.os == Os::Windows {
        if task.arch == Arch::Arm64 {
            return Err(PriceError::Unsupported(
                "Windows on Fargate runs on x86_64 only; use --arch x86_64 or --os linux".into(),
            ));
        }
        if task.pricing == Pricing::Spot {
            return Err(PriceError::Unsupported(
                "Fargate Spot runs Linux tasks only; drop --spot or use --os linux".into(),
            ));
        }
        if task.pricing != Pricing::OnDemand {
            return Err(PriceError::Unsupported(format!(
                "the rate tables have no {} rates for Windows on Fargate; price Windows on-demand",
                task.pricing
            )));
        }
    }
    Ok(if task.round_up {
        fargate::round_up(task.size, task.os)?
    } else {
        fargate::check(task.size, task.os)?
    })
}

/// EKS on Fargate sizes a pod from its requests: it adds 256 MB for the Kubernetes components
/// (kubelet, kube-proxy, containerd) to the memory, then bills the smallest Fargate size that fits
/// both; a pod with no requests gets 0.25 vCPU / 0.5 GB. ARM, Windows and Spot are not offered.
/// <https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html>.
fn eks_pod_size(task: &Task) -> Result<Size, PriceError> {
    let refuse = |what: &str| {
        Err(PriceError::Unsupported(format!(
            "EKS on Fargate does not offer {what}; drop it or use --platform ecs"
        )))
    };
    match (task.arch, task.os, task.pricing) {
        (Arch::Arm64, _, _) => return refuse("arm64 (Graviton) pods"),
        (_, Os::Windows, _) => return refuse("Windows pods"),
        (_, _, Pricing::Spot) => return refuse("Fargate Spot"),
        _ => {}
    }
    let Size { vcpu, memory_gb } = task.size;
    if vcpu < Decimal::ZERO || memory_gb < Decimal::ZERO {
        return Err(PriceError::Unsupported(format!("pod requests cannot be negative (got {})", task.size)));
    }
    let with_overhead = Size { vcpu, memory_gb: money::sum("pod memory", [memory_gb, EKS_POD_OVERHEAD_GB])? };
    Ok(fargate::round_up(with_overhead, Os::Linux)?)
}

/// The vCPU and memory rates (and Windows licence) that apply to a task, and their section.
struct ComputeChoice {
    vcpu_hour: Decimal,
    gb_hour: Decimal,
    os_license: Option<Decimal>,
    detail: &'static str,
    section: &'static str,
}

impl ComputeChoice {
    fn for_task(task: &Task, table: &RateTable) -> Result<Self, PriceError> {
        let f = &table.fargate;
        if task.os == Os::Windows {
            const SECTION: &str = "fargate.windows_x86_64";
            let w = f
                .windows_x86_64
                .as_ref()
                .ok_or_else(|| missing(table, "Fargate Windows rates".into(), SECTION))?;
            return Ok(ComputeChoice {
                vcpu_hour: w.vcpu_hour.0,
                gb_hour: w.gb_hour.0,
                os_license: Some(w.os_license_vcpu_hour.0),
                detail: "Windows x86_64 on-demand",
                section: SECTION,
            });
        }
        let (group, section, detail) = match (task.pricing, task.arch) {
            (Pricing::OnDemand, Arch::X86_64) => {
                (&f.linux_x86_64, "fargate.linux_x86_64", "Linux x86_64 on-demand")
            }
            (Pricing::OnDemand, Arch::Arm64) => {
                (&f.linux_arm64, "fargate.linux_arm64", "Linux arm64 on-demand")
            }
            (Pricing::Spot, Arch::X86_64) => (&f.spot_x86_64, "fargate.spot_x86_64", "Linux x86_64 spot"),
            (Pricing::Spot, Arch::Arm64) => (&f.spot_arm64, "fargate.spot_arm64", "Linux arm64 spot"),
            (Pricing::SavingsPlan1y, Arch::X86_64) => {
                (&f.savings_plan_1y_x86_64, "fargate.savings_plan_1y_x86_64", "Linux x86_64 savings-plan-1y")
            }
            (Pricing::SavingsPlan1y, Arch::Arm64) => {
                (&f.savings_plan_1y_arm64, "fargate.savings_plan_1y_arm64", "Linux arm64 savings-plan-1y")
            }
            (Pricing::SavingsPlan3y, Arch::X86_64) => {
                (&f.savings_plan_3y_x86_64, "fargate.savings_plan_3y_x86_64", "Linux x86_64 savings-plan-3y")
            }
            (Pricing::SavingsPlan3y, Arch::Arm64) => {
                (&f.savings_plan_3y_arm64, "fargate.savings_plan_3y_arm64", "Linux arm64 savings-plan-3y")
            }
        };
        let rates: &ComputeRates = group.as_ref().ok_or_else(|| {
            missing(table, format!("Fargate {} {} rates", task.pricing, task.arch), section)
        })?;
        Ok(ComputeChoice {
            vcpu_hour: rates.vcpu_hour.0,
            gb_hour: rates.gb_hour.0,
            os_license: None,
            detail,
            section,
        })
    }
}

pub(crate) fn missing(table: &RateTable, what: String, section: &'static str) -> PriceError {
    PriceError::MissingRate { region: table.region.clone(), what, section }
}

/// Seconds billed for everything a line counts (for tasks: count × seconds per run × runs; for
/// instances: seconds per run × runs): what every per-hour line multiplies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Usage {
    task_seconds: Decimal,
    /// `task_seconds` in hours, when the division is exact (whole hours, nearly always).
    hours: Option<Decimal>,
}

impl Usage {
    pub(crate) fn new(task_seconds: Decimal) -> Self {
        let per_hour = SECONDS_PER_HOUR;
        // Exact when multiplying back (exactly: `product` refuses rounding) gives the seconds.
        let hours = task_seconds
            .checked_div(per_hour)
            .filter(|h| money::product("hours", &[*h, per_hour]) == Ok(task_seconds));
        Usage { task_seconds, hours }
    }

    /// A per-hour line: `amount` (vCPU or GB) for the task-seconds, at `rate` per unit-hour. With
    /// exact hours, two products (`--batch` 4% faster); otherwise the cost is computed
    /// from the exact numerator and divided by 3600 once. Either way the exact values.
    pub(crate) fn line(
        self,
        component: Component,
        amount: Decimal,
        rate: Decimal,
        detail: Cow<'static, str>,
        section: &'static str,
    ) -> Result<Line, Overflow> {
        let (quantity, cost) = if let Some(hours) = self.hours {
            let quantity = money::product("usage in hours", &[amount, hours])?;
            (quantity, money::product("a line cost", &[quantity, rate])?)
        } else {
            let unit_seconds = money::product("usage", &[amount, self.task_seconds])?;
            let per_hour = SECONDS_PER_HOUR;
            let cost = money::product("a line cost", &[unit_seconds, rate])?;
            (
                money::div("usage in hours", unit_seconds, per_hour)?,
                money::div("a line cost", cost, per_hour)?,
            )
        };
        Ok(Line { component, quantity, rate, cost, detail, rates: Some(section) })
    }
}

/// Data transfer out, one line per tier used (and one for the free allowance when applied). The
/// task's `gb` occupy the band [before, before + gb) of the month's account-wide usage.
pub(crate) fn data_transfer_lines(
    gb: Decimal,
    table: &RateTable,
    options: Options,
) -> Result<Vec<Line>, PriceError> {
    let start = options.data_transfer_before_gb;
    let end = money::sum("data transfer", [start, gb])?;
    let free_end = if options.free_data_transfer { FREE_DATA_TRANSFER_GB } else { Decimal::ZERO };
    let mut lines = Vec::new();
    // Both bounds are non-negative and at most `end`, so the differences below cannot overflow.
    let free = end.min(free_end) - start.min(free_end);
    if free > Decimal::ZERO {
        lines.push(Line {
            component: Component::DataTransfer,
            quantity: free,
            rate: Decimal::ZERO,
            cost: Decimal::ZERO,
            detail: Cow::Borrowed("AWS's account-wide free allowance of 100 GB/month"),
            rates: None,
        });
    }
    let billable_start = start.max(free_end);
    if end <= billable_start {
        return Ok(lines);
    }
    let dt = table
        .data_transfer
        .as_ref()
        .ok_or_else(|| missing(table, "data transfer out rates".into(), "data_transfer"))?;
    let mut lower = Decimal::ZERO;
    for (i, tier) in dt.tiers.iter().enumerate() {
        let upper = tier.up_to_gb.map(|b| b.0);
        // The part of [billable_start, end) that falls in [lower, upper).
        let top = upper.map_or(end, |u| u.min(end));
        let amount = top - lower.max(billable_start);
        if amount > Decimal::ZERO {
            let cost = money::product("a data transfer cost", &[amount, tier.per_gb.0])?;
            lines.push(Line {
                component: Component::DataTransfer,
                quantity: amount,
                rate: tier.per_gb.0,
                cost,
                detail: tier_label(i, lower, upper).into(),
                rates: Some("data_transfer"),
            });
        }
        match upper {
            Some(u) if u < end => lower = u,
            _ => break,
        }
    }
    Ok(lines)
}

/// `first 10 TB`, `next 40 TB`, `over 150 TB` (1 TB = 1024 GB), or GB where bounds are not whole TB.
fn tier_label(index: usize, lower: Decimal, upper: Option<Decimal>) -> String {
    let tb = Decimal::from(GB_PER_TB);
    let (text, gb) = match (index, upper) {
        (0, Some(u)) => ("first ", u),
        (_, Some(u)) => ("next ", u - lower),
        (_, None) => ("over ", lower),
    };
    if (gb % tb).is_zero() {
        format!("{text}{} TB", Plain::new(gb / tb))
    } else {
        format!("{text}{} GB", Plain::new(gb))
    }
}

#[cfg(test)]
mod tests {
    //! Expected values are worked out by hand from the published rates (<https://aws.amazon.com/fargate/pricing/>, as in pricing/*.toml) in each
    //! test's comments, never taken from the program's output. The tables are the frozen copies of
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
        assert!(matches!(
            price_task(&t, &table("us-east-1"), Options::default()),
            Err(PriceError::Overflow(_))
        ));
        let mut t = task("1", "2");
        t.run_time = RunTime::Hours(Decimal::MAX);
        assert!(matches!(
            price_task(&t, &table("us-east-1"), Options::default()),
            Err(PriceError::Overflow(_))
        ));
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
        assert!(matches!(
            price_task(&huge, &table("us-east-1"), Options::default()),
            Err(PriceError::Size(_))
        ));
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
}
