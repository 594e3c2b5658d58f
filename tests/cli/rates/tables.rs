//! `rates list`, `rates show` and `rates check` on the shipped tables and on broken ones, the
//! stale-rates warning, and the pricing models a table offers.

use super::*;

#[test]
fn list_names_every_embedded_region() {
    let out =
        cost().args(["rates", "list", "--format", "json"]).assert().success().get_output().stdout.clone();
    let regions: Value = serde_json::from_slice(&out).unwrap();
    let regions = regions.as_array().unwrap();
    assert_eq!(regions.len(), 22);
    let use1 = regions.iter().find(|r| r["region"] == "us-east-1").unwrap();
    assert!(use1["sections"].as_array().unwrap().iter().any(|s| s == "fargate.windows_x86_64"));
    assert_eq!(use1["ec2_instance_types"], 7);
    let table = cost().args(["rates", "list"]).assert().success().get_output().stdout.clone();
    assert!(String::from_utf8(table).unwrap().contains("ap-northeast-2"));
}

#[test]
fn show_gives_every_rate_with_unit_source_and_date() {
    let out = cost()
        .args(["rates", "show", "us-east-1", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let table: Value = serde_json::from_slice(&out).unwrap();
    let x86 = table["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["section"] == "fargate.linux_x86_64")
        .unwrap();
    assert_eq!(x86["effective"], "2026-09-11");
    assert!(x86["source"].as_str().unwrap().contains("AWS Price List"));
    let vcpu = &x86["rates"][0];
    assert_eq!(
        (vcpu["key"].as_str().unwrap(), vcpu["unit"].as_str().unwrap()),
        ("fargate.linux_x86_64.vcpu_hour", "USD per vCPU-hour")
    );
    assert_eq!(vcpu["value"].as_number().unwrap().to_string(), "0.04048");
    let text =
        cost().args(["rates", "show", "ap-northeast-2"]).assert().success().get_output().stdout.clone();
    assert!(String::from_utf8(text).unwrap().contains("0.126"));
    fails(&["rates", "show", "mars-1"], None, 1, &["mars-1", "embedded regions"]);
}

#[test]
fn check_passes_the_shipped_tables() {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("pricing")).unwrap() {
        let path = entry.unwrap().path();
        cost().args(["rates", "check", &path.display().to_string()]).assert().success();
    }
}

const HEAD: &str = "schema_version = 1\nregion = \"us-east-1\"\nlocation = \"US East (N. Virginia)\"\n";

#[test]
fn check_reports_each_kind_of_defect_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let group = |body: &str| {
        format!("{HEAD}[fargate.linux_x86_64]\neffective = \"2026-01-01\"\nsource = \"s\"\n{body}")
    };
    let tiers = |t: &str| {
        format!("{HEAD}[data_transfer]\neffective = \"2026-01-01\"\nsource = \"s\"\ntiers = [{t}]\n")
    };
    let cases: Vec<(String, &str)> = vec![
        (HEAD.replace("schema_version = 1", "schema_version = 3"), "`schema_version`"),
        (HEAD.replace("\"us-east-1\"", "\"Virginia\""), "`region`"),
        (
            group("vcpu_hour = \"-0.04\"\ngb_hour = \"0.004\"\n"),
            "`fargate.linux_x86_64.vcpu_hour`: is negative",
        ),
        (group("vcpu_hour = 0.04048\ngb_hour = \"0.004\"\n"), "quoted decimal string"),
        (group("vcpu_hour = \"0.04\"\n"), "missing field `gb_hour`"),
        (group("vcpu_hour = \"0.04\"\ngb_hour = \"0.004\"\ncolour = 1\n"), "unknown field `colour`"),
        (
            group("vcpu_hour = \"0.04\"\ngb_hour = \"0.004\"\n").replace("2026-01-01", "2026-02-30"),
            "2026-02-30",
        ),
        (
            group("vcpu_hour = \"0.04\"\ngb_hour = \"0.004\"\n").replace("source = \"s\"", "source = \" \""),
            "`fargate.linux_x86_64.source`",
        ),
        (tiers(""), "`data_transfer.tiers`: is empty"),
        (
            tiers(
                "{ up_to_gb = \"100\", per_gb = \"1\" }, { up_to_gb = \"50\", per_gb = \"1\" }, { per_gb = \"1\" }",
            ),
            "tiers must ascend",
        ),
        (tiers("{ per_gb = \"1\" }, { per_gb = \"0.5\" }"), "only the last tier may be open-ended"),
        (tiers("{ up_to_gb = \"100\", per_gb = \"1\" }"), "must be open-ended"),
        ("region = ".to_owned(), ":1:10:"),
    ];
    for (i, (text, needle)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("t{i}.toml"));
        std::fs::write(&path, text).unwrap();
        let out = cost()
            .args(["rates", "check", &path.display().to_string()])
            .assert()
            .code(1)
            .get_output()
            .clone();
        let listing = String::from_utf8(out.stdout).unwrap();
        assert!(listing.contains(needle), "case {i}: {listing:?} lacks {needle:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.matches('\n').count(), 1, "case {i}: {stderr}");
    }
    // Several problems are all listed.
    let path = dir.path().join("many.toml");
    std::fs::write(
        &path,
        group("vcpu_hour = \"-1\"\ngb_hour = \"-2\"\n").replace("schema_version = 1", "schema_version = 2"),
    )
    .unwrap();
    let out =
        cost().args(["rates", "check", &path.display().to_string()]).assert().code(1).get_output().clone();
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 3);
}

/// The stale-rates warning, with the real clock: the us-east-1 Fargate rates date from 2026-09-11,
/// so a threshold of 0 days always warns and one of 100,000 never does.
#[test]
fn stale_rates_warn_on_stderr_unless_silenced() {
    let run = |env: &[(&str, &str)], extra: &[&str]| {
        let mut cmd = Command::cargo_bin("cost").unwrap();
        cmd.env_remove("AWS_REGION").env_remove("AWS_DEFAULT_REGION").env_remove("COST_NO_STALE_WARNING");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd
            .args(["estimate", "--vcpu", "1", "--memory", "2"])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .clone();
        (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (stdout, stderr) = run(&[("COST_STALE_DAYS", "0")], &[]);
    assert!(stdout.contains("$36.04"));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("warning: the us-east-1 rates used date from 2026-09-11")
            && stderr.contains("cost rates import"),
        "{stderr}"
    );
    assert_eq!(run(&[("COST_STALE_DAYS", "100000")], &[]).1, "");
    assert_eq!(run(&[("COST_STALE_DAYS", "0"), ("COST_NO_STALE_WARNING", "1")], &[]).1, "");
    assert_eq!(run(&[("COST_STALE_DAYS", "0")], &["--no-stale-warning"]).1, "");
}

#[test]
fn savings_plans_and_spot_are_pricing_models() {
    // us-east-1 Compute Savings Plans, 1 vCPU / 2 GB for 730 h:
    // 1 year x86: 730 × 0.032384 + 1460 × 0.003556 = 23.64032 + 5.19176.
    let base = ["estimate", "--vcpu", "1", "--memory", "2"];
    let with = |extra: &[&str]| total(&[&base[..], extra].concat());
    assert_eq!(with(&["--pricing", "savings-plan-1y"]), d("23.64032") + d("5.19176"));
    // 3 years ARM: 730 × 0.01749 + 1460 × 0.00192 = 12.7677 + 2.8032.
    assert_eq!(with(&["--pricing", "savings-plan-3y", "--arch", "arm64"]), d("12.7677") + d("2.8032"));
    // 3 years x86: 730 × 0.022264 + 1460 × 0.00244475 = 16.25272 + 3.569335.
    assert_eq!(with(&["--pricing", "savings-plan-3y"]), d("16.25272") + d("3.569335"));
    // --pricing spot is --spot: 730 × 0.01288871 + 1460 × 0.00141527.
    assert_eq!(with(&["--pricing", "spot"]), d("9.4087583") + d("2.0662942"));
    assert_eq!(with(&["--spot"]), with(&["--pricing", "spot"]));
    // Other regions have no Savings Plans rates yet; Windows and EC2 have none at all.
    fails(
        &[
            "estimate",
            "--vcpu",
            "1",
            "--memory",
            "2",
            "--pricing",
            "savings-plan-1y",
            "--region",
            "eu-west-1",
        ],
        None,
        1,
        &["fargate.savings_plan_1y_x86_64", "eu-west-1"],
    );
    fails(
        &["estimate", "--vcpu", "1", "--memory", "2", "--pricing", "savings-plan-1y", "--os", "windows"],
        None,
        1,
        &["Windows"],
    );
    fails(
        &["estimate", "--vcpu", "1", "--memory", "2", "--pricing", "savings-plan-1y", "--launch-type", "ec2"],
        None,
        1,
        &["on-demand prices only"],
    );
    fails(
        &["estimate", "--vcpu", "1", "--memory", "2", "--pricing", "savings-plan-1y", "--spot"],
        None,
        1,
        &["spot"],
    );
    fails(
        &["estimate", "--vcpu", "1", "--memory", "2", "--pricing", "reserved"],
        None,
        2,
        &["--pricing", "savings-plan-1y"],
    );
    // In a workload: `pricing = "savings-plan-1y"`.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.toml");
    std::fs::write(
        &path,
        "[[service]]\nname = \"api\"\nvcpu = 1\nmemory = 2\npricing = \"savings-plan-1y\"\n",
    )
    .unwrap();
    assert_eq!(total(&["estimate", "--workload", &path.display().to_string()]), d("23.64032") + d("5.19176"));
}
