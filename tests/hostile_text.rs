//! A hostile report — escape and OSC sequences, C1 controls, bidi overrides and zero-width
//! characters in its agency, title and prose; an agency and a title that start with `=` —
//! produces no control character and no live spreadsheet formula in any output of any
//! command: check (table, JSON, CSV), compare (table, JSON), followups list (table, JSON)
//! and export (CSV, Markdown, XLSX), and import's report lines.

use report_review::sanitize::is_unsafe;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ESC_TITLE: &str = "\u{1b}]0;pwned\u{7}";
const OSC52: &str = "\u{1b}]52;c;ZXZpbA==\u{7}";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_report-review"))
}

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_reports")
}

/// 三七市镇 2020 with hostile text everywhere a report carries text, and 平潭 2019 beside it.
fn hostile_batch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = samples().join("余姚市三七市镇_2020.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(src).unwrap()).unwrap();
    v["agency"] =
        format!("=cmd|' /C calc'!A0{ESC_TITLE}三七\u{202e}市镇\u{9b}2J\u{85}\u{200b}").into();
    v["agency_key"] = format!("余姚\u{200b}市三七市镇{OSC52}").into();
    v["title"] = format!("=HYPERLINK(\"http://evil\",\"报告\"){ESC_TITLE}\u{2066}").into();
    for sec in v["sections"].as_array_mut().unwrap() {
        sec["heading"] = format!("{}\u{1b}[31m\u{202d}", sec["heading"].as_str().unwrap()).into();
        for l in sec["lines"].as_array_mut().unwrap() {
            let t = l["text"].as_str().unwrap();
            l["text"] = format!(
                "\u{1b}]8;;http://evil\u{1b}\\{t}\u{1b}]8;;\u{1b}\\{OSC52}\u{9d}0;x\u{9c}\u{202e}"
            )
            .into();
        }
    }
    for row in v["table3"]["rows"].as_array_mut().unwrap() {
        row["label"] = format!("@SUM(A1){}\u{1b}[1m", row["label"].as_str().unwrap()).into();
    }
    std::fs::write(
        dir.path().join("余姚市三七市镇_2020.json"),
        serde_json::to_string(&v).unwrap(),
    )
    .unwrap();
    std::fs::copy(
        samples().join("平潭综合实验区_2019.json"),
        dir.path().join("平潭综合实验区_2019.json"),
    )
    .unwrap();
    dir
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.env("LANG", "C").output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// No unsafe character but line ends (and the byte-order mark that opens a CSV file for
/// Excel).
fn assert_clean(what: &str, text: &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((i, c)) = text
        .char_indices()
        .find(|(_, c)| is_unsafe(*c) && !matches!(c, '\n' | '\r'))
    {
        let from = text[..i].char_indices().rev().nth(20).map_or(0, |(j, _)| j);
        panic!(
            "{what}: {c:?} in output near {:?}",
            &text[from..(i + c.len_utf8()).min(text.len())]
        );
    }
}

fn assert_clean_output(what: &str, out: &Output) {
    assert_clean(what, &String::from_utf8_lossy(&out.stdout));
    assert_clean(
        &format!("{what} (stderr)"),
        &String::from_utf8_lossy(&out.stderr),
    );
}

/// Every string in a JSON document is clean (serde escapes controls in the text, so the
/// text alone would not show whether they were removed).
fn assert_clean_json(what: &str, v: &Value) {
    match v {
        Value::String(s) => assert_clean(what, s),
        Value::Array(a) => a.iter().for_each(|x| assert_clean_json(what, x)),
        Value::Object(o) => o.iter().for_each(|(k, x)| {
            assert_clean(what, k);
            assert_clean_json(what, x)
        }),
        _ => {}
    }
}

/// A spreadsheet cell that a spreadsheet would evaluate.
fn live_formula(cell: &str) -> bool {
    let plain_number = cell.parse::<f64>().is_ok();
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_number
}

fn assert_no_formula_csv(what: &str, bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut cells = 0;
    for rec in rd.records() {
        for cell in rec.unwrap().iter() {
            cells += 1;
            assert!(!live_formula(cell), "{what}: live formula {cell:?}");
        }
    }
    assert!(cells > 20, "{what}: only {cells} cells");
}

fn contains_agency(text: &str) -> bool {
    text.contains("三七市镇")
}

#[test]
fn check_outputs_are_clean() {
    let dir = hostile_batch();
    let table = run(bin().arg("check").arg(dir.path()));
    assert_clean_output("check table", &table);
    assert!(contains_agency(&String::from_utf8_lossy(&table.stdout)));

    let json = run(bin()
        .arg("check")
        .arg(dir.path())
        .args(["--format", "json"]));
    assert_clean_output("check json", &json);
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_clean_json("check json", &v);
    assert!(v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["agency"].as_str().unwrap().starts_with("=cmd")));

    let csv = run(bin().arg("check").arg(dir.path()).args(["--format", "csv"]));
    assert_clean_output("check csv", &csv);
    assert_no_formula_csv("check csv", &csv.stdout);
    assert!(String::from_utf8_lossy(&csv.stdout).contains("'=cmd"));
}

#[test]
fn compare_outputs_are_clean() {
    let dir = hostile_batch();
    let old = dir.path().join("平潭综合实验区_2019.json");
    let new = dir.path().join("余姚市三七市镇_2020.json");
    let table = run(bin().arg("compare").arg(&old).arg(&new).args(["--all"]));
    assert_clean_output("compare table", &table);
    assert!(contains_agency(&String::from_utf8_lossy(&table.stdout)));
    let json = run(bin()
        .arg("compare")
        .arg(&old)
        .arg(&new)
        .args(["--format", "json"]));
    assert_clean_output("compare json", &json);
    assert_clean_json(
        "compare json",
        &serde_json::from_slice(&json.stdout).unwrap(),
    );
}

fn followups(dir: &Path) -> Command {
    let mut c = bin();
    c.arg("followups").arg(dir);
    c
}

#[test]
fn followup_outputs_are_clean() {
    let dir = hostile_batch();
    // The report key as the batch cleaned it.
    let key = "余姚市三七市镇/2020";
    run(followups(dir.path()).args([
        "mark",
        "--report",
        key,
        "--state",
        "confirmed",
        "--note",
        "=1+1 see\u{1b}[31m red",
    ]));
    let marked = run(followups(dir.path()).args([
        "mark",
        "--report",
        key,
        "--rule",
        "SEC-MISSING",
        "--state",
        "open",
    ]));
    assert_clean_output("followups mark", &marked);

    let list = run(followups(dir.path()).args(["list"]));
    assert_clean_output("followups list", &list);
    assert!(String::from_utf8_lossy(&list.stdout).contains(key));
    let list = run(followups(dir.path()).args(["list", "--format", "json"]));
    assert_clean_output("followups list json", &list);
    let v: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_clean_json("followups list json", &v);
    assert_eq!(v.as_array().unwrap().len(), 2);

    let out = tempfile::tempdir().unwrap();
    for ext in ["csv", "md", "xlsx"] {
        let file = out.path().join(format!("f.{ext}"));
        let done = run(followups(dir.path()).args(["export", "--out"]).arg(&file));
        assert_clean_output(&format!("export {ext} (messages)"), &done);
        let bytes = std::fs::read(&file).unwrap();
        match ext {
            "csv" => {
                assert_clean("export csv", &String::from_utf8_lossy(&bytes));
                assert_no_formula_csv("export csv", &bytes);
            }
            "md" => assert_clean("export md", &String::from_utf8_lossy(&bytes)),
            _ => {
                use calamine::{Reader, Xlsx};
                let mut wb: Xlsx<_> = calamine::open_workbook(&file).unwrap();
                let mut cells = 0;
                for name in wb.sheet_names() {
                    let range = wb.worksheet_range(&name).unwrap();
                    for c in range.used_cells() {
                        let s = c.2.to_string();
                        cells += 1;
                        assert_clean("export xlsx", &s);
                        assert!(!live_formula(&s), "export xlsx: live formula {s:?}");
                    }
                }
                assert!(cells > 20, "export xlsx: only {cells} cells");
            }
        }
    }
}

#[test]
fn import_lines_are_clean() {
    let dir = tempfile::tempdir().unwrap();
    // A file whose name and content carry escapes: neither reaches the terminal raw.
    let name = format!("坏\u{1b}[2J{ESC_TITLE}\u{202e}.txt");
    std::fs::write(
        dir.path().join(&name),
        format!("{OSC52}=HYPERLINK(\"x\")\n\u{9b}2J not a report\n"),
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let out = bin()
        .arg("import")
        .arg(dir.path().join(&name))
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_clean_output("import", &out);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("坏"), "the file is named: {all}");
}
