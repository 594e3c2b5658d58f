//! The pricing core: a task description and a rate table in, a priced [`Item`] out. Pure: no I/O,
//! no clock, no environment.
//!
//! Billing rules (<https://aws.amazon.com/fargate/pricing/>, facts §1): each run of each task is
//! billed per second, rounded up, with a minimum of 60 s (Linux) or 300 s (Windows);
//! vCPU = count × vCPU × hours × runs × rate, memory likewise per GB; storage only above the 20 GB
//! included; Windows adds an OS licence per vCPU-hour; data transfer out is tiered per month.

use rust_decimal::Decimal;

use crate::fargate::{self, SizeError};
use crate::model::{Arch, LaunchType, Os, Platform, Pricing, Size, Task};
use crate::money::{self, Overflow};
use crate::rates::{ComputeRates, Provenance, RateTable};
use crate::report::{Billed, Component, Item, Line};

/// The account-wide data transfer out allowance AWS gives each month across all services and
/// regions (facts §10). Applied only when asked for, since other usage may already consume it.
pub const FREE_DATA_TRANSFER_GB: Decimal = Decimal::from_parts(100, 0, 0, false, 0);

const SECONDS_PER_HOUR: Decimal = Decimal::from_parts(3600, 0, 0, false, 0);
const GB_PER_TB: u32 = 1024;

/// Choices that apply to a whole estimate rather than to one task.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Take the account-wide 100 GB/month free data transfer out off this estimate.
    pub free_data_transfer: bool,
}

/// Why a task could not be priced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    #[error(transparent)]
    Size(#[from] SizeError),
    #[error("{0}")]
    Unsupported(String),
    #[error(
        "the {region} rate table has no {what} (section [{section}]); no sourced price ships for it, \
         so supply a table that has it with --rates FILE"
    )]
    MissingRate {
        region: String,
        what: String,
        section: &'static str,
    },
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

/// Prices one task description on Fargate (ECS).
pub fn price_task(task: &Task, table: &RateTable, options: Options) -> Result<Item, PriceError> {
    let size = billed_size(task)?;
    let storage = task.ephemeral_storage_gb;
    if storage < fargate::INCLUDED_STORAGE_GB || storage > fargate::MAX_STORAGE_GB {
        return Err(PriceError::Unsupported(format!(
            "ephemeral storage of {} GB is outside what Fargate offers: {} to {} GB per task",
            storage.normalize(),
            fargate::INCLUDED_STORAGE_GB,
            fargate::MAX_STORAGE_GB
        )));
    }
    if task.data_transfer_gb.is_sign_negative() && !task.data_transfer_gb.is_zero() {
        return Err(PriceError::Unsupported(format!(
            "data transfer of {} GB is negative; give 0 or more",
            task.data_transfer_gb
        )));
    }
    let seconds = fargate::billed_seconds(task.run_time, task.os)?;
    // count × seconds × runs: the task-seconds every per-hour line multiplies.
    let task_seconds = money::product(
        "task-seconds",
        &[Decimal::from(task.count), seconds, Decimal::from(task.runs)],
    )?;
    let per_hour =
        |component, amount: Decimal, unit, rate: Decimal, detail: String, prov: Provenance<'_>| {
            hourly_line(component, amount, task_seconds, unit, rate, detail, prov)
        };

    let compute = ComputeChoice::for_task(task, table)?;
    let mut lines = vec![
        per_hour(
            Component::Vcpu,
            size.vcpu,
            "vCPU-hours",
            compute.vcpu_hour,
            compute.detail.clone(),
            compute.provenance,
        )?,
        per_hour(
            Component::Memory,
            size.memory_gb,
            "GB-hours",
            compute.gb_hour,
            compute.detail,
            compute.provenance,
        )?,
    ];
    if let Some((rate, provenance)) = compute.os_license {
        lines.push(per_hour(
            Component::OsLicense,
            size.vcpu,
            "vCPU-hours",
            rate,
            "Windows Server licence".into(),
            provenance,
        )?);
    }
    let extra_storage = storage - fargate::INCLUDED_STORAGE_GB;
    if extra_storage > Decimal::ZERO {
        let rates = table.fargate.ephemeral_storage.as_ref().ok_or_else(|| {
            missing(
                table,
                "ephemeral storage rate".into(),
                "fargate.ephemeral_storage",
            )
        })?;
        lines.push(per_hour(
            Component::EphemeralStorage,
            extra_storage,
            "GB-hours",
            rates.gb_hour.0,
            format!(
                "{} GB above the {} GB included",
                extra_storage.normalize(),
                fargate::INCLUDED_STORAGE_GB
            ),
            rates.provenance(),
        )?);
    }
    let mut notes = Vec::new();
    if task.data_transfer_gb > Decimal::ZERO {
        lines.extend(data_transfer_lines(task.data_transfer_gb, table, options)?);
        notes.push(format!(
            "data transfer: the monthly tiers are applied to all {} GB as one month's usage; the account-wide \
             {FREE_DATA_TRANSFER_GB} GB/month free allowance is {}",
            task.data_transfer_gb.normalize(),
            if options.free_data_transfer { "applied" } else { "not applied (--free-data-transfer applies it)" }
        ));
    }
    if task.pricing == Pricing::Spot {
        notes.push("Fargate Spot prices float and tasks can be interrupted; the rates are one dated snapshot".into());
    }
    if size != task.size {
        notes.push(format!(
            "billed as {size}, the smallest Fargate size that fits {}",
            task.size
        ));
    }
    let billed = Billed {
        vcpu: size.vcpu,
        memory_gb: size.memory_gb,
        seconds_per_run: seconds,
        runs: task.runs,
        count: task.count,
        arch: task.arch,
        os: task.os,
        pricing: task.pricing,
        ephemeral_storage_gb: storage.normalize(),
    };
    Ok(Item::new(
        task.name.clone(),
        LaunchType::Fargate,
        Platform::Ecs,
        billed,
        lines,
        notes,
    )?)
}

/// The size Fargate will bill: the requested size if offered, else (with `round_up`) the
/// smallest that fits. Windows rules come first so their message is the one a user sees.
fn billed_size(task: &Task) -> Result<Size, PriceError> {
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
    }
    Ok(if task.round_up {
        fargate::round_up(task.size, task.os)?
    } else {
        fargate::check(task.size, task.os)?
    })
}

/// The vCPU and memory rates (and Windows licence) that apply to a task.
struct ComputeChoice<'a> {
    vcpu_hour: Decimal,
    gb_hour: Decimal,
    os_license: Option<(Decimal, Provenance<'a>)>,
    detail: String,
    provenance: Provenance<'a>,
}

impl<'a> ComputeChoice<'a> {
    fn for_task(task: &Task, table: &'a RateTable) -> Result<Self, PriceError> {
        let f = &table.fargate;
        let detail = format!("{} {} {}", os_label(task.os), task.arch, task.pricing);
        if task.os == Os::Windows {
            let w = f.windows_x86_64.as_ref().ok_or_else(|| {
                missing(
                    table,
                    "Fargate Windows rates".into(),
                    "fargate.windows_x86_64",
                )
            })?;
            return Ok(ComputeChoice {
                vcpu_hour: w.vcpu_hour.0,
                gb_hour: w.gb_hour.0,
                os_license: Some((w.os_license_vcpu_hour.0, w.provenance())),
                detail,
                provenance: w.provenance(),
            });
        }
        let (group, section): (&Option<ComputeRates>, &'static str) =
            match (task.pricing, task.arch) {
                (Pricing::OnDemand, Arch::X86_64) => (&f.linux_x86_64, "fargate.linux_x86_64"),
                (Pricing::OnDemand, Arch::Arm64) => (&f.linux_arm64, "fargate.linux_arm64"),
                (Pricing::Spot, Arch::X86_64) => (&f.spot_x86_64, "fargate.spot_x86_64"),
                (Pricing::Spot, Arch::Arm64) => (&f.spot_arm64, "fargate.spot_arm64"),
            };
        let rates = group.as_ref().ok_or_else(|| {
            missing(
                table,
                format!("Fargate {} {} rates", task.pricing, task.arch),
                section,
            )
        })?;
        Ok(ComputeChoice {
            vcpu_hour: rates.vcpu_hour.0,
            gb_hour: rates.gb_hour.0,
            os_license: None,
            detail,
            provenance: rates.provenance(),
        })
    }
}

fn os_label(os: Os) -> &'static str {
    match os {
        Os::Linux => "Linux",
        Os::Windows => "Windows",
    }
}

fn missing(table: &RateTable, what: String, section: &'static str) -> PriceError {
    PriceError::MissingRate {
        region: table.region.clone(),
        what,
        section,
    }
}

/// A per-hour line: `amount` (vCPU or GB) for `task_seconds`, at `rate` per unit-hour. The cost
/// is computed from the exact numerator and divided by 3600 once.
fn hourly_line(
    component: Component,
    amount: Decimal,
    task_seconds: Decimal,
    unit: &'static str,
    rate: Decimal,
    detail: String,
    provenance: Provenance<'_>,
) -> Result<Line, Overflow> {
    let unit_seconds = money::product("usage", &[amount, task_seconds])?;
    let quantity = money::div("usage in hours", unit_seconds, SECONDS_PER_HOUR)?;
    let cost = money::div(
        "a line cost",
        money::product("a line cost", &[unit_seconds, rate])?,
        SECONDS_PER_HOUR,
    )?;
    Ok(Line {
        component,
        quantity: quantity.normalize(),
        unit,
        rate: rate.normalize(),
        cost: cost.normalize(),
        detail,
        source: provenance.source.to_owned(),
        effective: Some(provenance.effective),
    })
}

/// Data transfer out, one line per tier used (and one for the free allowance when applied).
fn data_transfer_lines(
    gb: Decimal,
    table: &RateTable,
    options: Options,
) -> Result<Vec<Line>, PriceError> {
    let free = if options.free_data_transfer {
        gb.min(FREE_DATA_TRANSFER_GB)
    } else {
        Decimal::ZERO
    };
    let mut lines = Vec::new();
    if free > Decimal::ZERO {
        lines.push(Line {
            component: Component::DataTransfer,
            quantity: free.normalize(),
            unit: "GB",
            rate: Decimal::ZERO,
            cost: Decimal::ZERO,
            detail: format!("account-wide free allowance ({FREE_DATA_TRANSFER_GB} GB/month)"),
            source: "AWS free tier: 100 GB/month of data transfer out to the internet (facts §10)"
                .into(),
            effective: None,
        });
    }
    if gb <= free {
        return Ok(lines);
    }
    let dt = table
        .data_transfer
        .as_ref()
        .ok_or_else(|| missing(table, "data transfer out rates".into(), "data_transfer"))?;
    let mut lower = Decimal::ZERO;
    for (i, tier) in dt.tiers.iter().enumerate() {
        let upper = tier.up_to_gb.map(|b| b.0);
        // The part of [free, gb] that falls in [lower, upper).
        let top = upper.map_or(gb, |u| u.min(gb));
        let amount = top - lower.max(free);
        if amount > Decimal::ZERO {
            let cost = money::product("a data transfer cost", &[amount, tier.per_gb.0])?;
            lines.push(Line {
                component: Component::DataTransfer,
                quantity: amount.normalize(),
                unit: "GB",
                rate: tier.per_gb.0.normalize(),
                cost: cost.normalize(),
                detail: tier_label(i, lower, upper),
                source: dt.source.clone(),
                effective: Some(dt.effective),
            });
        }
        match upper {
            Some(u) if u < gb => lower = u,
            _ => break,
        }
    }
    Ok(lines)
}

/// `first 10 TB`, `next 40 TB`, `over 150 TB` (1 TB = 1024 GB), or GB where bounds are not whole TB.
fn tier_label(index: usize, lower: Decimal, upper: Option<Decimal>) -> String {
    let tb = Decimal::from(GB_PER_TB);
    let size = |gb: Decimal| {
        if (gb % tb).is_zero() {
            format!("{} TB", (gb / tb).normalize())
        } else {
            format!("{} GB", gb.normalize())
        }
    };
    match (index, upper) {
        (0, Some(u)) => format!("first {}", size(u)),
        (_, Some(u)) => format!("next {}", size(u - lower)),
        (_, None) => format!("over {}", size(lower)),
    }
}
