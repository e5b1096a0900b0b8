//! The matcher worker: runs the queries of the list's filter and of the `o` report chooser
//! off the input thread. Each job carries the generation of its query within its purpose; a
//! newer job of the same purpose makes the running one stop at its next hand-over (results
//! of an older generation are dropped by the state as well). While a job of the other
//! purpose waits, the running one pauses at its next hand-over and the two take turns, so
//! the chooser is not kept waiting behind a long filter, nor the filter behind the chooser.

use crate::tui::filter::{FilterChunk, FilterJob, Matcher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// How often results so far are handed to the screen while a query is being matched.
pub const HAND_OVER: Duration = Duration::from_millis(8);

pub struct MatcherWorker {
    tx: mpsc::Sender<FilterJob>,
    pub rx: mpsc::Receiver<FilterChunk>,
    /// The newest generation submitted, per purpose.
    latest: Arc<[AtomicU64; 2]>,
}

/// A job taken from the queue, and how far it has got.
struct Started {
    job: FilterJob,
    next: usize,
}

impl MatcherWorker {
    pub fn spawn() -> std::io::Result<MatcherWorker> {
        let (tx, jobs) = mpsc::channel::<FilterJob>();
        let (out, rx) = mpsc::channel();
        let latest = Arc::new([AtomicU64::new(0), AtomicU64::new(0)]);
        let newest = Arc::clone(&latest);
        std::thread::Builder::new()
            .name("matcher".into())
            .spawn(move || work(&jobs, &out, &newest))?;
        Ok(MatcherWorker { tx, rx, latest })
    }

    /// Match `job` on the worker, replacing whatever query of its purpose it was matching.
    pub fn submit(&self, job: FilterJob) {
        self.latest[job.purpose.index()].store(job.gen, Ordering::Relaxed);
        let _ = self.tx.send(job);
    }
}

/// The worker's loop: one job per purpose at most (the newest), taking turns.
fn work(
    jobs: &mpsc::Receiver<FilterJob>,
    out: &mpsc::Sender<FilterChunk>,
    latest: &[AtomicU64; 2],
) {
    let matcher = Matcher::default();
    let mut slots: [Option<Started>; 2] = [None, None];
    // The generation last taken from the queue, per purpose: a newer one submitted means a
    // job of that purpose is waiting.
    let mut taken = [0u64; 2];
    let mut turn = 0;
    loop {
        if slots.iter().all(Option::is_none) {
            match jobs.recv() {
                Ok(job) => put(&mut slots, &mut taken, job),
                Err(_) => return,
            }
        }
        // Only the newest query queued of each purpose is worth matching.
        while let Ok(job) = jobs.try_recv() {
            put(&mut slots, &mut taken, job);
        }
        // Take turns: the other purpose first when both have a job.
        let p = if slots[1 - turn].is_some() {
            1 - turn
        } else {
            turn
        };
        turn = p;
        let Some(Started { job, next }) = slots[p].take() else {
            continue;
        };
        let gen = job.gen;
        if latest[p].load(Ordering::Relaxed) != gen {
            continue;
        }
        let other = 1 - p;
        let other_waiting = slots[other].is_some();
        let other_taken = taken[other];
        let stale = || latest[p].load(Ordering::Relaxed) != gen;
        let pause = || other_waiting || latest[other].load(Ordering::Relaxed) != other_taken;
        let send = |chunk| out.send(chunk).is_ok();
        if let Some(next) = job.run_from(next, &matcher, HAND_OVER, stale, pause, send) {
            slots[p] = Some(Started { job, next });
        }
    }
}

/// Keep `job` as its purpose's next, replacing an older one.
fn put(slots: &mut [Option<Started>; 2], taken: &mut [u64; 2], job: FilterJob) {
    let p = job.purpose.index();
    taken[p] = job.gen;
    slots[p] = Some(Started { job, next: 0 });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::filter::{Purpose, SearchKey};

    fn job(purpose: Purpose, gen: u64, query: &str, keys: &Arc<Vec<Arc<SearchKey>>>) -> FilterJob {
        FilterJob {
            purpose,
            gen,
            query: query.into(),
            order: Arc::new((0..keys.len()).collect()),
            keys: Arc::clone(keys),
        }
    }

    /// Hits of a job matched in one go, for comparison.
    fn at_once(job: &FilterJob) -> Vec<usize> {
        let mut ids = Vec::new();
        job.run(
            &Matcher::default(),
            Duration::MAX,
            || false,
            |c| {
                ids.extend(c.hits.iter().map(|h| h.id));
                true
            },
        );
        ids
    }

    /// A chooser's query sent while a long filter is being matched is answered first; the
    /// filter then goes on where it paused, and neither loses a match.
    #[test]
    fn the_chooser_is_not_kept_waiting_behind_a_long_filter() {
        let names = [
            "三七市镇2020",
            "平潭综合实验区2021",
            "淮安市洪泽区人民政府2023",
            "重庆市2022",
        ];
        let many: Vec<Arc<SearchKey>> = (0..20_000)
            .map(|i| Arc::new(SearchKey::new(names[i % names.len()])))
            .collect();
        let many = Arc::new(many);
        let few = Arc::new(many[..40].to_vec());
        let long = job(Purpose::List, 1, "sqs", &many);
        let short = job(Purpose::Goto, 1, "hz", &few);
        let (want_long, want_short) = (at_once(&long), at_once(&short));
        let w = MatcherWorker::spawn().unwrap();
        w.submit(long);
        w.submit(short);
        let (mut got_long, mut got_short) = (Vec::new(), Vec::new());
        let mut order = Vec::new();
        while order.len() < 2 {
            let c =
                w.rx.recv_timeout(Duration::from_secs(120))
                    .expect("answers");
            match c.purpose {
                Purpose::List => got_long.extend(c.hits.iter().map(|h| h.id)),
                Purpose::Goto => got_short.extend(c.hits.iter().map(|h| h.id)),
            }
            if c.done {
                order.push(c.purpose);
            }
        }
        assert_eq!(order, [Purpose::Goto, Purpose::List]);
        assert_eq!(got_long, want_long);
        assert_eq!(got_short, want_short);
    }

    /// A newer query of one purpose replaces the older one; the other purpose's job goes on.
    #[test]
    fn a_newer_query_replaces_only_its_own_purpose() {
        let keys: Arc<Vec<Arc<SearchKey>>> = Arc::new(
            (0..20_000)
                .map(|_| Arc::new(SearchKey::new("三七市镇2020")))
                .collect(),
        );
        let w = MatcherWorker::spawn().unwrap();
        w.submit(job(Purpose::List, 1, "s", &keys));
        w.submit(job(Purpose::Goto, 1, "sq", &keys));
        w.submit(job(Purpose::List, 2, "sqs", &keys));
        let mut done = Vec::new();
        while !(done.contains(&(Purpose::List, 2)) && done.contains(&(Purpose::Goto, 1))) {
            let c =
                w.rx.recv_timeout(Duration::from_secs(120))
                    .expect("answers");
            if c.done {
                done.push((c.purpose, c.gen));
            }
        }
        // The first filter query was replaced before it could end.
        assert_eq!(done.len(), 2, "{done:?}");
    }
}
