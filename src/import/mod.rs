//! Raw report (text dump or HTML page, any common encoding) → `Report`.
//!
//! decode bytes → reader (text dump or HTML) → blocks → tables + prose → `Report`.
//! Deterministic: the same bytes always give the same report.

pub mod blocks;
pub mod document;
pub mod encoding;
pub mod html;
pub mod number;
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
}

/// Input forms the importer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
}

impl Format {
    /// From the file extension, falling back to sniffing the content.
    pub fn detect(file_name: &str, text: &str) -> Format {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") {
            return Format::Html;
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

/// Import one file from disk.
pub fn import_file(path: &Path) -> Result<Report, ImportError> {
    let bytes = std::fs::read(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    import_bytes(&name, &bytes)
}

/// Import a report from its bytes; `file_name` is recorded and picks the reader by extension.
pub fn import_bytes(file_name: &str, bytes: &[u8]) -> Result<Report, ImportError> {
    let decoded = encoding::decode(bytes)?;
    let format = Format::detect(file_name, &decoded.text);
    let blocks = match format {
        Format::Text => textdump::read(&decoded.text),
        Format::Html => html::read(&decoded.text),
    };
    let source = SourceInfo {
        file_name: file_name.to_string(),
        sha256: hex::encode(Sha256::digest(bytes)),
        format: match format {
            Format::Text => "text".into(),
            Format::Html => "html".into(),
        },
        encoding: decoded.encoding,
    };
    build_report(source, &blocks)
}

/// Interpret reader blocks as a report.
pub fn build_report(source: SourceInfo, blocks: &[Block]) -> Result<Report, ImportError> {
    let mut notes: Vec<ImportNote> = Vec::new();
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

    let (issuer, signed) = document::take_signature(&mut sections);
    let year = title.year.or_else(|| year_from_period(&prose));
    let (template, template_signals) = tables::detect_template(&t2_signals, Some(&t3_shape), year);
    let published = document::find_published(&prose).or(signed);
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
        table2,
        table3: Some(table3),
        table4,
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
