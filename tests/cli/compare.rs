//! `cost compare`: the same tasks on Fargate and on the EC2 launch type, side by side, with the
//! break-even point. Every expected value is worked out by hand in the comments from the
//! us-east-1 tables (the rates are listed in `estimate::ec2`).

use crate::common::*;

use rust_decimal::Decimal;
use serde_json::Value;

/// `cost compare ARGS --format json`.
fn compare(args: &[&str]) -> Value {
    let mut all = vec!["compare"];
    all.extend_from_slice(args);
    json(&all, None)
}

/// A break-even entry: (item, per task, per instance, k, utilization, task count).
type Point = (String, Decimal, Decimal, u64, Decimal, Option<u64>);

fn point(b: &Value) -> Point {
    (
        b["item"].as_str().unwrap().to_owned(),
        number(&b["fargate_per_task"]),
        number(&b["ec2_per_instance"]),
        b["tasks_per_instance"].as_u64().unwrap(),
        number(&b["utilization"]),
        b["task_count"].as_u64(),
    )
}

/// The single break-even entry.
fn break_even(c: &Value) -> Point {
    let points = c["break_even"].as_array().unwrap();
    assert_eq!(points.len(), 1, "{points:?}");
    point(&points[0])
}

const EC2_WINS: [&str; 8] = ["--vcpu", "0.5", "--memory", "1", "--count", "8", "--hours", "100"];

#[test]
fn compare_when_ec2_is_cheaper() {
    // 0.5 vCPU / 1 GB × 8 for 100 h.
    // Fargate: a task is 100 × (0.5 × 0.04048 + 1 × 0.004445) = 100 × 0.024685 = 2.4685; 8 → 19.748.
    // EC2: t3.medium k = min(4, 3584 / 1024 = 3) = 3 → 3 × 0.0416 = 0.1248 an hour (c5.large
    //   3 × 0.085, m5.large k 4 → 2 × 0.096 = 0.192, m5.xlarge k 8 → 0.192, r5.large 2 × 0.126);
    //   100 h → 12.48; one instance 4.16.
    // EC2 cheaper by 19.748 − 12.48 = 7.268.
    // Break-even: 4.16 / (3 × 2.4685) = 4.16 / 7.4055 ≈ 0.5617; from ceil(4.16 / 2.4685 = 1.69) = 2 tasks.
    let c = compare(&EC2_WINS);
    assert_eq!(c["schema_version"], 1);
    assert_eq!(c["currency"], "USD");
    assert_eq!(c["fargate"]["items"][0]["launch_type"], "fargate");
    assert_eq!(c["ec2"]["items"][0]["launch_type"], "ec2");
    assert_eq!(number(&c["fargate"]["total"]), d("19.748"));
    assert_eq!(number(&c["ec2"]["total"]), d("12.48"));
    assert_eq!(c["ec2"]["items"][0]["packing"]["instance_type"], "t3.medium");
    assert_eq!(c["ec2"]["items"][0]["packing"]["instances"], 3);
    assert_eq!(c["cheaper"], "ec2");
    assert_eq!(number(&c["difference"]), d("7.268"));
    let utilization = d("4.16") / (d("3") * d("2.4685"));
    assert!(utilization > d("0.5617") && utilization < d("0.5618"));
    assert_eq!(
        break_even(&c),
        ("task".to_owned(), d("2.4685"), d("4.16"), 3, utilization.normalize(), Some(2))
    );
}

#[test]
fn compare_leaves_data_transfer_out_of_the_break_even() {
    // As above with 100 GB out on both sides (100 × 0.09 = 9): totals 28.748 and 21.48; the
    // difference and the break-even are unchanged.
    let mut args = EC2_WINS.to_vec();
    args.extend(["--data-transfer", "100"]);
    let c = compare(&args);
    assert_eq!(number(&c["fargate"]["total"]), d("28.748"));
    assert_eq!(number(&c["ec2"]["total"]), d("21.48"));
    assert_eq!(number(&c["difference"]), d("7.268"));
    assert_eq!(break_even(&c), break_even(&compare(&EC2_WINS)));
}

#[test]
fn compare_when_fargate_is_cheaper_below_the_break_even_count() {
    // 0.25 vCPU / 0.5 GB on t3.medium for 100 h. A task on Fargate: 100 × (0.25 × 0.04048 +
    // 0.5 × 0.004445) = 100 × 0.0123425 = 1.23425. t3.medium holds min(8, 3584 / 512 = 7) = 7
    // and costs 100 × 0.0416 = 4.16. Break-even: 4.16 / (7 × 1.23425) = 4.16 / 8.63975 ≈ 0.4815,
    // from ceil(4.16 / 1.23425 = 3.37) = 4 tasks.
    let at = |count: &str| {
        let c = compare(&[
            "--vcpu",
            "0.25",
            "--memory",
            "0.5",
            "--count",
            count,
            "--hours",
            "100",
            "--instance-type",
            "t3.medium",
        ]);
        let utilization = d("4.16") / (d("7") * d("1.23425"));
        assert!(utilization > d("0.4814") && utilization < d("0.4815"));
        assert_eq!(
            break_even(&c),
            ("task".to_owned(), d("1.23425"), d("4.16"), 7, utilization.normalize(), Some(4))
        );
        c
    };
    // 2 tasks: Fargate 2.4685 < 4.16 → Fargate cheaper by 1.6915.
    let c = at("2");
    assert_eq!(c["cheaper"], "fargate");
    assert_eq!(number(&c["difference"]), d("1.6915"));
    // 3 tasks: 3.70275 < 4.16, still Fargate, by 0.45725.
    let c = at("3");
    assert_eq!(c["cheaper"], "fargate");
    assert_eq!(number(&c["difference"]), d("0.45725"));
    // 4 tasks (the break-even count): 4.937 > 4.16 → EC2 cheaper by 0.777.
    let c = at("4");
    assert_eq!(c["cheaper"], "ec2");
    assert_eq!(number(&c["difference"]), d("0.777"));
}

#[test]
fn compare_when_ec2_never_breaks_even() {
    // ARM 1 vCPU / 2 GB for 100 h: Fargate 100 × (0.03238 + 2 × 0.00356) = 100 × 0.0395 = 3.95.
    // EC2: c6g.large (k = 1) 100 × 0.068 = 6.8. Utilisation 6.8 / (1 × 3.95) > 1: never; no count.
    // Fargate cheaper by 2.85.
    let c = compare(&["--vcpu", "1", "--memory", "2", "--arch", "arm64", "--hours", "100"]);
    assert_eq!(c["cheaper"], "fargate");
    assert_eq!(number(&c["difference"]), d("2.85"));
    let point = break_even(&c);
    assert_eq!(point, ("task".to_owned(), d("3.95"), d("6.8"), 1, (d("6.8") / d("3.95")).normalize(), None));
    assert!(point.4 > Decimal::ONE);
    assert!(c["break_even"][0]["task_count"].is_null());
    let out =
        rendered(&["compare", "--vcpu", "1", "--memory", "2", "--arch", "arm64", "--hours", "100"], "table");
    assert!(out.contains("Fargate is cheaper by $2.85"), "{out}");
    assert!(out.contains("EC2 costs more than Fargate even with every task slot filled"), "{out}");
    // x86 0.5 vCPU / 1 GB × 4 on r5.large: k = min(4, 15872 / 1024 = 15) = 4; 100 h:
    // 12.6 per instance against 4 × 2.4685 = 9.874: never.
    let c = compare(&[
        "--vcpu",
        "0.5",
        "--memory",
        "1",
        "--count",
        "4",
        "--hours",
        "100",
        "--instance-type",
        "r5.large",
    ]);
    let point = break_even(&c);
    assert_eq!((point.3, point.4, point.5), (4, (d("12.6") / d("9.874")).normalize(), None));
}

#[test]
fn compare_when_they_cost_the_same() {
    // A table with z9.even: 1 vCPU / 4 GiB x86 at 0.04937 an hour, what two 0.5 vCPU / 1 GB
    // Fargate tasks cost (2 × 0.024685). It holds min(1 / 0.5 = 2, 3584 / 1024 = 3) = 2.
    // 100 h: 4.937 both ways; utilisation 4.937 / (2 × 2.4685) = 1, from ceil(2) = 2 tasks.
    let dir = tempfile::tempdir().unwrap();
    let rates = rates_with(
        &dir,
        "[ec2.instances.\"z9.even\"]\nvcpu = 1\nmemory_gib = \"4\"\narch = \"x86_64\"\nhourly = \"0.04937\"\n",
    );
    let args = [
        "--rates",
        &rates,
        "--vcpu",
        "0.5",
        "--memory",
        "1",
        "--count",
        "2",
        "--hours",
        "100",
        "--instance-type",
        "z9.even",
    ];
    let mut all = vec!["compare"];
    all.extend(args);
    let c = json(&all, None);
    assert_eq!(c["cheaper"], "equal");
    assert_eq!(number(&c["difference"]), Decimal::ZERO);
    assert_eq!(break_even(&c), ("task".to_owned(), d("2.4685"), d("4.937"), 2, Decimal::ONE, Some(2)));
    let out = rendered(&all, "table");
    assert!(out.contains("Fargate and EC2 cost the same"), "{out}");
}

#[test]
fn compare_renders_table_markdown_and_csv() {
    // The EC2_WINS numbers: Fargate 19.748 ($19.75), EC2 12.48 on 3 × t3.medium, difference 7.268
    // ($7.27); break-even 4.16 / 7.4055 = 56.2%, from 2 tasks, 3 per instance, $4.16 an instance
    // against 2.4685 ($2.47) a task.
    let mut args = vec!["compare"];
    args.extend(EC2_WINS);
    let table = rendered(&args, "table");
    for needle in [
        "$19.75",
        "$12.48 (3 x t3.medium)",
        "+$7.27",
        "EC2 is cheaper by $7.27",
        "task: EC2 costs no more than Fargate once 56.2% of its task slots are filled",
        "from 2 task(s)",
        "3 per instance, $4.16 an instance against $2.47 a task on Fargate",
    ] {
        assert!(table.contains(needle), "{table} lacks {needle:?}");
    }
    let verdicts = table.lines().filter(|l| l.starts_with("EC2 is cheaper by")).count();
    assert_eq!(verdicts, 1, "{table}");
    let markdown = rendered(&args, "markdown");
    for needle in [
        "**EC2 is cheaper by $7.27**: Fargate $19.75, EC2 $12.48",
        "| Item | Fargate | EC2 | Fargate - EC2 |",
        "| task | $19.75 | $12.48 (3 x t3.medium) | +$7.27 |",
        "| **Total** | **$19.75** | **$12.48** | **+$7.27** |",
        "56.2%",
    ] {
        assert!(markdown.contains(needle), "{markdown} lacks {needle:?}");
    }
    // CSV: exact decimals, unrounded.
    assert_eq!(
        rendered(&args, "csv"),
        "item,fargate,ec2,fargate_minus_ec2,currency,note\ntask,19.748,12.48,7.268,USD,\n,19.748,12.48,7.268,USD,total\n"
    );
}

#[test]
fn compare_takes_the_placement_flags_for_the_ec2_side() {
    // 1 vCPU / 2 GB × 5 for 100 h, --instance-type m5.large --reserved-memory 0:
    // k = min(2, 8192 / 2048 = 4) = 2 → 3 instances × 100 × 0.096 = 28.8. Fargate: 5 × 100 ×
    // (0.04048 + 2 × 0.004445) = 5 × 4.937 = 24.685. Fargate cheaper by 4.115.
    let c = compare(&[
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--count",
        "5",
        "--hours",
        "100",
        "--instance-type",
        "m5.large",
        "--reserved-memory",
        "0",
    ]);
    let packing = &c["ec2"]["items"][0]["packing"];
    assert_eq!(packing["chosen"], "given");
    assert_eq!(packing["instances"], 3);
    assert_eq!(number(&packing["reserved_memory_mib"]), Decimal::ZERO);
    assert_eq!(number(&c["ec2"]["total"]), d("28.8"));
    assert_eq!(number(&c["fargate"]["total"]), d("24.685"));
    assert_eq!(c["cheaper"], "fargate");
    assert_eq!(number(&c["difference"]), d("4.115"));
    // --instances 4 on m5.large: 4 × 100 × 0.096 = 38.4; per instance 9.6.
    let c = compare(&[
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--count",
        "5",
        "--hours",
        "100",
        "--instance-type",
        "m5.large",
        "--instances",
        "4",
    ]);
    assert_eq!(number(&c["ec2"]["total"]), d("38.4"));
    assert_eq!(number(&c["break_even"][0]["ec2_per_instance"]), d("9.6"));
    // The Fargate side has no placement and no packing.
    assert!(
        c["fargate"]["items"][0].get("packing").is_none() || c["fargate"]["items"][0]["packing"].is_null()
    );
}

#[test]
fn compare_refuses_what_ec2_cannot_price() {
    fails(&["compare", "--vcpu", "1", "--memory", "2", "--os", "windows"], None, 1, &["Linux prices only"]);
    fails(&["compare", "--vcpu", "1", "--memory", "2", "--region", "eu-west-1"], None, 1, &["[ec2]"]);
    fails(
        &["compare", "--vcpu", "1", "--memory", "2", "--instance-type", "m5.large", "--arch", "arm64"],
        None,
        1,
        &["m5.large is x86_64"],
    );
    fails(&["compare"], None, 2, &["--vcpu"]);
}

#[test]
fn compare_refuses_eks_pods_on_ec2_like_estimate_does() {
    fails(
        &["compare", "--vcpu", "1", "--memory", "2", "--platform", "eks"],
        None,
        1,
        &["EKS", "EC2 launch type is for ECS"],
    );
}

#[test]
fn compare_ignores_the_registered_compatibilities() {
    // examples/web-api/api.json is registered FARGATE-only: ARM 1 vCPU / 2 GB. 3 tasks, 730 h:
    // Fargate 3 × 730 × 0.0395 = 86.505; EC2 m6g.large k = 2 → 2 × 730 × 0.077 = 112.42
    // (c6g.large k = 1 → 3 × 0.068 = 0.204 an hour > 0.154).
    let c = compare(&["--task-definition", &example("web-api/api.json"), "--count", "3"]);
    assert_eq!(number(&c["fargate"]["total"]), d("86.505"));
    assert_eq!(number(&c["ec2"]["total"]), d("112.42"));
    assert_eq!(c["ec2"]["items"][0]["packing"]["instance_type"], "m6g.large");
    assert_eq!(c["cheaper"], "fargate");
    assert_eq!(number(&c["difference"]), d("25.915"));
}

#[test]
fn compare_the_example_workload() {
    // examples/web-api on Fargate (as cli_inputs works it out): api 131.505, worker (Spot)
    // 11.4750525, nightly-report 4.6431, images 1.2 → 148.8231525.
    // On EC2 (Spot services on-demand):
    //   api: ARM 1 / 2 × 3: c6g.large k 1 → 3 × 0.068 = 0.204; m6g.large k 2 → 2 × 0.077 = 0.154:
    //        2 × 730 × 0.077 = 112.42, + 500 GB × 0.09 = 45 → 157.42.
    //   worker: x86 0.5 / 1 × 2: t3.medium k = min(4, 3) = 3 → 1 × 0.0416 (c5.large 0.085,
    //        m5.large 0.096, r5.large 0.126, m5.xlarge 0.192): 730 × 0.0416 = 30.368.
    //   nightly-report: 4 / 8: only m5.xlarge (4 vCPU, 15872 MiB) holds it, k 1;
    //        45 min × 30 runs = 22.5 h × 0.192 = 4.32 (the 100 GB storage is not priced on EC2).
    //   images: 1.2.
    //   Total 157.42 + 30.368 + 4.32 + 1.2 = 193.308. Fargate cheaper by 44.4848475.
    let c = compare(&["--workload", &example("web-api/workload.toml")]);
    assert_eq!(number(&c["fargate"]["total"]), d("131.505") + d("11.4750525") + d("4.6431") + d("1.2"));
    assert_eq!(number(&c["ec2"]["total"]), d("193.308"));
    assert_eq!(c["cheaper"], "fargate");
    assert_eq!(number(&c["difference"]), d("193.308") - d("148.8231525"));
    let ec2_items = c["ec2"]["items"].as_array().unwrap();
    let got: Vec<(&str, Decimal)> =
        ec2_items.iter().map(|i| (i["name"].as_str().unwrap(), number(&i["total"]))).collect();
    assert_eq!(
        got,
        [("api", d("157.42")), ("worker", d("30.368")), ("nightly-report", d("4.32")), ("images", d("1.2"))]
    );
    assert_eq!(c["fargate"]["items"][1]["billed"]["pricing"], "spot");
    assert_eq!(ec2_items[1]["billed"]["pricing"], "on-demand");
    assert_eq!(ec2_items[0]["packing"]["instance_type"], "m6g.large");
    assert_eq!(ec2_items[1]["packing"]["instance_type"], "t3.medium");
    assert_eq!(ec2_items[2]["packing"]["instance_type"], "m5.xlarge");
    // Break-even, per task item (the repository has none), data transfer left out:
    //   api: per task (70.9122 + 15.5928) / 3 = 28.835; per instance 112.42 / 2 = 56.21; k 2;
    //        56.21 / 57.67 < 1; from ceil(56.21 / 28.835 = 1.95) = 2.
    //   worker: per task 11.4750525 / 2 = 5.73752625; per instance 30.368; k 3;
    //        30.368 / 17.21257875 > 1: never.
    //   nightly-report: per task 4.6431 (storage included); per instance 4.32; k 1;
    //        4.32 / 4.6431 < 1; from 1.
    let points: Vec<Point> = c["break_even"].as_array().unwrap().iter().map(point).collect();
    assert_eq!(
        points,
        [
            (
                "api".to_owned(),
                d("28.835"),
                d("56.21"),
                2,
                (d("56.21") / (d("2") * d("28.835"))).normalize(),
                Some(2)
            ),
            (
                "worker".to_owned(),
                d("5.73752625"),
                d("30.368"),
                3,
                (d("30.368") / (d("3") * d("5.73752625"))).normalize(),
                None
            ),
            (
                "nightly-report".to_owned(),
                d("4.6431"),
                d("4.32"),
                1,
                (d("4.32") / d("4.6431")).normalize(),
                Some(1)
            ),
        ]
    );
    // The table names both totals and the verdict, in figures that subtract: $193.31 − $148.82 =
    // $44.49 (the exact difference, 44.48…, is in the JSON).
    let out = rendered(&["compare", "--workload", &example("web-api/workload.toml")], "table");
    for needle in ["$148.82", "$193.31", "Fargate is cheaper by $44.49", "api:", "worker:", "nightly-report:"]
    {
        assert!(out.contains(needle), "{out} lacks {needle:?}");
    }
}

#[test]
fn the_fargate_versus_ec2_example() {
    // ingest on Fargate: 8 × 1 × 730 × 0.04048 = 236.4032; 8 × 2 × 730 × 0.004445 = 51.9176.
    // cache on EC2: r5.large holds 2 tasks of 1 vCPU / 6 GB (CPU 2/1; memory (16384 − 512) / 6144 → 2):
    //      1 instance × 730 × 0.126 = 91.98.
    let ingest = d("236.4032") + d("51.9176");
    let report = json(&["estimate", "--workload", &example("fargate-vs-ec2/workload.toml")], None);
    assert_eq!(number(&report["total"]), ingest + d("91.98"));
    // compare: cache on Fargate 2 × 730 × 0.04048 + 2 × 6 × 730 × 0.004445 = 59.1008 + 38.9382;
    // ingest on EC2: t3.medium holds 1 (memory (4096 − 512) / 2048 → 1) at 0.0416, the cheapest
    // fleet: 8 × 730 × 0.0416 = 242.944 (m5.large: 4 × 0.096 = 0.384/h > 8 × 0.0416 = 0.3328/h).
    let c = json(&["compare", "--workload", &example("fargate-vs-ec2/workload.toml")], None);
    let fargate = ingest + d("59.1008") + d("38.9382");
    let ec2 = d("242.944") + d("91.98");
    assert_eq!((number(&c["fargate"]["total"]), number(&c["ec2"]["total"])), (fargate, ec2));
    assert_eq!(c["cheaper"], "ec2");
    assert_eq!(number(&c["difference"]), fargate - ec2);
}
