//! The help overlay, generated from the keymap (remapped keys show up by themselves).

use crate::tui::keymap::Keymap;
use crate::tui::state::State;
use crate::tui::width;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

/// Help rows (keys, description) from the keymap, in the given language.
pub fn rows(keymap: &Keymap, zh: bool) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = keymap
        .bindings
        .iter()
        .map(|(a, _)| {
            let (z, e) = a.describe();
            let keys = keymap.keys_for(a);
            (
                if keys.is_empty() { "—".into() } else { keys },
                if zh { z } else { e }.to_string(),
            )
        })
        .collect();
    let typing = if zh {
        [
            ("输入筛选时", "汉字 / 全拼 / 首字母，Backspace 删除"),
            ("", "Enter 保留筛选，Esc 清除筛选，↑/↓ 移动"),
        ]
    } else {
        [
            (
                "while filtering",
                "hanzi / pinyin / initials, Backspace deletes",
            ),
            ("", "Enter keeps the filter, Esc clears it, ↑/↓ move"),
        ]
    };
    for (k, d) in typing {
        out.push((k.into(), d.into()));
    }
    out
}

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let zh = state.lang == crate::i18n::Lang::Zh;
    let rows = rows(&state.keymap, zh);
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
        .map(|(k, d)| {
            super::line(
                vec![
                    (width::pad(k, key_w), th.title),
                    (" ".into(), th.base),
                    (d.clone(), th.base),
                ],
                w,
                th.base,
            )
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
    let scroll = state.help_scroll.min(lines.len().saturating_sub(h));
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(h).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
