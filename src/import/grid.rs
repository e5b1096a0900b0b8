//! Table cells with their row and column spans → rows in the text-dump layout
//! (docs/templates.md): one cell per physical cell, plus one empty cell for every cell merged
//! from a row above, at its position in the row; colspans emit nothing. The HTML reader
//! (`rowspan`/`colspan`) and the DOCX reader (`w:vMerge`/`w:gridSpan`) both end here, so a
//! table reads the same whichever form it came in.

use super::blocks::{RawCell, RawRow};

/// No real table row has more cells; bounds the work on hostile input.
pub const MAX_ROW_CELLS: usize = 1000;
/// Cells merged from above that are tracked at once; more are treated as rowspan 1.
const MAX_COVERS: usize = 1000;

/// One physical cell before the grid is resolved.
#[derive(Debug, Clone)]
pub struct GridCell {
    pub text: String,
    pub line: usize,
    pub rowspan: usize,
    pub colspan: usize,
}

/// One `<tr>`: its line, its cells and the row group (`thead`/`tbody`/`tfoot`) it is in;
/// rowspans do not reach past their group.
#[derive(Debug, Clone)]
pub struct GridRow {
    pub line: usize,
    pub group: usize,
    pub cells: Vec<GridCell>,
}

/// A cell reaching down from a row above: logical columns `col..col + span`, rows
/// `first..=last`.
#[derive(Debug, Clone, Copy)]
struct Cover {
    col: usize,
    span: usize,
    first: usize,
    last: usize,
}

/// Resolve rowspans into text-dump rows: one cell per physical cell, and one empty cell
/// for every cell merged from above, at its logical position (before, between or after the
/// row's own cells). Rows without any cell are dropped.
pub fn resolve_grid(rows: &[GridRow]) -> Vec<RawRow> {
    let mut out = Vec::with_capacity(rows.len());
    // Rowspans stop at the end of their row group: the last row index of each row's group.
    let mut group_ends = vec![0; rows.len()];
    for r in (0..rows.len()).rev() {
        group_ends[r] = match rows.get(r + 1) {
            Some(next) if next.group == rows[r].group => group_ends[r + 1],
            _ => r,
        };
    }
    let mut covers: Vec<Cover> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let group_end = group_ends[r];
        covers.retain(|c| c.last >= r && c.first <= r);
        let mut active: Vec<Cover> = covers.clone();
        active.sort_by_key(|c| c.col);

        let mut cells: RawRow = Vec::new();
        let mut new_covers = Vec::new();
        let mut col = 0usize;
        let mut next_cover = 0usize;
        let mut physical = row.cells.iter();
        while cells.len() < MAX_ROW_CELLS {
            // Covers left behind by overlapping cells are not printed.
            while next_cover < active.len()
                && active[next_cover].col + active[next_cover].span <= col
            {
                next_cover += 1;
            }
            if let Some(c) = active.get(next_cover).filter(|c| c.col <= col) {
                cells.push(RawCell {
                    text: String::new(),
                    line: row.line,
                });
                col = c.col + c.span;
                next_cover += 1;
                continue;
            }
            let Some(cell) = physical.next() else { break };
            cells.push(RawCell {
                text: cell.text.clone(),
                line: cell.line,
            });
            let last = match cell.rowspan {
                0 => group_end,
                n => (r + n - 1).min(group_end),
            };
            if last > r && covers.len() + new_covers.len() < MAX_COVERS {
                new_covers.push(Cover {
                    col,
                    span: cell.colspan,
                    first: r + 1,
                    last,
                });
            }
            col = col.saturating_add(cell.colspan);
        }
        // Cells merged from above to the right of the row's own cells (e.g. under 总计).
        for _ in active.iter().skip(next_cover) {
            if cells.len() >= MAX_ROW_CELLS {
                break;
            }
            cells.push(RawCell {
                text: String::new(),
                line: row.line,
            });
        }
        covers.extend(new_covers);
        if !cells.is_empty() {
            out.push(cells);
        }
    }
    out
}
