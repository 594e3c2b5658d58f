//! How text from outside (names, paths, regions, reasons) is shown to a person: the one place
//! that decides it, for tables, Markdown, CSV and the stderr line. JSON needs none of this: its
//! own escaping keeps every string exact.
//!
//! - [`visible`]: control characters (C0, DEL, C1) and the invisible format characters that
//!   reorder or hide text (bidirectional overrides and isolates, zero-width characters, the
//!   byte-order mark) are written as escapes (`\n`, `\t`, `\u{1b}`), so a name cannot add a line
//!   to a table, move the cursor, colour the terminal or disguise itself.
//! - [`csv_cell`]: [`visible`], then a cell that a spreadsheet would take for a formula (it starts
//!   with `=`, `+`, `-` or `@`) gets a leading `'`, as OWASP recommends for CSV injection
//!   (<https://owasp.org/www-community/attacks/CSV_Injection>).
//! - [`line`]: a whole stderr line made one bounded line: [`visible`], whitespace runs as one
//!   space, and at most [`MAX_LINE_CHARS`] characters, the middle cut out with an ellipsis; so
//!   input a message repeats (a 100,000-character region, say) cannot make it long.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The longest stderr line, in characters: the start (what failed) and the end (the remedy) are
/// kept.
pub const MAX_LINE_CHARS: usize = 1000;

/// Whether `c` is shown as an escape.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}'   // zero-width space, joiners, left-to-right and right-to-left marks
            | '\u{202a}'..='\u{202e}' // bidirectional embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // bidirectional isolates
            | '\u{feff}') // byte-order mark, zero-width no-break space
}

/// `text` with every control and invisible format character written as an escape.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A CSV cell of text from outside: [`visible`], and not a formula.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let shown = visible(text);
    if shown.starts_with(['=', '+', '-', '@']) { Cow::Owned(format!("'{shown}")) } else { shown }
}

/// A message as one bounded stderr line: [`visible`] (so a line break in a value a user gave shows
/// as `\n`, not as a new line or a space), runs of spaces as one, and at most [`MAX_LINE_CHARS`]
/// characters: a longer one keeps its start and end around ` … `. Messages that arrive in several
/// lines (TOML's, clap's) are put on one line where they are read.
pub fn line(message: &str) -> String {
    let shown: String =
        visible(message.trim()).split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    let count = shown.chars().count();
    if count <= MAX_LINE_CHARS {
        return shown;
    }
    let head = MAX_LINE_CHARS * 3 / 5;
    let tail = MAX_LINE_CHARS - head - 3;
    let start: String = shown.chars().take(head).collect();
    let end: String = shown.chars().skip(count - tail).collect();
    format!("{start} … {end}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_invisible_characters_are_shown_as_escapes() {
        assert!(matches!(visible("api-1 (x)"), Cow::Borrowed(_)));
        assert_eq!(visible("a\nb\tc\rd"), "a\\nb\\tc\\rd");
        assert_eq!(visible("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(visible("x\u{7f}\u{85}"), "x\\u{7f}\\u{85}");
        assert_eq!(visible("evil\u{202e}gpj.exe"), "evil\\u{202e}gpj.exe");
        assert_eq!(visible("\u{feff}name\u{200b}"), "\\u{feff}name\\u{200b}");
        // Other characters, accents and CJK included, stay as they are.
        assert_eq!(visible("서비스-é"), "서비스-é");
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        for (text, want) in [
            ("=1+1", "'=1+1"),
            ("+cmd", "'+cmd"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "\\tx"),
            ("\r=x", "\\r=x"),
            ("api", "api"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(csv_cell(text), want, "{text:?}");
        }
    }

    #[test]
    fn lines_are_bounded() {
        let long = "x".repeat(100_000);
        let shown = line(&format!("error: unknown region `{long}`; embedded regions: us-east-1"));
        assert_eq!(shown.chars().count(), MAX_LINE_CHARS);
        assert!(shown.starts_with("error: unknown region `xxx"), "{shown}");
        assert!(shown.ends_with("embedded regions: us-east-1"), "{shown}");
        // A line break inside a message is the message's text (a value someone gave): shown.
        assert_eq!(line("two\n  lines\u{1b}  "), "two\\n lines\\u{1b}");
    }
}
