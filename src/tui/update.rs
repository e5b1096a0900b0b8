//! `update(&mut State, Msg) -> Vec<Effect>`: the one way into the state for the event loop
//! — the auditor's actions and the workers' answers. No I/O but reading the report opened
//! ([`State::open_report`], one small file): copying, quitting, marks, histories, pairing
//! files and filter jobs are returned as effects.

use super::action::{Action, Effect, Msg};
use super::commands::help_for;
use super::layout::{help_scroll_max, locate_cell, prose_target, ProseRow};
use super::loader::Msg as LoaderMsg;
use super::state::*;
use crate::check::{Finding, Status};
use std::sync::Arc;

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    if matches!(&msg, Msg::Action(a) if !matches!(a, Action::Resize(..))) {
        state.progress.acted = true;
    }
    let mut effects = match msg {
        Msg::Action(a) => state.update(a),
        Msg::Loader(msgs) => {
            state.apply_all(msgs);
            Vec::new()
        }
        Msg::Store(m) => {
            state.apply_store(*m);
            Vec::new()
        }
        Msg::Filtered(chunk) => {
            state.apply_filtered(chunk);
            Vec::new()
        }
        Msg::Progress(m) => {
            state.apply_progress(m);
            Vec::new()
        }
        Msg::Exported(done) => {
            state.apply_export(done);
            Vec::new()
        }
        Msg::PairingsSaved(done) => {
            state.notice = Some(match done {
                Ok(()) => state.t("已保存配对选择", "pairing choice saved").into(),
                Err(why) => why,
            });
            Vec::new()
        }
    };
    // Where the auditor is, kept in the store when it changed.
    if let Some(e) = state.session_effect() {
        effects.push(e);
    }
    // A query changed by a key or by new reports: matched on the worker.
    while let Some(job) = state.take_filter_job() {
        effects.push(Effect::Filter(job));
    }
    effects
}

/// While a large batch loads, the list is sorted again at most this often: each time sorts
/// the whole list (tens of milliseconds at 100,000 reports, so a refresh per message would
/// keep the input thread busy), and reports arrive faster than anyone reads them.
const LOADING_REFRESH: std::time::Duration = std::time::Duration::from_millis(250);
/// Default of [`State::large_batch`].
pub const LARGE_BATCH: usize = 10_000;

impl State {
    /// Apply several loader messages, recomputing the list once — or, while a large batch
    /// loads, at most every [`LOADING_REFRESH`].
    pub fn apply_all(&mut self, msgs: Vec<LoaderMsg>) {
        let anchor = msgs
            .iter()
            .any(|m| matches!(m, LoaderMsg::CrossYear(_)))
            .then(|| self.cursor_anchor());
        for msg in msgs {
            self.apply_quiet(msg);
        }
        // The oldest place not yet kept: the row the auditor saw.
        let anchor = self.loading.anchor.take().or(anchor.flatten());
        let now = std::time::Instant::now();
        let due = self.loading.finished
            || self.items.len() < self.large_batch
            || self
                .loading
                .refreshed
                .is_none_or(|t| now.duration_since(t) >= LOADING_REFRESH);
        if !due {
            self.loading.anchor = anchor;
            return;
        }
        self.loading.refreshed = Some(now);
        // New reports: their waivers (this refreshes the list too).
        self.apply_waivers();
        if anchor.is_some() {
            self.keep_anchor(anchor);
        }
    }

    /// Apply a loader message.
    pub fn apply(&mut self, msg: LoaderMsg) {
        let refresh = !matches!(
            msg,
            LoaderMsg::Discovered(_) | LoaderMsg::Finished | LoaderMsg::Notices(_)
        );
        let anchor = matches!(msg, LoaderMsg::CrossYear(_)).then(|| self.cursor_anchor());
        self.apply_quiet(msg);
        if refresh {
            self.apply_waivers();
        }
        if let Some(a) = anchor {
            self.keep_anchor(a);
        }
    }

    /// The selected report and its row on screen, before the cross-year results change
    /// statuses (and so the order).
    fn cursor_anchor(&self) -> Option<(usize, usize)> {
        let id = self.selected?;
        let row = self.cursor()?.saturating_sub(self.list_offset);
        Some((id, row))
    }

    /// After the cross-year results: the report that was selected stays selected, on the
    /// same screen row — the list does not move under the cursor.
    fn keep_anchor(&mut self, anchor: Option<(usize, usize)>) {
        let Some((id, row)) = anchor else {
            return;
        };
        // Nothing picked yet and the saved place still to come (the store may answer after
        // the cross-year results): the selection is the top row, not a choice to keep — kept,
        // it would count as picked and the saved place would be dropped.
        if !self.picked && self.progress.resume.is_some() {
            return;
        }
        if !self.visible.contains(&id) {
            return;
        }
        self.selected = Some(id);
        self.picked = true;
        let cur = self.cursor().unwrap_or(0);
        let rows = self.dims().list_rows;
        let max = self.visible.len().saturating_sub(rows);
        self.list_offset = cur.saturating_sub(row).min(max);
        self.fix_list_scroll();
    }

    fn apply_quiet(&mut self, msg: LoaderMsg) {
        match msg {
            LoaderMsg::Discovered(n) => self.loading.total = Some(n),
            LoaderMsg::Notices(notices) => {
                // Beside what is shown already (the pairing choices' notice, read here too).
                let mut shown: Vec<String> = self.notice.take().into_iter().collect();
                for n in notices.into_iter().map(|n| super::width::clean(&n)) {
                    if !shown.contains(&n) {
                        shown.push(n);
                    }
                }
                self.notice = (!shown.is_empty()).then(|| shown.join("; "));
            }
            LoaderMsg::Loaded(batch) => {
                for l in batch {
                    let id = self.items.len();
                    // Why a file cannot be read, in the screen's language.
                    let lang = self.lang;
                    let report = l
                        .report
                        .map_err(|e| crate::batch::reasons::in_lang(lang, &e));
                    self.items.push(Item::new(id, l.path, report, l.findings));
                    self.loading.done += 1;
                }
                self.progress.forget_counts();
            }
            LoaderMsg::CrossYear(extra) => {
                // One index over the batch, not a search per result: the stage costs what
                // it costs in `check`, however large the batch.
                let by_path: std::collections::HashMap<&std::path::Path, usize> = self
                    .items
                    .iter()
                    // Reversed, so the first item of a path wins, as a search would find it.
                    .rev()
                    .map(|i| (i.path.as_path(), i.id))
                    .collect();
                let targets: Vec<(usize, Vec<Finding>)> = extra
                    .into_iter()
                    .filter_map(|(path, f)| by_path.get(path.as_path()).map(|&id| (id, f)))
                    .collect();
                for (id, findings) in targets {
                    if let Some(item) = self.items.get_mut(id) {
                        let mut all = std::mem::take(&mut item.findings);
                        all.extend(findings);
                        item.set_findings(all);
                    }
                }
            }
            LoaderMsg::Finished => {
                self.loading.finished = true;
                if self.loading.total.is_none() {
                    self.loading.total = Some(self.items.len());
                }
            }
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if !matches!(action, Action::Resize(..)) {
            // The start-up problems box takes the first key only to close (Esc there must
            // not act on the screen below); ctrl-c still quits.
            if !self.warnings.is_empty() && action != Action::Quit {
                self.warnings.clear();
                return vec![];
            }
            self.notice = None;
        }
        // `q` quits from the list with nothing over it; everywhere else it goes back as Esc.
        let action = match action {
            Action::Leave if self.overlays.is_empty() && self.screen() == ScreenKind::List => {
                return vec![Effect::Quit]
            }
            Action::Leave => Action::Back,
            other => other,
        };
        match action {
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.fix_list_scroll();
                self.fix_report_scroll();
                self.fix_compare_scroll();
                return vec![];
            }
            Action::Quit => return vec![Effect::Quit],
            // Only "terminal too small" is on the screen: keys act on nothing the user can
            // see, so they do nothing but quit (resizing is handled above).
            _ if self.dims().too_small() => {
                return match action {
                    Action::Back => vec![Effect::Quit],
                    _ => vec![],
                };
            }
            Action::Help => {
                if self.mode() == Mode::Help {
                    self.overlays.pop();
                } else {
                    self.overlays.push(Overlay::Help { scroll: 0 });
                }
                return vec![];
            }
            _ => {}
        }
        match self.overlay() {
            Some(Overlay::Note(_)) => return self.update_note(action),
            Some(Overlay::Chooser(_)) => return self.update_chooser(action),
            Some(Overlay::History(_)) => return self.update_history(action),
            Some(Overlay::Search(_)) => return self.update_search_prompt(action),
            Some(Overlay::Export(_)) => return self.update_export(action),
            Some(Overlay::Goto(_)) => return self.update_goto(action),
            _ => {}
        }
        match self.mode() {
            Mode::Note | Mode::Chooser | Mode::Search | Mode::Export => {}
            Mode::Help => {
                let max = help_scroll_max(help_for(self).len(), self.dims());
                if action == Action::Back {
                    self.overlays.pop();
                } else if let Some(Overlay::Help { scroll }) = self.overlays.last_mut() {
                    *scroll = match action {
                        Action::MoveDown => (*scroll + 1).min(max),
                        Action::MoveUp => scroll.saturating_sub(1),
                        Action::PageDown => (*scroll + 10).min(max),
                        Action::PageUp => scroll.saturating_sub(10),
                        Action::Top => 0,
                        Action::Bottom => max,
                        _ => *scroll,
                    };
                }
                return vec![];
            }
            // The prompt edits the text of the screen below. Other keys still act on the
            // list (moving the cursor while typing); elsewhere they are swallowed while the
            // prompt is open, so nothing typed ever runs as a command.
            Mode::Filter => {
                let prompt_key = matches!(
                    &action,
                    Action::FilterChar(_)
                        | Action::Paste(_)
                        | Action::FilterBackspace
                        | Action::FilterAccept
                        | Action::FilterCancel
                        | Action::Back
                );
                if prompt_key || self.screen() != ScreenKind::List {
                    match action {
                        Action::FilterChar(c) => self.edit_screen_text(|q| q.push(c)),
                        Action::Paste(s) => {
                            self.edit_screen_text(|q| q.push_str(&super::width::clean(&s)))
                        }
                        Action::FilterBackspace => self.edit_screen_text(|q| {
                            q.pop();
                        }),
                        Action::FilterAccept => {
                            self.overlays.pop();
                        }
                        Action::FilterCancel | Action::Back => {
                            self.overlays.pop();
                            self.edit_screen_text(String::clear);
                        }
                        _ => {}
                    }
                    return vec![];
                }
            }
            Mode::Normal => {}
        }
        if action == Action::OpenCompare && self.screen() != ScreenKind::Compare {
            let id = match &self.screen {
                Screen::Report(v) => Some(v.item),
                _ => self.selected,
            };
            return id.map_or_else(Vec::new, |id| self.open_compare(id));
        }
        match action {
            Action::OpenFollowups => {
                self.open_followups();
                return vec![];
            }
            Action::GotoReport => {
                self.open_goto_report();
                return vec![];
            }
            Action::EditNote => return self.edit_note(),
            Action::Export => return self.open_export(),
            Action::ShowHistory => return self.show_history(),
            _ => {}
        }
        // `/` on the compare, follow-up and rule screens: a text filter of the rows shown (the
        // rule summary counts the reports the list shows, so there it is the list's filter).
        if action == Action::FilterStart
            && self.overlays.is_empty()
            && matches!(
                self.screen(),
                ScreenKind::Compare | ScreenKind::Followups | ScreenKind::Rules
            )
        {
            self.overlays.push(Overlay::Filter);
            return vec![];
        }
        match self.screen() {
            ScreenKind::List => self.update_list(action),
            ScreenKind::Report => self.update_report(action),
            ScreenKind::Compare => self.update_compare(action),
            ScreenKind::Followups => self.update_followups(action),
            ScreenKind::Rules => self.update_rules(action),
        }
    }

    /// The text the `/` prompt edits on the screen shown.
    pub fn screen_text(&self) -> &str {
        match &self.screen {
            Screen::Compare(v) => &v.text,
            Screen::Followups => &self.followups.screen.text,
            _ => &self.query,
        }
    }

    /// Change the text the `/` prompt edits on the screen shown, then put the rows (and the
    /// cursor) right: the list's filter (which the rule summary follows), the follow-up
    /// screen's or the compare table's own.
    fn edit_screen_text(&mut self, edit: impl FnOnce(&mut String)) {
        match &mut self.screen {
            Screen::Compare(v) => {
                edit(&mut v.text);
                v.cursor = 0;
                v.offset = 0;
                self.fix_compare_scroll();
            }
            Screen::Followups => {
                let s = &mut self.followups.screen;
                edit(&mut s.text);
                s.cursor = 0;
                s.offset = 0;
            }
            Screen::Rules(v) => {
                v.cursor = 0;
                v.offset = 0;
                edit(&mut self.query);
                self.refilter();
            }
            _ => {
                edit(&mut self.query);
                self.refilter();
            }
        }
    }

    fn update_list(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::MoveDown => self.move_list(1),
            Action::MoveUp => self.move_list(-1),
            Action::PageDown => self.move_list(self.dims().list_rows as isize),
            Action::PageUp => self.move_list(-(self.dims().list_rows as isize)),
            Action::Top => self.move_list(isize::MIN / 2),
            Action::Bottom => self.move_list(isize::MAX / 2),
            Action::NextReport => self.move_list(1),
            Action::PrevReport => self.move_list(-1),
            Action::NextFailing | Action::NextFinding => {
                self.select_failing(true, Step::Failing);
            }
            Action::PrevFailing | Action::PrevFinding => {
                self.select_failing(false, Step::Failing);
            }
            Action::NextWarning | Action::PrevWarning => {
                self.select_failing(action == Action::NextWarning, Step::Warning);
            }
            Action::Open => {
                if let Some(id) = self.selected {
                    self.open(id);
                }
            }
            // Esc never quits: it drops a kept filter text, else says how to quit.
            Action::Back if !self.query.is_empty() => {
                self.query.clear();
                self.refilter();
            }
            Action::Back => self.notice = Some(self.quit_hint()),
            Action::FilterStart if self.mode() != Mode::Filter => {
                self.overlays.push(Overlay::Filter);
            }
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.refresh();
            }
            Action::ReverseSort => {
                self.sort_reverse = !self.sort_reverse;
                self.refresh();
            }
            Action::CycleStatusFilter => {
                self.status_filter = match self.status_filter {
                    None => Some(Status::Fail),
                    Some(Status::Fail) => Some(Status::Warn),
                    Some(Status::Warn) => Some(Status::Pass),
                    Some(Status::Pass) => Some(Status::Unreadable),
                    Some(Status::Unreadable) => None,
                };
                self.refresh();
            }
            Action::CycleRuleFilter => {
                let rules = self.failing_rules();
                self.rule_filter = cycle(&rules, self.rule_filter.as_ref());
                if rules.is_empty() {
                    self.notice = Some(
                        self.t("没有未通过的规则", "no rule fails in this batch")
                            .into(),
                    );
                }
                self.refresh();
            }
            Action::CycleYearFilter => {
                let years = self.years();
                self.year_filter = cycle(&years, self.year_filter.as_ref());
                self.refresh();
            }
            Action::ClearFilters => {
                self.status_filter = None;
                self.rule_filter = None;
                self.year_filter = None;
                self.progress.unreviewed_only = false;
                self.query.clear();
                self.refresh();
            }
            Action::Copy => {
                if let Some(item) = self.selected_item() {
                    let text = summary_text(item);
                    return self.copy(text);
                }
            }
            Action::OpenRules => self.open_rules(),
            Action::ToggleMark => return self.mark(),
            Action::ToggleReviewed => {
                if let Some(id) = self.selected {
                    return self.toggle_reviewed(id);
                }
            }
            Action::ToggleUnreviewedFilter => self.toggle_unreviewed_filter(),
            _ => {}
        }
        vec![]
    }

    /// How to quit, with the keys as bound: `q 退出 · ctrl-c 随处退出`.
    pub fn quit_hint(&self) -> String {
        format!(
            "{} {} · {} {}",
            self.keymap.first_key(&Action::Leave),
            self.t("在列表中退出", "quits from the list"),
            self.keymap.first_key(&Action::Quit),
            self.t("随处退出", "quits from anywhere"),
        )
    }

    fn copy(&mut self, text: String) -> Vec<Effect> {
        self.notice = Some(
            self.t(
                "已发送到终端剪贴板（OSC 52，需终端支持）",
                "sent to the terminal clipboard (OSC 52; needs terminal support)",
            )
            .into(),
        );
        vec![Effect::Copy(text)]
    }

    pub(crate) fn mark(&mut self) -> Vec<Effect> {
        self.cycle_mark()
    }

    fn move_list(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let cur = self.cursor().unwrap_or(0) as isize;
        let next = (cur.saturating_add(delta)).clamp(0, self.visible.len() as isize - 1) as usize;
        self.selected = Some(self.visible[next]);
        self.picked = true;
        self.fix_list_scroll();
    }

    /// Select the next (or previous) report that fails (or has warnings), wrapping around;
    /// true if found.
    fn select_failing(&mut self, forward: bool, kind: Step) -> bool {
        let n = self.visible.len();
        if n == 0 {
            return false;
        }
        let cur = self.cursor().unwrap_or(if forward { n - 1 } else { 0 });
        for step in 1..=n {
            let i = if forward {
                (cur + step) % n
            } else {
                (cur + n * 2 - step) % n
            };
            let id = self.visible[i];
            let it = &self.items[id];
            let hit = match kind {
                Step::Failing => it.status == Status::Fail,
                Step::Warning => it.warnings > 0,
            };
            if hit {
                self.selected = Some(id);
                self.picked = true;
                self.fix_list_scroll();
                return true;
            }
        }
        self.notice = Some(
            match kind {
                Step::Failing => self.t("没有未通过的报告", "no failing report"),
                Step::Warning => self.t("没有带警告的报告", "no report with warnings"),
            }
            .into(),
        );
        false
    }

    /// Show report `id`: in place of the report shown (stepping), or above the screen shown;
    /// on the tab of the report it replaces, when this one has it too.
    pub(crate) fn open(&mut self, id: usize) {
        let old_tab = self.report_view().map(|v| v.tab);
        self.open_on_tab(id, old_tab);
    }

    pub(crate) fn open_on_tab(&mut self, id: usize, old_tab: Option<Tab>) {
        self.selected = Some(id);
        self.picked = true;
        self.fix_list_scroll();
        let report = self.open_report(id);
        let layout = ReportLayout::new(report.as_deref(), self.dims());
        let mut view = ReportView::new(id, report, layout);
        if let Some(tab) = old_tab {
            let tabs = tabs_of(view.report.as_deref());
            if tabs.contains(&tab) {
                view.tab = tab;
            }
        }
        match self.screen {
            Screen::Report(_) => self.screen = Screen::Report(view),
            _ => self.push_screen(Screen::Report(view)),
        }
    }

    fn update_report(&mut self, action: Action) -> Vec<Effect> {
        // Selecting findings for a bulk mark (space, V, *; Esc drops the selection).
        if let Some(effects) = self.update_selection(&action) {
            return effects;
        }
        let Some(view) = self.report_view().cloned() else {
            self.pop_screen();
            return vec![];
        };
        let Some(item) = self.items.get(view.item).cloned() else {
            self.pop_screen();
            return vec![];
        };
        let tabs = tabs_of(view.report.as_deref());
        match action {
            // Esc ends an active search first; then it goes back.
            Action::Back if view.search.is_some() => {
                if let Some(v) = self.report_view_mut() {
                    v.search = None;
                }
            }
            Action::Back => self.pop_screen(),
            Action::FilterStart if item.report.is_some() => {
                self.overlays.push(Overlay::Search(Default::default()));
            }
            Action::GotoCell if item.report.is_some() => self.open_goto_cell(),
            Action::NextFinding | Action::PrevFinding if view.search.is_some() => {
                self.step_hit(action == Action::NextFinding);
            }
            Action::NextTab | Action::PrevTab => {
                let i = tabs.iter().position(|t| *t == view.tab).unwrap_or(0);
                let n = tabs.len();
                let j = if action == Action::NextTab {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                if let Some(v) = self.report_view_mut() {
                    v.tab = tabs[j];
                }
            }
            Action::NextReport | Action::PrevReport => {
                let delta = if action == Action::NextReport { 1 } else { -1 };
                self.selected = Some(view.item);
                let before = self.cursor();
                self.move_list(delta);
                if before.is_some() && self.cursor() == before {
                    self.notice = Some(
                        if delta > 0 {
                            self.t("已是最后一份报告", "this is the last report")
                        } else {
                            self.t("已是第一份报告", "this is the first report")
                        }
                        .into(),
                    );
                } else if let Some(id) = self.selected {
                    self.open(id);
                }
            }
            Action::NextFailing
            | Action::PrevFailing
            | Action::NextWarning
            | Action::PrevWarning => {
                self.selected = Some(view.item);
                let (forward, kind) = match action {
                    Action::NextFailing => (true, Step::Failing),
                    Action::PrevFailing => (false, Step::Failing),
                    Action::NextWarning => (true, Step::Warning),
                    _ => (false, Step::Warning),
                };
                if self.select_failing(forward, kind) {
                    if let Some(id) = self.selected {
                        self.open(id);
                        if let Some(v) = self.report_view_mut() {
                            v.tab = Tab::Overview;
                        }
                    }
                }
            }
            Action::NextFinding | Action::PrevFinding => {
                let n = item.findings.len();
                if n == 0 {
                    self.notice = Some(
                        self.t("这份报告没有发现", "no findings in this report")
                            .into(),
                    );
                    return vec![];
                }
                let next = match (view.finding, action == Action::NextFinding) {
                    (None, true) => Some(0),
                    (None, false) => Some(n - 1),
                    (Some(i), true) if i + 1 < n => Some(i + 1),
                    (Some(i), false) if i > 0 => Some(i - 1),
                    _ => None,
                };
                match next {
                    Some(i) => self.jump_to_finding(i),
                    None => {
                        self.notice = Some(
                            if action == Action::NextFinding {
                                self.t(
                                    "已是最后一个发现；] 下一份报告，} 下一份未通过的报告",
                                    "last finding; ] next report, } next failing report",
                                )
                            } else {
                                self.t("已是第一个发现", "first finding")
                            }
                            .into(),
                        )
                    }
                }
            }
            Action::Copy => {
                let text = match view.tab {
                    Tab::Table(tid) => view
                        .layout
                        .table(tid)
                        .zip(view.report.as_deref())
                        .and_then(|(t, r)| cell_text(&item, r, &t.grid, tid, view.cursor(tid))),
                    _ => view
                        .finding
                        .and_then(|i| item.findings.get(i))
                        .map(|f| finding_text(&item, f)),
                };
                let text = text.unwrap_or_else(|| summary_text(&item));
                return self.copy(text);
            }
            Action::ToggleMark => return self.mark(),
            Action::ToggleReviewed => return self.toggle_reviewed(view.item),
            Action::Open if view.tab == Tab::Overview => {
                if let Some(i) = view.finding {
                    self.jump_to_finding(i);
                }
            }
            other => match view.tab {
                Tab::Overview => self.move_overview(&item, other),
                Tab::Prose => self.move_prose(other),
                Tab::Table(tid) => self.move_table(tid, other),
            },
        }
        vec![]
    }

    fn move_overview(&mut self, item: &Item, action: Action) {
        let n = item.findings.len();
        let page = self.dims().body_rows.max(2) / 2;
        let Some(v) = self.report_view_mut() else {
            return;
        };
        if n == 0 {
            return;
        }
        let cur = v.finding;
        v.finding = Some(match action {
            Action::MoveDown => cur.map_or(0, |i| (i + 1).min(n - 1)),
            Action::MoveUp => cur.map_or(0, |i| i.saturating_sub(1)),
            Action::PageDown => cur.map_or(0, |i| (i + page).min(n - 1)),
            Action::PageUp => cur.map_or(0, |i| i.saturating_sub(page)),
            Action::Top => 0,
            Action::Bottom => n - 1,
            _ => return,
        });
    }

    fn move_prose(&mut self, action: Action) {
        let d = self.dims();
        let Some(v) = self.report_view_mut() else {
            return;
        };
        let page = d.body_rows.saturating_sub(1).max(1);
        let last = v.layout.prose.len().saturating_sub(1);
        let cur = v.prose_cursor;
        let row = match action {
            Action::MoveDown => cur + 1,
            Action::MoveUp => cur.saturating_sub(1),
            Action::PageDown => cur + page,
            Action::PageUp => cur.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return,
        };
        v.set_prose_cursor(row.min(last), d.body_rows);
    }

    fn move_table(&mut self, tid: &'static str, action: Action) {
        let d = self.dims();
        let Some(v) = self.report_view_mut() else {
            return;
        };
        let layout = Arc::clone(&v.layout);
        let Some(t) = layout.table(tid) else {
            return;
        };
        let nrows = t.grid.rows.len();
        if nrows == 0 {
            return;
        }
        let c = v.cursor_mut(tid);
        match action {
            Action::MoveDown => c.row = (c.row + 1).min(nrows - 1),
            Action::MoveUp => c.row = c.row.saturating_sub(1),
            Action::MoveRight => c.col += 1,
            Action::MoveLeft => c.col = c.col.saturating_sub(1),
            Action::PageDown => c.row = (c.row + d.table_rows.max(1)).min(nrows - 1),
            Action::PageUp => c.row = c.row.saturating_sub(d.table_rows.max(1)),
            Action::Top => c.row = 0,
            Action::Bottom => c.row = nrows - 1,
            Action::Open => {}
            _ => return,
        }
        // Only the row's own cells: a table 2 sub-table has fewer columns than another.
        c.col = c.col.min(t.grid.ncols(c.row).saturating_sub(1));
        c.row_offset = t.row_offset(c.row, c.row_offset, d);
    }

    /// Select finding `i` and show its place: its cell in the table, its sentence in the
    /// prose, or the overview for report-level findings.
    pub fn jump_to_finding(&mut self, i: usize) {
        let Some(view) = self.report_view() else {
            return;
        };
        let Some(item) = self.items.get(view.item).cloned() else {
            return;
        };
        let Some(f) = item.findings.get(i) else {
            return;
        };
        let d = self.dims();
        let Some(v) = self.report_view_mut() else {
            return;
        };
        v.finding = Some(i);
        let Some(report) = v.report.clone() else {
            v.tab = Tab::Overview;
            return;
        };
        let layout = Arc::clone(&v.layout);
        let loc = f.location.as_str();
        let parsed = crate::model::key::Location::parse(loc);
        let tid = parsed.table().map(|t| t.as_str());
        if let Some(tid) = tid.and_then(|t| TABLE_IDS.iter().find(|x| **x == t).copied()) {
            if let (Some(table), Some(t)) = (report.table(tid), layout.table(tid)) {
                let target = locate_cell(table, &t.grid, loc)
                    .or_else(|| f.cells.iter().find_map(|c| locate_cell(table, &t.grid, c)));
                v.tab = Tab::Table(tid);
                if let Some((r, c)) = target {
                    let cur = v.cursor_mut(tid);
                    cur.row = r;
                    cur.col = c;
                    cur.row_offset = t.row_offset(r, cur.row_offset, d);
                }
                return;
            }
        }
        if parsed.section().is_some() {
            let rows = &layout.prose;
            if let Some(row) = prose_target(&report, rows, f) {
                v.tab = Tab::Prose;
                // Show the sentence with a little context above it.
                v.prose_scroll = row
                    .saturating_sub(2)
                    .min(rows.len().saturating_sub(d.body_rows));
                v.set_prose_cursor(row, d.body_rows);
                return;
            }
        }
        v.tab = Tab::Overview;
    }

    /// After a resize: lay the open reports (shown or below) out again for the new size and
    /// keep their cursors in view.
    pub(crate) fn fix_report_scroll(&mut self) {
        let d = self.dims();
        let items = &self.items;
        let views = std::iter::once(&mut self.screen)
            .chain(self.stack.iter_mut())
            .filter_map(|s| match s {
                Screen::Report(v) => Some(v),
                _ => None,
            });
        for v in views {
            relayout(v, items, d);
        }
    }
}

fn relayout(v: &mut ReportView, items: &[Item], d: Dims) {
    let Some(item) = items.get(v.item) else {
        return;
    };
    if item.report.is_none() {
        return;
    }
    if v.layout.dims != d {
        // The prose cursor stays on the same text: the row holding the char it was on.
        // (a blank row is placed by the heading below it.)
        let blank = matches!(v.layout.prose.get(v.prose_cursor), Some(ProseRow::Blank));
        let at = v
            .layout
            .prose
            .get(v.prose_cursor + usize::from(blank))
            .cloned();
        v.layout = Arc::new(ReportLayout::new(v.report.as_deref(), d));
        if let Some(at) = at {
            let row = super::layout::same_place(&v.layout.prose, &at).unwrap_or(0);
            v.prose_cursor = row.saturating_sub(usize::from(blank));
        }
    }
    let layout = Arc::clone(&v.layout);
    for tid in TABLE_IDS {
        if let Some(t) = layout.table(tid) {
            let c = v.cursor_mut(tid);
            c.row_offset = t.row_offset(c.row, c.row_offset, d);
        }
    }
    v.prose_scroll = v
        .prose_scroll
        .min(layout.prose.len().saturating_sub(d.body_rows));
    let cursor = v.prose_cursor;
    v.set_prose_cursor(cursor, d.body_rows);
    // The prose rows moved: find the search's hits again, keeping its place by number.
    if let (Some(search), Some(report)) = (v.search.as_mut(), v.report.as_deref()) {
        search.hits = super::search::find(report, &layout, &search.query);
        search.current = search
            .current
            .map(|i| i.min(search.hits.len().saturating_sub(1)))
            .filter(|_| !search.hits.is_empty());
    }
}

/// What `}`/`{` and `)`/`(` step to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Reports that fail (an error).
    Failing,
    /// Reports with at least one warning.
    Warning,
}

fn cycle<T: Clone + PartialEq>(options: &[T], cur: Option<&T>) -> Option<T> {
    match cur {
        None => options.first().cloned(),
        Some(c) => {
            let i = options.iter().position(|o| o == c)?;
            options.get(i + 1).cloned()
        }
    }
}

fn report_title(item: &Item) -> String {
    match item.year() {
        Some(y) => format!("{} {y}", item.name),
        None => item.name.clone(),
    }
}

/// The text copied for a report: its status, counts and findings.
pub fn summary_text(item: &Item) -> String {
    let mut s = format!(
        "{} [{}] status={} errors={} warnings={}",
        report_title(item),
        item.report
            .as_ref()
            .map(|r| r.template.as_str())
            .unwrap_or("-"),
        item.status.as_str(),
        item.errors,
        item.warnings
    );
    if let Some(e) = &item.error {
        s.push_str(&format!("\n{}: {e}", item.file));
    }
    for f in &item.findings {
        s.push_str(&format!("\n{} {} {}", f.rule, f.location, f.message));
    }
    s
}

pub fn finding_text(item: &Item, f: &Finding) -> String {
    let mut s = format!(
        "{} {} {} {}",
        report_title(item),
        f.rule,
        f.location,
        f.message
    );
    if let Some(l) = f.line {
        s.push_str(&format!(" (line {l})"));
    }
    s
}

/// The text copied for a table cell: where it is, what was printed, and its findings.
pub fn cell_text(
    item: &Item,
    report: &crate::model::Report,
    grid: &Grid,
    tid: &str,
    cur: TableCursor,
) -> Option<String> {
    let table = report.table(tid)?;
    let grow = grid.rows.get(cur.row)?;
    let row = table.rows.get(cur.row)?;
    let cell = grow
        .cells
        .get(cur.col)
        .copied()
        .flatten()
        .and_then(|i| row.cells.get(i))?;
    let col = grow
        .cols
        .as_ref()
        .and_then(|c| c.get(cur.col))
        .or_else(|| grid.cols.get(cur.col))
        .map(|c| c.full.clone())
        .unwrap_or_default();
    let mut s = format!(
        "{} {} {} / {} = {} ({})",
        report_title(item),
        cell.key,
        row.label,
        col,
        cell.value.raw,
        report.source.place_label(cell.value.line, false)
    );
    for f in item.findings_at(&cell.key) {
        s.push_str(&format!("\n{} {}", f.rule, f.message));
    }
    Some(s)
}
