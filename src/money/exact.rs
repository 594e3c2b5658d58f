//! serde glue for exact decimals. Reading: [`Exact`] and [`whole_number`] take a number's digits
//! as `serde_json` hands them over (its `arbitrary_precision` feature) or a TOML integer, string or
//! exact float. Writing: [`json_number`] writes a `Decimal` as a JSON number with its own digits.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

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
        deserializer.deserialize_any(ExactVisitor)
    }
}

/// A whole number of `u64` read like [`Exact`] (so a JSON number keeps its digits), for
/// `#[serde(deserialize_with)]` on counts: `1.5`, `-3` and `18446744073709551616` get messages that
/// say what is wrong with them.
pub fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let Exact(value) = deserializer.deserialize_any(WholeVisitor)?;
    if !value.fract().is_zero() || value < Decimal::ZERO {
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

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Exact, A::Error> {
        visit_json_map(&self, map)
    }
}

/// How `serde_json` passes a number's text under `arbitrary_precision`, both ways: a one-entry map
/// (reading) or struct (writing) with this key and the text as its value. It is the contract
/// `serde_json::Number` itself uses, as does `rust_decimal`'s own `arbitrary_precision` support.
/// (Deserializing a `serde_json::Number` from the map instead would answer any other map with
/// "expected field with custom name".)
const JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A number's text from that map; any other map is refused as not what was `expected`.
fn visit_json_map<'de, A: MapAccess<'de>>(
    expected: &dyn de::Expected,
    mut map: A,
) -> Result<Exact, A::Error> {
    match map.next_key::<String>()? {
        Some(key) if key == JSON_NUMBER_TOKEN => {
            let text: String = map.next_value()?;
            parse_json_number(&text).map(Exact).map_err(de::Error::custom)
        }
        _ => Err(de::Error::invalid_type(de::Unexpected::Map, expected)),
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

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Exact, A::Error> {
        visit_json_map(&self, map)
    }
}

/// Serializes a `Decimal` as a JSON number written with the Decimal's own digits (trailing zeros
/// dropped), never through `f64`: its [`Plain`](super::format::Plain) text handed to `serde_json`
/// as an `arbitrary_precision` number (the [`JSON_NUMBER_TOKEN`] struct `serde_json::Number`
/// serializes as), which `serde_json` writes as it is.
pub mod json_number {
    use rust_decimal::Decimal;
    use serde::Serializer;
    use serde::ser::SerializeStruct;

    use super::JSON_NUMBER_TOKEN;
    use crate::money::format::Plain;

    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        let mut number = serializer.serialize_struct(JSON_NUMBER_TOKEN, 1)?;
        number.serialize_field(JSON_NUMBER_TOKEN, Plain::new(*value).as_str())?;
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
