//! The review screen's shape: state, update and workers never reach into the views. Geometry
//! that both need lives in `tui::layout`, so the views are only ever entered through the one
//! render call of the event loop — a use of `views` anywhere else fails here.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = e.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Code lines (comments left out) outside `src/tui/views` that name the views module.
fn uses_of_views(src: &Path) -> Vec<String> {
    let views_dir = src.join("tui").join("views");
    let mut files = Vec::new();
    rust_files(src, &mut files);
    assert!(files.len() > 50, "found only {} source files", files.len());
    let mut uses = Vec::new();
    for f in files.iter().filter(|f| !f.starts_with(&views_dir)) {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains("views::") || code.contains("use views") {
                uses.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    uses
}

#[test]
fn only_the_event_loop_enters_the_views_and_only_to_render() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let uses = uses_of_views(&src);
    let others: Vec<&String> = uses
        .iter()
        .filter(|u| !u.contains("views::render(state, f)"))
        .collect();
    assert!(
        others.is_empty(),
        "views used outside src/tui/views:\n{others:#?}"
    );
    assert_eq!(uses.len(), 1, "expected the one render call: {uses:#?}");
}
