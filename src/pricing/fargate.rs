//! What Fargate offers and how it rounds: valid task sizes, the included storage, and the
//! per-run billing minimums.
//!
//! Sizes: ECS `RegisterTaskDefinition` `memory` documentation (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html>). Billing: "rounded up to
//! the nearest second", "Linux: 1-minute minimum; Windows: 5-minute minimum", 20 GB of ephemeral
//! storage included (<https://aws.amazon.com/fargate/pricing/>).
//!
//! The pricing page also shows 32 vCPU sizes, but the API documentation does not list them and
//! only three memory values were seen, so they are not offered here (README, "Billing rules").

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::model::{Os, RunTime, Size};
use crate::money::{self, Overflow};

pub use crate::model::INCLUDED_STORAGE_GB;
/// The most ephemeral storage a task may have, in GB (`ephemeralStorage.sizeInGiB` 21..200).
pub const MAX_STORAGE_GB: Decimal = dec!(200);
/// The most ephemeral storage an EKS pod on Fargate may have, in GB: "up to 175 GiB"
/// (<https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html>).
pub const MAX_EKS_STORAGE_GB: Decimal = dec!(175);

const UNITS_PER_VCPU: u32 = 1024;
const MIB_PER_GB: u32 = 1024;

/// The memory choices of a CPU-units row, in MiB: `(smallest, largest, step)`; the 256-unit row
/// (512, 1024, 2048 MiB) is the one that is not evenly spaced.
fn memory_row_mib(cpu_units: u32) -> Option<(u32, u32, u32)> {
    Some(match cpu_units {
        512 => (1024, 4096, 1024),
        1024 => (2048, 8192, 1024),
        2048 => (4096, 16384, 1024),
        4096 => (8192, 30720, 1024),
        8192 => (16384, 61440, 4096),
        16384 => (32768, 122_880, 8192),
        _ => return None,
    })
}

/// The memory choices of a CPU-units row, in MiB, ascending; nothing allocated (a rounded-up
/// `--batch` line walks these rows).
fn memory_choices_mib(cpu_units: u32) -> impl Iterator<Item = u32> {
    let row = memory_row_mib(cpu_units);
    let quarter: &'static [u32] = if row.is_none() && cpu_units == 256 { &[512, 1024, 2048] } else { &[] };
    row.into_iter()
        .flat_map(|(min, max, step)| (min..=max).step_by(step as usize))
        .chain(quarter.iter().copied())
}

/// Whether Fargate offers `mib` with `cpu_units`: [`memory_choices_mib`] without building it.
fn offers_memory_mib(cpu_units: u32, mib: u32) -> bool {
    match memory_row_mib(cpu_units) {
        Some((min, max, step)) => (min..=max).contains(&mib) && (mib - min).is_multiple_of(step),
        None => cpu_units == 256 && matches!(mib, 512 | 1024 | 2048),
    }
}

fn cpu_choices(os: Os) -> &'static [u32] {
    match os {
        Os::Linux => &[256, 512, 1024, 2048, 4096, 8192, 16384],
        // Windows tasks need at least 1 vCPU and go up to 4 vCPU / 30 GB (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size>).
        Os::Windows => &[1024, 2048, 4096],
    }
}

/// `units / per` (`per` a power of two up to 1024) as an exact `Decimal` without trailing zeros:
/// `units × 10^k / per` is whole for some `k` of at most 10.
fn units_to_decimal(units: u32, per: u32) -> Decimal {
    let mut scaled = u64::from(units);
    let mut scale = 0;
    while !scaled.is_multiple_of(u64::from(per)) && scale < 10 {
        scaled *= 10;
        scale += 1;
    }
    Decimal::from_i128_with_scale(i128::from(scaled / u64::from(per)), scale)
}

/// `value × per` in whole units, rounded down, and whether that is exact (0.2500001 vCPU is not
/// 256 CPU units); a negative value as 0. In integers: the mantissa has at most 96 bits and `per`
/// at most 11, and the scale is at most 28, so nothing overflows a `u128`.
fn scaled_units(value: Decimal, per: u32) -> (u128, bool) {
    if value.is_sign_negative() {
        return (0, true);
    }
    let product = value.mantissa().unsigned_abs() * u128::from(per);
    let power = 10u128.pow(value.scale());
    (product / power, product.is_multiple_of(power))
}

/// Every size Fargate offers for `os` in (CPU units, MiB), ascending by CPU then memory.
fn offered_units(os: Os) -> impl Iterator<Item = (u32, u32)> {
    cpu_choices(os).iter().flat_map(|&cpu| memory_choices_mib(cpu).map(move |mib| (cpu, mib)))
}

fn size_of_units((cpu, mib): (u32, u32)) -> Size {
    Size { vcpu: units_to_decimal(cpu, UNITS_PER_VCPU), memory_gb: units_to_decimal(mib, MIB_PER_GB) }
}

/// Every size Fargate offers for `os`, ascending by vCPU then memory.
pub fn offered(os: Os) -> impl Iterator<Item = Size> {
    offered_units(os).map(size_of_units)
}

/// A size Fargate does not offer, with what it does offer nearby.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SizeError {
    #[error(
        "Fargate does not offer {vcpu} vCPU{}; valid vCPU: {}",
        os_note(*.os), list(.valid)
    )]
    Vcpu { vcpu: Decimal, os: Os, valid: Vec<Decimal>, fits: Size },
    #[error(
        "Fargate does not offer {vcpu} vCPU with {memory_gb} GB{}; valid memory for {vcpu} vCPU: {} GB",
        os_note(*.os), list(.valid)
    )]
    Memory { vcpu: Decimal, memory_gb: Decimal, os: Os, valid: Vec<Decimal>, fits: Size },
    #[error(
        "Fargate needs a task-level cpu and memory, and the task definition states no task-level \
         size; its containers add up to {containers}"
    )]
    NoTaskSize { containers: Size, fits: Size },
    #[error("no Fargate size{} fits {wanted}; the largest is {largest}", os_note(*.os))]
    TooLarge { wanted: Size, os: Os, largest: Size },
}

fn os_note(os: Os) -> &'static str {
    match os {
        Os::Linux => "",
        Os::Windows => " for Windows",
    }
}

fn list(values: &[Decimal]) -> String {
    values.iter().map(|v| v.normalize().to_string()).collect::<Vec<_>>().join(", ")
}

impl SizeError {
    /// The smallest offered size that fits, when there is one.
    pub fn fits(&self) -> Option<Size> {
        match self {
            SizeError::Vcpu { fits, .. }
            | SizeError::Memory { fits, .. }
            | SizeError::NoTaskSize { fits, .. } => Some(*fits),
            SizeError::TooLarge { .. } => None,
        }
    }

    /// What would price it anyway: rounding up, or (too large) the EC2 launch type.
    pub fn fix(&self) -> String {
        match self {
            SizeError::Vcpu { fits, .. }
            | SizeError::Memory { fits, .. }
            | SizeError::NoTaskSize { fits, .. } => {
                format!("--round-up (round_up = true) bills the smallest size that fits: {fits}")
            }
            SizeError::TooLarge { largest, .. } => {
                format!("the largest Fargate size is {largest}: price it on the EC2 launch type")
            }
        }
    }
}

/// Accepts `size` if Fargate offers it for `os`; otherwise says what it does offer.
pub fn check(size: Size, os: Os) -> Result<Size, SizeError> {
    // The common case, in whole CPU units and MiB: no allocation, no `Decimal` arithmetic. The
    // size billed is the offered one, so without the request's trailing zeros.
    let whole = |value: Decimal, per: u32| match scaled_units(value, per) {
        (units, true) => u32::try_from(units).ok(),
        (_, false) => None,
    };
    if let (Some(cpu), Some(mib)) = (whole(size.vcpu, UNITS_PER_VCPU), whole(size.memory_gb, MIB_PER_GB))
        && cpu_choices(os).contains(&cpu)
        && offers_memory_mib(cpu, mib)
    {
        return Ok(size_of_units((cpu, mib)));
    }
    let size = Size { vcpu: size.vcpu.normalize(), memory_gb: size.memory_gb.normalize() };
    let Some(fits) = smallest_fitting(size, os) else { return Err(too_large(size, os)) };
    let rows: Vec<Decimal> = cpu_choices(os).iter().map(|&c| units_to_decimal(c, UNITS_PER_VCPU)).collect();
    if rows.contains(&size.vcpu) {
        let valid = offered(os).filter(|s| s.vcpu == size.vcpu).map(|s| s.memory_gb).collect();
        Err(SizeError::Memory { vcpu: size.vcpu, memory_gb: size.memory_gb, os, valid, fits })
    } else {
        Err(SizeError::Vcpu { vcpu: size.vcpu, os, valid: rows, fits })
    }
}

fn too_large(wanted: Size, os: Os) -> SizeError {
    let largest = offered(os).last().expect("every OS offers at least one size");
    SizeError::TooLarge { wanted, os, largest }
}

/// The smallest size Fargate offers for `os` with at least `wanted`'s vCPU and memory. Sizes are
/// ordered by vCPU, then memory; since every larger vCPU row starts at no less memory, this is
/// also the cheapest size that fits.
pub fn smallest_fitting(wanted: Size, os: Os) -> Option<Size> {
    // Offered sizes are whole CPU units and MiB, so compare with the request rounded up to those.
    let units = |value: Decimal, per: u32| {
        let (down, exact) = scaled_units(value, per);
        u32::try_from(down + u128::from(!exact)).ok()
    };
    let (cpu, mib) = (units(wanted.vcpu, UNITS_PER_VCPU)?, units(wanted.memory_gb, MIB_PER_GB)?);
    offered_units(os).find(|&(c, m)| c >= cpu && m >= mib).map(size_of_units)
}

/// Like [`check`], but bills the smallest offered size that fits instead of rejecting.
pub fn round_up(wanted: Size, os: Os) -> Result<Size, SizeError> {
    smallest_fitting(wanted, os).ok_or_else(|| too_large(wanted, os))
}

/// The minimum billed time of one run, in seconds.
pub fn minimum_seconds(os: Os) -> Decimal {
    match os {
        Os::Linux => dec!(60),
        Os::Windows => dec!(300),
    }
}

/// Seconds billed for one run: rounded up to the whole second, at least the OS's minimum.
pub fn billed_seconds(run_time: RunTime, os: Os) -> Result<Decimal, Overflow> {
    Ok(run_seconds(run_time)?.ceil().max(minimum_seconds(os)))
}

/// The length of one run in seconds, exactly as given.
pub fn run_seconds(run_time: RunTime) -> Result<Decimal, Overflow> {
    Ok(match run_time {
        RunTime::Hours(h) => {
            money::product("the run time in seconds (--hours or --minutes)", &[h, dec!(3600)])?
        }
        RunTime::Minutes(m) => {
            money::product("the run time in seconds (--hours or --minutes)", &[m, dec!(60)])?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn size(vcpu: &str, gb: &str) -> Size {
        Size { vcpu: d(vcpu), memory_gb: d(gb) }
    }

    #[test]
    fn linux_offers_the_documented_table() {
        // The task-size table of the ECS task definition parameters: 3 + 4 + 7 + 13 + 23 + 12 + 12
        // combinations (docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html).
        assert_eq!(offered(Os::Linux).count(), 3 + 4 + 7 + 13 + 23 + 12 + 12);
        for ok in [
            ("0.25", "0.5"),
            ("0.25", "2"),
            ("0.5", "4"),
            ("1", "8"),
            ("4", "30"),
            ("8", "60"),
            ("8", "20"),
            ("16", "120"),
            ("16", "40"),
        ] {
            assert!(check(size(ok.0, ok.1), Os::Linux).is_ok(), "{ok:?}");
        }
        for bad in [
            ("0.25", "1.5"),
            ("0.5", "0.5"),
            ("1", "1"),
            ("4", "31"),
            ("8", "18"),
            ("16", "36"),
            ("0.3", "1"),
            ("3", "8"),
        ] {
            assert!(check(size(bad.0, bad.1), Os::Linux).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn windows_needs_at_least_one_vcpu_and_tops_out_at_four() {
        assert!(check(size("1", "2"), Os::Windows).is_ok());
        assert!(check(size("4", "30"), Os::Windows).is_ok());
        assert!(check(size("0.5", "2"), Os::Windows).is_err());
        assert!(matches!(check(size("8", "16"), Os::Windows), Err(SizeError::TooLarge { .. })));
    }

    #[test]
    fn invalid_memory_names_the_valid_values_and_the_round_up() {
        let err = check(size("1", "1.5"), Os::Linux).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Fargate does not offer 1 vCPU with 1.5 GB; valid memory for 1 vCPU: 2, 3, 4, 5, 6, 7, 8 GB"
        );
        assert_eq!(
            err.fix(),
            "--round-up (round_up = true) bills the smallest size that fits: 1 vCPU / 2 GB"
        );
        let err = check(size("0.3", "1"), Os::Linux).unwrap_err();
        assert!(err.to_string().contains("valid vCPU: 0.25, 0.5, 1, 2, 4, 8, 16"), "{err}");
        assert_eq!(err.fits(), Some(size("0.5", "1")));
        let err = check(size("32", "1"), Os::Linux).unwrap_err();
        assert_eq!(
            err.fix(),
            "the largest Fargate size is 16 vCPU / 120 GB: price it on the EC2 launch type"
        );
    }

    #[test]
    fn trailing_zeros_do_not_matter() {
        assert_eq!(check(size("1.00", "2.0"), Os::Linux), Ok(size("1", "2")));
        // What is billed is the offered size, written without them (`Decimal` equality ignores
        // the scale, so compare the text).
        let billed = check(size("0.250", "2.000"), Os::Linux).unwrap();
        assert_eq!((billed.vcpu.to_string(), billed.memory_gb.to_string()), ("0.25".into(), "2".into()));
    }

    #[test]
    fn only_whole_cpu_units_and_mib_are_offered() {
        for (vcpu, gb) in
            [("0.2500001", "0.5"), ("0.25", "0.5000001"), ("0.2500000000000000000000000001", "1")]
        {
            assert!(check(size(vcpu, gb), Os::Linux).is_err(), "{vcpu} / {gb}");
        }
        // 28 decimal places, a mantissa beyond 64 bits: rounds up to the next whole unit.
        assert_eq!(round_up(size("0.2500000000000000000000000001", "1"), Os::Linux), Ok(size("0.5", "1")));
        assert_eq!(round_up(size("-1", "-1"), Os::Linux), Ok(size("0.25", "0.5")));
        assert_eq!(check(size("-0.25", "0.5"), Os::Linux).map_err(|_| ()), Err(()));
    }

    #[test]
    fn the_memory_check_agrees_with_the_memory_lists() {
        for &cpu in cpu_choices(Os::Linux).iter().chain(&[0, 128, 300, 32768]) {
            let listed: Vec<u32> = memory_choices_mib(cpu).collect();
            for mib in (0..=131_072).step_by(128) {
                assert_eq!(offers_memory_mib(cpu, mib), listed.contains(&mib), "{cpu} units, {mib} MiB");
            }
        }
    }

    #[test]
    fn offered_sizes_are_exact_and_without_trailing_zeros() {
        for (units, per, text) in [
            (256, 1024, "0.25"),
            (512, 1024, "0.5"),
            (16384, 1024, "16"),
            (1536, 1024, "1.5"),
            (1, 1024, "0.0009765625"),
        ] {
            assert_eq!(units_to_decimal(units, per).to_string(), text);
        }
    }

    #[test]
    fn round_up_picks_the_smallest_fit() {
        assert_eq!(round_up(size("0.25", "0.75"), Os::Linux), Ok(size("0.25", "1")));
        assert_eq!(round_up(size("0.25", "2.25"), Os::Linux), Ok(size("0.5", "3")));
        assert_eq!(round_up(size("3", "1"), Os::Linux), Ok(size("4", "8")));
        assert_eq!(round_up(size("8", "61"), Os::Linux), Ok(size("16", "64")));
        assert!(round_up(size("16", "121"), Os::Linux).is_err());
    }

    #[test]
    fn seconds_round_up_with_minimums() {
        assert_eq!(billed_seconds(RunTime::Minutes(d("10")), Os::Linux), Ok(d("600")));
        assert_eq!(billed_seconds(RunTime::Minutes(d("0.5")), Os::Linux), Ok(d("60")));
        assert_eq!(billed_seconds(RunTime::Minutes(d("2")), Os::Windows), Ok(d("300")));
        assert_eq!(billed_seconds(RunTime::Hours(d("0.0001")), Os::Linux), Ok(d("60")));
        assert_eq!(billed_seconds(RunTime::Minutes(d("1.001")), Os::Linux), Ok(d("61")));
        assert_eq!(billed_seconds(RunTime::Hours(d("730")), Os::Linux), Ok(d("2628000")));
    }
}
