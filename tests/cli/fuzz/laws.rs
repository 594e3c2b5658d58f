//! Exactness laws over random workloads, priced through the CLI.

use super::*;

#[derive(Debug, Clone)]
struct Service {
    /// Index into the sizes Fargate offers for the OS.
    size: Index,
    windows: bool,
    arm: bool,
    /// 0 on demand, 1 Spot, 2 and 3 Savings Plans (1 and 3 years); Linux only but 0.
    pricing: u8,
    count: u64,
    /// Hundredths of an hour, at least 9.
    centihours: u32,
    runs: u64,
    storage: u32,
    /// Tenths of a GB.
    data_transfer: u32,
}

#[derive(Debug, Clone)]
struct Cluster {
    centihours: u32,
    extended: bool,
}

#[derive(Debug, Clone)]
struct Repository {
    tenths_gb: u32,
    months: u32,
}

#[derive(Debug, Clone)]
struct Workload {
    services: Vec<Service>,
    clusters: Vec<Cluster>,
    repositories: Vec<Repository>,
    free_data_transfer: bool,
}

fn service() -> impl Strategy<Value = Service> {
    (
        any::<Index>(),
        any::<bool>(),
        any::<bool>(),
        0u8..4,
        1u64..=1000,
        // At least 0.09 h (324 s): above both per-run minimums (60 s Linux, 300 s Windows),
        // which are not whole hundredths of an hour.
        9u32..=100_000,
        1u64..=100,
        prop_oneof![Just(20u32), 20u32..=200],
        prop_oneof![Just(0u32), 1u32..=2_000_000],
    )
        .prop_map(|(size, windows, arm, pricing, count, centihours, runs, storage, data_transfer)| {
            Service {
                size,
                windows,
                arm: arm && !windows,
                pricing: if windows { 0 } else { pricing },
                count,
                centihours,
                runs,
                storage,
                data_transfer,
            }
        })
}

fn workload() -> impl Strategy<Value = Workload> {
    (
        prop::collection::vec(service(), 1..5),
        prop::collection::vec(
            (1u32..=100_000, any::<bool>())
                .prop_map(|(centihours, extended)| Cluster { centihours, extended }),
            0..3,
        ),
        prop::collection::vec(
            (0u32..=100_000, 1u32..=12).prop_map(|(tenths_gb, months)| Repository { tenths_gb, months }),
            0..3,
        ),
        any::<bool>(),
    )
        .prop_map(|(services, clusters, repositories, free_data_transfer)| Workload {
            services,
            clusters,
            repositories,
            free_data_transfer,
        })
}

fn offered(windows: bool) -> Vec<cost::model::Size> {
    cost::pricing::fargate::offered(if windows { Os::Windows } else { Os::Linux }).collect()
}

impl Workload {
    /// The workload file, with every service's count multiplied by `factor`.
    fn toml(&self, factor: u64) -> String {
        use std::fmt::Write as _;
        let mut text = String::from("region = \"us-east-1\"\n");
        for (i, s) in self.services.iter().enumerate() {
            let size = *s.size.get(&offered(s.windows));
            let pricing = ["on-demand", "spot", "savings-plan-1y", "savings-plan-3y"][usize::from(s.pricing)];
            write!(text,
                "\n[[service]]\nname = \"svc{i}\"\nvcpu = \"{}\"\nmemory = \"{}\"\ncount = {}\nhours = \"{}\"\nruns = {}\n\
                 arch = \"{}\"\nos = \"{}\"\npricing = \"{pricing}\"\nephemeral_storage = {}\ndata_transfer = \"{}\"\n",
                size.vcpu,
                size.memory_gb,
                s.count * factor,
                Decimal::new(i64::from(s.centihours), 2),
                s.runs,
                if s.arm { "arm64" } else { "x86_64" },
                if s.windows { "windows" } else { "linux" },
                s.storage,
                Decimal::new(i64::from(s.data_transfer), 1),
            ).unwrap();
        }
        for (i, c) in self.clusters.iter().enumerate() {
            write!(
                text,
                "\n[[eks_cluster]]\nname = \"eks{i}\"\nhours = \"{}\"\nsupport = \"{}\"\n",
                Decimal::new(i64::from(c.centihours), 2),
                if c.extended { "extended" } else { "standard" },
            )
            .unwrap();
        }
        for (i, r) in self.repositories.iter().enumerate() {
            write!(
                text,
                "\n[[ecr_repository]]\nname = \"ecr{i}\"\nstorage_gb = \"{}\"\nmonths = {}\n",
                Decimal::new(i64::from(r.tenths_gb), 1),
                r.months,
            )
            .unwrap();
        }
        text
    }
}

/// Prices `toml` with `cost estimate --workload FILE --format json`.
fn price(toml: &str, free_data_transfer: bool) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workload.toml");
    std::fs::write(&path, toml).unwrap();
    let mut args = strings(&["estimate", "--workload", &path.display().to_string(), "--format", "json"]);
    if free_data_transfer {
        args.push("--free-data-transfer".to_owned());
    }
    let ran = cli(&args, b"");
    assert_eq!(ran.code, 0, "{:?}\n{toml}", ran.stderr);
    serde_json::from_slice(&ran.out).unwrap()
}

/// A JSON number read exactly, after checking it is written as a plain decimal: no exponent, no
/// trailing zeros, at most 28 significant digits, the same digits back when printed.
fn exact(v: &Value) -> Result<Decimal, TestCaseError> {
    let text = v.as_number().map(ToString::to_string);
    prop_assert!(text.is_some(), "{v} is not a number");
    let text = text.unwrap_or_default();
    prop_assert!(!text.contains(['e', 'E']), "{text} has an exponent");
    let value = Decimal::from_str_exact(&text);
    prop_assert!(value.is_ok(), "{text} is not an exact decimal");
    let value = value.unwrap_or_default();
    prop_assert_eq!(value.normalize().to_string(), text.clone(), "{} is not written as its decimal", text);
    Ok(value)
}

/// Every number anywhere in `v`, checked by [`exact`].
fn all_numbers_exact(v: &Value) -> Result<(), TestCaseError> {
    match v {
        Value::Number(_) => exact(v).map(|_| ()),
        Value::Array(items) => items.iter().try_for_each(all_numbers_exact),
        Value::Object(map) => map.values().try_for_each(all_numbers_exact),
        _ => Ok(()),
    }
}

/// Components billed per hour of task time: they scale with the count.
const PER_HOUR: [&str; 4] = ["vcpu", "memory", "ephemeral_storage", "os_license"];

/// `(item, component, detail)` → `(quantity, cost)` of every line.
/// `(item, component, detail)`.
type LineKey = (String, String, String);

fn lines(report: &Value) -> Result<BTreeMap<LineKey, (Decimal, Decimal)>, TestCaseError> {
    let mut map = BTreeMap::new();
    for item in report["items"].as_array().unwrap() {
        for line in item["lines"].as_array().unwrap() {
            let key = (
                item["name"].as_str().unwrap().to_owned(),
                line["component"].as_str().unwrap().to_owned(),
                line["detail"].as_str().unwrap_or("").to_owned(),
            );
            let before = map.insert(key.clone(), (exact(&line["quantity"])?, exact(&line["cost"])?));
            prop_assert!(before.is_none(), "two lines {key:?}");
        }
    }
    Ok(map)
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn totals_are_exact_sums_and_numbers_are_plain_decimals(w in workload()) {
        let report = price(&w.toml(1), w.free_data_transfer);
        all_numbers_exact(&report)?;
        let mut items_sum = Decimal::ZERO;
        for item in report["items"].as_array().unwrap() {
            let mut lines_sum = Decimal::ZERO;
            for line in item["lines"].as_array().unwrap() {
                let cost = exact(&line["cost"])?;
                prop_assert!(cost >= Decimal::ZERO, "{line}");
                if PER_HOUR.contains(&line["component"].as_str().unwrap()) {
                    // With hours of at most two decimals nothing needs rounding: the cost is the
                    // quantity at the rate, exactly.
                    prop_assert_eq!(cost, exact(&line["quantity"])? * exact(&line["rate"])?, "{}", line);
                }
                lines_sum += cost;
            }
            prop_assert_eq!(exact(&item["total"])?, lines_sum, "item {}", item["name"]);
            items_sum += lines_sum;
        }
        prop_assert_eq!(exact(&report["total"])?, items_sum);
        let items = report["items"].as_array().unwrap().len();
        prop_assert_eq!(items, w.services.len() + w.clusters.len() + w.repositories.len());
    }

    #[test]
    fn doubling_every_count_doubles_every_per_hour_line(w in workload()) {
        let once = lines(&price(&w.toml(1), w.free_data_transfer))?;
        let twice = lines(&price(&w.toml(2), w.free_data_transfer))?;
        prop_assert_eq!(once.keys().collect::<Vec<_>>(), twice.keys().collect::<Vec<_>>());
        for (key, (quantity, cost)) in &once {
            let (quantity2, cost2) = twice[key];
            if PER_HOUR.contains(&key.1.as_str()) {
                prop_assert_eq!(quantity2, quantity * Decimal::TWO, "{:?}", key);
                prop_assert_eq!(cost2, cost * Decimal::TWO, "{:?}", key);
            } else {
                // Data transfer is the service's whole amount; clusters and repositories have no
                // count.
                prop_assert_eq!((quantity2, cost2), (*quantity, *cost), "{:?}", key);
            }
        }
    }
}
