//! Follow-up marks in the review screen: state tests (cycling, the reason for 已排除, the note
//! editor with Chinese text and paste, the follow-up screen's filters and jump, other
//! reviewers' changes, waivers) and snapshots of the follow-up screen and the note editor.
//! The store itself is not involved: its answers are applied as `StoreMsg`s.

#[path = "tui_fixtures/mod.rs"]
mod fixtures;

use fixtures::*;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use report_review::check::Status;
use report_review::i18n::Lang;
use report_review::review::{self, Event, ItemRef, Mark};
use report_review::tui::action::{Action, Effect};
use report_review::tui::followups::{NotePurpose, StoreMsg};
use report_review::tui::layout::ProseRow;
use report_review::tui::state::{Mode, ScreenKind, State, Tab};
use report_review::tui::theme::Theme;
use report_review::tui::views;
use Action::*;

fn key_of(s: &State, name_year: &str) -> String {
    let item = s
        .items
        .iter()
        .find(|i| format!("{} {}", i.name, i.year().unwrap_or(0)) == name_year)
        .unwrap_or_else(|| panic!("no report {name_year}"));
    item.report.as_ref().unwrap().key()
}

#[allow(clippy::too_many_arguments)]
fn ev(
    id: i64,
    item: ItemRef,
    user: &str,
    name: Option<&str>,
    old: Option<review::State>,
    new: review::State,
    note: &str,
    snapshot: Option<&str>,
) -> Event {
    Event {
        id,
        item,
        at: format!("2026-11-20T08:{:02}:00.000Z", id % 60),
        os_user: user.into(),
        display_name: name.map(Into::into),
        old_state: old,
        new_state: new,
        note: note.into(),
        snapshot: snapshot.map(Into::into),
        report_sha256: None,
    }
}

/// A loaded state whose store answered with `marks`.
fn with_store(lang: Lang, theme: Theme, w: u16, h: u16, marks: Vec<Mark>) -> State {
    let mut s = state(lang, theme, w, h);
    s.apply_store(StoreMsg::Opened {
        notices: vec![],
        read_only: false,
        marks,
    });
    s.notice = None;
    s
}

/// `m` then a digit of the chooser (or, when `m` alone answers — an override — just `m`).
fn press_m(s: &mut State, digit: char) -> Vec<Effect> {
    let effects = s.update(ToggleMark);
    if effects.is_empty() && s.mode() == Mode::Chooser {
        return s.update(Choose(digit));
    }
    effects
}

fn mark_effect(effects: &[Effect]) -> (ItemRef, review::State, Option<String>) {
    match effects {
        [Effect::Mark {
            item, state, note, ..
        }] => (item.clone(), *state, note.clone()),
        other => panic!("expected one Mark effect, got {other:?}"),
    }
}

/// Marks of three reports by two reviewers (fixed times, for snapshots).
fn sample_marks(s: &State) -> Vec<Mark> {
    let pt = key_of(s, "平潭综合实验区 2020");
    let sq = key_of(s, "三七市镇 2020");
    let hz = key_of(s, "淮安市洪泽区人民政府 2024");
    vec![
        ev(
            3,
            ItemRef::cell(&pt, "T3.R3_7.C1"),
            "zhangsan",
            Some("张三"),
            None,
            review::State::Open,
            "合计与分项不符，待电话核实",
            Some("21"),
        )
        .into(),
        ev(
            5,
            ItemRef::finding(&sq, "SEC-MISSING", "S6"),
            "lisi",
            None,
            Some(review::State::Confirmed),
            review::State::Dismissed,
            "第六部分内容并入第五部分",
            None,
        )
        .into(),
        ev(
            7,
            ItemRef::finding(&hz, "TPL-HYBRID", "META.template"),
            "zhangsan",
            Some("张三"),
            None,
            review::State::Confirmed,
            "",
            Some("hybrid"),
        )
        .into(),
        ev(
            8,
            ItemRef::report(&pt),
            "lisi",
            None,
            None,
            review::State::Resolved,
            "已整改并重新发布",
            None,
        )
        .into(),
    ]
}

#[test]
fn m_cycles_the_report_mark_and_dismissed_needs_a_reason() {
    let mut s = with_store(Lang::Zh, Theme::color(), 80, 24, vec![]);
    let key = key_of(&s, "洪泽区人民政府 2023");
    assert_eq!(selected(&s), "洪泽区人民政府 2023");

    let (item, to, note) = mark_effect(&press_m(&mut s, '1'));
    assert_eq!(item, ItemRef::report(&key));
    assert_eq!(to, review::State::Open);
    assert_eq!(note, None);
    // The store commits and answers; the next m goes on from there.
    let item0 = item.clone();
    s.apply_store(StoreMsg::Saved(ev(
        1,
        item0.clone(),
        "me",
        None,
        None,
        review::State::Open,
        "",
        None,
    )));
    assert_eq!(s.mark_of(&item0).unwrap().state, review::State::Open);
    let (_, to, _) = mark_effect(&press_m(&mut s, '2'));
    assert_eq!(to, review::State::Confirmed);
    s.apply_store(StoreMsg::Saved(ev(
        2,
        item0.clone(),
        "me",
        None,
        Some(review::State::Open),
        review::State::Confirmed,
        "",
        None,
    )));

    // Into 已排除: the editor opens, empty; an empty reason is refused with a message.
    assert!(press_m(&mut s, '3').is_empty());
    assert_eq!(s.mode(), Mode::Note);
    let ed = s.note_editor().unwrap();
    assert_eq!(ed.purpose, NotePurpose::Reason(review::State::Dismissed));
    assert!(ed.line.text.is_empty());
    assert!(s.update(NoteSave).is_empty());
    assert_eq!(s.mode(), Mode::Note);
    assert!(
        s.notice.as_deref().unwrap().contains("理由"),
        "{:?}",
        s.notice
    );
    for c in "  ".chars() {
        s.update(NoteChar(c));
    }
    assert!(s.update(NoteSave).is_empty(), "blank reason is no reason");
    for c in "模板混用属实".chars() {
        s.update(NoteChar(c));
    }
    let (item, to, note) = mark_effect(&s.update(NoteSave));
    assert_eq!(item, item0);
    assert_eq!(to, review::State::Dismissed);
    assert_eq!(note.as_deref(), Some("模板混用属实"));
    assert_eq!(s.mode(), Mode::Normal);
    assert!(s.note_editor().is_none());
}

#[test]
fn esc_cancels_the_editor_without_saving() {
    let mut s = with_store(Lang::En, Theme::color(), 80, 24, vec![]);
    assert!(s.update(EditNote).is_empty());
    assert_eq!(s.mode(), Mode::Note);
    s.update(NoteChar('x'));
    assert!(s.update(NoteCancel).is_empty());
    assert_eq!(s.mode(), Mode::Normal);
    assert_eq!(s.notice.as_deref(), Some("not saved"));
}

#[test]
fn without_a_store_m_says_why() {
    let mut s = state(Lang::En, Theme::color(), 80, 24);
    s.apply_store(StoreMsg::Unavailable(
        "cannot open follow-up store x: denied".into(),
    ));
    assert!(s.update(ToggleMark).is_empty());
    assert!(s.notice.as_deref().unwrap().contains("denied"));
    let mut s = with_store(Lang::En, Theme::color(), 80, 24, vec![]);
    s.followups.read_only = true;
    assert!(s.update(ToggleMark).is_empty());
    assert!(s.notice.as_deref().unwrap().contains("read-only"));
}

#[test]
fn note_editor_takes_chinese_text_and_sanitised_paste() {
    let mut s = with_store(Lang::Zh, Theme::color(), 80, 24, vec![]);
    s.update(EditNote);
    for c in "电话核实".chars() {
        s.update(NoteChar(c));
    }
    // Cursor movement by character, not byte.
    s.update(NoteLeft);
    s.update(NoteLeft);
    s.update(Paste("已\r\n于\t11月\u{1b}[31m20日".into()));
    let ed = s.note_editor().unwrap();
    // The escape sequence goes whole, not just its ESC.
    assert_eq!(ed.text(), "电话已  于 11月20日核实");
    assert_eq!(ed.line.cursor, "电话已  于 11月20日".chars().count());
    s.update(NoteBackspace); // 日
    s.update(NoteHome);
    s.update(NoteDelete); // 电
    s.update(NoteEnd);
    s.update(NoteBackspace); // 实
    let ed = s.note_editor().unwrap();
    assert_eq!(ed.text(), "话已  于 11月20核");
    let (_, to, note) = mark_effect(&s.update(NoteSave));
    assert_eq!(
        to,
        review::State::Unmarked,
        "a note alone on an unmarked item is no follow-up"
    );
    assert_eq!(note.as_deref(), Some("话已  于 11月20核"));
}

#[test]
fn m_on_a_failing_cell_marks_the_cell_with_its_value() {
    let mut s = with_store(Lang::Zh, Theme::color(), 80, 24, vec![]);
    run(&mut s, &[FilterStart]);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept, Open, NextFinding]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Table("T3"));
    let key = key_of(&s, "平潭综合实验区 2020");
    let effects = press_m(&mut s, '1');
    match &effects[..] {
        [Effect::Mark {
            item,
            state,
            snapshot,
            ..
        }] => {
            assert_eq!(*item, ItemRef::cell(&key, "T3.R3_7.C1"));
            assert_eq!(*state, review::State::Open);
            assert_eq!(snapshot.value.as_deref(), Some("20"));
        }
        other => panic!("{other:?}"),
    }
    // In the overview, on a finding: the finding is marked.
    run(&mut s, &[PrevTab, PrevTab, PrevTab]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Overview);
    let (item, _, _) = mark_effect(&press_m(&mut s, '1'));
    assert_eq!(item, ItemRef::finding(&key, "T3-RES", "T3.R3_7.C1"));
}

#[test]
fn followup_screen_filters_and_jumps() {
    let base = state(Lang::Zh, Theme::color(), 80, 24);
    let marks = sample_marks(&base);
    let mut s = with_store(Lang::Zh, Theme::color(), 80, 24, marks);
    s.update(OpenFollowups);
    assert_eq!(s.screen(), ScreenKind::Followups);
    assert_eq!(s.followup_rows().len(), 4);
    // State filter: first state is 待核实 open.
    s.update(CycleStatusFilter);
    let rows = s.followup_rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, review::State::Open);
    s.update(ClearFilters);
    // Reviewer filter: lisi first (sorted logins).
    s.update(CycleReviewerFilter);
    assert_eq!(s.followups.screen.reviewer.as_deref(), Some("lisi"));
    assert!(s.followup_rows().iter().all(|m| m.os_user == "lisi"));
    assert_eq!(s.followup_rows().len(), 2);
    s.update(CycleReviewerFilter);
    assert_eq!(s.followups.screen.reviewer.as_deref(), Some("zhangsan"));
    s.update(CycleReviewerFilter);
    assert_eq!(s.followups.screen.reviewer, None);
    // Rule filter: finding marks of that rule only.
    s.update(CycleRuleFilter);
    assert_eq!(s.followups.screen.rule.as_deref(), Some("SEC-MISSING"));
    assert_eq!(s.followup_rows().len(), 1);
    s.update(ClearFilters);

    // Enter on the cell mark opens the report at the cell.
    let i = s
        .followup_rows()
        .iter()
        .position(|m| m.item.place() == "T3.R3_7.C1")
        .unwrap();
    s.followups.screen.cursor = i;
    s.update(Open);
    assert_eq!(s.screen(), ScreenKind::Report);
    let v = s.report_view().unwrap();
    assert_eq!(v.tab, Tab::Table("T3"));
    assert_eq!(s.mark_target().unwrap().1.place(), "T3.R3_7.C1");
    // History of the item under the cursor is asked of the store.
    assert_eq!(
        s.update(ShowHistory),
        vec![Effect::History(ItemRef::cell(
            &key_of(&s, "平潭综合实验区 2020"),
            "T3.R3_7.C1"
        ))]
    );
    // Back from the report is the follow-up screen it was opened from, then the list.
    s.update(Back);
    assert_eq!(s.screen(), ScreenKind::Followups);
    s.update(Open);
    // F from a report opened from it: back to the same follow-up screen, not a new one.
    s.update(OpenFollowups);
    assert_eq!(s.screen(), ScreenKind::Followups);
    assert_eq!(s.stack.len(), 1);
    s.update(Back);
    assert_eq!(s.screen(), ScreenKind::List);
    // F from a report opened from the list, Esc back to it.
    s.update(Open);
    s.update(OpenFollowups);
    s.update(Back);
    assert_eq!(s.screen(), ScreenKind::Report);
}

#[test]
fn other_reviewers_changes_are_applied() {
    let mut s = with_store(Lang::En, Theme::color(), 80, 24, vec![]);
    let key = key_of(&s, "平潭综合实验区 2020");
    let cell = ItemRef::cell(&key, "T3.R3_7.C1");
    s.apply_store(StoreMsg::Events(vec![ev(
        10,
        cell.clone(),
        "wangwu",
        None,
        None,
        review::State::Open,
        "",
        None,
    )]));
    assert_eq!(s.mark_of(&cell).unwrap().os_user, "wangwu");
    s.apply_store(StoreMsg::Events(vec![ev(
        12,
        cell.clone(),
        "zhaoliu",
        None,
        Some(review::State::Open),
        review::State::Confirmed,
        "确认",
        None,
    )]));
    assert_eq!(s.mark_of(&cell).unwrap().state, review::State::Confirmed);
    // An older event (seen again) never goes back.
    s.apply_store(StoreMsg::Events(vec![ev(
        10,
        cell.clone(),
        "wangwu",
        None,
        None,
        review::State::Open,
        "",
        None,
    )]));
    assert_eq!(s.mark_of(&cell).unwrap().state, review::State::Confirmed);
    let i = s
        .items
        .iter()
        .position(|i| i.name == "平潭综合实验区" && i.year() == Some(2020));
    assert_eq!(s.mark_count(&s.items[i.unwrap()]), 1);
}

#[test]
fn a_report_whose_errors_are_all_dismissed_passes_with_a_waiver_sign() {
    let mut s = with_store(Lang::En, Theme::color(), 80, 24, vec![]);
    let key = key_of(&s, "淮安市洪泽区人民政府 2024");
    let id = s.item_of_report(&key).unwrap();
    assert_eq!(s.items[id].status, Status::Fail);
    let f = ItemRef::finding(&key, "TPL-HYBRID", "META.template");
    s.apply_store(StoreMsg::Events(vec![ev(
        20,
        f.clone(),
        "lisi",
        None,
        None,
        review::State::Dismissed,
        "两版模板混用经核实为排版问题",
        None,
    )]));
    let it = &s.items[id];
    assert_eq!(it.raw_status, Status::Fail);
    assert_eq!(it.status, Status::Pass);
    assert!(it.waived);
    assert_eq!(s.item_status_text(it), "✓ pass ⚑");
    // Status filter and totals follow the waived status.
    assert_eq!(s.totals()[2], (Status::Pass, 3));
    // Back to another state: the waiver is gone.
    s.apply_store(StoreMsg::Events(vec![ev(
        21,
        f,
        "lisi",
        None,
        Some(review::State::Dismissed),
        review::State::Resolved,
        "",
        None,
    )]));
    assert_eq!(s.items[id].status, Status::Fail);
    assert!(!s.items[id].waived);
}

// ---- snapshots ----

fn draw(s: &State) -> Terminal<TestBackend> {
    let (w, h) = s.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| views::render(s, f)).unwrap();
    t
}

fn followup_screen(theme: Theme, w: u16, h: u16) -> State {
    followup_screen_in(Lang::Zh, theme, w, h)
}

fn followup_screen_in(lang: Lang, theme: Theme, w: u16, h: u16) -> State {
    let base = state(lang, theme.clone(), w, h);
    let marks = sample_marks(&base);
    let mut s = with_store(lang, theme, w, h, marks);
    s.update(OpenFollowups);
    s
}

/// The screen's text, one string per row.
fn screen_rows(s: &State) -> Vec<String> {
    let t = draw(s);
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            let mut row = String::new();
            let mut skip = 0;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                skip = report_review::textwidth::width(sym).saturating_sub(1);
                row.push_str(sym);
            }
            row
        })
        .collect()
}

#[test]
fn the_followup_screen_reads_at_80_columns_in_both_languages() {
    for lang in [Lang::Zh, Lang::En] {
        let s = followup_screen_in(lang, Theme::mono(), 80, 24);
        let rows = screen_rows(&s);
        let find = |needle: &str| {
            rows.iter()
                .find(|r| r.contains(needle))
                .unwrap_or_else(|| panic!("{lang:?}: no row with {needle:?}:\n{}", rows.join("\n")))
                .clone()
        };
        // The year is never cut; the place is the table's own words, not its key.
        // (A long agency name gives way to the place; its year stays.)
        let cell = find("表三 （七）总计 · 自然人");
        assert!(
            cell.contains("平潭综合实验") && cell.contains(" 2020 · 表三"),
            "{cell}"
        );
        assert!(
            !rows.iter().any(|r| r.contains("T3.R3_7")),
            "a key is shown"
        );
        // The whole state word, whatever the language: "dismissed" is never cut.
        let dismissed = find("三七市镇 2020 · 六、其他需要报告的事项");
        let word = if lang == Lang::Zh {
            "◆ 已排除"
        } else {
            "◆ dismissed"
        };
        assert!(dismissed.contains(word), "{dismissed}");
        // Local time (UTC+8) with the zone named: 08:05Z is 16:05.
        assert!(dismissed.contains("11-20 16:05"), "{dismissed}");
        assert!(rows[2].contains("UTC+8"), "{}", rows[2]);
        assert!(rows.iter().any(|r| r.contains("2026-11-20 16:05 UTC+8")));
        // The finding's message and the note beside the mark.
        let about = &rows[rows.iter().position(|r| *r == dismissed).unwrap() + 1];
        assert!(about.contains("SEC-MISSING 缺少第六部分"), "{about}");
        assert!(about.contains("✎ 第六部分内容并入第五部分"), "{about}");
    }
}

#[test]
fn the_followup_screen_sorts_by_state_time_and_reviewer() {
    let mut s = followup_screen(Theme::mono(), 80, 24);
    let order = |s: &State| -> Vec<i64> { s.followup_rows().iter().map(|m| m.event_id).collect() };
    // By report (agency key), items in printed order: the report mark before its cell.
    assert_eq!(order(&s), vec![5, 8, 3, 7]);
    s.update(CycleSort);
    // 待核实, 已确认, 已排除, 已整改.
    assert_eq!(order(&s), vec![3, 7, 5, 8]);
    s.update(CycleSort);
    assert_eq!(order(&s), vec![8, 7, 5, 3], "latest first");
    s.update(ReverseSort);
    assert_eq!(order(&s), vec![3, 5, 7, 8]);
    s.update(ReverseSort);
    s.update(CycleSort);
    // lisi before 张三 (zhangsan).
    assert_eq!(order(&s), vec![5, 8, 3, 7]);
    assert!(
        screen_rows(&s)[1].contains("审核人↓"),
        "{}",
        screen_rows(&s)[1]
    );
    // The reviewer filter shows the reviewer as the rows do, and filters by login.
    s.update(CycleReviewerFilter);
    s.update(CycleReviewerFilter);
    assert_eq!(order(&s), vec![3, 7]);
    assert!(
        screen_rows(&s)[1].contains("审核人 张三 (zhangsan)"),
        "{}",
        screen_rows(&s)[1]
    );
}

fn editor_with_chinese(w: u16, h: u16) -> State {
    let mut s = with_store(Lang::Zh, Theme::color(), w, h, vec![]);
    run(&mut s, &[FilterStart]);
    typed(&mut s, "pt2020");
    run(
        &mut s,
        &[FilterAccept, Open, NextFinding, ToggleMark, Choose('1')],
    );
    let key = key_of(&s, "平潭综合实验区 2020");
    let cell = ItemRef::cell(&key, "T3.R3_7.C1");
    s.apply_store(StoreMsg::Saved(ev(
        1,
        cell.clone(),
        "zhangsan",
        Some("张三"),
        None,
        review::State::Open,
        "",
        Some("20"),
    )));
    s.apply_store(StoreMsg::Saved(ev(
        2,
        cell,
        "zhangsan",
        Some("张三"),
        Some(review::State::Open),
        review::State::Confirmed,
        "",
        Some("20"),
    )));
    press_m(&mut s, '3');
    assert_eq!(s.mode(), Mode::Note);
    s.update(Paste("自然人一栏合计应为 26，".into()));
    for c in "已电话核实，系笔误".chars() {
        s.update(NoteChar(c));
    }
    s
}

#[test]
fn snapshots_of_the_followup_screen() {
    for (w, h) in [(80, 24), (160, 48)] {
        let s = followup_screen(Theme::color(), w, h);
        insta::assert_snapshot!(format!("followups_{w}x{h}"), draw(&s).backend());
        let s = followup_screen_in(Lang::En, Theme::color(), w, h);
        insta::assert_snapshot!(format!("followups_en_{w}x{h}"), draw(&s).backend());
    }
    let s = followup_screen(Theme::mono(), 80, 24);
    let t = draw(&s);
    insta::assert_snapshot!("followups_no_color_80x24", t.backend());
    for c in t.backend().buffer().content() {
        assert_eq!(c.fg, ratatui::style::Color::Reset, "colour under NO_COLOR");
        assert_eq!(c.bg, ratatui::style::Color::Reset, "colour under NO_COLOR");
    }
}

#[test]
fn snapshots_of_the_note_editor_with_chinese_text() {
    for (w, h) in [(80, 24), (160, 48)] {
        let s = editor_with_chinese(w, h);
        insta::assert_snapshot!(format!("note_editor_{w}x{h}"), draw(&s).backend());
    }
}

#[test]
fn snapshot_of_a_marked_cell_and_the_waived_list() {
    let base = state(Lang::Zh, Theme::color(), 80, 24);
    let marks = sample_marks(&base);
    let mut s = with_store(Lang::Zh, Theme::color(), 80, 24, marks);
    insta::assert_snapshot!("followups_list_80x24", draw(&s).backend());
    run(&mut s, &[FilterStart]);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept, Open, NextFinding]);
    insta::assert_snapshot!("followups_marked_cell_80x24", draw(&s).backend());
}

#[test]
fn m_in_the_prose_tab_marks_the_section_under_the_cursor_not_the_one_at_the_top() {
    let mut s = with_store(Lang::Zh, Theme::color(), 80, 24, vec![]);
    run(&mut s, &[FilterStart]);
    typed(&mut s, "sqs");
    run(&mut s, &[FilterAccept, Open, NextTab]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Prose);
    let key = key_of(&s, "三七市镇 2020");
    // The cursor on the last line: the screen's top row is in an earlier section.
    run(&mut s, &[Bottom]);
    let v = s.report_view().unwrap();
    let report = s.report_view().unwrap().report.clone().unwrap();
    let last = report.sections.last().unwrap().id.clone().unwrap();
    let top_section = v.layout.prose[v.prose_scroll..]
        .iter()
        .find_map(|r| match r {
            ProseRow::Heading(si) => Some(*si),
            ProseRow::Text { sec, .. } => *sec,
            ProseRow::Blank => None,
        })
        .and_then(|si| report.sections[si].id.clone())
        .unwrap();
    assert_ne!(
        top_section, last,
        "the test needs the top row in another section"
    );
    let (item, to, _) = mark_effect(&press_m(&mut s, '1'));
    assert_eq!(to, review::State::Open);
    assert_eq!(item.target, review::Target::Section { id: last });
    assert_eq!(item.report_key, key);
    // Up into the section above its heading: `m` follows the cursor there.
    let v = s.report_view().unwrap();
    let heading = v
        .layout
        .prose
        .iter()
        .rposition(|r| matches!(r, ProseRow::Heading(_)))
        .unwrap();
    let steps = v.prose_cursor - heading + 1;
    for _ in 0..steps {
        s.update(MoveUp);
    }
    let before = report.sections[report.sections.len() - 2]
        .id
        .clone()
        .unwrap();
    let (item, _, _) = mark_effect(&press_m(&mut s, '1'));
    assert_eq!(item.target, review::Target::Section { id: before });
}

#[test]
fn m_on_a_compare_row_marks_that_cell() {
    let mut s = with_store(Lang::Zh, Theme::color(), 80, 24, vec![]);
    run(&mut s, &[FilterStart]);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept, Open, OpenCompare, NextFinding]);
    assert_eq!(s.screen(), ScreenKind::Compare);
    let row = s.compare_view().unwrap().current().unwrap().clone();
    let (item, state, _) = mark_effect(&press_m(&mut s, '1'));
    // The first cross-year finding sits on a cell of this year's report.
    assert_eq!(
        item,
        ItemRef::cell(&key_of(&s, "平潭综合实验区 2020"), &row.key)
    );
    assert_eq!(state, review::State::Open);
}

/// Long pseudo-random walks over every key, with the store answering as the worker does
/// (marks saved, histories read): every screen and every overlay is reached, and neither
/// update nor drawing ever panics.
#[test]
fn random_walks_reach_every_screen_and_overlay() {
    use std::collections::BTreeSet;
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
        Open,
        Back,
        Leave,
        FilterStart,
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
        EditNote,
        OpenFollowups,
        ShowHistory,
        CycleReviewerFilter,
        OpenCompare,
        ToggleZeros,
        NextDiff,
        PrevDiff,
        ChoosePairing,
        ToggleSelect,
        VisualSelect,
        SelectRule,
        OpenRules,
        Export,
        SelectRule,
        ToggleMark,
        FilterChar('p'),
        FilterChar('平'),
        FilterBackspace,
        FilterAccept,
        FilterCancel,
        Paste("三七\u{1b}[31m".into()),
        NoteChar('核'),
        NoteChar('a'),
        NoteBackspace,
        NoteDelete,
        NoteLeft,
        NoteRight,
        NoteHome,
        NoteEnd,
        NoteSave,
        NoteCancel,
        Choose('1'),
        Choose('2'),
        Choose('3'),
        Choose('4'),
        Choose('0'),
        Choose('7'),
    ];
    let sizes = [(80, 24), (160, 48), (60, 16), (59, 15), (200, 10), (61, 60)];
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next_id = 100;
    for round in 0..12 {
        let (w, h) = sizes[round % sizes.len()];
        let lang = if round % 2 == 0 { Lang::Zh } else { Lang::En };
        let base = state(lang, Theme::color(), w, h);
        let marks = sample_marks(&base);
        let mut s = with_store(lang, Theme::color(), w, h, marks);
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        for step in 0..400 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let a = actions[(seed % actions.len() as u64) as usize].clone();
            let at_list =
                s.screen() == ScreenKind::List && s.mode() == Mode::Normal && s.history().is_none();
            if a == Leave && at_list {
                continue; // would quit
            }
            // The export prompt takes every letter as text: close it as a person would,
            // after a few keys, so the walk goes on elsewhere.
            let a = if s.mode() == Mode::Export && step % 4 == 0 {
                [NoteSave, NoteCancel][step % 8 / 4].clone()
            } else {
                a
            };
            for effect in s.update(a) {
                // Answer as the store worker would.
                match effect {
                    Effect::Mark {
                        item, state, note, ..
                    } => {
                        next_id += 1;
                        let e = ev(
                            next_id,
                            item,
                            "walker",
                            None,
                            None,
                            state,
                            note.as_deref().unwrap_or(""),
                            None,
                        );
                        s.apply_store(StoreMsg::Saved(e));
                    }
                    Effect::History(item) => s.apply_store(StoreMsg::History {
                        item,
                        events: vec![],
                        reviews: vec![],
                    }),
                    Effect::MarkMany { items, state, note } => {
                        let keys = items.iter().map(|b| b.item.key()).collect();
                        let events = items
                            .into_iter()
                            .map(|b| {
                                next_id += 1;
                                ev(
                                    next_id,
                                    b.item,
                                    "walker",
                                    None,
                                    b.expected,
                                    state,
                                    note.as_deref().unwrap_or(""),
                                    None,
                                )
                            })
                            .collect();
                        s.apply_store(StoreMsg::SavedMany {
                            keys,
                            result: Ok(events),
                        });
                        seen.insert("bulk mark");
                    }
                    _ => {}
                }
            }
            seen.insert(match s.screen() {
                ScreenKind::List => "list",
                ScreenKind::Report => "report",
                ScreenKind::Compare => "compare",
                ScreenKind::Followups => "followups",
                ScreenKind::Rules => "rules",
            });
            match s.mode() {
                Mode::Filter => {
                    seen.insert("filter");
                }
                Mode::Help => {
                    seen.insert("help");
                }
                Mode::Note => {
                    seen.insert("note editor");
                }
                Mode::Chooser => {
                    seen.insert("state chooser");
                }
                Mode::Search => {
                    seen.insert("report search");
                }
                Mode::Export => {
                    seen.insert("export prompt");
                }
                Mode::Normal => {}
            }
            if s.history().is_some() {
                seen.insert("history");
            }
            if s.pairing().is_some() {
                seen.insert("pairing");
            }
            if step % 41 == 0 {
                let (w2, h2) = sizes[(seed as usize / 7) % sizes.len()];
                s.update(Resize(w2, h2));
                t.backend_mut().resize(w2, h2);
            }
            t.draw(|f| views::render(&s, f)).unwrap();
        }
    }
    let all: BTreeSet<&str> = [
        "list",
        "report",
        "compare",
        "followups",
        "rules",
        "bulk mark",
        "filter",
        "help",
        "note editor",
        "state chooser",
        "report search",
        "export prompt",
        "history",
        "pairing",
    ]
    .into_iter()
    .collect();
    assert_eq!(seen, all, "screens and overlays the walks reached");
}

/// What each `m` expects to replace: (state, expected state).
fn mark_expecting(effects: &[Effect]) -> (review::State, Option<Option<review::State>>) {
    match effects {
        [Effect::Mark {
            state, expected, ..
        }] => (*state, *expected),
        other => panic!("expected one Mark effect, got {other:?}"),
    }
}

/// `m m m` faster than the store answers: each press goes on from the state the previous
/// press asked for (never open → open twice) and names the state it expects to replace.
#[test]
fn fast_presses_go_on_from_the_state_asked_for() {
    let mut s = with_store(Lang::En, Theme::color(), 80, 24, vec![]);
    assert_eq!(
        mark_expecting(&press_m(&mut s, '1')),
        (review::State::Open, Some(None))
    );
    assert_eq!(
        mark_expecting(&press_m(&mut s, '2')),
        (review::State::Confirmed, Some(Some(review::State::Open)))
    );
    // The chooser shows the state asked for as the current one.
    s.update(ToggleMark);
    match s.overlays.last() {
        Some(report_review::tui::state::Overlay::Chooser(c)) => {
            assert_eq!(c.current, Some(review::State::Confirmed))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        mark_expecting(&s.update(Choose('4'))),
        (
            review::State::Resolved,
            Some(Some(review::State::Confirmed))
        )
    );
    // 已排除 asks for the reason.
    assert!(press_m(&mut s, '3').is_empty());
    assert_eq!(s.mode(), Mode::Note);
}

/// A colleague changed the item since the screen last saw it: the store refused the change;
/// the screen says who changed it to what and when, and a second `m` overrides it.
#[test]
fn a_conflict_names_the_colleague_and_a_second_press_overrides() {
    let mut s = with_store(Lang::En, Theme::color(), 80, 24, vec![]);
    let key = key_of(&s, "洪泽区人民政府 2023");
    let item = ItemRef::report(&key);
    let saved = ev(
        1,
        item.clone(),
        "me",
        None,
        None,
        review::State::Open,
        "",
        None,
    );
    press_m(&mut s, '1');
    s.apply_store(StoreMsg::Saved(saved));
    assert_eq!(
        mark_expecting(&press_m(&mut s, '2')),
        (review::State::Confirmed, Some(Some(review::State::Open)))
    );
    let theirs = ev(
        2,
        item.clone(),
        "colleague",
        None,
        Some(review::State::Open),
        review::State::Dismissed,
        "colleague waiver",
        None,
    );
    s.apply_store(StoreMsg::Conflict {
        item: item.clone(),
        state: review::State::Confirmed,
        note: None,
        snapshot: review::Snapshot::default(),
        current: Some(theirs.clone()),
    });
    let notice = s.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("colleague") && notice.contains("dismissed") && notice.contains("08:02"),
        "{notice}"
    );
    assert!(
        notice.contains("NOT saved") && notice.contains("m again"),
        "{notice}"
    );
    // The colleague's change arrives by polling; the mark shown is theirs.
    s.apply_store(StoreMsg::Events(vec![theirs]));
    assert_eq!(s.mark_of(&item).unwrap().state, review::State::Dismissed);
    // The second press confirms the override: my change, over what is there now.
    assert_eq!(
        mark_expecting(&s.update(ToggleMark)),
        (
            review::State::Confirmed,
            Some(Some(review::State::Dismissed))
        )
    );
}

// ---- bulk marks ----

/// The one bulk change asked for: (item, expected) pairs, state, note.
type Many = (
    Vec<(String, Option<review::State>)>,
    review::State,
    Option<String>,
);

fn many(effects: &[Effect]) -> Many {
    match effects {
        [Effect::MarkMany { items, state, note }] => (
            items.iter().map(|b| (b.item.place(), b.expected)).collect(),
            *state,
            note.clone(),
        ),
        other => panic!("expected one MarkMany effect, got {other:?}"),
    }
}

/// The 平潭 2020 report open on its overview: T3-RES, META-DATE, TXT-PARTS.
fn pt2020_overview(lang: Lang) -> State {
    let mut s = with_store(lang, Theme::mono(), 80, 24, vec![]);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept, Open]);
    assert_eq!(s.screen(), ScreenKind::Report);
    s
}

#[test]
fn several_findings_selected_one_by_one_are_marked_at_once() {
    let mut s = pt2020_overview(Lang::Zh);
    // space with no finding under the cursor says what to do.
    s.update(ToggleSelect);
    assert!(s.notice.as_deref().unwrap().contains("j/k"));
    run(
        &mut s,
        &[MoveDown, ToggleSelect, MoveDown, MoveDown, ToggleSelect],
    );
    assert_eq!(
        s.selected_findings().into_iter().collect::<Vec<_>>(),
        vec![0, 2]
    );
    // The overview marks them with `+`; the footer says how many and what m does.
    let rows = screen_rows(&s);
    assert!(
        rows.iter().any(|r| r.starts_with(" +✗ T3-RES")),
        "{}",
        rows.join("\n")
    );
    assert!(
        rows.iter().any(|r| r.starts_with("  ! META-DATE")),
        "{}",
        rows.join("\n")
    );
    assert!(
        rows.iter().any(|r| r.starts_with("›+! TXT-PARTS")),
        "{}",
        rows.join("\n")
    );
    assert!(
        rows.last().unwrap().contains("已选 2 个发现"),
        "{}",
        rows.last().unwrap()
    );
    // space again takes one out.
    run(&mut s, &[ToggleSelect, ToggleSelect]);
    assert_eq!(s.selected_findings().len(), 2);
    s.update(ToggleMark);
    assert_eq!(s.mode(), Mode::Chooser);
    let (items, state, note) = many(&s.update(Choose('2')));
    assert_eq!(
        items,
        vec![
            ("T3-RES@T3.R3_7.C1".to_string(), None),
            ("TXT-PARTS@S1:L5".to_string(), None)
        ]
    );
    assert_eq!((state, note), (review::State::Confirmed, None));
    assert!(s.selected_findings().is_empty(), "the selection is used up");

    // The store answers with both events: both marked, one message.
    let key = key_of(&s, "平潭综合实验区 2020");
    let events: Vec<Event> = [(1, "T3-RES", "T3.R3_7.C1"), (2, "TXT-PARTS", "S1:L5")]
        .iter()
        .map(|(id, rule, loc)| {
            ev(
                *id,
                ItemRef::finding(&key, rule, loc),
                "zhangsan",
                None,
                None,
                review::State::Confirmed,
                "",
                None,
            )
        })
        .collect();
    let keys = events.iter().map(|e| e.item.key()).collect();
    s.apply_store(StoreMsg::SavedMany {
        keys,
        result: Ok(events),
    });
    assert!(s
        .notice
        .as_deref()
        .unwrap()
        .contains("已保存 2 项 → 已确认"));
    assert!(s.followups.pending.is_empty());
    let marked = ItemRef::finding(&key, "TXT-PARTS", "S1:L5");
    assert_eq!(s.mark_of(&marked).unwrap().state, review::State::Confirmed);
}

#[test]
fn a_range_and_every_finding_of_a_rule_and_a_reason_for_all() {
    let mut s = pt2020_overview(Lang::En);
    // V starts a range that follows the cursor; V again ends it and keeps it.
    run(&mut s, &[MoveDown, VisualSelect, MoveDown]);
    assert_eq!(
        s.selected_findings().into_iter().collect::<Vec<_>>(),
        vec![0, 1]
    );
    run(&mut s, &[VisualSelect, MoveDown]);
    assert_eq!(
        s.selected_findings().into_iter().collect::<Vec<_>>(),
        vec![0, 1]
    );
    // Esc drops the selection and stays in the report; the next Esc goes back.
    s.update(Back);
    assert!(s.selected_findings().is_empty());
    assert_eq!(s.screen(), ScreenKind::Report);
    // * takes every finding of the rule under the cursor.
    run(&mut s, &[Top, SelectRule]);
    assert_eq!(
        s.selected_findings().into_iter().collect::<Vec<_>>(),
        vec![0]
    );
    run(&mut s, &[MoveDown, SelectRule]);
    assert_eq!(s.selected_findings().len(), 2);
    // Dismissing asks once for the reason, for all of them.
    s.update(ToggleMark);
    s.update(Choose('3'));
    assert_eq!(s.mode(), Mode::Note);
    s.update(NoteSave);
    assert!(
        s.notice.as_deref().unwrap().contains("reason"),
        "an empty reason is refused"
    );
    s.update(Paste("同一笔误，已电话核实".into()));
    let (items, state, note) = many(&s.update(NoteSave));
    assert_eq!(items.len(), 2);
    assert_eq!(state, review::State::Dismissed);
    assert_eq!(note.as_deref(), Some("同一笔误，已电话核实"));
}

#[test]
fn a_bulk_change_refused_by_a_colleague_saves_nothing_and_says_who() {
    let mut s = pt2020_overview(Lang::Zh);
    let key = key_of(&s, "平潭综合实验区 2020");
    run(
        &mut s,
        &[MoveDown, SelectRule, MoveDown, ToggleSelect, ToggleMark],
    );
    let (items, ..) = many(&s.update(Choose('4')));
    let keys: Vec<String> = items
        .iter()
        .map(|(place, _)| {
            let (rule, loc) = place.split_once('@').unwrap();
            ItemRef::finding(&key, rule, loc).key()
        })
        .collect();
    let theirs = ev(
        9,
        ItemRef::finding(&key, "T3-RES", "T3.R3_7.C1"),
        "lisi",
        Some("李审核"),
        None,
        review::State::Open,
        "",
        None,
    );
    s.apply_store(StoreMsg::SavedMany {
        keys,
        result: Err(report_review::tui::followups::BulkRefusal::Conflict(Some(
            Box::new(theirs.clone()),
        ))),
    });
    let notice = s.notice.clone().unwrap();
    assert!(
        notice.contains("李审核") && notice.contains("全部未保存"),
        "{notice}"
    );
    // What the colleague did is shown, so the next m starts from it.
    assert_eq!(s.mark_of(&theirs.item).unwrap().state, review::State::Open);
    assert!(s.followups.pending.is_empty());
}

// ---- the batch by rule ----

#[test]
fn the_rule_summary_counts_reports_and_findings_and_drills_down() {
    let mut s = with_store(Lang::Zh, Theme::mono(), 80, 24, vec![]);
    s.update(OpenRules);
    assert_eq!(s.screen(), ScreenKind::Rules);
    let rows = s.rule_rows(Default::default());
    let got: Vec<(&str, usize, usize)> = rows
        .iter()
        .map(|r| (r.rule.as_str(), r.reports, r.findings))
        .collect();
    assert_eq!(
        got,
        vec![
            ("META-DATE", 3, 3),
            ("T4-SUM", 1, 2),
            ("SEC-MISSING", 1, 1),
            ("SEC-NUMBERING", 1, 1),
            ("T3-RES", 1, 1),
            ("TPL-HYBRID", 1, 1),
            ("TXT-PARTS", 1, 1),
        ]
    );
    // The catalogue's title, in the screen's language.
    assert_eq!(
        rows[0].title,
        report_review::check::registry::rule("META-DATE")
            .unwrap()
            .title(Lang::Zh)
    );
    // s: by reports, then by id.
    s.update(CycleSort);
    s.update(CycleSort);
    assert_eq!(
        s.rule_rows(s.rules_view().unwrap().sort)[0].rule,
        "META-DATE"
    );
    s.update(CycleSort);
    // Enter: the reports of META-DATE, in the list's order; Enter again opens one at the
    // finding; Esc comes back, and again to the summary, and to the list.
    s.update(Open);
    let v = s.rules_view().unwrap().clone();
    assert_eq!(v.rule.as_deref(), Some("META-DATE"));
    let reports: Vec<String> = s
        .rule_reports("META-DATE")
        .iter()
        .map(|r| format!("{} {}", s.items[r.id].name, s.items[r.id].year().unwrap()))
        .collect();
    assert_eq!(
        reports,
        vec![
            "平潭综合实验区 2020",
            "淮安市人民政府 2024",
            "平潭综合实验区 2019"
        ]
    );
    run(&mut s, &[MoveDown, Open]);
    assert_eq!(s.screen(), ScreenKind::Report);
    let item = s.open_item().unwrap();
    assert_eq!(item.name, "淮安市人民政府");
    let f = &item.findings[s.report_view().unwrap().finding.unwrap()];
    assert_eq!(f.rule, "META-DATE");
    s.update(Back);
    assert_eq!(s.rules_view().unwrap().rule.as_deref(), Some("META-DATE"));
    s.update(Back);
    assert_eq!(s.rules_view().unwrap().rule, None);
    s.update(Back);
    assert_eq!(s.screen(), ScreenKind::List);
}

#[test]
fn the_rule_summary_follows_the_list_filter_and_marks_a_rule_at_once() {
    let mut s = with_store(Lang::En, Theme::mono(), 80, 24, vec![]);
    // Only the 平潭 reports: META-DATE in two of them.
    typed(&mut s, "pingtan");
    run(&mut s, &[FilterAccept, OpenRules]);
    let rows = s.rule_rows(Default::default());
    let md = rows.iter().find(|r| r.rule == "META-DATE").unwrap();
    assert_eq!((md.reports, md.findings), (2, 2));
    assert!(!rows.iter().any(|r| r.rule == "T4-SUM"));
    // m on the rule: every finding of it in the reports listed, in one change.
    let i = rows.iter().position(|r| r.rule == "META-DATE").unwrap();
    s.rules_view().unwrap();
    for _ in 0..i {
        s.update(MoveDown);
    }
    s.update(ToggleMark);
    assert_eq!(s.mode(), Mode::Chooser);
    let (items, state, _) = many(&s.update(Choose('2')));
    assert_eq!(
        items,
        vec![
            ("META-DATE@META.date".to_string(), None),
            ("META-DATE@META.date".to_string(), None)
        ]
    );
    assert_eq!(state, review::State::Confirmed);
    // On the reports of the rule, m marks that report's findings of it only.
    run(&mut s, &[Open, ToggleMark]);
    let (items, ..) = many(&s.update(Choose('4')));
    assert_eq!(items.len(), 1);
}

// ---- export from the screen ----

/// Replace the export prompt's path with `path` (as typed).
fn set_export_path(s: &mut State, path: &str) {
    s.update(NoteEnd);
    for _ in 0..400 {
        s.update(NoteBackspace);
    }
    s.update(Paste(path.into()));
}

fn export_job(effects: Vec<Effect>) -> report_review::tui::export::ExportJob {
    match effects.as_slice() {
        [Effect::Export(job)] => (**job).clone(),
        other => panic!("expected one Export effect, got {other:?}"),
    }
}

#[test]
fn e_asks_where_to_export_with_a_default_beside_the_batch() {
    let mut s = followup_screen(Theme::mono(), 80, 24);
    s.update(Export);
    assert_eq!(s.mode(), Mode::Export);
    let p = s.export_prompt().unwrap().line.text();
    let today = report_review::review::localtime::Zone::Fixed(8 * 3600)
        .local(&report_review::review::now_rfc3339())
        .unwrap()
        .date;
    assert_eq!(p, format!("sample_reports/followups-{today}.xlsx"));
    // Tab cycles the format by the extension; another extension is refused in the prompt.
    s.update(NextTab);
    assert!(s.export_prompt().unwrap().line.text().ends_with(".csv"));
    s.update(NextTab);
    assert!(s.export_prompt().unwrap().line.text().ends_with(".md"));
    s.update(PrevTab);
    assert!(s.export_prompt().unwrap().line.text().ends_with(".csv"));
    set_export_path(&mut s, "/tmp/x/跟进.txt");
    assert!(s.update(NoteSave).is_empty());
    assert!(s
        .export_prompt()
        .unwrap()
        .error
        .as_deref()
        .unwrap()
        .contains(".xlsx"));
    // Letters are typed into the path, not taken as keys (q, E, m, j).
    set_export_path(&mut s, "/tmp/x/qEmj.csv");
    let job = export_job(s.update(NoteSave));
    assert_eq!(job.path, std::path::PathBuf::from("/tmp/x/qEmj.csv"));
    assert_eq!(job.format, report_review::review::export::Format::Csv);
    assert_eq!(
        job.contents,
        report_review::review::export::Contents::Followups
    );
    // The follow-ups the screen shows, in its order.
    let keys: Vec<i64> = job.marks.iter().map(|m| m.event_id).collect();
    assert_eq!(keys, vec![5, 8, 3, 7]);
    assert!(s.notice.as_deref().unwrap().contains("/tmp/x/qEmj.csv"));
    // Esc cancels.
    s.update(Export);
    s.update(NoteCancel);
    assert_eq!(s.mode(), Mode::Normal);
    // Other screens say where E works.
    s.update(Back);
    s.update(Open);
    assert!(s.update(Export).is_empty());
    assert_eq!(s.mode(), Mode::Normal);
}

#[test]
fn exports_are_written_off_the_screen_atomically_and_say_where() {
    use report_review::review::export::{Contents, Format};
    use report_review::tui::runtime::export::run;
    let tmp = tempfile::tempdir().unwrap();
    let mut s = followup_screen(Theme::mono(), 80, 24);
    // Only the 待核实 follow-up: the filter applies to the export.
    s.update(CycleStatusFilter);
    s.update(Export);
    let csv = tmp.path().join("跟进事项.csv");
    set_export_path(&mut s, &csv.display().to_string());
    let job = export_job(s.update(NoteSave));
    let done = run(&job);
    let bytes = std::fs::read(&csv).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "CSV with a byte-order mark"
    );
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("合计与分项不符，待电话核实"), "{text}");
    s.apply_export(done);
    let notice = s.notice.clone().unwrap();
    assert!(
        notice.contains("已导出 1 项跟进事项") && notice.contains("跟进事项.csv"),
        "{notice}"
    );
    // Again: the file exists, nothing is written, and the prompt asks before replacing it.
    let done = run(&job);
    s.apply_export(done);
    assert_eq!(s.mode(), Mode::Export);
    assert!(s.export_prompt().unwrap().replace);
    assert!(s.notice.as_deref().unwrap().contains("已存在"));
    s.update(ClearFilters);
    let job = export_job(s.update(NoteSave));
    assert!(job.replace);
    // (The prompt was opened over the filtered screen: the job holds what it shows now.)
    s.apply_export(run(&job));
    assert!(s.notice.as_deref().unwrap().contains("已导出"));
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["跟进事项.csv".to_string()]);

    // XLSX: both sheets, as `followups export` writes them.
    let xlsx = tmp.path().join("f.xlsx");
    s.update(Export);
    set_export_path(&mut s, &xlsx.display().to_string());
    let job = export_job(s.update(NoteSave));
    assert_eq!(
        (job.format, job.contents),
        (Format::Xlsx, Contents::Followups)
    );
    assert!(run(&job).result.is_ok());
    use calamine::Reader;
    let book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec![
            report_review::review::export::SHEET_FOLLOWUPS.to_string(),
            report_review::review::export::SHEET_FINDINGS.to_string()
        ]
    );

    // A directory that does not exist: the status line says why, with the path.
    let bad = tmp.path().join("no-such-dir").join("x.md");
    s.update(Export);
    set_export_path(&mut s, &bad.display().to_string());
    let done = run(&export_job(s.update(NoteSave)));
    s.apply_export(done);
    let notice = s.notice.clone().unwrap();
    assert!(
        notice.starts_with("导出失败") && notice.contains("no-such-dir"),
        "{notice}"
    );
}

#[test]
fn the_list_exports_the_reports_it_shows() {
    use report_review::review::export::Contents;
    use report_review::tui::runtime::export::run;
    let tmp = tempfile::tempdir().unwrap();
    let base = state(Lang::En, Theme::mono(), 80, 24);
    let marks = sample_marks(&base);
    let mut s = with_store(Lang::En, Theme::mono(), 80, 24, marks);
    typed(&mut s, "pingtan");
    s.update(FilterAccept);
    assert_eq!(s.visible.len(), 4);
    s.update(Export);
    assert!(s.export_prompt().unwrap().line.text().contains("/reports-"));
    let md = tmp.path().join("list.md");
    set_export_path(&mut s, &md.display().to_string());
    let job = export_job(s.update(NoteSave));
    assert_eq!(job.contents, Contents::Findings);
    let done = run(&job);
    s.apply_export(done);
    assert!(
        s.notice
            .as_deref()
            .unwrap()
            .starts_with("exported 4 reports"),
        "{:?}",
        s.notice
    );
    let text = std::fs::read_to_string(&md).unwrap();
    // The 平潭 reports and their findings, none of the others.
    assert!(text.contains("T3-RES"), "{text}");
    assert!(text.contains("平潭综合实验区_2021.json"), "{text}");
    assert!(!text.contains("淮安"), "{text}");
    assert!(!text.contains("SEC-MISSING"), "{text}");
}

#[test]
fn snapshots_of_the_export_prompt() {
    for (lang, name) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut s = followup_screen_in(lang, Theme::color(), 80, 24);
        s.update(Export);
        set_export_path(&mut s, "/data/报告批次/followups-2026-12-01.xlsx");
        insta::assert_snapshot!(format!("export_prompt_{name}_80x24"), draw(&s).backend());
    }
    let mut s = followup_screen(Theme::mono(), 80, 24);
    s.update(Export);
    set_export_path(&mut s, "/data/报告批次/followups-2026-12-01.csv");
    let t = draw(&s);
    insta::assert_snapshot!("export_prompt_no_color_80x24", t.backend());
    for c in t.backend().buffer().content() {
        assert_eq!(c.fg, ratatui::style::Color::Reset, "colour under NO_COLOR");
        assert_eq!(c.bg, ratatui::style::Color::Reset, "colour under NO_COLOR");
    }
}

#[test]
fn a_selection_stays_with_its_report() {
    let mut s = with_store(Lang::Zh, Theme::mono(), 80, 24, vec![]);
    run(&mut s, &[Open, MoveDown, ToggleSelect]);
    assert_eq!(s.selected_findings().len(), 1);
    // The next report has none; coming back, the old one is gone too (not marked by surprise).
    s.update(NextReport);
    assert!(s.selected_findings().is_empty());
    s.update(PrevReport);
    assert!(s.selected_findings().is_empty());
    s.update(ToggleMark);
    assert_eq!(s.mode(), Mode::Chooser);
    let chooser_label = screen_rows(&s).join("\n");
    assert!(
        !chooser_label.contains("个发现"),
        "one item, not a bulk change"
    );
}

#[test]
fn the_overview_shows_a_mark_with_its_note() {
    let base = state(Lang::Zh, Theme::mono(), 80, 24);
    let marks = sample_marks(&base);
    let mut s = with_store(Lang::Zh, Theme::mono(), 80, 24, marks);
    typed(&mut s, "sqs");
    run(&mut s, &[FilterAccept, Open]);
    let rows = screen_rows(&s);
    let row = rows
        .iter()
        .find(|r| r.contains("SEC-MISSING"))
        .unwrap_or_else(|| panic!("{}", rows.join("\n")));
    assert!(
        row.contains("◆ 已排除 · lisi · ✎ 第六部分内容并入"),
        "{row}"
    );
}

#[test]
fn a_compare_row_shows_its_cells_mark_and_its_findings_mark() {
    // Find the row of the first cross-year finding of 平潭 2020, then reopen with marks on it.
    let mut s = with_store(Lang::Zh, Theme::mono(), 80, 24, vec![]);
    run(&mut s, &[FilterStart]);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept, Open, OpenCompare, NextFinding]);
    let row = s.compare_view().unwrap().current().unwrap().clone();
    let finding = s.compare_view().unwrap().findings[0].clone();
    assert!(
        report_review::tui::compare::row_findings(&s.compare_view().unwrap().findings, &row)
            .iter()
            .any(|(f, _)| f.rule == finding.rule)
    );
    let pt = key_of(&s, "平潭综合实验区 2020");
    // The app adds the cross-year findings to the report's own when they are computed; a
    // mark on one is judged against them.
    let view = s.compare_view().unwrap();
    let cross = vec![(s.items[view.cur].path.clone(), view.findings.clone())];
    let marks = vec![
        ev(
            1,
            ItemRef::cell(&pt, &row.key),
            "zhangsan",
            Some("张三"),
            None,
            review::State::Open,
            "与上年口径不同，待核实",
            None,
        )
        .into(),
        ev(
            2,
            ItemRef::of_finding(&pt, &finding),
            "lisi",
            None,
            None,
            review::State::Confirmed,
            "",
            None,
        )
        .into(),
    ];
    let mut s = with_store(Lang::Zh, Theme::mono(), 80, 24, marks);
    s.apply(report_review::tui::loader::Msg::CrossYear(cross));
    run(&mut s, &[FilterStart]);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept, Open, OpenCompare, NextFinding]);
    let view = s.compare_view().unwrap();
    let cur = view.current().unwrap();
    assert_eq!(cur.key, row.key);
    // State: the row's mark is the cell's, found where `m` would mark it.
    let (_, m) = s.compare_row_mark(view, cur).expect("the row's mark");
    assert_eq!(m.state, review::State::Open);
    assert_eq!(s.mark_target().unwrap().1, ItemRef::cell(&pt, &row.key));
    // Screen: ◆ beside the row, the mark with its note and the finding's mark in the pane.
    let screen = format!("{}", draw(&s).backend());
    let row_line = screen
        .lines()
        .find(|l| l.contains('◆') && !l.contains("待核实"))
        .unwrap_or_else(|| panic!("no marked row\n{screen}"));
    assert!(
        row_line.contains(&cur.label.chars().take(4).collect::<String>()),
        "{row_line}"
    );
    assert!(screen.contains("◆ 待核实"), "{screen}");
    assert!(screen.contains("✎ 与上年口径不同"), "{screen}");
    assert!(screen.contains("◆ 已确认"), "{screen}");
    insta::assert_snapshot!("compare_row_marked_80x24", screen);
}

#[test]
fn a_reports_history_shows_its_reviewed_changes_among_its_followups_in_local_time() {
    let mut s = with_store(Lang::Zh, Theme::mono(), 80, 24, vec![]);
    let pt = key_of(&s, "平潭综合实验区 2020");
    s.update(Top);
    while selected(&s) != "平潭综合实验区 2020" {
        s.update(MoveDown);
    }
    // On the list, H asks for the whole report's history.
    assert_eq!(
        s.update(ShowHistory),
        vec![Effect::History(ItemRef::report(&pt))]
    );
    let review = |id, reviewed, at: &str| report_review::review::Review {
        id,
        report_key: pt.clone(),
        reviewed,
        at: at.into(),
        os_user: "lisi".into(),
        display_name: Some("李四".into()),
    };
    s.apply_store(StoreMsg::History {
        item: ItemRef::report(&pt),
        // At 08:05 UTC, between the two 已阅 changes.
        events: vec![ev(
            5,
            ItemRef::report(&pt),
            "zhangsan",
            Some("张三"),
            None,
            review::State::Open,
            "",
            None,
        )],
        reviews: vec![
            review(2, true, "2026-11-20T09:00:00.000Z"),
            review(1, false, "2026-11-20T08:00:00.000Z"),
        ],
    });
    let rows = screen_rows(&s);
    let at = |needle: &str| {
        rows.iter()
            .position(|r| r.contains(needle))
            .unwrap_or_else(|| panic!("no `{needle}` in\n{}", rows.join("\n")))
    };
    // The place in words, not `(report)` or the key's `#report`.
    assert!(
        rows[at("变更记录")].contains("整份报告"),
        "{}",
        rows.join("\n")
    );
    // Oldest first, in UTC+8: 08:00Z is 16:00.
    let taken_back = at("2026-11-20 16:00 UTC+8  李四 (lisi)  取消已阅");
    let opened = at("2026-11-20 16:05 UTC+8  张三 (zhangsan)  — → 待核实");
    let reviewed = at("2026-11-20 17:00 UTC+8  李四 (lisi)  ☑ 已阅");
    assert!(
        taken_back < opened && opened < reviewed,
        "{}",
        rows.join("\n")
    );
}

#[test]
fn slash_filters_the_followup_rows_and_the_rule_summary() {
    let marks = sample_marks(&with_store(Lang::Zh, Theme::mono(), 80, 24, vec![]));
    let mut s = with_store(Lang::Zh, Theme::mono(), 80, 24, marks);
    run(&mut s, &[OpenFollowups]);
    assert_eq!(s.screen(), ScreenKind::Followups);
    let all = s.followup_rows().len();
    let sort = s.followups.screen.sort;
    // `s` (sort) typed after `/` is text; only lisi's marks remain.
    typed(&mut s, "lisi");
    assert_eq!(s.followups.screen.sort, sort);
    let marked = s.followup_rows();
    assert!(
        !marked.is_empty() && marked.len() < all,
        "{} of {all}",
        marked.len()
    );
    assert!(marked.iter().all(|m| m.os_user == "lisi"));
    run(&mut s, &[FilterCancel]);
    assert_eq!(s.followup_rows().len(), all);
    assert_eq!(s.screen(), ScreenKind::Followups);

    // The rule summary counts the reports the list shows: `/` there is the list's filter.
    let mut s = with_store(Lang::Zh, Theme::mono(), 80, 24, vec![]);
    run(&mut s, &[OpenRules]);
    assert_eq!(s.screen(), ScreenKind::Rules);
    let rules_all = s.rule_rows(Default::default()).len();
    typed(&mut s, "pt2019");
    assert_eq!(
        s.screen(),
        ScreenKind::Rules,
        "letters typed are not commands"
    );
    assert_eq!(rows(&s), ["平潭综合实验区 2019"]);
    assert!(s.rule_rows(Default::default()).len() < rules_all);
    run(&mut s, &[FilterCancel]);
    assert_eq!(s.rule_rows(Default::default()).len(), rules_all);
}
