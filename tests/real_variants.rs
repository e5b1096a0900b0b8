//! Real reports as published, varied the ways real pages vary: number forms (footnote marks,
//! full-width digits, units, signs, text in a number cell), a repeated row, encodings. Every
//! variant starts from a real report in tests/data/real/ and is compared with the published
//! figures (tests/data/real/*.txt as published; hand-checked facts in the comments).

use report_review::check::{check_report, Config, Finding, Outcome};
use report_review::i18n::Lang;
use report_review::import::import_bytes;
use report_review::model::Report;
use std::path::Path;

fn real(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/real")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn import(name: &str, text: &str) -> Report {
    import_bytes(name, text.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn run(r: &Report) -> Vec<Finding> {
    check_report(r, &Config::default(), Lang::En)
}

fn run_zh(r: &Report) -> Vec<Finding> {
    check_report(r, &Config::default(), Lang::Zh)
}

/// The line index of the cell line `\t<label>` (first line whose cell text starts with it).
fn label_line(lines: &[String], label: &str, from: usize) -> usize {
    lines
        .iter()
        .enumerate()
        .skip(from)
        .position(|(_, l)| l.strip_prefix('\t').is_some_and(|c| c.starts_with(label)))
        .map(|i| i + from)
        .unwrap_or_else(|| panic!("no cell {label}"))
}

/// Replace value `col` (0-based) of the row labelled `label` with `new`.
fn set_cell(text: &str, label: &str, col: usize, new: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let at = label_line(&lines, label, 0) + 1 + col;
    assert!(
        lines[at].starts_with('\t'),
        "{label} col {col}: {:?}",
        lines[at]
    );
    lines[at] = format!("\t{new}");
    lines.join("\n") + "\n"
}

fn findings_of<'a>(fs: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    fs.iter().filter(|f| f.rule == rule).collect()
}

fn at<'a>(fs: &'a [Finding], rule: &str, loc: &str) -> &'a Finding {
    fs.iter()
        .find(|f| f.rule == rule && f.location == loc)
        .unwrap_or_else(|| panic!("no {rule} at {loc}: {fs:#?}"))
}

/// Rule@location of every finding, for comparing a variant with the report as published.
fn keys(fs: &[Finding]) -> Vec<String> {
    let mut k: Vec<String> = fs.iter().map(|f| f.key()).collect();
    k.sort();
    k
}

const HA24: &str = "huaian_shi_2024.txt";

// ---------------------------------------------------------------- number forms

#[test]
fn footnote_marks_full_width_and_thousands_read_as_the_number() {
    // 淮安市 2024: 一、本年新收 自然人 3001, 总计 3119 (3001+53+0+0+61+4).
    let base = real(HA24);
    let published = keys(&run(&import(HA24, &base)));
    for form in [
        "3001¹",
        "3001*",
        "3001①",
        "３００１",
        "3,001",
        "３，００１",
        " 3001 ",
    ] {
        let text = set_cell(&base, "一、本年新收", 0, form);
        let r = import(HA24, &text);
        let v = r.cell("T3.R1.C1").unwrap();
        assert_eq!(v.number, Some(3001.0), "{form}");
        assert_eq!(v.raw.trim(), form.trim());
        assert_eq!(keys(&run(&r)), published, "{form}: findings changed");
        if form.starts_with("3001") && form.len() > 4 && !form.contains(',') {
            assert!(v.note.as_deref().unwrap().contains("footnote"), "{form}");
            assert!(r.notes.iter().any(|n| n.message.contains("T3.R1.C1")));
        }
    }
}

#[test]
fn split_digits_two_numbers_and_text_are_findings_and_the_rest_is_checked() {
    let base = real(HA24);
    for (form, why) in [
        ("30 01", "space between digits"),
        ("21/3", "two numbers"),
        ("约21", "is text"),
    ] {
        // 表三 （一）予以公开 法人·商业企业 21 (1288+21+0+0+50+3 = 1362).
        let text = set_cell(&base, "（一）予以公开", 1, form);
        // Once one odd cell failed the whole import ("table 3 is truncated").
        let r = import(HA24, &text);
        assert_eq!(
            r.table3.as_ref().unwrap().row("R3_1").unwrap().cells.len(),
            7
        );
        let fs = run(&r);
        let f = at(&fs, "FMT-NUMBER", "T3.R3_1.C2");
        assert!(f.message.contains(why), "{form}: {}", f.message);
        assert_eq!(f.outcome, Outcome::Fail);
        // The rules that need the cell cannot be assessed; nothing claims a mismatch.
        let row = at(&fs, "T3-ROW", "T3.R3_1.C7");
        assert_eq!(row.outcome, Outcome::NotAssessable);
        assert_eq!(
            at(&fs, "T3-RES", "T3.R3_7.C2").outcome,
            Outcome::NotAssessable
        );
        // The other columns are still checked and still balance: 3119 + 34 = 3050 + 103.
        assert!(findings_of(&fs, "T3-RES")
            .iter()
            .all(|f| f.outcome == Outcome::NotAssessable));
        assert!(findings_of(&fs, "T3-BAL").is_empty(), "{form}");
        assert!(findings_of(&fs, "T3-INT").is_empty(), "{form}");
        // Prose, table 2 and table 4 are read as before.
        let published = import(HA24, &base);
        assert_eq!(r.table4, published.table4);
        assert_eq!(r.table2, published.table2);
        assert_eq!(r.sections, published.sections);
    }
    // 7 8 was once read as 78.
    let text = set_cell(&base, "（一）予以公开", 1, "7 8");
    assert_eq!(import(HA24, &text).cell("T3.R3_1.C2").unwrap().number, None);
}

#[test]
fn text_in_table_4_is_a_finding_not_a_lost_table() {
    // 淮安市 2024 table 4: the first of the 15 cells set to text.
    let base = real(HA24);
    let lines: Vec<&str> = base.lines().collect();
    let head = lines.iter().rposition(|l| *l == "\t尚未审结").unwrap();
    let i = head
        + lines[head..]
            .iter()
            .position(|l| l.len() > 1 && l[1..].chars().all(|c| c.is_ascii_digit()))
            .unwrap();
    let mut changed: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    // 行政复议 结果维持 as published (淮安市 2024: 72).
    assert_eq!(changed[i], "\t72");
    changed[i] = "\t见说明".into();
    let r = import(HA24, &(changed.join("\n") + "\n"));
    let t4 = r.table4.as_ref().expect("table 4 kept");
    assert_eq!(t4.rows.len(), 3);
    let fs = run(&r);
    let f = at(&fs, "FMT-NUMBER", "T4.review.upheld");
    assert!(f.message.contains("见说明"));
    assert_eq!(
        at(&fs, "T4-SUM", "T4.review.total").outcome,
        Outcome::NotAssessable
    );
}

#[test]
fn signed_deltas_in_every_printed_form() {
    // 平潭 2020 table 2: 本年增/减 -18 (INDEX.md), the same findings in every form.
    let name = "pingtan_2020.txt";
    let base = real(name);
    let published_report = import(name, &base);
    let key = published_report
        .table2
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .find(|c| c.value.raw.trim() == "-18")
        .map(|c| c.key.clone())
        .expect("a -18 cell");
    let published = keys(&run(&published_report));
    for form in ["－18", "(18)", "（18）", "−18", "减少18"] {
        let text = base.replacen("\t-18\n", &format!("\t{form}\n"), 1);
        let r = import(name, &text);
        assert_eq!(r.cell(&key).unwrap().number, Some(-18.0), "{form}");
        assert_eq!(keys(&run(&r)), published, "{form}");
    }
}

#[test]
fn money_units_are_converted_and_the_printed_text_kept() {
    // 淮安市 2024 a8 收费金额 96171.6 万元 printed as 亿元 / 元.
    let base = real(HA24);
    for (form, unit) in [("9.61716亿元", "亿元"), ("961716000元", "元")] {
        let text = set_cell(&base, "行政事业性收费", 0, form);
        let r = import(HA24, &text);
        let v = r.cell("T2.a8.行政事业性收费.amount_wan").unwrap();
        assert!((v.number.unwrap() - 96171.6).abs() < 1e-6, "{form}: {v:?}");
        assert_eq!(v.raw, form);
        assert_eq!(v.unit.as_deref(), Some(unit));
        let fs = run(&r);
        // Not in the template's unit: the unit rule says so, with the printed unit.
        let f = at(&fs, "T2-21-A8-UNIT", "T2.a8.行政事业性收费.amount_wan");
        assert_eq!(f.actual.as_deref(), Some(unit));
        assert!(findings_of(&fs, "T2-21-INT").is_empty());
        assert!(findings_of(&fs, "FMT-NUMBER").is_empty());
    }
    // 三七市镇 2020 a9 采购总金额 `22.64万元` [INDEX]: kept in 元.
    let name = "sanqishizhen_2020.txt";
    let r = import(name, &real(name));
    let v = r.cell("T2.a9.政府集中采购.amount").unwrap();
    assert_eq!(v.raw, "22.64万元");
    assert_eq!(v.number, Some(226400.0));
    // 平潭 2019 a9 `75394432.52元`; the unit may stand in the header instead.
    let name = "pingtan_2019.txt";
    let base = real(name);
    let r = import(name, &base);
    assert_eq!(
        r.cell("T2.a9.政府集中采购.amount").unwrap().number,
        Some(75394432.52)
    );
    let published = keys(&run(&r));
    let text = base
        .replacen("\t采购总金额\n", "\t采购总金额（万元）\n", 1)
        .replacen("\t75394432.52元\n", "\t7539.443252\n", 1);
    let r = import(name, &text);
    let v = r.cell("T2.a9.政府集中采购.amount").unwrap();
    assert!((v.number.unwrap() - 75394432.52).abs() < 1e-3, "{v:?}");
    assert_eq!(v.unit.as_deref(), Some("万元"));
    assert_eq!(keys(&run(&r)), published);
}

#[test]
fn sums_too_large_are_not_assessable_never_infinite() {
    let base = real(HA24);
    let huge = format!("1{}", "0".repeat(308));
    let text = set_cell(&base, "（一）予以公开", 0, &huge);
    let text = set_cell(&text, "（二）部分公开", 0, &huge);
    let fs = run(&import(HA24, &text));
    let f = at(&fs, "T3-RES", "T3.R3_7.C1");
    assert_eq!(f.outcome, Outcome::NotAssessable);
    assert!(
        f.message.contains("more than can be computed"),
        "{}",
        f.message
    );
    assert!(fs.iter().all(|f| !f.message.contains("inf")), "{fs:#?}");
}

#[test]
fn a_repeated_row_is_kept_flagged_and_checked() {
    // 淮安市 2024 （一）予以公开 printed twice.
    let base = real(HA24);
    let lines: Vec<String> = base.lines().map(String::from).collect();
    let start = label_line(&lines, "（一）予以公开", 0);
    let end = start + 8; // label + 7 values, then the blank line ending the row
    let mut copy: Vec<String> = lines[start..=end].to_vec();
    let mut with_copy = lines.clone();
    with_copy.splice(end + 1..end + 1, copy.clone());
    let r = import(HA24, &(with_copy.join("\n") + "\n"));
    let t3 = r.table3.as_ref().unwrap();
    assert!(t3.row("R3_1#2").is_some());
    assert!(r.notes.iter().any(|n| n.message.contains("R3_1#2")));
    let fs = run(&r);
    let f = at(&fs, "TBL-DUP-ROW", "T3.R3_1#2");
    assert!(f.message.contains("same values"), "{}", f.message);
    // The sums read the first copy: the published table still balances.
    assert!(findings_of(&fs, "T3-RES").is_empty());
    assert!(findings_of(&fs, "T3-ROW").is_empty());
    // A copy with other numbers: both copies' values named, and the copy's row total checked.
    copy[1] = "\t1300".into();
    let mut with_copy = lines.clone();
    with_copy.splice(end + 1..end + 1, copy);
    let fs = run(&import(HA24, &(with_copy.join("\n") + "\n")));
    let f = at(&fs, "TBL-DUP-ROW", "T3.R3_1#2");
    assert!(f.message.contains("C1 1288 / 1300"), "{}", f.message);
    let row = at(&fs, "T3-ROW", "T3.R3_1#2.C7");
    assert_eq!(row.expected.as_deref(), Some("1374"));
    assert_eq!(row.actual.as_deref(), Some("1362"));
}

// ---------------------------------------------------------------- encodings

#[test]
fn utf8_with_a_few_invalid_bytes_stays_utf8() {
    let base = real(HA24);
    let published = import(HA24, &base);
    let mut bytes = Vec::new();
    for (i, line) in base.lines().enumerate() {
        bytes.extend_from_slice(line.as_bytes());
        if i == 2 || i == 9 {
            bytes.push(0xFF); // a stray byte at the end of two prose lines
        }
        bytes.push(b'\n');
    }
    let r = import_bytes(HA24, &bytes).expect("still a report");
    assert_eq!(r.source.encoding, "UTF-8");
    assert_eq!(r.agency, published.agency);
    assert_eq!(r.table3, published.table3);
    let note = &r.notes[0];
    assert!(note.message.contains("line(s) 3, 10"), "{}", note.message);
    assert_eq!(keys(&run(&r)), keys(&run(&published)));
}

#[test]
fn utf16_with_a_bom_in_both_byte_orders() {
    let base = real(HA24);
    let published = import(HA24, &base);
    let units: Vec<u16> = base.encode_utf16().collect();
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(units.iter().flat_map(|u| u.to_le_bytes()))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(units.iter().flat_map(|u| u.to_be_bytes()))
        .collect();
    for (bytes, name) in [(le, "UTF-16LE (BOM)"), (be, "UTF-16BE (BOM)")] {
        let r = import_bytes(HA24, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(r.source.encoding, name);
        assert_eq!(r.table3, published.table3);
        assert_eq!(r.sections, published.sections);
    }
}

#[test]
fn json_report_with_a_bom() {
    let r = import(HA24, &real(HA24));
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(serde_json::to_vec(&r).unwrap());
    let back = report_review::batch::parse_json(&bytes).expect("BOM accepted");
    assert_eq!(back, r);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("淮安市人民政府_2024.json");
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(report_review::batch::load_path(&path).unwrap(), r);
}

#[test]
fn zh_messages_for_the_new_findings() {
    let text = set_cell(&real(HA24), "（一）予以公开", 1, "7 8");
    let fs = run_zh(&import(HA24, &text));
    assert!(at(&fs, "FMT-NUMBER", "T3.R3_1.C2")
        .message
        .contains("数字中间有空格"));
}

// ---------------------------------------------------------------- blank cells

/// Line indices of the first value of every table row with exactly `n` number cells in a
/// row (table 3 rows: 7).
fn value_runs(text: &str, n: usize) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let numeric = |l: &str| {
        l.strip_prefix('\t')
            .is_some_and(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit()))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if numeric(lines[i]) {
            let start = i;
            while i < lines.len() && numeric(lines[i]) {
                i += 1;
            }
            if i - start == n {
                out.push(start);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Blank the given columns (0-based) of the given table-3 rows (indices into `value_runs`).
fn blank_t3(text: &str, rows: impl Fn(usize) -> bool, cols: &[usize]) -> String {
    let runs = value_runs(text, 7);
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for (i, start) in runs.iter().enumerate() {
        if rows(i) {
            for c in cols {
                lines[start + c] = "\t".into();
            }
        }
    }
    lines.join("\n") + "\n"
}

fn table_output(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_report-review"))
        .args(["check", dir.path().to_str().unwrap(), "--lang", "en"])
        .output()
        .unwrap();
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn a_few_blank_cells_are_one_finding_per_row_and_count_as_zero() {
    // 淮安市 2024 （三）1.属于国家秘密: 2 0 0 0 0 0 2 — the five zeros left blank.
    let base = real(HA24);
    let runs = value_runs(&base, 7);
    assert_eq!(runs.len(), 25, "2021 table 3: 25 data rows");
    let row = 4; // R1, R2, R3_1, R3_2, R3_3_1
    let text = blank_t3(&base, |i| i == row, &[1, 2, 3, 4, 5]);
    let r = import(HA24, &text);
    assert!(r.cell("T3.R3_3_1.C2").unwrap().blank);
    let fs = run(&r);
    let blank = findings_of(&fs, "FMT-BLANK");
    assert_eq!(blank.len(), 1, "{blank:#?}");
    assert_eq!(blank[0].location, "T3.R3_3_1");
    assert_eq!(blank[0].cells.len(), 5);
    assert!(
        blank[0].message.contains("C2, C3, C4, C5, C6"),
        "{}",
        blank[0].message
    );
    // 2 + 0 + … = 2: nothing else changes.
    let mut published = keys(&run(&import(HA24, &base)));
    published.push("FMT-BLANK@T3.R3_3_1".into());
    published.sort();
    assert_eq!(keys(&fs), published);
}

#[test]
fn a_blank_total_column_is_read_as_the_rows_sums() {
    // 淮安市 2024 with 总计 left blank in every row: the rows' own columns give the published
    // totals (3119 + 34 = 3050 + 103), so nothing but the blanks is reported.
    let base = real(HA24);
    let published = run(&import(HA24, &base));
    let text = blank_t3(&base, |_| true, &[6]);
    let r = import(HA24, &text);
    let fs = run(&r);
    let blank = findings_of(&fs, "FMT-BLANK");
    assert_eq!(blank.len(), 1, "{blank:#?}");
    assert_eq!(blank[0].location, "T3.*.C7");
    assert_eq!(blank[0].cells.len(), 25);
    // T3-ROW's own operand is the blank total: not assessable, never a failure.
    let rows = findings_of(&fs, "T3-ROW");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|f| f.outcome == Outcome::NotAssessable));
    assert_eq!(
        at(&fs, "T3-ROW", "T3.R1.C7").outcome,
        Outcome::NotAssessable
    );
    let others: Vec<String> = keys(&fs)
        .into_iter()
        .filter(|k| !k.starts_with("FMT-BLANK@") && !k.starts_with("T3-ROW@"))
        .collect();
    assert_eq!(others, keys(&published), "no false finding");
    // A real mismatch in the prose is measured against the rows' sum, and says so.
    let wrong = text.replacen("申请 3119 件", "申请 3120 件", 1);
    assert_ne!(wrong, text);
    let fs = run(&import(HA24, &wrong));
    let f = at(&fs, "TXT-APP-NEW", "S1:L31");
    assert_eq!(f.expected.as_deref(), Some("3119 | 3153"));
    assert_eq!(f.actual.as_deref(), Some("3120"));
    assert!(f.message.contains("总计 column blank"), "{}", f.message);
    let fs = run_zh(&import(HA24, &wrong));
    let f = at(&fs, "TXT-APP-NEW", "S1:L31");
    assert!(
        f.message.contains("总计列空白，按各列之和"),
        "{}",
        f.message
    );
}

#[test]
fn blank_totals_of_the_result_rows_beside_a_printed_grand_total() {
    // The case: 总计 blank on every 办理结果 row, （七）总计 printed (3050).
    let base = real(HA24);
    let runs = value_runs(&base, 7);
    let r37 = runs.len() - 2; // …, R3_7, R4
    let text = blank_t3(&base, |i| (2..r37).contains(&i), &[6]);
    let fs = run(&import(HA24, &text));
    // Once: T3-RES (7) total = (1)+…+(6): 3050 ≠ 0.
    assert!(findings_of(&fs, "T3-RES").is_empty(), "{fs:#?}");
    assert!(findings_of(&fs, "T3-BAL").is_empty());
    assert_eq!(findings_of(&fs, "FMT-BLANK").len(), 1);
    // A real mismatch is reported against the rows' sum, not against 0.
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let mut changed = lines.clone();
    changed[runs[2]] = "\t1289".into(); // （一）予以公开 自然人 1288 → 1289
    let fs = run(&import(HA24, &(changed.join("\n") + "\n")));
    let f = at(&fs, "T3-RES", "T3.R3_7.C7");
    assert_eq!(f.expected.as_deref(), Some("3051"));
    assert_eq!(f.actual.as_deref(), Some("3050"));
    assert!(f.message.contains("总计 column blank"), "{}", f.message);
    // （七）总计 自然人 as published: 2932.
    let c1 = at(&fs, "T3-RES", "T3.R3_7.C1");
    assert_eq!(
        (c1.expected.as_deref(), c1.actual.as_deref()),
        (Some("2933"), Some("2932"))
    );
}

#[test]
fn blank_legal_person_columns_are_one_finding_per_column() {
    // 平潭 2019: only 自然人 has applications (69); 法人 columns left empty in every row.
    let name = "pingtan_2019.txt";
    let base = real(name);
    let published = keys(&run(&import(name, &base)));
    let text = blank_t3(&base, |_| true, &[1, 2, 3, 4, 5]);
    let fs = run(&import(name, &text));
    let blank: Vec<&str> = findings_of(&fs, "FMT-BLANK")
        .iter()
        .map(|f| f.location.as_str())
        .collect();
    assert_eq!(
        blank,
        ["T3.*.C2", "T3.*.C3", "T3.*.C4", "T3.*.C5", "T3.*.C6"]
    );
    // The sums go on with 0: the table balances as published (no not-assessable T3-BAL).
    let others: Vec<String> = keys(&fs)
        .into_iter()
        .filter(|k| !k.starts_with("FMT-BLANK@"))
        .collect();
    assert_eq!(others, published);
    let out = table_output(name, &text);
    assert_eq!(out.matches("FMT-BLANK").count(), 5, "{out}");
}

#[test]
fn eighty_blank_cells_print_one_line_per_row() {
    // 平潭 2019: the five 法人 columns of 16 rows left empty (80 cells).
    let name = "pingtan_2019.txt";
    let text = blank_t3(&real(name), |i| i < 16, &[1, 2, 3, 4, 5]);
    let r = import(name, &text);
    let blanks = r
        .table3
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .filter(|c| c.value.blank)
        .count();
    assert_eq!(blanks, 80);
    let fs = run(&r);
    let f = findings_of(&fs, "FMT-BLANK");
    assert_eq!(f.iter().map(|f| f.cells.len()).sum::<usize>(), 80);
    let out = table_output(name, &text);
    let lines = out.lines().filter(|l| l.contains("FMT-BLANK")).count();
    assert!(lines <= 16, "{lines} lines: {out}");
    assert!(!out
        .lines()
        .any(|l| l.contains("error") && l.contains("not assessable")));
}

#[test]
fn a_whole_blank_table_is_one_finding() {
    // 三七市镇 2020 prints 0 in every cell of table 4 [INDEX]; left empty instead.
    let name = "sanqishizhen_2020.txt";
    let base = real(name);
    let runs = value_runs(&base, 15);
    assert_eq!(runs.len(), 1);
    let mut lines: Vec<String> = base.lines().map(String::from).collect();
    for l in &mut lines[runs[0]..runs[0] + 15] {
        *l = "\t".into();
    }
    let fs = run(&import(name, &(lines.join("\n") + "\n")));
    let blank = findings_of(&fs, "FMT-BLANK");
    assert_eq!(blank.len(), 1, "{blank:#?}");
    assert_eq!(blank[0].location, "T4");
    assert_eq!(blank[0].cells.len(), 15);
    assert!(findings_of(&fs, "T4-SUM").is_empty());
}

#[test]
fn no_output_prints_a_not_assessable_finding_as_an_error() {
    // 淮安市 2024 with 总计 blank: many T3-ROW not assessable, META-DEADLINE not assessable.
    let text = blank_t3(&real(HA24), |_| true, &[6]);
    let out = table_output(HA24, &text);
    let t3_row: Vec<&str> = out.lines().filter(|l| l.contains("T3-ROW")).collect();
    assert_eq!(t3_row.len(), 1, "one group line: {out}");
    assert!(
        t3_row[0].trim_start().starts_with("? not assessable"),
        "{}",
        t3_row[0]
    );
    assert!(t3_row[0].contains("T3 ("), "{}", t3_row[0]);
    for l in out.lines().filter(|l| l.contains("not assessable")) {
        assert!(!l.contains("error"), "{l}");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(HA24), &text).unwrap();
    for format in ["json", "csv"] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_report-review"))
            .args([
                "check",
                dir.path().to_str().unwrap(),
                "--format",
                format,
                "--lang",
                "en",
            ])
            .output()
            .unwrap();
        let s = String::from_utf8(o.stdout).unwrap();
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&s).unwrap();
            let fs = v["reports"][0]["findings"].as_array().unwrap();
            let na = fs
                .iter()
                .filter(|f| f["outcome"] == "not_assessable")
                .count();
            assert_eq!(v["summary"]["not_assessable"], na);
            assert!(na > 3);
            for f in fs.iter().filter(|f| f["outcome"] == "not_assessable") {
                assert_eq!(f["severity"], "not_assessable");
            }
            // JSON keeps every cell; the CSV groups them.
            assert!(fs.iter().filter(|f| f["rule"] == "T3-ROW").count() > 3);
        } else {
            let mut rd = csv::Reader::from_reader(s.trim_start_matches('\u{feff}').as_bytes());
            let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
            let t3_row: Vec<_> = rows.iter().filter(|r| &r[5] == "T3-ROW").collect();
            assert_eq!(t3_row.len(), 1);
            assert_eq!(&t3_row[0][6], "not_assessable");
            assert!(rows
                .iter()
                .all(|r| &r[7] != "not_assessable" || &r[6] == "not_assessable"));
        }
    }
}

// ---------------------------------------------------------------- what the prose counts

/// 淮安市 2024 with `sentence` added to the part of 一 it belongs to: after the line ending
/// `after` (a line of the published text).
fn with_sentence(after: &str, sentence: &str) -> Report {
    let base = real(HA24);
    let mut lines: Vec<String> = base.lines().map(String::from).collect();
    let at = lines.iter().position(|l| l.ends_with(after)).expect(after);
    lines.insert(at + 1, sentence.to_string());
    import(HA24, &(lines.join("\n") + "\n"))
}

/// In the 依申请公开 sub-part (its published paragraph ends 尚未审结 7 件。).
fn app_sentence(sentence: &str) -> Vec<Finding> {
    run(&with_sentence("尚未审结 7 件。", sentence))
}

/// In the 主动公开 sub-part (its published paragraph ends 回应舆论关切。).
fn t2_sentence(sentence: &str) -> Vec<Finding> {
    run(&with_sentence("回应舆论关切。", sentence))
}

fn published_keys() -> Vec<String> {
    keys(&run(&import(HA24, &real(HA24))))
}

#[test]
fn figures_about_documents_are_not_compared_with_applications() {
    // 淮安市 2024 table 3: 3119 applications. The published sentence replaced by a count of
    // documents published on request: not compared with the applications.
    let base = real(HA24);
    let published = "全市共受理政府信息公开申请 3119 件";
    assert!(base.contains(published));
    for s in [
        "全市共公开依申请公开信息 363 条",
        "全市共受理依申请公开信息 363 件",
        "全市共受理依申请公开的政府信息 363 件",
    ] {
        let fs = run(&import(HA24, &base.replacen(published, s, 1)));
        assert!(findings_of(&fs, "TXT-APP-NEW").is_empty(), "{s}: {fs:#?}");
        assert!(findings_of(&fs, "TXT-APP-RESULT").is_empty(), "{s}");
    }
    // An application count is still compared (and wrong here: 3119).
    let fs = run(&import(
        HA24,
        &base.replacen(published, "全市共受理政府信息公开申请 363 件", 1),
    ));
    let f = at(&fs, "TXT-APP-NEW", "S1:L31");
    assert_eq!(f.expected.as_deref(), Some("3119 | 3153"));
    assert_eq!(f.actual.as_deref(), Some("363"));
}

#[test]
fn a_group_named_by_one_of_its_rows_is_compared_with_both() {
    // 淮安市 2024 （四）无法提供: 1.本机关不掌握 769 + 2. 11 + 3. 1 = 781.
    for ok in [
        "因本机关不掌握等原因无法提供769件。",
        "因本机关不掌握等原因无法提供781件。",
    ] {
        assert_eq!(keys(&app_sentence(ok)), published_keys(), "{ok}");
    }
    let fs = app_sentence("因本机关不掌握等原因无法提供770件。");
    let f = at(&fs, "TXT-APP-RESULT", "S1:L37");
    assert_eq!(f.expected.as_deref(), Some("781 | 769"));
    assert_eq!(f.actual.as_deref(), Some("770"));
    assert!(
        f.message.contains("= 781") && f.message.contains("= 769"),
        "{}",
        f.message
    );
    assert!(f.cells.contains(&"T3.R3_4_1.C7".to_string()));
}

#[test]
fn a_category_word_naming_another_group_is_an_info_saying_which() {
    // 不掌握 cases called 不予公开: 769 is the 无法提供 row 1.本机关不掌握 (不予公开 = 178).
    let fs = app_sentence("因本机关不掌握相关信息不予公开769件。");
    assert!(findings_of(&fs, "TXT-APP-RESULT").is_empty(), "{fs:#?}");
    let f = at(&fs, "TXT-APP-CATEGORY", "S1:L37");
    assert_eq!(f.severity, report_review::check::Severity::Info);
    assert!(
        f.message.contains("无法提供 (3.4.1) not held"),
        "{}",
        f.message
    );
    assert_eq!(f.cells, vec!["T3.R3_4_1.C7".to_string()]);
    // No row word: the figure fits exactly one other group (无法提供 781).
    let fs = app_sentence("不予公开781件。");
    let f = at(&fs, "TXT-APP-CATEGORY", "S1:L37");
    assert!(f.message.contains("无法提供"), "{}", f.message);
    // Fitting nothing: a warning against the named group.
    let fs = app_sentence("不予公开500件。");
    assert_eq!(
        at(&fs, "TXT-APP-RESULT", "S1:L37").expected.as_deref(),
        Some("178")
    );
    assert!(findings_of(&fs, "TXT-APP-CATEGORY").is_empty());
}

#[test]
fn table_2_figures_however_the_sentence_is_phrased() {
    // 淮安市 2024 table 2 (一): 行政规范性文件 制发 8, 废止 26, 现行有效 66.
    for ok in [
        "现行有效的行政规范性文件共66件。",
        "经清理，现行有效行政规范性文件66件。",
        "集中发布现行有效行政规范性文件66件。",
        "本年制发行政规范性文件8件。",
        "清理规范性文件120件。",
        "备案审查规范性文件15件。",
        "规章和规范性文件共67件。",
    ] {
        assert_eq!(keys(&t2_sentence(ok)), published_keys(), "{ok}");
    }
    for (wrong, expected, col) in [
        ("现行有效的行政规范性文件共67件。", "66", "in_force"),
        ("经清理，现行有效行政规范性文件67件。", "66", "in_force"),
        ("集中发布现行有效行政规范性文件67件。", "66", "in_force"),
        (
            "对规范性文件进行集中清理，废止行政规范性文件20件。",
            "26",
            "repealed",
        ),
        ("本年制发行政规范性文件9件。", "8", "issued"),
    ] {
        let fs = t2_sentence(wrong);
        let f = findings_of(&fs, "TXT-T2");
        assert_eq!(f.len(), 1, "{wrong}: {fs:#?}");
        assert_eq!(f[0].expected.as_deref(), Some(expected), "{wrong}");
        assert_eq!(
            f[0].cells,
            vec![format!("T2.a1.行政规范性文件.{col}")],
            "{wrong}"
        );
    }
}

// ---------------------------------------------------------------- pages as published

const PT22: &str = "pingtan_2022.txt";

/// 平潭 2022 as saved from the platform by a crawler: the crawler's header, the site's
/// breadcrumb, the platform's metadata table, a footer, and a sub-heading in part 一 that
/// repeats part 二's title.
fn platform_page(with_meta: bool) -> String {
    let base = real(PT22);
    let mut lines: Vec<String> = base.lines().map(String::from).collect();
    // Part 一 (line 4) gets the sub-heading before its text (line 5).
    lines.insert(4, "（一）主动公开政府信息情况".into());
    let mut head = vec![
        "标题：平潭综合实验区管委会办公室2022年度政府信息公开工作年度报告".to_string(),
        "采集时间：2024-05-06 10:11:12".into(),
        "网址：http://www.pingtan.gov.cn/xxgk/ndbg/202302/t20230220_80629.htm".into(),
        "当前位置：首页 > 政务公开 > 政府信息公开年报".into(),
    ];
    if with_meta {
        head.extend(
            [
                "\t索引号",
                "\t003554001/2023-00012",
                "\t分类",
                "\t政府信息公开年报",
                "",
                "\t发布机构",
                "\t平潭综合实验区管委会办公室",
                "\t公开日期",
                "\t2023-02-20",
                "",
                "\t名称",
                "\t平潭综合实验区2022年度政府信息公开工作年度报告",
                "\t文号",
                "\t",
                "",
                "",
            ]
            .map(String::from),
        );
    }
    lines.splice(0..0, head);
    lines.push("版权所有：平潭综合实验区管委会 闽ICP备12345678号".into());
    lines.join("\n") + "\n"
}

#[test]
fn a_platform_page_takes_issuer_and_date_from_its_metadata_table() {
    let published = import(PT22, &real(PT22));
    let r = import(PT22, &platform_page(true));
    assert_eq!(r.agency, published.agency, "the title, not 标题：…");
    assert_eq!(r.title, published.title);
    assert_eq!(r.issuer.as_deref(), Some("平潭综合实验区管委会办公室"));
    let d = r.published.as_ref().expect("公开日期");
    assert_eq!((d.ymd(), d.source.as_str()), ((2023, 2, 20), "公开日期"));
    // The six parts as published: the sub-heading stays in part 一.
    let ids: Vec<&str> = r.sections.iter().filter_map(|s| s.id.as_deref()).collect();
    assert_eq!(ids, ["S1", "S2", "S3", "S4", "S5", "S6"]);
    assert!(r.sections[0]
        .lines
        .iter()
        .any(|l| l.text == "（一）主动公开政府信息情况"));
    let text = |lines: &[report_review::model::TextLine]| -> Vec<String> {
        lines.iter().map(|l| l.text.clone()).collect()
    };
    assert_eq!(
        text(&r.preamble),
        text(&published.preamble),
        "no chrome in the prose"
    );
    assert_eq!(
        r.table2,
        published.table2.clone().map(|t| Box::new(shift(*t, &r)))
    );
    // Findings: as published, except that the date is now known (2023-02-20 ≤ 03-31).
    let fs = run(&r);
    let expected: Vec<String> = keys(&run(&published))
        .into_iter()
        .filter(|k| k != "META-DATE@META.date" && k != "META-DEADLINE@META.date")
        .collect();
    assert_eq!(keys(&fs), expected);
}

/// Table lines of the page variant are shifted by the lines added on top: compare values only.
fn shift(t: report_review::model::Table, r: &Report) -> report_review::model::Table {
    let mine = r.table2.as_ref().unwrap();
    let mut t = t;
    t.line = mine.line;
    for (row, m) in t.rows.iter_mut().zip(&mine.rows) {
        row.line = m.line;
        for (c, mc) in row.cells.iter_mut().zip(&m.cells) {
            c.value.line = mc.value.line;
        }
    }
    t
}

#[test]
fn a_crawler_header_is_never_title_agency_or_date() {
    // Without the metadata table: the crawl time is not the publication date (once: a false
    // META-DEADLINE), 标题：… is not the title, the sub-heading is not part 二.
    let published = import(PT22, &real(PT22));
    let r = import(PT22, &platform_page(false));
    assert_eq!(r.agency, published.agency);
    assert_eq!(r.title, published.title);
    assert_eq!(r.published, None);
    let fs = run(&r);
    assert!(findings_of(&fs, "SEC-NUMBERING").is_empty(), "{fs:#?}");
    assert!(findings_of(&fs, "SEC-ORDER").is_empty());
    assert_eq!(keys(&fs), keys(&run(&published)));
}
