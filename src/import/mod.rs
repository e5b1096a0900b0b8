//! Raw report (text dump, HTML page, PDF, its `pdftotext -layout` text, or DOCX) → `Report`.
//!
//! decode bytes → reader (text dump, HTML, PDF, layout text or DOCX) → blocks → tables +
//! prose → `Report`.
//! Deterministic: the same bytes always give the same report.

pub mod blocks;
pub mod document;
pub mod docx;
pub mod encoding;
pub mod grid;
pub mod html;
pub mod number;
pub mod pdf;
pub mod tables;
pub mod textdump;

use crate::model::{ImportNote, Report, SourceInfo, Table, TextLine, SCHEMA_VERSION};
use blocks::{Block, RawRow};
use sha2::{Digest, Sha256};
use std::path::Path;
use tables::Kind;

/// Why a file could not be imported. The message is one line, for the user.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file")]
    Empty,
    #[error("binary file, not a report")]
    Binary,
    #[error("not a report: {0}")]
    NotAReport(String),
    #[error("{0}")]
    Broken(String),
    #[error("file too large ({} MB > {} MB)", .0.div_ceil(MB), MAX_FILE_BYTES / MB)]
    TooLarge(u64),
    #[error("not a regular file ({0})")]
    NotRegularFile(&'static str),
}

const MB: u64 = 1024 * 1024;

/// Largest file the importer reads. Real reports are tens of kilobytes (a Word-export page a
/// few megabytes); a 30 MB page takes minutes and a gigabyte of memory to parse. Anything
/// bigger is refused before it is read, so a stray dump in a batch costs neither.
pub const MAX_FILE_BYTES: u64 = 10 * MB;

/// Read a report file: regular files only (a FIFO or device would block or never end), at
/// most `MAX_FILE_BYTES` (checked before reading and again while reading, in case it grows).
pub fn read_file_bytes(path: &Path) -> Result<Vec<u8>, ImportError> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ImportError::NotRegularFile(file_kind(&meta.file_type())));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Input forms the importer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    /// A PDF's text layer.
    Pdf,
    /// `pdftotext -layout` output of a PDF (pages split by form feeds, columns by spaces).
    LayoutText,
    Docx,
}

impl Format {
    /// From the file extension, falling back to sniffing the content.
    pub fn detect(file_name: &str, text: &str) -> Format {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") {
            return Format::Html;
        }
        if lower.ends_with(".layout.txt") || pdf::layout_text::looks_like_layout(text) {
            return Format::LayoutText;
        }
        let head: String = text
            .chars()
            .take(2048)
            .collect::<String>()
            .to_ascii_lowercase();
        if head.contains("<html") || head.contains("<table") || head.contains("<!doctype html") {
            Format::Html
        } else {
            Format::Text
        }
    }
}

fn file_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// Import one file from disk.
pub fn import_file(path: &Path) -> Result<Report, ImportError> {
    let bytes = read_file_bytes(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    import_bytes(&name, &bytes)
}

/// Import a report from its bytes; `file_name` is recorded and picks the reader by extension.
pub fn import_bytes(file_name: &str, bytes: &[u8]) -> Result<Report, ImportError> {
    let lower = file_name.to_ascii_lowercase();
    // By extension, or by content for a PDF or Word file saved under another name.
    if lower.ends_with(".pdf") || bytes.starts_with(b"%PDF-") {
        if bytes.is_empty() {
            return Err(ImportError::Empty);
        }
        if !pdf::is_pdf(bytes) {
            return Err(ImportError::Broken(
                "not a PDF file (no %PDF- header)".into(),
            ));
        }
        let read = pdf::read(bytes)?;
        return build_report(
            source_info(file_name, bytes, Format::Pdf, "", read.pages),
            &read.blocks,
        );
    }
    if docx::is_docx(bytes) || lower.ends_with(".docx") {
        if bytes.is_empty() {
            return Err(ImportError::Empty);
        }
        let blocks = docx::read(bytes)?;
        return build_report(
            source_info(file_name, bytes, Format::Docx, "", Vec::new()),
            &blocks,
        );
    }
    let decoded = encoding::decode(bytes)?;
    let format = Format::detect(file_name, &decoded.text);
    let mut pages = Vec::new();
    let blocks = match format {
        Format::LayoutText => {
            let read = pdf::read_layout_text(&decoded.text);
            pages = read.pages;
            read.blocks
        }
        Format::Pdf | Format::Docx => unreachable!("binary formats are read above"),
        Format::Text => textdump::read(&decoded.text),
        Format::Html => {
            // html5ever checks element scope by walking the stack of open elements, so each
            // tag costs time in proportion to the nesting depth: 100,000 nested `<div>`s take
            // hours. No real report page nests anywhere near the limit.
            let depth = html_nesting_depth(&decoded.text);
            if depth > MAX_HTML_DEPTH {
                return Err(ImportError::Broken(format!(
                    "HTML nested {depth} elements deep (more than {MAX_HTML_DEPTH}); not a report page"
                )));
            }
            html::read(&decoded.text)
        }
    };
    let mut report = build_report(
        source_info(file_name, bytes, format, &decoded.encoding, pages),
        &blocks,
    )?;
    // Repairs of the decoding come first: they concern the whole file.
    let repairs = decoded
        .notes
        .into_iter()
        .map(|(line, message)| ImportNote { line, message });
    report.notes.splice(0..0, repairs);
    Ok(report)
}

fn source_info(
    file_name: &str,
    bytes: &[u8],
    format: Format,
    encoding: &str,
    pages: Vec<usize>,
) -> SourceInfo {
    SourceInfo {
        file_name: file_name.to_string(),
        sha256: hex::encode(Sha256::digest(bytes)),
        format: format.as_str().into(),
        encoding: encoding.to_string(),
        pages,
    }
}

impl Format {
    /// The name recorded in `SourceInfo::format`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::LayoutText => "pdf-layout-text",
            Format::Docx => "docx",
        }
    }
}

/// Deepest element nesting an HTML page may have (real pages: a few dozen).
pub const MAX_HTML_DEPTH: usize = 1000;

/// Elements that stay open until their end tag (no implied end from a sibling), counted by
/// `html_nesting_depth`. `p`, `li`, `td`, `tr` and friends close themselves and are left out,
/// so unclosed ones in a sloppy page do not add up.
const NESTING_TAGS: &[&str] = &[
    "a",
    "article",
    "b",
    "blockquote",
    "center",
    "div",
    "em",
    "font",
    "form",
    "i",
    "section",
    "span",
    "strong",
    "table",
    "u",
    "ul",
    "ol",
    "dl",
    "big",
    "small",
    "sub",
    "sup",
    "s",
    "strike",
    "nobr",
    "code",
    "main",
    "nav",
    "aside",
    "header",
    "footer",
    "fieldset",
];

/// Elements closed by a sibling start tag or by their parent's end (`<p>a<p>b`): tracked so
/// that their end tag — or the next sibling — closes the inline tags left open inside them
/// (Word exports write `<p><span>注释</p>` over and over).
const AUTO_CLOSING: &[&str] = &["p", "li", "td", "th", "tr", "dt", "dd"];

/// Inline (formatting) elements: an end tag of another element closes them implicitly.
const INLINE_TAGS: &[&str] = &[
    "a", "b", "em", "font", "i", "span", "strong", "u", "big", "small", "sub", "sup", "s",
    "strike", "nobr", "code",
];

/// Which open elements a start tag of `name` ends first (the sibling rule), if any.
fn implied_by_start(name: &str) -> &'static [&'static str] {
    match name {
        "p" => &["p"],
        "li" => &["li"],
        "td" | "th" => &["td", "th"],
        "tr" => &["tr", "td", "th"],
        "dt" | "dd" => &["dt", "dd"],
        _ => &[],
    }
}

/// Pop `stack` down to and including the topmost element named in `targets` — looking past
/// inline elements and `see_through` only — when there is one. `nesting` counts the
/// `NESTING_TAGS` on the stack.
fn close_to(stack: &mut Vec<String>, nesting: &mut usize, targets: &[&str], see_through: &[&str]) {
    for i in (0..stack.len()).rev() {
        let open = stack[i].as_str();
        if targets.contains(&open) {
            *nesting -= stack[i..]
                .iter()
                .filter(|t| NESTING_TAGS.contains(&t.as_str()))
                .count();
            stack.truncate(i);
            return;
        }
        if !see_through.contains(&open) && !INLINE_TAGS.contains(&open) {
            return;
        }
    }
}

/// An estimate of how deep the page nests elements (`NESTING_TAGS`), from a linear scan of its
/// tags: start tags open an element, end tags close theirs along with what was left open
/// inside, and a new `<p>`/`<li>`/`<td>`/`<tr>` ends its open sibling — as an HTML parser
/// does, so unclosed inline tags in closed paragraphs do not add up.
pub fn html_nesting_depth(src: &str) -> usize {
    let bytes = src.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let (mut nesting, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        i += off + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let len = bytes[start..]
            .iter()
            .take(16)
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if len == 0 {
            continue;
        }
        let name = src[start..start + len].to_ascii_lowercase();
        let auto = AUTO_CLOSING.contains(&name.as_str());
        if NESTING_TAGS.contains(&name.as_str()) || auto {
            if closing {
                // An end tag closes its element and whatever is still open inside it; one
                // with no open element of its name (looking past inline ones) is ignored.
                let through: &[&str] = match name.as_str() {
                    "tr" => &["td", "th", "p"],
                    "td" | "th" | "li" | "dd" | "dt" | "div" | "blockquote" | "section"
                    | "article" | "center" | "form" | "main" | "nav" | "aside" | "header"
                    | "footer" | "fieldset" => &["p", "li", "dd", "dt"],
                    "table" => &["tr", "td", "th", "p"],
                    "ul" | "ol" | "dl" => &["li", "dd", "dt", "p"],
                    _ => &[],
                };
                close_to(&mut stack, &mut nesting, &[name.as_str()], through);
            } else {
                let implied = implied_by_start(&name);
                if !implied.is_empty() {
                    close_to(&mut stack, &mut nesting, implied, &["p"]);
                }
                if !auto {
                    nesting += 1;
                    max = max.max(nesting);
                }
                stack.push(name);
            }
        }
        i = start + len;
    }
    max
}

/// Interpret reader blocks as a report.
pub fn build_report(source: SourceInfo, blocks: &[Block]) -> Result<Report, ImportError> {
    let mut notes: Vec<ImportNote> = Vec::new();
    // Crawler header lines, site chrome and the platform's metadata table are not the report.
    let (blocks, page) = document::strip_page(blocks);
    let blocks = blocks.as_slice();
    let prose: Vec<TextLine> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Text { line, text } => Some(TextLine {
                line: *line,
                text: text.clone(),
            }),
            Block::Table(_) => None,
        })
        .collect();

    let title = document::find_title(&prose);
    let (preamble, mut sections) = document::split_sections(blocks);
    let tables = group_tables(blocks);

    if sections.is_empty() && tables.is_empty() {
        return Err(ImportError::NotAReport(
            "no numbered sections and no statistics tables found".into(),
        ));
    }
    let Some(t3_rows) = tables.iter().find(|(k, _)| *k == Kind::T3).map(|(_, r)| r) else {
        return Err(ImportError::Broken(
            "table 3 (收到和处理政府信息公开申请情况) is missing".into(),
        ));
    };
    let (table3, t3_shape) = tables::read_t3(t3_rows, &mut notes);
    check_t3_complete(&table3)?;

    let table4 = match tables.iter().find(|(k, _)| *k == Kind::T4) {
        Some((_, rows)) => Some(tables::read_t4(rows, &mut notes).map_err(ImportError::Broken)?),
        None => {
            notes.push(ImportNote {
                line: 0,
                message: "table 4 (行政复议、行政诉讼) not found".into(),
            });
            None
        }
    };
    let (table2, t2_signals) = match tables.iter().find(|(k, _)| *k == Kind::T2) {
        Some((_, rows)) => {
            let (t, s) = tables::read_t2(rows, &mut notes);
            (Some(t), s)
        }
        None => {
            notes.push(ImportNote {
                line: 0,
                message: "table 2 (主动公开政府信息情况) not found".into(),
            });
            (None, tables::T2Signals::default())
        }
    };

    // How odd cells were read (footnote marks, units converted), so the import shows it.
    for t in table2.iter().chain([&table3]).chain(table4.iter()) {
        for c in t.rows.iter().flat_map(|r| r.cells.iter()) {
            if let Some(n) = &c.value.note {
                notes.push(ImportNote {
                    line: c.value.line,
                    message: format!("{}: `{}` read as {}", c.key, c.value.raw.trim(), n),
                });
            }
        }
    }
    let (signer, signed) = document::take_signature(&mut sections);
    // The platform's 发布机构 and 公开日期 come ahead of anything else on the page.
    let issuer = page.issuer.clone().or(signer);
    let year = title.year.or_else(|| year_from_period(&prose));
    let (template, template_signals) = tables::detect_template(&t2_signals, Some(&t3_shape), year);
    let published = page
        .published
        .clone()
        .or_else(|| document::find_published(&prose))
        .or(signed);
    let intro = document::intro_agency(&prose);
    let agency = title
        .agency
        .clone()
        .or_else(|| issuer.clone())
        .or_else(|| intro.clone())
        .unwrap_or_default();
    let agency_key = document::fullest_agency(
        Some(agency.as_str()).filter(|a| !a.is_empty()),
        &[issuer.as_deref(), intro.as_deref()],
    )
    .unwrap_or_default();
    if agency.is_empty() {
        notes.push(ImportNote {
            line: 0,
            message: "agency not found in title, signature or intro".into(),
        });
    }

    Ok(Report {
        schema_version: SCHEMA_VERSION,
        source,
        title: title.title,
        agency,
        issuer,
        agency_key,
        year,
        template,
        template_signals,
        published,
        preamble,
        sections,
        table2: table2.map(Box::new),
        table3: Some(Box::new(table3)),
        table4: table4.map(Box::new),
        notes,
    })
}

/// Table blocks classified; consecutive blocks of the same kind are merged
/// (HTML pages often print each sub-table of table 2 as its own `<table>`).
fn group_tables(blocks: &[Block]) -> Vec<(Kind, Vec<RawRow>)> {
    let mut out: Vec<(Kind, Vec<RawRow>)> = Vec::new();
    for block in blocks {
        let Block::Table(rows) = block else { continue };
        let Some(kind) = tables::classify(rows) else {
            continue;
        };
        match out.last_mut() {
            Some((k, existing)) if *k == kind => existing.extend(rows.iter().cloned()),
            _ => out.push((kind, rows.clone())),
        }
    }
    out
}

/// Table 3 must reach its last rows with all seven values; otherwise the page was cut off.
fn check_t3_complete(t3: &Table) -> Result<(), ImportError> {
    for key in ["R1", "R2", "R3_7", "R4"] {
        match t3.row(key) {
            None => {
                return Err(ImportError::Broken(format!(
                    "table 3 is truncated: row {key} missing"
                )))
            }
            Some(row) if row.cells.len() < 7 => {
                return Err(ImportError::Broken(format!(
                    "table 3 is truncated: row {key} (line {}) has {} of 7 values",
                    row.line,
                    row.cells.len()
                )))
            }
            _ => {}
        }
    }
    Ok(())
}

/// `统计期限自 2023 年 1 月 1 日` when the title gives no year.
fn year_from_period(lines: &[TextLine]) -> Option<i32> {
    let joined: String = lines
        .iter()
        .take(15)
        .flat_map(|l| l.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let at = joined.find("统计期限自")?;
    let digits: String = joined[at + "统计期限自".len()..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok().filter(|y| (1990..2100).contains(y))
}
