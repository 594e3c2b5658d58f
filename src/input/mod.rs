//! Edge parsers: the text people already have (flags' values, task definitions, workload files)
//! into plain model types. Pure functions of their input text; reading files is the caller's job,
//! handed in where a file names other files.

pub mod capacity;
pub mod cloudformation;
pub mod detect;
pub mod eks;
pub mod inventory;
pub mod services;
pub mod task_definition;
pub mod terraform;
pub mod workload;
pub mod yaml;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::model::{Arch, LaunchType, Os, Placement, Platform, Pricing, RunTime, Size, SizeFrom, Task};
use crate::money::Exact;
pub use task_definition::TaskDefinition;

/// One task description as a workload `[[service]]` writes it; every key means what the
/// `cost estimate` flag of the same name means. Absent keys take the flag's default (or the task
/// definition's value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    pub name: Option<String>,
    pub launch_type: Option<LaunchType>,
    pub platform: Option<Platform>,
    /// A task definition JSON file; in a workload, relative to the workload file.
    pub task_definition: Option<String>,
    pub vcpu: Option<Exact>,
    pub memory: Option<Exact>,
    #[serde(default, deserialize_with = "crate::money::whole_number")]
    pub count: Option<u64>,
    pub hours: Option<Exact>,
    pub minutes: Option<Exact>,
    #[serde(default, deserialize_with = "crate::money::whole_number")]
    pub runs: Option<u64>,
    pub arch: Option<Arch>,
    pub os: Option<Os>,
    pub spot: Option<bool>,
    /// `on-demand`, `spot`, `savings-plan-1y` or `savings-plan-3y` (`spot = true` is `spot`).
    pub pricing: Option<Pricing>,
    pub ephemeral_storage: Option<Exact>,
    pub data_transfer: Option<Exact>,
    pub round_up: Option<bool>,
    /// This entry's own limit in USD (a workload service or a batch line); not part of the task.
    pub budget: Option<Exact>,
    /// EC2 launch type: the instance type to place tasks on (default: the cheapest that fits).
    pub instance_type: Option<String>,
    /// EC2 launch type: a fixed number of instances instead of as few as hold the tasks.
    #[serde(default, deserialize_with = "crate::money::whole_number")]
    pub instances: Option<u64>,
}

/// Why a task description cannot become a [`Task`]. The message names the key (the flag of the
/// same name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("`{key}` {message}")]
    Value { key: &'static str, message: String },
    #[error("give `hours` or `minutes`, not both")]
    HoursAndMinutes,
    #[error("no task size: give `vcpu` and `memory` (GB), or a `task_definition`")]
    NoSize,
    #[error("has no task-level {0}")]
    NoSizeInTaskDefinition(&'static str),
    #[error(
        "requires {compatibilities:?} compatibility and cannot run on {} (requiresCompatibilities must include \"{}\")",
        match launch_type { LaunchType::Fargate => "Fargate", LaunchType::Ec2 => "the EC2 launch type" },
        launch_type.as_str().to_uppercase()
    )]
    NotCompatible { launch_type: LaunchType, compatibilities: Vec<String> },
    #[error(
        "requires {0:?} compatibility: ECS Anywhere bills per registered instance-hour, which `cost` does not \
         price (requiresCompatibilities must include \"FARGATE\" or \"EC2\")"
    )]
    External(Vec<String>),
    #[error("`{0}` applies to the EC2 launch type only (launch_type = \"ec2\", --launch-type ec2)")]
    Ec2Only(&'static str),
    #[error(
        "EKS pods run on Fargate here; the EC2 launch type is for ECS (drop platform = \"eks\" or use fargate)"
    )]
    EksOnEc2,
}

/// Where a task runs, and why: the one rule every input applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaunchChoice {
    pub launch_type: LaunchType,
    pub why: LaunchWhy,
}

/// How the launch type was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaunchWhy {
    /// The input states it (a flag, a key, a service's launch type or capacity providers).
    Given,
    /// The task definition's `requiresCompatibilities` names only this one.
    Required,
    /// Nothing says: the default of the input's kind.
    Default,
}

/// Where a task runs, decided the same way for every input:
///
/// 1. what the input states (`--launch-type`, `launch_type`, a service's launch type or capacity
///    provider strategy); Fargate only for a task definition that requires it, if it requires any;
/// 2. else the task definition's `requiresCompatibilities` when it names exactly one of `FARGATE`
///    and `EC2` (`EXTERNAL` alone is ECS Anywhere, not priced);
/// 3. else `fallback`: Fargate for a task description (flags, a workload entry, a batch line:
///    `cost`'s documented default), the EC2 launch type for a deployed service that names neither
///    a launch type nor a capacity provider strategy, as ECS itself does
///    (`launchType` and `capacityProviderStrategy` in <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html>).
pub fn launch_type(
    given: Option<LaunchType>,
    compatibilities: &[String],
    fallback: LaunchType,
) -> Result<LaunchChoice, InputError> {
    let has = |name: &str| compatibilities.iter().any(|c| c == name);
    let (fargate, ec2) = (has("FARGATE"), has("EC2"));
    if let Some(launch_type) = given {
        // ECS validates every task definition for EC2 whatever it requires (describe-task-definition
        // lists `"compatibilities": ["EC2", "FARGATE"]` for one that requires FARGATE), but for
        // Fargate only when it is asked to.
        if launch_type == LaunchType::Fargate && !compatibilities.is_empty() && !fargate {
            return Err(InputError::NotCompatible { launch_type, compatibilities: compatibilities.to_vec() });
        }
        return Ok(LaunchChoice { launch_type, why: LaunchWhy::Given });
    }
    Ok(match (fargate, ec2) {
        (true, false) => LaunchChoice { launch_type: LaunchType::Fargate, why: LaunchWhy::Required },
        (false, true) => LaunchChoice { launch_type: LaunchType::Ec2, why: LaunchWhy::Required },
        (false, false) if !compatibilities.is_empty() => {
            return Err(InputError::External(compatibilities.to_vec()));
        }
        _ => LaunchChoice { launch_type: fallback, why: LaunchWhy::Default },
    })
}

impl TaskInput {
    /// The defaults [`TaskInput::to_task`] chooses for this input where it (and its task
    /// definition) says nothing, in words: the launch type (when not stated), the run time and
    /// the count. Not on `--batch`'s path: only reports list assumptions.
    pub fn assumed(&self, definition: Option<&TaskDefinition>) -> Vec<&'static str> {
        let compatibilities = definition.map_or(&[][..], |d| &d.requires_compatibilities);
        let mut assumed = Vec::new();
        match launch_type(self.launch_type, compatibilities, LaunchType::Fargate) {
            Ok(LaunchChoice { launch_type: LaunchType::Fargate, why: LaunchWhy::Required }) => {
                assumed.push("the Fargate launch type, as its task definition requires");
            }
            Ok(LaunchChoice { launch_type: LaunchType::Ec2, why: LaunchWhy::Required }) => {
                assumed.push("the EC2 launch type, as its task definition requires");
            }
            Ok(LaunchChoice { why: LaunchWhy::Default, .. }) => {
                assumed.push("the Fargate launch type, as none was given (--launch-type, `launch_type`)");
            }
            Ok(LaunchChoice { why: LaunchWhy::Given, .. }) | Err(_) => {}
        }
        if self.hours.is_none() && self.minutes.is_none() {
            assumed
                .push("730 hours (one month) a run, as no hours or minutes were given (--hours, --minutes)");
        }
        if self.count.is_none() {
            assumed.push(if self.platform == Some(Platform::Eks) {
                "1 pod, as no count was given (--count, `count`)"
            } else {
                "1 task, as no count was given (--count, `count`)"
            });
        }
        assumed
    }

    /// The same task on `launch_type`, for a comparison: on Fargate without the EC2 placement
    /// keys; on EC2 on-demand, since the tables have no EC2 Spot prices (the item's `billed.pricing`
    /// says so).
    #[must_use]
    pub fn on(&self, launch_type: LaunchType) -> TaskInput {
        let ec2 = launch_type == LaunchType::Ec2;
        TaskInput {
            launch_type: Some(launch_type),
            instance_type: self.instance_type.clone().filter(|_| ec2),
            instances: self.instances.filter(|_| ec2),
            spot: self.spot.filter(|_| !ec2),
            pricing: self.pricing.filter(|_| !ec2),
            ..self.clone()
        }
    }

    /// The task this input describes, with `definition` (already read) filling what the keys do
    /// not say. Keys win over the definition.
    pub fn to_task(&self, definition: Option<&TaskDefinition>) -> Result<Task, InputError> {
        let mut task = self.to_unnamed_task(definition)?;
        task.name = self
            .name
            .clone()
            .or_else(|| definition.and_then(|d| d.name.clone()))
            .unwrap_or_else(|| "task".to_owned());
        Ok(task)
    }

    /// [`TaskInput::to_task`] with an empty name, for a caller that names the task itself
    /// (`--batch` moves the line's own name in, or `line N`), so no name is built to be dropped.
    pub(crate) fn to_unnamed_task(&self, definition: Option<&TaskDefinition>) -> Result<Task, InputError> {
        let platform = self.platform.unwrap_or_default();
        let (size, size_from) = self.size(definition, platform)?;
        let run_time = match (self.hours, self.minutes) {
            (Some(_), Some(_)) => return Err(InputError::HoursAndMinutes),
            (Some(h), None) => RunTime::Hours(positive("hours", h.0)?),
            (None, Some(m)) => RunTime::Minutes(positive("minutes", m.0)?),
            (None, None) => RunTime::MONTH,
        };
        let compatibilities = definition.map_or(&[][..], |d| &d.requires_compatibilities);
        let launch_type = launch_type(self.launch_type, compatibilities, LaunchType::Fargate)?.launch_type;
        if launch_type == LaunchType::Fargate {
            if self.instance_type.is_some() {
                return Err(InputError::Ec2Only("instance_type"));
            }
            if self.instances.is_some() {
                return Err(InputError::Ec2Only("instances"));
            }
        } else if platform == Platform::Eks {
            return Err(InputError::EksOnEc2);
        }
        let from_def = |f: fn(&TaskDefinition) -> Option<Decimal>| definition.and_then(f);
        let storage = self
            .ephemeral_storage
            .map(|e| e.0)
            .or_else(|| from_def(|d| d.ephemeral_storage_gb))
            .unwrap_or(crate::model::INCLUDED_STORAGE_GB);
        Ok(Task {
            name: String::new(),
            size,
            platform,
            count: at_least_one("count", self.count)?,
            run_time,
            runs: at_least_one("runs", self.runs)?,
            arch: self.arch.or_else(|| definition.and_then(|d| d.arch)).unwrap_or_default(),
            os: self.os.or_else(|| definition.and_then(|d| d.os)).unwrap_or_default(),
            pricing: match (self.spot, self.pricing) {
                (Some(true), Some(p)) if p != Pricing::Spot => {
                    return Err(InputError::Value {
                        key: "spot",
                        message: format!("contradicts pricing = \"{p}\""),
                    });
                }
                (Some(true), _) => Pricing::Spot,
                (_, p) => p.unwrap_or_default(),
            },
            ephemeral_storage_gb: non_negative("ephemeral_storage", storage)?,
            data_transfer_gb: non_negative(
                "data_transfer",
                self.data_transfer.map_or(Decimal::ZERO, |d| d.0),
            )?,
            round_up: self.round_up == Some(true),
            size_from,
            launch_type,
            placement: Placement {
                instance_type: self.instance_type.clone(),
                instances: self.instances.map(|n| at_least_one("instances", Some(n))).transpose()?,
            },
        })
    }

    /// The size from the keys, else the task definition's task level, else (for what the task
    /// level leaves out) its containers' sum.
    fn size(
        &self,
        definition: Option<&TaskDefinition>,
        platform: Platform,
    ) -> Result<(Size, SizeFrom), InputError> {
        let vcpu = self.vcpu.map(|v| v.0).or_else(|| definition.and_then(|d| d.vcpu));
        let memory = self.memory.map(|m| m.0).or_else(|| definition.and_then(|d| d.memory_gb));
        let sized = |vcpu, memory_gb, from| {
            Ok((Size { vcpu: positive("vcpu", vcpu)?, memory_gb: positive("memory", memory_gb)? }, from))
        };
        match (vcpu, memory) {
            (Some(vcpu), Some(memory_gb)) => sized(vcpu, memory_gb, SizeFrom::Task),
            // A pod without requests is sized by EKS itself.
            (vcpu, memory) if platform == Platform::Eks => Ok((
                Size {
                    vcpu: non_negative("vcpu", vcpu.unwrap_or_default())?,
                    memory_gb: non_negative("memory", memory.unwrap_or_default())?,
                },
                SizeFrom::Task,
            )),
            (vcpu, memory) => {
                let Some(definition) = definition else { return Err(InputError::NoSize) };
                let containers = definition.containers;
                let vcpu = vcpu.or(containers.map(|c| c.vcpu));
                let memory = memory.or(containers.and_then(|c| c.memory_gb));
                match (vcpu, memory) {
                    (Some(vcpu), Some(memory_gb)) => sized(vcpu, memory_gb, SizeFrom::Containers),
                    (None, _) => Err(InputError::NoSizeInTaskDefinition("cpu or memory, and no containers")),
                    (_, None) => Err(InputError::NoSizeInTaskDefinition(
                        "memory, and not every container states `memory` or `memoryReservation`",
                    )),
                }
            }
        }
    }
}

/// The range rules every input path applies to a quantity by its key: `positive` (more than 0),
/// `non_negative` (0 or more), `at_least_one` (a count). Workloads, batch lines, flags and usage
/// files all call these, so `hours = -1` is refused the same way wherever it is written.
pub(crate) fn positive(key: &'static str, value: Decimal) -> Result<Decimal, InputError> {
    if value > Decimal::ZERO {
        Ok(value)
    } else {
        Err(InputError::Value { key, message: format!("must be greater than 0, got {value}") })
    }
}

pub(crate) fn non_negative(key: &'static str, value: Decimal) -> Result<Decimal, InputError> {
    if value < Decimal::ZERO {
        Err(InputError::Value { key, message: format!("must be 0 or more, got {value}") })
    } else {
        Ok(value)
    }
}

pub(crate) fn at_least_one(key: &'static str, value: Option<u64>) -> Result<u64, InputError> {
    match value {
        None => Ok(1),
        Some(0) => Err(InputError::Value { key, message: "must be at least 1, got 0".into() }),
        Some(n) => Ok(n),
    }
}

/// Where a TOML error points, in terms a person can find: line, column, the `[table]` or
/// `[[array]] #n` it is under and the key whose value is wrong, with the parser's message on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TomlProblem {
    pub line: usize,
    pub column: usize,
    pub table: Option<String>,
    pub message: String,
}

impl TomlProblem {
    pub(crate) fn new(text: &str, err: &toml::de::Error) -> Self {
        let offset = err.span().map_or(0, |s| s.start);
        let (line, column) = line_column(text, offset);
        let mut message = one_line(err.message());
        if let Some(key) = key_at(text, offset).filter(|k| !message.contains(&format!("`{k}`"))) {
            message = format!("`{key}`: {message}");
        }
        TomlProblem { line, column, table: header_at(text, offset), message }
    }
}

/// The key of a `key = value` line when `offset` points into the value.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(start..offset)?;
    // The last `key =` before the value: in an inline table `{ a = "1", b = 0.09 }`, that is `b`.
    let (before, _) = line.rsplit_once('=')?;
    let key = before.rsplit([',', '{']).next()?.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_owned())
}

/// The `[[table]] #n` or `[table]` header the byte `offset` falls under, if any.
fn header_at(text: &str, offset: usize) -> Option<String> {
    let mut counts = std::collections::HashMap::new();
    let mut current = None;
    let mut position = 0;
    for line in text.split_inclusive('\n') {
        if position > offset {
            break;
        }
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix("[[").and_then(|t| t.split("]]").next()) {
            let n = counts.entry(name.trim().to_owned()).or_insert(0);
            *n += 1;
            current = Some(format!("[[{}]] #{n}", name.trim()));
        } else if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.split(']').next()) {
            current = Some(format!("[{}]", name.trim()));
        }
        position += line.len();
    }
    current
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Error text on one line.
pub(crate) fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}
