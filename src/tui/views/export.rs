//! The export prompt: the path being edited, what will be written and in which format.

use super::line;
use crate::review::export::{Contents, Format};
use crate::tui::export::ExportPrompt;
use crate::tui::state::State;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::path::Path;

pub fn render(state: &State, p: &ExportPrompt, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let title = match p.contents {
        Contents::Followups => state.t(" 导出跟进事项 ", " Export the follow-ups "),
        Contents::Findings => state.t(" 导出报告列表 ", " Export the report list "),
    };
    let inner = super::followups::centered_box(frame, area, 8, title.to_string(), th.title);
    let w = inner.width as usize;
    let what = match (p.contents, state.lang) {
        (Contents::Followups, crate::i18n::Lang::Zh) => {
            format!("跟进事项一览所示的 {} 项", state.followup_rows().len())
        }
        (Contents::Followups, crate::i18n::Lang::En) => {
            format!(
                "the {} follow-ups the screen shows",
                state.followup_rows().len()
            )
        }
        (Contents::Findings, crate::i18n::Lang::Zh) => {
            format!("列表所示的 {} 份报告及其发现", state.visible.len())
        }
        (Contents::Findings, crate::i18n::Lang::En) => {
            format!(
                "the {} reports the list shows, with their findings",
                state.visible.len()
            )
        }
    };
    let format = match Format::from_path(Path::new(p.line.text().trim())) {
        Some(Format::Xlsx) => state.t("XLSX（两个工作表）", "XLSX (two sheets)"),
        Some(Format::Csv) => state.t("CSV（UTF-8，带 BOM）", "CSV (UTF-8 with BOM)"),
        Some(Format::Md) => "Markdown",
        _ => state.t("？扩展名不是 .xlsx/.csv/.md", "? not .xlsx/.csv/.md"),
    };
    let (left, after) = p.line.shown(w.saturating_sub(1));
    let status = match (&p.error, p.replace) {
        (Some(e), _) => (e.clone(), th.warn),
        (None, true) => (
            state
                .t(
                    "文件已存在：Enter 覆盖",
                    "the file exists: Enter replaces it",
                )
                .to_string(),
            th.warn,
        ),
        (None, false) => (String::new(), th.base),
    };
    let lines = vec![
        line(vec![(what, th.dim)], w, th.base),
        line(
            vec![(left, th.base), ("▏".into(), th.title), (after, th.base)],
            w,
            th.base,
        ),
        line(
            vec![
                (format!("{} ", state.t("格式", "format")), th.dim),
                (format.to_string(), th.base),
            ],
            w,
            th.base,
        ),
        line(vec![status], w, th.base),
        Line::from(""),
        line(
            vec![(
                state
                    .t(
                        "Enter 导出 · Tab 换格式 · Esc 取消 · ←→ 移动",
                        "Enter export · Tab format · Esc cancel · ←→ move",
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
