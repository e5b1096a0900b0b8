//! The report view: title, tabs, and the overview and prose tabs (tables in `table.rs`).

use super::{footer, line};
use crate::check::{Finding, Mark, Outcome, Severity};
use crate::model::Template;
use crate::tui::layout::{prose_marks, prose_rows, ProseRow};
use crate::tui::state::{severity_glyph, tabs_of, Item, ReportView, State, Tab};
use crate::tui::width;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::ops::Range;

pub fn tab_name(state: &State, tab: Tab) -> String {
    match tab {
        Tab::Overview => state.t("概览", "Overview").into(),
        Tab::Prose => state.t("正文", "Prose").into(),
        Tab::Table("T2") => state.t("表二 主动公开", "Table 2").into(),
        Tab::Table("T3") => state.t("表三 依申请", "Table 3").into(),
        Tab::Table("T4") => state.t("表四 复议诉讼", "Table 4").into(),
        Tab::Table(t) => t.into(),
    }
}

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let (Some(view), Some(item)) = (state.report_view(), state.open_item()) else {
        return;
    };
    let th = &state.theme;
    let w = area.width as usize;
    let d = state.dims();
    let mut lines: Vec<Line> = Vec::new();

    // Title: status (glyph and word), agency, year, template, counts, position in the list.
    let pos = state
        .visible
        .iter()
        .position(|&id| id == item.id)
        .map(|p| format!("[{}/{}]", p + 1, state.visible.len()))
        .unwrap_or_default();
    let mut title = vec![
        (state.item_status_text(item), th.status(item.status)),
        ("  ".into(), th.base),
        (item.name.clone(), th.title),
    ];
    if let Some(y) = item.year() {
        title.push((format!(" {y}"), th.title));
    }
    if let Some(r) = &item.report {
        title.push((
            format!(
                "  · {} {}",
                state.t("模板", "template"),
                r.template.label(state.lang)
            ),
            th.dim,
        ));
    }
    title.push((
        format!(
            "  · {} {} · {} {}",
            state.t("错误", "errors"),
            item.errors,
            state.t("警告", "warnings"),
            item.warnings
        ),
        th.dim,
    ));
    let pos_w = width::width(&pos);
    let mut l = width::fit_spans(&title, w.saturating_sub(pos_w + 1), th.base);
    l.push(Span::styled(format!(" {pos}"), th.dim));
    lines.push(Line::from(l));

    // Tabs.
    let mut tabs = Vec::new();
    for tab in tabs_of(view.report.as_deref()) {
        let style = if tab == view.tab {
            th.tab_active
        } else {
            th.tab
        };
        let name = tab_name(state, tab);
        let text = if tab == view.tab {
            format!("[{name}]")
        } else {
            format!(" {name} ")
        };
        tabs.push((text, style));
        tabs.push((" ".into(), th.base));
    }
    // An active search, at the right: its query and which hit is shown (`/许可 3/12`).
    match &view.search {
        Some(search) => {
            let status = format!(" /{} {}", search.query, search.position());
            let status = width::cut(&status, w / 2);
            let room = w.saturating_sub(width::width(&status));
            let mut l = width::fit_spans(&tabs, room, th.base);
            l.push(Span::styled(status, th.notice));
            lines.push(Line::from(l));
        }
        None => lines.push(line(tabs, w, th.base)),
    }

    let body = Rect::new(area.x, area.y + 2, area.width, d.body_rows as u16);
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(area.x, area.y, area.width, 2),
    );
    match view.tab {
        Tab::Overview => overview(state, item, view, frame, body),
        Tab::Prose => prose(state, item, view, frame, body),
        Tab::Table(tid) => super::table::render(state, item, view, tid, frame, body),
    }
    let foot = footer(state);
    frame.render_widget(
        Paragraph::new(vec![foot]),
        Rect::new(
            area.x,
            area.y + area.height.saturating_sub(1),
            area.width,
            1,
        ),
    );
}

fn mark_name(state: &State, m: Mark) -> String {
    match m {
        Mark::Error => state.t("错误", "Errors").into(),
        Mark::Warning => state.t("警告", "Warnings").into(),
        Mark::Info => state.t("提示", "Info").into(),
        Mark::NotAssessable => state.t("无法判断", "Not assessable").into(),
    }
}

pub fn finding_style(state: &State, f: &Finding) -> Style {
    let th = &state.theme;
    if f.outcome == Outcome::NotAssessable {
        return th.cell_na;
    }
    match f.severity {
        Severity::Error => th.fail,
        Severity::Warning => th.warn,
        Severity::Info => th.dim,
    }
}

/// Lines describing one finding: formula with numbers, expected/actual, quote, line (with
/// its page when `source` is a paged one, a PDF).
pub fn finding_lines(
    state: &State,
    f: &Finding,
    source: Option<&crate::model::SourceInfo>,
    w: usize,
    indent: usize,
) -> Vec<Line<'static>> {
    let th = &state.theme;
    let pad = " ".repeat(indent);
    let mut out = Vec::new();
    for row in width::wrap_str(&f.message, w.saturating_sub(indent)) {
        out.push(line(vec![(format!("{pad}{row}"), th.base)], w, th.base));
    }
    // A template is recorded as the checks name it (`hybrid`, also in marks' snapshots);
    // the screen says it in its own words, as the title does.
    let value = |v: &str| match (f.location.as_str(), v) {
        ("META.template", "hybrid") => Template::Hybrid.label(state.lang).to_string(),
        _ => v.to_string(),
    };
    let mut facts = Vec::new();
    if let Some(e) = &f.expected {
        facts.push(format!("{} {}", state.t("期望", "expected"), value(e)));
    }
    if let Some(a) = &f.actual {
        facts.push(format!("{} {}", state.t("实际", "actual"), value(a)));
    }
    if f.outcome == Outcome::NotAssessable {
        facts.push(
            state
                .t("无法判断（缺少数据）", "not assessable (operand missing)")
                .into(),
        );
    }
    if let Some(l) = f.line {
        let zh = matches!(state.lang, crate::i18n::Lang::Zh);
        facts.push(match source {
            Some(src) => src.place_label(l, zh),
            None if zh => format!("第 {l} 行"),
            None => format!("line {l}"),
        });
    }
    if !facts.is_empty() {
        out.push(line(
            vec![(format!("{pad}{}", facts.join(" · ")), th.dim)],
            w,
            th.base,
        ));
    }
    if let Some(q) = &f.quote {
        for row in width::wrap_str(&format!("“{q}”"), w.saturating_sub(indent)) {
            out.push(line(vec![(format!("{pad}{row}"), th.dim)], w, th.base));
        }
    }
    out
}

fn overview(state: &State, item: &Item, view: &ReportView, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let w = area.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let kv = |k: &str, v: String| line(vec![(format!("{k}  "), th.dim), (v, th.base)], w, th.base);
    if let Some(r) = view.report.as_deref() {
        if let Some(t) = &r.title {
            lines.push(kv(state.t("标题", "title"), t.clone()));
        }
        let mut agency = r.agency.clone();
        if let Some(i) = &r.issuer {
            agency.push_str(&format!("  ({} {i})", state.t("落款", "issuer")));
        }
        lines.push(kv(state.t("机构", "agency"), agency));
        let mut meta = format!(
            "{}  {} {}",
            r.year.map(|y| y.to_string()).unwrap_or_else(|| "—".into()),
            state.t("模板", "template"),
            r.template.label(state.lang)
        );
        if let Some(p) = &r.published {
            meta.push_str(&format!(
                "  {} {}-{:02}-{:02}",
                state.t("发布", "published"),
                p.year,
                p.month,
                p.day
            ));
        }
        lines.push(kv(state.t("年度", "year"), meta));
        lines.push(kv(
            state.t("来源", "source"),
            format!(
                "{} · {} · {} · sha256 {}",
                r.source.file_name,
                r.source.format_label(state.lang),
                r.source.encoding,
                r.source.sha256.get(..12).unwrap_or(&r.source.sha256)
            ),
        ));
        if !r.notes.is_empty() {
            lines.push(kv(
                state.t("导入提示", "import notes"),
                r.notes
                    .iter()
                    .map(|n| format!("L{} {}", n.line, n.message_in(state.lang)))
                    .collect::<Vec<_>>()
                    .join("; "),
            ));
        }
    } else {
        lines.push(kv(state.t("文件", "file"), item.path.display().to_string()));
        if let Some(e) = &item.error {
            lines.push(line(
                vec![
                    (
                        format!("{}  ", state.t("无法读取", "unreadable")),
                        th.unreadable,
                    ),
                    (e.clone(), th.base),
                ],
                w,
                th.base,
            ));
        }
    }
    lines.push(kv(
        state.t("状态", "status"),
        format!(
            "{}  ({} {} · {} {})",
            state.item_status_text(item),
            state.t("错误", "errors"),
            item.errors,
            state.t("警告", "warnings"),
            item.warnings
        ),
    ));
    // The report's own follow-up mark and how many marks it has in all.
    if let Some(r) = item.report.as_ref() {
        let n = state.mark_count(item);
        let own = state.mark_of(&crate::review::ItemRef::report(&r.key()));
        if n > 0 {
            let mut text = own
                .map(|m| state.mark_summary_noted(item, m))
                .unwrap_or_default();
            if !text.is_empty() {
                text.push_str("  ");
            }
            text.push_str(&format!(
                "({} {n} · F {})",
                state.t("跟进事项", "follow-ups"),
                state.t("查看", "to list")
            ));
            lines.push(kv(state.t("跟进", "follow-up"), text));
        }
    }
    lines.push(Line::from(""));
    let mut sel_range = 0..0;
    if item.findings.is_empty() && item.report.is_some() {
        lines.push(line(
            vec![(state.t("✓ 没有发现", "✓ no findings").into(), th.pass)],
            w,
            th.base,
        ));
    }
    // Not assessable is its own group with its own count, never counted as an error.
    for mark in [Mark::Error, Mark::Warning, Mark::Info, Mark::NotAssessable] {
        let group: Vec<(usize, &Finding)> = item
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.mark() == mark)
            .collect();
        if group.is_empty() {
            continue;
        }
        lines.push(line(
            vec![(
                format!("{} ({})", mark_name(state, mark), group.len()),
                th.header,
            )],
            w,
            th.base,
        ));
        let picked = state.selected_findings();
        for (i, f) in group {
            let selected = view.finding == Some(i);
            // `+` marks a finding selected for a bulk mark (a glyph, so NO_COLOR shows it).
            let cursor = match (selected, picked.contains(&i)) {
                (true, true) => "›+",
                (true, false) => "› ",
                (false, true) => " +",
                (false, false) => "  ",
            };
            let start = lines.len();
            let sel = if selected {
                th.selected
            } else {
                Style::default()
            };
            lines.push(line(
                vec![
                    (
                        cursor.to_string(),
                        if picked.contains(&i) {
                            th.title
                        } else {
                            th.base
                        }
                        .patch(sel),
                    ),
                    (
                        format!("{} {}", severity_glyph(f), f.rule),
                        finding_style(state, f).patch(sel),
                    ),
                    (format!("  {}", f.location), th.dim.patch(sel)),
                    (
                        item.report
                            .as_ref()
                            .and_then(|r| {
                                state.mark_of(&crate::review::ItemRef::of_finding(&r.key(), f))
                            })
                            .map(|m| format!("  {}", state.mark_summary_noted(item, m)))
                            .unwrap_or_default(),
                        th.title.patch(sel),
                    ),
                ],
                w,
                th.base.patch(sel),
            ));
            lines.extend(finding_lines(
                state,
                f,
                item.report.as_ref().map(|r| &r.source),
                w,
                4,
            ));
            if selected {
                sel_range = start..lines.len();
            }
        }
    }
    let rows = area.height as usize;
    let mut offset = 0;
    if sel_range.end > rows {
        offset = sel_range.end - rows;
    }
    offset = offset.min(sel_range.start);
    let shown: Vec<Line> = lines.into_iter().skip(offset).take(rows).collect();
    frame.render_widget(Paragraph::new(shown), area);
}

/// A prose highlight: section, line (all lines when `None`), char ranges, selected, style,
/// and the finding's mark (✗ error, ! warning, i info, ? not assessable).
type ProseMark = (
    usize,
    Option<usize>,
    Vec<Range<usize>>,
    bool,
    Style,
    crate::check::Mark,
);

/// The gutter of a prose row: `▶` for the selected finding, else the mark of the most
/// serious finding on the row in its own style (never a red ✗ for a warning or an info).
fn prose_gutter<'a>(
    marks: impl Iterator<Item = &'a ProseMark> + Clone,
    base: Style,
    show_selected: bool,
) -> (String, Style) {
    if let Some(m) = marks.clone().find(|m| m.3 && show_selected) {
        return ("▶ ".into(), m.4);
    }
    match marks.min_by_key(|m| m.5) {
        Some(m) => (format!("{} ", m.5.glyph()), m.4),
        None => ("  ".into(), base),
    }
}

fn prose(state: &State, item: &Item, view: &ReportView, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let Some(report) = view.report.as_deref() else {
        return;
    };
    let d = state.dims();
    // The rows kept with the view; laid out afresh only if drawn at another size.
    let fresh;
    let rows = if view.layout.dims == d {
        &view.layout.prose
    } else {
        fresh = prose_rows(report, d.prose_width);
        &fresh
    };
    // Highlights: (section, line) → char ranges and whether the selected finding owns them.
    let mut marks: Vec<ProseMark> = Vec::new();
    for (i, f) in item.findings.iter().enumerate() {
        if let Some((si, li, ranges)) = prose_marks(report, f) {
            marks.push((
                si,
                li,
                ranges,
                view.finding == Some(i),
                finding_style(state, f),
                f.mark(),
            ));
        }
    }
    let w = area.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let scroll = view
        .prose_scroll
        .min(rows.len().saturating_sub(area.height as usize));
    // Search hits in a text: the current one reversed, the others as matches.
    let hit_style = |ranges: &[(Range<usize>, bool)], ci: usize| {
        ranges
            .iter()
            .filter(|(r, _)| r.contains(&ci))
            .map(|(_, cur)| if *cur { th.selected } else { th.matched })
            .next()
    };
    for (ri, r) in rows
        .iter()
        .enumerate()
        .skip(scroll)
        .take(area.height as usize)
    {
        // The cursor row: its gutter in reverse video (what `m` marks is this row's section).
        let at_cursor = ri == view.prose_cursor;
        let cursor_gutter = |(g, st): (String, Style)| {
            if at_cursor {
                let g = if g.trim().is_empty() {
                    "› ".to_string()
                } else {
                    g
                };
                (g, st.patch(th.selected))
            } else {
                (g, st)
            }
        };
        match r {
            ProseRow::Blank => lines.push(Line::from("")),
            ProseRow::Heading(si) => {
                let s = &report.sections[*si];
                let id = s.id.clone().unwrap_or_else(|| "?".into());
                // A finding about the whole section (no line, no figures) marks its heading.
                let on_heading = |m: &&ProseMark| m.0 == *si && m.1.is_none() && m.2.is_empty();
                let gutter = if marks.iter().filter(|m| m.3).any(|m| on_heading(&m)) {
                    prose_gutter(marks.iter().filter(on_heading), th.base, true)
                } else {
                    prose_gutter(marks.iter().filter(|m| m.0 == *si), th.base, false)
                };
                let hits = view
                    .search
                    .as_ref()
                    .map_or_else(Vec::new, |h| h.prose_ranges(Some(*si), None));
                let mut pieces = vec![cursor_gutter(gutter)];
                for (ci, c) in crate::tui::search::heading_text(report, *si)
                    .chars()
                    .enumerate()
                {
                    let style = hit_style(&hits, ci).unwrap_or(th.header);
                    let n = pieces.len();
                    match pieces.last_mut() {
                        Some((s, st)) if *st == style && n > 1 => s.push(c),
                        _ => pieces.push((c.to_string(), style)),
                    }
                }
                pieces.push((format!("  [{id}]"), th.dim));
                let mark =
                    s.id.as_ref()
                        .and_then(|sid| {
                            state.mark_of(&crate::review::ItemRef::section(&report.key(), sid))
                        })
                        .map(|m| format!("  {}", state.mark_summary_noted(item, m)))
                        .unwrap_or_default();
                pieces.push((mark, th.title));
                lines.push(line(pieces, w, th.base));
            }
            ProseRow::Text {
                sec,
                line: li,
                range,
            } => {
                let text = match sec {
                    Some(s) => &report.sections[*s].lines[*li].text,
                    None => &report.preamble[*li].text,
                };
                let chars: Vec<char> = text.chars().collect();
                let mine: Vec<&ProseMark> = marks
                    .iter()
                    .filter(|m| Some(m.0) == *sec && (m.1.is_none() || m.1 == Some(*li)))
                    .collect();
                // A finding marks the rows holding its figures; without figures, the
                // first row of its line.
                let first_row = range.start == 0;
                let marks_row = |m: &&ProseMark| {
                    if m.2.is_empty() {
                        m.1 == Some(*li) && first_row
                    } else {
                        m.2.iter()
                            .any(|x| x.start < range.end && x.end > range.start)
                    }
                };
                let whole_line = mine.iter().any(|m| m.1 == Some(*li) && m.2.is_empty());
                let gutter = prose_gutter(mine.iter().copied().filter(marks_row), th.base, true);
                let mut pieces: Vec<(String, Style)> = vec![cursor_gutter(gutter)];
                let hits = view
                    .search
                    .as_ref()
                    .map_or_else(Vec::new, |h| h.prose_ranges(*sec, Some(*li)));
                for ci in range.clone() {
                    let hl = mine
                        .iter()
                        .find(|m| m.2.iter().any(|x| x.contains(&ci)))
                        .map(|m| {
                            th.highlight
                                .patch(m.4)
                                .add_modifier(ratatui::style::Modifier::UNDERLINED)
                        });
                    let style = hl.unwrap_or(if whole_line { th.warn } else { th.base });
                    let style = hit_style(&hits, ci).unwrap_or(style);
                    let c = chars[ci];
                    let n = pieces.len();
                    match pieces.last_mut() {
                        Some((s, st)) if *st == style && n > 1 => s.push(c),
                        _ => pieces.push((c.to_string(), style)),
                    }
                }
                lines.push(line(pieces, w, th.base));
            }
        }
    }
    if rows.is_empty() {
        lines.push(line(
            vec![(state.t("（没有正文）", "(no prose)").into(), th.dim)],
            w,
            th.base,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
