//! The follow-up screen (`F`): every follow-up of the batch, filtered and sorted; `Enter`
//! opens the report at the item.

use crate::review::{self, Filter, Mark};
use crate::tui::action::{Action, Effect};
use crate::tui::layout::locate_cell;
use crate::tui::state::{Screen, ScreenKind, State, Tab};
use std::sync::Arc;

/// The follow-up screen's cursor and filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowupScreen {
    pub cursor: usize,
    pub offset: usize,
    pub state: Option<review::State>,
    /// Login user.
    pub reviewer: Option<String>,
    pub rule: Option<String>,
}

impl State {
    /// Marks on the follow-up screen: filtered, ordered by report then item.
    pub fn followup_rows(&self) -> Vec<&Mark> {
        let s = &self.followups.screen;
        let filter = Filter {
            state: s.state,
            reviewer: s.reviewer.clone(),
            rule: s.rule.clone(),
            ..Filter::default()
        };
        let mut rows: Vec<&Mark> = self
            .followups
            .marks
            .values()
            .filter(|m| filter.matches(m))
            .collect();
        rows.sort_by(|a, b| (&a.item.report_key, a.key()).cmp(&(&b.item.report_key, b.key())));
        rows
    }

    /// `F`: open the follow-up screen.
    pub fn open_followups(&mut self) {
        if self.screen() == ScreenKind::Followups {
            return;
        }
        self.push_screen(Screen::Followups);
        self.clamp_followups();
    }

    fn clamp_followups(&mut self) {
        let n = self.followup_rows().len();
        let rows = self.followup_list_rows();
        let s = &mut self.followups.screen;
        s.cursor = s.cursor.min(n.saturating_sub(1));
        s.offset = crate::tui::width::scroll_to(s.offset, s.cursor, rows);
    }

    /// Rows of marks visible on the follow-up screen.
    pub fn followup_list_rows(&self) -> usize {
        (self.size.1 as usize).saturating_sub(8).max(1)
    }

    /// Keys on the follow-up screen.
    pub fn update_followups(&mut self, action: Action) -> Vec<Effect> {
        let n = self.followup_rows().len();
        let page = self.followup_list_rows();
        let s = &mut self.followups.screen;
        match action {
            Action::MoveDown => s.cursor = (s.cursor + 1).min(n.saturating_sub(1)),
            Action::MoveUp => s.cursor = s.cursor.saturating_sub(1),
            Action::PageDown => s.cursor = (s.cursor + page).min(n.saturating_sub(1)),
            Action::PageUp => s.cursor = s.cursor.saturating_sub(page),
            Action::Top => s.cursor = 0,
            Action::Bottom => s.cursor = n.saturating_sub(1),
            Action::CycleStatusFilter => {
                s.state = cycle_opt(&review::State::ALL, s.state.as_ref());
                s.cursor = 0;
            }
            Action::CycleReviewerFilter => {
                let mut who: Vec<String> = self
                    .followups
                    .marks
                    .values()
                    .map(|m| m.os_user.clone())
                    .collect();
                who.sort();
                who.dedup();
                let s = &mut self.followups.screen;
                s.reviewer = cycle_opt(&who, s.reviewer.as_ref());
                s.cursor = 0;
            }
            Action::CycleRuleFilter => {
                let mut rules: Vec<String> = self
                    .followups
                    .marks
                    .values()
                    .filter_map(|m| m.item.rule().map(str::to_string))
                    .collect();
                rules.sort();
                rules.dedup();
                let s = &mut self.followups.screen;
                s.rule = cycle_opt(&rules, s.rule.as_ref());
                s.cursor = 0;
            }
            Action::ClearFilters => {
                s.state = None;
                s.reviewer = None;
                s.rule = None;
            }
            Action::Back => self.pop_screen(),
            Action::Open => self.jump_to_mark(),
            Action::ToggleMark => return self.cycle_mark(),
            _ => {}
        }
        self.clamp_followups();
        vec![]
    }

    /// Enter on the follow-up screen: open the report at the marked item.
    fn jump_to_mark(&mut self) {
        let rows = self.followup_rows();
        let Some(m) = rows.get(self.followups.screen.cursor) else {
            return;
        };
        let item = m.item.clone();
        let Some(id) = self.item_of_report(&item.report_key) else {
            self.notice = Some(
                self.t("本批次中没有该报告", "report not in this batch")
                    .into(),
            );
            return;
        };
        // The report opens as if from the list: back from it is the list.
        let tab = self.report_view().map(|v| v.tab);
        self.stack.clear();
        self.screen = Screen::List;
        self.open_on_tab(id, tab);
        match &item.target {
            review::Target::Finding { rule, location } => {
                if let Some(i) = self.items[id]
                    .findings
                    .iter()
                    .position(|f| &f.rule == rule && &f.location == location)
                {
                    if let Some(v) = self.report_view_mut() {
                        v.tab = Tab::Overview;
                        v.finding = Some(i);
                    }
                }
            }
            review::Target::Cell { key } => {
                let report = self.items[id].report.clone();
                if let Some(r) = report.as_deref() {
                    let tid = crate::model::key::TableId::of(key).map(|t| t.as_str());
                    if let Some(tab) = crate::tui::state::TABLE_IDS
                        .iter()
                        .find(|t| Some(**t) == tid)
                    {
                        let layout = self.report_view().map(|v| Arc::clone(&v.layout));
                        let laid = layout.as_deref().and_then(|l| l.table(tab));
                        if let (Some(table), Some(t)) = (r.table(tab), laid) {
                            if let Some((row, col)) = locate_cell(table, &t.grid, key) {
                                if let Some(v) = self.report_view_mut() {
                                    v.tab = Tab::Table(tab);
                                    let c = v.cursor_mut(tab);
                                    c.row = row;
                                    c.col = col;
                                }
                                self.fix_report_scroll();
                            }
                        }
                    }
                }
            }
            review::Target::Section { .. } => {
                if let Some(v) = self.report_view_mut() {
                    v.tab = Tab::Prose;
                }
            }
            review::Target::Report => {}
        }
    }
}

fn cycle_opt<T: Clone + PartialEq>(options: &[T], cur: Option<&T>) -> Option<T> {
    match cur {
        None => options.first().cloned(),
        Some(c) => {
            let i = options.iter().position(|o| o == c)?;
            options.get(i + 1).cloned()
        }
    }
}
