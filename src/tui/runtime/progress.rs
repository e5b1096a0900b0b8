//! The review-progress worker: reads the batch's 已阅 marks and this auditor's saved place
//! from the follow-up store, writes 已阅 changes at once and the place when the keys pause
//! (and on quitting), and polls for other auditors' progress. It has its own connection to
//! the store, so a slow write here never holds up the marks.

use crate::review::{Identity, Store, StoreError};
use crate::tui::progress::{ProgressMsg, ProgressReq};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How often other auditors' progress is read.
const POLL_EVERY: Duration = Duration::from_secs(2);
/// The place is written once the keys have paused this long (moving through the list
/// writes nothing per key).
const SESSION_PAUSE: Duration = Duration::from_millis(400);

pub struct ProgressWorker {
    pub tx: mpsc::Sender<ProgressReq>,
    pub rx: mpsc::Receiver<ProgressMsg>,
    handle: std::thread::JoinHandle<()>,
}

/// The name a batch's places are kept under: its directory, as absolute as it can be
/// made, so `.` and the full path are the same batch.
pub fn batch_name(dir: &Path) -> String {
    std::fs::canonicalize(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .display()
        .to_string()
}

impl ProgressWorker {
    pub fn spawn(dir: PathBuf, db: Option<PathBuf>, who: Identity) -> std::io::Result<Self> {
        let (tx, req) = mpsc::channel();
        let (out, rx) = mpsc::channel();
        let handle = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || run(dir, db, who, req, out))?;
        Ok(ProgressWorker { tx, rx, handle })
    }

    /// After quitting: let the worker write the last place and 已阅 changes, waiting at
    /// most `limit`.
    pub fn finish(self, limit: Duration) {
        let ProgressWorker { tx, rx, handle } = self;
        drop(tx);
        let start = Instant::now();
        while !handle.is_finished() && start.elapsed() < limit {
            while rx.try_recv().is_ok() {}
            std::thread::sleep(Duration::from_millis(20));
        }
        if handle.is_finished() {
            let _ = handle.join();
        }
    }
}

struct Held {
    dir: PathBuf,
    db: Option<PathBuf>,
    store: Option<Store>,
    /// Id of the latest review change seen.
    last: i64,
}

impl Held {
    /// The store, created if there is none yet (a first 已阅 or a first saved place).
    fn writable(&mut self) -> Result<&mut Store, StoreError> {
        if self.store.is_none() || self.store.as_ref().is_some_and(Store::is_replaced) {
            self.store = Some(Store::open_for_batch(&self.dir, self.db.as_deref())?);
        }
        Ok(self.store.as_mut().expect("opened above"))
    }

    /// The store if one exists (never creating it).
    fn existing(&mut self) -> Option<&Store> {
        if self.store.is_none() {
            match Store::open_existing_for_batch(&self.dir, self.db.as_deref()) {
                Ok(s) => self.store = s,
                Err(_) => return None,
            }
        }
        self.store.as_ref()
    }
}

fn run(
    dir: PathBuf,
    db: Option<PathBuf>,
    who: Identity,
    req: mpsc::Receiver<ProgressReq>,
    out: mpsc::Sender<ProgressMsg>,
) {
    let batch = batch_name(&dir);
    let mut held = Held {
        dir,
        db,
        store: None,
        last: 0,
    };
    // A store that cannot be read says so through the marks' worker; here it is only
    // progress that is missing.
    let (reviews, session) = match held.existing() {
        Some(s) => (
            s.reviews().unwrap_or_default(),
            s.session(&who, &batch).ok().flatten(),
        ),
        None => (Vec::new(), None),
    };
    held.last = reviews.iter().map(|r| r.id).max().unwrap_or(0);
    if out.send(ProgressMsg::Opened { reviews, session }).is_err() {
        return;
    }
    let mut session: Option<String> = None;
    let save_session = |held: &mut Held, json: &str| {
        if let Err(e) = held
            .writable()
            .and_then(|s| s.save_session(&who, &batch, json))
        {
            let _ = out.send(ProgressMsg::SessionFailed(e.to_string()));
        }
    };
    loop {
        let wait = if session.is_some() {
            SESSION_PAUSE
        } else {
            POLL_EVERY
        };
        match req.recv_timeout(wait) {
            Ok(ProgressReq::SetReviewed {
                report_key,
                reviewed,
            }) => {
                let res = held
                    .writable()
                    .and_then(|s| s.set_reviewed(&report_key, reviewed, &who));
                if let Err(e) = res {
                    let _ = out.send(ProgressMsg::Failed {
                        report_key,
                        message: e.to_string(),
                    });
                }
            }
            Ok(ProgressReq::SaveSession(json)) => session = Some(json),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(json) = session.take() {
                    save_session(&mut held, &json);
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                if let Some(json) = session.take() {
                    save_session(&mut held, &json);
                }
                return;
            }
        }
        // Ours and other auditors' changes since the last look.
        let last = held.last;
        if let Some(Ok(rs)) = held.existing().map(|s| s.reviews_since(last)) {
            if let Some(r) = rs.last() {
                held.last = r.id;
                if out.send(ProgressMsg::Reviews(rs)).is_err() {
                    return;
                }
            }
        }
    }
}
