//! The go-to choosers: `:` to a cell of the open report by its key or labels, `o` to any
//! report by agency, issuer or file name, from any screen. State tests on the real sample
//! reports and snapshots in both languages, without colour too.

#[path = "tui_fixtures/mod.rs"]
mod fixtures;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use fixtures::*;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::Terminal;
use report_review::i18n::Lang;
use report_review::tui::action::Action::*;
use report_review::tui::layout::cell_at;
use report_review::tui::state::{Mode, ScreenKind, State, Tab};
use report_review::tui::theme::Theme;
use report_review::tui::views;

fn draw(s: &State) -> Terminal<TestBackend> {
    let (w, h) = s.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| views::render(s, f)).unwrap();
    t
}

/// Keys as the terminal sends them, through the program's event mapping.
fn keys(s: &mut State, text: &str) {
    for c in text.chars() {
        let ev = Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        if let Some(a) = report_review::tui::action_for_event(s, &ev) {
            s.update(a);
        }
    }
}

fn pingtan_2020(lang: Lang, theme: Theme, w: u16, h: u16) -> State {
    let mut s = state(lang, theme, w, h);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept, Open]);
    s
}

fn value_at_cursor(s: &State) -> (&'static str, String) {
    let v = s.report_view().unwrap();
    let Tab::Table(tid) = v.tab else {
        panic!("not on a table: {:?}", v.tab)
    };
    let report = s.report_view().unwrap().report.clone().unwrap();
    let c = v.cursor(tid);
    let grid = &v.layout.table(tid).unwrap().grid;
    let cell = cell_at(grid, report.table(tid).unwrap(), c.row, c.col).unwrap();
    (tid, cell.value.raw.to_string())
}

#[test]
fn colon_goes_to_a_cell_by_its_labels() {
    let mut s = pingtan_2020(Lang::Zh, Theme::color(), 80, 24);
    keys(&mut s, ":");
    assert_eq!(s.mode(), Mode::Search);
    // Words in any order, each in the row or column label: （七）总计 / 自然人.
    keys(&mut s, "自然人 总计");
    s.update(FilterAccept);
    assert_eq!(s.mode(), Mode::Normal);
    // The report prints 20 there (the total that disagrees with its rows).
    assert_eq!(value_at_cursor(&s), ("T3", "20".to_string()));
}

#[test]
fn colon_goes_to_a_cell_by_its_key() {
    let mut s = pingtan_2020(Lang::Zh, Theme::color(), 80, 24);
    keys(&mut s, ":T2.a9");
    // 采购项目数量 then 采购总金额: the second, as printed, whole.
    s.update(MoveDown);
    s.update(FilterAccept);
    assert_eq!(value_at_cursor(&s), ("T2", "73802895.90元".to_string()));
}

#[test]
fn o_goes_to_any_report_by_its_other_names_and_letters_never_run_commands() {
    let mut s = state(Lang::Zh, Theme::color(), 80, 24);
    // 余姚 is in the normalised agency key only (the report prints 三七市镇); `q` would quit.
    keys(&mut s, "oq");
    assert_eq!(s.mode(), Mode::Search);
    s.update(FilterBackspace);
    keys(&mut s, "余姚");
    s.update(FilterAccept);
    assert_eq!(s.screen(), ScreenKind::Report);
    let item = s.open_item().unwrap();
    assert_eq!((item.name.as_str(), item.year()), ("三七市镇", Some(2020)));
    // From a report, by pinyin and year: 洪泽 2023, whose file is 淮安市洪泽区人民政府_2023.json.
    keys(&mut s, "ohongze2023");
    s.update(FilterAccept);
    let item = s.open_item().unwrap();
    assert_eq!(item.file, "淮安市洪泽区人民政府_2023.json");
    // Esc closes the chooser and stays put.
    keys(&mut s, "o");
    s.update(FilterCancel);
    assert_eq!(s.mode(), Mode::Normal);
    assert_eq!(
        s.open_item().unwrap().file,
        "淮安市洪泽区人民政府_2023.json"
    );
}

#[test]
fn snapshots_of_the_choosers() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut s = pingtan_2020(Lang::Zh, Theme::color(), w, h);
        keys(&mut s, ":总计");
        insta::assert_snapshot!(format!("goto_cell_{w}x{h}"), draw(&s).backend());
        let mut s = state(Lang::Zh, Theme::color(), w, h);
        keys(&mut s, "opt");
        insta::assert_snapshot!(format!("goto_report_{w}x{h}"), draw(&s).backend());
    }
    let mut s = state(Lang::En, Theme::mono(), 80, 24);
    keys(&mut s, "ohuaian");
    s.update(MoveDown);
    let t = draw(&s);
    insta::assert_snapshot!("en_no_color_goto_report_80x24", t.backend());
    for cell in t.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
    }
}
