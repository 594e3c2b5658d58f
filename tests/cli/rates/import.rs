//! `rates import`: the get-products capture and bulk offer files become a table that prices like
//! the price list, and a broken import leaves the old table alone.

use super::*;

#[test]
fn importing_the_get_products_capture_prices_like_the_2022_price_list() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("use1.toml");
    cost().args(["rates", "import", &sample(), "--out", &table.display().to_string()]).assert().success();
    let table = table.display().to_string();
    cost().args(["rates", "check", &table]).assert().success();
    // 1 vCPU / 2 GB for 730 h: 730 × 0.04048 + 1460 × 0.004445 = 36.0401.
    assert_eq!(total(&["estimate", "--vcpu", "1", "--memory", "2", "--rates", &table]), d("36.0401"));
    // The 2022 capture's Windows rates: 1 vCPU / 2 GB for 1 h = 0.09148 + 2 × 0.01005 + 0.046 = 0.15758.
    assert_eq!(
        total(&[
            "estimate", "--vcpu", "1", "--memory", "2", "--os", "windows", "--hours", "1", "--rates", &table
        ]),
        d("0.15758")
    );
    // ARM 2 vCPU / 4 GB for 10 h: 20 × 0.03238 + 40 × 0.00356 = 0.7900; 50 GB storage: 30 × 10 × 0.000111 = 0.0333.
    let args = [
        "estimate",
        "--vcpu",
        "2",
        "--memory",
        "4",
        "--arch",
        "arm64",
        "--hours",
        "10",
        "--ephemeral-storage",
        "50",
        "--rates",
        &table,
    ];
    assert_eq!(total(&args), d("0.6476") + d("0.1424") + d("0.0333"));
    // No Spot in price lists: a Spot estimate names the missing section.
    fails(
        &["estimate", "--vcpu", "1", "--memory", "2", "--spot", "--rates", &table],
        None,
        1,
        &["fargate.spot_x86_64", "use1.toml"],
    );
    // Without --out the table goes to stdout, and its dates are the capture's publication date.
    let out = cost().args(["rates", "import", &sample()]).assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("effective = \"2022-11-21\"") && text.contains("vcpu_hour = \"0.04048\""),
        "{text}"
    );
}

/// A price dimension: begin and end of its range (`None`: no end) and the USD price.
type Dimension<'a> = (&'a str, Option<&'a str>, &'a str);

/// A bulk offer file: `products` then `terms` (`OnDemand`, plus `Reserved` terms to skip).
fn offer(code: &str, date: &str, products: &[(&str, Value, Vec<Dimension<'_>>)]) -> String {
    let mut product_map = serde_json::Map::new();
    let mut terms = serde_json::Map::new();
    let mut reserved = serde_json::Map::new();
    for (sku, (family, attributes), dims) in
        products.iter().map(|(s, p, d)| (s, (p["family"].clone(), p["attributes"].clone()), d))
    {
        product_map.insert(
            (*sku).to_owned(),
            json!({"sku": sku, "productFamily": family, "attributes": attributes}),
        );
        let mut dimensions = serde_json::Map::new();
        for (i, (begin, end, usd)) in dims.iter().enumerate() {
            dimensions.insert(
                format!("{sku}.JRTCKXETXF.{i}"),
                json!({"unit": "Hrs", "beginRange": begin, "endRange": end.unwrap_or("Inf"), "pricePerUnit": {"USD": usd}, "appliesTo": []}),
            );
        }
        terms.insert((*sku).to_owned(), json!({format!("{sku}.JRTCKXETXF"): {"offerTermCode": "JRTCKXETXF", "sku": sku, "effectiveDate": "2026-01-01T00:00:00Z", "priceDimensions": dimensions, "termAttributes": {}}}));
        reserved.insert((*sku).to_owned(), json!({format!("{sku}.4NA7Y494T4"): {"priceDimensions": {"x": {"pricePerUnit": {"USD": "0.0010000000"}}}}}));
    }
    json!({
        "formatVersion": "v1.0", "disclaimer": "test", "offerCode": code, "version": "20260915000000",
        "publicationDate": format!("{date}T00:00:00Z"), "products": product_map,
        "terms": {"OnDemand": terms, "Reserved": reserved}
    })
    .to_string()
}

fn product(family: &str, attributes: &Value) -> Value {
    json!({"family": family, "attributes": attributes})
}

fn ec2(instance: &str, vcpu: &str, memory: &str, extra: &[(&str, &str)]) -> Value {
    let mut a = json!({"regionCode": "eu-west-1", "location": "EU (Ireland)", "instanceType": instance, "vcpu": vcpu,
        "memory": memory, "operatingSystem": "Linux", "tenancy": "Shared", "preInstalledSw": "NA",
        "capacitystatus": "Used", "licenseModel": "No License required", "physicalProcessor": "Intel Xeon Platinum 8175"});
    for (k, v) in extra {
        a[*k] = json!(v);
    }
    product("Compute Instance", &a)
}

/// Writes an ECS, an EC2 (with decoys) and a data transfer offer file for eu-west-1 into `dir`.
fn bulk_files(dir: &Path) -> [String; 3] {
    let write = |name: &str, text: String| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let fargate = |usage: &str| {
        product(
            "Compute",
            &json!({"regionCode": "eu-west-1", "location": "EU (Ireland)", "usagetype": usage}),
        )
    };
    let ecs = write(
        "ecs.json",
        offer(
            "AmazonECS",
            "2026-09-11",
            &[
                ("A1", fargate("EU-Fargate-vCPU-Hours:perCPU"), vec![("0", None, "0.0404800000")]),
                ("A2", fargate("EU-Fargate-GB-Hours"), vec![("0", None, "0.0044450000")]),
                ("A3", fargate("EU-ECS-EC2-vCPU-Hours"), vec![("0", None, "0.0000000000")]),
            ],
        ),
    );
    let ec2_file = write(
        "ec2.json",
        offer(
            "AmazonEC2",
            "2026-09-20",
            &[
                ("E1", ec2("m5.large", "2", "8 GiB", &[]), vec![("0", None, "0.1070000000")]),
                (
                    "E2",
                    ec2("m6g.large", "2", "8 GiB", &[("physicalProcessor", "AWS Graviton2 Processor")]),
                    vec![("0", None, "0.0860000000")],
                ),
                // Decoys: none of these may be imported.
                (
                    "D1",
                    ec2("m5.large", "2", "8 GiB", &[("operatingSystem", "Windows")]),
                    vec![("0", None, "0.2030000000")],
                ),
                (
                    "D2",
                    ec2("m5.large", "2", "8 GiB", &[("tenancy", "Dedicated")]),
                    vec![("0", None, "0.1180000000")],
                ),
                (
                    "D3",
                    ec2("m5.large", "2", "8 GiB", &[("operatingSystem", "RHEL")]),
                    vec![("0", None, "0.1670000000")],
                ),
                (
                    "D4",
                    ec2("m5.large", "2", "8 GiB", &[("capacitystatus", "AllocatedCapacityReservation")]),
                    vec![("0", None, "0.1070000000")],
                ),
                (
                    "D5",
                    ec2("m5.large", "2", "8 GiB", &[("preInstalledSw", "SQL Std")]),
                    vec![("0", None, "0.5870000000")],
                ),
                (
                    "D6",
                    ec2("r5.large", "2", "16 GiB", &[("tenancy", "Host")]),
                    vec![("0", None, "0.1410000000")],
                ),
            ],
        ),
    );
    let egress = product(
        "Data Transfer",
        &json!({"fromRegionCode": "eu-west-1", "fromLocation": "EU (Ireland)",
        "toLocation": "External", "transferType": "AWS Outbound", "usagetype": "EU-DataTransfer-Out-Bytes"}),
    );
    let inbound = product(
        "Data Transfer",
        &json!({"fromRegionCode": "eu-west-1", "fromLocation": "EU (Ireland)",
        "toLocation": "External", "transferType": "AWS Inbound"}),
    );
    let transfer = write(
        "dt.json",
        offer(
            "AWSDataTransfer",
            "2026-09-16",
            &[
                (
                    "T1",
                    egress,
                    vec![
                        ("0", Some("100"), "0.0000000000"),
                        ("100", Some("10240"), "0.0900000000"),
                        ("10240", Some("51200"), "0.0850000000"),
                        ("51200", Some("153600"), "0.0700000000"),
                        ("153600", None, "0.0500000000"),
                    ],
                ),
                ("T2", inbound, vec![("0", None, "0.0000000000")]),
            ],
        ),
    );
    [ecs, ec2_file, transfer]
}

#[test]
fn bulk_offer_files_merge_into_one_table_skipping_decoys() {
    let dir = tempfile::tempdir().unwrap();
    let [ecs, ec2_file, transfer] = bulk_files(dir.path());
    let table = dir.path().join("euw1.toml");
    cost()
        .args(["rates", "import", &ecs, &ec2_file, &transfer, "--out", &table.display().to_string()])
        .assert()
        .success();
    let text = std::fs::read_to_string(&table).unwrap();
    let table = table.display().to_string();
    // The decoys' prices never appear.
    for decoy in ["0.203", "0.118", "0.167", "0.587", "0.141", "r5.large"] {
        assert!(!text.contains(decoy), "decoy {decoy} imported:\n{text}");
    }
    assert!(text.contains("effective = \"2026-09-20\"") && text.contains("ecs.json"), "{text}");
    // Fargate from the imported table: 730 × 0.04048 + 1460 × 0.004445 = 36.0401.
    assert_eq!(total(&["estimate", "--vcpu", "1", "--memory", "2", "--rates", &table]), d("36.0401"));
    // EC2: 3 tasks of 1 vCPU / 2 GB on m5.large (2 per instance) = 2 instances × 730 h × 0.107 = 156.22.
    let ec2_args = [
        "estimate",
        "--launch-type",
        "ec2",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--count",
        "3",
        "--instance-type",
        "m5.large",
        "--rates",
        &table,
    ];
    assert_eq!(total(&ec2_args), d("156.22"));
    // arm64 picks the Graviton type: 1 × 730 × 0.086 = 62.78.
    let arm = [
        "estimate",
        "--launch-type",
        "ec2",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--arch",
        "arm64",
        "--rates",
        &table,
    ];
    assert_eq!(total(&arm), d("62.78"));
    // Data transfer: the free band is left to --free-data-transfer; 20,000 GB out of a 0.25 / 0.5 task
    // for 1 h: 10,240 × 0.09 + 9,760 × 0.085 = 1,751.2, plus 0.25 × 0.04048 + 0.5 × 0.004445 = 0.0123425.
    let dt = [
        "estimate",
        "--vcpu",
        "0.25",
        "--memory",
        "0.5",
        "--hours",
        "1",
        "--data-transfer",
        "20000",
        "--rates",
        &table,
    ];
    assert_eq!(total(&dt), d("1751.2") + d("0.0123425"));
    // Files of two regions need --region.
    fails(
        &["rates", "import", &sample(), &ecs],
        None,
        1,
        &["several regions", "eu-west-1", "us-east-1", "--region"],
    );
    let out = cost()
        .args(["rates", "import", &sample(), &ecs, "--region", "us-east-1"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("region = \"us-east-1\""));
}

#[test]
fn a_broken_import_leaves_the_old_table_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("rates.toml");
    std::fs::write(&target, "# the old table\n").unwrap();
    let full = std::fs::read_to_string(sample()).unwrap();
    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, &full[..full.len() / 2]).unwrap();
    let target_text = target.display().to_string();
    fails(
        &["rates", "import", &truncated.display().to_string(), "--out", &target_text],
        None,
        1,
        &["truncated.json", "line"],
    );
    let not_json = dir.path().join("notes.json");
    std::fs::write(&not_json, "{\"hello\": 1}").unwrap();
    fails(
        &["rates", "import", &not_json.display().to_string(), "--out", &target_text],
        None,
        1,
        &["notes.json", "not an AWS price list"],
    );
    fails(&["rates", "import", "/nonexistent/offer.json"], None, 1, &["/nonexistent/offer.json"]);
    fails(&["rates", "import", &sample(), "--region", "eu-west-1"], None, 1, &["eu-west-1"]);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "# the old table\n");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 3, "stray files: {left:?}");
    // An --out into a folder that does not exist fails without writing anything.
    fails(
        &["rates", "import", &sample(), "--out", "/nonexistent/dir/rates.toml"],
        None,
        1,
        &["could not write"],
    );
}
