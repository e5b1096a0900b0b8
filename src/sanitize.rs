//! The one sanitiser for untrusted text: report text, file names, notes — on the terminal and
//! in CSV, XLSX and Markdown files alike.
//!
//! Report text comes from published pages and from JSON files anyone can edit. Written raw,
//! an ESC or C1 sequence retitles the terminal, writes to the clipboard (OSC 52) or hides
//! text; a bidi override makes `Excel.exe` read as `exe.lecxE`; a zero-width character makes
//! two equal names differ. [`clean`] removes all of them (escape sequences whole, with their
//! body); [`escape_controls`] shows them as visible escapes instead, for file names and
//! reasons where the auditor needs to see that something odd is there.

use std::borrow::Cow;

/// True for characters that must never be written out as they are: C0 and C1 controls and
/// DEL, the line and paragraph separators, and every [invisible](is_invisible) character
/// (bidi embeddings, overrides, isolates and marks, zero-width characters, the BOM).
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_invisible(c)
}

/// Invisible characters: zero-width and format characters (Unicode category Cf — soft
/// hyphen, zero-width space/joiners, word joiner, BOM, bidi controls, tags) and the
/// combining grapheme joiner. Two names that differ only by these look the same, so keys
/// (agency names) and identities are compared without them.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{180e}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
        | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0001}'
        | '\u{e0020}'..='\u{e007f}')
}

/// The text with escape sequences (ESC and C1 CSI/OSC/DCS/SOS/PM/APC, with their bodies) and
/// every other unsafe character removed (page and form feeds too); tabs, line breaks and
/// line separators become one space each, so the text stays on one line.
pub fn clean(s: &str) -> String {
    match clean_cow(s) {
        Cow::Borrowed(b) => b.to_string(),
        Cow::Owned(o) => o,
    }
}

/// [`clean`], borrowing when there is nothing to remove (the common case).
pub fn clean_cow(s: &str) -> Cow<'_, str> {
    if !has_unsafe(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\t' | '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`clean`] in place, allocating only when something is removed.
pub fn clean_in_place(s: &mut String) {
    if let Cow::Owned(o) = clean_cow(s) {
        *s = o;
    }
}

/// Whether any character is [unsafe](is_unsafe), read by bytes where that is certain: every
/// text of every report loaded passes here. Printable ASCII and the three-byte characters
/// U+3000–U+DFFF (CJK, its punctuation, Hangul) are never unsafe; anything else is decoded and
/// asked.
fn has_unsafe(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0x20..=0x7e => i += 1,
            0xe3..=0xed => i += 3,
            _ => {
                let c = s[i..].chars().next().expect("on a char boundary");
                if is_unsafe(c) {
                    return true;
                }
                i += c.len_utf8();
            }
        }
    }
    false
}

/// [`clean_in_place`] for the inline strings of cells ([`compact_str::CompactString`]).
pub fn clean_compact_in_place(s: &mut compact_str::CompactString) {
    if let Cow::Owned(o) = clean_cow(s) {
        *s = o.into();
    }
}

/// Unsafe characters shown as escapes (`\n`, `\u{1b}`, `\u{202e}`), for names and reasons
/// printed to a terminal: a file name with a newline or an escape sequence stays one visible
/// line and cannot drive the terminal.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Make a spreadsheet cell inert (the one formula neutraliser, for every CSV and XLSX output): text starting with `=`, `+`, `-`, `@`, tab or CR gets a
/// leading `'`, unless it is a plain number (`-3`, `+1.5`).
pub fn neutralise(s: &str) -> Cow<'_, str> {
    let risky = s
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && !is_plain_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && body.bytes().filter(|&b| b == b'.').count() <= 1
        && body.bytes().any(|b| b.is_ascii_digit())
}

/// Text for a spreadsheet cell: [`clean`], then [`neutralise`]d.
pub fn spreadsheet_text(s: &str) -> Cow<'_, str> {
    match clean_cow(s) {
        Cow::Borrowed(b) => neutralise(b),
        Cow::Owned(o) => Cow::Owned(neutralise(&o).into_owned()),
    }
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        Some(c) if !is_unsafe(*c) => {
            chars.next();
        }
        _ => {}
    }
}

fn skip_csi(chars: &mut Chars) {
    // Parameters and intermediates, then one final byte in 0x40..=0x7e.
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// OSC, DCS, SOS, PM, APC: a string ended by BEL or ST (ESC \ or U+009C).
fn skip_string(chars: &mut Chars) {
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
    use super::*;

    #[test]
    fn the_byte_screen_finds_every_unsafe_character() {
        // Every character, alone and between Chinese text and ASCII, against the rule itself.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let alone = c.to_string();
            let amid = format!("本机关a{c}，收到。");
            assert_eq!(has_unsafe(&alone), is_unsafe(c), "{:?}", c);
            assert_eq!(has_unsafe(&amid), is_unsafe(c), "{:?}", c);
        }
    }

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(clean("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(clean("x\u{1b}]52;c;ZXZpbA==\u{7}y"), "xy");
        assert_eq!(clean("x\u{1b}]0;title\u{1b}\\y"), "xy");
        assert_eq!(clean("x\u{9d}0;title\u{9c}y"), "xy");
        assert_eq!(clean("x\u{9b}2Jy"), "xy");
        assert_eq!(clean("x\u{1b}P1;2|data\u{1b}\\y"), "xy");
        assert_eq!(clean("tab\there\r\n"), "tab here  ");
        assert_eq!(clean("三七市镇"), "三七市镇");
    }

    #[test]
    fn bidi_zero_width_and_c1_are_dropped() {
        assert_eq!(
            clean("a\u{202e}b\u{2066}c\u{200b}d\u{feff}e\u{85}f\u{9c}g"),
            "abcde fg"
        );
        assert!(matches!(clean_cow("平潭综合实验区"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_are_shown_not_sent() {
        assert_eq!(escape_controls("a\nb\u{1b}[31m"), "a\\nb\\u{1b}[31m");
        assert_eq!(escape_controls("x\u{202e}y"), "x\\u{202e}y");
    }
}
