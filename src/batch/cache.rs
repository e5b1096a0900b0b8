//! The result cache beside a batch: `DIR/.report-review/cache.sqlite` keeps, per report
//! file, what the batch keeps resident (the report's identity and its cross-year data,
//! [`super::slim`]) and its own findings, so
//! an unchanged batch is loaded again without reading or checking its files.
//!
//! A file's row is used when the file is the same: same size, modification and change time
//! and inode — or, when any of these differ (a copy that kept its mtime, a `touch`), the same
//! SHA-256 of its bytes. A row whose stamp is too close to the time the cache was written
//! ("racy": the file may have changed within the clock's resolution) is verified by hash.
//! Every row belongs to one context — the rule configuration, the message language, the
//! program build and the report schema — and a cache of another context is not used.
//! Cross-year rules, pairing and waivers are not cached: they run on every load (cheap).
//!
//! The cache is never trusted blindly and never fails a load: a file that is not a SQLite
//! database, is damaged or belongs to something else is ignored with a notice (and never
//! written); a row that does not decode is read again from its file; a cache that cannot be
//! created or updated (read-only batch) leaves a notice and the results as without it.

use super::slim::CrossData;
use crate::check::Finding;
use crate::model::Report;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// File name of the cache inside the batch's `.report-review` directory.
pub const CACHE_FILE: &str = "cache.sqlite";
/// `PRAGMA application_id` of a result cache ("RRC1").
const APPLICATION_ID: i32 = 0x5252_4331;
/// Layout of the cache file (`PRAGMA user_version`); another value is a foreign cache.
const LAYOUT: i32 = 2;
// Layout 1 kept the slim report as JSON; 2 keeps the identity as JSON and the cross-year
// data in `slim::CrossData`'s encoding.
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
        data     BLOB NOT NULL
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
    pub cross: CrossData,
    pub findings: Vec<Finding>,
}

/// The stored form of [`Cached`]. `Finding::operands` is not serialised with the finding
/// (it is not part of the JSON output), so it is kept beside.
#[derive(Serialize, Deserialize)]
struct Data {
    report: Report,
    findings: Vec<Finding>,
    operands: Vec<Option<String>>,
}

/// A row's data: the length of the JSON part (u32, little-endian), the identity and findings
/// as JSON, then the cross-year data in its own compact encoding.
fn encode(report: &Report, cross: &CrossData, findings: &[Finding]) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct DataRef<'a> {
        report: &'a Report,
        findings: &'a [Finding],
        operands: Vec<&'a Option<String>>,
    }
    let mut out = vec![0; 4];
    serde_json::to_writer(
        &mut out,
        &DataRef {
            report,
            findings,
            operands: findings.iter().map(|f| &f.operands).collect(),
        },
    )
    .ok()?;
    let json = u32::try_from(out.len() - 4).ok()?;
    out[..4].copy_from_slice(&json.to_le_bytes());
    cross.encode(&mut out);
    Some(out)
}

fn decode(bytes: &[u8]) -> Option<Cached> {
    let json = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let (json, rest) = bytes.get(4..)?.split_at_checked(json)?;
    let (cross, rest) = CrossData::decode(rest)?;
    if !rest.is_empty() {
        return None;
    }
    let d: Data = serde_json::from_slice(json).ok()?;
    if d.operands.len() != d.findings.len() {
        return None;
    }
    let mut findings = d.findings;
    for (f, o) in findings.iter_mut().zip(d.operands) {
        f.operands = o;
    }
    Some(Cached {
        report: d.report,
        cross,
        findings,
    })
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

struct Row {
    stamp: Stamp,
    sha: Sha,
}

/// A row to write: a file read and checked on this load, or one whose stamp changed.
struct Fresh {
    path: String,
    stamp: Stamp,
    sha: Sha,
    /// `None`: the stored data is still right (same bytes), only the stamp changes.
    data: Option<Vec<u8>>,
}

/// The cache of one load.
pub struct Cache {
    path: PathBuf,
    context: String,
    /// Rows of this context, by path relative to the batch.
    rows: HashMap<String, Row>,
    /// When the rows were written (ns since the epoch), for the racy check.
    written_ns: i64,
    /// Rows of another context, or none at all: every row is replaced on write.
    replace_all: bool,
    /// For the rare lookups by hash while files are read (a file touched, not changed).
    conn: Mutex<Option<Connection>>,
    fresh: Mutex<Vec<Fresh>>,
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

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i64)
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
            fresh: Mutex::new(Vec::new()),
        };
        match cache.read_rows(&conn) {
            Ok(()) => {}
            Err(e) => {
                return (
                    None,
                    Some(notice(format!("damaged ({e}); remove it to rebuild it"))),
                )
            }
        }
        *cache.conn.lock().unwrap_or_else(|e| e.into_inner()) = Some(conn);
        (Some(cache), None)
    }

    fn read_rows(&mut self, conn: &Connection) -> rusqlite::Result<()> {
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
        let mut stmt =
            conn.prepare("SELECT path, size, mtime_ns, ctime_ns, inode, sha256 FROM files")?;
        let rows = stmt.query_map([], |r| {
            let sha: Vec<u8> = r.get(5)?;
            Ok((
                r.get::<_, String>(0)?,
                Stamp {
                    size: r.get(1)?,
                    mtime_ns: r.get(2)?,
                    ctime_ns: r.get(3)?,
                    inode: r.get(4)?,
                },
                sha,
            ))
        })?;
        for row in rows {
            let (path, stamp, sha) = row?;
            // A row with a hash of the wrong length is not trusted: its file is read again.
            if let Ok(sha) = Sha::try_from(sha.as_slice()) {
                self.rows.insert(path, Row { stamp, sha });
            }
        }
        self.replace_all = false;
        Ok(())
    }

    /// The files (`(path relative to the batch, path)`) whose stamps match their rows, with
    /// their cached results, decoded in parallel. The others go through [`Cache::lookup`].
    pub fn hits(&self, files: &[(String, &Path)]) -> Vec<Option<Cached>> {
        use rayon::prelude::*;
        let trusted: Vec<bool> = files
            .par_iter()
            .map(|(rel, path)| {
                let (Some(row), Some(stamp)) = (self.rows.get(rel), Stamp::of(path)) else {
                    return false;
                };
                stamp == row.stamp && !self.racy(&stamp)
            })
            .collect();
        let wanted: HashMap<&str, usize> = files
            .iter()
            .zip(&trusted)
            .enumerate()
            .filter(|(_, (_, t))| **t)
            .map(|(i, ((rel, _), _))| (rel.as_str(), i))
            .collect();
        let mut out: Vec<Option<Cached>> = (0..files.len()).map(|_| None).collect();
        if wanted.is_empty() {
            return out;
        }
        let guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let Some(conn) = guard.as_ref() else {
            return out;
        };
        // Read the rows in batches and decode each batch in parallel, so only one batch of
        // stored bytes is in memory at a time.
        let Ok(mut stmt) = conn.prepare("SELECT path, data FROM files") else {
            return out;
        };
        let Ok(mut rows) = stmt.query([]) else {
            return out;
        };
        let mut batch: Vec<(usize, Vec<u8>)> = Vec::with_capacity(1024);
        let decode_batch = |batch: &mut Vec<(usize, Vec<u8>)>, out: &mut Vec<Option<Cached>>| {
            let decoded: Vec<(usize, Option<Cached>)> = batch
                .par_drain(..)
                .map(|(i, bytes)| (i, decode(&bytes)))
                .collect();
            for (i, c) in decoded {
                out[i] = c;
            }
        };
        while let Ok(Some(row)) = rows.next() {
            let Ok(path) = row.get_ref(0).and_then(|v| Ok(v.as_str()?.to_string())) else {
                continue;
            };
            let Some(&i) = wanted.get(path.as_str()) else {
                continue;
            };
            if let Ok(data) = row.get::<_, Vec<u8>>(1) {
                batch.push((i, data));
            }
            if batch.len() == 1024 {
                decode_batch(&mut batch, &mut out);
            }
        }
        decode_batch(&mut batch, &mut out);
        out
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
        if self.rows.get(rel).is_some_and(|r| r.sha == sha) {
            if let Some(c) = self.fetch(rel) {
                let mut fresh = self.fresh.lock().unwrap_or_else(|e| e.into_inner());
                fresh.push(Fresh {
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

    fn fetch(&self, rel: &str) -> Option<Cached> {
        let guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let data: Vec<u8> = guard
            .as_ref()?
            .query_row("SELECT data FROM files WHERE path = ?1", [rel], |r| {
                r.get(0)
            })
            .ok()?;
        drop(guard);
        decode(&data)
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
        let Some(data) = encode(report, cross, findings) else {
            return;
        };
        let mut fresh = self.fresh.lock().unwrap_or_else(|e| e.into_inner());
        fresh.push(Fresh {
            path: rel.to_string(),
            stamp,
            sha,
            data: Some(data),
        });
    }

    /// Write what changed on this load: new and changed rows, rows of files that are gone.
    /// Nothing is written when nothing changed. A failure is a notice, never an error.
    pub fn save(self, present: &[String]) -> Option<String> {
        let fresh = self.fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        let present: std::collections::HashSet<&str> = present.iter().map(String::as_str).collect();
        let gone: Vec<&String> = self
            .rows
            .keys()
            .filter(|k| !present.contains(k.as_str()))
            .collect();
        if fresh.is_empty() && gone.is_empty() && !self.replace_all {
            return None;
        }
        let conn = self.conn.into_inner().unwrap_or_else(|e| e.into_inner())?;
        let written = now_ns();
        let write = || -> rusqlite::Result<()> {
            let tx = conn.unchecked_transaction()?;
            if self.replace_all {
                tx.execute("DELETE FROM files", [])?;
            }
            {
                let mut upsert = tx.prepare(
                    "INSERT OR REPLACE INTO files (path, size, mtime_ns, ctime_ns, inode, sha256, data)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                let mut restamp = tx.prepare(
                    "UPDATE files SET size = ?2, mtime_ns = ?3, ctime_ns = ?4, inode = ?5
                     WHERE path = ?1 AND sha256 = ?6",
                )?;
                for f in &fresh {
                    let s = f.stamp;
                    match &f.data {
                        Some(data) => upsert.execute(params![
                            f.path,
                            s.size,
                            s.mtime_ns,
                            s.ctime_ns,
                            s.inode,
                            &f.sha[..],
                            data
                        ])?,
                        None => restamp.execute(params![
                            f.path,
                            s.size,
                            s.mtime_ns,
                            s.ctime_ns,
                            s.inode,
                            &f.sha[..]
                        ])?,
                    };
                }
                let mut delete = tx.prepare("DELETE FROM files WHERE path = ?1")?;
                for g in &gone {
                    delete.execute([g])?;
                }
            }
            let mut meta =
                tx.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?;
            meta.execute(["context", &self.context])?;
            meta.execute(["written_ns", &written.to_string()])?;
            drop(meta);
            tx.commit()
        };
        write().err().map(|e| {
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
        // An earlier layout of this program's cache: same tables, rows of another context
        // (the context names the layout), so none is used and all are replaced.
        Ok((APPLICATION_ID, 1, _)) => {
            let _ = conn.execute_batch(&format!(
                "PRAGMA synchronous = NORMAL; PRAGMA user_version = {LAYOUT};"
            ));
            Ok(conn)
        }
        Ok((app, version, _)) => Err(format!(
            "not a result cache of this program (application_id {app:#x}, layout {version}); \
             remove it to rebuild it"
        )),
    }
}
