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
