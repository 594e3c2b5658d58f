//! The property-based companion of the libFuzzer targets in fuzz/ (which need nightly Rust and
//! run outside CI): on stable, in every test run, proptest feeds every parser arbitrary text and
//! bytes, and mutated real inputs (the shared samples, the workloads, the shipped rate tables, a
//! report, both shapes of AWS price list, Terraform plans and their usage files) with bytes flipped,
//! the text cut short, `"`, `{`, `]`, `-`, `1e999` and the like inserted, lines (so keys)
//! duplicated and ranges deleted; Terraform plans are also generated whole from Terraform's
//! vocabulary (module calls, outputs and variables referring to each other, cycles included), so
//! random plans get past the syntax into linking and pricing, which byte-level fuzzing rarely
//! does. Parsers must return `Ok` or `Err`, never panic or hang. The CLI is run in process on
//! hostile flag values and mutated files, and must keep the failure contract: exit 0 to 3, and on
//! 1 or 2 nothing on stdout and one line for stderr.
//!
//! Then the exactness laws over random workloads priced through the CLI: totals are exact sums,
//! JSON numbers are plain decimals, and doubling every count doubles every per-hour line exactly.
//!
//! Each property runs a modest number of cases by default (the whole file takes about ten seconds
//! in a debug build); every property honours `PROPTEST_CASES`. To run them for a set time, one
//! group (parser) at a time, with fresh random cases on every repetition:
//!
//! ```sh
//! MINUTES=10 bash fuzz/proptest.sh                  # every group, 10 minutes each
//! MINUTES=2 bash fuzz/proptest.sh terraform-plan    # one group
//! ```
//!
//! A crash found here or by the fuzz targets becomes a plain regression test at the end of the
//! file.

mod common;

/// What the libFuzzer targets share (fuzz/src/lib.rs): `cost` run in process, the parsers with
/// what the CLI does after them, a workload with every kind of item. This harness uses part of it.
#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod shared;

use common::*;
use shared::{FULL_WORKLOAD, Ran};

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::sync::OnceLock;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

use cost::model::Os;
use cost::rates::Date;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

/// `cases` per property, unless `PROPTEST_CASES` asks for another number.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}

// ---------------------------------------------------------------------------------------------
// Running the CLI in process.
// ---------------------------------------------------------------------------------------------

/// Runs `cost args` in process with `stdin`, no environment and no stale-rates warning.
fn cli(args: &[String], stdin: &[u8]) -> Ran {
    cli_on(args, stdin, None)
}

/// [`cli`] on the day `today`, which decides EKS support tiers (`None`: unknown) and, without
/// `--no-stale-warning`, whether the rates are stale.
fn cli_on(args: &[String], stdin: &[u8], today: Option<Date>) -> Ran {
    let args: Vec<OsString> = args.iter().map(OsString::from).collect();
    shared::cli(&args, stdin, today)
}

fn one_line(text: &str) -> bool {
    !text.trim().is_empty() && !text.contains('\n')
}

/// The failure contract: exit 0 to 4; 0 with no line or one `warning:` line (something unpriced);
/// 1 or 2 with nothing on stdout and one error line; 3 (over budget) and 4 (incomplete) with the
/// report and one line. `streams` allows what `--batch` printed before a bad line (every line of
/// it whole JSON) and `rates check`'s problem list.
fn contract(args: &[String], ran: &Ran, streams: bool) -> Result<(), TestCaseError> {
    let shown = || format!("cost {args:?} -> exit {}, stderr {:?}", ran.code, ran.stderr);
    prop_assert!(ran.code <= 4, "{}", shown());
    prop_assert!(ran.warnings.is_empty(), "{}: warnings {:?}", shown(), ran.warnings);
    if ran.code == 0 {
        let warning = ran.stderr.as_deref().is_none_or(|l| one_line(l) && l.starts_with("warning: "));
        prop_assert!(warning, "{}", shown());
    } else {
        let line = ran.stderr.as_deref().unwrap_or("");
        prop_assert!(one_line(line), "{}: not one line", shown());
        prop_assert!(!line.contains("panicked"), "{}", shown());
        if ran.code < 3 && !streams {
            prop_assert!(ran.out.is_empty(), "{}: stdout {:?}", shown(), String::from_utf8_lossy(&ran.out));
        }
    }
    Ok(())
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_owned()).collect()
}

// ---------------------------------------------------------------------------------------------
// Seeds and mutations.
// ---------------------------------------------------------------------------------------------

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn root(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// The real inputs mutations start from.
struct Seeds {
    task_definitions: Vec<Vec<u8>>,
    workloads: Vec<Vec<u8>>,
    rate_tables: Vec<Vec<u8>>,
    reports: Vec<Vec<u8>>,
    /// Both shapes: `aws pricing get-products` output and a bulk offer file.
    price_lists: Vec<Vec<u8>>,
    batches: Vec<Vec<u8>>,
    /// Terraform plan JSON (`terraform show -json`), every one of which prices.
    plans: Vec<Vec<u8>>,
    /// Usage files (`--usage`) for those plans.
    usages: Vec<Vec<u8>>,
}

const BATCH: &str = r#"{"name": "api", "vcpu": 1, "memory": 2, "count": 3, "arch": "arm64"}
{"vcpu": 0.25, "memory": 0.5, "hours": 1.5, "runs": 30, "spot": true}

{"name": "win", "vcpu": 2, "memory": 8, "os": "windows", "minutes": 45, "budget": 10}
{"name": "ec2", "launch_type": "ec2", "vcpu": 1, "memory": 2, "count": 6}
{"name": "pod", "platform": "eks", "vcpu": 0.3, "memory": 0.7, "data_transfer": 20000}
"#;

const SHORT_BATCH: &str =
    "{\"vcpu\": 4, \"memory\": 30, \"ephemeral_storage\": 200, \"data_transfer\": 153600.5}\n";

// Terraform plans, as `terraform show -json PLANFILE` prints them (`format_version` 1.x), built
// like those of tests/terraform.rs: one per way a plan links and places what it prices.

/// Placement: a weighted Spot strategy, a cluster's default strategy, and the EC2 launch type
/// with container-level sizes only.
fn strategies_plan() -> Value {
    tf_plan(
        json!([
            tf_resource(
                "aws_ecs_service.worker",
                "aws_ecs_service",
                "worker",
                None,
                json!({ "desired_count": 5,
                "capacity_provider_strategy": [
                    { "capacity_provider": "FARGATE", "base": 1, "weight": 1 },
                    { "capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 3 },
                ] })
            ),
            tf_resource(
                "aws_ecs_service.jobs",
                "aws_ecs_service",
                "jobs",
                None,
                json!({ "desired_count": 4 })
            ),
            tf_resource(
                "aws_ecs_service.legacy",
                "aws_ecs_service",
                "legacy",
                None,
                json!({ "desired_count": 2, "launch_type": "EC2" })
            ),
            tf_task_definition("aws_ecs_task_definition.worker", "worker", None, "1024", "2048"),
            tf_task_definition("aws_ecs_task_definition.jobs", "jobs", None, "512", "1024"),
            tf_resource(
                "aws_ecs_task_definition.legacy",
                "aws_ecs_task_definition",
                "legacy",
                None,
                json!({
                    "family": "legacy", "requires_compatibilities": ["EC2"], "network_mode": "bridge",
                    "container_definitions": "[{\"name\":\"app\",\"image\":\"app\",\"cpu\":512,\"memory\":1024},{\"name\":\"log\",\"image\":\"log\",\"cpu\":512,\"memoryReservation\":1024}]",
                })
            ),
            tf_resource("aws_ecs_cluster.main", "aws_ecs_cluster", "main", None, json!({ "name": "main" })),
            tf_resource(
                "aws_ecs_cluster_capacity_providers.main",
                "aws_ecs_cluster_capacity_providers",
                "main",
                None,
                json!({ "cluster_name": "main", "capacity_providers": ["FARGATE", "FARGATE_SPOT"],
                        "default_capacity_provider_strategy": [{ "capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 1 }] })
            ),
        ]),
        json!([]),
        json!({ "resources": [
            tf_config("aws_ecs_service", "worker", &[
                ("task_definition", &["aws_ecs_task_definition.worker.arn", "aws_ecs_task_definition.worker"]),
                ("cluster", &["aws_ecs_cluster.main.id", "aws_ecs_cluster.main"]),
            ]),
            tf_config("aws_ecs_service", "jobs", &[
                ("task_definition", &["aws_ecs_task_definition.jobs.arn", "aws_ecs_task_definition.jobs"]),
                ("cluster", &["aws_ecs_cluster.main.id", "aws_ecs_cluster.main"]),
            ]),
            tf_config("aws_ecs_service", "legacy", &[("task_definition", &["aws_ecs_task_definition.legacy.arn", "aws_ecs_task_definition.legacy"])]),
            tf_config("aws_ecs_cluster", "main", &[]),
            tf_config("aws_ecs_cluster_capacity_providers", "main", &[("cluster_name", &["aws_ecs_cluster.main.name", "aws_ecs_cluster.main"])]),
        ]}),
        Some(us_east_1()),
    )
}

/// EKS clusters on and off the release calendar, a Fargate profile, repositories; the region
/// from a root variable.
fn eks_plan() -> Value {
    let mut eks = tf_plan(
        json!([
            tf_resource(
                "aws_eks_cluster.old",
                "aws_eks_cluster",
                "old",
                None,
                json!({ "name": "old", "version": "1.32" })
            ),
            tf_resource(
                "aws_eks_cluster.new",
                "aws_eks_cluster",
                "new",
                None,
                json!({ "name": "new", "version": "1.99" })
            ),
            tf_resource(
                "aws_eks_cluster.kept",
                "aws_eks_cluster",
                "kept",
                None,
                json!({ "name": "kept", "version": "1.29.3", "upgrade_policy": [{ "support_type": "STANDARD" }] })
            ),
            tf_resource(
                "aws_eks_cluster.later",
                "aws_eks_cluster",
                "later",
                None,
                json!({ "name": "later", "version": null })
            ),
            tf_resource(
                "aws_eks_fargate_profile.default",
                "aws_eks_fargate_profile",
                "default",
                None,
                json!({ "fargate_profile_name": "default", "cluster_name": "old" })
            ),
            tf_ecr_images(),
        ]),
        json!([]),
        json!({ "resources": [], "variables": { "region": { "default": "us-east-1" } } }),
        Some(json!({ "references": ["var.region"] })),
    );
    eks["variables"] = json!({ "region": { "value": "eu-west-1" } });
    eks
}

/// A task definition found by the family in a known ARN; Windows, more storage; services that
/// are skipped (DAEMON, EXTERNAL) and a task definition nothing uses.
fn family_plan() -> Value {
    tf_plan(
        json!([
            tf_resource(
                "aws_ecs_service.win",
                "aws_ecs_service",
                "win",
                None,
                json!({ "desired_count": 2, "launch_type": "FARGATE",
                "task_definition": "arn:aws:ecs:us-east-1:123456789012:task-definition/win:7" })
            ),
            tf_resource(
                "aws_ecs_task_definition.win",
                "aws_ecs_task_definition",
                "win",
                None,
                json!({
                    "family": "win", "cpu": "1 vCPU", "memory": "3 GB", "requires_compatibilities": ["FARGATE"],
                    "runtime_platform": [{ "cpu_architecture": "X86_64", "operating_system_family": "WINDOWS_SERVER_2019_CORE" }],
                    "ephemeral_storage": [{ "size_in_gib": 50 }],
                    "container_definitions": "[{\"name\":\"iis\",\"image\":\"mcr.microsoft.com/windows/servercore/iis\"}]",
                })
            ),
            tf_resource(
                "aws_ecs_service.agent",
                "aws_ecs_service",
                "agent",
                None,
                json!({ "scheduling_strategy": "DAEMON", "launch_type": "EC2", "task_definition": "win:7" })
            ),
            tf_resource(
                "aws_ecs_service.edge",
                "aws_ecs_service",
                "edge",
                None,
                json!({ "desired_count": 1, "launch_type": "EXTERNAL", "task_definition": "win" })
            ),
            tf_task_definition("aws_ecs_task_definition.spare", "spare", None, "256", "512"),
        ]),
        json!([]),
        json!({ "resources": [] }),
        Some(us_east_1()),
    )
}

/// The first plan on one line, with the `resource_changes` Terraform prints beside it.
fn printed_plan() -> String {
    let mut printed = tf_root_service_plan();
    let changes: Vec<Value> = printed["planned_values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            json!({ "address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
                    "provider_name": r["provider_name"],
                    "change": { "actions": ["create"], "before": null, "after": r["values"],
                                "after_unknown": { "id": true, "arn": true }, "before_sensitive": false,
                                "after_sensitive": {} } })
        })
        .collect();
    printed["resource_changes"] = Value::Array(changes);
    printed.to_string()
}

/// The plans the plan mutations start from; every one prices.
fn plans() -> Vec<String> {
    let pretty = |plan: Value| serde_json::to_string_pretty(&plan).unwrap();
    vec![
        pretty(tf_root_service_plan()),
        pretty(tf_instances_plan()),
        pretty(tf_module_links_plan()),
        pretty(strategies_plan()),
        pretty(eks_plan()),
        pretty(family_plan()),
        printed_plan(),
    ]
}

/// Usage files for the plans: one short, one with every key (some for addresses with keys).
const USAGES: &[&str] = &[
    "hours = 100\n\n[resource.\"aws_ecr_repository.images\"]\nstorage_gb = 12\n",
    r#"# What the plans cannot know.
hours = "12.5"

[resource."aws_ecs_service.api"]
hours = 200
desired_count = 3
data_transfer = "50.5"

[resource."aws_ecs_service.legacy"]
instance_type = "m5.large"
instances = 2

[resource."module.svc[\"a\"].aws_ecs_service.this"]
desired_count = 1

[resource."module.svc.aws_ecs_service.this"]
hours = 1

[resource."aws_eks_cluster.new"]
hours = 100

[resource."aws_ecr_repository.images"]
storage_gb = "12.5"
months = 2
"#,
];

/// A bulk offer file as AWS publishes them (`.../offers/v1.0/aws/<Offer>/current/<region>/index.json`:
/// a header, `products` by SKU, then `terms`), pretty-printed as AWS prints them: Fargate, EKS and
/// EC2 products (with decoys an import skips: Windows, dedicated, reserved capacity, SQL Server),
/// tiered data transfer out (its region from the location name alone) and in, and reserved terms
/// an import skips. The other shape, `aws pricing get-products` output, is `tests/data`'s sample.
fn offer_file() -> String {
    let location = "US East (N. Virginia)";
    let fargate = |service: &str, usage: &str| {
        json!({ "productFamily": "Compute", "attributes": { "servicecode": service, "location": location,
                "locationType": "AWS Region", "usagetype": format!("USE1-{usage}"), "operation": "",
                "regionCode": "us-east-1" } })
    };
    let ec2 = |instance: &str, vcpu: &str, memory: &str, extra: &[(&str, &str)]| {
        let mut attributes = json!({ "servicecode": "AmazonEC2", "location": location, "locationType": "AWS Region",
            "instanceType": instance, "vcpu": vcpu, "memory": memory, "operatingSystem": "Linux",
            "tenancy": "Shared", "preInstalledSw": "NA", "capacitystatus": "Used",
            "licenseModel": "No License required", "physicalProcessor": "Intel Xeon Platinum 8175",
            "usagetype": format!("BoxUsage:{instance}"), "operation": "RunInstances", "regionCode": "us-east-1" });
        for (key, value) in extra {
            attributes[*key] = json!(value);
        }
        json!({ "productFamily": "Compute Instance", "attributes": attributes })
    };
    let transfer = |kind: &str| {
        json!({ "productFamily": "Data Transfer", "attributes": { "servicecode": "AWSDataTransfer",
                "fromLocation": location, "fromLocationType": "AWS Region", "toLocation": "External",
                "toLocationType": "Other", "transferType": kind, "usagetype": "USE1-DataTransfer-Out-Bytes" } })
    };
    let one = |usd: &'static str| vec![("0", "Inf", usd)];
    let products = [
        ("F1", fargate("AmazonECS", "Fargate-vCPU-Hours:perCPU"), one("0.0404800000")),
        ("F2", fargate("AmazonECS", "Fargate-GB-Hours"), one("0.0044450000")),
        ("F3", fargate("AmazonECS", "Fargate-ARM-vCPU-Hours:perCPU"), one("0.0323800000")),
        ("F4", fargate("AmazonECS", "Fargate-ARM-GB-Hours"), one("0.0035600000")),
        ("F5", fargate("AmazonECS", "Fargate-Windows-vCPU-Hours:perCPU"), one("0.0914800000")),
        ("F6", fargate("AmazonECS", "Fargate-Windows-GB-Hours"), one("0.0100500000")),
        ("F7", fargate("AmazonECS", "Fargate-Windows-OS-Hours:perCPU"), one("0.0460000000")),
        ("F8", fargate("AmazonECS", "Fargate-EphemeralStorage-GB-Hours"), one("0.0001110000")),
        ("F9", fargate("AmazonECS", "ECS-EC2-vCPU-Hours"), one("0.0000000000")),
        ("K1", fargate("AmazonEKS", "AmazonEKS-Hours:perCluster"), one("0.1000000000")),
        ("E1", ec2("m5.large", "2", "8 GiB", &[]), one("0.0960000000")),
        (
            "E2",
            ec2("m6g.large", "2", "8 GiB", &[("physicalProcessor", "AWS Graviton2 Processor")]),
            one("0.0770000000"),
        ),
        ("E3", ec2("r5.xlarge", "4", "32 GiB", &[]), one("0.2520000000")),
        ("D1", ec2("m5.large", "2", "8 GiB", &[("operatingSystem", "Windows")]), one("0.1880000000")),
        ("D2", ec2("m5.large", "2", "8 GiB", &[("tenancy", "Dedicated")]), one("0.1130000000")),
        (
            "D3",
            ec2("m5.large", "2", "8 GiB", &[("capacitystatus", "AllocatedCapacityReservation")]),
            one("0.0960000000"),
        ),
        ("D4", ec2("m5.large", "2", "8 GiB", &[("preInstalledSw", "SQL Std")]), one("0.5870000000")),
        (
            "T1",
            transfer("AWS Outbound"),
            vec![
                ("0", "1", "0.0000000000"),
                ("1", "10240", "0.0900000000"),
                ("10240", "51200", "0.0850000000"),
                ("51200", "153600", "0.0700000000"),
                ("153600", "Inf", "0.0500000000"),
            ],
        ),
        ("T2", transfer("AWS Inbound"), one("0.0000000000")),
    ];
    let (mut by_sku, mut on_demand, mut reserved) = (Map::new(), Map::new(), Map::new());
    for (sku, mut product, dimensions) in products {
        product["sku"] = json!(sku);
        by_sku.insert(sku.to_owned(), product);
        let term = format!("{sku}.JRTCKXETXF");
        let dimensions: Map<String, Value> = dimensions
            .iter()
            .enumerate()
            .map(|(i, (begin, end, usd))| {
                let code = format!("{term}.6YS6EN2CT{i}");
                let dimension = json!({ "rateCode": code, "description": format!("{sku} from {begin} to {end}"),
                    "beginRange": begin, "endRange": end, "unit": "Hrs", "pricePerUnit": { "USD": usd },
                    "appliesTo": [] });
                (code, dimension)
            })
            .collect();
        on_demand.insert(
            sku.to_owned(),
            json!({ term.clone(): { "offerTermCode": "JRTCKXETXF", "sku": sku,
            "effectiveDate": "2026-09-01T00:00:00Z", "priceDimensions": dimensions, "termAttributes": {} } }),
        );
        reserved.insert(sku.to_owned(), json!({ format!("{sku}.4NA7Y494T4"): { "offerTermCode": "4NA7Y494T4",
            "sku": sku, "effectiveDate": "2026-09-01T00:00:00Z",
            "priceDimensions": { format!("{sku}.4NA7Y494T4.6YS6EN2CT7"): { "unit": "Hrs", "pricePerUnit": { "USD": "0.0010000000" } } },
            "termAttributes": { "LeaseContractLength": "1yr", "OfferingClass": "standard", "PurchaseOption": "No Upfront" } } }));
    }
    let pretty = |value: Value| serde_json::to_string_pretty(&value).unwrap();
    // The header keys in AWS's order (a `Map` would sort them).
    format!(
        "{{\n  \"formatVersion\" : \"v1.0\",\n  \"disclaimer\" : \"This pricing list is for informational purposes only.\",\n  \
         \"offerCode\" : \"AmazonEC2\",\n  \"version\" : \"20260911000000\",\n  \"publicationDate\" : \"2026-09-11T00:00:00Z\",\n  \
         \"products\" : {},\n  \"terms\" : {}\n}}\n",
        pretty(Value::Object(by_sku)),
        pretty(json!({ "OnDemand": on_demand, "Reserved": reserved })),
    )
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let report = cli(
            &strings(&[
                "estimate",
                "--workload",
                &root("examples/web-api/workload.toml"),
                "--format",
                "json",
            ]),
            b"",
        );
        assert_eq!(report.code, 0, "{:?}", report.stderr);
        for batch in [BATCH, SHORT_BATCH] {
            let ran = cli(&strings(&["estimate", "--batch", "-"]), batch.as_bytes());
            assert_eq!(ran.code, 0, "{:?}", ran.stderr);
        }
        Seeds {
            task_definitions: vec![
                read(&data("task-definition-fargate.json")),
                read(&data("describe-task-definition.json")),
                read(&example("web-api/api.json")),
                read(&example("web-api/worker.json")),
            ],
            workloads: vec![
                read(&data("spec-workload.toml")),
                read(&example("web-api/workload.toml")),
                FULL_WORKLOAD.as_bytes().to_vec(),
            ],
            rate_tables: vec![read(&root("pricing/us-east-1.toml")), read(&root("pricing/eu-west-1.toml"))],
            reports: vec![report.out],
            price_lists: vec![
                read(&data("get-products-AmazonECS-us-east-1-2022-11-25.json")),
                offer_file().into_bytes(),
            ],
            batches: vec![BATCH.as_bytes().to_vec(), SHORT_BATCH.as_bytes().to_vec()],
            plans: plans().into_iter().map(String::into_bytes).collect(),
            usages: USAGES.iter().map(|u| u.as_bytes().to_vec()).collect(),
        }
    })
}

/// What gets inserted: the characters that break JSON and TOML, numbers no parser should accept,
/// and bytes that are not UTF-8.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b"-",
    b"1e999",
    b"-1e999",
    b"NaN",
    b"nan",
    b"inf",
    b"-inf",
    b"Infinity",
    b",",
    b":",
    b"=",
    b"\n",
    b"0",
    b"-0",
    b"99999999999999999999999999999",
    b"79228162514264337593543950335",
    b"18446744073709551616",
    b"0.1",
    b"0.0000000000000000000000000001",
    b"null",
    b"true",
    b"\\",
    b"\\u0000",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    "é".as_bytes(),
    b"[[service]]\n",
    b"name = \"x\"\n",
    b"\"cpu\": ",
    b"#",
    b"'''",
    b"\"\"\"",
];

/// A position in the text being mutated, taken modulo its length (so it shrinks towards the start).
#[derive(Debug, Clone, Copy)]
struct Pos(usize);

impl Pos {
    fn index(self, len: usize) -> usize {
        self.0 % len
    }
}

fn pos() -> impl Strategy<Value = Pos> {
    any::<usize>().prop_map(Pos)
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Flip one bit of one byte.
    Flip(Pos, u8),
    /// Set one byte to any value.
    Set(Pos, u8),
    /// Cut the text short.
    Truncate(Pos),
    /// Insert a token.
    Insert(Pos, &'static [u8]),
    /// Repeat the line at a position (a duplicated key).
    DuplicateLine(Pos),
    /// Delete a range of up to 64 bytes.
    Delete(Pos, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (pos(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip(at, bit)),
        (pos(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set(at, byte)),
        pos().prop_map(Mutation::Truncate),
        (pos(), select(TOKENS)).prop_map(|(at, token)| Mutation::Insert(at, token)),
        pos().prop_map(Mutation::DuplicateLine),
        (pos(), 1usize..64).prop_map(|(at, len)| Mutation::Delete(at, len)),
    ]
}

fn mutate(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for m in mutations {
        if bytes.is_empty() {
            if let Mutation::Insert(_, token) = m {
                bytes.extend_from_slice(token);
            }
            continue;
        }
        let len = bytes.len();
        match m {
            Mutation::Flip(at, bit) => bytes[at.index(len)] ^= 1 << bit,
            Mutation::Set(at, byte) => bytes[at.index(len)] = *byte,
            Mutation::Truncate(at) => bytes.truncate(at.index(len)),
            Mutation::Insert(at, token) => {
                let at = at.index(len + 1);
                bytes.splice(at..at, token.iter().copied());
            }
            Mutation::DuplicateLine(at) => {
                let at = at.index(len);
                let start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
                let end = bytes[at..].iter().position(|&b| b == b'\n').map_or(len, |p| at + p + 1);
                let mut line = bytes[start..end].to_vec();
                if !line.ends_with(b"\n") {
                    line.push(b'\n');
                }
                bytes.splice(end..end, line);
            }
            Mutation::Delete(at, n) => {
                let at = at.index(len);
                bytes.drain(at..(at + n).min(len));
            }
        }
    }
    bytes
}

/// One of `seeds`, mutated one to three times.
fn mutated(seeds: &'static [Vec<u8>]) -> impl Strategy<Value = Vec<u8>> {
    (any::<Index>(), prop::collection::vec(mutation(), 1..4))
        .prop_map(move |(which, ms)| mutate(which.get::<Vec<u8>>(seeds), &ms))
}

/// Arbitrary text: any characters, and text made of the tokens that matter to JSON and TOML.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\[\\]{}\"',:=.#\\-+0-9a-z_ \n\t]{0,200}",
        prop::collection::vec(select(TOKENS), 0..40)
            .prop_map(|tokens| String::from_utf8_lossy(&tokens.concat()).into_owned()),
    ]
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ---------------------------------------------------------------------------------------------
// (a) and (b): every parser, arbitrary and mutated input; only "no panic" is asserted.
// ---------------------------------------------------------------------------------------------

fn parse_all_task_definition(text: &str) {
    let _ = cost::input::task_definition::parse(text);
}

fn parse_all_workload(text: &str) {
    let _ = cost::input::workload::parse(text);
}

fn parse_all_report(text: &str) {
    let _ = cost::report::saved::parse(text, "fuzz".to_owned());
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn parse_decimal_never_panics(text in prop_oneof![
        text(),
        "[-+]?[0-9]{0,40}(\\.[0-9]{0,40})?([eE][-+]?[0-9]{0,4})?",
    ]) {
        if let Ok(value) = cost::money::parse_decimal(&text) {
            // What it accepts is a plain decimal, read exactly.
            prop_assert_eq!(Some(value), Decimal::from_str_exact(text.trim()).ok());
        }
    }

    #[test]
    fn task_definition_parse_never_panics(text in text()) {
        parse_all_task_definition(&text);
    }

    #[test]
    fn workload_parse_never_panics(text in text()) {
        parse_all_workload(&text);
    }

    #[test]
    fn report_parse_never_panics(text in text()) {
        parse_all_report(&text);
    }

    #[test]
    fn rate_table_parse_never_panics(text in text()) {
        shared::rate_table(&text);
    }

    #[test]
    fn read_price_list_never_panics(bytes in prop_oneof![
        any::<Vec<u8>>(),
        text().prop_map(String::into_bytes),
    ]) {
        shared::price_list(&bytes, None);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn mutated_task_definitions_never_panic(bytes in mutated(&seeds().task_definitions)) {
        parse_all_task_definition(&lossy(&bytes));
    }

    #[test]
    fn mutated_workloads_never_panic(bytes in mutated(&seeds().workloads)) {
        parse_all_workload(&lossy(&bytes));
    }

    #[test]
    fn mutated_reports_never_panic(bytes in mutated(&seeds().reports)) {
        parse_all_report(&lossy(&bytes));
    }

    #[test]
    fn mutated_rate_tables_never_panic(bytes in mutated(&seeds().rate_tables)) {
        shared::rate_table(&lossy(&bytes));
    }

    #[test]
    fn mutated_price_lists_never_panic(bytes in mutated(&seeds().price_lists)) {
        shared::price_list(&bytes, None);
    }
}

// ---------------------------------------------------------------------------------------------
// The CLI in process: hostile flag values and mutated files keep the failure contract.
// ---------------------------------------------------------------------------------------------

/// Flag values chosen to hurt: not numbers, numbers at and beyond `Decimal`'s and `u64`'s limits,
/// zero, negative, empty, odd characters, and valid values so runs get as far as pricing.
const HOSTILE: &[&str] = &[
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e999",
    "1e30",
    "1e-999",
    "-1",
    "-0",
    "0",
    "0.0",
    "",
    " ",
    "1.",
    ".5",
    "+1",
    "0x10",
    "1,5",
    "1_000",
    "１",
    "\u{0}",
    "٣",
    "-",
    "--",
    "=",
    "%",
    "10%",
    "99999999999999999999999999999",
    "9999999999999999999999999999",
    "79228162514264337593543950335",
    "7922816251426433759354395033.5",
    "0.0000000000000000000000000001",
    "0.1234567890123456789012345678901",
    "18446744073709551615",
    "18446744073709551616",
    "4294967296",
    "0.25",
    "0.5",
    "1",
    "2",
    "3",
    "4",
    "8",
    "16",
    "20",
    "30",
    "60",
    "120",
    "200",
    "201",
    "730",
    "0.01",
    "1.5",
    "10240",
    "153600",
    "x86_64",
    "arm64",
    "linux",
    "windows",
    "ec2",
    "fargate",
    "eks",
    "ecs",
    "spot",
    "savings-plan-1y",
    "json",
    "csv",
    "markdown",
    "table",
    "us-east-1",
    "eu-west-1",
    "af-south-1",
    "mars-1",
    "m5.large",
    "c6g.large",
];

const VALUED_FLAGS: &[&str] = &[
    "--vcpu",
    "--memory",
    "--count",
    "--hours",
    "--minutes",
    "--runs",
    "--data-transfer",
    "--ephemeral-storage",
    "--budget",
    "--instances",
    "--reserved-memory",
    "--arch",
    "--os",
    "--platform",
    "--pricing",
    "--launch-type",
    "--format",
    "--region",
    "--name",
    "--instance-type",
    "--color",
];

const SWITCHES: &[&str] = &[
    "--spot",
    "--round-up",
    "--free-data-transfer",
    "--explain",
    "--quiet",
    "--no-stale-warning",
    "--keep-going",
];

/// Flags that name a file; with `-` they read the (empty) standard input.
const FILE_FLAGS: &[&str] =
    &["--task-definition", "--workload", "--batch", "--terraform-plan", "--usage", "--rates"];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(HOSTILE).prop_map(str::to_owned),
        1 => "\\PC{0,12}",
        2 => "-?[0-9]{0,30}(\\.[0-9]{0,30})?",
    ]
}

/// Values `flag` accepts, some of them at the edge (so runs get past clap into pricing).
fn plausible(flag: &str) -> &'static [&'static str] {
    match flag {
        "--vcpu" => &["0.25", "0.5", "1", "2", "4", "8", "16", "0.3", "32", "0.2500001"],
        "--memory" => &["0.5", "1", "2", "3", "4", "8", "16", "30", "60", "120", "1.5", "2.0004"],
        "--count" | "--runs" | "--instances" => {
            &["1", "2", "3", "1000", "4294967296", "18446744073709551615"]
        }
        "--hours" | "--minutes" => {
            &["1", "0.01", "730", "99999999999", "9999999999999999999999999999", TINY_TEXT]
        }
        "--data-transfer" => &["0", "100", "10240", "153600", "9999999999999999999999999999", TINY_TEXT],
        "--ephemeral-storage" => &["20", "21", "200", "201", "20.5", "19.9999"],
        "--budget" => &["0", "100", "9999999999999999999999999999", TINY_TEXT],
        "--reserved-memory" => &["0", "512", "8192", "9999999999999999999999999999", TINY_TEXT],
        "--arch" => &["x86_64", "arm64"],
        "--os" => &["linux", "windows"],
        "--platform" => &["ecs", "eks"],
        "--pricing" => &["on-demand", "spot", "savings-plan-1y", "savings-plan-3y"],
        "--launch-type" => &["fargate", "ec2"],
        "--format" => &["table", "json", "csv", "markdown"],
        "--region" => &["us-east-1", "eu-west-1", "ap-northeast-2", "af-south-1"],
        "--instance-type" => &["t3.medium", "m5.large", "m5.xlarge", "c6g.large", "r5.large"],
        "--color" => &["auto", "always", "never"],
        _ => &["api", "a|b", "**x**", "<script>", "名前", ""],
    }
}

const TINY_TEXT: &str = "0.0000000000000000000000000001";

/// A value for `flag`: mostly one it accepts, else a hostile one.
fn flag_value(flag: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(plausible(flag)).prop_map(str::to_owned),
        1 => value(),
    ]
}

/// A flag other than the size, with a value for it.
fn flag() -> impl Strategy<Value = (&'static str, String)> {
    select(&VALUED_FLAGS[2..]).prop_flat_map(|flag| (Just(flag), flag_value(flag)))
}

/// `estimate --vcpu X --memory Y` and up to four more flags (each at most once), with values
/// that are mostly plausible and sometimes hostile.
fn estimate_args() -> impl Strategy<Value = Vec<String>> {
    (
        flag_value("--vcpu"),
        flag_value("--memory"),
        prop::collection::vec(flag(), 0..5),
        prop::collection::vec(select(&SWITCHES[..SWITCHES.len() - 1]), 0..3),
        any::<bool>(),
    )
        .prop_map(|(vcpu, memory, flags, switches, glue)| {
            let mut args = strings(&["estimate"]);
            let mut seen = std::collections::HashSet::new();
            let mut push = |flag: &str, value: String| {
                if !seen.insert(flag.to_owned()) {
                    return;
                }
                // `--flag=value` reaches the value parser even for values that look like flags.
                if glue {
                    args.push(format!("{flag}={value}"));
                } else {
                    args.extend([flag.to_owned(), value]);
                }
            };
            push("--vcpu", vcpu);
            push("--memory", memory);
            for (flag, value) in flags {
                push(flag, value);
            }
            let mut switches = switches;
            switches.sort_unstable();
            switches.dedup();
            args.extend(switches.into_iter().map(str::to_owned));
            args
        })
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn estimate_with_hostile_flags_keeps_the_contract(args in estimate_args()) {
        let ran = cli(&args, b"");
        contract(&args, &ran, false)?;
    }

    #[test]
    fn compare_with_hostile_flags_keeps_the_contract(args in estimate_args()) {
        let mut args = args;
        args[0] = "compare".to_owned();
        let ran = cli(&args, b"");
        contract(&args, &ran, false)?;
    }

    #[test]
    fn any_argument_list_keeps_the_contract(args in prop::collection::vec(prop_oneof![
        select(HOSTILE).prop_map(str::to_owned),
        select(VALUED_FLAGS).prop_map(str::to_owned),
        select(SWITCHES).prop_map(str::to_owned),
        select(FILE_FLAGS).prop_map(str::to_owned),
        select(&["estimate", "check", "diff", "compare", "rates", "list", "show", "import", "-", "completions", "bash"][..])
            .prop_map(str::to_owned),
        "\\PC{0,8}",
    ], 0..8)) {
        // Nothing here names a real file except `-`, which reads the (empty) standard input.
        let ran = cli(&args, b"");
        let streams = args.iter().any(|a| a == "rates") || args.iter().any(|a| a == "--keep-going");
        contract(&args, &ran, streams)?;
    }
}

/// `cost estimate --batch -` on `bytes`: the contract, and whatever was printed, even before a bad
/// line, is whole JSON lines.
fn batch_through_the_cli(bytes: &[u8], keep_going: bool) -> Result<(), TestCaseError> {
    let mut args = strings(&["estimate", "--batch", "-"]);
    if keep_going {
        args.push("--keep-going".to_owned());
    }
    let ran = cli(&args, bytes);
    contract(&args, &ran, true)?;
    let out = String::from_utf8(ran.out);
    prop_assert!(out.is_ok(), "stdout is not UTF-8");
    for line in out.unwrap_or_default().lines() {
        prop_assert!(serde_json::from_str::<Value>(line).is_ok(), "{line}");
    }
    Ok(())
}

/// A folder for the mutated files of one property, with the web-api task definitions beside
/// them so the workloads' relative `task_definition` paths resolve.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["api.json", "worker.json"] {
        std::fs::copy(example(&format!("web-api/{name}")), dir.path().join(name)).unwrap();
    }
    dir
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn mutated_task_definitions_through_the_cli(
        bytes in mutated(&seeds().task_definitions),
        extra in prop::collection::vec((select(VALUED_FLAGS), value()), 0..2),
        compare in any::<bool>(),
    ) {
        let mut args = strings(&[if compare { "compare" } else { "estimate" }, "--task-definition", "-"]);
        for (flag, value) in extra {
            args.push(format!("{flag}={value}"));
        }
        let ran = cli(&args, &bytes);
        contract(&args, &ran, false)?;
    }

    #[test]
    fn mutated_workloads_through_the_cli(bytes in mutated(&seeds().workloads), command in 0usize..4) {
        let dir = scratch();
        let path = dir.path().join("workload.toml");
        std::fs::write(&path, &bytes).unwrap();
        let path = path.display().to_string();
        let example = root("examples/web-api/workload.toml");
        let args = match command {
            0 => strings(&["estimate", "--workload", &path, "--format", "json"]),
            1 => strings(&["check", &path]),
            2 => strings(&["diff", &example, &path]),
            _ => strings(&["compare", "--workload", &path]),
        };
        let ran = cli(&args, b"");
        contract(&args, &ran, false)?;
    }

    #[test]
    fn mutated_batches_through_the_cli(bytes in mutated(&seeds().batches), keep_going in any::<bool>()) {
        batch_through_the_cli(&bytes, keep_going)?;
    }

    #[test]
    fn arbitrary_batches_through_the_cli(text in text(), keep_going in any::<bool>()) {
        batch_through_the_cli(text.as_bytes(), keep_going)?;
    }

    #[test]
    fn mutated_rate_tables_through_the_cli(bytes in mutated(&seeds().rate_tables), check in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rates.toml");
        std::fs::write(&path, &bytes).unwrap();
        let path = path.display().to_string();
        if check {
            let args = strings(&["rates", "check", &path]);
            let ran = cli(&args, b"");
            contract(&args, &ran, true)?;
            prop_assert!(ran.code <= 1);
        } else {
            let args = strings(&["estimate", "--vcpu", "1", "--memory", "2", "--data-transfer", "200000", "--rates", &path]);
            let ran = cli(&args, b"");
            contract(&args, &ran, false)?;
        }
    }

    #[test]
    fn mutated_reports_through_diff(bytes in mutated(&seeds().reports), old_side in any::<bool>()) {
        let good = String::from_utf8(seeds().reports[0].clone()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let good_path = dir.path().join("good.json");
        std::fs::write(&good_path, good).unwrap();
        let good_path = good_path.display().to_string();
        let args = if old_side {
            strings(&["diff", "-", &good_path, "--format", "json"])
        } else {
            strings(&["diff", &good_path, "-", "--max-increase", "10%"])
        };
        let ran = cli(&args, &bytes);
        contract(&args, &ran, false)?;
    }

    #[test]
    fn mutated_price_lists_through_import(bytes in mutated(&seeds().price_lists)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prices.json");
        std::fs::write(&path, &bytes).unwrap();
        let args = strings(&["rates", "import", &path.display().to_string()]);
        let ran = cli(&args, b"");
        contract(&args, &ran, false)?;
        prop_assert!(ran.code <= 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Terraform plans and their usage files: arbitrary, mutated and generated plans, read by the
// library and through every command that takes a plan.
// ---------------------------------------------------------------------------------------------

/// How long one case may run before the harness calls it a hang: `FUZZ_HANG_SECONDS`, else 60.
fn hang_limit() -> Duration {
    let seconds = std::env::var("FUZZ_HANG_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    Duration::from_secs(seconds)
}

/// Runs `f` on a thread of its own and returns what it returns; its panic is the caller's. A run
/// that outlasts [`hang_limit`] is a hang: `input()` is printed and the process exits 1 (a hung
/// thread cannot be stopped, so there is no shrinking; the printed input is the reproduction).
fn watched<T: Send + 'static>(input: impl FnOnce() -> String, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = channel();
    let worker = std::thread::spawn(move || {
        let _ = send.send(f());
    });
    match receive.recv_timeout(hang_limit()) {
        Ok(value) => {
            let _ = worker.join();
            value
        }
        Err(RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker ended with neither a result nor a panic"),
        },
        Err(RecvTimeoutError::Timeout) => {
            // Straight to the process's standard error: what the test harness captures of
            // `eprintln!` is lost on `exit`.
            let message = format!(
                "HANG: still running after {:?} on this input; stopping here:\n{}\n",
                hang_limit(),
                input()
            );
            let _ = std::io::Write::write_all(&mut std::io::stderr(), message.as_bytes());
            std::process::exit(1);
        }
    }
}

/// [`shared::terraform`] (what `cost` does with a plan and a usage file) under the hang watch.
fn read_plan_watched(plan: String, usage: Option<String>, today: Option<Date>) {
    let shown = format!("plan:\n{plan}\nusage:\n{usage:?}\ntoday: {today:?}");
    watched(|| shown, move || shared::terraform(&plan, usage.as_deref(), today));
}

/// No date, or one of a few around the EKS support calendar's edges.
fn today() -> impl Strategy<Value = Option<Date>> {
    prop_oneof![
        Just(None),
        select(&[(2024, 1, 1), (2026, 3, 22), (2026, 3, 23), (2026, 10, 1), (2030, 12, 31)][..])
            .prop_map(|(y, m, d)| Date::new(y, m, d)),
    ]
}

/// One of the usage seeds, or none.
fn usage_seed() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop::option::of(any::<Index>().prop_map(|i| i.get(&seeds().usages).clone()))
}

const FORMATS: &[&str] = &["table", "json", "csv", "markdown"];

/// Runs a command that reads a plan on `plan` (through standard input or a file), with `usage` as
/// `--usage`: estimate, check against a budget, diff against the first plan seed either way, or
/// compare.
fn plan_through_the_cli(
    plan: &[u8],
    usage: Option<&[u8]>,
    command: usize,
    format: &str,
    stdin: bool,
    today: Option<Date>,
) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    };
    let good = write("good.json", &seeds().plans[0]);
    let side = if stdin { "-".to_owned() } else { write("plan.json", plan) };
    let mut args = match command {
        0 => strings(&["estimate", "--terraform-plan", &side, "--format", format]),
        1 => strings(&["check", "--terraform-plan", &side, "--budget", "100", "--format", format]),
        2 => strings(&["diff", &good, &side, "--format", format, "--max-increase", "10%"]),
        3 => strings(&["diff", &side, &good, "--format", format]),
        _ => strings(&["compare", "--terraform-plan", &side, "--format", format]),
    };
    if let Some(usage) = usage {
        args.extend(["--usage".to_owned(), write("usage.toml", usage)]);
    }
    if today.is_some() {
        args.push("--no-stale-warning".to_owned());
    }
    let input = if stdin { plan.to_vec() } else { Vec::new() };
    let shown =
        || format!("cost {args:?}\nplan:\n{}\nusage:\n{}", lossy(plan), lossy(usage.unwrap_or_default()));
    let ran = {
        let args = args.clone();
        watched(shown, move || cli_on(&args, &input, today))
    };
    contract(&args, &ran, false)
}

// Plans generated whole from Terraform's vocabulary: resources of every type `cost` reads (and
// some it skips) in the root, module calls, `for_each` and `count` instances and a nested call,
// with values it accepts and values it must refuse, linked by configuration references through
// module outputs and variables.

/// Where generated resources live (the root twice as often).
const TF_MODULES: &[&str] =
    &["", "", "module.m", "module.m[\"a\"]", "module.m[0]", "module.n", "module.m.module.n"];

const TF_TYPES: &[&str] = &[
    "aws_ecs_service",
    "aws_ecs_service",
    "aws_ecs_task_definition",
    "aws_ecs_task_definition",
    "aws_ecs_cluster",
    "aws_ecs_cluster_capacity_providers",
    "aws_eks_cluster",
    "aws_ecr_repository",
    "aws_eks_fargate_profile",
    "aws_iam_role",
];

const TF_NAMES: &[&str] = &["a", "b"];

/// Instance keys, as JSON (`""`: none).
const TF_INDEXES: &[&str] = &["", "", "0", "1", "\"a\"", "\"x\""];

const TF_REFERENCES: &[&str] = &[
    "aws_ecs_task_definition.a",
    "aws_ecs_task_definition.a.arn",
    "aws_ecs_task_definition.b.arn",
    "aws_ecs_task_definition.a[0].arn",
    "aws_ecs_task_definition.a[\"x\"]",
    "aws_ecs_cluster.a",
    "aws_ecs_cluster.a.id",
    "aws_ecs_cluster.b.name",
    "module.m.o",
    "module.n.o",
    "module.m[\"a\"].o",
    "module.m",
    "module.m.p",
    "var.v",
    "var.w",
    "var.x",
    "count.index",
    "each.key",
    "local.x",
    "var",
    "module",
    "module.",
    "",
    ".",
    "aws_ecs_task_definition",
];

/// The `values` keys `cost` reads from a resource of type `kind`.
fn tf_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "aws_ecs_service" => &[
            "desired_count",
            "launch_type",
            "capacity_provider_strategy",
            "task_definition",
            "scheduling_strategy",
            "name",
            "cluster",
        ],
        "aws_ecs_task_definition" => &[
            "family",
            "cpu",
            "memory",
            "runtime_platform",
            "ephemeral_storage",
            "requires_compatibilities",
            "container_definitions",
        ],
        "aws_ecs_cluster" => &["name", "default_capacity_provider_strategy"],
        "aws_ecs_cluster_capacity_providers" => {
            &["cluster_name", "capacity_providers", "default_capacity_provider_strategy"]
        }
        "aws_eks_cluster" => &["name", "version", "upgrade_policy"],
        _ => &["name"],
    }
}

/// Capacity provider strategies, as JSON.
const TF_STRATEGIES: &[&str] = &[
    r#"[{"capacity_provider": "FARGATE", "base": 1, "weight": 1}, {"capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 3}]"#,
    r#"[{"capacity_provider": "FARGATE_SPOT", "weight": 1}]"#,
    r#"[{"capacity_provider": "FARGATE", "base": 2}, {"capacity_provider": "FARGATE_SPOT", "base": 2}]"#,
    r#"[{"capacity_provider": "FARGATE", "weight": 0}, {"capacity_provider": "FARGATE_SPOT", "weight": 0}]"#,
    r#"[{"capacity_provider": "FARGATE", "base": 18446744073709551615, "weight": 18446744073709551615}, {"capacity_provider": "FARGATE_SPOT", "base": 18446744073709551615, "weight": 18446744073709551615}]"#,
    r#"[{"capacity_provider": "asg", "weight": 1}]"#,
    r#"[{"capacity_provider": "FARGATE", "weight": 1}, {"capacity_provider": "asg", "weight": 1}]"#,
    r#"[{"capacity_provider": "FARGATE_SPOT", "base": -1, "weight": 1.5}, {"capacity_provider": null}, 3]"#,
    "[]",
];

/// `container_definitions`, JSON text in a JSON string as Terraform writes it.
const TF_CONTAINERS: &[&str] = &[
    r#""[{\"name\": \"app\", \"image\": \"nginx\"}]""#,
    r#""[{\"name\": \"a\", \"image\": \"a\", \"cpu\": 256, \"memory\": 512}, {\"name\": \"b\", \"image\": \"b\", \"cpu\": 768, \"memoryReservation\": 1536}]""#,
    r#""[{\"name\": \"a\", \"cpu\": 99999999999999999999, \"memory\": -1}]""#,
    r#""[]""#,
    r#""not json""#,
];

/// Values for `key`, as JSON: ones Terraform writes and ones at or past the edges.
fn tf_values(key: &str) -> &'static [&'static str] {
    match key {
        "desired_count" => &[
            "0",
            "1",
            "2",
            "3",
            "5",
            "1000",
            "18446744073709551615",
            "18446744073709551616",
            "-1",
            "1.5",
            "\"2\"",
            "1e400",
        ],
        "launch_type" => &["\"FARGATE\"", "\"EC2\"", "\"EXTERNAL\"", "\"fargate\"", "\"\""],
        "capacity_provider_strategy" | "default_capacity_provider_strategy" => TF_STRATEGIES,
        "task_definition" => &[
            "\"arn:aws:ecs:us-east-1:123456789012:task-definition/a:3\"",
            "\"b:1\"",
            "\"a\"",
            "\"\"",
            "\"arn:aws:ecs:us-east-1:1:task-definition/\"",
            "\":\"",
            "\"/\"",
        ],
        "scheduling_strategy" => &["\"DAEMON\"", "\"REPLICA\""],
        "name" | "family" | "cluster_name" | "cluster" => &["\"a\"", "\"b\"", "\"main\""],
        "cpu" => &[
            "\"256\"",
            "\"512\"",
            "\"1024\"",
            "\"4096\"",
            "\"16384\"",
            "\"1 vCPU\"",
            "\"0.25 vcpu\"",
            "\"3 vCPU\"",
            "1024",
            "\"99999999999999999999999999999\"",
            "\"-1\"",
            "\"1e3\"",
            "\"\"",
        ],
        "memory" => &[
            "\"512\"",
            "\"1024\"",
            "\"2048\"",
            "\"8192\"",
            "\"122880\"",
            "\"2 GB\"",
            "\"0.5 GB\"",
            "\"3 GiB\"",
            "2048",
            "\"99999999999999999999999999999\"",
            "\"0\"",
        ],
        "runtime_platform" => &[
            r#"[{"cpu_architecture": "ARM64", "operating_system_family": "LINUX"}]"#,
            r#"[{"cpu_architecture": "X86_64", "operating_system_family": "WINDOWS_SERVER_2019_CORE"}]"#,
            r#"[{"cpu_architecture": "ARM64", "operating_system_family": "WINDOWS_SERVER_2022_FULL"}]"#,
            r#"[{"cpu_architecture": "", "operating_system_family": null}]"#,
            r#"[{"cpu_architecture": "MIPS"}]"#,
            "[{}]",
            "[]",
        ],
        "ephemeral_storage" => &[
            r#"[{"size_in_gib": 21}]"#,
            r#"[{"size_in_gib": 200}]"#,
            r#"[{"size_in_gib": 201}]"#,
            r#"[{"size_in_gib": "30"}]"#,
            r#"[{"size_in_gib": -5}]"#,
            r#"[{"size_in_gib": null}]"#,
        ],
        "requires_compatibilities" => {
            &[r#"["FARGATE"]"#, r#"["EC2"]"#, r#"["FARGATE", "EC2"]"#, r#"["EXTERNAL"]"#, "[]"]
        }
        "container_definitions" => TF_CONTAINERS,
        "version" => &[
            "\"1.32\"",
            "\"1.29.3\"",
            "\"1.33\"",
            "\"1.27\"",
            "\"1.99\"",
            "\"1\"",
            "\"\"",
            "\"1.3x\"",
            "null",
        ],
        "upgrade_policy" => &[r#"[{"support_type": "STANDARD"}]"#, r#"[{"support_type": "EXTENDED"}]"#, "[]"],
        "capacity_providers" => &[r#"["FARGATE", "FARGATE_SPOT"]"#, "[]"],
        _ => &["null"],
    }
}

/// Values no plan holds for any key.
const TF_ODD_VALUES: &[&str] =
    &["null", "true", "-1", "1e400", "\"\"", "[]", "{}", "[null]", "0.0000000000000000000000000001"];

fn tf_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// One planned resource instance, with the module it is in.
fn tf_instance() -> impl Strategy<Value = (&'static str, Value)> {
    (select(TF_MODULES), select(TF_TYPES))
        .prop_flat_map(|(module, kind)| {
            let field = (select(tf_keys(kind)), any::<Index>(), 0u8..12);
            (
                Just(module),
                Just(kind),
                select(TF_NAMES),
                select(TF_INDEXES),
                prop::collection::vec(field, 0..8),
                0u8..16,
            )
        })
        .prop_map(|(module, kind, name, index, fields, oddity)| {
            let mut values = Map::new();
            for (key, which, odd) in fields {
                let text = if odd == 0 { which.get(TF_ODD_VALUES) } else { which.get(tf_values(key)) };
                values.insert(key.to_owned(), tf_json(text));
            }
            // A service mostly has a count, so it gets as far as linking its task definition.
            if kind == "aws_ecs_service" && oddity != 3 {
                values.entry("desired_count").or_insert(json!(2));
            }
            let prefix = if module.is_empty() { String::new() } else { format!("{module}.") };
            let key = if index.is_empty() { String::new() } else { format!("[{index}]") };
            let mut resource = json!({ "address": format!("{prefix}{kind}.{name}{key}"), "mode": "managed",
                                       "type": kind, "name": name, "values": values });
            if !index.is_empty() {
                resource["index"] = tf_json(index);
            }
            match oddity {
                0 => resource["mode"] = json!("data"),
                1 => resource["values"] = Value::Null,
                2 => resource["address"] = json!(format!("{kind}.{name}")),
                _ => {}
            }
            (module, resource)
        })
}

/// A reference: mostly one of `likely` (what makes links, and cycles through module outputs and
/// variables, where it is used), else anything.
fn tf_reference(likely: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop_oneof![3 => select(likely), 1 => select(TF_REFERENCES)]
}

/// A configuration resource block whose expressions refer to anything.
fn tf_config_block() -> impl Strategy<Value = Value> {
    let expressions = prop::collection::btree_map(
        select(&["task_definition", "cluster", "cluster_name"][..]),
        prop::collection::vec(tf_reference(&["var.v", "var.w", "aws_ecs_task_definition.a"]), 0..4),
        1..=3,
    );
    // Mostly services: their blocks are where links start.
    let kind = prop_oneof![Just("aws_ecs_service"), select(TF_TYPES)];
    (kind, select(TF_NAMES), expressions, 0u8..8).prop_map(|(kind, name, expressions, mode)| {
        let expressions: Map<String, Value> =
            expressions.into_iter().map(|(k, refs)| (k.to_owned(), json!({ "references": refs }))).collect();
        json!({ "address": format!("{kind}.{name}"), "mode": if mode == 0 { "data" } else { "managed" },
                "type": kind, "name": name, "expressions": expressions })
    })
}

/// A configuration module `depth` calls deep: resource blocks, an output `o`, and calls to modules
/// `m` and `n` (two deep at most). Outputs and the variables calls set refer to one to three
/// things, so reference cycles (a variable fed by the module's own output) branch at every step,
/// as in `a_reference_cycle_through_a_module_output_and_variable_is_read_quickly`.
fn tf_module(depth: u32) -> BoxedStrategy<Value> {
    let calls = if depth < 2 {
        prop::collection::btree_map(select(&["m", "n"][..]), tf_call(depth + 1), 0..=2).boxed()
    } else {
        Just(BTreeMap::new()).boxed()
    };
    let output = prop::option::weighted(
        0.8,
        prop::collection::vec(tf_reference(&["var.v", "var.w", "aws_ecs_task_definition.a"]), 1..=3),
    );
    (prop::collection::vec(tf_config_block(), 0..5), output, calls)
        .prop_map(|(resources, output, calls)| {
            let mut module =
                json!({ "resources": resources, "module_calls": calls, "variables": { "v": {}, "w": {} } });
            if let Some(references) = output {
                module["outputs"] = json!({ "o": { "expression": { "references": references } } });
            }
            module
        })
        .boxed()
}

/// A module call: the variables it sets, its module, and sometimes `for_each` or `count`.
fn tf_call(depth: u32) -> BoxedStrategy<Value> {
    let variables = prop::collection::btree_map(
        select(&["v", "w"][..]),
        prop::collection::vec(
            tf_reference(&["module.m.o", "module.n.o", "aws_ecs_task_definition.a"]),
            1..=3,
        ),
        1..=2,
    );
    (variables, tf_module(depth), 0u8..3)
        .prop_map(|(variables, module, repeat)| {
            let expressions: Map<String, Value> = variables
                .into_iter()
                .map(|(k, refs)| (k.to_owned(), json!({ "references": refs })))
                .collect();
            let mut call = json!({ "source": "./modules/x", "expressions": expressions, "module": module });
            match repeat {
                0 => call["for_each_expression"] = json!({ "references": ["var.x"] }),
                1 => call["count_expression"] = json!({ "constant_value": 2 }),
                _ => {}
            }
            call
        })
        .boxed()
}

/// Adds to the configuration `root` a block for the planned `resource` in `module`, whose
/// expression its type links by (`task_definition`, or `cluster` when `cluster`, for services;
/// `cluster_name` for capacity providers) refers to `references`.
fn tf_block_for(root: &mut Value, module: &str, resource: &Value, cluster: bool, references: &[&str]) {
    let path = cost::input::terraform::strip_keys(module);
    let mut node = root;
    for call in path.split('.').skip(1).step_by(2) {
        node = &mut node["module_calls"][call]["module"];
    }
    let kind = resource["type"].as_str().unwrap_or_default();
    let name = resource["name"].as_str().unwrap_or_default();
    let key = match kind {
        "aws_ecs_cluster_capacity_providers" => "cluster_name",
        _ if cluster => "cluster",
        _ => "task_definition",
    };
    let mut expressions = Map::new();
    expressions.insert(key.to_owned(), json!({ "references": references }));
    let block = json!({ "address": format!("{kind}.{name}"), "mode": "managed", "type": kind, "name": name,
                        "expressions": expressions });
    match node["resources"].as_array_mut() {
        Some(blocks) => blocks.push(block),
        None => node["resources"] = json!([block]),
    }
}

/// A whole generated plan, compact or pretty-printed.
fn tf_generated_plan() -> impl Strategy<Value = String> {
    let region = select(
        &[
            r#"{"constant_value": "us-east-1"}"#,
            r#"{"constant_value": "eu-west-1"}"#,
            r#"{"constant_value": "mars-1"}"#,
            r#"{"references": ["var.region"]}"#,
            r#"{"references": ["var.nope", 3]}"#,
            "null",
            "7",
        ][..],
    );
    let variables =
        select(&[r#"{"region": {"value": "ap-south-1"}}"#, r#"{"region": {"value": 5}}"#, "{}", "null"][..]);
    let version = select(&["\"1.2\"", "\"1.2\"", "\"1.0\"", "\"1.99.1\"", "\"2.0\"", "1"][..]);
    // For most planned resources, a configuration block in their module to start links from.
    let blocks = prop::collection::vec(
        prop::option::weighted(
            0.75,
            (
                0u8..4,
                prop::collection::vec(
                    tf_reference(&["var.v", "var.w", "aws_ecs_task_definition.a", "aws_ecs_cluster.a"]),
                    1..4,
                ),
            ),
        ),
        10,
    );
    let instances = prop::collection::vec(tf_instance(), 0..10);
    (instances, blocks, tf_module(0), region, variables, version, any::<bool>()).prop_map(
        |(instances, blocks, mut root, region, variables, version, pretty)| {
            let mut modules: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
            for ((module, resource), block) in instances.into_iter().zip(blocks) {
                if let Some((which, references)) = block {
                    tf_block_for(&mut root, module, &resource, which == 0, &references);
                }
                modules.entry(module).or_default().push(resource);
            }
            let root_resources = modules.remove("").unwrap_or_default();
            let nested = modules.remove("module.m.module.n");
            let mut children: Vec<Value> = modules
                .into_iter()
                .map(|(address, resources)| json!({ "address": address, "resources": resources }))
                .collect();
            if let Some(resources) = nested {
                let child = json!({ "address": "module.m.module.n", "resources": resources });
                match children.iter_mut().find(|c| c["address"] == "module.m") {
                    Some(parent) => parent["child_modules"] = json!([child]),
                    None => children.push(child),
                }
            }
            let plan = json!({
                "format_version": tf_json(version),
                "planned_values": { "root_module": { "resources": root_resources, "child_modules": children } },
                "configuration": {
                    "provider_config": { "aws": { "name": "aws", "expressions": { "region": tf_json(region) } } },
                    "root_module": root,
                },
                "variables": tf_json(variables),
            });
            if pretty { serde_json::to_string_pretty(&plan).unwrap() } else { plan.to_string() }
        },
    )
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn terraform_plan_parse_never_panics(text in text(), today in today()) {
        read_plan_watched(text, None, today);
    }

    #[test]
    fn usage_file_parse_never_panics(text in text(), plan in any::<Index>()) {
        let _ = cost::input::terraform::usage::parse(&text);
        read_plan_watched(lossy(plan.get::<Vec<u8>>(&seeds().plans)), Some(text), None);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn mutated_plans_never_panic(bytes in mutated(&seeds().plans), usage in usage_seed(), today in today()) {
        read_plan_watched(lossy(&bytes), usage.as_deref().map(lossy), today);
    }

    #[test]
    fn mutated_usage_files_never_panic(bytes in mutated(&seeds().usages), plan in any::<Index>(), today in today()) {
        read_plan_watched(lossy(plan.get::<Vec<u8>>(&seeds().plans)), Some(lossy(&bytes)), today);
    }

    #[test]
    fn generated_plans_never_panic(plan in tf_generated_plan(), usage in usage_seed(), today in today()) {
        read_plan_watched(plan, usage.as_deref().map(lossy), today);
    }

    #[test]
    fn mutated_plans_through_the_cli(
        bytes in mutated(&seeds().plans),
        usage in usage_seed(),
        command in 0usize..5,
        format in select(FORMATS),
        stdin in any::<bool>(),
        today in today(),
    ) {
        plan_through_the_cli(&bytes, usage.as_deref(), command, format, stdin, today)?;
    }

    #[test]
    fn mutated_usage_files_through_the_cli(
        bytes in mutated(&seeds().usages),
        plan in any::<Index>(),
        command in 0usize..5,
        format in select(FORMATS),
        today in today(),
    ) {
        plan_through_the_cli(plan.get::<Vec<u8>>(&seeds().plans), Some(&bytes), command, format, false, today)?;
    }

    #[test]
    fn generated_plans_through_the_cli(
        plan in tf_generated_plan(),
        usage in usage_seed(),
        command in 0usize..5,
        format in select(FORMATS),
        stdin in any::<bool>(),
        today in today(),
    ) {
        plan_through_the_cli(plan.as_bytes(), usage.as_deref(), command, format, stdin, today)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Exactness laws over random workloads, priced through the CLI.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Service {
    /// Index into the sizes Fargate offers for the OS.
    size: Index,
    windows: bool,
    arm: bool,
    /// 0 on demand, 1 Spot, 2 and 3 Savings Plans (1 and 3 years); Linux only but 0.
    pricing: u8,
    count: u64,
    /// Hundredths of an hour, at least 9.
    centihours: u32,
    runs: u64,
    storage: u32,
    /// Tenths of a GB.
    data_transfer: u32,
}

#[derive(Debug, Clone)]
struct Cluster {
    centihours: u32,
    extended: bool,
}

#[derive(Debug, Clone)]
struct Repository {
    tenths_gb: u32,
    months: u32,
}

#[derive(Debug, Clone)]
struct Workload {
    services: Vec<Service>,
    clusters: Vec<Cluster>,
    repositories: Vec<Repository>,
    free_data_transfer: bool,
}

fn service() -> impl Strategy<Value = Service> {
    (
        any::<Index>(),
        any::<bool>(),
        any::<bool>(),
        0u8..4,
        1u64..=1000,
        // At least 0.09 h (324 s): above both per-run minimums (60 s Linux, 300 s Windows),
        // which are not whole hundredths of an hour.
        9u32..=100_000,
        1u64..=100,
        prop_oneof![Just(20u32), 20u32..=200],
        prop_oneof![Just(0u32), 1u32..=2_000_000],
    )
        .prop_map(|(size, windows, arm, pricing, count, centihours, runs, storage, data_transfer)| {
            Service {
                size,
                windows,
                arm: arm && !windows,
                pricing: if windows { 0 } else { pricing },
                count,
                centihours,
                runs,
                storage,
                data_transfer,
            }
        })
}

fn workload() -> impl Strategy<Value = Workload> {
    (
        prop::collection::vec(service(), 1..5),
        prop::collection::vec(
            (1u32..=100_000, any::<bool>())
                .prop_map(|(centihours, extended)| Cluster { centihours, extended }),
            0..3,
        ),
        prop::collection::vec(
            (0u32..=100_000, 1u32..=12).prop_map(|(tenths_gb, months)| Repository { tenths_gb, months }),
            0..3,
        ),
        any::<bool>(),
    )
        .prop_map(|(services, clusters, repositories, free_data_transfer)| Workload {
            services,
            clusters,
            repositories,
            free_data_transfer,
        })
}

fn offered(windows: bool) -> Vec<cost::model::Size> {
    cost::pricing::fargate::offered(if windows { Os::Windows } else { Os::Linux }).collect()
}

impl Workload {
    /// The workload file, with every service's count multiplied by `factor`.
    fn toml(&self, factor: u64) -> String {
        use std::fmt::Write as _;
        let mut text = String::from("region = \"us-east-1\"\n");
        for (i, s) in self.services.iter().enumerate() {
            let size = *s.size.get(&offered(s.windows));
            let pricing = ["on-demand", "spot", "savings-plan-1y", "savings-plan-3y"][usize::from(s.pricing)];
            write!(text,
                "\n[[service]]\nname = \"svc{i}\"\nvcpu = \"{}\"\nmemory = \"{}\"\ncount = {}\nhours = \"{}\"\nruns = {}\n\
                 arch = \"{}\"\nos = \"{}\"\npricing = \"{pricing}\"\nephemeral_storage = {}\ndata_transfer = \"{}\"\n",
                size.vcpu,
                size.memory_gb,
                s.count * factor,
                Decimal::new(i64::from(s.centihours), 2),
                s.runs,
                if s.arm { "arm64" } else { "x86_64" },
                if s.windows { "windows" } else { "linux" },
                s.storage,
                Decimal::new(i64::from(s.data_transfer), 1),
            ).unwrap();
        }
        for (i, c) in self.clusters.iter().enumerate() {
            write!(
                text,
                "\n[[eks_cluster]]\nname = \"eks{i}\"\nhours = \"{}\"\nsupport = \"{}\"\n",
                Decimal::new(i64::from(c.centihours), 2),
                if c.extended { "extended" } else { "standard" },
            )
            .unwrap();
        }
        for (i, r) in self.repositories.iter().enumerate() {
            write!(
                text,
                "\n[[ecr_repository]]\nname = \"ecr{i}\"\nstorage_gb = \"{}\"\nmonths = {}\n",
                Decimal::new(i64::from(r.tenths_gb), 1),
                r.months,
            )
            .unwrap();
        }
        text
    }
}

/// Prices `toml` with `cost estimate --workload FILE --format json`.
fn price(toml: &str, free_data_transfer: bool) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workload.toml");
    std::fs::write(&path, toml).unwrap();
    let mut args = strings(&["estimate", "--workload", &path.display().to_string(), "--format", "json"]);
    if free_data_transfer {
        args.push("--free-data-transfer".to_owned());
    }
    let ran = cli(&args, b"");
    assert_eq!(ran.code, 0, "{:?}\n{toml}", ran.stderr);
    serde_json::from_slice(&ran.out).unwrap()
}

/// A JSON number read exactly, after checking it is written as a plain decimal: no exponent, no
/// trailing zeros, at most 28 significant digits, the same digits back when printed.
fn exact(v: &Value) -> Result<Decimal, TestCaseError> {
    let text = v.as_number().map(ToString::to_string);
    prop_assert!(text.is_some(), "{v} is not a number");
    let text = text.unwrap_or_default();
    prop_assert!(!text.contains(['e', 'E']), "{text} has an exponent");
    let value = Decimal::from_str_exact(&text);
    prop_assert!(value.is_ok(), "{text} is not an exact decimal");
    let value = value.unwrap_or_default();
    prop_assert_eq!(value.normalize().to_string(), text.clone(), "{} is not written as its decimal", text);
    Ok(value)
}

/// Every number anywhere in `v`, checked by [`exact`].
fn all_numbers_exact(v: &Value) -> Result<(), TestCaseError> {
    match v {
        Value::Number(_) => exact(v).map(|_| ()),
        Value::Array(items) => items.iter().try_for_each(all_numbers_exact),
        Value::Object(map) => map.values().try_for_each(all_numbers_exact),
        _ => Ok(()),
    }
}

/// Components billed per hour of task time: they scale with the count.
const PER_HOUR: [&str; 4] = ["vcpu", "memory", "ephemeral_storage", "os_license"];

/// `(item, component, detail)` → `(quantity, cost)` of every line.
/// `(item, component, detail)`.
type LineKey = (String, String, String);

fn lines(report: &Value) -> Result<BTreeMap<LineKey, (Decimal, Decimal)>, TestCaseError> {
    let mut map = BTreeMap::new();
    for item in report["items"].as_array().unwrap() {
        for line in item["lines"].as_array().unwrap() {
            let key = (
                item["name"].as_str().unwrap().to_owned(),
                line["component"].as_str().unwrap().to_owned(),
                line["detail"].as_str().unwrap_or("").to_owned(),
            );
            let before = map.insert(key.clone(), (exact(&line["quantity"])?, exact(&line["cost"])?));
            prop_assert!(before.is_none(), "two lines {key:?}");
        }
    }
    Ok(map)
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn totals_are_exact_sums_and_numbers_are_plain_decimals(w in workload()) {
        let report = price(&w.toml(1), w.free_data_transfer);
        all_numbers_exact(&report)?;
        let mut items_sum = Decimal::ZERO;
        for item in report["items"].as_array().unwrap() {
            let mut lines_sum = Decimal::ZERO;
            for line in item["lines"].as_array().unwrap() {
                let cost = exact(&line["cost"])?;
                prop_assert!(cost >= Decimal::ZERO, "{line}");
                if PER_HOUR.contains(&line["component"].as_str().unwrap()) {
                    // With hours of at most two decimals nothing needs rounding: the cost is the
                    // quantity at the rate, exactly.
                    prop_assert_eq!(cost, exact(&line["quantity"])? * exact(&line["rate"])?, "{}", line);
                }
                lines_sum += cost;
            }
            prop_assert_eq!(exact(&item["total"])?, lines_sum, "item {}", item["name"]);
            items_sum += lines_sum;
        }
        prop_assert_eq!(exact(&report["total"])?, items_sum);
        let items = report["items"].as_array().unwrap().len();
        prop_assert_eq!(items, w.services.len() + w.clusters.len() + w.repositories.len());
    }

    #[test]
    fn doubling_every_count_doubles_every_per_hour_line(w in workload()) {
        let once = lines(&price(&w.toml(1), w.free_data_transfer))?;
        let twice = lines(&price(&w.toml(2), w.free_data_transfer))?;
        prop_assert_eq!(once.keys().collect::<Vec<_>>(), twice.keys().collect::<Vec<_>>());
        for (key, (quantity, cost)) in &once {
            let (quantity2, cost2) = twice[key];
            if PER_HOUR.contains(&key.1.as_str()) {
                prop_assert_eq!(quantity2, quantity * Decimal::TWO, "{:?}", key);
                prop_assert_eq!(cost2, cost * Decimal::TWO, "{:?}", key);
            } else {
                // Data transfer is the service's whole amount; clusters and repositories have no
                // count.
                prop_assert_eq!((quantity2, cost2), (*quantity, *cost), "{:?}", key);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed checks of the harness itself.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_mutations_do_what_they_say() {
    let seed = b"a = 1\nb = 2\n";
    let at = Pos;
    assert_eq!(mutate(seed, &[Mutation::Truncate(at(0))]), b"");
    assert_eq!(mutate(seed, &[Mutation::Insert(at(0), b"{")]), b"{a = 1\nb = 2\n");
    assert_eq!(mutate(seed, &[Mutation::DuplicateLine(at(0))]), b"a = 1\na = 1\nb = 2\n");
    assert_eq!(mutate(seed, &[Mutation::Delete(at(0), 6)]), b"b = 2\n");
    assert_eq!(mutate(seed, &[Mutation::Flip(at(0), 5)]), b"A = 1\nb = 2\n");
    assert_eq!(mutate(b"", &[Mutation::Flip(at(0), 5), Mutation::Insert(at(3), b"]")]), b"]");
}

#[test]
fn the_seeds_are_sound() {
    // Unmutated, every seed parses: the mutations start from inputs that get deep.
    let s = seeds();
    for t in &s.task_definitions {
        assert!(cost::input::task_definition::parse(&lossy(t)).is_ok());
    }
    for w in &s.workloads {
        assert!(cost::input::workload::parse(&lossy(w)).is_ok(), "{}", lossy(w));
    }
    for r in &s.rate_tables {
        assert!(cost::rates::parse(&lossy(r), &cost::rates::Origin::File("seed".to_owned())).is_ok());
    }
    assert!(cost::report::saved::parse(&lossy(&s.reports[0]), "seed".to_owned()).is_ok());
    // Both shapes of price list import, and the offer file's decoys are skipped.
    for (i, list) in s.price_lists.iter().enumerate() {
        let mut collected = cost::rates::import::Collected::default();
        let read =
            cost::rates::import::read_price_list(&list[..], "seed", &shared::region_of, &mut collected);
        assert!(read.is_ok(), "price list {i}: {read:?}");
        let (code, region) = collected.choose(None).unwrap();
        assert_eq!(code, "us-east-1");
        assert!(cost::rates::import::to_toml(code, region, None).is_ok(), "price list {i}");
    }
    let dir = tempfile::tempdir().unwrap();
    let offer = dir.path().join("offer.json");
    std::fs::write(&offer, &s.price_lists[1]).unwrap();
    let ran = cli(&strings(&["rates", "import", &offer.display().to_string()]), b"");
    assert_eq!(ran.code, 0, "{:?}", ran.stderr);
    let table = String::from_utf8(ran.out).unwrap();
    for wanted in ["m5.large", "m6g.large", "r5.xlarge", "0.04048", "0.096", "0.085", "eks"] {
        assert!(table.contains(wanted), "{wanted} not imported:\n{table}");
    }
    for decoy in ["0.188", "0.113", "0.587"] {
        assert!(!table.contains(decoy), "decoy {decoy} imported:\n{table}");
    }
    // Every plan reads, and prices through the CLI with each usage file and without one.
    for usage in &s.usages {
        assert!(cost::input::terraform::usage::parse(&lossy(usage)).is_ok(), "{}", lossy(usage));
    }
    let usage_path = dir.path().join("usage.toml");
    for (i, plan) in s.plans.iter().enumerate() {
        let read = cost::input::terraform::parse(
            &lossy(plan),
            &cost::input::terraform::Usage::default(),
            Date::new(2026, 10, 1),
        );
        assert!(read.is_ok(), "plan {i}: {read:?}");
        for usage in std::iter::once(None).chain(s.usages.iter().map(Some)) {
            let mut args = strings(&["estimate", "--terraform-plan", "-", "--format", "json"]);
            if let Some(usage) = usage {
                std::fs::write(&usage_path, usage).unwrap();
                args.extend(["--usage".to_owned(), usage_path.display().to_string()]);
            }
            let ran = cli(&args, plan);
            assert_eq!(ran.code, 0, "plan {i}: {:?}", ran.stderr);
            let report: Value = serde_json::from_slice(&ran.out).unwrap();
            assert!(number(&report["total"]) > d("0"), "plan {i}: {report}");
        }
    }
    let ran = cli(&strings(&["estimate", "--workload", "-", "--format", "json"]), FULL_WORKLOAD.as_bytes());
    assert_eq!(ran.code, 0, "{:?}", ran.stderr);
    let report: Value = serde_json::from_slice(&ran.out).unwrap();
    // api, win, spot, sp, packed, pod, the cluster and the repository.
    assert_eq!(report["items"].as_array().unwrap().len(), 8);
    // It prices: mutations start from a workload that gets through every stage.
    assert!(number(&report["total"]) > d("0"));
}

// ---------------------------------------------------------------------------------------------
// Regressions.
// ---------------------------------------------------------------------------------------------

/// A module `m` whose input variable `v` is set from `m`'s own output `o`, and whose output is
/// `v`: a cycle Terraform itself would reject, but `cost` reads plan JSON it did not check. With
/// two references at each step, `Reader::resolve` (src/terraform/mod.rs) followed both every time
/// round the cycle until `MAX_DEPTH` (32): some 2^33 calls, about an hour of CPU, so
/// `cost estimate --terraform-plan` on this 700-byte plan hung instead of skipping the service
/// (three references at each step: years). Each (module, reference) pair is now followed once.
fn reference_cycle_plan() -> String {
    json!({
        "format_version": "1.2",
        "planned_values": { "root_module": { "child_modules": [{ "address": "module.m", "resources": [
            { "address": "module.m.aws_ecs_service.s", "mode": "managed", "type": "aws_ecs_service", "name": "s",
              "values": { "desired_count": 1, "launch_type": "FARGATE" } },
        ]}]}},
        "configuration": { "root_module": { "module_calls": { "m": {
            "source": "./m",
            "expressions": { "v": { "references": ["module.m.o", "module.m.o"] } },
            "module": {
                "resources": [{ "address": "aws_ecs_service.s", "mode": "managed", "type": "aws_ecs_service", "name": "s",
                                "expressions": { "task_definition": { "references": ["var.v"] } } }],
                "outputs": { "o": { "expression": { "references": ["var.v", "var.v"] } } },
            },
        }}}},
    })
    .to_string()
}

#[test]
fn a_reference_cycle_through_a_module_output_and_variable_is_read_quickly() {
    let (send, receive) = channel();
    std::thread::spawn(move || {
        let _ = send.send(cost::input::terraform::parse(
            &reference_cycle_plan(),
            &cost::input::terraform::Usage::default(),
            None,
        ));
    });
    let plan = receive.recv_timeout(Duration::from_secs(10)).expect("reading the plan took over 10 s");
    // Nothing the service refers to is a task definition: it is unpriced, saying so.
    let plan = plan.unwrap();
    assert!(plan.services.is_empty());
    assert_eq!(plan.unpriced[0].name, "module.m.aws_ecs_service.s");
}
