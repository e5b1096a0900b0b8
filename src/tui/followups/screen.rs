//! The follow-up screen (`F`): every follow-up of the batch, filtered and sorted; `Enter`
//! opens the report at the item.

use crate::review::{self, Filter, Mark};
use crate::tui::action::{Action, Effect};
use crate::tui::layout::{locate_cell, ProseRow};
use crate::tui::state::{Screen, ScreenKind, State, Tab};
use std::sync::Arc;

/// The follow-up screen's cursor, filters and sort.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowupScreen {
    pub cursor: usize,
    pub offset: usize,
    pub state: Option<review::State>,
    /// Login user.
    pub reviewer: Option<String>,
    pub rule: Option<String>,
    pub sort: FollowupSort,
    pub reverse: bool,
    /// Text typed after `/`: only marks whose report, place, rule, reviewer or note hold it.
    pub text: String,
}

/// Whether a mark's report, place, rule, reviewer or note holds `text` (any case).
fn mark_holds_text(m: &Mark, text: &str) -> bool {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return true;
    }
    let place = match &m.item.target {
        review::Target::Report => String::new(),
        review::Target::Cell { key } => key.clone(),
        review::Target::Section { id } => id.clone(),
        review::Target::Finding { rule, location } => format!("{rule} {location}"),
    };
    [&m.item.report_key, &place, &m.who(), &m.os_user, &m.note]
        .iter()
        .any(|s| s.to_lowercase().contains(&text))
}

/// What the follow-up screen is ordered by (`s` cycles, `S` reverses).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FollowupSort {
    /// Report, then its items in printed order.
    #[default]
    Report,
    /// 待核实, 已确认, 已排除, 已整改; then by report.
    State,
    /// Latest change first.
    Time,
    /// Who changed it last; then by report.
    Reviewer,
}

impl FollowupSort {
    pub fn next(self) -> FollowupSort {
        match self {
            FollowupSort::Report => FollowupSort::State,
            FollowupSort::State => FollowupSort::Time,
            FollowupSort::Time => FollowupSort::Reviewer,
            FollowupSort::Reviewer => FollowupSort::Report,
        }
    }

    /// (Chinese, English) name, as the filter line shows it.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            FollowupSort::Report => ("报告", "report"),
            FollowupSort::State => ("状态", "state"),
            FollowupSort::Time => ("时间", "time"),
            FollowupSort::Reviewer => ("审核人", "reviewer"),
        }
    }
}

/// Lines of the follow-up screen that are not marks: title, filters, header, the selected
/// mark (three lines) and the footer.
pub const FOLLOWUP_CHROME: usize = 7;

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
            .filter(|m| mark_holds_text(m, &s.text))
            .collect();
        // Within a report, items in printed order (sections, tables 2–4), then by key.
        let place = |m: &Mark| {
            let loc = match &m.item.target {
                review::Target::Report => "",
                review::Target::Cell { key } => key.as_str(),
                review::Target::Section { id } => id.as_str(),
                review::Target::Finding { location, .. } => location.as_str(),
            };
            let rank = match m.item.target {
                review::Target::Report => 0,
                _ => 1 + crate::model::key::Location::parse(loc).rank(),
            };
            (rank, m.key())
        };
        let by_report = |a: &&Mark, b: &&Mark| {
            (&a.item.report_key, place(a)).cmp(&(&b.item.report_key, place(b)))
        };
        let state_rank = |m: &Mark| review::State::ALL.iter().position(|s| *s == m.state);
        match s.sort {
            FollowupSort::Report => rows.sort_by(by_report),
            FollowupSort::State => rows.sort_by(|a, b| {
                state_rank(a)
                    .cmp(&state_rank(b))
                    .then_with(|| by_report(a, b))
            }),
            FollowupSort::Time => rows.sort_by_key(|m| std::cmp::Reverse(m.event_id)),
            FollowupSort::Reviewer => rows.sort_by(|a, b| {
                (a.who(), &a.os_user)
                    .cmp(&(b.who(), &b.os_user))
                    .then_with(|| by_report(a, b))
            }),
        }
        if s.reverse {
            rows.reverse();
        }
        rows
    }

    /// The message of the finding a mark is on, as the report's check says it now (`None`
    /// for other kinds, or when the report no longer has that finding).
    pub fn followup_message(&self, m: &Mark) -> Option<&str> {
        let review::Target::Finding { rule, location } = &m.item.target else {
            return None;
        };
        let item = self.items.get(self.item_of_report(&m.item.report_key)?)?;
        item.findings
            .iter()
            .find(|f| f.rule == *rule && f.location == *location)
            .map(|f| f.message.as_str())
    }

    /// The report of a mark as the list shows it (agency as shown, year).
    pub fn followup_report(&self, m: &Mark) -> (String, Option<i32>) {
        self.report_words(&m.item)
    }

    /// `平潭综合实验区 2020 · 表三 （七）总计 · 自然人 · T3-RES`: an item as the chooser and the
    /// note editor name it.
    pub fn item_label(&self, item: &review::ItemRef) -> String {
        let (name, year) = self.report_words(item);
        let mut s = match year {
            Some(y) => format!("{name} {y}"),
            None => name,
        };
        s.push_str(" · ");
        s.push_str(&review::place::item_words(item, self.lang));
        if let Some(rule) = item.rule() {
            s.push_str(" · ");
            s.push_str(rule);
        }
        crate::tui::width::clean(&s)
    }

    fn report_words(&self, item: &review::ItemRef) -> (String, Option<i32>) {
        let m = item;
        let (agency, year) = review::split_report_key(&m.report_key);
        let name = self
            .item_of_report(&m.report_key)
            .and_then(|id| self.items.get(id))
            .map_or_else(|| agency.to_string(), |i| i.name.clone());
        (name, year)
    }

    /// `F`: open the follow-up screen.
    pub fn open_followups(&mut self) {
        if self.screen() == ScreenKind::Followups {
            return;
        }
        // Opened again from a report it led to: back to it, so the stack does not grow.
        if let Some(at) = self.stack.iter().rposition(|s| *s == Screen::Followups) {
            self.stack.truncate(at + 1);
            self.pop_screen();
        } else {
            self.push_screen(Screen::Followups);
        }
        self.clamp_followups();
    }

    fn clamp_followups(&mut self) {
        let n = self.followup_rows().len();
        let rows = self.followup_list_rows();
        let s = &mut self.followups.screen;
        s.cursor = s.cursor.min(n.saturating_sub(1));
        s.offset = crate::tui::width::scroll_to(s.offset, s.cursor, rows);
    }

    /// Marks visible on the follow-up screen: two lines each, between the three head lines
    /// and the three lines of the selected mark and the footer.
    pub fn followup_list_rows(&self) -> usize {
        ((self.size.1 as usize).saturating_sub(FOLLOWUP_CHROME) / 2).max(1)
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
            Action::CycleSort => {
                s.sort = s.sort.next();
                s.cursor = 0;
            }
            Action::ReverseSort => {
                s.reverse = !s.reverse;
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
        // The report opens above the follow-up screen: back from it returns here.
        let tab = self.report_view().map(|v| v.tab);
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
                let report = self.report_view().and_then(|v| v.report.clone());
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
            review::Target::Section { id: sid } => {
                let body = self.dims().body_rows;
                let report = self.report_view().and_then(|v| v.report.clone());
                if let Some(v) = self.report_view_mut() {
                    v.tab = Tab::Prose;
                    let si = report
                        .as_deref()
                        .and_then(|r| r.sections.iter().position(|s| s.id.as_deref() == Some(sid)));
                    let row = si.and_then(|si| {
                        v.layout
                            .prose
                            .iter()
                            .position(|r| *r == ProseRow::Heading(si))
                    });
                    if let Some(row) = row {
                        v.set_prose_cursor(row, body);
                    }
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
