//! `report-review check` end to end: the real binary on a copy of sample_reports/ in all three formats
//! and both languages, exit codes, configuration, raw .txt input and unreadable files.

use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_report-review"));
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C");
    c
}

mod common;

fn check(args: &[&str]) -> Output {
    bin()
        .arg("check")
        .args(args)
        .output()
        .expect("run report-review")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// Expected status of each sample (reasons in tests/check_rules.rs and tests/data/real/README.md).
const STATUSES: &[(&str, &str)] = &[
    ("余姚市三七市镇_2020.json", "fail"), // SEC-MISSING 六
    ("平潭综合实验区_2019.json", "warn"), // no date; 2599 ≠ Σ categories 2533
    ("平潭综合实验区_2020.json", "fail"), // T3-RES 20 ≠ 26, 21 ≠ 27
    ("平潭综合实验区_2021.json", "pass"),
    ("平潭综合实验区_2022.json", "warn"),       // no date
    ("淮安市人民政府_2024.json", "warn"),       // no date; no 考核/评议/追究
    ("淮安市洪泽区人民政府_2023.json", "fail"), // T4-SUM, hybrid template
    ("淮安市洪泽区人民政府_2024.json", "fail"), // hybrid template; TXT-APP-NEW 17 vs 95
];

fn expected(path: &str) -> &'static str {
    STATUSES
        .iter()
        .find(|(f, _)| path.ends_with(f))
        .map(|(_, s)| *s)
        .unwrap_or_else(|| panic!("unexpected report {path}"))
}

#[test]
fn json_statuses_shape_and_pairs_in_both_languages() {
    let batch = common::temp_copy_of_samples();
    let dir = batch.path();
    for lang in ["en", "zh"] {
        let o = check(&[dir.to_str().unwrap(), "--format", "json", "--lang", lang]);
        assert_eq!(o.status.code(), Some(1), "some report fails");
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        let s = &v["summary"];
        assert_eq!(s["reports"], 8);
        assert_eq!(s["fail"], 4);
        assert_eq!(s["warn"], 3);
        assert_eq!(s["pass"], 1);
        assert_eq!(s["unreadable"], 0);
        assert_eq!(s["lang"], lang);
        let reports = v["reports"].as_array().unwrap();
        assert_eq!(reports.len(), 8);
        for r in reports {
            let path = r["path"].as_str().unwrap();
            assert_eq!(r["status"], expected(path), "{path}");
            for k in ["agency", "year", "template", "findings"] {
                assert!(r.get(k).is_some(), "{k} missing");
            }
            for f in r["findings"].as_array().unwrap() {
                for k in [
                    "rule", "severity", "outcome", "location", "message", "expected", "actual",
                ] {
                    assert!(f.get(k).is_some(), "{k} missing in {f}");
                }
                // Not assessable has its own value, never `error`.
                let sev = f["severity"].as_str().unwrap();
                let outcome = f["outcome"].as_str().unwrap();
                assert!(["fail", "not_assessable"].contains(&outcome));
                if outcome == "not_assessable" {
                    assert_eq!(sev, "not_assessable", "{f}");
                } else {
                    assert!(["error", "warning", "info"].contains(&sev), "{f}");
                }
                assert!(
                    ["error", "warning", "info"].contains(&f["rule_severity"].as_str().unwrap())
                );
            }
        }
        let pairs = v["pairs"].as_array().unwrap();
        assert_eq!(pairs.len(), 4, "平潭 2019→2020→2021→2022, 洪泽 2023→2024");
        assert!(pairs
            .iter()
            .any(|p| p["agency_key"] == "淮安市洪泽区人民政府"
                && p["prev"]["year"] == 2023
                && p["cur"]["year"] == 2024));
        // Messages follow the language.
        let pt20 = reports
            .iter()
            .find(|r| {
                r["path"]
                    .as_str()
                    .unwrap()
                    .ends_with("平潭综合实验区_2020.json")
            })
            .unwrap();
        let res = pt20["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "T3-RES" && f["location"] == "T3.R3_7.C1")
            .unwrap();
        let msg = res["message"].as_str().unwrap();
        if lang == "zh" {
            assert!(msg.contains("20 ≠ 26（自然人）"), "{msg}");
        } else {
            assert!(msg.contains("20 ≠ 26 (natural persons)"), "{msg}");
        }
    }
}

#[test]
fn csv_has_bom_header_and_one_finding_per_row() {
    let batch = common::temp_copy_of_samples();
    let dir = batch.path();
    for (lang, rule_header) in [("en", "rule"), ("zh", "规则")] {
        let o = check(&[dir.to_str().unwrap(), "--format", "csv", "--lang", lang]);
        assert_eq!(o.status.code(), Some(1));
        let out = stdout(&o);
        assert!(out.starts_with('\u{feff}'), "UTF-8 BOM for Excel/WPS");
        let mut rd = csv::Reader::from_reader(out.trim_start_matches('\u{feff}').as_bytes());
        let headers = rd.headers().unwrap().clone();
        assert_eq!(headers.len(), 14);
        assert_eq!(&headers[5], rule_header);
        let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
        assert!(rows
            .iter()
            .any(|r| r[0].ends_with("淮安市洪泽区人民政府_2023.json") && &r[5] == "T4-SUM"));
        assert!(rows
            .iter()
            .any(|r| r[0].ends_with("淮安市洪泽区人民政府_2024.json") && &r[5] == "TXT-APP-NEW"));
        for r in &rows {
            assert_eq!(&r[4], expected(&r[0]), "{r:?}");
        }
    }
}

#[test]
fn table_lists_counts_then_failing_and_warning_reports() {
    let batch = common::temp_copy_of_samples();
    let dir = batch.path();
    let o = check(&[dir.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.starts_with("Summary: 8 reports  fail 4  warn 3  pass 1  unreadable 0"),
        "{out}"
    );
    assert!(out.contains("[fail] 平潭综合实验区 2020"));
    assert!(out.contains("T3-RES"));
    assert!(!out.contains("[pass]"), "passing reports are only counted");
    let o = check(&[dir.to_str().unwrap(), "--lang", "zh"]);
    let out = stdout(&o);
    assert!(
        out.starts_with("汇总: 8 份报告  不通过 4  警告 3  通过 1  无法读取 0"),
        "{out}"
    );
    assert!(out.contains("[不通过] 平潭综合实验区 2020"));
}

#[test]
fn language_follows_the_locale_unless_overridden() {
    let batch = common::temp_copy_of_samples();
    let dir = batch.path();
    let zh = bin()
        .env("LANG", "zh_CN.UTF-8")
        .args(["check", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(stdout(&zh).starts_with("汇总"));
    let lc_all = bin()
        .env("LANG", "en_US.UTF-8")
        .env("LC_ALL", "zh_CN.UTF-8")
        .args(["check", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(stdout(&lc_all).starts_with("汇总"));
    let overridden = bin()
        .env("LANG", "zh_CN.UTF-8")
        .args(["check", dir.to_str().unwrap(), "--lang", "en"])
        .output()
        .unwrap();
    assert!(stdout(&overridden).starts_with("Summary"));
}

#[test]
fn usage_errors_exit_2() {
    let batch = common::temp_copy_of_samples();
    let dir = batch.path();
    let d = dir.to_str().unwrap();
    assert_eq!(check(&[d, "--lang", "fr"]).status.code(), Some(2));
    assert_eq!(check(&[d, "--format", "xml"]).status.code(), Some(2));
    assert_eq!(check(&["/nonexistent/reports"]).status.code(), Some(2));
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("rules.toml");
    std::fs::write(&bad, "[rules.NO-SUCH-RULE]\nenabled = false\n").unwrap();
    let o = check(&[d, "--config", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("NO-SUCH-RULE"));
    assert_eq!(
        check(&[tmp.path().to_str().unwrap()]).status.code(),
        Some(2),
        "empty directory"
    );
}

#[test]
fn exit_0_when_nothing_fails_and_config_applies() {
    let tmp = tempfile::tempdir().unwrap();
    let sub = tmp.path().join("nested/deeper");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::copy(
        common::sample("平潭综合实验区_2021.json"),
        sub.join("a.json"),
    )
    .unwrap();
    let o = check(&[tmp.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // A config that makes a failing report pass.
    std::fs::copy(
        common::sample("平潭综合实验区_2020.json"),
        sub.join("b.json"),
    )
    .unwrap();
    assert_eq!(
        check(&[tmp.path().to_str().unwrap()]).status.code(),
        Some(1)
    );
    let cfg = tmp.path().join("rules.toml");
    std::fs::write(&cfg, "[rules.T3-RES]\nseverity = \"warning\"\n").unwrap();
    let o = check(&[
        tmp.path().to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["summary"]["fail"], 0);
}

#[test]
fn raw_reports_are_imported_in_memory_and_bad_files_are_unreadable() {
    let tmp = tempfile::tempdir().unwrap();
    for f in [
        "huaian_hongzequ_2023.txt",
        "huaian_hongzequ_2024.txt",
        "pingtan_2020.txt",
    ] {
        std::fs::copy(common::real_report(f), tmp.path().join(f)).unwrap();
    }
    std::fs::write(tmp.path().join("broken.json"), "{ not json").unwrap();
    let o = check(&[
        tmp.path().to_str().unwrap(),
        "--format",
        "json",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let status = |name: &str| {
        v["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"].as_str().unwrap().ends_with(name))
            .unwrap()
            .clone()
    };
    assert_eq!(status("broken.json")["status"], "unreadable");
    assert!(status("broken.json")["error"]
        .as_str()
        .unwrap()
        .contains("JSON"));
    assert_eq!(status("pingtan_2020.txt")["status"], "fail");
    let hz24 = status("huaian_hongzequ_2024.txt");
    assert!(hz24["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "TXT-APP-NEW"));
    assert_eq!(
        v["pairs"].as_array().unwrap().len(),
        1,
        "洪泽区 2023 → 2024 paired from raw text"
    );
}

/// A batch where no file can be read is not a pass: exit 2 and say so, so a CI gate on
/// garbage fails.
#[test]
fn every_file_unreadable_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.json"), "{ not json").unwrap();
    std::fs::write(tmp.path().join("b.json"), "").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_report-review"))
        .env("LANG", "C")
        .arg("check")
        .arg(tmp.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no report") && err.contains("could be read"),
        "{err}"
    );
}

/// A key given twice in a report's JSON is an error naming the key, not last-wins.
#[test]
fn duplicate_json_keys_are_an_error_naming_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(common::sample("余姚市三七市镇_2020.json")).unwrap();
    let twice = sample.replacen("\"year\": 2020,", "\"year\": 2020,\n  \"year\": 2030,", 1);
    assert_ne!(twice, sample);
    std::fs::write(tmp.path().join("r.json"), twice).unwrap();
    std::fs::write(tmp.path().join("ok.json"), &sample).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_report-review"))
        .env("LANG", "C")
        .arg("check")
        .arg(tmp.path())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("[unreadable]") && shown.contains("r.json"),
        "{shown}"
    );
    assert!(shown.contains("duplicate field `year`"), "{shown}");
}
