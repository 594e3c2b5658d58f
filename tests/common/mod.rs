//! Helpers the CLI test files share: the binary with a clean environment, exact numbers from
//! JSON, and the failure contract (exit code, nothing on stdout, one line on stderr).

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::str::FromStr;

use assert_cmd::Command;
use rust_decimal::Decimal;
use serde_json::Value;

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The `cost` binary, with no region or colour settings from the environment and no stale-rates
/// warning (`tests/rates_cli.rs` tests that warning on its own).
pub fn cost() -> Command {
    let mut cmd = Command::cargo_bin("cost").unwrap();
    cmd.env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("NO_COLOR")
        .env("COST_NO_STALE_WARNING", "1");
    cmd
}

/// A file of `tests/data/`.
pub fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A file of `examples/`.
pub fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `cost` with `args` (and `stdin`), expects exit 0, and returns the parsed JSON.
pub fn json(args: &[&str], stdin: Option<&str>) -> Value {
    let mut cmd = cost();
    cmd.args(args).args(["--format", "json"]);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = cmd.assert().success().get_output().clone();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A JSON number read exactly.
pub fn number(v: &Value) -> Decimal {
    Decimal::from_str(&v.as_number().unwrap_or_else(|| panic!("{v} is not a number")).to_string()).unwrap()
}

/// Runs `cost` expecting failure with `code`: nothing on stdout, one line on stderr containing
/// every one of `needles`.
pub fn fails(args: &[&str], stdin: Option<&str>, code: i32, needles: &[&str]) {
    let mut cmd = cost();
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = cmd.assert().code(code).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.stdout.is_empty(), "{args:?}: stdout not empty");
    assert_eq!(stderr.matches('\n').count(), 1, "{args:?}: not one line: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{args:?}: {stderr:?} lacks {needle:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Terraform plans, as `terraform show -json PLANFILE` prints them (`format_version` 1.x), written
// after Terraform's documented JSON output format (tests/terraform.rs, tests/fuzz.rs).
// ---------------------------------------------------------------------------------------------

/// A planned resource instance.
pub fn tf_resource(address: &str, kind: &str, name: &str, index: Option<Value>, values: Value) -> Value {
    let mut r = serde_json::json!({
        "address": address, "mode": "managed", "type": kind, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
        "sensitive_values": {},
    });
    r["values"] = values;
    if let Some(index) = index {
        r["index"] = index;
    }
    r
}

/// A configuration resource block whose expressions refer to `refs` (expression → references).
pub fn tf_config(kind: &str, name: &str, refs: &[(&str, &[&str])]) -> Value {
    let expressions: serde_json::Map<String, Value> = refs
        .iter()
        .map(|(key, references)| ((*key).to_owned(), serde_json::json!({ "references": references })))
        .collect();
    serde_json::json!({ "address": format!("{kind}.{name}"), "mode": "managed", "type": kind, "name": name,
            "provider_config_key": "aws", "expressions": expressions, "schema_version": 0 })
}

pub fn tf_task_definition(address: &str, name: &str, index: Option<Value>, cpu: &str, memory: &str) -> Value {
    tf_resource(
        address,
        "aws_ecs_task_definition",
        name,
        index,
        serde_json::json!({ "family": name, "cpu": cpu, "memory": memory, "requires_compatibilities": ["FARGATE"],
                "network_mode": "awsvpc", "arn": null, "revision": null,
                "container_definitions": "[{\"name\":\"app\",\"image\":\"nginx\",\"essential\":true}]" }),
    )
}

/// A whole plan: planned root resources and child modules, the root configuration module, and the
/// AWS provider's `region` expression.
pub fn tf_plan(resources: Value, child_modules: Value, root_config: Value, region: Option<Value>) -> Value {
    let mut provider =
        serde_json::json!({ "name": "aws", "full_name": "registry.terraform.io/hashicorp/aws" });
    if let Some(region) = region {
        provider["expressions"] = serde_json::json!({ "region": region });
    }
    let mut plan = serde_json::json!({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": { "root_module": {} },
        "resource_changes": [],
        "configuration": { "provider_config": { "aws": provider } },
        "timestamp": "2026-09-30T12:00:00Z",
        "applyable": true,
        "complete": true,
        "errored": false,
    });
    plan["planned_values"]["root_module"]["resources"] = resources;
    plan["planned_values"]["root_module"]["child_modules"] = child_modules;
    plan["configuration"]["root_module"] = root_config;
    plan
}

pub fn us_east_1() -> Value {
    serde_json::json!({ "constant_value": "us-east-1" })
}
