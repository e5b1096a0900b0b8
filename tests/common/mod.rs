//! Where the tests find their data: the real published reports in `tests/data/real/` (sources in
//! its README) and the committed `sample_reports/`. Everything is located from the crate root,
//! so the tests run the same in any clone; a missing file fails the test, never skips it.
//! A test that runs the program on a directory works on a temporary copy, because the program
//! keeps a follow-up store beside the batch (`DIR/.report-review/`).
#![allow(dead_code)]

use report_review::model::Report;
use std::path::{Path, PathBuf};

fn crate_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/data/real/`, the real reports (text dumps, and `pdf/` with the published PDFs).
pub fn real_dir() -> PathBuf {
    crate_root().join("tests/data/real")
}

/// The path of one real report, e.g. `real_report("pingtan_2020.txt")` or
/// `real_report("pdf/huaian_shi_2024.pdf")`. Panics when the file is not there.
pub fn real_report(name: &str) -> PathBuf {
    let path = real_dir().join(name);
    assert!(
        path.is_file(),
        "test data missing: {} (the real reports live in tests/data/real/, see its README.md)",
        path.display()
    );
    path
}

/// The text of one real report.
pub fn real_text(name: &str) -> String {
    let path = real_report(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every real text dump (`tests/data/real/*.txt`), sorted; panics unless all eight are there.
pub fn real_text_dumps() -> Vec<PathBuf> {
    let dir = real_dir();
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("test data missing: {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    assert_eq!(
        v.len(),
        8,
        "expected the 8 real reports in {}",
        dir.display()
    );
    v
}

/// A file of reference data in `tests/data/`, e.g. `data_text("rule_catalogue.md")`.
pub fn data_text(name: &str) -> String {
    let path = crate_root().join("tests/data").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("test data missing: {}: {e}", path.display()))
}

/// `sample_reports/`, the committed JSON of the real reports. Read single files from it; to
/// run the program on the batch, use [`temp_copy_of_samples`].
pub fn samples_dir() -> PathBuf {
    crate_root().join("sample_reports")
}

/// One committed sample report, e.g. `sample("平潭综合实验区_2020.json")`. Panics when missing.
pub fn sample(name: &str) -> PathBuf {
    let path = samples_dir().join(name);
    assert!(path.is_file(), "sample report missing: {}", path.display());
    path
}

/// A temporary directory holding a copy of the sample reports (the JSON files only, so no
/// follow-up store or pairing choice left in the working tree can change a test's outcome, and
/// nothing the test makes the program write lands in the repository).
pub fn temp_copy_of_samples() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for e in std::fs::read_dir(samples_dir()).expect("sample_reports/") {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
            n += 1;
        }
    }
    assert_eq!(n, 8, "expected the 8 sample reports in sample_reports/");
    dir
}

/// The number of cell `key` of a parsed report; panics naming the file when the cell is
/// missing or not a number.
pub fn num(r: &Report, key: &str) -> f64 {
    r.cell(key)
        .unwrap_or_else(|| panic!("{} has no cell {key}", r.source.file_name))
        .number
        .unwrap_or_else(|| panic!("{} {key} is not a number", r.source.file_name))
}

/// Table 4 in printed order: 行政复议 ×5, 未经复议直接起诉 ×5, 复议后起诉 ×5.
pub fn assert_t4(r: &Report, expected: [f64; 15]) {
    let groups = ["review", "lit_direct", "lit_after_review"];
    let cols = ["upheld", "corrected", "other", "pending", "total"];
    for (g, group) in groups.iter().enumerate() {
        for (c, col) in cols.iter().enumerate() {
            let key = format!("T4.{group}.{col}");
            assert_eq!(
                num(r, &key),
                expected[g * 5 + c],
                "{} {key}",
                r.source.file_name
            );
        }
    }
}
