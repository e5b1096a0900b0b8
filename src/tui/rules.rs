//! The batch by rule (`R` from the list), as visidata's frequency sheet: one row per rule
//! with its title, how many reports and findings it has among the reports the list shows,
//! and how many of those findings have a follow-up. `Enter` lists the reports with that
//! rule's findings; `Enter` there opens the report at the rule's first finding. `m` marks
//! every finding of the rule (of the reports listed, or of the one report) at once.

use super::action::{Action, Effect};
use super::state::{Screen, State};
use crate::check::{registry, Mark};
use crate::review::ItemRef;
use std::collections::HashMap;

/// One level of the rule summary: every rule, or the reports of one rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RulesView {
    /// `None`: the summary of every rule; `Some`: the reports with findings of this rule.
    pub rule: Option<String>,
    pub cursor: usize,
    pub offset: usize,
    pub sort: RuleSort,
}

/// How the summary is ordered (`s` cycles).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RuleSort {
    /// Most findings first (the frequency sheet).
    #[default]
    Findings,
    /// Most reports first.
    Reports,
    /// By rule id.
    Rule,
}

impl RuleSort {
    fn next(self) -> RuleSort {
        match self {
            RuleSort::Findings => RuleSort::Reports,
            RuleSort::Reports => RuleSort::Rule,
            RuleSort::Rule => RuleSort::Findings,
        }
    }

    /// (Chinese, English) name, as the header shows it.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            RuleSort::Findings => ("发现数", "findings"),
            RuleSort::Reports => ("报告数", "reports"),
            RuleSort::Rule => ("规则", "rule"),
        }
    }
}

/// A rule of the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRow {
    pub rule: String,
    /// The catalogue's title in the screen's language (the first message when the rule is
    /// not in the catalogue).
    pub title: String,
    /// The most serious mark among its findings.
    pub mark: Mark,
    pub reports: usize,
    pub findings: usize,
    /// Findings with a follow-up (any of the four states).
    pub followed: usize,
}

/// A report of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleReport {
    /// List item.
    pub id: usize,
    /// Indices of the rule's findings in the report's findings.
    pub findings: Vec<usize>,
    pub followed: usize,
}

impl State {
    /// `R`: the rule summary of the reports the list shows.
    pub fn open_rules(&mut self) {
        if matches!(self.screen, Screen::Rules(_)) {
            return;
        }
        self.push_screen(Screen::Rules(RulesView::default()));
    }

    fn followed(&self, report_key: &str, f: &crate::check::Finding) -> bool {
        self.mark_of(&ItemRef::of_finding(report_key, f))
            .is_some_and(|m| m.state.is_followup())
    }

    /// Every rule with findings among the reports listed, in the chosen order.
    pub fn rule_rows(&self, sort: RuleSort) -> Vec<RuleRow> {
        let mut by_rule: HashMap<&str, RuleRow> = HashMap::new();
        for &id in &self.visible {
            let Some(item) = self.items.get(id) else {
                continue;
            };
            let key = item.report.as_ref().map(|r| r.key()).unwrap_or_default();
            let mut seen: Vec<&str> = Vec::new();
            for f in &item.findings {
                let row = by_rule.entry(f.rule.as_str()).or_insert_with(|| RuleRow {
                    rule: f.rule.clone(),
                    title: registry::rule(&f.rule)
                        .map_or_else(|| f.message.clone(), |d| d.title(self.lang).to_string()),
                    mark: f.mark(),
                    reports: 0,
                    findings: 0,
                    followed: 0,
                });
                row.findings += 1;
                row.mark = row.mark.min(f.mark());
                if !seen.contains(&f.rule.as_str()) {
                    seen.push(&f.rule);
                    row.reports += 1;
                }
                if self.followed(&key, f) {
                    row.followed += 1;
                }
            }
        }
        let mut rows: Vec<RuleRow> = by_rule.into_values().collect();
        rows.sort_by(|a, b| match sort {
            RuleSort::Findings => b
                .findings
                .cmp(&a.findings)
                .then_with(|| a.rule.cmp(&b.rule)),
            RuleSort::Reports => b.reports.cmp(&a.reports).then_with(|| a.rule.cmp(&b.rule)),
            RuleSort::Rule => a.rule.cmp(&b.rule),
        });
        rows
    }

    /// The reports listed that have findings of `rule`, in the list's order.
    pub fn rule_reports(&self, rule: &str) -> Vec<RuleReport> {
        self.visible
            .iter()
            .filter_map(|&id| {
                let item = self.items.get(id)?;
                let key = item.report.as_ref().map(|r| r.key()).unwrap_or_default();
                let findings: Vec<usize> = item
                    .findings
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.rule == rule)
                    .map(|(i, _)| i)
                    .collect();
                if findings.is_empty() {
                    return None;
                }
                let followed = findings
                    .iter()
                    .filter(|&&i| self.followed(&key, &item.findings[i]))
                    .count();
                Some(RuleReport {
                    id,
                    findings,
                    followed,
                })
            })
            .collect()
    }

    /// The rule summary shown, if it is.
    pub fn rules_view(&self) -> Option<&RulesView> {
        match &self.screen {
            Screen::Rules(v) => Some(v),
            _ => None,
        }
    }

    /// Rows of the rule summary that fit: below the two head lines and the header, above the
    /// line of the selected row and the footer.
    pub fn rules_list_rows(&self) -> usize {
        (self.size.1 as usize).saturating_sub(5).max(1)
    }

    /// Keys on the rule summary.
    pub fn update_rules(&mut self, action: Action) -> Vec<Effect> {
        let Some(view) = self.rules_view().cloned() else {
            return vec![];
        };
        let n = match &view.rule {
            None => self.rule_rows(view.sort).len(),
            Some(r) => self.rule_reports(r).len(),
        };
        let page = self.rules_list_rows();
        let last = n.saturating_sub(1);
        let mut v = view.clone();
        match action {
            Action::MoveDown => v.cursor = (v.cursor + 1).min(last),
            Action::MoveUp => v.cursor = v.cursor.saturating_sub(1),
            Action::PageDown => v.cursor = (v.cursor + page).min(last),
            Action::PageUp => v.cursor = v.cursor.saturating_sub(page),
            Action::Top => v.cursor = 0,
            Action::Bottom => v.cursor = last,
            Action::CycleSort if v.rule.is_none() => {
                v.sort = v.sort.next();
                v.cursor = 0;
            }
            Action::Back => {
                self.pop_screen();
                return vec![];
            }
            Action::Open => {
                match &view.rule {
                    None => {
                        if let Some(row) = self.rule_rows(view.sort).get(view.cursor) {
                            self.push_screen(Screen::Rules(RulesView {
                                rule: Some(row.rule.clone()),
                                ..RulesView::default()
                            }));
                        }
                    }
                    Some(rule) => {
                        if let Some(r) = self.rule_reports(rule).get(view.cursor).cloned() {
                            self.open(r.id);
                            if let Some(&first) = r.findings.first() {
                                self.jump_to_finding(first);
                            }
                        }
                    }
                }
                return vec![];
            }
            Action::ToggleMark => return self.mark_rule(&view),
            _ => return vec![],
        }
        v.offset = super::width::scroll_to(v.offset, v.cursor, page);
        if let Screen::Rules(cur) = &mut self.screen {
            *cur = v;
        }
        vec![]
    }

    /// `m` on the summary: every finding of the rule in the reports listed; on the reports
    /// of a rule: every finding of it in the report under the cursor.
    fn mark_rule(&mut self, view: &RulesView) -> Vec<Effect> {
        let (rule, reports) = match &view.rule {
            None => {
                let Some(row) = self.rule_rows(view.sort).get(view.cursor).cloned() else {
                    return vec![];
                };
                let reports = self.rule_reports(&row.rule);
                (row.rule, reports)
            }
            Some(rule) => {
                let reports = self.rule_reports(rule);
                let one = reports.get(view.cursor).cloned().into_iter().collect();
                (rule.clone(), one)
            }
        };
        let mut items = Vec::new();
        for r in &reports {
            let item = &self.items[r.id];
            let Some(key) = item.report.as_ref().map(|rep| rep.key()) else {
                continue;
            };
            items.extend(
                r.findings
                    .iter()
                    .map(|&i| ItemRef::of_finding(&key, &item.findings[i])),
            );
        }
        if items.is_empty() {
            self.notice = Some(
                self.t("这里没有可标记的项目", "nothing to mark here")
                    .into(),
            );
            return vec![];
        }
        if !self.store_ready() {
            return vec![];
        }
        let label = match self.lang {
            crate::i18n::Lang::Zh => {
                format!("{rule} · {} 份报告的 {} 个发现", reports.len(), items.len())
            }
            crate::i18n::Lang::En => format!(
                "{rule} · {} findings in {} reports",
                items.len(),
                reports.len()
            ),
        };
        let items = self.bulk_items(items);
        self.open_bulk_chooser(items, label);
        vec![]
    }
}
