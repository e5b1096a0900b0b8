//! The follow-up screen (every mark of the batch), the note editor and an item's history.
//! Widths are measured and cut only through `width`.

use super::{footer, line};
use crate::review::{Event, Mark};
use crate::tui::followups::{NotePurpose, MARK_GLYPH};
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

/// `2026-11-26 05:00` from an RFC 3339 time.
fn short_time(at: &str) -> String {
    let t = at.replace('T', " ");
    t.chars().take(16).collect()
}

fn report_label(state: &State, m: &Mark) -> String {
    let (agency, year) = crate::review::split_report_key(&m.item.report_key);
    let name = state
        .item_of_report(&m.item.report_key)
        .and_then(|id| state.items.get(id))
        .map(|i| i.name.clone())
        .unwrap_or_else(|| agency.to_string());
    match year {
        Some(y) => format!("{name} {y}"),
        None => name,
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
    for st in crate::review::State::ALL {
        let n = f.marks.values().filter(|m| m.state == st).count();
        head.push((
            format!("{} {n}  ", st.label_in(state.lang)),
            state_style(state, st),
        ));
    }
    head.push((
        format!("{} {}", state.t("共", "total"), f.marks.len()),
        th.base,
    ));
    lines.push(line(head, w, th.base));

    // 2. Filters.
    let all = state.t("全部", "all").to_string();
    let on = |a: bool| if a { th.title } else { th.base };
    let bar = vec![
        (format!("{} ", state.t("状态", "state")), th.dim),
        (
            s.state
                .map(|x| x.label_in(state.lang).to_string())
                .unwrap_or_else(|| all.clone()),
            on(s.state.is_some()),
        ),
        (format!("  {} ", state.t("审核人", "reviewer")), th.dim),
        (
            s.reviewer.clone().unwrap_or_else(|| all.clone()),
            on(s.reviewer.is_some()),
        ),
        (format!("  {} ", state.t("规则", "rule")), th.dim),
        (
            s.rule.clone().unwrap_or_else(|| all.clone()),
            on(s.rule.is_some()),
        ),
        (
            format!(
                "  {} {}/{}",
                state.t("显示", "shown"),
                rows.len(),
                f.marks.len()
            ),
            th.dim,
        ),
    ];
    lines.push(line(bar, w, th.base));

    // 3. Header and rows.
    let wide = w >= 120;
    let (state_w, report_w, place_w, who_w, time_w) = if wide {
        (10, 26, 24, 18, 17)
    } else {
        (11, 16, 16, 7, 0)
    };
    let fixed = 2 + state_w + 1 + report_w + 1 + place_w + 1 + who_w + 1 + time_w;
    let note_w = w.saturating_sub(fixed + usize::from(wide));
    let mut header = format!(
        "  {} {} {} {} ",
        width::pad(state.t("状态", "state"), state_w),
        width::pad(state.t("报告", "report"), report_w),
        width::pad(state.t("位置", "item"), place_w),
        width::pad(state.t("审核人", "reviewer"), who_w),
    );
    if wide {
        header.push_str(&format!(
            "{} ",
            width::pad(state.t("时间（UTC）", "time (UTC)"), time_w)
        ));
    }
    header.push_str(state.t("备注", "note"));
    lines.push(line(vec![(header, th.header)], w, th.header));
    if rows.is_empty() {
        let msg = if f.error.is_some() {
            state.t("跟进事项库不可用", "the follow-up store is unavailable")
        } else if f.marks.is_empty() {
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
        let mut pieces = vec![
            (if selected { "› " } else { "  " }.to_string(), base),
            (
                width::pad(&mark_word(state, m), state_w),
                state_style(state, m.state).patch(sel),
            ),
            (" ".into(), base),
            (
                width::pad(&width::cut(&report_label(state, m), report_w), report_w),
                base,
            ),
            (" ".into(), base),
            (
                width::pad(&width::cut(&m.item.place(), place_w), place_w),
                base,
            ),
            (" ".into(), base),
            (
                width::pad(&width::clean(&m.who_fitting(who_w)), who_w),
                th.dim.patch(sel),
            ),
            (" ".into(), base),
        ];
        if wide {
            pieces.push((width::pad(&short_time(&m.at), time_w), th.dim.patch(sel)));
            pieces.push((" ".into(), base));
        }
        pieces.push((width::cut(&width::clean(&m.note), note_w.max(1)), base));
        lines.push(line(pieces, w, base));
    }
    let body_h = area.height.saturating_sub(3) as usize;
    while lines.len() < body_h {
        lines.push(Line::from(""));
    }
    lines.truncate(body_h);

    // 4. The selected mark in full: note and drift, then the footer.
    let detail = match rows.get(s.cursor) {
        Some(m) => {
            let drift = state
                .item_of_report(&m.item.report_key)
                .and_then(|id| state.items.get(id))
                .map(|it| m.drift(it.report.as_deref(), Some(&it.findings)))
                .unwrap_or_else(|| m.drift(None, None));
            let mut p = vec![(m.key(), th.dim)];
            if let Some(d) = drift {
                p.push((format!("  ⚠ {}", d.message(state.lang)), th.warn));
            }
            p
        }
        None => vec![],
    };
    lines.push(line(detail, w, th.base));
    let note = rows
        .get(s.cursor)
        .map(|m| width::clean(&m.note))
        .unwrap_or_default();
    lines.push(line(vec![(note, th.base)], w, th.base));
    lines.push(footer(state));
    frame.render_widget(Paragraph::new(lines), area);
}

/// A box in the middle of the screen; clears one column more on each side (ratatui #2526).
fn centered_box(frame: &mut Frame, area: Rect, h: u16, title: String, style: Style) -> Rect {
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
    let before: String = ed.text[..ed.cursor].iter().collect();
    let after: String = ed.text[ed.cursor..].iter().collect();
    let room = w.saturating_sub(1);
    let mut shown_before = before.clone();
    while width::width(&shown_before) > room.saturating_sub(room / 4).max(1)
        && width::width(&shown_before) + width::width(&after) > room
    {
        shown_before.remove(0);
    }
    let prefix = if shown_before.len() < before.len() {
        "…"
    } else {
        ""
    };
    let left = format!("{prefix}{shown_before}");
    let rest = room.saturating_sub(width::width(&left));
    let lines = vec![
        line(vec![(ed.label.clone(), th.dim)], w, th.base),
        line(
            vec![
                (left, th.base),
                ("▏".into(), th.title),
                (width::cut(&after, rest), th.base),
            ],
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

fn event_line(state: &State, e: &Event) -> String {
    let from = e
        .old_state
        .map(|s| s.label_in(state.lang).to_string())
        .unwrap_or_else(|| "—".into());
    format!(
        "{}  {}  {} → {}",
        short_time(&e.at),
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
        " {} {} ",
        state.t("变更记录", "History"),
        width::clean(&h.key)
    );
    let height = area.height.saturating_sub(4);
    let inner = centered_box(frame, area, height, title, th.border);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if h.events.is_empty() {
        lines.push(line(
            vec![(state.t("没有记录", "no changes").to_string(), th.dim)],
            w,
            th.base,
        ));
    }
    for e in h.events.iter().skip(h.scroll) {
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
