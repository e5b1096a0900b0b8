//! Follow-up marks in the review screen: the marks of the batch (kept in `State`), the note
//! editor, the follow-up screen and an item's history — and the store worker thread that
//! does the SQLite I/O (open, mark, history, polling for other reviewers' changes).
//!
//! `update` never touches the store: it returns `Effect::Mark` / `Effect::History`, which the
//! event loop sends to the worker; the worker's answers come back as [`StoreMsg`]s and are
//! applied with [`State::apply_store`].

use super::action::{Action, Effect};
use super::layout::{locate_cell, ProseRow};
use super::state::{Overlay, Screen, ScreenKind, State, Tab};
use crate::check::Status;
use crate::review::{self, Event, Filter, ItemRef, Mark, Snapshot, StoreError};
use std::collections::HashMap;
use std::sync::Arc;

/// Glyph of a marked item (distinct from the failure glyphs ✗ * ? !).
pub const MARK_GLYPH: &str = "◆";
/// Sign of a report whose status comes from waivers (dismissed findings).
pub const WAIVER_SIGN: &str = "⚑";

/// Short letter of a follow-up state, for table cells: 核 / 确 / 排 / 改 would be two
/// columns wide; one ASCII letter keeps the grid straight.
pub fn state_letter(s: review::State) -> &'static str {
    match s {
        review::State::Open => "o",
        review::State::Confirmed => "c",
        review::State::Dismissed => "d",
        review::State::Resolved => "r",
        review::State::Unmarked => " ",
    }
}

/// The chooser's digits, in the order shown.
pub const CHOICES: [(char, review::State); 5] = [
    ('1', review::State::Open),
    ('2', review::State::Confirmed),
    ('3', review::State::Dismissed),
    ('4', review::State::Resolved),
    ('0', review::State::Unmarked),
];

/// `m`: the state chooser over the screen, for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chooser {
    pub item: ItemRef,
    /// List item of the report (for the snapshot).
    pub id: Option<usize>,
    /// The state the screen sees now; the change expects to replace it.
    pub current: Option<review::State>,
    pub snapshot: Snapshot,
    /// What is being marked, as shown in the box.
    pub label: String,
}

/// Why the note editor is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotePurpose {
    /// Moving into this state needs a reason (已排除 dismissed).
    Reason(review::State),
    /// Editing the note, keeping the state.
    Note,
}

/// A one-line note editor; the cursor is a char index (CJK-safe).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteEditor {
    pub item: ItemRef,
    pub purpose: NotePurpose,
    pub text: Vec<char>,
    pub cursor: usize,
    pub snapshot: Snapshot,
    /// What is being marked, as shown in the title.
    pub label: String,
}

impl NoteEditor {
    pub fn text(&self) -> String {
        self.text.iter().collect()
    }

    /// Insert typed or pasted text; line breaks and tabs become spaces, other control and
    /// escape characters are removed.
    pub fn insert(&mut self, s: &str) {
        let flat: String = s
            .chars()
            .map(|c| {
                if matches!(c, '\n' | '\r' | '\t') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        for c in super::width::clean(&flat).chars() {
            self.text.insert(self.cursor, c);
            self.cursor += 1;
        }
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            self.text.remove(self.cursor);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.len() {
            self.text.remove(self.cursor);
        }
    }
}

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

/// An item's history, shown over the screen.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub key: String,
    pub events: Vec<Event>,
    pub scroll: usize,
}

/// Everything the screen knows about follow-ups.
#[derive(Debug, Clone, Default)]
pub struct Followups {
    /// Current marks by item key.
    pub marks: HashMap<String, Mark>,
    /// The store answered (marks can be made).
    pub available: bool,
    pub read_only: bool,
    /// Why there are no follow-ups (the store could not be opened).
    pub error: Option<String>,
    pub screen: FollowupScreen,
    /// Changes sent to the store and not answered yet, by item key: the state the last of
    /// them asks for, and how many there are. A press goes on from there, so fast presses
    /// never repeat a change.
    pub pending: HashMap<String, (review::State, usize)>,
    /// A change the store refused because a colleague changed the item since: pressing `m`
    /// on that item again makes it over what is there now.
    pub conflict: Option<Override>,
}

/// A refused change that a second press makes anyway.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub item: ItemRef,
    pub state: review::State,
    pub note: Option<String>,
    pub snapshot: Snapshot,
    /// The item's state now, which the override expects to replace.
    pub now: Option<review::State>,
}

/// Requests to the store worker.
#[derive(Debug)]
pub enum StoreReq {
    Mark {
        item: ItemRef,
        state: review::State,
        note: Option<String>,
        snapshot: Snapshot,
        expected: Option<Option<review::State>>,
    },
    History(String),
}

/// Answers of the store worker.
#[derive(Debug, Clone)]
pub enum StoreMsg {
    Opened {
        notices: Vec<String>,
        read_only: bool,
        marks: Vec<Mark>,
    },
    /// The store could not be opened.
    Unavailable(String),
    /// Changes (ours and other reviewers'), oldest first.
    Events(Vec<Event>),
    /// A change was committed.
    Saved(Event),
    /// A change of this item (by key) was not saved.
    Failed {
        key: String,
        message: String,
    },
    /// A change was refused: the item is no longer in the state it expected (a colleague
    /// changed it; `current` is its latest event).
    Conflict {
        item: ItemRef,
        state: review::State,
        note: Option<String>,
        snapshot: Snapshot,
        current: Option<Event>,
    },
    /// Something else went wrong (history).
    Error(String),
    History(String, Vec<Event>),
    /// Waiting for a lock held by another program.
    Waiting(String),
}

impl State {
    /// Apply an answer of the store worker.
    pub fn apply_store(&mut self, msg: StoreMsg) {
        match msg {
            StoreMsg::Opened {
                notices,
                read_only,
                marks,
            } => {
                let f = &mut self.followups;
                f.available = true;
                f.read_only = read_only;
                f.marks = marks.into_iter().map(|m| (m.key(), m)).collect();
                if !notices.is_empty() {
                    self.notice = Some(super::width::clean(&notices.join(" · ")));
                }
                self.apply_waivers();
            }
            StoreMsg::Unavailable(e) => {
                let e = super::width::clean(&e);
                self.notice = Some(format!(
                    "{}: {e}",
                    self.t("跟进事项不可用", "follow-ups unavailable")
                ));
                self.followups.error = Some(e);
            }
            StoreMsg::Events(evs) => self.apply_events(evs),
            StoreMsg::Saved(ev) => {
                let text = format!(
                    "{} {} → {}",
                    self.t("已保存", "saved"),
                    ev.item.place(),
                    ev.new_state.label_in(self.lang)
                );
                self.answered(&ev.item.key());
                self.apply_events(vec![ev]);
                self.notice = Some(text);
            }
            StoreMsg::Failed { key, message } => {
                self.answered(&key);
                self.notice = Some(super::width::clean(&message));
            }
            StoreMsg::Conflict {
                item,
                state,
                note,
                snapshot,
                current,
            } => {
                self.answered(&item.key());
                let why = StoreError::Conflict {
                    expected: None,
                    current: current.clone().map(Box::new),
                };
                // The store's wording without "(you saw …)": the screen says what to do.
                let why = why.to_string();
                let why = why.split(" (you saw").next().unwrap_or(&why).to_string();
                self.notice = Some(super::width::clean(&format!(
                    "{why} — {}",
                    self.t(
                        "未保存；再按 m 以覆盖",
                        "NOT saved; press m again to override"
                    )
                )));
                self.followups.conflict = Some(Override {
                    now: current.as_ref().map(|e| e.new_state),
                    item,
                    state,
                    note,
                    snapshot,
                });
            }
            StoreMsg::Error(e) | StoreMsg::Waiting(e) => {
                self.notice = Some(super::width::clean(&e));
            }
            StoreMsg::History(key, events) => {
                // Under help, should help have been opened while the history was read.
                let h = Overlay::History(History {
                    key,
                    events,
                    scroll: 0,
                });
                self.overlays.retain(|o| !matches!(o, Overlay::History(_)));
                match self.overlays.last() {
                    Some(Overlay::Help { .. }) => {
                        let at = self.overlays.len() - 1;
                        self.overlays.insert(at, h);
                    }
                    _ => self.overlays.push(h),
                }
            }
        }
    }

    /// Apply changes from the store (any reviewer's): each replaces its item's mark when
    /// newer.
    pub fn apply_events(&mut self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        for ev in events {
            let key = ev.item.key();
            let newer = self
                .followups
                .marks
                .get(&key)
                .is_none_or(|m| m.event_id < ev.id);
            if newer {
                self.followups.marks.insert(key, Mark::from(ev));
            }
        }
        self.apply_waivers();
    }

    /// Recompute every report's status with its dismissed findings waived (the store's
    /// `waived_status`, as `check` does), then the list.
    pub fn apply_waivers(&mut self) {
        let mut by_report: HashMap<&str, Vec<Mark>> = HashMap::new();
        for m in self.followups.marks.values() {
            if m.state == review::State::Dismissed {
                by_report
                    .entry(m.item.report_key.as_str())
                    .or_default()
                    .push(m.clone());
            }
        }
        for item in &mut self.items {
            let Some(report) = item.report.as_ref() else {
                continue;
            };
            let key = report.key();
            let marks = by_report
                .get(key.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let (status, waived) =
                review::waived_status(&key, item.raw_status, &item.findings, marks);
            item.status = status;
            item.waived = waived;
        }
        self.refresh();
    }

    /// One change of `key` was answered (saved, refused or failed).
    fn answered(&mut self, key: &str) {
        if let Some((_, n)) = self.followups.pending.get_mut(key) {
            *n -= 1;
            if *n == 0 {
                self.followups.pending.remove(key);
            }
        }
    }

    /// The state of an item as the next change sees it: what the changes still on their way
    /// to the store ask for, else its current mark.
    fn state_seen(&self, item: &ItemRef) -> Option<review::State> {
        match self.followups.pending.get(&item.key()) {
            Some((s, _)) => Some(*s),
            None => self.mark_of(item).map(|m| m.state),
        }
    }

    /// A change to send to the store, expecting the state the screen sees now.
    fn mark_effect(
        &mut self,
        item: ItemRef,
        state: review::State,
        note: Option<String>,
        snapshot: Snapshot,
        expected: Option<review::State>,
    ) -> Effect {
        let entry = self
            .followups
            .pending
            .entry(item.key())
            .or_insert((state, 0));
        *entry = (state, entry.1 + 1);
        Effect::Mark {
            item,
            state,
            note,
            snapshot,
            expected: Some(expected),
        }
    }

    /// The current mark of an item.
    pub fn mark_of(&self, item: &ItemRef) -> Option<&Mark> {
        self.followups.marks.get(&item.key())
    }

    /// Marks of one report (every kind), by report key.
    pub fn marks_of_report(&self, report_key: &str) -> Vec<&Mark> {
        let mut v: Vec<&Mark> = self
            .followups
            .marks
            .values()
            .filter(|m| m.item.report_key == report_key)
            .collect();
        v.sort_by_key(|m| m.key());
        v
    }

    /// The item under the cursor: (list item id, what to mark, label).
    pub fn mark_target(&self) -> Option<(Option<usize>, ItemRef)> {
        match &self.screen {
            Screen::List => {
                let item = self.selected_item()?;
                let r = item.report.as_ref()?;
                Some((Some(item.id), ItemRef::report(&r.key())))
            }
            Screen::Report(view) => {
                let item = self.items.get(view.item)?;
                let r = item.report.as_ref()?;
                let key = r.key();
                let target = match view.tab {
                    Tab::Overview => view
                        .finding
                        .and_then(|i| item.findings.get(i))
                        .map(|f| ItemRef::of_finding(&key, f)),
                    Tab::Table(tid) => r.table(tid).and_then(|table| {
                        let grid = &view.layout.table(tid)?.grid;
                        let cur = view.cursor(tid);
                        let slot = grid.rows.get(cur.row)?.cells.get(cur.col).copied()??;
                        let cell = table.rows.get(cur.row)?.cells.get(slot)?;
                        Some(ItemRef::cell(&key, &cell.key))
                    }),
                    // The section at the top of the prose view (its heading, or the
                    // first heading shown).
                    Tab::Prose => {
                        let rows = &view.layout.prose;
                        let body = self.dims().body_rows;
                        let top = rows.get(view.prose_scroll).and_then(|row| match row {
                            ProseRow::Heading(si) => Some(*si),
                            ProseRow::Text { sec, .. } => *sec,
                            ProseRow::Blank => None,
                        });
                        let first_shown = || {
                            rows.iter()
                                .skip(view.prose_scroll)
                                .take(body)
                                .find_map(|row| match row {
                                    ProseRow::Heading(si) => Some(*si),
                                    _ => None,
                                })
                        };
                        top.or_else(first_shown)
                            .and_then(|si| r.sections.get(si)?.id.clone())
                            .map(|sid| ItemRef::section(&key, &sid))
                    }
                };
                Some((
                    Some(item.id),
                    target.unwrap_or_else(|| ItemRef::report(&key)),
                ))
            }
            // A compare row is a cell of this year's report, or of last year's for a row
            // only last year's template has.
            Screen::Compare(view) => {
                let row = view.current()?;
                let id = match row.presence {
                    crate::compare::Presence::PrevOnly => view.prev?,
                    _ => view.cur,
                };
                let r = self.items.get(id)?.report.as_ref()?;
                Some((Some(id), ItemRef::cell(&r.key(), &row.key)))
            }
            Screen::Followups => {
                let rows = self.followup_rows();
                let m = rows.get(self.followups.screen.cursor)?;
                Some((self.item_of_report(&m.item.report_key), m.item.clone()))
            }
        }
    }

    /// The list item of a report key.
    pub fn item_of_report(&self, report_key: &str) -> Option<usize> {
        self.items
            .iter()
            .find(|i| i.report.as_ref().is_some_and(|r| r.key() == report_key))
            .map(|i| i.id)
    }

    fn snapshot_of(&self, id: Option<usize>, item: &ItemRef) -> Snapshot {
        match id.and_then(|id| self.items.get(id)) {
            Some(it) => Snapshot::capture(item, it.report.as_deref(), &it.findings),
            None => Snapshot::default(),
        }
    }

    fn store_ready(&mut self) -> bool {
        if !self.followups.available {
            let why = self.followups.error.clone().unwrap_or_else(|| {
                self.t("跟进事项库尚未打开", "the follow-up store is not open yet")
                    .into()
            });
            self.notice = Some(why);
            return false;
        }
        if self.followups.read_only {
            self.notice = Some(
                self.t(
                    "跟进事项库为只读：无法保存更改",
                    "the follow-up store is read-only: changes cannot be saved",
                )
                .into(),
            );
            return false;
        }
        true
    }

    /// `m`: open the state chooser for the item under the cursor. A second press on an
    /// item whose change a colleague's got in the way of makes that change over theirs.
    pub fn cycle_mark(&mut self) -> Vec<Effect> {
        let Some((id, item)) = self.mark_target() else {
            self.notice = Some(
                self.t("这里没有可标记的项目", "nothing to mark here")
                    .into(),
            );
            return vec![];
        };
        if !self.store_ready() {
            return vec![];
        }
        if let Some(o) = self
            .followups
            .conflict
            .take_if(|o| o.item == item && !self.followups.pending.contains_key(&item.key()))
        {
            return vec![self.mark_effect(o.item, o.state, o.note, o.snapshot, o.now)];
        }
        let current = self.state_seen(&item);
        let snapshot = self.snapshot_of(id, &item);
        let label = super::width::clean(&format!("{} {}", item.report_key, item.place()));
        self.overlays.push(Overlay::Chooser(Chooser {
            item,
            id,
            current,
            snapshot,
            label,
        }));
        vec![]
    }

    /// Keys while the state chooser is open: a digit chooses, `e` edits the note instead,
    /// Esc closes.
    pub fn update_chooser(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Chooser(c)) = self.overlays.last().cloned() else {
            return vec![];
        };
        match action {
            Action::Choose(d) => {
                let Some(&(_, to)) = CHOICES.iter().find(|(digit, _)| *digit == d) else {
                    self.notice = Some(
                        self.t(
                            "请按 1–4 选择状态，0 清除",
                            "press 1–4 for a state, 0 clears",
                        )
                        .into(),
                    );
                    return vec![];
                };
                self.overlays.pop();
                let now = c.current.unwrap_or(review::State::Unmarked);
                if to == now {
                    self.notice = Some(format!(
                        "{} {}",
                        self.t("未更改：已是", "unchanged: already"),
                        to.label_in(self.lang)
                    ));
                    return vec![];
                }
                if to.requires_reason() {
                    self.open_editor(c.item, NotePurpose::Reason(to), Vec::new(), c.snapshot);
                    return vec![];
                }
                vec![self.mark_effect(c.item, to, None, c.snapshot, c.current)]
            }
            Action::EditNote => {
                self.overlays.pop();
                self.edit_note()
            }
            Action::Back | Action::ToggleMark => {
                self.overlays.pop();
                vec![]
            }
            _ => vec![],
        }
    }

    /// `e`: edit the note of the item under the cursor.
    pub fn edit_note(&mut self) -> Vec<Effect> {
        let Some((id, item)) = self.mark_target() else {
            self.notice = Some(
                self.t("这里没有可标记的项目", "nothing to mark here")
                    .into(),
            );
            return vec![];
        };
        if !self.store_ready() {
            return vec![];
        }
        let text = self
            .mark_of(&item)
            .map(|m| m.note.chars().collect())
            .unwrap_or_default();
        let snapshot = self.snapshot_of(id, &item);
        self.open_editor(item, NotePurpose::Note, text, snapshot);
        vec![]
    }

    fn open_editor(
        &mut self,
        item: ItemRef,
        purpose: NotePurpose,
        text: Vec<char>,
        snapshot: Snapshot,
    ) {
        let label = super::width::clean(&format!("{} {}", item.report_key, item.place()));
        self.overlays.push(Overlay::Note(NoteEditor {
            cursor: text.len(),
            text,
            item,
            purpose,
            snapshot,
            label,
        }));
    }

    /// Keys while the note editor is open.
    pub fn update_note(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Note(ed)) = self.overlays.last_mut() else {
            return vec![];
        };
        match action {
            Action::NoteChar(c) => ed.insert(&c.to_string()),
            Action::Paste(s) => ed.insert(&s),
            Action::NoteBackspace => ed.backspace(),
            Action::NoteDelete => ed.delete(),
            Action::NoteLeft => ed.cursor = ed.cursor.saturating_sub(1),
            Action::NoteRight => ed.cursor = (ed.cursor + 1).min(ed.text.len()),
            Action::NoteHome => ed.cursor = 0,
            Action::NoteEnd => ed.cursor = ed.text.len(),
            Action::NoteCancel | Action::Back => {
                self.overlays.pop();
                self.notice = Some(self.t("未保存", "not saved").into());
            }
            Action::NoteSave => {
                let note = ed.text().trim().to_string();
                let item = ed.item.clone();
                let purpose = ed.purpose.clone();
                let seen = self.state_seen(&item);
                let (state, expected) = match purpose {
                    // Into 已排除 from the state that press went on from.
                    NotePurpose::Reason(s) => (s, seen),
                    // A note alone is no follow-up: an unmarked item stays unmarked.
                    NotePurpose::Note => (seen.unwrap_or(review::State::Unmarked), seen),
                };
                if state.requires_reason() && note.is_empty() {
                    self.notice = Some(
                        self.t(
                            "已排除需要填写理由（不能为空）",
                            "dismissing needs a reason: the note cannot be empty",
                        )
                        .into(),
                    );
                    return vec![];
                }
                let Some(Overlay::Note(ed)) = self.overlays.pop() else {
                    return vec![];
                };
                return vec![self.mark_effect(ed.item, state, Some(note), ed.snapshot, expected)];
            }
            _ => {}
        }
        vec![]
    }

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
        s.offset = super::width::scroll_to(s.offset, s.cursor, rows);
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
                    if let Some(tab) = super::state::TABLE_IDS.iter().find(|t| Some(**t) == tid) {
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

    /// `H`: the history of the item under the cursor.
    pub fn show_history(&mut self) -> Vec<Effect> {
        let Some((_, item)) = self.mark_target() else {
            return vec![];
        };
        if !self.followups.available {
            return vec![];
        }
        vec![Effect::History(item.key())]
    }

    /// Keys while the history is shown.
    pub fn update_history(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::History(h)) = self.overlays.last_mut() else {
            return vec![];
        };
        match action {
            Action::MoveDown => h.scroll = (h.scroll + 1).min(h.events.len().saturating_sub(1)),
            Action::MoveUp => h.scroll = h.scroll.saturating_sub(1),
            Action::Back | Action::ShowHistory | Action::Open => {
                self.overlays.pop();
            }
            _ => {}
        }
        vec![]
    }

    /// Status words with the waiver sign: `✓ pass ⚑`.
    pub fn item_status_text(&self, item: &super::state::Item) -> String {
        let s = self.status_text(item.status);
        if item.waived {
            format!("{s} {WAIVER_SIGN}")
        } else {
            s
        }
    }

    /// Raw status of an item (before waivers).
    pub fn raw_status(item: &super::state::Item) -> Status {
        item.raw_status
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

impl State {
    /// The mark of a cell / finding / report of a list item, if any.
    pub fn item_mark(&self, item: &super::state::Item, target: &ItemRef) -> Option<&Mark> {
        let _ = item;
        self.mark_of(target)
    }

    /// `◆ 待核实 张三 (zhangsan)` and, when the item changed since, the drift
    /// (`标记时为 21，现为 27`).
    pub fn mark_summary(&self, item: &super::state::Item, m: &Mark) -> String {
        let mut s = format!(
            "{MARK_GLYPH} {} · {}",
            m.state.label_in(self.lang),
            super::width::clean(&m.who())
        );
        if let Some(d) = m.drift(item.report.as_deref(), Some(&item.findings)) {
            s.push_str(&format!(" · ⚠ {}", d.message(self.lang)));
        }
        s
    }

    /// Number of current marks of a list item's report.
    pub fn mark_count(&self, item: &super::state::Item) -> usize {
        match item.report.as_ref() {
            Some(r) => {
                let key = r.key();
                self.followups
                    .marks
                    .values()
                    .filter(|m| m.item.report_key == key && m.state.is_followup())
                    .count()
            }
            None => 0,
        }
    }
}
