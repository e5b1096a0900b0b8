//! The result cache beside a batch (`DIR/.report-review/cache.sqlite`): a second load of an
//! unchanged batch comes from it, with results identical to reading and checking every file;
//! a changed file, a changed rule configuration, another program build and a damaged or
//! foreign cache file each stop it from answering. Works on copies of the real reports of
//! tests/data/real (平潭 2019–2022 are four consecutive years: the cross-year rules run).

use report_review::batch::{self, cache::CACHE_FILE, Batch, LoadOptions, STATE_DIR};
use report_review::check::Config;
use report_review::cli::check::{render, Format};
use report_review::i18n::Lang;
use std::path::{Path, PathBuf};
use std::process::Command;

const REPORTS: [&str; 8] = [
    "huaian_hongzequ_2023.txt",
    "huaian_hongzequ_2024.txt",
    "huaian_shi_2024.txt",
    "pingtan_2019.txt",
    "pingtan_2020.txt",
    "pingtan_2021.txt",
    "pingtan_2022.txt",
    "sanqishizhen_2020.txt",
];

/// A temp copy of the real reports, with timestamps well in the past (as an archive has):
/// files written within the last moments are verified by hash, not by their stamp.
fn batch_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real");
    for name in REPORTS {
        let to = dir.path().join(name);
        std::fs::copy(src.join(name), &to).unwrap();
        age(&to);
    }
    dir
}

fn age(path: &Path) {
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(old).unwrap();
}

fn opts(cache: bool) -> LoadOptions {
    LoadOptions {
        lang: Lang::Zh,
        cache,
        program: "report-review test build 1".into(),
        ..Default::default()
    }
}

fn load(dir: &Path, opts: &LoadOptions) -> Batch {
    batch::load(dir, opts, &|_| {})
}

/// What `check --format json` prints for the batch.
fn json(batch: &Batch) -> String {
    render(batch, Format::Json, Lang::Zh)
}

fn cache_file(dir: &Path) -> PathBuf {
    dir.join(STATE_DIR).join(CACHE_FILE)
}

/// Replace the first `from` on line `line` (1-based) with `to`, same length, keeping the
/// file's modification time: only its bytes (and change time) tell it changed.
fn edit_keeping_mtime(path: &Path, line: usize, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let mtime = std::fs::metadata(path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
    assert!(
        lines[line - 1].contains(from),
        "line {line}: {}",
        lines[line - 1]
    );
    lines[line - 1] = lines[line - 1].replacen(from, to, 1);
    std::fs::write(path, lines.join("\n")).unwrap();
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(mtime).unwrap();
    assert_eq!(std::fs::metadata(path).unwrap().len() as usize, text.len());
}

#[test]
fn second_load_comes_from_the_cache_with_the_same_results() {
    let dir = batch_copy();
    let uncached = load(dir.path(), &opts(false));
    assert_eq!(uncached.len(), REPORTS.len());
    assert!(
        uncached.result.pairs.len() >= 3,
        "平潭 2019–2022 pair: {:?}",
        uncached.result.pairs
    );
    assert!(!cache_file(dir.path()).exists(), "no cache without asking");

    let cold = load(dir.path(), &opts(true));
    assert_eq!(cold.from_cache, 0);
    assert!(cold.notices.is_empty(), "{:?}", cold.notices);
    assert!(cache_file(dir.path()).is_file());
    assert_eq!(cold.pairs_from_cache, 0);
    let warm = load(dir.path(), &opts(true));
    assert_eq!(warm.from_cache, REPORTS.len(), "{:?}", warm.notices);
    // The cross-year rules are not run again either: every pair comes from the cache.
    assert_eq!(warm.result.pairs, uncached.result.pairs);
    assert_eq!(warm.pairs_from_cache, warm.result.pairs.len());
    assert_eq!(json(&cold), json(&uncached));
    assert_eq!(json(&warm), json(&uncached));
    // The digests of the operands (what a follow-up mark compares) survive the cache too.
    let digests = |b: &Batch| -> Vec<Option<String>> {
        b.result
            .reports
            .iter()
            .flat_map(|r| r.findings.iter().map(|f| f.operands.clone()))
            .collect()
    };
    assert_eq!(digests(&warm), digests(&uncached));
    assert!(digests(&warm).iter().any(Option::is_some));
}

#[test]
fn check_prints_the_same_with_and_without_the_cache() {
    let dir = batch_copy();
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_report-review"))
            .args(["check", "--format", "json", "--lang", "zh"])
            .args(extra)
            .arg(dir.path())
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let none = run(&["--no-cache"]);
    assert!(
        !cache_file(dir.path()).exists(),
        "--no-cache writes no cache"
    );
    let cold = run(&[]);
    assert!(cache_file(dir.path()).is_file());
    let warm = run(&[]);
    assert!(none.1.contains("\"reports\": 8"), "{}", none.1);
    assert_eq!(cold, none);
    assert_eq!(warm, none);
}

#[test]
fn a_changed_file_is_read_and_checked_again() {
    let dir = batch_copy();
    load(dir.path(), &opts(true));
    // 平潭 2020, table 3 row 一 (本年新收), 自然人: 20 → 21, same size, same mtime.
    let changed = dir.path().join("pingtan_2020.txt");
    edit_keeping_mtime(&changed, 99, "20", "21");
    let warm = load(dir.path(), &opts(true));
    assert_eq!(warm.from_cache, REPORTS.len() - 1);
    // Its two pairs (2019 → 2020, 2020 → 2021) are checked again, the others not.
    let pairs = warm.result.pairs.len();
    assert!(pairs >= 3, "{:?}", warm.result.pairs);
    assert_eq!(warm.pairs_from_cache, pairs - 2);
    let fresh = load(dir.path(), &opts(false));
    assert_eq!(json(&warm), json(&fresh));
    let i = warm.entries.iter().position(|e| e.path == changed).unwrap();
    assert!(
        warm.result.reports[i]
            .findings
            .iter()
            .any(|f| f.location.starts_with("T3.R1.") || f.cells.iter().any(|c| c == "T3.R1.C1")),
        "the changed cell is checked: {:?}",
        warm.result.reports[i].findings
    );
    // Now cached with its new results.
    let again = load(dir.path(), &opts(true));
    assert_eq!(again.from_cache, REPORTS.len());
    assert_eq!(again.pairs_from_cache, pairs);
    assert_eq!(json(&again), json(&fresh));

    // Touched, not changed: the hash shows the same bytes, the cache answers.
    age(&dir.path().join("pingtan_2019.txt"));
    let touched = load(dir.path(), &opts(true));
    assert_eq!(touched.from_cache, REPORTS.len());
    assert_eq!(json(&touched), json(&fresh));

    // A file removed and one added.
    std::fs::remove_file(dir.path().join("huaian_shi_2024.txt")).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real");
    std::fs::copy(
        src.join("huaian_shi_2024.txt"),
        dir.path().join("huaian_shi_2024_copy.txt"),
    )
    .unwrap();
    let after = load(dir.path(), &opts(true));
    assert_eq!(after.from_cache, REPORTS.len() - 1);
    assert_eq!(json(&after), json(&load(dir.path(), &opts(false))));
}

#[test]
fn another_configuration_or_program_build_is_not_answered_from_the_cache() {
    let dir = batch_copy();
    load(dir.path(), &opts(true));
    let config = Config {
        dup_threshold: 0.2,
        ..Default::default()
    };
    let other_config = LoadOptions {
        config: config.clone(),
        ..opts(true)
    };
    let b = load(dir.path(), &other_config);
    assert_eq!(b.from_cache, 0);
    assert_eq!(
        b.pairs_from_cache, 0,
        "the pairs are checked with the new configuration"
    );
    let fresh = load(
        dir.path(),
        &LoadOptions {
            config,
            ..opts(false)
        },
    );
    assert_eq!(json(&b), json(&fresh));

    let other_build = LoadOptions {
        program: "report-review test build 2".into(),
        ..opts(true)
    };
    load(dir.path(), &opts(true));
    assert_eq!(load(dir.path(), &opts(true)).from_cache, REPORTS.len());
    let rebuilt = load(dir.path(), &other_build);
    assert_eq!((rebuilt.from_cache, rebuilt.pairs_from_cache), (0, 0));
    assert_eq!(load(dir.path(), &other_build).from_cache, REPORTS.len());

    let english = LoadOptions {
        lang: Lang::En,
        ..other_build
    };
    let en = load(dir.path(), &english);
    assert_eq!(en.from_cache, 0, "messages are in the language of the load");
    assert_eq!(
        render(&en, Format::Json, Lang::En),
        render(
            &load(
                dir.path(),
                &LoadOptions {
                    cache: false,
                    ..english
                }
            ),
            Format::Json,
            Lang::En
        )
    );
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored_with_a_notice() {
    let dir = batch_copy();
    let fresh = json(&load(dir.path(), &opts(false)));
    load(dir.path(), &opts(true));
    let file = cache_file(dir.path());
    // Damaged: the first 4 KB overwritten (the SQLite header and the first page).
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[..4096].fill(0x5a);
    std::fs::write(&file, &bytes).unwrap();
    let b = load(dir.path(), &opts(true));
    assert_eq!(b.from_cache, 0);
    assert!(
        b.notices
            .iter()
            .any(|n| n.contains("cache.sqlite") && n.contains("not used")),
        "{:?}",
        b.notices
    );
    assert_eq!(json(&b), fresh);
    assert_eq!(std::fs::read(&file).unwrap(), bytes, "never written");

    // Someone else's SQLite file under that name.
    std::fs::remove_file(&file).unwrap();
    let other = rusqlite::Connection::open(&file).unwrap();
    other
        .execute_batch("CREATE TABLE files (path TEXT, data BLOB);")
        .unwrap();
    drop(other);
    let b = load(dir.path(), &opts(true));
    assert_eq!(b.from_cache, 0);
    assert!(
        b.notices.iter().any(|n| n.contains("not a result cache")),
        "{:?}",
        b.notices
    );
    assert_eq!(json(&b), fresh);

    // A row whose stored results do not decode is read again from its file.
    std::fs::remove_file(&file).unwrap();
    load(dir.path(), &opts(true));
    let conn = rusqlite::Connection::open(&file).unwrap();
    conn.execute(
        "UPDATE files SET head = x'7b7d' WHERE path = 'pingtan_2021.txt'",
        [],
    )
    .unwrap();
    drop(conn);
    let b = load(dir.path(), &opts(true));
    assert_eq!(b.from_cache, REPORTS.len() - 1);
    assert_eq!(json(&b), fresh);
}

#[test]
fn damaged_pair_and_cross_year_rows_are_checked_again_from_the_files() {
    let dir = batch_copy();
    let fresh = load(dir.path(), &opts(false));
    load(dir.path(), &opts(true));
    let file = cache_file(dir.path());
    let pairs = fresh.result.pairs.len();
    let conn = rusqlite::Connection::open(&file).unwrap();
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM pairs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored as usize, pairs);
    // One pair's findings do not decode (a count no bytes follow), another's were checked
    // with other bytes of the earlier file.
    conn.execute(
        "UPDATE pairs SET findings = x'05000000' WHERE cur = 'pingtan_2021.txt'",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE pairs SET prev_sha = zeroblob(32) WHERE cur = 'pingtan_2022.txt'",
        [],
    )
    .unwrap();
    // Those pairs need the cross-year data of 平潭 2020–2022, answered by the cache: one
    // row does not decode, one is gone; they are read again from the files.
    conn.execute(
        "UPDATE cross_year SET data = x'00' WHERE path = 'pingtan_2020.txt'",
        [],
    )
    .unwrap();
    conn.execute("DELETE FROM cross_year WHERE path = 'pingtan_2022.txt'", [])
        .unwrap();
    drop(conn);
    let b = load(dir.path(), &opts(true));
    assert_eq!(b.from_cache, REPORTS.len());
    assert_eq!(b.pairs_from_cache, pairs - 2);
    assert_eq!(json(&b), json(&fresh));
    // Rewritten: the next load answers every pair.
    let again = load(dir.path(), &opts(true));
    assert_eq!(again.pairs_from_cache, pairs);
    assert_eq!(json(&again), json(&fresh));
}

#[test]
fn the_pairing_is_kept_for_an_unchanged_batch_and_computed_again_when_it_changes() {
    let dir = batch_copy();
    load(dir.path(), &opts(true));
    let file = cache_file(dir.path());
    let stored = |file: &Path| -> Vec<u8> {
        let conn = rusqlite::Connection::open(file).unwrap();
        conn.query_row("SELECT pairs FROM pairing", [], |r| r.get(0))
            .unwrap()
    };
    assert!(!stored(&file).is_empty());
    // 平潭 2020 gone: 2019 → 2020 and 2020 → 2021 are no pairs any more.
    std::fs::remove_file(dir.path().join("pingtan_2020.txt")).unwrap();
    let fresh = load(dir.path(), &opts(false));
    let b = load(dir.path(), &opts(true));
    assert_eq!(b.result.pairs, fresh.result.pairs);
    assert_eq!(json(&b), json(&fresh));
    // A stored pairing that does not decode, or names an entry the batch does not have, is
    // not used.
    let one_far_pair = "x'0100000000000000000000000000ffff0000000000000000000000000000000000'";
    for bad in ["x'01'", one_far_pair] {
        let conn = rusqlite::Connection::open(&file).unwrap();
        conn.execute(&format!("UPDATE pairing SET pairs = {bad}"), [])
            .unwrap();
        drop(conn);
        let b = load(dir.path(), &opts(true));
        assert_eq!(b.result.pairs, fresh.result.pairs, "{bad}");
        assert_eq!(json(&b), json(&fresh));
    }
}

#[test]
fn a_cache_of_the_earlier_layout_is_rebuilt() {
    let dir = batch_copy();
    let fresh = json(&load(dir.path(), &opts(false)));
    let file = cache_file(dir.path());
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    // Layout 2 as it was written: the same application id, one table of rows.
    let old = rusqlite::Connection::open(&file).unwrap();
    old.execute_batch(
        "PRAGMA application_id = 1381122865; PRAGMA user_version = 2;
         CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL,
             mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL,
             sha256 BLOB NOT NULL, data BLOB NOT NULL);
         INSERT INTO meta VALUES ('context', 'of another layout');",
    )
    .unwrap();
    drop(old);
    let b = load(dir.path(), &opts(true));
    assert!(b.notices.is_empty(), "{:?}", b.notices);
    assert_eq!(b.from_cache, 0);
    assert_eq!(json(&b), fresh);
    let warm = load(dir.path(), &opts(true));
    assert_eq!(warm.from_cache, REPORTS.len());
    assert_eq!(warm.pairs_from_cache, warm.result.pairs.len());
    assert_eq!(json(&warm), fresh);
}

#[test]
fn no_cache_where_it_cannot_be_kept_and_the_load_goes_on() {
    let dir = batch_copy();
    // The state directory cannot be created (a file is in its place).
    std::fs::write(dir.path().join(STATE_DIR), b"not a directory").unwrap();
    let b = load(dir.path(), &opts(true));
    assert_eq!(b.len(), REPORTS.len());
    assert!(
        b.notices.iter().any(|n| n.contains("result cache")),
        "{:?}",
        b.notices
    );
    assert_eq!(json(&b), json(&load(dir.path(), &opts(false))));
    // A single report file: no cache beside it.
    let one = dir.path().join("pingtan_2020.txt");
    let b = load(&one, &opts(true));
    assert_eq!(b.len(), 1);
    assert!(b.notices.is_empty(), "{:?}", b.notices);
}
