//! The parsed report: what every other part of report-review works on.
//!
//! A `Report` is produced by `import` and serialised as JSON (see `docs/json-format.md`).
//! Every number keeps the text it was printed as and the source line it came from, so a
//! finding can always be traced back to the page.

pub mod key;

pub use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// Version of the JSON layout. Bump when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// Which official template a report follows (docs/templates.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Template {
    /// 国办公开办函〔2019〕60号 format, used for the 2019 and 2020 reports.
    #[serde(rename = "2019")]
    F2019,
    /// 国办公开办函〔2021〕30号 format, used from the 2021 report on.
    #[serde(rename = "2021")]
    F2021,
    /// A mix of both: recorded, not rejected (e.g. 2021 table 2 with a 2019-style （六）其他处理 row).
    #[serde(rename = "hybrid")]
    Hybrid,
}

impl Template {
    pub fn as_str(self) -> &'static str {
        match self {
            Template::F2019 => "2019",
            Template::F2021 => "2021",
            Template::Hybrid => "hybrid",
        }
    }

    /// The template as a reader sees it: the two formats by their year, a mix of both as
    /// 混用 in Chinese.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match (self, lang) {
            (Template::Hybrid, crate::i18n::Lang::Zh) => "混用",
            _ => self.as_str(),
        }
    }

    /// A signal of [`Report::template_signals`] (recorded in English by the importer) in
    /// `lang`: `（六）其他处理 single row` is `（六）其他处理（单行）` in Chinese.
    pub fn signal_in(signal: &str, lang: crate::i18n::Lang) -> String {
        if lang == crate::i18n::Lang::En {
            return signal.to_string();
        }
        signal
            .replace(" single row", "（单行）")
            .replace(" 1–3 sub-rows", "（1–3 个子行）")
    }
}

/// One number cell as printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Value {
    /// The number, with any unit removed; `None` when blank or not a number.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub number: Option<f64>,
    /// Unit printed with the number (`万元`, `元`, `件`, `条`, `个`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub unit: Option<String>,
    /// The cell text exactly as printed (control characters removed); short, so kept inline.
    pub raw: CompactString,
    /// True for blank-like cells: empty, `&nbsp;`, `—`, `-`, `/`, `无`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub blank: bool,
    /// 1-based line in the source file.
    pub line: usize,
    /// How the printed text was read when that is not plain: a footnote mark dropped
    /// (`5¹`), a unit converted to the template's (`22.64亿元` → 万元), a unit from the header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Value {
    /// The number for arithmetic: blank counts as 0 (docs/templates.md, values);
    /// text that is not a number gives `None` (the operand is missing).
    pub fn amount(&self) -> Option<f64> {
        if self.blank {
            Some(0.0)
        } else {
            self.number
        }
    }

    /// True when the text is neither blank nor a number.
    pub fn is_unreadable(&self) -> bool {
        !self.blank && self.number.is_none()
    }
}

/// One cell of a table, with its stable key (docs/templates.md), e.g. `T3.R3_3_4.C1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Kept inline (most keys are under 24 bytes): a report has hundreds of cells.
    pub key: CompactString,
    pub value: Value,
}

/// One table row. `key` is the canonical row key (`R3_3_4`, `a6.行政处罚`, `review`);
/// rows the template does not know are kept with `recognised = false` and a key `X<n>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub key: String,
    /// The row label as printed (group labels joined with ` / ` when the row sits under one).
    pub label: String,
    pub recognised: bool,
    pub line: usize,
    pub cells: Vec<Cell>,
}

/// Table 2, 3 or 4 of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// `T2`, `T3` or `T4`.
    pub id: String,
    /// Line of the table's first cell.
    pub line: usize,
    pub rows: Vec<Row>,
    /// Column headers printed but not in the template (kept, flagged by TBL-EXTRA-ROWS).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_columns: Vec<String>,
}

impl Table {
    pub fn row(&self, key: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.key == key)
    }

    pub fn cell(&self, key: &str) -> Option<&Cell> {
        self.rows
            .iter()
            .flat_map(|r| r.cells.iter())
            .find(|c| c.key == key)
    }
}

/// The canonical ids of the six required parts (docs/templates.md).
pub const SECTION_IDS: [&str; 6] = ["S1", "S2", "S3", "S4", "S5", "S6"];

/// A prose section as printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Canonical id `S1`..`S6`; `None` for a heading we could not place.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// The number as printed, e.g. `一、` or `4、 `.
    pub number: String,
    /// The heading text after the number, as printed.
    pub heading: String,
    pub line: usize,
    /// The section's prose lines (table cells excluded), each with its source line.
    pub lines: Vec<TextLine>,
}

impl Section {
    /// The prose as one string, lines joined without separators
    /// (PDF re-layouts wrap mid-sentence).
    pub fn text(&self) -> String {
        self.lines.iter().map(|l| l.text.as_str()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextLine {
    pub line: usize,
    pub text: String,
}

/// A date printed in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// Where it came from: `发布日期`, `时间`, `signature`.
    pub source: String,
    pub raw: String,
    pub line: usize,
}

impl Date {
    pub fn ymd(&self) -> (i32, u32, u32) {
        (self.year, self.month, self.day)
    }
}

/// Where the report was read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub file_name: String,
    pub sha256: String,
    /// `text` (one cell per line), `html`, `pdf`, `pdf-layout-text` or `docx`.
    pub format: String,
    /// Detected encoding: `UTF-8`, `UTF-8 (BOM)`, `GB18030`, … (empty for PDF and DOCX).
    pub encoding: String,
    /// For paged sources (PDF and its layout text): the first line number of each page, in
    /// page order. Lines are numbered over the whole document; `place` turns one into a
    /// page and a line on that page. Empty for sources without pages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<usize>,
}

/// Where a line is on the printed page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// 1-based page, for paged sources.
    pub page: Option<usize>,
    /// 1-based line: on the page for paged sources, in the file otherwise.
    pub line: usize,
}

impl SourceInfo {
    /// The page and line of a document line number.
    pub fn place(&self, line: usize) -> Place {
        match self.pages.iter().rposition(|first| *first <= line) {
            Some(i) if line > 0 => Place {
                page: Some(i + 1),
                line: line - self.pages[i] + 1,
            },
            _ => Place { page: None, line },
        }
    }

    /// The kind of source as a reader names it: `text` is 文本 in Chinese, `html` 网页.
    pub fn format_label(&self, lang: crate::i18n::Lang) -> &str {
        if lang == crate::i18n::Lang::En {
            return &self.format;
        }
        match self.format.as_str() {
            "text" => "文本",
            "html" => "网页",
            "pdf" => "PDF",
            "pdf-layout-text" => "PDF 版式文本",
            "docx" => "Word",
            "json" => "JSON",
            other => other,
        }
    }

    /// `p.3 l.12` / `第3页 第12行` for paged sources, `line 12` / `第 12 行` otherwise.
    pub fn place_label(&self, line: usize, zh: bool) -> String {
        match (self.place(line), zh) {
            (
                Place {
                    page: Some(p),
                    line,
                },
                false,
            ) => format!("p.{p} l.{line}"),
            (
                Place {
                    page: Some(p),
                    line,
                },
                true,
            ) => format!("第{p}页 第{line}行"),
            (Place { page: None, line }, false) => format!("line {line}"),
            (Place { page: None, line }, true) => format!("第 {line} 行"),
        }
    }
}

/// Something the importer noticed but could work around.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportNote {
    pub line: usize,
    pub message: String,
}

/// The importer's fixed words (it records notes in English) and their Chinese, longest first
/// where one contains another. Text the report printed is quoted in backticks and never
/// translated.
const NOTE_WORDS_ZH: &[(&str, &str)] = &[
    (
        "table 4 (行政复议、行政诉讼) not found",
        "未找到表四（行政复议、行政诉讼）",
    ),
    (
        "table 2 (主动公开政府信息情况) not found",
        "未找到表二（主动公开政府信息情况）",
    ),
    (
        "agency not found in title, signature or intro",
        "标题、落款和导语中都没有找到机关",
    ),
    (
        " invalid UTF-8 byte sequence(s) replaced by U+FFFD on line(s) ",
        " 处无效 UTF-8 字节已替换为 U+FFFD，所在行 ",
    ),
    ("table 3 label ", "表三标签 "),
    ("table 3 row ", "表三行 "),
    ("table 2 row ", "表二行 "),
    ("table 2 column ", "表二列 "),
    ("table 4 has ", "表四有 "),
    (" is not in the template; kept as ", " 不在模板中，记为 "),
    (" is printed again; kept as ", " 重复出现，记为 "),
    (
        "; extra values kept as raw text only",
        " 个，多出的只保留原文",
    ),
    ("; extra ignored", " 个，多出的不计"),
    (" values, expected ", " 个数值，应为 "),
    (" values for ", " 个数值，而列有 "),
    (" columns", " 个"),
    (" from the column header", " 取自列标题"),
    ("unit ", "单位 "),
    (" read as ", " 读作 "),
    (" has ", " 有 "),
];

impl ImportNote {
    /// The note in `lang`: the importer's fixed words translated, the report's own text
    /// (between backticks) and keys kept as they are.
    pub fn message_in(&self, lang: crate::i18n::Lang) -> String {
        if lang == crate::i18n::Lang::En {
            return self.message.clone();
        }
        self.message
            .split('`')
            .enumerate()
            .map(|(i, part)| {
                if i % 2 == 1 {
                    return part.to_string();
                }
                NOTE_WORDS_ZH
                    .iter()
                    .fold(part.to_string(), |s, (en, zh)| s.replace(en, zh))
            })
            .collect::<Vec<_>>()
            .join("`")
    }
}

/// A parsed annual report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub source: SourceInfo,
    /// Title as printed (lines joined when a PDF re-layout split it).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<String>,
    /// The agency as written in the title.
    pub agency: String,
    /// The issuing agency from the signature line, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub issuer: Option<String>,
    /// Normalised agency name used to pair reports (`余姚市三七市镇`).
    pub agency_key: String,
    pub year: Option<i32>,
    pub template: Template,
    /// The labels that decided the template (for TPL-* explanations).
    #[serde(default)]
    pub template_signals: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub published: Option<Date>,
    /// Prose before the first numbered section (intro paragraph).
    #[serde(default)]
    pub preamble: Vec<TextLine>,
    pub sections: Vec<Section>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub table2: Option<Box<Table>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub table3: Option<Box<Table>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub table4: Option<Box<Table>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<ImportNote>,
}

impl Report {
    /// Stable key of the report: normalised agency + year (`余姚市三七市镇/2020`).
    pub fn key(&self) -> String {
        self.key_parts().to_string()
    }

    /// The parts of [`Report::key`], to look it up or write it without a new string.
    pub fn key_parts(&self) -> key::ReportKey<'_> {
        key::ReportKey {
            agency: &self.agency_key,
            year: self.year,
        }
    }

    /// Whether `key` is this report's [`Report::key`], without spelling the key out (the
    /// screen asks it of every report of a batch).
    pub fn has_key(&self, key: &str) -> bool {
        let Some(year) = key
            .strip_prefix(self.agency_key.as_str())
            .and_then(|rest| rest.strip_prefix('/'))
        else {
            return false;
        };
        match self.year {
            // The year as `Display` spells it: no sign, no leading zeros.
            Some(y) => year.parse::<i32>() == Ok(y) && year.len() == decimal_len(y),
            None => year == "?",
        }
    }

    pub fn table(&self, id: &str) -> Option<&Table> {
        match id {
            "T2" => self.table2.as_deref(),
            "T3" => self.table3.as_deref(),
            "T4" => self.table4.as_deref(),
            _ => None,
        }
    }

    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        [&self.table2, &self.table3, &self.table4]
            .into_iter()
            .filter_map(|t| t.as_deref())
    }

    /// Look a cell up by its full key (`T3.R1.C7`, `T4.review.total`, `T2.a1.规章.made`).
    pub fn cell(&self, key: &str) -> Option<&Value> {
        let table = self.table(key::TableId::of(key)?.as_str())?;
        table.cell(key).map(|c| &c.value)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id.as_deref() == Some(id))
    }
}

/// An amount as published: integers without decimals (`26`), decimals as printed
/// (`24252.311082`), never rounded to a fixed precision. Only float noise from arithmetic
/// (a difference of two amounts, `4252.211082000001`) is trimmed, at six decimals — the most
/// a published amount in 万元 carries.
pub fn fmt_amount(n: f64) -> String {
    if n.is_finite() && n == n.trunc() && n.abs() < 1e15 {
        return format!("{}", n as i64);
    }
    let shortest = n.to_string();
    let decimals = shortest.split_once('.').map_or(0, |(_, d)| d.len());
    if decimals <= 6 {
        return shortest;
    }
    let fixed = format!("{n:.6}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "0" || trimmed == "-0" {
        // A real amount below a millionth: show it, do not round it away.
        shortest
    } else {
        trimmed.to_string()
    }
}

/// Characters `Display` spells `n` with.
fn decimal_len(n: i32) -> usize {
    let digits = n
        .unsigned_abs()
        .checked_ilog10()
        .map_or(1, |l| l as usize + 1);
    digits + usize::from(n < 0)
}

#[cfg(test)]
mod tests {
    use super::fmt_amount;

    #[test]
    fn a_report_knows_its_key_without_spelling_it() {
        let mut r = crate::generate::generate(1, 1, 0).remove(0).1;
        r.agency_key = "余姚市三七市镇".into();
        for year in [Some(2020), Some(-7), Some(0), Some(10), None] {
            r.year = year;
            let key = r.key();
            assert!(r.has_key(&key), "{key}");
            for other in [
                format!("{key}0"),
                key.replace('/', "//"),
                "余姚市三七市/2020".to_string(),
                "余姚市三七市镇/+2020".to_string(),
                "余姚市三七市镇/02020".to_string(),
                "余姚市三七市镇".to_string(),
            ] {
                assert!(!r.has_key(&other), "{key} has {other}?");
            }
        }
    }

    #[test]
    fn amounts_print_as_published() {
        assert_eq!(fmt_amount(26.0), "26");
        assert_eq!(fmt_amount(-3.0), "-3");
        assert_eq!(fmt_amount(24252.311082), "24252.311082");
        assert_eq!(fmt_amount(0.5), "0.5");
        assert_eq!(fmt_amount(24252.311082 - 20000.1), "4252.211082");
        assert_eq!(fmt_amount(0.1 + 0.2), "0.3");
        assert_eq!(fmt_amount(0.0000001), "0.0000001");
        assert_eq!(fmt_amount(-0.0), "0");
    }

    #[test]
    fn import_notes_read_in_chinese_with_the_report_text_kept() {
        use crate::i18n::Lang;
        let note = |m: &str| super::ImportNote {
            line: 12,
            message: m.to_string(),
        };
        let n = note("table 3 row `（八）其它` is not in the template; kept as X1");
        assert_eq!(
            n.message_in(Lang::Zh),
            "表三行 `（八）其它` 不在模板中，记为 X1"
        );
        assert_eq!(n.message_in(Lang::En), n.message);
        let n = note(
            "table 3 row `（七）总计` has 9 values, expected 8; extra values kept as raw text only",
        );
        assert_eq!(
            n.message_in(Lang::Zh),
            "表三行 `（七）总计` 有 9 个数值，应为 8 个，多出的只保留原文"
        );
        // A report's own words are never changed, even when they look like the importer's.
        let n = note("table 2 row ` read as ` read as `规章`");
        assert_eq!(n.message_in(Lang::Zh), "表二行 ` read as ` 读作 `规章`");
        let n = note("T2.a1.规章.public: `3万元` read as unit 万元 from the column header");
        assert_eq!(
            n.message_in(Lang::Zh),
            "T2.a1.规章.public: `3万元` 读作 单位 万元 取自列标题"
        );
    }
}
