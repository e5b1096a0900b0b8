//! The terminal's lifecycle: raw mode and the alternate screen entered and always left —
//! on quit, on errors (guard `Drop`), on panic (hook) — and a watchdog for a terminal that
//! hung up or a signal the loop did not answer.

use anyhow::Context;
use crossterm::{execute, terminal};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// Leave raw mode and the alternate screen; show the cursor. Safe to call twice; errors
/// are ignored (the terminal may be gone after a dropped connection).
pub fn restore_terminal() {
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        crossterm::event::DisableMouseCapture,
        crossterm::event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

/// Owns the terminal setup; restores on drop (normal return and `?` errors).
pub struct TerminalGuard;

impl TerminalGuard {
    pub fn enter(mouse: bool) -> anyhow::Result<TerminalGuard> {
        terminal::enable_raw_mode().context("cannot switch the terminal to raw mode")?;
        let guard = TerminalGuard;
        let mut out = std::io::stdout();
        execute!(
            out,
            terminal::EnterAlternateScreen,
            crossterm::event::EnableBracketedPaste,
            crossterm::cursor::Hide
        )?;
        if mouse {
            execute!(out, crossterm::event::EnableMouseCapture)?;
        }
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

pub fn install_panic_hook() {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if crate::tui::loader::GUARDED.with(|g| g.get()) {
            // A report's check panicked inside the loader: it becomes an unreadable
            // entry with the reason; nothing is printed over the screen.
            return;
        }
        restore_terminal();
        if stdin_hung_up(0) {
            // The terminal is gone (a dropped connection): nobody can read a message, and
            // printing one to the dead stderr would panic again. A hang-up, not a crash.
            // SAFETY: ends the process at once.
            unsafe { libc::_exit(128 + libc::SIGHUP) }
        }
        prev(info);
        say!("report-review: internal error; the terminal has been restored.");
        std::process::exit(101);
    }));
}

/// How long the event loop gets to end by itself after a signal before the watchdog ends
/// the process.
const SIGNAL_GRACE: Duration = Duration::from_millis(1500);

/// A thread that ends the process when its terminal is gone or a signal went unanswered.
///
/// crossterm's `event::read()` spins on `read(0) = 0` once the pty is closed (a dropped SSH
/// connection, a killed tmux) and never returns to the loop, so the loop alone cannot be
/// trusted to see the stop flag. The watchdog sleeps in `poll(2)` on stdin asking for no
/// events — only hang-up and errors are reported — so it costs nothing while idle:
/// - stdin hung up (`POLLHUP`/`POLLERR`/`POLLNVAL`): restore the terminal best-effort and exit
///   with 129 (128 + SIGHUP);
/// - a signal set the stop flag and the loop has not ended within [`SIGNAL_GRACE`]: restore
///   and exit with 128 + the signal.
pub fn spawn_watchdog(stop: Arc<AtomicBool>, signal: Arc<AtomicUsize>) -> anyhow::Result<()> {
    std::thread::Builder::new()
        .name("tty-watchdog".into())
        .spawn(move || {
            let mut stopped_at: Option<std::time::Instant> = None;
            loop {
                if stdin_hung_up(250) {
                    watchdog_exit(128 + libc::SIGHUP);
                }
                if stop.load(Ordering::Relaxed) {
                    let since = *stopped_at.get_or_insert_with(std::time::Instant::now);
                    if since.elapsed() >= SIGNAL_GRACE {
                        let sig = signal.load(Ordering::Relaxed).clamp(1, 127) as i32;
                        watchdog_exit(128 + sig);
                    }
                }
            }
        })
        .context("cannot start the terminal watchdog thread")?;
    Ok(())
}

/// Whether stdin (the terminal) has hung up, waiting up to `timeout_ms` for it. Asks
/// `poll(2)` for no events: only hang-up and errors are reported, never input.
pub fn stdin_hung_up(timeout_ms: i32) -> bool {
    let mut fds = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd for the duration of the call.
    let n = unsafe { libc::poll(&mut fds, 1, timeout_ms) };
    n > 0 && fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

fn watchdog_exit(code: i32) -> ! {
    // The terminal may be gone (every write fails, which is fine) or stuck (a write blocks,
    // or the loop holds stdout): restore on a helper thread and exit regardless after a
    // short wait.
    let (tx, rx) = mpsc::channel();
    let _ = std::thread::Builder::new()
        .name("restore".into())
        .spawn(move || {
            restore_terminal();
            let _ = tx.send(());
        });
    let _ = rx.recv_timeout(Duration::from_millis(500));
    // `_exit`, not `exit`: the main thread may be ending at the same moment, and two
    // concurrent `exit` calls (atexit handlers, stdio) can abort. Every change shown as
    // saved is already committed.
    // SAFETY: ends the process; no Rust state is used afterwards.
    unsafe { libc::_exit(code) }
}
