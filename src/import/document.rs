//! Prose → title, agency, year, publication date, signature and the six sections.

use super::blocks::Block;
use crate::model::{Date, Section, TextLine};
use crate::template::{normalize_label, section_heading, section_id_for_heading, similarity};
use regex::Regex;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("static regex"))
}

/// Title, agency and year read from the top of the page.
#[derive(Debug, Default)]
pub struct TitleInfo {
    pub title: Option<String>,
    pub title_line: Option<usize>,
    pub agency: Option<String>,
    pub year: Option<i32>,
}

/// Find the title among the first prose lines: the first line naming 政府信息公开…年度报告,
/// joined with the line before it when a PDF re-layout split the agency onto its own line.
pub fn find_title(lines: &[TextLine]) -> TitleInfo {
    static TITLE: OnceLock<Regex> = OnceLock::new();
    let title_re = re(
        &TITLE,
        r"^(?P<agency>.*?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?:政府信息公开|政务公开)",
    );
    static YEAR_FIRST: OnceLock<Regex> = OnceLock::new();
    let year_first_re = re(
        &YEAR_FIRST,
        r"^\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<agency>\S.*?)\s*(?:政府信息公开|政务公开)",
    );
    for (i, tl) in lines.iter().take(8).enumerate() {
        if !tl.text.contains("年度报告") {
            continue;
        }
        let mut title = tl.text.trim().to_string();
        let mut line = tl.line;
        // "2024 年政府信息公开工作年度报告" with the agency on the line before.
        if i > 0
            && title_re
                .captures(&title)
                .is_some_and(|c| c["agency"].is_empty())
        {
            let prev = &lines[i - 1];
            if prev.text.chars().count() <= 30 && !prev.text.contains('。') {
                title = format!("{}{}", prev.text.trim(), title);
                line = prev.line;
            }
        }
        // A title line can carry page junk after it; keep up to 报告.
        if let Some(end) = title.find("年度报告") {
            title.truncate(end + "年度报告".len());
        }
        // Matched on a copy with full-width digits folded (`２０２０年` is 2020) and invisible
        // characters dropped; the title is kept as printed.
        let probe: String = title
            .chars()
            .filter(|c| !crate::textwidth::is_invisible(*c))
            .map(fold_digit)
            .collect();
        let caps = title_re.captures(&probe);
        let mut agency = caps
            .as_ref()
            .map(|c| c["agency"].trim().to_string())
            .filter(|a| !a.is_empty());
        let mut year = caps.and_then(|c| c["year"].parse().ok());
        // Year first: `2019年上海市人民政府办公厅政府信息公开工作年度报告`.
        if agency.is_none() {
            if let Some(c) = year_first_re.captures(&probe) {
                agency = Some(c["agency"].trim().to_string()).filter(|a| !a.is_empty());
                year = year.or_else(|| c["year"].parse().ok());
            }
        }
        return TitleInfo {
            agency,
            year,
            title: Some(title),
            title_line: Some(line),
        };
    }
    TitleInfo::default()
}

/// A heading line: its printed number, heading text and canonical section id.
#[derive(Debug, PartialEq)]
pub struct Heading {
    pub number: String,
    pub heading: String,
    pub id: &'static str,
}

/// Recognise one of the six section headings. Chinese-numeral headings (`四、…`) are accepted
/// on their key words; other numbering (`4、`, `（四）`) only when the text is close to the
/// canonical heading, so sub-headings inside a section are not mistaken for sections.
pub fn parse_heading(text: &str) -> Option<Heading> {
    static HEAD: OnceLock<Regex> = OnceLock::new();
    let head_re = re(
        &HEAD,
        r"^\s*(?P<num>[一二三四五六七八九十]\s*[、.．,，]|[0-9０-９]\s*[、.．,，]|[（(][一二三四五六0-9][）)])\s*(?P<head>\S.*)$",
    );
    let caps = head_re.captures(text)?;
    let number = caps["num"].to_string();
    let heading = caps["head"].trim().to_string();
    if heading.chars().count() > 40 || heading.contains('。') {
        return None;
    }
    let id = section_id_for_heading(&heading)?;
    let chinese = number.starts_with(|c: char| "一二三四五六七八九十".contains(c));
    if !chinese {
        let canonical = normalize_label(section_heading(id)?);
        if similarity(&normalize_label(&heading), &canonical) < 0.6 {
            return None;
        }
    }
    Some(Heading {
        number,
        heading,
        id,
    })
}

/// Split the prose into the preamble and the sections. Tables are skipped here.
pub fn split_sections(blocks: &[Block]) -> (Vec<TextLine>, Vec<Section>) {
    let mut preamble = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    for block in blocks {
        let Block::Text { line, text } = block else {
            continue;
        };
        if let Some(h) = parse_heading(text) {
            sections.push(Section {
                id: Some(h.id.to_string()),
                number: h.number,
                heading: h.heading,
                line: *line,
                lines: Vec::new(),
            });
            continue;
        }
        let tl = TextLine {
            line: *line,
            text: text.clone(),
        };
        match sections.last_mut() {
            Some(s) => s.lines.push(tl),
            None => preamble.push(tl),
        }
    }
    (preamble, sections)
}

/// The signature at the end: an agency name line, optionally followed by a date line.
/// Removes them from the last section's prose and returns (issuer, date).
pub fn take_signature(sections: &mut [Section]) -> (Option<String>, Option<Date>) {
    let Some(last) = sections.last_mut() else {
        return (None, None);
    };
    let mut date = None;
    if let Some(tl) = last.lines.last() {
        if let Some(d) = parse_date_line(&tl.text, tl.line) {
            date = Some(d);
            last.lines.pop();
        }
    }
    let mut issuer = None;
    if let Some(tl) = last.lines.last() {
        let t = tl.text.trim();
        if looks_like_agency_name(t) {
            issuer = Some(t.to_string());
            last.lines.pop();
        }
    }
    (issuer, date)
}

fn looks_like_agency_name(t: &str) -> bool {
    let n = t.chars().count();
    (2..=30).contains(&n)
        && !t.contains(['。', '，', '；', ',', ';', '：', ':'])
        && !t.chars().any(|c| c.is_ascii_digit())
        && [
            "镇", "乡", "街道", "政府", "局", "委", "办", "厅", "区", "县", "市", "会", "院", "所",
            "中心", "处",
        ]
        .iter()
        .any(|s| t.ends_with(s))
}

/// `2021年1月20日` alone on a line (a dated signature).
fn parse_date_line(text: &str, line: usize) -> Option<Date> {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &DATE,
        r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$",
    );
    let t: String = text.nfkc().collect();
    let c = r.captures(&t)?;
    make_date(&c[1], &c[2], &c[3], "signature", text, line)
}

/// A publication date printed on the page (`发布日期：2020-01-31`, `时间：2022-02-08 16:34`).
pub fn find_published(lines: &[TextLine]) -> Option<Date> {
    static PUB: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &PUB,
        r"(发布日期|发布时间|成文日期|时间)\s*[：:]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})",
    );
    lines.iter().find_map(|tl| {
        let t: String = tl.text.nfkc().collect();
        let c = r.captures(&t)?;
        make_date(&c[2], &c[3], &c[4], &c[1], c.get(0)?.as_str(), tl.line)
    })
}

fn make_date(y: &str, m: &str, d: &str, source: &str, raw: &str, line: usize) -> Option<Date> {
    let (year, month, day) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(Date {
        year,
        month,
        day,
        source: source.to_string(),
        raw: raw.trim().to_string(),
        line,
    })
}

/// The agency that compiled the report, from the usual intro sentence
/// `本报告由淮安市洪泽区人民政府办公室根据…编制`.
pub fn intro_agency(lines: &[TextLine]) -> Option<String> {
    static INTRO: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &INTRO,
        r"本报告(?:由|是)(?P<a>[^，,。《]{2,40}?)(?:办公室|办公厅)?(?:根据|依据|按照|依照)",
    );
    // PDF re-layouts wrap the sentence: search the joined text.
    let joined: String = lines.iter().take(12).map(|l| l.text.as_str()).collect();
    let joined: String = joined.chars().filter(|c| !c.is_whitespace()).collect();
    r.captures(&joined).map(|c| c["a"].to_string())
}

/// A full-width digit (`０`–`９`) as its ASCII digit.
fn fold_digit(c: char) -> char {
    match c {
        '\u{ff10}'..='\u{ff19}' => char::from(b'0' + (c as u32 - 0xff10) as u8),
        c => c,
    }
}

/// Normalised agency key: NFKC (width folded), whitespace and invisible characters
/// (zero-width joiners, word joiners, BOM, …) removed, so look-alike names are one key.
pub fn agency_key(name: &str) -> String {
    name.nfkc()
        .filter(|c| !c.is_whitespace() && !crate::textwidth::is_invisible(*c))
        .collect()
}

/// Choose the fullest name that names the same agency as the title
/// (`三七市镇` + signature `余姚市三七市镇` → `余姚市三七市镇`).
pub fn fullest_agency(title_agency: Option<&str>, others: &[Option<&str>]) -> Option<String> {
    let base = title_agency.map(agency_key)?;
    let best = others
        .iter()
        .flatten()
        .map(|o| agency_key(o))
        .filter(|o| o.ends_with(&base) && o.len() > base.len())
        .max_by_key(|o| o.len());
    Some(best.unwrap_or(base))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tl(line: usize, text: &str) -> TextLine {
        TextLine {
            line,
            text: text.into(),
        }
    }

    #[test]
    fn headings_with_irregular_numbering() {
        let h = parse_heading("4、 政府信息公开行政复议、行政诉讼情况").unwrap();
        assert_eq!(h.id, "S4");
        assert_eq!(h.number, "4、");
        assert_eq!(
            parse_heading("五、存在的主要问题及改进情况").unwrap().id,
            "S5"
        );
        assert_eq!(
            parse_heading("四、政府信息公开行政法复议、行政诉讼情况")
                .unwrap()
                .id,
            "S4"
        );
        assert_eq!(
            parse_heading("（一）主动公开情况。主要通过政府门户网站"),
            None
        );
        assert_eq!(parse_heading("2.依申请公开情况"), None);
    }

    #[test]
    fn title_split_over_two_lines() {
        let lines = [
            tl(1, "淮安市洪泽区人民政府"),
            tl(2, "2024 年政府信息公开工作年度报告"),
        ];
        let t = find_title(&lines);
        assert_eq!(t.agency.as_deref(), Some("淮安市洪泽区人民政府"));
        assert_eq!(t.year, Some(2024));
        assert_eq!(t.title_line, Some(1));
    }

    #[test]
    fn year_first_title() {
        let t = find_title(&[tl(1, "2019年上海市人民政府办公厅政府信息公开工作年度报告")]);
        assert_eq!(t.agency.as_deref(), Some("上海市人民政府办公厅"));
        assert_eq!(t.year, Some(2019));
        let t = find_title(&[tl(1, "2024 年政府信息公开工作年度报告")]);
        assert_eq!((t.agency, t.year), (None, Some(2024)));
    }

    #[test]
    fn fullest_name_wins() {
        assert_eq!(
            fullest_agency(Some("三七市镇"), &[Some("余姚市三七市镇")]).as_deref(),
            Some("余姚市三七市镇")
        );
        assert_eq!(
            fullest_agency(Some("平潭综合实验区"), &[Some("福建省人民政府")]).as_deref(),
            Some("平潭综合实验区")
        );
    }
}
