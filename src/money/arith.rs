//! Checked arithmetic on exact decimals: an overflow, or digits a `Decimal` cannot keep, is an
//! error naming what was being computed, never a rounded result.

use rust_decimal::Decimal;

/// Arithmetic left the range `Decimal` can hold exactly (about 7.9e28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the numbers are too large to price exactly (overflow or lost digits while computing {0})")]
pub struct Overflow(pub &'static str);

/// The exact product of `factors`, or [`Overflow`] naming `what` was being computed.
pub fn product(what: &'static str, factors: &[Decimal]) -> Result<Decimal, Overflow> {
    factors.iter().try_fold(Decimal::ONE, |acc, f| exact_mul(acc, *f)).ok_or(Overflow(what))
}

/// `a × b`, or `None` when `Decimal` cannot hold it exactly. `Decimal` multiplication keeps 96
/// bits and 28 places by rounding the product (`1.23e-15 × 4.56e-16` would silently be 0), so the
/// product is made here from the mantissas' product in 128 bits, exact by construction, with the
/// places added; trailing zeros are dropped only while it does not fit.
fn exact_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    if a.is_zero() || b.is_zero() {
        return Some(Decimal::ZERO);
    }
    // Factors with many trailing zeros can overflow 128 bits before they are dropped.
    mantissa_product(a, b).or_else(|| mantissa_product(a.normalize(), b.normalize()))
}

fn mantissa_product(a: Decimal, b: Decimal) -> Option<Decimal> {
    let mut mantissa = a.mantissa().unsigned_abs().checked_mul(b.mantissa().unsigned_abs())?;
    let mut scale = a.scale() + b.scale();
    let fits = |mantissa: u128, scale: u32| mantissa < 1 << 96 && scale <= Decimal::MAX_SCALE;
    // A separate loop, so that the nearly always skipped division by 10 is not computed anyway.
    if !fits(mantissa, scale) {
        while !fits(mantissa, scale) && scale > 0 && mantissa.is_multiple_of(10) {
            mantissa /= 10;
            scale -= 1;
        }
    }
    let negative = a.is_sign_negative() != b.is_sign_negative();
    let signed = i128::try_from(mantissa).ok()?;
    Decimal::try_from_i128_with_scale(if negative { -signed } else { signed }, scale).ok()
}

/// The exact sum of `terms`, or [`Overflow`] naming `what` was being computed.
pub fn sum<I: IntoIterator<Item = Decimal>>(what: &'static str, terms: I) -> Result<Decimal, Overflow> {
    terms.into_iter().try_fold(Decimal::ZERO, exact_add).ok_or(Overflow(what))
}

/// `a + b`, or `None` when it overflows or loses digits: `Decimal` addition keeps 96 bits of
/// mantissa by rounding away decimal places, so a sum near 1e27 of amounts with cents would
/// silently drop them. Only when the scale fell is there anything to check.
fn exact_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let sum = a.checked_add(b)?;
    let kept = sum.scale();
    let lost = |x: Decimal| x.scale() > kept && x.round_dp(kept) != x;
    if lost(a) || lost(b) { None } else { Some(sum) }
}

/// `a / b`, or [`Overflow`] (also for a zero divisor, which callers never pass).
pub fn div(what: &'static str, a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_div(b).ok_or(Overflow(what))
}

/// `a / b` when the quotient is exact (`b × quotient` is `a` again), else [`Overflow`]: for unit
/// conversions (CPU units to vCPU, MiB to GB), whose results always terminate but can need more
/// digits than a `Decimal` keeps.
pub fn exact_div(what: &'static str, a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    let quotient = div(what, a, b)?;
    (product(what, &[quotient, b])? == a).then_some(quotient).ok_or(Overflow(what))
}
