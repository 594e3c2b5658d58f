//! `--services FILE|-`: what `aws ecs describe-services` prints, priced with the task definitions
//! its services use (`--task-definition FILE|DIR`, repeatable; a folder gives every `*.json` in it).

use std::path::Path;

use anyhow::anyhow;
use rust_decimal::Decimal;

use super::files::{json_files, read_input};
use super::price::{Source, inventory_report};
use super::{Context, Failure, PricingArgs};
use crate::input::services::{self, Definition};
use crate::report::Report;

/// How messages name describe-services output: ``services `s.json` `` or `services on standard
/// input`.
pub(super) fn label(path: &Path) -> String {
    if path == Path::new("-") {
        "services on standard input".to_owned()
    } else {
        format!("services `{}`", path.display())
    }
}

/// The services of `path` (standard input for `-`) priced as an inventory, with the task
/// definitions `given` (files, folders of `*.json`, or `-` for standard input when the services
/// are not on it).
pub(super) fn report(
    path: &Path,
    given: &[String],
    pricing: &PricingArgs,
    budget: Option<Decimal>,
    context: &Context<'_>,
) -> Result<Report, Failure> {
    let label = label(path);
    let text = read_input(path, &label, Some(context.stdin))?;
    let mut stdin_read = path == Path::new("-");
    let mut definitions = Vec::new();
    for name in given {
        let one = Path::new(name);
        if name == "-" {
            if stdin_read {
                return Err(Failure::usage(
                    "standard input is read once: give it the services or one task definition, not both",
                ));
            }
            stdin_read = true;
            definitions.push(definition(one, "task definition on standard input", context)?);
        } else if one.is_dir() {
            for file in json_files(one, &format!("task definition folder `{name}`"))? {
                definitions.push(definition(
                    &file,
                    &format!("task definition `{}`", file.display()),
                    context,
                )?);
            }
        } else {
            definitions.push(definition(one, &format!("task definition `{name}`"), context)?);
        }
    }
    let inventory = services::parse(&text, &definitions).map_err(|e| anyhow!("{label}: {e}"))?;
    let from = Source {
        label: &label,
        region: "the services' ARNs",
        ec2_fix: |name| {
            format!(
                "price {name}'s container instances: cost estimate --launch-type ec2 --instance-type TYPE \
                 --task-definition FILE --count N (aws ecs describe-container-instances names their types)"
            )
        },
    };
    inventory_report(inventory, &from, pricing, (budget, None), context)
}

/// One task definition for the services, read and parsed; `label` names it in messages.
fn definition(path: &Path, label: &str, context: &Context<'_>) -> Result<Definition, Failure> {
    let text = read_input(path, label, Some(context.stdin))?;
    services::definition(label, &text).map_err(|e| Failure::unpriceable(anyhow!("{label}: {e}")))
}
