//! docs/tui.md carries the key reference generated from the default keymap; this test
//! keeps the two in step (on failure it prints the table to paste).

use report_review::tui::keymap::Keymap;

fn key_table() -> String {
    Keymap::default().markdown_table()
}

#[test]
fn docs_key_reference_matches_the_keymap() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/tui.md"))
        .expect("docs/tui.md");
    let table = key_table();
    assert!(
        doc.contains(&table),
        "docs/tui.md key reference is out of date; expected:\n{table}"
    );
}
