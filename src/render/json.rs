//! JSON, schema version 1: written by `serde_json`. Every money and quantity value is the exact
//! Decimal's digits, through the one serialisation of a `Decimal` there is
//! ([`crate::money::json_number`]); nothing is ever a float.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::money::Plain;
use crate::report::{Billed, Budget, Item, ItemKind, Line};

/// Why JSON could not be written (only a serializer can fail, and only on a fault of the
/// in-memory writer).
pub type Error = serde_json::Error;

/// Pretty JSON (two-space indents) with a final newline: every `--format json` output.
pub(crate) fn pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

/// Appends `value` as compact JSON (one line, no final newline) to `out`: a `--batch` line.
pub(crate) fn compact<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    serde_json::to_writer(out, value)
}

/// `--batch`'s fast path: a Fargate or EKS task item (what a batch line prices) as compact JSON,
/// the bytes [`compact`] writes for it, field by field: keys and enum names as constants, numbers
/// as [`Plain`] digits, text through `serde_json`'s escaping. It makes `--batch` 25% faster
/// (docs/performance.md); a test compares it with [`compact`] on every kind of task item. The
/// patterns name every field, so a field added to these types stops the build until it is written
/// here too. Other items go through [`compact`].
pub(crate) fn batch_item(item: &Item, out: &mut Vec<u8>) -> Result<(), Error> {
    let Item { name, kind, lines, total, notes, budget } = item;
    let ItemKind::Task { launch_type, platform, billed, packing: None } = kind else {
        return compact(item, out);
    };
    let Billed { vcpu, memory_gb, seconds_per_run, runs, count, arch, os, pricing, ephemeral_storage_gb } =
        billed;
    let number = |out: &mut Vec<u8>, value: &Decimal| out.extend_from_slice(Plain::new(*value).as_bytes());
    let name_of = |out: &mut Vec<u8>, name: &str| {
        out.push(b'"');
        out.extend_from_slice(name.as_bytes());
        out.push(b'"');
    };
    out.extend_from_slice(b"{\"name\":");
    serde_json::to_writer(&mut *out, name)?;
    out.extend_from_slice(b",\"kind\":\"task\",\"launch_type\":");
    name_of(out, launch_type.as_str());
    out.extend_from_slice(b",\"platform\":");
    name_of(out, platform.as_str());
    out.extend_from_slice(b",\"billed\":{\"vcpu\":");
    number(out, vcpu);
    out.extend_from_slice(b",\"memory_gb\":");
    number(out, memory_gb);
    out.extend_from_slice(b",\"seconds_per_run\":");
    number(out, seconds_per_run);
    out.extend_from_slice(b",\"runs\":");
    out.extend_from_slice(itoa::Buffer::new().format(*runs).as_bytes());
    out.extend_from_slice(b",\"count\":");
    out.extend_from_slice(itoa::Buffer::new().format(*count).as_bytes());
    out.extend_from_slice(b",\"arch\":");
    name_of(out, arch.as_str());
    out.extend_from_slice(b",\"os\":");
    name_of(out, os.as_str());
    out.extend_from_slice(b",\"pricing\":");
    name_of(out, pricing.as_str());
    out.extend_from_slice(b",\"ephemeral_storage_gb\":");
    number(out, ephemeral_storage_gb);
    out.extend_from_slice(b"},\"lines\":[");
    for (i, line) in lines.iter().enumerate() {
        let Line { component, quantity, rate, cost, detail, rates } = line;
        out.extend_from_slice(if i == 0 { b"{\"component\":" } else { b",{\"component\":" });
        name_of(out, component.key());
        out.extend_from_slice(b",\"quantity\":");
        number(out, quantity);
        out.extend_from_slice(b",\"unit\":");
        name_of(out, component.unit());
        out.extend_from_slice(b",\"rate\":");
        number(out, rate);
        out.extend_from_slice(b",\"cost\":");
        number(out, cost);
        out.extend_from_slice(b",\"detail\":");
        serde_json::to_writer(&mut *out, detail)?;
        out.extend_from_slice(b",\"rates\":");
        match rates {
            Some(section) => name_of(out, section),
            None => out.extend_from_slice(b"null"),
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"total\":");
    number(out, total);
    out.extend_from_slice(b",\"notes\":");
    serde_json::to_writer(&mut *out, notes)?;
    if let Some(Budget { limit, exceeded }) = budget {
        out.extend_from_slice(b",\"budget\":{\"limit\":");
        number(out, limit);
        out.extend_from_slice(if *exceeded { b",\"exceeded\":true}" } else { b",\"exceeded\":false}" });
    }
    out.push(b'}');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::JsonNumber;

    #[test]
    fn numbers_are_bare_digits() {
        let mut out = Vec::new();
        let numbers = [
            Decimal::new(4048, 5),
            Decimal::new(-30, 1),
            Decimal::from_parts(0, 0, 0, true, 3),
            Decimal::new(14600, 1),
        ];
        compact(&numbers.map(JsonNumber), &mut out).unwrap();
        // The digits of the Decimal without its trailing zeros (and no sign on zero); never a
        // float's rendering.
        assert_eq!(out, b"[0.04048,-3,0,1460]");
        let pretty = pretty(&[JsonNumber(Decimal::new(1, 28))]).unwrap();
        assert_eq!(pretty, "[\n  0.0000000000000000000000000001\n]\n");
    }

    /// The fast path writes what `serde_json` writes for every kind of task item a batch line gives:
    /// Linux, Windows, arm64, Spot, EKS, rounded up, extra storage, data transfer over the tiers,
    /// a budget, runs and counts, and names and notes that need escaping.
    #[test]
    fn batch_items_are_what_serde_json_writes() {
        use crate::model::{Arch, Os, Platform, Pricing, RunTime, Size, Task};
        use crate::pricing::{Options, price_task};
        let d = |text: &str| text.parse::<Decimal>().unwrap();
        let table = crate::rates::fixture::table("us-east-1");
        let base = Task::new("say \"hi\"\n\u{1}\\ é", Size { vcpu: d("1"), memory_gb: d("2") });
        let mut tasks = vec![base.clone()];
        for change in 0..8 {
            let mut task = base.clone();
            match change {
                0 => (task.os, task.size.vcpu, task.size.memory_gb) = (Os::Windows, d("2"), d("4")),
                1 => task.arch = Arch::Arm64,
                2 => (task.pricing, task.count, task.runs) = (Pricing::Spot, 3, 30),
                3 => {
                    (task.platform, task.size.vcpu, task.size.memory_gb) =
                        (Platform::Eks, d("0.25"), d("0.5"));
                }
                4 => (task.round_up, task.size.memory_gb) = (true, d("2.5")),
                5 => task.ephemeral_storage_gb = d("50.5"),
                6 => task.data_transfer_gb = d("204800.25"),
                _ => task.run_time = RunTime::Minutes(d("1.5")),
            }
            tasks.push(task);
        }
        for task in &tasks {
            let item = price_task(task, &table, Options::default()).unwrap();
            for item in [item.clone(), item.with_budget(Some(d("0.001")))] {
                let (mut fast, mut serde) = (Vec::new(), Vec::new());
                batch_item(&item, &mut fast).unwrap();
                compact(&item, &mut serde).unwrap();
                assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(serde).unwrap());
            }
        }
    }
}
