//! The table view: frozen row labels and column headers, a cell cursor, failing cells
//! marked with a glyph and colour, and a pane with the cursor cell's findings.

use super::line;
use super::report::{finding_lines, finding_style};
use crate::model::{Cell, Table};
use crate::tui::state::{
    grid_of, severity_glyph, CellMark, Dims, Grid, GridCol, Item, ReportView, State,
};
use crate::tui::width;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Longest a value column gets; longer printed text is cut (shown whole below).
const MAX_COL: usize = 14;
/// The cursor row's label wraps over at most this many lines.
const MAX_LABEL_LINES: usize = 4;

/// Column widths: label column and value columns (each including its marker glyph).
pub struct Widths {
    pub label: usize,
    pub cols: Vec<usize>,
}

fn header_of(grid: &Grid, cursor_row: usize) -> Vec<GridCol> {
    grid.rows
        .get(cursor_row)
        .and_then(|r| r.cols.clone())
        .map(|mut c| {
            c.resize(
                grid.cols.len(),
                GridCol {
                    short: String::new(),
                    full: String::new(),
                },
            );
            c
        })
        .unwrap_or_else(|| grid.cols.clone())
}

pub fn widths(grid: &Grid, table: &Table, total: usize) -> Widths {
    let mut cols: Vec<usize> = grid.cols.iter().map(|c| width::width(&c.short)).collect();
    for (gr, row) in grid.rows.iter().zip(&table.rows) {
        for (ci, slot) in gr.cells.iter().enumerate() {
            if let Some(i) = slot {
                cols[ci] = cols[ci].max(width::width(&row.cells[*i].value.raw));
            }
            if let Some(c) = gr.cols.as_ref().and_then(|c| c.get(ci)) {
                cols[ci] = cols[ci].max(width::width(&c.short));
            }
        }
    }
    let cols: Vec<usize> = cols.into_iter().map(|w| w.clamp(3, MAX_COL) + 1).collect();
    let longest = grid
        .rows
        .iter()
        .map(|r| width::width(&r.label))
        .max()
        .unwrap_or(8);
    let values: usize = cols.iter().map(|w| w + 1).sum();
    let min_label = (total * 2 / 5).clamp(12, 40);
    let label = if total > values + 1 {
        (total - values - 1).max(min_label)
    } else {
        min_label
    };
    Widths {
        label: label.min(longest.max(8)).max(min_label.min(longest.max(8))),
        cols,
    }
}

/// First visible value column so that the cursor column fits beside the frozen labels.
pub fn col_offset(w: &Widths, cursor: usize, total: usize) -> usize {
    let avail = total.saturating_sub(w.label + 1);
    let mut start = 0;
    while start < cursor {
        let used: usize = w.cols[start..=cursor].iter().map(|c| c + 1).sum();
        if used <= avail {
            break;
        }
        start += 1;
    }
    start
}

fn cursor_height(label: &str, w: usize) -> usize {
    let chars: Vec<char> = width::clean(label).chars().collect();
    width::wrap(&chars, w).len().clamp(1, MAX_LABEL_LINES)
}

/// Row offset that keeps the cursor row (with its wrapped label) visible.
pub fn row_offset(grid: &Grid, table: &Table, row: usize, prev: usize, d: Dims) -> usize {
    let w = widths(grid, table, d.width as usize);
    let h = grid
        .rows
        .get(row)
        .map(|r| cursor_height(&r.label, w.label))
        .unwrap_or(1);
    let viewport = d.table_rows.saturating_sub(h - 1).max(1);
    width::scroll_to(prev, row, viewport)
}

fn cell_at<'a>(grid: &Grid, table: &'a Table, r: usize, c: usize) -> Option<&'a Cell> {
    let slot = grid.rows.get(r)?.cells.get(c).copied().flatten()?;
    table.rows.get(r)?.cells.get(slot)
}

pub fn render(
    state: &State,
    item: &Item,
    view: &ReportView,
    tid: &'static str,
    frame: &mut Frame,
    area: Rect,
) {
    let th = &state.theme;
    let Some(report) = item.report.as_deref() else {
        return;
    };
    let Some(table) = report.table(tid) else {
        return;
    };
    let grid = grid_of(report, table);
    let d = state.dims();
    let total = area.width as usize;
    let mut cur = view.cursor(tid);
    // Defensive: a cursor from another layout never indexes past this grid.
    cur.col = cur.col.min(grid.cols.len().saturating_sub(1));
    cur.row = cur.row.min(grid.rows.len().saturating_sub(1));
    let w = widths(&grid, table, total);
    let start = col_offset(&w, cur.col, total);
    let avail = total.saturating_sub(w.label + 1);
    let mut end = start;
    let mut used = 0;
    while end < w.cols.len() && used + w.cols[end] < avail {
        used += w.cols[end] + 1;
        end += 1;
    }
    let mut lines: Vec<Line> = Vec::new();

    // Frozen header.
    let head = header_of(&grid, cur.row);
    let left_more = if start > 0 { "‹" } else { " " };
    let right_more = if end < w.cols.len() { "›" } else { " " };
    let mut pieces = vec![(
        width::pad(&format!("{left_more}{}", state.t("项目", "row")), w.label),
        th.header,
    )];
    pieces.push((right_more.to_string(), th.header));
    for (ci, c) in head.iter().enumerate().take(end).skip(start) {
        let style = if ci == cur.col {
            th.header.add_modifier(Modifier::REVERSED)
        } else {
            th.header
        };
        pieces.push((format!(" {}", width::pad_left(&c.short, w.cols[ci])), style));
    }
    lines.push(line(pieces, total, th.header));

    // Rows, from the offset, with the cursor row's label shown whole.
    let offset = row_offset(&grid, table, cur.row, cur.row_offset, d);
    let mut budget = d.table_rows;
    let mut r = offset;
    while budget > 0 && r < grid.rows.len() {
        let gr = &grid.rows[r];
        let is_cur = r == cur.row;
        let row_recognised = table.rows.get(r).map_or(true, |x| x.recognised);
        let label_style = if is_cur {
            th.selected
        } else if row_recognised {
            th.base
        } else {
            th.dim
        };
        let label_rows: Vec<String> = if is_cur {
            let mut rows = width::wrap_str(&gr.label, w.label);
            if rows.len() > MAX_LABEL_LINES {
                rows.truncate(MAX_LABEL_LINES);
                let last = rows.pop().unwrap_or_default();
                rows.push(width::cut(&format!("{last}……"), w.label));
            }
            rows
        } else {
            vec![width::cut(&gr.label, w.label)]
        };
        for (k, lbl) in label_rows.iter().enumerate() {
            if budget == 0 {
                break;
            }
            let mut pieces = vec![
                (width::pad(lbl, w.label), label_style),
                ("│".to_string(), th.border),
            ];
            if k == 0 {
                for ci in start..end {
                    let cw = w.cols[ci];
                    let (text, style) = match cell_at(&grid, table, r, ci) {
                        None => (String::new(), th.dim),
                        Some(cell) => {
                            let mark = item.cell_mark(&cell.key);
                            let (glyph, st) = match mark {
                                Some(m @ CellMark::Fail) => (m.glyph(), th.cell_fail),
                                Some(m @ CellMark::Operand) => (m.glyph(), th.cell_operand),
                                Some(m @ CellMark::NotAssessable) => (m.glyph(), th.cell_na),
                                None if cell.value.is_unreadable() => ("?", th.warn),
                                None => (" ", if cell.value.blank { th.dim } else { th.base }),
                            };
                            // A follow-up mark: ◆ after the failure glyph (never
                            // instead of it), bold as an extra.
                            let marked = item.report.as_ref().is_some_and(|r| {
                                state
                                    .mark_of(&crate::review::ItemRef::cell(&r.key(), &cell.key))
                                    .is_some()
                            });
                            if marked {
                                let v = width::pad_left(&cell.value.raw, cw.saturating_sub(2));
                                (
                                    format!("{glyph}{}{v}", crate::tui::followups::MARK_GLYPH),
                                    st.add_modifier(ratatui::style::Modifier::BOLD),
                                )
                            } else {
                                let v = width::pad_left(&cell.value.raw, cw - 1);
                                (format!("{glyph}{v}"), st)
                            }
                        }
                    };
                    let mut style = style;
                    if is_cur && ci == cur.col {
                        style = style.patch(th.selected);
                    } else if is_cur {
                        style = style.add_modifier(Modifier::BOLD);
                    }
                    pieces.push((" ".into(), th.base));
                    pieces.push((width::pad(&text, cw), style));
                }
            }
            lines.push(line(pieces, total, th.base));
            budget -= 1;
        }
        r += 1;
    }
    while lines.len() < 1 + d.table_rows {
        lines.push(Line::from(""));
    }
    lines.extend(detail(
        state,
        item,
        &grid,
        table,
        &head,
        cur.row,
        cur.col,
        total,
        d.detail_rows,
    ));
    frame.render_widget(Paragraph::new(lines), area);
}

#[allow(clippy::too_many_arguments)]
fn detail(
    state: &State,
    item: &Item,
    grid: &Grid,
    table: &Table,
    head: &[GridCol],
    r: usize,
    c: usize,
    total: usize,
    rows: usize,
) -> Vec<Line<'static>> {
    let th = &state.theme;
    let mut out: Vec<Line> = Vec::new();
    let cell = cell_at(grid, table, r, c);
    let key = cell.map(|c| c.key.clone()).unwrap_or_else(|| "—".into());
    let mut title = format!("─ {key} ");
    if let (Some(cell), Some(r)) = (cell, item.report.as_ref()) {
        let target = crate::review::ItemRef::cell(&r.key(), &cell.key);
        if let Some(m) = state.mark_of(&target) {
            title.push_str(&format!("{} ", state.mark_summary(item, m)));
        }
    }
    let title = width::cut(&title, total);
    let fill = "─".repeat(total.saturating_sub(width::width(&title)));
    out.push(line(
        vec![(format!("{title}{fill}"), th.border)],
        total,
        th.base,
    ));
    let label = grid
        .rows
        .get(r)
        .map(|g| g.label.clone())
        .unwrap_or_default();
    let col_label = head
        .get(c)
        .map(|h| {
            if h.full.is_empty() {
                h.short.clone()
            } else {
                h.full.clone()
            }
        })
        .unwrap_or_default();
    out.push(line(
        vec![
            (label, th.title),
            (" / ".into(), th.dim),
            (col_label, th.title),
        ],
        total,
        th.base,
    ));
    match cell {
        None => out.push(line(
            vec![(state.t("（空）", "(no cell)").into(), th.dim)],
            total,
            th.base,
        )),
        Some(cell) => {
            let v = &cell.value;
            let mut facts = vec![
                (format!("{} ", state.t("原文", "raw")), th.dim),
                (format!("“{}”", v.raw), th.base),
            ];
            if let Some(n) = v.number {
                facts.push((format!("  {} ", state.t("数值", "number")), th.dim));
                facts.push((
                    format!("{n}{}", v.unit.clone().unwrap_or_default()),
                    th.base,
                ));
            } else if v.blank {
                facts.push((
                    format!("  {}", state.t("空白（按 0 计）", "blank (counts as 0)")),
                    th.dim,
                ));
            } else {
                facts.push((
                    format!("  {}", state.t("不是数字", "not a number")),
                    th.warn,
                ));
            }
            facts.push((
                match state.lang {
                    crate::i18n::Lang::Zh => format!("  第 {} 行", v.line),
                    crate::i18n::Lang::En => format!("  line {}", v.line),
                },
                th.dim,
            ));
            out.push(line(facts, total, th.base));
            let found = item.findings_at(&cell.key);
            if found.is_empty() {
                out.push(line(
                    vec![(
                        state
                            .t("此单元格没有发现", "no findings at this cell")
                            .into(),
                        th.dim,
                    )],
                    total,
                    th.base,
                ));
            }
            for f in found {
                let role = if f.location == cell.key {
                    ""
                } else {
                    state.t("（运算数）", " (operand)")
                };
                out.push(line(
                    vec![
                        (
                            format!("{} {}", severity_glyph(f), f.rule),
                            finding_style(state, f),
                        ),
                        (format!("{role}  {}", f.location), th.dim),
                    ],
                    total,
                    th.base,
                ));
                out.extend(finding_lines(state, f, total, 2));
            }
        }
    }
    out.truncate(rows);
    out
}
