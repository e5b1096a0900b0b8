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

use report_review::tui::filter::{FilterChunk, Purpose};
use report_review::tui::runtime::matcher::MatcherWorker;
use report_review::tui::state::Overlay;

/// The `o` chooser's query, count and lines (text, detail) as shown.
fn chooser(s: &State) -> (String, usize, bool, Vec<(String, String)>) {
    let Some(Overlay::Goto(g)) = s.overlay() else {
        panic!("no chooser open: {:?}", s.overlay())
    };
    let lines = g
        .shown
        .iter()
        .map(|c| (c.text.clone(), c.detail.clone()))
        .collect();
    (g.query.clone(), g.matched, g.searching, lines)
}

/// Every query the state left for the matcher worker, run there, and the answers applied as
/// the event loop applies them, until each has sent its last chunk.
fn on_worker(s: &mut State, worker: &MatcherWorker) -> Vec<FilterChunk> {
    let mut waiting = Vec::new();
    while let Some(job) = s.take_filter_job() {
        waiting.push((job.purpose, job.gen));
        worker.submit(job);
    }
    let mut seen = Vec::new();
    while !waiting.is_empty() {
        let c = worker
            .rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the matcher answers");
        waiting.retain(|w| !(c.done && *w == (c.purpose, c.gen)));
        seen.push(c.clone());
        s.update_from(c);
    }
    seen
}

trait Apply {
    fn update_from(&mut self, c: FilterChunk);
}

impl Apply for State {
    /// A matcher answer through `update`, as the event loop gives it.
    fn update_from(&mut self, c: FilterChunk) {
        let effects =
            report_review::tui::update::update(self, report_review::tui::action::Msg::Filtered(c));
        assert!(
            effects.is_empty(),
            "a match result asks for nothing: {effects:?}"
        );
    }
}

#[test]
fn the_report_chooser_is_matched_on_the_worker_with_the_same_result() {
    let worker = MatcherWorker::spawn().unwrap();
    for query in ["余姚", "hongze2023", "pt", "huaian", "json"] {
        let mut inline = state(Lang::Zh, Theme::color(), 80, 24);
        keys(&mut inline, &format!("o{query}"));
        assert!(
            inline.take_filter_job().is_none(),
            "a small batch is matched at once"
        );
        let want = chooser(&inline);
        assert!(want.1 > 0 && !want.2, "{query}: {want:?}");

        let mut s = state(Lang::Zh, Theme::color(), 80, 24);
        s.inline_filter_limit = 0;
        // A blank query lists the first reports at once, without the worker.
        keys(&mut s, "o");
        assert!(s.take_filter_job().is_none());
        assert_eq!(chooser(&s).1, s.items.len());
        for c in query.chars() {
            let before = chooser(&s).3;
            keys(&mut s, &c.to_string());
            // The key returns at once: the previous lines stay until matches arrive.
            let (q, _, searching, lines) = chooser(&s);
            assert!(q.ends_with(c) && searching, "{q}");
            assert_eq!(lines, before);
            let chunks = on_worker(&mut s, &worker);
            assert!(chunks.iter().all(|c| c.purpose == Purpose::Goto));
        }
        assert_eq!(chooser(&s), want, "{query}");
        // Enter goes to the first, as at once.
        s.update(FilterAccept);
        inline.update(FilterAccept);
        assert_eq!(
            s.open_item().map(|i| i.id),
            inline.open_item().map(|i| i.id)
        );
    }
}

#[test]
fn matches_of_an_older_chooser_query_are_dropped() {
    let mut s = state(Lang::Zh, Theme::color(), 80, 24);
    s.inline_filter_limit = 0;
    keys(&mut s, "oh");
    let old = s.take_filter_job().expect("a job for the worker");
    keys(&mut s, "ongze");
    let new = s.take_filter_job().expect("a newer job");
    assert!(
        s.take_filter_job().is_none(),
        "only the newest is left to match"
    );
    assert_eq!((old.purpose, new.purpose), (Purpose::Goto, Purpose::Goto));
    assert!(new.gen > old.gen);
    let matcher = report_review::tui::filter::Matcher::default();
    let chunks = |job: &report_review::tui::filter::FilterJob| {
        let mut out = Vec::new();
        job.run(
            &matcher,
            std::time::Duration::MAX,
            || false,
            |c| {
                out.push(c);
                true
            },
        );
        out
    };
    // `h` matches far more reports than `hongze`: its late answer must not show.
    let before = chooser(&s);
    for c in chunks(&old) {
        assert!(!c.hits.is_empty());
        s.update_from(c);
    }
    assert_eq!(chooser(&s), before);
    for c in chunks(&new) {
        s.update_from(c);
    }
    let mut inline = state(Lang::Zh, Theme::color(), 80, 24);
    keys(&mut inline, "ohongze");
    assert_eq!(chooser(&s), chooser(&inline));
    // Once the chooser is closed, its answers change nothing.
    s.update(FilterCancel);
    for c in chunks(&new) {
        s.update_from(c);
    }
    assert!(s.overlay().is_none());
}

#[test]
fn the_list_filter_and_the_chooser_keep_their_own_generations() {
    let worker = MatcherWorker::spawn().unwrap();
    let mut inline = state(Lang::Zh, Theme::color(), 80, 24);
    typed(&mut inline, "hz");
    run(&mut inline, &[FilterAccept]);
    keys(&mut inline, "opt");
    assert!(!inline.visible.is_empty() && inline.visible.len() < inline.items.len());
    let mut s = state(Lang::Zh, Theme::color(), 80, 24);
    s.inline_filter_limit = 0;
    // The list's query is still to be matched when the chooser is opened and typed in.
    run(
        &mut s,
        &[FilterStart, FilterChar('h'), FilterChar('z'), FilterAccept],
    );
    keys(&mut s, "opt");
    let chunks = on_worker(&mut s, &worker);
    assert!(chunks.iter().any(|c| c.purpose == Purpose::List && c.done));
    assert!(chunks.iter().any(|c| c.purpose == Purpose::Goto && c.done));
    assert!(s.filtering.is_none());
    assert_eq!(s.visible, inline.visible);
    assert_eq!(s.matches, inline.matches);
    assert_eq!(chooser(&s), chooser(&inline));
}
