//! The follow-up screen (every mark of the batch), the note editor and an item's history.
//! Widths are measured and cut only through `width`.

use super::{footer, line};
use crate::review::{Event, Mark};
use crate::tui::followups::{HistoryEntry, NotePurpose, MARK_GLYPH};
use crate::tui::progress::REVIEWED_GLYPH;
use crate::tui::state::State;
use crate::tui::width;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

/// Style of a follow-up state (colour is an extra; the word is always shown).
pub fn state_style(state: &State, s: crate::review::State) -> Style {
    let th = &state.theme;
    match s {
        crate::review::State::Open => th.warn,
        crate::review::State::Confirmed => th.fail,
        crate::review::State::Dismissed => th.dim,
        crate::review::State::Resolved => th.pass,
        crate::review::State::Unmarked => th.dim,
    }
}

/// `◆ 待核实` / `◆ open`.
pub fn mark_word(state: &State, m: &Mark) -> String {
    format!("{MARK_GLYPH} {}", m.state.label_in(state.lang))
}

/// `2026-11-26 05:00` from an RFC 3339 time, in UTC (the history box says so).
fn short_time(at: &str) -> String {
    let t = at.replace('T', " ");
    t.chars().take(16).collect()
}

/// `平潭综合实验区 2020` cut to `w` columns, the year always kept.
fn report_words(name: &str, year: Option<i32>, w: usize) -> String {
    match year {
        Some(y) => {
            let y = format!(" {y}");
            format!(
                "{}{y}",
                width::cut(name, w.saturating_sub(width::width(&y)))
            )
        }
        None => width::cut(name, w),
    }
}

/// Widths of the follow-up screen's columns at `w` columns.
struct Cols {
    state: usize,
    who: usize,
    time: usize,
    /// Report and place share the rest.
    what: usize,
    /// The date is shown in full (else month-day).
    full_date: bool,
}

impl Cols {
    fn of(state: &State, w: usize) -> Cols {
        // The widest state word of the language: never cut ("◆ dismissed").
        let st = crate::review::State::ALL
            .iter()
            .map(|s| width::width(&format!("{MARK_GLYPH} {}", s.label_in(state.lang))))
            .max()
            .unwrap_or(8);
        let wide = w >= 120;
        let (who, time) = if wide { (20, 16) } else { (8, 11) };
        let what = w.saturating_sub(2 + st + 1 + 1 + who + 1 + time);
        Cols {
            state: st,
            who,
            time,
            what,
            full_date: wide,
        }
    }
}

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let w = area.width as usize;
    let f = &state.followups;
    let s = &f.screen;
    let rows = state.followup_rows();
    let mut lines: Vec<Line> = Vec::new();

    // 1. Title: counts by state.
    let mut head = vec![(format!("{}  ", state.t("跟进事项", "Follow-ups")), th.title)];
    let followups: Vec<&Mark> = f.marks.values().filter(|m| m.state.is_followup()).collect();
    for st in crate::review::State::ALL {
        let n = followups.iter().filter(|m| m.state == st).count();
        head.push((
            format!("{} {n}  ", st.label_in(state.lang)),
            state_style(state, st),
        ));
    }
    head.push((
        format!("{} {}", state.t("共", "total"), followups.len()),
        th.base,
    ));
    lines.push(line(head, w, th.base));

    // 2. Sort and filters.
    let all = state.t("全部", "all").to_string();
    let on = |a: bool| if a { th.title } else { th.base };
    let (sz, se) = s.sort.words();
    let arrow = if s.reverse { "↑" } else { "↓" };
    let reviewer = s.reviewer.as_ref().map(|login| {
        // The reviewer as the rows show them (display name and login), filtered by login.
        f.marks
            .values()
            .find(|m| &m.os_user == login)
            .map_or_else(|| login.clone(), |m| width::clean(&m.who()))
    });
    let bar = vec![
        (format!("{} ", state.t("排序", "sort")), th.dim),
        (format!("{}{arrow}", state.t(sz, se)), th.base),
        (format!("  {} ", state.t("状态", "state")), th.dim),
        (
            s.state
                .map(|x| x.label_in(state.lang).to_string())
                .unwrap_or_else(|| all.clone()),
            on(s.state.is_some()),
        ),
        (format!("  {} ", state.t("规则", "rule")), th.dim),
        (
            s.rule.clone().unwrap_or_else(|| all.clone()),
            on(s.rule.is_some()),
        ),
        (format!("  {} ", state.t("审核人", "reviewer")), th.dim),
        (
            reviewer.clone().unwrap_or_else(|| all.clone()),
            on(reviewer.is_some()),
        ),
        (
            format!(
                "  {} {}/{}",
                state.t("显示", "shown"),
                rows.len(),
                followups.len()
            ),
            th.dim,
        ),
    ];
    lines.push(line(bar, w, th.base));

    // 3. Header and rows: two lines per mark — state, report · place, who, local time; then
    // the finding's message and the note.
    let c = Cols::of(state, w);
    let zone = f.zone.label_now();
    let header = format!(
        "  {} {} {} {}",
        width::pad(state.t("状态", "state"), c.state),
        width::pad(state.t("报告 · 位置", "report · place"), c.what),
        width::pad(state.t("审核人", "reviewer"), c.who),
        width::cut(&format!("{} {zone}", state.t("时间", "time")), c.time + 1),
    );
    lines.push(line(vec![(header, th.header)], w, th.header));
    if rows.is_empty() {
        let msg = if f.error.is_some() {
            state.t("跟进事项库不可用", "the follow-up store is unavailable")
        } else if followups.is_empty() {
            state.t(
                "还没有跟进标记：在列表、发现或单元格上按 m",
                "no follow-ups yet: press m on a report, finding or cell",
            )
        } else {
            state.t(
                "没有符合筛选条件的跟进事项（x 清除筛选）",
                "no follow-up matches the filters (x clears them)",
            )
        };
        lines.push(line(vec![(format!("  {msg}"), th.dim)], w, th.base));
    }
    let visible = state.followup_list_rows();
    let offset = width::scroll_to(s.offset, s.cursor, visible);
    for (i, m) in rows.iter().enumerate().skip(offset).take(visible) {
        let selected = i == s.cursor;
        let sel = if selected {
            th.selected
        } else {
            Style::default()
        };
        let base = th.base.patch(sel);
        let (name, year) = state.followup_report(m);
        let place = crate::review::place::item_words(&m.item, state.lang);
        // The place before the agency's full name: the name is in the pane below, and the
        // year is always kept.
        let full = report_words(&name, year, usize::MAX);
        let room = c.what.saturating_sub(3 + width::width(&place));
        let report = report_words(&name, year, room.max(width::width(&full).min(12)));
        let what = format!("{report} · {place}");
        let when = f
            .zone
            .local(&m.at)
            .map(|t| {
                if c.full_date {
                    format!("{} {}", t.date, t.time)
                } else {
                    t.short()
                }
            })
            .unwrap_or_else(|| short_time(&m.at));
        lines.push(line(
            vec![
                (if selected { "› " } else { "  " }.to_string(), base),
                (
                    width::pad(&mark_word(state, m), c.state),
                    state_style(state, m.state).patch(sel),
                ),
                (" ".into(), base),
                (width::pad(&width::cut(&what, c.what), c.what), base),
                (" ".into(), base),
                (
                    width::pad(&width::clean(&m.who_fitting(c.who)), c.who),
                    th.dim.patch(sel),
                ),
                (" ".into(), base),
                (width::pad(&when, c.time), th.dim.patch(sel)),
            ],
            w,
            base,
        ));
        // Second line: the rule and its message, and the note beside them.
        let indent = 2 + c.state + 1;
        let room = w.saturating_sub(indent);
        let about = match (m.item.rule(), state.followup_message(m)) {
            (Some(rule), Some(msg)) => format!("{rule} {}", width::clean(msg)),
            (Some(rule), None) => format!(
                "{rule} {}",
                state.t("（报告中已无此发现）", "(no longer reported)")
            ),
            _ => String::new(),
        };
        let note = width::clean(&m.note);
        let mut pieces = vec![(" ".repeat(indent), base)];
        if note.is_empty() {
            pieces.push((width::cut(&about, room), th.dim.patch(sel)));
        } else {
            let note = format!("✎ {note}");
            let note_w = if about.is_empty() {
                room
            } else {
                width::width(&note).min(room / 2)
            };
            let about_w = room.saturating_sub(note_w + usize::from(!about.is_empty()) * 2);
            if !about.is_empty() {
                pieces.push((width::cut(&about, about_w), th.dim.patch(sel)));
                pieces.push(("  ".into(), base));
            }
            pieces.push((width::cut(&note, note_w), base));
        }
        lines.push(line(pieces, w, base));
    }
    let body_h = area.height.saturating_sub(4) as usize;
    while lines.len() < body_h {
        lines.push(Line::from(""));
    }
    lines.truncate(body_h);

    // 4. The selected mark in full: where, the message, the note with who and when (the
    // zone named), what changed since; then the footer.
    let mut detail: Vec<Line> = Vec::new();
    if let Some(m) = rows.get(s.cursor) {
        let (name, year) = state.followup_report(m);
        let place = crate::review::place::item_words(&m.item, state.lang);
        let mut head = vec![(
            format!(
                "{} · {place}",
                report_words(&name, year, w.saturating_sub(8).max(8))
            ),
            th.title,
        )];
        if let Some(rule) = m.item.rule() {
            head.push((format!(" · {rule}"), th.dim));
        }
        detail.push(line(head, w, th.base));
        let drift = state
            .item_of_report(&m.item.report_key)
            .and_then(|id| state.items.get(id))
            .map(|it| state.drift_of(it, m))
            .unwrap_or_else(|| m.drift(None, None));
        let mut second = Vec::new();
        if let Some(msg) = state.followup_message(m) {
            second.push((width::clean(msg), th.base));
        }
        if let Some(d) = drift {
            second.push((format!("  ⚠ {}", d.message(state.lang)), th.warn));
        }
        detail.push(line(second, w, th.base));
        let when = f
            .zone
            .local(&m.at)
            .map(|t| t.full())
            .unwrap_or_else(|| m.at.clone());
        let who = format!("  — {} · {when}", width::clean(&m.who()));
        let note = width::clean(&m.note);
        let note = if note.is_empty() {
            state.t("（无备注）", "(no note)").to_string()
        } else {
            format!("✎ {note}")
        };
        let note_w = w.saturating_sub(width::width(&who)).max(w / 2);
        detail.push(line(
            vec![(width::cut(&note, note_w), th.base), (who, th.dim)],
            w,
            th.base,
        ));
    }
    while detail.len() < 3 {
        detail.push(Line::from(""));
    }
    lines.extend(detail);
    lines.push(footer(state));
    frame.render_widget(Paragraph::new(lines), area);
}

/// A box in the middle of the screen; clears one column more on each side (ratatui #2526).
pub(super) fn centered_box(
    frame: &mut Frame,
    area: Rect,
    h: u16,
    title: String,
    style: Style,
) -> Rect {
    let w = area.width.saturating_sub(4).min(100);
    let h = h.min(area.height.saturating_sub(2));
    let x = area.x + (area.width - w) / 2;
    let y = area.y + area.height.saturating_sub(h) / 2;
    let rect = Rect::new(x, y, w, h);
    frame.render_widget(
        Clear,
        Rect::new(x.saturating_sub(1), y, (w + 2).min(area.width), h),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    )
}

/// The note editor, over the screen.
/// The state chooser: one line per digit, the item's state now marked.
pub fn chooser(state: &State, c: &crate::tui::followups::Chooser, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let title = format!(" {} ", state.t("跟进状态", "Follow-up state"));
    let inner = centered_box(frame, area, 9, title, th.title);
    let w = inner.width as usize;
    let mut lines = vec![line(vec![(c.label.clone(), th.dim)], w, th.base)];
    for (digit, st) in crate::tui::followups::CHOICES {
        let now = c.current.unwrap_or(crate::review::State::Unmarked) == st;
        let word = match st {
            crate::review::State::Unmarked => state.t("清除标记", "clear the mark").to_string(),
            _ => format!("{} {}", st.label_zh(), st.as_str()),
        };
        let extra = match st {
            crate::review::State::Dismissed => state.t("（需填写理由）", " (asks for the reason)"),
            _ => "",
        };
        let here = if now {
            state.t("  ← 当前", "  ← now")
        } else {
            ""
        };
        lines.push(line(
            vec![
                (
                    format!("{} {digit}  ", if now { "›" } else { " " }),
                    th.title,
                ),
                (word, state_style(state, st)),
                (format!("{extra}{here}"), th.dim),
            ],
            w,
            th.base,
        ));
    }
    lines.push(line(
        vec![(
            state
                .t(
                    "数字选择 · Esc 取消 · e 只改备注",
                    "digit chooses · Esc cancels · e edits the note alone",
                )
                .to_string(),
            th.dim,
        )],
        w,
        th.base,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn editor(state: &State, frame: &mut Frame, area: Rect) {
    let Some(ed) = state.note_editor() else {
        return;
    };
    let th = &state.theme;
    let title = match &ed.purpose {
        NotePurpose::Reason(s) => format!(
            " {} {} ",
            s.label_in(state.lang),
            state.t("：请填写理由", "— give the reason")
        ),
        NotePurpose::Note => format!(" {} ", state.t("跟进备注", "Follow-up note")),
    };
    let inner = centered_box(frame, area, 7, title, th.title);
    let w = inner.width as usize;
    // The text, scrolled so that the cursor is visible; the cursor is drawn as ▏.
    let (left, after) = ed.line.shown(w.saturating_sub(1));
    let lines = vec![
        line(vec![(ed.label.clone(), th.dim)], w, th.base),
        line(
            vec![(left, th.base), ("▏".into(), th.title), (after, th.base)],
            w,
            th.base,
        ),
        Line::from(""),
        line(
            vec![(
                state
                    .t(
                        "Enter 保存 · Esc 取消 · ←→ 移动 · 可粘贴",
                        "Enter save · Esc cancel · ←→ move · paste works",
                    )
                    .to_string(),
                th.dim,
            )],
            w,
            th.base,
        ),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A time in the screen's zone (`2026-12-01 09:30 UTC+8`), as written when it cannot be read.
pub fn local_time(state: &State, at: &str) -> String {
    state
        .followups
        .zone
        .local(at)
        .map_or_else(|| short_time(at), |t| t.full())
}

/// `2026-12-01 09:30  张三 (zhangsan)  ☑ 已阅` / `… 取消已阅`.
fn review_line(state: &State, r: &crate::review::Review) -> String {
    let what = if r.reviewed {
        format!("{REVIEWED_GLYPH} {}", state.t("已阅", "reviewed"))
    } else {
        state.t("取消已阅", "reviewed mark taken back").to_string()
    };
    format!(
        "{}  {}  {what}",
        local_time(state, &r.at),
        width::clean(&r.who())
    )
}

fn event_line(state: &State, e: &Event) -> String {
    let from = e
        .old_state
        .map(|s| s.label_in(state.lang).to_string())
        .unwrap_or_else(|| "—".into());
    let when = local_time(state, &e.at);
    format!(
        "{}  {}  {} → {}",
        when,
        width::clean(&e.who()),
        from,
        e.new_state.label_in(state.lang)
    )
}

/// The history of one item, over the screen.
pub fn history(state: &State, frame: &mut Frame, area: Rect) {
    let Some(h) = state.history() else {
        return;
    };
    let th = &state.theme;
    let title = format!(
        " {} {} · {} ",
        state.t("变更记录", "History"),
        width::clean(&h.item.report_key),
        width::clean(&crate::review::place::item_words(&h.item, state.lang))
    );
    let height = area.height.saturating_sub(4);
    let inner = centered_box(frame, area, height, title, th.border);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    let entries = h.entries();
    if entries.is_empty() {
        lines.push(line(
            vec![(state.t("没有记录", "no changes").to_string(), th.dim)],
            w,
            th.base,
        ));
    }
    for entry in entries.into_iter().skip(h.scroll) {
        let e = match entry {
            HistoryEntry::Event(e) => e,
            HistoryEntry::Review(r) => {
                lines.push(line(vec![(review_line(state, r), th.pass)], w, th.base));
                continue;
            }
        };
        lines.push(line(
            vec![(event_line(state, e), state_style(state, e.new_state))],
            w,
            th.base,
        ));
        if !e.note.is_empty() {
            for row in width::wrap_str(&width::clean(&e.note), w.saturating_sub(4)) {
                lines.push(line(vec![(format!("    {row}"), th.base)], w, th.base));
            }
        }
    }
    lines.truncate((inner.height as usize).saturating_sub(1));
    while lines.len() + 1 < inner.height as usize {
        lines.push(Line::from(""));
    }
    lines.push(line(
        vec![(
            state
                .t("j/k 滚动 · Esc 关闭", "j/k scroll · Esc closes")
                .to_string(),
            th.dim,
        )],
        w,
        th.base,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
