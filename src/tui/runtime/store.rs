//! The follow-up store worker: opens the batch's SQLite store, writes marks as they are
//! made, reads histories, and polls for other reviewers' changes. The screen talks to it
//! through `StoreReq` and `StoreMsg` (defined beside the state that sends and applies them).

use crate::review::{Filter, Identity, Store};
use crate::tui::followups::{StoreMsg, StoreReq};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// How often the worker asks the store for other reviewers' changes.
pub const POLL_EVERY: Duration = Duration::from_secs(2);

/// The store worker's channels and thread.
pub struct Worker {
    pub tx: mpsc::Sender<StoreReq>,
    pub rx: mpsc::Receiver<StoreMsg>,
    pub handle: std::thread::JoinHandle<()>,
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
/// before `q` is not lost), waiting at most `limit`. Returns false if it did not finish.
pub fn finish_worker(worker: Worker, limit: Duration) -> bool {
    let Worker { tx, rx, handle } = worker;
    drop(tx);
    let start = std::time::Instant::now();
    let mut told = false;
    while !handle.is_finished() {
        if start.elapsed() >= limit {
            return false;
        }
        if !told && start.elapsed() >= Duration::from_secs(1) {
            say!("report-review: saving follow-up changes…");
            told = true;
        }
        // Keep draining answers so the worker never blocks on a full channel.
        while rx.try_recv().is_ok() {}
        std::thread::sleep(Duration::from_millis(20));
    }
    for msg in rx.try_iter() {
        if let StoreMsg::Error(e) = msg {
            say!("report-review: {e}");
        }
    }
    true
}

fn worker(
    dir: PathBuf,
    db: Option<PathBuf>,
    who: Identity,
    req: mpsc::Receiver<StoreReq>,
    tx: mpsc::Sender<StoreMsg>,
) {
    let opened = Store::open_for_batch(&dir, db.as_deref()).and_then(|s| {
        let marks = s.all(&Filter::default())?;
        let last = s.last_event_id()?;
        Ok((s, marks, last))
    });
    let (mut store, marks, mut last) = match opened {
        Ok(x) => x,
        Err(e) => {
            let _ = tx.send(StoreMsg::Unavailable(e.to_string()));
            return;
        }
    };
    let wait_tx = tx.clone();
    store.on_wait(move |m| {
        let _ = wait_tx.send(StoreMsg::Waiting(m.to_string()));
    });
    let _ = tx.send(StoreMsg::Opened {
        notices: store.notices().to_vec(),
        read_only: store.is_read_only(),
        marks,
    });
    loop {
        match req.recv_timeout(POLL_EVERY) {
            Ok(StoreReq::Mark {
                item,
                state,
                note,
                snapshot,
            }) => {
                let msg = match store.mark(&item, state, note.as_deref(), &who, &snapshot) {
                    Ok(ev) => StoreMsg::Saved(ev),
                    Err(e) => StoreMsg::Error(e.to_string()),
                };
                let _ = tx.send(msg);
            }
            Ok(StoreReq::History(key)) => {
                let msg = match store.history(&key) {
                    Ok(evs) => StoreMsg::History(key, evs),
                    Err(e) => StoreMsg::Error(e.to_string()),
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
        // After every request and every POLL_EVERY: other reviewers' changes.
        if let Ok(evs) = store.events_since(last) {
            if let Some(e) = evs.last() {
                last = e.id;
                if tx.send(StoreMsg::Events(evs)).is_err() {
                    return;
                }
            }
        }
    }
}
