//! docs/rules.md lists every rule as the registry has it, and its configuration example is
//! a valid configuration; docs/check-output.md names every JSON field the command writes.
//! `UPDATE_DOCS=1 cargo test --test check_docs` rewrites the generated table.

use report_review::check::{registry, Config};
use std::path::Path;

const BEGIN: &str = "<!-- BEGIN GENERATED RULE TABLE -->\n";
const END: &str = "<!-- END GENERATED RULE TABLE -->";

fn doc(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs")
            .join(name),
    )
    .unwrap_or_else(|e| panic!("docs/{name}: {e}"))
}

#[test]
fn rules_md_table_matches_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let mut text = doc("rules.md");
    let (Some(b), Some(e)) = (text.find(BEGIN), text.find(END)) else {
        panic!("docs/rules.md lacks the generated-table markers");
    };
    let table = registry::markdown_table();
    let current = &text[b + BEGIN.len()..e];
    if current != table {
        if std::env::var("UPDATE_DOCS").is_ok() {
            let new = format!("{}{}{}{}", &text[..b], BEGIN, table, &text[e..]);
            std::fs::write(&path, &new).unwrap();
            text = new;
        } else {
            panic!("docs/rules.md is out of date: run UPDATE_DOCS=1 cargo test --test check_docs");
        }
    }
    for r in registry::RULES {
        assert!(text.contains(&format!("| {} |", r.id)), "{} missing", r.id);
    }
}

#[test]
fn rules_md_example_config_is_valid_and_complete() {
    let text = doc("rules.md");
    let start = text.find("```toml\n").expect("a toml example") + "```toml\n".len();
    let end = start + text[start..].find("```").unwrap();
    let example = &text[start..end];
    Config::from_toml(example).unwrap_or_else(|e| panic!("example config: {e}"));
    for r in registry::RULES {
        assert!(
            example.contains(&format!("[rules.{}]", r.id)),
            "{} not in the example",
            r.id
        );
    }
}

#[test]
fn check_output_md_documents_the_json_fields() {
    let text = doc("check-output.md");
    for field in [
        "summary",
        "reports",
        "pairs",
        "path",
        "agency",
        "year",
        "template",
        "status",
        "findings",
        "rule",
        "severity",
        "outcome",
        "location",
        "message",
        "expected",
        "actual",
        "quote",
        "line",
        "cells",
        "pass",
        "warn",
        "fail",
        "unreadable",
        "not_assessable",
        "agency_key",
    ] {
        assert!(
            text.contains(&format!("`{field}`")),
            "{field} not documented"
        );
    }
}
