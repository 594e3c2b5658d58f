//! Inputs given as plain paths (`cost estimate FILE...`, `cost check FILE`), each recognised from
//! its content and priced as its flag would price it. The report's assumptions say what each was
//! read as (but for a workload file, which a bare path has always meant).

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use rust_decimal::Decimal;

use super::files::read_input;
use super::{Context, Failure, PricingArgs, cloudformation, load, price, services};
use crate::input::detect::{self, Format};
use crate::report::Report;

/// What the paths are: one input to price, or task definitions only (priced as one task, by the
/// caller, like `--task-definition`).
pub(super) enum Inputs {
    Priced(Box<Report>, Format),
    TaskDefinition(String),
}

/// One path and what it holds (its text, read once; none for a directory).
struct Read {
    path: PathBuf,
    format: Format,
    text: Option<String>,
}

fn read(path: &Path) -> Result<Read, Failure> {
    if path == Path::new("-") {
        return Err(Failure::usage(
            "standard input goes with the flag of its format (--workload -, --task-definition -, --services -, \
             --terraform-plan -, --cloudformation -)",
        ));
    }
    let shown = path.display().to_string();
    if path.is_dir() {
        if path.join("manifest.json").is_file() {
            return Ok(Read { path: path.to_owned(), format: Format::CdkAssembly, text: None });
        }
        return Err(Failure::unpriceable(anyhow!(
            "`{shown}` is a directory without a CDK manifest.json; `cost` reads {}",
            detect::ALL
        )));
    }
    let text = read_input(path, &format!("`{shown}`"), None)?;
    let format = detect::detect(&text).ok_or_else(|| {
        Failure::unpriceable(anyhow!("`{shown}` is none of the formats `cost` reads: {}", detect::ALL))
    })?;
    Ok(Read { path: path.to_owned(), format, text: Some(text) })
}

/// The paths priced: a workload file, a Terraform plan, a template or assembly, or
/// describe-services output (with the task definitions given beside it); or one task definition.
pub(super) fn report(
    paths: &[PathBuf],
    parameters: &[String],
    usage: Option<&Path>,
    pricing: &PricingArgs,
    budget: Option<Decimal>,
    context: &Context<'_>,
) -> Result<Inputs, Failure> {
    let all = paths.iter().map(|p| read(p)).collect::<Result<Vec<_>, _>>()?;
    let (definitions, mut primary): (Vec<Read>, Vec<Read>) =
        all.into_iter().partition(|r| r.format == Format::TaskDefinition);
    let names = |reads: &[Read]| {
        reads
            .iter()
            .map(|r| format!("`{}` ({})", r.path.display(), r.format.name()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(main) = primary.pop() else {
        return match definitions.as_slice() {
            [one] => Ok(Inputs::TaskDefinition(one.path.display().to_string())),
            _ => Err(Failure::usage(format!(
                "{} are task definitions: one prices as one task; several go with describe-services output",
                names(&definitions)
            ))),
        };
    };
    if !primary.is_empty() {
        primary.push(main);
        return Err(Failure::usage(format!("give one input to price at a time; got {}", names(&primary))));
    }
    if !definitions.is_empty() && main.format != Format::Services {
        return Err(Failure::usage(format!(
            "task definitions ({}) go with describe-services output, not with {}",
            names(&definitions),
            main.format.name()
        )));
    }
    if main.format != Format::TerraformPlan && usage.is_some() {
        return Err(Failure::usage("--usage FILE goes with a Terraform plan"));
    }
    if main.format != Format::CloudFormation && main.format != Format::CdkAssembly && !parameters.is_empty() {
        return Err(Failure::usage(
            "--parameter KEY=VALUE goes with a CloudFormation template or CDK assembly",
        ));
    }
    let path = main.path.as_path();
    let text = main.text.as_deref().unwrap_or_default();
    let mut report = match main.format {
        Format::Workload => price::workload_text_report(path, text, pricing, budget, None, context)?,
        Format::TerraformPlan => {
            let usage = load::read_usage(usage, context)?;
            price::plan_text_report(path, text, &usage, pricing, (budget, None), context)?
        }
        Format::CloudFormation => {
            cloudformation::text_report(path, text, parameters, pricing, budget, context)?
        }
        Format::CdkAssembly => cloudformation::report(Some(path), parameters, pricing, budget, context)?,
        Format::Services => {
            let definitions: Vec<String> = definitions.iter().map(|d| d.path.display().to_string()).collect();
            services::report(path, &definitions, pricing, budget, context)?
        }
        Format::Report => {
            return Err(Failure::usage(format!(
                "`{}` is a cost JSON report: compare it with another input with cost diff OLD NEW",
                path.display()
            )));
        }
        Format::TaskDefinition => return Ok(Inputs::TaskDefinition(path.display().to_string())),
    };
    // What was read, unless it is the workload file a bare path has always meant.
    let mut read_as: Vec<String> = (main.format != Format::Workload)
        .then(|| format!("`{}` read as {}, recognised from its content", path.display(), main.format.name()))
        .into_iter()
        .collect();
    read_as.extend(definitions.iter().map(|d| format!("`{}` read as a task definition", d.path.display())));
    report.assumptions.splice(0..0, read_as);
    Ok(Inputs::Priced(Box::new(report), main.format))
}
