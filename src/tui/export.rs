//! Export from the screen (`E`): on the follow-up screen the follow-ups it shows, on the list
//! the reports it shows. A prompt asks for the path, with a default beside the batch
//! (`DIR/followups-2026-12-01.xlsx`); the format comes from the extension and `Tab` cycles
//! it (XLSX, CSV with a byte-order mark, Markdown). The file is built by
//! `review::export` — the same code as `followups export` — and written atomically by the
//! export worker (`runtime::export`), never on the input thread; the status line says where
//! it went or why it did not.

use super::action::{Action, Effect};
use super::lineedit::LineEdit;
use super::state::{Overlay, ScreenKind, State};
use crate::check::{Finding, Status};
use crate::i18n::Lang;
use crate::model::Report;
use crate::review::export::{Contents, Format};
use crate::review::Mark;
use std::path::PathBuf;
use std::sync::Arc;

/// The export prompt over the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPrompt {
    pub contents: Contents,
    pub line: LineEdit,
    /// The file exists and the auditor was told so: Enter replaces it.
    pub replace: bool,
    /// Why Enter did nothing (an extension that is not a format).
    pub error: Option<String>,
}

/// One report of an export, owned so the worker can build the file off the input thread.
#[derive(Debug, Clone)]
pub struct JobReport {
    pub path: PathBuf,
    pub report: Option<Arc<Report>>,
    pub error: Option<String>,
    pub raw_status: Status,
    pub findings: Vec<Finding>,
}

/// Everything the export worker needs.
#[derive(Debug, Clone)]
pub struct ExportJob {
    pub path: PathBuf,
    pub format: Format,
    pub contents: Contents,
    /// Replace an existing file (the auditor said so).
    pub replace: bool,
    pub batch: PathBuf,
    pub lang: Lang,
    pub reports: Vec<JobReport>,
    pub marks: Vec<Mark>,
}

/// Two jobs are the same when they write the same things to the same place (the reports
/// and marks are compared by count and key).
impl PartialEq for ExportJob {
    fn eq(&self, other: &Self) -> bool {
        let keys = |j: &ExportJob| j.marks.iter().map(Mark::key).collect::<Vec<_>>();
        let files = |j: &ExportJob| j.reports.iter().map(|r| r.path.clone()).collect::<Vec<_>>();
        (
            &self.path,
            self.format,
            self.contents,
            self.replace,
            &self.batch,
            self.lang,
        ) == (
            &other.path,
            other.format,
            other.contents,
            other.replace,
            &other.batch,
            other.lang,
        ) && keys(self) == keys(other)
            && files(self) == files(other)
    }
}

impl Eq for ExportJob {}

/// The worker's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDone {
    pub path: PathBuf,
    pub contents: Contents,
    pub result: Result<ExportCounts, ExportFailure>,
}

/// What was written: follow-ups, and report rows (findings, one per report without any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportCounts {
    pub followups: usize,
    pub reports: usize,
    pub rows: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportFailure {
    /// The file exists (nothing was written).
    Exists,
    Failed(String),
}

/// The formats `Tab` cycles through, with their extensions.
const FORMATS: [(Format, &str); 3] = [
    (Format::Xlsx, "xlsx"),
    (Format::Csv, "csv"),
    (Format::Md, "md"),
];

impl State {
    /// The batch directory (exports go beside it by default).
    fn batch_dir(&self) -> PathBuf {
        self.compare
            .dir
            .clone()
            .unwrap_or_else(|| PathBuf::from(&self.dir_label))
    }

    /// `E`: the export prompt, for what the screen shows.
    pub fn open_export(&mut self) -> Vec<Effect> {
        let (contents, stem) = match self.screen() {
            ScreenKind::Followups => (Contents::Followups, "followups"),
            ScreenKind::List => (Contents::Findings, "reports"),
            _ => {
                self.notice = Some(
                    self.t(
                        "在报告列表或跟进事项一览中按 E 导出",
                        "E exports from the report list or the follow-up screen",
                    )
                    .into(),
                );
                return vec![];
            }
        };
        let today = self
            .followups
            .zone
            .local(&crate::review::now_rfc3339())
            .map(|t| t.date)
            .unwrap_or_default();
        let path = self.batch_dir().join(format!("{stem}-{today}.xlsx"));
        self.overlays.push(Overlay::Export(ExportPrompt {
            contents,
            line: LineEdit::new(&path.display().to_string()),
            replace: false,
            error: None,
        }));
        vec![]
    }

    /// The export prompt, when open.
    pub fn export_prompt(&self) -> Option<&ExportPrompt> {
        self.overlays.iter().rev().find_map(|o| match o {
            Overlay::Export(p) => Some(p),
            _ => None,
        })
    }

    /// Keys while the export prompt is open: the path is edited as the note is, `Tab`
    /// cycles the format, `Enter` exports, `Esc` cancels.
    pub fn update_export(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Export(p)) = self.overlays.last_mut() else {
            return vec![];
        };
        if p.line.edit(&action) {
            // Another path: whether it exists is asked again.
            p.replace = false;
            p.error = None;
            return vec![];
        }
        match action {
            Action::NextTab | Action::PrevTab => {
                let path = PathBuf::from(p.line.text());
                let now = Format::from_path(&path);
                let i = FORMATS.iter().position(|(f, _)| Some(*f) == now);
                let step = if action == Action::NextTab { 1 } else { 2 };
                let next = i.map_or(0, |i| (i + step) % FORMATS.len());
                p.line = LineEdit::new(&path.with_extension(FORMATS[next].1).display().to_string());
                p.replace = false;
                p.error = None;
                vec![]
            }
            Action::NoteCancel | Action::Back => {
                self.overlays.pop();
                self.notice = Some(self.t("未导出", "not exported").into());
                vec![]
            }
            Action::NoteSave => {
                let text = p.line.text();
                let path = PathBuf::from(text.trim());
                let Some(format) = Format::from_path(&path).filter(|f| *f != Format::Json) else {
                    p.error = Some(match self.lang {
                        Lang::Zh => "文件扩展名应为 .xlsx、.csv 或 .md（Tab 切换）".into(),
                        Lang::En => "the file must end in .xlsx, .csv or .md (Tab cycles)".into(),
                    });
                    return vec![];
                };
                let (contents, replace) = (p.contents, p.replace);
                self.overlays.pop();
                let job = self.export_job(path, format, contents, replace);
                self.notice = Some(format!(
                    "{} {}…",
                    self.t("正在导出", "exporting"),
                    super::width::clean(&job.path.display().to_string())
                ));
                vec![Effect::Export(Box::new(job))]
            }
            _ => vec![],
        }
    }

    /// What to write: the follow-ups the follow-up screen shows (with every report, for the
    /// findings sheet), or the reports the list shows with their follow-ups.
    fn export_job(
        &self,
        path: PathBuf,
        format: Format,
        contents: Contents,
        replace: bool,
    ) -> ExportJob {
        let job_report = |id: usize| {
            let it = &self.items[id];
            JobReport {
                path: it.path.clone(),
                report: it.report.clone(),
                error: it.error.clone(),
                raw_status: it.raw_status,
                findings: it.findings.clone(),
            }
        };
        let (reports, marks): (Vec<JobReport>, Vec<Mark>) = match contents {
            Contents::Followups => (
                (0..self.items.len()).map(job_report).collect(),
                self.followup_rows().into_iter().cloned().collect(),
            ),
            Contents::Findings => {
                let keys: std::collections::HashSet<String> = self
                    .visible
                    .iter()
                    .filter_map(|&id| self.items[id].report.as_ref().map(|r| r.key()))
                    .collect();
                let mut marks: Vec<Mark> = self
                    .followups
                    .marks
                    .values()
                    .filter(|m| m.state.is_followup() && keys.contains(&m.item.report_key))
                    .cloned()
                    .collect();
                marks.sort_by_key(|m| m.key());
                (
                    self.visible.iter().map(|&id| job_report(id)).collect(),
                    marks,
                )
            }
        };
        ExportJob {
            path,
            format,
            contents,
            replace,
            batch: self.batch_dir(),
            lang: self.lang,
            reports,
            marks,
        }
    }

    /// The export worker answered.
    pub fn apply_export(&mut self, done: ExportDone) {
        let path = super::width::clean(&done.path.display().to_string());
        self.notice = Some(match (&done.result, self.lang) {
            (Ok(n), Lang::Zh) => match done.contents {
                Contents::Followups => format!("已导出 {} 项跟进事项到 {path}", n.followups),
                Contents::Findings => {
                    format!("已导出 {} 份报告（{} 行）到 {path}", n.reports, n.rows)
                }
            },
            (Ok(n), Lang::En) => match done.contents {
                Contents::Followups => format!("exported {} follow-ups to {path}", n.followups),
                Contents::Findings => {
                    format!("exported {} reports ({} rows) to {path}", n.reports, n.rows)
                }
            },
            (Err(ExportFailure::Exists), _) => {
                // Ask again, with the path kept: Enter now replaces the file.
                self.overlays.push(Overlay::Export(ExportPrompt {
                    contents: done.contents,
                    line: LineEdit::new(&done.path.display().to_string()),
                    replace: true,
                    error: None,
                }));
                match self.lang {
                    Lang::Zh => format!("{path} 已存在：Enter 覆盖，或改一个文件名"),
                    Lang::En => format!("{path} exists: Enter replaces it, or change the name"),
                }
            }
            (Err(ExportFailure::Failed(why)), Lang::Zh) => {
                format!("导出失败：{}", super::width::clean(why))
            }
            (Err(ExportFailure::Failed(why)), Lang::En) => {
                format!("export failed: {}", super::width::clean(why))
            }
        });
    }
}
