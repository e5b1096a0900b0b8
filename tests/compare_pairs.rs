//! The real pairs of sample_reports/ (loaded from a temporary copy) through the whole path an auditor uses: the loader's
//! pairing and cross-year checks, and the compare screen's rows and marks. (Rule-level
//! cases are in tests/check_rules.rs, the comparison core in tests/compare.rs.)

use report_review::batch::pairings_file::{self as pairings, Pairings};
use report_review::batch::{load_json, LoadOptions};
use report_review::check::{self, Finding, Outcome};
use report_review::compare::{compare, Presence};
use report_review::i18n::Lang;
use report_review::model::Report;
use report_review::tui::action::Action;
use report_review::tui::compare::{row_findings, RowMark};
use report_review::tui::keymap::Keymap;
use report_review::tui::loader::{self, Msg};
use report_review::tui::state::{ScreenKind, State};
use report_review::tui::theme::Theme;
use std::path::Path;

mod common;

fn sample(name: &str) -> Report {
    load_json(&common::sample(name)).unwrap()
}

/// Load a directory exactly as the TUI does (loader on this thread), into a state.
fn load_dir(dir: &Path) -> State {
    let (tx, rx) = std::sync::mpsc::channel();
    let opts = LoadOptions {
        lang: Lang::Zh,
        ..Default::default()
    };
    loader::load(dir, &opts, tx);
    let mut s = State::new(
        &dir.display().to_string(),
        Lang::Zh,
        Keymap::default(),
        Theme::mono(),
    );
    s.update(Action::Resize(80, 24));
    s.compare.dir = Some(dir.to_path_buf());
    s.apply_all(rx.into_iter().collect::<Vec<Msg>>());
    s
}

fn item_of(s: &State, file: &str) -> usize {
    s.items
        .iter()
        .find(|i| i.path.file_name().unwrap() == file)
        .unwrap_or_else(|| panic!("{file} not loaded"))
        .id
}

fn open_compare(s: &mut State, file: &str) {
    let id = item_of(s, file);
    s.open_compare(id);
    assert_eq!(s.screen(), ScreenKind::Compare);
}

fn fails<'a>(fs: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    fs.iter()
        .filter(|f| f.rule == rule && f.outcome == Outcome::Fail)
        .collect()
}

/// Copy of the sample reports with one cell of one report changed.
fn altered_batch(file: &str, key: &str, value: f64) -> tempfile::TempDir {
    let dir = common::temp_copy_of_samples();
    let path = dir.path().join(file);
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let table = format!("table{}", &key[1..2]);
    let mut done = false;
    for row in v[&table]["rows"].as_array_mut().unwrap() {
        for cell in row["cells"].as_array_mut().unwrap() {
            if cell["key"] == key {
                cell["value"]["number"] = value.into();
                cell["value"]["raw"] = format!("{value}").into();
                done = true;
            }
        }
    }
    assert!(done, "no cell {key}");
    std::fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
    dir
}

#[test]
fn carry_over_is_consistent_on_every_pair_of_the_batch() {
    let batch = common::temp_copy_of_samples();
    let mut s = load_dir(batch.path());
    // The list keeps identities: each report is read from its file, as when opened.
    let ids: Vec<usize> = s
        .items
        .iter()
        .filter(|i| i.report.is_some())
        .map(|i| i.id)
        .collect();
    let opened: Vec<(usize, std::sync::Arc<Report>)> = ids
        .into_iter()
        .map(|id| (id, s.open_report(id).expect("readable")))
        .collect();
    let reports: Vec<(usize, &Report)> = opened.iter().map(|(id, r)| (*id, &**r)).collect();
    let pairs = check::pair_reports(&reports);
    // 平潭 2019→20→21→22 and 洪泽 2023→2024 at least.
    assert!(pairs.len() >= 4, "{} pairs", pairs.len());
    for p in &pairs {
        let (prev, cur) = (
            reports.iter().find(|r| r.0 == p.prev).unwrap().1,
            reports.iter().find(|r| r.0 == p.cur).unwrap().1,
        );
        let c = compare(prev, cur);
        for col in 1..=7 {
            let carried_in = c
                .rows
                .iter()
                .find(|r| r.key == format!("T3.R2.C{col}"))
                .unwrap();
            let carried_out = c
                .rows
                .iter()
                .find(|r| r.key == format!("T3.R4.C{col}"))
                .unwrap();
            assert_eq!(
                carried_in.cur, carried_out.prev,
                "{} {}→{} column C{col}",
                p.agency_key, p.prev_year, p.cur_year
            );
        }
        // And the loader added no X-CARRY to the later report.
        assert!(fails(&s.items[p.cur].findings, "X-CARRY").is_empty());
    }
}

#[test]
fn pingtan_2019_to_2020_marks_the_rules_total_in_the_compare_view() {
    let batch = common::temp_copy_of_samples();
    let mut s = load_dir(batch.path());
    // The loader put X-PUBTOTAL-19 on the 2020 report.
    let id = item_of(&s, "平潭综合实验区_2020.json");
    let f = fails(&s.items[id].findings, "X-PUBTOTAL-19");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].location, "T2.a1.规章.public_total");
    open_compare(&mut s, "平潭综合实验区_2020.json");
    s.update(Action::NextFinding);
    let v = s.compare_view().unwrap();
    let row = v.current().unwrap();
    assert_eq!(row.key, "T2.a1.规章.public_total");
    assert_eq!(
        (row.prev, row.cur, row.delta),
        (Some(0.0), Some(7.0), Some(7.0))
    );
    let marks = row_findings(&v.findings, row);
    assert!(marks.iter().any(|(f, m)| f.rule == "X-PUBTOTAL-19"
        && *m == RowMark::At
        && f.actual.as_deref() == Some("7")));
}

#[test]
fn pingtan_2021_to_2022_in_force_passes() {
    let (prev, cur) = (
        sample("平潭综合实验区_2021.json"),
        sample("平潭综合实验区_2022.json"),
    );
    let c = compare(&prev, &cur);
    let v = |key: &str| c.rows.iter().find(|r| r.key == key).unwrap().clone();
    let in_force = v("T2.a1.行政规范性文件.in_force");
    let issued = v("T2.a1.行政规范性文件.issued").cur.unwrap();
    let repealed = v("T2.a1.行政规范性文件.repealed").cur.unwrap();
    // 665 + 88 − 55 = 698.
    assert_eq!(
        (in_force.prev, issued, repealed, in_force.cur),
        (Some(665.0), 88.0, 55.0, Some(698.0))
    );
    assert_eq!(
        in_force.prev.unwrap() + issued - repealed,
        in_force.cur.unwrap()
    );
    let batch = common::temp_copy_of_samples();
    let mut s = load_dir(batch.path());
    open_compare(&mut s, "平潭综合实验区_2022.json");
    let v = s.compare_view().unwrap();
    assert!(fails(&v.findings, "X-INFORCE-21").is_empty());
    assert!(fails(&v.findings, "X-CARRY").is_empty());
}

#[test]
fn pingtan_2020_to_2021_joins_in_the_compare_view() {
    let batch = common::temp_copy_of_samples();
    let mut s = load_dir(batch.path());
    open_compare(&mut s, "平潭综合实验区_2021.json");
    let v = s.compare_view().unwrap();
    let c = v.comparison.as_ref().unwrap();
    assert_eq!(
        (c.prev_template.as_str(), c.cur_template.as_str()),
        ("2019", "2021")
    );
    let joined: Vec<_> = c.rows.iter().filter(|r| r.note.is_some()).collect();
    assert!(joined.iter().any(|r| r.key == "T2.a1.行政规范性文件.issued"
        && r.prev_key.as_deref() == Some("T2.a1.规范性文件.made")));
    assert!(joined.iter().all(|r| r.presence == Presence::Both));
    // Rows of one template only are there and say so.
    assert!(c.rows.iter().any(|r| r.presence == Presence::CurOnly));
    assert!(c.rows.iter().any(|r| r.presence == Presence::PrevOnly));
    // X-BRIDGE-20-21 (info) sits on the joined 现行有效 row.
    let row = c
        .rows
        .iter()
        .find(|r| r.key == "T2.a1.行政规范性文件.in_force")
        .unwrap();
    assert!(row_findings(&v.findings, row)
        .iter()
        .any(|(f, _)| f.rule == "X-BRIDGE-20-21"));
}

#[test]
fn altered_carry_in_fails_on_exactly_that_column() {
    // 平潭 2021 结转下年度 法律服务机构 (C5) is 0; the altered 2022 says 2 were carried in.
    let dir = altered_batch("平潭综合实验区_2022.json", "T3.R2.C5", 2.0);
    let mut s = load_dir(dir.path());
    let id = item_of(&s, "平潭综合实验区_2022.json");
    let carry = fails(&s.items[id].findings, "X-CARRY");
    assert_eq!(carry.len(), 1, "{carry:?}");
    assert_eq!(carry[0].location, "T3.R2.C5");
    assert!(carry[0].cells.contains(&"prev:T3.R4.C5".to_string()));
    // The compare view marks that row and no other carry-in row.
    open_compare(&mut s, "平潭综合实验区_2022.json");
    let v = s.compare_view().unwrap();
    let c = v.comparison.as_ref().unwrap();
    for col in 1..=7 {
        let row = c
            .rows
            .iter()
            .find(|r| r.key == format!("T3.R2.C{col}"))
            .unwrap();
        let at = row_findings(&v.findings, row)
            .iter()
            .any(|(f, m)| f.rule == "X-CARRY" && *m == RowMark::At);
        assert_eq!(at, col == 5, "column C{col}");
    }
    // Its operand, last year's 结转下年度 of the same column, is marked as such.
    let r4 = c.rows.iter().find(|r| r.key == "T3.R4.C5").unwrap();
    assert!(row_findings(&v.findings, r4)
        .iter()
        .any(|(f, m)| f.rule == "X-CARRY" && *m == RowMark::Operand));
}

#[test]
fn saved_pairing_choice_is_applied_by_the_loader() {
    // Un-pair 平潭 2022 from 2021 by hand: no cross-year findings on it any more, and the
    // compare view says there is no previous year.
    let dir = altered_batch("平潭综合实验区_2022.json", "T3.R2.C5", 2.0);
    let mut p = Pairings::default();
    p.set("平潭综合实验区_2022.json", None);
    pairings::save(&pairings::file(dir.path()), &p.to_json()).unwrap();
    let mut s = load_dir(dir.path());
    s.compare.pairings = pairings::load(dir.path()).0;
    let id = item_of(&s, "平潭综合实验区_2022.json");
    assert!(s.items[id]
        .findings
        .iter()
        .all(|f| !f.rule.starts_with("X-")));
    open_compare(&mut s, "平潭综合实验区_2022.json");
    assert!(s.compare_view().unwrap().prev.is_none());
    // Pair 2022 with 2020 instead (a wrong year on purpose): the loader follows the file.
    let mut p = Pairings::default();
    p.set(
        "平潭综合实验区_2022.json",
        Some("平潭综合实验区_2020.json".into()),
    );
    pairings::save(&pairings::file(dir.path()), &p.to_json()).unwrap();
    let s = load_dir(dir.path());
    let id = item_of(&s, "平潭综合实验区_2022.json");
    assert!(s.items[id].findings.iter().any(|f| f.rule == "X-IDENTITY"));
}

#[test]
fn malformed_pairings_file_is_ignored() {
    let dir = altered_batch("平潭综合实验区_2022.json", "T3.R2.C5", 2.0);
    std::fs::create_dir_all(dir.path().join(".report-review")).unwrap();
    std::fs::write(pairings::file(dir.path()), "{\"version\": 1, \"pairs\": [").unwrap();
    let (p, problem) = pairings::load(dir.path());
    assert_eq!(p, Pairings::default());
    assert!(problem.unwrap().contains("ignored"));
    let s = load_dir(dir.path());
    let id = item_of(&s, "平潭综合实验区_2022.json");
    assert_eq!(fails(&s.items[id].findings, "X-CARRY").len(), 1);
}
