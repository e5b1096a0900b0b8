//! The table view: frozen row labels and column headers, a cell cursor, failing cells
//! marked with a glyph and colour, and a pane with the cursor cell's findings.

use super::line;
use super::report::{finding_lines, finding_style};
use crate::model::Table;
use crate::tui::layout::{cell_at, col_offset, Grid, GridCol, TableLayout, MAX_LABEL_LINES};
use crate::tui::state::{severity_glyph, CellMark, Item, ReportView, State};
use crate::tui::width;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::followups::NOTE_GLYPH;

pub fn render(
    state: &State,
    item: &Item,
    view: &ReportView,
    tid: &'static str,
    frame: &mut Frame,
    area: Rect,
) {
    let th = &state.theme;
    let Some(report) = view.report.as_deref() else {
        return;
    };
    let Some(table) = report.table(tid) else {
        return;
    };
    let d = state.dims();
    let total = area.width as usize;
    // The layout kept with the view; laid out afresh only if drawn at another size.
    let fresh;
    let laid = match view.layout.table(tid) {
        Some(t) if view.layout.dims == d && total == d.width as usize => t,
        _ => {
            fresh = TableLayout::new(report, table, total);
            &fresh
        }
    };
    let grid = &laid.grid;
    let mut cur = view.cursor(tid);
    // Defensive: a cursor from another layout never indexes past this grid.
    cur.row = cur.row.min(grid.rows.len().saturating_sub(1));
    cur.col = cur.col.min(grid.ncols(cur.row).saturating_sub(1));
    let w = &laid.widths;
    let start = col_offset(w.of_row(grid, cur.row), w.label, cur.col, total);
    let avail = total.saturating_sub(w.label + 1);
    // Columns shown from `start` on, as many as fit.
    let end_of = |cols: &[usize]| {
        let mut end = start;
        let mut used = 0;
        while end < cols.len() && used + cols[end] < avail {
            used += cols[end] + 1;
            end += 1;
        }
        end
    };
    let mut lines: Vec<Line> = Vec::new();

    // A header: the table's, or a sub-table's with its caption (table 2, as printed); the
    // first is frozen above the rows.
    let offset = laid.row_offset(cur.row, cur.row_offset, d);
    let header = |r: usize| -> Line<'static> {
        let cols = w.of_row(grid, r);
        let end = end_of(cols);
        let caption = match grid.rows.get(r).and_then(|row| row.group) {
            Some(g) => grid.groups[g].caption.clone(),
            None => state.t("项目", "row").to_string(),
        };
        let same_group =
            grid.rows.get(r).map(|x| x.group) == grid.rows.get(cur.row).map(|x| x.group);
        let left_more = if start > 0 { "‹" } else { " " };
        let right_more = if end < cols.len() { "›" } else { " " };
        let mut pieces = vec![(
            width::pad(&format!("{left_more}{caption}"), w.label),
            th.header,
        )];
        pieces.push((right_more.to_string(), th.header));
        for (ci, c) in grid.header(r).iter().enumerate().take(end).skip(start) {
            let style = if same_group && ci == cur.col {
                th.header.add_modifier(Modifier::REVERSED)
            } else {
                th.header
            };
            pieces.push((format!(" {}", width::pad_left(&c.short, cols[ci])), style));
        }
        line(pieces, total, th.header)
    };
    lines.push(header(offset));

    // Rows, from the offset, with the cursor row's label shown whole.
    let mut budget = d.table_rows;
    let mut r = offset;
    while budget > 0 && r < grid.rows.len() {
        if r > offset && grid.starts_group(r) {
            lines.push(header(r));
            budget -= 1;
            if budget == 0 {
                break;
            }
        }
        let gr = &grid.rows[r];
        let cols = w.of_row(grid, r);
        let end = end_of(cols);
        let is_cur = r == cur.row;
        let row_recognised = table.rows.get(r).is_none_or(|x| x.recognised);
        let search = view.search.as_ref();
        let label_style = if is_cur {
            th.selected
        } else if search.is_some_and(|s| s.label_hit(tid, r)) {
            th.matched
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
                for (ci, &cw) in cols.iter().enumerate().take(end).skip(start) {
                    // A cell's follow-up: ◆ a mark (bold), ✎ a note alone; the value keeps
                    // its whole column.
                    let mut gap = (" ".to_string(), th.base);
                    let (text, style) = match cell_at(grid, table, r, ci) {
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
                            let followup = item.report.as_ref().and_then(|r| {
                                state.mark_of(&crate::review::ItemRef::cell(&r.key(), &cell.key))
                            });
                            let sign = followup.and_then(crate::tui::followups::mark_sign);
                            let st = match followup {
                                Some(m) if m.state.is_followup() => st.add_modifier(Modifier::BOLD),
                                _ => st,
                            };
                            let raw = &cell.value.raw;
                            match sign {
                                // After the failure glyph (never instead of it) ...
                                Some(sign) if width::width(raw) + 2 <= cw => {
                                    let v = width::pad_left(raw, cw - 2);
                                    (format!("{glyph}{sign}{v}"), st)
                                }
                                // ... or, beside the widest value, in the gap before it.
                                Some(sign) => {
                                    gap = (sign.to_string(), st);
                                    (format!("{glyph}{}", width::pad_left(raw, cw - 1)), st)
                                }
                                None => (format!("{glyph}{}", width::pad_left(raw, cw - 1)), st),
                            }
                        }
                    };
                    let mut style = style;
                    if search.is_some_and(|s| s.cell_hit(tid, r, ci)) {
                        style = style.patch(th.matched);
                    }
                    if is_cur && ci == cur.col {
                        style = style.patch(th.selected);
                    } else if is_cur {
                        style = style.add_modifier(Modifier::BOLD);
                    }
                    pieces.push(gap);
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
        grid,
        table,
        grid.header(cur.row),
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
                    format!(
                        "{}{}",
                        crate::model::fmt_amount(n),
                        v.unit.clone().unwrap_or_default()
                    ),
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
                // `第3页 第12行` / `p.3 l.12` for a PDF, `第 12 行` / `line 12` otherwise.
                format!(
                    "  {}",
                    item.report.as_ref().map_or_else(
                        || v.line.to_string(),
                        |rep| rep
                            .source
                            .place_label(v.line, matches!(state.lang, crate::i18n::Lang::Zh))
                    )
                ),
                th.dim,
            ));
            out.push(line(facts, total, th.base));
            // The follow-up note, whole (wrapped over two lines at most).
            let note = item
                .report
                .as_ref()
                .and_then(|r| state.mark_of(&crate::review::ItemRef::cell(&r.key(), &cell.key)))
                .map(|m| width::clean(m.note.trim()))
                .filter(|n| !n.is_empty());
            if let Some(note) = note {
                let head = format!("{NOTE_GLYPH} {} ", state.t("备注", "note"));
                let rows = width::wrap_str(&note, total.saturating_sub(width::width(&head)));
                for (i, row) in rows.iter().take(2).enumerate() {
                    let lead = if i == 0 {
                        head.clone()
                    } else {
                        " ".repeat(width::width(&head))
                    };
                    let row = if i == 1 && rows.len() > 2 {
                        format!("{row}{}", width::ELLIPSIS)
                    } else {
                        row.clone()
                    };
                    out.push(line(vec![(lead, th.dim), (row, th.title)], total, th.base));
                }
            }
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
                out.extend(finding_lines(
                    state,
                    f,
                    item.report.as_ref().map(|r| &r.source),
                    total,
                    2,
                ));
            }
        }
    }
    out.truncate(rows);
    out
}
