//! Terraform plans as `terraform show -json PLANFILE` prints them (`format_version` 1.x) into plain
//! model types: ECS services (with the task definitions they use), EKS clusters and ECR
//! repositories, plus what was assumed and what was skipped, with why. Pure: the caller reads the
//! plan and the usage file and hands in their text, and today's date.
//!
//! What is priced is what the plan will create or keep: `planned_values` (resources the plan
//! deletes are absent there). Links between resources (a service's task definition and cluster)
//! come from the `configuration` section's expression `references`, through modules
//! (`module_calls`, module outputs and input variables) and `count`/`for_each` instances, since a
//! new task definition's ARN is unknown at plan time.

pub mod eks;
mod index;
pub mod usage;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::input::task_definition::kind;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::input::{LaunchWhy, TaskDefinition, TaskInput, task_definition};
use crate::model::Date;
use crate::model::{EcrRepository, EksCluster, LaunchType, MONTH_HOURS, Pricing, Skipped, Support, Unpriced};
use crate::money::Exact;
use index::{Index, Place};
pub use usage::{ResourceUsage, Usage};

/// What a plan asks to price.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The AWS provider's region, when the plan states it.
    pub region: Option<String>,
    /// ECS services, by item name (the resource address, with the capacity provider for a split
    /// strategy), keyed like a workload `[[service]]`.
    pub services: Vec<(String, TaskInput)>,
    pub clusters: Vec<(String, EksCluster)>,
    pub repositories: Vec<(String, EcrRepository)>,
    /// Services and repositories the plan has that cannot be priced from it, with the fix.
    pub unpriced: Vec<Unpriced>,
    /// Resources of kinds `cost` does not price (and services that run no task).
    pub skipped: Vec<Skipped>,
    /// Every value the plan could not give and that was assumed.
    pub assumptions: Vec<String>,
}

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

/// The fix where `cost` has none to offer.
const ACCEPT_THE_GAP: &str = "none that `cost` offers: it does not price this";

/// Why a plan cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the input is empty")]
    Empty,
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("not a Terraform plan (`terraform show -json PLANFILE` output): {0}")]
    NotAPlan(String),
    #[error("format_version {0} is not supported: this build reads 1.x")]
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

/// Whether `text` is plan JSON (see [`is_plan`]), or broken JSON whose first key is Terraform's
/// `format_version` (a truncated plan is a bad plan, not a bad cost report).
pub fn looks_like_plan(text: &str) -> bool {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => is_plan(&value),
        Err(_) => text
            .trim_start()
            .strip_prefix('{')
            .is_some_and(|rest| rest.trim_start().starts_with("\"format_version\"")),
    }
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
        Some(Value::String(v)) if v.split('.').next() == Some("1") => {}
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

/// One resource instance of `planned_values`.
struct Instance<'a> {
    address: String,
    /// The module instance it is in (`module.api["a"]`), empty at the root.
    module: String,
    /// `module` without instance keys (`module.api`): the configuration module.
    module_path: String,
    resource_type: &'a str,
    name: &'a str,
    index: Option<&'a Value>,
    values: Option<&'a Map<String, Value>>,
}

impl<'a> Instance<'a> {
    fn value(&self, key: &str) -> Option<&'a Value> {
        self.values.and_then(|v| v.get(key)).filter(|v| !v.is_null())
    }

    fn string(&self, key: &str) -> Option<&'a str> {
        self.value(key).and_then(Value::as_str).filter(|s| !s.is_empty())
    }
}

fn collect_instances<'a>(
    module: &'a Value,
    path: &str,
    module_address: &str,
    depth: u32,
    out: &mut Vec<Instance<'a>>,
) -> Result<(), PlanError> {
    if depth > MAX_DEPTH {
        return Err(field(path, "modules nest too deeply".into()));
    }
    let module =
        module.as_object().ok_or_else(|| field(path, format!("expected an object, got {}", kind(module))))?;
    for (i, resource) in array(module.get("resources"), &format!("{path}.resources"))?.iter().enumerate() {
        let at = format!("{path}.resources[{i}]");
        let object = resource
            .as_object()
            .ok_or_else(|| field(&at, format!("expected an object, got {}", kind(resource))))?;
        let text = |key: &str| -> Result<&'a str, PlanError> {
            match object.get(key) {
                Some(Value::String(s)) => Ok(s),
                Some(other) => {
                    Err(field(&format!("{at}.{key}"), format!("expected a string, got {}", kind(other))))
                }
                None => Err(field(&at, format!("has no `{key}`"))),
            }
        };
        let (address, mode, resource_type, name) =
            (text("address")?, text("mode")?, text("type")?, text("name")?);
        let values = match object.get("values") {
            None | Some(Value::Null) => None,
            Some(Value::Object(v)) => Some(v),
            Some(other) => {
                return Err(field(
                    &format!("{at}.values"),
                    format!("expected an object, got {}", kind(other)),
                ));
            }
        };
        if mode != "managed" {
            continue;
        }
        out.push(Instance {
            address: address.to_owned(),
            module: module_address.to_owned(),
            module_path: strip_keys(module_address),
            resource_type,
            name,
            index: object.get("index").filter(|i| !i.is_null()),
            values,
        });
    }
    for (i, child) in array(module.get("child_modules"), &format!("{path}.child_modules"))?.iter().enumerate()
    {
        let at = format!("{path}.child_modules[{i}]");
        let address = match child.get("address") {
            Some(Value::String(a)) => a.as_str(),
            _ => return Err(field(&at, "has no `address` string".into())),
        };
        collect_instances(child, &at, address, depth + 1, out)?;
    }
    Ok(())
}

fn array<'a>(value: Option<&'a Value>, path: &str) -> Result<&'a [Value], PlanError> {
    match value {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(field(path, format!("expected an array, got {}", kind(other)))),
    }
}

/// Every configuration module by its path (`""`, `module.api`, `module.api.module.inner`).
fn collect_modules<'a>(
    module: &'a Value,
    path: &str,
    module_path: String,
    depth: u32,
    out: &mut BTreeMap<String, &'a Map<String, Value>>,
) -> Result<(), PlanError> {
    if depth > MAX_DEPTH {
        return Err(field(path, "modules nest too deeply".into()));
    }
    let object =
        module.as_object().ok_or_else(|| field(path, format!("expected an object, got {}", kind(module))))?;
    if let Some(calls) = object.get("module_calls").filter(|c| !c.is_null()) {
        let calls = calls.as_object().ok_or_else(|| {
            field(&format!("{path}.module_calls"), format!("expected an object, got {}", kind(calls)))
        })?;
        for (name, call) in calls {
            if let Some(child) = call.get("module") {
                let child_path = join(&module_path, &format!("module.{name}"));
                collect_modules(
                    child,
                    &format!("{path}.module_calls.{name}.module"),
                    child_path,
                    depth + 1,
                    out,
                )?;
            }
        }
    }
    out.insert(module_path, object);
    Ok(())
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() { child.to_owned() } else { format!("{parent}.{child}") }
}

/// An address without its instance keys: `module.a["x"].aws_ecs_service.s[0]` →
/// `module.a.aws_ecs_service.s`. Quoted keys may hold brackets and dots.
pub fn strip_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let (mut depth, mut quoted, mut escaped) = (0u32, false, false);
    for c in address.chars() {
        if depth > 0 {
            match c {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                '[' if !quoted => depth += 1,
                ']' if !quoted => depth -= 1,
                _ => {}
            }
        } else if c == '[' {
            depth = 1;
        } else {
            out.push(c);
        }
    }
    out
}

/// The strings of an expression's `references`.
fn references(expressions: Option<&Map<String, Value>>, key: &str) -> Vec<String> {
    expressions
        .and_then(|e| e.get(key))
        .and_then(|e| e.get("references"))
        .and_then(Value::as_array)
        .map(|refs| refs.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// A capacity provider strategy entry.
struct Share {
    provider: String,
    base: u64,
    weight: u64,
}

fn strategy(value: Option<&Value>) -> Vec<Share> {
    let number = |item: &Value, key: &str| item.get(key).and_then(Value::as_u64).unwrap_or(0);
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| {
                    let provider = item.get("capacity_provider")?.as_str()?.to_owned();
                    Some(Share { provider, base: number(item, "base"), weight: number(item, "weight") })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// How a service's tasks are placed.
enum Placement {
    Launch(LaunchType, Option<String>),
    Strategy(Vec<Share>, String),
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

impl<'a> Reader<'a> {
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
                        Ok(services) => plan.services.extend(services),
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

    /// The resource blocks of type `want` that `reference` (made in module `scope`) points to, as
    /// `(module path, name)`, following module outputs and input variables. `seen` holds the
    /// `(scope, reference)` pairs already followed: each is followed once, so references that
    /// loop through outputs and variables (found while writing the fuzz generator) cost linear, not exponential, time.
    fn resolve(&self, scope: &str, reference: &str, want: &str, depth: u32, found: &mut Found) {
        if depth > MAX_DEPTH || !found.seen.insert((scope.to_owned(), reference.to_owned())) {
            return;
        }
        let out = &mut found.targets;
        let segments: Vec<String> = reference.split('.').map(strip_keys).collect();
        let segment = |i: usize| segments.get(i).map(String::as_str);
        match (segment(0), segment(1), segment(2)) {
            (Some(t), Some(name), _) if t == want => {
                out.insert((scope.to_owned(), name.to_owned()));
            }
            (Some("module"), Some(call), Some(output)) => {
                let child = join(scope, &format!("module.{call}"));
                let refs = self
                    .modules
                    .get(&child)
                    .and_then(|m| m.get("outputs"))
                    .and_then(|o| o.get(output))
                    .and_then(|o| o.get("expression"))
                    .and_then(|e| e.get("references"))
                    .and_then(Value::as_array);
                for r in refs.into_iter().flatten().filter_map(Value::as_str) {
                    self.resolve(&child, r, want, depth + 1, found);
                }
            }
            (Some("var"), Some(variable), _) => {
                let Some((parent, call)) = scope.rsplit_once("module.") else { return };
                let parent = parent.strip_suffix('.').unwrap_or(parent);
                let expressions = self
                    .modules
                    .get(parent)
                    .and_then(|m| m.get("module_calls"))
                    .and_then(|c| c.get(call))
                    .and_then(|c| c.get("expressions"))
                    .and_then(Value::as_object);
                for r in references(expressions, variable) {
                    self.resolve(parent, &r, want, depth + 1, found);
                }
            }
            _ => {}
        }
    }

    /// The instances of type `want` that the expression `key` of `from` refers to; with several
    /// (`count`, `for_each`), the one with `from`'s module instance and index if there is one.
    ///
    /// The instances are counted in the index and only those returned are gathered: a `count` or
    /// `for_each` of many services, each linked to its own task definition, reads in linear time.
    fn linked(&self, from: &Instance<'_>, key: &str, want: &str) -> Vec<&Instance<'a>> {
        let expressions = self.index.config(&from.module_path, from.resource_type, from.name);
        let mut found = Found::default();
        for r in references(expressions, key) {
            self.resolve(&from.module_path, &r, want, 0, &mut found);
        }
        let blocks: Vec<&index::Block> =
            found.targets.iter().filter_map(|(m, n)| self.index.block(m, want, n)).collect();
        let at = |place| blocks.iter().flat_map(move |b| b.at(place, from, &self.instances)).copied();
        // Of several, those in `from`'s module instance (the one with its index, if one is),
        // else the one with its index, else all.
        let place = if at(Place::All).count() <= 1 {
            Place::All
        } else if at(Place::Module).next().is_some() {
            if at(Place::Both).count() == 1 { Place::Both } else { Place::Module }
        } else if at(Place::Index).count() == 1 {
            Place::Index
        } else {
            Place::All
        };
        let mut at: Vec<usize> = at(place).collect();
        at.sort_unstable();
        at.into_iter().map(|i| &self.instances[i]).collect()
    }

    /// The `aws_ecs_cluster_capacity_providers` instances of each cluster, by its address: found
    /// once, not for each service.
    fn cluster_providers(&self) -> HashMap<String, Vec<usize>> {
        let mut providers: HashMap<String, Vec<usize>> = HashMap::new();
        for (at, instance) in self.instances.iter().enumerate() {
            if instance.resource_type != "aws_ecs_cluster_capacity_providers" {
                continue;
            }
            for cluster in self.linked(instance, "cluster_name", "aws_ecs_cluster") {
                let of_cluster = providers.entry(cluster.address.clone()).or_default();
                if of_cluster.last() != Some(&at) {
                    of_cluster.push(at);
                }
            }
        }
        providers
    }

    fn service(
        &self,
        service: &Instance<'_>,
        usage: Option<&ResourceUsage>,
        hours: Option<Exact>,
        used_definitions: &mut BTreeSet<String>,
        assumptions: &mut Vec<String>,
    ) -> Result<Vec<(String, TaskInput)>, Gap> {
        let address = &service.address;
        if service.string("scheduling_strategy") == Some("DAEMON") {
            return Err(Gap::unpriced(
                "a DAEMON service runs one task on each container instance: its cost is that of the instances",
                ACCEPT_THE_GAP,
            ));
        }
        let count = match (usage.and_then(|u| u.desired_count), service.value("desired_count")) {
            (Some(n), _) => n,
            (None, Some(n)) => n.as_u64().ok_or_else(|| {
                Gap::unpriced(
                    format!("desired_count {n} is not a whole number"),
                    in_usage_file(address, "desired_count"),
                )
            })?,
            (None, None) => {
                return Err(Gap::unpriced(
                    "desired_count is not known until apply",
                    in_usage_file(address, "desired_count"),
                ));
            }
        };
        if count == 0 {
            return Err(Gap::NoTasks("desired_count is 0: no tasks run".into()));
        }
        let (definition_address, definition) = self.definition(service)?;
        used_definitions.insert(definition_address.clone());
        let placement = self.placement(service, &definition)?;
        let base = TaskInput {
            name: Some(address.clone()),
            vcpu: definition.vcpu.map(Exact),
            memory: definition.memory_gb.map(Exact),
            arch: definition.arch,
            os: definition.os,
            ephemeral_storage: definition.ephemeral_storage_gb.map(Exact),
            hours,
            data_transfer: usage.and_then(|u| u.data_transfer),
            ..TaskInput::default()
        };
        let shares = match placement {
            Placement::Launch(launch_type, note) => {
                if let Some(note) = note {
                    assumptions.push(format!("{address}: {note}"));
                }
                vec![(address.clone(), launch_type, Pricing::OnDemand, count)]
            }
            Placement::Strategy(shares, from) => {
                let (on_demand, spot, note) = split(count, &shares).map_err(|e| {
                    Gap::unpriced(format!("{e} ({from})"), "give the capacity providers a weight above 0")
                })?;
                assumptions.push(format!("{address}: {note} ({from})"));
                let named = |provider: &str| {
                    if on_demand > 0 && spot > 0 {
                        format!("{address} ({provider})")
                    } else {
                        address.clone()
                    }
                };
                let mut out = Vec::new();
                if on_demand > 0 {
                    out.push((named("FARGATE"), LaunchType::Fargate, Pricing::OnDemand, on_demand));
                }
                if spot > 0 {
                    out.push((named("FARGATE_SPOT"), LaunchType::Fargate, Pricing::Spot, spot));
                }
                out
            }
        };
        let mut services = Vec::new();
        for (name, launch_type, pricing, count) in shares {
            let mut input = TaskInput {
                name: Some(name.clone()),
                launch_type: Some(launch_type),
                count: Some(count),
                pricing: (pricing == Pricing::Spot).then_some(pricing),
                ..base.clone()
            };
            if launch_type == LaunchType::Ec2 {
                if input.vcpu.is_none() || input.memory.is_none() {
                    let total = definition.containers_total;
                    input.vcpu = input.vcpu.or(total.map(|s| Exact(s.vcpu)));
                    input.memory = input.memory.or(total.map(|s| Exact(s.memory_gb)));
                }
                input.instance_type = usage.and_then(|u| u.instance_type.clone());
                input.instances = usage.and_then(|u| u.instances);
            }
            if input.vcpu.is_none() || input.memory.is_none() {
                return Err(Gap::unpriced(
                    format!(
                        "its task definition {definition_address} has no task-level cpu and memory known at plan time"
                    ),
                    format!("give {definition_address} a task-level `cpu` and `memory`"),
                ));
            }
            services.push((name, input));
        }
        Ok(services)
    }

    /// The task definition a service uses: linked by its `task_definition` expression's references
    /// (a new definition's ARN is unknown at plan time), else by a known family name.
    fn definition(&self, service: &Instance<'_>) -> Result<(String, TaskDefinition), Gap> {
        const IN_THE_PLAN: &str = "plan the task definition as an aws_ecs_task_definition that the \
            service's task_definition refers to, or price it with --task-definition";
        let linked = self.linked(service, "task_definition", "aws_ecs_task_definition");
        let instance = match linked.as_slice() {
            [one] => *one,
            [_, _, ..] => {
                let all: Vec<&str> = linked.iter().map(|i| i.address.as_str()).collect();
                return Err(Gap::unpriced(
                    format!("its task_definition could be any of {}: cannot tell which", all.join(", ")),
                    "refer to one aws_ecs_task_definition instance (one index or key)",
                ));
            }
            [] => {
                let Some(known) = service.string("task_definition") else {
                    return Err(Gap::unpriced(
                        "its task_definition is not known at plan time and does not refer to an \
                        aws_ecs_task_definition in the plan",
                        IN_THE_PLAN,
                    ));
                };
                let family = known.rsplit('/').next().unwrap_or(known);
                let family = family.split(':').next().unwrap_or(family);
                match self.index.family(family) {
                    [one] => &self.instances[*one],
                    _ => {
                        return Err(Gap::unpriced(
                            format!("its task definition `{known}` is not in the plan"),
                            IN_THE_PLAN,
                        ));
                    }
                }
            }
        };
        let definition = read_definition(instance).map_err(|e| {
            Gap::unpriced(
                format!("its task definition {}: {e}", instance.address),
                format!("correct {}", instance.address),
            )
        })?;
        Ok((instance.address.clone(), definition))
    }

    /// Where the tasks run: `launch_type`, else the service's capacity provider strategy, else its
    /// cluster's default strategy, else what its task definition is for.
    fn placement(&self, service: &Instance<'_>, definition: &TaskDefinition) -> Result<Placement, Gap> {
        let compat = &definition.requires_compatibilities;
        let given = |launch_type| {
            crate::input::launch_type(Some(launch_type), compat, LaunchType::Ec2)
                .map(|_| Placement::Launch(launch_type, None))
                .map_err(|e| Gap::unpriced(e.to_string(), "ECS would refuse it: correct the launch type"))
        };
        match service.string("launch_type") {
            Some("FARGATE") => return given(LaunchType::Fargate),
            Some("EC2") => return given(LaunchType::Ec2),
            Some("EXTERNAL") => {
                return Err(Gap::unpriced(
                    "launch type EXTERNAL (ECS Anywhere) bills per registered instance, which `cost` does not price",
                    ACCEPT_THE_GAP,
                ));
            }
            Some(other) => {
                return Err(Gap::unpriced(
                    format!("unknown launch_type `{other}`"),
                    "use FARGATE, EC2 or a capacity provider strategy",
                ));
            }
            None => {}
        }
        let own = strategy(service.value("capacity_provider_strategy"));
        if !own.is_empty() {
            return placement_of(own, "its capacity_provider_strategy".into());
        }
        for cluster in self.linked(service, "cluster", "aws_ecs_cluster") {
            let default = strategy(cluster.value("default_capacity_provider_strategy"));
            if !default.is_empty() {
                return placement_of(default, format!("the default strategy of {}", cluster.address));
            }
            for &at in self.providers.get(&cluster.address).map_or(&[][..], Vec::as_slice) {
                let providers = &self.instances[at];
                let default = strategy(providers.value("default_capacity_provider_strategy"));
                if !default.is_empty() {
                    return placement_of(default, format!("the default strategy of {}", providers.address));
                }
            }
        }
        // Neither the service nor its cluster says: the rule every input follows, with ECS's own
        // default for a service (the EC2 launch type).
        let choice = crate::input::launch_type(None, compat, LaunchType::Ec2)
            .map_err(|e| Gap::unpriced(e.to_string(), ACCEPT_THE_GAP))?;
        let note = match (choice.launch_type, choice.why) {
            (LaunchType::Fargate, _) => {
                "no launch type or capacity provider strategy is known: Fargate, as its task definition requires"
            }
            (LaunchType::Ec2, LaunchWhy::Required) => {
                "no launch type or capacity provider strategy is known: the EC2 launch type, as its task definition requires"
            }
            (LaunchType::Ec2, _) => {
                "no launch type, capacity provider strategy or cluster default is known: ECS uses the EC2 launch type"
            }
        };
        Ok(Placement::Launch(choice.launch_type, Some(note.into())))
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

fn placement_of(shares: Vec<Share>, from: String) -> Result<Placement, Gap> {
    let fargate = |s: &Share| s.provider == "FARGATE" || s.provider == "FARGATE_SPOT";
    if shares.iter().all(fargate) {
        Ok(Placement::Strategy(shares, from))
    } else if shares.iter().any(fargate) {
        Err(Gap::unpriced(
            format!("{from} mixes Fargate and Auto Scaling group capacity providers"),
            ACCEPT_THE_GAP,
        ))
    } else {
        let names: Vec<&str> = shares.iter().map(|s| s.provider.as_str()).collect();
        Ok(Placement::Launch(
            LaunchType::Ec2,
            Some(format!("{from} uses capacity provider(s) {}: the EC2 launch type", names.join(", "))),
        ))
    }
}

/// Splits `count` tasks between `FARGATE` and `FARGATE_SPOT` as ECS does: each provider's `base`
/// first (in strategy order, up to the count), then the rest by `weight`. The on-demand share of
/// the rest is rounded up to whole tasks (the dearer side, so the estimate is not low), Spot gets
/// what is left. Returns (on demand, Spot, how).
fn split(count: u64, shares: &[Share]) -> Result<(u64, u64, String), String> {
    let spot = |s: &Share| s.provider == "FARGATE_SPOT";
    let mut left = count;
    let (mut on_demand, mut on_spot) = (0u64, 0u64);
    for share in shares {
        let base = share.base.min(left);
        left -= base;
        if spot(share) { on_spot += base } else { on_demand += base }
    }
    let based = count - left;
    let weight = |want_spot: bool| -> u128 {
        shares.iter().filter(|s| spot(s) == want_spot).map(|s| u128::from(s.weight)).sum()
    };
    let (od_weight, spot_weight) = (weight(false), weight(true));
    let total_weight = od_weight + spot_weight;
    if left > 0 && total_weight == 0 {
        return Err(format!(
            "its capacity provider weights are all 0, so {left} task(s) beyond the base have nowhere to run"
        ));
    }
    let extra_on_demand = if left == 0 {
        0
    } else {
        let rounded_up = (u128::from(left) * od_weight).div_ceil(total_weight);
        u64::try_from(rounded_up).unwrap_or(left).min(left)
    };
    on_demand += extra_on_demand;
    on_spot += left - extra_on_demand;
    let how = format!(
        "{count} task(s) split by capacity provider: base {based} first, then {left} by weight FARGATE {od_weight} : \
         FARGATE_SPOT {spot_weight}, the on-demand share rounded up to whole tasks: {on_demand} on FARGATE, {on_spot} on FARGATE_SPOT"
    );
    Ok((on_demand, on_spot, how))
}

/// An `aws_ecs_task_definition`'s planned values as the ECS JSON the task definition reader knows.
fn read_definition(instance: &Instance<'_>) -> Result<TaskDefinition, String> {
    let mut def = Map::new();
    for (from, to) in [("family", "family"), ("cpu", "cpu"), ("memory", "memory")] {
        if let Some(v) = instance.value(from) {
            def.insert(to.into(), v.clone());
        }
    }
    let first = |key: &str| instance.value(key).and_then(Value::as_array).and_then(|a| a.first()).cloned();
    if let Some(platform) = first("runtime_platform") {
        let mut p = Map::new();
        for (from, to) in
            [("cpu_architecture", "cpuArchitecture"), ("operating_system_family", "operatingSystemFamily")]
        {
            if let Some(v) = platform.get(from).filter(|v| !v.is_null() && v.as_str() != Some("")) {
                p.insert(to.into(), v.clone());
            }
        }
        def.insert("runtimePlatform".into(), Value::Object(p));
    }
    if let Some(size) =
        first("ephemeral_storage").and_then(|s| s.get("size_in_gib").filter(|v| !v.is_null()).cloned())
    {
        def.insert("ephemeralStorage".into(), serde_json::json!({ "sizeInGiB": size }));
    }
    if let Some(compat) = instance.value("requires_compatibilities") {
        def.insert("requiresCompatibilities".into(), compat.clone());
    }
    let containers =
        instance.string("container_definitions").and_then(|c| serde_json::from_str::<Value>(c).ok());
    if let Some(parsed @ Value::Array(_)) = containers {
        def.insert("containerDefinitions".into(), parsed);
    }
    task_definition::parse(&Value::Object(def).to_string()).map_err(|e| e.to_string())
}

/// What [`Reader::resolve`] found: the resource blocks, as `(module path, name)`, and the
/// `(scope, reference)` pairs it has followed.
#[derive(Default)]
struct Found {
    targets: BTreeSet<(String, String)>,
    seen: BTreeSet<(String, String)>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn share(provider: &str, base: u64, weight: u64) -> Share {
        Share { provider: provider.into(), base, weight }
    }

    #[test]
    fn strips_instance_keys_even_with_brackets_in_quotes() {
        assert_eq!(strip_keys("module.a[\"x\"].aws_ecs_service.s[0]"), "module.a.aws_ecs_service.s");
        assert_eq!(strip_keys("aws_ecs_service.s[\"a]b.c\"]"), "aws_ecs_service.s");
        assert_eq!(strip_keys("aws_ecs_service.s[\"q\\\"]\"]"), "aws_ecs_service.s");
        assert_eq!(strip_keys("aws_ecs_service.s"), "aws_ecs_service.s");
    }

    #[test]
    fn splits_base_first_then_by_weight_rounding_on_demand_up() {
        let shares = [share("FARGATE", 1, 1), share("FARGATE_SPOT", 0, 3)];
        assert_eq!(split(5, &shares).map(|(a, b, _)| (a, b)), Ok((2, 3)));
        // 3 left at 1 : 3: ⌈0.75⌉ = 1 on demand.
        assert_eq!(split(4, &shares).map(|(a, b, _)| (a, b)), Ok((2, 2)));
        // The base is capped at the count.
        assert_eq!(split(1, &[share("FARGATE_SPOT", 5, 1)]).map(|(a, b, _)| (a, b)), Ok((0, 1)));
        assert_eq!(split(3, &[share("FARGATE_SPOT", 0, 1)]).map(|(a, b, _)| (a, b)), Ok((0, 3)));
        assert!(split(3, &[share("FARGATE", 1, 0), share("FARGATE_SPOT", 0, 0)]).is_err());
        assert_eq!(
            split(u64::MAX, &[share("FARGATE", 0, u64::MAX), share("FARGATE_SPOT", 0, 1)])
                .map(|(a, b, _)| a + b),
            Ok(u64::MAX)
        );
    }

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
        let [(name, input)] = plan.services.as_slice() else { panic!("{:?}", plan.services) };
        assert_eq!(name, "aws_ecs_service.s");
        let task = input.to_task(None).unwrap();
        assert_eq!(
            (task.count, task.arch, task.launch_type),
            (2, crate::model::Arch::Arm64, LaunchType::Fargate)
        );
        assert_eq!(task.size.vcpu, Decimal::new(5, 1));
        assert_eq!(task.ephemeral_storage_gb, Decimal::from(30));
    }
}
