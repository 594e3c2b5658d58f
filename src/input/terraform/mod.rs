//! Terraform plans as `terraform show -json PLANFILE` prints them (`format_version` 0.1, 0.2 and
//! 1.x) into plain model types: ECS services (with the task definitions they use), EKS clusters and ECR
//! repositories, plus what was assumed and what was skipped, with why. Pure: the caller reads the
//! plan and the usage file and hands in their text, and today's date.
//!
//! What is priced is what the plan will create or keep: `planned_values` (resources the plan
//! deletes are absent there). Links between resources (a service's task definition and cluster)
//! come from the `configuration` section's expression `references`, through modules
//! (`module_calls`, module outputs and input variables) and `count`/`for_each` instances, since a
//! new task definition's ARN is unknown at plan time.
//!
//! Here: the plan's shape and one pass over its resources by type. `walk` finds the instances and
//! follows references; `ecs` maps a service to tasks; `eks` an EKS cluster's support tier; `usage`
//! reads the usage file; `index` finds resource blocks by module and name.

mod ecs;

mod index;
pub mod usage;
mod walk;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::input::task_definition::kind;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::input::capacity::ACCEPT_THE_GAP;
use crate::input::eks;
use crate::input::inventory::{Inventory, Service};
use crate::model::Date;
use crate::model::{EcrRepository, EksCluster, MONTH_HOURS, Skipped, Support, Unpriced};
use crate::money::Exact;
use index::Index;
pub use usage::{ResourceUsage, Usage};
pub use walk::strip_keys;
use walk::{Instance, collect_instances, collect_modules};

/// What a plan asks to price.
pub type Plan = Inventory;

/// Why a service of the plan is not priced: it could not be (with the fix), or it runs nothing.
enum Gap {
    Unpriced { reason: String, fix: String },
    NoTasks(String),
}

impl Gap {
    fn unpriced(reason: impl Into<String>, fix: impl Into<String>) -> Self {
        Gap::Unpriced { reason: reason.into(), fix: fix.into() }
    }
}

/// The fix for a value the plan does not know: give `key` for `address` in the usage file.
fn in_usage_file(address: &str, key: &str) -> String {
    format!("give `{key}` for {address} in a usage file (--usage)")
}

/// Why a plan cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the input is empty")]
    Empty,
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("not a Terraform plan (`terraform show -json PLANFILE` output): {0}")]
    NotAPlan(String),
    #[error("format_version {0} is not supported: this build reads 0.1, 0.2 and 1.x")]
    Version(String),
    #[error("`{path}`: {message}")]
    Field { path: String, message: String },
    /// Terraform never plans two instances at one address: such a file was edited or assembled,
    /// and pricing both would count one resource twice.
    #[error("the resource address `{0}` appears twice in planned_values; a plan has each address once")]
    DuplicateAddress(String),
}

/// Whether `value` is plan JSON: it has `format_version` and `planned_values`.
pub fn is_plan(value: &Value) -> bool {
    value.get("format_version").is_some() && value.get("planned_values").is_some()
}

/// Whether `text` is plan JSON (see [`is_plan`]), or broken JSON that names Terraform's top-level
/// keys (a truncated plan is a bad plan, not a bad cost report).
pub fn looks_like_plan(text: &str) -> bool {
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return is_plan(&value);
    }
    // Cut short or broken: a plan's `format_version` or `terraform_version` key near the start
    // (`terraform show` writes them first; other writers sort keys), which a cost report never has.
    let head = text.as_bytes().get(..1 << 16).unwrap_or(text.as_bytes());
    [&b"\"format_version\""[..], b"\"terraform_version\""]
        .iter()
        .any(|key| memchr::memmem::find(head, key).is_some())
}

/// How many module calls or variables a reference may be followed through.
const MAX_DEPTH: u32 = 32;

/// Reads a plan. `today` decides EKS support tiers.
pub fn parse(text: &str, usage: &Usage, today: Option<Date>) -> Result<Plan, PlanError> {
    if text.trim().is_empty() {
        return Err(PlanError::Empty);
    }
    let root: Value = serde_json::from_str(text).map_err(|e| PlanError::Json(e.to_string()))?;
    let root = root
        .as_object()
        .ok_or_else(|| PlanError::NotAPlan(format!("expected an object, got {}", kind(&root))))?;
    match root.get("format_version") {
        None => return Err(PlanError::NotAPlan("it has no `format_version`".into())),
        // 0.1 (Terraform 0.12-0.14) and 0.2 (0.15) have 1.x's `planned_values` and `configuration`.
        Some(Value::String(v)) if matches!(v.as_str(), "0.1" | "0.2") || v.split('.').next() == Some("1") => {
        }
        Some(Value::String(v)) => return Err(PlanError::Version(v.clone())),
        Some(other) => {
            return Err(field("format_version", format!("expected a string, got {}", kind(other))));
        }
    }
    let planned = match root.get("planned_values") {
        Some(Value::Object(p)) => p,
        None => return Err(PlanError::NotAPlan("it has no `planned_values`".into())),
        Some(other) => {
            return Err(field("planned_values", format!("expected an object, got {}", kind(other))));
        }
    };
    let mut instances = Vec::new();
    if let Some(module) = planned.get("root_module") {
        collect_instances(module, "planned_values.root_module", "", 0, &mut instances)?;
    }
    let mut addresses = std::collections::HashSet::with_capacity(instances.len());
    if let Some(twice) = instances.iter().find(|i| !addresses.insert(i.address.as_str())) {
        return Err(PlanError::DuplicateAddress(twice.address.clone()));
    }
    let mut modules = BTreeMap::new();
    let configuration = match root.get("configuration") {
        None | Some(Value::Null) => None,
        Some(Value::Object(c)) => Some(c),
        Some(other) => {
            return Err(field("configuration", format!("expected an object, got {}", kind(other))));
        }
    };
    if let Some(module) = configuration.and_then(|c| c.get("root_module")) {
        collect_modules(module, "configuration.root_module", String::new(), 0, &mut modules)?;
    }
    let index = Index::new(&instances, &modules);
    let mut plan = Reader {
        instances,
        modules,
        index,
        providers: HashMap::new(),
        usage,
        variables: root.get("variables"),
    };
    plan.providers = plan.cluster_providers();
    Ok(plan.read(configuration, today))
}

fn field(path: &str, message: String) -> PlanError {
    PlanError::Field { path: path.to_owned(), message }
}

struct Reader<'a> {
    instances: Vec<Instance<'a>>,
    modules: BTreeMap<String, &'a Map<String, Value>>,
    index: Index<'a>,
    /// The `aws_ecs_cluster_capacity_providers` instances (positions in `instances`, in plan
    /// order) of each cluster, by the cluster's address.
    providers: HashMap<String, Vec<usize>>,
    usage: &'a Usage,
    variables: Option<&'a Value>,
}

impl Reader<'_> {
    fn read(&self, configuration: Option<&Map<String, Value>>, today: Option<Date>) -> Plan {
        let mut plan = Plan { region: self.region(configuration), ..Plan::default() };
        let mut used_definitions = BTreeSet::new();
        let mut default_hours = false;
        for instance in &self.instances {
            let address = &instance.address;
            let usage = self.usage.for_address(address);
            let hours = usage.and_then(|u| u.hours).or(self.usage.hours);
            match instance.resource_type {
                "aws_ecs_service" => {
                    default_hours |= hours.is_none();
                    match self.service(instance, usage, hours, &mut used_definitions, &mut plan.assumptions) {
                        Ok(services) => {
                            plan.services.extend(services.into_iter().map(|(name, input)| Service {
                                name,
                                input,
                                definition: None,
                            }));
                        }
                        Err(Gap::Unpriced { reason, fix }) => {
                            plan.unpriced.push(Unpriced::new(address.clone(), reason, fix));
                        }
                        Err(Gap::NoTasks(reason)) => plan.skipped.push(Skipped {
                            name: address.clone(),
                            kind: instance.resource_type.to_owned(),
                            reason,
                        }),
                    }
                }
                "aws_eks_cluster" => {
                    default_hours |= hours.is_none();
                    let cluster = Self::cluster(instance, hours, today, &mut plan.assumptions);
                    plan.clusters.push((address.clone(), cluster));
                }
                "aws_ecr_repository" => {
                    let Some(storage) = usage.and_then(|u| u.storage_gb) else {
                        plan.unpriced.push(Unpriced::new(
                            address.clone(),
                            "how much it stores is not in the plan",
                            in_usage_file(address, "storage_gb"),
                        ));
                        continue;
                    };
                    let months = usage.and_then(|u| u.months);
                    if months.is_none() {
                        plan.assumptions.push(format!(
                            "{address}: its images are stored for 1 month (give `months` for it in a usage file, --usage)"
                        ));
                    }
                    let repository = EcrRepository {
                        name: address.clone(),
                        storage_gb: storage.0,
                        months: months.map_or(Decimal::ONE, |m| m.0),
                    };
                    plan.repositories.push((address.clone(), repository));
                }
                _ => {}
            }
        }
        for instance in &self.instances {
            let reason = match instance.resource_type {
                "aws_ecs_service" | "aws_eks_cluster" | "aws_ecr_repository" => continue,
                "aws_ecs_task_definition" if used_definitions.contains(&instance.address) => continue,
                "aws_ecs_task_definition" => {
                    "no aws_ecs_service in the plan uses this task definition".to_owned()
                }
                "aws_eks_fargate_profile" => {
                    "a Fargate profile costs nothing by itself; the pods it schedules bill as \
                    Fargate (price them with `cost estimate --platform eks`)"
                        .to_owned()
                }
                "aws_ecs_cluster" | "aws_ecs_cluster_capacity_providers" | "aws_ecs_capacity_provider" => {
                    "no charge of its own; the services in it are priced".to_owned()
                }
                other => format!("`cost` does not price {other} resources"),
            };
            plan.skipped.push(Skipped {
                name: instance.address.clone(),
                kind: instance.resource_type.to_owned(),
                reason,
            });
        }
        if default_hours {
            plan.assumptions.push(
                "services and clusters run 730 hours (one month) unless the usage file (--usage) gives `hours`".into(),
            );
        }
        let addresses: BTreeSet<String> = if self.usage.resource.is_empty() {
            BTreeSet::new()
        } else {
            self.instances.iter().flat_map(|i| [i.address.clone(), strip_keys(&i.address)]).collect()
        };
        for key in self.usage.resource.keys() {
            if !addresses.contains(key) {
                plan.assumptions
                    .push(format!("the usage file's entry for `{key}` matches no resource in the plan"));
            }
        }
        plan
    }

    /// The default AWS provider's region: a constant, or a root variable's value.
    fn region(&self, configuration: Option<&Map<String, Value>>) -> Option<String> {
        let region = configuration?.get("provider_config")?.get("aws")?.get("expressions")?.get("region")?;
        if let Some(constant) = region.get("constant_value").and_then(Value::as_str) {
            return Some(constant.to_owned());
        }
        let reference = region.get("references")?.as_array()?.iter().find_map(Value::as_str)?;
        let name = reference.strip_prefix("var.")?;
        self.variables?.get(name)?.get("value")?.as_str().map(str::to_owned)
    }

    fn cluster(
        instance: &Instance<'_>,
        hours: Option<Exact>,
        today: Option<Date>,
        assumptions: &mut Vec<String>,
    ) -> EksCluster {
        let address = &instance.address;
        let version = instance.string("version");
        let (mut support, note) = eks::support(version, today);
        if let Some(note) = note {
            assumptions.push(format!("{address}: {note}"));
        }
        let policy = instance
            .value("upgrade_policy")
            .and_then(Value::as_array)
            .and_then(|p| p.first())
            .and_then(|p| p.get("support_type"))
            .and_then(Value::as_str);
        if support == Support::Extended && policy == Some("STANDARD") {
            support = Support::Standard;
            assumptions.push(format!(
                "{address}: its upgrade_policy is STANDARD, so AWS upgrades it at the end of standard support: standard fee"
            ));
        }
        EksCluster { name: address.clone(), hours: hours.map_or(MONTH_HOURS, |h| h.0), support }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn malformed_plans_are_errors_not_panics() {
        let usage = Usage::default();
        for text in [
            "",
            "nope",
            "[]",
            "{}",
            "{\"format_version\": 1}",
            "{\"format_version\": \"1.0\"}",
            "{\"format_version\": \"1.0\", \"planned_values\": []}",
            "{\"format_version\": \"1.0\", \"planned_values\": {\"root_module\": {\"child_modules\": [{}]}}}",
            "{\"format_version\": \"1.0\", \"planned_values\": {}, \"configuration\": {\"root_module\": {\"module_calls\": 3}}}",
        ] {
            assert!(parse(text, &usage, None).is_err(), "{text}");
        }
        assert_eq!(
            parse("{\"format_version\": \"1.0\", \"planned_values\": {}}", &usage, None),
            Ok(Plan::default())
        );
    }

    #[test]
    fn links_a_service_to_its_definition_and_reads_the_definition() {
        let text = json!({
            "format_version": "1.2",
            "planned_values": { "root_module": { "resources": [
                { "address": "aws_ecs_service.s", "mode": "managed", "type": "aws_ecs_service", "name": "s",
                  "values": { "desired_count": 2, "launch_type": "FARGATE" } },
                { "address": "aws_ecs_task_definition.t", "mode": "managed", "type": "aws_ecs_task_definition", "name": "t",
                  "values": { "cpu": "512", "memory": "1024", "ephemeral_storage": [{ "size_in_gib": 30 }],
                              "runtime_platform": [{ "cpu_architecture": "ARM64", "operating_system_family": "LINUX" }] } },
                { "address": "data.aws_iam_policy_document.p", "mode": "data", "type": "aws_iam_policy_document", "name": "p" },
            ]}},
            "configuration": { "provider_config": { "aws": { "expressions": { "region": { "constant_value": "eu-west-1" } } } },
              "root_module": { "resources": [
                { "address": "aws_ecs_service.s", "mode": "managed", "type": "aws_ecs_service", "name": "s",
                  "expressions": { "task_definition": { "references": ["aws_ecs_task_definition.t.arn", "aws_ecs_task_definition.t"] } } },
            ]}},
        })
        .to_string();
        let plan = parse(&text, &Usage::default(), None).unwrap();
        assert_eq!(plan.region.as_deref(), Some("eu-west-1"));
        assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
        let [Service { name, input, .. }] = plan.services.as_slice() else { panic!("{:?}", plan.services) };
        assert_eq!(name, "aws_ecs_service.s");
        let task = input.to_task(None).unwrap();
        assert_eq!(
            (task.count, task.arch, task.launch_type),
            (2, crate::model::Arch::Arm64, crate::model::LaunchType::Fargate)
        );
        assert_eq!(task.size.vcpu, Decimal::new(5, 1));
        assert_eq!(task.ephemeral_storage_gb, Decimal::from(30));
    }
}
