//! Positioned text: glyphs on a page → lines (one baseline each) → fragments (runs of
//! glyphs without a wide gap). Both the PDF text layer and the `pdftotext -layout` text form
//! are brought to this shape, so one assembler reads tables and prose from either.

/// One glyph as placed: its text, the left end of its baseline and its advance, in points
/// from the page's top-left corner (y grows downwards), and its font size.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub text: String,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub size: f32,
}

/// One page of glyphs.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// 1-based page number.
    pub number: usize,
    pub width: f32,
    pub height: f32,
    pub glyphs: Vec<Glyph>,
}

/// A run of glyphs on one line with no gap wider than `FRAG_GAP` em between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Frag {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
}

/// One printed line: the fragments sharing a baseline, left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based page number.
    pub page: usize,
    /// 1-based line number over the whole document (the text form's line).
    pub number: usize,
    /// Baseline, in points from the top of the page.
    pub y: f32,
    /// Typical glyph size on the line (one em).
    pub em: f32,
    pub frags: Vec<Frag>,
}

impl Line {
    /// The line's text, fragments separated by one space.
    pub fn text(&self) -> String {
        let parts: Vec<&str> = self.frags.iter().map(|f| f.text.as_str()).collect();
        parts.join(" ")
    }

    pub fn x0(&self) -> f32 {
        self.frags.first().map_or(0.0, |f| f.x0)
    }

    pub fn x1(&self) -> f32 {
        self.frags.last().map_or(0.0, |f| f.x1)
    }
}

/// A gap of at least this many em between two glyphs starts a new fragment: table cells
/// are further apart than that; words in a line are not.
const FRAG_GAP: f32 = 0.9;
/// A smaller gap (but above this) is kept as one space inside the fragment (`2024 年`).
const SPACE_GAP: f32 = 0.2;

/// Lines of one page from its glyphs: glyphs drawn twice at the same spot (fake bold) are
/// dropped, baselines closer than a third of an em are one line.
pub fn page_lines(page: &Page, first_number: usize) -> Vec<Line> {
    let mut glyphs: Vec<&Glyph> = page
        .glyphs
        .iter()
        .filter(|g| g.x.is_finite() && g.y.is_finite() && g.size.is_finite())
        .collect();
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Vec<&Glyph>> = Vec::new();
    for g in glyphs {
        let tol = (g.size.max(1.0)) * 0.35;
        match rows.last_mut() {
            Some(row) if (g.y - row[0].y).abs() <= tol => row.push(g),
            _ => rows.push(vec![g]),
        }
    }
    rows.into_iter()
        .enumerate()
        .map(|(i, mut row)| {
            row.sort_by(|a, b| a.x.total_cmp(&b.x));
            row.dedup_by(|b, a| {
                a.text == b.text
                    && (a.x - b.x).abs() < a.size * 0.3
                    && (a.y - b.y).abs() < a.size * 0.3
            });
            let mut sizes: Vec<f32> = row.iter().map(|g| g.size).collect();
            sizes.sort_by(f32::total_cmp);
            let em = sizes.get(sizes.len() / 2).copied().unwrap_or(12.0).max(1.0);
            let y = row.iter().map(|g| g.y).sum::<f32>() / row.len().max(1) as f32;
            Line {
                page: page.number,
                number: first_number + i,
                y,
                em,
                frags: frags_of(&row, em),
            }
        })
        .collect()
}

/// Split a line's glyphs (left to right) into fragments at wide gaps.
pub fn frags_of(glyphs: &[&Glyph], em: f32) -> Vec<Frag> {
    let mut out: Vec<Frag> = Vec::new();
    for g in glyphs {
        match out.last_mut() {
            Some(f) if g.x - f.x1 < FRAG_GAP * em => {
                if g.x - f.x1 > SPACE_GAP * em && !f.text.ends_with(' ') {
                    f.text.push(' ');
                }
                f.text.push_str(&g.text);
                f.x1 = f.x1.max(g.x + g.w);
            }
            _ => out.push(Frag {
                text: g.text.clone(),
                x0: g.x,
                x1: g.x + g.w,
            }),
        }
    }
    out
}

/// Page furniture: a page number (`-1-`, `- 2 -`, `第 3 页`, `3/10`) alone on a line.
pub fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let core = t
        .trim_start_matches(['-', '—', '–', '－', '·'])
        .trim_end_matches(['-', '—', '–', '－', '·']);
    let core = core
        .strip_prefix('第')
        .and_then(|r| r.strip_suffix('页'))
        .unwrap_or(core);
    let core = core.split_once("页共").map_or(core, |(a, _)| a);
    let core = core.split_once('/').map_or(core, |(a, b)| {
        if b.chars().all(|c| c.is_ascii_digit()) {
            a
        } else {
            core
        }
    });
    !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for t in ["-1-", "- 12 -", "第 3 页", "3/10", "—2—", "7"] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["2024 年", "-", "第二十条", "12345", "1.属于国家秘密"] {
            assert!(!is_page_number(t), "{t}");
        }
    }

    fn g(text: &str, x: f32, y: f32) -> Glyph {
        Glyph {
            text: text.into(),
            x,
            y,
            w: 10.0,
            size: 10.0,
        }
    }

    #[test]
    fn baselines_and_gaps() {
        let page = Page {
            number: 2,
            width: 500.0,
            height: 800.0,
            glyphs: vec![
                g("规", 10.0, 100.0),
                g("章", 20.0, 100.5),
                g("章", 20.2, 100.5),
                g("0", 100.0, 101.0),
                g("下", 10.0, 115.0),
            ],
        };
        let lines = page_lines(&page, 5);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].number, 5);
        assert_eq!(lines[0].text(), "规章 0");
        assert_eq!(lines[0].frags.len(), 2);
        assert_eq!(lines[1].text(), "下");
    }
}
