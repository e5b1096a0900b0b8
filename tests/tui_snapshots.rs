//! Rendered screens: ratatui `TestBackend` + insta snapshots of every screen with the
//! Chinese sample reports, at 80×24 and 160×48, and the NO_COLOR theme (no colour
//! attribute anywhere in the buffer).

#[path = "tui_fixtures/mod.rs"]
mod fixtures;

use fixtures::*;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;
use report_review::i18n::Lang;
use report_review::tui::action::Action::{self, *};
use report_review::tui::keymap::Keymap;
use report_review::tui::loader::Msg;
use report_review::tui::state::State;
use report_review::tui::theme::Theme;
use report_review::tui::views;

fn draw(s: &State) -> Terminal<TestBackend> {
    let (w, h) = s.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| views::render(s, f)).unwrap();
    t
}

/// Every screen, as (name, actions from a freshly loaded state).
fn screens() -> Vec<(&'static str, Vec<Action>)> {
    vec![
        ("list", vec![]),
        (
            "list_filter_sqs",
            vec![
                FilterStart,
                FilterChar('s'),
                FilterChar('q'),
                FilterChar('s'),
            ],
        ),
        (
            "list_failing_rule_t3",
            vec![
                CycleRuleFilter,
                CycleRuleFilter,
                CycleRuleFilter,
                CycleRuleFilter,
                MoveDown,
            ],
        ),
        (
            "overview_pingtan_2020",
            vec![
                FilterStart,
                FilterChar('p'),
                FilterChar('t'),
                FilterChar('2'),
                FilterChar('0'),
                FilterChar('2'),
                FilterChar('0'),
                FilterAccept,
                Open,
                MoveDown,
            ],
        ),
        (
            "table3_failing_cell",
            vec![
                FilterStart,
                FilterChar('p'),
                FilterChar('t'),
                FilterChar('2'),
                FilterChar('0'),
                FilterChar('2'),
                FilterChar('0'),
                FilterAccept,
                Open,
                NextFinding,
            ],
        ),
        (
            "table3_long_label_at_cursor",
            vec![
                FilterStart,
                FilterChar('p'),
                FilterChar('t'),
                FilterChar('2'),
                FilterChar('0'),
                FilterChar('2'),
                FilterChar('0'),
                FilterAccept,
                Open,
                NextTab,
                NextTab,
                NextTab,
                MoveDown,
                MoveDown,
                MoveDown,
            ],
        ),
        (
            "prose_finding",
            vec![
                FilterStart,
                FilterChar('p'),
                FilterChar('t'),
                FilterChar('2'),
                FilterChar('0'),
                FilterChar('2'),
                FilterChar('0'),
                FilterAccept,
                Open,
                NextFinding,
                NextFinding,
                NextFinding,
            ],
        ),
        ("table4_hongze", vec![Open, NextFinding, NextFinding]),
        ("table2_hongze", vec![Open, NextTab, NextTab]),
        (
            "overview_unreadable",
            vec![MoveDown, MoveDown, MoveDown, MoveDown, Open],
        ),
        ("help", vec![Help]),
        ("report_help", vec![Open, NextTab, NextTab, NextTab, Help]),
        ("rules", vec![OpenRules]),
        ("rules_meta_date", vec![OpenRules, Open, MoveDown]),
    ]
}

fn state_for(theme: Theme, w: u16, h: u16, actions: &[Action]) -> State {
    let mut s = state(Lang::Zh, theme, w, h);
    run(&mut s, actions);
    s
}

#[test]
fn every_screen_at_80x24_and_160x48() {
    for (name, actions) in screens() {
        for (w, h) in [(80, 24), (160, 48)] {
            let s = state_for(Theme::color(), w, h, &actions);
            let t = draw(&s);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), t.backend());
        }
    }
}

#[test]
fn english_list_and_table() {
    let mut s = state(Lang::En, Theme::color(), 80, 24);
    insta::assert_snapshot!("en_list_80x24", draw(&s).backend());
    run(&mut s, &[Open, NextFinding, NextFinding]);
    insta::assert_snapshot!("en_table4_80x24", draw(&s).backend());
}

#[test]
fn english_rule_summary() {
    let mut s = state(Lang::En, Theme::color(), 80, 24);
    s.update(OpenRules);
    insta::assert_snapshot!("en_rules_80x24", draw(&s).backend());
    run(&mut s, &[MoveDown, Open]);
    insta::assert_snapshot!("en_rules_t4_sum_80x24", draw(&s).backend());
}

#[test]
fn first_frame_while_loading() {
    let mut s = State::new(
        "sample_reports",
        Lang::Zh,
        Keymap::default(),
        Theme::color(),
    );
    s.update(Resize(80, 24));
    insta::assert_snapshot!("loading_empty_80x24", draw(&s).backend());
    s.apply(Msg::Discovered(9));
    s.apply(Msg::Loaded(vec![
        loaded("平潭综合实验区_2020.json"),
        unreadable(),
    ]));
    insta::assert_snapshot!("loading_partial_80x24", draw(&s).backend());
}

#[test]
fn smallest_size_fits_every_table_column() {
    let mut actions = screens()[4].1.clone();
    let s = state_for(Theme::color(), 60, 16, &actions);
    insta::assert_snapshot!("table3_failing_cell_60x16", draw(&s).backend());
    actions.extend([
        MoveRight, MoveRight, MoveRight, MoveRight, MoveRight, MoveRight,
    ]);
    let s = state_for(Theme::color(), 60, 16, &actions);
    let t = draw(&s);
    insta::assert_snapshot!("table3_cursor_on_total_60x16", t.backend());
    // Every value column fits beside the labels (headers give way first): the total column
    // with the report's 21 (自然人 20 + 其他 1) is there, and nothing is scrolled away.
    let text = format!("{}", t.backend());
    assert!(text.contains("总计"), "{text}");
    assert!(text.contains(" 21\""), "{text}");
    assert!(!text.contains('‹') && !text.contains('›'), "{text}");
}

#[test]
fn terminal_too_small() {
    let s = state_for(Theme::color(), 50, 12, &[]);
    insta::assert_snapshot!("too_small_50x12", draw(&s).backend());
    let s = state_for(Theme::color(), 50, 12, &[Open, NextTab, NextTab, NextTab]);
    let t = draw(&s);
    assert!(format!("{}", t.backend()).contains("终端窗口太小"));
}

#[test]
fn keymap_conflict_is_shown_at_start() {
    let mut s = state(Lang::Zh, Theme::color(), 80, 24);
    s.warnings = vec!["/home/a/.config/report-review/keys.toml: key `z` is given to both next_report and prev_report; keeping next_report".into()];
    insta::assert_snapshot!("keymap_warning_80x24", draw(&s).backend());
}

fn colours(buf: &Buffer) -> Vec<(u16, u16, String)> {
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            if c.fg != Color::Reset || c.bg != Color::Reset || c.underline_color != Color::Reset {
                out.push((x, y, c.symbol().to_string()));
            }
        }
    }
    out
}

#[test]
fn no_color_sets_no_colour_anywhere() {
    for (name, actions) in screens() {
        for (w, h) in [(80, 24), (160, 48)] {
            let s = state_for(Theme::mono(), w, h, &actions);
            let t = draw(&s);
            let bad = colours(t.backend().buffer());
            assert!(
                bad.is_empty(),
                "{name} {w}x{h}: coloured cells {:?}",
                &bad[..bad.len().min(5)]
            );
            // The text is the same as in colour: state is never carried by colour alone.
            let c = draw(&state_for(Theme::color(), w, h, &actions));
            assert_eq!(
                format!("{}", t.backend()),
                format!("{}", c.backend()),
                "{name}"
            );
        }
    }
    let s = state_for(Theme::mono(), 50, 12, &[]);
    assert!(colours(draw(&s).backend().buffer()).is_empty());
    insta::assert_snapshot!(
        "no_color_table3_80x24",
        draw(&state_for(Theme::mono(), 80, 24, &screens()[4].1)).backend()
    );
}

#[test]
fn no_color_selection_and_failing_cells_use_modifiers() {
    let s = state_for(Theme::mono(), 80, 24, &screens()[4].1);
    let t = draw(&s);
    let buf = t.backend().buffer();
    // the cursor cell (（七）总计 / 自然人) is reversed; its ✗ glyph is there
    let text = format!("{}", t.backend());
    assert!(text.contains("✗    20"), "{text}");
    let reversed = (0..buf.area.height)
        .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
        .filter(|&(x, y)| buf[(x, y)].modifier.contains(Modifier::REVERSED))
        .count();
    assert!(reversed > 0);
}

#[test]
fn colour_theme_marks_failing_cells_red() {
    let s = state_for(Theme::color(), 80, 24, &screens()[7].1);
    let t = draw(&s);
    let buf = t.backend().buffer();
    let red = (0..buf.area.height)
        .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
        .filter(|&(x, y)| buf[(x, y)].symbol() == "✗" && buf[(x, y)].fg == Color::Red)
        .count();
    assert!(red >= 2, "failing cells should be marked with a red ✗");
}

#[test]
fn control_characters_never_reach_the_buffer() {
    let mut l = loaded("平潭综合实验区_2021.json");
    if let Ok(r) = l.report.as_mut() {
        r.agency = "平潭\u{1b}]52;c;ZXZpbA==\u{7}综合\u{1b}[31m实验区\u{9b}2J".into();
        r.sections[0].lines[0].text = "恶意\u{1b}[2J文本\u{202e}反转".into();
    }
    let mut s = State::new("x", Lang::Zh, Keymap::default(), Theme::color());
    s.update(Resize(80, 24));
    s.apply(Msg::Loaded(vec![l]));
    for actions in [vec![], vec![Open], vec![Open, NextTab]] {
        let mut s2 = State::new("x", Lang::Zh, Keymap::default(), Theme::color());
        s2.update(Resize(80, 24));
        s2.items = s.items.clone();
        s2.refresh();
        run(&mut s2, &actions);
        let t = draw(&s2);
        let buf = t.backend().buffer();
        for c in buf.content() {
            assert!(
                !c.symbol()
                    .chars()
                    .any(|ch| ch.is_control() || ch == '\u{202e}'),
                "control character in the buffer: {:?}",
                c.symbol()
            );
        }
    }
}

/// Cells of the buffer row that shows `needle`, as (symbol, modifier).
fn cells_of(t: &Terminal<TestBackend>, needle: &str) -> Vec<(String, Modifier)> {
    let buf = t.backend().buffer();
    for y in 0..buf.area.height {
        // One entry per glyph: the cell covered by a wide glyph is skipped.
        let mut row: Vec<(String, Modifier)> = Vec::new();
        let mut x = 0;
        while x < buf.area.width {
            let c = &buf[(x, y)];
            row.push((c.symbol().to_string(), c.modifier));
            x += unicode_width::UnicodeWidthStr::width(c.symbol()).max(1) as u16;
        }
        let text: String = row.iter().map(|(s, _)| s.as_str()).collect();
        if text.contains(needle) {
            return row;
        }
    }
    panic!("{needle:?} not on screen:\n{}", t.backend());
}

#[test]
fn fuzzy_matched_characters_are_highlighted() {
    for theme in [Theme::color(), Theme::mono()] {
        let s = state_for(theme, 80, 24, &screens()[1].1);
        let t = draw(&s);
        let row = cells_of(&t, "三七市镇");
        let style_of = |ch: &str| row.iter().find(|(s, _)| s == ch).unwrap().1;
        for ch in ["三", "七", "市"] {
            assert!(
                style_of(ch).contains(Modifier::UNDERLINED),
                "{ch} not highlighted"
            );
        }
        assert!(
            !style_of("镇").contains(Modifier::UNDERLINED),
            "镇 should not be highlighted"
        );
    }
}

#[test]
fn prose_figures_of_a_finding_are_highlighted() {
    let s = state_for(Theme::mono(), 80, 24, &screens()[6].1);
    let t = draw(&s);
    let row = cells_of(&t, "2602条");
    let text: String = row.iter().map(|(s, _)| s.as_str()).collect();
    let start = text.find("2602").unwrap();
    let col = text[..start].chars().count();
    for (sym, m) in &row[col..col + 4] {
        assert!(
            m.contains(Modifier::UNDERLINED),
            "{sym} of 2602 not highlighted"
        );
    }
    assert!(
        text.starts_with("▶"),
        "gutter marks the selected finding's row: {text}"
    );
}

/// Long pseudo-random action sequences at many sizes: drawing never panics.
#[test]
fn random_walks_never_panic() {
    let actions = [
        MoveUp,
        MoveDown,
        MoveLeft,
        MoveRight,
        PageUp,
        PageDown,
        Top,
        Bottom,
        Open,
        Back,
        Leave,
        FilterStart,
        NextTab,
        PrevTab,
        NextFinding,
        PrevFinding,
        NextReport,
        PrevReport,
        NextFailing,
        PrevFailing,
        CycleSort,
        ReverseSort,
        CycleStatusFilter,
        CycleRuleFilter,
        CycleYearFilter,
        ClearFilters,
        Copy,
        Help,
        ToggleMark,
        FilterChar('s'),
        FilterChar('平'),
        FilterBackspace,
        FilterAccept,
        FilterCancel,
        Paste("三七".into()),
    ];
    let sizes = [
        (80, 24),
        (160, 48),
        (60, 16),
        (59, 15),
        (1, 1),
        (200, 10),
        (61, 60),
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..12 {
        let (w, h) = sizes[round % sizes.len()];
        let mut s = state(
            if round % 2 == 0 { Lang::Zh } else { Lang::En },
            Theme::color(),
            w,
            h,
        );
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        for step in 0..300 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let a = actions[(seed % actions.len() as u64) as usize].clone();
            if a == Leave
                && s.screen() == report_review::tui::state::ScreenKind::List
                && s.mode() == report_review::tui::state::Mode::Normal
            {
                continue; // would quit
            }
            s.update(a);
            if step % 37 == 0 {
                let (w2, h2) = sizes[(seed as usize / 7) % sizes.len()];
                s.update(Resize(w2, h2));
                t.backend_mut().resize(w2, h2);
            }
            t.draw(|f| views::render(&s, f)).unwrap();
        }
    }
}
