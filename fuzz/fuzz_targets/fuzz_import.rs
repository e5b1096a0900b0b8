//! The whole importer on arbitrary bytes (decoding, format sniffing, both readers), once as
//! a text dump and once as an HTML page.
#![no_main]

use libfuzzer_sys::fuzz_target;
use report_review::import::import_bytes;

fuzz_target!(|data: &[u8]| {
    let _ = import_bytes("fuzz.txt", data);
    let _ = import_bytes("fuzz.html", data);
});
