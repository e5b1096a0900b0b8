//! The follow-up store worker: opens the batch's SQLite store, writes marks as they are
//! made, reads histories, and polls for other reviewers' changes. The screen talks to it
//! through `StoreReq` and `StoreMsg` (defined beside the state that sends and applies them).

use crate::review::{Event, Filter, Identity, Mark, Store, StoreError};
use crate::tui::followups::{BulkRefusal, StoreMsg, StoreReq};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// How often the worker asks the store for other reviewers' changes.
pub const POLL_EVERY: Duration = Duration::from_secs(2);

/// The store worker's channels and thread.
pub struct Worker {
    pub tx: mpsc::Sender<StoreReq>,
    pub rx: mpsc::Receiver<StoreMsg>,
    /// Ends with why each item whose last change was not saved was not.
    pub handle: std::thread::JoinHandle<Vec<String>>,
}

/// Start the store worker for batch `dir` (`db`: `--db`). It opens the store, then serves
/// requests and polls for changes every [`POLL_EVERY`]. Dropping `tx` ends it once the
/// requests already sent are done.
pub fn spawn_worker(dir: PathBuf, db: Option<PathBuf>, who: Identity) -> std::io::Result<Worker> {
    let (req_tx, req_rx) = mpsc::channel::<StoreReq>();
    let (tx, rx) = mpsc::channel::<StoreMsg>();
    let handle = std::thread::Builder::new()
        .name("followups".into())
        .spawn(move || worker(dir, db, who, req_rx, tx))?;
    Ok(Worker {
        tx: req_tx,
        rx,
        handle,
    })
}

/// After quitting: let the worker commit the marks already asked for (a mark pressed just
/// before `q` is not lost), waiting at most `limit`. Returns why each change that was not
/// saved was not (empty: everything shown as asked for is saved), or `None` when the worker
/// did not finish in time.
pub fn finish_worker(worker: Worker, limit: Duration) -> Option<Vec<String>> {
    let Worker { tx, rx, handle } = worker;
    drop(tx);
    let start = std::time::Instant::now();
    let mut told = false;
    while !handle.is_finished() {
        if start.elapsed() >= limit {
            return None;
        }
        if !told && start.elapsed() >= Duration::from_secs(1) {
            say!("report-review: saving follow-up changes…");
            told = true;
        }
        // Keep draining answers so the worker never blocks on a full channel.
        while rx.try_recv().is_ok() {}
        std::thread::sleep(Duration::from_millis(20));
    }
    handle.join().ok()
}

/// The store as the worker holds it: none until the first change is made (opening the
/// screen creates no store), and reopened when the file was moved or replaced.
struct Held {
    dir: PathBuf,
    db: Option<PathBuf>,
    store: Option<Store>,
    /// Id of the latest event seen.
    last: i64,
}

impl Held {
    /// Open what exists: (notices, read_only, marks). No store yet is not an error.
    fn open_existing(&mut self) -> Result<(Vec<String>, bool, Vec<Mark>), StoreError> {
        let store = match Store::open_existing_for_batch(&self.dir, self.db.as_deref()) {
            Ok(s) => s,
            // `--db` naming a store that does not exist yet: made by the first change.
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        self.adopt(store)
    }

    /// Open, creating it (the first change).
    fn open_for_writing(&mut self) -> Result<(Vec<String>, bool, Vec<Mark>), StoreError> {
        let store = Store::open_for_batch(&self.dir, self.db.as_deref())?;
        self.adopt(Some(store))
    }

    /// The store to write to, created by the first change (its notices are sent on).
    fn writable(
        &mut self,
        tx: &mpsc::Sender<StoreMsg>,
        hook: &dyn Fn(&mut Store, &mpsc::Sender<StoreMsg>),
    ) -> Result<&mut Store, StoreError> {
        if self.store.is_none() {
            let res = self.open_for_writing();
            let ok = res.is_ok();
            let _ = tx.send(opened(res, None));
            if let (true, Some(s)) = (ok, self.store.as_mut()) {
                hook(s, tx);
            }
        }
        match self.store.as_mut() {
            Some(s) => Ok(s),
            None => Err(StoreError::Open {
                path: self.db.clone().unwrap_or_else(|| self.dir.clone()),
                reason: "the follow-up store could not be created".into(),
            }),
        }
    }

    fn adopt(
        &mut self,
        store: Option<Store>,
    ) -> Result<(Vec<String>, bool, Vec<Mark>), StoreError> {
        let Some(store) = store else {
            self.store = None;
            self.last = 0;
            return Ok((Vec::new(), false, Vec::new()));
        };
        let marks = store.all(&Filter::default())?;
        self.last = store.last_event_id()?;
        let out = (store.notices().to_vec(), store.is_read_only(), marks);
        self.store = Some(store);
        Ok(out)
    }
}

/// The screen's message for an opening of the store (with a notice of why, if any).
fn opened(
    res: Result<(Vec<String>, bool, Vec<Mark>), StoreError>,
    extra: Option<String>,
) -> StoreMsg {
    match res {
        Ok((mut notices, read_only, marks)) => {
            notices.extend(extra);
            StoreMsg::Opened {
                notices,
                read_only,
                marks,
            }
        }
        Err(e) => StoreMsg::Unavailable(e.to_string()),
    }
}

fn worker(
    dir: PathBuf,
    db: Option<PathBuf>,
    who: Identity,
    req: mpsc::Receiver<StoreReq>,
    tx: mpsc::Sender<StoreMsg>,
) -> Vec<String> {
    let mut held = Held {
        dir,
        db,
        store: None,
        last: 0,
    };
    // Item key → why its last change was not saved (cleared when a later one is).
    let mut unsaved: HashMap<String, String> = HashMap::new();
    let first = held.open_existing();
    let failed = first.is_err();
    let _ = tx.send(opened(first, None));
    if failed {
        return Vec::new();
    }
    let hook = |store: &mut Store, tx: &mpsc::Sender<StoreMsg>| {
        let wait_tx = tx.clone();
        store.on_wait(move |m| {
            let _ = wait_tx.send(StoreMsg::Waiting(m.to_string()));
        });
    };
    if let Some(s) = held.store.as_mut() {
        hook(s, &tx);
    }
    loop {
        match req.recv_timeout(POLL_EVERY) {
            Ok(StoreReq::Mark {
                item,
                state,
                note,
                snapshot,
                expected,
            }) => {
                let key = item.key();
                let attempt = |held: &mut Held| -> Result<Event, StoreError> {
                    if held.store.is_none() {
                        let res = held.open_for_writing();
                        let ok = res.is_ok();
                        let _ = tx.send(opened(res, None));
                        if let (true, Some(s)) = (ok, held.store.as_mut()) {
                            hook(s, &tx);
                        }
                    }
                    let Some(store) = held.store.as_mut() else {
                        return Err(StoreError::Open {
                            path: held.db.clone().unwrap_or_else(|| held.dir.clone()),
                            reason: "the follow-up store could not be created".into(),
                        });
                    };
                    store.mark_expecting(&item, expected, state, note.as_deref(), &who, &snapshot)
                };
                let mut result = attempt(&mut held);
                if let Err(StoreError::Replaced { path, how }) = &result {
                    // Never written blind: reopen what is at the path now (a new store if
                    // there is none) and try once more there, still expecting what was seen.
                    let notice = format!(
                        "follow-up store {} was {how}; reopened — marks shown are from the store there now",
                        path.display()
                    );
                    held.store = None;
                    let res = held.open_for_writing();
                    let ok = res.is_ok();
                    let _ = tx.send(opened(res, Some(notice)));
                    if let (true, Some(s)) = (ok, held.store.as_mut()) {
                        hook(s, &tx);
                    }
                    result = attempt(&mut held);
                }
                let msg = match result {
                    Ok(ev) => {
                        unsaved.remove(&key);
                        StoreMsg::Saved(ev)
                    }
                    Err(StoreError::Conflict { current, .. }) => {
                        let current = current.map(|b| *b);
                        let why = StoreError::Conflict {
                            expected: expected.flatten(),
                            current: current.clone().map(Box::new),
                        };
                        unsaved.insert(key, why.to_string());
                        StoreMsg::Conflict {
                            item,
                            state,
                            note,
                            snapshot,
                            current,
                        }
                    }
                    Err(e) => {
                        let message = e.to_string();
                        unsaved.insert(key.clone(), message.clone());
                        StoreMsg::Failed { key, message }
                    }
                };
                let _ = tx.send(msg);
            }
            Ok(StoreReq::MarkMany { items, state, note }) => {
                let keys: Vec<String> = items.iter().map(|b| b.item.key()).collect();
                let rows: Vec<_> = items
                    .into_iter()
                    .map(|b| (b.item, Some(b.expected), b.snapshot))
                    .collect();
                let result = match held.writable(&tx, &hook) {
                    Ok(store) => store.mark_many(&rows, state, note.as_deref(), &who),
                    Err(e) => Err(e),
                };
                let result = match result {
                    Ok(evs) => {
                        for k in &keys {
                            unsaved.remove(k);
                        }
                        Ok(evs)
                    }
                    Err(e) => {
                        for k in &keys {
                            unsaved.insert(k.clone(), e.to_string());
                        }
                        Err(match e {
                            StoreError::Conflict { current, .. } => BulkRefusal::Conflict(current),
                            other => BulkRefusal::Failed(other.to_string()),
                        })
                    }
                };
                if tx.send(StoreMsg::SavedMany { keys, result }).is_err() {
                    break;
                }
            }
            Ok(StoreReq::History(item)) => {
                let read = held.store.as_ref().map(|s| {
                    let events = s.history(&item.key())?;
                    // The whole report's history includes its 已阅 changes.
                    let reviews = match item.target {
                        crate::review::Target::Report => s.review_history(&item.report_key)?,
                        _ => Vec::new(),
                    };
                    Ok::<_, StoreError>((events, reviews))
                });
                let msg = match read {
                    Some(Ok((events, reviews))) => StoreMsg::History {
                        item,
                        events,
                        reviews,
                    },
                    None => StoreMsg::History {
                        item,
                        events: Vec::new(),
                        reviews: Vec::new(),
                    },
                    Some(Err(e)) => StoreMsg::Error(e.to_string()),
                };
                if tx.send(msg).is_err() {
                    break;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        // After every request and every POLL_EVERY: other reviewers' changes — from a store
        // that appeared meanwhile, or from the one at the path now if ours was moved.
        let replaced = held.store.as_ref().is_some_and(Store::is_replaced);
        if held.store.is_none() || replaced {
            let notice = replaced.then(|| {
                "the follow-up store was moved or replaced; reopened — marks shown are from the store there now".to_string()
            });
            let res = held.open_existing();
            if held.store.is_some() || replaced {
                if tx.send(opened(res, notice)).is_err() {
                    break;
                }
                if let Some(s) = held.store.as_mut() {
                    hook(s, &tx);
                }
            }
            continue;
        }
        if let Some(Ok(evs)) = held.store.as_ref().map(|s| s.events_since(held.last)) {
            if let Some(e) = evs.last() {
                held.last = e.id;
                if tx.send(StoreMsg::Events(evs)).is_err() {
                    break;
                }
            }
        }
    }
    let mut why: Vec<(String, String)> = unsaved.into_iter().collect();
    why.sort();
    why.into_iter().map(|(_, w)| w).collect()
}
