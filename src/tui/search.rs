//! Search inside one report: the prose (headings and lines), the tables' row labels, printed
//! values and cell keys. Hits are found over the report and its layout, by a pure function
//! (the prose rows depend on the width, so hits are found again when the report is laid out
//! again); the keys of the search prompt and of `n`/`N` while a search is active follow.

use super::action::{Action, Effect};
use super::layout::{cell_at, ProseRow, ReportLayout, TABLE_IDS};
use super::state::{Overlay, ReportView, State, Tab};
use crate::model::Report;
use std::ops::Range;

/// Where a hit is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HitPlace {
    /// In the prose: display row `row` (of `ReportLayout::prose`); `sec`/`line` and the char
    /// range in that line's text (a heading's `number + heading` when `line` is `None`).
    Prose {
        row: usize,
        sec: Option<usize>,
        line: Option<usize>,
        range: Range<usize>,
    },
    /// A row label of a table (grid row).
    Label { tid: &'static str, row: usize },
    /// A cell of a table (grid row, grid column): its printed value or its key.
    Cell {
        tid: &'static str,
        row: usize,
        col: usize,
    },
}

impl HitPlace {
    /// Order in the report: prose first, then the tables as printed, each by row and column.
    pub fn rank(&self) -> (usize, usize, usize) {
        match self {
            HitPlace::Prose { row, range, .. } => (0, *row, range.start),
            HitPlace::Label { tid, row } => (1 + table_rank(tid), *row, 0),
            HitPlace::Cell { tid, row, col } => (1 + table_rank(tid), *row, col + 1),
        }
    }
}

fn table_rank(tid: &str) -> usize {
    TABLE_IDS.iter().position(|t| *t == tid).unwrap_or(0)
}

/// An active search: what was typed, its hits in report order, the one shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Search {
    pub query: String,
    pub hits: Vec<HitPlace>,
    pub current: Option<usize>,
}

impl Search {
    /// `3/12`, or `0/0` without hits.
    pub fn position(&self) -> String {
        match self.current {
            Some(i) => format!("{}/{}", i + 1, self.hits.len()),
            None => format!("0/{}", self.hits.len()),
        }
    }

    pub fn current_hit(&self) -> Option<&HitPlace> {
        self.current.and_then(|i| self.hits.get(i))
    }

    /// Prose hits on (section, line): char ranges, and whether one of them is the current hit.
    pub fn prose_ranges(
        &self,
        sec: Option<usize>,
        line: Option<usize>,
    ) -> Vec<(Range<usize>, bool)> {
        self.hits
            .iter()
            .enumerate()
            .filter_map(|(i, h)| match h {
                HitPlace::Prose {
                    sec: s,
                    line: l,
                    range,
                    ..
                } if *s == sec && *l == line => Some((range.clone(), self.current == Some(i))),
                _ => None,
            })
            .collect()
    }

    /// Whether a table cell is a hit (its value or key).
    pub fn cell_hit(&self, tid: &str, row: usize, col: usize) -> bool {
        self.hits.iter().any(|h| {
            matches!(h, HitPlace::Cell { tid: t, row: r, col: c } if *t == tid && *r == row && *c == col)
        })
    }

    /// Whether a table row's label is a hit.
    pub fn label_hit(&self, tid: &str, row: usize) -> bool {
        self.hits
            .iter()
            .any(|h| matches!(h, HitPlace::Label { tid: t, row: r } if *t == tid && *r == row))
    }
}

/// Lower-cased chars, one per char of `s` (so char positions map back to the text).
fn folded(s: &str) -> Vec<char> {
    s.chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect()
}

/// Char ranges where `needle` (folded) occurs in `text`, not overlapping.
pub fn occurrences(text: &str, needle: &[char]) -> Vec<Range<usize>> {
    let hay = folded(text);
    let mut out = Vec::new();
    if needle.is_empty() || needle.len() > hay.len() {
        return out;
    }
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if hay[i..i + needle.len()] == needle[..] {
            out.push(i..i + needle.len());
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

/// The text of a heading as the prose view prints it (`一、总体情况`).
pub fn heading_text(report: &Report, si: usize) -> String {
    report
        .sections
        .get(si)
        .map(|s| format!("{}{}", s.number, s.heading))
        .unwrap_or_default()
}

/// Every hit of `query` in the report, in report order. Blank queries find nothing.
pub fn find(report: &Report, layout: &ReportLayout, query: &str) -> Vec<HitPlace> {
    let needle = folded(query.trim());
    let mut hits = Vec::new();
    if needle.is_empty() {
        return hits;
    }
    // Prose: each occurrence at the display row holding its first char.
    for (ri, row) in layout.prose.iter().enumerate() {
        match row {
            ProseRow::Heading(si) => {
                for range in occurrences(&heading_text(report, *si), &needle) {
                    hits.push(HitPlace::Prose {
                        row: ri,
                        sec: Some(*si),
                        line: None,
                        range,
                    });
                }
            }
            ProseRow::Text { sec, line, range } => {
                let text = match sec {
                    Some(s) => report.sections.get(*s).and_then(|s| s.lines.get(*line)),
                    None => report.preamble.get(*line),
                };
                let Some(text) = text else { continue };
                // The row holding a hit's first char, or the space a row broke at before it.
                let next_start = match layout.prose.get(ri + 1) {
                    Some(ProseRow::Text {
                        sec: s,
                        line: l,
                        range: next,
                    }) if s == sec && l == line => next.start,
                    _ => usize::MAX,
                };
                for r in occurrences(&text.text, &needle) {
                    if (range.start..next_start).contains(&r.start) {
                        hits.push(HitPlace::Prose {
                            row: ri,
                            sec: *sec,
                            line: Some(*line),
                            range: r,
                        });
                    }
                }
            }
            ProseRow::Blank => {}
        }
    }
    // Tables: row labels, then each cell's printed value or key. Keys carry the row's
    // Chinese label (`T2.a5.行政许可.decisions`): they are matched only for a query without
    // hanzi, or every cell of a row would be a hit of its label.
    let keys_too = query.is_ascii();
    for tid in TABLE_IDS {
        let (Some(t), Some(table)) = (layout.table(tid), report.table(tid)) else {
            continue;
        };
        for (r, gr) in t.grid.rows.iter().enumerate() {
            if !occurrences(&gr.label, &needle).is_empty() {
                hits.push(HitPlace::Label { tid, row: r });
            }
            for c in 0..gr.cells.len() {
                if let Some(cell) = cell_at(&t.grid, table, r, c) {
                    if !occurrences(&cell.value.raw, &needle).is_empty()
                        || (keys_too && !occurrences(&cell.key, &needle).is_empty())
                    {
                        hits.push(HitPlace::Cell {
                            tid,
                            row: r,
                            col: c,
                        });
                    }
                }
            }
        }
    }
    hits.sort_by_key(HitPlace::rank);
    hits
}

/// Where the view is now, in the order of [`HitPlace::rank`]: the search starts there.
fn view_rank(v: &ReportView) -> (usize, usize, usize) {
    match v.tab {
        Tab::Overview => (0, 0, 0),
        Tab::Prose => (0, v.prose_cursor, 0),
        Tab::Table(tid) => {
            let c = v.cursor(tid);
            (1 + table_rank(tid), c.row, c.col + 1)
        }
    }
}

impl State {
    /// Keys while the search query is typed: letters go to the query (never to commands),
    /// Enter shows the first hit from the cursor on, Esc cancels.
    pub(crate) fn update_search_prompt(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Search(prompt)) = self.overlays.last_mut() else {
            return vec![];
        };
        match action {
            Action::FilterChar(c) => prompt.query.push(c),
            Action::Paste(p) => prompt.query.push_str(&super::width::clean(&p)),
            Action::FilterBackspace => {
                prompt.query.pop();
            }
            Action::FilterCancel | Action::Back => {
                self.overlays.pop();
                return vec![];
            }
            Action::FilterAccept => {
                let Some(Overlay::Search(mut search)) = self.overlays.pop() else {
                    return vec![];
                };
                if search.query.trim().is_empty() {
                    return vec![];
                }
                let Some(v) = self.report_view() else {
                    return vec![];
                };
                let here = view_rank(v);
                search.current = if search.hits.is_empty() {
                    None
                } else {
                    Some(
                        search
                            .hits
                            .iter()
                            .position(|h| h.rank() >= here)
                            .unwrap_or(0),
                    )
                };
                if search.hits.is_empty() {
                    self.notice = Some(format!(
                        "{}「{}」",
                        self.t("没有找到", "not found:"),
                        search.query
                    ));
                }
                if let Some(v) = self.report_view_mut() {
                    v.search = Some(Box::new(search));
                }
                self.show_hit();
                return vec![];
            }
            _ => return vec![],
        }
        // The query changed: its hits, counted as it is typed.
        let query = prompt.query.clone();
        let hits = self
            .report_view()
            .and_then(|v| Some(find(v.report.as_deref()?, &v.layout, &query)))
            .unwrap_or_default();
        if let Some(Overlay::Search(prompt)) = self.overlays.last_mut() {
            prompt.hits = hits;
        }
        vec![]
    }

    /// `n`/`N` while a search is active: the next or previous hit, wrapping around.
    pub(crate) fn step_hit(&mut self, forward: bool) {
        let Some(search) = self.report_view_mut().and_then(|v| v.search.as_mut()) else {
            return;
        };
        let n = search.hits.len();
        if n == 0 {
            let q = search.query.clone();
            self.notice = Some(format!("{}「{q}」", self.t("没有找到", "not found:")));
            return;
        }
        search.current = Some(match (search.current, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        });
        self.show_hit();
    }

    /// Show the current hit: its tab, with the cursor on it.
    fn show_hit(&mut self) {
        let d = self.dims();
        let Some(v) = self.report_view_mut() else {
            return;
        };
        let Some(hit) = v.search.as_ref().and_then(|s| s.current_hit()).cloned() else {
            return;
        };
        match hit {
            HitPlace::Prose { row, .. } => {
                v.tab = Tab::Prose;
                // A hit off screen, or on its last rows, is shown with a little context
                // above it.
                let shown = v.prose_scroll..(v.prose_scroll + d.body_rows).saturating_sub(2);
                if !shown.contains(&row) {
                    v.prose_scroll = row.saturating_sub(2);
                }
                v.set_prose_cursor(row, d.body_rows);
            }
            HitPlace::Label { tid, row } | HitPlace::Cell { tid, row, .. } => {
                let col = match hit {
                    HitPlace::Cell { col, .. } => Some(col),
                    _ => None,
                };
                v.show_table_cell(tid, row, col, d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_fold_case_and_do_not_overlap() {
        let n: Vec<char> = "ab".chars().collect();
        assert_eq!(occurrences("xABab", &n), vec![1..3, 3..5]);
        let n: Vec<char> = "aa".chars().collect();
        assert_eq!(occurrences("aaa", &n), vec![0..2]);
        let n: Vec<char> = "许可".chars().collect();
        assert_eq!(occurrences("行政许可（许可）", &n), vec![2..4, 5..7]);
        assert!(occurrences("", &n).is_empty());
    }
}
