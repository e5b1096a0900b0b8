//! PDF reports (their text layer) and their `pdftotext -layout` text form → blocks.
//!
//! PDF: lopdf parses the file (xref, object streams, filters, fonts' ToUnicode maps);
//! `text_layer` places every glyph; `positions` builds lines and fragments; `assemble`
//! reads tables and prose from them. Line numbers count the text lines of the whole
//! document, page after page, so every value keeps its page and its line on that page
//! (`SourceInfo::pages` holds each page's first line).
//!
//! A PDF without text (a scan), one that needs a password, or one whose fonts give no
//! Unicode text is refused with that reason rather than read as an empty or garbled report.

pub mod assemble;
pub mod fonts;
pub mod layout_text;
pub mod positions;
pub mod text_layer;

use super::blocks::Block;
use super::ImportError;
use positions::Line;

/// What a PDF (or its layout text) gives the importer.
pub struct Read {
    pub blocks: Vec<Block>,
    /// First line number of each page, in page order.
    pub pages: Vec<usize>,
}

/// Share of glyphs without Unicode text above which the text is unreadable.
const MAX_UNMAPPED_SHARE: f64 = 0.05;

/// True when the bytes start like a PDF file.
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// Read a PDF file's text layer into blocks.
pub fn read(bytes: &[u8]) -> Result<Read, ImportError> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| load_error(bytes, &e))?;
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err(ImportError::Broken(
            "encrypted PDF: it needs a password to open (加密的 PDF，需要密码才能打开)".into(),
        ));
    }
    let layer = text_layer::read(&doc)
        .map_err(|e| ImportError::Broken(format!("PDF content unreadable: {e}")))?;
    if layer.pages.is_empty() {
        return Err(ImportError::Broken("PDF has no pages".into()));
    }
    let glyphs: usize = layer.pages.iter().map(|p| p.glyphs.len()).sum();
    let unmapped: usize = layer.unmapped.iter().map(|(_, n)| n).sum();
    if glyphs == 0 && unmapped == 0 {
        return Err(ImportError::NotAReport(if layer.images > 0 {
            "scanned PDF: no text layer, run OCR first (扫描件，无文字层，需要先做 OCR)".into()
        } else {
            "PDF has no text".into()
        }));
    }
    if unmapped as f64 > MAX_UNMAPPED_SHARE * (glyphs + unmapped) as f64 {
        let fonts: Vec<String> = layer
            .unmapped
            .iter()
            .take(3)
            .map(|(name, n)| format!("{name} ({n} glyphs)"))
            .collect();
        return Err(ImportError::Broken(format!(
            "PDF text is garbled: font {} has no usable Unicode map (字体缺少 Unicode 映射，文字无法识别)",
            fonts.join(", ")
        )));
    }
    let mut lines: Vec<Line> = Vec::new();
    let mut pages = Vec::new();
    for page in &layer.pages {
        let first = lines.len() + 1;
        pages.push(first);
        lines.extend(positions::page_lines(page, first));
    }
    Ok(Read {
        blocks: assemble::blocks(&lines),
        pages,
    })
}

/// Read the `pdftotext -layout` text form.
pub fn read_layout_text(text: &str) -> Read {
    let lines = layout_text::lines(text);
    // Page n + 1 starts at the line holding the n-th form feed.
    let mut pages = vec![1];
    for (i, raw) in text.lines().enumerate() {
        for _ in 0..raw.matches('\u{c}').count() {
            pages.push(i + 1);
        }
    }
    Read {
        blocks: assemble::blocks(&lines),
        pages,
    }
}

/// lopdf's load error, said for the user: a cut-off file is the common case.
fn load_error(bytes: &[u8], e: &lopdf::Error) -> ImportError {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let has_eof = tail.windows(5).any(|w| w == b"%%EOF");
    if matches!(e, lopdf::Error::InvalidPassword) {
        return ImportError::Broken(
            "encrypted PDF: it needs a password to open (加密的 PDF，需要密码才能打开)".into(),
        );
    }
    if !has_eof {
        ImportError::Broken(format!("PDF is truncated (no end-of-file marker): {e}"))
    } else {
        ImportError::Broken(format!("PDF cannot be read: {e}"))
    }
}
