//! Exact decimal helpers for the money path: reading numbers without loss, checked arithmetic,
//! and the one rounding that happens, for display.
//!
//! No binary floating point is used for arithmetic anywhere in the crate (`clippy::float_arithmetic`
//! is denied). A TOML float is accepted only when its binary value *is* the decimal it was written as
//! (see [`exact_from_f64`]).

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// Arithmetic left the range `Decimal` can hold exactly (about 7.9e28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the numbers are too large to price exactly (overflow or lost digits while computing {0})")]
pub struct Overflow(pub &'static str);

/// The product of `factors`, or [`Overflow`] naming `what` was being computed. In integers when
/// the mantissas' product fits 96 bits with the scales summing to at most 28: exactly what
/// `Decimal` multiplication gives then (same digits, same scale), for a fraction of its cost.
pub fn product(what: &'static str, factors: &[Decimal]) -> Result<Decimal, Overflow> {
    if let Some(exact) = integer_product_decimal(factors) {
        return Ok(exact);
    }
    factors.iter().try_fold(Decimal::ONE, |acc, f| acc.checked_mul(*f)).ok_or(Overflow(what))
}

/// [`product`]'s integer path alone: `None` where it would go to `Decimal` (a zero product, which
/// `Decimal` gives scale 0, or one that does not fit).
pub(crate) fn integer_product_decimal(factors: &[Decimal]) -> Option<Decimal> {
    integer_product(factors).filter(|(m, _, _)| *m != 0).and_then(|(mantissa, scale, negative)| {
        let signed = i128::try_from(mantissa).ok()?;
        Decimal::try_from_i128_with_scale(if negative { -signed } else { signed }, scale).ok()
    })
}

/// The factors' mantissas multiplied, with the scales' sum and the sign, when the product fits 96
/// bits and the scale is at most 28, so that `Decimal` holds it exactly.
fn integer_product(factors: &[Decimal]) -> Option<(u128, u32, bool)> {
    const LIMIT: u128 = 1 << 96;
    let mut mantissa: u128 = 1;
    let mut scale = 0;
    let mut negative = false;
    for factor in factors {
        mantissa = mantissa.checked_mul(factor.mantissa().unsigned_abs()).filter(|m| *m < LIMIT)?;
        scale += factor.scale();
        negative ^= factor.is_sign_negative();
    }
    (scale <= 28).then_some((mantissa, scale, negative && mantissa != 0))
}

/// `factors[0] × factors[1] × … / divisor`, normalized, when it can be computed in integers: the
/// mantissas' product fits 96 bits with the scales summing to at most 28 (so [`product`] is exact
/// too) and `divisor` divides it, given up to four more decimal places within those bounds (so
/// `Decimal` division is exact too). Then it is the value [`product`] and [`div`] give,
/// `normalize`d. `None` otherwise: the caller computes it with `Decimal` arithmetic, whose
/// division rounds the 28th digit of a quotient that does not terminate.
pub(crate) fn exact_quotient(factors: &[Decimal], divisor: u32) -> Option<Decimal> {
    const LIMIT: u128 = 1 << 96;
    let (mantissa, scale, negative) = integer_product(factors)?;
    if divisor == 0 {
        return None;
    }
    // In a u64 where it fits (nearly always): a u128 division is a library call, many times
    // slower.
    let (quotient, scale) = match u64::try_from(mantissa) {
        Ok(small) => {
            divide_exactly(small, u64::from(divisor), scale, u64::MAX).map(|(q, s)| (u128::from(q), s))?
        }
        Err(_) => divide_exactly(mantissa, u128::from(divisor), scale, LIMIT - 1)?,
    };
    let signed = i128::try_from(quotient).ok()?;
    Decimal::try_from_i128_with_scale(if negative && quotient != 0 { -signed } else { signed }, scale).ok()
}

/// `mantissa / divisor` at `scale`, without trailing zeros, if it terminates within four more
/// decimal places (6.00075 / 3600 = 0.001666875, a power of ten's worth of the divisor's 2s and
/// 5s) with the scaled mantissa at most `max` and the scale at most 28.
fn divide_exactly<T>(mut mantissa: T, divisor: T, mut scale: u32, max: T) -> Option<(T, u32)>
where
    T: Copy
        + PartialOrd
        + From<u8>
        + std::ops::Rem<Output = T>
        + std::ops::Mul<Output = T>
        + std::ops::Div<Output = T>,
{
    let (zero, ten) = (T::from(0), T::from(10));
    for _ in 0..4 {
        if mantissa % divisor == zero || scale == 28 || mantissa > max / ten {
            break;
        }
        mantissa = mantissa * ten;
        scale += 1;
    }
    if mantissa % divisor != zero {
        return None;
    }
    mantissa = mantissa / divisor;
    while scale > 0 && mantissa % ten == zero {
        mantissa = mantissa / ten;
        scale -= 1;
    }
    Some((mantissa, scale))
}

/// The exact sum of `terms`, or [`Overflow`] naming `what` was being computed.
pub fn sum<I: IntoIterator<Item = Decimal>>(what: &'static str, terms: I) -> Result<Decimal, Overflow> {
    // From the first term, not from zero: one addition fewer (a `--batch` line's item total and
    // the batch's running total each add to it once a line).
    let mut terms = terms.into_iter();
    let first = terms.next().unwrap_or(Decimal::ZERO);
    terms.try_fold(first, exact_add).ok_or(Overflow(what))
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

/// `value > 0`, from its sign and digits: a `Decimal` comparison is a call that aligns scales, and
/// pricing a task asks this of a handful of values (callgrind, 50,000-line batch: 574 M -> 566 M).
pub fn is_positive(value: Decimal) -> bool {
    !value.is_sign_negative() && !value.is_zero()
}

/// `value < 0` (`-0` is not), as [`is_positive`] tells `value > 0`.
pub fn is_negative(value: Decimal) -> bool {
    value.is_sign_negative() && !value.is_zero()
}

/// `a / b`, or [`Overflow`] (also for a zero divisor, which callers never pass).
pub fn div(what: &'static str, a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_div(b).ok_or(Overflow(what))
}

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
    let sign = if is_negative(limit) { "-" } else { "" };
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
    if let Some(short) = parse_short_decimal(t) {
        return Ok(short);
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

/// `text` as `Decimal::from_str_exact` reads it (the same digits, scale and sign: `-0` is zero)
/// when it is a plain decimal whose digits fit a `u64`, as nearly every number people write is:
/// one pass over the bytes instead of the checks and the general parser. `None` for anything
/// else, which is left to them. Callgrind, 50,000-line batch: 636 M -> 631 M instructions.
fn parse_short_decimal(text: &str) -> Option<Decimal> {
    let (negative, digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] | rest => (false, rest),
    };
    let mut mantissa = 0u64;
    let mut scale = None;
    let mut count = 0;
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
                count += 1;
            }
            b'.' if scale.is_none() && i + 1 < digits.len() => {
                scale = u32::try_from(digits.len() - i - 1).ok();
            }
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    let mut value = Decimal::try_from_i128_with_scale(i128::from(mantissa), scale.unwrap_or(0)).ok()?;
    value.set_sign_negative(negative && mantissa != 0);
    Some(value)
}

/// Parses a number as JSON writes it (exponents allowed: `1e3`, `2.5E-1`), exactly.
pub fn parse_json_number(text: &str) -> Result<Decimal, NumberError> {
    if let Some(short) = parse_short_decimal(text) {
        return Ok(short);
    }
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

/// A `Decimal` read exactly from TOML or JSON: a quoted decimal string, an integer, a JSON number
/// (via `serde_json`'s `arbitrary_precision`, digits kept), or a TOML float only when exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Exact(pub Decimal);

/// Written back as a JSON number with its exact digits.
impl serde::Serialize for Exact {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        json_number::serialize(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(JSON_RAW_TOKEN, ExactVisitor)
    }
}

/// A whole number of `u64` read like [`Exact`] (so a JSON number keeps its digits), for
/// `#[serde(deserialize_with)]` on counts: `1.5`, `-3` and `18446744073709551616` get messages that
/// say what is wrong with them.
pub fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let Exact(value) = deserializer.deserialize_newtype_struct(JSON_RAW_TOKEN, WholeVisitor)?;
    // A whole number written without a point (nearly always), without `fract`'s arithmetic.
    if value.scale() == 0
        && !value.is_sign_negative()
        && let Ok(whole) = u64::try_from(value.mantissa())
    {
        return Ok(Some(whole));
    }
    if !value.fract().is_zero() || value.is_sign_negative() {
        return Err(de::Error::custom(format!("expected a whole number, got {}", value.normalize())));
    }
    u64::try_from(value)
        .map(Some)
        .map_err(|_| de::Error::custom(format!("{value} is too large (at most {})", u64::MAX)))
}

/// [`ExactVisitor`] without strings: a count is written as a number.
struct WholeVisitor;

impl<'de> Visitor<'de> for WholeVisitor {
    type Value = Exact;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Exact, E> {
        ExactVisitor.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Exact, E> {
        ExactVisitor.visit_u64(v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Exact, E> {
        ExactVisitor.visit_i128(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Exact, E> {
        ExactVisitor.visit_u128(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Exact, E> {
        ExactVisitor.visit_f64(v)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Exact, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Exact, A::Error> {
        visit_json_map(self, map)
    }
}

/// The map key `serde_json` uses to hand over a number's text under `arbitrary_precision`.
pub(crate) const JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The newtype name (and map key) `serde_json` uses for a raw value (feature `raw_value`): asked
/// for a newtype struct of this name, a JSON deserializer hands over the value's text, borrowed
/// from the input where it can be. [`Exact`] and [`whole_number`] ask for it and read the number
/// from that text: `arbitrary_precision` alone copies every number's digits into a new `String`
/// (callgrind, 50,000-line batch: 719 M -> 685 M instructions). Other deserializers (TOML,
/// serde's buffered content) treat the name as any newtype and are read through `deserialize_any`
/// as before. One difference shows: `serde_json` gives a raw value's errors the position where it
/// stopped, just after the value (or its object's closing brace), not the value's last character.
const JSON_RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// The value of a one-entry map `serde_json` hands a visitor: a raw value's text (see
/// [`JSON_RAW_TOKEN`]) or a number's digits (`arbitrary_precision`, where the value was buffered
/// or came from a `serde_json::Value`); any other map is refused as `visitor` refuses maps.
fn visit_json_map<'de, V, A>(visitor: V, mut map: A) -> Result<Exact, A::Error>
where
    V: Visitor<'de, Value = Exact>,
    A: MapAccess<'de>,
{
    match map.next_key::<TokenKey>()? {
        Some(TokenKey::Raw) => {
            let raw: std::borrow::Cow<'de, str> = map.next_value::<JsonText<'de>>()?.0;
            visit_json_text(visitor, &raw)
        }
        Some(TokenKey::Number) => {
            let text: JsonText<'de> = map.next_value()?;
            parse_json_number(&text.0).map(Exact).map_err(de::Error::custom)
        }
        _ => Err(de::Error::invalid_type(de::Unexpected::Map, &visitor)),
    }
}

/// Hands a JSON value's text to `visitor` as `serde_json` would hand the parsed value: a string
/// (unescaped), a number (read exactly from its text), or the type refused.
fn visit_json_text<'de, V: Visitor<'de, Value = Exact>, E: de::Error>(
    visitor: V,
    raw: &str,
) -> Result<Exact, E> {
    match raw.as_bytes().first() {
        Some(b'"') => match raw.get(1..raw.len() - 1).filter(|inner| !inner.contains('\\')) {
            Some(inner) => visitor.visit_str(inner),
            None => visitor.visit_string(serde_json::from_str::<String>(raw).map_err(E::custom)?),
        },
        // Exactly, as serde_json's `visit_u64`, `visit_i64` or number text would give it; a
        // whole `u64` the quickest way.
        Some(b'-' | b'0'..=b'9') => match raw.parse::<u64>() {
            Ok(unsigned) => visitor.visit_u64(unsigned),
            Err(_) => parse_json_number(raw).map(Exact).map_err(E::custom),
        },
        Some(b't') => visitor.visit_bool(true),
        Some(b'f') => visitor.visit_bool(false),
        Some(b'n') => visitor.visit_unit(),
        Some(b'[') => Err(E::invalid_type(de::Unexpected::Seq, &visitor)),
        _ => Err(E::invalid_type(de::Unexpected::Map, &visitor)),
    }
}

/// Which of `serde_json`'s private map keys a map starts with, read without allocating.
enum TokenKey {
    Raw,
    Number,
    Other,
}

impl<'de> Deserialize<'de> for TokenKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = TokenKey;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TokenKey, E> {
                Ok(match v {
                    JSON_RAW_TOKEN => TokenKey::Raw,
                    JSON_NUMBER_TOKEN => TokenKey::Number,
                    _ => TokenKey::Other,
                })
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Text `serde_json` hands over, borrowed where it can be.
struct JsonText<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for JsonText<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = JsonText<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value's text")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<JsonText<'de>, E> {
                Ok(JsonText(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonText<'de>, E> {
                Ok(JsonText(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<JsonText<'de>, E> {
                Ok(JsonText(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

struct ExactVisitor;

impl<'de> Visitor<'de> for ExactVisitor {
    type Value = Exact;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number (quoted, e.g. \"0.04048\", or an integer)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Exact, E> {
        parse_decimal(v).map(Exact).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Exact, E> {
        Ok(Exact(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Exact, E> {
        Ok(Exact(Decimal::from(v)))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Exact, E> {
        Decimal::try_from_i128_with_scale(v, 0)
            .map(Exact)
            .map_err(|_| E::custom(format!("{v} is too large to price exactly (at most about 7.9e28)")))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Exact, E> {
        i128::try_from(v).map_or_else(
            |_| Err(E::custom(format!("{v} is too large to price exactly (at most about 7.9e28)"))),
            |v| self.visit_i128(v),
        )
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Exact, E> {
        if !v.is_finite() {
            return Err(E::custom(format!("`{v}` is not a number; give a decimal such as \"0.04048\"")));
        }
        exact_from_f64(v).map(Exact).ok_or_else(|| {
            if Decimal::from_str(&format!("{v}")).is_err() {
                E::custom(format!("{v:e} is too large to price exactly (at most about 7.9e28)"))
            } else {
                E::custom(format!(
                    "the float {v} cannot be kept exactly in binary; write it as a quoted decimal string (\"{v}\")"
                ))
            }
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Exact, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Exact, A::Error> {
        visit_json_map(self, map)
    }
}

/// Serializes a `Decimal` as a JSON number written with the Decimal's own digits (trailing zeros
/// dropped), never through `f64`: the digits go to `serde_json` through its `arbitrary_precision`
/// number token, formatted on the stack (this runs for every number `--batch` writes).
pub mod json_number {
    use rust_decimal::Decimal;
    use serde::Serializer;
    use serde::ser::SerializeStruct;

    use super::{DecimalText, JSON_NUMBER_TOKEN};

    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        let text = DecimalText::new(*value);
        let mut number = serializer.serialize_struct(JSON_NUMBER_TOKEN, 1)?;
        number.serialize_field(JSON_NUMBER_TOKEN, text.as_str())?;
        number.end()
    }
}

/// A `Decimal` that serializes as a JSON number with its exact digits (see [`json_number`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonNumber(pub Decimal);

impl serde::Serialize for JsonNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        json_number::serialize(&self.0, serializer)
    }
}

/// Where a text made of pieces goes: a `String`, or (in `render::json`) a JSON string being
/// written. What `format!` writes with `value.normalize()` for each decimal, without the
/// formatting machinery, for the notes and details every priced item may carry (callgrind,
/// 50,000-line batch: 685 M -> 656 M instructions).
pub trait TextOut {
    fn piece(&mut self, text: &str);

    /// `value` in plain notation without trailing zeros, as `value.normalize()` displays it.
    fn plain(&mut self, value: Decimal);
}

impl TextOut for String {
    fn piece(&mut self, text: &str) {
        self.push_str(text);
    }

    fn plain(&mut self, value: Decimal) {
        self.push_str(DecimalText::new(value).as_str());
    }
}

/// A `Decimal` written out in plain decimal notation without trailing zeros (`-12.5`, `0.04048`,
/// `730`), right-aligned in a stack buffer. A `Decimal` has at most 29 digits and a scale of at
/// most 28, so 32 bytes hold the digits, a sign, a point and a leading `0`.
struct DecimalText {
    buffer: [u8; 32],
    start: usize,
}

/// "00", "01", … "99".
const DIGIT_PAIRS: [u8; 200] = {
    let mut pairs = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        #[allow(clippy::cast_possible_truncation)] // i < 100
        let (tens, ones) = ((i / 10) as u8, (i % 10) as u8);
        pairs[2 * i] = b'0' + tens;
        pairs[2 * i + 1] = b'0' + ones;
        i += 1;
    }
    pairs
};

/// 10^0 to 10^19, every power of ten a `u64` holds.
const POWERS_OF_TEN: [u64; 20] = {
    let mut powers = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        powers[i] = powers[i - 1] * 10;
        i += 1;
    }
    powers
};

impl DecimalText {
    /// Trailing zeros of the fraction are dropped from the mantissa (a `u64` division by ten
    /// where it fits one, nearly always) rather than by `normalize`ing the `Decimal` (a 96-bit
    /// division per zero); then the fraction, the point and the whole part are written from the
    /// right, two digits at a time, in one pass. Callgrind on a 50,000-line batch, per line for
    /// its dozen numbers: 3,800 instructions with `normalize` and a digit at a time, 1,770 when the
    /// digits were copied to a second buffer, 1,570 now.
    fn new(value: Decimal) -> Self {
        let mut text = DecimalText { buffer: [b'0'; 32], start: 32 };
        let mut scale = value.scale();
        let mantissa = value.mantissa().unsigned_abs();
        if let Ok(mut small) = u64::try_from(mantissa) {
            while scale > 0 && small.is_multiple_of(10) {
                small /= 10;
                scale -= 1;
            }
            // 10^19 is the largest power of ten in a u64; a larger scale leaves no whole part.
            let (whole, fraction) = match POWERS_OF_TEN.get(scale as usize) {
                Some(&1) => (small, 0),
                Some(&power) => (small / power, small % power),
                None => (0, small),
            };
            text.fraction(scale, |text| text.put_u64(fraction));
            text.put_u64(whole);
        } else {
            let mut large = mantissa;
            while scale > 0 && large.is_multiple_of(10) {
                large /= 10;
                scale -= 1;
            }
            let power = 10u128.pow(scale); // scale ≤ 28: 10^28 fits a u128
            text.fraction(scale, |text| text.put_u128(large % power));
            text.put_u128(large / power);
        }
        if value.is_sign_negative() && mantissa != 0 {
            text.start -= 1;
            text.buffer[text.start] = b'-';
        }
        text
    }

    /// With a fraction (`scale` > 0): its digits, zero-padded to `scale`, then the point.
    fn fraction(&mut self, scale: u32, digits: impl FnOnce(&mut Self)) {
        if scale > 0 {
            let end = self.start;
            digits(self);
            self.start = end - scale as usize - 1;
            self.buffer[self.start] = b'.';
        }
    }

    /// `value`'s digits before `start`, at least one.
    fn put_u64(&mut self, mut value: u64) {
        let end = self.start;
        while value >= 100 {
            let pair = usize::try_from(value % 100).unwrap_or(0) * 2;
            value /= 100;
            self.start -= 2;
            self.buffer[self.start..self.start + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
        }
        if value >= 10 {
            let pair = usize::try_from(value).unwrap_or(0) * 2;
            self.start -= 2;
            self.buffer[self.start..self.start + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
        } else if value > 0 || self.start == end {
            self.start -= 1;
            self.buffer[self.start] = b'0' + u8::try_from(value).unwrap_or(0);
        }
    }

    /// The same for a `u128` (at most 29 digits): the low 19 digits, zero-padded, then the rest.
    fn put_u128(&mut self, value: u128) {
        const TEN_19: u128 = 10_000_000_000_000_000_000;
        if let Ok(small) = u64::try_from(value) {
            self.put_u64(small);
        } else {
            let end = self.start;
            self.put_u64(u64::try_from(value % TEN_19).unwrap_or(0));
            self.start = end - 19;
            self.put_u64(u64::try_from(value / TEN_19).unwrap_or(0));
        }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buffer[self.start..]
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits, '.', and '-' are ever written.
        std::str::from_utf8(self.as_bytes()).unwrap_or("0")
    }
}

/// Appends `value` as [`TextOut::plain`] writes it (the digits a JSON number of it has), with no check
/// that the bytes are text: they are ASCII digits, '.' and '-'. Where the mantissa fits a `u64`
/// (nearly always) the digits are written where they end up, never copied: building them in a
/// buffer and copying that made the copy wait for the digits' one- and two-byte stores to retire
/// (half of `DecimalText::new`'s time, by `perf annotate`). More instructions (callgrind,
/// 50,000-line batch: 752 M -> 770 M), less time: interleaved whole-process runs on 1 M lines
/// (min/median ms) 679/689 -> 657/675; `perf`: 16% of the time in the two functions -> 12%.
pub(crate) fn push_plain(out: &mut Vec<u8>, value: Decimal) {
    let Ok(mut mantissa) = u64::try_from(value.mantissa().unsigned_abs()) else {
        out.extend_from_slice(DecimalText::new(value).as_bytes());
        return;
    };
    let mut scale = value.scale() as usize;
    while scale > 0 && mantissa.is_multiple_of(10) {
        mantissa /= 10;
        scale -= 1;
    }
    // 10^19 is the largest power of ten in a u64; a larger scale leaves no whole part.
    let (whole, fraction) = match POWERS_OF_TEN.get(scale) {
        Some(&power) => (mantissa / power, mantissa % power),
        None => (0, mantissa),
    };
    let sign = usize::from(value.is_sign_negative() && mantissa != 0);
    let whole_digits = whole.checked_ilog10().map_or(1, |log| log as usize + 1);
    let point = usize::from(scale > 0);
    let start = out.len();
    let len = sign + whole_digits + point + scale;
    // Zeros, so the fraction's leading zeros are already there: 32 of them (a u64 mantissa's text
    // is at most 31 bytes: a sign, `0.` and 28 places), a copy of fixed length rather than a call
    // to `memset`, cut to the length once written. Whole process: 657/715 -> 639/674 ms.
    out.extend_from_slice(&[b'0'; 32]);
    let text = &mut out[start..start + len];
    if sign == 1 {
        text[0] = b'-';
    }
    if scale > 0 {
        put_digits(text, fraction);
        let at = text.len() - scale - 1;
        text[at] = b'.';
        put_digits(&mut text[..at], whole);
    } else {
        put_digits(text, whole);
    }
    out.truncate(start + len);
}

/// `value`'s digits at the end of `text`, two at a time (none for 0: the caller's `0` is there).
/// The caller sizes `text` to the digits: each pair written is two of them, as `value` ≥ 10.
fn put_digits(text: &mut [u8], mut value: u64) {
    let mut end = text.len();
    while value >= 10 {
        let pair = usize::try_from(value % 100).unwrap_or(0) * 2;
        value /= 100;
        text[end - 2..end].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
        end -= 2;
    }
    if value > 0 {
        text[end - 1] = b'0' + u8::try_from(value).unwrap_or(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn exponent_forms_are_read_as_exactly_as_plain_ones() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        for (text, want) in [
            ("1e3", "1000"),
            ("2.5E-1", "0.25"),
            ("-1.5e2", "-150"),
            ("+7e0", "7"),
            ("0.04048e2", "4.048"),
            ("12345e-9", "0.000012345"),
        ] {
            assert_eq!(parse_json_number(text), Ok(d(want)), "{text}");
        }
        // Rounding it to fit would bill an unoffered 4.999… GB task as 5 GB: refused instead.
        for text in ["4.99999999999999999999999999999e0", "1e-29", "1e100", "1e99999999999999999999"] {
            assert!(matches!(parse_json_number(text), Err(NumberError::TooPrecise(_))), "{text}");
        }
        assert!(parse_json_number("e5").is_err());
    }

    #[test]
    fn a_sum_that_would_lose_digits_is_an_error() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        // 1e27 + 0.01 needs 30 significant digits: Decimal would round the cent away.
        assert_eq!(sum("t", [d("1000000000000000000000000000"), d("0.01")]), Err(Overflow("t")));
        assert_eq!(sum("t", [d("0.01"), d("1000000000000000000000000000")]), Err(Overflow("t")));
        // Trailing zeros lost are no digits lost.
        assert_eq!(
            sum("t", [d("1000000000000000000000000000"), d("1.00")]),
            Ok(d("1000000000000000000000000001"))
        );
        assert_eq!(sum("t", [d("36.0401"), d("0.5")]), Ok(d("36.5401")));
    }

    #[test]
    fn parses_plain_decimals_exactly() {
        assert_eq!(parse_decimal("0.25"), Ok(d("0.25")));
        assert_eq!(parse_decimal(" 730 "), Ok(d("730")));
        assert_eq!(parse_decimal("-1.5"), Ok(d("-1.5")));
        assert_eq!(parse_decimal(".5"), Ok(d("0.5")));
        for bad in ["", "abc", "1e3", "NaN", "inf", "1.2.3", "1_000", "1,5", "-", ".", "5."] {
            assert!(parse_decimal(bad).is_err(), "{bad} should be rejected");
        }
        assert!(matches!(parse_decimal("0.12345678901234567890123456789"), Err(NumberError::TooPrecise(_))));
    }

    #[test]
    fn json_numbers_may_use_exponents() {
        assert_eq!(parse_json_number("1e3"), Ok(d("1000")));
        assert_eq!(parse_json_number("2.5E-1"), Ok(d("0.25")));
    }

    #[test]
    fn floats_accepted_only_when_exact() {
        assert_eq!(exact_from_f64(0.5), Some(d("0.5")));
        assert_eq!(exact_from_f64(0.25), Some(d("0.25")));
        assert_eq!(exact_from_f64(730.0), Some(d("730")));
        assert_eq!(exact_from_f64(0.1), None);
        assert_eq!(exact_from_f64(1.1), None);
        assert_eq!(exact_from_f64(0.04048), None);
        assert_eq!(exact_from_f64(f64::NAN), None);
        assert_eq!(exact_from_f64(f64::INFINITY), None);
        assert_eq!(exact_from_f64(1e300), None);
    }

    #[test]
    fn display_rounds_half_away_from_zero() {
        assert_eq!(format_usd(d("0.005")), "$0.01");
        assert_eq!(format_usd(d("0.0049999")), "$0.00");
        assert_eq!(format_usd(d("-0.005")), "-$0.01");
        assert_eq!(format_usd(d("2.675")), "$2.68");
        assert_eq!(format_usd(d("1234567.891")), "$1,234,567.89");
        assert_eq!(format_usd(d("-0.001")), "$0.00");
    }

    /// A JSON object holding one `Exact` and one `whole_number`, as task inputs hold them.
    #[derive(Debug, serde::Deserialize)]
    struct Numbers {
        value: Option<Exact>,
        #[serde(default, deserialize_with = "whole_number")]
        count: Option<u64>,
    }

    /// Reads `{"value": <json>}` (or `count`) through every kind of deserializer that meets an
    /// `Exact`: `serde_json` from text (the raw text is borrowed), from a reader (owned), from a
    /// `serde_json::Value`, and through serde's buffering (an untagged enum); all must agree.
    fn read(key: &str, json: &str) -> Result<(Option<Decimal>, Option<u64>), String> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Buffered {
            Numbers(Numbers),
        }
        let text = format!(r#"{{"{key}": {json}}}"#);
        let strip =
            |e: serde_json::Error| e.to_string().split(" at line ").next().unwrap_or_default().to_owned();
        let pair = |n: Numbers| (n.value.map(|e| e.0), n.count);
        let from_str = serde_json::from_str::<Numbers>(&text).map(pair).map_err(strip);
        let from_reader = serde_json::from_reader::<_, Numbers>(text.as_bytes()).map(pair).map_err(strip);
        assert_eq!(from_reader, from_str, "{text} from a reader");
        // (A `Value` keeps a number's text as serde_json rewrites it: `1e400` becomes `1e+400`.)
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
            let from_value = serde_json::from_value::<Numbers>(value).map(pair).map_err(strip);
            if json.contains(['e', 'E']) {
                assert_eq!(from_value.is_ok(), from_str.is_ok(), "{text} from a Value");
            } else {
                assert_eq!(from_value, from_str, "{text} from a Value");
            }
        }
        if from_str.is_ok() {
            let Buffered::Numbers(n) = serde_json::from_str::<Buffered>(&text).expect("buffered");
            assert_eq!(Ok(pair(n)), from_str, "{text} buffered");
        }
        from_str
    }

    #[test]
    fn json_values_are_read_exactly_from_their_text() {
        let value = |json: &str| read("value", json).map(|(v, _)| v.expect("a value"));
        assert_eq!(value("1"), Ok(d("1")));
        assert_eq!(value("-3"), Ok(d("-3")));
        assert_eq!(value("0.040480"), Ok(d("0.040480")));
        assert_eq!(value("0.040480").unwrap().scale(), 6, "the digits written are kept");
        assert_eq!(value("2.5E-1"), Ok(d("0.25")));
        assert_eq!(value("18446744073709551616"), Ok(d("18446744073709551616")));
        assert_eq!(value(r#""0.5""#), Ok(d("0.5")));
        assert_eq!(value(r#""1\u002e5""#), Ok(d("1.5")), "an escaped string is unescaped first");
        let expected = "a decimal number (quoted, e.g. \"0.04048\", or an integer)";
        for (json, unexpected) in [
            ("true", "boolean `true`"),
            ("false", "boolean `false`"),
            ("[1]", "sequence"),
            (r#"{"a": 1}"#, "map"),
        ] {
            assert_eq!(
                value(json),
                Err(format!("invalid type: {unexpected}, expected {expected}")),
                "{json}"
            );
        }
        assert_eq!(read("value", "null"), Ok((None, None)), "null is an absent option");
        assert_eq!(value(r#""abc""#), Err("expected a decimal number such as 0.25, got `abc`".to_owned()));
        assert!(value("1e400").unwrap_err().contains("`1e400` has more digits than can be kept"));
    }

    #[test]
    fn json_counts_are_whole_numbers() {
        let count = |json: &str| read("count", json).map(|(_, c)| c.expect("a count"));
        assert_eq!(count("3"), Ok(3));
        assert_eq!(count("1e1"), Ok(10));
        assert_eq!(count("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(count("1.5"), Err("expected a whole number, got 1.5".to_owned()));
        assert_eq!(count("-1"), Err("expected a whole number, got -1".to_owned()));
        assert!(count("18446744073709551616").unwrap_err().contains("is too large"));
        assert_eq!(count(r#""3""#), Err("invalid type: string \"3\", expected a whole number".to_owned()));
        assert_eq!(count("true"), Err("invalid type: boolean `true`, expected a whole number".to_owned()));
    }

    #[test]
    fn toml_numbers_are_read_as_before() {
        let numbers = |text: &str| toml::from_str::<Numbers>(text).map(|n| (n.value.map(|e| e.0), n.count));
        assert_eq!(numbers("value = 0.5\ncount = 3").unwrap(), (Some(d("0.5")), Some(3)));
        assert_eq!(numbers("value = \"0.04048\"").unwrap(), (Some(d("0.04048")), None));
        assert!(numbers("value = 0.1").unwrap_err().to_string().contains("cannot be kept exactly in binary"));
        assert!(numbers("value = true").unwrap_err().to_string().contains("invalid type: boolean `true`"));
    }

    #[test]
    fn quantities_are_trimmed_and_grouped() {
        assert_eq!(format_quantity(d("2628000"), 4), "2,628,000");
        assert_eq!(format_quantity(d("0.16666666666666666"), 4), "0.1667");
        assert_eq!(format_quantity(d("1460.000"), 4), "1,460");
    }

    #[test]
    fn decimal_text_is_the_decimal_display_without_trailing_zeros() {
        for text in [
            "0",
            "1",
            "-1",
            "730",
            "0.04048",
            "-12.5",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-7.9228162514264337593543950335",
            "1460.000",
            "0.10",
        ] {
            let value = d(text);
            assert_eq!(DecimalText::new(value).as_str(), value.normalize().to_string(), "{text}");
            let mut pushed = Vec::new();
            push_plain(&mut pushed, value);
            assert_eq!(String::from_utf8(pushed).unwrap(), value.normalize().to_string(), "{text}");
        }
        assert_eq!(DecimalText::new(d("-0.000")).as_str(), "0");
        let mut pushed = Vec::new();
        push_plain(&mut pushed, d("-0.000"));
        assert_eq!(pushed, b"0");
    }

    #[test]
    fn text_out_writes_decimals_as_their_normalized_display() {
        for text in [
            "1.50",
            "0.0400",
            "-12.500",
            "730",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
        ] {
            let mut written = String::new();
            written.piece("[");
            written.plain(d(text));
            written.piece(" GB]");
            assert_eq!(written, format!("[{} GB]", d(text).normalize()));
        }
    }

    #[test]
    fn exact_quotient_takes_whole_hours_and_leaves_the_rest_to_decimal() {
        // 1 vCPU for a 730-hour month; 0.5 GB for 45 minutes at 0.004445/GB-hour.
        assert_eq!(exact_quotient(&[d("1"), d("2628000")], 3600), Some(d("730")));
        let cost = exact_quotient(&[d("0.5"), d("2700"), d("0.004445")], 3600).unwrap();
        assert_eq!(cost.to_string(), "0.001666875"); // 6.00075 / 3600, normalized
        // 1 second is 1/3600 of an hour: not a terminating decimal, so not here.
        assert_eq!(exact_quotient(&[d("1"), d("1")], 3600), None);
        // Mantissas whose product passes 96 bits, or scales past 28: not here either.
        assert_eq!(exact_quotient(&[d("79228162514264337593543950335"), d("3600")], 3600), None);
        assert_eq!(exact_quotient(&[d("0.00000000000000000036"), d("0.0000000000036")], 36), None);
        assert_eq!(exact_quotient(&[d("-7.2"), d("1000")], 3600), Some(d("-2")));
        // `product` keeps Decimal's digits and scale, and its scale-0 zero.
        assert_eq!(product("test", &[d("1.50"), d("2")]).unwrap().to_string(), "3.00");
        assert_eq!(product("test", &[d("0.0"), d("2.5")]).unwrap().to_string(), "0");
    }

    #[test]
    fn signs_are_the_comparisons_with_zero() {
        for text in [
            "0",
            "-0",
            "0.000",
            "-0.000",
            "1",
            "-1",
            "0.0000000000000000000000000001",
            "-0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
        ] {
            let value = d(text);
            assert_eq!(is_positive(value), value > Decimal::ZERO, "{text}");
            assert_eq!(is_negative(value), value < Decimal::ZERO, "{text}");
        }
    }

    #[test]
    fn short_decimals_are_read_as_decimal_reads_them() {
        for text in ["0", "-0", "+7", "0.50", ".5", "-1.250", "18446744073709551615", "0.0000000000000000001"]
        {
            let ours = parse_short_decimal(text).expect(text);
            let theirs = Decimal::from_str_exact(text).unwrap();
            assert_eq!(
                (ours, ours.scale(), ours.is_sign_negative()),
                (theirs, theirs.scale(), theirs.is_sign_negative())
            );
        }
        // Left to the general parser: too many digits for a u64, or not a plain decimal.
        for text in ["18446744073709551616", "", "-", ".", "5.", "1.2.3", "1e3", "0x1", " 1", "1_0"] {
            assert_eq!(parse_short_decimal(text), None, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn short_decimals_agree_with_decimal(text in "[-+]?[0-9]{0,21}(\\.[0-9]{0,21})?") {
            if let Some(ours) = parse_short_decimal(&text) {
                let theirs = Decimal::from_str_exact(&text).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
                proptest::prop_assert_eq!((ours, ours.scale(), ours.is_sign_negative()), (theirs, theirs.scale(), theirs.is_sign_negative()));
            }
        }

        #[test]
        fn product_in_integers_is_decimal_multiplication(
            factors in proptest::collection::vec((proptest::prelude::any::<u64>(), 0u32..=3, proptest::prelude::any::<bool>(), 0u32..=14), 0..=4),
        ) {
            // Mantissas of every length (zero included), cut short most of the time so the
            // product often fits 96 bits, and scales whose sum passes 28 now and then.
            let factors: Vec<Decimal> = factors
                .into_iter()
                .map(|(m, cut, negative, scale)| {
                    let m = i64::try_from(m >> (cut * 20)).unwrap_or(i64::MAX) % 1_000_000_007;
                    Decimal::new(if negative { -m } else { m }, scale)
                })
                .collect();
            let by_decimal = factors.iter().try_fold(Decimal::ONE, |acc, f| acc.checked_mul(*f));
            let ours = product("test", &factors).ok();
            proptest::prop_assert_eq!(ours.map(|d| (d.to_string(), d.scale(), d.is_sign_negative())), by_decimal.map(|d| (d.to_string(), d.scale(), d.is_sign_negative())));
        }

        #[test]
        fn exact_quotient_is_the_decimal_computation(
            factors in proptest::collection::vec((proptest::prelude::any::<u64>(), 0u32..=3, proptest::prelude::any::<bool>(), 0u32..=12), 1..=3),
            divisor in proptest::sample::select(vec![1u32, 60, 3600, 7, 1024]),
        ) {
            // Mantissas of every length, cut to few digits most of the time so the product often
            // fits and divides.
            let factors: Vec<Decimal> = factors
                .into_iter()
                .map(|(m, cut, negative, scale)| {
                    let m = i64::try_from(m >> (cut * 20)).unwrap_or(i64::MAX);
                    Decimal::new(if negative { -m } else { m }, scale)
                })
                .collect();
            // Decimal's own arithmetic, not `product` (which multiplies in integers itself).
            let by_decimal = factors
                .iter()
                .try_fold(Decimal::ONE, |acc, f| acc.checked_mul(*f))
                .and_then(|p| p.checked_div(Decimal::from(divisor)));
            if let Some(fast) = exact_quotient(&factors, divisor) {
                let slow = by_decimal.unwrap().normalize();
                proptest::prop_assert_eq!(fast, slow);
                proptest::prop_assert_eq!(fast.to_string(), slow.to_string());
            }
        }

        #[test]
        fn decimal_text_matches_display_for_any_decimal(lo: u32, mid: u32, hi: u32, negative: bool, scale in 0u32..=28) {
            let value = Decimal::from_parts(lo, mid, hi, negative, scale);
            let text = DecimalText::new(value);
            proptest::prop_assert_eq!(text.as_str(), value.normalize().to_string());
            let mut pushed = b"[".to_vec();
            push_plain(&mut pushed, value);
            proptest::prop_assert_eq!(String::from_utf8(pushed).unwrap(), format!("[{}", value.normalize()));
        }

        #[test]
        fn decimal_text_matches_display_for_mantissas_of_any_length(
            digits in 0u32..=28, mantissa: u64, negative: bool, scale in 0u32..=28,
        ) {
            // Mantissas of every length, many with trailing zeros, most fitting 64 bits.
            let mantissa = i128::from(mantissa % 10u64.pow(digits.min(19))) * 10i128.pow(digits.saturating_sub(19));
            let value = Decimal::from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale);
            let text = DecimalText::new(value);
            proptest::prop_assert_eq!(text.as_str(), value.normalize().to_string());
            let mut pushed = b"[".to_vec();
            push_plain(&mut pushed, value);
            proptest::prop_assert_eq!(String::from_utf8(pushed).unwrap(), format!("[{}", value.normalize()));
        }
    }

    #[test]
    fn checked_helpers_report_overflow() {
        assert_eq!(product("x", &[d("2"), d("3.5")]), Ok(d("7")));
        assert_eq!(product("vcpu cost", &[Decimal::MAX, d("2")]), Err(Overflow("vcpu cost")));
        assert_eq!(sum("total", [d("0.1"), d("0.2")]), Ok(d("0.3")));
        assert_eq!(sum("total", []), Ok(Decimal::ZERO));
        assert_eq!(sum("total", [d("2.50")]).map(|s| s.to_string()), Ok("2.50".to_owned()));
        assert_eq!(sum("total", [d("1"), d("2.50")]).map(|s| s.to_string()), Ok("3.50".to_owned()));
        assert_eq!(sum("total", [Decimal::MAX, Decimal::MAX]), Err(Overflow("total")));
    }
}
