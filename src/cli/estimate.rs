//! `cost estimate`: one task description (flags, a task definition), a workload file, or a
//! stream (`--batch`).

use std::io::Write;

use super::inputs::{self, Inputs};
use super::load::{self, load_table, price_error, read_task_definition, resolve_task, table_style};
use super::{
    Context, EstimateArgs, Exit, Failure, PricingArgs, TaskArgs, batch, cloudformation, exit, write_out,
};
use crate::input::TaskInput;
use crate::model::{LaunchType, Platform, SizeFrom, Task};
use crate::money::Exact;
use crate::pricing;
use crate::rates::{Origin, RateTable};
use crate::render;
use crate::report::{RatesInfo, Report, Verdict};

pub fn run(args: &EstimateArgs, context: &Context<'_>, out: &mut dyn Write) -> Result<Exit, Failure> {
    if let Some(path) = &args.batch {
        return batch::run(path, args, context, out);
    }
    if args.usage.is_some() && args.terraform_plan.is_none() && args.inputs.is_empty() {
        return Err(Failure::usage("--usage FILE goes with --terraform-plan FILE"));
    }
    if !args.parameter.is_empty() && args.cloudformation.is_none() && args.inputs.is_empty() {
        return Err(Failure::usage("--parameter KEY=VALUE goes with --cloudformation FILE|DIR"));
    }
    if args.keep_going {
        return Err(Failure::usage("--keep-going goes with --batch FILE"));
    }
    let report = match (&args.workload, &args.terraform_plan) {
        (None, None) if !args.inputs.is_empty() => {
            let inputs = inputs::report(
                &args.inputs,
                &args.parameter,
                args.usage.as_deref(),
                &args.pricing,
                args.budget,
                context,
            )?;
            match inputs {
                Inputs::Priced(report, _) => *report,
                Inputs::TaskDefinition(path) => {
                    if !args.task.task_definition.is_empty() {
                        return Err(Failure::usage(format!(
                            "`{path}` is a task definition: give it as INPUT or with --task-definition, not both"
                        )));
                    }
                    task_report(args, Some(path), context)?
                }
            }
        }
        (Some(path), _) => load::workload_report(path, &args.pricing, args.budget, context)?,
        (None, Some(plan)) => {
            load::plan_report(plan, args.usage.as_deref(), &args.pricing, args.budget, context)?
        }
        (None, None) if args.cloudformation.is_some() => cloudformation::report(
            args.cloudformation.as_deref(),
            &args.parameter,
            &args.pricing,
            args.budget,
            context,
        )?,
        (None, None) => match &args.services {
            Some(path) => super::services::report(
                path,
                &args.task.task_definition,
                &args.pricing,
                args.budget,
                context,
            )?,
            None => task_report(args, None, context)?,
        },
    };
    context.warn_if_stale(&report.rates, args.pricing.no_stale_warning)?;
    let format = args.format.unwrap_or_default();
    let text = if context.quiet {
        quiet_total(report.total)
    } else {
        let mut text = render::render(&report, format, table_style(context))?;
        if args.explain && matches!(format, render::Format::Table | render::Format::Markdown) {
            text.push_str(&render::explain::render(&report, None));
        }
        text
    };
    write_out(out, text.as_bytes())?;
    Ok(verdict_exit(&report, args.allow_unpriced))
}

/// One task from the flags and, if given, a task definition (`definition`, a positional input, or
/// --task-definition).
fn task_report(
    args: &EstimateArgs,
    definition: Option<String>,
    context: &Context<'_>,
) -> Result<Report, Failure> {
    let mut input = task_input(&args.task, args.launch_type)?;
    if definition.is_some() {
        input.task_definition = definition;
    }
    one_task_report(&input, &args.pricing, args.budget, context)
}

/// One task input priced into a report (a task from flags, or a task definition as a side of
/// `cost diff`).
pub(super) fn one_task_report(
    input: &TaskInput,
    pricing: &PricingArgs,
    budget: Option<rust_decimal::Decimal>,
    context: &Context<'_>,
) -> Result<Report, Failure> {
    let FlagTask { task, table, origin, assumptions, definition } =
        flag_task(input, pricing, false, context)?;
    let item = pricing::price_task(&task, &table, load::options(pricing)).map_err(|e| match definition {
        // What the definition lacks is named with the definition.
        Some(label) if task.size_from == SizeFrom::Containers => anyhow::anyhow!("{label}: {e}"),
        _ => price_error(e, &origin),
    })?;
    let items = vec![item];
    let rates = RatesInfo::new(&table, &origin, &items);
    let mut report = Report::new(rates, items, budget)?;
    report.assumptions = assumptions;
    Ok(report)
}

/// One task from the flags, ready to price, with the defaults chosen for it.
pub(super) struct FlagTask {
    pub task: Task,
    pub table: RateTable,
    pub origin: Origin,
    pub assumptions: Vec<String>,
    /// How messages name the task definition, if one was given.
    pub definition: Option<String>,
}

/// The task the flags describe (with its task definition, if any), and the rate table to price it.
/// A comparison (`any_launch_type`) ignores the launch types the definition is registered for.
pub(super) fn flag_task(
    input: &TaskInput,
    pricing: &PricingArgs,
    any_launch_type: bool,
    context: &Context<'_>,
) -> Result<FlagTask, Failure> {
    let mut definition = read_task_definition(input.task_definition.as_deref(), None, Some(context.stdin))?;
    if any_launch_type && let Some(d) = definition.as_mut() {
        d.parsed.requires_compatibilities.clear();
    }
    let no_size = input.vcpu.is_none() || input.memory.is_none();
    if definition.is_none() && input.platform != Some(Platform::Eks) && no_size {
        return Err(Failure::usage(
            "give the task size with --vcpu N and --memory GB (e.g. --vcpu 1 --memory 2), or --task-definition FILE",
        ));
    }
    let task = resolve_task(input, definition.as_ref())?;
    let region = pricing.region.as_deref().map(|r| (r, "--region"));
    let (table, origin) = load_table(region, pricing.rates.as_deref(), context)?;
    let mut assumptions: Vec<String> =
        super::price::region_assumption(region, pricing.rates.as_deref(), "", context).into_iter().collect();
    assumptions.extend(input.assumed(definition.as_ref().map(|d| &d.parsed)).into_iter().map(str::to_owned));
    let definition = definition.map(|d| d.label);
    Ok(FlagTask { task, table, origin, assumptions, definition })
}

/// `--quiet`: the amount alone, rounded to cents, no currency sign (`36.04`).
pub(super) fn quiet_total(amount: rust_decimal::Decimal) -> String {
    format!("{:.2}\n", crate::money::round_cents(amount))
}

/// The run's exit from its report: 3 over a budget, with one line naming the first exceeded (the
/// unpriced part, if any, can only add to it); 4 when a budget applies and something is unpriced
/// (unless `allow_unpriced`), naming the first and its fix; else 0, with a warning line when
/// something is unpriced.
pub(super) fn verdict_exit(report: &Report, allow_unpriced: bool) -> Exit {
    let unpriced = report.unpriced.len();
    let all = report.items.len() + unpriced;
    match report.verdict(allow_unpriced) {
        Verdict::OverBudget(overruns) => {
            let more = match overruns.len() - 1 {
                0 => String::new(),
                n => format!(" (and {n} more budget(s) exceeded)"),
            };
            let gap = match unpriced {
                0 => String::new(),
                n => format!("; {n} of {all} items unpriced, which can only add to it"),
            };
            let line = format!("over budget: {}{more}{gap}", render::overrun_sentence(&overruns[0]));
            Exit { code: exit::OVER_BUDGET, stderr: Some(line) }
        }
        Verdict::Incomplete => {
            let first = &report.unpriced[0];
            let line = format!(
                "incomplete: {} could not be priced ({}); {unpriced} of {all} items unpriced, so the budget \
                 cannot be checked; fix: {}; or accept the gap with --allow-unpriced",
                first.name, first.reason, first.fix
            );
            Exit { code: exit::INCOMPLETE, stderr: Some(line) }
        }
        Verdict::Pass => match report.unpriced.first() {
            None => Exit { code: exit::SUCCESS, stderr: None },
            Some(first) => Exit {
                code: exit::SUCCESS,
                stderr: Some(format!(
                    "warning: {unpriced} of {all} items not priced, so the total leaves them out (listed in the \
                     report): {} ({}); fix: {}",
                    first.name, first.reason, first.fix
                )),
            },
        },
    }
}

/// The flags as a task description, keyed like a workload `[[service]]`; one task has one task
/// definition (`--services` takes more).
pub(super) fn task_input(args: &TaskArgs, launch_type: Option<LaunchType>) -> Result<TaskInput, Failure> {
    if let [_, _, ..] = args.task_definition.as_slice() {
        return Err(Failure::usage(format!(
            "--task-definition is given {} times: one task has one (more go with --services FILE)",
            args.task_definition.len()
        )));
    }
    Ok(TaskInput {
        name: args.name.clone(),
        launch_type,
        platform: args.platform,
        task_definition: args.task_definition.first().cloned(),
        vcpu: args.vcpu.map(Exact),
        memory: args.memory.map(Exact),
        count: args.count,
        hours: args.hours.map(Exact),
        minutes: args.minutes.map(Exact),
        runs: args.runs,
        arch: args.arch,
        os: args.os,
        spot: args.spot.then_some(true),
        pricing: args.pricing,
        ephemeral_storage: args.ephemeral_storage.map(Exact),
        data_transfer: args.data_transfer.map(Exact),
        round_up: args.round_up.then_some(true),
        budget: None,
        instance_type: args.instance_type.clone(),
        instances: args.instances,
    })
}
