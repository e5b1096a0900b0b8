//! Layout of the review screen, computed apart from drawing: table grids, column widths,
//! row offsets, prose rows and the compare screen's geometry.
//!
//! `update` (to bound scrolling and place the cursor) and the views (to draw) both read it,
//! so what a key does never depends on drawing code. It knows the model and text widths,
//! nothing of ratatui. A report's layout is computed once when it is opened (and again when
//! the terminal is resized) and kept in its `ReportView`.

use super::width;
use crate::check::Finding;
use crate::compare::Comparison;
use crate::model::{Cell, Report, Table};
use crate::template;
use std::ops::Range;

/// Smallest terminal the layout is drawn for; below it a "too small" message is shown.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// The tables a report view has a tab for, in printed order.
pub const TABLE_IDS: [&str; 3] = ["T2", "T3", "T4"];

pub fn table_index(tid: &str) -> usize {
    TABLE_IDS.iter().position(|t| *t == tid).unwrap_or(0)
}

/// A column of the table grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridCol {
    /// Short header for the column.
    pub short: String,
    /// The template's full label.
    pub full: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    pub key: String,
    pub label: String,
    pub line: usize,
    /// One slot per column of the row (its group's columns in table 2): index into
    /// `Row::cells`. The cursor moves over these only.
    pub cells: Vec<Option<usize>>,
    /// Column headers of this row when they differ per row (table 2 sub-tables).
    pub cols: Option<Vec<GridCol>>,
    /// The sub-table the row belongs to (index into `Grid::groups`; table 2 only).
    pub group: Option<usize>,
}

/// A sub-table with its own caption and columns, printed with its own header (table 2's
/// 第二十条第（N）项).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridGroup {
    pub caption: String,
    pub cols: Vec<GridCol>,
}

/// A table laid out as rows × columns for the table view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub id: &'static str,
    /// The columns of a table without groups; for table 2, as many as its widest group has.
    pub cols: Vec<GridCol>,
    pub rows: Vec<GridRow>,
    /// Table 2's sub-tables in printed order; empty for tables 3 and 4.
    pub groups: Vec<GridGroup>,
}

impl Grid {
    /// Columns the cursor can move over on row `r`.
    pub fn ncols(&self, r: usize) -> usize {
        self.rows.get(r).map_or(0, |row| row.cells.len())
    }

    /// The headers of row `r`: its group's in table 2, the table's otherwise.
    pub fn header(&self, r: usize) -> &[GridCol] {
        match self.rows.get(r).and_then(|row| row.group) {
            Some(g) => &self.groups[g].cols,
            None => &self.cols,
        }
    }

    /// Whether row `r` starts a group other than the row above's (a header goes above it).
    pub fn starts_group(&self, r: usize) -> bool {
        let g = |i: usize| self.rows.get(i).and_then(|row| row.group);
        r > 0 && g(r).is_some() && g(r) != g(r - 1)
    }
}

fn col(short: &str, full: &str) -> GridCol {
    GridCol {
        short: short.to_string(),
        full: full.to_string(),
    }
}

fn suffix(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// Chinese ordinal of a table 2 sub-table id (`a6` → `（六）`).
pub fn t2_ordinal(sub: &str) -> &'static str {
    match sub {
        "a1" => "（一）",
        "a2" => "（二）",
        "a3" => "（三）",
        "a4" => "（四）",
        "a5" => "（五）",
        "a6" => "（六）",
        "a7" => "（七）",
        "a8" => "（八）",
        "a9" => "（九）",
        _ => "",
    }
}

/// A table 2 sub-table by id: the report's template first, then either (hybrid reports).
fn sub_table(subs: &'static [template::SubTable], id: &str) -> Option<&'static template::SubTable> {
    subs.iter()
        .chain(template::T2_2019.iter())
        .chain(template::T2_2021.iter())
        .find(|s| s.id == id)
}

/// The printed label of a table 2 column (its key's suffix when the template lacks it).
fn t2_col_label(sub: Option<&template::SubTable>, sfx: &str) -> String {
    sub.and_then(|s| s.cols.iter().find(|l| l.key == sfx))
        .map_or(sfx, |l| l.label)
        .to_string()
}

/// Lay a table out: template columns for T3 and T4; for T2, one group per sub-table, each
/// with its own caption and columns, as printed.
pub fn grid_of(report: &Report, table: &Table) -> Grid {
    let id: &'static str = TABLE_IDS
        .iter()
        .find(|t| **t == table.id)
        .copied()
        .unwrap_or("T3");
    match id {
        "T2" => {
            let subs = match report.template {
                crate::model::Template::F2019 => template::T2_2019,
                _ => template::T2_2021,
            };
            let mut groups: Vec<(String, GridGroup)> = Vec::new();
            let mut rows = Vec::new();
            for r in &table.rows {
                let sub = r.key.split('.').next().unwrap_or("");
                let sub_t = sub_table(subs, sub);
                // A sub-table is one group however its rows are ordered; its columns are
                // the template's, then any column a row has beyond them, in order.
                let g = match groups.iter().position(|(id, _)| id == sub) {
                    Some(g) => g,
                    None => {
                        let caption = sub_t.map_or_else(
                            || format!("{}{sub}", t2_ordinal(sub)),
                            |s| s.caption.to_string(),
                        );
                        groups.push((
                            sub.to_string(),
                            GridGroup {
                                caption,
                                cols: Vec::new(),
                            },
                        ));
                        groups.len() - 1
                    }
                };
                let cols = &mut groups[g].1.cols;
                for c in &r.cells {
                    let label = t2_col_label(sub_t, suffix(&c.key));
                    if !cols.iter().any(|x| x.full == label) {
                        cols.push(col(&label, &label));
                    }
                }
                rows.push((r, g));
            }
            // Template order within a group: the printed column order.
            for (sub, group) in &mut groups {
                let order = sub_table(subs, sub).map(|s| s.cols).unwrap_or(&[]);
                let rank = |c: &GridCol| {
                    order
                        .iter()
                        .position(|l| l.label == c.full)
                        .unwrap_or(usize::MAX)
                };
                group.cols.sort_by_key(rank);
            }
            let rows: Vec<GridRow> = rows
                .into_iter()
                .map(|(r, g)| {
                    let sub = r.key.split('.').next().unwrap_or("");
                    let gcols = &groups[g].1.cols;
                    let sub_t = sub_table(subs, sub);
                    GridRow {
                        key: r.key.clone(),
                        label: format!("{}{}", t2_ordinal(sub), r.label),
                        line: r.line,
                        cells: gcols
                            .iter()
                            .map(|gc| {
                                r.cells
                                    .iter()
                                    .position(|c| t2_col_label(sub_t, suffix(&c.key)) == gc.full)
                            })
                            .collect(),
                        cols: Some(gcols.clone()),
                        group: Some(g),
                    }
                })
                .collect();
            let groups: Vec<GridGroup> = groups.into_iter().map(|(_, g)| g).collect();
            let ncols = groups
                .iter()
                .map(|g| g.cols.len())
                .max()
                .unwrap_or(0)
                .max(1);
            let cols = (0..ncols).map(|i| col(&format!("{}", i + 1), "")).collect();
            Grid {
                id,
                cols,
                rows,
                groups,
            }
        }
        _ => {
            let (template_cols, shorts) = if id == "T4" {
                (template::T4_COLS, template::T4_COLS_SHORT)
            } else {
                (template::T3_COLS, template::T3_COLS_SHORT)
            };
            let mut keys: Vec<String> = template_cols.iter().map(|l| l.key.to_string()).collect();
            let mut cols: Vec<GridCol> = template_cols
                .iter()
                .map(|l| {
                    let short = shorts
                        .iter()
                        .find(|s| s.key == l.key)
                        .map_or(l.label, |s| s.label);
                    col(short, l.label)
                })
                .collect();
            for r in &table.rows {
                for c in &r.cells {
                    let sfx = suffix(&c.key);
                    if !keys.iter().any(|k| k == sfx) {
                        keys.push(sfx.to_string());
                        cols.push(col(sfx, sfx));
                    }
                }
            }
            let rows = table
                .rows
                .iter()
                .map(|r| GridRow {
                    key: r.key.clone(),
                    label: r.label.clone(),
                    line: r.line,
                    cells: keys
                        .iter()
                        .map(|k| r.cells.iter().position(|c| suffix(&c.key) == k))
                        .collect(),
                    cols: None,
                    group: None,
                })
                .collect();
            Grid {
                id,
                cols,
                rows,
                groups: Vec::new(),
            }
        }
    }
}

/// Screen geometry derived from the terminal size, shared by views and `update`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dims {
    pub width: u16,
    pub height: u16,
    /// Report rows visible in the batch list.
    pub list_rows: usize,
    /// Body rows of the report view (below title and tabs, above the footer).
    pub body_rows: usize,
    /// Height of the cell detail pane in the table view.
    pub detail_rows: usize,
    /// Data rows visible in the table view (below its header).
    pub table_rows: usize,
    /// Text width of the prose view.
    pub prose_width: usize,
}

impl Dims {
    pub fn of(width: u16, height: u16) -> Dims {
        let h = height as usize;
        let body_rows = h.saturating_sub(3);
        let detail_rows = if h >= 40 {
            10
        } else if h >= 24 {
            7
        } else {
            5
        };
        Dims {
            width,
            height,
            list_rows: h.saturating_sub(6).max(1),
            body_rows,
            detail_rows,
            table_rows: body_rows.saturating_sub(detail_rows + 1).max(1),
            prose_width: (width as usize).saturating_sub(4).max(10),
        }
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }
}

/// One table of a report, laid out for a terminal width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLayout {
    pub grid: Grid,
    pub widths: Widths,
}

impl TableLayout {
    pub fn new(report: &Report, table: &Table, total: usize) -> TableLayout {
        let grid = grid_of(report, table);
        let widths = widths(&grid, table, total);
        TableLayout { grid, widths }
    }

    /// Row offset that keeps the cursor row (with its wrapped label) visible.
    pub fn row_offset(&self, row: usize, prev: usize, d: Dims) -> usize {
        offset_for(&self.grid, &self.widths, row, prev, d)
    }
}

/// Everything about a report's layout that `update` and the views both need, for one
/// terminal size: computed on opening and on resize, not per key or per frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLayout {
    pub dims: Dims,
    pub prose: Vec<ProseRow>,
    /// One per [`TABLE_IDS`] entry; `None` when the report lacks the table.
    pub tables: [Option<TableLayout>; 3],
}

impl ReportLayout {
    pub fn new(report: Option<&Report>, dims: Dims) -> ReportLayout {
        let Some(report) = report else {
            return ReportLayout {
                dims,
                prose: Vec::new(),
                tables: [None, None, None],
            };
        };
        let table = |tid: &str| {
            report
                .table(tid)
                .map(|t| TableLayout::new(report, t, dims.width as usize))
        };
        ReportLayout {
            dims,
            prose: prose_rows(report, dims.prose_width),
            tables: [table("T2"), table("T3"), table("T4")],
        }
    }

    pub fn table(&self, tid: &str) -> Option<&TableLayout> {
        self.tables[table_index(tid)].as_ref()
    }
}

/// The cursor row's label wraps over at most this many lines.
pub const MAX_LABEL_LINES: usize = 4;

/// Column widths: label column and value columns (each including its marker glyph).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Widths {
    pub label: usize,
    /// Value columns of a table without groups.
    pub cols: Vec<usize>,
    /// Value columns of each group (table 2's sub-tables).
    pub groups: Vec<Vec<usize>>,
}

impl Widths {
    /// The value columns of grid row `r`.
    pub fn of_row<'a>(&'a self, grid: &Grid, r: usize) -> &'a [usize] {
        match grid.rows.get(r).and_then(|row| row.group) {
            Some(g) => &self.groups[g],
            None => &self.cols,
        }
    }
}

pub fn header_of(grid: &Grid, cursor_row: usize) -> Vec<GridCol> {
    grid.header(cursor_row).to_vec()
}

/// Widths of `headers` over the rows `rows` of the grid: each column as wide as its widest
/// printed value, and as its header when that fits in `avail` (headers are cut with `…`
/// first, as far as needed, never below the values; the full label is in the pane below).
/// One column more for the marker glyph.
fn col_widths(
    headers: &[GridCol],
    grid: &Grid,
    table: &Table,
    rows: impl Iterator<Item = usize> + Clone,
    avail: usize,
) -> Vec<usize> {
    let values: Vec<usize> = (0..headers.len())
        .map(|ci| {
            rows.clone()
                .filter_map(|r| {
                    let slot = grid.rows.get(r)?.cells.get(ci).copied()??;
                    Some(width::width(&table.rows.get(r)?.cells.get(slot)?.value.raw))
                })
                .max()
                .unwrap_or(0)
                .max(3)
        })
        .collect();
    let mut cols: Vec<usize> = headers
        .iter()
        .zip(&values)
        .map(|(h, v)| width::width(&h.short).max(*v))
        .collect();
    // Too wide for the screen: the headers wider than their values give way, the widest
    // first, one column at a time, down to the values.
    let sum = |w: &[usize]| w.iter().map(|c| c + 2).sum::<usize>();
    while sum(&cols) > avail {
        let slack = cols
            .iter()
            .zip(&values)
            .enumerate()
            .filter(|(_, (c, v))| c > v)
            .max_by_key(|(i, (c, v))| (**c - **v, usize::MAX - i));
        match slack {
            Some((i, _)) => cols[i] -= 1,
            None => break,
        }
    }
    cols.into_iter().map(|w| w + 1).collect()
}

pub fn widths(grid: &Grid, table: &Table, total: usize) -> Widths {
    let longest = grid
        .rows
        .iter()
        .map(|r| width::width(&r.label))
        .max()
        .unwrap_or(8);
    let min_label = (total * 2 / 5).clamp(12, 40);
    // Room for values beside the shortest label the screen gives.
    let avail = total.saturating_sub(min_label.min(longest.max(8)) + 1);
    let n = grid.rows.len();
    let cols = if grid.groups.is_empty() {
        col_widths(&grid.cols, grid, table, 0..n, avail)
    } else {
        Vec::new()
    };
    let groups: Vec<Vec<usize>> = grid
        .groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let rows = (0..n).filter(move |&r| grid.rows[r].group == Some(g));
            col_widths(&group.cols, grid, table, rows, avail)
        })
        .collect();
    // Labels as wide as the widest values leave, within [min_label, longest].
    let values = std::iter::once(&cols)
        .chain(groups.iter())
        .map(|c| c.iter().map(|w| w + 1).sum::<usize>())
        .max()
        .unwrap_or(0);
    let label = if total > values + 1 {
        (total - values - 1).max(min_label)
    } else {
        min_label
    };
    Widths {
        label: label.min(longest.max(8)).max(min_label.min(longest.max(8))),
        cols,
        groups,
    }
}

/// First visible value column so that the cursor column fits beside the frozen labels.
pub fn col_offset(cols: &[usize], label: usize, cursor: usize, total: usize) -> usize {
    let avail = total.saturating_sub(label + 1);
    let mut start = 0;
    while start < cursor && cursor < cols.len() {
        let used: usize = cols[start..=cursor].iter().map(|c| c + 1).sum();
        if used <= avail {
            break;
        }
        start += 1;
    }
    start
}

pub fn cursor_height(label: &str, w: usize) -> usize {
    let chars: Vec<char> = width::clean(label).chars().collect();
    width::wrap(&chars, w).len().clamp(1, MAX_LABEL_LINES)
}

/// Display lines rows `offset..=cursor` take: one each, the cursor row's wrapped label, and
/// a header above each row that starts another group (the first visible row's group header
/// is the frozen header line, not counted).
pub fn lines_between(grid: &Grid, w: &Widths, offset: usize, cursor: usize) -> usize {
    let cur_h = grid
        .rows
        .get(cursor)
        .map(|r| cursor_height(&r.label, w.label))
        .unwrap_or(1);
    let headers = (offset + 1..=cursor)
        .filter(|&r| grid.starts_group(r))
        .count();
    (cursor + 1).saturating_sub(offset) + cur_h - 1 + headers
}

/// Row offset that keeps the cursor row (with its wrapped label and the group headers
/// above it) visible, scrolling as little as possible from `prev`.
fn offset_for(grid: &Grid, w: &Widths, row: usize, prev: usize, d: Dims) -> usize {
    if row < prev {
        return row;
    }
    let mut offset = prev;
    while offset < row && lines_between(grid, w, offset, row) > d.table_rows {
        offset += 1;
    }
    offset
}

pub fn cell_at<'a>(grid: &Grid, table: &'a Table, r: usize, c: usize) -> Option<&'a Cell> {
    let slot = grid.rows.get(r)?.cells.get(c).copied().flatten()?;
    table.rows.get(r)?.cells.get(slot)
}

/// One display row of the prose tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProseRow {
    /// Heading of section `sec` (index into `Report::sections`).
    Heading(usize),
    /// Part of a text line: section (`None` for the preamble), line index, char range.
    Text {
        sec: Option<usize>,
        line: usize,
        range: Range<usize>,
    },
    Blank,
}

/// The prose laid out in rows of `width` columns (2 more for the gutter).
pub fn prose_rows(report: &Report, width: usize) -> Vec<ProseRow> {
    let mut rows = Vec::new();
    for (li, l) in report.preamble.iter().enumerate() {
        let chars: Vec<char> = l.text.chars().collect();
        for range in width::wrap(&chars, width) {
            rows.push(ProseRow::Text {
                sec: None,
                line: li,
                range,
            });
        }
    }
    for (si, s) in report.sections.iter().enumerate() {
        if !rows.is_empty() {
            rows.push(ProseRow::Blank);
        }
        rows.push(ProseRow::Heading(si));
        for (li, l) in s.lines.iter().enumerate() {
            let chars: Vec<char> = l.text.chars().collect();
            for range in width::wrap(&chars, width) {
                rows.push(ProseRow::Text {
                    sec: Some(si),
                    line: li,
                    range,
                });
            }
        }
    }
    rows
}

/// The row of `rows` (the prose laid out at another width) that shows what `at` showed: the
/// same heading or blank, or the row of the same line holding `at`'s first char.
pub fn same_place(rows: &[ProseRow], at: &ProseRow) -> Option<usize> {
    match at {
        ProseRow::Text { sec, line, range } => rows.iter().rposition(|r| {
            matches!(r, ProseRow::Text { sec: s, line: l, range: x }
                if s == sec && l == line && x.start <= range.start)
        }),
        other => rows.iter().position(|r| r == other),
    }
}

/// Section id and source line of a prose finding (`S3`, `S1:L12`).
fn prose_location(f: &Finding) -> Option<(String, Option<usize>)> {
    match crate::model::key::Location::parse(&f.location) {
        crate::model::key::Location::Section { id, line } => {
            Some((id.to_string(), line.or(f.line)))
        }
        _ => None,
    }
}

/// Which (section, line index) a prose finding points at, and the char ranges to highlight.
pub fn prose_marks(
    report: &Report,
    f: &Finding,
) -> Option<(usize, Option<usize>, Vec<Range<usize>>)> {
    let (sec_id, line) = prose_location(f)?;
    let si = report
        .sections
        .iter()
        .position(|s| s.id.as_deref() == Some(sec_id.as_str()))?;
    let sec = &report.sections[si];
    let li = line.and_then(|n| {
        sec.lines
            .iter()
            .position(|l| l.line == n)
            .or_else(|| sec.lines.iter().rposition(|l| l.line <= n))
    });
    // A quote may be shortened with `…`: look for its pieces.
    let quote_pieces = f
        .quote
        .as_deref()
        .map(|q| {
            q.split('…')
                .map(str::trim)
                .filter(|p| p.chars().count() >= 4)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let needles: Vec<&str> = quote_pieces
        .into_iter()
        .chain(
            [f.actual.as_deref(), f.expected.as_deref()]
                .into_iter()
                .flatten()
                .map(str::trim),
        )
        // `—` and the like say "nothing found": not a figure to look for.
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .collect();
    let candidates: Vec<usize> = match li {
        Some(i) => vec![i],
        None => (0..sec.lines.len()).collect(),
    };
    for i in candidates {
        let text = &sec.lines[i].text;
        let mut ranges = Vec::new();
        for n in &needles {
            ranges.extend(find_figure(text, n));
        }
        if !ranges.is_empty() {
            return Some((si, Some(i), ranges));
        }
    }
    Some((si, li, Vec::new()))
}

/// Char ranges where `needle` occurs in `text`; a number must not be part of a longer one.
fn find_figure(text: &str, needle: &str) -> Vec<Range<usize>> {
    let numeric = needle
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',');
    let chars: Vec<char> = text.chars().collect();
    let nchars: Vec<char> = needle.chars().collect();
    let mut out = Vec::new();
    if nchars.is_empty() || nchars.len() > chars.len() {
        return out;
    }
    let mut i = 0;
    while i + nchars.len() <= chars.len() {
        if chars[i..i + nchars.len()] == nchars[..] {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + nchars.len()).copied();
            let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '.');
            if !numeric || (!digit(before) && !digit(after)) {
                out.push(i..i + nchars.len());
                i += nchars.len();
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The display row a prose finding should scroll to.
pub fn prose_target(report: &Report, rows: &[ProseRow], f: &Finding) -> Option<usize> {
    let (si, li, ranges) = prose_marks(report, f)?;
    let first_char = ranges.iter().map(|r| r.start).min();
    let hit = rows.iter().position(|r| match (r, li) {
        (
            ProseRow::Text {
                sec: Some(s),
                line,
                range,
            },
            Some(l),
        ) => {
            *s == si
                && *line == l
                && first_char.is_none_or(|c| range.contains(&c) || range.end == c)
        }
        _ => false,
    });
    hit.or_else(|| rows.iter().position(|r| *r == ProseRow::Heading(si)))
}

/// Row and column of a cell key (or a row key `T3.R3_7`) in a grid.
pub fn locate_cell(table: &Table, grid: &Grid, key: &str) -> Option<(usize, usize)> {
    for (ri, row) in table.rows.iter().enumerate() {
        if let Some(ci) = row.cells.iter().position(|c| c.key == key) {
            let gc = grid
                .rows
                .get(ri)?
                .cells
                .iter()
                .position(|s| *s == Some(ci))?;
            return Some((ri, gc));
        }
        if format!("{}.{}", table.id, row.key) == key {
            return Some((ri, 0));
        }
    }
    None
}

/// Smallest widths of 上年 | 本年 | 变化 | 变化%.
pub const VALUE_COLS: [usize; 4] = [11, 11, 10, 8];

/// Widths of 上年 | 本年 | 变化 | 变化% for this comparison: wide enough for every amount as
/// published (`24252.311082`), so no figure is ever cut (a space before each).
pub fn value_cols(comparison: Option<&Comparison>) -> [usize; 4] {
    let mut cols = VALUE_COLS;
    if let Some(c) = comparison {
        let w = |v: Option<f64>| v.map_or(1, |n| crate::model::fmt_amount(n).len() + 1);
        for r in &c.rows {
            cols[0] = cols[0].max(w(r.prev) + 1);
            cols[1] = cols[1].max(w(r.cur) + 1);
            cols[2] = cols[2].max(w(r.delta) + 1);
        }
    }
    cols
}

/// Extra lines the cursor row's whole label takes on the compare table.
pub fn label_lines(label: &str, w: usize) -> usize {
    width::wrap_str(label, w.max(4)).len().clamp(1, 3)
}

/// Width of the compare table's label column at a terminal width, beside value columns of
/// `cols`.
pub fn label_width(total: usize, cols: [usize; 4]) -> usize {
    total.saturating_sub(cols.iter().sum::<usize>() + 2).max(8)
}

/// Width of the label column for this comparison: no wider than its longest label, so the
/// figures stay next to their labels on wide terminals.
pub fn label_col(comparison: Option<&Comparison>, total: usize) -> usize {
    let longest = comparison.map_or(0, |c| {
        c.rows
            .iter()
            .map(|r| width::width(&r.label))
            .max()
            .unwrap_or(0)
    });
    label_width(total, value_cols(comparison)).min(longest.max(8))
}

/// Rows of the compare table tab's window: body minus header, separator and the detail pane.
pub fn compare_table_rows(d: Dims) -> usize {
    d.body_rows.saturating_sub(d.detail_rows + 2).max(1)
}

/// A repeated sentence wrapped beside its part's name (4 columns).
pub fn repeated_sentence_rows(sentence: &str, w: usize) -> Vec<String> {
    width::wrap_str(sentence, w.saturating_sub(4))
}

/// Lines of the repeated-sentences tab: (heading lines, list lines). The heading is the
/// wrapped headline, one line per repetition finding and the list's caption; the list has
/// each sentence wrapped, or one line saying there is none.
pub fn repeated_extent<'a>(
    headline: &str,
    findings: usize,
    sentences: impl Iterator<Item = &'a str>,
    w: usize,
) -> (usize, usize) {
    let head = width::wrap_str(headline, w).len() + findings + 1;
    let (mut n, mut body) = (0, 0);
    for s in sentences {
        n += 1;
        body += repeated_sentence_rows(s, w).len();
    }
    (head, if n == 0 { 1 } else { body })
}

/// Furthest the help overlay scrolls: its rows plus a blank line and the keymap file's
/// line, in a box inset by a margin and a border on each side.
pub fn help_scroll_max(rows: usize, d: Dims) -> usize {
    (rows + 2).saturating_sub((d.height as usize).saturating_sub(4))
}
