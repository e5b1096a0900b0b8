//! Width-aware layout for the views: wrapping, fitting styled pieces, scrolling. Measuring,
//! cutting and padding are `crate::textwidth` (re-exported here), the one place for them.

pub use crate::textwidth::{char_width, clean, cut, pad, pad_left, width, ELLIPSIS};
use ratatui::style::Style;
use ratatui::text::Span;
use std::ops::Range;
use unicode_width::UnicodeWidthStr;

/// Characters a line must not start with (Chinese and Latin closing punctuation).
pub fn is_closing(c: char) -> bool {
    matches!(
        c,
        '、' | '，'
            | '。'
            | '；'
            | '：'
            | '）'
            | '」'
            | '』'
            | '》'
            | '〉'
            | '】'
            | '〕'
            | '”'
            | '’'
            | '！'
            | '？'
            | '…'
            | '%'
            | '％'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
    )
}

/// Characters a line must not end with (opening punctuation).
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '《' | '〈' | '【' | '〔' | '“' | '‘' | '(' | '[' | '{'
    )
}

/// Part of a Latin word, number, address or key (`government`, `2020`, `www.gov.cn`): never
/// broken inside.
fn is_word(c: char) -> bool {
    c.is_ascii_graphic()
}

/// Whether a row may end before `chars[i]`: not inside a Latin word, not before closing
/// punctuation, not after opening punctuation.
fn may_break_before(chars: &[char], i: usize) -> bool {
    let (a, b) = (chars[i - 1], chars[i]);
    if b.is_whitespace() || is_closing(b) || is_opening(a) {
        return false;
    }
    a.is_whitespace() || !(is_word(a) && is_word(b))
}

/// Wrap `chars` into rows of at most `w` columns; returns char index ranges, in order.
/// A wide character never straddles a row edge; a row breaks at a space or beside a hanzi,
/// never inside a Latin word or number (unless it is longer than a row), never before
/// closing punctuation (、，。；：）」…) and never after opening punctuation. The spaces a row
/// breaks at are left out of both rows. Empty text gives one empty row.
pub fn wrap(chars: &[char], w: usize) -> Vec<Range<usize>> {
    let w = w.max(2);
    let mut rows = Vec::new();
    let mut start = 0;
    let mut used = 0;
    let mut i = 0;
    while i < chars.len() {
        let cw = char_width(chars[i]);
        if used + cw > w && i > start {
            // Spaces at the edge end the row and are dropped.
            if chars[i].is_whitespace() {
                rows.push(start..i);
                while i < chars.len() && chars[i].is_whitespace() {
                    i += 1;
                }
                start = i;
                used = 0;
                continue;
            }
            // The last place in this row where it may break; else cut here.
            let at = (start + 1..=i)
                .rev()
                .find(|&b| may_break_before(chars, b))
                .unwrap_or(i);
            let mut end = at;
            while end > start && chars[end - 1].is_whitespace() {
                end -= 1;
            }
            rows.push(start..end.max(start + 1).min(at));
            start = at;
            used = chars[start..i].iter().map(|&c| char_width(c)).sum();
        }
        used += cw;
        i += 1;
    }
    if start < chars.len() || rows.is_empty() {
        rows.push(start..chars.len());
    }
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

    fn rows(s: &str, w: usize) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        wrap(&chars, w)
            .into_iter()
            .map(|r| chars[r].iter().collect())
            .collect()
    }

    #[test]
    fn wrapping_never_breaks_an_english_word() {
        assert_eq!(
            rows("agency (people's government) between", 16),
            ["agency (people's", "government)", "between"]
        );
        // No row starts with the space it broke at.
        assert_eq!(
            rows("expected between 0 and 0", 10),
            ["expected", "between 0", "and 0"]
        );
        // An address or a number stays whole beside hanzi.
        // ... and an opening bracket stays with what it opens.
        assert_eq!(rows("网站（www.gov.cn）", 14), ["网站", "（www.gov.cn）"]);
        assert_eq!(rows("累计452149份", 8), ["累计", "452149份"]);
        // A word longer than a row is cut, as it must be.
        assert_eq!(rows("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn no_row_starts_with_closing_punctuation() {
        // 政策、规范性文件: the 、 goes down with the character before it.
        assert_eq!(
            rows("机构职能政策、规范性文件", 12),
            ["机构职能政", "策、规范性文", "件"]
        );
        assert_eq!(rows("一二三四。五六", 8), ["一二三", "四。五六"]);
        assert_eq!(rows("一二三（四五", 8), ["一二三", "（四五"]);
        for text in [
            "全年我区共公布政府信息2602条(其中机构职能类信息82条，政策、规范性文件类信息80条，规划计划类信息21条）。",
            "“以公开为常态，不公开为例外”，不断提升政务公开的主动性、便民性和及时性；切实保障：公众的知情权」",
        ] {
            // From four hanzi a row on (below that, 条）。 cannot be kept together).
            for w in 8..40 {
                let chars: Vec<char> = text.chars().collect();
                let got = wrap(&chars, w);
                let mut last = 0;
                for r in &got {
                    assert!(r.start >= last, "{w}: {got:?}");
                    last = r.end;
                    let row: String = chars[r.clone()].iter().collect();
                    assert!(width(&row) <= w, "{w}: {row}");
                    if r.start > 0 {
                        assert!(!is_closing(chars[r.start]), "{w}: row starts with {row}");
                    }
                }
                // Nothing but the spaces broken at is left out.
                let kept: usize = got.iter().map(|r| r.len()).sum();
                assert_eq!(kept, chars.len(), "{w}");
            }
        }
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
