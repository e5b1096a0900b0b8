//! Prose against tables (TXT-*): the figures the text states, with their scope, compared with
//! the table cell they describe. Each kind of figure is looked for in the section where it
//! belongs: application figures in the 依申请公开 part of 一 (or all of 一 when it has no such
//! sub-part) and in 三; review and litigation figures in 一 and 四; 规章/规范性文件 in 一 and 二.

use super::text::{parse_number, Prose};
use crate::check::{close, fmt_num, CellRef, Ctx, Operand, F};
use crate::model::key::{CellKey, TableId};
use crate::model::{Section, Template};
use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use std::sync::LazyLock;

/// A number followed by a count unit.
const NUM: &str = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)";

fn re(pattern: &str) -> Regex {
    Regex::new(&pattern.replace("NUM", NUM)).expect("prose regex")
}

/// What a figure in the prose is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    New,
    CarryIn,
    Done,
    CarryOut,
    Review,
    Litig,
}

/// A figure stated in the prose.
#[derive(Debug, Clone)]
pub struct Fact {
    pub kind: Kind,
    pub value: f64,
    /// Who the figure is about as printed (全市, 区政府办代表区政府, 本机关 …), if stated.
    pub scope: Option<String>,
    pub section: String,
    pub line: usize,
    pub quote: String,
    /// Byte offset in the area's prose (to keep the order of appearance).
    pub at: usize,
}

struct Pattern {
    kind: Kind,
    re: Regex,
    /// Value is 0 (未收到…), not a captured number.
    zero: bool,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let p = |kind, s: &str, zero| Pattern {
        kind,
        re: re(s),
        zero,
    };
    vec![
        p(
            Kind::New,
            r"(?:收到|受理|新收|接收|接到)[^，。；！？]{0,16}?申请[^，。；！？\d]{0,8}?NUM(?:件|宗|份)",
            false,
        ),
        p(
            Kind::New,
            r"(?:收到|受理|新收|接收|接到)NUM(?:件|宗|份)[^，。；]{0,10}?申请",
            false,
        ),
        p(
            Kind::New,
            r"(?:未收到|没有收到|未受理|未接到)[^，。；]{0,12}?申请",
            true,
        ),
        p(
            Kind::CarryIn,
            r"(?:上一?年度?)(?:结转|转结)[^，。；]{0,10}?NUM(?:件|宗|份)",
            false,
        ),
        p(
            Kind::Done,
            r"(?:办结|答复|办理完毕|处理完毕|作出答复)[^，。；、\d]{0,6}?NUM(?:件|宗|份)",
            false,
        ),
        p(
            Kind::CarryOut,
            r"(?:结转|转结|顺延|转入)(?:到|至)?下一?年度?[^，。；]{0,8}?NUM(?:件|宗|份)",
            false,
        ),
        p(
            Kind::CarryOut,
            r"NUM(?:件|宗|份)[^，。；\d]{0,6}?(?:结转|转结|顺延|转入)(?:到|至)?下一?年",
            false,
        ),
        p(
            Kind::Review,
            r"行政复议(?:案件|申请)?[^，。；、\d]{0,6}?NUM(?:件|起|宗|次)",
            false,
        ),
        p(
            Kind::Review,
            r"(?:未发生|未收到|没有|未被提起|未被申请|无)[^，。；\d]{0,6}?行政复议",
            true,
        ),
        p(
            Kind::Litig,
            r"行政诉讼(?:案件)?[^，。；、\d]{0,6}?NUM(?:件|起|宗|次)",
            false,
        ),
        p(
            Kind::Litig,
            r"(?:未发生|没有|未被提起|无)[^，。；\d]{0,8}?行政诉讼",
            true,
        ),
    ]
});

/// Words that say whose figure it is.
const SCOPES: &[&str] = &[
    "全市",
    "全区",
    "全县",
    "全镇",
    "全乡",
    "全省",
    "全街道",
    "本机关",
    "本级",
    "本单位",
    "各级行政机关",
    "区政府办",
    "市政府办",
    "县政府办",
    "区政府",
    "市政府",
    "县政府",
    "我区",
    "我市",
    "我县",
    "我镇",
    "我乡",
    "我局",
    "我委",
    "我办",
    "备案",
];

/// All [`SCOPES`] in one automaton: the leftmost, and there the longest, scope word of a text
/// in one pass.
static SCOPE_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(SCOPES)
        .expect("scope words")
});

/// Scopes that are not the reporting agency's own figure: never compared.
const FOREIGN_SCOPES: &[&str] = &["备案"];

/// One place to look for figures: a section's prose, or a byte range of it.
struct Area<'p> {
    prose: &'p Prose,
    start: usize,
    end: usize,
    section: String,
}

fn prose_of(s: &Section) -> Prose {
    Prose::from_lines(&s.lines)
}

/// Sub-parts of 总体情况 marked （一）（二）…: byte ranges with their first words.
fn subparts(p: &Prose) -> Vec<(usize, usize)> {
    static MARK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"（[一二三四五六七八九十]{1,2}）").expect("marker regex"));
    let starts: Vec<usize> = MARK.find_iter(&p.text).map(|m| m.start()).collect();
    let mut out = Vec::new();
    for (i, s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).copied().unwrap_or(p.text.len());
        out.push((*s, e));
    }
    out
}

fn heading_has(p: &Prose, start: usize, words: &[&str]) -> bool {
    let head: String = p.text[start..].chars().take(14).collect();
    words.iter().any(|w| head.contains(w))
}

/// The prose of each section, computed once.
struct Texts {
    s1: Option<Prose>,
    s2: Option<Prose>,
    s3: Option<Prose>,
    s4: Option<Prose>,
}

impl Texts {
    fn new(ctx: &Ctx) -> Texts {
        let get = |id: &str| ctx.report.section(id).map(prose_of);
        Texts {
            s1: get("S1"),
            s2: get("S2"),
            s3: get("S3"),
            s4: get("S4"),
        }
    }

    /// Part 一 restricted to the sub-parts whose heading has one of `words`, or all of it.
    fn s1_part(&self, words: &[&str]) -> Vec<Area<'_>> {
        let Some(p) = &self.s1 else { return Vec::new() };
        let parts: Vec<(usize, usize)> = subparts(p)
            .into_iter()
            .filter(|(s, _)| heading_has(p, *s, words))
            .collect();
        if parts.is_empty() {
            vec![Area {
                prose: p,
                start: 0,
                end: p.text.len(),
                section: "S1".into(),
            }]
        } else {
            parts
                .into_iter()
                .map(|(start, end)| Area {
                    prose: p,
                    start,
                    end,
                    section: "S1".into(),
                })
                .collect()
        }
    }

    fn whole<'a>(p: &'a Option<Prose>, id: &str) -> Vec<Area<'a>> {
        p.iter()
            .map(|p| Area {
                prose: p,
                start: 0,
                end: p.text.len(),
                section: id.into(),
            })
            .collect()
    }

    fn app_areas(&self) -> Vec<Area<'_>> {
        let mut a = self.s1_part(&["依申请", "申请公开"]);
        a.extend(Texts::whole(&self.s3, "S3"));
        a
    }

    fn review_areas(&self) -> Vec<Area<'_>> {
        let mut a = Texts::whole(&self.s1, "S1");
        a.extend(Texts::whole(&self.s4, "S4"));
        a
    }

    fn t2_areas(&self) -> Vec<Area<'_>> {
        let mut a = self.s1_part(&["主动公开"]);
        a.extend(Texts::whole(&self.s2, "S2"));
        a
    }

    fn all_areas(&self) -> Vec<Area<'_>> {
        let mut a = Texts::whole(&self.s1, "S1");
        a.extend(Texts::whole(&self.s2, "S2"));
        a.extend(Texts::whole(&self.s3, "S3"));
        a.extend(Texts::whole(&self.s4, "S4"));
        a
    }
}

/// Who the figure is about: the words of its clause from the first scope word (全市, 本机关,
/// 区政府办 …) up to the figure's keyword, e.g. `区政府办代表区政府`, `全区各级行政机关`.
fn scope_before(p: &Prose, at: usize) -> Option<String> {
    let (s, _) = p.sentence(at, at);
    let before = &p.text[s..at];
    let clause_start = before.rfind('，').map_or(0, |i| i + '，'.len_utf8());
    let clause = &before[clause_start..];
    // The first scope word, the longest where several start there (全区 before 全区各级…).
    let first_in = |text: &str| {
        SCOPE_WORDS
            .find(text)
            .map(|m| (m.start(), SCOPES[m.pattern().as_usize()]))
    };
    if let Some((i, w)) = first_in(clause) {
        if FOREIGN_SCOPES.contains(&w) {
            return Some(w.to_string());
        }
        let mut phrase = &clause[i..];
        for tail in ["共", "累计", "全年", "依法", "一共", "本年度", "年内"] {
            phrase = phrase.trim_end_matches(tail);
        }
        let phrase: String = phrase.chars().take(16).collect();
        return Some(phrase).filter(|p| !p.is_empty());
    }
    // The scope may open the sentence ("全市共受理…，答复…").
    first_in(before).map(|(_, w)| w.to_string())
}

/// Every figure of the given kinds in the areas, in order of appearance.
fn facts(areas: &[Area], kinds: &[Kind]) -> Vec<Fact> {
    let mut out: Vec<Fact> = Vec::new();
    for area in areas {
        let text = &area.prose.text[area.start..area.end];
        // Cheap literal screen before the regexes.
        let anchors: &[&str] = &[
            "申请", "结转", "转结", "顺延", "办结", "答复", "复议", "诉讼",
        ];
        if !anchors.iter().any(|a| text.contains(a)) {
            continue;
        }
        for pat in PATTERNS.iter().filter(|p| kinds.contains(&p.kind)) {
            for c in pat.re.captures_iter(text) {
                let Some(m) = c.get(0) else { continue };
                let whole = m.as_str();
                // Figures about carried-over applications are not "received" ones.
                if pat.kind == Kind::New && (whole.contains("结转") || whole.contains("转结")) {
                    continue;
                }
                // "依申请公开信息363件" counts documents published on request, not
                // applications: 信息 after the last 申请 names what was counted.
                if let Some(i) = whole.rfind("申请") {
                    if whole[i..].contains("信息") {
                        continue;
                    }
                }
                let (value, at) = if pat.zero {
                    (0.0, area.start + m.start())
                } else {
                    let Some(n) = c.get(1) else { continue };
                    let Some(v) = parse_number(n.as_str()) else {
                        continue;
                    };
                    (v, area.start + n.start())
                };
                // The same figure found by two patterns counts once.
                if out
                    .iter()
                    .any(|f| f.kind == pat.kind && f.section == area.section && f.at == at)
                {
                    continue;
                }
                let scope = scope_before(area.prose, area.start + m.start());
                if scope
                    .as_deref()
                    .is_some_and(|s| FOREIGN_SCOPES.contains(&s))
                {
                    continue;
                }
                out.push(Fact {
                    kind: pat.kind,
                    value,
                    scope,
                    section: area.section.clone(),
                    line: area.prose.line_at(at),
                    quote: area
                        .prose
                        .quote(area.start + m.start(), area.start + m.end()),
                    at,
                });
            }
        }
    }
    out.sort_by_key(|f| (f.section != "S1", f.at));
    out
}

fn num(ctx: &Ctx, key: &(impl CellRef + ?Sized)) -> Option<f64> {
    match ctx.operand(key) {
        Operand::Num(n) => Some(n),
        _ => None,
    }
}

fn scope_suffix(ctx: &Ctx, f: &Fact) -> String {
    f.scope
        .as_deref()
        .map(|s| ctx.tr("scope", &[s]))
        .unwrap_or_default()
}

/// Compare the facts of one kind with the table: silent when any fact matches one of the
/// accepted readings; otherwise one finding at the first fact.
fn compare(
    ctx: &mut Ctx,
    rule: &'static str,
    facts: &[Fact],
    accepted: &[f64],
    cells: Vec<String>,
    message: impl Fn(&Ctx, &Fact) -> String,
) {
    if facts.is_empty() || accepted.is_empty() {
        return;
    }
    if facts
        .iter()
        .any(|f| accepted.iter().any(|a| close(f.value, *a)))
    {
        return;
    }
    let f = &facts[0];
    let m = format!("{}{}", message(ctx, f), scope_suffix(ctx, f));
    ctx.push(
        F::fail(rule, format!("{}:L{}", f.section, f.line), m)
            .expected(
                accepted
                    .iter()
                    .map(|a| fmt_num(*a))
                    .collect::<Vec<_>>()
                    .join(" | "),
            )
            .actual(fmt_num(f.value))
            .quote(f.quote.clone())
            .line(Some(f.line))
            .cells(cells),
    );
}

pub fn run(ctx: &mut Ctx) {
    let texts = Texts::new(ctx);
    if ctx.report.table3.is_some() {
        txt_app(ctx, &texts);
        txt_result(ctx, &texts);
        txt_pct(ctx, &texts);
    }
    if ctx.report.table4.is_some() {
        txt_review(ctx, &texts);
        txt_outcome(ctx, &texts);
    }
    txt_parts(ctx, &texts);
    if ctx.report.table2.is_some() {
        txt_t2(ctx, &texts);
    }
    txt_fee_21(ctx);
    txt_year(ctx);
}

/// TXT-APP-NEW / -CARRYIN / -DONE / -CARRYOUT.
fn txt_app(ctx: &mut Ctx, texts: &Texts) {
    let areas = texts.app_areas();
    let all = facts(
        &areas,
        &[Kind::New, Kind::CarryIn, Kind::Done, Kind::CarryOut],
    );
    let of = |k: Kind| {
        all.iter()
            .filter(|f| f.kind == k)
            .cloned()
            .collect::<Vec<_>>()
    };
    let (r1, r2, r37, r4) = (
        num(ctx, "T3.R1.C7"),
        num(ctx, "T3.R2.C7"),
        num(ctx, "T3.R3_7.C7"),
        num(ctx, "T3.R4.C7"),
    );
    if ctx.on("TXT-APP-NEW") {
        if let Some(r1) = r1 {
            let Some(both) = crate::check::add(&[r1, r2.unwrap_or(0.0)]) else {
                return; // too large to add: no reading to compare with
            };
            compare(
                ctx,
                "TXT-APP-NEW",
                &of(Kind::New),
                &[r1, both],
                vec!["T3.R1.C7".into(), "T3.R2.C7".into()],
                |c, f| {
                    c.tr(
                        "TXT-APP-NEW",
                        &[&fmt_num(f.value), &fmt_num(r1), &fmt_num(both)],
                    )
                },
            );
        }
    }
    let simple: [(&'static str, Kind, Option<f64>, &str); 3] = [
        ("TXT-APP-CARRYIN", Kind::CarryIn, r2, "T3.R2.C7"),
        ("TXT-APP-DONE", Kind::Done, r37, "T3.R3_7.C7"),
        ("TXT-APP-CARRYOUT", Kind::CarryOut, r4, "T3.R4.C7"),
    ];
    for (rule, kind, value, key) in simple {
        if !ctx.on(rule) {
            continue;
        }
        let Some(v) = value else { continue };
        compare(ctx, rule, &of(kind), &[v], vec![key.into()], |c, f| {
            c.tr(rule, &[&fmt_num(f.value), &fmt_num(v)])
        });
    }
}

/// The result groups of table 3 as the prose names them, with their rows.
const RESULT_GROUPS: &[(&str, &[&str])] = &[
    ("予以公开", &["R3_1"]),
    ("部分公开", &["R3_2"]),
    (
        "不予公开",
        &[
            "R3_3_1", "R3_3_2", "R3_3_3", "R3_3_4", "R3_3_5", "R3_3_6", "R3_3_7", "R3_3_8",
        ],
    ),
    ("无法提供", &["R3_4_1", "R3_4_2", "R3_4_3"]),
    (
        "不予处理",
        &["R3_5_1", "R3_5_2", "R3_5_3", "R3_5_4", "R3_5_5"],
    ),
    ("其他处理", &["R3_6", "R3_6_1", "R3_6_2", "R3_6_3"]),
];

/// Words by which the prose names one row of a group ("因本机关不掌握等原因无法提供265件":
/// 265 may be the 不掌握 row alone).
const ROW_WORDS: &[(&str, &str)] = &[
    ("国家秘密", "R3_3_1"),
    ("禁止公开", "R3_3_2"),
    ("三安全一稳定", "R3_3_3"),
    ("第三方", "R3_3_4"),
    ("内部事务", "R3_3_5"),
    ("过程性", "R3_3_6"),
    ("行政执法案卷", "R3_3_7"),
    ("行政查询", "R3_3_8"),
    ("不掌握", "R3_4_1"),
    ("另行制作", "R3_4_2"),
    ("不明确", "R3_4_3"),
    ("信访", "R3_5_1"),
    ("重复申请", "R3_5_2"),
    ("公开出版物", "R3_5_3"),
    ("大量反复", "R3_5_4"),
    ("重新出具", "R3_5_5"),
    ("逾期不补正", "R3_6_1"),
    ("未按收费", "R3_6_2"),
];

/// A result figure of the prose, with the group word it uses and the row its clause names.
struct ResultFact {
    name: String,
    row: Option<&'static str>,
    fact: Fact,
}

/// TXT-APP-RESULT: 予以公开 / 部分公开 / 不予公开 / 无法提供 / 不予处理 / 其他处理, compared
/// with the group's total — and, when the clause names one of the group's rows, with that row
/// too (a warning only when neither matches). TXT-APP-CATEGORY (info): the figure fits another
/// group than the one the prose names (不掌握 cases called 不予公开).
fn txt_result(ctx: &mut Ctx, texts: &Texts) {
    if !ctx.on("TXT-APP-RESULT") && !ctx.on("TXT-APP-CATEGORY") {
        return;
    }
    static RESULT: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(予以公开(?:及|和|与|、)部分公开|予以公开|部分公开|不予公开|无法提供|不予处理|其他处理)[^，。；、\d]{0,6}?NUM件",
        )
    });
    let rows_of = |name: &str| -> Vec<&'static str> {
        match RESULT_GROUPS.iter().find(|(n, _)| *n == name) {
            Some((_, rows)) => rows.to_vec(),
            None => vec!["R3_1", "R3_2"], // 予以公开及部分公开
        }
    };
    let areas = texts.app_areas();
    let mut found: Vec<ResultFact> = Vec::new();
    for area in &areas {
        let text = &area.prose.text[area.start..area.end];
        for c in RESULT.captures_iter(text) {
            let (Some(m), Some(name), Some(n)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let Some(value) = parse_number(n.as_str()) else {
                continue;
            };
            let at = area.start + n.start();
            let abs = area.start + m.start();
            let (s, _) = area.prose.sentence(abs, abs);
            let before = &area.prose.text[s..abs];
            let clause = &before[before.rfind('，').map_or(0, |i| i + '，'.len_utf8())..];
            let row = ROW_WORDS
                .iter()
                .find(|(w, _)| clause.contains(w))
                .map(|(_, r)| *r);
            found.push(ResultFact {
                name: name.as_str().to_string(),
                row,
                fact: Fact {
                    kind: Kind::Done,
                    value,
                    scope: scope_before(area.prose, abs),
                    section: area.section.clone(),
                    line: area.prose.line_at(at),
                    quote: area.prose.quote(abs, area.start + m.end()),
                    at,
                },
            });
        }
    }
    let mut names: Vec<String> = Vec::new();
    for f in &found {
        if !names.contains(&f.name) {
            names.push(f.name.clone());
        }
    }
    for name in names {
        let Some(group) = group_sum(ctx, &rows_of(&name)) else {
            continue;
        };
        let facts: Vec<&ResultFact> = found.iter().filter(|f| f.name == name).collect();
        let own_rows = rows_of(&name);
        let row_value = |f: &ResultFact| f.row.and_then(|r| row_total(ctx, r).map(|v| (r, v)));
        // The row a clause names counts only when it is one of the named group's rows.
        let matches = |f: &ResultFact| {
            close(f.fact.value, group.total)
                || row_value(f)
                    .is_some_and(|(r, v)| own_rows.contains(&r) && close(f.fact.value, v))
        };
        if facts.iter().any(|f| matches(f)) {
            continue;
        }
        let first = facts[0];
        let v = first.fact.value;
        // Which other group (or row of another group) the number fits.
        let elsewhere = other_fit(ctx, &name, first.row, v);
        if let Some(fit) = elsewhere {
            if ctx.on("TXT-APP-CATEGORY") {
                let m = ctx.tr("TXT-APP-CATEGORY", &[&name, &fmt_num(v), &fit.0]);
                let f = &first.fact;
                ctx.push(
                    F::fail("TXT-APP-CATEGORY", format!("{}:L{}", f.section, f.line), m)
                        .expected(fit.0.clone())
                        .actual(fmt_num(v))
                        .quote(f.quote.clone())
                        .line(Some(f.line))
                        .cells(fit.1),
                );
            }
            continue;
        }
        if !ctx.on("TXT-APP-RESULT") {
            continue;
        }
        let mut cells = group.keys.clone();
        let mut accepted = vec![group.total];
        let message = match row_value(first) {
            Some((r, rv)) => {
                // A row of the group itself may be what the prose counts; a row of
                // another group is only shown beside the group's total.
                if own_rows.contains(&r) {
                    accepted.push(rv);
                } else {
                    cells.push(format!("T3.{r}.C7"));
                }
                ctx.tr(
                    "TXT-APP-RESULT.row",
                    &[
                        &name,
                        &fmt_num(v),
                        &group.label,
                        &fmt_num(group.total),
                        &ctx.label(&format!("row.{r}")),
                        &fmt_num(rv),
                    ],
                )
            }
            None => ctx.tr(
                "TXT-APP-RESULT",
                &[&name, &fmt_num(v), &group.label, &fmt_num(group.total)],
            ),
        };
        let fs = vec![first.fact.clone()];
        compare(ctx, "TXT-APP-RESULT", &fs, &accepted, cells, |_, _| {
            message.clone()
        });
    }
}

/// A group of table-3 rows summed over their 总计 column.
struct GroupSum {
    total: f64,
    keys: Vec<String>,
    label: String,
}

/// The 总计 (C7) cell of a table-3 row.
fn total_of(row: &str) -> CellKey<'_> {
    CellKey {
        table: TableId::T3,
        row,
        col: "C7",
    }
}

fn group_sum(ctx: &Ctx, rows: &[&str]) -> Option<GroupSum> {
    let present: Vec<CellKey> = rows
        .iter()
        .map(|r| total_of(r))
        .filter(|k| ctx.value(k).is_some())
        .collect();
    if present.is_empty() {
        return None;
    }
    let total = ctx.sum(&present).ok()?;
    let label = present
        .iter()
        .map(|k| ctx.label(&format!("row.{}", k.row)))
        .collect::<Vec<_>>()
        .join(" + ");
    let keys = present.iter().map(|k| k.to_string()).collect();
    Some(GroupSum { total, keys, label })
}

fn row_total(ctx: &Ctx, row: &str) -> Option<f64> {
    num(ctx, &total_of(row))
}

/// The group (or the row named in the clause) other than `name` that the figure `v` fits:
/// its label and cells. A row named in the clause that belongs to another group is evidence
/// enough; otherwise the figure must be non-zero and fit exactly one other group.
fn other_fit(
    ctx: &Ctx,
    name: &str,
    row: Option<&'static str>,
    v: f64,
) -> Option<(String, Vec<String>)> {
    let own: Vec<&str> = RESULT_GROUPS
        .iter()
        .filter(|(n, _)| name.contains(n))
        .flat_map(|(_, rows)| rows.iter().copied())
        .collect();
    if let Some(r) = row.filter(|r| !own.contains(r)) {
        let (gname, grows) = RESULT_GROUPS.iter().find(|(_, rows)| rows.contains(&r))?;
        if row_total(ctx, r).is_some_and(|rv| close(rv, v)) {
            let label = format!("{gname} {}", ctx.label(&format!("row.{r}")));
            return Some((label, vec![format!("T3.{r}.C7")]));
        }
        let g = group_sum(ctx, grows)?;
        if close(g.total, v) {
            return Some((format!("{gname}（{}）", g.label), g.keys));
        }
        return None;
    }
    if v == 0.0 {
        return None;
    }
    let fits: Vec<(String, Vec<String>)> = RESULT_GROUPS
        .iter()
        .filter(|(n, _)| !name.contains(n))
        .filter_map(|(n, rows)| {
            let g = group_sum(ctx, rows)?;
            close(g.total, v).then(|| (format!("{n}（{}）", g.label), g.keys))
        })
        .collect();
    match fits.len() {
        1 => fits.into_iter().next(),
        _ => None,
    }
}

/// TXT-PCT (info): "N件，占X%" against N over the usual bases.
fn txt_pct(ctx: &mut Ctx, texts: &Texts) {
    if !ctx.on("TXT-PCT") {
        return;
    }
    static PCT: LazyLock<Regex> =
        LazyLock::new(|| re(r"NUM件[，,]?(?:约占|占比|占)(?:比)?(\d+(?:\.\d+)?)%"));
    let bases: Vec<f64> = [
        num(ctx, "T3.R1.C7"),
        num(ctx, "T3.R1.C7")
            .zip(num(ctx, "T3.R2.C7"))
            .map(|(a, b)| a + b),
        num(ctx, "T3.R3_7.C7"),
    ]
    .into_iter()
    .flatten()
    .filter(|b| *b > 0.0)
    .collect();
    if bases.is_empty() {
        return;
    }
    let areas = texts.app_areas();
    let mut hits = Vec::new();
    for area in &areas {
        let text = &area.prose.text[area.start..area.end];
        for c in PCT.captures_iter(text) {
            let (Some(m), Some(n), Some(p)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let (Some(n), Ok(p)) = (parse_number(n.as_str()), p.as_str().parse::<f64>()) else {
                continue;
            };
            let ok = bases
                .iter()
                .any(|b| (n / b * 100.0 - p).abs() <= 0.1 + 1e-9);
            if !ok {
                let at = area.start + m.start();
                hits.push((
                    n,
                    p,
                    area.section.clone(),
                    area.prose.line_at(at),
                    area.prose.quote(at, area.start + m.end()),
                ));
            }
        }
    }
    let base = bases[bases.len() - 1];
    for (n, p, sec, line, quote) in hits {
        let share = format!("{:.1}", n / base * 100.0);
        let m = ctx.tr(
            "TXT-PCT",
            &[&fmt_num(n), &fmt_num(p), &fmt_num(base), &share],
        );
        ctx.push(
            F::fail("TXT-PCT", format!("{sec}:L{line}"), m)
                .expected(format!("{share}%"))
                .actual(format!("{}%", fmt_num(p)))
                .quote(quote)
                .line(Some(line)),
        );
    }
}

/// TXT-REVIEW and TXT-LITIG.
fn txt_review(ctx: &mut Ctx, texts: &Texts) {
    let areas = texts.review_areas();
    let all = facts(&areas, &[Kind::Review, Kind::Litig]);
    if ctx.on("TXT-REVIEW") {
        if let Some(v) = num(ctx, "T4.review.total") {
            let fs: Vec<Fact> = all
                .iter()
                .filter(|f| f.kind == Kind::Review)
                .cloned()
                .collect();
            compare(
                ctx,
                "TXT-REVIEW",
                &fs,
                &[v],
                vec!["T4.review.total".into()],
                |c, f| c.tr("TXT-REVIEW", &[&fmt_num(f.value), &fmt_num(v)]),
            );
        }
    }
    if ctx.on("TXT-LITIG") {
        let pair = num(ctx, "T4.lit_direct.total")
            .zip(num(ctx, "T4.lit_after_review.total"))
            .filter(|(d, a)| (d + a).is_finite());
        if let Some((d, a)) = pair {
            let fs: Vec<Fact> = all
                .iter()
                .filter(|f| f.kind == Kind::Litig)
                .cloned()
                .collect();
            compare(
                ctx,
                "TXT-LITIG",
                &fs,
                &[d + a],
                vec![
                    "T4.lit_direct.total".into(),
                    "T4.lit_after_review.total".into(),
                ],
                |c, f| {
                    c.tr(
                        "TXT-LITIG",
                        &[&fmt_num(f.value), &fmt_num(d), &fmt_num(a), &fmt_num(d + a)],
                    )
                },
            );
        }
    }
}

/// TXT-OUTCOME (info): "均获维持" ⇒ no corrected, other or pending cases.
fn txt_outcome(ctx: &mut Ctx, texts: &Texts) {
    if !ctx.on("TXT-OUTCOME") {
        return;
    }
    static CLAIM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"均获维持|均被维持|全部维持|均予维持|均维持|零败诉|无败诉").expect("claim")
    });
    let areas = texts.review_areas();
    for area in &areas {
        let text = &area.prose.text[area.start..area.end];
        let Some(m) = CLAIM.find(text) else { continue };
        let mut bad = Vec::new();
        for g in ["review", "lit_direct", "lit_after_review"] {
            for col in ["corrected", "other", "pending"] {
                let k = CellKey {
                    table: TableId::T4,
                    row: g,
                    col,
                };
                if let Some(v) = num(ctx, &k).filter(|v| *v > 0.0) {
                    bad.push((k, v));
                }
            }
        }
        if let Some((k, v)) = bad.first().copied() {
            let at = area.start + m.start();
            let line = area.prose.line_at(at);
            let label = format!(
                "{} {}",
                ctx.label(&format!("t4.{}", k.row)),
                ctx.label(&format!("t4.{}", k.col))
            );
            let msg = ctx.tr("TXT-OUTCOME", &[m.as_str(), &label, &fmt_num(v)]);
            ctx.push(
                F::fail("TXT-OUTCOME", format!("{}:L{line}", area.section), msg)
                    .expected("0")
                    .actual(fmt_num(v))
                    .quote(area.prose.quote(at, area.start + m.end()))
                    .line(Some(line))
                    .cells(bad.into_iter().map(|(k, _)| k)),
            );
        }
        return;
    }
}

/// TXT-PARTS: "共T…，其中a…，b…" ⇒ Σ parts = T when the list looks exhaustive.
fn txt_parts(ctx: &mut Ctx, texts: &Texts) {
    if !ctx.on("TXT-PARTS") {
        return;
    }
    static COUNT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d+(?:\.\d+)?)(余|多)?(件|条|个|起|项|次|场|期|家|篇|宗)").expect("count")
    });
    let mut findings = Vec::new();
    for area in texts.all_areas() {
        let p = area.prose;
        let text = &p.text;
        for (pos, _) in text.match_indices("其中") {
            let (s, e) = p.sentence(pos, pos);
            // The total: the last count before 其中 in the sentence, right before it.
            let before = &text[s..pos];
            let Some(total) = COUNT.captures_iter(before).last() else {
                continue;
            };
            let (Some(tm), Some(tn), Some(tu)) = (total.get(0), total.get(1), total.get(3)) else {
                continue;
            };
            let gap = &before[tm.end()..];
            if total.get(2).is_some() || gap.chars().count() > 2 {
                continue; // "5500余条", or the total is not what 其中 refers to
            }
            let Ok(t) = tn.as_str().parse::<f64>() else {
                continue;
            };
            // The parts: up to the closing bracket if 其中 opens one, else the sentence end.
            let inside = gap.contains('（');
            let rest = &text[pos + "其中".len()..e];
            let span_end = if inside {
                rest.find('）').unwrap_or(rest.len())
            } else {
                rest.len()
            };
            let span = &rest[..span_end];
            // Drop nested brackets (details of a part).
            let mut flat = String::new();
            let mut depth = 0;
            for c in span.chars() {
                match c {
                    '（' => depth += 1,
                    '）' => depth = (depth - 1).max(0),
                    _ if depth == 0 => flat.push(c),
                    _ => {}
                }
            }
            if flat.contains('等') || flat.contains('%') {
                continue;
            }
            let parts: Vec<(f64, bool)> = COUNT
                .captures_iter(&flat)
                .filter(|c| c.get(3).map(|u| u.as_str()) == Some(tu.as_str()))
                .filter_map(|c| Some((c.get(1)?.as_str().parse::<f64>().ok()?, c.get(2).is_some())))
                .collect();
            if parts.len() < 2 || parts.iter().any(|(_, approx)| *approx) {
                continue;
            }
            let sum: f64 = parts.iter().map(|(v, _)| v).sum();
            if !close(sum, t) {
                let at = s + tm.start();
                let line = p.line_at(at);
                let expr = parts
                    .iter()
                    .map(|(v, _)| fmt_num(*v))
                    .collect::<Vec<_>>()
                    .join(" + ");
                findings.push((
                    area.section.clone(),
                    line,
                    t,
                    sum,
                    expr,
                    p.quote(at, pos),
                    tu.as_str().to_string(),
                ));
            }
        }
    }
    for (sec, line, t, sum, expr, quote, unit) in findings {
        let total = format!("{}{unit}", fmt_num(t));
        let m = ctx.tr("TXT-PARTS", &[&total, &expr, &fmt_num(sum)]);
        ctx.push(
            F::fail("TXT-PARTS", format!("{sec}:L{line}"), m)
                .expected(fmt_num(t))
                .actual(fmt_num(sum))
                .quote(quote)
                .line(Some(line)),
        );
    }
}

/// TXT-T2 (info): prose counts of 规章 / 规范性文件 against table 2 (一).
fn txt_t2(ctx: &mut Ctx, texts: &Texts) {
    if !ctx.on("TXT-T2") {
        return;
    }
    // The document word, a few words (共, 的件数为, 现行有效), then the count:
    // "现行有效行政规范性文件698件", "制发的规范性文件共88件", "规范性文件现行有效698件".
    static DOC: LazyLock<Regex> =
        LazyLock::new(|| re(r"(规章|行政规范性文件|规范性文件)([^，。；：、\d]{0,10}?)NUM件"));
    let f2019 = ctx.template == Template::F2019;
    let mut hits = Vec::new();
    for area in texts.t2_areas() {
        let p = area.prose;
        let text = &p.text[area.start..area.end];
        for c in DOC.captures_iter(text) {
            let (Some(m), Some(kind), Some(gap), Some(n)) =
                (c.get(0), c.get(1), c.get(2), c.get(3))
            else {
                continue;
            };
            // "规章和规范性文件共15件" counts both: not one row of table 2.
            if ["规章", "规范性文件"]
                .iter()
                .any(|w| gap.as_str().contains(w))
            {
                continue;
            }
            let Some(v) = parse_number(n.as_str()) else {
                continue;
            };
            let abs = area.start + m.start();
            let (s, _) = p.sentence(abs, abs);
            let clause_start = p.text[s..abs].rfind('，').map_or(s, |i| s + i);
            let before: String = p.text[clause_start..abs]
                .chars()
                .rev()
                .take(14)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let before = format!("{before}{}", gap.as_str());
            // A count in force, issued or repealed is table 2's however the sentence goes on
            // (清理后现行有效…, 集中发布现行有效…); other counts of documents reviewed, filed
            // or cleaned up are not.
            let strong = ["现行有效", "制发", "废止"]
                .iter()
                .any(|w| before.contains(w));
            if !strong
                && ["备案", "清理", "审查", "修改", "解读", "征求"]
                    .iter()
                    .any(|w| before.contains(w))
            {
                continue;
            }
            let col = if before.contains("现行有效") {
                if f2019 {
                    "public_total"
                } else {
                    "in_force"
                }
            } else if before.contains("废止") {
                if f2019 {
                    continue;
                } else {
                    "repealed"
                }
            } else if ["制发", "制定", "出台", "印发", "制作"]
                .iter()
                .any(|w| before.contains(w))
            {
                if f2019 {
                    "made"
                } else {
                    "issued"
                }
            } else if before.contains("公开") || before.contains("发布") {
                if f2019 {
                    "published"
                } else {
                    "issued"
                }
            } else {
                continue;
            };
            let row = match (kind.as_str(), f2019) {
                ("规章", _) => "a1.规章",
                (_, true) => "a1.规范性文件",
                (_, false) => "a1.行政规范性文件",
            };
            let key = CellKey {
                table: TableId::T2,
                row,
                col,
            };
            let Some(table) = num(ctx, &key) else {
                continue;
            };
            if !close(table, v) {
                let line = p.line_at(area.start + n.start());
                hits.push((
                    area.section.clone(),
                    line,
                    kind.as_str().to_string(),
                    v,
                    col,
                    table,
                    key,
                    p.quote(abs, area.start + m.end()),
                ));
            }
        }
    }
    for (sec, line, kind, v, col, table, key, quote) in hits {
        let m = ctx.tr(
            "TXT-T2",
            &[
                &kind,
                &fmt_num(v),
                &ctx.label(&format!("t2.{col}")),
                &fmt_num(table),
            ],
        );
        ctx.push(
            F::fail("TXT-T2", format!("{sec}:L{line}"), m)
                .expected(fmt_num(table))
                .actual(fmt_num(v))
                .quote(quote)
                .line(Some(line))
                .cells(vec![key]),
        );
    }
}

/// All prose of the report, whitespace removed.
fn full_text(ctx: &Ctx) -> String {
    let r = ctx.report;
    let mut all: String = r.preamble.iter().map(|l| l.text.as_str()).collect();
    for s in &r.sections {
        all.push_str(&s.text());
    }
    all.chars().filter(|c| !c.is_whitespace()).collect()
}

/// TXT-FEE-21: a statement on 信息处理费 (collected, or none).
fn txt_fee_21(ctx: &mut Ctx) {
    if !ctx.on("TXT-FEE-21") {
        return;
    }
    let all = full_text(ctx);
    let stated = ["处理费", "收取费用", "收费", "未收取", "不收取"]
        .iter()
        .any(|w| all.contains(w));
    if !stated {
        let m = ctx.tr("TXT-FEE-21", &[]);
        let line = ctx.report.section("S6").map(|s| s.line);
        ctx.push(
            F::fail("TXT-FEE-21", "S6", m)
                .expected("信息处理费")
                .actual("—")
                .line(line),
        );
    }
}

/// TXT-YEAR: title year = report year; no malformed years (`202020年`).
fn txt_year(ctx: &mut Ctx) {
    if !ctx.on("TXT-YEAR") {
        return;
    }
    static TITLE_YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\d{4})\s*年").expect("year"));
    static BAD_YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|[^\d.\-])(\d{5,8})年").expect("bad year"));
    if let (Some(title), Some(year)) = (&ctx.report.title, ctx.report.year) {
        if let Some(c) = TITLE_YEAR.captures(title) {
            if let Some(ty) = c.get(1).and_then(|m| m.as_str().parse::<i32>().ok()) {
                if ty != year {
                    let m = ctx.tr("TXT-YEAR.title", &[&ty.to_string(), &year.to_string()]);
                    ctx.push(
                        F::fail("TXT-YEAR", "META.title", m)
                            .expected(year.to_string())
                            .actual(ty.to_string())
                            .quote(title.clone()),
                    );
                }
            }
        }
    }
    // 总体情况 and 五 usually open with the report year ("2024年，…"); last year's opening
    // left in place is a copy-paste slip.
    static OPENING_YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[^。；]{0,12}?(\d{4})年").expect("opening year"));
    if let Some(year) = ctx.report.year {
        let mut slips = Vec::new();
        for id in ["S1", "S5"] {
            let Some(sec) = ctx.report.section(id) else {
                continue;
            };
            let p = Prose::from_lines(&sec.lines);
            let Some(c) = OPENING_YEAR.captures(&p.text) else {
                continue;
            };
            let Some(m) = c.get(1) else { continue };
            let Ok(y) = m.as_str().parse::<i32>() else {
                continue;
            };
            if y != year {
                slips.push((id, y, p.line_at(m.start()), p.quote(m.start(), m.end())));
            }
        }
        for (id, y, line, quote) in slips {
            let m = ctx.tr("TXT-YEAR.opening", &[&y.to_string(), &year.to_string()]);
            ctx.push(
                F::fail("TXT-YEAR", format!("{id}:L{line}"), m)
                    .expected(year.to_string())
                    .actual(y.to_string())
                    .quote(quote)
                    .line(Some(line)),
            );
        }
    }
    let r = ctx.report;
    let p = Prose::of_lines(
        r.preamble
            .iter()
            .chain(r.sections.iter().flat_map(|s| &s.lines)),
    );
    let hits: Vec<(String, usize, String)> = BAD_YEAR
        .captures_iter(&p.text)
        .filter_map(|c| {
            let m = c.get(1)?;
            Some((
                format!("{}年", m.as_str()),
                p.line_at(m.start()),
                p.quote(m.start(), m.end()),
            ))
        })
        .collect();
    for (y, line, quote) in hits {
        let m = ctx.tr("TXT-YEAR.malformed", &[&y]);
        let sec = section_of_line(ctx, line);
        ctx.push(
            F::fail("TXT-YEAR", format!("{sec}:L{line}"), m)
                .actual(y)
                .quote(quote)
                .line(Some(line)),
        );
    }
}

/// The section id holding a source line (`P` for the preamble).
pub fn section_of_line(ctx: &Ctx, line: usize) -> String {
    ctx.report
        .sections
        .iter()
        .rfind(|s| s.line <= line)
        .and_then(|s| s.id.clone())
        .unwrap_or_else(|| "P".into())
}

/// The figures of one kind in a report (for tests and the TUI).
pub fn extract(ctx: &Ctx, kind: Kind) -> Vec<Fact> {
    let texts = Texts::new(ctx);
    let areas = match kind {
        Kind::Review | Kind::Litig => texts.review_areas(),
        _ => texts.app_areas(),
    };
    facts(&areas, &[kind])
}
