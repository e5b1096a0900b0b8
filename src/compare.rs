//! Year-over-year comparison: every table cell of last year's report beside this year's,
//! joined on stable keys, across the 2019 → 2021 template change.
//!
//! Table 3 and table 4 keys are the same in both templates except （六）其他处理, which the
//! 2021 format splits into three rows. Table 2 changed: the rows and columns that carry the
//! same idea are joined (规范性文件 ↔ 行政规范性文件, 本年新制作数量 ↔ 本年制发件数,
//! 对外公开总数量 ↔ 现行有效件数) with a note that the definitions differ.
//!
//! Also the repetition of parts 一/五/六 against last year (as the X-DUP rule measures it,
//! with the sentences repeated) and the trend of key figures over an agency's years.

use crate::check::rules::cross;
use crate::model::{Report, Value};
use crate::template::{t3_short_label, T2_2019, T2_2021, T3_COLS, T4_COLS, T4_GROUPS};
use serde::Serialize;

/// Whether a row exists in both years' templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Both,
    /// Only in last year's template (e.g. 2019's 政府集中采购).
    PrevOnly,
    /// Only in this year's template (e.g. 2021's 本年废止件数).
    CurOnly,
}

/// One line of the comparison: 指标 | 上年 | 本年 | 变化 | 变化%.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareRow {
    /// Key in this year's report (or last year's when the row exists only there).
    pub key: String,
    /// Key in last year's report when it differs (joined across the template change).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev_key: Option<String>,
    /// Human label: table, row and column in Chinese.
    pub label: String,
    pub prev: Option<f64>,
    pub cur: Option<f64>,
    pub delta: Option<f64>,
    /// Relative change in percent; `None` when last year was 0 or missing.
    pub pct: Option<f64>,
    pub presence: Presence,
    /// Why two differently named cells were joined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CompareRow {
    /// Zero (or absent) in both years: hidden by default in the compare view.
    pub fn is_zero_both(&self) -> bool {
        self.prev.unwrap_or(0.0) == 0.0 && self.cur.unwrap_or(0.0) == 0.0
    }

    /// The two years differ (a present value against a missing one counts as a difference).
    pub fn differs(&self) -> bool {
        match (self.prev, self.cur) {
            (Some(a), Some(b)) => (a - b).abs() > 1e-9,
            (None, None) => false,
            _ => true,
        }
    }
}

/// The full comparison of two reports of the same agency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub agency_key: String,
    pub prev_year: Option<i32>,
    pub cur_year: Option<i32>,
    pub prev_template: String,
    pub cur_template: String,
    pub rows: Vec<CompareRow>,
}

pub const DEFINITIONS_DIFFER: &str =
    "2019 与 2021 格式定义不同 (definitions differ between the 2019 and 2021 formats)";

fn amount(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::amount)
}

fn row(
    key: String,
    prev_key: Option<String>,
    label: String,
    prev: Option<f64>,
    cur: Option<f64>,
    presence: Presence,
    note: Option<String>,
) -> CompareRow {
    let delta = match (prev, cur) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    let pct = match (prev, delta) {
        (Some(a), Some(d)) if a != 0.0 => Some(d / a * 100.0),
        _ => None,
    };
    CompareRow {
        key,
        prev_key,
        label,
        prev,
        cur,
        delta,
        pct,
        presence,
        note,
    }
}

/// Compare last year's report with this year's.
pub fn compare(prev: &Report, cur: &Report) -> Comparison {
    let mut rows = Vec::new();
    compare_t2(prev, cur, &mut rows);
    compare_t3(prev, cur, &mut rows);
    compare_t4(prev, cur, &mut rows);
    Comparison {
        agency_key: cur.agency_key.clone(),
        prev_year: prev.year,
        cur_year: cur.year,
        prev_template: prev.template.as_str().to_string(),
        cur_template: cur.template.as_str().to_string(),
        rows,
    }
}

fn compare_t3(prev: &Report, cur: &Report, out: &mut Vec<CompareRow>) {
    // Row order: this year's table, then rows only last year had.
    let labels = |r: &Report| -> Vec<(String, String)> {
        r.table3
            .iter()
            .flat_map(|t| t.rows.iter())
            .map(|row| {
                let label = t3_short_label(&row.key).unwrap_or_else(|| row.label.clone());
                (row.key.clone(), label)
            })
            .collect()
    };
    let cur_rows = labels(cur);
    let prev_rows = labels(prev);
    let mut order: Vec<(String, String)> = cur_rows.clone();
    for (k, l) in &prev_rows {
        if !order.iter().any(|(ok, _)| ok == k) {
            order.push((k.clone(), l.clone()));
        }
    }
    for (rk, rlabel) in order {
        let in_prev = prev_rows.iter().any(|(k, _)| *k == rk);
        let in_cur = cur_rows.iter().any(|(k, _)| *k == rk);
        let presence = match (in_prev, in_cur) {
            (true, true) => Presence::Both,
            (true, false) => Presence::PrevOnly,
            _ => Presence::CurOnly,
        };
        for col in T3_COLS {
            let key = format!("T3.{rk}.{}", col.key);
            out.push(row(
                key.clone(),
                None,
                format!("表三 {rlabel} · {}", col.label),
                amount(prev.cell(&key)),
                amount(cur.cell(&key)),
                presence,
                None,
            ));
        }
    }
}

fn compare_t4(prev: &Report, cur: &Report, out: &mut Vec<CompareRow>) {
    for g in T4_GROUPS {
        for c in T4_COLS {
            let key = format!("T4.{}.{}", g.key, c.key);
            out.push(row(
                key.clone(),
                None,
                format!("表四 {} · {}", g.label, c.label),
                amount(prev.cell(&key)),
                amount(cur.cell(&key)),
                Presence::Both,
                None,
            ));
        }
    }
}

/// Table 2 cells joined across templates: (2019 row, 2019 col) ↔ (2021 row, 2021 col).
const T2_BRIDGE: &[(&str, &str, &str, &str)] = &[
    ("a1.规范性文件", "made", "a1.行政规范性文件", "issued"),
    (
        "a1.规范性文件",
        "public_total",
        "a1.行政规范性文件",
        "in_force",
    ),
    ("a1.规章", "made", "a1.规章", "issued"),
    ("a1.规章", "public_total", "a1.规章", "in_force"),
];

fn compare_t2(prev: &Report, cur: &Report, out: &mut Vec<CompareRow>) {
    let keys = |r: &Report| -> Vec<String> {
        r.table2
            .iter()
            .flat_map(|t| t.rows.iter())
            .flat_map(|row| row.cells.iter().map(|c| c.key.to_string()))
            .collect()
    };
    let prev_keys = keys(prev);
    let cur_keys = keys(cur);
    let mut joined_prev: Vec<String> = Vec::new();
    for key in &cur_keys {
        // Same key in both (same template, or the few cells both templates share).
        if prev_keys.contains(key) {
            joined_prev.push(key.clone());
            out.push(row(
                key.clone(),
                None,
                t2_label(key),
                amount(prev.cell(key)),
                amount(cur.cell(key)),
                Presence::Both,
                None,
            ));
            continue;
        }
        let bridge = T2_BRIDGE.iter().find_map(|(pr, pc, cr, cc)| {
            (format!("T2.{cr}.{cc}") == *key).then(|| format!("T2.{pr}.{pc}"))
        });
        match bridge.filter(|pk| prev_keys.contains(pk)) {
            Some(pk) => {
                joined_prev.push(pk.clone());
                out.push(row(
                    key.clone(),
                    Some(pk.clone()),
                    t2_label(key),
                    amount(prev.cell(&pk)),
                    amount(cur.cell(key)),
                    Presence::Both,
                    Some(DEFINITIONS_DIFFER.into()),
                ));
            }
            None => out.push(row(
                key.clone(),
                None,
                t2_label(key),
                None,
                amount(cur.cell(key)),
                Presence::CurOnly,
                None,
            )),
        }
    }
    for key in prev_keys.iter().filter(|k| !joined_prev.contains(k)) {
        out.push(row(
            key.clone(),
            None,
            t2_label(key),
            amount(prev.cell(key)),
            None,
            Presence::PrevOnly,
            None,
        ));
    }
}

/// `T2.a6.行政处罚.delta` → `表二（六） 行政处罚 · 本年增/减`.
pub fn t2_label(key: &str) -> String {
    let parts: Vec<&str> = key.splitn(4, '.').collect();
    let [_, sub, row_name, col] = parts[..] else {
        return key.to_string();
    };
    let tables = T2_2019.iter().chain(T2_2021).filter(|s| s.id == sub);
    let mut caption = sub.to_string();
    let mut col_label = col.to_string();
    for s in tables {
        caption = s.caption.to_string();
        if let Some(c) = s.cols.iter().find(|c| c.key == col) {
            col_label = c.label.to_string();
            break;
        }
    }
    // 第二十条第（六）项 → 表二（六）: the caption's item number is what auditors read.
    let item = caption
        .find('（')
        .map_or(caption.as_str(), |i| &caption[i..])
        .trim_end_matches('项');
    format!("表二{item} {row_name} · {col_label}")
}

/// Row labels as printed can carry a group prefix (`三、本年度办理结果 / （一）予以公开`);
/// keep the last part for the compare table.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_table2_keys() {
        assert_eq!(
            t2_label("T2.a6.行政处罚.delta"),
            "表二（六） 行政处罚 · 本年增/减"
        );
        assert_eq!(
            t2_label("T2.a1.行政规范性文件.in_force"),
            "表二（一） 行政规范性文件 · 现行有效件数"
        );
    }

    #[test]
    fn percent_change_needs_a_nonzero_base() {
        let r = row(
            "k".into(),
            None,
            "l".into(),
            Some(0.0),
            Some(7.0),
            Presence::Both,
            None,
        );
        assert_eq!(r.delta, Some(7.0));
        assert_eq!(r.pct, None);
        let r = row(
            "k".into(),
            None,
            "l".into(),
            Some(20.0),
            Some(25.0),
            Presence::Both,
            None,
        );
        assert_eq!(r.pct, Some(25.0));
    }
}

/// One sentence of this year found in last year's same part, compared as the check engine
/// compares them (punctuation dropped, digits as `#`, stock phrases removed).
#[derive(Debug, Clone, PartialEq)]
pub struct Repeated {
    pub section: &'static str,
    /// As printed this year.
    pub sentence: String,
    /// As compared.
    pub normalised: String,
}

/// Repetition of parts 一, 五, 六 against last year.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Repetition {
    /// Rate over 一+五+六 (X-DUP) and per part, 0–1.
    pub overall: f64,
    pub per_section: Vec<(&'static str, f64)>,
    /// Sentences of this year found verbatim in last year's same parts.
    pub sentences: Vec<Repeated>,
}

/// One key figure across years for the trend tab.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendSeries {
    pub label_zh: &'static str,
    pub label_en: &'static str,
    /// (year, value) — `None` when the report lacks the cell.
    pub points: Vec<(i32, Option<f64>)>,
}

/// Rate of parts 一/五/六 and the sentences repeated verbatim.
pub fn repetition(prev: &Report, cur: &Report) -> Repetition {
    let ids = ["S1", "S5", "S6"];
    let names = ["一", "五", "六"];
    let overall = cross::repetition(&cross::sentences(prev, &ids), &cross::sentences(cur, &ids));
    let mut per_section = Vec::new();
    let mut sentences = Vec::new();
    for (id, name) in ids.iter().zip(names) {
        let p = cross::sentences(prev, &[id]);
        let c = cross::sentences_as_printed(cur, &[id]);
        if c.is_empty() {
            continue;
        }
        let norm: Vec<String> = c.iter().map(|x| x.1.clone()).collect();
        per_section.push((name, cross::repetition(&p, &norm)));
        for (printed, s) in c {
            if p.contains(&s) && !sentences.iter().any(|r: &Repeated| r.normalised == s) {
                sentences.push(Repeated {
                    section: name,
                    sentence: printed,
                    normalised: s,
                });
            }
        }
    }
    Repetition {
        overall,
        per_section,
        sentences,
    }
}

/// The key figures of the trend tab: (zh, en, cell keys summed; 2019-format keys).
const FIGURES: &[(&str, &str, &[&str], &[&str])] = &[
    ("新收申请", "new requests", &["T3.R1.C7"], &["T3.R1.C7"]),
    ("结转下年度", "carried over", &["T3.R4.C7"], &["T3.R4.C7"]),
    (
        "行政复议",
        "admin. review",
        &["T4.review.total"],
        &["T4.review.total"],
    ),
    (
        "行政诉讼",
        "litigation",
        &["T4.lit_direct.total", "T4.lit_after_review.total"],
        &["T4.lit_direct.total", "T4.lit_after_review.total"],
    ),
    (
        "现行有效规范性文件",
        "normative docs in force",
        &["T2.a1.行政规范性文件.in_force"],
        // 2019 format: 对外公开总数量 (a different definition; noted on screen).
        &["T2.a1.规范性文件.public_total"],
    ),
];

/// Note shown under the trend: the 2019 figure is a different quantity.
pub const BRIDGE_NOTE_ZH: &str =
    "现行有效规范性文件：2019 格式年份取“对外公开总数量”，与 2021 格式“现行有效件数”定义不同";
pub const BRIDGE_NOTE_EN: &str =
    "normative docs in force: 2019-format years show 对外公开总数量, a different definition from 2021's 现行有效件数";

pub fn trend(reports: &[(i32, &Report)]) -> Vec<TrendSeries> {
    FIGURES
        .iter()
        .map(|(zh, en, keys21, keys19)| TrendSeries {
            label_zh: zh,
            label_en: en,
            points: reports
                .iter()
                .map(|(y, r)| {
                    let keys = if r.template == crate::model::Template::F2019 {
                        keys19
                    } else {
                        keys21
                    };
                    let v: Option<f64> = keys
                        .iter()
                        .map(|k| r.cell(k).and_then(|v| v.amount()))
                        .sum();
                    (*y, v)
                })
                .collect(),
        })
        .collect()
}
