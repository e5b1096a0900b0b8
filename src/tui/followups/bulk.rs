//! Marking several findings at once. In a report, `space` adds or removes the finding under
//! the cursor, `V` starts a range that follows the cursor (as lazygit's range select) and
//! ends it, `*` takes every finding of the current finding's rule in the report; `m` then
//! opens the state chooser for all of them, and `Esc` drops the selection. The rule summary
//! marks every finding of a rule in the batch the same way. Each bulk change is one store
//! transaction (`Store::mark_many`): all of it is saved, or none.

use crate::review::{self, ItemRef, Snapshot};
use crate::tui::action::{Action, Effect};
use crate::tui::state::{Overlay, Screen, State};
use std::collections::BTreeSet;

/// One item of a bulk change: what to mark, the state the screen saw, what it shows now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkItem {
    pub item: ItemRef,
    pub expected: Option<review::State>,
    pub snapshot: Snapshot,
}

/// Findings chosen in one report's findings list, by finding key (`RULE@location`: the list
/// is sorted again when cross-year findings arrive, so positions would move).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// List item of the report.
    pub item: usize,
    pub chosen: BTreeSet<String>,
    /// Where a range started (`V`); the range runs to the cursor while it is on.
    pub anchor: Option<usize>,
}

impl State {
    /// The selection of the report shown, if it has one.
    pub fn selection(&self) -> Option<&Selection> {
        let view = match &self.screen {
            Screen::Report(v) => v,
            _ => return None,
        };
        self.followups
            .selection
            .as_ref()
            .filter(|s| s.item == view.item)
    }

    /// Indices (into the report's findings) of the selected findings: those chosen, and the
    /// range from the anchor to the cursor.
    pub fn selected_findings(&self) -> BTreeSet<usize> {
        let (Some(sel), Some(view)) = (self.selection(), self.report_view()) else {
            return BTreeSet::new();
        };
        let Some(item) = self.items.get(sel.item) else {
            return BTreeSet::new();
        };
        let mut out: BTreeSet<usize> = item
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| sel.chosen.contains(&f.key()))
            .map(|(i, _)| i)
            .collect();
        if let (Some(a), Some(c)) = (sel.anchor, view.finding) {
            let n = item.findings.len();
            out.extend((a.min(c)..=a.max(c)).filter(|i| *i < n));
        }
        out
    }

    /// Selection keys in a report; `None` when the action is not one of them (or `Esc` has
    /// no selection to drop), so the report handles it.
    pub fn update_selection(&mut self, action: &Action) -> Option<Vec<Effect>> {
        let view = match &self.screen {
            Screen::Report(v) => v.clone(),
            _ => return None,
        };
        // A selection left in another report (stepped away from) is dropped.
        if self
            .followups
            .selection
            .as_ref()
            .is_some_and(|s| s.item != view.item)
        {
            self.followups.selection = None;
        }
        let item = self.items.get(view.item)?;
        let current = view
            .finding
            .and_then(|i| item.findings.get(i).map(|f| (i, f)));
        match action {
            Action::ToggleSelect | Action::VisualSelect | Action::SelectRule => {}
            Action::Back if self.selection().is_some() => {
                self.followups.selection = None;
                self.notice = Some(self.t("已取消选择", "selection dropped").into());
                return Some(vec![]);
            }
            _ => return None,
        }
        let Some((i, f)) = current else {
            self.notice = Some(
                self.t(
                    "先用 j/k 选中一个发现",
                    "select a finding first (j/k in the overview)",
                )
                .into(),
            );
            return Some(vec![]);
        };
        let key = f.key();
        let rule = f.rule.clone();
        let same_rule: Vec<String> = item
            .findings
            .iter()
            .filter(|g| g.rule == rule)
            .map(|g| g.key())
            .collect();
        let sel = self
            .followups
            .selection
            .take()
            .filter(|s| s.item == view.item)
            .unwrap_or(Selection {
                item: view.item,
                ..Selection::default()
            });
        let mut sel = sel;
        match action {
            Action::ToggleSelect => {
                if !sel.chosen.remove(&key) {
                    sel.chosen.insert(key);
                }
            }
            Action::VisualSelect => match sel.anchor.take() {
                // Ending the range keeps what it covered.
                Some(a) => {
                    for g in item.findings.iter().skip(a.min(i)).take(a.abs_diff(i) + 1) {
                        sel.chosen.insert(g.key());
                    }
                }
                None => sel.anchor = Some(i),
            },
            _ => sel.chosen.extend(same_rule),
        }
        self.followups.selection = (!sel.chosen.is_empty() || sel.anchor.is_some()).then_some(sel);
        // The footer counts the selection and says what to do with it (views::footer); a
        // notice of its own would only hide that line.
        self.notice = None;
        Some(vec![])
    }

    /// What `m` marks when findings are selected in the report shown.
    pub(super) fn bulk_targets(&self) -> Option<(Vec<BulkItem>, String)> {
        let sel = self.selection()?;
        let item = self.items.get(sel.item)?;
        let key = item.report.as_ref()?.key();
        let picked = self.selected_findings();
        if picked.is_empty() {
            return None;
        }
        let items = picked
            .iter()
            .filter_map(|&i| item.findings.get(i))
            .map(|f| ItemRef::of_finding(&key, f))
            .collect::<Vec<_>>();
        let label = match self.lang {
            crate::i18n::Lang::Zh => format!("{} {} 个发现", item.name, items.len()),
            crate::i18n::Lang::En => format!("{} · {} findings", item.name, items.len()),
        };
        Some((self.bulk_items(items), label))
    }

    /// Bulk items for `items`, each expecting the state the screen sees now.
    pub(crate) fn bulk_items(&self, items: Vec<ItemRef>) -> Vec<BulkItem> {
        items
            .into_iter()
            .map(|item| {
                let id = self.item_of_report(&item.report_key);
                BulkItem {
                    expected: self.state_seen(&item),
                    snapshot: self.snapshot_of(id, &item),
                    item,
                }
            })
            .collect()
    }

    /// Open the chooser for several items.
    pub(crate) fn open_bulk_chooser(&mut self, items: Vec<BulkItem>, label: String) {
        let first = items.first().map(|b| b.expected);
        let current = match first {
            Some(s) if items.iter().all(|b| b.expected == s) => s,
            _ => None,
        };
        let Some(head) = items.first().cloned() else {
            return;
        };
        self.overlays.push(Overlay::Chooser(super::Chooser {
            item: head.item,
            id: None,
            current,
            snapshot: head.snapshot,
            label: crate::tui::width::clean(&label),
            bulk: items,
        }));
    }

    /// One bulk change to the store, or nothing when every item is in `state` already.
    pub(super) fn bulk_effect(
        &mut self,
        items: Vec<BulkItem>,
        state: review::State,
        note: Option<String>,
    ) -> Vec<Effect> {
        let now = |b: &BulkItem| b.expected.unwrap_or(review::State::Unmarked);
        if note.is_none() && items.iter().all(|b| now(b) == state) {
            self.notice = Some(format!(
                "{} {}",
                self.t("未更改：均已是", "unchanged: all already"),
                state.label_in(self.lang)
            ));
            return vec![];
        }
        for b in &items {
            let entry = self
                .followups
                .pending
                .entry(b.item.key())
                .or_insert((state, 0));
            *entry = (state, entry.1 + 1);
        }
        // The selection has done its work.
        self.followups.selection = None;
        vec![Effect::MarkMany { items, state, note }]
    }
}
