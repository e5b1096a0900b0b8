//! The rule summary (every rule of the reports listed) and the reports of one rule.
//! Widths are measured and cut only through `width`.

use super::{footer, line};
use crate::check::{Mark, Status};
use crate::tui::rules::RulesView;
use crate::tui::state::State;
use crate::tui::width;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

fn mark_style(state: &State, m: Mark) -> Style {
    let th = &state.theme;
    match m {
        Mark::Error => th.fail,
        Mark::Warning => th.warn,
        Mark::Info | Mark::NotAssessable => th.dim,
    }
}

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let Some(view) = state.rules_view() else {
        return;
    };
    let w = area.width as usize;
    let mut lines = match &view.rule {
        None => summary(state, view, w),
        Some(rule) => reports(state, view, rule, w),
    };
    let body = area.height.saturating_sub(2) as usize;
    while lines.len() < body {
        lines.push(Line::from(""));
    }
    lines.truncate(body);
    lines.push(selected_line(state, view, w));
    lines.push(footer(state));
    frame.render_widget(Paragraph::new(lines), area);
}

/// `列表中的 8 份报告` (the summary is of what the list shows).
fn scope(state: &State) -> String {
    let n = state.visible.len();
    let all = state.items.len();
    match state.lang {
        crate::i18n::Lang::Zh if n == all => format!("全部 {n} 份报告"),
        crate::i18n::Lang::Zh => format!("列表筛选出的 {n}/{all} 份报告"),
        crate::i18n::Lang::En if n == all => format!("all {n} reports"),
        crate::i18n::Lang::En => format!("{n} of {all} reports (the list's filters)"),
    }
}

/// `1 report`, `3 reports`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Widths of the counts columns: reports, findings, followed.
const COUNT_W: usize = 9;

fn summary(state: &State, view: &RulesView, w: usize) -> Vec<Line<'static>> {
    let th = &state.theme;
    let rows = state.rule_rows(view.sort);
    let (sz, se) = view.sort.words();
    let mut lines = vec![
        line(
            vec![
                (format!("{}  ", state.t("按规则汇总", "By rule")), th.title),
                (scope(state), th.base),
                (
                    format!(
                        "  · {} {}  · {} {}↓",
                        state.t("规则", "rules"),
                        rows.len(),
                        state.t("排序", "sort"),
                        state.t(sz, se)
                    ),
                    th.dim,
                ),
            ],
            w,
            th.base,
        ),
        Line::from(""),
    ];
    let rule_w = rows
        .iter()
        .map(|r| width::width(&r.rule))
        .max()
        .unwrap_or(6)
        .clamp(6, 24);
    let counts = |a: &str, b: &str, c: &str| {
        format!(
            "{}{}{}",
            width::pad_left(a, COUNT_W),
            width::pad_left(b, COUNT_W),
            width::pad_left(c, COUNT_W)
        )
    };
    let title_w = w.saturating_sub(2 + 2 + rule_w + 1 + 1 + COUNT_W * 3);
    let header = format!(
        "    {} {} {}",
        width::pad(state.t("规则", "rule"), rule_w),
        width::pad(state.t("说明", "title"), title_w),
        counts(
            state.t("报告", "reports"),
            state.t("发现", "findings"),
            state.t("已跟进", "followed")
        )
    );
    lines.push(line(vec![(header, th.header)], w, th.header));
    if rows.is_empty() {
        lines.push(line(
            vec![(
                format!(
                    "  {}",
                    state.t("列表中的报告没有发现", "no findings in the reports listed")
                ),
                th.dim,
            )],
            w,
            th.base,
        ));
    }
    let page = state.rules_list_rows();
    let offset = width::scroll_to(view.offset, view.cursor, page);
    for (i, r) in rows.iter().enumerate().skip(offset).take(page) {
        let selected = i == view.cursor;
        let sel = if selected {
            th.selected
        } else {
            Style::default()
        };
        let base = th.base.patch(sel);
        lines.push(line(
            vec![
                (if selected { "› " } else { "  " }.to_string(), base),
                (
                    format!("{} ", r.mark.glyph()),
                    mark_style(state, r.mark).patch(sel),
                ),
                (width::pad(&r.rule, rule_w), base),
                (" ".into(), base),
                (
                    width::pad(&width::cut(&width::clean(&r.title), title_w), title_w),
                    base,
                ),
                (" ".into(), base),
                (
                    counts(
                        &r.reports.to_string(),
                        &r.findings.to_string(),
                        &r.followed.to_string(),
                    ),
                    base,
                ),
            ],
            w,
            base,
        ));
    }
    lines
}

fn reports(state: &State, view: &RulesView, rule: &str, w: usize) -> Vec<Line<'static>> {
    let th = &state.theme;
    let rows = state.rule_reports(rule);
    let title = crate::check::registry::rule(rule)
        .map(|d| d.title(state.lang).to_string())
        .unwrap_or_default();
    let total: usize = rows.iter().map(|r| r.findings.len()).sum();
    let mut lines = vec![
        line(
            vec![
                (format!("{rule}  "), th.title),
                (width::clean(&title), th.base),
            ],
            w,
            th.base,
        ),
        line(
            vec![(
                match state.lang {
                    crate::i18n::Lang::Zh => {
                        format!("{} 份报告 · {total} 个发现 · {}", rows.len(), scope(state))
                    }
                    crate::i18n::Lang::En => format!(
                        "{} · {} · {}",
                        plural(rows.len(), "report"),
                        plural(total, "finding"),
                        scope(state)
                    ),
                },
                th.dim,
            )],
            w,
            th.base,
        ),
    ];
    let year_w = 5;
    // The widest status word of the language, with room for the waiver sign.
    let st_w = [Status::Fail, Status::Warn, Status::Pass, Status::Unreadable]
        .iter()
        .map(|s| width::width(&state.status_text(*s)) + 2)
        .max()
        .unwrap_or(10);
    // As wide as the longest agency listed, leaving room for the first finding's message.
    let longest = rows
        .iter()
        .map(|r| width::width(&state.items[r.id].name))
        .max()
        .unwrap_or(8);
    let name_w = longest
        .min(w.saturating_sub(2 + st_w + 1 + year_w + 1 + COUNT_W * 2 + 2) / 2)
        .max(8);
    let msg_w = w.saturating_sub(2 + st_w + 1 + name_w + 1 + year_w + COUNT_W * 2 + 2);
    let header = format!(
        "  {} {} {}{}{}  {}",
        width::pad(state.t("状态", "status"), st_w),
        width::pad(state.t("机构", "agency"), name_w),
        width::pad(state.t("年份", "year"), year_w),
        width::pad_left(state.t("发现", "findings"), COUNT_W),
        width::pad_left(state.t("已跟进", "followed"), COUNT_W),
        state.t("第一个发现", "first finding"),
    );
    lines.push(line(vec![(header, th.header)], w, th.header));
    let page = state.rules_list_rows();
    let offset = width::scroll_to(view.offset, view.cursor, page);
    for (i, r) in rows.iter().enumerate().skip(offset).take(page) {
        let item = &state.items[r.id];
        let selected = i == view.cursor;
        let sel = if selected {
            th.selected
        } else {
            Style::default()
        };
        let base = th.base.patch(sel);
        let first = r
            .findings
            .first()
            .and_then(|&i| item.findings.get(i))
            .map(|f| width::clean(&f.message))
            .unwrap_or_default();
        lines.push(line(
            vec![
                (if selected { "› " } else { "  " }.to_string(), base),
                (
                    width::pad(&state.item_status_text(item), st_w),
                    state.theme.status(item.status).patch(sel),
                ),
                (" ".into(), base),
                (width::pad(&width::cut(&item.name, name_w), name_w), base),
                (" ".into(), base),
                (
                    width::pad(
                        &item.year().map(|y| y.to_string()).unwrap_or_default(),
                        year_w,
                    ),
                    base,
                ),
                (
                    width::pad_left(&r.findings.len().to_string(), COUNT_W),
                    base,
                ),
                (width::pad_left(&r.followed.to_string(), COUNT_W), base),
                ("  ".into(), base),
                (width::cut(&first, msg_w.max(1)), th.dim.patch(sel)),
            ],
            w,
            base,
        ));
    }
    lines
}

/// The selected row in full, above the footer.
fn selected_line(state: &State, view: &RulesView, w: usize) -> Line<'static> {
    let th = &state.theme;
    let text = match &view.rule {
        None => state
            .rule_rows(view.sort)
            .get(view.cursor)
            .map(|r| format!("{} {}", r.rule, width::clean(&r.title)))
            .unwrap_or_default(),
        Some(rule) => state
            .rule_reports(rule)
            .get(view.cursor)
            .map(|r| {
                let item = &state.items[r.id];
                format!("{} · {}", item.file, width::clean(&item.name))
            })
            .unwrap_or_default(),
    };
    line(vec![(text, th.dim)], w, th.base)
}
