//! DOCX reports (WordprocessingML in a zip) → blocks.
//!
//! Paragraphs (`w:p`) outside tables are prose lines; tables (`w:tbl`) are read cell by cell
//! with their spans — `w:gridSpan` across, `w:vMerge` down (`restart` opens a merged cell,
//! a bare `w:vMerge` continues it) — and laid out by the grid shared with the HTML reader.
//! A table nested in a cell is read as that cell's text.
//!
//! Line numbers are paragraph numbers: every `w:p` of the document body, in order, counts
//! one (paragraphs inside table cells included), so a value leads back to its paragraph.

use super::blocks::{sanitize, Block, RawCell};
use super::grid::{resolve_grid, GridCell, GridRow};
use super::{tables, ImportError};
use crate::template::normalize_label;
use quick_xml::events::{BytesStart, Event};
use std::io::Read;

/// Bound on the unpacked `word/document.xml` (a real report's is well under a megabyte).
const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// True when the bytes are a zip holding a Word document.
pub fn is_docx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") && bytes.windows(17).any(|w| w == b"word/document.xml")
}

/// Read the document body into blocks.
pub fn read(bytes: &[u8]) -> Result<Vec<Block>, ImportError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ImportError::Broken(format!("DOCX cannot be opened as a zip: {e}")))?;
    let mut file = zip.by_name("word/document.xml").map_err(|_| {
        ImportError::NotAReport("zip without word/document.xml, not a Word document".into())
    })?;
    if file.size() > MAX_XML_BYTES {
        return Err(ImportError::TooLarge(file.size()));
    }
    let mut xml = String::new();
    file.by_ref()
        .take(MAX_XML_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(|e| ImportError::Broken(format!("DOCX document.xml unreadable: {e}")))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(ImportError::TooLarge(xml.len() as u64));
    }
    let blocks = parse(&xml).map_err(|e| ImportError::Broken(format!("DOCX document.xml: {e}")))?;
    Ok(attach_captions(blocks))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum VMerge {
    No,
    Restart,
    Continue,
}

#[derive(Debug)]
struct DocCell {
    text: String,
    line: usize,
    span: usize,
    vmerge: VMerge,
}

#[derive(Debug, Default)]
struct DocRow {
    grid_before: usize,
    cells: Vec<DocCell>,
}

#[derive(Default)]
struct Parser {
    blocks: Vec<Block>,
    paragraph: usize,
    para_line: usize,
    text: String,
    in_text: bool,
    /// Open tables: the outermost is read as a table, deeper ones as cell text.
    table_depth: usize,
    rows: Vec<DocRow>,
    row: Option<DocRow>,
    cell: Option<DocCell>,
}

fn val(e: &BytesStart) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == b"val")
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

fn parse(xml: &str) -> Result<Vec<Block>, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut p = Parser::default();
    loop {
        match reader.read_event()? {
            Event::Eof => break,
            Event::Start(e) => p.open(&e, false),
            Event::Empty(e) => p.open(&e, true),
            Event::End(e) => p.close(e.local_name().as_ref()),
            Event::Text(t) if p.in_text => {
                if let Ok(s) = t.decode() {
                    p.text.push_str(&s);
                }
            }
            Event::CData(t) if p.in_text => {
                p.text.push_str(&String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) if p.in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    p.text.push(c);
                } else if let Ok(name) = r.decode() {
                    if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                        p.text.push_str(s);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(p.blocks)
}

impl Parser {
    fn in_cell(&self) -> bool {
        self.table_depth > 0 && self.cell.is_some()
    }

    fn open(&mut self, e: &BytesStart, empty: bool) {
        let name = e.local_name();
        match name.as_ref() {
            b"p" if !empty => {
                self.paragraph += 1;
                self.para_line = self.paragraph;
                self.text.clear();
            }
            b"t" if !empty => self.in_text = true,
            b"tab" => self.text.push(' '),
            b"tbl" if !empty => {
                self.table_depth += 1;
                if self.table_depth == 1 {
                    self.rows.clear();
                }
            }
            b"tr" if self.table_depth == 1 && !empty => self.row = Some(DocRow::default()),
            b"gridBefore" if self.table_depth == 1 => {
                if let Some(row) = self.row.as_mut() {
                    row.grid_before = val(e).and_then(|v| v.parse().ok()).unwrap_or(0).min(64);
                }
            }
            b"tc" if self.table_depth == 1 && !empty => {
                self.cell = Some(DocCell {
                    text: String::new(),
                    line: self.paragraph + 1,
                    span: 1,
                    vmerge: VMerge::No,
                })
            }
            b"gridSpan" if self.table_depth == 1 => {
                if let Some(cell) = self.cell.as_mut() {
                    cell.span = val(e)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 64);
                }
            }
            b"vMerge" if self.table_depth == 1 => {
                if let Some(cell) = self.cell.as_mut() {
                    cell.vmerge = match val(e).as_deref() {
                        Some("restart") => VMerge::Restart,
                        _ => VMerge::Continue,
                    };
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &[u8]) {
        match name {
            b"t" => self.in_text = false,
            b"p" => {
                let text = sanitize(&self.text).trim().to_string();
                self.text.clear();
                if self.in_cell() {
                    if let Some(cell) = self.cell.as_mut() {
                        if cell.text.is_empty() {
                            cell.line = self.para_line;
                        }
                        cell.text.push_str(&text);
                    }
                } else if !text.is_empty() && self.table_depth == 0 {
                    self.blocks.push(Block::Text {
                        line: self.para_line,
                        text,
                    });
                }
            }
            b"tc" if self.table_depth == 1 => {
                if let (Some(cell), Some(row)) = (self.cell.take(), self.row.as_mut()) {
                    row.cells.push(cell);
                }
            }
            b"tr" if self.table_depth == 1 => {
                if let Some(row) = self.row.take() {
                    self.rows.push(row);
                }
            }
            b"tbl" => {
                self.table_depth = self.table_depth.saturating_sub(1);
                if self.table_depth == 0 {
                    let rows = std::mem::take(&mut self.rows);
                    self.table(rows);
                }
            }
            _ => {}
        }
    }

    /// Spans → grid rows → text-dump rows; a layout table (one column, not a report
    /// table) is read as prose.
    fn table(&mut self, rows: Vec<DocRow>) {
        let grid = grid_rows(&rows);
        let raw = resolve_grid(&grid);
        if tables::classify(&raw).is_none() && raw.iter().all(|r| r.len() <= 1) {
            for cell in raw.into_iter().flatten() {
                if !cell.text.is_empty() {
                    self.blocks.push(Block::Text {
                        line: cell.line,
                        text: cell.text,
                    });
                }
            }
            return;
        }
        if !raw.is_empty() {
            self.blocks.push(Block::Table(raw));
        }
    }
}

/// `w:vMerge` continuations become the rowspan of the cell that opened the merge in the
/// same grid column.
fn grid_rows(rows: &[DocRow]) -> Vec<GridRow> {
    // (row, cell index) of the cell that opened a vertical merge, by grid column.
    let mut open: Vec<Option<(usize, usize)>> = Vec::new();
    let mut out: Vec<GridRow> = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let mut cells: Vec<GridCell> = Vec::new();
        let mut col = row.grid_before;
        for cell in &row.cells {
            if open.len() < col + cell.span {
                open.resize(col + cell.span, None);
            }
            match cell.vmerge {
                VMerge::Continue => {
                    if let Some((orow, oidx)) = open[col] {
                        let target: &mut GridCell = if orow == r {
                            &mut cells[oidx]
                        } else {
                            &mut out[orow].cells[oidx]
                        };
                        target.rowspan = r - orow + 1;
                        col += cell.span;
                        continue;
                    }
                }
                VMerge::Restart => open[col] = Some((r, cells.len())),
                VMerge::No => open[col] = None,
            }
            cells.push(GridCell {
                text: cell.text.clone(),
                line: cell.line,
                rowspan: 1,
                colspan: cell.span,
            });
            col += cell.span;
        }
        out.push(GridRow {
            line: row.cells.first().map_or(0, |c| c.line),
            group: 0,
            cells,
        });
    }
    out
}

/// A table-2 caption printed as a paragraph just above its table becomes the table's
/// first row, as in the text dump.
fn attach_captions(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        if let Block::Table(mut rows) = block {
            if let Some(Block::Text { line, text }) = out.last() {
                if normalize_label(text).starts_with("第二十条") {
                    rows.insert(
                        0,
                        vec![RawCell {
                            text: text.clone(),
                            line: *line,
                        }],
                    );
                    out.pop();
                }
            }
            out.push(Block::Table(rows));
        } else {
            out.push(block);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> Vec<Vec<String>> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(rows) => Some(rows),
                _ => None,
            })
            .flatten()
            .map(|r| r.iter().map(|c| c.text.clone()).collect())
            .collect()
    }

    fn tc(props: &str, text: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
    }

    #[test]
    fn vmerge_and_gridspan_give_text_dump_rows() {
        let restart = r#"<w:vMerge w:val="restart"/>"#;
        let xml = format!(
            r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>标题</w:t></w:r></w:p><w:tbl>
            <w:tr>{}</w:tr>
            <w:tr>{}{}{}</w:tr>
            <w:tr>{}{}{}</w:tr>
            <w:tr>{}{}{}</w:tr></w:tbl></w:body></w:document>"#,
            tc(r#"<w:gridSpan w:val="3"/>"#, "第二十条第（一）项"),
            tc(restart, "三、本年度办理结果"),
            tc("", "（一）予以公开"),
            tc("", "1"),
            tc("<w:vMerge/>", ""),
            tc("", "（二）部分公开 &amp; 其他"),
            tc("", "2"),
            tc("<w:vMerge/>", ""),
            tc("", "（三）不予公开"),
            tc("", "3"),
        );
        let blocks = parse(&xml).unwrap();
        assert_eq!(
            blocks[0],
            Block::Text {
                line: 1,
                text: "标题".into()
            }
        );
        assert_eq!(
            texts(&blocks),
            vec![
                vec!["第二十条第（一）项".to_string()],
                vec![
                    "三、本年度办理结果".into(),
                    "（一）予以公开".into(),
                    "1".into()
                ],
                vec!["".into(), "（二）部分公开 & 其他".into(), "2".into()],
                vec!["".into(), "（三）不予公开".into(), "3".into()],
            ]
        );
    }
}
