//! `report-review followups DIR list|history|export|mark`: the follow-up store from scripts
//! (see docs/followups.md).

use crate::batch::{self, Batch, LoadOptions, Waivers};
use crate::check::{Config, Finding};
use crate::cli::output::{self, outln};
use crate::fsutil::{write_atomic, Overwrite};
use crate::i18n::Lang;
use crate::model::Report;
use crate::review::export::{self, Format};
use crate::review::{Filter, Identity, ItemRef, Kind, Mark, Snapshot, State, Store, StoreError};
use crate::sanitize::clean;
use crate::textwidth;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(arg_required_else_help = true)]
pub struct Args {
    /// Directory of reports (the batch), or one report file.
    pub dir: PathBuf,
    /// Follow-up store to use instead of DIR/.report-review/review.sqlite.
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Message language: zh or en (default from LC_ALL / LC_MESSAGES / LANG).
    #[arg(long, global = true, value_name = "zh|en")]
    pub lang: Option<String>,
    /// Rule configuration (TOML; see docs/rules.md), as for `check --config`: the findings
    /// and statuses follow-ups are compared with.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Subcommand, Debug)]
pub enum Action {
    /// List current follow-ups, with what changed since each was marked.
    List(ListArgs),
    /// Every change of one item, oldest first.
    History(HistoryArgs),
    /// Write follow-ups (and all findings, for xlsx/json) to a file.
    Export(ExportArgs),
    /// Mark a report, finding, cell or section (for scripts).
    Mark(MarkArgs),
}

#[derive(clap::Args, Debug, Default)]
pub struct Select {
    /// Only this state (open, confirmed, dismissed, resolved, or 待核实/已确认/已排除/已整改).
    #[arg(long)]
    pub state: Option<String>,
    /// Only marks last changed by this login user (display names are not matched).
    #[arg(long)]
    pub reviewer: Option<String>,
    /// Only finding marks of this rule id.
    #[arg(long)]
    pub rule: Option<String>,
    /// Only this report (`agency/year`).
    #[arg(long)]
    pub report: Option<String>,
    /// Only this agency.
    #[arg(long)]
    pub agency: Option<String>,
    /// Only this kind: report, finding, cell, section.
    #[arg(long)]
    pub kind: Option<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ListFormat {
    #[default]
    Table,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub select: Select,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(clap::Args, Debug)]
pub struct HistoryArgs {
    /// Item key, e.g. `余姚市三七市镇/2020#T3.R3_7.C1` or `…#finding:T3-BAL@T3.R3_7.C1`.
    pub item: String,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// csv, xlsx, json or md (default: from the --out extension).
    #[arg(long)]
    pub format: Option<String>,
    /// File to write.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub struct MarkArgs {
    /// The report, as `agency/year` (e.g. 余姚市三七市镇/2020).
    #[arg(long, conflicts_with_all = ["agency", "year"])]
    pub report: Option<String>,
    /// Every report of this agency (normalised name or as printed); narrow with --year.
    #[arg(long)]
    pub agency: Option<String>,
    #[arg(long, requires = "agency")]
    pub year: Option<i32>,
    /// A finding of this rule; with --location/--cell/--section the one at that place,
    /// without: every current finding of the rule in the chosen reports.
    #[arg(long)]
    pub rule: Option<String>,
    /// Location of the finding (`T3.R3_7.C1`, `S1:L12`, `META.date`); needs --rule.
    #[arg(long, requires = "rule", conflicts_with_all = ["cell", "section"])]
    pub location: Option<String>,
    /// A table cell key (`T3.R3_7.C1`).
    #[arg(long, conflicts_with = "section")]
    pub cell: Option<String>,
    /// A section id (`S6`).
    #[arg(long)]
    pub section: Option<String>,
    /// New state: open, confirmed, dismissed (needs --note), resolved — or 待核实, 已确认, 已排除, 已整改.
    #[arg(long)]
    pub state: String,
    /// Compare-and-set: change only an item now in this state (`none`: not marked yet);
    /// when another reviewer changed it, nothing is written and who did is said (exit 1).
    #[arg(long, value_name = "STATE|none")]
    pub expect: Option<String>,
    /// Note; the reason when dismissing. Without it the current note is kept.
    #[arg(long, allow_hyphen_values = true)]
    pub note: Option<String>,
    /// Your display name (the login user is always recorded too).
    #[arg(long, allow_hyphen_values = true)]
    pub name: Option<String>,
    /// Test helper: repeat the mark N times (note suffixed ` #i`).
    #[arg(long, hide = true, default_value_t = 1)]
    pub test_repeat: u32,
    /// Test helper: keep the store open after marking until killed.
    #[arg(long, hide = true)]
    pub test_hold: bool,
}

const CMD: &str = "report-review followups";

fn lang_of(args: &Args) -> Result<Lang, u8> {
    Lang::from_arg(args.lang.as_deref()).map_err(|e| {
        eprintln!("{CMD}: {e}");
        2
    })
}

pub fn run(args: Args) -> u8 {
    let lang = match lang_of(&args) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let config = match Config::from_option(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{CMD}: {e}");
            return 2;
        }
    };
    if !args.dir.exists() {
        eprintln!("{CMD}: {} does not exist", args.dir.display());
        return 2;
    }
    let opts = LoadOptions {
        config,
        lang,
        ..Default::default()
    };
    match &args.action {
        Action::List(a) => list(&args, a, &opts),
        Action::History(a) => history(&args, a, &opts),
        Action::Export(a) => export_cmd(&args, a, &opts),
        Action::Mark(a) => mark(&args, a, &opts),
    }
}

fn print_notices(store: &Store) {
    for n in store.notices() {
        eprintln!("{CMD}: {n}");
    }
}

fn store_error(e: &StoreError) -> u8 {
    eprintln!("{CMD}: {e}");
    match e {
        StoreError::ReasonRequired => 2,
        _ => 1,
    }
}

fn filter_of(sel: &Select) -> Result<Filter, String> {
    let state = match sel.state.as_deref() {
        None => None,
        Some(s) => Some(State::parse(s).ok_or_else(|| {
            format!("--state must be open, confirmed, dismissed or resolved, not `{s}`")
        })?),
    };
    let kind = match sel.kind.as_deref() {
        None => None,
        Some(k) => Some(Kind::parse(k).ok_or_else(|| {
            format!("--kind must be report, finding, cell or section, not `{k}`")
        })?),
    };
    Ok(Filter {
        state,
        reviewer: sel.reviewer.clone(),
        rule: sel.rule.clone(),
        report_key: sel.report.clone(),
        agency: sel.agency.clone(),
        kind,
    })
}

/// The report and agency filters in the store's keys, however they were typed.
fn resolve_filter(filter: &mut Filter, now: &Now) -> Result<(), batch::names::NameError> {
    use batch::names::NameError;
    if let Some(r) = filter.report_key.clone() {
        match resolve_names(&r, now) {
            Ok(keys) if keys.len() == 1 => filter.report_key = keys.into_iter().next(),
            Ok(_) | Err(NameError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    if let Some(ag) = filter.agency.clone() {
        match resolve_names(&ag, now) {
            Ok(keys) => {
                if let Some(k) = keys.first() {
                    filter.agency = Some(crate::review::split_report_key(k).0.to_string());
                }
            }
            Err(NameError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The batch as it is now, loaded and checked as `check` does (waivers from the store).
struct Now {
    batch: Batch,
}

impl Now {
    fn load(args: &Args, opts: &LoadOptions) -> Now {
        let opts = LoadOptions {
            waivers: Waivers::Store {
                db: args.db.clone(),
            },
            // Marks point into whole reports: cells and sections the batch's identities leave out.
            keep_full_reports: true,
            ..opts.clone()
        };
        Now {
            batch: batch::load(&args.dir, &opts, &|_| {}),
        }
    }

    fn report(&self, key: &str) -> Option<(usize, &Report)> {
        let i = self.batch.by_key(key)?;
        self.batch.report(i).map(|r| (i, r))
    }

    fn findings(&self, i: usize) -> &[Finding] {
        &self.batch.result.reports[i].findings
    }

    fn change(&self, m: &Mark, lang: Lang) -> Option<String> {
        let found = self.report(&m.item.report_key);
        let findings = found.map(|(i, _)| self.findings(i));
        m.drift(found.map(|(_, r)| r), findings)
            .map(|d| d.message(lang))
    }

    /// The report's status now (after waivers) and its error and warning counts.
    fn status(&self, report_key: &str) -> Option<(&'static str, batch::Counts)> {
        let i = self.batch.by_key(report_key)?;
        Some((self.batch.status(i)?.as_str(), self.batch.counts(i)))
    }
}

fn list(args: &Args, a: &ListArgs, opts: &LoadOptions) -> u8 {
    let lang = opts.lang;
    let mut filter = match filter_of(&a.select) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{CMD}: {e}");
            return 2;
        }
    };
    let now = Now::load(args, opts);
    // `--report 三七市镇/2020` and `--agency 三七市镇` as the screen shows them; a name the
    // batch does not know is kept as typed (marks of a report no longer in the batch).
    if let Err(e) = resolve_filter(&mut filter, &now) {
        eprintln!("{CMD}: {e}");
        return 2;
    }
    let marks = match Store::open_existing_for_batch(&args.dir, args.db.as_deref()) {
        Ok(Some(store)) => {
            print_notices(&store);
            match store.all(&filter) {
                Ok(m) => m,
                Err(e) => return store_error(&e),
            }
        }
        Ok(None) => Vec::new(),
        Err(e) => return store_error(&e),
    };
    let rows: Vec<(Mark, Option<String>)> = marks
        .into_iter()
        .map(|m| {
            let change = now.change(&m, lang);
            (m, change)
        })
        .collect();
    let text = match a.format {
        ListFormat::Json => {
            let v: Vec<serde_json::Value> = rows
                .iter()
                .map(|(m, change)| {
                    let status = now.status(&m.item.report_key);
                    serde_json::json!({
                        "item_key": m.key(),
                        "report_key": m.item.report_key,
                        "kind": m.item.kind().as_str(),
                        "place": m.item.place(),
                        "rule": m.item.rule(),
                        "state": m.state.as_str(),
                        "note": m.note,
                        "os_user": m.os_user,
                        "display_name": m.display_name,
                        "at": m.at,
                        "event_id": m.event_id,
                        "snapshot": m.snapshot,
                        "change": change,
                        "report_status": status.map(|s| s.0),
                        "report_errors": status.map(|s| s.1.errors),
                        "report_warnings": status.map(|s| s.1.warnings),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
        }
        ListFormat::Table => render_list(&rows, lang),
    };
    emit(&text)
}

fn emit(text: &str) -> u8 {
    output::print(text);
    0
}

fn render_list(rows: &[(Mark, Option<String>)], lang: Lang) -> String {
    if rows.is_empty() {
        return match lang {
            Lang::Zh => "没有跟进事项。\n".into(),
            Lang::En => "No follow-ups.\n".into(),
        };
    }
    let headers = match lang {
        Lang::Zh => ["报告", "位置", "状态", "核查人", "时间", "说明", "变化"],
        Lang::En => [
            "report", "place", "state", "reviewer", "at", "note", "change",
        ],
    };
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|(m, change)| {
            [
                clean(&m.item.report_key),
                clean(&m.item.place()),
                m.state.label_in(lang).to_string(),
                // The login always shows within the column's cap (20).
                clean(&m.who_fitting(20)),
                m.at.get(..16).unwrap_or(&m.at).replace('T', " "),
                clean(&m.note),
                change.as_deref().map(clean).unwrap_or_default(),
            ]
        })
        .collect();
    // Widths: every column but the last two fits its content (capped); note and change follow.
    let caps = [28, 30, 10, 20, 16, 40, 60];
    let mut widths = [0usize; 7];
    for (i, h) in headers.iter().enumerate() {
        widths[i] = textwidth::width(h);
    }
    for row in &cells {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(textwidth::width(c)).min(caps[i]);
        }
    }
    let line = |row: &[String]| {
        let mut s = String::new();
        for (i, c) in row.iter().enumerate() {
            if i + 1 == row.len() {
                s.push_str(&textwidth::cut(c, caps[i]));
            } else {
                s.push_str(&textwidth::pad(c, widths[i]));
                s.push_str("  ");
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut s = line(&headers.map(String::from));
    for row in &cells {
        s.push_str(&line(row));
    }
    let counts: Vec<String> = State::ALL
        .iter()
        .map(|st| {
            let n = rows.iter().filter(|(m, _)| m.state == *st).count();
            format!("{} {n}", st.label_in(lang))
        })
        .collect();
    s.push_str(&format!("\n{}\n", counts.join("  ")));
    s
}

fn history(args: &Args, a: &HistoryArgs, opts: &LoadOptions) -> u8 {
    let Some(mut item) = ItemRef::parse(&a.item) else {
        eprintln!(
            "{CMD}: `{}` is not an item key (e.g. 余姚市三七市镇/2020#T3.R3_7.C1)",
            a.item
        );
        return 2;
    };
    let events = match Store::open_existing_for_batch(&args.dir, args.db.as_deref()) {
        Ok(Some(store)) => {
            print_notices(&store);
            let mut found = store.history(&item.key());
            // Nothing under the key as typed: the report may be named as the screen
            // shows it (三七市镇/2020 for 余姚市三七市镇/2020).
            if found.as_ref().is_ok_and(Vec::is_empty) {
                let typed = crate::review::split_report_key(&item.report_key)
                    .0
                    .to_string();
                let now = Now::load(
                    args,
                    &LoadOptions {
                        agency: Some(typed),
                        ..opts.clone()
                    },
                );
                match resolve_names(&item.report_key, &now) {
                    Ok(keys) if keys.len() == 1 && keys[0] != item.report_key => {
                        item.report_key = keys[0].clone();
                        found = store.history(&item.key());
                    }
                    Err(e @ batch::names::NameError::Ambiguous { .. }) => {
                        eprintln!("{CMD}: {e}");
                        return 2;
                    }
                    _ => {}
                }
            }
            match found {
                Ok(e) => e,
                Err(e) => return store_error(&e),
            }
        }
        Ok(None) => Vec::new(),
        Err(e) => return store_error(&e),
    };
    let text = match a.format {
        ListFormat::Json => serde_json::to_string_pretty(&events).unwrap_or_default() + "\n",
        ListFormat::Table => {
            let mut s = String::new();
            if events.is_empty() {
                s.push_str(&format!("{}: no changes\n", clean(&item.key())));
            }
            for e in &events {
                s.push_str(&format!(
                    "#{} {} {}  {} → {}  {}\n",
                    e.id,
                    e.at,
                    clean(&e.who()),
                    e.old_state.map_or_else(|| "-".into(), State::label),
                    e.new_state.label(),
                    clean(&e.note)
                ));
            }
            s
        }
    };
    emit(&text)
}

fn export_cmd(args: &Args, a: &ExportArgs, opts: &LoadOptions) -> u8 {
    let lang = opts.lang;
    let format = match a.format.as_deref() {
        Some(f) => match Format::parse(f) {
            Some(f) => f,
            None => {
                eprintln!("{CMD}: --format must be csv, xlsx, json or md, not `{f}`");
                return 2;
            }
        },
        None => match Format::from_path(&a.out) {
            Some(f) => f,
            None => {
                eprintln!(
                    "{CMD}: cannot tell the format of {}; give --format csv|xlsx|json|md",
                    a.out.display()
                );
                return 2;
            }
        },
    };
    // Refused before the (slow) export is built; checked again when it is written.
    if a.out.symlink_metadata().is_ok() && !a.force {
        eprintln!(
            "{CMD}: {} exists (use --force to overwrite)",
            a.out.display()
        );
        return 1;
    }
    let marks = match Store::open_existing_for_batch(&args.dir, args.db.as_deref()) {
        Ok(Some(store)) => {
            print_notices(&store);
            match store.all(&Filter::default()) {
                Ok(m) => m,
                Err(e) => return store_error(&e),
            }
        }
        Ok(None) => Vec::new(),
        Err(e) => return store_error(&e),
    };
    // Raw statuses here: the export applies the waivers of the marks it exports.
    let batch = batch::load(&args.dir, opts, &|_| {});
    let data = export::build(&args.dir, &batch.entries, &batch.result, &marks, lang);
    let bytes = match export::render(&data, format) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{CMD}: cannot build the export: {e}");
            return 1;
        }
    };
    let overwrite = if a.force {
        Overwrite::Replace
    } else {
        Overwrite::Never
    };
    match write_atomic(&a.out, &bytes, overwrite) {
        Ok(()) => {
            // Only what is in the file: CSV and Markdown hold the follow-ups alone.
            let findings = match format {
                Format::Xlsx | Format::Json => {
                    format!(" and {} finding rows", data.findings.len())
                }
                Format::Csv | Format::Md => String::new(),
            };
            outln!(
                "exported {} follow-ups{findings} to {}",
                data.followups.len(),
                a.out.display()
            );
            0
        }
        Err(e) => {
            eprintln!("{CMD}: {e}");
            1
        }
    }
}

/// What `mark` was told to mark: `--report AGENCY/YEAR`, or `--agency NAME [--year YEAR]`.
fn mark_spec(a: &MarkArgs) -> Result<String, (String, u8)> {
    match (&a.report, &a.agency, a.year) {
        (Some(k), _, _) => Ok(k.clone()),
        (None, Some(ag), Some(y)) => Ok(format!("{ag}/{y}")),
        (None, Some(ag), None) => Ok(ag.clone()),
        (None, None, _) => Err((
            "give --report AGENCY/YEAR or --agency NAME [--year YEAR]".into(),
            2,
        )),
    }
}

/// The report keys a typed name names in the loaded batch (printed names, keys and key
/// endings are all taken: `三七市镇/2020` is 余姚市三七市镇/2020).
fn resolve_names(spec: &str, now: &Now) -> Result<Vec<String>, batch::names::NameError> {
    let reports = (0..now.batch.len()).filter_map(|i| now.batch.report(i));
    batch::names::resolve(spec, reports)
}

/// The items a `mark` names, each with its report (for the snapshot) and findings.
fn resolve_items(a: &MarkArgs, now: &Now) -> Result<Vec<(ItemRef, usize)>, (String, u8)> {
    let spec = mark_spec(a)?;
    let keys = resolve_names(&spec, now).map_err(|e| {
        let code = match e {
            batch::names::NameError::Ambiguous { .. } => 2,
            batch::names::NameError::NotFound { .. } => 1,
        };
        (e.to_string(), code)
    })?;
    let reports: Vec<(usize, &Report)> = (0..now.batch.len())
        .filter_map(|i| now.batch.report(i).map(|r| (i, r)))
        .filter(|(_, r)| keys.contains(&r.key()))
        .collect();
    if reports.is_empty() {
        return Err((format!("no report {spec} in this batch"), 1));
    }
    let mut items = Vec::new();
    for (i, r) in reports {
        let key = r.key();
        if let Some(rule) = &a.rule {
            let location = a
                .location
                .as_ref()
                .or(a.cell.as_ref())
                .or(a.section.as_ref());
            match location {
                Some(loc) => items.push((ItemRef::finding(&key, rule, loc), i)),
                None => {
                    items.extend(
                        now.findings(i)
                            .iter()
                            .filter(|f| f.rule == *rule)
                            .map(|f| (ItemRef::of_finding(&key, f), i)),
                    );
                }
            }
        } else if let Some(cell) = &a.cell {
            if r.cell(cell).is_none() {
                return Err((format!("{key} has no cell {cell}"), 1));
            }
            items.push((ItemRef::cell(&key, cell), i));
        } else if let Some(section) = &a.section {
            if r.section(section).is_none() {
                return Err((format!("{key} has no section {section}"), 1));
            }
            items.push((ItemRef::section(&key, section), i));
        } else {
            items.push((ItemRef::report(&key), i));
        }
    }
    if items.is_empty() {
        let rule = a.rule.as_deref().unwrap_or_default();
        return Err((format!("no {rule} finding in {spec}; nothing marked"), 1));
    }
    Ok(items)
}

/// The batch with the named agency's reports (all its years, for the X-* rules): loaded
/// for the agency as typed; again for the agency it turns out to be when typed another way
/// (a printed name or the end of the key), or for the whole batch when nothing loaded goes
/// by it.
fn load_named(args: &Args, a: &MarkArgs, opts: &LoadOptions) -> Result<Now, (String, u8)> {
    let spec = mark_spec(a)?;
    let typed = crate::review::split_report_key(&spec).0.trim().to_string();
    let load = |agency: Option<String>| {
        Now::load(
            args,
            &LoadOptions {
                agency,
                ..opts.clone()
            },
        )
    };
    let mut now = load(Some(typed.clone()));
    let keys = match resolve_names(&spec, &now) {
        Ok(keys) => keys,
        Err(batch::names::NameError::NotFound { .. }) => {
            now = load(None);
            match resolve_names(&spec, &now) {
                Ok(keys) => keys,
                // Said with the items (exit 1).
                Err(batch::names::NameError::NotFound { .. }) => return Ok(now),
                Err(e) => return Err((e.to_string(), 2)),
            }
        }
        Err(e) => return Err((e.to_string(), 2)),
    };
    if let Some(k) = keys.first() {
        let agency = crate::review::split_report_key(k).0.to_string();
        if agency != typed {
            now = load(Some(agency));
        }
    }
    Ok(now)
}

fn mark(args: &Args, a: &MarkArgs, opts: &LoadOptions) -> u8 {
    let Some(state) = State::parse(&a.state) else {
        eprintln!(
            "{CMD}: --state must be open, confirmed, dismissed or resolved (待核实, 已确认, 已排除, 已整改), not `{}`",
            a.state
        );
        return 2;
    };
    if state.requires_reason() && a.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        eprintln!("{CMD}: dismissing (已排除) is a waiver and needs a reason: give --note \"…\"");
        return 2;
    }
    let expected = match a.expect.as_deref() {
        None => None,
        Some("none" | "-") => Some(None),
        Some(s) => match State::parse(s) {
            Some(st) => Some(Some(st)),
            None => {
                eprintln!(
                    "{CMD}: --expect must be a state (open, confirmed, dismissed, resolved) or none, not `{s}`"
                );
                return 2;
            }
        },
    };
    let now = match load_named(args, a, opts) {
        Ok(now) => now,
        Err((msg, code)) => {
            eprintln!("{CMD}: {msg}");
            return code;
        }
    };
    let items = match resolve_items(a, &now) {
        Ok(items) => items,
        Err((msg, code)) => {
            eprintln!("{CMD}: {msg}");
            return code;
        }
    };
    let mut store = match Store::open_for_batch(&args.dir, args.db.as_deref()) {
        Ok(s) => s,
        Err(e) => return store_error(&e),
    };
    print_notices(&store);
    store.on_wait(|msg| eprintln!("{CMD}: {msg}"));
    let who = Identity::current().with_display_name(a.name.as_deref());
    for (item, i) in &items {
        if a.rule.is_some() && a.location.is_some() {
            let known = now
                .findings(*i)
                .iter()
                .any(|f| Some(f.key()) == item.finding_key());
            if !known {
                eprintln!(
                    "{CMD}: note: {} is not a current finding of {}; marked anyway",
                    item.place(),
                    item.report_key
                );
            }
        }
    }
    for n in 0..a.test_repeat.max(1) {
        for (item, i) in &items {
            let snapshot = Snapshot::capture(item, now.batch.report(*i), now.findings(*i));
            let note = match (&a.note, a.test_repeat > 1) {
                (Some(note), true) => Some(format!("{note} #{n}")),
                (note, _) => note.clone(),
            };
            match store.mark_expecting(item, expected, state, note.as_deref(), &who, &snapshot) {
                Ok(ev) => {
                    outln!(
                        "marked {}: {} → {} (event {})",
                        clean(&item.key()),
                        ev.old_state.map_or_else(|| "-".into(), State::label),
                        ev.new_state.label(),
                        ev.id
                    );
                }
                Err(e) => return store_error(&e),
            }
        }
    }
    if a.test_hold {
        outln!("holding");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
    0
}
