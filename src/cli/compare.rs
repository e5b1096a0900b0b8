//! `report-review compare OLD NEW [--format table|json]`: last year's report beside this
//! year's, cell by cell, with the cross-year findings on their cells.

use crate::batch::{self, pairing};
use crate::check::{check_pair, Config, Finding, Outcome, Severity};
use crate::cli::output::outln;
use crate::compare::{compare, CompareRow, Comparison, Presence};
use crate::i18n::Lang;
use crate::model::{fmt_amount, Report};
use crate::sanitize::escape_controls;
use crate::textwidth::{pad, pad_left};
use std::path::PathBuf;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Last year's report (.json, .txt, .html).
    pub old: PathBuf,
    /// This year's report.
    pub new: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also list cells that are zero in both years.
    #[arg(long)]
    pub all: bool,
    /// Message language: zh or en (default from LC_ALL / LC_MESSAGES / LANG).
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
}

pub fn run(args: Args) -> u8 {
    let lang = match Lang::from_arg(args.lang.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("report-review compare: {e}");
            return 2;
        }
    };
    // Read and cleaned as a batch reads them: no report text reaches the terminal raw.
    let load = |p: &PathBuf| {
        batch::open(p).map_err(|e| format!("{}: {e}", escape_controls(&p.display().to_string())))
    };
    let (prev, cur) = match (load(&args.old), load(&args.new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("report-review compare: {e}");
            return 1;
        }
    };
    // Whether a batch holding both would pair them (its cross-year rules run only then).
    let paired = pairing::how_paired(&prev, &cur);
    let comparison = compare(&prev, &cur);
    let mut findings = check_pair(&prev, &cur, &Config::default(), lang);
    findings.iter_mut().for_each(batch::clean_finding);
    match args.format {
        Format::Json => {
            let out = serde_json::json!({
                "comparison": comparison,
                "findings": findings,
                "pairing": paired,
            });
            outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        Format::Table => {
            print_table(&prev, &comparison, &findings, args.all, lang);
            outln!("{}", pairing_note(paired, &prev, &cur, lang));
        }
    }
    // Like `check`: an error found means status 1 (warnings and info do not).
    u8::from(findings.iter().any(is_error))
}

fn is_error(f: &Finding) -> bool {
    f.severity == Severity::Error && f.outcome == Outcome::Fail
}

/// `✗` error, `!` warning, `i` info, `?` not assessable — the marks of `check` and the
/// screen (one place: `Finding::mark`).
fn sign(f: &Finding) -> &'static str {
    f.mark().glyph()
}

/// What the batch's pairing makes of the two reports.
fn pairing_note(how: Option<pairing::PairHow>, prev: &Report, cur: &Report, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match how {
        Some(how) => how.describe_names(&prev.agency, &cur.agency, zh, true),
        None if zh => {
            "未配对：在同一批次中这两份报告不会被视为同一机关的相邻年度（不运行跨年度检查）".into()
        }
        None => "not paired: in one batch these two reports would not be taken as consecutive \
                 years of one agency (the cross-year checks would not run)"
            .into(),
    }
}

fn fmt_num(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), fmt_amount)
}

fn fmt_delta(row: &CompareRow) -> (String, String) {
    let delta = match row.delta {
        None => "—".into(),
        Some(d) if d > 0.0 => format!("+{}", fmt_num(Some(d))),
        Some(d) => fmt_num(Some(d)),
    };
    let pct = match row.pct {
        None => "—".into(),
        Some(p) => format!("{p:+.1}%"),
    };
    (delta, pct)
}

/// The sign of the most severe cross-year finding that points at this row's cell, if any.
fn flagged(row: &CompareRow, findings: &[Finding]) -> Option<&'static str> {
    findings
        .iter()
        .filter(|f| {
            f.location == row.key
                || f.cells.contains(&row.key)
                || row.prev_key.as_ref().is_some_and(|k| f.cells.contains(k))
        })
        .min_by_key(|f| (f.outcome != Outcome::Fail, f.severity as u8))
        .map(sign)
}

fn print_table(prev_report: &Report, c: &Comparison, findings: &[Finding], all: bool, lang: Lang) {
    let year = |y: Option<i32>| y.map_or("?".to_string(), |y| y.to_string());
    let (item, prev, cur, change, pct, only_prev, only_cur) = match lang {
        Lang::Zh => (
            "指标",
            "上年",
            "本年",
            "变化",
            "变化%",
            "仅上年格式",
            "仅本年格式",
        ),
        Lang::En => (
            "Item",
            "Prev",
            "This",
            "Change",
            "Change%",
            "prev format only",
            "this format only",
        ),
    };
    // Two different agencies are both named: the heading must not pass one off as the other.
    let (prev_agency, cur_agency) = (&prev_report.agency_key, &c.agency_key);
    if prev_agency == cur_agency {
        outln!(
            "{cur_agency}  {} ({}) → {} ({})",
            year(c.prev_year),
            c.prev_template,
            year(c.cur_year),
            c.cur_template
        );
    } else {
        outln!(
            "{prev_agency} {} ({}) → {cur_agency} {} ({})",
            year(c.prev_year),
            c.prev_template,
            year(c.cur_year),
            c.cur_template
        );
    }
    outln!(
        "  {} {} {} {} {}",
        pad(item, 48),
        pad_left(prev, 13),
        pad_left(cur, 13),
        pad_left(change, 13),
        pad_left(pct, 9)
    );
    let mut hidden = 0;
    for row in &c.rows {
        if !all && row.is_zero_both() && row.presence == Presence::Both {
            hidden += 1;
            continue;
        }
        let (delta, p) = fmt_delta(row);
        let mark = flagged(row, findings).unwrap_or(" ");
        let mut label = row.label.clone();
        match row.presence {
            Presence::PrevOnly => label.push_str(&format!(" [{only_prev}]")),
            Presence::CurOnly => label.push_str(&format!(" [{only_cur}]")),
            Presence::Both => {}
        }
        if row.note.is_some() {
            label.push_str(" *");
        }
        outln!(
            "{mark} {} {} {} {} {}",
            pad(&label, 48),
            pad_left(&fmt_num(row.prev), 13),
            pad_left(&fmt_num(row.cur), 13),
            pad_left(&delta, 13),
            pad_left(&p, 9)
        );
    }
    if hidden > 0 {
        match lang {
            Lang::Zh => outln!("（{hidden} 个两年均为 0 的单元格未列出；--all 显示）"),
            Lang::En => {
                outln!("({hidden} cells zero in both years not listed; --all shows them)")
            }
        }
    }
    if c.rows.iter().any(|r| r.note.is_some()) {
        outln!("* {}", crate::compare::DEFINITIONS_DIFFER);
    }
    if !findings.is_empty() {
        outln!();
        for f in findings {
            outln!(
                "{} {} [{}] {}: {}",
                sign(f),
                f.rule,
                f.mark().label(lang),
                f.location,
                f.message
            );
        }
    }
}
