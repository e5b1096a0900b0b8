//! The go-to choosers (`:` a cell, `o` a report): the query typed and the candidates, the
//! chosen one in reverse video.

use super::line;
use crate::tui::goto::{Goto, GotoKind};
use crate::tui::state::State;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn render(state: &State, g: &Goto, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let title = match g.kind {
        GotoKind::Cell => state.t(
            " 跳到单元格：键或行名、列名 ",
            " Go to a cell: key or labels ",
        ),
        GotoKind::Report => state.t(
            " 跳到报告：机构、落款或文件名（汉字、全拼、首字母） ",
            " Go to a report: agency, issuer or file name ",
        ),
    };
    let h = area.height.saturating_sub(4).max(6);
    let inner = super::followups::centered_box(frame, area, h, title.to_string(), th.title);
    let w = inner.width as usize;
    let rows = (inner.height as usize).saturating_sub(2);
    // While a large batch is being matched, the count so far, with an ellipsis.
    let more = if g.searching { "…" } else { "" };
    let count = if state.lang == crate::i18n::Lang::Zh {
        format!("  {} 项{more}", g.matched)
    } else {
        format!("  {} found{more}", g.matched)
    };
    let mut lines: Vec<Line> = vec![line(
        vec![
            ("> ".into(), th.dim),
            (g.query.clone(), th.title),
            (" ".into(), th.selected),
            (count, th.notice),
        ],
        w,
        th.base,
    )];
    // The window of candidates that keeps the chosen one in view.
    let offset = crate::tui::width::scroll_to(0, g.selected, rows);
    for (i, c) in g.shown.iter().enumerate().skip(offset).take(rows) {
        let sel = i == g.selected;
        let (a, b) = if sel {
            (th.selected, th.selected)
        } else {
            (th.base, th.dim)
        };
        lines.push(line(
            vec![
                (if sel { "› ".into() } else { "  ".into() }, a),
                (c.text.clone(), a),
                (format!("  {}", c.detail), b),
            ],
            w,
            th.base,
        ));
    }
    if g.shown.is_empty() {
        lines.push(line(
            vec![(
                state.t("（没有匹配项）", "(nothing matches)").into(),
                th.dim,
            )],
            w,
            th.base,
        ));
    }
    while lines.len() < rows + 1 {
        lines.push(Line::from(""));
    }
    lines.push(line(
        vec![(
            state
                .t(
                    "↑/↓ 选择 · Enter 跳到 · Esc 取消",
                    "↑/↓ choose · Enter go · Esc cancel",
                )
                .to_string(),
            th.dim,
        )],
        w,
        th.base,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
