//! Follow-up marks in the review screen: the marks of the batch (kept in `State`), the
//! messages to and from the store worker (`runtime::store`, which does the SQLite I/O), and
//! how the store's answers change the screen. Marking (the chooser, the note editor, an
//! item's history) is in `marking`; the follow-up screen in `screen`.
//!
//! `update` never touches the store: it returns `Effect::Mark` / `Effect::History`, which the
//! event loop sends to the worker; the worker's answers come back as [`StoreMsg`]s and are
//! applied with [`State::apply_store`].

mod bulk;
mod marking;
mod screen;

pub use bulk::{BulkItem, Selection};
pub use marking::{Chooser, NoteEditor, NotePurpose, CHOICES};
pub use screen::{FollowupScreen, FollowupSort, FOLLOWUP_CHROME};

use crate::check::Status;
use crate::review::{self, Event, ItemRef, Mark, Snapshot, StoreError};
use crate::tui::state::{Overlay, State};
use std::collections::HashMap;

/// Glyph of a marked item (distinct from the failure glyphs ✗ * ? !).
pub const MARK_GLYPH: &str = "◆";
/// Beside a cell (and before its note in the pane): the cell has a follow-up note but no mark.
pub const NOTE_GLYPH: &str = "✎";
/// Sign of a report whose status comes from waivers (dismissed findings).
pub const WAIVER_SIGN: &str = "⚑";

/// The one-column sign beside a marked cell or row: `◆` for a follow-up mark, `✎` for a
/// note alone (a mark set back to no follow-up but keeping its note), none otherwise.
pub fn mark_sign(m: &Mark) -> Option<&'static str> {
    if m.state.is_followup() {
        Some(MARK_GLYPH)
    } else if !m.note.trim().is_empty() {
        Some(NOTE_GLYPH)
    } else {
        None
    }
}

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

/// An item's history, shown over the screen.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub item: ItemRef,
    pub events: Vec<Event>,
    /// For the whole report: who marked it 已阅 (or took the mark back) and when.
    pub reviews: Vec<review::Review>,
    pub scroll: usize,
}

/// One line of a history: a follow-up change or a 已阅 change.
#[derive(Debug, Clone, Copy)]
pub enum HistoryEntry<'a> {
    Event(&'a Event),
    Review(&'a review::Review),
}

impl History {
    /// Both kinds of change, oldest first (times are RFC 3339 UTC, so they sort as text).
    pub fn entries(&self) -> Vec<HistoryEntry<'_>> {
        let mut all: Vec<(&str, HistoryEntry)> = self
            .events
            .iter()
            .map(|e| (e.at.as_str(), HistoryEntry::Event(e)))
            .chain(
                self.reviews
                    .iter()
                    .map(|r| (r.at.as_str(), HistoryEntry::Review(r))),
            )
            .collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all.into_iter().map(|(_, e)| e).collect()
    }
}

/// Everything the screen knows about follow-ups.
#[derive(Debug, Clone, Default)]
pub struct Followups {
    /// Current marks by item key.
    pub marks: HashMap<String, Mark>,
    /// The zone times are shown in (the system's; fixed in tests).
    pub zone: review::localtime::Zone,
    /// Findings selected in a report for one bulk mark.
    pub selection: Option<Selection>,
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
    /// Several items to one state, in one transaction.
    MarkMany {
        items: Vec<BulkItem>,
        state: review::State,
        note: Option<String>,
    },
    History(ItemRef),
}

/// Why a bulk change saved nothing.
#[derive(Debug, Clone)]
pub enum BulkRefusal {
    /// An item is no longer in the state the screen saw; its latest event.
    Conflict(Option<Box<Event>>),
    Failed(String),
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
    Failed { key: String, message: String },
    /// A change was refused: the item is no longer in the state it expected (a colleague
    /// changed it; `current` is its latest event).
    Conflict {
        item: ItemRef,
        state: review::State,
        note: Option<String>,
        snapshot: Snapshot,
        current: Option<Event>,
    },
    /// A bulk change was answered: the events committed (none of an item already in the
    /// state asked for), or why nothing was saved; `keys` are every item it asked for.
    SavedMany {
        keys: Vec<String>,
        result: Result<Vec<Event>, BulkRefusal>,
    },
    /// Something else went wrong (history).
    Error(String),
    /// An item's follow-up events and, for the whole report, its 已阅 changes.
    History {
        item: ItemRef,
        events: Vec<Event>,
        reviews: Vec<review::Review>,
    },
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
                    self.notice = Some(crate::tui::width::clean(&notices.join(" · ")));
                }
                self.apply_waivers();
            }
            StoreMsg::Unavailable(e) => {
                let e = crate::tui::width::clean(&e);
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
                self.notice = Some(crate::tui::width::clean(&message));
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
                self.notice = Some(crate::tui::width::clean(&format!(
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
            StoreMsg::SavedMany { keys, result } => {
                for k in &keys {
                    self.answered(k);
                }
                self.notice = Some(match result {
                    Ok(events) => {
                        let n = events.len();
                        let to = events.first().map(|e| e.new_state.label_in(self.lang));
                        self.apply_events(events);
                        match (self.lang, to) {
                            (crate::i18n::Lang::Zh, Some(to)) => {
                                format!("已保存 {n} 项 → {to}（共选 {} 项）", keys.len())
                            }
                            (crate::i18n::Lang::En, Some(to)) => {
                                format!("saved {n} → {to} ({} selected)", keys.len())
                            }
                            _ => self
                                .t(
                                    "未更改：均已是所选状态",
                                    "unchanged: all were in that state",
                                )
                                .to_string(),
                        }
                    }
                    Err(BulkRefusal::Conflict(current)) => {
                        let why = StoreError::Conflict {
                            expected: None,
                            current: current.clone(),
                        }
                        .to_string();
                        let why = why.split(" (you saw").next().unwrap_or(&why).to_string();
                        // The colleague's change is what the screen shows now, so pressing m
                        // again starts from it.
                        if let Some(ev) = current {
                            self.apply_events(vec![*ev]);
                        }
                        crate::tui::width::clean(&format!(
                            "{why} — {}",
                            self.t(
                                "全部未保存；请重新选择后再按 m",
                                "NONE saved; select again and press m"
                            )
                        ))
                    }
                    Err(BulkRefusal::Failed(why)) => crate::tui::width::clean(&why),
                });
            }
            StoreMsg::Error(e) | StoreMsg::Waiting(e) => {
                self.notice = Some(crate::tui::width::clean(&e));
            }
            StoreMsg::History {
                item,
                events,
                reviews,
            } => {
                // Under help, should help have been opened while the history was read.
                let h = Overlay::History(History {
                    item,
                    events,
                    reviews,
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
        // By the parts of the report key, so no report's key is spelled out to look it up
        // (this runs over the whole batch while it loads).
        let mut by_report: HashMap<(&str, Option<i32>), Vec<Mark>> = HashMap::new();
        for m in self.followups.marks.values() {
            if m.state == review::State::Dismissed {
                let key = crate::model::key::ReportKey::parse(&m.item.report_key);
                by_report
                    .entry((key.agency, key.year))
                    .or_default()
                    .push(m.clone());
            }
        }
        for item in &mut self.items {
            let Some(report) = item.report.as_ref() else {
                continue;
            };
            let marks = by_report
                .get(&(report.agency_key.as_str(), report.year))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            // No dismissed finding: the status as checked.
            let (status, waived) = if marks.is_empty() {
                (item.raw_status, false)
            } else {
                review::waived_status(&report.key(), item.raw_status, &item.findings, marks)
            };
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

    /// The list item of a report key.
    pub fn item_of_report(&self, report_key: &str) -> Option<usize> {
        self.items
            .iter()
            .find(|i| i.report.as_ref().is_some_and(|r| r.key() == report_key))
            .map(|i| i.id)
    }

    /// Status words with the waiver sign: `✓ pass ⚑`.
    pub fn item_status_text(&self, item: &crate::tui::state::Item) -> String {
        let s = self.status_text(item.status);
        if item.waived {
            format!("{s} {WAIVER_SIGN}")
        } else {
            s
        }
    }

    /// Raw status of an item (before waivers).
    pub fn raw_status(item: &crate::tui::state::Item) -> Status {
        item.raw_status
    }
}

impl State {
    /// The mark of a cell / finding / report of a list item, if any.
    pub fn item_mark(&self, item: &crate::tui::state::Item, target: &ItemRef) -> Option<&Mark> {
        let _ = item;
        self.mark_of(target)
    }

    /// `◆ 待核实 张三 (zhangsan)` and, when the item changed since, the drift
    /// (`标记时为 21，现为 27`).
    pub fn mark_summary(&self, item: &crate::tui::state::Item, m: &Mark) -> String {
        let mut s = format!(
            "{MARK_GLYPH} {} · {}",
            m.state.label_in(self.lang),
            crate::tui::width::clean(&m.who())
        );
        if let Some(d) = self.drift_of(item, m) {
            s.push_str(&format!(" · ⚠ {}", d.message(self.lang)));
        }
        s
    }

    /// [`State::mark_summary`] with the note beside it (`· ✎ 已电话核实`), for the views that
    /// show no pane with the note (the overview, the prose headings).
    pub fn mark_summary_noted(&self, item: &crate::tui::state::Item, m: &Mark) -> String {
        let mut s = self.mark_summary(item, m);
        let note = crate::tui::width::clean(&m.note);
        if !note.trim().is_empty() {
            s.push_str(&format!(" · ✎ {note}"));
        }
        s
    }

    /// How the thing behind mark `m` of `item` changed since it was made. A cell's or a
    /// part's text is known once its report was opened (the list keeps no text): until then
    /// no drift is shown for such a mark.
    pub fn drift_of(&self, item: &crate::tui::state::Item, m: &Mark) -> Option<review::Drift> {
        let content = matches!(
            m.item.target,
            review::Target::Cell { .. } | review::Target::Section { .. }
        );
        let report = if content && item.report.is_some() {
            Some(self.opened_report(item.id)?)
        } else {
            item.report.as_deref()
        };
        m.drift(report, Some(&item.findings))
    }

    /// Number of current marks of a list item's report.
    pub fn mark_count(&self, item: &crate::tui::state::Item) -> usize {
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
