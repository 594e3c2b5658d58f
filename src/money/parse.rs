//! Reading numbers exactly: a plain decimal, a JSON number (exponents allowed), or a float only
//! when its binary value is the decimal it was written as.

use std::str::FromStr;

use rust_decimal::Decimal;

/// Why a piece of text is not a plain decimal number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("expected a decimal number such as 0.25, got an empty value")]
    Empty,
    #[error("expected a decimal number such as 0.25, got `{0}`")]
    Syntax(String),
    #[error("`{0}` has more digits than can be kept exactly (at most 28 significant digits)")]
    TooPrecise(String),
}

/// Parses a plain decimal (`730`, `0.25`, `-1.5`) exactly. Exponents, `NaN`, `inf`, separators and
/// anything that would need rounding to fit a `Decimal` are rejected.
pub fn parse_decimal(text: &str) -> Result<Decimal, NumberError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(NumberError::Empty);
    }
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = !(whole.is_empty() && frac.is_empty())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (!digits.ends_with('.'));
    if !well_formed {
        return Err(NumberError::Syntax(t.to_owned()));
    }
    Decimal::from_str_exact(t).map_err(|_| NumberError::TooPrecise(t.to_owned()))
}

/// Parses a number as JSON writes it (exponents allowed: `1e3`, `2.5E-1`), exactly.
pub fn parse_json_number(text: &str) -> Result<Decimal, NumberError> {
    match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => {
            let plain =
                shift_point(mantissa, exponent).ok_or_else(|| NumberError::TooPrecise(text.to_owned()))?;
            let value = parse_decimal(&plain).map_err(|e| match e {
                NumberError::TooPrecise(_) => NumberError::TooPrecise(text.to_owned()),
                other => other,
            })?;
            Ok(value.normalize())
        }
        None => parse_decimal(text),
    }
}

/// `mantissa × 10^exponent` written as a plain decimal (`2.5`, `-1` → `0.25`), so that it is read
/// by the same exact reader as any other number and refused, not rounded, when it needs more
/// digits than a `Decimal` holds (`4.99999999999999999999999999999e0` is not 5). `None` for an
/// exponent beyond what a `Decimal` could ever hold.
fn shift_point(mantissa: &str, exponent: &str) -> Option<String> {
    const MAX_EXPONENT: i64 = 64;
    let exponent: i64 = exponent.parse().ok().filter(|e: &i64| e.abs() <= MAX_EXPONENT)?;
    let (sign, digits) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let all = format!("{whole}{fraction}");
    // Where the point goes in `all`, counted from its start.
    let point = i64::try_from(whole.len()).ok()? + exponent;
    let text = if point <= 0 {
        format!("{sign}0.{}{all}", "0".repeat(usize::try_from(-point).ok()?))
    } else {
        let point = usize::try_from(point).ok()?;
        if point >= all.len() {
            format!("{sign}{all}{}", "0".repeat(point - all.len()))
        } else {
            format!("{sign}{}.{}", &all[..point], &all[point..])
        }
    };
    Some(text)
}

/// The decimal a binary64 float holds, when that value is exactly the shortest decimal that prints
/// as it (`0.5`, `0.25`, `730.0`); `None` for `0.1`, `1.1`, `0.04048`, non-finite values and values
/// beyond `Decimal`'s range. Such a float is a rounded approximation of what was written, so it is
/// refused rather than silently changed.
pub fn exact_from_f64(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    // Rust prints the shortest decimal that reads back as the same float.
    let shortest = Decimal::from_str(&format!("{value}")).ok()?.normalize();
    // That decimal m / 10^s is a binary fraction iff 5^s divides m; with m / 5^s below 2^53 it is
    // representable in binary64 and hence equal to `value`.
    let mantissa = shortest.mantissa().unsigned_abs();
    let five_pow = 5u128.checked_pow(shortest.scale())?;
    (mantissa % five_pow == 0 && mantissa / five_pow < (1u128 << 53)).then_some(shortest)
}
