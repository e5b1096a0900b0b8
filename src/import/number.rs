//! Cell values: full-width digits, thousands separators, signed deltas, decimals and units
//! kept apart from the number; blank-like cells recorded as blank (domain.md §5.5).

use crate::model::Value;
use unicode_normalization::UnicodeNormalization;

/// Units that may follow a number in a cell.
const UNITS: &[&str] = &["万元", "元", "件", "条", "个", "项", "次"];

/// Texts that mean "nothing filled in".
const BLANKS: &[&str] = &["", "—", "——", "–", "-", "－", "/", "／", "无", "&nbsp;"];

/// Parse a printed cell into a `Value` (number, unit, raw, blank, line).
pub fn parse_value(raw: &str, line: usize) -> Value {
    let (number, unit, blank) = parse_parts(raw);
    Value {
        number,
        unit,
        raw: raw.to_string(),
        blank,
        line,
    }
}

/// True when the text reads as a number cell (possibly blank-like or with a unit),
/// used to tell value cells from label cells.
pub fn looks_numeric(raw: &str) -> bool {
    let (number, _, blank) = parse_parts(raw);
    number.is_some() || (blank && !raw.trim().is_empty())
}

fn parse_parts(raw: &str) -> (Option<f64>, Option<String>, bool) {
    let text: String = raw
        .nfkc()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if BLANKS.contains(&text.as_str()) {
        return (None, None, true);
    }
    let mut body = text.as_str();
    let mut unit = None;
    for u in UNITS {
        if let Some(rest) = body.strip_suffix(u) {
            unit = Some(u.to_string());
            body = rest;
            break;
        }
    }
    (parse_number(body), unit, false)
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
        assert_eq!(parse_value("+12", 1).number, Some(12.0));
        assert_eq!(parse_value("-18", 1).number, Some(-18.0));
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
    fn numeric_detection() {
        assert!(looks_numeric("0"));
        assert!(looks_numeric("22.64万元"));
        assert!(looks_numeric("—"));
        assert!(!looks_numeric(""));
        assert!(!looks_numeric("规章"));
        assert!(!looks_numeric("1.属于国家秘密"));
    }
}
