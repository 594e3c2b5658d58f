//! ECS task definitions as people have them: the `RegisterTaskDefinition` JSON, or what
//! `aws ecs describe-task-definition` prints (`{"taskDefinition": {...}, "tags": [...]}`).
//!
//! Value forms (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html>): `cpu` is CPU units as a string or integer (`"1024"`,
//! `1024`) or a vCPU string (`"1 vCPU"`); `memory` is MiB as a string or integer (`"2048"`) or a GB
//! string (`"2GB"`, `"2 GB"`). Every `WINDOWS_SERVER_*` operating system family is Windows.

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::model::{Arch, Os, Size};
use crate::money::{parse_decimal, parse_json_number};

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
    /// The sum of the containers' `cpu` and `memory` (or `memoryReservation`), when every
    /// container states both: the size the user probably meant when the task level has none.
    pub containers_total: Option<Size>,
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
}

const UNITS_PER_VCPU: u32 = 1024;
const MIB_PER_GB: u32 = 1024;

/// Reads a task definition from its JSON text.
pub fn parse(text: &str) -> Result<TaskDefinition, TaskDefinitionError> {
    if text.trim().is_empty() {
        return Err(TaskDefinitionError::Empty);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| TaskDefinitionError::Json(e.to_string()))?;
    from_value(&value)
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
    let at = |name: &str| format!("{prefix}{name}");
    let name = match (def.get("family"), def.get("revision")) {
        (Some(Value::String(family)), Some(Value::Number(rev))) => Some(format!("{family}:{rev}")),
        (Some(Value::String(family)), _) => Some(family.clone()),
        _ => None,
    };
    let vcpu = def.get("cpu").map(|v| CPU.read(v).map_err(|m| field(&at("cpu"), m))).transpose()?;
    let memory_gb =
        def.get("memory").map(|v| MEMORY.read(v).map_err(|m| field(&at("memory"), m))).transpose()?;
    let platform = object(def, "runtimePlatform").map_err(|m| field(&at("runtimePlatform"), m))?;
    let arch = platform
        .and_then(|p| p.get("cpuArchitecture"))
        .map(|v| architecture(v).map_err(|m| field(&at("runtimePlatform.cpuArchitecture"), m)))
        .transpose()?;
    let os = platform
        .and_then(|p| p.get("operatingSystemFamily"))
        .map(|v| os_family(v).map_err(|m| field(&at("runtimePlatform.operatingSystemFamily"), m)))
        .transpose()?;
    let storage = object(def, "ephemeralStorage").map_err(|m| field(&at("ephemeralStorage"), m))?;
    let ephemeral_storage_gb = storage
        .and_then(|s| s.get("sizeInGiB"))
        .map(|v| {
            let gib = number(v).and_then(|n| positive(n, &v.to_string()));
            gib.map_err(|m| field(&at("ephemeralStorage.sizeInGiB"), m))
        })
        .transpose()?;
    let requires_compatibilities = match def.get("requiresCompatibilities") {
        None | Some(Value::Null) => Vec::new(),
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
    let containers_total = containers_total(def.get("containerDefinitions"));
    Ok(TaskDefinition {
        name,
        vcpu,
        memory_gb,
        arch,
        os,
        ephemeral_storage_gb,
        requires_compatibilities,
        containers_total,
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
    match def.get(key) {
        None | Some(Value::Null) => Ok(None),
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
        positive(small / Decimal::from(self.per), &value.to_string())
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

/// The containers' summed size, if every container states cpu (units) and memory (MiB).
fn containers_total(containers: Option<&Value>) -> Option<Size> {
    let containers = containers?.as_array()?;
    if containers.is_empty() {
        return None;
    }
    let mut units = Decimal::ZERO;
    let mut mib = Decimal::ZERO;
    for c in containers {
        let cpu = c.get("cpu").and_then(|v| number(v).ok()).filter(|n| *n > Decimal::ZERO)?;
        let memory = c
            .get("memory")
            .or_else(|| c.get("memoryReservation"))
            .and_then(|v| number(v).ok())
            .filter(|n| *n > Decimal::ZERO)?;
        units = units.checked_add(cpu)?;
        mib = mib.checked_add(memory)?;
    }
    Some(Size {
        vcpu: (units / Decimal::from(UNITS_PER_VCPU)).normalize(),
        memory_gb: (mib / Decimal::from(MIB_PER_GB)).normalize(),
    })
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
        // Its one container states cpu 0 and no memory, so there is no container total.
        assert_eq!(td.containers_total, None);
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
    fn offers_the_containers_sum_when_the_task_level_is_absent() {
        let td = parse(
            r#"{"containerDefinitions": [
                {"name": "app", "cpu": 256, "memory": 512},
                {"name": "sidecar", "cpu": 256, "memoryReservation": 512}]}"#,
        )
        .unwrap();
        assert_eq!((td.vcpu, td.memory_gb), (None, None));
        // 256 + 256 units = 0.5 vCPU; 512 + 512 MiB = 1 GB.
        assert_eq!(td.containers_total, Some(Size { vcpu: d("0.5"), memory_gb: d("1") }));
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
