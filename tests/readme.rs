//! README.md must stay true: its key reference is the default keymap, its test command is
//! the one CI runs, and every document it links exists.

use report_review::tui::keymap::Keymap;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md")
}

#[test]
fn readme_key_reference_matches_the_keymap() {
    let table = Keymap::default().markdown_table();
    assert!(
        readme().contains(&table),
        "README.md key reference is out of date; expected:\n{table}"
    );
}

#[test]
fn ci_runs_the_readme_test_command() {
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    let command = ci
        .lines()
        .rev()
        .find(|l| l.starts_with("cargo "))
        .expect("a cargo command in .ci/run");
    assert!(
        readme().contains(&format!("```sh\n{command}\n```")),
        "README.md must show `{command}`"
    );
}

#[test]
fn linked_documents_exist() {
    let text = readme();
    for part in text.split("](").skip(1) {
        let target = part.split(')').next().unwrap();
        if target.starts_with("http") {
            continue;
        }
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(target);
        assert!(path.exists(), "README links to missing {target}");
    }
}
