//! Which input format a file is, from its content, for inputs given as plain paths
//! (`cost estimate FILE...`, `cost check FILE`): the same text can only be one of them.

use serde_json::Value;

/// The formats an input path may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A workload file (TOML).
    Workload,
    /// A task definition, as registered or as `describe-task-definition` prints it.
    TaskDefinition,
    /// What `aws ecs describe-services` prints.
    Services,
    /// A Terraform plan (`terraform show -json`).
    TerraformPlan,
    /// A CloudFormation template, JSON or YAML.
    CloudFormation,
    /// A CDK cloud assembly directory (`cdk.out`).
    CdkAssembly,
    /// A JSON report `cost` wrote.
    Report,
}

/// Every format, named, for the message when a file is none of them.
pub const ALL: &str = "a workload file (TOML), a task definition or describe-task-definition output (JSON), \
    describe-services output (JSON), a Terraform plan (terraform show -json), a CloudFormation template (JSON or \
    YAML), a CDK assembly directory (cdk.out) or a cost JSON report";

impl Format {
    /// How a report names what was read: `a CloudFormation template`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Workload => "a workload file",
            Format::TaskDefinition => "a task definition",
            Format::Services => "describe-services output",
            Format::TerraformPlan => "a Terraform plan",
            Format::CloudFormation => "a CloudFormation template",
            Format::CdkAssembly => "a CDK assembly",
            Format::Report => "a cost JSON report",
        }
    }
}

/// The format of a file's text, if it is one `cost` reads. JSON is told apart by its top-level
/// keys (JSON with none of them is no format); YAML by a `Resources:` line (a template); any other
/// text is a workload file (TOML).
pub fn detect(text: &str) -> Option<Format> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        let Ok(Value::Object(root)) = serde_json::from_str::<Value>(text) else {
            // Cut short or broken: a plan is still named by its keys near the start.
            return crate::input::terraform::looks_like_plan(text).then_some(Format::TerraformPlan);
        };
        let has = |key: &str| root.get(key).is_some_and(|v| !v.is_null());
        return if has("schema_version") && has("items") {
            Some(Format::Report)
        } else if has("format_version") && has("planned_values") {
            Some(Format::TerraformPlan)
        } else if root.get("Resources").is_some_and(Value::is_object) {
            Some(Format::CloudFormation)
        } else if root.get("services").is_some_and(Value::is_array) {
            Some(Format::Services)
        } else if has("taskDefinition")
            || ["family", "containerDefinitions", "cpu", "memory", "requiresCompatibilities"]
                .iter()
                .any(|k| has(k))
        {
            Some(Format::TaskDefinition)
        } else {
            None
        };
    }
    if text.lines().any(|line| line.starts_with("Resources:")) {
        return Some(Format::CloudFormation);
    }
    // Any other text is read as a workload, so that a mistake in one is named by the workload
    // reader (with its line) rather than called an unknown format.
    Some(Format::Workload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_formats_apart() {
        for (text, format) in [
            ("[[service]]\nname = \"api\"\nvcpu = 1\nmemory = 2\n", Some(Format::Workload)),
            ("{\"family\": \"web\", \"cpu\": \"256\"}", Some(Format::TaskDefinition)),
            ("{\"taskDefinition\": {\"family\": \"web\"}, \"tags\": []}", Some(Format::TaskDefinition)),
            ("{\"services\": [], \"failures\": []}", Some(Format::Services)),
            ("{\"format_version\": \"1.2\", \"planned_values\": {}}", Some(Format::TerraformPlan)),
            ("{\"format_version\": \"1.2\", \"terraform_version\": \"1.9", Some(Format::TerraformPlan)),
            ("{\"Resources\": {}}", Some(Format::CloudFormation)),
            (
                "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  A: {Type: X}\n",
                Some(Format::CloudFormation),
            ),
            ("{\"schema_version\": 1, \"items\": []}", Some(Format::Report)),
            ("{\"hello\": 1}", None),
            ("[1, 2]", Some(Format::Workload)),
        ] {
            assert_eq!(detect(text), format, "{text}");
        }
    }
}
