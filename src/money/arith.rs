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

/// `a × b`, or `None` when it overflows or loses digits: `Decimal` multiplication keeps 96 bits
/// and 28 places by rounding the product, so `1.23e-15 × 4.56e-16` would silently be 0. An exact
/// product has the factors' places together; where it has fewer, the factors are tried without
/// their trailing zeros, and a product that still needs rounding is refused (also in the rare case
/// where the digits rounded away were zeros: `0.5 × 2e-28`).
fn exact_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    if a.is_zero() || b.is_zero() {
        return Some(Decimal::ZERO);
    }
    let product = a.checked_mul(b)?;
    if product.scale() == a.scale() + b.scale() {
        return Some(product);
    }
    let (a, b) = (a.normalize(), b.normalize());
    let product = a.checked_mul(b)?;
    (product.scale() == a.scale() + b.scale()).then_some(product)
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
