//! Views: pure functions of `&State` that draw a frame.

pub mod compare;
pub mod export;
pub mod followups;
pub mod goto;
pub mod help;
pub mod list;
pub mod report;
pub mod rules;
pub mod table;

use super::action::Action;
use super::commands::{footer_hints, key_context};
use super::state::{Mode, Overlay, ScreenKind, State, MIN_HEIGHT, MIN_WIDTH};
use super::width;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draw the whole screen.
pub fn render(state: &State, frame: &mut Frame) {
    let area = frame.area();
    let d = super::state::Dims::of(area.width, area.height);
    if d.too_small() {
        too_small(state, frame, area);
        return;
    }
    match state.screen() {
        ScreenKind::List => list::render(state, frame, area),
        ScreenKind::Report => report::render(state, frame, area),
        ScreenKind::Compare => compare::render(state, frame, area),
        ScreenKind::Followups => followups::render(state, frame, area),
        ScreenKind::Rules => rules::render(state, frame, area),
    }
    // Overlays bottom to top; the filter is drawn by the list in its filter line.
    for o in &state.overlays {
        match o {
            Overlay::History(_) => followups::history(state, frame, area),
            Overlay::Note(_) => followups::editor(state, frame, area),
            Overlay::Chooser(c) => followups::chooser(state, c, frame, area),
            Overlay::Help { .. } => help::render(state, frame, area),
            Overlay::Export(p) => export::render(state, p, frame, area),
            Overlay::Goto(g) => goto::render(state, g, frame, area),
            // Drawn by the list (in its filter line), the compare screen (in its body) and
            // the footer (the report search prompt).
            Overlay::Filter | Overlay::Pairing(_) | Overlay::Search(_) => {}
        }
    }
    if !matches!(state.mode(), Mode::Note | Mode::Help | Mode::Export) && !state.warnings.is_empty()
    {
        warnings(state, frame, area);
    }
}

/// Start-up problems (keymap file: unknown action, unreadable key, conflicts), in a box
/// above the footer until the first key.
fn warnings(state: &State, frame: &mut Frame, area: Rect) {
    use ratatui::widgets::{Block, Borders, Clear};
    let th = &state.theme;
    let inner_w = area.width.saturating_sub(5) as usize;
    let mut lines: Vec<Line> = Vec::new();
    for w in &state.warnings {
        for row in width::wrap_str(&format!("⚠ {w}"), inner_w) {
            lines.push(line(vec![(row, th.warn)], inner_w, th.base));
        }
    }
    let h = (lines.len() as u16 + 2).min(area.height / 2).max(3);
    let rect = Rect::new(
        area.x + 1,
        area.y + area.height.saturating_sub(h + 1),
        area.width.saturating_sub(2),
        h,
    );
    // Clear one column more on each side: a wide glyph cut by the box edge would
    // otherwise hide the border (ratatui #2526).
    frame.render_widget(Clear, Rect::new(area.x, rect.y, area.width, rect.height));
    let title = format!(
        " {} ",
        state.t(
            "按键设置的问题（按任意键关闭）",
            "keymap problems (any key closes)"
        )
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.warn)
        .title(title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let inner = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(1),
        inner.height,
    );
    frame.render_widget(Paragraph::new(lines), inner);
}

fn too_small(state: &State, frame: &mut Frame, area: Rect) {
    let msg = format!(
        "{} {MIN_WIDTH}×{MIN_HEIGHT}",
        state.t(
            "终端窗口太小：至少需要",
            "terminal too small: needs at least"
        )
    );
    let now = format!("{} {}×{}", state.t("当前", "now"), area.width, area.height);
    let lines: Vec<Line> = [msg, now]
        .iter()
        .map(|s| {
            let w = area.width as usize;
            let text = width::cut(s, w);
            let left = w.saturating_sub(width::width(&text)) / 2;
            Line::from(format!("{}{}", " ".repeat(left), text))
        })
        .collect();
    let top = area.height.saturating_sub(2) / 2;
    let rect = Rect::new(
        area.x,
        area.y + top,
        area.width,
        area.height.saturating_sub(top).min(2),
    );
    frame.render_widget(Paragraph::new(lines).style(state.theme.fail), rect);
}

/// One line: pieces fitted to the width, padded.
pub fn line(pieces: Vec<(String, Style)>, w: usize, fill: Style) -> Line<'static> {
    Line::from(width::fit_spans(&pieces, w, fill))
}

/// The footer: notice, filter prompt help, or the hints of the screen's keys.
pub fn footer(state: &State) -> Line<'static> {
    let th = &state.theme;
    let w = state.size.0 as usize;
    if let Some(n) = &state.notice {
        return line(vec![(n.clone(), th.notice)], w, th.base);
    }
    if let Some(Overlay::Search(prompt)) = state.overlay() {
        let count = if prompt.query.trim().is_empty() {
            String::new()
        } else if state.lang == crate::i18n::Lang::Zh {
            format!("  {} 处", prompt.hits.len())
        } else {
            format!("  {} hits", prompt.hits.len())
        };
        let help = state.t(
            "  ·  Enter 跳到 · Esc 取消 · 正文、行名、数值、单元格键",
            "  ·  Enter go · Esc cancel · prose, labels, values, keys",
        );
        return line(
            vec![
                (format!("/{}", prompt.query), th.title),
                (" ".into(), th.selected),
                (count, th.notice),
                (help.to_string(), th.dim),
            ],
            w,
            th.base,
        );
    }
    let picked = state.selected_findings().len();
    if picked > 0 && state.mode() == Mode::Normal {
        let text = match state.lang {
            crate::i18n::Lang::Zh => {
                format!("已选 {picked} 个发现 · m 一并标记 · space/V/* 增减 · Esc 取消选择")
            }
            crate::i18n::Lang::En => format!(
                "{picked} {} selected · m marks them all · space/V/* add · Esc drops them",
                if picked == 1 { "finding" } else { "findings" }
            ),
        };
        return line(vec![(text, th.title)], w, th.base);
    }
    // Off the list (which shows the query in its own line) the prompt shows what is typed.
    if state.mode() == Mode::Filter && state.screen() != crate::tui::state::ScreenKind::List {
        let help = state.t(
            "  ·  筛选所示各行 · Enter 确定 · Esc 清除",
            "  ·  filters the rows shown · Enter keep · Esc clear",
        );
        return line(
            vec![
                (format!("/{}", state.screen_text()), th.title),
                (" ".into(), th.selected),
                (help.to_string(), th.dim),
            ],
            w,
            th.base,
        );
    }
    if state.mode() == Mode::Filter {
        let text = state.t(
            "输入汉字、全拼或首字母（如 sqs）· Enter 确定 · Esc 清除",
            "type hanzi, pinyin or initials (e.g. sqs) · Enter keep · Esc clear",
        );
        return line(vec![(text.to_string(), th.dim)], w, th.base);
    }
    // Hints that do not fit are left out rather than cut in the middle; how to go back and
    // how to quit are always shown, at the end.
    let piece = |a: &Action, zh: &str, en: &str| {
        let key = state.keymap.first_key(a);
        let text = format!(" {}  ", state.t(zh, en));
        let need = width::width(&key) + width::width(&text);
        (key, text, need)
    };
    let hints: Vec<_> = footer_hints(key_context(state)).collect();
    let kept: Vec<_> = hints
        .iter()
        .filter(|h| h.3)
        .map(|(a, zh, en, _)| piece(a, zh, en))
        .collect();
    let mut used: usize = kept.iter().map(|k| k.2).sum();
    let mut pieces = Vec::new();
    for (a, zh, en, _) in hints.iter().filter(|h| !h.3) {
        let (key, text, need) = piece(a, zh, en);
        if used + need > w + 2 {
            break;
        }
        used += need;
        pieces.push((key, th.title));
        pieces.push((text, th.dim));
    }
    for (key, text, _) in kept {
        pieces.push((key, th.title));
        pieces.push((text, th.dim));
    }
    // The last hint's trailing gap is what the `+ 2` above allows for.
    if let Some(last) = pieces.last_mut() {
        last.0 = last.0.trim_end().to_string();
    }
    line(pieces, w, th.base)
}

pub fn spans_text(spans: &[Span]) -> String {
    spans.iter().map(|s| s.content.as_ref()).collect()
}
