//! `report-review import` as a user runs it: one line per input, exit codes, nothing written
//! for a bad file, no overwriting, no file outside the output directory.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_report-review"))
}

fn json_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn bad_inputs_fail_with_one_line_each_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    std::fs::create_dir(&input).unwrap();
    let sanqi = common::real_text("sanqishizhen_2020.txt");
    // Table 3 removed: from its heading to the table-4 heading.
    let t3_start = sanqi.find("三、收到和处理").unwrap();
    let t3_end = sanqi.find("4、 政府信息公开").unwrap();
    let no_t3 = format!("{}{}", &sanqi[..t3_start], &sanqi[t3_end..]);
    // Cut off in the middle of table 3, as a half-downloaded page.
    let cut = sanqi.find("（七）总计").unwrap();
    let truncated = &sanqi[..cut];
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.txt", Vec::new(), "empty file"),
        (
            "binary.txt",
            vec![0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 3],
            "binary",
        ),
        (
            "novel.txt",
            "从前有座山，山里有座庙。\n庙里有个老和尚。\n"
                .as_bytes()
                .to_vec(),
            "not a report",
        ),
        ("no_table3.txt", no_t3.into_bytes(), "table 3"),
        ("truncated.txt", truncated.as_bytes().to_vec(), "truncated"),
    ];
    for (name, bytes, _) in &cases {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    std::fs::write(input.join("good.txt"), &sanqi).unwrap();

    let output = bin()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "some failed → exit 1");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        cases.len() + 1,
        "one line per input:\n{stdout}"
    );
    for (name, _, reason) in &cases {
        let line = lines
            .iter()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no line for {name}:\n{stdout}"));
        assert!(line.starts_with("failed"), "{line}");
        assert!(
            line.contains(reason),
            "{name}: expected `{reason}` in `{line}`"
        );
    }
    assert!(lines
        .iter()
        .any(|l| l.starts_with("imported") && l.contains("good.txt")));
    assert_eq!(
        json_files(&out),
        ["余姚市三七市镇_2020.json"],
        "only the good report written"
    );
}

#[test]
fn existing_files_are_kept_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let src = common::real_report("pingtan_2022.txt");
    let first = bin()
        .arg("import")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0));
    let target = out.join("平潭综合实验区_2022.json");
    std::fs::write(&target, "keep me").unwrap();

    let again = bin()
        .arg("import")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stdout).contains("--force"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");

    let forced = bin()
        .arg("import")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(0));
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("schema_version"));
}

#[test]
fn hostile_agency_names_stay_inside_the_output_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("deep/out");
    std::fs::create_dir_all(&input).unwrap();
    let sanqi = common::real_text("sanqishizhen_2020.txt");
    let hostile = sanqi.replacen("三七市镇2020年", "../../evil/..镇2020年", 1);
    std::fs::write(input.join("hostile.txt"), hostile).unwrap();
    let output = bin()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let files = json_files(&out);
    assert_eq!(files.len(), 1);
    assert!(
        !files[0].contains('/') && !files[0].contains(".."),
        "{files:?}"
    );
    assert!(!tmp.path().join("evil").exists());
    assert!(!tmp.path().join("deep/evil").exists());
}

#[test]
fn two_reports_for_the_same_agency_and_year_are_both_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&input).unwrap();
    let text = common::real_text("pingtan_2021.txt");
    std::fs::write(input.join("a.txt"), &text).unwrap();
    std::fs::write(input.join("b.txt"), text.replace("2293", "2294")).unwrap();
    let output = bin()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        json_files(&out),
        ["平潭综合实验区_2021-2.json", "平潭综合实验区_2021.json"]
    );
}

#[test]
fn usage_errors_exit_2() {
    let no_out = bin().arg("import").arg("x.txt").output().unwrap();
    assert_eq!(no_out.status.code(), Some(2));
    let help = bin().arg("--help").output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("import"));
    let version = bin().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
}

/// sample_reports/ is what the importer produces from tests/data/real/*.txt today.
/// Regenerate with: report-review import tests/data/real/*.txt --out sample_reports --force
#[test]
fn sample_reports_match_the_importer() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sources = common::real_text_dumps();
    let mut expected_names = Vec::new();
    for src in &sources {
        let report = report_review::import::import_file(src).unwrap();
        let name = format!(
            "{}.json",
            report_review::cli::import::safe_file_name(&report)
        );
        let committed = std::fs::read_to_string(root.join("sample_reports").join(&name))
            .unwrap_or_else(|_| panic!("sample_reports/{name} missing; regenerate"));
        let fresh = serde_json::to_string_pretty(&report).unwrap() + "\n";
        assert!(
            committed == fresh,
            "sample_reports/{name} drifted from the importer; regenerate with \
             `report-review import tests/data/real/*.txt --out sample_reports --force`"
        );
        expected_names.push(name);
    }
    expected_names.sort();
    let mut present = json_files(&root.join("sample_reports"));
    present.retain(|n| n.ends_with(".json"));
    assert_eq!(present, expected_names, "no stale files in sample_reports/");
}

/// A link planted in the output directory (pointing at a file, or dangling) is refused even
/// with --force: nothing outside the directory is overwritten or created.
#[cfg(unix)]
#[test]
fn force_never_writes_through_a_symlink_in_the_output_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let victim = tmp.path().join("victim.txt");
    std::fs::write(&victim, "VICTIM CONTENT").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("余姚市三七市镇_2020.json")).unwrap();
    let out2 = tmp.path().join("out2");
    std::fs::create_dir(&out2).unwrap();
    let created = tmp.path().join("created_by_import.json");
    std::os::unix::fs::symlink(&created, out2.join("余姚市三七市镇_2020.json")).unwrap();
    for dir in [&out, &out2] {
        let run = bin()
            .arg("import")
            .arg(common::real_report("sanqishizhen_2020.txt"))
            .arg("--out")
            .arg(dir)
            .arg("--force")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert_eq!(run.status.code(), Some(1), "{stdout}");
        assert!(stdout.contains("symbolic link"), "{stdout}");
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "VICTIM CONTENT");
    assert!(!created.exists(), "the dangling link's target was created");
}

/// A write that fails part-way (here: the file size limit, as a full disk would) leaves no
/// empty or cut-off JSON, and with --force the old good file stays as it was.
#[cfg(unix)]
#[test]
fn a_failed_write_leaves_no_debris_and_keeps_the_old_file() {
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let input = common::real_report("huaian_hongzequ_2024.txt");
    let first = bin()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0));
    let files = json_files(&out);
    assert_eq!(files.len(), 1, "{files:?}");
    let good = std::fs::read(out.join(&files[0])).unwrap();
    assert!(
        good.len() > 20_000,
        "the JSON is bigger than the limit below"
    );
    let limited = |extra: &[&str]| {
        let mut c = bin();
        c.arg("import")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .args(extra);
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            c.pre_exec(|| {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let lim = libc::rlimit {
                    rlim_cur: 16 * 1024,
                    rlim_max: 16 * 1024,
                };
                libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
                Ok(())
            });
        }
        c.output().unwrap()
    };
    // Replacing: fails, the old file is untouched and nothing else is left.
    let forced = limited(&["--force"]);
    assert_eq!(forced.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&forced.stdout).contains("cannot write"),
        "{}",
        String::from_utf8_lossy(&forced.stdout)
    );
    assert!(
        std::fs::read(out.join(&files[0])).unwrap() == good,
        "the old good file was changed"
    );
    assert_eq!(json_files(&out), files, "no temporary or partial file left");
    // Creating: fails, and nothing is left to block the next run.
    std::fs::remove_file(out.join(&files[0])).unwrap();
    let fresh = limited(&[]);
    assert_eq!(fresh.status.code(), Some(1));
    assert!(json_files(&out).is_empty(), "{:?}", json_files(&out));
    let again = bin()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0), "a re-run is not blocked");
}

/// Invisible characters (zero-width joiner, word joiner, BOM) do not make a look-alike agency
/// key, and a title year in full-width digits is read: the report pairs and names as usual.
#[test]
fn invisible_characters_and_full_width_years_in_the_title() {
    let tmp = tempfile::tempdir().unwrap();
    let text = common::real_text("sanqishizhen_2020.txt");
    let first = text.lines().next().unwrap().to_string();
    assert!(first.contains("三七市镇2020年"), "{first}");
    let disguised = first
        .replace("三七市镇", "三\u{200d}七市\u{2060}镇\u{feff}")
        .replace("2020", "２０２０");
    let input = tmp.path().join("in.txt");
    std::fs::write(&input, text.replacen(&first, &disguised, 1)).unwrap();
    let out = tmp.path().join("out");
    let run = bin()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
    // As the undisguised report: the title's 三七市镇, completed from the signature.
    assert_eq!(json_files(&out), ["余姚市三七市镇_2020.json"]);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("余姚市三七市镇_2020.json")).unwrap())
            .unwrap();
    assert_eq!(v["agency_key"], "余姚市三七市镇");
    assert_eq!(v["year"], 2020);
}
