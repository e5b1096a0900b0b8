//! Bad-input corpus (issue: robustness). Every test builds its corpus in a temporary directory
//! — nothing binary is committed — and runs the real binary with a deadline: `import`, `check`
//! and the review screen in a pseudo-terminal must finish without a panic or a hang, list each
//! bad file on one line with its reason, show duplicates as duplicates, keep escape sequences
//! from report text off the terminal and write nothing outside the output directory.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_report-review");
/// Generous: a loaded 2-core machine running a debug build. A hang is caught, not waited out.
const DEADLINE: Duration = Duration::from_secs(90);

mod common;

fn real_report(name: &str) -> String {
    common::real_text(name)
}

fn sample_json(name: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(common::sample(name)).unwrap()).unwrap()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run the binary with a deadline: killed and the test failed if it does not finish; failed
/// too if it died of a signal or panicked (exit 101).
fn run(args: &[&str], cwd: &Path) -> Run {
    run_to(args, cwd, None)
}

/// [`run`] with standard output sent to `stdout` instead of captured (then `Run::stdout` is
/// empty).
fn run_to(args: &[&str], cwd: &Path, stdout: Option<Stdio>) -> Run {
    run_with(args, cwd, stdout, &[])
}

/// [`run_to`] with extra environment variables.
fn run_with(args: &[&str], cwd: &Path, stdout: Option<Stdio>, env: &[(&str, &str)]) -> Run {
    let captured = stdout.is_none();
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("LANG", "en_US.UTF-8")
        .env("HOME", cwd)
        .env("XDG_CONFIG_HOME", cwd)
        .env("XDG_DATA_HOME", cwd.join(".xdg-data"))
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(stdout.unwrap_or_else(Stdio::piped))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = captured.then(|| child.stdout.take().unwrap());
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        if let Some(mut out) = out {
            let _ = out.read_to_end(&mut v);
        }
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("report-review {args:?} did not finish in {DEADLINE:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&out_t.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_t.join().unwrap()).into_owned();
    let Some(code) = status.code() else {
        panic!("report-review {args:?} killed by a signal: {status:?}\nstderr:\n{stderr}");
    };
    assert!(
        !stderr.contains("panicked") && code != 101,
        "report-review {args:?} panicked (exit {code}):\n{stderr}"
    );
    Run {
        code,
        stdout,
        stderr,
    }
}

/// Every path under `root` (symlinks not followed), relative to it.
fn listing(root: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            out.insert(p.strip_prefix(root).unwrap().to_path_buf());
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            }
        }
    }
    out
}

/// What a corpus file must come to.
#[derive(Debug, Clone, Copy)]
enum Want {
    /// Listed as unreadable / failed, with a reason containing this text.
    Fail(&'static str),
    /// Loaded (possibly with warnings).
    Loads,
    /// Either, as long as it is listed with a one-line reason.
    Either,
}

struct Item {
    /// Path relative to the batch directory.
    name: String,
    want: Want,
}

struct Corpus {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    items: Vec<Item>,
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Title-setting, OSC 52 clipboard and colour sequences, C1 controls, bells and carriage
/// returns embedded in a real report.
const TITLE_SEQ: &str = "\u{1b}]0;PWNED-TITLE\u{7}";
const OSC52_SEQ: &str = "\u{1b}]52;c;UFdORUQtQ0xJUA==\u{7}";

fn hostile_text() -> String {
    let mut lines: Vec<String> = real_report("pingtan_2020.txt")
        .lines()
        .map(str::to_string)
        .collect();
    lines[0] = format!("{TITLE_SEQ}{}\u{1b}[2J\u{9b}31m", lines[0]);
    lines[4] = format!(
        "{OSC52_SEQ}\u{1b}[31m{}\u{1b}[0m\u{7}\r\u{8}\u{7f}",
        lines[4]
    );
    // A table cell: the escape must go, the number must stay.
    let cell = lines.iter().position(|l| l == "\t0").unwrap();
    lines[cell] = "\t\u{1b}[1m0\u{1b}[0m".into();
    lines.join("\n") + "\n"
}

/// The corpus: one of each kind of bad input from the issue, plus good reports around them.
fn corpus() -> Corpus {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let batch = root.join("batch");
    std::fs::create_dir_all(&batch).unwrap();
    let mut items = Vec::new();
    let mut add = |name: &str, bytes: &[u8], want: Want| {
        std::fs::write(batch.join(name), bytes).unwrap();
        items.push(Item {
            name: name.to_string(),
            want,
        });
    };
    let pingtan = real_report("pingtan_2020.txt");

    add("empty.txt", b"", Want::Fail("empty file"));
    add("blank.txt", b" \n\r\n\t\n", Want::Fail("empty file"));
    let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
    elf.extend((0..4096u32).map(|i| (i * 7919 % 251) as u8));
    add("binary.txt", &elf, Want::Fail("binary file"));
    add("binary.json", &elf, Want::Fail("not valid JSON"));

    let good_json = std::fs::read(common::sample("平潭综合实验区_2021.json")).unwrap();
    add(
        "truncated.json",
        &good_json[..good_json.len() / 2],
        Want::Fail("not valid JSON"),
    );
    add("array.json", b"[1, 2, 3]", Want::Fail("no schema_version"));
    add(
        "wrong_shape.json",
        br#"{"schema_version": 1, "agency": 42, "sections": "none"}"#,
        Want::Fail("not a report"),
    );
    let mut future = sample_json("平潭综合实验区_2022.json");
    future["schema_version"] = 999.into();
    add(
        "future.json",
        future.to_string().as_bytes(),
        Want::Fail("schema_version 999 is newer"),
    );
    add(
        "deep.json",
        format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)).as_bytes(),
        Want::Fail("not valid JSON"),
    );
    add(
        "deep.html",
        format!(
            "<html><body>{}一、总体情况{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        )
        .as_bytes(),
        Want::Fail("nested"),
    );

    // GBK (GB18030) text of a real report: imported, same agency as the UTF-8 original.
    let huaian = real_report("huaian_shi_2024.txt");
    let (gbk, _, _) = encoding_rs::GB18030.encode(&huaian);
    add("gbk.txt", &gbk, Want::Loads);
    // Half UTF-8, half GBK: whatever the decoder makes of it, one line with its outcome.
    let (head, tail) = pingtan.split_at(pingtan.char_indices().nth(2000).unwrap().0);
    let mut mixed = head.as_bytes().to_vec();
    mixed.extend_from_slice(&encoding_rs::GB18030.encode(tail).0);
    add("mixed.txt", &mixed, Want::Either);
    // Half a page (the download stopped): table 3 is cut off.
    let cut = real_report("pingtan_2019.txt");
    add(
        "half_downloaded.txt",
        &cut.as_bytes()[..cut.len() * 2 / 5],
        Want::Fail("table 3"),
    );
    add(
        "not_a_report.html",
        b"<html><body><h1>404 Not Found</h1><p>nginx</p></body></html>",
        Want::Fail("not a report"),
    );

    // Two reports for the same agency and year (a re-download under another name).
    add("pingtan_2020.txt", pingtan.as_bytes(), Want::Loads);
    add("pingtan_2020 (1).txt", pingtan.as_bytes(), Want::Loads);

    // Escape sequences in report text; and a file name holding a newline and an escape.
    add("hostile.txt", hostile_text().as_bytes(), Want::Loads);
    add(
        "evil\nname\u{1b}]0;PWNED-NAME\u{7}.txt",
        b"just a note\n",
        Want::Fail("not a report"),
    );
    // Agency names with /, .. and newlines: from the title of a text dump, and in a JSON.
    let sneaky = pingtan.replacen("平潭综合实验区", "../../etc/平潭/综合..实验区", 1);
    add("slash_agency.txt", sneaky.as_bytes(), Want::Loads);
    let mut evil = sample_json("平潭综合实验区_2021.json");
    evil["agency"] = "../../evil\nPWNED-JSON\u{1b}]0;PWNED-JSON\u{7}/x".into();
    evil["agency_key"] = "../..\n\u{1b}[2J/x".into();
    add("evil_agency.json", evil.to_string().as_bytes(), Want::Loads);

    // 50 MB, made sparse so it costs nothing: refused before it is read.
    let big = std::fs::File::create(batch.join("huge.txt")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    items.push(Item {
        name: "huge.txt".into(),
        want: Want::Fail("file too large (50 MB > 10 MB)"),
    });

    // Symlink loops: a file link to itself, and a directory link to its parent.
    std::os::unix::fs::symlink("loop.txt", batch.join("loop.txt")).unwrap();
    items.push(Item {
        name: "loop.txt".into(),
        want: Want::Fail("too many levels of symbolic links"),
    });
    std::fs::create_dir(batch.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", batch.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("missing.txt", batch.join("dangling.txt")).unwrap();
    items.push(Item {
        name: "dangling.txt".into(),
        want: Want::Fail("no such file"),
    });

    // Unreadable files. A named pipe would block a reader forever; it must be refused.
    let fifo = std::ffi::CString::new(batch.join("pipe.txt").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    items.push(Item {
        name: "pipe.txt".into(),
        want: Want::Fail("not a regular file (a named pipe)"),
    });
    let fifo = std::ffi::CString::new(batch.join("pipe.json").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    items.push(Item {
        name: "pipe.json".into(),
        want: Want::Fail("not a regular file (a named pipe)"),
    });
    // chmod 000 stops every user but root; as root the check is skipped (said so), the named
    // pipe and the looping link above exercise the unreadable path instead.
    if is_root() {
        eprintln!("running as root: chmod 000 cannot make a file unreadable; skipping noperm.txt");
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(batch.join("noperm.txt"), pingtan.as_bytes()).unwrap();
        std::fs::set_permissions(
            batch.join("noperm.txt"),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
        items.push(Item {
            name: "noperm.txt".into(),
            want: Want::Fail("permission denied"),
        });
    }
    // A directory named like a report is a directory, walked into, never read as a file.
    std::fs::create_dir(batch.join("folder.json")).unwrap();

    Corpus {
        _tmp: tmp,
        root,
        items,
    }
}

/// The file name as the program prints it: control characters escaped.
fn shown(name: &str) -> String {
    name.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

fn is_raw(name: &str) -> bool {
    [".txt", ".htm", ".html"].iter().any(|e| name.ends_with(e))
}

#[test]
fn import_lists_every_bad_file_with_a_reason_and_writes_only_into_out() {
    let c = corpus();
    let before = listing(&c.root);
    let r = run(&["import", "batch", "--out", "out"], &c.root);
    assert_eq!(
        r.code, 1,
        "some inputs fail: exit 1\n{}{}",
        r.stdout, r.stderr
    );
    assert!(!r.stdout.contains('\u{1b}'), "escape reached stdout");
    assert!(!r.stdout.contains('\u{9b}'), "C1 CSI reached stdout");
    let lines: Vec<&str> = r.stdout.lines().collect();
    let raw: Vec<&Item> = c.items.iter().filter(|i| is_raw(&i.name)).collect();
    assert_eq!(lines.len(), raw.len(), "one line per input:\n{}", r.stdout);
    for item in raw {
        let needle = format!("batch/{}", shown(&item.name));
        let matching: Vec<&&str> = lines
            .iter()
            .filter(|l| l.contains(&format!("{needle}:")) || l.contains(&format!("{needle} ->")))
            .collect();
        assert_eq!(matching.len(), 1, "{needle}: {matching:?}\n{}", r.stdout);
        let line = matching[0];
        match item.want {
            Want::Fail(reason) => {
                assert!(line.starts_with("failed"), "{line}");
                assert!(
                    line.to_lowercase().contains(&reason.to_lowercase()),
                    "{line} lacks {reason:?}"
                );
            }
            Want::Loads => assert!(line.starts_with("imported"), "{line}"),
            Want::Either => assert!(
                line.starts_with("imported") || line.contains(": "),
                "{line}"
            ),
        }
    }

    // Nothing outside out/; out/ holds only JSON files.
    let after = listing(&c.root);
    let new: Vec<&PathBuf> = after.difference(&before).collect();
    for p in &new {
        assert!(
            p.starts_with("out"),
            "written outside out/: {}",
            p.display()
        );
    }
    for p in new.iter().filter(|p| p.as_path() != Path::new("out")) {
        assert_eq!(p.parent(), Some(Path::new("out")), "{}", p.display());
        assert!(
            p.extension().is_some_and(|e| e == "json"),
            "{}",
            p.display()
        );
    }
    // Duplicates are both kept, not merged into one file.
    assert!(c.root.join("out/平潭综合实验区_2020.json").is_file());
    assert!(c.root.join("out/平潭综合实验区_2020-2.json").is_file());

    // No escape sequence of the hostile report survives into its JSON.
    for p in new.iter().filter(|p| p.as_path() != Path::new("out")) {
        let text = std::fs::read_to_string(c.root.join(p)).unwrap();
        assert!(!text.contains("\\u001b"), "{}: ESC in JSON", p.display());
        assert!(!text.contains("\\u0007"), "{}: BEL in JSON", p.display());
        assert!(!text.contains('\u{9b}'), "{}: CSI in JSON", p.display());
    }

    // A second run refuses to overwrite and still lists every file.
    let again = run(&["import", "batch", "--out", "out"], &c.root);
    assert_eq!(again.code, 1);
    assert!(
        again.stdout.contains("exists (use --force"),
        "{}",
        again.stdout
    );
}

#[test]
fn check_marks_unreadable_files_and_duplicates() {
    let c = corpus();
    let before = listing(&c.root);
    let r = run(
        &["check", "batch", "--format", "json", "--lang", "en"],
        &c.root,
    );
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let reports = doc["reports"].as_array().unwrap();
    let find = |name: &str| {
        let want = format!("batch/{name}");
        reports
            .iter()
            .find(|r| r["path"].as_str() == Some(want.as_str()))
            .unwrap_or_else(|| panic!("{name:?} not in the check output"))
    };
    for item in &c.items {
        let rep = find(&item.name);
        match item.want {
            Want::Fail(reason) => {
                assert_eq!(rep["status"], "unreadable", "{}: {rep}", item.name);
                let err = rep["error"].as_str().unwrap_or_default();
                assert!(
                    err.to_lowercase().contains(&reason.to_lowercase()),
                    "{}: {err:?} lacks {reason:?}",
                    item.name
                );
                assert!(!err.contains('\n'), "{err:?}");
            }
            Want::Loads => assert_ne!(rep["status"], "unreadable", "{}: {rep}", item.name),
            Want::Either => {
                if rep["status"] == "unreadable" {
                    assert!(!rep["error"].as_str().unwrap_or_default().is_empty());
                }
            }
        }
    }
    let unreadable = c
        .items
        .iter()
        .filter(|i| matches!(i.want, Want::Fail(_)))
        .count() as u64;
    assert!(doc["summary"]["unreadable"].as_u64().unwrap() >= unreadable);
    // The directory named folder.json is not a report entry; the loop through sub/up does
    // not make files appear twice.
    assert!(!reports
        .iter()
        .any(|r| r["path"].as_str().unwrap().contains("folder.json")));
    assert!(!reports
        .iter()
        .any(|r| r["path"].as_str().unwrap().contains("sub/up")));

    // The two copies of 平潭 2020 are one duplicate group, both checked.
    let dups = doc["duplicates"].as_array().expect("duplicates listed");
    let group = dups
        .iter()
        .find(|g| g["year"] == 2020 && g["agency_key"] == "平潭综合实验区")
        .unwrap_or_else(|| panic!("no duplicate group for 平潭 2020: {dups:?}"));
    let paths: Vec<&str> = group["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(paths.contains(&"batch/pingtan_2020.txt"), "{paths:?}");
    assert!(paths.contains(&"batch/pingtan_2020 (1).txt"), "{paths:?}");
    assert_eq!(doc["summary"]["duplicates"], dups.len());

    // The table: one reason line per unreadable file, duplicates named, no control character.
    let t = run(&["check", "batch", "--lang", "en"], &c.root);
    assert!(t.code == 0 || t.code == 1, "{}", t.stderr);
    for ch in ['\u{1b}', '\u{7}', '\u{9b}', '\u{8}', '\r'] {
        assert!(!t.stdout.contains(ch), "{ch:?} in the check table");
    }
    assert!(t.stdout.contains("duplicate reports"), "{}", t.stdout);
    for item in c.items.iter().filter(|i| matches!(i.want, Want::Fail(_))) {
        let name = format!("batch/{}", shown(&item.name));
        assert!(
            t.stdout.lines().any(|l| l.ends_with(&name)),
            "{name} not listed:\n{}",
            t.stdout
        );
    }
    // CSV too finishes and names every file.
    let csv = run(&["check", "batch", "--format", "csv"], &c.root);
    assert!(csv.code == 0 || csv.code == 1, "{}", csv.stderr);

    // check writes nothing but its result cache beside the batch.
    let mut after = listing(&c.root);
    after.retain(|p| {
        let p = p.to_string_lossy();
        p != "batch/.report-review" && !p.starts_with("batch/.report-review/cache.sqlite")
    });
    assert_eq!(after, before);
}

#[test]
fn ten_thousand_files_that_are_not_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = tmp.path().join("many");
    std::fs::create_dir(&batch).unwrap();
    for i in 0..10_000 {
        let ext = ["txt", "json", "html", "jpg"][i % 4];
        let body: &[u8] = match ext {
            "json" => b"{\"name\": \"not a report\"}",
            "html" => b"<html><body>Page not found</body></html>",
            _ => b"hello\n",
        };
        std::fs::write(batch.join(format!("f{i:05}.{ext}")), body).unwrap();
    }
    let before = listing(tmp.path());
    let r = run(&["import", "many", "--out", "out"], tmp.path());
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.lines().count(), 5000, "txt and html only");
    assert!(r.stdout.lines().all(|l| l.starts_with("failed")));
    let written: Vec<PathBuf> = listing(tmp.path()).difference(&before).cloned().collect();
    assert_eq!(
        written,
        vec![PathBuf::from("out")],
        "nothing but the empty out/"
    );

    let c = run(&["check", "many", "--format", "json"], tmp.path());
    // Nothing could be read: not a pass (the JSON is still complete).
    assert_eq!(c.code, 2, "{}", c.stderr);
    assert!(c.stderr.contains("no report"), "{}", c.stderr);
    let doc: serde_json::Value = serde_json::from_str(&c.stdout).unwrap();
    assert_eq!(doc["summary"]["reports"], 7500);
    assert_eq!(doc["summary"]["unreadable"], 7500);
    assert!(doc["reports"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| !r["error"].as_str().unwrap_or_default().is_empty()));
}

#[test]
fn explicit_paths_that_are_not_files() {
    let c = corpus();
    // A named pipe, a loop and a missing file given by name: each fails with its reason.
    let r = run(
        &[
            "import",
            "batch/pipe.txt",
            "batch/loop.txt",
            "batch/nothing.txt",
            "batch/huge.txt",
            "--out",
            "out",
        ],
        &c.root,
    );
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", r.stdout);
    assert!(lines[0].contains("named pipe"), "{}", lines[0]);
    assert!(
        lines[1].to_lowercase().contains("symbolic links"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].to_lowercase().contains("no such file"),
        "{}",
        lines[2]
    );
    assert!(lines[3].contains("too large"), "{}", lines[3]);
    // check on a single pipe: unreadable, no hang.
    let r = run(&["check", "batch/pipe.json", "--format", "json"], &c.root);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["reports"][0]["status"], "unreadable");
}

struct Pty {
    session: expectrl::Session,
    parser: vt100::Parser,
    /// Every byte the program wrote to the terminal.
    raw: Vec<u8>,
    start: Instant,
}

impl Pty {
    fn pump(&mut self) {
        let mut buf = [0u8; 8192];
        while let Ok(n) = self.session.try_read(&mut buf) {
            if n == 0 {
                break;
            }
            self.parser.process(&buf[..n]);
            self.raw.extend_from_slice(&buf[..n]);
        }
    }

    fn text(&self) -> String {
        self.parser.screen().contents()
    }

    fn kill(&mut self) {
        let pid = self.session.get_process().pid().as_raw();
        // SAFETY: signalling our own child.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }

    /// Poll until the screen text satisfies `pred`; killed and failed after the deadline.
    fn wait_until(&mut self, what: &str, pred: impl Fn(&str) -> bool) {
        loop {
            self.pump();
            if pred(&self.text()) {
                return;
            }
            if self.start.elapsed() > DEADLINE {
                self.kill();
                panic!("timed out waiting for {what}; screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn send(&mut self, keys: &str) {
        self.session.send(keys).unwrap();
    }

    fn wait_exit(&mut self) -> String {
        loop {
            self.pump();
            let status = format!("{:?}", self.session.get_process().status());
            if !status.contains("StillAlive") {
                self.pump();
                return status;
            }
            if self.start.elapsed() > DEADLINE {
                self.kill();
                panic!("the program did not exit; screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

/// The review screen in a pseudo-terminal on the corpus: it finishes loading, lists the
/// unreadable files with their count, shows every row's detail line, and no escape sequence
/// from a report or a file name reaches the terminal; quitting restores the terminal.
#[test]
fn review_screen_survives_the_corpus() {
    let c = corpus();
    let before = listing(&c.root);
    let (rows, cols) = (60u16, 200u16);
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "stty rows {rows} cols {cols} && exec '{BIN}' --lang en batch"
        ))
        .current_dir(&c.root)
        .env("TERM", "xterm-256color")
        .env("HOME", &c.root)
        .env("XDG_CONFIG_HOME", &c.root)
        .env_remove("NO_COLOR")
        .env_remove("TMUX");
    let mut t = Pty {
        session: expectrl::Session::spawn(cmd).expect("spawn in a pty"),
        parser: vt100::Parser::new(rows, cols, 0),
        raw: Vec::new(),
        start: Instant::now(),
    };
    t.session
        .get_process_mut()
        .set_window_size(cols, rows)
        .unwrap();
    let unreadable = c
        .items
        .iter()
        .filter(|i| matches!(i.want, Want::Fail(_)))
        .count();
    let total = c.items.len();
    // The names too: a frame can arrive in pieces, and the screen is only read once the
    // frame that lists them has been drawn whole (a name that never shows times out).
    let names = ["empty.txt", "huge.txt", "pipe.txt", "loop.txt", "deep.json"];
    t.wait_until("the batch loaded", |s| {
        s.contains(&format!("total {total}"))
            && !s.contains("loading")
            && names.iter().all(|n| s.contains(n))
    });
    let screen = t.text();
    let header = screen.lines().next().unwrap_or_default().to_string();
    let count: usize = header
        .split("unreadable ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no unreadable count in {header:?}"));
    assert!(count >= unreadable, "{header}");
    for name in names {
        assert!(screen.contains(name), "{name} not listed:\n{screen}");
    }
    // Step through every row so each one's detail line (path, reason) is drawn.
    for _ in 0..total {
        t.send("j");
        std::thread::sleep(Duration::from_millis(30));
        t.pump();
    }
    // Open every 平潭 2020 report (the hostile one among them) and come back each time.
    t.send("/pt2020");
    t.wait_until("the filter", |s| {
        s.contains("/pt2020") && s.contains("shown ")
    });
    let screen = t.text();
    let shown: usize = screen
        .split("shown ")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no shown count:\n{screen}"));
    assert!(
        shown >= 3,
        "the two copies and the hostile report:\n{screen}"
    );
    t.send("\r");
    t.wait_until("the list", |s| s.contains("Enter open"));
    for _ in 0..shown {
        t.send("\r");
        t.wait_until("the report", |s| s.contains("[Overview]"));
        t.send("q");
        t.wait_until("the list", |s| s.contains("Enter open"));
        t.send("j");
    }
    t.send("q");
    let status = t.wait_exit();
    assert!(
        status.contains("Exited") && status.contains(", 0)"),
        "{status}"
    );
    let s = t.parser.screen();
    assert!(!s.alternate_screen(), "still on the alternate screen");
    assert!(!s.hide_cursor(), "cursor still hidden");
    assert!(
        !s.title().contains("PWNED"),
        "window title set from report text"
    );

    // No sequence from report text or a file name went to the terminal.
    let raw = String::from_utf8_lossy(&t.raw);
    assert!(raw.contains("total"), "the pty output was captured");
    // (The file name's text may show, its escape may not.)
    for seq in [
        "\u{1b}]0;PWNED",
        "\u{1b}]52;c;UFdO",
        "\u{9b}31m",
        "\u{7}\r\u{8}",
    ] {
        assert!(!raw.contains(seq), "{seq:?} reached the terminal");
    }
    for marker in ["PWNED-TITLE", "UFdORUQtQ0xJUA=="] {
        assert!(!raw.contains(marker), "{marker} reached the terminal");
    }
    // The screen writes nothing outside its own state directory (follow-up store).
    for p in listing(&c.root).difference(&before) {
        assert!(
            p.starts_with("batch/.report-review") || p.starts_with(".config"),
            "written by the review screen: {}",
            p.display()
        );
    }
}

/// The review screen on 10,000 files that are not reports: loads them all as unreadable,
/// stays responsive, quits cleanly.
#[test]
fn review_screen_on_ten_thousand_non_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = tmp.path().join("many");
    std::fs::create_dir(&batch).unwrap();
    for i in 0..10_000 {
        let ext = ["txt", "json", "html", "jpg"][i % 4];
        std::fs::write(batch.join(format!("f{i:05}.{ext}")), b"hello\n").unwrap();
    }
    let mut cmd = Command::new(BIN);
    cmd.args(["--lang", "en", "many"])
        .current_dir(tmp.path())
        .env("TERM", "xterm-256color")
        .env("HOME", tmp.path())
        .env("XDG_CONFIG_HOME", tmp.path())
        .env_remove("TMUX");
    let mut t = Pty {
        session: expectrl::Session::spawn(cmd).expect("spawn in a pty"),
        parser: vt100::Parser::new(24, 80, 0),
        raw: Vec::new(),
        start: Instant::now(),
    };
    t.session.get_process_mut().set_window_size(80, 24).unwrap();
    t.wait_until("the batch loaded", |s| {
        s.contains("unreadable 7500") && s.contains("total 7500") && !s.contains("loading")
    });
    // Jump to the end of the list and back: the screen keeps answering.
    t.send("G");
    t.send("g");
    t.send("q");
    let status = t.wait_exit();
    assert!(
        status.contains("Exited") && status.contains(", 0)"),
        "{status}"
    );
    assert!(!t.parser.screen().alternate_screen());
}

/// A pipe whose reading end is already closed: the first write fails with EPIPE.
#[cfg(unix)]
fn closed_pipe() -> Stdio {
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: both descriptors were just created and are owned here only.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(read);
    Stdio::from(write)
}

/// Every command that prints: to a closed pipe (`| head`) it ends quietly with status 0; to
/// a full device (`> /dev/full`) with a message and status 2; never a panic or a signal.
#[cfg(unix)]
#[test]
fn closed_pipes_and_full_devices_on_standard_output() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let batch = root.join("batch");
    std::fs::create_dir(&batch).unwrap();
    for name in ["pingtan_2019.txt", "pingtan_2020.txt"] {
        std::fs::copy(common::real_report(name), root.join(name)).unwrap();
    }
    let imported = run(
        &[
            "import",
            "pingtan_2019.txt",
            "pingtan_2020.txt",
            "--out",
            "batch",
        ],
        root,
    );
    assert_eq!(imported.code, 0, "{}", imported.stdout);
    let commands: Vec<Vec<&str>> = vec![
        vec![
            "compare",
            "batch/平潭综合实验区_2019.json",
            "batch/平潭综合实验区_2020.json",
        ],
        vec!["check", "--list-rules"],
        vec!["check", "batch"],
        vec!["import", "pingtan_2020.txt", "--out", "again"],
        vec!["followups", "batch", "export", "--out", "OUT", "--force"],
        vec!["followups", "batch", "list"],
        vec!["generate", "--out", "GEN", "--count", "3"],
    ];
    for (i, args) in commands.iter().enumerate() {
        for (how, code) in [("closed pipe", 0), ("/dev/full", 2)] {
            let fresh = |a: &&str| match *a {
                "OUT" => format!("export-{i}-{code}.csv"),
                "GEN" => format!("gen-{i}-{code}"),
                "again" => format!("again-{i}-{code}"),
                other => other.to_string(),
            };
            let args: Vec<String> = args.iter().map(fresh).collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let stdout = if code == 0 {
                closed_pipe()
            } else {
                Stdio::from(
                    std::fs::OpenOptions::new()
                        .write(true)
                        .open("/dev/full")
                        .unwrap(),
                )
            };
            let r = run_to(&args, root, Some(stdout));
            assert_eq!(r.code, code, "{args:?} to a {how}:\n{}", r.stderr);
            if code == 0 {
                assert!(
                    r.stderr.is_empty(),
                    "{args:?}: quiet on a closed pipe: {}",
                    r.stderr
                );
            } else {
                assert!(
                    r.stderr.contains("cannot write to standard output"),
                    "{args:?} to /dev/full: {}",
                    r.stderr
                );
            }
        }
    }
}

/// [`run`] with extra environment variables.
fn run_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Run {
    run_with(args, cwd, None, env)
}

/// Outputs aimed at links, FIFOs and directories; a 0-byte store; a hostile identity. Nothing
/// is written through a link or into a device, the empty store is left as it is, and the
/// recorded login is the process's, whatever `$USER` and the display name claim.
#[cfg(unix)]
#[test]
fn hostile_output_targets_empty_stores_and_identities() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("r.txt"), real_report("pingtan_2020.txt")).unwrap();
    let batch = root.join("batch");
    std::fs::create_dir(&batch).unwrap();
    let victim = root.join("victim.txt");
    std::fs::write(&victim, "VICTIM").unwrap();
    std::os::unix::fs::symlink(&victim, batch.join("平潭综合实验区_2020.json")).unwrap();
    let r = run(&["import", "r.txt", "--out", "batch", "--force"], root);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("symbolic link"), "{}", r.stdout);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "VICTIM");
    std::fs::remove_file(batch.join("平潭综合实验区_2020.json")).unwrap();
    let r = run(&["import", "r.txt", "--out", "batch"], root);
    assert_eq!(r.code, 0, "{}", r.stdout);

    // Export targets that are not regular files.
    std::os::unix::fs::symlink(&victim, root.join("link.csv")).unwrap();
    std::fs::create_dir(root.join("dir.csv")).unwrap();
    let fifo = root.join("fifo.csv");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for (target, why) in [
        ("link.csv", "symbolic link"),
        ("dir.csv", "directory"),
        ("fifo.csv", "FIFO"),
    ] {
        let r = run(
            &["followups", "batch", "export", "--out", target, "--force"],
            root,
        );
        assert_eq!(r.code, 1, "{target}: {}", r.stderr);
        assert!(r.stderr.contains(why), "{target}: {}", r.stderr);
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "VICTIM");

    // A 0-byte store is not read as an empty one, and stays 0 bytes.
    let empty = root.join("empty.sqlite");
    std::fs::write(&empty, "").unwrap();
    let r = run(
        &["followups", "batch", "--db", "empty.sqlite", "list"],
        root,
    );
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("empty file"), "{}", r.stderr);
    let r = run(&["check", "batch", "--db", "empty.sqlite"], root);
    assert!(r.stderr.contains("empty file"), "{}", r.stderr);
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
    // Reading creates no store (check above kept only its result cache there).
    let r = run(&["followups", "batch", "list"], root);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let state: Vec<_> = std::fs::read_dir(batch.join(".report-review"))
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(
        state
            .iter()
            .all(|n| n.to_string_lossy().starts_with("cache.sqlite")),
        "{state:?}"
    );

    // A hostile identity: `$USER` claims someone else, the display name carries escapes and
    // bidi controls.
    let r = run_env(
        &[
            "followups",
            "batch",
            "mark",
            "--report",
            "平潭综合实验区/2020",
            "--state",
            "open",
        ],
        root,
        &[
            ("USER", "mallory"),
            ("LOGNAME", "mallory"),
            (
                "REPORT_REVIEW_NAME",
                "\u{1b}]0;PWN\u{7}\u{202e}toor\u{2066}",
            ),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&["followups", "batch", "list", "--format", "json"], root);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_ne!(v[0]["os_user"], "mallory", "$USER was trusted");
    let r = run(
        &[
            "followups",
            "batch",
            "history",
            "平潭综合实验区/2020#report",
        ],
        root,
    );
    for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{2066}'] {
        assert!(!r.stdout.contains(bad), "{bad:?} in {:?}", r.stdout);
    }
    assert!(r.stdout.contains("toor"), "{}", r.stdout);
}
