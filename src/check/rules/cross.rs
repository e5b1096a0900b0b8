//! Cross-year rules (X-*): the same agency's reports for consecutive years.

use super::structure::expected_template;
use crate::batch::pairing::same_agency;
use crate::check::{close, fmt_num, Ctx, F};
use crate::model::{Report, Template};
use std::collections::HashSet;

const COLS: [&str; 7] = ["C1", "C2", "C3", "C4", "C5", "C6", "C7"];

pub fn run(ctx: &mut Ctx, prev: &Report) {
    let (p, c) = (texts_of(prev), texts_of(ctx.report));
    run_with(ctx, prev, &p, &c);
}

/// The normalised sentences ([`sentences`]) of parts 一, 五 and 六, in that order: what the
/// repetition rules compare. A batch keeps these instead of the parts' text.
pub type Texts = [Vec<String>; 3];

pub fn texts_of(report: &Report) -> Texts {
    ["S1", "S5", "S6"].map(|id| sentences(report, &[id]))
}

/// The rules with the sentences of both reports given (`prev`/`ctx.report` then need not
/// hold the parts' text).
pub fn run_with(ctx: &mut Ctx, prev: &Report, prev_texts: &Texts, cur_texts: &Texts) {
    x_identity(ctx, prev);
    x_tpl_seq(ctx, prev);
    x_carry(ctx, prev);
    x_items_19(ctx, prev);
    x_pubtotal_19(ctx, prev);
    x_inforce_21(ctx, prev);
    x_bridge_20_21(ctx, prev);
    x_dup(ctx, prev_texts, cur_texts);
    x_problems_repeat(ctx, prev_texts, cur_texts);
    x_swing(ctx, prev);
}

/// A number of the previous report (blank = 0; unreadable or missing = None).
fn pnum(prev: &Report, key: &str) -> Option<f64> {
    crate::check::amount_in(prev, key)
}

fn cnum(ctx: &Ctx, key: &str) -> Option<f64> {
    match ctx.operand(key) {
        crate::check::Operand::Num(n) => Some(n),
        _ => None,
    }
}

fn prev_key(key: &str) -> String {
    crate::model::key::prev(key)
}

fn year_text(y: Option<i32>) -> String {
    y.map_or_else(|| "?".into(), |y| y.to_string())
}

/// X-IDENTITY: same agency and Y = (Y−1) + 1.
fn x_identity(ctx: &mut Ctx, prev: &Report) {
    if !ctx.on("X-IDENTITY") {
        return;
    }
    let cur = ctx.report;
    let same =
        same_agency(&prev.agency_key, &cur.agency_key) || same_agency(&prev.agency, &cur.agency);
    let consecutive = match (prev.year, cur.year) {
        (Some(p), Some(c)) => Some(c == p + 1),
        _ => None,
    };
    let args = [
        prev.agency_key.clone(),
        year_text(prev.year),
        cur.agency_key.clone(),
        year_text(cur.year),
    ];
    let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let m = ctx.tr("X-IDENTITY", &args);
    match consecutive {
        None => {
            let m = ctx.tr("na.missing", &["META.year"]);
            ctx.push(F::na("X-IDENTITY", "META.pair", m));
        }
        Some(ok) if !ok || !same => {
            ctx.push(
                F::fail("X-IDENTITY", "META.pair", m)
                    .expected(format!(
                        "{} {}",
                        prev.agency_key,
                        prev.year.map_or(0, |y| y + 1)
                    ))
                    .actual(format!("{} {}", cur.agency_key, year_text(cur.year))),
            );
        }
        Some(_) => {}
    }
}

/// X-TPL-SEQ: a template switch exactly between 2020 and 2021.
fn x_tpl_seq(ctx: &mut Ctx, prev: &Report) {
    if !ctx.on("X-TPL-SEQ") {
        return;
    }
    let (Some(py), Some(cy)) = (prev.year, ctx.report.year) else {
        return;
    };
    let (pt, ct) = (prev.template, ctx.template);
    let switch_expected = py <= 2020 && cy >= 2021;
    let bad = if switch_expected { pt == ct } else { pt != ct };
    if bad {
        let (ep, ec) = (expected_template(py), expected_template(cy));
        let m = ctx.tr(
            "X-TPL-SEQ",
            &[
                &py.to_string(),
                &cy.to_string(),
                pt.as_str(),
                ct.as_str(),
                ep.as_str(),
                ec.as_str(),
            ],
        );
        ctx.push(
            F::fail("X-TPL-SEQ", "META.template", m)
                .expected(format!("{} → {}", ep.as_str(), ec.as_str()))
                .actual(format!("{} → {}", pt.as_str(), ct.as_str())),
        );
    }
}

/// X-CARRY: Y.R2[c] = (Y−1).R4[c], every column.
fn x_carry(ctx: &mut Ctx, prev: &Report) {
    if !ctx.on("X-CARRY") || ctx.report.table3.is_none() || prev.table3.is_none() {
        return;
    }
    for col in COLS {
        let ck = format!("T3.R2.{col}");
        let pk = format!("T3.R4.{col}");
        let cells = vec![ck.clone(), prev_key(&pk)];
        match (cnum(ctx, &ck), pnum(prev, &pk)) {
            (Some(c), Some(p)) => {
                if !close(c, p) {
                    let m = ctx.tr(
                        "X-CARRY",
                        &[&fmt_num(c), &fmt_num(p), &ctx.label(&format!("col.{col}"))],
                    );
                    ctx.push(
                        ctx.fail_at("X-CARRY", ck, m)
                            .expected(fmt_num(p))
                            .actual(fmt_num(c))
                            .cells(cells),
                    );
                }
            }
            _ => {
                let missing = if cnum(ctx, &ck).is_none() {
                    ck.clone()
                } else {
                    prev_key(&pk)
                };
                let m = ctx.tr("na.missing", &[&missing]);
                ctx.push(F::na("X-CARRY", ck, m).cells(cells));
            }
        }
    }
}

fn t2_label(ctx: &Ctx, row: &str) -> String {
    let name = crate::model::key::row_item(row);
    ctx.label(&format!("t2row.{name}"))
}

/// X-ITEMS-19: 2020.prev_items = 2019.prev_items + 2019.delta.
fn x_items_19(ctx: &mut Ctx, prev: &Report) {
    if !ctx.on("X-ITEMS-19") || prev.template != Template::F2019 || ctx.template != Template::F2019
    {
        return;
    }
    for row in [
        "a5.行政许可",
        "a5.其他对外管理服务事项",
        "a6.行政处罚",
        "a6.行政强制",
        "a8.行政事业性收费",
    ] {
        let ck = format!("T2.{row}.prev_items");
        let (pk, dk) = (format!("T2.{row}.prev_items"), format!("T2.{row}.delta"));
        let (Some(c), Some(p), Some(d)) = (cnum(ctx, &ck), pnum(prev, &pk), pnum(prev, &dk)) else {
            continue;
        };
        if !close(c, p + d) {
            let m = ctx.tr(
                "X-ITEMS-19",
                &[
                    &t2_label(ctx, row),
                    &fmt_num(c),
                    &fmt_num(p),
                    &fmt_num(d),
                    &fmt_num(p + d),
                ],
            );
            ctx.push(
                ctx.fail_at("X-ITEMS-19", ck.clone(), m)
                    .expected(fmt_num(p + d))
                    .actual(fmt_num(c))
                    .cells(vec![ck, prev_key(&pk), prev_key(&dk)]),
            );
        }
    }
}

/// X-PUBTOTAL-19 (info): (Y−1).public_total ≤ Y.public_total ≤ (Y−1).public_total + Y.published.
fn x_pubtotal_19(ctx: &mut Ctx, prev: &Report) {
    if !ctx.on("X-PUBTOTAL-19")
        || prev.template != Template::F2019
        || ctx.template != Template::F2019
    {
        return;
    }
    for row in ["a1.规章", "a1.规范性文件"] {
        let ck = format!("T2.{row}.public_total");
        let uk = format!("T2.{row}.published");
        let (Some(c), Some(p), Some(u)) = (cnum(ctx, &ck), pnum(prev, &ck), cnum(ctx, &uk)) else {
            continue;
        };
        let upper = p + u;
        if c < p && !close(c, p) || c > upper && !close(c, upper) {
            let m = ctx.tr(
                "X-PUBTOTAL-19",
                &[
                    &t2_label(ctx, row),
                    &fmt_num(p),
                    &fmt_num(c),
                    &fmt_num(u),
                    &fmt_num(upper),
                ],
            );
            ctx.push(
                ctx.fail_at("X-PUBTOTAL-19", ck.clone(), m)
                    .expected(format!("{} – {}", fmt_num(p), fmt_num(upper)))
                    .actual(fmt_num(c))
                    .cells(vec![ck.clone(), uk, prev_key(&ck)]),
            );
        }
    }
}

fn has_in_force(t: Template) -> bool {
    matches!(t, Template::F2021 | Template::Hybrid)
}

/// X-INFORCE-21: Y.in_force = (Y−1).in_force + Y.issued − Y.repealed.
fn x_inforce_21(ctx: &mut Ctx, prev: &Report) {
    if !ctx.on("X-INFORCE-21") || !has_in_force(prev.template) || !has_in_force(ctx.template) {
        return;
    }
    for row in ["a1.规章", "a1.行政规范性文件"] {
        let fk = format!("T2.{row}.in_force");
        let (ik, rk) = (format!("T2.{row}.issued"), format!("T2.{row}.repealed"));
        let (Some(f), Some(p), Some(i), Some(r)) = (
            cnum(ctx, &fk),
            pnum(prev, &fk),
            cnum(ctx, &ik),
            cnum(ctx, &rk),
        ) else {
            continue;
        };
        let want = p + i - r;
        if !close(f, want) {
            let m = ctx.tr(
                "X-INFORCE-21",
                &[
                    &t2_label(ctx, row),
                    &fmt_num(f),
                    &fmt_num(p),
                    &fmt_num(i),
                    &fmt_num(r),
                    &fmt_num(want),
                ],
            );
            ctx.push(
                ctx.fail_at("X-INFORCE-21", fk.clone(), m)
                    .expected(fmt_num(want))
                    .actual(fmt_num(f))
                    .cells(vec![fk.clone(), ik, rk, prev_key(&fk)]),
            );
        }
    }
}

/// X-BRIDGE-20-21 (info): 2021 in_force against 2020 public_total, shown when they differ.
fn x_bridge_20_21(ctx: &mut Ctx, prev: &Report) {
    if !ctx.on("X-BRIDGE-20-21") || prev.template != Template::F2019 || !has_in_force(ctx.template)
    {
        return;
    }
    for (prow, crow) in [
        ("a1.规章", "a1.规章"),
        ("a1.规范性文件", "a1.行政规范性文件"),
    ] {
        let ck = format!("T2.{crow}.in_force");
        let pk = format!("T2.{prow}.public_total");
        let (Some(c), Some(p)) = (cnum(ctx, &ck), pnum(prev, &pk)) else {
            continue;
        };
        if !close(c, p) {
            let m = ctx.tr(
                "X-BRIDGE-20-21",
                &[&t2_label(ctx, crow), &fmt_num(c), &fmt_num(p)],
            );
            ctx.push(
                ctx.fail_at("X-BRIDGE-20-21", ck.clone(), m)
                    .expected(fmt_num(p))
                    .actual(fmt_num(c))
                    .cells(vec![ck, prev_key(&pk)]),
            );
        }
    }
}

/// Stock phrases that every report repeats; removed before comparing.
const BOILERPLATE: &[&str] = &[
    "以习近平新时代中国特色社会主义思想为指导",
    "中华人民共和国政府信息公开条例",
    "政府信息公开信息处理费管理办法",
    "无其他需要报告的事项",
    "公开为常态、不公开为例外",
    "以公开为常态，不公开为例外",
];

static BOILERPLATE_ANY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    let alts: Vec<String> = BOILERPLATE.iter().map(|b| regex::escape(b)).collect();
    regex::Regex::new(&alts.join("|")).expect("boilerplate regex")
});

/// Sentences of a section, normalised: whitespace and punctuation dropped, digits as `#`,
/// stock phrases removed; short leftovers dropped.
pub fn sentences(report: &Report, ids: &[&str]) -> Vec<String> {
    sentences_as_printed(report, ids)
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}

/// The same sentences as [`sentences`], each with its text as printed (trimmed).
pub fn sentences_as_printed(report: &Report, ids: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in ids {
        let Some(s) = report.section(id) else {
            continue;
        };
        let text = s.text();
        for raw in text.split(['。', '；', '！', '？', ';', '\n']) {
            // Each text is at most as long as the sentence: allocated once, not grown.
            let mut t = String::with_capacity(raw.len());
            t.extend(raw.chars().filter(|c| !c.is_whitespace()));
            // The removals run in order (one may join text into another); most sentences
            // hold none of the phrases, which one prefilter search tells.
            if BOILERPLATE_ANY.is_match(&t) {
                for b in BOILERPLATE {
                    t = t.replace(b, "");
                }
            }
            let mut norm = String::with_capacity(t.len());
            let mut chars = 0;
            for c in t.chars().filter(|c| c.is_alphanumeric()) {
                norm.push(if c.is_ascii_digit() { '#' } else { c });
                chars += 1;
            }
            if chars >= 12 {
                out.push((raw.trim().to_string(), norm));
            }
        }
    }
    out
}

/// The distinct character bigrams of a sentence, packed and sorted (for fast intersection).
fn bigrams(s: &str) -> Vec<u64> {
    let cs: Vec<char> = s.chars().collect();
    let mut v: Vec<u64> = cs
        .windows(2)
        .map(|w| ((w[0] as u64) << 32) | w[1] as u64)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Size of the intersection of two sorted, deduplicated lists.
fn common(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Share (0–1, by characters) of `cur`'s sentences that repeat one of `prev`'s
/// (bigram Dice similarity ≥ 0.8).
pub fn repetition(prev: &[String], cur: &[String]) -> f64 {
    let total: usize = cur.iter().map(|s| s.chars().count()).sum();
    if total == 0 || prev.is_empty() {
        return 0.0;
    }
    let exact: HashSet<&str> = prev.iter().map(|s| s.as_str()).collect();
    let pb: Vec<Vec<u64>> = prev.iter().map(|s| bigrams(s)).collect();
    let mut repeated = 0;
    for s in cur {
        let hit = exact.contains(s.as_str()) || {
            let b = bigrams(s);
            pb.iter().any(|p| {
                let (lo, hi) = if b.len() < p.len() {
                    (b.len(), p.len())
                } else {
                    (p.len(), b.len())
                };
                // Dice ≥ 0.8 needs 2·lo / (lo + hi) ≥ 0.8, i.e. lo ≥ 2/3 · hi.
                if hi == 0 || 3 * lo < 2 * hi {
                    return false;
                }
                2.0 * common(&b, p) as f64 / (lo + hi) as f64 >= 0.8
            })
        };
        if hit {
            repeated += s.chars().count();
        }
    }
    repeated as f64 / total as f64
}

fn pct(x: f64) -> String {
    format!("{:.0}", x * 100.0)
}

/// X-DUP: narrative parts 一, 五, 六 repeat last year's text by more than the threshold.
fn x_dup(ctx: &mut Ctx, prev: &Texts, cur: &Texts) {
    if !ctx.on("X-DUP") {
        return;
    }
    let rate = repetition(&prev.concat(), &cur.concat());
    let limit = ctx.config.dup_threshold;
    if rate > limit {
        let m = ctx.tr("X-DUP", &[&pct(rate), &pct(limit)]);
        let line = ctx.report.section("S1").map(|s| s.line);
        ctx.push(
            F::fail("X-DUP", "S1", m)
                .expected(format!("≤ {}%", pct(limit)))
                .actual(format!("{}%", pct(rate)))
                .line(line),
        );
    }
}

/// X-PROBLEMS-REPEAT (info): part 五 repeats last year's.
fn x_problems_repeat(ctx: &mut Ctx, prev: &Texts, cur: &Texts) {
    if !ctx.on("X-PROBLEMS-REPEAT") {
        return;
    }
    let rate = repetition(&prev[1], &cur[1]);
    let limit = ctx.config.dup_threshold;
    if rate > limit {
        let m = ctx.tr("X-PROBLEMS-REPEAT", &[&pct(rate)]);
        let line = ctx.report.section("S5").map(|s| s.line);
        ctx.push(
            F::fail("X-PROBLEMS-REPEAT", "S5", m)
                .expected(format!("≤ {}%", pct(limit)))
                .actual(format!("{}%", pct(rate)))
                .line(line),
        );
    }
}

/// X-SWING (info): a figure grows to more than 3× or falls below a third, with ≥ 20 cases.
fn x_swing(ctx: &mut Ctx, prev: &Report) {
    if !ctx.on("X-SWING") {
        return;
    }
    let pairs: [(&str, &[&str]); 5] = [
        ("swing.R1", &["T3.R1.C7"]),
        ("swing.review", &["T4.review.total"]),
        (
            "swing.lit",
            &["T4.lit_direct.total", "T4.lit_after_review.total"],
        ),
        ("swing.a5", &["T2.a5.行政许可.decisions"]),
        ("swing.a6", &["T2.a6.行政处罚.decisions"]),
    ];
    for (label, keys) in pairs {
        let c: Option<f64> = keys.iter().map(|k| cnum(ctx, k)).sum();
        let p: Option<f64> = keys.iter().map(|k| pnum(prev, k)).sum();
        let (Some(c), Some(p)) = (c, p) else { continue };
        let (lo, hi) = if c < p { (c, p) } else { (p, c) };
        if hi >= 20.0 && (lo == 0.0 || hi / lo > 3.0) {
            let change = if p > 0.0 {
                format!("{:+.0}", (c - p) / p * 100.0)
            } else {
                "+∞".to_string()
            };
            let m = ctx.tr(
                "X-SWING",
                &[&ctx.label(label), &fmt_num(p), &fmt_num(c), &change],
            );
            let line = ctx.line_of(keys[0]);
            let mut cells: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            cells.extend(keys.iter().map(|k| prev_key(k)));
            ctx.push(
                F::fail("X-SWING", keys[0], m)
                    .expected(fmt_num(p))
                    .actual(fmt_num(c))
                    .line(line)
                    .cells(cells),
            );
        }
    }
}
