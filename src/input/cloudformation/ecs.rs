//! A template's `AWS::ECS::Service` resources as tasks to price: the task definition they refer
//! to, where their tasks run (launch type, or the service's or its cluster's capacity provider
//! strategy) and how many there are.
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html>

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::resolve::{Scope, Unresolved};
use crate::input::capacity::{self, ACCEPT_THE_GAP, Placement, Share, placement_of};
use crate::input::inventory::{Inventory, Service};
use crate::input::{TaskDefinition, task_definition};
use crate::model::{Skipped, Unpriced};

/// The resource types that become items (or unpriced entries) rather than skipped lines.
pub(super) const PRICED: [&str; 3] = ["AWS::ECS::Service", "AWS::EKS::Cluster", "AWS::ECR::Repository"];

const TASK_DEFINITION: &str = "AWS::ECS::TaskDefinition";
const CLUSTER: &str = "AWS::ECS::Cluster";
const ASSOCIATIONS: &str = "AWS::ECS::ClusterCapacityProviderAssociations";

/// The fix for a value only a deployment knows.
const STATIC_VALUE: &str = "give it a value the template decides: a number or text, or a parameter with a default \
     (or --parameter KEY=VALUE)";

/// The ECS part of one template.
pub(super) struct Ecs<'a> {
    scope: &'a Scope<'a>,
    prefix: &'a str,
    /// Task definitions some service runs, by logical ID.
    used: BTreeSet<String>,
    /// Whether any service was priced (for the run-time assumption).
    priced: bool,
    /// Each cluster's associations resources, by the cluster's logical ID: found once, so a
    /// template is read in time linear in its size.
    associations: BTreeMap<String, Vec<&'a str>>,
}

/// Why a service is not priced: it could not be, or it runs nothing.
enum Gap {
    Unpriced(String, String),
    NoTasks(String),
}

fn gap(reason: impl Into<String>, fix: impl Into<String>) -> Gap {
    Gap::Unpriced(reason.into(), fix.into())
}

impl<'a> Ecs<'a> {
    pub(super) fn new(scope: &'a Scope<'a>, prefix: &'a str) -> Self {
        let mut ecs =
            Ecs { scope, prefix, used: BTreeSet::new(), priced: false, associations: BTreeMap::new() };
        for (id, resource) in scope.resources {
            if resource.get("Type").and_then(Value::as_str) == Some(ASSOCIATIONS)
                && let Some(cluster) =
                    resource.pointer("/Properties/Cluster").and_then(|c| ecs.linked(c, CLUSTER))
            {
                ecs.associations.entry(cluster).or_default().push(id);
            }
        }
        ecs
    }

    /// Adds the service `id` to the inventory: its parts, or why it is unpriced or runs nothing.
    pub(super) fn service(&mut self, id: &str, resource: &Value, inventory: &mut Inventory) {
        let name = format!("{}{id}", self.prefix);
        match self.read_service(&name, resource, inventory) {
            Ok(services) => {
                self.priced = true;
                inventory.services.extend(services);
            }
            Err(Gap::Unpriced(reason, fix)) => inventory.unpriced.push(Unpriced::new(&name, reason, fix)),
            Err(Gap::NoTasks(reason)) => {
                inventory.skipped.push(Skipped { name, kind: "AWS::ECS::Service".into(), reason });
            }
        }
    }

    fn read_service(
        &mut self,
        name: &str,
        resource: &Value,
        inventory: &mut Inventory,
    ) -> Result<Vec<Service>, Gap> {
        let empty = Map::new();
        let props = resource.get("Properties").and_then(Value::as_object).unwrap_or(&empty);
        let resolve = |key: &str| -> Result<Option<Value>, Gap> {
            match props.get(key).map(|v| self.scope.resolve(v)) {
                None | Some(Ok(Value::Null)) => Ok(None),
                Some(Ok(value)) => Ok(Some(value)),
                Some(Err(Unresolved(why))) => Err(gap(format!("{key}: {why}"), STATIC_VALUE)),
            }
        };
        if resolve("SchedulingStrategy")?.as_ref().and_then(Value::as_str) == Some("DAEMON") {
            return Err(gap(capacity::DAEMON, ACCEPT_THE_GAP));
        }
        let count = match resolve("DesiredCount")? {
            None => {
                inventory
                    .assumptions
                    .push(format!("{name}: DesiredCount is not set: 1 task, CloudFormation's default"));
                1
            }
            Some(value) => whole(&value)
                .ok_or_else(|| gap(format!("DesiredCount {value} is not a whole number"), STATIC_VALUE))?,
        };
        if count == 0 {
            return Err(Gap::NoTasks("DesiredCount is 0: no tasks run".into()));
        }
        let definition_id = self.definition_id(props.get("TaskDefinition"))?;
        let definition = self.definition(&definition_id).map_err(|e| {
            gap(format!("task definition {}{definition_id}: {e}", self.prefix), "correct the task definition")
        })?;
        self.used.insert(definition_id);
        let placement = self.placement(props, &definition, &resolve)?;
        let (parts, note) = capacity::parts(name, count, placement)
            .map_err(|e| gap(e, "give the capacity providers a weight above 0"))?;
        if let Some(note) = note {
            inventory.assumptions.push(format!("{name}: {note}"));
        }
        // Only the one setting: the subnets and security groups are known only once deployed.
        let public = match props
            .get("NetworkConfiguration")
            .and_then(|n| n.pointer("/AwsvpcConfiguration/AssignPublicIp"))
        {
            None => false,
            Some(value) => match self.scope.resolve(value) {
                Ok(value) => value == "ENABLED",
                Err(Unresolved(why)) => return Err(gap(format!("AssignPublicIp: {why}"), STATIC_VALUE)),
            },
        };
        if public {
            inventory.skipped.push(Skipped {
                name: format!("{name} public IPv4"),
                kind: "public IPv4 address".into(),
                reason:
                    "AssignPublicIp is ENABLED: each task's public IPv4 address is billed per address-hour, \
                         which `cost` does not price yet"
                        .into(),
            });
        }
        Ok(Service::from_parts(parts, &definition))
    }

    /// The logical ID of the task definition a service's `TaskDefinition` refers to.
    fn definition_id(&self, value: Option<&Value>) -> Result<String, Gap> {
        let value =
            value.ok_or_else(|| gap("it has no TaskDefinition", "give the service its TaskDefinition"))?;
        if let Some(id) = self.linked(value, TASK_DEFINITION) {
            return Ok(id);
        }
        match self.scope.resolve(value) {
            Ok(Value::String(outside)) => Err(gap(
                format!("its task definition `{outside}` is defined outside the template"),
                "price it with --task-definition FILE (aws ecs describe-task-definition prints it)",
            )),
            Ok(other) => Err(gap(format!("TaskDefinition {other} is not a task definition"), STATIC_VALUE)),
            Err(Unresolved(why)) => Err(gap(format!("TaskDefinition: {why}"), STATIC_VALUE)),
        }
    }

    /// The resource of type `kind` that `value` refers to (`Ref`, or `Fn::GetAtt` of one of its
    /// attributes), if any.
    fn linked(&self, value: &Value, kind: &str) -> Option<String> {
        let target = match value {
            Value::Object(map) => match map.get("Ref").or_else(|| map.get("Fn::GetAtt")) {
                Some(Value::String(s)) => s.split('.').next().map(str::to_owned),
                Some(Value::Array(parts)) => parts.first().and_then(Value::as_str).map(str::to_owned),
                _ => None,
            },
            _ => None,
        }?;
        let resource = self.scope.resources.get(&target)?;
        (resource.get("Type").and_then(Value::as_str) == Some(kind)).then_some(target)
    }

    /// A task definition resource's properties as the ECS JSON the task definition reader knows:
    /// each property named as the API names it, resolved one by one, so that a value only a
    /// deployment knows (an image, a role) does not matter unless it is a size.
    fn definition(&self, id: &str) -> Result<TaskDefinition, String> {
        let props = self.scope.resources.get(id).and_then(|r| r.get("Properties")).and_then(Value::as_object);
        let empty = Map::new();
        let props = props.unwrap_or(&empty);
        let resolve = |key: &str, value: &Value| {
            self.scope.resolve(value).map(api_names).map_err(|Unresolved(why)| format!("{key}: {why}"))
        };
        let mut def = Map::new();
        // The family only names the definition: one known only once deployed does not matter.
        if let Some(Ok(family)) = props.get("Family").map(|f| self.scope.resolve(f)) {
            def.insert("family".into(), family);
        }
        for key in ["Cpu", "Memory", "RequiresCompatibilities", "RuntimePlatform", "EphemeralStorage"] {
            if let Some(value) = props.get(key) {
                def.insert(lower_first(key), resolve(key, value)?);
            }
        }
        if let Some(containers) = props.get("ContainerDefinitions") {
            let Value::Array(containers) = containers else {
                return Err("ContainerDefinitions: expected a list of containers".into());
            };
            let mut out = Vec::new();
            for (i, container) in containers.iter().enumerate() {
                let mut c = Map::new();
                for key in ["Cpu", "Memory", "MemoryReservation"] {
                    if let Some(value) = container.get(key) {
                        c.insert(
                            lower_first(key),
                            resolve(&format!("ContainerDefinitions[{i}].{key}"), value)?,
                        );
                    }
                }
                out.push(Value::Object(c));
            }
            def.insert("containerDefinitions".into(), Value::Array(out));
        }
        task_definition::from_value(&Value::Object(def)).map_err(|e| e.to_string())
    }

    /// Where the service's tasks run: its launch type, its strategy, or its cluster's default.
    fn placement(
        &self,
        props: &Map<String, Value>,
        definition: &TaskDefinition,
        resolve: &dyn Fn(&str) -> Result<Option<Value>, Gap>,
    ) -> Result<Placement, Gap> {
        let accept = |reason: String| gap(reason, ACCEPT_THE_GAP);
        match resolve("LaunchType")? {
            Some(Value::String(launch)) => {
                return capacity::stated(&launch, "LaunchType", &definition.requires_compatibilities)
                    .map_err(|(reason, fix)| gap(reason, fix));
            }
            Some(other) => return Err(gap(format!("LaunchType {other} is not text"), STATIC_VALUE)),
            None => {}
        }
        let own = strategy(resolve("CapacityProviderStrategy")?.as_ref());
        if !own.is_empty() {
            return placement_of(own, "its CapacityProviderStrategy".into()).map_err(accept);
        }
        let Some(cluster) = props.get("Cluster") else {
            // The account's default cluster, whose default strategy the template cannot know.
            return Err(gap(
                "it names no LaunchType, CapacityProviderStrategy or Cluster: the default cluster's strategy is not in the template",
                "give the service a LaunchType or CapacityProviderStrategy",
            ));
        };
        let Some(cluster_id) = self.linked(cluster, CLUSTER) else {
            let why = match self.scope.resolve(cluster) {
                Ok(value) => format!("its cluster {value} is outside the template"),
                Err(Unresolved(why)) => format!("Cluster: {why}"),
            };
            return Err(gap(
                format!(
                    "it names no LaunchType or CapacityProviderStrategy, and {why}, so its default strategy is unknown"
                ),
                "give the service a LaunchType or CapacityProviderStrategy",
            ));
        };
        let defaults =
            self.cluster_defaults(&cluster_id).map_err(|Unresolved(why)| gap(why, STATIC_VALUE))?;
        match defaults {
            Some((shares, from)) => placement_of(shares, from).map_err(accept),
            None => capacity::unstated(definition).map_err(accept),
        }
    }

    /// The default strategy of the cluster `id`: its own, or that of an associations resource for
    /// it.
    fn cluster_defaults(&self, id: &str) -> Result<Option<(Vec<Share>, String)>, Unresolved> {
        let key = "DefaultCapacityProviderStrategy";
        let of = |resource: &Value| -> Result<Vec<Share>, Unresolved> {
            match resource.pointer(&format!("/Properties/{key}")) {
                None => Ok(Vec::new()),
                Some(value) => self.scope.resolve(value).map(|v| strategy(Some(&v))),
            }
        };
        let own = self.scope.resources.get(id).map_or(Ok(Vec::new()), of)?;
        if !own.is_empty() {
            return Ok(Some((own, format!("the default strategy of cluster {}{id}", self.prefix))));
        }
        for &other in self.associations.get(id).into_iter().flatten() {
            let shares = self.scope.resources.get(other).map_or(Ok(Vec::new()), of)?;
            if !shares.is_empty() {
                return Ok(Some((shares, format!("the default strategy of {}{other}", self.prefix))));
            }
        }
        Ok(None)
    }

    /// Lists what has no charge of its own, and task definitions no service runs.
    pub(super) fn finish(self, ids: &[(String, String)], inventory: &mut Inventory) {
        for (id, kind) in ids {
            let reason = match kind.as_str() {
                TASK_DEFINITION if self.used.contains(id) => continue,
                TASK_DEFINITION => "no service in the template runs it",
                CLUSTER => "no charge of its own: the services in it are priced",
                _ => "no charge of its own: the strategy it sets places the services",
            };
            inventory.skipped.push(Skipped {
                name: format!("{}{id}", self.prefix),
                kind: kind.clone(),
                reason: reason.into(),
            });
        }
        if self.priced || !inventory.clusters.is_empty() {
            let line = "services and clusters run 730 hours (one month)".to_owned();
            if !inventory.assumptions.contains(&line) {
                inventory.assumptions.push(line);
            }
        }
    }
}

/// A whole number from a number or numeric text (CloudFormation passes parameters as text).
fn whole(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A resolved strategy's entries (`CapacityProvider`, `Base`, `Weight`).
fn strategy(value: Option<&Value>) -> Vec<Share> {
    let items = value.and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    items
        .iter()
        .filter_map(|item| {
            let provider = item.get("CapacityProvider")?.as_str()?.to_owned();
            let number = |key: &str| item.get(key).and_then(whole).unwrap_or(0);
            Some(Share { provider, base: number("Base"), weight: number("Weight") })
        })
        .collect()
}

/// `CpuArchitecture` → `cpuArchitecture`: CloudFormation's property names are the API's with a
/// capital first letter.
fn lower_first(key: &str) -> String {
    let mut chars = key.chars();
    chars.next().map_or_else(String::new, |first| first.to_ascii_lowercase().to_string() + chars.as_str())
}

/// A resolved value with every map key named as the API names it.
fn api_names(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (lower_first(&k), api_names(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(api_names).collect()),
        other => other,
    }
}
