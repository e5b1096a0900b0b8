//! The cell-value parser: never panics, and a parsed number is finite.
#![no_main]

use libfuzzer_sys::fuzz_target;
use report_review::import::number::{looks_numeric, parse_number, parse_value};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let v = parse_value(s, 1);
    if let Some(n) = v.number {
        assert!(n.is_finite(), "{s:?} parsed as {n}");
    }
    let _ = looks_numeric(s);
    let _ = parse_number(s);
});
