//! The EC2 launch type: ECS adds no charge; the instances are the cost. Tasks are packed onto
//! instances of one type by CPU and by memory, after a per-instance reservation for the OS and the
//! ECS agent; the fleet is as small as holds them (or fixed by the user). EC2 Linux bills per
//! second with a one-minute minimum, like Fargate Linux.
//!
//! Assumptions (README, "The EC2 launch type"): every instance is the same type; a task's vCPU
//! and memory are reserved in full (ECS `cpu` and `memory` hard limits); the reservation is the same
//! on every type; the instances run exactly as long as the tasks.

use std::borrow::Cow;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::{Options, PriceError, Usage, data_transfer_lines, missing};
use crate::model::{Arch, LaunchType, Os, Pricing, Size, Task};
use crate::money;
use crate::pricing::fargate;
use crate::rates::{Instance, RateTable};
use crate::report::{Component, Item, ItemKind};
use crate::report::{Note, Packing};

/// Memory each instance keeps for the OS and the ECS agent unless told otherwise: 512 MiB. The
/// ECS agent registers less memory than an instance has; 512 MiB is this project's conservative
/// allowance for that, not an AWS figure (`--reserved-memory` changes it).
pub const DEFAULT_RESERVED_MEMORY_MIB: Decimal = dec!(512);

const MIB_PER_GIB: Decimal = dec!(1024);

/// How many tasks of `size` fit on one `instance`: the smaller of the fit by vCPU and the fit by
/// memory left after `reserved_mib`. Zero when the task does not fit at all.
pub fn tasks_per_instance(instance: &Instance, size: Size, reserved_mib: Decimal) -> u64 {
    // Nothing fits without capacity; a quotient too large for u64 (or for Decimal) is capped.
    let fit = |capacity: Option<Decimal>, need: Decimal| match capacity {
        Some(c) if c > Decimal::ZERO => {
            c.checked_div(need).map_or(u64::MAX, |q| u64::try_from(q.floor()).unwrap_or(u64::MAX))
        }
        _ => 0,
    };
    let usable_mib = instance.memory_gib.0.checked_mul(MIB_PER_GIB).and_then(|m| m.checked_sub(reserved_mib));
    let task_mib = size.memory_gb.checked_mul(MIB_PER_GIB).unwrap_or(Decimal::MAX);
    fit(Some(Decimal::from(instance.vcpu)), size.vcpu).min(fit(usable_mib, task_mib))
}

/// Places `count` tasks of `size` on `instance` (named `name`): as few instances as hold them, or
/// `fixed` instances. `None` when they do not fit.
pub fn pack(
    name: &str,
    instance: &Instance,
    size: Size,
    count: u64,
    fixed: Option<u64>,
    reserved_mib: Decimal,
) -> Option<Packing> {
    let per_instance = tasks_per_instance(instance, size, reserved_mib);
    if per_instance == 0 {
        return None;
    }
    let instances = match fixed {
        Some(n) if n.checked_mul(per_instance).is_none_or(|capacity| capacity >= count) => n,
        Some(_) => return None,
        None => count.div_ceil(per_instance),
    };
    let share = |used: Decimal, each: Decimal| {
        let used = used.checked_mul(Decimal::from(count))?;
        used.checked_div(each.checked_mul(Decimal::from(instances))?).map(|d| d.normalize())
    };
    let usable_mib = instance.memory_gib.0.checked_mul(MIB_PER_GIB)? - reserved_mib;
    Some(Packing {
        instance_type: name.to_owned(),
        chosen: "given",
        instances,
        tasks_per_instance: per_instance,
        cpu_utilization: share(size.vcpu, Decimal::from(instance.vcpu))?,
        memory_utilization: share(size.memory_gb.checked_mul(MIB_PER_GIB)?, usable_mib)?,
        reserved_memory_mib: reserved_mib.normalize(),
    })
}

/// Prices a task on the EC2 launch type: the instances for as long as the tasks run, plus data
/// transfer out as on Fargate.
pub(super) fn price_ec2_task(task: &Task, table: &RateTable, options: Options) -> Result<Item, PriceError> {
    let unsupported = |why: &str| Err(PriceError::Unsupported(why.to_owned()));
    if task.os == Os::Windows {
        return unsupported(
            "the EC2 instance catalogue has Linux prices only; Windows tasks can be priced on Fargate",
        );
    }
    if task.pricing == Pricing::Spot {
        return unsupported("--spot prices Fargate Spot; EC2 Spot prices are not in the rate tables");
    }
    if task.pricing != Pricing::OnDemand {
        return unsupported(
            "the EC2 instance catalogue has on-demand prices only; Savings Plans are priced on Fargate",
        );
    }
    if task.size.vcpu <= Decimal::ZERO || task.size.memory_gb <= Decimal::ZERO {
        return Err(PriceError::Unsupported(format!(
            "a task needs more than 0 vCPU and 0 GB (got {})",
            task.size
        )));
    }
    let (name, instance, packing) = place(task, table, options.reserved_memory_mib)?;
    let seconds = fargate::billed_seconds(task.run_time, Os::Linux)?;
    let usage = Usage::new(money::product("instance-seconds", &[seconds, Decimal::from(task.runs)])?);
    let detail = Cow::Owned(format!("{} x {name}", packing.instances));
    let mut lines = vec![usage.line(
        Component::Ec2Instance,
        Decimal::from(packing.instances),
        instance.hourly.0,
        detail,
        "ec2",
    )?];
    if task.data_transfer_gb > Decimal::ZERO {
        lines.extend(data_transfer_lines(task.data_transfer_gb, table, options)?);
    }
    let billed = super::billed(task, task.size, seconds);
    let notes = ec2_notes(task, &packing, options);
    let kind = ItemKind::Task {
        launch_type: LaunchType::Ec2,
        platform: task.platform,
        billed,
        packing: Some(packing),
    };
    Item::new(task.name.clone(), kind, lines, notes)
}

/// The instance type and packing for a task: the named type, or the cheapest that holds it.
fn place<'t>(
    task: &'t Task,
    table: &'t RateTable,
    reserved: Decimal,
) -> Result<(&'t str, &'t Instance, Packing), PriceError> {
    let catalogue =
        table.ec2.as_ref().ok_or_else(|| missing(table, "EC2 instance catalogue".into(), "ec2"))?;
    let fits = || {
        let names: Vec<&str> = catalogue
            .instances
            .iter()
            .filter(|(_, i)| i.arch == task.arch && tasks_per_instance(i, task.size, reserved) > 0)
            .map(|(n, _)| n.as_str())
            .collect();
        if names.is_empty() { "none".to_owned() } else { names.join(", ") }
    };
    let (name, instance, mut packing) = match &task.placement.instance_type {
        Some(name) => {
            let instance = catalogue.instances.get(name).ok_or_else(|| {
                PriceError::Unsupported(format!(
                    "no instance type `{name}` in the {} catalogue; {} types that fit a task of {}: {}",
                    table.region,
                    task.arch,
                    task.size,
                    fits()
                ))
            })?;
            if instance.arch != task.arch {
                return Err(PriceError::Unsupported(format!(
                    "{name} is {} but the task is {}; {} types that fit: {}",
                    instance.arch,
                    task.arch,
                    task.arch,
                    fits()
                )));
            }
            let packing = pack(name, instance, task.size, task.count, task.placement.instances, reserved)
                .ok_or_else(|| not_placed(task, name, instance, reserved, &fits()))?;
            (name.as_str(), instance, packing)
        }
        None => cheapest(task, catalogue.instances.iter(), reserved).ok_or_else(|| {
            let best = catalogue
                .instances
                .iter()
                .filter(|(_, i)| i.arch == task.arch)
                .map(|(n, i)| (tasks_per_instance(i, task.size, reserved), n))
                .max();
            match (task.placement.instances, best) {
                (Some(n), Some((k, name))) if k > 0 => PriceError::Unsupported(format!(
                    "{} tasks of {} do not fit on {n} instance(s) of any catalogued {} type; one instance \
                     holds at most {k} ({name})",
                    task.count, task.size, task.arch
                )),
                _ => PriceError::Unsupported(format!(
                    "no catalogued {} instance type in {} holds a task of {}",
                    task.arch, table.region, task.size
                )),
            }
        })?,
    };
    if task.placement.instance_type.is_none() {
        packing.chosen = "cheapest";
    }
    Ok((name, instance, packing))
}

/// The catalogued type of the task's architecture that holds the tasks for the least money (then
/// the fewest instances, then by name).
fn cheapest<'a>(
    task: &Task,
    instances: impl Iterator<Item = (&'a String, &'a Instance)>,
    reserved: Decimal,
) -> Option<(&'a str, &'a Instance, Packing)> {
    instances
        .filter(|(_, i)| i.arch == task.arch)
        .filter_map(|(name, i)| {
            let packing = pack(name, i, task.size, task.count, task.placement.instances, reserved)?;
            let hourly = i.hourly.0.checked_mul(Decimal::from(packing.instances))?;
            Some((hourly, packing.instances, name.as_str(), i, packing))
        })
        .min_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)))
        .map(|(_, _, name, instance, packing)| (name, instance, packing))
}

fn not_placed(task: &Task, name: &str, instance: &Instance, reserved: Decimal, fits: &str) -> PriceError {
    let per_instance = tasks_per_instance(instance, task.size, reserved);
    let why = match (per_instance, task.placement.instances) {
        (0, _) => format!(
            "a task of {} does not fit on {name} ({} vCPU, {} GiB, {} MiB reserved)",
            task.size,
            instance.vcpu,
            instance.memory_gib.0.normalize(),
            reserved.normalize()
        ),
        (k, Some(n)) => format!(
            "{n} x {name} hold at most {} tasks ({k} each), not {}",
            u128::from(n) * u128::from(k),
            task.count
        ),
        (_, None) => format!("the tasks do not fit on {name}"),
    };
    PriceError::Unsupported(format!("{why}; {} types that fit one task: {fits}", task.arch))
}

fn ec2_notes(task: &Task, packing: &Packing, options: Options) -> Vec<Note> {
    let mut notes = vec![Note::Owned(format!(
        "EC2 launch type: ECS adds no charge; the cost is {} x {} for as long as the tasks run \
         (EBS volumes and other instance charges not included)",
        packing.instances, packing.instance_type
    ))];
    if packing.chosen == "cheapest" {
        notes.push(Note::Owned(format!(
            "{} is the cheapest catalogued {} type that holds the tasks (--instance-type picks one)",
            packing.instance_type, task.arch
        )));
    }
    notes.push(Note::Owned(format!(
        "packing reserves {} MiB per instance for the OS and ECS agent (--reserved-memory changes it)",
        packing.reserved_memory_mib
    )));
    if task.ephemeral_storage_gb > fargate::INCLUDED_STORAGE_GB {
        notes.push(Note::Borrowed(
            "ephemeral storage is not priced on EC2: tasks use the instance's EBS volume",
        ));
    }
    if task.arch == Arch::Arm64 {
        notes.push(Note::Borrowed("arm64 tasks are placed on Graviton instance types only"));
    }
    if task.round_up {
        notes.push(Note::Borrowed(
            "--round-up changes nothing on EC2: tasks are placed at the size asked for",
        ));
    }
    notes.extend(super::transfer_note(task, options));
    notes
}
