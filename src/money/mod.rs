//! Exact decimal helpers for the money path: reading numbers without loss, checked arithmetic,
//! and the one rounding that happens, for display.
//!
//! No binary floating point is used for arithmetic anywhere in the crate (`clippy::float_arithmetic`
//! is denied). A TOML float is accepted only when its binary value *is* the decimal it was written as
//! (see [`exact_from_f64`]).

mod arith;
mod exact;
mod format;
mod parse;
#[cfg(test)]
mod tests;

pub use arith::{Overflow, div, exact_div, product, sum};
pub use exact::{Exact, JsonNumber, json_number, whole_number};
pub use format::{Plain, format_limit, format_quantity, format_usd, round_cents};
pub use parse::{NumberError, exact_from_f64, parse_decimal, parse_json_number};
