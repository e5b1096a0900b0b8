//! The `pdftotext -layout` text form of a PDF → positioned lines. pdftotext keeps each
//! glyph's column (wide characters take two) and separates pages with a form feed, so a
//! character's column stands in for its x position and the file's line for its baseline.

use super::positions::{frags_of, Glyph, Line};
use crate::import::blocks::sanitize;
use crate::textwidth::char_width;

/// Points per column: one em (a wide character) is two columns.
const COLUMN: f32 = 6.0;
const EM: f32 = 2.0 * COLUMN;

/// True when the text looks like `pdftotext -layout` output: pages separated by form feeds,
/// and table rows spread out over runs of spaces.
pub fn looks_like_layout(text: &str) -> bool {
    text.contains('\u{c}')
        && text
            .lines()
            .filter(|l| l.contains("          ") && !l.trim().is_empty())
            .count()
            >= 5
}

/// Lines of the text, numbered as in the file, with their page (form feeds counted).
pub fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut page = 1;
    for (i, raw) in text.lines().enumerate() {
        // pdftotext starts each page after the first with a form feed.
        page += raw.matches('\u{c}').count();
        let clean = sanitize(raw);
        let mut col = 0usize;
        let mut glyphs = Vec::new();
        for c in clean.chars() {
            let w = char_width(c);
            if !c.is_whitespace() {
                glyphs.push(Glyph {
                    text: c.to_string(),
                    x: col as f32 * COLUMN,
                    y: i as f32 * EM,
                    w: w as f32 * COLUMN,
                    size: EM,
                });
            }
            col += w.max(1);
        }
        if glyphs.is_empty() {
            continue;
        }
        let refs: Vec<&Glyph> = glyphs.iter().collect();
        out.push(Line {
            page,
            number: i + 1,
            y: i as f32 * EM,
            em: EM,
            frags: frags_of(&refs, EM),
        });
    }
    out
}
