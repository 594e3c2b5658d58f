//! `--cloudformation FILE|DIR|-`: a template, or a CDK cloud assembly directory, read into an
//! inventory and priced like any other.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use anyhow::anyhow;
use rust_decimal::Decimal;

use super::files::read_input;
use super::price::{Source, inventory_report};
use super::{Context, Failure, PricingArgs};
use crate::input::cloudformation::{self, Options, TemplateError, cdk};
use crate::input::inventory::Inventory;
use crate::report::Report;

/// How messages name the input: a template (or standard input) or an assembly.
fn label(path: &Path) -> String {
    if path == Path::new("-") {
        "CloudFormation template on standard input".to_owned()
    } else if path.is_dir() {
        format!("CDK assembly `{}`", path.display())
    } else {
        format!("CloudFormation template `{}`", path.display())
    }
}

/// `--parameter KEY=VALUE` values, the last of a key winning.
fn parameters(given: &[String]) -> Result<BTreeMap<String, String>, Failure> {
    given
        .iter()
        .map(|p| match p.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_owned(), value.to_owned())),
            _ => Err(Failure::usage(format!(
                "--parameter expects KEY=VALUE (a template parameter and its value), got `{}`",
                crate::render::escape::line(p)
            ))),
        })
        .collect()
}

/// The template or assembly at `path` (`--cloudformation`) priced with the `--parameter` values
/// `given` (see [`inventory_report`]).
pub(super) fn report(
    path: Option<&Path>,
    given: &[String],
    pricing: &PricingArgs,
    budget: Option<Decimal>,
    context: &Context<'_>,
) -> Result<Report, Failure> {
    let Some(path) = path else { return Err(Failure::usage("give --cloudformation FILE|DIR")) };
    let label = label(path);
    if path != Path::new("-") && path.is_dir() {
        let parameters = parameters(given)?;
        let inventory = assembly(path, options(&parameters, pricing, context))
            .map_err(|e| Failure::unpriceable(anyhow!("{label}: {e}")))?;
        return inventory_priced(inventory, &label, pricing, budget, context);
    }
    let text = read_input(path, &label, Some(context.stdin))?;
    text_report(path, &text, given, pricing, budget, context)
}

/// A template's text (read from `path`) priced with the `--parameter` values `given`.
pub(super) fn text_report(
    path: &Path,
    text: &str,
    given: &[String],
    pricing: &PricingArgs,
    budget: Option<Decimal>,
    context: &Context<'_>,
) -> Result<Report, Failure> {
    let parameters = parameters(given)?;
    let label = label(path);
    let inventory = cloudformation::parse(text, options(&parameters, pricing, context))
        .map_err(|e| Failure::unpriceable(anyhow!("{label}: {e}")))?;
    inventory_priced(inventory, &label, pricing, budget, context)
}

/// What a template is read with: the parameters, `--region`, today.
fn options<'a>(
    parameters: &'a BTreeMap<String, String>,
    pricing: &'a PricingArgs,
    context: &Context<'_>,
) -> Options<'a> {
    Options { parameters, region: pricing.region.as_deref(), today: context.today, nested: None }
}

/// The CDK assembly in the directory `path`, read file by file (only files inside it).
fn assembly(path: &Path, options: Options<'_>) -> Result<Inventory, TemplateError> {
    let read = |relative: &str| -> Result<String, String> {
        let inside =
            Path::new(relative).components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !inside {
            return Err(format!("`{relative}` is outside the assembly"));
        }
        let file = path.join(relative);
        read_input(&file, &format!("`{}`", file.display()), None).map_err(|f| f.message())
    };
    cdk::read(&read, options)
}

/// One side of `cost diff` that is a template (its text) or an assembly (`text` is `None`), priced
/// with its parameters' defaults.
pub(super) fn side_report(
    path: &Path,
    text: Option<&str>,
    pricing: &PricingArgs,
    context: &Context<'_>,
) -> Result<Report, Failure> {
    match text {
        Some(text) => text_report(path, text, &[], pricing, None, context),
        None => report(Some(path), &[], pricing, None, context),
    }
}

fn inventory_priced(
    inventory: Inventory,
    label: &str,
    pricing: &PricingArgs,
    budget: Option<Decimal>,
    context: &Context<'_>,
) -> Result<Report, Failure> {
    let from = Source {
        label,
        region: "a CDK stack's environment",
        ec2_fix: |name| {
            format!(
                "price {name} on its instances with a workload file: a [[service]] with launch_type = \"ec2\" and instance_type"
            )
        },
    };
    inventory_report(inventory, &from, pricing, (budget, None), context)
}
