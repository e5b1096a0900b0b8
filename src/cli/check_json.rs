//! `check --format json` (docs/check-output.md), written as it is produced: each report and
//! each finding is serialised straight to the writer from the batch in memory, so the document
//! is never held whole (as a `serde_json::Value` tree it took about as much memory again as the
//! batch's results).
//!
//! The text is the one the document always had: pretty-printed with two-space indents, object
//! keys in alphabetical order (the order `serde_json::Value` objects print in), `null` for a
//! missing `expected`, `actual`, `agency`, `year` or `template`.

use crate::batch::{duplicate_groups, Entry};
use crate::check::{BatchResult, Finding, Outcome, ReportResult, Severity, Status};
use crate::cli::check::{outcome_str, severity_str};
use crate::i18n::Lang;
use crate::review::Waiver;
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};
use serde::Serialize;
use std::io::Write;

/// Write the JSON document for a checked batch, with a final newline.
pub fn write(
    entries: &[Entry],
    result: &BatchResult,
    waivers: Option<&[Waiver]>,
    lang: Lang,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let doc = Document {
        entries,
        result,
        waivers,
        lang,
    };
    let mut ser = serde_json::Serializer::pretty(&mut *out);
    doc.serialize(&mut ser)?;
    out.write_all(b"\n")
}

struct Document<'a> {
    entries: &'a [Entry],
    result: &'a BatchResult,
    waivers: Option<&'a [Waiver]>,
    lang: Lang,
}

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (entries, result) = (self.entries, self.result);
        let groups = duplicate_groups(entries);
        let mut doc = s.serialize_struct("Document", 4)?;
        doc.serialize_field(
            "duplicates",
            &Each(|| {
                groups.iter().map(|g| {
                    let first = entries[g[0]].report.as_ref().ok();
                    Duplicate {
                        agency_key: first.map(|r| r.agency_key.as_str()),
                        paths: Each(move || g.iter().map(|&i| path(&entries[i]))),
                        year: first.and_then(|r| r.year),
                    }
                })
            }),
        )?;
        doc.serialize_field(
            "pairs",
            &Each(|| {
                result.pairs.iter().map(|p| PairJson {
                    agency_key: &p.agency_key,
                    cur: Side {
                        path: path(&entries[p.cur]),
                        year: p.cur_year,
                    },
                    prev: Side {
                        path: path(&entries[p.prev]),
                        year: p.prev_year,
                    },
                })
            }),
        )?;
        doc.serialize_field(
            "reports",
            &Each(|| {
                entries
                    .iter()
                    .zip(&result.reports)
                    .enumerate()
                    .map(|(i, (e, r))| ReportJson {
                        entry: e,
                        result: r,
                        waiver: self.waivers.and_then(|w| w.get(i)),
                    })
            }),
        )?;
        doc.serialize_field(
            "summary",
            &summary(entries, result, groups.len(), self.lang),
        )?;
        doc.end()
    }
}

fn path(e: &Entry) -> String {
    e.path.display().to_string()
}

/// A sequence serialised from an iterator made when it is written (nothing collected).
struct Each<F>(F);

impl<F, I> Serialize for Each<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for item in (self.0)() {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct Duplicate<'a, P> {
    agency_key: Option<&'a str>,
    paths: P,
    year: Option<i32>,
}

#[derive(Serialize)]
struct PairJson<'a> {
    agency_key: &'a str,
    cur: Side,
    prev: Side,
}

#[derive(Serialize)]
struct Side {
    path: String,
    year: i32,
}

/// One report: `agency`, `dismissed`, `error`, `findings`, `path`, `raw_status`, `status`,
/// `template`, `waived`, `year` (the waiver fields only when waivers were applied).
struct ReportJson<'a> {
    entry: &'a Entry,
    result: &'a ReportResult,
    waiver: Option<&'a Waiver>,
}

impl Serialize for ReportJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, r) = (self.entry, self.result);
        let report = e.report.as_ref().ok();
        let mut m = s.serialize_struct("Report", 10)?;
        m.serialize_field("agency", &report.map(|r| r.agency.as_str()))?;
        if let Some(w) = self.waiver {
            m.serialize_field("dismissed", &w.dismissed)?;
        }
        if let Some(err) = &r.error {
            m.serialize_field("error", err)?;
        }
        m.serialize_field("findings", &Each(|| r.findings.iter().map(FindingJson)))?;
        m.serialize_field("path", &path(e))?;
        if let Some(w) = self.waiver {
            m.serialize_field("raw_status", w.raw_status.as_str())?;
        }
        m.serialize_field("status", r.status.as_str())?;
        m.serialize_field("template", &report.map(|r| r.template.as_str()))?;
        if let Some(w) = self.waiver {
            m.serialize_field("waived", &w.waived)?;
        }
        m.serialize_field("year", &report.and_then(|r| r.year))?;
        m.end()
    }
}

/// One finding: `actual`, `cells`, `expected`, `line`, `location`, `message`, `outcome`,
/// `quote`, `rule`, `rule_severity`, `severity` (`cells`, `line` and `quote` only when set).
struct FindingJson<'a>(&'a Finding);

impl Serialize for FindingJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        let mut m = s.serialize_struct("Finding", 11)?;
        m.serialize_field("actual", &f.actual)?;
        if !f.cells.is_empty() {
            m.serialize_field("cells", &f.cells)?;
        }
        m.serialize_field("expected", &f.expected)?;
        if let Some(l) = f.line {
            m.serialize_field("line", &l)?;
        }
        m.serialize_field("location", &f.location)?;
        m.serialize_field("message", &f.message)?;
        m.serialize_field("outcome", outcome_str(f.outcome))?;
        if let Some(q) = &f.quote {
            m.serialize_field("quote", q)?;
        }
        m.serialize_field("rule", &f.rule)?;
        m.serialize_field("rule_severity", severity_str(f.severity))?;
        // A finding that could not be assessed is not an error: it has its own value.
        m.serialize_field("severity", f.mark().as_str())?;
        m.end()
    }
}

#[derive(Serialize)]
struct Summary {
    duplicates: usize,
    errors: usize,
    fail: usize,
    infos: usize,
    lang: &'static str,
    not_assessable: usize,
    pairs: usize,
    pass: usize,
    reports: usize,
    unreadable: usize,
    warn: usize,
    warnings: usize,
}

fn summary(entries: &[Entry], result: &BatchResult, duplicates: usize, lang: Lang) -> Summary {
    let counts = result.counts();
    let count = |s: Status| counts.iter().find(|(k, _)| *k == s).map_or(0, |(_, n)| *n);
    let findings = || result.reports.iter().flat_map(|r| r.findings.iter());
    let failed = |s: Severity| {
        findings()
            .filter(|f| f.severity == s && f.outcome == Outcome::Fail)
            .count()
    };
    Summary {
        duplicates,
        errors: failed(Severity::Error),
        fail: count(Status::Fail),
        infos: failed(Severity::Info),
        lang: match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        },
        not_assessable: findings()
            .filter(|f| f.outcome == Outcome::NotAssessable)
            .count(),
        pairs: result.pairs.len(),
        pass: count(Status::Pass),
        reports: entries.len(),
        unreadable: count(Status::Unreadable),
        warn: count(Status::Warn),
        warnings: failed(Severity::Warning),
    }
}
