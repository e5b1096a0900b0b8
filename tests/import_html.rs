//! The HTML reader gives the same report as the text-dump reader.
//!
//! Each real text dump in tests/data/real is turned into a realistic HTML page (rowspans and
//! colspans as on the published pages, header and data rows with different colspans,
//! `&nbsp;` blanks, `<br>` inside labels, Word-style wrapped tags, `<p><br />四、…`, script,
//! style and comment noise). Importing the page must give the same report as importing the
//! dump — every field, every cell — and every source line must point at the HTML line where
//! the corresponding cell or paragraph starts. Encodings (GBK, UTF-8 with BOM) must not
//! change anything but the recorded encoding and hash.

use report_review::import::blocks::{Block, RawCell, RawRow};
use report_review::import::document::parse_heading;
use report_review::import::number::looks_numeric;
use report_review::import::tables::{classify, Kind};
use report_review::import::{import_bytes, textdump};
use report_review::model::Report;
use serde_json::Value;
use std::collections::HashMap;

mod common;

fn read_report(name: &str) -> String {
    common::real_text(name)
}

fn import(name: &str, bytes: &[u8]) -> Report {
    import_bytes(name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

// ---------------------------------------------------------------- page generator

/// Two publishing styles seen on government sites.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    /// A CMS page: `<h1>` title, `<p>` paragraphs, one `<table>` for all of table 2,
    /// `nowrap`/inline-style noise.
    Cms,
    /// A Word export pasted into a layout table: `MsoNormal` paragraphs, `<td …>` tags wrapped
    /// over two lines, `<span>`/`<o:p>` inside cells, table 2 as one `<table>` per sub-table
    /// with a `<caption>`, header rows in `<thead>`.
    Word,
}

/// HTML being written, with the source line of every dump line it represents.
struct Page {
    out: String,
    line: usize,
    /// Text-dump line → HTML line where that cell or paragraph starts.
    map: HashMap<usize, usize>,
    style: Style,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn is_ideograph(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Wrap a paragraph in the source between two ideographs roughly every `every` characters
/// (a browser shows no space there).
fn wrap_cjk(s: &str, every: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut since = 0;
    for (i, c) in chars.iter().enumerate() {
        out.push(*c);
        since += 1;
        if since >= every && is_ideograph(*c) && chars.get(i + 1).copied().is_some_and(is_ideograph)
        {
            out.push('\n');
            since = 0;
        }
    }
    out
}

/// `本年新制作数量` → `本年新<br />制作数量`.
fn break_label(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 5 || !is_ideograph(chars[2]) || !is_ideograph(chars[3]) {
        return escape(s);
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[3..].iter().collect();
    format!("{}<br />{}", escape(&head), escape(&tail))
}

impl Page {
    fn new(style: Style) -> Self {
        Page {
            out: String::new(),
            line: 1,
            map: HashMap::new(),
            style,
        }
    }

    fn raw(&mut self, s: &str) {
        self.line += s.matches('\n').count();
        self.out.push_str(s);
    }

    /// Start a new source line and record that `dump_line` starts on it.
    fn mark(&mut self, dump_line: usize) {
        self.raw("\n");
        let previous = self.map.insert(dump_line, self.line);
        assert!(previous.is_none(), "dump line {dump_line} emitted twice");
    }

    fn paragraph(&mut self, index: usize, line: usize, text: &str) {
        self.mark(line);
        let heading = parse_heading(text);
        let t = escape(text);
        let html = match (self.style, index, heading.map(|h| h.id)) {
            (Style::Cms, 0, _) => format!("<h1 class=\"title\" style=\"text-align:center\">{t}</h1>"),
            (Style::Word, 0, _) => format!(
                "<div class=\"article-title\"><p align=\"center\"><b><span style='font-size:22pt'>{t}</span></b></p></div>"
            ),
            // 上海 2019: a `<br />` before the heading inside the same paragraph.
            (_, _, Some("S4")) => format!("<p><br />{t}</p>"),
            (Style::Cms, _, Some(_)) => format!("<p class=\"heading\"><strong>{t}</strong></p>"),
            (Style::Word, _, Some(_)) => format!("<h2 style=\"font-size:16pt\">{t}</h2>"),
            (Style::Cms, _, None) => format!(
                "<p style=\"text-indent:2em;line-height:1.5\">&nbsp;&nbsp;{}</p>",
                escape(&wrap_cjk(text, 40))
            ),
            (Style::Word, _, None) => {
                let chars: Vec<char> = text.chars().collect();
                let half = chars.len() / 2;
                let a: String = chars[..half].iter().collect();
                let b: String = chars[half..].iter().collect();
                format!(
                    "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt;\n  mso-line-height-rule:exactly'>\n<span style='font-family:仿宋_GB2312'>　　{}</span><span\nlang=EN-US>{}</span><o:p></o:p></p>",
                    escape(&a),
                    escape(&wrap_cjk(&b, 30))
                )
            }
        };
        self.raw(&html);
    }

    fn open_table(&mut self) {
        match self.style {
            Style::Cms => self.raw(
                "\n<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"600\" style=\"border-collapse:collapse\">\n<tbody>",
            ),
            Style::Word => self.raw(
                "\n<div align=center>\n<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0\n style='border-collapse:collapse;mso-table-layout-alt:fixed'>",
            ),
        }
    }

    fn close_table(&mut self) {
        match self.style {
            Style::Cms => self.raw("\n</tbody>\n</table>"),
            Style::Word => self.raw("\n</table>\n</div>"),
        }
    }

    fn tr(&mut self, placeholders: &[&RawCell]) {
        self.raw("\n<tr style=\"height:20pt\">");
        let line = self.line;
        for p in placeholders {
            assert!(p.text.is_empty());
            let previous = self.map.insert(p.line, line);
            assert!(previous.is_none());
        }
    }

    /// One physical cell. `label` cells get `<br />` breaks; empty values are `&nbsp;`.
    fn td(&mut self, cell: &RawCell, rowspan: usize, colspan: usize, label: bool) {
        self.mark(cell.line);
        let mut attrs = String::new();
        if rowspan > 1 {
            attrs += &format!(" rowspan=\"{rowspan}\"");
        }
        if colspan > 1 {
            attrs += &format!(" colspan=\"{colspan}\"");
        }
        let content = if cell.text.is_empty() {
            "&nbsp;".to_string()
        } else if label {
            break_label(&cell.text)
        } else {
            escape(&cell.text)
        };
        let html = match self.style {
            Style::Cms => format!(
                "<td{attrs} nowrap style=\"border:1px solid #000;text-align:center\" width=\"8%\">{content}</td>"
            ),
            Style::Word => format!(
                "<td{attrs} width=43 valign=top style='width:32.0pt;border:solid windowtext 1.0pt;\n  border-top:none;padding:0cm 5.4pt 0cm 5.4pt'>\n<p class=MsoNormal align=center style='text-align:center'><span\n  lang=EN-US>{content}</span><o:p></o:p></p>\n</td>"
            ),
        };
        self.raw(&html);
    }

    fn end_tr(&mut self) {
        self.raw("\n</tr>");
    }
}

/// Leading placeholders, label cells, value cells (the split rule of docs/templates.md).
fn split(row: &RawRow) -> (Vec<&RawCell>, Vec<&RawCell>, Vec<&RawCell>) {
    let p = row.iter().take_while(|c| c.text.is_empty()).count();
    let l = row[p..]
        .iter()
        .take_while(|c| !c.text.is_empty() && !looks_numeric(&c.text))
        .count();
    (
        row[..p].iter().collect(),
        row[p..p + l].iter().collect(),
        row[p + l..].iter().collect(),
    )
}

/// Table 2: caption rows, `信息内容` header rows and data rows. Values use four logical
/// columns; header and data rows spread them differently (上海 2019).
fn table2(page: &mut Page, rows: &[RawRow]) {
    let spans = |n: usize, header: bool| -> Vec<usize> {
        match (n, header) {
            (3, true) => vec![1, 2, 1],
            (3, false) => vec![2, 1, 1],
            (2, true) => vec![1, 3],
            (2, false) => vec![3, 1],
            (n, _) => {
                let mut v = vec![1; n];
                if n == 1 {
                    v[0] = 4;
                }
                v
            }
        }
    };
    let split_tables = page.style == Style::Word;
    let mut open = false;
    if !split_tables {
        page.open_table();
        open = true;
    }
    for row in rows {
        if row.len() == 1 && row[0].text.starts_with("第二十条") {
            if split_tables {
                if open {
                    page.close_table();
                    page.raw("\n<p>&nbsp;</p>");
                }
                page.open_table();
                open = true;
                page.mark(row[0].line);
                page.raw(&format!(
                    "<caption style='text-align:left'><b>{}</b></caption>",
                    escape(&row[0].text)
                ));
            } else {
                page.tr(&[]);
                page.td(&row[0], 1, 5, false);
                page.end_tr();
            }
            continue;
        }
        let (placeholders, labels, values) = split(row);
        assert!(placeholders.is_empty(), "table 2 row with placeholders");
        let header = labels.len() > 1;
        page.tr(&[]);
        page.td(labels[0], 1, 1, false);
        let cells: Vec<&RawCell> = labels[1..].iter().chain(values.iter()).copied().collect();
        for (cell, span) in cells.iter().zip(spans(cells.len(), header)) {
            page.td(cell, 1, span, header);
        }
        page.end_tr();
    }
    if open {
        page.close_table();
    }
}

/// Table 3: the three header rows by hand, data rows with rowspans inferred from the
/// placeholders below each group label (三、本年度办理结果 20/22, （三）不予公开 8, …).
fn table3(page: &mut Page, rows: &[RawRow]) {
    let t = |r: usize| -> Vec<&str> { rows[r].iter().map(|c| c.text.as_str()).collect() };
    assert_eq!(t(0).len(), 2, "table 3 corner row: {:?}", t(0));
    assert_eq!(t(1), ["", "自然人", "法人或其他组织", "总计"]);
    assert_eq!(t(2).len(), 8);
    assert!(t(2)[0].is_empty() && t(2)[1].is_empty() && t(2)[7].is_empty());

    page.open_table();
    if page.style == Style::Word {
        page.raw("\n<thead>");
    }
    page.tr(&[]);
    page.td(&rows[0][0], 3, 3, false);
    page.td(&rows[0][1], 1, 7, false);
    page.end_tr();
    page.tr(&[&rows[1][0]]);
    page.td(&rows[1][1], 2, 1, false);
    page.td(&rows[1][2], 1, 5, true);
    page.td(&rows[1][3], 2, 1, false);
    page.end_tr();
    page.tr(&[&rows[2][0], &rows[2][1], &rows[2][7]]);
    for cell in &rows[2][2..7] {
        page.td(cell, 1, 1, true);
    }
    page.end_tr();
    if page.style == Style::Word {
        page.raw("\n</thead>\n<tbody>");
    }

    let data: Vec<(Vec<&RawCell>, Vec<&RawCell>, Vec<&RawCell>)> =
        rows[3..].iter().map(split).collect();
    let width = data
        .iter()
        .map(|(p, l, _)| p.len() + l.len())
        .max()
        .unwrap_or(1);
    for (r, (placeholders, labels, values)) in data.iter().enumerate() {
        page.tr(placeholders);
        for (i, label) in labels.iter().enumerate() {
            let col = placeholders.len() + i;
            let rowspan = 1 + data[r + 1..]
                .iter()
                .take_while(|(p, _, _)| p.len() > col)
                .count();
            let colspan = if i + 1 == labels.len() {
                width - col
            } else {
                1
            };
            page.td(
                label,
                rowspan,
                colspan,
                page.style == Style::Word && label.text.chars().count() > 10,
            );
        }
        for value in values {
            page.td(value, 1, 1, false);
        }
        page.end_tr();
    }
    if page.style == Style::Word {
        page.raw("\n</tbody>");
    }
    page.close_table();
}

/// Table 4: 行政复议 (colspan 5) | 行政诉讼 (colspan 10); five leaf headers with rowspan 2;
/// 未经复议直接起诉 / 复议后起诉 (colspan 5 each); ten leaf headers; fifteen values.
fn table4(page: &mut Page, rows: &[RawRow]) {
    let lens: Vec<usize> = rows.iter().map(Vec::len).collect();
    assert_eq!(lens, [2, 7, 15, 15], "table 4 shape");
    page.open_table();
    page.tr(&[]);
    page.td(&rows[0][0], 1, 5, false);
    page.td(&rows[0][1], 1, 10, false);
    page.end_tr();
    page.tr(&[]);
    for cell in &rows[1][..5] {
        page.td(cell, 2, 1, true);
    }
    page.td(&rows[1][5], 1, 5, true);
    page.td(&rows[1][6], 1, 5, false);
    page.end_tr();
    let placeholders: Vec<&RawCell> = rows[2][..5].iter().collect();
    page.tr(&placeholders);
    for cell in &rows[2][5..] {
        page.td(cell, 1, 1, true);
    }
    page.end_tr();
    page.tr(&[]);
    for cell in &rows[3] {
        page.td(cell, 1, 1, false);
    }
    page.end_tr();
    page.close_table();
}

/// The HTML page for a text dump, and the dump-line → HTML-line map.
fn html_page(dump: &str, style: Style) -> (String, HashMap<usize, usize>) {
    let mut page = Page::new(style);
    let blocks = textdump::read(dump);
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .unwrap_or_default();
    page.raw(&format!(
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />\n<title>{}_政府信息公开</title>\n<style type=\"text/css\">\np {{ margin: 0; }}\ntd {{ font-size: 12px; }}\n</style>\n<script type=\"text/javascript\">\nvar tpl = '<table><tr><td>本年新收政府信息公开申请数量</td></tr></table><p>一、总体情况</p>';\nif (a < b && c > d) {{ document.write(tpl); }}\n</script>\n</head>\n<body>\n<!-- <p>二、主动公开政府信息情况</p> <td>0</td> -->\n<div style=\"display:none\">一、总体情况 隐藏的副本</div>",
        escape(&title)
    ));
    if style == Style::Word {
        page.raw("\n<table width=\"100%\" class=\"layout\"><tr><td class=\"content\">\n<div class=WordSection1>");
    } else {
        page.raw("\n<div class=\"article\">");
    }
    let mut prose = 0;
    for block in &blocks {
        match block {
            Block::Text { line, text } => {
                page.paragraph(prose, *line, text);
                prose += 1;
            }
            Block::Table(rows) => match classify(rows) {
                Some(Kind::T2) => table2(&mut page, rows),
                Some(Kind::T3) => table3(&mut page, rows),
                Some(Kind::T4) => table4(&mut page, rows),
                None => panic!("unclassified table in the dump"),
            },
        }
    }
    if style == Style::Word {
        page.raw("\n</div>\n</td><td class=\"sidebar\" style=\"display:none\">相关链接</td></tr></table>");
    } else {
        page.raw("\n</div>");
    }
    page.raw("\n<script>var _hmt = _hmt || [];</script>\n</body>\n</html>\n");
    (page.out, page.map)
}

// ---------------------------------------------------------------- comparison

/// Compare two report JSON trees field by field, except `source`; where `lines` is given,
/// every `line` of the text report must map to the HTML line of the same cell/paragraph.
fn same(txt: &Value, html: &Value, lines: Option<&HashMap<usize, usize>>, path: &str) {
    match (txt, html) {
        (Value::Object(a), Value::Object(b)) => {
            let keys_a: Vec<&String> = a.keys().filter(|k| *k != "source").collect();
            let keys_b: Vec<&String> = b.keys().filter(|k| *k != "source").collect();
            assert_eq!(keys_a, keys_b, "{path}: fields differ");
            for k in keys_a {
                let p = format!("{path}.{k}");
                if k == "line" {
                    let (Some(ta), Some(hb)) = (a[k].as_u64(), b[k].as_u64()) else {
                        panic!("{p}: line is not a number");
                    };
                    match lines {
                        Some(map) if ta != 0 => {
                            let want = map.get(&(ta as usize)).unwrap_or_else(|| {
                                panic!("{p}: text line {ta} has no HTML counterpart")
                            });
                            assert_eq!(hb as usize, *want, "{p}: text line {ta}");
                        }
                        _ => assert_eq!(ta, hb, "{p}"),
                    }
                } else {
                    same(&a[k], &b[k], lines, &p);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}: lengths differ");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                same(x, y, lines, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(txt, html, "{path}"),
    }
}

fn json(r: &Report) -> Value {
    serde_json::to_value(r).expect("report serialises")
}

/// Import the dump and the generated page and require identical reports.
fn check_same(name: &str, style: Style) -> (Report, Report, String) {
    let dump = read_report(name);
    let (html, map) = html_page(&dump, style);
    let txt = import(name, dump.as_bytes());
    let page_name = name.replace(".txt", ".html");
    let from_html = import(&page_name, html.as_bytes());
    assert_eq!(from_html.source.format, "html");
    assert_eq!(txt.source.format, "text");
    same(&json(&txt), &json(&from_html), Some(&map), name);
    (txt, from_html, html)
}

/// Every table cell, by key.
fn cells(r: &Report) -> Vec<(String, String, Option<f64>)> {
    [&r.table2, &r.table3, &r.table4]
        .into_iter()
        .flatten()
        .flat_map(|t| &t.rows)
        .flat_map(|row| &row.cells)
        .map(|c| (c.key.to_string(), c.value.raw.to_string(), c.value.number))
        .collect()
}

// ---------------------------------------------------------------- tests

#[test]
fn sanqishizhen_2020_html_equals_text() {
    for style in [Style::Cms, Style::Word] {
        let (txt, html, page) = check_same("sanqishizhen_2020.txt", style);
        // Spelled out, beyond the field-by-field comparison.
        assert_eq!(html.agency, "三七市镇");
        assert_eq!(html.year, Some(2020));
        assert_eq!(html.template, txt.template);
        assert_eq!(html.template.as_str(), "2019");
        assert_eq!(html.sections.len(), txt.sections.len());
        assert_eq!(html.sections[3].number, "4、");
        assert_eq!(cells(&html), cells(&txt));
        assert_eq!(cells(&html).len(), 22 + 161 + 15);
        assert_eq!(
            html.cell("T2.a9.政府集中采购.amount").unwrap().raw,
            "22.64万元"
        );
        // The rowspan of 三、本年度办理结果 on the generated page is the F2019 one.
        assert!(page.contains("rowspan=\"20\""), "F2019 rowspan 20");
        assert!(page.contains("rowspan=\"8\""));
        assert!(page.contains("<p><br />4、 政府信息公开行政复议、行政诉讼情况</p>"));
    }
}

#[test]
fn pingtan_2021_html_equals_text() {
    for style in [Style::Cms, Style::Word] {
        let (txt, html, page) = check_same("pingtan_2021.txt", style);
        assert_eq!(html.agency, "平潭综合实验区");
        assert_eq!(html.year, Some(2021));
        assert_eq!(html.template.as_str(), "2021");
        let (a, b) = (
            html.published.clone().unwrap(),
            txt.published.clone().unwrap(),
        );
        assert_eq!(
            (a.year, a.month, a.day, a.raw),
            (b.year, b.month, b.day, b.raw)
        );
        assert_eq!(cells(&html), cells(&txt));
        assert_eq!(cells(&html).len(), 10 + 175 + 15);
        assert_eq!(
            html.cell("T2.a8.行政事业性收费.amount_wan").unwrap().raw,
            "24252.311082"
        );
        assert_eq!(html.cell("T3.R1.C7").unwrap().number, Some(70.0));
        assert!(page.contains("rowspan=\"22\""), "F2021 rowspan 22");
    }
}

#[test]
fn every_real_report_html_equals_text() {
    for name in [
        "huaian_shi_2024.txt",
        "huaian_hongzequ_2023.txt",
        "huaian_hongzequ_2024.txt",
        "pingtan_2019.txt",
        "pingtan_2020.txt",
        "pingtan_2022.txt",
    ] {
        for style in [Style::Cms, Style::Word] {
            check_same(name, style);
        }
    }
}

#[test]
fn html_lines_point_at_cells_and_paragraphs() {
    // The map check inside `same` covers every line; here a few by hand on the page text.
    let dump = read_report("sanqishizhen_2020.txt");
    let (page, _) = html_page(&dump, Style::Word);
    let r = import("sanqishizhen_2020.html", page.as_bytes());
    let lines: Vec<&str> = page.lines().collect();
    let at = |n: usize| lines[n - 1];
    let cell = r.cell("T2.a9.政府集中采购.amount").unwrap();
    assert!(at(cell.line).starts_with("<td"), "{}", at(cell.line));
    assert!(lines[cell.line..cell.line + 4]
        .join("\n")
        .contains("22.64万元"));
    let s4 = r.section("S4").unwrap();
    assert!(at(s4.line).contains("政府信息公开行政复议、行政诉讼情况"));
    let s1 = r.section("S1").unwrap();
    let first = &s1.lines[0];
    assert!(
        at(first.line).starts_with("<p class=MsoNormal"),
        "paragraph start tag"
    );
    let t3 = r.table3.as_ref().unwrap();
    let r1 = t3.row("R1").unwrap();
    assert!(lines[r1.line - 1..r1.line + 4]
        .join("")
        .contains("年新收到政府信息公开申请数量"));
    assert!(at(r1.line).starts_with("<td"));
}

#[test]
fn gbk_text_and_html_import_like_utf8() {
    let dump = read_report("sanqishizhen_2020.txt");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&dump);
    assert!(!unmappable, "the report is GBK-encodable");
    let utf8 = import("sanqishizhen_2020.txt", dump.as_bytes());
    let from_gbk = import("sanqishizhen_2020.txt", &gbk);
    assert_eq!(from_gbk.source.encoding, "gb18030");
    assert_ne!(from_gbk.source.sha256, utf8.source.sha256);
    same(&json(&utf8), &json(&from_gbk), None, "gbk text");

    for name in ["pingtan_2021.txt", "huaian_shi_2024.txt"] {
        let (page, _) = html_page(&read_report(name), Style::Cms);
        let page_gbk = page.replace("charset=utf-8", "charset=gbk");
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&page_gbk);
        assert!(!unmappable, "{name} is GBK-encodable");
        let utf8 = import("page.html", page.as_bytes());
        let from_gbk = import("page.html", &gbk);
        assert_eq!(from_gbk.source.encoding, "gb18030");
        assert_eq!(from_gbk.source.format, "html");
        same(&json(&utf8), &json(&from_gbk), None, name);
    }
}

#[test]
fn bom_text_and_html_import_like_utf8() {
    let dump = read_report("pingtan_2021.txt");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(dump.as_bytes());
    let plain = import("pingtan_2021.txt", dump.as_bytes());
    let with_bom = import("pingtan_2021.txt", &bom);
    assert_eq!(with_bom.source.encoding, "UTF-8 (BOM)");
    same(&json(&plain), &json(&with_bom), None, "bom text");

    let (page, _) = html_page(&dump, Style::Word);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(page.as_bytes());
    // No extension: the reader is chosen by sniffing the content.
    let plain = import("page", page.as_bytes());
    let with_bom = import("page", &bom);
    assert_eq!(plain.source.format, "html");
    assert_eq!(with_bom.source.format, "html");
    assert_eq!(with_bom.source.encoding, "UTF-8 (BOM)");
    same(&json(&plain), &json(&with_bom), None, "bom html");
}

#[test]
fn crlf_page_keeps_lines() {
    let dump = read_report("huaian_shi_2024.txt");
    let (page, map) = html_page(&dump, Style::Word);
    let crlf = page.replace('\n', "\r\n");
    let txt = import("huaian_shi_2024.txt", dump.as_bytes());
    let html = import("huaian_shi_2024.html", crlf.as_bytes());
    same(&json(&txt), &json(&html), Some(&map), "crlf");
}

#[test]
fn broken_html_pages_are_refused_not_panicking() {
    for (name, page) in [
        ("empty.html", "<html><body></body></html>"),
        ("prose.html", "<p>一、总体情况</p><p>本年度无。</p>"),
        (
            "cut.html",
            "<p>一、总体情况</p><table><tr><td>申请人情况</td></tr><tr><td>一、本年新收政府信息公开申请数量</td><td>1",
        ),
        ("junk.html", "<table><tr><td colspan=100000 rowspan=-1><<<>>>&&&"),
    ] {
        assert!(import_bytes(name, page.as_bytes()).is_err(), "{name}");
    }
}

// ---------------------------------------------------------------- 上海 2019 page markup

/// One cell as the 上海市人民政府办公厅 2019 page prints it (a published page): `nowrap`, a width
/// style and a `<p>` wrapper; blanks are `&nbsp;`.
fn sh_td(span: &str, text: &str) -> String {
    let text = if text.is_empty() { "&nbsp;" } else { text };
    format!("<td {span}nowrap=\"nowrap\" style=\"width:38px;\"><p align=\"center\">{text}</p></td>")
}

fn sh_row(cells: &[(&str, &str)]) -> String {
    let tds: String = cells.iter().map(|(span, t)| sh_td(span, t)).collect();
    format!("<tr>{tds}</tr>\n")
}

/// The table structure of the 上海 2019 page, with its published numbers: header and data
/// rows of table 2 spread the same logical columns over different colspans.
fn shanghai_2019_page() -> String {
    let c2 = "colspan=\"2\" ";
    let mut t2 = String::from("<table align=\"center\" border=\"1\" cellspacing=\"1\"><tbody>\n");
    let caption = |n: &str| sh_row(&[("colspan=\"5\" ", &format!("第二十条第（{n}）项"))]);
    t2 += &caption("一");
    t2 += &sh_row(&[
        ("", "信息内容"),
        ("", "本年新<br />制作数量"),
        (c2, "本年新<br />公开数量"),
        ("", "对外公开总数量"),
    ]);
    t2 += &sh_row(&[("", "规章"), ("", "13"), (c2, "13"), ("", "524")]);
    t2 += &sh_row(&[("", "规范性文件"), ("", "60"), (c2, "60"), ("", "368")]);
    for (n, rows) in [
        ("五", ["行政许可", "其他对外管理服务事项"]),
        ("六", ["行政处罚", "行政强制"]),
    ] {
        t2 += &caption(n);
        t2 += &sh_row(&[
            ("", "信息内容"),
            ("", "上一年项目数量"),
            (c2, "本年增/减"),
            ("", "处理决定数量"),
        ]);
        for row in rows {
            t2 += &sh_row(&[("", row), (c2, "0"), ("", "0"), ("", "0")]);
        }
    }
    t2 += &caption("八");
    t2 += &sh_row(&[("", "信息内容"), (c2, "上一年项目数量"), (c2, "本年增/减")]);
    t2 += &sh_row(&[("", "行政事业性收费"), (c2, "0"), (c2, "0")]);
    t2 += &caption("九");
    t2 += &sh_row(&[("", "信息内容"), (c2, "采购项目数量"), (c2, "采购总金额")]);
    t2 += &sh_row(&[("", "政府集中采购"), (c2, "6"), (c2, "251000元")]);
    t2 += "</tbody></table>";

    let mut t3 = String::from("<table align=\"center\" border=\"1\" cellspacing=\"1\"><tbody>\n");
    t3 += &sh_row(&[
        (
            "colspan=\"3\" rowspan=\"3\" ",
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        ),
        ("colspan=\"7\" ", "申请人情况"),
    ]);
    t3 += &sh_row(&[
        ("rowspan=\"2\" ", "自然人"),
        ("colspan=\"5\" ", "法人或其他组织"),
        ("rowspan=\"2\" ", "总计"),
    ]);
    t3 += &sh_row(&[
        ("", "商业企业"),
        ("", "科研机构"),
        ("", "社会公益组织"),
        ("", "法律服务机构"),
        ("", "其他"),
    ]);
    let values = |v: [&'static str; 7]| v.map(|x| ("", x));
    let mut data = |labels: &[(&str, &str)], v: [&'static str; 7]| {
        let mut cells: Vec<(&str, &str)> = labels.to_vec();
        cells.extend(values(v));
        t3 += &sh_row(&cells);
    };
    let e = "";
    data(
        &[("colspan=\"3\" ", "一、本年新收政府信息公开申请数量")],
        ["821", "35", e, e, "2", "1", "859"],
    );
    data(
        &[("colspan=\"3\" ", "二、上年结转政府信息公开申请数量")],
        ["18", e, e, e, e, e, "18"],
    );
    data(
        &[
            ("rowspan=\"20\" ", "三、本年度办理结果"),
            (c2, "（一）予以公开"),
        ],
        ["258", "12", e, e, "1", "1", e],
    );
    data(
        &[(
            c2,
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        )],
        ["3", e, e, e, e, e, e],
    );
    data(
        &[("rowspan=\"8\" ", "（三）不予公开"), ("", "1.属于国家秘密")],
        ["14", e, e, e, e, e, e],
    );
    data(&[("", "2.其他法律行政法规禁止公开")], [e; 7]);
    data(&[("", "3.危及“三安全一稳定”")], [e; 7]);
    data(&[("", "4.保护第三方合法权益")], [e; 7]);
    data(&[("", "5.属于三类内部事务信息")], ["5", e, e, e, e, e, e]);
    data(&[("", "6.属于四类过程性信息")], ["3", "1", e, e, e, e, e]);
    data(&[("", "7.属于行政执法案卷")], [e; 7]);
    data(&[("", "8.属于行政查询事项")], ["10", "2", e, e, e, e, e]);
    data(
        &[
            ("rowspan=\"3\" ", "（四）无法提供"),
            ("", "1.本机关不掌握相关政府信息"),
        ],
        ["252", "12", e, e, "1", e, e],
    );
    data(
        &[("", "2.没有现成信息需要另行制作")],
        ["44", "3", e, e, e, e, e],
    );
    data(
        &[("", "3.补正后申请内容仍不明确")],
        ["25", e, e, e, e, e, e],
    );
    data(
        &[
            ("rowspan=\"5\" ", "（五）不予处理"),
            ("", "1.信访举报投诉类申请"),
        ],
        ["148", "1", e, e, e, e, e],
    );
    data(&[("", "2.重复申请")], ["5", "4", e, e, e, e, e]);
    data(&[("", "3.要求提供公开出版物")], [e; 7]);
    data(&[("", "4.无正当理由大量反复申请")], [e; 7]);
    data(&[("", "5.要求行政机关确认或重新出具已获取信息")], [e; 7]);
    data(&[(c2, "（六）其他处理")], [e; 7]);
    data(&[(c2, "（七）总计")], ["767", "35", e, e, "2", "1", "805"]);
    data(
        &[("colspan=\"3\" ", "四、结转下年度继续办理")],
        ["72", e, e, e, e, e, "72"],
    );
    t3 += "</tbody></table>";

    let leaves = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    let mut t4 = String::from("<table align=\"center\" border=\"1\" cellspacing=\"1\"><tbody>\n");
    t4 += "<tr><td colspan=\"5\" style=\"width:190px;\"><p>行政复议</p></td><td colspan=\"10\" style=\"width:383px;\"><p>行政诉讼</p></td></tr>\n<tr>";
    for leaf in leaves {
        t4 += &format!("<td rowspan=\"2\" style=\"width:28px;\"><p>{leaf}</p></td>");
    }
    t4 += "<td colspan=\"5\" style=\"width:196px;\"><p>未经复议直接起诉</p></td><td colspan=\"5\" style=\"width:187px;\"><p>复议后起诉</p></td></tr>\n<tr>";
    for leaf in leaves.iter().chain(&leaves) {
        t4 += &format!("<td style=\"width:40px;\"><p>{leaf}</p></td>");
    }
    t4 += "</tr>\n<tr>";
    for v in [
        "5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", "",
    ] {
        if v.is_empty() {
            t4 += "<td style=\"width:40px;\">&nbsp;</td>";
        } else {
            t4 += &format!("<td style=\"width:40px;\"><p>{v}</p></td>");
        }
    }
    t4 += "</tr>\n</tbody></table>";

    format!(
        "<html><head><meta charset=\"utf-8\"><title>2019年上海市人民政府办公厅政府信息公开工作年度报告</title></head><body>\n\
<p style='text-align: center;font-weight: bold;'>2019年上海市人民政府办公厅政府信息公开工作年度报告</p>\t<p style='text-align: center'>发布日期：2020-01-31</p><p>本年度报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的要求编制。本年度报告中所列数据统计期限从2019年1月1日到12月31日止。</p>\n\
<p>一、总体情况</p><p>2019年，上海市人民政府办公厅坚持以习近平新时代中国特色社会主义思想为指导。</p><p>（一）主动公开方面</p><p>2019年，主动公开规章13件，行政规范性文件60件。</p>\n\
<p>二、主动公开政府信息情况</p>{t2}\n\
<p>三、收到和处理政府信息公开申请情况</p>{t3}\n\
<p><br />四、政府信息公开行政复议、行政诉讼情况</p>{t4}\n\
<p>五、政府信息公开工作存在的主要问题及改进情况</p><p>（一）主要问题</p><p>一是新《条例》实施后，专业领域的理论学习仍需加强。</p>\n\
<p>六、其他需要报告的事项</p><p>无。</p>\n</body></html>\n"
    )
}

#[test]
fn shanghai_2019_page_markup() {
    let page = shanghai_2019_page();
    let r = import("shanghai_2019.html", page.as_bytes());
    assert_eq!(r.source.format, "html");
    assert_eq!(
        r.title.as_deref(),
        Some("2019年上海市人民政府办公厅政府信息公开工作年度报告")
    );
    // Agency and year are not asserted: `document::find_title` does not yet read the
    // year-first title form (`2019年上海市…`), in either input form.
    assert_eq!(r.template.as_str(), "2019");
    let published = r.published.as_ref().unwrap();
    assert_eq!(
        (published.year, published.month, published.day),
        (2020, 1, 31)
    );
    let ids: Vec<&str> = r.sections.iter().filter_map(|s| s.id.as_deref()).collect();
    assert_eq!(ids, ["S1", "S2", "S3", "S4", "S5", "S6"]);
    assert_eq!(r.section("S4").unwrap().number, "四、");
    assert_eq!(r.section("S6").unwrap().text(), "无。");

    let raw = |k: &str| r.cell(k).unwrap_or_else(|| panic!("{k}")).raw.clone();
    // Table 2: header colspan 1/2 against data colspan 2/1 read by logical order.
    assert_eq!(raw("T2.a1.规章.published"), "13");
    assert_eq!(raw("T2.a1.规章.public_total"), "524");
    assert_eq!(raw("T2.a1.规范性文件.public_total"), "368");
    assert_eq!(raw("T2.a5.行政许可.decisions"), "0");
    assert_eq!(raw("T2.a9.政府集中采购.count"), "6");
    assert_eq!(raw("T2.a9.政府集中采购.amount"), "251000元");
    let t2_cells: usize = r
        .table2
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .map(|r| r.cells.len())
        .sum();
    assert_eq!(t2_cells, 22);

    // Table 3: 23 rows × 7, `&nbsp;` blanks.
    let t3 = r.table3.as_ref().unwrap();
    assert_eq!(t3.rows.len(), 23);
    assert!(t3
        .rows
        .iter()
        .all(|row| row.recognised && row.cells.len() == 7));
    let nums = |row: &str| -> Vec<Option<f64>> {
        t3.row(row)
            .unwrap()
            .cells
            .iter()
            .map(|c| c.value.number)
            .collect()
    };
    assert_eq!(
        nums("R1"),
        [
            Some(821.0),
            Some(35.0),
            None,
            None,
            Some(2.0),
            Some(1.0),
            Some(859.0)
        ]
    );
    assert_eq!(nums("R3_7")[6], Some(805.0));
    assert_eq!(nums("R3_4_1")[0], Some(252.0));
    assert_eq!(nums("R3_3_8")[..2], [Some(10.0), Some(2.0)]);
    assert_eq!(nums("R4")[6], Some(72.0));
    assert!(
        r.cell("T3.R3_1.C7").unwrap().blank,
        "the published 予以公开 总计 is blank"
    );

    // Table 4: 15 values after three header rows.
    assert_eq!(raw("T4.review.upheld"), "5");
    assert_eq!(raw("T4.review.total"), "7");
    assert_eq!(raw("T4.lit_direct.total"), "9");
    assert!(r.cell("T4.lit_after_review.total").unwrap().blank);

    // Source lines: the 上海 page puts a table row per line.
    let lines: Vec<&str> = page.lines().collect();
    let r1 = t3.row("R1").unwrap();
    assert!(lines[r1.line - 1].contains("一、本年新收政府信息公开申请数量"));
    let c = r.cell("T3.R3_3_8.C2").unwrap();
    assert!(lines[c.line - 1].contains("8.属于行政查询事项"));
}

/// Mangled pages (cut, duplicated, unbalanced markup, stray spans, control bytes) import or
/// fail with an error; nothing panics.
#[test]
fn mangled_pages_never_panic() {
    let base = shanghai_2019_page();
    let snippets = [
        "<td rowspan=0>",
        "<td colspan=999999999 rowspan=65535>0</td>",
        "</table>",
        "<table>",
        "</tr><tr>",
        "<!--",
        "<script>",
        "</p></p>",
        "<template><td>x</td></template>",
        "<svg><style><td>",
        "\r",
        "&#0;&#x1b;[31m",
        "\u{0}",
        "<caption>第二十条第（九）项</caption>",
        "<plaintext>",
        "<pre>\n",
        "<th rowspan=3>",
    ];
    // Deterministic xorshift, so a failure is reproducible.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| -> usize {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let boundary = |s: &str, mut i: usize| {
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    for round in 0..60 {
        let mut page = base.clone();
        for _ in 0..1 + next(4) {
            let at = boundary(&page, next(page.len()));
            match next(3) {
                0 => page.insert_str(at, snippets[next(snippets.len())]),
                1 => {
                    let end = boundary(&page, (at + next(400)).min(page.len()));
                    page.replace_range(at..end, "");
                }
                _ => {
                    let end = boundary(&page, (at + next(400)).min(page.len()));
                    let copy = page[at..end].to_string();
                    page.insert_str(end, &copy);
                }
            }
        }
        let name = format!("mangled_{round}.html");
        let _ = import_bytes(&name, page.as_bytes());
        let _ = report_review::import::html::read(&page);
    }
}

/// 平潭 2022 as the platform publishes it: a crawler's header before the page, the
/// breadcrumb, the metadata table (名称, 索引号, 分类, 发布机构, 公开日期, 文号), a footer and a
/// sub-heading in part 一 that repeats part 二's title.
fn platform_page(dump: &str, head: &str, meta_table: bool) -> String {
    let (page, _) = html_page(dump, Style::Cms);
    let mut top = String::from(
        "\n<div class=\"crawler\">标题：平潭综合实验区管委会办公室2022年度政府信息公开工作年度报告<br />采集时间：2024-05-06 10:11:12</div>\n<div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk\">政务公开</a> &gt; 政府信息公开年报</div>\n",
    );
    if meta_table {
        top.push_str("<table class=\"xxgk_table\"><tr><td>索引号：</td><td>003554001/2023-00012</td><td>分类：</td><td>政府信息公开年报</td></tr>\n<tr><td>发布机构：</td><td>平潭综合实验区管委会办公室</td><td>公开日期：</td><td>2023-02-20</td></tr>\n<tr><td>名称：</td><td colspan=\"3\">平潭综合实验区2022年度政府信息公开工作年度报告</td></tr>\n<tr><td>文号：</td><td colspan=\"3\"></td></tr></table>\n");
    }
    let page = page
        .replacen("</head>", &format!("{head}</head>"), 1)
        .replacen("<body>", &format!("<body>{top}"), 1)
        .replacen(
            "</body>",
            "<div class=\"footer\">版权所有：平潭综合实验区管委会 闽ICP备12345678号</div>\n</body>",
            1,
        );
    let part1 = page.find("一、总体情况").expect("part 一");
    let end = part1 + page[part1..].find("</p>").expect("its paragraph") + "</p>".len();
    format!(
        "{}\n<p>（一）主动公开政府信息情况</p>{}",
        &page[..end],
        &page[end..]
    )
}

fn finding_keys(r: &Report) -> Vec<String> {
    let mut k: Vec<String> = report_review::check::check_report(
        r,
        &report_review::check::Config::default(),
        report_review::i18n::Lang::En,
    )
    .iter()
    .map(|f| f.key())
    .collect();
    k.sort();
    k
}

#[test]
fn a_platform_page_takes_issuer_and_date_from_its_metadata_table() {
    let dump = read_report("pingtan_2022.txt");
    let txt = import("pingtan_2022.txt", dump.as_bytes());
    let page = platform_page(&dump, "", true);
    let r = import("pingtan_2022.html", page.as_bytes());
    assert_eq!(r.agency, txt.agency);
    assert_eq!(r.title, txt.title);
    assert_eq!(r.issuer.as_deref(), Some("平潭综合实验区管委会办公室"));
    let d = r.published.as_ref().expect("公开日期");
    assert_eq!((d.ymd(), d.source.as_str()), ((2023, 2, 20), "公开日期"));
    let ids: Vec<&str> = r.sections.iter().filter_map(|s| s.id.as_deref()).collect();
    assert_eq!(ids, ["S1", "S2", "S3", "S4", "S5", "S6"]);
    let prose: Vec<&str> = r.preamble.iter().map(|l| l.text.as_str()).collect();
    assert!(
        prose
            .iter()
            .all(|t| !t.contains("采集时间") && !t.contains("当前位置")),
        "{prose:?}"
    );
    assert!(r.sections[5]
        .lines
        .iter()
        .all(|l| !l.text.contains("版权所有")));
    // As published, except that the date is now known (2023-02-20 ≤ 03-31).
    let expected: Vec<String> = finding_keys(&txt)
        .into_iter()
        .filter(|k| k != "META-DATE@META.date" && k != "META-DEADLINE@META.date")
        .collect();
    assert_eq!(finding_keys(&r), expected);
}

#[test]
fn a_crawled_page_without_metadata_keeps_the_crawl_time_out() {
    let dump = read_report("pingtan_2022.txt");
    let txt = import("pingtan_2022.txt", dump.as_bytes());
    let r = import(
        "pingtan_2022.html",
        platform_page(&dump, "", false).as_bytes(),
    );
    assert_eq!(
        (r.agency.as_str(), r.published.as_ref()),
        (txt.agency.as_str(), None)
    );
    assert_eq!(finding_keys(&r), finding_keys(&txt));
    // The date a `<meta name="PubDate">` states is the publication date.
    let head = "<meta name=\"PubDate\" content=\"2023-02-20 09:30\" />\n";
    let r = import(
        "pingtan_2022.html",
        platform_page(&dump, head, false).as_bytes(),
    );
    assert_eq!(r.published.as_ref().map(|d| d.ymd()), Some((2023, 2, 20)));
    let page = platform_page(&dump, "", false).replacen(
        "<div class=\"crumb\">",
        "<publishtime>2023-02-20</publishtime>\n<div class=\"crumb\">",
        1,
    );
    let r = import("pingtan_2022.html", page.as_bytes());
    assert_eq!(r.published.as_ref().map(|d| d.ymd()), Some((2023, 2, 20)));
}

/// Word-exported pages leave inline tags open inside closed paragraphs
/// (`<p><span>注释</p>` over and over): the real DOM stays shallow, so the page is read,
/// while a page really nested too deep is still refused.
#[test]
fn many_unclosed_spans_in_closed_paragraphs_are_not_deep_nesting() {
    let dump = read_report("sanqishizhen_2020.txt");
    let (html, _) = html_page(&dump, Style::Word);
    let notes = "<p class=MsoNormal><span lang=EN-US>注释</p>\n".repeat(1200);
    let page = html.replacen(
        "\n<script>var _hmt",
        &format!("\n{notes}<script>var _hmt"),
        1,
    );
    assert_ne!(page, html);
    let from_html = import("sanqishizhen_2020.html", page.as_bytes());
    let txt = import("sanqishizhen_2020.txt", dump.as_bytes());
    assert_eq!(cells(&from_html), cells(&txt));
    let deep = format!("<html><body>{}x</body></html>", "<div>".repeat(1200));
    let err = import_bytes("deep.html", deep.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("nested"), "{err}");
}
