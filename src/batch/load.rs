//! The pipeline: read and check every file in parallel, pair, run the cross-year rules,
//! apply waivers.

use super::cache::{self, Cache, Cached, Lookup, PairKey};
use super::pairing::{self, pair_reports, Pair};
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
    /// Without [`LoadOptions::keep_findings`], the findings are the caller's to take.
    Checked(&'a mut [Checked]),
    /// Cross-year findings, per entry index (into `entries`) of the later report of a pair.
    /// Without [`LoadOptions::keep_findings`], the caller's to take; what is left here goes
    /// into the results.
    CrossYear {
        entries: &'a [Entry],
        findings: &'a mut Vec<(usize, Vec<Finding>)>,
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
    let mut cache = cache;
    let hits: Vec<Option<Cached>> = match cache.as_mut().map(|c| {
        let files: Vec<(String, &Path)> = rels
            .iter()
            .cloned()
            .zip(paths.iter().map(PathBuf::as_path))
            .collect();
        c.hits(&files)
    }) {
        Some(Ok(hits)) => hits,
        Some(Err(notice)) => {
            // Damaged: neither used nor written.
            notices.push(notice);
            cache = None;
            paths.iter().map(|_| None).collect()
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
    // Collected chunk by chunk into their places (an indexed collect): an unindexed one
    // gathers per-thread lists and then copies them into one vector, holding every entry
    // twice at the end of the read.
    let checked: Vec<Vec<Loaded>> = items
        .into_par_iter()
        .chunks(CHUNK)
        .map(|chunk| {
            let (cache, from_cache) = (cache.as_ref(), &from_cache);
            let mut done = Vec::with_capacity(chunk.len());
            let mut kept = Vec::with_capacity(chunk.len());
            for (path, rel, hit) in chunk {
                let Some((c, origin)) = read_and_check(path, rel, hit, cache, opts) else {
                    continue;
                };
                if matches!(origin, Origin::Cache(_)) {
                    from_cache.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                kept.push(Kept::of(rel, origin, &c, cache, opts));
                done.push(c);
            }
            // After the cache was handed the findings: the progress display may take them.
            progress(Progress::Checked(&mut done));
            done.into_iter()
                .zip(kept)
                .map(|(c, k)| Loaded {
                    entry: Entry {
                        path: c.path,
                        report: match (c.report, k.identity) {
                            (Ok(_), Some(identity)) => Ok(identity),
                            (report, _) => report,
                        },
                    },
                    rel: k.rel.to_string(),
                    cross: k.cross,
                    sha: k.sha,
                    findings: if opts.keep_findings {
                        c.findings
                    } else {
                        Vec::new()
                    },
                })
                .collect()
        })
        .collect();
    let count = checked.iter().map(Vec::len).sum();
    let mut entries = Vec::with_capacity(count);
    let mut known = Known {
        rels: Vec::with_capacity(count),
        shas: Vec::with_capacity(count),
        cross: Vec::with_capacity(count),
    };
    let mut own = Vec::with_capacity(count);
    for l in checked.into_iter().flatten() {
        entries.push(l.entry);
        known.rels.push(l.rel);
        known.shas.push(l.sha);
        known.cross.push(l.cross);
        own.push(l.findings);
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
    let (result, pairs_from_cache) = finish(
        dir,
        &entries,
        known,
        own,
        &choices,
        (config, lang),
        cache.as_mut(),
        progress,
    );
    if let Some(cache) = cache {
        notices.extend(cache.save(&rels));
    }
    let mut batch = Batch::new(dir.to_path_buf(), entries, result, notices);
    batch.from_cache = from_cache.into_inner();
    batch.pairs_from_cache = pairs_from_cache;
    apply_waivers(&mut batch, &opts.waivers);
    batch
}

/// One entry as read and checked (or answered by the cache), before pairing.
struct Loaded {
    entry: Entry,
    /// Its path relative to the batch (the cache's and the pairing choices' key).
    rel: String,
    /// Its cross-year data, when it was read (from the cache: read when needed).
    cross: Option<CrossData>,
    /// The hash of its bytes, when the result cache is used.
    sha: Option<cache::Sha>,
    findings: Vec<Finding>,
}

/// What the batch keeps of a file read and checked besides the report, worked out before the
/// progress display sees the file (and may take its findings).
struct Kept<'r> {
    rel: &'r str,
    /// Its cross-year data, when it was read (from the cache: read when needed).
    cross: Option<CrossData>,
    sha: Option<cache::Sha>,
    /// The identity to keep instead of the full report read ([`slim::identity`]), unless
    /// full reports are kept; none for a report that is its identity already (the cache's).
    identity: Option<Report>,
}

impl<'r> Kept<'r> {
    /// With the result cache, a file read and checked has its row handed to the cache here.
    fn of(
        rel: &'r str,
        origin: Origin,
        c: &Checked,
        cache: Option<&Cache>,
        opts: &LoadOptions,
    ) -> Kept<'r> {
        let (cross, sha, identity) = match (origin, &c.report) {
            (Origin::Cache(sha), _) => (None, Some(sha), None),
            (Origin::Read(stamped), Ok(r)) => {
                let cross = CrossData::of(r);
                let identity = (!opts.keep_full_reports).then(|| slim::identity(r));
                // The cache keeps identities: it is not used with full reports.
                if let (Some(cache), Some((stamp, sha)), Some(id)) = (cache, stamped, &identity) {
                    cache.put(rel, stamp, sha, id, &cross, &c.findings);
                }
                (Some(cross), stamped.map(|(_, sha)| sha), identity)
            }
            (Origin::Read(_), Err(_)) => (None, None, None),
        };
        Kept {
            rel,
            cross,
            sha,
            identity,
        }
    }
}

/// What the cross-year stage knows of each entry besides the entry.
struct Known {
    rels: Vec<String>,
    shas: Vec<Option<cache::Sha>>,
    cross: Vec<Option<CrossData>>,
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
    let known = Known {
        rels: entries.iter().map(|_| String::new()).collect(),
        shas: entries.iter().map(|_| None).collect(),
        cross,
    };
    let none = Pairings::default();
    let (result, _) = finish(
        Path::new(""),
        entries,
        known,
        own,
        &none,
        (config, lang),
        None,
        &|_| {},
    );
    result
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
                let origin = Origin::Cache(c.sha);
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
    /// The cache: the report is its identity ([`slim::identity`]); the hash of its file.
    Cache(cache::Sha),
    /// The file, read and checked; with its stamp and hash when the cache should keep it.
    Read(Option<(cache::Stamp, cache::Sha)>),
}

/// Pair the readable entries, apply the choices, run the cross-year rules and merge them
/// after each report's own findings (`own[i]` for entry `i`). With the result cache, a pair
/// whose two files are those it was checked with takes its findings from the cache; the
/// others are checked (their cross-year data read from the cache, or from the file when the
/// cache's does not decode) and kept in it. Also: how many pairs the cache answered.
#[allow(clippy::too_many_arguments)]
fn finish(
    dir: &Path,
    entries: &[Entry],
    mut known: Known,
    own: Vec<Vec<Finding>>,
    choices: &Pairings,
    (config, lang): (&Config, Lang),
    mut cache: Option<&mut Cache>,
    progress: &(dyn Fn(Progress) + Sync),
) -> (BatchResult, usize) {
    let loaded: Vec<(usize, &Report)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.report.as_ref().ok().map(|r| (i, r)))
        .collect();
    let mut pairs: Vec<Pair> = match cache.as_deref_mut() {
        // An unchanged batch is paired as it was: the digest covers what pairing reads.
        Some(c) => {
            let digest = pairing::inputs_digest(&loaded);
            let valid = |p: &Pair| {
                [p.prev, p.cur]
                    .iter()
                    .all(|&i| entries.get(i).is_some_and(|e| e.report.is_ok()))
            };
            match c.pairing(&digest).filter(|ps| ps.iter().all(valid)) {
                Some(pairs) => pairs,
                None => {
                    let pairs = pair_reports(&loaded);
                    c.put_pairing(digest, &pairs);
                    pairs
                }
            }
        }
        None => pair_reports(&loaded),
    };
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
    let keys: Vec<Option<PairKey>> = pairs
        .iter()
        .map(|p| {
            Some(PairKey {
                prev: known.rels[p.prev].clone(),
                cur: known.rels[p.cur].clone(),
                prev_sha: known.shas[p.prev]?,
                cur_sha: known.shas[p.cur]?,
            })
        })
        .collect();
    let mut answered: Vec<Option<Vec<Finding>>> = match cache.as_deref_mut() {
        Some(c) => {
            let asked: Vec<PairKey> = keys.iter().flatten().cloned().collect();
            let mut found = c.pair_findings(&asked).into_iter();
            keys.iter()
                .map(|k| k.as_ref().and_then(|_| found.next().flatten()))
                .collect()
        }
        None => pairs.iter().map(|_| None).collect(),
    };
    let from_cache = answered.iter().filter(|a| a.is_some()).count();
    let cache = cache.map(|c| &*c);
    let trusted = fill_cross(entries, &mut known, &pairs, &answered, cache);
    // Each report of a pair is rebuilt from its cross-year data for the pair's check only.
    let slim = |i: usize| {
        let data = known.cross[i].as_ref()?;
        let identity = entries[i].report.as_ref().ok()?;
        Some((data.to_report(identity), data.texts()))
    };
    let checked: Vec<(usize, Vec<Finding>)> = pairs
        .par_iter()
        .zip(&keys)
        .enumerate()
        .filter(|(i, _)| answered[*i].is_none())
        .filter_map(|(i, (p, key))| {
            let (prev, pt) = slim(p.prev)?;
            let (cur, ct) = slim(p.cur)?;
            let check = || check::check_pair_with(&prev, &cur, &pt, &ct, config, lang);
            let mut f = guarded(check).ok()?;
            f.iter_mut().for_each(clean_finding);
            if let (Some(c), Some(k)) = (cache, key) {
                if trusted[p.prev] && trusted[p.cur] {
                    c.put_pair(k, &f);
                }
            }
            Some((i, f))
        })
        .collect();
    for (i, f) in checked {
        answered[i] = Some(f);
    }
    let mut cross: Vec<(usize, Vec<Finding>)> = pairs
        .iter()
        .zip(answered)
        .filter_map(|(p, f)| f.filter(|f| !f.is_empty()).map(|f| (p.cur, f)))
        .collect();
    drop(known);
    progress(Progress::CrossYear {
        entries,
        findings: &mut cross,
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
    (BatchResult { reports, pairs }, from_cache)
}

/// The cross-year data of every report of a pair the cache did not answer: the reports
/// read on this load have it; the others' is read from the cache, or, when its row is
/// missing or does not decode, from the file. Per entry, whether its data is of the bytes
/// the cache knows it by (a file changed during the load is not: its pairs are not kept).
fn fill_cross(
    entries: &[Entry],
    known: &mut Known,
    pairs: &[Pair],
    answered: &[Option<Vec<Finding>>],
    cache: Option<&Cache>,
) -> Vec<bool> {
    let mut trusted = vec![true; entries.len()];
    let mut needed: Vec<usize> = pairs
        .iter()
        .zip(answered)
        .filter(|(_, a)| a.is_none())
        .flat_map(|(p, _)| [p.prev, p.cur])
        .filter(|&i| known.cross[i].is_none())
        .collect();
    needed.sort_unstable();
    needed.dedup();
    if needed.is_empty() {
        return trusted;
    }
    if let Some(cache) = cache {
        let rels: Vec<&str> = needed.iter().map(|&i| known.rels[i].as_str()).collect();
        for (&i, data) in needed.iter().zip(cache.cross_data(&rels)) {
            known.cross[i] = data;
        }
    }
    let reread: Vec<(usize, Option<(CrossData, bool)>)> = needed
        .par_iter()
        .filter(|&&i| known.cross[i].is_none())
        .map(|&i| {
            let path = &entries[i].path;
            let data = guarded(|| {
                let bytes = crate::import::read_file_bytes(path).ok()?;
                let same = known.shas[i] == Some(cache::sha256(&bytes));
                let mut report = read::load_bytes(path, &bytes).ok()?;
                clean_report(&mut report);
                Some((CrossData::of(&report), same))
            });
            (i, data.ok().flatten())
        })
        .collect();
    for (i, data) in reread {
        trusted[i] = data.as_ref().is_some_and(|(_, same)| *same);
        known.cross[i] = data.map(|(d, _)| d);
    }
    trusted
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
