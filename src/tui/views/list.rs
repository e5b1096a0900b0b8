//! The batch list: totals, filters, one row per report file.

use super::{footer, line};
use crate::check::Status;
use crate::tui::progress::REVIEWED_GLYPH;
use crate::tui::state::{status_words, Item, Mode, SortKey, State};
use crate::tui::width;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

// The widest status is `⊘ unreadable` (12 columns); `✗ 未通过 ⚑~` is 11.
const STATUS_W: usize = 12;
const YEAR_W: usize = 4;
const TPL_W: usize = 6;
const NUM_W: usize = 4;

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let w = area.width as usize;
    let d = state.dims();
    let mut lines: Vec<Line> = Vec::new();

    // 1. Totals by status (glyph and word, never colour alone), then the directory.
    let mut head = Vec::new();
    for (s, n) in state.totals() {
        let (g, zh, en) = status_words(s);
        head.push((format!("{g} {} {n}", state.t(zh, en)), th.status(s)));
        head.push(("  ".into(), th.base));
    }
    let waived = state.items.iter().filter(|i| i.waived).count();
    if waived > 0 {
        head.push((
            format!(
                "{} {} {waived}  ",
                crate::tui::followups::WAIVER_SIGN,
                state.t("豁免", "waived")
            ),
            th.pass,
        ));
    }
    head.push((
        format!("{} {}", state.t("共", "total"), state.items.len()),
        th.base,
    ));
    // Review progress: reports marked 已阅 over those that can be.
    let (n, m) = state.review_counts();
    head.push((
        format!("  {REVIEWED_GLYPH} {} {n}/{m}", state.t("已审", "reviewed")),
        th.title,
    ));
    head.push((format!("  {}", state.dir_label), th.dim));
    let progress = progress_text(state);
    let head_w = w.saturating_sub(width::width(&progress) + 1);
    let mut l = width::fit_spans(&head, head_w, th.base);
    l.push(ratatui::text::Span::styled(
        format!(" {progress}"),
        th.notice,
    ));
    lines.push(Line::from(l));

    // 2. Sort and filters.
    let sort = match state.sort {
        SortKey::Status => state.t("状态", "status"),
        SortKey::Agency => state.t("机构", "agency"),
        SortKey::Year => state.t("年份", "year"),
        SortKey::Errors => state.t("错误数", "errors"),
    };
    let arrow = if state.sort_reverse { "↑" } else { "↓" };
    let all = state.t("全部", "all");
    let status_f = state
        .status_filter
        .map(|s| state.status_text(s))
        .unwrap_or_else(|| all.to_string());
    let rule_f = state.rule_filter.clone().unwrap_or_else(|| all.to_string());
    let year_f = state
        .year_filter
        .map(|y| y.to_string())
        .unwrap_or_else(|| all.to_string());
    let on = |active: bool| if active { th.title } else { th.base };
    let mut bar = vec![
        (format!("{} ", state.t("排序", "sort")), th.dim),
        (format!("{sort}{arrow}"), th.base),
        (format!("  {} ", state.t("状态", "status")), th.dim),
        (status_f, on(state.status_filter.is_some())),
        (format!("  {} ", state.t("规则", "rule")), th.dim),
        (rule_f, on(state.rule_filter.is_some())),
        (format!("  {} ", state.t("年份", "year")), th.dim),
        (year_f, on(state.year_filter.is_some())),
        (format!("  {} ", state.t("筛选", "filter")), th.dim),
    ];
    let typing = state.mode() == Mode::Filter;
    if typing || !state.query.is_empty() {
        bar.push((format!("/{}", state.query), on(true)));
        if typing {
            bar.push(("▏".into(), th.base));
        }
    } else {
        bar.push(("—".into(), th.dim));
    }
    if state.progress.unreviewed_only {
        bar.push((format!("  {}", state.t("只看未阅", "unreviewed")), on(true)));
    }
    bar.push((
        format!(
            "  {} {}/{}",
            state.t("显示", "shown"),
            state.visible.len(),
            state.items.len()
        ),
        th.dim,
    ));
    lines.push(line(bar, w, th.base));

    // 3. Column header.
    let (agency_w, file_w) = column_widths(w);
    let mut header = format!(
        "  {} {} {} {} {} {}",
        width::pad(state.t("状态", "status"), STATUS_W),
        width::pad(state.t("机构", "agency"), agency_w),
        width::pad_left(state.t("年份", "year"), YEAR_W),
        width::pad(state.t("模板", "tmpl"), TPL_W),
        width::pad_left(state.t("错误", "err"), NUM_W),
        width::pad_left(state.t("警告", "warn"), NUM_W),
    );
    if file_w > 0 {
        header.push_str(&format!("  {}", state.t("文件", "file")));
    }
    lines.push(line(vec![(header, th.header)], w, th.header));

    // 4. Rows.
    if state.visible.is_empty() {
        let msg = if !state.loading.finished {
            state.t("正在加载…", "loading…")
        } else if state.items.is_empty() {
            state.t(
                "目录中没有报告文件（.json .txt .htm .html）",
                "no report files here (.json .txt .htm .html)",
            )
        } else {
            state.t(
                "没有符合筛选条件的报告（x 清除筛选）",
                "no report matches the filters (x clears them)",
            )
        };
        lines.push(line(vec![(format!("  {msg}"), th.dim)], w, th.base));
    }
    let cursor = state.cursor();
    let offset = width::scroll_to(state.list_offset, cursor.unwrap_or(0), d.list_rows);
    for (pos, &id) in state
        .visible
        .iter()
        .enumerate()
        .skip(offset)
        .take(d.list_rows)
    {
        let item = &state.items[id];
        lines.push(row(state, item, Some(pos) == cursor, (agency_w, file_w), w));
    }
    while lines.len() < 3 + d.list_rows {
        lines.push(Line::from(""));
    }

    // 5. Detail of the selection.
    let (d1, d2) = detail(state);
    lines.push(line(d1, w, th.base));
    lines.push(line(d2, w, th.base));

    // 6. Footer.
    lines.push(footer(state));
    frame.render_widget(Paragraph::new(lines), area);
}

/// Widths of the agency column and (on wide terminals) the file column.
pub fn column_widths(w: usize) -> (usize, usize) {
    let rest = w
        .saturating_sub(2 + STATUS_W + 1 + 1 + YEAR_W + 1 + TPL_W + 1 + NUM_W + 1 + NUM_W)
        .max(8);
    if rest > 80 {
        (40, rest - 42)
    } else {
        (rest, 0)
    }
}

/// Statuses may still change: the cross-year checks have not run yet.
fn provisional(state: &State) -> bool {
    !state.loading.finished && !state.items.is_empty()
}

fn progress_text(state: &State) -> String {
    let l = &state.loading;
    // Matching a query over a long list: the rows shown so far are its first matches.
    if let Some(p) = state.filtering {
        return format!(
            "{} {}/{}",
            state.t("筛选中", "filtering"),
            p.scanned,
            p.total
        );
    }
    if l.finished {
        return String::new();
    }
    match l.total {
        None => state.t("查找文件…", "finding files…").to_string(),
        Some(t) if l.done >= t => state
            .t(
                "跨年核对中…（~ 状态暂定）",
                "cross-year checks… (~ provisional)",
            )
            .to_string(),
        Some(t) => {
            let bar_w = 10;
            let filled = (l.done * bar_w).checked_div(t).unwrap_or(bar_w).min(bar_w);
            format!(
                "{} {}/{} {}{}{}",
                state.t("加载中", "loading"),
                l.done,
                t,
                "█".repeat(filled),
                "░".repeat(bar_w - filled),
                if l.done > 0 {
                    state.t("（~暂定）", " (~ provisional)")
                } else {
                    ""
                }
            )
        }
    }
}

fn row(
    state: &State,
    item: &Item,
    selected: bool,
    (agency_w, file_w): (usize, usize),
    w: usize,
) -> Line<'static> {
    let th = &state.theme;
    let sel = if selected {
        th.selected
    } else {
        Style::default()
    };
    // While the cross-year checks have not run, a status may still change: dim, and `~`
    // after it (never shown by style alone).
    let provisional = provisional(state) && item.report.is_some();
    let st = if provisional {
        th.status(item.status).patch(th.dim).patch(sel)
    } else {
        th.status(item.status).patch(sel)
    };
    let base = th.base.patch(sel);
    let mut pieces: Vec<(String, Style)> = Vec::new();
    pieces.push((if selected { "› ".into() } else { "  ".into() }, base));
    let mut status = state.item_status_text(item);
    if provisional {
        status.push('~');
    }
    pieces.push((width::pad(&status, STATUS_W), st));
    pieces.push((" ".into(), base));
    // Agency, with fuzzy-matched characters highlighted.
    let matched = state.matches.get(&item.id);
    let mut agency: Vec<(String, Style)> = Vec::new();
    for (i, c) in item.name.chars().enumerate() {
        let m = matched.is_some_and(|m| m.contains(&i));
        let style = if m {
            th.matched.patch(sel).add_modifier(Modifier::BOLD)
        } else {
            base
        };
        match agency.last_mut() {
            Some((s, st)) if *st == style => s.push(c),
            _ => agency.push((c.to_string(), style)),
        }
    }
    if let Some(e) = &item.error {
        agency.push((format!(" — {e}"), th.dim.patch(sel)));
    }
    // Follow-ups of the report (◆ and how many) and its 已阅 mark, before the name is cut.
    let marks = state.mark_count(item);
    let reviewed = state.is_reviewed(item);
    let mut tail = Vec::new();
    if marks > 0 {
        tail.push((
            format!(" {}{marks}", crate::tui::followups::MARK_GLYPH),
            th.title.patch(sel),
        ));
    }
    if reviewed {
        tail.push((format!(" {REVIEWED_GLYPH}"), th.pass.patch(sel)));
    }
    if !tail.is_empty() {
        let tail_w: usize = tail.iter().map(|(s, _)| width::width(s)).sum();
        // The marks end one column before the year, at the same place on every row.
        let mut fitted = width::fit_spans(&agency, agency_w.saturating_sub(tail_w + 1), base)
            .into_iter()
            .map(|s| (s.content.into_owned(), s.style))
            .collect::<Vec<_>>();
        fitted.extend(tail);
        agency = fitted;
    }
    let spans = width::fit_spans(&agency, agency_w, base);
    for s in spans {
        pieces.push((s.content.into_owned(), s.style));
    }
    let year = item
        .year()
        .map(|y| y.to_string())
        .unwrap_or_else(|| "—".into());
    let tpl = item
        .report
        .as_ref()
        .map(|r| r.template.label(state.lang).to_string())
        .unwrap_or_else(|| "—".into());
    pieces.push((format!(" {} ", width::pad_left(&year, YEAR_W)), base));
    pieces.push((width::pad(&tpl, TPL_W), base));
    let count = |n: usize, s: Style| {
        (
            format!(" {}", width::pad_left(&n.to_string(), NUM_W)),
            if n > 0 { s } else { base },
        )
    };
    let (ok_report, e, wn) = (item.report.is_some(), item.errors, item.warnings);
    if ok_report {
        pieces.push(count(e, th.fail.patch(sel)));
        pieces.push(count(wn, th.warn.patch(sel)));
    } else {
        pieces.push((format!(" {}", width::pad_left("—", NUM_W)), base));
        pieces.push((format!(" {}", width::pad_left("—", NUM_W)), base));
    }
    if file_w > 0 {
        pieces.push((
            format!("  {}", width::cut(&item.file, file_w)),
            th.dim.patch(sel),
        ));
    }
    line(pieces, w, base)
}

type Pieces = Vec<(String, Style)>;

fn detail(state: &State) -> (Pieces, Pieces) {
    let th = &state.theme;
    let Some(item) = state.selected_item() else {
        return (vec![], vec![]);
    };
    let path = item.path.display().to_string();
    let first = vec![
        (format!("{} ", state.t("文件", "file")), th.dim),
        (path, th.base),
    ];
    let mut second = match (&item.error, item.status) {
        (Some(e), _) => vec![
            (format!("{} ", state.t("原因", "reason")), th.dim),
            (e.clone(), th.unreadable),
        ],
        (None, Status::Pass) => vec![(state.t("✓ 没有发现", "✓ no findings").to_string(), th.pass)],
        (None, _) => {
            let mut rules: Vec<&str> = item
                .findings
                .iter()
                .filter(|f| f.outcome == crate::check::Outcome::Fail)
                .map(|f| f.rule.as_str())
                .collect();
            rules.dedup();
            vec![
                (format!("{} ", state.t("规则", "rules")), th.dim),
                (rules.join(" "), th.status(item.status)),
            ]
        }
    };
    // Who marked it 已阅, and when, first: the rules line may be cut.
    if let Some(r) = state.review_of(item) {
        // In the screen's zone, as the follow-up screen shows times.
        let day = super::followups::local_time(state, &r.at);
        second.insert(
            0,
            (
                format!(
                    "{REVIEWED_GLYPH} {} {} {day}  ",
                    state.t("已阅", "reviewed"),
                    r.who()
                ),
                th.pass,
            ),
        );
    } else if state.is_reviewed(item) {
        second.insert(
            0,
            (
                format!("{REVIEWED_GLYPH} {}  ", state.t("已阅", "reviewed")),
                th.pass,
            ),
        );
    }
    (first, second)
}
