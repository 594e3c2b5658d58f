//! Input that would write to the terminal or run on for pages, messages that used to mislead,
//! and numbers that could only be kept by rounding them.

use super::*;

fn with<'a>(size: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    [size, extra].concat()
}

/// Input that would write to the terminal or run on for pages if it were repeated raw: control
/// sequences and huge values in a region, a path, a workload's region and a batch line's name.
pub(super) fn injection_cases(files: &Files) -> Vec<Case> {
    let huge = "x".repeat(100_000);
    let escape = "\u{1b}]0;pwned\u{7}\u{1b}[31mevil\nerror: fake";
    let size = ["estimate", "--vcpu", "1", "--memory", "2"];
    // TOML refuses raw control characters in a string: written as its escapes, they are the
    // region's text.
    let toml_escaped: String = escape
        .chars()
        .map(|c| if c.is_control() { format!("\\u{:04x}", u32::from(c)) } else { c.to_string() })
        .collect();
    let workload = files.write("inj-region.toml", format!("region = \"{toml_escaped}\"\n{SERVICE}"));
    let bad_batch = files.write(
        "inj-batch.jsonl",
        format!("{{\"name\": \"a\\u001b[2J\", \"vcpu\": 1, \"memory\": 2, \"x\": {}}}\n", 1),
    );
    vec![
        case(&with(&size, &["--region", &huge]), 1, &["no embedded rate table", " … "]),
        case(&with(&size, &["--region", escape]), 1, &["\\u{1b}]0;pwned", "\\n"]),
        case(&size, 1, &["\\u{1b}[31mevil", "AWS_REGION"]).env("AWS_REGION", escape),
        case(
            &with(&size, &["--rates", &format!("/nonexistent/{escape}.toml")]),
            1,
            &["/nonexistent/", "\\u{1b}"],
        ),
        case(&with(&size, &["--rates", &format!("/nonexistent/{huge}")]), 1, &["rate table", " … "]),
        case(&["estimate", "--workload", &workload], 1, &["inj-region.toml", "\\u{7}"]),
        case(&["estimate", "--batch", &bad_batch], 1, &["line 1", "`x`"]),
        case(&["estimate", "--name", escape, "--vcpu", "1", "--memory", "3.5"], 1, &["3.5 GB"]),
    ]
}

/// Messages that used to mislead, and flags that used to be ignored without a word.
pub(super) fn message_cases(files: &Files) -> Vec<Case> {
    let trailing = files.write("msg-trailing.jsonl", "{\"vcpu\": 1, \"memory\": 2} x\n");
    let plan = common::terraform::tf_root_service_plan().to_string();
    let truncated = files.write("msg-truncated-plan.json", &plan[..plan.len() / 2]);
    let good = files.write("msg-good.toml", SERVICE);
    // The same service twice at one address: priced twice by estimate and check before, refused
    // by diff; now refused by all.
    let mut twice: serde_json::Value = serde_json::from_str(&plan).unwrap();
    let resources = twice["planned_values"]["root_module"]["resources"].as_array_mut().unwrap();
    let first = resources[0].clone();
    resources.push(first);
    let twice = files.write("msg-twice.json", twice.to_string());
    let utf16 = files.write(
        "msg-utf16.json",
        [&b"\xff\xfe"[..], &"{}".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()].concat(),
    );
    vec![
        case(&["estimate", "--task-definition", &utf16], 1, &["msg-utf16.json", "UTF-16", "UTF-8"]),
        case(&["estimate", "--batch", &trailing], 1, &["line 1", "trailing characters", "column 26"]),
        case(
            &["diff", &truncated, &good],
            1,
            &["terraform plan", "msg-truncated-plan.json", "not valid JSON"],
        ),
        case(
            &["estimate", "--terraform-plan", &twice],
            1,
            &["msg-twice.json", "`aws_ecs_service.api` appears twice"],
        ),
        case(&["check", "--terraform-plan", &twice, "--budget", "1000"], 1, &["appears twice"]),
        case(&["diff", &twice, &good], 1, &["msg-twice.json", "appears twice"]),
        case(&["estimate", "--vcpu", "1", "--memory", "2"], 2, &["COST_STALE_DAYS", "`ten`"])
            .env("COST_STALE_DAYS", "ten"),
        case(&["-q", "compare", "--vcpu", "1", "--memory", "2"], 2, &["--quiet"]),
        case(&["estimate", "-q", "--batch", &trailing], 2, &["--quiet"]),
        case(&["--quiet", "rates", "list"], 2, &["--quiet"]),
        case(
            &["estimate", "--platform", "eks", "--vcpu", "1", "--memory", "2", "--ephemeral-storage", "200"],
            1,
            &["EKS on Fargate", "20 to 175 GB per pod"],
        ),
    ]
}

/// Numbers that could only be kept by rounding them, wherever they are written, and quantities
/// out of range in a usage file as in a workload.
pub(super) fn exactness_cases(files: &Files) -> Vec<Case> {
    let exponent =
        files.write("num-exponent.jsonl", "{\"vcpu\": 4, \"memory\": 4.99999999999999999999999999999e0}\n");
    let td = files
        .write("num-exponent-td.json", r#"{"cpu": "4096", "memory": 4.99999999999999999999999999999e3}"#);
    // 1e28 GB × 0.10 = 1e27, plus 0.1 GB × 0.10 = 0.01: the total needs 30 digits, and a Decimal
    // would round the cent away.
    let lost = files.write(
        "num-lost-cent.toml",
        "[[ecr_repository]]\nname = \"a\"\nstorage_gb = \"10000000000000000000000000000\"\n\
         [[ecr_repository]]\nname = \"b\"\nstorage_gb = \"0.1\"\n",
    );
    let plan = files.write("num-plan.json", common::terraform::tf_root_service_plan().to_string());
    let mut cases = vec![
        case(&["estimate", "--batch", &exponent], 1, &["line 1", "`memory`", "28 significant digits"]),
        case(
            &["estimate", "--task-definition", &td],
            1,
            &["num-exponent-td.json", "`memory`", "28 significant digits"],
        ),
        case(&["estimate", "--workload", &lost], 1, &["num-lost-cent.toml", "lost digits"]),
    ];
    for (name, usage, needle) in [
        ("num-usage-hours.toml", "hours = -1\n", "`hours` must be greater than 0"),
        (
            "num-usage-storage.toml",
            "[resource.\"aws_ecr_repository.images\"]\nstorage_gb = -5\n",
            "`storage_gb` must be 0 or more",
        ),
        (
            "num-usage-months.toml",
            "[resource.\"aws_ecr_repository.images\"]\nstorage_gb = 1\nmonths = -1\n",
            "`months` must be greater than 0",
        ),
    ] {
        let usage = files.write(name, usage);
        cases.push(case(&["estimate", "--terraform-plan", &plan, "--usage", &usage], 1, &[name, needle]));
    }
    cases
}

#[test]
fn outside_text_reaches_the_terminal_escaped_and_bounded() {
    verify(&injection_cases(&Files::new()));
}

#[test]
fn messages_name_what_is_wrong() {
    verify(&message_cases(&Files::new()));
}

#[test]
fn numbers_are_kept_exactly_or_refused() {
    verify(&exactness_cases(&Files::new()));
}
