//! Background loading: walk the directory, then load and check each report on rayon,
//! sending results back in small chunks so the list grows while the auditor works.
//! A report whose check panics becomes an unreadable entry with the reason.

use crate::batch;
use crate::check::{self, Finding};
use crate::i18n::Lang;
use crate::import::blocks::sanitize;
use crate::model::Report;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

pub struct Loaded {
    pub path: PathBuf,
    pub report: Result<Report, String>,
    pub findings: Vec<Finding>,
}

pub enum Msg {
    /// Number of report files found.
    Discovered(usize),
    Loaded(Vec<Loaded>),
    /// Cross-year findings to add to the later report of each pair.
    CrossYear(Vec<(PathBuf, Vec<Finding>)>),
    Finished,
}

std::thread_local! {
    /// Set while a worker runs code under `catch_unwind`: the panic hook then leaves the
    /// terminal alone (the panic becomes an unreadable entry, not a crash).
    pub static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    GUARDED.with(|g| g.set(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(false));
    r.map_err(|e| {
        let what = e
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| e.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        format!("internal error while checking: {what}")
    })
}

/// Remove control and escape characters from every text of a report loaded from disk
/// (the importer sanitises what it reads, but JSON files can be edited by hand).
pub fn sanitize_report(r: &mut Report) {
    let s = |t: &mut String| *t = sanitize(t);
    s(&mut r.agency);
    s(&mut r.agency_key);
    s(&mut r.source.file_name);
    if let Some(t) = r.title.as_mut() {
        s(t);
    }
    if let Some(t) = r.issuer.as_mut() {
        s(t);
    }
    for l in &mut r.preamble {
        s(&mut l.text);
    }
    for sec in &mut r.sections {
        s(&mut sec.number);
        s(&mut sec.heading);
        for l in &mut sec.lines {
            s(&mut l.text);
        }
    }
    for t in [&mut r.table2, &mut r.table3, &mut r.table4]
        .into_iter()
        .flatten()
    {
        for c in &mut t.extra_columns {
            s(c);
        }
        for row in &mut t.rows {
            s(&mut row.label);
            for c in &mut row.cells {
                s(&mut c.value.raw);
            }
        }
    }
    for n in &mut r.notes {
        s(&mut n.message);
    }
}

pub fn sanitize_finding(f: &mut Finding) {
    f.message = sanitize(&f.message);
    for t in [&mut f.expected, &mut f.actual, &mut f.quote]
        .into_iter()
        .flatten()
    {
        *t = sanitize(t);
    }
}

fn load_one(path: PathBuf, config: &check::Config, lang: Lang) -> Loaded {
    let result = guarded(|| {
        let mut report = batch::load_path(&path)?;
        sanitize_report(&mut report);
        let mut findings = check::check_report(&report, config, lang);
        findings.iter_mut().for_each(sanitize_finding);
        Ok::<_, String>((report, findings))
    });
    match result {
        Ok(Ok((report, findings))) => Loaded {
            path,
            report: Ok(report),
            findings,
        },
        Ok(Err(e)) | Err(e) => Loaded {
            path,
            report: Err(e),
            findings: Vec::new(),
        },
    }
}

/// Load `dir` on the calling thread (run it on a spawned one), sending progress on `tx`.
/// Stops early when the receiver is gone.
pub fn load(dir: &Path, lang: Lang, tx: Sender<Msg>) {
    let config = check::Config::default();
    let paths = batch::discover(dir);
    if tx.send(Msg::Discovered(paths.len())).is_err() {
        return;
    }
    let chunk = 4;
    let mut loaded: Vec<(PathBuf, Report)> = Vec::new();
    let results: Vec<Vec<(PathBuf, Option<Report>)>> = paths
        .par_chunks(chunk)
        .map_with(tx.clone(), |tx, chunk| {
            let batch: Vec<Loaded> = chunk
                .iter()
                .map(|p| load_one(p.clone(), &config, lang))
                .collect();
            let keep: Vec<(PathBuf, Option<Report>)> = batch
                .iter()
                // Only what the cross-year rules read is kept for them (not a second full
                // copy of every report).
                .map(|l| {
                    let slim = l.report.as_ref().ok().cloned().map(check::slim_for_cross);
                    (l.path.clone(), slim)
                })
                .collect();
            let _ = tx.send(Msg::Loaded(batch));
            keep
        })
        .collect();
    for (p, r) in results.into_iter().flatten() {
        if let Some(r) = r {
            loaded.push((p, r));
        }
    }
    // Cross-year rules: the same agency in consecutive years (paired as `check` does).
    let refs: Vec<(usize, &Report)> = loaded
        .iter()
        .enumerate()
        .map(|(i, (_, r))| (i, r))
        .collect();
    let mut pairs: Vec<(usize, usize)> = check::pair_reports(&refs)
        .into_iter()
        .map(|p| (p.prev, p.cur))
        .collect();
    // The auditor's pairing choices (DIR/.report-review/pairings.json) win.
    super::pairings::apply(dir, &loaded, &mut pairs);
    let extra: Vec<(PathBuf, Vec<Finding>)> = pairs
        .par_iter()
        .filter_map(|&(a, b)| {
            let mut f =
                guarded(|| check::check_pair(&loaded[a].1, &loaded[b].1, &config, lang)).ok()?;
            f.iter_mut().for_each(sanitize_finding);
            (!f.is_empty()).then(|| (loaded[b].0.clone(), f))
        })
        .collect();
    if !extra.is_empty() {
        let _ = tx.send(Msg::CrossYear(extra));
    }
    let _ = tx.send(Msg::Finished);
}
