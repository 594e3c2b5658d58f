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

use crate::model::{Arch, LaunchType, Os, Platform, Pricing, Size, SizeFrom, Task};
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

/// Prices one task description on its launch type.
pub fn price_task(task: &Task, table: &RateTable, options: Options) -> Result<Item, PriceError> {
    let mut item = match task.launch_type {
        LaunchType::Ec2 => ec2::price_ec2_task(task, table, options)?,
        LaunchType::Fargate => price_fargate_task(task, table, options)?,
    };
    if task.size_from == SizeFrom::Containers {
        item.notes.push(Note::Borrowed(
            "sized by its containers' sum (cpu units, and memoryReservation or else memory), as its task \
             definition states no task-level size",
        ));
    }
    Ok(item)
}

fn price_fargate_task(task: &Task, table: &RateTable, options: Options) -> Result<Item, PriceError> {
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
    if task.size_from == SizeFrom::Containers && !task.round_up {
        let fits = fargate::round_up(task.size, task.os)?;
        return Err(SizeError::NoTaskSize { containers: task.size, fits }.into());
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
mod tests;
