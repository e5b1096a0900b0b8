//! Table blocks → tables 2, 3 and 4 keyed as in docs/templates.md.
//!
//! Rows are matched to the template by their printed labels (normalised, with known
//! variants and typos), never by position alone; rows and columns the template does not
//! know are kept with `recognised = false` and reported as notes.

use super::blocks::{RawCell, RawRow};
use super::number::{header_unit, looks_numeric, parse_value, parse_value_in};
use crate::model::{Cell, ImportNote, Row, Table, Template};
use crate::template::{
    self, normalize_label, normalized, similarity, split_marker, Label, SubTable, T2_2019, T2_2021,
    T3_COLS, T3_GROUPS, T4_COLS, T4_GROUPS,
};

/// Which table a block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    T2,
    T3,
    T4,
}

/// Decide what a table block is by the labels it contains.
pub fn classify(rows: &[RawRow]) -> Option<Kind> {
    let has = |word: &str| {
        rows.iter()
            .flatten()
            .any(|c| normalize_label(&c.text).contains(word))
    };
    if has("申请人情况") || has("本年新收") || has("予以公开") {
        Some(Kind::T3)
    } else if has("结果维持") || has("未经复议直接起诉") || has("复议后起诉") {
        Some(Kind::T4)
    } else if has("第二十条") || has("信息内容") {
        Some(Kind::T2)
    } else {
        None
    }
}

/// Split a row into label cells and value cells: leading empty cells are placeholders for
/// merged cells above; labels are the non-numeric cells that follow; the rest are values
/// (an empty cell after the label is a blank value, not a placeholder).
fn split_row(row: &RawRow) -> (Vec<&RawCell>, Vec<&RawCell>) {
    let start = row
        .iter()
        .position(|c| !c.text.trim().is_empty())
        .unwrap_or(row.len());
    let rest = &row[start..];
    let labels = rest
        .iter()
        .position(|c| c.text.trim().is_empty() || looks_numeric(&c.text))
        .unwrap_or(rest.len());
    (
        rest[..labels].iter().collect(),
        rest[labels..].iter().collect(),
    )
}

/// A value cell that holds text (`约3`, `7 8`) is not numeric, so `split_row` takes it for a
/// label. When the row is long enough to hold its label and `expected` values, the trailing
/// "labels" are value cells after all: give them back, so one odd cell becomes a finding on
/// that cell instead of a row with too few values.
fn rebalance<'r>(
    mut labels: Vec<&'r RawCell>,
    mut values: Vec<&'r RawCell>,
    expected: usize,
) -> (Vec<&'r RawCell>, Vec<&'r RawCell>) {
    while values.len() < expected && labels.len() > 1 && labels.len() + values.len() > expected {
        let Some(cell) = labels.pop() else { break };
        values.insert(0, cell);
    }
    (labels, values)
}

fn note(notes: &mut Vec<ImportNote>, line: usize, message: String) {
    notes.push(ImportNote { line, message });
}

fn cells_for(prefix: &str, cols: &[&str], values: &[&RawCell]) -> Vec<Cell> {
    cols.iter()
        .zip(values)
        .map(|(col, cell)| Cell {
            key: compact_str::format_compact!("{prefix}.{col}"),
            value: parse_value(&cell.text, cell.line),
        })
        .collect()
}

// ---------------------------------------------------------------- table 3

/// What the table-3 reader found out about the template.
#[derive(Debug, Default)]
pub struct T3Shape {
    /// （六）其他处理 printed as one data row (2019 style).
    pub single_other_row: bool,
    /// （六） split into three sub-rows (2021 style).
    pub other_sub_rows: bool,
}

pub fn read_t3(rows: &[RawRow], notes: &mut Vec<ImportNote>) -> (Table, T3Shape) {
    let known = template::t3_all_rows();
    let col_keys: Vec<&str> = T3_COLS.iter().map(|c| c.key).collect();
    let mut shape = T3Shape::default();
    let mut out: Vec<Row> = Vec::new();
    let mut extra_columns = Vec::new();
    let mut extra_col_index: Option<usize> = None;
    let mut group: Option<&'static str> = None;
    let mut unknown = 0;
    let first_line = rows.first().and_then(|r| r.first()).map_or(0, |c| c.line);

    for row in rows {
        let (labels, values) = split_row(row);
        if labels.is_empty() {
            continue;
        }
        // Header rows: column words and no numbers. Note a printed subtotal column.
        if values.iter().all(|v| v.text.trim().is_empty())
            && labels.iter().any(|c| is_t3_header_word(&c.text))
        {
            let leaves: Vec<String> = labels.iter().map(|c| normalize_label(&c.text)).collect();
            if let Some(i) = leaves.iter().position(|l| l.contains("小计")) {
                extra_columns.push(labels[i].text.clone());
                // Position among the value columns: 商业企业 row starts at C2.
                extra_col_index = Some(i + 1);
            }
            continue;
        }
        let expected = col_keys.len() + usize::from(extra_col_index.is_some());
        let (labels, values) = rebalance(labels, values, expected);
        let mut group_labels = Vec::new();
        for cell in &labels[..labels.len() - 1] {
            let n = normalize_label(&cell.text);
            if let Some(g) = T3_GROUPS.iter().find(|g| same_label(&n, g.label)) {
                group = if g.key == "R3" { None } else { Some(g.key) };
            }
            group_labels.push(cell.text.trim().to_string());
        }
        let label_cell = labels[labels.len() - 1];
        let n = normalize_label(&label_cell.text);
        // A group label alone on its row (values follow on the sub-rows).
        if values.is_empty() {
            if let Some(g) = T3_GROUPS.iter().find(|g| same_label(&n, g.label)) {
                group = if g.key == "R3" { None } else { Some(g.key) };
                continue;
            }
        }
        let mut key = match match_t3_row(&n, group, &known) {
            Some((label, exact)) => {
                if !exact {
                    note(
                        notes,
                        label_cell.line,
                        format!(
                            "table 3 label `{}` read as `{}` ({})",
                            label_cell.text.trim(),
                            label.label,
                            label.key
                        ),
                    );
                }
                label.key.to_string()
            }
            None => {
                unknown += 1;
                note(
                    notes,
                    label_cell.line,
                    format!(
                        "table 3 row `{}` is not in the template; kept as X{unknown}",
                        label_cell.text.trim()
                    ),
                );
                format!("X{unknown}")
            }
        };
        if let Some(g) = group_of(&key) {
            group = Some(g);
        } else if !key.starts_with('X') && key != "R3_6" {
            group = None;
        }
        // A row printed twice: kept under `R3_1#2` so it is checked (TBL-DUP-ROW compares the
        // copies); the rules' sums read the first copy.
        if !key.starts_with('X') && out.iter().any(|r| r.key == key) {
            let copies = out
                .iter()
                .filter(|r| r.key == key || r.key.starts_with(&format!("{key}#")))
                .count();
            note(
                notes,
                label_cell.line,
                format!(
                    "table 3 row `{}` is printed again; kept as {key}#{}",
                    label_cell.text.trim(),
                    copies + 1
                ),
            );
            key = format!("{key}#{}", copies + 1);
        }
        match key.as_str() {
            "R3_6" => shape.single_other_row = true,
            k if k.starts_with("R3_6_") => shape.other_sub_rows = true,
            _ => {}
        }
        let mut vals: Vec<&RawCell> = values.clone();
        if let Some(i) = extra_col_index {
            if vals.len() == col_keys.len() + 1 && i < vals.len() {
                vals.remove(i);
            }
        }
        if vals.len() > col_keys.len() {
            note(
                notes,
                label_cell.line,
                format!(
                    "table 3 row `{}` has {} values, expected {}; extra values kept as raw text only",
                    label_cell.text.trim(),
                    vals.len(),
                    col_keys.len()
                ),
            );
        }
        let mut label = group_labels;
        label.push(label_cell.text.trim().to_string());
        out.push(Row {
            recognised: !key.starts_with('X'),
            cells: cells_for(&format!("T3.{key}"), &col_keys, &vals),
            key,
            label: label.join(" / "),
            line: label_cell.line,
        });
    }
    (
        Table {
            id: "T3".into(),
            line: first_line,
            rows: out,
            extra_columns,
        },
        shape,
    )
}

fn is_t3_header_word(s: &str) -> bool {
    let n = normalize_label(s);
    [
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "总计",
        "勾稽关系",
    ]
    .iter()
    .any(|w| n.contains(w))
}

fn same_label(norm: &str, template_label: &'static str) -> bool {
    norm == normalized(template_label)
}

fn group_of(key: &str) -> Option<&'static str> {
    ["R3_3", "R3_4", "R3_5", "R3_6"]
        .into_iter()
        .find(|g| key.starts_with(g) && key.len() > g.len())
}

/// Match a normalised row label to the template: exact, then the same body under another
/// marker, then (for typos) the most similar row with the same marker in the current group.
/// Returns the label and whether the match was exact.
fn match_t3_row(norm: &str, group: Option<&str>, known: &[Label]) -> Option<(Label, bool)> {
    let (marker, body) = split_marker(norm);
    let in_group = |k: &Label| group_of(k.key) == group;
    let exact: Vec<&Label> = known
        .iter()
        .filter(|k| normalized(k.label) == norm)
        .collect();
    if let Some(k) = exact.iter().find(|k| in_group(k)).or(exact.first()) {
        return Some((**k, true));
    }
    let same_body: Vec<&Label> = known
        .iter()
        .filter(|k| split_marker(normalized(k.label)).1 == body)
        .collect();
    if let Some(k) = same_body.iter().find(|k| in_group(k)).or(same_body.first()) {
        return Some((**k, true));
    }
    // A long parenthetical note appended to a label (拖市镇 style): match on the prefix.
    if let Some(k) = known.iter().find(|k| {
        let kb = split_marker(normalized(k.label)).1.to_string();
        kb.chars().count() >= 4 && body.starts_with(&kb) && in_group(k)
    }) {
        return Some((*k, false));
    }
    known
        .iter()
        .filter(|k| in_group(k) && split_marker(normalized(k.label)).0 == marker)
        .map(|k| (k, similarity(body, split_marker(normalized(k.label)).1)))
        .filter(|(_, s)| *s >= 0.5)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| (*k, false))
}

// ---------------------------------------------------------------- table 4

/// Table 4: one data row of 15 values, stored as three rows (复议, 直接起诉, 复议后起诉)
/// of five columns each. Returns `None` when no row carries the values.
pub fn read_t4(rows: &[RawRow], notes: &mut Vec<ImportNote>) -> Result<Table, String> {
    let first_line = rows.first().and_then(|r| r.first()).map_or(0, |c| c.line);
    // The data row: the row with the most number cells (a text cell among them, `约3`, is
    // a finding on that cell, not a reason to lose the table).
    let numeric = |r: &RawRow| r.iter().filter(|c| looks_numeric(&c.text)).count();
    let data = rows
        .iter()
        .filter(|r| numeric(r) > 0 && !r.iter().any(|c| is_t4_header_word(&c.text)))
        .max_by_key(|r| {
            (
                numeric(r),
                std::cmp::Reverse(r.first().map_or(0, |c| c.line)),
            )
        });
    // Every value left blank: the data row is the last row with room for the 15 values.
    let data = data.or_else(|| {
        rows.iter()
            .rev()
            .find(|r| r.len() >= 15 && r.iter().all(|c| c.text.trim().is_empty()))
    });
    let Some(data) = data else {
        return Err("table 4 has no row of values".into());
    };
    let mut cells: Vec<&RawCell> = data.iter().collect();
    // Leading empty placeholders may precede the 15 values.
    while cells.len() > 15 && cells[0].text.trim().is_empty() {
        cells.remove(0);
    }
    if cells.len() < 15 {
        return Err(format!(
            "table 4 is truncated: {} of 15 values (line {})",
            cells.len(),
            data[0].line
        ));
    }
    if cells.len() > 15 {
        note(
            notes,
            data[0].line,
            format!(
                "table 4 has {} values, expected 15; extra ignored",
                cells.len()
            ),
        );
    }
    let col_keys: Vec<&str> = T4_COLS.iter().map(|c| c.key).collect();
    let out = T4_GROUPS
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let vals = &cells[g * 5..g * 5 + 5];
            Row {
                key: group.key.into(),
                label: group.label.into(),
                recognised: true,
                line: vals[0].line,
                cells: cells_for(&format!("T4.{}", group.key), &col_keys, vals),
            }
        })
        .collect();
    Ok(Table {
        id: "T4".into(),
        line: first_line,
        rows: out,
        extra_columns: Vec::new(),
    })
}

fn is_t4_header_word(s: &str) -> bool {
    let n = normalize_label(s);
    [
        "行政复议",
        "行政诉讼",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "复议后起诉",
        "直接起诉",
    ]
    .iter()
    .any(|w| n.contains(w))
}

// ---------------------------------------------------------------- table 2

/// The unit table 2's money columns are kept in: 收费金额 in 万元 (as the 2021 template
/// prints), 采购总金额 in 元 (docs/templates.md).
fn canonical_unit(col: &str) -> Option<&'static str> {
    match col {
        "amount_wan" => Some("万元"),
        "amount" => Some("元"),
        _ => None,
    }
}

/// What table 2 says about the template.
#[derive(Debug, Default)]
pub struct T2Signals {
    pub f2019: Vec<String>,
    pub f2021: Vec<String>,
}

pub fn read_t2(rows: &[RawRow], notes: &mut Vec<ImportNote>) -> (Table, T2Signals) {
    let mut signals = T2Signals::default();
    let mut out = Vec::new();
    let mut extra_columns = Vec::new();
    let mut sub: Option<&'static str> = None;
    let mut cols: Vec<String> = Vec::new();
    let mut col_units: Vec<Option<&'static str>> = Vec::new();
    let mut unknown = 0;
    let first_line = rows.first().and_then(|r| r.first()).map_or(0, |c| c.line);

    for row in rows {
        let (labels, values) = split_row(row);
        let Some(first) = labels.first() else {
            continue;
        };
        let n = normalize_label(&first.text);
        for cell in &labels {
            record_signal(&normalize_label(&cell.text), &mut signals);
        }
        if let Some(id) = caption_id(&n) {
            sub = Some(id);
            cols.clear();
            col_units.clear();
            continue;
        }
        if n.starts_with("信息内容") {
            let Some(id) = sub else { continue };
            col_units = labels[1..].iter().map(|c| header_unit(&c.text)).collect();
            cols = labels[1..]
                .iter()
                .map(|c| match_t2_col(id, &c.text))
                .enumerate()
                .map(|(i, m)| match m {
                    Some(k) => k.to_string(),
                    None => {
                        extra_columns.push(labels[i + 1].text.trim().to_string());
                        note(
                            notes,
                            labels[i + 1].line,
                            format!(
                                "table 2 column `{}` is not in the template; kept as x{}",
                                labels[i + 1].text.trim(),
                                i + 1
                            ),
                        );
                        format!("x{}", i + 1)
                    }
                })
                .collect();
            continue;
        }
        let Some(id) = sub else { continue };
        let first = *first;
        let (labels, values) = rebalance(labels, values, cols.len());
        let row_name = match match_t2_row(id, &n) {
            Some((name, exact)) => {
                if !exact {
                    note(
                        notes,
                        first.line,
                        format!("table 2 row `{}` read as `{name}`", first.text.trim()),
                    );
                }
                name.to_string()
            }
            None => {
                unknown += 1;
                note(
                    notes,
                    first.line,
                    format!(
                        "table 2 row `{}` is not in the template; kept as X{unknown}",
                        first.text.trim()
                    ),
                );
                format!("X{unknown}")
            }
        };
        let col_refs: Vec<&str> = cols.iter().map(String::as_str).collect();
        if values.len() != col_refs.len() {
            note(
                notes,
                first.line,
                format!(
                    "table 2 row `{}` has {} values for {} columns",
                    first.text.trim(),
                    values.len(),
                    col_refs.len()
                ),
            );
        }
        out.push(Row {
            recognised: !row_name.starts_with('X'),
            cells: col_refs
                .iter()
                .zip(&values)
                .enumerate()
                .map(|(i, (col, cell))| Cell {
                    key: compact_str::format_compact!("T2.{id}.{row_name}.{col}"),
                    value: parse_value_in(
                        &cell.text,
                        cell.line,
                        col_units.get(i).copied().flatten(),
                        canonical_unit(col),
                    ),
                })
                .collect(),
            key: format!("{id}.{row_name}"),
            label: labels
                .iter()
                .map(|c| c.text.trim())
                .collect::<Vec<_>>()
                .join(" / "),
            line: first.line,
        });
    }
    (
        Table {
            id: "T2".into(),
            line: first_line,
            rows: out,
            extra_columns,
        },
        signals,
    )
}

fn record_signal(norm: &str, signals: &mut T2Signals) {
    for s in template::SIGNALS_2019 {
        if norm.contains(normalized(s)) && !signals.f2019.iter().any(|x| x == s) {
            signals.f2019.push(s.to_string());
        }
    }
    for s in template::SIGNALS_2021 {
        if norm.contains(normalized(s)) && !signals.f2021.iter().any(|x| x == s) {
            signals.f2021.push(s.to_string());
        }
    }
}

/// `第二十条第(一)项` → `a1`.
fn caption_id(norm: &str) -> Option<&'static str> {
    if !norm.starts_with("第二十条") {
        return None;
    }
    [
        ("(一)", "a1"),
        ("(五)", "a5"),
        ("(六)", "a6"),
        ("(八)", "a8"),
        ("(九)", "a9"),
    ]
    .into_iter()
    .find(|(n, _)| norm.contains(n))
    .map(|(_, id)| id)
}

fn sub_tables(id: &str) -> impl Iterator<Item = &'static SubTable> + '_ {
    T2_2019.iter().chain(T2_2021).filter(move |s| s.id == id)
}

fn match_t2_col(id: &str, printed: &str) -> Option<&'static str> {
    let n = normalize_label(printed);
    let cols = || sub_tables(id).flat_map(|s| s.cols.iter());
    if let Some(c) = cols().find(|c| normalized(c.label) == n) {
        return Some(c.key);
    }
    // 本年收费金额（单位：万元） may be printed without the unit note, and the reverse.
    if let Some(c) = cols().find(|c| {
        let t = normalized(c.label);
        (t.starts_with(&n) || n.starts_with(t)) && n.chars().count() >= 4
    }) {
        return Some(c.key);
    }
    cols()
        .map(|c| (c, similarity(&n, normalized(c.label))))
        .filter(|(_, s)| *s >= 0.6)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c.key)
}

fn match_t2_row(id: &str, norm: &str) -> Option<(&'static str, bool)> {
    let names = || sub_tables(id).flat_map(|s| s.rows.iter().copied());
    if let Some(r) = names().find(|r| normalized(r) == norm) {
        return Some((r, true));
    }
    // Longest name the label starts with (`规章(设区的市…应提供相关数据)`).
    names()
        .filter(|r| norm.starts_with(normalized(r)))
        .max_by_key(|r| r.len())
        .map(|r| (r, false))
}

/// The template that table 2 and table 3 point to, with the signals that decided it.
pub fn detect_template(
    t2: &T2Signals,
    t3: Option<&T3Shape>,
    year: Option<i32>,
) -> (Template, Vec<String>) {
    let mut s19: Vec<String> = t2.f2019.clone();
    let mut s21: Vec<String> = t2.f2021.clone();
    if let Some(shape) = t3 {
        if shape.single_other_row {
            s19.push("（六）其他处理 single row".into());
        }
        if shape.other_sub_rows {
            s21.push("（六）其他处理 1–3 sub-rows".into());
        }
    }
    let signals: Vec<String> = s19
        .iter()
        .map(|s| format!("2019: {s}"))
        .chain(s21.iter().map(|s| format!("2021: {s}")))
        .collect();
    let template = match (s19.is_empty(), s21.is_empty()) {
        (false, false) => Template::Hybrid,
        (false, true) => Template::F2019,
        (true, false) => Template::F2021,
        (true, true) => match year {
            Some(y) if y <= 2020 => Template::F2019,
            _ => Template::F2021,
        },
    };
    (template, signals)
}
