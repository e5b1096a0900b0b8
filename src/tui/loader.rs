//! Background loading for the screen: the batch pipeline ([`crate::batch::load`]) on the
//! calling thread, its progress sent back in small chunks so the list grows while the auditor
//! works. A report whose check panics becomes an unreadable entry with the reason. The screen
//! is sent each report's identity and findings, not the report: it reads a report from its
//! file when the auditor opens it ([`crate::tui::state::State::open_report`]).

use crate::batch::{self, LoadOptions, Progress};
use crate::check::Finding;
use crate::model::Report;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

pub use crate::batch::GUARDED;

pub struct Loaded {
    pub path: PathBuf,
    /// The report's identity ([`crate::batch::slim::identity`]); a full report handed over
    /// (by tests or tools) is kept as it is.
    pub report: Result<Report, String>,
    pub findings: Vec<Finding>,
}

pub enum Msg {
    /// Number of report files found.
    Discovered(usize),
    Loaded(Vec<Loaded>),
    /// Cross-year findings to add to the later report of each pair.
    CrossYear(Vec<(PathBuf, Vec<Finding>)>),
    /// What the auditor should know about the load (a result cache not used, …).
    Notices(Vec<String>),
    Finished,
}

/// Load `dir` on the calling thread (run it on a spawned one), sending progress on `tx`.
/// Waivers the screen applies itself, live, from its follow-up store.
pub fn load(dir: &Path, opts: &LoadOptions, tx: Sender<Msg>) {
    let opts = LoadOptions {
        waivers: batch::Waivers::Off,
        keep_full_reports: false,
        // The screen takes the findings from the progress messages; the batch's results
        // are not read.
        keep_findings: false,
        ..opts.clone()
    };
    let progress = |p: Progress| {
        let msg = match p {
            Progress::Found(n) => Msg::Discovered(n),
            Progress::Checked(chunk) => Msg::Loaded(
                chunk
                    .iter_mut()
                    .map(|c| Loaded {
                        path: c.path.clone(),
                        report: match &c.report {
                            Ok(r) => Ok(batch::slim::identity(r)),
                            Err(e) => Err(e.clone()),
                        },
                        findings: std::mem::take(&mut c.findings),
                    })
                    .collect(),
            ),
            Progress::CrossYear { entries, findings } => {
                if findings.is_empty() {
                    return;
                }
                Msg::CrossYear(
                    std::mem::take(findings)
                        .into_iter()
                        .map(|(i, f)| (entries[i].path.clone(), f))
                        .collect(),
                )
            }
        };
        // A closed receiver (the screen quit) only means nobody is watching any more.
        let _ = tx.send(msg);
    };
    let batch = batch::load(dir, &opts, &progress);
    if !batch.notices.is_empty() {
        let _ = tx.send(Msg::Notices(batch.notices));
    }
    let _ = tx.send(Msg::Finished);
}
