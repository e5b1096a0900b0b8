//! Shared fixtures for the TUI tests: the real sample reports with fixed findings
//! (so screens do not change when the rule catalogue does), and one unreadable file.
#![allow(dead_code)]

use report_review::batch;
use report_review::check::{Finding, Outcome, Severity};
use report_review::i18n::Lang;
use report_review::tui::action::Action;
use report_review::tui::keymap::Keymap;
use report_review::tui::loader::{Loaded, Msg};
use report_review::tui::state::State;
use report_review::tui::theme::Theme;
use std::path::PathBuf;

#[allow(clippy::too_many_arguments)]
pub fn finding(
    rule: &str,
    severity: Severity,
    location: &str,
    message: &str,
    expected: Option<&str>,
    actual: Option<&str>,
    line: Option<usize>,
    cells: &[&str],
) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        outcome: Outcome::Fail,
        location: location.into(),
        message: message.into(),
        expected: expected.map(Into::into),
        actual: actual.map(Into::into),
        quote: None,
        line,
        cells: cells.iter().map(|c| c.to_string()).collect(),
        operands: None,
    }
}

fn t3_col(col: &str) -> Vec<String> {
    [
        "R3_1", "R3_2", "R3_3_1", "R3_3_2", "R3_3_3", "R3_3_4", "R3_3_5", "R3_3_6", "R3_3_7",
        "R3_3_8", "R3_4_1", "R3_4_2", "R3_4_3", "R3_5_1", "R3_5_2", "R3_5_3", "R3_5_4", "R3_5_5",
        "R3_6",
    ]
    .iter()
    .map(|r| format!("T3.{r}.{col}"))
    .collect()
}

/// Fixed findings per sample file.
pub fn findings_for(file: &str) -> Vec<Finding> {
    use Severity::*;
    match file {
        "平潭综合实验区_2020.json" => {
            let mut t3 = finding(
                "T3-RES",
                Error,
                "T3.R3_7.C1",
                "（七）总计 = （一）+…+（六）：20 ≠ 26（自然人）",
                Some("26"),
                Some("20"),
                Some(324),
                &[],
            );
            t3.cells = t3_col("C1");
            let mut parts = finding(
                "TXT-PARTS",
                Warning,
                "S1:L5",
                "共 2602 条，但各项之和 82 + 80 + 21 + 40 + 390 + 69 + 143 + 208 + 246 + 271 + 1053 = 2603 ≠ 2602",
                Some("2603"),
                Some("2602"),
                Some(5),
                &[],
            );
            parts.quote = Some("共公布政府信息2602条".into());
            vec![
                t3,
                parts,
                finding("META-DATE", Warning, "META.date", "没有找到发布或落款日期", None, None, None, &[]),
            ]
        }
        "淮安市洪泽区人民政府_2023.json" => vec![
            finding(
                "T4-SUM",
                Error,
                "T4.review.total",
                "行政复议：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结：0 ≠ 10 + 1 + 0 + 0 = 11",
                Some("11"),
                Some("0"),
                Some(385),
                &["T4.review.upheld", "T4.review.corrected", "T4.review.other", "T4.review.pending"],
            ),
            finding(
                "T4-SUM",
                Error,
                "T4.lit_after_review.total",
                "复议后起诉：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结：0 ≠ 5 + 0 + 0 + 0 = 5",
                Some("5"),
                Some("0"),
                Some(395),
                &[
                    "T4.lit_after_review.upheld",
                    "T4.lit_after_review.corrected",
                    "T4.lit_after_review.other",
                    "T4.lit_after_review.pending",
                ],
            ),
        ],
        "余姚市三七市镇_2020.json" => vec![
            finding("SEC-MISSING", Error, "S6", "缺少第六部分“其他需要报告的事项”", None, None, None, &[]),
            finding(
                "SEC-NUMBERING",
                Warning,
                "S4",
                "标题“4、政府信息公开行政复议、行政诉讼情况”应编号为“四、”",
                None,
                None,
                None,
                &[],
            ),
        ],
        "淮安市人民政府_2024.json" | "平潭综合实验区_2019.json" => vec![finding(
            "META-DATE",
            Warning,
            "META.date",
            "没有找到发布或落款日期",
            None,
            None,
            None,
            &[],
        )],
        "淮安市洪泽区人民政府_2024.json" => vec![finding(
            "TPL-HYBRID",
            Error,
            "META.template",
            "混用两版模板",
            Some("2021"),
            Some("hybrid"),
            None,
            &[],
        )],
        _ => vec![],
    }
}

pub const SAMPLES: &[&str] = &[
    "余姚市三七市镇_2020.json",
    "平潭综合实验区_2019.json",
    "平潭综合实验区_2020.json",
    "平潭综合实验区_2021.json",
    "平潭综合实验区_2022.json",
    "淮安市人民政府_2024.json",
    "淮安市洪泽区人民政府_2023.json",
    "淮安市洪泽区人民政府_2024.json",
];

pub fn loaded(file: &str) -> Loaded {
    let path = PathBuf::from("sample_reports").join(file);
    let abs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(&path);
    let report = batch::load_json(&abs);
    assert!(report.is_ok(), "{file}: {:?}", report.err());
    Loaded {
        path,
        report,
        findings: findings_for(file),
    }
}

pub fn unreadable() -> Loaded {
    Loaded {
        path: PathBuf::from("sample_reports").join("损坏的报告.json"),
        report: Err("not valid JSON: expected value at line 1 column 1".into()),
        findings: vec![],
    }
}

/// A state with every sample report and one unreadable file, loaded, at `w`×`h`.
pub fn state(lang: Lang, theme: Theme, w: u16, h: u16) -> State {
    let mut s = State::new("sample_reports", lang, Keymap::default(), theme);
    // Times shown in China Standard Time whatever the machine's zone.
    s.followups.zone = report_review::review::localtime::Zone::Fixed(8 * 3600);
    s.update(Action::Resize(w, h));
    s.apply(Msg::Discovered(SAMPLES.len() + 1));
    let mut batch: Vec<Loaded> = SAMPLES.iter().map(|f| loaded(f)).collect();
    batch.push(unreadable());
    s.apply(Msg::Loaded(batch));
    s.apply(Msg::Finished);
    s
}

pub fn zh(w: u16, h: u16) -> State {
    state(Lang::Zh, Theme::color(), w, h)
}

/// Apply actions in order.
pub fn run(s: &mut State, actions: &[Action]) {
    for a in actions {
        s.update(a.clone());
    }
}

pub fn typed(s: &mut State, text: &str) {
    s.update(Action::FilterStart);
    for c in text.chars() {
        s.update(Action::FilterChar(c));
    }
}

/// Agency and year of the visible rows, in order.
pub fn rows(s: &State) -> Vec<String> {
    s.visible
        .iter()
        .map(|&id| {
            let i = &s.items[id];
            format!(
                "{} {}",
                i.name,
                i.year().map(|y| y.to_string()).unwrap_or("-".into())
            )
        })
        .collect()
}

pub fn selected(s: &State) -> String {
    s.selected_item()
        .map(|i| {
            format!(
                "{} {}",
                i.name,
                i.year().map(|y| y.to_string()).unwrap_or("-".into())
            )
        })
        .unwrap_or_default()
}
