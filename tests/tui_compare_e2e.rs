//! End to end: the real binary in a pseudo-terminal opens the comparison from a report and
//! reads a delta on screen; a pairing choice made on screen is written beside the batch.
//! Waits poll the screen with generous timeouts; no fixed sleep is an assertion.

use expectrl::Session;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_report-review");
const TIMEOUT: Duration = Duration::from_secs(60);

struct Screen {
    session: Session,
    parser: vt100::Parser,
}

impl Screen {
    fn start(dir: &Path, home: &Path) -> Screen {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!(
                "stty rows 24 cols 80 && exec '{BIN}' --lang en '{}'",
                dir.display()
            ))
            .env("TERM", "xterm-256color")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home)
            .env_remove("NO_COLOR")
            .env_remove("TMUX");
        Screen {
            session: Session::spawn(cmd).expect("spawn in a pty"),
            parser: vt100::Parser::new(24, 80, 0),
        }
    }

    fn pump(&mut self) {
        let mut buf = [0u8; 8192];
        while let Ok(n) = self.session.try_read(&mut buf) {
            if n == 0 {
                break;
            }
            self.parser.process(&buf[..n]);
        }
    }

    fn text(&self) -> String {
        self.parser.screen().contents()
    }

    fn wait_until(&mut self, what: &str, pred: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            self.pump();
            if pred(&self.text()) {
                return;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn wait_for(&mut self, needle: &str) {
        let n = needle.to_string();
        self.wait_until(needle, move |s| s.contains(&n));
    }

    fn send(&mut self, keys: &str) {
        self.session.send(keys).unwrap();
    }

    fn wait_exit(&mut self) -> String {
        let start = Instant::now();
        loop {
            self.pump();
            let status = format!("{:?}", self.session.get_process().status());
            if !status.contains("StillAlive") {
                return status;
            }
            if start.elapsed() > TIMEOUT {
                panic!("the program did not exit; screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

/// A copy of the sample reports (the pairing choice is written beside the batch).
fn batch() -> tempfile::TempDir {
    common::temp_copy_of_samples()
}

#[test]
fn compare_from_a_report_reads_a_delta_and_keeps_a_pairing_choice() {
    let dir = batch();
    let home = tempfile::tempdir().unwrap();
    let mut t = Screen::start(dir.path(), home.path());
    t.wait_until("all 8 reports", |s| {
        s.contains("total 8") && !s.contains("loading")
    });
    t.send("/pt2020");
    t.wait_for("shown 1/8");
    t.send("\r");
    t.wait_for("Enter open");
    t.send("\r");
    t.wait_for("[Overview]");

    // p: the comparison with 2019, found by the same agency key.
    t.send("p");
    t.wait_for("Compare  平潭综合实验区 2019 → 2020");
    t.wait_for("paired: same agency name");
    assert!(t.text().contains("prev") && t.text().contains("change%"));

    // n: the cross-year finding X-PUBTOTAL-19 on 规章 对外公开总数量, 0 → 7.
    t.send("n");
    t.wait_for("─ T2.a1.规章.public_total ─");
    let screen = t.text();
    let row = screen
        .lines()
        .find(|l| l.contains("规章 · 对外公开总数量"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.starts_with("i "), "marked as an info finding: {row}");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(&cells[cells.len() - 4..], ["0", "7", "+7", "∞"], "{row}");
    assert!(screen.contains("X-PUBTOTAL-19"), "{screen}");
    assert!(screen.contains("2019 0 → 2020 7"), "{screen}");

    // z shows the rows zero in both years; d steps to the next difference.
    t.send("z");
    t.wait_for("showing rows zero in both years");
    t.send("d");
    t.wait_until("the next difference", |s| !s.contains("public_total ─"));

    // P, last entry ("no previous year"), Enter: saved beside the batch.
    t.send("P");
    t.wait_for("(no previous year)");
    t.send("G\r");
    t.wait_for("pairing choice saved");
    t.wait_for("No 2019 report");
    let file = dir.path().join(".report-review").join("pairings.json");
    let json = std::fs::read_to_string(&file).unwrap();
    assert!(json.contains("\"平潭综合实验区_2020.json\""), "{json}");
    assert!(json.contains("null"), "{json}");

    // Back to the report, the list, quit.
    t.send("q");
    t.wait_for("[Overview]");
    t.send("q");
    t.wait_for("Enter open");
    t.send("q");
    let status = t.wait_exit();
    assert!(status.contains(", 0)"), "{status}");

    // Started again, the choice holds.
    let mut t = Screen::start(dir.path(), home.path());
    t.wait_until("all 8 reports", |s| {
        s.contains("total 8") && !s.contains("loading")
    });
    t.send("/pt2020\r\rp");
    t.wait_for("No 2019 report");
    t.send("\x03");
    t.wait_exit();
}
