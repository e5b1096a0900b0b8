//! End to end: the real binary in a pseudo-terminal, driven as a person would, with the
//! screen read through a vt100 parser. Waits for screen content with generous timeouts
//! (a loaded 2-core machine is slow); no fixed sleep is ever an assertion.

use expectrl::Session;
use std::process::Command;
use std::time::{Duration, Instant};

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_report-review");
const TIMEOUT: Duration = Duration::from_secs(60);

struct Screen {
    session: Session,
    parser: vt100::Parser,
    home: tempfile::TempDir,
    /// The batch the screen was started on, when the screen owns it (a copy of the samples).
    batch: Option<tempfile::TempDir>,
}

impl Screen {
    /// Start the binary at 80×24 on a copy of the sample reports (the screen keeps its
    /// follow-up store beside the batch), with an empty config directory.
    fn start(extra_env: &[(&str, &str)]) -> Screen {
        let batch = common::temp_copy_of_samples();
        let mut screen = Screen::start_on(batch.path().to_str().unwrap(), extra_env);
        screen.batch = Some(batch);
        screen
    }

    /// Start the binary at 80×24 on `dir` (relative to the crate or absolute).
    fn start_on(dir: &str, extra_env: &[(&str, &str)]) -> Screen {
        let home = tempfile::tempdir().unwrap();
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!(
                "stty rows 24 cols 80 && exec '{BIN}' --lang en '{dir}'"
            ))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("TERM", "xterm-256color")
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path())
            .env_remove("NO_COLOR")
            .env_remove("TMUX");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let session = Session::spawn(cmd).expect("spawn in a pty");
        Screen {
            session,
            parser: vt100::Parser::new(24, 80, 0),
            home,
            batch: None,
        }
    }

    fn pump(&mut self) -> bool {
        let mut buf = [0u8; 8192];
        let mut got = false;
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => return got,
                Ok(n) => {
                    self.parser.process(&buf[..n]);
                    got = true;
                }
                Err(_) => return got,
            }
        }
    }

    fn text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Wait until the screen shows `needle` (polling; fails after a generous timeout).
    fn wait_for(&mut self, needle: &str) {
        let start = Instant::now();
        loop {
            self.pump();
            if self.text().contains(needle) {
                return;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {needle:?}; screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The list row under the cursor (it starts with `›`), or "" when none is.
    fn selected_row(&self) -> String {
        self.text()
            .lines()
            .find(|l| l.starts_with('›'))
            .map(str::to_string)
            .unwrap_or_default()
    }

    /// Wait until all 8 sample reports are listed and loading has ended.
    fn wait_loaded(&mut self) {
        self.wait_until("all 8 reports", |s| {
            s.contents().contains("total 8") && !s.contents().contains("loading")
        });
    }

    /// Wait until `pred` holds for the screen.
    fn wait_until(&mut self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        loop {
            self.pump();
            if pred(self.parser.screen()) {
                return;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn send(&mut self, keys: &str) {
        self.session.send(keys).unwrap();
    }

    /// Wait for the process to end; returns its exit status text.
    fn wait_exit(&mut self) -> String {
        let start = Instant::now();
        loop {
            self.pump();
            let status = format!("{:?}", self.session.get_process().status());
            if !status.contains("StillAlive") {
                self.pump();
                return status;
            }
            if start.elapsed() > TIMEOUT {
                panic!("the program did not exit; screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn assert_restored(&self) {
        let s = self.parser.screen();
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert!(!s.hide_cursor(), "cursor still hidden");
        assert!(!s.bracketed_paste(), "bracketed paste still on");
        assert_eq!(
            s.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse still captured"
        );
        let _ = &self.home;
    }
}

#[test]
fn filter_open_jump_step_and_quit() {
    let mut t = Screen::start(&[]);
    // First frame, then the batch is loaded and checked in the background.
    t.wait_until("the alternate screen", |s| s.alternate_screen());
    t.wait_for("Enter open");
    t.wait_loaded();

    // A pinyin-initial filter: ptzh = 平潭综合(实验区); the failing 2020 report sorts first.
    t.send("/ptzh");
    t.wait_for("/ptzh");
    t.wait_for("shown 4/8");
    t.send("\r"); // keep the filter
    t.wait_for("Enter open");
    assert!(
        t.text().contains("› ✗ fail       平潭综合实验区"),
        "{}",
        t.text()
    );
    t.send("\r"); // open the report
    t.wait_for("[Overview]");
    t.wait_for("平潭综合实验区 2020");

    // Jump to the first finding: the failing cell of table 3, with its formula.
    t.send("n");
    t.wait_for("─ T3.R3_7.C1 ");
    t.wait_for("≠");
    let screen = t.text();
    assert!(screen.contains("[Table 3]"), "{screen}");
    assert!(screen.contains("T3-RES"), "{screen}");
    assert!(screen.contains("20 ≠ 26"), "{screen}");
    assert!(screen.contains("line 324"), "{screen}");

    // Step to the next report of the filtered list without going back to it.
    t.send("]");
    t.wait_until("the next report", |s| {
        let c = s.contents();
        let first = c.lines().next().unwrap_or("").to_string();
        first.contains("平潭综合实验区 2019") && first.contains("[2/4]")
    });

    // Back to the list, quit.
    t.send("q");
    t.wait_for("Enter open");
    t.send("q");
    let status = t.wait_exit();
    assert!(
        status.contains("Exited") && status.contains(", 0)"),
        "{status}"
    );
    t.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut t = Screen::start(&[("NO_COLOR", "1")]);
    t.wait_until("the alternate screen", |s| s.alternate_screen());
    t.wait_for("Enter open");
    let pid = t.session.get_process().pid();
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(pid.as_raw(), libc::SIGTERM);
    }
    let status = t.wait_exit();
    assert!(
        status.contains("Exited") && status.contains(", 143)"),
        "{status}"
    );
    t.assert_restored();
}

#[test]
fn sighup_restores_the_terminal() {
    let mut t = Screen::start(&[]);
    t.wait_until("the alternate screen", |s| s.alternate_screen());
    t.wait_for("Enter open");
    t.send("/sqs");
    t.wait_for("/sqs");
    let pid = t.session.get_process().pid();
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(pid.as_raw(), libc::SIGHUP);
    }
    let status = t.wait_exit();
    assert!(
        status.contains("Exited") && status.contains(", 129)"),
        "{status}"
    );
    t.assert_restored();
}

#[test]
fn a_panic_restores_the_terminal() {
    let mut t = Screen::start(&[("REPORT_REVIEW_TEST_PANIC", "1")]);
    let status = t.wait_exit();
    assert!(
        status.contains("Exited") && status.contains(", 101)"),
        "{status}"
    );
    t.assert_restored();
    assert!(t.text().contains("test panic requested"), "{}", t.text());
}

#[test]
fn not_a_terminal_is_a_clear_error() {
    let batch = common::temp_copy_of_samples();
    let out = Command::new(BIN).arg(batch.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A pseudo-terminal opened by hand, so that its master side can be closed while the child
/// lives on (expectrl kills the child when its session is dropped).
struct RawPty {
    master: libc::c_int,
    child: std::process::Child,
    /// The copy of the samples the program runs on (its follow-up store goes there).
    _batch: tempfile::TempDir,
}

impl RawPty {
    fn spawn() -> RawPty {
        use std::os::unix::process::CommandExt;
        // SAFETY: plain libc pty calls on fds we own; the pre_exec closure only calls
        // async-signal-safe functions.
        unsafe {
            // Close-on-exec, or the child (and children of tests running in parallel)
            // would hold the master open too.
            let master = libc::open(
                c"/dev/ptmx".as_ptr(),
                libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
            );
            assert!(master >= 0, "open /dev/ptmx");
            assert_eq!(libc::grantpt(master), 0);
            assert_eq!(libc::unlockpt(master), 0);
            let mut name = [0 as libc::c_char; 128];
            assert_eq!(libc::ptsname_r(master, name.as_mut_ptr(), name.len()), 0);
            let path = std::ffi::CStr::from_ptr(name.as_ptr()).to_owned();
            let slave = libc::open(
                path.as_ptr(),
                libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
            );
            assert!(slave >= 0, "open pty slave");
            let ws = libc::winsize {
                ws_row: 24,
                ws_col: 80,
                ws_xpixel: 0,
                ws_ypixel: 0,
            };
            libc::ioctl(slave, libc::TIOCSWINSZ, &ws);
            let home = std::env::temp_dir();
            let mut cmd = Command::new(BIN);
            let batch = common::temp_copy_of_samples();
            cmd.args(["--lang", "en"])
                .arg(batch.path())
                .env("TERM", "xterm-256color")
                .env("XDG_CONFIG_HOME", &home)
                .env_remove("TMUX");
            let fd = slave;
            cmd.pre_exec(move || {
                libc::setsid();
                libc::ioctl(fd, libc::TIOCSCTTY as _, 0);
                libc::dup2(fd, 0);
                libc::dup2(fd, 1);
                libc::dup2(fd, 2);
                Ok(())
            });
            let child = cmd.spawn().expect("spawn on the pty");
            libc::close(slave);
            RawPty {
                master,
                child,
                _batch: batch,
            }
        }
    }

    /// Read what the program writes until `needle` appears (or panic after the timeout).
    fn wait_for(&mut self, needle: &str) {
        let mut seen = Vec::new();
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            let mut fds = libc::pollfd {
                fd: self.master,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd; reading into a live buffer.
            unsafe {
                if libc::poll(&mut fds, 1, 100) > 0 {
                    let mut buf = [0u8; 4096];
                    let n = libc::read(self.master, buf.as_mut_ptr().cast(), buf.len());
                    if n > 0 {
                        seen.extend_from_slice(&buf[..n as usize]);
                        if String::from_utf8_lossy(&seen).contains(needle) {
                            return;
                        }
                    }
                }
            }
        }
        panic!(
            "timed out waiting for {needle:?}; got {:?}",
            String::from_utf8_lossy(&seen)
        );
    }

    /// Poll the child until it exits (or `limit` passes); its exit code.
    fn exit_within(&mut self, limit: Duration) -> Option<i32> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                use std::os::unix::process::ExitStatusExt;
                // Killed by a signal: -signal.
                return Some(status.code().unwrap_or(-status.signal().unwrap_or(0)));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for RawPty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if self.master >= 0 {
            // SAFETY: closing the fd we opened.
            unsafe { libc::close(self.master) };
        }
    }
}

/// A dropped SSH connection / killed tmux: the pty's master side closes. The program must end
/// within seconds instead of spinning on end-of-file.
#[test]
fn closing_the_terminal_ends_the_program() {
    let mut t = RawPty::spawn();
    t.wait_for(" help");
    // SAFETY: closing our master fd; the child keeps its slave.
    unsafe { libc::close(t.master) };
    t.master = -1;
    let code = t.exit_within(Duration::from_secs(10));
    assert!(
        code.is_some(),
        "still running 10 s after its terminal was closed"
    );
    // (-6 here was an abort: a panic writing to the dead terminal's stderr.)
    assert_eq!(code, Some(129));
}

/// SIGHUP alone while idle (terminal still there): ends promptly with 129.
#[test]
fn sighup_while_idle_exits_promptly() {
    let mut t = RawPty::spawn();
    t.wait_for(" help");
    // SAFETY: signalling our own child.
    unsafe { libc::kill(t.child.id() as i32, libc::SIGHUP) };
    let code = t.exit_within(Duration::from_secs(10));
    assert_eq!(code, Some(129), "did not exit promptly after SIGHUP");
}

/// Mark a failing cell, quit, reopen the same batch: the mark is there (same store,
/// DIR/.report-review/review.sqlite), on the cell and on the follow-up screen.
#[test]
fn a_mark_on_a_failing_cell_survives_quit_and_reopen() {
    let batch = common::temp_copy_of_samples();
    let dir = batch.path().to_str().unwrap().to_string();
    let env = [("REPORT_REVIEW_NAME", "张三")];
    let mut t = Screen::start_on(&dir, &env);
    t.wait_loaded();
    t.send("/pt2020");
    t.wait_for("shown 1/8");
    t.send("\r");
    t.wait_for("Enter open");
    t.send("\r");
    t.wait_for("[Overview]");
    t.send("n");
    t.wait_for("─ T3.R3_7.C1 ");
    t.send("m1");
    t.wait_for("saved T3.R3_7.C1 → open");
    t.wait_for("◆ open · 张三");
    t.send("q");
    t.wait_for("Enter open");
    t.send("q");
    let status = t.wait_exit();
    assert!(status.contains(", 0)"), "{status}");
    assert!(batch.path().join(".report-review/review.sqlite").exists());

    let mut t = Screen::start_on(&dir, &env);
    t.wait_loaded();
    // The report row carries the follow-up count.
    t.wait_for("◆1");
    t.send("/pt2020");
    t.wait_for("shown 1/8");
    t.send("\r");
    t.wait_for("Enter open");
    t.send("\r");
    t.wait_for("[Overview]");
    t.send("n");
    t.wait_for("─ T3.R3_7.C1 ◆ open · 张三");
    assert!(t.text().contains("✗◆"), "{}", t.text());
    // The follow-up screen lists it.
    t.send("F");
    t.wait_for("Follow-ups");
    // In the table's own words, with the year.
    t.wait_for("2020 · 表三 （七）总计 · 自然人");
    t.send("\x1b");
    t.wait_for("[Table 3]");
    // A change made just before quitting is still committed.
    t.send("m2qq");
    let status = t.wait_exit();
    assert!(status.contains(", 0)"), "{status}");
    t.assert_restored();
    let out = Command::new(BIN)
        .args(["followups", &dir, "list", "--format", "json"])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains("T3.R3_7.C1"), "{list}");
    assert!(list.contains("\"confirmed\""), "{list}");
}

/// Opening the screen and quitting creates no store; a mark that could not be saved makes
/// the exit status 1 (as `followups mark` does), with the reason printed after the screen.
#[test]
fn no_store_without_a_mark_and_an_unsaved_mark_exits_1() {
    let batch = common::temp_copy_of_samples();
    let dir = batch.path().to_str().unwrap().to_string();
    let mut t = Screen::start_on(&dir, &[]);
    t.wait_loaded();
    t.send("q");
    let status = t.wait_exit();
    assert!(status.contains(", 0)"), "{status}");
    assert!(
        !batch.path().join(".report-review/review.sqlite").exists(),
        "opening the screen created a store"
    );
    // The result cache was written beside the batch, as `check` writes it.
    assert!(batch.path().join(".report-review/cache.sqlite").exists());
    std::fs::remove_dir_all(batch.path().join(".report-review")).unwrap();

    // No store can be made: `.report-review` is a file, and so is the data directory.
    std::fs::write(batch.path().join(".report-review"), "in the way").unwrap();
    let blocked = batch.path().join("not-a-dir");
    std::fs::write(&blocked, "").unwrap();
    let xdg = blocked.join("xdg");
    let mut t = Screen::start_on(&dir, &[("XDG_DATA_HOME", xdg.to_str().unwrap())]);
    t.wait_loaded();
    t.send("m1");
    t.wait_for("cannot");
    t.send("q");
    let status = t.wait_exit();
    assert!(status.contains(", 1)"), "{status}");
    t.assert_restored();
}

/// The store is moved aside while the screen is open: the next mark is not written into the
/// moved file; the screen reopens the store at the path (a new one) and says so.
#[test]
fn a_store_moved_aside_while_open_is_reopened_not_written_blind() {
    let batch = common::temp_copy_of_samples();
    let dir = batch.path().to_str().unwrap().to_string();
    let mut t = Screen::start_on(&dir, &[]);
    t.wait_loaded();
    t.send("m1");
    t.wait_for("saved");
    let state = batch.path().join(".report-review");
    let aside = batch.path().join(".report-review.moved");
    std::fs::rename(&state, &aside).unwrap();
    // Noticed by the next poll (or the next write), and said.
    t.wait_for("reopened");
    t.send("j");
    t.send("m1");
    t.wait_for("saved");
    t.send("q");
    let status = t.wait_exit();
    assert!(status.contains(", 0)"), "{status}");
    let count = |db: &std::path::Path| {
        let out = Command::new(BIN)
            .args([
                "followups",
                &dir,
                "--db",
                db.to_str().unwrap(),
                "list",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        v.as_array().unwrap().len()
    };
    assert_eq!(
        count(&aside.join("review.sqlite")),
        1,
        "nothing more in the moved store"
    );
    assert_eq!(
        count(&state.join("review.sqlite")),
        1,
        "the mark is in the store at the path"
    );
}

/// A round of bulk work in a real terminal: the rule summary, every META-DATE finding of the
/// batch confirmed with one key, the follow-ups exported from the screen; the store holds
/// one event per finding and the file is where the status line says.
#[test]
fn a_rule_marked_at_once_and_the_followups_exported() {
    let batch = common::temp_copy_of_samples();
    let dir = batch.path().to_str().unwrap().to_string();
    let mut t = Screen::start_on(&dir, &[("REPORT_REVIEW_NAME", "张三")]);
    t.wait_loaded();
    t.send("R");
    t.wait_for("By rule");
    // The frequency sheet leads with the rule that has the most findings.
    t.wait_for("› ! META-DATE");
    t.send("m");
    t.wait_for("META-DATE · 7 findings in 7 reports");
    t.send("2");
    t.wait_for("saved 7 → confirmed (7 selected)");
    t.send("F");
    t.wait_for("confirmed 7");
    t.send("E");
    t.wait_for("Export the follow-ups");
    t.send("\r");
    t.wait_for("exported 7 follow-ups to");
    // Back the way it came: the summary (which counts them now), then the list.
    t.send("\x1b");
    t.wait_for("By rule");
    t.send("\x1b");
    t.wait_for("Enter open");
    t.send("q");
    let status = t.wait_exit();
    assert!(status.contains(", 0)"), "{status}");
    t.assert_restored();
    let exports: Vec<String> = std::fs::read_dir(batch.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("followups-") && n.ends_with(".xlsx"))
        .collect();
    assert_eq!(exports.len(), 1, "{exports:?}");
    let out = Command::new(BIN)
        .args([
            "followups",
            &dir,
            "list",
            "--state",
            "confirmed",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        list.matches("#finding:META-DATE@META.date").count(),
        7,
        "{list}"
    );
}

/// An auditor's day on the list, in a real terminal: a report marked 已阅 is counted and
/// carries ☑; quitting and reopening lands on the report and the filters left, with the
/// mark read back from the store.
#[test]
fn reviewed_marks_and_the_place_left_survive_quit_and_reopen() {
    let batch = common::temp_copy_of_samples();
    let dir = batch.path().to_str().unwrap().to_string();
    let mut t = Screen::start_on(&dir, &[]);
    t.wait_loaded();
    t.wait_for("reviewed 0/8");
    // The third report, by the year filter and the sort by agency.
    t.send("y");
    t.wait_for("year 2019");
    t.send("x");
    t.wait_for("year all");
    t.send("sjj");
    t.send("v");
    t.wait_for("reviewed 1/8");
    let picked = t
        .selected_row()
        .split_whitespace()
        .nth(3)
        .unwrap_or_default()
        .to_string();
    assert!(!picked.is_empty(), "{}", t.text());
    assert!(
        t.text().lines().skip(3).any(|l| l.contains('☑')),
        "{}",
        t.text()
    );
    t.send("w");
    t.wait_for("unreviewed");
    // The reviewed report has left this list; the cursor is on another one.
    let selected = |t: &Screen| {
        let row = t.selected_row();
        row.split_whitespace().take(5).collect::<Vec<_>>().join(" ")
    };
    let left = selected(&t);
    assert!(!left.is_empty() && !left.contains('☑'), "{}", t.text());
    t.send("q");
    let status = t.wait_exit();
    assert!(status.contains(", 0)"), "{status}");

    let mut t = Screen::start_on(&dir, &[]);
    t.wait_loaded();
    t.wait_for("reviewed 1/8");
    // Back on the sort and the filter left: by agency, only reports not reviewed yet.
    t.wait_for("sort agency");
    t.wait_for("unreviewed");
    assert!(t.text().contains("shown 7/8"), "{}", t.text());
    assert_eq!(selected(&t), left, "{}", t.text());
    t.send("w");
    t.wait_for("shown 8/8");
    let row = t
        .text()
        .lines()
        .skip(3)
        .find(|l| l.contains('☑'))
        .map(str::to_string)
        .unwrap_or_default();
    assert!(row.contains(&picked), "{row} / {picked}");
    t.send("q");
    t.wait_exit();
    // The store has the mark with who and when.
    let store =
        report_review::review::Store::open(&batch.path().join(".report-review/review.sqlite"))
            .unwrap();
    let reviews = store.reviews().unwrap();
    assert_eq!(reviews.len(), 1);
    assert!(reviews[0].reviewed && !reviews[0].os_user.is_empty());
}

/// An auditor's round in a real terminal, each result read back on the screen, in the store
/// or in the exported file: filter by pinyin initials, open the failing 平潭 2020 report,
/// search it, mark its two T3-RES findings (the published （七）总计 20 and 21, which do not
/// add up to 26 and 27) 已确认 at once, set one straight to 已整改, mark the report 已阅,
/// export the follow-ups from the screen, quit with `q`, reopen and land where it left off.
#[test]
fn an_auditors_round_from_filter_to_reopening() {
    let batch = common::temp_copy_of_samples();
    let dir = batch.path().to_str().unwrap().to_string();
    let mut t = Screen::start_on(&dir, &[]);
    t.wait_loaded();
    // p t: 平潭 by its pinyin initials; the failing 2020 report sorts first.
    t.send("/pt");
    t.wait_for("shown 4/8");
    t.send("\r");
    t.wait_for("Enter open");
    t.send("\r");
    t.wait_for("[Overview]");
    assert!(t.text().contains("平潭综合实验区 2020"), "{}", t.text());

    // Search the report: the one row labelled 总计 in table 3, the cursor on its cell.
    t.send("/总计\r");
    t.wait_for("/总计 1/");
    t.wait_for("─ T3.R3_7.");
    assert!(t.text().contains("[Table 3"), "{}", t.text());
    t.send("\x1b"); // end the search
    t.wait_until("the search ended", |s| !s.contents().contains("/总计 1/"));

    // Back to the overview's findings: select both T3-RES findings, mark them 已确认.
    t.send("\x1b[Z\x1b[Z\x1b[Z");
    t.wait_for("[Overview]");
    t.send("j "); // j puts the cursor on the first finding
    t.wait_for("1 finding selected");
    t.send("j ");
    t.wait_for("2 findings selected");
    t.send("m");
    t.wait_for("confirmed");
    t.send("2");
    t.wait_until("both marked", |s| {
        s.contents().matches("◆ confirmed").count() == 2
    });
    // The cursor is on the second (T3.R3_7.C7): straight to 已整改, no dismissal between.
    t.send("m");
    t.wait_for("resolved");
    t.send("4");
    t.wait_for("◆ resolved");
    t.send("v");
    t.wait_for("reviewed 1/8");

    // Export the follow-ups from the follow-up screen, to the default path beside the batch.
    t.send("F");
    t.wait_for("Follow-ups");
    t.send("E");
    t.wait_for(".xlsx");
    t.send("\r");
    t.wait_for("exported 2 follow-ups to");
    t.send("\x1b");
    t.wait_for("[Overview]");
    t.send("\x1b");
    t.wait_for("Enter open");
    t.send("q");
    let status = t.wait_exit();
    assert!(status.contains(", 0)"), "{status}");
    t.assert_restored();

    // The store holds exactly the transitions chosen.
    let store =
        report_review::review::Store::open(&batch.path().join(".report-review/review.sqlite"))
            .unwrap();
    let key = "平潭综合实验区/2020";
    let state_of = |loc: &str| {
        let item = report_review::review::ItemRef::finding(key, "T3-RES", loc);
        store.get(&item).unwrap().map(|m| m.state.to_string())
    };
    assert_eq!(state_of("T3.R3_7.C1").as_deref(), Some("confirmed"));
    assert_eq!(state_of("T3.R3_7.C7").as_deref(), Some("resolved"));
    let c7 = report_review::review::ItemRef::finding(key, "T3-RES", "T3.R3_7.C7");
    let steps: Vec<String> = store
        .history(&c7.key())
        .unwrap()
        .iter()
        .map(|e| e.new_state.to_string())
        .collect();
    assert_eq!(steps, ["confirmed", "resolved"]);
    let reviews = store.reviews().unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].report_key, key);

    // The exported workbook lists both follow-ups with their states.
    let xlsx = std::fs::read_dir(batch.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .expect("an exported .xlsx beside the batch");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    use calamine::Reader;
    let sheet = wb.worksheet_range("跟进 followups").unwrap();
    let rows: Vec<String> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    assert_eq!(rows.len(), 1 + 2, "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.contains("T3.R3_7.C1") && r.contains("已确认")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("T3.R3_7.C7") && r.contains("已整改")),
        "{rows:?}"
    );

    // Reopened, the screen lands on the report left, shown as reviewed.
    let mut t = Screen::start_on(&dir, &[]);
    t.wait_loaded();
    t.wait_for("reviewed 1/8");
    let selected = t.selected_row();
    assert!(
        selected.contains("平潭综合实验区") && selected.contains("2020") && selected.contains('☑'),
        "{}",
        t.text()
    );
    t.send("q");
    t.wait_exit();
}
