//! The generator as a correctness test at scale: every injected error is found by `check`
//! with the right rule at the right place, and no clean generated report fails.

use report_review::batch::Entry;
use report_review::check::{check_batch, Config, Outcome, Status};
use report_review::generate::generate;
use report_review::i18n::Lang;
use std::path::PathBuf;

#[test]
fn every_injected_error_is_found_and_no_clean_report_fails() {
    // 600 reports (150 agencies × 4 years), one in five with an injected error.
    let batch = generate(20261126, 600, 200);
    let entries: Vec<Entry> = batch
        .iter()
        .map(|(m, r)| Entry {
            path: PathBuf::from(&m.file),
            report: Ok(r.clone()),
        })
        .collect();
    let result = check_batch(&entries, &Config::default(), Lang::En);
    assert_eq!(result.reports.len(), 600);
    let mut injected = 0;
    for ((manifest, _), outcome) in batch.iter().zip(&result.reports) {
        if manifest.injected.is_empty() {
            assert_ne!(
                outcome.status,
                Status::Fail,
                "clean report {} fails: {:#?}",
                manifest.report,
                outcome.findings
            );
            continue;
        }
        for inj in &manifest.injected {
            injected += 1;
            let found = outcome.findings.iter().any(|f| {
                f.rule == inj.rule && f.outcome == Outcome::Fail && f.location == inj.location
            });
            assert!(
                found,
                "{}: injected {} at {} not reported; findings: {:#?}",
                manifest.report, inj.rule, inj.location, outcome.findings
            );
        }
        assert_eq!(outcome.status, Status::Fail, "{}", manifest.report);
    }
    assert!(
        injected >= 80,
        "the batch exercises the injections ({injected})"
    );
    // Every agency's consecutive years were paired for the cross-year rules.
    assert_eq!(result.pairs.len(), 150 * 3);
}
