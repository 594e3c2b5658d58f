//! JSON, schema version 1: written by `serde_json`. Every money and quantity value is the exact
//! Decimal's digits, through the one serialisation of a `Decimal` there is
//! ([`crate::money::json_number`]); nothing is ever a float.

use serde::Serialize;

/// Why JSON could not be written (only a serializer can fail, and only on a fault of the
/// in-memory writer).
pub type Error = serde_json::Error;

pub fn render(report: &crate::report::Report) -> Result<String, Error> {
    pretty(report)
}

/// Pretty JSON (two-space indents) with a final newline: every `--format json` output.
pub(crate) fn pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

/// Appends `value` as compact JSON (one line, no final newline) to `out`: a `--batch` line.
pub(crate) fn compact<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    serde_json::to_writer(out, value)
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::money::JsonNumber;

    #[test]
    fn numbers_are_bare_digits() {
        let mut out = Vec::new();
        let numbers = [
            Decimal::new(4048, 5),
            Decimal::new(-30, 1),
            Decimal::from_parts(0, 0, 0, true, 3),
            Decimal::new(14600, 1),
        ];
        compact(&numbers.map(JsonNumber), &mut out).unwrap();
        // The digits of the Decimal without its trailing zeros (and no sign on zero); never a
        // float's rendering.
        assert_eq!(out, b"[0.04048,-3,0,1460]");
        let pretty = pretty(&[JsonNumber(Decimal::new(1, 28))]).unwrap();
        assert_eq!(pretty, "[\n  0.0000000000000000000000000001\n]\n");
    }
}
