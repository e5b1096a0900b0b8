//! Year-over-year comparison on the real pairs of sample_reports/.

use report_review::batch::load_json;
use report_review::compare::{compare, Presence};
use report_review::model::Report;
use std::path::PathBuf;
use std::process::Command;

fn sample(name: &str) -> Report {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample_reports")
        .join(name);
    load_json(&path).unwrap()
}

#[test]
fn pingtan_2019_to_2020_shows_the_rules_total_jump() {
    let c = compare(
        &sample("平潭综合实验区_2019.json"),
        &sample("平潭综合实验区_2020.json"),
    );
    let row = c
        .rows
        .iter()
        .find(|r| r.key == "T2.a1.规章.public_total")
        .unwrap();
    // 规章 对外公开总数量 0 → 7 with nothing new (INDEX.md).
    assert_eq!(
        (row.prev, row.cur, row.delta),
        (Some(0.0), Some(7.0), Some(7.0))
    );
    assert_eq!(row.pct, None, "no percentage from a zero base");
    let total = c.rows.iter().find(|r| r.key == "T3.R1.C7").unwrap();
    assert_eq!((total.prev, total.cur), (Some(23.0), Some(21.0)));
}

#[test]
fn pingtan_2020_to_2021_joins_across_the_template_change() {
    let c = compare(
        &sample("平潭综合实验区_2020.json"),
        &sample("平潭综合实验区_2021.json"),
    );
    assert_eq!(
        (c.prev_template.as_str(), c.cur_template.as_str()),
        ("2019", "2021")
    );
    // 规范性文件 对外公开总数量 (2020: 166) ↔ 行政规范性文件 现行有效件数 (2021: 665).
    let bridged = c
        .rows
        .iter()
        .find(|r| r.key == "T2.a1.行政规范性文件.in_force")
        .unwrap();
    assert_eq!(
        bridged.prev_key.as_deref(),
        Some("T2.a1.规范性文件.public_total")
    );
    assert_eq!((bridged.prev, bridged.cur), (Some(166.0), Some(665.0)));
    assert!(bridged
        .note
        .as_deref()
        .unwrap()
        .contains("definitions differ"));
    // Rows of one template only are shown as such.
    let repealed = c
        .rows
        .iter()
        .find(|r| r.key == "T2.a1.行政规范性文件.repealed")
        .unwrap();
    assert_eq!(repealed.presence, Presence::CurOnly);
    let purchase = c
        .rows
        .iter()
        .find(|r| r.key == "T2.a9.政府集中采购.count")
        .unwrap();
    assert_eq!(purchase.presence, Presence::PrevOnly);
    let other_2019 = c.rows.iter().find(|r| r.key == "T3.R3_6.C7").unwrap();
    assert_eq!(
        (other_2019.presence, other_2019.prev),
        (Presence::PrevOnly, Some(4.0))
    );
    let other_2021 = c.rows.iter().find(|r| r.key == "T3.R3_6_3.C7").unwrap();
    assert_eq!(
        (other_2021.presence, other_2021.cur),
        (Presence::CurOnly, Some(1.0))
    );
    // Table 3 rows common to both templates join on their keys: 上年结转 / 结转下年度.
    let carry = c.rows.iter().find(|r| r.key == "T3.R4.C7").unwrap();
    assert_eq!(
        (carry.presence, carry.prev, carry.cur),
        (Presence::Both, Some(0.0), Some(1.0))
    );
}

#[test]
fn compare_command_prints_the_delta() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_reports");
    let out = Command::new(env!("CARGO_BIN_EXE_report-review"))
        .args(["compare", "--lang", "zh"])
        .arg(dir.join("平潭综合实验区_2021.json"))
        .arg(dir.join("平潭综合实验区_2022.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("指标"), "{text}");
    // 行政规范性文件 现行有效件数 665 → 698 (+33), as published.
    let line = text
        .lines()
        .find(|l| l.contains("行政规范性文件 · 现行有效件数"))
        .unwrap();
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert!(fields.ends_with(&["665", "698", "+33", "+5.0%"]), "{line}");

    let json = Command::new(env!("CARGO_BIN_EXE_report-review"))
        .args(["compare", "--format", "json"])
        .arg(dir.join("平潭综合实验区_2021.json"))
        .arg(dir.join("平潭综合实验区_2022.json"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["comparison"]["prev_year"], 2021);
    assert!(v["comparison"]["rows"].as_array().unwrap().len() > 100);
}

#[test]
fn compare_names_a_missing_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_report-review"))
        .args(["compare", "/nonexistent/a.json", "/nonexistent/b.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/a.json"));
}

fn compare_cli(old: &str, new: &str) -> (Option<i32>, String) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_reports");
    let out = Command::new(env!("CARGO_BIN_EXE_report-review"))
        .env("LANG", "C")
        .arg("compare")
        .arg(dir.join(old))
        .arg(dir.join(new))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The table says what it printed: two different agencies are both named; an info finding
/// is marked `i`, not ✗; errors make the exit status 1, info alone does not.
#[test]
fn compare_marks_and_exit_status_tell_the_truth() {
    // 平潭 2021 → 2022: only an info finding (X-SWING, licensing decisions 2293 → 10690).
    let (code, out) = compare_cli("平潭综合实验区_2021.json", "平潭综合实验区_2022.json");
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains('✗'), "{out}");
    assert!(out.contains("i X-SWING"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("i 表二（五） 行政许可 · 处理决定数量")),
        "{out}"
    );
    // Another agency as "last year": both names in the heading, and the error exits 1.
    let (code, out) = compare_cli("平潭综合实验区_2019.json", "余姚市三七市镇_2020.json");
    let head = out.lines().next().unwrap_or_default();
    assert!(
        head.contains("平潭综合实验区") && head.contains("余姚市三七市镇"),
        "{head}"
    );
    assert!(out.contains("✗ X-IDENTITY"), "{out}");
    assert_eq!(code, Some(1), "{out}");
}
