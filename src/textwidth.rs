//! The one place that measures, cuts and pads strings for a terminal. Chinese characters are
//! two columns wide, so `.len()` and `format!("{:width$}")` are wrong for them.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cut to at most `max` columns, ending with `…` when something was cut.
/// Never splits a double-width character: the result is never wider than `max`.
pub fn cut(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Cut to `w` columns, then pad with spaces on the right to exactly `w` columns.
pub fn pad_right(s: &str, w: usize) -> String {
    let s = cut(s, w);
    let fill = w.saturating_sub(width(&s));
    format!("{s}{}", " ".repeat(fill))
}

/// Cut to `w` columns, then pad with spaces on the left to exactly `w` columns (numbers).
pub fn pad_left(s: &str, w: usize) -> String {
    let s = cut(s, w);
    let fill = w.saturating_sub(width(&s));
    format!("{}{s}", " ".repeat(fill))
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
        assert_eq!(pad_right("三七", 6), "三七  ");
        assert_eq!(pad_left("27", 5), "   27");
        assert_eq!(width(&pad_right("淮安市洪泽区人民政府", 7)), 7);
    }
}
