//! The rule catalogue (domain.md §8): each rule has an id, a severity, and yields findings
//! that point at stable keys. Passing checks produce no finding.

use serde::{Deserialize, Serialize};

/// How serious a finding is (domain.md §8: E, W, I).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// What a rule concluded at one location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The rule's condition does not hold.
    Fail,
    /// An operand is missing (unreadable cell, absent table, no date): no evidence, no fail.
    NotAssessable,
}

/// One finding: a rule that failed (or could not be assessed) at one location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id exactly as in domain.md §8 (`T3-BAL`, `X-CARRY`, …).
    pub rule: String,
    pub severity: Severity,
    pub outcome: Outcome,
    /// Stable key of the place: `T3.R3_7.C1`, `T4.review.total`, `S6`, `S1:L12`, `META.date`.
    pub location: String,
    /// Human-readable message with the formula in words and its numbers,
    /// e.g. `（七）总计 = （一）+…+（六）: 20 ≠ 26 (自然人)`.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// For prose rules: the sentence quoted from the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Source line the finding points at, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Every cell key the formula used (to highlight operands in the table view).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
}

impl Finding {
    /// Stable key of the finding itself: rule id + location.
    pub fn key(&self) -> String {
        format!("{}@{}", self.rule, self.location)
    }
}

/// A report's review status (issue: fail if any error, warn if any warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Fail,
    Warn,
    Pass,
    Unreadable,
}

impl Status {
    /// Status from findings: info never changes it; not-assessable findings count at their severity
    /// only when they fail — a missing operand is not evidence of failure.
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Status {
        let mut status = Status::Pass;
        for f in findings {
            if f.outcome != Outcome::Fail {
                continue;
            }
            match f.severity {
                Severity::Error => return Status::Fail,
                Severity::Warning => status = Status::Warn,
                Severity::Info => {}
            }
        }
        status
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Pass => "pass",
            Status::Unreadable => "unreadable",
        }
    }
}

use crate::batch::Entry;
use crate::i18n::Lang;
use crate::model::Report;

/// Rule switches and severities, read from a TOML file (see `docs/rules.md`).
#[derive(Debug, Clone, Default)]
pub struct Config {}

/// Every single-report rule on one report.
pub fn check_report(_report: &Report, _config: &Config, _lang: Lang) -> Vec<Finding> {
    Vec::new()
}

/// The cross-year rules (X-*) on the same agency's reports for consecutive years.
pub fn check_pair(_prev: &Report, _cur: &Report, _config: &Config, _lang: Lang) -> Vec<Finding> {
    Vec::new()
}

/// A pairing of two reports of the same agency in consecutive years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// Index into the batch entries of the earlier and the later report.
    pub prev: usize,
    pub cur: usize,
    pub agency_key: String,
    pub prev_year: i32,
    pub cur_year: i32,
}

/// The outcome for one entry of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportResult {
    pub status: Status,
    /// Own findings and the cross-year findings where this report is the later year.
    pub findings: Vec<Finding>,
    /// Why the file could not be loaded (status `unreadable`).
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BatchResult {
    /// One per entry, same order.
    pub reports: Vec<ReportResult>,
    pub pairs: Vec<Pair>,
}

/// Check every entry of a batch, pairing the same agency's consecutive years.
pub fn check_batch(entries: &[Entry], config: &Config, lang: Lang) -> BatchResult {
    let reports = entries
        .iter()
        .map(|e| match &e.report {
            Ok(r) => {
                let findings = check_report(r, config, lang);
                ReportResult {
                    status: Status::from_findings(&findings),
                    findings,
                    error: None,
                }
            }
            Err(reason) => ReportResult {
                status: Status::Unreadable,
                findings: Vec::new(),
                error: Some(reason.clone()),
            },
        })
        .collect();
    BatchResult {
        reports,
        pairs: Vec::new(),
    }
}
