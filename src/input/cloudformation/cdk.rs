//! CDK cloud assemblies (the `cdk.out` directory `cdk synth` writes): the stacks its
//! `manifest.json` lists, each a CloudFormation template, with nested stacks followed through
//! their `aws:asset:path` metadata. A stack's items are named `Stack/LogicalId`; the region is the
//! stacks' environment (`aws://ACCOUNT/REGION`) unless `--region` or an unresolved environment
//! says otherwise.
//! <https://docs.aws.amazon.com/cdk/v2/guide/deploy.html#deploy-how-synth-assemblies>

use serde_json::Value;

use super::{Options, ReadFile, TemplateError, add_template, read_template};
use crate::input::inventory::Inventory;

const MANIFEST: &str = "manifest.json";

/// How many templates an assembly may have read in all: nested stacks that nest the same template
/// several times would otherwise multiply without end.
const MAX_TEMPLATES: usize = 1_000;

/// Every stack of the assembly `read` reads from, into one inventory.
pub fn read(read: ReadFile<'_>, options: Options<'_>) -> Result<Inventory, TemplateError> {
    let count = std::cell::Cell::new(0);
    let counted = |path: &str| {
        count.set(count.get() + 1);
        if count.get() > MAX_TEMPLATES {
            return Err(format!("the assembly's stacks nest more than {MAX_TEMPLATES} templates in all"));
        }
        read(path)
    };
    let read: ReadFile<'_> = &counted;
    let text = read(MANIFEST).map_err(|e| TemplateError::NotATemplate(format!("no CDK {MANIFEST}: {e}")))?;
    let manifest: Value =
        serde_json::from_str(&text).map_err(|e| TemplateError::Json(format!("{MANIFEST}: {e}")))?;
    let Some(artifacts) = manifest.get("artifacts").and_then(Value::as_object) else {
        return Err(TemplateError::NotATemplate(format!("{MANIFEST} lists no `artifacts`")));
    };
    let mut inventory = Inventory::default();
    let mut stacks = 0;
    for (id, artifact) in artifacts {
        if artifact.get("type").and_then(Value::as_str) != Some("aws:cloudformation:stack") {
            continue;
        }
        stacks += 1;
        let Some(file) = artifact.pointer("/properties/templateFile").and_then(Value::as_str) else {
            return Err(super::field(&format!("artifacts.{id}.properties.templateFile"), "missing".into()));
        };
        let region = artifact
            .get("environment")
            .and_then(Value::as_str)
            .and_then(|env| env.strip_prefix("aws://"))
            .and_then(|env| env.split_once('/'))
            .map(|(_, region)| region)
            .filter(|region| !region.starts_with("unknown-"));
        if let (None, Some(region)) = (&inventory.region, region) {
            inventory.region = Some(region.to_owned());
        }
        let text =
            read(file).map_err(|e| super::field(&format!("artifacts.{id}"), format!("{file}: {e}")))?;
        let template = read_template(&text).map_err(|e| super::field(file, e.to_string()))?;
        let name = artifact.get("displayName").and_then(Value::as_str).unwrap_or(id);
        let region = options.region.or(region);
        let options = Options { region, nested: Some(read), ..options };
        add_template(&template, &format!("{name}/"), options, 0, &mut inventory)?;
    }
    if stacks == 0 {
        return Err(TemplateError::NotATemplate(format!("{MANIFEST} lists no CloudFormation stack")));
    }
    Ok(inventory)
}
