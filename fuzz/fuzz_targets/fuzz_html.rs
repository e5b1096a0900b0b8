//! The HTML reader on arbitrary text, then the rest of the pipeline on its blocks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use report_review::import::{build_report, html};
use report_review::model::SourceInfo;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let blocks = html::read(&text);
    let _ = build_report(source(), &blocks);
});

fn source() -> SourceInfo {
    SourceInfo {
        file_name: "fuzz".into(),
        sha256: String::new(),
        format: "text".into(),
        encoding: "UTF-8".into(),
        pages: Vec::new(),
    }
}
