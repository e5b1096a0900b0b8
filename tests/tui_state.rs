//! State tests: sequences of actions on `State`, asserting selection, filters, sorting,
//! stepping, tabs and effects. No terminal involved.

#[path = "tui_fixtures/mod.rs"]
mod fixtures;

use fixtures::*;
use report_review::check::Status;
use report_review::i18n::Lang;
use report_review::tui::action::{Action, Effect};
use report_review::tui::keymap::Keymap;
use report_review::tui::loader::Msg;
use report_review::tui::state::{Mode, ScreenKind, SortKey, State, Tab};
use report_review::tui::theme::Theme;
use Action::*;

#[test]
fn default_sort_is_by_status_failing_first() {
    let s = zh(80, 24);
    assert_eq!(s.sort, SortKey::Status);
    assert_eq!(
        rows(&s),
        vec![
            // fail, most errors first, then by pinyin of the agency
            "洪泽区人民政府 2023",
            "淮安市洪泽区人民政府 2024",
            "平潭综合实验区 2020",
            "三七市镇 2020",
            // unreadable
            "损坏的报告 -",
            // warn
            "淮安市人民政府 2024",
            "平潭综合实验区 2019",
            // pass
            "平潭综合实验区 2021",
            "平潭综合实验区 2022",
        ]
    );
    assert_eq!(selected(&s), "洪泽区人民政府 2023");
}

#[test]
fn navigation_moves_and_clamps() {
    let mut s = zh(80, 24);
    run(&mut s, &[MoveDown, MoveDown]);
    assert_eq!(selected(&s), "平潭综合实验区 2020");
    run(&mut s, &[MoveUp]);
    assert_eq!(selected(&s), "淮安市洪泽区人民政府 2024");
    run(&mut s, &[MoveUp, MoveUp, MoveUp]);
    assert_eq!(selected(&s), "洪泽区人民政府 2023");
    run(&mut s, &[Bottom]);
    assert_eq!(selected(&s), "平潭综合实验区 2022");
    run(&mut s, &[MoveDown]);
    assert_eq!(selected(&s), "平潭综合实验区 2022");
    run(&mut s, &[Top]);
    assert_eq!(s.cursor(), Some(0));
}

#[test]
fn unreadable_files_are_listed_with_their_reason() {
    let s = zh(80, 24);
    let bad = s
        .items
        .iter()
        .find(|i| i.status == Status::Unreadable)
        .unwrap();
    assert_eq!(bad.name, "损坏的报告");
    // In the screen's language (the zh screen here).
    assert_eq!(
        bad.error.as_deref(),
        Some("不是有效的 JSON：第 1 行第 1 列：此处应为一个值")
    );
    assert_eq!(s.totals()[3], (Status::Unreadable, 1));
}

#[test]
fn pinyin_initials_full_pinyin_and_hanzi_filter() {
    let mut s = zh(80, 24);
    typed(&mut s, "sqs");
    assert_eq!(s.mode(), Mode::Filter);
    assert_eq!(rows(&s), vec!["三七市镇 2020"]);
    // matched characters map back to the Chinese name: 三七市
    let id = s.visible[0];
    assert_eq!(s.matches[&id], vec![0, 1, 2]);
    run(&mut s, &[FilterAccept]);
    assert_eq!(s.mode(), Mode::Normal);
    assert_eq!(s.query, "sqs");

    let mut s = zh(80, 24);
    typed(&mut s, "hongze");
    assert_eq!(
        rows(&s),
        vec!["洪泽区人民政府 2023", "淮安市洪泽区人民政府 2024"]
    );

    let mut s = zh(80, 24);
    typed(&mut s, "平潭");
    assert_eq!(rows(&s).len(), 4);
    run(&mut s, &[FilterBackspace, FilterBackspace]);
    assert_eq!(rows(&s).len(), 9);

    // initials plus year
    let mut s = zh(80, 24);
    typed(&mut s, "pt2020");
    assert_eq!(rows(&s), vec!["平潭综合实验区 2020"]);

    // Esc while typing clears the filter
    run(&mut s, &[FilterCancel]);
    assert_eq!(s.query, "");
    assert_eq!(rows(&s).len(), 9);
}

#[test]
fn typed_letters_go_to_the_filter_not_to_the_keymap() {
    let mut s = zh(80, 24);
    let key = |c: char| {
        crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::NONE,
        ))
    };
    let a = report_review::tui::action_for_event(&s, &key('q'));
    assert_eq!(a, Some(Leave));
    s.update(FilterStart);
    let a = report_review::tui::action_for_event(&s, &key('q'));
    assert_eq!(a, Some(FilterChar('q')));
}

#[test]
fn status_rule_and_year_filters() {
    let mut s = zh(80, 24);
    run(&mut s, &[CycleStatusFilter]);
    assert_eq!(s.status_filter, Some(Status::Fail));
    assert_eq!(rows(&s).len(), 4);
    run(&mut s, &[CycleStatusFilter]);
    assert_eq!(s.status_filter, Some(Status::Warn));
    assert_eq!(rows(&s), vec!["淮安市人民政府 2024", "平潭综合实验区 2019"]);
    run(
        &mut s,
        &[CycleStatusFilter, CycleStatusFilter, CycleStatusFilter],
    );
    assert_eq!(s.status_filter, None);

    // "which reports fail T3-RES": rules cycle in sorted order
    assert_eq!(
        s.failing_rules(),
        vec![
            "META-DATE",
            "SEC-MISSING",
            "SEC-NUMBERING",
            "T3-RES",
            "T4-SUM",
            "TPL-HYBRID",
            "TXT-PARTS"
        ]
    );
    run(
        &mut s,
        &[
            CycleRuleFilter,
            CycleRuleFilter,
            CycleRuleFilter,
            CycleRuleFilter,
        ],
    );
    assert_eq!(s.rule_filter.as_deref(), Some("T3-RES"));
    assert_eq!(rows(&s), vec!["平潭综合实验区 2020"]);

    run(&mut s, &[ClearFilters, CycleYearFilter]);
    assert_eq!(s.year_filter, Some(2019));
    assert_eq!(rows(&s), vec!["平潭综合实验区 2019"]);
    run(&mut s, &[CycleYearFilter]);
    assert_eq!(s.year_filter, Some(2020));
    assert_eq!(rows(&s), vec!["平潭综合实验区 2020", "三七市镇 2020"]);

    // filters compose
    typed(&mut s, "sqs");
    run(&mut s, &[FilterAccept]);
    assert_eq!(rows(&s), vec!["三七市镇 2020"]);
    run(&mut s, &[ClearFilters]);
    assert_eq!(rows(&s).len(), 9);
}

#[test]
fn sorting_keeps_the_selection() {
    let mut s = zh(80, 24);
    run(&mut s, &[MoveDown, MoveDown]);
    assert_eq!(selected(&s), "平潭综合实验区 2020");
    run(&mut s, &[CycleSort]);
    assert_eq!(s.sort, SortKey::Agency);
    assert_eq!(selected(&s), "平潭综合实验区 2020");
    // by pinyin: hong… huai… ping… san… sun (损坏)
    assert_eq!(rows(&s)[0], "洪泽区人民政府 2023");
    assert_eq!(rows(&s)[8], "损坏的报告 -");
    run(&mut s, &[CycleSort]);
    assert_eq!(s.sort, SortKey::Year);
    assert_eq!(rows(&s)[0], "平潭综合实验区 2019");
    assert_eq!(rows(&s)[7], "淮安市人民政府 2024");
    assert_eq!(rows(&s)[8], "损坏的报告 -"); // unknown year last
    run(&mut s, &[CycleSort]);
    assert_eq!(s.sort, SortKey::Errors);
    assert_eq!(rows(&s)[0], "洪泽区人民政府 2023");
    run(&mut s, &[ReverseSort]);
    assert_eq!(rows(&s)[8], "洪泽区人民政府 2023");
    assert_eq!(selected(&s), "平潭综合实验区 2020");
}

#[test]
fn resize_keeps_the_selection() {
    let mut s = zh(80, 24);
    run(&mut s, &[MoveDown, MoveDown, MoveDown]);
    let before = selected(&s);
    run(&mut s, &[Resize(160, 48), Resize(60, 16), Resize(80, 24)]);
    assert_eq!(selected(&s), before);
    assert_eq!(s.size, (80, 24));
}

#[test]
fn the_list_is_usable_while_it_grows() {
    let mut s = State::new(
        "sample_reports",
        Lang::Zh,
        Keymap::default(),
        Theme::color(),
    );
    s.apply(Msg::Discovered(4));
    assert_eq!(s.loading.total, Some(4));
    s.apply(Msg::Loaded(vec![loaded("平潭综合实验区_2021.json")]));
    typed(&mut s, "sqs");
    assert!(rows(&s).is_empty());
    s.apply(Msg::Loaded(vec![loaded("余姚市三七市镇_2020.json")]));
    assert_eq!(rows(&s), vec!["三七市镇 2020"]);
    assert_eq!(selected(&s), "三七市镇 2020");
    s.apply(Msg::Loaded(vec![loaded("平潭综合实验区_2020.json")]));
    s.update(FilterCancel);
    assert_eq!(s.loading.done, 3);
    assert!(!s.loading.finished);
    // until the auditor moves, the selection stays on the top row as reports arrive
    assert_eq!(selected(&s), "平潭综合实验区 2020");
    s.update(MoveDown);
    assert_eq!(selected(&s), "三七市镇 2020");
    s.apply(Msg::Loaded(vec![loaded("淮安市洪泽区人民政府_2023.json")]));
    // once picked, a report arriving above does not steal the selection
    assert_eq!(rows(&s)[0], "洪泽区人民政府 2023");
    assert_eq!(selected(&s), "三七市镇 2020");
    s.apply(Msg::Finished);
    assert!(s.loading.finished);
}

#[test]
fn open_tabs_and_back() {
    let mut s = zh(80, 24);
    run(&mut s, &[Open]);
    assert_eq!(s.screen(), ScreenKind::Report);
    let v = s.report_view().unwrap();
    assert_eq!(v.tab, Tab::Overview);
    run(&mut s, &[NextTab]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Prose);
    run(&mut s, &[NextTab, NextTab, NextTab]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Table("T4"));
    run(&mut s, &[NextTab]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Overview);
    run(&mut s, &[PrevTab]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Table("T4"));
    run(&mut s, &[Back]);
    assert_eq!(s.screen(), ScreenKind::List);
    assert_eq!(selected(&s), "洪泽区人民政府 2023");
    // Back (Esc) never quits; `q` quits from the list.
    assert_eq!(s.update(Back), vec![]);
    assert_eq!(s.update(Leave), vec![Effect::Quit]);
}

#[test]
fn unreadable_report_opens_to_its_reason_only() {
    let mut s = zh(80, 24);
    run(&mut s, &[MoveDown, MoveDown, MoveDown, MoveDown, Open]);
    assert_eq!(selected(&s), "损坏的报告 -");
    run(&mut s, &[NextTab]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Overview);
    run(&mut s, &[NextFinding, MoveDown, MoveRight, Copy]);
}

#[test]
fn next_finding_jumps_to_cell_and_sentence() {
    let mut s = zh(80, 24);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept, Open, NextFinding]);
    let v = s.report_view().unwrap();
    assert_eq!(v.tab, Tab::Table("T3"));
    assert_eq!(v.finding, Some(0));
    let c = v.cursor("T3");
    // （七）总计 is row 21 (0-based) of the 2019 template's table 3; 自然人 is column 0
    let t3 = s
        .report_view()
        .unwrap()
        .report
        .as_ref()
        .unwrap()
        .table3
        .clone()
        .unwrap();
    assert_eq!(t3.rows[c.row].key, "R3_7");
    assert_eq!(c.col, 0);

    // then warnings: META.date (report-level: the overview), then S1:L5 (the sentence)
    run(&mut s, &[NextFinding]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Overview);
    run(&mut s, &[NextFinding]);
    let v = s.report_view().unwrap();
    assert_eq!(v.tab, Tab::Prose);
    assert!(v.prose_scroll > 0);
    run(&mut s, &[NextFinding]);
    assert!(s.notice.as_deref().unwrap().contains("最后一个发现"));
    run(&mut s, &[PrevFinding, PrevFinding]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Table("T3"));
}

#[test]
fn enter_on_a_finding_in_the_overview_jumps() {
    let mut s = zh(80, 24);
    run(&mut s, &[Open, MoveDown]);
    // first finding selected: T4-SUM at T4.lit_after_review.total (sorted by location)
    let v = s.report_view().unwrap();
    assert_eq!(v.finding, Some(0));
    assert_eq!(v.tab, Tab::Overview);
    run(&mut s, &[MoveDown, Open]);
    let v = s.report_view().unwrap();
    assert_eq!(v.tab, Tab::Table("T4"));
    let c = v.cursor("T4");
    assert_eq!((c.row, c.col), (0, 4)); // 行政复议 / 总计
}

#[test]
fn table_cursor_moves_and_clamps() {
    let mut s = zh(80, 24);
    run(&mut s, &[Open, PrevTab]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Table("T4"));
    run(
        &mut s,
        &[
            MoveRight, MoveRight, MoveRight, MoveRight, MoveRight, MoveRight, MoveDown, MoveDown,
            MoveDown,
        ],
    );
    let c = s.report_view().unwrap().cursor("T4");
    assert_eq!((c.row, c.col), (2, 4));
    run(&mut s, &[Top, MoveLeft]);
    let c = s.report_view().unwrap().cursor("T4");
    assert_eq!((c.row, c.col), (0, 3));
}

#[test]
fn stepping_between_reports_without_the_list() {
    let mut s = zh(80, 24);
    run(&mut s, &[Open, NextTab]);
    assert_eq!(selected(&s), "洪泽区人民政府 2023");
    run(&mut s, &[NextReport]);
    assert_eq!(selected(&s), "淮安市洪泽区人民政府 2024");
    assert_eq!(s.screen(), ScreenKind::Report);
    // the tab is kept when the next report has it
    assert_eq!(s.report_view().unwrap().tab, Tab::Prose);
    run(&mut s, &[PrevReport, PrevReport]);
    assert_eq!(selected(&s), "洪泽区人民政府 2023");
    assert!(s.notice.is_some());

    // next failing report skips unreadable and passing ones, wrapping around
    run(&mut s, &[NextFailing, NextFailing, NextFailing]);
    assert_eq!(selected(&s), "三七市镇 2020");
    assert_eq!(s.report_view().unwrap().tab, Tab::Overview);
    // Warnings alone do not stop `}` (they have `)`): round to the first failing one.
    run(&mut s, &[NextFailing]);
    assert_eq!(selected(&s), "洪泽区人民政府 2023");
    run(&mut s, &[PrevFailing]);
    assert_eq!(selected(&s), "三七市镇 2020");
    run(&mut s, &[NextWarning]);
    assert_eq!(selected(&s), "淮安市人民政府 2024");
}

#[test]
fn stepping_follows_the_filtered_list() {
    let mut s = zh(80, 24);
    typed(&mut s, "ptzh");
    run(&mut s, &[FilterAccept, Open]);
    assert_eq!(selected(&s), "平潭综合实验区 2020");
    run(&mut s, &[NextReport]);
    assert_eq!(selected(&s), "平潭综合实验区 2019");
    run(&mut s, &[NextReport, NextReport, NextReport]);
    assert_eq!(selected(&s), "平潭综合实验区 2022");
}

#[test]
fn copy_returns_an_effect_with_a_notice() {
    let mut s = zh(80, 24);
    typed(&mut s, "pt2020");
    run(&mut s, &[FilterAccept]);
    let e = s.update(Copy);
    let Some(Effect::Copy(text)) = e.first() else {
        panic!("{e:?}")
    };
    assert!(
        text.starts_with("平潭综合实验区 2020 [2019] status=fail errors=1 warnings=2"),
        "{text}"
    );
    assert!(s.notice.as_deref().unwrap().contains("OSC 52"));
    run(&mut s, &[Open, NextFinding]);
    let e = s.update(Copy);
    let Some(Effect::Copy(text)) = e.first() else {
        panic!("{e:?}")
    };
    assert!(text.contains("T3.R3_7.C1"), "{text}");
    assert!(text.contains("20 ≠ 26"), "{text}");
    assert!(text.contains("line 324"), "{text}");
}

#[test]
fn help_opens_and_closes_and_marks_are_not_built_yet() {
    let mut s = zh(80, 24);
    run(&mut s, &[Help]);
    assert_eq!(s.mode(), Mode::Help);
    run(&mut s, &[MoveDown]);
    assert_eq!(s.help_scroll(), 1);
    run(&mut s, &[Back]);
    assert_eq!(s.mode(), Mode::Normal);
    assert_eq!(s.screen(), ScreenKind::List);
    assert!(s.update(ToggleMark).is_empty());
    assert!(s.notice.is_some());
}

#[test]
fn actions_read_from_serde() {
    let a: Vec<Action> =
        serde_json::from_str(r#"["next_report", "move_down", {"filter_char": "s"}]"#).unwrap();
    assert_eq!(a, vec![NextReport, MoveDown, FilterChar('s')]);
}

#[test]
fn a_resize_lays_the_open_report_out_again() {
    let mut s = zh(160, 48);
    run(&mut s, &[Open, NextTab, Bottom]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Prose);
    let wide = s.report_view().unwrap().layout.prose.len();
    let wide_end = s.report_view().unwrap().prose_scroll;
    assert_eq!(wide_end, wide.saturating_sub(s.dims().body_rows));
    run(&mut s, &[Resize(60, 16), Bottom]);
    let v = s.report_view().unwrap();
    assert_eq!(
        v.layout.dims,
        s.dims(),
        "the layout follows the terminal size"
    );
    // Narrower text wraps onto more rows, and the scroll is bounded by the new count.
    assert!(
        v.layout.prose.len() > wide,
        "{} vs {wide}",
        v.layout.prose.len()
    );
    assert_eq!(
        v.prose_scroll,
        v.layout.prose.len() - s.dims().body_rows,
        "Bottom reaches the last page of the re-wrapped prose"
    );
}

/// Run the pending query on the real matcher worker and apply what comes back, as the
/// event loop does; returns the chunks seen.
fn match_on_worker(
    s: &mut State,
    worker: &report_review::tui::runtime::matcher::MatcherWorker,
) -> Vec<report_review::tui::filter::FilterChunk> {
    let job = s.take_filter_job().expect("a job for the worker");
    let gen = job.gen;
    worker.submit(job);
    let mut seen = Vec::new();
    loop {
        let c = worker
            .rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the matcher answers");
        let done = c.done && c.gen == gen;
        seen.push(c.clone());
        s.apply_filtered(c);
        if done {
            return seen;
        }
    }
}

#[test]
fn long_lists_are_matched_on_the_worker_with_the_same_result() {
    let worker = report_review::tui::runtime::matcher::MatcherWorker::spawn().unwrap();
    for query in ["sqs", "hongze", "平潭", "pt2020"] {
        let mut inline = zh(80, 24);
        typed(&mut inline, query);
        let mut s = zh(80, 24);
        s.inline_filter_limit = 0;
        let before = rows(&s);
        s.update(FilterStart);
        for (k, c) in query.chars().enumerate() {
            s.update(FilterChar(c));
            // The key returns at once: the list still shows the last result, and the status
            // line says the query is being matched.
            assert_eq!(s.query.chars().last(), Some(c));
            assert!(s.filtering.is_some_and(|p| p.fresh));
            if k == 0 {
                assert_eq!(rows(&s), before);
            }
            match_on_worker(&mut s, &worker);
        }
        assert!(s.filtering.is_none());
        assert_eq!(rows(&s), rows(&inline), "{query}");
        assert_eq!(s.matches, inline.matches, "{query}");
        assert_eq!(selected(&s), selected(&inline), "{query}");
    }
}

#[test]
fn results_of_an_older_query_are_dropped() {
    let worker = report_review::tui::runtime::matcher::MatcherWorker::spawn().unwrap();
    let mut s = zh(80, 24);
    s.inline_filter_limit = 0;
    typed(&mut s, "p");
    let old = s.take_filter_job().unwrap();
    s.update(FilterChar('t'));
    s.update(FilterChar('2'));
    s.update(FilterChar('0'));
    s.update(FilterChar('2'));
    s.update(FilterChar('0'));
    // The older query's complete answer arrives late: ignored.
    let mut stale = Vec::new();
    old.run(
        &s.matcher,
        std::time::Duration::ZERO,
        || false,
        |c| {
            stale.push(c);
            true
        },
    );
    assert!(stale.iter().any(|c| !c.hits.is_empty()));
    for c in stale {
        s.apply_filtered(c);
    }
    assert_eq!(rows(&s).len(), 9, "the list is unchanged by a stale answer");
    assert!(s.filtering.is_some());
    match_on_worker(&mut s, &worker);
    assert_eq!(rows(&s), vec!["平潭综合实验区 2020"]);
}

#[test]
fn a_longer_query_only_tries_the_last_result_and_partial_results_show() {
    // Enough reports that the matcher hands over results before it is done.
    let mut s = State::new(
        "sample_reports",
        Lang::Zh,
        Keymap::default(),
        Theme::color(),
    );
    s.update(Resize(80, 24));
    let mut batch = Vec::new();
    for k in 0..400 {
        for f in fixtures::SAMPLES {
            let mut l = loaded(f);
            l.path = std::path::PathBuf::from(format!("sample_reports/{k}/{f}"));
            batch.push(l);
        }
    }
    let n = batch.len();
    s.apply_all(vec![Msg::Discovered(n), Msg::Loaded(batch), Msg::Finished]);
    s.inline_filter_limit = 0;
    typed(&mut s, "pt");
    let job = s.take_filter_job().unwrap();
    assert_eq!(job.order.len(), n, "a new query tries every report");
    let mut chunks = Vec::new();
    job.run(
        &s.matcher,
        std::time::Duration::ZERO,
        || false,
        |c| {
            chunks.push(c);
            true
        },
    );
    assert!(
        chunks.len() > 1,
        "results are handed over as they are found"
    );
    let mut so_far: Vec<usize> = Vec::new();
    for c in chunks {
        let (done, scanned) = (c.done, c.scanned);
        so_far.extend(c.hits.iter().map(|h| h.id));
        s.apply_filtered(c);
        // The rows shown are the matches found so far, in list order, with progress shown.
        assert_eq!(s.visible, so_far);
        if !done {
            assert!(scanned < n);
            assert!(s
                .filtering
                .is_some_and(|p| !p.fresh && p.scanned == scanned));
        }
    }
    assert!(s.filtering.is_none());
    assert_eq!(rows(&s).len(), 400 * 4);
    // Typing on narrows: only the last result is tried.
    s.update(FilterChar('2'));
    let job = s.take_filter_job().unwrap();
    assert_eq!(job.order.len(), 400 * 4);
    // Deleting widens again: every report.
    s.update(FilterBackspace);
    s.update(FilterBackspace);
    assert!(s.take_filter_job().is_some_and(|j| j.order.len() == n));
}

#[test]
fn help_lists_the_screen_keys_first_and_g_and_shift_g_scroll_it() {
    use report_review::tui::commands::{footer_hints, help_for, key_context, HelpRow, GLOBAL};
    let own = |s: &State| -> Vec<String> {
        help_for(s)
            .into_iter()
            .skip(1)
            .take_while(|r| matches!(r, HelpRow::Key(..)))
            .filter_map(|r| match r {
                HelpRow::Key(_, d) => Some(d),
                _ => None,
            })
            .collect()
    };
    let desc = |a: Action| a.describe().0.to_string();
    let mut s = zh(80, 24);
    assert!(own(&s).contains(&desc(CycleSort)));
    // The compare screen's help starts with its own keys, and list-only keys are not there.
    run(&mut s, &[OpenCompare]);
    assert_eq!(s.screen(), ScreenKind::Compare);
    let keys = own(&s);
    assert!(keys.contains(&desc(NextDiff)) && keys.contains(&desc(ChoosePairing)));
    assert!(!keys.contains(&desc(CycleSort)));
    // `/` filters the compare rows, so it is among them.
    assert!(keys.contains(&desc(FilterStart)));
    // Every footer hint is a key of the same screen's help, or one that works everywhere.
    for (a, _, _, _) in footer_hints(key_context(&s)) {
        assert!(
            keys.contains(&desc(a.clone())) || GLOBAL.contains(a),
            "{a:?} in the footer but not in help"
        );
    }
    // Keys that work everywhere follow under their own heading.
    let all = help_for(&s);
    let global = all
        .iter()
        .rposition(|r| matches!(r, HelpRow::Heading(_)))
        .unwrap();
    assert!(all[global..].contains(&HelpRow::Key("?/F1".into(), desc(Help))));
    // G goes to the end, g back to the top.
    run(&mut s, &[Back, Help, Bottom]);
    let end = s.help_scroll();
    assert!(end > 0, "the list help is longer than 80×24 shows");
    run(&mut s, &[MoveDown]);
    assert_eq!(s.help_scroll(), end, "no scrolling past the end");
    run(&mut s, &[Top]);
    assert_eq!(s.help_scroll(), 0);
}

#[test]
fn one_update_takes_actions_and_worker_answers_and_asks_for_the_matcher() {
    use report_review::tui::action::Msg;
    use report_review::tui::update::update;
    let mut s = zh(80, 24);
    s.inline_filter_limit = 0;
    update(&mut s, Msg::Action(FilterStart));
    let effects = update(&mut s, Msg::Action(FilterChar('p')));
    let [Effect::Filter(job)] = effects.as_slice() else {
        panic!("expected one filter job, got {effects:?}");
    };
    let mut chunks = Vec::new();
    job.run(
        &s.matcher,
        std::time::Duration::ZERO,
        || false,
        |c| {
            chunks.push(c);
            true
        },
    );
    for c in chunks {
        assert!(update(&mut s, Msg::Filtered(c)).is_empty());
    }
    assert!(s.filtering.is_none());
    let mut inline = zh(80, 24);
    typed(&mut inline, "p");
    assert_eq!(rows(&s), rows(&inline));
    assert!(rows(&s).contains(&"平潭综合实验区 2020".to_string()));
    // Loader progress goes the same way.
    update(
        &mut s,
        Msg::Loader(vec![report_review::tui::loader::Msg::Finished]),
    );
    assert!(s.loading.finished);
}

/// While only "terminal too small" is shown, keys do nothing but resize and quit: nothing
/// the user cannot see is opened, moved or marked.
#[test]
fn a_too_small_terminal_takes_only_resize_and_quit() {
    let mut s = state(Lang::En, Theme::color(), 80, 24);
    s.apply_store(report_review::tui::followups::StoreMsg::Opened {
        notices: vec![],
        read_only: false,
        marks: vec![],
    });
    let before = s.selected;
    s.update(Resize(20, 5));
    for a in [MoveDown, Open, ToggleMark, EditNote, Help] {
        assert!(s.update(a.clone()).is_empty(), "{a:?} acted");
    }
    assert_eq!(s.selected, before);
    assert_eq!(s.screen(), ScreenKind::List);
    assert_eq!(s.mode(), Mode::Normal);
    assert_eq!(s.update(Back), vec![Effect::Quit], "q quits");
    assert_eq!(s.update(Quit), vec![Effect::Quit]);
    // Back to a usable size: keys act again.
    s.update(Resize(80, 24));
    s.update(MoveDown);
    assert_ne!(s.selected, before);
}

#[test]
fn enter_is_offered_in_the_overview_only_since_it_does_nothing_in_the_prose() {
    use report_review::tui::commands::{footer_hints, help_for, key_context, HelpRow};
    let mut s = zh(80, 24);
    typed(&mut s, "pt2020");
    run(&mut s, &[Action::FilterAccept, Action::Open]);
    let offers_enter = |s: &State| {
        let footer = footer_hints(key_context(s)).any(|(a, ..)| *a == Action::Open);
        let (what, _) = Action::Open.describe();
        let help = help_for(s)
            .iter()
            .any(|r| matches!(r, HelpRow::Key(_, d) if d == what));
        (footer, help)
    };
    assert_eq!(s.report_view().unwrap().tab, Tab::Overview);
    assert_eq!(offers_enter(&s), (true, true));
    run(&mut s, &[Action::NextTab]);
    assert_eq!(s.report_view().unwrap().tab, Tab::Prose);
    // Enter in the prose leaves the screen as it was.
    let before = s.report_view().unwrap().clone();
    run(&mut s, &[Action::Open]);
    assert_eq!(s.report_view().unwrap(), &before);
    assert_eq!(offers_enter(&s), (false, false));
}
