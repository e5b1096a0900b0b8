//! `report-review followups` as reviewers and scripts use it: concurrent writers lose nothing,
//! a killed process loses nothing, fallbacks and errors are clear.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const SAMPLE: &str = "sample_reports/余姚市三七市镇_2020.json";
const KEY: &str = "余姚市三七市镇/2020";

struct Batch {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    xdg: PathBuf,
}

fn batch() -> Batch {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("batch");
    let xdg = tmp.path().join("xdg");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&xdg).unwrap();
    std::fs::copy(SAMPLE, dir.join("余姚市三七市镇_2020.json")).unwrap();
    Batch {
        _tmp: tmp,
        dir,
        xdg,
    }
}

fn cmd(b: &Batch) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_report-review"));
    c.env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("REPORT_REVIEW_NAME")
        .env_remove("REPORT_REVIEW_JOURNAL")
        .env("XDG_DATA_HOME", &b.xdg)
        .arg("followups")
        .arg(&b.dir);
    c
}

fn run(b: &Batch, args: &[&str]) -> Output {
    cmd(b).args(args).output().expect("run report-review")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn db(b: &Batch) -> PathBuf {
    b.dir.join(".report-review").join("review.sqlite")
}

/// (id, note, old_state, new_state) of every event, in id order.
fn events(path: &Path) -> Vec<(i64, String, Option<String>, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, note, old_state, new_state FROM events ORDER BY id")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn event_ids(stdout: &str) -> Vec<i64> {
    stdout
        .lines()
        .filter_map(|l| l.rsplit_once("(event ")?.1.strip_suffix(')')?.parse().ok())
        .collect()
}

#[test]
fn two_processes_marking_at_once_lose_nothing() {
    two_writers(None, 200);
}

/// The same with the rollback journal used on network file systems.
#[test]
fn two_processes_marking_at_once_lose_nothing_without_wal() {
    two_writers(Some("rollback"), 100);
}

fn two_writers(journal: Option<&str>, n: usize) {
    let b = batch();
    let spawn = |state: &str, note: &str| -> Child {
        let mut c = cmd(&b);
        if let Some(j) = journal {
            c.env("REPORT_REVIEW_JOURNAL", j);
        }
        c.args([
            "mark", "--report", KEY, "--cell", "T3.R1.C1", "--state", state,
        ])
        .args(["--note", note, "--test-repeat", &n.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
    };
    // Both start before any store exists: they also race to create it.
    let a = spawn("open", "甲");
    let c = spawn("confirmed", "乙");
    let (a, c) = (a.wait_with_output().unwrap(), c.wait_with_output().unwrap());
    for out in [&a, &c] {
        let err = text(&out.stderr);
        assert!(out.status.success(), "exit {:?}: {err}", out.status);
        assert!(!err.to_lowercase().contains("database is locked"), "{err}");
    }
    let conn = rusqlite::Connection::open(db(&b)).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, if journal.is_some() { "delete" } else { "wal" });
    drop(conn);
    let evs = events(&db(&b));
    assert_eq!(evs.len(), 2 * n, "every mark stored");
    for who in ["甲", "乙"] {
        for i in 0..n {
            let note = format!("{who} #{i}");
            assert!(evs.iter().any(|e| e.1 == note), "missing {note}");
        }
    }
    // Printed ids are exactly the stored ones.
    let mut printed: Vec<i64> = event_ids(&text(&a.stdout));
    printed.extend(event_ids(&text(&c.stdout)));
    printed.sort();
    assert_eq!(printed, evs.iter().map(|e| e.0).collect::<Vec<_>>());
    // Each change saw the state the previous one left: writes were serialised.
    for w in evs.windows(2) {
        assert_eq!(w[1].2.as_deref(), Some(w[0].3.as_str()), "event {}", w[1].0);
    }
}

#[test]
fn many_short_lived_processes_in_loops_lose_nothing() {
    let b = batch();
    const PER_LOOP: usize = 15;
    let handles: Vec<_> = ["一", "二"]
        .into_iter()
        .map(|who| {
            let mut cmds: Vec<Command> = (0..PER_LOOP)
                .map(|i| {
                    let mut c = cmd(&b);
                    c.args(["mark", "--agency", "余姚市三七市镇", "--year", "2020"])
                        .args(["--section", "S5", "--state", "open", "--name", who])
                        .args(["--note", &format!("{who}-{i}")]);
                    c
                })
                .collect();
            std::thread::spawn(move || {
                cmds.iter_mut()
                    .map(|c| c.output().unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        for out in h.join().unwrap() {
            let err = text(&out.stderr);
            assert!(out.status.success(), "{err}");
            assert!(!err.to_lowercase().contains("database is locked"), "{err}");
        }
    }
    let evs = events(&db(&b));
    assert_eq!(evs.len(), 2 * PER_LOOP);
    let conn = rusqlite::Connection::open(db(&b)).unwrap();
    let users: i64 = conn
        .query_row(
            "SELECT count(*) FROM events WHERE os_user <> '' AND display_name IN ('一', '二')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(users as usize, 2 * PER_LOOP);
}

fn read_lines_until(
    child: &mut Child,
    want: usize,
) -> (Vec<String>, BufReader<std::process::ChildStdout>) {
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    while lines.len() < want {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        lines.push(line);
    }
    (lines, reader)
}

#[test]
fn sigkill_right_after_a_mark_loses_nothing() {
    let b = batch();
    let mut child = cmd(&b)
        .args([
            "mark",
            "--report",
            KEY,
            "--state",
            "confirmed",
            "--note",
            "核实后确认",
        ])
        .arg("--test-hold")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (lines, _reader) = read_lines_until(&mut child, 2);
    assert!(lines[0].starts_with("marked "), "{lines:?}");
    assert_eq!(lines[1].trim(), "holding");
    child.kill().unwrap(); // SIGKILL: the store was never closed
    child.wait().unwrap();
    let out = run(&b, &["list", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["state"], "confirmed");
    assert_eq!(v[0]["note"], "核实后确认");
}

#[test]
fn sigkill_in_the_middle_of_many_marks_loses_none_that_were_reported() {
    let b = batch();
    let mut child = cmd(&b)
        .args([
            "mark", "--report", KEY, "--cell", "T3.R2.C1", "--state", "open",
        ])
        .args(["--note", "n", "--test-repeat", "1000000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (mut lines, mut reader) = read_lines_until(&mut child, 40);
    child.kill().unwrap();
    child.wait().unwrap();
    // Lines already in the pipe were also reported as saved.
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut reader, &mut rest);
    lines.extend(rest.lines().map(String::from));
    let printed = event_ids(&lines.concat());
    assert!(printed.len() >= 40);
    let stored: Vec<i64> = events(&db(&b)).iter().map(|e| e.0).collect();
    for id in printed {
        assert!(
            stored.contains(&id),
            "event {id} was reported but is not stored"
        );
    }
}

#[test]
fn an_unwritable_batch_falls_back_to_the_data_directory_with_a_notice() {
    let b = batch();
    // `.report-review` cannot be created (a file is in the way) — as when DIR is read-only.
    std::fs::write(b.dir.join(".report-review"), "not a directory").unwrap();
    let out = run(&b, &["mark", "--report", KEY, "--state", "open"]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("cannot keep follow-ups beside the batch"),
        "{err}"
    );
    assert!(
        err.contains(&b.xdg.join("report-review").display().to_string()),
        "{err}"
    );
    // Later commands find the same store, and say where it is.
    let out = run(&b, &["list", "--format", "json"]);
    assert!(text(&out.stderr).contains("note:"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(
        std::fs::read_to_string(b.dir.join(".report-review")).unwrap(),
        "not a directory"
    );
    // The directory becomes usable and a store appears beside the batch: the mark in the
    // fallback store is not silently dropped from view — every command says it is there.
    // (A colleague who can write the batch directory makes the first mark there.)
    std::fs::remove_file(b.dir.join(".report-review")).unwrap();
    std::fs::create_dir(b.dir.join(".report-review")).unwrap();
    let beside = db(&b);
    let out = run(
        &b,
        &[
            "mark",
            "--db",
            beside.to_str().unwrap(),
            "--report",
            KEY,
            "--cell",
            "T3.R1.C1",
            "--state",
            "open",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(db(&b).exists());
    let out = run(&b, &["list"]);
    let err = text(&out.stderr);
    assert!(
        err.contains("holds 1 mark(s)") && err.contains("not counted"),
        "{err}"
    );
}

#[test]
fn db_option_overrides_the_location() {
    let b = batch();
    let custom = b.xdg.join("team").join("shared.sqlite");
    let custom_s = custom.to_str().unwrap();
    // A mistyped directory is an error, never created.
    let out = run(
        &b,
        &["mark", "--db", custom_s, "--report", KEY, "--state", "open"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("does not exist"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        !custom.parent().unwrap().exists(),
        "the directory was created"
    );
    std::fs::create_dir(custom.parent().unwrap()).unwrap();
    let out = run(
        &b,
        &["mark", "--db", custom_s, "--report", KEY, "--state", "open"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(custom.exists());
    assert!(!db(&b).exists());
    let out = run(&b, &["--db", custom_s, "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn script_errors_are_clear_and_exit_with_the_usual_codes() {
    let b = batch();
    let out = run(
        &b,
        &[
            "mark",
            "--report",
            KEY,
            "--rule",
            "SEC-MISSING",
            "--state",
            "dismissed",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("needs a reason"));
    let out = run(&b, &["mark", "--report", KEY, "--state", "closed"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&b, &["mark", "--report", "某局/2020", "--state", "open"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no report 某局/2020"));
    let out = run(
        &b,
        &[
            "mark", "--report", KEY, "--cell", "T9.X.C1", "--state", "open",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!db(&b).exists(), "failed marks create no store");

    // A damaged store: a clear error naming it, and the file left as it was.
    std::fs::create_dir_all(db(&b).parent().unwrap()).unwrap();
    std::fs::write(
        db(&b),
        b"this is not sqlite at all, but it is somebody's file",
    )
    .unwrap();
    for args in [
        vec!["mark", "--report", KEY, "--state", "open"],
        vec!["list"],
    ] {
        let out = run(&b, &args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("review.sqlite") && err.contains("left untouched"),
            "{err}"
        );
        assert!(!err.contains("panicked"));
    }
    assert_eq!(
        std::fs::read(db(&b)).unwrap(),
        b"this is not sqlite at all, but it is somebody's file"
    );
}

#[test]
fn dismissing_one_rule_for_one_agency_and_listing_by_rule() {
    let b = batch();
    let out = run(
        &b,
        &[
            "mark",
            "--agency",
            "余姚市三七市镇",
            "--rule",
            "SEC-MISSING",
        ]
        .into_iter()
        .chain([
            "--state",
            "已排除",
            "--note",
            "第六部分并入第五部分",
            "--name",
            "张三",
        ])
        .collect::<Vec<_>>(),
    );
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("#finding:SEC-MISSING@S6"), "{stdout}");
    let out = run(&b, &["list", "--rule", "SEC-MISSING", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["state"], "dismissed");
    assert_eq!(v[0]["display_name"], "张三");
    assert!(!v[0]["os_user"].as_str().unwrap().is_empty());
    let out = run(&b, &["list", "--rule", "T3-BAL"]);
    assert!(text(&out.stdout).contains("No follow-ups"));
    // --reviewer is the login, never a display name (anyone can choose one).
    let login = v[0]["os_user"].as_str().unwrap().to_string();
    let out = run(&b, &["list", "--reviewer", &login]);
    assert!(text(&out.stdout).contains("SEC-MISSING@S6"));
    let out = run(&b, &["list", "--reviewer", "张三"]);
    assert!(text(&out.stdout).contains("No follow-ups"));
    let out = run(&b, &["history", &format!("{KEY}#finding:SEC-MISSING@S6")]);
    assert!(text(&out.stdout).contains("已排除 dismissed"));
}

#[test]
fn recheck_after_a_changed_report_keeps_marks_and_flags_changed_ones() {
    let b = batch();
    let file = b.dir.join("余姚市三七市镇_2020.json");
    let set_cell = |raw: &str| {
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for row in v["table3"]["rows"].as_array_mut().unwrap() {
            for cell in row["cells"].as_array_mut().unwrap() {
                if cell["key"] == "T3.R1.C1" {
                    cell["value"]["raw"] = raw.into();
                    cell["value"]["number"] = raw.parse::<f64>().unwrap().into();
                }
            }
        }
        v["source"]["sha256"] = format!("changed-{raw}").into();
        std::fs::write(&file, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    };
    set_cell("21");
    for args in [
        vec![
            "mark", "--report", KEY, "--cell", "T3.R1.C1", "--state", "open",
        ],
        vec![
            "mark",
            "--report",
            KEY,
            "--cell",
            "T3.R2.C1",
            "--state",
            "confirmed",
        ],
        vec![
            "mark",
            "--report",
            KEY,
            "--section",
            "S5",
            "--state",
            "open",
        ],
        vec![
            "mark",
            "--report",
            KEY,
            "--rule",
            "SEC-MISSING",
            "--state",
            "confirmed",
        ],
    ] {
        let out = run(&b, &args);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    set_cell("27");
    let out = run(&b, &["list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let marks = v.as_array().unwrap();
    assert_eq!(marks.len(), 4, "every mark kept");
    let change = |place: &str| {
        marks
            .iter()
            .find(|m| m["place"] == place)
            .unwrap_or_else(|| panic!("{place} in {marks:?}"))["change"]
            .clone()
    };
    assert_eq!(change("T3.R1.C1"), "marked at 21, now 27");
    assert_eq!(change("T3.R2.C1"), serde_json::Value::Null);
    assert_eq!(change("S5"), serde_json::Value::Null);
    assert_eq!(change("SEC-MISSING@S6"), serde_json::Value::Null);
    let out = cmd(&b)
        .env("LANG", "zh_CN.UTF-8")
        .arg("list")
        .output()
        .unwrap();
    assert!(
        text(&out.stdout).contains("标记时为 21，现为 27"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn check_counts_waivers_unless_told_to_ignore_them() {
    let b = batch();
    let check = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_report-review"))
            .env("LANG", "C")
            .env("XDG_DATA_HOME", &b.xdg)
            .arg("check")
            .arg(&b.dir)
            .args(extra)
            .output()
            .unwrap()
    };
    let before = check(&[]);
    assert_eq!(before.status.code(), Some(1), "the sample fails");
    assert!(!db(&b).exists(), "check never creates a store");
    let out = run(
        &b,
        &[
            "mark",
            "--report",
            KEY,
            "--rule",
            "SEC-MISSING",
            "--state",
            "dismissed",
        ]
        .into_iter()
        .chain(["--note", "第六部分并入第五部分"])
        .collect::<Vec<_>>(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    let waived = check(&[]);
    let stdout = text(&waived.stdout);
    assert_eq!(waived.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("waived") && stdout.contains("*] "),
        "{stdout}"
    );
    assert!(stdout.contains("raw fail"), "{stdout}");
    let json = check(&["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["reports"][0]["raw_status"], "fail");
    assert_eq!(v["reports"][0]["waived"], true);
    assert_ne!(v["reports"][0]["status"], "fail");
    assert_eq!(v["reports"][0]["dismissed"][0], "SEC-MISSING@S6");

    let raw = check(&["--ignore-waivers"]);
    assert_eq!(raw.status.code(), Some(1));
    assert!(!text(&raw.stdout).contains("waived"));
}

#[cfg(unix)]
#[test]
fn a_store_in_a_group_writable_batch_is_group_writable() {
    use std::os::unix::fs::PermissionsExt;
    let b = batch();
    std::fs::set_permissions(&b.dir, std::fs::Permissions::from_mode(0o2775)).unwrap();
    let out = run(&b, &["mark", "--report", KEY, "--state", "open"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
    let state_dir = b.dir.join(".report-review");
    assert_eq!(mode(&state_dir) & 0o2070, 0o2070, "{:o}", mode(&state_dir));
    assert_eq!(mode(&db(&b)) & 0o060, 0o060, "{:o}", mode(&db(&b)));
}

#[test]
fn a_db_that_does_not_exist_is_an_error_for_reading_commands() {
    let b = batch();
    let missing = b.xdg.join("nope.sqlite");
    let out = run(&b, &["--db", missing.to_str().unwrap(), "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("nope.sqlite does not exist"));
    assert!(!missing.exists());
}

/// Another program holds the write lock past the 5 s busy timeout: `mark` says it is waiting,
/// retries, and saves the mark once the lock goes.
#[test]
fn mark_waits_out_a_long_lock_with_a_message() {
    let b = batch();
    let out = run(&b, &["mark", "--report", KEY, "--state", "open"]);
    assert!(out.status.success());
    let holder = rusqlite::Connection::open(db(&b)).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let mut child = cmd(&b)
        .args([
            "mark",
            "--report",
            KEY,
            "--state",
            "confirmed",
            "--note",
            "等锁",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(
        line.contains("locked by another program") && line.contains("retrying"),
        "{line}"
    );
    assert!(line.contains("review.sqlite"), "{line}");
    holder.execute_batch("ROLLBACK").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("→ 已确认 confirmed"));
    let evs = events(&db(&b));
    assert_eq!(evs.last().unwrap().3, "confirmed");
    assert_eq!(evs.last().unwrap().1, "等锁");
}

/// `--rule` without a location marks every current finding of the rule — cross-year ones too,
/// which need the agency's previous year in the check.
#[test]
fn rule_marks_cover_every_finding_including_cross_year_ones() {
    let b = batch();
    for year in [2019, 2020] {
        let name = format!("平潭综合实验区_{year}.json");
        std::fs::copy(format!("sample_reports/{name}"), b.dir.join(&name)).unwrap();
    }
    let mark = |rule: &str| {
        run(
            &b,
            &[
                "mark",
                "--agency",
                "平潭综合实验区",
                "--year",
                "2020",
                "--rule",
                rule,
            ]
            .into_iter()
            .chain(["--state", "confirmed"])
            .collect::<Vec<_>>(),
        )
    };
    let out = mark("T3-RES");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("finding:T3-RES@T3.R3_7.C1"), "{stdout}");
    assert!(stdout.contains("finding:T3-RES@T3.R3_7.C7"), "{stdout}");
    let out = mark("X-PUBTOTAL-19");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("平潭综合实验区/2020#finding:X-PUBTOTAL-19@"));
    let out = mark("X-SWING");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("nothing marked"));
    assert_eq!(events(&db(&b)).len(), 3);
}

/// A waiver covers the error as it was: when a re-import changes the other side of the
/// formula (here 500 more applications, `20 ≠ 26` becomes `20 ≠ 526`), the waiver lapses —
/// `check` fails the report again — and the list says what changed.
#[test]
fn a_waiver_lapses_when_the_waived_error_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let raw = tmp.path().join("pingtan_2020.txt");
    let text_now = common::real_text("pingtan_2020.txt");
    std::fs::write(&raw, &text_now).unwrap();
    let b = Batch {
        dir: tmp.path().join("b"),
        xdg: tmp.path().join("xdg"),
        _tmp: tmp,
    };
    let bin = || Command::new(env!("CARGO_BIN_EXE_report-review"));
    let import = |force: bool| {
        let mut c = bin();
        c.arg("import").arg(&raw).arg("--out").arg(&b.dir);
        if force {
            c.arg("--force");
        }
        let out = c.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stdout));
    };
    let check = || {
        bin()
            .env("LANG", "C")
            .env("XDG_DATA_HOME", &b.xdg)
            .arg("check")
            .arg(&b.dir)
            .output()
            .unwrap()
    };
    import(false);
    let key = "平潭综合实验区/2020";
    let out = run(
        &b,
        &[
            "mark",
            "--report",
            key,
            "--rule",
            "T3-RES",
            "--state",
            "dismissed",
            "--note",
            "waived",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(check().status.code(), Some(0), "waived while unchanged");
    // Table 3, rows (一) and (七) of the natural-person column: 500 more applications.
    let lines: Vec<String> = text_now
        .lines()
        .enumerate()
        .map(|(i, l)| match i + 1 {
            118 => "\t506".to_string(),
            124 => "\t507".to_string(),
            _ => l.to_string(),
        })
        .collect();
    std::fs::write(&raw, lines.join("\n") + "\n").unwrap();
    import(true);
    let out = check();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "the waiver lapsed:\n{stdout}");
    assert!(stdout.contains("20 ≠ 526"), "{stdout}");
    let out = run(&b, &["list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c1 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["place"] == "T3-RES@T3.R3_7.C1")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(c1["change"], "marked at 20 ≠ 26, now 20 ≠ 526");
}

/// Names and notes carry no bidi or invisible characters to the terminal (`history` too);
/// `--reviewer` filters by login only; a long display name never hides the login.
#[test]
fn identity_is_the_login_and_names_cannot_disguise_it() {
    let b = batch();
    let out = run(
        &b,
        &[
            "mark",
            "--report",
            KEY,
            "--state",
            "open",
            "--name",
            "\u{202e}nimda\u{2066}",
            "--note",
            "a\u{2067}b\u{200f}c",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(&b, &["list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let login = v[0]["os_user"].as_str().unwrap().to_string();
    let out = run(&b, &["history", &format!("{KEY}#report")]);
    let shown = text(&out.stdout);
    let hidden = ['\u{202e}', '\u{2066}', '\u{2067}', '\u{200f}'];
    assert!(!shown.contains(hidden), "{shown:?}");
    assert!(shown.contains("nimda"), "{shown}");
    // A display name that looks like someone else's login: filtering by that login finds
    // nothing, and the list still shows the real login.
    let out = run(
        &b,
        &[
            "mark",
            "--report",
            KEY,
            "--cell",
            "T3.R1.C1",
            "--state",
            "open",
            "--name",
            "zhangsan (zhangsan)       long",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(
        &b,
        &["list", "--reviewer", "zhangsan (zhangsan)       long"],
    );
    assert!(
        text(&out.stdout).contains("No follow-ups"),
        "{}",
        text(&out.stdout)
    );
    let out = run(&b, &["list", "--reviewer", &login]);
    let table = text(&out.stdout);
    let row = table
        .lines()
        .find(|l| l.contains("T3.R1.C1"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains(&login), "the login is cut off: {row}");
}

/// A reader that cannot create the `-shm` file (no write access to the directory) still sees
/// the marks committed to the write-ahead log of a writer that was killed: they are read from
/// a private copy, with a notice — never silently "No follow-ups".
#[cfg(unix)]
#[test]
fn a_reader_without_shm_still_reads_the_write_ahead_log() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let b = batch();
    let mut child = cmd(&b)
        .args([
            "mark",
            "--report",
            KEY,
            "--state",
            "confirmed",
            "--note",
            "in the WAL",
        ])
        .arg("--test-hold")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (lines, _reader) = read_lines_until(&mut child, 2);
    assert_eq!(lines.get(1).map(|l| l.trim()), Some("holding"), "{lines:?}");
    child.kill().unwrap();
    child.wait().unwrap();
    let state = b.dir.join(".report-review");
    let wal = state.join("review.sqlite-wal");
    assert!(
        std::fs::metadata(&wal).unwrap().len() > 0,
        "the mark is in the WAL"
    );
    std::fs::remove_file(state.join("review.sqlite-shm")).unwrap();
    // Everyone may read; nobody but the owner may write the directory.
    let mut dir = b.dir.clone();
    while dir.pop() && dir != std::env::temp_dir() {
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755));
    }
    std::fs::set_permissions(&b.dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o555)).unwrap();
    let mut reader = cmd(&b);
    reader.args(["list", "--format", "json"]);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        reader.pre_exec(|| {
            // As root the directory's mode does not bind: read as `nobody`.
            if libc::geteuid() == 0 && (libc::setgid(65534) != 0 || libc::setuid(65534) != 0) {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = reader.output().unwrap();
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{v} / {err}");
    assert_eq!(v[0]["note"], "in the WAL");
    assert!(err.contains("private copy"), "{err}");
}

/// `mark --expect STATE`: a script's change made only over the state it saw; a colleague's
/// change in between is reported with who and what, and nothing is written.
#[test]
fn mark_expect_is_a_compare_and_set() {
    let b = batch();
    let mark = |args: &[&str]| {
        let mut all = vec!["mark", "--report", KEY];
        all.extend_from_slice(args);
        run(&b, &all)
    };
    let out = mark(&["--state", "open", "--expect", "none"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = mark(&[
        "--state",
        "dismissed",
        "--note",
        "colleague waiver",
        "--name",
        "colleague",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = mark(&["--state", "confirmed", "--expect", "open"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("colleague") && err.contains("dismissed") && err.contains("NOT saved"),
        "{err}"
    );
    assert_eq!(events(&db(&b)).len(), 2, "nothing written");
    let out = mark(&["--state", "confirmed", "--expect", "dismissed"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}
