//! Exports of follow-ups and findings: CSV (UTF-8 with BOM), XLSX (a sheet of follow-ups and a
//! sheet of all findings with the report status), JSON and Markdown.
//!
//! Spreadsheet cells that begin with `=`, `+`, `-`, `@`, tab or carriage return are prefixed
//! with `'` so no spreadsheet runs them as formulas (plain numbers such as `-3` are left as
//! they are). Exports never replace an existing file unless asked to.

use super::{waived_status, Mark, State, Waiver};
use crate::batch::Entry;
use crate::check::{BatchResult, Finding, Outcome, Severity, Status};
use crate::i18n::Lang;
use crate::model::{fmt_amount, Report};
#[cfg(test)]
use crate::sanitize::neutralise;
use crate::sanitize::{clean, spreadsheet_text};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

/// Export file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
    Md,
}

impl Format {
    /// `csv`, `xlsx`, `json`, `md` (or `markdown`).
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "csv" => Format::Csv,
            "xlsx" => Format::Xlsx,
            "json" => Format::Json,
            "md" | "markdown" => Format::Md,
            _ => return None,
        })
    }

    /// From a file extension (`.csv`, `.xlsx`, `.json`, `.md`/`.markdown`).
    pub fn from_path(path: &Path) -> Option<Format> {
        Format::parse(path.extension()?.to_str()?)
    }
}

/// One follow-up (current mark) with what the batch says about it now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowupRow {
    pub item_key: String,
    pub report_key: String,
    pub agency: String,
    pub year: Option<i32>,
    pub kind: String,
    /// `T3.R3_7.C1`, `T3-BAL@T3.R3_7.C1`, `S6`, `(report)`.
    pub place: String,
    pub rule: Option<String>,
    pub state: State,
    pub note: String,
    pub os_user: String,
    pub display_name: Option<String>,
    /// Time of the latest change (UTC).
    pub at: String,
    pub event_id: i64,
    /// `marked at 21, now 27` when the value behind the mark changed.
    pub change: Option<String>,
    /// Status of the report now (after waivers), `None` when it is not in the batch.
    pub report_status: Option<Status>,
    pub waived: bool,
}

/// One finding of the batch (or one report without findings), with its report's status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingRow {
    pub report_key: String,
    pub agency: String,
    pub year: Option<i32>,
    pub file: String,
    pub status: Status,
    pub raw_status: Status,
    pub waived: bool,
    /// Empty fields below: a report with no findings (listed so every status appears).
    pub rule: Option<String>,
    pub severity: Option<Severity>,
    pub outcome: Option<Outcome>,
    pub location: Option<String>,
    pub message: Option<String>,
    pub followup: Option<State>,
    pub note: Option<String>,
}

/// Everything an export holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportData {
    pub batch: String,
    pub generated_at: String,
    pub followups: Vec<FollowupRow>,
    pub findings: Vec<FindingRow>,
}

/// One report of an export: its file, the report (`None`: unreadable), why it could not be
/// read, its status before waivers and its findings.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a Path,
    pub report: Option<&'a Report>,
    pub error: Option<&'a str>,
    pub raw_status: Status,
    pub findings: &'a [Finding],
}

/// Join marks with the batch as checked now: change notes, waivers, statuses.
pub fn build(
    batch: &Path,
    entries: &[Entry],
    result: &BatchResult,
    marks: &[Mark],
    lang: Lang,
) -> ExportData {
    let sources: Vec<Source> = entries
        .iter()
        .zip(&result.reports)
        .map(|(e, rr)| Source {
            path: &e.path,
            report: e.report.as_ref().ok(),
            error: rr.error.as_deref(),
            raw_status: rr.status,
            findings: &rr.findings,
        })
        .collect();
    build_from(batch, &sources, marks, lang)
}

/// [`build`] from any list of reports (the review screen's, for one): the follow-ups are
/// `marks`, the finding rows those of `sources`.
pub fn build_from(batch: &Path, sources: &[Source], marks: &[Mark], lang: Lang) -> ExportData {
    let waivers: Vec<Waiver> = sources
        .iter()
        .map(|src| {
            let raw = src.raw_status;
            match src.report {
                Some(r) => {
                    let (status, waived) = waived_status(&r.key(), raw, src.findings, marks);
                    Waiver {
                        raw_status: raw,
                        status,
                        waived,
                        dismissed: Vec::new(),
                    }
                }
                None => Waiver {
                    raw_status: raw,
                    status: raw,
                    waived: false,
                    dismissed: Vec::new(),
                },
            }
        })
        .collect();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, src) in sources.iter().enumerate() {
        if let Some(r) = src.report {
            by_key.entry(r.key()).or_insert(i);
        }
    }
    let mark_of: HashMap<String, &Mark> = marks.iter().map(|m| (m.key(), m)).collect();

    let followups = marks
        .iter()
        .map(|m| {
            let idx = by_key.get(&m.item.report_key).copied();
            let report: Option<&Report> = idx.and_then(|i| sources[i].report);
            let findings = idx.map(|i| sources[i].findings);
            FollowupRow {
                item_key: m.key(),
                report_key: m.item.report_key.clone(),
                agency: m.item.agency().to_string(),
                year: m.item.year(),
                kind: m.item.kind().as_str().to_string(),
                place: m.item.place(),
                rule: m.item.rule().map(str::to_string),
                state: m.state,
                note: m.note.clone(),
                os_user: m.os_user.clone(),
                display_name: m.display_name.clone(),
                at: m.at.clone(),
                event_id: m.event_id,
                change: m.drift(report, findings).map(|d| d.message(lang)),
                report_status: idx.map(|i| waivers[i].status),
                waived: idx.is_some_and(|i| waivers[i].waived),
            }
        })
        .collect();

    let mut findings = Vec::new();
    for (i, src) in sources.iter().enumerate() {
        let w = &waivers[i];
        let (report_key, agency, year) = match src.report {
            Some(r) => (r.key(), r.agency_key.clone(), r.year),
            None => (String::new(), String::new(), None),
        };
        let base = FindingRow {
            report_key: report_key.clone(),
            agency,
            year,
            file: src.path.display().to_string(),
            status: w.status,
            raw_status: w.raw_status,
            waived: w.waived,
            rule: None,
            severity: None,
            outcome: None,
            location: None,
            message: src.error.map(str::to_string),
            followup: None,
            note: None,
        };
        if src.findings.is_empty() {
            findings.push(base);
            continue;
        }
        for f in src.findings {
            let mark = mark_of.get(&super::ItemRef::of_finding(&report_key, f).key());
            findings.push(finding_row(&base, f, mark.copied()));
        }
    }

    ExportData {
        batch: batch.display().to_string(),
        generated_at: super::now_rfc3339(),
        followups,
        findings,
    }
}

fn finding_row(base: &FindingRow, f: &Finding, mark: Option<&Mark>) -> FindingRow {
    FindingRow {
        rule: Some(f.rule.clone()),
        severity: Some(f.severity),
        outcome: Some(f.outcome),
        location: Some(f.location.clone()),
        message: Some(f.message.clone()),
        followup: mark.map(|m| m.state),
        note: mark.map(|m| m.note.clone()),
        ..base.clone()
    }
}

/// A spreadsheet cell.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Number(f64),
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt_text(s: Option<&str>) -> Cell {
    Cell::Text(s.unwrap_or_default().to_string())
}

fn year_cell(y: Option<i32>) -> Cell {
    y.map_or(Cell::Text(String::new()), |y| Cell::Number(f64::from(y)))
}

fn status_label(status: Status, waived: bool) -> String {
    if waived {
        format!("{} (waived 已豁免)", status.as_str())
    } else {
        status.as_str().to_string()
    }
}

const FOLLOWUP_HEADERS: [&str; 14] = [
    "报告 report",
    "机关 agency",
    "年度 year",
    "类型 kind",
    "位置 place",
    "规则 rule",
    "状态 state",
    "说明 note",
    "核查人 reviewer",
    "登录用户 login",
    "时间 at (UTC)",
    "变化 change",
    "报告状态 report status",
    "事件 event",
];

fn followup_cells(r: &FollowupRow) -> Vec<Cell> {
    vec![
        text(&r.report_key),
        text(&r.agency),
        year_cell(r.year),
        text(&r.kind),
        text(&r.place),
        opt_text(r.rule.as_deref()),
        text(r.state.label()),
        text(&r.note),
        opt_text(r.display_name.as_deref()),
        text(&r.os_user),
        text(&r.at),
        opt_text(r.change.as_deref()),
        text(
            r.report_status
                .map(|s| status_label(s, r.waived))
                .unwrap_or_else(|| "not in batch".into()),
        ),
        Cell::Number(r.event_id as f64),
    ]
}

const FINDING_HEADERS: [&str; 14] = [
    "报告 report",
    "机关 agency",
    "年度 year",
    "文件 file",
    "报告状态 status",
    "原始状态 raw status",
    "已豁免 waived",
    "规则 rule",
    "级别 severity",
    "结论 outcome",
    "位置 location",
    "说明 message",
    "跟进 follow-up",
    "跟进说明 note",
];

fn finding_cells(r: &FindingRow) -> Vec<Cell> {
    vec![
        text(&r.report_key),
        text(&r.agency),
        year_cell(r.year),
        text(&r.file),
        text(r.status.as_str()),
        text(r.raw_status.as_str()),
        text(if r.waived { "yes" } else { "" }),
        opt_text(r.rule.as_deref()),
        // A finding that could not be assessed is not shown as an error.
        text(match r.severity {
            _ if r.outcome == Some(Outcome::NotAssessable) => "not_assessable",
            Some(Severity::Error) => "error",
            Some(Severity::Warning) => "warning",
            Some(Severity::Info) => "info",
            None => "",
        }),
        text(match r.outcome {
            Some(Outcome::Fail) => "fail",
            Some(Outcome::NotAssessable) => "not assessable",
            None => "",
        }),
        opt_text(r.location.as_deref()),
        opt_text(r.message.as_deref()),
        text(r.followup.map(State::label).unwrap_or_default()),
        opt_text(r.note.as_deref()),
    ]
}

fn cell_string(c: &Cell) -> Cow<'_, str> {
    match c {
        Cell::Text(s) => spreadsheet_text(s),
        Cell::Number(n) => Cow::Owned(fmt_amount(*n)),
    }
}

/// The follow-ups as CSV, UTF-8 with a byte-order mark (so Excel reads the Chinese).
pub fn to_csv(data: &ExportData) -> Result<Vec<u8>, String> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(FOLLOWUP_HEADERS)
            .map_err(|e| e.to_string())?;
        for r in &data.followups {
            let cells = followup_cells(r);
            w.write_record(cells.iter().map(|c| cell_string(c).into_owned()))
                .map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Sheet names of the XLSX export.
pub const SHEET_FOLLOWUPS: &str = "跟进 followups";
pub const SHEET_FINDINGS: &str = "问题 findings";

/// Two sheets: the follow-ups, and every finding with its report's status.
pub fn to_xlsx(data: &ExportData) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format as XFormat, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let bold = XFormat::new().set_bold();
    let mut wb = Workbook::new();
    type Sheet<'a> = (&'a str, &'a [&'a str], Vec<Vec<Cell>>);
    let sheets: [Sheet; 2] = [
        (
            SHEET_FOLLOWUPS,
            &FOLLOWUP_HEADERS,
            data.followups.iter().map(followup_cells).collect(),
        ),
        (
            SHEET_FINDINGS,
            &FINDING_HEADERS,
            data.findings.iter().map(finding_cells).collect(),
        ),
    ];
    for (name, headers, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(err)?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(err)?;
            ws.set_column_width(c as u16, 16).map_err(err)?;
        }
        for (r, row) in rows.iter().enumerate() {
            let r = (r + 1) as u32;
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(s) if s.is_empty() => {}
                    Cell::Text(s) => {
                        ws.write_string(r, c as u16, spreadsheet_text(s))
                            .map_err(err)?;
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, c as u16, *n).map_err(err)?;
                    }
                }
            }
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
        ws.autofilter(0, 0, rows.len() as u32, (headers.len() - 1) as u16)
            .map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

/// Everything, as pretty JSON.
pub fn to_json(data: &ExportData) -> Result<Vec<u8>, String> {
    let mut v = serde_json::to_vec_pretty(data).map_err(|e| e.to_string())?;
    v.push(b'\n');
    Ok(v)
}

fn md_escape(s: &str) -> String {
    // Line breaks of notes are kept (as <br>); every other unsafe character goes.
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<String> = s
        .split('\n')
        .map(|l| clean(l).replace('\\', "\\\\").replace('|', "\\|"))
        .collect();
    lines.join("<br>")
}

/// The follow-ups as a Markdown table, with a count per state.
pub fn to_markdown(data: &ExportData) -> Vec<u8> {
    let mut s = String::new();
    s.push_str("# 跟进事项 Follow-ups\n\n");
    s.push_str(&format!(
        "Batch `{}`, exported {}.\n\n",
        data.batch.replace('`', "'"),
        data.generated_at
    ));
    let counts: Vec<String> = State::ALL
        .iter()
        .map(|st| {
            let n = data.followups.iter().filter(|r| r.state == *st).count();
            format!("{} {n}", st.label())
        })
        .collect();
    s.push_str(&format!("{}\n\n", counts.join(" · ")));
    if data.followups.is_empty() {
        s.push_str("No follow-ups.\n");
        return s.into_bytes();
    }
    let headers = [
        "报告 report",
        "位置 place",
        "状态 state",
        "说明 note",
        "核查人 reviewer",
        "时间 at (UTC)",
        "变化 change",
    ];
    s.push_str(&format!("| {} |\n", headers.join(" | ")));
    s.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
    for r in &data.followups {
        let who = super::identity::who_label(&r.os_user, r.display_name.as_deref());
        let cells = [
            r.report_key.as_str(),
            &r.place,
            &r.state.label(),
            &r.note,
            &who,
            &r.at,
            r.change.as_deref().unwrap_or(""),
        ];
        let cells: Vec<String> = cells.iter().map(|c| md_escape(c)).collect();
        s.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    s.into_bytes()
}

/// The finding rows as CSV, UTF-8 with a byte-order mark: a list of reports (one row per
/// finding, one per report without findings).
pub fn findings_to_csv(data: &ExportData) -> Result<Vec<u8>, String> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(FINDING_HEADERS).map_err(|e| e.to_string())?;
        for r in &data.findings {
            let cells = finding_cells(r);
            w.write_record(cells.iter().map(|c| cell_string(c).into_owned()))
                .map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// The finding rows as a Markdown table, with a count of reports per status.
pub fn findings_to_markdown(data: &ExportData) -> Vec<u8> {
    let mut s = String::new();
    s.push_str("# 报告 Reports\n\n");
    s.push_str(&format!(
        "Batch `{}`, exported {}.\n\n",
        data.batch.replace('`', "'"),
        data.generated_at
    ));
    let mut reports: Vec<(&str, Status)> = data
        .findings
        .iter()
        .map(|r| (r.file.as_str(), r.status))
        .collect();
    reports.dedup();
    let counts: Vec<String> = [Status::Fail, Status::Warn, Status::Pass, Status::Unreadable]
        .iter()
        .map(|st| {
            let n = reports.iter().filter(|(_, s)| s == st).count();
            format!("{} {n}", st.as_str())
        })
        .collect();
    s.push_str(&format!("{}\n\n", counts.join(" · ")));
    let headers = [
        "报告 report",
        "文件 file",
        "报告状态 status",
        "规则 rule",
        "位置 location",
        "说明 message",
        "跟进 follow-up",
    ];
    s.push_str(&format!("| {} |\n", headers.join(" | ")));
    s.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
    for r in &data.findings {
        let cells = [
            r.report_key.clone(),
            r.file.clone(),
            status_label(r.status, r.waived),
            r.rule.clone().unwrap_or_default(),
            r.location.clone().unwrap_or_default(),
            r.message.clone().unwrap_or_default(),
            r.followup.map(State::label).unwrap_or_default(),
        ];
        let cells: Vec<String> = cells.iter().map(|c| md_escape(c)).collect();
        s.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    s.into_bytes()
}

/// What an export leads with: CSV and Markdown hold that alone; XLSX and JSON hold both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents {
    /// The follow-ups (`followups export`, the follow-up screen).
    Followups,
    /// The reports and their findings (the review screen's list).
    Findings,
}

/// The bytes of an export in `format`, leading with `contents`.
pub fn render_contents(
    data: &ExportData,
    format: Format,
    contents: Contents,
) -> Result<Vec<u8>, String> {
    match (contents, format) {
        (Contents::Findings, Format::Csv) => findings_to_csv(data),
        (Contents::Findings, Format::Md) => Ok(findings_to_markdown(data)),
        _ => render(data, format),
    }
}

/// The bytes of an export in `format`.
pub fn render(data: &ExportData, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Csv => to_csv(data),
        Format::Xlsx => to_xlsx(data),
        Format::Json => to_json(data),
        Format::Md => Ok(to_markdown(data)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formulas_but_not_numbers() {
        for risky in [
            "=1+1",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=x",
            "\r=x",
            "-",
            "+",
        ] {
            assert_eq!(neutralise(risky), format!("'{risky}"), "{risky:?}");
        }
        for safe in ["-3", "+1.5", "21", "说明", "a=b", " =x", "", "－1"] {
            assert_eq!(neutralise(safe), safe, "{safe:?}");
        }
    }

    #[test]
    fn markdown_escapes_pipes_and_newlines() {
        assert_eq!(md_escape("a|b\nc"), "a\\|b<br>c");
    }
}
