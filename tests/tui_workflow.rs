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
