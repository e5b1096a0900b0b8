//! The PDF reader on arbitrary bytes: lopdf's parser, the text-layer interpreter, the
//! position assembler and the refusals. Seeded with the real PDFs (see scripts/fuzz.sh).
#![no_main]

use libfuzzer_sys::fuzz_target;
use report_review::import::import_bytes;

fuzz_target!(|data: &[u8]| {
    let _ = import_bytes("fuzz.pdf", data);
});
