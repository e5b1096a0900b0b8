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

/// The screen captures in the docs are the program's own output: each ```text block after a
/// `<!-- capture: NAME -->` line must equal the screen snapshot `tests/snapshots/NAME.snap`
/// (rendered by the snapshot tests from the program), trailing spaces aside. On failure the
/// block to paste is printed (`python3 scripts/update_doc_captures.py` rewrites them all).
#[test]
fn docs_screen_captures_are_the_snapshots() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut checked = 0;
    for doc in ["README.md", "docs/tui.md"] {
        let text = std::fs::read_to_string(format!("{root}/{doc}")).expect(doc);
        for (name, indent, block) in captures(&text) {
            let snap = format!("{root}/tests/snapshots/{name}.snap");
            let snap = std::fs::read_to_string(&snap).unwrap_or_else(|e| panic!("{snap}: {e}"));
            let want = screen_of_snapshot(&snap);
            let want: Vec<String> = want.iter().map(|l| format!("{indent}{l}")).collect();
            let want: Vec<&str> = want.iter().map(|l| l.trim_end()).collect();
            assert_eq!(
                block,
                want,
                "{doc}: the capture of {name} is out of date; expected:\n{}",
                want.join("\n")
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 8,
        "only {checked} captures are marked in the docs"
    );
}

/// `(snapshot name, indent, block lines trimmed at the end)` for every marked capture.
fn captures(doc: &str) -> Vec<(String, String, Vec<&str>)> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].trim();
        if let Some(name) = l
            .strip_prefix("<!-- capture: ")
            .and_then(|r| r.strip_suffix(" -->"))
        {
            let open = (i + 1..lines.len())
                .find(|&j| lines[j].trim_start().starts_with("```"))
                .unwrap_or_else(|| panic!("no block after the capture mark of {name}"));
            let indent = &lines[open][..lines[open].len() - lines[open].trim_start().len()];
            let close = (open + 1..lines.len())
                .find(|&j| lines[j].trim() == "```")
                .unwrap_or_else(|| panic!("the block of {name} is not closed"));
            let block = lines[open + 1..close]
                .iter()
                .map(|l| l.trim_end())
                .collect();
            out.push((name.to_string(), indent.to_string(), block));
            i = close;
        }
        i += 1;
    }
    out
}

/// The screen rows of an insta snapshot: the text rows as they are, or, for a ratatui
/// `TestBackend`, one quoted row per line (`"…" Hidden by multi-width symbols: …` notes dropped).
fn screen_of_snapshot(snap: &str) -> Vec<String> {
    let body = snap.splitn(3, "---\n").nth(2).expect("an insta header");
    if !body.starts_with('"') {
        // A snapshot of the screen's text rows, as they are.
        return body
            .trim_end_matches('\n')
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect();
    }
    let mut rows = Vec::new();
    for line in body.lines() {
        let Some(rest) = line.strip_prefix('"') else {
            break;
        };
        let mut row = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => row.extend(chars.next()),
                '"' => break,
                c => row.push(c),
            }
        }
        rows.push(row.trim_end().to_string());
    }
    rows
}
