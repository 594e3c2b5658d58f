//! The real inputs mutations start from.

use super::*;

pub(super) fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub(super) fn root(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// The real inputs mutations start from.
pub(super) struct Seeds {
    pub(super) task_definitions: Vec<Vec<u8>>,
    pub(super) workloads: Vec<Vec<u8>>,
    pub(super) rate_tables: Vec<Vec<u8>>,
    pub(super) reports: Vec<Vec<u8>>,
    /// Both shapes: `aws pricing get-products` output and a bulk offer file.
    pub(super) price_lists: Vec<Vec<u8>>,
    pub(super) batches: Vec<Vec<u8>>,
    /// Terraform plan JSON (`terraform show -json`), every one of which prices.
    pub(super) plans: Vec<Vec<u8>>,
    /// Usage files (`--usage`) for those plans.
    pub(super) usages: Vec<Vec<u8>>,
    /// Real CloudFormation templates, YAML and JSON.
    pub(super) templates: Vec<Vec<u8>>,
    /// Real describe-services output (tests/data/real/services).
    pub(super) services: Vec<Vec<u8>>,
}

pub(super) const BATCH: &str = r#"{"name": "api", "vcpu": 1, "memory": 2, "count": 3, "arch": "arm64"}
{"vcpu": 0.25, "memory": 0.5, "hours": 1.5, "runs": 30, "spot": true}

{"name": "win", "vcpu": 2, "memory": 8, "os": "windows", "minutes": 45, "budget": 10}
{"name": "ec2", "launch_type": "ec2", "vcpu": 1, "memory": 2, "count": 6}
{"name": "pod", "platform": "eks", "vcpu": 0.3, "memory": 0.7, "data_transfer": 20000}
"#;

pub(super) const SHORT_BATCH: &str =
    "{\"vcpu\": 4, \"memory\": 30, \"ephemeral_storage\": 200, \"data_transfer\": 153600.5}\n";

/// Usage files for the plans: one short, one with every key (some for addresses with keys).
pub(super) const USAGES: &[&str] = &[
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
pub(super) fn offer_file() -> String {
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

pub(super) fn seeds() -> &'static Seeds {
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
            templates: [
                "aws--copilot-cli--windows-svc-stack.yml",
                "aws-cloudformation--aws-cloudformation-templates--fargate-public-service-json.json",
                "aws-cloudformation--aws-cloudformation-templates--ecs-schedule-example.yaml",
            ]
            .iter()
            .map(|name| read(&data(&format!("real/cloudformation/{name}"))))
            .collect(),
            services: real_services(),
        }
    })
}

/// Every describe-services output of tests/data/real/services, by name.
fn real_services() -> Vec<Vec<u8>> {
    let dir = root("tests/data/real/services");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|path| read(&path.display().to_string())).collect()
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
    for t in &s.templates {
        assert!(cost::input::cloudformation::read_template(&lossy(t)).is_ok());
    }
    for r in &s.rate_tables {
        assert!(cost::rates::parse(&lossy(r), &cost::rates::Origin::File("seed".to_owned())).is_ok());
    }
    assert!(cost::report::saved::parse(&lossy(&s.reports[0]), "seed".to_owned()).is_ok());
    assert!(!s.services.is_empty());
    for services in &s.services {
        assert!(cost::input::services::parse(&lossy(services), &[]).is_ok(), "{}", lossy(services));
    }
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
