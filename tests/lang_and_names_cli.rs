//! The command line's `--lang` (refused when it is neither zh nor en, honoured before the
//! subcommand too) and the names it prints: one severity mark per finding, and a pairing
//! note that says how the two agencies' printed names differ.

use std::process::{Command, Output};

mod common;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_report-review"));
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run report-review")
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("UTF-8 output")
}

#[test]
fn an_unknown_lang_is_refused_everywhere_with_its_name() {
    let dir = common::temp_copy_of_samples();
    let d = dir.path().to_str().unwrap();
    let a = common::sample("淮安市洪泽区人民政府_2023.json");
    let b = common::sample("淮安市洪泽区人民政府_2024.json");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    for args in [
        vec!["--lang", "xx", d],
        vec!["--lang", "xx", "check", d],
        vec!["check", d, "--lang", "xx"],
        vec!["compare", a, b, "--lang", "xx"],
        vec!["--lang", "xx", "compare", a, b],
        vec!["followups", d, "--lang", "xx", "list"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = text(&o.stderr);
        assert!(
            err.contains("zh or en") && err.contains("`xx`"),
            "{args:?}: {err}"
        );
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn lang_before_the_subcommand_is_the_subcommands() {
    let dir = common::temp_copy_of_samples();
    let d = dir.path().to_str().unwrap();
    let o = run(&["--lang", "zh", "check", d]);
    let out = text(&o.stdout);
    assert!(out.starts_with("汇总: 8 份报告"), "{out}");
    // The subcommand's own --lang wins over the one before it.
    let o = run(&["--lang", "zh", "check", d, "--lang", "en"]);
    let out = text(&o.stdout);
    assert!(out.starts_with("Summary: 8 reports"), "{out}");
}

#[test]
fn compare_marks_info_as_i_and_says_how_the_names_differ() {
    let a = common::sample("淮安市洪泽区人民政府_2023.json");
    let b = common::sample("淮安市洪泽区人民政府_2024.json");
    for (lang, info, note) in [
        ("zh", "[提示]", "配对：规范名一致，印刷名不同（洪泽区人民政府 → 淮安市洪泽区人民政府）"),
        (
            "en",
            "[info]",
            "paired: same normalised name, printed differently (洪泽区人民政府 → 淮安市洪泽区人民政府)",
        ),
    ] {
        let o = run(&[
            "--lang",
            lang,
            "compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ]);
        let out = text(&o.stdout);
        // 新收申请 21 → 95 in table 3 (自然人 column of the two published reports).
        let swing = out
            .lines()
            .find(|l| l.contains("X-SWING") && l.contains("T3.R1.C7"))
            .unwrap_or_else(|| panic!("{out}"));
        assert!(swing.starts_with("i X-SWING"), "{swing}");
        assert!(swing.contains(info), "{swing}");
        assert!(!out.contains("✗ X-SWING"), "{out}");
        assert!(out.contains(note), "{out}");
        assert!(!out.contains("机构名一致\n") && !out.contains("same agency name"), "{out}");
    }
    // Two reports printed with the same name: the names agree.
    let a = common::sample("平潭综合实验区_2020.json");
    let b = common::sample("平潭综合实验区_2021.json");
    let o = run(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    let out = text(&o.stdout);
    assert!(
        out.trim_end().ends_with("paired: same agency name"),
        "{out}"
    );
}

/// `followups` takes the agency as the screen shows it (三七市镇/2020 for the key
/// 余姚市三七市镇/2020), and says which agencies a name could be when it is several.
#[test]
fn followups_take_the_agency_as_shown_and_list_candidates_when_ambiguous() {
    let dir = common::temp_copy_of_samples();
    let d = dir.path().to_str().unwrap();
    let o = run(&[
        "followups",
        d,
        "mark",
        "--report",
        "三七市镇/2020",
        "--state",
        "confirmed",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("marked 余姚市三七市镇/2020#report"));
    let o = run(&[
        "followups",
        d,
        "list",
        "--report",
        "三七市镇/2020",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v[0]["report_key"], "余姚市三七市镇/2020");
    let o = run(&[
        "followups",
        d,
        "history",
        "三七市镇/2020#report",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    // 洪泽区人民政府 is printed on the 2023 report; the 2024 one is the same agency.
    let o = run(&[
        "followups",
        d,
        "mark",
        "--agency",
        "洪泽区人民政府",
        "--year",
        "2024",
        "--state",
        "open",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("淮安市洪泽区人民政府/2024#report"));

    // A second 三七市镇, of another county: the name is no longer one agency.
    let src = dir.path().join("余姚市三七市镇_2020.json");
    let mut r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&src).unwrap()).unwrap();
    r["agency_key"] = "慈溪市三七市镇".into();
    std::fs::write(dir.path().join("慈溪市三七市镇_2020.json"), r.to_string()).unwrap();
    let o = run(&[
        "followups",
        d,
        "mark",
        "--report",
        "三七市镇/2020",
        "--state",
        "open",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("余姚市三七市镇/2020 (三七市镇)")
            && err.contains("慈溪市三七市镇/2020 (三七市镇)"),
        "{err}"
    );
    // The full key still names one.
    let o = run(&[
        "followups",
        d,
        "mark",
        "--report",
        "慈溪市三七市镇/2020",
        "--state",
        "open",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

/// `check --lang zh` says why a file cannot be read in Chinese, as the screen does; in
/// English the reason stays as the reader gave it.
#[test]
fn check_gives_an_unreadable_files_reason_in_the_language_asked() {
    let dir = common::temp_copy_of_samples();
    std::fs::write(
        dir.path().join("坏文件.txt"),
        [0u8, 159, 146, 150, 0, 1, 2, 3],
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let zh = text(&run(&["check", d, "--lang", "zh"]).stdout);
    let line = zh
        .lines()
        .skip_while(|l| !l.contains("坏文件.txt"))
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(line.contains("原因") && line.contains("二进制文件"), "{zh}");
    assert!(!line.contains("binary"), "{line}");
    let en = text(&run(&["check", d, "--lang", "en"]).stdout);
    assert!(en.contains("binary file"), "{en}");
}
