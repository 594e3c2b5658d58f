//! EC2 from workloads, batch lines and task definitions.

use super::*;

const EC2_DEFINITION: &str =
    r#"{"family": "ec2-only", "cpu": "1024", "memory": "1536", "requiresCompatibilities": ["EC2"]}"#;
const FARGATE_DEFINITION: &str =
    r#"{"family": "fargate-only", "cpu": "1024", "memory": "1536", "requiresCompatibilities": ["FARGATE"]}"#;

#[test]
fn a_workload_mixes_fargate_and_ec2_services() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ec2.json"), EC2_DEFINITION).unwrap();
    let path = dir.path().join("w.toml");
    std::fs::write(
        &path,
        r#"region = "us-east-1"

[[service]]
name = "web"
vcpu = 0.5
memory = 1
count = 2
hours = 100

[[service]]
name = "batch"
launch_type = "ec2"
instance_type = "m5.large"
vcpu = 1
memory = 1
count = 5
hours = 100

[[service]]
name = "cheap"
launch_type = "ec2"
vcpu = 1
memory = 2
count = 5
hours = 10

[[service]]
name = "fixed"
launch_type = "ec2"
instance_type = "m5.large"
instances = 4
vcpu = 1
memory = 1
count = 5
hours = 10

[[service]]
name = "defined"
launch_type = "ec2"
task_definition = "ec2.json"
count = 4
hours = 10
"#,
    )
    .unwrap();
    // web (Fargate): 2 × 0.5 × 100 × 0.04048 = 4.048; 2 × 1 × 100 × 0.004445 = 0.889 → 4.937.
    // batch: 1 / 1 on m5.large, k = 2, 3 instances × 100 h × 0.096 = 28.8.
    // cheap: 1 / 2 × 5 → 5 × t3.medium (see t3_medium_is_cheapest…) × 10 h × 0.0416 = 2.08.
    // fixed: 4 × m5.large × 10 h × 0.096 = 3.84.
    // defined: 1 vCPU / 1.5 GB (1536 MiB) × 4, not a Fargate size; t3.medium k = min(2, 3584 / 1536
    //   = 2.33 → 2) = 2 → 2 × 0.0416 = 0.0832 an hour (c5.large 0.17, m5.large k 2 → 0.192,
    //   m5.xlarge k 4 → 0.192, r5.large 0.252); 10 h → 0.832.
    let report = json(&["estimate", "--workload", &path.display().to_string()], None);
    let items = report["items"].as_array().unwrap();
    let got: Vec<(&str, &str, Decimal)> = items
        .iter()
        .map(|i| (i["name"].as_str().unwrap(), i["launch_type"].as_str().unwrap(), number(&i["total"])))
        .collect();
    assert_eq!(
        got,
        [
            ("web", "fargate", d("4.937")),
            ("batch", "ec2", d("28.8")),
            ("cheap", "ec2", d("2.08")),
            ("fixed", "ec2", d("3.84")),
            ("defined", "ec2", d("0.832")),
        ]
    );
    assert_eq!(number(&report["total"]), d("4.937") + d("28.8") + d("2.08") + d("3.84") + d("0.832"));
    assert!(items[0].get("packing").is_none() || items[0]["packing"].is_null());
    assert_eq!(items[1]["packing"]["chosen"], "given");
    assert_eq!(items[2]["packing"]["instance_type"], "t3.medium");
    assert_eq!(items[2]["packing"]["chosen"], "cheapest");
    assert_eq!(items[3]["packing"]["instances"], 4);
    assert_eq!(items[4]["packing"]["instances"], 2);
    assert_eq!(items[4]["packing"]["tasks_per_instance"], 2);
    assert_eq!(number(&items[4]["billed"]["memory_gb"]), d("1.5"));
}

#[test]
fn workload_ec2_mistakes_name_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fargate.json"), FARGATE_DEFINITION).unwrap();
    let path = dir.path().join("w.toml");
    let cases: &[(&str, &[&str])] = &[
        (
            "[[service]]\nname = \"api\"\nvcpu = 1\nmemory = 2\ninstance_type = \"m5.large\"\n",
            &["w.toml", "\"api\"", "`instance_type`", "EC2 launch type only"],
        ),
        (
            "[[service]]\nname = \"api\"\nlaunch_type = \"ec3\"\nvcpu = 1\nmemory = 2\n",
            &["w.toml", "launch_type"],
        ),
    ];
    for (workload, needles) in cases {
        std::fs::write(&path, workload).unwrap();
        fails(&["estimate", "--workload", &path.display().to_string()], None, 1, needles);
    }
    // Read, but not priceable from the table: an instance type it does not have, a region with no
    // EC2 prices. Listed as unpriced with the reason; the run goes on.
    let cases: &[(&str, &[&str])] = &[
        (
            "[[service]]\nname = \"api\"\nlaunch_type = \"ec2\"\nvcpu = 1\nmemory = 2\ninstance_type = \"m5.huge\"\n",
            &["`m5.huge`"],
        ),
        (
            "region = \"eu-west-1\"\n[[service]]\nname = \"api\"\nlaunch_type = \"ec2\"\nvcpu = 1\nmemory = 2\n",
            &["[ec2]"],
        ),
    ];
    for (workload, needles) in cases {
        std::fs::write(&path, workload).unwrap();
        let (report, warning) = unpriced(&["estimate", "--workload", &path.display().to_string()], None);
        assert_eq!(report["unpriced"][0]["name"], "api", "{report}");
        for needle in *needles {
            assert!(report["unpriced"][0]["reason"].as_str().unwrap().contains(needle), "{report}");
            assert!(warning.contains(needle), "{warning}");
        }
    }
}

#[test]
fn task_definitions_are_held_to_their_compatibilities() {
    // Registered for EC2: priced on EC2 (1 vCPU / 1.5 GB × 4 → 2 × t3.medium × 730 × 0.0416 = 60.736).
    let report = json(
        &["estimate", "--launch-type", "ec2", "--task-definition", "-", "--count", "4"],
        Some(EC2_DEFINITION),
    );
    assert_eq!(report["items"][0]["name"], "ec2-only");
    assert_eq!(placed(&report), cheapest("t3.medium", 2, 2));
    assert_eq!(number(&report["total"]), d("60.736"));
    // Registered for Fargate only: ECS validates every definition for EC2 too (describe output
    // lists `"compatibilities": ["EC2", "FARGATE"]`), so EC2 prices it: 1 vCPU / 1.5 GB alone →
    // one t3.medium, 730 × 0.0416 = 30.368.
    let report =
        json(&["estimate", "--launch-type", "ec2", "--task-definition", "-"], Some(FARGATE_DEFINITION));
    assert_eq!(report["items"][0]["name"], "fargate-only");
    assert_eq!(number(&report["total"]), d("30.368"));
    // Registered for EC2 only: refused on Fargate, naming the definition and what it must include.
    fails(
        &["estimate", "--launch-type", "fargate", "--task-definition", "-"],
        Some(EC2_DEFINITION),
        1,
        &["task definition on standard input", "cannot run on Fargate", "\"FARGATE\""],
    );
    // Registered for both: EC2 prices it.
    let both = r#"{"cpu": "1024", "memory": "2048", "requiresCompatibilities": ["EC2", "FARGATE"]}"#;
    let report = json(&["estimate", "--launch-type", "ec2", "--task-definition", "-"], Some(both));
    // 1 vCPU / 2 GB alone → one t3.medium: 30.368.
    assert_eq!(number(&report["total"]), d("30.368"));
}

#[test]
fn batch_lines_can_run_on_ec2() {
    let lines = concat!(
        r#"{"name": "b", "launch_type": "ec2", "instance_type": "m5.large", "vcpu": 1, "memory": 1, "count": 5, "hours": 100}"#,
        "\n",
        r#"{"name": "f", "vcpu": 0.5, "memory": 1, "count": 2, "hours": 100}"#,
        "\n",
        r#"{"name": "a", "launch_type": "ec2", "arch": "arm64", "vcpu": 1, "memory": 2, "count": 2, "hours": 10}"#,
        "\n",
    );
    let out =
        cost().args(["estimate", "--batch", "-"]).write_stdin(lines).assert().success().get_output().clone();
    let items: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(items.len(), 3);
    // b: 3 × m5.large × 100 h × 0.096 = 28.8.
    assert_eq!(items[0]["launch_type"], "ec2");
    assert_eq!(items[0]["packing"]["instances"], 3);
    assert_eq!(number(&items[0]["total"]), d("28.8"));
    // f: Fargate 4.937.
    assert_eq!(items[1]["launch_type"], "fargate");
    assert_eq!(number(&items[1]["total"]), d("4.937"));
    // a: 2 arm64 1 / 2 tasks → 1 × m6g.large × 10 h × 0.077 = 0.77.
    assert_eq!(items[2]["packing"]["instance_type"], "m6g.large");
    assert_eq!(number(&items[2]["total"]), d("0.77"));
    // An EC2 key on a Fargate line is an error naming the line and the key.
    let out = cost()
        .args(["estimate", "--batch", "-", "--keep-going"])
        .write_stdin("{\"name\": \"x\", \"instance_type\": \"m5.large\", \"vcpu\": 1, \"memory\": 2}\n")
        .assert()
        .code(1)
        .get_output()
        .clone();
    let error: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["line"], 1);
    assert!(error["error"].as_str().unwrap().contains("`instance_type`"), "{error}");
}
