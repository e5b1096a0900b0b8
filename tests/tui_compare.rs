//! The compare screen (`p`): state, keys and rendered screens on the real sample reports.

#[path = "tui_fixtures/mod.rs"]
mod fixtures;

use fixtures::*;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use report_review::i18n::Lang;
use report_review::tui::action::Action::{self, *};
use report_review::tui::action::Effect;
use report_review::tui::compare::{row_findings, CompareTab, PairHow, RowMark};
use report_review::tui::state::{ScreenKind, State};
use report_review::tui::theme::Theme;
use report_review::tui::views;
use std::path::PathBuf;

fn draw(s: &State) -> String {
    let (w, h) = s.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| views::render(s, f)).unwrap();
    format!("{}", t.backend())
}

/// Open the compare screen for one sample report (`pt2020` …).
fn compare_of(query: &str, w: u16, h: u16) -> State {
    let mut s = zh(w, h);
    typed(&mut s, query);
    run(&mut s, &[FilterAccept, Open, OpenCompare]);
    assert_eq!(s.screen(), ScreenKind::Compare);
    s
}

fn cursor_key(s: &State) -> String {
    s.compare_view().unwrap().current().unwrap().key.clone()
}

#[test]
fn opens_from_a_report_with_the_exact_pair() {
    let s = compare_of("pt2020", 80, 24);
    let v = s.compare_view().unwrap();
    assert_eq!(v.how, Some(PairHow::Exact));
    assert_eq!(s.items[v.prev.unwrap()].year(), Some(2019));
    let c = v.comparison.as_ref().unwrap();
    assert_eq!((c.prev_year, c.cur_year), (Some(2019), Some(2020)));
    // Back returns to the report.
    let mut s = s;
    s.update(Back);
    assert_eq!(s.screen(), ScreenKind::Report);
}

#[test]
fn opens_from_the_list_too() {
    let mut s = zh(80, 24);
    typed(&mut s, "pt2022");
    run(&mut s, &[FilterAccept, OpenCompare]);
    assert_eq!(s.screen(), ScreenKind::Compare);
    s.update(Back);
    assert_eq!(s.screen(), ScreenKind::List);
}

#[test]
fn no_previous_year_is_a_clear_message() {
    let s = compare_of("pt2019", 80, 24);
    assert!(s.compare_view().unwrap().prev.is_none());
    let screen = draw(&s);
    assert!(screen.contains("批次中没有找到"), "{screen}");
    insta::assert_snapshot!("compare_no_pair_80x24", screen);
}

#[test]
fn zero_rows_are_hidden_until_toggled() {
    let mut s = compare_of("pt2020", 80, 24);
    let v = s.compare_view().unwrap();
    let all = v.comparison.as_ref().unwrap().rows.len();
    let shown = v.visible().len();
    assert!(shown < all, "{shown} of {all}");
    let c = v.comparison.as_ref().unwrap();
    for &i in &v.visible() {
        let r = &c.rows[i];
        assert!(!r.is_zero_both() || !row_findings(&v.findings, r).is_empty());
    }
    run(&mut s, &[MoveDown, MoveDown]);
    let key = cursor_key(&s);
    s.update(ToggleZeros);
    assert_eq!(s.compare_view().unwrap().visible().len(), all);
    assert_eq!(cursor_key(&s), key, "the cursor stays on its row");
    s.update(ToggleZeros);
    assert_eq!(s.compare_view().unwrap().visible().len(), shown);
}

#[test]
fn next_and_previous_difference() {
    let mut s = compare_of("pt2020", 80, 24);
    s.update(ToggleZeros);
    for _ in 0..5 {
        s.update(NextDiff);
        assert!(s.compare_view().unwrap().current().unwrap().differs());
    }
    let at = cursor_key(&s);
    s.update(NextDiff);
    s.update(PrevDiff);
    assert_eq!(cursor_key(&s), at);
    s.update(Top);
    s.update(PrevDiff);
    assert!(s.notice.as_deref().unwrap().contains("前面没有变化"));
}

#[test]
fn next_cross_year_finding_lands_on_its_cell() {
    // 平潭 2019 → 2020: X-PUBTOTAL-19 on 规章 对外公开总数量 (0 → 7).
    let mut s = compare_of("pt2020", 80, 24);
    s.update(NextFinding);
    assert_eq!(cursor_key(&s), "T2.a1.规章.public_total");
    let v = s.compare_view().unwrap();
    let fs = row_findings(&v.findings, v.current().unwrap());
    assert!(fs
        .iter()
        .any(|(f, m)| f.rule == "X-PUBTOTAL-19" && *m == RowMark::At));
    let screen = draw(&s);
    assert!(screen.contains("X-PUBTOTAL-19"));
    insta::assert_snapshot!("compare_pt2020_finding_80x24", screen);
}

/// 平潭 2021 compared with 2020, zero rows shown, the cursor on the row joined across the
/// template change (2021 现行有效件数 ← 2020 对外公开总数量); returns the row's index too.
fn pt2021_on_joined_row() -> (State, usize) {
    let mut s = compare_of("pt2021", 160, 48);
    s.update(ToggleZeros);
    let v = s.compare_view().unwrap();
    let c = v.comparison.as_ref().unwrap();
    let joined = c
        .rows
        .iter()
        .position(|r| r.key == "T2.a1.行政规范性文件.in_force")
        .unwrap();
    let pos = v.visible().iter().position(|&i| i == joined).unwrap();
    s.update(Top);
    for _ in 0..pos {
        s.update(MoveDown);
    }
    (s, joined)
}

#[test]
fn template_change_rows_are_joined_and_marked() {
    let (s2, joined) = pt2021_on_joined_row();
    let c = s2.compare_view().unwrap().comparison.as_ref().unwrap();
    assert_eq!(
        c.rows[joined].prev_key.as_deref(),
        Some("T2.a1.规范性文件.public_total")
    );
    let screen = draw(&s2);
    // The cursor row carries its X-BRIDGE-20-21 (info) mark; the other joined rows `≈`.
    assert!(
        screen.contains("i 表二（一） 行政规范性文件 · 现行有效件数"),
        "{screen}"
    );
    assert!(
        screen.contains("≈ 表二（一） 行政规范性文件 · 本年制发件数"),
        "{screen}"
    );
    assert!(screen.contains("2019 与 2021 格式定义不同"), "{screen}");
    insta::assert_snapshot!("compare_pt2021_joined_160x48", screen);
}

#[test]
fn every_screen_of_the_compare_view() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut s = compare_of("pt2022", w, h);
        insta::assert_snapshot!(format!("compare_table_pt2022_{w}x{h}"), draw(&s));
        s.update(NextTab);
        assert_eq!(s.compare_view().unwrap().tab, CompareTab::Repeated);
        insta::assert_snapshot!(format!("compare_repeated_pt2022_{w}x{h}"), draw(&s));
        s.update(NextTab);
        let screen = draw(&s);
        assert!(screen.contains("新收申请") && screen.contains("现行有效规范性文件"));
        insta::assert_snapshot!(format!("compare_trend_pt2022_{w}x{h}"), screen);
    }
}

#[test]
fn trend_needs_three_years() {
    let mut s = compare_of("hongze2024", 80, 24);
    run(&mut s, &[NextTab, NextTab]);
    assert_eq!(s.compare_view().unwrap().years.len(), 2);
    assert!(draw(&s).contains("至少有三个年度"));
    let s = compare_of("pt2021", 80, 24);
    let years: Vec<i32> = s
        .compare_view()
        .unwrap()
        .years
        .iter()
        .map(|y| y.0)
        .collect();
    assert_eq!(years, vec![2019, 2020, 2021, 2022]);
}

#[test]
fn suffix_pairing_is_named() {
    // 洪泽区人民政府 2023 ↔ 淮安市洪泽区人民政府 2024.
    let s = compare_of("hongze2024", 80, 24);
    let v = s.compare_view().unwrap();
    assert!(v.prev.is_some());
    assert!(matches!(v.how, Some(PairHow::Exact | PairHow::Suffix)));
    assert!(draw(&s).contains("配对："));
}

#[test]
fn picking_another_pairing_is_saved_and_applied() {
    let mut s = compare_of("pt2021", 80, 24);
    s.compare.dir = Some(PathBuf::from("sample_reports"));
    s.update(ChoosePairing);
    let screen = draw(&s);
    assert!(screen.contains("不配对"), "{screen}");
    insta::assert_snapshot!("compare_picker_80x24", screen);
    // Last entry: no previous year.
    s.update(Bottom);
    let effects = s.update(Open);
    let v = s.compare_view().unwrap();
    assert!(v.prev.is_none() && s.pairing().is_none());
    let [Effect::SavePairings { path, json }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        path,
        &PathBuf::from("sample_reports/.report-review/pairings.json")
    );
    assert!(json.contains("\"平潭综合实验区_2021.json\""), "{json}");
    assert!(json.contains("\"prev\": null"), "{json}");
    // Cross-year findings of the report follow the choice: none without a pair.
    let id = v.cur;
    assert!(s.items[id]
        .findings
        .iter()
        .all(|f| !f.rule.starts_with("X-")));
    // Pick 2020 again: confirmed by hand.
    run(&mut s, &[ChoosePairing, Top, Open]);
    let v = s.compare_view().unwrap();
    assert_eq!(v.how, Some(PairHow::Manual));
    assert_eq!(s.items[v.prev.unwrap()].year(), Some(2020));
}

#[test]
fn stepping_reports_keeps_comparing() {
    let mut s = zh(80, 24);
    run(&mut s, &[CycleSort]); // by agency
    typed(&mut s, "pt");
    run(&mut s, &[FilterAccept, Open, OpenCompare, NextTab]);
    let first = s.compare_view().unwrap().cur;
    s.update(NextReport);
    assert_eq!(s.screen(), ScreenKind::Compare);
    let v = s.compare_view().unwrap();
    assert_ne!(v.cur, first);
    assert_eq!(v.tab, CompareTab::Repeated);
}

#[test]
fn english_compare_table() {
    let mut s = state(Lang::En, Theme::color(), 80, 24);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept, Open, OpenCompare]);
    let screen = draw(&s);
    assert!(
        screen.contains("prev") && screen.contains("change%"),
        "{screen}"
    );
}

#[test]
fn mono_theme_has_no_colour() {
    let mut s = state(Lang::Zh, Theme::mono(), 80, 24);
    typed(&mut s, "pt2022");
    run(&mut s, &[FilterAccept, Open, OpenCompare]);
    for _ in 0..3 {
        let (w, h) = s.size;
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| views::render(&s, f)).unwrap();
        for c in t.backend().buffer().content() {
            assert_eq!(c.fg, ratatui::style::Color::Reset);
            assert_eq!(c.bg, ratatui::style::Color::Reset);
        }
        s.update(NextTab);
    }
}

#[test]
fn random_keys_never_panic() {
    let keys = [
        MoveDown,
        MoveUp,
        PageDown,
        PageUp,
        Top,
        Bottom,
        NextDiff,
        PrevDiff,
        NextFinding,
        PrevFinding,
        ToggleZeros,
        NextTab,
        PrevTab,
        ChoosePairing,
        Open,
        Back,
        OpenCompare,
        NextReport,
        PrevReport,
        Copy,
    ];
    let mut seed: u64 = 7;
    for (w, h) in [(60, 16), (80, 24), (160, 48)] {
        let mut s = compare_of("pt2021", w, h);
        for _ in 0..400 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let a: Action = keys[(seed >> 33) as usize % keys.len()].clone();
            s.update(a);
            if s.screen() != ScreenKind::Compare {
                s.update(OpenCompare);
            }
            draw(&s);
        }
    }
}

#[test]
fn fuzzy_pairing_needs_the_same_place() {
    // 淮安市人民政府 2024 is not 淮安市洪泽区人民政府 2023: no automatic pair, but a candidate.
    let mut s = zh(80, 24);
    let id = s
        .items
        .iter()
        .find(|i| i.name == "淮安市人民政府")
        .unwrap()
        .id;
    s.open_compare(id);
    let v = s.compare_view().unwrap();
    assert_eq!(s.items[v.cur].name, "淮安市人民政府");
    assert!(v.prev.is_none(), "{:?}", v.how);
    s.update(ChoosePairing);
    let p = s.pairing().cloned().unwrap();
    assert!(p.candidates.len() >= 2);
    assert!(p.candidates[0].1 > 0);
    assert!(draw(&s).contains("得分"));

    // 平潭综合实验区管委会 2022 ↔ 平潭综合实验区 2021: fuzzy, with its score shown.
    let mut s = State::new(
        "sample_reports",
        Lang::Zh,
        report_review::tui::keymap::Keymap::default(),
        Theme::color(),
    );
    s.update(Resize(80, 24));
    let mut l22 = loaded("平潭综合实验区_2022.json");
    if let Ok(r) = l22.report.as_mut() {
        r.agency = "平潭综合实验区管委会".into();
        r.agency_key = "平潭综合实验区管委会".into();
    }
    s.apply(report_review::tui::loader::Msg::Loaded(vec![
        loaded("平潭综合实验区_2021.json"),
        l22,
    ]));
    let id = s.items.iter().find(|i| i.year() == Some(2022)).unwrap().id;
    s.open_compare(id);
    let v = s.compare_view().unwrap();
    assert!(
        matches!(v.how, Some(PairHow::Fuzzy(n)) if n > 0),
        "{:?}",
        v.how
    );
    let screen = draw(&s);
    assert!(screen.contains("配对：模糊匹配 得分"), "{screen}");
    assert!(
        screen.contains("平潭综合实验区 2021 → 平潭综合实验区管委会 2022"),
        "{screen}"
    );
}

#[test]
fn no_pair_names_the_closest_candidate() {
    let mut s = zh(80, 24);
    let id = s
        .items
        .iter()
        .find(|i| i.name == "淮安市人民政府")
        .unwrap()
        .id;
    s.open_compare(id);
    let screen = draw(&s);
    assert!(screen.contains("最接近的是"), "{screen}");
    insta::assert_snapshot!("compare_no_pair_closest_80x24", screen);
}

#[test]
fn repeated_parts_are_listed_with_their_rate() {
    // 平潭 2022 with parts 一/五/六 copied from 2021: X-DUP, and every sentence listed.
    let l21 = loaded("平潭综合实验区_2021.json");
    let mut l22 = loaded("平潭综合实验区_2022.json");
    let (Ok(r21), Ok(r22)) = (l21.report.as_ref(), l22.report.as_mut()) else {
        panic!()
    };
    for id in ["S1", "S5", "S6"] {
        let src = r21.section(id).unwrap().lines.clone();
        let dst = r22
            .sections
            .iter_mut()
            .find(|s| s.id.as_deref() == Some(id))
            .unwrap();
        dst.lines = src;
    }
    let mut s = State::new(
        "sample_reports",
        Lang::Zh,
        report_review::tui::keymap::Keymap::default(),
        Theme::color(),
    );
    s.update(Resize(80, 24));
    s.apply(report_review::tui::loader::Msg::Loaded(vec![l21, l22]));
    let id = s.items.iter().find(|i| i.year() == Some(2022)).unwrap().id;
    s.open_compare(id);
    s.update(NextTab);
    let v = s.compare_view().unwrap();
    assert!(v.repetition.overall > 0.9, "{}", v.repetition.overall);
    assert!(v.repetition.sentences.len() > 5);
    assert!(v.findings.iter().any(|f| f.rule == "X-DUP"));
    let screen = draw(&s);
    assert!(screen.contains("X-DUP"), "{screen}");
    assert!(screen.contains("100%"), "{screen}");
    // Scrolling moves through the list and stops at its end.
    run(&mut s, &[Bottom]);
    let bottom = draw(&s);
    assert_ne!(bottom, screen);
    s.update(MoveDown);
    assert_eq!(draw(&s), bottom);
    // One step up from the end shows a different window at once.
    s.update(MoveUp);
    assert_ne!(draw(&s), bottom);
}

#[test]
fn back_returns_through_the_screens_opened_on_the_way() {
    let mut s = compare_of("pt2021", 80, 24);
    run(&mut s, &[NextDiff]);
    let at = cursor_key(&s);
    // Under the compare screen: the report it was opened from, then the list.
    assert_eq!(s.stack.len(), 2);
    run(&mut s, &[OpenFollowups]);
    assert_eq!(s.screen(), ScreenKind::Followups);
    run(&mut s, &[Back]);
    assert_eq!(s.screen(), ScreenKind::Compare, "back from follow-ups");
    assert_eq!(cursor_key(&s), at, "the compare screen kept its cursor");
    run(&mut s, &[Back]);
    assert_eq!(s.screen(), ScreenKind::Report);
    assert_eq!(
        s.report_view().unwrap().tab,
        report_review::tui::state::Tab::Overview
    );
    run(&mut s, &[Back]);
    assert_eq!(s.screen(), ScreenKind::List);
    assert!(s.stack.is_empty() && s.report_view().is_none());
    // From the list, compare sits right above it.
    run(&mut s, &[OpenCompare, Back]);
    assert_eq!(s.screen(), ScreenKind::List);
}

/// One severity language: an info mark on a compare row is drawn dim, never in the
/// warning colour (X-BRIDGE-20-21 is info, on 平潭 2021's 现行有效件数 row).
#[test]
fn an_info_mark_is_not_drawn_in_the_warning_colour() {
    let (s, _) = pt2021_on_joined_row();
    let (w, h) = s.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| views::render(&s, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let theme = Theme::color();
    let row = (0..h)
        .find(|&y| {
            let line: String = (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect();
            // A wide character's second cell is blank: compare without spaces.
            line.replace(' ', "")
                .contains("i表二（一）行政规范性文件·现行有效件数")
        })
        .expect("the info-marked row is on screen");
    let x = (0..w)
        .find(|&x| buf[(x, row)].symbol() == "i")
        .expect("the info glyph");
    let glyph = &buf[(x, row)];
    assert_ne!(Some(glyph.fg), theme.warn.fg, "info drawn like a warning");
    assert_eq!(
        Some(glyph.fg),
        theme.dim.fg,
        "info is dim, as in the report view"
    );
}

#[test]
fn slash_filters_the_compare_rows_and_typed_letters_are_not_commands() {
    let mut s = compare_of("pt2020", 80, 24);
    let before = s.compare_view().unwrap().visible().len();
    // `z` (show zero rows), `d` and `n` typed after `/` are text, not commands.
    typed(&mut s, "zdn");
    let v = s.compare_view().unwrap();
    assert_eq!(s.mode(), report_review::tui::state::Mode::Filter);
    assert!(!v.show_zero);
    assert_eq!(v.text, "zdn");
    assert!(v.visible().is_empty(), "no row holds zdn");
    let screen = draw(&s);
    assert!(screen.contains("没有含「zdn」的行"), "{screen}");
    run(&mut s, &[FilterBackspace, FilterBackspace, FilterBackspace]);
    typed(&mut s, "规章");
    let v = s.compare_view().unwrap();
    let c = v.comparison.as_ref().unwrap();
    let shown: Vec<String> = v
        .visible()
        .iter()
        .map(|&i| c.rows[i].label.clone())
        .collect();
    assert!(!shown.is_empty() && shown.len() < before, "{shown:?}");
    assert!(shown.iter().all(|l| l.contains("规章")), "{shown:?}");
    let screen = draw(&s);
    assert!(screen.contains("/规章"), "{screen}");
    // Enter keeps it and leaves the prompt; Esc in a new prompt clears it.
    run(&mut s, &[FilterAccept]);
    assert_eq!(s.mode(), report_review::tui::state::Mode::Normal);
    assert_eq!(s.compare_view().unwrap().visible().len(), shown.len());
    run(&mut s, &[FilterStart, FilterCancel]);
    assert_eq!(s.compare_view().unwrap().visible().len(), before);
    assert_eq!(s.screen(), ScreenKind::Compare);
}
