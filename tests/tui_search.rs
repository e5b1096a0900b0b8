//! Search inside a report: `/` opens a prompt whose letters never run as commands, Enter
//! shows the first hit, `n`/`N` step through the hits while the search is active, Esc ends
//! it. State tests on the real 平潭综合实验区 2020 report, and snapshots of the prompt and of
//! the hits in the prose and in table 2, in both languages and without colour.

#[path = "tui_fixtures/mod.rs"]
mod fixtures;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use fixtures::*;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::Terminal;
use report_review::i18n::Lang;
use report_review::tui::action::Action::{self, *};
use report_review::tui::layout::cell_at;
use report_review::tui::search::HitPlace;
use report_review::tui::state::{Mode, ScreenKind, State, Tab};
use report_review::tui::theme::Theme;
use report_review::tui::views;

fn draw(s: &State) -> Terminal<TestBackend> {
    let (w, h) = s.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| views::render(s, f)).unwrap();
    t
}

/// 平潭综合实验区 2020 opened on its overview.
fn pingtan_2020(lang: Lang, theme: Theme, w: u16, h: u16) -> State {
    let mut s = state(lang, theme, w, h);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept, Open]);
    assert_eq!(s.screen(), ScreenKind::Report);
    s
}

/// Keys as the terminal sends them, through the event mapping the program uses.
fn keys(s: &mut State, text: &str) {
    for c in text.chars() {
        let ev = Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        if let Some(a) = report_review::tui::action_for_event(s, &ev) {
            s.update(a);
        }
    }
}

fn search(s: &mut State, text: &str) {
    keys(s, "/");
    assert_eq!(s.mode(), Mode::Search);
    keys(s, text);
    s.update(FilterAccept);
}

/// The printed value at the table cursor.
fn value_at_cursor(s: &State, tid: &str) -> String {
    let v = s.report_view().unwrap();
    let report = s.report_view().unwrap().report.clone().unwrap();
    let c = v.cursor(tid);
    let grid = &v.layout.table(tid).unwrap().grid;
    cell_at(grid, report.table(tid).unwrap(), c.row, c.col)
        .unwrap()
        .value
        .raw
        .to_string()
}

#[test]
fn typed_letters_go_to_the_search_never_to_commands() {
    let mut s = pingtan_2020(Lang::Zh, Theme::color(), 80, 24);
    // `p` opens compare, `q` goes back, `m` opens the state chooser — here they are text.
    keys(&mut s, "/pt2021qm");
    assert_eq!(s.screen(), ScreenKind::Report);
    assert_eq!(s.mode(), Mode::Search);
    // Esc cancels the prompt and leaves the report where it was.
    s.update(FilterCancel);
    assert_eq!(s.mode(), Mode::Normal);
    assert_eq!(s.screen(), ScreenKind::Report);
    assert!(s.report_view().unwrap().search.is_none());
}

#[test]
fn a_printed_value_is_found_in_table_2() {
    let mut s = pingtan_2020(Lang::Zh, Theme::color(), 80, 24);
    // The report prints 行政处罚 本年增/减 -18 (and 行政事业性收费 -15): one cell each.
    search(&mut s, "-18");
    let v = s.report_view().unwrap();
    let search = v.search.as_ref().unwrap();
    assert_eq!(search.hits.len(), 1, "{:?}", search.hits);
    assert_eq!(v.tab, Tab::Table("T2"));
    assert_eq!(value_at_cursor(&s, "T2"), "-18");
    let row = &v.layout.table("T2").unwrap().grid.rows[v.cursor("T2").row];
    assert!(row.label.contains("行政处罚"), "{}", row.label);
    // Esc ends the search before it leaves the report.
    s.update(Back);
    assert!(s.report_view().unwrap().search.is_none());
    assert_eq!(s.screen(), ScreenKind::Report);
    s.update(Back);
    assert_eq!(s.screen(), ScreenKind::List);
}

#[test]
fn n_and_shift_n_step_through_prose_and_label_hits_while_the_search_is_active() {
    let mut s = pingtan_2020(Lang::Zh, Theme::color(), 80, 24);
    search(&mut s, "行政许可");
    let hits = s.report_view().unwrap().search.clone().unwrap();
    // The prose says 行政许可类信息40条; table 2 has the row 行政许可 396 442 278.
    let report = s.report_view().unwrap().report.clone().unwrap();
    let prose_line = hits.hits.iter().find_map(|h| match h {
        HitPlace::Prose {
            sec: Some(si),
            line: Some(li),
            ..
        } => Some(report.sections[*si].lines[*li].text.clone()),
        _ => None,
    });
    assert!(
        prose_line.is_some_and(|t| t.contains("行政许可类信息40条")),
        "{:?}",
        hits.hits
    );
    let label = hits
        .hits
        .iter()
        .position(|h| matches!(h, HitPlace::Label { tid: "T2", .. }))
        .expect("table 2's row label is a hit");
    // Enter from the overview shows the first hit: the prose.
    assert_eq!(hits.current, Some(0));
    assert_eq!(s.report_view().unwrap().tab, Tab::Prose);
    // `n` up to the label hit: table 2, cursor on 行政许可 whose cells read as printed.
    for _ in 0..label {
        s.update(NextFinding);
    }
    let v = s.report_view().unwrap();
    assert_eq!(v.tab, Tab::Table("T2"));
    let t2 = report.table("T2").unwrap();
    let row = &t2.rows[v.cursor("T2").row];
    let values: Vec<&str> = row.cells.iter().map(|c| c.value.raw.as_str()).collect();
    assert_eq!(values, ["396", "442", "278"]);
    // `N` goes back; from the first hit it wraps to the last.
    s.update(PrevFinding);
    assert_eq!(
        s.report_view().unwrap().search.as_ref().unwrap().current,
        Some(label - 1)
    );
    for _ in 0..label - 1 {
        s.update(PrevFinding);
    }
    s.update(PrevFinding);
    let search = s.report_view().unwrap().search.clone().unwrap();
    assert_eq!(search.current, Some(search.hits.len() - 1));
    assert_eq!(
        search.position(),
        format!("{}/{}", search.hits.len(), search.hits.len())
    );
}

#[test]
fn the_search_starts_at_the_cursor_and_finds_cell_keys() {
    let mut s = pingtan_2020(Lang::Zh, Theme::color(), 80, 24);
    // Table 3's total row, by its key: the cursor goes to the cell (20 as printed).
    run(&mut s, &[NextTab, NextTab, NextTab]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Table("T3"));
    search(&mut s, "T3.R3_7.C1");
    assert_eq!(s.report_view().unwrap().tab, Tab::Table("T3"));
    assert_eq!(value_at_cursor(&s, "T3"), "20");
    // Nothing found: a notice, and the report stays as it was.
    search(&mut s, "不存在的词");
    assert!(s.notice.as_deref().unwrap().contains("不存在的词"));
    assert_eq!(value_at_cursor(&s, "T3"), "20");
}

#[test]
fn hits_are_found_again_after_a_resize() {
    let mut s = pingtan_2020(Lang::Zh, Theme::color(), 80, 24);
    search(&mut s, "政务公开");
    let narrow = s.report_view().unwrap().search.clone().unwrap();
    s.update(Resize(160, 48));
    let wide = s.report_view().unwrap().search.clone().unwrap();
    // Same occurrences, on other display rows.
    assert_eq!(narrow.hits.len(), wide.hits.len());
    let rows = |h: &[HitPlace]| {
        h.iter()
            .filter_map(|h| match h {
                HitPlace::Prose { row, .. } => Some(*row),
                _ => None,
            })
            .max()
    };
    assert!(rows(&wide.hits) < rows(&narrow.hits));
}

#[test]
fn the_prose_cursor_stays_on_its_text_across_a_resize() {
    use report_review::tui::layout::ProseRow;
    let mut s = pingtan_2020(Lang::Zh, Theme::color(), 80, 24);
    // A hit deep in section 一: the cursor on its row.
    search(&mut s, "办结率100%");
    let v = s.report_view().unwrap();
    let (sec, line, at) = match &v.layout.prose[v.prose_cursor] {
        ProseRow::Text { sec, line, range } => (*sec, *line, range.start),
        other => panic!("{other:?}"),
    };
    for (w, h) in [(160, 48), (61, 20), (80, 24)] {
        s.update(Resize(w, h));
        let v = s.report_view().unwrap();
        match &v.layout.prose[v.prose_cursor] {
            ProseRow::Text {
                sec: s2,
                line: l2,
                range,
            } => {
                assert_eq!((*s2, *l2), (sec, line), "{w}x{h}");
                assert!(range.start <= at, "{w}x{h}");
            }
            other => panic!("{w}x{h}: {other:?}"),
        }
        // And it is on screen.
        assert!(v.prose_cursor >= v.prose_scroll);
        assert!(v.prose_cursor < v.prose_scroll + s.dims().body_rows);
    }
}

fn screens() -> Vec<(&'static str, Vec<Action>, &'static str)> {
    vec![
        ("search_prompt", vec![], "/行政许"),
        ("search_prose_hit", vec![FilterAccept], "/行政许可"),
        (
            "search_table2_hit",
            // Enter shows the first hit (the prose); `n` the second, in table 2.
            vec![FilterAccept, NextFinding],
            "/行政许可",
        ),
    ]
}

fn screen(lang: Lang, theme: Theme, w: u16, h: u16, actions: &[Action], typed: &str) -> State {
    let mut s = pingtan_2020(lang, theme, w, h);
    keys(&mut s, typed);
    run(&mut s, actions);
    s
}

#[test]
fn snapshots_of_the_prompt_and_the_hits() {
    for (name, actions, text) in screens() {
        for (w, h) in [(80, 24), (160, 48)] {
            let s = screen(Lang::Zh, Theme::color(), w, h, &actions, text);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), draw(&s).backend());
        }
        let s = screen(Lang::En, Theme::color(), 80, 24, &actions, text);
        insta::assert_snapshot!(format!("en_{name}_80x24"), draw(&s).backend());
    }
}

#[test]
fn without_colour_hits_are_bold_underlined_and_the_current_one_reversed() {
    use ratatui::style::Modifier;
    for (_, actions, text) in screens() {
        let s = screen(Lang::Zh, Theme::mono(), 80, 24, &actions, text);
        let t = draw(&s);
        let buf = t.backend().buffer();
        for cell in buf.content() {
            assert_eq!(cell.fg, Color::Reset);
            assert_eq!(cell.bg, Color::Reset);
        }
        if s.report_view().unwrap().search.is_none() {
            continue;
        }
        // Every 许 of a hit on screen is underlined (a hit) or reversed (the current one),
        // and the current hit is there.
        let styled: Vec<Modifier> = buf
            .content()
            .iter()
            .filter(|c| c.symbol() == "许")
            .map(|c| c.modifier)
            .collect();
        assert!(!styled.is_empty());
        assert!(styled.iter().any(|m| m.contains(Modifier::REVERSED)));
    }
}
