//! Data transfer tiers, other regions' rates, where the region comes from (flag, then
//! `AWS_REGION`, then `AWS_DEFAULT_REGION`), and `--rates FILE` in place of the embedded tables.

use super::*;

/// The data transfer lines of a small task in us-east-1 with `extra` flags.
fn transfer_lines(extra: &[&str]) -> (Value, Vec<(Decimal, Decimal, Decimal)>) {
    let mut args = vec!["estimate", "--vcpu", "0.25", "--memory", "0.5", "--hours", "1"];
    args.extend_from_slice(extra);
    let doc = json(&args);
    let lines = lines_of(&doc, "data_transfer");
    (doc, lines)
}

#[test]
fn data_transfer_tiers_in_us_east_1() {
    // 20000 GB = 10240 × 0.09 (921.6) + 9760 × 0.085 (829.6).
    let (doc, got) = transfer_lines(&["--data-transfer", "20000"]);
    let expected =
        [transfer(n(TIER_BOUNDS[0]), use1::DT[0]), transfer(n(20_000 - TIER_BOUNDS[0]), use1::DT[1])];
    assert_eq!(expected[0].cost, d("921.6"));
    assert_eq!(expected[1].cost, d("829.6"));
    assert_eq!(got, triples(&expected));
    // The whole item: 0.25 vCPU-hour + 0.5 GB-hour + the tiers.
    let mut all = vec![vcpu(d("0.25"), use1::VCPU), memory(d("0.5"), use1::GB)];
    all.extend(expected);
    assert_lines(&doc, &all);

    // Exactly 10 TB stays in the first tier.
    let (_, got) = transfer_lines(&["--data-transfer", "10240"]);
    assert_eq!(got, triples(&[transfer(n(10_240), use1::DT[0])]));

    // Half a GB.
    let (_, got) = transfer_lines(&["--data-transfer", "0.5"]);
    let half = transfer(d("0.5"), use1::DT[0]);
    assert_eq!(half.cost, d("0.045"));
    assert_eq!(got, triples(&[half]));

    // 200000 GB crosses every tier:
    //   10240 × 0.09 = 921.6; 40960 × 0.085 = 3481.6; 102400 × 0.07 = 7168;
    //   (200000 − 153600) = 46400 × 0.05 = 2320; together 13891.2.
    let (_, got) = transfer_lines(&["--data-transfer", "200000"]);
    let expected = [
        transfer(n(TIER_BOUNDS[0]), use1::DT[0]),
        transfer(n(TIER_BOUNDS[1] - TIER_BOUNDS[0]), use1::DT[1]),
        transfer(n(TIER_BOUNDS[2] - TIER_BOUNDS[1]), use1::DT[2]),
        transfer(n(200_000 - TIER_BOUNDS[2]), use1::DT[3]),
    ];
    assert_eq!(expected.iter().map(|l| l.cost).sum::<Decimal>(), d("13891.2"));
    assert_eq!(got, triples(&expected));

    // No data transfer, no line.
    let (_, got) = transfer_lines(&[]);
    assert!(got.is_empty());
}

#[test]
fn data_transfer_free_allowance_only_when_asked() {
    // With --free-data-transfer the first 100 GB are free, inside the first tier:
    // 100 free; 10140 × 0.09 = 912.6; 9760 × 0.085 = 829.6.
    let (doc, got) = transfer_lines(&["--data-transfer", "20000", "--free-data-transfer"]);
    let expected = [
        transfer(n(100), "0"),
        transfer(n(TIER_BOUNDS[0] - 100), use1::DT[0]),
        transfer(n(20_000 - TIER_BOUNDS[0]), use1::DT[1]),
    ];
    assert_eq!(expected[1].cost, d("912.6"));
    assert_eq!(got, triples(&expected));
    let notes = doc["items"][0]["notes"].to_string();
    assert!(notes.contains("free") && !notes.contains("not applied"), "{notes}");
    // The free line says what it is, and nothing outside the output.
    assert_eq!(doc["items"][0]["lines"][2]["detail"], "AWS's account-wide free allowance of 100 GB/month");

    // Without it the output says the allowance is not applied.
    let (doc, _) = transfer_lines(&["--data-transfer", "20000"]);
    let notes = doc["items"][0]["notes"].to_string();
    assert!(notes.contains("not applied"), "{notes}");
    let table = ok(cost().args(["estimate", "--vcpu", "1", "--memory", "2", "--data-transfer", "20000"]));
    assert!(table.contains("not applied"), "{table}");

    // 50 GB and 100 GB with the allowance cost nothing.
    for gb in [50, 100] {
        let (_, got) = transfer_lines(&["--data-transfer", &gb.to_string(), "--free-data-transfer"]);
        assert_eq!(got, triples(&[transfer(n(gb), "0")]), "{gb} GB");
    }
    // 150 GB: 100 free, 50 × 0.09 = 4.5.
    let (_, got) = transfer_lines(&["--data-transfer", "150", "--free-data-transfer"]);
    assert_eq!(got, triples(&[transfer(n(100), "0"), transfer(n(50), use1::DT[0])]));
}

#[test]
fn eu_west_1() {
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--region", "eu-west-1"]);
    assert_eq!(doc["rates"]["region"], "eu-west-1");
    assert_lines(&doc, &[vcpu(n(730), euw1::VCPU), memory(n(1460), euw1::GB)]);

    // Spot: 100 × 0.01224056 = 1.224056; 200 × 0.0013441 = 0.26882; total 1.492876.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--hours",
        "100",
        "--spot",
        "--region",
        "eu-west-1",
    ]);
    let expected = [vcpu(n(100), euw1::SPOT_VCPU), memory(n(200), euw1::SPOT_GB)];
    assert_eq!(expected[0].cost + expected[1].cost, d("1.492876"));
    assert_lines(&doc, &expected);

    // ARM: 0.5 vCPU / 1 GB × 10 h: 5 × 0.03238 = 0.1619; 10 × 0.00356 = 0.0356.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "0.5",
        "--memory",
        "1",
        "--hours",
        "10",
        "--arch",
        "arm64",
        "--region",
        "eu-west-1",
    ]);
    assert_lines(&doc, &[vcpu(n(5), euw1::ARM_VCPU), memory(n(10), euw1::ARM_GB)]);
}

#[test]
fn ap_northeast_2_with_storage_and_data_transfer() {
    // 1 vCPU / 2 GB × 100 h, 40 GB storage, 60000 GB out:
    //   vCPU 100 × 0.04656 = 4.656; memory 200 × 0.00511 = 1.022;
    //   storage 20 GB × 100 h = 2000 × 0.000127 = 0.254;
    //   data 10240 × 0.126 = 1290.24; 40960 × 0.122 = 4997.12; 8800 × 0.117 = 1029.6;
    //   total 7322.892.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--hours",
        "100",
        "--ephemeral-storage",
        "40",
        "--data-transfer",
        "60000",
        "--region",
        "ap-northeast-2",
    ]);
    assert_eq!(doc["rates"]["region"], "ap-northeast-2");
    let expected = [
        vcpu(n(100), apne2::VCPU),
        memory(n(200), apne2::GB),
        storage(n(20) * n(100), apne2::STORAGE),
        transfer(n(TIER_BOUNDS[0]), apne2::DT[0]),
        transfer(n(TIER_BOUNDS[1] - TIER_BOUNDS[0]), apne2::DT[1]),
        transfer(n(60_000 - TIER_BOUNDS[1]), apne2::DT[2]),
    ];
    assert_eq!(expected.iter().map(|l| l.cost).sum::<Decimal>(), d("7322.892"));
    assert_lines(&doc, &expected);

    // 160000 GB reaches the last tier: 1290.24 + 4997.12 + 102400 × 0.117 (11980.8)
    // + 6400 × 0.108 (691.2) = 18959.36.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "0.25",
        "--memory",
        "0.5",
        "--hours",
        "1",
        "--data-transfer",
        "160000",
        "--region",
        "ap-northeast-2",
    ]);
    let expected = [
        transfer(n(TIER_BOUNDS[0]), apne2::DT[0]),
        transfer(n(TIER_BOUNDS[1] - TIER_BOUNDS[0]), apne2::DT[1]),
        transfer(n(TIER_BOUNDS[2] - TIER_BOUNDS[1]), apne2::DT[2]),
        transfer(n(160_000 - TIER_BOUNDS[2]), apne2::DT[3]),
    ];
    assert_eq!(expected.iter().map(|l| l.cost).sum::<Decimal>(), d("18959.36"));
    assert_eq!(lines_of(&doc, "data_transfer"), triples(&expected));
}

fn region_with(env: &[(&str, &str)], extra: &[&str]) -> (String, Value) {
    let mut cmd = cost();
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.args(["estimate", "--vcpu", "1", "--memory", "2", "--hours", "100"]).args(extra);
    let (_, doc) = json_of(&mut cmd);
    let region = doc["rates"]["region"].as_str().expect("region").to_owned();
    (region, doc)
}

#[test]
fn region_comes_from_flag_then_aws_region_then_aws_default_region() {
    assert_eq!(region_with(&[], &[]).0, "us-east-1");
    assert_eq!(region_with(&[("AWS_DEFAULT_REGION", "eu-west-1")], &[]).0, "eu-west-1");
    assert_eq!(region_with(&[("AWS_REGION", "ap-northeast-2")], &[]).0, "ap-northeast-2");
    assert_eq!(
        region_with(&[("AWS_REGION", "ap-northeast-2"), ("AWS_DEFAULT_REGION", "eu-west-1")], &[]).0,
        "ap-northeast-2"
    );
    let (region, doc) = region_with(
        &[("AWS_REGION", "ap-northeast-2"), ("AWS_DEFAULT_REGION", "eu-west-1")],
        &["--region", "us-west-1"],
    );
    assert_eq!(region, "us-west-1");
    // And the region's own rates are used: us-west-1 x86 is 0.04656 / 0.00511.
    assert_lines(&doc, &[vcpu(n(100), "0.04656"), memory(n(200), "0.00511")]);
    // ap-northeast-2's rates through AWS_REGION.
    let (_, doc) = region_with(&[("AWS_REGION", "ap-northeast-2")], &[]);
    assert_lines(&doc, &[vcpu(n(100), apne2::VCPU), memory(n(200), apne2::GB)]);
}

#[test]
fn empty_region_variables_count_as_unset() {
    assert_eq!(region_with(&[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "eu-west-1")], &[]).0, "eu-west-1");
    assert_eq!(region_with(&[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "")], &[]).0, "us-east-1");
}

#[test]
fn rates_file_replaces_the_embedded_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), "rates.toml", TEST_TABLE.as_bytes());
    let file = path_str(&path);

    // 1 vCPU / 2 GB × 2 h: vCPU 2 × 0.0625 = 0.125; memory 4 × 0.01 = 0.04; total 0.165.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--hours", "2", "--rates", file]);
    assert_eq!(doc["rates"]["region"], "xx-test-1");
    assert!(doc["rates"]["source"].as_str().unwrap().contains(file), "{doc}");
    let expected = [vcpu(n(2), "0.0625"), memory(n(4), "0.01")];
    assert_eq!(expected[0].cost + expected[1].cost, d("0.165"));
    assert_lines(&doc, &expected);

    // Markdown rounds 0.125 → $0.13 and 0.165 → $0.17 (half away from zero).
    let md = ok(cost().args([
        "estimate", "--vcpu", "1", "--memory", "2", "--hours", "2", "--rates", file, "--format", "markdown",
    ]));
    assert!(md.contains("| $0.0625 | $0.13 |"), "{md}");
    assert!(md.contains("**$0.17**"), "{md}");

    // The file's own tiers: 150 GB = 100 × 0.5 + 50 × 0.25 = 62.5; with the free 100 GB only
    // the 50 GB above the first tier are charged.
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--hours",
        "2",
        "--rates",
        file,
        "--data-transfer",
        "150",
    ]);
    assert_eq!(lines_of(&doc, "data_transfer"), triples(&[transfer(n(100), "0.5"), transfer(n(50), "0.25")]));
    let doc = json(&[
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--hours",
        "2",
        "--rates",
        file,
        "--data-transfer",
        "150",
        "--free-data-transfer",
    ]);
    assert_eq!(lines_of(&doc, "data_transfer"), triples(&[transfer(n(100), "0"), transfer(n(50), "0.25")]));

    // A matching --region is fine; the environment does not override the file.
    let doc = json(&["estimate", "--vcpu", "1", "--memory", "2", "--rates", file, "--region", "xx-test-1"]);
    assert_eq!(doc["rates"]["region"], "xx-test-1");
    let (_, doc) = json_of(
        cost()
            .env("AWS_REGION", "eu-west-1")
            .args(["estimate", "--vcpu", "1", "--memory", "2", "--rates", file]),
    );
    assert_eq!(doc["rates"]["region"], "xx-test-1");
}
