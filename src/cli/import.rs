//! `report-review import PATH... --out DIR`: one JSON file per report, named from agency and
//! year, never outside DIR, never over an existing file without `--force`.

use crate::cli::output::outln;
use crate::fsutil::{write_atomic, Overwrite};
use crate::import::{import_file, ImportError};
use crate::model::Report;
use crate::sanitize::escape_controls;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Report files (.txt, .htm, .html, .pdf, .docx) or directories holding them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Directory to write one JSON file per report into.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Overwrite existing JSON files.
    #[arg(long)]
    pub force: bool,
}

/// Raw report extensions the importer reads.
fn is_raw_report(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("txt" | "htm" | "html" | "pdf" | "docx")
    )
}

/// Expand directories into the raw reports they hold (sorted, so runs are reproducible).
pub fn collect_inputs(paths: &[PathBuf], out: &Path) -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    for p in paths {
        if p.is_dir() {
            // FIFOs and broken symlinks are kept: importing them fails with a reason.
            let mut found = crate::batch::walk_reports(p, is_raw_report, |e| e.path() != out);
            found.sort();
            inputs.extend(found);
        } else {
            inputs.push(p.clone());
        }
    }
    inputs
}

/// A file name from agency and year with nothing that could leave the output directory:
/// only letters, digits (any script), `-` and `_`; never empty, never `.`/`..`.
pub fn safe_file_name(report: &Report) -> String {
    let agency: String = report
        .agency_key
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let agency = agency.trim_matches('_');
    let agency = if agency.is_empty() { "report" } else { agency };
    match report.year {
        Some(y) => format!("{agency}_{y}"),
        None => format!("{agency}_unknown-year"),
    }
}

pub fn run(args: Args) -> u8 {
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!(
            "report-review import: cannot create {}: {e}",
            args.out.display()
        );
        return 2;
    }
    let inputs = collect_inputs(&args.paths, &args.out);
    if inputs.is_empty() {
        eprintln!("report-review import: no .txt/.htm/.html/.pdf/.docx reports found");
        return 2;
    }
    let mut written: HashSet<PathBuf> = HashSet::new();
    let mut failed = 0;
    for input in &inputs {
        // Names and reasons are printed with control characters escaped: a file name holding
        // a newline or an escape sequence stays one visible line and cannot drive the terminal.
        let name = escape_controls(&input.display().to_string());
        match import_one(input, &args, &mut written) {
            Ok((out, 0)) => {
                outln!(
                    "imported  {name} -> {}",
                    escape_controls(&out.display().to_string())
                )
            }
            Ok((out, notes)) => outln!(
                "imported with warnings ({notes} notes)  {name} -> {}",
                escape_controls(&out.display().to_string())
            ),
            Err(reason) => {
                failed += 1;
                outln!("failed    {name}: {}", escape_controls(&reason));
            }
        }
    }
    u8::from(failed > 0)
}

fn import_one(
    input: &Path,
    args: &Args,
    written: &mut HashSet<PathBuf>,
) -> Result<(PathBuf, usize), String> {
    let report = import_file(input).map_err(|e| match e {
        ImportError::Io(io) => format!("cannot read: {io}"),
        other => other.to_string(),
    })?;
    let stem = safe_file_name(&report);
    // Two inputs for the same agency and year in one run are both kept, never merged.
    let mut out = args.out.join(format!("{stem}.json"));
    let mut n = 2;
    while written.contains(&out) {
        out = args.out.join(format!("{stem}-{n}.json"));
        n += 1;
    }
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    write_new(&out, json.as_bytes(), args.force)?;
    written.insert(out.clone());
    Ok((out, report.notes.len()))
}

/// Write a file atomically; refuse to replace an existing one unless `force`, and refuse
/// links, directories and devices always.
fn write_new(path: &Path, bytes: &[u8], force: bool) -> Result<(), String> {
    let mut with_newline = Vec::with_capacity(bytes.len() + 1);
    with_newline.extend_from_slice(bytes);
    with_newline.push(b'\n');
    let overwrite = if force {
        Overwrite::Replace
    } else {
        Overwrite::Never
    };
    write_atomic(path, &with_newline, overwrite).map_err(|e| e.to_string())
}
