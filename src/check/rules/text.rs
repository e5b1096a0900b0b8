//! Prose as the rules read it: section lines joined, whitespace removed, full-width digits
//! folded, every byte mapped back to its source line; numbers in Arabic or Chinese numerals.

use crate::model::TextLine;
use regex::Regex;
use std::sync::LazyLock;

/// Joined, whitespace-normalised prose with a map back to source lines.
#[derive(Debug, Clone, Default)]
pub struct Prose {
    pub text: String,
    /// (byte offset in `text`, source line) at the start of each source line's text.
    starts: Vec<(usize, usize)>,
}

/// Fold a character for matching: full-width digits and dots to ASCII, brackets kept.
fn fold(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '．' => '.',
        '％' => '%',
        '(' => '（',
        ')' => '）',
        _ => c,
    }
}

impl Prose {
    pub fn from_lines(lines: &[TextLine]) -> Prose {
        Prose::of_lines(lines)
    }

    /// [`Prose::from_lines`] of lines taken from several places (the preamble and the
    /// sections), without copying them into one list first.
    pub fn of_lines<'l>(lines: impl IntoIterator<Item = &'l TextLine> + Clone) -> Prose {
        let mut p = Prose::default();
        // About as long as the lines (folding changes a few characters): one allocation.
        p.text
            .reserve(lines.clone().into_iter().map(|l| l.text.len()).sum());
        for l in lines {
            p.starts.push((p.text.len(), l.line));
            for c in l.text.chars() {
                if c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' {
                    continue;
                }
                p.text.push(fold(c));
            }
        }
        p
    }

    /// Source line of a byte offset.
    pub fn line_at(&self, byte: usize) -> usize {
        match self.starts.binary_search_by(|(b, _)| b.cmp(&byte)) {
            Ok(i) => self.starts[i].1,
            Err(0) => self.starts.first().map_or(0, |s| s.1),
            Err(i) => self.starts[i - 1].1,
        }
    }

    /// The sentence around a byte range (between 。；！？ or the text ends).
    pub fn sentence(&self, start: usize, end: usize) -> (usize, usize) {
        let stops = ['。', '；', '！', '？', ';'];
        let s = self.text[..start.min(self.text.len())]
            .rfind(|c| stops.contains(&c))
            .map_or(0, |i| {
                i + self.text[i..].chars().next().map_or(1, |c| c.len_utf8())
            });
        let e = self.text[end.min(self.text.len())..]
            .find(|c| stops.contains(&c))
            .map_or(self.text.len(), |i| {
                end + i
                    + self.text[end + i..]
                        .chars()
                        .next()
                        .map_or(0, |c| c.len_utf8())
            });
        (s, e)
    }

    /// The sentence text, shortened to at most `max` characters around the range.
    pub fn quote(&self, start: usize, end: usize) -> String {
        let (s, e) = self.sentence(start, end);
        let sentence = &self.text[s..e];
        let max = 160;
        if sentence.chars().count() <= max {
            return sentence.to_string();
        }
        // Keep the window around the match.
        let before: Vec<char> = self.text[s..start].chars().collect();
        let keep_before = before.len().min(60);
        let head: String = before[before.len() - keep_before..].iter().collect();
        let after: String = self.text[start..e]
            .chars()
            .take(max - keep_before)
            .collect();
        format!("…{head}{after}…")
    }
}

/// Digits used by Chinese numerals.
pub const CN_NUM: &str = "零〇一二两三四五六七八九十百千万";

/// A number as printed in prose: `3119`, `3,119`, `22.64`, `十二`, `一百零五`, `两万`.
pub fn parse_number(s: &str) -> Option<f64> {
    let t: String = s.chars().filter(|c| *c != ',' && *c != '，').collect();
    if t.is_empty() {
        return None;
    }
    if t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return t.parse().ok();
    }
    parse_chinese(&t)
}

fn cn_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Chinese numerals: positional (`二〇二一`) or with units (`一百零五`, `十二`, `两万三千`).
pub fn parse_chinese(s: &str) -> Option<f64> {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() || chars.len() > 16 {
        return None;
    }
    if chars.iter().all(|c| cn_digit(*c).is_some()) {
        if chars.len() == 1 {
            return cn_digit(chars[0]).map(|d| d as f64);
        }
        let mut n: u64 = 0;
        for c in &chars {
            n = n.checked_mul(10)?.checked_add(cn_digit(*c)?)?;
        }
        return Some(n as f64);
    }
    let (mut total, mut section, mut digit): (u64, u64, Option<u64>) = (0, 0, None);
    for c in chars {
        if let Some(d) = cn_digit(c) {
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => {
                section += digit.take().unwrap_or(0);
                total += section.max(if total == 0 && section == 0 { 1 } else { 0 }) * 10_000;
                section = 0;
                continue;
            }
            _ => return None,
        };
        section += digit.take().unwrap_or(1) * unit;
    }
    Some((total + section + digit.unwrap_or(0)) as f64)
}

/// A statistics period stated in the prose.
#[derive(Debug, Clone)]
pub struct Period {
    pub from: (i32, u32, u32),
    pub to: (i32, u32, u32),
    pub quote: String,
    pub sentence: String,
    pub line: usize,
}

static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:起)?(?:至|到|—|-|~|～)(\d{4})年(\d{1,2})月(\d{1,2})日",
    )
    .expect("period regex")
});

/// Statistics periods (`自2024年1月1日至2024年12月31日`).
pub fn periods(p: &Prose) -> Vec<Period> {
    PERIOD
        .captures_iter(&p.text)
        .filter_map(|c| {
            let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i64>().ok());
            let m = c.get(0)?;
            Some(Period {
                from: (n(1)? as i32, n(2)? as u32, n(3)? as u32),
                to: (n(4)? as i32, n(5)? as u32, n(6)? as u32),
                quote: m.as_str().to_string(),
                sentence: p.quote(m.start(), m.end()),
                line: p.line_at(m.start()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        for (s, n) in [
            ("零", 0.0),
            ("一", 1.0),
            ("两", 2.0),
            ("十", 10.0),
            ("十二", 12.0),
            ("二十", 20.0),
            ("一百零五", 105.0),
            ("三千", 3000.0),
            ("两万", 20000.0),
            ("两万三千", 23000.0),
            ("二〇二一", 2021.0),
            ("3,119", 3119.0),
            ("22.64", 22.64),
        ] {
            assert_eq!(parse_number(s), Some(n), "{s}");
        }
        assert_eq!(parse_number("是"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn prose_joins_wrapped_lines_and_maps_back() {
        let lines = vec![
            TextLine {
                line: 31,
                text: "全市共受理政府信息公开申请 3119 件，答".into(),
            },
            TextLine {
                line: 32,
                text: "复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度".into(),
            },
        ];
        let p = Prose::from_lines(&lines);
        assert!(p.text.contains("答复3050件"));
        let at = p.text.find("3050").unwrap();
        assert_eq!(p.line_at(at), 32);
        assert_eq!(p.line_at(p.text.find("3119").unwrap()), 31);
    }

    #[test]
    fn periods_are_found() {
        let lines = vec![TextLine {
            line: 7,
            text: "报告所列统计期限自 2024 年 1 月 1 日至 2024 年 12 月 31 日。".into(),
        }];
        let ps = periods(&Prose::from_lines(&lines));
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].from, (2024, 1, 1));
        assert_eq!(ps[0].to, (2024, 12, 31));
    }
}
