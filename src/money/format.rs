//! Money and quantities as people read them: the one rounding of money in the crate (half away
//! from zero, to cents, at display). Every other decimal shown (a JSON number, a note's figures) is
//! `Decimal::normalize`'s display: its digits without trailing zeros.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds for display: half away from zero, to cents. The only rounding of money in the crate.
pub fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Formats an amount for people: `$1,234.57`, `-$0.50`.
pub fn format_usd(amount: Decimal) -> String {
    let rounded = round_cents(amount);
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() { "-" } else { "" };
    let text = format!("{:.2}", rounded.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, "00"));
    format!("{sign}${}.{frac}", group_thousands(whole))
}

/// Formats a limit someone set (a budget, a `--max-increase`): as [`format_usd`] when cents show it
/// exactly, else with all its digits (`$0.001`, not `$0.00`), so the verdict never reads as a
/// limit of zero.
pub fn format_limit(limit: Decimal) -> String {
    if round_cents(limit) == limit {
        return format_usd(limit);
    }
    let digits = limit.abs().normalize().to_string();
    let (whole, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let sign = if limit < Decimal::ZERO { "-" } else { "" };
    format!("{sign}${}.{frac}", group_thousands(whole))
}

/// Formats a quantity for people: at most `dp` decimal places (half away from zero), no trailing
/// zeros, thousands grouped.
pub fn format_quantity(value: Decimal, dp: u32) -> String {
    let shown = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero).normalize();
    let text = shown.abs().to_string();
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text.as_str(), None),
    };
    let sign = if shown.is_sign_negative() { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{}.{f}", group_thousands(whole)),
        None => format!("{sign}{}", group_thousands(whole)),
    }
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
