//! An ECS service in a plan as tasks to price: its task definition, where its tasks run (launch
//! type or capacity provider strategy, the service's or its cluster's), and how many of them.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::walk::Instance;
use super::{ACCEPT_THE_GAP, Gap, Reader, ResourceUsage, in_usage_file};
use crate::input::capacity::{self, Placement, Share, placement_of};
use crate::input::{TaskDefinition, TaskInput, task_definition};
use crate::model::{LaunchType, Pricing};
use crate::money::Exact;

/// A gap `cost` has no fix for.
fn accept(reason: String) -> Gap {
    Gap::unpriced(reason, ACCEPT_THE_GAP)
}

pub(super) fn strategy(value: Option<&Value>) -> Vec<Share> {
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

impl Reader<'_> {
    pub(super) fn service(
        &self,
        service: &Instance<'_>,
        usage: Option<&ResourceUsage>,
        hours: Option<Exact>,
        used_definitions: &mut BTreeSet<String>,
        assumptions: &mut Vec<String>,
    ) -> Result<Vec<(String, TaskInput)>, Gap> {
        let address = &service.address;
        if service.string("scheduling_strategy") == Some("DAEMON") {
            return Err(Gap::unpriced(capacity::DAEMON, ACCEPT_THE_GAP));
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
        let (shares, note) = capacity::parts(address, count, placement)
            .map_err(|e| Gap::unpriced(e, "give the capacity providers a weight above 0"))?;
        if let Some(note) = note {
            assumptions.push(format!("{address}: {note}"));
        }
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
                    let containers = definition.containers;
                    input.vcpu = input.vcpu.or(containers.map(|c| Exact(c.vcpu)));
                    input.memory = input.memory.or(containers.and_then(|c| c.memory_gb.map(Exact)));
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
    pub(super) fn definition(&self, service: &Instance<'_>) -> Result<(String, TaskDefinition), Gap> {
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
    pub(super) fn placement(
        &self,
        service: &Instance<'_>,
        definition: &TaskDefinition,
    ) -> Result<Placement, Gap> {
        if let Some(launch) = service.string("launch_type") {
            let compat = &definition.requires_compatibilities;
            return capacity::stated(launch, "launch_type", compat)
                .map_err(|(reason, fix)| Gap::unpriced(reason, fix));
        }
        let own = strategy(service.value("capacity_provider_strategy"));
        if !own.is_empty() {
            return placement_of(own, "its capacity_provider_strategy".into()).map_err(accept);
        }
        for cluster in self.linked(service, "cluster", "aws_ecs_cluster") {
            let default = strategy(cluster.value("default_capacity_provider_strategy"));
            if !default.is_empty() {
                return placement_of(default, format!("the default strategy of {}", cluster.address))
                    .map_err(accept);
            }
            for &at in self.providers.get(&cluster.address).map_or(&[][..], Vec::as_slice) {
                let providers = &self.instances[at];
                let default = strategy(providers.value("default_capacity_provider_strategy"));
                if !default.is_empty() {
                    return placement_of(default, format!("the default strategy of {}", providers.address))
                        .map_err(accept);
                }
            }
        }
        // Neither the service nor its cluster says.
        capacity::unstated(definition).map_err(accept)
    }
}

/// An `aws_ecs_task_definition`'s planned values as the ECS JSON the task definition reader knows.
pub(super) fn read_definition(instance: &Instance<'_>) -> Result<TaskDefinition, String> {
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
    task_definition::from_value(&Value::Object(def)).map_err(|e| e.to_string())
}
