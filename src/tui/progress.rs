//! Review progress on the list: which reports are 已阅 reviewed (`v`, kept in the
//! follow-up store with who and when, for the whole team), `已审 N/M` in the header, the
//! "not reviewed yet" filter (`w`), and each auditor's place — the report selected, the
//! list's filters and sort — saved in the store and restored when the batch is reopened.
//!
//! Like the marks, `update` never touches the store: it returns `Effect::Progress` with a
//! [`ProgressReq`], the runtime's progress worker does the SQLite I/O, and its answers
//! come back as [`ProgressMsg`]s for [`State::apply_progress`].

use super::action::Effect;
use super::state::{Item, SortKey, State};
use crate::check::Status;
use crate::review::Review;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Mark of a reviewed report in the list (narrow, unlike the status glyphs ✓ ✗ ! ⊘).
pub const REVIEWED_GLYPH: &str = "☑";

/// Requests to the progress worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressReq {
    /// Mark a report reviewed (or take the mark back).
    SetReviewed { report_key: String, reviewed: bool },
    /// Where the auditor is now (a [`Session`] as JSON); the worker keeps the latest and
    /// writes it when the keys pause and on quitting.
    SaveSession(String),
}

/// Answers of the progress worker.
#[derive(Debug, Clone)]
pub enum ProgressMsg {
    /// The store was read: the latest review of each report and this auditor's place in
    /// the batch, if saved.
    Opened {
        reviews: Vec<Review>,
        session: Option<String>,
    },
    /// Changes of reviewed states (ours and other auditors'), oldest first.
    Reviews(Vec<Review>),
    /// A 已阅 change was not saved.
    Failed { report_key: String, message: String },
    /// The place could not be saved (said once).
    SessionFailed(String),
}

/// Where an auditor left the list: restored when the batch is reopened. The typed filter
/// is not kept: it is a search of the moment, and `/` typed on reopening starts afresh.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Stable key of the selected report; `file` for a file without one.
    #[serde(default)]
    pub report: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub reverse: bool,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub unreviewed: bool,
}

fn sort_name(s: SortKey) -> &'static str {
    match s {
        SortKey::Status => "status",
        SortKey::Agency => "agency",
        SortKey::Year => "year",
        SortKey::Errors => "errors",
    }
}

fn sort_named(s: &str) -> SortKey {
    match s {
        "agency" => SortKey::Agency,
        "year" => SortKey::Year,
        "errors" => SortKey::Errors,
        _ => SortKey::Status,
    }
}

/// What the screen knows of the batch's review progress.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// Latest review change by report key.
    pub reviews: HashMap<String, Review>,
    /// Changes sent and not answered yet: report key → reviewed. Shown at once.
    pub pending: HashMap<String, bool>,
    /// Show only reports not reviewed yet.
    pub unreviewed_only: bool,
    /// The store has answered: the place read from it was applied, and the place can be
    /// saved (never before: that would overwrite the one kept).
    pub available: bool,
    /// The saved place's report, selected once it has loaded (dropped when the auditor
    /// picks another first).
    pub resume: Option<Session>,
    /// The place last sent to the store (nothing is sent while it does not change).
    pub saved: Option<Session>,
    /// Saving the place failed once already (said once, not on every key).
    pub session_failed: bool,
    /// The auditor has pressed a key: only then is the place worth saving (the cross-year
    /// results keeping the selection are not a choice).
    pub acted: bool,
    /// `review_counts` as last counted: the header shows it on every frame, and counting
    /// looks up every report's key (milliseconds at 100,000 reports). Forgotten whenever the
    /// reports, the reviews or the pending changes change ([`Progress::forget_counts`]).
    counts: std::cell::Cell<Option<(usize, usize)>>,
}

impl Progress {
    /// The reports or their 已阅 state changed: count again when next asked.
    pub fn forget_counts(&self) {
        self.counts.set(None);
    }
}

impl State {
    /// The stable key a report is marked by (none for an unreadable file).
    pub fn report_key_of(item: &Item) -> Option<String> {
        item.report.as_ref().map(|r| r.key())
    }

    /// Whether a report is 已阅 (a change waiting for the store counts as made). Asked of
    /// every report when the list is rebuilt with `w` on: the key is spelled into one
    /// reused buffer, not a new string per report.
    pub fn is_reviewed(&self, item: &Item) -> bool {
        let p = &self.progress;
        if p.pending.is_empty() && p.reviews.is_empty() {
            return false;
        }
        let Some(report) = item.report.as_ref() else {
            return false;
        };
        thread_local! {
            static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        KEY.with_borrow_mut(|key| {
            use std::fmt::Write;
            key.clear();
            // Writing into a `String` cannot fail.
            let _ = write!(key, "{}", report.key_parts());
            match p.pending.get(key.as_str()) {
                Some(r) => *r,
                None => p.reviews.get(key.as_str()).is_some_and(|r| r.reviewed),
            }
        })
    }

    /// The last 已阅 change of a report that is reviewed (who and when), if it is.
    pub fn review_of(&self, item: &Item) -> Option<&Review> {
        let key = State::report_key_of(item)?;
        if self.progress.pending.contains_key(&key) {
            return None;
        }
        self.progress.reviews.get(&key).filter(|r| r.reviewed)
    }

    /// (reviewed, reviewable): reports marked 已阅 over the reports that can be (unreadable
    /// files cannot).
    pub fn review_counts(&self) -> (usize, usize) {
        if let Some(counts) = self.progress.counts.get() {
            return counts;
        }
        let counts = self.count_reviews();
        self.progress.counts.set(Some(counts));
        counts
    }

    fn count_reviews(&self) -> (usize, usize) {
        let reviewable = self.items.iter().filter(|i| i.report.is_some());
        let (mut n, mut m) = (0, 0);
        for item in reviewable {
            m += 1;
            if self.is_reviewed(item) {
                n += 1;
            }
        }
        (n, m)
    }

    /// `v`: mark the report at hand (the list's selection, or the open report) reviewed, or
    /// take the mark back.
    pub(crate) fn toggle_reviewed(&mut self, id: usize) -> Vec<Effect> {
        let Some(item) = self.items.get(id) else {
            return vec![];
        };
        let Some(key) = State::report_key_of(item) else {
            self.notice = Some(
                self.t(
                    "无法读取的文件不能标为已阅",
                    "a file that cannot be read cannot be marked reviewed",
                )
                .into(),
            );
            return vec![];
        };
        let reviewed = !self.is_reviewed(item);
        let title = match item.year() {
            Some(y) => format!("{} {y}", item.name),
            None => item.name.clone(),
        };
        // With only unreviewed reports shown, the one just marked leaves the list: the
        // cursor goes on to the report that takes its place.
        let at = self.visible.iter().position(|&v| v == id);
        self.progress.pending.insert(key.clone(), reviewed);
        self.progress.forget_counts();
        self.selected = Some(id);
        self.picked = true;
        self.refresh();
        if let (Some(at), false) = (at, self.visible.contains(&id)) {
            if let Some(&next) = self
                .visible
                .get(at.min(self.visible.len().saturating_sub(1)))
            {
                self.selected = Some(next);
                self.fix_list_scroll();
            }
        }
        let (n, m) = self.review_counts();
        self.notice = Some(if reviewed {
            format!(
                "{REVIEWED_GLYPH} {} {title} · {} {n}/{m}",
                self.t("已阅", "reviewed"),
                self.t("已审", "reviewed"),
            )
        } else {
            format!(
                "{} {title} · {} {n}/{m}",
                self.t("已取消已阅", "no longer marked reviewed:"),
                self.t("已审", "reviewed"),
            )
        });
        vec![Effect::Progress(ProgressReq::SetReviewed {
            report_key: key,
            reviewed,
        })]
    }

    /// `w`: only the reports not reviewed yet, or all again.
    pub(crate) fn toggle_unreviewed_filter(&mut self) {
        self.progress.unreviewed_only = !self.progress.unreviewed_only;
        self.refresh();
    }

    /// Apply an answer of the progress worker.
    pub fn apply_progress(&mut self, msg: ProgressMsg) {
        match msg {
            ProgressMsg::Opened { reviews, session } => {
                for r in reviews {
                    self.take_review(r);
                }
                self.progress.available = true;
                let session = session.and_then(|s| serde_json::from_str::<Session>(&s).ok());
                if let Some(s) = session {
                    self.progress.saved = Some(s.clone());
                    self.restore(s);
                } else {
                    self.refresh();
                }
            }
            ProgressMsg::Reviews(rs) => {
                for r in rs {
                    self.take_review(r);
                }
                self.refresh();
            }
            ProgressMsg::Failed {
                report_key,
                message,
            } => {
                self.progress.pending.remove(&report_key);
                self.progress.forget_counts();
                self.notice = Some(crate::tui::width::clean(&message));
                self.refresh();
            }
            ProgressMsg::SessionFailed(message) => {
                if !self.progress.session_failed {
                    self.progress.session_failed = true;
                    self.notice = Some(crate::tui::width::clean(&format!(
                        "{}: {message}",
                        self.t("未能保存当前位置", "could not save your place")
                    )));
                }
            }
        }
    }

    fn take_review(&mut self, r: Review) {
        let p = &mut self.progress;
        p.forget_counts();
        if p.pending.get(&r.report_key) == Some(&r.reviewed) {
            p.pending.remove(&r.report_key);
        }
        let newer = p.reviews.get(&r.report_key).is_none_or(|old| old.id < r.id);
        if newer {
            p.reviews.insert(r.report_key.clone(), r);
        }
    }

    /// Where the auditor is now.
    pub fn session(&self) -> Session {
        let item = self.selected_item();
        let report = item.and_then(State::report_key_of);
        Session {
            file: if report.is_none() {
                item.map(|i| i.file.clone())
            } else {
                None
            },
            report,
            sort: sort_name(self.sort).into(),
            reverse: self.sort_reverse,
            status: self.status_filter,
            rule: self.rule_filter.clone(),
            year: self.year_filter,
            unreviewed: self.progress.unreviewed_only,
        }
    }

    /// The place read from the store: its filters and sort at once (unless the auditor
    /// has already changed them), its report as soon as it has loaded.
    fn restore(&mut self, s: Session) {
        let untouched = !self.picked
            && self.query.is_empty()
            && self.status_filter.is_none()
            && self.rule_filter.is_none()
            && self.year_filter.is_none()
            && self.sort == SortKey::default()
            && !self.sort_reverse
            && !self.progress.unreviewed_only;
        if !untouched {
            self.refresh();
            return;
        }
        self.sort = sort_named(&s.sort);
        self.sort_reverse = s.reverse;
        self.status_filter = s.status;
        self.rule_filter = s.rule.clone();
        self.year_filter = s.year;
        self.progress.unreviewed_only = s.unreviewed;
        self.progress.resume = Some(s);
        self.refresh();
        self.resume_if_loaded();
    }

    /// Select the saved place's report once it is in the list. Called after every change
    /// of the list while loading; given up when the auditor picks a report first or the
    /// batch has loaded without it.
    pub(crate) fn resume_if_loaded(&mut self) {
        let Some(s) = &self.progress.resume else {
            return;
        };
        if self.picked {
            self.progress.resume = None;
            return;
        }
        let found = self.visible.iter().copied().find(|&id| {
            let item = &self.items[id];
            match (&s.report, &s.file) {
                (Some(k), _) => item.report.as_ref().is_some_and(|r| r.has_key(k)),
                (None, Some(f)) => item.file == *f,
                (None, None) => false,
            }
        });
        if let Some(id) = found {
            self.selected = Some(id);
            self.picked = true;
            self.progress.resume = None;
            self.fix_list_scroll();
        } else if self.loading.finished && self.filtering.is_none() {
            self.progress.resume = None;
        }
    }

    /// The place to save, when it changed since the last one sent and the auditor has
    /// done something (opening the screen and quitting saves nothing).
    pub(crate) fn session_effect(&mut self) -> Option<Effect> {
        if !self.progress.available || self.progress.resume.is_some() {
            return None;
        }
        let now = self.session();
        let moved = self.picked || now != Session::default_for(self);
        if !self.progress.acted || !moved || self.progress.saved.as_ref() == Some(&now) {
            return None;
        }
        let json = serde_json::to_string(&now).ok()?;
        self.progress.saved = Some(now);
        Some(Effect::Progress(ProgressReq::SaveSession(json)))
    }
}

impl Session {
    /// The place of a screen just opened: the top report, no filter, the default sort.
    fn default_for(state: &State) -> Session {
        let top = state.visible.first().and_then(|&id| state.items.get(id));
        let report = top.and_then(State::report_key_of);
        Session {
            file: if report.is_none() {
                top.map(|i| i.file.clone())
            } else {
                None
            },
            report,
            sort: sort_name(SortKey::default()).into(),
            ..Session::default()
        }
    }
}
