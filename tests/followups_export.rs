//! `followups export`: XLSX read back with calamine, CSV with its BOM, formula injection
//! neutralised, JSON and Markdown, and no file replaced without --force.

use calamine::{open_workbook, Data, Reader, Xlsx};
use std::path::PathBuf;
use std::process::{Command, Output};

const SAMPLE: &str = "sample_reports/余姚市三七市镇_2020.json";
const KEY: &str = "余姚市三七市镇/2020";

struct Fixture {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    out: PathBuf,
}

fn cmd(f: &Fixture) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_report-review"));
    c.env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("REPORT_REVIEW_NAME")
        .env("XDG_DATA_HOME", f.out.join("xdg"))
        .arg("followups")
        .arg(&f.dir);
    c
}

fn run(f: &Fixture, args: &[&str]) -> Output {
    let out = cmd(f).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A batch with the sample report (one error, SEC-MISSING@S6, and some warnings) and marks
/// whose notes and names try formula injection.
fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("batch");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(SAMPLE, dir.join("余姚市三七市镇_2020.json")).unwrap();
    let f = Fixture {
        _tmp: tmp,
        dir,
        out,
    };
    run(
        &f,
        &[
            "mark",
            "--report",
            KEY,
            "--rule",
            "SEC-MISSING",
            "--state",
            "dismissed",
            "--note",
            "=HYPERLINK(\"http://evil\",\"x\")",
            "--name",
            "@张三",
        ],
    );
    run(
        &f,
        &[
            "mark",
            "--report",
            KEY,
            "--cell",
            "T3.R1.C1",
            "--state",
            "confirmed",
            "--note",
            "+1+1",
        ],
    );
    run(
        &f,
        &[
            "mark",
            "--report",
            KEY,
            "--section",
            "S5",
            "--state",
            "open",
            "--note",
            "-2+3",
        ],
    );
    run(
        &f,
        &[
            "mark", "--report", KEY, "--state", "resolved", "--note", "-3",
        ],
    );
    f
}

fn s(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(x) => x.to_string(),
        Data::Int(x) => x.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[test]
fn xlsx_has_followups_and_all_findings_with_status() {
    let f = fixture();
    let path = f.out.join("跟进.xlsx");
    run(&f, &["export", "--out", path.to_str().unwrap()]);
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), ["跟进 followups", "问题 findings"]);

    let follow = wb.worksheet_range("跟进 followups").unwrap();
    let rows: Vec<Vec<String>> = follow.rows().map(|r| r.iter().map(s).collect()).collect();
    assert_eq!(rows[0][0], "报告 report");
    assert_eq!(rows.len(), 1 + 4, "{rows:?}");
    let col = |name: &str| rows[0].iter().position(|h| h.contains(name)).unwrap();
    let row_of = |place: &str| rows.iter().find(|r| r[col("place")] == place).unwrap();
    let dismissed = row_of("SEC-MISSING@S6");
    assert_eq!(dismissed[col("report")], KEY);
    assert_eq!(dismissed[col("year")], "2020");
    assert_eq!(dismissed[col("state")], "已排除 dismissed");
    assert_eq!(dismissed[col("note")], "'=HYPERLINK(\"http://evil\",\"x\")");
    assert_eq!(dismissed[col("reviewer")], "'@张三");
    assert!(!dismissed[col("login")].is_empty());
    assert!(dismissed[col("report status")].contains("waived"));
    assert_eq!(row_of("T3.R1.C1")[col("note")], "'+1+1");
    assert_eq!(row_of("S5")[col("note")], "'-2+3");
    assert_eq!(
        row_of("(report)")[col("note")],
        "-3",
        "a plain number stays"
    );

    let findings = wb.worksheet_range("问题 findings").unwrap();
    let rows: Vec<Vec<String>> = findings.rows().map(|r| r.iter().map(s).collect()).collect();
    let col = |name: &str| rows[0].iter().position(|h| h.contains(name)).unwrap();
    let body = &rows[1..];
    assert!(body.len() >= 2, "{rows:?}");
    for r in body {
        assert_eq!(r[col("report")], KEY);
        assert_eq!(r[col("raw status")], "fail");
        assert_eq!(r[col("waived")], "yes");
        assert_ne!(r[col("报告状态 status")], "fail");
    }
    let sec = body
        .iter()
        .find(|r| r[col("rule")] == "SEC-MISSING")
        .unwrap();
    assert_eq!(sec[col("location")], "S6");
    assert_eq!(sec[col("severity")], "error");
    assert_eq!(sec[col("follow-up")], "已排除 dismissed");
}

#[test]
fn csv_opens_with_its_bom_and_neutralises_formulas() {
    let f = fixture();
    let path = f.out.join("followups.csv");
    run(
        &f,
        &["export", "--format", "csv", "--out", path.to_str().unwrap()],
    );
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "报告 report");
    let note = headers.iter().position(|h| h == "说明 note").unwrap();
    let reviewer = headers.iter().position(|h| h == "核查人 reviewer").unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 4);
    let notes: Vec<&str> = records.iter().map(|r| &r[note]).collect();
    for want in ["'=HYPERLINK(\"http://evil\",\"x\")", "'+1+1", "'-2+3", "-3"] {
        assert!(notes.contains(&want), "{want} in {notes:?}");
    }
    assert!(records.iter().any(|r| &r[reviewer] == "'@张三"));
    // No cell begins with a formula character unless neutralised.
    for r in &records {
        for c in r.iter() {
            if c.starts_with(['=', '+', '@']) || (c.starts_with('-') && c != "-3") {
                panic!("unneutralised cell {c:?}");
            }
        }
    }
}

#[test]
fn json_and_markdown_exports() {
    let f = fixture();
    let json = f.out.join("f.json");
    run(&f, &["export", "--out", json.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let follow = v["followups"].as_array().unwrap();
    assert_eq!(follow.len(), 4);
    let dismissed = follow.iter().find(|r| r["state"] == "dismissed").unwrap();
    assert_eq!(
        dismissed["note"], "=HYPERLINK(\"http://evil\",\"x\")",
        "JSON keeps text as is"
    );
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["waived"] == true));

    let md = f.out.join("f.md");
    run(&f, &["export", "--out", md.to_str().unwrap()]);
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("| 报告 report |"), "{text}");
    assert!(text.contains("已排除 dismissed 1"), "{text}");
    assert!(text.contains("SEC-MISSING@S6"));
}

#[test]
fn exports_never_overwrite_without_force() {
    let f = fixture();
    let path = f.out.join("existing.csv");
    std::fs::write(&path, "keep me").unwrap();
    let out = cmd(&f)
        .args(["export", "--out", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
    run(&f, &["export", "--out", path.to_str().unwrap(), "--force"]);
    assert!(std::fs::read(&path).unwrap().starts_with(b"\xEF\xBB\xBF"));
    let stray: Vec<_> = std::fs::read_dir(&f.out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    let out = cmd(&f)
        .args(["export", "--out", f.out.join("x.pdf").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `--out` naming a symbolic link or a FIFO is refused with its reason, even with --force:
/// the link is not replaced and its target is not written.
#[cfg(unix)]
#[test]
fn exports_refuse_links_and_fifos_even_with_force() {
    let f = fixture();
    let victim = f.out.join("victim.txt");
    std::fs::write(&victim, "VICTIM").unwrap();
    let link = f.out.join("link.csv");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let fifo = f.out.join("pipe.csv");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for (target, reason) in [(&link, "symbolic link"), (&fifo, "FIFO")] {
        let out = cmd(&f)
            .args(["export", "--out", target.to_str().unwrap(), "--force"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(reason), "{err}");
    }
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "VICTIM");
}

/// The message after an export counts only what is in the file: CSV and Markdown hold the
/// follow-ups only; XLSX and JSON the findings too.
#[test]
fn the_export_message_counts_only_rows_in_the_file() {
    let f = fixture();
    for (name, findings) in [
        ("a.csv", false),
        ("a.md", false),
        ("a.xlsx", true),
        ("a.json", true),
    ] {
        let path = f.out.join(name);
        let out = run(&f, &["export", "--out", path.to_str().unwrap()]);
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("follow-ups"), "{name}: {said}");
        assert_eq!(said.contains("finding rows"), findings, "{name}: {said}");
    }
}
