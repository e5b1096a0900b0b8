//! The auditor's day on the review screen: keys that never throw the session away, choosing
//! a follow-up state directly, and the footer that always says how to leave. State tests on
//! `State` plus snapshots of the frames (Chinese and English, NO_COLOR).

#[path = "tui_fixtures/mod.rs"]
mod fixtures;

use fixtures::*;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use report_review::i18n::Lang;
use report_review::tui::action::{Action, Effect};
use report_review::tui::state::{Mode, ScreenKind, State};
use report_review::tui::theme::Theme;
use report_review::tui::views;
use Action::*;

fn draw(s: &State) -> Terminal<TestBackend> {
    let (w, h) = s.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| views::render(s, f)).unwrap();
    t
}

fn screen_text(s: &State) -> String {
    format!("{}", draw(s).backend())
}

/// Text of one row of the frame, wide glyphs once.
fn row_text(t: &Terminal<TestBackend>, y: u16) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    let mut x = 0;
    while x < buf.area.width {
        let sym = buf[(x, y)].symbol();
        out.push_str(sym);
        x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
    }
    out.trim_end().to_string()
}

fn footer(s: &State) -> String {
    row_text(&draw(s), s.size.1 - 1)
}

#[test]
fn esc_never_quits_and_q_quits_only_from_the_list() {
    let mut s = zh(80, 24);
    // On the list, Esc says how to quit and stays.
    assert_eq!(s.update(Back), vec![]);
    assert_eq!(s.screen(), ScreenKind::List);
    let notice = s.notice.clone().unwrap();
    assert!(
        notice.contains("q") && notice.contains("ctrl-c"),
        "{notice}"
    );
    // A kept filter text: Esc clears it, still no quit.
    typed(&mut s, "sqs");
    s.update(FilterAccept);
    assert_eq!(rows(&s), vec!["三七市镇 2020"]);
    assert_eq!(s.update(Back), vec![]);
    assert_eq!(s.query, "");
    assert_eq!(rows(&s).len(), 9);
    // In a report, q and Esc go back to the list; neither quits.
    run(&mut s, &[Open, NextTab]);
    assert_eq!(s.update(Leave), vec![]);
    assert_eq!(s.screen(), ScreenKind::List);
    run(&mut s, &[Open]);
    assert_eq!(s.update(Back), vec![]);
    assert_eq!(s.screen(), ScreenKind::List);
    // Help over the list: q closes it, the next q quits.
    run(&mut s, &[Help]);
    assert_eq!(s.mode(), Mode::Help);
    assert_eq!(s.update(Leave), vec![]);
    assert_eq!(s.mode(), Mode::Normal);
    assert_eq!(s.update(Leave), vec![Effect::Quit]);
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    for setup in [
        vec![],
        vec![Open, NextTab, NextTab],
        vec![Help],
        vec![FilterStart, FilterChar('p')],
        vec![OpenFollowups],
        vec![Open, OpenCompare],
    ] {
        let mut s = zh(80, 24);
        run(&mut s, &setup);
        assert_eq!(s.update(Quit), vec![Effect::Quit], "after {setup:?}");
    }
}

#[test]
fn closing_the_keymap_problems_box_with_esc_does_not_quit() {
    let mut s = zh(80, 24);
    s.warnings = vec!["keys.toml: unknown action `frobnicate`".into()];
    assert!(screen_text(&s).contains("按键设置的问题"));
    assert_eq!(s.update(Back), vec![]);
    assert!(s.warnings.is_empty());
    assert_eq!(s.screen(), ScreenKind::List);
    assert!(!screen_text(&s).contains("按键设置的问题"));
    // The key that closed the box did nothing else; a q after it quits.
    let mut s = zh(80, 24);
    s.warnings = vec!["keys.toml: unknown action `frobnicate`".into()];
    assert_eq!(s.update(Leave), vec![]);
    assert_eq!(s.update(Leave), vec![Effect::Quit]);
}

#[test]
fn the_footer_always_says_how_to_quit() {
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in [(60, 16), (80, 24), (160, 48)] {
            let quit = if lang == Lang::Zh { "退出" } else { "quit" };
            let back = if lang == Lang::Zh { "返回" } else { "back" };
            let mut s = state(lang, Theme::color(), w, h);
            let f = footer(&s);
            assert!(
                f.contains(&format!("q {quit}")),
                "{lang:?} {w}x{h} list: {f}"
            );
            for setup in [
                vec![Open],
                vec![Open, NextTab, NextTab, NextTab],
                vec![OpenFollowups],
            ] {
                let mut r = state(lang, Theme::color(), w, h);
                run(&mut r, &setup);
                let f = footer(&r);
                assert!(
                    f.contains(&format!("Esc {back}")) && f.contains(&format!("ctrl-c {quit}")),
                    "{lang:?} {w}x{h} {setup:?}: {f}"
                );
            }
            s.update(Open);
        }
    }
}

#[test]
fn snapshots_of_the_footers() {
    let s = zh(80, 24);
    insta::assert_snapshot!("list_footer_zh_80x24", footer(&s));
    let s = state(Lang::En, Theme::mono(), 80, 24);
    insta::assert_snapshot!("list_footer_en_no_color_80x24", footer(&s));
    let mut s = zh(80, 24);
    run(&mut s, &[Open, NextTab, NextTab, NextTab]);
    insta::assert_snapshot!("table_footer_zh_80x24", footer(&s));
    let mut s = state(Lang::En, Theme::mono(), 80, 24);
    run(&mut s, &[Open]);
    insta::assert_snapshot!("report_footer_en_no_color_80x24", footer(&s));
}

// ---- choosing a follow-up state ----

use report_review::review::{self, Event, ItemRef};
use report_review::tui::followups::StoreMsg;
use report_review::tui::state::Overlay;

fn with_store(lang: Lang, theme: Theme, w: u16, h: u16) -> State {
    let mut s = state(lang, theme, w, h);
    s.apply_store(StoreMsg::Opened {
        notices: vec![],
        read_only: false,
        marks: vec![],
    });
    s.notice = None;
    s
}

/// The store's answer to a change, as the worker sends it.
fn saved(s: &mut State, id: i64, effects: Vec<Effect>) -> (Option<review::State>, review::State) {
    let [Effect::Mark {
        item,
        state,
        note,
        expected,
        ..
    }] = &effects[..]
    else {
        panic!("expected one Mark effect, got {effects:?}");
    };
    let old = expected.unwrap_or(None);
    let note = note
        .clone()
        .unwrap_or_else(|| s.mark_of(item).map(|m| m.note.clone()).unwrap_or_default());
    s.apply_store(StoreMsg::Saved(Event {
        id,
        item: item.clone(),
        at: format!("2026-12-01T0{id}:00:00.000Z"),
        os_user: "zhangsan".into(),
        display_name: Some("张三".into()),
        old_state: old,
        new_state: *state,
        note,
        snapshot: None,
        report_sha256: None,
    }));
    (old, *state)
}

#[test]
fn m_chooses_a_state_directly_and_0_clears_it() {
    let mut s = with_store(Lang::Zh, Theme::color(), 80, 24);
    let key = s.selected_item().unwrap().report.as_ref().unwrap().key();
    let item = ItemRef::report(&key);
    let mut history = Vec::new();
    // 已确认 straight away, then 已整改 straight from it: no dismissal on the way.
    for (id, digit) in [(1, '2'), (2, '4')] {
        assert!(s.update(ToggleMark).is_empty());
        assert_eq!(s.mode(), Mode::Chooser);
        let e = s.update(Choose(digit));
        assert_eq!(s.mode(), Mode::Normal);
        history.push(saved(&mut s, id, e));
    }
    assert_eq!(s.mark_of(&item).unwrap().state, review::State::Resolved);
    // The same state again changes nothing.
    s.update(ToggleMark);
    assert!(s.update(Choose('4')).is_empty());
    assert!(s.notice.as_deref().unwrap().contains("已整改"));
    // 0 clears: the report no longer counts a follow-up.
    s.update(ToggleMark);
    let e = s.update(Choose('0'));
    history.push(saved(&mut s, 3, e));
    assert_eq!(
        history,
        vec![
            (None, review::State::Confirmed),
            (Some(review::State::Confirmed), review::State::Resolved),
            (Some(review::State::Resolved), review::State::Unmarked),
        ]
    );
    let it = s.selected_item().unwrap().clone();
    assert_eq!(s.mark_count(&it), 0);
    assert!(s.followup_rows().is_empty());
    // Esc closes the chooser and writes nothing; an unknown digit says which ones work.
    s.update(ToggleMark);
    assert!(s.update(Choose('7')).is_empty());
    assert_eq!(s.mode(), Mode::Chooser);
    assert!(s.update(Back).is_empty());
    assert_eq!(s.mode(), Mode::Normal);
    assert_eq!(s.screen(), ScreenKind::List);
}

#[test]
fn dismissing_from_the_chooser_asks_for_the_reason_and_expects_the_state_seen() {
    let mut s = with_store(Lang::En, Theme::color(), 80, 24);
    s.update(ToggleMark);
    let e = s.update(Choose('2'));
    saved(&mut s, 1, e);
    s.update(ToggleMark);
    assert!(s.update(Choose('3')).is_empty());
    assert_eq!(s.mode(), Mode::Note);
    for c in "same figure as last year".chars() {
        s.update(NoteChar(c));
    }
    match &s.update(NoteSave)[..] {
        [Effect::Mark {
            state,
            note,
            expected,
            ..
        }] => {
            assert_eq!(*state, review::State::Dismissed);
            assert_eq!(note.as_deref(), Some("same figure as last year"));
            assert_eq!(*expected, Some(Some(review::State::Confirmed)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_note_alone_creates_no_followup() {
    let mut s = with_store(Lang::Zh, Theme::color(), 80, 24);
    s.update(EditNote);
    for c in "已阅，无问题".chars() {
        s.update(NoteChar(c));
    }
    let e = s.update(NoteSave);
    assert_eq!(saved(&mut s, 1, e), (None, review::State::Unmarked));
    let it = s.selected_item().unwrap().clone();
    assert_eq!(s.mark_count(&it), 0, "no ◆ on the list");
    assert!(
        s.followup_rows().is_empty(),
        "nothing on the follow-up screen"
    );
    let key = it.report.as_ref().unwrap().key();
    assert_eq!(
        s.mark_of(&ItemRef::report(&key)).unwrap().note,
        "已阅，无问题"
    );
    // `e` from the chooser edits the note alone, keeping the state.
    s.update(ToggleMark);
    s.update(EditNote);
    assert_eq!(s.mode(), Mode::Note);
    assert!(matches!(s.overlays.last(), Some(Overlay::Note(_))));
}

#[test]
fn snapshots_of_the_chooser() {
    for (name, lang, theme) in [
        ("chooser_zh_80x24", Lang::Zh, Theme::color()),
        ("chooser_en_80x24", Lang::En, Theme::color()),
        ("chooser_zh_no_color_80x24", Lang::Zh, Theme::mono()),
    ] {
        let mut s = with_store(lang, theme, 80, 24);
        s.update(ToggleMark);
        let e = s.update(Choose('2'));
        saved(&mut s, 1, e);
        s.notice = None;
        s.update(ToggleMark);
        let t = draw(&s);
        let text: Vec<String> = (0..24).map(|y| row_text(&t, y)).collect();
        insta::assert_snapshot!(name, text.join("\n"));
    }
}

// ---- one severity language ----

#[test]
fn next_failing_stops_at_errors_only_and_parens_step_through_warnings() {
    use report_review::check::Status;
    let mut s = zh(80, 24);
    let status = |s: &State| s.selected_item().unwrap().status;
    // } from the top goes round the failing reports only, never a warn-only one.
    let mut seen = Vec::new();
    for _ in 0..6 {
        s.update(NextFailing);
        assert_eq!(status(&s), Status::Fail, "{}", selected(&s));
        seen.push(selected(&s));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4, "the four failing samples: {seen:?}");
    // ) visits every report with a warning (failing ones with warnings too), { backwards.
    let mut warned = Vec::new();
    for _ in 0..8 {
        s.update(NextWarning);
        assert!(s.selected_item().unwrap().warnings > 0, "{}", selected(&s));
        warned.push(selected(&s));
    }
    assert!(
        warned.contains(&"淮安市人民政府 2024".to_string()),
        "{warned:?}"
    );
    assert!(
        warned.contains(&"平潭综合实验区 2019".to_string()),
        "{warned:?}"
    );
    assert!(!warned
        .iter()
        .any(|w| w.contains("2021") || w.contains("2022")));
    // Inside a report the same keys step and open the report.
    run(&mut s, &[Top, Open, NextWarning]);
    assert!(s.report_view().is_some());
    assert!(s.open_item().unwrap().warnings > 0);
}

/// The prose gutter carries each finding's own mark: an info finding on 六、 shows `i` in
/// the info style, the TXT-PARTS warning `!`, never a red ✗.
#[test]
fn the_prose_gutter_marks_each_severity_with_its_own_glyph() {
    use report_review::check::Severity;
    let mut s = zh(80, 24);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept]);
    let id = s.selected.unwrap();
    let mut all = s.items[id].findings.clone();
    all.push(finding(
        "SEC-EMPTY-6",
        Severity::Info,
        "S6",
        "第六部分只写“无”",
        None,
        None,
        None,
        &[],
    ));
    s.items[id].set_findings(all);
    let th = Theme::color();
    let glyph_of = |s: &State, needle: &str| -> Option<(String, Option<ratatui::style::Color>)> {
        let t = draw(s);
        (0..24).find_map(|y| {
            row_text(&t, y).contains(needle).then(|| {
                let c = &t.backend().buffer()[(0, y)];
                (c.symbol().to_string(), Some(c.fg))
            })
        })
    };
    run(&mut s, &[Open, NextTab, Bottom]);
    let (g, fg) = glyph_of(&s, "[S6]").expect("六、 shown");
    assert_eq!(g, "i");
    assert_ne!(fg, th.fail.fg, "info drawn in the error colour");
    insta::assert_snapshot!(
        "prose_info_gutter_zh_80x24",
        (0..24)
            .map(|y| row_text(&draw(&s), y))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
