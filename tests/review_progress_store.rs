//! Review progress in the follow-up store: 已阅 marks with who and when, taken back and kept
//! in the log; each auditor's place in the batch; stores of every older schema still read.

use report_review::review::store::{OpenOptions, APPLICATION_ID, SCHEMA_VERSION};
use report_review::review::{Identity, ItemRef, State, Store};

const KEY: &str = "余姚市三七市镇/2020";

fn zhang() -> Identity {
    Identity::from_parts("zhangsan", Some("张三"))
}

fn li() -> Identity {
    Identity::from_parts("lisi", Some("李四"))
}

#[test]
fn reviewed_marks_keep_who_and_when_and_taking_one_back_is_history() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("review.sqlite");
    let mut store = Store::open(&path).unwrap();
    assert!(store.reviews().unwrap().is_empty());
    let r = store.set_reviewed(KEY, true, &zhang()).unwrap();
    assert!(r.reviewed);
    assert_eq!(r.who(), "张三 (zhangsan)");
    assert!(r.at.starts_with("20") && r.at.ends_with('Z'), "{}", r.at);
    store
        .set_reviewed("平潭综合实验区/2020", true, &li())
        .unwrap();
    store.set_reviewed(KEY, false, &li()).unwrap();
    let now = store.reviews().unwrap();
    assert_eq!(now.len(), 2);
    let yuyao = now.iter().find(|r| r.report_key == KEY).unwrap();
    assert!(!yuyao.reviewed);
    assert_eq!(yuyao.os_user, "lisi");
    let history = store.review_history(KEY).unwrap();
    assert_eq!(
        history
            .iter()
            .map(|r| (r.reviewed, r.os_user.as_str()))
            .collect::<Vec<_>>(),
        vec![(true, "zhangsan"), (false, "lisi")]
    );
    assert_eq!(store.reviews_since(history[0].id).unwrap().len(), 2);
    drop(store);
    // The log cannot be rewritten.
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(conn.execute("DELETE FROM reviews", []).is_err());
    assert!(conn.execute("UPDATE reviews SET reviewed = 1", []).is_err());
}

#[test]
fn each_auditor_has_one_place_per_batch() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(&tmp.path().join("review.sqlite")).unwrap();
    assert_eq!(store.session(&zhang(), "/data/batch").unwrap(), None);
    store
        .save_session(&zhang(), "/data/batch", "{\"a\":1}")
        .unwrap();
    store
        .save_session(&li(), "/data/batch", "{\"b\":2}")
        .unwrap();
    store
        .save_session(&zhang(), "/data/batch", "{\"a\":3}")
        .unwrap();
    store
        .save_session(&zhang(), "/data/other", "{\"c\":4}")
        .unwrap();
    assert_eq!(
        store.session(&zhang(), "/data/batch").unwrap().as_deref(),
        Some("{\"a\":3}")
    );
    assert_eq!(
        store.session(&li(), "/data/batch").unwrap().as_deref(),
        Some("{\"b\":2}")
    );
    assert_eq!(
        store.session(&zhang(), "/data/other").unwrap().as_deref(),
        Some("{\"c\":4}")
    );
}

/// A store of schema version 1 (before `unmarked` and before review progress).
fn version_1_store(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
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

#[test]
fn older_stores_read_without_progress_and_gain_it_when_opened_for_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("review.sqlite");
    version_1_store(&path);
    // Read-only, it is not upgraded: its marks read, it has no progress yet.
    let ro = OpenOptions {
        read_only: true,
        create: false,
        ..OpenOptions::default()
    };
    let store = Store::open_with(&path, &ro).unwrap();
    let m = store.get(&ItemRef::report(KEY)).unwrap().unwrap();
    assert_eq!(m.state, State::Confirmed);
    assert!(store.reviews().unwrap().is_empty());
    assert!(store.review_history(KEY).unwrap().is_empty());
    assert_eq!(store.session(&zhang(), "b").unwrap(), None);
    drop(store);
    // Opened to write, it is upgraded through every version, the old mark kept.
    let mut store = Store::open(&path).unwrap();
    store.set_reviewed(KEY, true, &zhang()).unwrap();
    assert_eq!(store.reviews().unwrap().len(), 1);
    let m = store.get(&ItemRef::report(KEY)).unwrap().unwrap();
    assert_eq!((m.state, m.note.as_str()), (State::Confirmed, "待复核"));
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}
