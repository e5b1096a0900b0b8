//! The follow-up store: one SQLite file, an append-only `events` table, the current state of
//! each item derived from its latest event (view `current_marks`).
//!
//! Concurrency: WAL (rollback journal on network filesystems, where WAL's shared memory cannot
//! work), `busy_timeout`, every change one short `BEGIN IMMEDIATE` transaction committed at
//! once with `synchronous=FULL`. When another writer holds the lock beyond the busy timeout the
//! write is retried (with a message through [`Store::on_wait`]) and only then reported as
//! [`StoreError::Locked`] — never as a bare "database is locked".
//!
//! Safety: a file that is not a SQLite database, is damaged, or belongs to something else is
//! never written to; a store the user cannot write opens read-only with a notice.

use super::{Event, Filter, Identity, ItemRef, Kind, Mark, Review, Snapshot, State};
use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// `PRAGMA application_id` of a follow-up store ("RRV1").
pub const APPLICATION_ID: i32 = 0x5252_5631;
/// Latest schema version (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i32 = 3;
/// The first schema with review progress (tables `reviews` and `sessions`): older stores
/// read as having none.
const PROGRESS_VERSION: i32 = 3;
/// Oldest schema this program reads without upgrading it (a read-only store): version 1
/// differs only in not allowing the `unmarked` state.
const MIN_READABLE_VERSION: i32 = 1;
/// File name of the store inside the batch's `.report-review` directory.
pub const STORE_FILE: &str = "review.sqlite";
/// Environment override of the journal mode: `wal` or `rollback`.
pub const JOURNAL_ENV: &str = "REPORT_REVIEW_JOURNAL";

/// Schema migrations: `MIGRATIONS[i]` takes the store from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 → 1: the event log and the derived current state.
    "CREATE TABLE events (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        item_key      TEXT NOT NULL,
        report_key    TEXT NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('report','finding','cell','section')),
        target        TEXT NOT NULL,
        at            TEXT NOT NULL,
        os_user       TEXT NOT NULL,
        display_name  TEXT,
        old_state     TEXT CHECK (old_state IN ('open','confirmed','dismissed','resolved')),
        new_state     TEXT NOT NULL CHECK (new_state IN ('open','confirmed','dismissed','resolved')),
        note          TEXT NOT NULL DEFAULT '',
        snapshot      TEXT,
        report_sha256 TEXT,
        CHECK (new_state <> 'dismissed' OR trim(note) <> '')
    );
    CREATE INDEX events_item ON events(item_key, id);
    CREATE INDEX events_report ON events(report_key, id);
    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'follow-up events are append-only'); END;
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'follow-up events are append-only'); END;
    CREATE VIEW current_marks AS
        SELECT * FROM events WHERE id IN (SELECT max(id) FROM events GROUP BY item_key);",
    // 1 → 2: the `unmarked` state (a cleared mark, a note alone). SQLite cannot change a
    // CHECK, so the log is copied into a table that allows it, every event kept as it was.
    "DROP VIEW current_marks;
    DROP TRIGGER events_append_only_update;
    DROP TRIGGER events_append_only_delete;
    CREATE TABLE events_v2 (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        item_key      TEXT NOT NULL,
        report_key    TEXT NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('report','finding','cell','section')),
        target        TEXT NOT NULL,
        at            TEXT NOT NULL,
        os_user       TEXT NOT NULL,
        display_name  TEXT,
        old_state     TEXT CHECK (old_state IN ('open','confirmed','dismissed','resolved','unmarked')),
        new_state     TEXT NOT NULL CHECK (new_state IN ('open','confirmed','dismissed','resolved','unmarked')),
        note          TEXT NOT NULL DEFAULT '',
        snapshot      TEXT,
        report_sha256 TEXT,
        CHECK (new_state <> 'dismissed' OR trim(note) <> '')
    );
    INSERT INTO events_v2 SELECT * FROM events;
    DROP TABLE events;
    ALTER TABLE events_v2 RENAME TO events;
    CREATE INDEX events_item ON events(item_key, id);
    CREATE INDEX events_report ON events(report_key, id);
    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'follow-up events are append-only'); END;
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'follow-up events are append-only'); END;
    CREATE VIEW current_marks AS
        SELECT * FROM events WHERE id IN (SELECT max(id) FROM events GROUP BY item_key);",
    // 2 → 3: review progress. Which reports were read through (an append-only log, so
    // taking the mark back is history too), and where each auditor left the batch.
    "CREATE TABLE reviews (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        report_key    TEXT NOT NULL,
        reviewed      INTEGER NOT NULL CHECK (reviewed IN (0, 1)),
        at            TEXT NOT NULL,
        os_user       TEXT NOT NULL,
        display_name  TEXT
    );
    CREATE INDEX reviews_report ON reviews(report_key, id);
    CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
        BEGIN SELECT RAISE(ABORT, 'review events are append-only'); END;
    CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
        BEGIN SELECT RAISE(ABORT, 'review events are append-only'); END;
    CREATE TABLE sessions (
        os_user  TEXT NOT NULL,
        batch    TEXT NOT NULL,
        at       TEXT NOT NULL,
        state    TEXT NOT NULL,
        PRIMARY KEY (os_user, batch)
    );",
];

const EVENT_COLUMNS: &str = "id, report_key, kind, target, at, os_user, display_name, \
                             old_state, new_state, note, snapshot, report_sha256";

/// Why the store could not be opened or changed. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open follow-up store {}: {reason}", .path.display())]
    Open { path: PathBuf, reason: String },
    #[error("follow-up store {} does not exist", .path.display())]
    NotFound { path: PathBuf },
    #[error("follow-up store {} is damaged or not a SQLite database ({detail}); it was left untouched — restore it from a backup or move it aside", .path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("{} is not a report-review follow-up store; it was left untouched", .path.display())]
    NotAStore { path: PathBuf },
    #[error("follow-up store {} has schema version {found}, newer than this program supports ({supported}); upgrade report-review", .path.display())]
    TooNew {
        path: PathBuf,
        found: i32,
        supported: i32,
    },
    #[error("follow-up store {} stayed locked by another program for {} s; the change was NOT saved — try again", .path.display(), .waited.as_secs())]
    Locked { path: PathBuf, waited: Duration },
    #[error("follow-up store {} is open read-only; the change was NOT saved", .path.display())]
    ReadOnly { path: PathBuf },
    #[error("dismissing (已排除) is a waiver and needs a reason: give a note")]
    ReasonRequired,
    /// Compare-and-set failed: the item is not in the state the change expected to replace.
    #[error("{}; the change was NOT saved", conflict_message(.current.as_deref(), *.expected))]
    Conflict {
        /// The state the caller saw (`None`: unmarked).
        expected: Option<State>,
        /// The item's latest event now (`None`: unmarked).
        current: Option<Box<Event>>,
    },
    /// The file at the store's path is not the one opened (moved aside, deleted, replaced).
    #[error("follow-up store {} was {how} since it was opened; the change was NOT saved", .path.display())]
    Replaced { path: PathBuf, how: &'static str },
    #[error("follow-up store {} is an empty file (0 bytes), not a store; it was left untouched — remove it, or restore the store from a backup", .path.display())]
    Empty { path: PathBuf },
    #[error("follow-up store {}: {reason}", .path.display())]
    Sqlite { path: PathBuf, reason: String },
}

/// `changed by colleague (Li) to 已排除 dismissed at 2026-12-01 19:52 (you saw 待核实 open)`.
fn conflict_message(current: Option<&Event>, expected: Option<State>) -> String {
    let saw = expected.map_or_else(|| "unmarked".to_string(), State::label);
    match current {
        Some(e) => format!(
            "{} was changed by {} to {} at {} (you saw {saw})",
            e.item.place(),
            e.who(),
            e.new_state.label(),
            e.at.get(..16).unwrap_or(&e.at).replace('T', " ")
        ),
        None => format!("the mark was removed (you saw {saw})"),
    }
}

/// (device, inode) of the file at `path`, following links as SQLite does.
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).ok().map(|_| (0, 0))
    }
}

/// Journal mode for writers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JournalMode {
    /// WAL, except on network filesystems (rollback journal there). `REPORT_REVIEW_JOURNAL`
    /// (`wal` / `rollback`) overrides.
    #[default]
    Auto,
    Wal,
    Rollback,
}

/// How to open a store.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Never write (no schema creation, no journal change).
    pub read_only: bool,
    /// Create the file when missing (its directory too).
    pub create: bool,
    pub journal: JournalMode,
    /// How long SQLite itself waits for a lock before one retry round.
    pub busy_timeout: Duration,
    /// Retry rounds after the busy timeout before giving up with [`StoreError::Locked`].
    pub lock_retries: u32,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            read_only: false,
            create: true,
            journal: JournalMode::Auto,
            busy_timeout: Duration::from_secs(5),
            lock_retries: 12,
        }
    }
}

/// Where a batch's store lives, and why there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    /// Set when the store is not beside the batch (the batch directory is not writable).
    pub notice: Option<String>,
}

type WaitHook = Box<dyn FnMut(&str) + Send>;

/// An open follow-up store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    /// Read-only and the file has no schema yet: everything reads as empty.
    empty: bool,
    journal: &'static str,
    notices: Vec<String>,
    opts: OpenOptions,
    on_wait: Option<WaitHook>,
    /// (device, inode) of the file opened: checked before each write, so a store moved aside
    /// or replaced while open is never written blind.
    identity: Option<(u64, u64)>,
    /// The private directory holding the copy this read-only store reads, removed on drop.
    private_copy: Option<PathBuf>,
    /// Schema version of the file (older versions stay readable: what they lack reads as
    /// empty).
    schema: i32,
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(dir) = self.private_copy.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// `review.sqlite-wal` beside `review.sqlite`.
fn wal_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

/// Whether the store has a non-empty write-ahead log (committed changes may be in it).
fn wal_has_frames(path: &Path) -> bool {
    std::fs::metadata(wal_path(path)).is_ok_and(|m| m.len() > 0)
}

/// A new directory only this user can enter, under the system temporary directory.
fn private_temp_dir() -> std::io::Result<PathBuf> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    loop {
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("report-review-store-{}-{n}", std::process::id()));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .field("journal", &self.journal)
            .finish()
    }
}

/// Internal error of a write closure: SQLite, or a refusal decided inside the transaction.
enum TxError {
    Sql(rusqlite::Error),
    Refuse(StoreError),
}

impl From<rusqlite::Error> for TxError {
    fn from(e: rusqlite::Error) -> Self {
        TxError::Sql(e)
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// The directory a batch path stands for (a single-file batch: its directory).
fn batch_dir(dir: &Path) -> PathBuf {
    if dir.is_file() {
        dir.parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    } else {
        dir.to_path_buf()
    }
}

/// `DIR/.report-review/review.sqlite`.
pub fn default_store_path(dir: &Path) -> PathBuf {
    batch_dir(dir)
        .join(crate::batch::STATE_DIR)
        .join(STORE_FILE)
}

/// Where the store of `dir` goes when `dir` is not writable: the user's data directory,
/// one file per batch (`~/.local/share/report-review/stores/<name>-<hash>.sqlite`).
pub fn fallback_store_path(dir: &Path) -> Option<PathBuf> {
    let dir = batch_dir(dir);
    let canonical = std::fs::canonicalize(&dir).unwrap_or(dir);
    let hash = hex::encode(Sha256::digest(canonical.to_string_lossy().as_bytes()));
    let name: String = canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    let data = dirs::data_dir()?;
    Some(
        data.join("report-review")
            .join("stores")
            .join(format!("{name}-{}.sqlite", &hash[..12])),
    )
}

fn fallback_notice(dir: &Path, path: &Path, why: &str) -> String {
    format!(
        "note: cannot keep follow-ups beside the batch ({}: {why}); using {} — other reviewers will not see these marks",
        default_store_path(dir).display(),
        path.display()
    )
}

/// A 0-byte file, after a short second look (a store being created is 0 bytes for a moment).
fn is_empty_file(path: &Path) -> bool {
    let empty = || std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0);
    if !empty() {
        return false;
    }
    std::thread::sleep(Duration::from_millis(200));
    empty()
}

/// Whether this process may write `path` (access(2), so root and ACLs are honoured).
fn can_write(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
        unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
    }
}

/// Name of the network filesystem holding `dir`, if it is one (WAL needs shared memory that
/// network filesystems do not provide).
#[cfg(target_os = "linux")]
fn network_filesystem(dir: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: statfs writes only into `st`; `c` is a valid NUL-terminated path.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)]
    let magic = (st.f_type as u64 & 0xFFFF_FFFF) as u32;
    match magic {
        0x6969 => Some("NFS"),
        0x517B => Some("SMB"),
        0xFF53_4D42 => Some("CIFS"),
        0xFE53_4D42 => Some("SMB2"),
        0x5346_414F => Some("AFS"),
        0x0102_1997 => Some("9P"),
        0x0BD0_0BD0 => Some("Lustre"),
        0x00C3_6400 => Some("Ceph"),
        0x6573_5546 => Some("FUSE"),
        0x7375_7245 => Some("Coda"),
        _ => None,
    }
}

#[cfg(not(target_os = "linux"))]
fn network_filesystem(_dir: &Path) -> Option<&'static str> {
    None
}

/// `file:` URI for SQLite with every byte outside the unreserved set percent-encoded.
fn file_uri(path: &Path, query: &str) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push('?');
    uri.push_str(query);
    uri
}

impl Store {
    /// Open (creating if missing) the store at `path` with default options.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, &OpenOptions::default())
    }

    /// Where the store of batch `dir` is for writing: `db` if given; else beside the batch,
    /// creating `DIR/.report-review` (group-writable when the batch directory is); else, when
    /// that is impossible, the user's data directory with a notice. A store already in the
    /// data directory keeps being used while none exists beside the batch.
    pub fn locate_for_writing(dir: &Path, db: Option<&Path>) -> Result<Location, StoreError> {
        if let Some(db) = db {
            return Ok(Location {
                path: db.to_path_buf(),
                notice: None,
            });
        }
        let default = default_store_path(dir);
        if default.exists() {
            return Ok(Location {
                path: default,
                notice: None,
            });
        }
        let fallback = fallback_store_path(dir);
        if let Some(fb) = fallback.as_ref().filter(|p| p.exists()) {
            return Ok(Location {
                path: fb.clone(),
                notice: Some(fallback_notice(dir, fb, "no store there yet")),
            });
        }
        match prepare_state_dir(&batch_dir(dir)) {
            Ok(()) => Ok(Location {
                path: default,
                notice: None,
            }),
            Err(why) => match fallback {
                Some(fb) => {
                    if let Some(parent) = fb.parent() {
                        std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                            path: fb.clone(),
                            reason: format!("cannot create {}: {e}", parent.display()),
                        })?;
                    }
                    Ok(Location {
                        notice: Some(fallback_notice(dir, &fb, &why)),
                        path: fb,
                    })
                }
                None => Err(StoreError::Open {
                    path: default,
                    reason: format!("{why}, and no user data directory to fall back to"),
                }),
            },
        }
    }

    /// Where an existing store of batch `dir` is (`db`, beside the batch, or the fallback);
    /// `None` when there is none yet. A `db` given is always returned (opening it then says
    /// whether it exists).
    pub fn locate_existing(dir: &Path, db: Option<&Path>) -> Option<Location> {
        if let Some(db) = db {
            return Some(Location {
                path: db.to_path_buf(),
                notice: None,
            });
        }
        let default = default_store_path(dir);
        if default.exists() {
            return Some(Location {
                path: default,
                notice: None,
            });
        }
        let fb = fallback_store_path(dir)?;
        fb.exists().then(|| Location {
            notice: Some(fallback_notice(dir, &fb, "no store there")),
            path: fb,
        })
    }

    /// Open the store of batch `dir` for reviewing (creating it): what the TUI and
    /// `followups mark` use. Check [`Store::notices`] and show them.
    pub fn open_for_batch(dir: &Path, db: Option<&Path>) -> Result<Store, StoreError> {
        let loc = Store::locate_for_writing(dir, db)?;
        let mut store = Store::open_with(&loc.path, &OpenOptions::default())?;
        if let Some(n) = loc.notice {
            store.notices.insert(0, n);
        }
        if db.is_none() {
            store.notice_stranded_marks(dir);
        }
        Ok(store)
    }

    /// When a store beside the batch is in use but the fallback store of the batch (used
    /// while the batch directory was not writable) also exists and holds marks this one
    /// lacks, say so: they are not lost, but they are no longer counted.
    fn notice_stranded_marks(&mut self, dir: &Path) {
        let Some(fb) = fallback_store_path(dir) else {
            return;
        };
        if !fb.is_file() || file_identity(&fb) == self.identity {
            return;
        }
        let opts = OpenOptions {
            read_only: true,
            create: false,
            ..OpenOptions::default()
        };
        let Ok(theirs) = Store::open_with(&fb, &opts).and_then(|s| s.all(&Filter::default()))
        else {
            return;
        };
        let Ok(ours) = self.all(&Filter::default()) else {
            return;
        };
        let known: std::collections::HashSet<String> = ours.iter().map(|m| m.key()).collect();
        let stranded = theirs.iter().filter(|m| !known.contains(&m.key())).count();
        if stranded > 0 {
            self.notices.push(format!(
                "note: {} (used while the batch directory was not writable) holds {stranded} mark(s) that {} lacks; they are not counted — mark them again here, or use --db {} to see them",
                fb.display(),
                self.path.display(),
                fb.display()
            ));
        }
    }

    /// Open the store of batch `dir` if it exists (never creating one): for `list`, `export`
    /// and `check`.
    pub fn open_existing_for_batch(
        dir: &Path,
        db: Option<&Path>,
    ) -> Result<Option<Store>, StoreError> {
        let Some(loc) = Store::locate_existing(dir, db) else {
            return Ok(None);
        };
        let opts = OpenOptions {
            create: false,
            ..OpenOptions::default()
        };
        let mut store = Store::open_with(&loc.path, &opts)?;
        if let Some(n) = loc.notice {
            store.notices.insert(0, n);
        }
        if db.is_none() {
            store.notice_stranded_marks(dir);
        }
        Ok(Some(store))
    }

    /// Open the store at `path`.
    pub fn open_with(path: &Path, opts: &OpenOptions) -> Result<Store, StoreError> {
        let existed = path.exists();
        if existed && path.is_dir() {
            return Err(StoreError::Open {
                path: path.to_path_buf(),
                reason: "it is a directory".into(),
            });
        }
        if !existed && (opts.read_only || !opts.create) {
            return Err(StoreError::NotFound {
                path: path.to_path_buf(),
            });
        }
        if existed && (opts.read_only || !opts.create) && is_empty_file(path) {
            // Writers treat a 0-byte file as new (it is how SQLite creates one, and another
            // reviewer's first mark may be creating it right now); a reader refuses it.
            return Err(StoreError::Empty {
                path: path.to_path_buf(),
            });
        }
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        // A store is created only in a directory that exists (`.report-review` beside the
        // batch and the fallback directory are made by `locate_for_writing`): a mistyped
        // `--db /data/review.sqlite` does not create `/data`.
        if !existed && !parent.is_dir() {
            return Err(StoreError::Open {
                path: path.to_path_buf(),
                reason: format!("directory {} does not exist", parent.display()),
            });
        }
        if !existed && !can_write(&parent) {
            return Err(StoreError::Open {
                path: path.to_path_buf(),
                reason: format!("cannot create it: {} is not writable", parent.display()),
            });
        }
        let mut notices = Vec::new();
        let mut read_only = opts.read_only;
        if !read_only && existed && !can_write(path) {
            read_only = true;
            notices.push(format!(
                "note: follow-up store {} is read-only for you; marks are shown but cannot be changed (see docs/followups.md on sharing a store)",
                path.display()
            ));
        } else if !read_only && !can_write(&parent) {
            read_only = true;
            notices.push(format!(
                "note: the directory of follow-up store {} is not writable for you; opened read-only (see docs/followups.md on sharing a store)",
                path.display()
            ));
        }

        let mut store = if read_only {
            Store::connect_read_only(path, opts)?
        } else {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
            Store::from_conn(conn, path, false, opts)?
        };
        store.notices.splice(0..0, notices);
        if !store.read_only
            && store
                .conn
                .is_readonly(rusqlite::DatabaseName::Main)
                .unwrap_or(false)
        {
            store.read_only = true;
            store.notices.push(format!(
                "note: follow-up store {} can only be read (read-only file system?); marks are shown but cannot be changed",
                path.display()
            ));
        }
        store.check_header()?;
        if !store.read_only {
            store.set_journal()?;
            store.migrate()?;
            if !existed {
                share_with_group(path, &parent);
            }
        }
        Ok(store)
    }

    fn connect_read_only(path: &Path, opts: &OpenOptions) -> Result<Store, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let open_err = |e: rusqlite::Error| StoreError::Open {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        let store = Store::from_conn(conn, path, true, opts)?;
        // A WAL store whose -shm file cannot be created here is readable only as immutable.
        match store
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            }) {
            Ok(_) => Ok(store),
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly)
                ) =>
            {
                // `immutable=1` ignores the WAL: committed changes still in it (a writer
                // killed, or still running) would silently be missing. Read a private copy of
                // the store and its WAL instead, where the -shm can be made.
                if wal_has_frames(path) {
                    return Store::open_private_copy(path, opts);
                }
                let uri = file_uri(path, "immutable=1");
                let conn = Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
                    .map_err(open_err)?;
                Store::from_conn(conn, path, true, opts)
            }
            Err(e) => Err(store.classify(e)),
        }
    }

    /// Open a copy of `path` and its `-wal`, made in a private temporary directory, read-only.
    fn open_private_copy(path: &Path, opts: &OpenOptions) -> Result<Store, StoreError> {
        let open_err = |reason: String| StoreError::Open {
            path: path.to_path_buf(),
            reason,
        };
        let dir =
            private_temp_dir().map_err(|e| open_err(format!("cannot make a private copy: {e}")))?;
        let copy = dir.join(STORE_FILE);
        let copied = std::fs::copy(path, &copy)
            .and_then(|_| std::fs::copy(wal_path(path), dir.join(format!("{STORE_FILE}-wal"))));
        if let Err(e) = copied {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(open_err(format!("cannot make a private copy: {e}")));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = match Connection::open_with_flags(&copy, flags) {
            Ok(c) => c,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(open_err(e.to_string()));
            }
        };
        let mut store = Store::from_conn(conn, path, true, opts)?;
        store.private_copy = Some(dir);
        store.notices.push(format!(
            "note: follow-up store {} has changes in its write-ahead log that this user cannot read in place ({}-shm cannot be created); read from a private copy taken now",
            path.display(),
            path.display()
        ));
        Ok(store)
    }

    fn from_conn(
        conn: Connection,
        path: &Path,
        read_only: bool,
        opts: &OpenOptions,
    ) -> Result<Store, StoreError> {
        let store = Store {
            conn,
            path: path.to_path_buf(),
            read_only,
            empty: false,
            journal: if read_only { "read-only" } else { "unknown" },
            notices: Vec::new(),
            opts: opts.clone(),
            on_wait: None,
            identity: file_identity(path),
            private_copy: None,
            schema: 0,
        };
        store
            .conn
            .busy_timeout(opts.busy_timeout)
            .map_err(|e| store.classify(e))?;
        Ok(store)
    }

    /// Refuse files that are not (healthy) follow-up stores before anything is written.
    fn check_header(&mut self) -> Result<(), StoreError> {
        // One statement, so one consistent snapshot even while another process creates it.
        let (app_id, version, tables) = self.read(|c| {
            c.query_row(
                "SELECT (SELECT application_id FROM pragma_application_id()), \
                        (SELECT user_version FROM pragma_user_version()), \
                        (SELECT count(*) FROM sqlite_master)",
                [],
                |r| {
                    Ok((
                        r.get::<_, i32>(0)?,
                        r.get::<_, i32>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                },
            )
        })?;
        self.schema = version;
        let fresh = app_id == 0 && version == 0 && tables == 0;
        if !fresh && app_id != APPLICATION_ID {
            return Err(StoreError::NotAStore {
                path: self.path.clone(),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if !fresh {
            let check: String =
                self.read(|c| c.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)))?;
            if check != "ok" {
                return Err(StoreError::Corrupt {
                    path: self.path.clone(),
                    detail: check,
                });
            }
        }
        if self.read_only && (fresh || version < MIN_READABLE_VERSION) {
            if fresh {
                self.empty = true;
            } else {
                return Err(StoreError::Sqlite {
                    path: self.path.clone(),
                    reason: format!(
                        "schema version {version} needs upgrading, which a read-only store cannot do; open it once with write access"
                    ),
                });
            }
        }
        Ok(())
    }

    fn set_journal(&mut self) -> Result<(), StoreError> {
        let env = std::env::var(JOURNAL_ENV).ok();
        let mut mode = match (self.opts.journal, env.as_deref()) {
            (JournalMode::Wal, _) => JournalMode::Wal,
            (JournalMode::Rollback, _) => JournalMode::Rollback,
            (JournalMode::Auto, Some("wal")) => JournalMode::Wal,
            (JournalMode::Auto, Some("rollback" | "delete")) => JournalMode::Rollback,
            (JournalMode::Auto, _) => JournalMode::Auto,
        };
        if mode == JournalMode::Auto {
            let dir = self.path.parent().unwrap_or(Path::new("."));
            mode = match network_filesystem(dir) {
                Some(fs) => {
                    self.notices.push(format!(
                        "note: follow-up store {} is on a network file system ({fs}); using a rollback journal instead of WAL",
                        self.path.display()
                    ));
                    JournalMode::Rollback
                }
                None => JournalMode::Wal,
            };
        }
        let want = if mode == JournalMode::Wal {
            "wal"
        } else {
            "delete"
        };
        let got = self.read(|c| {
            c.query_row(&format!("PRAGMA journal_mode={want}"), [], |r| {
                r.get::<_, String>(0)
            })
        });
        let got = match got {
            Ok(g) => g.to_ascii_lowercase(),
            Err(StoreError::Locked { .. }) => self.current_journal()?,
            Err(e) => return Err(e),
        };
        if want == "wal" && got != "wal" {
            // WAL refused (e.g. no shared memory): fall back to a rollback journal.
            let fallback = self
                .read(|c| c.query_row("PRAGMA journal_mode=delete", [], |r| r.get::<_, String>(0)))
                .map(|s| s.to_ascii_lowercase())
                .unwrap_or(got);
            self.notices.push(format!(
                "note: WAL is not available for follow-up store {}; using journal mode {fallback}",
                self.path.display()
            ));
            self.journal = if fallback == "wal" { "wal" } else { "rollback" };
        } else {
            self.journal = if got == "wal" { "wal" } else { "rollback" };
        }
        self.read(|c| c.execute_batch("PRAGMA synchronous=FULL"))?;
        Ok(())
    }

    fn current_journal(&self) -> Result<String, StoreError> {
        self.read(|c| c.query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0)))
            .map(|s| s.to_ascii_lowercase())
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        // Most opens find the schema current: check with a read, take no write lock.
        let version: i32 = self.read(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))?;
        if version == SCHEMA_VERSION {
            self.schema = version;
            return Ok(());
        }
        let path = self.path.clone();
        self.write(|tx| {
            let version: i32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version > SCHEMA_VERSION {
                return Err(TxError::Refuse(StoreError::TooNew {
                    path: path.clone(),
                    found: version,
                    supported: SCHEMA_VERSION,
                }));
            }
            for (v, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
                tx.execute_batch(sql)?;
                tx.execute_batch(&format!("PRAGMA user_version = {}", v + 1))?;
            }
            if version == 0 {
                tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
            }
            Ok(())
        })?;
        self.schema = SCHEMA_VERSION;
        Ok(())
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// `wal`, `rollback` or `read-only`.
    pub fn journal_mode(&self) -> &'static str {
        self.journal
    }

    /// Things the user should see once: fallback location, read-only, no WAL.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// Called with a message each time a write finds the store locked beyond the busy
    /// timeout and retries (e.g. print it, or show it in the status bar).
    pub fn on_wait(&mut self, hook: impl FnMut(&str) + Send + 'static) {
        self.on_wait = Some(Box::new(hook));
    }

    fn classify(&self, e: rusqlite::Error) -> StoreError {
        let path = self.path.clone();
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt {
                path,
                detail: e.to_string(),
            },
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked {
                path,
                waited: self.opts.busy_timeout,
            },
            _ => StoreError::Sqlite {
                path,
                reason: e.to_string(),
            },
        }
    }

    fn wait_message(&self, attempt: u32, waited: Duration) -> String {
        format!(
            "follow-up store {} is locked by another program (waited {} s); retrying ({attempt}/{})…",
            self.path.display(),
            waited.as_secs(),
            self.opts.lock_retries
        )
    }

    /// Run a read, retrying while another writer holds the lock.
    fn read<T>(&self, f: impl Fn(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        let start = Instant::now();
        let mut attempt = 0;
        loop {
            match f(&self.conn) {
                Ok(v) => return Ok(v),
                Err(e) if is_busy(&e) && attempt < self.opts.lock_retries => {
                    attempt += 1;
                    std::thread::sleep(backoff(attempt));
                }
                Err(e) if is_busy(&e) => {
                    return Err(StoreError::Locked {
                        path: self.path.clone(),
                        waited: start.elapsed(),
                    })
                }
                Err(e) => return Err(self.classify(e)),
            }
        }
    }

    /// Run `f` in one short `BEGIN IMMEDIATE` transaction and commit it at once; retry the
    /// whole transaction while another writer holds the lock.
    fn write<T>(
        &mut self,
        mut f: impl FnMut(&rusqlite::Transaction<'_>) -> Result<T, TxError>,
    ) -> Result<T, StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        self.check_identity()?;
        let start = Instant::now();
        let mut attempt = 0;
        loop {
            let outcome = (|| {
                let tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)?;
                let v = f(&tx)?;
                tx.commit()?;
                Ok(v)
            })();
            match outcome {
                Ok(v) => return Ok(v),
                Err(TxError::Refuse(e)) => return Err(e),
                Err(TxError::Sql(e)) if is_busy(&e) && attempt < self.opts.lock_retries => {
                    attempt += 1;
                    let msg = self.wait_message(attempt, start.elapsed());
                    if let Some(hook) = self.on_wait.as_mut() {
                        hook(&msg);
                    }
                    std::thread::sleep(backoff(attempt));
                }
                Err(TxError::Sql(e)) if is_busy(&e) => {
                    return Err(StoreError::Locked {
                        path: self.path.clone(),
                        waited: start.elapsed(),
                    })
                }
                Err(TxError::Sql(e)) => return Err(self.classify(e)),
            }
        }
    }

    /// Whether the file at the store's path is no longer the one opened (moved aside,
    /// deleted or replaced): reopen it to see what is there now.
    pub fn is_replaced(&self) -> bool {
        self.check_identity().is_err()
    }

    /// Refuse to write when the file at the path is no longer the one opened.
    fn check_identity(&self) -> Result<(), StoreError> {
        let Some(opened) = self.identity else {
            return Ok(());
        };
        let how = match file_identity(&self.path) {
            None => "moved or deleted",
            Some(now) if now != opened => "moved or replaced by another file",
            Some(_) => return Ok(()),
        };
        Err(StoreError::Replaced {
            path: self.path.clone(),
            how,
        })
    }

    /// Set `item` to `state` only if it is still in `expected` (the state the caller saw,
    /// `None` for unmarked) — a compare-and-set in the same transaction as the write. With
    /// `expected` `None` no state is expected (a script setting a state outright).
    /// On a mismatch nothing is written and [`StoreError::Conflict`] names who changed it.
    pub fn mark_expecting(
        &mut self,
        item: &ItemRef,
        expected: Option<Option<State>>,
        state: State,
        note: Option<&str>,
        who: &Identity,
        snapshot: &Snapshot,
    ) -> Result<Event, StoreError> {
        self.append(item, expected, |_| Some(state), note, who, snapshot)
    }

    /// Set the state of `item`, committed before this returns. `note`: `None` keeps the
    /// current note; moving into 已排除 dismissed needs a non-empty note in this call.
    /// Returns the appended event.
    pub fn mark(
        &mut self,
        item: &ItemRef,
        state: State,
        note: Option<&str>,
        who: &Identity,
        snapshot: &Snapshot,
    ) -> Result<Event, StoreError> {
        self.append(item, None, |_| Some(state), note, who, snapshot)
    }

    /// Move `item` to its next state ([`super::cycle_state`]) as one atomic change. When the
    /// next state is 已排除 dismissed and `reason` is empty, nothing is written and
    /// [`StoreError::ReasonRequired`] tells the caller to ask for one.
    pub fn cycle(
        &mut self,
        item: &ItemRef,
        reason: Option<&str>,
        who: &Identity,
        snapshot: &Snapshot,
    ) -> Result<Event, StoreError> {
        self.append(
            item,
            None,
            |cur| Some(super::cycle_state(cur)),
            reason,
            who,
            snapshot,
        )
    }

    /// Change the note of `item`, keeping its state. A note alone is no follow-up: an item
    /// without a mark stays 无标记 unmarked.
    pub fn set_note(
        &mut self,
        item: &ItemRef,
        note: &str,
        who: &Identity,
        snapshot: &Snapshot,
    ) -> Result<Event, StoreError> {
        self.append(
            item,
            None,
            |cur| Some(cur.unwrap_or(State::Unmarked)),
            Some(note),
            who,
            snapshot,
        )
    }

    fn append(
        &mut self,
        item: &ItemRef,
        expected: Option<Option<State>>,
        next: impl Fn(Option<State>) -> Option<State>,
        note: Option<&str>,
        who: &Identity,
        snapshot: &Snapshot,
    ) -> Result<Event, StoreError> {
        let note = note.map(clean_note);
        self.write(|tx| {
            append_in(tx, item, expected, &next, note.as_deref(), who, snapshot)?
                .ok_or(TxError::Refuse(StoreError::ReasonRequired))
        })
    }

    /// Set several items to `state` in one transaction (a bulk mark): every change is made,
    /// or none. Each item names the state the caller saw (`expected`, as for
    /// [`Store::mark_expecting`]); when any is in another state by now nothing is written and
    /// [`StoreError::Conflict`] names who changed it. Items already in `state` with the note
    /// asked for get no event, so the history holds only real changes. Returns the events
    /// appended, in the order given.
    pub fn mark_many(
        &mut self,
        items: &[(ItemRef, Option<Option<State>>, Snapshot)],
        state: State,
        note: Option<&str>,
        who: &Identity,
    ) -> Result<Vec<Event>, StoreError> {
        let note = note.map(clean_note);
        self.write(|tx| {
            let mut out = Vec::new();
            for (item, expected, snapshot) in items {
                let latest = latest_in(tx, &item.key())?;
                let unchanged = latest.as_ref().is_some_and(|r| {
                    r.new_state == state.as_str() && note.as_ref().is_none_or(|n| *n == r.note)
                });
                if unchanged {
                    continue;
                }
                let next = |_: Option<State>| Some(state);
                match append_in(tx, item, *expected, &next, note.as_deref(), who, snapshot)? {
                    Some(ev) => out.push(ev),
                    None => return Err(TxError::Refuse(StoreError::ReasonRequired)),
                }
            }
            Ok(out)
        })
    }

    fn query_events(
        &self,
        sql: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<Event>, StoreError> {
        if self.empty {
            return Ok(Vec::new());
        }
        let path = self.path.clone();
        let rows = self.read(|c| {
            let mut stmt = c.prepare_cached(sql)?;
            let rows = stmt.query_map(params, row_to_raw)?;
            rows.collect::<rusqlite::Result<Vec<RawEvent>>>()
        })?;
        rows.into_iter()
            .map(|r| {
                r.into_event().ok_or_else(|| StoreError::Corrupt {
                    path: path.clone(),
                    detail: "an event row has an unknown kind or state".into(),
                })
            })
            .collect()
    }

    /// Current marks of one report, in the order they were last changed.
    pub fn current(&self, report_key: &str) -> Result<Vec<Mark>, StoreError> {
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM current_marks WHERE report_key = ?1 ORDER BY id");
        Ok(self
            .query_events(&sql, &[&report_key])?
            .into_iter()
            .map(Mark::from)
            .collect())
    }

    /// The current mark of one item, if it has been marked.
    pub fn get(&self, item: &ItemRef) -> Result<Option<Mark>, StoreError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE item_key = ?1 ORDER BY id DESC LIMIT 1"
        );
        Ok(self
            .query_events(&sql, &[&item.key()])?
            .into_iter()
            .next()
            .map(Mark::from))
    }

    /// Every current mark matching `filter`, ordered by report key then item key.
    pub fn all(&self, filter: &Filter) -> Result<Vec<Mark>, StoreError> {
        if self.empty {
            return Ok(Vec::new());
        }
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM current_marks ORDER BY report_key, item_key");
        let raw = self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map([], row_to_raw)?;
            rows.collect::<rusqlite::Result<Vec<RawEvent>>>()
        })?;
        Ok(raw
            .into_iter()
            .filter_map(RawEvent::into_event)
            .map(Mark::from)
            .filter(|m| filter.matches(m))
            .collect())
    }

    /// Every event of one item (by its full key), oldest first.
    pub fn history(&self, item_key: &str) -> Result<Vec<Event>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE item_key = ?1 ORDER BY id");
        self.query_events(&sql, &[&item_key])
    }

    /// Events with an id greater than `id`, oldest first — poll this every few seconds with
    /// the last id seen (start from [`Store::last_event_id`]).
    pub fn events_since(&self, id: i64) -> Result<Vec<Event>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id > ?1 ORDER BY id");
        self.query_events(&sql, &[&id])
    }

    /// Id of the latest event (0 when there is none).
    pub fn last_event_id(&self) -> Result<i64, StoreError> {
        if self.empty {
            return Ok(0);
        }
        self.read(|c| c.query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0)))
    }
}

const REVIEW_COLUMNS: &str = "id, report_key, reviewed, at, os_user, display_name";

fn row_to_review(r: &rusqlite::Row<'_>) -> rusqlite::Result<Review> {
    Ok(Review {
        id: r.get(0)?,
        report_key: r.get(1)?,
        reviewed: r.get::<_, i64>(2)? != 0,
        at: r.get(3)?,
        os_user: r.get(4)?,
        display_name: r.get(5)?,
    })
}

/// Review progress (`super::progress`).
impl Store {
    /// The file has the progress tables (a read-only store of an older schema does not).
    fn has_progress(&self) -> bool {
        !self.empty && self.schema >= PROGRESS_VERSION
    }

    /// Mark report `report_key` reviewed (已阅) or take the mark back, committed before
    /// this returns. Both are kept in the log.
    pub fn set_reviewed(
        &mut self,
        report_key: &str,
        reviewed: bool,
        who: &Identity,
    ) -> Result<Review, StoreError> {
        self.write(|tx| {
            let at = super::now_rfc3339();
            tx.execute(
                "INSERT INTO reviews (report_key, reviewed, at, os_user, display_name) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    report_key,
                    i64::from(reviewed),
                    at,
                    who.os_user(),
                    who.display_name()
                ],
            )?;
            Ok(Review {
                id: tx.last_insert_rowid(),
                report_key: report_key.to_string(),
                reviewed,
                at,
                os_user: who.os_user().to_string(),
                display_name: who.display_name().map(str::to_string),
            })
        })
    }

    fn query_reviews(
        &self,
        sql: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<Review>, StoreError> {
        if !self.has_progress() {
            return Ok(Vec::new());
        }
        self.read(|c| {
            let mut stmt = c.prepare_cached(sql)?;
            let rows = stmt.query_map(params, row_to_review)?;
            rows.collect()
        })
    }

    /// The latest change of each report's reviewed state (reviewed or taken back), by
    /// report key.
    pub fn reviews(&self) -> Result<Vec<Review>, StoreError> {
        let sql = format!(
            "SELECT {REVIEW_COLUMNS} FROM reviews WHERE id IN \
             (SELECT max(id) FROM reviews GROUP BY report_key) ORDER BY report_key"
        );
        self.query_reviews(&sql, &[])
    }

    /// Every change of one report's reviewed state, oldest first.
    pub fn review_history(&self, report_key: &str) -> Result<Vec<Review>, StoreError> {
        let sql = format!("SELECT {REVIEW_COLUMNS} FROM reviews WHERE report_key = ?1 ORDER BY id");
        self.query_reviews(&sql, &[&report_key])
    }

    /// Changes with an id greater than `id`, oldest first (other auditors' progress).
    pub fn reviews_since(&self, id: i64) -> Result<Vec<Review>, StoreError> {
        let sql = format!("SELECT {REVIEW_COLUMNS} FROM reviews WHERE id > ?1 ORDER BY id");
        self.query_reviews(&sql, &[&id])
    }

    /// Where `who` left batch `batch` (the screen's own text), if saved.
    pub fn session(&self, who: &Identity, batch: &str) -> Result<Option<String>, StoreError> {
        if !self.has_progress() {
            return Ok(None);
        }
        self.read(|c| {
            c.query_row(
                "SELECT state FROM sessions WHERE os_user = ?1 AND batch = ?2",
                params![who.os_user(), batch],
                |r| r.get(0),
            )
            .optional()
        })
    }

    /// Keep where `who` is in batch `batch`, replacing what was kept.
    pub fn save_session(
        &mut self,
        who: &Identity,
        batch: &str,
        state: &str,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sessions (os_user, batch, at, state) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (os_user, batch) DO UPDATE SET at = excluded.at, state = excluded.state",
                params![who.os_user(), batch, super::now_rfc3339(), state],
            )?;
            Ok(())
        })
    }
}

/// A short, slightly varied pause between retry rounds (the busy timeout already waited).
fn backoff(attempt: u32) -> Duration {
    let jitter = u64::from(std::process::id() % 17) * 3;
    Duration::from_millis(20 + 30 * u64::from(attempt.min(10)) + jitter)
}

/// Notes keep newlines and tabs; other control characters and the bidi and invisible
/// characters that could reorder or disguise the text are dropped.
fn clean_note(note: &str) -> String {
    note.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .filter(|c| !crate::textwidth::is_invisible(*c))
        .collect::<String>()
        .trim()
        .to_string()
}

/// Create `DIR/.report-review` if needed and prove it writable; group-writable and setgid
/// when the batch directory is group-writable, so a team shares one store.
pub(crate) fn prepare_state_dir(dir: &Path) -> Result<(), String> {
    let state = dir.join(crate::batch::STATE_DIR);
    if !state.exists() {
        match std::fs::create_dir(&state) {
            // Another reviewer's process may create it at the same moment.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && state.is_dir() => {}
            Err(e) => return Err(e.to_string()),
            Ok(()) => {}
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(meta) = std::fs::metadata(dir) {
                if meta.permissions().mode() & 0o020 != 0 {
                    let _ =
                        std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o2775));
                }
            }
        }
    } else if !state.is_dir() {
        return Err(format!("{} is not a directory", state.display()));
    }
    if !can_write(&state) {
        return Err("permission denied".into());
    }
    Ok(())
}

/// A new store in a group-writable directory becomes group-writable too (SQLite gives its
/// -wal and -shm files the same permissions).
pub(crate) fn share_with_group(path: &Path, dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let group_dir = std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o020 != 0);
        if let (true, Ok(meta)) = (group_dir, std::fs::metadata(path)) {
            let mode = meta.permissions().mode() | 0o060;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, dir);
}

struct RawEvent {
    id: i64,
    report_key: String,
    kind: String,
    target: String,
    at: String,
    os_user: String,
    display_name: Option<String>,
    old_state: Option<String>,
    new_state: String,
    note: String,
    snapshot: Option<String>,
    report_sha256: Option<String>,
}

fn row_to_raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawEvent> {
    Ok(RawEvent {
        id: r.get(0)?,
        report_key: r.get(1)?,
        kind: r.get(2)?,
        target: r.get(3)?,
        at: r.get(4)?,
        os_user: r.get(5)?,
        display_name: r.get(6)?,
        old_state: r.get(7)?,
        new_state: r.get(8)?,
        note: r.get(9)?,
        snapshot: r.get(10)?,
        report_sha256: r.get(11)?,
    })
}

/// The latest event of an item, inside a transaction.
fn latest_in(tx: &rusqlite::Transaction<'_>, item_key: &str) -> Result<Option<RawEvent>, TxError> {
    let sql =
        format!("SELECT {EVENT_COLUMNS} FROM events WHERE item_key = ?1 ORDER BY id DESC LIMIT 1");
    Ok(tx.query_row(&sql, [item_key], row_to_raw).optional()?)
}

/// Append one change of `item` inside `tx`: its next state from the current one, checked
/// against `expected`; `Ok(None)` when it needs a reason it was not given. `note` is cleaned.
fn append_in(
    tx: &rusqlite::Transaction<'_>,
    item: &ItemRef,
    expected: Option<Option<State>>,
    next: &dyn Fn(Option<State>) -> Option<State>,
    note: Option<&str>,
    who: &Identity,
    snapshot: &Snapshot,
) -> Result<Option<Event>, TxError> {
    let item_key = item.key();
    let target = item.target_key();
    let latest = latest_in(tx, &item_key)?;
    let prev = latest
        .as_ref()
        .map(|r| (r.new_state.clone(), r.note.clone()));
    let old_state = prev.as_ref().and_then(|(s, _)| State::parse(s));
    if let Some(expected) = expected {
        if expected != old_state {
            return Err(TxError::Refuse(StoreError::Conflict {
                expected,
                current: latest.and_then(RawEvent::into_event).map(Box::new),
            }));
        }
    }
    let Some(new_state) = next(old_state) else {
        return Ok(None);
    };
    let new_note = match note {
        Some(n) => n.to_string(),
        None => prev.map(|(_, n)| n).unwrap_or_default(),
    };
    let entering_dismissed = new_state == State::Dismissed && old_state != Some(State::Dismissed);
    let given_reason = note.is_some_and(|n| !n.trim().is_empty());
    if new_state == State::Dismissed
        && ((entering_dismissed && !given_reason) || new_note.trim().is_empty())
    {
        return Ok(None);
    }
    let at = super::now_rfc3339();
    tx.execute(
        "INSERT INTO events (item_key, report_key, kind, target, at, os_user, display_name, \
         old_state, new_state, note, snapshot, report_sha256) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            item_key,
            item.report_key,
            item.kind().as_str(),
            target,
            at,
            who.os_user(),
            who.display_name(),
            old_state.map(State::as_str),
            new_state.as_str(),
            new_note,
            snapshot.value,
            snapshot.report_sha256,
        ],
    )?;
    Ok(Some(Event {
        id: tx.last_insert_rowid(),
        item: item.clone(),
        at,
        os_user: who.os_user().to_string(),
        display_name: who.display_name().map(str::to_string),
        old_state,
        new_state,
        note: new_note,
        snapshot: snapshot.value.clone(),
        report_sha256: snapshot.report_sha256.clone(),
    }))
}

impl RawEvent {
    fn into_event(self) -> Option<Event> {
        let kind = Kind::parse(&self.kind)?;
        let item = ItemRef::from_parts(&self.report_key, kind, &self.target)?;
        let old_state = match self.old_state {
            Some(s) => Some(State::parse(&s)?),
            None => None,
        };
        Some(Event {
            id: self.id,
            item,
            at: self.at,
            os_user: self.os_user,
            display_name: self.display_name,
            old_state,
            new_state: State::parse(&self.new_state)?,
            note: self.note,
            snapshot: self.snapshot,
            report_sha256: self.report_sha256,
        })
    }
}
