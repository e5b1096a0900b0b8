//! The one place that measures, cuts and pads strings for a terminal, for the review screen
//! and the command-line tables alike.
//!
//! Chinese characters take two terminal columns; `.len()` counts bytes and
//! `format!("{:w$}")` counts chars, both wrong for CJK. These helpers also clean the text
//! they cut ([`crate::sanitize`]), so report text that slipped past the importer (JSON edited
//! by hand) can never reach the terminal as an escape sequence.

use crate::sanitize::is_unsafe;
pub use crate::sanitize::{clean, is_invisible};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The ellipsis used when text is cut.
pub const ELLIPSIS: char = '…';

/// Display width of one (clean) character.
pub fn char_width(c: char) -> usize {
    if is_unsafe(c) {
        0
    } else {
        c.width().unwrap_or(0)
    }
}

/// Display width of a string, in terminal columns.
pub fn width(s: &str) -> usize {
    if s.chars().any(is_unsafe) {
        clean(s).width()
    } else {
        s.width()
    }
}

/// Cut `s` to at most `max` columns, ending with `…` when something was cut.
pub fn cut(s: &str, max: usize) -> String {
    let s = clean(s);
    if s.width() <= max {
        return s;
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw > max - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push(ELLIPSIS);
    out
}

/// Cut to `w` columns, then pad with spaces on the right to exactly `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = cut(s, w);
    let used = out.width();
    out.push_str(&" ".repeat(w.saturating_sub(used)));
    out
}

/// Cut to `w` columns, then pad with spaces on the left to exactly `w` columns.
pub fn pad_left(s: &str, w: usize) -> String {
    let c = cut(s, w);
    let used = c.width();
    let mut out = " ".repeat(w.saturating_sub(used));
    out.push_str(&c);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_double_width() {
        assert_eq!(width("三七市镇"), 8);
        assert_eq!(cut("三七市镇", 5), "三七…");
        assert_eq!(width(&cut("三七市镇", 5)), 5);
        assert_eq!(cut("三七市镇", 4), "三…");
        assert_eq!(cut("三七市镇", 8), "三七市镇");
        assert_eq!(pad("三七", 6), "三七  ");
        assert_eq!(pad_left("27", 5), "   27");
        assert_eq!(width(&pad("淮安市洪泽区人民政府", 7)), 7);
        assert_eq!(cut("a\u{1b}[31mb", 10), "ab");
    }
}
