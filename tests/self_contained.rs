//! The repository stands alone: no source, test, benchmark, script or document refers to
//! files outside it, so a fresh clone builds, tests and reads the same as this checkout.

use std::path::{Path, PathBuf};

/// What a reference outside the repository looks like: a path into a sibling directory or an
/// absolute path on the machine the code was written on, or a document that is not here.
/// (Spelled in pieces so this file does not match itself.)
fn outside_references() -> Vec<String> {
    vec![
        format!("../{}", "shared"),
        format!("/{}/", "work"),
        format!("{}.md", "domain"),
        format!("{}.md", "design"),
    ]
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for e in entries {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            // Build output, fuzzing corpora and the real reports (published text, kept as is).
            if !["target", "corpus", "artifacts", "real"].contains(&name.as_str()) {
                files_under(&path, out);
            }
        } else if [".rs", ".md", ".sh", ".toml", ".txt"]
            .iter()
            .any(|ext| name.ends_with(ext))
            || name == "run"
        {
            out.push(path);
        }
    }
}

#[test]
fn nothing_refers_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![
        root.join("README.md"),
        root.join("Cargo.toml"),
        root.join(".ci/run"),
    ];
    for dir in ["src", "tests", "benches", "scripts", "docs", "fuzz"] {
        files_under(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "found only {} files", files.len());
    let needles = outside_references();
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            for n in &needles {
                if line.contains(n.as_str()) {
                    let rel = file.strip_prefix(root).unwrap().display();
                    found.push(format!("{rel}:{}: {}", i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "references outside the repository (the templates are in docs/templates.md, the \
         architecture in docs/architecture.md, the real reports in tests/data/real/):\n{}",
        found.join("\n")
    );
}
