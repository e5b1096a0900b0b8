//! Cell values as printed: full-width digits, thousands separators, signed deltas (`+3`,
//! `－18`, `(18)`, `−18`), decimals, units kept apart from the number (and money converted
//! to the template's unit), footnote marks (`5¹`, `5*`, `5①`); blank-like cells recorded as
//! blank (docs/templates.md). A cell that does not read as one number keeps `number = None` and
//! [`problem`] says why (digits split by a space, two numbers, text).

use crate::model::Value;
use unicode_normalization::UnicodeNormalization;

/// Units that may follow a number in a cell (longest first: `亿元` before `元`).
const UNITS: &[&str] = &["亿元", "万元", "元", "件", "条", "个", "项", "次", "起"];

/// Texts that mean "nothing filled in".
const BLANKS: &[&str] = &["", "—", "——", "–", "-", "－", "/", "／", "无", "&nbsp;"];

/// Why a cell's text is not one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// `7 8`: digits with a space inside — 78, or 7 and 8?
    SplitDigits,
    /// `3/5`, `3、5`: two numbers in one cell.
    TwoNumbers,
    /// `约3`, `见附表`: text where a number belongs.
    Text,
}

impl Problem {
    /// Message key suffix (`FMT-NUMBER.split` …).
    pub fn key(self) -> &'static str {
        match self {
            Problem::SplitDigits => "split",
            Problem::TwoNumbers => "two",
            Problem::Text => "text",
        }
    }
}

/// Parse a printed cell into a `Value` (number, unit, raw, blank, line), no unit conversion.
pub fn parse_value(raw: &str, line: usize) -> Value {
    parse_value_in(raw, line, None, None)
}

/// Parse a cell of a column whose header may state a unit (`采购总金额（万元）`) and whose
/// template unit is `canonical` (`万元` for 收费金额, `元` for 采购总金额): money printed in
/// another unit is converted, the printed text kept in `raw` and the conversion in `note`.
pub fn parse_value_in(
    raw: &str,
    line: usize,
    header_unit: Option<&str>,
    canonical: Option<&str>,
) -> Value {
    let p = parse_parts(raw);
    let mut value = Value {
        number: p.number,
        unit: p.unit,
        raw: raw.into(),
        blank: p.blank,
        line,
        note: p.note,
    };
    let Some(n) = value.number else {
        return value;
    };
    let (printed, from_header) = match (&value.unit, header_unit) {
        (Some(u), _) => (Some(u.clone()), false),
        (None, Some(h)) => (Some(h.to_string()), true),
        (None, None) => (None, false),
    };
    let (Some(printed), Some(canonical)) = (printed, canonical) else {
        return value;
    };
    if from_header && printed != canonical {
        value.unit = Some(printed.clone());
        add_note(&mut value, format!("unit {printed} from the column header"));
    }
    if let (Some(from), Some(to)) = (yuan_factor(&printed), yuan_factor(canonical)) {
        if from != to {
            let converted = n * from / to;
            value.number = Some(converted);
            add_note(
                &mut value,
                format!(
                    "{} {printed} = {} {canonical}",
                    trim_num(n),
                    trim_num(converted)
                ),
            );
        }
    }
    value
}

fn add_note(v: &mut Value, note: String) {
    v.note = Some(match v.note.take() {
        Some(old) => format!("{old}; {note}"),
        None => note,
    });
}

fn trim_num(n: f64) -> String {
    let s = format!("{n:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Money units in yuan.
fn yuan_factor(unit: &str) -> Option<f64> {
    match unit {
        "元" => Some(1.0),
        "万元" => Some(1e4),
        "亿元" => Some(1e8),
        _ => None,
    }
}

/// The money unit a column header states: `本年收费金额（单位：万元）`, `采购总金额(元)`.
pub fn header_unit(header: &str) -> Option<&'static str> {
    let text: String = header.nfkc().filter(|c| !c.is_whitespace()).collect();
    let open = text.find('(')?;
    let inside = &text[open..];
    ["亿元", "万元", "元"]
        .into_iter()
        .find(|u| inside.contains(&format!("{u})")) || inside.contains(&format!(":{u}")))
}

/// True when the text reads as a number cell (possibly blank-like, with a unit or a
/// footnote mark), used to tell value cells from label cells.
pub fn looks_numeric(raw: &str) -> bool {
    let p = parse_parts(raw);
    p.number.is_some() || (p.blank && !raw.trim().is_empty())
}

/// Why a non-blank cell is not a number; `None` when it reads as one (or is blank).
pub fn problem(raw: &str) -> Option<Problem> {
    let p = parse_parts(raw);
    if p.blank || p.number.is_some() {
        return None;
    }
    let body = strip_footnote(raw.trim_matches(is_space)).0;
    let norm: String = body.nfkc().collect();
    if split_digits(&norm) {
        return Some(Problem::SplitDigits);
    }
    let runs = norm
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .filter(|r| r.chars().any(|c| c.is_ascii_digit()))
        .count();
    let has_text = norm
        .chars()
        .any(|c| !(c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace()));
    if runs >= 2 && !has_text {
        Some(Problem::TwoNumbers)
    } else if runs >= 2 {
        // `3件、5件`: numbers with units and separators only
        let stripped: String = UNITS.iter().fold(norm.clone(), |s, u| s.replace(u, ""));
        if stripped.chars().all(|c| {
            c.is_ascii_digit()
                || c.is_ascii_punctuation()
                || c.is_whitespace()
                || "、，；".contains(c)
        }) {
            Some(Problem::TwoNumbers)
        } else {
            Some(Problem::Text)
        }
    } else {
        Some(Problem::Text)
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}'
}

/// Digits on both sides of a space: `7 8`.
fn split_digits(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    chars.iter().enumerate().any(|(i, c)| {
        is_space(*c)
            && chars[..i]
                .iter()
                .rev()
                .find(|c| !is_space(**c))
                .is_some_and(|c| c.is_ascii_digit())
            && chars[i + 1..]
                .iter()
                .find(|c| !is_space(**c))
                .is_some_and(|c| c.is_ascii_digit())
    })
}

/// Footnote marks printed after a number: superscript digits, `*`, `※`, circled numbers.
/// They must go before NFKC, which turns `¹` and `①` into `1` (`5¹` would read as 51).
fn is_footnote_mark(c: char) -> bool {
    matches!(
        c,
        '¹' | '²' | '³' | '⁰'..='⁹' | '*' | '＊' | '※' | '†' | '‡'
    ) || ('\u{2460}'..='\u{2473}').contains(&c)
}

/// The text without trailing footnote marks, and the marks.
fn strip_footnote(s: &str) -> (&str, &str) {
    let body = s.trim_end_matches(is_footnote_mark);
    (body, &s[body.len()..])
}

struct Parts {
    number: Option<f64>,
    unit: Option<String>,
    blank: bool,
    note: Option<String>,
}

fn parse_parts(raw: &str) -> Parts {
    let trimmed = raw.trim_matches(is_space);
    let squeezed: String = trimmed.nfkc().filter(|c| !is_space(*c)).collect();
    if BLANKS.contains(&squeezed.as_str()) {
        return Parts {
            number: None,
            unit: None,
            blank: true,
            note: None,
        };
    }
    let (body, marks) = strip_footnote(trimmed);
    let none = Parts {
        number: None,
        unit: None,
        blank: false,
        note: None,
    };
    if body.is_empty() {
        return none;
    }
    let text: String = body.nfkc().collect();
    if split_digits(&text) {
        return none;
    }
    let text: String = text.chars().filter(|c| !is_space(*c)).collect();
    let mut body = text.as_str();
    let mut unit = None;
    for u in UNITS {
        if let Some(rest) = body.strip_suffix(u) {
            unit = Some(u.to_string());
            body = rest;
            break;
        }
    }
    // Accounting style: `(18)` is −18.
    let number = match body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        Some(inner) if !inner.starts_with(['-', '+', '−']) => parse_number(inner).map(|n| -n),
        _ => parse_number(body),
    };
    let note = (number.is_some() && !marks.is_empty()).then(|| format!("footnote mark `{marks}`"));
    Parts {
        number,
        unit: if number.is_some() { unit } else { None },
        blank: false,
        note,
    }
}

/// Parse a signed decimal number: `+12`, `-3`, `−3`, `1,036`, `75394432.52`, `增加3`, `减少2`.
pub fn parse_number(s: &str) -> Option<f64> {
    let s: String = s.nfkc().filter(|c| !c.is_whitespace()).collect();
    let (negative, rest) = if let Some(r) = s.strip_prefix("增加").or(s.strip_prefix("增")) {
        (false, r)
    } else if let Some(r) = s.strip_prefix("减少").or(s.strip_prefix("减")) {
        (true, r)
    } else if let Some(r) = s.strip_prefix('+') {
        (false, r)
    } else if let Some(r) = s.strip_prefix('-').or(s.strip_prefix('−')) {
        (true, r)
    } else {
        (false, s.as_str())
    };
    let digits: String = rest.chars().filter(|c| *c != ',').collect();
    let valid = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.')
        && thousands_ok(rest);
    if !valid {
        return None;
    }
    // More digits than an f64 holds would parse as infinity and poison every sum.
    let n: f64 = digits.parse().ok().filter(|n: &f64| n.is_finite())?;
    Some(if negative { -n } else { n })
}

/// Thousands separators must group by three (`1,036`), so `1,2` is not read as 12.
fn thousands_ok(s: &str) -> bool {
    if !s.contains(',') {
        return true;
    }
    let int = s.split('.').next().unwrap_or("");
    let groups: Vec<&str> = int.split(',').collect();
    groups[0].len() <= 3 && !groups[0].is_empty() && groups[1..].iter().all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_units_and_blanks() {
        let v = parse_value("22.64万元", 7);
        assert_eq!(v.number, Some(22.64));
        assert_eq!(v.unit.as_deref(), Some("万元"));
        assert_eq!(v.raw, "22.64万元");
        assert_eq!(v.line, 7);
        assert!(!v.blank);

        assert_eq!(parse_value("75394432.52元", 1).number, Some(75394432.52));
        assert_eq!(parse_value("１２３", 1).number, Some(123.0));
        assert_eq!(parse_value("1,036", 1).number, Some(1036.0));
        assert_eq!(parse_value("1，036", 1).number, Some(1036.0));
        assert_eq!(parse_value("１，０３６", 1).number, Some(1036.0));
        assert_eq!(parse_value("+12", 1).number, Some(12.0));
        assert_eq!(parse_value("-18", 1).number, Some(-18.0));
        assert_eq!(parse_value("－18", 1).number, Some(-18.0));
        assert_eq!(parse_value("(18)", 1).number, Some(-18.0));
        assert_eq!(parse_value("（18）", 1).number, Some(-18.0));
        assert_eq!(parse_value("−3", 1).number, Some(-3.0));
        assert_eq!(parse_value("增加3", 1).number, Some(3.0));
        assert_eq!(parse_value("减少2", 1).number, Some(-2.0));
        assert_eq!(parse_value(" 0 ", 1).number, Some(0.0));
        assert_eq!(parse_value("24252.311082", 1).number, Some(24252.311082));
        for b in ["", "—", "-", "/", "无", "\u{a0}"] {
            let v = parse_value(b, 1);
            assert!(v.blank, "{b:?}");
            assert_eq!(v.number, None);
            assert_eq!(v.amount(), Some(0.0));
        }
        let bad = parse_value("约3", 1);
        assert!(!bad.blank);
        assert_eq!(bad.number, None);
        assert_eq!(parse_value("1,2", 1).number, None);
    }

    #[test]
    fn footnote_marks_are_not_digits() {
        for raw in ["5¹", "5*", "5①", "5※", "５＊"] {
            let v = parse_value(raw, 1);
            assert_eq!(v.number, Some(5.0), "{raw}");
            assert!(
                v.note.as_deref().is_some_and(|n| n.contains("footnote")),
                "{raw}"
            );
            assert!(looks_numeric(raw));
        }
        assert_eq!(parse_value("5", 1).note, None);
    }

    #[test]
    fn split_two_and_text_are_problems() {
        assert_eq!(parse_value("7 8", 1).number, None);
        assert_eq!(problem("7 8"), Some(Problem::SplitDigits));
        assert_eq!(problem("7\u{3000}8"), Some(Problem::SplitDigits));
        assert_eq!(problem("3/5"), Some(Problem::TwoNumbers));
        assert_eq!(problem("3、5"), Some(Problem::TwoNumbers));
        assert_eq!(problem("3件、5件"), Some(Problem::TwoNumbers));
        assert_eq!(problem("约3"), Some(Problem::Text));
        assert_eq!(problem("见附表"), Some(Problem::Text));
        assert_eq!(problem("12"), None);
        assert_eq!(problem(""), None);
        assert_eq!(problem("—"), None);
        assert!(!looks_numeric("7 8"));
    }

    #[test]
    fn money_is_converted_to_the_template_unit() {
        let v = parse_value_in("22.64亿元", 3, None, Some("万元"));
        assert_eq!(v.number, Some(226400.0));
        assert_eq!(v.unit.as_deref(), Some("亿元"));
        assert_eq!(v.raw, "22.64亿元");
        assert!(v.note.as_deref().unwrap().contains("226400 万元"));
        let v = parse_value_in("251000元", 3, None, Some("万元"));
        assert_eq!(v.number, Some(25.1));
        let v = parse_value_in("22.64万元", 3, None, Some("元"));
        assert_eq!(v.number, Some(226400.0));
        // The unit comes from the header when the cell has none.
        let v = parse_value_in("8040", 3, Some("万元"), Some("元"));
        assert_eq!(v.number, Some(80400000.0));
        assert_eq!(v.unit.as_deref(), Some("万元"));
        // Same unit as the template: nothing changes.
        let v = parse_value_in("96171.6", 3, Some("万元"), Some("万元"));
        assert_eq!(v.number, Some(96171.6));
        assert_eq!(v.unit, None);
        assert_eq!(v.note, None);
        assert_eq!(header_unit("本年收费金额（单位：万元）"), Some("万元"));
        assert_eq!(header_unit("采购总金额(元)"), Some("元"));
        assert_eq!(header_unit("采购总金额"), None);
    }

    #[test]
    fn numeric_detection() {
        assert!(looks_numeric("0"));
        assert!(looks_numeric("22.64万元"));
        assert!(looks_numeric("22.64亿元"));
        assert!(looks_numeric("(18)"));
        assert!(looks_numeric("—"));
        assert!(!looks_numeric(""));
        assert!(!looks_numeric("规章"));
        assert!(!looks_numeric("1.属于国家秘密"));
        assert!(!looks_numeric("（一）予以公开"));
    }
}
