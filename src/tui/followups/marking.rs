//! Marking in the review screen: the item under the cursor, the state chooser (`m`), the
//! note editor (`e`) and an item's history (`H`). Each change goes to the store as an
//! `Effect::Mark` expecting the state the screen saw.

use crate::review::{self, ItemRef, Snapshot};
use crate::tui::action::{Action, Effect};
use crate::tui::state::{Overlay, Screen, State, Tab};

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
    /// Several items marked at once (`item` is the first of them); empty for one item.
    pub bulk: Vec<super::BulkItem>,
}

/// Why the note editor is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotePurpose {
    /// Moving into this state needs a reason (已排除 dismissed).
    Reason(review::State),
    /// Editing the note, keeping the state.
    Note,
}

/// The note editor over the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteEditor {
    pub item: ItemRef,
    pub purpose: NotePurpose,
    pub line: crate::tui::lineedit::LineEdit,
    pub snapshot: Snapshot,
    /// What is being marked, as shown in the title.
    pub label: String,
    /// The reason is for several items at once (a bulk change); empty for one item.
    pub bulk: Vec<super::BulkItem>,
}

impl NoteEditor {
    pub fn text(&self) -> String {
        self.line.text()
    }
}

impl State {
    /// The state of an item as the next change sees it: what the changes still on their way
    /// to the store ask for, else its current mark.
    pub(super) fn state_seen(&self, item: &ItemRef) -> Option<review::State> {
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

    /// The cell a compare row stands for: this year's report's, or last year's for a row
    /// only last year's template has. Marking and drawing a compare row both ask here.
    pub fn compare_row_target(
        &self,
        view: &crate::tui::compare::CompareView,
        row: &crate::compare::CompareRow,
    ) -> Option<(usize, ItemRef)> {
        let id = match row.presence {
            crate::compare::Presence::PrevOnly => view.prev?,
            _ => view.cur,
        };
        let r = self.items.get(id)?.report.as_ref()?;
        Some((id, ItemRef::cell(&r.key(), &row.key)))
    }

    /// The follow-up mark of a compare row's cell, with the list item it belongs to.
    pub fn compare_row_mark(
        &self,
        view: &crate::tui::compare::CompareView,
        row: &crate::compare::CompareRow,
    ) -> Option<(&crate::tui::state::Item, &review::Mark)> {
        let (id, target) = self.compare_row_target(view, row)?;
        Some((self.items.get(id)?, self.mark_of(&target)?))
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
                let key = item.report.as_ref()?.key();
                // Cells and parts are those of the report as opened.
                let r = view.report.as_deref();
                let target = match view.tab {
                    Tab::Overview => view
                        .finding
                        .and_then(|i| item.findings.get(i))
                        .map(|f| ItemRef::of_finding(&key, f)),
                    Tab::Table(tid) => r.and_then(|r| r.table(tid)).and_then(|table| {
                        let grid = &view.layout.table(tid)?.grid;
                        let cur = view.cursor(tid);
                        let slot = grid.rows.get(cur.row)?.cells.get(cur.col).copied()??;
                        let cell = table.rows.get(cur.row)?.cells.get(slot)?;
                        Some(ItemRef::cell(&key, &cell.key))
                    }),
                    // The section of the prose row under the cursor.
                    Tab::Prose => view
                        .prose_section()
                        .and_then(|si| r?.sections.get(si)?.id.clone())
                        .map(|sid| ItemRef::section(&key, &sid)),
                };
                Some((
                    Some(item.id),
                    target.unwrap_or_else(|| ItemRef::report(&key)),
                ))
            }
            // A compare row is a cell of this year's report, or of last year's for a row
            // only last year's template has.
            Screen::Compare(view) => {
                let (id, target) = self.compare_row_target(view, view.current()?)?;
                Some((Some(id), target))
            }
            Screen::Rules(_) => None,
            Screen::Followups => {
                let rows = self.followup_rows();
                let m = rows.get(self.followups.screen.cursor)?;
                Some((self.item_of_report(&m.item.report_key), m.item.clone()))
            }
        }
    }

    pub(super) fn snapshot_of(&self, id: Option<usize>, item: &ItemRef) -> Snapshot {
        match id.and_then(|id| self.items.get(id)) {
            // A cell's or a part's text comes from the report opened (marks on them are
            // made from its table or prose); the rest from the identity and findings.
            Some(it) => {
                let report = self.opened_report(it.id).or(it.report.as_deref());
                Snapshot::capture(item, report, &it.findings)
            }
            None => Snapshot::default(),
        }
    }

    pub(crate) fn store_ready(&mut self) -> bool {
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
        if let Some((items, label)) = self.bulk_targets() {
            if self.store_ready() {
                self.open_bulk_chooser(items, label);
            }
            return vec![];
        }
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
        let label = self.item_label(&item);
        self.overlays.push(Overlay::Chooser(Chooser {
            item,
            id,
            current,
            snapshot,
            label,
            bulk: Vec::new(),
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
                if !c.bulk.is_empty() {
                    if to.requires_reason() {
                        self.open_editor(c.item, NotePurpose::Reason(to), Vec::new(), c.snapshot);
                        if let Some(Overlay::Note(ed)) = self.overlays.last_mut() {
                            ed.bulk = c.bulk;
                            ed.label = c.label;
                        }
                        return vec![];
                    }
                    return self.bulk_effect(c.bulk, to, None);
                }
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
        let label = self.item_label(&item);
        self.overlays.push(Overlay::Note(NoteEditor {
            line: crate::tui::lineedit::LineEdit {
                cursor: text.len(),
                text,
            },
            item,
            purpose,
            snapshot,
            label,
            bulk: Vec::new(),
        }));
    }

    /// Keys while the note editor is open.
    pub fn update_note(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Note(ed)) = self.overlays.last_mut() else {
            return vec![];
        };
        match action {
            a if ed.line.edit(&a) => {}
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
                if !ed.bulk.is_empty() {
                    return self.bulk_effect(ed.bulk, state, Some(note));
                }
                return vec![self.mark_effect(ed.item, state, Some(note), ed.snapshot, expected)];
            }
            _ => {}
        }
        vec![]
    }

    /// `H`: the history of the item under the cursor.
    pub fn show_history(&mut self) -> Vec<Effect> {
        let Some((_, item)) = self.mark_target() else {
            return vec![];
        };
        if !self.followups.available {
            return vec![];
        }
        vec![Effect::History(item)]
    }

    /// Keys while the history is shown.
    pub fn update_history(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::History(h)) = self.overlays.last_mut() else {
            return vec![];
        };
        match action {
            Action::MoveDown => {
                let n = h.events.len() + h.reviews.len();
                h.scroll = (h.scroll + 1).min(n.saturating_sub(1))
            }
            Action::MoveUp => h.scroll = h.scroll.saturating_sub(1),
            Action::Back | Action::ShowHistory | Action::Open => {
                self.overlays.pop();
            }
            _ => {}
        }
        vec![]
    }
}
