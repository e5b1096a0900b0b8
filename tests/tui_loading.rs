//! The screen loaded as `report-review DIR` loads it: the batch loader with the result cache,
//! each report's identity and findings resident, a report read from its file when opened.

mod common;

use report_review::batch::{cache::CACHE_FILE, LoadOptions, STATE_DIR};
use report_review::check::Status;
use report_review::i18n::Lang;
use report_review::tui::action::Action;
use report_review::tui::keymap::Keymap;
use report_review::tui::loader;
use report_review::tui::state::{State, Tab};
use report_review::tui::theme::Theme;
use std::path::Path;

/// The screen's state after the loader ran on `dir` (as the event loop applies its messages).
fn load(dir: &Path, cache: bool) -> State {
    let mut state = State::new("test", Lang::En, Keymap::default(), Theme::mono());
    state.update(Action::Resize(120, 40));
    let (tx, rx) = std::sync::mpsc::channel();
    let opts = LoadOptions {
        lang: Lang::En,
        cache,
        ..Default::default()
    };
    loader::load(dir, &opts, tx);
    state.apply_all(rx.try_iter().collect());
    assert!(state.loading.finished);
    state
}

fn statuses(s: &State) -> Vec<(String, Status, usize)> {
    let mut v: Vec<_> = s
        .items
        .iter()
        .map(|i| (i.file.clone(), i.status, i.findings.len()))
        .collect();
    v.sort();
    v
}

fn open(s: &mut State, file: &str) {
    let id = s.items.iter().find(|i| i.file == file).expect("item").id;
    s.selected = Some(id);
    s.update(Action::Open);
}

#[test]
fn the_list_keeps_identities_and_a_report_is_read_when_opened() {
    let batch = common::temp_copy_of_samples();
    let mut s = load(batch.path(), false);
    assert_eq!(s.items.len(), 8);
    for item in s.items.iter().filter(|i| i.report.is_some()) {
        let r = item.report.as_deref().unwrap();
        assert!(item.full.is_none(), "{}", item.file);
        assert!(r.sections.is_empty() && r.table3.is_none(), "{}", item.file);
        assert!(!r.agency.is_empty() && r.year.is_some(), "{}", item.file);
    }
    assert!(s.opened.is_empty());
    open(&mut s, "平潭综合实验区_2020.json");
    let v = s.report_view().expect("report open");
    let r = v.report.as_deref().expect("read from its file");
    // 平潭综合实验区 2020, table 3: （七）总计 for natural persons is printed as 20.
    assert_eq!(r.cell("T3.R3_7.C1").unwrap().raw, "20");
    assert!(r.sections.len() >= 6);
    assert_eq!(s.opened.len(), 1);
    // Prose and tables are there to show.
    s.update(Action::NextTab);
    assert_eq!(s.report_view().unwrap().tab, Tab::Prose);
}

#[test]
fn a_report_gone_since_the_load_is_said_not_shown_stale() {
    let batch = common::temp_copy_of_samples();
    let mut s = load(batch.path(), false);
    std::fs::remove_file(batch.path().join("平潭综合实验区_2020.json")).unwrap();
    open(&mut s, "平潭综合实验区_2020.json");
    let v = s
        .report_view()
        .expect("the report screen opens on its findings");
    assert!(v.report.is_none());
    let notice = s.notice.clone().unwrap_or_default();
    assert!(notice.contains("平潭综合实验区_2020.json"), "{notice}");
    // Only the overview: no prose or table without the file.
    s.update(Action::NextTab);
    assert_eq!(s.report_view().unwrap().tab, Tab::Overview);
}

#[test]
fn the_screen_reopens_an_unchanged_batch_from_the_cache_with_the_same_statuses() {
    let batch = common::temp_copy_of_samples();
    let fresh = load(batch.path(), true);
    assert!(batch.path().join(STATE_DIR).join(CACHE_FILE).exists());
    let warm = load(batch.path(), true);
    assert_eq!(statuses(&fresh), statuses(&warm));
    let without = load(batch.path(), false);
    assert_eq!(statuses(&without), statuses(&warm));
    // Cross-year findings too: 三七市镇 2021 is paired with its 2020 report.
    assert!(warm
        .items
        .iter()
        .any(|i| i.findings.iter().any(|f| f.rule.starts_with("X-"))));
}

#[test]
fn a_damaged_cache_is_ignored_with_a_notice() {
    let batch = common::temp_copy_of_samples();
    let reference = statuses(&load(batch.path(), false));
    let state_dir = batch.path().join(STATE_DIR);
    std::fs::create_dir_all(&state_dir).unwrap();
    std::fs::write(
        state_dir.join(CACHE_FILE),
        b"not a database at all, just text",
    )
    .unwrap();
    let s = load(batch.path(), true);
    assert_eq!(statuses(&s), reference);
    let notice = s.notice.clone().unwrap_or_default();
    assert!(notice.contains("result cache"), "{notice}");
}

/// A large batch is not sorted again for every message while it loads (each sort is of the
/// whole list): reports arriving within a quarter second of the last sort wait for the next
/// one, and the end of the load shows them all.
#[test]
fn a_large_batch_is_sorted_again_at_most_every_quarter_second_while_it_loads() {
    let batch = common::temp_copy_of_samples();
    let mut s = State::new("test", Lang::En, Keymap::default(), Theme::mono());
    s.update(Action::Resize(120, 40));
    s.large_batch = 4;
    let (tx, rx) = std::sync::mpsc::channel();
    let opts = LoadOptions {
        lang: Lang::En,
        ..Default::default()
    };
    loader::load(batch.path(), &opts, tx);
    let msgs: Vec<loader::Msg> = rx.try_iter().collect();
    let (loaded, rest): (Vec<_>, Vec<_>) = msgs
        .into_iter()
        .partition(|m| matches!(m, loader::Msg::Loaded(_)));
    let mut loaded = loaded.into_iter();
    // The first reports show at once (the list was never sorted).
    s.apply_all(vec![loaded.next().expect("reports")]);
    let shown = s.visible.len();
    assert!(shown >= 4 && shown == s.items.len());
    // Sorted "just now" (a time that cannot have passed, so the test never depends on
    // how fast it runs): the next reports wait.
    s.loading.refreshed = Some(std::time::Instant::now() + std::time::Duration::from_secs(3600));
    s.apply_all(loaded.collect());
    assert!(s.items.len() > shown, "the batch has more reports");
    assert_eq!(s.visible.len(), shown);
    // The end of the load shows every report, in order.
    s.apply_all(rest);
    assert!(s.loading.finished);
    assert_eq!(s.visible.len(), 8);
}
