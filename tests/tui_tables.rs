//! Tables as printed: each table 2 sub-table (第二十条第（N）项) has its own header and
//! columns, the cursor moves over real cells only, values are never cut. State tests and
//! snapshots on the real 平潭综合实验区 2020 report (2019 format: five sub-tables).

#[path = "tui_fixtures/mod.rs"]
mod fixtures;

use fixtures::*;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::Terminal;
use report_review::i18n::Lang;
use report_review::review::{self, Event, ItemRef, Mark};
use report_review::tui::action::Action::*;
use report_review::tui::followups::StoreMsg;
use report_review::tui::layout::cell_at;
use report_review::tui::state::{State, Tab};
use report_review::tui::theme::Theme;
use report_review::tui::views;

fn draw(s: &State) -> Terminal<TestBackend> {
    let (w, h) = s.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| views::render(s, f)).unwrap();
    t
}

/// 平潭综合实验区 2020 on its table 2 tab.
fn table2(lang: Lang, theme: Theme, w: u16, h: u16) -> State {
    let mut s = state(lang, theme, w, h);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept, Open, NextTab, NextTab]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Table("T2"));
    s
}

/// Row label and printed value at the cursor.
fn at_cursor(s: &State) -> (String, String) {
    let v = s.report_view().unwrap();
    let report = s.report_view().unwrap().report.clone().unwrap();
    let c = v.cursor("T2");
    let grid = &v.layout.table("T2").unwrap().grid;
    let cell = cell_at(grid, report.table("T2").unwrap(), c.row, c.col).expect("a real cell");
    (grid.rows[c.row].label.clone(), cell.value.raw.to_string())
}

#[test]
fn each_sub_table_has_its_own_caption_and_columns() {
    let s = table2(Lang::Zh, Theme::color(), 80, 24);
    let grid = &s.report_view().unwrap().layout.table("T2").unwrap().grid;
    let groups: Vec<(String, Vec<String>)> = grid
        .groups
        .iter()
        .map(|g| {
            (
                g.caption.clone(),
                g.cols.iter().map(|c| c.full.clone()).collect(),
            )
        })
        .collect();
    // As printed in the report (tests/data/real/pingtan_2020.txt).
    let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        groups,
        vec![
            (
                "第二十条第（一）项".into(),
                cols(&["本年新制作数量", "本年新公开数量", "对外公开总数量"])
            ),
            (
                "第二十条第（五）项".into(),
                cols(&["上一年项目数量", "本年增/减", "处理决定数量"])
            ),
            (
                "第二十条第（六）项".into(),
                cols(&["上一年项目数量", "本年增/减", "处理决定数量"])
            ),
            (
                "第二十条第（八）项".into(),
                cols(&["上一年项目数量", "本年增/减"])
            ),
            (
                "第二十条第（九）项".into(),
                cols(&["采购项目数量", "采购总金额"])
            ),
        ]
    );
    // On screen: each caption heads its own columns, 行政许可 396 442 278 under its own.
    let text = format!("{}", draw(&s).backend());
    for (caption, _) in &groups {
        assert!(text.contains(caption.as_str()), "{caption}\n{text}");
    }
    let lines: Vec<&str> = text.lines().collect();
    let head = lines
        .iter()
        .position(|l| l.contains("第二十条第（五）项"))
        .unwrap();
    assert!(lines[head].contains("上一年项目数量") && lines[head].contains("处理决定数量"));
    assert!(lines[head + 1].contains("行政许可") && lines[head + 1].contains("278"));
    // The amount as printed, whole.
    assert!(text.contains("73802895.90元"), "{text}");
}

#[test]
fn the_cursor_moves_over_real_cells_only() {
    let mut s = table2(Lang::Zh, Theme::color(), 80, 24);
    // 政府集中采购 has two cells: right as far as it goes stops on the amount.
    run(
        &mut s,
        &[Bottom, MoveRight, MoveRight, MoveRight, MoveRight],
    );
    assert_eq!(
        at_cursor(&s),
        ("（九）政府集中采购".into(), "73802895.90元".into())
    );
    // Up to 行政事业性收费 (two cells: 35, -15), then to 行政强制 (three: 126 26 29).
    run(&mut s, &[MoveUp]);
    assert_eq!(at_cursor(&s), ("（八）行政事业性收费".into(), "-15".into()));
    run(&mut s, &[MoveUp, MoveRight]);
    assert_eq!(at_cursor(&s), ("（六）行政强制".into(), "29".into()));
    run(&mut s, &[MoveUp, MoveLeft]);
    assert_eq!(at_cursor(&s), ("（六）行政处罚".into(), "-18".into()));
}

#[test]
fn the_cursor_row_stays_visible_below_the_group_headers() {
    // 16 rows: a header above each of the five groups costs a line; the cursor on the last
    // row is still on screen.
    let mut s = table2(Lang::Zh, Theme::color(), 60, 16);
    run(&mut s, &[Bottom]);
    let text = format!("{}", draw(&s).backend());
    assert!(text.contains("政府集中采购"), "{text}");
    assert!(text.contains("第二十条第（九）项"), "{text}");
    run(&mut s, &[Top]);
    let text = format!("{}", draw(&s).backend());
    assert!(text.contains("第二十条第（一）项"), "{text}");
}

#[test]
fn snapshots_of_table_2_as_printed() {
    for (w, h) in [(80, 24), (160, 48)] {
        let s = table2(Lang::Zh, Theme::color(), w, h);
        insta::assert_snapshot!(format!("table2_pingtan_2020_{w}x{h}"), draw(&s).backend());
    }
    let mut s = table2(Lang::En, Theme::color(), 80, 24);
    run(&mut s, &[Bottom, MoveRight]);
    insta::assert_snapshot!("en_table2_pingtan_2020_amount_80x24", draw(&s).backend());
    let mut s = table2(Lang::Zh, Theme::mono(), 60, 16);
    run(&mut s, &[MoveDown, MoveDown, MoveDown]);
    let t = draw(&s);
    insta::assert_snapshot!("no_color_table2_pingtan_2020_60x16", t.backend());
    for cell in t.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
    }
}

/// A follow-up event on a cell of 平潭综合实验区 2020 (fixed time).
fn cell_mark(s: &State, id: i64, key: &str, state: review::State, note: &str) -> Mark {
    let item = s.open_item().unwrap();
    let rk = item.report.as_ref().unwrap().key();
    Event {
        id,
        item: ItemRef::cell(&rk, key),
        at: "2026-11-20T08:00:00.000Z".into(),
        os_user: "zhangsan".into(),
        display_name: Some("张三".into()),
        old_state: None,
        new_state: state,
        note: note.into(),
        snapshot: None,
        report_sha256: None,
    }
    .into()
}

#[test]
fn a_cells_note_is_shown_in_the_table_view() {
    let mut s = table2(Lang::Zh, Theme::mono(), 80, 24);
    let marks = vec![
        // A mark with a note on 行政处罚 本年增/减 (-18 as printed) ...
        cell_mark(
            &s,
            1,
            "T2.a6.行政处罚.delta",
            review::State::Confirmed,
            "本年增/减为负数，已电话核实：取消 18 项",
        ),
        // ... and a note alone, no follow-up, on 行政事业性收费 本年增/减 (-15).
        cell_mark(
            &s,
            2,
            "T2.a8.行政事业性收费.delta",
            review::State::Unmarked,
            "负数属实",
        ),
    ];
    s.apply_store(StoreMsg::Opened {
        notices: vec![],
        read_only: false,
        marks,
    });
    s.notice = None;
    // The cursor on -18: its note in the pane, whole.
    run(&mut s, &[MoveDown, MoveDown, MoveDown, MoveDown, MoveRight]);
    assert_eq!(at_cursor(&s).1, "-18");
    let t = draw(&s);
    let text = format!("{}", t.backend());
    assert!(
        text.contains("本年增/减为负数，已电话核实：取消 18 项"),
        "{text}"
    );
    // Beside the cells: ◆ before -18 (a follow-up), ✎ before -15 (a note alone).
    let row_of = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}\n{text}"))
            .to_string()
    };
    let sign_before = |row: String, sign: &str, value: &str| {
        let (before, after) = row.split_once(sign).unwrap_or_else(|| panic!("{row}"));
        assert!(
            after.trim_start().starts_with(value) && !before.contains(value),
            "{row}"
        );
    };
    sign_before(row_of("行政处罚"), "◆", "-18");
    sign_before(row_of("行政事业性收费"), "✎", "-15");
    insta::assert_snapshot!("no_color_table2_cell_note_80x24", t.backend());
    // On the note-only cell: the note, and no follow-up state in the pane's title.
    run(&mut s, &[MoveDown, MoveDown]);
    assert_eq!(at_cursor(&s).1, "-15");
    let text = format!("{}", draw(&s).backend());
    assert!(text.contains("✎ 备注 负数属实"), "{text}");
}
