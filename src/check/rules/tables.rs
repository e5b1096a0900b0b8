//! Table arithmetic: table 3 (T3-*), table 4 (T4-*), table 2 (T2-*), FMT-BLANK, FMT-NUMBER,
//! FMT-UNITS, TBL-DUP-ROW.
//!
//! Blank cells count as 0 and are reported once per blank unit (FMT-BLANK); a blank 总计 beside
//! filled columns is read as their sum (`Ctx::operand`), except by T3-ROW, whose own operand
//! it is.

use crate::check::{add, close, fmt_num, CellRef, Ctx, Operand, F};
use crate::model::key::{base_row, column_of as cell_col, row_group, row_item, CellKey, TableId};
use crate::model::{Table, Template};

const COLS: [&str; 7] = ["C1", "C2", "C3", "C4", "C5", "C6", "C7"];
const T4_GROUPS: [&str; 3] = ["review", "lit_direct", "lit_after_review"];
const T4_LEAVES: [&str; 4] = ["upheld", "corrected", "other", "pending"];

pub fn run(ctx: &mut Ctx) {
    if ctx.report.table3.is_some() {
        t3_bal(ctx);
        t3_row(ctx);
        t3_res(ctx);
        t3_subtotal(ctx);
        t3_int(ctx);
        t3_bound(ctx);
        t3_other_fee(ctx);
    }
    if ctx.report.table4.is_some() {
        t4_sum(ctx);
        t4_int(ctx);
        t4_after(ctx);
    }
    if ctx.report.table2.is_some() {
        t2_19(ctx);
        t2_21(ctx);
        t2_rule_reg(ctx);
    }
    fmt_blank(ctx);
    fmt_number(ctx);
    fmt_units(ctx);
    tbl_dup_row(ctx);
}

/// A table-3 cell by its parts: rules look cells up by these, and only a finding spells the
/// key out.
fn k3<'k>(row: &'k str, col: &'k str) -> CellKey<'k> {
    CellKey {
        table: TableId::T3,
        row,
        col,
    }
}

fn has_row(ctx: &Ctx, row: &str) -> bool {
    ctx.report
        .table3
        .as_ref()
        .is_some_and(|t| t.row(row).is_some_and(|r| !r.cells.is_empty()))
}

/// The result rows before （六）: 一, 二 and the sub-rows of 三, 四 and 五.
const RESULT_ROWS: [&str; 18] = [
    "R3_1", "R3_2", "R3_3_1", "R3_3_2", "R3_3_3", "R3_3_4", "R3_3_5", "R3_3_6", "R3_3_7", "R3_3_8",
    "R3_4_1", "R3_4_2", "R3_4_3", "R3_5_1", "R3_5_2", "R3_5_3", "R3_5_4", "R3_5_5",
];
/// The sub-rows of （六）其他处理 (2021).
const R3_6_SUBS: [&str; 3] = ["R3_6_1", "R3_6_2", "R3_6_3"];

/// The sub-rows of each table-3 group row a report may print as a subtotal.
const SUBTOTALS: [(&str, &[&str]); 4] = [
    (
        "R3_3",
        &[
            "R3_3_1", "R3_3_2", "R3_3_3", "R3_3_4", "R3_3_5", "R3_3_6", "R3_3_7", "R3_3_8",
        ],
    ),
    ("R3_4", &["R3_4_1", "R3_4_2", "R3_4_3"]),
    ("R3_5", &["R3_5_1", "R3_5_2", "R3_5_3", "R3_5_4", "R3_5_5"]),
    ("R3_6", &R3_6_SUBS),
];

/// The result rows that make up （七）总计: R3_6 as one row (2019) or its three sub-rows (2021).
pub fn t3_result_rows(ctx: &Ctx) -> Vec<&'static str> {
    let mut rows = RESULT_ROWS.to_vec();
    let sub_rows = R3_6_SUBS.iter().any(|r| has_row(ctx, r));
    if has_row(ctx, "R3_6") && !sub_rows {
        rows.push("R3_6");
    } else if sub_rows || ctx.template == Template::F2021 {
        rows.extend(R3_6_SUBS);
    } else {
        rows.push("R3_6");
    }
    rows
}

fn col_label(ctx: &Ctx, col: &str) -> String {
    ctx.label(&format!("col.{col}"))
}

/// T3-BAL: R1[c] + R2[c] = R3_7[c] + R4[c].
fn t3_bal(ctx: &mut Ctx) {
    if !ctx.on("T3-BAL") {
        return;
    }
    for col in COLS {
        let keys = [k3("R1", col), k3("R2", col), k3("R3_7", col), k3("R4", col)];
        let loc = k3("R3_7", col);
        let vals: Vec<Result<f64, _>> = keys.iter().map(|k| ctx.one(k)).collect();
        let v: Vec<f64> = vals
            .iter()
            .filter_map(|v| v.as_ref().ok().copied())
            .collect();
        let sides = (v.len() == 4)
            .then(|| add(&v[..2]).zip(add(&v[2..])))
            .flatten();
        let Some((left, right)) = sides else {
            let m = ctx.na_message(&keys);
            ctx.push(F::na("T3-BAL", loc, m).cells(keys));
            continue;
        };
        if !close(left, right) {
            let m = ctx.tr(
                "T3-BAL",
                &[
                    &fmt_num(v[0]),
                    &fmt_num(v[1]),
                    &fmt_num(v[2]),
                    &fmt_num(v[3]),
                    &col_label(ctx, col),
                ],
            );
            let line = ctx.line_of(&keys[2]);
            ctx.push(
                F::fail("T3-BAL", loc, m)
                    .expected(fmt_num(left))
                    .actual(fmt_num(right))
                    .line(line)
                    .cells(keys),
            );
        }
    }
}

/// T3-ROW: r[C7] = Σ r[C1..C6] for every data row.
fn t3_row(ctx: &mut Ctx) {
    if !ctx.on("T3-ROW") {
        return;
    }
    let report = ctx.report;
    let Some(t) = &report.table3 else { return };
    let rows = t
        .rows
        .iter()
        .filter(|r| r.recognised && !r.cells.is_empty());
    for r in rows {
        let row = r.key.as_str();
        // C1..C6, then the total C7.
        let cells: [CellKey; 7] = std::array::from_fn(|i| k3(row, COLS[i]));
        let (parts, total_key) = (&cells[..6], cells[6]);
        let loc = total_key;
        let total_blank = ctx.value(&total_key).is_some_and(|v| v.blank);
        let printed_total = match ctx.printed_operand(&total_key) {
            Operand::Num(n) => Ok(n),
            other => Err(other),
        };
        match (ctx.sum(parts), printed_total) {
            (Ok(sum), Ok(total)) => {
                if !close(sum, total) {
                    let base = base_row(row);
                    let m = ctx.tr(
                        "T3-ROW",
                        &[
                            &ctx.label(&format!("row.{base}")),
                            &fmt_num(total),
                            &fmt_num(sum),
                        ],
                    );
                    let line = ctx.line_of(&total_key);
                    if total_blank {
                        // A total left blank is not a computed mismatch: FMT-BLANK reports it.
                        let m = ctx.tr("na.missing", &[&total_key.to_string()]);
                        ctx.push(F::na("T3-ROW", loc, m).line(line).cells(cells));
                    } else {
                        ctx.push(
                            F::fail("T3-ROW", loc, m)
                                .expected(fmt_num(sum))
                                .actual(fmt_num(total))
                                .line(line)
                                .cells(cells),
                        );
                    }
                }
            }
            _ => {
                let m = ctx.na_message(&cells);
                let line = ctx.line_of(&total_key);
                ctx.push(F::na("T3-ROW", loc, m).line(line).cells(cells));
            }
        }
    }
}

/// The shape shared by the sum identities (T3-RES, T3-SUBTOTAL, T4-SUM): `total = Σ parts`.
/// On a mismatch `message(ctx, total, sum)` words the failure; a missing operand makes the
/// check not assessable rather than failed.
fn sum_identity(
    ctx: &mut Ctx,
    rule: &'static str,
    parts: &[CellKey],
    total_key: CellKey,
    message: impl FnOnce(&Ctx, f64, f64) -> String,
) {
    let cells = || parts.iter().copied().chain([total_key]);
    match (ctx.sum(parts), ctx.one(&total_key)) {
        (Ok(sum), Ok(total)) => {
            if !close(sum, total) {
                let m = message(ctx, total, sum);
                ctx.push(
                    ctx.fail_at(rule, total_key, m)
                        .expected(fmt_num(sum))
                        .actual(fmt_num(total))
                        .cells(cells()),
                );
            }
        }
        _ => {
            let m = ctx.na_message(&cells().collect::<Vec<_>>());
            ctx.push(F::na(rule, total_key, m).cells(cells()));
        }
    }
}

/// T3-RES: R3_7[c] = R3_1 + R3_2 + ΣR3_3_* + ΣR3_4_* + ΣR3_5_* + R3_6 (or ΣR3_6_*).
fn t3_res(ctx: &mut Ctx) {
    if !ctx.on("T3-RES") {
        return;
    }
    let rows = t3_result_rows(ctx);
    for col in COLS {
        let parts: Vec<CellKey> = rows.iter().map(|r| k3(r, col)).collect();
        let total_key = k3("R3_7", col);
        sum_identity(ctx, "T3-RES", &parts, total_key, |ctx, total, sum| {
            ctx.tr(
                "T3-RES",
                &[&fmt_num(total), &fmt_num(sum), &col_label(ctx, col)],
            )
        });
    }
}

/// T3-SUBTOTAL: a subtotal row the report added = Σ its sub-rows.
fn t3_subtotal(ctx: &mut Ctx) {
    if !ctx.on("T3-SUBTOTAL") {
        return;
    }
    for (g, subs) in SUBTOTALS {
        if !has_row(ctx, g) {
            continue;
        }
        if !subs.iter().any(|s| has_row(ctx, s)) {
            continue; // R3_6 as the 2019 single row is a data row, not a subtotal
        }
        for col in COLS {
            let parts: Vec<CellKey> = subs.iter().map(|r| k3(r, col)).collect();
            let total_key = k3(g, col);
            sum_identity(ctx, "T3-SUBTOTAL", &parts, total_key, |ctx, total, sum| {
                ctx.tr(
                    "T3-SUBTOTAL",
                    &[
                        &ctx.label(&format!("row.{g}")),
                        &fmt_num(total),
                        &fmt_num(sum),
                        &col_label(ctx, col),
                    ],
                )
            });
        }
    }
}

/// Non-negative integer check over the cells of one table (T3-INT, T4-INT).
fn int_cells(ctx: &mut Ctx, table: &str, rule: &'static str) {
    if !ctx.on(rule) {
        return;
    }
    let Some(t) = ctx.report.table(table) else {
        return;
    };
    let bad: Vec<(String, String, usize)> = t
        .rows
        .iter()
        .filter(|r| r.recognised)
        .flat_map(|r| r.cells.iter())
        .filter(|c| !c.value.blank && !c.value.is_unreadable()) // FMT-NUMBER reports text
        .filter(|c| match c.value.number {
            Some(n) => n < 0.0 || n != n.trunc(),
            None => true,
        })
        .map(|c| (c.key.to_string(), c.value.raw.to_string(), c.value.line))
        .collect();
    for (key, raw, line) in bad {
        let m = ctx.tr("int", &[&key, &raw]);
        ctx.push(
            F::fail(rule, key.clone(), m)
                .actual(raw)
                .line(Some(line))
                .cells(vec![key]),
        );
    }
}

fn t3_int(ctx: &mut Ctx) {
    int_cells(ctx, "T3", "T3-INT");
}

/// T3-BOUND: R3_7[c] ≤ R1[c] + R2[c].
fn t3_bound(ctx: &mut Ctx) {
    if !ctx.on("T3-BOUND") {
        return;
    }
    for col in COLS {
        let keys = [k3("R3_7", col), k3("R1", col), k3("R2", col)];
        let (Ok(done), Ok(new), Ok(carried)) = (
            ctx.sum(&keys[..1]),
            ctx.sum(&keys[1..2]),
            ctx.sum(&keys[2..3]),
        ) else {
            continue; // T3-BAL reports the missing operand
        };
        let Some(received) = add(&[new, carried]) else {
            continue; // T3-BAL reports the sum that cannot be computed
        };
        if done > received && !close(done, received) {
            let m = ctx.tr(
                "T3-BOUND",
                &[
                    &fmt_num(done),
                    &fmt_num(new),
                    &fmt_num(carried),
                    &col_label(ctx, col),
                ],
            );
            let line = ctx.line_of(&keys[0]);
            ctx.push(
                F::fail("T3-BOUND", keys[0], m)
                    .expected(format!("≤ {}", fmt_num(new + carried)))
                    .actual(fmt_num(done))
                    .line(line)
                    .cells(keys),
            );
        }
    }
}

/// T3-OTHER-FEE (info): R3_6_2[C7] > 0 ⇒ part 六 mentions 信息处理费.
fn t3_other_fee(ctx: &mut Ctx) {
    if !ctx.on("T3-OTHER-FEE") {
        return;
    }
    let key = k3("R3_6_2", "C7");
    let Operand::Num(n) = ctx.operand(&key) else {
        return;
    };
    if n <= 0.0 {
        return;
    }
    let mentions = ctx
        .report
        .section("S6")
        .is_some_and(|s| s.text().contains("处理费"));
    if !mentions {
        let m = ctx.tr("T3-OTHER-FEE", &[&fmt_num(n)]);
        let line = ctx.line_of(&key);
        ctx.push(F::fail("T3-OTHER-FEE", "S6", m).line(line).cells(vec![key]));
    }
}

/// A table-4 cell by its parts (see [`k3`]).
fn k4<'k>(row: &'k str, col: &'k str) -> CellKey<'k> {
    CellKey {
        table: TableId::T4,
        row,
        col,
    }
}

/// T4-SUM: total = upheld + corrected + other + pending, for each group.
fn t4_sum(ctx: &mut Ctx) {
    if !ctx.on("T4-SUM") {
        return;
    }
    for g in T4_GROUPS {
        let parts: Vec<CellKey> = T4_LEAVES.iter().map(|c| k4(g, c)).collect();
        let total_key = k4(g, "total");
        let vals: Vec<f64> = parts
            .iter()
            .filter_map(|k| match ctx.operand(k) {
                Operand::Num(n) => Some(n),
                _ => None,
            })
            .collect();
        sum_identity(ctx, "T4-SUM", &parts, total_key, |ctx, total, sum| {
            let expr = vals
                .iter()
                .map(|v| fmt_num(*v))
                .collect::<Vec<_>>()
                .join(" + ");
            ctx.tr(
                "T4-SUM",
                &[
                    &ctx.label(&format!("t4.{g}")),
                    &fmt_num(total),
                    &expr,
                    &fmt_num(sum),
                ],
            )
        });
    }
}

fn t4_int(ctx: &mut Ctx) {
    int_cells(ctx, "T4", "T4-INT");
}

/// T4-AFTER (info): lawsuits after review while review.total = 0.
fn t4_after(ctx: &mut Ctx) {
    if !ctx.on("T4-AFTER") {
        return;
    }
    let (ka, kr) = (k4("lit_after_review", "total"), k4("review", "total"));
    if let (Operand::Num(after), Operand::Num(review)) = (ctx.operand(&ka), ctx.operand(&kr)) {
        if after > 0.0 && review == 0.0 {
            let m = ctx.tr("T4-AFTER", &[&fmt_num(after)]);
            ctx.push(ctx.fail_at("T4-AFTER", ka, m).cells(vec![ka, kr]));
        }
    }
}

/// A table-2 cell by its parts (see [`k3`]).
fn k2<'k>(row: &'k str, col: &'k str) -> CellKey<'k> {
    CellKey {
        table: TableId::T2,
        row,
        col,
    }
}

fn t2row_label(ctx: &Ctx, row: &str) -> String {
    ctx.label(&format!("t2row.{}", row_item(row)))
}

fn num(ctx: &Ctx, key: &(impl CellRef + ?Sized)) -> Option<f64> {
    match ctx.operand(key) {
        Operand::Num(n) => Some(n),
        _ => None,
    }
}

/// Table 2 rules of the 2019 format.
fn t2_19(ctx: &mut Ctx) {
    // T2-19-A1-PUB and T2-19-A1-MADE
    for row in ["a1.规章", "a1.规范性文件"] {
        let (pk, tk, mk) = (
            k2(row, "published"),
            k2(row, "public_total"),
            k2(row, "made"),
        );
        if let (Some(p), Some(t)) = (num(ctx, &pk), num(ctx, &tk)) {
            if ctx.on("T2-19-A1-PUB") && p > t {
                let m = ctx.tr(
                    "T2-19-A1-PUB",
                    &[&t2row_label(ctx, row), &fmt_num(p), &fmt_num(t)],
                );
                ctx.push(
                    ctx.fail_at("T2-19-A1-PUB", pk, m)
                        .expected(format!("≤ {}", fmt_num(t)))
                        .actual(fmt_num(p))
                        .cells(vec![pk, tk]),
                );
            }
        }
        if let (Some(p), Some(mv)) = (num(ctx, &pk), num(ctx, &mk)) {
            if ctx.on("T2-19-A1-MADE") && p > mv {
                let m = ctx.tr(
                    "T2-19-A1-MADE",
                    &[&t2row_label(ctx, row), &fmt_num(p), &fmt_num(mv)],
                );
                ctx.push(
                    ctx.fail_at("T2-19-A1-MADE", pk, m)
                        .expected(format!("≤ {}", fmt_num(mv)))
                        .actual(fmt_num(p))
                        .cells(vec![pk, mk]),
                );
            }
        }
    }
    // T2-19-ITEMS-NONNEG and T2-19-DECISIONS-NOITEMS
    for row in [
        "a5.行政许可",
        "a5.其他对外管理服务事项",
        "a6.行政处罚",
        "a6.行政强制",
        "a8.行政事业性收费",
    ] {
        let (pk, dk, ck) = (
            k2(row, "prev_items"),
            k2(row, "delta"),
            k2(row, "decisions"),
        );
        let (Some(prev), Some(delta)) = (num(ctx, &pk), num(ctx, &dk)) else {
            continue;
        };
        let items = prev + delta;
        if ctx.on("T2-19-ITEMS-NONNEG") && items < 0.0 {
            let m = ctx.tr(
                "T2-19-ITEMS-NONNEG",
                &[
                    &t2row_label(ctx, row),
                    &fmt_num(prev),
                    &fmt_num(delta),
                    &fmt_num(items),
                ],
            );
            ctx.push(
                ctx.fail_at("T2-19-ITEMS-NONNEG", dk, m)
                    .expected("≥ 0")
                    .actual(fmt_num(items))
                    .cells(vec![pk, dk]),
            );
        }
        if let Some(dec) = num(ctx, &ck) {
            if ctx.on("T2-19-DECISIONS-NOITEMS") && dec > 0.0 && items <= 0.0 {
                let m = ctx.tr(
                    "T2-19-DECISIONS-NOITEMS",
                    &[
                        &t2row_label(ctx, row),
                        &fmt_num(dec),
                        &fmt_num(prev),
                        &fmt_num(delta),
                        &fmt_num(items),
                    ],
                );
                ctx.push(
                    ctx.fail_at("T2-19-DECISIONS-NOITEMS", ck, m)
                        .expected("> 0")
                        .actual(fmt_num(items))
                        .cells(vec![pk, dk, ck]),
                );
            }
        }
    }
    // T2-19-A9-UNIT and T2-19-A9-PLAUS
    let (ck, ak) = (
        k2("a9.政府集中采购", "count"),
        k2("a9.政府集中采购", "amount"),
    );
    if let Some(v) = ctx.value(&ak) {
        if ctx.on("T2-19-A9-UNIT")
            && !v.blank
            && v.number.is_some_and(|n| n != 0.0)
            && v.unit.is_none()
        {
            let m = ctx.tr("T2-19-A9-UNIT", &[&v.raw]);
            ctx.push(
                F::fail("T2-19-A9-UNIT", ak, m)
                    .expected("元 / 万元")
                    .actual(v.raw.clone())
                    .line(Some(v.line))
                    .cells(vec![ak]),
            );
        }
    }
    if let (Some(c), Some(a)) = (num(ctx, &ck), num(ctx, &ak)) {
        if ctx.on("T2-19-A9-PLAUS") && ((c == 0.0) != (a == 0.0)) {
            let m = ctx.tr("T2-19-A9-PLAUS", &[&fmt_num(c), &fmt_num(a)]);
            ctx.push(ctx.fail_at("T2-19-A9-PLAUS", ak, m).cells(vec![ck, ak]));
        }
    }
}

/// Table 2 rules of the 2021 format.
fn t2_21(ctx: &mut Ctx) {
    // T2-21-INT
    if ctx.on("T2-21-INT") {
        let mut bad = Vec::new();
        if let Some(t) = &ctx.report.table2 {
            for row in t.rows.iter().filter(|r| r.recognised) {
                let money = row.key.starts_with("a8.");
                for c in &row.cells {
                    if c.value.blank || c.value.is_unreadable() {
                        continue; // FMT-BLANK and FMT-NUMBER report these
                    }
                    let ok = match c.value.number {
                        Some(n) => n >= 0.0 && (money || n == n.trunc()),
                        None => false,
                    };
                    if !ok {
                        bad.push((c.key.to_string(), c.value.raw.to_string(), c.value.line));
                    }
                }
            }
        }
        for (key, raw, line) in bad {
            let m = ctx.tr("int", &[&key, &raw]);
            ctx.push(
                F::fail("T2-21-INT", key.clone(), m)
                    .actual(raw)
                    .line(Some(line))
                    .cells(vec![key]),
            );
        }
    }
    // T2-21-ISSUED-LE-INFORCE
    for row in ["a1.规章", "a1.行政规范性文件"] {
        let (ik, fk) = (k2(row, "issued"), k2(row, "in_force"));
        if let (Some(i), Some(f)) = (num(ctx, &ik), num(ctx, &fk)) {
            if ctx.on("T2-21-ISSUED-LE-INFORCE") && i > f {
                let m = ctx.tr(
                    "T2-21-ISSUED-LE-INFORCE",
                    &[&t2row_label(ctx, row), &fmt_num(i), &fmt_num(f)],
                );
                ctx.push(
                    ctx.fail_at("T2-21-ISSUED-LE-INFORCE", ik, m)
                        .expected(format!("≤ {}", fmt_num(f)))
                        .actual(fmt_num(i))
                        .cells(vec![ik, fk]),
                );
            }
        }
    }
    // T2-21-A8-UNIT
    let ak = k2("a8.行政事业性收费", "amount_wan");
    if let Some(v) = ctx.value(&ak) {
        if ctx.on("T2-21-A8-UNIT") && !v.blank {
            if let Some(unit) = v.unit.as_deref().filter(|u| *u != "万元") {
                let m = ctx.tr("T2-21-A8-UNIT", &[&v.raw, unit]);
                ctx.push(
                    F::fail("T2-21-A8-UNIT", ak, m)
                        .expected("万元")
                        .actual(unit.to_string())
                        .line(Some(v.line))
                        .cells(vec![ak]),
                );
            } else if let Some(n) = v.number {
                let township = ctx
                    .config
                    .agency_type(&ctx.report.agency_key, &ctx.report.agency)
                    == crate::check::AgencyType::Township;
                if township && n >= 10000.0 {
                    let m = ctx.tr("T2-21-A8-UNIT.large", &[&fmt_num(n)]);
                    ctx.push(
                        F::fail("T2-21-A8-UNIT", ak, m)
                            .expected("< 10000 万元")
                            .actual(fmt_num(n))
                            .line(Some(v.line))
                            .cells(vec![ak]),
                    );
                }
            }
        }
    }
}

/// Whether the agency may make 规章 (立法法): settable per agency; otherwise only
/// governments and departments not at county/district level or below.
fn may_make_rules(ctx: &Ctx) -> bool {
    let r = ctx.report;
    if let Some(v) = ctx
        .config
        .agency(&r.agency_key, &r.agency)
        .and_then(|a| a.rulemaking)
    {
        return v;
    }
    let name = if r.agency_key.is_empty() {
        &r.agency
    } else {
        &r.agency_key
    };
    let t = ctx.config.agency_type(&r.agency_key, &r.agency);
    let county = ["区人民政府", "县人民政府", "旗人民政府", "区政府", "县政府"]
        .iter()
        .any(|w| name.contains(w))
        || name.contains('县')
        || name.ends_with("区")
        || name.contains("实验区")
        || name.contains("开发区")
        || name.contains("新区");
    match t {
        crate::check::AgencyType::Township => false,
        crate::check::AgencyType::Government => !county,
        crate::check::AgencyType::Department => {
            // 设区的市 departments cannot; provincial and State Council departments can.
            name.starts_with("国家") || name.contains("省") || name.contains("部")
        }
        crate::check::AgencyType::Unknown => true,
    }
}

/// T2-RULE-REG: 规章 > 0 only for agencies with rulemaking power.
fn t2_rule_reg(ctx: &mut Ctx) {
    if !ctx.on("T2-RULE-REG") || may_make_rules(ctx) {
        return;
    }
    let cols: &[&str] = match ctx.template {
        Template::F2019 => &["made", "published", "public_total"],
        _ => &["issued", "repealed", "in_force"],
    };
    for col in cols {
        let key = k2("a1.规章", col);
        if let Some(n) = num(ctx, &key).filter(|n| *n > 0.0) {
            let t = ctx
                .config
                .agency_type(&ctx.report.agency_key, &ctx.report.agency);
            let m = ctx.tr(
                "T2-RULE-REG",
                &[
                    &ctx.report.agency,
                    &ctx.label(&format!("agency.{}", t.as_str())),
                    &ctx.label(&format!("t2.{col}")),
                    &fmt_num(n),
                ],
            );
            ctx.push(
                ctx.fail_at("T2-RULE-REG", key, m)
                    .expected("0")
                    .actual(fmt_num(n))
                    .cells(vec![key]),
            );
            return;
        }
    }
}

/// Where a cell sits for FMT-BLANK: its column within the row's block (table 2 sub-tables
/// have their own columns, so `a6.行政处罚` has block `a6`; tables 3 and 4 are one block).
fn row_block<'r>(table: &str, row: &'r str) -> &'r str {
    match table {
        "T2" => row_group(row),
        _ => "",
    }
}

/// A list of names, at most eight, for a message (the finding's cells keep them all).
fn short_list(names: &[String]) -> String {
    let mut s = names.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > 8 {
        s.push_str(", …");
    }
    s
}

/// FMT-BLANK: number cells left blank (docs/templates.md), once per largest blank unit: the
/// whole table, then whole columns, then whole rows, then the rest of each row together.
fn fmt_blank(ctx: &mut Ctx) {
    if !ctx.on("FMT-BLANK") {
        return;
    }
    let tables: Vec<&Table> = ctx.report.tables().collect();
    let mut found: Vec<F> = Vec::new();
    for t in tables {
        let rows: Vec<_> = t
            .rows
            .iter()
            .filter(|r| r.recognised && !r.cells.is_empty())
            .collect();
        let all: Vec<&crate::model::Cell> = rows.iter().flat_map(|r| r.cells.iter()).collect();
        let blank: Vec<&crate::model::Cell> =
            all.iter().copied().filter(|c| c.value.blank).collect();
        if blank.is_empty() {
            continue;
        }
        let line = blank.iter().map(|c| c.value.line).find(|l| *l > 0);
        let table_name = ctx.label(&format!("table.{}", t.id));
        if blank.len() == all.len() && all.len() > 1 {
            let keys: Vec<String> = blank.iter().map(|c| c.key.to_string()).collect();
            let m = ctx.tr("FMT-BLANK.table", &[&table_name, &keys.len().to_string()]);
            found.push(
                F::fail("FMT-BLANK", t.id.clone(), m)
                    .expected("0")
                    .actual(format!("{} × “”", keys.len()))
                    .line(line)
                    .cells(keys),
            );
            continue;
        }
        // Whole columns: every row of a block (a table-2 sub-table) that has the column.
        let mut covered: std::collections::HashSet<&str> = Default::default();
        let mut columns: Vec<(&str, &str)> = Vec::new();
        for r in &rows {
            for c in &r.cells {
                let col = (row_block(&t.id, &r.key), cell_col(&c.key));
                if !columns.contains(&col) {
                    columns.push(col);
                }
            }
        }
        for (block, col) in columns {
            let in_col: Vec<(&str, &crate::model::Cell)> = rows
                .iter()
                .filter(|r| row_block(&t.id, &r.key) == block)
                .filter_map(|r| {
                    r.cells
                        .iter()
                        .find(|c| cell_col(&c.key) == col)
                        .map(|c| (r.key.as_str(), c))
                })
                .collect();
            // A column blank in every row, or in three or more rows whose other cells are
            // filled (总计 left empty on every 办理结果 row): one unit.
            let row_filled = |key: &str| {
                rows.iter()
                    .find(|r| r.key == key)
                    .is_some_and(|r| r.cells.iter().any(|c| !c.value.blank))
            };
            let whole = in_col.len() >= 2 && in_col.iter().all(|(_, c)| c.value.blank);
            let part: Vec<(&str, &crate::model::Cell)> = in_col
                .iter()
                .copied()
                .filter(|(r, c)| c.value.blank && row_filled(r))
                .collect();
            let in_col = if whole {
                in_col
            } else if part.len() >= 3 {
                part
            } else {
                continue;
            };
            let of_rows = rows
                .iter()
                .filter(|r| row_block(&t.id, &r.key) == block)
                .count();
            let keys: Vec<String> = in_col.iter().map(|(_, c)| c.key.to_string()).collect();
            let row_names: Vec<String> = in_col.iter().map(|(r, _)| r.to_string()).collect();
            let loc = if block.is_empty() {
                format!("{}.*.{col}", t.id)
            } else {
                format!("{}.{block}.*.{col}", t.id)
            };
            let col_name = match t.id.as_str() {
                "T3" => ctx.label(&format!("col.{col}")),
                "T4" => ctx.label(&format!("t4.{col}")),
                _ => ctx.label(&format!("t2.{col}")),
            };
            let what = format!("{loc}（{col_name}）");
            let m = if whole {
                ctx.tr(
                    "FMT-BLANK.col",
                    &[&what, &keys.len().to_string(), &short_list(&row_names)],
                )
            } else {
                ctx.tr(
                    "FMT-BLANK.colpart",
                    &[
                        &what,
                        &keys.len().to_string(),
                        &of_rows.to_string(),
                        &short_list(&row_names),
                    ],
                )
            };
            let line = in_col.iter().map(|(_, c)| c.value.line).find(|l| *l > 0);
            covered.extend(in_col.iter().map(|(_, c)| c.key.as_str()));
            found.push(
                F::fail("FMT-BLANK", loc, m)
                    .expected("0")
                    .actual(format!("{} × “”", keys.len()))
                    .line(line)
                    .cells(keys),
            );
        }
        // Whole rows, then the remaining blank cells of each row as one finding.
        for r in &rows {
            let left: Vec<&crate::model::Cell> = r
                .cells
                .iter()
                .filter(|c| c.value.blank && !covered.contains(c.key.as_str()))
                .collect();
            if left.is_empty() {
                continue;
            }
            let loc = format!("{}.{}", t.id, r.key);
            let keys: Vec<String> = left.iter().map(|c| c.key.to_string()).collect();
            let line = left.iter().map(|c| c.value.line).find(|l| *l > 0);
            let f = if left.len() == 1 {
                let c = left[0];
                let m = ctx.tr("FMT-BLANK", &[&c.key, c.value.raw.trim()]);
                F::fail("FMT-BLANK", c.key.to_string(), m).actual(c.value.raw.to_string())
            } else if left.len() == r.cells.len() {
                let m = ctx.tr("FMT-BLANK.row", &[&loc, &keys.len().to_string()]);
                F::fail("FMT-BLANK", loc, m).actual(format!("{} × “”", keys.len()))
            } else {
                let cols: Vec<String> = keys.iter().map(|k| cell_col(k).to_string()).collect();
                let m = ctx.tr(
                    "FMT-BLANK.cells",
                    &[&loc, &keys.len().to_string(), &short_list(&cols)],
                );
                F::fail("FMT-BLANK", loc, m).actual(format!("{} × “”", keys.len()))
            };
            found.push(f.expected("0").line(line).cells(keys));
        }
    }
    for f in found {
        ctx.push(f);
    }
}

/// FMT-NUMBER: a number cell that does not read as one number (`7 8`, `3/5`, `约3`). The
/// rules that need the cell are not assessable; the rest of the report is checked.
fn fmt_number(ctx: &mut Ctx) {
    if !ctx.on("FMT-NUMBER") {
        return;
    }
    let bad: Vec<(String, String, usize, &'static str)> = ctx
        .report
        .tables()
        .flat_map(|t| t.rows.iter())
        .filter(|r| r.recognised)
        .flat_map(|r| r.cells.iter())
        // Only text that did not read as a number is examined (reading the why is slow).
        .filter(|c| c.value.is_unreadable())
        .filter_map(|c| {
            let p = crate::import::number::problem(&c.value.raw)?;
            Some((
                c.key.to_string(),
                c.value.raw.to_string(),
                c.value.line,
                p.key(),
            ))
        })
        .collect();
    for (key, raw, line, why) in bad {
        let m = ctx.tr(&format!("FMT-NUMBER.{why}"), &[&key, raw.trim()]);
        ctx.push(
            F::fail("FMT-NUMBER", key.clone(), m)
                .expected("1 number")
                .actual(raw)
                .line(Some(line))
                .cells(vec![key]),
        );
    }
}

/// TBL-DUP-ROW: a row printed twice (kept by the importer as `R3_1#2`): compared with the
/// first copy, cell by cell.
fn tbl_dup_row(ctx: &mut Ctx) {
    if !ctx.on("TBL-DUP-ROW") {
        return;
    }
    let mut found = Vec::new();
    for t in ctx.report.tables() {
        for copy in t.rows.iter().filter(|r| r.key.contains('#')) {
            let base_key = base_row(&copy.key);
            let Some(first) = t.row(base_key) else {
                continue;
            };
            let diffs: Vec<String> = first
                .cells
                .iter()
                .zip(&copy.cells)
                .filter(|(a, b)| a.value.amount() != b.value.amount() || a.value.raw != b.value.raw)
                .map(|(a, b)| {
                    format!(
                        "{} {} / {}",
                        cell_col(&a.key),
                        a.value.raw.trim(),
                        b.value.raw.trim()
                    )
                })
                .collect();
            let differs = !diffs.is_empty() || first.cells.len() != copy.cells.len();
            let name = if t.id == "T3" {
                ctx.label(&format!("row.{base_key}"))
            } else {
                format!("{}.{base_key}", t.id)
            };
            let (l1, l2) = (first.line.to_string(), copy.line.to_string());
            let m = if differs {
                ctx.tr("TBL-DUP-ROW.differs", &[&name, &l1, &l2, &diffs.join("; ")])
            } else {
                ctx.tr("TBL-DUP-ROW.same", &[&name, &l1, &l2])
            };
            let mut cells: Vec<String> = first.cells.iter().map(|c| c.key.to_string()).collect();
            cells.extend(copy.cells.iter().map(|c| c.key.to_string()));
            found.push(
                F::fail("TBL-DUP-ROW", format!("{}.{}", t.id, copy.key), m)
                    .expected(format!("line {l1} only"))
                    .actual(format!("lines {l1}, {l2}"))
                    .line(Some(copy.line))
                    .cells(cells),
            );
        }
    }
    for f in found {
        ctx.push(f);
    }
}

/// FMT-UNITS: count cells carry no unit other than 件/条/个/项 (money cells have their own rules).
fn fmt_units(ctx: &mut Ctx) {
    if !ctx.on("FMT-UNITS") {
        return;
    }
    let bad: Vec<(String, String, usize)> = ctx
        .report
        .tables()
        .flat_map(|t| t.rows.iter())
        .filter(|r| r.recognised)
        .flat_map(|r| r.cells.iter())
        .filter(|c| !(c.key.ends_with(".amount") || c.key.ends_with(".amount_wan")))
        .filter_map(|c| {
            let u = c.value.unit.as_deref()?;
            (!["件", "条", "个", "项", "次", "起"].contains(&u))
                .then(|| (c.key.to_string(), u.to_string(), c.value.line))
        })
        .collect();
    for (key, unit, line) in bad {
        let m = ctx.tr("FMT-UNITS", &[&key, &unit]);
        ctx.push(
            F::fail("FMT-UNITS", key.clone(), m)
                .expected("件")
                .actual(unit)
                .line(Some(line))
                .cells(vec![key]),
        );
    }
}
