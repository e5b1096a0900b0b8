//! Check throughput: 10,000 reports built in memory from the samples (cloned, renamed so
//! that each group of eight forms its own agencies and consecutive-year pairs, and with a
//! few numbers varied), then `check_batch` timed. Prints reports per second.
//!
//! Run: `cargo bench --bench check` (optionally `-- 20000` for another batch size).

use report_review::batch::{load_json, Entry};
use report_review::check::{check_batch, Config, Status};
use report_review::i18n::Lang;
use std::path::Path;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_reports");
    let mut samples: Vec<_> = std::fs::read_dir(&dir)
        .expect("sample_reports")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    samples.sort();
    let samples: Vec<_> = samples
        .iter()
        .map(|p| load_json(p).expect("sample report"))
        .collect();
    assert!(!samples.is_empty());

    let build = Instant::now();
    let entries: Vec<Entry> = (0..n)
        .map(|i| {
            let mut r = samples[i % samples.len()].clone();
            let group = i / samples.len();
            r.agency_key = format!("{}{group}", r.agency_key);
            r.agency = format!("{}{group}", r.agency);
            // Vary a number so that some reports break T3-ROW / T3-BAL.
            if let Some(t3) = r.table3.as_mut() {
                if let Some(c) = t3
                    .rows
                    .iter_mut()
                    .flat_map(|row| row.cells.iter_mut())
                    .find(|c| c.key == "T3.R1.C1")
                {
                    if let Some(v) = c.value.number.as_mut() {
                        *v += (i % 3) as f64;
                    }
                }
            }
            Entry {
                path: format!("bench/{i}.json").into(),
                report: Ok(r),
            }
        })
        .collect();
    let built = build.elapsed();

    let config = Config::default();
    // Warm-up (regex compilation, thread pool).
    let _ = check_batch(&entries[..entries.len().min(200)], &config, Lang::Zh);
    let cpu0 = cpu_seconds();
    let start = Instant::now();
    let result = check_batch(&entries, &config, Lang::Zh);
    let took = start.elapsed();
    let cpu = cpu_seconds() - cpu0;

    let findings: usize = result.reports.iter().map(|r| r.findings.len()).sum();
    let fail = result
        .reports
        .iter()
        .filter(|r| r.status == Status::Fail)
        .count();
    println!(
        "check_batch: {n} reports, {} pairs, {findings} findings ({fail} failing) in {:.3} s \
         (batch built in {:.3} s, {} threads)",
        result.pairs.len(),
        took.as_secs_f64(),
        built.as_secs_f64(),
        rayon::current_num_threads()
    );
    println!(
        "throughput: {:.0} reports/second (wall clock); {:.0} reports per CPU-second ({:.3} s CPU)",
        n as f64 / took.as_secs_f64().max(1e-9),
        n as f64 / cpu.max(1e-9),
        cpu
    );
}

/// User + system CPU time of this process so far (the wall clock is unreliable on a busy
/// machine; CPU time shows the cost of the checks themselves).
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut u) != 0 {
            return 0.0;
        }
        let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
        t(u.ru_utime) + t(u.ru_stime)
    }
}
