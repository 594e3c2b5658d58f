//! What `aws ecs describe-services` prints (`{"services": [...], "failures": [...]}`,
//! <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html>), with the
//! task definitions its services use (`describe-task-definition` output), as an [`Inventory`]. Pure:
//! the caller reads the files and hands in their text.
//!
//! Read per service: `serviceName`, `serviceArn` and `clusterArn` (the region, the cluster),
//! `status`, `desiredCount`, `schedulingStrategy`, `launchType`, `capacityProviderStrategy`,
//! `taskDefinition` and `networkConfiguration.awsvpcConfiguration.assignPublicIp`; `null` is absent,
//! and the rest (deployments, events, load balancers) is not read. Where the tasks run and how a
//! strategy splits them is the rule every reader of deployed services follows ([`capacity`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::input::capacity::{self, ACCEPT_THE_GAP, Share};
use crate::input::inventory::{Inventory, Service};
use crate::input::task_definition::{self, TaskDefinition, TaskDefinitionError, kind};
use crate::model::{Skipped, Unpriced};

/// A task definition given for the services, as `describe-task-definition` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// How messages name where it came from (its file).
    pub label: String,
    /// `taskDefinitionArn`, if it has one.
    pub arn: Option<String>,
    pub parsed: TaskDefinition,
}

/// Reads a task definition given for the services; `label` names it in messages.
pub fn definition(label: impl Into<String>, text: &str) -> Result<Definition, TaskDefinitionError> {
    let value = task_definition::json(text)?;
    let parsed = task_definition::from_value(&value)?;
    let inner = value.get("taskDefinition").unwrap_or(&value);
    let arn = inner.get("taskDefinitionArn").and_then(Value::as_str).map(str::to_owned);
    Ok(Definition { label: label.into(), arn, parsed })
}

/// Why `describe-services` output cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServicesError {
    #[error("the input is empty")]
    Empty,
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("not describe-services output (`aws ecs describe-services`, {{\"services\": [...]}}): {0}")]
    NotServices(String),
    #[error("`{path}`: {message}")]
    Field { path: String, message: String },
    #[error("service `{name}` appears twice ({first} and {second}); describe each service once")]
    DuplicateService { name: String, first: String, second: String },
    #[error(
        "the services are in more than one region ({0} and {1}); a report has one: price each region's output on its own"
    )]
    Regions(String, String),
    #[error("task definition `{key}` is given twice and differs ({first} and {second}); give one of them")]
    DuplicateDefinition { key: String, first: String, second: String },
}

/// One service as the output describes it.
struct Described<'a> {
    at: String,
    name: String,
    cluster: Option<&'a str>,
    status: Option<&'a str>,
    count: Option<u64>,
    daemon: bool,
    launch: Option<&'a str>,
    strategy: Vec<Share>,
    task_definition: Option<&'a str>,
    public_ip: bool,
}

/// Reads `describe-services` output, pricing each service with the definition of `definitions`
/// that its `taskDefinition` names (by `taskDefinitionArn`, else by `family:revision`).
pub fn parse(text: &str, definitions: &[Definition]) -> Result<Inventory, ServicesError> {
    let root = task_definition::json(text).map_err(|e| match e {
        TaskDefinitionError::Empty => ServicesError::Empty,
        TaskDefinitionError::Json(message) => ServicesError::Json(message),
        other => ServicesError::Json(other.to_string()),
    })?;
    let root = root
        .as_object()
        .ok_or_else(|| ServicesError::NotServices(format!("expected an object, got {}", kind(&root))))?;
    if !root.contains_key("services") && !root.contains_key("failures") {
        return Err(ServicesError::NotServices(what_it_is(root)));
    }
    let mut regions = BTreeMap::new();
    let mut described: Vec<Described<'_>> = Vec::new();
    for (i, service) in array(root, "services", "")?.iter().enumerate() {
        let at = format!("services[{i}]");
        described.push(describe(object(service, &at)?, at, &mut regions)?);
    }
    let mut inventory = Inventory::default();
    let failures = array(root, "failures", "")?;
    let mut failed = Vec::with_capacity(failures.len());
    for (i, failure) in failures.iter().enumerate() {
        let at = format!("failures[{i}]");
        let failure = object(failure, &at)?;
        let arn = string(failure, "arn", &at)?;
        if let Some(region) = arn.and_then(region_of) {
            regions.entry(region).or_insert_with(|| format!("{at}.arn"));
        }
        let reason = string(failure, "reason", &at)?.unwrap_or("no reason given");
        let detail = string(failure, "detail", &at)?.map_or_else(String::new, |d| format!(": {d}"));
        let fix = if reason == "MISSING" {
            "check the service's name and the --cluster given to aws ecs describe-services"
        } else {
            "describe the service again (aws ecs describe-services)"
        };
        let name = arn.map_or_else(|| at.clone(), |a| a.rsplit('/').next().unwrap_or(a).to_owned());
        let why = format!("describe-services could not describe it: {reason}{detail}");
        failed.push(Unpriced::new(name, why, fix));
    }
    let mut regions = regions.into_iter().map(|(region, at)| (format!("{region} ({at})"), region));
    let first = regions.next();
    if let (Some((first, _)), Some((second, _))) = (&first, regions.next()) {
        return Err(ServicesError::Regions(first.clone(), second));
    }
    inventory.region = first.map(|(_, region)| region);
    let clusters: BTreeSet<Option<&str>> = described.iter().map(|d| d.cluster).collect();
    if clusters.len() > 1 {
        for d in described.iter_mut().filter(|d| d.cluster.is_some()) {
            d.name = format!("{}/{}", d.cluster.unwrap_or_default(), d.name);
        }
    }
    let mut seen = BTreeMap::new();
    for d in &described {
        if let Some(first) = seen.insert(d.name.as_str(), d.at.as_str()) {
            return Err(ServicesError::DuplicateService {
                name: d.name.clone(),
                first: first.to_owned(),
                second: d.at.clone(),
            });
        }
    }
    let known = Known::new(definitions)?;
    let mut used = BTreeSet::new();
    for d in &described {
        service(d, &known, &mut used, &mut inventory);
    }
    inventory.unpriced.extend(failed);
    if !inventory.services.is_empty() {
        inventory.assumptions.push(
            "each service runs its desiredCount of tasks for 730 hours (one month): describe-services says \
             how many run now, not for how long"
                .into(),
        );
    }
    for (_, definition) in known.list.iter().enumerate().filter(|(i, _)| !used.contains(i)) {
        inventory.skipped.push(Skipped {
            name: definition.parsed.name.clone().unwrap_or_else(|| definition.label.clone()),
            kind: "task definition".into(),
            reason: format!("no service in the describe-services output uses it ({})", definition.label),
        });
    }
    Ok(inventory)
}

/// What a JSON object that is not describe-services output looks like, for the message.
fn what_it_is(root: &Map<String, Value>) -> String {
    let has = |key: &str| root.contains_key(key);
    if has("taskDefinition") || has("containerDefinitions") || has("family") {
        "it is a task definition: give it with --task-definition FILE".into()
    } else if has("format_version") && has("planned_values") {
        "it is a Terraform plan: give it with --terraform-plan FILE".into()
    } else if root.get("data").is_some_and(|d| d.get("services").is_some()) {
        "the output is under `data` (a recorded boto3 response): extract it, e.g. `jq .data FILE`".into()
    } else if has("service") {
        "it has one `service`, as create-service and update-service print; give what describe-services prints"
            .into()
    } else {
        let keys: Vec<&str> = root.keys().take(5).map(String::as_str).collect();
        let keys = if keys.is_empty() { "none".to_owned() } else { keys.join(", ") };
        format!("it has no `services` array; its keys: {keys}")
    }
}

/// One entry of `services`, checked; its ARNs' region goes to `regions` (with where it was read).
fn describe<'a>(
    service: &'a Map<String, Value>,
    at: String,
    regions: &mut BTreeMap<String, String>,
) -> Result<Described<'a>, ServicesError> {
    let service_arn = string(service, "serviceArn", &at)?;
    let cluster_arn = string(service, "clusterArn", &at)?;
    for (key, arn) in [("serviceArn", service_arn), ("clusterArn", cluster_arn)] {
        if let Some(region) = arn.and_then(region_of) {
            regions.entry(region).or_insert_with(|| format!("{at}.{key}"));
        }
    }
    let name = match (string(service, "serviceName", &at)?, service_arn) {
        (Some(name), _) => name,
        (None, Some(arn)) => arn.rsplit('/').next().unwrap_or(arn),
        (None, None) => {
            return Err(field(&at, "serviceName", "expected the service's name, got none".into()));
        }
    };
    // `cluster/NAME`; an ARN of the long format (`service/CLUSTER/NAME`) names it too.
    let cluster = cluster_arn.and_then(|a| a.split_once(":cluster/")).map(|(_, c)| c).or_else(|| {
        let (_, path) = service_arn?.split_once(":service/")?;
        path.split_once('/').map(|(cluster, _)| cluster)
    });
    let mut strategy = Vec::new();
    for (j, item) in array(service, "capacityProviderStrategy", &at)?.iter().enumerate() {
        let item_at = format!("{at}.capacityProviderStrategy[{j}]");
        let item = object(item, &item_at)?;
        let provider = string(item, "capacityProvider", &item_at)?.ok_or_else(|| {
            field(&item_at, "capacityProvider", "expected a provider's name, got none".into())
        })?;
        strategy.push(Share {
            provider: provider.to_owned(),
            base: whole(item, "base", &item_at)?.unwrap_or(0),
            weight: whole(item, "weight", &item_at)?.unwrap_or(0),
        });
    }
    let network_at = format!("{at}.networkConfiguration");
    let vpc = optional_object(service, "networkConfiguration", &at)?
        .map(|n| optional_object(n, "awsvpcConfiguration", &network_at))
        .transpose()?
        .flatten();
    let vpc_at = format!("{network_at}.awsvpcConfiguration");
    let public_ip = match vpc.map(|v| string(v, "assignPublicIp", &vpc_at)).transpose()?.flatten() {
        None | Some("DISABLED") => false,
        Some("ENABLED") => true,
        Some(other) => {
            return Err(field(
                &vpc_at,
                "assignPublicIp",
                format!("expected ENABLED or DISABLED, got \"{other}\""),
            ));
        }
    };
    Ok(Described {
        name: name.to_owned(),
        cluster,
        status: string(service, "status", &at)?,
        count: whole(service, "desiredCount", &at)?,
        daemon: string(service, "schedulingStrategy", &at)? == Some("DAEMON"),
        launch: string(service, "launchType", &at)?,
        strategy,
        task_definition: string(service, "taskDefinition", &at)?,
        public_ip,
        at,
    })
}

/// The region of an ARN (`arn:aws:ecs:REGION:ACCOUNT:...`), if it names one.
fn region_of(arn: &str) -> Option<String> {
    let mut parts = arn.split(':');
    (parts.next() == Some("arn")).then_some(())?;
    let region = parts.nth(2)?;
    (!region.is_empty()).then(|| region.to_owned())
}

/// The definitions given, by ARN and by name (`family:revision`); the same definition given twice
/// counts once.
struct Known<'a> {
    list: Vec<&'a Definition>,
    by_arn: BTreeMap<&'a str, usize>,
    by_name: BTreeMap<&'a str, usize>,
}

impl<'a> Known<'a> {
    fn new(definitions: &'a [Definition]) -> Result<Self, ServicesError> {
        let mut known = Known { list: Vec::new(), by_arn: BTreeMap::new(), by_name: BTreeMap::new() };
        for definition in definitions {
            let keys = [(definition.arn.as_deref(), true), (definition.parsed.name.as_deref(), false)];
            let earlier = keys.iter().find_map(|&(key, arn)| {
                let map = if arn { &known.by_arn } else { &known.by_name };
                key.and_then(|k| map.get(k).map(|&at| (k, at)))
            });
            if let Some((key, at)) = earlier {
                if known.list[at].parsed != definition.parsed {
                    return Err(ServicesError::DuplicateDefinition {
                        key: key.to_owned(),
                        first: known.list[at].label.clone(),
                        second: definition.label.clone(),
                    });
                }
                continue;
            }
            let at = known.list.len();
            known.list.push(definition);
            if let Some(arn) = definition.arn.as_deref() {
                known.by_arn.insert(arn, at);
            }
            if let Some(name) = definition.parsed.name.as_deref() {
                known.by_name.insert(name, at);
            }
        }
        Ok(known)
    }

    /// The definition a service's `taskDefinition` (an ARN or `family:revision`) names.
    fn find(&self, reference: &str) -> Option<usize> {
        if let Some(&at) = self.by_arn.get(reference) {
            return Some(at);
        }
        self.by_name.get(name_of(reference)).copied()
    }
}

/// `family:revision` from a task definition ARN (`...:task-definition/FAMILY:REV`), or as it is.
fn name_of(reference: &str) -> &str {
    reference.split_once(":task-definition/").map_or(reference, |(_, name)| name)
}

/// Why a service is not priced: it could not be (the reason and the fix), or it runs nothing.
enum NotPriced {
    Gap(String, String),
    Idle(String),
}

fn gap(reason: impl Into<String>, fix: impl Into<String>) -> NotPriced {
    NotPriced::Gap(reason.into(), fix.into())
}

/// One service into the inventory: its items, or why it is unpriced or runs nothing, and a
/// public IPv4 address per task when it assigns them. The definitions it uses go to `used`.
fn service(d: &Described<'_>, known: &Known<'_>, used: &mut BTreeSet<usize>, inventory: &mut Inventory) {
    match tasks(d, known, used, &mut inventory.assumptions) {
        Ok(services) => inventory.services.extend(services),
        Err(NotPriced::Gap(reason, fix)) => inventory.unpriced.push(Unpriced::new(&d.name, reason, fix)),
        Err(NotPriced::Idle(reason)) => {
            inventory.skipped.push(Skipped { name: d.name.clone(), kind: "ECS service".into(), reason });
            return;
        }
    }
    if d.public_ip {
        let tasks = d.count.map_or_else(|| "its tasks".to_owned(), |n| format!("{n} task(s)"));
        inventory.skipped.push(Skipped {
            name: format!("{} public IPv4", d.name),
            kind: "public IPv4 address".into(),
            reason: format!(
                "assignPublicIp is ENABLED: {tasks} with a public IPv4 address each, whose charge \
                 ($0.005 per address-hour) `cost` does not price yet"
            ),
        });
    }
}

/// The services a described service prices as, one per launch type and price; how they were
/// placed goes to `assumptions`.
fn tasks(
    d: &Described<'_>,
    known: &Known<'_>,
    used: &mut BTreeSet<usize>,
    assumptions: &mut Vec<String>,
) -> Result<Vec<Service>, NotPriced> {
    if d.status == Some("INACTIVE") {
        return Err(NotPriced::Idle("its status is INACTIVE (deleted): no tasks run".into()));
    }
    let count = d.count.ok_or_else(|| {
        gap("it has no desiredCount", "describe it with aws ecs describe-services, which gives it")
    })?;
    if count == 0 {
        return Err(NotPriced::Idle("desiredCount is 0: no tasks run".into()));
    }
    if d.daemon {
        return Err(gap(capacity::DAEMON, ACCEPT_THE_GAP));
    }
    let Some(reference) = d.task_definition else {
        return Err(gap(
            "it names no taskDefinition (a service with an EXTERNAL deployment controller keeps them in its \
             task sets, which `cost` does not read)",
            format!("price each task set on its own: cost estimate --task-definition FILE --count {count}"),
        ));
    };
    let definition = known.find(reference).map(|at| {
        used.insert(at);
        known.list[at]
    });
    let compatibilities = definition.map_or(&[][..], |def| &def.parsed.requires_compatibilities);
    let placement = match (d.launch, d.strategy.is_empty(), definition) {
        (Some(launch), _, _) => capacity::stated(launch, "launchType", compatibilities)
            .map_err(|(reason, fix)| gap(reason, fix))?,
        (None, false, _) => capacity::placement_of(d.strategy.clone(), "its capacityProviderStrategy".into())
            .map_err(|reason| gap(reason, ACCEPT_THE_GAP))?,
        (None, true, Some(def)) => {
            capacity::unstated(&def.parsed).map_err(|reason| gap(reason, ACCEPT_THE_GAP))?
        }
        // Where it runs depends on what its definition requires.
        (None, true, None) => return Err(not_given(reference, known)),
    };
    let (parts, note) = capacity::parts(&d.name, count, placement)
        .map_err(|reason| gap(reason, "give the capacity providers a weight above 0"))?;
    // The size comes from the definition on the EC2 launch type too (the report says that the
    // container instances, which the output does not name, are what it costs).
    let Some(definition) = definition else { return Err(not_given(reference, known)) };
    assumptions.extend(note.map(|note| format!("{}: {note}", d.name)));
    Ok(Service::from_parts(parts, &definition.parsed))
}

/// A service whose task definition was not given: unpriced, with the command that gives it.
fn not_given(reference: &str, known: &Known<'_>) -> NotPriced {
    let name = name_of(reference);
    let family = name.split(':').next().unwrap_or(name);
    let others: Vec<&str> =
        known.by_name.keys().copied().filter(|n| n.split(':').next() == Some(family)).collect();
    let given = if others.is_empty() { String::new() } else { format!(" (given: {})", others.join(", ")) };
    gap(
        format!("its task definition {name} was not given{given}"),
        format!(
            "pass its task definition: aws ecs describe-task-definition --task-definition {name} > FILE, \
             then --task-definition FILE"
        ),
    )
}

fn field(at: &str, key: &str, message: String) -> ServicesError {
    let path = if at.is_empty() { key.to_owned() } else { format!("{at}.{key}") };
    ServicesError::Field { path, message }
}

fn object<'a>(value: &'a Value, at: &str) -> Result<&'a Map<String, Value>, ServicesError> {
    value.as_object().ok_or_else(|| ServicesError::Field {
        path: at.to_owned(),
        message: format!("expected an object, got {}", kind(value)),
    })
}

/// `key` of `map` as an object; `null` or absent is `None`.
fn optional_object<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<&'a Map<String, Value>>, ServicesError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(inner)),
        Some(other) => Err(field(at, key, format!("expected an object, got {}", kind(other)))),
    }
}

/// `key` of `map` as an array; `null` or absent is empty.
fn array<'a>(map: &'a Map<String, Value>, key: &str, at: &str) -> Result<&'a [Value], ServicesError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(field(at, key, format!("expected an array, got {}", kind(other)))),
    }
}

fn string<'a>(map: &'a Map<String, Value>, key: &str, at: &str) -> Result<Option<&'a str>, ServicesError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(field(at, key, format!("expected a string, got {}", kind(other)))),
    }
}

/// A whole number of 0 or more.
fn whole(map: &Map<String, Value>, key: &str, at: &str) -> Result<Option<u64>, ServicesError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value.as_u64().map(Some).ok_or_else(|| {
            let shown: String = value.to_string().chars().take(40).collect();
            field(at, key, format!("expected a whole number of 0 to {}, got {shown}", u64::MAX))
        }),
    }
}

#[cfg(test)]
mod tests;
