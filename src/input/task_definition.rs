//! ECS task definitions as people have them: the `RegisterTaskDefinition` JSON, or what
//! `aws ecs describe-task-definition` prints (`{"taskDefinition": {...}, "tags": [...]}`).
//!
//! Value forms (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html>): `cpu` is CPU units as a string or integer (`"1024"`,
//! `1024`) or a vCPU string (`"1 vCPU"`); `memory` is MiB as a string or integer (`"2048"`) or a GB
//! string (`"2GB"`, `"2 GB"`). Every `WINDOWS_SERVER_*` operating system family is Windows. A
//! `null` (console and SDK exports write one for every unset field) means the field is absent.

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::model::{Arch, Os};
use crate::money::{exact_div, parse_decimal, parse_json_number};

/// What a task definition says about pricing. Absent fields are `None`; the caller decides
/// whether flags fill them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskDefinition {
    /// `family`, with `:revision` when the definition has one.
    pub name: Option<String>,
    pub vcpu: Option<Decimal>,
    pub memory_gb: Option<Decimal>,
    pub arch: Option<Arch>,
    pub os: Option<Os>,
    pub ephemeral_storage_gb: Option<Decimal>,
    /// `requiresCompatibilities`, e.g. `["FARGATE"]`; empty when absent.
    pub requires_compatibilities: Vec<String>,
    /// What the containers reserve together, for a definition with no task-level size.
    pub containers: Option<Containers>,
}

/// What a task definition's containers reserve on a container instance, summed. ECS places a task
/// with no task-level size by these (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html>):
/// - CPU: each container's `cpu` units; an absent, 0 or 1 `cpu` is the 2 CPU shares the ECS agent
///   gives such a container (the least the Linux kernel allows).
/// - Memory: each container's `memoryReservation` (the soft limit, which placement subtracts), or
///   else its `memory` (the hard limit). `None` when a container states neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Containers {
    pub vcpu: Decimal,
    pub memory_gb: Option<Decimal>,
}

/// Why a task definition cannot be read. `field` is the JSON path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskDefinitionError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("the input is empty")]
    Empty,
    #[error("expected a JSON object (a task definition), got {0}")]
    NotAnObject(&'static str),
    #[error("`{field}`: {message}")]
    Field { field: String, message: String },
    #[error("not a task definition: {0}")]
    NotATaskDefinition(String),
}

/// The keys a task definition is recognised by: one of them must be there.
const KEYS: [&str; 7] = [
    "family",
    "containerDefinitions",
    "cpu",
    "memory",
    "requiresCompatibilities",
    "runtimePlatform",
    "ephemeralStorage",
];

const UNITS_PER_VCPU: u32 = 1024;
const MIB_PER_GB: u32 = 1024;

/// Reads a task definition from its JSON text.
pub fn parse(text: &str) -> Result<TaskDefinition, TaskDefinitionError> {
    from_value(&json(text)?)
}

/// The JSON value of a task definition's text, before it is read as one.
pub(crate) fn json(text: &str) -> Result<Value, TaskDefinitionError> {
    if text.trim().is_empty() {
        return Err(TaskDefinitionError::Empty);
    }
    serde_json::from_str(text).map_err(|e| json_error(text, &e))
}

/// `serde_json`'s message, or, for a file with `//` or `/* */` comments (which some tools accept
/// and JSON does not), that, with the line of the first.
fn json_error(text: &str, error: &serde_json::Error) -> TaskDefinitionError {
    // A line that starts with a comment cannot be inside a JSON string, which has no raw newline.
    let comment = text.lines().position(|l| {
        let l = l.trim_start();
        l.starts_with("//") || l.starts_with("/*")
    });
    match comment {
        Some(index) if index < error.line() => TaskDefinitionError::Json(format!(
            "JSON does not allow comments (line {} starts one); remove them",
            index + 1
        )),
        _ => TaskDefinitionError::Json(error.to_string()),
    }
}

/// `key`'s value, with `null` as absent.
fn get<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|v| !v.is_null())
}

/// Reads a task definition from its JSON value: a `RegisterTaskDefinition` input, or the output of
/// `describe-task-definition` (the definition under `taskDefinition`).
pub fn from_value(value: &Value) -> Result<TaskDefinition, TaskDefinitionError> {
    let root = value.as_object().ok_or(TaskDefinitionError::NotAnObject(kind(value)))?;
    // describe-task-definition wraps the definition.
    let (prefix, def) = match root.get("taskDefinition") {
        Some(Value::Object(inner)) => ("taskDefinition.", inner),
        Some(other) => {
            return Err(field("taskDefinition", format!("expected an object, got {}", kind(other))));
        }
        None => ("", root),
    };
    if !KEYS.iter().any(|key| def.contains_key(*key)) {
        let found: Vec<&str> = def.keys().take(5).map(String::as_str).collect();
        return Err(TaskDefinitionError::NotATaskDefinition(format!(
            "it has none of {}; its keys: {}",
            KEYS.join(", "),
            if found.is_empty() { "none".to_owned() } else { found.join(", ") }
        )));
    }
    let at = |name: &str| format!("{prefix}{name}");
    let name = match (get(def, "family"), get(def, "revision")) {
        (Some(Value::String(family)), Some(Value::Number(rev))) => Some(format!("{family}:{rev}")),
        (Some(Value::String(family)), _) => Some(family.clone()),
        _ => None,
    };
    let vcpu = get(def, "cpu").map(|v| CPU.read(v).map_err(|m| field(&at("cpu"), m))).transpose()?;
    let memory_gb =
        get(def, "memory").map(|v| MEMORY.read(v).map_err(|m| field(&at("memory"), m))).transpose()?;
    let platform = object(def, "runtimePlatform").map_err(|m| field(&at("runtimePlatform"), m))?;
    let arch = platform
        .and_then(|p| get(p, "cpuArchitecture"))
        .map(|v| architecture(v).map_err(|m| field(&at("runtimePlatform.cpuArchitecture"), m)))
        .transpose()?;
    let os = platform
        .and_then(|p| get(p, "operatingSystemFamily"))
        .map(|v| os_family(v).map_err(|m| field(&at("runtimePlatform.operatingSystemFamily"), m)))
        .transpose()?;
    let storage = object(def, "ephemeralStorage").map_err(|m| field(&at("ephemeralStorage"), m))?;
    let ephemeral_storage_gb = storage
        .and_then(|s| get(s, "sizeInGiB"))
        .map(|v| {
            let gib = number(v).and_then(|n| positive(n, &v.to_string()));
            gib.map_err(|m| field(&at("ephemeralStorage.sizeInGiB"), m))
        })
        .transpose()?;
    let requires_compatibilities = match get(def, "requiresCompatibilities") {
        None => Vec::new(),
        Some(Value::Array(items)) => {
            items.iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>().ok_or_else(
                || {
                    field(
                        &at("requiresCompatibilities"),
                        "expected an array of strings such as [\"FARGATE\"]".into(),
                    )
                },
            )?
        }
        Some(other) => {
            return Err(field(
                &at("requiresCompatibilities"),
                format!("expected an array, got {}", kind(other)),
            ));
        }
    };
    let containers = containers(get(def, "containerDefinitions"), &at("containerDefinitions"))?;
    Ok(TaskDefinition {
        name,
        vcpu,
        memory_gb,
        arch,
        os,
        ephemeral_storage_gb,
        requires_compatibilities,
        containers,
    })
}

fn field(name: &str, message: String) -> TaskDefinitionError {
    TaskDefinitionError::Field { field: name.to_owned(), message }
}

/// What kind of JSON value this is, for messages: `a string`, `an array`, ….
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn object<'a>(def: &'a Map<String, Value>, key: &str) -> Result<Option<&'a Map<String, Value>>, String> {
    match get(def, key) {
        None => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(other) => Err(format!("expected an object, got {}", kind(other))),
    }
}

/// A JSON number or numeric string, exactly.
fn number(value: &Value) -> Result<Decimal, String> {
    match value {
        Value::Number(n) => parse_json_number(&n.to_string()).map_err(|e| e.to_string()),
        Value::String(s) => parse_decimal(s).map_err(|e| e.to_string()),
        other => Err(format!("expected a number, got {}", kind(other))),
    }
}

/// Splits `"2 GB"` / `"1vCPU"` into the number and the lower-cased unit.
fn with_unit(text: &str) -> (&str, String) {
    let t = text.trim();
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    (t[..split].trim(), t[split..].trim().to_ascii_lowercase())
}

/// A size field: a bare number (or one with a `small_units` suffix) counts small units, `per` to
/// the large unit; a `large_units` suffix gives the large unit directly.
struct SizeField {
    expected: &'static str,
    per: u32,
    small_units: &'static [&'static str],
    large_units: &'static [&'static str],
}

const CPU: SizeField = SizeField {
    expected: "expected CPU units (\"1024\" or 1024) or vCPU (\"1 vCPU\")",
    per: UNITS_PER_VCPU,
    small_units: &[""],
    large_units: &["vcpu"],
};

const MEMORY: SizeField = SizeField {
    expected: "expected MiB (\"2048\" or 2048) or GB (\"2 GB\")",
    per: MIB_PER_GB,
    small_units: &["", "mib", "mb"],
    large_units: &["gb", "gib"],
};

impl SizeField {
    /// The value in the large unit (vCPU, GB).
    fn read(&self, value: &Value) -> Result<Decimal, String> {
        let expected = self.expected;
        let small = match value {
            Value::String(s) => {
                let (num, unit) = with_unit(s);
                let n = parse_decimal(num).map_err(|_| format!("{expected}, got \"{s}\""))?;
                if self.large_units.contains(&unit.as_str()) {
                    return positive(n, s);
                }
                if !self.small_units.contains(&unit.as_str()) {
                    return Err(format!("{expected}, got \"{s}\""));
                }
                n
            }
            Value::Number(_) => number(value)?,
            other => return Err(format!("{expected}, got {}", kind(other))),
        };
        let large = exact_div("a task definition's size", small, Decimal::from(self.per))
            .map_err(|_| format!("{value} is too large to price exactly"))?;
        positive(large, &value.to_string())
    }
}

fn positive(value: Decimal, shown: &str) -> Result<Decimal, String> {
    if value > Decimal::ZERO {
        Ok(value.normalize())
    } else {
        Err(format!("must be greater than 0, got {shown}"))
    }
}

fn architecture(value: &Value) -> Result<Arch, String> {
    match value.as_str() {
        Some("X86_64") => Ok(Arch::X86_64),
        Some("ARM64") => Ok(Arch::Arm64),
        _ => Err(format!("expected \"X86_64\" or \"ARM64\", got {value}")),
    }
}

fn os_family(value: &Value) -> Result<Os, String> {
    match value.as_str() {
        Some("LINUX") => Ok(Os::Linux),
        Some(s) if s.starts_with("WINDOWS_SERVER_") => Ok(Os::Windows),
        _ => Err(format!("expected \"LINUX\" or a \"WINDOWS_SERVER_*\" family, got {value}")),
    }
}

/// What the containers reserve together (see [`Containers`]); `None` without containers.
fn containers(list: Option<&Value>, at: &str) -> Result<Option<Containers>, TaskDefinitionError> {
    const LEAST_UNITS: u32 = 2;
    let containers = match list {
        None => return Ok(None),
        Some(Value::Array(items)) if items.is_empty() => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(other) => return Err(field(at, format!("expected an array, got {}", kind(other)))),
    };
    let mut units = Decimal::ZERO;
    let mut mib = Some(Decimal::ZERO);
    for (i, container) in containers.iter().enumerate() {
        let Value::Object(container) = container else {
            return Err(field(&format!("{at}[{i}]"), format!("expected an object, got {}", kind(container))));
        };
        let read = |key: &str| {
            get(container, key)
                .map(|v| {
                    number(v)
                        .and_then(|n| {
                            if n < Decimal::ZERO { Err(format!("must be 0 or more, got {v}")) } else { Ok(n) }
                        })
                        .map_err(|m| field(&format!("{at}[{i}].{key}"), m))
                })
                .transpose()
        };
        let cpu = read("cpu")?.unwrap_or_default().max(Decimal::from(LEAST_UNITS));
        let memory = read("memoryReservation")?.or(read("memory")?).filter(|m| !m.is_zero());
        let overflow = || field(at, "the containers' sizes are too large to add up".into());
        units = units.checked_add(cpu).ok_or_else(overflow)?;
        mib = match (mib, memory) {
            (Some(total), Some(m)) => Some(total.checked_add(m).ok_or_else(overflow)?),
            _ => None,
        };
    }
    let large = |value: Decimal, per: u32| {
        exact_div("a task definition's size", value, Decimal::from(per))
            .map(|v| v.normalize())
            .map_err(|_| field(at, "the containers' sizes are too large to price exactly".into()))
    };
    Ok(Some(Containers {
        vcpu: large(units, UNITS_PER_VCPU)?,
        memory_gb: mib.map(|m| large(m, MIB_PER_GB)).transpose()?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn reads_the_aws_guide_example() {
        let td = parse(include_str!("../../tests/data/task-definition-fargate.json")).unwrap();
        // "cpu": "256" → 0.25 vCPU; "memory": "512" → 0.5 GB.
        assert_eq!((td.vcpu, td.memory_gb), (Some(d("0.25")), Some(d("0.5"))));
        assert_eq!(td.os, Some(Os::Linux));
        assert_eq!(td.arch, None);
        assert_eq!(td.name.as_deref(), Some("fargate-task-definition"));
        assert_eq!(td.requires_compatibilities, ["FARGATE"]);
    }

    #[test]
    fn reads_describe_task_definition_output() {
        let td = parse(include_str!("../../tests/data/describe-task-definition.json")).unwrap();
        // "cpu": "512", "memory": "2048" → 0.5 vCPU / 2 GB; family prowler, revision 5.
        assert_eq!((td.vcpu, td.memory_gb), (Some(d("0.5")), Some(d("2"))));
        assert_eq!(td.name.as_deref(), Some("prowler:5"));
        // Its one container states cpu 0 (2 shares: 2/1024 vCPU) and no memory.
        assert_eq!(td.containers, Some(Containers { vcpu: d("0.001953125"), memory_gb: None }));
    }

    #[test]
    fn accepts_every_documented_value_form() {
        for (cpu, memory, vcpu, gb) in [
            ("\"1024\"", "\"2048\"", "1", "2"),
            ("1024", "2048", "1", "2"),
            ("\"1 vCPU\"", "\"2 GB\"", "1", "2"),
            ("\"0.25 vcpu\"", "\"0.5GB\"", "0.25", "0.5"),
            ("\"4vCPU\"", "\"30gb\"", "4", "30"),
            ("\"512\"", "\"1536 MiB\"", "0.5", "1.5"),
        ] {
            let td = parse(&format!("{{\"cpu\": {cpu}, \"memory\": {memory}}}")).unwrap();
            assert_eq!((td.vcpu, td.memory_gb), (Some(d(vcpu)), Some(d(gb))), "{cpu} {memory}");
        }
    }

    #[test]
    fn platform_storage_and_windows_families() {
        let td = parse(
            r#"{"cpu": "1024", "memory": "2048",
                "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
                "ephemeralStorage": {"sizeInGiB": 50}}"#,
        )
        .unwrap();
        assert_eq!(
            (td.arch, td.os, td.ephemeral_storage_gb),
            (Some(Arch::Arm64), Some(Os::Linux), Some(d("50")))
        );
        for family in [
            "WINDOWS_SERVER_2019_FULL",
            "WINDOWS_SERVER_2022_CORE",
            "WINDOWS_SERVER_2025_FULL",
            "WINDOWS_SERVER_20H2_CORE",
        ] {
            let td = parse(&format!("{{\"runtimePlatform\": {{\"operatingSystemFamily\": \"{family}\"}}}}"))
                .unwrap();
            assert_eq!(td.os, Some(Os::Windows), "{family}");
        }
    }

    #[test]
    fn sums_what_the_containers_reserve() {
        let td = parse(
            r#"{"containerDefinitions": [
                {"name": "app", "cpu": 256, "memory": 512},
                {"name": "sidecar", "cpu": "256", "memory": 1024, "memoryReservation": 512},
                {"name": "log", "cpu": 0, "memoryReservation": 64},
                {"name": "init", "cpu": null, "memory": 128}]}"#,
        )
        .unwrap();
        assert_eq!((td.vcpu, td.memory_gb), (None, None));
        // CPU: 256 + 256 + 2 (cpu 0 gets 2 shares) + 2 (null: absent) = 516 units = 516/1024 vCPU
        // = 0.50390625. Memory: 512 + 512 (the reservation, not the 1024 limit) + 64 + 128 = 1216
        // MiB = 1.1875 GB.
        assert_eq!(td.containers, Some(Containers { vcpu: d("0.50390625"), memory_gb: Some(d("1.1875")) }));
        // A container with neither memory nor memoryReservation: the memory is unknown.
        let td = parse(r#"{"containerDefinitions": [{"cpu": 10, "memory": 500}, {"cpu": 10}]}"#).unwrap();
        // 10 + 10 units = 20/1024 = 0.01953125 vCPU.
        assert_eq!(td.containers, Some(Containers { vcpu: d("0.01953125"), memory_gb: None }));
        assert_eq!(parse(r#"{"containerDefinitions": []}"#).unwrap().containers, None);
    }

    #[test]
    fn null_is_absent() {
        let td = parse(
            r#"{"family": "web", "revision": null, "cpu": "256", "memory": "512",
                "runtimePlatform": {"cpuArchitecture": null, "operatingSystemFamily": "LINUX"},
                "ephemeralStorage": null, "requiresCompatibilities": null, "taskDefinitionArn": null,
                "containerDefinitions": [{"name": "app", "cpu": 0, "memory": null, "memoryReservation": null}]}"#,
        )
        .unwrap();
        assert_eq!(td.name.as_deref(), Some("web"));
        assert_eq!((td.arch, td.os, td.ephemeral_storage_gb), (None, Some(Os::Linux), None));
        assert!(td.requires_compatibilities.is_empty());
        assert_eq!(td.containers, Some(Containers { vcpu: d("0.001953125"), memory_gb: None }));
    }

    #[test]
    fn comments_and_other_documents_are_named() {
        let err = parse("{\n  \"cpu\": \"256\",\n  // the web tier\n  \"memory\": \"512\"\n}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "not valid JSON: JSON does not allow comments (line 3 starts one); remove them"
        );
        let err = parse(r#"{"status_code": 200, "data": {"taskDefinition": {}}}"#).unwrap_err().to_string();
        assert!(
            err.starts_with("not a task definition: it has none of family, containerDefinitions"),
            "{err}"
        );
        assert!(err.ends_with("its keys: data, status_code"), "{err}");
    }

    #[test]
    fn names_the_field_that_is_wrong() {
        let cases = [
            (r#"{"cpu": "lots"}"#, "`cpu`"),
            (r#"{"cpu": true}"#, "`cpu`"),
            (r#"{"cpu": "0"}"#, "`cpu`"),
            (r#"{"cpu": "-256"}"#, "`cpu`"),
            (r#"{"memory": "2 TB"}"#, "`memory`"),
            (r#"{"memory": []}"#, "`memory`"),
            (r#"{"runtimePlatform": {"cpuArchitecture": "RISCV"}}"#, "`runtimePlatform.cpuArchitecture`"),
            (
                r#"{"runtimePlatform": {"operatingSystemFamily": "MACOS"}}"#,
                "`runtimePlatform.operatingSystemFamily`",
            ),
            (r#"{"runtimePlatform": 3}"#, "`runtimePlatform`"),
            (r#"{"ephemeralStorage": {"sizeInGiB": "big"}}"#, "`ephemeralStorage.sizeInGiB`"),
            (r#"{"requiresCompatibilities": "FARGATE"}"#, "`requiresCompatibilities`"),
            (r#"{"taskDefinition": {"cpu": "x"}}"#, "`taskDefinition.cpu`"),
            (r#"{"taskDefinition": 1}"#, "`taskDefinition`"),
            (r#"{"containerDefinitions": {}}"#, "`containerDefinitions`"),
            (r#"{"containerDefinitions": [1]}"#, "`containerDefinitions[0]`"),
            (r#"{"containerDefinitions": [{"cpu": -1}]}"#, "`containerDefinitions[0].cpu`"),
            (r#"{"containerDefinitions": [{"memory": "lots"}]}"#, "`containerDefinitions[0].memory`"),
            // 79228162514264337593543950335 units / 1024 needs more digits than a Decimal keeps.
            (r#"{"cpu": "79228162514264337593543950335"}"#, "too large to price exactly"),
            (
                r#"{"containerDefinitions": [{"cpu": 79228162514264337593543950335}]}"#,
                "too large to price exactly",
            ),
        ];
        for (text, named) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(named), "{text}: {err}");
        }
        assert_eq!(parse("  "), Err(TaskDefinitionError::Empty));
        assert!(matches!(parse("[1]"), Err(TaskDefinitionError::NotAnObject("an array"))));
        assert!(parse("{\"cpu\": ").unwrap_err().to_string().contains("line 1"));
    }
}
