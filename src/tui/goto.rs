//! Choosers that jump: `:` to a cell of the open report by its key or its labels
//! (`T3.R3_7.C1`, `总计 自然人`), `o` to any report of the batch by agency, issuer or file
//! name from any screen (with the list's matcher: hanzi, pinyin, initials). The query is
//! typed as in the search prompt; `↑`/`↓` choose, `Enter` goes, `Esc` cancels.

use super::action::{Action, Effect};
use super::layout::{cell_at, ReportLayout, TABLE_IDS};
use super::state::{Overlay, State};
use crate::model::Report;

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
            let mut g = Goto {
                kind: GotoKind::Cell,
                query: String::new(),
                shown: Vec::new(),
                matched: 0,
                selected: 0,
            };
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
        let mut g = Goto {
            kind: GotoKind::Report,
            query: String::new(),
            shown: Vec::new(),
            matched: 0,
            selected: 0,
        };
        self.fill_goto(&mut g);
        self.overlays.push(Overlay::Goto(Box::new(g)));
    }

    /// The candidates of the chooser's query.
    fn fill_goto(&self, g: &mut Goto) {
        let all: Vec<Candidate> = match g.kind {
            GotoKind::Cell => match self.report_view() {
                Some(v) => match v.report.as_deref() {
                    Some(r) => cells(r, &v.layout, self.lang == crate::i18n::Lang::Zh)
                        .into_iter()
                        .filter(|c| all_words(c, &g.query))
                        .collect(),
                    None => Vec::new(),
                },
                _ => Vec::new(),
            },
            GotoKind::Report => {
                // The list's matcher, over every report of the batch (filters aside).
                let mut scored: Vec<(i64, usize)> = self
                    .items
                    .iter()
                    .filter_map(|i| {
                        self.matcher
                            .matches(&i.search, &g.query)
                            .map(|m| (m.score, i.id))
                    })
                    .collect();
                scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                scored
                    .into_iter()
                    .map(|(_, id)| {
                        let i = &self.items[id];
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
                            target: Target::Report(id),
                        }
                    })
                    .collect()
            }
        };
        g.matched = all.len();
        g.shown = all.into_iter().take(MAX_SHOWN).collect();
        g.selected = g.selected.min(g.shown.len().saturating_sub(1));
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
