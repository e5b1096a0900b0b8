//! Structure and metadata: TPL-*, SEC-*, TBL-*, T3-LABELS, META-*.

use super::text::{self, Prose};
use crate::check::{AgencyType, Ctx, F};
use crate::model::Template;
use crate::template::{self, normalize_label};

const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

pub fn run(ctx: &mut Ctx) {
    tpl_version(ctx);
    tpl_hybrid(ctx);
    sec_missing(ctx);
    sec_order(ctx);
    sec_numbering(ctx);
    sec_title_variant(ctx);
    sec_empty_5(ctx);
    sec_empty_6(ctx);
    sec_gov_50_4(ctx);
    tbl_missing(ctx);
    tbl_extra_rows(ctx);
    t3_labels(ctx);
    meta_title(ctx);
    meta_agency(ctx);
    meta_date(ctx);
    meta_deadline(ctx);
    meta_period(ctx);
    meta_length(ctx);
}

fn tpl_name(ctx: &Ctx, t: Template) -> String {
    ctx.label(&format!("tpl.{}", t.as_str()))
}

/// The template a report year calls for (docs/templates.md).
pub fn expected_template(year: i32) -> Template {
    if year <= 2020 {
        Template::F2019
    } else {
        Template::F2021
    }
}

/// TPL-VERSION: year ≤ 2020 ⇒ F2019; year ≥ 2021 ⇒ F2021 (hybrids are TPL-HYBRID's).
fn tpl_version(ctx: &mut Ctx) {
    if !ctx.on("TPL-VERSION") || ctx.template == Template::Hybrid {
        return;
    }
    let Some(year) = ctx.report.year else {
        let m = ctx.tr("na.missing", &["META.year"]);
        ctx.push(F::na("TPL-VERSION", "META.template", m));
        return;
    };
    let want = expected_template(year);
    if ctx.template != want {
        let m = ctx.tr(
            "TPL-VERSION",
            &[
                &year.to_string(),
                &tpl_name(ctx, want),
                &tpl_name(ctx, ctx.template),
            ],
        );
        ctx.push(
            F::fail("TPL-VERSION", "META.template", m)
                .expected(want.as_str())
                .actual(ctx.template.as_str()),
        );
    }
}

/// TPL-HYBRID: no mix of 2019 and 2021 signature labels.
fn tpl_hybrid(ctx: &mut Ctx) {
    if !ctx.on("TPL-HYBRID") || ctx.template != Template::Hybrid {
        return;
    }
    let lang = ctx.lang;
    let signals: Vec<String> = ctx
        .report
        .template_signals
        .iter()
        .map(|s| Template::signal_in(s, lang))
        .collect();
    let signals = signals.join(if lang == crate::i18n::Lang::Zh {
        "；"
    } else {
        "; "
    });
    let m = ctx.tr("TPL-HYBRID", &[&signals]);
    ctx.push(
        F::fail("TPL-HYBRID", "META.template", m)
            .expected(
                ctx.report
                    .year
                    .map_or("2021", |y| expected_template(y).as_str()),
            )
            .actual("hybrid"),
    );
}

/// SEC-MISSING: the six parts 一…六 are present.
fn sec_missing(ctx: &mut Ctx) {
    if !ctx.on("SEC-MISSING") {
        return;
    }
    for (i, id) in crate::model::SECTION_IDS.iter().enumerate() {
        if ctx.report.section(id).is_none() {
            let heading = template::section_heading(id).unwrap_or_default();
            let m = ctx.tr("SEC-MISSING", &[NUMERALS[i], heading]);
            ctx.push(
                F::fail("SEC-MISSING", *id, m)
                    .expected(format!("{}、{}", NUMERALS[i], heading))
                    .actual("—"),
            );
        }
    }
}

fn sec_index(id: &str) -> Option<usize> {
    crate::model::SECTION_IDS.iter().position(|s| *s == id)
}

/// SEC-ORDER: parts appear in order.
fn sec_order(ctx: &mut Ctx) {
    if !ctx.on("SEC-ORDER") {
        return;
    }
    let mut max_seen: Option<usize> = None;
    let found: Vec<(usize, usize)> = ctx
        .report
        .sections
        .iter()
        .filter_map(|s| Some((sec_index(s.id.as_deref()?)?, s.line)))
        .collect();
    for (idx, line) in found {
        if let Some(m) = max_seen {
            if idx < m {
                let msg = ctx.tr("SEC-ORDER", &[NUMERALS[idx], NUMERALS[m]]);
                let id = crate::model::SECTION_IDS[idx];
                ctx.push(F::fail("SEC-ORDER", id, msg).line(Some(line)));
                continue;
            }
        }
        max_seen = Some(max_seen.map_or(idx, |m| m.max(idx)));
    }
}

/// SEC-NUMBERING: heading prefix = 一…六 + 、.
fn sec_numbering(ctx: &mut Ctx) {
    if !ctx.on("SEC-NUMBERING") {
        return;
    }
    let mut items = Vec::new();
    for s in &ctx.report.sections {
        let Some(idx) = s.id.as_deref().and_then(sec_index) else {
            continue;
        };
        let want = format!("{}、", NUMERALS[idx]);
        if s.number.trim() != want {
            items.push((
                crate::model::SECTION_IDS[idx],
                s.number.clone(),
                s.heading.clone(),
                s.line,
                want,
            ));
        }
    }
    for (id, number, heading, line, want) in items {
        let m = ctx.tr("SEC-NUMBERING", &[number.trim(), heading.trim(), &want]);
        ctx.push(
            F::fail("SEC-NUMBERING", id, m)
                .expected(want.clone())
                .actual(number.clone())
                .quote(format!("{number}{heading}"))
                .line(Some(line)),
        );
    }
}

/// SEC-TITLE-VARIANT (info): heading text ≠ the standard heading.
fn sec_title_variant(ctx: &mut Ctx) {
    if !ctx.on("SEC-TITLE-VARIANT") {
        return;
    }
    let items: Vec<(String, String, &'static str, usize)> = ctx
        .report
        .sections
        .iter()
        .filter_map(|s| {
            let id = s.id.clone()?;
            let canon = template::section_heading(&id)?;
            // Most headings are printed as the template has them: equal text needs no
            // normalising (NFKC is slow).
            (s.heading != canon && normalize_label(&s.heading) != normalized_heading(&id))
                .then(|| (id, s.heading.clone(), canon, s.line))
        })
        .collect();
    for (id, heading, canon, line) in items {
        let m = ctx.tr("SEC-TITLE-VARIANT", &[heading.trim(), canon]);
        ctx.push(
            F::fail("SEC-TITLE-VARIANT", id, m)
                .expected(canon)
                .actual(heading.trim().to_string())
                .line(Some(line)),
        );
    }
}

/// The template's heading of a part, normalised once ([`normalize_label`]).
fn normalized_heading(id: &str) -> &'static str {
    static HEADINGS: std::sync::LazyLock<Vec<(&'static str, String)>> =
        std::sync::LazyLock::new(|| {
            template::SECTIONS
                .iter()
                .map(|s| (s.key, normalize_label(s.label)))
                .collect()
        });
    HEADINGS
        .iter()
        .find(|(key, _)| *key == id)
        .map_or("", |(_, n)| n.as_str())
}

/// The section prose with whitespace removed.
fn compact(ctx: &Ctx, id: &str) -> Option<String> {
    ctx.report
        .section(id)
        .map(|s| s.text().chars().filter(|c| !c.is_whitespace()).collect())
}

/// True for text that says nothing: empty, "无", "无其他需要报告的事项", "暂无" …
fn is_nil(t: &str) -> bool {
    let t = t.trim_matches(|c: char| "。.；;，,".contains(c));
    let n = t.chars().count();
    t.is_empty()
        || (n <= 16
            && ["无", "暂无", "没有", "本年度无", "本机关无"]
                .iter()
                .any(|w| t.starts_with(w)))
}

/// SEC-EMPTY-5: part 五 is not empty, "无" or generic.
fn sec_empty_5(ctx: &mut Ctx) {
    if !ctx.on("SEC-EMPTY-5") {
        return;
    }
    let Some(t) = compact(ctx, "S5") else { return }; // SEC-MISSING reports it
    let n = t.chars().count();
    // Generic: too short to name a problem and a measure.
    if is_nil(&t) || n < 30 {
        let line = ctx.report.section("S5").map(|s| s.line);
        let m = ctx.tr("SEC-EMPTY-5", &[&n.to_string()]);
        ctx.push(F::fail("SEC-EMPTY-5", "S5", m).quote(t).line(line));
    }
}

/// SEC-EMPTY-6: part 六 non-empty (info for 2019, warning for 2021).
fn sec_empty_6(ctx: &mut Ctx) {
    if !ctx.on("SEC-EMPTY-6") {
        return;
    }
    let Some(t) = compact(ctx, "S6") else { return }; // SEC-MISSING reports it
    if is_nil(&t) {
        let line = ctx.report.section("S6").map(|s| s.line);
        let shown = if t.is_empty() {
            "—".to_string()
        } else {
            t.clone()
        };
        let m = ctx.tr("SEC-EMPTY-6", &[&shown]);
        ctx.push(F::fail("SEC-EMPTY-6", "S6", m).quote(t).line(line));
    }
}

/// SEC-GOV-50-4: government reports mention 考核 / 评议 / 责任追究.
fn sec_gov_50_4(ctx: &mut Ctx) {
    if !ctx.on("SEC-GOV-50-4") {
        return;
    }
    let r = ctx.report;
    if ctx.config.agency_type(&r.agency_key, &r.agency) != AgencyType::Government {
        return;
    }
    let mut all: String = r.preamble.iter().map(|l| l.text.as_str()).collect();
    for s in &r.sections {
        all.push_str(&s.heading);
        all.push_str(&s.text());
    }
    let all: String = all.chars().filter(|c| !c.is_whitespace()).collect();
    if !["考核", "评议", "追究", "问责"]
        .iter()
        .any(|w| all.contains(w))
    {
        let m = ctx.tr("SEC-GOV-50-4", &[]);
        let line = r.section("S1").map(|s| s.line);
        ctx.push(
            F::fail("SEC-GOV-50-4", "S1", m)
                .expected("考核 / 评议 / 责任追究")
                .actual("—")
                .line(line),
        );
    }
}

/// TBL-MISSING: tables 2, 3, 4 present.
fn tbl_missing(ctx: &mut Ctx) {
    if !ctx.on("TBL-MISSING") {
        return;
    }
    for id in ["T2", "T3", "T4"] {
        let present = ctx.report.table(id).is_some_and(|t| !t.rows.is_empty());
        if !present {
            let m = ctx.tr("TBL-MISSING", &[&ctx.label(&format!("table.{id}"))]);
            ctx.push(F::fail("TBL-MISSING", id, m).expected(id).actual("—"));
        }
    }
}

/// TBL-EXTRA-ROWS: rows or columns the template does not have.
fn tbl_extra_rows(ctx: &mut Ctx) {
    if !ctx.on("TBL-EXTRA-ROWS") {
        return;
    }
    let mut items = Vec::new();
    for t in ctx.report.tables() {
        for row in t.rows.iter().filter(|r| !r.recognised) {
            items.push((
                t.id.clone(),
                format!("{}.{}", t.id, row.key),
                row.label.clone(),
                row.line,
                true,
            ));
        }
        for col in &t.extra_columns {
            items.push((t.id.clone(), t.id.clone(), col.clone(), t.line, false));
        }
    }
    for (table, loc, label, line, is_row) in items {
        let key = if is_row {
            "TBL-EXTRA-ROWS.row"
        } else {
            "TBL-EXTRA-ROWS.col"
        };
        let m = ctx.tr(key, &[&ctx.label(&format!("table.{table}")), &label]);
        ctx.push(
            F::fail("TBL-EXTRA-ROWS", loc, m)
                .actual(label)
                .line(Some(line)),
        );
    }
}

/// T3-LABELS: every row and column of table 3 present and recognised.
fn t3_labels(ctx: &mut Ctx) {
    if !ctx.on("T3-LABELS") {
        return;
    }
    let Some(t) = &ctx.report.table3 else { return };
    let has = |k: &str| t.row(k).is_some();
    let mut missing: Vec<String> = Vec::new();
    for l in template::t3_rows(Template::F2019) {
        if l.key == "R3_6" {
            continue;
        }
        if !has(l.key) {
            missing.push(l.key.to_string());
        }
    }
    // （六）: one row (2019 and hybrids) or three sub-rows (2021).
    let subs = ["R3_6_1", "R3_6_2", "R3_6_3"];
    match ctx.template {
        Template::F2021 => {
            missing.extend(subs.iter().filter(|k| !has(k)).map(|k| k.to_string()));
        }
        _ => {
            if !has("R3_6") && !subs.iter().all(|k| has(k)) {
                missing.push("R3_6".into());
            }
        }
    }
    let mut short = Vec::new();
    for row in t.rows.iter().filter(|r| r.recognised) {
        if row.cells.len() < 7 {
            short.push((row.key.clone(), row.cells.len(), row.line));
        }
    }
    for k in missing {
        let m = ctx.tr(
            "T3-LABELS.row",
            &[&format!("{k} {}", ctx.label(&format!("row.{k}")))],
        );
        ctx.push(
            F::fail("T3-LABELS", format!("T3.{k}"), m)
                .expected(k.clone())
                .actual("—"),
        );
    }
    for (k, n, line) in short {
        let m = ctx.tr("T3-LABELS.cols", &[&k, &n.to_string()]);
        ctx.push(
            F::fail("T3-LABELS", format!("T3.{k}"), m)
                .expected("7")
                .actual(n.to_string())
                .line(Some(line)),
        );
    }
}

/// META-TITLE: a title with 政府信息公开工作年度报告.
fn meta_title(ctx: &mut Ctx) {
    if !ctx.on("META-TITLE") {
        return;
    }
    let ok = ctx.report.title.as_deref().is_some_and(|t| {
        let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        t.contains("政府信息公开") && t.contains("年度报告")
            || t.contains("政务公开") && t.contains("年度报告")
    });
    if !ok {
        let m = ctx.tr("META-TITLE", &[]);
        ctx.push(
            F::fail("META-TITLE", "META.title", m)
                .actual(ctx.report.title.clone().unwrap_or_else(|| "—".into())),
        );
    }
}

/// META-AGENCY: the agency is identifiable.
fn meta_agency(ctx: &mut Ctx) {
    if !ctx.on("META-AGENCY") {
        return;
    }
    if ctx.report.agency.trim().is_empty() && ctx.report.agency_key.trim().is_empty() {
        let m = ctx.tr("META-AGENCY", &[]);
        ctx.push(F::fail("META-AGENCY", "META.agency", m).actual("—"));
    }
}

/// META-DATE: a publication or signing date is present.
fn meta_date(ctx: &mut Ctx) {
    if !ctx.on("META-DATE") {
        return;
    }
    if ctx.report.published.is_none() {
        let m = ctx.tr("META-DATE", &[]);
        ctx.push(F::fail("META-DATE", "META.date", m).actual("—"));
    }
}

fn agency_type_label(ctx: &Ctx, t: AgencyType) -> String {
    ctx.label(&format!("agency.{}", t.as_str()))
}

/// META-DEADLINE: date ≤ deadline of the agency type, in the year after the report year.
fn meta_deadline(ctx: &mut Ctx) {
    if !ctx.on("META-DEADLINE") {
        return;
    }
    let r = ctx.report;
    let t = ctx.config.agency_type(&r.agency_key, &r.agency);
    let Some(deadline) = ctx.config.deadline(&r.agency_key, &r.agency) else {
        return; // townships and unknown types have none unless configured
    };
    let Some(year) = r.year else { return };
    let due = (year + 1, deadline.month, deadline.day);
    let due_text = format!("{}-{:02}-{:02}", due.0, due.1, due.2);
    let who = agency_type_label(ctx, t);
    match &r.published {
        None => {
            let m = ctx.tr("META-DEADLINE.na", &[&due_text, &who]);
            ctx.push(F::na("META-DEADLINE", "META.date", m).expected(format!("≤ {due_text}")));
        }
        Some(d) => {
            if d.ymd() > due {
                let got = format!("{}-{:02}-{:02}", d.year, d.month, d.day);
                let m = ctx.tr("META-DEADLINE", &[&got, &due_text, &who]);
                ctx.push(
                    F::fail("META-DEADLINE", "META.date", m)
                        .expected(format!("≤ {due_text}"))
                        .actual(got)
                        .quote(d.raw.clone())
                        .line(Some(d.line)),
                );
            }
        }
    }
}

/// META-PERIOD: a stated statistics period is 1 Jan – 31 Dec of the report year.
fn meta_period(ctx: &mut Ctx) {
    if !ctx.on("META-PERIOD") {
        return;
    }
    let Some(year) = ctx.report.year else { return };
    let s1 = ctx.report.section("S1").map(|s| s.lines.as_slice());
    let prose = Prose::of_lines(ctx.report.preamble.iter().chain(s1.unwrap_or(&[])));
    for p in text::periods(&prose) {
        let ok = p.from == (year, 1, 1) && p.to == (year, 12, 31);
        if !ok {
            let m = ctx.tr("META-PERIOD", &[&p.quote, &year.to_string()]);
            ctx.push(
                F::fail("META-PERIOD", format!("META.period:L{}", p.line), m)
                    .expected(format!("{year}-01-01 – {year}-12-31"))
                    .actual(format!(
                        "{}-{:02}-{:02} – {}-{:02}-{:02}",
                        p.from.0, p.from.1, p.from.2, p.to.0, p.to.1, p.to.2
                    ))
                    .quote(p.sentence.clone())
                    .line(Some(p.line)),
            );
        }
    }
}

/// META-LENGTH (info): 总体情况 ≤ about 1000 characters.
fn meta_length(ctx: &mut Ctx) {
    if !ctx.on("META-LENGTH") {
        return;
    }
    let Some(t) = compact(ctx, "S1") else { return };
    let n = t.chars().count();
    let limit = ctx.config.length_limit;
    if n > limit {
        let m = ctx.tr("META-LENGTH", &[&n.to_string(), &limit.to_string()]);
        let line = ctx.report.section("S1").map(|s| s.line);
        ctx.push(
            F::fail("META-LENGTH", "S1", m)
                .expected(format!("≤ {limit}"))
                .actual(n.to_string())
                .line(line),
        );
    }
}
