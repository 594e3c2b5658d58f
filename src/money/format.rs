//! Money and quantities as people read them: the one rounding of money in the crate (half away
//! from zero, to cents, at display) and the decimal digits of notes and details.

use rust_decimal::{Decimal, RoundingStrategy};

use super::is_negative;

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
pub(super) struct DecimalText {
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
    pub(super) fn new(value: Decimal) -> Self {
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

    pub(super) fn as_str(&self) -> &str {
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
