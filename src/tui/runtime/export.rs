//! The export worker: builds an export (`review::export`, as `followups export` does) and
//! writes it atomically beside its target, on its own thread, so a large batch never holds
//! up the keys. Each export is one short-lived thread; its answer comes back on a channel.

use crate::fsutil::{write_atomic, Overwrite, WriteError};
use crate::review::export::{self, Source};
use crate::tui::export::{ExportCounts, ExportDone, ExportFailure, ExportJob};
use std::sync::mpsc;

/// Where exports answer.
pub struct Exporter {
    tx: mpsc::Sender<ExportDone>,
    pub rx: mpsc::Receiver<ExportDone>,
}

impl Default for Exporter {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel();
        Exporter { tx, rx }
    }
}

impl Exporter {
    /// Run `job` on a thread of its own.
    pub fn submit(&self, job: ExportJob) {
        let tx = self.tx.clone();
        let path = job.path.clone();
        let contents = job.contents;
        let spawned = std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                let _ = tx.send(run(&job));
            });
        if let Err(e) = spawned {
            let _ = self.tx.send(ExportDone {
                path,
                contents,
                result: Err(ExportFailure::Failed(format!(
                    "cannot start the export thread: {e}"
                ))),
            });
        }
    }
}

/// Build and write one export.
pub fn run(job: &ExportJob) -> ExportDone {
    // The screen keeps each report's identity only: what changed behind a mark on a cell or
    // a part is told from the report as it is now, read from its file here (off the input
    // thread), for the reports that have such marks.
    let content_marks: std::collections::HashSet<&str> = job
        .marks
        .iter()
        .filter(|m| {
            matches!(
                m.item.target,
                crate::review::Target::Cell { .. } | crate::review::Target::Section { .. }
            )
        })
        .map(|m| m.item.report_key.as_str())
        .collect();
    let full: Vec<Option<crate::model::Report>> = job
        .reports
        .iter()
        .map(|r| match &r.report {
            Some(id) if id.sections.is_empty() && content_marks.contains(id.key().as_str()) => {
                crate::batch::open(&r.path).ok()
            }
            _ => None,
        })
        .collect();
    let sources: Vec<Source> = job
        .reports
        .iter()
        .zip(&full)
        .map(|(r, full)| Source {
            path: &r.path,
            report: full.as_ref().or(r.report.as_deref()),
            error: r.error.as_deref(),
            raw_status: r.raw_status,
            findings: &r.findings,
        })
        .collect();
    let data = export::build_from(&job.batch, &sources, &job.marks, job.lang);
    let counts = ExportCounts {
        followups: data.followups.len(),
        reports: job.reports.len(),
        rows: data.findings.len(),
    };
    let result = export::render_contents(&data, job.format, job.contents)
        .map_err(|e| ExportFailure::Failed(format!("{}: {e}", job.path.display())))
        .and_then(|bytes| {
            let overwrite = if job.replace {
                Overwrite::Replace
            } else {
                Overwrite::Never
            };
            write_atomic(&job.path, &bytes, overwrite).map_err(|e| match e {
                WriteError::Exists(_) => ExportFailure::Exists,
                other => ExportFailure::Failed(other.to_string()),
            })
        })
        .map(|()| counts);
    ExportDone {
        path: job.path.clone(),
        contents: job.contents,
        result,
    }
}
