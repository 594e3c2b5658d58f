//! Checked arithmetic on exact decimals: an overflow, or digits a `Decimal` cannot keep, is an
//! error naming what was being computed, never a rounded result.

use rust_decimal::Decimal;

/// Arithmetic left the range `Decimal` can hold exactly (about 7.9e28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the numbers are too large to price exactly (overflow or lost digits while computing {0})")]
pub struct Overflow(pub &'static str);

/// The product of `factors`, or [`Overflow`] naming `what` was being computed.
pub fn product(what: &'static str, factors: &[Decimal]) -> Result<Decimal, Overflow> {
    factors.iter().try_fold(Decimal::ONE, |acc, f| acc.checked_mul(*f)).ok_or(Overflow(what))
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
