//! Scale benchmark: a generated batch of N reports (default 10,000; `-- 100000` for the full
//! target), each figure beside a baseline measured in the same run.
//!
//! - `check`: the real binary on the batch, against `cat` of the same files (page cache warm);
//!   wall time and peak memory (against half the total size of the JSON files): without the
//!   result cache (`--no-cache`), on the first run (which writes the cache beside the batch)
//!   and on a second run answered by the cache.
//! - the review screen loading the batch (loader, cross-year checks, its state), in a child
//!   process: without the cache (against `check --no-cache`), on the first run with it and
//!   answered by it (against `check` from the cache and the 2 s target); wall time and peak
//!   memory (against half the JSON).
//! - filter keystroke: the TUI state with N reports, one typed character of a fuzzy filter,
//!   matched on the matcher worker: key to the first frame showing the matches so far.
//! - frames on the screen as loaded from the batch (identities and findings; a report read
//!   from its file when opened): list, report overview and table 3 drawn into a 200×50
//!   buffer, and opening a report (file read, laid out, first frame).
//! - bytes written to the terminal when the cursor moves one row at 200×50.
//!
//! Run: `cargo bench --bench scale` or `cargo bench --bench scale -- 100000 [--dir DIR]
//! [--no-frames]`
//! (a `--dir` that already holds a generated batch of that size is reused and kept; a batch
//! the benchmark generated itself is deleted at the end, and so is the cache it wrote).

use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use report_review::check::{check_report, Config, Finding};
use report_review::generate::generate;
use report_review::i18n::Lang;
use report_review::model::Report;
use report_review::tui::action::Action;
use report_review::tui::keymap::Keymap;
use report_review::tui::loader::{Loaded, Msg};
use report_review::tui::state::State;
use report_review::tui::theme::Theme;
use report_review::tui::views;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The program's allocator (src/main.rs), so the screen's memory and times measured in the
/// child process are those of `report-review DIR`.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = args
        .iter()
        .position(|a| a == "--dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("report-review-bench-{n}")));

    if let Some(i) = args.iter().position(|a| a == "--filter-keystroke") {
        // Child mode: the screen loaded from a batch (`DIR`, no cache), then the filter
        // keystrokes from the first one after the load; the means printed in ms.
        let mut state = screen_state(Path::new(&args[i + 1]), false);
        let (key, first, all) = keystrokes(&mut state);
        println!(
            "{} reports: key {:.2} ms, first frame with matches {:.2} ms, every match {:.2} ms",
            state.items.len(),
            key.as_secs_f64() * 1e3,
            first.as_secs_f64() * 1e3,
            all.as_secs_f64() * 1e3
        );
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--screen-load") {
        // Child mode (see `run_screen_load`): load one batch into the screen's state.
        screen_load(Path::new(&args[i + 1]), args.iter().any(|a| a == "--cache"));
        return;
    }
    let given_dir = args.iter().any(|a| a == "--dir");
    // Disk: ~18.6 KB of JSON per report plus ~4 KB of result cache. Memory: the filter's
    // figures hold the generated batch in full (~40 KB per report with its findings); the
    // children (`check`, the screen) stay below that. The run's own peak is printed at the end.
    println!(
        "needs about {:.0} MB of disk in {} and {:.0} MB of free memory",
        n as f64 * (18.6 + 4.0) / 1024.0,
        dir.display(),
        n as f64 * 45.0 / 1024.0
    );
    let reports_dir = ensure_batch(&dir, n);
    let cache_dir = reports_dir.join(".report-review");
    let _ = std::fs::remove_dir_all(&cache_dir);
    let (files, bytes) = batch_size(&reports_dir);
    println!(
        "batch: {files} reports, {:.1} MB of JSON in {}",
        mb(bytes),
        reports_dir.display()
    );

    let mut rows: Vec<(String, String, String, String)> = Vec::new();

    // ---- check vs cat -------------------------------------------------------------
    let cat = best_of(3, || run_cat(&reports_dir));
    let (check_time, check_rss_kb) = (0..2)
        .map(|_| run_check(&reports_dir, &["--no-cache"]))
        .min_by_key(|(t, _)| *t)
        .expect("ran");
    // The first run with the cache writes it; the next ones are answered by it.
    let (first_time, first_rss_kb) = run_check(&reports_dir, &[]);
    let (warm_time, warm_rss_kb) = (0..2)
        .map(|_| run_check(&reports_dir, &[]))
        .min_by_key(|(t, _)| *t)
        .expect("ran");
    let cache_bytes = std::fs::metadata(cache_dir.join("cache.sqlite")).map_or(0, |m| m.len());
    rows.push((
        format!("check {files} reports, no cache (wall)"),
        secs(check_time),
        format!("cat: {}", secs(cat)),
        format!(
            "{:.2}× (target ≤ 2×)",
            check_time.as_secs_f64() / cat.as_secs_f64()
        ),
    ));
    rows.push((
        "check, first run: writes the cache (wall)".into(),
        secs(first_time),
        format!("cat: {}", secs(cat)),
        format!(
            "{:.2}× (cache {:.0} MB, {:.0} MB RSS)",
            first_time.as_secs_f64() / cat.as_secs_f64(),
            mb(cache_bytes),
            first_rss_kb as f64 / 1024.0
        ),
    ));
    rows.push((
        "check, unchanged batch: from the cache (wall)".into(),
        secs(warm_time),
        format!("cat: {}", secs(cat)),
        format!(
            "{:.2}× (target: instant; {:.0} MB RSS)",
            warm_time.as_secs_f64() / cat.as_secs_f64(),
            warm_rss_kb as f64 / 1024.0
        ),
    ));
    rows.push((
        "check throughput".into(),
        format!("{:.0} reports/s", files as f64 / check_time.as_secs_f64()),
        format!("cat: {:.0} files/s", files as f64 / cat.as_secs_f64()),
        String::new(),
    ));
    let half_json_kb = bytes / 1024 / 2;
    rows.push((
        "check peak memory (max RSS)".into(),
        format!("{:.0} MB", check_rss_kb as f64 / 1024.0),
        format!("½ JSON: {:.0} MB", half_json_kb as f64 / 1024.0),
        format!(
            "{:.2}× (target ≤ 1×)",
            check_rss_kb as f64 / half_json_kb as f64
        ),
    ));

    // ---- the review screen loading the same batch ------------------------------------
    // Cold: without the cache, as `check --no-cache`. Then the first run with the cache
    // (which writes it: the screen's program build differs from the binary's, so check's
    // rows are not its own) and warm runs answered by it.
    let (screen_time, screen_rss_kb) = (0..2)
        .map(|_| run_screen_load(&reports_dir, false))
        .min_by_key(|(t, _)| *t)
        .expect("ran");
    let (screen_first, screen_first_rss_kb) = run_screen_load(&reports_dir, true);
    let (screen_warm, screen_warm_rss_kb) = (0..2)
        .map(|_| run_screen_load(&reports_dir, true))
        .min_by_key(|(t, _)| *t)
        .expect("ran");
    rows.push((
        format!("screen: {files} reports loaded and cross-year checked, no cache (wall)"),
        secs(screen_time),
        format!("check, no cache: {}", secs(check_time)),
        format!(
            "{:.2}× (target ≤ 1.5×)",
            screen_time.as_secs_f64() / check_time.as_secs_f64()
        ),
    ));
    rows.push((
        "screen, first run: writes the cache (wall)".into(),
        secs(screen_first),
        format!("check, first run: {}", secs(first_time)),
        format!(
            "{:.2}× ({:.0} MB RSS)",
            screen_first.as_secs_f64() / first_time.as_secs_f64(),
            screen_first_rss_kb as f64 / 1024.0
        ),
    ));
    rows.push((
        "screen, unchanged batch: every final status from the cache (wall)".into(),
        secs(screen_warm),
        format!(
            "check from the cache: {}; target 2 s at 100,000",
            secs(warm_time)
        ),
        format!(
            "{:.2}× check from the cache; {:.2}× of 2 s",
            screen_warm.as_secs_f64() / warm_time.as_secs_f64(),
            screen_warm.as_secs_f64() / 2.0
        ),
    ));
    for (what, rss) in [
        ("screen peak memory, no cache (max RSS)", screen_rss_kb),
        (
            "screen peak memory, first run (max RSS)",
            screen_first_rss_kb,
        ),
        (
            "screen peak memory, from the cache (max RSS)",
            screen_warm_rss_kb,
        ),
    ] {
        rows.push((
            what.into(),
            format!("{:.0} MB", rss as f64 / 1024.0),
            format!(
                "½ JSON: {:.0} MB; check: {:.0} MB",
                half_json_kb as f64 / 1024.0,
                check_rss_kb as f64 / 1024.0
            ),
            format!(
                "{:.2}× ½ JSON (target ≤ 1×; ≤ 1 GB at 100,000)",
                rss as f64 / half_json_kb as f64
            ),
        ));
    }

    // ---- TUI state with N reports ------------------------------------------------------
    let loaded = loaded_reports(n);
    let (matcher_only, scan) = filter_matcher_only(&loaded);
    rows.push((
        format!("filter keystroke, matcher only, {n} search keys"),
        ms(matcher_only),
        format!("substring scan: {}", ms(scan)),
        format!("{:.2}× target 20 ms", matcher_only.as_secs_f64() / 0.020),
    ));
    let (key, first, all) = filter_keystroke(&loaded);
    rows.push((
        format!("filter keystroke at {n} reports: key to first frame with matches so far"),
        ms(first),
        format!("key alone: {}; every match: {}", ms(key), ms(all)),
        format!("{:.2}× target 20 ms", first.as_secs_f64() / 0.020),
    ));
    drop(loaded);
    // Frames on the screen as `report-review DIR` has it once loaded: each report's
    // identity and findings, a report read from its file when opened. `--no-frames` skips
    // them (one more load of the batch).
    if !args.iter().any(|a| a == "--no-frames") {
        let mut s = screen_state(&reports_dir, false);
        rows.push(frame_row("list", frame_time(&s)));
        let (first, moved) = bytes_per_move(&mut s);
        rows.push((
            "bytes written per cursor move (200×50)".into(),
            format!("{moved} B"),
            format!("full frame: {first} B"),
            format!(
                "{:.1}% of a full frame",
                moved as f64 * 100.0 / first as f64
            ),
        ));
        let opened = open_time(&mut s);
        rows.push((
            "open a report: read from its file, laid out, first frame (200×50)".into(),
            ms(opened),
            "target: one frame, 5 ms".into(),
            format!("{:.2}× target", opened.as_secs_f64() / 0.005),
        ));
        rows.push(frame_row("report overview", frame_time(&s)));
        for _ in 0..3 {
            s.update(Action::NextTab);
        }
        rows.push(frame_row("table 3", frame_time(&s)));
    }

    // What the benchmark wrote: the cache always, the batch when it generated it.
    let _ = std::fs::remove_dir_all(&cache_dir);
    if !given_dir {
        let _ = std::fs::remove_dir_all(&dir);
    }

    println!();
    println!("| measure | figure | baseline | ratio |");
    println!("|---|---|---|---|");
    for (a, b, c, d) in rows {
        println!("| {a} | {b} | {c} | {d} |");
    }
    println!();
    println!(
        "this benchmark's own peak memory (max RSS, children not counted): {:.0} MB",
        own_peak_rss_kb() as f64 / 1024.0
    );
}

/// Peak resident memory of this process so far, in KB.
fn own_peak_rss_kb() -> i64 {
    // SAFETY: getrusage fills a POD struct for this process.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss
}

fn mb(b: u64) -> f64 {
    b as f64 / 1024.0 / 1024.0
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn best_of(k: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..k).map(|_| f()).min().expect("k > 0")
}

/// Generate the batch unless `dir` already holds one of this size.
fn ensure_batch(dir: &Path, n: usize) -> PathBuf {
    let reports = dir.join("reports");
    let manifest = dir.join("manifest.json");
    if let Ok(text) = std::fs::read_to_string(&manifest) {
        if text.contains(&format!("\"count\": {n},")) {
            return reports;
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    let t = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_report-review"))
        .args(["generate", "--count", &n.to_string(), "--out"])
        .arg(dir)
        .status()
        .expect("run generate");
    assert!(status.success(), "generate failed");
    println!("generated in {}", secs(t.elapsed()));
    reports
}

fn batch_size(dir: &Path) -> (usize, u64) {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .fold((0, 0), |(n, b), e| {
            (n + 1, b + e.metadata().map(|m| m.len()).unwrap_or(0))
        })
}

fn run_cat(dir: &Path) -> Duration {
    let t = Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg("find \"$1\" -name '*.json' -print0 | xargs -0 cat > /dev/null")
        .arg("sh")
        .arg(dir)
        .status()
        .expect("run cat");
    assert!(status.success());
    t.elapsed()
}

/// Wall time and peak resident memory (KB) of `report-review check DIR --format json …`.
// The child is reaped by `wait4`, which also gives its peak memory; `Child::wait` cannot.
#[allow(clippy::zombie_processes)]
fn run_check(dir: &Path, extra: &[&str]) -> (Duration, i64) {
    let t = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_report-review"))
        .args(["check", "--format", "json"])
        .args(extra)
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("run check");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain wait4 on our own child; rusage is a POD struct filled by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4");
    (t.elapsed(), usage.ru_maxrss)
}

/// Wall time and peak resident memory (KB) of this benchmark run as a child that loads the
/// batch into the review screen's state (`--screen-load DIR`), as `report-review DIR` does
/// before the auditor's first key: the loader thread, its messages applied as the event
/// loop applies them, until every report is loaded and cross-year checked.
// Reaped by `wait4`, as in `run_check`.
#[allow(clippy::zombie_processes)]
fn run_screen_load(dir: &Path, cache: bool) -> (Duration, i64) {
    let t = Instant::now();
    let child = Command::new(std::env::current_exe().expect("own path"))
        .arg("--screen-load")
        .arg(dir)
        .args(cache.then_some("--cache"))
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("run the screen load");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: as in `run_check`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "screen load failed"
    );
    (t.elapsed(), usage.ru_maxrss)
}

/// The child of `run_screen_load`: with `cache`, the result cache beside the batch is used
/// (and written), as `report-review DIR` does unless `--no-cache`; memory is used as the
/// screen uses it ([`report_review::memory::for_long_session`]).
fn screen_load(dir: &Path, cache: bool) {
    report_review::memory::for_long_session();
    let state = screen_state(dir, cache);
    assert!(state.loading.finished && !state.items.is_empty());
    // The screen keeps its state until the auditor quits: freeing 100,000 items at exit is
    // not part of showing them (the process ends here).
    std::mem::forget(state);
}

/// The review screen's state after loading `dir` (200×50), as the event loop builds it: the
/// loader thread, its messages taken as they come and applied at once, until every report
/// is loaded and cross-year checked.
fn screen_state(dir: &Path, cache: bool) -> State {
    use report_review::tui::loader;
    let mut state = State::new("bench", Lang::Zh, Keymap::default(), Theme::color());
    state.update(Action::Resize(200, 50));
    let (tx, rx) = std::sync::mpsc::channel();
    let load_dir = dir.to_path_buf();
    let opts = report_review::batch::LoadOptions {
        lang: Lang::Zh,
        cache,
        ..Default::default()
    };
    let worker = std::thread::spawn(move || loader::load(&load_dir, &opts, tx));
    while let Ok(first) = rx.recv() {
        let mut msgs = vec![first];
        msgs.extend(rx.try_iter());
        state.apply_all(msgs);
        if state.loading.finished {
            break;
        }
    }
    worker.join().expect("loader");
    state
}

type Prepared = Vec<(PathBuf, Report, Vec<Finding>)>;

/// `n` generated reports with their findings, as the loader hands them to the screen.
fn loaded_reports(n: usize) -> Prepared {
    let config = Config::default();
    generate(1, n, 100)
        .into_iter()
        .map(|(m, r)| {
            let findings = check_report(&r, &config, Lang::Zh);
            (PathBuf::from(m.file), r, findings)
        })
        .collect()
}

/// The same list holding each report's identity only, as the screen's loader hands it over
/// (what the list and the filter read: agency, key, year, template), so a filter benchmark at
/// 100,000 reports does not hold a second full copy of the batch.
fn slim_state(prepared: &Prepared) -> State {
    state_of(prepared, report_review::batch::slim::identity)
}

fn state_of(prepared: &Prepared, report: impl Fn(&Report) -> Report) -> State {
    let loaded: Vec<Loaded> = prepared
        .iter()
        .map(|(p, r, f)| Loaded {
            path: p.clone(),
            report: Ok(report(r)),
            findings: f.clone(),
        })
        .collect();
    let mut state = State::new("bench", Lang::Zh, Keymap::default(), Theme::color());
    state.update(Action::Resize(200, 50));
    state.apply_all(vec![
        Msg::Discovered(prepared.len()),
        Msg::Loaded(loaded),
        Msg::Finished,
    ]);
    state
}

/// One typed character of a fuzzy filter (`sqs`, `ahx`, `淮安`) at `n` reports, run as the
/// event loop runs it: the key, the query to the matcher worker, its first results, one
/// frame drawn (200×50). Returns the means of: the key alone (`update`), key to the first
/// frame with the matches found so far, and key to every match.
fn filter_keystroke(prepared: &Prepared) -> (Duration, Duration, Duration) {
    keystrokes(&mut slim_state(prepared))
}

/// The keystrokes of [`filter_keystroke`] on a state already loaded, from its first key:
/// each query typed into an empty filter, cleared (Esc) after.
fn keystrokes(s: &mut State) -> (Duration, Duration, Duration) {
    use report_review::tui::runtime::matcher::MatcherWorker;
    let worker = MatcherWorker::spawn().expect("matcher thread");
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("test terminal");
    let (mut key, mut first, mut all) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut count = 0;
    for query in ["sqs", "ahx", "淮安"] {
        s.update(Action::FilterStart);
        for c in query.chars() {
            let t = Instant::now();
            s.update(Action::FilterChar(c));
            key += t.elapsed();
            if let Some(job) = s.take_filter_job() {
                worker.submit(job);
            }
            let mut drawn = false;
            while s.filtering.is_some() {
                let chunk = worker
                    .rx
                    .recv_timeout(Duration::from_secs(60))
                    .expect("matcher answers");
                s.apply_filtered(chunk);
                if !drawn && s.filtering.is_none_or(|p| !p.fresh) {
                    terminal.draw(|f| views::render(s, f)).expect("draw");
                    first += t.elapsed();
                    drawn = true;
                }
            }
            // A short list is matched on the key itself (no job): its frame is drawn now.
            if !drawn {
                terminal.draw(|f| views::render(s, f)).expect("draw");
                first += t.elapsed();
            }
            all += t.elapsed();
            count += 1;
        }
        // Esc: the filter emptied, the whole list shown again.
        s.update(Action::FilterCancel);
        assert!(s.query.is_empty() && s.visible.len() == s.items.len());
    }
    (key / count, first / count, all / count)
}

/// The filter's own cost per keystroke, without the TUI state around it: every search key
/// (agency name + year, as the list builds them) scored against each prefix of the queries.
/// Baseline: a plain substring scan of the same names in the same run.
fn filter_matcher_only(prepared: &Prepared) -> (Duration, Duration) {
    use report_review::tui::filter::{Matcher, SearchKey};
    let names: Vec<String> = prepared
        .iter()
        .map(|(_, r, _)| match r.year {
            Some(y) => format!("{}{y}", r.agency),
            None => r.agency.clone(),
        })
        .collect();
    let keys: Vec<SearchKey> = names.iter().map(|n| SearchKey::new(n)).collect();
    let matcher = Matcher::default();
    let (mut total, mut scan, mut count) = (Duration::ZERO, Duration::ZERO, 0u32);
    for query in ["sqs", "ahx", "淮安"] {
        let mut q = String::new();
        for c in query.chars() {
            q.push(c);
            let t = Instant::now();
            let hits = keys
                .iter()
                .filter(|k| matcher.matches(k, &q).is_some())
                .count();
            total += t.elapsed();
            let t = Instant::now();
            let plain = names.iter().filter(|n| n.contains(q.as_str())).count();
            scan += t.elapsed();
            std::hint::black_box((hits, plain));
            count += 1;
        }
    }
    (total / count, scan / count)
}

fn frame_time(state: &State) -> Duration {
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("test terminal");
    terminal.draw(|f| views::render(state, f)).expect("draw");
    let rounds = 100;
    let t = Instant::now();
    for _ in 0..rounds {
        terminal.draw(|f| views::render(state, f)).expect("draw");
    }
    t.elapsed() / rounds
}

/// Bytes ratatui writes for the first full frame and for one cursor move after it.
/// Counts the bytes a terminal backend writes.
#[derive(Clone, Default)]
struct Counter(std::rc::Rc<std::cell::Cell<usize>>);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn bytes_per_move(s: &mut State) -> (usize, usize) {
    let counter = Counter::default();
    let backend = CrosstermBackend::new(counter.clone());
    let mut terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 200, 50)),
        },
    )
    .expect("terminal");
    terminal.draw(|f| views::render(s, f)).expect("draw");
    let first = counter.0.replace(0);
    s.update(Action::MoveDown);
    terminal.draw(|f| views::render(s, f)).expect("draw");
    (first, counter.0.get())
}

/// Opening the selected report from the list, as the auditor presses Enter: its file read
/// and parsed, its view laid out, the first frame drawn. The mean over opening the next
/// reports in turn, each one not opened before (so each is read from its file).
fn open_time(s: &mut State) -> Duration {
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("test terminal");
    let rounds = 20;
    let mut total = Duration::ZERO;
    for _ in 0..rounds {
        s.update(Action::MoveDown);
        let t = Instant::now();
        s.update(Action::Open);
        terminal.draw(|f| views::render(s, f)).expect("draw");
        total += t.elapsed();
        s.update(Action::Back);
    }
    s.update(Action::Open);
    total / rounds
}

fn frame_row(name: &str, t: Duration) -> (String, String, String, String) {
    (
        format!("frame: {name} (200×50)"),
        format!("{:.2} ms", t.as_secs_f64() * 1e3),
        "target: 5 ms".into(),
        format!("{:.2}× target", t.as_secs_f64() / 0.005),
    )
}
