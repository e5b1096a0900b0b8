//! The report view: title, tabs, and the overview and prose tabs (tables in `table.rs`).

use super::{footer, line};
use crate::check::{Finding, Outcome, Severity};
use crate::model::Report;
use crate::tui::action::Action;
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
    let (Some(view), Some(item)) = (state.report.as_ref(), state.open_item()) else {
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
                r.template.as_str()
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
    for tab in tabs_of(item.report.as_deref()) {
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
    lines.push(line(tabs, w, th.base));

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
    let hints: &[(Action, &str, &str)] = match view.tab {
        Tab::Table(_) => &[
            (Action::MoveDown, "移动", "move"),
            (Action::NextFinding, "下一发现", "next finding"),
            (Action::NextTab, "标签", "tab"),
            (Action::NextReport, "下一报告", "next report"),
            (Action::Copy, "复制", "copy"),
            (Action::Help, "帮助", "help"),
            (Action::Back, "返回", "back"),
        ],
        _ => &[
            (Action::Open, "跳到发现", "jump"),
            (Action::NextFinding, "下一发现", "next finding"),
            (Action::NextTab, "标签", "tab"),
            (Action::NextReport, "下一报告", "next report"),
            (Action::NextFailing, "下一未通过", "next failing"),
            (Action::Copy, "复制", "copy"),
            (Action::Help, "帮助", "help"),
            (Action::Back, "返回", "back"),
        ],
    };
    let foot = footer(state, hints);
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

fn severity_name(state: &State, s: Severity) -> String {
    match s {
        Severity::Error => state.t("错误", "Errors").into(),
        Severity::Warning => state.t("警告", "Warnings").into(),
        Severity::Info => state.t("提示", "Info").into(),
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

/// Lines describing one finding: formula with numbers, expected/actual, quote, line.
pub fn finding_lines(state: &State, f: &Finding, w: usize, indent: usize) -> Vec<Line<'static>> {
    let th = &state.theme;
    let pad = " ".repeat(indent);
    let mut out = Vec::new();
    for row in width::wrap_str(&f.message, w.saturating_sub(indent)) {
        out.push(line(vec![(format!("{pad}{row}"), th.base)], w, th.base));
    }
    let mut facts = Vec::new();
    if let Some(e) = &f.expected {
        facts.push(format!("{} {e}", state.t("期望", "expected")));
    }
    if let Some(a) = &f.actual {
        facts.push(format!("{} {a}", state.t("实际", "actual")));
    }
    if f.outcome == Outcome::NotAssessable {
        facts.push(
            state
                .t("无法判断（缺少数据）", "not assessable (operand missing)")
                .into(),
        );
    }
    if let Some(l) = f.line {
        facts.push(match state.lang {
            crate::i18n::Lang::Zh => format!("第 {l} 行"),
            crate::i18n::Lang::En => format!("line {l}"),
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
    if let Some(r) = item.report.as_deref() {
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
            r.template.as_str()
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
                r.source.format,
                r.source.encoding,
                r.source.sha256.get(..12).unwrap_or(&r.source.sha256)
            ),
        ));
        if !r.notes.is_empty() {
            lines.push(kv(
                state.t("导入提示", "import notes"),
                r.notes
                    .iter()
                    .map(|n| format!("L{} {}", n.line, n.message))
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
            let mut text = own.map(|m| state.mark_summary(item, m)).unwrap_or_default();
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
    for sev in [Severity::Error, Severity::Warning, Severity::Info] {
        let group: Vec<(usize, &Finding)> = item
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.severity == sev)
            .collect();
        if group.is_empty() {
            continue;
        }
        lines.push(line(
            vec![(
                {
                    let na = group
                        .iter()
                        .filter(|(_, f)| f.outcome == Outcome::NotAssessable)
                        .count();
                    if na > 0 {
                        format!(
                            "{} ({} + {na} {})",
                            severity_name(state, sev),
                            group.len() - na,
                            state.t("无法判断", "not assessable")
                        )
                    } else {
                        format!("{} ({})", severity_name(state, sev), group.len())
                    }
                },
                th.header,
            )],
            w,
            th.base,
        ));
        for (i, f) in group {
            let selected = view.finding == Some(i);
            let start = lines.len();
            let sel = if selected {
                th.selected
            } else {
                Style::default()
            };
            lines.push(line(
                vec![
                    (
                        if selected { "› ".into() } else { "  ".into() },
                        th.base.patch(sel),
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
                            .map(|m| format!("  {}", state.mark_summary(item, m)))
                            .unwrap_or_default(),
                        th.title.patch(sel),
                    ),
                ],
                w,
                th.base.patch(sel),
            ));
            lines.extend(finding_lines(state, f, w, 4));
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

/// One display row of the prose tab.
#[derive(Debug, Clone, PartialEq)]
pub enum ProseRow {
    /// Heading of section `sec` (index into `Report::sections`).
    Heading(usize),
    /// Part of a text line: section (`None` for the preamble), line index, char range.
    Text {
        sec: Option<usize>,
        line: usize,
        range: Range<usize>,
    },
    Blank,
}

/// The prose laid out in rows of `width` columns (2 more for the gutter).
pub fn prose_rows(report: &Report, width: usize) -> Vec<ProseRow> {
    let mut rows = Vec::new();
    for (li, l) in report.preamble.iter().enumerate() {
        let chars: Vec<char> = l.text.chars().collect();
        for range in width::wrap(&chars, width) {
            rows.push(ProseRow::Text {
                sec: None,
                line: li,
                range,
            });
        }
    }
    for (si, s) in report.sections.iter().enumerate() {
        if !rows.is_empty() {
            rows.push(ProseRow::Blank);
        }
        rows.push(ProseRow::Heading(si));
        for (li, l) in s.lines.iter().enumerate() {
            let chars: Vec<char> = l.text.chars().collect();
            for range in width::wrap(&chars, width) {
                rows.push(ProseRow::Text {
                    sec: Some(si),
                    line: li,
                    range,
                });
            }
        }
    }
    rows
}

/// Section id and source line of a prose finding (`S3`, `S1:L12`).
fn prose_location(f: &Finding) -> Option<(String, Option<usize>)> {
    let loc = &f.location;
    if !loc.starts_with('S') {
        return None;
    }
    let (sec, rest) = match loc.split_once(':') {
        Some((s, r)) => (s, Some(r)),
        None => (loc.as_str(), None),
    };
    let line = rest
        .and_then(|r| r.strip_prefix('L'))
        .and_then(|n| n.parse().ok())
        .or(f.line);
    Some((sec.to_string(), line))
}

/// Which (section, line index) a prose finding points at, and the char ranges to highlight.
pub fn prose_marks(
    report: &Report,
    f: &Finding,
) -> Option<(usize, Option<usize>, Vec<Range<usize>>)> {
    let (sec_id, line) = prose_location(f)?;
    let si = report
        .sections
        .iter()
        .position(|s| s.id.as_deref() == Some(sec_id.as_str()))?;
    let sec = &report.sections[si];
    let li = line.and_then(|n| {
        sec.lines
            .iter()
            .position(|l| l.line == n)
            .or_else(|| sec.lines.iter().rposition(|l| l.line <= n))
    });
    // A quote may be shortened with `…`: look for its pieces.
    let quote_pieces = f
        .quote
        .as_deref()
        .map(|q| {
            q.split('…')
                .map(str::trim)
                .filter(|p| p.chars().count() >= 4)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let needles: Vec<&str> = quote_pieces
        .into_iter()
        .chain(
            [f.actual.as_deref(), f.expected.as_deref()]
                .into_iter()
                .flatten()
                .map(str::trim),
        )
        // `—` and the like say "nothing found": not a figure to look for.
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .collect();
    let candidates: Vec<usize> = match li {
        Some(i) => vec![i],
        None => (0..sec.lines.len()).collect(),
    };
    for i in candidates {
        let text = &sec.lines[i].text;
        let mut ranges = Vec::new();
        for n in &needles {
            ranges.extend(find_figure(text, n));
        }
        if !ranges.is_empty() {
            return Some((si, Some(i), ranges));
        }
    }
    Some((si, li, Vec::new()))
}

/// Char ranges where `needle` occurs in `text`; a number must not be part of a longer one.
fn find_figure(text: &str, needle: &str) -> Vec<Range<usize>> {
    let numeric = needle
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',');
    let chars: Vec<char> = text.chars().collect();
    let nchars: Vec<char> = needle.chars().collect();
    let mut out = Vec::new();
    if nchars.is_empty() || nchars.len() > chars.len() {
        return out;
    }
    let mut i = 0;
    while i + nchars.len() <= chars.len() {
        if chars[i..i + nchars.len()] == nchars[..] {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + nchars.len()).copied();
            let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '.');
            if !numeric || (!digit(before) && !digit(after)) {
                out.push(i..i + nchars.len());
                i += nchars.len();
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The display row a prose finding should scroll to.
pub fn prose_target(report: &Report, rows: &[ProseRow], f: &Finding) -> Option<usize> {
    let (si, li, ranges) = prose_marks(report, f)?;
    let first_char = ranges.iter().map(|r| r.start).min();
    let hit = rows.iter().position(|r| match (r, li) {
        (
            ProseRow::Text {
                sec: Some(s),
                line,
                range,
            },
            Some(l),
        ) => {
            *s == si
                && *line == l
                && first_char.map_or(true, |c| range.contains(&c) || range.end == c)
        }
        _ => false,
    });
    hit.or_else(|| rows.iter().position(|r| *r == ProseRow::Heading(si)))
}

/// A prose highlight: section, line (all lines when `None`), char ranges, selected, style.
type ProseMark = (usize, Option<usize>, Vec<Range<usize>>, bool, Style);

fn prose(state: &State, item: &Item, view: &ReportView, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let Some(report) = item.report.as_deref() else {
        return;
    };
    let d = state.dims();
    let rows = prose_rows(report, d.prose_width);
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
            ));
        }
    }
    let w = area.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let scroll = view
        .prose_scroll
        .min(rows.len().saturating_sub(area.height as usize));
    for r in rows.iter().skip(scroll).take(area.height as usize) {
        match r {
            ProseRow::Blank => lines.push(Line::from("")),
            ProseRow::Heading(si) => {
                let s = &report.sections[*si];
                let id = s.id.clone().unwrap_or_else(|| "?".into());
                // A finding about the whole section (no line, no figures) marks its heading.
                let on_heading = |m: &&ProseMark| m.0 == *si && m.1.is_none() && m.2.is_empty();
                let gutter = if marks.iter().filter(|m| m.3).any(|m| on_heading(&m)) {
                    "▶ "
                } else if marks.iter().any(|m| m.0 == *si) {
                    "✗ "
                } else {
                    "  "
                };
                lines.push(line(
                    vec![
                        (gutter.into(), th.fail),
                        (format!("{}{}", s.number, s.heading), th.header),
                        (format!("  [{id}]"), th.dim),
                        (
                            s.id.as_ref()
                                .and_then(|sid| {
                                    state.mark_of(&crate::review::ItemRef::section(
                                        &report.key(),
                                        sid,
                                    ))
                                })
                                .map(|m| format!("  {}", state.mark_summary(item, m)))
                                .unwrap_or_default(),
                            th.title,
                        ),
                    ],
                    w,
                    th.base,
                ));
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
                let gutter = if mine.iter().filter(|m| m.3).any(&marks_row) {
                    "▶ "
                } else if mine.iter().any(marks_row) {
                    "✗ "
                } else {
                    "  "
                };
                let mut pieces: Vec<(String, Style)> = vec![(gutter.into(), th.fail)];
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
