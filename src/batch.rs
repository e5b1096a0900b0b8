//! Loading a directory of reports: parsed JSON and raw reports imported in memory,
//! in parallel, tolerant of bad files (each becomes an unreadable entry with its reason).

use crate::import;
use crate::model::{Report, SCHEMA_VERSION};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One file of a batch: the report, or why it could not be loaded.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    pub report: Result<Report, String>,
}

/// Directory name where report-review keeps its own files beside a batch; never scanned.
pub const STATE_DIR: &str = ".report-review";

/// True for file names the loader reads.
pub fn is_report_file(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("json" | "txt" | "htm" | "html")
    )
}

/// Every report file under `dir`, recursively, sorted by path. Symlink loops and unreadable
/// directories are skipped (walkdir reports them as errors, which we ignore here).
pub fn discover(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.file_name() != STATE_DIR)
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && is_report_file(e.path()))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Load one file: `.json` as a parsed report, anything else through the importer.
pub fn load_path(path: &Path) -> Result<Report, String> {
    let is_json = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        load_json(path)
    } else {
        import::import_file(path).map_err(|e| e.to_string())
    }
}

/// Read a parsed report, refusing files that are not reports or come from a newer version.
pub fn load_json(path: &Path) -> Result<Report, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    parse_json(&bytes)
}

/// Parse the JSON of a report (see docs/json-format.md).
pub fn parse_json(bytes: &[u8]) -> Result<Report, String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    let version = value
        .get("schema_version")
        .and_then(|v| v.as_u64())
        .ok_or_else(|| "not a report-review JSON file (no schema_version)".to_string())?;
    if version > SCHEMA_VERSION as u64 {
        return Err(format!(
            "schema_version {version} is newer than this program supports ({SCHEMA_VERSION}); upgrade report-review"
        ));
    }
    serde_json::from_value(value).map_err(|e| format!("not a report: {e}"))
}

/// Load every report under `dir` in parallel. Order follows `discover`.
pub fn load_dir(dir: &Path) -> Vec<Entry> {
    discover(dir)
        .into_par_iter()
        .map(|path| {
            let report = load_path(&path);
            Entry { path, report }
        })
        .collect()
}
