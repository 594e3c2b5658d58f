//! `cost check WORKLOAD`: the CI gate. Within budget: exit 0 and a short summary. Over: the full
//! report on stdout, one line on stderr, exit 3.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::anyhow;

use super::estimate::verdict_exit;
use super::inputs::{self, Inputs};
use super::load::{self, table_style};
use super::{CheckArgs, Context, Exit, Failure, cloudformation, exit, write_out};
use crate::input::detect::Format as InputFormat;
use crate::money::{format_limit, format_usd};
use crate::render::{self, Format};
use crate::report::Report;

pub fn run(args: &CheckArgs, context: &Context<'_>, out: &mut dyn Write) -> Result<Exit, Failure> {
    // A positional input may be any format: it says itself what goes with it.
    let positional = args.workload.as_deref().is_some_and(|p| p != std::path::Path::new("-"));
    if args.usage.is_some() && args.terraform_plan.is_none() && !positional {
        return Err(Failure::usage("--usage FILE goes with --terraform-plan FILE"));
    }
    if !args.parameter.is_empty() && args.cloudformation.is_none() && !positional {
        return Err(Failure::usage("--parameter KEY=VALUE goes with --cloudformation FILE|DIR"));
    }
    if !args.task_definition.is_empty() && args.services.is_none() {
        return Err(Failure::usage("--task-definition FILE goes with --services FILE"));
    }
    let mut detected = None;
    let report = match (&args.terraform_plan, &args.workload) {
        (None, None) if args.cloudformation.is_some() => cloudformation::report(
            args.cloudformation.as_deref(),
            &args.parameter,
            &args.pricing,
            args.budget,
            context,
        )?,
        (Some(plan), _) => {
            load::plan_report(plan, args.usage.as_deref(), &args.pricing, args.budget, context)?
        }
        (None, Some(workload)) if positional => {
            let paths = [workload.clone()];
            match inputs::report(
                &paths,
                &args.parameter,
                args.usage.as_deref(),
                &args.pricing,
                args.budget,
                context,
            )? {
                Inputs::Priced(report, format) => {
                    detected = Some(format);
                    *report
                }
                Inputs::TaskDefinition(path) => {
                    return Err(Failure::usage(format!(
                        "`{path}` is a task definition: check one task with cost estimate --task-definition FILE \
                         --budget USD"
                    )));
                }
            }
        }
        (None, Some(workload)) => load::workload_report(workload, &args.pricing, args.budget, context)?,
        (None, None) => match &args.services {
            Some(path) => {
                super::services::report(path, &args.task_definition, &args.pricing, args.budget, context)?
            }
            None => {
                return Err(Failure::usage(
                    "give a WORKLOAD file, --terraform-plan FILE, --cloudformation FILE|DIR or --services FILE",
                ));
            }
        },
    };
    if !report.has_budget() {
        return Err(Failure::unpriceable(match (&args.terraform_plan, &args.workload) {
            (None, None) => match args.services.as_deref() {
                Some(services) => {
                    anyhow!("{} has no budget to check: pass --budget USD", super::services::label(services))
                }
                None => anyhow!("the template has no budget to check: pass --budget USD"),
            },
            (Some(plan), _) => {
                anyhow!("{} has no budget to check: pass --budget USD", load::plan_label(plan))
            }
            (None, Some(path)) if detected.is_some_and(|f| f != InputFormat::Workload) => anyhow!(
                "`{}` ({}) has no budget to check: pass --budget USD",
                path.display(),
                detected.map_or("", InputFormat::name)
            ),
            (None, workload) => anyhow!(
                "{} has no budget to check: add `[budget]` with `limit = 500` (USD) to the file, a `budget = 100` \
                 to an entry, or pass --budget USD",
                load::workload_label(workload.as_deref().unwrap_or(std::path::Path::new("-")))
            ),
        }));
    }
    context.warn_if_stale(&report.rates, args.pricing.no_stale_warning)?;
    let verdict = verdict_exit(&report, args.allow_unpriced);
    let format = args.format.unwrap_or_default();
    let text = if context.quiet {
        super::estimate::quiet_total(report.total)
    } else if verdict.code == exit::SUCCESS && format == Format::Table {
        summary(&report)
    } else {
        render::render(&report, format, table_style(context))?
    };
    write_out(out, text.as_bytes())?;
    Ok(verdict)
}

/// `within budget: $148.82 of $400.00 (37.2%), $251.18 to spare`, and a line per item budget.
fn summary(report: &Report) -> String {
    let mut out = String::new();
    // Accepted with --allow-unpriced: every verdict line says what it leaves out.
    let gap = if report.unpriced.is_empty() {
        String::new()
    } else {
        format!(" ({})", render::coverage_phrase(report))
    };
    let mut line = |name: Option<&str>, total, limit| {
        let of = name.map_or_else(String::new, |n| format!(" {}:", render::escape::visible(n)));
        let share = percent_of(total, limit).map_or_else(String::new, |p| format!(" ({p}%)"));
        let _ = writeln!(
            out,
            "within budget:{of} {} of {}{share}, {} to spare{gap}",
            format_usd(total),
            format_limit(limit),
            format_usd(limit - total)
        );
    };
    if let Some(budget) = report.budget {
        line(None, report.total, budget.limit);
    }
    for item in &report.items {
        if let Some(budget) = item.budget {
            line(Some(&item.name), item.total, budget.limit);
        }
    }
    out.push_str(&render::coverage_line(report));
    out.push('\n');
    out
}

/// `total / limit` as a percentage with one decimal (half away from zero), if the limit is not 0.
fn percent_of(total: rust_decimal::Decimal, limit: rust_decimal::Decimal) -> Option<rust_decimal::Decimal> {
    let ratio = total.checked_mul(rust_decimal::Decimal::ONE_HUNDRED)?.checked_div(limit)?;
    Some(ratio.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero).normalize())
}
