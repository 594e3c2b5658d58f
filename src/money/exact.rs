//! serde glue for exact decimals. Reading: [`Exact`] and [`whole_number`] take a number's digits
//! as `serde_json` hands them over (its `arbitrary_precision` and `raw_value` features, through the
//! names it uses for them) or a TOML integer, string or exact float. Writing: [`json_number`]
//! writes a `Decimal` as a JSON number with its own digits.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use super::format::DecimalText;
use super::{exact_from_f64, parse_decimal, parse_json_number};

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
