//! The money module's tests: exact reading through every kind of deserializer, checked arithmetic,
//! display rounding.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::exact::Exact;
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
    let strip = |e: serde_json::Error| e.to_string().split(" at line ").next().unwrap_or_default().to_owned();
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
        assert_eq!(value(json), Err(format!("invalid type: {unexpected}, expected {expected}")), "{json}");
    }
    assert_eq!(read("value", "null"), Ok((None, None)), "null is an absent option");
    assert_eq!(value(r#""abc""#), Err("expected a decimal number such as 0.25, got `abc`".to_owned()));
    // serde_json hands the number over as it scanned it, with the exponent's sign written out.
    assert!(value("1e400").unwrap_err().contains("`1e+400` has more digits than can be kept"));
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
fn a_product_that_would_lose_digits_is_an_error() {
    // 1.23e-15 × 4.56e-16 needs 33 places: Decimal would round it to 0.
    let (a, b) = (d("0.00000000000000123"), d("0.000000000000000456"));
    assert_eq!(product("t", &[a, b]), Err(Overflow("t")));
    // 28 places exactly, and trailing zeros dropped to fit, are kept.
    assert_eq!(
        product("t", &[d("0.00000000000001"), d("0.00000000000001")]),
        Ok(d("0.0000000000000000000000000001"))
    );
    assert_eq!(product("t", &[d("0.10000000000000"), d("0.000000000000010")]), Ok(d("0.000000000000001")));
    assert_eq!(product("t", &[d("0.0000000000000000000001"), Decimal::ZERO]), Ok(Decimal::ZERO));
    // 0.5 × 2e-28 = 1e-28: 29 places whose last is a zero, so it fits.
    assert_eq!(
        product("t", &[d("0.5"), d("0.0000000000000000000000000002")]),
        Ok(d("0.0000000000000000000000000001"))
    );
    // Mantissas whose product overflows 128 bits until their trailing zeros go: 1.0…0 × 1.0…0 = 1.
    let one = d("1.0000000000000000000000000000");
    assert_eq!(product("t", &[one, one, one]), Ok(Decimal::ONE));
    // 79228162514264337593543950335 (Decimal::MAX) × 1.0 is itself; × 1.1 is too large.
    assert_eq!(product("t", &[Decimal::MAX, d("1.0")]), Ok(Decimal::MAX));
    assert_eq!(product("t", &[Decimal::MAX, d("1.1")]), Err(Overflow("t")));
    assert_eq!(product("t", &[d("-1.5"), d("2.5")]), Ok(d("-3.75")));
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

#[test]
fn exact_division_refuses_lost_digits() {
    // 516 CPU units are 516 / 1024 = 0.50390625 vCPU exactly.
    assert_eq!(exact_div("v", d("516"), d("1024")), Ok(d("0.50390625")));
    // 79228162514264337593543950335 / 1024 needs 39 significant digits: refused, not rounded.
    assert_eq!(exact_div("v", Decimal::MAX, d("1024")), Err(Overflow("v")));
    assert_eq!(exact_div("v", d("1"), d("3")), Err(Overflow("v")));
}
