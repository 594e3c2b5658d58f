//! CloudFormation templates (JSON or YAML, short-form intrinsic tags included) and CDK cloud
//! assemblies into an [`Inventory`]: ECS services with their task definitions, EKS clusters and
//! ECR repositories, and every other resource listed as skipped. Values are resolved statically
//! ([`resolve`]): what only a deployment knows makes its item unpriced, with the reason. Pure: the
//! caller reads the files.
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html>

pub mod cdk;
mod ecs;
pub mod resolve;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::input::inventory::Inventory;
use crate::input::task_definition::kind;
use crate::input::{eks, yaml};
use crate::model::{Date, EksCluster, MONTH_HOURS, Skipped, Unpriced};
use resolve::{Scope, Unresolved};

/// Reads a file of a CDK assembly by its path relative to the assembly (the caller bounds it).
pub type ReadFile<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// What a template is read with.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// `--parameter KEY=VALUE` values, which win over the parameters' defaults.
    pub parameters: &'a BTreeMap<String, String>,
    /// The region the stack deploys to, when known (`--region`, a CDK stack's environment).
    pub region: Option<&'a str>,
    /// Today, for the EKS support tier.
    pub today: Option<Date>,
    /// Where nested stacks' templates are read from (a CDK assembly), if anywhere.
    pub nested: Option<ReadFile<'a>>,
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("parameters", &self.parameters)
            .field("region", &self.region)
            .field("today", &self.today)
            .field("nested", &self.nested.is_some())
            .finish()
    }
}

/// How deep nested stacks may go.
const MAX_NESTING: usize = 8;

/// Why a template cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the input is empty")]
    Empty,
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("{0}")]
    Yaml(#[from] yaml::YamlError),
    #[error("not a CloudFormation template: {0}")]
    NotATemplate(String),
    #[error("`{path}`: {message}")]
    Field { path: String, message: String },
}

/// How many nodes YAML aliases may add to a template (a template of 1 MB has far fewer nodes).
const ALIAS_BUDGET: usize = 1_000_000;

/// A template's text as a value: JSON when it starts with `{`, else YAML with CloudFormation's
/// short-form tags (`!Ref X` is `{"Ref": "X"}`, `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`,
/// `!Sub ...` is `{"Fn::Sub": ...}`).
pub fn read_template(text: &str) -> Result<Value, TemplateError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(TemplateError::Empty);
    }
    let value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| TemplateError::Json(e.to_string()))?
    } else {
        let mut documents = yaml::documents(text, &short_form, ALIAS_BUDGET)?;
        match documents.len() {
            1 => documents.remove(0),
            0 => return Err(TemplateError::Empty),
            n => {
                return Err(TemplateError::NotATemplate(format!(
                    "it holds {n} YAML documents; a template is one"
                )));
            }
        }
    };
    match value.get("Resources") {
        Some(Value::Object(_)) => Ok(value),
        Some(other) => Err(field("Resources", format!("expected a map of resources, got {}", kind(other)))),
        None => Err(TemplateError::NotATemplate("it has no `Resources`".into())),
    }
}

/// Whether `text` looks like a template rather than a workload file, a plan or a report: JSON
/// with a top-level `Resources` map, or YAML with a `Resources:` line at the start of a line.
pub fn looks_like_template(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        serde_json::from_str::<Value>(text).is_ok_and(|v| v.get("Resources").is_some_and(Value::is_object))
    } else {
        text.lines().any(|line| line.starts_with("Resources:"))
    }
}

/// A short-form tag as the long form it abbreviates.
fn short_form(tag: &str, value: Value) -> Result<Value, String> {
    let name = tag.strip_prefix('!').ok_or_else(|| format!("unknown tag `{tag}`"))?;
    let long = match name {
        "Ref" | "Condition" => name.to_owned(),
        "GetAtt" => {
            // `!GetAtt Resource.Attribute` is the list form's two parts.
            let value = match value {
                Value::String(s) => match s.split_once('.') {
                    Some((resource, attribute)) => Value::from(vec![resource, attribute]),
                    None => Value::String(s),
                },
                other => other,
            };
            return Ok(Value::Object(Map::from_iter([("Fn::GetAtt".to_owned(), value)])));
        }
        "Base64" | "Cidr" | "FindInMap" | "GetAZs" | "ImportValue" | "Join" | "Select" | "Split" | "Sub"
        | "Transform" | "And" | "Equals" | "If" | "Not" | "Or" | "ToJsonString" | "Length" => {
            format!("Fn::{name}")
        }
        _ => return Err(format!("unknown tag `{tag}` (CloudFormation's are !Ref, !Sub, !GetAtt, !If, ...)")),
    };
    Ok(Value::Object(Map::from_iter([(long, value)])))
}

fn field(path: &str, message: String) -> TemplateError {
    TemplateError::Field { path: path.to_owned(), message }
}

/// A template's items added to `inventory`, named `{prefix}{LogicalId}` (a CDK stack gives
/// `Stack/`); a nested stack's, when `options.nested` can read its template, as
/// `{prefix}{LogicalId}/{NestedId}`, `depth` levels down.
pub fn add_template(
    template: &Value,
    prefix: &str,
    options: Options<'_>,
    depth: usize,
    inventory: &mut Inventory,
) -> Result<(), TemplateError> {
    let empty = Map::new();
    let section = |name: &str| -> Result<Option<&Map<String, Value>>, TemplateError> {
        match template.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(other) => Err(field(name, format!("expected a map, got {}", kind(other)))),
        }
    };
    let resources = section("Resources")?.unwrap_or(&empty);
    let scope = Scope {
        parameters: section("Parameters")?.unwrap_or(&empty),
        given: options.parameters,
        mappings: section("Mappings")?,
        conditions: section("Conditions")?,
        resources,
        region: options.region,
    };
    let mut reader = ecs::Ecs::new(&scope, prefix);
    let mut deferred = Vec::new();
    for (id, resource) in resources {
        let name = format!("{prefix}{id}");
        let Some(kind) = resource.get("Type").and_then(Value::as_str) else {
            return Err(field(&format!("Resources.{id}.Type"), "expected the resource's type".into()));
        };
        let skip = |reason: String| Skipped { name: name.clone(), kind: kind.to_owned(), reason };
        if let Some(condition) = resource.get("Condition").and_then(Value::as_str) {
            match scope.condition(condition) {
                Ok(false) => {
                    inventory
                        .skipped
                        .push(skip(format!("its condition `{condition}` is false: it is not created")));
                    continue;
                }
                Err(Unresolved(why)) if ecs::PRICED.contains(&kind) => {
                    let fix = "give the parameters the condition depends on (--parameter KEY=VALUE)";
                    inventory.unpriced.push(Unpriced::new(
                        &name,
                        format!("its condition `{condition}`: {why}"),
                        fix,
                    ));
                    continue;
                }
                // Created, or of a kind listed as skipped either way.
                Ok(true) | Err(_) => {}
            }
        }
        match kind {
            "AWS::ECS::Service" => reader.service(id, resource, inventory),
            "AWS::ECS::TaskDefinition" | "AWS::ECS::Cluster" | "AWS::ECS::ClusterCapacityProviderAssociations" => {
                deferred.push((id.clone(), kind.to_owned()));
            }
            "AWS::EKS::Cluster" => {
                let version = resource.pointer("/Properties/Version").map(|v| scope.resolve(v));
                let version = match version {
                    Some(Ok(Value::String(v))) => Some(v),
                    Some(Ok(Value::Number(n))) => Some(n.to_string()),
                    _ => None,
                };
                let (support, note) = eks::support(version.as_deref(), options.today);
                if let Some(note) = note {
                    inventory.assumptions.push(format!("{name}: {}", note.replace("until apply", "until deployed")));
                }
                inventory.clusters.push((name.clone(), EksCluster { name, hours: MONTH_HOURS, support }));
            }
            "AWS::ECR::Repository" => inventory.unpriced.push(Unpriced::new(
                &name,
                "how much it stores is not in the template",
                format!("price it with a workload file's [[ecr_repository]] (storage_gb), as {name}"),
            )),
            "AWS::EKS::FargateProfile" => inventory.skipped.push(skip(
                "no charge of its own: the pods it runs are billed as Fargate pods, priced from their requests".into(),
            )),
            "AWS::CloudFormation::Stack" => match (options.nested, nested_path(resource)) {
                (Some(read), Some(path)) if depth < MAX_NESTING => {
                    let text = read(path).map_err(|e| field(&format!("Resources.{id}"), e))?;
                    let nested = read_template(&text).map_err(|e| field(&format!("Resources.{id} ({path})"), e.to_string()))?;
                    let parameters = nested_parameters(resource, &scope);
                    let options = Options { parameters: &parameters, ..options };
                    add_template(&nested, &format!("{name}/"), options, depth + 1, inventory)?;
                }
                _ => inventory.skipped.push(skip(
                    "a nested stack whose template is not at hand: price its template too (a CDK assembly's are followed)"
                        .into(),
                )),
            },
            other => inventory.skipped.push(skip(format!("`cost` does not price {other} resources"))),
        }
    }
    reader.finish(&deferred, inventory);
    Ok(())
}

/// The file a CDK assembly keeps a nested stack's template in (its `aws:asset:path` metadata).
fn nested_path(resource: &Value) -> Option<&str> {
    resource.pointer("/Metadata/aws:asset:path").and_then(Value::as_str)
}

/// The parameters a stack passes its nested stack, where the template decides them.
fn nested_parameters(resource: &Value, scope: &Scope<'_>) -> BTreeMap<String, String> {
    let given = resource.pointer("/Properties/Parameters").and_then(Value::as_object);
    given
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| match scope.resolve(value) {
            Ok(Value::String(s)) => Some((key.clone(), s)),
            Ok(Value::Number(n)) => Some((key.clone(), n.to_string())),
            _ => None,
        })
        .collect()
}

/// One template read whole into an inventory (not a CDK assembly).
pub fn parse(text: &str, options: Options<'_>) -> Result<Inventory, TemplateError> {
    let template = read_template(text)?;
    let mut inventory = Inventory::default();
    add_template(&template, "", options, 0, &mut inventory)?;
    Ok(inventory)
}

#[cfg(test)]
mod tests;
