//! The compare screen: `指标 | 上年 | 本年 | 变化 | 变化%` with cross-year findings marked,
//! the repeated sentences of parts 一/五/六, and the trend of key figures.

use super::report::finding_lines;
use super::{footer, line};
use crate::check::{fmt_num, Severity};
use crate::compare::{CompareRow, Presence};
use crate::tui::action::Action;
use crate::tui::compare::{
    is_repetition_rule, mark_glyph, repeated_headline, row_findings, CompareTab, CompareView,
    BRIDGE_NOTE_EN, BRIDGE_NOTE_ZH,
};
use crate::tui::layout::{
    compare_table_rows, label_col, label_lines, repeated_sentence_rows, value_cols,
};
use crate::tui::state::State;
use crate::tui::width;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Clear, Paragraph};
use ratatui::Frame;

fn year_of(state: &State, id: Option<usize>) -> String {
    id.and_then(|i| state.items.get(i))
        .and_then(|i| i.year())
        .map_or("?".into(), |y| y.to_string())
}

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let Some(view) = state.compare_view() else {
        return;
    };
    let Some(item) = state.items.get(view.cur) else {
        return;
    };
    let th = &state.theme;
    let w = area.width as usize;
    let d = state.dims();
    let zh = state.lang == crate::i18n::Lang::Zh;

    // Title: agency, years, templates, findings.
    let mut title = vec![(state.t("比较  ", "Compare  ").to_string(), th.title)];
    // Last year's agency named too when it is written differently.
    let prev_name = view
        .prev
        .and_then(|p| state.items.get(p))
        .map(|p| p.name.clone())
        .filter(|n| *n != item.name);
    match (view.prev, &view.comparison) {
        (Some(_), Some(c)) if prev_name.is_some() => {
            title.push((
                format!(
                    "{} {} → {} {}",
                    prev_name.unwrap_or_default(),
                    year_of(state, view.prev),
                    item.name,
                    year_of(state, Some(view.cur))
                ),
                th.title,
            ));
            title.push((
                format!(
                    "  · {} {} → {}",
                    state.t("模板", "template"),
                    c.prev_template,
                    c.cur_template
                ),
                th.dim,
            ));
        }
        (Some(_), Some(c)) => {
            title.push((item.name.clone(), th.title));
            title.push((
                format!(
                    " {} → {}",
                    year_of(state, view.prev),
                    year_of(state, Some(view.cur))
                ),
                th.title,
            ));
            title.push((
                format!(
                    "  · {} {} → {}",
                    state.t("模板", "template"),
                    c.prev_template,
                    c.cur_template
                ),
                th.dim,
            ));
            let nf = view
                .findings
                .iter()
                .filter(|f| f.outcome == crate::check::Outcome::Fail)
                .count();
            title.push((
                format!("  · {} {nf}", state.t("跨年发现", "cross-year findings")),
                th.dim,
            ));
        }
        _ => title.push((
            format!("{} {}", item.name, year_of(state, Some(view.cur))),
            th.title,
        )),
    }
    let mut lines = vec![line(title, w, th.base)];

    // Tabs and how the pair was made.
    let mut tabs = Vec::new();
    for (t, name) in [
        (CompareTab::Table, state.t("表格", "Table")),
        (CompareTab::Repeated, state.t("重复语句", "Repeated")),
        (CompareTab::Trend, state.t("趋势", "Trend")),
    ] {
        if t == view.tab {
            tabs.push((format!("[{name}]"), th.tab_active));
        } else {
            tabs.push((format!(" {name} "), th.tab));
        }
        tabs.push((" ".into(), th.base));
    }
    if let Some(how) = view.how {
        let prev = view.prev.and_then(|p| state.items.get(p));
        let prev_name = prev.map_or(item.name.as_str(), |p| p.name.as_str());
        let note = how.describe_names(prev_name, &item.name, zh, false);
        tabs.push((format!(" {note}"), th.dim));
    }
    lines.push(line(tabs, w, th.base));
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(area.x, area.y, area.width, 2),
    );

    let body = Rect::new(area.x, area.y + 2, area.width, d.body_rows as u16);
    if view.comparison.is_none() && view.tab != CompareTab::Trend {
        no_pair(state, view, frame, body);
    } else {
        match view.tab {
            CompareTab::Table => table(state, view, frame, body),
            CompareTab::Repeated => repeated(state, view, frame, body),
            CompareTab::Trend => trend(state, view, frame, body),
        }
    }
    if let Some(p) = state.pairing() {
        picker(state, view, p, frame, body);
    }

    frame.render_widget(
        Paragraph::new(vec![footer(state)]),
        Rect::new(
            area.x,
            area.y + area.height.saturating_sub(1),
            area.width,
            1,
        ),
    );
}

fn no_pair(state: &State, view: &CompareView, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let w = area.width as usize;
    let item = &state.items[view.cur];
    let prev_year = item.year().map_or("?".into(), |y| (y - 1).to_string());
    let msg = match state.lang {
        crate::i18n::Lang::Zh => format!(
            "批次中没有找到“{}”{prev_year} 年的报告，无法比较。",
            item.name
        ),
        crate::i18n::Lang::En => format!(
            "No {prev_year} report of “{}” in this batch: nothing to compare with.",
            item.name
        ),
    };
    let hint = format!(
        "{} {}",
        state.keymap.first_key(&Action::ChoosePairing),
        state.t(
            "从上一年度的报告中选择配对",
            "pick the pairing from the previous year's reports"
        )
    );
    let mut lines = vec![Line::from("")];
    for r in width::wrap_str(&msg, w.saturating_sub(2)) {
        lines.push(line(vec![(format!(" {r}"), th.warn)], w, th.base));
    }
    if let Some((id, score)) = crate::tui::compare::candidates(&state.items, view.cur)
        .into_iter()
        .find(|c| c.1 > 0)
    {
        let c = &state.items[id];
        let near = match state.lang {
            crate::i18n::Lang::Zh => format!(
                "最接近的是“{}”{}（模糊匹配得分 {score}），名称不同，未自动配对。",
                c.name,
                c.year().unwrap_or_default()
            ),
            crate::i18n::Lang::En => format!(
                "Closest: “{}” {} (fuzzy score {score}); a different name, not paired by itself.",
                c.name,
                c.year().unwrap_or_default()
            ),
        };
        for r in width::wrap_str(&near, w.saturating_sub(2)) {
            lines.push(line(vec![(format!(" {r}"), th.base)], w, th.base));
        }
    }
    lines.push(line(vec![(format!(" {hint}"), th.dim)], w, th.base));
    frame.render_widget(Paragraph::new(lines), area);
}

/// As published (`24252.311082`), never rounded: the auditor compares it with the page.
fn num(v: Option<f64>) -> String {
    v.map_or("—".into(), fmt_num)
}

fn delta_text(r: &CompareRow) -> String {
    match r.delta {
        Some(d) if d > 0.0 => format!("+{}", num(Some(d))),
        Some(d) => num(Some(d)),
        None => "—".into(),
    }
}

fn pct_text(r: &CompareRow) -> String {
    match r.pct {
        Some(p) if p > 0.0 => format!("+{p:.0}%"),
        Some(p) => format!("{p:.0}%"),
        None if r.delta.is_some_and(|d| d != 0.0) => "∞".into(),
        None => "—".into(),
    }
}

/// Presence and note glyph: `≈` joined across the template change, `-` only last year's
/// template, `+` only this year's.
fn presence_glyph(r: &CompareRow) -> &'static str {
    match r.presence {
        Presence::PrevOnly => "-",
        Presence::CurOnly => "+",
        Presence::Both if r.note.is_some() => "≈",
        Presence::Both => " ",
    }
}

fn severity_style(state: &State, s: Severity) -> Style {
    match s {
        Severity::Error => state.theme.cell_fail,
        Severity::Warning => state.theme.warn,
        // Info is dim, as in the report view: never in the warning colour.
        Severity::Info => state.theme.dim,
    }
}

fn table(state: &State, view: &CompareView, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let total = area.width as usize;
    let d = state.dims();
    let lw = label_col(view.comparison.as_ref(), total);
    let Some(c) = &view.comparison else {
        return;
    };
    let vis = view.visible();
    let rows = compare_table_rows(state.dims());
    let mut lines: Vec<Line> = Vec::new();
    let heads = [
        state.t("上年", "prev"),
        state.t("本年", "this"),
        state.t("变化", "change"),
        state.t("变化%", "change%"),
    ];
    let mut head = vec![(
        width::pad(&format!("  {}", state.t("指标", "item")), lw + 2),
        th.header,
    )];
    let cols = value_cols(view.comparison.as_ref());
    for (h, cw) in heads.iter().zip(cols) {
        head.push((width::pad_left(h, cw), th.header));
    }
    lines.push(line(head, total, th.header));

    let cursor = view.cursor.min(vis.len().saturating_sub(1));
    let mut budget = rows;
    let mut i = view.offset.min(cursor);
    while budget > 0 && i < vis.len() {
        let r = &c.rows[vis[i]];
        let is_cur = i == cursor;
        let marks = row_findings(&view.findings, r);
        let (glyph, gstyle) = match mark_glyph(&marks) {
            Some((g, s)) => (g, severity_style(state, s)),
            None => (presence_glyph(r), th.dim),
        };
        // The row's follow-up sign (◆ a mark, ✎ a note alone) after the finding glyph, as in
        // the report's tables.
        let followup = state.compare_row_mark(view, r);
        let sign = followup
            .and_then(|(_, m)| crate::tui::followups::mark_sign(m))
            .unwrap_or(" ");
        let gstyle = match followup {
            Some((_, m)) if m.state.is_followup() => gstyle.add_modifier(Modifier::BOLD),
            _ => gstyle,
        };
        let label_rows = if is_cur {
            let mut v = width::wrap_str(&r.label, lw);
            v.truncate(label_lines(&r.label, lw));
            v
        } else {
            vec![width::cut(&r.label, lw)]
        };
        let base = if is_cur {
            th.selected
        } else if r.presence != Presence::Both {
            th.dim
        } else {
            th.base
        };
        for (k, l) in label_rows.iter().enumerate() {
            if budget == 0 {
                break;
            }
            let mut pieces = vec![
                (
                    if k == 0 {
                        format!("{glyph}{sign}")
                    } else {
                        "  ".to_string()
                    },
                    gstyle,
                ),
                (width::pad(l, lw), base),
            ];
            if k == 0 {
                let vals = [num(r.prev), num(r.cur), delta_text(r), pct_text(r)];
                for (j, (v, cw)) in vals.iter().zip(cols).enumerate() {
                    let mut st = if j >= 2 && r.differs() {
                        th.base.add_modifier(Modifier::BOLD)
                    } else {
                        th.base
                    };
                    if is_cur {
                        st = st.patch(th.selected);
                    }
                    // A space before each value, even when a long amount is cut.
                    let text = width::pad_left(&width::cut(v, cw - 1), cw - 1);
                    pieces.push((format!(" {text}"), st));
                }
            }
            lines.push(line(pieces, total, th.base));
            budget -= 1;
        }
        i += 1;
    }
    if vis.is_empty() {
        // Empty because of the text typed after `/`, or because every row is zero.
        let why = if view.text.trim().is_empty() {
            state
                .t(
                    "两年所有单元格均为 0（z 显示）",
                    "every cell is zero in both years (z shows them)",
                )
                .to_string()
        } else if state.lang == crate::i18n::Lang::Zh {
            format!(
                "没有含「{}」的行（/ 后 Esc 清除）",
                width::clean(&view.text)
            )
        } else {
            format!(
                "no row holds “{}” (/ then Esc clears it)",
                width::clean(&view.text)
            )
        };
        lines.push(line(vec![(why, th.dim)], total, th.base));
    }
    while lines.len() < 1 + rows {
        lines.push(Line::from(""));
    }
    lines.extend(detail(state, view, total, d.detail_rows));
    frame.render_widget(Paragraph::new(lines), area);
}

/// The pane for the cursor row: key, whole label, values, note, its findings.
fn detail(state: &State, view: &CompareView, w: usize, h: usize) -> Vec<Line<'static>> {
    let th = &state.theme;
    let mut out: Vec<Line> = Vec::new();
    let shown = view.visible().len();
    let hidden = view
        .comparison
        .as_ref()
        .map_or(0, |c| c.rows.len())
        .saturating_sub(shown);
    let count = if view.show_zero {
        format!(" {shown} {} ", state.t("行", "rows"))
    } else {
        format!(
            " {shown} {} · {hidden} {} ",
            state.t("行", "rows"),
            state.t("行两年均为 0 已隐藏", "zero rows hidden")
        )
    };
    let Some(r) = view.current() else {
        out.push(line(vec![(format!("─{count}"), th.border)], w, th.border));
        return out;
    };
    let key = match &r.prev_key {
        Some(pk) => format!("{} ↔ {pk}", r.key),
        None => r.key.clone(),
    };
    let rule = format!("─ {key} ─{count}");
    let fill = "─".repeat(w.saturating_sub(width::width(&rule)));
    out.push(line(
        vec![(format!("{rule}{fill}"), th.border)],
        w,
        th.border,
    ));
    out.push(line(
        vec![(
            format!(
                "{} {} → {} {}  {} {}  {}",
                year_of(state, view.prev),
                num(r.prev),
                year_of(state, Some(view.cur)),
                num(r.cur),
                state.t("变化", "change"),
                delta_text(r),
                pct_text(r)
            ),
            th.base,
        )],
        w,
        th.base,
    ));
    let mut notes = Vec::new();
    match r.presence {
        Presence::PrevOnly => {
            notes.push(state.t("仅上年的模板有此项", "only in last year's template"))
        }
        Presence::CurOnly => {
            notes.push(state.t("仅本年的模板有此项", "only in this year's template"))
        }
        Presence::Both => {}
    }
    if r.note.is_some() {
        notes.push(state.t(
            "跨模板对应：2019 与 2021 格式定义不同",
            "joined across templates: the 2019 and 2021 definitions differ",
        ));
    }
    for n in notes {
        out.push(line(vec![(n.to_string(), th.warn)], w, th.base));
    }
    // The cell's follow-up mark with its note: the compare pane is the only place it shows.
    if let Some((item, m)) = state.compare_row_mark(view, r) {
        out.push(line(
            vec![(state.mark_summary_noted(item, m), th.title)],
            w,
            th.base,
        ));
    }
    let cur_item = state.items.get(view.cur);
    let cur_key = cur_item.and_then(|i| i.report.as_ref()).map(|r| r.key());
    for (f, _) in row_findings(&view.findings, r) {
        // A cross-year finding's own mark, beside its heading.
        let fmark = cur_key
            .as_deref()
            .and_then(|k| state.mark_of(&crate::review::ItemRef::of_finding(k, f)))
            .zip(cur_item)
            .map(|(m, item)| format!("  {}", state.mark_summary_noted(item, m)))
            .unwrap_or_default();
        out.push(line(
            vec![(
                format!(
                    "{} {}  {}{fmark}",
                    crate::tui::state::severity_glyph(f),
                    f.rule,
                    f.location
                ),
                severity_style(state, f.severity),
            )],
            w,
            th.base,
        ));
        out.extend(finding_lines(state, f, None, w, 2));
    }
    let unplaced = view.unplaced();
    if out.len() < h && !unplaced.is_empty() {
        for f in unplaced {
            out.push(line(
                vec![(
                    format!(
                        "{} {} {}",
                        crate::tui::state::severity_glyph(f),
                        f.rule,
                        f.message
                    ),
                    th.dim,
                )],
                w,
                th.base,
            ));
        }
    }
    out.truncate(h.max(1));
    out
}

fn repeated(state: &State, view: &CompareView, frame: &mut Frame, area: Rect) {
    let w = area.width as usize;
    let (mut lines, body) = repeated_lines(state, view, w);
    let room = (area.height as usize).saturating_sub(lines.len());
    let start = view.scroll.min(body.len().saturating_sub(room));
    lines.extend(body.into_iter().skip(start).take(room));
    frame.render_widget(Paragraph::new(lines), area);
}

/// The repeated-sentences tab: heading lines and the scrolled list (`update` bounds the
/// scroll with `layout::repeated_extent`, which counts the same lines).
fn repeated_lines(
    state: &State,
    view: &CompareView,
    w: usize,
) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let th = &state.theme;
    let rep = &view.repetition;
    let mut lines: Vec<Line> = Vec::new();
    let head = repeated_headline(rep, state.lang);
    for l in width::wrap_str(&head, w) {
        lines.push(line(vec![(l, th.title)], w, th.base));
    }
    for f in view.findings.iter().filter(|f| is_repetition_rule(f)) {
        lines.push(line(
            vec![(
                format!("{} {}", f.rule, f.message),
                severity_style(state, f.severity),
            )],
            w,
            th.base,
        ));
    }
    lines.push(line(
        vec![(
            match state.lang {
                crate::i18n::Lang::Zh => format!(
                    "与上年逐字相同的语句 {} 句（不计标点、数字和套话）：",
                    rep.sentences.len()
                ),
                crate::i18n::Lang::En => format!(
                    "{} sentences repeated verbatim (punctuation, digits and stock phrases aside):",
                    rep.sentences.len()
                ),
            },
            th.dim,
        )],
        w,
        th.base,
    ));
    let mut body: Vec<Line> = Vec::new();
    for s in &rep.sentences {
        let rows = repeated_sentence_rows(&s.sentence, w);
        for (k, r) in rows.into_iter().enumerate() {
            let lead = if k == 0 {
                format!("{} ", s.section)
            } else {
                "   ".into()
            };
            body.push(line(
                vec![(lead, th.header), (format!(" {r}"), th.base)],
                w,
                th.base,
            ));
        }
    }
    if rep.sentences.is_empty() {
        body.push(line(
            vec![(state.t("（没有）", "(none)").to_string(), th.dim)],
            w,
            th.base,
        ));
    }
    (lines, body)
}

fn trend(state: &State, view: &CompareView, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let w = area.width as usize;
    if view.years.len() < 3 {
        let msg = match state.lang {
            crate::i18n::Lang::Zh => format!(
                "趋势图需要该机构在批次中至少有三个年度的报告（现有 {} 个）。",
                view.years.len()
            ),
            crate::i18n::Lang::En => format!(
                "The trend needs three or more years of this agency in the batch ({} now).",
                view.years.len()
            ),
        };
        let lines: Vec<Line> = width::wrap_str(&msg, w)
            .into_iter()
            .map(|l| line(vec![(l, th.dim)], w, th.base))
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let note = state.t(BRIDGE_NOTE_ZH, BRIDGE_NOTE_EN);
    let note_lines = width::wrap_str(note, w);
    let note_h = note_lines.len().min(2) as u16;
    let charts_h = area.height.saturating_sub(note_h);
    let n = view.trend.len() as u16;
    let years = view.years.len() as u16;
    // Each chart: bars of width 4 (or 6) and a gap of 1, plus borders.
    let bar_w: u16 = if area.width >= 140 { 6 } else { 4 };
    let chart_w = (years * (bar_w + 1) + 3).max(20);
    let per_row = (area.width / chart_w).clamp(1, n);
    let nrows = n.div_ceil(per_row);
    // Below the charts, when there is room, the figures as numbers (a zero bar shows none).
    let table_h = years + 1;
    let with_table = charts_h > nrows * 8 + table_h;
    let ch = if with_table {
        ((charts_h - table_h - 1) / nrows).min(16)
    } else {
        charts_h / nrows
    }
    .max(4);
    if with_table {
        let mut lines = Vec::new();
        let mut head = vec![(width::pad(state.t("年份", "year"), 6), th.header)];
        let cws: Vec<usize> = view
            .trend
            .iter()
            .map(|s| width::width(state.t(s.label_zh, s.label_en)).max(8) + 2)
            .collect();
        for (s, cw) in view.trend.iter().zip(&cws) {
            head.push((
                width::pad_left(state.t(s.label_zh, s.label_en), *cw),
                th.header,
            ));
        }
        lines.push(line(head, w, th.base));
        for (k, (y, _)) in view.years.iter().enumerate() {
            let mut row = vec![(width::pad(&y.to_string(), 6), th.base)];
            for (s, cw) in view.trend.iter().zip(&cws) {
                let v = s.points.get(k).and_then(|p| p.1);
                row.push((width::pad_left(&num(v), *cw), th.base));
            }
            lines.push(line(row, w, th.base));
        }
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(area.x, area.y + nrows * ch + 1, area.width, table_h),
        );
    }
    let cw = area.width / per_row;
    for (k, s) in view.trend.iter().enumerate() {
        let k = k as u16;
        let (rx, ry) = (k % per_row, k / per_row);
        let rect = Rect::new(area.x + rx * cw, area.y + ry * ch, cw, ch);
        if rect.bottom() > area.y + charts_h {
            break;
        }
        let bars: Vec<Bar> = s
            .points
            .iter()
            .map(|(y, v)| {
                let label = if bar_w >= 6 {
                    y.to_string()
                } else {
                    format!("{:02}", y.rem_euclid(100))
                };
                Bar::default()
                    .value(v.unwrap_or(0.0).max(0.0).round() as u64)
                    .text_value(num(*v))
                    .label(Line::from(label))
            })
            .collect();
        let title = format!(" {} ", state.t(s.label_zh, s.label_en));
        let chart = BarChart::default()
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(th.border)
                    .title(width::cut(&title, cw.saturating_sub(2) as usize)),
            )
            .bar_width(bar_w)
            .bar_gap(1)
            .bar_style(th.title)
            .value_style(th.selected)
            .label_style(th.dim)
            .data(BarGroup::default().bars(&bars));
        frame.render_widget(chart, rect);
    }
    let lines: Vec<Line> = note_lines
        .into_iter()
        .take(note_h as usize)
        .map(|l| line(vec![(l, th.dim)], w, th.base))
        .collect();
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(area.x, area.y + charts_h, area.width, note_h),
    );
}

fn picker(
    state: &State,
    view: &CompareView,
    p: &crate::tui::compare::Picker,
    frame: &mut Frame,
    area: Rect,
) {
    let th = &state.theme;
    let h = (p.candidates.len() as u16 + 4)
        .min(area.height.saturating_sub(2))
        .max(5);
    let bw = area.width.saturating_sub(8).clamp(40, 70).min(area.width);
    let rect = Rect::new(
        area.x + (area.width.saturating_sub(bw)) / 2,
        area.y + 1,
        bw,
        h,
    );
    frame.render_widget(Clear, Rect::new(area.x, rect.y, area.width, rect.height));
    let title = format!(
        " {} ",
        state.t(
            "上年报告配对（Enter 选定）",
            "previous-year report (Enter chooses)"
        )
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let iw = inner.width as usize;
    let mut lines = vec![line(
        vec![(
            state
                .t(
                    "上一年度的报告按模糊匹配得分排序；● 当前配对，选它即确认",
                    "last year's reports by fuzzy score; ● current, choose it to confirm",
                )
                .to_string(),
            th.dim,
        )],
        iw,
        th.base,
    )];
    let room = inner.height.saturating_sub(1) as usize;
    let start = width::scroll_to(0, p.cursor, room);
    for (k, (id, score)) in p.candidates.iter().enumerate().skip(start).take(room) {
        let (name, tail) = match id {
            Some(i) => {
                let it = &state.items[*i];
                (
                    format!(
                        "{} {}",
                        it.name,
                        it.year().map_or(String::new(), |y| y.to_string())
                    ),
                    format!("{} {score}", state.t("得分", "score")),
                )
            }
            None => (
                state
                    .t("（不配对：没有上年报告）", "(no previous year)")
                    .to_string(),
                String::new(),
            ),
        };
        let current = *id == view.prev;
        let mark = if current { "● " } else { "  " };
        let tw = width::width(&tail) + 1;
        let style = if k == p.cursor { th.selected } else { th.base };
        lines.push(line(
            vec![
                (
                    width::pad(&format!("{mark}{name}"), iw.saturating_sub(tw)),
                    style,
                ),
                (
                    format!(" {tail}"),
                    if k == p.cursor { th.selected } else { th.dim },
                ),
            ],
            iw,
            th.base,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
