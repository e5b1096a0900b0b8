//! Regression inputs for the importer: every crash or hang a fuzz target (fuzz/, see
//! docs/fuzzing.md) or the bad-input corpus found, inline as bytes, run through the same
//! entry points the fuzz targets call. Each must finish quickly without panicking.

use report_review::import::{
    build_report, html, import_bytes, number, textdump, ImportError, MAX_HTML_DEPTH,
};
use report_review::model::SourceInfo;
use std::time::{Duration, Instant};

fn source() -> SourceInfo {
    SourceInfo {
        file_name: "regression".into(),
        sha256: String::new(),
        format: "text".into(),
        encoding: "UTF-8".into(),
        pages: Vec::new(),
    }
}

/// What every fuzz target does with one input, with a time bound far above the expected
/// milliseconds (a hang shows as a failure, a loaded machine does not).
fn all_targets(data: &[u8]) {
    let start = Instant::now();
    let text = String::from_utf8_lossy(data);
    let _ = build_report(source(), &textdump::read(&text));
    let _ = build_report(source(), &html::read(&text));
    if let Ok(s) = std::str::from_utf8(data) {
        let v = number::parse_value(s, 1);
        assert!(
            !matches!(v.number, Some(n) if !n.is_finite()),
            "{s:?}: {:?}",
            v.number
        );
    }
    let _ = import_bytes("regression.txt", data);
    let _ = import_bytes("regression.html", data);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
}

/// 100,000 nested `<div>`s: html5ever walks the open-element stack for every tag, so this
/// took hours. The importer now refuses pages nested deeper than MAX_HTML_DEPTH.
#[test]
fn deeply_nested_html_is_refused_quickly() {
    let page = format!(
        "<html><body>{}一、总体情况{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let start = Instant::now();
    let err = import_bytes("deep.html", page.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, ImportError::Broken(m) if m.contains("nested 100000 elements deep")),
        "{err}"
    );
    // Sniffed as HTML from a .txt name too.
    assert!(import_bytes("deep.txt", page.as_bytes()).is_err());
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    // Right at the limit it is still parsed.
    let ok = format!(
        "<html><body>{}<p>x</p>{}</body></html>",
        "<div>".repeat(MAX_HTML_DEPTH),
        "</div>".repeat(MAX_HTML_DEPTH)
    );
    assert!(!matches!(
        import_bytes("ok.html", ok.as_bytes()),
        Err(ImportError::Broken(m)) if m.contains("nested")
    ));
}

/// A half-downloaded UTF-8 file ends in the middle of a character: it must stay UTF-8 (it was
/// guessed as another encoding, turning the whole page into mojibake).
#[test]
fn utf8_cut_mid_character_is_still_utf8() {
    let text = "平潭综合实验区2020年政府信息公开工作年度报告\n一、总体情况\n";
    let bytes = &text.as_bytes()[..text.len() - 2];
    let err = import_bytes("cut.txt", bytes).unwrap_err().to_string();
    assert!(!err.contains("binary"), "{err}");
    all_targets(bytes);
}

/// Odd inputs around the readers' edges (found while writing the fuzz targets).
#[test]
fn edge_inputs_do_not_panic() {
    let inputs: &[&[u8]] = &[
        b"",
        b"\t",
        b"\t\n\n\t\n",
        b"\xEF\xBB\xBF",
        b"\xEF\xBB\xBF\t\xff",
        b"<table><tr><td rowspan=99999 colspan=99999>1</td></tr></table>",
        b"<table><tr><td rowspan=-1 colspan=0>x</td><td rowspan=4294967296>y</td></tr></table>",
        b"<html><table><table><table><tr><td><table></td></tr></table>",
        "一、\n\t三、收到和处理政府信息公开申请情况\n\t1\n\n".as_bytes(),
        "1,2,3,4".as_bytes(),
        "增加减少+-−".as_bytes(),
        "\u{1b}]52;c;eA==\u{7}\u{9b}31m\u{202e}".as_bytes(),
    ];
    for input in inputs {
        all_targets(input);
    }
}

/// More digits than an f64 holds (1e400) parsed as infinity, and a sum with it as NaN, so a
/// table check compared "inf" with "inf". Such a cell is not a number.
#[test]
fn numbers_beyond_f64_are_not_numbers() {
    let long = "9".repeat(400);
    let v = number::parse_value(&long, 1);
    assert_eq!(v.number, None, "{:?}", v.number);
    assert!(!v.blank);
    assert_eq!(number::parse_value(&"９".repeat(400), 1).number, None);
    assert_eq!(number::parse_number(&format!("-{long}.5")), None);
    // The largest ordinary values still parse.
    assert_eq!(
        number::parse_value("75394432.52元", 1).number,
        Some(75394432.52)
    );
    all_targets(long.as_bytes());
}
