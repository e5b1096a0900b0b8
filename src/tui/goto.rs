//! Choosers that jump: `:` to a cell of the open report by its key or its labels
//! (`T3.R3_7.C1`, `总计 自然人`), `o` to any report of the batch by agency, issuer or file
//! name from any screen (with the list's matcher: hanzi, pinyin, initials). The query is
//! typed as in the search prompt; `↑`/`↓` choose, `Enter` goes, `Esc` cancels.
//!
//! The report chooser's query is matched as the list's filter is: a large batch on the
//! matcher worker (its best matches so far shown as they come, results of an older query
//! dropped), so typing never waits for it.

use super::action::{Action, Effect};
use super::filter::{FilterChunk, FilterJob, Purpose};
use super::layout::{cell_at, ReportLayout, TABLE_IDS};
use super::state::{Item, Overlay, State};
use crate::model::Report;
use std::sync::Arc;

/// Most candidates a chooser lists.
pub const MAX_SHOWN: usize = 200;

/// What the chooser jumps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Cell {
        tid: &'static str,
        row: usize,
        col: usize,
    },
    Report(usize),
}

/// One line of the chooser: what it says and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub text: String,
    /// Shown dim after the text (the cell key and value; the report's file).
    pub detail: String,
    pub target: Target,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GotoKind {
    Cell,
    Report,
}

/// The open chooser: its query and the candidates matching it, best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goto {
    pub kind: GotoKind,
    pub query: String,
    pub shown: Vec<Candidate>,
    /// How many matched in all (only the first [`MAX_SHOWN`] are listed).
    pub matched: usize,
    pub selected: usize,
    /// The report chooser's query is still being matched (what is shown is so far).
    pub searching: bool,
    /// Generation of the query whose matches are coming (`State::goto_gen`).
    gen: u64,
    /// No match of the current query has arrived yet: the previous query's are shown.
    fresh: bool,
    /// The best matches so far (score, item id), best first, at most [`MAX_SHOWN`].
    best: Vec<(i64, usize)>,
}

impl Goto {
    fn new(kind: GotoKind) -> Goto {
        Goto {
            kind,
            query: String::new(),
            shown: Vec::new(),
            matched: 0,
            selected: 0,
            searching: false,
            gen: 0,
            fresh: false,
            best: Vec::new(),
        }
    }

    /// Take in matches of the report chooser's query; `false` when they belong to an older
    /// query (dropped).
    fn take(&mut self, chunk: FilterChunk, items: &[Item]) -> bool {
        if self.kind != GotoKind::Report || chunk.gen != self.gen {
            return false;
        }
        if self.fresh {
            self.fresh = false;
            self.best.clear();
            self.matched = 0;
        }
        let chosen = self.shown.get(self.selected).map(|c| c.target.clone());
        self.matched += chunk.hits.len();
        self.best
            .extend(chunk.hits.into_iter().map(|h| (h.score, h.id)));
        // Best first; of equal scores the first report of the batch.
        self.best
            .sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.best.truncate(MAX_SHOWN);
        self.shown = self
            .best
            .iter()
            .filter_map(|&(_, id)| items.get(id).map(report_candidate))
            .collect();
        // The chosen line stays chosen while better matches arrive above it.
        self.selected = chosen
            .and_then(|t| self.shown.iter().position(|c| c.target == t))
            .unwrap_or(self.selected)
            .min(self.shown.len().saturating_sub(1));
        if chunk.done {
            self.searching = false;
        }
        true
    }
}

/// The chooser's line for a report: its name, year and issuer, with its file.
fn report_candidate(i: &Item) -> Candidate {
    let year = i.year().map(|y| format!(" {y}")).unwrap_or_default();
    let issuer = i
        .report
        .as_ref()
        .and_then(|r| r.issuer.clone())
        .filter(|s| *s != i.name)
        .map(|s| format!("  ({s})"))
        .unwrap_or_default();
    Candidate {
        text: format!("{}{year}{issuer}", i.name),
        detail: i.file.clone(),
        target: Target::Report(i.id),
    }
}

/// Every cell of a report's tables, in printed order: `表三 （七）总计 / 自然人`, with key and
/// value.
pub fn cells(report: &Report, layout: &ReportLayout, zh: bool) -> Vec<Candidate> {
    let mut out = Vec::new();
    for tid in TABLE_IDS {
        let (Some(t), Some(table)) = (layout.table(tid), report.table(tid)) else {
            continue;
        };
        let name = match (tid, zh) {
            ("T2", true) => "表二",
            ("T3", true) => "表三",
            ("T4", true) => "表四",
            ("T2", false) => "Table 2",
            ("T3", false) => "Table 3",
            _ => "Table 4",
        };
        for (r, row) in t.grid.rows.iter().enumerate() {
            for (c, head) in t.grid.header(r).iter().enumerate() {
                let Some(cell) = cell_at(&t.grid, table, r, c) else {
                    continue;
                };
                let col = if head.full.is_empty() {
                    &head.short
                } else {
                    &head.full
                };
                out.push(Candidate {
                    text: format!("{name} {} / {col}", row.label),
                    detail: format!("{}  {}", cell.key, cell.value.raw),
                    target: Target::Cell {
                        tid,
                        row: r,
                        col: c,
                    },
                });
            }
        }
    }
    out
}

/// Whether every word of the query is in the text or the detail (case aside).
fn all_words(c: &Candidate, query: &str) -> bool {
    let hay = format!("{} {}", c.text, c.detail).to_lowercase();
    query
        .split_whitespace()
        .all(|w| hay.contains(&w.to_lowercase()))
}

impl State {
    /// `:` in a report: choose a cell.
    pub(crate) fn open_goto_cell(&mut self) {
        if self
            .report_view()
            .is_some_and(|v| v.layout.tables.iter().any(Option::is_some))
        {
            let mut g = Goto::new(GotoKind::Cell);
            self.fill_goto(&mut g);
            self.overlays.push(Overlay::Goto(Box::new(g)));
        } else {
            self.notice = Some(
                self.t("这份报告没有表格", "this report has no tables")
                    .into(),
            );
        }
    }

    /// `o` anywhere: choose a report.
    pub(crate) fn open_goto_report(&mut self) {
        let mut g = Goto::new(GotoKind::Report);
        self.fill_goto(&mut g);
        self.overlays.push(Overlay::Goto(Box::new(g)));
    }

    /// The candidates of the chooser's query (for the report chooser of a large batch, the
    /// query is queued for the matcher worker and its matches arrive in `apply_goto_matches`).
    fn fill_goto(&mut self, g: &mut Goto) {
        if g.kind == GotoKind::Report {
            return self.match_reports(g);
        }
        let all: Vec<Candidate> = match self.report_view() {
            Some(v) => match v.report.as_deref() {
                Some(r) => cells(r, &v.layout, self.lang == crate::i18n::Lang::Zh)
                    .into_iter()
                    .filter(|c| all_words(c, &g.query))
                    .collect(),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        g.matched = all.len();
        g.shown = all.into_iter().take(MAX_SHOWN).collect();
        g.selected = g.selected.min(g.shown.len().saturating_sub(1));
    }

    /// The list's matcher, over every report of the batch (filters aside).
    fn match_reports(&mut self, g: &mut Goto) {
        self.goto_gen += 1;
        g.gen = self.goto_gen;
        g.fresh = true;
        g.searching = true;
        let job = FilterJob {
            purpose: Purpose::Goto,
            gen: g.gen,
            query: g.query.clone(),
            order: Arc::new((0..self.items.len()).collect()),
            keys: self.search_keys(),
        };
        // A blank query matches every report equally: the first ones, at once.
        if g.query.chars().all(char::is_whitespace) {
            let hits = (0..self.items.len())
                .map(|id| super::filter::Hit {
                    id,
                    score: 0,
                    positions: Vec::new(),
                })
                .collect();
            let total = self.items.len();
            g.take(
                FilterChunk {
                    purpose: Purpose::Goto,
                    gen: g.gen,
                    hits,
                    scanned: total,
                    total,
                    done: true,
                },
                &self.items,
            );
            return;
        }
        if job.order.len() <= self.inline_filter_limit {
            job.run(
                &self.matcher,
                std::time::Duration::MAX,
                || false,
                |c| g.take(c, &self.items),
            );
        } else {
            self.queue_job(job);
        }
    }

    /// Matches of the report chooser's query from the matcher worker (dropped when the
    /// chooser is closed or its query changed since).
    pub(crate) fn apply_goto_matches(&mut self, chunk: FilterChunk) {
        let Some(Overlay::Goto(g)) = self
            .overlays
            .iter_mut()
            .rev()
            .find(|o| matches!(o, Overlay::Goto(_)))
        else {
            return;
        };
        g.take(chunk, &self.items);
    }

    /// Keys while a chooser is open.
    pub(crate) fn update_goto(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Goto(g)) = self.overlays.last_mut() else {
            return vec![];
        };
        let mut g = g.clone();
        let typed = matches!(
            action,
            Action::FilterChar(_) | Action::Paste(_) | Action::FilterBackspace
        );
        match action {
            Action::FilterChar(c) => g.query.push(c),
            Action::Paste(p) => g.query.push_str(&super::width::clean(&p)),
            Action::FilterBackspace => {
                g.query.pop();
            }
            Action::MoveDown => {
                g.selected = (g.selected + 1).min(g.shown.len().saturating_sub(1));
            }
            Action::MoveUp => g.selected = g.selected.saturating_sub(1),
            Action::FilterCancel | Action::Back => {
                self.overlays.pop();
                return vec![];
            }
            Action::FilterAccept => {
                self.overlays.pop();
                match g.shown.get(g.selected).map(|c| c.target.clone()) {
                    Some(t) => self.go_to(t),
                    None => {
                        self.notice = Some(self.t("没有可跳转的项", "nothing matches").into());
                    }
                }
                return vec![];
            }
            _ => return vec![],
        }
        if typed {
            g.selected = 0;
            self.fill_goto(&mut g);
        }
        if let Some(Overlay::Goto(slot)) = self.overlays.last_mut() {
            **slot = *g;
        }
        vec![]
    }

    fn go_to(&mut self, target: Target) {
        match target {
            Target::Report(id) => self.open(id),
            Target::Cell { tid, row, col } => {
                let d = self.dims();
                if let Some(v) = self.report_view_mut() {
                    v.show_table_cell(tid, row, Some(col), d);
                }
            }
        }
    }
}
