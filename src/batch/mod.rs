//! A batch: every report under a directory, read, checked, paired and waived the same way
//! for every command and for the review screen.
//!
//! [`load`] is the one pipeline: walk the directory, read JSON and raw reports in parallel,
//! clean their text ([`crate::sanitize`]), check each (a rule that panics makes its report
//! unreadable, with the reason), pair consecutive years ([`pairing`]), apply the auditor's
//! pairing choices ([`pairings_file`]), run the cross-year rules, and apply the waivers of
//! the follow-up store. What stays resident per report is what the list, the filters and the
//! outputs need (identity, status, findings); the cross-year rules read the compact record of
//! [`slim`], kept while loading. The full report is read again from its file by
//! [`Batch::open`].
//!
//! Layout: `read` (finding and reading files), `load` (the pipeline), `pairing` (which
//! reports are consecutive years of one agency), `pairings_file` (the auditor's choices).

pub mod cache;
mod codec;
mod load;
pub mod names;
pub mod pairing;
pub mod pairings_file;
mod read;
pub mod reasons;
pub mod slim;

pub use load::{check_entries, clean_finding, guarded, load, Checked, Progress, GUARDED};
pub use pairing::{Pair, PairHow};
pub use pairings_file::Pairings;
pub use read::{
    discover, is_report_file, load_json, load_path, parse_json, walk_reports, STATE_DIR,
};

use crate::check::{BatchResult, Config, Finding, Outcome, ReportResult, Severity, Status};
use crate::i18n::Lang;
use crate::model::Report;
use crate::review::{Mark, Waiver};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One file of a batch: the report, or why it could not be loaded.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    pub report: Result<Report, String>,
}

/// Load every report under `dir` in parallel, as they are on disk (not cleaned, not checked;
/// for tests and tools that want the reports themselves). Order follows `discover`.
pub fn load_dir(dir: &Path) -> Vec<Entry> {
    discover(dir)
        .into_par_iter()
        .map(|path| {
            let report = load_path(&path);
            Entry { path, report }
        })
        .collect()
}

/// Where the auditor's pairing choices come from.
#[derive(Debug, Clone, Default)]
pub enum Choices {
    /// `DIR/.report-review/pairings.json` (none when it is missing; a notice when malformed).
    #[default]
    FromDir,
    /// These choices.
    Given(Pairings),
    /// Automatic pairing only.
    Ignore,
}

/// Where waivers (dismissed findings, docs/followups.md) come from.
#[derive(Debug, Clone, Default)]
pub enum Waivers {
    /// The batch's follow-up store, or the one at this path; never created. A store that
    /// cannot be read gives a notice and no waivers.
    Store { db: Option<PathBuf> },
    /// These marks.
    Marks(Vec<Mark>),
    /// Raw statuses (`check --ignore-waivers`; the screen applies its own marks live).
    #[default]
    Off,
}

/// How to load a batch.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub config: Config,
    pub lang: Lang,
    pub pairings: Choices,
    pub waivers: Waivers,
    /// Keep each full report resident instead of its identity ([`slim::identity`])
    /// (for callers that show whole reports and do not re-read them with [`Batch::open`]).
    pub keep_full_reports: bool,
    /// Only the reports of this agency (its key or its name as printed), every year of it
    /// (so its cross-year pairs survive); other files are left out, unreadable ones too.
    pub agency: Option<String>,
    /// Use the result cache beside the batch (`DIR/.report-review/cache.sqlite`, see
    /// [`cache`]): unchanged files are not read or checked again. Not used with
    /// `keep_full_reports`.
    pub cache: bool,
    /// The program build the cache belongs to ([`cache::program_build`]); a cache written by
    /// another build is not used.
    pub program: String,
    /// Keep each report's findings (its own and the cross-year ones) in the batch's
    /// results. The screen turns this off and takes them from the progress messages instead
    /// ([`Progress::Checked`], [`Progress::CrossYear`]): a second copy held by the batch was
    /// most of its peak memory. The results' findings and statuses are then not to be read.
    pub keep_findings: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            config: Config::default(),
            lang: Lang::En,
            pairings: Choices::FromDir,
            waivers: Waivers::Off,
            keep_full_reports: false,
            agency: None,
            cache: false,
            program: cache::program_build(),
            keep_findings: true,
        }
    }
}

/// A loaded, checked batch.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The directory (or the single file) loaded.
    pub dir: PathBuf,
    /// One per report file found, sorted by path. A readable entry's report is its identity
    /// ([`slim::identity`]; the full report with `keep_full_reports`), its text cleaned.
    pub entries: Vec<Entry>,
    /// Status and findings per entry (same order), pairs of consecutive years. Statuses are
    /// after waivers when waivers were applied.
    pub result: BatchResult,
    /// Per entry, when waivers were applied: raw status, dismissed findings.
    pub waivers: Option<Vec<Waiver>>,
    /// Reports of the same agency (normalised key) and year: groups of entry indices.
    pub duplicates: Vec<Vec<usize>>,
    /// Things the auditor should know about the load (malformed pairings.json, store
    /// fallback, store unreadable), one line each.
    pub notices: Vec<String>,
    /// How many reports the result cache answered (neither read nor checked again).
    pub from_cache: usize,
    /// How many pairs of consecutive years the result cache answered (their cross-year
    /// rules not run again).
    pub pairs_from_cache: usize,
    by_key: HashMap<String, usize>,
}

/// Error and warning counts of a report: failing findings by severity (what the list and
/// `check` show; not-assessable findings are not counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings.iter().filter(|f| f.outcome == Outcome::Fail) {
            match f.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

impl Batch {
    pub(crate) fn new(
        dir: PathBuf,
        entries: Vec<Entry>,
        result: BatchResult,
        notices: Vec<String>,
    ) -> Batch {
        let mut by_key = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if let Ok(r) = &e.report {
                by_key.entry(r.key()).or_insert(i);
            }
        }
        let duplicates = duplicate_groups(&entries);
        Batch {
            dir,
            entries,
            result,
            waivers: None,
            duplicates,
            notices,
            from_cache: 0,
            pairs_from_cache: 0,
            by_key,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry and its outcome.
    pub fn get(&self, i: usize) -> Option<(&Entry, &ReportResult)> {
        Some((self.entries.get(i)?, self.result.reports.get(i)?))
    }

    /// The status of entry `i` (after waivers, when applied).
    pub fn status(&self, i: usize) -> Option<Status> {
        self.result.reports.get(i).map(|r| r.status)
    }

    /// Error and warning counts of entry `i`.
    pub fn counts(&self, i: usize) -> Counts {
        self.result
            .reports
            .get(i)
            .map_or_else(Counts::default, |r| Counts::of(&r.findings))
    }

    /// The first readable entry with this report key (`余姚市三七市镇/2020`).
    pub fn by_key(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    /// The report of entry `i`, as resident: its identity (the full report with
    /// `keep_full_reports`).
    pub fn report(&self, i: usize) -> Option<&Report> {
        self.entries.get(i)?.report.as_ref().ok()
    }

    /// Files that could not be loaded, with the reason.
    pub fn unreadable(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.entries.iter().filter_map(|e| match &e.report {
            Ok(_) => None,
            Err(reason) => Some((e.path.as_path(), reason.as_str())),
        })
    }

    /// The full report of entry `i`, read again from its file and cleaned as the batch was.
    pub fn open(&self, i: usize) -> Result<Report, String> {
        let e = self
            .entries
            .get(i)
            .ok_or_else(|| format!("no report {i} in the batch"))?;
        open(&e.path)
    }

    /// The key entry `i` is stored under in the pairing choices (path relative to the batch).
    pub fn file_key(&self, i: usize) -> String {
        pairings_file::file_key(&self.dir, &self.entries[i].path)
    }

    /// True when any report fails (the exit code of `check`).
    pub fn any_fail(&self) -> bool {
        self.result.any_fail()
    }
}

/// One report file read and cleaned, as the batch reads it.
pub fn open(path: &Path) -> Result<Report, String> {
    let mut report = load_path(path)?;
    load::clean_report(&mut report);
    Ok(report)
}

/// Reports of the same agency (normalised key) and year: each group lists entry indices in
/// batch order. They are all checked and listed; pairing uses the first of a group.
pub fn duplicate_groups(entries: &[Entry]) -> Vec<Vec<usize>> {
    let mut groups: std::collections::BTreeMap<(String, i32), Vec<usize>> = Default::default();
    for (i, e) in entries.iter().enumerate() {
        let Ok(r) = &e.report else { continue };
        let key = pairing::normalise(&r.agency_key);
        if let (false, Some(year)) = (key.is_empty(), r.year) {
            groups.entry((key, year)).or_default().push(i);
        }
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    out.sort();
    out
}
