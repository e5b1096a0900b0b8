//! The follow-up store through its public API: events and derived state, reasons, history,
//! polling, locking, read-only and damaged files, and marks surviving a changed report.

use report_review::batch;
use report_review::check::{check_batch, Config};
use report_review::i18n::Lang;
use report_review::model::Report;
use report_review::review::store::{APPLICATION_ID, SCHEMA_VERSION};
use report_review::review::{
    apply_waivers, Drift, Filter, Identity, ItemRef, JournalMode, OpenOptions, Snapshot, State,
    Store, StoreError,
};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

const SAMPLE: &str = "sample_reports/余姚市三七市镇_2020.json";
const KEY: &str = "余姚市三七市镇/2020";

fn who() -> Identity {
    Identity::from_parts("auditor1", Some("张三"))
}

fn store_in(dir: &Path) -> (Store, PathBuf) {
    let path = dir.join("review.sqlite");
    (Store::open(&path).expect("open store"), path)
}

fn none() -> Snapshot {
    Snapshot::default()
}

#[test]
fn events_append_and_current_state_is_the_latest() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut store, _) = store_in(tmp.path());
    let cell = ItemRef::cell(KEY, "T3.R3_7.C1");
    let e1 = store
        .mark(&cell, State::Open, Some("值待核实"), &who(), &none())
        .unwrap();
    assert_eq!((e1.old_state, e1.new_state), (None, State::Open));
    let e2 = store
        .mark(
            &cell,
            State::Confirmed,
            None,
            &Identity::from_parts("auditor2", None),
            &none(),
        )
        .unwrap();
    assert_eq!(e2.old_state, Some(State::Open));
    assert_eq!(e2.note, "值待核实", "a mark without a note keeps the note");
    assert!(e2.id > e1.id);

    let marks = store.current(KEY).unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].state, State::Confirmed);
    assert_eq!(marks[0].os_user, "auditor2");
    assert_eq!(marks[0].item, cell);

    let hist = store.history(&cell.key()).unwrap();
    assert_eq!(hist.len(), 2);
    assert_eq!(hist[0].display_name.as_deref(), Some("张三"));
    assert_eq!(hist[0].os_user, "auditor1");
    assert!(hist[0].at.ends_with('Z') && hist[0].at.contains('T'));

    let other = ItemRef::section(KEY, "S5");
    store
        .set_note(&other, "第五部分过于简略", &who(), &none())
        .unwrap();
    let since = store.events_since(e2.id).unwrap();
    assert_eq!(since.len(), 1);
    assert_eq!(since[0].item, other);
    // A note alone is no follow-up: the item stays unmarked.
    assert_eq!(since[0].new_state, State::Unmarked);
    assert_eq!(since[0].note, "第五部分过于简略");
    assert_eq!(store.last_event_id().unwrap(), since[0].id);
    assert!(store.events_since(since[0].id).unwrap().is_empty());

    let open = store
        .all(&Filter {
            state: Some(State::Open),
            ..Filter::default()
        })
        .unwrap();
    assert!(open.iter().all(|m| m.item != other), "{open:?}");
    let noted = store
        .all(&Filter {
            state: Some(State::Unmarked),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(noted.len(), 1);
    assert_eq!(noted[0].item, other);
    // Follow-ups without a state asked for leave it out.
    assert!(store
        .all(&Filter::default())
        .unwrap()
        .iter()
        .all(|m| m.item != other));
    let by_reviewer = store
        .all(&Filter {
            reviewer: Some("auditor2".into()),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(by_reviewer.len(), 1);
}

#[test]
fn dismissing_needs_a_reason_and_cycle_follows_the_states() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut store, _) = store_in(tmp.path());
    let f = ItemRef::finding(KEY, "SEC-MISSING", "S6");
    assert!(matches!(
        store.mark(&f, State::Dismissed, Some("   "), &who(), &none()),
        Err(StoreError::ReasonRequired)
    ));
    // A note given earlier is not a reason for a later dismissal.
    store
        .mark(&f, State::Confirmed, Some("缺第六部分"), &who(), &none())
        .unwrap();
    assert!(matches!(
        store.mark(&f, State::Dismissed, None, &who(), &none()),
        Err(StoreError::ReasonRequired)
    ));
    assert!(matches!(
        store.cycle(&f, None, &who(), &none()),
        Err(StoreError::ReasonRequired)
    ));
    assert_eq!(
        store.history(&f.key()).unwrap().len(),
        1,
        "refusals write nothing"
    );
    let e = store
        .cycle(&f, Some("第六部分并入第五部分"), &who(), &none())
        .unwrap();
    assert_eq!(
        (e.old_state, e.new_state),
        (Some(State::Confirmed), State::Dismissed)
    );
    let e = store.cycle(&f, None, &who(), &none()).unwrap();
    assert_eq!(e.new_state, State::Resolved);
    let e = store.cycle(&f, None, &who(), &none()).unwrap();
    assert_eq!(e.new_state, State::Open);
    let fresh = ItemRef::report(KEY);
    assert_eq!(
        store
            .cycle(&fresh, None, &who(), &none())
            .unwrap()
            .new_state,
        State::Open
    );
}

#[test]
fn events_are_append_only_and_schema_is_versioned() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut store, path) = store_in(tmp.path());
    store
        .mark(&ItemRef::report(KEY), State::Open, None, &who(), &none())
        .unwrap();
    assert_eq!(store.journal_mode(), "wal");
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!((v, app), (SCHEMA_VERSION, APPLICATION_ID));
    assert!(conn.execute("DELETE FROM events", []).is_err());
    assert!(conn.execute("UPDATE events SET note = 'x'", []).is_err());
    // Re-opening an up-to-date store changes nothing.
    drop(conn);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.all(&Filter::default()).unwrap().len(), 1);
}

#[test]
fn newer_schema_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, path) = store_in(tmp.path());
    drop(store);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    assert!(err.to_string().contains("upgrade report-review"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn corrupt_or_foreign_files_give_a_clear_error_and_are_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let garbage = tmp.path().join("garbage.sqlite");
    let bytes: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&garbage, &bytes).unwrap();
    let err = Store::open(&garbage).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("garbage.sqlite") && msg.contains("left untouched"),
        "{msg}"
    );
    assert_eq!(std::fs::read(&garbage).unwrap(), bytes);

    // A valid store whose pages were damaged.
    let (mut store, damaged) = store_in(tmp.path());
    for i in 0..300 {
        let note = format!("说明 {i} {}", "x".repeat(200));
        store
            .mark(
                &ItemRef::cell(KEY, &format!("T3.R{i}.C1")),
                State::Open,
                Some(&note),
                &who(),
                &none(),
            )
            .unwrap();
    }
    drop(store);
    let mut data = std::fs::read(&damaged).unwrap();
    assert!(data.len() > 8 * 4096);
    for b in &mut data[2 * 4096..6 * 4096] {
        *b = 0xA5;
    }
    std::fs::write(&damaged, &data).unwrap();
    let err = Store::open(&damaged).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert_eq!(std::fs::read(&damaged).unwrap(), data);

    // Somebody else's SQLite database.
    let foreign = tmp.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&foreign).unwrap();
    let err = Store::open(&foreign).unwrap_err();
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
    assert_eq!(std::fs::read(&foreign).unwrap(), before);
}

#[test]
fn read_only_store_shows_marks_and_refuses_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut store, path) = store_in(tmp.path());
    store
        .mark(
            &ItemRef::report(KEY),
            State::Confirmed,
            Some("已核"),
            &who(),
            &none(),
        )
        .unwrap();
    drop(store);
    let opts = OpenOptions {
        read_only: true,
        ..OpenOptions::default()
    };
    let mut ro = Store::open_with(&path, &opts).unwrap();
    assert!(ro.is_read_only());
    assert_eq!(ro.current(KEY).unwrap().len(), 1);
    let err = ro
        .mark(&ItemRef::report(KEY), State::Open, None, &who(), &none())
        .unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }));
    assert!(err.to_string().contains("NOT saved"));
}

#[cfg(unix)]
#[test]
fn unwritable_store_opens_read_only_with_a_notice() {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: root can write any file");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (mut store, path) = store_in(tmp.path());
    store
        .mark(&ItemRef::report(KEY), State::Open, None, &who(), &none())
        .unwrap();
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let store = Store::open(&path).unwrap();
    assert!(store.is_read_only());
    assert!(store.notices().iter().any(|n| n.contains("read-only")));
    assert_eq!(store.all(&Filter::default()).unwrap().len(), 1);
}

#[test]
fn the_store_can_move_to_a_worker_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<Store>();
}

#[test]
fn rollback_journal_works_too() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("nfs.sqlite");
    let opts = OpenOptions {
        journal: JournalMode::Rollback,
        ..OpenOptions::default()
    };
    let mut store = Store::open_with(&path, &opts).unwrap();
    assert_eq!(store.journal_mode(), "rollback");
    store
        .mark(&ItemRef::report(KEY), State::Open, None, &who(), &none())
        .unwrap();
    assert_eq!(store.current(KEY).unwrap().len(), 1);
}

/// Another connection holds the write lock past the busy timeout: the mark waits, says so,
/// and is saved once the lock goes — never "database is locked".
#[test]
fn a_lock_held_beyond_the_busy_timeout_is_retried_not_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, path) = store_in(tmp.path());
    drop(store);
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();

    let opts = OpenOptions {
        busy_timeout: Duration::from_millis(50),
        lock_retries: 10_000,
        ..OpenOptions::default()
    };
    let (tx, rx) = mpsc::channel::<String>();
    let p = path.clone();
    let writer = std::thread::spawn(move || {
        let mut store = Store::open_with(&p, &opts)?;
        store.on_wait(move |msg| {
            let _ = tx.send(msg.to_string());
        });
        store.mark(
            &ItemRef::report(KEY),
            State::Confirmed,
            Some("锁后保存"),
            &who(),
            &none(),
        )
    });
    // Release only after the writer has reported that it is waiting.
    let msg = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("a wait message");
    assert!(
        msg.contains("locked by another program") && msg.contains("retrying"),
        "{msg}"
    );
    assert!(msg.contains("review.sqlite"), "{msg}");
    holder.execute_batch("ROLLBACK").unwrap();
    let event = writer
        .join()
        .unwrap()
        .expect("mark saved after the lock went");
    assert_eq!(event.new_state, State::Confirmed);
    drop(holder);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.all(&Filter::default()).unwrap().len(), 1);
}

#[test]
fn a_lock_that_never_goes_gives_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, path) = store_in(tmp.path());
    drop(store);
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let opts = OpenOptions {
        busy_timeout: Duration::from_millis(10),
        lock_retries: 2,
        ..OpenOptions::default()
    };
    // Opening reads the header, which the exclusive lock also blocks in rollback mode;
    // in WAL mode readers pass, so open succeeds and the write is refused.
    let result = Store::open_with(&path, &opts)
        .and_then(|mut s| s.mark(&ItemRef::report(KEY), State::Open, None, &who(), &none()));
    let err = result.unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("review.sqlite") && msg.contains("NOT saved"),
        "{msg}"
    );
    assert!(!msg.contains("database is locked"), "{msg}");
}

fn load_sample(dir: &Path, cell_value: &str) -> Report {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    let mut set = false;
    for row in v["table3"]["rows"].as_array_mut().unwrap() {
        for cell in row["cells"].as_array_mut().unwrap() {
            if cell["key"] == "T3.R1.C1" {
                cell["value"]["raw"] = cell_value.into();
                cell["value"]["number"] = cell_value.parse::<f64>().unwrap().into();
                set = true;
            }
        }
    }
    assert!(set);
    v["source"]["sha256"] = format!("sha-{cell_value}").into();
    let path = dir.join("余姚市三七市镇_2020.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    batch::load_json(&path).unwrap()
}

#[test]
fn marks_survive_a_changed_report_and_say_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let batch_dir = tmp.path().join("batch");
    std::fs::create_dir(&batch_dir).unwrap();
    let report = load_sample(&batch_dir, "21");
    assert_eq!(report.key(), KEY);
    let entries = batch::load_dir(&batch_dir);
    let result = check_batch(&entries, &Config::default(), Lang::En);
    let findings = &result.reports[0].findings;
    let finding = findings
        .iter()
        .find(|f| f.rule == "SEC-MISSING")
        .expect("the sample misses part six");

    let mut store = Store::open_for_batch(&batch_dir, None).unwrap();
    assert_eq!(
        store.path(),
        batch_dir.join(".report-review").join("review.sqlite")
    );
    let items = [
        ItemRef::cell(KEY, "T3.R1.C1"),
        ItemRef::cell(KEY, "T3.R2.C1"),
        ItemRef::section(KEY, "S5"),
        ItemRef::report(KEY),
        ItemRef::of_finding(KEY, finding),
    ];
    for item in &items {
        let snap = Snapshot::capture(item, Some(&report), findings);
        store
            .mark(item, State::Open, Some("核实"), &who(), &snap)
            .unwrap();
    }
    assert_eq!(
        store.current(KEY).unwrap()[0].snapshot.as_deref(),
        Some("21")
    );
    // Nothing changed yet: nothing flagged.
    for m in store.current(KEY).unwrap() {
        assert_eq!(m.drift(Some(&report), Some(findings)), None, "{}", m.key());
    }

    // Re-import with a changed cell, then re-check.
    drop(store);
    let changed = load_sample(&batch_dir, "27");
    let entries = batch::load_dir(&batch_dir);
    let result = check_batch(&entries, &Config::default(), Lang::En);
    let store = Store::open_for_batch(&batch_dir, None).unwrap();
    let marks = store.current(KEY).unwrap();
    assert_eq!(marks.len(), items.len(), "every mark kept");
    let drift = |item: &ItemRef| {
        let m = marks.iter().find(|m| m.item == *item).unwrap();
        m.drift(Some(&changed), Some(&result.reports[0].findings))
    };
    assert_eq!(
        drift(&items[0]),
        Some(Drift::ValueChanged {
            then: "21".into(),
            now: "27".into()
        })
    );
    assert_eq!(
        drift(&items[0]).unwrap().to_string(),
        "marked at 21, now 27"
    );
    assert_eq!(
        drift(&items[0]).unwrap().message(Lang::Zh),
        "标记时为 21，现为 27"
    );
    assert_eq!(drift(&items[1]), None, "an unchanged cell is not flagged");
    assert_eq!(
        drift(&items[2]),
        None,
        "an unchanged section is not flagged"
    );
    assert_eq!(drift(&items[3]), Some(Drift::ReportChanged));
    assert_eq!(
        drift(&items[4]),
        None,
        "the finding is still there, unchanged"
    );
    // A report gone from the batch.
    let gone = marks[0].drift(None, None);
    assert_eq!(gone, Some(Drift::ReportMissing));
}

#[test]
fn dismissed_errors_waive_the_status() {
    let tmp = tempfile::tempdir().unwrap();
    let batch_dir = tmp.path().join("batch");
    std::fs::create_dir(&batch_dir).unwrap();
    load_sample(&batch_dir, "0");
    let entries = batch::load_dir(&batch_dir);
    let raw = check_batch(&entries, &Config::default(), Lang::En);
    assert_eq!(raw.reports[0].status.as_str(), "fail");
    let mut store = Store::open_for_batch(&batch_dir, None).unwrap();
    let errors: Vec<_> = raw.reports[0]
        .findings
        .iter()
        .filter(|f| f.severity == report_review::check::Severity::Error)
        .collect();
    assert!(!errors.is_empty());
    for f in &errors {
        store
            .mark(
                &ItemRef::of_finding(KEY, f),
                State::Dismissed,
                Some("本镇无第六部分事项"),
                &who(),
                &none(),
            )
            .unwrap();
    }
    let marks = store.all(&Filter::default()).unwrap();
    let mut result = raw.clone();
    let waivers = apply_waivers(&entries, &mut result, &marks);
    assert_eq!(waivers[0].raw_status.as_str(), "fail");
    assert!(waivers[0].waived);
    assert_ne!(result.reports[0].status.as_str(), "fail");
    assert_eq!(waivers[0].dismissed.len(), errors.len());
    // Dismiss the rest too: passing, with the waiver sign.
    for f in &raw.reports[0].findings {
        store
            .mark(
                &ItemRef::of_finding(KEY, f),
                State::Dismissed,
                Some("已知"),
                &who(),
                &none(),
            )
            .unwrap();
    }
    let marks = store.all(&Filter::default()).unwrap();
    let mut result = raw.clone();
    let waivers = apply_waivers(&entries, &mut result, &marks);
    assert_eq!(result.reports[0].status.as_str(), "pass");
    assert!(waivers[0].waived);
    // Re-opening a dismissal removes the waiver.
    store
        .mark(
            &ItemRef::of_finding(KEY, errors[0]),
            State::Open,
            None,
            &who(),
            &none(),
        )
        .unwrap();
    let marks = store.all(&Filter::default()).unwrap();
    let mut result = raw.clone();
    let waivers = apply_waivers(&entries, &mut result, &marks);
    assert_eq!(result.reports[0].status.as_str(), "fail");
    assert!(!waivers[0].waived);
}

#[test]
fn finding_marks_compare_values_not_messages() {
    use report_review::check::{Finding, Outcome, Severity};
    let tmp = tempfile::tempdir().unwrap();
    let report = load_sample(tmp.path(), "0");
    let finding = |actual: Option<&str>, message: &str| Finding {
        rule: "T3-RES".into(),
        severity: Severity::Error,
        outcome: Outcome::Fail,
        location: "T3.R3_7.C1".into(),
        message: message.into(),
        expected: Some("26".into()),
        actual: actual.map(String::from),
        quote: None,
        line: None,
        cells: vec![],
        operands: None,
    };
    let item = ItemRef::finding(KEY, "T3-RES", "T3.R3_7.C1");
    let then = vec![finding(Some("20"), "(7) total: 20 ≠ 26")];
    let (mut store, _) = store_in(tmp.path());
    let snap = Snapshot::capture(&item, Some(&report), &then);
    assert_eq!(
        snap.value.as_deref(),
        Some("20 ≠ 26"),
        "both sides of the formula"
    );
    store
        .mark(&item, State::Confirmed, None, &who(), &snap)
        .unwrap();
    let mark = store.get(&item).unwrap().unwrap();
    // Same value, message in another language: unchanged.
    let zh = vec![finding(Some("20"), "（七）总计：20 ≠ 26")];
    assert_eq!(mark.drift(Some(&report), Some(&zh)), None);
    let changed = vec![finding(Some("21"), "x")];
    assert_eq!(
        mark.drift(Some(&report), Some(&changed))
            .unwrap()
            .to_string(),
        "marked at 20 ≠ 26, now 21 ≠ 26"
    );
    assert_eq!(
        mark.drift(Some(&report), Some(&[])),
        Some(Drift::FindingGone {
            then: "20 ≠ 26".into()
        })
    );
    assert_eq!(
        mark.drift(Some(&report), None),
        None,
        "not checked: not compared"
    );
}

/// A change names the state it expects to replace: when another reviewer changed the item
/// since, nothing is written and the error says who changed it to what, and when.
#[test]
fn a_change_from_a_stale_view_is_refused_and_names_the_colleague() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut mine, path) = store_in(tmp.path());
    let mut theirs = Store::open(&path).unwrap();
    let item = ItemRef::report(KEY);
    mine.mark_expecting(&item, Some(None), State::Open, None, &who(), &none())
        .unwrap();
    // I saw `open`; a colleague dismisses it meanwhile.
    let colleague = Identity::from_parts("colleague", None);
    theirs
        .mark(
            &item,
            State::Dismissed,
            Some("colleague waiver"),
            &colleague,
            &none(),
        )
        .unwrap();
    let err = mine
        .mark_expecting(
            &item,
            Some(Some(State::Open)),
            State::Confirmed,
            None,
            &who(),
            &none(),
        )
        .unwrap_err();
    let StoreError::Conflict { current, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(
        current.as_ref().map(|e| e.new_state),
        Some(State::Dismissed)
    );
    let msg = err.to_string();
    assert!(
        msg.contains("colleague") && msg.contains("dismissed"),
        "{msg}"
    );
    assert_eq!(
        mine.history(&item.key()).unwrap().len(),
        2,
        "nothing written"
    );
    // Expecting what is there now (the override after seeing the notice) goes through.
    let ev = mine
        .mark_expecting(
            &item,
            Some(Some(State::Dismissed)),
            State::Confirmed,
            None,
            &who(),
            &none(),
        )
        .unwrap();
    assert_eq!(ev.old_state, Some(State::Dismissed));
    // The same press twice from one stale view: the second is refused, not open → open.
    let cell = ItemRef::cell(KEY, "T3.R1.C1");
    mine.mark_expecting(&cell, Some(None), State::Open, None, &who(), &none())
        .unwrap();
    assert!(mine
        .mark_expecting(&cell, Some(None), State::Open, None, &who(), &none())
        .is_err());
    let states: Vec<_> = mine
        .history(&cell.key())
        .unwrap()
        .iter()
        .map(|e| (e.old_state, e.new_state))
        .collect();
    assert_eq!(states, [(None, State::Open)]);
}

/// A store moved aside or deleted while open is never written blind: the write is refused
/// with a notice that names what happened (the caller reopens).
#[test]
fn a_moved_or_deleted_store_is_not_written() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("review.sqlite");
    // Rollback journal: every committed event is in the file itself, so the moved file can
    // be read back on its own (a WAL would stay behind under the old name).
    let opts = OpenOptions {
        journal: JournalMode::Rollback,
        ..OpenOptions::default()
    };
    let mut store = Store::open_with(&path, &opts).unwrap();
    let item = ItemRef::report(KEY);
    store
        .mark(&item, State::Open, None, &who(), &none())
        .unwrap();
    let aside = tmp.path().join("review.sqlite.moved");
    std::fs::rename(&path, &aside).unwrap();
    let err = store
        .mark(&item, State::Confirmed, None, &who(), &none())
        .unwrap_err();
    assert!(matches!(err, StoreError::Replaced { .. }), "{err}");
    assert!(err.to_string().contains("moved"), "{err}");
    // A new store in its place: still refused (it is another file).
    let fresh = Store::open_with(&path, &opts).unwrap();
    let err = store
        .mark(&item, State::Confirmed, None, &who(), &none())
        .unwrap_err();
    assert!(matches!(err, StoreError::Replaced { .. }), "{err}");
    assert!(fresh.history(&item.key()).unwrap().is_empty());
    drop((store, fresh));
    let moved = Store::open(&aside).unwrap();
    assert_eq!(
        moved.history(&item.key()).unwrap().len(),
        1,
        "nothing written"
    );
}

/// A 0-byte file is not a store to read (an accidental `> review.sqlite`): refused and left
/// as it is. A store is created only where its directory exists.
#[test]
fn an_empty_file_is_refused_for_reading_and_no_directory_is_made() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("review.sqlite");
    std::fs::write(&path, "").unwrap();
    let opts = OpenOptions {
        create: false,
        ..OpenOptions::default()
    };
    let err = Store::open_with(&path, &opts).unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0, "left untouched");
    let nested = tmp.path().join("data/review.sqlite");
    let err = Store::open(&nested).unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
    assert!(!tmp.path().join("data").exists(), "no directory made");
}

/// Choosing states directly: each change is one event from the state before to the one
/// chosen (no dismissal on the way from 已确认 to 已整改), and a mark can be cleared.
#[test]
fn states_are_chosen_directly_and_a_mark_can_be_cleared() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut store, _) = store_in(tmp.path());
    let f = ItemRef::finding(KEY, "T3-RES", "T3.R3_7.C1");
    for (expected, to) in [
        (None, State::Confirmed),
        (Some(State::Confirmed), State::Resolved),
        (Some(State::Resolved), State::Unmarked),
    ] {
        store
            .mark_expecting(&f, Some(expected), to, None, &who(), &none())
            .unwrap();
    }
    let hist: Vec<(Option<State>, State)> = store
        .history(&f.key())
        .unwrap()
        .into_iter()
        .map(|e| (e.old_state, e.new_state))
        .collect();
    assert_eq!(
        hist,
        vec![
            (None, State::Confirmed),
            (Some(State::Confirmed), State::Resolved),
            (Some(State::Resolved), State::Unmarked),
        ]
    );
    // Cleared: no longer a follow-up, and the next change expects "unmarked".
    assert!(store.all(&Filter::default()).unwrap().is_empty());
    assert_eq!(store.get(&f).unwrap().unwrap().state, State::Unmarked);
    assert!(matches!(
        store.mark_expecting(&f, Some(None), State::Open, None, &who(), &none()),
        Err(StoreError::Conflict { .. })
    ));
    store
        .mark_expecting(
            &f,
            Some(Some(State::Unmarked)),
            State::Open,
            None,
            &who(),
            &none(),
        )
        .unwrap();
    assert_eq!(store.all(&Filter::default()).unwrap().len(), 1);
}

/// A store written by the previous schema (version 1) is upgraded in place on first open
/// for writing, every event kept, and then takes the `unmarked` state.
#[test]
fn a_version_1_store_is_upgraded_with_its_events() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("review.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE events (
                id INTEGER PRIMARY KEY AUTOINCREMENT, item_key TEXT NOT NULL,
                report_key TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('report','finding','cell','section')),
                target TEXT NOT NULL, at TEXT NOT NULL, os_user TEXT NOT NULL, display_name TEXT,
                old_state TEXT CHECK (old_state IN ('open','confirmed','dismissed','resolved')),
                new_state TEXT NOT NULL CHECK (new_state IN ('open','confirmed','dismissed','resolved')),
                note TEXT NOT NULL DEFAULT '', snapshot TEXT, report_sha256 TEXT,
                CHECK (new_state <> 'dismissed' OR trim(note) <> ''));
            CREATE VIEW current_marks AS
                SELECT * FROM events WHERE id IN (SELECT max(id) FROM events GROUP BY item_key);
            CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, 'follow-up events are append-only'); END;
            CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
                BEGIN SELECT RAISE(ABORT, 'follow-up events are append-only'); END;
            INSERT INTO events (item_key, report_key, kind, target, at, os_user, new_state, note)
                VALUES ('余姚市三七市镇/2020#report', '余姚市三七市镇/2020', 'report', '',
                        '2026-11-20T08:00:00.000Z', 'auditor1', 'confirmed', '待复核');
            PRAGMA user_version = 1;",
        )
        .unwrap();
        conn.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))
            .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let r = ItemRef::report(KEY);
    let m = store.get(&r).unwrap().unwrap();
    assert_eq!((m.state, m.note.as_str()), (State::Confirmed, "待复核"));
    store
        .mark_expecting(
            &r,
            Some(Some(State::Confirmed)),
            State::Unmarked,
            None,
            &who(),
            &none(),
        )
        .unwrap();
    assert_eq!(store.history(&r.key()).unwrap().len(), 2);
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    assert!(conn.execute("DELETE FROM events", []).is_err());
}

#[test]
fn a_bulk_mark_is_one_transaction_with_exact_history() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut store, _) = store_in(tmp.path());
    let a = ItemRef::finding(KEY, "T3-RES", "T3.R3_7.C1");
    let b = ItemRef::finding(KEY, "T3-BAL", "T3.R3_7.C1");
    let c = ItemRef::finding(KEY, "T3-BOUND", "T3.R3_7.C1");
    store
        .mark(&b, State::Confirmed, None, &who(), &none())
        .unwrap();
    let before = store.last_event_id().unwrap();
    let items = vec![
        (a.clone(), Some(None), none()),
        (b.clone(), Some(Some(State::Confirmed)), none()),
        (c.clone(), Some(None), none()),
    ];
    let evs = store
        .mark_many(&items, State::Confirmed, None, &who())
        .unwrap();
    // b was confirmed already: no event for it, so its history says nothing happened.
    let keys: Vec<ItemRef> = evs.iter().map(|e| e.item.clone()).collect();
    assert_eq!(keys, vec![a.clone(), c.clone()]);
    assert!(evs
        .iter()
        .all(|e| e.old_state.is_none() && e.new_state == State::Confirmed));
    assert_eq!(store.events_since(before).unwrap().len(), 2);
    assert_eq!(store.history(&b.key()).unwrap().len(), 1);

    // A colleague changes c; a bulk change that saw c as confirmed writes nothing at all.
    store
        .mark(
            &c,
            State::Resolved,
            None,
            &Identity::from_parts("auditor2", None),
            &none(),
        )
        .unwrap();
    let last = store.last_event_id().unwrap();
    let items = vec![
        (a.clone(), Some(Some(State::Confirmed)), none()),
        (c.clone(), Some(Some(State::Confirmed)), none()),
    ];
    match store.mark_many(&items, State::Open, None, &who()) {
        Err(StoreError::Conflict { current, .. }) => {
            let cur = current.expect("the colleague's event");
            assert_eq!(
                (cur.os_user.as_str(), cur.new_state),
                ("auditor2", State::Resolved)
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(store.last_event_id().unwrap(), last, "nothing written");
    assert_eq!(store.get(&a).unwrap().unwrap().state, State::Confirmed);

    // Dismissing in bulk needs the reason, given once for all.
    let items = vec![(a.clone(), None, none()), (c.clone(), None, none())];
    assert!(matches!(
        store.mark_many(&items, State::Dismissed, Some("  "), &who()),
        Err(StoreError::ReasonRequired)
    ));
    assert_eq!(store.last_event_id().unwrap(), last, "nothing written");
    let evs = store
        .mark_many(&items, State::Dismissed, Some("同一笔误"), &who())
        .unwrap();
    assert_eq!(evs.len(), 2);
    assert!(evs.iter().all(|e| e.note == "同一笔误"));
}
