//! Plans generated whole from Terraform's vocabulary: resources of every type `cost` reads (and
//! some it skips) in the root, module calls, `for_each` and `count` instances and a nested call,
//! with values it accepts and values it must refuse, linked by configuration references through
//! module outputs and variables.

use super::*;

/// Where generated resources live (the root twice as often).
pub(super) const TF_MODULES: &[&str] =
    &["", "", "module.m", "module.m[\"a\"]", "module.m[0]", "module.n", "module.m.module.n"];

pub(super) const TF_TYPES: &[&str] = &[
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

pub(super) const TF_NAMES: &[&str] = &["a", "b"];

/// Instance keys, as JSON (`""`: none).
pub(super) const TF_INDEXES: &[&str] = &["", "", "0", "1", "\"a\"", "\"x\""];

pub(super) const TF_REFERENCES: &[&str] = &[
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
pub(super) fn tf_keys(kind: &str) -> &'static [&'static str] {
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
pub(super) const TF_STRATEGIES: &[&str] = &[
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
pub(super) const TF_CONTAINERS: &[&str] = &[
    r#""[{\"name\": \"app\", \"image\": \"nginx\"}]""#,
    r#""[{\"name\": \"a\", \"image\": \"a\", \"cpu\": 256, \"memory\": 512}, {\"name\": \"b\", \"image\": \"b\", \"cpu\": 768, \"memoryReservation\": 1536}]""#,
    r#""[{\"name\": \"a\", \"cpu\": 99999999999999999999, \"memory\": -1}]""#,
    r#""[]""#,
    r#""not json""#,
];

/// Values for `key`, as JSON: ones Terraform writes and ones at or past the edges.
pub(super) fn tf_values(key: &str) -> &'static [&'static str] {
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
pub(super) const TF_ODD_VALUES: &[&str] =
    &["null", "true", "-1", "1e400", "\"\"", "[]", "{}", "[null]", "0.0000000000000000000000000001"];

pub(super) fn tf_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// One planned resource instance, with the module it is in.
pub(super) fn tf_instance() -> impl Strategy<Value = (&'static str, Value)> {
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
pub(super) fn tf_reference(likely: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop_oneof![3 => select(likely), 1 => select(TF_REFERENCES)]
}

/// A configuration resource block whose expressions refer to anything.
pub(super) fn tf_config_block() -> impl Strategy<Value = Value> {
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
pub(super) fn tf_module(depth: u32) -> BoxedStrategy<Value> {
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
pub(super) fn tf_call(depth: u32) -> BoxedStrategy<Value> {
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
pub(super) fn tf_block_for(
    root: &mut Value,
    module: &str,
    resource: &Value,
    cluster: bool,
    references: &[&str],
) {
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
pub(super) fn tf_generated_plan() -> impl Strategy<Value = String> {
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
