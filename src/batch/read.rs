//! Reading report files: finding them under a directory, and loading one file — a parsed
//! JSON report, or a raw report (text dump, HTML page) imported in memory.

use crate::import;
use crate::model::{Report, SCHEMA_VERSION};
use std::path::{Path, PathBuf};

/// Directory name where report-review keeps its own files beside a batch; never scanned.
pub const STATE_DIR: &str = ".report-review";

/// True for file names the loader reads.
pub fn is_report_file(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("json" | "txt" | "htm" | "html" | "pdf" | "docx")
    )
}

/// Every report file under `dir`, recursively, sorted by path. Directory symlink loops and
/// unreadable directories are skipped (walkdir reports them as errors). Anything else named
/// like a report — a FIFO, a dangling or looping symlink — is kept, so loading lists it as
/// unreadable with its reason instead of dropping it silently.
pub fn discover(dir: &Path) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return vec![dir.to_path_buf()];
    }
    let mut files = walk_reports(dir, is_report_file, |e| e.file_name() != STATE_DIR);
    files.sort();
    files
}

/// Walk `dir` following symlinks: non-directory entries whose name passes `wanted`, and
/// entries walkdir could not stat (broken or looping symlinks) with such a name.
pub fn walk_reports(
    dir: &Path,
    wanted: impl Fn(&Path) -> bool,
    descend: impl FnMut(&walkdir::DirEntry) -> bool,
) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(descend)
        .filter_map(|e| match e {
            Ok(e) if !e.file_type().is_dir() && wanted(e.path()) => Some(e.into_path()),
            Ok(_) => None,
            Err(err) if err.loop_ancestor().is_none() => {
                err.path().filter(|p| wanted(p)).map(Path::to_path_buf)
            }
            Err(_) => None,
        })
        .collect()
}

/// Load one file: `.json` as a parsed report, anything else through the importer.
pub fn load_path(path: &Path) -> Result<Report, String> {
    if is_json(path) {
        load_json(path)
    } else {
        import::import_file(path).map_err(|e| match e {
            import::ImportError::Io(io) => format!("cannot read: {io}"),
            other => other.to_string(),
        })
    }
}

/// Load one file from its bytes, already read (the result cache reads them to hash them).
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<Report, String> {
    if is_json(path) {
        return parse_json(bytes);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    import::import_bytes(&name, bytes).map_err(|e| match e {
        import::ImportError::Io(io) => format!("cannot read: {io}"),
        other => other.to_string(),
    })
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Read a parsed report, refusing files that are not reports or come from a newer version.
pub fn load_json(path: &Path) -> Result<Report, String> {
    let bytes = import::read_file_bytes(path).map_err(|e| match e {
        import::ImportError::Io(io) => format!("cannot read: {io}"),
        other => other.to_string(),
    })?;
    parse_json(&bytes)
}

/// Parse the JSON of a report (see docs/json-format.md).
///
/// The common case — a valid report of a supported schema_version — is parsed once, straight
/// into `Report`. Anything else takes the slow path through `serde_json::Value`, which names
/// the problem (invalid JSON, no schema_version, newer schema_version, not a report).
pub fn parse_json(bytes: &[u8]) -> Result<Report, String> {
    // Editors on Windows save JSON with a UTF-8 BOM, which serde_json refuses.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // UTF-8 is checked once for the whole file (fast) rather than string by string, as
    // parsing from bytes does; a file that is not UTF-8 is parsed from its bytes, which names
    // where it goes wrong.
    let parsed = match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str::<Report>(text),
        Err(_) => serde_json::from_slice::<Report>(bytes),
    };
    match parsed {
        Ok(report) if report.schema_version <= SCHEMA_VERSION => return Ok(report),
        // A key given twice would be taken last-wins by the slow path: name it instead.
        Err(e) if e.to_string().starts_with("duplicate field") => {
            return Err(format!("not a report: {e}"))
        }
        _ => {}
    }
    parse_json_slow(bytes)
}

fn parse_json_slow(bytes: &[u8]) -> Result<Report, String> {
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
