//! The review TUI: `report-review DIR`.
//!
//! Pattern: one `State`, each screen's state in its `Screen` variant and overlays on a
//! stack; every intent an `Action`; `update::update(&mut State, Msg)` takes actions and the
//! workers' answers, does no I/O and returns `Effect`s; the workers (loader, follow-up
//! store, filter matcher) and the terminal's lifecycle live in `runtime`; the layout both
//! `update` and the views read is in `layout`; views are pure functions of `&State`. No
//! async runtime.
//!
//! The terminal is restored on every exit path: quit, error (guard `Drop`), panic (hook),
//! and SIGTERM/SIGHUP/SIGINT (a dropped SSH connection) through `signal-hook` flags.

/// `eprintln!` that never panics: after a dropped connection stderr is a dead terminal,
/// and a panic there (inside the panic hook, even) would abort the process.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod action;
pub mod commands;
pub mod compare;
pub mod export;
pub mod filter;
pub mod followups;
pub mod goto;
pub mod keymap;
pub mod layout;
pub mod lineedit;
pub mod loader;
pub mod opened;
pub mod osc52;
pub mod progress;
pub mod rules;
pub mod runtime;
pub mod search;

pub use runtime::input::action_for_event;
pub use runtime::terminal::restore_terminal;
use runtime::terminal::{install_panic_hook, spawn_watchdog, stdin_hung_up, TerminalGuard};
pub mod state;
pub mod theme;
pub mod update;
pub mod views;
pub mod width;

use crate::batch::pairings_file as pairings;
use crate::i18n::Lang;
use crate::review;
use action::{Action, Effect, Msg};
use anyhow::{bail, Context};
use crossterm::event;
use crossterm::{execute, terminal};
use keymap::Keymap;
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use state::State;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;
use theme::Theme;

/// Options of the review screen.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Capture the mouse (wheel scrolls). Off by default: capture breaks copy-by-selection
    /// in SSH clients.
    pub mouse: bool,
    /// Monochrome theme even without NO_COLOR.
    pub no_color: bool,
    pub lang: Lang,
    /// Keymap file; default `dirs::config_dir()/report-review/keys.toml`.
    pub keys_file: Option<PathBuf>,
    /// Follow-up store (`--db`); default beside the batch, as for `followups`.
    pub db: Option<PathBuf>,
    /// Rule configuration (`--config`), as for `check`.
    pub config: crate::check::Config,
    /// Do not use the result cache beside the batch (`--no-cache`), as for `check`.
    pub no_cache: bool,
}

/// Run the review screen on `dir`. Returns the process exit code.
pub fn run(dir: PathBuf, opts: Options) -> anyhow::Result<u8> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "the review screen needs a terminal (stdin and stdout must be a terminal); \
             run it from an interactive shell"
        );
    }
    if !dir.exists() {
        bail!("{}: no such file or directory", dir.display());
    }
    crate::memory::for_long_session();
    let keys_file = opts.keys_file.clone().or_else(Keymap::user_file);
    let (keymap, problems) = Keymap::load(keys_file.as_deref(), opts.lang);
    let theme = Theme::detect(opts.no_color);
    let mut state = State::new(&dir.display().to_string(), opts.lang, keymap, theme);
    state.warnings = problems.clone();
    if let Some(f) = &keys_file {
        state.keys_file = f.display().to_string();
    }
    let (choices, problem) = pairings::load(&dir);
    state.compare.pairings = choices;
    state.compare.dir = Some(dir.clone());
    state.compare.config = opts.config.clone();

    let stop = Arc::new(AtomicBool::new(false));
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        // A second signal ends the process at once, should the loop be stuck writing to a
        // terminal that is gone.
        signal_hook::flag::register_conditional_shutdown(sig, 1, Arc::clone(&stop))
            .context("cannot install signal handlers")?;
        signal_hook::flag::register(sig, Arc::clone(&stop))
            .context("cannot install signal handlers")?;
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)
            .context("cannot install signal handlers")?;
    }
    install_panic_hook();
    spawn_watchdog(Arc::clone(&stop), Arc::clone(&signal))?;

    let who = review::Identity::current();
    let worker = runtime::store::spawn_worker(dir.clone(), opts.db.clone(), who.clone())
        .context("cannot start the follow-up store thread")?;
    let progress = runtime::progress::ProgressWorker::spawn(dir.clone(), opts.db.clone(), who)
        .context("cannot start the review progress thread")?;

    let (tx, rx) = mpsc::channel();
    let load_dir = dir.clone();
    let load_opts = crate::batch::LoadOptions {
        config: opts.config.clone(),
        lang: opts.lang,
        cache: !opts.no_cache,
        ..Default::default()
    };
    std::thread::Builder::new()
        .name("loader".into())
        .spawn(move || loader::load(&load_dir, &load_opts, tx))
        .context("cannot start the loader thread")?;

    let guard = TerminalGuard::enter(opts.mouse)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    let size = terminal.size()?;
    state.update(Action::Resize(size.width, size.height));
    state.warnings = problems.clone();
    state.notice = problem;
    let matcher = runtime::matcher::MatcherWorker::spawn()
        .context("cannot start the filter matcher thread")?;
    let exporter = runtime::export::Exporter::default();
    let pairings_saver = runtime::pairings::PairingsSaver::default();
    let workers = Workers {
        store: &worker,
        matcher: &matcher,
        progress: &progress,
        exporter: &exporter,
        pairings: &pairings_saver,
    };
    let code = match event_loop(&mut terminal, &mut state, &rx, &workers, &stop, &signal) {
        // The terminal went away under the loop (writes fail): that is a hang-up.
        Err(_) if stdin_hung_up(0) => Ok(128 + libc::SIGHUP as u8),
        other => other,
    };
    if stdin_hung_up(0) {
        // ratatui's Terminal prints to stderr when it cannot show the cursor on drop, which
        // panics on a dead terminal; the guard restores what can be restored.
        std::mem::forget(terminal);
    } else {
        drop(terminal);
    }
    drop(guard);
    // The place the auditor left, and a 已阅 pressed just before quitting.
    progress.finish(Duration::from_secs(10));
    // Marks asked for just before quitting are committed before the process ends; a change
    // that was not saved makes the exit status 1, as with `followups mark`.
    let mut code = code;
    match runtime::store::finish_worker(worker, Duration::from_secs(70)) {
        Some(unsaved) => {
            for why in &unsaved {
                say!("report-review: {why}");
            }
            if !unsaved.is_empty() && matches!(code, Ok(0)) {
                code = Ok(1);
            }
        }
        None => {
            say!("report-review: the follow-up store did not answer; the last change may not be saved");
            if matches!(code, Ok(0)) {
                code = Ok(1);
            }
        }
    }
    for p in &problems {
        say!("report-review: {p}");
    }
    code
}

fn draw(
    terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>,
    state: &State,
) -> anyhow::Result<()> {
    execute!(terminal.backend_mut(), terminal::BeginSynchronizedUpdate)?;
    terminal.draw(|f| views::render(state, f))?;
    execute!(terminal.backend_mut(), terminal::EndSynchronizedUpdate)?;
    Ok(())
}

/// The workers the event loop talks to.
struct Workers<'a> {
    store: &'a runtime::store::Worker,
    matcher: &'a runtime::matcher::MatcherWorker,
    progress: &'a runtime::progress::ProgressWorker,
    exporter: &'a runtime::export::Exporter,
    pairings: &'a runtime::pairings::PairingsSaver,
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>,
    state: &mut State,
    rx: &mpsc::Receiver<loader::Msg>,
    workers: &Workers,
    stop: &AtomicBool,
    signal: &AtomicUsize,
) -> anyhow::Result<u8> {
    let (store, matcher) = (workers.store, workers.matcher);
    draw(terminal, state)?;
    // Test hook (debug builds only): prove that a panic restores the terminal.
    #[cfg(debug_assertions)]
    if std::env::var_os("REPORT_REVIEW_TEST_PANIC").is_some() {
        panic!("test panic requested by REPORT_REVIEW_TEST_PANIC");
    }
    let mut loader_alive = true;
    loop {
        if stop.load(Ordering::Relaxed) {
            // The shell's convention: 128 + the signal number.
            let sig = signal.load(Ordering::Relaxed).clamp(1, 127);
            return Ok(128 + sig as u8);
        }
        let mut dirty = false;
        let mut inbox: Vec<Msg> = Vec::new();
        let mut msgs = Vec::new();
        while loader_alive {
            match rx.try_recv() {
                Ok(msg) => msgs.push(msg),
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => {
                    loader_alive = false;
                    if !state.loading.finished {
                        msgs.push(loader::Msg::Finished);
                    }
                }
            }
        }
        if !msgs.is_empty() {
            inbox.push(Msg::Loader(msgs));
        }
        inbox.extend(store.rx.try_iter().map(|m| Msg::Store(Box::new(m))));
        inbox.extend(matcher.rx.try_iter().map(Msg::Filtered));
        inbox.extend(workers.progress.rx.try_iter().map(Msg::Progress));
        inbox.extend(workers.exporter.rx.try_iter().map(Msg::Exported));
        inbox.extend(workers.pairings.rx.try_iter().map(Msg::PairingsSaved));
        for msg in inbox {
            dirty = true;
            for effect in update::update(state, msg) {
                if let Some(code) = execute(effect, terminal, workers) {
                    return Ok(code);
                }
            }
        }
        let timeout = if state.filtering.is_some() {
            // Matches arrive every few milliseconds: show them as they come.
            5
        } else if state.loading.finished {
            250
        } else {
            30
        };
        if event::poll(Duration::from_millis(timeout))? {
            // Drain everything queued, then draw once.
            loop {
                let ev = event::read()?;
                if let Some(action) = action_for_event(state, &ev) {
                    for effect in update::update(state, Msg::Action(action)) {
                        if let Some(code) = execute(effect, terminal, workers) {
                            return Ok(code);
                        }
                    }
                    dirty = true;
                }
                if !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if dirty {
            draw(terminal, state)?;
        }
    }
}

/// Run one effect of `update`; `Some(code)` when the program is to end.
fn execute(
    effect: Effect,
    terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>,
    workers: &Workers,
) -> Option<u8> {
    let (store, matcher) = (workers.store, workers.matcher);
    match effect {
        Effect::Quit => return Some(0),
        Effect::Copy(text) => {
            let seq = osc52::sequence(&text, osc52::in_tmux());
            let out = terminal.backend_mut();
            let _ = out.write_all(seq.as_bytes());
            let _ = out.flush();
        }
        Effect::Mark {
            item,
            state: to,
            note,
            snapshot,
            expected,
        } => {
            let _ = store.tx.send(followups::StoreReq::Mark {
                item,
                state: to,
                note,
                snapshot,
                expected,
            });
        }
        Effect::MarkMany { items, state, note } => {
            let _ = store
                .tx
                .send(followups::StoreReq::MarkMany { items, state, note });
        }
        Effect::History(key) => {
            let _ = store.tx.send(followups::StoreReq::History(key));
        }
        Effect::SavePairings { path, json } => workers.pairings.submit(path, json),
        Effect::Filter(job) => matcher.submit(job),
        Effect::Progress(req) => {
            let _ = workers.progress.tx.send(req);
        }
        Effect::Export(job) => workers.exporter.submit(*job),
    }
    None
}
