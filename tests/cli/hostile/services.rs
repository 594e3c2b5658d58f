//! `--services`: describe-services output and the task definitions given with it, malformed every
//! way; and service names that try to write to the terminal.

use super::*;

/// A service of `desiredCount` 1 with `key` set to `value` (raw JSON) as describe-services output:
/// a key given twice is the last one's (as `serde_json` reads it), so `value` replaces the sound one.
fn with(key: &str, value: &str) -> String {
    let mut service = serde_json::json!({
        "serviceArn": "arn:aws:ecs:us-east-1:1:service/prod/api", "serviceName": "api",
        "clusterArn": "arn:aws:ecs:us-east-1:1:cluster/prod", "status": "ACTIVE", "desiredCount": 1,
        "launchType": "FARGATE", "taskDefinition": "api:1",
    })
    .to_string();
    service.pop();
    format!("{{\"services\": [{service}, \"{key}\": {value}}}]}}")
}

const DEFINITION: &str =
    r#"{"taskDefinition": {"family": "api", "revision": 1, "cpu": "256", "memory": "512"}}"#;

/// describe-services output and its task definitions: truncated, wrong types for every field read,
/// huge and negative numbers, other documents, files that are not there or not files.
pub(super) fn services_cases(files: &Files) -> Vec<Case> {
    let definition = files.write("svc-api-1.json", DEFINITION);
    let mut table: Vec<(String, String, Vec<&str>)> = vec![
        ("svc-empty.json".into(), String::new(), vec!["empty"]),
        ("svc-truncated.json".into(), r#"{"services": [{"serviceName": "#.into(), vec!["not valid JSON"]),
        ("svc-array.json".into(), "[]".into(), vec!["expected an object"]),
        ("svc-null.json".into(), "null".into(), vec!["expected an object"]),
        ("svc-comment.json".into(), "{\n// prod\n\"services\": []}".into(), vec!["comments", "line 2"]),
        ("svc-task-definition.json".into(), DEFINITION.into(), vec!["not describe-services output", "task definition"]),
        (
            "svc-plan.json".into(),
            r#"{"format_version": "1.2", "planned_values": {}}"#.into(),
            vec!["not describe-services output", "Terraform plan"],
        ),
        ("svc-placebo.json".into(), r#"{"status_code": 200, "data": {"services": []}}"#.into(), vec!["jq .data"]),
        ("svc-keys.json".into(), r#"{"clusters": []}"#.into(), vec!["its keys: clusters"]),
        ("svc-services-object.json".into(), r#"{"services": {}}"#.into(), vec!["`services`"]),
        ("svc-service-number.json".into(), r#"{"services": [1]}"#.into(), vec!["`services[0]`"]),
        ("svc-failures-string.json".into(), r#"{"services": [], "failures": "x"}"#.into(), vec!["`failures`"]),
        ("svc-failure-arn.json".into(), r#"{"failures": [{"arn": []}]}"#.into(), vec!["`failures[0].arn`"]),
        (
            "svc-twice.json".into(),
            r#"{"services": [{"serviceName": "a"}, {"serviceName": "a"}]}"#.into(),
            vec!["`a` appears twice"],
        ),
        (
            "svc-regions.json".into(),
            r#"{"services": [{"serviceArn": "arn:aws:ecs:us-east-1:1:service/a"}, {"serviceArn": "arn:aws:ecs:eu-west-1:1:service/b"}]}"#
                .into(),
            vec!["more than one region", "eu-west-1", "us-east-1"],
        ),
    ];
    // Wrong types and values for every field read; the message names its JSON path.
    for (key, value, path) in [
        ("serviceName", "1", "`services[0].serviceName`"),
        ("serviceArn", "{}", "`services[0].serviceArn`"),
        ("clusterArn", "true", "`services[0].clusterArn`"),
        ("status", "[]", "`services[0].status`"),
        ("desiredCount", "\"1\"", "`services[0].desiredCount`"),
        ("desiredCount", "-1", "`services[0].desiredCount`"),
        ("desiredCount", "1.5", "`services[0].desiredCount`"),
        ("desiredCount", "1e999", "`services[0].desiredCount`"),
        ("desiredCount", "18446744073709551616", "`services[0].desiredCount`"),
        ("desiredCount", "99999999999999999999999999999", "`services[0].desiredCount`"),
        ("launchType", "5", "`services[0].launchType`"),
        ("schedulingStrategy", "{}", "`services[0].schedulingStrategy`"),
        ("taskDefinition", "1", "`services[0].taskDefinition`"),
        ("capacityProviderStrategy", "\"FARGATE\"", "`services[0].capacityProviderStrategy`"),
        ("capacityProviderStrategy", "[1]", "`services[0].capacityProviderStrategy[0]`"),
        (
            "capacityProviderStrategy",
            "[{\"weight\": 1}]",
            "`services[0].capacityProviderStrategy[0].capacityProvider`",
        ),
        (
            "capacityProviderStrategy",
            "[{\"capacityProvider\": \"FARGATE\", \"weight\": -1}]",
            "`services[0].capacityProviderStrategy[0].weight`",
        ),
        (
            "capacityProviderStrategy",
            "[{\"capacityProvider\": \"FARGATE\", \"base\": 1e30}]",
            "`services[0].capacityProviderStrategy[0].base`",
        ),
        ("networkConfiguration", "[]", "`services[0].networkConfiguration`"),
        (
            "networkConfiguration",
            "{\"awsvpcConfiguration\": 1}",
            "`services[0].networkConfiguration.awsvpcConfiguration`",
        ),
        (
            "networkConfiguration",
            "{\"awsvpcConfiguration\": {\"assignPublicIp\": \"SOMETIMES\"}}",
            "`services[0].networkConfiguration.awsvpcConfiguration.assignPublicIp`",
        ),
    ] {
        // A key given twice is the last one's: the value under test replaces the sound one.
        let name = format!("svc-{key}-{}.json", table.len());
        let text = with(key, value);
        table.push((name, text, vec![path]));
    }
    let mut cases: Vec<Case> = table
        .iter()
        .map(|(name, text, needles)| {
            let path = files.write(name, text);
            let mut needles = needles.clone();
            needles.push(name);
            case(&["estimate", "--services", &path, "--task-definition", &definition], 1, &needles)
        })
        .collect();
    let good = files.write("svc-good.json", with("desiredCount", "2"));
    // The task definitions: broken, not one, missing, a folder with none, a device.
    for (name, text, needle) in [
        ("svc-td-truncated.json", "{\"taskDefinition\": {", "not valid JSON"),
        (
            "svc-td-cpu.json",
            r#"{"taskDefinition": {"family": "api", "cpu": "lots"}}"#,
            "`taskDefinition.cpu`",
        ),
        ("svc-td-services.json", r#"{"services": []}"#, "not a task definition"),
        ("svc-td-wrapper.json", r#"{"taskDefinition": 5}"#, "`taskDefinition`"),
    ] {
        let path = files.write(name, text);
        cases.push(case(&["estimate", "--services", &good, "--task-definition", &path], 1, &[name, needle]));
    }
    let other = files.write(
        "svc-other-api-1.json",
        r#"{"taskDefinition": {"family": "api", "revision": 1, "cpu": "512", "memory": "1024"}}"#,
    );
    cases.push(case(
        &["estimate", "--services", &good, "--task-definition", &definition, "--task-definition", &other],
        1,
        &["`api:1` is given twice", "svc-other-api-1.json"],
    ));
    let missing = files.missing("svc-missing.json");
    cases.push(case(&["estimate", "--services", &missing], 1, &["svc-missing.json"]));
    cases.push(case(
        &["estimate", "--services", &good, "--task-definition", &missing],
        1,
        &["svc-missing.json"],
    ));
    cases.push(case(&["estimate", "--services", &files.dir()], 1, &["a directory"]));
    cases.push(case(&["estimate", "--services", &good, "--task-definition", "/dev/null"], 1, &["/dev/null"]));
    cases.push(case(&["estimate", "--services", "/dev/zero"], 1, &["/dev/zero"]));
    let fifo = files.fifo("svc-fifo.json");
    cases.push(case(&["estimate", "--services", &fifo], 1, &["svc-fifo.json", "named pipe"]));
    cases.push(case(&["estimate", "--services", "-"], 1, &["services on standard input", "empty"]));
    cases.push(
        case(&["estimate", "--services", "-"], 1, &["services on standard input", "not UTF-8"])
            .stdin(b"{\"services\": [\xff]}"),
    );
    // Usage: flags that describe one task, and what goes only with --services.
    cases.push(case(&["estimate", "--services", &good, "--memory", "2"], 2, &["--services", "--memory"]));
    cases.push(case(
        &["estimate", "--services", &good, "--workload", &good],
        2,
        &["--services", "--workload"],
    ));
    cases.push(case(
        &["check", "--task-definition", &definition, "--budget", "5", &good],
        2,
        &["--services"],
    ));
    // The gate: unpriced (the definition is not given) with a budget is exit 4; no budget, exit 1.
    cases.push(incomplete(
        &["check", "--services", &good, "--budget", "100"],
        &["api could not be priced", "api:1 was not given"],
    ));
    cases.push(case(&["check", "--services", &good], 1, &["services `", "no budget"]));
    cases
}

#[test]
fn hostile_describe_services_output() {
    verify(&services_cases(&Files::new()));
}

#[test]
fn service_names_that_write_to_the_terminal_are_shown_escaped() {
    let files = Files::new();
    let definition = files.write("api.json", DEFINITION);
    let evil = "api\n| fake | $0.00 |\u{1b}[2J\u{1b}]0;pwned\u{7}";
    let path = files.write("evil.json", with("serviceName", &serde_json::to_string(evil).unwrap()));
    for format in ["table", "markdown", "csv"] {
        let out = cost()
            .args(["estimate", "--services", &path, "--task-definition", &definition, "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let shown = String::from_utf8(out.stdout).unwrap();
        assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'), "{format}: {shown}");
        assert!(!shown.lines().any(|l| l.starts_with("| fake")), "{format}: {shown}");
        if format == "table" {
            assert!(shown.contains("api\\n| fake | $0.00 |\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"), "{shown}");
        }
    }
}
