//! Follow-up marks: what auditors flag for follow-up, kept in a shared SQLite store beside the
//! batch (see `docs/followups.md`).
//!
//! A mark attaches to a stable key (docs/architecture.md, "Stable keys"): a report, a finding
//! (rule id + location), a table cell or a prose section. Every change is an appended
//! [`Event`]; the current [`Mark`] of an item is its latest event. A mark remembers the value
//! it was made on ([`Snapshot`]), so after a re-import or re-check it can say `marked at 21,
//! now 27` ([`Drift`]). Dismissed findings are waivers ([`waived_status`], [`apply_waivers`]).

pub mod export;
pub mod identity;
pub mod localtime;
pub mod place;
pub mod progress;
pub mod store;

pub use identity::Identity;
pub use progress::Review;
pub use store::{
    default_store_path, fallback_store_path, JournalMode, Location, OpenOptions, Store, StoreError,
};

use crate::batch::Entry;
use crate::check::{BatchResult, Finding, Status};
use crate::i18n::Lang;
use crate::model::Report;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

/// Follow-up state of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// 待核实: needs checking.
    Open,
    /// 已确认: the problem is real.
    Confirmed,
    /// 已排除: not a problem — a waiver; needs a reason.
    Dismissed,
    /// 已整改: fixed by the agency.
    Resolved,
    /// 无标记: no follow-up state — the mark was cleared, or the item only carries a note.
    /// Not a follow-up: not in [`State::ALL`], not counted, not listed as one.
    Unmarked,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Open,
        State::Confirmed,
        State::Dismissed,
        State::Resolved,
    ];

    /// `open`, `confirmed`, `dismissed`, `resolved` (as stored).
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Confirmed => "confirmed",
            State::Dismissed => "dismissed",
            State::Resolved => "resolved",
            State::Unmarked => "unmarked",
        }
    }

    /// 待核实, 已确认, 已排除, 已整改.
    pub fn label_zh(self) -> &'static str {
        match self {
            State::Open => "待核实",
            State::Confirmed => "已确认",
            State::Dismissed => "已排除",
            State::Resolved => "已整改",
            State::Unmarked => "无标记",
        }
    }

    /// `已排除 dismissed`: both names, for tables and exports read by either language.
    pub fn label(self) -> String {
        format!("{} {}", self.label_zh(), self.as_str())
    }

    /// The label in one language.
    pub fn label_in(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.label_zh(),
            Lang::En => self.as_str(),
        }
    }

    /// Accepts the English ids and the Chinese labels.
    pub fn parse(s: &str) -> Option<State> {
        let s = s.trim();
        State::ALL
            .into_iter()
            .chain([State::Unmarked])
            .find(|st| s.eq_ignore_ascii_case(st.as_str()) || s == st.label_zh())
    }

    /// A follow-up state (every state but 无标记 unmarked).
    pub fn is_followup(self) -> bool {
        self != State::Unmarked
    }

    /// Moving into this state needs a reason (a dismissal is a waiver).
    pub fn requires_reason(self) -> bool {
        self == State::Dismissed
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The next state when a reviewer cycles an item: none → open → confirmed → dismissed →
/// resolved → open. Check [`State::requires_reason`] on the result before marking.
pub fn cycle_state(current: Option<State>) -> State {
    match current {
        None | Some(State::Resolved) | Some(State::Unmarked) => State::Open,
        Some(State::Open) => State::Confirmed,
        Some(State::Confirmed) => State::Dismissed,
        Some(State::Dismissed) => State::Resolved,
    }
}

/// What kind of thing a mark points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Report,
    Finding,
    Cell,
    Section,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Report => "report",
            Kind::Finding => "finding",
            Kind::Cell => "cell",
            Kind::Section => "section",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Report, Kind::Finding, Kind::Cell, Kind::Section]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The part of a report a mark points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Target {
    Report,
    /// A finding: rule id + location (`T3-BAL` @ `T3.R3_7.C1`).
    Finding {
        rule: String,
        location: String,
    },
    /// A table cell key (docs/templates.md), e.g. `T3.R3_7.C1`.
    Cell {
        key: String,
    },
    /// A section id, e.g. `S6`.
    Section {
        id: String,
    },
}

/// A stable reference to something markable: report key + target.
/// Its [`key`](ItemRef::key) is `余姚市三七市镇/2020#T3.R3_7.C1`,
/// `…#finding:T3-BAL@T3.R3_7.C1`, `…#S6` or `…#report`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ItemRef {
    pub report_key: String,
    pub target: Target,
}

impl ItemRef {
    pub fn report(report_key: &str) -> ItemRef {
        ItemRef {
            report_key: report_key.to_string(),
            target: Target::Report,
        }
    }

    pub fn finding(report_key: &str, rule: &str, location: &str) -> ItemRef {
        ItemRef {
            report_key: report_key.to_string(),
            target: Target::Finding {
                rule: rule.to_string(),
                location: location.to_string(),
            },
        }
    }

    /// The mark target of a finding of this report.
    pub fn of_finding(report_key: &str, finding: &Finding) -> ItemRef {
        ItemRef::finding(report_key, &finding.rule, &finding.location)
    }

    pub fn cell(report_key: &str, cell_key: &str) -> ItemRef {
        ItemRef {
            report_key: report_key.to_string(),
            target: Target::Cell {
                key: cell_key.to_string(),
            },
        }
    }

    pub fn section(report_key: &str, section_id: &str) -> ItemRef {
        ItemRef {
            report_key: report_key.to_string(),
            target: Target::Section {
                id: section_id.to_string(),
            },
        }
    }

    pub fn kind(&self) -> Kind {
        match self.target {
            Target::Report => Kind::Report,
            Target::Finding { .. } => Kind::Finding,
            Target::Cell { .. } => Kind::Cell,
            Target::Section { .. } => Kind::Section,
        }
    }

    /// The part after `#`: `report`, `finding:T3-BAL@T3.R3_7.C1`, `T3.R3_7.C1`, `S6`.
    pub fn target_key(&self) -> String {
        match &self.target {
            Target::Report => "report".to_string(),
            Target::Finding { rule, location } => {
                format!("finding:{}", finding_key(rule, location))
            }
            Target::Cell { key } => key.clone(),
            Target::Section { id } => id.clone(),
        }
    }

    /// The full stable key, `report_key#target`.
    pub fn key(&self) -> String {
        format!("{}#{}", self.report_key, self.target_key())
    }

    /// The finding key (`RULE@location`, as `Finding::key`) for finding marks.
    pub fn finding_key(&self) -> Option<String> {
        match &self.target {
            Target::Finding { rule, location } => Some(finding_key(rule, location)),
            _ => None,
        }
    }

    /// Where in the report, for display: `T3.R3_7.C1`, `T3-BAL@T3.R3_7.C1`, `S6`, `(report)`.
    pub fn place(&self) -> String {
        match &self.target {
            Target::Report => "(report)".to_string(),
            Target::Finding { rule, location } => finding_key(rule, location),
            Target::Cell { key } => key.clone(),
            Target::Section { id } => id.clone(),
        }
    }

    /// The rule id of a finding mark.
    pub fn rule(&self) -> Option<&str> {
        match &self.target {
            Target::Finding { rule, .. } => Some(rule),
            _ => None,
        }
    }

    /// Read a full key back (`余姚市三七市镇/2020#finding:T3-BAL@T3.R3_7.C1`). A target that is
    /// not `report` or `finding:…` is a section when it looks like `S<digits>`, else a cell.
    pub fn parse(key: &str) -> Option<ItemRef> {
        // The first `#`: finding locations may contain one (`S1:L12#2`), report keys do not.
        let (report_key, target) = key.split_once('#')?;
        if report_key.is_empty() || target.is_empty() {
            return None;
        }
        let kind = if target == "report" {
            Kind::Report
        } else if target.starts_with("finding:") {
            Kind::Finding
        } else if is_section_id(target) {
            Kind::Section
        } else {
            Kind::Cell
        };
        ItemRef::from_parts(report_key, kind, target)
    }

    /// Rebuild from the stored columns (report key, kind, target key).
    pub fn from_parts(report_key: &str, kind: Kind, target: &str) -> Option<ItemRef> {
        Some(match kind {
            Kind::Report => ItemRef::report(report_key),
            Kind::Finding => {
                let rest = target.strip_prefix("finding:")?;
                let (rule, location) = split_finding_key(rest)?;
                ItemRef::finding(report_key, rule, location)
            }
            Kind::Cell => ItemRef::cell(report_key, target),
            Kind::Section => ItemRef::section(report_key, target),
        })
    }

    /// Agency part of the report key.
    pub fn agency(&self) -> &str {
        split_report_key(&self.report_key).0
    }

    /// Year part of the report key (`None` for `agency/?`).
    pub fn year(&self) -> Option<i32> {
        split_report_key(&self.report_key).1
    }
}

pub use crate::model::key::is_section_id;
use crate::model::key::{finding_key, split_finding_key};

/// (`余姚市三七市镇`, Some(2020)) from `余姚市三七市镇/2020`.
pub fn split_report_key(key: &str) -> (&str, Option<i32>) {
    let k = crate::model::key::ReportKey::parse(key);
    (k.agency, k.year)
}

/// What a mark was made on, so later changes can be noticed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The cell text, the finding's actual value (or message), `sha256:…` of a section's text.
    pub value: Option<String>,
    /// `source.sha256` of the report at mark time.
    pub report_sha256: Option<String>,
}

impl Snapshot {
    /// Capture what `item` points at in `report` (and its `findings`, for finding marks).
    pub fn capture(item: &ItemRef, report: Option<&Report>, findings: &[Finding]) -> Snapshot {
        Snapshot {
            value: report.and_then(|r| current_value(item, r, Some(findings))),
            report_sha256: report.map(|r| r.source.sha256.clone()),
        }
    }
}

/// Between the shown part of a finding snapshot and the digest of its operand cells.
const CELLS_TAG: &str = " · cells ";

/// The snapshot text of a finding: every operand of it — `actual ≠ expected` (e.g. `20 ≠ 26`),
/// else whichever of the two it has, else the quoted sentence (never the message, which
/// depends on the language) — followed by the digest of the cells the formula used, so a
/// change on either side of the formula, or in any cell behind it, is a different finding.
/// `None` when it has none of these (then only whether it is still reported is compared).
pub fn finding_snapshot(f: &Finding) -> Option<String> {
    let shown = match (&f.actual, &f.expected) {
        (Some(a), Some(e)) => Some(format!("{a} ≠ {e}")),
        (Some(v), None) | (None, Some(v)) => Some(v.clone()),
        (None, None) => f.quote.clone(),
    }
    .filter(|s| !s.is_empty());
    match &f.operands {
        Some(d) => Some(format!("{}{CELLS_TAG}{d}", shown.unwrap_or_default())),
        None => shown,
    }
}

/// What marks made before snapshots held every operand stored: one value only. Such a
/// snapshot is compared with this, so an upgrade does not lapse every waiver at once.
fn legacy_finding_snapshot(f: &Finding) -> Option<String> {
    f.actual
        .clone()
        .or_else(|| f.expected.clone())
        .or_else(|| f.quote.clone())
        .filter(|s| !s.is_empty())
}

fn is_legacy_finding_snapshot(then: &str) -> bool {
    !then.contains(CELLS_TAG) && !then.contains(" ≠ ")
}

/// A finding snapshot as shown to people: without the cell digest.
pub fn shown_snapshot(v: &str) -> &str {
    v.split_once(CELLS_TAG).map_or(v, |(shown, _)| shown)
}

/// How a finding mark made at `then` differs from the finding now (`None`: not reported any
/// more): gone, or changed in any operand; `None` when it is the same finding.
fn finding_drift(then: &str, now: Option<&Finding>) -> Option<Drift> {
    let Some(f) = now else {
        return Some(Drift::FindingGone {
            then: shown_snapshot(then).to_string(),
        });
    };
    if then.is_empty() {
        return None;
    }
    let now = if is_legacy_finding_snapshot(then) {
        legacy_finding_snapshot(f)
    } else {
        finding_snapshot(f)
    }?;
    if now == then {
        return None;
    }
    let (shown_then, shown_now) = (shown_snapshot(then), shown_snapshot(&now));
    let now = if shown_then == shown_now {
        // Same numbers, different cells behind them.
        format!("{shown_now} (its cells changed)")
    } else {
        shown_now.to_string()
    };
    Some(Drift::ValueChanged {
        then: shown_then.to_string(),
        now,
    })
}

fn section_digest(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!("sha256:{}", &hex::encode(digest)[..16])
}

/// What the item shows now, in the form snapshots are stored. `findings` is `None` when the
/// report was not checked (finding values then stay unknown).
fn current_value(item: &ItemRef, report: &Report, findings: Option<&[Finding]>) -> Option<String> {
    match &item.target {
        Target::Report => None,
        Target::Cell { key } => report.cell(key).map(|v| v.raw.trim().to_string()),
        Target::Section { id } => report.section(id).map(|s| section_digest(&s.text())),
        Target::Finding { rule, location } => findings?
            .iter()
            .find(|f| &f.rule == rule && &f.location == location)
            .and_then(finding_snapshot),
    }
}

/// How the thing behind a mark differs from when the mark was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "drift", rename_all = "snake_case")]
pub enum Drift {
    /// The report is not in the batch any more.
    ReportMissing,
    /// A report mark: the report's content hash changed.
    ReportChanged,
    /// A cell's text or a finding's value changed.
    ValueChanged { then: String, now: String },
    /// The cell is gone from the report.
    ValueMissing { then: String },
    /// The finding is no longer reported.
    FindingGone { then: String },
    /// A section's text changed.
    TextChanged,
    /// The section is gone.
    SectionMissing,
}

fn shown(v: &str) -> &str {
    if v.is_empty() {
        "(blank)"
    } else {
        v
    }
}

impl Drift {
    /// One line, e.g. `marked at 21, now 27` / `标记时为 21，现为 27`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Drift::ReportMissing, Lang::En) => "report not in this batch".into(),
            (Drift::ReportMissing, Lang::Zh) => "本批次中没有该报告".into(),
            (Drift::ReportChanged, Lang::En) => "report changed since marked".into(),
            (Drift::ReportChanged, Lang::Zh) => "标记后报告已变更".into(),
            (Drift::ValueChanged { then, now }, Lang::En) => {
                format!("marked at {}, now {}", shown(then), shown(now))
            }
            (Drift::ValueChanged { then, now }, Lang::Zh) => {
                format!("标记时为 {}，现为 {}", shown(then), shown(now))
            }
            (Drift::ValueMissing { then }, Lang::En) => {
                format!("marked at {}, now missing", shown(then))
            }
            (Drift::ValueMissing { then }, Lang::Zh) => {
                format!("标记时为 {}，现已不存在", shown(then))
            }
            (Drift::FindingGone { then }, Lang::En) => {
                format!("no longer reported (marked at {})", shown(then))
            }
            (Drift::FindingGone { then }, Lang::Zh) => {
                format!("问题已不再出现（标记时为 {}）", shown(then))
            }
            (Drift::TextChanged, Lang::En) => "section text changed since marked".into(),
            (Drift::TextChanged, Lang::Zh) => "标记后该部分文字已变更".into(),
            (Drift::SectionMissing, Lang::En) => "section missing now".into(),
            (Drift::SectionMissing, Lang::Zh) => "该部分现已不存在".into(),
        }
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// One change, as appended to the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Increasing; poll with [`Store::events_since`].
    pub id: i64,
    pub item: ItemRef,
    /// UTC, RFC 3339 (`2026-11-26T05:00:16.123Z`).
    pub at: String,
    pub os_user: String,
    pub display_name: Option<String>,
    /// `None` for the first event of an item.
    pub old_state: Option<State>,
    pub new_state: State,
    /// The item's note after this change.
    pub note: String,
    pub snapshot: Option<String>,
    pub report_sha256: Option<String>,
}

impl Event {
    pub fn who(&self) -> String {
        identity::who_label(&self.os_user, self.display_name.as_deref())
    }
}

/// The current state of one item: its latest event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    pub item: ItemRef,
    pub state: State,
    pub note: String,
    /// Who made the latest change, and when.
    pub os_user: String,
    pub display_name: Option<String>,
    pub at: String,
    /// Id of the latest event.
    pub event_id: i64,
    pub snapshot: Option<String>,
    pub report_sha256: Option<String>,
}

impl From<Event> for Mark {
    fn from(e: Event) -> Mark {
        Mark {
            item: e.item,
            state: e.new_state,
            note: e.note,
            os_user: e.os_user,
            display_name: e.display_name,
            at: e.at,
            event_id: e.id,
            snapshot: e.snapshot,
            report_sha256: e.report_sha256,
        }
    }
}

impl Mark {
    pub fn key(&self) -> String {
        self.item.key()
    }

    pub fn who(&self) -> String {
        identity::who_label(&self.os_user, self.display_name.as_deref())
    }

    /// [`Mark::who`] in at most `width` columns, the login always shown.
    pub fn who_fitting(&self, width: usize) -> String {
        identity::who_fitting(&self.os_user, self.display_name.as_deref(), width)
    }

    /// Whether the thing behind the mark changed since it was made. `report` is the report
    /// now (`None`: not in the batch); `findings` its findings now (`None`: not checked, so
    /// finding marks are not compared).
    pub fn drift(&self, report: Option<&Report>, findings: Option<&[Finding]>) -> Option<Drift> {
        let Some(report) = report else {
            return Some(Drift::ReportMissing);
        };
        match &self.item.target {
            Target::Report => match &self.report_sha256 {
                Some(then) if *then != report.source.sha256 => Some(Drift::ReportChanged),
                _ => None,
            },
            Target::Cell { .. } => {
                let then = self.snapshot.clone()?;
                match current_value(&self.item, report, None) {
                    None => Some(Drift::ValueMissing { then }),
                    Some(now) if now != then => Some(Drift::ValueChanged { then, now }),
                    Some(_) => None,
                }
            }
            Target::Section { .. } => {
                let then = self.snapshot.as_ref()?;
                match current_value(&self.item, report, None) {
                    None => Some(Drift::SectionMissing),
                    Some(now) if now != *then => Some(Drift::TextChanged),
                    Some(_) => None,
                }
            }
            Target::Finding { rule, location } => {
                let now = findings?
                    .iter()
                    .find(|f| f.rule == *rule && f.location == *location);
                finding_drift(self.snapshot.as_deref().unwrap_or_default(), now)
            }
        }
    }
}

/// Which marks [`Store::all`] returns. Empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub state: Option<State>,
    /// Login user of the latest change (never the display name, which anyone can choose).
    pub reviewer: Option<String>,
    /// Rule id of finding marks (other kinds never match when set).
    pub rule: Option<String>,
    pub report_key: Option<String>,
    /// Agency part of the report key.
    pub agency: Option<String>,
    pub kind: Option<Kind>,
}

impl Filter {
    pub fn matches(&self, m: &Mark) -> bool {
        // Without a state asked for, every follow-up; a cleared mark or a note alone only
        // when asked for by name.
        self.state.map_or(m.state.is_followup(), |s| s == m.state)
            && self.kind.is_none_or(|k| k == m.item.kind())
            && self.reviewer.as_ref().is_none_or(|r| *r == m.os_user)
            && self
                .rule
                .as_ref()
                .is_none_or(|r| m.item.rule() == Some(r.as_str()))
            && self
                .report_key
                .as_ref()
                .is_none_or(|k| *k == m.item.report_key)
            && self.agency.as_ref().is_none_or(|a| a == m.item.agency())
    }
}

/// How many current marks of each state one report has (for a batch list column).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub open: usize,
    pub confirmed: usize,
    pub dismissed: usize,
    pub resolved: usize,
}

impl Counts {
    pub fn add(&mut self, state: State) {
        match state {
            State::Open => self.open += 1,
            State::Confirmed => self.confirmed += 1,
            State::Dismissed => self.dismissed += 1,
            State::Resolved => self.resolved += 1,
            State::Unmarked => {}
        }
    }

    pub fn total(&self) -> usize {
        self.open + self.confirmed + self.dismissed + self.resolved
    }

    /// Still needing work: 待核实 + 已确认.
    pub fn pending(&self) -> usize {
        self.open + self.confirmed
    }
}

/// Mark counts per report key.
pub fn counts_by_report(marks: &[Mark]) -> HashMap<String, Counts> {
    let mut map: HashMap<String, Counts> = HashMap::new();
    for m in marks {
        map.entry(m.item.report_key.clone())
            .or_default()
            .add(m.state);
    }
    map
}

/// A report's status once dismissed findings are waived: findings whose current mark is
/// 已排除 dismissed, and which are still the finding that was dismissed, no longer count.
/// Returns the status and whether a waiver changed it. `marks` may hold marks of other
/// reports; only finding marks of `report_key` are used. Unreadable reports stay unreadable; a
/// status never gets worse.
pub fn waived_status(
    report_key: &str,
    status: Status,
    findings: &[Finding],
    marks: &[Mark],
) -> (Status, bool) {
    if status == Status::Unreadable {
        return (status, false);
    }
    let dismissed = dismissed_findings(report_key, findings, marks);
    if dismissed.is_empty() {
        return (status, false);
    }
    let remaining = findings.iter().filter(|f| !dismissed.contains(&f.key()));
    let waived = Status::from_findings(remaining);
    // Status order: Fail < Warn < Pass; never report worse than the raw status.
    if waived > status {
        (waived, true)
    } else {
        (status, false)
    }
}

/// Finding keys (`RULE@location`) of `report_key` whose current mark is dismissed and whose
/// operands are as they were when it was dismissed: a waiver lapses when the waived error
/// changes (its drift shows `marked at 20 ≠ 26, now 20 ≠ 526`).
pub fn dismissed_findings(
    report_key: &str,
    findings: &[Finding],
    marks: &[Mark],
) -> HashSet<String> {
    marks
        .iter()
        .filter(|m| m.state == State::Dismissed && m.item.report_key == report_key)
        .filter_map(|m| {
            let (rule, location) = match &m.item.target {
                Target::Finding { rule, location } => (rule, location),
                _ => return None,
            };
            let now = findings
                .iter()
                .find(|f| f.rule == *rule && f.location == *location)?;
            let then = m.snapshot.as_deref().unwrap_or_default();
            finding_drift(then, Some(now)).is_none().then(|| now.key())
        })
        .collect()
}

/// The waiver outcome for one report of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waiver {
    /// Status before waivers (what `check --ignore-waivers` shows).
    pub raw_status: Status,
    /// Status after waivers.
    pub status: Status,
    /// True when dismissals changed the status (show a waiver sign, e.g. `✓*`).
    pub waived: bool,
    /// Keys (`RULE@location`) of this report's findings that are dismissed.
    pub dismissed: Vec<String>,
}

/// Apply waivers to a checked batch: sets each `result.reports[i].status` to its waived status
/// and returns the details, one per entry. Call it unless `--ignore-waivers` is given.
pub fn apply_waivers(entries: &[Entry], result: &mut BatchResult, marks: &[Mark]) -> Vec<Waiver> {
    let mut by_report: HashMap<&str, Vec<Mark>> = HashMap::new();
    for m in marks
        .iter()
        .filter(|m| m.state == State::Dismissed && m.item.kind() == Kind::Finding)
    {
        by_report
            .entry(m.item.report_key.as_str())
            .or_default()
            .push(m.clone());
    }
    entries
        .iter()
        .zip(result.reports.iter_mut())
        .map(|(entry, rr)| {
            let raw = rr.status;
            let key = match &entry.report {
                Ok(r) => r.key(),
                Err(_) => {
                    return Waiver {
                        raw_status: raw,
                        status: raw,
                        waived: false,
                        dismissed: Vec::new(),
                    }
                }
            };
            let marks = by_report
                .get(key.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let (status, waived) = waived_status(&key, raw, &rr.findings, marks);
            let set = dismissed_findings(&key, &rr.findings, marks);
            let dismissed = rr
                .findings
                .iter()
                .map(|f| f.key())
                .filter(|k| set.contains(k))
                .collect();
            rr.status = status;
            Waiver {
                raw_status: raw,
                status,
                waived,
                dismissed,
            }
        })
        .collect()
}

/// For `check`: read the batch's store (never creating one) and apply its waivers.
/// Returns the waivers and any notice to print (fallback location, read-only). With no store
/// yet, nothing is waived.
pub fn apply_batch_waivers(
    dir: &Path,
    db: Option<&Path>,
    entries: &[Entry],
    result: &mut BatchResult,
) -> Result<(Vec<Waiver>, Vec<String>), StoreError> {
    let (marks, notices) = match Store::open_existing_for_batch(dir, db)? {
        Some(store) => (store.all(&Filter::default())?, store.notices().to_vec()),
        None => (Vec::new(), Vec::new()),
    };
    Ok((apply_waivers(entries, result, &marks), notices))
}

/// The current time in UTC as RFC 3339 with milliseconds (`2026-11-26T05:00:16.123Z`).
pub fn now_rfc3339() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, dd) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{dd:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Outcome, Severity};

    #[test]
    fn keys_round_trip() {
        for item in [
            ItemRef::report("余姚市三七市镇/2020"),
            ItemRef::finding("余姚市三七市镇/2020", "T3-BAL", "T3.R3_7.C1"),
            ItemRef::cell("余姚市三七市镇/2020", "T3.R3_7.C1"),
            ItemRef::section("余姚市三七市镇/2020", "S6"),
            ItemRef::finding("某局/?", "TXT-APP-RESULT-x", "S1:L12"),
            ItemRef::finding("某局/2021", "TXT-APP-RESULT-x", "S1:L12#2"),
        ] {
            assert_eq!(
                ItemRef::parse(&item.key()),
                Some(item.clone()),
                "{}",
                item.key()
            );
        }
        assert_eq!(
            ItemRef::finding("余姚市三七市镇/2020", "T3-BAL", "T3.R3_7.C1").key(),
            "余姚市三七市镇/2020#finding:T3-BAL@T3.R3_7.C1"
        );
        assert_eq!(ItemRef::parse("no-hash"), None);
        assert_eq!(ItemRef::parse("a/2020#finding:nolocation"), None);
    }

    #[test]
    fn states_parse_and_cycle() {
        assert_eq!(State::parse("已排除"), Some(State::Dismissed));
        assert_eq!(State::parse("Resolved"), Some(State::Resolved));
        assert_eq!(State::parse("closed"), None);
        let mut s = cycle_state(None);
        let mut seen = vec![s];
        for _ in 0..4 {
            s = cycle_state(Some(s));
            seen.push(s);
        }
        use State::*;
        assert_eq!(seen, [Open, Confirmed, Dismissed, Resolved, Open]);
        assert!(Dismissed.requires_reason() && !Open.requires_reason());
    }

    fn finding(rule: &str, sev: Severity) -> Finding {
        Finding {
            rule: rule.into(),
            severity: sev,
            outcome: Outcome::Fail,
            location: "T3.R3_7.C1".into(),
            message: "x".into(),
            expected: None,
            actual: Some("26".into()),
            quote: None,
            line: None,
            cells: vec![],
            operands: None,
        }
    }

    fn mark(item: ItemRef, state: State) -> Mark {
        Mark {
            item,
            state,
            note: "原因".into(),
            os_user: "u".into(),
            display_name: None,
            at: now_rfc3339(),
            event_id: 1,
            snapshot: None,
            report_sha256: None,
        }
    }

    fn report(agency: &str, year: i32) -> Report {
        serde_json::from_value(serde_json::json!({
            "schema_version": 1,
            "source": {"file_name": "x.json", "sha256": "0", "format": "text", "encoding": "UTF-8"},
            "agency": agency, "agency_key": agency, "year": year,
            "template": "2021", "sections": []
        }))
        .unwrap()
    }

    #[test]
    fn waivers_only_count_dismissed_findings_of_the_report() {
        let k = "甲/2020";
        let fs = vec![
            finding("T3-BAL", Severity::Error),
            finding("T3-ROW", Severity::Warning),
        ];
        let status = Status::from_findings(&fs);
        assert_eq!(status, Status::Fail);
        let bal = ItemRef::finding(k, "T3-BAL", "T3.R3_7.C1");
        let row = ItemRef::finding(k, "T3-ROW", "T3.R3_7.C1");
        // Confirmed is not a waiver; another report's dismissal is not either.
        let marks = vec![
            mark(bal.clone(), State::Confirmed),
            mark(
                ItemRef::finding("乙/2020", "T3-BAL", "T3.R3_7.C1"),
                State::Dismissed,
            ),
        ];
        assert_eq!(waived_status(k, status, &fs, &marks), (Status::Fail, false));
        let marks = vec![mark(bal.clone(), State::Dismissed)];
        assert_eq!(waived_status(k, status, &fs, &marks), (Status::Warn, true));
        let marks = vec![mark(bal, State::Dismissed), mark(row, State::Dismissed)];
        assert_eq!(waived_status(k, status, &fs, &marks), (Status::Pass, true));
        assert_eq!(
            waived_status(k, Status::Unreadable, &[], &marks),
            (Status::Unreadable, false)
        );
    }

    #[test]
    fn a_waiver_lapses_when_either_side_of_the_formula_changes() {
        let r = report("甲", 2020);
        let k = "甲/2020";
        let mut f = finding("T3-RES", Severity::Error);
        f.actual = Some("20".into());
        f.expected = Some("26".into());
        f.cells = vec!["T3.R1.C1".into(), "T3.R3_7.C1".into()];
        f.operands = Some("0123456789ab".into());
        let item = ItemRef::finding(k, "T3-RES", "T3.R3_7.C1");
        let mut m = mark(item, State::Dismissed);
        m.snapshot = Snapshot::capture(&m.item, Some(&r), std::slice::from_ref(&f)).value;
        let then = m.snapshot.clone().unwrap();
        assert!(then.starts_with("20 ≠ 26"), "{then}");
        let fs = vec![f.clone()];
        assert_eq!(
            waived_status(k, Status::Fail, &fs, &[m.clone()]),
            (Status::Pass, true)
        );
        let mut grown = f.clone();
        grown.expected = Some("526".into());
        grown.operands = Some("ba9876543210".into());
        let fs = vec![grown];
        assert_eq!(
            waived_status(k, Status::Fail, &fs, &[m.clone()]),
            (Status::Fail, false),
            "the waived error changed: the waiver lapses"
        );
        assert_eq!(
            m.drift(Some(&r), Some(&fs)).unwrap().message(Lang::En),
            "marked at 20 ≠ 26, now 20 ≠ 526"
        );
        // A mark made before snapshots held every operand: compared on the one value kept.
        m.snapshot = Some("20".into());
        assert_eq!(
            waived_status(k, Status::Fail, &fs, &[m]),
            (Status::Pass, true)
        );
    }

    #[test]
    fn counts_per_report() {
        let marks = vec![
            mark(ItemRef::report("甲/2020"), State::Open),
            mark(ItemRef::cell("甲/2020", "T3.R1.C1"), State::Dismissed),
            mark(ItemRef::report("乙/2021"), State::Resolved),
        ];
        let c = counts_by_report(&marks);
        assert_eq!((c["甲/2020"].total(), c["甲/2020"].pending()), (2, 1));
        assert_eq!(c["乙/2021"].resolved, 1);
    }

    #[test]
    fn rfc3339_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        let now = now_rfc3339();
        assert_eq!(now.len(), 24, "{now}");
        assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T');
    }
}
