//! The year-over-year compare screen: state and logic (drawing in `views/compare.rs`).
//!
//! Opened from a report (or the list) with `p`: this year's report beside the same agency's
//! previous year in the batch. Three tabs: the table (`指标 | 上年 | 本年 | 变化 | 变化%` for
//! every cell, from [`crate::compare::compare`]), the sentences of parts 一/五/六 repeated
//! from last year (the check engine's own splitting and boilerplate removal), and the trend of
//! key figures when the agency has three or more years in the batch.
//!
//! Pairing is the batch's ([`crate::batch::pairing`]: exact key, a unique suffix, a fuzzy
//! match), with the auditor's choice on top, kept in `DIR/.report-review/pairings.json`
//! ([`crate::batch::pairings_file`]).

use super::action::{Action, Effect};
use super::layout::{compare_table_rows, label_col, label_lines, repeated_extent};
use super::state::{Item, Overlay, Screen, State};
use crate::batch::pairing::{self, match_name};
use crate::batch::pairings_file::{self as pairings, Pairings};
use crate::check::{self, Finding, Outcome, Severity};
use crate::compare::{compare, repetition, trend, CompareRow, Comparison, Repetition, TrendSeries};
pub use crate::compare::{Repeated, BRIDGE_NOTE_EN, BRIDGE_NOTE_ZH};
use crate::i18n::Lang;
use crate::model::Report;
use std::path::PathBuf;

pub use crate::batch::pairing::{fuzzy_score, PairHow, FUZZY_MIN};

/// Tabs of the compare screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareTab {
    Table,
    Repeated,
    Trend,
}

/// The pick-a-pairing list: previous-year candidates with fuzzy scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    /// (item id, score); `None` item = "no previous year".
    pub candidates: Vec<(Option<usize>, i64)>,
    pub cursor: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompareView {
    pub cur: usize,
    pub prev: Option<usize>,
    pub how: Option<PairHow>,
    pub tab: CompareTab,
    pub comparison: Option<Comparison>,
    /// Cross-year findings of this pair (X-…), computed for the pair shown.
    pub findings: Vec<Finding>,
    pub show_zero: bool,
    /// Text typed after `/`: only rows whose label or key hold it.
    pub text: String,
    /// Cursor and scroll over the visible rows of the table tab.
    pub cursor: usize,
    pub offset: usize,
    /// Scroll of the repeated-sentences tab.
    pub scroll: usize,
    pub repetition: Repetition,
    /// Years of the agency in the batch (item ids, oldest first).
    pub years: Vec<(i32, usize)>,
    pub trend: Vec<TrendSeries>,
}

/// What the compare screen keeps across openings: the batch directory, the choices and the
/// rule configuration the batch was checked with.
#[derive(Debug, Clone, Default)]
pub struct CompareState {
    pub dir: Option<PathBuf>,
    pub pairings: Pairings,
    pub config: check::Config,
}

fn key_of(item: &Item) -> &str {
    item.report.as_deref().map_or("", match_name)
}

/// Previous-year candidates for `cur`, best first: (item id, fuzzy score, 0 if none).
pub fn candidates(items: &[Item], cur: usize) -> Vec<(usize, i64)> {
    let Some(year) = items.get(cur).and_then(|i| i.year()) else {
        return Vec::new();
    };
    let key = key_of(&items[cur]);
    let mut out: Vec<(usize, i64)> = items
        .iter()
        .filter(|i| i.year() == Some(year - 1) && i.report.is_some())
        .map(|i| (i.id, fuzzy_score(key, key_of(i)).unwrap_or(0)))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// The file name a pairing is stored under: the path relative to the batch directory.
pub fn file_key(dir: Option<&std::path::Path>, item: &Item) -> String {
    pairings::file_key(dir.unwrap_or(std::path::Path::new("")), &item.path)
}

/// The previous year's report of item `cur`, and how it was found: the auditor's choice, or
/// the batch's pairing over this year's report and the previous year's.
pub fn find_pair(
    items: &[Item],
    cur: usize,
    dir: Option<&std::path::Path>,
    choices: &Pairings,
) -> Option<(usize, PairHow)> {
    let item = items.get(cur)?;
    let report = item.report.as_deref()?;
    if let Some(choice) = choices.pairs.get(&file_key(dir, item)) {
        return match &choice.prev {
            None => None,
            Some(p) => items
                .iter()
                .find(|i| i.report.is_some() && file_key(dir, i) == *p)
                .map(|i| (i.id, PairHow::Manual)),
        };
    }
    let year = report.year?;
    let mut refs: Vec<(usize, &Report)> = vec![(cur, report)];
    refs.extend(
        items
            .iter()
            .filter(|i| i.year() == Some(year - 1))
            .filter_map(|i| i.report.as_deref().map(|r| (i.id, r))),
    );
    pairing::prev_of(&refs, cur)
}

/// How a cross-year finding marks a compare row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowMark {
    /// The finding's location.
    At,
    /// An operand of the finding (this year's or last year's cell).
    Operand,
}

/// Cross-year findings that point at a row, with how.
pub fn row_findings<'a>(findings: &'a [Finding], row: &CompareRow) -> Vec<(&'a Finding, RowMark)> {
    let pk = row.prev_key.as_deref().unwrap_or(&row.key);
    findings
        .iter()
        .filter_map(|f| {
            if f.location == row.key {
                Some((f, RowMark::At))
            } else if f
                .cells
                .iter()
                .any(|c| *c == row.key || crate::model::key::strip_prev(c) == Some(pk))
            {
                Some((f, RowMark::Operand))
            } else {
                None
            }
        })
        .collect()
}

/// Glyph of a row's most serious finding: `✗` error, `!` warning, `i` info (at the cell),
/// `*` operand.
pub fn mark_glyph(findings: &[(&Finding, RowMark)]) -> Option<(&'static str, Severity)> {
    let at = findings
        .iter()
        .filter(|(f, m)| *m == RowMark::At && f.outcome == Outcome::Fail)
        .map(|(f, _)| f.severity)
        .min();
    if let Some(s) = at {
        let g = match s {
            Severity::Error => "✗",
            Severity::Warning => "!",
            Severity::Info => "i",
        };
        return Some((g, s));
    }
    findings
        .iter()
        .filter(|(f, _)| f.outcome == Outcome::Fail)
        .map(|(f, _)| f.severity)
        .min()
        .map(|s| ("*", s))
}

/// Whether a compare row's label or keys hold `text` (any case).
fn row_holds_text(r: &CompareRow, text: &str) -> bool {
    let text = text.trim().to_lowercase();
    text.is_empty()
        || [Some(&r.label), Some(&r.key), r.prev_key.as_ref()]
            .into_iter()
            .flatten()
            .any(|s| s.to_lowercase().contains(&text))
}

impl CompareView {
    /// Indices into `comparison.rows` shown: zero-in-both rows hidden unless toggled (rows
    /// with a finding always shown).
    pub fn visible(&self) -> Vec<usize> {
        let Some(c) = &self.comparison else {
            return Vec::new();
        };
        c.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                self.show_zero || !r.is_zero_both() || !row_findings(&self.findings, r).is_empty()
            })
            .filter(|(_, r)| row_holds_text(r, &self.text))
            .map(|(i, _)| i)
            .collect()
    }

    /// The row at the cursor.
    pub fn current(&self) -> Option<&CompareRow> {
        let vis = self.visible();
        let i = *vis.get(self.cursor.min(vis.len().saturating_sub(1)))?;
        self.comparison.as_ref()?.rows.get(i)
    }

    /// Findings not tied to any row (X-TPL-SEQ on the template, X-IDENTITY, prose rules).
    pub fn unplaced(&self) -> Vec<&Finding> {
        let Some(c) = &self.comparison else {
            return self.findings.iter().collect();
        };
        self.findings
            .iter()
            .filter(|f| {
                !c.rows
                    .iter()
                    .any(|r| !row_findings(std::slice::from_ref(f), r).is_empty())
            })
            .collect()
    }
}

/// The repeated-sentences tab's headline: the overall rate and each part's (its wrapped
/// height bounds the scroll, so `update` and the view build it the same way).
pub fn repeated_headline(rep: &Repetition, lang: Lang) -> String {
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    let mut head = format!(
        "{} {}",
        match lang {
            Lang::Zh => "一、五、六部分重复率（去除套话）",
            Lang::En => "repetition of parts 一/五/六 (boilerplate removed)",
        },
        pct(rep.overall)
    );
    for (s, r) in &rep.per_section {
        head.push_str(&format!("  · {s} {}", pct(*r)));
    }
    head
}

/// Cross-year findings shown above the repeated sentences.
pub fn is_repetition_rule(f: &Finding) -> bool {
    f.rule == "X-DUP" || f.rule == "X-PROBLEMS-REPEAT"
}

impl State {
    /// Open the compare screen for item `id`.
    pub fn open_compare(&mut self, id: usize) -> Vec<Effect> {
        let Some(item) = self.items.get(id) else {
            return vec![];
        };
        if item.report.is_none() {
            self.notice = Some(
                self.t(
                    "无法读取的报告不能比较",
                    "an unreadable report cannot be compared",
                )
                .into(),
            );
            return vec![];
        }
        let mut view = CompareView {
            cur: id,
            prev: None,
            how: None,
            tab: CompareTab::Table,
            comparison: None,
            findings: Vec::new(),
            show_zero: false,
            text: String::new(),
            cursor: 0,
            offset: 0,
            scroll: 0,
            repetition: Repetition::default(),
            years: Vec::new(),
            trend: Vec::new(),
        };
        view.years = self.agency_years(id);
        // Every year's report, read from its file (the list keeps no tables).
        let opened: Vec<(i32, std::sync::Arc<Report>)> = view
            .years
            .iter()
            .filter_map(|&(y, i)| self.open_report(i).map(|r| (y, r)))
            .collect();
        let reports: Vec<(i32, &Report)> = opened.iter().map(|(y, r)| (*y, &**r)).collect();
        view.trend = trend(&reports);
        self.push_screen(Screen::Compare(Box::new(view)));
        let pair = find_pair(
            &self.items,
            id,
            self.compare.dir.as_deref(),
            &self.compare.pairings,
        );
        self.set_pair(pair);
        vec![]
    }

    /// Show the comparison with `pair` as last year.
    fn set_pair(&mut self, pair: Option<(usize, PairHow)>) {
        let lang = self.lang;
        let Some(cur_id) = self.compare_view().map(|v| v.cur) else {
            return;
        };
        let cur = self.open_report(cur_id);
        let prev = pair.and_then(|(p, _)| self.open_report(p));
        let Screen::Compare(v) = &mut self.screen else {
            return;
        };
        v.prev = pair.map(|p| p.0);
        v.how = pair.map(|p| p.1);
        v.cursor = 0;
        v.offset = 0;
        v.comparison = None;
        v.findings.clear();
        v.repetition = Repetition::default();
        if let (Some(prev), Some(cur)) = (prev, cur) {
            v.comparison = Some(compare(&prev, &cur));
            let mut fs: Vec<Finding> = check::check_pair(&prev, &cur, &self.compare.config, lang)
                .into_iter()
                .filter(|f| f.rule.starts_with("X-"))
                .collect();
            fs.iter_mut().for_each(crate::batch::clean_finding);
            v.findings = fs;
            v.repetition = repetition(&prev, &cur);
        }
    }

    /// Years of the agency of `id` in the batch, oldest first, following the pairings back
    /// and forward.
    fn agency_years(&self, id: usize) -> Vec<(i32, usize)> {
        let dir = self.compare.dir.as_deref();
        let ch = &self.compare.pairings;
        let mut chain = vec![id];
        let mut at = id;
        while let Some((p, _)) = find_pair(&self.items, at, dir, ch) {
            if chain.contains(&p) || chain.len() > 50 {
                break;
            }
            chain.insert(0, p);
            at = p;
        }
        let mut at = id;
        'fwd: while chain.len() <= 50 {
            let Some(y) = self.items[at].year() else {
                break;
            };
            let key = key_of(&self.items[at]);
            // Cheap test first: only names that could pair (or a saved choice) are paired
            // for real, so a large batch stays quick.
            let maybe = |i: &&Item| {
                i.year() == Some(y + 1)
                    && (pairing::same_agency(key, key_of(i))
                        || pairing::same_core(key, key_of(i))
                        || ch.pairs.contains_key(&file_key(dir, i)))
            };
            for i in self.items.iter().filter(maybe) {
                if find_pair(&self.items, i.id, dir, ch).map(|p| p.0) == Some(at) {
                    chain.push(i.id);
                    at = i.id;
                    continue 'fwd;
                }
            }
            break;
        }
        chain
            .into_iter()
            .filter_map(|i| self.items[i].year().map(|y| (y, i)))
            .collect()
    }

    pub fn update_compare(&mut self, action: Action) -> Vec<Effect> {
        let Some(view) = self.compare_view().cloned() else {
            self.pop_screen();
            return vec![];
        };
        if matches!(self.overlay(), Some(Overlay::Pairing(_))) {
            return self.update_picker(action);
        }
        let rows = compare_table_rows(self.dims());
        let d = self.dims();
        let vis = view.visible();
        let n = vis.len();
        match action {
            Action::Back => {
                self.pop_screen();
                return vec![];
            }
            Action::OpenCompare => {}
            // Follow-up mark on the cell of the row at the cursor.
            Action::ToggleMark => return self.mark(),
            Action::NextReport
            | Action::PrevReport
            | Action::NextFailing
            | Action::PrevFailing
            | Action::NextWarning
            | Action::PrevWarning => {
                // Step on the screen below (report or list) as it steps, and compare the
                // report stepped to.
                self.pop_screen();
                let effects = self.update(action);
                let id = match &self.screen {
                    Screen::Report(v) => Some(v.item),
                    _ => self.selected,
                };
                if let Some(id) = id {
                    let notice = self.notice.take();
                    self.open_compare(id);
                    self.notice = notice.or(self.notice.take());
                    if let Screen::Compare(v) = &mut self.screen {
                        v.tab = view.tab;
                        v.show_zero = view.show_zero;
                    }
                }
                return effects;
            }
            Action::NextTab | Action::PrevTab => {
                let tabs = [CompareTab::Table, CompareTab::Repeated, CompareTab::Trend];
                let i = tabs.iter().position(|t| *t == view.tab).unwrap_or(0);
                let j = if action == Action::NextTab {
                    (i + 1) % 3
                } else {
                    (i + 2) % 3
                };
                if let Screen::Compare(v) = &mut self.screen {
                    v.tab = tabs[j];
                }
            }
            Action::ChoosePairing => {
                let mut cands: Vec<(Option<usize>, i64)> = candidates(&self.items, view.cur)
                    .into_iter()
                    .map(|(i, s)| (Some(i), s))
                    .collect();
                cands.push((None, 0));
                let cursor = cands
                    .iter()
                    .position(|c| c.0 == view.prev)
                    .unwrap_or(cands.len() - 1);
                self.overlays.push(Overlay::Pairing(Picker {
                    candidates: cands,
                    cursor,
                }));
            }
            Action::ToggleZeros => {
                let cur_key = view.current().map(|r| r.key.clone());
                if let Screen::Compare(v) = &mut self.screen {
                    v.show_zero = !v.show_zero;
                    let vis = v.visible();
                    let rows_ = &v
                        .comparison
                        .as_ref()
                        .map(|c| c.rows.clone())
                        .unwrap_or_default();
                    v.cursor = cur_key
                        .and_then(|k| vis.iter().position(|&i| rows_[i].key == k))
                        .unwrap_or(0);
                }
                self.notice = Some(
                    if view.show_zero {
                        self.t("已隐藏两年均为 0 的行", "rows zero in both years hidden")
                    } else {
                        self.t("显示两年均为 0 的行", "showing rows zero in both years")
                    }
                    .into(),
                );
            }
            Action::NextDiff | Action::PrevDiff | Action::NextFinding | Action::PrevFinding
                if view.tab == CompareTab::Table =>
            {
                let Some(c) = &view.comparison else {
                    return vec![];
                };
                let forward = matches!(action, Action::NextDiff | Action::NextFinding);
                let diff = matches!(action, Action::NextDiff | Action::PrevDiff);
                let hit = |i: usize| {
                    let r = &c.rows[vis[i]];
                    if diff {
                        r.differs()
                    } else {
                        row_findings(&view.findings, r)
                            .iter()
                            .any(|(f, m)| *m == RowMark::At && f.outcome == Outcome::Fail)
                    }
                };
                let cur = view.cursor.min(n.saturating_sub(1));
                let found = if forward {
                    (cur + 1..n).find(|&i| hit(i))
                } else {
                    (0..cur).rev().find(|&i| hit(i))
                };
                match found {
                    Some(i) => {
                        if let Screen::Compare(v) = &mut self.screen {
                            v.cursor = i;
                        }
                    }
                    None => {
                        self.notice = Some(
                            match (diff, forward) {
                                (true, true) => self.t("后面没有变化的行了", "no later difference"),
                                (true, false) => {
                                    self.t("前面没有变化的行了", "no earlier difference")
                                }
                                (false, true) => {
                                    self.t("后面没有跨年发现了", "no later cross-year finding")
                                }
                                (false, false) => {
                                    self.t("前面没有跨年发现了", "no earlier cross-year finding")
                                }
                            }
                            .into(),
                        )
                    }
                }
            }
            Action::Copy => {
                if let Some(r) = view.current() {
                    let f = |x: Option<f64>| x.map_or("—".to_string(), check::fmt_num);
                    let text = format!(
                        "{} {}: {} → {} ({})",
                        self.items[view.cur].name,
                        r.label,
                        f(r.prev),
                        f(r.cur),
                        f(r.delta)
                    );
                    self.notice = Some(
                        self.t(
                            "已发送到终端剪贴板（OSC 52）",
                            "sent to the clipboard (OSC 52)",
                        )
                        .into(),
                    );
                    return vec![Effect::Copy(text)];
                }
            }
            Action::MoveDown
            | Action::MoveUp
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom => {
                let repeated_max = if view.tab == CompareTab::Repeated {
                    let (head, body) = repeated_extent(
                        &repeated_headline(&view.repetition, self.lang),
                        view.findings
                            .iter()
                            .filter(|f| is_repetition_rule(f))
                            .count(),
                        view.repetition
                            .sentences
                            .iter()
                            .map(|s| s.sentence.as_str()),
                        d.width as usize,
                    );
                    body.saturating_sub(d.body_rows.saturating_sub(head))
                } else {
                    0
                };
                let Screen::Compare(v) = &mut self.screen else {
                    return vec![];
                };
                match v.tab {
                    CompareTab::Table => {
                        if n == 0 {
                            return vec![];
                        }
                        v.cursor = match action {
                            Action::MoveDown => (v.cursor + 1).min(n - 1),
                            Action::MoveUp => v.cursor.saturating_sub(1),
                            Action::PageDown => (v.cursor + rows).min(n - 1),
                            Action::PageUp => v.cursor.saturating_sub(rows),
                            Action::Top => 0,
                            _ => n - 1,
                        };
                    }
                    _ => {
                        let max = match v.tab {
                            CompareTab::Repeated => repeated_max,
                            _ => 0,
                        };
                        v.scroll = match action {
                            Action::MoveDown => v.scroll + 1,
                            Action::MoveUp => v.scroll.saturating_sub(1),
                            Action::PageDown => v.scroll + d.body_rows.max(2) - 1,
                            Action::PageUp => v.scroll.saturating_sub(d.body_rows.max(2) - 1),
                            Action::Top => 0,
                            _ => usize::MAX / 2,
                        }
                        .min(max);
                    }
                }
            }
            _ => {}
        }
        self.fix_compare_scroll();
        vec![]
    }

    /// Keep the cursor row (with its whole label) inside the window.
    pub fn fix_compare_scroll(&mut self) {
        let rows = compare_table_rows(self.dims());
        let total = self.size.0 as usize;
        let Screen::Compare(v) = &mut self.screen else {
            return;
        };
        let lw = label_col(v.comparison.as_ref(), total);
        let n = v.visible().len();
        v.cursor = v.cursor.min(n.saturating_sub(1));
        let extra = v.current().map_or(1, |r| label_lines(&r.label, lw)) - 1;
        v.offset = super::width::scroll_to(v.offset, v.cursor, rows.saturating_sub(extra));
    }

    fn update_picker(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Pairing(p)) = self.overlays.last_mut() else {
            return vec![];
        };
        let n = p.candidates.len();
        match action {
            Action::MoveDown => p.cursor = (p.cursor + 1).min(n - 1),
            Action::MoveUp => p.cursor = p.cursor.saturating_sub(1),
            Action::Top => p.cursor = 0,
            Action::Bottom => p.cursor = n - 1,
            Action::Back | Action::ChoosePairing => {
                self.overlays.pop();
            }
            Action::Open => {
                let chosen = p.candidates[p.cursor].0;
                self.overlays.pop();
                let Some(cur) = self.compare_view().map(|v| v.cur) else {
                    return vec![];
                };
                let dir = self.compare.dir.clone();
                let key = file_key(dir.as_deref(), &self.items[cur]);
                let prev_file = chosen.map(|i| file_key(dir.as_deref(), &self.items[i]));
                self.compare.pairings.set(&key, prev_file);
                self.set_pair(chosen.map(|i| (i, PairHow::Manual)));
                self.refresh_cross_year(cur, chosen);
                // Said once the file is written (Msg::PairingsSaved), not before.
                let Some(dir) = dir else {
                    self.notice = Some(self.t("已选择配对", "pairing chosen").into());
                    return vec![];
                };
                return vec![Effect::SavePairings {
                    path: pairings::file(&dir),
                    json: self.compare.pairings.to_json(),
                }];
            }
            _ => {}
        }
        vec![]
    }

    /// Replace the cross-year findings of `cur` by those of the chosen pair.
    fn refresh_cross_year(&mut self, cur: usize, prev: Option<usize>) {
        let fs = self
            .compare_view()
            .map(|v| v.findings.clone())
            .unwrap_or_default();
        let _ = prev;
        if let Some(item) = self.items.get_mut(cur) {
            let mut all: Vec<Finding> = item
                .findings
                .iter()
                .filter(|f| !f.rule.starts_with("X-"))
                .cloned()
                .collect();
            all.extend(fs);
            item.set_findings(all);
        }
        for r in self.report_views_mut().filter(|r| r.item == cur) {
            r.finding = None;
        }
        self.refresh();
    }
}
