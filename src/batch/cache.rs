//! The result cache beside a batch: `DIR/.report-review/cache.sqlite` keeps, per report
//! file, what the batch keeps resident (the report's identity, [`super::slim::identity`]) and
//! its own findings, its cross-year data ([`super::slim::CrossData`]), and per pair of
//! consecutive years the cross-year findings, so an unchanged batch is loaded again without
//! reading or checking its files, and without running the cross-year rules.
//!
//! A file's row is used when the file is the same: same size, modification and change time
//! and inode — or, when any of these differ (a copy that kept its mtime, a `touch`), the same
//! SHA-256 of its bytes. A row whose stamp is too close to the time the cache was written
//! ("racy": the file may have changed within the clock's resolution) is verified by hash.
//! A pair's row is used when both files' hashes are those it was checked with (the pair's
//! findings depend only on the two reports, the context and the paths). Every row belongs to
//! one context — the rule configuration, the message language, the program build and the
//! report schema — and a cache of another context is not used. Pairing and waivers run on
//! every load.
//!
//! Rows are in a compact binary encoding ([`super::codec`]): the identity and findings, read
//! for every file, apart from the cross-year data, read only for the pairs the cache does not
//! answer.
//!
//! The cache is never trusted blindly and never fails a load: a file that is not a SQLite
//! database, is damaged or belongs to something else is ignored with a notice (and never
//! written); a row that does not decode is read again from its file; a cache that cannot be
//! created or updated (read-only batch) leaves a notice and the results as without it.

use super::codec::{self, Reader};
use super::pairing::Pair;
use super::slim::CrossData;
use crate::check::Finding;
use crate::model::Report;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// File name of the cache inside the batch's `.report-review` directory.
pub const CACHE_FILE: &str = "cache.sqlite";
/// `PRAGMA application_id` of a result cache ("RRC1").
const APPLICATION_ID: i32 = 0x5252_4331;
/// Layout of the cache file (`PRAGMA user_version`); another value is a foreign cache.
const LAYOUT: i32 = 4;
// Layout 1 kept the slim report as JSON; 2 the identity and findings as JSON and the
// cross-year data in its own encoding, in one column; 3 keeps both binary, in two tables,
// and the cross-year findings per pair; 4 also the automatic pairing of the batch.
/// A file changed less than this before the cache was written is verified by its hash.
const RACY_NS: i64 = 2_000_000_000;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS files (
        path     TEXT PRIMARY KEY,
        size     INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        ctime_ns INTEGER NOT NULL,
        inode    INTEGER NOT NULL,
        sha256   BLOB NOT NULL,
        head     BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS cross_year (path TEXT PRIMARY KEY, data BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS pairs (
        prev     TEXT NOT NULL,
        cur      TEXT NOT NULL,
        prev_sha BLOB NOT NULL,
        cur_sha  BLOB NOT NULL,
        findings BLOB NOT NULL,
        PRIMARY KEY (prev, cur)
    );
    CREATE TABLE IF NOT EXISTS pairing (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        digest BLOB NOT NULL,
        pairs  BLOB NOT NULL
    );";

/// What identifies a file's bytes without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: i64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub inode: i64,
}

impl Stamp {
    /// The stamp of `path` (symlinks followed, as the loader reads them); `None` for
    /// anything that is not a regular file.
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Stamp {
                size: meta.len() as i64,
                mtime_ns: meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
                ctime_ns: meta.ctime() * 1_000_000_000 + meta.ctime_nsec(),
                inode: meta.ino() as i64,
            })
        }
        #[cfg(not(unix))]
        {
            let ns = |t: std::io::Result<std::time::SystemTime>| {
                t.ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos() as i64)
            };
            Some(Stamp {
                size: meta.len() as i64,
                mtime_ns: ns(meta.modified()),
                ctime_ns: ns(meta.created()),
                inode: 0,
            })
        }
    }
}

/// SHA-256 of a file's bytes.
pub type Sha = [u8; 32];

pub fn sha256(bytes: &[u8]) -> Sha {
    Sha256::digest(bytes).into()
}

/// A report as the batch keeps it and its own findings, from the cache.
#[derive(Debug, Clone)]
pub struct Cached {
    /// The report's identity ([`super::slim::identity`]).
    pub report: Report,
    pub findings: Vec<Finding>,
    /// The hash of the file the results are of.
    pub sha: Sha,
}

/// A file row's `head`: the identity, then the findings.
fn encode_head(report: &Report, findings: &[Finding]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(512);
    codec::put_identity(&mut out, report)?;
    codec::put_findings(&mut out, findings)?;
    Some(out)
}

fn decode_head(bytes: &[u8], sha: Sha) -> Option<Cached> {
    let mut r = Reader(bytes);
    let report = codec::read_identity(&mut r)?;
    let findings = codec::read_findings(&mut r)?;
    r.rest().is_empty().then_some(Cached {
        report,
        findings,
        sha,
    })
}

fn decode_findings(bytes: &[u8]) -> Option<Vec<Finding>> {
    let mut r = Reader(bytes);
    let findings = codec::read_findings(&mut r)?;
    r.rest().is_empty().then_some(findings)
}

fn decode_cross(bytes: &[u8]) -> Option<CrossData> {
    match CrossData::decode(bytes)? {
        (data, []) => Some(data),
        _ => None,
    }
}

/// What the cached results depend on besides the file: a digest of the effective rule
/// configuration, the message language, the program build and the report schema.
pub fn context(config: &crate::check::Config, lang: crate::i18n::Lang, program: &str) -> String {
    // Config holds only ordered maps, so its Debug text is deterministic.
    let text = format!(
        "{config:?}\n{lang:?}\n{program}\nschema {}\nlayout {LAYOUT}",
        crate::model::SCHEMA_VERSION
    );
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The program build the cache belongs to: the version and the executable's size and
/// modification time, so a rebuilt program (rules changed, version not) starts afresh.
pub fn program_build() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| Stamp::of(&p))
        .map_or_else(String::new, |s| format!(" {}-{}", s.size, s.mtime_ns));
    format!("{}{exe}", env!("CARGO_PKG_VERSION"))
}

/// Rows waiting to be written past this many bytes are written at once, into the
/// transaction that [`Cache::save`] commits: a first load of a large batch does not hold its
/// whole cache in memory until the end (about 460 MB at 100,000 reports). Small, since the
/// rows held (files' and pairs', each up to this) add to the screen's peak: 16 MB was 12 MB
/// more at the peak of a first load of 20,000 reports than 1 MB. Each write is still one
/// statement per row in the one transaction, so writing more often costs nothing measurable.
const SPILL_BYTES: usize = 1 << 20;

/// Rows to write, not written yet.
#[derive(Default)]
struct Pending {
    rows: Vec<Fresh>,
    bytes: usize,
}

/// Pair rows to write (their findings encoded), not written yet.
#[derive(Default)]
struct PendingPairs {
    pairs: Vec<(PairKey, Vec<u8>)>,
    bytes: usize,
}

/// Where the write of this load's rows stands.
#[derive(Default)]
struct Writing {
    /// The transaction is open: rows were written into it before the end of the load.
    begun: bool,
    /// Writing failed: nothing more is written, and [`Cache::save`] rolls back.
    failed: Option<String>,
}

/// A row to write: a file read and checked on this load, or one whose stamp changed.
struct Fresh {
    path: String,
    stamp: Stamp,
    sha: Sha,
    /// `None`: the stored data is still right (same bytes), only the stamp changes.
    /// Otherwise the head (identity and findings) and the cross-year data.
    data: Option<(Vec<u8>, Vec<u8>)>,
}

/// A pair of files as the cross-year rules checked it: paths relative to the batch and
/// the hashes of their bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PairKey {
    pub prev: String,
    pub cur: String,
    pub prev_sha: Sha,
    pub cur_sha: Sha,
}

/// The cache of one load.
pub struct Cache {
    path: PathBuf,
    context: String,
    /// The hash of each row of this context, by path relative to the batch (filled by
    /// [`Cache::hits`]).
    rows: HashMap<String, Sha>,
    /// When the rows were written (ns since the epoch), for the racy check.
    written_ns: i64,
    /// Rows of another context, or none at all: every row is replaced on write.
    replace_all: bool,
    /// For the rare lookups by hash while files are read (a file touched, not changed).
    conn: Mutex<Option<Connection>>,
    fresh: Mutex<Pending>,
    /// Bytes of rows held before they are written ([`SPILL_BYTES`]).
    spill_at: usize,
    writing: Mutex<Writing>,
    /// Pair rows to write (written as rows are, past [`SPILL_BYTES`]), and stored pairs no
    /// longer paired.
    fresh_pairs: Mutex<PendingPairs>,
    stale_pairs: Vec<(String, String)>,
    /// The automatic pairing to write: the digest of what it was computed from, the pairs.
    fresh_pairing: Option<(Sha, Vec<u8>)>,
}

/// How a file stands against the cache.
pub enum Lookup {
    /// Unchanged: its results.
    Hit(Box<Cached>),
    /// Read (to hash it) and changed, or not in the cache: its bytes and stamp, to check it
    /// and [`Cache::put`] the results.
    Miss {
        bytes: Vec<u8>,
        stamp: Stamp,
        sha: Sha,
    },
    /// Not a regular file or not readable: load it the ordinary way (it gets its reason).
    Uncached,
}

/// Begin the transaction this load's writes go into; a cache of another context (or a new
/// one) is emptied first, inside it.
fn begin(conn: &Connection, replace_all: bool) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN")?;
    if replace_all {
        conn.execute_batch(
            "DELETE FROM files; DELETE FROM cross_year; DELETE FROM pairs;
             DELETE FROM pairing;",
        )?;
    }
    Ok(())
}

/// Write the cross-year findings of pairs checked on this load.
fn write_pairs(conn: &Connection, pairs: &[(PairKey, Vec<u8>)]) -> rusqlite::Result<()> {
    let mut upsert = conn.prepare_cached(
        "INSERT OR REPLACE INTO pairs (prev, cur, prev_sha, cur_sha, findings)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (k, findings) in pairs {
        upsert.execute(params![
            k.prev,
            k.cur,
            &k.prev_sha[..],
            &k.cur_sha[..],
            findings
        ])?;
    }
    Ok(())
}

/// Write the rows of files read on this load (and the new stamps of files unchanged).
fn write_rows(conn: &Connection, rows: &[Fresh]) -> rusqlite::Result<()> {
    let mut upsert = conn.prepare_cached(
        "INSERT OR REPLACE INTO files (path, size, mtime_ns, ctime_ns, inode, sha256, head)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut upsert_cross =
        conn.prepare_cached("INSERT OR REPLACE INTO cross_year (path, data) VALUES (?1, ?2)")?;
    let mut restamp = conn.prepare_cached(
        "UPDATE files SET size = ?2, mtime_ns = ?3, ctime_ns = ?4, inode = ?5
         WHERE path = ?1 AND sha256 = ?6",
    )?;
    for f in rows {
        let s = f.stamp;
        match &f.data {
            Some((head, cross)) => {
                upsert.execute(params![
                    f.path,
                    s.size,
                    s.mtime_ns,
                    s.ctime_ns,
                    s.inode,
                    &f.sha[..],
                    head
                ])?;
                upsert_cross.execute(params![f.path, cross])?;
            }
            None => {
                restamp.execute(params![
                    f.path,
                    s.size,
                    s.mtime_ns,
                    s.ctime_ns,
                    s.inode,
                    &f.sha[..]
                ])?;
            }
        }
    }
    Ok(())
}

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i64)
}

/// Rows decoded at a time: only one batch of stored bytes is in memory at once.
const DECODE_BATCH: usize = 1024;

/// Decode `batch` (index, bytes) in parallel into `out[index]`.
fn decode_into<T: Send, E: Send>(
    batch: &mut Vec<(usize, Vec<u8>, E)>,
    out: &mut [Option<T>],
    decode: impl Fn(&[u8], E) -> Option<T> + Sync,
) {
    use rayon::prelude::*;
    let decoded: Vec<(usize, Option<T>)> = batch
        .par_drain(..)
        .map(|(i, bytes, extra)| (i, decode(&bytes, extra)))
        .collect();
    for (i, c) in decoded {
        out[i] = c;
    }
}

impl Cache {
    /// The cache of the batch directory `dir` for this context, with a notice when it cannot
    /// be used. `None` when there is no usable cache (a notice says why, unless `dir` is a
    /// single file: no cache for those).
    pub fn open(dir: &Path, context: String) -> (Option<Cache>, Option<String>) {
        if !dir.is_dir() {
            return (None, None);
        }
        let state_dir = dir.join(super::STATE_DIR);
        let path = state_dir.join(CACHE_FILE);
        let notice = |why: String| format!("result cache {} not used: {why}", path.display());
        if let Err(e) = crate::review::store::prepare_state_dir(dir) {
            return (
                None,
                Some(notice(format!("{e}; every report is read and checked"))),
            );
        }
        let existed = path.exists();
        let conn = match open_conn(&path) {
            Ok(c) => c,
            Err(why) => return (None, Some(notice(why))),
        };
        if !existed {
            crate::review::store::share_with_group(&path, &state_dir);
        }
        let mut cache = Cache {
            path: path.clone(),
            context,
            rows: HashMap::new(),
            written_ns: 0,
            replace_all: true,
            conn: Mutex::new(None),
            fresh: Mutex::default(),
            spill_at: SPILL_BYTES,
            writing: Mutex::default(),
            fresh_pairs: Mutex::default(),
            stale_pairs: Vec::new(),
            fresh_pairing: None,
        };
        if let Err(e) = cache.read_meta(&conn) {
            return (None, Some(cache.damaged(&e)));
        }
        *cache.conn.lock().unwrap_or_else(|e| e.into_inner()) = Some(conn);
        (Some(cache), None)
    }

    fn damaged(&self, e: &rusqlite::Error) -> String {
        format!(
            "result cache {} not used: damaged ({e}); remove it to rebuild it",
            self.path.display()
        )
    }

    fn read_meta(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let meta = |key: &str| {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| {
                r.get::<_, String>(0)
            })
            .optional()
        };
        if meta("context")?.as_deref() != Some(self.context.as_str()) {
            return Ok(());
        }
        self.written_ns = meta("written_ns")?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        self.replace_all = false;
        Ok(())
    }

    /// The files (`(path relative to the batch, path)`) whose stamps match their rows, with
    /// their cached results: the files are stat'ed in parallel, then every row is read in
    /// one pass over the table and the matching ones decoded in parallel. The others go
    /// through [`Cache::lookup`]. An error reading the table is a damaged cache: the notice,
    /// and the cache must not be used.
    pub fn hits(&mut self, files: &[(String, &Path)]) -> Result<Vec<Option<Cached>>, String> {
        use rayon::prelude::*;
        let mut out: Vec<Option<Cached>> = (0..files.len()).map(|_| None).collect();
        if self.replace_all {
            return Ok(out);
        }
        let stamps: Vec<Option<Stamp>> = files.par_iter().map(|(_, p)| Stamp::of(p)).collect();
        let index: HashMap<&str, usize> = files
            .iter()
            .enumerate()
            .map(|(i, (rel, _))| (rel.as_str(), i))
            .collect();
        let guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let Some(conn) = guard.as_ref() else {
            return Ok(out);
        };
        let mut rows = HashMap::with_capacity(files.len());
        let mut scan = || -> rusqlite::Result<()> {
            let mut stmt = conn
                .prepare("SELECT path, size, mtime_ns, ctime_ns, inode, sha256, head FROM files")?;
            let mut cursor = stmt.query([])?;
            let mut batch: Vec<(usize, Vec<u8>, Sha)> = Vec::with_capacity(DECODE_BATCH);
            while let Some(row) = cursor.next()? {
                let path = row.get_ref(0)?.as_str()?;
                let stamp = Stamp {
                    size: row.get(1)?,
                    mtime_ns: row.get(2)?,
                    ctime_ns: row.get(3)?,
                    inode: row.get(4)?,
                };
                // A row with a hash of the wrong length is not trusted: its file is read again.
                let Ok(sha) = Sha::try_from(row.get_ref(5)?.as_blob()?) else {
                    continue;
                };
                if let Some(&i) = index.get(path) {
                    if stamps[i] == Some(stamp) && !self.racy(&stamp) {
                        batch.push((i, row.get_ref(6)?.as_blob()?.to_vec(), sha));
                    }
                }
                rows.insert(path.to_string(), sha);
                if batch.len() == DECODE_BATCH {
                    decode_into(&mut batch, &mut out, decode_head);
                }
            }
            decode_into(&mut batch, &mut out, decode_head);
            Ok(())
        };
        let scanned = scan();
        drop(guard);
        if let Err(e) = scanned {
            return Err(self.damaged(&e));
        }
        self.rows = rows;
        Ok(out)
    }

    fn racy(&self, stamp: &Stamp) -> bool {
        stamp.mtime_ns.max(stamp.ctime_ns) + RACY_NS > self.written_ns
    }

    /// A file [`Cache::hits`] did not answer: read it and compare its hash with its row's.
    pub fn lookup(&self, rel: &str, path: &Path) -> Lookup {
        let Some(stamp) = Stamp::of(path) else {
            return Lookup::Uncached;
        };
        let Ok(bytes) = crate::import::read_file_bytes(path) else {
            return Lookup::Uncached;
        };
        let sha = sha256(&bytes);
        if self.rows.get(rel) == Some(&sha) {
            if let Some(c) = self.fetch(rel, sha) {
                self.keep(Fresh {
                    path: rel.to_string(),
                    stamp,
                    sha,
                    data: None,
                });
                return Lookup::Hit(Box::new(c));
            }
        }
        Lookup::Miss { bytes, stamp, sha }
    }

    fn fetch(&self, rel: &str, sha: Sha) -> Option<Cached> {
        let guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let data: Vec<u8> = guard
            .as_ref()?
            .query_row("SELECT head FROM files WHERE path = ?1", [rel], |r| {
                r.get(0)
            })
            .ok()?;
        drop(guard);
        decode_head(&data, sha)
    }

    /// The cross-year data of files answered by the cache (paths relative to the batch), for
    /// the pairs the cache does not answer; `None` for a row missing or not decoding.
    pub fn cross_data(&self, rels: &[&str]) -> Vec<Option<CrossData>> {
        let mut out: Vec<Option<CrossData>> = rels.iter().map(|_| None).collect();
        let guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let Some(conn) = guard.as_ref() else {
            return out;
        };
        let Ok(mut stmt) = conn.prepare("SELECT data FROM cross_year WHERE path = ?1") else {
            return out;
        };
        let mut batch: Vec<(usize, Vec<u8>, ())> = Vec::with_capacity(DECODE_BATCH);
        for (i, rel) in rels.iter().enumerate() {
            if let Ok(bytes) = stmt.query_row([rel], |r| r.get::<_, Vec<u8>>(0)) {
                batch.push((i, bytes, ()));
            }
            if batch.len() == DECODE_BATCH {
                decode_into(&mut batch, &mut out, |b, ()| decode_cross(b));
            }
        }
        decode_into(&mut batch, &mut out, |b, ()| decode_cross(b));
        out
    }

    /// The stored cross-year findings of each pair (`None`: not stored, or checked with other
    /// bytes of either file), in one pass over the table. Stored pairs not asked for are
    /// deleted when the cache is saved (so call this once per load, with every pair).
    pub fn pair_findings(&mut self, pairs: &[PairKey]) -> Vec<Option<Vec<Finding>>> {
        let mut out: Vec<Option<Vec<Finding>>> = pairs.iter().map(|_| None).collect();
        if self.replace_all {
            return out;
        }
        let index: HashMap<(&str, &str), usize> = pairs
            .iter()
            .enumerate()
            .map(|(i, k)| ((k.prev.as_str(), k.cur.as_str()), i))
            .collect();
        let guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let Some(conn) = guard.as_ref() else {
            return out;
        };
        let mut stale = Vec::new();
        let mut scan = || -> rusqlite::Result<()> {
            let mut stmt =
                conn.prepare("SELECT prev, cur, prev_sha, cur_sha, findings FROM pairs")?;
            let mut cursor = stmt.query([])?;
            let mut batch: Vec<(usize, Vec<u8>, ())> = Vec::with_capacity(DECODE_BATCH);
            while let Some(row) = cursor.next()? {
                let (prev, cur) = (row.get_ref(0)?.as_str()?, row.get_ref(1)?.as_str()?);
                let Some(&i) = index.get(&(prev, cur)) else {
                    stale.push((prev.to_string(), cur.to_string()));
                    continue;
                };
                let k = &pairs[i];
                if row.get_ref(2)?.as_blob()? == k.prev_sha
                    && row.get_ref(3)?.as_blob()? == k.cur_sha
                {
                    batch.push((i, row.get_ref(4)?.as_blob()?.to_vec(), ()));
                }
                if batch.len() == DECODE_BATCH {
                    decode_into(&mut batch, &mut out, |b, ()| decode_findings(b));
                }
            }
            decode_into(&mut batch, &mut out, |b, ()| decode_findings(b));
            Ok(())
        };
        if scan().is_err() {
            // Not trusted: every pair is checked again and its row rewritten.
            out.iter_mut().for_each(|o| *o = None);
        }
        drop(guard);
        self.stale_pairs = stale;
        out
    }

    /// The automatic pairing ([`super::pairing::pair_reports`]) stored for reports whose
    /// pairing inputs have this digest ([`super::pairing::inputs_digest`]); `None` when
    /// another was stored or it does not decode. Each pair's entries are checked against
    /// `entries` by the caller.
    pub fn pairing(&self, digest: &Sha) -> Option<Vec<Pair>> {
        if self.replace_all {
            return None;
        }
        let guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let (stored, bytes): (Vec<u8>, Vec<u8>) = guard
            .as_ref()?
            .query_row("SELECT digest, pairs FROM pairing WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .ok()?;
        drop(guard);
        if stored != digest[..] {
            return None;
        }
        let mut r = Reader(&bytes);
        let pairs = codec::read_pairs(&mut r)?;
        r.rest().is_empty().then_some(pairs)
    }

    /// Keep the automatic pairing computed on this load.
    pub fn put_pairing(&mut self, digest: Sha, pairs: &[Pair]) {
        let mut bytes = Vec::new();
        if codec::put_pairs(&mut bytes, pairs).is_some() {
            self.fresh_pairing = Some((digest, bytes));
        }
    }

    /// Keep the cross-year findings of a pair checked on this load.
    pub fn put_pair(&self, key: &PairKey, findings: &[Finding]) {
        let mut bytes = Vec::new();
        if codec::put_findings(&mut bytes, findings).is_none() {
            return;
        }
        let full = {
            let mut fresh = self.fresh_pairs.lock().unwrap_or_else(|e| e.into_inner());
            fresh.bytes += key.prev.len() + key.cur.len() + bytes.len();
            fresh.pairs.push((key.clone(), bytes));
            if fresh.bytes < self.spill_at {
                return;
            }
            fresh.bytes = 0;
            std::mem::take(&mut fresh.pairs)
        };
        // A pair checked now is paired now: never among the stale pairs `save` deletes.
        self.write_early(|conn| write_pairs(conn, &full));
    }

    /// Keep the results of a file read and checked on this load (the report as the batch
    /// keeps it). Written by [`Cache::save`].
    pub fn put(
        &self,
        rel: &str,
        stamp: Stamp,
        sha: Sha,
        report: &Report,
        cross: &CrossData,
        findings: &[Finding],
    ) {
        let Some(head) = encode_head(report, findings) else {
            return;
        };
        let mut data = Vec::new();
        if cross.encode(&mut data).is_none() {
            return;
        }
        self.keep(Fresh {
            path: rel.to_string(),
            stamp,
            sha,
            data: Some((head, data)),
        });
    }

    /// Hold a row to write; once the rows held pass [`SPILL_BYTES`], write them now.
    fn keep(&self, row: Fresh) {
        let full = {
            let mut pending = self.fresh.lock().unwrap_or_else(|e| e.into_inner());
            pending.bytes += row.path.len()
                + row
                    .data
                    .as_ref()
                    .map_or(0, |(head, cross)| head.len() + cross.len());
            pending.rows.push(row);
            if pending.bytes < self.spill_at {
                return;
            }
            pending.bytes = 0;
            std::mem::take(&mut pending.rows)
        };
        self.write_early(|conn| write_rows(conn, &full));
    }

    /// Write rows into this load's transaction (begun here the first time). A failure is
    /// kept for [`Cache::save`] to report; nothing more is written after it.
    fn write_early(&self, write_them: impl FnOnce(&Connection) -> rusqlite::Result<()>) {
        let guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let Some(conn) = guard.as_ref() else {
            return;
        };
        let mut writing = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        if writing.failed.is_some() {
            return;
        }
        let write = || -> rusqlite::Result<()> {
            if !writing.begun {
                begin(conn, self.replace_all)?;
            }
            write_them(conn)
        };
        let result = write();
        // Begun once BEGIN succeeded, whatever came after: save rolls it back on failure.
        writing.begun = writing.begun || !conn.is_autocommit();
        if let Err(e) = result {
            writing.failed = Some(e.to_string());
        }
    }

    /// Write what changed on this load: new and changed rows, rows of files that are gone,
    /// pairs checked and pairs no longer paired. Nothing is written when nothing changed. A
    /// failure is a notice, never an error.
    pub fn save(self, present: &[String]) -> Option<String> {
        let fresh = self
            .fresh
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .rows;
        let writing = self.writing.into_inner().unwrap_or_else(|e| e.into_inner());
        let fresh_pairs = self
            .fresh_pairs
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .pairs;
        let present: HashSet<&str> = present.iter().map(String::as_str).collect();
        let gone: Vec<&String> = self
            .rows
            .keys()
            .filter(|k| !present.contains(k.as_str()))
            .collect();
        if !writing.begun
            && fresh.is_empty()
            && gone.is_empty()
            && fresh_pairs.is_empty()
            && self.stale_pairs.is_empty()
            && self.fresh_pairing.is_none()
            && !self.replace_all
        {
            return None;
        }
        let conn = self.conn.into_inner().unwrap_or_else(|e| e.into_inner())?;
        let written = now_ns();
        let write = || -> rusqlite::Result<()> {
            if !writing.begun {
                begin(&conn, self.replace_all)?;
            }
            write_rows(&conn, &fresh)?;
            {
                let mut delete = conn.prepare("DELETE FROM files WHERE path = ?1")?;
                let mut delete_cross = conn.prepare("DELETE FROM cross_year WHERE path = ?1")?;
                for g in &gone {
                    delete.execute([g])?;
                    delete_cross.execute([g])?;
                }
                let mut delete_pair =
                    conn.prepare("DELETE FROM pairs WHERE prev = ?1 AND cur = ?2")?;
                for (prev, cur) in &self.stale_pairs {
                    delete_pair.execute([prev, cur])?;
                }
            }
            write_pairs(&conn, &fresh_pairs)?;
            if let Some((digest, pairs)) = &self.fresh_pairing {
                conn.execute(
                    "INSERT OR REPLACE INTO pairing (id, digest, pairs) VALUES (1, ?1, ?2)",
                    params![&digest[..], pairs],
                )?;
            }
            let mut meta =
                conn.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?;
            meta.execute(["context", &self.context])?;
            meta.execute(["written_ns", &written.to_string()])?;
            drop(meta);
            conn.execute_batch("COMMIT")
        };
        let result = match &writing.failed {
            Some(why) => Err(why.clone()),
            None => write().map_err(|e| e.to_string()),
        };
        if result.is_err() && !conn.is_autocommit() {
            // Nothing of this load is kept: the cache stays as it was.
            let _ = conn.execute_batch("ROLLBACK");
        }
        result.err().map(|e| {
            format!(
                "result cache {} not updated: {e}; the next load reads the changed reports again",
                self.path.display()
            )
        })
    }
}

/// Open (or create) the cache file and prove it is ours; the reason when it is not.
fn open_conn(path: &Path) -> Result<Connection, String> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| e.to_string())?;
    let _ = conn.busy_timeout(Duration::from_secs(2));
    let ident = |conn: &Connection| -> rusqlite::Result<(i32, i32, i64)> {
        let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        Ok((app, version, tables))
    };
    match ident(&conn) {
        Err(e) => Err(format!(
            "damaged or not a cache ({e}); remove it to rebuild it"
        )),
        Ok((0, 0, 0)) => {
            // New (or empty) file: make it a cache.
            let init = format!(
                "PRAGMA journal_mode = WAL; PRAGMA application_id = {APPLICATION_ID};
                 PRAGMA user_version = {LAYOUT}; {SCHEMA}"
            );
            conn.execute_batch(&init)
                .map_err(|e| format!("cannot create it ({e})"))?;
            Ok(conn)
        }
        Ok((APPLICATION_ID, LAYOUT, _)) => {
            let _ = conn.execute_batch("PRAGMA synchronous = NORMAL;");
            Ok(conn)
        }
        // An earlier layout of this program's cache: its tables are replaced (none of its
        // rows would be used: the context names the layout).
        Ok((APPLICATION_ID, 1..=3, _)) => {
            let upgrade = format!(
                "BEGIN; DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS meta;
                 DROP TABLE IF EXISTS cross_year; DROP TABLE IF EXISTS pairs;
                 DROP TABLE IF EXISTS pairing; {SCHEMA}
                 PRAGMA user_version = {LAYOUT}; COMMIT; PRAGMA synchronous = NORMAL;"
            );
            conn.execute_batch(&upgrade)
                .map_err(|e| format!("cannot rebuild it ({e})"))?;
            Ok(conn)
        }
        Ok((app, version, _)) => Err(format!(
            "not a result cache of this program (application_id {app:#x}, layout {version}); \
             remove it to rebuild it"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{check_report, Config};
    use crate::i18n::Lang;

    /// Rows written while the load goes on, files' and pairs', are one transaction with the
    /// rest: invisible to others until saved, then read back whole.
    #[test]
    fn rows_written_during_the_load_are_committed_by_save() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::default();
        let mut files = Vec::new();
        for (m, r) in crate::generate::generate(3, 6, 0) {
            let path = dir.path().join(&m.file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, serde_json::to_vec(&r).unwrap()).unwrap();
            files.push((m.file.clone(), path));
        }
        let open = || Cache::open(dir.path(), context(&config, Lang::Zh, "test"));
        let (cache, problem) = open();
        assert_eq!(problem, None);
        let mut cache = cache.unwrap();
        // Every row is written into the transaction as soon as it is kept.
        cache.spill_at = 1;
        let mut expected = Vec::new();
        let mut shas = Vec::new();
        for (rel, path) in &files {
            let Lookup::Miss { bytes, stamp, sha } = cache.lookup(rel, path) else {
                panic!("{rel} is not in a new cache");
            };
            let report: Report = serde_json::from_slice(&bytes).unwrap();
            let findings = check_report(&report, &config, Lang::Zh);
            let identity = super::super::slim::identity(&report);
            cache.put(
                rel,
                stamp,
                sha,
                &identity,
                &CrossData::of(&report),
                &findings,
            );
            expected.push(findings);
            shas.push(sha);
        }
        // Pairs of files side by side, each with the findings of its later file.
        let pair_keys: Vec<PairKey> = (1..files.len())
            .map(|i| PairKey {
                prev: files[i - 1].0.clone(),
                cur: files[i].0.clone(),
                prev_sha: shas[i - 1],
                cur_sha: shas[i],
            })
            .collect();
        for (i, key) in pair_keys.iter().enumerate() {
            cache.put_pair(key, &expected[i + 1]);
        }
        assert!(cache.writing.lock().unwrap().begun, "rows written early");
        assert!(
            cache.fresh_pairs.lock().unwrap().pairs.is_empty(),
            "pairs written early"
        );
        let seen_by_others = |table: &str| -> i64 {
            let conn = Connection::open(dir.path().join(".report-review").join(CACHE_FILE));
            conn.unwrap()
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(seen_by_others("files"), 0, "written but not committed");
        assert_eq!(seen_by_others("pairs"), 0, "written but not committed");
        let rels: Vec<String> = files.iter().map(|(r, _)| r.clone()).collect();
        assert_eq!(cache.save(&rels), None);
        assert_eq!(seen_by_others("files"), 6);
        assert_eq!(seen_by_others("pairs"), 5);

        let (cache, problem) = open();
        assert_eq!(problem, None);
        let refs: Vec<(String, &Path)> = files
            .iter()
            .map(|(r, p)| (r.clone(), p.as_path()))
            .collect();
        let mut cache = cache.unwrap();
        let hits = cache.hits(&refs).unwrap();
        for ((hit, findings), (rel, path)) in hits.into_iter().zip(&expected).zip(&files) {
            // Files written this instant are verified by their hash ("racy"), as a load does.
            let hit = match hit {
                Some(hit) => hit,
                None => match cache.lookup(rel, path) {
                    Lookup::Hit(hit) => *hit,
                    _ => panic!("{rel} not answered by the cache"),
                },
            };
            assert_eq!(&hit.findings, findings, "{rel}");
        }
        let pairs = cache.pair_findings(&pair_keys);
        for (i, found) in pairs.into_iter().enumerate() {
            assert_eq!(found.as_ref(), Some(&expected[i + 1]), "pair {i}");
        }
    }
}
