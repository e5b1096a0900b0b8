//! The list screen's workflow: finding a report by any of its names, review progress
//! (已阅), the list while the cross-year checks run, and the marks of each status.

#[path = "tui_fixtures/mod.rs"]
mod fixtures;

use fixtures::*;
use report_review::i18n::Lang;
use report_review::tui::action::Action::*;
use report_review::tui::state::State;
use report_review::tui::theme::Theme;

fn filtered(query: &str) -> (State, Vec<String>) {
    let mut s = zh(80, 24);
    typed(&mut s, query);
    let r = rows(&s);
    (s, r)
}

#[test]
fn the_filter_finds_a_report_by_its_key_issuer_and_file_name() {
    // 三七市镇's normalised key is 余姚市三七市镇 (its file is 余姚市三七市镇_2020.json).
    let (s, r) = filtered("余姚");
    assert_eq!(r, vec!["三七市镇 2020"]);
    // Found by another name: nothing in the printed name is highlighted.
    assert!(!s.matches.contains_key(&s.visible[0]));
    assert_eq!(filtered("yuyao").1, vec!["三七市镇 2020"]);
    // All three 淮安 reports: 洪泽区人民政府 2023 is 淮安市洪泽区人民政府 by its key.
    let (_, mut r) = filtered("淮安");
    r.sort();
    assert_eq!(
        r,
        vec![
            "洪泽区人民政府 2023",
            "淮安市人民政府 2024",
            "淮安市洪泽区人民政府 2024"
        ]
    );
    assert_eq!(filtered("huaian").1.len(), 3);
    // The file name, as the wide list shows it.
    assert_eq!(filtered("_2019.json").1, vec!["平潭综合实验区 2019"]);
    // The printed name still matches, highlighted, and initials still work.
    let (s, r) = filtered("sqs");
    assert_eq!(r, vec!["三七市镇 2020"]);
    assert_eq!(s.matches[&s.visible[0]], vec![0, 1, 2]);
    assert_eq!(filtered("余姚2021").1, Vec::<String>::new());
}

#[test]
fn unreadable_files_have_their_own_mark_not_the_not_assessable_one() {
    for lang in [Lang::Zh, Lang::En] {
        let mut s = state(lang, Theme::mono(), 80, 24);
        run(&mut s, &[Top]);
        let bad = s
            .items
            .iter()
            .find(|i| i.error.is_some())
            .expect("the unreadable fixture");
        let text = s.item_status_text(bad);
        assert!(text.starts_with('⊘'), "{text}");
        assert!(!text.contains('?'), "{text}");
    }
}

// ---- review progress ----

use report_review::check::Severity;
use report_review::review::Review;
use report_review::tui::action::{Action, Effect};
use report_review::tui::keymap::Keymap;
use report_review::tui::loader::{Loaded, Msg};
use report_review::tui::progress::{ProgressMsg, ProgressReq};

/// The state once the store has answered (no 已阅 marks, no saved place yet).
fn opened(lang: Lang, theme: Theme, w: u16, h: u16) -> State {
    let mut s = state(lang, theme, w, h);
    s.apply_progress(ProgressMsg::Opened {
        reviews: vec![],
        session: None,
    });
    s
}

fn select(s: &mut State, row: &str) {
    s.update(Top);
    for _ in 0..s.visible.len() {
        if selected(s) == row {
            return;
        }
        s.update(MoveDown);
    }
    panic!("no row {row}: {:?}", rows(s));
}

fn review(id: i64, key: &str, reviewed: bool) -> Review {
    Review {
        id,
        report_key: key.into(),
        reviewed,
        at: "2026-12-01T08:30:00.000Z".into(),
        os_user: "zhangsan".into(),
        display_name: Some("张三".into()),
    }
}

fn set_reviewed(effects: &[Effect]) -> (String, bool) {
    match effects {
        [Effect::Progress(ProgressReq::SetReviewed {
            report_key,
            reviewed,
        })] => (report_key.clone(), *reviewed),
        other => panic!("expected one SetReviewed, got {other:?}"),
    }
}

#[test]
fn v_marks_the_report_reviewed_and_again_takes_the_mark_back() {
    let mut s = opened(Lang::Zh, Theme::mono(), 80, 24);
    assert_eq!(
        s.review_counts(),
        (0, 8),
        "the unreadable file cannot be reviewed"
    );
    select(&mut s, "三七市镇 2020");
    let e = s.update(ToggleReviewed);
    assert_eq!(set_reviewed(&e), ("余姚市三七市镇/2020".into(), true));
    // Shown at once, before the store answers.
    assert_eq!(s.review_counts(), (1, 8));
    assert!(s.notice.as_deref().unwrap().contains("已审 1/8"));
    s.apply_progress(ProgressMsg::Reviews(vec![review(
        1,
        "余姚市三七市镇/2020",
        true,
    )]));
    let item = s.selected_item().unwrap().clone();
    assert_eq!(s.review_of(&item).unwrap().who(), "张三 (zhangsan)");
    // In a report, v marks the open report.
    select(&mut s, "平潭综合实验区 2020");
    s.update(Open);
    let e = s.update(ToggleReviewed);
    assert_eq!(set_reviewed(&e), ("平潭综合实验区/2020".into(), true));
    s.update(Back);
    assert_eq!(s.review_counts(), (2, 8));
    // Again: the mark is taken back.
    select(&mut s, "三七市镇 2020");
    let e = s.update(ToggleReviewed);
    assert_eq!(set_reviewed(&e), ("余姚市三七市镇/2020".into(), false));
    assert_eq!(s.review_counts(), (1, 8));
    s.apply_progress(ProgressMsg::Reviews(vec![review(
        3,
        "余姚市三七市镇/2020",
        false,
    )]));
    assert_eq!(s.review_counts(), (1, 8));
    // The store refuses: the screen shows what is saved, and why.
    let e = s.update(ToggleReviewed);
    assert_eq!(set_reviewed(&e), ("余姚市三七市镇/2020".into(), true));
    s.apply_progress(ProgressMsg::Failed {
        report_key: "余姚市三七市镇/2020".into(),
        message: "follow-up store x is open read-only; the change was NOT saved".into(),
    });
    assert!(s.notice.as_deref().unwrap().contains("NOT saved"));
    assert_eq!(s.review_counts(), (1, 8));
    // An unreadable file cannot be marked.
    select(&mut s, "损坏的报告 -");
    assert!(s.update(ToggleReviewed).is_empty());
    assert!(s.notice.as_deref().unwrap().contains("无法读取"));
}

#[test]
fn the_not_reviewed_filter_hides_reviewed_reports_and_v_moves_on() {
    let mut s = opened(Lang::Zh, Theme::mono(), 80, 24);
    s.apply_progress(ProgressMsg::Reviews(vec![
        review(1, "平潭综合实验区/2019", true),
        review(2, "平潭综合实验区/2021", true),
        review(3, "平潭综合实验区/2021", false),
    ]));
    assert_eq!(s.review_counts(), (1, 8), "the latest change counts");
    s.update(ToggleUnreviewedFilter);
    assert_eq!(rows(&s).len(), 8);
    assert!(!rows(&s).contains(&"平潭综合实验区 2019".to_string()));
    // Marking one from this list: it leaves, the next one takes the cursor.
    select(&mut s, "平潭综合实验区 2020");
    let at = s.cursor().unwrap();
    let next = s.visible[at + 1];
    s.update(ToggleReviewed);
    assert_eq!(rows(&s).len(), 7);
    assert_eq!(s.selected, Some(next));
    // x clears it with the other filters.
    s.update(ClearFilters);
    assert_eq!(rows(&s).len(), 9);
}

#[test]
fn reopening_returns_to_the_report_filters_and_sort_left() {
    let mut s = opened(Lang::Zh, Theme::mono(), 80, 24);
    // Opening and looking saves nothing.
    assert!(report_review::tui::update::update(
        &mut s,
        report_review::tui::action::Msg::Action(Resize(80, 24))
    )
    .is_empty());
    let mut saved = None;
    for a in [CycleSort, CycleYearFilter, MoveDown] {
        for e in
            report_review::tui::update::update(&mut s, report_review::tui::action::Msg::Action(a))
        {
            if let Effect::Progress(ProgressReq::SaveSession(json)) = e {
                saved = Some(json);
            }
        }
    }
    let json = saved.expect("the place is saved");
    assert_eq!(s.year_filter, Some(2019));
    let left = selected(&s);

    // Reopened: the store answers before the reports have loaded.
    let mut s = State::new("sample_reports", Lang::Zh, Keymap::default(), Theme::mono());
    s.update(Resize(80, 24));
    s.apply_progress(ProgressMsg::Opened {
        reviews: vec![],
        session: Some(json.clone()),
    });
    s.apply(Msg::Discovered(SAMPLES.len()));
    let batch: Vec<Loaded> = SAMPLES.iter().map(|f| loaded(f)).collect();
    s.apply(Msg::Loaded(batch));
    s.apply(Msg::Finished);
    assert_eq!(s.sort, report_review::tui::state::SortKey::Agency);
    assert_eq!(s.year_filter, Some(2019));
    assert_eq!(selected(&s), left);

    // Picking another report before the saved one arrives wins over it.
    let mut s = State::new("sample_reports", Lang::Zh, Keymap::default(), Theme::mono());
    s.update(Resize(80, 24));
    s.apply_progress(ProgressMsg::Opened {
        reviews: vec![],
        session: Some(r#"{"report":"平潭综合实验区/2019","sort":"status"}"#.into()),
    });
    s.apply(Msg::Discovered(SAMPLES.len()));
    s.apply(Msg::Loaded(vec![loaded("平潭综合实验区_2022.json")]));
    s.update(Top);
    s.apply(Msg::Loaded(vec![loaded("平潭综合实验区_2019.json")]));
    assert_eq!(selected(&s), "平潭综合实验区 2022");
}

/// The list while the cross-year checks run: statuses shown as provisional, and the
/// cross-year results do not move the list under the cursor.
fn loading_state(lang: Lang) -> State {
    let mut s = State::new("sample_reports", lang, Keymap::default(), Theme::mono());
    s.update(Resize(80, 24));
    s.apply(Msg::Discovered(SAMPLES.len()));
    s.apply(Msg::Loaded(SAMPLES.iter().map(|f| loaded(f)).collect()));
    s
}

#[test]
fn cross_year_results_keep_the_selected_report_on_its_row() {
    let mut s = loading_state(Lang::Zh);
    select(&mut s, "平潭综合实验区 2022");
    let row = s.cursor().unwrap() - s.list_offset;
    // A cross-year error on 平潭 2021 (pass before) moves it up in the status order.
    let x = finding(
        "X-CARRY",
        Severity::Error,
        "T3.R1.C1",
        "上年结转 3 ≠ 5",
        Some("5"),
        Some("3"),
        None,
        &[],
    );
    let path = std::path::PathBuf::from("sample_reports").join("平潭综合实验区_2021.json");
    let before = rows(&s);
    s.apply(Msg::CrossYear(vec![(path, vec![x])]));
    s.apply(Msg::Finished);
    assert_ne!(rows(&s), before, "the order did change");
    assert_eq!(selected(&s), "平潭综合实验区 2022");
    assert_eq!(s.cursor().unwrap() - s.list_offset, row);
}

// ---- snapshots (NO_COLOR theme; both languages) ----

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use report_review::tui::views;

fn draw(s: &State) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    t.draw(|f| views::render(s, f)).unwrap();
    t
}

#[test]
fn snapshots_of_review_progress() {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        for (w, h) in [(80u16, 24u16), (120, 30)] {
            let mut s = opened(lang, Theme::mono(), w, h);
            s.apply_progress(ProgressMsg::Reviews(vec![
                review(1, "平潭综合实验区/2019", true),
                review(2, "余姚市三七市镇/2020", true),
            ]));
            select(&mut s, "三七市镇 2020");
            s.notice = None;
            insta::assert_snapshot!(format!("list_reviewed_{tag}_{w}x{h}"), draw(&s).backend());
            s.update(ToggleUnreviewedFilter);
            insta::assert_snapshot!(
                format!("list_not_reviewed_{tag}_{w}x{h}"),
                draw(&s).backend()
            );
        }
        let mut s = loading_state(lang);
        select(&mut s, "平潭综合实验区 2021");
        insta::assert_snapshot!(format!("list_provisional_{tag}_80x24"), draw(&s).backend());
    }
}

#[test]
fn actions_of_review_progress_read_from_serde() {
    let a: Action = serde_json::from_str("\"toggle_reviewed\"").unwrap();
    assert_eq!(a, ToggleReviewed);
    let a: Action = serde_json::from_str("\"toggle_unreviewed_filter\"").unwrap();
    assert_eq!(a, ToggleUnreviewedFilter);
}

#[test]
fn the_chinese_list_says_why_a_file_is_unreadable_and_names_the_mixed_template_in_chinese() {
    let s = zh(120, 30);
    let t = draw(&s);
    let text: String = t
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .filter(|s| *s != " ")
        .collect();
    // Wide characters take two cells: compared without spaces.
    assert!(text.contains("不是有效的JSON"), "{text}");
    assert!(!text.contains("notvalidJSON"), "{text}");
    assert!(text.contains("混用"), "{text}");
    assert!(!text.contains("hybrid"), "{text}");
    // The English screen keeps the English words.
    let s = state(Lang::En, Theme::mono(), 120, 30);
    let text: String = draw(&s)
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .filter(|s| *s != " ")
        .collect();
    assert!(
        text.contains("notvalidJSON") && text.contains("hybrid"),
        "{text}"
    );
}

#[test]
fn the_chinese_report_screen_names_the_mixed_template_and_the_source_kind_in_chinese() {
    let mut s = zh(80, 24);
    select(&mut s, "洪泽区人民政府 2023");
    // The checks' own findings for it (the fixture's are a fixed few), TPL-HYBRID among them.
    let item = s.selected_item().unwrap().id;
    let report = s.items[item].report.clone().unwrap();
    s.items[item].findings = report_review::check::check_report(
        &report,
        &report_review::check::Config::default(),
        Lang::Zh,
    );
    s.update(Open);
    // Compared without spaces: wide characters take two cells.
    let text: String = draw(&s)
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .filter(|s| *s != " ")
        .collect();
    assert!(text.contains("模板混用"), "{text}");
    assert!(text.contains("·文本·UTF-8·"), "{text}");
    // TPL-HYBRID's finding: expected the year's template, found a mix.
    assert!(text.contains("实际混用"), "{text}");
    assert!(!text.contains("hybrid"), "{text}");
    assert!(!text.contains("·text·"), "{text}");
}
