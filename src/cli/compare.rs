//! `cost compare`: the same tasks (flags, a task definition or a workload) on Fargate and on the
//! EC2 launch type, side by side.

use std::io::Write;
use std::path::Path;

use super::estimate::{FlagTask, flag_task, task_input};
use super::files::read_input;
use super::load::{self, price_error, table_style, workload_label};
use super::{CompareArgs, Context, Exit, Failure, exit, write_out};
use crate::model::LaunchType;
use crate::pricing;
use crate::render;
use crate::report::compare;
use crate::report::{RatesInfo, Report};

pub fn run(args: &CompareArgs, context: &Context<'_>, out: &mut dyn Write) -> Result<Exit, Failure> {
    if args.usage.is_some() && args.terraform_plan.is_none() {
        return Err(Failure::usage("--usage FILE goes with --terraform-plan FILE"));
    }
    let (fargate, ec2) = match (&args.workload, &args.terraform_plan) {
        (Some(path), _) => workload_reports(path, args, context)?,
        (None, Some(plan)) => plan_reports(plan, args, context)?,
        (None, None) => task_reports(args, context)?,
    };
    let older = if ec2.rates.effective < fargate.rates.effective { &ec2.rates } else { &fargate.rates };
    context.warn_if_stale(older, args.pricing.no_stale_warning)?;
    let comparison = compare::compare(fargate, ec2)?;
    let mut text = render::render(&comparison, args.format, table_style(context))?;
    if args.explain && matches!(args.format, render::Format::Table | render::Format::Markdown) {
        for (side, report) in [("Fargate", &comparison.fargate), ("EC2", &comparison.ec2)] {
            text.push_str(&render::explain::render(report, Some(side)));
        }
    }
    write_out(out, text.as_bytes())?;
    // No budget applies to a comparison: what it leaves out is a warning.
    let left_out = comparison.fargate.unpriced.len().max(comparison.ec2.unpriced.len());
    let stderr = comparison.fargate.unpriced.first().or(comparison.ec2.unpriced.first()).map(|first| {
        format!(
            "warning: {left_out} item(s) left out of the comparison (listed in it): {} ({}); fix: {}",
            first.name, first.reason, first.fix
        )
    });
    Ok(Exit { code: exit::SUCCESS, stderr })
}

/// One task from the flags, priced on both launch types (its task definition read once).
fn task_reports(args: &CompareArgs, context: &Context<'_>) -> Result<(Report, Report), Failure> {
    let input = task_input(&args.task, None)?;
    let FlagTask { task, table, origin, assumptions, .. } =
        flag_task(&input.on(LaunchType::Fargate), &args.pricing, true, context)?;
    if task.platform == crate::model::Platform::Eks {
        return Err(crate::input::InputError::EksOnEc2.into());
    }
    let on_ec2 = crate::model::Task {
        launch_type: LaunchType::Ec2,
        pricing: crate::model::Pricing::OnDemand,
        placement: crate::model::Placement {
            instance_type: args.task.instance_type.clone(),
            instances: args.task.instances,
        },
        ..task.clone()
    };
    let options = load::options(&args.pricing);
    let report = |task: &crate::model::Task| -> Result<Report, Failure> {
        let item = pricing::price_task(task, &table, options).map_err(|e| price_error(e, &origin))?;
        let items = vec![item];
        let mut report = Report::new(RatesInfo::new(&table, &origin, &items), items, None)?;
        report.assumptions.clone_from(&assumptions);
        Ok(report)
    };
    Ok((report(&task)?, report(&on_ec2)?))
}

/// Every service of a workload on Fargate, then on EC2; clusters and repositories cost the same.
fn workload_reports(
    path: &Path,
    args: &CompareArgs,
    context: &Context<'_>,
) -> Result<(Report, Report), Failure> {
    let text = read_input(path, &workload_label(path), Some(context.stdin))?;
    let report = |launch_type| {
        super::price::workload_text_report(path, &text, &args.pricing, None, Some(launch_type), context)
    };
    Ok((report(LaunchType::Fargate)?, report(LaunchType::Ec2)?))
}

/// Every service of a Terraform plan on Fargate, then on EC2; clusters and repositories cost the
/// same on both sides.
fn plan_reports(path: &Path, args: &CompareArgs, context: &Context<'_>) -> Result<(Report, Report), Failure> {
    let usage = load::read_usage(args.usage.as_deref(), context)?;
    let text = read_input(path, &load::plan_label(path), Some(context.stdin))?;
    let report = |launch_type| {
        super::price::plan_text_report(path, &text, &usage, &args.pricing, (None, Some(launch_type)), context)
    };
    Ok((report(LaunchType::Fargate)?, report(LaunchType::Ec2)?))
}
