//! Positioned lines → blocks (the reader-neutral form of `blocks.rs`).
//!
//! * Page furniture (page numbers, a running header or footer repeated on most pages) is
//!   dropped.
//! * A table starts at a line naming its header (`第二十条…`, `申请人情况`, `行政复议 … 行政
//!   诉讼`) and runs, across pages, until a section heading or a prose sentence.
//! * Table rows come from baselines: a line with numbers in the value columns is a data
//!   row; value columns are the x ranges the numbers occupy on the page. Labels are read
//!   as items: a line starting with a list marker (`（二）`, `1.`, `一、`) opens one, lines
//!   below it in the same column continue it (labels wrapped inside their cell), a stack of
//!   single characters is a label written vertically. Each data row takes the label printed
//!   on its line, or else the nearest free one; labels left over are group labels (a merged
//!   cell over several rows) and go to the first row of their group, the way the text dump
//!   prints them. Header lines above the first data row become header rows, their words
//!   grouped by the value column they stand over.
//! * Prose lines are re-joined into paragraphs: a line continues the one before unless it
//!   is indented, the one before stopped short of the right margin, or either is a heading.

use super::positions::{is_page_number, Frag, Line};
use crate::import::blocks::{Block, RawCell, RawRow};
use crate::import::document::parse_heading;
use crate::import::number::looks_numeric;
use crate::import::tables::Kind;
use crate::template::normalize_label;
use std::collections::HashMap;

/// Blocks of the document from its lines (all pages, in reading order).
pub fn blocks(lines: &[Line]) -> Vec<Block> {
    let lines = without_furniture(lines);
    let mut blocks = Vec::new();
    let mut prose: Vec<&Line> = Vec::new();
    let mut table: Vec<&Line> = Vec::new();
    let mut kind: Option<Kind> = None;
    for line in lines {
        let start = table_start(line);
        if kind.is_some() && ends_table(line) {
            blocks.push(Block::Table(table_rows(&table)));
            table.clear();
            kind = None;
        }
        if let Some(k) = start.filter(|k| Some(*k) != kind) {
            if kind.is_some() {
                blocks.push(Block::Table(table_rows(&table)));
                table.clear();
            }
            blocks.extend(paragraphs(&prose));
            prose.clear();
            kind = Some(k);
        }
        if kind.is_some() {
            table.push(line);
        } else {
            prose.push(line);
        }
    }
    if kind.is_some() {
        blocks.push(Block::Table(table_rows(&table)));
    }
    blocks.extend(paragraphs(&prose));
    blocks.retain(|b| !matches!(b, Block::Table(rows) if rows.is_empty()));
    blocks
}

fn squeezed(text: &str) -> String {
    normalize_label(text)
}

/// Page numbers alone on the first or last line of a page, and a line printed at the top or
/// bottom of most pages (running header or footer).
fn without_furniture(lines: &[Line]) -> Vec<&Line> {
    let mut first_last: HashMap<usize, (usize, usize)> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        let e = first_last.entry(l.page).or_insert((i, i));
        e.1 = i;
    }
    let pages = first_last.len();
    let is_edge = |i: usize| {
        let (f, l) = first_last[&lines[i].page];
        i == f || i == l
    };
    let mut edge_texts: HashMap<String, usize> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        if is_edge(i) {
            *edge_texts.entry(squeezed(&l.text())).or_insert(0) += 1;
        }
    }
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            let text = l.text();
            let edge = is_edge(*i);
            let page_number = is_page_number(&text) && (edge || l.frags.len() == 1);
            let running = edge
                && pages >= 3
                && edge_texts.get(&squeezed(&text)).copied().unwrap_or(0) * 2 >= pages
                && parse_heading(&text).is_none();
            !(page_number || running)
        })
        .map(|(_, l)| l)
        .collect()
}

fn is_numeric(f: &Frag) -> bool {
    f.text.chars().count() <= 24 && looks_numeric(&f.text)
}

/// The table a line opens, by the header words it prints.
fn table_start(line: &Line) -> Option<Kind> {
    let text = line.text();
    if line.frags.iter().any(is_numeric)
        || parse_heading(&text).is_some()
        || text.contains('。')
        || text.chars().count() > 60
    {
        return None;
    }
    let t = squeezed(&text);
    if t.starts_with("第二十条") {
        Some(Kind::T2)
    } else if t.contains("申请人情况") || t.contains("勾稽关系") {
        Some(Kind::T3)
    } else if (t.contains("行政复议") && t.contains("行政诉讼")) || t.contains("未经复议直接起诉")
    {
        Some(Kind::T4)
    } else {
        None
    }
}

/// A section heading or a sentence of prose ends a table.
fn ends_table(line: &Line) -> bool {
    if line.frags.iter().any(is_numeric) {
        return false;
    }
    let text = line.text();
    if parse_heading(&text).is_some() {
        return true;
    }
    line.frags.len() == 1 && text.chars().count() > 30 && text.contains('。')
}

// ---------------------------------------------------------------- prose

/// Re-join wrapped lines into paragraphs, each a `Block::Text` at its first line.
fn paragraphs(lines: &[&Line]) -> Vec<Block> {
    let mut margins: HashMap<usize, (f32, f32)> = HashMap::new();
    for page in lines.iter().map(|l| l.page) {
        if margins.contains_key(&page) {
            continue;
        }
        let on_page: Vec<&&Line> = lines.iter().filter(|l| l.page == page).collect();
        margins.insert(page, page_margins(&on_page));
    }
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let mut prev: Option<&Line> = None;
    for line in lines {
        let text = line.text();
        let (left, _) = margins[&line.page];
        let heading = parse_heading(&text).is_some();
        let continues = prev.is_some_and(|p| {
            let (_, p_right) = margins[&p.page];
            let p_heading = parse_heading(&p.text()).is_some();
            !heading && !p_heading && line.x0() < left + 0.8 * line.em && reaches_margin(p, p_right)
        });
        match (&mut current, continues) {
            (Some((_, buf)), true) => {
                if buf.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && text.starts_with(|c: char| c.is_ascii_alphanumeric())
                {
                    buf.push(' ');
                }
                buf.push_str(text.trim());
            }
            _ => {
                if let Some((line, text)) = current.take() {
                    out.push(Block::Text { line, text });
                }
                current = Some((line.number, text.trim().to_string()));
            }
        }
        prev = Some(line);
    }
    if let Some((line, text)) = current {
        out.push(Block::Text { line, text });
    }
    out
}

/// A line that runs to the right margin wraps on to the next. Text forms space wide and
/// narrow characters unevenly, so a line may stop a little short; one ending a sentence must
/// reach closer.
fn reaches_margin(line: &Line, right: f32) -> bool {
    let text = line.text();
    let sentence_end = text
        .trim_end()
        .ends_with(['。', '：', '；', '！', '？', ':']);
    let slack = if sentence_end { 1.0 } else { 2.6 };
    line.x1() > right - slack * line.em
}

/// Left margin (most common line start) and right margin (the furthest line end reached
/// by several lines) of the prose on a page.
fn page_margins(lines: &[&&Line]) -> (f32, f32) {
    let mut starts: HashMap<i64, usize> = HashMap::new();
    for l in lines {
        *starts.entry((l.x0() / 2.0).round() as i64).or_insert(0) += 1;
    }
    let left = starts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map_or(0.0, |(k, _)| *k as f32 * 2.0);
    let mut ends: Vec<f32> = lines.iter().map(|l| l.x1()).collect();
    ends.sort_by(|a, b| b.total_cmp(a));
    let right = ends
        .get(ends.len().min(2).saturating_sub(1))
        .copied()
        .unwrap_or(0.0);
    (left, right)
}

// ---------------------------------------------------------------- tables

fn cell(text: &str, line: usize) -> RawCell {
    RawCell {
        text: text.trim().to_string(),
        line,
    }
}

/// Rows of one table region: sub-table captions are one-cell rows, each sub-table between
/// them is read on its own (its own columns).
fn table_rows(lines: &[&Line]) -> Vec<RawRow> {
    let mut rows = Vec::new();
    let mut chunk: Vec<&Line> = Vec::new();
    for line in lines {
        let caption =
            !line.frags.iter().any(is_numeric) && squeezed(&line.text()).starts_with("第二十条");
        if caption {
            rows.extend(sub_table(&chunk));
            chunk.clear();
            rows.push(vec![cell(&line.text(), line.number)]);
        } else {
            chunk.push(line);
        }
    }
    rows.extend(sub_table(&chunk));
    rows
}

/// A label as printed: one or more fragments in one column, top to bottom.
#[derive(Debug)]
struct Item {
    text: String,
    line: usize,
    page: usize,
    x0: f32,
    x1: f32,
    top: f32,
    bottom: f32,
    /// Indices (into the sub-table's lines) of the lines it is printed on.
    on: Vec<usize>,
    marker: Marker,
    vertical: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Marker {
    None,
    /// `一、`
    Numeral,
    /// `（一）`
    Paren,
    /// `1.`
    Digit,
}

fn marker_of(text: &str) -> (Marker, bool) {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut chars = t.chars();
    let Some(first) = chars.next() else {
        return (Marker::None, false);
    };
    let is_first = |s: &str| {
        let body: String = s.chars().filter(|c| !"（()）、.．".contains(*c)).collect();
        body == "一" || body == "1" || body == "１"
    };
    if "一二三四五六七八九十".contains(first) {
        let num: String = t
            .chars()
            .take_while(|c| "一二三四五六七八九十".contains(*c))
            .collect();
        if t[num.len()..].starts_with(['、', '.', '．']) {
            return (Marker::Numeral, is_first(&num));
        }
    }
    if first == '（' || first == '(' {
        if let Some(end) = t.find(['）', ')']) {
            let inner = &t[first.len_utf8()..end];
            if !inner.is_empty() && inner.chars().count() <= 3 {
                return (Marker::Paren, is_first(inner));
            }
        }
    }
    if first.is_ascii_digit() || ('０'..='９').contains(&first) {
        let num: String = t
            .chars()
            .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
            .collect();
        if t[num.len()..].starts_with(['.', '．', '、']) && !t[num.len()..].starts_with("..") {
            return (Marker::Digit, is_first(&num));
        }
    }
    (Marker::None, false)
}

fn is_wide(c: char) -> bool {
    crate::textwidth::char_width(c) == 2
}

/// Centres of the value columns from the data lines' value fragments: the most common
/// number of values per line gives the columns, and the k-th value of each such line
/// gives the k-th centre (text forms shift single numbers by a column or two).
fn column_centres(rows: &[Vec<&Frag>]) -> Vec<f32> {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for r in rows {
        *counts.entry(r.len()).or_insert(0) += 1;
    }
    let Some(usual) = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)))
        .map(|(n, _)| *n)
    else {
        return Vec::new();
    };
    let full: Vec<&Vec<&Frag>> = rows.iter().filter(|r| r.len() == usual).collect();
    (0..usual)
        .map(|k| full.iter().map(|r| (r[k].x0 + r[k].x1) / 2.0).sum::<f32>() / full.len() as f32)
        .collect()
}

fn sub_table(lines: &[&Line]) -> Vec<RawRow> {
    if lines.is_empty() {
        return Vec::new();
    }
    let em = {
        let mut ems: Vec<f32> = lines.iter().map(|l| l.em).collect();
        ems.sort_by(f32::total_cmp);
        ems[ems.len() / 2]
    };
    // Where values start: the first number after a label, leftmost over the table.
    let value_x0 = lines
        .iter()
        .filter_map(|l| {
            let first_label = l.frags.iter().position(|f| !is_numeric(f))?;
            l.frags[first_label..]
                .iter()
                .find(|f| is_numeric(f))
                .map(|f| f.x0)
        })
        .fold(f32::INFINITY, f32::min);
    let value_x0 = if value_x0.is_finite() {
        value_x0 - 0.5 * em
    } else {
        f32::NEG_INFINITY
    };
    // A line of numbers only is all values (the values of a wrapped label's row).
    let values_of = |l: &Line| -> Vec<usize> {
        let all = l.frags.iter().all(is_numeric);
        (0..l.frags.len())
            .filter(|&i| is_numeric(&l.frags[i]) && (all || l.frags[i].x0 >= value_x0))
            .collect()
    };
    let data: Vec<bool> = lines.iter().map(|l| !values_of(l).is_empty()).collect();
    let Some(first_data) = data.iter().position(|d| *d) else {
        // Headers only (a table whose values are on the next block).
        return vec![lines
            .iter()
            .flat_map(|l| l.frags.iter().map(|f| cell(&f.text, l.number)))
            .collect()];
    };
    // Value columns, page by page (a table continued on the next page can shift): the
    // mean centre of the k-th value over the data lines that have the usual number of
    // values.
    let mut page_cols: HashMap<usize, Vec<f32>> = HashMap::new();
    for page in lines.iter().map(|l| l.page) {
        if page_cols.contains_key(&page) {
            continue;
        }
        let rows: Vec<Vec<&Frag>> = lines
            .iter()
            .zip(&data)
            .filter(|(l, d)| **d && l.page == page)
            .map(|(l, _)| values_of(l).into_iter().map(|i| &l.frags[i]).collect())
            .collect();
        page_cols.insert(page, column_centres(&rows));
    }
    let first_cols = page_cols[&lines[first_data].page].clone();

    let mut rows: Vec<RawRow> = header_rows(&lines[..first_data], value_x0, &first_cols, em);

    // Labels of the body, as items.
    let body = &lines[first_data..];
    let body_data = &data[first_data..];
    let items = label_items(body, body_data, value_x0, em);

    // Bind items to data lines.
    let data_idx: Vec<usize> = (0..body.len()).filter(|&i| body_data[i]).collect();
    let mut leaf: HashMap<usize, usize> = HashMap::new(); // data line -> item
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new(); // data line -> items
    let mut bound = vec![false; items.len()];
    for &d in &data_idx {
        let mut here: Vec<usize> = (0..items.len())
            .filter(|&k| !bound[k] && !items[k].vertical && items[k].on.contains(&d))
            .collect();
        here.sort_by(|a, b| items[*a].x0.total_cmp(&items[*b].x0));
        if let Some(last) = here.pop() {
            leaf.insert(d, last);
            bound[last] = true;
            for k in here {
                groups.entry(d).or_default().push(k);
                bound[k] = true;
            }
        }
    }
    for &d in &data_idx {
        if leaf.contains_key(&d) {
            continue;
        }
        let line = body[d];
        let nearest = (0..items.len())
            .filter(|&k| !bound[k] && !items[k].vertical && items[k].page == line.page)
            .map(|k| {
                let it = &items[k];
                let dist = if line.y < it.top {
                    it.top - line.y
                } else if line.y > it.bottom {
                    line.y - it.bottom
                } else {
                    0.0
                };
                (k, dist)
            })
            .filter(|(_, dist)| *dist <= 2.5 * em)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((k, _)) = nearest {
            leaf.insert(d, k);
            bound[k] = true;
        }
    }
    // Group labels: to the first row of their group.
    for k in 0..items.len() {
        if bound[k] {
            continue;
        }
        if let Some(d) = group_row(&items[k], body, &data_idx, &leaf, &items) {
            groups.entry(d).or_default().push(k);
        }
    }

    for &d in &data_idx {
        let line = body[d];
        let mut row: RawRow = Vec::new();
        let mut labels: Vec<&Item> = groups
            .get(&d)
            .map(|g| g.iter().map(|k| &items[*k]).collect())
            .unwrap_or_default();
        labels.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        for it in labels {
            row.push(cell(&it.text, it.line));
        }
        if let Some(k) = leaf.get(&d) {
            row.push(cell(&items[*k].text, items[*k].line));
        }
        let vals: Vec<&Frag> = values_of(line)
            .into_iter()
            .map(|i| &line.frags[i])
            .collect();
        let cols = &page_cols[&line.page];
        if vals.len() >= cols.len() {
            row.extend(vals.iter().map(|f| cell(&f.text, line.number)));
        } else {
            // Fewer values than columns: each goes to the nearest column, the rest blank.
            let mut slots: Vec<Option<&Frag>> = vec![None; cols.len()];
            for f in &vals {
                let centre = (f.x0 + f.x1) / 2.0;
                let free = (0..cols.len()).filter(|&c| slots[c].is_none());
                if let Some(c) = free.min_by(|a, b| {
                    (cols[*a] - centre)
                        .abs()
                        .total_cmp(&(cols[*b] - centre).abs())
                }) {
                    slots[c] = Some(f);
                }
            }
            for slot in slots {
                row.push(cell(slot.map_or("", |f| f.text.as_str()), line.number));
            }
        }
        rows.push(row);
    }
    rows
}

/// Header lines above the first data row → header rows: words over several value columns
/// (merged header cells) first, then one row of the label-column words and each column's
/// own words, top to bottom (a header wrapped inside its cell is one word again).
fn header_rows(lines: &[&Line], value_x0: f32, cols: &[f32], em: f32) -> Vec<RawRow> {
    if lines.is_empty() {
        return Vec::new();
    }
    let mut merged: RawRow = Vec::new();
    let mut label_text = String::new();
    let mut label_line = 0;
    let mut leaves: Vec<(String, usize)> = vec![(String::new(), 0); cols.len()];
    for line in lines {
        // Words of one line go to columns left to right, each to a column right of the last
        // and leaving enough columns for the words after it.
        let in_values: Vec<&Frag> = line
            .frags
            .iter()
            .filter(|f| f.x1 > value_x0 + 0.5 * em && !cols.is_empty())
            .collect();
        let mut remaining = in_values.len();
        let mut next_col = 0usize;
        for f in &line.frags {
            if f.x1 <= value_x0 + 0.5 * em || cols.is_empty() {
                if label_text.is_empty() {
                    label_line = line.number;
                }
                label_text.push_str(&f.text);
                continue;
            }
            // Over two or more column centres: a merged header cell.
            let over = cols.iter().filter(|c| f.x0 <= **c && **c <= f.x1).count();
            remaining = remaining.saturating_sub(1);
            if over >= 2 {
                merged.push(cell(&f.text, line.number));
                continue;
            }
            let centre = (f.x0 + f.x1) / 2.0;
            let last_allowed = cols.len().saturating_sub(remaining).max(next_col + 1);
            let nearest = (next_col..last_allowed.min(cols.len()))
                .min_by(|a, b| {
                    (cols[*a] - centre)
                        .abs()
                        .total_cmp(&(cols[*b] - centre).abs())
                })
                .or(cols.len().checked_sub(1));
            if let Some(c) = nearest {
                next_col = c + 1;
                if leaves[c].0.is_empty() {
                    leaves[c].1 = line.number;
                }
                leaves[c].0.push_str(&f.text);
            }
        }
    }
    let mut rows = Vec::new();
    if !merged.is_empty() {
        rows.push(merged);
    }
    let mut leaf_row: RawRow = Vec::new();
    if !label_text.is_empty() {
        leaf_row.push(cell(&label_text, label_line));
    }
    leaf_row.extend(
        leaves
            .into_iter()
            .filter(|(t, _)| !t.is_empty())
            .map(|(t, l)| cell(&t, l)),
    );
    if !leaf_row.is_empty() {
        rows.push(leaf_row);
    }
    rows
}

/// The label fragments of the body (left of the values) as items.
fn label_items(body: &[&Line], data: &[bool], value_x0: f32, em: f32) -> Vec<Item> {
    // (line index, fragment) of every label fragment.
    let mut frags: Vec<(usize, &Frag)> = Vec::new();
    for (i, l) in body.iter().enumerate() {
        for f in &l.frags {
            if f.x0 < value_x0 && !is_numeric(f) {
                frags.push((i, f));
            }
        }
    }
    let mut items: Vec<Item> = Vec::new();
    // Vertical labels: three or more one- or two-character fragments stacked at the left.
    let left = frags
        .iter()
        .map(|(_, f)| f.x0)
        .fold(f32::INFINITY, f32::min);
    let short = |f: &Frag| {
        let t: String = f.text.chars().filter(|c| !c.is_whitespace()).collect();
        let n = t.chars().count();
        (1..=2).contains(&n) && t.chars().next().is_some_and(is_wide) && f.x0 < left + em
    };
    let stack: Vec<usize> = (0..frags.len()).filter(|&k| short(frags[k].1)).collect();
    let mut used = vec![false; frags.len()];
    if stack.len() >= 3 {
        let mut text = String::new();
        let (mut x0, mut x1) = (f32::INFINITY, f32::NEG_INFINITY);
        for &k in &stack {
            used[k] = true;
            text.push_str(frags[k].1.text.trim());
            x0 = x0.min(frags[k].1.x0);
            x1 = x1.max(frags[k].1.x1);
        }
        let (first, last) = (
            body[frags[stack[0]].0],
            body[frags[*stack.last().unwrap()].0],
        );
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let marker = marker_of(&text).0;
        items.push(Item {
            text,
            line: first.number,
            page: first.page,
            x0,
            x1,
            top: first.y,
            bottom: if last.page == first.page {
                last.y
            } else {
                first.y
            },
            on: stack.iter().map(|&k| frags[k].0).collect(),
            marker,
            vertical: true,
        });
    }
    let stack_items = items.len();
    for (k, (li, f)) in frags.iter().enumerate() {
        if used[k] {
            continue;
        }
        let line = body[*li];
        let (marker, _) = marker_of(&f.text);
        // Same line, right after another label without a gap of a column: one label
        // broken by spacing (`4.无正当理由大量反复 申请`).
        if marker == Marker::None {
            if let Some(it) = items[stack_items..].iter_mut().rev().find(|it| {
                it.on.last() == Some(li) && f.x0 - it.x1 < 3.0 * em && f.x0 >= it.x1 - 0.1
            }) {
                it.text.push_str(f.text.trim());
                it.x1 = f.x1;
                continue;
            }
            // A wrapped label: the next line down in the same column (or the first line
            // of the next page after the last line of this one).
            let column_free = |it: &Item| {
                !frags.iter().any(|(lj, g)| {
                    *lj > *it.on.last().unwrap_or(&0) && *lj < *li && g.x0 < it.x1 && g.x1 > it.x0
                })
            };
            if let Some(it) = items[stack_items..].iter_mut().rev().find(|it| {
                let last = *it.on.last().unwrap_or(&0);
                let next_page = it.page + 1 == line.page
                    && body[last + 1..*li].iter().all(|l| l.page == it.page)
                    && body[..*li]
                        .iter()
                        .rev()
                        .take_while(|l| l.page == line.page)
                        .count()
                        == 0;
                (it.page == line.page && line.y - it.bottom <= 2.6 * line.em || next_page)
                    && last < *li
                    && f.x0 < it.x1 + 0.5 * em
                    && f.x1 > it.x0 - 0.5 * em
                    && !(data[*li] && data[it.on[0]])
                    && column_free(it)
            }) {
                it.text.push_str(f.text.trim());
                it.x0 = it.x0.min(f.x0);
                it.x1 = it.x1.max(f.x1);
                it.bottom = line.y;
                it.on.push(*li);
                continue;
            }
        }
        items.push(Item {
            text: f.text.trim().to_string(),
            line: line.number,
            page: line.page,
            x0: f.x0,
            x1: f.x1,
            top: line.y,
            bottom: line.y,
            on: vec![*li],
            marker,
            vertical: false,
        });
    }
    items
}

/// The data line a group label belongs on: the first row of its group. Its rows are
/// numbered one level down (`三、` → `（一）`, `（三）` → `1.`): the row at or below the
/// label's top when that row opens the group, else up through the group's rows to its first.
fn group_row(
    it: &Item,
    body: &[&Line],
    data_idx: &[usize],
    leaf: &HashMap<usize, usize>,
    items: &[Item],
) -> Option<usize> {
    let child = match it.marker {
        Marker::Numeral => Marker::Paren,
        Marker::Paren => Marker::Digit,
        _ => Marker::None,
    };
    let leaf_marker = |d: usize| {
        leaf.get(&d)
            .map(|k| marker_of(&items[*k].text))
            .unwrap_or((Marker::None, false))
    };
    let below = data_idx.iter().position(|&d| {
        body[d].page > it.page
            || (body[d].page == it.page && body[d].y >= it.top - 0.5 * body[d].em)
    });
    let Some(mut r) = below else {
        return data_idx.last().copied();
    };
    if child == Marker::None {
        return Some(data_idx[r]);
    }
    // Walk up through the group's rows (numbered one level down, or deeper) to the first.
    let start = r;
    loop {
        let (m, first) = leaf_marker(data_idx[r]);
        if m == child && first {
            return Some(data_idx[r]);
        }
        if r == 0 || (r != start && level(m) <= level(it.marker)) {
            break;
        }
        r -= 1;
    }
    Some(data_idx[start])
}

/// Nesting level of a list marker: `一、` above `（一）` above `1.`; unnumbered rows last.
fn level(m: Marker) -> u8 {
    match m {
        Marker::Numeral => 0,
        Marker::Paren => 1,
        Marker::Digit => 2,
        Marker::None => 3,
    }
}
