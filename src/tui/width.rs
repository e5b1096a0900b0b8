//! Width-aware layout for the views: wrapping, fitting styled pieces, scrolling. Measuring,
//! cutting and padding are `crate::textwidth` (re-exported here), the one place for them.

pub use crate::textwidth::{char_width, clean, cut, pad, pad_left, width, ELLIPSIS};
use ratatui::style::Style;
use ratatui::text::Span;
use std::ops::Range;
use unicode_width::UnicodeWidthStr;

/// Wrap `chars` into rows of at most `w` columns; returns char index ranges.
/// A wide character never straddles a row edge. Empty text gives one empty row.
pub fn wrap(chars: &[char], w: usize) -> Vec<Range<usize>> {
    let w = w.max(2);
    let mut rows = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, &c) in chars.iter().enumerate() {
        let cw = char_width(c);
        if used + cw > w && i > start {
            rows.push(start..i);
            start = i;
            used = 0;
        }
        used += cw;
    }
    rows.push(start..chars.len());
    rows
}

/// Wrap a string into owned rows of at most `w` columns.
pub fn wrap_str(s: &str, w: usize) -> Vec<String> {
    let chars: Vec<char> = clean(s).chars().collect();
    wrap(&chars, w)
        .into_iter()
        .map(|r| chars[r].iter().collect())
        .collect()
}

/// Styled text pieces fitted to exactly `w` columns: cut with `…` (in the style of the
/// piece that was cut) and padded with spaces in `fill`.
pub fn fit_spans(pieces: &[(String, Style)], w: usize, fill: Style) -> Vec<Span<'static>> {
    let total: usize = pieces.iter().map(|(s, _)| width(s)).sum();
    let mut out = Vec::new();
    let mut used = 0;
    if total <= w {
        for (s, st) in pieces {
            let s = clean(s);
            used += s.width();
            out.push(Span::styled(s, *st));
        }
    } else if w > 0 {
        let budget = w - 1;
        let mut last = fill;
        'outer: for (s, st) in pieces {
            let mut piece = String::new();
            for c in clean(s).chars() {
                let cw = char_width(c);
                if used + cw > budget {
                    if !piece.is_empty() {
                        out.push(Span::styled(std::mem::take(&mut piece), *st));
                    }
                    last = *st;
                    break 'outer;
                }
                piece.push(c);
                used += cw;
            }
            last = *st;
            if !piece.is_empty() {
                out.push(Span::styled(piece, *st));
            }
        }
        out.push(Span::styled(ELLIPSIS.to_string(), last));
        used += 1;
    }
    if used < w {
        out.push(Span::styled(" ".repeat(w - used), fill));
    }
    out
}

/// Keep a cursor visible in a window of `viewport` rows, scrolling as little as possible
/// from `offset`.
pub fn scroll_to(offset: usize, cursor: usize, viewport: usize) -> usize {
    let viewport = viewport.max(1);
    if cursor < offset {
        cursor
    } else if cursor >= offset + viewport {
        cursor + 1 - viewport
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(width("三七市镇"), 8);
        assert_eq!(width("a三"), 3);
        assert_eq!(width("a\u{1b}[31mb"), 2); // the escape sequence is dropped whole
    }

    #[test]
    fn cutting_and_padding() {
        assert_eq!(cut("三七市镇", 8), "三七市镇");
        assert_eq!(cut("三七市镇", 7), "三七市…");
        assert_eq!(cut("三七市镇", 6), "三七…");
        assert_eq!(pad("三七市镇", 6), "三七… ");
        assert_eq!(width(&pad("三七市镇", 6)), 6);
        assert_eq!(pad_left("12", 4), "  12");
        assert_eq!(cut("abc", 0), "");
        for w in 0..10 {
            assert!(width(&cut("余姚市三七市镇abc", w)) <= w);
            assert_eq!(width(&pad("余姚市三七市镇abc", w)), w);
        }
    }

    #[test]
    fn wrapping_never_splits_a_wide_char() {
        let chars: Vec<char> = "一二三四五".chars().collect();
        let rows = wrap(&chars, 5);
        assert_eq!(rows, vec![0..2, 2..4, 4..5]);
    }

    #[test]
    fn fit_spans_cut_and_pad() {
        let p = vec![
            ("三七".to_string(), Style::default()),
            ("市镇".to_string(), Style::default()),
        ];
        let spans = fit_spans(&p, 7, Style::default());
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "三七市…");
        let spans = fit_spans(&p, 10, Style::default());
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "三七市镇  ");
    }

    #[test]
    fn scrolling() {
        assert_eq!(scroll_to(0, 5, 3), 3);
        assert_eq!(scroll_to(4, 2, 3), 2);
        assert_eq!(scroll_to(2, 3, 3), 2);
    }
}
