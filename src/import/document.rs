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

/// How deep a heading's numbering sits: `四、` is a part heading (1), `4、` a part heading
/// with a slip in its numeral (2), `（四）` a sub-heading style (3).
fn heading_level(number: &str) -> u8 {
    if number.starts_with(|c: char| "一二三四五六七八九十".contains(c)) {
        1
    } else if number.starts_with(['（', '(']) {
        3
    } else {
        2
    }
}

/// Split the prose into the preamble and the sections. Tables are skipped here.
///
/// A numbered part is recognised only at the level of the part headings: when the report
/// numbers its parts `一、…六、`, a sub-heading `（一）主动公开政府信息情况` inside part 一 is
/// not part 二, and neither is any heading of a deeper style whose part is printed at the
/// part level elsewhere.
pub fn split_sections(blocks: &[Block]) -> (Vec<TextLine>, Vec<Section>) {
    let candidates: Vec<(usize, Heading)> = blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Text { text, .. } => parse_heading(text).map(|h| (i, h)),
            Block::Table(_) => None,
        })
        .collect();
    let has_part_level = candidates
        .iter()
        .any(|(_, h)| heading_level(&h.number) == 1);
    let is_part = |h: &Heading| {
        let level = heading_level(&h.number);
        let shallower_same_part = candidates
            .iter()
            .any(|(_, o)| o.id == h.id && heading_level(&o.number) < level);
        !shallower_same_part && (level < 3 || !has_part_level)
    };
    let keep: Vec<bool> = candidates.iter().map(|(_, h)| is_part(h)).collect();
    let mut headings: Vec<Option<Heading>> = (0..blocks.len()).map(|_| None).collect();
    for ((i, h), keep) in candidates.into_iter().zip(keep) {
        if keep {
            headings[i] = Some(h);
        }
    }
    let mut preamble = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    for (block, heading) in blocks.iter().zip(headings) {
        let Block::Text { line, text } = block else {
            continue;
        };
        if let Some(h) = heading {
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

/// What the publishing platform says about the page, from its metadata table (名称, 索引号,
/// 分类, 发布机构, 公开日期, 文号): the issuer and the publication date, which come ahead of
/// anything else on the page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageMeta {
    pub issuer: Option<String>,
    pub published: Option<Date>,
}

/// Labels of the platforms' metadata tables.
const META_LABELS: &[&str] = &[
    "索引号",
    "主题分类",
    "分类",
    "发布机构",
    "公开日期",
    "发布日期",
    "成文日期",
    "发文字号",
    "文号",
    "名称",
    "有效性",
    "公开方式",
    "公开范围",
    "生成日期",
];

/// The metadata label a cell or line starts with, and the text after it (`发布机构：X` → X).
fn meta_label(text: &str) -> Option<(&'static str, String)> {
    let t: String = text.nfkc().filter(|c| !c.is_whitespace()).collect();
    let label = META_LABELS.iter().find(|l| t.starts_with(*l))?;
    let rest = t[label.len()..].trim_start_matches([':', '：']);
    // `名称` must be the label itself (not 名称 in the middle of a word).
    let exact = t.len() == label.len() || t[label.len()..].starts_with([':', '：']);
    exact.then(|| (*label, rest.to_string()))
}

/// Label/value pairs of a metadata table: `发布机构 | X` in two cells, or `发布机构：X` in one.
fn meta_pairs_of_table(rows: &[super::blocks::RawRow]) -> Vec<(&'static str, String, usize)> {
    let mut out = Vec::new();
    for row in rows {
        let mut i = 0;
        while i < row.len() {
            if let Some((label, rest)) = meta_label(&row[i].text) {
                if rest.is_empty() {
                    if let Some(next) = row.get(i + 1) {
                        if meta_label(&next.text).is_none() {
                            out.push((label, next.text.trim().to_string(), next.line));
                            i += 2;
                            continue;
                        }
                    }
                } else {
                    out.push((label, rest, row[i].line));
                }
            }
            i += 1;
        }
    }
    out
}

/// Label/value pairs in one line of a metadata block printed as text
/// (`索引号：… 分类：… 发布机构：平潭综合实验区管委会 公开日期：2022-02-08`).
fn meta_pairs_of_line(text: &str, line: usize) -> Vec<(&'static str, String, usize)> {
    let t: String = text.nfkc().collect();
    let mut hits: Vec<(usize, &'static str, usize)> = Vec::new();
    for label in META_LABELS {
        for (at, _) in t.match_indices(label) {
            let after = &t[at + label.len()..];
            let colon = after.trim_start().starts_with([':', '：']);
            let inside = hits.iter().any(|(s, l, _)| at >= *s && at < s + l.len());
            if colon && !inside {
                hits.push((at, label, label.len()));
            }
        }
    }
    hits.sort();
    let mut out = Vec::new();
    for (k, (at, label, len)) in hits.iter().enumerate() {
        let end = hits.get(k + 1).map_or(t.len(), |(s, _, _)| *s);
        let value = t[at + len..end]
            .trim()
            .trim_start_matches([':', '：'])
            .trim()
            .to_string();
        out.push((*label, value, line));
    }
    out
}

/// Lines a crawler or the site puts around a report: the crawler's own header (`标题：…`,
/// `采集时间：…`, `网址：…`) and short lines of site chrome (breadcrumbs, footers, print and
/// share links). They are never prose, title, agency or date.
pub fn is_page_furniture(text: &str) -> bool {
    let t: String = text.nfkc().collect();
    let t = t.trim();
    const CRAWLER: &[&str] = &[
        "标题:",
        "采集时间",
        "抓取时间",
        "爬取时间",
        "入库时间",
        "网址:",
        "URL:",
        "url:",
        "原文链接",
        "原文地址",
        "页面地址",
        "来源网址",
    ];
    if CRAWLER.iter().any(|w| t.starts_with(w)) {
        return true;
    }
    const CHROME: &[&str] = &[
        "当前位置",
        "您现在的位置",
        "您的位置",
        "首页>",
        "首页 >",
        "版权所有",
        "主办单位",
        "承办单位",
        "ICP备",
        "网站标识码",
        "公网安备",
        "技术支持",
        "网站地图",
        "联系我们",
        "打印本页",
        "关闭窗口",
        "【打印】",
        "【关闭】",
        "字号:",
        "【字体",
        "分享到",
        "扫一扫",
    ];
    t.chars().count() <= 60 && !t.contains('。') && CHROME.iter().any(|w| t.contains(w))
}

/// The report's own blocks, without page furniture and the metadata block, and the page
/// metadata they held.
pub fn strip_page(blocks: &[Block]) -> (Vec<Block>, PageMeta) {
    let mut pairs = Vec::new();
    let mut out = Vec::with_capacity(blocks.len());
    for b in blocks {
        match b {
            Block::Table(rows) => {
                let p = meta_pairs_of_table(rows);
                if p.len() >= 2 {
                    pairs.extend(p);
                } else {
                    out.push(b.clone());
                }
            }
            Block::Text { line, text } => {
                if is_page_furniture(text) {
                    continue;
                }
                let p = meta_pairs_of_line(text, *line);
                let short = text.chars().count() <= 80 && !text.contains('。');
                if p.len() >= 2 || (short && meta_label(text).is_some_and(|(_, v)| !v.is_empty())) {
                    pairs.extend(p);
                } else {
                    out.push(b.clone());
                }
            }
        }
    }
    let mut meta = PageMeta::default();
    for (label, value, line) in pairs {
        match label {
            "发布机构" if meta.issuer.is_none() && !value.is_empty() => {
                meta.issuer = Some(value);
            }
            "公开日期" | "发布日期" if meta.published.is_none() => {
                meta.published = parse_any_date(&value, label, line);
            }
            _ => {}
        }
    }
    (out, meta)
}

/// `2022-02-08`, `2022年02月08日`, `2022/2/8 16:34` at the start of a value.
fn parse_any_date(value: &str, source: &str, line: usize) -> Option<Date> {
    static ANY: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &ANY,
        r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})",
    );
    let c = r.captures(value)?;
    make_date(&c[1], &c[2], &c[3], source, value, line)
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

    fn text(line: usize, t: &str) -> Block {
        Block::Text {
            line,
            text: t.into(),
        }
    }

    #[test]
    fn sub_headings_are_not_parts() {
        let blocks = [
            text(1, "一、总体情况"),
            text(2, "（一）主动公开政府信息情况"),
            text(3, "全年主动公开政府信息2645条。"),
            text(4, "二、主动公开政府信息情况"),
        ];
        let (_, sections) = split_sections(&blocks);
        let ids: Vec<(&str, usize)> = sections
            .iter()
            .map(|s| (s.id.as_deref().unwrap(), s.line))
            .collect();
        assert_eq!(ids, [("S1", 1), ("S2", 4)]);
        assert_eq!(sections[0].lines.len(), 2);
        // Where the parts themselves are bracketed, brackets are the part level.
        let (_, sections) = split_sections(&[
            text(1, "（一）总体情况"),
            text(2, "（二）主动公开政府信息情况"),
        ]);
        assert_eq!(sections.len(), 2);
    }

    #[test]
    fn metadata_and_furniture() {
        let meta_row = |cells: &[&str]| -> Vec<super::super::blocks::RawCell> {
            cells
                .iter()
                .map(|t| super::super::blocks::RawCell {
                    text: t.to_string(),
                    line: 3,
                })
                .collect()
        };
        let blocks = [
            text(1, "标题：平潭综合实验区2022年政府信息公开工作年度报告"),
            text(2, "采集时间：2024-05-06 10:11:12"),
            Block::Table(vec![
                meta_row(&["索引号", "xxgk-2023-01", "分类", "年度报告"]),
                meta_row(&["发布机构", "平潭综合实验区管委会", "公开日期", "2023-02-20"]),
                meta_row(&["名称", "平潭综合实验区2022年政府信息公开工作年度报告"]),
            ]),
            text(4, "当前位置：首页 > 政务公开 > 年报"),
            text(5, "平潭综合实验区2022年政府信息公开工作年度报告"),
        ];
        let (kept, meta) = strip_page(&blocks);
        assert_eq!(
            kept,
            [text(5, "平潭综合实验区2022年政府信息公开工作年度报告")]
        );
        assert_eq!(meta.issuer.as_deref(), Some("平潭综合实验区管委会"));
        let d = meta.published.unwrap();
        assert_eq!((d.ymd(), d.source.as_str()), ((2023, 2, 20), "公开日期"));
        // The same as a line of text.
        let (kept, meta) = strip_page(&[text(
            1,
            "索引号：xxgk-2023-01 分类：年度报告 发布机构：平潭综合实验区管委会 公开日期：2023年02月20日 文号：无",
        )]);
        assert!(kept.is_empty());
        assert_eq!(meta.issuer.as_deref(), Some("平潭综合实验区管委会"));
        assert_eq!(meta.published.unwrap().ymd(), (2023, 2, 20));
        // Prose that mentions 发布 is left alone.
        assert!(!is_page_furniture(
            "全年发布政府信息2645条，当前位置于全省前列。"
        ));
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
