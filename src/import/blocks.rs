//! The reader-neutral form of a page: prose lines and table rows, each with its source line.
//! The text-dump reader and the HTML reader both produce it; `tables` and `document`
//! interpret it, so both input forms give identical reports.

/// One table cell as printed. Cells covered by a merged cell from above appear as empty
/// cells *before* the row's own cells (the text-dump layout, docs/templates.md); colspans
/// emit nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCell {
    pub text: String,
    pub line: usize,
}

pub type RawRow = Vec<RawCell>;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A prose line (already stripped of control characters), with its 1-based line number.
    Text { line: usize, text: String },
    /// A table: its rows in order.
    Table(Vec<RawRow>),
}

/// Remove control characters and escape sequences so report text can never drive a terminal.
/// Tabs become spaces; everything else in Unicode category Cc (and the bidi/format
/// overrides that can disguise text) is dropped, including the ESC that starts ANSI/OSC sequences
/// together with the sequence body.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' => skip_osc(&mut chars),
            '\t' => out.push(' '),
            '\u{feff}' | '\u{200b}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Control characters shown as escapes (`\\n`, `\\u{1b}`), for names and reasons printed to a
/// terminal: a file name with a newline or an escape sequence stays one visible line.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']') => {
            chars.next();
            skip_osc(chars);
        }
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars>) {
    // Parameters and intermediates, then one final byte in 0x40..=0x7e.
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

fn skip_osc(chars: &mut std::iter::Peekable<std::str::Chars>) {
    // Ends with BEL or ST (ESC \).
    while let Some(c) = chars.next() {
        if c == '\u{7}' || c == '\u{9c}' {
            break;
        }
        if c == '\u{1b}' {
            if chars.peek() == Some(&'\\') {
                chars.next();
            }
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(sanitize("x\u{1b}]52;c;ZXZpbA==\u{7}y"), "xy");
        assert_eq!(sanitize("x\u{1b}]0;title\u{1b}\\y"), "xy");
        assert_eq!(sanitize("tab\there\r\n"), "tab here");
        assert_eq!(sanitize("三七市镇"), "三七市镇");
    }
}
