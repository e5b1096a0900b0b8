//! `report-review check DIR`: run the rule catalogue on every report under DIR (parsed JSON
//! and raw .txt/.html imported in memory), print a table, JSON or CSV, exit 1 when any
//! report fails (see docs/check-output.md).

use crate::batch::{self, duplicate_groups, Batch, Entry, LoadOptions, Waivers};
use crate::check::group::group;
use crate::check::messages::label;
use crate::check::{BatchResult, Config, Finding, Mark, Outcome, Severity, Status};
use crate::cli::output;
use crate::i18n::Lang;
use crate::sanitize::{escape_controls, spreadsheet_text};
use std::io::{self, Write};
use std::path::PathBuf;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Counts by status, then each failing or warning report with its findings.
    #[default]
    Table,
    /// One JSON document (docs/check-output.md).
    Json,
    /// One finding per row, UTF-8 with BOM (Excel, WPS).
    Csv,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Directory of reports (searched recursively), or one report file.
    #[arg(required_unless_present = "list_rules")]
    pub dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Rule configuration (TOML; see docs/rules.md).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Message language: zh or en (default from LC_ALL / LC_MESSAGES / LANG).
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
    /// Print the rule catalogue (id, severity, template, title, formula) and exit.
    #[arg(long)]
    pub list_rules: bool,
    /// Show the raw status: do not count findings dismissed (已排除) in the follow-up store
    /// as waived (docs/followups.md).
    #[arg(long)]
    pub ignore_waivers: bool,
    /// Read and check every report again, without the result cache in
    /// DIR/.report-review/cache.sqlite (which is then neither read nor written).
    #[arg(long)]
    pub no_cache: bool,
    /// Follow-up store to read waivers from instead of DIR/.report-review/review.sqlite.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
}

/// The catalogue as text, one rule per line, in the chosen language.
pub fn list_rules(lang: Lang, config: &Config) -> String {
    let mut s = String::new();
    for r in crate::check::registry::RULES {
        let sev = |t| {
            label(
                lang,
                &format!("sev.{}", severity_str(config.severity(r, t))),
            )
        };
        let severity = if r.severity_2021.is_some() {
            format!(
                "{}/{}",
                sev(crate::model::Template::F2019),
                sev(crate::model::Template::F2021)
            )
        } else {
            sev(crate::model::Template::F2021)
        };
        let off = if config.enabled(r.id) { "" } else { " (off)" };
        s.push_str(&format!(
            "{:<24} {:<8} {:<4} {}{off}: {}\n",
            r.id,
            severity,
            r.applies.as_str(),
            r.title(lang),
            r.formula(lang)
        ));
    }
    s
}

pub fn run(args: Args) -> u8 {
    let lang = match Lang::from_arg(args.lang.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("report-review check: {e}");
            return 2;
        }
    };
    let config = match Config::from_option(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("report-review check: {e}");
            return 2;
        }
    };
    if args.list_rules {
        output::print(&list_rules(lang, &config));
        return 0;
    }
    let Some(dir) = args.dir else {
        eprintln!("report-review check: give a directory of reports");
        return 2;
    };
    if !dir.exists() {
        eprintln!("report-review check: {} does not exist", dir.display());
        return 2;
    }
    // Waivers (docs/followups.md): dismissed findings stop counting, unless --ignore-waivers.
    let waivers = if args.ignore_waivers {
        Waivers::Off
    } else {
        Waivers::Store {
            db: args.db.clone(),
        }
    };
    let opts = LoadOptions {
        config,
        lang,
        waivers,
        cache: !args.no_cache,
        ..Default::default()
    };
    let batch = batch::load(&dir, &opts, &|_| {});
    if batch.is_empty() {
        eprintln!(
            "report-review check: no reports (.json, .txt, .htm, .html, .pdf, .docx) under {}",
            dir.display()
        );
        return 2;
    }
    for n in &batch.notices {
        eprintln!("report-review check: {}", escape_controls(n));
    }
    output::stream(|out| write(&batch, args.format, lang, out));
    let result = &batch.result;
    if !result.reports.is_empty()
        && result
            .reports
            .iter()
            .all(|r| r.status == crate::check::Status::Unreadable)
    {
        eprintln!(
            "report-review check: no report under {} could be read",
            dir.display()
        );
        return 2;
    }
    u8::from(result.any_fail())
}

/// The output of `check` for a loaded batch, in one format, as one string.
pub fn render(batch: &Batch, format: Format, lang: Lang) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only if serialisation does, which it cannot for these types.
    let _ = write(batch, format, lang, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Write the output of `check` for a loaded batch, in one format, piece by piece as it is
/// produced (a report at a time; the whole document is never held).
pub fn write(batch: &Batch, format: Format, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let (entries, result) = (&batch.entries, &batch.result);
    let waivers = batch.waivers.as_deref();
    match format {
        Format::Table => {
            write_table(entries, result, lang, out)?;
            match waivers {
                Some(w) => out.write_all(render_waivers(entries, w, lang).as_bytes()),
                None => Ok(()),
            }
        }
        Format::Json => super::check_json::write(entries, result, waivers, lang, out),
        Format::Csv => write_csv(entries, result, lang, out),
    }
}

/// The reports whose status a waiver changed, each with the waiver sign `*`.
fn render_waivers(entries: &[Entry], waivers: &[crate::review::Waiver], lang: Lang) -> String {
    let waived: Vec<(&Entry, &crate::review::Waiver)> = entries
        .iter()
        .zip(waivers)
        .filter(|(_, w)| w.waived)
        .collect();
    if waived.is_empty() {
        return String::new();
    }
    let mut s = match lang {
        Lang::Zh => format!("\n已豁免（* 已排除的问题不计入）: {}\n", waived.len()),
        Lang::En => format!(
            "\nwaived (* dismissed findings not counted): {}\n",
            waived.len()
        ),
    };
    for (e, w) in waived {
        let line = match lang {
            Lang::Zh => format!(
                "[{}*] {}（原为 {}；已排除 {} 项）",
                status_label(lang, w.status),
                describe(e),
                status_label(lang, w.raw_status),
                w.dismissed.len()
            ),
            Lang::En => format!(
                "[{}*] {} (raw {}; {} dismissed)",
                status_label(lang, w.status),
                describe(e),
                status_label(lang, w.raw_status),
                w.dismissed.len()
            ),
        };
        s.push_str(&escape_controls(&line));
        s.push('\n');
    }
    s
}

/// Pad to `w` display columns without cutting (keys and labels are never shortened).
fn pad(s: &str, w: usize) -> String {
    let fill = w.saturating_sub(crate::textwidth::width(s));
    format!("{s}{}", " ".repeat(fill))
}

fn status_label(lang: Lang, s: Status) -> String {
    label(lang, &format!("status.{}", s.as_str()))
}

pub fn severity_str(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

pub fn outcome_str(o: Outcome) -> &'static str {
    match o {
        Outcome::Fail => "fail",
        Outcome::NotAssessable => "not_assessable",
    }
}

fn describe(e: &Entry) -> String {
    let path = escape_controls(&e.path.display().to_string());
    match &e.report {
        Ok(r) => format!(
            "{} {} [{path}]",
            escape_controls(&r.agency),
            r.year.map_or_else(|| "?".into(), |y| y.to_string()),
        ),
        Err(_) => path,
    }
}

/// Write `text` with every control character shown escaped, so that each line stays one
/// line on the terminal; `text` is then emptied for the next piece.
fn write_escaped(text: &mut String, out: &mut dyn Write) -> io::Result<()> {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(escape_controls(line).as_bytes())?;
    }
    text.clear();
    Ok(())
}

/// The table: counts by status, pairs, then every failing, warning or unreadable report
/// (written a report at a time).
fn write_table(
    entries: &[Entry],
    result: &BatchResult,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut s = String::new();
    let counts = result.counts();
    s.push_str(&format!(
        "{}: {} {}",
        label(lang, "out.summary"),
        entries.len(),
        label(lang, "out.reports")
    ));
    for (st, n) in counts {
        s.push_str(&format!("  {} {n}", status_label(lang, st)));
    }
    s.push('\n');
    if result.pairs.is_empty() {
        s.push_str(&label(lang, "out.no_pairs"));
        s.push('\n');
    } else {
        s.push_str(&format!(
            "{} {}\n",
            result.pairs.len(),
            label(lang, "out.pairs")
        ));
        for p in &result.pairs {
            s.push_str(&format!(
                "  {} {} → {}: {} → {}\n",
                label(lang, "out.pair"),
                p.prev_year,
                p.cur_year,
                entries[p.prev].path.display(),
                entries[p.cur].path.display()
            ));
        }
    }
    for g in duplicate_groups(entries) {
        s.push_str(&match lang {
            Lang::Zh => format!(
                "重复报告（同一机关同一年度，{} 份，均已检查，未合并）：\n",
                g.len()
            ),
            Lang::En => format!(
                "duplicate reports (same agency and year, {} files, each checked, not merged):\n",
                g.len()
            ),
        });
        for i in g {
            s.push_str(&format!("  {}\n", describe(&entries[i])));
        }
    }
    for st in [Status::Fail, Status::Warn, Status::Unreadable] {
        for (e, r) in entries
            .iter()
            .zip(&result.reports)
            .filter(|(_, r)| r.status == st)
        {
            write_escaped(&mut s, out)?;
            s.push('\n');
            s.push_str(&format!("[{}] {}\n", status_label(lang, st), describe(e)));
            if let Some(err) = &r.error {
                s.push_str(&format!(
                    "  {}: {}\n",
                    label(lang, "out.reason"),
                    escape_controls(&crate::batch::reasons::in_lang(lang, err))
                ));
            }
            // Errors, then warnings, then what could not be assessed (mark `?`, never shown
            // as an error); info findings and not-assessable info rules are only counted.
            let mut shown: Vec<&Finding> = r
                .findings
                .iter()
                .filter(|f| f.severity != Severity::Info)
                .collect();
            shown.sort_by_key(|f| f.mark());
            let mark_width = [Mark::Error, Mark::Warning, Mark::NotAssessable]
                .iter()
                .map(|m| crate::textwidth::width(&m.label(lang)))
                .max()
                .unwrap_or(0);
            let shown: Vec<Finding> = shown.into_iter().cloned().collect();
            for g in group(&shown) {
                let f = g.first();
                let mark = f.mark();
                let mut location = if g.is_group() {
                    format!("{} ({})", g.location, g.findings.len())
                } else {
                    g.location.clone()
                };
                // Paged sources (PDF) also say where on the printed page: `p.3 l.12`.
                if let (Ok(report), Some(line)) = (&e.report, f.line) {
                    if !report.source.pages.is_empty() && !g.is_group() {
                        let zh = matches!(lang, Lang::Zh);
                        location = format!("{location} {}", report.source.place_label(line, zh));
                    }
                }
                // Pad by display width: Chinese labels and keys are two columns per character.
                s.push_str(&format!(
                    "  {} {} {:<24} {} {}\n",
                    mark.glyph(),
                    pad(&mark.label(lang), mark_width),
                    f.rule,
                    pad(&location, 18),
                    g.message(),
                ));
                if let Some(q) = &f.quote {
                    s.push_str(&format!(
                        "          {}: “{}”\n",
                        label(lang, "out.quote"),
                        q
                    ));
                }
            }
            let infos = r
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Info)
                .count();
            let na_infos = r
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Info && f.outcome == Outcome::NotAssessable)
                .count();
            let infos = infos - na_infos;
            match (infos, na_infos) {
                (0, 0) => {}
                (i, 0) => s.push_str(&format!("  (+{i} {})\n", label(lang, "sev.info"))),
                (i, n) => s.push_str(&format!(
                    "  (+{i} {}, +{n} {})\n",
                    label(lang, "sev.info"),
                    label(lang, "outcome.not_assessable")
                )),
            }
        }
    }
    write_escaped(&mut s, out)
}

/// CSV, UTF-8 with BOM: one finding per row; unreadable files get one row with the reason.
fn write_csv(
    entries: &[Entry],
    result: &BatchResult,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new().from_writer(out);
    let header: Vec<String> = [
        "path", "agency", "year", "template", "status", "rule", "severity", "outcome", "location",
        "message", "expected", "actual", "quote", "line",
    ]
    .iter()
    .map(|h| label(lang, &format!("csv.{h}")))
    .collect();
    w.write_record(&header).map_err(csv_io)?;
    for (e, r) in entries.iter().zip(&result.reports) {
        let (agency, year, template) = match &e.report {
            Ok(rep) => (
                rep.agency.as_str(),
                rep.year.map(|y| y.to_string()).unwrap_or_default(),
                rep.template.as_str(),
            ),
            Err(_) => Default::default(),
        };
        let path = escape_controls(&e.path.display().to_string());
        if let Some(err) = &r.error {
            let mut row = vec![path.as_str(), "", "", "", r.status.as_str(), "", "", "", ""];
            row.extend([err.as_str(), "", "", "", ""]);
            w.write_record(row.into_iter().map(csv_field))
                .map_err(csv_io)?;
            continue;
        }
        // One row per finding group: many cells of one rule on one row or table share a row
        // listing them (the JSON output keeps every finding).
        for g in group(&r.findings) {
            let f = g.first();
            let message = g.message();
            let line = f.line.map(|l| l.to_string()).unwrap_or_default();
            w.write_record(
                [
                    path.as_str(),
                    agency,
                    year.as_str(),
                    template,
                    r.status.as_str(),
                    f.rule.as_str(),
                    f.mark().as_str(),
                    outcome_str(f.outcome),
                    g.location.as_str(),
                    message.as_str(),
                    f.expected.as_deref().unwrap_or(""),
                    f.actual.as_deref().unwrap_or(""),
                    f.quote.as_deref().unwrap_or(""),
                    line.as_str(),
                ]
                .into_iter()
                .map(csv_field),
            )
            .map_err(csv_io)?;
        }
    }
    w.flush()
}

/// A CSV write error as the I/O error it is (a record of text fields cannot fail otherwise).
fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A CSV field as a spreadsheet must get it: clean text, never a live formula.
fn csv_field(s: &str) -> String {
    spreadsheet_text(s).into_owned()
}
