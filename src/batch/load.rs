//! The pipeline: read and check every file in parallel, pair, run the cross-year rules,
//! apply waivers.

use super::cache::{self, Cache, Cached, Lookup};
use super::pairing::{pair_reports, Pair};
use super::pairings_file::{self, Pairings};
use super::slim::{self, CrossData};
use super::{read, Batch, Choices, Entry, LoadOptions, Waivers};
use crate::check::{self, BatchResult, Config, Finding, ReportResult, Status};
use crate::i18n::Lang;
use crate::model::Report;
use crate::sanitize::clean_in_place;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the pipeline has done so far, for a progress display.
pub enum Progress<'a> {
    /// Number of report files found.
    Found(usize),
    /// Some files read and checked (own rules only), in no particular order. The reports
    /// are full and cleaned — or, for files answered by the result cache, only their
    /// identity ([`slim::identity`]); the batch keeps only identities unless asked otherwise.
    Checked(&'a [Checked]),
    /// Cross-year findings, per entry index (into `entries`) of the later report of a pair.
    CrossYear {
        entries: &'a [Entry],
        findings: &'a [(usize, Vec<Finding>)],
    },
}

/// One file read and checked.
pub struct Checked {
    pub path: PathBuf,
    pub report: Result<Report, String>,
    /// The report's own findings (cross-year findings come later).
    pub findings: Vec<Finding>,
}

/// Files handed to the progress display at a time: small, so the list grows steadily.
const CHUNK: usize = 4;

/// Load the batch under `dir` (or the single report file `dir`). Never fails: files that
/// cannot be read, and reports whose check panics, are unreadable entries with a reason.
pub fn load(dir: &Path, opts: &LoadOptions, progress: &(dyn Fn(Progress) + Sync)) -> Batch {
    let paths = read::discover(dir);
    progress(Progress::Found(paths.len()));
    let (config, lang) = (&opts.config, opts.lang);
    let mut notices = Vec::new();
    // The result cache keeps identities only: a caller that wants full reports reads them.
    let cache = if opts.cache && !opts.keep_full_reports {
        let context = cache::context(config, lang, &opts.program);
        let (cache, problem) = Cache::open(dir, context);
        notices.extend(problem);
        cache
    } else {
        None
    };
    let rels: Vec<String> = paths
        .iter()
        .map(|p| pairings_file::file_key(dir, p))
        .collect();
    let hits: Vec<Option<Cached>> = match &cache {
        Some(c) => {
            let files: Vec<(String, &Path)> = rels
                .iter()
                .cloned()
                .zip(paths.iter().map(PathBuf::as_path))
                .collect();
            c.hits(&files)
        }
        None => paths.iter().map(|_| None).collect(),
    };
    let items: Vec<(PathBuf, &str, Option<Cached>)> = paths
        .into_iter()
        .zip(rels.iter().map(String::as_str))
        .zip(hits)
        .map(|((p, r), h)| (p, r, h))
        .collect();
    let from_cache = std::sync::atomic::AtomicUsize::new(0);
    let checked: Vec<(Entry, Option<CrossData>, Vec<Finding>)> = items
        .into_par_iter()
        .chunks(CHUNK)
        .flat_map_iter(|chunk| {
            let done: Vec<(Checked, &str, Origin)> = chunk
                .into_iter()
                .filter_map(|(path, rel, hit)| {
                    let (c, fresh) = read_and_check(path, rel, hit, cache.as_ref(), opts)?;
                    Some((c, rel, fresh))
                })
                .collect();
            let (done, keys): (Vec<Checked>, Vec<_>) =
                done.into_iter().map(|(c, r, f)| (c, (r, f))).unzip();
            progress(Progress::Checked(&done));
            let (cache, from_cache) = (cache.as_ref(), &from_cache);
            done.into_iter().zip(keys).map(move |(c, (rel, fresh))| {
                let stamped = match &fresh {
                    Origin::Read(stamped) => *stamped,
                    Origin::Cache(_) => None,
                };
                let (report, cross) = match (fresh, c.report) {
                    // From the cache: the identity and cross-year data already.
                    (Origin::Cache(cross), report) => {
                        from_cache.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        (report, Some(*cross))
                    }
                    (_, Ok(r)) => {
                        let cross = CrossData::of(&r);
                        let r = if opts.keep_full_reports {
                            r
                        } else {
                            slim::identity(&r)
                        };
                        (Ok(r), Some(cross))
                    }
                    (_, Err(e)) => (Err(e), None),
                };
                if let (Some(cache), Some((stamp, sha)), Ok(r), Some(x)) =
                    (cache, stamped, &report, &cross)
                {
                    cache.put(rel, stamp, sha, r, x, &c.findings);
                }
                (
                    Entry {
                        path: c.path,
                        report,
                    },
                    cross,
                    c.findings,
                )
            })
        })
        .collect();
    if let Some(cache) = cache {
        notices.extend(cache.save(&rels));
    }
    let mut entries = Vec::with_capacity(checked.len());
    let mut cross = Vec::with_capacity(checked.len());
    let mut own = Vec::with_capacity(checked.len());
    for (e, x, f) in checked {
        entries.push(e);
        cross.push(x);
        own.push(f);
    }

    let choices = match &opts.pairings {
        Choices::FromDir => {
            let (p, problem) = pairings_file::load(dir);
            notices.extend(problem);
            p
        }
        Choices::Given(p) => p.clone(),
        Choices::Ignore => Pairings::default(),
    };
    let result = finish(dir, &entries, &cross, own, &choices, config, lang, progress);
    drop(cross);
    let mut batch = Batch::new(dir.to_path_buf(), entries, result, notices);
    batch.from_cache = from_cache.into_inner();
    apply_waivers(&mut batch, &opts.waivers);
    batch
}

/// Check entries already in memory (tests, benchmarks, the generator): own rules, pairing
/// and the cross-year rules, as [`load`] does, without choices or waivers.
pub fn check_entries(entries: &[Entry], config: &Config, lang: Lang) -> BatchResult {
    let own: Vec<Vec<Finding>> = entries
        .par_iter()
        .map(|e| match &e.report {
            Ok(r) => guarded(|| check::check_report(r, config, lang)).unwrap_or_default(),
            Err(_) => Vec::new(),
        })
        .collect();
    let cross: Vec<Option<CrossData>> = entries
        .par_iter()
        .map(|e| e.report.as_ref().ok().map(CrossData::of))
        .collect();
    let none = Pairings::default();
    finish(
        Path::new(""),
        entries,
        &cross,
        own,
        &none,
        config,
        lang,
        &|_| {},
    )
}

/// Read one file, clean its text and run the single-report rules on it — or take its results
/// from the cache (`hit`, or a file whose bytes the cache holds); `None` when the options leave
/// it out of the batch. With a cache, a file read and checked comes with its stamp and hash,
/// for the cache to keep its results.
fn read_and_check(
    path: PathBuf,
    rel: &str,
    hit: Option<Cached>,
    cache: Option<&Cache>,
    opts: &LoadOptions,
) -> Option<(Checked, Origin)> {
    let wanted = |r: &Report| {
        opts.agency
            .as_deref()
            .is_none_or(|a| r.agency_key == a || r.agency == a)
    };
    let result = guarded(|| {
        let (mut report, fresh) = match hit
            .map(|c| Lookup::Hit(Box::new(c)))
            .or_else(|| cache.map(|c| c.lookup(rel, &path)))
        {
            Some(Lookup::Hit(c)) => {
                let c = *c;
                let origin = Origin::Cache(Box::new(c.cross));
                return Ok(wanted(&c.report).then_some((c.report, c.findings, origin)));
            }
            Some(Lookup::Miss { bytes, stamp, sha }) => (
                read::load_bytes(&path, &bytes)?,
                Origin::Read(Some((stamp, sha))),
            ),
            Some(Lookup::Uncached) | None => (read::load_path(&path)?, Origin::Read(None)),
        };
        clean_report(&mut report);
        if !wanted(&report) {
            return Ok(None);
        }
        let mut findings = check::check_report(&report, &opts.config, opts.lang);
        findings.iter_mut().for_each(clean_finding);
        Ok::<_, String>(Some((report, findings, fresh)))
    });
    let (report, findings, fresh) = match result {
        Ok(Ok(None)) => return None,
        Ok(Ok(Some((r, f, fresh)))) => (Ok(r), f, fresh),
        // A file that cannot be read has no agency: left out when only one is wanted.
        Ok(Err(_)) | Err(_) if opts.agency.is_some() => return None,
        Ok(Err(e)) | Err(e) => (Err(e), Vec::new(), Origin::Read(None)),
    };
    Some((
        Checked {
            path,
            report,
            findings,
        },
        fresh,
    ))
}

/// Where a file's results came from.
enum Origin {
    /// The cache: the report is its identity ([`slim::identity`]), with its cross-year data.
    Cache(Box<CrossData>),
    /// The file, read and checked; with its stamp and hash when the cache should keep it.
    Read(Option<(cache::Stamp, cache::Sha)>),
}

/// Pair the readable entries, apply the choices, run the cross-year rules and merge them
/// after each report's own findings (`own[i]` for entry `i`).
#[allow(clippy::too_many_arguments)]
fn finish(
    dir: &Path,
    entries: &[Entry],
    cross: &[Option<CrossData>],
    own: Vec<Vec<Finding>>,
    choices: &Pairings,
    config: &Config,
    lang: Lang,
    progress: &(dyn Fn(Progress) + Sync),
) -> BatchResult {
    let loaded: Vec<(usize, &Report)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.report.as_ref().ok().map(|r| (i, r)))
        .collect();
    let mut pairs: Vec<Pair> = pair_reports(&loaded);
    if !choices.pairs.is_empty() {
        let by_file: HashMap<String, usize> = loaded
            .iter()
            .map(|(i, _)| (pairings_file::file_key(dir, &entries[*i].path), *i))
            .collect();
        choices.apply(
            &mut pairs,
            |k| by_file.get(k).copied(),
            |i| entries[i].report.as_ref().ok(),
        );
    }
    // Each report of a pair is rebuilt from its cross-year data for the pair's check only.
    let slim = |i: usize| {
        let data = cross[i].as_ref()?;
        let identity = entries[i].report.as_ref().ok()?;
        Some((data.to_report(identity), data.texts()))
    };
    let cross: Vec<(usize, Vec<Finding>)> = pairs
        .par_iter()
        .filter_map(|p| {
            let (prev, pt) = slim(p.prev)?;
            let (cur, ct) = slim(p.cur)?;
            let check = || check::check_pair_with(&prev, &cur, &pt, &ct, config, lang);
            let mut f = guarded(check).ok()?;
            f.iter_mut().for_each(clean_finding);
            (!f.is_empty()).then_some((p.cur, f))
        })
        .collect();
    progress(Progress::CrossYear {
        entries,
        findings: &cross,
    });
    let mut by_cur: HashMap<usize, Vec<Finding>> = HashMap::new();
    for (i, f) in cross {
        by_cur.entry(i).or_default().extend(f);
    }
    let reports = entries
        .iter()
        .zip(own)
        .enumerate()
        .map(|(i, (e, mut findings))| match &e.report {
            Ok(_) => {
                findings.extend(by_cur.remove(&i).unwrap_or_default());
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
    BatchResult { reports, pairs }
}

fn apply_waivers(batch: &mut Batch, waivers: &Waivers) {
    let marks = match waivers {
        Waivers::Off => return,
        Waivers::Marks(m) => m.clone(),
        Waivers::Store { db } => {
            match crate::review::Store::open_existing_for_batch(&batch.dir, db.as_deref()) {
                Ok(None) => Vec::new(),
                Ok(Some(store)) => {
                    batch.notices.extend(store.notices().iter().cloned());
                    match store.all(&crate::review::Filter::default()) {
                        Ok(m) => m,
                        Err(e) => {
                            batch
                                .notices
                                .push(format!("{e}; showing statuses without waivers"));
                            return;
                        }
                    }
                }
                Err(e) => {
                    batch
                        .notices
                        .push(format!("{e}; showing statuses without waivers"));
                    return;
                }
            }
        }
    };
    let w = crate::review::apply_waivers(&batch.entries, &mut batch.result, &marks);
    batch.waivers = Some(w);
}

std::thread_local! {
    /// Set while a worker runs code under `catch_unwind`: a panic hook then knows the panic
    /// is caught (it becomes an unreadable entry, not a crash) and leaves the terminal alone.
    pub static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f`, turning a panic into the reason a report could not be checked.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
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

/// Clean every text of a report loaded from disk: the importer cleans what it reads, but
/// JSON files can be edited by hand.
pub(super) fn clean_report(r: &mut Report) {
    let s = clean_in_place;
    s(&mut r.agency);
    s(&mut r.agency_key);
    s(&mut r.source.file_name);
    for t in [&mut r.title, &mut r.issuer].into_iter().flatten() {
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
        t.extra_columns.iter_mut().for_each(s);
        for row in &mut t.rows {
            s(&mut row.label);
            for c in &mut row.cells {
                crate::sanitize::clean_compact_in_place(&mut c.value.raw);
            }
        }
    }
    for n in &mut r.notes {
        s(&mut n.message);
    }
}

/// Clean the texts of a finding (messages quote the report).
pub fn clean_finding(f: &mut Finding) {
    clean_in_place(&mut f.message);
    for t in [&mut f.expected, &mut f.actual, &mut f.quote]
        .into_iter()
        .flatten()
    {
        clean_in_place(t);
    }
}
