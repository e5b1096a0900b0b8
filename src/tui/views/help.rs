//! The help overlay: the current screen's keys, then those that work everywhere (the
//! lists are in `commands`; remapped keys show up by themselves).

use crate::tui::commands::{help_for, HelpRow};
use crate::tui::state::State;
use crate::tui::width;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let rows = help_for(state);
    // A 1-column margin outside the box is cleared too, so a wide glyph cut by the box
    // edge cannot leave half a character behind (ratatui #2526).
    let margin = Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    let inner_box = Rect::new(
        margin.x + 1,
        margin.y,
        margin.width.saturating_sub(2),
        margin.height,
    );
    frame.render_widget(Clear, margin);
    let keys_file = &state.keys_file;
    let title = format!(
        " {} ",
        state.t(
            "按键（j/k 滚动，? 或 Esc 关闭）",
            "Keys (j/k scroll, ? or Esc closes)"
        )
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(title);
    let inner = block.inner(inner_box);
    frame.render_widget(block, inner_box);
    let w = inner.width as usize;
    let key_w = 18.min(w / 3);
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|r| match r {
            HelpRow::Heading(h) => super::line(vec![(h.clone(), th.header)], w, th.base),
            HelpRow::Key(k, d) => super::line(
                vec![
                    (width::pad(k, key_w), th.title),
                    (" ".into(), th.base),
                    (d.clone(), th.base),
                ],
                w,
                th.base,
            ),
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(super::line(
        vec![(
            format!("{} {keys_file}", state.t("改键：", "remap keys in")),
            th.dim,
        )],
        w,
        th.base,
    ));
    let h = inner.height as usize;
    let scroll = state.help_scroll().min(lines.len().saturating_sub(h));
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(h).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
