//! Task definitions, workload files and `--batch` streams, malformed every way.

use super::*;

/// Task definitions: truncated, wrong types for every field, bad numbers and enum values.
pub(super) fn task_definition_cases(files: &Files) -> Vec<Case> {
    let size = r#""cpu": "256", "memory": "512""#;
    let table: Vec<(&str, String, Vec<&str>)> = vec![
        ("td-truncated.json", r#"{"cpu": "256", "memory": "#.to_owned(), vec!["not valid JSON"]),
        ("td-truncated-string.json", r#"{"cpu": "25"#.to_owned(), vec!["not valid JSON"]),
        ("td-trailing.json", format!("{{{size}}} x"), vec!["trailing"]),
        ("td-array.json", format!("[{{{size}}}]"), vec!["array"]),
        ("td-null.json", "null".to_owned(), vec!["null"]),
        ("td-string.json", r#""a task""#.to_owned(), vec!["string"]),
        ("td-number.json", "42".to_owned(), vec!["JSON object"]),
        ("td-cpu-array.json", r#"{"cpu": ["256"], "memory": "512"}"#.to_owned(), vec!["`cpu`"]),
        ("td-cpu-bool.json", r#"{"cpu": true, "memory": "512"}"#.to_owned(), vec!["`cpu`"]),
        ("td-cpu-nan.json", r#"{"cpu": "NaN", "memory": "512"}"#.to_owned(), vec!["`cpu`", "NaN"]),
        ("td-cpu-nan-vcpu.json", r#"{"cpu": "NaN vCPU", "memory": "512"}"#.to_owned(), vec!["`cpu`"]),
        ("td-cpu-inf.json", r#"{"cpu": "inf", "memory": "512"}"#.to_owned(), vec!["`cpu`"]),
        (
            "td-cpu-negative.json",
            r#"{"cpu": "-256", "memory": "512"}"#.to_owned(),
            vec!["`cpu`", "greater than 0"],
        ),
        ("td-cpu-zero.json", r#"{"cpu": 0, "memory": "512"}"#.to_owned(), vec!["`cpu`", "greater than 0"]),
        ("td-cpu-1e999.json", r#"{"cpu": 1e999, "memory": "512"}"#.to_owned(), vec!["`cpu`"]),
        ("td-cpu-huge.json", format!(r#"{{"cpu": {TOO_MANY_DIGITS}, "memory": "512"}}"#), vec!["`cpu`"]),
        (
            "td-cpu-too-precise.json",
            r#"{"cpu": 256.00000000000000000000000000001, "memory": "512"}"#.to_owned(),
            vec!["`cpu`"],
        ),
        ("td-memory-object.json", r#"{"cpu": "256", "memory": {}}"#.to_owned(), vec!["`memory`"]),
        ("td-memory-negative.json", r#"{"cpu": "256", "memory": -512}"#.to_owned(), vec!["`memory`"]),
        ("td-memory-tb.json", r#"{"cpu": "256", "memory": "0.5 TB"}"#.to_owned(), vec!["`memory`"]),
        ("td-memory-exponent.json", r#"{"cpu": "256", "memory": "1e30"}"#.to_owned(), vec!["`memory`"]),
        ("td-memory-null.json", r#"{"cpu": "256", "memory": null}"#.to_owned(), vec!["memory"]),
        ("td-no-size.json", r#"{"family": "x"}"#.to_owned(), vec!["no task-level cpu"]),
        (
            "td-platform-string.json",
            format!(r#"{{{size}, "runtimePlatform": "LINUX"}}"#),
            vec!["`runtimePlatform`"],
        ),
        (
            "td-arch-number.json",
            format!(r#"{{{size}, "runtimePlatform": {{"cpuArchitecture": 5}}}}"#),
            vec!["`runtimePlatform.cpuArchitecture`"],
        ),
        (
            "td-arch-mips.json",
            format!(r#"{{{size}, "runtimePlatform": {{"cpuArchitecture": "MIPS"}}}}"#),
            vec!["`runtimePlatform.cpuArchitecture`", "MIPS"],
        ),
        (
            "td-os-bool.json",
            format!(r#"{{{size}, "runtimePlatform": {{"operatingSystemFamily": true}}}}"#),
            vec!["`runtimePlatform.operatingSystemFamily`"],
        ),
        (
            "td-os-beos.json",
            format!(r#"{{{size}, "runtimePlatform": {{"operatingSystemFamily": "BEOS"}}}}"#),
            vec!["`runtimePlatform.operatingSystemFamily`", "BEOS"],
        ),
        (
            "td-storage-number.json",
            format!(r#"{{{size}, "ephemeralStorage": 5}}"#),
            vec!["`ephemeralStorage`"],
        ),
        (
            "td-storage-string.json",
            format!(r#"{{{size}, "ephemeralStorage": {{"sizeInGiB": "big"}}}}"#),
            vec!["`ephemeralStorage.sizeInGiB`"],
        ),
        (
            "td-storage-1e999.json",
            format!(r#"{{{size}, "ephemeralStorage": {{"sizeInGiB": 1e999}}}}"#),
            vec!["`ephemeralStorage.sizeInGiB`"],
        ),
        (
            "td-compat-string.json",
            format!(r#"{{{size}, "requiresCompatibilities": "FARGATE"}}"#),
            vec!["`requiresCompatibilities`"],
        ),
        (
            "td-compat-number.json",
            format!(r#"{{{size}, "requiresCompatibilities": [5]}}"#),
            vec!["`requiresCompatibilities`"],
        ),
        ("td-wrapper-number.json", r#"{"taskDefinition": 5}"#.to_owned(), vec!["`taskDefinition`"]),
        ("td-wrapper-null.json", r#"{"taskDefinition": null}"#.to_owned(), vec!["`taskDefinition`"]),
    ];
    let mut cases: Vec<Case> = table
        .into_iter()
        .map(|(name, text, mut needles)| {
            let path = files.write(name, text);
            needles.push(name);
            case(&["estimate", "--task-definition", &path], 1, &needles)
        })
        .collect();
    // The same problems through standard input, and through `cost compare`.
    cases.push(
        case(&["estimate", "--task-definition", "-"], 1, &["standard input", "not valid JSON"])
            .stdin(br#"{"cpu": "256""#),
    );
    cases.push(
        case(&["estimate", "--task-definition", "-"], 1, &["standard input", "`cpu`"])
            .stdin(br#"{"cpu": [], "memory": "512"}"#),
    );
    let path = files.write("td-compare.json", r#"{"cpu": "256", "memory": {}}"#);
    cases.push(case(&["compare", "--task-definition", &path], 1, &["td-compare.json", "`memory`"]));
    // Registered for EC2 only, asked for on Fargate; for ECS Anywhere only.
    let ec2 = files.write("td-compat-ec2.json", format!(r#"{{{size}, "requiresCompatibilities": ["EC2"]}}"#));
    let args = ["estimate", "--launch-type", "fargate", "--task-definition", &ec2];
    cases.push(case(&args, 1, &["td-compat-ec2.json", "requiresCompatibilities", "FARGATE"]));
    let external = files
        .write("td-compat-external.json", format!(r#"{{{size}, "requiresCompatibilities": ["EXTERNAL"]}}"#));
    cases.push(case(
        &["estimate", "--task-definition", &external],
        1,
        &["td-compat-external.json", "ECS Anywhere"],
    ));
    cases
}

/// Workload files: truncated, wrong types for every key, bad numbers and enum values, and entries
/// that cannot be priced.
pub(super) fn workload_cases(files: &Files) -> Vec<Case> {
    // (file name, text, needles besides the file name)
    let mut table: Vec<(String, String, Vec<String>)> = Vec::new();
    let mut add = |name: &str, text: String, needles: &[&str]| {
        table.push((name.to_owned(), text, needles.iter().map(|n| (*n).to_owned()).collect()));
    };
    add("wl-truncated-header.toml", "[[service]\nname = \"api\"\n".to_owned(), &["line 1"]);
    add("wl-truncated-string.toml", "region = \"us-east-1\n".to_owned(), &["`region`"]);
    add("wl-truncated-table.toml", "[[service]]\nname = \"api\"\nvcpu = ".to_owned(), &["`vcpu`"]);
    add("wl-truncated-inline.toml", "[budget]\nlimit = { a = 1".to_owned(), &["line 2"]);
    // Wrong types and bad values for every [[service]] key; the file names the key.
    let service_keys: &[(&str, &str)] = &[
        ("name", "1"),
        ("launch_type", "1"),
        ("launch_type", "\"lambda\""),
        ("platform", "[]"),
        ("platform", "\"k8s\""),
        ("task_definition", "1"),
        ("count", "\"3\""),
        ("count", "1.5"),
        ("count", "-1"),
        ("count", "0"),
        ("count", "18446744073709551616"),
        ("hours", "\"x\""),
        ("hours", "nan"),
        ("hours", "inf"),
        ("hours", "-inf"),
        ("hours", "1e999"),
        ("hours", "1e30"),
        ("hours", "0.1"),
        ("hours", "0"),
        ("hours", "-1"),
        ("hours", "\"99999999999999999999999999999\""),
        ("hours", "\"0.1234567890123456789012345678901\""),
        ("minutes", "{}"),
        ("minutes", "nan"),
        ("runs", "0"),
        ("runs", "true"),
        ("arch", "1"),
        ("arch", "\"mips\""),
        ("os", "1"),
        ("os", "\"beos\""),
        ("spot", "\"yes\""),
        ("pricing", "\"free\""),
        ("ephemeral_storage", "\"x\""),
        ("ephemeral_storage", "inf"),
        ("data_transfer", "-1"),
        ("data_transfer", "nan"),
        ("data_transfer", "\"1e3\""),
        ("round_up", "\"yes\""),
        ("budget", "\"x\""),
        ("budget", "-1"),
        ("instance_type", "1"),
        ("instances", "0"),
        ("unknown", "1"),
    ];
    for (i, (key, value)) in service_keys.iter().enumerate() {
        let text = if *key == "name" {
            format!("[[service]]\nname = {value}\nvcpu = 1\nmemory = 2\n")
        } else {
            format!("{SERVICE}{key} = {value}\n")
        };
        add(&format!("wl-service-{i}-{key}.toml"), text, &[&format!("`{key}`")]);
    }
    let other: &[(&str, &str, &[&str])] = &[
        (
            "wl-region-number.toml",
            "region = 1\n[[service]]\nname = \"a\"\nvcpu = 1\nmemory = 2\n",
            &["`region`"],
        ),
        ("wl-budget-string.toml", "[budget]\nlimit = \"x\"\n", &["`limit`"]),
        ("wl-budget-nan.toml", "[budget]\nlimit = nan\n", &["`limit`"]),
        ("wl-budget-key.toml", "[budget]\nwrong = 1\n", &["`wrong`"]),
        ("wl-budget-number.toml", "budget = 5\n", &["`budget`"]),
        ("wl-service-number.toml", "service = 5\n", &["`service`"]),
        ("wl-eks-hours.toml", "[[eks_cluster]]\nname = \"a\"\nhours = \"x\"\n", &["`hours`", "eks_cluster"]),
        (
            "wl-eks-support.toml",
            "[[eks_cluster]]\nname = \"a\"\nsupport = \"premium\"\n",
            &["`support`", "premium"],
        ),
        ("wl-eks-support-number.toml", "[[eks_cluster]]\nname = \"a\"\nsupport = 1\n", &["`support`"]),
        ("wl-eks-negative.toml", "[[eks_cluster]]\nname = \"a\"\nhours = -1\n", &["`hours`"]),
        ("wl-eks-1e999.toml", "[[eks_cluster]]\nname = \"a\"\nhours = 1e999\n", &["`hours`"]),
        ("wl-eks-nameless.toml", "[[eks_cluster]]\nhours = 1\n", &["`name`"]),
        ("wl-ecr-string.toml", "[[ecr_repository]]\nname = \"r\"\nstorage_gb = \"big\"\n", &["`storage_gb`"]),
        ("wl-ecr-negative.toml", "[[ecr_repository]]\nname = \"r\"\nstorage_gb = -1\n", &["`storage_gb`"]),
        ("wl-ecr-inf.toml", "[[ecr_repository]]\nname = \"r\"\nstorage_gb = inf\n", &["`storage_gb`"]),
        (
            "wl-ecr-months.toml",
            "[[ecr_repository]]\nname = \"r\"\nstorage_gb = 1\nmonths = 0\n",
            &["`months`"],
        ),
        (
            "wl-ecr-huge.toml",
            "[[ecr_repository]]\nname = \"r\"\nstorage_gb = \"99999999999999999999999999999\"\n",
            &["`storage_gb`"],
        ),
        (
            "wl-duplicate-key.toml",
            "[[service]]\nname = \"a\"\nvcpu = 1\nvcpu = 2\nmemory = 2\n",
            &["duplicate key", "line 4"],
        ),
        (
            "wl-duplicate-name.toml",
            "[[service]]\nname = \"a\"\nvcpu = 1\nmemory = 2\n[[ecr_repository]]\nname = \"a\"\nstorage_gb = 1\n",
            &["\"a\"", "already used"],
        ),
        ("wl-nameless.toml", "[[service]]\nvcpu = 1\nmemory = 2\n", &["`name`"]),
        ("wl-empty-name.toml", "[[service]]\nname = \"\"\nvcpu = 1\nmemory = 2\n", &["`name`"]),
        ("wl-no-size.toml", "[[service]]\nname = \"a\"\n", &["\"a\"", "vcpu"]),
        (
            "wl-hours-and-minutes.toml",
            "[[service]]\nname = \"a\"\nvcpu = 1\nmemory = 2\nhours = 1\nminutes = 5\n",
            &["`hours`", "`minutes`"],
        ),
        (
            "wl-missing-td.toml",
            "[[service]]\nname = \"a\"\ntask_definition = \"nope.json\"\n",
            &["\"a\"", "nope.json"],
        ),
        (
            "wl-td-dir.toml",
            "[[service]]\nname = \"a\"\ntask_definition = \".\"\n",
            &["\"a\"", "task definition"],
        ),
        (
            "wl-overflow.toml",
            "[[service]]\nname = \"a\"\nvcpu = 1\nmemory = 2\ncount = 18446744073709551615\nruns = 18446744073709551615\nhours = 99999999999\n",
            &["\"a\"", "too large"],
        ),
        (
            "wl-ec2-overflow.toml",
            "[[service]]\nname = \"a\"\nlaunch_type = \"ec2\"\nvcpu = 1\nmemory = 2\ninstances = 18446744073709551615\nhours = 9999999999\n",
            &["\"a\"", "too large"],
        ),
        ("wl-comment-only.toml", "# nothing here\n", &["empty"]),
    ];
    for (name, text, needles) in other {
        add(name, (*text).to_owned(), needles);
    }
    let mut cases: Vec<Case> = table
        .iter()
        .map(|(name, text, needles)| {
            let path = files.write(name, text);
            let mut needles: Vec<&str> = needles.iter().map(String::as_str).collect();
            needles.push(name);
            case(&["estimate", "--workload", &path], 1, &needles)
        })
        .collect();
    // The same parser behind `check`, `compare` and `diff`, and on standard input.
    let truncated = files.write("wl-check.toml", "[[service]\n");
    cases.push(case(&["check", &truncated], 1, &["wl-check.toml"]));
    cases.push(case(&["compare", "--workload", &truncated], 1, &["wl-check.toml"]));
    cases.push(case(&["diff", &truncated, &example("web-api/workload.toml")], 1, &["wl-check.toml"]));
    cases.push(
        case(&["estimate", "--workload", "-"], 1, &["standard input", "`count`"])
            .stdin(format!("{SERVICE}count = \"many\"\n").as_bytes()),
    );
    cases.push(
        case(&["check", "-"], 1, &["standard input", "`arch`"])
            .stdin(format!("{SERVICE}arch = 64\n").as_bytes()),
    );
    let no_budget = files.write("wl-no-budget.toml", SERVICE);
    cases.push(case(&["check", &no_budget], 1, &["wl-no-budget.toml", "budget"]));
    let odd = files.write("wl-bad-size.toml", "[[service]]\nname = \"a\"\nvcpu = 1\nmemory = 1\n");
    cases.push(incomplete(
        &["check", &odd, "--budget", "1000"],
        &["a could not be priced", "1 vCPU with 1 GB"],
    ));
    cases
}

/// `--batch` streams whose first line is bad: nothing printed before it, so stdout stays empty.
pub(super) fn batch_cases(files: &Files) -> Vec<Case> {
    let lines: &[(&str, &[&str])] = &[
        (r#"{"vcpu": 1, "memory": "#, &[]),
        ("[1, 2]", &[]),
        ("null", &[]),
        (r#""a task""#, &[]),
        ("garbage", &[]),
        (r#"{"vcpu": "x", "memory": 2}"#, &["`vcpu`"]),
        (r#"{"vcpu": 1, "memory": []}"#, &["`memory`"]),
        (r#"{"vcpu": 1, "memory": 2, "count": "3"}"#, &["`count`"]),
        (r#"{"vcpu": 1, "memory": 2, "count": 1.5}"#, &["`count`"]),
        (r#"{"vcpu": 1, "memory": 2, "count": -1}"#, &["`count`"]),
        (r#"{"vcpu": 1, "memory": 2, "count": 0}"#, &["`count`"]),
        (r#"{"vcpu": 1, "memory": 2, "count": 18446744073709551616}"#, &["`count`"]),
        (r#"{"vcpu": 1, "memory": 2, "runs": true}"#, &["`runs`"]),
        (r#"{"vcpu": 1, "memory": 2, "name": 5}"#, &["`name`"]),
        (r#"{"vcpu": 1, "memory": 2, "spot": "yes"}"#, &["`spot`"]),
        (r#"{"vcpu": 1, "memory": 2, "round_up": 1}"#, &["`round_up`"]),
        (r#"{"vcpu": 1, "memory": 2, "arch": "mips"}"#, &["`arch`"]),
        (r#"{"vcpu": 1, "memory": 2, "os": "beos"}"#, &["`os`"]),
        (r#"{"vcpu": 1, "memory": 2, "os": 1}"#, &["`os`"]),
        (r#"{"vcpu": 1, "memory": 2, "platform": "k8s"}"#, &["`platform`"]),
        (r#"{"vcpu": 1, "memory": 2, "launch_type": "lambda"}"#, &["`launch_type`"]),
        (r#"{"vcpu": 1, "memory": 2, "pricing": "free"}"#, &["`pricing`"]),
        (r#"{"vcpu": 1, "memory": 2, "hours": NaN}"#, &["`hours`"]),
        (r#"{"vcpu": 1, "memory": 2, "hours": Infinity}"#, &["`hours`"]),
        (r#"{"vcpu": 1, "memory": 2, "hours": -Infinity}"#, &["`hours`"]),
        (r#"{"vcpu": 1, "memory": 2, "hours": 1e999}"#, &["`hours`"]),
        (r#"{"vcpu": 1, "memory": 2, "hours": 1e30}"#, &["`hours`"]),
        (r#"{"vcpu": 1, "memory": 2, "hours": -1}"#, &["`hours`"]),
        (r#"{"vcpu": 1, "memory": 2, "hours": 0}"#, &["`hours`"]),
        (r#"{"vcpu": 1, "memory": 2, "hours": 99999999999999999999999999999}"#, &["`hours`"]),
        (r#"{"vcpu": 1, "memory": 2, "hours": 0.1234567890123456789012345678901}"#, &["`hours`"]),
        (r#"{"vcpu": 1, "memory": 2, "minutes": "1e2"}"#, &["`minutes`"]),
        (r#"{"vcpu": 1, "memory": 2, "data_transfer": -0.5}"#, &["`data_transfer`"]),
        (r#"{"vcpu": 1, "memory": 2, "ephemeral_storage": "lots"}"#, &["`ephemeral_storage`"]),
        (r#"{"vcpu": 1, "memory": 2, "budget": "x"}"#, &["`budget`"]),
        (r#"{"vcpu": 1, "memory": 2, "task_definition": 5}"#, &["`task_definition`"]),
        (r#"{"vcpu": 1, "memory": 2, "task_definition": "nope.json"}"#, &["nope.json"]),
        (r#"{"vcpu": 1, "memory": 2, "bogus": 1}"#, &["`bogus`"]),
        (r#"{"vcpu": 1, "memory": 2, "vcpu": 2}"#, &["`vcpu`"]),
        (r#"{"vcpu": 1, "memory": 2, "hours": 1, "minutes": 5}"#, &["`hours`", "`minutes`"]),
        ("{}", &["`vcpu`"]),
        (
            r#"{"vcpu": 1, "memory": 2, "count": 18446744073709551615, "runs": 18446744073709551615, "hours": 99999999999}"#,
            &["too large"],
        ),
    ];
    let good = "{\"vcpu\": 1, \"memory\": 2}\n";
    let mut cases: Vec<Case> = lines
        .iter()
        .enumerate()
        .map(|(i, (line, needles))| {
            let name = format!("batch-{i}.jsonl");
            let path = files.write(&name, format!("{line}\n{good}"));
            let mut needles = needles.to_vec();
            needles.extend([name.as_str(), "line 1"]);
            case(&["estimate", "--batch", &path], 1, &needles)
        })
        .collect();
    let odd = files.write("batch-odd-size.jsonl", format!("{{\"vcpu\": 1, \"memory\": 1}}\n{good}"));
    cases.push(incomplete(
        &["estimate", "--batch", &odd, "--budget", "1000"],
        &["line 1", "1 vCPU with 1 GB"],
    ));
    cases.push(
        case(&["estimate", "--batch", "-"], 1, &["standard input", "line 1", "`count`"])
            .stdin(format!("{{\"vcpu\": 1, \"memory\": 2, \"count\": \"x\"}}\n{good}").as_bytes()),
    );
    cases.push(
        case(&["estimate", "--batch", "-", "--keep-going", "--format", "yaml"], 2, &["--format"])
            .stdin(good.as_bytes()),
    );
    cases
}

#[test]
fn hostile_task_definitions() {
    verify(&task_definition_cases(&Files::new()));
}

#[test]
fn hostile_workloads() {
    verify(&workload_cases(&Files::new()));
}

#[test]
fn hostile_batch_lines() {
    verify(&batch_cases(&Files::new()));
}
