//! The matcher worker: runs filter jobs off the input thread. Each job carries the
//! generation of its query; a newer job makes the running one stop at its next hand-over,
//! and results of an older generation are dropped by the state as well.

use crate::tui::filter::{FilterChunk, FilterJob, Matcher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// How often results so far are handed to the screen while a query is being matched.
pub const HAND_OVER: Duration = Duration::from_millis(8);

pub struct MatcherWorker {
    tx: mpsc::Sender<FilterJob>,
    pub rx: mpsc::Receiver<FilterChunk>,
    latest: Arc<AtomicU64>,
}

impl MatcherWorker {
    pub fn spawn() -> std::io::Result<MatcherWorker> {
        let (tx, jobs) = mpsc::channel::<FilterJob>();
        let (out, rx) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let newest = Arc::clone(&latest);
        std::thread::Builder::new()
            .name("matcher".into())
            .spawn(move || {
                let matcher = Matcher::default();
                while let Ok(mut job) = jobs.recv() {
                    // Only the newest query queued is worth matching.
                    while let Ok(newer) = jobs.try_recv() {
                        job = newer;
                    }
                    let gen = job.gen;
                    let stale = || newest.load(Ordering::Relaxed) != gen;
                    job.run(&matcher, HAND_OVER, stale, |chunk| out.send(chunk).is_ok());
                }
            })?;
        Ok(MatcherWorker { tx, rx, latest })
    }

    /// Match `job` on the worker, replacing whatever it was matching.
    pub fn submit(&self, job: FilterJob) {
        self.latest.store(job.gen, Ordering::Relaxed);
        let _ = self.tx.send(job);
    }
}
