//! `check --format json` is written as it is produced; its text must stay the document it
//! always was: the `serde_json::Value` tree below (the earlier way of building it) printed
//! with `to_string_pretty`, byte for byte. Checked on the real reports (text dumps and their
//! committed JSON, with cross-year pairs), a duplicate, an unreadable file and waivers, in
//! both languages.

mod common;

use report_review::batch::{self, duplicate_groups, Batch, Entry, LoadOptions};
use report_review::check::{BatchResult, Finding, Outcome, Severity, Status};
use report_review::cli::check::{outcome_str, render, severity_str, Format};
use report_review::i18n::Lang;
use report_review::review::Waiver;
use serde_json::{json, Value as Json};

fn finding_json(f: &Finding) -> Json {
    let mut v = json!({
        "rule": f.rule,
        "severity": f.mark().as_str(),
        "rule_severity": severity_str(f.severity),
        "outcome": outcome_str(f.outcome),
        "location": f.location,
        "message": f.message,
        "expected": f.expected,
        "actual": f.actual,
    });
    let obj = v.as_object_mut().unwrap();
    if let Some(q) = &f.quote {
        obj.insert("quote".into(), json!(q));
    }
    if let Some(l) = f.line {
        obj.insert("line".into(), json!(l));
    }
    if !f.cells.is_empty() {
        obj.insert("cells".into(), json!(f.cells));
    }
    v
}

fn tree(entries: &[Entry], result: &BatchResult, waivers: Option<&[Waiver]>, lang: Lang) -> Json {
    let counts = result.counts();
    let count = |s: Status| counts.iter().find(|(k, _)| *k == s).map_or(0, |(_, n)| *n);
    let all = || result.reports.iter().flat_map(|r| r.findings.iter());
    let sev = |s: Severity| {
        all()
            .filter(|f| f.severity == s && f.outcome == Outcome::Fail)
            .count()
    };
    let reports: Vec<Json> = entries
        .iter()
        .zip(&result.reports)
        .enumerate()
        .map(|(i, (e, r))| {
            let (agency, year, template) = match &e.report {
                Ok(rep) => (
                    json!(rep.agency),
                    json!(rep.year),
                    json!(rep.template.as_str()),
                ),
                Err(_) => (Json::Null, Json::Null, Json::Null),
            };
            let mut v = json!({
                "path": e.path.display().to_string(),
                "agency": agency,
                "year": year,
                "template": template,
                "status": r.status.as_str(),
                "findings": r.findings.iter().map(finding_json).collect::<Vec<_>>(),
            });
            let obj = v.as_object_mut().unwrap();
            if let Some(err) = &r.error {
                obj.insert("error".into(), json!(err));
            }
            if let Some(w) = waivers.map(|w| &w[i]) {
                obj.insert("raw_status".into(), json!(w.raw_status.as_str()));
                obj.insert("waived".into(), json!(w.waived));
                obj.insert("dismissed".into(), json!(w.dismissed));
            }
            v
        })
        .collect();
    let pairs: Vec<Json> = result
        .pairs
        .iter()
        .map(|p| {
            json!({
                "agency_key": p.agency_key,
                "prev": {"path": entries[p.prev].path.display().to_string(), "year": p.prev_year},
                "cur": {"path": entries[p.cur].path.display().to_string(), "year": p.cur_year},
            })
        })
        .collect();
    let duplicates: Vec<Json> = duplicate_groups(entries)
        .iter()
        .map(|g| {
            let first = entries[g[0]].report.as_ref().ok();
            json!({
                "agency_key": first.map(|r| r.agency_key.clone()),
                "year": first.and_then(|r| r.year),
                "paths": g.iter().map(|&i| entries[i].path.display().to_string()).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "summary": {
            "reports": entries.len(),
            "duplicates": duplicates.len(),
            "pass": count(Status::Pass),
            "warn": count(Status::Warn),
            "fail": count(Status::Fail),
            "unreadable": count(Status::Unreadable),
            "pairs": result.pairs.len(),
            "errors": sev(Severity::Error),
            "warnings": sev(Severity::Warning),
            "infos": sev(Severity::Info),
            "not_assessable": all().filter(|f| f.outcome == Outcome::NotAssessable).count(),
            "lang": match lang { Lang::Zh => "zh", Lang::En => "en" },
        },
        "reports": reports,
        "pairs": pairs,
        "duplicates": duplicates,
    })
}

fn expected(batch: &Batch, lang: Lang) -> String {
    let json = tree(
        &batch.entries,
        &batch.result,
        batch.waivers.as_deref(),
        lang,
    );
    serde_json::to_string_pretty(&json).unwrap() + "\n"
}

/// The real reports: the text dumps, the committed JSON of the same reports (so every
/// 平潭 year is there twice: duplicates), and a file that is not a report.
fn batch_dir() -> tempfile::TempDir {
    let dir = common::temp_copy_of_samples();
    for name in [
        "huaian_hongzequ_2023.txt",
        "huaian_hongzequ_2024.txt",
        "pingtan_2021.txt",
        "pingtan_2022.txt",
        "sanqishizhen_2020.txt",
    ] {
        std::fs::copy(common::real_report(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("broken.json"), "{\"schema_version\": 1,").unwrap();
    dir
}

fn load(dir: &std::path::Path, lang: Lang) -> Batch {
    let opts = LoadOptions {
        lang,
        ..Default::default()
    };
    batch::load(dir, &opts, &|_| {})
}

#[test]
fn streamed_json_is_the_document_as_it_was() {
    let dir = batch_dir();
    for lang in [Lang::Zh, Lang::En] {
        let batch = load(dir.path(), lang);
        assert!(
            !batch.result.pairs.is_empty(),
            "the batch has cross-year pairs"
        );
        assert!(!batch.duplicates.is_empty(), "the batch has duplicates");
        assert_eq!(batch.unreadable().count(), 1);
        let findings: usize = batch.result.reports.iter().map(|r| r.findings.len()).sum();
        assert!(findings > 20, "{findings} findings");
        let streamed = render(&batch, Format::Json, lang);
        assert_eq!(streamed, expected(&batch, lang));
    }
}

#[test]
fn streamed_json_with_waivers_is_the_document_as_it_was() {
    let dir = batch_dir();
    let mut batch = load(dir.path(), Lang::Zh);
    let waivers: Vec<Waiver> = batch
        .result
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| Waiver {
            raw_status: r.status,
            status: r.status,
            waived: i % 2 == 0,
            dismissed: r.findings.iter().take(i % 3).map(|f| f.key()).collect(),
        })
        .collect();
    assert!(waivers.iter().any(|w| !w.dismissed.is_empty()));
    batch.waivers = Some(waivers);
    let streamed = render(&batch, Format::Json, Lang::Zh);
    assert_eq!(streamed, expected(&batch, Lang::Zh));
}
